//! The environment-variable editor's logic (reference §6.1, §8.2, §9, §11.2).
use std::collections::BTreeMap;

use fleet_deck_core::actions::ServiceCall;
use fleet_deck_core::config::FleetOptions;
use fleet_deck_core::envvars::*;
use serde_json::{json, Map, Value};

fn rows(list: &[(&str, &str)]) -> Vec<EnvRow> {
    list.iter().map(|(n, v)| EnvRow::new(n, v)).collect()
}

fn err(row: usize, field: EnvField, key: &'static str, arg: Option<&str>) -> RowError {
    RowError { row, field, key, arg: arg.map(str::to_string) }
}

fn name_errors(name: &str) -> Vec<RowError> {
    validate(&rows(&[(name, "v")]))
}

#[test]
fn valid_rows_have_no_errors() {
    let ok = rows(&[
        ("TZ", "Europe/Berlin"),
        ("LOG_LEVEL", "debug"),
        ("_private", ""),
        ("a1_B2", "x"),
        ("BALENAX", "1"),
        ("MY_BALENA_URL", "u"),
    ]);
    assert_eq!(validate(&ok), vec![]);
    assert_eq!(validate(&[]), vec![]);
}

#[test]
fn name_rules() {
    use EnvField::Name;
    assert_eq!(name_errors("1ABC"), vec![err(0, Name, "env.err.name_invalid", Some("1"))]);
    assert_eq!(name_errors("A-B"), vec![err(0, Name, "env.err.name_invalid", Some("-"))]);
    assert_eq!(name_errors(" A"), vec![err(0, Name, "env.err.name_invalid", Some(" "))]);
    assert_eq!(name_errors("A "), vec![err(0, Name, "env.err.name_invalid", Some(" "))]);
    assert_eq!(name_errors("-A"), vec![err(0, Name, "env.err.name_invalid", Some("-"))]);
    assert_eq!(name_errors("ÄB"), vec![err(0, Name, "env.err.name_invalid", Some("Ä"))]);
    assert_eq!(name_errors("AÄ"), vec![err(0, Name, "env.err.name_invalid", Some("Ä"))]);
    assert_eq!(name_errors(&"A".repeat(255)), vec![]);
    assert_eq!(name_errors(&"A".repeat(256)), vec![err(0, Name, "env.err.name_too_long", Some("255"))]);
    assert_eq!(name_errors("BALENA_HOST_CONFIG_gpu_mem"), vec![err(0, Name, "env.err.name_reserved", Some("BALENA_"))]);
    assert_eq!(name_errors("balena_x"), vec![err(0, Name, "env.err.name_reserved", Some("BALENA_"))]);
    assert_eq!(name_errors("Resin_Legacy"), vec![err(0, Name, "env.err.name_reserved", Some("RESIN_"))]);
    // A value without a name.
    assert_eq!(validate(&rows(&[("", "orphan")])), vec![err(0, Name, "env.err.name_empty", None)]);
}

#[test]
fn duplicates_are_reported_on_later_rows_with_the_first_row_number() {
    use EnvField::Name;
    let r = rows(&[("A", "1"), ("B", "2"), ("A", "3"), ("", ""), ("A", "4"), ("b", "5")]);
    assert_eq!(validate(&r), vec![err(2, Name, "env.err.duplicate", Some("1")), err(4, Name, "env.err.duplicate", Some("1"))]);
}

#[test]
fn value_rules() {
    use EnvField::{Name, Value};
    assert_eq!(validate(&rows(&[("A", &"x".repeat(10_000))])), vec![]);
    // Characters, not bytes: 10,000 two-byte characters are fine.
    assert_eq!(validate(&rows(&[("A", &"é".repeat(10_000))])), vec![]);
    assert_eq!(validate(&rows(&[("A", &"é".repeat(10_001))])), vec![err(0, Value, "env.err.value_too_long", Some("10000"))]);
    assert_eq!(validate(&rows(&[("A", "a\0b")])), vec![err(0, Value, "env.err.value_nul", None)]);
    // Both fields wrong: name first, then value.
    assert_eq!(
        validate(&rows(&[("ok", "v"), ("9x", "a\0")])),
        vec![err(1, Name, "env.err.name_invalid", Some("9")), err(1, Value, "env.err.value_nul", None)]
    );
}

#[test]
fn blank_rows_are_ignored() {
    let r = rows(&[("", ""), ("A", "1"), ("", ""), ("", "")]);
    assert_eq!(validate(&r), vec![]);
    assert!(EnvRow::default().is_blank());
    assert!(!EnvRow::new("", " ").is_blank());
}

fn map(list: &[(&str, &str)]) -> BTreeMap<String, String> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn diff_sorted_by_name() {
    let before = map(&[("A", "1"), ("B", "2"), ("C", "3")]);
    let after = rows(&[("D", "4"), ("", ""), ("C", "30"), ("B", "2")]);
    assert_eq!(
        diff(&before, &after),
        vec![
            EnvChange::Removed { name: "A".into() },
            EnvChange::Changed { name: "C".into(), old: "3".into(), new: "30".into() },
            EnvChange::Added { name: "D".into(), value: "4".into() },
        ]
    );
    assert_eq!(diff(&before, &rows(&[("A", "1"), ("B", "2"), ("C", "3")])), vec![]);
    // An emptied value is a change, not a removal.
    assert_eq!(
        diff(&map(&[("A", "1")]), &rows(&[("A", "")])),
        vec![EnvChange::Changed { name: "A".into(), old: "1".into(), new: "".into() }]
    );
}

#[test]
fn secrets_and_masking() {
    let patterns = FleetOptions::default().secret_patterns;
    for name in ["API_TOKEN", "db_password", "MY_SECRET_THING", "SSH_KEY"] {
        assert!(is_secret(name, &patterns), "{name}");
    }
    for name in ["TZ", "LOG_LEVEL", "PASS"] {
        assert!(!is_secret(name, &patterns), "{name}");
    }
    assert!(is_secret("wifi_psk", &["WIFI_?SK".to_string()]));
    assert!(!is_secret("anything", &[]));
    assert_eq!(mask("hunter2"), "••••••••");
    assert_eq!(mask(&"x".repeat(500)), "••••••••");
    assert_eq!(mask(""), "");
}

#[test]
fn update_call_payload_is_exactly_what_the_schema_accepts() {
    let call =
        update_call("a1b2c3d4e5f60718293a4b5c6d7e8f90", &rows(&[("TZ", "Europe/Berlin"), ("", ""), ("LOG_LEVEL", "debug")]));
    let mut data = Map::new();
    data.insert("device_uuid".into(), json!("a1b2c3d4e5f60718293a4b5c6d7e8f90"));
    data.insert("variables".into(), json!({"TZ": "Europe/Berlin", "LOG_LEVEL": "debug"}));
    assert_eq!(
        call,
        ServiceCall { domain: "balena_cloud".into(), service: "update_environment".into(), data, entity_ids: vec![] }
    );
}

#[test]
fn fleet_update_only_when_the_schema_accepts_it() {
    assert_eq!(fleet_update_call(2101234, &rows(&[("A", "1")]), false), None);
    let mut data = Map::new();
    data.insert("fleet_id".into(), json!(2101234));
    data.insert("variables".into(), json!({"A": "1"}));
    assert_eq!(
        fleet_update_call(2101234, &rows(&[("A", "1")]), true),
        Some(ServiceCall::data("balena_cloud", "update_environment", data))
    );
}

#[test]
fn get_call_payload() {
    let mut data = Map::new();
    data.insert("device_uuid".into(), json!("u1"));
    assert_eq!(
        get_call("u1"),
        ServiceCall { domain: "balena_cloud".into(), service: "get_environment".into(), data, entity_ids: vec![] }
    );
}

#[test]
fn get_response_shapes() {
    let expected = Some(map(&[("A", "1"), ("B", "x")]));
    assert_eq!(parse_get_response(&json!({"variables": {"A": "1", "B": "x"}})), expected);
    assert_eq!(parse_get_response(&json!({"A": "1", "B": "x"})), expected);
    assert_eq!(parse_get_response(&json!([{"name": "A", "value": "1"}, {"name": "B", "value": "x"}])), expected);
    assert_eq!(parse_get_response(&json!({"response": {"variables": {"A": "1", "B": "x"}}})), expected);
    // The §9 proposal: device scope is what the device editor edits.
    assert_eq!(parse_get_response(&json!({"device": {"A": "1", "B": "x"}, "fleet": {"C": "3"}, "service": {}})), expected);
    // Scalars are stringified; null is an empty value.
    assert_eq!(parse_get_response(&json!({"N": 5, "F": false, "Z": null})), Some(map(&[("F", "false"), ("N", "5"), ("Z", "")])));
    // A variable literally named "device" with a string value is just a variable.
    assert_eq!(parse_get_response(&json!({"device": "pi"})), Some(map(&[("device", "pi")])));
    // List records without a name are skipped.
    assert_eq!(
        parse_get_response(&json!([{"name": "A", "value": 1}, {"value": "x"}, "junk", {"name": ""}])),
        Some(map(&[("A", "1")]))
    );
    assert_eq!(parse_get_response(&json!({})), Some(BTreeMap::new()));
    assert_eq!(parse_get_response(&json!({"A": {"nested": 1}})), None);
    assert_eq!(parse_get_response(&json!("text")), None);
    assert_eq!(parse_get_response(&Value::Null), None);
}

#[test]
fn history_entries_mask_secrets_and_roundtrip() {
    let patterns = FleetOptions::default().secret_patterns;
    let changes = vec![
        EnvChange::Added { name: "API_TOKEN".into(), value: "s3cr3t".into() },
        EnvChange::Changed { name: "TZ".into(), old: "UTC".into(), new: "Europe/Berlin".into() },
        EnvChange::Removed { name: "OLD".into() },
    ];
    let entry = HistoryEntry::new(1783502043.5, "Ada", "u1", &changes, &patterns);
    let v = serde_json::to_value(&entry).unwrap();
    assert_eq!(
        v,
        json!({
            "at": 1783502043.5,
            "user": "Ada",
            "device_uuid": "u1",
            "changes": [
                {"name": "API_TOKEN", "kind": "added", "value": "••••••••"},
                {"name": "TZ", "kind": "changed", "value": "Europe/Berlin"},
                {"name": "OLD", "kind": "removed", "value": null}
            ]
        })
    );
    assert!(!v.to_string().contains("s3cr3t"));
    let back: HistoryEntry = serde_json::from_value(v).unwrap();
    assert_eq!(back, entry);
    let fleet: HistoryEntry =
        serde_json::from_value(json!({"at": 1.0, "user": "x", "device_uuid": "", "fleet_id": 7, "changes": []})).unwrap();
    assert_eq!(fleet.fleet_id, Some(7));
    assert_eq!(fleet.changes, vec![]);
    assert_eq!(back.changes[2].kind, ChangeKind::Removed);
    // Entries stored before `unconfirmed` existed read as confirmed; an unconfirmed one says so.
    assert!(!back.unconfirmed);
    let sent = HistoryEntry { unconfirmed: true, ..entry };
    let v = serde_json::to_value(&sent).unwrap();
    assert_eq!(v["unconfirmed"], json!(true));
    assert_eq!(serde_json::from_value::<HistoryEntry>(v).unwrap(), sent);
}

#[test]
fn a_write_is_confirmed_only_by_reading_every_sent_value_back() {
    let sent = [EnvRow::new("TZ", "Europe/Berlin"), EnvRow::new("MODE", "kiosk")];
    let read = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<std::collections::BTreeMap<_, _>>();
    assert!(confirms(Some(&read(&[("TZ", "Europe/Berlin"), ("MODE", "kiosk"), ("OTHER", "1")])), &sent));
    // The released integration: the call "succeeds" and the device keeps its old value.
    assert!(!confirms(Some(&read(&[("TZ", "UTC"), ("MODE", "kiosk")])), &sent));
    // No read service at all.
    assert!(!confirms(None, &sent));
}

#[test]
fn history_is_capped_oldest_first() {
    let mut list = Vec::new();
    for i in 0..52 {
        push_history(&mut list, HistoryEntry::new(i as f64, "u", "d", &[], &[]), HISTORY_MAX);
    }
    assert_eq!(HISTORY_MAX, 50);
    assert_eq!(list.len(), 50);
    assert_eq!(list.first().unwrap().at, 2.0);
    assert_eq!(list.last().unwrap().at, 51.0);
    let mut small = Vec::new();
    push_history(&mut small, HistoryEntry::new(1.0, "u", "d", &[], &[]), 50);
    assert_eq!(small.len(), 1);
}
