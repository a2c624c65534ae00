//! A disposable Redis server for one test run: `redis-server` as a child process on a free port,
//! without persistence, in a scratch directory; stopped and removed when the guard drops.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};

use anyhow::{Context, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tempfile::TempDir;

use crate::private_server::{
    SERVER_WAIT_LIMIT, START_ATTEMPTS, has_program, log_tail, path_directories, pick_free_port,
    poll_until, scratch_directory,
};
use crate::services::check_redis;

/// The server program.
const SERVER_PROGRAM: &str = "redis-server";

/// Where `redis-server` is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedisProgram {
    path: PathBuf,
}

impl RedisProgram {
    /// `redis-server` from the first directory of `PATH` that has it.
    pub fn discover() -> Option<Self> {
        Self::discover_in(&path_directories())
    }

    fn discover_in(path_directories: &[PathBuf]) -> Option<Self> {
        path_directories
            .iter()
            .find(|directory| has_program(directory, SERVER_PROGRAM))
            .map(|directory| RedisProgram {
                path: directory.join(SERVER_PROGRAM),
            })
    }
}

/// A running private Redis server; dropping it stops the server and removes its files.
#[derive(Debug)]
pub struct PrivateRedis {
    directory: PathBuf,
    /// Present until the server is stopped.
    server: Option<Child>,
    /// Present until the server's files are removed.
    scratch: Option<TempDir>,
    port: u16,
}

impl PrivateRedis {
    /// Starts a server on a free port of 127.0.0.1 and returns once it answers `PING`.
    pub fn start(program: &RedisProgram) -> anyhow::Result<Self> {
        let scratch = scratch_directory("redis").context("cannot create a scratch directory")?;
        let mut redis = PrivateRedis {
            directory: scratch.path().to_owned(),
            server: None,
            scratch: Some(scratch),
            port: 0,
        };
        for _attempt in 0..START_ATTEMPTS {
            let port = pick_free_port().context("cannot find a free port")?;
            let mut server = redis.spawn(program, port)?;
            match wait_until_answering(&mut server, &redis_url(port)) {
                Some(Ok(())) => {
                    redis.server = Some(server);
                    redis.port = port;
                    return Ok(redis);
                }
                // Most likely the port was taken in the meantime: try another.
                Some(Err(_exit_status)) => continue,
                None => {
                    stop_server(server)?;
                    bail!(
                        "redis-server does not answer PING on 127.0.0.1:{port} within {} s",
                        SERVER_WAIT_LIMIT.as_secs()
                    );
                }
            }
        }
        bail!(
            "redis-server exited at start {START_ATTEMPTS} times; its log ends with:\n{}",
            log_tail(&redis.log_file())
        )
    }

    /// The port the server listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server URL the tests use.
    pub fn url(&self) -> String {
        redis_url(self.port)
    }

    /// Stops the server and removes its files, saying what failed.
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.shut_down()
    }

    /// Stops the server, keeping its port and files, as an outage of Redis would.
    pub fn pause(&mut self) -> anyhow::Result<()> {
        self.server.take().map_or(Ok(()), stop_server)
    }

    /// Starts the server again on its port after [`PrivateRedis::pause`]; returns once it
    /// answers `PING`.
    pub fn resume(&mut self, program: &RedisProgram) -> anyhow::Result<()> {
        if self.server.is_some() {
            return Ok(());
        }
        let mut server = self.spawn(program, self.port)?;
        match wait_until_answering(&mut server, &self.url()) {
            Some(Ok(())) => {
                self.server = Some(server);
                Ok(())
            }
            Some(Err(exit_status)) => bail!(
                "redis-server exited with {exit_status} at restart on port {}; its log ends with:\n{}",
                self.port,
                log_tail(&self.log_file())
            ),
            None => {
                stop_server(server)?;
                bail!(
                    "redis-server does not answer PING on port {} after a restart",
                    self.port
                )
            }
        }
    }

    fn log_file(&self) -> PathBuf {
        self.directory.join("redis.log")
    }

    fn spawn(&self, program: &RedisProgram, port: u16) -> anyhow::Result<Child> {
        Command::new(&program.path)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.directory)
            .arg("--logfile")
            .arg(self.log_file())
            .current_dir(&self.directory)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group keeps the terminal's Ctrl-C from reaching it, so it lives
            // until the tests have stopped and xtask stops it.
            .process_group(0)
            .spawn()
            .context("cannot run redis-server")
    }

    fn shut_down(&mut self) -> anyhow::Result<()> {
        let stopped = self.server.take().map_or(Ok(()), stop_server);
        let removed = self.scratch.take().map_or(Ok(()), |scratch| {
            scratch
                .close()
                .with_context(|| format!("cannot remove {}", self.directory.display()))
        });
        stopped.and(removed)
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        if let Err(error) = self.shut_down() {
            eprintln!("warning: private Redis server: {error:#}");
        }
    }
}

/// `Ok` once the server answers `PING`, its exit status if it exits first, `None` on timeout.
fn wait_until_answering(server: &mut Child, url: &str) -> Option<Result<(), ExitStatus>> {
    poll_until(SERVER_WAIT_LIMIT, || {
        if let Ok(Some(exit_status)) = server.try_wait() {
            return Some(Err(exit_status));
        }
        // Checked again after the answer: a server that lost the port to another exits at once.
        let answered = check_redis(url).is_ok();
        match server.try_wait() {
            Ok(Some(exit_status)) => Some(Err(exit_status)),
            _ => answered.then_some(Ok(())),
        }
    })
}

/// Asks the server to stop (SIGTERM), and kills it when it has not within the wait limit.
fn stop_server(mut server: Child) -> anyhow::Result<()> {
    let pid = i32::try_from(server.id()).context("redis-server's process id is out of range")?;
    // A server that has already exited cannot be signalled; the wait below reaps it.
    let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    let exited = poll_until(SERVER_WAIT_LIMIT, || server.try_wait().ok().flatten());
    if exited.is_none() {
        server.kill().context("cannot kill redis-server")?;
        server.wait().context("cannot wait for redis-server")?;
    }
    Ok(())
}

/// The URL of a private server listening on `port`.
fn redis_url(port: u16) -> String {
    format!("redis://127.0.0.1:{port}")
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn redis_server_comes_from_the_first_path_directory_that_has_it() {
        let root = tempfile::tempdir().expect("temporary directory");
        let without = root.path().join("without");
        let first = root.path().join("first");
        let second = root.path().join("second");
        for directory in [&without, &first, &second] {
            std::fs::create_dir(directory).expect("create directory");
        }
        for directory in [&first, &second] {
            let program = directory.join(SERVER_PROGRAM);
            std::fs::write(&program, "").expect("write program");
            std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755))
                .expect("make program executable");
        }

        let found = RedisProgram::discover_in(&[without.clone(), first.clone(), second]);

        assert_eq!(
            found,
            Some(RedisProgram {
                path: first.join(SERVER_PROGRAM)
            })
        );
        assert_eq!(RedisProgram::discover_in(&[without]), None);
    }

    #[test]
    fn the_url_names_localhost_and_the_port() {
        assert_eq!(redis_url(6390), "redis://127.0.0.1:6390");
    }
}
