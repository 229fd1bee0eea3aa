//! Device action options and integration-service calls (reference §5.4, §5.5, §6, §8).
#[path = "balena_common.rs"]
mod common;

use std::collections::HashMap;

use common::*;
use fleet_deck_core::actions::device::{
    device_options, fleet_bulk_calls, public_url_refresh_call, service_expect, BalenaServices,
};
use fleet_deck_core::actions::{Action, ActionOption, Disabled, Expect, ServiceCall};
use fleet_deck_core::model::{Device, Inventory};
use fleet_deck_core::status::device::{device_status, DeviceStatus};
use serde_json::{json, Map};

fn press(id: &str) -> ServiceCall {
    ServiceCall { domain: "button".into(), service: "press".into(), data: Map::new(), entity_ids: vec![id.into()] }
}

fn options(fixture: &str, key: &str) -> Vec<ActionOption> {
    let (inv, states) = discover(fixture);
    let d = inv.device(key).unwrap();
    device_options(d, &device_status(d, &states), &states)
}

/// The schemas of `balena_cloud.*` reject `confirm`, `merge` and any target.
fn assert_balena_safe(call: &ServiceCall) {
    if call.domain == "balena_cloud" {
        assert!(call.entity_ids.is_empty(), "{call:?}");
        for key in ["confirm", "merge", "entity_id", "device_id", "target"] {
            assert!(!call.data.contains_key(key), "{key} in {call:?}");
        }
    }
}

#[test]
fn online_device_options() {
    let opts = options("eseverson", LOBBY);
    assert_eq!(
        opts,
        vec![
            ActionOption {
                action: Action::RestartApp,
                call: press("button.kiosk_lobby_restart_application"),
                expect: Expect::Unobservable,
                disabled: None,
            },
            ActionOption {
                action: Action::Reboot,
                call: press("button.kiosk_lobby_reboot_device"),
                expect: Expect::Cycle { entity_id: "binary_sensor.kiosk_lobby_online".into(), home: "on".into() },
                disabled: None,
            },
            ActionOption {
                action: Action::Shutdown,
                call: press("button.kiosk_lobby_shutdown_device"),
                expect: Expect::StateIn { entity_id: "binary_sensor.kiosk_lobby_online".into(), states: vec!["off".into()] },
                disabled: None,
            },
            ActionOption {
                action: Action::PublicUrlOn,
                call: ServiceCall::entity("switch", "turn_on", "switch.kiosk_lobby_public_url"),
                expect: Expect::StateIn { entity_id: "switch.kiosk_lobby_public_url".into(), states: vec!["on".into()] },
                disabled: None,
            },
            ActionOption {
                action: Action::PublicUrlOff,
                call: ServiceCall::entity("switch", "turn_off", "switch.kiosk_lobby_public_url"),
                expect: Expect::StateIn { entity_id: "switch.kiosk_lobby_public_url".into(), states: vec!["off".into()] },
                disabled: None,
            },
        ]
    );
}

#[test]
fn offline_device_gets_disabled_button_actions_with_last_seen() {
    let opts = options("eseverson", FOYER);
    let offline = Some(Disabled { reason_key: "reason.device_offline", arg: some("2026-07-07T22:41:09.120Z") });
    let summary: Vec<(Action, Option<Disabled>)> = opts.iter().map(|o| (o.action, o.disabled.clone())).collect();
    assert_eq!(
        summary,
        vec![
            (Action::RestartApp, offline.clone()),
            (Action::Reboot, offline.clone()),
            (Action::Shutdown, offline),
            // The public URL is a cloud-side flag; the switch stays available offline.
            (Action::PublicUrlOn, None),
            (Action::PublicUrlOff, None),
        ]
    );
    // Still the same calls, so the UI can show what would be sent.
    assert_eq!(opts[1].call, press("button.kiosk_foyer_reboot_device"));
    assert!(!opts[0].enabled());
}

#[test]
fn unavailable_button_on_a_device_not_known_offline_is_disabled() {
    let (inv, mut states) = discover("eseverson");
    let d = inv.device(LOBBY).unwrap();
    states.get_mut("button.kiosk_lobby_reboot_device").unwrap().state = "unavailable".into();
    let opts = device_options(d, &device_status(d, &states), &states);
    let reboot = opts.iter().find(|o| o.action == Action::Reboot).unwrap();
    assert_eq!(
        reboot.disabled,
        Some(Disabled { reason_key: "reason.unavailable", arg: some("button.kiosk_lobby_reboot_device") })
    );
    assert!(opts.iter().filter(|o| o.action != Action::Reboot).all(ActionOption::enabled));
}

#[test]
fn dinpin_offers_only_what_it_has() {
    let opts = options("dinpin", "9f8e7d6c5b4a39281706f5e4d3c2b1a0");
    assert_eq!(
        opts,
        vec![
            ActionOption {
                action: Action::RestartApp,
                call: press("button.living_room_restart_application"),
                expect: Expect::Unobservable,
                disabled: None,
            },
            ActionOption {
                action: Action::Reboot,
                call: press("button.living_room_reboot_device"),
                expect: Expect::Cycle { entity_id: "binary_sensor.living_room_online".into(), home: "on".into() },
                disabled: None,
            },
        ]
    );
}

#[test]
fn reboot_without_online_sensor_can_only_be_sent() {
    // The integration logs a failed press and returns, and the button's timestamp moves
    // before the press runs: neither says the device rebooted.
    let (inv, states) = discover("eseverson");
    let mut d = inv.device(LOBBY).unwrap().clone();
    d.roles.online = None;
    let opts = device_options(&d, &DeviceStatus::default(), &states);
    let reboot = opts.iter().find(|o| o.action == Action::Reboot).unwrap();
    assert_eq!(reboot.expect, Expect::Unobservable);
}

#[test]
fn public_url_refresh() {
    let (inv, _) = discover("eseverson");
    assert_eq!(
        public_url_refresh_call(inv.device(LOBBY).unwrap()),
        Some(ServiceCall::entity("homeassistant", "update_entity", "switch.kiosk_lobby_public_url"))
    );
    let (inv, _) = discover("dinpin");
    assert_eq!(public_url_refresh_call(&inv.devices[0]), None);
}

#[test]
fn services_detection() {
    let today = [
        "restart_application",
        "reboot_device",
        "shutdown_device",
        "update_environment",
        "enable_device_url",
        "disable_device_url",
    ];
    assert_eq!(BalenaServices::from_service_names(&today), BalenaServices { update_environment: true, ..Default::default() });
    let all = ["bulk_restart", "bulk_reboot", "restart_fleet", "update_environment", "get_environment"];
    assert_eq!(
        BalenaServices::from_service_names(&all),
        BalenaServices {
            bulk_restart: true,
            bulk_reboot: true,
            restart_fleet: true,
            update_environment: true,
            get_environment: true
        }
    );
    // The pre-d21068e names required `confirm: true`, which the card never sends.
    assert_eq!(
        BalenaServices::from_service_names(&["bulk_restart_applications", "bulk_reboot_devices"]),
        BalenaServices::default()
    );
    // So did the restart_fleet registered next to them (3784f1e): without `confirm` it logged
    // "requires confirmation" and returned, and the fleet would not restart.
    let initial = BalenaServices::from_service_names(&[
        "restart_application", "reboot_device", "bulk_restart_applications", "bulk_reboot_devices", "restart_fleet", "get_fleet_health",
    ]);
    assert!(!initial.restart_fleet && !initial.bulk_restart && !initial.bulk_reboot);
    assert!(BalenaServices::from_service_names(&["restart_fleet"]).restart_fleet);
}

fn setup() -> (Inventory, HashMap<String, DeviceStatus>) {
    let (inv, states) = discover("eseverson");
    let st = statuses(&inv, &states);
    (inv, st)
}

fn all_services() -> BalenaServices {
    BalenaServices::from_service_names(&["bulk_restart", "bulk_reboot", "restart_fleet"])
}

#[test]
fn no_bulk_services_means_button_fallback() {
    let (inv, st) = setup();
    let devs: Vec<&Device> = inv.devices.iter().collect();
    let today = BalenaServices::from_service_names(&["restart_application", "reboot_device", "update_environment"]);
    for action in [Action::RestartApp, Action::Reboot, Action::Shutdown] {
        assert_eq!(fleet_bulk_calls(action, &devs, &st, &today, Some(2101234)), None, "{action:?}");
    }
}

#[test]
fn bulk_reboot_targets_online_devices_by_uuid_only() {
    let (inv, st) = setup();
    let devs: Vec<&Device> = inv.devices.iter().collect();
    let calls = fleet_bulk_calls(Action::Reboot, &devs, &st, &all_services(), None).unwrap();
    let mut data = Map::new();
    // Sorted by device name; the offline kiosk-foyer is left out.
    data.insert("device_uuids".into(), json!([DOCK2, LOBBY, DOCK1]));
    assert_eq!(
        calls,
        vec![ServiceCall { domain: "balena_cloud".into(), service: "bulk_reboot".into(), data, entity_ids: vec![] }]
    );
    calls.iter().for_each(assert_balena_safe);
}

#[test]
fn restart_uses_restart_fleet_for_a_whole_fleet_and_bulk_restart_otherwise() {
    let (inv, st) = setup();
    let devs: Vec<&Device> = inv.devices.iter().filter(|d| d.fleet_key == "fleet_2101234").collect();
    let calls = fleet_bulk_calls(Action::RestartApp, &devs, &st, &all_services(), Some(2101234)).unwrap();
    let mut data = Map::new();
    data.insert("fleet_id".into(), json!(2101234));
    assert_eq!(calls, vec![ServiceCall::data("balena_cloud", "restart_fleet", data)]);

    let calls = fleet_bulk_calls(Action::RestartApp, &devs, &st, &all_services(), None).unwrap();
    let mut data = Map::new();
    data.insert("device_uuids".into(), json!([LOBBY]));
    assert_eq!(calls, vec![ServiceCall::data("balena_cloud", "bulk_restart", data)]);

    // restart_fleet alone cannot serve a partial selection.
    let only_fleet = BalenaServices { restart_fleet: true, ..Default::default() };
    assert_eq!(fleet_bulk_calls(Action::RestartApp, &devs, &st, &only_fleet, None), None);
    assert_eq!(fleet_bulk_calls(Action::Shutdown, &devs, &st, &all_services(), Some(2101234)), None);
}

#[test]
fn all_offline_or_dinpin_devices_give_no_bulk_call() {
    let (inv, st) = setup();
    let foyer = inv.device(FOYER).unwrap();
    assert_eq!(fleet_bulk_calls(Action::Reboot, &[foyer], &st, &all_services(), None), None);
    let (dinpin, dst) = {
        let (inv, states) = discover("dinpin");
        let st = statuses(&inv, &states);
        (inv, st)
    };
    let devs: Vec<&Device> = dinpin.devices.iter().collect();
    assert_eq!(fleet_bulk_calls(Action::Reboot, &devs, &dst, &all_services(), None), None);
}

#[test]
fn bulk_calls_are_chunked_at_50() {
    let (inv, _) = setup();
    let template = inv.device(LOBBY).unwrap();
    let many: Vec<Device> = (0..120).map(|i| Device { key: format!("uuid{i:03}"), ..template.clone() }).collect();
    let refs: Vec<&Device> = many.iter().collect();
    let calls = fleet_bulk_calls(Action::RestartApp, &refs, &HashMap::new(), &all_services(), None).unwrap();
    let sizes: Vec<usize> = calls.iter().map(|c| c.data["device_uuids"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, vec![50, 50, 20]);
    assert_eq!(calls[2].data["device_uuids"][19], json!("uuid119"));
    calls.iter().for_each(assert_balena_safe);
}

#[test]
fn service_path_expectations() {
    let (inv, _) = setup();
    let d = inv.device(LOBBY).unwrap();
    assert_eq!(
        service_expect(Action::Reboot, d),
        Expect::Cycle { entity_id: "binary_sensor.kiosk_lobby_online".into(), home: "on".into() }
    );
    assert_eq!(
        service_expect(Action::Shutdown, d),
        Expect::StateIn { entity_id: "binary_sensor.kiosk_lobby_online".into(), states: vec!["off".into()] }
    );
    assert_eq!(service_expect(Action::RestartApp, d), Expect::Unobservable);
    let mut no_online = d.clone();
    no_online.roles.online = None;
    assert_eq!(service_expect(Action::Reboot, &no_online), Expect::Unobservable);
}
