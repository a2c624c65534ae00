//! The monitor's verdicts: required, optional and draining.

use super::{Dependency, HealthMonitor, HealthSettings, Requirement};

fn monitor_of(required_up: bool, optional_up: bool) -> HealthMonitor {
    let outcome =
        |up: bool| move || async move { if up { Ok(()) } else { Err("down".to_owned()) } };
    HealthMonitor::new(
        HealthSettings::default(),
        vec![
            Dependency::new("database", Requirement::Required, outcome(required_up)),
            Dependency::new("redis", Requirement::Optional, outcome(optional_up)),
        ],
    )
}

#[tokio::test]
async fn an_optional_dependency_down_degrades_but_stays_ready() {
    let report = monitor_of(true, false).report().await;

    assert_eq!(report.status, "degraded");
    assert!(report.is_ready());
}

#[tokio::test]
async fn a_required_dependency_down_makes_the_process_unready() {
    let report = monitor_of(false, true).report().await;

    assert_eq!(report.status, "unavailable");
    assert!(!report.is_ready());
    assert_eq!(report.checks[0].error.as_deref(), Some("down"));
}

#[tokio::test]
async fn draining_fails_readiness_and_grpc_health_at_once() {
    let monitor = monitor_of(true, true);
    monitor
        .track_services(&["kensho.catalog.v1.CatalogService"])
        .await;
    assert!(monitor.report().await.is_ready());

    monitor.begin_drain().await;

    assert_eq!(monitor.report().await.status, "draining");
    let reporter = monitor.readiness().reporter();
    let service = tonic_health::server::HealthService::from_health_reporter(reporter);
    let answer = tonic_health::pb::health_server::Health::check(
        &service,
        tonic::Request::new(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        }),
    )
    .await
    .expect("the overall status is known");
    assert_eq!(
        answer.into_inner().status(),
        tonic_health::pb::health_check_response::ServingStatus::NotServing
    );
}
