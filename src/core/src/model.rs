//! The discovered inventory: what the card shows, independent of which integration it came from.
//!
//! Keys are stable strings that stay distinct across integrations and endpoints (two
//! `nginx` containers on two endpoints have two keys). Roles map a purpose to an entity id, so
//! the rest of the card never looks at entity-id text.
use std::collections::HashMap;

/// Which integration (and variant) an item was discovered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// HA core `portainer` (2025.10+): device tree, translation keys.
    PortainerCore,
    /// `ha_portainer_link` 0.6 (and the benji2k2 fork).
    PortainerLink,
    /// tomaae's HACS `portainer`: one read-only sensor per container.
    PortainerTomaae,
    /// eseverson `balena_cloud`: 13 entities per device.
    BalenaCloud,
    /// dinpin's `balena_cloud` variant: status/online/reboot/restart only.
    BalenaDinpin,
}

impl Source {
    /// The config value used in `integrations:` filters.
    pub fn config_name(self) -> &'static str {
        match self {
            Source::PortainerCore => "portainer",
            Source::PortainerLink => "ha_portainer_link",
            Source::PortainerTomaae => "portainer_tomaae",
            Source::BalenaCloud | Source::BalenaDinpin => "balena_cloud",
        }
    }
    /// Whether the card can control items of this source at all.
    pub fn read_only(self) -> bool {
        matches!(self, Source::PortainerTomaae)
    }
}

/// A Docker host as Portainer sees it (an "endpoint" / "environment").
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub key: String,
    pub name: String,
    pub source: Source,
    pub device_id: Option<String>,
    pub configuration_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StackRoles {
    /// Core: `switch` with translation_key `stack` (2026.3+).
    pub switch: Option<String>,
    /// Core: `binary_sensor` `status` on the stack device.
    pub status: Option<String>,
    /// Core: `sensor` `stack_type`.
    pub stack_type: Option<String>,
    /// Core: `sensor` `stack_containers_count`.
    pub containers_count: Option<String>,
    /// Core `button` `update_stack` (2026.10+) or link `button.stack_<s>_update`.
    pub update_button: Option<String>,
    /// Link: `button.stack_<s>_start` / `_stop`.
    pub start_button: Option<String>,
    pub stop_button: Option<String>,
}

impl StackRoles {
    pub fn entity_ids(&self) -> impl Iterator<Item = &String> {
        [&self.switch, &self.status, &self.stack_type, &self.containers_count, &self.update_button, &self.start_button, &self.stop_button]
            .into_iter()
            .flatten()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub key: String,
    pub name: String,
    pub endpoint_key: String,
    pub source: Source,
    pub device_id: Option<String>,
    pub configuration_url: Option<String>,
    pub roles: StackRoles,
}

/// Entity ids by purpose for one container. Which are present depends on the integration and
/// its version; every consumer treats each as optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerRoles {
    /// Run-state sensor: core `container_state` (2026.2+), link `_status`, tomaae's container sensor.
    pub state: Option<String>,
    /// Start/stop switch: core `container`, link `_switch`.
    pub switch: Option<String>,
    /// Core `binary_sensor` `status` (device_class running).
    pub running: Option<String>,
    pub image: Option<String>,
    pub image_version: Option<String>,
    pub health: Option<String>,
    pub started_at: Option<String>,
    /// Link: free-text uptime sensor ("3d 4h").
    pub uptime: Option<String>,
    pub restart_count: Option<String>,
    pub cpu: Option<String>,
    /// Memory used (core: data_size, MB by default; link: MiB labelled MB).
    pub memory: Option<String>,
    pub memory_pct: Option<String>,
    pub memory_limit: Option<String>,
    /// `update` entity (core `container_image_update`, link `_update`).
    pub update: Option<String>,
    /// Link `binary_sensor` `_update_available`.
    pub update_available: Option<String>,
    pub current_version: Option<String>,
    pub available_version: Option<String>,
    pub oom: Option<String>,
    pub restart: Option<String>,
    pub pause: Option<String>,
    pub resume: Option<String>,
    pub kill: Option<String>,
    pub recreate: Option<String>,
    /// Link `button` `_pull_update`.
    pub pull_update: Option<String>,
}

impl ContainerRoles {
    pub fn entity_ids(&self) -> impl Iterator<Item = &String> {
        [
            &self.state, &self.switch, &self.running, &self.image, &self.image_version, &self.health,
            &self.started_at, &self.uptime, &self.restart_count, &self.cpu, &self.memory, &self.memory_pct,
            &self.memory_limit, &self.update, &self.update_available, &self.current_version,
            &self.available_version, &self.oom, &self.restart, &self.pause, &self.resume, &self.kill,
            &self.recreate, &self.pull_update,
        ]
        .into_iter()
        .flatten()
    }
    /// The entity whose more-info dialog best represents the container.
    pub fn main_entity(&self) -> Option<&String> {
        self.state.as_ref().or(self.switch.as_ref()).or(self.running.as_ref()).or(self.image.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub key: String,
    pub name: String,
    pub source: Source,
    pub endpoint_key: String,
    /// `None`: standalone on its endpoint.
    pub stack_key: Option<String>,
    pub device_id: Option<String>,
    pub configuration_url: Option<String>,
    pub roles: ContainerRoles,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fleet {
    /// `fleet_<id>` identifier value, or `name:<fleet name>` when only the name is known.
    pub key: String,
    pub name: String,
    pub fleet_id: Option<i64>,
    pub device_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceRoles {
    pub cpu: Option<String>,
    pub memory: Option<String>,
    pub storage: Option<String>,
    pub temperature: Option<String>,
    pub fleet: Option<String>,
    pub ip: Option<String>,
    pub mac: Option<String>,
    pub online: Option<String>,
    pub updating: Option<String>,
    /// dinpin: a status sensor.
    pub status: Option<String>,
    pub restart: Option<String>,
    pub reboot: Option<String>,
    pub shutdown: Option<String>,
    pub public_url: Option<String>,
}

impl DeviceRoles {
    pub fn entity_ids(&self) -> impl Iterator<Item = &String> {
        [
            &self.cpu, &self.memory, &self.storage, &self.temperature, &self.fleet, &self.ip, &self.mac,
            &self.online, &self.updating, &self.status, &self.restart, &self.reboot, &self.shutdown,
            &self.public_url,
        ]
        .into_iter()
        .flatten()
    }
    pub fn main_entity(&self) -> Option<&String> {
        self.online.as_ref().or(self.status.as_ref()).or(self.cpu.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    /// The balena device uuid.
    pub key: String,
    pub name: String,
    pub source: Source,
    pub fleet_key: String,
    pub device_id: Option<String>,
    /// The device's balena dashboard page.
    pub configuration_url: Option<String>,
    pub roles: DeviceRoles,
}

/// Everything discovery found. Vectors are sorted by name (then key) so rendering is stable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub endpoints: Vec<Endpoint>,
    pub stacks: Vec<Stack>,
    pub containers: Vec<Container>,
    pub fleets: Vec<Fleet>,
    pub devices: Vec<Device>,
    /// Entities that may turn out to be items once they have a value: tomaae's container
    /// sensors lose the attributes that place them while unavailable (Portainer unreachable
    /// when the dashboard opened). The card follows them and discovers again when one
    /// becomes placeable (see [`crate::discovery::placeable`]).
    pub waiting: Vec<String>,
}

/// A selectable, actionable thing: the key space shared by the selection, bulk and result
/// machinery of both views.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRef {
    Container(String),
    Stack(String),
    Device(String),
}

impl Inventory {
    /// Merge another integration's findings into this inventory.
    pub fn extend(&mut self, other: Inventory) {
        self.endpoints.extend(other.endpoints);
        self.stacks.extend(other.stacks);
        self.containers.extend(other.containers);
        self.fleets.extend(other.fleets);
        self.devices.extend(other.devices);
        self.waiting.extend(other.waiting);
    }

    /// Sort every list by display name, then key, so output is deterministic. The keys are
    /// built once per item: lowercasing inside the comparison allocated twice per comparison.
    pub fn sort(&mut self) {
        self.endpoints.sort_by_cached_key(|x| (x.name.to_lowercase(), x.key.clone()));
        self.stacks.sort_by_cached_key(|x| (x.name.to_lowercase(), x.key.clone()));
        self.containers.sort_by_cached_key(|x| (x.name.to_lowercase(), x.key.clone()));
        self.fleets.sort_by_cached_key(|x| (x.name.to_lowercase(), x.key.clone()));
        self.devices.sort_by_cached_key(|x| (x.name.to_lowercase(), x.key.clone()));
    }

    /// Every entity id the card shows, deduplicated and sorted: the `subscribe_entities` set.
    /// Borrowed: at L these are 31,000 ids, and the card only joins them into one string.
    pub fn entity_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .containers
            .iter()
            .flat_map(|c| c.roles.entity_ids())
            .chain(self.stacks.iter().flat_map(|s| s.roles.entity_ids()))
            .chain(self.devices.iter().flat_map(|d| d.roles.entity_ids()))
            .chain(self.waiting.iter())
            .map(String::as_str)
            .collect();
        // Stable sort on purpose: the ids come in runs (per item, per inventory order), which
        // it merges; the unstable sort was 8 ms slower at L in the page.
        ids.sort();
        ids.dedup();
        ids
    }

    /// entity id → the items that read it, so a state change re-renders only those rows.
    pub fn entity_index(&self) -> HashMap<String, Vec<ItemRef>> {
        let mut idx: HashMap<String, Vec<ItemRef>> = HashMap::new();
        for c in &self.containers {
            for id in c.roles.entity_ids() {
                idx.entry(id.clone()).or_default().push(ItemRef::Container(c.key.clone()));
            }
        }
        for s in &self.stacks {
            for id in s.roles.entity_ids() {
                idx.entry(id.clone()).or_default().push(ItemRef::Stack(s.key.clone()));
            }
        }
        for d in &self.devices {
            for id in d.roles.entity_ids() {
                idx.entry(id.clone()).or_default().push(ItemRef::Device(d.key.clone()));
            }
        }
        idx
    }

    pub fn container(&self, key: &str) -> Option<&Container> {
        self.containers.iter().find(|c| c.key == key)
    }
    pub fn stack(&self, key: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.key == key)
    }
    pub fn endpoint(&self, key: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.key == key)
    }
    pub fn device(&self, key: &str) -> Option<&Device> {
        self.devices.iter().find(|d| d.key == key)
    }
    pub fn fleet(&self, key: &str) -> Option<&Fleet> {
        self.fleets.iter().find(|f| f.key == key)
    }
}
