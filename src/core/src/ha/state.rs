//! Entity states as the card keeps them.
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock};

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
    attribute_index(key).is_some()
}

fn attribute_index(key: &str) -> Option<u8> {
    // Asked for every attribute read: a binary search was ~6 string comparisons each time,
    // 9 % of discovery's instructions at L.
    static INDEX: OnceLock<FxHashMap<&'static str, u8>> = OnceLock::new();
    INDEX.get_or_init(|| USED_ATTRIBUTES.iter().enumerate().map(|(i, k)| (*k, i as u8)).collect()).get(key).copied()
}

/// An entity's attributes, as the card keeps them: only [`USED_ATTRIBUTES`], each named by its
/// index there, sorted. An attribute map (a B-tree node of ~300 bytes plus a string per name)
/// for each of 32,000 entities was the largest part of the card's memory; this is a small
/// vector. Inserting an attribute the card does not read is a no-op.
///
/// Values are shared: the bulk read gives every equal value of a chunk one allocation (see
/// `wire`). balena repeats its device's name, uuid, fleet, addresses and versions on each of
/// the device's 13 entities, and units, device classes and icons repeat across thousands; at
/// 1,000 containers and 1,000 devices the bulk read had 168,000 attribute values: 31,900 names
/// and 136,000 others, of which 6,800 were distinct.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attributes(Vec<(u8, Arc<Value>)>);

impl Attributes {
    pub fn new() -> Self {
        Attributes(Vec::new())
    }
    fn position(&self, key: &str) -> Result<usize, usize> {
        match attribute_index(key) {
            Some(i) => self.0.binary_search_by_key(&i, |(k, _)| *k),
            None => Err(usize::MAX),
        }
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key).ok().map(|p| &*self.0[p].1)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }
    /// Sets `key` (if the card reads it) and returns the previous value.
    pub fn insert(&mut self, key: impl AsRef<str>, value: Value) -> Option<Value> {
        let key = key.as_ref();
        match self.position(key) {
            Ok(p) => Some(Arc::unwrap_or_clone(std::mem::replace(&mut self.0[p].1, Arc::new(value)))),
            Err(usize::MAX) => None,
            Err(p) => {
                self.0.insert(p, (attribute_index(key).unwrap_or_default(), Arc::new(value)));
                None
            }
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).ok().map(|p| Arc::unwrap_or_clone(self.0.remove(p).1))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.0.iter().map(|(k, v)| (USED_ATTRIBUTES[*k as usize], &**v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.iter().map(|(k, _)| k)
    }
    /// The shared value itself, for tests that check sharing.
    #[cfg(test)]
    pub(crate) fn shared(&self, key: &str) -> Option<&Arc<Value>> {
        self.position(key).ok().map(|p| &self.0[p].1)
    }
    /// Releases spare capacity (states are kept for a long time).
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

impl Attributes {
    /// From (index into [`USED_ATTRIBUTES`], value) pairs, as the web bridge's bulk read sends
    /// them. Unknown indexes are dropped; a repeated index keeps its first value.
    pub fn from_indexed(mut pairs: Vec<(u8, Arc<Value>)>) -> Self {
        pairs.retain(|(k, _)| usize::from(*k) < USED_ATTRIBUTES.len());
        pairs.sort_by_key(|(k, _)| *k);
        pairs.dedup_by_key(|(k, _)| *k);
        pairs.shrink_to_fit();
        Attributes(pairs)
    }
}

impl From<Map<String, Value>> for Attributes {
    fn from(map: Map<String, Value>) -> Self {
        let mut out: Vec<(u8, Arc<Value>)> =
            map.into_iter().filter_map(|(k, v)| attribute_index(&k).map(|i| (i, Arc::new(v)))).collect();
        out.sort_by_key(|(k, _)| *k);
        out.shrink_to_fit();
        Attributes(out)
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One entity's state. Timestamps are epoch seconds (HA's compressed states use them; ISO
/// strings from `hass.states` are converted at the boundary with [`crate::time::parse_iso`]).
#[derive(Debug, Clone, Default)]
pub struct EntityState {
    pub state: String,
    pub attributes: Attributes,
    pub last_changed: f64,
    pub last_updated: f64,
}

/// Equal timestamps are the same microsecond: HA's timestamps have microsecond resolution, and
/// one instant read from an ISO string (`hass.states`) and from epoch seconds (the websocket)
/// can differ in the last bits of the float. Without this, the subscription's first event
/// looked like a change of every state the card already had.
impl PartialEq for EntityState {
    fn eq(&self, other: &Self) -> bool {
        let same = |a: f64, b: f64| (a - b).abs() < 5e-7;
        self.state == other.state
            && same(self.last_changed, other.last_changed)
            && same(self.last_updated, other.last_updated)
            && self.attributes == other.attributes
    }
}

impl EntityState {
    pub fn new(state: &str) -> Self {
        EntityState { state: state.to_string(), ..Default::default() }
    }
    pub fn with_attr(mut self, key: &str, value: Value) -> Self {
        self.attributes.insert(key, value);
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

/// Entity states by id. Hashed with [`FxHasher`]: SipHash's HashDoS resistance buys nothing
/// for entity ids from the user's own Home Assistant, and at 32,000 entities its cost showed in
/// the first-render profile (wasm has no SIMD to make it cheap).
pub type StateMap = FxHashMap<String, EntityState>;

/// A map hashed with [`FxHasher`], for the card's own keys (entity and device ids).
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The Firefox/rustc hash: one rotate, xor and multiply per 8 bytes.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

impl States for StateMap {
    fn get(&self, entity_id: &str) -> Option<&EntityState> {
        HashMap::get(self, entity_id)
    }
}

/// Helper for role lookups: the state of an optional entity id.
pub fn lookup<'a>(states: &'a dyn States, id: &Option<String>) -> Option<&'a EntityState> {
    id.as_deref().and_then(|id| states.get(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_instant_from_iso_and_from_epoch_seconds_is_the_same_state() {
        let iso = crate::time::parse_iso("2025-11-22T06:54:58.478021+00:00").unwrap();
        let epoch = 1_763_794_498_478_021.0 / 1e6;
        let a = EntityState { last_changed: iso, last_updated: iso, ..EntityState::new("on") };
        let b = EntityState { last_changed: epoch, last_updated: epoch, ..EntityState::new("on") };
        assert_eq!(a, b);
        let later = EntityState { last_updated: epoch + 1e-6, ..b.clone() };
        assert_ne!(a, later, "one microsecond later is a different update");
    }

    #[test]
    fn used_attributes_are_sorted_and_indexed_by_position() {
        // Sorted: attributes serialize in name order because they are kept in index order.
        assert!(USED_ATTRIBUTES.windows(2).all(|w| w[0] < w[1]), "USED_ATTRIBUTES must be sorted (byte order), without duplicates");
        assert!(USED_ATTRIBUTES.len() < 256, "attribute indexes are u8");
        for (i, name) in USED_ATTRIBUTES.iter().enumerate() {
            assert_eq!(attribute_index(name), Some(i as u8), "{name}");
        }
        assert_eq!(attribute_index("entity_picture"), None);
        assert_eq!(attribute_index(""), None);
    }

    #[test]
    fn attributes_keep_only_what_the_card_reads_in_a_canonical_order() {
        let mut a = Attributes::new();
        assert_eq!(a.insert("unit_of_measurement", json!("%")), None);
        assert_eq!(a.insert("entity_picture", json!("/x.png")), None, "unread: dropped");
        assert_eq!(a.insert("friendly_name", json!("Web")), None);
        assert_eq!(a.insert("friendly_name", json!("Web 2")), Some(json!("Web")));
        assert_eq!(a.len(), 2);
        assert_eq!(a.keys().collect::<Vec<_>>(), vec!["friendly_name", "unit_of_measurement"]);
        assert!(!a.contains_key("entity_picture"));
        // Insertion order does not matter for equality.
        let b: Attributes = json!({"unit_of_measurement": "%", "friendly_name": "Web 2", "restarts": 3}).as_object().unwrap().clone().into();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_value(&a).unwrap(), json!({"friendly_name": "Web 2", "unit_of_measurement": "%"}));
        assert_eq!(a.remove("friendly_name"), Some(json!("Web 2")));
        assert_eq!(a.remove("friendly_name"), None);
        assert_eq!(a.get("unit_of_measurement"), Some(&json!("%")));
    }

    #[test]
    fn attributes_from_indexed_pairs_equal_the_named_ones() {
        let idx = |k: &str| USED_ATTRIBUTES.iter().position(|x| *x == k).unwrap() as u8;
        let pairs = vec![(idx("unit_of_measurement"), json!("%")), (255, json!("x")), (idx("friendly_name"), json!("Web"))];
        let pairs = pairs.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        let named: Attributes = json!({"friendly_name": "Web", "unit_of_measurement": "%"}).as_object().unwrap().clone().into();
        assert_eq!(Attributes::from_indexed(pairs), named, "sorted, unknown index dropped");
    }
}
