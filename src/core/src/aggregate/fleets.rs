//! Fleet summaries for the fleet headers and the card header.
//!
//! The integration exposes no fleet-level entities (its fleet overview is dead code), so every
//! count and average is computed here from the device statuses.
use std::collections::HashMap;

use crate::config::DeviceThresholds;
use crate::model::Device;
use crate::status::device::{DeviceState, DeviceStatus};

/// Which thresholds a device is at or over. `>=` because balena reports CPU in 20 % buckets and
/// temperature in 3° steps: with `>` a threshold of 80 % could only trip at 100 %.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Breaches {
    pub cpu: bool,
    pub memory: bool,
    pub storage: bool,
    pub temperature: bool,
}

impl Breaches {
    pub fn any(&self) -> bool {
        self.cpu || self.memory || self.storage || self.temperature
    }
    pub fn count(&self) -> usize {
        [self.cpu, self.memory, self.storage, self.temperature].into_iter().filter(|b| *b).count()
    }
}

pub fn breaches(st: &DeviceStatus, t: &DeviceThresholds) -> Breaches {
    let over = |v: Option<f64>, limit: Option<f64>| matches!((v, limit), (Some(v), Some(l)) if v >= l);
    Breaches {
        cpu: over(st.cpu_pct, t.cpu),
        memory: over(st.mem_pct, t.memory),
        storage: over(st.storage_pct, t.storage),
        temperature: over(st.temperature_c, t.temperature),
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FleetSummary {
    /// The fleet's key; empty for the across-fleets total.
    pub fleet_key: String,
    pub total: usize,
    /// Devices reporting online (updating devices included).
    pub online: usize,
    pub offline: usize,
    pub updating: usize,
    /// Devices whose connectivity no entity reports.
    pub unknown: usize,
    /// Averages and maxima over the devices that report the metric.
    pub cpu_avg: Option<f64>,
    pub cpu_max: Option<f64>,
    pub mem_avg: Option<f64>,
    pub mem_max: Option<f64>,
    pub storage_avg: Option<f64>,
    pub storage_max: Option<f64>,
    pub temp_avg: Option<f64>,
    pub temp_max: Option<f64>,
    /// Devices breaching at least one threshold.
    pub over_threshold: usize,
}

#[derive(Default)]
struct Metric {
    sum: f64,
    n: usize,
    max: Option<f64>,
}

impl Metric {
    fn add(&mut self, v: Option<f64>) {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            self.sum += v;
            self.n += 1;
            self.max = Some(self.max.map_or(v, |m| m.max(v)));
        }
    }
    fn avg(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Summarise the given devices under `fleet_key`. Pass the devices the view shows if the
/// summary should follow the filters, or all of the fleet's devices for the true totals.
pub fn summarize<'a>(
    fleet_key: &str,
    items: impl IntoIterator<Item = (&'a Device, &'a DeviceStatus)>,
    t: &DeviceThresholds,
) -> FleetSummary {
    let mut s = FleetSummary { fleet_key: fleet_key.to_string(), ..Default::default() };
    let (mut cpu, mut mem, mut storage, mut temp) = (Metric::default(), Metric::default(), Metric::default(), Metric::default());
    for (_, st) in items {
        s.total += 1;
        match st.online {
            Some(true) => s.online += 1,
            Some(false) => s.offline += 1,
            None => s.unknown += 1,
        }
        if st.state() == DeviceState::Updating {
            s.updating += 1;
        }
        cpu.add(st.cpu_pct);
        mem.add(st.mem_pct);
        storage.add(st.storage_pct);
        temp.add(st.temperature_c);
        if breaches(st, t).any() {
            s.over_threshold += 1;
        }
    }
    (s.cpu_avg, s.cpu_max) = (cpu.avg(), cpu.max);
    (s.mem_avg, s.mem_max) = (mem.avg(), mem.max);
    (s.storage_avg, s.storage_max) = (storage.avg(), storage.max);
    (s.temp_avg, s.temp_max) = (temp.avg(), temp.max);
    s
}

/// Per-fleet summaries plus the total across them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FleetOverview {
    /// In the order of `fleet_keys`; a fleet without devices gets an all-zero summary.
    pub fleets: Vec<FleetSummary>,
    /// Over every item passed in, computed from the devices rather than from the fleet
    /// summaries, because an average of averages would weight small fleets wrongly.
    pub total: FleetSummary,
}

pub fn fleet_summaries<'a>(
    fleet_keys: impl IntoIterator<Item = &'a str>,
    items: &[(&Device, &DeviceStatus)],
    t: &DeviceThresholds,
) -> FleetOverview {
    let mut by_fleet: HashMap<&str, Vec<(&Device, &DeviceStatus)>> = HashMap::new();
    for &(d, st) in items {
        by_fleet.entry(d.fleet_key.as_str()).or_default().push((d, st));
    }
    let fleets = fleet_keys.into_iter().map(|key| summarize(key, by_fleet.get(key).into_iter().flatten().copied(), t)).collect();
    FleetOverview { fleets, total: summarize("", items.iter().copied(), t) }
}
