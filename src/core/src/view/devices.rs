//! The fleet view: which devices show, in which groups, in which order.
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use crate::config::{DeviceSort, FleetGroupBy, FleetOptions};
use crate::model::{Device, Fleet, Inventory};
use crate::status::device::{DeviceState, DeviceStatus};

#[derive(Debug, Clone, PartialEq)]
pub enum GroupKind {
    Fleet { fleet_key: String },
    Status { state: DeviceState },
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceGroup {
    /// Stable across renders: `fleet:<fleet key>` or `status:<state id>`.
    pub key: String,
    /// The fleet name (may be empty when the integration knows none, e.g. dinpin), or the state
    /// id for status groups; the web layer translates those through
    /// [`DeviceState::group_title_key`].
    pub title: String,
    pub kind: GroupKind,
    pub device_keys: Vec<String>,
}

/// Group and order the fleet view. `statuses` is keyed by device key; a device without an entry
/// counts as [`DeviceState::Unknown`]. `search` matches, case-insensitively and term by term,
/// the device name, fleet name, IP, OS version and uuid.
pub fn device_groups(
    inv: &Inventory,
    statuses: &HashMap<String, DeviceStatus>,
    opts: &FleetOptions,
    search: &str,
) -> Vec<DeviceGroup> {
    let unknown = DeviceStatus::default();
    let status_of = |d: &Device| statuses.get(&d.key).unwrap_or(&unknown);
    let fleets: HashMap<&str, &Fleet> = inv.fleets.iter().map(|f| (f.key.as_str(), f)).collect();
    let fleet_name = |key: &str| fleets.get(key).map_or("", |f| f.name.as_str());
    let terms: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();

    let visible: Vec<&Device> = inv
        .devices
        .iter()
        .filter(|d| opts.fleets.matches(fleet_name(&d.fleet_key)))
        .filter(|d| !(opts.hide_offline && status_of(d).state() == DeviceState::Offline))
        .filter(|d| terms.is_empty() || matches_search(d, fleet_name(&d.fleet_key), status_of(d), &terms))
        .collect();

    let ranks = super::name_ranks(&inv.devices, |d| &d.name, |d| &d.key);
    let by_name = |a: &Device, b: &Device| {
        ranks.get(a.key.as_str()).cmp(&ranks.get(b.key.as_str())).then_with(|| a.key.cmp(&b.key))
    };
    let sort = |devs: &mut Vec<&Device>| {
        devs.sort_by(|a, b| compare(opts.sort_by, status_of(a), status_of(b)).then_with(|| by_name(a, b)));
    };

    match opts.group_by {
        FleetGroupBy::Fleet => {
            let mut by_fleet: HashMap<&str, Vec<&Device>> = HashMap::new();
            for d in &visible {
                by_fleet.entry(d.fleet_key.as_str()).or_default().push(d);
            }
            let tracked: HashSet<&str> = inv.devices.iter().map(|d| d.fleet_key.as_str()).collect();
            let mut groups = Vec::new();
            for f in &inv.fleets {
                let devs = by_fleet.remove(f.key.as_str());
                // "Empty" means no tracked devices at all, not "everything filtered away": a
                // fleet emptied by hide_offline or a search is simply not shown.
                let show_as_empty = devs.is_none()
                    && opts.show_empty
                    && terms.is_empty()
                    && !tracked.contains(f.key.as_str())
                    && opts.fleets.matches(&f.name);
                if devs.is_none() && !show_as_empty {
                    continue;
                }
                let mut devs = devs.unwrap_or_default();
                sort(&mut devs);
                groups.push(fleet_group(&f.key, &f.name, devs));
            }
            // Devices whose fleet is not in the inventory's fleet list (not produced by
            // discovery, but the view must not drop devices over it).
            let mut rest: Vec<_> = by_fleet.into_iter().collect();
            rest.sort_by(|a, b| a.0.cmp(b.0));
            for (key, mut devs) in rest {
                sort(&mut devs);
                groups.push(fleet_group(key, "", devs));
            }
            groups
        }
        FleetGroupBy::Status => DeviceState::ATTENTION_ORDER
            .iter()
            .filter_map(|&state| {
                let mut devs: Vec<&Device> = visible.iter().copied().filter(|d| status_of(d).state() == state).collect();
                if devs.is_empty() {
                    return None;
                }
                sort(&mut devs);
                Some(DeviceGroup {
                    key: format!("status:{}", state.id()),
                    title: state.id().to_string(),
                    kind: GroupKind::Status { state },
                    device_keys: devs.iter().map(|d| d.key.clone()).collect(),
                })
            })
            .collect(),
    }
}

fn fleet_group(key: &str, name: &str, devs: Vec<&Device>) -> DeviceGroup {
    DeviceGroup {
        key: format!("fleet:{key}"),
        title: name.to_string(),
        kind: GroupKind::Fleet { fleet_key: key.to_string() },
        device_keys: devs.iter().map(|d| d.key.clone()).collect(),
    }
}

fn matches_search(d: &Device, fleet_name: &str, st: &DeviceStatus, terms: &[String]) -> bool {
    let fields = [
        Some(d.name.to_lowercase()),
        Some(fleet_name.to_lowercase()),
        st.ip.as_deref().map(str::to_lowercase),
        st.os_version.as_deref().map(str::to_lowercase),
        Some(d.key.to_lowercase()),
    ];
    terms.iter().all(|t| fields.iter().flatten().any(|f| f.contains(t.as_str())))
}

/// Present values first, in `ord` order; absent values last in every sort.
fn by_value(a: Option<f64>, b: Option<f64>, ord: fn(f64, f64) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => ord(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn desc(x: f64, y: f64) -> Ordering {
    y.total_cmp(&x)
}

fn asc(x: f64, y: f64) -> Ordering {
    x.total_cmp(&y)
}

/// Metrics sort highest first (the busy devices are the interesting ones); last seen sorts
/// longest-silent first, for the same reason; status sorts most urgent first. Ties are the
/// caller's (by name).
fn compare(sort: DeviceSort, sa: &DeviceStatus, sb: &DeviceStatus) -> Ordering {
    match sort {
        DeviceSort::Name => Ordering::Equal,
        DeviceSort::Status => sa.state().attention_rank().cmp(&sb.state().attention_rank()),
        DeviceSort::Cpu => by_value(sa.cpu_pct, sb.cpu_pct, desc),
        DeviceSort::Memory => by_value(sa.mem_pct, sb.mem_pct, desc),
        DeviceSort::Temperature => by_value(sa.temperature_c, sb.temperature_c, desc),
        DeviceSort::LastSeen => by_value(sa.last_seen, sb.last_seen, asc),
    }
}
