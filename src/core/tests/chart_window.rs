//! What the card's charts draw: metric entities per item, the window cut of statistics +
//! history, value formatting, and where the history subscription starts.
use fleet_deck_core::chart::*;
use fleet_deck_core::format::NumberFormat;
use fleet_deck_core::ha::history::{decode_statistics, history_start, recent_secs, statistic_point, statistics_max_age, statistics_to_series, StatField};
use fleet_deck_core::model::{ContainerRoles, DeviceRoles};

fn p(t: f64, v: f64) -> Point {
    Point::new(t, v)
}

#[test]
fn container_metrics_prefer_used_memory_and_keep_order() {
    let mut r = ContainerRoles {
        cpu: Some("sensor.c_cpu".into()),
        memory: Some("sensor.c_mem".into()),
        memory_pct: Some("sensor.c_mem_pct".into()),
        ..Default::default()
    };
    assert_eq!(
        container_metrics(&r),
        vec![(Metric::Cpu, "sensor.c_cpu".to_string()), (Metric::Memory, "sensor.c_mem".to_string())]
    );
    r.memory = None;
    assert_eq!(container_metrics(&r)[1], (Metric::Memory, "sensor.c_mem_pct".to_string()));
    r.cpu = None;
    assert_eq!(container_metrics(&r), vec![(Metric::Memory, "sensor.c_mem_pct".to_string())]);
    assert!(container_metrics(&ContainerRoles::default()).is_empty());
}

#[test]
fn device_metrics_include_temperature() {
    let r = DeviceRoles {
        cpu: Some("sensor.d_cpu".into()),
        temperature: Some("sensor.d_temp".into()),
        storage: Some("sensor.d_storage".into()),
        ..Default::default()
    };
    let m = device_metrics(&r);
    assert_eq!(m, vec![(Metric::Cpu, "sensor.d_cpu".into()), (Metric::Temperature, "sensor.d_temp".into())]);
    assert_eq!(Metric::Temperature.id(), "temperature");
    assert_eq!(Metric::Memory.label_key(), "chart.memory");
}

#[test]
fn metric_values_read_in_their_unit_and_locale() {
    let en = NumberFormat::default();
    let de = NumberFormat::from_locale("language", "de");
    assert_eq!(format_metric(&en, 12.34, "%"), "12\u{a0}%");
    assert_eq!(format_metric(&de, 3.84, "%"), "3,8\u{a0}%");
    assert_eq!(format_metric(&en, 41.26, "°C"), "41.3\u{a0}°C");
    assert_eq!(format_metric(&en, 612.4, "MB"), "612\u{a0}MB");
    assert_eq!(format_metric(&de, 1234.0, "MB"), "1.234\u{a0}MB");
    assert_eq!(format_metric(&en, 12.345, "MB"), "12.3\u{a0}MB");
    assert_eq!(format_metric(&en, 1.256, "GB"), "1.26\u{a0}GB");
    assert_eq!(format_metric(&en, 1.5, ""), "1.50");
}

#[test]
fn window_uses_statistics_only_before_history_and_starts_at_the_left_edge() {
    // 5-minute means from 0 to 3600; history from 3000 on.
    let stats: Vec<Point> = (0..12).map(|i| p(i as f64 * 300.0, i as f64)).collect();
    let hist = vec![p(3000.0, 50.0), p(3100.0, 51.0), Point::gap(3200.0), p(3300.0, 52.0)];
    let s = window_series(&stats, 300.0, &hist, 1000.0, 3600.0);
    let t: Vec<f64> = s.points.iter().map(|p| p.t).collect();
    // 900's value (3) carried to 1000, stats 1200..2700, then history, then carried to the end.
    assert_eq!(t, vec![1000.0, 1200.0, 1500.0, 1800.0, 2100.0, 2400.0, 2700.0, 3000.0, 3100.0, 3200.0, 3300.0, 3600.0]);
    assert_eq!(s.points[0].v, Some(3.0));
    assert_eq!(s.points[6].v, Some(9.0));
    assert_eq!(s.points[7].v, Some(50.0));
    assert_eq!(s.points[9].v, None, "gaps survive");
    assert_eq!(s.points.last().unwrap().v, Some(52.0));
    // Statistics at or after the first history point never appear.
    assert!(!s.points.iter().any(|p| p.v == Some(10.0) || p.v == Some(11.0)));
    // History from 3030 starts inside the bucket [3000, 3300): that bucket is left out, the
    // one before it (ending at 3000) is kept.
    let late = vec![p(3030.0, 50.0)];
    let s = window_series(&stats, 300.0, &late, 1000.0, 3600.0);
    assert!(s.points.iter().any(|q| q.t == 2700.0) && !s.points.iter().any(|q| q.t == 3000.0));
    // Without a bucket length every statistic before the first history point counts.
    let s = window_series(&stats, 0.0, &late, 1000.0, 3600.0);
    assert!(s.points.iter().any(|q| q.t == 3000.0 && q.v == Some(10.0)));
}

#[test]
fn window_edge_cases() {
    // A point exactly at the start is not duplicated.
    let s = window_series(&[], 300.0, &[p(90.0, 1.0), p(100.0, 2.0), p(150.0, 3.0)], 100.0, 200.0);
    assert_eq!(s.points, vec![p(100.0, 2.0), p(150.0, 3.0), p(200.0, 3.0)]);
    // Everything older than the window: one flat line at the value in force.
    let s = window_series(&[p(0.0, 7.0)], 300.0, &[], 100.0, 200.0);
    assert_eq!(s.points, vec![p(100.0, 7.0), p(200.0, 7.0)]);
    // Nothing at all.
    assert!(window_series(&[], 300.0, &[], 0.0, 10.0).is_empty());
    // A live row slightly ahead of the caller's clock is kept, and nothing is added after it.
    let s = window_series(&[], 300.0, &[p(50.0, 1.0), p(210.0, 2.0)], 0.0, 200.0);
    assert_eq!(s.points.last(), Some(&p(210.0, 2.0)));
    assert_eq!(s.len(), 2);
    // Statistics alone are drawn from the window start to the end.
    let s = window_series(&[p(0.0, 1.0), p(300.0, 2.0)], 300.0, &[], 100.0, 400.0);
    assert_eq!(s.points, vec![p(100.0, 1.0), p(300.0, 2.0), p(400.0, 2.0)]);
}

#[test]
fn value_domain_is_round_and_never_empty() {
    let (lo, hi) = value_domain(&[p(0.0, 3.2), Point::gap(1.0), p(2.0, 71.5)], 4);
    assert!(lo <= 3.2 && hi >= 71.5, "{lo}..{hi}");
    assert_eq!((lo, hi), (0.0, 80.0));
    assert_eq!(value_domain(&[Point::gap(0.0)], 4), (0.0, 1.0));
    let (lo, hi) = value_domain(&[p(0.0, 5.0), p(1.0, 5.0)], 3);
    assert!(lo < 5.0 && hi > 5.0, "a flat line is drawn mid-height: {lo}..{hi}");
}

#[test]
fn history_streams_only_the_recent_part_when_statistics_cover_everything() {
    let now = 1_763_800_000.0;
    let day = 86_400.0;
    // 24 h → 5-minute statistics → one hour of history.
    assert_eq!(recent_secs(day), 3600.0);
    assert_eq!(history_start(now, day, true), now - 3600.0);
    assert_eq!(history_start(now, day, false), now - day);
    // 7 days → hourly statistics → two hours.
    assert_eq!(recent_secs(7.0 * day), 7200.0);
    // A window shorter than an hour is streamed whole.
    assert_eq!(history_start(now, 1800.0, true), now - 1800.0);
    // Bad input falls back to a day.
    assert_eq!(history_start(now, f64::NAN, false), now - day);
    // Statistics fetched longer ago than this would leave a hole before the history.
    assert_eq!(statistics_max_age(day), 3300.0);
    assert_eq!(statistics_max_age(7.0 * day), 3600.0);
    for hours in [1.0, 6.0, 24.0, 48.0, 72.0, 168.0, 720.0] {
        let w = hours * 3600.0;
        assert!(statistics_max_age(w) < recent_secs(w));
        assert!(recent_secs(w) <= w);
    }
}

fn pts(v: &[(f64, Option<f64>)]) -> Vec<Point> {
    v.iter().map(|&(t, v)| Point { t, v }).collect()
}

#[test]
fn step_path_holds_each_value_until_the_next_point_and_breaks_at_gaps() {
    let x = Scale::new((0.0, 10.0), (0.0, 100.0));
    let y = Scale::new((0.0, 1.0), (50.0, 0.0));
    let p = pts(&[
        (0.0, Some(0.0)),
        (1.0, Some(0.5)),
        (2.0, Some(0.332)),
        (3.0, None), // 0.332 holds until here
        (4.0, Some(1.0)),
        (5.0, None),
        (6.0, Some(0.1)),
        (7.0, Some(0.1)), // level: merged into one H
        (7.001, Some(0.1)),
        (8.0, Some(-0.01)),
    ]);
    assert_eq!(step_path(&p, &x, &y), "M0 50H10V25H20V33.4H30M40 0H50M60 45H80V50.5");
    // A lone last point is a dot; a flat series one horizontal move; nothing gives nothing.
    assert_eq!(step_path(&pts(&[(0.0, None), (2.0, Some(1.0))]), &x, &y), "M20 0h0");
    assert_eq!(step_path(&pts(&[(0.0, Some(1.0)), (5.0, Some(1.0)), (10.0, Some(1.0))]), &x, &y), "M0 0H100");
    assert_eq!(step_path(&[], &x, &y), "");
    // Every drawn value appears as a V (or the M) at its own x: nothing is interpolated.
    let d = step_path(&pts(&[(0.0, Some(0.0)), (9.0, Some(0.6))]), &x, &y);
    assert_eq!(d, "M0 50H90V20");
}

#[test]
fn step_area_closes_each_run_to_the_base() {
    let x = Scale::new((0.0, 10.0), (0.0, 100.0));
    let y = Scale::new((0.0, 1.0), (50.0, 0.0));
    let p = pts(&[(0.0, Some(0.5)), (1.0, Some(1.0)), (2.0, None), (3.0, Some(0.2)), (6.0, Some(0.2)), (8.0, Some(0.4))]);
    assert_eq!(step_area_path(&p, &x, &y, 0.0), "M0 50V25H10V0H20V50ZM30 50V40H80V30V50Z");
    // A lone point at the end has no width and no area.
    assert_eq!(step_area_path(&pts(&[(3.0, Some(0.2))]), &x, &y, 0.0), "");
}

#[test]
fn statistic_points_read_without_serde_match_the_decoder() {
    let json = r#"{"sensor.cpu": [{"start": 1763708400000, "end": 1763708700000, "mean": 10.5}, {"start": 1763708700000, "mean": null}]}"#;
    let decoded = statistics_to_series(&decode_statistics(json).unwrap()["sensor.cpu"], StatField::Mean);
    let manual: Vec<Point> =
        [(1763708400000.0, Some(10.5)), (1763708700000.0, None)].iter().filter_map(|&(ms, v)| statistic_point(ms, v)).collect();
    assert_eq!(manual, decoded.points);
    assert_eq!(manual[0].t, 1_763_708_400.0, "milliseconds become seconds");
    assert_eq!(statistic_point(f64::NAN, Some(1.0)), None);
    assert_eq!(statistic_point(0.0, Some(f64::INFINITY)), Some(Point::gap(0.0)));
}

#[test]
fn coordinates_are_written_in_tenths() {
    let mut o = String::new();
    for v in [12.0, 3.54, -0.16, 0.04, f64::NAN, 1e12] {
        push_coord(&mut o, v);
        o.push(' ');
    }
    assert_eq!(o, "12 3.5 -0.2 0 0 100000000 ");
}

#[test]
fn a_sparkline_spans_the_history_there_is() {
    let day = 86_400.0;
    // Five minutes of history in a day's window: the sparkline starts at its first point, so
    // the line spans the whole sparkline and the last value is at the right edge.
    let young = window_series(&[], 300.0, &[p(day - 300.0, 4.0), p(day - 120.0, 6.0)], 0.0, day);
    let (t0, t1) = spark_domain(&young.points, 0.0, day);
    assert_eq!((t0, t1), (day - 300.0, day));
    let x = Scale::new((t0, t1), (0.0, 100.0));
    assert_eq!(step_path(&young.points, &x, &Scale::new((0.0, 10.0), (23.0, 1.0))), "M0 14.2H60V9.8H100");
    // A full window (the value in force is carried to the start) keeps the window.
    let full = window_series(&[], 300.0, &[p(-50.0, 1.0), p(day / 2.0, 2.0)], 0.0, day);
    assert_eq!(spark_domain(&full.points, 0.0, day), (0.0, day));
    // Nothing, or only a point at the end: the window (no zero-width axis).
    assert_eq!(spark_domain(&[], 0.0, day), (0.0, day));
    assert_eq!(spark_domain(&[p(day, 1.0)], 0.0, day), (0.0, day));
}
