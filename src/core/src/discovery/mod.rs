//! Discovery: registries + states → [`Inventory`]. One module per integration; this module
//! only dispatches and merges. It runs when `hass.entities`/`hass.devices` change identity,
//! never on ordinary state updates.
pub mod balena;
pub mod portainer;

use crate::ha::{Registry, States};
use crate::model::Inventory;

pub fn discover(registry: &Registry, states: &dyn States) -> Inventory {
    let mut inv = portainer::discover(registry, states);
    inv.extend(balena::discover(registry, states));
    inv.sort();
    inv
}
