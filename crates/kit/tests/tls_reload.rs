//! The TLS material of `internal.tls` follows its files: a rotation is read within the reload
//! interval and announced to channels, and a rotation that does not parse leaves the previous
//! material in use.

use std::sync::Arc;
use std::time::Duration;

use kensho_kit::grpc::TlsMaterial;
use kensho_test_support::tls::{TestCa, TlsFiles};

#[tokio::test]
async fn a_rotation_is_read_and_announced() {
    let ca = TestCa::new("kensho test CA");
    let files = TlsFiles::new("gateway", &ca, &ca);
    let material = TlsMaterial::load(&files.settings()).expect("the files load");
    let before = material.server_config();
    let mut generations = material.generations();

    files.rotate("gateway", &ca, &ca);

    tokio::time::timeout(Duration::from_secs(10), generations.changed())
        .await
        .expect("the rotation is announced within the deadline")
        .expect("the material is alive");
    assert!(!Arc::ptr_eq(&before, &material.server_config()));
}

#[tokio::test]
async fn a_rotation_that_does_not_parse_keeps_the_previous_material() {
    let ca = TestCa::new("kensho test CA");
    let files = TlsFiles::new("gateway", &ca, &ca);
    let mut settings = files.settings();
    // Only explicit reloads in this test.
    settings.reload_interval_ms = 3_600_000;
    let material = TlsMaterial::load(&settings).expect("the files load");
    let before = material.server_config();

    std::fs::write(&settings.cert_file, "not a certificate").expect("the file is written");

    assert!(!material.reload_if_changed());
    assert!(Arc::ptr_eq(&before, &material.server_config()));
}

#[test]
fn a_missing_file_is_named_at_load() {
    let ca = TestCa::new("kensho test CA");
    let files = TlsFiles::new("gateway", &ca, &ca);
    let mut settings = files.settings();
    settings.ca_file = settings.ca_file.with_file_name("absent.pem");

    let error = TlsMaterial::load(&settings).expect_err("a missing CA file is refused");

    assert!(error.to_string().contains("absent.pem"), "{error}");
}
