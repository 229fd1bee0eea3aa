//! Axis ticks: "nice" numbers for value axes and wall-clock aligned times for time axes.
use crate::time::date_parts;
use std::fmt;

/// The step between about `count` ticks over `[min, max]`, a 1, 2 or 5 × 10ⁿ value
/// (d3's `tickIncrement` thresholds: switch factor at √2, √10, √50 of the raw step).
fn tick_step(min: f64, max: f64, count: usize) -> f64 {
    let raw = (max - min) / count.max(1) as f64;
    let power = raw.log10().floor();
    // powi, not powf: an integer power needs no libm `pow` in the wasm.
    let base = 10f64.powi(power.clamp(-400.0, 400.0) as i32);
    let error = raw / base;
    let factor = if error >= 50f64.sqrt() {
        10.0
    } else if error >= 10f64.sqrt() {
        5.0
    } else if error >= 2f64.sqrt() {
        2.0
    } else {
        1.0
    };
    factor * base
}

/// Rounds away binary noise (`0.30000000000000004`) to the step's decimal precision.
fn clean(v: f64, step: f64) -> f64 {
    let decimals = (-step.log10().floor()).clamp(0.0, 15.0) as i32;
    if decimals == 0 {
        return v;
    }
    let k = 10f64.powi(decimals);
    (v * k).round() / k
}

/// About `target_count` round values (multiples of 1, 2 or 5 × 10ⁿ) inside `[min, max]`,
/// ascending. The bounds may come in either order. A flat range gives the single value;
/// non-finite input gives nothing.
pub fn nice_ticks(min: f64, max: f64, target_count: usize) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return Vec::new();
    }
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    if min == max {
        return vec![min];
    }
    let count = target_count.clamp(1, 1000);
    let step = tick_step(min, max, count);
    if !(step.is_finite() && step > 0.0) {
        return Vec::new();
    }
    // The small slack lets an endpoint that is a multiple of `step` survive float error in
    // the division; the filter below still keeps every tick inside the range.
    let first = (min / step - 1e-9).ceil() as i64;
    let last = (max / step + 1e-9).floor() as i64;
    (first..=last).map(|i| clean(i as f64 * step, step)).filter(|v| *v >= min && *v <= max).collect()
}

/// Widens `[min, max]` outward to multiples of the tick step, so the plot starts and ends on
/// a gridline. A flat range is opened up first (±10 % of the value, or ±1 around zero) so a
/// constant sensor is drawn mid-height rather than on the frame.
pub fn nice_domain(min: f64, max: f64, target_count: usize) -> (f64, f64) {
    if !min.is_finite() || !max.is_finite() {
        return (0.0, 1.0);
    }
    let (mut lo, mut hi) = if min <= max { (min, max) } else { (max, min) };
    if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let count = target_count.clamp(1, 1000);
    // Twice, as d3 does: widening can change the step, which can change the bounds.
    for _ in 0..2 {
        let step = tick_step(lo, hi, count);
        if !(step.is_finite() && step > 0.0) {
            break;
        }
        lo = clean((lo / step).floor() * step, step);
        hi = clean((hi / step).ceil() * step, step);
    }
    (lo, hi)
}

/// What a time tick shows. The web layer can format these with `Intl` for the user's locale;
/// `Display` gives a numeric, locale-neutral fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickLabel {
    /// `HH:MM`
    Time { hour: u32, minute: u32 },
    /// `DD.MM` (month 1..=12)
    Date { day: u32, month: u32 },
    /// A day tick in a window of at most a week; `weekday` 0 = Monday … 6 = Sunday.
    Weekday { weekday: u32, day: u32, month: u32 },
}

impl fmt::Display for TickLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TickLabel::Time { hour, minute } => write!(f, "{hour:02}:{minute:02}"),
            TickLabel::Date { day, month } => write!(f, "{day:02}.{month:02}"),
            TickLabel::Weekday { weekday, .. } => {
                const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
                f.write_str(NAMES.get(weekday as usize).copied().unwrap_or("?"))
            }
        }
    }
}

/// One time-axis tick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeTick {
    /// Epoch seconds.
    pub t: f64,
    pub label: TickLabel,
}

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;
const WEEK: f64 = 7.0 * DAY;

/// Intervals that land on wall-clock-friendly times; every one below a day divides a day, so
/// ticks stay on the same clock times every day.
const INTERVALS: [f64; 17] = [
    MINUTE,
    2.0 * MINUTE,
    5.0 * MINUTE,
    10.0 * MINUTE,
    15.0 * MINUTE,
    30.0 * MINUTE,
    HOUR,
    2.0 * HOUR,
    3.0 * HOUR,
    4.0 * HOUR,
    6.0 * HOUR,
    12.0 * HOUR,
    DAY,
    2.0 * DAY,
    WEEK,
    2.0 * WEEK,
    4.0 * WEEK,
];

/// Ticks for a time axis over `[start, end]` (epoch seconds), about `target_count` of them,
/// aligned to the local wall clock for `utc_offset_minutes` (e.g. every 3 h at 00:00, 03:00…
/// local, days at local midnight, weeks on Mondays).
///
/// Labels: `HH:MM` within a day; in multi-day windows a tick at local midnight shows the date
/// instead; day-or-longer intervals show the weekday for windows up to a week, else the date.
pub fn time_ticks_detailed(start: f64, end: f64, target_count: usize, utc_offset_minutes: i32) -> Vec<TimeTick> {
    if !start.is_finite() || !end.is_finite() || end <= start {
        return Vec::new();
    }
    let span = end - start;
    let raw = span / target_count.clamp(1, 1000) as f64;
    let interval = INTERVALS.iter().copied().find(|&i| i >= raw).unwrap_or_else(|| (raw / WEEK).ceil() * WEEK);
    let offset = utc_offset_minutes as f64 * MINUTE;
    // Week ticks fall on Mondays: epoch day 4 (1970-01-05) was one.
    let phase = if interval >= WEEK { 4.0 * DAY } else { 0.0 };

    let local_start = start + offset - phase;
    let mut k = (local_start / interval).ceil();
    let multi_day = span > DAY;
    let mut out = Vec::new();
    loop {
        let t = k * interval + phase - offset;
        if t > end || out.len() > 1000 {
            break;
        }
        let p = date_parts(t, utc_offset_minutes);
        let label = if interval >= DAY {
            if span <= WEEK {
                TickLabel::Weekday { weekday: p.weekday, day: p.day, month: p.month }
            } else {
                TickLabel::Date { day: p.day, month: p.month }
            }
        } else if multi_day && p.hour == 0 && p.minute == 0 {
            TickLabel::Date { day: p.day, month: p.month }
        } else {
            TickLabel::Time { hour: p.hour, minute: p.minute }
        };
        out.push(TimeTick { t, label });
        k += 1.0;
    }
    out
}

/// Where a time-axis label for a tick at `x` goes, so it stays inside `[0, width]`: centred on
/// its tick unless half of it would cross an edge, then ending (or starting) at that edge.
/// Its width is estimated from its length at ~6.5 units per character (the tick font is 11 px
/// in a 600-unit plot). A window ending just after a round hour put the last tick 8 units from
/// the edge, and its label ("12:00 AM") lost its last letters.
pub fn label_anchor(x: f64, chars: usize, width: f64) -> (&'static str, f64) {
    let half = chars as f64 * 6.5 / 2.0;
    if x + half > width {
        ("end", width)
    } else if x - half < 0.0 {
        ("start", 0.0)
    } else {
        ("middle", x)
    }
}

/// [`time_ticks_detailed`] with labels rendered by [`TickLabel`]'s `Display`
/// (`HH:MM`, `DD.MM`, or an English weekday abbreviation).
pub fn time_ticks(start: f64, end: f64, target_count: usize, utc_offset_minutes: i32) -> Vec<(f64, String)> {
    time_ticks_detailed(start, end, target_count, utc_offset_minutes)
        .into_iter()
        .map(|tick| (tick.t, tick.label.to_string()))
        .collect()
}
