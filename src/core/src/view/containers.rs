//! The container view's rows: filtered by the config and the search box, grouped and sorted.
//!
//! Statuses are optional on purpose. With `sort_by: name`, `hide_stopped: false` and an empty
//! search ([`needs_status`] is false) the result depends only on the inventory, so the web
//! layer passes `None` and does not recompute the grouping on every CPU or memory update. When
//! a status lookup is passed it is called lazily, at most once per container, and only for the
//! containers that need it (a search that already matches a name never reads the image).
use crate::config::{ContainerGroupBy, ContainerOptions, ContainerSort};
use crate::model::{Container, Endpoint, Inventory, Stack};
use crate::status::ContainerStatus;
use std::cmp::Ordering;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// The containers of one stack.
    Stack { stack_key: String },
    /// The containers of one endpoint that belong to no stack (group by stack).
    Standalone { endpoint_key: String },
    /// Every container of one endpoint (group by endpoint).
    Endpoint { endpoint_key: String },
    /// No grouping: one group with everything.
    All,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerGroup {
    /// Stable across renders: `stack:<key>`, `standalone:<endpoint key>`, `endpoint:<key>`, `all`.
    pub key: String,
    /// The stack's name, or the endpoint's name for standalone and endpoint groups, or empty
    /// for `All`. The web layer words the title per kind ("Standalone · local") in the user's
    /// language; the core stays free of display text.
    pub title: String,
    pub kind: GroupKind,
    /// The endpoint the group belongs to; lets the UI tell two same-named stacks apart.
    pub endpoint_name: Option<String>,
    pub container_keys: Vec<String>,
}

/// A status lookup by container key.
pub type StatusLookup<'a> = &'a dyn Fn(&str) -> Option<ContainerStatus>;

/// Whether [`container_groups`] reads statuses for these options and this search text.
pub fn needs_status(opts: &ContainerOptions, search: &str) -> bool {
    opts.hide_stopped || opts.sort_by != ContainerSort::Name || !search.trim().is_empty()
}

/// Caches the lookup so sorting comparisons do not call it again.
struct Statuses<'f, 'k> {
    lookup: Option<StatusLookup<'f>>,
    cache: HashMap<&'k str, Option<ContainerStatus>>,
}

impl<'k> Statuses<'_, 'k> {
    fn get(&mut self, key: &'k str) -> Option<&ContainerStatus> {
        let lookup = self.lookup?;
        self.cache.entry(key).or_insert_with(|| lookup(key)).as_ref()
    }
}

fn contains_ci(haystack: &str, needle_lower: &str) -> bool {
    haystack.to_lowercase().contains(needle_lower)
}

/// Filter, group and sort the inventory's containers for the container view. Empty groups are
/// not returned. Stack groups come first (by title, then endpoint), then each endpoint's
/// standalone group (by endpoint name), so standalone containers do not land between stacks.
///
/// `status` is needed only when [`needs_status`] is true; without it `hide_stopped` keeps
/// everything, state/CPU/memory sorts fall back to name, and search skips the image.
pub fn container_groups(
    inv: &Inventory,
    status: Option<StatusLookup<'_>>,
    opts: &ContainerOptions,
    search: &str,
) -> Vec<ContainerGroup> {
    let endpoints: HashMap<&str, &Endpoint> = inv.endpoints.iter().map(|e| (e.key.as_str(), e)).collect();
    let stacks: HashMap<&str, &Stack> = inv.stacks.iter().map(|s| (s.key.as_str(), s)).collect();
    let endpoint_name = |key: &str| endpoints.get(key).map_or("", |e| e.name.as_str());
    let stack_of = |c: &Container| c.stack_key.as_deref().and_then(|k| stacks.get(k).copied());
    let needle = search.trim().to_lowercase();
    let mut statuses = Statuses { lookup: status, cache: HashMap::new() };

    let mut groups: Vec<ContainerGroup> = Vec::new();
    let mut group_index: HashMap<String, usize> = HashMap::new();
    for c in &inv.containers {
        let source_ok = opts.integrations.is_empty()
            || opts.integrations.iter().any(|i| i.trim().eq_ignore_ascii_case(c.source.config_name()));
        if !source_ok {
            continue;
        }
        let ep_name = endpoint_name(&c.endpoint_key);
        let stack = stack_of(c);
        // Standalone containers match the stack filter as an unnamed stack: kept by an
        // exclude-only filter, dropped by an include list unless it has `*`.
        if !opts.endpoints.matches(ep_name) || !opts.stacks.matches(stack.map_or("", |s| s.name.as_str())) {
            continue;
        }
        if !needle.is_empty() {
            let text_match = contains_ci(&c.name, &needle)
                || stack.is_some_and(|s| contains_ci(&s.name, &needle))
                || contains_ci(ep_name, &needle);
            let mut image_match =
                || statuses.get(&c.key).and_then(|st| st.image.as_deref()).is_some_and(|img| contains_ci(img, &needle));
            if !text_match && !image_match() {
                continue;
            }
        }
        if opts.hide_stopped && statuses.get(&c.key).is_some_and(|st| st.run.is_stopped()) {
            continue;
        }

        let (key, title, kind, ep) = match opts.group_by {
            ContainerGroupBy::Stack => match stack {
                Some(s) => (
                    format!("stack:{}", s.key),
                    s.name.clone(),
                    GroupKind::Stack { stack_key: s.key.clone() },
                    Some(endpoint_name(&s.endpoint_key).to_string()),
                ),
                None => (
                    format!("standalone:{}", c.endpoint_key),
                    ep_name.to_string(),
                    GroupKind::Standalone { endpoint_key: c.endpoint_key.clone() },
                    Some(ep_name.to_string()),
                ),
            },
            ContainerGroupBy::Endpoint => (
                format!("endpoint:{}", c.endpoint_key),
                ep_name.to_string(),
                GroupKind::Endpoint { endpoint_key: c.endpoint_key.clone() },
                Some(ep_name.to_string()),
            ),
            ContainerGroupBy::None => ("all".to_string(), String::new(), GroupKind::All, None),
        };
        let idx = *group_index.entry(key.clone()).or_insert_with(|| {
            groups.push(ContainerGroup { key, title, kind, endpoint_name: ep, container_keys: Vec::new() });
            groups.len() - 1
        });
        groups[idx].container_keys.push(c.key.clone());
    }

    let containers: HashMap<&str, &Container> = inv.containers.iter().map(|c| (c.key.as_str(), c)).collect();
    let ranks = super::name_ranks(&inv.containers, |c| &c.name, |c| &c.key);
    let by_name = |a: &str, b: &str| ranks.get(a).cmp(&ranks.get(b)).then_with(|| a.cmp(b));
    for g in &mut groups {
        if opts.sort_by != ContainerSort::Name && statuses.lookup.is_some() {
            for k in &g.container_keys {
                if let Some(c) = containers.get(k.as_str()) {
                    statuses.get(&c.key);
                }
            }
        }
        let cache = &statuses.cache;
        let st = |k: &str| cache.get(k).and_then(Option::as_ref);
        // Highest first, unknown values last.
        let desc = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        g.container_keys.sort_by(|a, b| {
            let primary = match opts.sort_by {
                ContainerSort::Name => Ordering::Equal,
                ContainerSort::State => {
                    let rank = |k: &str| st(k).map_or(u8::MAX, |s| s.run.sort_rank());
                    rank(a).cmp(&rank(b))
                }
                ContainerSort::Cpu => desc(st(a).and_then(|s| s.cpu_pct), st(b).and_then(|s| s.cpu_pct)),
                ContainerSort::Memory => desc(st(a).and_then(|s| s.mem_bytes), st(b).and_then(|s| s.mem_bytes)),
            };
            primary.then_with(|| by_name(a, b))
        });
    }

    let group_rank = |g: &ContainerGroup| match g.kind {
        GroupKind::Standalone { .. } => 1,
        _ => 0,
    };
    groups.sort_by(|a, b| {
        group_rank(a)
            .cmp(&group_rank(b))
            .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
            .then_with(|| {
                a.endpoint_name
                    .as_deref()
                    .map(str::to_lowercase)
                    .cmp(&b.endpoint_name.as_deref().map(str::to_lowercase))
            })
            .then_with(|| a.key.cmp(&b.key))
    });
    groups
}
