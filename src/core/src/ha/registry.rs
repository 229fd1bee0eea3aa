//! `hass.entities` / `hass.devices` entries (the frontend's registry display records).
use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;
use super::state::FxHashMap;

/// One `hass.entities[entity_id]` record: the fields discovery reads (the record has more:
/// icon, entity category, hidden, labels…; 32,000 of them are read at L, so unread fields are
/// not carried).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct EntityEntry {
    pub entity_id: String,
    /// Borrowed for the bulk read's known platforms: one allocation fewer per entity.
    pub platform: Option<Cow<'static, str>>,
    pub device_id: Option<String>,
    pub translation_key: Option<String>,
    /// User-set or original name (`en`); rarely present.
    pub name: Option<String>,
    pub has_entity_name: Option<bool>,
}

/// One `hass.devices[device_id]` record.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct DeviceEntry {
    pub id: String,
    pub name: Option<String>,
    pub name_by_user: Option<String>,
    pub model: Option<String>,
    pub manufacturer: Option<String>,
    pub via_device_id: Option<String>,
    /// `[[domain, id], …]`; kept as raw JSON because malformed entries must not fail the parse.
    pub identifiers: Vec<Value>,
    pub configuration_url: Option<String>,
    pub sw_version: Option<String>,
    pub config_entries: Vec<String>,
    pub entry_type: Option<String>,
}

impl DeviceEntry {
    /// The name a person sees: the user's rename wins over the integration's name.
    pub fn display_name(&self) -> Option<&str> {
        self.name_by_user
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self.name.as_deref().filter(|s| !s.is_empty()))
    }

    /// The identifier value registered under `domain`, e.g. `fleet_2101234` for `balena_cloud`.
    pub fn identifier(&self, domain: &str) -> Option<&str> {
        self.identifiers.iter().find_map(|pair| {
            let arr = pair.as_array()?;
            if arr.first()?.as_str()? == domain {
                arr.get(1)?.as_str()
            } else {
                None
            }
        })
    }
}

/// The registries discovery works on, already filtered to the platforms the card knows.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub entities: Vec<EntityEntry>,
    /// Looked up by id for every entity during discovery: hashed with [`FxHasher`](super::state::FxHasher).
    pub devices: FxHashMap<String, DeviceEntry>,
}

/// Platforms whose entities the card consumes; the web layer filters `hass.entities` by these
/// before converting anything, so the other 15,000 entities of a big house cost nothing.
pub const KNOWN_PLATFORMS: &[&str] = &["portainer", "ha_portainer_link", "balena_cloud"];

impl Registry {
    pub fn device(&self, id: Option<&str>) -> Option<&DeviceEntry> {
        id.and_then(|id| self.devices.get(id))
    }
}
