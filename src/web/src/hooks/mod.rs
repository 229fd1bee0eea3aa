pub mod use_group_open;
pub mod use_history;
pub mod use_reveal;
