//! Helpers for the `balena_*` tests, included with `#[path = "balena_common.rs"] mod common;`.
//! Fixtures go through the shared loader in `tests/common/mod.rs`. (Also compiled as its own
//! empty test target, hence the allow.)
#![allow(dead_code)]

#[path = "common/mod.rs"]
mod shared;

use std::collections::HashMap;

use fleet_deck_core::discovery::balena;
use fleet_deck_core::ha::{Registry, StateMap};
use fleet_deck_core::model::Inventory;
use fleet_deck_core::status::device::{device_status, DeviceStatus};

/// Loads `tests/fixtures/balena/<name>.json` with the shared loader.
pub fn load(name: &str) -> (Registry, StateMap) {
    shared::load_fixture(format!("balena/{name}.json"))
}

pub fn discover(name: &str) -> (Inventory, StateMap) {
    let (registry, states) = load(name);
    (balena::discover(&registry, &states), states)
}

pub fn statuses(inv: &Inventory, states: &StateMap) -> HashMap<String, DeviceStatus> {
    inv.devices.iter().map(|d| (d.key.clone(), device_status(d, states))).collect()
}

pub fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

// uuids used by the fixtures
pub const LOBBY: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
pub const FOYER: &str = "c3d4e5f60718293a4b5c6d7e8f90a1b2";
pub const DOCK1: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
pub const DOCK2: &str = "1122334455667788990011223344556a";
