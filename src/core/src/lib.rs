//! Fleet Deck's domain core.
//!
//! Everything here is plain Rust with no browser types, so the logic that decides what the card
//! shows and what it sends to Home Assistant is tested natively with `cargo test` in seconds.
//! The web layer (`src/web`) only converts JS values into these types at the boundary.
//!
//! - [`ha`]: Home Assistant wire types: registry entries, entity states, websocket events,
//!   history and statistics payloads.
//! - [`discovery`]: turns registries + states into an [`model::Inventory`], one module per
//!   integration.
//! - [`status`]: derives what a row shows (run state, health, metrics) from entity states.
//! - [`aggregate`]: header counts and fleet summaries.
//! - [`actions`]: which actions apply, how they become service calls (chunked bulk), and how
//!   each item's outcome is confirmed from later states.
//! - [`config`], [`envvars`], [`chart`], [`i18n`], [`format`], [`time`].
pub mod actions;
pub mod aggregate;
pub mod chart;
pub mod config;
pub mod discovery;
pub mod envvars;
pub mod format;
pub mod ha;
pub mod i18n;
pub mod model;
pub mod status;
pub mod time;
pub mod view;
