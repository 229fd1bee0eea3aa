//! The card's reactive state. Everything a component reads is a signal or memo here; the
//! non-reactive runtime ([`crate::runtime`]) writes to it.
//!
//! Fine-grained by construction: one change trigger per container, stack and device, and one
//! status memo per container and device (reading only that item's entities), so a state change
//! re-runs exactly the memos of the items that own the entity, and only rows whose status
//! really changed touch the DOM. The states themselves live once, in [`SharedStates`]: at
//! 32,000 entities a signal per entity cost hundreds of milliseconds and tens of megabytes.
use fleet_deck_core::actions::tracker::ItemTracker;
use fleet_deck_core::actions::{Action, ActionOption};
use fleet_deck_core::aggregate::containers::{container_counts, ContainerCounts};
use fleet_deck_core::config::CardConfig;
use fleet_deck_core::format::NumberFormat;
use fleet_deck_core::ha::{EntityState, StateMap, States};
use fleet_deck_core::i18n::Lang;
use fleet_deck_core::model::{Inventory, ItemRef};
use fleet_deck_core::status::{device_online, ContainerStatus, DeviceStatus};
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::bridge::intl::TimeLocale;

/// The entity states the card keeps, shared by the runtime (which writes them) and the status
/// memos (which read them). Single-threaded wasm: the lock is never contended.
pub type SharedStates = Arc<RwLock<StateMap>>;

/// Reads the shared states. A poisoned lock (a panic while writing) cannot happen with
/// panic=abort; its data is used as it is rather than taking the card down.
pub fn read_states(states: &SharedStates) -> RwLockReadGuard<'_, StateMap> {
    states.read().unwrap_or_else(|e| e.into_inner())
}

/// Writes the shared states (see [`read_states`]).
pub fn write_states(states: &SharedStates) -> RwLockWriteGuard<'_, StateMap> {
    states.write().unwrap_or_else(|e| e.into_inner())
}

/// Which items' triggers an entity change fires: usually one, and the rare entity two items
/// share gets its other triggers in `extra`.
#[derive(Default)]
pub struct EntityTriggers {
    pub first: fleet_deck_core::ha::state::FxHashMap<String, ArcTrigger>,
    pub extra: Vec<(String, ArcTrigger)>,
}

impl EntityTriggers {
    /// Room for `n` entities: growing to 32,000 rehashed every id about twice.
    pub fn with_capacity(n: usize) -> Self {
        EntityTriggers { first: fleet_deck_core::ha::state::FxHashMap::with_capacity_and_hasher(n, Default::default()), extra: Vec::new() }
    }
    /// Adds one item's trigger for its (deduplicated) entity ids.
    pub fn add_item<'a>(&mut self, ids: impl IntoIterator<Item = &'a String>, t: &ArcTrigger) {
        let mut seen: Vec<&String> = Vec::new();
        for id in ids {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
            if self.first.contains_key(id) {
                self.extra.push((id.clone(), t.clone()));
            } else {
                self.first.insert(id.clone(), t.clone());
            }
        }
    }
    pub fn for_each(&self, id: &str, mut f: impl FnMut(&ArcTrigger)) {
        if let Some(t) = self.first.get(id) {
            f(t);
        }
        for (_, t) in self.extra.iter().filter(|(x, _)| x == id) {
            f(t);
        }
    }
}

/// Language and formats of the current user.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Locale {
    pub lang: Lang,
    pub numbers: NumberFormat,
    pub time: TimeLocale,
}

/// The discovered, config-filtered inventory with one status memo per item.
pub struct Model {
    pub inv: Arc<Inventory>,
    pub container_status: HashMap<String, Memo<ContainerStatus>>,
    /// Only the fields the counts read (run state, health, update, OOM), derived on their own
    /// (`status::container_brief`) with the container's trigger: a CPU or memory tick changes
    /// the status but not this, so the header and group counts over 1,000 containers do not
    /// re-count on every metric, and the first paint derives no full status it does not show.
    pub container_brief: HashMap<String, Memo<ContainerStatus>>,
    /// Header counts of blocks of 32 containers (in inventory order). The header sums the
    /// blocks: a memo over all 1,000 briefs had to walk (and copy) its 1,000 sources on every
    /// state change; this way a change re-checks one block and the ~32 block sums.
    pub container_blocks: Vec<Memo<ContainerCounts>>,
    /// Online devices per block of 32 (the tab's count), for the same reason.
    pub online_blocks: Vec<Memo<usize>>,
    pub device_status: HashMap<String, Memo<DeviceStatus>>,
    pub states: SharedStates,
    /// Each shown entity's item trigger(s): tracked by readers, fired by the runtime.
    pub triggers: Arc<EntityTriggers>,
    /// Position of each container/device in `inv`, so rows find theirs in O(1).
    pub container_index: HashMap<String, usize>,
    pub device_index: HashMap<String, usize>,
}

impl Model {
    pub fn empty() -> Self {
        Model::new(Arc::default(), (HashMap::new(), HashMap::new()), (HashMap::new(), Vec::new()), SharedStates::default(), Arc::default())
    }
    /// `containers`: each container's status and brief memos; `devices`: each device's status
    /// memo, and its change trigger in inventory order.
    pub fn new(
        inv: Arc<Inventory>,
        (container_status, container_brief): (HashMap<String, Memo<ContainerStatus>>, HashMap<String, Memo<ContainerStatus>>),
        (device_status, device_triggers): (HashMap<String, Memo<DeviceStatus>>, Vec<ArcTrigger>),
        states: SharedStates,
        triggers: Arc<EntityTriggers>,
    ) -> Self {
        let container_index = inv.containers.iter().enumerate().map(|(i, c)| (c.key.clone(), i)).collect();
        let device_index = inv.devices.iter().enumerate().map(|(i, d)| (d.key.clone(), i)).collect();
        let container_blocks = (0..inv.containers.len())
            .collect::<Vec<_>>()
            .chunks(32)
            .map(|block| {
                let items: Vec<(usize, Memo<ContainerStatus>)> =
                    block.iter().filter_map(|&i| container_brief.get(&inv.containers[i].key).map(|m| (i, *m))).collect();
                let inv = inv.clone();
                Memo::new(move |_| {
                    let briefs: Vec<(usize, ContainerStatus)> = items.iter().filter_map(|(i, m)| m.try_get().map(|st| (*i, st))).collect();
                    container_counts(briefs.iter().map(|(i, st)| (&inv.containers[*i], st)), 0)
                })
            })
            .collect();
        // The fleet tab's count: only whether each device is online, not its whole status, so
        // no device status is derived while the containers tab is shown.
        let online_blocks = device_triggers
            .chunks(32)
            .enumerate()
            .map(|(b, block)| {
                let (inv, states, block) = (inv.clone(), states.clone(), block.to_vec());
                Memo::new(move |_| {
                    block.iter().for_each(ArcTrigger::track);
                    let states = read_states(&states);
                    let devices = inv.devices.iter().skip(b * 32).take(block.len());
                    devices.filter(|d| device_online(d, &*states) == Some(true)).count()
                })
            })
            .collect();
        Model { inv, container_status, container_brief, container_blocks, online_blocks, device_status, states, triggers, container_index, device_index }
    }
    pub fn container(&self, key: &str) -> Option<&fleet_deck_core::model::Container> {
        self.container_index.get(key).and_then(|i| self.inv.containers.get(*i))
    }
    pub fn device(&self, key: &str) -> Option<&fleet_deck_core::model::Device> {
        self.device_index.get(key).and_then(|i| self.inv.devices.get(*i))
    }
    pub fn container_status(&self, key: &str) -> Option<ContainerStatus> {
        self.container_status.get(key).and_then(|m| m.try_get())
    }
    /// The count-relevant part of a container's status (tracked).
    pub fn container_brief(&self, key: &str) -> Option<ContainerStatus> {
        self.container_brief.get(key).and_then(|m| m.try_get())
    }
    pub fn device_status(&self, key: &str) -> Option<DeviceStatus> {
        self.device_status.get(key).and_then(|m| m.try_get())
    }
    /// Runs `f` on the entity states, tracking the triggers of `ids` (the entities `f` reads),
    /// without copying any state: at 1,000 selected containers the copies were most of the
    /// bulk bar's cost.
    pub fn with_states<'a, R>(&self, ids: impl IntoIterator<Item = &'a String>, f: impl FnOnce(&dyn States) -> R) -> R {
        for id in ids {
            self.triggers.for_each(id, |t| t.track());
        }
        let states = read_states(&self.states);
        f(&*states)
    }
    /// One entity's current state, untracked (for one-off reads such as a chart's unit).
    pub fn state_untracked(&self, id: &str) -> Option<EntityState> {
        read_states(&self.states).get(id).cloned()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Containers,
    Fleets,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Live,
    Reconnecting,
}

/// Actions waiting for the person's confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    pub action: Action,
    pub items: Vec<(ItemRef, String, ActionOption)>,
    /// Items of the selection the action does not apply to, with the reason text.
    pub skipped: Vec<String>,
}

/// One run of an action over one or more items, and each item's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub id: u64,
    pub action: Action,
    pub items: Vec<(String, ItemTracker)>,
}

#[derive(Clone, Copy)]
pub struct Store {
    pub config: RwSignal<Arc<CardConfig>>,
    pub config_error: RwSignal<Option<String>>,
    pub locale: RwSignal<Locale>,
    pub is_admin: RwSignal<bool>,
    pub dark: RwSignal<bool>,
    pub model: RwSignal<Arc<Model>>,
    /// True once discovery ran on a `hass`.
    pub ready: RwSignal<bool>,
    pub connection: RwSignal<Connection>,
    pub subscribed: RwSignal<bool>,
    pub now: RwSignal<f64>,
    pub tab: RwSignal<Tab>,
    pub container_search: RwSignal<String>,
    pub device_search: RwSignal<String>,
    pub selection: RwSignal<HashSet<ItemRef>>,
    pub pending: RwSignal<HashMap<ItemRef, Action>>,
    /// Groups whose open/closed state the person toggled (the default depends on the size).
    pub toggled: RwSignal<HashSet<String>>,
    /// Extra pages shown per group ("Show more").
    pub pages: RwSignal<HashMap<String, usize>>,
    pub confirm: RwSignal<Option<Confirm>>,
    pub runs: RwSignal<Vec<Run>>,
    /// Device key whose env-var editor is open.
    pub env_device: RwSignal<Option<String>>,
    /// Item whose detail chart is open.
    pub chart_item: RwSignal<Option<ItemRef>>,
    /// Fleet key whose aggregate chart is open.
    pub chart_fleet: RwSignal<Option<String>>,
    /// Entity ids the mounted charts draw (a multiset: each chart adds and removes its own).
    pub chart_ids: RwSignal<Vec<String>>,
    /// Chart series and their per-entity change triggers (written by `use_history`).
    pub charts: StoredValue<crate::hooks::use_history::ChartData>,
    /// Bumped on every `ready` of the connection (subscriptions made with
    /// `resubscribe: false` start again with a fresh `start_time`).
    pub reconnects: RwSignal<u32>,
    /// The card element is in the document (between `connectedCallback` and
    /// `disconnectedCallback`).
    pub attached: RwSignal<bool>,
    /// Registered balena_cloud services (bulk services, get_environment).
    pub balena_services: RwSignal<Vec<String>>,
    pub narrow: RwSignal<bool>,
}

impl Store {
    pub fn new() -> Self {
        Store {
            config: RwSignal::new(Arc::new(CardConfig::default())),
            config_error: RwSignal::new(None),
            locale: RwSignal::new(Locale::default()),
            is_admin: RwSignal::new(false),
            dark: RwSignal::new(false),
            model: RwSignal::new(Arc::new(Model::empty())),
            ready: RwSignal::new(false),
            connection: RwSignal::new(Connection::Live),
            subscribed: RwSignal::new(false),
            now: RwSignal::new(crate::bridge::dom::now()),
            tab: RwSignal::new(Tab::Containers),
            container_search: RwSignal::new(String::new()),
            device_search: RwSignal::new(String::new()),
            selection: RwSignal::new(HashSet::new()),
            pending: RwSignal::new(HashMap::new()),
            toggled: RwSignal::new(HashSet::new()),
            pages: RwSignal::new(HashMap::new()),
            confirm: RwSignal::new(None),
            runs: RwSignal::new(Vec::new()),
            env_device: RwSignal::new(None),
            chart_item: RwSignal::new(None),
            chart_fleet: RwSignal::new(None),
            chart_ids: RwSignal::new(Vec::new()),
            charts: StoredValue::new(Default::default()),
            reconnects: RwSignal::new(0),
            attached: RwSignal::new(false),
            balena_services: RwSignal::new(Vec::new()),
            narrow: RwSignal::new(false),
        }
    }

    /// Translate a key with placeholders in the current language (tracked).
    pub fn tr(&self, key: &str, args: &[(&str, &str)]) -> String {
        fleet_deck_core::i18n::tr(self.locale.with(|l| l.lang), key, args)
    }
    pub fn t(&self, key: &str) -> String {
        self.tr(key, &[])
    }

    /// How many rows a group shows with its "Show more" pages (tracked).
    pub fn page_limit(&self, group_key: &str) -> usize {
        let per_page = self.config.with(|c| c.page_size);
        per_page * (1 + self.pages.with(|p| p.get(group_key).copied().unwrap_or(0)))
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}
