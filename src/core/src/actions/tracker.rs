//! Outcome tracking (being written).
