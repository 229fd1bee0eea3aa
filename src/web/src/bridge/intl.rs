//! Locale-aware dates and times through the browser's `Intl`, in the user's language and time
//! zone (`hass.locale.time_zone`: the browser's own, or the server's).
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const cache = new Map();
function fmt(kind, lang, opts) {
  const key = kind + "|" + lang + "|" + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    try { f = kind === "rel" ? new Intl.RelativeTimeFormat(lang, opts) : new Intl.DateTimeFormat(lang, opts); }
    catch (_) { f = kind === "rel" ? new Intl.RelativeTimeFormat("en", opts) : new Intl.DateTimeFormat("en", opts); }
    cache.set(key, f);
  }
  return f;
}
export function intl_relative(lang, value, unit) { return fmt("rel", lang, { numeric: "auto" }).format(value, unit); }
export function intl_time(lang, ms, tz, withDate) {
  const opts = withDate ? { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  if (tz) opts.timeZone = tz;
  try { return fmt("dt", lang, opts).format(new Date(ms)); } catch (_) { delete opts.timeZone; return fmt("dt", lang, opts).format(new Date(ms)); }
}
export function intl_tick(lang, ms, tz, kind) {
  const opts = kind === 1 ? { month: "short", day: "numeric" } : { weekday: "short" };
  if (tz) opts.timeZone = tz;
  try { return fmt("dt", lang, opts).format(new Date(ms)); } catch (_) { delete opts.timeZone; return fmt("dt", lang, opts).format(new Date(ms)); }
}
export function intl_offset_minutes(tz, ms) {
  if (!tz) return -new Date(ms).getTimezoneOffset();
  try {
    const parts = fmt("dt", "en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" }).formatToParts(new Date(ms));
    const get = (t) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"));
    return Math.round((asUtc - Math.floor(ms / 60000) * 60000) / 60000);
  } catch (_) { return -new Date(ms).getTimezoneOffset(); }
}
"#)]
extern "C" {
    fn intl_relative(lang: &str, value: f64, unit: &str) -> String;
    fn intl_time(lang: &str, ms: f64, tz: &str, with_date: bool) -> String;
    fn intl_offset_minutes(tz: &str, ms: f64) -> i32;
    fn intl_tick(lang: &str, ms: f64, tz: &str, kind: u32) -> String;
}

/// Time settings of the current user.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TimeLocale {
    pub lang: String,
    /// IANA zone, or empty for the browser's own.
    pub time_zone: String,
}

impl TimeLocale {
    /// "5 minutes ago" in the user's language.
    pub fn relative(&self, now: f64, then: f64) -> String {
        let r = fleet_deck_core::time::relative(now, then);
        let unit = match r.unit {
            fleet_deck_core::time::RelUnit::Seconds => "second",
            fleet_deck_core::time::RelUnit::Minutes => "minute",
            fleet_deck_core::time::RelUnit::Hours => "hour",
            fleet_deck_core::time::RelUnit::Days => "day",
        };
        let v = if r.future { r.value as f64 } else { -(r.value as f64) };
        intl_relative(&self.lang, v, unit)
    }
    /// "14:05" (or "Nov 23, 14:05" with the date) in the user's zone.
    pub fn clock(&self, epoch_secs: f64, with_date: bool) -> String {
        intl_time(&self.lang, epoch_secs * 1000.0, &self.time_zone, with_date)
    }
    /// A time-axis label: the clock time, "23 Nov" or "Mon" in the user's language.
    pub fn tick(&self, tick: &fleet_deck_core::chart::TimeTick) -> String {
        use fleet_deck_core::chart::TickLabel;
        let kind = match tick.label {
            TickLabel::Time { .. } => return self.clock(tick.t, false),
            TickLabel::Date { .. } => 1,
            TickLabel::Weekday { .. } => 2,
        };
        intl_tick(&self.lang, tick.t * 1000.0, &self.time_zone, kind)
    }
    /// The user's zone offset from UTC at that moment, for chart ticks.
    pub fn offset_minutes(&self, epoch_secs: f64) -> i32 {
        intl_offset_minutes(&self.time_zone, epoch_secs * 1000.0)
    }
}
