//! Timing harness for the hot paths of the domain core:
//!
//! `cargo run --release -p fleet-deck-core --bin core-bench` (`-- --quick`: small sizes and short
//! timing windows, a few seconds in all, same JSON keys; used as a smoke run by scripts/test.sh)
//!
//! - websocket: decode + apply of `subscribe_entities` events (the card processes every
//!   state change in the house that it subscribed to),
//! - chart: min/max downsampling of 100,000 points to a 600-px plot and building its path,
//! - discovery over a generated 15,000-entry Portainer registry.
//!
//! Prints one JSON object so results can be compared across commits. A plain binary rather
//! than a `#[bench]` harness because that needs nightly.
use fleet_deck_core::chart::{downsample, line_path, Point, Scale};
use fleet_deck_core::discovery::discover;
use fleet_deck_core::ha::events::{apply, decode};
use fleet_deck_core::ha::{DeviceEntry, EntityEntry, EntityState, Registry, StateMap};
use serde_json::{json, Value};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// `--quick`: smaller inputs and timing windows (same JSON keys).
static QUICK: AtomicBool = AtomicBool::new(false);

fn quick() -> bool {
    QUICK.load(Ordering::Relaxed)
}

/// The timing window for one measurement: `full` normally, a tenth of it under `--quick`.
fn window(full: Duration) -> Duration {
    if quick() {
        full / 10
    } else {
        full
    }
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Runs `f` repeatedly for at least `min` and returns the best single-run time, which is the
/// least noisy figure on a shared machine.
fn best_of(min: Duration, mut f: impl FnMut()) -> Duration {
    let started = Instant::now();
    let mut best = Duration::MAX;
    let mut runs = 0;
    let min = window(min);
    while runs < 3 || started.elapsed() < min {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed());
        runs += 1;
    }
    best
}

const ENTITIES: usize = 2_000;

/// An initial snapshot of `ENTITIES` container sensors and `n` change events shaped like HA's
/// (`c` with `+`, sometimes `-`, now and then an addition or removal).
fn event_stream(n: usize) -> Vec<String> {
    let mut rng = XorShift(0x5EED_BE4C);
    let id = |i: u64| format!("sensor.container_{i}_cpu_usage");
    let mut t = 1_763_795_000.0_f64;
    let initial: serde_json::Map<String, Value> = (0..ENTITIES as u64)
        .map(|i| {
            (
                id(i),
                json!({"s": format!("{}.{}", i % 100, i % 10),
                       "a": {"unit_of_measurement": "%", "friendly_name": format!("Container {i} CPU"),
                             "state_class": "measurement", "icon": "mdi:chip"},
                       "c": format!("01JD4ZKX3V8Q7M2N5P6R9S{i:04}"), "lc": t}),
            )
        })
        .collect();
    let mut out = vec![json!({ "a": initial }).to_string()];
    for k in 0..n {
        t += 0.05;
        let ev = match k % 50 {
            0 => json!({"r": [id(rng.below(ENTITIES as u64))]}),
            1 => {
                let i = rng.below(ENTITIES as u64);
                json!({"a": {id(i): {"s": "1.0", "a": {"unit_of_measurement": "%"}, "c": "01JD50AAAA", "lc": t}}})
            }
            _ => {
                let mut c = serde_json::Map::new();
                for _ in 0..1 + rng.below(4) {
                    let i = rng.below(ENTITIES as u64);
                    let mut d = json!({"+": {"s": format!("{}.{}", rng.below(100), rng.below(10)), "lc": t,
                                             "c": {"id": "01JD50BBBB", "parent_id": null, "user_id": null}}});
                    if rng.below(10) == 0 {
                        d["+"]["a"] = json!({"icon": "mdi:chip-off"});
                        d["-"] = json!({"a": ["state_class"]});
                    }
                    c.insert(id(i), d);
                }
                json!({ "c": c })
            }
        };
        out.push(ev.to_string());
    }
    out
}

fn bench_events() -> Value {
    let n_events: usize = if quick() { 10_000 } else { 100_000 };
    let stream = event_stream(n_events);
    let bytes: usize = stream.iter().map(String::len).sum();
    let mut changed_total = 0usize;
    let elapsed = best_of(Duration::from_secs(2), || {
        let mut store = StateMap::with_capacity_and_hasher(ENTITIES, Default::default());
        for msg in &stream {
            if let Ok(ev) = decode(black_box(msg)) {
                changed_total += apply(&mut store, &ev).len();
            }
        }
        black_box(&store);
    });
    black_box(changed_total);
    let secs = elapsed.as_secs_f64();
    json!({
        "events": stream.len(),
        "bytes": bytes,
        "ms": round(secs * 1e3),
        "events_per_sec": (stream.len() as f64 / secs).round(),
        "mb_per_sec": round(bytes as f64 / secs / 1e6),
    })
}

fn bench_downsample() -> Value {
    const N: usize = 100_000;
    const WIDTH: usize = 600;
    let mut rng = XorShift(42);
    let mut v = 50.0;
    let points: Vec<Point> = (0..N)
        .map(|i| {
            v += (rng.below(1000) as f64 - 499.5) / 250.0;
            let t = 1_763_700_000.0 + i as f64 * 10.0;
            if rng.below(500) == 0 {
                Point::gap(t)
            } else {
                Point::new(t, v)
            }
        })
        .collect();
    let mut kept = 0;
    let ds = best_of(Duration::from_secs(1), || {
        kept = black_box(downsample(black_box(&points), WIDTH)).len();
    });
    let reduced = downsample(&points, WIDTH);
    let x = Scale::new((points[0].t, points[N - 1].t), (0.0, WIDTH as f64));
    let y = Scale::new((0.0, 100.0), (200.0, 0.0));
    let mut d_len = 0;
    let path = best_of(Duration::from_millis(500), || {
        d_len = black_box(line_path(black_box(&reduced), &x, &y)).len();
    });
    json!({
        "points": N,
        "buckets": WIDTH,
        "kept": kept,
        "downsample_ms": round(ds.as_secs_f64() * 1e3),
        "line_path_ms": round(path.as_secs_f64() * 1e3),
        "path_bytes": d_len,
    })
}

/// A core-`portainer`-shaped registry: endpoint → stacks → containers, each container with
/// ten entities identified by translation key, plus the matching states.
fn registry(entries: usize) -> (Registry, StateMap) {
    const PER_CONTAINER: [(&str, &str); 10] = [
        ("switch", "container"),
        ("sensor", "container_state"),
        ("sensor", "image"),
        ("sensor", "cpu_usage_total"),
        ("sensor", "memory_usage"),
        ("sensor", "memory_usage_percentage"),
        ("binary_sensor", "container_health_state"),
        ("sensor", "container_restart_count"),
        ("button", "restart_container"),
        ("update", "container_image_update"),
    ];
    let mut reg = Registry::default();
    let mut states = StateMap::default();
    let device = |id: &str, name: &str, model: &str, via: Option<&str>| DeviceEntry {
        id: id.into(),
        name: Some(name.into()),
        model: Some(model.into()),
        manufacturer: Some("Portainer".into()),
        via_device_id: via.map(Into::into),
        identifiers: vec![json!(["portainer", id])],
        config_entries: vec!["entry1".into()],
        entry_type: Some("service".into()),
        ..Default::default()
    };
    reg.devices.insert("ep1".into(), device("ep1", "local", "Endpoint", None));
    let containers = entries / PER_CONTAINER.len();
    for c in 0..containers {
        let stack_id = format!("stack{}", c / 30);
        if !reg.devices.contains_key(&stack_id) {
            let name = format!("stack-{}", c / 30);
            reg.devices.insert(stack_id.clone(), device(&stack_id, &name, "Stack", Some("ep1")));
        }
        let dev_id = format!("ctr{c}");
        let name = format!("app-{c}-web-1");
        reg.devices.insert(dev_id.clone(), device(&dev_id, &name, "Container", Some(&stack_id)));
        for (domain, key) in PER_CONTAINER {
            let entity_id = format!("{domain}.app_{c}_web_1_{key}");
            reg.entities.push(EntityEntry {
                entity_id: entity_id.clone(),
                platform: Some("portainer".into()),
                device_id: Some(dev_id.clone()),
                translation_key: Some(key.into()),
                has_entity_name: Some(true),
                ..Default::default()
            });
            let state = match (domain, key) {
                ("switch", _) => "on",
                (_, "container_state") => "running",
                (_, "image") => "nginx:1.27",
                ("binary_sensor", _) => "off",
                ("button", _) => "unknown",
                ("update", _) => "off",
                _ => "12.5",
            };
            states.insert(entity_id, EntityState::new(state).with_attr("friendly_name", json!(name)));
        }
    }
    (reg, states)
}

fn bench_discovery() -> Value {
    let entries: usize = if quick() { 3_000 } else { 15_000 };
    let (reg, states) = registry(entries);
    let mut found = 0;
    let elapsed = best_of(Duration::from_secs(1), || {
        let inv = discover(black_box(&reg), black_box(&states));
        found = inv.containers.len();
        black_box(inv);
    });
    json!({
        "entries": reg.entities.len(),
        "devices": reg.devices.len(),
        "containers_found": found,
        "ms": round(elapsed.as_secs_f64() * 1e3),
    })
}

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn main() {
    QUICK.store(std::env::args().skip(1).any(|a| a == "--quick"), Ordering::Relaxed);
    let report = json!({
        "events": bench_events(),
        "downsample": bench_downsample(),
        "discovery": bench_discovery(),
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
}
