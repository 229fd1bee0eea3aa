//! The entity subscription and the connection: subscribe to exactly the tracked entities,
//! apply their events, and follow disconnects and the element leaving the page.
use super::Runtime;
use crate::bridge::{convert, dom, hass, Hass, Listener};
use crate::store::{write_states as write, Connection};
use fleet_deck_core::ha::events;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

impl Runtime {
    pub(super) fn schedule_resubscribe(&self) {
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
    pub(super) fn watch_connection(&self, h: &Hass) {
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
}
