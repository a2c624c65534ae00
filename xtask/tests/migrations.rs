//! PostgreSQL migrations are written expand-then-contract (docs/operations.md, "Blue-green
//! installs and rollback"): during a rolling upgrade or a blue-green switch the previous release
//! runs against the migrated schema, so a migration may add tables, nullable or defaulted columns
//! and indexes, and drop indexes (queries still run, more slowly), but may not take away or change
//! what the previous release reads or writes. A statement that does (dropping a table or column,
//! renaming, changing a type, tightening to NOT NULL) is a contract step: it must say so in a
//! `-- contract:` comment naming the release that stopped using the old shape. This test checks
//! every PostgreSQL migration of the workspace by that rule.

use std::path::{Path, PathBuf};

/// What a statement does to the previous release, when it breaks it.
#[derive(Debug, PartialEq, Eq)]
enum Breaks {
    /// The previous release reads or writes what the statement removes or changes.
    Contract(&'static str),
    /// The previous release's inserts fail: a new NOT NULL column with nothing to fill it.
    RequiredColumnWithoutDefault,
}

/// The contract steps, as lowercase patterns of a statement with its whitespace collapsed.
const CONTRACT_PATTERNS: [(&str, &str); 7] = [
    ("drop table", "drops a table"),
    ("drop column", "drops a column"),
    ("rename", "renames"),
    (" type ", "changes a column type"),
    ("set not null", "tightens a column to NOT NULL"),
    ("drop constraint", "drops a constraint"),
    ("drop view", "drops a view"),
];

/// One SQL statement and whether a `-- contract:` comment precedes it.
#[derive(Debug)]
struct Statement {
    text: String,
    declared_contract: bool,
}

/// The statements of a migration, comments removed, each with the `-- contract:` marker of the
/// comment lines just before it.
fn statements(sql: &str) -> Vec<Statement> {
    let mut found = Vec::new();
    let mut current = String::new();
    let mut declared_contract = false;
    for line in sql.lines() {
        let (code, comment) = match line.find("--") {
            Some(start) => (&line[..start], Some(&line[start + 2..])),
            None => (line, None),
        };
        if comment.is_some_and(|text| text.trim_start().starts_with("contract:")) {
            declared_contract = true;
        }
        for character in code.chars() {
            if character == ';' {
                push_statement(&mut found, &mut current, &mut declared_contract);
            } else {
                current.push(character);
            }
        }
        current.push(' ');
    }
    push_statement(&mut found, &mut current, &mut declared_contract);
    found
}

fn push_statement(found: &mut Vec<Statement>, current: &mut String, declared: &mut bool) {
    let text = current
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if !text.is_empty() {
        found.push(Statement {
            text,
            declared_contract: *declared,
        });
        *declared = false;
    }
    current.clear();
}

/// How the statement breaks the previous release, if it does.
fn breaks(statement: &str) -> Option<Breaks> {
    let padded = format!(" {statement} ");
    let is_alter_table = statement.starts_with("alter table");
    for (pattern, description) in CONTRACT_PATTERNS {
        // A column type changes only in ALTER TABLE; elsewhere ` type ` is a word of a CREATE TYPE.
        if pattern == " type " && !is_alter_table {
            continue;
        }
        if padded.contains(pattern) {
            return Some(Breaks::Contract(description));
        }
    }
    if is_alter_table
        && statement.contains("add column")
        && statement.contains("not null")
        && !statement.contains("default")
    {
        return Some(Breaks::RequiredColumnWithoutDefault);
    }
    None
}

/// Every statement of `sql` that breaks the previous release without being declared a contract
/// step (a required column without a default is never allowed: it breaks the previous release's
/// inserts however it is declared).
fn violations(sql: &str) -> Vec<(String, Breaks)> {
    statements(sql)
        .into_iter()
        .filter_map(|statement| match breaks(&statement.text) {
            Some(Breaks::Contract(_)) if statement.declared_contract => None,
            Some(broken) => Some((statement.text, broken)),
            None => None,
        })
        .collect()
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// Every `migrations/postgres/*.sql` of the workspace's members.
fn postgres_migrations() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for member in std::fs::read_dir(repository()).expect("read the repository") {
        let directory = member
            .expect("a directory entry")
            .path()
            .join("migrations/postgres");
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a migration").path();
            if path.extension().is_some_and(|extension| extension == "sql") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_postgres_migration_keeps_the_previous_release_working() {
    let migrations = postgres_migrations();
    assert!(
        migrations.len() >= 5,
        "the catalog's PostgreSQL migrations are found: {migrations:?}"
    );
    let mut failures = Vec::new();
    for path in &migrations {
        let sql = std::fs::read_to_string(path).expect("read the migration");
        for (statement, broken) in violations(&sql) {
            failures.push(format!("{}: {broken:?}: {statement}", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "migrations that break the previous release (declare contract steps with a \
         `-- contract:` comment naming the release that stopped using the old shape):\n{}",
        failures.join("\n")
    );
}

#[test]
fn expanding_statements_pass() {
    let sql = "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL);\n\
               ALTER TABLE t ADD COLUMN score DOUBLE PRECISION;\n\
               ALTER TABLE t ADD COLUMN popularity BIGINT NOT NULL DEFAULT 0;\n\
               CREATE INDEX t_score_idx ON t (score);\n\
               DROP INDEX IF EXISTS t_old_idx; -- a query without it still runs";
    assert_eq!(violations(sql), Vec::new());
}

#[test]
fn undeclared_contract_steps_are_refused() {
    for statement in [
        "DROP TABLE search_word;",
        "ALTER TABLE anime DROP COLUMN synopsis;",
        "ALTER TABLE anime RENAME COLUMN title TO name;",
        "ALTER TABLE anime ALTER COLUMN episode_count TYPE INTEGER;",
        "ALTER TABLE anime ALTER COLUMN picture SET NOT NULL;",
    ] {
        let found = violations(statement);
        assert_eq!(found.len(), 1, "{statement} is refused");
        assert!(matches!(found[0].1, Breaks::Contract(_)), "{statement}");
    }
}

#[test]
fn a_declared_contract_step_passes_but_only_for_the_statement_it_precedes() {
    let sql = "-- contract: 0.3.0 no longer reads search_word (expanded away in 0.2.0)\n\
               DROP TABLE search_word;\n\
               DROP TABLE search_term;";
    let found = violations(sql);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "drop table search_term");
}

#[test]
fn a_required_column_without_a_default_is_refused_even_when_declared() {
    let sql = "-- contract: nothing can make this safe\n\
               ALTER TABLE anime ADD COLUMN rating TEXT NOT NULL;";
    assert_eq!(
        violations(sql),
        vec![(
            "alter table anime add column rating text not null".to_owned(),
            Breaks::RequiredColumnWithoutDefault
        )]
    );
}
