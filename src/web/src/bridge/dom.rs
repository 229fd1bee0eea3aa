//! Small DOM and browser helpers: events to Home Assistant, timers, local storage, clocks.
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Fire a Home Assistant frontend event (`hass-more-info`, `hass-notification`, …): bubbling and
/// composed, so it crosses the card's shadow root like the frontend's own `fireEvent`.
pub fn fire(target: &web_sys::EventTarget, name: &str, detail: &serde_json::Value) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&super::hass::to_js(detail));
    if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&ev);
    }
}

#[wasm_bindgen(inline_js = r#"
export function js_pointer_x(ev) { const r = ev.currentTarget.getBoundingClientRect(); return r.width > 0 ? (ev.clientX - r.left) / r.width : -1; }
export function js_focused(node) { const r = node.getRootNode(); return (r && r.activeElement) || null; }
let io = null;
const watched = new WeakMap();
export function js_watch(el, cb) {
  if (typeof IntersectionObserver === "undefined") return;
  if (!io) io = new IntersectionObserver((entries) => {
    for (const e of entries) { const f = watched.get(e.target); if (f) f(e.isIntersecting); }
  }, { rootMargin: "50% 0px" });
  watched.set(el, cb);
  io.observe(el);
}
export function js_unwatch(el) { watched.delete(el); if (io) io.unobserve(el); }
export function js_mark(name) { if (typeof performance === "object" && performance.mark) performance.mark(name); }
export function js_lift(el) {
  const box = el.closest(".fd-dialog");
  if (!box || !box.showPopover) return;
  const scrim = box.previousElementSibling?.classList.contains("fd-scrim") ? box.previousElementSibling : null;
  for (const e of [scrim, box]) {
    if (e && !e.matches(":popover-open")) { e.popover = "manual"; e.showPopover(); }
  }
}
"#)]
extern "C" {
    fn js_pointer_x(ev: &JsValue) -> f64;
    fn js_focused(node: &JsValue) -> JsValue;
    fn js_watch(el: &JsValue, cb: &JsValue);
    fn js_unwatch(el: &JsValue);
    fn js_mark(name: &str);
    fn js_lift(el: &JsValue);
}

/// Lifts the dialog `el` is in (its `.fd-dialog` box and the `.fd-scrim` before it) into the
/// browser's top layer as manual popovers: above the page, and out of any containing block an
/// ancestor makes. Themes that set `--ha-card-backdrop-filter` (a frosted-glass card) make HA's
/// ha-card the containing block of `position: fixed` descendants, so a dialog was centred on
/// the card, below the screen on a tall one, and later cards could cover it. A manual popover
/// changes neither focus nor Escape handling, and leaves the top layer when the dialog is
/// removed. Without the Popover API (before Safari 17) the dialog stays where it was.
/// (Done here rather than with a wrapper element in the views: the wrapper's new view types
/// cost 2.3–3.1 KB gzip.)
pub fn lift_dialog(el: &web_sys::Element) {
    js_lift(el);
}

/// A User Timing mark (`performance.mark`), as seen in DevTools' timeline and read by
/// `tests/bench/phases.mjs`. Only set around discovery and model rebuilds, never per update.
pub fn mark(name: &str) {
    js_mark(name);
}

/// The focused element in the document or shadow root `node` belongs to.
pub fn focused_in(node: &web_sys::Node) -> Option<web_sys::HtmlElement> {
    js_focused(node).dyn_into().ok()
}

/// Reports whether an element is on (or within half a screen of) the viewport, through one
/// shared `IntersectionObserver`; stops when dropped. Without IntersectionObserver nothing is
/// reported.
pub struct Visibility {
    el: JsValue,
    _cb: Closure<dyn FnMut(bool)>,
}

impl Visibility {
    pub fn watch(el: &web_sys::Element, f: impl FnMut(bool) + 'static) -> Visibility {
        let cb = Closure::<dyn FnMut(bool)>::new(f);
        js_watch(el, cb.as_ref());
        Visibility { el: el.into(), _cb: cb }
    }
}

impl Drop for Visibility {
    fn drop(&mut self) {
        js_unwatch(&self.el);
    }
}

/// Where a pointer event lies across its element, 0.0 (left edge) to 1.0 (right edge).
pub fn pointer_fraction(ev: &JsValue) -> Option<f64> {
    let f = js_pointer_x(ev);
    (0.0..=1.0).contains(&f).then_some(f)
}

/// Epoch seconds.
pub fn now() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// A `setTimeout`/`setInterval` that is cleared when dropped.
pub struct Timer {
    id: i32,
    interval: bool,
    _cb: Closure<dyn FnMut()>,
}

impl Timer {
    pub fn timeout(ms: i32, f: impl FnOnce() + 'static) -> Option<Timer> {
        let mut f = Some(f);
        let cb = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f()
            }
        });
        let id = web_sys::window()?.set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), ms).ok()?;
        Some(Timer { id, interval: false, _cb: cb })
    }
    pub fn interval(ms: i32, f: impl FnMut() + 'static) -> Option<Timer> {
        let cb = Closure::<dyn FnMut()>::new(f);
        let id = web_sys::window()?.set_interval_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), ms).ok()?;
        Some(Timer { id, interval: true, _cb: cb })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            if self.interval {
                w.clear_interval_with_handle(self.id);
            } else {
                w.clear_timeout_with_handle(self.id);
            }
        }
    }
}

/// Local storage, for drafts that must survive a reload of the card. Fails quietly where
/// storage is unavailable (private mode); the draft then lives only in memory.
pub fn storage_get(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}
pub fn storage_set(key: &str, value: Option<&str>) {
    if let Some(Ok(Some(s))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

/// Local storage holding JSON, parsed and serialised by the browser (no JSON text codec in the
/// wasm).
pub fn storage_get_json(key: &str) -> Option<serde_json::Value> {
    let v = js_sys::JSON::parse(&storage_get(key)?).ok()?;
    Some(super::convert::json(&v))
}
pub fn storage_set_json(key: &str, value: &serde_json::Value) {
    if let Some(text) = js_sys::JSON::stringify(&super::hass::to_js(value)).ok().and_then(|s| s.as_string()) {
        storage_set(key, Some(&text));
    }
}

/// Log to the console (errors the person should be able to find).
pub fn console_error(msg: &str) {
    web_sys::console::error_1(&JsValue::from_str(msg));
}
