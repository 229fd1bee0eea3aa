//! Actions: what can be done to an item, the service call that does it, and how its outcome is
//! confirmed from later states. One machinery for containers, stacks and devices: the
//! per-integration modules only say which call and which expectation an action means.
//!
//! - [`container`]/[`device`]: per-item options ([`ActionOption`]) for an item in its state.
//! - [`bulk`]: merge per-item calls into as few `callService` calls as possible (≤ 50 targets).
//! - [`tracker`]: watch states after a call and settle each item as done / failed / timed out.
pub mod bulk;
pub mod container;
pub mod device;
pub mod tracker;

use serde_json::{Map, Value};

/// Everything the card can ask Home Assistant to do to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Start,
    Stop,
    Restart,
    Pause,
    Resume,
    Kill,
    Recreate,
    /// Install an image update (`update.install`) or pull it (link's `pull_update` button).
    Update,
    /// Stack-wide start/stop/update.
    StackStart,
    StackStop,
    StackUpdate,
    /// balena: restart all services on the device.
    RestartApp,
    Reboot,
    Shutdown,
    PublicUrlOn,
    PublicUrlOff,
    /// balena: set device environment variables (`balena_cloud.update_environment`).
    EnvUpdate,
}

impl Action {
    /// How long after its call an item may take to show its effect before it counts as timed
    /// out. balena polls every 30 s by default but may be set to up to an hour, and the refresh
    /// a press triggers still sees the device online: a shutdown shows at the next poll after
    /// it, as a reboot does. An image update or recreate pulls an image first.
    pub fn timeout_secs(self) -> f64 {
        match self {
            Action::Reboot | Action::Shutdown => 300.0,
            Action::Update | Action::Recreate | Action::StackUpdate => 900.0,
            _ => 60.0,
        }
    }

    /// Destructive actions ask for confirmation first.
    pub fn destructive(self) -> bool {
        matches!(
            self,
            Action::Stop
                | Action::Restart
                | Action::Kill
                | Action::Recreate
                | Action::Update
                | Action::StackStop
                | Action::StackUpdate
                | Action::RestartApp
                | Action::Reboot
                | Action::Shutdown
        )
    }
    /// The translation key of the action's verb ("Restart"), see [`crate::i18n`].
    pub fn label_key(self) -> &'static str {
        match self {
            Action::Start => "action.start",
            Action::Stop => "action.stop",
            Action::Restart => "action.restart",
            Action::Pause => "action.pause",
            Action::Resume => "action.resume",
            Action::Kill => "action.kill",
            Action::Recreate => "action.recreate",
            Action::Update => "action.update",
            Action::StackStart => "action.stack_start",
            Action::StackStop => "action.stack_stop",
            Action::StackUpdate => "action.stack_update",
            Action::RestartApp => "action.restart_app",
            Action::Reboot => "action.reboot",
            Action::Shutdown => "action.shutdown",
            Action::PublicUrlOn => "action.public_url_on",
            Action::PublicUrlOff => "action.public_url_off",
            Action::EnvUpdate => "action.env",
        }
    }
    /// A short machine name used in DOM attributes and tests (`data-action="restart"`).
    pub fn id(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Stop => "stop",
            Action::Restart => "restart",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Kill => "kill",
            Action::Recreate => "recreate",
            Action::Update => "update",
            Action::StackStart => "stack_start",
            Action::StackStop => "stack_stop",
            Action::StackUpdate => "stack_update",
            Action::RestartApp => "restart_app",
            Action::Reboot => "reboot",
            Action::Shutdown => "shutdown",
            Action::PublicUrlOn => "public_url_on",
            Action::PublicUrlOff => "public_url_off",
            Action::EnvUpdate => "env",
        }
    }
}

/// One Home Assistant service call. `entity_ids` becomes `target: {entity_id: [...]}`; when it is
/// empty no target is sent at all (balena's own services reject one).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceCall {
    pub domain: String,
    pub service: String,
    pub data: Map<String, Value>,
    pub entity_ids: Vec<String>,
}

impl ServiceCall {
    pub fn entity(domain: &str, service: &str, entity_id: &str) -> Self {
        ServiceCall { domain: domain.into(), service: service.into(), data: Map::new(), entity_ids: vec![entity_id.into()] }
    }
    pub fn data(domain: &str, service: &str, data: Map<String, Value>) -> Self {
        ServiceCall { domain: domain.into(), service: service.into(), data, entity_ids: vec![] }
    }
}

/// How a sent action is confirmed from later states.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// Done once the entity's state is one of `states`.
    StateIn { entity_id: String, states: Vec<String> },
    /// Done once the entity has left `home` and come back to it (a reboot: online off → on).
    Cycle { entity_id: String, home: String },
    /// Done once the entity's state differs from `before` (a button's last-pressed timestamp)
    /// and the call has returned. HA writes the timestamp before it runs the press, so the
    /// change alone says the press started, not that it worked; a press that raises fails the
    /// call later (a recreate can take minutes).
    Changes { entity_id: String, before: String },
    /// Done once the entity's state is one of `states` after having been something else since
    /// the call (a restart: `running` → `restarting`/`exited` → `running`), or once the
    /// `started_at`-like entity changes.
    Restarted { state_entity: String, running: Vec<String>, started_entity: Option<String>, started_before: Option<String> },
    /// Nothing observable follows (balena's services): the honest result is "sent".
    Unobservable,
}

/// Why an action is offered but cannot run now. The key is translated; `arg` fills `{arg}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Disabled {
    pub reason_key: &'static str,
    pub arg: Option<String>,
}

/// One action offered for one item: what would be sent, how it is confirmed, and whether it can
/// run now.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionOption {
    pub action: Action,
    pub call: ServiceCall,
    pub expect: Expect,
    pub disabled: Option<Disabled>,
}

impl ActionOption {
    pub fn enabled(&self) -> bool {
        self.disabled.is_none()
    }
}

impl Disabled {
    /// Whether the item's own state rules the action out (start on a running container,
    /// resume on one that is not paused, update with none available), rather than something a
    /// person should be told about (unavailable entity, offline device, update in progress).
    /// Narrow cards hide the first kind so a row's actions fit one line on a phone; the
    /// second kind stays visible, disabled, because its reason is news.
    pub fn inapplicable(&self) -> bool {
        use container::*;
        [REASON_ALREADY_RUNNING, REASON_ALREADY_STOPPED, REASON_PAUSED, REASON_NOT_RUNNING, REASON_NOT_PAUSED, REASON_NO_UPDATE]
            .contains(&self.reason_key)
    }
}
