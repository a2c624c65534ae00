//! The standard `OTEL_*` variables telemetry honours, read from an injectable source so tests
//! never mutate the process environment.

use opentelemetry::KeyValue;
use opentelemetry_sdk::trace::Sampler;

/// The `OTEL_*` variables that shape tracing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OtelEnvironment {
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`: where spans go when `telemetry.otlp_endpoint` is unset.
    pub exporter_endpoint: Option<String>,
    /// `OTEL_SERVICE_NAME`: replaces the service name of every span.
    pub service_name: Option<String>,
    /// `OTEL_TRACES_SAMPLER`: `always_on`, `always_off`, `traceidratio`, or their `parentbased_`
    /// forms (the default is `parentbased_always_on`).
    pub traces_sampler: Option<String>,
    /// `OTEL_TRACES_SAMPLER_ARG`: the ratio of the `traceidratio` samplers.
    pub traces_sampler_arg: Option<String>,
    /// `OTEL_RESOURCE_ATTRIBUTES`: `key=value` pairs separated by commas.
    pub resource_attributes: Option<String>,
}

impl OtelEnvironment {
    /// The variables of this process.
    pub fn from_process() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The variables as `lookup` reports them.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        OtelEnvironment {
            exporter_endpoint: non_empty("OTEL_EXPORTER_OTLP_ENDPOINT"),
            service_name: non_empty("OTEL_SERVICE_NAME"),
            traces_sampler: non_empty("OTEL_TRACES_SAMPLER"),
            traces_sampler_arg: non_empty("OTEL_TRACES_SAMPLER_ARG"),
            resource_attributes: non_empty("OTEL_RESOURCE_ATTRIBUTES"),
        }
    }

    /// The sampler `OTEL_TRACES_SAMPLER` names; unknown names fall back to the default.
    pub fn sampler(&self) -> Sampler {
        let ratio = self
            .traces_sampler_arg
            .as_deref()
            .and_then(|argument| argument.trim().parse::<f64>().ok())
            .unwrap_or(1.0);
        match self.traces_sampler.as_deref().map(str::trim) {
            Some("always_on") => Sampler::AlwaysOn,
            Some("always_off") => Sampler::AlwaysOff,
            Some("traceidratio") => Sampler::TraceIdRatioBased(ratio),
            Some("parentbased_always_off") => Sampler::ParentBased(Box::new(Sampler::AlwaysOff)),
            Some("parentbased_traceidratio") => {
                Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(ratio)))
            }
            _ => Sampler::ParentBased(Box::new(Sampler::AlwaysOn)),
        }
    }

    /// The pairs of `OTEL_RESOURCE_ATTRIBUTES`; malformed pairs are skipped.
    pub fn resource_attributes(&self) -> Vec<KeyValue> {
        self.resource_attributes
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (key.trim(), value.trim()))
            .filter(|(key, _)| !key.is_empty())
            .map(|(key, value)| KeyValue::new(key.to_owned(), value.to_owned()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn environment(pairs: &[(&str, &str)]) -> OtelEnvironment {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        OtelEnvironment::from_lookup(|name| {
            owned
                .iter()
                .find(|(candidate, _)| candidate == name)
                .map(|(_, value)| value.clone())
        })
    }

    #[test]
    fn resource_attributes_are_parsed_and_malformed_pairs_skipped() {
        let parsed = environment(&[(
            "OTEL_RESOURCE_ATTRIBUTES",
            "deployment.environment=staging, team = media ,broken,=nokey",
        )])
        .resource_attributes();
        assert_eq!(
            parsed,
            vec![
                KeyValue::new("deployment.environment", "staging"),
                KeyValue::new("team", "media"),
            ]
        );
    }

    #[test]
    fn samplers_follow_their_standard_names() {
        let ratio = environment(&[
            ("OTEL_TRACES_SAMPLER", "traceidratio"),
            ("OTEL_TRACES_SAMPLER_ARG", "0.25"),
        ]);
        assert!(matches!(ratio.sampler(), Sampler::TraceIdRatioBased(value) if value == 0.25));
        let off = environment(&[("OTEL_TRACES_SAMPLER", "always_off")]);
        assert!(matches!(off.sampler(), Sampler::AlwaysOff));
        assert!(matches!(
            environment(&[]).sampler(),
            Sampler::ParentBased(_)
        ));
    }

    #[test]
    fn blank_variables_count_as_unset() {
        let blank = environment(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "  ")]);
        assert_eq!(blank.exporter_endpoint, None);
    }
}
