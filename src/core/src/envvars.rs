//! The environment-variable editor: validation, diffing, masking, the service calls and the
//! local change history.
//!
//! State of the integration (see the balena reference): `balena_cloud.update_environment`
//! takes `{device_uuid, variables}` with upsert-by-name semantics and rejects any other key
//! (`merge`, `confirm`, a target). It cannot delete, and at HEAD it has no effect at all; no read
//! path exists (`get_environment` is the proposed, response-returning addition). The editor
//! therefore offers saving/reading only when the web layer detects those services, and
//! [`EnvChange::Removed`] changes cannot be applied through `update_environment`.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::actions::ServiceCall;
use crate::config::glob_match;

const DOMAIN: &str = "balena_cloud";
pub const MAX_NAME_LEN: usize = 255;
pub const MAX_VALUE_LEN: usize = 10_000;
/// Variables with these prefixes are balena configuration variables, managed elsewhere.
const RESERVED_PREFIXES: &[&str] = &["BALENA_", "RESIN_"];
pub const HISTORY_MAX: usize = 50;
const MASK: &str = "••••••••";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnvRow {
    pub name: String,
    pub value: String,
}

impl EnvRow {
    pub fn new(name: &str, value: &str) -> Self {
        EnvRow { name: name.into(), value: value.into() }
    }
    /// A row the user added but never filled in; ignored everywhere.
    pub fn is_blank(&self) -> bool {
        self.name.is_empty() && self.value.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvField {
    Name,
    Value,
}

/// One problem in one row. `row` is the 0-based index into the rows (the catalog's `{row}` is
/// that plus one); `key` is a translation key whose `{arg}` is filled from `arg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub field: EnvField,
    pub key: &'static str,
    pub arg: Option<String>,
}

/// The first problem with a name, most fundamental first. Duplicates are checked separately.
/// For an invalid name, `arg` is the first offending character (a leading digit included).
fn name_error(name: &str) -> Option<(&'static str, Option<String>)> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some(("env.err.name_empty", None));
    };
    let bad = if first.is_ascii_alphabetic() || first == '_' {
        chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    } else {
        Some(first)
    };
    if let Some(bad) = bad {
        return Some(("env.err.name_invalid", Some(bad.to_string())));
    }
    // All ASCII from here on, so len() is the character count.
    if name.len() > MAX_NAME_LEN {
        return Some(("env.err.name_too_long", Some(MAX_NAME_LEN.to_string())));
    }
    let upper = name.to_ascii_uppercase();
    RESERVED_PREFIXES.iter().find(|p| upper.starts_with(*p)).map(|p| ("env.err.name_reserved", Some(p.to_string())))
}

fn value_error(value: &str) -> Option<(&'static str, Option<String>)> {
    if value.chars().count() > MAX_VALUE_LEN {
        Some(("env.err.value_too_long", Some(MAX_VALUE_LEN.to_string())))
    } else if value.contains('\0') {
        Some(("env.err.value_nul", None))
    } else {
        None
    }
}

/// Every problem, in row order (name before value within a row). A duplicate is reported on the
/// later row, with the 1-based number of the first row as `arg` (what the user sees).
pub fn validate(rows: &[EnvRow]) -> Vec<RowError> {
    let mut errors = Vec::new();
    let mut first_row: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        if row.is_blank() {
            continue;
        }
        let name_problem = name_error(&row.name)
            .or_else(|| first_row.get(row.name.as_str()).map(|first| ("env.err.duplicate", Some((first + 1).to_string()))));
        if let Some((key, arg)) = name_problem {
            errors.push(RowError { row: i, field: EnvField::Name, key, arg });
        }
        if !row.name.is_empty() {
            first_row.entry(row.name.as_str()).or_insert(i);
        }
        if let Some((key, arg)) = value_error(&row.value) {
            errors.push(RowError { row: i, field: EnvField::Value, key, arg });
        }
    }
    errors
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvChange {
    Added { name: String, value: String },
    Changed { name: String, old: String, new: String },
    Removed { name: String },
}

impl EnvChange {
    pub fn name(&self) -> &str {
        match self {
            EnvChange::Added { name, .. } | EnvChange::Changed { name, .. } | EnvChange::Removed { name } => name,
        }
    }
}

/// Rows as a map; blank/nameless rows are dropped and a later duplicate wins (validation has
/// already flagged it).
fn rows_map(rows: &[EnvRow]) -> BTreeMap<&str, &str> {
    rows.iter().filter(|r| !r.name.is_empty()).map(|r| (r.name.as_str(), r.value.as_str())).collect()
}

/// What saving `after_rows` would change relative to `before`, sorted by name.
pub fn diff(before: &BTreeMap<String, String>, after_rows: &[EnvRow]) -> Vec<EnvChange> {
    let after = rows_map(after_rows);
    let mut changes: Vec<EnvChange> = after
        .iter()
        .filter_map(|(&name, &value)| match before.get(name) {
            None => Some(EnvChange::Added { name: name.into(), value: value.into() }),
            Some(old) if old != value => Some(EnvChange::Changed { name: name.into(), old: old.clone(), new: value.into() }),
            Some(_) => None,
        })
        .chain(before.keys().filter(|k| !after.contains_key(k.as_str())).map(|k| EnvChange::Removed { name: k.clone() }))
        .collect();
    changes.sort_by(|a, b| a.name().cmp(b.name()));
    changes
}

/// Whether a variable's value is hidden by default (`config::FleetOptions::secret_patterns`).
pub fn is_secret(name: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| glob_match(p, name))
}

/// A fixed-width mask, so the length of a secret does not leak; empty stays empty so "no value"
/// remains visible.
pub fn mask(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        MASK.to_string()
    }
}

fn variables(rows: &[EnvRow]) -> Value {
    Value::Object(rows_map(rows).into_iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect())
}

/// `balena_cloud.update_environment` for one device. Upserts the given rows by name; send the
/// whole table or only the added/changed rows, both are valid.
pub fn update_call(device_uuid: &str, rows: &[EnvRow]) -> ServiceCall {
    let mut data = Map::new();
    data.insert("device_uuid".into(), Value::String(device_uuid.into()));
    data.insert("variables".into(), variables(rows));
    ServiceCall::data(DOMAIN, "update_environment", data)
}

/// The fleet-level variant. The integration's schema *requires* `device_uuid` today and rejects
/// unknown keys, so a `fleet_id` call only validates once the integration adds it; the caller
/// passes whether the registered schema accepts it and gets `None` otherwise.
pub fn fleet_update_call(fleet_id: i64, rows: &[EnvRow], schema_accepts_fleet_id: bool) -> Option<ServiceCall> {
    if !schema_accepts_fleet_id {
        return None;
    }
    let mut data = Map::new();
    data.insert("fleet_id".into(), Value::from(fleet_id));
    data.insert("variables".into(), variables(rows));
    Some(ServiceCall::data(DOMAIN, "update_environment", data))
}

/// `balena_cloud.get_environment` (not in the integration yet; offer it only when registered).
/// Must be sent with `return_response: true`.
pub fn get_call(device_uuid: &str) -> ServiceCall {
    let mut data = Map::new();
    data.insert("device_uuid".into(), Value::String(device_uuid.into()));
    ServiceCall::data(DOMAIN, "get_environment", data)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// Device variables from a `get_environment` response. Accepts `{variables: {…}}`, a plain
/// `{NAME: value}` map, a list of `{name, value}` records, and the proposed
/// `{device: {…}, fleet: …, service: …}` shape (device scope), each optionally wrapped in HA's
/// `{response: …}`. `None` when the shape is none of these.
pub fn parse_get_response(v: &Value) -> Option<BTreeMap<String, String>> {
    match v {
        Value::Array(items) => {
            // Skip records without a name instead of failing the whole read: the user can still
            // edit what was understood.
            Some(
                items
                    .iter()
                    .filter_map(|item| {
                        let name = item.get("name")?.as_str().filter(|n| !n.is_empty())?;
                        Some((name.to_string(), item.get("value").and_then(scalar).unwrap_or_default()))
                    })
                    .collect(),
            )
        }
        Value::Object(map) => {
            // A wrapper is recognised by a container value; a variable's value is a scalar.
            for key in ["response", "variables", "device"] {
                if let Some(inner @ (Value::Object(_) | Value::Array(_))) = map.get(key) {
                    return parse_get_response(inner);
                }
            }
            map.iter().map(|(k, v)| Some((k.clone(), scalar(v)?))).collect()
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryChange {
    pub name: String,
    pub kind: ChangeKind,
    /// The new value (masked for secrets); `None` for removals.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Epoch seconds.
    pub at: f64,
    pub user: String,
    /// Empty for fleet-level changes.
    pub device_uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fleet_id: Option<i64>,
    pub changes: Vec<HistoryChange>,
    /// The call returned, but reading the variables back did not show the values (or could
    /// not: released integrations have no read service). Their `update_environment` returns
    /// without error and changes nothing, so such an entry is "sent", not "applied".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unconfirmed: bool,
}

/// Whether the variables read back after a write (`None`: nothing could be read) show every
/// value that was sent.
pub fn confirms(read_back: Option<&BTreeMap<String, String>>, sent: &[EnvRow]) -> bool {
    read_back.is_some_and(|m| sent.iter().all(|r| m.get(&r.name) == Some(&r.value)))
}

impl HistoryChange {
    /// Secrets are masked before they are stored: the history lives in browser storage.
    pub fn from_change(change: &EnvChange, secret_patterns: &[String]) -> Self {
        let (kind, value) = match change {
            EnvChange::Added { value, .. } => (ChangeKind::Added, Some(value)),
            EnvChange::Changed { new, .. } => (ChangeKind::Changed, Some(new)),
            EnvChange::Removed { .. } => (ChangeKind::Removed, None),
        };
        let name = change.name();
        let value = value.map(|v| if is_secret(name, secret_patterns) { mask(v) } else { v.clone() });
        HistoryChange { name: name.to_string(), kind, value }
    }
}

impl HistoryEntry {
    pub fn new(at: f64, user: &str, device_uuid: &str, changes: &[EnvChange], secret_patterns: &[String]) -> Self {
        HistoryEntry {
            at,
            user: user.to_string(),
            device_uuid: device_uuid.to_string(),
            fleet_id: None,
            changes: changes.iter().map(|c| HistoryChange::from_change(c, secret_patterns)).collect(),
            unconfirmed: false,
        }
    }
}

/// Append `entry` (the list is oldest first) and drop the oldest beyond `max`.
pub fn push_history(list: &mut Vec<HistoryEntry>, entry: HistoryEntry, max: usize) {
    list.push(entry);
    if list.len() > max {
        let excess = list.len() - max;
        list.drain(..excess);
    }
}
