//! The all-in-one as the load tasks run it: the `kensho` binary built by cargo, started with a
//! data directory of its own, every port free, rate limits and login limits out of the way (the
//! load comes from one address and logs in with a few accounts) and as many simulator accounts as
//! the load logs in with; stopped with SIGTERM, and its output kept in a log file rather than
//! mixed into the load tool's.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::workspace_root;

/// How long the all-in-one may take to print its addresses, and then to be ready with a catalog.
const START_LIMIT: Duration = Duration::from_secs(120);
/// How long it may take to drain and exit after SIGTERM before it is killed.
const STOP_LIMIT: Duration = Duration::from_secs(30);
/// Pause between two readiness probes: there is nothing to wait on but the answer.
const PROBE_INTERVAL: Duration = Duration::from_millis(200);
/// How long the tasks' HTTP clients keep an idle connection for reuse: under the servers'
/// `http.header_read_timeout_ms`, past which they close idle connections, so no request is sent
/// on a connection the server is closing (it fails with "connection closed before message
/// completed").
const CLIENT_IDLE_TIMEOUT: Duration = Duration::from_secs(5);

/// An HTTP client for Kensho's servers and the simulator (see [`CLIENT_IDLE_TIMEOUT`]).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(CLIENT_IDLE_TIMEOUT)
        .build()
        .expect("a plain HTTP client builds")
}
/// The line of the all-in-one's start-up banner that names the gateway.
const GATEWAY_BANNER: &str = "  gateway      ";
/// The line of the banner that names Crunchyroll (the bundled simulator here).
const CRUNCHYROLL_BANNER: &str = "  crunchyroll  ";

/// A simulator account the load logs in with.
#[derive(Clone, Debug)]
pub struct LoadAccount {
    /// Login name.
    pub email: String,
    /// Password.
    pub password: String,
}

impl LoadAccount {
    /// `count` premium accounts with room for many streams each.
    pub fn generate(count: usize) -> Vec<LoadAccount> {
        (1..=count)
            .map(|number| LoadAccount {
                email: format!("load-{number}@kensho.test"),
                password: format!("load-{number}-password"),
            })
            .collect()
    }

    /// `email:password,...`, as the k6 scripts read `ACCOUNTS`.
    pub fn k6_list(accounts: &[LoadAccount]) -> String {
        accounts
            .iter()
            .map(|account| format!("{}:{}", account.email, account.password))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A running all-in-one.
#[derive(Debug)]
pub struct AllInOne {
    child: Option<Child>,
    gateway_url: String,
    simulator_url: String,
    _data_dir: tempfile::TempDir,
}

impl AllInOne {
    /// Builds the `kensho` binary (release or debug) and returns its path. The whole workspace
    /// is built, with every target, so that the features of the dependencies are the ones the
    /// tests and clippy use and nothing is rebuilt for the load alone.
    pub fn build(release: bool) -> anyhow::Result<PathBuf> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(workspace_root())
            .args(["build", "--workspace", "--all-targets"]);
        if release {
            command.arg("--release");
        }
        let status = command.status().context("cannot run cargo build")?;
        if !status.success() {
            bail!("cargo build of the kensho binary failed");
        }
        let profile = if release { "release" } else { "debug" };
        Ok(target_dir().join(profile).join("kensho"))
    }

    /// Starts `binary` with `accounts` in its simulator, after importing `catalog` when given,
    /// writing its output to `log`; returns once the gateway is ready and the catalog answers.
    pub fn start(
        binary: &Path,
        accounts: &[LoadAccount],
        catalog: Option<&Path>,
        log: &Path,
    ) -> anyhow::Result<Self> {
        Self::start_with(binary, accounts, catalog, log, "")
    }

    /// As [`AllInOne::start`], with `extra_config` (TOML tables other than the top-level
    /// sections [`config_text`] writes, such as `[catalog.database]`) appended to its file.
    pub fn start_with(
        binary: &Path,
        accounts: &[LoadAccount],
        catalog: Option<&Path>,
        log: &Path,
        extra_config: &str,
    ) -> anyhow::Result<Self> {
        let data_dir = tempfile::tempdir().context("cannot create a data directory")?;
        let config_file = data_dir.path().join("load.toml");
        let text = format!("{}\n{extra_config}", config_text(accounts));
        std::fs::write(&config_file, text).context("cannot write load.toml")?;
        if let Some(parent) = log.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let log_file =
            File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        if let Some(catalog) = catalog {
            import(binary, data_dir.path(), &config_file, catalog, &log_file)?;
        }
        let mut child = Command::new(binary)
            .env("KENSHO_CONFIG", &config_file)
            .env("KENSHO_DATA_DIR", data_dir.path())
            .stdout(Stdio::piped())
            .stderr(log_file.try_clone()?)
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let (banner_sender, banner_receiver) = mpsc::channel();
        std::thread::spawn(move || copy_output(stdout, log_file, banner_sender));
        let mut all_in_one = AllInOne {
            child: Some(child),
            gateway_url: String::new(),
            simulator_url: String::new(),
            _data_dir: data_dir,
        };
        // The banner names Crunchyroll after the gateway.
        for _line in 0..2 {
            let line = banner_receiver.recv_timeout(START_LIMIT).with_context(|| {
                format!(
                    "the all-in-one printed no addresses (see {})",
                    log.display()
                )
            })?;
            match line {
                BannerLine::Gateway(url) => all_in_one.gateway_url = url,
                BannerLine::Crunchyroll(url) => all_in_one.simulator_url = url,
            }
        }
        all_in_one.wait_until_ready(log)?;
        Ok(all_in_one)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn gateway_url(&self) -> &str {
        &self.gateway_url
    }

    /// The process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The bundled simulator's base URL, whose `/_sim/` controls inject faults.
    pub fn simulator_url(&self) -> &str {
        &self.simulator_url
    }

    fn wait_until_ready(&mut self, log: &Path) -> anyhow::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let client = http_client();
        let seasons = format!("{}/api/v1/seasons", self.gateway_url);
        let deadline = Instant::now() + START_LIMIT;
        loop {
            let catalog_answers = runtime.block_on(async {
                let response = client.get(&seasons).send().await.ok()?;
                let body: serde_json::Value = response.json().await.ok()?;
                Some(body["data"].as_array().is_some_and(|data| !data.is_empty()))
            });
            if catalog_answers == Some(true) {
                return Ok(());
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|child| child.try_wait().ok().flatten())
            {
                bail!(
                    "the all-in-one exited with {status} (see {})",
                    log.display()
                );
            }
            if Instant::now() >= deadline {
                bail!(
                    "the all-in-one did not serve its catalog in time (see {})",
                    log.display()
                );
            }
            std::thread::sleep(PROBE_INTERVAL);
        }
    }

    /// SIGTERM, then a bounded wait for the drain; killed past it.
    pub fn stop(&mut self) -> anyhow::Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if let Ok(pid) = i32::try_from(child.id()) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
        let deadline = Instant::now() + STOP_LIMIT;
        while Instant::now() < deadline {
            if child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(PROBE_INTERVAL);
        }
        child.kill()?;
        child.wait()?;
        bail!(
            "the all-in-one did not stop within {} s of SIGTERM",
            STOP_LIMIT.as_secs()
        )
    }
}

impl Drop for AllInOne {
    fn drop(&mut self) {
        if let Err(error) = self.stop() {
            eprintln!("warning: {error:#}");
        }
    }
}

/// The all-in-one's configuration for a load run.
fn config_text(accounts: &[LoadAccount]) -> String {
    let mut text = String::from(
        "[gateway]\nport = 0\n\n[gateway.rate_limit]\nenabled = false\n\n\
         [catalog]\nport = 0\n[catalog.admin]\nport = 0\n\n\
         [auth]\nport = 0\n[auth.admin]\nport = 0\n\
         [auth.login_limits]\nper_address_burst = 1000000\nper_address_per_minute = 1000000\n\
         per_username_burst = 1000000\nper_username_per_minute = 1000000\n\n\
         [stream]\nport = 0\n[stream.admin]\nport = 0\n\n\
         [simulator]\nport = 0\n",
    );
    for account in accounts {
        // JSON string literals are valid TOML basic strings.
        text.push_str(&format!(
            "\n[[simulator.accounts]]\nemail = {}\npassword = {}\npremium = true\nconcurrent_streams = 1000\n",
            serde_json::Value::from(account.email.as_str()),
            serde_json::Value::from(account.password.as_str()),
        ));
    }
    text
}

fn import(
    binary: &Path,
    data_dir: &Path,
    config_file: &Path,
    catalog: &Path,
    log_file: &File,
) -> anyhow::Result<()> {
    println!("importing {}", catalog.display());
    let status = Command::new(binary)
        .args(["catalog", "import"])
        .arg(catalog)
        .env("KENSHO_CONFIG", config_file)
        .env("KENSHO_DATA_DIR", data_dir)
        .stdout(log_file.try_clone()?)
        .stderr(log_file.try_clone()?)
        .status()
        .context("cannot run kensho catalog import")?;
    if !status.success() {
        bail!("kensho catalog import {} failed", catalog.display());
    }
    Ok(())
}

/// An address the start-up banner names.
enum BannerLine {
    Gateway(String),
    Crunchyroll(String),
}

/// Copies the all-in-one's standard output into the log, sending the gateway's and
/// Crunchyroll's URLs when their banner lines pass.
fn copy_output(stdout: impl std::io::Read, mut log: File, banner: mpsc::Sender<BannerLine>) {
    for line in BufReader::new(stdout).lines() {
        let Ok(line) = line else {
            return;
        };
        if let Some(address) = line.strip_prefix(GATEWAY_BANNER) {
            let base = address.trim().trim_end_matches("/api/v1").to_owned();
            let _ = banner.send(BannerLine::Gateway(base));
        }
        if let Some(rest) = line.strip_prefix(CRUNCHYROLL_BANNER) {
            let url = rest.split_whitespace().next().unwrap_or_default();
            let _ = banner.send(BannerLine::Crunchyroll(
                url.trim_end_matches('/').to_owned(),
            ));
        }
        let _ = writeln!(log, "{line}");
    }
}

/// The target directory cargo builds into.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_drop_idle_connections_before_the_servers_close_them() {
        let server_idle = Duration::from_millis(
            kensho_kit::http_server::HttpServerSettings::default().header_read_timeout_ms,
        );
        assert!(
            CLIENT_IDLE_TIMEOUT < server_idle,
            "{CLIENT_IDLE_TIMEOUT:?} must be under the servers' {server_idle:?}"
        );
    }
}
