//! `ha_portainer_link` 0.6 (rob0r7) and its benji2k2 fork (same platform).
//!
//! One config entry per Portainer endpoint. A standalone container gets a "Docker Container"
//! device named `{name} ({host})`; every container of a compose project puts *all* its entities
//! on one shared "Docker Stack" device named `Stack: {stack} ({host})`. The frontend cannot
//! see unique ids, so the containers on a stack device are separated by entity name: each name
//! is `{container} {Suffix}` with a known suffix per entity kind (` Status`, ` Switch`, …).
//! The friendly name keeps the exact Docker name; the entity id is only a fallback (slugged,
//! and `_2`-suffixed when two hosts run a container of the same name).
//!
//! The fork sets `has_entity_name`, so its names are `{device name} {label}`; stripping the
//! device name first makes both shapes parse the same way.
use super::{domain, friendly_name, object_id, platform_is, slug};
use crate::ha::{DeviceEntry, EntityEntry, Registry, States};
use crate::model::{Container, ContainerRoles, Endpoint, Inventory, Source, Stack, StackRoles};
use std::collections::{BTreeMap, HashSet};

const PLATFORM: &str = "ha_portainer_link";
const KEY_PREFIX: &str = "link:";
const STACK_PREFIX: &str = "Stack: ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    State,
    Image,
    Cpu,
    Memory,
    Uptime,
    CurrentVersion,
    AvailableVersion,
    Health,
    Switch,
    Restart,
    PullUpdate,
    UpdateAvailable,
    Update,
    /// Known per-container entities the card does not read (digests); they still identify
    /// a container on a stack device.
    Other,
}

/// (domain, name suffix, role). Within a domain no suffix is a word-suffix of another, except
/// that longer ones are listed first.
const SUFFIXES: &[(&str, &str, Role)] = &[
    ("sensor", "Status", Role::State),
    ("sensor", "Image", Role::Image),
    ("sensor", "CPU Usage", Role::Cpu),
    ("sensor", "Memory Usage", Role::Memory),
    ("sensor", "Uptime", Role::Uptime),
    ("sensor", "Current Version", Role::CurrentVersion),
    ("sensor", "Available Version", Role::AvailableVersion),
    ("sensor", "Current Digest", Role::Other),
    ("sensor", "Available Digest", Role::Other),
    ("sensor", "Health", Role::Health),
    ("switch", "Switch", Role::Switch),
    ("button", "Pull Update", Role::PullUpdate),
    ("button", "Restart", Role::Restart),
    ("binary_sensor", "Update Available", Role::UpdateAvailable),
    ("update", "Update", Role::Update),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StackButton {
    Start,
    Stop,
    Update,
}

/// Link's per-stack buttons: `Stack: {stack} Start` → `button.stack_{stack}_start`, etc.
const STACK_BUTTONS: [(&str, StackButton); 3] =
    [("Start", StackButton::Start), ("Stop", StackButton::Stop), ("Update", StackButton::Update)];

fn set_role(roles: &mut ContainerRoles, role: Role, entity_id: &str) {
    let slot = match role {
        Role::State => &mut roles.state,
        Role::Image => &mut roles.image,
        Role::Cpu => &mut roles.cpu,
        Role::Memory => &mut roles.memory,
        Role::Uptime => &mut roles.uptime,
        Role::CurrentVersion => &mut roles.current_version,
        Role::AvailableVersion => &mut roles.available_version,
        Role::Health => &mut roles.health,
        Role::Switch => &mut roles.switch,
        Role::Restart => &mut roles.restart,
        Role::PullUpdate => &mut roles.pull_update,
        Role::UpdateAvailable => &mut roles.update_available,
        Role::Update => &mut roles.update,
        Role::Other => return,
    };
    slot.get_or_insert_with(|| entity_id.to_string());
}

/// `"{base} ({host})"` → `(base, Some(host))`.
fn split_host(name: &str) -> (&str, Option<&str>) {
    let name = name.trim();
    if let Some(inner) = name.strip_suffix(')') {
        if let Some(open) = inner.rfind(" (") {
            let host = inner[open + 2..].trim();
            if !host.is_empty() {
                return (inner[..open].trim(), Some(host));
            }
        }
    }
    (name, None)
}

/// Case-insensitive `strip_suffix` on a word boundary: `"a Status"` minus `"Status"` is `"a"`,
/// and a text that *is* the label leaves `""`.
fn strip_label<'t>(text: &'t str, label: &str) -> Option<&'t str> {
    if text.eq_ignore_ascii_case(label) {
        return Some("");
    }
    let cut = text.len().checked_sub(label.len() + 1)?;
    let (head, tail) = (text.get(..cut)?, text.get(cut..)?);
    (tail.starts_with(' ') && tail[1..].eq_ignore_ascii_case(label)).then(|| head.trim_end())
}

/// Same on an entity object id, where the separator is `_` and HA may have appended `_2`.
fn strip_slug_label<'t>(oid: &'t str, label: &str) -> Option<&'t str> {
    let label = slug(label);
    let try_one = |o: &'t str| -> Option<&'t str> {
        if o == label {
            return Some("");
        }
        o.strip_suffix(label.as_str())?.strip_suffix('_')
    };
    try_one(oid).or_else(|| {
        let (head, n) = oid.rsplit_once('_')?;
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())).then_some(head).and_then(try_one)
    })
}

/// What one entity on a link device is: a container's role (with the container name in front
/// of the suffix, possibly empty) or a stack button. `exact` tells whether the name came from
/// the friendly name (exact Docker name) or the slugged entity id.
#[derive(Debug)]
enum Parsed {
    Container { name: String, exact: bool, role: Role },
    StackButton(StackButton),
}

fn parse_entity(e: &EntityEntry, device_name: &str, states: &dyn States) -> Option<Parsed> {
    let dom = domain(&e.entity_id);
    let friendly = friendly_name(e, states);
    let friendly = friendly.as_deref().map(|f| {
        // The fork's has_entity_name puts the device name in front of every entity name.
        f.strip_prefix(device_name).and_then(|r| r.strip_prefix(' ')).filter(|_| !device_name.is_empty()).unwrap_or(f)
    });
    let oid = object_id(&e.entity_id);
    let dev_slug = slug(device_name);
    let oid_rest = |rest: &'_ str| -> String {
        if dev_slug.is_empty() {
            return rest.to_string();
        }
        if rest == dev_slug {
            return String::new();
        }
        rest.strip_prefix(dev_slug.as_str()).and_then(|r| r.strip_prefix('_')).unwrap_or(rest).to_string()
    };

    if dom == "button" {
        for (label, kind) in STACK_BUTTONS {
            if let Some(f) = friendly {
                if let Some(rest) = strip_label(f, label) {
                    if rest.is_empty() || rest.starts_with(STACK_PREFIX) {
                        return Some(Parsed::StackButton(kind));
                    }
                }
            }
        }
        if oid.starts_with("stack_") && strip_slug_label(oid, "Pull Update").is_none() {
            for (label, kind) in STACK_BUTTONS {
                if strip_slug_label(oid, label).is_some() {
                    return Some(Parsed::StackButton(kind));
                }
            }
        }
    }

    let suffixes = || SUFFIXES.iter().filter(|(d, _, _)| *d == dom);
    let from_friendly = friendly.and_then(|f| {
        suffixes().find_map(|(_, label, role)| {
            strip_label(f, label).map(|rest| Parsed::Container { name: rest.to_string(), exact: true, role: *role })
        })
    });
    if matches!(&from_friendly, Some(Parsed::Container { name, .. }) if !name.is_empty()) {
        return from_friendly;
    }
    // A bare label ("Status") is either the fork's standalone naming or a user's rename; the
    // entity id may still carry the container name.
    let from_oid = suffixes().find_map(|(_, label, role)| {
        strip_slug_label(oid, label).map(|rest| Parsed::Container { name: oid_rest(rest), exact: false, role: *role })
    });
    match from_oid {
        Some(Parsed::Container { ref name, .. }) if !name.is_empty() => from_oid,
        _ => from_friendly.or(from_oid),
    }
}

#[derive(Default)]
struct Member {
    name: Option<String>,
    slug_name: String,
    roles: ContainerRoles,
}

fn endpoint_for(device: &DeviceEntry, host: Option<&str>) -> Endpoint {
    // One config entry is one endpoint; the host alone would merge two endpoints of one
    // Portainer server.
    let key = match (device.config_entries.first(), host) {
        (Some(entry), _) => format!("{KEY_PREFIX}{entry}"),
        (None, Some(host)) => format!("{KEY_PREFIX}host:{host}"),
        (None, None) => format!("{KEY_PREFIX}unknown"),
    };
    let base = device
        .configuration_url
        .as_deref()
        .and_then(|u| u.split("/#!").next())
        .map(|b| b.trim_end_matches('/').to_string())
        .filter(|b| !b.is_empty());
    Endpoint {
        key,
        name: host.unwrap_or("Portainer").to_string(),
        source: Source::PortainerLink,
        device_id: None,
        configuration_url: base,
    }
}

/// Portainer's endpoint id from a device's identifier, `{entry_id}_{endpoint_id}_{host}_…`.
fn endpoint_id<'a>(device: &'a DeviceEntry, entry: &str) -> Option<&'a str> {
    let rest = device.identifier(PLATFORM)?.strip_prefix(entry)?.strip_prefix('_')?;
    let id = rest.split('_').next()?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

/// Endpoints, stacks and containers of every `ha_portainer_link` config entry.
pub fn discover(registry: &Registry, states: &dyn States) -> Inventory {
    let mut by_device: BTreeMap<&str, Vec<&EntityEntry>> = BTreeMap::new();
    for e in registry.entities.iter().filter(|e| platform_is(e, PLATFORM)) {
        if let Some(device_id) = e.device_id.as_deref() {
            by_device.entry(device_id).or_default().push(e);
        }
    }

    let mut endpoints: BTreeMap<String, Endpoint> = BTreeMap::new();
    let mut named: HashSet<String> = HashSet::new();
    let mut endpoint_ids: BTreeMap<String, &str> = BTreeMap::new();
    let mut inv = Inventory::default();
    for (device_id, mut entities) in by_device {
        let Some(device) = registry.devices.get(device_id) else { continue };
        entities.sort_by(|a, b| a.entity_id.cmp(&b.entity_id));
        // The integration's own name carries the host; a user's rename does not.
        let Some(device_name) = device.name.as_deref().or(device.name_by_user.as_deref()) else { continue };
        let (base, host) = split_host(device_name);
        let model = device.model.as_deref().unwrap_or("").to_ascii_lowercase();
        let is_stack = model.contains("stack") || base.starts_with(STACK_PREFIX);
        // The fork's hub device has its own model; only model-less devices are guessed at.
        let is_container = !is_stack && (model.contains("container") || model.is_empty());
        if !is_stack && !is_container {
            continue;
        }
        let endpoint = endpoint_for(device, host);
        let endpoint_key = endpoint.key.clone();
        let entry_part = endpoint_key.trim_start_matches(KEY_PREFIX).to_string();
        if let Some(id) = endpoint_id(device, &entry_part) {
            endpoint_ids.entry(endpoint_key.clone()).or_insert(id);
        }
        let known = endpoints.entry(endpoint_key.clone()).or_insert_with(|| endpoint.clone());
        // A device without the `(host)` suffix (renamed, or malformed) must not decide the
        // endpoint's name for the others.
        if host.is_some() && named.insert(endpoint_key.clone()) {
            known.name = endpoint.name;
        }
        if known.configuration_url.is_none() {
            known.configuration_url = endpoint.configuration_url;
        }

        if is_container {
            let mut roles = ContainerRoles::default();
            let mut parsed_name = None;
            for e in &entities {
                if let Some(Parsed::Container { role, name, .. }) = parse_entity(e, device_name, states) {
                    set_role(&mut roles, role, &e.entity_id);
                    if parsed_name.is_none() && !name.is_empty() {
                        parsed_name = Some(name);
                    }
                }
            }
            // The device name is the authority for a standalone container; entity names only
            // help when the device has none.
            let Some(own_name) = Some(base.to_string()).filter(|b| !slug(b).is_empty()).or(parsed_name) else {
                continue;
            };
            if roles.entity_ids().next().is_none() {
                continue;
            }
            let name = device.display_name().map(|n| split_host(n).0).filter(|n| !n.is_empty()).unwrap_or(&own_name);
            inv.containers.push(Container {
                key: format!("{KEY_PREFIX}{entry_part}:{}", slug(&own_name)),
                name: name.to_string(),
                source: Source::PortainerLink,
                endpoint_key,
                stack_key: None,
                device_id: Some(device.id.clone()),
                configuration_url: device.configuration_url.clone(),
                roles,
            });
            continue;
        }

        let stack_name = base.strip_prefix(STACK_PREFIX).unwrap_or(base).trim();
        let stack_key = format!("{KEY_PREFIX}{entry_part}:stack:{}", slug(stack_name));
        let mut stack_roles = StackRoles::default();
        let mut members: BTreeMap<String, Member> = BTreeMap::new();
        for e in &entities {
            match parse_entity(e, device_name, states) {
                Some(Parsed::StackButton(b)) => {
                    let slot = match b {
                        StackButton::Start => &mut stack_roles.start_button,
                        StackButton::Stop => &mut stack_roles.stop_button,
                        StackButton::Update => &mut stack_roles.update_button,
                    };
                    slot.get_or_insert_with(|| e.entity_id.clone());
                }
                // A bare label on a shared stack device names no container.
                Some(Parsed::Container { name, exact, role }) if !name.is_empty() => {
                    let slug_name = slug(&name);
                    if slug_name.is_empty() {
                        continue;
                    }
                    let m =
                        members.entry(slug_name.clone()).or_insert_with(|| Member { slug_name, ..Default::default() });
                    if exact && m.name.is_none() {
                        m.name = Some(name);
                    }
                    set_role(&mut m.roles, role, &e.entity_id);
                }
                _ => {}
            }
        }
        for m in members.into_values() {
            inv.containers.push(Container {
                key: format!("{KEY_PREFIX}{entry_part}:{}", m.slug_name),
                name: m.name.unwrap_or_else(|| m.slug_name.clone()),
                source: Source::PortainerLink,
                endpoint_key: endpoint_key.clone(),
                stack_key: Some(stack_key.clone()),
                // The shared stack device is not this container's.
                device_id: None,
                configuration_url: None,
                roles: m.roles,
            });
        }
        inv.stacks.push(Stack {
            key: stack_key,
            name: if stack_name.is_empty() { base.to_string() } else { stack_name.to_string() },
            endpoint_key,
            source: Source::PortainerLink,
            device_id: Some(device.id.clone()),
            configuration_url: device.configuration_url.clone(),
            roles: stack_roles,
        });
    }
    // Two endpoints of one Portainer server (one config entry each) share the host in every
    // device name; their headings would read the same. Portainer's endpoint id tells them apart.
    let names: Vec<String> = endpoints.values().map(|e| e.name.clone()).collect();
    for (key, ep) in endpoints.iter_mut() {
        if names.iter().filter(|n| **n == ep.name).count() > 1 {
            if let Some(id) = endpoint_ids.get(key) {
                ep.name = format!("{} #{id}", ep.name);
            }
        }
    }
    inv.endpoints = endpoints.into_values().collect();
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_is_split_off() {
        assert_eq!(split_host("Stack: immich (192.168.1.10)"), ("Stack: immich", Some("192.168.1.10")));
        assert_eq!(split_host("nginx (portainer)"), ("nginx", Some("portainer")));
        assert_eq!(split_host("nginx"), ("nginx", None));
        assert_eq!(split_host("odd ()"), ("odd ()", None));
    }

    #[test]
    fn labels_strip_on_word_boundaries() {
        assert_eq!(strip_label("immich_server Status", "Status"), Some("immich_server"));
        assert_eq!(strip_label("Status", "status"), Some(""));
        assert_eq!(strip_label("immich_serverStatus", "Status"), None);
        assert_eq!(strip_label("x Restart", "Start"), None);
        assert_eq!(strip_slug_label("nginx_status_2", "Status"), Some("nginx"));
        assert_eq!(strip_slug_label("app_2_status", "Status"), Some("app_2"));
        assert_eq!(strip_slug_label("x_restart", "Start"), None);
        assert_eq!(strip_slug_label("x_pull_update", "Pull Update"), Some("x"));
    }
}
