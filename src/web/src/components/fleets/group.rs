use super::row::DeviceRow;
use super::{summary_of, UrlRefresh};
use crate::components::shared::GroupSelect;
use crate::use_ctx;
use fleet_deck_core::actions::bulk::plan;
use fleet_deck_core::actions::device::public_url_refresh_call;
use fleet_deck_core::aggregate::fleets::FleetSummary;
use fleet_deck_core::model::ItemRef;
use fleet_deck_core::view::devices::{DeviceGroup, GroupKind};
use leptos::prelude::*;

/// One fleet (or status) group: select-whole-fleet, a heading that toggles it, the fleet
/// summary, and a page of device rows with "Show more". `row_cap` limits the rows while the
/// view's first paint is revealed.
#[component]
pub fn FleetGroup(group_key: String, groups: Memo<Vec<DeviceGroup>>, many: Memo<bool>, row_cap: Signal<usize>) -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    let urls = expect_context::<UrlRefresh>();
    let is_fleet = group_key.starts_with("fleet:");
    let gk = StoredValue::new(group_key.clone());
    let group = Memo::new(move |_| gk.with_value(|k| groups.with(|gs| gs.iter().find(|g| &g.key == k).cloned())));
    let title = move || {
        group.with(|g| match g {
            Some(DeviceGroup { kind: GroupKind::Status { state }, .. }) => s.t(state.group_title_key()),
            Some(g) if g.title.is_empty() => s.t("fleet.status.unknown"),
            Some(g) => g.title.clone(),
            None => String::new(),
        })
    };
    let keys = Memo::new(move |_| group.with(|g| g.as_ref().map(|g| g.device_keys.clone()).unwrap_or_default()));
    // A fleet's summary covers all its devices (the true totals), not just those a search shows.
    let summary_keys = Memo::new(move |_| match group.with(|g| g.as_ref().map(|g| g.kind.clone())) {
        Some(GroupKind::Fleet { fleet_key }) => {
            s.model.with(|m| m.inv.devices.iter().filter(|d| d.fleet_key == fleet_key).map(|d| d.key.clone()).collect())
        }
        _ => keys.get(),
    });
    let summary = Memo::new(move |_| {
        let m = s.model.get();
        summary_keys.with(|k| summary_of(s, &m, k))
    });

    let crate::hooks::use_group_open::UseGroupOpen { open, toggle } =
        crate::hooks::use_group_open::use_group_open(s, gk, many, s.device_search);
    let paged = move || gk.with_value(|k| s.page_limit(k));
    let visible = Memo::new(move |_| {
        let limit = paged().min(row_cap.get());
        keys.with(|ks| ks.iter().take(limit).cloned().collect::<Vec<_>>())
    });
    let hidden = move || keys.with(Vec::len).saturating_sub(paged());
    let more = move |_| s.pages.update(|p| *p.entry(gk.get_value()).or_insert(0) += 1);
    let items = Signal::derive(move || keys.with(|ks| ks.iter().map(|k| ItemRef::Device(k.clone())).collect::<Vec<_>>()));

    // Public-URL switches only know the real state after `homeassistant.update_entity`: refresh
    // the rows that become visible, once each (every refresh costs cloud requests).
    Effect::new(move |_| {
        if !open() {
            return;
        }
        let m = s.model.get_untracked();
        let fresh: Vec<String> = visible.with(|v| urls.asked.with_value(|a| v.iter().filter(|k| !a.contains(*k)).cloned().collect()));
        let calls: Vec<_> = fresh.iter().filter_map(|k| Some((ItemRef::Device(k.clone()), public_url_refresh_call(m.device(k)?)?))).collect();
        urls.asked.update_value(|a| a.extend(fresh.iter().cloned()));
        let (Some(rt), false) = (ctx.rt(), calls.is_empty()) else { return };
        let Some(h) = rt.hass() else { return };
        leptos::task::spawn_local(async move {
            for p in plan(&calls) {
                if h.call_service(&p.call, false).await.is_ok() {
                    urls.known.try_update(|k| k.extend(p.items.into_iter().map(|i| if let ItemRef::Device(k) = i { k } else { String::new() })));
                }
            }
        });
    });

    let title = Signal::derive(title);
    let open = Signal::derive(open);
    view! {
        <section class="fd-group group" data-group=group_key.clone() data-group-kind=if is_fleet { "fleet" } else { "status" }
            data-title=Signal::derive(move || group.with(|g| g.as_ref().map(|g| g.title.clone()).unwrap_or_default()))>
            <div class="fd-group-head">
                <GroupSelect items=items label=title fleet=is_fleet/>
                <h3 class="fd-group-title">
                    <button class="fd-toggle" aria-expanded=Signal::derive(move || open.get().to_string()) on:click=toggle>
                        <span class="fd-chevron" aria-hidden="true"></span>
                        <span class="fd-group-name">{title}</span>
                    </button>
                </h3>
                // Before the summary, which takes a line of its own: the chart button ends the
                // title's line instead of standing alone on one more.
                {is_fleet.then(|| group_key.strip_prefix("fleet:").map(|k| view! { <crate::components::chart::FleetChartButton fleet_key=k.to_string()/> }))}
                <Summary sum=summary/>
            </div>
            {move || open.get().then(|| view! {
                <div class="fd-rows" role="list">
                    <For each=move || visible.get() key=|k: &String| k.clone() let(key)>
                        <DeviceRow device_key=key/>
                    </For>
                    <button class="fd-more" on:click=more hidden=Signal::derive(move || hidden() == 0)>
                        {Signal::derive(move || s.tr("show_more", &[("n", &hidden().to_string())]))}
                    </button>
                </div>
            })}
        </section>
    }
}

/// Online/total, the status distribution, fleet-wide averages and maxima, and how many devices
/// breach a threshold.
#[component]
fn Summary(sum: Memo<FleetSummary>) -> impl IntoView {
    let s = use_ctx().store;
    let text = move |f: fn(&FleetSummary) -> usize| Signal::derive(move || sum.with(f).to_string());
    let dist = move |f: fn(&FleetSummary) -> usize| Signal::derive(move || sum.with(|x| format!("{:.1}%", f(x) as f64 * 100.0 / x.total.max(1) as f64)));
    let label = move |k: &'static str| Signal::derive(move || s.t(k));
    let count = move |id: &'static str, key: &'static str, f: fn(&FleetSummary) -> usize| {
        view! { <span class="fd-sum" data-summary=id data-value=text(f)>{text(f)}" "{label(key)}</span> }
    };
    let metric = move |id: &'static str, key: &'static str, f: fn(&FleetSummary) -> (Option<f64>, Option<f64>), celsius: bool| {
        let fmt = move |max: bool| {
            Signal::derive(move || {
                let v = sum.with(|x| if max { f(x).1 } else { f(x).0 });
                let nf = s.locale.with(|l| l.numbers);
                let t = v.map(|v| if celsius { nf.celsius(v) } else { nf.percent(v) }).unwrap_or_else(|| "–".into());
                s.tr(if max { "fleet.max" } else { "fleet.avg" }, &[("value", &t)])
            })
        };
        let raw = move |max: bool| Signal::derive(move || sum.with(|x| if max { f(x).1 } else { f(x).0 }).map(|v| format!("{v:.1}")).unwrap_or_default());
        view! {
            <span class="fd-sum">
                <abbr>{label(key)}</abbr>" "
                <span data-summary=format!("{id}-avg") data-value=raw(false)>{fmt(false)}</span>" "
                <span data-summary=format!("{id}-max") data-value=raw(true)>{fmt(true)}</span>
            </span>
        }
    };
    view! {
        <div class="fd-fleet-sum" data-fleet-summary>
            <span class="fd-chip" title=Signal::derive(move || sum.with(|x| s.tr("fleet.summary", &[("online", &x.online.to_string()), ("total", &x.total.to_string())])))>
                <span data-summary="online">{Signal::derive(move || sum.with(|x| format!("{}/{}", x.online, x.total)))}</span>" "{label("header.online")}
            </span>
            <span class="fd-dist" aria-hidden="true">
                <span data-state="online" style:width=dist(|x| x.online - x.updating.min(x.online))></span>
                <span data-state="updating" style:width=dist(|x| x.updating)></span>
                <span data-state="offline" style:width=dist(|x| x.offline)></span>
            </span>
            {count("offline", "fleet.status.offline", |x| x.offline)}
            {count("updating", "fleet.status.updating", |x| x.updating)}
            {metric("cpu", "label.cpu", |x| (x.cpu_avg, x.cpu_max), false)}
            {metric("mem", "label.memory", |x| (x.mem_avg, x.mem_max), false)}
            {metric("storage", "label.storage", |x| (x.storage_avg, x.storage_max), false)}
            {metric("temp", "label.temperature", |x| (x.temp_avg, x.temp_max), true)}
            <span class="fd-sum" class:fd-hot=Signal::derive(move || sum.with(|x| x.over_threshold > 0)) data-summary="over" data-value=text(|x| x.over_threshold)>
                {Signal::derive(move || s.tr("fleet.over_threshold", &[("n", &sum.with(|x| x.over_threshold).to_string())]))}
            </span>
        </div>
    }
}
