//! Header counts and fleet summaries.
pub mod containers;
pub mod fleets;
