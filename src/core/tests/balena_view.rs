//! The fleet view: fleet/status grouping, filters, search and sorting.
#[path = "balena_common.rs"]
mod common;

use std::collections::HashMap;

use common::*;
use fleet_deck_core::config::{DeviceSort, Filter, FleetGroupBy, FleetOptions};
use fleet_deck_core::model::{Device, DeviceRoles, Fleet, Inventory, Source};
use fleet_deck_core::status::device::{DeviceState, DeviceStatus};
use fleet_deck_core::view::devices::{device_groups, DeviceGroup, GroupKind};

fn fixture() -> (Inventory, HashMap<String, DeviceStatus>) {
    let (inv, states) = discover("eseverson");
    let st = statuses(&inv, &states);
    (inv, st)
}

/// (group key, device keys) pairs: the shape assertions care about.
fn shape(groups: &[DeviceGroup]) -> Vec<(String, Vec<String>)> {
    groups.iter().map(|g| (g.key.clone(), g.device_keys.clone())).collect()
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn grouped_by_fleet_hides_empty_fleets_by_default() {
    let (inv, st) = fixture();
    let groups = device_groups(&inv, &st, &FleetOptions::default(), "");
    assert_eq!(
        groups,
        vec![
            DeviceGroup {
                key: "fleet:fleet_2101234".into(),
                title: "signage-prod".into(),
                kind: GroupKind::Fleet { fleet_key: "fleet_2101234".into() },
                device_keys: keys(&[FOYER, LOBBY]),
            },
            DeviceGroup {
                key: "fleet:fleet_2105678".into(),
                title: "warehouse-sensors".into(),
                kind: GroupKind::Fleet { fleet_key: "fleet_2105678".into() },
                // "Dock 2 (north)" (user rename) sorts before "scale-dock-1".
                device_keys: keys(&[DOCK2, DOCK1]),
            },
        ]
    );
}

#[test]
fn show_empty_shows_empty_fleets_unless_searching() {
    let (inv, st) = fixture();
    let opts = FleetOptions { show_empty: true, ..Default::default() };
    assert_eq!(
        shape(&device_groups(&inv, &st, &opts, "")),
        vec![
            ("fleet:fleet_2109999".into(), vec![]),
            ("fleet:fleet_2101234".into(), keys(&[FOYER, LOBBY])),
            ("fleet:fleet_2105678".into(), keys(&[DOCK2, DOCK1])),
        ]
    );
    assert_eq!(shape(&device_groups(&inv, &st, &opts, "kiosk")), vec![("fleet:fleet_2101234".into(), keys(&[FOYER, LOBBY]))]);
    // A fleet emptied by hide_offline is not an "empty fleet".
    let opts = FleetOptions {
        show_empty: true,
        hide_offline: true,
        fleets: Filter { include: vec!["signage*".into()], exclude: vec![] },
        ..Default::default()
    };
    assert_eq!(shape(&device_groups(&inv, &st, &opts, "")), vec![("fleet:fleet_2101234".into(), keys(&[LOBBY]))]);
    // Every device of signage-prod offline and hidden: the fleet disappears, while the truly
    // empty audio-block stays.
    let mut all_offline = st.clone();
    all_offline.get_mut(LOBBY).unwrap().online = Some(false);
    let opts = FleetOptions { show_empty: true, hide_offline: true, ..Default::default() };
    assert_eq!(
        shape(&device_groups(&inv, &all_offline, &opts, "")),
        vec![("fleet:fleet_2109999".into(), vec![]), ("fleet:fleet_2105678".into(), keys(&[DOCK2, DOCK1]))]
    );
    // Excluded empty fleets stay hidden.
    let opts = FleetOptions {
        show_empty: true,
        fleets: Filter { include: vec![], exclude: vec!["AUDIO-*".into()] },
        ..Default::default()
    };
    assert_eq!(device_groups(&inv, &st, &opts, "").len(), 2);
}

#[test]
fn hide_offline() {
    let (inv, st) = fixture();
    let opts = FleetOptions { hide_offline: true, ..Default::default() };
    assert_eq!(
        shape(&device_groups(&inv, &st, &opts, "")),
        vec![("fleet:fleet_2101234".into(), keys(&[LOBBY])), ("fleet:fleet_2105678".into(), keys(&[DOCK2, DOCK1]))]
    );
}

#[test]
fn fleet_include_exclude_by_name() {
    let (inv, st) = fixture();
    let only = |include: &[&str], exclude: &[&str]| {
        let opts = FleetOptions { fleets: Filter { include: keys(include), exclude: keys(exclude) }, ..Default::default() };
        device_groups(&inv, &st, &opts, "").into_iter().map(|g| g.title).collect::<Vec<_>>()
    };
    assert_eq!(only(&["signage*"], &[]), vec!["signage-prod"]);
    assert_eq!(only(&[], &["*-prod"]), vec!["warehouse-sensors"]);
    assert_eq!(only(&["*"], &["warehouse*"]), vec!["signage-prod"]);
    assert_eq!(only(&["nothing"], &[]), Vec::<String>::new());
}

#[test]
fn grouped_by_status_most_urgent_first() {
    let (inv, st) = fixture();
    let opts = FleetOptions { group_by: FleetGroupBy::Status, ..Default::default() };
    let groups = device_groups(&inv, &st, &opts, "");
    assert_eq!(
        shape(&groups),
        vec![
            ("status:offline".into(), keys(&[FOYER])),
            ("status:updating".into(), keys(&[DOCK1])),
            ("status:online".into(), keys(&[DOCK2, LOBBY])),
        ]
    );
    assert_eq!(groups[0].kind, GroupKind::Status { state: DeviceState::Offline });
    assert_eq!(groups[0].title, "offline");
    // A device with no status entry is Unknown.
    let mut partial = st.clone();
    partial.remove(LOBBY);
    let groups = device_groups(&inv, &partial, &opts, "");
    assert_eq!(
        groups[2],
        DeviceGroup {
            key: "status:unknown".into(),
            title: "unknown".into(),
            kind: GroupKind::Status { state: DeviceState::Unknown },
            device_keys: keys(&[LOBBY]),
        }
    );
}

#[test]
fn search_matches_name_fleet_ip_os_and_uuid() {
    let (inv, st) = fixture();
    let opts = FleetOptions { group_by: FleetGroupBy::Status, ..Default::default() };
    let found = |q: &str| {
        let mut all: Vec<String> = device_groups(&inv, &st, &opts, q).into_iter().flat_map(|g| g.device_keys).collect();
        all.sort();
        all
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(found("KIOSK"), sorted(keys(&[FOYER, LOBBY])));
    assert_eq!(found("north"), keys(&[DOCK2]));
    assert_eq!(found("warehouse"), sorted(keys(&[DOCK1, DOCK2])));
    assert_eq!(found("10.8.0.3"), keys(&[DOCK1]));
    assert_eq!(found("192.168.1.43"), keys(&[FOYER]), "last known IP of an offline device");
    assert_eq!(found("5.3.1"), keys(&[DOCK1]));
    assert_eq!(found("a1b2c3"), keys(&[LOBBY]));
    // Every term must match some field.
    assert_eq!(found("warehouse 5.3"), keys(&[DOCK1]));
    assert_eq!(found("signage 5.3"), Vec::<String>::new());
    assert_eq!(found("   "), sorted(keys(&[FOYER, LOBBY, DOCK1, DOCK2])));
}

fn synthetic() -> (Inventory, HashMap<String, DeviceStatus>) {
    let dev = |key: &str, name: &str| Device {
        key: key.into(),
        name: name.into(),
        source: Source::BalenaCloud,
        fleet_key: "fleet_1".into(),
        device_id: None,
        configuration_url: None,
        roles: DeviceRoles::default(),
    };
    let inv = Inventory {
        fleets: vec![Fleet { key: "fleet_1".into(), name: "f".into(), fleet_id: Some(1), device_id: None }],
        devices: vec![dev("k1", "alpha"), dev("k2", "Bravo"), dev("k3", "charlie"), dev("k4", "delta"), dev("k5", "echo")],
        ..Default::default()
    };
    let s = |online: Option<bool>, updating, cpu: Option<f64>, mem: Option<f64>, temp: Option<f64>, seen: Option<f64>| {
        DeviceStatus { online, updating, cpu_pct: cpu, mem_pct: mem, temperature_c: temp, last_seen: seen, ..Default::default() }
    };
    let st = HashMap::from([
        ("k1".to_string(), s(Some(true), false, Some(20.0), Some(90.0), Some(40.0), Some(300.0))),
        ("k2".to_string(), s(Some(true), false, Some(80.0), Some(10.0), Some(70.0), Some(100.0))),
        ("k3".to_string(), s(Some(false), false, None, None, None, Some(50.0))),
        ("k4".to_string(), s(Some(true), true, Some(80.0), Some(50.0), Some(55.0), None)),
        ("k5".to_string(), s(None, false, Some(60.0), None, Some(70.0), Some(200.0))),
    ]);
    (inv, st)
}

#[test]
fn sort_orders() {
    let (inv, st) = synthetic();
    let order = |sort_by| {
        let opts = FleetOptions { sort_by, ..Default::default() };
        device_groups(&inv, &st, &opts, "").remove(0).device_keys
    };
    // Case-insensitive name.
    assert_eq!(order(DeviceSort::Name), keys(&["k1", "k2", "k3", "k4", "k5"]));
    // Offline, updating, unknown, online; then name.
    assert_eq!(order(DeviceSort::Status), keys(&["k3", "k4", "k5", "k1", "k2"]));
    // Highest first, ties by name, missing values last.
    assert_eq!(order(DeviceSort::Cpu), keys(&["k2", "k4", "k5", "k1", "k3"]));
    assert_eq!(order(DeviceSort::Memory), keys(&["k1", "k4", "k2", "k3", "k5"]));
    assert_eq!(order(DeviceSort::Temperature), keys(&["k2", "k5", "k4", "k1", "k3"]));
    // Longest silent first, never-seen last.
    assert_eq!(order(DeviceSort::LastSeen), keys(&["k3", "k2", "k5", "k1", "k4"]));
}

#[test]
fn devices_of_unlisted_fleets_are_not_dropped() {
    let (mut inv, st) = synthetic();
    inv.fleets.clear();
    let groups = device_groups(&inv, &st, &FleetOptions::default(), "");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].key, "fleet:fleet_1");
    assert_eq!(groups[0].title, "");
    assert_eq!(groups[0].device_keys.len(), 5);
}
