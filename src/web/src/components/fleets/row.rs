use super::UrlRefresh;
use crate::components::shared::{action_label, item_options, ActionButtons, MetricBar, RowSelect};
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
#[component]
pub fn DeviceRow(device_key: String) -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    let urls = expect_context::<UrlRefresh>();
    let key = StoredValue::new(device_key.clone());
    let device = Memo::new(move |_| key.with_value(|k| s.model.with(|m| m.device(k).cloned())));
    let status = Memo::new(move |_| key.with_value(|k| s.model.with(|m| m.device_status(k))).unwrap_or_default());
    let state = move || status.with(DeviceStatus::state);
    let name = move || device.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
    let source = move || device.with(|d| d.as_ref().map(|d| d.source));
    let item = ItemRef::Device(device_key.clone());
    let item_sv = StoredValue::new(item.clone());
    let over = Memo::new(move |_| s.config.with(|c| status.with(|st| breaches(st, &c.fleets.thresholds))));
    let options = Memo::new(move |_| {
        let m = s.model.get();
        item_sv.with_value(|it| item_options(&m, it, s.is_admin.get()))
    });
    let pending = move || item_sv.with_value(|it| s.pending.with(|p| p.contains_key(it)));
    let open_more_info = move |_| {
        if let (Some(r), Some(d)) = (ctx.rt(), device.get_untracked()) {
            if let Some(id) = d.roles.main_entity() {
                r.more_info(id);
            }
        }
    };
    let nf = move || s.locale.with(|l| l.numbers);
    let rel = move |t: f64| s.locale.with(|l| l.time.relative(s.now.get(), t));
    let last_seen = move || {
        let st = status.get();
        match (st.state(), st.last_seen) {
            (DeviceState::Offline, Some(t)) => s.tr("device.offline_since", &[("time", &rel(t))]),
            (_, Some(t)) => s.tr("device.last_seen", &[("time", &rel(t))]),
            (_, None) => s.t("device.never_seen"),
        }
    };
    let bar = move |f: fn(&DeviceStatus) -> Option<f64>| Signal::derive(move || status.with(f));
    let bar_text = move |f: fn(&DeviceStatus) -> Option<f64>| Signal::derive(move || status.with(f).map(|v| nf().percent(v)));
    let versions = move || {
        let st = status.get();
        let sv = st.supervisor_version.map(|v| s.tr("aria.action_target", &[("action", &s.t("label.supervisor")), ("target", &v)]));
        [st.os_version, sv, st.ip].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    };
    let url_state = move || {
        let known = key.with_value(|k| urls.known.with(|u| u.contains(k)));
        match (known, status.with(|st| st.public_url)) {
            (true, Some(on)) => Some(if on { "on" } else { "off" }),
            _ => None,
        }
    };
    let dashboard = move || device.with(|d| d.as_ref().and_then(|d| d.configuration_url.clone()));
    let can_env = move || {
        source() == Some(Source::BalenaCloud) && s.balena_services.with(|n| n.iter().any(|x| x == "update_environment"))
    };
    let open_env = move |_| s.env_device.set(Some(key.get_value()));

    view! {
        <div
            class="fd-row fd-device"
            role="listitem"
            data-device=name
            data-key=device_key.clone()
            data-state=move || state().id()
            data-source=move || source().map(|s| s.config_name()).unwrap_or("")
            class:fd-over=move || over.get().any()
            class:fd-pending=pending
            aria-busy=move || pending().to_string()
        >
            <RowSelect item=item.clone() name=Signal::derive(name)/>
            <span class="fd-dot" data-state=move || state().id() aria-hidden="true"></span>
            <div class="fd-main">
                <button class="fd-name" on:click=open_more_info aria-label=move || s.tr("aria.more_info", &[("target", &name())])>
                    {name}
                </button>
                <div class="fd-sub">
                    <span class="fd-state" data-state=move || state().id()>{move || s.t(state().label_key())}</span>
                    <Show when=move || state() != DeviceState::Offline>
                        <span class="fd-seen" data-last-seen>{last_seen}</span>
                    </Show>
                    {move || url_state().map(|u| view! {
                        <span class="fd-url" data-public-url=u>{s.t(if u == "on" { "device.public_url.on" } else { "device.public_url.off" })}</span>
                    })}
                    {move || dashboard().map(|href| view! {
                        <a class="fd-link fd-dash" data-dashboard href=href target="_blank" rel="noopener"
                            aria-label=move || s.tr("aria.action_target", &[("action", &s.t("label.dashboard")), ("target", &name())])>
                            {move || s.t("label.dashboard")}
                        </a>
                    })}
                </div>
                <div class="fd-image" data-versions>{versions}</div>
            </div>
            {move || if state() == DeviceState::Offline {
                view! {
                    <div class="fd-metrics fd-offline">
                        <span class="fd-seen" data-last-seen>{last_seen}</span>
                        <span class="fd-bulk-why" data-reason>{move || s.t("reason.device_offline")}</span>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="fd-metrics fd-bars">
                        <MetricBar metric="cpu" label="label.cpu" pct=bar(|st| st.cpu_pct) text=bar_text(|st| st.cpu_pct) hot=Signal::derive(move || over.get().cpu)/>
                        <MetricBar metric="memory" label="label.memory" pct=bar(|st| st.mem_pct) text=bar_text(|st| st.mem_pct) hot=Signal::derive(move || over.get().memory)/>
                        <MetricBar metric="storage" label="label.storage" pct=bar(|st| st.storage_pct) text=bar_text(|st| st.storage_pct) hot=Signal::derive(move || over.get().storage)/>
                        <span class="fd-metric" data-metric="temperature" class:fd-hot=move || over.get().temperature>
                            <abbr title=move || s.t("label.temperature")>"🌡 "</abbr>
                            {move || status.with(|st| st.temperature_c).map(|v| nf().celsius(v)).unwrap_or_else(|| "–".into())}
                        </span>
                    </div>
                }.into_any()
            }}
            <div class="fd-actions">
                {move || view! { <ActionButtons item=item_sv.get_value() name=name() options=options.get() compact=true/> }}
                <Show when=can_env>
                    <button class="fd-action" data-action="env" aria-label=move || action_label(&s, Action::EnvUpdate, &name()) title=move || s.t("action.env") on:click=open_env>
                        "⚙"
                    </button>
                </Show>
            </div>
        </div>
    }
}
