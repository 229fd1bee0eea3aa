//! balena device actions.
//!
//! The entity path (`button.press`, `switch.turn_on/off`) is the default because it is the only
//! one that works today: eseverson's own `balena_cloud.*` services are registered but never
//! reach a coordinator, and the bulk services are documented but not registered. The
//! integration services are used only when [`BalenaServices`] shows them registered, and then
//! with the exact payloads their voluptuous schemas accept: no `confirm`, no `merge`, no
//! target (HA folds a target into `entity_id`/`device_id` keys, which those schemas reject).
use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{Action, ActionOption, Disabled, Expect, ServiceCall};
use crate::ha::States;
use crate::model::{Device, Source};
use crate::status::device::DeviceStatus;
use crate::time::to_iso;

const DOMAIN: &str = "balena_cloud";
/// Same ceiling as the entity bulk path, so one click never becomes one giant request.
pub const BULK_CHUNK: usize = 50;

/// Options for one device. Reboot/shutdown/restart are offered only when the device has the
/// button; offline devices get them disabled (eseverson's buttons are unavailable then and HA
/// would skip them). The public-URL switch is a cloud-side flag, so it stays enabled offline.
pub fn device_options(d: &Device, st: &DeviceStatus, states: &dyn States) -> Vec<ActionOption> {
    let r = &d.roles;
    let offline = st.online == Some(false);
    let mut out = Vec::new();

    for (action, button) in [(Action::RestartApp, &r.restart), (Action::Reboot, &r.reboot), (Action::Shutdown, &r.shutdown)] {
        let Some(button) = button else { continue };
        let state = states.get(button);
        // Button presses give no feedback: the integration logs a failed press and returns, so
        // the call succeeds either way and the button's new timestamp only says it was
        // pressed. The device's own connectivity is the only evidence that a reboot or
        // shutdown happened; a restart of the application has none, so it ends as "sent".
        let expect = match (action, &r.online) {
            (Action::Reboot, Some(online)) => Expect::Cycle { entity_id: online.clone(), home: "on".into() },
            (Action::Shutdown, Some(online)) => Expect::StateIn { entity_id: online.clone(), states: vec!["off".into()] },
            _ => Expect::Unobservable,
        };
        let disabled = if offline {
            Some(offline_reason(st))
        } else if state.is_some_and(|s| s.is_unavailable()) {
            Some(Disabled { reason_key: "reason.unavailable", arg: Some(button.clone()) })
        } else {
            None
        };
        out.push(ActionOption { action, call: ServiceCall::entity("button", "press", button), expect, disabled });
    }

    if let Some(switch) = &r.public_url {
        // Both directions are always offered: after an HA restart the switch reads `off` even
        // when the URL is enabled, so its state cannot decide which one is meaningful.
        let unavailable = states.get(switch).is_some_and(|s| s.is_unavailable());
        for (action, service, target) in [(Action::PublicUrlOn, "turn_on", "on"), (Action::PublicUrlOff, "turn_off", "off")] {
            out.push(ActionOption {
                action,
                call: ServiceCall::entity("switch", service, switch),
                expect: Expect::StateIn { entity_id: switch.clone(), states: vec![target.into()] },
                disabled: unavailable.then(|| Disabled { reason_key: "reason.unavailable", arg: Some(switch.clone()) }),
            });
        }
    }
    out
}

/// `arg` is the last-seen instant as ISO 8601 so the web layer can render it relative and
/// localised.
fn offline_reason(st: &DeviceStatus) -> Disabled {
    Disabled { reason_key: "reason.device_offline", arg: st.last_seen.map(to_iso) }
}

/// The switch only learns the real public-URL state in `async_update`, which runs solely on
/// `homeassistant.update_entity` (it is a non-polling coordinator entity). Send this before
/// trusting or showing the switch state.
pub fn public_url_refresh_call(d: &Device) -> Option<ServiceCall> {
    d.roles.public_url.as_deref().map(|sw| ServiceCall::entity("homeassistant", "update_entity", sw))
}

/// Which optional `balena_cloud` services are registered (`hass.services.balena_cloud` keys;
/// HA publishes descriptions only for registered services, so `services.yaml` noise is not a
/// concern here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BalenaServices {
    pub bulk_restart: bool,
    pub bulk_reboot: bool,
    pub restart_fleet: bool,
    pub update_environment: bool,
    pub get_environment: bool,
}

impl BalenaServices {
    /// The pre-`d21068e` names `bulk_restart_applications`/`bulk_reboot_devices` are deliberately
    /// not recognised: they required `confirm: true`, which the card never sends. The
    /// `restart_fleet` registered next to them (the initial release, `3784f1e`) required it
    /// too and returned without error when it was missing, so it is not used there either.
    pub fn from_service_names(names: &[&str]) -> Self {
        let has = |n: &str| names.contains(&n);
        let initial_release = has("bulk_restart_applications") || has("bulk_reboot_devices");
        BalenaServices {
            bulk_restart: has("bulk_restart"),
            bulk_reboot: has("bulk_reboot"),
            restart_fleet: has("restart_fleet") && !initial_release,
            update_environment: has("update_environment"),
            get_environment: has("get_environment"),
        }
    }
}

/// The integration's bulk calls for `action` on `devices`, or `None` when the integration
/// cannot do it (the caller then presses the buttons). `fleet_id` is `Some` only when the
/// action targets the whole fleet, which allows `restart_fleet`. Offline and dinpin devices are
/// left out: the former cannot act, the latter's integration has no services.
pub fn fleet_bulk_calls(
    action: Action,
    devices: &[&Device],
    statuses: &HashMap<String, DeviceStatus>,
    services: &BalenaServices,
    fleet_id: Option<i64>,
) -> Option<Vec<ServiceCall>> {
    let uuids: Vec<&str> = devices
        .iter()
        .filter(|d| d.source == Source::BalenaCloud)
        .filter(|d| statuses.get(&d.key).is_none_or(|s| s.online != Some(false)))
        .map(|d| d.key.as_str())
        .collect();
    if uuids.is_empty() {
        return None;
    }
    let service = match action {
        Action::RestartApp => {
            if let (true, Some(id)) = (services.restart_fleet, fleet_id) {
                let mut data = Map::new();
                data.insert("fleet_id".into(), json!(id));
                return Some(vec![ServiceCall::data(DOMAIN, "restart_fleet", data)]);
            }
            services.bulk_restart.then_some("bulk_restart")?
        }
        Action::Reboot => services.bulk_reboot.then_some("bulk_reboot")?,
        _ => return None,
    };
    Some(
        uuids
            .chunks(BULK_CHUNK)
            .map(|chunk| {
                let mut data = Map::new();
                data.insert("device_uuids".into(), Value::from(chunk.iter().map(|u| u.to_string()).collect::<Vec<_>>()));
                ServiceCall::data(DOMAIN, service, data)
            })
            .collect(),
    )
}

/// How one device's part of an integration-service call is confirmed. The services return
/// nothing and touch no entity, so only what the device itself does is observable: a reboot
/// still shows as the online sensor cycling.
pub fn service_expect(action: Action, d: &Device) -> Expect {
    match (action, &d.roles.online) {
        (Action::Reboot, Some(online)) => Expect::Cycle { entity_id: online.clone(), home: "on".into() },
        (Action::Shutdown, Some(online)) => Expect::StateIn { entity_id: online.clone(), states: vec!["off".into()] },
        _ => Expect::Unobservable,
    }
}
