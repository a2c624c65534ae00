//! `cargo xtask test`: the project's one test command, the same on a laptop and in CI.
//!
//! It checks that PostgreSQL and Redis answer (exit code 2 with instructions when they do not),
//! then runs every test of the workspace with cargo-nextest when it is installed, else with
//! `cargo test`, never stopping at the first failure, and exits with the runner's exit code.

use std::ffi::OsString;
use std::process::{Command, ExitCode, ExitStatus, Stdio};

use kensho_test_support::{TEST_DATABASE_URL_ENV, TEST_REDIS_URL_ENV};

use crate::services::{Problem, TestServices};

/// Exit code when a server the tests need does not answer.
const SERVICES_MISSING_EXIT_CODE: u8 = 2;

/// Options of `cargo xtask test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
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

/// Checks the servers, runs the tests, and returns the exit code to leave with.
pub fn run(args: &TestArgs) -> anyhow::Result<ExitCode> {
    let services = TestServices::from_env();
    let problems = services.problems();
    if !problems.is_empty() {
        eprintln!("{}", problems_message(&problems));
        return Ok(ExitCode::from(SERVICES_MISSING_EXIT_CODE));
    }
    println!("postgresql and redis answer");
    let cargo = cargo_program();
    let runner = Runner::detect(&cargo);
    let runner_args = runner.arguments(&args.runner_args);
    match runner {
        Runner::Nextest => println!("runner: cargo-nextest"),
        Runner::CargoTest => println!("runner: cargo test (cargo-nextest is not installed)"),
    }
    println!("running: cargo {}", runner_args.join(" "));
    let status = Command::new(&cargo)
        .args(&runner_args)
        .env(TEST_DATABASE_URL_ENV, &services.database_url)
        .env(TEST_REDIS_URL_ENV, &services.redis_url)
        .status()
        .map_err(|error| anyhow::anyhow!("cannot start cargo: {error}"))?;
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
fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

fn exit_code(status: ExitStatus) -> ExitCode {
    // A runner killed by a signal has no code; any failure code is better than success.
    status
        .code()
        .and_then(|code| u8::try_from(code).ok())
        .map_or(ExitCode::FAILURE, ExitCode::from)
}

fn problems_message(problems: &[Problem]) -> String {
    let mut message =
        String::from("error: the tests need PostgreSQL and Redis, and not every server answers\n");
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

    #[test]
    fn package_flags_after_the_separator_belong_to_the_tests() {
        assert!(selects_packages(&strings(&["--package=kensho-kit"])));
        assert!(selects_packages(&strings(&["-pkensho-kit"])));
        assert!(!selects_packages(&strings(&["--", "-p"])));
        assert!(!selects_packages(&strings(&["search", "--release"])));
    }
}
