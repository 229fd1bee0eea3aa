//! Device action options (being written).
