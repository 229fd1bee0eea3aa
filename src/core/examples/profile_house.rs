//! The core's share of one first render on a whole simulated house, natively, for timing and
//! for callgrind (instruction counts do not depend on a noisy machine):
//!
//!   node tests/bench/dump-house.mjs L /tmp/house-L.json
//!   cargo build --release -p fleet-deck-core --example profile_house
//!   target/release/examples/profile_house /tmp/house-L.json
//!   valgrind --tool=callgrind --toggle-collect='*run_discover' \
//!     target/release/examples/profile_house /tmp/house-L.json
//!
//! The read phase (decoding the bulk read's JSON chunks that dump-house.mjs writes beside the
//! house) is `--toggle-collect='*run_read'`; it also prints how many attribute values the read
//! keeps and how many allocations they take.
#[path = "../tests/common/mod.rs"]
mod common;

use fleet_deck_core::config::CardConfig;
use fleet_deck_core::discovery::discover;
use fleet_deck_core::ha::{wire, EntityEntry, Registry, StateMap};
use fleet_deck_core::model::Inventory;
use fleet_deck_core::status::{container_status, device_status};
use fleet_deck_core::view::{shown_inventory, shows_all};
use std::time::Instant;

#[inline(never)]
fn run_discover(registry: &Registry, states: &StateMap) -> Inventory {
    discover(registry, states)
}

#[inline(never)]
fn run_read(chunks: &[String]) -> (Vec<EntityEntry>, StateMap) {
    let (mut entries, mut states) = (Vec::new(), StateMap::default());
    for c in chunks {
        // An unreadable chunk would make the timing meaningless: stop and say so (the card
        // itself logs and skips one).
        wire::read_known_chunk(c, &mut entries, &mut states).expect("a chunk from the card's own projection parses");
    }
    (entries, states)
}

/// How many attribute values the read keeps, and how many allocations they take now that a
/// chunk's equal values are shared (BENCHMARKS.md item 28): names are one each, the others one
/// per distinct value per chunk.
fn attribute_values(chunks: &[String]) {
    let (mut total, mut names, mut per_chunk) = (0, 0, 0);
    let mut distinct = std::collections::HashSet::new();
    for c in chunks {
        let (mut entries, mut states) = (Vec::new(), StateMap::default());
        if wire::read_known_chunk(c, &mut entries, &mut states).is_err() {
            continue;
        }
        let mut seen = std::collections::HashSet::new();
        for (key, value) in states.values().flat_map(|st| st.attributes.iter()) {
            total += 1;
            if key == "friendly_name" {
                names += 1;
            } else {
                let text = value.to_string();
                distinct.insert(text.clone());
                per_chunk += usize::from(seen.insert(text));
            }
        }
    }
    println!(
        "attribute values: {total} ({names} names, {} others of which {} distinct); allocations now {}",
        total - names,
        distinct.len(),
        names + per_chunk
    );
}

#[inline(never)]
fn run_status(inv: &Inventory, states: &StateMap) -> usize {
    // black_box: a status nobody reads could be optimised away, and the profile would measure
    // nothing.
    let mut n = 0;
    for c in &inv.containers {
        std::hint::black_box(container_status(c, states));
        n += 1;
    }
    for d in &inv.devices {
        std::hint::black_box(device_status(d, states));
        n += 1;
    }
    n
}

// A native profiling tool, never part of the card: its inputs are files dump-house.mjs wrote, and
// stopping with the reason is the right answer to a missing or damaged one.
fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/tmp/house-L.json".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e} (write it with tests/bench/dump-house.mjs)"));
    let root: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (registry, states) = common::parse_fixture(&root);
    // Kept alive: freeing 20 MB of JSON here made glibc consolidate inside the timed part.
    let _keep = (root, text);

    let wire_path = path.trim_end_matches(".json").to_string() + ".wire.json";
    if let Ok(wire_text) = std::fs::read_to_string(&wire_path) {
        let chunks: Vec<String> = serde_json::from_str(&wire_text).unwrap_or_else(|e| panic!("{wire_path}: {e}"));
        let t = Instant::now();
        let (entries, read_states) = run_read(&chunks);
        println!("read {:?} ({} chunks: {} entries, {} states)", t.elapsed(), chunks.len(), entries.len(), read_states.len());
        attribute_values(&chunks);
    }

    let t = Instant::now();
    let inv = run_discover(&registry, &states);
    let discovered = t.elapsed();
    let cfg = CardConfig::default();
    let t = Instant::now();
    let shared = shows_all(&inv, &cfg);
    let copy = (!shared).then(|| shown_inventory(&inv, &cfg));
    let shown = copy.as_ref().unwrap_or(&inv);
    let ids = shown.entity_ids().len();
    let statuses = run_status(shown, &states);
    let modelled = t.elapsed();
    println!(
        "{} entities: discovery {discovered:?} ({} containers, {} devices); model {modelled:?} ({ids} tracked ids, {statuses} statuses, inventory shared: {shared})",
        registry.entities.len(),
        inv.containers.len(),
        inv.devices.len(),
    );
}
