//! Actions: confirm destructive ones, plan and send the calls, and settle every item from the
//! call's result and later states (or a timeout).
use super::Runtime;
use crate::bridge::dom;
use crate::store::{read_states as read, Confirm, Run};
use fleet_deck_core::actions::device::{fleet_bulk_calls, service_expect, BalenaServices};
use fleet_deck_core::actions::tracker::{ItemTracker, Outcome};
use fleet_deck_core::actions::{bulk, Action, ActionOption, Expect};
use fleet_deck_core::model::{Device, ItemRef, Source};
use fleet_deck_core::status::DeviceStatus;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

impl Runtime {
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

    pub(super) fn observe_runs(&self) {
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

    pub(super) fn check_timeouts(&self, now: f64) {
        let mut runs = self.store.runs.get_untracked();
        let mut changed = false;
        for run in runs.iter_mut() {
            let limit = run.action.timeout_secs();
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
}
