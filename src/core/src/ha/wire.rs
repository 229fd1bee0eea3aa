//! The bulk read's wire format: what the web bridge's JS projection (`js_known_json`,
//! `js_state_json`, `js_devices_json`) hands over as JSON, decoded into the registry and state
//! types. Kept here, and not in the web layer, so the decoding is tested natively and measured
//! with callgrind (`examples/profile_house.rs`): at 32,000 entities it is the largest part of
//! the first render.
use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use super::registry::KNOWN_PLATFORMS;
use super::state::{FxHashMap, USED_ATTRIBUTES};
use super::{Attributes, DeviceEntry, EntityEntry, EntityState, StateMap};
use crate::time::parse_iso;

/// A reader for exactly this wire format (what `JSON.stringify` makes of the projection: no
/// whitespace, strings escaped only where JSON requires). The whole first render runs in the
/// browser's baseline wasm tier, where serde_json's generic machinery (a call per token,
/// sequence and element) made this parse the largest phase at L. Strings without escapes are
/// copied straight out; anything unusual (escapes, numbers, arrays and objects in attribute
/// values) is handed to serde_json, so values come out exactly as the websocket path decodes
/// them.
struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    /// One state's attribute pairs while they are read, reused: each state then gets a vector
    /// of exactly its size in one allocation instead of growing and shrinking its own.
    pairs: Vec<(u8, Arc<Value>)>,
    /// Attribute values read so far, by their text on the wire: equal text, equal value, one
    /// allocation (see [`Attributes`]).
    shared: FxHashMap<&'a str, Arc<Value>>,
}

type Read<T> = Result<T, String>;

/// `friendly_name`'s index in [`USED_ATTRIBUTES`], looked up when the crate compiles (a name
/// missing from the list fails the build, not the card).
const FRIENDLY_NAME: usize = index_of(USED_ATTRIBUTES, "friendly_name");

const fn index_of(list: &[&str], key: &str) -> usize {
    let mut i = 0;
    while i < list.len() {
        let (a, b) = (list[i].as_bytes(), key.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("not in the list")
}

/// How deep an attribute value may nest: as deep as serde_json reads (its recursion limit).
const MAX_DEPTH: usize = 127;

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader { text, b: text.as_bytes(), i: 0, pairs: Vec::new(), shared: FxHashMap::default() }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.i += usize::from(hit);
        hit
    }

    #[cold]
    fn fail<T>(&self, what: &str) -> Read<T> {
        Err(format!("expected {what} at byte {}", self.i))
    }

    #[inline(always)]
    fn expect(&mut self, c: u8) -> Read<()> {
        if self.eat(c) {
            Ok(())
        } else {
            self.fail_char(c)
        }
    }

    #[cold]
    fn fail_char(&self, c: u8) -> Read<()> {
        self.fail(&format!("`{}`", c as char))
    }

    fn expect_word(&mut self, word: &str) -> Read<()> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            self.fail(word)
        }
    }

    /// The end (exclusive) of the string whose opening quote is at `start`.
    fn string_end(&self, start: usize) -> Read<usize> {
        let mut j = start + 1;
        while let Some(&c) = self.b.get(j) {
            match c {
                b'"' => return Ok(j + 1),
                b'\\' => j += 2,
                _ => j += 1,
            }
        }
        Err(format!("unterminated string at byte {start}"))
    }

    fn string(&mut self) -> Read<String> {
        let start = self.i;
        self.expect(b'"')?;
        let mut j = self.i;
        while let Some(&c) = self.b.get(j) {
            if c == b'"' {
                let s = self.text[self.i..j].to_string();
                self.i = j + 1;
                return Ok(s);
            }
            if c == b'\\' {
                break;
            }
            j += 1;
        }
        self.escaped_string(start)
    }

    /// A string with escapes (or an unterminated one), from its opening quote at `start`.
    #[cold]
    fn escaped_string(&mut self, start: usize) -> Read<String> {
        let end = self.string_end(start)?;
        self.i = end;
        serde_json::from_str(&self.text[start..end]).map_err(|e| format!("string at byte {start}: {e}"))
    }

    fn opt_string(&mut self) -> Read<Option<String>> {
        if self.peek() == Some(b'n') {
            self.expect_word("null").map(|_| None)
        } else {
            self.string().map(Some)
        }
    }

    fn opt_bool(&mut self) -> Read<Option<bool>> {
        match self.peek() {
            Some(b't') => self.expect_word("true").map(|_| Some(true)),
            Some(b'f') => self.expect_word("false").map(|_| Some(false)),
            _ => self.expect_word("null").map(|_| None),
        }
    }

    #[inline(always)]
    fn int(&mut self) -> Read<i64> {
        let negative = self.eat(b'-');
        let start = self.i;
        let mut n: i64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            n = n.checked_mul(10).and_then(|n| n.checked_add(i64::from(d - b'0'))).ok_or_else(|| format!("integer too large at byte {start}"))?;
            self.i += 1;
        }
        if self.i == start {
            return self.fail("an integer");
        }
        Ok(if negative { -n } else { n })
    }

    /// Moves past the value starting here, without decoding it.
    fn skip(&mut self) -> Read<()> {
        self.skip_nested(0)
    }

    /// `skip` inside `depth` arrays or objects. An attribute value nested deeper than
    /// serde_json would read is an error here, before the recursion could exhaust
    /// the wasm stack and take the card down.
    fn skip_nested(&mut self, depth: usize) -> Read<()> {
        match self.peek() {
            Some(b'"') => {
                self.i = self.string_end(self.i)?;
            }
            Some(b'[' | b'{') if depth >= MAX_DEPTH => return self.fail("a value nested at most 127 levels deep"),
            Some(open @ (b'[' | b'{')) => {
                let close = if open == b'[' { b']' } else { b'}' };
                self.i += 1;
                if !self.eat(close) {
                    loop {
                        if open == b'{' {
                            self.skip_nested(depth + 1)?;
                            self.expect(b':')?;
                        }
                        self.skip_nested(depth + 1)?;
                        if self.eat(close) {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
            }
            Some(_) => {
                let n = self.b[self.i..].iter().position(|c| matches!(c, b',' | b']' | b'}' | b':')).unwrap_or(self.b.len() - self.i);
                if n == 0 {
                    return self.fail("a value");
                }
                self.i += n;
            }
            None => return self.fail("a value"),
        }
        Ok(())
    }

    /// Any JSON value: strings, null and booleans here; the rest through serde_json.
    fn value(&mut self) -> Read<Value> {
        match self.peek() {
            Some(b'"') => self.string().map(Value::String),
            Some(b'n') => self.expect_word("null").map(|_| Value::Null),
            Some(b't' | b'f') => self.opt_bool().map(|b| Value::Bool(b.unwrap_or_default())),
            _ => {
                let start = self.i;
                self.skip()?;
                serde_json::from_str(&self.text[start..self.i]).map_err(|e| format!("value at byte {start}: {e}"))
            }
        }
    }

    /// An attribute value, shared with an equal one read earlier from this text. Equal wire
    /// text is the test: it is what `JSON.stringify` wrote for one value, and it costs a hash of
    /// bytes already in memory instead of an allocation per value.
    fn shared_value(&mut self) -> Read<Arc<Value>> {
        let (text, start) = (self.text, self.i);
        self.skip()?;
        let raw = &text[start..self.i];
        if let Some(v) = self.shared.get(raw) {
            return Ok(Arc::clone(v));
        }
        let v = Arc::new(match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            Some(plain) if !plain.contains('\\') => Value::String(plain.to_string()),
            _ => {
                self.i = start;
                self.value()?
            }
        });
        self.shared.insert(raw, Arc::clone(&v));
        Ok(v)
    }

    /// An ISO timestamp, parsed where it is read. Null, a non-string or an unparsable one:
    /// `None`. Timestamps stay HA's ISO strings on the wire and are parsed to the microsecond,
    /// as the websocket path's numbers are, so the subscription's first event does not look
    /// like 32,000 changes.
    fn timestamp(&mut self) -> Read<Option<f64>> {
        if self.peek() == Some(b'"') {
            self.string().map(|s| parse_iso(&s))
        } else {
            self.skip().map(|_| None)
        }
    }

    /// The state fields that end a record (or make up a single state), after the record's
    /// other fields: `state, last_changed, last_updated (null: same as last_changed)`, then
    /// `attribute index (into USED_ATTRIBUTES), value` for each attribute, then the closing
    /// bracket. No fields: no state.
    fn state_fields(&mut self, first: bool) -> Read<Option<EntityState>> {
        if self.eat(b']') {
            return Ok(None);
        }
        if !first {
            self.expect(b',')?;
        }
        let state = self.string()?;
        self.expect(b',')?;
        let last_changed = self.timestamp()?.unwrap_or(0.0);
        self.expect(b',')?;
        let last_updated = self.timestamp()?.unwrap_or(last_changed);
        self.pairs.clear();
        while !self.eat(b']') {
            self.expect(b',')?;
            let key = u8::try_from(self.int()?).map_err(|_| format!("attribute index out of range before byte {}", self.i))?;
            self.expect(b',')?;
            // Names are one per entity: hashing them would only fill the table.
            let value = if usize::from(key) == FRIENDLY_NAME { Arc::new(self.value()?) } else { self.shared_value()? };
            self.pairs.push((key, value));
        }
        let pairs = self.pairs.drain(..).collect();
        Ok(Some(EntityState { state, attributes: Attributes::from_indexed(pairs), last_changed, last_updated }))
    }

    /// One entity: `[entity_id, platform (index into KNOWN_PLATFORMS), device (index into the
    /// chunk's `d`, -1 for none), translation_key, name, has_entity_name, state fields…]`, one
    /// flat array.
    fn record(&mut self, devices: &[String]) -> Read<(EntityEntry, Option<EntityState>)> {
        self.expect(b'[')?;
        let entity_id = self.string()?;
        self.expect(b',')?;
        let platform = usize::try_from(self.int()?).ok().and_then(|i| KNOWN_PLATFORMS.get(i)).map(|p| Cow::Borrowed(*p));
        self.expect(b',')?;
        let device_id = usize::try_from(self.int()?).ok().and_then(|i| devices.get(i)).cloned();
        self.expect(b',')?;
        let translation_key = self.opt_string()?;
        self.expect(b',')?;
        let name = self.opt_string()?;
        self.expect(b',')?;
        let has_entity_name = self.opt_bool()?;
        let state = self.state_fields(false)?;
        Ok((EntityEntry { entity_id, platform, device_id, translation_key, name, has_entity_name }, state))
    }

    /// A device record (see [`read_devices`]).
    fn device(&mut self) -> Read<DeviceEntry> {
        self.expect(b'[')?;
        let id = self.string()?;
        let next = |r: &mut Self| r.expect(b',').and_then(|_| r.opt_string());
        let (name, name_by_user, model, manufacturer, via_device_id) = (next(self)?, next(self)?, next(self)?, next(self)?, next(self)?);
        self.expect(b',')?;
        let mut identifiers = Vec::new();
        self.list(|r| r.value().map(|v| identifiers.push(v)))?;
        let (configuration_url, sw_version) = (next(self)?, next(self)?);
        self.expect(b',')?;
        let mut config_entries = Vec::new();
        self.list(|r| r.string().map(|e| config_entries.push(e)))?;
        let entry_type = next(self)?;
        self.expect(b']')?;
        Ok(DeviceEntry { id, name, name_by_user, model, manufacturer, via_device_id, identifiers, configuration_url, sw_version, config_entries, entry_type })
    }

    /// `[item, item, …]`, each read by `item`.
    fn list(&mut self, mut item: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        self.expect(b'[')?;
        if self.eat(b']') {
            return Ok(());
        }
        loop {
            item(self)?;
            if self.eat(b']') {
                return Ok(());
            }
            self.expect(b',')?;
        }
    }

    fn end(&self) -> Read<()> {
        if self.i == self.b.len() {
            Ok(())
        } else {
            self.fail("the end")
        }
    }
}

/// Appends one chunk's registry entries and states: `{"d": [device ids], "e": [records]}`, the
/// records' device fields being indexes into `d`. A chunk that does not parse adds nothing and
/// says why.
pub fn read_known_chunk(text: &str, entries: &mut Vec<EntityEntry>, states: &mut StateMap) -> Result<(), String> {
    let mut r = Reader::new(text);
    r.expect_word(r#"{"d":"#)?;
    let mut devices = Vec::new();
    r.list(|r| r.string().map(|d| devices.push(d)))?;
    r.expect_word(r#","e":"#)?;
    let mut read = Vec::new();
    r.list(|r| r.record(&devices).map(|x| read.push(x)))?;
    r.expect(b'}')?;
    r.end()?;
    entries.reserve(read.len());
    for (entry, state) in read {
        if let Some(st) = state {
            states.insert(entry.entity_id.clone(), st);
        }
        entries.push(entry);
    }
    Ok(())
}

/// One state: `null`, or `[state fields…]` (see `Reader::state_fields`); `None` for null or
/// anything unreadable.
pub fn read_state(text: &str) -> Option<EntityState> {
    if text == "null" {
        return None;
    }
    let mut r = Reader::new(text);
    let st = r.expect(b'[').and_then(|_| r.state_fields(true)).ok()?;
    r.end().ok().and(st)
}

/// Device registry entries: `[[id, name, name_by_user, model, manufacturer, via_device_id,
/// identifiers (any JSON), configuration_url, sw_version, [config entry ids], entry_type], …]`.
/// Unreadable text is no devices.
pub fn read_devices(text: &str) -> Vec<DeviceEntry> {
    let mut r = Reader::new(text);
    let mut out = Vec::new();
    let read = r.list(|r| r.device().map(|d| out.push(d))).and_then(|_| r.end());
    if read.is_err() {
        out.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx(key: &str) -> usize {
        USED_ATTRIBUTES.iter().position(|k| *k == key).unwrap()
    }

    #[test]
    fn a_chunk_gives_entries_and_their_states() {
        let fname = idx("friendly_name");
        let icon = idx("icon");
        let text = format!(
            r#"{{"d":["dev1"],"e":[["switch.web",0,0,null,null,true,"on","2026-11-23T10:00:00.250000+00:00",null,{icon},"mdi:docker",{fname},"Web"],["sensor.cpu",2,-1,"cpu","CPU",null]]}}"#
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
    fn equal_attribute_values_of_a_chunk_share_one_allocation() {
        let (uuid, name, fleet, unit) = (idx("device_uuid"), idx("device_name"), idx("fleet_id"), idx("unit_of_measurement"));
        let rec = |id: &str, dev: &str| format!(r#"["{id}",2,-1,null,null,null,"1",null,null,{uuid},"{dev}",{name},"kiosk \"A\"",{fleet},2101234,{unit},"%"]"#);
        let text = format!(r#"{{"d":[],"e":[{},{},{}]}}"#, rec("sensor.a_cpu", "u1"), rec("sensor.a_mem", "u1"), rec("sensor.b_cpu", "u2"));
        let (mut entries, mut states) = (Vec::new(), StateMap::default());
        read_known_chunk(&text, &mut entries, &mut states).unwrap();
        let (a, a2, b) = (&states["sensor.a_cpu"].attributes, &states["sensor.a_mem"].attributes, &states["sensor.b_cpu"].attributes);
        for key in ["device_uuid", "device_name", "fleet_id", "unit_of_measurement"] {
            assert!(Arc::ptr_eq(a.shared(key).unwrap(), a2.shared(key).unwrap()), "{key} of one device: one value");
        }
        assert!(!Arc::ptr_eq(a.shared("device_uuid").unwrap(), b.shared("device_uuid").unwrap()), "different text, different value");
        assert!(Arc::ptr_eq(a.shared("fleet_id").unwrap(), b.shared("fleet_id").unwrap()), "numbers are shared too");
        // Sharing changes nothing a reader sees: values decode as on their own.
        assert_eq!(a.get("device_name"), Some(&Value::String("kiosk \"A\"".into())));
        assert_eq!(b.get("fleet_id"), Some(&serde_json::json!(2101234)));
        assert_eq!(b.get("device_uuid").and_then(Value::as_str), Some("u2"));
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
        let mut fails = |text: &str| read_known_chunk(text, &mut entries, &mut states).unwrap_err();
        assert_eq!(fails(r#"{"d":[],"e":[["a"#), "unterminated string at byte 14");
        assert_eq!(fails(r#"{"d":[],"e":[["a",0,-1]]}"#), "expected `,` at byte 22", "a short record");
        assert_eq!(fails(r#"{"d":[],"e":[["a",0,-1,null,null,null,"on",null,null,3]]}"#), "expected `,` at byte 54", "an attribute without a value");
        assert_eq!(fails(r#"{"d":[],"e":[["a",0,-1,null,null,null,"on",null,null,300,1]]}"#), "attribute index out of range before byte 56");
        assert_eq!(fails(r#"{"d":[],"e":[["a",x]]}"#), "expected an integer at byte 18");
        assert_eq!(fails(r#"{"d":[],"e":[["a",0,-1,nul,null,null]]}"#), "expected null at byte 23");
        assert_eq!(fails(r#"{"d":[],"e":[]} "#), "expected the end at byte 15");
        assert_eq!(fails(r#"{"d":[],"e":[["a",0,-1,null,null,null,"on",null,null,3,{"x":]]]}"#), "expected a value at byte 60");
        assert_eq!(fails(r#"{"e":[],"d":[]}"#), "expected {\"d\": at byte 0");
        assert!(entries.is_empty() && states.is_empty());
    }

    #[test]
    fn single_states_and_devices() {
        assert_eq!(read_state("null"), None);
        assert_eq!(read_state("{"), None);
        assert_eq!(read_state(r#"["on",null,null"#), None);
        assert_eq!(read_state(r#"["on",null,null]x"#), None);
        assert_eq!(read_state(r#"["off",null,null]"#).map(|s| s.state), Some("off".to_string()));
        let st = read_state(&format!(r#"["on","2026-11-23T10:00:00+00:00","2026-11-23T10:00:05+00:00",{},"W"]"#, idx("friendly_name"))).unwrap();
        assert_eq!(st.last_updated - st.last_changed, 5.0);
        assert_eq!(st.attr("friendly_name").and_then(Value::as_str), Some("W"));
        let devs = read_devices(
            r#"[["d1","web",null,"Container","Docker","d0",[["portainer","x"],"odd"],"http://p/#!/1",null,["e1","e2"],null],["d0",null,"Mine",null,null,null,[],null,"2.19",[],"service"]]"#,
        );
        assert_eq!(devs.len(), 2);
        let d = &devs[0];
        assert_eq!((d.id.as_str(), d.name.as_deref(), d.model.as_deref(), d.manufacturer.as_deref()), ("d1", Some("web"), Some("Container"), Some("Docker")));
        assert_eq!((d.via_device_id.as_deref(), d.identifier("portainer"), d.configuration_url.as_deref()), (Some("d0"), Some("x"), Some("http://p/#!/1")));
        assert_eq!(d.identifiers[1], Value::String("odd".into()), "malformed identifiers are kept as they are");
        assert_eq!(d.config_entries, ["e1", "e2"]);
        let d = &devs[1];
        assert_eq!((d.display_name(), d.sw_version.as_deref(), d.entry_type.as_deref()), (Some("Mine"), Some("2.19"), Some("service")));
        assert!(read_devices("not json").is_empty());
        assert!(read_devices(r#"[["d1","web"]]"#).is_empty(), "a short record");
        assert!(read_devices("[]").is_empty());
    }

    /// Every attribute value reads exactly as serde_json reads it (the websocket path's
    /// decoder), escapes, unicode, numbers and nesting included.
    #[test]
    fn attribute_values_read_as_serde_json_reads_them() {
        let values = [
            r#""plain""#, r#""""#, r#""tab\there \"quoted\" back\\slash \/ \u00e9 \ud83d\ude00""#, r#""naïve ✓ 😀""#,
            "0", "-1", "12.5", "-0.0", "1e3", "2.5E-7", "18446744073709551615", "-9223372036854775808", "123456789.123456789",
            "true", "false", "null", "[]", "{}", r#"[1,"a",[true,null],{"k":"v]"}]"#, r#"{"a":{"b":[1,2,{"c":"}"}]},"d":"\"{"}"#,
        ];
        for v in values {
            let text = format!(r#"["on",null,null,3,{v},4,"after"]"#);
            let st = read_state(&text).unwrap_or_else(|| panic!("{v} did not read"));
            let expected: Value = serde_json::from_str(v).unwrap();
            assert_eq!(st.attributes.get(USED_ATTRIBUTES[3]), Some(&expected), "{v}");
            assert_eq!(st.attributes.get(USED_ATTRIBUTES[4]), Some(&Value::String("after".into())), "the value after {v}");
        }
    }

    /// Records as `JSON.stringify` writes them round-trip, strings with escapes included.
    #[test]
    fn records_round_trip() {
        let fname = idx("friendly_name") as u64;
        let names = ["Web \"front\"", "back\\slash", "line\nbreak", "ünï 😀", ""];
        let records: Vec<Value> = names
            .iter()
            .enumerate()
            .map(|(i, n)| serde_json::json!([format!("sensor.{i}"), i % 3, i as i64 - 1, n, null, i % 2 == 0, n, "2026-11-23T10:00:00+00:00", null, fname, n]))
            .collect();
        let text = serde_json::json!({"d": ["dev \"0\""], "e": records}).to_string();
        let (mut entries, mut states) = (Vec::new(), StateMap::default());
        read_known_chunk(&text, &mut entries, &mut states).unwrap();
        for (i, n) in names.iter().enumerate() {
            let e = &entries[i];
            assert_eq!(e.entity_id, format!("sensor.{i}"));
            assert_eq!(e.platform.as_deref(), Some(KNOWN_PLATFORMS[i % 3]));
            assert_eq!(e.device_id.as_deref(), (i == 1).then_some("dev \"0\""));
            assert_eq!((e.translation_key.as_deref(), e.name.as_deref(), e.has_entity_name), (Some(*n), None, Some(i % 2 == 0)));
            let st = &states[&e.entity_id];
            assert_eq!(st.state, *n);
            assert_eq!(st.attr("friendly_name"), Some(&Value::String(n.to_string())));
        }
    }

    /// Quotes, backslashes and ends at every offset.
    #[test]
    fn strings_read_whatever_the_offset_of_their_end_or_escape() {
        for n in 0..20 {
            for s in ["a".repeat(n), format!("{}\"{}", "a".repeat(n), "b".repeat(n)), format!("{}\\", "é".repeat(n))] {
                let text = Value::String(s.clone()).to_string();
                let state = read_state(&format!(r#"[{text},null,null]"#)).map(|st| st.state);
                assert_eq!(state.as_deref(), Some(s.as_str()), "{text}");
            }
        }
    }

    /// A pathologically nested attribute fails its chunk with a message instead of
    /// overflowing the stack; 127 levels, what serde_json reads, still read.
    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let chunk = |depth: usize| format!(r#"{{"d":[],"e":[["a",0,-1,null,null,null,"on",null,null,3,{}{}]]}}"#, "[".repeat(depth), "]".repeat(depth));
        let (mut entries, mut states) = (Vec::new(), StateMap::default());
        let err = read_known_chunk(&chunk(100_000), &mut entries, &mut states).unwrap_err();
        assert!(err.starts_with("expected a value nested at most 127 levels deep"), "{err}");
        assert!(entries.is_empty());
        read_known_chunk(&chunk(127), &mut entries, &mut states).unwrap();
        assert!(states["a"].attributes.get(USED_ATTRIBUTES[3]).is_some_and(Value::is_array));
    }
}
