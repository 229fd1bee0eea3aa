//! Container status derivation for each Portainer integration and release.
mod common;

use common::load_fixture;
use fleet_deck_core::discovery::portainer::discover;
use fleet_deck_core::ha::{EntityState, StateMap};
use fleet_deck_core::model::Inventory;
use fleet_deck_core::status::{container_status, ContainerStatus, Health, RunState};

fn load(name: &str) -> (Inventory, StateMap) {
    let (registry, states) = load_fixture(format!("portainer/{name}.json"));
    (discover(&registry, &states), states)
}

fn status(inv: &Inventory, states: &StateMap, key: &str) -> ContainerStatus {
    let c = inv.container(key).unwrap_or_else(|| panic!("no container {key}"));
    container_status(c, states)
}

fn run(fixture: &str, key: &str) -> RunState {
    let (inv, states) = load(fixture);
    status(&inv, &states, key).run
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6 * b.abs().max(1.0))
}

#[test]
fn run_state_comes_from_the_best_entity_each_release_has() {
    // 2025.10: only the `running` binary sensor, which is off for a paused container.
    assert_eq!(run("core_2025_10", "core:d_c1_nginx"), RunState::Running);
    assert_eq!(run("core_2025_10", "core:d_c1_postgres"), RunState::Exited);
    assert_eq!(run("core_2025_10", "core:d_c1_redis"), RunState::Exited);
    // 2025.11: the switch is on for running *and* paused, and no pause button tells them apart.
    assert_eq!(run("core_2025_11", "core:d_c1_redis"), RunState::Running);
    assert_eq!(run("core_2025_11", "core:d_c1_postgres"), RunState::Exited);
    // 2026.2+: the state sensor.
    assert_eq!(run("core_2026_2", "core:d_c1_redis"), RunState::Paused);
    assert_eq!(run("core_2026_10", "core:d_c1_postgres"), RunState::Exited);
    assert_eq!(run("core_2026_11", "core:d_c2_redis"), RunState::Paused);
    // link: the raw Docker state string.
    assert_eq!(run("link_0_6", "link:01LINKENTRY1:immich_postgres"), RunState::Paused);
    assert_eq!(run("link_0_6", "link:01LINKENTRY1:immich_machine_learning_1"), RunState::Exited);
    // tomaae: the container sensor itself.
    assert_eq!(run("tomaae", "tomaae:01TOMAAE:local:nginx"), RunState::Exited);
    assert_eq!(run("tomaae", "tomaae:01TOMAAE:local:grafana"), RunState::Running);
}

#[test]
fn switch_on_with_only_resume_available_means_paused() {
    let (inv, mut states) = load("core_2026_4");
    // A user who disabled the state sensor: switch + pause/resume availability remain.
    states.remove("sensor.redis_state");
    assert_eq!(status(&inv, &states, "core:d_c1_redis").run, RunState::Paused);
    assert_eq!(status(&inv, &states, "core:d_c1_nginx").run, RunState::Running);
    states.remove("sensor.nginx_state");
    assert_eq!(status(&inv, &states, "core:d_c1_nginx").run, RunState::Running);
}

#[test]
fn fallbacks_when_the_preferred_entity_has_no_value() {
    let (inv, mut states) = load("core_2026_11");
    states.insert("sensor.nginx_state".into(), EntityState::new("unavailable"));
    assert_eq!(status(&inv, &states, "core:d_c1_nginx").run, RunState::Running, "switch still on");
    states.insert("switch.nginx_container".into(), EntityState::new("unknown"));
    assert_eq!(status(&inv, &states, "core:d_c1_nginx").run, RunState::Running, "running binary sensor");
    states.insert("binary_sensor.nginx_status".into(), EntityState::new("unavailable"));
    assert_eq!(status(&inv, &states, "core:d_c1_nginx").run, RunState::Unknown, "one is unknown, not all unavailable");
    states.insert("switch.nginx_container".into(), EntityState::new("unavailable"));
    let st = status(&inv, &states, "core:d_c1_nginx");
    assert_eq!(st.run, RunState::Unavailable);
    assert!(st.unavailable);
    // States not loaded at all: unknown, not unavailable.
    let st = container_status(inv.container("core:d_c1_nginx").unwrap(), &StateMap::default());
    assert_eq!(st, ContainerStatus::default());
    assert!(!st.unavailable);
}

#[test]
fn core_2026_11_full_status() {
    let (inv, states) = load("core_2026_11");
    let st = status(&inv, &states, "core:d_c1_immich_server");
    assert_eq!(st.run, RunState::Running);
    assert_eq!(st.health, Health::None, "no HEALTHCHECK, no health sensor");
    assert_eq!(st.image.as_deref(), Some("ghcr.io/immich-app/immich-server:release"));
    assert_eq!(st.version.as_deref(), Some("v1.119.0"));
    assert!(st.update.available);
    assert!(!st.update.in_progress);
    assert_eq!(st.update.percentage, None);
    assert_eq!(st.update.installed.as_deref(), Some("sha256:afcc7f1ac1b4"));
    assert_eq!(st.update.latest.as_deref(), Some("sha256:5027ca26d72d"));
    assert!(close(st.cpu_pct, 1.73));
    // Core's MB are decimal (HA converts B → MB).
    assert!(close(st.mem_bytes, 612.4e6), "{:?}", st.mem_bytes);
    assert!(close(st.mem_pct, 3.81));
    assert!(close(st.mem_limit_bytes, 16072.5e6));
    assert_eq!(st.started_at, Some(1_793_347_964.0), "2026-10-30T08:12:44+00:00");
    assert_eq!(st.restart_count, Some(0));
    assert_eq!(st.uptime_text, None);
    assert!(!st.oom);
    assert!(!st.unavailable);

    let nginx = status(&inv, &states, "core:d_c1_nginx");
    assert_eq!(nginx.health, Health::Unhealthy);
    assert!(nginx.update.in_progress);
    assert_eq!(nginx.update.percentage, Some(45.0));
    assert_eq!(nginx.restart_count, Some(5));
    // A 0 MB limit means "no limit", not a limit of zero.
    assert_eq!(nginx.mem_limit_bytes, None);

    let pg = status(&inv, &states, "core:d_c1_immich_postgres");
    assert_eq!(pg.health, Health::Healthy);
    assert!(!pg.update.available);

    let postgres = status(&inv, &states, "core:d_c1_postgres");
    assert!(postgres.oom);
    assert_eq!(postgres.run, RunState::Exited);
}

#[test]
fn memory_percentage_is_computed_when_no_sensor_reports_it() {
    let (inv, mut states) = load("core_2026_11");
    states.remove("sensor.immich_server_memory_usage_percentage");
    let st = status(&inv, &states, "core:d_c1_immich_server");
    assert!(close(st.mem_pct, 612.4 / 16072.5 * 100.0), "{:?}", st.mem_pct);
    states.insert(
        "sensor.immich_server_memory_usage".into(),
        EntityState::new("1.5").with_attr("unit_of_measurement", serde_json::json!("GiB")),
    );
    assert!(close(status(&inv, &states, "core:d_c1_immich_server").mem_bytes, 1.5 * 1024.0 * 1024.0 * 1024.0));
}

#[test]
fn core_full_digests_before_2026_11() {
    let (inv, states) = load("core_2026_8");
    let st = status(&inv, &states, "core:d_c1_immich_server");
    assert!(st.update.available);
    assert_eq!(st.update.installed.as_deref().map(str::len), Some(71), "sha256: + 64 hex");
    assert_eq!(st.health, Health::None);
    assert_eq!(st.started_at, None, "no started sensor before 2026.10");
    assert_eq!(status(&inv, &states, "core:d_c1_nginx").health, Health::Unhealthy);
}

#[test]
fn link_status_uses_mebibytes_uptime_text_and_version_sensors() {
    let (inv, states) = load("link_0_6");
    let st = status(&inv, &states, "link:01LINKENTRY1:immich_server");
    assert_eq!(st.run, RunState::Running);
    assert_eq!(st.image.as_deref(), Some("ghcr.io/immich-app/immich-server:release"));
    assert!(close(st.cpu_pct, 2.15));
    // Link labels MiB as "MB".
    assert!(close(st.mem_bytes, 612.4 * 1024.0 * 1024.0), "{:?}", st.mem_bytes);
    assert_eq!(st.mem_pct, None);
    assert_eq!(st.uptime_text.as_deref(), Some("3d 4h"));
    assert_eq!(st.version.as_deref(), Some("release"));
    assert!(!st.update.available);
    assert_eq!(st.started_at, None);

    let nginx = status(&inv, &states, "link:01LINKENTRY1:nginx");
    assert!(nginx.update.available);
    assert_eq!(nginx.update.installed.as_deref(), Some("1.27"));
    assert_eq!(nginx.update.latest.as_deref(), Some("1.27.3"));

    let db = status(&inv, &states, "link:01LINKENTRY1:homeassistant_db");
    assert_eq!(db.run, RunState::Exited);
    assert_eq!(db.uptime_text, None, "\"Not running\" is not an uptime");
}

#[test]
fn link_without_update_entity_reads_the_update_available_binary_sensor() {
    let (registry, states) = load_fixture("portainer/link_0_6.json");
    let mut registry = registry;
    registry.entities.retain(|e| !e.entity_id.starts_with("update."));
    let inv = discover(&registry, &states);
    let st = status(&inv, &states, "link:01LINKENTRY1:nginx");
    assert!(st.update.available);
    assert_eq!(st.update.installed.as_deref(), Some("1.27"), "from the current version sensor");
    assert_eq!(st.update.latest.as_deref(), Some("1.27.3"), "from the available version sensor");
}

#[test]
fn benji2k2_health_sensor() {
    let (inv, states) = load("link_benji2k2");
    assert_eq!(status(&inv, &states, "link:01BENJI:radarr").health, Health::Unhealthy);
    assert_eq!(status(&inv, &states, "link:01BENJI:sonarr").health, Health::Healthy);
    assert_eq!(status(&inv, &states, "link:01BENJI:radarr").cpu_pct, None, "its sensor has no state");
}

#[test]
fn tomaae_status_comes_from_attributes() {
    let (inv, states) = load("tomaae");
    let grafana = status(&inv, &states, "tomaae:01TOMAAE:local:grafana");
    assert_eq!(grafana.health, Health::Unhealthy);
    assert!(grafana.update.available, "Update available = 1");
    assert_eq!(grafana.image.as_deref(), Some("grafana/grafana:11.3.0"));
    assert_eq!(grafana.cpu_pct, None);
    let server = status(&inv, &states, "tomaae:01TOMAAE:local:immich_server");
    assert_eq!(server.health, Health::Healthy);
    assert!(!server.update.available);
    let nginx = status(&inv, &states, "tomaae:01TOMAAE:local:nginx");
    assert!(!nginx.update.available, "2 = not checked");
    assert_eq!(nginx.health, Health::None, "\"unknown\"");
}

#[test]
fn broken_values_become_none() {
    let (inv, states) = load("broken");
    let st = status(&inv, &states, "core:d_orphan");
    assert_eq!(st.run, RunState::Unknown, "garbage state, unknown switch");
    assert_eq!(st.mem_bytes, None, "\"abc\"");
    assert_eq!(st.mem_limit_bytes, None, "unknown unit");
    assert_eq!(st.mem_pct, None);
    assert_eq!(st.cpu_pct, None, "NaN");
    assert_eq!(st.started_at, None, "not a date");
    assert!(st.update.available);
    assert!(!st.update.in_progress, "a string is not a flag");
    assert_eq!(st.update.percentage, None);
    assert_eq!(st.update.installed.as_deref(), Some("123"));
    assert_eq!(st.update.latest, None);

    assert_eq!(status(&inv, &states, "core:d_web").run, RunState::Unavailable);
    assert_eq!(status(&inv, &states, "core:d_nameless").run, RunState::Running, "case-insensitive");
    assert_eq!(status(&inv, &states, "core:d_gone_c").run, RunState::Exited);

    let numbered = status(&inv, &states, "tomaae:01TOMAAE:local:numbered");
    assert!(numbered.update.available, "\"1\" as a string");
    assert_eq!(numbered.health, Health::None);
    let arrays = status(&inv, &states, "tomaae:01TOMAAE:local:array_attrs");
    assert_eq!(arrays.image, None);
    assert_eq!(arrays.run, RunState::Paused);
}

#[test]
fn ids_and_predicates() {
    assert_eq!(RunState::Running.id(), "running");
    assert_eq!(RunState::Exited.id(), "exited");
    assert_eq!(RunState::Unavailable.id(), "unavailable");
    assert!(RunState::Running.is_running());
    assert!(!RunState::Paused.is_running());
    assert!(RunState::Exited.is_stopped() && RunState::Dead.is_stopped() && RunState::Created.is_stopped());
    assert!(!RunState::Unknown.is_stopped() && !RunState::Paused.is_stopped());
    assert_eq!(Health::Unhealthy.id(), "unhealthy");
    assert_eq!(Health::None.id(), "none");
    assert!(RunState::Running.sort_rank() < RunState::Exited.sort_rank());
    assert!(RunState::Exited.sort_rank() < RunState::Unavailable.sort_rank());
}

/// The counts read `container_brief`, rows the full status: for every container of every
/// fixture, the brief is exactly the full status's counted fields, the rest left default.
#[test]
fn the_brief_is_the_full_status_counted_fields() {
    let fixtures = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/portainer")).unwrap();
    let mut checked = 0;
    for f in fixtures {
        let name = f.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned();
        let (inv, states) = load(&name);
        for c in &inv.containers {
            let full = container_status(c, &states);
            let brief = fleet_deck_core::status::container_brief(c, &states);
            let counted = ContainerStatus { run: full.run, health: full.health, update: full.update.clone(), oom: full.oom, unavailable: full.unavailable, ..Default::default() };
            assert_eq!(brief, counted, "{name}: {}", c.key);
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} containers checked");
}
