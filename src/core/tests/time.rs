//! ISO parsing/formatting, civil-date arithmetic, relative times and local clocks.
use fleet_deck_core::time::*;

/// 2024-05-01T12:00:00Z
const T: f64 = 1_714_564_800.0;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn parses_the_forms_ha_and_integrations_emit() {
    let cases: &[(&str, f64)] = &[
        ("2024-05-01T12:00:00Z", T),
        ("2024-05-01T12:00:00+00:00", T),
        ("2024-05-01T12:00:00-00:00", T),
        ("2024-05-01T12:00:00.000Z", T),
        ("2024-05-01T12:00:00.5Z", T + 0.5),
        ("2024-05-01T12:00:00.123456+00:00", T + 0.123456),
        ("2024-05-01T12:00:00.123456789Z", T + 0.123456789),
        ("2024-05-01 12:00:00", T),
        ("2024-05-01 12:00:00+00:00", T),
        ("2024-05-01t12:00:00z", T),
        ("2024-05-01T14:00:00+02:00", T),
        ("2024-05-01T14:00:00+0200", T),
        ("2024-05-01T14:00:00+02", T),
        ("2024-05-01T07:00:00-05:00", T),
        ("2024-05-01T17:45:00+05:45", T),
        ("2024-05-01T12:00Z", T),
        ("2024-05-01T12:00", T),
        ("2024-05-01T12:00:00,25Z", T + 0.25),
        ("  2024-05-01T12:00:00Z\n", T),
        ("2024-05-01", T - 12.0 * 3600.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("2000-02-29T00:00:00Z", 951_782_400.0),
        ("2024-05-01T24:00:00Z", T + 12.0 * 3600.0),
    ];
    for (s, want) in cases {
        let got = parse_iso(s);
        assert!(got.is_some_and(|g| close(g, *want)), "{s}: got {got:?}, want {want}");
    }
}

#[test]
fn rejects_garbage_and_out_of_range_fields() {
    for s in [
        "",
        "now",
        "2024",
        "2024-05",
        "2024-13-01T00:00:00Z",
        "2024-00-10T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-05-01T25:00:00Z",
        "2024-05-01T24:00:01Z",
        "2024-05-01T12:60:00Z",
        "2024-05-01T12:00:61Z",
        "2024-05-01T12:00:00.Z",
        "2024-05-01T12:00:00+25:00",
        "2024-05-01T12:00:00+02:00x",
        "2024-05-01X12:00:00Z",
        "2024/05/01 12:00:00",
        "2024-05-01T12",
        "2024-05-01T12:00:00ZZ",
        "24-05-01T12:00:00Z",
    ] {
        assert_eq!(parse_iso(s), None, "{s:?} should not parse");
    }
}

#[test]
fn formats_like_js_to_iso_string() {
    assert_eq!(to_iso(T), "2024-05-01T12:00:00.000Z");
    assert_eq!(to_iso(0.0), "1970-01-01T00:00:00.000Z");
    assert_eq!(to_iso(T + 0.25), "2024-05-01T12:00:00.250Z");
    assert_eq!(to_iso(-1.0), "1969-12-31T23:59:59.000Z");
    // Rounding to milliseconds carries into the next minute instead of printing "60.000".
    assert_eq!(to_iso(T + 59.9996), "2024-05-01T12:01:00.000Z");
    assert_eq!(to_iso(951_782_400.0), "2000-02-29T00:00:00.000Z");
    assert_eq!(to_iso(f64::NAN), "1970-01-01T00:00:00.000Z");
}

#[test]
fn iso_round_trips_over_many_instants() {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..5_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Milliseconds between 1900 and 2200.
        let ms = (x % 9_467_280_000_000) as i64 - 2_208_988_800_000;
        let t = ms as f64 / 1000.0;
        let s = to_iso(t);
        let back = parse_iso(&s).unwrap_or(f64::NAN);
        assert!(close(back, t), "{t} -> {s} -> {back}");
    }
}

#[test]
fn civil_conversions_are_inverse_and_match_known_dates() {
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    assert_eq!(days_from_civil(1969, 12, 31), -1);
    assert_eq!(civil_from_days(19_844), (2024, 5, 1));
    assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    for d in -800_000..800_000i64 {
        if d % 97 != 0 {
            continue;
        }
        let (y, m, day) = civil_from_days(d);
        assert!((1..=12).contains(&m) && day >= 1 && day <= days_in_month(y, m));
        assert_eq!(days_from_civil(y, m, day), d);
    }
    assert!(is_leap_year(2000) && is_leap_year(2024) && !is_leap_year(1900) && !is_leap_year(2023));
    assert_eq!(days_in_month(2024, 2), 29);
    assert_eq!(days_in_month(2023, 2), 28);
    assert_eq!(days_in_month(2023, 13), 0);
}

#[test]
fn relative_picks_the_largest_whole_unit() {
    let r = |d: f64| relative(T, T + d);
    assert_eq!(r(0.0), Relative { unit: RelUnit::Seconds, value: 0, future: false });
    assert_eq!(r(-42.7), Relative { unit: RelUnit::Seconds, value: 42, future: false });
    assert_eq!(r(-59.9).unit, RelUnit::Seconds);
    assert_eq!(r(-60.0), Relative { unit: RelUnit::Minutes, value: 1, future: false });
    assert_eq!(r(-300.0), Relative { unit: RelUnit::Minutes, value: 5, future: false });
    assert_eq!(r(-3599.0), Relative { unit: RelUnit::Minutes, value: 59, future: false });
    assert_eq!(r(-3600.0), Relative { unit: RelUnit::Hours, value: 1, future: false });
    assert_eq!(r(-86_399.0), Relative { unit: RelUnit::Hours, value: 23, future: false });
    assert_eq!(r(-3.0 * 86_400.0), Relative { unit: RelUnit::Days, value: 3, future: false });
    assert_eq!(r(7200.0), Relative { unit: RelUnit::Hours, value: 2, future: true });
    assert_eq!(relative(T, f64::NAN).value, 0);
}

#[test]
fn clock_and_date_parts_respect_the_offset() {
    assert_eq!(clock(T, 0), (12, 0));
    assert_eq!(clock(T, 120), (14, 0));
    assert_eq!(clock(T, -300), (7, 0));
    assert_eq!(clock(T, 345), (17, 45));
    // Crossing midnight both ways.
    let late = T + 11.5 * 3600.0; // 23:30 UTC
    let p = date_parts(late, 60);
    assert_eq!((p.year, p.month, p.day, p.hour, p.minute), (2024, 5, 2, 0, 30));
    let p = date_parts(T - 12.5 * 3600.0, -60); // 2024-04-30T23:30Z, 22:30 at -01:00
    assert_eq!((p.month, p.day, p.hour, p.minute), (4, 30, 22, 30));
    // 2024-05-01 was a Wednesday (index 2, Monday = 0).
    assert_eq!(date_parts(T, 0).weekday, 2);
    assert_eq!(date_parts(0.0, 0).weekday, 3);
    assert_eq!(date_parts(late, 60).weekday, 3);
    assert_eq!(date_parts(T + 7.25, 0).second, 7);
}

#[test]
fn start_of_local_day_is_local_midnight() {
    assert_eq!(start_of_local_day(T, 0), T - 12.0 * 3600.0);
    // 12:00Z is 14:00 at +02:00; local midnight was 22:00Z the day before.
    assert_eq!(start_of_local_day(T, 120), T - 14.0 * 3600.0);
    assert_eq!(clock(start_of_local_day(T + 11.5 * 3600.0, 60), 60), (0, 0));
}
