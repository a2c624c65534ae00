use std::collections::BTreeMap;

use serde_json::json;

use super::*;

fn flags(definitions: Value) -> Flags {
    Flags::from_json(&definitions.to_string()).expect("valid flag definitions")
}

fn boolean_flag(state: &str, default_variant: &str, targeting: Option<Value>) -> Value {
    let mut flag = json!({
        "state": state,
        "variants": {"on": true, "off": false},
        "defaultVariant": default_variant,
    });
    if let Some(targeting) = targeting {
        flag["targeting"] = targeting;
    }
    flag
}

fn rollout(percent_on: u64) -> Value {
    json!({"fractional": [["on", percent_on], ["off", 100 - percent_on]]})
}

#[test]
fn a_flag_without_targeting_answers_its_default_variant() {
    let flags = flags(json!({"flags": {
        "edge-cache": boolean_flag("ENABLED", "on", None),
        "similar-anime": boolean_flag("ENABLED", "off", Some(json!({}))),
    }}));
    let on = flags.evaluate("edge-cache", "user-1", false);
    assert!(on.value);
    assert_eq!(on.variant.as_deref(), Some("on"));
    assert_eq!(on.reason, Reason::Static);
    assert!(!flags.enabled("similar-anime", "user-1", true));
}

#[test]
fn a_disabled_missing_or_mistyped_flag_takes_the_code_default() {
    let flags = flags(json!({"flags": {
        "off-switch": boolean_flag("DISABLED", "on", None),
        "colour": {"state": "ENABLED", "variants": {"red": "#f00"}, "defaultVariant": "red"},
    }}));
    for (key, reason) in [
        ("off-switch", Reason::Disabled),
        ("colour", Reason::Error),
        ("unknown", Reason::Error),
    ] {
        for default in [true, false] {
            let evaluation = flags.evaluate(key, "user-1", default);
            assert_eq!(evaluation.value, default, "{key}");
            assert_eq!(evaluation.variant, None, "{key}");
            assert_eq!(evaluation.reason, reason, "{key}");
        }
    }
    assert!(Flags::none().enabled("edge-cache", "user-1", true));
}

#[test]
fn a_percentage_rollout_reaches_about_that_share_of_callers_and_sticks() {
    let flags =
        flags(json!({"flags": {"edge-cache": boolean_flag("ENABLED", "off", Some(rollout(25)))}}));
    let callers: Vec<String> = (0..10_000).map(|number| format!("user-{number}")).collect();
    let on = callers
        .iter()
        .filter(|caller| flags.enabled("edge-cache", caller, false))
        .count();
    assert!(
        (2_200..=2_800).contains(&on),
        "{on} of 10000 callers are in a 25% rollout"
    );
    for caller in callers.iter().take(100) {
        let first = flags.evaluate("edge-cache", caller, false);
        assert_eq!(first.reason, Reason::TargetingMatch);
        assert_eq!(
            flags.evaluate("edge-cache", caller, false),
            first,
            "{caller} sticks"
        );
    }
}

#[test]
fn a_caller_without_a_targeting_key_gets_the_default_variant() {
    let flags =
        flags(json!({"flags": {"edge-cache": boolean_flag("ENABLED", "on", Some(rollout(0)))}}));
    let evaluation = flags.evaluate("edge-cache", "", false);
    assert!(evaluation.value);
    assert_eq!(evaluation.reason, Reason::Default);
}

#[test]
fn buckets_are_the_ones_flagd_computes() {
    // flagd's own fractional test: `headerColor`, bucketed by the flag key and the e-mail.
    let variants: BTreeMap<String, Value> = ["red", "blue", "green", "yellow"]
        .into_iter()
        .map(|name| (name.to_owned(), json!(name)))
        .collect();
    let rule = json!({"fractional": [
        {"cat": [{"var": "$flagd.flagKey"}, {"var": "targetingKey"}]},
        ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]
    ]});
    let rollout = Rollout::parse("headerColor", &rule, &variants).expect("valid rule");
    for (email, expected) in [
        ("rachel@faas.com", "blue"),
        ("monica@faas.com", "yellow"),
        ("joey@faas.com", "red"),
        ("ross@faas.com", "blue"),
    ] {
        assert_eq!(
            rollout.variant("headerColor", email),
            Some(expected),
            "{email}"
        );
    }
}

#[test]
fn an_unusable_definition_is_refused_naming_the_flag() {
    let cases = [
        json!({"flags": {"a": boolean_flag("ENABLED", "maybe", None)}}),
        json!({"flags": {"b": boolean_flag("ENABLED", "on", Some(json!({"fractional": [["sometimes", 50]]})))}}),
        json!({"flags": {"c": boolean_flag("ENABLED", "on", Some(json!({"if": [true, "on", "off"]})))}}),
        json!({"flags": {"d": boolean_flag("ENABLED", "on", Some(json!({"fractional": [["on", 0], ["off", 0]]})))}}),
        json!({"flags": {"e": boolean_flag("ENABLED", "on", Some(json!({"fractional": [{"var": "email"}, ["on", 1]]})))}}),
    ];
    for (case, flag) in cases.iter().zip(["a", "b", "c", "d", "e"]) {
        let error = Flags::from_json(&case.to_string()).expect_err("refused");
        assert!(
            matches!(&error, FlagError::Flag { flag: named, .. } if named == flag),
            "{flag}: {error}"
        );
    }
    let unknown_state = json!({"flags": {"f": boolean_flag("SOMETIMES", "on", None)}});
    assert!(matches!(
        Flags::from_json(&unknown_state.to_string()),
        Err(FlagError::Shape(_))
    ));
}

#[test]
fn a_reload_applies_a_good_file_and_keeps_the_flags_when_the_new_one_is_bad() {
    let directory = std::env::temp_dir().join(format!("kensho-flags-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temporary directory");
    let path = directory.join("flags.json");
    let write = |definitions: Value| std::fs::write(&path, definitions.to_string()).expect("write");
    write(json!({"flags": {"edge-cache": boolean_flag("ENABLED", "off", None)}}));
    let settings = FlagSettings {
        file: Some(path.clone()),
        ..FlagSettings::default()
    };
    let flags = Flags::load(&settings).expect("the file loads");
    assert!(!flags.enabled("edge-cache", "user-1", true));
    write(json!({"flags": {"edge-cache": boolean_flag("ENABLED", "on", None)}}));
    assert!(flags.reload_from(&path));
    assert!(flags.enabled("edge-cache", "user-1", false));
    std::fs::write(&path, "{\"flags\": ").expect("write");
    assert!(!flags.reload_from(&path));
    assert!(
        flags.enabled("edge-cache", "user-1", false),
        "the good flags stay"
    );
    std::fs::remove_dir_all(&directory).expect("clean up");
}

#[tokio::test]
async fn a_changed_file_is_picked_up_by_the_reload_task() {
    let directory = std::env::temp_dir().join(format!("kensho-flags-task-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temporary directory");
    let path = directory.join("flags.json");
    std::fs::write(
        &path,
        json!({"flags": {"edge-cache": boolean_flag("ENABLED", "off", None)}}).to_string(),
    )
    .expect("write");
    let settings = FlagSettings {
        file: Some(path.clone()),
        reload_interval_ms: 10,
    };
    let flags = Flags::load(&settings).expect("the file loads");
    let mut changes = flags.changes();
    let shutdown = Shutdown::new();
    // Written before the task starts: the change since loading is still seen.
    // A different length: the change shows even where the clock's resolution hides the mtime.
    std::fs::write(
        &path,
        json!({"flags": {"edge-cache": boolean_flag("ENABLED", "on", None), "other": boolean_flag("ENABLED", "on", None)}})
            .to_string(),
    )
    .expect("write");
    flags.spawn_reload(&settings, shutdown.clone());
    tokio::time::timeout(Duration::from_secs(10), changes.changed())
        .await
        .expect("the reload task applies the new file");
    assert!(flags.enabled("edge-cache", "user-1", false));
    shutdown.trigger();
    std::fs::remove_dir_all(&directory).expect("clean up");
}
