//! Every translation key the balena modules hand to the web layer exists in the English
//! catalog (a missing key would render as the raw key).
#[path = "balena_common.rs"]
mod common;

use common::*;
use fleet_deck_core::actions::device::device_options;
use fleet_deck_core::envvars::{validate, EnvRow};
use fleet_deck_core::i18n::{t, Lang};
use fleet_deck_core::status::device::{device_status, DeviceState};

fn assert_translated(key: &str) {
    assert_ne!(t(Lang::En, key), key, "missing from the English catalog: {key}");
    assert_ne!(t(Lang::De, key), key, "missing from the German catalog: {key}");
}

#[test]
fn device_state_keys() {
    for s in DeviceState::ATTENTION_ORDER {
        assert_translated(s.label_key());
        assert_translated(s.group_title_key());
    }
}

#[test]
fn env_validation_keys() {
    let long_name = "A".repeat(256);
    let long_value = "x".repeat(10_001);
    let rows = [
        ("", "v"),
        ("1A", "v"),
        (long_name.as_str(), "v"),
        ("BALENA_X", "v"),
        ("A", "v"),
        ("A", "v"),
        ("B", long_value.as_str()),
        ("C", "\0"),
    ];
    let rows: Vec<EnvRow> = rows.iter().map(|(n, v)| EnvRow::new(n, v)).collect();
    let errors = validate(&rows);
    // One error per row: every rule fired once.
    assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![0, 1, 2, 3, 5, 6, 7]);
    for e in &errors {
        assert_translated(e.key);
    }
}

#[test]
fn action_keys() {
    let (inv, mut states) = discover("eseverson");
    let mut keys = vec![];
    for d in &inv.devices {
        for o in device_options(d, &device_status(d, &states), &states) {
            keys.push(o.action.label_key());
            keys.extend(o.disabled.map(|r| r.reason_key));
        }
    }
    states.get_mut("button.kiosk_lobby_restart_application").unwrap().state = "unavailable".into();
    let lobby = inv.device(LOBBY).unwrap();
    keys.extend(
        device_options(lobby, &device_status(lobby, &states), &states)
            .into_iter()
            .filter_map(|o| o.disabled.map(|r| r.reason_key)),
    );
    assert!(keys.contains(&"reason.device_offline") && keys.contains(&"reason.unavailable"), "{keys:?}");
    for k in keys {
        assert_translated(k);
    }
}
