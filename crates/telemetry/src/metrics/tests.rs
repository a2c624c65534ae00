use super::*;

#[test]
fn each_scope_records_into_its_own_registry_with_its_service_label() {
    let catalog = ServiceMetrics::new("catalog-svc");
    let auth = ServiceMetrics::new("auth-svc");

    catalog.in_scope(|| metrics::counter!("scope_test_total").increment(2));
    auth.in_scope(|| metrics::counter!("scope_test_total").increment(5));

    assert!(
        catalog
            .render()
            .contains("scope_test_total{service=\"catalog-svc\"} 2")
    );
    assert!(
        auth.render()
            .contains("scope_test_total{service=\"auth-svc\"} 5")
    );
}

#[test]
fn a_handle_resolved_in_a_scope_keeps_recording_there_outside_it() {
    let gateway = ServiceMetrics::new("gateway");
    let counter = gateway.in_scope(|| metrics::counter!("handle_test_total"));

    counter.increment(3);

    assert!(
        gateway
            .render()
            .contains("handle_test_total{service=\"gateway\"} 3")
    );
}

#[tokio::test]
async fn a_scoped_future_and_what_it_spawns_in_scope_record_into_the_registry() {
    let stream = ServiceMetrics::new("stream-svc");

    stream
        .scope(async {
            metrics::counter!("future_test_total").increment(1);
            tokio::task::yield_now().await;
            let spawned = tokio::spawn(in_current_scope(async {
                metrics::counter!("future_test_total").increment(1);
            }));
            spawned.await.expect("the spawned task finishes");
        })
        .await;

    assert!(
        stream
            .render()
            .contains("future_test_total{service=\"stream-svc\"} 2")
    );
}

#[test]
fn durations_are_bucketed_by_the_architecture_buckets() {
    let gateway = ServiceMetrics::new("gateway");

    gateway.in_scope(|| metrics::histogram!("bucket_test_duration_seconds").record(0.007));

    let rendered = gateway.render();
    assert!(
        rendered
            .contains("bucket_test_duration_seconds_bucket{service=\"gateway\",le=\"0.005\"} 0")
    );
    assert!(
        rendered.contains("bucket_test_duration_seconds_bucket{service=\"gateway\",le=\"0.01\"} 1")
    );
}

#[test]
fn samplers_run_before_each_render() {
    let catalog = ServiceMetrics::new("catalog-svc");
    catalog.add_sampler(|| metrics::gauge!("sampled_test").set(7.0));

    assert!(
        catalog
            .render()
            .contains("sampled_test{service=\"catalog-svc\"} 7")
    );
}
