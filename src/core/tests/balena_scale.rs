//! A generated 1,000-device eseverson install (10 fleets × 100 devices, 13 entities each, every
//! 10th device offline, plus 2 fleets without devices), with and without a device registry.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use fleet_deck_core::aggregate::fleets::fleet_summaries;
use fleet_deck_core::config::{DeviceSort, FleetGroupBy, FleetOptions};
use fleet_deck_core::discovery::balena::discover;
use fleet_deck_core::ha::{DeviceEntry, EntityEntry, EntityState, Registry, StateMap};
use fleet_deck_core::model::{Device, Source};
use fleet_deck_core::status::device::{device_status, DeviceState, DeviceStatus};
use fleet_deck_core::view::devices::device_groups;
use serde_json::{json, Map, Value};

const FLEETS: usize = 10;
const PER_FLEET: usize = 100;

fn uuid(f: usize, n: usize) -> String {
    format!("{f:04x}{n:028x}")
}

/// Builds the install the way eseverson registers it (reference §4, §5, §7).
fn install(with_registry: bool) -> (Registry, StateMap) {
    let mut reg = Registry::default();
    let mut states = StateMap::default();
    for f in 0..FLEETS + 2 {
        let id = format!("fleetdev{f}");
        reg.devices.insert(
            id.clone(),
            DeviceEntry {
                id,
                name: Some(format!("fleet-{f:02}")),
                identifiers: vec![json!(["balena_cloud", format!("fleet_{}", 3_000_000 + f)])],
                ..Default::default()
            },
        );
    }
    for f in 0..FLEETS {
        for n in 0..PER_FLEET {
            let uuid = uuid(f, n);
            let name = format!("dev-{f:02}-{n:03}");
            let slug = name.replace('-', "_");
            let online = n % 10 != 0;
            let dev_id = format!("regdev_{f}_{n}");
            if with_registry {
                reg.devices.insert(
                    dev_id.clone(),
                    DeviceEntry {
                        id: dev_id.clone(),
                        name: Some(name.clone()),
                        identifiers: vec![json!(["balena_cloud", uuid.clone()])],
                        via_device_id: Some(format!("fleetdev{f}")),
                        configuration_url: Some(format!("https://dashboard.balena-cloud.com/devices/{uuid}")),
                        ..Default::default()
                    },
                );
            }
            let ip = format!("10.{f}.{}.{}", n / 250, n % 250 + 1);
            let mut common = Map::new();
            for (k, v) in [
                ("device_uuid", json!(uuid)),
                ("device_name", json!(name)),
                ("device_type", json!("")),
                ("fleet_id", json!(3_000_000 + f)),
                ("fleet_name", json!(format!("fleet-{f:02}"))),
                ("is_online", json!(online)),
                ("os_version", json!("balenaOS 6.0.24")),
                ("supervisor_version", json!("16.7.8")),
                ("ip_address", json!(ip)),
                ("last_seen", json!(format!("2026-07-08T09:{:02}:00+00:00", n % 60))),
            ] {
                common.insert(k.into(), v);
            }
            let cpu = (n % 6 * 20) as f64; // 20 % buckets, 0..=100
            let entities: [(&str, &str, bool, Value); 13] = [
                ("sensor", "cpu_usage", true, json!(cpu.to_string())),
                ("sensor", "memory_usage", true, json!("50.0")),
                ("sensor", "storage_usage", true, json!("25.0")),
                ("sensor", "temperature", true, json!("48")),
                ("sensor", "fleet", false, json!(format!("fleet-{f:02}"))),
                ("sensor", "ip_address", true, json!(ip)),
                ("sensor", "mac_address", false, json!("AA:BB:CC:DD:EE:FF")),
                ("binary_sensor", "online", false, json!(if online { "on" } else { "off" })),
                ("binary_sensor", "updating", false, json!(if n == 5 { "on" } else { "off" })),
                ("button", "restart_application", true, json!("unknown")),
                ("button", "reboot_device", true, json!("unknown")),
                ("button", "shutdown_device", true, json!("unknown")),
                ("switch", "public_url", false, json!("off")),
            ];
            for (domain, suffix, drops_offline, state) in entities {
                let entity_id = format!("{domain}.{slug}_{suffix}");
                reg.entities.push(EntityEntry {
                    entity_id: entity_id.clone(),
                    platform: Some("balena_cloud".into()),
                    device_id: with_registry.then(|| dev_id.clone()),
                    ..Default::default()
                });
                let st = if drops_offline && !online {
                    // What HA keeps on an unavailable entity: no extra attributes.
                    EntityState::new("unavailable").with_attr("friendly_name", json!(format!("{name} {suffix}")))
                } else {
                    let mut st = EntityState::new(state.as_str().unwrap_or_default());
                    st.attributes = common.clone().into();
                    if suffix == "memory_usage" {
                        st.attributes.insert("memory_usage", json!(1000));
                        st.attributes.insert("memory_total", json!(2000));
                    }
                    st
                };
                states.insert(entity_id, st);
            }
        }
    }
    (reg, states)
}

fn check_install(with_registry: bool) -> Duration {
    let (reg, states) = install(with_registry);
    let start = Instant::now();
    let inv = discover(&reg, &states);
    let statuses: HashMap<String, DeviceStatus> =
        inv.devices.iter().map(|d| (d.key.clone(), device_status(d, &states))).collect();
    let groups = device_groups(&inv, &statuses, &FleetOptions::default(), "");
    let elapsed = start.elapsed();

    assert_eq!(inv.devices.len(), FLEETS * PER_FLEET);
    assert_eq!(inv.fleets.len(), FLEETS + 2, "the two device-less fleets are returned too");
    assert_eq!(inv.entity_ids().len(), FLEETS * PER_FLEET * 13);
    // Every device, offline ones included, has all 13 roles and the right fleet.
    for d in &inv.devices {
        assert_eq!(d.roles.entity_ids().count(), 13, "{}", d.name);
        assert_eq!(d.source, Source::BalenaCloud);
        let f: usize = d.name[4..6].parse().unwrap();
        assert_eq!(d.fleet_key, format!("fleet_{}", 3_000_000 + f));
        assert_eq!(d.roles.cpu.as_deref(), Some(format!("sensor.{}_cpu_usage", d.name.replace('-', "_")).as_str()));
    }
    let count = |s: DeviceState| statuses.values().filter(|st| st.state() == s).count();
    assert_eq!((count(DeviceState::Online), count(DeviceState::Offline), count(DeviceState::Updating)), (890, 100, 10));

    // Default view: the 10 populated fleets, 100 devices each, sorted by name.
    assert_eq!(groups.len(), FLEETS);
    assert!(groups.iter().all(|g| g.device_keys.len() == PER_FLEET));
    assert_eq!(groups[3].title, "fleet-03");
    assert_eq!(groups[3].device_keys[0], uuid(3, 0));
    assert_eq!(groups[3].device_keys[99], uuid(3, 99));
    let shown = |opts: FleetOptions, q: &str| device_groups(&inv, &statuses, &opts, q);
    assert_eq!(shown(FleetOptions { show_empty: true, ..Default::default() }, "").len(), FLEETS + 2);
    let by_status = shown(FleetOptions { group_by: FleetGroupBy::Status, sort_by: DeviceSort::Cpu, ..Default::default() }, "");
    let sizes: Vec<(String, usize)> = by_status.iter().map(|g| (g.key.clone(), g.device_keys.len())).collect();
    assert_eq!(sizes, vec![("status:offline".into(), 100), ("status:updating".into(), 10), ("status:online".into(), 890)]);
    let top = inv.device(&by_status[2].device_keys[0]).unwrap();
    assert_eq!(statuses[&top.key].cpu_pct, Some(100.0));
    let found = shown(FleetOptions::default(), "10.7.0.43");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].device_keys, vec![uuid(7, 42)]);

    let items: Vec<(&Device, &DeviceStatus)> = inv.devices.iter().map(|d| (d, &statuses[&d.key])).collect();
    let overview = fleet_summaries(inv.fleets.iter().map(|f| f.key.as_str()), &items, &FleetOptions::default().thresholds);
    assert_eq!(
        (overview.total.total, overview.total.online, overview.total.offline, overview.total.updating),
        (1000, 900, 100, 10)
    );
    // CPU 80 or 100 on online devices: n % 6 ∈ {4, 5} and n % 10 != 0.
    let expected_over = (0..PER_FLEET).filter(|n| n % 10 != 0 && n % 6 >= 4).count() * FLEETS;
    assert_eq!(overview.total.over_threshold, expected_over);
    assert_eq!(overview.fleets.iter().filter(|s| s.total == 0).count(), 2);
    elapsed
}

#[test]
fn thousand_devices_with_registry() {
    let elapsed = check_install(true);
    // ~0.1 s unoptimised; generous for loaded CI, while a quadratic pass over 13,000
    // entities takes well over 10 s.
    assert!(elapsed < Duration::from_secs(5), "discovery + status + grouping took {elapsed:?}");
}

#[test]
fn thousand_devices_from_attributes_and_id_prefixes_only() {
    let elapsed = check_install(false);
    assert!(elapsed < Duration::from_secs(5), "discovery + status + grouping took {elapsed:?}");
}
