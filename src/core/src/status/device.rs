//! What a balena device row shows, derived from its role entities.
//!
//! eseverson's entities split into two groups when a device goes offline: the metric, IP
//! sensors and buttons turn `unavailable` (and HA strips their attributes), while the online and
//! updating binary sensors, the fleet and MAC sensors and the switch stay available with their
//! attributes. Shared attributes (`last_seen`, versions, last known IP) are therefore read from
//! the always-available entities first.
use crate::ha::state::lookup;
use crate::ha::{EntityState, States};
use crate::model::{Device, DeviceRoles};
use crate::time::parse_iso;

/// The supervisor's legacy `status` values that mean an update is in progress (eseverson's
/// `is_updating`).
const UPDATING_STATUSES: &[&str] = &["updating", "downloading", "downloaded"];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceStatus {
    /// `None` when no entity tells (e.g. the integration failed and everything is unavailable).
    pub online: Option<bool>,
    pub updating: bool,
    /// The supervisor status (`Idle`, `Downloading`…) or dinpin's `overall_status`.
    pub status_text: Option<String>,
    pub cpu_pct: Option<f64>,
    pub mem_pct: Option<f64>,
    pub storage_pct: Option<f64>,
    /// Always Celsius: HA converts temperature sensors to the user's unit system, so °F and K
    /// states are converted back.
    pub temperature_c: Option<f64>,
    /// Raw balena values: integer megabytes.
    pub mem_used_mb: Option<f64>,
    pub mem_total_mb: Option<f64>,
    pub storage_used_mb: Option<f64>,
    pub storage_total_mb: Option<f64>,
    /// Epoch seconds.
    pub last_seen: Option<f64>,
    pub os_version: Option<String>,
    pub supervisor_version: Option<String>,
    /// Current IP, or the last known one while offline. May be a space-separated list.
    pub ip: Option<String>,
    /// The switch state; only trustworthy after a refresh (see
    /// [`crate::actions::device::public_url_refresh_call`]).
    pub public_url: Option<bool>,
    pub public_url_value: Option<String>,
}

/// The one-word state a device row, its badge and the status grouping use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceState {
    Online,
    Offline,
    Updating,
    Unknown,
}

impl DeviceState {
    /// Needs-attention order: the order of status groups and of `sort_by: status`.
    pub const ATTENTION_ORDER: [DeviceState; 4] =
        [DeviceState::Offline, DeviceState::Updating, DeviceState::Unknown, DeviceState::Online];

    /// Machine name for DOM attributes, CSS classes and group keys.
    pub fn id(self) -> &'static str {
        match self {
            DeviceState::Online => "online",
            DeviceState::Offline => "offline",
            DeviceState::Updating => "updating",
            DeviceState::Unknown => "unknown",
        }
    }
    /// Translation key of the state's label on a device row.
    pub fn label_key(self) -> &'static str {
        match self {
            DeviceState::Online => "device.online",
            DeviceState::Offline => "device.offline",
            DeviceState::Updating => "device.updating",
            DeviceState::Unknown => "device.unknown",
        }
    }
    /// Translation key of the heading of a `group_by: status` group.
    pub fn group_title_key(self) -> &'static str {
        match self {
            DeviceState::Online => "fleet.status.online",
            DeviceState::Offline => "fleet.status.offline",
            DeviceState::Updating => "fleet.status.updating",
            DeviceState::Unknown => "fleet.status.unknown",
        }
    }
    /// Position in [`Self::ATTENTION_ORDER`] (0 = most urgent).
    pub fn attention_rank(self) -> usize {
        Self::ATTENTION_ORDER.iter().position(|s| *s == self).unwrap_or(Self::ATTENTION_ORDER.len())
    }
}

impl DeviceStatus {
    /// Offline beats updating: a device that went away mid-update is not updating any more.
    pub fn state(&self) -> DeviceState {
        match self.online {
            Some(false) => DeviceState::Offline,
            _ if self.updating => DeviceState::Updating,
            Some(true) => DeviceState::Online,
            None => DeviceState::Unknown,
        }
    }
}

fn on_off(st: Option<&EntityState>) -> Option<bool> {
    match st?.state.as_str() {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

fn percent(used: Option<f64>, total: Option<f64>) -> Option<f64> {
    match (used, total) {
        (Some(u), Some(t)) if t > 0.0 => Some((u / t * 1000.0).round() / 10.0),
        _ => None,
    }
}

/// A raw MB attribute; values below `min` (negative amounts, zero totals) are reporting glitches
/// that would only produce nonsense bars.
fn megabytes(e: &EntityState, key: &str, min: f64) -> Option<f64> {
    e.attr_f64(key).filter(|v| *v >= min)
}

fn to_celsius(value: f64, unit: Option<&str>) -> f64 {
    match unit {
        Some("°F") | Some("F") => (value - 32.0) * 5.0 / 9.0,
        Some("K") => value - 273.15,
        _ => value,
    }
}

/// `last_seen` is ISO 8601 in eseverson; accept epoch numbers too in case a fork sends them.
fn parse_last_seen(st: &EntityState) -> Option<f64> {
    match st.attr("last_seen")? {
        serde_json::Value::String(s) => parse_iso(s),
        serde_json::Value::Number(n) => n.as_f64().filter(|v| v.is_finite() && *v > 0.0),
        _ => None,
    }
}

/// The device's entities whose attributes describe the whole device, those that keep their
/// attributes while the device is offline first.
fn sources<'a>(r: &DeviceRoles, s: &'a dyn States) -> Vec<&'a EntityState> {
    [&r.online, &r.updating, &r.fleet, &r.mac, &r.status, &r.cpu, &r.memory, &r.storage, &r.temperature, &r.ip]
        .into_iter()
        .filter_map(|id| lookup(s, id))
        .collect()
}

/// `online` when the connectivity sensor does not say: eseverson sensors carry `is_online`,
/// dinpin's status sensor `online`.
fn online_attr(sources: &[&EntityState]) -> Option<bool> {
    sources.iter().find_map(|e| e.attr_bool("is_online").or_else(|| e.attr_bool("online")))
}

/// [`DeviceStatus::online`] alone: what the fleet tab's count needs, without the rest of the
/// status (strings, timestamps, metrics) for every device while another tab is shown.
pub fn device_online(d: &Device, s: &dyn States) -> Option<bool> {
    on_off(lookup(s, &d.roles.online)).or_else(|| online_attr(&sources(&d.roles, s)))
}

pub fn device_status(d: &Device, s: &dyn States) -> DeviceStatus {
    let r = &d.roles;
    let get = |id: &Option<String>| lookup(s, id);
    let (online_e, updating_e, status_e) = (get(&r.online), get(&r.updating), get(&r.status));
    let (cpu_e, mem_e, storage_e, temp_e) = (get(&r.cpu), get(&r.memory), get(&r.storage), get(&r.temperature));
    let (ip_e, switch_e) = (get(&r.ip), get(&r.public_url));

    let sources = sources(r, s);
    let first_str = |key: &str| sources.iter().find_map(|e| e.attr_str(key));

    let online = on_off(online_e).or_else(|| online_attr(&sources));
    let status_text = first_str("status")
        .or_else(|| status_e.and_then(|e| e.attr_str("balena_status")))
        .or_else(|| status_e.filter(|e| e.has_value()).map(|e| e.state.clone()));
    let updating = on_off(updating_e) == Some(true)
        || status_text.as_deref().is_some_and(|t| UPDATING_STATUSES.iter().any(|u| t.eq_ignore_ascii_case(u)));

    let mut st = DeviceStatus {
        online,
        updating,
        status_text,
        last_seen: sources.iter().find_map(|e| parse_last_seen(e)),
        os_version: first_str("os_version"),
        supervisor_version: first_str("supervisor_version"),
        ip: ip_e.filter(|e| e.has_value()).map(|e| e.state.trim().to_string()).or_else(|| first_str("ip_address")),
        public_url: on_off(switch_e),
        public_url_value: switch_e.and_then(|e| e.attr_str("public_url")),
        ..Default::default()
    };

    // Stale numbers from a device that is gone would read as current, so an offline device
    // shows no metrics even if some sensor still holds a value.
    if online == Some(false) {
        return st;
    }
    st.cpu_pct = cpu_e.and_then(EntityState::number);
    st.mem_used_mb = mem_e.and_then(|e| megabytes(e, "memory_usage", 0.0));
    st.mem_total_mb = mem_e.and_then(|e| megabytes(e, "memory_total", f64::MIN_POSITIVE));
    st.mem_pct = mem_e.and_then(EntityState::number).or_else(|| percent(st.mem_used_mb, st.mem_total_mb));
    st.storage_used_mb = storage_e.and_then(|e| megabytes(e, "storage_usage", 0.0));
    st.storage_total_mb = storage_e.and_then(|e| megabytes(e, "storage_total", f64::MIN_POSITIVE));
    st.storage_pct = storage_e.and_then(EntityState::number).or_else(|| percent(st.storage_used_mb, st.storage_total_mb));
    st.temperature_c = temp_e.and_then(|e| {
        let unit = e.attr("unit_of_measurement").and_then(serde_json::Value::as_str);
        e.number().map(|v| to_celsius(v, unit))
    });
    st
}
