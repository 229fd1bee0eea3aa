//! Container view grouping/filtering/sorting and header counts.
mod common;

use common::load_fixture;
use fleet_deck_core::aggregate::containers::{container_counts, ContainerCounts};
use fleet_deck_core::config::{ContainerGroupBy, ContainerOptions, ContainerSort, Filter};
use fleet_deck_core::discovery::portainer::discover;
use fleet_deck_core::ha::{EntityState, StateMap};
use fleet_deck_core::model::Inventory;
use fleet_deck_core::status::{container_status, ContainerStatus};
use fleet_deck_core::view::containers::{container_groups, needs_status, ContainerGroup, GroupKind};
use std::cell::Cell;

fn load(name: &str) -> (Inventory, StateMap) {
    let (registry, states) = load_fixture(format!("portainer/{name}.json"));
    (discover(&registry, &states), states)
}

/// `(group key, [container names])`.
fn shape(inv: &Inventory, groups: &[ContainerGroup]) -> Vec<(String, Vec<String>)> {
    groups
        .iter()
        .map(|g| {
            let names =
                g.container_keys.iter().map(|k| inv.container(k).map(|c| c.name.clone()).unwrap_or_default()).collect();
            (g.key.clone(), names)
        })
        .collect()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn groups_with(inv: &Inventory, states: &StateMap, opts: &ContainerOptions, search: &str) -> Vec<ContainerGroup> {
    let lookup = |k: &str| inv.container(k).map(|c| container_status(c, states));
    container_groups(inv, Some(&lookup), opts, search)
}

#[test]
fn group_by_stack_then_standalone_per_endpoint_without_statuses() {
    let (inv, _) = load("core_2026_11");
    let opts = ContainerOptions::default();
    assert!(!needs_status(&opts, ""));
    let groups = container_groups(&inv, None, &opts, "");
    assert_eq!(
        shape(&inv, &groups),
        [
            ("stack:core:d_stack_1_immich".to_string(), s(&["immich_postgres", "immich_server"])),
            ("standalone:core:d_ep1".to_string(), s(&["immich", "nginx", "postgres", "redis"])),
            ("standalone:core:d_ep2".to_string(), s(&["nginx", "redis"])),
        ]
    );
    assert_eq!(groups[0].title, "immich");
    assert_eq!(groups[0].kind, GroupKind::Stack { stack_key: "core:d_stack_1_immich".into() });
    assert_eq!(groups[0].endpoint_name.as_deref(), Some("local"));
    assert_eq!(groups[2].title, "remote");
    assert_eq!(groups[2].kind, GroupKind::Standalone { endpoint_key: "core:d_ep2".into() });
    assert_eq!(groups[2].endpoint_name.as_deref(), Some("remote"));
}

#[test]
fn statuses_are_not_read_when_not_needed() {
    let (inv, states) = load("core_2026_11");
    let calls = Cell::new(0);
    let lookup = |k: &str| {
        calls.set(calls.get() + 1);
        inv.container(k).map(|c| container_status(c, &states))
    };
    let opts = ContainerOptions::default();
    let with = container_groups(&inv, Some(&lookup), &opts, "");
    assert_eq!(calls.get(), 0, "name sort, nothing hidden, no search");
    assert_eq!(with, container_groups(&inv, None, &opts, ""));
    // A search that matches names only reads statuses for the containers it does not match.
    let found = container_groups(&inv, Some(&lookup), &opts, "nginx");
    assert_eq!(calls.get(), 6, "8 containers, the 2 nginx matched by name");
    assert_eq!(found.iter().map(|g| g.container_keys.len()).sum::<usize>(), 2);
    // Sorting by CPU reads each container once, however many comparisons there are.
    calls.set(0);
    let opts = ContainerOptions { sort_by: ContainerSort::Cpu, ..Default::default() };
    assert!(needs_status(&opts, ""));
    container_groups(&inv, Some(&lookup), &opts, "");
    assert_eq!(calls.get(), 8);
    assert!(needs_status(&ContainerOptions { hide_stopped: true, ..Default::default() }, ""));
    assert!(needs_status(&ContainerOptions::default(), "x"));
    assert!(!needs_status(&ContainerOptions::default(), "  "));
}

#[test]
fn group_by_endpoint_and_none() {
    let (inv, _) = load("core_2026_11");
    let opts = ContainerOptions { group_by: ContainerGroupBy::Endpoint, ..Default::default() };
    let groups = container_groups(&inv, None, &opts, "");
    assert_eq!(
        shape(&inv, &groups),
        [
            (
                "endpoint:core:d_ep1".to_string(),
                s(&["immich", "immich_postgres", "immich_server", "nginx", "postgres", "redis"])
            ),
            ("endpoint:core:d_ep2".to_string(), s(&["nginx", "redis"])),
        ]
    );
    assert_eq!(groups[0].kind, GroupKind::Endpoint { endpoint_key: "core:d_ep1".into() });
    assert_eq!(groups[0].title, "local");

    let opts = ContainerOptions { group_by: ContainerGroupBy::None, ..Default::default() };
    let groups = container_groups(&inv, None, &opts, "");
    assert_eq!(groups.len(), 1);
    assert_eq!(
        (groups[0].key.as_str(), &groups[0].kind, groups[0].endpoint_name.as_ref()),
        ("all", &GroupKind::All, None)
    );
    assert_eq!(groups[0].container_keys.len(), 8);
    // Same names sort by key, so the order is stable.
    let nginx: Vec<&str> =
        groups[0].container_keys.iter().map(String::as_str).filter(|k| k.ends_with("nginx")).collect();
    assert_eq!(nginx, ["core:d_c1_nginx", "core:d_c2_nginx"]);
}

#[test]
fn integration_endpoint_and_stack_filters() {
    let (inv, _) = load("mixed");
    let only_link = ContainerOptions { integrations: vec!["ha_portainer_link".into()], ..Default::default() };
    assert_eq!(
        shape(&inv, &container_groups(&inv, None, &only_link, "")),
        [
            ("stack:link:01LINKA:stack:immich".to_string(), s(&["immich_server"])),
            ("standalone:link:01LINKA".to_string(), s(&["nginx"])),
            ("standalone:link:01LINKB".to_string(), s(&["nginx"])),
        ]
    );
    let tomaae =
        ContainerOptions { integrations: vec!["PORTAINER_TOMAAE".into(), "portainer".into()], ..Default::default() };
    let n: usize = container_groups(&inv, None, &tomaae, "").iter().map(|g| g.container_keys.len()).sum();
    assert_eq!(n, 6, "core + tomaae");

    let no_remote =
        ContainerOptions { endpoints: Filter { include: vec![], exclude: vec!["rem*".into()] }, ..Default::default() };
    let groups = container_groups(&inv, None, &no_remote, "");
    assert!(groups.iter().all(|g| g.endpoint_name.as_deref() != Some("remote")));
    assert_eq!(groups.iter().map(|g| g.container_keys.len()).sum::<usize>(), 7);

    let only_immich =
        ContainerOptions { stacks: Filter { include: vec!["IMM*".into()], exclude: vec![] }, ..Default::default() };
    let groups = container_groups(&inv, None, &only_immich, "");
    assert_eq!(
        groups.len(),
        2,
        "the core and the link immich stacks; standalone containers are not in a matching stack"
    );
    assert!(groups.iter().all(|g| matches!(g.kind, GroupKind::Stack { .. })));
    assert_eq!(groups[0].endpoint_name.as_deref(), Some("10.0.0.5"), "same title: ordered by endpoint");
    assert_eq!(groups[1].endpoint_name.as_deref(), Some("local"));

    let not_immich =
        ContainerOptions { stacks: Filter { include: vec![], exclude: vec!["immich".into()] }, ..Default::default() };
    let groups = container_groups(&inv, None, &not_immich, "");
    assert!(groups.iter().all(|g| matches!(g.kind, GroupKind::Standalone { .. })));
    assert_eq!(groups.iter().map(|g| g.container_keys.len()).sum::<usize>(), 7);
}

#[test]
fn hide_stopped_and_sorting_use_statuses() {
    let (inv, states) = load("core_2026_11");
    let opts = ContainerOptions { hide_stopped: true, ..Default::default() };
    let groups = groups_with(&inv, &states, &opts, "");
    assert_eq!(groups[1].key, "standalone:core:d_ep1");
    assert_eq!(shape(&inv, &groups)[1].1, s(&["immich", "nginx", "redis"]), "paused is not stopped");

    let by_cpu = ContainerOptions { sort_by: ContainerSort::Cpu, ..Default::default() };
    // immich 0.10, nginx 0.02, postgres 0.0, redis 0.0 (tie → name)
    assert_eq!(
        shape(&inv, &groups_with(&inv, &states, &by_cpu, ""))[1].1,
        s(&["immich", "nginx", "postgres", "redis"])
    );
    let mut states2 = states.clone();
    states2.insert("sensor.redis_cpu_usage_total".into(), EntityState::new("50"));
    states2.insert("sensor.immich_cpu_usage_total".into(), EntityState::new("unavailable"));
    assert_eq!(
        shape(&inv, &groups_with(&inv, &states2, &by_cpu, ""))[1].1,
        s(&["redis", "nginx", "postgres", "immich"]),
        "highest first, unknown last"
    );

    let by_mem = ContainerOptions { sort_by: ContainerSort::Memory, ..Default::default() };
    // immich 1536 MB, nginx 8.2, redis 3.1, postgres 0
    assert_eq!(
        shape(&inv, &groups_with(&inv, &states, &by_mem, ""))[1].1,
        s(&["immich", "nginx", "redis", "postgres"])
    );

    let by_state = ContainerOptions { sort_by: ContainerSort::State, ..Default::default() };
    assert_eq!(
        shape(&inv, &groups_with(&inv, &states, &by_state, ""))[1].1,
        s(&["immich", "nginx", "redis", "postgres"])
    );

    // Without statuses these options degrade to name order and hide nothing.
    let groups = container_groups(
        &inv,
        None,
        &ContainerOptions { hide_stopped: true, sort_by: ContainerSort::Cpu, ..Default::default() },
        "",
    );
    assert_eq!(shape(&inv, &groups)[1].1, s(&["immich", "nginx", "postgres", "redis"]));
}

#[test]
fn search_covers_name_stack_endpoint_and_image() {
    let (inv, states) = load("mixed");
    let opts = ContainerOptions::default();
    let count = |q: &str| groups_with(&inv, &states, &opts, q).iter().map(|g| g.container_keys.len()).sum::<usize>();
    assert_eq!(count("NGINX"), 6, "name, case-insensitive");
    assert_eq!(count("immich"), 2, "name and stack");
    assert_eq!(count("10.0.0.6"), 1, "endpoint name");
    assert_eq!(count("remote"), 2);
    assert_eq!(count("grafana/grafana"), 1, "image");
    assert_eq!(count("nginx:1.27"), 6, "image of every nginx");
    assert_eq!(count("no such thing"), 0);
    assert!(groups_with(&inv, &states, &opts, "no such thing").is_empty(), "empty groups are dropped");
}

#[test]
fn header_counts() {
    let (inv, states) = load("core_2026_11");
    let statuses: Vec<ContainerStatus> = inv.containers.iter().map(|c| container_status(c, &states)).collect();
    let counts = container_counts(inv.containers.iter().zip(statuses.iter()), inv.stacks.len());
    assert_eq!(
        counts,
        ContainerCounts {
            containers: 8,
            // immich_server, immich_postgres, immich, nginx ×2; paused redis ×2 and postgres are not.
            running: 5,
            stacks: 1,
            // immich_server, nginx ×2 (one of them installing)
            updates: 3,
            // nginx ×2 unhealthy, postgres OOM-killed
            unhealthy: 3,
        }
    );
    assert_eq!(container_counts(std::iter::empty(), 0), ContainerCounts::default());
    // Counting blocks of containers and adding them up gives the same header.
    let items: Vec<_> = inv.containers.iter().zip(statuses.iter()).collect();
    let summed: ContainerCounts = items.chunks(3).map(|block| container_counts(block.iter().copied(), 0)).sum::<ContainerCounts>()
        + ContainerCounts { stacks: inv.stacks.len(), ..Default::default() };
    assert_eq!(summed, counts);
}

#[test]
fn sharing_the_inventory_is_only_done_when_the_filters_would_keep_all_of_it() {
    use fleet_deck_core::config::CardConfig;
    use fleet_deck_core::discovery::discover as discover_all;
    use fleet_deck_core::view::{shown_inventory, shows_all};
    let mut shared = 0;
    for name in [
        "portainer/core_2025_10.json", "portainer/core_2026_11.json", "portainer/link_0_6.json",
        "portainer/link_benji2k2.json", "portainer/tomaae.json", "portainer/mixed.json", "portainer/broken.json",
        "balena/eseverson.json", "balena/dinpin.json", "balena/malformed.json", "balena/no_registry.json",
    ] {
        let (registry, states) = load_fixture(name);
        let inv = discover_all(&registry, &states);
        let cfg = CardConfig::default();
        if shows_all(&inv, &cfg) {
            shared += 1;
            assert_eq!(shown_inventory(&inv, &cfg), inv, "{name}: shared, so the filters must keep everything");
        }
    }
    assert!(shared >= 8, "most fixtures show everything by default ({shared})");
}
