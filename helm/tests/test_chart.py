"""Checks of the Helm chart in helm/kensho: strict lint, renders with the defaults, a
production-like and a minimal all-in-one values file, every rendered manifest validated against the
Kubernetes schemas, the properties operators rely on, and bad values refused by values.schema.json.

Run by `cargo xtask test` through xtask/tests/deploy_checks.rs, or by hand:
    target/tools/python/bin/python -m unittest discover -s helm/tests -t .
"""

import pathlib
import unittest

import helm_python
import kubernetes_validate
import yaml

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
CHART = REPOSITORY / "helm" / "kensho"
VALUES = pathlib.Path(__file__).resolve().parent / "values"
KUBERNETES_VERSION = "1.30.0"
# Kinds of the Prometheus Operator: no bundled schema, checked by shape instead.
CUSTOM_KINDS = {"ServiceMonitor", "PrometheusRule"}
GRPC_COMPONENTS = ("catalog", "auth", "stream")


def values_file(name):
    return yaml.safe_load((VALUES / name).read_text()) if name else {}


def render(values):
    """Every manifest the chart renders for `values`, as parsed documents."""
    rendered = helm_python.Chart.load(str(CHART)).render(
        values, name="kensho", namespace="media", is_install=True
    )
    documents = []
    for template, text in rendered.items():
        if template.endswith((".tpl", "NOTES.txt")) or not text.strip():
            continue
        documents.extend(document for document in yaml.safe_load_all(text) if document)
    return documents


def by_kind(documents, kind):
    return {document["metadata"]["name"]: document for document in documents if document["kind"] == kind}


class ChartLint(unittest.TestCase):
    def test_the_chart_lints_strictly(self):
        report = helm_python.lint(str(CHART), strict=True, kube_version=f"v{KUBERNETES_VERSION}")
        # Helm's severities: 1 information, 2 warning, 3 error.
        errors = [message for message in report.get("messages", []) if message.get("severity", 0) >= 2]
        self.assertEqual(report.get("errors") or [], [], report)
        self.assertEqual(errors, [], report)


class RenderedManifests(unittest.TestCase):
    """The same checks for each values file."""

    cases = {
        "defaults": None,
        "production": "production.yaml",
        "all-in-one": "all-in-one.yaml",
    }

    def test_every_manifest_is_valid_against_the_kubernetes_schemas(self):
        for case, file in self.cases.items():
            documents = render(values_file(file))
            self.assertTrue(documents, case)
            for document in documents:
                with self.subTest(case=case, kind=document["kind"], name=document["metadata"]["name"]):
                    if document["kind"] in CUSTOM_KINDS:
                        self.assertEqual(document["apiVersion"], "monitoring.coreos.com/v1")
                        self.assertIn("spec", document)
                    else:
                        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)

    def test_every_pod_is_hardened_and_has_no_service_links(self):
        for case, file in self.cases.items():
            documents = render(values_file(file))
            pods = [document["spec"]["template"]["spec"] for document in documents if document["kind"] in ("Deployment", "Job")]
            self.assertTrue(pods, case)
            for pod in pods:
                with self.subTest(case=case, pod=pod["containers"][0]["name"]):
                    self.assertIs(pod["enableServiceLinks"], False)
                    self.assertIs(pod["securityContext"]["runAsNonRoot"], True)
                    self.assertEqual(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault")
                    for container in pod["containers"]:
                        context = container["securityContext"]
                        self.assertIs(context["readOnlyRootFilesystem"], True)
                        self.assertIs(context["allowPrivilegeEscalation"], False)
                        self.assertEqual(context["capabilities"]["drop"], ["ALL"])


class DistributedMode(unittest.TestCase):
    def setUp(self):
        self.documents = render(values_file("production.yaml"))
        self.deployments = by_kind(self.documents, "Deployment")

    def test_each_component_has_a_deployment_and_the_grpc_ones_headless_services(self):
        self.assertEqual(set(self.deployments), {f"kensho-{name}" for name in ("gateway",) + GRPC_COMPONENTS})
        services = by_kind(self.documents, "Service")
        self.assertNotEqual(services["kensho-gateway"]["spec"].get("clusterIP"), "None")
        for component in GRPC_COMPONENTS:
            self.assertEqual(services[f"kensho-{component}"]["spec"]["clusterIP"], "None", component)

    def test_grpc_services_probe_natively_and_the_gateway_over_http(self):
        for name, deployment in self.deployments.items():
            container = deployment["spec"]["template"]["spec"]["containers"][0]
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                with self.subTest(deployment=name, probe=probe):
                    if name == "kensho-gateway":
                        self.assertTrue(container[probe]["httpGet"]["path"].startswith("/health/"))
                    else:
                        self.assertIn("port", container[probe]["grpc"])
            if name != "kensho-gateway":
                # Only readiness follows dependencies: a failed database must not restart pods.
                self.assertEqual(container["livenessProbe"]["grpc"]["service"], "liveness")
                self.assertEqual(container["startupProbe"]["grpc"]["service"], "startup")
                self.assertNotIn("service", container["readinessProbe"]["grpc"])

    def test_rollouts_keep_capacity_and_the_grace_period_covers_the_drain(self):
        for name, deployment in self.deployments.items():
            with self.subTest(deployment=name):
                self.assertEqual(deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], 0)
                pod = deployment["spec"]["template"]["spec"]
                pre_stop = pod["containers"][0]["lifecycle"]["preStop"]["sleep"]["seconds"]
                drain_ms = int(self.config_of(name)[f"KENSHO_{self.section_of(name)}__DRAIN_TIMEOUT_MS"])
                self.assertGreater(pod["terminationGracePeriodSeconds"], pre_stop + drain_ms / 1000)

    def test_replicas_spread_over_nodes(self):
        for name, deployment in self.deployments.items():
            (constraint,) = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
            self.assertEqual(constraint["topologyKey"], "kubernetes.io/hostname", name)
            self.assertEqual(constraint["labelSelector"]["matchLabels"], deployment["spec"]["selector"]["matchLabels"])

    def test_three_replicas_autoscale_with_disruption_budgets(self):
        autoscalers = by_kind(self.documents, "HorizontalPodAutoscaler")
        budgets = by_kind(self.documents, "PodDisruptionBudget")
        for name in self.deployments:
            with self.subTest(deployment=name):
                self.assertEqual(autoscalers[name]["spec"]["minReplicas"], 3)
                self.assertIn(name, budgets)
                # The autoscaler owns the replica count.
                self.assertNotIn("replicas", self.deployments[name]["spec"])

    def test_network_policies_allow_only_the_intended_hops(self):
        policies = by_kind(self.documents, "NetworkPolicy")
        expected_callers = {"catalog": {"gateway", "stream"}, "auth": {"gateway", "stream"}, "stream": {"gateway"}}
        for component, callers in expected_callers.items():
            grpc_rule = policies[f"kensho-{component}"]["spec"]["ingress"][0]
            self.assertEqual(grpc_rule["ports"], [{"port": "grpc"}])
            allowed = {peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"] for peer in grpc_rule["from"]}
            self.assertEqual(allowed, callers, component)
        gateway_rule = policies["kensho-gateway"]["spec"]["ingress"][0]
        self.assertIn("namespaceSelector", gateway_rule["from"][0])

    def test_secrets_come_from_secret_references_never_from_the_config_map(self):
        catalog = self.deployments["kensho-catalog"]["spec"]["template"]["spec"]["containers"][0]
        references = {entry["name"]: entry["valueFrom"]["secretKeyRef"]["name"] for entry in catalog["env"]}
        self.assertEqual(references["KENSHO_CATALOG__DATABASE__URL"], "kensho-database")
        self.assertEqual(references["KENSHO_INTERNAL__CREDENTIAL"], "kensho-secrets")
        for config_map in by_kind(self.documents, "ConfigMap").values():
            for key in config_map["data"]:
                self.assertNotRegex(key, "CREDENTIAL|SECRET|DATABASE__URL|REDIS_URL|_KEYS", config_map["metadata"]["name"])

    def test_generated_auth_keys_have_the_shapes_auth_svc_reads(self):
        import base64
        import tomllib

        secret = by_kind(self.documents, "Secret")["kensho-secrets"]
        keys = tomllib.loads(base64.b64decode(secret["data"]["auth-keys.toml"]).decode())
        signing = base64.b64decode(keys["auth"]["signing_keys"][0]["private_key"])
        encryption = base64.b64decode(keys["auth"]["encryption_keys"][0]["key"])
        self.assertEqual(len(signing), 48, "Ed25519 PKCS#8 DER")
        self.assertEqual(len(encryption), 32)
        self.assertGreaterEqual(len(base64.b64decode(secret["data"]["internal-credential"])), 16)

    def test_the_migration_job_runs_before_the_rollout(self):
        job = by_kind(self.documents, "Job")["kensho-migrate"]
        self.assertIn("pre-upgrade", job["metadata"]["annotations"]["helm.sh/hook"])
        self.assertEqual(job["spec"]["template"]["spec"]["containers"][0]["command"], ["catalog-svc", "migrate"])

    def test_monitoring_ingress_and_internal_certificates_are_wired(self):
        monitor = by_kind(self.documents, "ServiceMonitor")["kensho"]
        self.assertEqual({endpoint["port"] for endpoint in monitor["spec"]["endpoints"]}, {"http", "admin"})
        self.assertIn("kensho", by_kind(self.documents, "PrometheusRule"))
        ingress = by_kind(self.documents, "Ingress")["kensho"]
        self.assertEqual(ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"], "kensho-gateway")
        for name, deployment in self.deployments.items():
            mounts = {mount["name"] for mount in deployment["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]}
            self.assertIn("internal-tls", mounts, name)

    def test_under_mutual_tls_every_grpc_hop_reads_the_mounted_files_and_probes_ask_the_admin_port(self):
        for name, deployment in self.deployments.items():
            with self.subTest(deployment=name):
                config = self.config_of(name)
                self.assertEqual(config["KENSHO_INTERNAL__TLS__CERT_FILE"], "/etc/kensho/tls/tls.crt")
                self.assertEqual(config["KENSHO_INTERNAL__TLS__KEY_FILE"], "/etc/kensho/tls/tls.key")
                self.assertEqual(config["KENSHO_INTERNAL__TLS__CA_FILE"], "/etc/kensho/tls/ca.crt")
                self.assertEqual(config["KENSHO_INTERNAL__TLS__RELOAD_INTERVAL_MS"], "10000")
                if name == "kensho-gateway":
                    continue
                container = deployment["spec"]["template"]["spec"]["containers"][0]
                admin_port = next(port["containerPort"] for port in container["ports"] if port["name"] == "admin")
                for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                    self.assertEqual(container[probe]["grpc"]["port"], admin_port, probe)

    def test_without_mutual_tls_probes_ask_the_grpc_port_and_no_tls_file_is_configured(self):
        documents = render({"internalTls": {"enabled": False}})
        for name, deployment in by_kind(documents, "Deployment").items():
            config = by_kind(documents, "ConfigMap")[name]["data"]
            self.assertNotIn("KENSHO_INTERNAL__TLS__CERT_FILE", config, name)
            if name == "kensho-gateway":
                continue
            container = deployment["spec"]["template"]["spec"]["containers"][0]
            grpc_port = next(port["containerPort"] for port in container["ports"] if port["name"] == "grpc")
            self.assertEqual(container["readinessProbe"]["grpc"]["port"], grpc_port, name)

    def test_token_claims_reach_the_gateway_and_auth_svc_alike(self):
        for name in ("kensho-gateway", "kensho-auth"):
            config = self.config_of(name)
            self.assertEqual(config["KENSHO_TOKENS__ISSUER"], "https://kensho.example.org", name)
            self.assertEqual(config["KENSHO_TOKENS__AUDIENCE"], "kensho-production", name)
        self.assertNotIn("KENSHO_TOKENS__ISSUER", self.config_of("kensho-catalog"))

    def test_the_gateway_credential_reaches_the_gateway_and_every_service_from_the_secret(self):
        for name, deployment in self.deployments.items():
            container = deployment["spec"]["template"]["spec"]["containers"][0]
            references = {entry["name"]: entry["valueFrom"]["secretKeyRef"] for entry in container["env"] if "valueFrom" in entry}
            self.assertEqual(references["KENSHO_INTERNAL__GATEWAY_CREDENTIAL"]["key"], "internal-gateway-credential", name)
        secret = by_kind(self.documents, "Secret")["kensho-secrets"]
        self.assertIn("internal-gateway-credential", secret["data"])

    def config_of(self, deployment):
        return by_kind(self.documents, "ConfigMap")[deployment]["data"]

    @staticmethod
    def section_of(deployment):
        return deployment.removeprefix("kensho-").upper()


class AllInOneMode(unittest.TestCase):
    def test_one_kensho_pod_on_its_volume_and_no_migration_job(self):
        documents = render(values_file("all-in-one.yaml"))
        deployments = by_kind(documents, "Deployment")
        self.assertEqual(list(deployments), ["kensho-all-in-one"])
        deployment = deployments["kensho-all-in-one"]
        self.assertEqual(deployment["spec"]["replicas"], 1)
        self.assertEqual(deployment["spec"]["template"]["spec"]["containers"][0]["command"], ["kensho"])
        self.assertIn("kensho-all-in-one", by_kind(documents, "PersistentVolumeClaim"))
        self.assertEqual(by_kind(documents, "Job"), {})


class BadValues(unittest.TestCase):
    """values.schema.json makes these fail at install time, naming the value."""

    bad_values = {
        "a string where a number belongs": ({"gateway": {"replicas": "three"}}, "replicas"),
        "a negative replica count": ({"catalog": {"replicas": -1}}, "replicas"),
        "a port out of range": ({"auth": {"port": 70000}}, "port"),
        "an unknown mode": ({"mode": "cluster"}, "mode"),
        "an unknown key": ({"gateway": {"replica": 3}}, "replica"),
        "a short internal credential": ({"secrets": {"internalCredential": "short"}}, "internalCredential"),
        "a short gateway credential": ({"secrets": {"internalGatewayCredential": "short"}}, "internalGatewayCredential"),
        "an unknown token claim": ({"tokens": {"subject": "x"}}, "subject"),
        "a reload interval that would spin": ({"internalTls": {"reloadIntervalMs": 1}}, "reloadIntervalMs"),
    }

    def test_bad_values_fail_the_render_naming_the_value(self):
        for case, (values, named) in self.bad_values.items():
            with self.subTest(case=case):
                with self.assertRaises(helm_python.HelmError) as failure:
                    render(values)
                self.assertIn(named, str(failure.exception))

    def test_good_overrides_of_the_same_keys_render(self):
        documents = render({"gateway": {"replicas": 3}, "catalog": {"replicas": 0}})
        self.assertEqual(by_kind(documents, "Deployment")["kensho-gateway"]["spec"]["replicas"], 3)


if __name__ == "__main__":
    unittest.main()
