//! What the views show: the config's static filters ([`shown_inventory`]) and, per view,
//! searching, grouping and sorting.
pub mod containers;
pub mod devices;
pub mod reveal;

use crate::config::CardConfig;
use crate::model::{Inventory, Source};
use std::collections::{HashMap, HashSet};

/// The inventory after the config's static filters (integrations, endpoints, stacks, fleets).
/// These entities are the ones the card tracks and subscribes to; search and "hide stopped"
/// only hide rows, they do not stop tracking (a hidden container may start any moment).
pub fn shown_inventory(inv: &Inventory, cfg: &CardConfig) -> Inventory {
    let c = &cfg.containers;
    let wants = |s: Source| c.integrations.is_empty() || c.integrations.iter().any(|i| i == s.config_name());
    let endpoint_name = |key: &str| inv.endpoint(key).map(|e| e.name.as_str()).unwrap_or("");
    let containers: Vec<_> = inv
        .containers
        .iter()
        .filter(|ct| wants(ct.source))
        .filter(|ct| c.endpoints.matches(endpoint_name(&ct.endpoint_key)))
        .filter(|ct| {
            c.stacks.is_empty()
                || match ct.stack_key.as_deref().and_then(|k| inv.stack(k)) {
                    Some(s) => c.stacks.matches(&s.name),
                    // Standalone containers pass a stack filter only when nothing is included
                    // explicitly (an exclude list should not hide them).
                    None => c.stacks.include.is_empty(),
                }
        })
        .cloned()
        .collect();
    let stacks = inv
        .stacks
        .iter()
        .filter(|s| containers.iter().any(|ct| ct.stack_key.as_deref() == Some(s.key.as_str())) || (s_passes(s, cfg, inv)))
        .cloned()
        .collect();
    let endpoints = inv
        .endpoints
        .iter()
        .filter(|e| containers.iter().any(|ct| ct.endpoint_key == e.key))
        .cloned()
        .collect();
    let f = &cfg.fleets;
    let fleets: Vec<_> = inv.fleets.iter().filter(|fl| f.fleets.matches(&fl.name)).cloned().collect();
    let devices = inv.devices.iter().filter(|d| fleets.iter().any(|fl| fl.key == d.fleet_key)).cloned().collect();
    // Only tomaae sensors wait (see `Inventory::waiting`).
    let waiting = if wants(Source::PortainerTomaae) { inv.waiting.clone() } else { Vec::new() };
    Inventory { endpoints, stacks, containers, fleets, devices, waiting }
}

/// Whether [`shown_inventory`] keeps `inv` exactly as it is: no static filter configured,
/// every endpoint with a container, every device in a listed fleet. The card then shares the
/// inventory instead of copying it (at L the copy was ~17M instructions and ~30,000
/// allocations on every model rebuild).
pub fn shows_all(inv: &Inventory, cfg: &CardConfig) -> bool {
    let c = &cfg.containers;
    if !(c.integrations.is_empty() && c.endpoints.is_empty() && c.stacks.is_empty() && cfg.fleets.fleets.is_empty()) {
        return false;
    }
    let with_containers: HashSet<&str> = inv.containers.iter().map(|ct| ct.endpoint_key.as_str()).collect();
    let fleets: HashSet<&str> = inv.fleets.iter().map(|f| f.key.as_str()).collect();
    inv.endpoints.iter().all(|e| with_containers.contains(e.key.as_str()))
        && inv.devices.iter().all(|d| fleets.contains(d.fleet_key.as_str()))
}

/// Each item's position in (lowercased name, key) order, by key. Views break sort ties by
/// name; ranking once costs one lowercase copy per item instead of two per comparison (a view
/// sorted by CPU re-sorts on every CPU change).
pub(crate) fn name_ranks<'a, T>(
    items: &'a [T],
    name: impl Fn(&T) -> &str,
    key: impl Fn(&'a T) -> &'a str,
) -> HashMap<&'a str, usize> {
    let mut order: Vec<(String, &str)> = items.iter().map(|x| (name(x).to_lowercase(), key(x))).collect();
    order.sort_unstable();
    order.into_iter().enumerate().map(|(i, (_, k))| (k, i)).collect()
}

/// A stack with no containers shown is still listed when it passes every filter (a stopped
/// Portainer stack has no running containers, but can be started).
fn s_passes(s: &crate::model::Stack, cfg: &CardConfig, inv: &Inventory) -> bool {
    let c = &cfg.containers;
    (c.integrations.is_empty() || c.integrations.iter().any(|i| i == s.source.config_name()))
        && c.endpoints.matches(inv.endpoint(&s.endpoint_key).map(|e| e.name.as_str()).unwrap_or(""))
        && c.stacks.matches(&s.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CardConfig, Filter};
    use crate::model::*;

    fn inv() -> Inventory {
        let ep = |k: &str| Endpoint { key: k.into(), name: k.into(), source: Source::PortainerCore, device_id: None, configuration_url: None };
        let stack = |k: &str, ep: &str| Stack {
            key: k.into(), name: k.into(), endpoint_key: ep.into(), source: Source::PortainerCore,
            device_id: None, configuration_url: None, roles: StackRoles::default(),
        };
        let ct = |k: &str, ep: &str, st: Option<&str>, src: Source| Container {
            key: k.into(), name: k.into(), source: src, endpoint_key: ep.into(), stack_key: st.map(Into::into),
            device_id: None, configuration_url: None, roles: ContainerRoles { state: Some(format!("sensor.{k}_state")), ..Default::default() },
        };
        Inventory {
            endpoints: vec![ep("local"), ep("nas")],
            stacks: vec![stack("immich", "local"), stack("test-app", "nas")],
            containers: vec![
                ct("immich_server", "local", Some("immich"), Source::PortainerCore),
                ct("test_web", "nas", Some("test-app"), Source::PortainerCore),
                ct("pihole", "nas", None, Source::PortainerLink),
            ],
            fleets: vec![Fleet { key: "fleet_1".into(), name: "signage-prod".into(), fleet_id: Some(1), device_id: None }],
            devices: vec![],
            waiting: vec![],
        }
    }

    #[test]
    fn filters_by_integration_endpoint_and_stack() {
        let mut cfg = CardConfig::default();
        assert_eq!(shown_inventory(&inv(), &cfg).containers.len(), 3);
        cfg.containers.integrations = vec!["ha_portainer_link".into()];
        let s = shown_inventory(&inv(), &cfg);
        assert_eq!(s.containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["pihole"]);
        assert_eq!(s.endpoints.len(), 1);
        cfg.containers.integrations.clear();
        cfg.containers.stacks = Filter { include: vec![], exclude: vec!["test-*".into()] };
        let s = shown_inventory(&inv(), &cfg);
        assert_eq!(s.containers.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["immich_server", "pihole"]);
        assert_eq!(s.stacks.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), vec!["immich"]);
        assert_eq!(s.entity_ids(), vec!["sensor.immich_server_state", "sensor.pihole_state"]);
        cfg.containers.stacks = Filter::default();
        cfg.containers.endpoints = Filter { include: vec!["loc*".into()], exclude: vec![] };
        assert_eq!(shown_inventory(&inv(), &cfg).containers.len(), 1);
    }

    #[test]
    fn shows_all_exactly_when_nothing_would_be_dropped() {
        let cfg = CardConfig::default();
        assert!(shows_all(&inv(), &cfg));
        assert_eq!(shown_inventory(&inv(), &cfg), inv());

        let mut lonely = inv();
        lonely.endpoints.push(Endpoint { key: "empty".into(), name: "empty".into(), source: Source::PortainerCore, device_id: None, configuration_url: None });
        assert!(!shows_all(&lonely, &cfg), "an endpoint without containers is dropped");
        assert_ne!(shown_inventory(&lonely, &cfg), lonely);

        let mut stray = inv();
        stray.devices.push(Device {
            key: "d".into(),
            name: "d".into(),
            source: Source::BalenaCloud,
            fleet_key: "gone".into(),
            device_id: None,
            configuration_url: None,
            roles: DeviceRoles::default(),
        });
        assert!(!shows_all(&stray, &cfg), "a device outside the listed fleets is dropped");
        assert_ne!(shown_inventory(&stray, &cfg), stray);

        let mut filtered = CardConfig::default();
        filtered.containers.stacks = Filter { include: vec![], exclude: vec!["nothing-matches".into()] };
        assert!(!shows_all(&inv(), &filtered), "any filter takes the copying path");
        filtered = CardConfig::default();
        filtered.fleets.fleets = Filter { include: vec!["*".into()], exclude: vec![] };
        assert!(!shows_all(&inv(), &filtered));
    }

    #[test]
    fn filters_fleets_by_name() {
        let mut cfg = CardConfig::default();
        cfg.fleets.fleets = Filter { include: vec!["lab-*".into()], exclude: vec![] };
        assert!(shown_inventory(&inv(), &cfg).fleets.is_empty());
    }
}
