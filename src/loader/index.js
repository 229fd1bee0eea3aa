// Fleet Deck loader: the only hand-written JS of the card.
//
// Home Assistant may create <fleet-deck-card> before this module has finished loading, and the
// card picker and editor give up after 2 s if the element is not defined. So the element is
// defined synchronously while the module is evaluated; the wasm (embedded in this file, so there
// is no sibling file to go stale in a cache) is instantiated once per page, asynchronously, and
// shared by every card instance. Until it is ready a card shows a light skeleton.
import init, { CardHandle, validate_config, stub_config } from "fleet-deck-wasm";
import wasmGz from "fleet-deck-wasm-gz";
import { configForm, formCannotShow } from "./config-form.js";
import { loaderText } from "./loader-text.js";

const TAG = "fleet-deck-card";
// How long a card may stay off the page before it lets go of its app (disconnectedCallback).
const RELEASE_MS = 30000;
const DOCS = "https://github.com/fleet-deck/fleet-deck-card#configuration";

// Resolves to null when the card runs, otherwise to the placeholder that says why not:
// WebAssembly switched off (Lockdown Mode) or a browser too old to inflate the embedded wasm
// (DecompressionStream: Safari/iOS 16.4, Firefox 113, Chrome 80), such as an old wall tablet.
let ready = null;
function wasmReady() {
  if (!ready) {
    ready = typeof WebAssembly !== "object"
      ? Promise.resolve("nowasm")
      : typeof DecompressionStream !== "function"
        ? Promise.resolve("oldbrowser")
        : init({ module_or_path: inflate(wasmGz) }).then(() => null);
  }
  return ready;
}

// The embedded wasm is gzip-compressed (see scripts/bundle.mjs); a Response with the wasm
// content type lets the browser compile it while it is still being inflated. The bytes go in
// as one chunk: `new Blob([gz]).stream()` hands them over through the blob machinery in 64 KB
// pieces, which made inflating 6–14 ms slower on a cold page (BENCHMARKS.md item 27).
function inflate(gz) {
  const source = new ReadableStream({ start(c) { c.enqueue(gz); c.close(); } });
  const stream = source.pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream, { headers: { "Content-Type": "application/wasm" } });
}

const BASE_CSS = `
  :host { display: block; }
  ha-card.fd-loader { padding: 16px; display: block; }
  .fd-skel { display: grid; gap: 10px; }
  .fd-skel i { display: block; height: 14px; border-radius: 7px;
    background: var(--secondary-background-color, rgba(127,127,127,.15)); }
  .fd-skel i:nth-child(1) { width: 40%; height: 20px; }
  .fd-skel i:nth-child(3) { width: 85%; } .fd-skel i:nth-child(4) { width: 70%; }
  .fd-msg { color: var(--primary-text-color); line-height: 1.5; }
  .fd-msg strong { color: var(--error-color, #db4437); display: block; margin-bottom: 4px; }
`;

class FleetDeckCard extends HTMLElement {
  constructor() {
    super();
    this._root = this.attachShadow({ mode: "open" });
    this._handle = null;
    this._config = null;
    this._hass = null;
    this._connected = false;
    this._crashed = false;
    this._wasm = false;
    this._release = 0;
    this._showPlaceholder("skeleton");
    wasmReady().then((why) => {
      if (why) return this._showPlaceholder(why);
      this._wasm = true;
      // Started before it is connected, as before: masonry asks getCardSize() of cards it
      // has not placed yet.
      this._start();
    }, (err) => this._crash(err));
  }

  _start() {
    if (this._handle || this._crashed) return;
    this._guard(() => {
      // User Timing marks (DevTools, tests/bench/phases.mjs); the wasm sets the later ones.
      performance.mark?.("fd:mount");
      const handle = new CardHandle(this._root);
      performance.mark?.("fd:mounted");
      this._handle = handle;
      this._placeholder?.remove();
      this._placeholder = null;
      if (this._config) handle.set_config_deferred(this._config);
      if (this._hass) handle.set_hass(this._hass);
      if (this._connected) handle.connected();
    });
  }

  // A Rust panic traps the wasm call; this card then shows an error state and stops calling
  // into it, while other cards on the page carry on.
  _guard(fn) {
    if (this._crashed) return undefined;
    try {
      return fn();
    } catch (err) {
      if (err && err.fleetDeckConfig) throw err;
      this._crash(err);
      return undefined;
    }
  }

  _crash(err) {
    this._crashed = true;
    console.error("Fleet Deck crashed:", err);
    try { this._handle?.free(); } catch (_) { /* the instance may be poisoned after a trap */ }
    this._handle = null;
    this._root.replaceChildren();
    this._showPlaceholder("crashed", String(err && err.message || err));
  }

  _showPlaceholder(kind, detail) {
    const t = loaderText(this._hass?.language || navigator.language);
    if (!this._root.querySelector("style[data-fd-base]")) {
      const style = document.createElement("style");
      style.dataset.fdBase = "";
      style.textContent = BASE_CSS;
      this._root.append(style);
    }
    this._placeholder?.remove();
    const card = document.createElement("ha-card");
    card.className = "fd-loader";
    card.dataset.state = kind;
    if (kind === "skeleton") {
      card.setAttribute("aria-busy", "true");
      card.setAttribute("aria-label", t.loading);
      card.innerHTML = `<div class="fd-skel"><i></i><i></i><i></i><i></i></div>`;
    } else {
      const msg = document.createElement("div");
      msg.className = "fd-msg";
      msg.setAttribute("role", "alert");
      const strong = document.createElement("strong");
      strong.textContent = t[`${kind}Title`];
      msg.append(strong, t[kind]);
      if (detail) msg.title = detail;
      card.append(msg);
    }
    this._root.append(card);
    this._placeholder = card;
  }

  setConfig(config) {
    // Validation is Rust's (one set of rules and messages). Before the wasm is ready the config
    // is kept and checked on start; an invalid one then shows the error inside the card.
    const err = validateOrError(config);
    if (err) throw err;
    this._config = config;
    if (this._handle) this._guard(() => this._handle.set_config_deferred(config));
  }

  // Sections view sets `layout = "grid"`. A person may give the card a fixed number of rows
  // there; the list then scrolls inside that height instead of spilling over the cards below.
  set layout(layout) {
    this._layout = layout;
    this.toggleAttribute("data-grid", layout === "grid");
  }
  get layout() {
    return this._layout;
  }

  set hass(hass) {
    this._hass = hass;
    if (this._handle) this._guard(() => this._handle.set_hass(hass));
  }
  get hass() {
    return this._hass;
  }

  connectedCallback() {
    this._connected = true;
    clearTimeout(this._release);
    // Released while away (see below): start over from the config and hass it still has.
    if (!this._handle && this._wasm) this._start();
    else if (this._handle) this._guard(() => this._handle.connected());
  }
  disconnectedCallback() {
    this._connected = false;
    if (this._handle) this._guard(() => this._handle.disconnected());
    // A card holds its part of the house in wasm memory, and HA drops card elements without
    // telling them: the editor's preview builds a new element on every keystroke, and saving a
    // dashboard rebuilds all its cards. Nothing ever freed a dropped card (3.4 MB each at the
    // demo's size; one card at 1,000 containers uses 25 MB), so a card that stays off the page
    // lets go of its app: at once for a preview, after RELEASE_MS for others (a view shown
    // again within it resumes as it was).
    clearTimeout(this._release);
    this._release = setTimeout(() => this._free(), this.preview ? 0 : RELEASE_MS);
  }

  _free() {
    if (this._connected || !this._handle) return;
    const handle = this._handle;
    this._handle = null;
    this._guard(() => handle.free());
    this._root.replaceChildren();
  }

  getCardSize() {
    return this._handle ? this._guard(() => this._handle.card_size()) ?? 6 : 6;
  }
  getGridOptions() {
    return { columns: 12, rows: "auto", min_columns: 6, min_rows: 4 };
  }

  static getStubConfig(hass) {
    return stubConfigFor(hass);
  }
  static getConfigForm() {
    return {
      ...configForm(),
      // The visual editor stays usable only for configs the card accepts; the message is Rust's.
      assertConfig: (config) => {
        const err = validateOrError(config);
        if (err) throw err;
        const unshowable = formCannotShow(config);
        if (unshowable) throw new Error(unshowable);
      },
    };
  }
}

// Which platforms are present decides the stub's view, so a user with only balena sees fleets.
function stubConfigFor(hass) {
  try {
    if (loaded) return stub_config(hass?.entities ?? {});
  } catch (_) { /* fall through to the plain stub */ }
  return { type: `custom:${TAG}` };
}

// True once the shared wasm instance is ready; until then configs are validated on start.
let loaded = false;

function validateOrError(config) {
  if (!loaded) return null;
  try {
    validate_config(config);
    return null;
  } catch (e) {
    const err = new Error(e && e.message ? e.message : String(e));
    err.fleetDeckConfig = true;
    return err;
  }
}

wasmReady().then((why) => { loaded = !why; }, () => {});

if (!customElements.get(TAG)) {
  customElements.define(TAG, FleetDeckCard);
}
window.customCards = window.customCards || [];
if (!window.customCards.some((c) => c.type === TAG)) {
  window.customCards.push({
    type: TAG,
    name: "Fleet Deck",
    description: "Portainer containers and balena device fleets: state, health, updates, metrics, bulk actions and history.",
    preview: true,
    documentationURL: DOCS,
  });
}
