pub mod use_history;
