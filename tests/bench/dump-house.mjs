// Writes a simulated house (the demo's hass: entities, devices, states) as a core test fixture,
// for src/core/examples/profile_house.rs:
//
//   node tests/bench/dump-house.mjs L /tmp/house-L.json
import { writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../../www/serve.mjs";
import { CHROMIUM_ARGS } from "../browser/helpers.mjs";

const [size = "L", out = `/tmp/house-${size}.json`] = process.argv.slice(2);
const server = await startServer({ port: 0, quiet: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url.replace(/\/$/, "")}/blank.html`);
  const text = await page.evaluate(async (scenario) => {
    const { createSimulatedHass } = await import("/sim/hass.js");
    const h = createSimulatedHass({ scenario, delay: 30, failureRate: 0 }).hass;
    const secs = (iso) => Date.parse(iso) / 1000;
    const states = {};
    for (const [id, s] of Object.entries(h.states)) {
      states[id] = { state: s.state, attributes: s.attributes, last_changed: secs(s.last_changed), last_updated: secs(s.last_updated) };
    }
    return JSON.stringify({ entities: h.entities, devices: h.devices, states });
  }, size);
  writeFileSync(out, text);
  console.log(`${out}: ${(text.length / 1e6).toFixed(1)} MB`);
} finally {
  await browser.close();
  server.close?.();
}
