//! Settling each item of a sent action: done when the states show the expected effect, failed
//! with Home Assistant's message when the call failed, "sent" when nothing observable can
//! confirm it, timed out when the states never moved.
use super::Expect;
use crate::ha::States;
use crate::model::ItemRef;

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pending,
    Done,
    /// The call succeeded but no state can confirm the effect.
    Sent,
    Failed(String),
    TimedOut,
}

impl Outcome {
    pub fn id(&self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Done => "done",
            Outcome::Sent => "sent",
            Outcome::Failed(_) => "failed",
            Outcome::TimedOut => "timeout",
        }
    }
    pub fn is_final(&self) -> bool {
        !matches!(self, Outcome::Pending)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemTracker {
    pub item: ItemRef,
    pub expect: Expect,
    pub outcome: Outcome,
    pub started_at: f64,
    /// Whether the call itself has returned successfully.
    call_ok: bool,
    /// For cycles and restarts: the state has left "home" since the call.
    left_home: bool,
}

impl ItemTracker {
    pub fn new(item: ItemRef, expect: Expect, now: f64) -> Self {
        ItemTracker { item, expect, outcome: Outcome::Pending, started_at: now, call_ok: false, left_home: false }
    }

    /// The service call returned an error: the item failed with HA's message, unless its state
    /// already shows the effect (a call can time out in the frontend after HA acted).
    pub fn call_failed(&mut self, message: &str) {
        if self.outcome == Outcome::Pending {
            self.outcome = Outcome::Failed(message.to_string());
        }
    }

    /// The service call returned successfully.
    pub fn call_succeeded(&mut self) {
        self.call_ok = true;
        if self.outcome == Outcome::Pending && self.expect == Expect::Unobservable {
            self.outcome = Outcome::Sent;
        }
    }

    /// Look at the current states; returns true when the outcome changed.
    pub fn observe(&mut self, states: &dyn States) -> bool {
        if self.outcome != Outcome::Pending {
            return false;
        }
        let state_of = |id: &str| states.get(id).map(|s| s.state.as_str());
        let done = match &self.expect {
            Expect::StateIn { entity_id, states: wanted } => state_of(entity_id).is_some_and(|s| wanted.iter().any(|w| w == s)),
            Expect::Cycle { entity_id, home } => {
                let s = state_of(entity_id);
                if s.is_some_and(|s| s != home) {
                    self.left_home = true;
                }
                self.left_home && s == Some(home.as_str())
            }
            Expect::Changes { entity_id, before } => {
                self.call_ok && state_of(entity_id).is_some_and(|s| s != before && s != "unavailable")
            }
            Expect::Restarted { state_entity, running, started_entity, started_before } => {
                let s = state_of(state_entity);
                let is_running = s.is_some_and(|s| running.iter().any(|r| r == s));
                if s.is_some() && !is_running {
                    self.left_home = true;
                }
                let started_moved = match (started_entity, started_before) {
                    (Some(id), Some(before)) => state_of(id).is_some_and(|now| {
                        now != before
                            && now != "unavailable"
                            && now != "unknown"
                            // ha_portainer_link's uptime text ("5h 12m") changes at every poll
                            // by itself; a restart is when it starts again lower.
                            && match (uptime_minutes(before), uptime_minutes(now)) {
                                (Some(b), Some(n)) => n < b,
                                _ => true,
                            }
                    }),
                    _ => false,
                };
                is_running && (self.left_home || started_moved)
            }
            Expect::Unobservable => false,
        };
        if done {
            self.outcome = Outcome::Done;
        }
        done
    }

    /// After `timeout_secs` without the expected change, a successfully sent item times out.
    pub fn check_timeout(&mut self, now: f64, timeout_secs: f64) -> bool {
        if self.outcome == Outcome::Pending && now - self.started_at >= timeout_secs {
            self.outcome = Outcome::TimedOut;
            return true;
        }
        false
    }

    pub fn call_ok(&self) -> bool {
        self.call_ok
    }
}

/// ha_portainer_link's uptime text ("3d 4h", "5h 12m", "42m") in minutes; `None` for anything
/// else (a core start timestamp, "Not running").
fn uptime_minutes(text: &str) -> Option<u64> {
    let mut total = 0u64;
    let mut parts = 0;
    for part in text.split_whitespace() {
        let (n, unit) = part.split_at(part.find(|c: char| !c.is_ascii_digit())?);
        let n: u64 = n.parse().ok()?;
        total += n * match unit {
            "d" => 1440,
            "h" => 60,
            "m" => 1,
            "s" => 0,
            _ => return None,
        };
        parts += 1;
    }
    (parts > 0).then_some(total)
}

/// Counts for a result list's summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub done: usize,
    pub sent: usize,
    pub failed: usize,
    pub timed_out: usize,
    pub pending: usize,
}

pub fn tally<'a>(items: impl IntoIterator<Item = &'a ItemTracker>) -> Tally {
    let mut t = Tally::default();
    for i in items {
        match i.outcome {
            Outcome::Pending => t.pending += 1,
            Outcome::Done => t.done += 1,
            Outcome::Sent => t.sent += 1,
            Outcome::Failed(_) => t.failed += 1,
            Outcome::TimedOut => t.timed_out += 1,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::Action;
    use crate::ha::{EntityState, StateMap};

    fn states(pairs: &[(&str, &str)]) -> StateMap {
        pairs.iter().map(|(k, v)| (k.to_string(), EntityState::new(v))).collect()
    }
    fn item() -> ItemRef {
        ItemRef::Device("d1".into())
    }

    #[test]
    fn reboot_needs_the_online_sensor_to_go_off_and_back_on() {
        let mut t = ItemTracker::new(item(), Expect::Cycle { entity_id: "binary_sensor.d_online".into(), home: "on".into() }, 0.0);
        t.call_succeeded();
        assert!(!t.observe(&states(&[("binary_sensor.d_online", "on")])), "still on: not rebooted yet");
        assert!(!t.observe(&states(&[("binary_sensor.d_online", "off")])));
        assert!(t.observe(&states(&[("binary_sensor.d_online", "on")])));
        assert_eq!(t.outcome, Outcome::Done);
    }

    #[test]
    fn unobservable_calls_end_as_sent_never_done() {
        let mut t = ItemTracker::new(item(), Expect::Unobservable, 0.0);
        assert!(!t.observe(&StateMap::default()));
        t.call_succeeded();
        assert_eq!(t.outcome, Outcome::Sent);
    }

    #[test]
    fn failures_keep_the_message_and_timeouts_fire_only_when_pending() {
        let mut t = ItemTracker::new(item(), Expect::StateIn { entity_id: "switch.x".into(), states: vec!["off".into()] }, 10.0);
        t.call_failed("Container not found");
        assert_eq!(t.outcome, Outcome::Failed("Container not found".into()));
        assert!(!t.check_timeout(100.0, 30.0));

        let mut t = ItemTracker::new(item(), Expect::StateIn { entity_id: "switch.x".into(), states: vec!["off".into()] }, 10.0);
        t.call_succeeded();
        assert!(!t.check_timeout(39.0, 30.0));
        assert!(t.check_timeout(40.0, 30.0));
        assert_eq!(t.outcome, Outcome::TimedOut);
    }

    #[test]
    fn restart_is_done_after_leaving_running_or_a_new_start_time() {
        let exp = |before: Option<&str>| Expect::Restarted {
            state_entity: "sensor.c_state".into(),
            running: vec!["running".into()],
            started_entity: Some("sensor.c_started".into()),
            started_before: before.map(str::to_string),
        };
        let mut t = ItemTracker::new(item(), exp(Some("t0")), 0.0);
        assert!(!t.observe(&states(&[("sensor.c_state", "running"), ("sensor.c_started", "t0")])));
        assert!(t.observe(&states(&[("sensor.c_state", "running"), ("sensor.c_started", "t1")])));

        let mut t = ItemTracker::new(item(), exp(None), 0.0);
        assert!(!t.observe(&states(&[("sensor.c_state", "running")])));
        assert!(!t.observe(&states(&[("sensor.c_state", "restarting")])));
        assert!(t.observe(&states(&[("sensor.c_state", "running")])));
    }

    #[test]
    fn a_press_is_done_only_after_its_call_returns_and_fails_with_its_error() {
        // HA has written the new last-pressed time before the press runs.
        let pressed = states(&[("button.c_recreate", "2026-12-08T01:00:00+00:00")]);
        let exp = || Expect::Changes { entity_id: "button.c_recreate".into(), before: "unknown".into() };
        let mut t = ItemTracker::new(item(), exp(), 0.0);
        assert!(!t.observe(&pressed), "the press has started, not finished");
        t.call_failed("Portainer API error: pull access denied");
        assert_eq!(t.outcome, Outcome::Failed("Portainer API error: pull access denied".into()));

        let mut t = ItemTracker::new(item(), exp(), 0.0);
        assert!(!t.observe(&pressed));
        t.call_succeeded();
        assert!(t.observe(&pressed));
        assert_eq!(t.outcome, Outcome::Done);
    }

    #[test]
    fn a_link_restart_needs_its_uptime_to_start_again_lower() {
        let exp = Expect::Restarted {
            state_entity: "sensor.c_status".into(),
            running: vec!["running".into()],
            started_entity: Some("sensor.c_uptime".into()),
            started_before: Some("5h 12m".into()),
        };
        let mut t = ItemTracker::new(item(), exp, 0.0);
        // The next poll: the same container, a minute older. Not a restart.
        assert!(!t.observe(&states(&[("sensor.c_status", "running"), ("sensor.c_uptime", "5h 13m")])));
        assert!(t.observe(&states(&[("sensor.c_status", "running"), ("sensor.c_uptime", "1m")])));
        assert_eq!(uptime_minutes("3d 4h"), Some(3 * 1440 + 240));
        assert_eq!(uptime_minutes("Not running"), None);
        assert_eq!(uptime_minutes("2026-12-08T01:00:00+00:00"), None);
    }

    #[test]
    fn a_shutdown_waits_for_the_next_balena_poll_as_a_reboot_does() {
        // The press's own refresh still sees the device online; the change shows a poll later.
        assert_eq!(Action::Shutdown.timeout_secs(), Action::Reboot.timeout_secs());
        assert!(Action::Shutdown.timeout_secs() >= 300.0);
        let mut t = ItemTracker::new(item(), Expect::StateIn { entity_id: "binary_sensor.d_online".into(), states: vec!["off".into()] }, 0.0);
        t.call_succeeded();
        assert!(!t.check_timeout(120.0, Action::Shutdown.timeout_secs()), "two minutes in, still pending");
        assert!(t.observe(&states(&[("binary_sensor.d_online", "off")])));
    }

    #[test]
    fn tally_counts_each_outcome() {
        let mut a = ItemTracker::new(item(), Expect::Unobservable, 0.0);
        a.call_succeeded();
        let mut b = ItemTracker::new(item(), Expect::Unobservable, 0.0);
        b.call_failed("x");
        let c = ItemTracker::new(item(), Expect::Unobservable, 0.0);
        assert_eq!(tally([&a, &b, &c]), Tally { done: 0, sent: 1, failed: 1, timed_out: 0, pending: 1 });
    }
}
