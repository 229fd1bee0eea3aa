//! The `hass` object: reading its parts, calling services and websocket commands, subscribing.
use fleet_deck_core::actions::ServiceCall;
use js_sys::{Function, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = "export function js_call_service(h, d, s, data, target, rr) { return h.callService(d, s, data, target, false, rr); }
export function js_swallow(p) { Promise.resolve(p).catch(() => {}); }
export function js_guard(cb) { const g = { live: true }; g.fn = (m) => { if (g.live) cb(m); }; return g; }
export function js_guard_fn(g) { return g.fn; }
export function js_guard_off(g) { g.live = false; }")]
extern "C" {
    fn js_swallow(p: &JsValue);
    fn js_guard(cb: &JsValue) -> JsValue;
    fn js_guard_fn(guard: &JsValue) -> JsValue;
    fn js_guard_off(guard: &JsValue);
    #[wasm_bindgen(catch)]
    fn js_call_service(hass: &JsValue, domain: &str, service: &str, data: &JsValue, target: &JsValue, return_response: bool) -> Result<JsValue, JsValue>;
}

/// A `hass` object as Home Assistant hands it to the card. Cheap to clone (a JS reference).
#[derive(Clone, Debug)]
pub struct Hass(pub JsValue);

pub fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// JS identity (`===`): HA keeps unchanged objects identical across `hass` updates.
pub fn same(a: &JsValue, b: &JsValue) -> bool {
    a == b
}

/// Outgoing messages must be plain JSON objects: serde-wasm-bindgen's default turns maps into
/// JS `Map`s, which `JSON.stringify` sends as `{}`.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// The human-readable message of a rejected HA call (`{code, message}`) or a JS `Error`.
pub fn error_message(err: &JsValue) -> String {
    let message = get(err, "message");
    if let Some(m) = message.as_string().filter(|m| !m.is_empty()) {
        return m;
    }
    if let Some(code) = get(err, "code").as_string() {
        return code;
    }
    err.as_string().unwrap_or_else(|| "unknown error".to_string())
}

impl Hass {
    pub fn part(&self, key: &str) -> JsValue {
        get(&self.0, key)
    }
    pub fn states(&self) -> JsValue {
        self.part("states")
    }
    pub fn connection(&self) -> JsValue {
        self.part("connection")
    }
    pub fn language(&self) -> String {
        self.part("language").as_string().unwrap_or_else(|| "en".into())
    }
    pub fn is_admin(&self) -> bool {
        get(&self.part("user"), "is_admin").as_bool().unwrap_or(false)
    }
    pub fn user_name(&self) -> String {
        get(&self.part("user"), "name").as_string().unwrap_or_default()
    }
    pub fn dark_mode(&self) -> bool {
        get(&self.part("themes"), "darkMode").as_bool().unwrap_or(false)
    }
    /// `hass.locale.number_format`, `hass.locale.time_zone` (`local`/`server`) and the server's
    /// time zone from `hass.config`.
    pub fn locale_parts(&self) -> (String, String, String) {
        let locale = self.part("locale");
        let nf = get(&locale, "number_format").as_string().unwrap_or_else(|| "language".into());
        let tz_pref = get(&locale, "time_zone").as_string().unwrap_or_else(|| "local".into());
        let server_tz = get(&self.part("config"), "time_zone").as_string().unwrap_or_default();
        (nf, tz_pref, server_tz)
    }
    /// Registered service names of one domain.
    pub fn service_names(&self, domain: &str) -> Vec<String> {
        let d = get(&self.part("services"), domain);
        if !d.is_object() {
            return vec![];
        }
        js_sys::Object::keys(d.unchecked_ref::<js_sys::Object>()).iter().filter_map(|k| k.as_string()).collect()
    }

    /// `hass.callService(domain, service, data, target, notifyOnError=false, returnResponse)`.
    /// The card shows its own per-item results, so HA's toast is switched off.
    pub async fn call_service(&self, call: &ServiceCall, return_response: bool) -> Result<JsValue, String> {
        let data = to_js(&call.data);
        let target = if call.entity_ids.is_empty() {
            JsValue::UNDEFINED
        } else {
            to_js(&serde_json::json!({ "entity_id": call.entity_ids }))
        };
        let p = js_call_service(&self.0, &call.domain, &call.service, &data, &target, return_response)
            .map_err(|e| error_message(&e))?;
        await_promise(p).await
    }

    /// `hass.callWS(msg)`.
    pub async fn call_ws(&self, msg: &serde_json::Value) -> Result<JsValue, String> {
        let f: Function = self.part("callWS").dyn_into().map_err(|_| "hass.callWS is missing".to_string())?;
        let p = f.call1(&self.0, &to_js(msg)).map_err(|e| error_message(&e))?;
        await_promise(p).await
    }
}

async fn await_promise(p: JsValue) -> Result<JsValue, String> {
    let p: Promise = p.dyn_into().map_err(|_| "expected a promise".to_string())?;
    JsFuture::from(p).await.map_err(|e| error_message(&e))
}

/// A live `connection.subscribeMessage` subscription. Dropping it unsubscribes.
pub struct Subscription {
    unsubscribe: Option<Function>,
    _callback: GuardedCallback,
}

/// A callback handed to JS through a guard that a drop switches off. home-assistant-js-websocket
/// keeps calling a subscription's callback until the server has confirmed the unsubscribe, so
/// messages can arrive after the card let go; calling a dropped `Closure` would throw.
struct GuardedCallback {
    guard: JsValue,
    _closure: Closure<dyn FnMut(JsValue)>,
}

impl GuardedCallback {
    fn new(callback: impl FnMut(JsValue) + 'static) -> Self {
        let closure = Closure::<dyn FnMut(JsValue)>::new(callback);
        GuardedCallback { guard: js_guard(closure.as_ref()), _closure: closure }
    }
    fn function(&self) -> JsValue {
        js_guard_fn(&self.guard)
    }
}

impl Drop for GuardedCallback {
    fn drop(&mut self) {
        js_guard_off(&self.guard);
    }
}

impl Subscription {
    /// After a disconnect the server side is gone; dropping must not send an unsubscribe for an
    /// id the new connection does not know.
    pub fn forget_unsubscribe(&mut self) {
        self.unsubscribe = None;
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(f) = self.unsubscribe.take() {
            // After a disconnect the library may reject the unsubscribe; nothing is left to do then.
            if let Ok(p) = f.call0(&JsValue::NULL) {
                js_swallow(&p);
            }
        }
    }
}

/// The `subscribe_entities` message for entity ids already on the JS side (a copy of the
/// array, so nothing the library does to it reaches the card's own).
pub fn subscribe_entities_msg(entity_ids: &js_sys::Array) -> JsValue {
    let msg = js_sys::Object::new();
    let _ = Reflect::set(&msg, &"type".into(), &"subscribe_entities".into());
    let _ = Reflect::set(&msg, &"entity_ids".into(), &entity_ids.slice(0, u32::MAX));
    msg.into()
}

/// `connection.subscribeMessage(callback, msg, {resubscribe})`.
pub async fn subscribe_message(
    connection: &JsValue,
    msg: &JsValue,
    resubscribe: bool,
    callback: impl FnMut(JsValue) + 'static,
) -> Result<Subscription, String> {
    let f: Function = get(connection, "subscribeMessage").dyn_into().map_err(|_| "subscribeMessage is not available".to_string())?;
    let cb = GuardedCallback::new(callback);
    let opts = to_js(&serde_json::json!({ "resubscribe": resubscribe }));
    let p = f.call3(connection, &cb.function(), msg, &opts).map_err(|e| error_message(&e))?;
    let unsub = await_promise(p).await?;
    Ok(Subscription { unsubscribe: unsub.dyn_into::<Function>().ok(), _callback: cb })
}

/// An event listener on a JS object (`connection.addEventListener("ready", …)`), removed on drop.
pub struct Listener {
    target: JsValue,
    event: String,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    pub fn new(target: &JsValue, event: &str, callback: impl FnMut(JsValue) + 'static) -> Option<Listener> {
        let add: Function = get(target, "addEventListener").dyn_into().ok()?;
        let callback = Closure::<dyn FnMut(JsValue)>::new(callback);
        add.call2(target, &JsValue::from_str(event), callback.as_ref()).ok()?;
        Some(Listener { target: target.clone(), event: event.to_string(), callback })
    }
    pub fn target(&self) -> &JsValue {
        &self.target
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Ok(remove) = get(&self.target, "removeEventListener").dyn_into::<Function>() {
            let _ = remove.call2(&self.target, &JsValue::from_str(&self.event), self.callback.as_ref());
        }
    }
}
