//! The fleet view: header totals, search, the shared bulk bar, and one collapsible group per
//! fleet (or per status) with its summary and a page of device rows.
mod group;
mod row;

use super::shared::{BulkBar, Count, SearchBox};
use crate::hooks::use_group_open::is_open;
use crate::hooks::use_reveal::use_reveal;
use crate::store::Model;
use crate::use_ctx;
use fleet_deck_core::aggregate::fleets::{summarize, FleetSummary};
use fleet_deck_core::config::{DeviceSort, FleetGroupBy};
use fleet_deck_core::model::ItemRef;
use fleet_deck_core::status::DeviceStatus;
use fleet_deck_core::view::devices::device_groups;
use group::FleetGroup;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// Groups start expanded only while the whole view stays small.
const EXPAND_ALL_UP_TO: usize = 60;

/// Which public-URL switches were refreshed (`homeassistant.update_entity`): their state is
/// shown only after that, because the switch only learns the cloud's truth on a refresh.
#[derive(Clone, Copy)]
pub struct UrlRefresh {
    pub asked: StoredValue<HashSet<String>>,
    pub known: RwSignal<HashSet<String>>,
}

/// The summary of some devices (tracked: follows their statuses).
pub fn summary_of(s: crate::store::Store, m: &Model, keys: &[String]) -> FleetSummary {
    let items: Vec<_> = keys.iter().filter_map(|k| Some((m.device(k)?, m.device_status(k)?))).collect();
    s.config.with(|c| summarize("", items.iter().map(|(d, st)| (*d, st)), &c.fleets.thresholds))
}

#[component]
pub fn FleetView() -> impl IntoView {
    let s = use_ctx().store;
    provide_context(UrlRefresh { asked: StoredValue::new(HashSet::new()), known: RwSignal::new(HashSet::new()) });
    let all_keys = Memo::new(move |_| s.model.with(|m| m.inv.devices.iter().map(|d| d.key.clone()).collect::<Vec<_>>()));
    let total = Memo::new(move |_| {
        let m = s.model.get();
        all_keys.with(|k| summary_of(s, &m, k))
    });
    let fleets = Memo::new(move |_| {
        let show_empty = s.config.with(|c| c.fleets.show_empty);
        s.model.with(|m| m.inv.fleets.iter().filter(|f| show_empty || m.inv.devices.iter().any(|d| d.fleet_key == f.key)).count())
    });
    // Grouping needs statuses only for status grouping, hiding offline devices, search and
    // non-name sorts. Metric sorts need the full status; the others only the few fields below,
    // so a CPU tick does not regroup 1,000 devices.
    let lite = Memo::new(move |_| {
        let m = s.model.get();
        let o = s.config.with(|c| (c.fleets.group_by, c.fleets.hide_offline, c.fleets.sort_by));
        let needs = o.0 == FleetGroupBy::Status || o.1 || o.2 == DeviceSort::Status || !s.device_search.with(String::is_empty);
        if !needs {
            return Vec::new();
        }
        m.inv
            .devices
            .iter()
            .filter_map(|d| {
                let st = m.device_status.get(&d.key)?;
                Some((d.key.clone(), st.with(|st| DeviceStatus { online: st.online, updating: st.updating, ip: st.ip.clone(), os_version: st.os_version.clone(), ..Default::default() })))
            })
            .collect::<Vec<_>>()
    });
    let groups = Memo::new(move |_| {
        let m = s.model.get();
        let cfg = s.config.get();
        let search = s.device_search.get();
        let statuses: HashMap<String, DeviceStatus> = if matches!(cfg.fleets.sort_by, DeviceSort::Name | DeviceSort::Status) {
            lite.get().into_iter().collect()
        } else {
            m.inv.devices.iter().filter_map(|d| Some((d.key.clone(), m.device_status(&d.key)?))).collect()
        };
        device_groups(&m.inv, &statuses, &cfg.fleets, &search)
    });
    let shown_keys = Memo::new(move |_| {
        groups.with(|gs| gs.iter().flat_map(|g| g.device_keys.iter().map(|k| ItemRef::Device(k.clone()))).collect::<Vec<_>>())
    });
    let many = Memo::new(move |_| all_keys.with(Vec::len) > EXPAND_ALL_UP_TO);
    let reveal = use_reveal(s, move || {
        let many = many.get();
        groups.with(|gs| {
            gs.iter().map(|g| if is_open(s, &g.key, many, s.device_search) { g.device_keys.len().min(s.page_limit(&g.key)) } else { 0 }).collect()
        })
    });
    let group_keys = move || reveal.group_keys(groups, |g| &g.key);
    let row_cap = move |key: String| reveal.row_cap(groups, |g| &g.key, key);
    let empty = move || s.ready.get() && all_keys.with(Vec::is_empty);
    let no_match = move || !empty() && groups.with(Vec::is_empty);
    let c = move |f: fn(&FleetSummary) -> usize| Signal::derive(move || total.with(f).to_string());
    view! {
        <div class="fd-view" data-view="fleets" role="tabpanel">
            <div class="fd-counts">
                <Count id="devices" label="header.devices" value=c(|t| t.total)/>
                <Count id="online" label="header.online" value=c(|t| t.online)/>
                <Count id="offline" label="header.offline" value=c(|t| t.offline) alert=true/>
                <Count id="fleets" label="header.fleets" value=Signal::derive(move || fleets.get().to_string())/>
            </div>
            <SearchBox value=s.device_search label="search.devices"/>
            <BulkBar shown=shown_keys kind="devices"/>
            <p class="fd-empty" hidden=Signal::derive(move || !empty())>{Signal::derive(move || s.t("empty.fleets"))}</p>
            <p class="fd-empty" hidden=Signal::derive(move || !no_match())>{Signal::derive(move || s.tr("empty.search", &[("q", &s.device_search.get())]))}</p>
            <div class="fd-groups" aria-busy=move || reveal.active().to_string()>
                <For each=group_keys key=|k: &String| k.clone() let(key)>
                    <FleetGroup group_key=key.clone() groups=groups many=many row_cap=row_cap(key)/>
                </For>
            </div>
        </div>
    }
}
