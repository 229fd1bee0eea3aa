//! History stream and statistics decoding, the window buffer, request builders, splicing.
use fleet_deck_core::chart::value_at;
use fleet_deck_core::ha::history::*;
use fleet_deck_core::time::{parse_iso, to_iso};
use serde_json::{json, Value};

/// 2025-11-22T06:00:00Z
const START: f64 = 1_763_791_200.0;

fn values(s: &Series) -> Vec<Option<f64>> {
    s.points.iter().map(|p| p.v).collect()
}
fn times(s: &Series) -> Vec<f64> {
    s.points.iter().map(|p| p.t).collect()
}

#[test]
fn stream_chunks_decode_to_second_series() {
    let msg = decode_stream(
        r#"{"states":{
              "sensor.cpu":[{"s":"12","a":{"unit_of_measurement":"%"},"lu":1763791200.0},
                            {"s":"13.5","lu":1763791260.25},
                            {"s":"unavailable","lu":1763791320.0},
                            {"s":"unknown","lu":1763791380.0},
                            {"s":"on","lu":1763791440.0},
                            {"s":"14","lu":1763791500.0,"lc":1763791490.0}],
              "sensor.mem":[{"s":"512","lu":1763791200}]},
            "start_time":1763791200.0,"end_time":1763794800.0}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(msg.start_time, Some(START));
    assert_eq!(msg.end_time, Some(START + 3600.0));
    let series = msg.series();
    let cpu = &series["sensor.cpu"];
    assert_eq!(times(cpu), [START, START + 60.25, START + 120.0, START + 180.0, START + 240.0, START + 300.0]);
    assert_eq!(values(cpu), [Some(12.0), Some(13.5), None, None, None, Some(14.0)]);
    assert_eq!(values(&series["sensor.mem"]), [Some(512.0)]);
    assert_eq!(msg.states["sensor.cpu"][0].a.as_ref().map(|a| a.len()), Some(1));

    // A live update carries only `states`; an empty one is valid too.
    let live =
        decode_stream(r#"{"states":{"sensor.cpu":[{"s":"15","lu":1763794861.2}]}}"#).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(live.start_time, None);
    assert_eq!(values(&live.series()["sensor.cpu"]), [Some(15.0)]);
    assert!(decode_stream(r#"{"states":{}}"#).unwrap_or_default().states.is_empty());
}

#[test]
fn malformed_history_is_skipped_not_fatal() {
    let msg = decode_stream(
        r#"{"states":{"a":[{"s":"1","lu":10},7,null,{"s":"2"},{"s":"3","lu":"bad"},{"s":"4","lu":12,"zz":1}],
                      "b":"not a list","c":{"s":"1"}},
            "start_time":"2025-11-22T06:00:00Z","end_time":null,"extra":true}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(msg.start_time, Some(START), "ISO start times are accepted");
    assert_eq!(msg.end_time, None);
    assert_eq!(msg.states.len(), 1);
    // Rows without a usable time are dropped from the series.
    assert_eq!(times(&msg.series()["a"]), [10.0, 12.0]);
    assert!(decode_stream("{").is_err());
    assert!(decode_stream("null").is_err());
}

#[test]
fn history_during_period_result_decodes() {
    let h = decode_history(r#"{"sensor.cpu":[{"s":"1","a":{},"lu":100.5},{"s":"2","lu":160}],"sensor.x":[]}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(values(&rows_to_series(&h["sensor.cpu"])), [Some(1.0), Some(2.0)]);
    assert!(h["sensor.x"].is_empty());
    assert!(decode_history(r#"{"a":[]} trailing"#).is_err());
}

#[test]
fn statistics_millis_and_history_seconds_agree() {
    let stats = decode_statistics(
        r#"{"sensor.cpu":[
              {"start":1763791200000,"end":1763791500000,"mean":10.0,"min":8.0,"max":14.0},
              {"start":1763791500000,"end":1763791800000,"mean":null,"min":null,"max":null},
              {"start":1763791800000,"end":1763792100000,"mean":11.5,"min":9,"max":"15"}],
            "sensor.legacy":[{"start":"2025-11-22T06:00:00+00:00","end":"2025-11-22T06:05:00+00:00","mean":3}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let history =
        decode_stream(r#"{"states":{"sensor.cpu":[{"s":"10","lu":1763791200.0}]}}"#).unwrap_or_else(|e| panic!("{e}"));

    let mean = statistics_to_series(&stats["sensor.cpu"], StatField::Mean);
    assert_eq!(mean.points[0].t, history.series()["sensor.cpu"].points[0].t);
    assert_eq!(times(&mean), [START, START + 300.0, START + 600.0]);
    assert_eq!(values(&mean), [Some(10.0), None, Some(11.5)]);
    assert_eq!(stats["sensor.cpu"][0].end, Some(START + 300.0));
    assert_eq!(values(&statistics_to_series(&stats["sensor.cpu"], StatField::Max)), [Some(14.0), None, Some(15.0)]);
    assert_eq!(values(&statistics_to_series(&stats["sensor.cpu"], StatField::Min)), [Some(8.0), None, Some(9.0)]);
    // Cores before 2023.3 sent ISO strings.
    assert_eq!(times(&statistics_to_series(&stats["sensor.legacy"], StatField::Mean)), [START]);
    assert!(decode_statistics("[1]").unwrap_or_default().is_empty());
}

#[test]
fn buffer_merges_appends_and_trims_like_history_stream() {
    let window = 3600.0;
    let mut buf = HistoryBuffer::new(window);
    let initial = decode_stream(
        r#"{"states":{"sensor.cpu":[{"s":"10","lu":1763791200.0},{"s":"20","lu":1763792000.0},{"s":"30","lu":1763794000.0}],
                      "sensor.mem":[{"s":"100","lu":1763791200.0}]},
            "start_time":1763791200.0,"end_time":1763794800.0}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let now = START + window;
    assert_eq!(buf.process(&initial, now), ["sensor.cpu", "sensor.mem"]);
    assert_eq!(values(&buf.get("sensor.cpu").cloned().unwrap_or_default()), [Some(10.0), Some(20.0), Some(30.0)]);

    // Live append 10 minutes later: the start row expires, and the newest expired value is
    // moved to the window start so the line still begins at the left edge.
    let live =
        decode_stream(r#"{"states":{"sensor.cpu":[{"s":"40","lu":1763795400.0}]}}"#).unwrap_or_else(|e| panic!("{e}"));
    let now = now + 600.0;
    let changed = buf.process(&live, now);
    assert_eq!(changed, ["sensor.cpu"], "mem's start point only slid with the window: not a change");
    let cpu = buf.get("sensor.cpu").cloned().unwrap_or_default();
    assert_eq!(times(&cpu), [now - window, START + 800.0, START + 2800.0, START + 4200.0]);
    assert_eq!(values(&cpu), [Some(10.0), Some(20.0), Some(30.0), Some(40.0)]);
    let mem = buf.get("sensor.mem").cloned().unwrap_or_default();
    assert_eq!(times(&mem), [now - window]);

    // Out-of-order rows are sorted in; an exact duplicate is collapsed.
    let late = decode_stream(
        r#"{"states":{"sensor.cpu":[{"s":"35","lu":1763795000.0},{"s":"40","lu":1763795400.0}],"sensor.new":[{"s":"1","lu":1763795300.0}]}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    buf.process(&late, now);
    let cpu = buf.get("sensor.cpu").cloned().unwrap_or_default();
    assert_eq!(values(&cpu), [Some(10.0), Some(20.0), Some(30.0), Some(35.0), Some(40.0)]);
    assert!(buf.get("sensor.new").is_some());

    // A point exactly on the window start is kept as is and nothing is synthesised.
    let mut exact = HistoryBuffer::new(100.0);
    exact.push_points("x", &[Point::new(0.0, 1.0), Point::new(50.0, 2.0), Point::new(100.0, 3.0)]);
    assert_eq!(exact.trim(150.0), ["x"]);
    assert_eq!(exact.get("x").map(|s| s.points.clone()), Some(vec![Point::new(50.0, 2.0), Point::new(100.0, 3.0)]));
    assert!(exact.trim(150.0).is_empty(), "trimming is idempotent");

    // Once the kept start point sits on the window start, later trims only slide it along:
    // that is not a change (else every chart would redraw on every history event).
    let mut slide = HistoryBuffer::new(100.0);
    slide.push_points("x", &[Point::new(0.0, 1.0), Point::new(60.0, 2.0)]);
    assert_eq!(slide.trim(110.0), Vec::<String>::new(), "nothing dropped yet: the value at 0 is still in force at 10");
    assert_eq!(slide.get("x").map(|s| s.points.clone()), Some(vec![Point::new(10.0, 1.0), Point::new(60.0, 2.0)]));
    assert!(slide.trim(120.0).is_empty());
    assert_eq!(slide.get("x").map(|s| s.points[0]), Some(Point::new(20.0, 1.0)));
    assert_eq!(slide.trim(170.0), ["x"], "the value 1 left the window");
    assert_eq!(slide.get("x").map(|s| s.points.clone()), Some(vec![Point::new(70.0, 2.0)]));

    // Empty messages and windowless buffers change nothing.
    assert!(buf.process(&HistoryStreamMessage::default(), now).is_empty());
    let mut keep_all = HistoryBuffer::new(0.0);
    keep_all.push_points("x", &[Point::new(0.0, 1.0)]);
    assert!(keep_all.trim(1e12).is_empty());
    buf.clear();
    assert!(buf.is_empty());
}

/// Random chunks (in and out of order) against the untrimmed log: inside the window the
/// buffer always reads the same value as the full history.
#[test]
fn buffer_matches_full_history_inside_the_window() {
    let mut x: u64 = 0xA5A5_5A5A_1234_4321;
    let mut rnd = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    for _ in 0..50 {
        let window = 600.0 + rnd(3000) as f64;
        let mut buf = HistoryBuffer::new(window);
        let mut full: Vec<Point> = Vec::new();
        let mut now = START;
        for _ in 0..200 {
            now += rnd(120) as f64;
            let n = 1 + rnd(4);
            let mut rows = Vec::new();
            for _ in 0..n {
                // Mostly recent, sometimes a little late.
                let lateness = if rnd(10) == 0 { 300 } else { 5 };
                let t = now - rnd(lateness) as f64;
                let s = if rnd(15) == 0 { "unavailable".to_string() } else { rnd(100).to_string() };
                rows.push(json!({"s": s, "lu": t}));
                full.push(Point { t, v: numeric_state(&s) });
            }
            let msg =
                decode_stream(&json!({"states": {"sensor.x": rows}}).to_string()).unwrap_or_else(|e| panic!("{e}"));
            buf.process(&msg, now);
            full.sort_by(|a, b| a.t.total_cmp(&b.t));

            let series = buf.get("sensor.x").cloned().unwrap_or_default();
            assert!(series.points.windows(2).all(|w| w[0].t <= w[1].t), "unsorted");
            let from = now - window;
            assert!(series.points.iter().all(|p| p.t >= from), "point older than the window");
            for k in 0..20 {
                let t = from + (now - from) * k as f64 / 19.0;
                if full.first().is_some_and(|p| p.t <= t) {
                    assert_eq!(value_at(&series.points, t), value_at(&full, t), "at {t}");
                }
            }
        }
    }
}

#[test]
fn requests_have_the_documented_shape_and_no_nulls() {
    let start = to_iso(START);
    let msg = history_stream_request(&["sensor.cpu", "sensor.mem"], &start);
    assert_eq!(
        msg,
        json!({"type":"history/stream","entity_ids":["sensor.cpu","sensor.mem"],
               "start_time":"2025-11-22T06:00:00.000Z","minimal_response":true,"no_attributes":true,
               "significant_changes_only":false,"include_start_time_state":true})
    );
    let ids = vec![String::from("sensor.cpu")];
    let msg = statistics_request(&ids, "2025-11-21T07:00:00Z", None, pick_period(24.0));
    assert_eq!(
        msg,
        json!({"type":"recorder/statistics_during_period","start_time":"2025-11-21T07:00:00Z",
               "statistic_ids":["sensor.cpu"],"period":"5minute","types":["mean","min","max"]})
    );
    let msg = statistics_request(&ids, "2025-11-21T07:00:00Z", Some("2025-11-22T07:00:00Z"), "hour");
    assert_eq!(msg["end_time"], "2025-11-22T07:00:00Z");
    fn no_nulls(v: &Value) -> bool {
        match v {
            Value::Null => false,
            Value::Array(a) => a.iter().all(no_nulls),
            Value::Object(o) => o.values().all(no_nulls),
            _ => true,
        }
    }
    assert!(no_nulls(&msg) && no_nulls(&history_stream_request::<&str>(&[], "x")));
    assert_eq!(parse_iso(msg["start_time"].as_str().unwrap_or_default()), Some(START - 82_800.0));
}

#[test]
fn period_choice_bounds_the_bucket_count() {
    assert_eq!(pick_period(1.0), "5minute");
    assert_eq!(pick_period(24.0), "5minute");
    assert_eq!(pick_period(48.0), "5minute");
    assert_eq!(pick_period(50.0), "5minute");
    assert_eq!(pick_period(51.0), "hour");
    assert_eq!(pick_period(7.0 * 24.0), "hour");
    assert_eq!(pick_period(600.0), "hour");
    assert_eq!(pick_period(30.0 * 24.0), "day");
    assert_eq!(pick_period(5.0 * 365.0 * 24.0), "week");
    assert_eq!(pick_period(f64::NAN), "5minute");
    assert_eq!(pick_period(-3.0), "5minute");
    for h in [0.5, 3.0, 24.0, 49.0, 72.0, 240.0, 2000.0, 20_000.0] {
        let p = pick_period(h);
        let secs = period_secs(p).unwrap_or(f64::NAN);
        assert!(h * 3600.0 / secs <= MAX_STAT_BUCKETS, "{h} h with {p}");
    }
    assert_eq!(period_secs("5minute"), Some(300.0));
    assert_eq!(period_secs("fortnight"), None);
}

#[test]
fn splice_uses_statistics_only_before_history() {
    let stats = Series::new((0..12).map(|i| Point::new(START + 300.0 * i as f64, i as f64)).collect());
    let hist = Series::new(vec![
        Point::new(START + 1800.0, 100.0),
        Point::gap(START + 2000.0),
        Point::new(START + 3500.0, 101.0),
    ]);
    let joined = splice(&stats, &hist);
    assert_eq!(
        times(&joined),
        [
            START,
            START + 300.0,
            START + 600.0,
            START + 900.0,
            START + 1200.0,
            START + 1500.0,
            START + 1800.0,
            START + 2000.0,
            START + 3500.0
        ]
    );
    assert_eq!(joined.points[6].v, Some(100.0), "history wins at the seam");
    assert!(joined.points.windows(2).all(|w| w[0].t < w[1].t), "no duplicated overlap");
    assert_eq!(splice(&stats, &Series::default()), stats);
    assert_eq!(splice(&Series::default(), &hist), hist);
}
