//! The all-in-one binary as an operator runs it: a member that cannot run stops the whole process
//! with a non-zero exit and a message naming it; SIGTERM drains every member and exits cleanly,
//! reporting not-ready first and losing none of a stream of requests; the embedded stores it
//! creates are owner-only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

/// What became of one request sent around a shutdown.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Answered with the given status line.
    Answered(String),
    /// Refused before the server accepted it: no connection, or closed before any response
    /// byte (the request never reached a handler).
    Refused,
    /// Cut off mid-response.
    Lost(String),
}

/// One `GET path` on a fresh connection to 127.0.0.1:`port`.
fn request_once(port: u16, path: &str) -> Outcome {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return Outcome::Refused;
    };
    let _ = stream.set_read_timeout(Some(PROCESS_WAIT));
    let request = format!("GET {path} HTTP/1.1\r\nHost: kensho\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return Outcome::Refused;
    }
    let mut response = Vec::new();
    let read = stream.read_to_end(&mut response);
    if response.is_empty() {
        return Outcome::Refused;
    }
    let text = String::from_utf8_lossy(&response).into_owned();
    let status_line = text.lines().next().unwrap_or_default().to_owned();
    match read {
        Ok(_) if text.contains("\r\n\r\n") => Outcome::Answered(status_line),
        _ => Outcome::Lost(text),
    }
}

/// The gateway's port, read from the startup banner on `lines`.
fn gateway_port(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> u16 {
    let mut port = None;
    for line in lines.by_ref() {
        let line = line.expect("stdout is text");
        if let Some(address) = line.trim().strip_prefix("gateway") {
            port = address
                .trim()
                .trim_end_matches("/api/v1")
                .rsplit(':')
                .next()
                .and_then(|port| port.parse().ok());
        }
        if line.contains("press Ctrl-C to stop") {
            break;
        }
    }
    port.expect("the gateway's address is printed")
}

#[test]
fn sigterm_during_a_stream_of_requests_loses_none_and_readiness_fails_first() {
    // Arrange
    let data_dir = TempDir::new();
    let mut child = all_in_one(&data_dir)
        .env("KENSHO_GATEWAY__HEALTH__PRE_STOP_DELAY_MS", "500")
        .env("KENSHO_GATEWAY__RATE_LIMIT__ENABLED", "false")
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let port = gateway_port(&mut lines);
    let signalled = Arc::new(AtomicBool::new(false));
    let answered_before_signal = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = (0..4)
        .map(|_| {
            let signalled = Arc::clone(&signalled);
            let answered_before_signal = Arc::clone(&answered_before_signal);
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                loop {
                    let after_signal = signalled.load(Ordering::SeqCst);
                    let outcome = request_once(port, "/api/v1/tags?limit=5");
                    let refused = outcome == Outcome::Refused;
                    if !after_signal {
                        answered_before_signal.fetch_add(1, Ordering::SeqCst);
                    }
                    outcomes.push((after_signal, outcome));
                    if refused && after_signal {
                        return outcomes;
                    }
                }
            })
        })
        .collect();
    let warm_up_deadline = std::time::Instant::now() + PROCESS_WAIT;
    while answered_before_signal.load(Ordering::SeqCst) < 20 {
        assert!(
            std::time::Instant::now() < warm_up_deadline,
            "no requests answered"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    // Act
    signalled.store(true, Ordering::SeqCst);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    let readiness_after_signal = loop {
        match request_once(port, "/health/ready") {
            Outcome::Answered(status_line) if status_line.contains(" 200 ") => continue,
            other => break other,
        }
    };
    let outcomes: Vec<(bool, Outcome)> = senders
        .into_iter()
        .flat_map(|sender| sender.join().expect("a sender finishes"))
        .collect();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let output = wait_with_deadline(child);

    // Assert
    assert!(killed.success());
    assert!(output.status.success(), "{output:?}");
    assert!(rest.iter().any(|line| line == "kensho stopped"), "{rest:?}");
    let lost: Vec<_> = outcomes
        .iter()
        .filter(|(_, outcome)| {
            !matches!(outcome, Outcome::Refused)
                && !matches!(outcome, Outcome::Answered(status) if status.contains(" 200 "))
        })
        .collect();
    assert!(lost.is_empty(), "lost or failed: {lost:?}");
    let answered_after_signal = outcomes
        .iter()
        .filter(|(after_signal, outcome)| *after_signal && *outcome != Outcome::Refused)
        .count();
    assert!(
        answered_after_signal > 0,
        "the pre-stop delay keeps serving"
    );
    assert!(
        matches!(&readiness_after_signal, Outcome::Answered(status) if status.contains(" 503 ")),
        "readiness fails while requests are still served: {readiness_after_signal:?}"
    );
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
