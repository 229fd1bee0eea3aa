//! Bulk planning shared by the container and fleet views: which of a selection an action
//! applies to (and why the rest do not), and how per-item calls become as few Home Assistant
//! calls as possible.
use super::{Action, ActionOption, Disabled, ServiceCall};
use crate::model::ItemRef;

/// HA handles long target lists fine, but one huge call makes a single failure sink every item
/// and can outlast the frontend's call timeout; 50 keeps both bounded.
pub const MAX_TARGETS_PER_CALL: usize = 50;

/// One call to send and the items it acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedCall {
    pub call: ServiceCall,
    pub items: Vec<ItemRef>,
}

/// Merge per-item calls that differ only in their entity targets into one call per
/// (domain, service, data), chunked to [`MAX_TARGETS_PER_CALL`]. Calls without a target (the
/// `balena_cloud.*` services, which reject targets) stay one call per item. Order follows first
/// appearance so the plan is deterministic.
pub fn plan(calls: &[(ItemRef, ServiceCall)]) -> Vec<PlannedCall> {
    let mut out: Vec<PlannedCall> = Vec::new();
    for (item, call) in calls {
        if call.entity_ids.is_empty() {
            out.push(PlannedCall { call: call.clone(), items: vec![item.clone()] });
            continue;
        }
        let open = out.iter_mut().find(|p| {
            !p.call.entity_ids.is_empty()
                && p.call.domain == call.domain
                && p.call.service == call.service
                && p.call.data == call.data
                && p.call.entity_ids.len() + call.entity_ids.len() <= MAX_TARGETS_PER_CALL
        });
        match open {
            Some(p) => {
                for id in &call.entity_ids {
                    if !p.call.entity_ids.contains(id) {
                        p.call.entity_ids.push(id.clone());
                    }
                }
                if !p.items.contains(item) {
                    p.items.push(item.clone());
                }
            }
            None => out.push(PlannedCall { call: call.clone(), items: vec![item.clone()] }),
        }
    }
    out
}

/// An action offered for a selection: who it applies to, and who it skips and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkChoice {
    pub action: Action,
    pub applicable: Vec<(ItemRef, ActionOption)>,
    /// Skipped items grouped by reason, with how many each.
    pub skipped: Vec<(Disabled, usize)>,
    pub total: usize,
}

/// For every action any selected item offers: the items it applies to now and the reasons the
/// others are skipped ("Restart 7 of 9 — 2 are not running"). Takes the options by value and
/// moves each into its choice: at 1,000 selected containers, copying them (every option's
/// service call and its strings) was most of what "select all" cost.
pub fn choices(selection: Vec<(ItemRef, Vec<ActionOption>)>) -> Vec<BulkChoice> {
    let mut actions: Vec<Action> = selection.iter().flat_map(|(_, opts)| opts.iter().map(|o| o.action)).collect();
    actions.sort();
    actions.dedup();
    let total = selection.len();
    let mut out: Vec<BulkChoice> =
        actions.iter().map(|&action| BulkChoice { action, applicable: Vec::new(), skipped: Vec::new(), total }).collect();
    for (item, opts) in selection {
        let mut opts: Vec<Option<ActionOption>> = opts.into_iter().map(Some).collect();
        for choice in &mut out {
            // An item offers each action at most once; the first offer counts.
            let found = opts.iter_mut().find(|o| o.as_ref().is_some_and(|o| o.action == choice.action)).and_then(Option::take);
            let reason = match found {
                Some(o) if o.enabled() => {
                    choice.applicable.push((item.clone(), o));
                    continue;
                }
                Some(o) => o.disabled.unwrap_or(Disabled { reason_key: "reason.not_supported", arg: None }),
                None => Disabled { reason_key: "reason.not_supported", arg: None },
            };
            // Group by reason only: per-item args (e.g. a last-seen time) would split groups.
            let reason = Disabled { reason_key: reason.reason_key, arg: None };
            match choice.skipped.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => choice.skipped.push((reason, 1)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::Expect;
    use serde_json::{json, Map, Value};

    fn c(k: &str) -> ItemRef {
        ItemRef::Container(k.into())
    }

    #[test]
    fn merges_targets_per_service_and_chunks_at_fifty() {
        let calls: Vec<(ItemRef, ServiceCall)> = (0..120)
            .map(|i| (c(&format!("c{i}")), ServiceCall::entity("button", "press", &format!("button.c{i}_restart"))))
            .chain([(c("x"), ServiceCall::entity("switch", "turn_off", "switch.x"))])
            .collect();
        let plan = plan(&calls);
        let sizes: Vec<(String, usize)> = plan.iter().map(|p| (p.call.service.clone(), p.call.entity_ids.len())).collect();
        assert_eq!(sizes, vec![("press".into(), 50), ("press".into(), 50), ("press".into(), 20), ("turn_off".into(), 1)]);
        assert_eq!(plan[0].items.len(), 50);
        assert_eq!(plan[2].call.entity_ids[0], "button.c100_restart");
    }

    #[test]
    fn untargeted_calls_stay_one_per_item() {
        let data = |u: &str| -> Map<String, Value> { json!({"device_uuid": u}).as_object().cloned().unwrap_or_default() };
        let calls = vec![
            (ItemRef::Device("a".into()), ServiceCall::data("balena_cloud", "reboot_device", data("a"))),
            (ItemRef::Device("b".into()), ServiceCall::data("balena_cloud", "reboot_device", data("b"))),
        ];
        let plan = plan(&calls);
        assert_eq!(plan.len(), 2);
        assert!(plan.iter().all(|p| p.call.entity_ids.is_empty()));
    }

    #[test]
    fn choices_count_applicable_and_group_skip_reasons() {
        let opt = |action, disabled: Option<&'static str>| ActionOption {
            action,
            call: ServiceCall::entity("button", "press", "button.x"),
            expect: Expect::Unobservable,
            disabled: disabled.map(|k| Disabled { reason_key: k, arg: Some("per-item".into()) }),
        };
        let sel = vec![
            (c("a"), vec![opt(Action::Restart, None), opt(Action::Stop, None)]),
            (c("b"), vec![opt(Action::Restart, Some("reason.paused"))]),
            (c("c"), vec![opt(Action::Restart, Some("reason.paused"))]),
            (c("d"), vec![]),
        ];
        let ch = choices(sel);
        let restart = ch.iter().find(|b| b.action == Action::Restart).expect("restart offered");
        assert_eq!(restart.applicable.len(), 1);
        assert_eq!(restart.total, 4);
        assert_eq!(
            restart.skipped,
            vec![
                (Disabled { reason_key: "reason.paused", arg: None }, 2),
                (Disabled { reason_key: "reason.not_supported", arg: None }, 1)
            ]
        );
        let stop = ch.iter().find(|b| b.action == Action::Stop).expect("stop offered");
        assert_eq!(stop.applicable.len(), 1);
        assert_eq!(stop.skipped, vec![(Disabled { reason_key: "reason.not_supported", arg: None }, 3)]);
    }
}
