// Demo page: runs the real card (/dist/fleet-deck-card.js) against the simulated Home
// Assistant. Query parameters configure everything, so tests and the benchmark can open a
// ready page, e.g. /?scenario=L&lang=de&dark=1&width=360.
import { createSimulatedHass } from "./sim/hass.js";
import { generateData, generateScenario, SCENARIO_NAMES } from "./sim/data.js";

const params = new URLSearchParams(location.search);
// Under automation (Playwright sets navigator.webdriver) the page stays deterministic unless
// asked otherwise: no random failures and no drift by default.
const automated = !!navigator.webdriver;

const flag = (name, fallback) => {
  const v = params.get(name);
  if (v == null) return fallback;
  return !["0", "false", "no", "off", ""].includes(v.toLowerCase());
};
const number = (name, fallback) => {
  const v = params.get(name);
  return v == null || v === "" || Number.isNaN(Number(v)) ? fallback : Number(v);
};
/** `delay=50` (fixed) or `delay=300-1500` (range). */
const delayParam = () => {
  const v = params.get("delay");
  if (!v) return undefined;
  const m = /^(\d+)-(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : Number(v);
};
const cardConfigParam = () => {
  const v = params.get("config");
  if (!v) return {};
  try {
    return JSON.parse(v);
  } catch {
    console.error("[demo] ignoring invalid ?config= JSON");
    return {};
  }
};

const scenario = SCENARIO_NAMES.includes(params.get("scenario")) ? params.get("scenario") : "demo";
const fixed = flag("fixed", false);
const settings = {
  scenario,
  seed: params.get("seed") ?? 1,
  lang: params.get("lang") === "de" ? "de" : "en",
  dark: flag("dark", false),
  admin: flag("admin", true),
  width: ["360", "768", "full"].includes(params.get("width")) ? params.get("width") : "full",
  bulk: flag("bulk", false),
  fixed,
  getenv: flag("getenv", fixed),
  delay: delayParam(),
  failure: number("failure", automated ? 0 : 0.02),
  drift: number("drift", automated ? 0 : 2000),
  driftPerTick: number("driftn", 3),
  rebootMs: number("reboot", undefined),
  persist: flag("persist", true),
  // `young=a,b`: containers created 30 minutes before the page opened (minutes of history).
  young: (params.get("young") || "").split(",").filter(Boolean),
  // `nosub=1`: the server has no subscribe_entities; the card follows `hass.states`.
  entitySubscriptions: !flag("nosub", false),
  cardConfig: { type: "custom:fleet-deck-card", ...cardConfigParam() },
};

// ---- a minimal <ha-card> (the real one lives in HA's frontend) ---------------------------
if (!customElements.get("ha-card")) {
  customElements.define("ha-card", class HaCard extends HTMLElement {
    static get observedAttributes() {
      return ["header"];
    }
    constructor() {
      super();
      this.attachShadow({ mode: "open" }).innerHTML = `
        <style>
          :host {
            display: block;
            position: relative;
            box-sizing: border-box;
            background: var(--ha-card-background, var(--card-background-color, white));
            -webkit-backdrop-filter: var(--ha-card-backdrop-filter, none);
            backdrop-filter: var(--ha-card-backdrop-filter, none);
            box-shadow: var(--ha-card-box-shadow, none);
            border-radius: var(--ha-card-border-radius, var(--ha-border-radius-lg, 12px));
            border-width: var(--ha-card-border-width, 1px);
            border-style: solid;
            border-color: var(--ha-card-border-color, var(--divider-color, #e0e0e0));
            color: var(--primary-text-color);
            transition: all 0.3s ease-out;
          }
          .card-header {
            display: block;
            margin: 0;
            padding: 12px 16px 16px;
            color: var(--ha-card-header-color, var(--primary-text-color));
            font-family: var(--ha-card-header-font-family, inherit);
            font-size: var(--ha-card-header-font-size, 24px);
            font-weight: normal;
            letter-spacing: -0.012em;
            line-height: 48px;
          }
          .card-header[hidden] { display: none; }
          ::slotted(.card-content) { padding: var(--ha-space-4, 16px); }
          ::slotted(.card-actions) { border-top: 1px solid var(--divider-color, #e8e8e8); padding: 8px; }
        </style>
        <h1 class="card-header" hidden></h1>
        <slot></slot>`;
    }
    get header() {
      return this.getAttribute("header") ?? undefined;
    }
    set header(v) {
      if (v == null) this.removeAttribute("header");
      else this.setAttribute("header", v);
    }
    attributeChangedCallback() {
      const h = this.shadowRoot.querySelector(".card-header");
      const text = this.getAttribute("header");
      h.textContent = text ?? "";
      h.hidden = !text;
    }
  });
}

// ---- simulation ---------------------------------------------------------------------------
const t0 = performance.now();
const sim = createSimulatedHass({
  scenario: settings.scenario,
  seed: settings.seed,
  language: settings.lang,
  darkMode: settings.dark,
  admin: settings.admin,
  balenaBulkServices: settings.bulk,
  fixedIntegration: settings.fixed,
  getEnvironment: settings.getenv,
  young: settings.young,
  delay: settings.delay,
  failureRate: settings.failure,
  rebootMs: settings.rebootMs,
  persistUserData: settings.persist,
  entitySubscriptions: settings.entitySubscriptions,
});
const simMs = performance.now() - t0;
if (settings.drift > 0) sim.startDrift(settings.drift, { perTick: settings.driftPerTick });

const events = [];
const demo = {
  settings,
  events,
  simMs,
  ready: null,
  /** Reload the page with changed query parameters (scenario changes need a fresh world). */
  reloadWith(changes) {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v == null) next.delete(k);
      else next.set(k, String(v));
    }
    location.search = next.toString();
  },
};
window.sim = sim;
window.demo = demo;
window.FleetDeckSim = { createSimulatedHass, generateData, generateScenario, SCENARIO_NAMES };

// ---- page chrome ------------------------------------------------------------------------
const $ = (id) => document.getElementById(id);
const column = $("card-column");
document.documentElement.classList.toggle("dark", settings.dark);
document.documentElement.lang = settings.lang;
column.dataset.width = settings.width;

function setParam(name, value) {
  const next = new URLSearchParams(location.search);
  next.set(name, value);
  history.replaceState(null, "", `${location.pathname}?${next}`);
}

function toast(message) {
  const el = document.createElement("div");
  el.className = "toast";
  el.textContent = message;
  $("toasts").append(el);
  setTimeout(() => el.remove(), 6000);
}

function renderStatus() {
  const st = $("status");
  const n = Object.keys(sim.hass.states).length;
  st.textContent = `${sim.connected ? "connected" : "DISCONNECTED"} · ${n.toLocaleString()} states · ${sim.hass.user.is_admin ? "admin" : "user"}`;
  st.classList.toggle("offline", !sim.connected);
  $("ctl-drop").disabled = !sim.connected;
  $("ctl-restore").disabled = sim.connected;
}

function bindControls() {
  $("ctl-scenario").value = settings.scenario;
  $("ctl-lang").value = settings.lang;
  $("ctl-width").value = settings.width;
  $("ctl-dark").checked = settings.dark;
  $("ctl-admin").checked = settings.admin;
  $("ctl-bulk").checked = settings.bulk;
  $("ctl-fixed").checked = settings.fixed;
  $("ctl-drift").checked = settings.drift > 0;

  $("ctl-scenario").addEventListener("change", (e) => demo.reloadWith({ scenario: e.target.value }));
  $("ctl-lang").addEventListener("change", (e) => {
    settings.lang = e.target.value;
    document.documentElement.lang = settings.lang;
    setParam("lang", settings.lang);
    sim.setLanguage(settings.lang);
  });
  $("ctl-width").addEventListener("change", (e) => {
    settings.width = e.target.value;
    column.dataset.width = settings.width;
    setParam("width", settings.width);
  });
  $("ctl-dark").addEventListener("change", (e) => {
    settings.dark = e.target.checked;
    document.documentElement.classList.toggle("dark", settings.dark);
    setParam("dark", settings.dark ? "1" : "0");
    sim.setDarkMode(settings.dark);
  });
  $("ctl-admin").addEventListener("change", (e) => {
    settings.admin = e.target.checked;
    setParam("admin", settings.admin ? "1" : "0");
    sim.setAdmin(settings.admin);
  });
  $("ctl-bulk").addEventListener("change", (e) => {
    settings.bulk = e.target.checked;
    setParam("bulk", settings.bulk ? "1" : "0");
    sim.setBalenaBulkServices(settings.bulk);
  });
  $("ctl-fixed").addEventListener("change", (e) => {
    settings.fixed = e.target.checked;
    setParam("fixed", settings.fixed ? "1" : "0");
    sim.setFixedIntegration(settings.fixed);
  });
  $("ctl-drift").addEventListener("change", (e) => {
    settings.drift = e.target.checked ? (settings.drift > 0 ? settings.drift : 2000) : 0;
    setParam("drift", String(settings.drift));
    if (settings.drift > 0) sim.startDrift(settings.drift, { perTick: settings.driftPerTick });
    else sim.stopDrift();
  });
  $("ctl-drop").addEventListener("click", () => sim.dropConnection());
  $("ctl-restore").addEventListener("click", () => sim.restoreConnection());
}

// What the card fires at HA: record it for tests, show the ones a user would notice.
for (const type of ["hass-more-info", "hass-notification", "hass-action", "ll-custom", "config-changed", "hass-toggle-menu"]) {
  window.addEventListener(type, (ev) => {
    events.push({ t: Date.now(), type, detail: ev.detail });
    if (type === "hass-notification" && ev.detail?.message) toast(ev.detail.message);
    if (type === "hass-more-info" && ev.detail?.entityId) toast(`More info: ${ev.detail.entityId}`);
  });
}
sim.onNotification((n) => toast(n.message));

// ---- the card -----------------------------------------------------------------------------
function showLoadError(message) {
  const el = document.createElement("div");
  el.className = "load-error";
  el.textContent = message;
  column.replaceChildren(el);
}

async function mountCard() {
  try {
    await import("/dist/fleet-deck-card.js");
  } catch (err) {
    showLoadError(`Could not load /dist/fleet-deck-card.js (run the build first).\n${err?.message ?? err}`);
    document.documentElement.dataset.demoReady = "no-card";
    return null;
  }
  const defined = await Promise.race([
    customElements.whenDefined("fleet-deck-card").then(() => true),
    new Promise((r) => setTimeout(() => r(false), 10_000)),
  ]);
  if (!defined) {
    showLoadError("fleet-deck-card.js loaded but <fleet-deck-card> was never defined.");
    document.documentElement.dataset.demoReady = "no-card";
    return null;
  }
  // Same order as Lovelace: create, setConfig, hass, attach.
  const card = document.createElement("fleet-deck-card");
  try {
    card.setConfig(settings.cardConfig);
  } catch (err) {
    showLoadError(`setConfig threw: ${err?.message ?? err}`);
    document.documentElement.dataset.demoReady = "error";
    return null;
  }
  card.hass = sim.hass;
  column.replaceChildren(card);
  sim.subscribe((hass) => {
    card.hass = hass;
  });
  window.card = card;
  document.documentElement.dataset.demoReady = "1";
  return card;
}

bindControls();
renderStatus();
// Counting 30k states on every change would tax the benchmark; refresh only on what shows.
let shown = { connected: sim.hass.connected, user: sim.hass.user };
sim.subscribe((hass) => {
  if (hass.connected === shown.connected && hass.user === shown.user) return;
  shown = { connected: hass.connected, user: hass.user };
  renderStatus();
});
demo.ready = mountCard();
