//! What the private PostgreSQL and Redis of a test run have in common: a free port, a scratch
//! directory, finding a program, a bounded wait for the server to answer, and the end of its log
//! for error messages.

use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a freshly started server may take to answer, and to stop.
pub const SERVER_WAIT_LIMIT: Duration = Duration::from_secs(30);
/// Attempts to start a server, each on a fresh port: a port found free may be taken by another
/// process before the server binds it.
pub const START_ATTEMPTS: u32 = 2;
/// Pause between two looks at a server that is starting or stopping.
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// Lines of a server's log quoted when it fails.
const LOG_TAIL_LINES: usize = 15;

/// A port on 127.0.0.1 that nothing listens on at this moment.
pub fn pick_free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Calls `attempt` until it yields a value or `limit` has passed, so a wait ends as soon as its
/// condition holds and never hangs.
pub fn poll_until<T>(limit: Duration, mut attempt: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = attempt() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

/// A new directory only this process uses, in the system's temporary directory (short paths,
/// which Unix sockets need), named after the server; removed when dropped.
pub fn scratch_directory(server: &str) -> std::io::Result<TempDir> {
    tempfile::Builder::new()
        .prefix(&format!("kensho-xtask-{server}-"))
        .tempdir()
}

/// The directories of `PATH`, in order.
pub fn path_directories() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default()
}

/// Whether `directory` holds an executable file called `name`.
pub fn has_program(directory: &Path, name: &str) -> bool {
    std::fs::metadata(directory.join(name))
        .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

/// The last lines of a server's log, indented, for an error message.
pub fn log_tail(log: &Path) -> String {
    let Ok(contents) = std::fs::read_to_string(log) else {
        return format!("    (no log at {})", log.display());
    };
    let lines: Vec<&str> = contents.lines().collect();
    let first_kept = lines.len().saturating_sub(LOG_TAIL_LINES);
    lines[first_kept..]
        .iter()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;

    #[test]
    fn a_picked_port_can_be_bound_on_localhost() {
        let port = pick_free_port().expect("pick a port");

        assert_ne!(port, 0);
        TcpListener::bind((Ipv4Addr::LOCALHOST, port)).expect("bind the picked port");
    }

    #[test]
    fn polling_stops_at_the_first_answer() {
        let mut attempts = 0;

        let answer = poll_until(Duration::from_secs(5), || {
            attempts += 1;
            (attempts == 3).then_some("ready")
        });

        assert_eq!(answer, Some("ready"));
        assert_eq!(attempts, 3);
    }

    #[test]
    fn polling_gives_up_after_the_limit() {
        let started = Instant::now();

        let answer: Option<()> = poll_until(Duration::from_millis(120), || None);

        assert_eq!(answer, None);
        assert!(started.elapsed() >= Duration::from_millis(120));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn only_executable_files_count_as_programs() {
        let directory = tempfile::tempdir().expect("temporary directory");
        std::fs::write(directory.path().join("tool"), "").expect("write tool");
        std::fs::write(directory.path().join("notes"), "").expect("write notes");
        std::fs::set_permissions(
            directory.path().join("tool"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("make tool executable");
        std::fs::create_dir(directory.path().join("folder")).expect("create folder");

        assert!(has_program(directory.path(), "tool"));
        assert!(!has_program(directory.path(), "notes"));
        assert!(!has_program(directory.path(), "folder"));
        assert!(!has_program(directory.path(), "missing"));
    }

    #[test]
    fn a_log_tail_keeps_the_last_lines() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let log = directory.path().join("server.log");
        let lines: Vec<String> = (1..=40).map(|number| format!("line {number}")).collect();
        std::fs::write(&log, lines.join("\n")).expect("write log");

        let tail = log_tail(&log);

        assert_eq!(tail.lines().count(), LOG_TAIL_LINES);
        assert_eq!(tail.lines().next(), Some("    line 26"));
        assert_eq!(tail.lines().last(), Some("    line 40"));
    }
}
