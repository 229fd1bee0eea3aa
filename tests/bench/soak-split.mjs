// Where does JS-heap growth during a soak come from? Runs the simulated HA (size L) at 20
// changes/s on two blank pages side by side, one without and one with the card, and prints
// the heap growth of each. Usage: node tests/bench/soak-split.mjs [minutes=2]
import { chromium } from "playwright-core";
import { startServer } from "../../www/serve.mjs";
import { CHROMIUM_ARGS } from "../browser/helpers.mjs";
const MIN = Number(process.argv[2] || 2);
const server = await startServer({ port: 0, quiet: true });
const base = server.url.endsWith("/") ? server.url : server.url + "/";
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
async function open(withCard) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}blank.html`);
  await page.evaluate(async (withCard) => {
    const { createSimulatedHass } = await import("/sim/hass.js");
    customElements.define("ha-card", class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: "open" }).innerHTML = "<slot></slot>"; } });
    window.sim = createSimulatedHass({ scenario: "L", delay: 30 });
    if (withCard) {
      const s = document.createElement("script"); s.type = "module"; s.src = "/dist/fleet-deck-card.js"; document.head.append(s);
      await customElements.whenDefined("fleet-deck-card");
      const card = document.createElement("fleet-deck-card"); card.setConfig({ type: "custom:fleet-deck-card" }); card.hass = window.sim.hass; document.body.append(card);
      window.sim.subscribe((h) => { card.hass = h; });
    }
    await new Promise((r) => setTimeout(r, 3000));
  }, withCard);
  const cdp = await context.newCDPSession(page);
  return { page, cdp };
}
const heap = async (p) => { await p.cdp.send("HeapProfiler.collectGarbage"); return (await p.cdp.send("Runtime.getHeapUsage")).usedSize / 1048576; };
const a = await open(false), b = await open(true);
const a0 = await heap(a), b0 = await heap(b);
for (const p of [a, b]) await p.page.evaluate(() => window.sim.startDrift(1000, { perTick: 20 }));
await new Promise((r) => setTimeout(r, MIN * 60000));
for (const p of [a, b]) await p.page.evaluate(() => window.sim.stopDrift());
await new Promise((r) => setTimeout(r, 1500));
const a1 = await heap(a), b1 = await heap(b);
console.log(JSON.stringify({ minutes: MIN, sim_only: { before: a0.toFixed(2), after: a1.toFixed(2), growth: (a1 - a0).toFixed(2) }, sim_and_card: { before: b0.toFixed(2), after: b1.toFixed(2), growth: (b1 - b0).toFixed(2) } }));
await browser.close(); server.close?.();
