//! HA core `portainer` (2025.10 → 2026.11).
//!
//! Core gives every container, stack and endpoint its own device, links them with
//! `via_device_id` and names entities through `translation_key`. Entity ids are
//! slug(device name + translated name) and collide (`_2`) as soon as a stack and a container,
//! or two endpoints' containers, share a name, so nothing here reads entity-id text: roles come
//! from (domain, translation_key) on a device whose `model` says what it is.
//!
//! Older installs simply lack entities (no state sensor before 2026.2, no stacks before 2026.3,
//! no update entity before 2026.8, …); every role is optional and the tree works with whatever
//! exists. Before 2026.3 containers hang directly from the endpoint, which is exactly the
//! standalone case.
use super::{domain, platform_is};
use crate::ha::state::FxHashMap;
use crate::ha::{DeviceEntry, EntityEntry, Registry, States};
use crate::model::{Container, ContainerRoles, Endpoint, Inventory, Source, Stack, StackRoles};
use std::collections::BTreeMap;

const PLATFORM: &str = "portainer";
const KEY_PREFIX: &str = "core:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Endpoint,
    Stack,
    Container,
    /// Server and Volume devices: nothing the card shows.
    Ignored,
    /// No model and nothing but ambiguous entities (`status`); placed by its position.
    Unknown,
}

/// Translation keys only a container device carries, for devices without a `model`.
const CONTAINER_ONLY: &[&str] = &[
    "container",
    "container_state",
    "image",
    "image_version",
    "container_health_state",
    "container_started_at",
    "container_restart_count",
    "cpu_usage_total",
    "memory_usage",
    "memory_usage_percentage",
    "memory_limit",
    "container_out_of_memory",
    "restart_container",
    "pause_container",
    "resume_container",
    "recreate_container",
    "kill_container",
    "container_image_update",
    "docker_event",
];
const STACK_ONLY: &[&str] = &["stack", "stack_type", "stack_containers_count", "update_stack"];
const ENDPOINT_ONLY: &[&str] = &[
    "containers_count",
    "containers_running",
    "containers_stopped",
    "containers_paused",
    "images_count",
    "images_prune",
];

fn kind_of(device: &DeviceEntry, entities: &[&EntityEntry]) -> Kind {
    match device.model.as_deref() {
        Some("Container") => return Kind::Container,
        Some("Stack") => return Kind::Stack,
        Some("Endpoint") => return Kind::Endpoint,
        Some("Server") | Some("Volume") => return Kind::Ignored,
        _ => {}
    }
    let has = |set: &[&str]| entities.iter().any(|e| e.translation_key.as_deref().is_some_and(|k| set.contains(&k)));
    if has(CONTAINER_ONLY) {
        Kind::Container
    } else if has(STACK_ONLY) {
        Kind::Stack
    } else if has(ENDPOINT_ONLY) {
        Kind::Endpoint
    } else {
        Kind::Unknown
    }
}

fn assign_container_role(roles: &mut ContainerRoles, entity: &EntityEntry) {
    let Some(key) = entity.translation_key.as_deref() else { return };
    let slot = match (domain(&entity.entity_id), key) {
        // `container_up_down` only appeared in a pre-release fixture; accepting it costs nothing.
        ("switch", "container" | "container_up_down") => &mut roles.switch,
        ("sensor", "container_state") => &mut roles.state,
        ("binary_sensor", "status") => &mut roles.running,
        ("sensor", "image") => &mut roles.image,
        ("sensor", "image_version") => &mut roles.image_version,
        ("sensor", "container_health_state") => &mut roles.health,
        ("sensor", "container_started_at") => &mut roles.started_at,
        ("sensor", "container_restart_count") => &mut roles.restart_count,
        ("sensor", "cpu_usage_total") => &mut roles.cpu,
        ("sensor", "memory_usage") => &mut roles.memory,
        ("sensor", "memory_usage_percentage") => &mut roles.memory_pct,
        ("sensor", "memory_limit") => &mut roles.memory_limit,
        ("binary_sensor", "container_out_of_memory") => &mut roles.oom,
        ("button", "restart_container") => &mut roles.restart,
        ("button", "pause_container") => &mut roles.pause,
        ("button", "resume_container") => &mut roles.resume,
        ("button", "recreate_container") => &mut roles.recreate,
        ("button", "kill_container") => &mut roles.kill,
        ("update", "container_image_update") => &mut roles.update,
        _ => return,
    };
    slot.get_or_insert_with(|| entity.entity_id.clone());
}

fn assign_stack_role(roles: &mut StackRoles, entity: &EntityEntry) {
    let Some(key) = entity.translation_key.as_deref() else { return };
    let slot = match (domain(&entity.entity_id), key) {
        ("switch", "stack") => &mut roles.switch,
        ("binary_sensor", "status") => &mut roles.status,
        ("sensor", "stack_type") => &mut roles.stack_type,
        ("sensor", "stack_containers_count") => &mut roles.containers_count,
        ("button", "update_stack") => &mut roles.update_button,
        _ => return,
    };
    slot.get_or_insert_with(|| entity.entity_id.clone());
}

fn key(device_id: &str) -> String {
    format!("{KEY_PREFIX}{device_id}")
}

/// The Portainer base address (`https://portainer.lan:9443`) from a device's
/// `configuration_url` (`{url}#!/{ep}/docker/…`).
fn base_url(device: &DeviceEntry) -> Option<&str> {
    let url = device.configuration_url.as_deref()?;
    let base = url.split("#!").next().unwrap_or(url).trim_end_matches('/');
    (!base.is_empty()).then_some(base)
}

struct Builder<'a> {
    registry: &'a Registry,
    by_device: &'a FxHashMap<&'a str, Vec<&'a EntityEntry>>,
    kinds: FxHashMap<&'a str, Kind>,
    endpoints: BTreeMap<String, Endpoint>,
    stacks: BTreeMap<String, Stack>,
}

impl<'a> Builder<'a> {
    fn kind(&mut self, device_id: &'a str) -> Option<Kind> {
        if let Some(k) = self.kinds.get(device_id) {
            return Some(*k);
        }
        let device = self.registry.devices.get(device_id)?;
        let entities = self.by_device.get(device_id).map(Vec::as_slice).unwrap_or(&[]);
        let kind = kind_of(device, entities);
        self.kinds.insert(device_id, kind);
        Some(kind)
    }

    fn endpoint_from_device(&mut self, device: &DeviceEntry) -> String {
        let key = key(&device.id);
        self.endpoints.entry(key.clone()).or_insert_with(|| Endpoint {
            key: key.clone(),
            name: device.display_name().unwrap_or(&device.id).to_string(),
            source: Source::PortainerCore,
            device_id: Some(device.id.clone()),
            configuration_url: device.configuration_url.clone(),
        });
        key
    }

    /// A stand-in endpoint for items whose parent device is missing (a dangling
    /// `via_device_id`, or a registry caught mid-migration): better shown under "Portainer"
    /// than not at all. One per config entry so two Portainer servers stay apart.
    fn orphan_endpoint(&mut self, child: &DeviceEntry) -> String {
        let entry = child.config_entries.first().map(String::as_str).unwrap_or("");
        let key = format!("{KEY_PREFIX}orphan:{entry}");
        let endpoint = self.endpoints.entry(key.clone()).or_insert_with(|| Endpoint {
            key: key.clone(),
            name: "Portainer".to_string(),
            source: Source::PortainerCore,
            device_id: None,
            configuration_url: None,
        });
        // Any sibling that knows the server address names the stand-in better.
        if endpoint.configuration_url.is_none() {
            if let Some(base) = base_url(child) {
                endpoint.name = base.split_once("://").map_or(base, |(_, rest)| rest).to_string();
                endpoint.configuration_url = Some(base.to_string());
            }
        }
        key
    }

    /// The endpoint a stack or container device hangs from (its `via_device_id`).
    fn endpoint_of(&mut self, child: &'a DeviceEntry) -> String {
        let parent = child.via_device_id.as_deref().and_then(|id| self.registry.devices.get_key_value(id));
        if let Some((id, parent)) = parent {
            if matches!(self.kind(id), Some(Kind::Endpoint | Kind::Unknown)) {
                return self.endpoint_from_device(parent);
            }
        }
        self.orphan_endpoint(child)
    }

    fn stack_from_device(&mut self, device: &'a DeviceEntry) -> String {
        let key = key(&device.id);
        if !self.stacks.contains_key(&key) {
            let endpoint_key = self.endpoint_of(device);
            let mut roles = StackRoles::default();
            for e in self.by_device.get(device.id.as_str()).into_iter().flatten() {
                assign_stack_role(&mut roles, e);
            }
            self.stacks.insert(
                key.clone(),
                Stack {
                    key: key.clone(),
                    name: device.display_name().unwrap_or(&device.id).to_string(),
                    endpoint_key,
                    source: Source::PortainerCore,
                    device_id: Some(device.id.clone()),
                    configuration_url: device.configuration_url.clone(),
                    roles,
                },
            );
        }
        key
    }

    fn container(&mut self, device: &'a DeviceEntry, entities: &[&EntityEntry]) -> Container {
        let parent = device.via_device_id.as_deref().and_then(|id| self.registry.devices.get_key_value(id));
        let (endpoint_key, stack_key) = match parent {
            Some((id, parent)) => match self.kind(id) {
                Some(Kind::Stack) => {
                    let stack_key = self.stack_from_device(parent);
                    let endpoint_key = self.stacks.get(&stack_key).map(|s| s.endpoint_key.clone()).unwrap_or_default();
                    (endpoint_key, Some(stack_key))
                }
                Some(Kind::Endpoint | Kind::Unknown) => (self.endpoint_from_device(parent), None),
                _ => (self.orphan_endpoint(device), None),
            },
            None => (self.orphan_endpoint(device), None),
        };
        let mut roles = ContainerRoles::default();
        for e in entities {
            assign_container_role(&mut roles, e);
        }
        Container {
            key: key(&device.id),
            name: device.display_name().unwrap_or(&device.id).to_string(),
            source: Source::PortainerCore,
            endpoint_key,
            stack_key,
            device_id: Some(device.id.clone()),
            configuration_url: device.configuration_url.clone(),
            roles,
        }
    }
}

/// Endpoints, stacks and containers of every core Portainer config entry. States are not
/// needed: core entities carry no attributes, and the registries say everything.
pub fn discover(registry: &Registry, _states: &dyn States) -> Inventory {
    // Grouped by hash and walked in device-id order: a B-tree keyed by 32-character device ids
    // spent a third of discovery comparing them.
    let mut by_device: FxHashMap<&str, Vec<&EntityEntry>> = FxHashMap::default();
    for e in &registry.entities {
        // tomaae and cbrosius share the platform; only core sets translation keys.
        if !platform_is(e, PLATFORM) || e.translation_key.is_none() {
            continue;
        }
        if let Some(device_id) = e.device_id.as_deref() {
            by_device.entry(device_id).or_default().push(e);
        }
    }
    for entities in by_device.values_mut() {
        entities.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
    }

    let mut order: Vec<(&str, &Vec<&EntityEntry>)> = by_device.iter().map(|(k, v)| (*k, v)).collect();
    order.sort_unstable_by_key(|(k, _)| *k);

    let mut b = Builder {
        registry,
        by_device: &by_device,
        kinds: FxHashMap::default(),
        endpoints: BTreeMap::new(),
        stacks: BTreeMap::new(),
    };
    let mut containers = Vec::new();
    for (device_id, entities) in order {
        // Entities of a device the registry does not know cannot be placed anywhere.
        let Some(device) = registry.devices.get(device_id) else { continue };
        match b.kind(device_id) {
            Some(Kind::Container) => containers.push(b.container(device, entities)),
            Some(Kind::Stack) => {
                b.stack_from_device(device);
            }
            Some(Kind::Endpoint) => {
                b.endpoint_from_device(device);
            }
            // Only ambiguous `status` entities and no model (2025.10 without models): a
            // device hanging from another is a container, a top-level one an endpoint.
            Some(Kind::Unknown) => {
                let under_portainer_device = device
                    .via_device_id
                    .as_deref()
                    .is_some_and(|via| by_device.contains_key(via) || registry.devices.contains_key(via));
                if under_portainer_device {
                    containers.push(b.container(device, entities));
                } else {
                    b.endpoint_from_device(device);
                }
            }
            Some(Kind::Ignored) | None => {}
        }
    }

    Inventory {
        endpoints: b.endpoints.into_values().collect(),
        stacks: b.stacks.into_values().collect(),
        containers,
        ..Default::default()
    }
}
