//! What a row shows, derived from its entities' states. Pure functions of (item, states):
//! the web layer calls them inside per-row memos, so a state change recomputes only its rows.
pub mod container;
pub mod device;

pub use container::{container_brief, container_status, ContainerStatus, Health, RunState, UpdateInfo};
pub use device::{device_online, device_status, DeviceStatus};
