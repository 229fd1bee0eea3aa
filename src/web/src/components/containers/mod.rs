//! The container view: header counts, search, bulk bar, and one collapsible group per stack
//! (plus "Standalone" per endpoint).
mod group;
mod row;

use super::shared::{BulkBar, Count, SearchBox};
use crate::hooks::use_group_open::is_open;
use crate::hooks::use_reveal::use_reveal;
use crate::store::Model;
use crate::use_ctx;
use fleet_deck_core::actions::container::offered_count;
use fleet_deck_core::aggregate::containers::ContainerCounts;
use fleet_deck_core::model::ItemRef;
use fleet_deck_core::view::containers::{container_groups, needs_status};
use group::StackGroup;
use leptos::prelude::*;

/// Header counts over every container shown (tracked: re-counts when a run state, health or
/// update changes, not on metric ticks).
pub fn counts(m: &Model) -> ContainerCounts {
    m.container_blocks.iter().filter_map(|b| b.try_get()).sum::<ContainerCounts>() + ContainerCounts { stacks: m.inv.stacks.len(), ..Default::default() }
}

/// Containers are "many" from this count on: groups start collapsed and rows go compact.
pub const MANY: usize = 20;
/// Groups start expanded only while the whole view stays small.
const EXPAND_ALL_UP_TO: usize = 60;

#[component]
pub fn ContainerView() -> impl IntoView {
    let s = use_ctx().store;
    let counts = Memo::new(move |_| s.model.with(|m| counts(m)));
    let groups = Memo::new(move |_| {
        let m = s.model.get();
        let cfg = s.config.get();
        let search = s.container_search.get();
        // Grouping reads statuses only when the config or search needs them, so ordinary
        // metric updates do not regroup 1,000 containers.
        if needs_status(&cfg.containers, &search) {
            let lookup = |key: &str| m.container_status(key);
            container_groups(&m.inv, Some(&lookup), &cfg.containers, &search)
        } else {
            container_groups(&m.inv, None, &cfg.containers, &search)
        }
    });
    let shown_keys = Memo::new(move |_| {
        groups.with(|gs| gs.iter().flat_map(|g| g.container_keys.iter().map(|k| ItemRef::Container(k.clone()))).collect::<Vec<_>>())
    });
    let many = Memo::new(move |_| s.model.with(|m| m.inv.containers.len() > EXPAND_ALL_UP_TO));
    // The room a wide card's rows reserve for actions (style.css): the most any row offers.
    let slots = Memo::new(move |_| s.model.with(|m| m.inv.containers.iter().map(offered_count).max().unwrap_or(0)));
    let reveal = use_reveal(s, move || {
        let many = many.get();
        groups.with(|gs| {
            gs.iter()
                .map(|g| if is_open(s, &g.key, many, s.container_search) { g.container_keys.len().min(s.page_limit(&g.key)) } else { 0 })
                .collect()
        })
    });
    let group_keys = move || reveal.group_keys(groups, |g| &g.key);
    let row_cap = move |key: String| reveal.row_cap(groups, |g| &g.key, key);
    let empty = move || s.ready.get() && s.model.with(|m| m.inv.containers.is_empty());
    let no_match = move || !empty() && groups.with(|g| g.is_empty());
    let c = move |f: fn(&ContainerCounts) -> usize| move || f(&counts.get()).to_string();
    view! {
        <div class="fd-view" data-view="containers" role="tabpanel">
            <div class="fd-counts">
                <Count id="containers" label="header.containers" value=Signal::derive(c(|c| c.containers))/>
                <Count id="running" label="header.running" value=Signal::derive(c(|c| c.running))/>
                <Count id="stacks" label="header.stacks" value=Signal::derive(c(|c| c.stacks))/>
                <Count id="updates" label="header.updates" value=Signal::derive(c(|c| c.updates)) warn=true/>
                <Count id="unhealthy" label="header.unhealthy" value=Signal::derive(c(|c| c.unhealthy)) alert=true/>
            </div>
            <SearchBox value=s.container_search label="search.containers"/>
            <BulkBar shown=shown_keys/>
            <Show when=empty>
                <p class="fd-empty">{move || s.t("empty.containers")}</p>
            </Show>
            <Show when=no_match>
                <p class="fd-empty">{move || s.tr("empty.search", &[("q", &s.container_search.get())])}</p>
            </Show>
            <div class="fd-groups" aria-busy=move || reveal.active().to_string() style=move || format!("--fd-action-slots:{}", slots.get())>
                <For each=group_keys key=|k: &String| k.clone() let(key)>
                    <StackGroup group_key=key.clone() groups=groups many=many row_cap=row_cap(key)/>
                </For>
            </div>
        </div>
    }
}
