// Shared helpers for the browser tests: one static server and one headless Debian Chromium per
// test file, pages opened on the demo with query parameters, and small polling helpers.
import { chromium } from "playwright-core";
import { startServer } from "../../www/serve.mjs";

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function launch() {
  const server = await startServer({ port: 0, quiet: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Open the demo page with `params` (scenario, delay, config, lang, …) and wait for the card. */
export async function openDemo(env, params = {}, { wait = true, viewport, before } = {}) {
  const context = await env.browser.newContext({ viewport: viewport || { width: 1100, height: 900 } });
  const page = await context.newPage();
  // `before(page)` runs ahead of the page's scripts (a fixed clock, an init script).
  if (before) await before(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const q = new URLSearchParams({ delay: "30", ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)])) });
  await page.goto(`${env.server.url}?${q}`);
  if (wait) {
    await page.waitForSelector("fleet-deck-card ha-card.fleet-deck[data-ready=true]", { timeout: 20000 });
    // The first paint shows a screenful and the rest follows over a few frames (aria-busy).
    await page.waitForFunction(() => !document.querySelector("fleet-deck-card").shadowRoot.querySelector(".fd-groups[aria-busy=true]"), null, { timeout: 20000, polling: 50 });
  }
  return { page, context, errors };
}

/** Poll `fn` (a function of `arg`, or an expression) in the page until it returns a truthy
 * value. A promise is itself truthy, so waitForFunction would stop at once on one: a predicate
 * that returns a promise fails here, loudly (use `untilResolved` for those). */
export async function until(page, fn, arg, timeout = 10000) {
  // Playwright sends a function as its source text anyway; this sends it inside the check.
  const expr = typeof fn === "function" ? `(${fn})` : `(() => (${fn}))`;
  const handle = await page.waitForFunction(({ expr, arg }) => {
    const v = (0, eval)(expr)(arg);
    if (v && typeof v.then === "function") throw new Error("until(): the predicate returned a promise; use untilResolved()");
    return v;
  }, { expr, arg }, { timeout, polling: 50 });
  return handle.jsonValue();
}

/** Like `until`, for an async `fn` (a websocket round trip): awaits each result. */
export async function untilResolved(page, fn, arg, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error(`untilResolved: still ${JSON.stringify(v)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The card's shadow root query (Playwright CSS locators pierce shadow roots). */
export const card = (page, selector) => page.locator(`fleet-deck-card ${selector}`);

/** The action buttons in `el` (a locator) a person can see, in order, and on how many lines. */
export function shownActions(el) {
  return el.locator(".fd-actions button[data-action]").evaluateAll((els) => {
    const shown = els.filter((e) => e.checkVisibility());
    return { actions: shown.map((e) => e.dataset.action), lines: new Set(shown.map((e) => Math.round(e.getBoundingClientRect().top))).size };
  });
}

/** Service calls recorded by the simulated Home Assistant. */
export function serviceCalls(page, domain, service) {
  return page.evaluate(([d, s]) => window.sim.log.filter((e) => e.type === "callService" && (!d || e.domain === d) && (!s || e.service === s)).map((e) => ({ domain: e.domain, service: e.service, data: e.data, target: e.target })), [domain, service]);
}

/** An init script (`page.addInitScript(shiftClock, epochMs)`) that moves the page's wall clock
 * to `epochMs` and lets it run on from there; timers keep real time. Playwright's own
 * `page.clock` replaces the timers too, which is not what a card meets in a browser. */
export function shiftClock(epochMs) {
  const Real = Date;
  const offset = epochMs - Real.now();
  class Shifted extends Real {
    constructor(...args) {
      if (args.length) super(...args);
      else super(Real.now() + offset);
    }
    static now() {
      return Real.now() + offset;
    }
  }
  globalThis.Date = Shifted;
}

/** An init script (`page.addInitScript(CAPTURE_WASM_MEMORY)`) that remembers every exported
 * wasm Memory in `window.__wasmMemories`: the bundle keeps its exports private, so it wraps
 * WebAssembly.instantiate* before any page script runs. */
export const CAPTURE_WASM_MEMORY = `(() => {
  window.__wasmMemories = [];
  const keep = (res) => {
    try {
      const inst = res instanceof WebAssembly.Instance ? res : res && res.instance;
      if (inst) for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) window.__wasmMemories.push(v);
    } catch {}
    return res;
  };
  const wrap = (name) => {
    const orig = WebAssembly[name];
    if (orig) WebAssembly[name] = function (...a) { return orig.apply(this, a).then(keep); };
  };
  wrap("instantiate"); wrap("instantiateStreaming");
})();`;

/** The page's wasm memory in MB (with CAPTURE_WASM_MEMORY installed). */
export function wasmMemoryMb(page) {
  return page.evaluate(() => window.__wasmMemories.reduce((s, m) => s + m.buffer.byteLength, 0) / 1048576);
}

/** What HA's editor preview does on each keystroke: drop the previous preview card and put a
 * new one (`preview = true`) on the page; resolves with the ms until it shows its rows. */
export function showPreview(page, i) {
  return page.evaluate(async (i) => {
    const t0 = performance.now();
    document.querySelector("#preview")?.remove();
    const el = document.createElement("fleet-deck-card");
    el.id = "preview";
    el.preview = true;
    el.setConfig({ type: "custom:fleet-deck-card", title: `Typing ${i}` });
    el.hass = window.sim.hass;
    document.body.append(el);
    await new Promise((r) => { const f = () => (el.shadowRoot.querySelector(".fd-row[data-container]") ? r() : requestAnimationFrame(f)); f(); });
    return performance.now() - t0;
  }, i);
}
