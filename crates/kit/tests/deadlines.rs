//! The client and server layers over real sockets: a relay service calls a recorder service
//! through `kensho_kit::grpc::channel` while handling a call, and the recorder reports the
//! deadline and request id that reached it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kensho_kit::grpc::context::{GRPC_TIMEOUT_HEADER, parse_grpc_timeout};
use kensho_kit::grpc::incoming::IncomingLayer;
use kensho_kit::grpc::{CallContext, ClientSettings, GrpcChannel, REQUEST_ID_HEADER, channel};
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::{Request, Response, Status};
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::health_server::{Health, HealthServer};
use tonic_health::pb::{HealthCheckRequest, HealthCheckResponse};

/// What reached the recorder: the deadline it was given and the request id.
#[derive(Clone, Debug)]
struct Received {
    timeout: Option<Duration>,
    request_id: Option<String>,
}

#[derive(Clone, Default)]
struct Recorder {
    received: Arc<Mutex<Vec<Received>>>,
}

#[tonic::async_trait]
impl Health for Recorder {
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        let metadata = request.metadata();
        let text = |key: &str| {
            metadata
                .get(key)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        self.received.lock().unwrap().push(Received {
            timeout: text(GRPC_TIMEOUT_HEADER)
                .as_deref()
                .and_then(parse_grpc_timeout),
            request_id: text(REQUEST_ID_HEADER),
        });
        Ok(Response::new(HealthCheckResponse { status: 1 }))
    }

    type WatchStream = tokio_stream::Empty<Result<HealthCheckResponse, Status>>;

    async fn watch(
        &self,
        _request: Request<HealthCheckRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        Err(Status::unimplemented("watch"))
    }
}

/// Calls the recorder while handling each call.
#[derive(Clone)]
struct Relay {
    recorder: HealthClient<GrpcChannel>,
}

#[tonic::async_trait]
impl Health for Relay {
    async fn check(
        &self,
        request: Request<HealthCheckRequest>,
    ) -> Result<Response<HealthCheckResponse>, Status> {
        self.recorder.clone().check(request.into_inner()).await
    }

    type WatchStream = tokio_stream::Empty<Result<HealthCheckResponse, Status>>;

    async fn watch(
        &self,
        _request: Request<HealthCheckRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        Err(Status::unimplemented("watch"))
    }
}

async fn serve(service: impl Health) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("an address");
    let server = tonic::transport::Server::builder()
        .layer(IncomingLayer)
        .add_service(HealthServer::new(service))
        .serve_with_incoming(TcpListenerStream::new(listener));
    tokio::spawn(server);
    address
}

struct Hops {
    relay: HealthClient<tonic::transport::Channel>,
    recorder: Recorder,
}

/// A recorder, and a relay in front of it whose per-hop limit is `call_timeout`.
async fn hops(call_timeout: Duration) -> Hops {
    let recorder = Recorder::default();
    let recorder_address = serve(recorder.clone()).await;
    let settings = ClientSettings {
        call_timeout_ms: u64::try_from(call_timeout.as_millis()).unwrap(),
        ..ClientSettings::default()
    };
    let recorder_channel =
        channel(&format!("http://{recorder_address}"), &settings, None, None).expect("a valid url");
    let relay_address = serve(Relay {
        recorder: HealthClient::new(recorder_channel),
    })
    .await;
    let relay_channel = tonic::transport::Endpoint::from_shared(format!("http://{relay_address}"))
        .expect("a valid url")
        .connect()
        .await
        .expect("the relay answers");
    let relay = HealthClient::new(relay_channel);
    Hops { relay, recorder }
}

fn check_request(
    timeout: Option<Duration>,
    request_id: Option<&str>,
) -> Request<HealthCheckRequest> {
    let mut request = Request::new(HealthCheckRequest::default());
    if let Some(timeout) = timeout {
        request.set_timeout(timeout);
    }
    if let Some(request_id) = request_id {
        request
            .metadata_mut()
            .insert(REQUEST_ID_HEADER, request_id.parse().unwrap());
    }
    request
}

#[tokio::test]
async fn the_next_hop_gets_what_remains_of_the_callers_budget() {
    let mut hops = hops(Duration::from_secs(10)).await;
    let budget = Duration::from_millis(800);

    let started = Instant::now();
    hops.relay
        .check(check_request(Some(budget), Some("req-shrink")))
        .await
        .expect("the relay answers");
    let elapsed = started.elapsed();

    let received = hops.recorder.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let timeout = received[0].timeout.expect("the hop carries a deadline");
    assert!(
        timeout <= budget,
        "{timeout:?} is more than the caller's {budget:?}"
    );
    assert!(
        timeout >= budget.saturating_sub(elapsed),
        "{timeout:?} lost more than the {elapsed:?} the call took"
    );
    assert_eq!(received[0].request_id.as_deref(), Some("req-shrink"));
}

#[tokio::test]
async fn the_next_hop_never_gets_more_than_the_per_hop_limit() {
    let mut hops = hops(Duration::from_millis(1_500)).await;

    hops.relay
        .check(check_request(Some(Duration::from_secs(30)), None))
        .await
        .expect("the relay answers");
    hops.relay
        .check(check_request(None, None))
        .await
        .expect("the relay answers");

    let received = hops.recorder.received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    for hop in received {
        let timeout = hop.timeout.expect("the hop carries a deadline");
        assert!(timeout <= Duration::from_millis(1_500), "{timeout:?}");
        assert!(timeout > Duration::from_millis(1_000), "{timeout:?}");
        assert_eq!(hop.request_id, None);
    }
}

#[tokio::test]
async fn a_call_after_the_callers_deadline_fails_without_reaching_the_next_hop() {
    let recorder = Recorder::default();
    let recorder_address = serve(recorder.clone()).await;
    let recorder_channel = channel(
        &format!("http://{recorder_address}"),
        &ClientSettings::default(),
        None,
        None,
    )
    .expect("a valid url");
    let spent = CallContext {
        request_id: None,
        deadline: Some(Instant::now()),
    };

    let status = spent
        .scope(HealthClient::new(recorder_channel).check(HealthCheckRequest::default()))
        .await
        .expect_err("the budget is spent");

    assert_eq!(status.code(), tonic::Code::DeadlineExceeded, "{status:?}");
    assert!(recorder.received.lock().unwrap().is_empty());
}
