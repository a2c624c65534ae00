//! No password or token ever reaches a log line, at any level.

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kensho_auth::crypto::TokenCipher;
use kensho_auth::settings::EncryptionKeySettings;
use kensho_kit::Secret;
use tracing_subscriber::fmt::MakeWriter;

use crate::helpers::{PREMIUM, spawn_app_with, use_redis};

/// Every formatted log line, shared between the subscriber and the test.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for CapturedLogs {
    type Writer = CapturedLogs;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// The Crunchyroll tokens a session holds, read from Redis and decrypted with the test key.
async fn stored_crunchyroll_tokens(app: &crate::helpers::TestApp, session_id: &str) -> Vec<String> {
    let client = redis::Client::open(kensho_test_support::test_redis_url()).expect("redis url");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis answers");
    let session_key = format!(
        "{}session:{session_id}",
        app.settings.store.redis_key_prefix
    );
    let sealed: String = redis::cmd("HGET")
        .arg(&session_key)
        .arg("upstream")
        .query_async(&mut connection)
        .await
        .expect("the session is stored");
    assert!(
        !sealed.contains("eyJ"),
        "crunchyroll tokens are stored encrypted"
    );
    let cipher = TokenCipher::from_settings(&[EncryptionKeySettings {
        kid: "enc-1".to_owned(),
        key: Secret::new(STANDARD.encode([22_u8; 32])),
    }])
    .expect("valid")
    .expect("configured");
    let plaintext = cipher.decrypt(&sealed, session_id).expect("decrypts");
    let json: serde_json::Value = serde_json::from_slice(&plaintext).expect("json");
    vec![
        json["access_token"].as_str().expect("access").to_owned(),
        json["refresh_token"].as_str().expect("refresh").to_owned(),
    ]
}

#[tokio::test]
async fn no_password_or_token_appears_in_any_log_line() {
    let logs = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    // The test runtime is single-threaded, so every task of the service logs through this.
    // Redis, not SQLite: SQLite runs its connections on threads of their own.
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = spawn_app_with(|settings| {
        use_redis(settings);
        settings.sim.access_token_ttl_seconds = 1;
    })
    .await;

    let _ = app.login(PREMIUM.0, "a-wrong-password").await;
    let first = app.login_premium().await;
    let session_id = app.introspect(&first.access_token).await.session_id;
    let upstream = app
        .upstream_token(&session_id)
        .await
        .expect("upstream token");
    let second = app.refresh(&first.refresh_token).await.expect("refresh");
    let _ = app.refresh(&first.refresh_token).await;
    let third = app.login_premium().await;
    let third_session_id = app.introspect(&third.access_token).await.session_id;
    app.upstream_token(&third_session_id)
        .await
        .expect("upstream token");
    let crunchyroll_tokens = stored_crunchyroll_tokens(&app, &third_session_id).await;
    app.logout(&third.refresh_token).await;

    let captured = logs.text();
    assert!(captured.contains("session opened"), "logs were captured");
    let mut secrets = vec![
        PREMIUM.1.to_owned(),
        "a-wrong-password".to_owned(),
        first.access_token,
        first.refresh_token,
        second.access_token,
        second.refresh_token,
        third.access_token,
        third.refresh_token,
        upstream.access_token,
    ];
    secrets.extend(crunchyroll_tokens);
    for secret in &secrets {
        assert!(!secret.is_empty());
        assert!(
            !captured.contains(secret.as_str()),
            "a secret appeared in the logs"
        );
    }
}
