//! Charts (being written).
use fleet_deck_core::model::ItemRef;
use leptos::prelude::*;
#[component]
pub fn Sparkline(item: ItemRef) -> impl IntoView {
    let _ = item;
}
#[component]
pub fn ChartDialog() -> impl IntoView {}
