//! tomaae's HACS `portainer` (and cbrosius' fork where it keeps the same shape).
//!
//! One sensor per container, state = Docker state, everything else in attributes: the endpoint
//! in `Environment`, the compose project in `Compose stack`. There is no device per container
//! (all containers of an endpoint share one device named `{instance} {endpoint}`), no switch
//! and no button, so these containers are read-only. It shares the `portainer` platform with HA
//! core; core always sets `translation_key`, tomaae never does.
//!
//! Discovery reads attributes, so it depends on states being loaded; an unavailable sensor
//! has lost its attributes and is skipped, which also hides the stale duplicates this
//! integration leaves behind when a container is recreated (upstream #7).
use super::{friendly_name, object_id, platform_is, slug};
use crate::ha::{DeviceEntry, EntityEntry, EntityState, Registry, States};
use crate::model::{Container, ContainerRoles, Endpoint, Inventory, Source, Stack, StackRoles};
use std::collections::BTreeMap;

const PLATFORM: &str = "portainer";
const KEY_PREFIX: &str = "tomaae:";
pub const ATTR_ENVIRONMENT: &str = "Environment";
pub const ATTR_STACK: &str = "Compose stack";

/// The container name: the friendly name is `{instance} {endpoint} {container}` and the shared
/// device is named `{instance} {endpoint}`, so the device name is the prefix to drop. Upstream
/// #23 makes `Environment` unreliable, hence it is only the second choice.
fn container_name(e: &EntityEntry, device: Option<&DeviceEntry>, env: &str, states: &dyn States) -> String {
    let device_name = device.and_then(|d| d.name.as_deref().or(d.name_by_user.as_deref())).unwrap_or("");
    if let Some(f) = friendly_name(e, states) {
        let from_device =
            (!device_name.is_empty()).then(|| f.strip_prefix(device_name).and_then(|r| r.strip_prefix(' '))).flatten();
        let from_env = || f.split_once(&format!(" {env} ")).map(|(_, rest)| rest);
        if let Some(name) = from_device.or_else(from_env).map(str::trim).filter(|n| !n.is_empty()) {
            return name.to_string();
        }
        return f;
    }
    let oid = object_id(&e.entity_id);
    let dev_slug = slug(device_name);
    let env_marker = format!("_{}_", slug(env));
    (!dev_slug.is_empty())
        .then(|| oid.strip_prefix(dev_slug.as_str()).and_then(|r| r.strip_prefix('_')))
        .flatten()
        .or_else(|| oid.split_once(env_marker.as_str()).map(|(_, rest)| rest))
        .filter(|n| !n.is_empty())
        .unwrap_or(oid)
        .to_string()
}

/// Endpoints, stacks and containers of every tomaae config entry.
pub fn discover(registry: &Registry, states: &dyn States) -> Inventory {
    let mut endpoints: BTreeMap<String, Endpoint> = BTreeMap::new();
    let mut stacks: BTreeMap<String, Stack> = BTreeMap::new();
    let mut containers: BTreeMap<String, Container> = BTreeMap::new();

    let mut entities: Vec<&EntityEntry> = registry
        .entities
        .iter()
        .filter(|e| platform_is(e, PLATFORM) && e.translation_key.is_none() && e.entity_id.starts_with("sensor."))
        .collect();
    entities.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));

    // Container sensors: only they carry `Environment` (endpoint and update-check sensors don't).
    // One without a value (unavailable, or no state yet) has lost its attributes and may be a
    // container: it waits.
    let mut waiting = Vec::new();
    let sensors: Vec<(&EntityEntry, &EntityState, String)> = entities
        .into_iter()
        .filter_map(|e| {
            let Some(state) = states.get(&e.entity_id).filter(|s| s.has_value()) else {
                waiting.push(e.entity_id.clone());
                return None;
            };
            let env = state.attr_str(ATTR_ENVIRONMENT)?.trim().to_string();
            (!env.is_empty()).then_some((e, state, env))
        })
        .collect();
    // Upstream #23: `Environment` can name another endpoint (the integration mutates a shared
    // description), so every container may claim the last endpoint. The shared device,
    // `{instance} {endpoint}`, is the container's own endpoint: a device's endpoint is the
    // `Environment` its name ends with, or, when none of its sensors has that, the device's
    // name. Same-named containers on two endpoints then stay two rows, not one hiding the other.
    // A handful of devices (one per endpoint): a list is enough, and smaller in the wasm.
    let mut device_endpoint: Vec<(&str, String)> = Vec::new();
    for (e, _, env) in &sensors {
        let Some(d) = registry.device(e.device_id.as_deref()) else { continue };
        // A nameless device says nothing about its endpoint; `Environment` is all there is.
        let Some(dn) = d.name.as_deref().filter(|n| !n.is_empty()) else { continue };
        let names_it = dn == env || dn.ends_with(&format!(" {env}"));
        match device_endpoint.iter_mut().find(|(id, _)| *id == d.id) {
            Some((_, slot)) if names_it => slot.clone_from(env),
            Some(_) => {}
            None => device_endpoint.push((d.id.as_str(), if names_it { env.clone() } else { dn.to_string() })),
        }
    }

    for (e, state, env) in sensors {
        let device = registry.device(e.device_id.as_deref());
        let entry = device.and_then(|d| d.config_entries.first()).map(String::as_str).unwrap_or("");
        let endpoint = device
            .and_then(|d| device_endpoint.iter().find(|(id, _)| *id == d.id))
            .map_or_else(|| env.clone(), |(_, name)| name.clone());
        let endpoint_key = format!("{KEY_PREFIX}{entry}:{endpoint}");
        endpoints.entry(endpoint_key.clone()).or_insert_with(|| Endpoint {
            key: endpoint_key.clone(),
            name: endpoint.clone(),
            source: Source::PortainerTomaae,
            device_id: device.map(|d| d.id.clone()),
            configuration_url: device.and_then(|d| d.configuration_url.clone()),
        });

        let stack_key =
            state.attr_str(ATTR_STACK).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).map(|stack| {
                let key = format!("{endpoint_key}:stack:{stack}");
                stacks.entry(key.clone()).or_insert_with(|| Stack {
                    key: key.clone(),
                    name: stack,
                    endpoint_key: endpoint_key.clone(),
                    source: Source::PortainerTomaae,
                    device_id: None,
                    configuration_url: None,
                    roles: StackRoles::default(),
                });
                key
            });

        let name = container_name(e, device, &env, states);
        let key = format!("{endpoint_key}:{name}");
        let container = Container {
            key: key.clone(),
            name,
            source: Source::PortainerTomaae,
            endpoint_key,
            stack_key,
            device_id: None,
            configuration_url: None,
            roles: ContainerRoles { state: Some(e.entity_id.clone()), ..Default::default() },
        };
        // Two live sensors for one container (a recreate before upstream's fix): keep the one
        // with a value so the row shows the live container.
        match containers.get(&key) {
            Some(existing)
                if states.get(existing.roles.state.as_deref().unwrap_or("")).is_some_and(|s| s.has_value()) => {}
            _ => {
                containers.insert(key, container);
            }
        }
    }

    Inventory {
        endpoints: endpoints.into_values().collect(),
        stacks: stacks.into_values().collect(),
        containers: containers.into_values().collect(),
        waiting,
        ..Default::default()
    }
}

/// Whether a state gives discovery what it needs to place a container sensor.
pub fn placeable(state: &EntityState) -> bool {
    state.has_value() && state.attr_str(ATTR_ENVIRONMENT).is_some_and(|e| !e.trim().is_empty())
}
