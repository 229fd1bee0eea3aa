//! The `hass` bridge: every piece of JS interop lives under this module. The rest of the web
//! layer sees Rust types (core's registry entries, states, service calls) and a few small
//! handles (subscriptions, listeners, timers) that clean up after themselves on drop.
pub mod convert;
pub mod dom;
pub mod hass;
pub mod intl;

pub use hass::{Hass, Listener, Subscription};
