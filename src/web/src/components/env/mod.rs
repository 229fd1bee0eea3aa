//! Env-var editor (being written).
use leptos::prelude::*;
#[component]
pub fn EnvEditor() -> impl IntoView {}
