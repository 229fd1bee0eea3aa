//! balena discovery: `balena_cloud` registry entries + states → fleets and devices.
//!
//! Two unrelated integrations share the `balena_cloud` domain (they cannot be installed
//! together, but the card must recognise either):
//!
//! - eseverson's `hass-balena` ([`Source::BalenaCloud`]): 13 entities per balena device, every
//!   available one carrying a `device_uuid` attribute; one HA device per balena device
//!   (`identifiers [["balena_cloud", uuid]]`) linked through `via_device_id` to one HA device
//!   per fleet (`identifiers [["balena_cloud", "fleet_<id>"]]`) that has no entities.
//! - dinpin's balenaSound monitor ([`Source::BalenaDinpin`]): `has_entity_name` entities with a
//!   `uuid` attribute on the status sensor, only status/online/reboot/restart, no fleet data.
//!
//! Grouping cannot rely on attributes alone: HA drops an entity's extra attributes while it is
//! `unavailable`, and eseverson's metric sensors and buttons are exactly that whenever the
//! device is offline. So an entity's device uuid comes from, in order: its own attributes, its
//! HA device's identifiers, a sibling entity on the same HA device, and finally a sibling whose
//! entity id has the same slug prefix (for installs where the device registry is missing).
//!
//! Roles come from the entity-id suffix, then from the friendly-name suffix (the name is
//! recomputed on every read, so it survives entity-id renames), then from the attribute
//! fingerprints of the reference's §5.7. Malformed data degrades to "role/fleet unknown", never
//! to a panic.
use std::collections::BTreeMap;

use serde_json::Value;

use crate::ha::state::FxHashMap;
use crate::ha::{DeviceEntry, EntityState, Registry, States};
use crate::model::{Device, DeviceRoles, Fleet, Inventory, Source};

const DOMAIN: &str = "balena_cloud";
const FLEET_PREFIX: &str = "fleet_";
/// eseverson hardcodes this dashboard in every device's `configuration_url`; used only when the
/// device registry entry is missing so the "open in balena" link still works.
const DASHBOARD_DEVICE_URL: &str = "https://dashboard.balena-cloud.com/devices/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Cpu,
    Memory,
    Storage,
    Temperature,
    Fleet,
    Ip,
    Mac,
    Online,
    Updating,
    /// dinpin's status sensor.
    Status,
    Restart,
    Reboot,
    Shutdown,
    PublicUrl,
    /// Recognised (dinpin's `playing_audio`) but not something the card shows; naming it keeps
    /// the fingerprint fallback from mistaking it for the online sensor.
    Ignored,
}

/// (entity domain, entity-id suffix, friendly-name suffix, role). The names are the
/// integrations' entity names; the id suffixes are their slugs.
const ROLE_NAMES: &[(&str, &str, &str, Role)] = &[
    ("sensor", "_cpu_usage", " CPU Usage", Role::Cpu),
    ("sensor", "_memory_usage", " Memory Usage", Role::Memory),
    ("sensor", "_storage_usage", " Storage Usage", Role::Storage),
    ("sensor", "_temperature", " Temperature", Role::Temperature),
    ("sensor", "_fleet", " Fleet", Role::Fleet),
    ("sensor", "_ip_address", " IP Address", Role::Ip),
    ("sensor", "_mac_address", " MAC Address", Role::Mac),
    ("sensor", "_status", " Status", Role::Status),
    ("binary_sensor", "_online", " Online", Role::Online),
    ("binary_sensor", "_updating", " Updating", Role::Updating),
    ("binary_sensor", "_playing_audio", " Playing Audio", Role::Ignored),
    ("button", "_restart_application", " Restart Application", Role::Restart),
    ("button", "_reboot_device", " Reboot Device", Role::Reboot),
    ("button", "_shutdown_device", " Shutdown Device", Role::Shutdown),
    ("switch", "_public_url", " Public URL", Role::PublicUrl),
];

/// Role from the entity id; also returns the slug prefix (the device part of the id).
fn role_from_object_id<'a>(domain: &str, object_id: &'a str) -> Option<(Role, &'a str)> {
    let try_match = |oid: &'a str| {
        ROLE_NAMES.iter().find_map(|(dom, suffix, _, role)| {
            (*dom == domain)
                .then(|| oid.strip_suffix(suffix))
                .flatten()
                .filter(|prefix| !prefix.is_empty())
                .map(|prefix| (*role, prefix))
        })
    };
    // HA appends `_2`, `_3`… when an id is taken (e.g. a stale entry from a removed device).
    try_match(object_id).or_else(|| {
        let (base, n) = object_id.rsplit_once('_')?;
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            try_match(base)
        } else {
            None
        }
    })
}

/// Role from `friendly_name`; also returns the device-name part.
fn role_from_friendly_name<'a>(domain: &str, state: &'a EntityState) -> Option<(Role, &'a str)> {
    let name = state.attr("friendly_name")?.as_str()?;
    ROLE_NAMES.iter().find_map(|(dom, _, suffix, role)| {
        (*dom == domain)
            .then(|| name.strip_suffix(suffix))
            .flatten()
            .map(str::trim)
            .filter(|base| !base.is_empty())
            .map(|base| (*role, base))
    })
}

/// The reference's §5.7 fingerprints, extended with the icons of the memory/storage/temperature
/// sensors: their identifying attributes are gone while the device is offline, but icon, unit
/// and device_class survive `unavailable`.
fn role_from_fingerprint(domain: &str, state: &EntityState) -> Option<Role> {
    let icon = state.attr("icon").and_then(Value::as_str).unwrap_or("");
    let device_class = state.attr("device_class").and_then(Value::as_str).unwrap_or("");
    match domain {
        "sensor" => {
            let unit = state.attr("unit_of_measurement").and_then(Value::as_str);
            if state.attr("memory_total").is_some() {
                Some(Role::Memory)
            } else if state.attr("storage_total").is_some() {
                Some(Role::Storage)
            } else if device_class == "temperature" {
                Some(Role::Temperature)
            } else if state.attr("balena_status").is_some() {
                Some(Role::Status)
            } else {
                match icon {
                    "mdi:chip" if unit.is_none_or(|u| u == "%") => Some(Role::Cpu),
                    "mdi:memory" => Some(Role::Memory),
                    "mdi:harddisk" => Some(Role::Storage),
                    "mdi:thermometer" => Some(Role::Temperature),
                    "mdi:server-network" => Some(Role::Fleet),
                    "mdi:ip-network" => Some(Role::Ip),
                    "mdi:ethernet" => Some(Role::Mac),
                    _ => None,
                }
            }
        }
        "binary_sensor" => match device_class {
            "connectivity" => Some(Role::Online),
            "update" => Some(Role::Updating),
            _ => None,
        },
        "button" => match icon {
            "mdi:restart" => Some(Role::Restart),
            "mdi:power-cycle" => Some(Role::Reboot),
            "mdi:power-off" => Some(Role::Shutdown),
            _ => None,
        },
        // Each device has exactly one switch: the public URL.
        "switch" => Some(Role::PublicUrl),
        _ => None,
    }
}

fn non_empty_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// `fleet_id` is an int in eseverson's attributes, but config entries store fleet ids as
/// strings, so accept both.
fn attr_i64(state: &EntityState, key: &str) -> Option<i64> {
    match state.attr(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The balena uuid a registry device stands for (not a fleet device).
fn device_identifier(dev: &DeviceEntry) -> Option<&str> {
    dev.identifier(DOMAIN).filter(|id| !id.is_empty() && !id.starts_with(FLEET_PREFIX))
}

fn fleet_identifier(dev: &DeviceEntry) -> Option<&str> {
    dev.identifier(DOMAIN).filter(|id| id.len() > FLEET_PREFIX.len() && id.starts_with(FLEET_PREFIX))
}

/// One `balena_cloud` entity, analysed on its own. Everything is borrowed from the registry and
/// the states: discovery of a 1,000-device install touches 13,000 of these.
struct Candidate<'a> {
    entity_id: &'a str,
    device_id: Option<&'a str>,
    state: Option<&'a EntityState>,
    role: Option<Role>,
    /// Matched by entity id: wins over name/fingerprint matches for the same role.
    by_suffix: bool,
    /// Slug of the device part of the entity id, when the suffix matched.
    prefix: Option<&'a str>,
    uuid: Option<&'a str>,
    /// `device_uuid` attribute: eseverson.
    eseverson: bool,
    /// `uuid` attribute without `device_uuid`, or `has_entity_name`: dinpin.
    dinpin: bool,
}

#[derive(Default)]
struct DeviceAcc<'a> {
    uuid: &'a str,
    roles: DeviceRoles,
    device_id: Option<&'a str>,
    eseverson: bool,
    dinpin: bool,
    fleet_id: Option<i64>,
    fleet_name: Option<&'a str>,
    device_name: Option<&'a str>,
}

impl DeviceAcc<'_> {
    fn slot(&mut self, role: Role) -> Option<&mut Option<String>> {
        let r = &mut self.roles;
        Some(match role {
            Role::Cpu => &mut r.cpu,
            Role::Memory => &mut r.memory,
            Role::Storage => &mut r.storage,
            Role::Temperature => &mut r.temperature,
            Role::Fleet => &mut r.fleet,
            Role::Ip => &mut r.ip,
            Role::Mac => &mut r.mac,
            Role::Online => &mut r.online,
            Role::Updating => &mut r.updating,
            Role::Status => &mut r.status,
            Role::Restart => &mut r.restart,
            Role::Reboot => &mut r.reboot,
            Role::Shutdown => &mut r.shutdown,
            Role::PublicUrl => &mut r.public_url,
            Role::Ignored => return None,
        })
    }
}

fn analyse<'a>(
    entity_id: &'a str,
    device_id: Option<&'a str>,
    has_entity_name: bool,
    registry: &'a Registry,
    states: &'a dyn States,
) -> Option<Candidate<'a>> {
    let (domain, object_id) = entity_id.split_once('.')?;
    let state = states.get(entity_id);
    let reg_dev = registry.device(device_id);

    let by_id = role_from_object_id(domain, object_id);
    let role = by_id.map(|(r, _)| r).or_else(|| {
        let st = state?;
        role_from_friendly_name(domain, st).map(|(r, _)| r).or_else(|| role_from_fingerprint(domain, st))
    });

    let attr_uuid = state.and_then(|s| non_empty_str(s.attr("device_uuid")));
    let dinpin_uuid = state.and_then(|s| non_empty_str(s.attr("uuid")));
    let uuid = attr_uuid.or(dinpin_uuid).or_else(|| reg_dev.and_then(device_identifier));

    Some(Candidate {
        entity_id,
        // An entity on a fleet device would be a bug upstream; don't let it merge devices.
        device_id: if reg_dev.is_some_and(|d| fleet_identifier(d).is_some()) { None } else { device_id },
        state,
        role,
        by_suffix: by_id.is_some(),
        prefix: by_id.map(|(_, p)| p),
        uuid,
        eseverson: attr_uuid.is_some(),
        dinpin: (attr_uuid.is_none() && dinpin_uuid.is_some()) || has_entity_name,
    })
}

/// Fills in uuids the entity itself could not provide, from siblings on the same HA device and
/// then from siblings sharing the entity-id slug prefix.
fn resolve_uuids(cands: &mut [Candidate<'_>]) {
    let mut by_device: FxHashMap<&str, &str> = FxHashMap::default();
    // prefix → uuid; `None` marks a prefix seen with two uuids, which must not be guessed from.
    let mut by_prefix: FxHashMap<&str, Option<&str>> = FxHashMap::default();
    for c in cands.iter() {
        let Some(uuid) = c.uuid else { continue };
        if let Some(dev) = c.device_id {
            by_device.entry(dev).or_insert(uuid);
        }
        if let Some(p) = c.prefix {
            by_prefix
                .entry(p)
                .and_modify(|known| {
                    if *known != Some(uuid) {
                        *known = None;
                    }
                })
                .or_insert(Some(uuid));
        }
    }
    for c in cands.iter_mut().filter(|c| c.uuid.is_none()) {
        c.uuid = c
            .device_id
            .and_then(|d| by_device.get(d).copied())
            .or_else(|| c.prefix.and_then(|p| by_prefix.get(p).copied().flatten()));
    }
}

/// Discover balena fleets and devices. Fleets without tracked devices are included (with zero
/// devices); the view decides whether to show them.
pub fn discover(registry: &Registry, states: &dyn States) -> Inventory {
    // Fleet devices first: they have no entities, so the registry is their only trace.
    let mut fleets: BTreeMap<String, Fleet> = BTreeMap::new();
    let mut fleet_key_by_device: FxHashMap<&str, String> = FxHashMap::default();
    for (id, dev) in &registry.devices {
        let Some(ident) = fleet_identifier(dev) else { continue };
        let key = ident.to_string();
        fleet_key_by_device.insert(id.as_str(), key.clone());
        fleets.insert(
            key.clone(),
            Fleet {
                key,
                name: dev.display_name().unwrap_or_default().to_string(),
                fleet_id: ident.strip_prefix(FLEET_PREFIX).and_then(|id| id.parse().ok()),
                device_id: Some(id.clone()),
            },
        );
    }

    // Sorted so that ties (two entities claiming one role) resolve the same way every time.
    let mut entries: Vec<_> = registry.entities.iter().filter(|e| e.platform.as_deref() == Some(DOMAIN)).collect();
    entries.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
    let mut cands: Vec<Candidate> = entries
        .iter()
        .filter_map(|e| analyse(&e.entity_id, e.device_id.as_deref(), e.has_entity_name == Some(true), registry, states))
        .collect();
    resolve_uuids(&mut cands);

    // Suffix matches before name/fingerprint matches, entities with a state before those
    // without, so a stale leftover entity never displaces the live one.
    cands.sort_by_key(|c| (!c.by_suffix, c.state.is_none()));

    // In first-seen order, which is deterministic because the candidates are sorted.
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut accs: Vec<DeviceAcc> = Vec::new();
    for c in &cands {
        let Some(uuid) = c.uuid else { continue };
        let i = *index.entry(uuid).or_insert_with(|| {
            accs.push(DeviceAcc { uuid, ..Default::default() });
            accs.len() - 1
        });
        let acc = &mut accs[i];
        if let Some(slot) = c.role.and_then(|r| acc.slot(r)) {
            if slot.is_none() {
                *slot = Some(c.entity_id.to_string());
            }
        }
        acc.device_id = acc.device_id.or(c.device_id);
        acc.eseverson |= c.eseverson;
        acc.dinpin |= c.dinpin || c.role == Some(Role::Status);
        if let Some(st) = c.state {
            acc.fleet_id = acc.fleet_id.or_else(|| attr_i64(st, "fleet_id"));
            acc.fleet_name = acc.fleet_name.or_else(|| non_empty_str(st.attr("fleet_name")));
            acc.device_name = acc.device_name.or_else(|| non_empty_str(st.attr("device_name")));
        }
    }

    let mut devices = Vec::with_capacity(accs.len());
    for acc in accs {
        let uuid = acc.uuid;
        let reg_dev = registry.device(acc.device_id);
        let source = if acc.dinpin && !acc.eseverson { Source::BalenaDinpin } else { Source::BalenaCloud };

        let fleet_key = if let Some(id) = acc.fleet_id {
            format!("{FLEET_PREFIX}{id}")
        } else if let Some(key) = reg_dev.and_then(|d| d.via_device_id.as_deref()).and_then(|v| fleet_key_by_device.get(v)) {
            key.clone()
        } else if let Some(name) = acc.fleet_name {
            format!("name:{name}")
        } else if let Some(entry) = reg_dev.and_then(|d| d.config_entries.first()) {
            // dinpin knows no fleet, but it has one config entry per fleet.
            format!("entry:{entry}")
        } else {
            "unknown".to_string()
        };
        let fleet = fleets.entry(fleet_key.clone()).or_insert_with(|| Fleet {
            key: fleet_key.clone(),
            name: String::new(),
            fleet_id: acc.fleet_id,
            device_id: None,
        });
        if fleet.name.is_empty() {
            if let Some(name) = acc.fleet_name {
                fleet.name = name.to_string();
            }
        }

        // A name the person gave the device in HA wins. Otherwise the live `device_name`
        // attribute: the integration recomputes it on every read, so a rename in balena shows
        // there at the next poll, while the registry's name keeps the old one until HA reloads
        // the integration.
        let name = reg_dev
            .and_then(|d| d.name_by_user.as_deref().filter(|n| !n.is_empty()))
            .or(acc.device_name)
            .or_else(|| reg_dev.and_then(DeviceEntry::display_name))
            .or_else(|| name_from_friendly_names(&acc.roles, states))
            .unwrap_or(uuid)
            .to_string();
        let configuration_url = reg_dev
            .and_then(|d| d.configuration_url.clone())
            .or_else(|| (reg_dev.is_none() && source == Source::BalenaCloud).then(|| format!("{DASHBOARD_DEVICE_URL}{uuid}")));
        devices.push(Device {
            key: uuid.to_string(),
            name,
            source,
            fleet_key,
            device_id: acc.device_id.map(str::to_string),
            configuration_url,
            roles: acc.roles,
        });
    }

    merge_name_fleets(&mut fleets, &mut devices);
    for f in fleets.values_mut().filter(|f| f.name.is_empty()) {
        // A fleet device without a name still has a recognisable id.
        if let Some(id) = f.fleet_id {
            f.name = id.to_string();
        }
    }

    let mut inv = Inventory { fleets: fleets.into_values().collect(), devices, ..Default::default() };
    inv.sort();
    inv
}

/// The device-name part of a role entity's friendly name, for devices nothing else names
/// (dinpin without a device registry).
fn name_from_friendly_names<'a>(roles: &DeviceRoles, states: &'a dyn States) -> Option<&'a str> {
    roles.entity_ids().find_map(|id| {
        let (domain, _) = id.split_once('.')?;
        role_from_friendly_name(domain, states.get(id)?).map(|(_, base)| base)
    })
}

/// A device whose fleet is known only by name (no `fleet_id`, no registry link) belongs to the
/// id-keyed fleet of the same name when there is exactly one; otherwise one fleet would show
/// up twice.
fn merge_name_fleets(fleets: &mut BTreeMap<String, Fleet>, devices: &mut [Device]) {
    let mut by_name: FxHashMap<&str, Option<&str>> = FxHashMap::default();
    for f in fleets.values().filter(|f| f.key.starts_with(FLEET_PREFIX) && !f.name.is_empty()) {
        by_name.entry(f.name.as_str()).and_modify(|k| *k = None).or_insert(Some(f.key.as_str()));
    }
    let remap: FxHashMap<String, String> = fleets
        .keys()
        .filter_map(|k| {
            let name = k.strip_prefix("name:")?;
            let target = (*by_name.get(name)?)?;
            Some((k.clone(), target.to_string()))
        })
        .collect();
    for d in devices.iter_mut() {
        if let Some(target) = remap.get(&d.fleet_key) {
            d.fleet_key.clone_from(target);
        }
    }
    for k in remap.keys() {
        fleets.remove(k);
    }
}
