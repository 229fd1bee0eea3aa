// Where first render goes: the card's User Timing marks (fd:*, set by the loader and the wasm)
// over fresh pages, printed as min/median per phase in ms. Whole-run medians on a noisy machine
// move by tens of ms; these phases are what BENCHMARKS.md compares across commits.
//
//   node tests/bench/phases.mjs L 9      # size (S or L) and number of fresh pages
//   FD_JS_FLAGS="--wasm-tiering-budget=20000000" node tests/bench/phases.mjs L 5
//                                        # the same with V8 flags (BENCHMARKS.md item 15)
//
// Build first (`npm run build`).
import { chromium } from "playwright-core";
import { startServer } from "../../www/serve.mjs";
import { CHROMIUM_ARGS } from "../browser/helpers.mjs";
import { firstRenderInPage } from "./first-render.mjs";

const size = process.argv[2] || "L";
const pages = Number(process.argv[3] || 9);
const server = await startServer({ port: 0, quiet: true });
const base = server.url.endsWith("/") ? server.url : `${server.url}/`;
const jsFlags = process.env.FD_JS_FLAGS ? [`--js-flags=${process.env.FD_JS_FLAGS}`] : [];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS, ...jsFlags] });
const runs = [];
try {
  for (let i = 0; i < pages; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}blank.html`);
    runs.push((await page.evaluate(firstRenderInPage, size)).phases);
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
