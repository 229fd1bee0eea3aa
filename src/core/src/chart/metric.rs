//! What a chart draws for an item: which entities hold its CPU, memory and temperature, and
//! how their values read.
use crate::format::NumberFormat;
use crate::model::{ContainerRoles, DeviceRoles};

/// One charted quantity of a container or device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    Cpu,
    Memory,
    Temperature,
}

impl Metric {
    /// The `data-series` value and CSS hook.
    pub const fn id(self) -> &'static str {
        match self {
            Metric::Cpu => "cpu",
            Metric::Memory => "memory",
            Metric::Temperature => "temperature",
        }
    }
    /// The i18n key of its name ("CPU", "Memory", "Temperature").
    pub const fn label_key(self) -> &'static str {
        match self {
            Metric::Cpu => "chart.cpu",
            Metric::Memory => "chart.memory",
            Metric::Temperature => "chart.temperature",
        }
    }
}

/// A container's CPU and memory entities, in that order. Memory is the amount used (what the
/// row shows, and what every integration has), or the percentage where only that exists.
pub fn container_metrics(r: &ContainerRoles) -> Vec<(Metric, String)> {
    let mut out = Vec::with_capacity(2);
    if let Some(id) = &r.cpu {
        out.push((Metric::Cpu, id.clone()));
    }
    if let Some(id) = r.memory.as_ref().or(r.memory_pct.as_ref()) {
        out.push((Metric::Memory, id.clone()));
    }
    out
}

/// A balena device's CPU, memory and temperature entities, in that order.
pub fn device_metrics(r: &DeviceRoles) -> Vec<(Metric, String)> {
    [(Metric::Cpu, &r.cpu), (Metric::Memory, &r.memory), (Metric::Temperature, &r.temperature)]
        .into_iter()
        .filter_map(|(m, id)| Some((m, id.clone()?)))
        .collect()
}

/// A chart value in its sensor's unit: percentages and °C as the rest of the card writes
/// them, anything else with about three significant digits and the unit ("612 MB", "1.25 GB").
pub fn format_metric(nf: &NumberFormat, value: f64, unit: &str) -> String {
    match unit {
        "%" => nf.percent(value),
        "°C" => nf.celsius(value),
        _ => {
            let a = value.abs();
            let mut s = nf.number(value, if a >= 100.0 { 0 } else if a >= 10.0 { 1 } else { 2 });
            if !unit.is_empty() {
                s.push('\u{a0}');
                s.push_str(unit);
            }
            s
        }
    }
}
