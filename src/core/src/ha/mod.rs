//! Home Assistant wire types. Every record is deserialized leniently (`#[serde(default)]`,
//! unknown fields ignored) because real installs run many core and integration versions.
pub mod events;
pub mod history;
pub mod registry;
pub mod state;
pub mod wire;

pub use registry::{DeviceEntry, EntityEntry, Registry};
pub use state::{Attributes, EntityState, StateMap, States};
