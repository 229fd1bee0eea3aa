//! One detail chart: axes, grid, the line(s), min/max/mean/now, a text summary and a time
//! cursor that follows the pointer and the arrow keys (the plot is a `role=slider` over time).
use crate::bridge::dom;
use crate::use_ctx;
use fleet_deck_core::chart::{
    format_metric, label_anchor, nearest, nice_ticks, push_coord, step_area_path, step_path, time_ticks_detailed, value_at, value_domain,
    Metric, Point, Scale, SeriesStats,
};
use leptos::prelude::*;

/// One drawn line: its (downsampled) points and the summary of the full-resolution series.
#[derive(Clone, PartialEq, Default)]
pub struct Line {
    pub points: Vec<Point>,
    pub stats: Option<SeriesStats>,
}

// viewBox geometry: the plot area is [L, R] × [T, B]; labels sit left of L and below B.
const W: f64 = 600.0;
const H: f64 = 150.0;
const L: f64 = 56.0;
const R: f64 = 592.0;
const T: f64 = 8.0;
const B: f64 = 128.0;

/// Appends text for `inner_html`, with markup characters escaped.
fn esc(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// `aggs[i]` names line `i` (`""` for an item's own series, `avg`/`max` for a fleet).
#[component]
pub fn PlotChart(
    metric: Metric,
    unit: String,
    span: Memo<(f64, f64)>,
    lines: Memo<Vec<Line>>,
    aggs: &'static [&'static str],
    cursor: RwSignal<Option<f64>>,
) -> impl IntoView {
    let s = use_ctx().store;
    let unit = StoredValue::new(unit);
    let fmt = move |v: f64| format_metric(&s.locale.get().numbers, v, &unit.get_value());
    let label = move || s.t(metric.label_key());
    let agg_text = move |agg: &str, value: &str| match agg {
        "avg" => s.tr("fleet.avg", &[("value", value)]),
        "max" => s.tr("fleet.max", &[("value", value)]),
        _ => value.to_string(),
    };
    let scales = Memo::new(move |_| {
        let (t0, t1) = span.get();
        let all: Vec<Point> = lines.get().into_iter().flat_map(|l| l.points).collect();
        let (lo, hi) = value_domain(&all, 4);
        (Scale::new((t0, t1), (L, R)), Scale::new((lo, hi), (B, T)))
    });

    // The plot as one SVG string: grid, axis labels, the area under the first line and the
    // lines (`path[data-series][data-points]`). Rebuilt when the data or the window move; far
    // less code than a reactive node per tick and line.
    let plot = move || {
        let (x, y) = scales.get();
        let mut o = String::with_capacity(8192);
        // `<line class="fd-grid" x1=… x2=… y1=… y2=…/><text class="fd-tick" x=… y=… text-anchor=…>label</text>`
        let tick = |o: &mut String, (x1, x2, y1, y2): (f64, f64, f64, f64), (tx, ty): (f64, f64), anchor: &str, label: &str| {
            o.push_str(r#"<line class="fd-grid""#);
            for (k, v) in [(" x1=\"", x1), ("\" x2=\"", x2), ("\" y1=\"", y1), ("\" y2=\"", y2)] {
                o.push_str(k);
                push_coord(o, v);
            }
            o.push_str(r#""/><text class="fd-tick" x=""#);
            push_coord(o, tx);
            o.push_str(r#"" y=""#);
            push_coord(o, ty);
            o.push_str(r#"" text-anchor=""#);
            o.push_str(anchor);
            o.push_str(r#"">"#);
            esc(o, label);
            o.push_str("</text>");
        };
        for v in nice_ticks(y.domain.0, y.domain.1, 4) {
            let py = y.apply(v);
            tick(&mut o, (L, R, py, py), (L - 6.0, py + 4.0), "end", &fmt(v));
        }
        let time = s.locale.get().time;
        for t in time_ticks_detailed(x.domain.0, x.domain.1, 6, time.offset_minutes(x.domain.1)) {
            let px = x.apply(t.t);
            let label = time.tick(&t);
            let (anchor, tx) = label_anchor(px, label.chars().count(), W);
            tick(&mut o, (px, px, T, B), (tx, H - 4.0), anchor, &label);
        }
        {
            let ls = lines.get();
            if let Some(l) = ls.first() {
                o.push_str(r#"<path class="fd-area" d=""#);
                o.push_str(&step_area_path(&l.points, &x, &y, y.domain.0));
                o.push_str(r#""/>"#);
            }
            for (l, agg) in ls.iter().zip(aggs) {
                o.push_str(r#"<path class="fd-line" data-series=""#);
                o.push_str(metric.id());
                if !agg.is_empty() {
                    o.push_str(r#"" data-agg=""#);
                    o.push_str(agg);
                }
                o.push_str(r#"" data-points=""#);
                o.push_str(&l.points.len().to_string());
                o.push_str(r#"" d=""#);
                o.push_str(&step_path(&l.points, &x, &y));
                o.push_str(r#""/>"#);
            }
        }
        o
    };
    // The cursor: an explicit time, or the latest point when none was chosen.
    let at = move || cursor.get().or_else(|| lines.get().first()?.points.last().map(|p| p.t));
    let readout = move || {
        let t = at()?;
        let values = {
            lines
                .get()
                .iter()
                .zip(aggs)
                .map(|(l, agg)| {
                    let v = value_at(&l.points, t).map(fmt).unwrap_or_else(|| "–".into());
                    agg_text(agg, &v)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let time = s.locale.get().time.clock(t, true);
        Some(s.tr("chart.cursor", &[("time", &time), ("value", &values)]))
    };
    // On a layer of its own, so moving it does not rebuild the plot.
    let cursor_line = move || {
        let mut o = String::new();
        if let Some(t) = cursor.get() {
            let px = scales.get().0.apply_clamped(t);
            o.push_str(r#"<line class="fd-cursor-line" x1=""#);
            push_coord(&mut o, px);
            o.push_str(r#"" x2=""#);
            push_coord(&mut o, px);
            o.push_str(r#"" y1="8" y2="128"/>"#);
        }
        o
    };
    let on_pointer = move |ev: web_sys::PointerEvent| {
        let Some(f) = dom::pointer_fraction(ev.as_ref()) else { return };
        let (x, _) = scales.get_untracked();
        let t = x.invert(f * W);
        let snapped = lines.get_untracked().first().and_then(|l| nearest(&l.points, t)).map(|p| p.t);
        cursor.set(Some(snapped.unwrap_or(t)));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowLeft" | "ArrowDown" => -1,
            "ArrowRight" | "ArrowUp" => 1,
            "PageDown" => -10,
            "PageUp" => 10,
            "Home" => isize::MIN,
            "End" => isize::MAX,
            _ => return,
        };
        ev.prevent_default();
        let t = (|| {
            let ls = lines.get_untracked();
            let p = &ls.first()?.points;
            let last = p.len().checked_sub(1)?;
            let cur = cursor.get_untracked().map_or(last, |c| p.partition_point(|q| q.t < c).min(last));
            let i = match step {
                isize::MIN => 0,
                isize::MAX => last,
                d => (cur as isize + d).clamp(0, last as isize) as usize,
            };
            Some(p[i].t)
        })();
        if t.is_some() {
            cursor.set(t);
        }
    };

    let hours = move || {
        let h = s.config.get().chart_hours;
        s.locale.get().numbers.number(h, if h.fract() == 0.0 { 0 } else { 1 })
    };
    let clock = move |t: f64| s.locale.get().time.clock(t, false);
    let summary = move || {
        let parts: Vec<String> = {
            lines
                .get()
                .iter()
                .zip(aggs)
                .filter_map(|(l, agg)| {
                    let st = l.stats?;
                    let series = match *agg {
                        "avg" => s.tr("chart.series_avg", &[("series", &label())]),
                        "max" => s.tr("chart.series_max", &[("series", &label())]),
                        _ => label(),
                    };
                    Some(s.tr(
                        "chart.summary",
                        &[("series", &series), ("hours", &hours()), ("mean", &fmt(st.mean)), ("max", &fmt(st.max)), ("time", &clock(st.max_at))],
                    ))
                })
                .collect()
        };
        if parts.is_empty() {
            s.t("chart.no_data")
        } else {
            parts.join(" ")
        }
    };
    // Title and figures: min/max/mean/now of an item's series; a legend with the latest values
    // of a fleet's average and maximum.
    let head = move || {
        let mut o = String::from(r#"<span class="fd-plot-title">"#);
        esc(&mut o, &label());
        o.push_str(r#"</span><span class="fd-plot-stats">"#);
        let mut stat = |id: &str, legend: bool, text: String| {
            o.push_str(if legend { r#"<span class="fd-stat fd-legend" data-stat=""# } else { r#"<span class="fd-stat" data-stat=""# });
            o.push_str(id);
            o.push_str(r#"">"#);
            esc(&mut o, &text);
            o.push_str("</span>");
        };
        {
            let ls = lines.get();
            if aggs.len() == 1 {
                if let Some(st) = ls.first().and_then(|l| l.stats) {
                    for (id, key, v) in
                        [("min", "chart.min", st.min), ("max", "chart.max", st.max), ("mean", "chart.mean", st.mean), ("now", "chart.now", st.last)]
                    {
                        stat(id, false, s.tr(key, &[("value", &fmt(v))]));
                    }
                }
            } else {
                for (l, agg) in ls.iter().zip(aggs) {
                    if let Some(st) = l.stats {
                        stat(agg, true, agg_text(agg, &fmt(st.last)));
                    }
                }
            }
        }
        o.push_str("</span>");
        o
    };

    view! {
        <figure class="fd-plot" data-metric=metric.id()>
            <figcaption class="fd-plot-head" inner_html=head></figcaption>
            <div class="fd-plot-area" role="slider" tabindex="0" aria-label=label
                aria-valuemin=move || span.get().0 as i64 aria-valuemax=move || span.get().1 as i64
                aria-valuenow=move || at().unwrap_or_default() as i64 aria-valuetext=readout on:keydown=on_key>
                <svg viewBox="0 0 600 150" aria-hidden="true" on:pointermove=on_pointer on:pointerdown=on_pointer inner_html=plot></svg>
                <svg class="fd-cursor-layer" viewBox="0 0 600 150" aria-hidden="true" inner_html=cursor_line></svg>
            </div>
            <p class="fd-readout" data-cursor>{readout}</p>
            <p class="fd-summary" data-chart-summary>{summary}</p>
        </figure>
    }
}
