//! A disposable PostgreSQL cluster for one test run: `initdb` into a scratch directory, started
//! on a free port with durability off (fast, and nothing in it has to survive), then stopped and
//! removed when the guard drops, whatever happened in between.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use tempfile::TempDir;

use crate::postgres_programs::PostgresPrograms;
use crate::private_server::{
    SERVER_WAIT_LIMIT, START_ATTEMPTS, log_tail, pick_free_port, poll_until, scratch_directory,
};
use crate::server_account::ServerAccount;
use crate::services::{PostgresFailure, check_postgres};

/// The cluster's superuser, which the tests connect as.
const SUPERUSER: &str = "postgres";
/// How long `pg_ctl` waits for the server to start or stop, in seconds.
const PG_CTL_WAIT_SECONDS: &str = "60";

/// A running private cluster; dropping it stops the server and removes its files.
#[derive(Debug)]
pub struct PrivatePostgres {
    programs: PostgresPrograms,
    account: ServerAccount,
    directory: PathBuf,
    /// Present until the cluster is shut down.
    scratch: Option<TempDir>,
    port: u16,
}

impl PrivatePostgres {
    /// Creates a cluster in a new scratch directory, starts it on a free port of 127.0.0.1, and
    /// returns once it accepts connections and lets its superuser create databases.
    pub fn start(programs: &PostgresPrograms) -> anyhow::Result<Self> {
        let account = ServerAccount::for_postgres()?;
        let scratch = scratch_directory("postgres").context("cannot create a scratch directory")?;
        account
            .take_ownership(scratch.path())
            .with_context(|| format!("cannot hand {} to the server", scratch.path().display()))?;
        let mut cluster = PrivatePostgres {
            programs: programs.clone(),
            account,
            directory: scratch.path().to_owned(),
            scratch: Some(scratch),
            port: 0,
        };
        cluster.create()?;
        cluster.start_on_a_free_port()?;
        cluster.wait_until_usable()?;
        Ok(cluster)
    }

    /// The port the server listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server URL the tests use.
    pub fn url(&self) -> String {
        postgres_url(self.port)
    }

    /// Stops the server and removes its files, saying what failed.
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.shut_down()
    }

    fn data_directory(&self) -> PathBuf {
        self.directory.join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.directory.join("server.log")
    }

    fn server_command(&self, program: &str) -> Command {
        let mut command = self.account.command(&self.programs.program(program));
        // The server account may not be allowed into xtask's working directory.
        command.current_dir(&self.directory).stdin(Stdio::null());
        command
    }

    fn create(&self) -> anyhow::Result<()> {
        let output = self
            .server_command("initdb")
            .arg("--pgdata")
            .arg(self.data_directory())
            .args(["--username", SUPERUSER, "--auth=trust"])
            .args(["--encoding=UTF8", "--no-locale", "--no-sync"])
            .output()
            .context("cannot run initdb")?;
        if !output.status.success() {
            bail!(
                "initdb failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(())
    }

    fn start_on_a_free_port(&mut self) -> anyhow::Result<()> {
        for _attempt in 0..START_ATTEMPTS {
            let port = pick_free_port().context("cannot find a free port")?;
            let status = self
                .server_command("pg_ctl")
                .args([
                    "start",
                    "--wait",
                    "--timeout",
                    PG_CTL_WAIT_SECONDS,
                    "--pgdata",
                ])
                .arg(self.data_directory())
                .arg("--log")
                .arg(self.log_file())
                .arg("--options")
                .arg(server_options(port, &self.directory))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .context("cannot run pg_ctl")?;
            if status.success() {
                self.port = port;
                return Ok(());
            }
        }
        bail!(
            "pg_ctl start failed {START_ATTEMPTS} times; the server's log ends with:\n{}",
            log_tail(&self.log_file())
        )
    }

    fn wait_until_usable(&self) -> anyhow::Result<()> {
        let url = self.url();
        let outcome = poll_until(SERVER_WAIT_LIMIT, || match check_postgres(&url) {
            Ok(()) => Some(Ok(())),
            Err(PostgresFailure::Unreachable(_)) => None,
            Err(failure) => Some(Err(failure)),
        });
        match outcome {
            Some(Ok(())) => Ok(()),
            Some(Err(failure)) => bail!("the private cluster fails: {}", failure.description()),
            None => bail!(
                "the private cluster does not accept connections on 127.0.0.1:{} within {} s",
                self.port,
                SERVER_WAIT_LIMIT.as_secs()
            ),
        }
    }

    fn shut_down(&mut self) -> anyhow::Result<()> {
        let Some(scratch) = self.scratch.take() else {
            return Ok(());
        };
        // No lock file means no server: initdb failed, or the server never came up.
        let server_may_run = self.data_directory().join("postmaster.pid").exists();
        let stopped = if server_may_run {
            self.stop_server()
        } else {
            Ok(())
        };
        // Removed even when the stop failed: a server whose lock file disappears shuts itself
        // down, and nothing is left behind.
        let removed = scratch
            .close()
            .with_context(|| format!("cannot remove {}", self.directory.display()));
        stopped.and(removed)
    }

    fn stop_server(&self) -> anyhow::Result<()> {
        let output = self
            .server_command("pg_ctl")
            .args([
                "stop",
                "--wait",
                "--timeout",
                PG_CTL_WAIT_SECONDS,
                "--mode",
                "fast",
            ])
            .arg("--pgdata")
            .arg(self.data_directory())
            .output()
            .context("cannot run pg_ctl stop")?;
        if !output.status.success() {
            bail!(
                "pg_ctl stop failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(())
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        if let Err(error) = self.shut_down() {
            eprintln!("warning: private PostgreSQL cluster: {error:#}");
        }
    }
}

/// The server URL of a private cluster listening on `port`.
fn postgres_url(port: u16) -> String {
    format!("postgres://{SUPERUSER}@127.0.0.1:{port}/postgres")
}

/// The `postgres` options `pg_ctl start` passes through a shell: TCP on 127.0.0.1 only, the Unix
/// socket in the scratch directory (never the system one a real server uses), and no
/// durability, which a throwaway cluster does not need.
fn server_options(port: u16, socket_directory: &Path) -> String {
    format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off",
        shell_quote(&socket_directory.to_string_lossy())
    )
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_superuser_port_and_an_existing_database() {
        assert_eq!(
            postgres_url(54321),
            "postgres://postgres@127.0.0.1:54321/postgres"
        );
    }

    #[test]
    fn server_options_quote_the_socket_directory_for_the_shell() {
        let options = server_options(5433, Path::new("/tmp/it's here"));

        assert_eq!(
            options,
            r"-p 5433 -k '/tmp/it'\''s here' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        );
    }
}
