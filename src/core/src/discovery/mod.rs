//! Discovery: registries + states → [`Inventory`]. One module per integration; this module
//! only dispatches and merges. It runs when `hass.entities`/`hass.devices` change identity,
//! never on ordinary state updates.
pub mod balena;
pub mod portainer;

use crate::ha::{EntityState, Registry, States};
use crate::model::Inventory;

pub fn discover(registry: &Registry, states: &dyn States) -> Inventory {
    let mut inv = portainer::discover(registry, states);
    inv.extend(balena::discover(registry, states));
    inv.sort();
    inv
}

/// Whether `state` lets discovery place `id`, one of the inventory's waiting entities, now:
/// then discovering again finds a new item.
pub fn placeable(inv: &Inventory, id: &str, state: Option<&EntityState>) -> bool {
    inv.waiting.iter().any(|w| w == id) && state.is_some_and(portainer::tomaae::placeable)
}
