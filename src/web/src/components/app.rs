use super::containers::ContainerView;
use super::fleets::FleetView;
use super::shared::{ConfirmDialog, Results};
use crate::store::{Connection, Tab};
use crate::use_ctx;
use fleet_deck_core::config::{Compact, ViewMode};
use leptos::prelude::*;

/// The card: an error card for a bad config, otherwise header, tabs and the active view.
#[component]
pub fn App() -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    move || match s.config_error.get() {
        Some(msg) => view! {
            <ha-card class="fleet-deck fd-error" data-ready="true">
                <div class="fd-error-box" role="alert">
                    <strong>{move || s.t("error.title")}</strong>
                    <p data-config-error>{msg}</p>
                </div>
            </ha-card>
        }
        .into_any(),
        None => view! { <Card/> }.into_any(),
    }
}

#[component]
fn Card() -> impl IntoView {
    let s = use_ctx().store;
    let title = move || s.config.with(|c| c.title.clone()).unwrap_or_else(|| s.t("card.title"));
    let connection = move || match s.connection.get() {
        Connection::Live => "live",
        Connection::Reconnecting => "reconnecting",
    };
    // Compact rows: always, never, or (auto) from 20 containers/devices in the active view.
    let compact = move || match s.config.with(|c| c.compact) {
        Compact::Always => true,
        Compact::Never => false,
        Compact::Auto => s.model.with(|m| match s.tab.get() {
            Tab::Containers => m.inv.containers.len(),
            Tab::Fleets => m.inv.devices.len(),
        }) >= super::containers::MANY,
    };
    let show_tabs = move || {
        s.config.with(|c| c.view == ViewMode::Auto)
            && s.model.with(|m| !m.inv.containers.is_empty() && !m.inv.devices.is_empty())
    };
    view! {
        <ha-card
            class="fleet-deck"
            class:dark=move || s.dark.get()
            class:fd-compact=compact
            data-ready=move || s.ready.get().to_string()
            data-connection=connection
        >
            <header class="fd-header">
                <h2 class="fd-title">{title}</h2>
                <Show when=move || s.connection.get() == Connection::Reconnecting>
                    <span class="fd-conn" role="status">{move || s.t("conn.reconnecting")}</span>
                </Show>
            </header>
            <Show when=show_tabs>
                <Tabs/>
            </Show>
            {move || match s.tab.get() {
                Tab::Containers => view! { <ContainerView/> }.into_any(),
                Tab::Fleets => view! { <FleetView/> }.into_any(),
            }}
            <Results/>
            <ConfirmDialog/>
            <super::env::EnvEditor/>
            <super::chart::ChartDialog/>
        </ha-card>
    }
}

#[component]
fn Tabs() -> impl IntoView {
    let s = use_ctx().store;
    let tab_count = move |t: Tab| -> String {
        let m = s.model.get();
        match t {
            Tab::Containers => {
                let counts = super::containers::counts(&m);
                format!("{}/{}", counts.running, counts.containers)
            }
            Tab::Fleets => {
                let online: usize = m.online_blocks.iter().filter_map(|b| b.try_get()).sum();
                format!("{}/{}", online, m.inv.devices.len())
            }
        }
    };
    let tab = move |t: Tab, view_id: &'static str, key: &'static str| {
        view! {
            <button
                role="tab"
                class="fd-tab"
                data-view=view_id
                aria-selected=move || (s.tab.get() == t).to_string()
                tabindex=move || if s.tab.get() == t { "0" } else { "-1" }
                on:click=move |_| s.tab.set(t)
            >
                {move || s.t(key)}
                " "
                <span class="fd-tab-count">{move || tab_count(t)}</span>
            </button>
        }
    };
    // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowLeft" | "Home" | "End" => match s.tab.get_untracked() {
                Tab::Containers => Tab::Fleets,
                Tab::Fleets => Tab::Containers,
            },
            _ => return,
        };
        ev.prevent_default();
        s.tab.set(next);
    };
    view! {
        <div class="fd-tabs" role="tablist" aria-label=move || s.t("tabs.label") on:keydown=on_key>
            {tab(Tab::Containers, "containers", "tab.containers")}
            {tab(Tab::Fleets, "fleets", "tab.fleets")}
        </div>
    }
}
