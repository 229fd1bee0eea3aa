//! Summaries, cursor lookups and fleet-wide aggregation of series.
use super::{Point, Series};

/// Summary of a series' valued points, shown under a chart ("min 3 % at 04:10 · max …").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesStats {
    pub min: f64,
    /// Time of the first occurrence of `min`.
    pub min_at: f64,
    pub max: f64,
    /// Time of the first occurrence of `max`.
    pub max_at: f64,
    /// Time-weighted mean: each value counts for as long as it held, i.e. until the next point
    /// (valued or gap). HA only records changes, so a plain mean over rows would let a burst of
    /// short spikes outweigh hours of a steady value. When the points span no time (a single
    /// point, or all at one instant) this falls back to the plain mean.
    pub mean: f64,
    pub last: f64,
    pub last_at: f64,
    /// Number of valued points.
    pub count: usize,
}

/// Summarises the valued points; `None` when there are none.
pub fn summarize(points: &[Point]) -> Option<SeriesStats> {
    let mut stats: Option<SeriesStats> = None;
    let (mut sum, mut weighted, mut duration) = (0.0, 0.0, 0.0);
    for (i, p) in points.iter().enumerate() {
        let Some(v) = p.value() else { continue };
        sum += v;
        if let Some(next) = points.get(i + 1) {
            let d = next.t - p.t;
            if d.is_finite() && d > 0.0 {
                weighted += v * d;
                duration += d;
            }
        }
        let s = stats.get_or_insert(SeriesStats {
            min: v,
            min_at: p.t,
            max: v,
            max_at: p.t,
            mean: 0.0,
            last: v,
            last_at: p.t,
            count: 0,
        });
        if v < s.min {
            s.min = v;
            s.min_at = p.t;
        }
        if v > s.max {
            s.max = v;
            s.max_at = p.t;
        }
        s.last = v;
        s.last_at = p.t;
        s.count += 1;
    }
    let mut s = stats?;
    s.mean = if duration > 0.0 { weighted / duration } else { sum / s.count as f64 };
    Some(s)
}

/// The point closest in time to `t` (gaps included, so a cursor over an outage reads
/// "unavailable"); on a tie the earlier point. Assumes ascending times.
pub fn nearest(points: &[Point], t: f64) -> Option<Point> {
    if !t.is_finite() || points.is_empty() {
        return None;
    }
    let i = points.partition_point(|p| p.t < t);
    let after = points.get(i);
    let before = i.checked_sub(1).and_then(|j| points.get(j));
    match (before, after) {
        (Some(b), Some(a)) => Some(if (t - b.t) <= (a.t - t) { *b } else { *a }),
        (Some(b), None) => Some(*b),
        (None, Some(a)) => Some(*a),
        (None, None) => None,
    }
}

/// The value in force at `t` under HA's step semantics (a state holds until the next one):
/// the last point at or before `t`. `None` before the first point or during a gap.
pub fn value_at(points: &[Point], t: f64) -> Option<f64> {
    if !t.is_finite() {
        return None;
    }
    let i = points.partition_point(|p| p.t <= t);
    points.get(i.checked_sub(1)?)?.value()
}

/// How [`combine`] merges values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agg {
    Avg,
    Max,
    Min,
    Sum,
}

impl Agg {
    fn fold(self, acc: Option<(f64, usize)>, v: f64) -> Option<(f64, usize)> {
        Some(match (self, acc) {
            (_, None) => (v, 1),
            (Agg::Avg | Agg::Sum, Some((a, n))) => (a + v, n + 1),
            (Agg::Max, Some((a, n))) => (a.max(v), n + 1),
            (Agg::Min, Some((a, n))) => (a.min(v), n + 1),
        })
    }
    /// How one series' samples within a bucket are reduced: a sum across the fleet should add
    /// each member's typical value, not every sample it happened to send.
    fn within_series(self) -> Agg {
        match self {
            Agg::Sum => Agg::Avg,
            other => other,
        }
    }
    fn finish(self, acc: Option<(f64, usize)>) -> Option<f64> {
        let (a, n) = acc?;
        Some(if self == Agg::Avg { a / n as f64 } else { a })
    }
}

/// Upper bound on buckets in [`combine`]; a tiny `bucket_secs` over a long window widens the
/// buckets instead of allocating millions of them.
const MAX_BUCKETS: f64 = 100_000.0;

/// Fleet-wide aggregate of several series over buckets of `bucket_secs` aligned to the epoch
/// (so every series and every refresh lands on the same bucket edges). Each output point is
/// the bucket's start time.
///
/// Per series, a bucket's value is `how` (see below for `Sum`) over the samples inside it plus the value carried in
/// from before the bucket (HA sends rows only on change, so a container idling at 2 % since
/// yesterday still counts as 2 % in every bucket). A series contributes nothing before its
/// first point or while in a gap. Across series the per-series values are combined with `how`
/// again (`Avg`: fleet average, `Max`: the busiest member; `Sum` averages within a series and
/// adds across series). A bucket no series contributes to
/// is a gap. A non-positive or non-finite `bucket_secs` defaults to 5 minutes.
pub fn combine(series: &[&Series], how: Agg, bucket_secs: f64) -> Series {
    let mut bucket = if bucket_secs.is_finite() && bucket_secs > 0.0 { bucket_secs } else { 300.0 };
    let mut range: Option<(f64, f64)> = None;
    for s in series {
        for p in &s.points {
            if p.t.is_finite() {
                range = Some(range.map_or((p.t, p.t), |(lo, hi)| (lo.min(p.t), hi.max(p.t))));
            }
        }
    }
    let Some((start, end)) = range else { return Series::default() };
    let mut first = (start / bucket).floor();
    let mut count = (end / bucket).floor() - first + 1.0;
    if count > MAX_BUCKETS {
        bucket *= (count / MAX_BUCKETS).ceil();
        first = (start / bucket).floor();
        count = (end / bucket).floor() - first + 1.0;
    }
    let n = count as usize;

    let mut fleet: Vec<Option<(f64, usize)>> = vec![None; n];
    let own = how.within_series();
    for s in series {
        let mut carry: Option<f64> = None;
        let mut pts = s.points.iter().filter(|p| p.t.is_finite()).peekable();
        for (k, slot) in fleet.iter_mut().enumerate() {
            let b_start = (first + k as f64) * bucket;
            let b_end = b_start + bucket;
            let mut acc = None;
            // The carried value held from the bucket start until the first sample inside it.
            let starts_on_edge = pts.peek().is_some_and(|p| p.t <= b_start);
            if let (Some(v), false) = (carry, starts_on_edge) {
                acc = own.fold(acc, v);
            }
            while let Some(p) = pts.next_if(|p| p.t < b_end) {
                if let Some(v) = p.value() {
                    acc = own.fold(acc, v);
                }
                carry = p.value();
            }
            if let Some(v) = own.finish(acc) {
                *slot = how.fold(*slot, v);
            }
        }
    }

    Series {
        points: fleet
            .into_iter()
            .enumerate()
            .map(|(k, acc)| Point { t: (first + k as f64) * bucket, v: how.finish(acc) })
            .collect(),
    }
}
