//! The piece of a series a chart shows: statistics and history joined, cut to the window.
use super::{nice_domain, Point, Series};

/// What to draw over `[start, end]` from long-term statistics (means of buckets of
/// `bucket_secs`, one point per bucket start) and live history of one entity, both ascending.
///
/// Statistics fill only the time before history begins: a bucket is used only if it ends by the
/// first history point (history is exact and live; see [`crate::ha::history::splice`]), so no
/// mean of the same minutes is drawn twice. Points before `start` are dropped, except that the value
/// in force at `start` (the last earlier point) is moved to `start`, so the line begins at the
/// left edge. The last value is carried to `end` ([`Series::extend_to`]) because HA only
/// records changes. Points after `end` are kept: a live row can be a moment ahead of the
/// caller's clock.
pub fn window_series(statistics: &[Point], bucket_secs: f64, history: &[Point], start: f64, end: f64) -> Series {
    let cutoff = history.first().map_or(f64::INFINITY, |p| p.t);
    let older = &statistics[..statistics.partition_point(|p| p.t + bucket_secs.max(0.0) <= cutoff)];
    let mut points = Vec::with_capacity(older.len() + history.len() + 2);
    let mut carry: Option<Point> = None;
    for p in older.iter().chain(history) {
        if p.t < start {
            carry = Some(*p);
            continue;
        }
        if let Some(c) = carry.take() {
            if p.t > start {
                points.push(Point { t: start, v: c.v });
            }
        }
        points.push(*p);
    }
    if let Some(c) = carry {
        points.push(Point { t: start, v: c.v });
    }
    let mut s = Series { points };
    s.extend_to(end);
    s
}

/// The y domain for some points: their value range widened to round tick values
/// ([`nice_domain`]), or `(0, 1)` when no point has a value.
pub fn value_domain(points: &[Point], ticks: usize) -> (f64, f64) {
    let range = points.iter().filter_map(Point::value).fold(None, |acc: Option<(f64, f64)>, v| {
        Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
    });
    match range {
        Some((lo, hi)) => nice_domain(lo, hi, ticks),
        None => (0.0, 1.0),
    }
}

/// The time domain of a sparkline over `[start, end]`: the window, or from the first point
/// when `points` (as [`window_series`] gives them) begin later. A container created an hour
/// ago, or a fresh install, has minutes of history in a 24-hour window; drawn to scale that was
/// a sliver at the right edge of an 88-pixel sparkline, a row that looked as if it had no data.
/// A sparkline shows the shape of what there is; the detail chart keeps the true time axis.
pub fn spark_domain(points: &[Point], start: f64, end: f64) -> (f64, f64) {
    match points.first() {
        Some(p) if p.t > start && p.t < end => (p.t, end),
        _ => (start, end),
    }
}
