//! A client span per database statement, named and attributed after the OpenTelemetry database
//! semantic conventions: `SELECT anime` with `db.system.name`, `db.operation.name`,
//! `db.collection.name`, `db.query.text` (the statement with its placeholders, never a bound
//! value) and, for a database server, `server.address` and `server.port`.
//!
//! The hot path stays cheap: the summary and a static statement are borrowed `&'static str`s,
//! split without allocating; when the level filter disables the span, nothing is recorded at all.

use std::sync::Arc;

/// The span of every statement; its exported name is the statement's summary (`otel.name`).
pub const STATEMENT_SPAN: &str = "db_statement";

/// The database a store talks to, as its statement spans describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseTarget {
    system: &'static str,
    server_address: Option<Arc<str>>,
    server_port: Option<u16>,
}

impl DatabaseTarget {
    /// An embedded SQLite file.
    pub fn sqlite() -> Self {
        DatabaseTarget {
            system: "sqlite",
            server_address: None,
            server_port: None,
        }
    }

    /// A PostgreSQL server at `address:port`.
    pub fn postgresql(address: &str, port: u16) -> Self {
        DatabaseTarget {
            system: "postgresql",
            server_address: Some(Arc::from(address)),
            server_port: Some(port),
        }
    }

    /// The `db.system.name` of this database.
    pub fn system(&self) -> &'static str {
        self.system
    }

    /// A client span for one statement, a child of the current span. `summary` is the
    /// operation and the collection it works on (`SELECT anime`), or the operation alone
    /// (`VACUUM`); `text` is the statement as sent, placeholders included.
    pub fn statement_span(&self, summary: &'static str, text: &str) -> tracing::Span {
        let (operation, collection) = split_summary(summary);
        tracing::info_span!(
            STATEMENT_SPAN,
            otel.name = summary,
            otel.kind = "client",
            db.system.name = self.system,
            db.operation.name = operation,
            db.collection.name = collection,
            db.query.text = text,
            server.address = self.server_address.as_deref(),
            server.port = self.server_port,
        )
    }
}

/// `SELECT anime` → (`SELECT`, `anime`); `VACUUM` → (`VACUUM`, none).
fn split_summary(summary: &'static str) -> (&'static str, Option<&'static str>) {
    match summary.split_once(' ') {
        Some((operation, collection)) => (operation, Some(collection)),
        None => (summary, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_splits_into_operation_and_collection() {
        assert_eq!(split_summary("SELECT anime"), ("SELECT", Some("anime")));
        assert_eq!(
            split_summary("INSERT anime_tag"),
            ("INSERT", Some("anime_tag"))
        );
    }

    #[test]
    fn a_summary_without_a_collection_is_the_operation_alone() {
        assert_eq!(split_summary("VACUUM"), ("VACUUM", None));
    }

    #[test]
    fn only_a_server_has_an_address() {
        let sqlite = DatabaseTarget::sqlite();
        let postgres = DatabaseTarget::postgresql("db.internal", 5432);

        assert_eq!(sqlite.system(), "sqlite");
        assert_eq!(sqlite.server_address, None);
        assert_eq!(postgres.system(), "postgresql");
        assert_eq!(postgres.server_address.as_deref(), Some("db.internal"));
        assert_eq!(postgres.server_port, Some(5432));
    }
}
