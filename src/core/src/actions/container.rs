//! Container and stack action options (being written).
