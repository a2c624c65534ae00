//! A batch of write statements that runs in as few round trips as the backend allows.
//!
//! Statement templates mark each placeholder with `$?`; the batch numbers them when it runs. On
//! SQLite, whose driver binds `$N` against one argument list across several statements, the
//! whole batch goes to the database in one call, which matters: each call is a hand-off to the
//! connection's worker thread and costs more than the statement itself. On PostgreSQL every
//! statement runs on its own. Each call to the database is one statement span: a single
//! statement's own summary (`INSERT anime_tag`), or `BATCH` for several in one call.

use kensho_telemetry::database::DatabaseTarget;
use sqlx::{Any, AssertSqlSafe, Transaction};
use tracing::Instrument;

use super::StoreError;
use super::sql::Backend;

/// The placeholder marker in statement templates.
const PLACEHOLDER: &str = "$?";
/// Most arguments sent in one call, well under SQLite's limit of 32,766.
const MAX_ARGUMENTS_PER_CALL: usize = 20_000;

/// A value bound to a placeholder.
pub(super) enum Value<'a> {
    /// Borrowed text.
    Text(&'a str),
    /// Owned text.
    Owned(String),
    /// An integer.
    Integer(i64),
    /// An integer or NULL.
    OptionalInteger(Option<i64>),
    /// Text or NULL.
    OptionalText(Option<&'a str>),
    /// A floating-point number or NULL.
    OptionalFloat(Option<f64>),
}

/// One statement of a batch.
struct Statement<'a> {
    /// Its span name: operation and table (`INSERT anime`).
    summary: &'static str,
    /// The SQL with `$?` markers.
    template: String,
    /// What the markers take, in order.
    values: Vec<Value<'a>>,
}

/// Statements to run in order, inside one transaction.
#[derive(Default)]
pub(super) struct WriteBatch<'a> {
    statements: Vec<Statement<'a>>,
}

impl<'a> WriteBatch<'a> {
    /// Adds a statement, named `summary` in its span, whose `$?` markers take `values` in order.
    pub(super) fn push(&mut self, summary: &'static str, template: String, values: Vec<Value<'a>>) {
        self.statements.push(Statement {
            summary,
            template,
            values,
        });
    }

    /// Adds `INSERT INTO table_and_columns VALUES (...), (...) on_conflict`, one tuple per row,
    /// split so no statement exceeds the argument limit.
    pub(super) fn insert_rows(
        &mut self,
        summary: &'static str,
        table_and_columns: &str,
        on_conflict: &str,
        rows: Vec<Vec<Value<'a>>>,
    ) {
        let Some(width) = rows.first().map(Vec::len) else {
            return;
        };
        let rows_per_statement = (MAX_ARGUMENTS_PER_CALL / width.max(1)).max(1);
        let tuple = format!("({})", vec![PLACEHOLDER; width].join(", "));
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<Value<'a>>> = rows.by_ref().take(rows_per_statement).collect();
            let tuples = vec![tuple.as_str(); chunk.len()].join(", ");
            self.push(
                summary,
                format!("INSERT INTO {table_and_columns} VALUES {tuples} {on_conflict}"),
                chunk.into_iter().flatten().collect(),
            );
        }
    }

    /// Runs every statement in `transaction`.
    pub(super) async fn execute(
        self,
        transaction: &mut Transaction<'_, Any>,
        backend: Backend,
        database: &DatabaseTarget,
    ) -> Result<(), StoreError> {
        match backend {
            Backend::Sqlite => {
                let mut call = Vec::new();
                let mut arguments = 0;
                for statement in self.statements {
                    if arguments + statement.values.len() > MAX_ARGUMENTS_PER_CALL
                        && !call.is_empty()
                    {
                        run(transaction, database, std::mem::take(&mut call), false).await?;
                        arguments = 0;
                    }
                    arguments += statement.values.len();
                    call.push(statement);
                }
                if !call.is_empty() {
                    run(transaction, database, call, false).await?;
                }
            }
            Backend::Postgres => {
                for statement in self.statements {
                    run(transaction, database, vec![statement], true).await?;
                }
            }
        }
        Ok(())
    }
}

/// Runs statements as one call, numbering placeholders across all of them. Combined batches
/// differ in shape from record to record, so caching their prepared form (`cache`) would only
/// evict the statements that do repeat; single statements repeat and are worth caching.
async fn run(
    transaction: &mut Transaction<'_, Any>,
    database: &DatabaseTarget,
    statements: Vec<Statement<'_>>,
    cache: bool,
) -> Result<(), StoreError> {
    let summary = match statements.as_slice() {
        [single] => single.summary,
        _ => "BATCH",
    };
    let mut sql = String::new();
    let mut next_number = 1;
    for statement in &statements {
        let mut pieces = statement.template.split(PLACEHOLDER);
        if let Some(first) = pieces.next() {
            sql.push_str(first);
        }
        for piece in pieces {
            sql.push('$');
            sql.push_str(&next_number.to_string());
            sql.push_str(piece);
            next_number += 1;
        }
        sql.push_str(";\n");
    }
    let span = database.statement_span(summary, &sql);
    let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(cache);
    for value in statements
        .into_iter()
        .flat_map(|statement| statement.values)
    {
        query = match value {
            Value::Text(text) => query.bind(text),
            Value::Owned(text) => query.bind(text),
            Value::Integer(number) => query.bind(number),
            Value::OptionalInteger(number) => query.bind(number),
            Value::OptionalText(text) => query.bind(text),
            Value::OptionalFloat(number) => query.bind(number),
        };
    }
    query.execute(&mut **transaction).instrument(span).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_inserts_are_split_under_the_argument_limit() {
        let mut batch = WriteBatch::default();
        let rows = (0..15_000)
            .map(|number| vec![Value::Integer(number), Value::Integer(number)])
            .collect();
        batch.insert_rows("INSERT t", "t (a, b)", "", rows);
        assert_eq!(batch.statements.len(), 2);
        assert!(
            batch
                .statements
                .iter()
                .all(|statement| statement.values.len() <= MAX_ARGUMENTS_PER_CALL)
        );
        assert_eq!(
            batch.statements[0].template.matches(PLACEHOLDER).count(),
            batch.statements[0].values.len()
        );
    }
}
