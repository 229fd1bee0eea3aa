//! Device status derivation (reference §5.2–§5.5, §7).
#[path = "balena_common.rs"]
mod common;

use common::*;
use fleet_deck_core::ha::{EntityState, StateMap};
use fleet_deck_core::model::{Device, DeviceRoles, Source};
use fleet_deck_core::status::device::{device_status, DeviceState, DeviceStatus};
use serde_json::json;

fn status_of(fixture: &str, key: &str) -> DeviceStatus {
    let (inv, states) = discover(fixture);
    let d = inv.device(key).unwrap_or_else(|| panic!("no device {key}"));
    device_status(d, &states)
}

#[test]
fn online_device_reads_every_field() {
    assert_eq!(
        status_of("eseverson", LOBBY),
        DeviceStatus {
            online: Some(true),
            updating: false,
            status_text: some("Idle"),
            cpu_pct: Some(12.0),
            mem_pct: Some(31.7),
            storage_pct: Some(9.8),
            temperature_c: Some(51.0),
            mem_used_mb: Some(1203.0),
            mem_total_mb: Some(3791.0),
            storage_used_mb: Some(2874.0),
            storage_total_mb: Some(29340.0),
            last_seen: Some(1783502043.412),
            os_version: some("balenaOS 6.0.24"),
            supervisor_version: some("16.7.8"),
            ip: some("192.168.1.42"),
            public_url: Some(true),
            public_url_value: some("https://a1b2c3d4e5f60718293a4b5c6d7e8f90.balena-devices.com"),
        }
    );
}

#[test]
fn offline_device_reports_offline_with_last_seen_and_no_metrics() {
    let st = status_of("eseverson", FOYER);
    assert_eq!(
        st,
        DeviceStatus {
            online: Some(false),
            updating: false,
            status_text: some("Idle"),
            last_seen: Some(1783464069.12),
            os_version: some("balenaOS 6.0.24"),
            supervisor_version: some("16.7.8"),
            // Last known IP from the binary sensor's attributes; the IP sensor is unavailable.
            ip: some("192.168.1.43"),
            public_url: Some(false),
            ..Default::default()
        }
    );
    assert_eq!(st.state(), DeviceState::Offline);
}

#[test]
fn updating_device_and_multi_nic_ip() {
    let st = status_of("eseverson", DOCK1);
    assert!(st.updating);
    assert_eq!(st.status_text.as_deref(), Some("Downloading"));
    assert_eq!(st.state(), DeviceState::Updating);
    assert_eq!(st.ip.as_deref(), Some("192.168.5.10 10.8.0.3"));
    assert_eq!(st.supervisor_version.as_deref(), Some("14.11.2"));
    assert_eq!(st.os_version.as_deref(), Some("balenaOS 5.3.1"));
    assert_eq!(st.cpu_pct, Some(40.0));
}

#[test]
fn stale_metrics_are_dropped_when_offline() {
    // A fork or a race may leave a value on a metric sensor while online reads off.
    let (inv, mut states) = discover("eseverson");
    let d = inv.device(LOBBY).unwrap();
    states.get_mut("binary_sensor.kiosk_lobby_online").unwrap().state = "off".into();
    let st = device_status(d, &states);
    assert_eq!(st.online, Some(false));
    assert_eq!((st.cpu_pct, st.mem_pct, st.storage_pct, st.temperature_c), (None, None, None, None));
    assert_eq!((st.mem_used_mb, st.mem_total_mb, st.storage_used_mb, st.storage_total_mb), (None, None, None, None));
    assert_eq!(st.last_seen, Some(1783502043.412));
}

#[test]
fn online_falls_back_to_is_online_attribute() {
    let (inv, mut states) = discover("eseverson");
    let d = inv.device(FOYER).unwrap();
    states.get_mut("binary_sensor.kiosk_foyer_online").unwrap().state = "unavailable".into();
    // The fleet and MAC sensors stay available offline and carry is_online: false.
    assert_eq!(device_status(d, &states).online, Some(false));
    for id in ["sensor.kiosk_foyer_fleet", "sensor.kiosk_foyer_mac_address"] {
        states.get_mut(id).unwrap().attributes.remove("is_online");
    }
    assert_eq!(device_status(d, &states).online, None);
    assert_eq!(device_status(d, &states).state(), DeviceState::Unknown);
}

fn metrics_device() -> Device {
    Device {
        key: "u1".into(),
        name: "d".into(),
        source: Source::BalenaCloud,
        fleet_key: "fleet_1".into(),
        device_id: None,
        configuration_url: None,
        roles: DeviceRoles {
            online: some("binary_sensor.d_online"),
            memory: some("sensor.d_memory_usage"),
            storage: some("sensor.d_storage_usage"),
            temperature: some("sensor.d_temperature"),
            ..Default::default()
        },
    }
}

#[test]
fn fahrenheit_and_kelvin_temperatures_are_converted_to_celsius() {
    let d = metrics_device();
    let mut states = StateMap::default();
    states.insert("binary_sensor.d_online".into(), EntityState::new("on"));
    states.insert("sensor.d_temperature".into(), EntityState::new("122").with_attr("unit_of_measurement", json!("°F")));
    assert_eq!(device_status(&d, &states).temperature_c, Some(50.0));
    states.insert("sensor.d_temperature".into(), EntityState::new("324.15").with_attr("unit_of_measurement", json!("K")));
    let t = device_status(&d, &states).temperature_c.unwrap();
    assert!((t - 51.0).abs() < 1e-9, "{t}");
    states.insert("sensor.d_temperature".into(), EntityState::new("51").with_attr("unit_of_measurement", json!("°C")));
    assert_eq!(device_status(&d, &states).temperature_c, Some(51.0));
}

#[test]
fn percentages_fall_back_to_raw_megabytes() {
    let d = metrics_device();
    let mut states = StateMap::default();
    states.insert("binary_sensor.d_online".into(), EntityState::new("on"));
    states.insert(
        "sensor.d_memory_usage".into(),
        EntityState::new("unknown").with_attr("memory_usage", json!(1000)).with_attr("memory_total", json!(3000)),
    );
    states.insert(
        "sensor.d_storage_usage".into(),
        EntityState::new("unknown").with_attr("storage_usage", json!("250")).with_attr("storage_total", json!(1000)),
    );
    let st = device_status(&d, &states);
    assert_eq!(st.mem_pct, Some(33.3));
    assert_eq!((st.mem_used_mb, st.mem_total_mb), (Some(1000.0), Some(3000.0)));
    assert_eq!(st.storage_pct, Some(25.0));
}

#[test]
fn malformed_attributes_become_none() {
    let (inv, states) = discover("malformed");
    let st = device_status(&inv.devices[0], &states);
    assert_eq!(
        st,
        DeviceStatus {
            // state "maybe", is_online "yes": neither is an answer.
            online: None,
            updating: false,
            status_text: some("Idle"),
            storage_used_mb: Some(5.0),
            // storage_total 0, memory_total "lots", cpu "n/a", memory "NaN", temp "inf".
            last_seen: None,
            os_version: None,
            supervisor_version: some("16.7.8"),
            ip: some("10.2.0.5"),
            public_url: Some(false),
            ..Default::default()
        }
    );
}

#[test]
fn dinpin_status_from_its_status_sensor() {
    let living = status_of("dinpin", "9f8e7d6c5b4a39281706f5e4d3c2b1a0");
    assert_eq!(living, DeviceStatus { online: Some(true), status_text: some("Idle"), ..Default::default() });
    let garage = status_of("dinpin", "8e7d6c5b4a39281706f5e4d3c2b1a09f");
    assert_eq!(garage.online, Some(false));
    assert_eq!(garage.state(), DeviceState::Offline);
}

#[test]
fn dinpin_online_from_status_attribute_and_updating_from_overall_status() {
    let (inv, mut states) = discover("dinpin");
    let d = inv.device("9f8e7d6c5b4a39281706f5e4d3c2b1a0").unwrap();
    states.remove("binary_sensor.living_room_online");
    let status = states.get_mut("sensor.living_room_status").unwrap();
    status.state = "updating".into();
    status.attributes.remove("balena_status");
    let st = device_status(d, &states);
    assert_eq!(st.online, Some(true));
    assert_eq!(st.status_text.as_deref(), Some("updating"));
    assert!(st.updating);
    assert_eq!(st.state(), DeviceState::Updating);
}

#[test]
fn device_state_precedence_and_names() {
    let st = |online, updating| DeviceStatus { online, updating, ..Default::default() };
    assert_eq!(st(Some(true), false).state(), DeviceState::Online);
    assert_eq!(st(Some(true), true).state(), DeviceState::Updating);
    assert_eq!(st(None, true).state(), DeviceState::Updating);
    assert_eq!(st(Some(false), true).state(), DeviceState::Offline);
    assert_eq!(st(None, false).state(), DeviceState::Unknown);
    let ids: Vec<_> = [DeviceState::Online, DeviceState::Offline, DeviceState::Updating, DeviceState::Unknown]
        .iter()
        .map(|s| (s.id(), s.label_key(), s.group_title_key()))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("online", "device.online", "fleet.status.online"),
            ("offline", "device.offline", "fleet.status.offline"),
            ("updating", "device.updating", "fleet.status.updating"),
            ("unknown", "device.unknown", "fleet.status.unknown"),
        ]
    );
    assert_eq!(DeviceState::Offline.attention_rank(), 0);
    assert_eq!(DeviceState::Online.attention_rank(), 3);
}

#[test]
fn device_with_no_states_is_unknown() {
    let (inv, _) = discover("eseverson");
    let st = device_status(inv.device(LOBBY).unwrap(), &StateMap::default());
    assert_eq!(st, DeviceStatus::default());
    assert_eq!(st.state(), DeviceState::Unknown);
}

/// The fleet tab's count reads `device_online` instead of whole statuses: it must agree with
/// `device_status(..).online` for every device of every fixture, offline, unavailable and
/// malformed ones included.
#[test]
fn device_online_agrees_with_the_full_status() {
    let mut seen = [0; 3];
    for fixture in ["eseverson", "dinpin", "malformed", "no_registry", "renamed"] {
        let (inv, states) = discover(fixture);
        for d in &inv.devices {
            let online = fleet_deck_core::status::device_online(d, &states);
            assert_eq!(online, device_status(d, &states).online, "{fixture}: {}", d.key);
            seen[match online { Some(true) => 0, Some(false) => 1, None => 2 }] += 1;
        }
    }
    assert!(seen.iter().all(|n| *n > 0), "online, offline and unknown devices all covered: {seen:?}");
}
