//! History hook (being written).
