//! Container and stack action options: which actions an item's integration supports, the
//! service call each one is, how its effect shows up in later states, and why it cannot run
//! right now.
//!
//! Rules shared by every option:
//! - an action whose entity does not exist is not offered at all;
//! - an action whose entity exists but whose state forbids it is offered disabled with a
//!   `reason.*` key, so the UI (and bulk selection) can say why;
//! - only entity actions (switch, button, update) are used. They work for every HA user,
//!   whereas core's `portainer.*` services are admin-only and every one of them that matters
//!   here has an entity equivalent (the recreate button exists whenever the service does).
use super::{Action, ActionOption, Disabled, Expect, ServiceCall};
use crate::ha::state::lookup;
use crate::ha::States;
use crate::model::{Container, Source, Stack};
use crate::status::{ContainerStatus, RunState};

pub const REASON_UNAVAILABLE: &str = "reason.unavailable";
pub const REASON_ALREADY_RUNNING: &str = "reason.already_running";
pub const REASON_ALREADY_STOPPED: &str = "reason.already_stopped";
pub const REASON_PAUSED: &str = "reason.paused";
pub const REASON_NOT_RUNNING: &str = "reason.not_running";
pub const REASON_NOT_PAUSED: &str = "reason.not_paused";
pub const REASON_NO_UPDATE: &str = "reason.no_update";
pub const REASON_UPDATING: &str = "reason.updating";

/// Every reason key this module can produce (the i18n tables must define them all).
pub const REASON_KEYS: &[&str] = &[
    REASON_UNAVAILABLE,
    REASON_ALREADY_RUNNING,
    REASON_ALREADY_STOPPED,
    REASON_PAUSED,
    REASON_NOT_RUNNING,
    REASON_NOT_PAUSED,
    REASON_NO_UPDATE,
    REASON_UPDATING,
];

fn reason(key: &'static str) -> Option<Disabled> {
    Some(Disabled { reason_key: key, arg: None })
}

/// The entity's current state text; a missing state counts as `unavailable` because nothing
/// can be pressed on an entity HA does not report.
fn state_of(states: &dyn States, id: &str) -> String {
    states.get(id).map_or_else(|| "unavailable".to_string(), |s| s.state.clone())
}

fn unavailable(states: &dyn States, id: &str) -> bool {
    states.get(id).is_none_or(|s| s.is_unavailable())
}

fn press(action: Action, button: &str, expect: Expect, disabled: Option<Disabled>) -> ActionOption {
    ActionOption { action, call: ServiceCall::entity("button", "press", button), expect, disabled }
}

/// A button's state is the time it was last pressed, so a change confirms HA ran the press
/// when nothing else can show the effect.
fn pressed(states: &dyn States, button: &str) -> Expect {
    Expect::Changes { entity_id: button.to_string(), before: state_of(states, button) }
}

/// The entity that best shows the run state, and its value for "running" and "stopped".
/// A state sensor is preferred, but not while it is unavailable and the switch works.
fn run_entity(c: &Container, states: &dyn States) -> Option<(String, Vec<String>, Vec<String>)> {
    let live = |id: &Option<String>| id.as_ref().filter(|id| !unavailable(states, id)).cloned();
    let sensor = |id: String| (id, vec!["running".to_string()], vec!["exited".to_string(), "dead".to_string()]);
    let binary = |id: String| (id, vec!["on".to_string()], vec!["off".to_string()]);
    live(&c.roles.state)
        .map(sensor)
        .or_else(|| live(&c.roles.switch).map(binary))
        .or_else(|| live(&c.roles.running).map(binary))
        .or_else(|| c.roles.state.clone().map(sensor))
        .or_else(|| c.roles.switch.clone().map(binary))
}

/// Start, stop, restart, pause, resume, kill, recreate and update, as far as the container's
/// integration offers them. Read-only sources (tomaae) get nothing. `is_admin` is accepted so
/// admin-only services could be added without changing callers; none is offered today.
pub fn container_options(
    c: &Container,
    st: &ContainerStatus,
    states: &dyn States,
    is_admin: bool,
) -> Vec<ActionOption> {
    let _ = is_admin;
    if c.source.read_only() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let run = st.run;
    let run_entity = run_entity(c, states);

    if let Some(switch) = &c.roles.switch {
        let sw_unavailable = unavailable(states, switch);
        let (expect_on, expect_off) = match &run_entity {
            Some((id, on, off)) => (
                Expect::StateIn { entity_id: id.clone(), states: on.clone() },
                Expect::StateIn { entity_id: id.clone(), states: off.clone() },
            ),
            None => (
                Expect::StateIn { entity_id: switch.clone(), states: vec!["on".into()] },
                Expect::StateIn { entity_id: switch.clone(), states: vec!["off".into()] },
            ),
        };
        let start_disabled = if sw_unavailable {
            reason(REASON_UNAVAILABLE)
        } else {
            match run {
                RunState::Paused => reason(REASON_PAUSED),
                RunState::Running | RunState::Restarting => reason(REASON_ALREADY_RUNNING),
                _ => None,
            }
        };
        let stop_disabled = if sw_unavailable {
            reason(REASON_UNAVAILABLE)
        } else if run.is_stopped() {
            reason(REASON_ALREADY_STOPPED)
        } else {
            None
        };
        out.push(ActionOption {
            action: Action::Start,
            call: ServiceCall::entity("switch", "turn_on", switch),
            expect: expect_on,
            disabled: start_disabled,
        });
        out.push(ActionOption {
            action: Action::Stop,
            call: ServiceCall::entity("switch", "turn_off", switch),
            expect: expect_off,
            disabled: stop_disabled,
        });
    }

    if let Some(button) = &c.roles.restart {
        // Core makes the button unavailable while paused; saying "paused" is more useful.
        let disabled = if run == RunState::Paused {
            reason(REASON_PAUSED)
        } else if unavailable(states, button) {
            reason(REASON_UNAVAILABLE)
        } else {
            None
        };
        // A restart can finish between two polls without the state ever leaving `running`;
        // only a start time (core) or uptime text (link) reliably moves. Without either, the
        // press itself is all that can be confirmed.
        let started = c.roles.started_at.as_ref().or(c.roles.uptime.as_ref());
        let expect = match (&run_entity, started) {
            (Some((id, on, _)), Some(started)) => Expect::Restarted {
                state_entity: id.clone(),
                running: on.clone(),
                started_entity: Some(started.clone()),
                started_before: states.get(started).map(|s| s.state.clone()),
            },
            _ => pressed(states, button),
        };
        out.push(press(Action::Restart, button, expect, disabled));
    }

    let state_expect = |button: &str, wanted: &[&str]| match &c.roles.state {
        Some(id) => Expect::StateIn { entity_id: id.clone(), states: wanted.iter().map(|s| s.to_string()).collect() },
        None => pressed(states, button),
    };

    if let Some(button) = &c.roles.pause {
        let disabled = if run != RunState::Running {
            reason(if run == RunState::Paused { REASON_PAUSED } else { REASON_NOT_RUNNING })
        } else if unavailable(states, button) {
            reason(REASON_UNAVAILABLE)
        } else {
            None
        };
        out.push(press(Action::Pause, button, state_expect(button, &["paused"]), disabled));
    }

    if let Some(button) = &c.roles.resume {
        let disabled = if run != RunState::Paused {
            reason(REASON_NOT_PAUSED)
        } else if unavailable(states, button) {
            reason(REASON_UNAVAILABLE)
        } else {
            None
        };
        out.push(press(Action::Resume, button, state_expect(button, &["running"]), disabled));
    }

    if let Some(button) = &c.roles.kill {
        let disabled = if !matches!(run, RunState::Running | RunState::Paused | RunState::Restarting) {
            reason(REASON_NOT_RUNNING)
        } else if unavailable(states, button) {
            reason(REASON_UNAVAILABLE)
        } else {
            None
        };
        let expect = match &run_entity {
            Some((id, _, off)) => Expect::StateIn { entity_id: id.clone(), states: off.clone() },
            None => pressed(states, button),
        };
        out.push(press(Action::Kill, button, expect, disabled));
    }

    if let Some(button) = &c.roles.recreate {
        let disabled = if unavailable(states, button) { reason(REASON_UNAVAILABLE) } else { None };
        out.push(press(Action::Recreate, button, pressed(states, button), disabled));
    }

    if let Some(option) = update_option(c, st, states) {
        out.push(option);
    }
    out
}

/// How many actions `c` is offered in any state (some of them disabled): what a wide card
/// reserves room for, so the metric columns of rows from integrations that offer different
/// numbers of actions (core 8, link 4) line up. It counts the roles [`container_options`] turns
/// into options, without building them: the card asks it for every container at first render,
/// where building 1,000 containers' options cost ~10 ms at L. A test holds the two equal on
/// every fixture.
pub fn offered_count(c: &Container) -> usize {
    if c.source.read_only() {
        return 0;
    }
    let r = &c.roles;
    let buttons = [&r.restart, &r.pause, &r.resume, &r.kill, &r.recreate];
    2 * usize::from(r.switch.is_some())
        + buttons.iter().filter(|b| b.is_some()).count()
        + usize::from(r.update.is_some() || r.pull_update.is_some())
}

fn update_option(c: &Container, st: &ContainerStatus, states: &dyn States) -> Option<ActionOption> {
    if let Some(update) = &c.roles.update {
        let disabled = if unavailable(states, update) {
            reason(REASON_UNAVAILABLE)
        } else if st.update.in_progress {
            reason(REASON_UPDATING)
        } else if !st.update.available {
            reason(REASON_NO_UPDATE)
        } else {
            None
        };
        return Some(ActionOption {
            action: Action::Update,
            call: ServiceCall::entity("update", "install", update),
            // The update entity turns off once the installed image is the latest one. From
            // 2026.8 to 2026.10 it turns `unknown` instead (core #182584: the image watcher is
            // keyed by the container id, which the recreate changed).
            expect: Expect::StateIn {
                entity_id: update.clone(),
                states: if c.source == Source::PortainerCore { vec!["off".into(), "unknown".into()] } else { vec!["off".into()] },
            },
            disabled,
        });
    }
    // Link without update entities (option off) still has its pull button. The button makes
    // itself unavailable while a pull runs.
    let button = c.roles.pull_update.as_ref()?;
    let no_update = lookup(states, &c.roles.update_available).is_some_and(|b| b.state == "off");
    let disabled = if unavailable(states, button) {
        reason(REASON_UNAVAILABLE)
    } else if no_update {
        reason(REASON_NO_UPDATE)
    } else {
        None
    };
    Some(press(Action::Update, button, pressed(states, button), disabled))
}

/// Stack-wide start, stop and update: core's stack switch and update button, link's three
/// stack buttons. tomaae stacks are read-only. `is_admin` as for [`container_options`].
pub fn stack_options(s: &Stack, states: &dyn States, is_admin: bool) -> Vec<ActionOption> {
    let _ = is_admin;
    if s.source.read_only() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(switch) = &s.roles.switch {
        let state = state_of(states, switch);
        let (start_disabled, stop_disabled) = match state.as_str() {
            "unavailable" => (reason(REASON_UNAVAILABLE), reason(REASON_UNAVAILABLE)),
            "on" => (reason(REASON_ALREADY_RUNNING), None),
            "off" => (None, reason(REASON_ALREADY_STOPPED)),
            _ => (None, None),
        };
        out.push(ActionOption {
            action: Action::StackStart,
            call: ServiceCall::entity("switch", "turn_on", switch),
            expect: Expect::StateIn { entity_id: switch.clone(), states: vec!["on".into()] },
            disabled: start_disabled,
        });
        out.push(ActionOption {
            action: Action::StackStop,
            call: ServiceCall::entity("switch", "turn_off", switch),
            expect: Expect::StateIn { entity_id: switch.clone(), states: vec!["off".into()] },
            disabled: stop_disabled,
        });
    } else {
        // Link's stack buttons are unavailable while the stack has no containers.
        for (action, button) in [(Action::StackStart, &s.roles.start_button), (Action::StackStop, &s.roles.stop_button)]
        {
            if let Some(button) = button {
                let disabled = if unavailable(states, button) { reason(REASON_UNAVAILABLE) } else { None };
                out.push(press(action, button, pressed(states, button), disabled));
            }
        }
    }
    if let Some(button) = &s.roles.update_button {
        let disabled = if unavailable(states, button) { reason(REASON_UNAVAILABLE) } else { None };
        out.push(press(Action::StackUpdate, button, pressed(states, button), disabled));
    }
    out
}

/// Whether an item's source supports actions at all, for hiding selection checkboxes.
pub fn controllable(source: Source) -> bool {
    !source.read_only()
}
