//! Portainer discovery: three integrations that all describe Docker containers, each in its own
//! shape (see `portainer-integrations.md`).
//!
//! - [`core`]: HA core `portainer`, a device tree (endpoint → stack → container) whose entities
//!   are identified by `translation_key`.
//! - [`link`]: `ha_portainer_link` 0.6 and its benji2k2 fork; containers of a compose project
//!   share one stack device and are told apart by their entity names.
//! - [`tomaae`]: tomaae's HACS `portainer`, one read-only sensor per container whose attributes
//!   carry everything else.
//!
//! Keys are prefixed per integration (`core:`, `link:`, `tomaae:`) so the same container seen
//! by two integrations, or by one integration on two endpoints, never shares a key.
pub mod core;
pub mod link;
pub mod tomaae;

use crate::ha::{EntityEntry, Registry, States};
use crate::model::Inventory;
use std::collections::HashSet;

/// Discover every Portainer endpoint, stack and container, sorted by name.
pub fn discover(registry: &Registry, states: &dyn States) -> Inventory {
    let mut inv = core::discover(registry, states);
    inv.extend(link::discover(registry, states));
    inv.extend(tomaae::discover(registry, states));
    ensure_unique_keys(&mut inv);
    inv.sort();
    inv
}

/// The entity's domain (`sensor` of `sensor.x`). The domain is part of the entity id's
/// contract, unlike the object id, which users and collisions (`_2`) change.
pub(crate) fn domain(entity_id: &str) -> &str {
    entity_id.split_once('.').map_or("", |(d, _)| d)
}

/// The part of the entity id after the domain.
pub(crate) fn object_id(entity_id: &str) -> &str {
    entity_id.split_once('.').map_or(entity_id, |(_, o)| o)
}

pub(crate) fn platform_is(e: &EntityEntry, platform: &str) -> bool {
    e.platform.as_deref() == Some(platform)
}

/// The name HA shows for an entity: the state's `friendly_name`, else the registry name.
pub(crate) fn friendly_name(e: &EntityEntry, states: &dyn States) -> Option<String> {
    states
        .get(&e.entity_id)
        .and_then(|s| s.attr_str("friendly_name"))
        .or_else(|| e.name.clone())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Lowercase with every run of non-alphanumerics turned into one `_`, like HA's `slugify`
/// closely enough to compare names with entity ids.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_sep = false;
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            if pending_sep && !out.is_empty() {
                out.push('_');
            }
            pending_sep = false;
            out.push(ch);
        } else {
            pending_sep = true;
        }
    }
    out
}

/// Discovery must never hand the card two items with one key (selection, row identity and
/// results are keyed by it). The integrations' own rules already prevent clashes; this is the
/// backstop for registries no rule foresaw. Endpoints and stacks are referenced by key, so a
/// second one with the same key can only be the same thing again and is dropped; a container
/// is renamed instead so it stays visible.
fn ensure_unique_keys(inv: &mut Inventory) {
    let mut seen = HashSet::new();
    inv.endpoints.retain(|e| seen.insert(e.key.clone()));
    let mut seen = HashSet::new();
    inv.stacks.retain(|s| seen.insert(s.key.clone()));
    let mut seen: HashSet<String> = inv.containers.iter().map(|c| c.key.clone()).collect();
    if seen.len() == inv.containers.len() {
        return;
    }
    let mut first = HashSet::new();
    for c in &mut inv.containers {
        if !first.insert(c.key.clone()) {
            let mut n = 2;
            while seen.contains(&format!("{}#{n}", c.key)) {
                n += 1;
            }
            c.key = format!("{}#{n}", c.key);
            seen.insert(c.key.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_matches_ha_style() {
        assert_eq!(slug("immich-immich-server-1"), "immich_immich_server_1");
        assert_eq!(slug("Stack: immich (192.168.1.10)"), "stack_immich_192_168_1_10");
        assert_eq!(slug("  CPU Usage "), "cpu_usage");
    }

    #[test]
    fn domain_and_object_id() {
        assert_eq!(domain("sensor.a_b"), "sensor");
        assert_eq!(object_id("sensor.a_b"), "a_b");
        assert_eq!(domain("garbage"), "");
        assert_eq!(object_id("garbage"), "garbage");
    }
}
