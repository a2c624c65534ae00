//! `spawn_app()`: the all-in-one cluster (stream-svc with the Crunchyroll simulator, auth-svc and
//! catalog-svc) on free ports, torn down when the handle drops; plus logins and a catalog sync on
//! demand. auth-svc signs with a known test key, so tests can sign tokens too.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_auth::SigningKeySettings;
use kensho_cluster::testing::TestCluster;
use kensho_crunchyroll_sim::SimControl;
use kensho_kit::Secret;
use kensho_kit::grpc::GrpcChannel;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::auth::v1::{IntrospectRequest, LoginRequest, LogoutRequest};
use kensho_proto::catalog::v1::SearchAnimeRequest;
use kensho_proto::catalog::v1::catalog_admin_service_client::CatalogAdminServiceClient;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::stream::v1 as pb;
use kensho_proto::stream::v1::stream_service_client::StreamServiceClient;
use kensho_stream::StreamSettings;
use kensho_test_support::simulator::play_service_outage;
use kensho_test_support::tokens::{Claims, TokenSettings, TokenSigner};

pub use kensho_test_support::{FREE, PREMIUM};

/// A logged-in user: the access token the gateway would pass on, and who auth-svc says it is.
#[derive(Clone, Debug)]
pub struct User {
    pub access_token: String,
    pub refresh_token: String,
    pub subject: String,
    pub session_id: String,
}

impl User {
    /// A caller holding `access_token` and nothing else (a forged, expired or made-up token).
    pub fn holding(access_token: String) -> User {
        User {
            access_token,
            refresh_token: String::new(),
            subject: String::new(),
            session_id: String::new(),
        }
    }
}

/// Claims as auth-svc would issue them for `subject` and `session_id`, valid for five minutes
/// from now, or expired `-lifetime_seconds` ago when negative.
pub fn claims_for(subject: &str, session_id: &str, lifetime_seconds: i64) -> Claims {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let now = i64::try_from(now).expect("a representable time");
    let issued_at = now.min(now + lifetime_seconds) - 60;
    Claims::issue(
        &TokenSettings::default(),
        subject,
        session_id,
        issued_at,
        now + lifetime_seconds - issued_at,
    )
}

/// stream-svc and everything it talks to.
pub struct TestApp {
    pub stream: StreamServiceClient<GrpcChannel>,
    pub catalog: CatalogServiceClient<GrpcChannel>,
    pub catalog_admin: CatalogAdminServiceClient<GrpcChannel>,
    pub auth: AuthServiceClient<GrpcChannel>,
    pub simulator: SimControl,
    pub http: reqwest::Client,
    _cluster: TestCluster,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The key auth-svc signs with in these tests, so a test can sign (expired) tokens of its own.
pub fn cluster_signer() -> TokenSigner {
    TokenSigner::new(TEST_SIGNING_KID, TEST_SIGNING_SEED)
}

const TEST_SIGNING_KID: &str = "test-1";
const TEST_SIGNING_SEED: [u8; 32] = [11; 32];

pub async fn spawn_app_with(adjust_stream: impl FnOnce(&mut StreamSettings)) -> TestApp {
    let cluster = TestCluster::start(|config| {
        config.auth.signing_keys = vec![SigningKeySettings {
            kid: TEST_SIGNING_KID.to_owned(),
            private_key: Secret::new(STANDARD.encode(TEST_SIGNING_SEED)),
        }];
        adjust_stream(&mut config.stream);
    })
    .await;
    let addresses = cluster.addresses.clone();
    TestApp {
        stream: StreamServiceClient::new(cluster.channel(addresses.stream)),
        catalog: CatalogServiceClient::new(cluster.channel(addresses.catalog)),
        catalog_admin: CatalogAdminServiceClient::new(cluster.admin_channel()),
        auth: AuthServiceClient::new(cluster.channel(addresses.auth)),
        simulator: cluster.simulator.clone(),
        http: reqwest::Client::new(),
        _cluster: cluster,
    }
}

impl TestApp {
    /// Logs in with `(username, password)`; the tokens, and the account auth-svc names.
    pub async fn login(&self, account: (&str, &str)) -> User {
        let tokens = self
            .auth
            .clone()
            .login(LoginRequest {
                username: account.0.to_owned(),
                password: account.1.to_owned(),
                client_address: String::new(),
            })
            .await
            .expect("login succeeds")
            .into_inner();
        let identity = self
            .auth
            .clone()
            .introspect(IntrospectRequest {
                access_token: tokens.access_token.clone(),
            })
            .await
            .expect("introspection answers")
            .into_inner();
        assert!(identity.active);
        User {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            subject: identity.subject,
            session_id: identity.session_id,
        }
    }

    /// The Crunchyroll id of an episode of a season in the simulator's catalog.
    pub fn episode_id(&self, season_title: &str, episode_number: u32) -> String {
        self.simulator
            .catalog()
            .episode_by_number(season_title, episode_number)
            .expect("the simulator has the episode")
            .id
    }

    /// GetStream of a Crunchyroll episode id.
    pub async fn stream_of(
        &self,
        user: &User,
        episode_id: &str,
    ) -> Result<pb::GetStreamResponse, tonic::Status> {
        self.get_stream(
            user,
            pb::get_stream_request::Episode::EpisodeId(episode_id.to_owned()),
        )
        .await
    }

    /// GetStream of an episode number of a Kensho anime.
    pub async fn stream_by_number(
        &self,
        user: &User,
        anime_id: &str,
        episode_number: u32,
    ) -> Result<pb::GetStreamResponse, tonic::Status> {
        self.get_stream(
            user,
            pb::get_stream_request::Episode::ByNumber(pb::EpisodeByNumber {
                anime_id: anime_id.to_owned(),
                episode_number,
            }),
        )
        .await
    }

    async fn get_stream(
        &self,
        user: &User,
        episode: pb::get_stream_request::Episode,
    ) -> Result<pb::GetStreamResponse, tonic::Status> {
        self.stream
            .clone()
            .get_stream(pb::GetStreamRequest {
                episode: Some(episode),
                access_token: user.access_token.clone(),
            })
            .await
            .map(tonic::Response::into_inner)
    }

    /// ReleaseStream of a stream token.
    pub async fn release(&self, user: &User, stream_token: &str) -> Result<(), tonic::Status> {
        self.stream
            .clone()
            .release_stream(pb::ReleaseStreamRequest {
                stream_token: stream_token.to_owned(),
                access_token: user.access_token.clone(),
            })
            .await
            .map(|_| ())
    }

    /// Ends the user's session.
    pub async fn logout(&self, user: &User) {
        self.auth
            .clone()
            .logout(LogoutRequest {
                refresh_token: user.refresh_token.clone(),
            })
            .await
            .expect("logout succeeds");
    }

    /// Runs a Crunchyroll sync of the catalog and waits (bounded) until it completes.
    pub async fn sync_catalog(&self) {
        kensho_test_support::run_catalog_sync(&mut self.catalog_admin.clone()).await;
    }

    /// The Kensho id of the first search hit for `query`.
    pub async fn anime_id(&self, query: &str) -> String {
        self.catalog
            .clone()
            .search_anime(SearchAnimeRequest {
                query: query.to_owned(),
                limit: Some(1),
                ..SearchAnimeRequest::default()
            })
            .await
            .expect("search answers")
            .into_inner()
            .hits
            .into_iter()
            .next()
            .and_then(|hit| hit.anime)
            .expect("a hit")
            .id
    }

    /// Makes every play-service request answer 503.
    pub fn crunchyroll_outage(&self) {
        self.simulator
            .set_faults(play_service_outage())
            .expect("a valid plan");
    }
}
