//! Chart math: scales, ticks, downsampling, SVG paths, summaries and fleet aggregation.
//!
//! All pure functions over [`Series`]; the web layer only maps the results onto `<svg>`
//! elements. Times are epoch seconds throughout. A point without a value (`v: None`) is a gap
//! (the entity was unavailable/unknown or not numeric): lines break there instead of drawing
//! a misleading bridge, and summaries ignore it.
//!
//! Series are expected in ascending time order (what HA sends and what
//! [`crate::ha::history::HistoryBuffer`] maintains). Functions never panic on unordered or
//! non-finite input, but their results are only meaningful for ordered data.
pub mod downsample;
pub mod metric;
pub mod path;
pub mod scale;
pub mod stats;
pub mod ticks;
pub mod window;

pub use downsample::downsample;
pub use metric::{container_metrics, device_metrics, format_metric, Metric};
pub use path::{area_path, line_path, push_coord, step_area_path, step_path};
pub use scale::Scale;
pub use stats::{combine, nearest, summarize, value_at, Agg, SeriesStats};
pub use ticks::{label_anchor, nice_domain, nice_ticks, time_ticks, time_ticks_detailed, TickLabel, TimeTick};
pub use window::{spark_domain, value_domain, window_series};

/// One sample: time in epoch seconds and the value, `None` for a gap.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub t: f64,
    pub v: Option<f64>,
}

impl Point {
    pub const fn new(t: f64, v: f64) -> Self {
        Point { t, v: Some(v) }
    }
    pub const fn gap(t: f64) -> Self {
        Point { t, v: None }
    }
    /// The value if it is usable for drawing (finite).
    pub fn value(&self) -> Option<f64> {
        self.v.filter(|v| v.is_finite())
    }
}

/// A time series, ascending in time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub points: Vec<Point>,
}

impl Series {
    pub fn new(points: Vec<Point>) -> Self {
        Series { points }
    }
    pub fn len(&self) -> usize {
        self.points.len()
    }
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
    /// First and last time, if any point exists.
    pub fn time_range(&self) -> Option<(f64, f64)> {
        Some((self.points.first()?.t, self.points.last()?.t))
    }
    /// Smallest and largest value over the non-gap points.
    pub fn value_range(&self) -> Option<(f64, f64)> {
        self.points.iter().filter_map(Point::value).fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
    }
    /// The last point with a value.
    pub fn last_valid(&self) -> Option<Point> {
        self.points.iter().rev().find(|p| p.value().is_some()).copied()
    }
    /// Repeats the last point at `t` when the series ends earlier. HA only sends rows when a
    /// state changes, so a sensor stuck at 40 % for an hour has no point "now"; without this
    /// the line would stop short of the chart's right edge.
    pub fn extend_to(&mut self, t: f64) {
        if let Some(&last) = self.points.last() {
            if t > last.t {
                self.points.push(Point { t, v: last.v });
            }
        }
    }
    /// Sorts by time (stable, so equal times keep their arrival order) if needed.
    pub fn sort(&mut self) {
        if !self.points.windows(2).all(|w| w[0].t <= w[1].t) {
            self.points.sort_by(|a, b| a.t.total_cmp(&b.t));
        }
    }
}

impl From<Vec<Point>> for Series {
    fn from(points: Vec<Point>) -> Self {
        Series { points }
    }
}
