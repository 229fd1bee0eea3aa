//! Building blocks both views use. One selection, one bulk bar, one confirmation dialog and
//! one result list serve containers, stacks and devices alike.
mod bulk;
mod results;

pub use bulk::{BulkBar, ConfirmDialog, GroupSelect, RowSelect};
pub use results::Results;

use crate::store::{Model, Store};
use crate::use_ctx;
use fleet_deck_core::actions::container::{container_options, stack_options};
use fleet_deck_core::actions::device::device_options;
use fleet_deck_core::actions::{Action, ActionOption};
use fleet_deck_core::model::ItemRef;
use leptos::prelude::*;

/// The display name of an item.
pub fn item_name(m: &Model, item: &ItemRef) -> String {
    match item {
        ItemRef::Container(k) => m.container(k).map(|c| c.name.clone()),
        ItemRef::Stack(k) => m.inv.stack(k).map(|s| s.name.clone()),
        ItemRef::Device(k) => m.device(k).map(|d| d.name.clone()),
    }
    .unwrap_or_else(|| "?".into())
}

/// The actions an item offers now (the core decides; this only gathers the inputs).
pub fn item_options(m: &Model, item: &ItemRef, is_admin: bool) -> Vec<ActionOption> {
    match item {
        ItemRef::Container(k) => match (m.container(k), m.container_status(k)) {
            (Some(c), Some(st)) if !c.source.read_only() => m.with_states(c.roles.entity_ids(), |states| container_options(c, &st, states, is_admin)),
            _ => vec![],
        },
        ItemRef::Stack(k) => m.inv.stack(k).map(|st| m.with_states(st.roles.entity_ids(), |states| stack_options(st, states, is_admin))).unwrap_or_default(),
        ItemRef::Device(k) => match (m.device(k), m.device_status(k)) {
            (Some(d), Some(st)) => m.with_states(d.roles.entity_ids(), |states| device_options(d, &st, states)),
            _ => vec![],
        },
    }
}

/// A short glyph per action for compact rows (the accessible name stays the full text). All
/// are in DejaVu Sans: the media-control and emoji ones (⏸ ⏼ ⏻ 🌐) drew empty boxes on Linux
/// kiosk browsers without a symbol font. Shutdown is the IEC "off" circle.
pub fn glyph(a: Action) -> &'static str {
    match a {
        Action::Start | Action::StackStart | Action::Resume => "▶",
        Action::Stop | Action::StackStop => "■",
        Action::Restart | Action::RestartApp => "↻",
        Action::Pause => "❚❚",
        Action::Kill => "✕",
        Action::Recreate => "⟲",
        Action::Update | Action::StackUpdate => "⬆",
        Action::Reboot => "⥁",
        Action::Shutdown => "○",
        // Both directions are offered at once (the switch's state cannot be trusted after an
        // HA restart), so they need glyphs a person can tell apart.
        Action::PublicUrlOn => "⊕",
        Action::PublicUrlOff => "⊖",
        Action::EnvUpdate => "⚙",
    }
}

/// "Restart immich_server": the accessible name of an action button.
pub fn action_label(s: &Store, a: Action, target: &str) -> String {
    s.tr("aria.action_target", &[("action", &s.t(a.label_key())), ("target", target)])
}

/// One button per offered action. Disabled ones stay visible with the reason as their
/// description, so a person sees why (and screen readers announce it); on narrow cards only
/// those whose reason is news (unavailable, offline, updating) do.
#[component]
pub fn ActionButtons(item: ItemRef, name: String, options: Vec<ActionOption>, compact: bool) -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    let pending_item = item.clone();
    let busy = move || s.pending.with(|p| p.contains_key(&pending_item));
    let buttons = options
        .into_iter()
        .map(|opt| {
            let label = action_label(&s, opt.action, &name);
            let reason = opt.disabled.as_ref().map(|d| s.tr(d.reason_key, &[("arg", d.arg.as_deref().unwrap_or(""))]));
            let enabled = opt.enabled();
            // Narrow cards hide these (style.css), so a phone row's actions fit one line.
            let inapplicable = opt.disabled.as_ref().is_some_and(|d| d.inapplicable()).then_some("");
            let (item, name, opt2) = (item.clone(), name.clone(), opt.clone());
            let busy = busy.clone();
            let click = move |_| {
                if let Some(rt) = ctx.rt() {
                    rt.request(opt2.action, vec![(item.clone(), name.clone(), opt2.clone())], vec![]);
                }
            };
            // Both a glyph and a word: CSS shows the glyph in narrow cards (one line of 40 px
            // targets) and the word elsewhere; the accessible name is the aria-label either way.
            let text = if compact {
                view! { <span class="fd-glyph" aria-hidden="true">{glyph(opt.action)}</span> }.into_any()
            } else {
                view! {
                    <span class="fd-glyph fd-narrow" aria-hidden="true">{glyph(opt.action)}</span>
                    <span class="fd-label">{s.t(opt.action.label_key())}</span>
                }
                .into_any()
            };
            view! {
                <button
                    class="fd-action"
                    data-action=opt.action.id()
                    data-inapplicable=inapplicable
                    aria-label=label
                    title=reason.clone().unwrap_or_default()
                    disabled=move || !enabled || busy()
                    on:click=click
                >
                    {text}
                </button>
            }
        })
        .collect_view();
    view! { <div class="fd-actions">{buttons}</div> }
}

/// A header count: a number and its label, with `data-count` for tests and automation.
#[component]
pub fn Count(
    id: &'static str,
    label: &'static str,
    value: Signal<String>,
    #[prop(optional)] warn: bool,
    #[prop(optional)] alert: bool,
) -> impl IntoView {
    let s = use_ctx().store;
    let nonzero = move || value.with(|v| v != "0");
    view! {
        <div class="fd-count" class:fd-warn=move || warn && nonzero() class:fd-alert=move || alert && nonzero()>
            <span class="fd-count-value" data-count=id>{value}</span>
            <span class="fd-count-label">{move || s.t(label)}</span>
        </div>
    }
}

/// The search box of a view.
#[component]
pub fn SearchBox(value: RwSignal<String>, label: &'static str) -> impl IntoView {
    let s = use_ctx().store;
    view! {
        <input
            class="fd-search"
            type="search"
            aria-label=move || s.t(label)
            placeholder=move || s.t(label)
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
}

/// A horizontal bar with its value, for CPU/memory/storage.
#[component]
pub fn MetricBar(metric: &'static str, label: &'static str, pct: Signal<Option<f64>>, text: Signal<Option<String>>, hot: Signal<bool>) -> impl IntoView {
    let s = use_ctx().store;
    view! {
        <div class="fd-bar" data-metric=metric class:fd-hot=move || hot.get()>
            <span class="fd-bar-label">{move || s.t(label)}</span>
            <span class="fd-bar-track" role="meter" aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=move || pct.get().map(|p| format!("{p:.0}")).unwrap_or_default()
                aria-label=move || s.t(label)>
                <span class="fd-bar-fill" style:width=move || format!("{:.1}%", pct.get().unwrap_or(0.0).clamp(0.0, 100.0))></span>
            </span>
            <span class="fd-bar-value">{move || text.get().unwrap_or_else(|| "–".into())}</span>
        </div>
    }
}
