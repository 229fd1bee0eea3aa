//! Min/max-preserving downsampling to the plot's pixel width.
//!
//! A day of 10-second CPU samples is 8,640 points for a 300-pixel sparkline. Averaging would
//! hide exactly the spikes a fleet dashboard exists to show, and LTTB can drop a one-sample
//! spike too, so each pixel column keeps its first, lowest, highest and last sample (the
//! classic M4 reduction): the rasterised line is then identical to drawing every point.
use super::Point;

/// Reduces `points` (ascending in time) to at most `4 × buckets` points by splitting the time
/// span into `buckets` equal columns and keeping, per column, the first, minimum, maximum and
/// last valued point, in their original order. The output is a subsequence of the input.
///
/// Gaps survive: wherever a gap (`v: None`) lies between two kept points, the first gap point
/// of that stretch is kept too, so a line never bridges an outage; leading and trailing gaps
/// are kept the same way. Those markers can push a column past four points; in that case the
/// reduction is redone with proportionally fewer columns until the `4 × buckets` budget holds
/// (only impossible for `buckets == 1` with gaps, where up to 9 points come back).
///
/// Input that already fits the budget is returned unchanged; `buckets == 0` returns nothing.
/// Points with a non-finite time are dropped when reducing.
pub fn downsample(points: &[Point], buckets: usize) -> Vec<Point> {
    if buckets == 0 {
        return Vec::new();
    }
    let budget = buckets.saturating_mul(4);
    if points.len() <= budget {
        return points.to_vec();
    }
    let is_gap: Vec<bool> = points.iter().map(|p| p.t.is_finite() && p.value().is_none()).collect();
    let mut columns = buckets;
    loop {
        let out = reduce(points, &is_gap, columns);
        if out.len() <= budget || columns <= 1 {
            return out;
        }
        // Shrink in proportion to the overshoot, and always by at least one column.
        let next = (columns * budget / out.len()).max(1);
        columns = next.min(columns - 1);
    }
}

/// Per-column selection, tracked as indices into the input.
#[derive(Clone, Copy)]
struct Column {
    first: usize,
    last: usize,
    min: usize,
    max: usize,
}

fn reduce(points: &[Point], is_gap: &[bool], columns: usize) -> Vec<Point> {
    let (t0, t1) = points
        .iter()
        .map(|p| p.t)
        .filter(|t| t.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| (lo.min(t), hi.max(t)));
    if t0 > t1 {
        return Vec::new(); // no finite times at all
    }
    let width = t1 - t0;
    let column_of = |t: f64| -> usize {
        if width <= 0.0 {
            return 0;
        }
        (((t - t0) / width * columns as f64) as usize).min(columns - 1)
    };

    // Indices to keep, ascending. Columns are flushed in input order and each covers a
    // contiguous run of indices, so sorting within a column keeps the whole list ascending.
    let mut keep: Vec<usize> = Vec::with_capacity(columns * 4);
    let flush = |keep: &mut Vec<usize>, c: &Column| {
        let mut sel = [c.first, c.min, c.max, c.last];
        sel.sort_unstable();
        let mut prev = None;
        for i in sel {
            if prev != Some(i) {
                keep.push(i);
                prev = Some(i);
            }
        }
    };

    let mut current: Option<(usize, Column)> = None;
    for (i, p) in points.iter().enumerate() {
        let Some(v) = p.value().filter(|_| p.t.is_finite()) else { continue };
        let col = column_of(p.t);
        match &mut current {
            Some((c_idx, c)) if *c_idx == col => {
                c.last = i;
                if v < points[c.min].v.unwrap_or(f64::INFINITY) {
                    c.min = i;
                }
                if v > points[c.max].v.unwrap_or(f64::NEG_INFINITY) {
                    c.max = i;
                }
            }
            _ => {
                if let Some((_, c)) = current.take() {
                    flush(&mut keep, &c);
                }
                current = Some((col, Column { first: i, last: i, min: i, max: i }));
            }
        }
    }
    if let Some((_, c)) = current {
        flush(&mut keep, &c);
    }

    // Re-insert one gap point wherever kept points straddle a gap. Each scan covers the
    // stretch between two consecutive kept indices, so all scans together are O(n).
    let first_gap_in = |from: usize, to: usize| (from..to).find(|&j| is_gap[j]);
    let mut out = Vec::with_capacity(keep.len() + 2);
    let mut prev_end = 0;
    for &i in &keep {
        if let Some(g) = first_gap_in(prev_end, i) {
            out.push(points[g]);
        }
        out.push(points[i]);
        prev_end = i + 1;
    }
    if let Some(g) = first_gap_in(prev_end, points.len()) {
        out.push(points[g]);
    }
    out
}
