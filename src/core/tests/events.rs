//! `subscribe_entities` decoding and merging: a recorded stream in the shapes HA sends, a
//! randomized equivalence check against snapshots, and malformed input.
use fleet_deck_core::ha::events::{apply, decode, Context, EntitiesEvent};
use fleet_deck_core::ha::{Attributes, EntityState, StateMap};
use serde_json::{json, Map, Value};

fn attrs(v: Value) -> Attributes {
    match v {
        Value::Object(m) => m.into(),
        _ => Attributes::new(),
    }
}

fn feed(store: &mut StateMap, json: &str) -> Vec<String> {
    let ev = decode(json).unwrap_or_else(|e| panic!("decode failed: {e}\n{json}"));
    apply(store, &ev)
}

/// A session as the server sends it: initial additions, then one group per event.
#[test]
fn recorded_stream_merges_like_process_event() {
    let mut store = StateMap::default();

    let changed = feed(
        &mut store,
        r#"{"a":{
            "sensor.web_cpu":{"s":"12.5","a":{"unit_of_measurement":"%","friendly_name":"web CPU","state_class":"measurement"},
                              "c":"01JD4ZKX3V8Q7M2N5P6R9S0T1U","lc":1763795000.123,"lu":1763795060.456},
            "switch.web":{"s":"on","a":{"friendly_name":"web"},
                          "c":{"id":"01JD4ZKX3V8Q7M2N5P6R9S0T1V","parent_id":null,"user_id":"8f1c0e8ad3b34c5e"},
                          "lc":1763790000.0},
            "sensor.db_cpu":{"s":"3","a":{},"c":"01JD4ZKX3V8Q7M2N5P6R9S0T1W","lc":1763795001}
        }}"#,
    );
    assert_eq!(changed, ["sensor.db_cpu", "sensor.web_cpu", "switch.web"]);
    let cpu = &store["sensor.web_cpu"];
    assert_eq!(cpu.state, "12.5");
    assert_eq!(cpu.last_changed, 1763795000.123);
    assert_eq!(cpu.last_updated, 1763795060.456);
    assert_eq!(cpu.attr_str("unit_of_measurement").as_deref(), Some("%"));
    // `lu` absent means it equals `lc`.
    assert_eq!(store["switch.web"].last_updated, 1763790000.0);
    assert_eq!(store["sensor.db_cpu"].last_updated, 1763795001.0);

    // State change: `lc` implies `lu`; attributes merge; context as a partial object.
    let changed = feed(
        &mut store,
        r#"{"c":{"sensor.web_cpu":{"+":{"s":"13.0","lc":1763795120.0,"a":{"friendly_name":"Web CPU"},
                                        "c":{"user_id":null}}}}}"#,
    );
    assert_eq!(changed, ["sensor.web_cpu"]);
    let cpu = &store["sensor.web_cpu"];
    assert_eq!(cpu.state, "13.0");
    assert_eq!(cpu.last_changed, 1763795120.0);
    assert_eq!(cpu.last_updated, 1763795120.0);
    assert_eq!(cpu.attr_str("friendly_name").as_deref(), Some("Web CPU"));
    assert_eq!(cpu.attr_str("unit_of_measurement").as_deref(), Some("%"), "other attributes kept");

    // Attribute-only change with a removal: `lu` moves, `lc` stays.
    let changed = feed(
        &mut store,
        r#"{"c":{"sensor.web_cpu":{"+":{"lu":1763795180.5,"a":{"icon":"mdi:chip"},"c":"01JD50AAAA"},
                                   "-":{"a":["state_class"]}}}}"#,
    );
    assert_eq!(changed, ["sensor.web_cpu"]);
    let cpu = &store["sensor.web_cpu"];
    assert_eq!((cpu.last_changed, cpu.last_updated), (1763795120.0, 1763795180.5));
    assert_eq!(cpu.attr("state_class"), None);
    assert_eq!(cpu.attr_str("icon").as_deref(), Some("mdi:chip"));
    assert_eq!(cpu.state, "13.0");

    // A bare removal still counts as a change; removing a missing attribute does not.
    let changed = feed(&mut store, r#"{"c":{"sensor.web_cpu":{"-":{"a":["icon"]}}}}"#);
    assert_eq!(changed, ["sensor.web_cpu"]);
    assert_eq!(store["sensor.web_cpu"].attr("icon"), None);
    let changed = feed(&mut store, r#"{"c":{"sensor.web_cpu":{"-":{"a":["icon"]}}}}"#);
    assert!(changed.is_empty());

    // `lu`-only update (force_update sensor reporting the same value).
    let changed = feed(&mut store, r#"{"c":{"sensor.db_cpu":{"+":{"lu":1763795300.25,"c":"01JD50BBBB"}}}}"#);
    assert_eq!(changed, ["sensor.db_cpu"]);
    assert_eq!(store["sensor.db_cpu"].last_updated, 1763795300.25);
    assert_eq!(store["sensor.db_cpu"].last_changed, 1763795001.0);

    // A context-only diff changes nothing the card keeps.
    let changed = feed(&mut store, r#"{"c":{"switch.web":{"+":{"c":"01JD50CCCC"}}}}"#);
    assert!(changed.is_empty());

    // Change for an entity never added is ignored (processEvent logs and skips it).
    let changed = feed(&mut store, r#"{"c":{"sensor.ghost":{"+":{"s":"1","lc":1.0}}}}"#);
    assert!(changed.is_empty());
    assert!(!store.contains_key("sensor.ghost"));

    // Unknown keys anywhere are ignored.
    let changed = feed(
        &mut store,
        r#"{"x":1,"c":{"switch.web":{"+":{"s":"off","lc":1763795400.0,"zz":[1,2]},"?":true}},"extra":{"a":1}}"#,
    );
    assert_eq!(changed, ["switch.web"]);
    assert_eq!(store["switch.web"].state, "off");

    // Removal, including one for an id we do not have.
    let changed = feed(&mut store, r#"{"r":["sensor.db_cpu","sensor.unknown"]}"#);
    assert_eq!(changed, ["sensor.db_cpu"]);
    assert!(!store.contains_key("sensor.db_cpu"));

    // A new entity and an addition replacing an existing one wholesale.
    let changed = feed(
        &mut store,
        r#"{"a":{"sensor.new":{"s":"unavailable","a":{"restored":true},"c":"01JD50DDDD","lc":1763795500.0},
                 "switch.web":{"s":"on","a":{},"c":"01JD50EEEE","lc":1763795501.0}}}"#,
    );
    assert_eq!(changed, ["sensor.new", "switch.web"]);
    assert!(store["switch.web"].attributes.is_empty(), "an addition replaces, it does not merge");
    assert!(store["sensor.new"].is_unavailable());

    // The same addition again (initial event after a reconnect) reports nothing.
    let changed = feed(&mut store, r#"{"a":{"switch.web":{"s":"on","a":{},"c":"01JD50FFFF","lc":1763795501.0}}}"#);
    assert!(changed.is_empty());
}

#[test]
fn context_decodes_as_string_or_object() {
    let ev = decode(
        r#"{"a":{"x.a":{"s":"1","c":"abc","lc":1},"x.b":{"s":"1","c":{"id":"def","parent_id":"p","user_id":null},"lc":1}}}"#,
    )
    .unwrap_or_default();
    let a = ev.a.unwrap_or_default();
    assert_eq!(a["x.a"].c, Some(Context::Id("abc".into())));
    let full = a["x.b"].c.clone();
    assert_eq!(full, Some(Context::Full { id: Some("def".into()), parent_id: Some("p".into()), user_id: None }));
    assert_eq!(full.as_ref().and_then(Context::id), Some("def"));
}

#[test]
fn one_broken_entity_does_not_sink_the_event() {
    let mut store = StateMap::default();
    let changed = feed(
        &mut store,
        r#"{"a":{
            "sensor.ok":{"s":"1","lc":10},
            "sensor.list":[1,2,3],
            "sensor.null":null,
            "sensor.nostate":{"a":{"x":1},"lc":10},
            "sensor.badstate":{"s":{"nested":true},"lc":10},
            "sensor.badattrs":{"s":"2","a":"not an object","lc":"11","lu":true},
            "sensor.numeric":{"s":42,"lc":12}
        }}"#,
    );
    assert_eq!(changed, ["sensor.badattrs", "sensor.numeric", "sensor.ok"]);
    assert!(store["sensor.badattrs"].attributes.is_empty());
    assert_eq!(store["sensor.badattrs"].last_changed, 11.0, "numeric strings are accepted");
    assert_eq!(store["sensor.badattrs"].last_updated, 11.0, "a non-number lu is absent");
    assert_eq!(store["sensor.numeric"].state, "42");

    let changed = feed(
        &mut store,
        r#"{"c":{"sensor.ok":{"+":{"s":"5","a":[1]},"-":{"a":["gone",7,null]}},
                 "sensor.numeric":"garbage",
                 "sensor.badattrs":{"+":5,"-":{"a":"x"}}},
            "r":"not a list"}"#,
    );
    assert_eq!(changed, ["sensor.ok"]);
    assert_eq!(store["sensor.ok"].state, "5");
    assert!(store.contains_key("sensor.badattrs"));

    // Wrong top-level shapes are errors or empty events, never panics.
    assert_eq!(decode("[]").unwrap_or_default(), EntitiesEvent::default());
    assert!(decode("null").is_err());
    assert!(decode("42").is_err());
    assert!(decode("{\"a\":").is_err());
    // Wrong group types are treated as absent.
    let ev = decode(r#"{"a":[1],"c":"x","r":{"k":1}}"#).unwrap_or_default();
    assert_eq!(ev, EntitiesEvent::default());
}

#[test]
fn malformed_input_never_panics() {
    let base = r#"{"a":{"sensor.x":{"s":"1","a":{"k":[1,{"z":null}]},"c":{"id":"q"},"lc":1.5,"lu":2}},"c":{"sensor.x":{"+":{"s":"2","lc":3},"-":{"a":["k"]}}},"r":["sensor.y"]}"#;
    let bytes = base.as_bytes();
    let mut rng = XorShift(0xDEAD_BEEF_1234_5678);
    let junk = [b'{', b'}', b'[', b']', b'"', b':', b',', b'1', b'n', b'-', b'.', b'e', b' '];
    for _ in 0..20_000 {
        let mut m = bytes.to_vec();
        match rng.below(3) {
            0 => m.truncate(rng.below(m.len() as u64) as usize),
            1 => {
                let i = rng.below(m.len() as u64) as usize;
                m[i] = junk[rng.below(junk.len() as u64) as usize];
            }
            _ => {
                let i = rng.below(m.len() as u64) as usize;
                m.insert(i, junk[rng.below(junk.len() as u64) as usize]);
            }
        }
        if let Ok(s) = std::str::from_utf8(&m) {
            if let Ok(ev) = decode(s) {
                let mut store = StateMap::default();
                apply(&mut store, &ev);
            }
        }
    }
}

/// Seeded xorshift64: deterministic, dependency-free randomness.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const IDS: [&str; 12] = [
    "sensor.web_cpu",
    "sensor.web_mem",
    "sensor.db_cpu",
    "switch.web",
    "switch.db",
    "button.web_restart",
    "binary_sensor.db_health",
    "sensor.api_uptime",
    "sensor.node1_load",
    "update.stack",
    "sensor.q",
    "switch.q",
];
const STATES: [&str; 8] = ["on", "off", "running", "exited", "unavailable", "12.5", "13", "healthy"];
const KEYS: [&str; 6] = ["friendly_name", "unit_of_measurement", "icon", "image", "status", "restarts"];

fn random_value(rng: &mut XorShift) -> Value {
    match rng.below(5) {
        0 => json!(rng.below(100)),
        1 => json!(format!("v{}", rng.below(20))),
        2 => json!(rng.chance(50)),
        3 => json!([rng.below(3), "x"]),
        _ => json!({"nested": rng.below(4)}),
    }
}

fn random_context(rng: &mut XorShift) -> Value {
    let id = format!("01JD{:022}", rng.next() % 1_000_000_000);
    if rng.chance(60) {
        json!(id)
    } else {
        json!({"id": id, "parent_id": null, "user_id": if rng.chance(50) { json!("u1") } else { Value::Null }})
    }
}

fn compressed(rng: &mut XorShift, s: &EntityState) -> Value {
    let mut o = json!({"s": s.state, "a": s.attributes, "c": random_context(rng), "lc": s.last_changed});
    if s.last_updated != s.last_changed {
        o["lu"] = json!(s.last_updated);
    }
    if rng.chance(10) {
        o["future_field"] = json!({"ignored": true});
    }
    o
}

/// The `c` entry HA would send to go from `old` to `new` (`messages._state_diff`).
fn diff(rng: &mut XorShift, old: &EntityState, new: &EntityState) -> Value {
    let mut add = Map::new();
    if old.state != new.state {
        add.insert("s".into(), json!(new.state));
    }
    if old.last_changed != new.last_changed {
        add.insert("lc".into(), json!(new.last_changed));
    } else if old.last_updated != new.last_updated {
        add.insert("lu".into(), json!(new.last_updated));
    }
    let changed_attrs: Map<String, Value> = new
        .attributes
        .iter()
        .filter(|(k, v)| old.attributes.get(k) != Some(*v))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    if !changed_attrs.is_empty() {
        add.insert("a".into(), Value::Object(changed_attrs));
    }
    if rng.chance(70) {
        add.insert("c".into(), random_context(rng));
    }
    let mut d = json!({"+": add});
    let removed: Vec<&str> = old.attributes.keys().filter(|k| !new.attributes.contains_key(k)).collect();
    if !removed.is_empty() {
        d["-"] = json!({"a": removed});
    }
    d
}

fn random_state(rng: &mut XorShift, now: f64) -> EntityState {
    let mut s = EntityState::new(STATES[rng.below(STATES.len() as u64) as usize]);
    for k in KEYS {
        if rng.chance(50) {
            s.attributes.insert(k, random_value(rng));
        }
    }
    s.last_changed = now - rng.below(1000) as f64 - 0.5; // stays on the microsecond grid
    s.last_updated = if rng.chance(50) { now } else { s.last_changed };
    s
}

/// Incremental application of a random, HA-shaped event stream ends in exactly the state a
/// fresh subscriber would get from one snapshot of the final truth, and every reported id
/// (and only those) actually changed.
#[test]
fn random_streams_equal_a_snapshot_of_the_final_truth() {
    for seed in 1..=40u64 {
        let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut truth = StateMap::default();
        let mut store = StateMap::default();
        // Whole microseconds, like HA's timestamps: their shortest decimal form has at most
        // 16 significant digits and so survives a JSON round trip exactly.
        let mut now_us: u64 = 1_763_795_000_000_000;

        for _step in 0..400 {
            now_us += rng.below(5_000_000) + 1;
            let now = now_us as f64 / 1e6;
            let before = store.clone();
            let mut ev = Map::new();
            match rng.below(10) {
                // Additions (new entities or wholesale replacement).
                0 | 1 => {
                    let mut a = Map::new();
                    for _ in 0..=rng.below(3) {
                        let id = IDS[rng.below(IDS.len() as u64) as usize];
                        let s = random_state(&mut rng, now);
                        a.insert(id.into(), compressed(&mut rng, &s));
                        truth.insert(id.into(), s);
                    }
                    ev.insert("a".into(), Value::Object(a));
                }
                // Removals.
                2 => {
                    let mut r = Vec::new();
                    for _ in 0..=rng.below(2) {
                        let id = IDS[rng.below(IDS.len() as u64) as usize];
                        truth.remove(id);
                        r.push(id);
                    }
                    ev.insert("r".into(), json!(r));
                }
                // Changes to existing entities.
                _ => {
                    let mut c = Map::new();
                    let ids: Vec<String> = truth.keys().cloned().collect();
                    for id in ids {
                        if !rng.chance(30) {
                            continue;
                        }
                        let old = truth[&id].clone();
                        let mut new = old.clone();
                        match rng.below(4) {
                            0 => {
                                new.state = STATES[rng.below(STATES.len() as u64) as usize].into();
                            }
                            1 => {
                                let k = KEYS[rng.below(KEYS.len() as u64) as usize];
                                new.attributes.insert(k, random_value(&mut rng));
                            }
                            2 => {
                                let k = KEYS[rng.below(KEYS.len() as u64) as usize];
                                new.attributes.remove(k);
                            }
                            _ => {} // lu-only update
                        }
                        if new.state != old.state {
                            new.last_changed = now;
                        }
                        new.last_updated = now;
                        c.insert(id.clone(), diff(&mut rng, &old, &new));
                        truth.insert(id, new);
                    }
                    if c.is_empty() {
                        continue;
                    }
                    ev.insert("c".into(), Value::Object(c));
                }
            }
            let json = Value::Object(ev).to_string();
            let changed = feed(&mut store, &json);

            let mut expected: Vec<String> =
                before.keys().chain(store.keys()).filter(|id| before.get(*id) != store.get(*id)).cloned().collect();
            expected.sort();
            expected.dedup();
            assert_eq!(changed, expected, "seed {seed}: reported ids differ for {json}");
            assert_eq!(store, truth, "seed {seed}: store diverged after {json}");
        }

        let snapshot: Map<String, Value> = truth.iter().map(|(id, s)| (id.clone(), compressed(&mut rng, s))).collect();
        let mut fresh = StateMap::default();
        feed(&mut fresh, &json!({ "a": snapshot }).to_string());
        assert_eq!(fresh, store, "seed {seed}: snapshot rebuild differs");
    }
}


#[test]
fn apply_on_a_decoded_value_matches_attrs_helper() {
    // Guards the attribute map type: values keep their JSON shape.
    let mut store = StateMap::default();
    feed(&mut store, r#"{"a":{"sensor.x":{"s":"1","a":{"status":[1,2],"icon":{"k":"v"}},"lc":1}}}"#);
    assert_eq!(store["sensor.x"].attributes, attrs(json!({"status":[1,2],"icon":{"k":"v"}})));
}

#[test]
fn attributes_the_card_never_reads_are_dropped_and_their_changes_report_nothing() {
    let mut store = StateMap::default();
    let changed = feed(
        &mut store,
        r#"{"a":{"sensor.x":{"s":"1","a":{"friendly_name":"X","entity_picture":"/big.png","restarts":3},"lc":1}}}"#,
    );
    assert_eq!(changed, vec!["sensor.x".to_string()]);
    assert_eq!(store["sensor.x"].attributes, attrs(json!({"friendly_name":"X"})));
    // A diff that only touches unread attributes is not a change for the card.
    let changed = feed(&mut store, r#"{"c":{"sensor.x":{"+":{"a":{"restarts":4}},"-":{"a":["entity_picture"]}}}}"#);
    assert!(changed.is_empty(), "{changed:?}");
    // A diff of a read attribute still is.
    let changed = feed(&mut store, r#"{"c":{"sensor.x":{"+":{"a":{"friendly_name":"Y","restarts":5}}}}}"#);
    assert_eq!(changed, vec!["sensor.x".to_string()]);
    assert_eq!(store["sensor.x"].attributes, attrs(json!({"friendly_name":"Y"})));
}
