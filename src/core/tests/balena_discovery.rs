//! balena discovery against fixtures built from the integration reference (§4, §5, §7, §10.1).
#[path = "balena_common.rs"]
mod common;

use common::*;
use fleet_deck_core::discovery::balena::discover as balena_discover;
use fleet_deck_core::ha::{DeviceEntry, EntityEntry, EntityState, Registry, StateMap};
use fleet_deck_core::model::{Device, DeviceRoles, Fleet, Source};
use serde_json::json;

fn full_roles(prefix: &str) -> DeviceRoles {
    DeviceRoles {
        cpu: some(&format!("sensor.{prefix}_cpu_usage")),
        memory: some(&format!("sensor.{prefix}_memory_usage")),
        storage: some(&format!("sensor.{prefix}_storage_usage")),
        temperature: some(&format!("sensor.{prefix}_temperature")),
        fleet: some(&format!("sensor.{prefix}_fleet")),
        ip: some(&format!("sensor.{prefix}_ip_address")),
        mac: some(&format!("sensor.{prefix}_mac_address")),
        online: some(&format!("binary_sensor.{prefix}_online")),
        updating: some(&format!("binary_sensor.{prefix}_updating")),
        status: None,
        restart: some(&format!("button.{prefix}_restart_application")),
        reboot: some(&format!("button.{prefix}_reboot_device")),
        shutdown: some(&format!("button.{prefix}_shutdown_device")),
        public_url: some(&format!("switch.{prefix}_public_url")),
    }
}

fn device<'a>(inv: &'a fleet_deck_core::model::Inventory, key: &str) -> &'a Device {
    inv.device(key).unwrap_or_else(|| {
        panic!("device {key} not discovered; have {:?}", inv.devices.iter().map(|d| &d.key).collect::<Vec<_>>())
    })
}

#[test]
fn eseverson_fleets_including_empty_ones() {
    let (inv, _) = discover("eseverson");
    assert_eq!(
        inv.fleets,
        vec![
            Fleet {
                key: "fleet_2109999".into(),
                name: "audio-block".into(),
                fleet_id: Some(2109999),
                device_id: some("e07c000bbb")
            },
            Fleet {
                key: "fleet_2101234".into(),
                name: "signage-prod".into(),
                fleet_id: Some(2101234),
                device_id: some("e07a9c1d2f")
            },
            Fleet {
                key: "fleet_2105678".into(),
                name: "warehouse-sensors".into(),
                fleet_id: Some(2105678),
                device_id: some("e07b5f00aa")
            },
        ]
    );
    assert!(inv.endpoints.is_empty() && inv.stacks.is_empty() && inv.containers.is_empty());
}

#[test]
fn eseverson_online_device_has_all_13_roles() {
    let (inv, _) = discover("eseverson");
    assert_eq!(
        *device(&inv, LOBBY),
        Device {
            key: LOBBY.into(),
            name: "kiosk-lobby".into(),
            source: Source::BalenaCloud,
            fleet_key: "fleet_2101234".into(),
            device_id: some("5c1d0a9b8e"),
            configuration_url: some("https://dashboard.balena-cloud.com/devices/a1b2c3d4e5f60718293a4b5c6d7e8f90"),
            roles: full_roles("kiosk_lobby"),
        }
    );
    assert_eq!(device(&inv, LOBBY).roles.entity_ids().count(), 13);
}

#[test]
fn eseverson_devices_sorted_by_display_name_with_user_rename() {
    let (inv, _) = discover("eseverson");
    let names: Vec<(&str, &str, &str)> =
        inv.devices.iter().map(|d| (d.name.as_str(), d.key.as_str(), d.fleet_key.as_str())).collect();
    assert_eq!(
        names,
        vec![
            ("Dock 2 (north)", DOCK2, "fleet_2105678"),
            ("kiosk-foyer", FOYER, "fleet_2101234"),
            ("kiosk-lobby", LOBBY, "fleet_2101234"),
            ("scale-dock-1", DOCK1, "fleet_2105678"),
        ]
    );
    // 4 devices × 13 entities, all subscribed.
    assert_eq!(inv.entity_ids().len(), 52);
}

#[test]
fn offline_device_keeps_roles_of_unavailable_entities_via_registry() {
    // Offline: metric/IP sensors and buttons are `unavailable` and have lost `device_uuid`.
    let (inv, states) = discover("eseverson");
    assert_eq!(states["sensor.kiosk_foyer_cpu_usage"].attr("device_uuid"), None);
    let d = device(&inv, FOYER);
    assert_eq!(d.roles, full_roles("kiosk_foyer"));
    assert_eq!(d.fleet_key, "fleet_2101234");
    assert_eq!(d.device_id.as_deref(), Some("5c1d0a9b8f"));
}

#[test]
fn renamed_ids_and_names_fall_back_to_attribute_fingerprints() {
    let (inv, _) = discover("renamed");
    let d = device(&inv, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa01");
    assert_eq!(
        d.roles,
        DeviceRoles {
            cpu: some("sensor.room_a_cpu"),
            memory: some("sensor.room_a_ram"),
            storage: some("sensor.room_a_disk"),
            temperature: some("sensor.room_a_heat"),
            fleet: some("sensor.room_a_group"),
            ip: some("sensor.room_a_addr"),
            mac: some("sensor.room_a_hw"),
            online: some("binary_sensor.room_a_connected"),
            updating: some("binary_sensor.room_a_busy"),
            status: None,
            restart: some("button.room_a_kick"),
            reboot: some("button.room_a_bounce"),
            shutdown: some("button.room_a_halt"),
            public_url: some("switch.room_a_web"),
        }
    );
    assert_eq!(d.name, "room-a");
    assert_eq!(d.source, Source::BalenaCloud);
}

#[test]
fn renamed_ids_with_overridden_icons_use_friendly_name_suffixes() {
    let (inv, _) = discover("renamed");
    let d = device(&inv, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb02");
    let ids = ["sensor.b_0", "sensor.b_1", "sensor.b_2", "sensor.b_3", "sensor.b_4", "sensor.b_5", "sensor.b_6"];
    assert_eq!(
        d.roles,
        DeviceRoles {
            cpu: some(ids[0]),
            memory: some(ids[1]),
            storage: some(ids[2]),
            temperature: some(ids[3]),
            fleet: some(ids[4]),
            ip: some(ids[5]),
            mac: some(ids[6]),
            online: some("binary_sensor.b_7"),
            updating: some("binary_sensor.b_8"),
            status: None,
            restart: some("button.b_9"),
            reboot: some("button.b_10"),
            shutdown: some("button.b_11"),
            public_url: some("switch.b_12"),
        }
    );
}

#[test]
fn renamed_and_offline_uses_fingerprints_that_survive_unavailable() {
    // Only icon, unit and device_class remain on the unavailable entities.
    let (inv, states) = discover("renamed");
    assert_eq!(states["sensor.room_c_ram"].state, "unavailable");
    assert_eq!(states["sensor.room_c_ram"].attr("memory_total"), None);
    let d = device(&inv, "cccccccccccccccccccccccccccccc03");
    assert_eq!(d.roles.cpu.as_deref(), Some("sensor.room_c_cpu"));
    assert_eq!(d.roles.memory.as_deref(), Some("sensor.room_c_ram"));
    assert_eq!(d.roles.storage.as_deref(), Some("sensor.room_c_disk"));
    assert_eq!(d.roles.temperature.as_deref(), Some("sensor.room_c_heat"));
    assert_eq!(d.roles.ip.as_deref(), Some("sensor.room_c_addr"));
    assert_eq!(d.roles.restart.as_deref(), Some("button.room_c_kick"));
    assert_eq!(d.roles.reboot.as_deref(), Some("button.room_c_bounce"));
    assert_eq!(d.roles.shutdown.as_deref(), Some("button.room_c_halt"));
    assert_eq!(d.roles.entity_ids().count(), 13);
    assert_eq!(inv.devices.len(), 3);
    assert_eq!(inv.fleets.len(), 1);
    assert_eq!(inv.fleets[0].name, "meeting-rooms");
}

#[test]
fn devices_without_registry_work_from_attributes_and_id_prefixes() {
    let (inv, _) = discover("no_registry");
    assert_eq!(
        inv.fleets,
        vec![Fleet { key: "fleet_2300001".into(), name: "retail".into(), fleet_id: Some(2300001), device_id: None }]
    );
    let online = device(&inv, "dddddddddddddddddddddddddddddd04");
    assert_eq!(online.roles, full_roles("pos_1"));
    assert_eq!(online.name, "pos-1");
    assert_eq!(online.device_id, None);
    assert_eq!(online.fleet_key, "fleet_2300001");
    // The integration's own URL scheme, since there is no registry entry to read it from.
    assert_eq!(
        online.configuration_url.as_deref(),
        Some("https://dashboard.balena-cloud.com/devices/dddddddddddddddddddddddddddddd04")
    );
    // Offline and no registry: the unavailable entities carry no uuid at all; they join the
    // device through the slug prefix shared with its still-available entities.
    let offline = device(&inv, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeee05");
    assert_eq!(offline.roles, full_roles("pos_2"));
    assert_eq!(inv.devices.len(), 2);
}

#[test]
fn dinpin_variant() {
    let (inv, _) = discover("dinpin");
    assert_eq!(
        inv.fleets,
        vec![Fleet { key: "entry:entry_dinpin_sound".into(), name: String::new(), fleet_id: None, device_id: None }]
    );
    assert_eq!(
        inv.devices,
        vec![
            Device {
                key: "8e7d6c5b4a39281706f5e4d3c2b1a09f".into(),
                name: "Garage".into(),
                source: Source::BalenaDinpin,
                fleet_key: "entry:entry_dinpin_sound".into(),
                device_id: some("dinpin02"),
                configuration_url: None,
                roles: DeviceRoles {
                    status: some("sensor.garage_status"),
                    online: some("binary_sensor.garage_online"),
                    reboot: some("button.garage_reboot_device"),
                    restart: some("button.garage_restart_application"),
                    ..Default::default()
                },
            },
            Device {
                key: "9f8e7d6c5b4a39281706f5e4d3c2b1a0".into(),
                name: "Living Room".into(),
                source: Source::BalenaDinpin,
                fleet_key: "entry:entry_dinpin_sound".into(),
                device_id: some("dinpin01"),
                configuration_url: None,
                roles: DeviceRoles {
                    status: some("sensor.living_room_status"),
                    online: some("binary_sensor.living_room_online"),
                    reboot: some("button.living_room_reboot_device"),
                    restart: some("button.living_room_restart_application"),
                    ..Default::default()
                },
            },
        ]
    );
}

#[test]
fn malformed_data_degrades_without_panicking() {
    let (inv, _) = discover("malformed");
    // Numeric device_uuid is ignored; the registry identifier provides the uuid.
    assert_eq!(inv.devices.len(), 1, "{:?}", inv.devices);
    let d = &inv.devices[0];
    assert_eq!(d.key, "ffffffffffffffffffffffffffffff06");
    assert_eq!(d.roles, full_roles("lab_pi"), "the portainer entity on the same HA device must not be used");
    // fleet_id "abc", empty fleet_name, via_device to nowhere: only the config entry is left.
    assert_eq!(d.fleet_key, "entry:entry_balena_1");
    let fleets: Vec<(&str, &str, Option<i64>)> =
        inv.fleets.iter().map(|f| (f.key.as_str(), f.name.as_str(), f.fleet_id)).collect();
    assert_eq!(
        fleets,
        vec![("entry:entry_balena_1", "", None), ("fleet_2400001", "lab", Some(2400001)), ("fleet_abc", "lab-legacy", None)]
    );
}

#[test]
fn empty_registry_and_states() {
    let inv = balena_discover(&Registry::default(), &StateMap::default());
    assert!(inv.fleets.is_empty() && inv.devices.is_empty());
}

fn entry(id: &str, device_id: Option<&str>) -> EntityEntry {
    EntityEntry {
        entity_id: id.into(),
        platform: Some("balena_cloud".into()),
        device_id: device_id.map(str::to_string),
        ..Default::default()
    }
}

#[test]
fn name_only_fleet_merges_into_registry_fleet_of_same_name() {
    let mut reg = Registry::default();
    reg.devices.insert(
        "f1".into(),
        DeviceEntry {
            id: "f1".into(),
            name: some("signage-prod"),
            identifiers: vec![json!(["balena_cloud", "fleet_7"])],
            ..Default::default()
        },
    );
    reg.entities.push(entry("binary_sensor.kiosk_online", None));
    let mut states = StateMap::default();
    states.insert(
        "binary_sensor.kiosk_online".into(),
        EntityState::new("on").with_attr("device_uuid", json!("u1")).with_attr("fleet_name", json!("signage-prod")),
    );
    let inv = balena_discover(&reg, &states);
    assert_eq!(inv.fleets.len(), 1);
    assert_eq!(inv.devices[0].fleet_key, "fleet_7");

    // Without the registry fleet, the name is the key.
    let inv = balena_discover(&Registry { entities: reg.entities.clone(), ..Default::default() }, &states);
    assert_eq!(
        inv.fleets,
        vec![Fleet { key: "name:signage-prod".into(), name: "signage-prod".into(), fleet_id: None, device_id: None }]
    );
    assert_eq!(inv.devices[0].fleet_key, "name:signage-prod");
}

#[test]
fn fleet_id_attribute_beats_stale_via_device_link() {
    let mut reg = Registry::default();
    for (id, fid, name) in [("f1", 1, "old"), ("f2", 2, "new")] {
        reg.devices.insert(
            id.into(),
            DeviceEntry {
                id: id.into(),
                name: some(name),
                identifiers: vec![json!(["balena_cloud", format!("fleet_{fid}")])],
                ..Default::default()
            },
        );
    }
    reg.devices.insert(
        "d1".into(),
        DeviceEntry {
            id: "d1".into(),
            name: some("moved"),
            identifiers: vec![json!(["balena_cloud", "u1"])],
            via_device_id: some("f1"),
            ..Default::default()
        },
    );
    reg.entities.push(entry("sensor.moved_fleet", Some("d1")));
    let mut states = StateMap::default();
    states.insert(
        "sensor.moved_fleet".into(),
        EntityState::new("new").with_attr("device_uuid", json!("u1")).with_attr("fleet_id", json!(2)),
    );
    let inv = balena_discover(&reg, &states);
    assert_eq!(inv.devices[0].fleet_key, "fleet_2");
    // Without the attribute the registry link decides.
    states.get_mut("sensor.moved_fleet").map(|s| s.attributes.remove("fleet_id"));
    let inv = balena_discover(&reg, &states);
    assert_eq!(inv.devices[0].fleet_key, "fleet_1");
}

#[test]
fn live_entity_wins_over_stale_duplicate_and_numbered_suffix_is_understood() {
    let mut reg = Registry::default();
    // A stale leftover (no state) holds the plain id; the live entity got `_2`.
    reg.entities.push(entry("sensor.kiosk_cpu_usage", Some("d1")));
    reg.entities.push(entry("sensor.kiosk_cpu_usage_2", Some("d1")));
    reg.devices.insert(
        "d1".into(),
        DeviceEntry { id: "d1".into(), identifiers: vec![json!(["balena_cloud", "u1"])], ..Default::default() },
    );
    let mut states = StateMap::default();
    states.insert("sensor.kiosk_cpu_usage_2".into(), EntityState::new("20").with_attr("device_uuid", json!("u1")));
    let inv = balena_discover(&reg, &states);
    assert_eq!(inv.devices.len(), 1);
    assert_eq!(inv.devices[0].roles.cpu.as_deref(), Some("sensor.kiosk_cpu_usage_2"));
}

#[test]
fn ambiguous_prefix_is_not_guessed() {
    // Two devices whose entity ids share a slug prefix (same device name): an entity without a
    // uuid must not be attached to either.
    let mut reg = Registry::default();
    let mut states = StateMap::default();
    for (id, uuid) in [("binary_sensor.kiosk_online", "u1"), ("binary_sensor.kiosk_updating", "u2")] {
        reg.entities.push(entry(id, None));
        states.insert(id.into(), EntityState::new("on").with_attr("device_uuid", json!(uuid)));
    }
    reg.entities.push(entry("button.kiosk_reboot_device", None));
    states.insert("button.kiosk_reboot_device".into(), EntityState::new("unavailable"));
    let inv = balena_discover(&reg, &states);
    assert_eq!(inv.devices.len(), 2);
    assert!(inv.devices.iter().all(|d| d.roles.reboot.is_none()));
}

#[test]
fn dinpin_without_registry_is_named_from_friendly_names() {
    let (mut reg, states) = load("dinpin");
    reg.devices.clear();
    for e in &mut reg.entities {
        e.device_id = None;
    }
    let inv = balena_discover(&reg, &states);
    let names: Vec<(&str, &str, Source)> = inv.devices.iter().map(|d| (d.key.as_str(), d.name.as_str(), d.source)).collect();
    assert_eq!(
        names,
        vec![
            ("8e7d6c5b4a39281706f5e4d3c2b1a09f", "Garage", Source::BalenaDinpin),
            ("9f8e7d6c5b4a39281706f5e4d3c2b1a0", "Living Room", Source::BalenaDinpin),
        ]
    );
    // Only the status sensor carries the uuid; its siblings join by entity-id prefix.
    assert_eq!(inv.devices[1].roles.reboot.as_deref(), Some("button.living_room_reboot_device"));
    // No config entry and no fleet data: one "unknown" fleet, and no guessed dashboard URL.
    assert_eq!(inv.fleets, vec![Fleet { key: "unknown".into(), name: String::new(), fleet_id: None, device_id: None }]);
    assert_eq!(inv.devices[0].configuration_url, None);
}

#[test]
fn registry_without_identifiers_groups_by_sibling_entities() {
    // `hass.devices` exposing `identifiers` is unconfirmed (reference §5.6). Without them, the
    // offline room-c's unavailable entities (renamed, so no id prefix either) carry nothing but
    // their HA device id, shared with the still-available siblings that have `device_uuid`.
    let (mut reg, states) = load("renamed");
    for d in reg.devices.values_mut() {
        d.identifiers.clear();
    }
    let inv = balena_discover(&reg, &states);
    let d = device(&inv, "cccccccccccccccccccccccccccccc03");
    assert_eq!(d.roles.entity_ids().count(), 13);
    assert_eq!(d.roles.cpu.as_deref(), Some("sensor.room_c_cpu"));
    assert_eq!(d.roles.reboot.as_deref(), Some("button.room_c_bounce"));
    assert_eq!(d.device_id.as_deref(), Some("roomcdev"));
    assert_eq!(inv.devices.len(), 3);
    // The fleet is no longer recognisable in the registry; the attributes still name it.
    assert_eq!(
        inv.fleets,
        vec![Fleet { key: "fleet_2200001".into(), name: "meeting-rooms".into(), fleet_id: Some(2200001), device_id: None }]
    );
}

#[test]
fn a_device_renamed_in_balena_shows_its_new_name_and_a_name_given_in_ha_wins() {
    // The integration recomputes `device_name` on every read; HA's device registry keeps the
    // name it had when the integration was set up until it reloads.
    let (mut registry, mut states) = load("eseverson");
    for st in states.values_mut() {
        if st.attr_str("device_name").as_deref() == Some("kiosk-lobby") {
            st.attributes.insert("device_name", json!("kiosk-entrance"));
        }
    }
    let inv = balena_discover(&registry, &states);
    assert_eq!(device(&inv, LOBBY).name, "kiosk-entrance");

    let lobby = registry.devices.values_mut().find(|d| d.name.as_deref() == Some("kiosk-lobby")).expect("the lobby's device");
    lobby.name_by_user = Some("Lobby screen".into());
    let inv = balena_discover(&registry, &states);
    assert_eq!(device(&inv, LOBBY).name, "Lobby screen");
}
