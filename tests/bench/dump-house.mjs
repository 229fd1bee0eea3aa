// Writes a simulated house (the demo's hass: entities, devices, states) as a core test fixture,
// for src/core/examples/profile_house.rs, and beside it (`….wire.json`) the bulk read's JSON
// chunks as the card's own JS projection makes them (taken from src/web/src/bridge/convert.rs),
// for the example's read phase:
//
//   node tests/bench/dump-house.mjs L /tmp/house-L.json
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { startServer } from "../../www/serve.mjs";
import { CHROMIUM_ARGS } from "../browser/helpers.mjs";

const [size = "L", out = `/tmp/house-${size}.json`] = process.argv.slice(2);
const server = await startServer({ port: 0, quiet: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url.replace(/\/$/, "")}/blank.html`);
  const convert = readFileSync(new URL("../../src/web/src/bridge/convert.rs", import.meta.url), "utf8");
  const projection = convert.match(/inline_js = r#"([\s\S]*?)"#\)\]/)[1];
  const list = (file, name) => [...readFileSync(new URL(`../../src/core/src/ha/${file}`, import.meta.url), "utf8")
    .match(new RegExp(`${name}: &\\[&str\\] = &\\[([\\s\\S]*?)\\];`))[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const keys = list("state.rs", "USED_ATTRIBUTES");
  const platforms = list("registry.rs", "KNOWN_PLATFORMS");
  const wire = await page.evaluate(async ({ scenario, projection, keys, platforms }) => {
    const { createSimulatedHass } = await import("/sim/hass.js");
    const h = createSimulatedHass({ scenario, delay: 30, failureRate: 0 }).hass;
    const js = await import(URL.createObjectURL(new Blob([projection], { type: "text/javascript" })));
    return JSON.stringify(js.js_known_json(h.entities, h.states, platforms, keys, 2000));
  }, { scenario: size, projection, keys, platforms });
  const wireOut = out.replace(/\.json$/, "") + ".wire.json";
  writeFileSync(wireOut, wire);
  console.log(`${wireOut}: ${(wire.length / 1e6).toFixed(1)} MB`);
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
