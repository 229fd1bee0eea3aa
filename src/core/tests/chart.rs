//! Chart math: scales, ticks, downsampling (property-tested), paths, summaries, aggregation.
use fleet_deck_core::chart::*;
use fleet_deck_core::time::{clock, date_parts};

/// Seeded xorshift64: deterministic, dependency-free randomness.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn pts(v: &[(f64, Option<f64>)]) -> Vec<Point> {
    v.iter().map(|&(t, v)| Point { t, v }).collect()
}

// ---------------------------------------------------------------------------------------------
// Scale

#[test]
fn scale_maps_and_inverts() {
    let s = Scale::new((0.0, 100.0), (200.0, 0.0)); // SVG y: larger values higher
    assert_eq!(s.apply(0.0), 200.0);
    assert_eq!(s.apply(100.0), 0.0);
    assert_eq!(s.apply(25.0), 150.0);
    assert_eq!(s.invert(150.0), 25.0);
    let mut rng = XorShift(7);
    for _ in 0..1000 {
        let v = rng.unit() * 1e6 - 5e5;
        let s = Scale::new((-3.0, 1e4), (10.0, 910.0));
        assert!((s.invert(s.apply(v)) - v).abs() < 1e-6 * v.abs().max(1.0));
    }
    // Flat domain: centred, no NaN. Flat range: domain start.
    let flat = Scale::new((5.0, 5.0), (0.0, 100.0));
    assert_eq!(flat.apply(5.0), 50.0);
    assert_eq!(Scale::new((1.0, 2.0), (3.0, 3.0)).invert(3.0), 1.0);
    assert_eq!(s.apply_clamped(-50.0), 200.0);
    assert_eq!(s.apply_clamped(500.0), 0.0);
}

// ---------------------------------------------------------------------------------------------
// Ticks

fn is_nice_step(step: f64) -> bool {
    let power = 10f64.powf(step.log10().floor());
    let m = step / power;
    [1.0, 2.0, 5.0, 10.0].iter().any(|f| (m - f).abs() < 1e-9)
}

#[test]
fn nice_ticks_known_cases() {
    assert_eq!(nice_ticks(0.0, 100.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_eq!(nice_ticks(100.0, 0.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    assert_eq!(nice_ticks(-3.2, 7.9, 5), [-2.0, 0.0, 2.0, 4.0, 6.0]);
    assert_eq!(nice_ticks(0.0, 1.0, 10), [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]);
    assert_eq!(nice_ticks(0.1, 0.35, 5), [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
    assert_eq!(nice_ticks(12.0, 12.0, 5), [12.0]);
    assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
    assert!(nice_ticks(0.0, f64::INFINITY, 5).is_empty());
    assert_eq!(nice_ticks(0.0, 1e9, 4), [0.0, 2e8, 4e8, 6e8, 8e8, 1e9]);
}

#[test]
fn nice_ticks_are_nice_inside_and_evenly_spaced() {
    let mut rng = XorShift(0xC0FFEE);
    for _ in 0..5000 {
        let scale = 10f64.powi(rng.below(12) as i32 - 6);
        let a = (rng.unit() - 0.5) * 1000.0 * scale;
        let b = a + rng.unit() * 1000.0 * scale + 1e-9 * scale;
        let target = 2 + rng.below(10) as usize;
        let ticks = nice_ticks(a, b, target);
        assert!(!ticks.is_empty(), "{a}..{b} / {target}");
        assert!(ticks.len() <= target * 5 / 2 + 2, "{a}..{b} / {target}: {} ticks", ticks.len());
        for t in &ticks {
            assert!(*t >= a && *t <= b, "tick {t} outside {a}..{b}");
        }
        if ticks.len() >= 2 {
            let step = ticks[1] - ticks[0];
            assert!(is_nice_step(step), "step {step} for {a}..{b}");
            for w in ticks.windows(2) {
                assert!(((w[1] - w[0]) - step).abs() <= step * 1e-6, "uneven {ticks:?}");
            }
            for t in &ticks {
                let k = t / step;
                assert!((k - k.round()).abs() < 1e-6, "tick {t} not a multiple of {step}");
            }
        }
    }
}

#[test]
fn nice_domain_ends_on_gridlines() {
    assert_eq!(nice_domain(3.2, 97.1, 5), (0.0, 100.0));
    assert_eq!(nice_domain(0.0, 0.0, 5), (-1.0, 1.0));
    let (lo, hi) = nice_domain(50.0, 50.0, 5);
    assert!(lo < 50.0 && hi > 50.0);
    let mut rng = XorShift(99);
    for _ in 0..2000 {
        let a = rng.unit() * 200.0 - 100.0;
        let b = a + rng.unit() * 50.0 + 0.01;
        let (lo, hi) = nice_domain(a, b, 5);
        assert!(lo <= a && hi >= b, "{a}..{b} -> {lo}..{hi}");
        let ticks = nice_ticks(lo, hi, 5);
        assert_eq!(ticks.first(), Some(&lo), "{lo}..{hi}: {ticks:?}");
        assert_eq!(ticks.last(), Some(&hi), "{lo}..{hi}: {ticks:?}");
    }
}

/// 2024-05-01T12:07:00Z (a Wednesday).
const T0: f64 = 1_714_565_220.0;
const H: f64 = 3600.0;
const D: f64 = 86_400.0;

#[test]
fn time_ticks_follow_the_local_clock() {
    // 24 h at UTC+2: 4-hour ticks on local multiples of 4 h, i.e. 14:00Z first (16:00 local).
    let ticks = time_ticks(T0, T0 + D, 6, 120);
    let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels, ["16:00", "20:00", "00:00", "04:00", "08:00", "12:00"]);
    assert_eq!(ticks[0].0, T0 - 7.0 * 60.0 + 2.0 * H);
    // The same window in UTC has different instants.
    let utc = time_ticks(T0, T0 + D, 6, 0);
    assert_eq!(utc[0].0, T0 - 7.0 * 60.0 + 4.0 * H);
    assert_eq!(utc[0].1, "16:00");

    // Half-hour offsets (India, +05:30): hourly ticks land on :30 UTC.
    let ticks = time_ticks(T0, T0 + 6.0 * H, 6, 330);
    assert!(!ticks.is_empty());
    for (t, label) in &ticks {
        assert_eq!(((t / 60.0).round() as i64).rem_euclid(60), 30, "{label}");
        let (h, m) = clock(*t, 330);
        assert_eq!(label, &format!("{h:02}:{m:02}"));
        assert_eq!(m, 0);
    }

    // Negative offset: a tick at every local 3 h.
    for (t, label) in time_ticks(T0, T0 + 18.0 * H, 6, -300) {
        let (h, m) = clock(t, -300);
        assert_eq!((h % 3, m), (0, 0), "{label}");
        assert!((T0..=T0 + 18.0 * H).contains(&t));
    }
}

#[test]
fn axis_labels_near_an_edge_end_at_it() {
    // A 600-unit plot whose last tick sits 8 units from the right edge (a window ending 13
    // minutes after a round hour): "12:00 AM" centred there would run 18 units past it.
    assert_eq!(label_anchor(592.0, 8, 600.0), ("end", 600.0));
    // "00:00" fits centred there; so does any label in the middle.
    assert_eq!(label_anchor(580.0, 5, 600.0), ("middle", 580.0));
    assert_eq!(label_anchor(300.0, 8, 600.0), ("middle", 300.0));
    // The left edge works the same way.
    assert_eq!(label_anchor(10.0, 8, 600.0), ("start", 0.0));
}

#[test]
fn time_ticks_for_multi_day_windows() {
    // 3 days, 12 h ticks: midnights show the local date, noons the time.
    let ticks = time_ticks_detailed(T0, T0 + 3.0 * D, 6, 120);
    assert_eq!(ticks.len(), 6);
    for tick in &ticks {
        let p = date_parts(tick.t, 120);
        match tick.label {
            TickLabel::Date { day, month } => {
                assert_eq!((p.hour, p.minute, p.day, p.month), (0, 0, day, month));
            }
            TickLabel::Time { hour, minute } => assert_eq!((hour, minute, p.hour), (12, 0, 12)),
            other => panic!("unexpected {other:?}"),
        }
    }
    let labels: Vec<String> = time_ticks(T0, T0 + 3.0 * D, 6, 120).into_iter().map(|(_, l)| l).collect();
    assert_eq!(labels, ["02.05", "12:00", "03.05", "12:00", "04.05", "12:00"]);

    // A week of daily ticks: weekdays at local midnight.
    let ticks = time_ticks_detailed(T0, T0 + 7.0 * D, 7, -240);
    assert_eq!(ticks.len(), 7);
    for tick in &ticks {
        let p = date_parts(tick.t, -240);
        assert_eq!((p.hour, p.minute), (0, 0));
        assert!(matches!(tick.label, TickLabel::Weekday { weekday, .. } if weekday == p.weekday));
    }
    assert_eq!(time_ticks(T0, T0 + 7.0 * D, 7, -240)[0].1, "Thu");

    // A month: weekly ticks on local Mondays, labelled with the date.
    let ticks = time_ticks_detailed(T0, T0 + 30.0 * D, 5, 60);
    assert!(ticks.len() >= 4);
    for tick in &ticks {
        let p = date_parts(tick.t, 60);
        assert_eq!((p.weekday, p.hour, p.minute), (0, 0, 0));
        assert!(matches!(tick.label, TickLabel::Date { .. }));
    }
    assert!(time_ticks(T0, T0, 5, 0).is_empty());
    assert!(time_ticks(T0, T0 - 1.0, 5, 0).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Downsampling

fn random_series(rng: &mut XorShift, n: usize, gaps: bool) -> Vec<Point> {
    let mut t = 1_714_500_000.0 + rng.unit() * 1000.0;
    let mut v = rng.unit() * 100.0;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        // Mostly regular, sometimes bursty or with equal timestamps.
        t += match rng.below(10) {
            0 => 0.0,
            1 => rng.unit() * 600.0,
            _ => 5.0 + rng.unit() * 10.0,
        };
        v += (rng.unit() - 0.5) * 4.0;
        let spike = if rng.chance(1) { (rng.unit() - 0.5) * 1000.0 } else { 0.0 };
        let value = if gaps && rng.chance(4) { None } else { Some(v + spike) };
        out.push(Point { t, v: value });
    }
    out
}

/// Positions of `out` in `input`, asserting `out` is a subsequence.
fn positions(input: &[Point], out: &[Point]) -> Vec<usize> {
    let mut pos = Vec::with_capacity(out.len());
    let mut i = 0;
    for p in out {
        while i < input.len() && input[i] != *p {
            i += 1;
        }
        assert!(i < input.len(), "output point {p:?} is not in the input (in order)");
        pos.push(i);
        i += 1;
    }
    pos
}

#[test]
fn downsample_keeps_every_extreme_and_order() {
    let mut rng = XorShift(0x5EED_0001);
    for round in 0..400 {
        let gaps = round % 2 == 1;
        let n = rng.below(6000) as usize;
        let buckets = 1 + rng.below(300) as usize;
        let input = random_series(&mut rng, n, gaps);
        let out = downsample(&input, buckets);

        if input.len() <= 4 * buckets {
            assert_eq!(out, input, "input within budget is returned unchanged");
            continue;
        }
        let has_gap = input.iter().any(|p| p.v.is_none());
        if buckets >= 3 || !has_gap {
            assert!(out.len() <= 4 * buckets, "{} points for {buckets} buckets", out.len());
        } else {
            assert!(out.len() <= 9);
        }
        let pos = positions(&input, &out);
        assert!(out.windows(2).all(|w| w[0].t <= w[1].t));

        // Global extremes survive.
        let valid: Vec<f64> = input.iter().filter_map(|p| p.v).collect();
        if let (Some(min), Some(max)) = (valid.iter().copied().reduce(f64::min), valid.iter().copied().reduce(f64::max))
        {
            assert!(out.iter().any(|p| p.v == Some(min)), "global min {min} lost");
            assert!(out.iter().any(|p| p.v == Some(max)), "global max {max} lost");
        }

        // Never bridge a gap: consecutive kept values have no gap between them in the input,
        // and gaps at the ends stay at the ends.
        let gap_prefix: Vec<usize> = std::iter::once(0)
            .chain(input.iter().scan(0, |c, p| {
                *c += p.v.is_none() as usize;
                Some(*c)
            }))
            .collect();
        for w in pos.windows(2) {
            let (i, j) = (w[0], w[1]);
            if input[i].v.is_some() && input[j].v.is_some() {
                assert_eq!(gap_prefix[j] - gap_prefix[i + 1], 0, "gap bridged between {i} and {j}");
            }
        }
        let last_valid = input.iter().rposition(|p| p.v.is_some());
        if let (Some(lv), Some(last)) = (last_valid, out.last()) {
            if input[lv + 1..].iter().any(|p| p.v.is_none()) {
                assert!(last.v.is_none(), "trailing gap lost");
            }
        }
        if has_gap {
            assert!(out.iter().any(|p| p.v.is_none()), "all gaps lost");
        }

        // Without gaps nothing forces fewer columns, so every column's first/min/max/last
        // survives.
        if !has_gap && !input.is_empty() {
            let t0 = input[0].t;
            let width = input[input.len() - 1].t - t0;
            let col = |t: f64| {
                if width <= 0.0 {
                    0
                } else {
                    (((t - t0) / width * buckets as f64) as usize).min(buckets - 1)
                }
            };
            let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); buckets];
            for (i, p) in input.iter().enumerate() {
                by_col[col(p.t)].push(i);
            }
            let mut kept_by_col: Vec<Vec<usize>> = vec![Vec::new(); buckets];
            for &i in &pos {
                kept_by_col[col(input[i].t)].push(i);
            }
            for (members, kept) in by_col.iter().zip(&kept_by_col).filter(|(m, _)| !m.is_empty()) {
                let vals: Vec<f64> = members.iter().filter_map(|&i| input[i].v).collect();
                let (min, max) = (
                    vals.iter().copied().fold(f64::INFINITY, f64::min),
                    vals.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                );
                assert!(kept.len() <= 4);
                assert!(kept.iter().any(|&i| input[i].v == Some(min)), "column min lost");
                assert!(kept.iter().any(|&i| input[i].v == Some(max)), "column max lost");
                assert!(kept.contains(&members[0]), "column first lost");
                assert!(kept.contains(members.last().unwrap_or(&usize::MAX)), "column last lost");
            }
        }
    }
}

#[test]
fn downsample_edge_cases() {
    assert!(downsample(&[], 10).is_empty());
    assert!(downsample(&pts(&[(0.0, Some(1.0))]), 0).is_empty());
    // All gaps: one marker survives.
    let all_gaps: Vec<Point> = (0..100).map(|i| Point::gap(i as f64)).collect();
    assert_eq!(downsample(&all_gaps, 5), [Point::gap(0.0)]);
    // All at the same instant: one column, its extremes in input order.
    let same_t: Vec<Point> = (0..100).map(|i| Point::new(5.0, ((i * 37) % 101) as f64)).collect();
    let out = downsample(&same_t, 3);
    assert!(out.len() <= 4 && out.iter().any(|p| p.v == Some(0.0)) && out.iter().any(|p| p.v == Some(100.0)));
    // Non-finite times are ignored, never a panic.
    let mut odd: Vec<Point> = (0..50).map(|i| Point::new(i as f64, i as f64)).collect();
    odd.push(Point::new(f64::NAN, 1.0));
    odd.push(Point::new(f64::INFINITY, 1.0));
    let out = downsample(&odd, 2);
    assert!(out.iter().all(|p| p.t.is_finite()) && out.len() <= 8);
}

// ---------------------------------------------------------------------------------------------
// Paths

#[test]
fn line_path_is_compact_and_breaks_at_gaps() {
    let x = Scale::new((0.0, 10.0), (0.0, 100.0));
    let y = Scale::new((0.0, 1.0), (50.0, 0.0));
    let p = pts(&[
        (0.0, Some(0.0)),
        (1.0, Some(0.5)),
        (2.0, Some(0.332)),
        (3.0, None),
        (4.0, Some(1.0)),
        (5.0, None),
        (6.0, Some(0.1)),
        (7.0, Some(0.1)),
        (7.001, Some(0.1)), // same rounded pixel: skipped
        (8.0, Some(-0.01)),
    ]);
    assert_eq!(line_path(&p, &x, &y), "M0 50L10 25L20 33.4M40 0h0M60 45L70 45L80 50.5");
    // A leading gap and NaN/inf values are gaps; negative zero prints as 0.
    let q = pts(&[(0.0, None), (1.0, Some(f64::NAN)), (2.0, Some(1.0)), (3.0, Some(1.0))]);
    let y2 = Scale::new((0.0, 1.0), (50.0, -0.01));
    assert_eq!(line_path(&q, &x, &y2), "M20 0L30 0");
    assert_eq!(line_path(&[], &x, &y), "");
    let neg = Scale::new((0.0, 10.0), (0.0, -100.0));
    assert_eq!(line_path(&pts(&[(2.5, Some(0.0)), (5.0, Some(0.0))]), &neg, &y), "M-25 50L-50 50");
}

#[test]
fn area_path_closes_each_run_to_the_base() {
    let x = Scale::new((0.0, 10.0), (0.0, 100.0));
    let y = Scale::new((0.0, 1.0), (50.0, 0.0));
    let p = pts(&[
        (0.0, Some(0.5)),
        (1.0, Some(1.0)),
        (2.0, None),
        (3.0, Some(0.2)),
        (5.0, None),
        (6.0, Some(0.2)),
        (8.0, Some(0.4)),
    ]);
    assert_eq!(area_path(&p, &x, &y, 0.0), "M0 50L0 25L10 0L10 50ZM60 50L60 40L80 30L80 50Z");
}

// ---------------------------------------------------------------------------------------------
// Summaries and lookups

#[test]
fn summarize_is_time_weighted() {
    // 90 for 60 s, 10 for 540 s, then a gap: time-weighted mean 18, plain mean would be 50.
    let p = pts(&[(0.0, Some(90.0)), (60.0, Some(10.0)), (600.0, None), (700.0, Some(30.0))]);
    let s = summarize(&p).unwrap_or_else(|| panic!("no stats"));
    assert_eq!((s.min, s.min_at, s.max, s.max_at), (10.0, 60.0, 90.0, 0.0));
    assert!((s.mean - 18.0).abs() < 1e-9, "{}", s.mean);
    assert_eq!((s.last, s.last_at, s.count), (30.0, 700.0, 3));
    // No duration: plain mean.
    let s = summarize(&pts(&[(5.0, Some(1.0)), (5.0, Some(3.0))])).unwrap_or_else(|| panic!("no stats"));
    assert_eq!(s.mean, 2.0);
    assert!(summarize(&pts(&[(1.0, None)])).is_none());
    assert!(summarize(&[]).is_none());
    // First occurrence wins for ties.
    let s = summarize(&pts(&[(0.0, Some(5.0)), (1.0, Some(5.0))])).unwrap_or_else(|| panic!("no stats"));
    assert_eq!((s.min_at, s.max_at), (0.0, 0.0));
}

#[test]
fn nearest_and_value_at() {
    let p = pts(&[(10.0, Some(1.0)), (20.0, None), (30.0, Some(3.0))]);
    assert_eq!(nearest(&p, 0.0), Some(p[0]));
    assert_eq!(nearest(&p, 14.9), Some(p[0]));
    assert_eq!(nearest(&p, 15.0), Some(p[0]), "tie goes to the earlier point");
    assert_eq!(nearest(&p, 15.1), Some(p[1]));
    assert_eq!(nearest(&p, 26.0), Some(p[2]));
    assert_eq!(nearest(&p, 1e12), Some(p[2]));
    assert_eq!(nearest(&p, f64::NAN), None);
    assert_eq!(nearest(&[], 1.0), None);

    assert_eq!(value_at(&p, 9.0), None);
    assert_eq!(value_at(&p, 10.0), Some(1.0));
    assert_eq!(value_at(&p, 19.9), Some(1.0));
    assert_eq!(value_at(&p, 25.0), None, "gap in force");
    assert_eq!(value_at(&p, 99.0), Some(3.0));
}

#[test]
fn combine_averages_and_maxes_over_aligned_buckets() {
    // Bucket = 60 s, epoch-aligned. Series a reports only on change (carry forward).
    let a = Series::new(pts(&[(60.0, Some(10.0)), (130.0, Some(30.0)), (250.0, None)]));
    let b = Series::new(pts(&[(125.0, Some(50.0)), (135.0, Some(70.0)), (200.0, Some(0.0))]));
    let avg = combine(&[&a, &b], Agg::Avg, 60.0);
    let max = combine(&[&a, &b], Agg::Max, 60.0);
    let times: Vec<f64> = avg.points.iter().map(|p| p.t).collect();
    assert_eq!(times, [60.0, 120.0, 180.0, 240.0]);
    let av: Vec<Option<f64>> = avg.points.iter().map(|p| p.v).collect();
    let mx: Vec<Option<f64>> = max.points.iter().map(|p| p.v).collect();
    // 60: a=10 only. 120: a={10 carried, 30}=20, b={50,70}=60 -> 40; max 70.
    // 180: a=30 (carried), b={70 carried, 0}=35 -> 32.5; max 70.
    // 240: a: 30 carried until the gap at 250 -> 30; b=0 -> 15; max 30.
    assert_eq!(av, [Some(10.0), Some(40.0), Some(32.5), Some(15.0)]);
    assert_eq!(mx, [Some(10.0), Some(70.0), Some(70.0), Some(30.0)]);

    let sum = combine(&[&a, &b], Agg::Sum, 60.0);
    assert_eq!(sum.points[1].v, Some(80.0), "sum adds each member's bucket average");
    let min = combine(&[&a, &b], Agg::Min, 60.0);
    assert_eq!(min.points[1].v, Some(10.0));

    // A bucket nobody covers is a gap; the gapped series stops contributing.
    let c = Series::new(pts(&[(0.0, Some(1.0)), (30.0, None), (200.0, Some(2.0))]));
    let out = combine(&[&c], Agg::Avg, 60.0);
    let v: Vec<Option<f64>> = out.points.iter().map(|p| p.v).collect();
    assert_eq!(v, [Some(1.0), None, None, Some(2.0)]);

    assert!(combine(&[], Agg::Avg, 60.0).is_empty());
    // Absurd bucket sizes are widened instead of allocating without bound.
    let wide = Series::new(pts(&[(0.0, Some(1.0)), (1e9, Some(1.0))]));
    assert!(combine(&[&wide], Agg::Max, 0.001).len() <= 100_001);
    assert_eq!(combine(&[&wide], Agg::Max, f64::NAN).points[0].t, 0.0);
}

#[test]
fn series_helpers() {
    let mut s = Series::new(pts(&[(2.0, Some(5.0)), (1.0, Some(-1.0)), (3.0, None)]));
    s.sort();
    assert_eq!(s.points[0].t, 1.0);
    assert_eq!(s.time_range(), Some((1.0, 3.0)));
    assert_eq!(s.value_range(), Some((-1.0, 5.0)));
    assert_eq!(s.last_valid(), Some(Point::new(2.0, 5.0)));
    s.extend_to(10.0);
    assert_eq!(s.points.last(), Some(&Point::gap(10.0)), "a trailing gap stays a gap");
    s.extend_to(5.0);
    assert_eq!(s.len(), 4);
}
