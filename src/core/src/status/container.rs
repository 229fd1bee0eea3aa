//! What a container row shows, derived from its role entities' current states.
//!
//! Every role is optional (older HA versions and integration options leave entities out), so
//! each value comes from the best entity that exists and has a value, and is `None` otherwise.
use crate::ha::state::lookup;
use crate::ha::{EntityState, States};
use crate::model::{Container, Source};

/// Docker's container states, plus what the card cannot know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RunState {
    Running,
    Paused,
    Exited,
    Created,
    Restarting,
    Removing,
    Dead,
    /// No entity says anything (not loaded yet, `unknown`, or a state we do not know).
    #[default]
    Unknown,
    /// Every entity that could tell is `unavailable` (container gone, integration down).
    Unavailable,
}

impl RunState {
    /// Machine name: Docker's own word, used in DOM attributes, CSS classes and i18n keys.
    pub fn id(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Paused => "paused",
            RunState::Exited => "exited",
            RunState::Created => "created",
            RunState::Restarting => "restarting",
            RunState::Removing => "removing",
            RunState::Dead => "dead",
            RunState::Unknown => "unknown",
            RunState::Unavailable => "unavailable",
        }
    }

    /// Docker's state string (any case) → `RunState`; anything else is `Unknown`.
    pub fn parse(s: &str) -> RunState {
        match s.trim().to_ascii_lowercase().as_str() {
            "running" => RunState::Running,
            "paused" => RunState::Paused,
            "exited" | "stopped" => RunState::Exited,
            "created" => RunState::Created,
            "restarting" => RunState::Restarting,
            "removing" => RunState::Removing,
            "dead" => RunState::Dead,
            "unavailable" => RunState::Unavailable,
            _ => RunState::Unknown,
        }
    }

    pub fn is_running(self) -> bool {
        self == RunState::Running
    }

    /// Not running and not about to be: what `hide_stopped` hides. Unknown and unavailable
    /// stay visible because they are problems the user should see.
    pub fn is_stopped(self) -> bool {
        matches!(self, RunState::Exited | RunState::Created | RunState::Dead)
    }

    /// Order for "sort by state": running first, then transitional, stopped, and the states
    /// the card cannot read last.
    pub fn sort_rank(self) -> u8 {
        match self {
            RunState::Running => 0,
            RunState::Restarting => 1,
            RunState::Paused => 2,
            RunState::Removing => 3,
            RunState::Created => 4,
            RunState::Exited => 5,
            RunState::Dead => 6,
            RunState::Unknown => 7,
            RunState::Unavailable => 8,
        }
    }
}

/// Docker HEALTHCHECK result; `None` when the container has no health check (or nobody
/// reports it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Health {
    Healthy,
    Unhealthy,
    Starting,
    #[default]
    None,
}

impl Health {
    pub fn id(self) -> &'static str {
        match self {
            Health::Healthy => "healthy",
            Health::Unhealthy => "unhealthy",
            Health::Starting => "starting",
            Health::None => "none",
        }
    }

    pub fn parse(s: &str) -> Health {
        match s.trim().to_ascii_lowercase().as_str() {
            "healthy" => Health::Healthy,
            "unhealthy" => Health::Unhealthy,
            "starting" => Health::Starting,
            _ => Health::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateInfo {
    pub available: bool,
    pub in_progress: bool,
    /// 0–100 while an install reports progress (core 2026.11).
    pub percentage: Option<f64>,
    pub installed: Option<String>,
    pub latest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContainerStatus {
    pub run: RunState,
    pub health: Health,
    pub image: Option<String>,
    /// Image version: core's OCI version label, link's current version (tag or date).
    pub version: Option<String>,
    pub update: UpdateInfo,
    pub cpu_pct: Option<f64>,
    pub mem_bytes: Option<f64>,
    pub mem_pct: Option<f64>,
    pub mem_limit_bytes: Option<f64>,
    /// Epoch seconds of the last start (core 2026.10+).
    pub started_at: Option<f64>,
    /// Link's preformatted uptime ("3d 4h"); `None` while not running.
    pub uptime_text: Option<String>,
    pub restart_count: Option<u64>,
    /// The kernel OOM-killed the container (core 2026.10+).
    pub oom: bool,
    /// Same as `run == RunState::Unavailable`, for templates that only need the flag.
    pub unavailable: bool,
}

fn valued<'a>(states: &'a dyn States, id: &Option<String>) -> Option<&'a EntityState> {
    lookup(states, id).filter(|s| s.has_value())
}

fn text(states: &dyn States, id: &Option<String>) -> Option<String> {
    valued(states, id).map(|s| s.state.trim().to_string()).filter(|s| !s.is_empty())
}

/// Bytes per unit of a `data_size` sensor. ha_portainer_link reports MiB but labels them "MB",
/// so its "MB" is binary; HA core converts with HA's decimal units.
fn bytes_per_unit(unit: &str, source: Source) -> Option<f64> {
    const K: f64 = 1000.0;
    const KI: f64 = 1024.0;
    Some(match unit.trim() {
        "B" | "" => 1.0,
        "kB" | "KB" | "kb" => K,
        "MB" if source == Source::PortainerLink => KI * KI,
        "MB" => K * K,
        "GB" => K * K * K,
        "TB" => K * K * K * K,
        "KiB" => KI,
        "MiB" => KI * KI,
        "GiB" => KI * KI * KI,
        "TiB" => KI * KI * KI * KI,
        _ => return None,
    })
}

fn bytes(states: &dyn States, id: &Option<String>, source: Source) -> Option<f64> {
    let s = valued(states, id)?;
    let unit = s.attr_str("unit_of_measurement").unwrap_or_default();
    Some(s.number()? * bytes_per_unit(&unit, source)?)
}

fn run_state(c: &Container, states: &dyn States) -> RunState {
    let state = lookup(states, &c.roles.state);
    let switch = lookup(states, &c.roles.switch);
    let running = lookup(states, &c.roles.running);

    if let Some(s) = state.filter(|s| s.has_value()) {
        let run = RunState::parse(&s.state);
        if run != RunState::Unknown {
            return run;
        }
    }
    if let Some(s) = switch.filter(|s| s.has_value()) {
        match s.state.as_str() {
            // The switch is on for running *and* paused; the pause/resume buttons are only
            // available in one of the two, which tells them apart without a state sensor.
            "on" => {
                let available = |id: &Option<String>| lookup(states, id).map(|b| !b.is_unavailable());
                let paused = available(&c.roles.resume) == Some(true) && available(&c.roles.pause) == Some(false);
                return if paused { RunState::Paused } else { RunState::Running };
            }
            "off" => return RunState::Exited,
            _ => {}
        }
    }
    if let Some(s) = running.filter(|s| s.has_value()) {
        match s.state.as_str() {
            "on" => return RunState::Running,
            "off" => return RunState::Exited,
            _ => {}
        }
    }
    let present: Vec<&EntityState> = [state, switch, running].into_iter().flatten().collect();
    if !present.is_empty() && present.iter().all(|s| s.is_unavailable()) {
        RunState::Unavailable
    } else {
        RunState::Unknown
    }
}

fn update_info(c: &Container, states: &dyn States) -> UpdateInfo {
    let mut info = UpdateInfo::default();
    if c.source == Source::PortainerTomaae {
        // `Update available`: 0 none, 1 available, 2 not checked, HTTP-ish codes for errors.
        let code = lookup(states, &c.roles.state).and_then(|s| s.attr_f64("Update available"));
        info.available = code == Some(1.0);
        return info;
    }
    if let Some(u) = valued(states, &c.roles.update) {
        info.available = u.state == "on";
        match u.attr("in_progress") {
            Some(serde_json::Value::Bool(b)) => info.in_progress = *b,
            // Before HA 2024.11 `in_progress` could carry the percentage itself.
            Some(serde_json::Value::Number(n)) => {
                info.in_progress = true;
                info.percentage = n.as_f64();
            }
            _ => {}
        }
        if let Some(p) = u.attr_f64("update_percentage") {
            info.percentage = Some(p);
        }
        if !info.in_progress {
            info.percentage = None;
        }
        info.installed = u.attr_str("installed_version");
        info.latest = u.attr_str("latest_version");
    } else if let Some(b) = valued(states, &c.roles.update_available) {
        info.available = b.state == "on";
    }
    if info.installed.is_none() {
        info.installed = text(states, &c.roles.current_version);
    }
    if info.latest.is_none() {
        info.latest = text(states, &c.roles.available_version);
    }
    info
}

/// Derive a container row's status from current states. Never fails: missing or malformed
/// entities just leave their fields empty.
/// The fields the header and group counts read (run state, health, update, OOM,
/// unavailable); the rest default. Cheaper than [`container_status`], which builds on it:
/// the counts derive this for every container, the full status only for rows on screen.
pub fn container_brief(c: &Container, s: &dyn States) -> ContainerStatus {
    let run = run_state(c, s);
    let health = if c.source == Source::PortainerTomaae {
        lookup(s, &c.roles.state).and_then(|m| m.attr_str("Health status")).map(|h| Health::parse(&h)).unwrap_or_default()
    } else {
        valued(s, &c.roles.health).map(|h| Health::parse(&h.state)).unwrap_or_default()
    };
    ContainerStatus {
        run,
        health,
        update: update_info(c, s),
        oom: lookup(s, &c.roles.oom).is_some_and(|o| o.state == "on"),
        unavailable: run == RunState::Unavailable,
        ..Default::default()
    }
}

pub fn container_status(c: &Container, s: &dyn States) -> ContainerStatus {
    let tomaae = c.source == Source::PortainerTomaae;
    let main = lookup(s, &c.roles.state);
    let image = if tomaae { main.and_then(|m| m.attr_str("Image")) } else { text(s, &c.roles.image) };
    let version = text(s, &c.roles.image_version).or_else(|| text(s, &c.roles.current_version));

    let mem_bytes = bytes(s, &c.roles.memory, c.source);
    let mem_limit_bytes = bytes(s, &c.roles.memory_limit, c.source).filter(|l| *l > 0.0);
    let mem_pct = valued(s, &c.roles.memory_pct)
        .and_then(EntityState::number)
        .or_else(|| Some(mem_bytes? / mem_limit_bytes? * 100.0));

    ContainerStatus {
        image,
        version,
        cpu_pct: valued(s, &c.roles.cpu).and_then(EntityState::number),
        mem_bytes,
        mem_pct,
        mem_limit_bytes,
        started_at: valued(s, &c.roles.started_at).and_then(|st| crate::time::parse_iso(&st.state)),
        // Link reports the English text "Not running" for stopped containers; the run state
        // already says that, in the user's language.
        uptime_text: text(s, &c.roles.uptime).filter(|u| !u.eq_ignore_ascii_case("not running")),
        restart_count: valued(s, &c.roles.restart_count)
            .and_then(EntityState::number)
            .filter(|n| *n >= 0.0)
            .map(|n| n as u64),
        ..container_brief(c, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for r in [
            RunState::Running,
            RunState::Paused,
            RunState::Exited,
            RunState::Created,
            RunState::Restarting,
            RunState::Removing,
            RunState::Dead,
            RunState::Unknown,
            RunState::Unavailable,
        ] {
            assert_eq!(RunState::parse(r.id()), r);
        }
        for h in [Health::Healthy, Health::Unhealthy, Health::Starting, Health::None] {
            assert_eq!(Health::parse(h.id()), h);
        }
    }

    #[test]
    fn link_megabytes_are_mebibytes() {
        assert_eq!(bytes_per_unit("MB", Source::PortainerLink), Some(1_048_576.0));
        assert_eq!(bytes_per_unit("MB", Source::PortainerCore), Some(1_000_000.0));
        assert_eq!(bytes_per_unit("GiB", Source::PortainerCore), Some(1_073_741_824.0));
        assert_eq!(bytes_per_unit("furlongs", Source::PortainerCore), None);
    }
}
