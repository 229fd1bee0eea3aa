//! The fleet view (being written).
use leptos::prelude::*;
#[component]
pub fn FleetView() -> impl IntoView {
    view! { <div class="fd-view" data-view="fleets" role="tabpanel"></div> }
}
