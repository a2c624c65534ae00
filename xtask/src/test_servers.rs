//! Which PostgreSQL and Redis the tests use: the server named by the environment when it is set,
//! else the local default when it answers, else a private server that xtask starts for the run
//! and removes afterwards. `--private-services` asks for private servers in any case.

use kensho_test_support::{
    DEFAULT_TEST_DATABASE_URL, DEFAULT_TEST_REDIS_URL, TEST_DATABASE_URL_ENV, TEST_REDIS_URL_ENV,
};

use crate::postgres_programs::PostgresPrograms;
use crate::private_postgres::PrivatePostgres;
use crate::private_redis::{PrivateRedis, RedisProgram};
use crate::services::{Problem, check_postgres, check_redis, hide_password, redis_problem};

/// Why a private server starts when no other was looked for.
const PRIVATE_REQUESTED: &str = "private servers were asked for";

/// How to pick the servers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerChoice {
    /// The named servers, else the defaults when they answer, else private ones.
    PreferRunning,
    /// Private servers, even when others answer.
    Private,
}

/// The servers the tests use, and the private ones kept running for them until stopped.
#[derive(Debug)]
pub struct TestServers {
    /// PostgreSQL server URL; tests create their databases on it.
    pub database_url: String,
    /// Redis server URL.
    pub redis_url: String,
    private_postgres: Option<PrivatePostgres>,
    private_redis: Option<PrivateRedis>,
}

impl TestServers {
    /// Finds or starts both servers, printing which ones are used; the error lists every server
    /// that is missing, with what to do about it.
    pub fn provide(choice: ServerChoice) -> Result<Self, Vec<Problem>> {
        let postgres = provide_postgres(choice, std::env::var(TEST_DATABASE_URL_ENV).ok());
        let redis = provide_redis(choice, std::env::var(TEST_REDIS_URL_ENV).ok());
        match (postgres, redis) {
            (Ok((database_url, private_postgres)), Ok((redis_url, private_redis))) => {
                Ok(TestServers {
                    database_url,
                    redis_url,
                    private_postgres,
                    private_redis,
                })
            }
            // A private server that did start is stopped as its guard drops here.
            (postgres, redis) => Err(postgres.err().into_iter().chain(redis.err()).collect()),
        }
    }

    /// Stops and removes the private servers, saying what failed; dropping does the same but
    /// can only warn.
    pub fn stop(self) -> anyhow::Result<()> {
        let postgres_stopped = self.private_postgres.map_or(Ok(()), PrivatePostgres::stop);
        let redis_stopped = self.private_redis.map_or(Ok(()), PrivateRedis::stop);
        postgres_stopped.and(redis_stopped)
    }
}

fn provide_postgres(
    choice: ServerChoice,
    named_url: Option<String>,
) -> Result<(String, Option<PrivatePostgres>), Problem> {
    let reason = match (choice, named_url) {
        (ServerChoice::PreferRunning, Some(url)) => {
            check_postgres(&url).map_err(|failure| {
                failure.into_problem(format!("PostgreSQL at {}", hide_password(&url)))
            })?;
            println!("postgresql: the server at {}", hide_password(&url));
            return Ok((url, None));
        }
        (ServerChoice::PreferRunning, None) => match check_postgres(DEFAULT_TEST_DATABASE_URL) {
            Ok(()) => {
                println!("postgresql: the server at {DEFAULT_TEST_DATABASE_URL}");
                return Ok((DEFAULT_TEST_DATABASE_URL.to_owned(), None));
            }
            Err(failure) => format!(
                "no usable server at {DEFAULT_TEST_DATABASE_URL} ({})",
                failure.description()
            ),
        },
        (ServerChoice::Private, named_url) => {
            if named_url.is_some() {
                println!("postgresql: {TEST_DATABASE_URL_ENV} is ignored: {PRIVATE_REQUESTED}");
            }
            PRIVATE_REQUESTED.to_owned()
        }
    };
    let Some(programs) = PostgresPrograms::discover() else {
        return Err(Problem {
            server: "PostgreSQL".to_owned(),
            failure: format!(
                "{reason}, and the server programs for a private cluster (initdb, pg_ctl, \
                 postgres) are neither on PATH nor in /usr/lib/postgresql/<version>/bin"
            ),
            remedy: format!(
                "install them (Debian: apt-get install postgresql), or {}",
                other_server_remedy(choice, TEST_DATABASE_URL_ENV)
            ),
        });
    };
    println!("postgresql: {reason}; starting a private cluster");
    let cluster = PrivatePostgres::start(&programs).map_err(|error| Problem {
        server: "PostgreSQL (private cluster)".to_owned(),
        failure: format!("{error:#}"),
        remedy: other_server_remedy(choice, TEST_DATABASE_URL_ENV),
    })?;
    println!(
        "postgresql: private cluster on 127.0.0.1:{} (started by xtask)",
        cluster.port()
    );
    Ok((cluster.url(), Some(cluster)))
}

fn provide_redis(
    choice: ServerChoice,
    named_url: Option<String>,
) -> Result<(String, Option<PrivateRedis>), Problem> {
    let reason = match (choice, named_url) {
        (ServerChoice::PreferRunning, Some(url)) => {
            check_redis(&url).map_err(|failure| redis_problem(&url, failure))?;
            println!("redis: the server at {}", hide_password(&url));
            return Ok((url, None));
        }
        (ServerChoice::PreferRunning, None) => match check_redis(DEFAULT_TEST_REDIS_URL) {
            Ok(()) => {
                println!("redis: the server at {DEFAULT_TEST_REDIS_URL}");
                return Ok((DEFAULT_TEST_REDIS_URL.to_owned(), None));
            }
            Err(failure) => format!("no usable server at {DEFAULT_TEST_REDIS_URL} ({failure})"),
        },
        (ServerChoice::Private, named_url) => {
            if named_url.is_some() {
                println!("redis: {TEST_REDIS_URL_ENV} is ignored: {PRIVATE_REQUESTED}");
            }
            PRIVATE_REQUESTED.to_owned()
        }
    };
    let Some(program) = RedisProgram::discover() else {
        return Err(Problem {
            server: "Redis".to_owned(),
            failure: format!(
                "{reason}, and redis-server, needed for a private server, is not on PATH"
            ),
            remedy: format!(
                "install it (Debian: apt-get install redis-server), or {}",
                other_server_remedy(choice, TEST_REDIS_URL_ENV)
            ),
        });
    };
    println!("redis: {reason}; starting a private server");
    let server = PrivateRedis::start(&program).map_err(|error| Problem {
        server: "Redis (private server)".to_owned(),
        failure: format!("{error:#}"),
        remedy: other_server_remedy(choice, TEST_REDIS_URL_ENV),
    })?;
    println!(
        "redis: private server on 127.0.0.1:{} (started by xtask)",
        server.port()
    );
    Ok((server.url(), Some(server)))
}

/// How to do without a private server: another server, unless private ones were asked for.
fn other_server_remedy(choice: ServerChoice, variable: &str) -> String {
    match choice {
        ServerChoice::PreferRunning => {
            format!("start a server, or set {variable} to one the tests may use")
        }
        ServerChoice::Private => {
            "use other servers: cargo xtask test without --private-services".to_owned()
        }
    }
}
