//! The docs page at `/api/docs` renders with no network beyond the gateway: headless Chromium
//! (Debian `chromium`; `.ci/run` installs it) loads it with every other host unresolvable and
//! every other connection sent to a dead proxy, and the rendered page lists the operations.
//! A screenshot is kept under `target/artifacts/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::helpers::spawn_gateway_with;

const CHROMIUM: &str = "chromium";

/// Flags that keep Chromium headless, quiet and off every network but loopback.
fn offline_flags(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        // Port 9 (discard) has no listener: anything not bypassed fails at once.
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
        "--virtual-time-budget=10000",
        "--window-size=1280,2000",
    ]
    .iter()
    .map(|flag| (*flag).to_owned())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

fn run_chromium(profile: &Path, extra: &[String], url: &str) -> Output {
    Command::new(CHROMIUM)
        .args(offline_flags(profile))
        .args(extra)
        .arg(url)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "`{CHROMIUM}` could not be started ({error}). This test renders the docs page in \
                 headless Chromium: install it with `apt-get install -y chromium` (CI installs it \
                 in .ci/run)"
            )
        })
}

fn artifacts_directory() -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the temporary directory is inside the target directory")
        .join("artifacts");
    std::fs::create_dir_all(&directory).expect("create target/artifacts");
    directory
}

#[tokio::test]
async fn the_docs_page_lists_the_operations_in_headless_chromium_with_no_network() {
    let app = spawn_gateway_with(|_| {}).await;
    let url = format!("{}/api/docs/", app.address);
    let profile = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("chromium-profile-{}", uuid::Uuid::new_v4()));
    let screenshot = artifacts_directory().join("api-docs.png");

    let (dom, shot) = tokio::task::spawn_blocking(move || {
        let dom = run_chromium(&profile, &["--dump-dom".to_owned()], &url);
        let shot = run_chromium(
            &profile,
            &[format!("--screenshot={}", screenshot.display())],
            &url,
        );
        let _ = std::fs::remove_dir_all(&profile);
        (dom, shot)
    })
    .await
    .expect("chromium runs");

    let page = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    for operation in ["/api/v1/search", "/api/v1/anime/{id}", "/api/v1/auth/login"] {
        assert!(
            page.contains(&format!("data-path=\"{operation}\"")),
            "the rendered docs page does not list {operation}:\n{page}"
        );
    }
    assert!(
        shot.status.success(),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let screenshot = artifacts_directory().join("api-docs.png");
    let size = std::fs::metadata(&screenshot)
        .map(|file| file.len())
        .unwrap_or(0);
    assert!(
        size > 10_000,
        "the screenshot {} is empty",
        screenshot.display()
    );
}
