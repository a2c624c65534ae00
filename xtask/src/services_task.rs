//! `cargo xtask services`: the private PostgreSQL and Redis servers of `cargo xtask test` on their
//! own. They run until Ctrl-C, for running tests against them by hand; with `--check`, xtask
//! starts both, uses them (a query, CREATE and DROP DATABASE, PING), stops and removes them, and
//! makes sure they are gone: the end-to-end check of what `cargo xtask test` relies on.

use std::process::ExitCode;

use anyhow::{anyhow, ensure};
use kensho_test_support::{TEST_DATABASE_URL_ENV, TEST_REDIS_URL_ENV};

use crate::services::{check_postgres, check_redis};
use crate::signals::SignalWatch;
use crate::test_servers::{ServerChoice, TestServers};
use crate::test_task::{SERVICES_MISSING_EXIT_CODE, problems_message};

/// Options of `cargo xtask services`.
#[derive(Debug, clap::Args)]
pub struct ServicesArgs {
    /// Start both servers, use them, stop and remove them, and exit: success means all of it
    /// worked.
    #[arg(long)]
    check: bool,
}

/// Starts the private servers, then checks them or keeps them until a signal.
pub fn run(args: &ServicesArgs) -> anyhow::Result<ExitCode> {
    let signals = SignalWatch::install()?;
    let servers = match TestServers::provide(ServerChoice::Private) {
        Ok(servers) => servers,
        Err(problems) => {
            eprintln!("{}", problems_message(&problems));
            return Ok(ExitCode::from(SERVICES_MISSING_EXIT_CODE));
        }
    };
    if args.check {
        check_then_stop(servers)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("export {TEST_DATABASE_URL_ENV}={}", servers.database_url);
    println!("export {TEST_REDIS_URL_ENV}={}", servers.redis_url);
    println!("press Ctrl-C to stop and remove both servers");
    signals.wait();
    servers.stop()?;
    println!("stopped and removed");
    Ok(ExitCode::SUCCESS)
}

fn check_then_stop(servers: TestServers) -> anyhow::Result<()> {
    let database_url = servers.database_url.clone();
    let redis_url = servers.redis_url.clone();
    check_postgres(&database_url)
        .map_err(|failure| anyhow!("the private cluster fails: {}", failure.description()))?;
    println!("postgresql: SELECT 1, CREATE DATABASE and DROP DATABASE work");
    check_redis(&redis_url).map_err(|failure| anyhow!("the private Redis fails: {failure}"))?;
    println!("redis: PING answers PONG");
    servers.stop()?;
    ensure!(
        check_postgres(&database_url).is_err(),
        "the private cluster still answers after it was stopped"
    );
    ensure!(
        check_redis(&redis_url).is_err(),
        "the private Redis still answers after it was stopped"
    );
    println!("both servers stopped, their directories removed");
    Ok(())
}
