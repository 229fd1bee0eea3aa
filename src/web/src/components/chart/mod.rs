//! Charts: a sparkline per container/device row, and the detail dialog (an item's metrics, or a
//! fleet's average and maximum). Data comes from [`crate::hooks::use_history`]; all math
//! (window cut, downsampling, scales, paths, ticks, summaries) is `fleet_deck_core::chart`.
mod plot;

use crate::bridge::dom;
use crate::components::shared::item_name;
use crate::hooks::use_history::{trigger_of, use_history, window_of};
use crate::store::{Model, Store};
use crate::use_ctx;
use fleet_deck_core::chart::{
    combine, container_metrics, device_metrics, downsample, spark_domain, step_path, summarize, value_domain, window_series, Agg,
    Metric, Point, Scale,
};
use fleet_deck_core::model::ItemRef;
use leptos::prelude::*;
use plot::{Line, PlotChart};

/// Columns a sparkline is reduced to (at most four points each: ≤ 120 points).
const SPARK_BUCKETS: usize = 30;
/// Columns of a detail chart (≤ 480 points over 600 px).
const DETAIL_BUCKETS: usize = 120;

/// A detail line: the summary of the full series, the points reduced to the plot width.
fn line(points: &[Point]) -> Line {
    Line { points: downsample(points, DETAIL_BUCKETS), stats: summarize(points) }
}

/// The metric entities of an item (stacks have none).
fn item_metrics(m: &Model, item: &ItemRef) -> Vec<(Metric, String)> {
    match item {
        ItemRef::Container(k) => m.container(k).map(|c| container_metrics(&c.roles)),
        ItemRef::Device(k) => m.device(k).map(|d| device_metrics(&d.roles)),
        ItemRef::Stack(_) => None,
    }
    .unwrap_or_default()
}

/// `unit_of_measurement` of an entity (untracked: units do not change while a chart is open).
fn unit_of(s: Store, id: &str) -> String {
    let m = s.model.get_untracked();
    m.state_untracked(id).and_then(|st| st.attr_str("unit_of_measurement")).unwrap_or_default()
}

fn unregister(v: &mut Vec<String>, ids: &[String]) {
    for id in ids {
        if let Some(i) = v.iter().position(|x| x == id) {
            v.swap_remove(i);
        }
    }
}

/// Adds `ids` to the charted set while the calling component is mounted (the history hook
/// streams exactly that set), following changes of `ids`.
fn register_ids(s: Store, ids: Memo<Vec<String>>) {
    let registered = StoredValue::new(Vec::<String>::new());
    Effect::new(move |_| {
        let new = ids.get();
        let old = registered.get_value();
        if old != new {
            s.chart_ids.update(|v| {
                unregister(v, &old);
                v.extend(new.iter().cloned());
            });
            registered.set_value(new);
        }
    });
    on_cleanup(move || {
        if let Some(old) = registered.try_get_value() {
            s.chart_ids.try_update(|v| unregister(v, &old));
        }
    });
}

/// Window start and end (tracked on the 30-second clock and the configured hours).
fn span(s: Store) -> (f64, f64) {
    s.now.track();
    let now = dom::now();
    (now - s.config.get().chart_hours * 3600.0, now)
}

/// A row's CPU/memory(/temperature) history as a small line chart inside the button that opens
/// the detail chart. Each line is its own memo: a new row for one entity rewrites only the `d`
/// of that entity's path.
#[component]
pub fn Sparkline(item: ItemRef) -> impl IntoView {
    let s = use_ctx().store;
    let item = StoredValue::new(item);
    let metrics = Memo::new(move |_| item_metrics(&s.model.get(), &item.get_value()));
    // Streamed only while near the viewport: rows scrolled far away leave the subscription.
    let near = RwSignal::new(true);
    let ids = Memo::new(move |_| {
        if !near.get() {
            return Vec::new();
        }
        metrics.get().into_iter().map(|(_, id)| id).collect()
    });
    register_ids(s, ids);
    let button = NodeRef::<leptos::html::Button>::new();
    let watch = StoredValue::new_local(None::<dom::Visibility>);
    Effect::new(move |_| {
        let w = button.get().map(|el| {
            dom::Visibility::watch(&el, move |v| {
                near.try_set(v);
            })
        });
        watch.set_value(w);
    });
    let label = move || s.tr("chart.open", &[("target", &item_name(&s.model.get(), &item.get_value()))]);
    let open = move |_| {
        s.chart_fleet.set(None);
        s.chart_item.set(Some(item.get_value()));
    };
    let lines = move || metrics.get().into_iter().map(|(metric, id)| spark_line(s, metric, id)).collect_view();
    view! {
        <Show when=move || !metrics.get().is_empty()>
            <button class="fd-spark" data-action="chart" aria-label=label title=label on:click=open node_ref=button>
                <svg data-sparkline viewBox="0 0 100 24" preserveAspectRatio="none" aria-hidden="true">{lines}</svg>
            </button>
        </Show>
    }
}

fn spark_line(s: Store, metric: Metric, id: String) -> impl IntoView {
    let trigger = trigger_of(s, &id);
    let line = Memo::new(move |_| {
        trigger.track();
        let (t0, t1) = span(s);
        let pts = downsample(&window_of(s, &id, t0, t1).points, SPARK_BUCKETS);
        let (lo, hi) = value_domain(&pts, 2);
        let d = step_path(&pts, &Scale::new(spark_domain(&pts, t0, t1), (0.0, 100.0)), &Scale::new((lo, hi), (23.0, 1.0)));
        (d, pts.len())
    });
    view! {
        <path data-series=metric.id() d=move || line.get().0 data-points=move || line.get().1
            vector-effect="non-scaling-stroke"></path>
    }
}

/// Opens the fleet's aggregate chart (average and maximum over its devices). For the fleet
/// header: `<FleetChartButton fleet_key=fleet.key.clone()/>`.
#[component]
pub fn FleetChartButton(fleet_key: String) -> impl IntoView {
    let s = use_ctx().store;
    let fk = StoredValue::new(fleet_key);
    let name = move || s.model.get().inv.fleet(&fk.get_value()).map(|f| f.name.clone()).unwrap_or_default();
    let open = move |_| {
        s.chart_item.set(None);
        s.chart_fleet.set(Some(fk.get_value()));
    };
    view! {
        <button class="fd-action fd-chart-btn" data-action="chart" data-fleet-chart=move || fk.get_value()
            aria-label=move || s.tr("chart.open", &[("target", &name())]) title=move || s.t("action.chart") on:click=open>
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 18l5-6 4 3 5-7 4 4"></path></svg>
        </button>
    }
}

/// The detail chart dialog (rendered once per card). It also hosts the card's history hook.
#[component]
pub fn ChartDialog() -> impl IntoView {
    use_history();
    let s = use_ctx().store;
    view! {
        <Show when=move || s.chart_item.get().is_some() || s.chart_fleet.get().is_some()>
            <ChartDetail/>
        </Show>
    }
}

#[component]
fn ChartDetail() -> impl IntoView {
    let s = use_ctx().store;
    let close = move || {
        s.chart_item.set(None);
        s.chart_fleet.set(None);
    };
    let dialog = NodeRef::<leptos::html::Div>::new();
    // Focus moves into the dialog and, when it closes, back to the button that opened it.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            opener.set_value(dom::focused_in(&d));
            dom::lift_dialog(&d);
            let _ = d.focus();
        }
    });
    on_cleanup(move || {
        if let Some(Some(e)) = opener.try_get_value() {
            let _ = e.focus();
        }
    });
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    let span = Memo::new(move |_| span(s));
    // One time cursor for all charts of the dialog (they share the time axis).
    let cursor = RwSignal::new(None::<f64>);
    let title = move || {
        let m = s.model.get();
        let name = match (s.chart_item.get(), s.chart_fleet.get()) {
            (Some(item), _) => item_name(&m, &item),
            (None, Some(fk)) => m.inv.fleet(&fk).map(|f| f.name.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        s.tr("chart.title", &[("target", &name)])
    };
    let body = move || match (s.chart_item.get(), s.chart_fleet.get()) {
        (Some(item), _) => item_charts(s, item, span, cursor).into_any(),
        (None, Some(fk)) => fleet_charts(s, fk, span, cursor).into_any(),
        _ => ().into_any(),
    };
    view! {
        <div class="fd-scrim" on:click=move |_| close()></div>
        <div class="fd-dialog fd-chart-dialog" role="dialog" aria-modal="true" aria-labelledby="fd-chart-title"
            data-chart-detail tabindex="-1" node_ref=dialog on:keydown=on_key>
            <div class="fd-chart-head">
                <h3 id="fd-chart-title">{title}</h3>
                <button class="fd-link" data-close aria-label=move || s.t("chart.close") on:click=move |_| close()>"✕"</button>
            </div>
            {body}
        </div>
    }
}

fn item_charts(s: Store, item: ItemRef, span: Memo<(f64, f64)>, cursor: RwSignal<Option<f64>>) -> impl IntoView {
    let metrics = item_metrics(&s.model.get_untracked(), &item);
    // The open chart keeps its entities streamed even if its row scrolls away.
    let ids = Memo::new({
        let ids: Vec<String> = metrics.iter().map(|(_, id)| id.clone()).collect();
        move |_| ids.clone()
    });
    register_ids(s, ids);
    if metrics.is_empty() {
        return view! { <p class="fd-empty">{s.t("chart.no_data")}</p> }.into_any();
    }
    metrics
        .into_iter()
        .map(|(metric, id)| {
            let unit = unit_of(s, &id);
            let trigger = trigger_of(s, &id);
            let lines = Memo::new(move |_| {
                trigger.track();
                let (t0, t1) = span.get();
                vec![line(&window_of(s, &id, t0, t1).points)]
            });
            view! { <PlotChart metric=metric unit=unit span=span lines=lines aggs=&[""] cursor=cursor/> }
        })
        .collect_view()
        .into_any()
}

/// Fleet-wide average and maximum per metric, from the devices' statistics (fetched by the
/// history hook while `chart_fleet` is set), in buckets of the statistics period.
fn fleet_charts(s: Store, fleet_key: String, span: Memo<(f64, f64)>, cursor: RwSignal<Option<f64>>) -> impl IntoView {
    let members: Vec<(Metric, String)> =
        s.model.get_untracked().inv.devices.iter().filter(|d| d.fleet_key == fleet_key).flat_map(|d| device_metrics(&d.roles)).collect();
    let rev = s.charts.read_value().stats_rev.clone();
    [Metric::Cpu, Metric::Memory, Metric::Temperature]
        .into_iter()
        .filter_map(|metric| {
            let ids: Vec<String> = members.iter().filter(|(m, _)| *m == metric).map(|(_, id)| id.clone()).collect();
            let unit = unit_of(s, ids.first()?);
            let rev = rev.clone();
            let lines = Memo::new(move |_| {
                rev.track();
                let (t0, t1) = span.get();
                {
                    let c = s.charts.read_value();
                    let bucket = c.bucket;
                    let series: Vec<_> =
                        ids.iter().filter_map(|id| c.stats_of(id)).map(|st| window_series(&st.points, bucket, &[], t0, t1)).collect();
                    let refs: Vec<_> = series.iter().collect();
                    vec![line(&combine(&refs, Agg::Avg, bucket).points), line(&combine(&refs, Agg::Max, bucket).points)]
                }
            });
            Some(view! { <PlotChart metric=metric unit=unit span=span lines=lines aggs=&["avg", "max"] cursor=cursor/> })
        })
        .collect_view()
}
