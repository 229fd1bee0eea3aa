//! The bulk read's wire format: what the web bridge's JS projection (`js_known_json`,
//! `js_state_json`, `js_devices_json`) hands over as JSON, decoded into the registry and state
//! types. Kept here, and not in the web layer, so the decoding is tested natively and, at
//! 32,000 entities, compiled with the core's speed-oriented profile (see Cargo.toml).
use std::borrow::Cow;
use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::registry::KNOWN_PLATFORMS;
use super::{Attributes, DeviceEntry, EntityEntry, EntityState, StateMap};
use crate::time::parse_iso;

/// An ISO timestamp, parsed while the JSON is read: 32,000 states made 40,000 short-lived
/// strings when the text was kept first. Null, a non-string or an unparsable one: `None`.
/// Timestamps stay HA's ISO strings on the wire and are parsed here, to the microsecond, as the
/// websocket path's numbers are, so the subscription's first event does not look like 32,000
/// changes.
struct Ts(Option<f64>);

impl<'de> Deserialize<'de> for Ts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ts;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an ISO timestamp or null")
            }
            fn visit_str<E>(self, s: &str) -> Result<Ts, E> {
                Ok(Ts(parse_iso(s)))
            }
            fn visit_unit<E>(self) -> Result<Ts, E> {
                Ok(Ts(None))
            }
            fn visit_none<E>(self) -> Result<Ts, E> {
                Ok(Ts(None))
            }
            fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Ts, D2::Error> {
                d.deserialize_any(V)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ts, E> {
                Ok(Ts(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ts, E> {
                Ok(Ts(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ts, E> {
                Ok(Ts(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ts, E> {
                Ok(Ts(None))
            }
        }
        d.deserialize_option(V)
    }
}

/// The state fields that end a record (or make up a single state): `state, last_changed,
/// last_updated (null: same as last_changed)`, then `attribute index, value` for each attribute
/// (index into USED_ATTRIBUTES). No fields: no state.
fn state_fields<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<Option<EntityState>, A::Error> {
    let Some(state) = seq.next_element::<String>()? else { return Ok(None) };
    let last_changed = seq.next_element::<Ts>()?.and_then(|t| t.0).unwrap_or(0.0);
    let last_updated = seq.next_element::<Ts>()?.and_then(|t| t.0).unwrap_or(last_changed);
    let mut pairs = Vec::new();
    while let Some(key) = seq.next_element::<u8>()? {
        let value = seq.next_element::<Value>()?.ok_or_else(|| de::Error::custom("an attribute without a value"))?;
        pairs.push((key, value));
    }
    Ok(Some(EntityState { state, attributes: Attributes::from_indexed(pairs), last_changed, last_updated }))
}

/// One entity: `[entity_id, platform (index into KNOWN_PLATFORMS), device (index into the
/// chunk's `d`, -1 for none), translation_key, name, has_entity_name, state fields…]`. One flat
/// array: a nested array per state and per attribute was a third of the parse.
struct Record {
    id: String,
    platform: usize,
    device: i32,
    translation_key: Option<String>,
    name: Option<String>,
    has_entity_name: Option<bool>,
    state: Option<EntityState>,
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Record;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an entity record")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Record, A::Error> {
                fn field<'de, T: Deserialize<'de>, A: SeqAccess<'de>>(seq: &mut A) -> Result<T, A::Error> {
                    seq.next_element()?.ok_or_else(|| de::Error::custom("a short entity record"))
                }
                Ok(Record {
                    id: field(&mut seq)?,
                    platform: field(&mut seq)?,
                    device: field(&mut seq)?,
                    translation_key: field(&mut seq)?,
                    name: field(&mut seq)?,
                    has_entity_name: field(&mut seq)?,
                    state: state_fields(&mut seq)?,
                })
            }
        }
        d.deserialize_seq(V)
    }
}

/// A single state in the same format as a record's state fields, or `null`.
struct RawState(Option<EntityState>);

impl<'de> Deserialize<'de> for RawState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawState;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a state or null")
            }
            fn visit_unit<E>(self) -> Result<RawState, E> {
                Ok(RawState(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawState, A::Error> {
                state_fields(&mut seq).map(RawState)
            }
        }
        d.deserialize_any(V)
    }
}

/// One chunk of the bulk read: `d` the device ids its records use, `e` the records.
#[derive(Deserialize)]
struct KnownChunk {
    d: Vec<String>,
    e: Vec<Record>,
}

/// Appends one chunk's registry entries and states. A chunk that does not parse adds nothing
/// and says why.
pub fn read_known_chunk(text: &str, entries: &mut Vec<EntityEntry>, states: &mut StateMap) -> Result<(), String> {
    let c: KnownChunk = serde_json::from_str(text).map_err(|e| e.to_string())?;
    for r in c.e {
        if let Some(st) = r.state {
            states.insert(r.id.clone(), st);
        }
        entries.push(EntityEntry {
            entity_id: r.id,
            platform: KNOWN_PLATFORMS.get(r.platform).map(|p| Cow::Borrowed(*p)),
            device_id: usize::try_from(r.device).ok().and_then(|i| c.d.get(i).cloned()),
            translation_key: r.translation_key,
            name: r.name,
            has_entity_name: r.has_entity_name,
        });
    }
    Ok(())
}

/// One state (see [`state_fields`]); `None` for `null` or anything unreadable.
pub fn read_state(text: &str) -> Option<EntityState> {
    serde_json::from_str::<RawState>(text).ok().and_then(|s| s.0)
}

/// Device registry entries as a JSON array of records; unreadable text is no devices.
pub fn read_devices(text: &str) -> Vec<DeviceEntry> {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ha::state::USED_ATTRIBUTES;

    fn idx(key: &str) -> usize {
        USED_ATTRIBUTES.iter().position(|k| *k == key).unwrap()
    }

    #[test]
    fn a_chunk_gives_entries_and_their_states() {
        let fname = idx("friendly_name");
        let icon = idx("icon");
        let text = format!(
            r#"{{"d":["dev1"],"e":[["switch.web",0,0,null,null,true,"on","2026-11-23T10:00:00.250000+00:00",null,{icon},"mdi:docker",{fname},"Web"],
                                  ["sensor.cpu",2,-1,"cpu","CPU",null]]}}"#
        );
        let (mut entries, mut states) = (Vec::new(), StateMap::default());
        read_known_chunk(&text, &mut entries, &mut states).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].platform.as_deref(), Some("portainer"));
        assert_eq!(entries[0].device_id.as_deref(), Some("dev1"));
        assert_eq!(entries[0].has_entity_name, Some(true));
        assert_eq!(entries[1].platform.as_deref(), Some("balena_cloud"));
        assert_eq!(entries[1].device_id, None);
        assert_eq!(entries[1].translation_key.as_deref(), Some("cpu"));
        assert_eq!(entries[1].name.as_deref(), Some("CPU"));
        let st = &states["switch.web"];
        assert_eq!(st.state, "on");
        assert_eq!(st.attr("friendly_name").and_then(Value::as_str), Some("Web"));
        assert_eq!(st.attr("icon").and_then(Value::as_str), Some("mdi:docker"), "attributes come sorted by index, not wire order");
        assert_eq!(st.last_changed, parse_iso("2026-11-23T10:00:00.25+00:00").unwrap());
        assert_eq!(st.last_updated, st.last_changed, "null last_updated means the same instant");
        assert!(!states.contains_key("sensor.cpu"), "an entity without a state has none");
    }

    #[test]
    fn garbage_timestamps_and_unknown_platforms_degrade_instead_of_failing() {
        let text = r#"{"d":[],"e":[["sensor.x",9,5,null,null,null,"1",12,"not a time"]]}"#;
        let (mut entries, mut states) = (Vec::new(), StateMap::default());
        read_known_chunk(text, &mut entries, &mut states).unwrap();
        assert_eq!(entries[0].platform, None);
        assert_eq!(entries[0].device_id, None, "a device index past the chunk's list is no device");
        assert_eq!((states["sensor.x"].last_changed, states["sensor.x"].last_updated), (0.0, 0.0));
    }

    #[test]
    fn an_unreadable_chunk_adds_nothing_and_says_why() {
        let (mut entries, mut states) = (Vec::new(), StateMap::default());
        let err = read_known_chunk(r#"{"d":[],"e":[["a"#, &mut entries, &mut states).unwrap_err();
        assert!(err.contains("EOF"), "{err}");
        let err = read_known_chunk(r#"{"d":[],"e":[["a",0,-1]]}"#, &mut entries, &mut states).unwrap_err();
        assert!(err.contains("short entity record"), "{err}");
        let err = read_known_chunk(r#"{"d":[],"e":[["a",0,-1,null,null,null,"on",null,null,3]]}"#, &mut entries, &mut states).unwrap_err();
        assert!(err.contains("attribute without a value"), "{err}");
        assert!(entries.is_empty() && states.is_empty());
    }

    #[test]
    fn single_states_and_devices() {
        assert_eq!(read_state("null"), None);
        assert_eq!(read_state("{"), None);
        assert_eq!(read_state(r#"["off",null,null]"#).map(|s| s.state), Some("off".to_string()));
        let st = read_state(&format!(r#"["on","2026-11-23T10:00:00+00:00","2026-11-23T10:00:05+00:00",{},"W"]"#, idx("friendly_name"))).unwrap();
        assert_eq!(st.last_updated - st.last_changed, 5.0);
        assert_eq!(st.attr("friendly_name").and_then(Value::as_str), Some("W"));
        let devs = read_devices(r#"[{"id":"d1","name":"web","identifiers":[["portainer","x"]]}]"#);
        assert_eq!((devs[0].id.as_str(), devs[0].name.as_deref()), ("d1", Some("web")));
        assert!(read_devices("not json").is_empty());
    }
}
