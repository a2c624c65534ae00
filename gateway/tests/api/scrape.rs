//! Reading the Prometheus text format: one sample is the sum of every series of a name whose
//! labels include the ones asked for, so assertions do not depend on label order.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

/// One series: its labels and value.
type Series = (BTreeMap<String, String>, f64);

/// One scrape: series name → every series of it.
pub struct Scrape {
    series: BTreeMap<String, Vec<Series>>,
}

impl Scrape {
    pub fn parse(text: &str) -> Self {
        let mut series: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for line in text
            .lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
        {
            let (head, value) = line.rsplit_once(' ').expect("a sample line has a value");
            let value: f64 = value.parse().expect("a numeric sample value");
            let (name, labels) = match head.split_once('{') {
                Some((name, rest)) => (name, parse_labels(rest.trim_end_matches('}'))),
                None => (head, BTreeMap::new()),
            };
            series
                .entry(name.to_owned())
                .or_default()
                .push((labels, value));
        }
        Scrape { series }
    }

    /// The sum of the series of `name` carrying every label of `labels`.
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.series.get(name).map_or(0.0, |all| {
            all.iter()
                .filter(|(series_labels, _)| {
                    labels.iter().all(|(key, value)| {
                        series_labels.get(*key).map(String::as_str) == Some(*value)
                    })
                })
                .map(|(_, value)| value)
                .sum()
        })
    }

    /// Every series name in the scrape.
    pub fn names(&self) -> BTreeSet<String> {
        self.series.keys().cloned().collect()
    }

    /// The `service` label of every series.
    pub fn services(&self) -> BTreeSet<String> {
        self.series
            .values()
            .flatten()
            .filter_map(|(labels, _)| labels.get("service").cloned())
            .collect()
    }
}

fn parse_labels(text: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut rest = text;
    while let Some((key, after_key)) = rest.split_once("=\"") {
        let end = after_key.find('"').expect("a closing quote");
        labels.insert(
            key.trim_start_matches(',').to_owned(),
            after_key[..end].to_owned(),
        );
        rest = &after_key[end + 1..];
    }
    labels
}

/// GETs `http://address/metrics` and parses it.
pub async fn scrape(client: &reqwest::Client, address: SocketAddr) -> Scrape {
    let response = client
        .get(format!("http://{address}/metrics"))
        .send()
        .await
        .expect("the metrics endpoint answers");
    assert_eq!(response.status(), 200);
    Scrape::parse(&response.text().await.expect("a text body"))
}
