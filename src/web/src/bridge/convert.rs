//! JS values from `hass` → the core's Rust types. Only the card's own platforms and entities
//! are ever converted; a big house's other entities are skipped with one property read each.
use super::hass::get;
use fleet_deck_core::ha::registry::KNOWN_PLATFORMS;
use fleet_deck_core::chart::{Point, Series};
use fleet_deck_core::ha::history::{statistic_point, HistoryRow};
use fleet_deck_core::ha::state::{FxHashMap, USED_ATTRIBUTES};
use fleet_deck_core::ha::{wire, DeviceEntry, EntityEntry, EntityState, StateMap};
use js_sys::Object;
use serde_json::Value;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

// Bulk reads of `hass`. At 1,000 containers and 1,000 devices the known platforms have ~32,000
// entities; converting each registry entry and state object field by field through
// serde-wasm-bindgen took most of a second and left full attribute maps in wasm memory. Here JS
// walks the objects (what it is fastest at), keeps only the fields and attributes the core
// reads, and hands over JSON in chunks (a few hundred KB each, so the wasm heap never has to
// grow for one big string) that `fleet_deck_core::ha::wire` reads. Types are normalised on this
// side, so a malformed entry cannot fail a chunk's parse: it arrives with nulls and the core
// treats it like a missing value.
#[wasm_bindgen(inline_js = r#"
const str = (v) => (typeof v === "string" ? v : null);
const bool = (v) => (typeof v === "boolean" ? v : null);
let keyIndex = null;
const indexOf = (keys) => {
  if (!keyIndex || keyIndex.keys !== keys) keyIndex = { keys, map: new Map(keys.map((k, i) => [k, i])) };
  return keyIndex.map;
};
function attrs(a, keys) {
  // An entity has a handful of attributes and the card reads ~30 names: walk the entity's.
  const index = indexOf(keys);
  const out = {};
  if (a && typeof a === "object") for (const k in a) if (index.has(k) && a[k] !== undefined) out[k] = a[k];
  return out;
}
// One state on the wire (see fleet_deck_core::ha::wire), appended to `out`: state,
// last_changed, last_updated (null when equal), then index-into-keys, value for each attribute
// the card reads (names are most of an attribute map's bytes). Nothing for a missing or
// malformed state.
function stateFields(st, keys, out) {
  if (!st || typeof st !== "object") return out;
  const lc = str(st.last_changed), lu = str(st.last_updated);
  out.push(st.state == null ? "" : String(st.state), lc, lu === lc ? null : lu);
  const index = indexOf(keys), a = st.attributes;
  if (a && typeof a === "object") for (const k in a) { const i = index.get(k); if (i !== undefined) { const v = a[k]; if (v !== undefined) out.push(i, v); } }
  return out;
}
export function js_state_json(st, keys) { return st && typeof st === "object" ? JSON.stringify(stateFields(st, keys, [])) : "null"; }
// Per chunk: `d` the device ids it uses; `e` one flat record per entity: entity id, platform
// (index into `platforms`), device (index into `d`, -1: none), translation_key, name,
// has_entity_name, then its state's fields (see `stateFields`). Flat, because a nested array
// per state and per attribute was a third of the parse in wasm; positional, because field names
// were a third of the bytes.
export function js_known_json(entities, states, platforms, keys, chunk) {
  const out = [];
  let d = [], dIndex = new Map(), e = [];
  const flush = () => { if (e.length) out.push(JSON.stringify({ d, e })); d = []; dIndex = new Map(); e = []; };
  const device = (v) => {
    if (typeof v !== "string") return -1;
    let i = dIndex.get(v);
    if (i === undefined) { i = d.length; d.push(v); dIndex.set(v, i); }
    return i;
  };
  for (const key in entities) {
    const x = entities[key];
    const p = x && typeof x === "object" ? platforms.indexOf(x.platform) : -1;
    if (p < 0) continue;
    const id = str(x.entity_id);
    if (!id) continue;
    e.push(stateFields(states && states[id], keys, [id, p, device(x.device_id),
      str(x.translation_key), str(x.name), bool(x.has_entity_name)]));
    if (e.length >= chunk) flush();
  }
  flush();
  return out;
}
export function js_event_chunks(ev, keys, chunk) {
  const out = [];
  if (!ev || typeof ev !== "object") return out;
  const full = (x) => (x && typeof x === "object" && !Array.isArray(x)
    ? { s: x.s, a: x.a && typeof x.a === "object" && !Array.isArray(x.a) ? attrs(x.a, keys) : x.a, lc: x.lc, lu: x.lu } : x);
  const group = (name, obj, map) => {
    if (obj === undefined) return;
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) { out.push(JSON.stringify({ [name]: obj })); return; }
    let part = {}, n = 0;
    for (const id in obj) {
      part[id] = map(obj[id]);
      if (++n >= chunk) { out.push(JSON.stringify({ [name]: part })); part = {}; n = 0; }
    }
    if (n) out.push(JSON.stringify({ [name]: part }));
  };
  group("a", ev.a, full);
  if (ev.r !== undefined) out.push(JSON.stringify({ r: ev.r }));
  group("c", ev.c, (d) => (d && typeof d === "object" ? { "+": full(d["+"]), "-": d["-"] } : d));
  return out;
}
// One device on the wire (see fleet_deck_core::ha::wire): id, name, name_by_user, model,
// manufacturer, via_device_id, identifiers, configuration_url, sw_version, config_entries,
// entry_type, positional like the entity records.
const deviceEntry = (d, id) => [str(d.id) || id, str(d.name), str(d.name_by_user), str(d.model), str(d.manufacturer),
  str(d.via_device_id), Array.isArray(d.identifiers) ? d.identifiers : [], str(d.configuration_url), str(d.sw_version),
  Array.isArray(d.config_entries) ? d.config_entries.filter((x) => typeof x === "string") : [], str(d.entry_type)];
// The devices `ids` and their `via_device` ancestors (endpoints, stacks, fleets), each once.
export function js_devices_json(devices, ids) {
  const out = [], seen = new Set(), todo = ids.slice();
  while (todo.length) {
    const id = todo.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    const d = devices && devices[id];
    if (!d || typeof d !== "object") continue;
    out.push(deviceEntry(d, id));
    const via = str(d.via_device_id);
    if (via && !seen.has(via)) todo.push(via);
  }
  return JSON.stringify(out);
}
// balena fleet devices (identifier ["balena_cloud", "fleet_…"]), found among all the house's
// devices: a walk JS does in a few ms, and thousands of calls each way from wasm.
export function js_fleet_devices_json(devices) {
  const out = [];
  for (const d of Object.values(devices || {})) {
    if (!d || typeof d !== "object" || !Array.isArray(d.identifiers)) continue;
    const id = str(d.id);
    if (id && d.identifiers.some((p) => Array.isArray(p) && p[0] === "balena_cloud" && typeof p[1] === "string" && p[1].startsWith("fleet_"))) {
      out.push(deviceEntry(d, id));
    }
  }
  return JSON.stringify(out);
}
export function js_split_lines(s) { return s === "" ? [] : s.split("\n"); }
// UTF-8 of `s` straight into wasm memory: `written`, or -1 when `view` was too small.
const utf8 = new TextEncoder();
export function js_encode_into(s, view) { const r = utf8.encodeInto(s, view); return r.read === s.length ? r.written : -1; }
// The fallback scan keeps the last `hass.states[id]` object per tracked id in an array aligned
// with the ids (an index is cheaper than a Map lookup, 32,000 times per `hass`).
export function js_snapshot(states, ids) { return ids.map((id) => (states ? states[id] : undefined)); }
export function js_changed(states, ids, last) {
  const out = [];
  for (let i = 0; i < ids.length; i++) {
    const o = states ? states[ids[i]] : undefined;
    if (last[i] !== o) { last[i] = o; out.push(ids[i]); }
  }
  return out;
}
"#)]
extern "C" {
    fn js_state_json(state: &JsValue, keys: &JsValue) -> String;
    fn js_known_json(entities: &JsValue, states: &JsValue, platforms: &JsValue, keys: &JsValue, chunk: u32) -> js_sys::Array;
    fn js_event_chunks(ev: &JsValue, keys: &JsValue, chunk: u32) -> js_sys::Array;
    fn js_devices_json(devices: &JsValue, ids: &js_sys::Array) -> JsValue;
    fn js_fleet_devices_json(devices: &JsValue) -> JsValue;
    fn js_split_lines(s: &str) -> js_sys::Array;
    fn js_encode_into(s: &JsValue, view: &js_sys::Uint8Array) -> i32;
    fn js_snapshot(states: &JsValue, ids: &js_sys::Array) -> JsValue;
    fn js_changed(states: &JsValue, ids: &js_sys::Array, last: &JsValue) -> js_sys::Array;
}

/// A JS string as a Rust `String`, for the bulk read's JSON (megabytes at L). wasm-bindgen's own
/// conversion copies a string one UTF-16 unit per JS loop iteration (a CPU profile of the L
/// first render put 27 ms there); `TextEncoder.encodeInto` writes it into wasm memory
/// natively. The buffer starts at the string's length plus an eighth (the JSON is mostly
/// ASCII) and is retried at the UTF-8 worst case, three bytes per unit, when that is too small.
fn wasm_string(v: &JsValue) -> Option<String> {
    let units = v.dyn_ref::<js_sys::JsString>()?.length() as usize;
    for cap in [units + units / 8 + 16, units * 3] {
        let mut buf: Vec<u8> = Vec::with_capacity(cap);
        // SAFETY: the view covers `buf`'s allocation and is used before anything else can
        // allocate (and so move or grow wasm memory); only what `encodeInto` wrote is kept.
        let view = unsafe { js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr(), cap) };
        let written = js_encode_into(v, &view);
        if let Ok(n) = usize::try_from(written) {
            // SAFETY: `encodeInto` wrote `n` bytes of UTF-8, and never a partial sequence
            // (lone surrogates become U+FFFD).
            unsafe {
                buf.set_len(n);
                return Some(String::from_utf8_unchecked(buf));
            }
        }
    }
    None
}

fn str_array(items: &[&str]) -> js_sys::Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

thread_local! {
    static USED_KEYS: js_sys::Array = str_array(USED_ATTRIBUTES);
}

/// `hass.entities` entries of the platforms the card knows, and their current states (only the
/// attributes the card reads). Entries without an entity id are skipped.
pub fn known_entities_and_states(entities: &JsValue, states: &JsValue) -> (Vec<EntityEntry>, StateMap) {
    let chunks = USED_KEYS.with(|keys| js_known_json(entities, states, &str_array(KNOWN_PLATFORMS), keys, 2000));
    let mut out_e = Vec::with_capacity(chunks.length() as usize * 2000);
    let mut out_s = StateMap::with_capacity_and_hasher(chunks.length() as usize * 2000, Default::default());
    for chunk in chunks.iter() {
        let Some(text) = wasm_string(&chunk) else { continue };
        if let Err(e) = wire::read_known_chunk(&text, &mut out_e, &mut out_s) {
            super::dom::console_error(&format!("Fleet Deck: unreadable registry chunk: {e}"));
        }
    }
    (out_e, out_s)
}

/// A `subscribe_entities` event as JSON pieces of at most 2,000 entities each, in the order
/// they apply (additions, removals, changes), with only the attributes the card reads and
/// without contexts (the card does not use them). The first event of a subscription carries
/// every state at once: decoded whole it needed ~30 MB of wasm heap at 32,000 entities, and
/// wasm memory never shrinks.
pub fn event_chunks(ev: &JsValue) -> impl Iterator<Item = String> {
    // Each piece is copied into wasm memory only when the caller gets to it.
    USED_KEYS.with(|keys| js_event_chunks(ev, keys, 2000)).into_iter().filter_map(|v| wasm_string(&v))
}

/// The identities of `hass.states[id]` for `ids`, kept on the JS side (an array aligned with
/// `ids`), for the fallback scan before the subscription is live.
pub fn state_identities(states: &JsValue, ids: &js_sys::Array) -> JsValue {
    js_snapshot(states, ids)
}

/// The ids among `ids` whose `hass.states` object is not the one in `last` (which is updated;
/// it must have been made from the same `ids`).
pub fn changed_states(states: &JsValue, ids: &js_sys::Array, last: &JsValue) -> Vec<String> {
    js_changed(states, ids, last).iter().filter_map(|v| v.as_string()).collect()
}

/// Entity ids as a JS array (built once per tracked set).
pub fn id_array<S: std::borrow::Borrow<str>>(ids: &[S]) -> js_sys::Array {
    // One string across the boundary and a split on the JS side: 32,000 separate string
    // conversions took ~70 ms at L. Entity ids never contain a newline.
    js_split_lines(&ids.join("\n"))
}

/// The devices the entities point at, and their `via_device` ancestors (endpoints, stacks,
/// fleets), in one JS call. At L, 32,000 entities point at ~2,000 devices: the ids are
/// deduplicated as borrowed strings before anything is copied.
pub fn devices_for(devices: &JsValue, entities: &[EntityEntry]) -> FxHashMap<String, DeviceEntry> {
    let mut ids: Vec<&str> = entities.iter().filter_map(|e| e.device_id.as_deref()).collect();
    // A device's entities mostly come one after another: dropping repeats first leaves the
    // sort a tenth of the work.
    ids.dedup();
    ids.sort_unstable();
    ids.dedup();
    let text = wasm_string(&js_devices_json(devices, &js_split_lines(&ids.join("\n")))).unwrap_or_default();
    let found = wire::read_devices(&text);
    // balena fleet devices have no entities of their own; they are found through `via`
    // above, and empty fleets (no tracked devices) by their identifier.
    found.into_iter().map(|d| (d.id.clone(), d)).collect()
}

/// balena fleet devices, including fleets whose devices are not tracked (shown only on request).
pub fn balena_fleet_devices(devices: &JsValue) -> Vec<DeviceEntry> {
    wire::read_devices(&wasm_string(&js_fleet_devices_json(devices)).unwrap_or_default())
}

/// One `hass.states[id]` object (only the attributes the card reads). Missing or malformed
/// pieces become defaults, never errors.
pub fn entity_state(obj: &JsValue) -> Option<EntityState> {
    if !obj.is_object() {
        return None;
    }
    let text = USED_KEYS.with(|keys| js_state_json(obj, keys));
    wire::read_state(&text)
}

/// Any JSON-like JS value as `serde_json::Value`.
pub fn json(value: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(value.clone()).unwrap_or(Value::Null)
}

/// The `[key, list]` pairs of a `{key: [..]}` object (history and statistics results).
fn lists(obj: &JsValue) -> impl Iterator<Item = (String, js_sys::Array)> {
    let entries = if obj.is_object() { Object::entries(obj.unchecked_ref::<Object>()) } else { js_sys::Array::new() };
    entries.into_iter().filter_map(|e| {
        let e: js_sys::Array = e.unchecked_into();
        let list = e.get(1);
        Some((e.get(0).as_string()?, js_sys::Array::is_array(&list).then(|| list.unchecked_into())?))
    })
}

/// A `history/stream` event's `states` (`{entity_id: [{s, lu, lc?}, …]}`) as chart points per
/// entity (epoch seconds; unavailable/non-numeric states are gaps). Read straight from the JS
/// object: no JSON round trip and no serde code for this shape in the bundle.
pub fn history_points(ev: &JsValue) -> Vec<(String, Vec<Point>)> {
    lists(&get(ev, "states"))
        .map(|(id, rows)| {
            let points = rows
                .iter()
                .filter_map(|r| HistoryRow { s: get(&r, "s").as_string(), a: None, lu: get(&r, "lu").as_f64(), lc: get(&r, "lc").as_f64() }.point())
                .collect();
            (id, points)
        })
        .collect()
}

/// A `recorder/statistics_during_period` result (`{statistic_id: [{start (ms), mean}, …]}`) as
/// a series of means per entity.
pub fn statistics_means(result: &JsValue) -> Vec<(String, Series)> {
    lists(result)
        .map(|(id, rows)| {
            let mut s = Series::new(rows.iter().filter_map(|r| statistic_point(get(&r, "start").as_f64()?, get(&r, "mean").as_f64())).collect());
            s.sort();
            (id, s)
        })
        .collect()
}
