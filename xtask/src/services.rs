//! Checks of the servers the tests need, PostgreSQL and Redis: one clear message about a server
//! that does not answer as the tests need, instead of hundreds of failed tests.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use kensho_test_support::{TEST_DATABASE_URL_ENV, TEST_REDIS_URL_ENV};
use sqlx::{Connection, Executor, PgConnection};

/// How long each server may take to accept a connection or answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// Redis's port when the URL names none.
const DEFAULT_REDIS_PORT: u16 = 6379;

/// A server that does not answer as the tests need, and how to fix it.
#[derive(Debug)]
pub struct Problem {
    /// Which server, with its URL (password hidden).
    pub server: String,
    /// What went wrong.
    pub failure: String,
    /// What to do about it.
    pub remedy: String,
}

/// Why a PostgreSQL server is no use to the tests.
#[derive(Debug)]
pub enum PostgresFailure {
    /// It cannot be reached, or does not answer a query.
    Unreachable(String),
    /// It answers, but the user may not create (or drop) databases, which every test does.
    CannotCreateDatabases(String),
}

impl PostgresFailure {
    /// What went wrong, in words.
    pub fn description(&self) -> &str {
        match self {
            PostgresFailure::Unreachable(failure)
            | PostgresFailure::CannotCreateDatabases(failure) => failure,
        }
    }

    /// The failure of the server named by `KENSHO_TEST_DATABASE_URL`, with what to do about it.
    pub fn into_problem(self, server: String) -> Problem {
        match self {
            PostgresFailure::Unreachable(failure) => Problem {
                server,
                failure,
                remedy: format!(
                    "start PostgreSQL (on Debian: pg_ctlcluster <version> main start), or set \
                     {TEST_DATABASE_URL_ENV} to a server where the user may create databases, \
                     or unset it to let xtask start a private cluster"
                ),
            },
            PostgresFailure::CannotCreateDatabases(failure) => Problem {
                server,
                failure,
                remedy: format!(
                    "every test creates its own database: grant it (ALTER ROLE <user> CREATEDB), \
                     or set {TEST_DATABASE_URL_ENV} to a user that may"
                ),
            },
        }
    }
}

/// The failure of the Redis server named by `KENSHO_TEST_REDIS_URL`, with what to do about it.
pub fn redis_problem(url: &str, failure: String) -> Problem {
    Problem {
        server: format!("Redis at {}", hide_password(url)),
        failure,
        remedy: format!(
            "start Redis (redis-server --daemonize yes), or set {TEST_REDIS_URL_ENV} to a running \
             server, or unset it to let xtask start a private server"
        ),
    }
}

/// Connects to the PostgreSQL server at `url`, runs `SELECT 1`, and creates and drops a
/// throwaway database, as every test does.
pub fn check_postgres(url: &str) -> Result<(), PostgresFailure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| PostgresFailure::Unreachable(format!("no async runtime: {error}")))
        .and_then(|runtime| runtime.block_on(check_postgres_async(url)))
}

async fn check_postgres_async(url: &str) -> Result<(), PostgresFailure> {
    let connecting = tokio::time::timeout(ANSWER_TIMEOUT, PgConnection::connect(url));
    let mut connection = connecting
        .await
        .map_err(|_| PostgresFailure::Unreachable(no_answer()))?
        .map_err(|error| PostgresFailure::Unreachable(format!("cannot connect: {error}")))?;
    sqlx::query("SELECT 1")
        .execute(&mut connection)
        .await
        .map_err(|error| PostgresFailure::Unreachable(format!("SELECT 1 failed: {error}")))?;
    let probe = format!("kensho_xtask_probe_{:016x}", fastrand::u64(..));
    connection
        .execute(sqlx::AssertSqlSafe(format!(r#"CREATE DATABASE "{probe}""#)))
        .await
        .map_err(|error| {
            PostgresFailure::CannotCreateDatabases(format!("CREATE DATABASE failed: {error}"))
        })?;
    connection
        .execute(sqlx::AssertSqlSafe(format!(r#"DROP DATABASE "{probe}""#)))
        .await
        .map_err(|error| {
            PostgresFailure::CannotCreateDatabases(format!(
                "DROP DATABASE {probe} failed, drop it by hand: {error}"
            ))
        })?;
    // The checks passed; a failed goodbye changes nothing for the tests.
    let _ = connection.close().await;
    Ok(())
}

/// Sends `PING` to the Redis server at `url` over a plain TCP connection and expects `+PONG`.
pub fn check_redis(url: &str) -> Result<(), String> {
    let address = redis_address(url).ok_or_else(|| "not a redis://host[:port] URL".to_owned())?;
    let candidates = address
        .to_socket_addrs()
        .map_err(|error| format!("cannot resolve {address}: {error}"))?;
    let mut last_error = format!("{address} resolves to no address");
    for socket_address in candidates {
        match TcpStream::connect_timeout(&socket_address, ANSWER_TIMEOUT) {
            Ok(stream) => return ping(stream),
            Err(error) => last_error = format!("cannot connect to {socket_address}: {error}"),
        }
    }
    Err(last_error)
}

fn ping(mut stream: TcpStream) -> Result<(), String> {
    let io_failure = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => no_answer(),
        _ => format!("connection failed: {error}"),
    };
    stream
        .set_read_timeout(Some(ANSWER_TIMEOUT))
        .map_err(io_failure)?;
    stream.write_all(b"PING\r\n").map_err(io_failure)?;
    let mut reply = String::new();
    BufReader::new(stream)
        .read_line(&mut reply)
        .map_err(io_failure)?;
    if reply.starts_with("+PONG") {
        Ok(())
    } else if reply.is_empty() {
        Err("closed the connection without answering PING (is it Redis?)".to_owned())
    } else {
        Err(format!("answered `{}` instead of +PONG", reply.trim_end()))
    }
}

fn no_answer() -> String {
    format!("no answer within {} s", ANSWER_TIMEOUT.as_secs())
}

/// `host:port` of a `redis://[user:password@]host[:port][/db]` URL.
fn redis_address(url: &str) -> Option<String> {
    let rest = url.strip_prefix("redis://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_and_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host_and_port.is_empty() {
        return None;
    }
    // An IPv6 host is bracketed, so a port is whatever follows the last colon after `]`.
    let has_port = !host_and_port.ends_with(']')
        && host_and_port
            .rsplit_once(':')
            .is_some_and(|(_, port)| port.parse::<u16>().is_ok());
    if has_port {
        Some(host_and_port.to_owned())
    } else {
        Some(format!("{host_and_port}:{DEFAULT_REDIS_PORT}"))
    }
}

/// The URL with any password replaced by `***`, for messages.
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let Some((user_info, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match user_info.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_addresses_get_the_default_port_when_they_name_none() {
        let cases = [
            ("redis://127.0.0.1:6379", Some("127.0.0.1:6379")),
            ("redis://localhost", Some("localhost:6379")),
            ("redis://:secret@cache:6380/2", Some("cache:6380")),
            ("redis://[::1]", Some("[::1]:6379")),
            ("redis://[::1]:7000?timeout=1", Some("[::1]:7000")),
            ("redis://", None),
            ("http://127.0.0.1:6379", None),
        ];
        for (url, expected) in cases {
            assert_eq!(redis_address(url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn passwords_are_hidden_and_everything_else_kept() {
        assert_eq!(
            hide_password("postgres://kensho:s3cret@db:5432/test?sslmode=disable"),
            "postgres://kensho:***@db:5432/test?sslmode=disable"
        );
        assert_eq!(
            hide_password("postgres://postgres@127.0.0.1:5432/test"),
            "postgres://postgres@127.0.0.1:5432/test"
        );
        assert_eq!(
            hide_password("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
    }
}
