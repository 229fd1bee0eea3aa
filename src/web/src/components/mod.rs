//! Leptos components. They read the store's signals and forward events to the runtime; the
//! decisions (what is shown, what an action sends) are the core's.
//!
//! - [`app`]: the card frame: header, tabs, the active view, dialogs.
//! - [`containers`], [`fleets`]: one folder per view (view, group, row).
//! - [`shared`]: building blocks both views use: bulk bar, confirmation, results, metric bars.
//! - [`chart`]: sparklines and the detail chart (math in `fleet_deck_core::chart`).
//! - [`env`]: the balena environment-variable editor.
pub mod app;
pub mod chart;
pub mod containers;
pub mod env;
pub mod fleets;
pub mod shared;

pub use app::App;
