"""Parse checks of deploy/Dockerfile and deploy/compose.yaml (no Docker engine runs here): the
image builds every binary, runs as a non-root user, exposes the ports and has a HEALTHCHECK; compose
runs every service with a healthcheck, orders start-up by health, and sets only configuration keys
the code documents. `docker compose config` runs too where docker exists.

Run by `cargo xtask test` through xtask/tests/deploy_checks.rs, or by hand:
    target/tools/python/bin/python -m unittest discover -s deploy/tests
"""

import os
import pathlib
import re
import shutil
import subprocess
import tomllib
import unittest

import yaml

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = REPOSITORY / "deploy"
SERVICE_PORTS = {"8080", "50051", "50052", "50053", "9465", "9466", "9467"}
# Services of the distributed mode that must be in compose.
REQUIRED_SERVICES = {"gateway", "catalog", "auth", "stream", "postgres", "redis", "jaeger", "prometheus", "grafana"}
# One-shot containers: they exit when done, so they have no healthcheck.
ONE_SHOT_SERVICES = {"catalog-migrate"}
# `KENSHO_` variables that are not configuration keys (see crates/kit/src/config.rs).
NON_KEY_VARIABLES = {"KENSHO_CONFIG"}


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions = []
    pending = ""
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = pending + stripped
        pending = ""
        keyword, _, arguments = whole.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def workspace_binaries():
    """Every binary the workspace builds: the root package's and each `[[bin]]`."""
    binaries = {tomllib.loads((REPOSITORY / "Cargo.toml").read_text())["package"]["name"]}
    members = tomllib.loads((REPOSITORY / "Cargo.toml").read_text())["workspace"]["members"]
    for member in members:
        manifest = tomllib.loads((REPOSITORY / member / "Cargo.toml").read_text())
        binaries.update(binary["name"] for binary in manifest.get("bin", []))
    return binaries


def documented_keys():
    """Keys of the configuration table in README.md; `section.*` rows cover a whole section."""
    readme = (REPOSITORY / "README.md").read_text()
    table = readme.split("| key | default | meaning |", 1)[1].split("\n\n", 1)[0]
    exact, sections = set(), set()
    for row in table.splitlines()[2:]:
        first_cell = row.split("|")[1]
        for key in re.findall(r"`([a-z_.*]+)`", first_cell):
            if key.endswith(".*"):
                sections.add(key[:-1])
            else:
                exact.add(key)
    return exact, sections


def key_of(variable):
    return variable.removeprefix("KENSHO_").lower().replace("__", ".")


class Dockerfile(unittest.TestCase):
    def setUp(self):
        self.instructions = dockerfile_instructions()

    def arguments_of(self, keyword):
        return [arguments for instruction, arguments in self.instructions if instruction == keyword]

    def test_builds_on_rust_and_runs_on_a_slim_base(self):
        stages = self.arguments_of("FROM")
        self.assertEqual(len(stages), 2, stages)
        self.assertRegex(stages[0], r"^rust:1\.95-bookworm AS builder$")
        self.assertRegex(stages[-1], r"^(debian:bookworm-slim|gcr\.io/distroless/)")

    def test_every_binary_is_built_and_copied_into_the_image(self):
        build = " ".join(self.arguments_of("RUN"))
        for binary in workspace_binaries():
            with self.subTest(binary=binary):
                self.assertIn(f"--bin {binary} ", build + " ")
                self.assertIn(f"target/release/{binary}", build)
        self.assertTrue(any("--from=builder" in copy for copy in self.arguments_of("COPY")))

    def test_runs_as_a_non_root_user(self):
        users = self.arguments_of("USER")
        self.assertTrue(users, "no USER instruction")
        user = users[-1].split(":")[0]
        self.assertNotIn(user, {"root", "0"})
        last_from = max(index for index, (keyword, _) in enumerate(self.instructions) if keyword == "FROM")
        last_user = max(index for index, (keyword, _) in enumerate(self.instructions) if keyword == "USER")
        self.assertGreater(last_user, last_from, "USER must apply to the final stage")

    def test_has_a_healthcheck_and_exposes_every_service_port(self):
        (healthcheck,) = self.arguments_of("HEALTHCHECK")
        self.assertIn("CMD", healthcheck)
        self.assertIn("/health/live", " ".join(self.arguments_of("ENV")) + healthcheck)
        exposed = {port for arguments in self.arguments_of("EXPOSE") for port in arguments.split()}
        self.assertEqual(exposed, SERVICE_PORTS)


class Compose(unittest.TestCase):
    def setUp(self):
        self.compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
        self.services = self.compose["services"]

    def test_runs_the_distributed_mode_and_its_infrastructure(self):
        self.assertLessEqual(REQUIRED_SERVICES, set(self.services))

    def test_every_long_running_service_has_a_healthcheck(self):
        for name, service in self.services.items():
            if name in ONE_SHOT_SERVICES:
                continue
            with self.subTest(service=name):
                test = service["healthcheck"]["test"]
                self.assertEqual(test[0], "CMD", "exec form: the images have no shell in common")
                self.assertGreater(len(test), 1)

    def test_start_order_waits_on_health_or_completion(self):
        for name, service in self.services.items():
            for dependency, condition in service.get("depends_on", {}).items():
                with self.subTest(service=name, dependency=dependency):
                    self.assertIn(dependency, self.services)
                    wanted = condition["condition"]
                    if dependency in ONE_SHOT_SERVICES:
                        self.assertEqual(wanted, "service_completed_successfully")
                    else:
                        self.assertEqual(wanted, "service_healthy")
                        self.assertIn("healthcheck", self.services[dependency])
        self.assertIn("catalog-migrate", self.services["catalog"]["depends_on"])

    def test_kensho_services_bind_every_interface_with_the_internal_credential(self):
        for name, section in (("gateway", "GATEWAY"), ("catalog", "CATALOG"), ("auth", "AUTH"), ("stream", "STREAM")):
            environment = self.services[name]["environment"]
            with self.subTest(service=name):
                self.assertEqual(environment[f"KENSHO_{section}__HOST"], "0.0.0.0")
                self.assertIn("KENSHO_INTERNAL__CREDENTIAL", environment)

    def test_every_kensho_variable_is_a_documented_configuration_key(self):
        exact, sections = documented_keys()
        self.assertIn("gateway.catalog_url", exact)
        for name, service in self.services.items():
            for variable in service.get("environment", {}):
                if not variable.startswith("KENSHO_") or variable in NON_KEY_VARIABLES:
                    continue
                key = key_of(variable)
                with self.subTest(service=name, variable=variable):
                    documented = key in exact or any(key.startswith(section) for section in sections)
                    self.assertTrue(documented, f"{key} is not in README.md's configuration table")

    def test_docker_compose_accepts_the_file_where_docker_exists(self):
        if shutil.which("docker") is None:
            self.skipTest("docker is not installed")
        plugin = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if plugin.returncode != 0:
            self.skipTest("docker has no compose plugin")
        environment = dict(os.environ, KENSHO_INTERNAL_CREDENTIAL="x" * 32, KENSHO_ADMIN_CREDENTIAL="y" * 32)
        result = subprocess.run(
            ["docker", "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main()
