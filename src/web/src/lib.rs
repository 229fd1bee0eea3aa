//! Fleet Deck's web layer: the `CardHandle` the JS loader drives, the `hass` bridge (all JS
//! interop), the reactive store and the Leptos components. Domain logic lives in
//! `fleet-deck-core`; this crate converts at the boundary and renders.
pub mod bridge;
pub mod components;
pub mod hooks;
pub mod runtime;
pub mod store;

use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::App;
use crate::runtime::Runtime;
use crate::store::Store;

// Minified by build.rs (src/style.css keeps its comments).
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// What components need from the runtime, as a `Copy` context value.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub store: Store,
    rt: StoredValue<std::rc::Weak<Runtime>, LocalStorage>,
}

impl Ctx {
    pub fn rt(&self) -> Option<Rc<Runtime>> {
        self.rt.try_with_value(|w| w.upgrade()).flatten()
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// One card instance. The JS custom element owns it; dropping it (`free()`) unmounts the app
/// and disposes every signal of this card.
#[wasm_bindgen]
pub struct CardHandle {
    rt: Rc<Runtime>,
    _mount: Option<leptos::mount::UnmountHandle<AnyViewState>>,
}

#[wasm_bindgen]
impl CardHandle {
    #[wasm_bindgen(constructor)]
    pub fn new(root: web_sys::ShadowRoot) -> Result<CardHandle, JsValue> {
        install_panic_hook();
        let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
        let style = doc.create_element("style")?;
        style.set_text_content(Some(CSS));
        root.append_child(&style)?;
        let container: web_sys::HtmlElement = doc.create_element("div")?.unchecked_into();
        container.set_class_name("fd-root");
        root.append_child(&container)?;
        let host: web_sys::EventTarget = root.host().unchecked_into();

        let owner = Owner::new();
        let store = owner.with(Store::new);
        let rt = Runtime::new(store, owner.clone(), host);
        let weak = Rc::downgrade(&rt);
        let mount = owner.with(|| {
            let ctx = Ctx { store, rt: StoredValue::new_local(weak) };
            leptos::mount::mount_to(container, move || {
                provide_context(ctx);
                view! { <App/> }.into_any()
            })
        });
        Ok(CardHandle { rt, _mount: Some(mount) })
    }

    /// Validate and apply a config; an invalid one is shown inside the card (the loader calls
    /// this for configs that arrived before the wasm was ready; later ones it validates first).
    pub fn set_config_deferred(&self, config: JsValue) {
        if let Err(msg) = self.rt.set_config(&config) {
            self.rt.show_config_error(msg);
        }
    }

    pub fn set_hass(&self, hass: JsValue) {
        self.rt.set_hass(hass);
    }

    pub fn connected(&self) {
        self.rt.connected();
    }

    pub fn disconnected(&self) {
        self.rt.disconnected();
    }

    /// Masonry height estimate in 50 px units.
    pub fn card_size(&self) -> u32 {
        let m = self.rt.store.model.get_untracked();
        let groups = m.inv.stacks.len() + m.inv.fleets.len() + 2;
        (3 + groups.min(12)) as u32
    }
}

impl Drop for CardHandle {
    fn drop(&mut self) {
        self._mount.take();
        self.rt.disconnected();
        self.rt.owner.cleanup();
    }
}

/// Throws a JS `Error` with a message that says what to fix, or returns for a valid config.
#[wasm_bindgen]
pub fn validate_config(config: JsValue) -> Result<(), JsValue> {
    fleet_deck_core::config::parse(&bridge::convert::json(&config))
        .map(|_| ())
        .map_err(|e| js_sys::Error::new(&e.0).into())
}

/// A stub config for the card picker that works on the user's own entities: the view with
/// something to show.
#[wasm_bindgen]
pub fn stub_config(entities: JsValue) -> JsValue {
    let (known, _) = bridge::convert::known_entities_and_states(&entities, &JsValue::UNDEFINED);
    let has = |p: &str| known.iter().any(|e| e.platform.as_deref() == Some(p));
    let portainer = has("portainer") || has("ha_portainer_link");
    let view = if !portainer && has("balena_cloud") { "fleets" } else { "auto" };
    bridge::hass::to_js(&serde_json::json!({"type": "custom:fleet-deck-card", "view": view}))
}

/// Log the panic message before the wasm aborts, so a crash is diagnosable from the console;
/// the loader then shows this card's error state.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            bridge::dom::console_error(&format!("Fleet Deck panicked: {info}"));
        }));
    });
}
