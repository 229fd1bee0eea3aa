//! Portainer discovery against registry/state snapshots of every supported integration shape
//! (fixtures under `tests/fixtures/portainer/`, built from portainer-integrations.md).
mod common;

use common::{load_fixture, parse_fixture};
use fleet_deck_core::discovery::placeable;
use fleet_deck_core::discovery::portainer::discover;
use fleet_deck_core::ha::StateMap;
use fleet_deck_core::model::{Container, Inventory, Source, Stack};
use std::collections::HashSet;

fn load(name: &str) -> (Inventory, StateMap) {
    let (registry, states) = load_fixture(format!("portainer/{name}.json"));
    (discover(&registry, &states), states)
}

fn container<'a>(inv: &'a Inventory, key: &str) -> &'a Container {
    inv.container(key).unwrap_or_else(|| panic!("no container {key}; have {:?}", keys(inv)))
}

fn stack<'a>(inv: &'a Inventory, key: &str) -> &'a Stack {
    inv.stack(key)
        .unwrap_or_else(|| panic!("no stack {key}; have {:?}", inv.stacks.iter().map(|s| &s.key).collect::<Vec<_>>()))
}

fn keys(inv: &Inventory) -> Vec<&str> {
    inv.containers.iter().map(|c| c.key.as_str()).collect()
}

fn id(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn assert_unique_keys(inv: &Inventory) {
    let mut seen = HashSet::new();
    for k in keys(inv) {
        assert!(seen.insert(k), "duplicate container key {k}");
    }
    let eps: HashSet<_> = inv.endpoints.iter().map(|e| &e.key).collect();
    assert_eq!(eps.len(), inv.endpoints.len(), "duplicate endpoint keys");
    let stacks: HashSet<_> = inv.stacks.iter().map(|s| &s.key).collect();
    assert_eq!(stacks.len(), inv.stacks.len(), "duplicate stack keys");
    for c in &inv.containers {
        assert!(inv.endpoint(&c.endpoint_key).is_some(), "{} points at missing endpoint {}", c.key, c.endpoint_key);
        if let Some(s) = &c.stack_key {
            assert!(inv.stack(s).is_some(), "{} points at missing stack {s}", c.key);
        }
    }
    for s in &inv.stacks {
        assert!(
            inv.endpoint(&s.endpoint_key).is_some(),
            "stack {} points at missing endpoint {}",
            s.key,
            s.endpoint_key
        );
    }
}

// ---------------------------------------------------------------------------------------- core

#[test]
fn core_2025_10_only_status_binary_sensors() {
    let (inv, _) = load("core_2025_10");
    assert_eq!(inv.endpoints.len(), 1);
    assert_eq!(inv.endpoints[0].key, "core:d_ep1");
    assert_eq!(inv.endpoints[0].name, "local");
    assert_eq!(inv.endpoints[0].source, Source::PortainerCore);
    assert!(inv.stacks.is_empty());
    assert_eq!(
        inv.containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["immich", "immich_postgres", "immich_server", "nginx", "postgres", "redis"]
    );
    for c in &inv.containers {
        assert_eq!(c.endpoint_key, "core:d_ep1");
        assert_eq!(c.stack_key, None, "{} has no stack before 2026.3", c.name);
        assert_eq!(c.roles.entity_ids().count(), 1, "{}: only the status binary sensor", c.name);
    }
    let nginx = container(&inv, "core:d_c1_nginx");
    assert_eq!(nginx.roles.running, id("binary_sensor.nginx_status"));
    assert_eq!(nginx.device_id.as_deref(), Some("d_c1_nginx"));
    assert!(nginx
        .configuration_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://portainer.lan:9443#!/1/docker/containers/")));
    // The endpoint's own `status` binary sensor is not a container.
    assert!(inv.containers.iter().all(|c| c.roles.running.as_deref() != Some("binary_sensor.local_status")));
}

#[test]
fn core_2026_3_builds_the_stack_tree_and_tells_status_sensors_apart_by_model() {
    let (inv, _) = load("core_2026_3");
    assert_unique_keys(&inv);
    assert_eq!(inv.stacks.len(), 1);
    let immich = stack(&inv, "core:d_stack_1_immich");
    assert_eq!(immich.name, "immich");
    assert_eq!(immich.endpoint_key, "core:d_ep1");
    assert_eq!(immich.source, Source::PortainerCore);
    assert_eq!(immich.roles.switch, id("switch.immich_stack"));
    // Both the stack and the same-named container have a `status` binary sensor; the entity
    // ids collide (`_2`), the device model decides.
    assert_eq!(immich.roles.status, id("binary_sensor.immich_status"));
    assert_eq!(immich.roles.stack_type, id("sensor.immich_type"));
    assert_eq!(immich.roles.containers_count, id("sensor.immich_containers"));
    assert_eq!(immich.roles.update_button, None, "update_stack arrives in 2026.10");

    let ml = container(&inv, "core:d_c1_immich");
    assert_eq!(ml.stack_key, None, "standalone: hangs from the endpoint");
    assert_eq!(ml.roles.running, id("binary_sensor.immich_status_2"));
    assert_eq!(ml.roles.switch, id("switch.immich_container"));

    for name in ["immich_server", "immich_postgres"] {
        let c = container(&inv, &format!("core:d_c1_{name}"));
        assert_eq!(c.stack_key.as_deref(), Some("core:d_stack_1_immich"), "{name}");
        assert_eq!(c.endpoint_key, "core:d_ep1", "{name}: endpoint through the stack");
    }
    let server = container(&inv, "core:d_c1_immich_server");
    assert_eq!(server.roles.state, id("sensor.immich_server_state"));
    assert_eq!(server.roles.cpu, id("sensor.immich_server_cpu_usage_total"));
    assert_eq!(server.roles.memory, id("sensor.immich_server_memory_usage"));
    assert_eq!(server.roles.memory_pct, id("sensor.immich_server_memory_usage_percentage"));
    assert_eq!(server.roles.memory_limit, id("sensor.immich_server_memory_limit"));
    assert_eq!(server.roles.restart, id("button.immich_server_restart_container"));
    assert_eq!(server.roles.update, None);
}

/// Which container roles exist for `nginx` (running, healthcheck, OCI version label) in each
/// release, per the version timeline.
#[test]
fn core_every_release_in_the_timeline_discovers_what_it_has() {
    struct Row {
        fixture: &'static str,
        state: bool,
        switch: bool,
        image: bool,
        cpu: bool,
        pause: bool,
        kill: bool,
        update: bool,
        health: bool,
        version: bool,
        started: bool,
        stacks: usize,
    }
    #[rustfmt::skip]
    let rows = [
        Row { fixture: "core_2025_10", state: false, switch: false, image: false, cpu: false, pause: false, kill: false, update: false, health: false, version: false, started: false, stacks: 0 },
        Row { fixture: "core_2025_11", state: false, switch: true, image: true, cpu: false, pause: false, kill: false, update: false, health: false, version: false, started: false, stacks: 0 },
        Row { fixture: "core_2025_12", state: false, switch: true, image: true, cpu: true, pause: false, kill: false, update: false, health: false, version: false, started: false, stacks: 0 },
        Row { fixture: "core_2026_2", state: true, switch: true, image: true, cpu: true, pause: false, kill: false, update: false, health: false, version: false, started: false, stacks: 0 },
        Row { fixture: "core_2026_3", state: true, switch: true, image: true, cpu: true, pause: false, kill: false, update: false, health: false, version: false, started: false, stacks: 1 },
        Row { fixture: "core_2026_4", state: true, switch: true, image: true, cpu: true, pause: true, kill: false, update: false, health: false, version: false, started: false, stacks: 1 },
        Row { fixture: "core_2026_5", state: true, switch: true, image: true, cpu: true, pause: true, kill: true, update: false, health: false, version: false, started: false, stacks: 1 },
        Row { fixture: "core_2026_8", state: true, switch: true, image: true, cpu: true, pause: true, kill: true, update: true, health: true, version: false, started: false, stacks: 1 },
        Row { fixture: "core_2026_10", state: true, switch: true, image: true, cpu: true, pause: true, kill: true, update: true, health: true, version: true, started: true, stacks: 1 },
        Row { fixture: "core_2026_11", state: true, switch: true, image: true, cpu: true, pause: true, kill: true, update: true, health: true, version: true, started: true, stacks: 1 },
    ];
    for r in rows {
        let (inv, _) = load(r.fixture);
        assert_unique_keys(&inv);
        let f = r.fixture;
        assert_eq!(inv.stacks.len(), r.stacks, "{f}: stacks");
        // Volume and Server devices never become anything.
        assert!(inv.containers.iter().all(|c| c.name != "immich_pgdata"), "{f}: volume shown");
        assert!(inv.endpoints.iter().all(|e| !e.name.starts_with("https://")), "{f}: server shown as endpoint");
        let n = container(&inv, "core:d_c1_nginx");
        assert_eq!(n.source, Source::PortainerCore);
        assert_eq!(n.roles.running, id("binary_sensor.nginx_status"), "{f}: running");
        assert_eq!(n.roles.state.is_some(), r.state, "{f}: state");
        assert_eq!(n.roles.switch.is_some(), r.switch, "{f}: switch");
        assert_eq!(n.roles.image.is_some(), r.image, "{f}: image");
        assert_eq!(n.roles.restart.is_some(), r.switch, "{f}: restart");
        assert_eq!(n.roles.cpu.is_some(), r.cpu, "{f}: cpu");
        assert_eq!(n.roles.memory.is_some(), r.cpu, "{f}: memory");
        assert_eq!(n.roles.pause.is_some(), r.pause, "{f}: pause");
        assert_eq!(n.roles.resume.is_some(), r.pause, "{f}: resume");
        assert_eq!(n.roles.kill.is_some(), r.kill, "{f}: kill");
        assert_eq!(n.roles.recreate.is_some(), r.kill, "{f}: recreate");
        assert_eq!(n.roles.update.is_some(), r.update, "{f}: update");
        assert_eq!(n.roles.health.is_some(), r.health, "{f}: health");
        assert_eq!(n.roles.image_version.is_some(), r.version, "{f}: image_version");
        assert_eq!(n.roles.started_at.is_some(), r.started, "{f}: started_at");
        assert_eq!(n.roles.restart_count.is_some(), r.started, "{f}: restart_count");
        assert_eq!(n.roles.oom.is_some(), r.started, "{f}: oom");
        // Never taken from other entities of the device.
        assert_eq!(n.roles.uptime, None);
        assert_eq!(n.roles.pull_update, None);
        // Before 2026.3 every container hangs directly from the endpoint.
        let server = container(&inv, "core:d_c1_immich_server");
        let expect_stack = (r.stacks == 1).then(|| "core:d_stack_1_immich".to_string());
        assert_eq!(server.stack_key, expect_stack, "{f}: immich_server's stack");
    }
}

#[test]
fn core_2026_10_status_binary_sensor_only_for_containers_running_when_first_seen() {
    let (inv, _) = load("core_2026_10");
    assert_eq!(container(&inv, "core:d_c1_postgres").roles.running, None);
    assert_eq!(container(&inv, "core:d_c1_redis").roles.running, None);
    assert_eq!(container(&inv, "core:d_c1_nginx").roles.running, id("binary_sensor.nginx_status"));
    assert_eq!(container(&inv, "core:d_c1_postgres").roles.state, id("sensor.postgres_state"));
    assert_eq!(stack(&inv, "core:d_stack_1_immich").roles.update_button, id("button.immich_update_stack"));
    let server = container(&inv, "core:d_c1_immich_server");
    assert_eq!(server.roles.started_at, id("sensor.immich_server_started"));
    assert_eq!(server.roles.restart_count, id("sensor.immich_server_restart_count"));
    assert_eq!(server.roles.oom, id("binary_sensor.immich_server_out_of_memory"));
    assert_eq!(server.roles.image_version, id("sensor.immich_server_image_version"));
    assert_eq!(server.roles.update, id("update.immich_server_image_update_available"));
}

#[test]
fn core_2026_11_two_endpoints_with_same_named_containers_stay_apart() {
    let (inv, _) = load("core_2026_11");
    assert_unique_keys(&inv);
    assert_eq!(
        inv.endpoints.iter().map(|e| (e.key.as_str(), e.name.as_str())).collect::<Vec<_>>(),
        [("core:d_ep1", "local"), ("core:d_ep2", "remote")]
    );
    assert_eq!(inv.endpoints[1].configuration_url.as_deref(), Some("https://portainer.lan:9443#!/2/docker/dashboard"));
    assert_eq!(inv.endpoints[1].device_id.as_deref(), Some("d_ep2"));
    assert_eq!(inv.containers.len(), 8);
    let local = container(&inv, "core:d_c1_nginx");
    let remote = container(&inv, "core:d_c2_nginx");
    assert_eq!((local.name.as_str(), remote.name.as_str()), ("nginx", "nginx"));
    assert_eq!(local.endpoint_key, "core:d_ep1");
    assert_eq!(remote.endpoint_key, "core:d_ep2");
    assert_eq!(local.roles.state, id("sensor.nginx_state"));
    assert_eq!(remote.roles.state, id("sensor.nginx_state_2"));
    assert_eq!(remote.roles.switch, id("switch.nginx_container_2"));
    assert_eq!(remote.roles.update, id("update.nginx_image_update_available_2"));
    // The server update entity belongs to no container and no stack.
    let ids = inv.entity_ids();
    assert!(!ids.iter().any(|i| i.starts_with("update.https_portainer")), "{ids:?}");
    assert!(!ids.iter().any(|i| i.starts_with("sensor.immich_pgdata")), "{ids:?}");
    assert!(!ids.iter().any(|i| i.starts_with("sensor.local_")), "endpoint sensors are not subscribed: {ids:?}");
    assert!(!ids.iter().any(|i| i.starts_with("event.")), "events have no role: {ids:?}");
}

// ---------------------------------------------------------------------------------------- link

#[test]
fn link_0_6_splits_the_shared_stack_device_into_containers() {
    let (inv, _) = load("link_0_6");
    assert_unique_keys(&inv);
    assert_eq!(inv.endpoints.len(), 1);
    let ep = &inv.endpoints[0];
    assert_eq!(
        (ep.key.as_str(), ep.name.as_str(), ep.source),
        ("link:01LINKENTRY1", "192.168.1.10", Source::PortainerLink)
    );
    assert_eq!(ep.configuration_url.as_deref(), Some("http://192.168.1.10:9000"));

    let immich = stack(&inv, "link:01LINKENTRY1:stack:immich");
    assert_eq!(immich.name, "immich");
    assert_eq!(immich.endpoint_key, "link:01LINKENTRY1");
    assert_eq!(immich.roles.start_button, id("button.stack_immich_start"));
    assert_eq!(immich.roles.stop_button, id("button.stack_immich_stop"));
    assert_eq!(immich.roles.update_button, id("button.stack_immich_update"));
    assert_eq!(immich.roles.switch, None);
    assert_eq!(immich.device_id.as_deref(), Some("d_link_01LINKENTRY1_stack_immich"));

    let names: Vec<(&str, Option<&str>)> =
        inv.containers.iter().map(|c| (c.name.as_str(), c.stack_key.as_deref())).collect();
    assert_eq!(
        names,
        [
            ("homeassistant-db", None),
            ("immich-machine-learning-1", Some("link:01LINKENTRY1:stack:immich")),
            ("immich_postgres", Some("link:01LINKENTRY1:stack:immich")),
            ("immich_server", Some("link:01LINKENTRY1:stack:immich")),
            ("nginx", None),
        ]
    );

    let server = container(&inv, "link:01LINKENTRY1:immich_server");
    let r = &server.roles;
    assert_eq!(r.state, id("sensor.immich_server_status"));
    assert_eq!(r.image, id("sensor.immich_server_image"));
    assert_eq!(r.cpu, id("sensor.immich_server_cpu_usage"));
    assert_eq!(r.memory, id("sensor.immich_server_memory_usage"));
    assert_eq!(r.uptime, id("sensor.immich_server_uptime"));
    assert_eq!(r.current_version, id("sensor.immich_server_current_version"));
    assert_eq!(r.available_version, id("sensor.immich_server_available_version"));
    assert_eq!(r.switch, id("switch.immich_server_switch"));
    assert_eq!(r.restart, id("button.immich_server_restart"));
    assert_eq!(r.pull_update, id("button.immich_server_pull_update"));
    assert_eq!(r.update_available, id("binary_sensor.immich_server_update_available"));
    assert_eq!(r.update, id("update.immich_server_update"));
    assert_eq!((r.running.as_ref(), r.pause.as_ref(), r.kill.as_ref(), r.health.as_ref()), (None, None, None, None));
    assert_eq!(r.entity_ids().count(), 12, "digest sensors have no role");
    // Stack members do not own the shared device.
    assert_eq!(server.device_id, None);

    let ml = container(&inv, "link:01LINKENTRY1:immich_machine_learning_1");
    assert_eq!(ml.name, "immich-machine-learning-1", "exact Docker name from the friendly name");
    assert_eq!(ml.roles.switch, id("switch.immich_machine_learning_1_switch"));

    let db = container(&inv, "link:01LINKENTRY1:homeassistant_db");
    assert_eq!(db.name, "homeassistant-db");
    assert_eq!(db.device_id.as_deref(), Some("d_link_01LINKENTRY1_homeassistant-db"));
    assert_eq!(db.roles.state, id("sensor.homeassistant_db_status"));
}

#[test]
fn link_benji2k2_fork_with_entity_names_prefixed_by_the_device() {
    let (inv, _) = load("link_benji2k2");
    assert_unique_keys(&inv);
    assert_eq!(inv.endpoints.len(), 1, "the hub device is not an endpoint or container");
    assert_eq!((inv.endpoints[0].key.as_str(), inv.endpoints[0].name.as_str()), ("link:01BENJI", "nas"));
    assert_eq!(keys(&inv), ["link:01BENJI:nginx", "link:01BENJI:radarr", "link:01BENJI:sonarr"]);

    let nginx = container(&inv, "link:01BENJI:nginx");
    assert_eq!(nginx.name, "nginx");
    assert_eq!(nginx.stack_key, None);
    assert_eq!(nginx.roles.state, id("sensor.nginx_nas_status"));
    assert_eq!(nginx.roles.health, id("sensor.nginx_nas_health"));
    assert_eq!(nginx.roles.switch, id("switch.nginx_nas_switch"));
    assert_eq!(nginx.roles.pull_update, id("button.nginx_nas_pull_update"));

    let media = stack(&inv, "link:01BENJI:stack:media");
    assert_eq!(media.name, "media");
    assert_eq!(media.roles.start_button, id("button.stack_media_nas_start"));
    assert_eq!(media.roles.stop_button, id("button.stack_media_nas_stop"));
    assert_eq!(media.roles.update_button, id("button.stack_media_nas_update"));

    let radarr = container(&inv, "link:01BENJI:radarr");
    assert_eq!(radarr.stack_key.as_deref(), Some("link:01BENJI:stack:media"));
    assert_eq!(radarr.roles.state, id("sensor.stack_media_nas_radarr_status"));
    assert_eq!(radarr.roles.restart, id("button.stack_media_nas_radarr_restart"));
    // No state (so no friendly name) for this one: placed by its entity id.
    assert_eq!(radarr.roles.cpu, id("sensor.stack_media_nas_radarr_cpu_usage"));
    let sonarr = container(&inv, "link:01BENJI:sonarr");
    assert_eq!(sonarr.roles.update, id("update.stack_media_nas_sonarr_update"));
    assert!(!inv.entity_ids().iter().any(|i| i.starts_with("sensor.portainer_nas")), "hub sensors have no role");
}

// -------------------------------------------------------------------------------------- tomaae

#[test]
fn tomaae_one_sensor_per_container_with_stack_and_endpoint_from_attributes() {
    let (inv, _) = load("tomaae");
    assert_unique_keys(&inv);
    assert_eq!(inv.endpoints.len(), 1);
    let ep = &inv.endpoints[0];
    assert_eq!(
        (ep.key.as_str(), ep.name.as_str(), ep.source),
        ("tomaae:01TOMAAE:local", "local", Source::PortainerTomaae)
    );
    assert_eq!(ep.device_id.as_deref(), Some("d_tomaae_01TOMAAE_local"));
    assert_eq!(inv.stacks.len(), 1);
    let immich = stack(&inv, "tomaae:01TOMAAE:local:stack:immich");
    assert_eq!((immich.name.as_str(), immich.endpoint_key.as_str()), ("immich", "tomaae:01TOMAAE:local"));
    assert_eq!(immich.roles.entity_ids().count(), 0);

    assert_eq!(
        inv.containers.iter().map(|c| (c.name.as_str(), c.stack_key.is_some())).collect::<Vec<_>>(),
        [("grafana", false), ("immich_postgres", true), ("immich_server", true), ("nginx", false)]
    );
    for c in &inv.containers {
        assert_eq!(c.source, Source::PortainerTomaae);
        assert!(c.source.read_only());
        assert_eq!(
            c.roles.entity_ids().collect::<Vec<_>>(),
            [c.roles.state.as_ref().unwrap()],
            "{}: one sensor",
            c.name
        );
    }
    // The stale duplicate left by a recreate (unavailable, attributes gone) is not a container.
    assert_eq!(container(&inv, "tomaae:01TOMAAE:local:nginx").roles.state, id("sensor.portainer_local_nginx"));
    let ids = inv.entity_ids();
    for not_a_container in
        ["sensor.portainer_endpoints_local", "sensor.container_update_check", "button.force_update_check"]
    {
        assert!(!ids.contains(&not_a_container), "{not_a_container}");
    }
}

#[test]
fn tomaae_environment_naming_the_wrong_endpoint_does_not_merge_endpoints() {
    // Upstream #23: every container sensor's `Environment` names the last endpoint.
    let (registry, mut states) = load_fixture("portainer/mixed.json");
    let sensors: Vec<String> =
        states.iter().filter(|(_, s)| s.attributes.contains_key("Environment")).map(|(id, _)| id.clone()).collect();
    assert!(sensors.len() >= 3, "{sensors:?}");
    for id in &sensors {
        states.get_mut(id).unwrap().attributes.insert("Environment", "remote".into());
    }
    let inv = discover(&registry, &states);
    assert_unique_keys(&inv);
    let tomaae: Vec<(&str, &str)> = inv
        .containers
        .iter()
        .filter(|c| c.source == Source::PortainerTomaae)
        .map(|c| (c.name.as_str(), c.endpoint_key.as_str()))
        .collect();
    assert_eq!(tomaae.len(), sensors.len(), "no container hides another: {tomaae:?}");
    let nginx_local = tomaae.iter().find(|(n, ep)| *n == "nginx" && *ep != "tomaae:01TOMAAE:remote");
    let local_ep = nginx_local.map(|(_, ep)| *ep).expect("the local nginx keeps its own endpoint");
    // The local endpoint is named by its device; the remote one's Environment is right.
    assert_eq!(inv.endpoint(local_ep).map(|e| e.name.as_str()), Some("Portainer local"));
    assert_eq!(inv.endpoint("tomaae:01TOMAAE:remote").map(|e| e.name.as_str()), Some("remote"));
}

#[test]
fn two_link_endpoints_of_one_portainer_server_get_their_endpoint_ids_in_the_heading() {
    // Entry B is endpoint 2 of the same server as entry A (endpoint 1).
    let (mut registry, states) = load_fixture("portainer/mixed.json");
    for d in registry.devices.values_mut().filter(|d| d.config_entries.iter().any(|e| e == "01LINKB")) {
        d.name = d.name.as_ref().map(|n| n.replace("10.0.0.6", "10.0.0.5"));
        d.identifiers = vec![serde_json::json!(["ha_portainer_link", format!("01LINKB_2_10_0_0_5_{}", d.id)])];
    }
    let inv = discover(&registry, &states);
    let name = |k: &str| inv.endpoint(k).map(|e| e.name.clone()).unwrap_or_default();
    assert_eq!((name("link:01LINKA"), name("link:01LINKB")), ("10.0.0.5 #1".to_string(), "10.0.0.5 #2".to_string()));
    // Different hosts need no id.
    let (registry, states) = load_fixture("portainer/mixed.json");
    let inv = discover(&registry, &states);
    assert_eq!(inv.endpoint("link:01LINKB").map(|e| e.name.as_str()), Some("10.0.0.6"));
}

#[test]
fn an_unavailable_tomaae_sensor_waits_and_is_placed_once_it_has_its_attributes() {
    // Portainer unreachable when the dashboard opened: the sensor has no value and has lost the
    // attributes that place it.
    let (registry, mut states) = load_fixture("portainer/tomaae.json");
    let id = "sensor.portainer_local_nginx";
    let live = states.get(id).cloned().expect("nginx's sensor");
    states.insert(id.to_string(), fleet_deck_core::ha::EntityState::new("unavailable"));
    let inv = discover(&registry, &states);
    assert!(inv.container("tomaae:01TOMAAE:local:nginx").is_none());
    assert!(inv.waiting.iter().any(|w| w == id), "{:?}", inv.waiting);
    assert!(inv.entity_ids().contains(&id), "the card follows it");
    assert!(!placeable(&inv, id, states.get(id)), "still unavailable");
    // Back, with its attributes: placeable, and discovery finds the container.
    assert!(placeable(&inv, id, Some(&live)));
    states.insert(id.to_string(), live);
    assert!(discover(&registry, &states).container("tomaae:01TOMAAE:local:nginx").is_some());
    // An endpoint sensor coming back carries no Environment: nothing to discover.
    let endpoint = fleet_deck_core::ha::EntityState::new("23");
    assert!(!placeable(&inv, id, Some(&endpoint)));
}

// --------------------------------------------------------------------------------------- mixed

#[test]
fn mixed_install_keeps_every_integration_and_endpoint_apart() {
    let (registry, states) = load_fixture("portainer/mixed.json");
    let inv = discover(&registry, &states);
    assert_unique_keys(&inv);
    let by_source = |s: Source| inv.containers.iter().filter(|c| c.source == s).count();
    assert_eq!(by_source(Source::PortainerCore), 3);
    assert_eq!(by_source(Source::PortainerLink), 3);
    assert_eq!(by_source(Source::PortainerTomaae), 3);

    let mut nginx: Vec<(&str, &str)> = inv
        .containers
        .iter()
        .filter(|c| c.name == "nginx")
        .map(|c| (c.key.as_str(), c.endpoint_key.as_str()))
        .collect();
    nginx.sort();
    assert_eq!(
        nginx,
        [
            ("core:d_c1_nginx", "core:d_ep1"),
            ("core:d_c2_nginx", "core:d_ep2"),
            ("link:01LINKA:nginx", "link:01LINKA"),
            ("link:01LINKB:nginx", "link:01LINKB"),
            ("tomaae:01TOMAAE:local:nginx", "tomaae:01TOMAAE:local"),
            ("tomaae:01TOMAAE:remote:nginx", "tomaae:01TOMAAE:remote"),
        ]
    );
    let endpoint_name = |k: &str| inv.endpoint(k).map(|e| e.name.clone()).unwrap_or_default();
    assert_eq!(endpoint_name("link:01LINKA"), "10.0.0.5");
    assert_eq!(endpoint_name("link:01LINKB"), "10.0.0.6");
    assert_eq!(endpoint_name("tomaae:01TOMAAE:remote"), "remote");

    // Link's second host got `_2`/`_4` entity ids; friendly names still place them.
    let b = container(&inv, "link:01LINKB:nginx");
    assert_eq!(b.roles.state, id("sensor.nginx_status_2"));
    assert_eq!(b.roles.image, id("sensor.nginx_image_4"));
    assert_eq!(b.roles.update, id("update.nginx_update_2"));
    // Link's entities never leak into core containers and vice versa.
    let core = container(&inv, "core:d_c1_nginx");
    assert!(core
        .roles
        .entity_ids()
        .all(|i| registry.entities.iter().any(|e| &e.entity_id == i && e.platform.as_deref() == Some("portainer"))));
    assert!(b.roles.entity_ids().all(|i| registry
        .entities
        .iter()
        .any(|e| &e.entity_id == i && e.platform.as_deref() == Some("ha_portainer_link"))));
    // Two stacks called immich: one per integration.
    assert_eq!(inv.stacks.iter().filter(|s| s.name == "immich").count(), 2);
    let link_server = container(&inv, "link:01LINKA:immich_server");
    assert_eq!(link_server.stack_key.as_deref(), Some("link:01LINKA:stack:immich"));
    assert_eq!(link_server.roles.memory, id("sensor.immich_server_memory_usage_2"));

    // The crate-level dispatcher sees the same Portainer inventory.
    let all = fleet_deck_core::discovery::discover(&registry, &states);
    assert_eq!(all.containers, inv.containers);
    assert_eq!(all.endpoints, inv.endpoints);
    assert_eq!(all.stacks, inv.stacks);
}

#[test]
fn discovery_does_not_depend_on_registry_order() {
    for fixture in ["mixed", "link_benji2k2", "core_2026_11", "broken", "tomaae"] {
        let (mut registry, states) = load_fixture(format!("portainer/{fixture}.json"));
        let forward = discover(&registry, &states);
        registry.entities.reverse();
        assert_eq!(discover(&registry, &states), forward, "{fixture}");
    }
}

#[test]
fn inventory_is_sorted_by_name() {
    let (inv, _) = load("mixed");
    let names: Vec<String> = inv.containers.iter().map(|c| c.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

// -------------------------------------------------------------------------------------- broken

#[test]
fn broken_registries_and_attributes_degrade_without_panicking() {
    let (inv, _) = load("broken");
    assert_unique_keys(&inv);

    // Dangling device ids, missing device ids, null platforms and volumes: nothing.
    let ids = inv.entity_ids();
    for skipped in [
        "sensor.ghost_state",
        "switch.no_device_container",
        "sensor.no_platform",
        "sensor.vol_size",
        "sensor.dangling_status",
    ] {
        assert!(!ids.contains(&skipped), "{skipped} should be skipped");
    }

    // A container whose endpoint device is gone lands on a stand-in endpoint named after
    // the Portainer address in its configuration_url.
    let orphan = container(&inv, "core:d_orphan");
    assert_eq!(orphan.endpoint_key, "core:orphan:01CORE");
    let ep = inv.endpoint("core:orphan:01CORE").map(|e| (e.name.as_str(), e.device_id.clone()));
    assert_eq!(ep, Some(("portainer.lan:9443", None)));
    assert_eq!(orphan.roles.health, None, "an entity id without a domain gets no role");
    assert_eq!(orphan.roles.update, id("update.orphan_image_update_available"));
    // A container under another container is not nested; it joins the stand-in endpoint.
    assert_eq!(container(&inv, "core:d_gone_c").endpoint_key, "core:orphan:01CORE");

    // A stack whose endpoint is gone keeps its containers.
    let lost = stack(&inv, "core:d_stack_lost");
    assert_eq!(lost.endpoint_key, "core:orphan:");
    assert_eq!(inv.endpoint("core:orphan:").map(|e| e.name.as_str()), Some("Portainer"));
    let web = container(&inv, "core:d_web");
    assert_eq!(web.stack_key.as_deref(), Some("core:d_stack_lost"));
    assert_eq!(web.endpoint_key, "core:orphan:");

    // No model and no name: classified by translation keys, named by device id.
    let nameless = container(&inv, "core:d_nameless");
    assert_eq!(nameless.name, "d_nameless");
    assert_eq!(nameless.roles.image, id("sensor.nameless_image"));

    // Link: a device without "(host)" and without a config entry.
    let lonely = container(&inv, "link:unknown:lonely");
    assert_eq!(lonely.roles.state, id("sensor.lonely_status"));
    assert_eq!(lonely.roles.entity_ids().count(), 1, "unparseable names get no role");
    assert_eq!(inv.endpoint("link:unknown").map(|e| e.name.as_str()), Some("Portainer"));
    // A hostless sibling must not rename the endpoint its other devices name.
    assert_eq!(inv.endpoint("link:01LINKX").map(|e| e.name.as_str()), Some("h1"));
    // On a stack device: a user-renamed "Status" falls back to the entity id, a numeric
    // friendly name too; an entity nothing can place is dropped.
    let broken_stack: Vec<&str> = inv
        .containers
        .iter()
        .filter(|c| c.stack_key.as_deref() == Some("link:01LINKX:stack:broken"))
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(broken_stack, ["broken", "svc"]);
    assert_eq!(container(&inv, "link:01LINKX:svc").roles.cpu, id("sensor.svc_cpu_usage"));
    assert!(!ids.contains(&"sensor.whatever"));
    // A device with an empty name borrows the container name from its entities.
    assert_eq!(container(&inv, "link:01LINKX:mystery").name, "mystery");

    // tomaae: a numeric Environment still makes a container sensor (its device, "Portainer
    // local", places it: upstream #23); blank Environment or a missing state is not a
    // container; a missing device still works; odd attribute types are ignored.
    assert_eq!(container(&inv, "tomaae:01TOMAAE:local:numbered").stack_key, None);
    assert!(inv.endpoint("tomaae:01TOMAAE:7").is_none());
    let roles: Vec<&String> = inv.containers.iter().flat_map(|c| c.roles.entity_ids()).collect();
    for not_a_container in ["sensor.portainer_local_blank_env", "sensor.portainer_local_no_state"] {
        assert!(!roles.iter().any(|r| *r == not_a_container), "{not_a_container}");
    }
    // The one without a state may still be a container once it has one: the card follows it.
    assert_eq!(inv.waiting, ["sensor.portainer_local_no_state"]);
    assert!(ids.contains(&"sensor.portainer_local_no_state"));
    let no_device = container(&inv, "tomaae::local:no_device");
    assert_eq!(no_device.stack_key, None, "a blank Compose stack is no stack");
    assert_eq!(container(&inv, "tomaae:01TOMAAE:local:array_attrs").stack_key, None);

    assert_eq!(inv.containers.len(), 11, "{:?}", keys(&inv));
}

#[test]
fn empty_and_foreign_registries_discover_nothing() {
    let (registry, states) = parse_fixture(&serde_json::json!({}));
    assert_eq!(discover(&registry, &states), Inventory::default());
    let (registry, states) = parse_fixture(&serde_json::json!({
        "entities": {
            "sensor.balena_cpu": {"platform": "balena_cloud", "device_id": "d1"},
            "light.kitchen": {"platform": "hue", "device_id": "d2", "translation_key": "status"}
        },
        "devices": {"d1": {"name": "pi", "model": "Container"}, "d2": {"name": "kitchen", "model": "Container"}},
        "states": {"sensor.balena_cpu": {"state": "3", "attributes": {"Environment": "local"}}}
    }));
    assert_eq!(discover(&registry, &states), Inventory::default());
}

#[test]
fn a_duplicate_key_from_an_unforeseen_registry_is_made_unique() {
    // Two link devices of one entry claiming the same container name (a recreate that left
    // the old device behind): both stay visible under distinct keys.
    let (registry, states) = parse_fixture(&serde_json::json!({
        "entities": {
            "sensor.nginx_status": {"platform": "ha_portainer_link", "device_id": "a"},
            "sensor.nginx_status_2": {"platform": "ha_portainer_link", "device_id": "b"}
        },
        "devices": {
            "a": {"name": "nginx (h)", "model": "Docker Container", "config_entries": ["E"]},
            "b": {"name": "nginx (h)", "model": "Docker Container", "config_entries": ["E"]}
        },
        "states": {
            "sensor.nginx_status": {"state": "running", "attributes": {"friendly_name": "nginx Status"}},
            "sensor.nginx_status_2": {"state": "exited", "attributes": {"friendly_name": "nginx Status"}}
        }
    }));
    let inv = discover(&registry, &states);
    assert_eq!(keys(&inv), ["link:E:nginx", "link:E:nginx#2"]);
    assert_eq!(inv.endpoints.len(), 1);
}
