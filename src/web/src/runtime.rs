//! The card's non-reactive engine: it receives `hass` and config from the loader, runs
//! discovery when the registries change, keeps the entity states (from the websocket
//! subscription, or from `hass.states` until that is live), and executes actions. It writes
//! to the [`Store`]; components only read the store and call back into here.
use crate::bridge::{convert, dom, hass, Hass, Listener, Subscription};
use crate::store::{read_states as read, write_states as write, Confirm, Connection, EntityTriggers, Locale, Model, Run, SharedStates, Store, Tab};
use fleet_deck_core::actions::tracker::{ItemTracker, Outcome};
use fleet_deck_core::actions::device::{fleet_bulk_calls, service_expect, BalenaServices};
use fleet_deck_core::actions::{bulk, Action, ActionOption, Expect};
use fleet_deck_core::config::{CardConfig, ViewMode};
use fleet_deck_core::format::NumberFormat;
use fleet_deck_core::ha::events;
use fleet_deck_core::ha::Registry;
use fleet_deck_core::i18n::Lang;
use fleet_deck_core::model::{Device, Inventory, ItemRef, Source};
use fleet_deck_core::status::DeviceStatus;
use fleet_deck_core::{discovery, status, view};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// How long after a call an item may take to show its effect before it counts as timed out.
pub fn timeout_secs(action: Action) -> f64 {
    match action {
        Action::Reboot => 300.0,
        Action::Update | Action::Recreate | Action::StackUpdate => 900.0,
        _ => 60.0,
    }
}

/// The `hass` parts whose identity the setter compares, so that an unrelated state change costs
/// a handful of property reads and nothing else.
#[derive(Default)]
struct Seen {
    entities: JsValue,
    devices: JsValue,
    language: JsValue,
    locale: JsValue,
    user: JsValue,
    themes: JsValue,
    services: JsValue,
    connection: JsValue,
}

pub struct Runtime {
    pub store: Store,
    pub owner: Owner,
    host: web_sys::EventTarget,
    hass: RefCell<Option<Hass>>,
    seen: RefCell<Seen>,
    /// The raw config as last set, kept so a reconnect/re-discovery can reuse it.
    config: RefCell<Arc<CardConfig>>,
    inventory: RefCell<Arc<Inventory>>,
    /// Source of truth for entity states, shared with the status memos.
    states: SharedStates,
    /// The current model's entity → item triggers.
    triggers: RefCell<Arc<EntityTriggers>>,
    /// Last `hass.states[id]` object seen per tracked entity (the fallback path's identity
    /// check), kept on the JS side (an array aligned with `tracked_js`) so 32,000 of them cost
    /// wasm nothing.
    last_objects: RefCell<JsValue>,
    /// Fingerprint and number of the tracked (shown) entity ids; the ids themselves live in
    /// `tracked_js` (one copy, on the JS side, where the subscription and scan need them).
    tracked: Cell<(u64, usize)>,
    /// `tracked` as a JS array, for the fallback scan.
    tracked_js: RefCell<js_sys::Array>,
    subscription: RefCell<Option<Subscription>>,
    /// Fingerprint of the ids the live subscription covers (`None`: no subscription).
    subscribed_ids: Cell<Option<u64>>,
    subscribing: Cell<bool>,
    connection_listeners: RefCell<Vec<Listener>>,
    discovery_owner: RefCell<Option<Owner>>,
    connected: Cell<bool>,
    next_run: Cell<u64>,
    timers: RefCell<Vec<dom::Timer>>,
    resubscribe_timer: RefCell<Option<dom::Timer>>,
    self_ref: RefCell<Weak<Runtime>>,
}

impl Runtime {
    pub fn new(store: Store, owner: Owner, host: web_sys::EventTarget) -> Rc<Runtime> {
        let rt = Rc::new(Runtime {
            store,
            owner,
            host,
            hass: RefCell::new(None),
            seen: RefCell::new(Seen::default()),
            config: RefCell::new(Arc::new(CardConfig::default())),
            inventory: RefCell::new(Arc::default()),
            states: SharedStates::default(),
            triggers: RefCell::new(Arc::default()),
            last_objects: RefCell::new(JsValue::UNDEFINED),
            tracked: Cell::new((0, 0)),
            tracked_js: RefCell::new(js_sys::Array::new()),
            subscription: RefCell::new(None),
            subscribed_ids: Cell::new(None),
            subscribing: Cell::new(false),
            connection_listeners: RefCell::new(Vec::new()),
            discovery_owner: RefCell::new(None),
            connected: Cell::new(false),
            next_run: Cell::new(1),
            timers: RefCell::new(Vec::new()),
            resubscribe_timer: RefCell::new(None),
            self_ref: RefCell::new(Weak::new()),
        });
        *rt.self_ref.borrow_mut() = Rc::downgrade(&rt);
        rt
    }

    fn weak(&self) -> Weak<Runtime> {
        self.self_ref.borrow().clone()
    }

    pub fn hass(&self) -> Option<Hass> {
        self.hass.borrow().clone()
    }

    // ---------------------------------------------------------------- config

    pub fn set_config(&self, value: &JsValue) -> Result<(), String> {
        let cfg = fleet_deck_core::config::parse(&convert::json(value)).map_err(|e| e.0)?;
        let cfg = Arc::new(cfg);
        let view = cfg.view;
        *self.config.borrow_mut() = cfg.clone();
        self.owner.with(|| {
            self.store.config_error.set(None);
            self.store.config.set(cfg);
            match view {
                ViewMode::Fleets => self.store.tab.set(Tab::Fleets),
                ViewMode::Containers => self.store.tab.set(Tab::Containers),
                ViewMode::Auto => {}
            }
        });
        if self.store.ready.get_untracked() {
            self.rebuild_model();
        }
        Ok(())
    }

    pub fn show_config_error(&self, message: String) {
        self.owner.with(|| self.store.config_error.set(Some(message)));
    }

    // ---------------------------------------------------------------- hass

    /// Called on every state change anywhere in the house: only identity checks here, unless
    /// the registries changed (discovery) or no subscription is live yet (fallback scan).
    pub fn set_hass(&self, raw: JsValue) {
        let h = Hass(raw);
        let mut discover = false;
        let mut locale_changed = false;
        let mut connection_changed = false;
        {
            let mut seen = self.seen.borrow_mut();
            let check = |slot: &mut JsValue, key: &str| -> bool {
                let v = h.part(key);
                if hass::same(slot, &v) {
                    false
                } else {
                    *slot = v;
                    true
                }
            };
            discover |= check(&mut seen.entities, "entities");
            discover |= check(&mut seen.devices, "devices");
            locale_changed |= check(&mut seen.language, "language");
            locale_changed |= check(&mut seen.locale, "locale");
            let user_changed = check(&mut seen.user, "user");
            let themes_changed = check(&mut seen.themes, "themes");
            let services_changed = check(&mut seen.services, "services");
            connection_changed |= check(&mut seen.connection, "connection");
            if user_changed {
                let admin = h.is_admin();
                self.owner.with(|| self.store.is_admin.set(admin));
            }
            if themes_changed {
                let dark = h.dark_mode();
                self.owner.with(|| self.store.dark.set(dark));
            }
            if services_changed {
                let names = h.service_names("balena_cloud");
                self.owner.with(|| self.store.balena_services.set(names));
            }
        }
        *self.hass.borrow_mut() = Some(h.clone());
        if locale_changed {
            self.update_locale(&h);
        }
        if connection_changed {
            self.watch_connection(&h);
        }
        if discover {
            self.discover(&h);
        } else if self.subscription.borrow().is_none() {
            self.scan_states(&h);
        }
    }

    fn update_locale(&self, h: &Hass) {
        let lang_code = h.language();
        let (nf, tz_pref, server_tz) = h.locale_parts();
        let locale = Locale {
            lang: Lang::from_code(&lang_code),
            numbers: NumberFormat::from_locale(&nf, &lang_code),
            time: crate::bridge::intl::TimeLocale {
                lang: lang_code,
                time_zone: if tz_pref == "server" { server_tz } else { String::new() },
            },
        };
        self.owner.with(|| {
            if self.store.locale.get_untracked() != locale {
                self.store.locale.set(locale);
            }
        });
    }

    /// Registries changed: rediscover, then track (and subscribe to) the entities shown.
    fn discover(&self, h: &Hass) {
        dom::mark("fd:read");
        let states_js = h.states();
        let (entities, all) = convert::known_entities_and_states(&h.part("entities"), &states_js);
        dom::mark("fd:devices");
        let devices_js = h.part("devices");
        let mut devices = convert::devices_for(&devices_js, &entities);
        for d in convert::balena_fleet_devices(&devices_js) {
            devices.entry(d.id.clone()).or_insert(d);
        }
        let registry = Registry { entities, devices };
        dom::mark("fd:discovery");
        let inv = discovery::discover(&registry, &all);
        // The registry is not kept: it is rebuilt from `hass` when it changes, and at 32,000
        // entries it would be the card's biggest allocation. Freeing it takes ~6 ms at L, but
        // freeing it after the paint instead kept it alive while the model was built, and the
        // wasm memory (which never shrinks) grew 3 MB.
        drop(registry);
        *self.inventory.borrow_mut() = Arc::new(inv);
        dom::mark("fd:model");
        // Keep the current states of everything discovery knows (small: only the attributes
        // the card reads); rebuild_model tracks the shown subset.
        *write(&self.states) = all;
        self.rebuild_model();
    }

    /// Apply the config's filters to the inventory and build per-item status memos.
    fn rebuild_model(&self) {
        let cfg = self.config.borrow().clone();
        let shown = {
            let inv = self.inventory.borrow();
            if view::shows_all(&inv, &cfg) {
                Arc::clone(&inv)
            } else {
                Arc::new(view::shown_inventory(&inv, &cfg))
            }
        };
        // The ids borrow from the inventory while the model takes `shown` over.
        let inv_for_ids = Arc::clone(&shown);
        let ids = inv_for_ids.entity_ids();
        let owner = self.owner.with(Owner::new);
        let mut triggers = EntityTriggers::with_capacity(ids.len());
        let model = owner.with(|| {
            // The memos share the model's inventory (an index each), not a copy per item.
            let mut container_status = HashMap::with_capacity(shown.containers.len());
            let mut container_brief = HashMap::with_capacity(shown.containers.len());
            for (i, c) in shown.containers.iter().enumerate() {
                let t = ArcTrigger::new();
                triggers.add_item(c.roles.entity_ids(), &t);
                // The counts read the brief, rows the full status: the first paint derives
                // 1,000 briefs and only the full statuses of the rows it shows.
                let brief = status_memo(&shown, &self.states, t.clone(), move |inv, s| status::container_brief(&inv.containers[i], s));
                container_brief.insert(c.key.clone(), brief);
                let memo = status_memo(&shown, &self.states, t, move |inv, s| status::container_status(&inv.containers[i], s));
                container_status.insert(c.key.clone(), memo);
            }
            for st in &shown.stacks {
                // Stacks have no status memo; their rows read a snapshot tracked by this.
                triggers.add_item(st.roles.entity_ids(), &ArcTrigger::new());
            }
            let mut device_status = HashMap::with_capacity(shown.devices.len());
            let mut device_triggers = Vec::with_capacity(shown.devices.len());
            for (i, d) in shown.devices.iter().enumerate() {
                let t = ArcTrigger::new();
                triggers.add_item(d.roles.entity_ids(), &t);
                device_triggers.push(t.clone());
                let memo = status_memo(&shown, &self.states, t, move |inv, s| status::device_status(&inv.devices[i], s));
                device_status.insert(d.key.clone(), memo);
            }
            let triggers = Arc::new(std::mem::take(&mut triggers));
            *self.triggers.borrow_mut() = triggers.clone();
            Model::new(shown, (container_status, container_brief), (device_status, device_triggers), self.states.clone(), triggers)
        });
        dom::mark("fd:tracked");
        *self.tracked_js.borrow_mut() = convert::id_array(&ids);
        // The fallback scan's identities are aligned with the tracked ids: start them again.
        if self.subscription.borrow().is_none() {
            self.remember_identities();
        }
        self.tracked.set((fingerprint(&ids), ids.len()));
        drop(ids);
        dom::mark("fd:paint");
        self.owner.with(|| {
            self.store.model.set(Arc::new(model));
            self.store.ready.set(true);
            // Offer the tab that has something when the config leaves the choice to us.
            if self.config.borrow().view == ViewMode::Auto {
                let m = self.store.model.get_untracked();
                if m.inv.containers.is_empty() && !m.inv.devices.is_empty() {
                    self.store.tab.set(Tab::Fleets);
                }
            }
        });
        // Rows may still hold the previous model's memos until they re-render; dispose of it
        // once they have.
        if let Some(old) = self.discovery_owner.borrow_mut().replace(owner) {
            if let Some(t) = dom::Timer::timeout(2000, move || old.cleanup()) {
                self.timers.borrow_mut().push(t);
            }
        }
        self.schedule_resubscribe();
    }

    /// Start the fallback scan's identity checks from the current `hass.states`.
    fn remember_identities(&self) {
        let states = self.hass().map(|h| h.states()).unwrap_or(JsValue::UNDEFINED);
        *self.last_objects.borrow_mut() = convert::state_identities(&states, &self.tracked_js.borrow());
    }

    /// Fallback before the subscription is live: compare `hass.states[id]` identities of the
    /// tracked entities only.
    fn scan_states(&self, h: &Hass) {
        let states_js = h.states();
        let mut last = self.last_objects.borrow_mut();
        if last.is_undefined() {
            *last = convert::state_identities(&JsValue::UNDEFINED, &self.tracked_js.borrow());
        }
        let changed = convert::changed_states(&states_js, &self.tracked_js.borrow(), &last);
        drop(last);
        {
            let mut states = write(&self.states);
            for id in &changed {
                match convert::entity_state(&hass::get(&states_js, id)) {
                    Some(s) => {
                        states.insert(id.clone(), s);
                    }
                    None => {
                        states.remove(id);
                    }
                }
            }
        }
        if !changed.is_empty() {
            self.publish(&changed);
        }
    }

    /// Fire the triggers of the items that own the changed entities and settle pending action
    /// items.
    fn publish(&self, changed: &[String]) {
        let triggers = self.triggers.borrow().clone();
        self.owner.with(|| {
            for id in changed {
                triggers.for_each(id, |t| t.notify());
            }
        });
        self.observe_runs();
    }

    // ---------------------------------------------------------------- subscription

    fn schedule_resubscribe(&self) {
        let weak = self.weak();
        // Debounced: a burst of registry updates leads to one new subscription.
        let t = dom::Timer::timeout(150, move || {
            if let Some(rt) = weak.upgrade() {
                rt.resubscribe(false);
            }
        });
        *self.resubscribe_timer.borrow_mut() = t;
    }

    /// (Re)subscribe to exactly the tracked entities, unless that subscription already exists.
    pub fn resubscribe(&self, force: bool) {
        if !self.connected.get() || self.subscribing.get() {
            return;
        }
        let fp = self.tracked.get().0;
        if !force && self.subscription.borrow().is_some() && self.subscribed_ids.get() == Some(fp) {
            return;
        }
        // Never two subscriptions for the same thing: the old one goes before the new one.
        self.drop_subscription();
        let Some(h) = self.hass() else { return };
        if self.tracked.get().1 == 0 {
            return;
        }
        let connection = h.connection();
        // Built from the tracked ids' JS array: no second copy of 32,000 ids in wasm.
        let msg = hass::subscribe_entities_msg(&self.tracked_js.borrow());
        let weak = self.weak();
        let weak_cb = self.weak();
        self.subscribing.set(true);
        leptos::task::spawn_local(async move {
            let result = hass::subscribe_message(&connection, &msg, false, move |ev| {
                if let Some(rt) = weak_cb.upgrade() {
                    rt.on_entities_event(ev);
                }
            })
            .await;
            let Some(rt) = weak.upgrade() else { return };
            rt.subscribing.set(false);
            match result {
                Ok(sub) => {
                    // The element may have been disconnected or the set changed meanwhile.
                    if !rt.connected.get() || rt.tracked.get().0 != fp {
                        drop(sub);
                        if rt.connected.get() {
                            rt.resubscribe(false);
                        }
                        return;
                    }
                    *rt.subscription.borrow_mut() = Some(sub);
                    rt.subscribed_ids.set(Some(fp));
                    // The subscription now carries every change; the fallback's identities
                    // are only needed again after a disconnect (then rebuilt on first scan).
                    *rt.last_objects.borrow_mut() = JsValue::UNDEFINED;
                    rt.owner.with(|| rt.store.subscribed.set(true));
                }
                Err(e) => {
                    // No subscribeMessage (or it failed): stay on the `hass.states` fallback.
                    dom::console_error(&format!("Fleet Deck: entity subscription failed: {e}"));
                }
            }
        });
    }

    fn drop_subscription(&self) {
        let old = self.subscription.borrow_mut().take();
        drop(old);
        self.subscribed_ids.set(None);
        self.remember_identities();
        self.owner.with(|| self.store.subscribed.set(false));
    }

    fn on_entities_event(&self, raw: JsValue) {
        let mut changed = Vec::new();
        for piece in convert::event_chunks(&raw) {
            match events::decode(&piece) {
                // `apply` reports only real differences (the initial event re-sends every state).
                Ok(ev) => changed.extend(events::apply(&mut write(&self.states), &ev)),
                Err(e) => dom::console_error(&format!("Fleet Deck: unreadable entity event: {e}")),
            }
        }
        if !changed.is_empty() {
            changed.sort_unstable();
            changed.dedup();
            self.publish(&changed);
        }
    }

    /// Follow the connection's `disconnected`/`ready` events: show "reconnecting", keep the
    /// last values, and resubscribe once on `ready` (with `resubscribe: false`, as HA's own
    /// history cards do, so no stale replay doubles the subscription).
    fn watch_connection(&self, h: &Hass) {
        let conn = h.connection();
        {
            let listeners = self.connection_listeners.borrow();
            if listeners.first().is_some_and(|l| hass::same(l.target(), &conn)) {
                return;
            }
        }
        let mut listeners = Vec::new();
        let weak = self.weak();
        if let Some(l) = Listener::new(&conn, "disconnected", move |_| {
            if let Some(rt) = weak.upgrade() {
                // The library forgets subscriptions made with resubscribe:false; ours is dead.
                if let Some(mut sub) = rt.subscription.borrow_mut().take() {
                    sub.forget_unsubscribe();
                }
                rt.subscribed_ids.set(None);
                rt.remember_identities();
                rt.owner.with(|| {
                    rt.store.connection.set(Connection::Reconnecting);
                    rt.store.subscribed.set(false);
                });
            }
        }) {
            listeners.push(l);
        }
        let weak = self.weak();
        if let Some(l) = Listener::new(&conn, "ready", move |_| {
            if let Some(rt) = weak.upgrade() {
                rt.owner.with(|| {
                    rt.store.connection.set(Connection::Live);
                    // The history hook resubscribes with a fresh start_time on this.
                    rt.store.reconnects.update(|n| *n += 1);
                });
                rt.resubscribe(true);
            }
        }) {
            listeners.push(l);
        }
        *self.connection_listeners.borrow_mut() = listeners;
    }

    pub fn connected(&self) {
        self.connected.set(true);
        self.owner.with(|| self.store.attached.set(true));
        let weak = self.weak();
        // "now" drives relative times ("5 minutes ago") and action timeouts.
        if let Some(t) = dom::Timer::interval(1000, move || {
            if let Some(rt) = weak.upgrade() {
                rt.tick();
            }
        }) {
            self.timers.borrow_mut().push(t);
        }
        self.resubscribe(false);
    }

    pub fn disconnected(&self) {
        self.connected.set(false);
        self.owner.with(|| self.store.attached.try_set(false));
        self.drop_subscription();
        self.timers.borrow_mut().clear();
    }

    fn tick(&self) {
        let now = dom::now();
        self.owner.with(|| {
            // Relative times only need minute resolution; avoid waking every row each second.
            if (now - self.store.now.get_untracked()).abs() >= 30.0 {
                self.store.now.set(now);
            }
        });
        self.check_timeouts(now);
    }

    // ---------------------------------------------------------------- actions

    /// A person asked for `action` on some items: confirm first when it is destructive.
    pub fn request(&self, action: Action, items: Vec<(ItemRef, String, ActionOption)>, skipped: Vec<String>) {
        if items.is_empty() {
            return;
        }
        if action.destructive() {
            self.owner.with(|| self.store.confirm.set(Some(Confirm { action, items, skipped })));
        } else {
            self.execute(action, items);
        }
    }

    pub fn confirm_pending(&self) {
        let c = self.owner.with(|| {
            let c = self.store.confirm.get_untracked();
            self.store.confirm.set(None);
            c
        });
        if let Some(c) = c {
            self.execute(c.action, c.items);
        }
    }

    /// Send the calls (merged and chunked), then settle each item from later states. Device
    /// bulk actions go through balena_cloud's own bulk services when it registers them.
    pub fn execute(&self, action: Action, mut items: Vec<(ItemRef, String, ActionOption)>) {
        let Some(h) = self.hass() else { return };
        let mut planned = self.balena_bulk(action, &mut items);
        let rest: Vec<(ItemRef, fleet_deck_core::actions::ServiceCall)> = items
            .iter()
            .filter(|(item, _, _)| !planned.iter().any(|p| p.items.contains(item)))
            .map(|(item, _, opt)| (item.clone(), opt.call.clone()))
            .collect();
        planned.extend(bulk::plan(&rest));
        let run_id = self.begin_run(action, items.into_iter().map(|(item, name, opt)| (item, name, opt.expect)).collect());
        for planned in planned {
            let h = h.clone();
            let weak = self.weak();
            leptos::task::spawn_local(async move {
                let result = h.call_service(&planned.call, false).await;
                if let Some(rt) = weak.upgrade() {
                    rt.settle_call(run_id, &planned.items, result.map(|_| ()));
                }
            });
        }
    }

    /// Start a run: one tracker per item, shown in the results and marking the items pending.
    pub fn begin_run(&self, action: Action, items: Vec<(ItemRef, String, Expect)>) -> u64 {
        let now = dom::now();
        let run_id = self.next_run.get();
        self.next_run.set(run_id + 1);
        self.owner.with(|| {
            self.store.pending.update(|p| {
                for (item, _, _) in &items {
                    p.insert(item.clone(), action);
                }
            });
            let run = Run { id: run_id, action, items: items.into_iter().map(|(item, name, expect)| (name, ItemTracker::new(item, expect, now))).collect() };
            self.store.runs.update(|runs| {
                runs.push(run);
                // Keep the newest few runs; older results are dismissed automatically.
                let excess = runs.len().saturating_sub(4);
                runs.drain(..excess);
            });
        });
        run_id
    }

    /// `balena_cloud.bulk_restart`/`bulk_reboot`/`restart_fleet` for a multi-device selection
    /// when registered (core `fleet_bulk_calls`); the items they cover get the service's
    /// expectation. Everything else stays on the button path.
    fn balena_bulk(&self, action: Action, items: &mut [(ItemRef, String, ActionOption)]) -> Vec<bulk::PlannedCall> {
        if items.len() < 2 || !matches!(action, Action::RestartApp | Action::Reboot) {
            return vec![];
        }
        let services = self.store.balena_services.with_untracked(|n| BalenaServices::from_service_names(&n.iter().map(String::as_str).collect::<Vec<_>>()));
        let m = self.store.model.get_untracked();
        let status = |k: &str| m.device_status.get(k).and_then(|s| s.try_get_untracked());
        let devices: Vec<&Device> = items.iter().filter_map(|(i, _, _)| if let ItemRef::Device(k) = i { m.device(k) } else { None }).collect();
        if devices.len() != items.len() {
            return vec![];
        }
        let statuses: HashMap<String, DeviceStatus> = devices.iter().filter_map(|d| status(&d.key).map(|st| (d.key.clone(), st))).collect();
        let able = |d: &Device| d.source == Source::BalenaCloud && statuses.get(&d.key).is_none_or(|st| st.online != Some(false));
        // The whole fleet: every device of one fleet that is not offline is selected.
        let fleet = &devices[0].fleet_key;
        let whole = devices.iter().all(|d| &d.fleet_key == fleet)
            && m.inv.devices.iter().filter(|d| &d.fleet_key == fleet).all(|d| {
                devices.iter().any(|x| x.key == d.key) || status(&d.key).is_some_and(|st| st.online == Some(false))
            });
        let fleet_id = if whole { m.inv.fleet(fleet).and_then(|f| f.fleet_id) } else { None };
        let Some(calls) = fleet_bulk_calls(action, &devices, &statuses, &services, fleet_id) else { return vec![] };
        let covered: Vec<ItemRef> = devices.iter().filter(|d| able(d)).map(|d| ItemRef::Device(d.key.clone())).collect();
        for (item, _, opt) in items.iter_mut() {
            if let (true, ItemRef::Device(k)) = (covered.contains(item), &*item) {
                if let Some(d) = m.device(k) {
                    opt.expect = service_expect(action, d);
                }
            }
        }
        calls
            .into_iter()
            .map(|call| {
                let items = match call.data.get("device_uuids").and_then(|v| v.as_array()) {
                    Some(uuids) => uuids.iter().filter_map(|u| u.as_str()).map(|u| ItemRef::Device(u.to_string())).collect(),
                    None => covered.clone(),
                };
                bulk::PlannedCall { call, items }
            })
            .collect()
    }

    /// An item of a run was confirmed by other means (an env read-back): done.
    pub fn confirm_item(&self, run_id: u64, item: &ItemRef) {
        self.update_run(run_id, |t| {
            if &t.item == item && matches!(t.outcome, Outcome::Pending | Outcome::Sent) {
                t.outcome = Outcome::Done;
            }
        });
    }

    pub fn settle_call(&self, run_id: u64, items: &[ItemRef], result: Result<(), String>) {
        self.update_run(run_id, |tracker| {
            if items.contains(&tracker.item) {
                match &result {
                    Ok(()) => tracker.call_succeeded(),
                    Err(msg) => tracker.call_failed(msg),
                }
            }
        });
        self.observe_runs();
    }

    fn update_run(&self, run_id: u64, mut f: impl FnMut(&mut ItemTracker)) {
        self.owner.with(|| {
            self.store.runs.update(|runs| {
                if let Some(run) = runs.iter_mut().find(|r| r.id == run_id) {
                    for (_, t) in run.items.iter_mut() {
                        f(t);
                    }
                }
            })
        });
        self.clear_settled_pending();
    }

    fn observe_runs(&self) {
        let any_pending = self.store.runs.with_untracked(|runs| runs.iter().any(|r| r.items.iter().any(|(_, t)| !t.outcome.is_final())));
        if !any_pending {
            return;
        }
        let states = read(&self.states);
        let mut changed = false;
        let mut runs = self.store.runs.get_untracked();
        for run in runs.iter_mut() {
            for (_, t) in run.items.iter_mut() {
                // Progress without an outcome counts too (a reboot's online sensor leaving
                // `on`): dropping it would make the later return look like no reboot at all.
                let before = t.clone();
                t.observe(&*states);
                changed |= *t != before;
            }
        }
        drop(states);
        if changed {
            self.owner.with(|| self.store.runs.set(runs));
            self.clear_settled_pending();
        }
    }

    fn check_timeouts(&self, now: f64) {
        let mut runs = self.store.runs.get_untracked();
        let mut changed = false;
        for run in runs.iter_mut() {
            let limit = timeout_secs(run.action);
            for (_, t) in run.items.iter_mut() {
                // Only a call that went through can time out; a call still in flight waits.
                if t.call_ok() {
                    changed |= t.check_timeout(now, limit);
                }
            }
        }
        if changed {
            self.owner.with(|| self.store.runs.set(runs));
            self.clear_settled_pending();
        }
    }

    /// Rows leave their pending state once their item settled.
    fn clear_settled_pending(&self) {
        let settled: HashSet<ItemRef> = self.store.runs.with_untracked(|runs| {
            runs.iter().flat_map(|r| r.items.iter()).filter(|(_, t)| t.outcome != Outcome::Pending).map(|(_, t)| t.item.clone()).collect()
        });
        let still: HashSet<ItemRef> = self.store.runs.with_untracked(|runs| {
            runs.iter().flat_map(|r| r.items.iter()).filter(|(_, t)| t.outcome == Outcome::Pending).map(|(_, t)| t.item.clone()).collect()
        });
        self.owner.with(|| {
            if self.store.pending.with_untracked(|p| p.keys().any(|k| settled.contains(k) && !still.contains(k))) {
                self.store.pending.update(|p| p.retain(|k, _| still.contains(k)));
            }
        });
    }

    // ---------------------------------------------------------------- misc

    /// Open Home Assistant's more-info dialog for an entity.
    pub fn more_info(&self, entity_id: &str) {
        dom::fire(&self.host, "hass-more-info", &serde_json::json!({ "entityId": entity_id }));
    }

    /// The current state of one tracked entity (non-reactive).
    pub fn state_of(&self, entity_id: &str) -> Option<fleet_deck_core::ha::EntityState> {
        read(&self.states).get(entity_id).cloned()
    }

    pub fn user_name(&self) -> String {
        self.hass().map(|h| h.user_name()).unwrap_or_default()
    }
}

/// A cheap identity for a list of entity ids (the subscription's), instead of a second copy.
fn fingerprint(ids: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = fleet_deck_core::ha::state::FxHasher::default();
    ids.hash(&mut h);
    h.finish()
}

/// One item's status memo: re-derived when the item's trigger fires, from the shared states.
fn status_memo<T: Clone + PartialEq + Send + Sync + 'static>(
    inv: &Arc<Inventory>,
    states: &SharedStates,
    trigger: ArcTrigger,
    derive: impl Fn(&Inventory, &fleet_deck_core::ha::StateMap) -> T + Send + Sync + 'static,
) -> Memo<T> {
    let (inv, states) = (inv.clone(), states.clone());
    Memo::new(move |_| {
        trigger.track();
        derive(&inv, &read(&states))
    })
}
