//! JS values from `hass` → the core's Rust types. Only the card's own platforms and entities
//! are ever converted; a big house's other entities are skipped with one property read each.
use super::hass::get;
use fleet_deck_core::ha::registry::KNOWN_PLATFORMS;
use fleet_deck_core::ha::{DeviceEntry, EntityEntry, EntityState, StateMap};
use fleet_deck_core::chart::{Point, Series};
use fleet_deck_core::ha::history::{statistic_point, HistoryRow};
use fleet_deck_core::time::parse_iso;
use js_sys::{Object, Reflect};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use wasm_bindgen::{JsCast, JsValue};

fn values(obj: &JsValue) -> js_sys::Array {
    if obj.is_object() {
        Object::values(obj.unchecked_ref::<Object>())
    } else {
        js_sys::Array::new()
    }
}

/// `hass.entities` entries of the platforms the card knows. Malformed entries are skipped.
pub fn known_entities(entities: &JsValue) -> Vec<EntityEntry> {
    let platform_key = JsValue::from_str("platform");
    values(entities)
        .iter()
        .filter(|e| {
            Reflect::get(e, &platform_key)
                .ok()
                .and_then(|p| p.as_string())
                .is_some_and(|p| KNOWN_PLATFORMS.contains(&p.as_str()))
        })
        .filter_map(|e| serde_wasm_bindgen::from_value::<EntityEntry>(e).ok())
        .filter(|e| !e.entity_id.is_empty())
        .collect()
}

/// The devices the entities point at, and their `via_device` ancestors (endpoints, stacks, fleets).
pub fn devices_for(devices: &JsValue, entities: &[EntityEntry]) -> HashMap<String, DeviceEntry> {
    let mut out: HashMap<String, DeviceEntry> = HashMap::new();
    let mut todo: Vec<String> = entities.iter().filter_map(|e| e.device_id.clone()).collect::<HashSet<_>>().into_iter().collect();
    while let Some(id) = todo.pop() {
        if out.contains_key(&id) {
            continue;
        }
        let raw = get(devices, &id);
        if !raw.is_object() {
            continue;
        }
        if let Ok(mut d) = serde_wasm_bindgen::from_value::<DeviceEntry>(raw) {
            if d.id.is_empty() {
                d.id = id.clone();
            }
            if let Some(via) = d.via_device_id.clone() {
                todo.push(via);
            }
            out.insert(id, d);
        }
    }
    // balena fleet devices have no entities of their own; they are found through `via`
    // above, and empty fleets (no tracked devices) by their identifier.
    out
}

/// balena fleet devices, including fleets whose devices are not tracked (shown only on request).
pub fn balena_fleet_devices(devices: &JsValue) -> Vec<DeviceEntry> {
    values(devices)
        .iter()
        .filter(|d| {
            let ids = get(d, "identifiers");
            js_sys::Array::is_array(&ids)
                && js_sys::Array::from(&ids).iter().any(|pair| {
                    let pair = js_sys::Array::from(&pair);
                    pair.get(0).as_string().as_deref() == Some("balena_cloud")
                        && pair.get(1).as_string().is_some_and(|v| v.starts_with("fleet_"))
                })
        })
        .filter_map(|d| serde_wasm_bindgen::from_value::<DeviceEntry>(d).ok())
        .collect()
}

/// One `hass.states[id]` object. Missing or malformed pieces become defaults, never errors.
pub fn entity_state(obj: &JsValue) -> Option<EntityState> {
    if !obj.is_object() {
        return None;
    }
    let state = get(obj, "state").as_string().unwrap_or_default();
    let attributes: Map<String, Value> = serde_wasm_bindgen::from_value(get(obj, "attributes")).unwrap_or_default();
    let ts = |k: &str| get(obj, k).as_string().and_then(|s| parse_iso(&s)).unwrap_or(0.0);
    Some(EntityState { state, attributes, last_changed: ts("last_changed"), last_updated: ts("last_updated") })
}

/// The states of `ids` from `hass.states`.
pub fn states_for<'a>(states: &JsValue, ids: impl IntoIterator<Item = &'a String>) -> StateMap {
    ids.into_iter().filter_map(|id| entity_state(&get(states, id)).map(|s| (id.clone(), s))).collect()
}

/// Any JSON-like JS value as `serde_json::Value`.
pub fn json(value: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(value.clone()).unwrap_or(Value::Null)
}

/// The `[key, list]` pairs of a `{key: [..]}` object (history and statistics results).
fn lists(obj: &JsValue) -> impl Iterator<Item = (String, js_sys::Array)> {
    let entries = if obj.is_object() { Object::entries(obj.unchecked_ref::<Object>()) } else { js_sys::Array::new() };
    entries.into_iter().filter_map(|e| {
        let e: js_sys::Array = e.unchecked_into();
        let list = e.get(1);
        Some((e.get(0).as_string()?, js_sys::Array::is_array(&list).then(|| list.unchecked_into())?))
    })
}

/// A `history/stream` event's `states` (`{entity_id: [{s, lu, lc?}, …]}`) as chart points per
/// entity (epoch seconds; unavailable/non-numeric states are gaps). Read straight from the JS
/// object: no JSON round trip and no serde code for this shape in the bundle.
pub fn history_points(ev: &JsValue) -> Vec<(String, Vec<Point>)> {
    lists(&get(ev, "states"))
        .map(|(id, rows)| {
            let points = rows
                .iter()
                .filter_map(|r| HistoryRow { s: get(&r, "s").as_string(), a: None, lu: get(&r, "lu").as_f64(), lc: get(&r, "lc").as_f64() }.point())
                .collect();
            (id, points)
        })
        .collect()
}

/// A `recorder/statistics_during_period` result (`{statistic_id: [{start (ms), mean}, …]}`) as
/// a series of means per entity.
pub fn statistics_means(result: &JsValue) -> Vec<(String, Series)> {
    lists(result)
        .map(|(id, rows)| {
            let mut s = Series::new(rows.iter().filter_map(|r| statistic_point(get(&r, "start").as_f64()?, get(&r, "mean").as_f64())).collect());
            s.sort();
            (id, s)
        })
        .collect()
}
