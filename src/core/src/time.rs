//! Time without a date library.
//!
//! Home Assistant speaks two time dialects: ISO 8601 strings (`hass.states`, REST, service
//! results) and epoch numbers (compressed websocket states, history streams, statistics). The
//! core normalises everything to epoch **seconds** as `f64` and converts only here. Pulling in
//! chrono for this would cost wasm size for a handful of well-understood formulas.
//!
//! Civil-date conversion uses Howard Hinnant's `days_from_civil` / `civil_from_days`
//! algorithms (proleptic Gregorian, valid far beyond any date HA produces).

/// Days since 1970-01-01 for a proleptic Gregorian date. `month` is 1..=12, `day` 1..=31.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = month as i64;
    let mp = (m + 9) % 12; // March = 0, so the leap day is the last day of the year
    let doy = (153 * mp + 2) / 5 + day as i64 - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: `(year, month 1..=12, day 1..=31)`.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1..=12) of `year`; 0 for an invalid month.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses an ISO 8601 / RFC 3339 timestamp into epoch seconds.
///
/// Accepts what HA and its integrations actually emit: `2024-05-01T12:00:00Z`,
/// `…+00:00`, `…+0200`, `…-05`, fractional seconds of any length, a space instead of `T`,
/// lowercase `t`/`z`, a missing seconds field (`12:00`), and a bare date (midnight UTC).
/// A timestamp without any offset is taken as UTC because HA always stores UTC and the few
/// integrations that omit the suffix do so for UTC values. Returns `None` for anything else,
/// including out-of-range fields, so callers can treat garbage like an absent timestamp.
pub fn parse_iso(s: &str) -> Option<f64> {
    let b = s.trim().as_bytes();
    let mut p = Cursor { b, i: 0 };

    let negative_year = p.eat(b'-');
    let year = p.digits(4, 6)? as i64;
    let year = if negative_year { -year } else { year };
    if !p.eat(b'-') {
        return None;
    }
    let month = p.digits(2, 2)?;
    if !p.eat(b'-') {
        return None;
    }
    let day = p.digits(2, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) as f64 * 86_400.0;
    if p.done() {
        return Some(secs);
    }

    if !(p.eat(b'T') || p.eat(b't') || p.eat(b' ')) {
        return None;
    }
    let hour = p.digits(2, 2)?;
    if !p.eat(b':') {
        return None;
    }
    let minute = p.digits(2, 2)?;
    let mut second = 0;
    if p.eat(b':') {
        second = p.digits(2, 2)?;
    }
    // 24:00:00 is valid ISO for "end of day"; 60 seconds tolerates a leap second.
    if hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute | second) != 0) {
        return None;
    }
    let mut frac = 0.0;
    if p.eat(b'.') || p.eat(b',') {
        let start = p.i;
        let mut scale = 0.1;
        while let Some(d) = p.peek().filter(u8::is_ascii_digit) {
            frac += (d - b'0') as f64 * scale;
            scale /= 10.0;
            p.i += 1;
        }
        if p.i == start {
            return None;
        }
    }
    secs += (hour * 3600 + minute * 60 + second) as f64 + frac;

    let offset = match p.peek() {
        None => 0,
        Some(b'Z') | Some(b'z') => {
            p.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            p.i += 1;
            let oh = p.digits(2, 2)?;
            let om = if p.eat(b':') {
                p.digits(2, 2)?
            } else if p.done() {
                0
            } else {
                p.digits(2, 2)?
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let total = (oh * 3600 + om * 60) as i64;
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
        Some(_) => return None,
    };
    if !p.done() {
        return None;
    }
    Some(secs - offset as f64)
}

/// Formats epoch seconds as UTC `YYYY-MM-DDTHH:MM:SS.sssZ`, the form HA's websocket API
/// accepts for `start_time`/`end_time` (and what JS `Date.toISOString()` produces).
/// Non-finite input formats as the epoch rather than producing an unparsable string.
pub fn to_iso(epoch_secs: f64) -> String {
    let t = if epoch_secs.is_finite() { epoch_secs } else { 0.0 };
    // Round to whole milliseconds first so 59.9996 s carries into the minute instead of
    // printing ":59.1000".
    let total_ms = (t * 1000.0).round() as i64;
    let days = total_ms.div_euclid(86_400_000);
    let ms_of_day = total_ms.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, ms) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// The unit a [`Relative`] duration is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

/// A coarse "5 minutes ago" / "in 2 hours" description. Only the numbers live here; the web
/// layer formats them with `Intl.RelativeTimeFormat` so wording follows the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Relative {
    pub unit: RelUnit,
    pub value: i64,
    pub future: bool,
}

/// Describes `then` relative to `now` (both epoch seconds), picking the largest unit that
/// keeps the value ≥ 1, with thresholds like HA's frontend (`< 60 s` seconds, `< 60 min`
/// minutes, `< 24 h` hours, else days). Values are rounded down so "59 minutes" never
/// reads as "1 hour" before the hour is actually up.
pub fn relative(now: f64, then: f64) -> Relative {
    let delta = if now.is_finite() && then.is_finite() { then - now } else { 0.0 };
    let future = delta > 0.0;
    let secs = delta.abs().floor() as i64;
    let (unit, value) = if secs < 60 {
        (RelUnit::Seconds, secs)
    } else if secs < 3600 {
        (RelUnit::Minutes, secs / 60)
    } else if secs < 86_400 {
        (RelUnit::Hours, secs / 3600)
    } else {
        (RelUnit::Days, secs / 86_400)
    };
    Relative { unit, value, future }
}

/// Calendar and clock fields of an instant in a fixed-offset time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateParts {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    /// 0..=23
    pub hour: u32,
    /// 0..=59
    pub minute: u32,
    /// 0..=59
    pub second: u32,
    /// 0 = Monday … 6 = Sunday (ISO 8601 numbering, minus one).
    pub weekday: u32,
}

/// Breaks epoch seconds into local date/time fields for a UTC offset in minutes (positive
/// east of Greenwich, e.g. +120 for CEST). The web layer supplies the offset from the HA
/// server's or browser's time zone; DST transitions inside one chart window are ignored, which
/// shifts labels by an hour at most on two days a year.
pub fn date_parts(epoch_secs: f64, utc_offset_minutes: i32) -> DateParts {
    let t = if epoch_secs.is_finite() { epoch_secs } else { 0.0 };
    let local = t.floor() as i64 + utc_offset_minutes as i64 * 60;
    let days = local.div_euclid(86_400);
    let sod = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    DateParts {
        year,
        month,
        day,
        hour: (sod / 3600) as u32,
        minute: (sod / 60 % 60) as u32,
        second: (sod % 60) as u32,
        // 1970-01-01 was a Thursday (index 3).
        weekday: (days + 3).rem_euclid(7) as u32,
    }
}

/// Local wall-clock `(hour, minute)` for a UTC offset in minutes.
pub fn clock(epoch_secs: f64, utc_offset_minutes: i32) -> (u32, u32) {
    let p = date_parts(epoch_secs, utc_offset_minutes);
    (p.hour, p.minute)
}

/// Epoch seconds of the local midnight starting the day that contains `epoch_secs`.
pub fn start_of_local_day(epoch_secs: f64, utc_offset_minutes: i32) -> f64 {
    let off = utc_offset_minutes as f64 * 60.0;
    ((epoch_secs + off) / 86_400.0).floor() * 86_400.0 - off
}

/// A tiny byte cursor; keeps [`parse_iso`] linear and allocation-free.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

// Inlined into parse_iso: the bulk read parses 32,000 timestamps, and a call per field was
// most of the parse (`#[inline]` is only a hint, which the size profile ignores).
impl Cursor<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    #[inline(always)]
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    #[inline(always)]
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Reads between `min` and `max` ASCII digits.
    #[inline(always)]
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let mut n: u32 = 0;
        let start = self.i;
        while self.i - start < max {
            match self.peek() {
                Some(d) if d.is_ascii_digit() => {
                    n = n * 10 + (d - b'0') as u32;
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i - start >= min).then_some(n)
    }
}
