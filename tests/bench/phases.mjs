// Where first render goes: the card's User Timing marks (fd:*, set by the loader and the wasm)
// over fresh pages, printed as min/median per phase in ms. Whole-run medians on a noisy machine
// move by tens of ms; these phases are what BENCHMARKS.md compares across commits.
//
//   node tests/bench/phases.mjs L 9      # size (S or L) and number of fresh pages
//
// Build first (`npm run build`).
import { chromium } from "playwright-core";
import { startServer } from "../../www/serve.mjs";
import { CHROMIUM_ARGS } from "../browser/helpers.mjs";

const size = process.argv[2] || "L";
const pages = Number(process.argv[3] || 9);
const server = await startServer({ port: 0, quiet: true });
const base = server.url.endsWith("/") ? server.url : `${server.url}/`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
const runs = [];
try {
  for (let i = 0; i < pages; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}blank.html`);
    runs.push(await page.evaluate(async (scenario) => {
      const { createSimulatedHass } = await import("/sim/hass.js");
      customElements.define("ha-card", class extends HTMLElement {
        constructor() { super(); this.attachShadow({ mode: "open" }).innerHTML = "<slot></slot>"; }
      });
      const sim = createSimulatedHass({ scenario, delay: 30, failureRate: 0 });
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
      const t0 = performance.now();
      const script = document.createElement("script");
      script.type = "module";
      script.src = "/dist/fleet-deck-card.js";
      document.head.append(script);
      await customElements.whenDefined("fleet-deck-card");
      const card = document.createElement("fleet-deck-card");
      card.setConfig({ type: "custom:fleet-deck-card" });
      card.hass = sim.hass;
      document.body.append(card);
      sim.subscribe((h) => { card.hass = h; });
      const ready = () => card.shadowRoot.querySelector("ha-card.fleet-deck[data-ready=true]")
        && card.shadowRoot.querySelector("[data-container], [data-device], [data-group], [data-stack], [data-fleet]");
      const tReady = await new Promise((resolve) => {
        const tick = () => (ready() ? resolve(performance.now()) : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      });
      const at = (name) => performance.getEntriesByName(name, "mark")[0]?.startTime ?? NaN;
      const phase = (a, b) => b - a;
      return {
        "script, inflate, instantiate": phase(t0, at("fd:mount")),
        "mounting the app": phase(at("fd:mount"), at("fd:mounted")),
        "reading registry entries and states": phase(at("fd:read"), at("fd:devices")),
        devices: phase(at("fd:devices"), at("fd:discovery")),
        discovery: phase(at("fd:discovery"), at("fd:model")),
        "the model": phase(at("fd:model"), at("fd:tracked")),
        "tracked ids": phase(at("fd:tracked"), at("fd:paint")),
        "first paint": phase(at("fd:paint"), tReady),
        total: phase(t0, tReady),
      };
    }, size));
    await context.close();
  }
} finally {
  await browser.close();
  server.close?.();
}
console.log(`size ${size}, ${pages} fresh pages: min/median ms`);
for (const name of Object.keys(runs[0])) {
  const v = runs.map((r) => r[name]).sort((a, b) => a - b);
  console.log(`${name.padEnd(38)} ${Math.round(v[0])}/${Math.round(v[v.length >> 1])}`);
}
