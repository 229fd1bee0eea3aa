//! `use_history`: the card's chart data. It owns the card's ONE `history/stream`
//! subscription, for the metric entities of the rows on screen, and fetches long-term
//! statistics for them in batched `recorder/statistics_during_period` calls.
//!
//! Inputs (all in the [`Store`](crate::store::Store)):
//! - `chart_ids`: the entity ids charts currently draw. Every mounted `Sparkline` (and the open
//!   detail chart) adds its ids and removes them in `on_cleanup`, so collapsing a group or
//!   changing the page shrinks the set. A multiset: two charts of one entity count twice.
//! - `chart_fleet`: the fleet whose aggregate chart is open (statistics of all its devices).
//! - `config.chart_hours`, `reconnects` (bumped on the connection's `ready`), `attached`.
//!
//! Changes are debounced; then the subscription is replaced only if the set of ids changed (or
//! the connection came back: `resubscribe: false` plus a fresh `start_time`, as HA's own
//! history cards do). Statistics are fetched only for ids with a `state_class` that have none
//! for this window yet (or too old ones), and the history then only needs to reach back
//! [`recent_secs`]; without statistics it streams the whole window.
//!
//! Output: [`ChartData`] in `store.charts`, one [`ArcTrigger`] per entity so a new history row
//! re-renders only the charts of that entity.
use crate::bridge::{convert, dom, hass, Subscription};
use crate::store::{Connection, Store};
use crate::use_ctx;
use fleet_deck_core::chart::{device_metrics, window_series, Point, Series};
use fleet_deck_core::ha::history::{
    history_start, history_stream_request, period_secs, pick_period, statistics_max_age, statistics_request, HistoryBuffer,
};
use fleet_deck_core::time::to_iso;
use leptos::prelude::*;

/// Chart data shared by every chart of one card.
#[derive(Default)]
pub struct ChartData {
    /// Live history, trimmed to the window.
    pub hist: HistoryBuffer,
    /// Statistics means per entity (bucket starts, epoch seconds).
    pub stats: HistoryBuffer,
    /// Per entity, notified when its data changes; sorted by id.
    triggers: Vec<(String, ArcTrigger)>,
    /// When statistics were requested per entity (in flight or done); sorted by id.
    fetched: Vec<(String, f64)>,
    /// Notified whenever statistics arrive (fleet charts read many entities).
    pub stats_rev: ArcTrigger,
    window: f64,
    /// Length of a statistics bucket for this window.
    pub bucket: f64,
}

impl ChartData {
    /// The change signal of one entity's data (created on first use).
    pub fn trigger(&mut self, id: &str) -> ArcTrigger {
        match self.triggers.binary_search_by(|(k, _)| k.as_str().cmp(id)) {
            Ok(i) => self.triggers[i].1.clone(),
            Err(i) => {
                let t = ArcTrigger::new();
                self.triggers.insert(i, (id.to_string(), t.clone()));
                t
            }
        }
    }

    fn triggers_for(&self, ids: &[String]) -> Vec<ArcTrigger> {
        ids.iter()
            .filter_map(|id| self.triggers.binary_search_by(|(k, _)| k.cmp(id)).ok().map(|i| self.triggers[i].1.clone()))
            .collect()
    }

    /// What to draw for `id` over `[start, end]`: statistics, then history.
    pub fn window(&self, id: &str, start: f64, end: f64) -> Series {
        fn pts<'a>(b: &'a HistoryBuffer, id: &str) -> &'a [Point] {
            b.get(id).map(|s| s.points.as_slice()).unwrap_or(&[])
        }
        window_series(pts(&self.stats, id), self.bucket, pts(&self.hist, id), start, end)
    }

    /// Only the statistics of `id` (fleet aggregates use these).
    pub fn stats_of(&self, id: &str) -> Option<&Series> {
        self.stats.get(id)
    }

    /// A new window invalidates everything fetched for the old one. Returns whether it changed.
    fn set_window(&mut self, window: f64) -> bool {
        if self.window == window {
            return false;
        }
        self.window = window;
        self.bucket = period_secs(pick_period(window / 3600.0)).unwrap_or(300.0);
        self.stats.clear();
        self.fetched.clear();
        self.hist.set_window_secs(window);
        true
    }

    /// Marks and returns the ids whose statistics are missing or older than `max_age`.
    fn claim(&mut self, ids: &[String], now: f64, max_age: f64) -> Vec<String> {
        let mut out = Vec::new();
        for id in ids {
            match self.fetched.binary_search_by(|(k, _)| k.cmp(id)) {
                Ok(i) if now - self.fetched[i].1 <= max_age => {}
                Ok(i) => {
                    self.fetched[i].1 = now;
                    out.push(id.clone());
                }
                Err(i) => {
                    self.fetched.insert(i, (id.clone(), now));
                    out.push(id.clone());
                }
            }
        }
        out
    }

    fn unclaim(&mut self, ids: &[String]) {
        self.fetched.retain(|(k, _)| !ids.contains(k));
    }

    /// Stores a statistics result for `ids` (replacing older ones) and returns what to notify.
    fn put_stats(&mut self, ids: &[String], res: Vec<(String, Series)>, window: f64) -> Vec<ArcTrigger> {
        if window != self.window {
            return Vec::new();
        }
        for id in ids {
            self.stats.remove(id);
        }
        for (id, series) in res {
            if ids.contains(&id) {
                self.stats.push_points(&id, &series.points);
            }
        }
        let mut t = self.triggers_for(ids);
        t.push(self.stats_rev.clone());
        t
    }
}

/// The change trigger of one entity's chart data (charts `track()` it).
pub fn trigger_of(s: Store, id: &str) -> ArcTrigger {
    s.charts.try_write_value().map(|mut c| c.trigger(id)).unwrap_or_default()
}

/// What a chart draws for `id` over `[start, end]`.
pub fn window_of(s: Store, id: &str, start: f64, end: f64) -> Series {
    s.charts.try_read_value().map(|c| c.window(id, start, end)).unwrap_or_default()
}

/// Options of [`use_history_with_options`].
#[derive(Clone, Copy)]
pub struct UseHistoryOptions {
    /// Quiet time after the last change of the inputs before the subscription is replaced.
    pub debounce_ms: i32,
}

impl Default for UseHistoryOptions {
    fn default() -> Self {
        UseHistoryOptions { debounce_ms: 300 }
    }
}

/// Called once per card (the chart dialog hosts it).
pub fn use_history() {
    use_history_with_options(UseHistoryOptions::default())
}

pub fn use_history_with_options(opts: UseHistoryOptions) {
    let ctx = use_ctx();
    let s = ctx.store;
    let sub = StoredValue::new_local(None::<Subscription>);
    // The ids of the current (or requested) subscription, and a generation number that
    // discards subscriptions and events that were superseded while in flight.
    let sub_ids = StoredValue::new(Vec::<String>::new());
    let generation = StoredValue::new(0u32);
    let timer = StoredValue::new_local(None::<dom::Timer>);
    let force_next = StoredValue::new(false);

    let wanted = Memo::new(move |_| {
        let mut v = s.chart_ids.get();
        v.sort_unstable();
        v.dedup();
        v
    });

    let drop_sub = move |forget: bool| {
        generation.set_value(generation.get_value() + 1);
        sub_ids.set_value(Vec::new());
        let old = sub.try_write_value().and_then(|mut o| o.take());
        if let (Some(mut x), true) = (old, forget) {
            x.forget_unsubscribe();
        }
    };

    let apply = move || {
        let force = force_next.get_value();
        force_next.set_value(false);
        let Some(h) = ctx.rt().and_then(|rt| rt.hass()) else { return };
        if !s.attached.get_untracked() || s.connection.get_untracked() != Connection::Live {
            drop_sub(false);
            return;
        }
        let hours = s.config.get_untracked().chart_hours;
        let window = hours * 3600.0;
        let now = dom::now();
        let ids = wanted.get_untracked();
        let m = s.model.get_untracked();
        let has_stats = |id: &String| {
            m.state_untracked(id).is_some_and(|st| st.attr("state_class").is_some())
        };
        let window_changed = s.charts.try_write_value().is_some_and(|mut c| c.set_window(window));

        // Statistics: the charted ids and the open fleet's devices, one call for all missing.
        let mut stat_ids: Vec<String> = ids.iter().filter(|id| has_stats(id)).cloned().collect();
        if let Some(fk) = s.chart_fleet.get_untracked() {
            for d in m.inv.devices.iter().filter(|d| d.fleet_key == fk) {
                stat_ids.extend(device_metrics(&d.roles).into_iter().map(|(_, id)| id).filter(|id| has_stats(id)));
            }
            stat_ids.sort_unstable();
            stat_ids.dedup();
        }
        let need = s.charts.try_write_value().map(|mut c| c.claim(&stat_ids, now, statistics_max_age(window))).unwrap_or_default();
        if !need.is_empty() {
            let msg = statistics_request(&need, &to_iso(now - window), None, pick_period(hours));
            let h = h.clone();
            leptos::task::spawn_local(async move {
                match h.call_ws(&msg).await {
                    Ok(res) => {
                        let res = convert::statistics_means(&res);
                        let t = s.charts.try_write_value().map(|mut c| c.put_stats(&need, res, window));
                        if let Some(t) = t {
                            t.notify();
                        }
                    }
                    Err(e) => {
                        dom::console_error(&format!("Fleet Deck: statistics failed: {e}"));
                        if let Some(mut c) = s.charts.try_write_value() {
                            c.unclaim(&need);
                        }
                    }
                }
            });
        }

        // History: one subscription for exactly the charted ids.
        if ids.is_empty() {
            drop_sub(false);
            return;
        }
        if !force && !window_changed && sub_ids.get_value() == ids {
            return;
        }
        drop_sub(false);
        if let Some(mut c) = s.charts.try_write_value() {
            let gone: Vec<String> = c.hist.series().keys().filter(|k| ids.binary_search(k).is_err()).cloned().collect();
            for k in gone {
                c.hist.remove(&k);
            }
        }
        let start = history_start(now, window, ids.iter().all(has_stats));
        let msg = history_stream_request(&ids, &to_iso(start));
        let my_gen = generation.get_value();
        sub_ids.set_value(ids);
        let conn = h.connection();
        leptos::task::spawn_local(async move {
            let res = hass::subscribe_message(&conn, &hass::to_js(&msg), false, move |ev| {
                let rows = convert::history_points(&ev);
                let now = dom::now();
                let t = s.charts.try_write_value().map(|mut c| {
                    let changed: Vec<String> =
                        rows.into_iter().filter(|(id, pts)| !pts.is_empty() && c.hist.push_points(id, pts)).map(|(id, _)| id).collect();
                    // Trimming only bounds memory: what a chart shows slides on its own clock
                    // (`s.now`), so an event redraws the charts of its own entities and no others.
                    c.hist.trim(now);
                    c.triggers_for(&changed)
                });
                if let Some(t) = t {
                    t.notify();
                }
            })
            .await;
            match res {
                Ok(x) if generation.try_get_value() == Some(my_gen) => {
                    if let Some(mut o) = sub.try_write_value() {
                        *o = Some(x);
                    }
                }
                Ok(_) => {} // superseded: dropping it unsubscribes
                Err(e) => {
                    dom::console_error(&format!("Fleet Deck: history subscription failed: {e}"));
                    if generation.try_get_value() == Some(my_gen) {
                        sub_ids.try_set_value(Vec::new());
                    }
                }
            }
        });
    };

    let schedule = move |force: bool| {
        if force {
            force_next.set_value(true);
        }
        timer.set_value(dom::Timer::timeout(opts.debounce_ms, apply));
    };

    Effect::new(move |prev: Option<u32>| {
        wanted.track();
        s.config.track();
        s.chart_fleet.track();
        s.attached.track();
        let reconnects = s.reconnects.get();
        schedule(prev.is_some_and(|p| p != reconnects));
        reconnects
    });

    // The socket dropped: the server forgot the subscription (made with resubscribe: false),
    // so it is forgotten here too, without an unsubscribe for an id the next socket never saw.
    Effect::new(move |_| {
        if s.connection.get() == Connection::Reconnecting {
            drop_sub(true);
        }
    });

    on_cleanup(move || {
        let t = timer.try_write_value().and_then(|mut t| t.take());
        let x = sub.try_write_value().and_then(|mut o| o.take());
        drop((t, x));
    });
}
