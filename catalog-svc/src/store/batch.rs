//! The write statements of one record, shaped for the backend they run on.
//!
//! Statement templates mark each placeholder with `$?`; the batch numbers them. Rows go in as
//! multi-row `INSERT`s on PostgreSQL, where each statement is a round trip; on SQLite each row
//! is one run of a single-row statement prepared once per connection, which costs less than
//! preparing a multi-row statement of a new size, and the whole batch goes to the database in
//! one hand-off anyway.

use super::database::{Param, Query};
use super::sql::Backend;

/// The placeholder marker in statement templates.
const PLACEHOLDER: &str = "$?";
/// Most arguments in one statement, well under SQLite's limit of 32,766 and PostgreSQL's 65,535.
const MAX_ARGUMENTS_PER_STATEMENT: usize = 20_000;

/// Statements to run in order, inside one transaction.
pub(super) struct WriteBatch {
    backend: Backend,
    statements: Vec<Query>,
}

impl WriteBatch {
    /// An empty batch for `backend`.
    pub(super) fn new(backend: Backend) -> Self {
        WriteBatch {
            backend,
            statements: Vec::new(),
        }
    }

    /// Adds a statement, named `summary` in its span, whose `$?` markers take `values` in order.
    pub(super) fn push(&mut self, summary: &'static str, template: &str, values: Vec<Param>) {
        self.statements
            .push(Query::new(summary, numbered(template), values));
    }

    /// Adds `INSERT INTO table_and_columns VALUES (...) on_conflict` for every row: one
    /// statement per row on SQLite, multi-row statements under the argument limit on PostgreSQL.
    pub(super) fn insert_rows(
        &mut self,
        summary: &'static str,
        table_and_columns: &str,
        on_conflict: &str,
        rows: Vec<Vec<Param>>,
    ) {
        let Some(width) = rows.first().map(Vec::len) else {
            return;
        };
        let tuple = format!("({})", vec![PLACEHOLDER; width].join(", "));
        let rows_per_statement = match self.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => (MAX_ARGUMENTS_PER_STATEMENT / width.max(1)).max(1),
        };
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Param>> = rows.by_ref().take(rows_per_statement).collect();
            let tuples = vec![tuple.as_str(); chunk.len()].join(", ");
            self.push(
                summary,
                &format!("INSERT INTO {table_and_columns} VALUES {tuples} {on_conflict}"),
                chunk.into_iter().flatten().collect(),
            );
        }
    }

    /// The statements, in order.
    pub(super) fn into_queries(self) -> Vec<Query> {
        self.statements
    }
}

/// The template with its `$?` markers numbered `$1`, `$2`, ...
fn numbered(template: &str) -> String {
    let mut sql = String::with_capacity(template.len() + 16);
    let mut pieces = template.split(PLACEHOLDER);
    if let Some(first) = pieces.next() {
        sql.push_str(first);
    }
    for (number, piece) in (1..).zip(pieces) {
        sql.push('$');
        sql.push_str(&number.to_string());
        sql.push_str(piece);
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(count: i64) -> Vec<Vec<Param>> {
        (0..count)
            .map(|number| vec![Param::from(number), Param::from(number)])
            .collect()
    }

    #[test]
    fn large_inserts_are_split_under_the_argument_limit_on_postgres() {
        let mut batch = WriteBatch::new(Backend::Postgres);
        batch.insert_rows("INSERT t", "t (a, b)", "", rows(15_000));
        let statements = batch.into_queries();
        assert_eq!(statements.len(), 2);
        assert!(
            statements
                .iter()
                .all(|statement| statement.params.len() <= MAX_ARGUMENTS_PER_STATEMENT)
        );
        assert!(
            statements[0]
                .sql
                .contains(&format!("${}", statements[0].params.len()))
        );
    }

    #[test]
    fn sqlite_inserts_reuse_one_single_row_statement() {
        let mut batch = WriteBatch::new(Backend::Sqlite);
        batch.insert_rows("INSERT t", "t (a, b)", "ON CONFLICT DO NOTHING", rows(3));
        let statements = batch.into_queries();
        assert_eq!(statements.len(), 3);
        assert!(statements.iter().all(|statement| statement.sql
            == "INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING"));
    }
}
