//! The observability kit in `deploy/observability/` against the real code: the dashboards name
//! only metrics the all-in-one emits, the rules pass `promtool`, and a real Prometheus scraping the
//! all-in-one computes the p95 and error ratio of the traffic the test made. `prometheus` and
//! `promtool` come from Debian's `prometheus` package (`.ci/run` installs it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kensho_telemetry::metrics::names::exposed_series_names;
use kensho_test_support::TempDir;
use kensho_test_support::wait::poll_until;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::scrape::scrape;

/// How long Prometheus may take to start and scrape before the test gives up.
const PROMETHEUS_WAIT: Duration = Duration::from_secs(60);
const ANIME_ROUTE: &str = "/api/v1/anime/{id}";

fn observability_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/observability")
}

/// The path of `tool`, or a panic saying how to get it.
fn tool(tool: &str) -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|directory| directory.join(tool))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("`{tool}` is not on PATH: install Debian's `prometheus` package (apt-get install prometheus)")
        })
}

/// Every identifier of a PromQL expression that names a series: what remains once label
/// matchers, groupings, strings, ranges, numbers, functions and keywords are taken out.
fn metric_names(expression: &str) -> BTreeSet<String> {
    const KEYWORDS: &[&str] = &[
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "and",
        "or",
        "unless",
        "offset",
        "bool",
        "sum",
        "min",
        "max",
        "avg",
        "count",
        "group",
        "stddev",
        "stdvar",
        "topk",
        "bottomk",
        "quantile",
        "count_values",
    ];
    let mut cleaned = String::new();
    let mut depth_braces = 0;
    for character in expression.chars() {
        match character {
            '{' => depth_braces += 1,
            '}' => depth_braces -= 1,
            _ if depth_braces > 0 => {}
            _ => cleaned.push(character),
        }
    }
    let mut names = BTreeSet::new();
    let characters: Vec<char> = cleaned.chars().collect();
    let mut index = 0;
    let mut previous_word = String::new();
    while index < characters.len() {
        let character = characters[index];
        if character == '[' {
            while index < characters.len() && characters[index] != ']' {
                index += 1;
            }
        } else if character.is_ascii_alphabetic() || character == '_' {
            let start = index;
            while index < characters.len()
                && (characters[index].is_ascii_alphanumeric()
                    || characters[index] == '_'
                    || characters[index] == ':')
            {
                index += 1;
            }
            let word: String = characters[start..index].iter().collect();
            let rest = cleaned[cleaned
                .char_indices()
                .nth(index)
                .map_or(cleaned.len(), |(byte, _)| byte)..]
                .trim_start();
            let is_function = rest.starts_with('(');
            let is_grouping_label =
                matches!(previous_word.as_str(), "by" | "without" | "on" | "ignoring");
            if !is_function && !is_grouping_label && !KEYWORDS.contains(&word.as_str()) {
                names.insert(word.clone());
            }
            if !is_grouping_label || rest.starts_with(')') {
                previous_word = word;
            }
            continue;
        } else if character == ')' {
            previous_word.clear();
        }
        index += 1;
    }
    names
}

fn dashboard_expressions() -> Vec<(String, String)> {
    let directory = observability_dir().join("dashboards");
    let mut expressions = Vec::new();
    for entry in std::fs::read_dir(&directory).expect("the dashboards directory") {
        let path = entry.expect("a directory entry").path();
        let text = std::fs::read_to_string(&path).expect("a readable dashboard");
        let dashboard: Value = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{} is not valid JSON: {error}", path.display()));
        let panels = dashboard["panels"]
            .as_array()
            .expect("a dashboard has panels");
        assert!(!panels.is_empty(), "{} has no panels", path.display());
        for panel in panels {
            for target in panel["targets"].as_array().expect("a panel has targets") {
                let expression = target["expr"].as_str().expect("a target has a PromQL expr");
                expressions.push((path.display().to_string(), expression.to_owned()));
            }
        }
    }
    expressions
}

/// REST traffic of known shape: `ok` found anime and `missing` unknown ones.
async fn make_traffic(app: &TestApp, ok: usize, missing: usize) {
    let id = app.id_of("SPY x FAMILY").await;
    for _ in 0..ok {
        assert_eq!(app.get(&format!("/api/v1/anime/{id}")).await.status(), 200);
    }
    for _ in 0..missing {
        assert_eq!(
            app.get("/api/v1/anime/0000000000000000").await.status(),
            404
        );
    }
}

#[tokio::test]
async fn every_metric_the_dashboards_reference_is_one_the_code_emits() {
    let app = spawn_app().await;
    make_traffic(&app, 1, 1).await;
    let addresses = app.addresses().clone();
    let mut emitted: BTreeSet<String> = exposed_series_names().into_iter().collect();
    for address in [
        addresses.gateway,
        addresses.catalog_admin,
        addresses.auth_admin,
        addresses.stream_admin,
    ] {
        emitted.extend(scrape(&app.client, address).await.names());
    }

    let expressions = dashboard_expressions();

    assert!(!expressions.is_empty());
    for (dashboard, expression) in expressions {
        let names = metric_names(&expression);
        assert!(
            !names.is_empty(),
            "{dashboard}: no metric in `{expression}`"
        );
        for name in names {
            assert!(
                emitted.contains(&name),
                "{dashboard}: `{name}` is not emitted (in `{expression}`)"
            );
        }
    }
}

#[test]
fn the_rules_pass_promtool_check_and_their_unit_tests() {
    let rules = observability_dir().join("rules");
    let promtool = tool("promtool");

    let checked = Command::new(&promtool)
        .arg("check")
        .arg("rules")
        .arg(rules.join("kensho.rules.yml"))
        .output()
        .expect("promtool runs");
    let tested = Command::new(&promtool)
        .current_dir(&rules)
        .args(["test", "rules", "kensho.rules.test.yml"])
        .output()
        .expect("promtool runs");

    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    assert!(
        tested.status.success(),
        "{}{}",
        String::from_utf8_lossy(&tested.stdout),
        String::from_utf8_lossy(&tested.stderr)
    );
}

/// A Prometheus of the test's own, stopped when dropped.
struct TestPrometheus {
    child: Child,
    url: String,
    _data: TempDir,
}

impl Drop for TestPrometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl TestPrometheus {
    fn scraping(targets: &[std::net::SocketAddr]) -> Self {
        let data = TempDir::new();
        let targets = targets
            .iter()
            .map(|target| format!("'{target}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let config = format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: kensho\n    static_configs:\n      - targets: [{targets}]\n"
        );
        let config_path = data.path().join("prometheus.yml");
        std::fs::write(&config_path, config).expect("the config is written");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(tool("prometheus"))
            .arg(format!("--config.file={}", config_path.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                data.path().join("tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus starts");
        TestPrometheus {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _data: data,
        }
    }

    /// The value of an instant query's single result, if it has one.
    async fn query(&self, client: &reqwest::Client, query: &str) -> Option<f64> {
        let response = client
            .get(format!("{}/api/v1/query", self.url))
            .query(&[("query", query)])
            .send()
            .await
            .ok()?;
        let body: Value = response.json().await.ok()?;
        body["data"]["result"][0]["value"][1].as_str()?.parse().ok()
    }

    /// Polls (bounded) until `query` yields `expected`: Prometheus has scraped what the test made.
    async fn wait_for(&self, client: &reqwest::Client, query: &str, expected: f64) {
        poll_until(
            &format!("prometheus seeing {query} = {expected}"),
            PROMETHEUS_WAIT,
            async || match self.query(client, query).await {
                Some(value) if value == expected => Ok(()),
                seen => Err(format!("{seen:?}")),
            },
        )
        .await;
    }
}

#[tokio::test]
async fn prometheus_scraping_the_all_in_one_sees_the_p95_and_error_ratio_of_the_traffic() {
    let app = spawn_app().await;
    let addresses = app.addresses().clone();
    let prometheus = TestPrometheus::scraping(&[
        addresses.gateway,
        addresses.catalog_admin,
        addresses.auth_admin,
        addresses.stream_admin,
    ]);
    let (ok, missing) = (6, 2);
    make_traffic(&app, ok, missing).await;
    let requests = format!("sum(http_request_duration_seconds_count{{route=\"{ANIME_ROUTE}\"}})");
    prometheus
        .wait_for(&app.client, &requests, (ok + missing) as f64)
        .await;
    let gateway = scrape(&app.client, addresses.gateway).await;

    let error_ratio = prometheus
        .query(&app.client, &format!("sum(http_request_duration_seconds_count{{route=\"{ANIME_ROUTE}\",status=\"404\"}}) / {requests}"))
        .await;
    let p95 = prometheus
        .query(&app.client, &format!("histogram_quantile(0.95, sum by (le) (http_request_duration_seconds_bucket{{route=\"{ANIME_ROUTE}\"}}))"))
        .await
        .expect("a p95");
    // Each target is scraped on its own schedule: the catalog's may come after the gateway's.
    // The id lookup was one search, labelled by its service.
    prometheus
        .wait_for(
            &app.client,
            "sum(searches_total{service=\"catalog-svc\"})",
            1.0,
        )
        .await;

    assert_eq!(error_ratio, Some(missing as f64 / (ok + missing) as f64));
    // The p95 lies in the bucket that holds the 95th percentile of what the gateway recorded.
    let total = gateway.value(
        "http_request_duration_seconds_count",
        &[("route", ANIME_ROUTE)],
    );
    let bounds = ["0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1"];
    let holding = bounds
        .iter()
        .position(|bound| {
            gateway.value(
                "http_request_duration_seconds_bucket",
                &[("route", ANIME_ROUTE), ("le", bound)],
            ) >= 0.95 * total
        })
        .expect("every request took under a second");
    let upper: f64 = bounds[holding].parse().expect("a bound");
    let lower: f64 = if holding == 0 {
        0.0
    } else {
        bounds[holding - 1].parse().expect("a bound")
    };
    assert!(
        p95 > lower && p95 <= upper,
        "p95 {p95} outside ({lower}, {upper}]"
    );
}
