//! Container and stack action options: exact service calls, expectations and reasons.
mod common;

use common::load_fixture;
use fleet_deck_core::actions::container::{container_options, offered_count, stack_options, REASON_KEYS};
use fleet_deck_core::actions::{Action, ActionOption, Disabled, Expect, ServiceCall};
use fleet_deck_core::discovery::portainer::discover;
use fleet_deck_core::ha::{EntityState, Registry, StateMap};
use fleet_deck_core::model::Inventory;
use fleet_deck_core::status::container_status;

fn load(name: &str) -> (Registry, Inventory, StateMap) {
    let (registry, states) = load_fixture(format!("portainer/{name}.json"));
    let inv = discover(&registry, &states);
    (registry, inv, states)
}

fn options(inv: &Inventory, states: &StateMap, key: &str) -> Vec<ActionOption> {
    let c = inv.container(key).unwrap_or_else(|| panic!("no container {key}"));
    let st = container_status(c, states);
    let opts = container_options(c, &st, states, false);
    assert_eq!(opts, container_options(c, &st, states, true), "{key}: no admin-only options exist");
    opts
}

fn stack_opts(inv: &Inventory, states: &StateMap, key: &str) -> Vec<ActionOption> {
    let s = inv.stack(key).unwrap_or_else(|| panic!("no stack {key}"));
    stack_options(s, states, false)
}

/// `(action id, reason key or "")` for a compact overview.
fn summary(opts: &[ActionOption]) -> Vec<(&'static str, &'static str)> {
    opts.iter().map(|o| (o.action.id(), o.disabled.as_ref().map_or("", |d| d.reason_key))).collect()
}

fn get(opts: &[ActionOption], action: Action) -> &ActionOption {
    opts.iter().find(|o| o.action == action).unwrap_or_else(|| panic!("no {action:?} in {:?}", summary(opts)))
}

fn call(domain: &str, service: &str, entity: &str) -> ServiceCall {
    ServiceCall::entity(domain, service, entity)
}

fn state_in(entity: &str, states: &[&str]) -> Expect {
    Expect::StateIn { entity_id: entity.into(), states: states.iter().map(|s| s.to_string()).collect() }
}

fn changes(entity: &str, before: &str) -> Expect {
    Expect::Changes { entity_id: entity.into(), before: before.into() }
}

#[test]
fn core_2026_11_running_container() {
    let (_, inv, states) = load("core_2026_11");
    let o = options(&inv, &states, "core:d_c1_nginx");
    assert_eq!(
        summary(&o),
        [
            ("start", "reason.already_running"),
            ("stop", ""),
            ("restart", ""),
            ("pause", ""),
            ("resume", "reason.not_paused"),
            ("kill", ""),
            ("recreate", ""),
            ("update", "reason.updating"),
        ]
    );
    let stop = get(&o, Action::Stop);
    assert_eq!(stop.call, call("switch", "turn_off", "switch.nginx_container"));
    assert!(stop.call.data.is_empty());
    assert_eq!(stop.expect, state_in("sensor.nginx_state", &["exited", "dead"]));
    let start = get(&o, Action::Start);
    assert_eq!(start.call, call("switch", "turn_on", "switch.nginx_container"));
    assert_eq!(start.expect, state_in("sensor.nginx_state", &["running"]));
    let restart = get(&o, Action::Restart);
    assert_eq!(restart.call, call("button", "press", "button.nginx_restart_container"));
    assert_eq!(
        restart.expect,
        Expect::Restarted {
            state_entity: "sensor.nginx_state".into(),
            running: vec!["running".into()],
            started_entity: Some("sensor.nginx_started".into()),
            started_before: Some("2026-11-01T12:00:00+00:00".into()),
        }
    );
    let pause = get(&o, Action::Pause);
    assert_eq!(pause.call, call("button", "press", "button.nginx_pause_container"));
    assert_eq!(pause.expect, state_in("sensor.nginx_state", &["paused"]));
    let kill = get(&o, Action::Kill);
    assert_eq!(kill.call, call("button", "press", "button.nginx_kill_container"));
    assert_eq!(kill.expect, state_in("sensor.nginx_state", &["exited", "dead"]));
    let recreate = get(&o, Action::Recreate);
    assert_eq!(recreate.call, call("button", "press", "button.nginx_recreate_container"));
    assert_eq!(recreate.expect, changes("button.nginx_recreate_container", "2026-11-01T09:00:00.000000+00:00"));
    let update = get(&o, Action::Update);
    assert_eq!(update.call, call("update", "install", "update.nginx_image_update_available"));
    // 2026.8–2026.10 leave the update entity `unknown` after the recreate (core #182584).
    assert_eq!(update.expect, state_in("update.nginx_image_update_available", &["off", "unknown"]));
    // The second endpoint's nginx targets its own `_2` entities.
    let remote = options(&inv, &states, "core:d_c2_nginx");
    assert_eq!(get(&remote, Action::Stop).call, call("switch", "turn_off", "switch.nginx_container_2"));
}

#[test]
fn core_update_available_installs_via_the_update_entity() {
    let (_, inv, states) = load("core_2026_11");
    let o = options(&inv, &states, "core:d_c1_immich_server");
    let update = get(&o, Action::Update);
    assert!(update.enabled());
    assert_eq!(update.call, call("update", "install", "update.immich_server_image_update_available"));
    let o = options(&inv, &states, "core:d_c1_immich_postgres");
    assert_eq!(get(&o, Action::Update).disabled, Some(Disabled { reason_key: "reason.no_update", arg: None }));
}

#[test]
fn core_paused_and_exited_containers() {
    let (_, inv, states) = load("core_2026_11");
    assert_eq!(
        summary(&options(&inv, &states, "core:d_c1_redis")),
        [
            ("start", "reason.paused"),
            ("stop", ""),
            ("restart", "reason.paused"),
            ("pause", "reason.paused"),
            ("resume", ""),
            ("kill", ""),
            ("recreate", ""),
            ("update", "reason.no_update"),
        ]
    );
    let o = options(&inv, &states, "core:d_c1_redis");
    assert_eq!(get(&o, Action::Resume).call, call("button", "press", "button.redis_resume_container"));
    assert_eq!(get(&o, Action::Resume).expect, state_in("sensor.redis_state", &["running"]));
    assert_eq!(
        summary(&options(&inv, &states, "core:d_c1_postgres")),
        [
            ("start", ""),
            ("stop", "reason.already_stopped"),
            ("restart", ""),
            ("pause", "reason.not_running"),
            ("resume", "reason.not_paused"),
            ("kill", "reason.not_running"),
            ("recreate", ""),
            ("update", "reason.no_update"),
        ]
    );
}

/// The actions a narrow card keeps in view: enabled ones plus those disabled for a reason worth
/// telling (see `Disabled::inapplicable`).
fn kept_when_narrow(opts: &[ActionOption]) -> Vec<&'static str> {
    opts.iter().filter(|o| !o.disabled.as_ref().is_some_and(Disabled::inapplicable)).map(|o| o.action.id()).collect()
}

#[test]
fn narrow_cards_keep_what_applies_to_the_state() {
    let (_, inv, mut states) = load("core_2026_11");
    assert_eq!(kept_when_narrow(&options(&inv, &states, "core:d_c1_nginx")), ["stop", "restart", "pause", "kill", "recreate", "update"]);
    assert_eq!(kept_when_narrow(&options(&inv, &states, "core:d_c1_redis")), ["stop", "resume", "kill", "recreate"]);
    assert_eq!(kept_when_narrow(&options(&inv, &states, "core:d_c1_postgres")), ["start", "restart", "recreate"]);
    // Unavailable is news, not a consequence of the state: it stays (disabled) in view.
    states.insert("button.nginx_recreate_container".into(), EntityState::new("unavailable"));
    assert_eq!(kept_when_narrow(&options(&inv, &states, "core:d_c1_nginx")), ["stop", "restart", "pause", "kill", "recreate", "update"]);
    // Every reason the module produces is classified on purpose: these are the ones shown.
    let shown: Vec<&str> = REASON_KEYS.iter().copied().filter(|k| !Disabled { reason_key: k, arg: None }.inapplicable()).collect();
    assert_eq!(shown, ["reason.unavailable", "reason.updating"]);
}

#[test]
fn offered_count_is_what_any_state_offers() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portainer");
    let mut fixtures: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned()).collect();
    fixtures.sort();
    assert!(fixtures.len() >= 15, "{fixtures:?}");
    for fixture in &fixtures {
        let (_, inv, states) = load(fixture);
        for c in &inv.containers {
            let n = options(&inv, &states, &c.key).len();
            assert_eq!(offered_count(c), n, "{fixture} {}: as many as in its current state", c.key);
        }
    }
    let (_, inv, _) = load("core_2026_11");
    assert_eq!(offered_count(inv.container("core:d_c1_nginx").unwrap()), 8);
}

#[test]
fn unavailable_buttons_are_offered_disabled() {
    let (_, inv, mut states) = load("core_2026_11");
    states.insert("button.nginx_recreate_container".into(), EntityState::new("unavailable"));
    states.insert("button.nginx_restart_container".into(), EntityState::new("unavailable"));
    states.insert("switch.nginx_container".into(), EntityState::new("unavailable"));
    let o = options(&inv, &states, "core:d_c1_nginx");
    let reason = |a| get(&o, a).disabled.as_ref().map(|d| d.reason_key);
    assert_eq!(reason(Action::Recreate), Some("reason.unavailable"));
    assert_eq!(reason(Action::Restart), Some("reason.unavailable"));
    assert_eq!(reason(Action::Start), Some("reason.unavailable"));
    assert_eq!(reason(Action::Stop), Some("reason.unavailable"));
    // A button HA does not report at all cannot be pressed either.
    states.remove("button.nginx_kill_container");
    let o = options(&inv, &states, "core:d_c1_nginx");
    assert_eq!(get(&o, Action::Kill).disabled.as_ref().map(|d| d.reason_key), Some("reason.unavailable"));
}

#[test]
fn older_core_releases_offer_only_what_exists() {
    let (_, inv, states) = load("core_2025_10");
    for c in &inv.containers {
        assert!(options(&inv, &states, &c.key).is_empty(), "{}: 2025.10 has no switch or button", c.key);
    }
    let (_, inv, states) = load("core_2025_11");
    let o = options(&inv, &states, "core:d_c1_nginx");
    assert_eq!(summary(&o), [("start", "reason.already_running"), ("stop", ""), ("restart", "")]);
    // No state sensor yet: the switch confirms; no start time: the press confirms a restart.
    assert_eq!(get(&o, Action::Stop).expect, state_in("switch.nginx_container", &["off"]));
    assert_eq!(get(&o, Action::Restart).expect, changes("button.nginx_restart_container", "unknown"));
    // Paused looks running to 2025.11 (switch on, no pause buttons): stop is what it offers.
    let o = options(&inv, &states, "core:d_c1_redis");
    assert_eq!(summary(&o), [("start", "reason.already_running"), ("stop", ""), ("restart", "reason.unavailable")]);
}

#[test]
fn link_container_options() {
    let (_, inv, states) = load("link_0_6");
    let o = options(&inv, &states, "link:01LINKENTRY1:immich_server");
    assert_eq!(
        summary(&o),
        [("start", "reason.already_running"), ("stop", ""), ("restart", ""), ("update", "reason.no_update")]
    );
    assert_eq!(get(&o, Action::Stop).call, call("switch", "turn_off", "switch.immich_server_switch"));
    assert_eq!(get(&o, Action::Stop).expect, state_in("sensor.immich_server_status", &["exited", "dead"]));
    assert_eq!(get(&o, Action::Restart).call, call("button", "press", "button.immich_server_restart"));
    // Link polls every 5 minutes and has no start time; the uptime text moving confirms it.
    assert_eq!(
        get(&o, Action::Restart).expect,
        Expect::Restarted {
            state_entity: "sensor.immich_server_status".into(),
            running: vec!["running".into()],
            started_entity: Some("sensor.immich_server_uptime".into()),
            started_before: Some("3d 4h".into()),
        }
    );
    let o = options(&inv, &states, "link:01LINKENTRY1:nginx");
    let update = get(&o, Action::Update);
    assert!(update.enabled());
    assert_eq!(update.call, call("update", "install", "update.nginx_update"));
    assert_eq!(update.expect, state_in("update.nginx_update", &["off"]));

    // Paused (link has no pause button, and its switch is off while paused).
    let o = options(&inv, &states, "link:01LINKENTRY1:immich_postgres");
    assert_eq!(
        summary(&o),
        [("start", "reason.paused"), ("stop", ""), ("restart", "reason.paused"), ("update", "reason.no_update")]
    );
}

#[test]
fn link_pull_update_button_when_update_entities_are_off() {
    let (mut registry, states) = load_fixture("portainer/link_0_6.json");
    registry.entities.retain(|e| !e.entity_id.starts_with("update."));
    let inv = discover(&registry, &states);
    let o = options(&inv, &states, "link:01LINKENTRY1:nginx");
    let update = get(&o, Action::Update);
    assert!(update.enabled());
    assert_eq!(update.call, call("button", "press", "button.nginx_pull_update"));
    assert_eq!(update.expect, changes("button.nginx_pull_update", "unknown"));
    let o = options(&inv, &states, "link:01LINKENTRY1:immich_server");
    assert_eq!(get(&o, Action::Update).disabled.as_ref().map(|d| d.reason_key), Some("reason.no_update"));
    assert_eq!(get(&o, Action::Update).call, call("button", "press", "button.immich_server_pull_update"));
}

#[test]
fn tomaae_is_read_only() {
    let (_, inv, states) = load("tomaae");
    for c in &inv.containers {
        assert!(options(&inv, &states, &c.key).is_empty(), "{}", c.key);
    }
    for s in &inv.stacks {
        assert!(stack_opts(&inv, &states, &s.key).is_empty(), "{}", s.key);
    }
}

#[test]
fn core_stack_options() {
    let (_, inv, states) = load("core_2026_11");
    let o = stack_opts(&inv, &states, "core:d_stack_1_immich");
    assert_eq!(summary(&o), [("stack_start", "reason.already_running"), ("stack_stop", ""), ("stack_update", "")]);
    let stop = get(&o, Action::StackStop);
    assert_eq!(stop.call, call("switch", "turn_off", "switch.immich_stack"));
    assert_eq!(stop.expect, state_in("switch.immich_stack", &["off"]));
    assert_eq!(get(&o, Action::StackStart).call, call("switch", "turn_on", "switch.immich_stack"));
    let update = get(&o, Action::StackUpdate);
    assert_eq!(update.call, call("button", "press", "button.immich_update_stack"));
    assert_eq!(update.expect, changes("button.immich_update_stack", "unknown"));

    let (_, inv, mut states) = load("core_2026_3");
    states.insert("switch.immich_stack".into(), EntityState::new("off"));
    let o = stack_opts(&inv, &states, "core:d_stack_1_immich");
    assert_eq!(
        summary(&o),
        [("stack_start", ""), ("stack_stop", "reason.already_stopped")],
        "no update button before 2026.10"
    );
}

#[test]
fn link_stack_options() {
    let (_, inv, mut states) = load("link_0_6");
    let o = stack_opts(&inv, &states, "link:01LINKENTRY1:stack:immich");
    assert_eq!(summary(&o), [("stack_start", ""), ("stack_stop", ""), ("stack_update", "")]);
    assert_eq!(get(&o, Action::StackStart).call, call("button", "press", "button.stack_immich_start"));
    assert_eq!(get(&o, Action::StackStop).call, call("button", "press", "button.stack_immich_stop"));
    assert_eq!(get(&o, Action::StackUpdate).call, call("button", "press", "button.stack_immich_update"));
    assert_eq!(get(&o, Action::StackStop).expect, changes("button.stack_immich_stop", "unknown"));
    // Link's stack buttons are unavailable while the stack has no containers.
    states.insert("button.stack_immich_start".into(), EntityState::new("unavailable"));
    let o = stack_opts(&inv, &states, "link:01LINKENTRY1:stack:immich");
    assert_eq!(summary(&o), [("stack_start", "reason.unavailable"), ("stack_stop", ""), ("stack_update", "")]);
}

#[test]
fn every_reason_used_is_listed_for_translation() {
    let mut used = std::collections::BTreeSet::new();
    for fixture in ["core_2025_11", "core_2026_4", "core_2026_11", "link_0_6", "link_benji2k2", "mixed", "broken"] {
        let (_, inv, states) = load(fixture);
        for c in &inv.containers {
            for o in options(&inv, &states, &c.key) {
                if let Some(d) = o.disabled {
                    used.insert(d.reason_key);
                }
            }
        }
        for s in &inv.stacks {
            for o in stack_opts(&inv, &states, &s.key) {
                if let Some(d) = o.disabled {
                    used.insert(d.reason_key);
                }
            }
        }
    }
    for r in &used {
        assert!(REASON_KEYS.contains(r), "{r} missing from REASON_KEYS");
    }
    assert!(used.len() >= 7, "{used:?}");
}
