use crate::components::chart::Sparkline;
use crate::components::shared::{ActionButtons, RowSelect};
use crate::use_ctx;
use fleet_deck_core::actions::container::container_options;
use fleet_deck_core::config::MemoryThreshold;
use fleet_deck_core::model::{ItemRef, Source};
use fleet_deck_core::status::{ContainerStatus, Health};
use leptos::prelude::*;

/// One container: name (opens more-info), state in colour and text, health, image and version,
/// update badge, uptime, CPU and memory, and the actions its integration and state allow.
#[component]
pub fn ContainerRow(container_key: String) -> impl IntoView {
    let s = use_ctx().store;
    let rt = use_ctx();
    let ck = container_key.clone();
    let container = Memo::new(move |_| s.model.with(|m| m.container(&ck).cloned()));
    let ck = container_key.clone();
    let status = Memo::new(move |_| s.model.with(|m| m.container_status(&ck)).unwrap_or_default());
    let name = move || container.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default());
    let source = move || container.with(|c| c.as_ref().map(|c| c.source));
    let item = ItemRef::Container(container_key.clone());
    let item_sv = StoredValue::new(item.clone());

    let over = move || {
        let st = status.get();
        let t = s.config.with(|c| c.containers.thresholds.clone());
        let cpu = matches!((t.cpu, st.cpu_pct), (Some(l), Some(v)) if v > l);
        let mem = match (t.memory, st.mem_pct, st.mem_bytes) {
            (Some(MemoryThreshold::Percent(l)), Some(v), _) => v > l,
            (Some(MemoryThreshold::Bytes(l)), _, Some(v)) => v > l,
            _ => false,
        };
        (cpu, mem)
    };
    // A memo, so a CPU tick that changes no option leaves the buttons alone.
    let options = Memo::new(move |_| {
        let c = container.get()?;
        let st = status.get();
        let m = s.model.get();
        let admin = s.is_admin.get();
        Some(m.with_states(c.roles.entity_ids(), |states| container_options(&c, &st, states, admin)))
    });
    let pending = move || item_sv.with_value(|it| s.pending.with(|p| p.get(it).copied()));
    let open_more_info = move |_| {
        if let (Some(r), Some(c)) = (rt.rt(), container.get_untracked()) {
            if let Some(id) = c.roles.main_entity() {
                r.more_info(id);
            }
        }
    };
    let fmt_state = move |st: &ContainerStatus| s.t(&format!("state.{}", st.run.id()));
    let n = move || s.locale.with(|l| l.numbers);
    let metrics = move || {
        let st = status.get();
        let nf = n();
        let cpu = st.cpu_pct.map(|v| nf.percent(v));
        let mem = st.mem_bytes.map(|v| nf.bytes(v)).or_else(|| st.mem_pct.map(|v| nf.percent(v)));
        (cpu, mem)
    };
    let uptime = move || {
        let st = status.get();
        if !st.run.is_running() {
            return None;
        }
        if let Some(t) = st.started_at {
            let now = s.now.get();
            return Some(s.tr("label.uptime", &[("time", &fleet_deck_core::format::duration_short(now - t))]));
        }
        st.uptime_text.clone().filter(|u| u != "Not running").map(|u| s.tr("label.uptime", &[("time", &u)]))
    };
    let image_line = move || {
        let st = status.get();
        match (st.image, st.version) {
            (Some(i), Some(v)) if !i.ends_with(&format!(":{v}")) => format!("{i} · {v}"),
            (Some(i), _) => i,
            (None, Some(v)) => v,
            (None, None) => String::new(),
        }
    };
    let update_badge = move || {
        let st = status.get();
        if st.update.in_progress {
            let pct = st.update.percentage.map(|p| s.locale.with(|l| l.numbers.percent(p))).unwrap_or_default();
            Some(("updating", s.tr("label.updating", &[("pct", &pct)])))
        } else if st.update.available {
            Some(("available", s.t("label.update_available")))
        } else {
            None
        }
    };
    let health = move || match status.get().health {
        Health::None => None,
        h => Some((h.id(), s.t(&format!("health.{}", h.id())))),
    };
    let item_for_actions = item.clone();
    let item_for_select = item.clone();
    let item_for_chart = item.clone();

    view! {
        <div
            class="fd-row"
            role="listitem"
            data-container=name
            data-key=container_key.clone()
            data-state=move || status.with(|st| st.run.id())
            data-source=move || source().map(|s| s.config_name()).unwrap_or("")
            class:fd-over=move || { let (a, b) = over(); a || b }
            class:fd-pending=move || pending().is_some()
            aria-busy=move || pending().is_some().to_string()
        >
            // A read-only row has nothing to select; an empty box of the checkbox's size keeps
            // its dot and name in the column of the other rows'.
            <Show when=move || source().is_some_and(|s| !s.read_only()) fallback=|| view! { <span class="fd-check fd-check-space" aria-hidden="true"></span> }>
                <RowSelect item=item_for_select.clone() name=Signal::derive(name)/>
            </Show>
            <span class="fd-dot" data-state=move || status.with(|st| st.run.id()) aria-hidden="true"></span>
            <div class="fd-main">
                <button class="fd-name" on:click=open_more_info aria-label=move || s.tr("aria.more_info", &[("target", &name())])>
                    {name}
                </button>
                <div class="fd-sub">
                    <span class="fd-state" data-state=move || status.with(|st| st.run.id())>{move || status.with(fmt_state)}</span>
                    {move || health().map(|(id, label)| view! { <span class="fd-health" data-health=id>{label}</span> })}
                    {move || status.with(|st| st.oom).then(|| view! { <span class="fd-health" data-health="oom">{move || s.t("label.oom")}</span> })}
                    {move || update_badge().map(|(k, label)| view! { <span class="fd-badge" data-update=k>{label}</span> })}
                    {move || uptime().map(|u| view! { <span class="fd-uptime">{u}</span> })}
                </div>
                <div class="fd-image" title=image_line>{image_line}</div>
            </div>
            <div class="fd-metrics">
                {move || metrics().0.map(|v| view! { <span class="fd-metric" data-metric="cpu" class:fd-hot=move || over().0><abbr title=move || s.t("label.cpu")>"CPU "</abbr>{v}</span> })}
                {move || metrics().1.map(|v| view! { <span class="fd-metric" data-metric="memory" class:fd-hot=move || over().1><abbr title=move || s.t("label.memory")>"RAM "</abbr>{v}</span> })}
                <Sparkline item=item_for_chart.clone()/>
            </div>
            {move || match source() {
                // A chip, not the sentence on every row of a read-only stack; the sentence is
                // its tooltip and, for screen readers, its accessible name.
                Some(Source::PortainerTomaae) => view! {
                    <span class="fd-chip fd-readonly" role="note" title=move || s.t("readonly.tomaae") aria-label=move || s.t("readonly.tomaae")>
                        {move || s.t("readonly.short")}
                    </span>
                }.into_any(),
                _ => match options.get() {
                    Some(opts) => view! { <ActionButtons item=item_for_actions.clone() name=name() options=opts compact=false/> }.into_any(),
                    None => ().into_any(),
                },
            }}
        </div>
    }
}
