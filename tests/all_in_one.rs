//! The all-in-one binary as an operator runs it: a member that cannot run stops the whole process
//! with a non-zero exit and a message naming it; SIGTERM drains every member and exits cleanly;
//! the embedded stores it creates are owner-only.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use kensho_test_support::TempDir;

/// How long the binary may take to start or stop before the test gives up on it.
const PROCESS_WAIT: Duration = Duration::from_secs(60);

/// The all-in-one with every port free and embedded storage in `data_dir`.
fn all_in_one(data_dir: &TempDir) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kensho"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("KENSHO_DATA_DIR", data_dir.path())
        .env("KENSHO_GATEWAY__PORT", "0")
        .env("KENSHO_CATALOG__PORT", "0")
        .env("KENSHO_AUTH__PORT", "0")
        .env("KENSHO_STREAM__PORT", "0")
        .env("KENSHO_SIMULATOR__PORT", "0")
        .env("KENSHO_CATALOG__SYNC__ON_START", "false")
        .env("KENSHO_TELEMETRY__LOG_FORMAT", "text")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits (bounded) for the process to exit and collects its output.
fn wait_with_deadline(child: std::process::Child) -> Output {
    let (sender, receiver) = std::sync::mpsc::channel();
    let pid = child.id();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    match receiver.recv_timeout(PROCESS_WAIT) {
        Ok(output) => output.expect("the process output is read"),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("the all-in-one did not exit within {PROCESS_WAIT:?}");
        }
    }
}

#[test]
fn a_member_that_cannot_start_stops_the_process_with_its_name() {
    let data_dir = TempDir::new();
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port to hold");
    let taken_port = taken.local_addr().expect("an address").port();

    let child = all_in_one(&data_dir)
        .env("KENSHO_STREAM__PORT", taken_port.to_string())
        .spawn()
        .expect("the binary starts");
    let output = wait_with_deadline(child);

    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("stream-svc cannot start"),
        "the message names the member: {stderr}"
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("kensho is running"),
        "{output:?}"
    );
}

#[test]
fn sigterm_drains_every_member_and_exits_cleanly() {
    let data_dir = TempDir::new();
    let mut child = all_in_one(&data_dir).spawn().expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut gateway_line = None;
    for line in lines.by_ref() {
        let line = line.expect("stdout is text");
        if line.contains("gateway ") {
            gateway_line = Some(line.clone());
        }
        if line.contains("press Ctrl-C to stop") {
            break;
        }
    }
    assert!(gateway_line.is_some(), "the gateway's address is printed");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let output = wait_with_deadline(child);

    assert!(output.status.success(), "{output:?}");
    assert!(rest.iter().any(|line| line == "kensho stopped"), "{rest:?}");
    assert_owner_only(&data_dir);
}

/// The embedded stores and keys the run created are readable by their owner only.
#[cfg(unix)]
fn assert_owner_only(data_dir: &TempDir) {
    use std::os::unix::fs::PermissionsExt;
    for file in ["catalog.db", "auth.sqlite", "auth-keys.json"] {
        let path = data_dir.path().join(file);
        let mode = std::fs::metadata(&path)
            .unwrap_or_else(|error| panic!("{} exists: {error}", path.display()))
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{file} is open to others: {mode:o}");
    }
}

#[cfg(not(unix))]
fn assert_owner_only(_data_dir: &TempDir) {}
