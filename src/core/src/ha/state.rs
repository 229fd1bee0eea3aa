//! Entity states as the card keeps them.
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Every attribute the card reads. States keep only these: at 1,000 containers and 1,000
/// devices the full attribute maps were most of the card's memory and of its first-render time,
/// and an attribute nobody reads is worth nothing. Every read goes through [`EntityState::attr`],
/// which checks (in debug builds, so in every test) that its key is listed here.
pub const USED_ATTRIBUTES: &[&str] = &[
    "Compose stack",
    "Environment",
    "Health status",
    "Image",
    "Update available",
    "balena_status",
    "device_class",
    "device_name",
    "device_uuid",
    "fleet_id",
    "fleet_name",
    "friendly_name",
    "icon",
    "in_progress",
    "installed_version",
    "ip_address",
    "is_online",
    "last_seen",
    "latest_version",
    "memory_total",
    "memory_usage",
    "online",
    "os_version",
    "public_url",
    "state_class",
    "status",
    "storage_total",
    "storage_usage",
    "supervisor_version",
    "unit_of_measurement",
    "update_percentage",
    "uuid",
];

/// Whether the card reads attribute `key` (see [`USED_ATTRIBUTES`]).
pub fn is_used_attribute(key: &str) -> bool {
    USED_ATTRIBUTES.contains(&key)
}

/// One entity's state. Timestamps are epoch seconds (HA's compressed states use them; ISO
/// strings from `hass.states` are converted at the boundary with [`crate::time::parse_iso`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntityState {
    pub state: String,
    pub attributes: Map<String, Value>,
    pub last_changed: f64,
    pub last_updated: f64,
}

impl EntityState {
    pub fn new(state: &str) -> Self {
        EntityState { state: state.to_string(), ..Default::default() }
    }
    pub fn with_attr(mut self, key: &str, value: Value) -> Self {
        self.attributes.insert(key.to_string(), value);
        self
    }
    pub fn is_unavailable(&self) -> bool {
        self.state == "unavailable"
    }
    /// `unavailable`, `unknown` and empty all mean "no value" for a sensor.
    pub fn has_value(&self) -> bool {
        !matches!(self.state.as_str(), "unavailable" | "unknown" | "" | "None")
    }
    /// The state as a number, if it is one.
    pub fn number(&self) -> Option<f64> {
        if !self.has_value() {
            return None;
        }
        self.state.trim().parse::<f64>().ok().filter(|v| v.is_finite())
    }
    pub fn attr(&self, key: &str) -> Option<&Value> {
        debug_assert!(is_used_attribute(key), "attribute {key:?} is read but not listed in USED_ATTRIBUTES");
        self.attributes.get(key)
    }
    /// Drops the attributes the card never reads.
    pub fn retain_used_attributes(&mut self) {
        self.attributes.retain(|k, _| is_used_attribute(k));
    }
    /// A string attribute; numbers are rendered, null/absent/empty give `None`.
    pub fn attr_str(&self, key: &str) -> Option<String> {
        match self.attr(key)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    /// A numeric attribute; numeric strings are accepted because integrations differ.
    pub fn attr_f64(&self, key: &str) -> Option<f64> {
        match self.attr(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .filter(|v: &f64| v.is_finite())
    }
    pub fn attr_bool(&self, key: &str) -> Option<bool> {
        match self.attr(key)? {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// Read access to entity states. Discovery and status derivation take this so the web layer can
/// back it with its own store and tests with a plain map.
pub trait States {
    fn get(&self, entity_id: &str) -> Option<&EntityState>;
}

pub type StateMap = HashMap<String, EntityState>;

impl States for StateMap {
    fn get(&self, entity_id: &str) -> Option<&EntityState> {
        HashMap::get(self, entity_id)
    }
}

/// Helper for role lookups: the state of an optional entity id.
pub fn lookup<'a>(states: &'a dyn States, id: &Option<String>) -> Option<&'a EntityState> {
    id.as_deref().and_then(|id| states.get(id))
}
