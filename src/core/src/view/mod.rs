//! Filtering, grouping and sorting of what a view shows, given the config and current statuses.
pub mod containers;
pub mod devices;
