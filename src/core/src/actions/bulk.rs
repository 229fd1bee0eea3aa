//! Bulk planning (being written).
