use super::UrlRefresh;
use crate::components::shared::{action_label, glyph, item_options, ActionButtons, MetricBar, RowSelect};
use crate::use_ctx;
use fleet_deck_core::actions::Action;
use fleet_deck_core::aggregate::fleets::breaches;
use fleet_deck_core::model::{ItemRef, Source};
use fleet_deck_core::status::device::DeviceState;
use fleet_deck_core::status::DeviceStatus;
use leptos::prelude::*;

/// One balena device: name (opens more-info), online state in colour and text, last seen,
/// CPU/memory/storage bars, temperature, OS/supervisor/IP, the dashboard link, its actions and
/// the env-var editor. Offline devices say since when instead of showing empty metrics.
///
/// Reactive values are `Signal<String>`/`Signal<bool>`: one shared rendering path per value
/// type instead of one per closure keeps the wasm small.
#[component]
pub fn DeviceRow(device_key: String) -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    let urls = expect_context::<UrlRefresh>();
    let key = StoredValue::new(device_key.clone());
    let device = Memo::new(move |_| key.with_value(|k| s.model.with(|m| m.device(k).cloned())));
    let status = Memo::new(move |_| key.with_value(|k| s.model.with(|m| m.device_status(k))).unwrap_or_default());
    let state = Memo::new(move |_| status.with(DeviceStatus::state));
    let offline = move || state.get() == DeviceState::Offline;
    let name = Signal::derive(move || device.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default()));
    let state_id = Signal::derive(move || state.get().id().to_string());
    let item = ItemRef::Device(device_key.clone());
    let item_sv = StoredValue::new(item.clone());
    let over = Memo::new(move |_| s.config.with(|c| status.with(|st| breaches(st, &c.fleets.thresholds))));
    let options = Memo::new(move |_| {
        let m = s.model.get();
        item_sv.with_value(|it| item_options(&m, it, s.is_admin.get()))
    });
    let pending = Signal::derive(move || item_sv.with_value(|it| s.pending.with(|p| p.contains_key(it))));
    let open_more_info = move |_| {
        if let (Some(r), Some(d)) = (ctx.rt(), device.get_untracked()) {
            if let Some(id) = d.roles.main_entity() {
                r.more_info(id);
            }
        }
    };
    let nf = move || s.locale.with(|l| l.numbers);
    let text = Signal::derive(move || {
        let st = status.get();
        let rel = |t: f64| s.locale.with(|l| l.time.relative(s.now.get(), t));
        let seen = match (st.state(), st.last_seen) {
            (DeviceState::Offline, Some(t)) => s.tr("device.offline_since", &[("time", &rel(t))]),
            (_, Some(t)) => s.tr("device.last_seen", &[("time", &rel(t))]),
            (_, None) => s.t("device.never_seen"),
        };
        let sv = st.supervisor_version.map(|v| s.tr("aria.action_target", &[("action", &s.t("label.supervisor")), ("target", &v)]));
        let versions = [st.os_version, sv, st.ip].into_iter().flatten().collect::<Vec<_>>().join(" · ");
        (seen, versions)
    });
    let bar = move |f: fn(&DeviceStatus) -> Option<f64>| Signal::derive(move || status.with(f));
    let bar_text = move |f: fn(&DeviceStatus) -> Option<f64>| Signal::derive(move || status.with(f).map(|v| nf().percent(v)));
    let hot = move |f: fn(&fleet_deck_core::aggregate::fleets::Breaches) -> bool| Signal::derive(move || over.with(f));
    let url_state = Signal::derive(move || {
        let known = key.with_value(|k| urls.known.with(|u| u.contains(k)));
        match (known, status.with(|st| st.public_url)) {
            (true, Some(on)) => Some(if on { "on" } else { "off" }.to_string()),
            _ => None,
        }
    });
    let dashboard = device.with_untracked(|d| d.as_ref().and_then(|d| d.configuration_url.clone()));
    let can_env = Signal::derive(move || {
        device.with(|d| d.as_ref().is_some_and(|d| d.source == Source::BalenaCloud))
            && s.balena_services.with(|n| n.iter().any(|x| x == "update_environment"))
    });
    let open_env = move |_| s.env_device.set(Some(key.get_value()));
    let label = move |k: &'static str| Signal::derive(move || s.t(k));

    view! {
        <div
            class="fd-row fd-device"
            role="listitem"
            data-device=name
            data-key=device_key.clone()
            data-state=state_id
            data-source=device.with_untracked(|d| d.as_ref().map(|d| d.source.config_name()).unwrap_or(""))
            class:fd-over=hot(|b| b.any())
            class:fd-pending=pending
            aria-busy=Signal::derive(move || pending.get().to_string())
        >
            <RowSelect item=item.clone() name=name/>
            <span class="fd-dot" data-state=state_id aria-hidden="true"></span>
            <div class="fd-main">
                <button class="fd-name" on:click=open_more_info aria-label=Signal::derive(move || s.tr("aria.more_info", &[("target", &name.get())]))>
                    {name}
                </button>
                <div class="fd-sub">
                    <span class="fd-state" data-state=state_id>{Signal::derive(move || s.t(state.get().label_key()))}</span>
                    <span class="fd-seen" data-last-seen=Signal::derive(move || (!offline()).then(String::new)) hidden=Signal::derive(offline)>{Signal::derive(move || text.with(|t| t.0.clone()))}</span>
                    <span class="fd-url" data-public-url=url_state hidden=Signal::derive(move || url_state.with(Option::is_none))>
                        {Signal::derive(move || s.t(if url_state.with(|u| u.as_deref() == Some("on")) { "device.public_url.on" } else { "device.public_url.off" }))}
                    </span>
                    {dashboard.map(|href| view! {
                        <a class="fd-link fd-dash" data-dashboard href=href target="_blank" rel="noopener"
                            aria-label=Signal::derive(move || s.tr("aria.action_target", &[("action", &s.t("label.dashboard")), ("target", &name.get())]))>
                            {label("label.dashboard")}
                        </a>
                    })}
                </div>
                <div class="fd-image" data-versions>{Signal::derive(move || text.with(|t| t.1.clone()))}</div>
            </div>
            {move || if offline() {
                view! {
                    <div class="fd-metrics fd-offline">
                        <span class="fd-seen" data-last-seen>{Signal::derive(move || text.with(|t| t.0.clone()))}</span>
                        <span class="fd-bulk-why" data-reason>{label("reason.device_offline")}</span>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="fd-metrics fd-bars">
                        <MetricBar metric="cpu" label="label.cpu" pct=bar(|st| st.cpu_pct) text=bar_text(|st| st.cpu_pct) hot=hot(|b| b.cpu)/>
                        <MetricBar metric="memory" label="label.memory" pct=bar(|st| st.mem_pct) text=bar_text(|st| st.mem_pct) hot=hot(|b| b.memory)/>
                        <MetricBar metric="storage" label="label.storage" pct=bar(|st| st.storage_pct) text=bar_text(|st| st.storage_pct) hot=hot(|b| b.storage)/>
                        <div class="fd-bar" data-metric="temperature" class:fd-hot=hot(|b| b.temperature)>
                            <span class="fd-bar-label">{label("label.temperature")}</span>
                            <span></span>
                            <span class="fd-bar-value">{Signal::derive(move || status.with(|st| st.temperature_c).map(|v| nf().celsius(v)).unwrap_or_else(|| "–".into()))}</span>
                        </div>
                        <crate::components::chart::Sparkline item=item_sv.get_value()/>
                    </div>
                }.into_any()
            }}
            <div class="fd-actions">
                {move || view! { <ActionButtons item=item_sv.get_value() name=name.get() options=options.get() compact=false/> }}
                <button class="fd-action" data-action="env" hidden=Signal::derive(move || !can_env.get())
                    aria-label=Signal::derive(move || action_label(&s, Action::EnvUpdate, &name.get())) on:click=open_env>
                    <span class="fd-glyph fd-narrow" aria-hidden="true">{glyph(Action::EnvUpdate)}</span>
                    <span class="fd-label">{label("action.env")}</span>
                </button>
            </div>
        </div>
    }
}
