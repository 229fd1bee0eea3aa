//! Shared fixture loader for integration tests.
//!
//! A fixture is a snapshot of what the card sees in the frontend:
//! `{"entities": {entity_id: EntityEntry…}, "devices": {device_id: DeviceEntry…},
//!   "states": {entity_id: {"state": …, "attributes": {…}}}}`.
//! `entity_id` / `id` may be left out of the records; the map key fills them in.
#![allow(dead_code)]

use fleet_deck_core::ha::{DeviceEntry, EntityEntry, EntityState, Registry, StateMap};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `path` is relative to `tests/fixtures/` (e.g. `portainer/core_2026_11.json`).
pub fn load_fixture(path: impl AsRef<Path>) -> (Registry, StateMap) {
    let full: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path.as_ref());
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("read {}: {e}", full.display()));
    let root: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", full.display()));
    parse_fixture(&root)
}

/// The same from an in-memory JSON value, for tests that tweak a fixture.
pub fn parse_fixture(root: &Value) -> (Registry, StateMap) {
    let mut registry = Registry::default();
    for (id, v) in root.get("entities").and_then(Value::as_object).into_iter().flatten() {
        let mut e: EntityEntry = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("entity {id}: {e}"));
        if e.entity_id.is_empty() {
            e.entity_id = id.clone();
        }
        registry.entities.push(e);
    }
    // Registries arrive in arbitrary order; discovery must not depend on it.
    registry.entities.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
    for (id, v) in root.get("devices").and_then(Value::as_object).into_iter().flatten() {
        let mut d: DeviceEntry = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("device {id}: {e}"));
        if d.id.is_empty() {
            d.id = id.clone();
        }
        registry.devices.insert(id.clone(), d);
    }
    let mut states = StateMap::default();
    for (id, v) in root.get("states").and_then(Value::as_object).into_iter().flatten() {
        let mut s = EntityState::new(v.get("state").and_then(Value::as_str).unwrap_or(""));
        if let Some(attrs) = v.get("attributes").and_then(Value::as_object) {
            s.attributes = attrs.clone().into();
        }
        s.last_changed = v.get("last_changed").and_then(Value::as_f64).unwrap_or(0.0);
        s.last_updated = v.get("last_updated").and_then(Value::as_f64).unwrap_or(s.last_changed);
        states.insert(id.clone(), s);
    }
    (registry, states)
}
