//! The card's non-reactive engine: it receives `hass` and config from the loader, runs
//! discovery when the registries change, keeps the entity states (from the websocket
//! subscription, or from `hass.states` until that is live), and executes actions. It writes
//! to the [`Store`]; components only read the store and call back into here.
//!
//! `subscription` follows the websocket and the connection; `actions` runs the service calls a
//! person asked for and settles them from later states.
mod actions;
mod subscription;


use crate::bridge::{convert, dom, hass, Hass, Listener, Subscription};
use crate::store::{read_states as read, write_states as write, EntityTriggers, Locale, Model, SharedStates, Store, Tab};
use fleet_deck_core::config::{CardConfig, ViewMode};
use fleet_deck_core::format::NumberFormat;
use fleet_deck_core::ha::Registry;
use fleet_deck_core::i18n::Lang;
use fleet_deck_core::model::Inventory;
use fleet_deck_core::{discovery, status, view};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::JsValue;

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
    rediscover_timer: RefCell<Option<dom::Timer>>,
    rediscover_pending: Cell<bool>,
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
            rediscover_timer: RefCell::new(None),
            rediscover_pending: Cell::new(false),
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
        // A sensor discovery could not place (unavailable when the dashboard opened) came back
        // with what places it: discover again, once for a burst (an endpoint's whole list
        // comes back in one poll). Nothing to do, and no cost, when nothing waits.
        if self.rediscover_pending.get() {
            return;
        }
        let inv = self.inventory.borrow();
        if !inv.waiting.is_empty() {
            let states = read(&self.states);
            if changed.iter().any(|id| discovery::placeable(&inv, id, states.get(id))) {
                drop(states);
                self.rediscover_pending.set(true);
                let weak = self.weak();
                // The timer stays in its slot until the next one replaces it: dropping it
                // here, inside its own callback, would free the running closure.
                let t = dom::Timer::timeout(300, move || {
                    if let Some(rt) = weak.upgrade() {
                        rt.rediscover_pending.set(false);
                        if let Some(h) = rt.hass() {
                            rt.discover(&h);
                        }
                    }
                });
                *self.rediscover_timer.borrow_mut() = t;
            }
        }
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
