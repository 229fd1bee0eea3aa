//! History and long-term statistics: decoding, a live window buffer, and request builders.
//!
//! Two sources feed the card's charts:
//! - `history/stream`: every recorded state change (epoch **seconds**), pushed live. Exact but
//!   heavy, and limited to the recorder's retention (10 days by default).
//! - `recorder/statistics_during_period`: 5-minute/hourly mean/min/max (epoch
//!   **milliseconds**) for entities with a `state_class`. Cheap for long windows and many
//!   containers, but lags up to one period behind.
//!
//! Both become [`Series`] with epoch-second times, so the chart code never sees the difference;
//! [`splice`] joins statistics for the distant past with live history for the recent part.
use super::events::lenient;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

pub use crate::chart::{Point, Series};

/// One row of a history response (compressed state). With `minimal_response` only the first
/// row per entity carries attributes; later ones are just `{s, lu}`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct HistoryRow {
    #[serde(deserialize_with = "lenient::string")]
    pub s: Option<String>,
    #[serde(deserialize_with = "lenient::object")]
    pub a: Option<Map<String, Value>>,
    /// last_updated, epoch seconds.
    #[serde(deserialize_with = "lenient::epoch_secs")]
    pub lu: Option<f64>,
    /// last_changed, epoch seconds; only sent when it differs from `lu`.
    #[serde(deserialize_with = "lenient::epoch_secs")]
    pub lc: Option<f64>,
}

impl HistoryRow {
    /// When this row took effect: `lu`, or `lc` if a producer sent only that.
    pub fn time(&self) -> Option<f64> {
        self.lu.or(self.lc)
    }
    /// The numeric value, `None` for unavailable/unknown/non-numeric states (a gap).
    pub fn value(&self) -> Option<f64> {
        numeric_state(self.s.as_deref()?)
    }
    /// The row as a chart point; `None` when it has no usable time.
    pub fn point(&self) -> Option<Point> {
        Some(Point { t: self.time()?, v: self.value() })
    }
}

/// Parses a state string as a chart value. Mirrors [`super::EntityState::number`].
pub fn numeric_state(s: &str) -> Option<f64> {
    match s {
        "unavailable" | "unknown" | "" | "None" => None,
        s => s.trim().parse::<f64>().ok().filter(|v| v.is_finite()),
    }
}

/// `{entity_id: [row, …]}`, the shape of `history/history_during_period` results and of a
/// stream message's `states`.
pub type HistoryStates = HashMap<String, Vec<HistoryRow>>;

/// One `history/stream` event: the initial chunk (with `start_time`/`end_time`) or a live
/// update (usually only `states`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct HistoryStreamMessage {
    #[serde(deserialize_with = "states_map")]
    pub states: HistoryStates,
    #[serde(deserialize_with = "lenient::epoch_secs")]
    pub start_time: Option<f64>,
    #[serde(deserialize_with = "lenient::epoch_secs")]
    pub end_time: Option<f64>,
}

fn states_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<HistoryStates, D::Error> {
    Ok(lenient::map_of_lists(d)?.unwrap_or_default())
}

impl HistoryStreamMessage {
    /// Every entity's rows as a series (sorted by time).
    pub fn series(&self) -> HashMap<String, Series> {
        self.states.iter().map(|(id, rows)| (id.clone(), rows_to_series(rows))).collect()
    }
}

/// Rows → series: rows without a time are dropped, the rest sorted by time.
pub fn rows_to_series(rows: &[HistoryRow]) -> Series {
    let mut s = Series::new(rows.iter().filter_map(HistoryRow::point).collect());
    s.sort();
    s
}

/// Decodes a `history/stream` event payload.
pub fn decode_stream(json: &str) -> Result<HistoryStreamMessage, String> {
    serde_json::from_str(json).map_err(|e| format!("invalid history/stream event: {e}"))
}

/// Decodes a `history/history_during_period` result.
pub fn decode_history(json: &str) -> Result<HistoryStates, String> {
    let mut de = serde_json::Deserializer::from_str(json);
    let states = states_map(&mut de).map_err(|e| format!("invalid history result: {e}"))?;
    de.end().map_err(|e| format!("invalid history result: {e}"))?;
    Ok(states)
}

/// One statistics bucket. Times are converted to epoch **seconds** on decoding (the wire has
/// milliseconds), so they compare directly with history times.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StatRow {
    /// Bucket start, epoch seconds.
    #[serde(deserialize_with = "lenient::epoch_millis_as_secs")]
    pub start: Option<f64>,
    /// Bucket end, epoch seconds.
    #[serde(deserialize_with = "lenient::epoch_millis_as_secs")]
    pub end: Option<f64>,
    #[serde(deserialize_with = "lenient::number")]
    pub mean: Option<f64>,
    #[serde(deserialize_with = "lenient::number")]
    pub min: Option<f64>,
    #[serde(deserialize_with = "lenient::number")]
    pub max: Option<f64>,
    /// Present for `sum`-type statistics (meters) when requested.
    #[serde(deserialize_with = "lenient::number")]
    pub state: Option<f64>,
    #[serde(deserialize_with = "lenient::number")]
    pub sum: Option<f64>,
}

/// Which statistic becomes the series value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StatField {
    #[default]
    Mean,
    Min,
    Max,
    State,
    Sum,
}

impl StatRow {
    pub fn get(&self, field: StatField) -> Option<f64> {
        match field {
            StatField::Mean => self.mean,
            StatField::Min => self.min,
            StatField::Max => self.max,
            StatField::State => self.state,
            StatField::Sum => self.sum,
        }
    }
}

/// `{statistic_id: [bucket, …]}`.
pub type StatisticsResult = HashMap<String, Vec<StatRow>>;

/// Decodes a `recorder/statistics_during_period` result.
pub fn decode_statistics(json: &str) -> Result<StatisticsResult, String> {
    let mut de = serde_json::Deserializer::from_str(json);
    let rows =
        lenient::map_of_lists(&mut de).map_err(|e| format!("invalid statistics result: {e}"))?.unwrap_or_default();
    de.end().map_err(|e| format!("invalid statistics result: {e}"))?;
    Ok(rows)
}

/// Buckets → series, one point per bucket at its start time (as HA's statistics chart plots
/// them); a bucket without the requested field is a gap.
pub fn statistics_to_series(rows: &[StatRow], field: StatField) -> Series {
    let mut s = Series::new(
        rows.iter().filter_map(|r| Some(Point { t: r.start?, v: r.get(field).filter(|v| v.is_finite()) })).collect(),
    );
    s.sort();
    s
}

/// One statistics bucket read without serde (the web layer walks the JS result object): its
/// `start` in epoch **milliseconds** and the statistic's value, as a chart point in epoch
/// seconds. `None` for a start that is not a finite number.
pub fn statistic_point(start_ms: f64, value: Option<f64>) -> Option<Point> {
    start_ms.is_finite().then(|| Point { t: start_ms / 1000.0, v: value.filter(|v| v.is_finite()) })
}

/// Joins long-term statistics with recent history: statistics points before the first
/// history point, then the history. Where both cover the same time, history wins because it
/// is exact and live; statistics only fill the past that history does not reach (beyond
/// retention, or deliberately not streamed to keep a long window cheap).
pub fn splice(statistics: &Series, history: &Series) -> Series {
    let Some(cutoff) = history.points.first().map(|p| p.t) else { return statistics.clone() };
    let older = statistics.points.partition_point(|p| p.t < cutoff);
    let mut points = Vec::with_capacity(older + history.len());
    points.extend_from_slice(&statistics.points[..older]);
    points.extend_from_slice(&history.points);
    Series { points }
}

/// Per-entity series for a sliding window, fed by `history/stream` messages.
///
/// Follows HA's `HistoryStream.processMessage`: new rows are appended (sorted if they arrive
/// out of order), and points older than the window are dropped except the newest expired one,
/// which is moved to the window start so the line still begins at the left edge with the
/// value that was in force then. Exact duplicates (same time and value, e.g. after a
/// resubscribe without [`HistoryBuffer::clear`]) are collapsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryBuffer {
    window_secs: f64,
    series: HashMap<String, Series>,
}

impl HistoryBuffer {
    /// A buffer keeping `window_secs` of history; a non-positive or non-finite window keeps
    /// everything.
    pub fn new(window_secs: f64) -> Self {
        HistoryBuffer { window_secs, series: HashMap::new() }
    }
    pub fn window_secs(&self) -> f64 {
        self.window_secs
    }
    pub fn set_window_secs(&mut self, window_secs: f64) {
        self.window_secs = window_secs;
    }
    pub fn get(&self, entity_id: &str) -> Option<&Series> {
        self.series.get(entity_id)
    }
    pub fn series(&self) -> &HashMap<String, Series> {
        &self.series
    }
    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }
    /// Forgets everything; call before resubscribing with a fresh `start_time`.
    pub fn clear(&mut self) {
        self.series.clear();
    }
    pub fn remove(&mut self, entity_id: &str) -> Option<Series> {
        self.series.remove(entity_id)
    }

    /// Merges one stream message and trims to the window ending at `now` (epoch seconds).
    /// Returns the ids whose series changed, sorted.
    pub fn process(&mut self, msg: &HistoryStreamMessage, now: f64) -> Vec<String> {
        let mut changed = Vec::new();
        for (id, rows) in &msg.states {
            let mut incoming: Vec<Point> = rows.iter().filter_map(HistoryRow::point).collect();
            if incoming.is_empty() {
                continue;
            }
            if self.append(id, &mut incoming) {
                changed.push(id.clone());
            }
        }
        changed.extend(self.trim(now));
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// Appends points for one entity (e.g. from statistics or a test), keeping time order.
    /// Returns whether the series changed.
    pub fn push_points(&mut self, entity_id: &str, points: &[Point]) -> bool {
        let mut incoming = points.to_vec();
        self.append(entity_id, &mut incoming)
    }

    fn append(&mut self, id: &str, incoming: &mut Vec<Point>) -> bool {
        let series = self.series.entry(id.to_string()).or_default();
        let before = series.len();
        let in_order = incoming.windows(2).all(|w| w[0].t <= w[1].t)
            && match (series.points.last(), incoming.first()) {
                (Some(last), Some(first)) => last.t <= first.t,
                _ => true,
            };
        series.points.append(incoming);
        if in_order {
            // Only the seam can hold a duplicate.
            if before > 0 && before < series.points.len() && series.points[before - 1] == series.points[before] {
                series.points.remove(before);
            }
        } else {
            series.points.sort_by(|a, b| a.t.total_cmp(&b.t));
            series.points.dedup();
        }
        series.len() != before
    }

    /// Drops points older than `now - window` (keeping the value in force at the window
    /// start, see the type docs). Returns the ids whose series changed.
    pub fn trim(&mut self, now: f64) -> Vec<String> {
        let mut changed = Vec::new();
        if !(self.window_secs.is_finite() && self.window_secs > 0.0 && now.is_finite()) {
            return changed;
        }
        let purge_before = now - self.window_secs;
        for (id, series) in &mut self.series {
            if trim_points(&mut series.points, purge_before) {
                changed.push(id.clone());
            }
        }
        changed
    }
}

/// Returns whether a value was dropped. Sliding the kept start point along with the window
/// is not a change: it happens on every call once a series reaches back to the window start,
/// and reporting it made every chart redraw on every history event. Charts slide their own
/// window on their clock.
fn trim_points(points: &mut Vec<Point>, purge_before: f64) -> bool {
    let expired = points.partition_point(|p| p.t < purge_before);
    if expired == 0 {
        return false;
    }
    if points.get(expired).is_some_and(|p| p.t == purge_before) {
        points.drain(..expired);
        true
    } else {
        points.drain(..expired - 1);
        if let Some(first) = points.first_mut() {
            first.t = purge_before;
        }
        expired > 1
    }
}

/// The `history/stream` subscription message: numeric history without attributes, every
/// change (not only "significant" ones, which would drop most sensor updates), live because
/// no `end_time` is sent. Optional fields are omitted, never `null` (HA rejects `null`).
pub fn history_stream_request<S: AsRef<str>>(entity_ids: &[S], start_iso: &str) -> Value {
    json!({
        "type": "history/stream",
        "entity_ids": entity_ids.iter().map(AsRef::as_ref).collect::<Vec<&str>>(),
        "start_time": start_iso,
        "minimal_response": true,
        "no_attributes": true,
        "significant_changes_only": false,
        "include_start_time_state": true,
    })
}

/// The `recorder/statistics_during_period` request for mean/min/max. `end_iso: None` means
/// "until now" and is omitted from the message.
pub fn statistics_request<S: AsRef<str>>(
    statistic_ids: &[S],
    start_iso: &str,
    end_iso: Option<&str>,
    period: &str,
) -> Value {
    let mut msg = json!({
        "type": "recorder/statistics_during_period",
        "start_time": start_iso,
        "statistic_ids": statistic_ids.iter().map(AsRef::as_ref).collect::<Vec<&str>>(),
        "period": period,
        "types": ["mean", "min", "max"],
    });
    if let (Some(end), Some(obj)) = (end_iso, msg.as_object_mut()) {
        obj.insert("end_time".into(), Value::from(end));
    }
    msg
}

/// Most buckets a statistics request should return per entity: about one per pixel of a
/// wide card, and a bounded payload even for hundreds of containers.
pub const MAX_STAT_BUCKETS: f64 = 600.0;

/// The finest statistics period that keeps a window of `window_hours` within
/// [`MAX_STAT_BUCKETS`]: `5minute` up to 50 h, `hour` up to 25 days, then `day`, `week`,
/// `month`. (5-minute statistics are also purged with the states, after 10 days by default,
/// so longer windows need the hourly table anyway.)
pub fn pick_period(window_hours: f64) -> &'static str {
    const PERIODS: [(&str, f64); 5] =
        [("5minute", 5.0 / 60.0), ("hour", 1.0), ("day", 24.0), ("week", 168.0), ("month", 730.0)];
    if !(window_hours.is_finite() && window_hours > 0.0) {
        return "5minute";
    }
    PERIODS.iter().find(|(_, hours)| window_hours / hours <= MAX_STAT_BUCKETS).map_or("month", |(name, _)| name)
}

/// Length of a statistics period in seconds (months as 30.44 days), for bucket arithmetic
/// such as deciding where statistics end and history must take over.
pub fn period_secs(period: &str) -> Option<f64> {
    Some(match period {
        "5minute" => 300.0,
        "hour" => 3600.0,
        "day" => 86_400.0,
        "week" => 604_800.0,
        "month" => 2_629_746.0,
        _ => return None,
    })
}

/// How much recent history a card streams when long-term statistics cover the rest: the
/// period in progress plus the compile lag, i.e. two periods of the window's
/// [`pick_period`], at least an hour, at most the window.
pub fn recent_secs(window_secs: f64) -> f64 {
    let window = if window_secs.is_finite() && window_secs > 0.0 { window_secs } else { 86_400.0 };
    let period = period_secs(pick_period(window / 3600.0)).unwrap_or(300.0);
    window.min((2.0 * period).max(3600.0))
}

/// Where the card's one `history/stream` subscription starts: the whole window when any
/// streamed entity has no statistics (a sensor without `state_class`), else only the recent
/// part ([`recent_secs`]) that statistics do not hold yet.
pub fn history_start(now: f64, window_secs: f64, statistics_cover_all: bool) -> f64 {
    if statistics_cover_all {
        now - recent_secs(window_secs)
    } else {
        now - if window_secs.is_finite() && window_secs > 0.0 { window_secs } else { 86_400.0 }
    }
}

/// How old fetched statistics may get before a new history subscription (which starts
/// [`recent_secs`] back) would leave a hole between their last bucket and its first row:
/// statistics reach one period short of their fetch time.
pub fn statistics_max_age(window_secs: f64) -> f64 {
    let period = period_secs(pick_period(window_secs / 3600.0)).unwrap_or(300.0);
    (recent_secs(window_secs) - period).max(0.0)
}
