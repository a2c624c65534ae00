//! Versioning of the contract. `docs/openapi/kensho-v1.json` is the last released document. The
//! generated document may differ from it in a breaking way (an operation or schema removed, a
//! response field removed, a new required parameter, an enum narrowed) only when CHANGELOG.md
//! names the change under `## Unreleased` / `### Breaking`; any other difference means the
//! committed document is stale and `cargo xtask openapi` rewrites it.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

const SNAPSHOT: &str = "docs/openapi/kensho-v1.json";
const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// One breaking change, and what CHANGELOG.md must name to declare it (a path or schema).
#[derive(Debug, PartialEq, Eq)]
struct BreakingChange {
    description: String,
    subject: String,
}

fn change(description: String, subject: &str) -> BreakingChange {
    BreakingChange {
        description,
        subject: subject.to_owned(),
    }
}

fn operations(document: &Value) -> BTreeMap<(String, String), &Value> {
    let mut operations = BTreeMap::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                operations.insert((method.to_owned(), path.clone()), operation);
            }
        }
    }
    operations
}

fn parameters(operation: &Value) -> Vec<&Value> {
    operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .collect()
}

/// Removed properties and narrowed enums anywhere inside `released` that `generated` keeps.
fn compare_schemas(
    released: &Value,
    generated: &Value,
    at: &str,
    subject: &str,
) -> Vec<BreakingChange> {
    let (Some(released), Some(generated)) = (released.as_object(), generated.as_object()) else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    if let (Some(old), Some(new)) = (released.get("properties"), generated.get("properties")) {
        for field in old.as_object().into_iter().flatten().map(|(name, _)| name) {
            if new.get(field).is_none() {
                changes.push(change(format!("removed field {at}.{field}"), subject));
            }
        }
    }
    if let (Some(Value::Array(old)), Some(Value::Array(new))) =
        (released.get("enum"), generated.get("enum"))
    {
        let dropped: Vec<&Value> = old.iter().filter(|value| !new.contains(value)).collect();
        if !dropped.is_empty() {
            changes.push(change(
                format!("narrowed enum at {at}: {dropped:?} no longer allowed"),
                subject,
            ));
        }
    }
    for (key, old) in released {
        if let Some(new) = generated.get(key) {
            changes.extend(compare_schemas(old, new, &format!("{at}.{key}"), subject));
        }
    }
    changes
}

fn breaking_changes(released: &Value, generated: &Value) -> Vec<BreakingChange> {
    let mut changes = Vec::new();
    let generated_operations = operations(generated);
    for ((method, path), old) in operations(released) {
        let Some(new) = generated_operations.get(&(method.clone(), path.clone())) else {
            changes.push(change(
                format!("removed operation {} {path}", method.to_uppercase()),
                &path,
            ));
            continue;
        };
        let old_parameters = parameters(old);
        for parameter in parameters(new) {
            let same = old_parameters
                .iter()
                .find(|old| old["name"] == parameter["name"] && old["in"] == parameter["in"]);
            let was_required = same.is_some_and(|old| old["required"] == true);
            if parameter["required"] == true && !was_required {
                changes.push(change(
                    format!(
                        "new required parameter {} of {} {path}",
                        parameter["name"],
                        method.to_uppercase()
                    ),
                    &path,
                ));
            }
            if let Some(old) = same {
                changes.extend(compare_schemas(
                    &old["schema"],
                    &parameter["schema"],
                    &format!("{path} {}", parameter["name"]),
                    &path,
                ));
            }
        }
    }
    let generated_schemas = &generated["components"]["schemas"];
    for (name, old) in released["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        match generated_schemas.get(name) {
            None => changes.push(change(format!("removed schema {name}"), name)),
            Some(new) => changes.extend(compare_schemas(old, new, name, name)),
        }
    }
    changes
}

/// The `### Breaking` part of the `## Unreleased` section of a changelog.
fn declared_breaking(changelog: &str) -> String {
    let unreleased = changelog
        .split("\n## ")
        .find(|section| section.trim_start_matches("## ").starts_with("Unreleased"))
        .unwrap_or_default();
    unreleased
        .split("\n### ")
        .find(|part| part.starts_with("Breaking"))
        .unwrap_or_default()
        .to_owned()
}

fn undeclared<'a>(changes: &'a [BreakingChange], changelog: &str) -> Vec<&'a BreakingChange> {
    let declared = declared_breaking(changelog);
    changes
        .iter()
        .filter(|change| !declared.contains(&change.subject))
        .collect()
}

#[test]
fn the_committed_document_is_current_and_nothing_breaks_it_undeclared() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let released: Value = serde_json::from_slice(
        &std::fs::read(repository.join(SNAPSHOT)).expect("read docs/openapi/kensho-v1.json"),
    )
    .expect("the committed document is JSON");
    let changelog =
        std::fs::read_to_string(repository.join("CHANGELOG.md")).expect("read CHANGELOG.md");
    let generated = serde_json::to_value(kensho_gateway::openapi_document()).expect("JSON");

    let changes = breaking_changes(&released, &generated);

    let undeclared = undeclared(&changes, &changelog);
    assert!(
        undeclared.is_empty(),
        "breaking changes against {SNAPSHOT} that CHANGELOG.md does not name under \
         `## Unreleased` / `### Breaking`: {undeclared:#?}"
    );
    assert!(
        !changes.is_empty() || released == generated,
        "{SNAPSHOT} is stale (the generated document differs without breaking it): run \
         `cargo xtask openapi` and commit the result"
    );
}

fn document(paths: Value, schemas: Value) -> Value {
    json!({"openapi": "3.1.0", "paths": paths, "components": {"schemas": schemas}})
}

fn search_with(parameter: Value) -> Value {
    json!({"/api/v1/search": {"get": {"parameters": [parameter]}}})
}

#[test]
fn removing_an_operation_or_a_response_field_is_breaking() {
    let released = document(
        json!({"/api/v1/tags": {"get": {}}, "/api/v1/seasons": {"get": {}}}),
        json!({"Tag": {"properties": {"name": {}, "category": {}}}}),
    );
    let generated = document(
        json!({"/api/v1/tags": {"get": {}}}),
        json!({"Tag": {"properties": {"name": {}}}}),
    );

    let changes = breaking_changes(&released, &generated);

    let subjects: Vec<&str> = changes
        .iter()
        .map(|change| change.subject.as_str())
        .collect();
    assert_eq!(subjects, ["/api/v1/seasons", "Tag"], "{changes:?}");
}

#[test]
fn a_new_required_parameter_and_a_narrowed_enum_are_breaking() {
    let released =
        search_with(json!({"name": "kind", "in": "query", "schema": {"enum": ["tv", "movie"]}}));
    let generated = search_with(
        json!({"name": "kind", "in": "query", "required": true, "schema": {"enum": ["tv"]}}),
    );

    let changes = breaking_changes(
        &document(released, json!({})),
        &document(generated, json!({})),
    );

    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(changes[0].description.starts_with("new required parameter"));
    assert!(changes[1].description.starts_with("narrowed enum"));
}

#[test]
fn additions_are_not_breaking() {
    let released = document(
        json!({"/api/v1/tags": {"get": {}}}),
        json!({"Tag": {"properties": {"name": {}}, "enum": ["a"]}}),
    );
    let generated = document(
        json!({"/api/v1/tags": {"get": {"parameters": [{"name": "sort", "in": "query", "required": false}]}}, "/api/v1/seasons": {"get": {}}}),
        json!({"Tag": {"properties": {"name": {}, "category": {}}, "enum": ["a", "b"]}}),
    );

    assert_eq!(breaking_changes(&released, &generated), []);
}

#[test]
fn a_breaking_change_named_under_unreleased_breaking_is_declared() {
    let changes = [change(
        "removed operation GET /api/v1/seasons".to_owned(),
        "/api/v1/seasons",
    )];
    let declared = "# Changelog\n\n## Unreleased\n\n### Breaking\n\n- `/api/v1/seasons` is gone.\n\n## 0.1.0\n";
    let released_only = "# Changelog\n\n## Unreleased\n\n### Added\n\n- x\n\n## 0.1.0\n\n### Breaking\n\n- `/api/v1/seasons`\n";

    assert!(undeclared(&changes, declared).is_empty());
    assert_eq!(undeclared(&changes, released_only).len(), 1);
}
