//! `cargo xtask test`: the project's one test command, the same on a laptop and in CI.
//!
//! It finds the PostgreSQL and Redis servers the tests need (see [`crate::test_servers`]):
//! those named by `KENSHO_TEST_DATABASE_URL` / `KENSHO_TEST_REDIS_URL`, else the local defaults
//! when they answer, else private servers it starts from the installed programs and removes
//! afterwards, also when the tests fail or on Ctrl-C. It exits with code 2 and instructions when
//! a server is missing. Then it runs every test of the workspace with cargo-nextest when it is
//! installed, else with `cargo test`, never stopping at the first failure, and exits with the
//! runner's exit code.

use std::ffi::OsString;
use std::process::{Command, ExitCode, ExitStatus, Stdio};

use kensho_test_support::{TEST_DATABASE_URL_ENV, TEST_REDIS_URL_ENV};

use crate::services::Problem;
use crate::signals::SignalWatch;
use crate::test_servers::{ServerChoice, TestServers};

/// Exit code when a server the tests need does not answer.
pub const SERVICES_MISSING_EXIT_CODE: u8 = 2;
/// Exit code when a signal stops xtask before the tests run, as a shell reports SIGINT.
pub const INTERRUPTED_EXIT_CODE: u8 = 130;

/// Options of `cargo xtask test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Start private PostgreSQL and Redis servers for this run even when others answer
    /// (the variable takes 1/0, true/false, yes/no, on/off).
    #[arg(
        long,
        env = "KENSHO_TEST_PRIVATE_SERVICES",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    private_services: bool,
    /// Passed on to the runner, for example `-p kensho-kit`, or a test filter.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    runner_args: Vec<String>,
}

/// The program that runs the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Runner {
    Nextest,
    CargoTest,
}

/// Provides the servers, runs the tests, stops what it started, and returns the exit code to
/// leave with.
pub fn run(args: &TestArgs) -> anyhow::Result<ExitCode> {
    let signals = SignalWatch::install()?;
    let choice = if args.private_services {
        ServerChoice::Private
    } else {
        ServerChoice::PreferRunning
    };
    let servers = match TestServers::provide(choice) {
        Ok(servers) => servers,
        Err(problems) => {
            eprintln!("{}", problems_message(&problems));
            return Ok(ExitCode::from(SERVICES_MISSING_EXIT_CODE));
        }
    };
    if signals.received() {
        eprintln!("interrupted before the tests started");
        servers.stop()?;
        return Ok(ExitCode::from(INTERRUPTED_EXIT_CODE));
    }
    let cargo = cargo_program();
    let runner = Runner::detect(&cargo);
    let runner_args = runner.arguments(&args.runner_args);
    match runner {
        Runner::Nextest => println!("runner: cargo-nextest"),
        Runner::CargoTest => println!("runner: cargo test (cargo-nextest is not installed)"),
    }
    println!("running: cargo {}", runner_args.join(" "));
    let runner_outcome = signals.run(
        Command::new(&cargo)
            .args(&runner_args)
            .env(TEST_DATABASE_URL_ENV, &servers.database_url)
            .env(TEST_REDIS_URL_ENV, &servers.redis_url),
    );
    // The tests' result matters more than a leftover scratch directory: a failed clean-up only
    // warns.
    if let Err(error) = servers.stop() {
        eprintln!("warning: {error:#}");
    }
    let status = runner_outcome.map_err(|error| anyhow::anyhow!("cannot start cargo: {error}"))?;
    Ok(exit_code(status))
}

impl Runner {
    /// Nextest when `cargo nextest --version` succeeds.
    fn detect(cargo: &OsString) -> Self {
        let nextest_works = Command::new(cargo)
            .args(["nextest", "--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if nextest_works {
            Runner::Nextest
        } else {
            Runner::CargoTest
        }
    }

    /// The cargo arguments: the whole workspace unless the caller picked packages, because cargo
    /// ignores `-p` once `--workspace` is given.
    fn arguments(self, runner_args: &[String]) -> Vec<String> {
        let mut arguments: Vec<String> = match self {
            Runner::Nextest => vec!["nextest".to_owned(), "run".to_owned()],
            Runner::CargoTest => vec!["test".to_owned()],
        };
        if !selects_packages(runner_args) {
            arguments.push("--workspace".to_owned());
        }
        arguments.push("--no-fail-fast".to_owned());
        arguments.extend(runner_args.iter().cloned());
        arguments
    }
}

/// Whether the cargo part of the arguments (before any `--`) names packages.
fn selects_packages(runner_args: &[String]) -> bool {
    runner_args
        .iter()
        .take_while(|argument| *argument != "--")
        .any(|argument| {
            argument == "-p"
                || argument == "--package"
                || argument == "--workspace"
                || argument.starts_with("--package=")
                || (argument.starts_with("-p") && !argument.starts_with("--"))
        })
}

/// The cargo that runs this task, so a toolchain override applies to the tests too.
pub(crate) fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

fn exit_code(status: ExitStatus) -> ExitCode {
    // A runner killed by a signal has no code; any failure code is better than success.
    status
        .code()
        .and_then(|code| u8::try_from(code).ok())
        .map_or(ExitCode::FAILURE, ExitCode::from)
}

/// The report of the servers that are missing, for the terminal.
pub fn problems_message(problems: &[Problem]) -> String {
    let mut message =
        String::from("error: the tests need PostgreSQL and Redis, and not both are available\n");
    for problem in problems {
        message.push_str(&format!(
            "\n  {}\n    failed: {}\n    fix:    {}\n",
            problem.server, problem.failure, problem.remedy
        ));
    }
    message.push_str("\n.ci/run starts both servers when they are not running.");
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| (*value).to_owned()).collect()
    }

    #[test]
    fn the_whole_workspace_is_tested_unless_packages_are_named() {
        assert_eq!(
            Runner::Nextest.arguments(&[]),
            strings(&["nextest", "run", "--workspace", "--no-fail-fast"])
        );
        assert_eq!(
            Runner::CargoTest.arguments(&strings(&["-p", "kensho-kit"])),
            strings(&["test", "--no-fail-fast", "-p", "kensho-kit"])
        );
    }

    #[derive(Debug, clap::Parser)]
    struct TestCommandLine {
        #[command(flatten)]
        args: TestArgs,
    }

    fn parse(arguments: &[&str]) -> TestArgs {
        use clap::Parser;
        TestCommandLine::try_parse_from(arguments)
            .expect("valid arguments")
            .args
    }

    #[test]
    fn the_private_services_switch_comes_before_the_runner_arguments() {
        let args = parse(&["test", "--private-services", "--", "-p", "kensho-kit"]);

        assert!(args.private_services);
        assert_eq!(args.runner_args, strings(&["-p", "kensho-kit"]));
    }

    #[test]
    fn everything_from_the_first_runner_argument_on_goes_to_the_runner() {
        let args = parse(&["test", "-p", "kensho-kit", "--private-services"]);

        assert_eq!(
            args.runner_args,
            strings(&["-p", "kensho-kit", "--private-services"])
        );
    }

    #[test]
    fn package_flags_after_the_separator_belong_to_the_tests() {
        assert!(selects_packages(&strings(&["--package=kensho-kit"])));
        assert!(selects_packages(&strings(&["-pkensho-kit"])));
        assert!(!selects_packages(&strings(&["--", "-p"])));
        assert!(!selects_packages(&strings(&["search", "--release"])));
    }
}
