// Where one first render spends its time, beyond the phase marks (BENCHMARKS.md items 22-25).
// Build first (`npm run build`); a build that keeps the wasm name section names wasm functions.
//
//   node tests/bench/profile.mjs compile S     # Chrome trace: per phase, the wall time and the
//                                              # wasm functions compiled lazily (count, ms)
//   node tests/bench/profile.mjs cpu L 3       # CDP sampling profile of first render (the
//                                              # simulated HA built before it starts): top self
//                                              # time per function, mean over N pages
//   node tests/bench/profile.mjs select-all L 3  # the same for "select all shown" + the bulk
//                                              # restart's confirmation, after first render
//   node tests/bench/profile.mjs memory L      # wasm memory at each fd:* mark of one first
//                                              # render (BENCHMARKS.md, budgets section)
//   node tests/bench/profile.mjs inflate S 8   # inflating the built wasm on cold pages: from a
//                                              # Blob stream vs. one chunk (item 27); S unused
//   node tests/bench/profile.mjs previews S 12 # HA's editor preview: a new card per keystroke,
//                                              # the old one dropped; wasm memory after each
//                                              # (item 29)
//
// The lazily compiled count is deterministic for one build and house; timings are not.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { homedir } from "node:os";
import { firstRenderInPage } from "./first-render.mjs";
import { launch, openDemo, CAPTURE_WASM_MEMORY, wasmMemoryMb, showPreview } from "../browser/helpers.mjs";

const [mode = "compile", size = "S", n = "3"] = process.argv.slice(2);
const env = await launch();

async function freshPage() {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}blank.html`);
  return { context, page };
}

async function compileTrace() {
  const { context, page } = await freshPage();
  await env.browser.startTracing(page, { categories: ["devtools.timeline", "v8.wasm", "blink.user_timing"] });
  await page.evaluate(firstRenderInPage, size);
  const trace = JSON.parse((await env.browser.stopTracing()).toString());
  await context.close();
  const events = trace.traceEvents;
  const main = new Set(events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const onMain = (e) => main.has(`${e.pid}:${e.tid}`);
  const start = Math.min(...events.filter((e) => e.name === "ResourceSendRequest" && JSON.stringify(e.args).includes("fleet-deck-card")).map((e) => e.ts));
  const marks = events.filter((e) => String(e.cat).includes("user_timing") && e.name.startsWith("fd:")).sort((a, b) => a.ts - b.ts);
  const lazy = events.filter((e) => onMain(e) && e.name === "wasm.CompileLazy");
  // Each window runs from its mark to the next; the last ends at fd:ready (set by
  // first-render.mjs in the frame that shows the populated card).
  const bounds = [["(script inserted)", start], ...marks.map((m) => [m.name, m.ts])];
  console.log(`size ${size}: one traced first render (µs clock of the trace)`);
  console.log("phase from mark".padEnd(30), "wall ms".padStart(8), "lazily compiled".padStart(16), "compile ms".padStart(11));
  for (let i = 0; i < bounds.length - 1; i++) {
    const [name, a] = bounds[i];
    const b = bounds[i + 1][1];
    const inside = lazy.filter((e) => e.ts >= a && e.ts < b);
    const ms = inside.reduce((t, e) => t + (e.dur || 0), 0) / 1000;
    const wall = ((b - a) / 1000).toFixed(1);
    console.log(name.padEnd(30), wall.padStart(8), String(inside.length).padStart(16), ms.toFixed(1).padStart(11));
  }
  const within = lazy.filter((e) => e.ts >= start && e.ts < bounds[bounds.length - 1][1]);
  console.log(`first render: ${within.length} functions compiled lazily, ${(within.reduce((t, e) => t + (e.dur || 0), 0) / 1000).toFixed(1)} ms`);
}

async function cpuProfile(what) {
  const self = new Map();
  for (let i = 0; i < Number(n); i++) {
    const { context, page } = await freshPage();
    if (what === "cpu") {
      await page.evaluate(async (scenario) => {
        const { createSimulatedHass } = await import("/sim/hass.js");
        window.sim = createSimulatedHass({ scenario, delay: 30, failureRate: 0 });
      }, size);
    } else {
      await page.evaluate(firstRenderInPage, size);
      await page.waitForTimeout(1500);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
    if (what === "cpu") {
      await page.evaluate(firstRenderInPage, size);
    } else {
      await page.evaluate(async () => {
        const root = window.card.shadowRoot;
        const frame = (f) => new Promise((res) => { const t = () => (f() ? res() : requestAnimationFrame(t)); t(); });
        root.querySelector("button[data-bulk-select-shown]").click();
        await frame(() => root.querySelector("button[data-bulk=restart]:not([disabled])"));
        root.querySelector("button[data-bulk=restart]").click();
        await frame(() => root.querySelector("[role=alertdialog]"));
      });
    }
    const { profile } = await cdp.send("Profiler.stop");
    const nodes = new Map(profile.nodes.map((x) => [x.id, x]));
    profile.samples.forEach((id, k) => {
      const f = nodes.get(id).callFrame;
      const name = f.functionName || `(${f.url.split("/").pop()})`;
      self.set(name, (self.get(name) || 0) + (profile.timeDeltas[k] || 0) / 1000);
    });
    await context.close();
  }
  console.log(`size ${size}, ${what}: self time per function, ms, mean of ${n} pages`);
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log((ms / Number(n)).toFixed(1).padStart(7), name.slice(0, 150));
  }
}

async function memoryByMark() {
  const context = await env.browser.newContext();
  // Keep the instance's memory and note its size whenever the card sets a mark.
  await context.addInitScript(() => {
    const memories = [];
    const orig = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async function (...args) {
      const r = await orig.apply(this, args);
      memories.push(...Object.values(r.instance.exports).filter((v) => v instanceof WebAssembly.Memory));
      return r;
    };
    const mark = performance.mark.bind(performance);
    window.__memAtMark = [];
    performance.mark = (name, opts) => {
      window.__memAtMark.push([name, memories[0] ? memories[0].buffer.byteLength / 1048576 : 0]);
      return mark(name, opts);
    };
  });
  const page = await context.newPage();
  await page.goto(`${env.server.url}blank.html`);
  await page.evaluate(firstRenderInPage, size);
  await page.waitForTimeout(3000);
  const marks = await page.evaluate(() => window.__memAtMark);
  console.log(`size ${size}: wasm memory (MB) when each mark is set, one first render`);
  for (const [name, mb] of marks) console.log(name.padEnd(16), mb.toFixed(1));
  console.log("3 s later".padEnd(16), (await page.evaluate(() => performance.mark("fd:later") && window.__memAtMark.at(-1)[1])).toFixed(1));
  await context.close();
}

async function inflateTimes() {
  const cache = process.env.FLEET_DECK_CACHE || `${homedir()}/.cache/fleet-deck`;
  const gz = gzipSync(readFileSync(`${cache}/pkg/fleet_deck_bg.wasm`), { level: 9 }).toString("base64");
  const variants = { "Blob stream": "blob", "one chunk": "chunk" };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let i = 0; i < Number(n); i++) {
    for (const [label, how] of Object.entries(variants)) {
      const { context, page } = await freshPage();
      times[label].push(await page.evaluate(async ({ b64, how }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        await new Promise((r) => setTimeout(r, 50));
        const t = performance.now();
        const source = how === "blob" ? new Blob([bytes]).stream() : new ReadableStream({ start(c) { c.enqueue(bytes); c.close(); } });
        await new Response(source.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
        return performance.now() - t;
      }, { b64: gz, how }));
      await context.close();
    }
  }
  console.log(`inflating the built wasm on ${n} cold pages per variant: min/median ms`);
  for (const [label, v] of Object.entries(times)) {
    v.sort((a, b) => a - b);
    console.log(label.padEnd(12), `${v[0].toFixed(1)}/${v[v.length >> 1].toFixed(1)}`);
  }
}

async function previews() {
  const { page, context } = await openDemo(env, { scenario: size }, { before: (p) => p.addInitScript(CAPTURE_WASM_MEMORY) });
  const wasmMb = () => wasmMemoryMb(page);
  console.log(`size ${size}: wasm memory (MB) with the dashboard's card, then after each editor preview`);
  console.log("start".padEnd(12), (await wasmMb()).toFixed(1));
  for (let i = 0; i < Number(n); i++) {
    const ms = await showPreview(page, i);
    console.log(`preview ${i + 1}`.padEnd(12), (await wasmMb()).toFixed(1), `(${ms.toFixed(0)} ms to rows)`);
  }
  await context.close();
}

try {
  if (mode === "compile") await compileTrace();
  else if (mode === "previews") await previews();
  else if (mode === "memory") await memoryByMark();
  else if (mode === "inflate") await inflateTimes();
  else if (mode === "cpu" || mode === "select-all") await cpuProfile(mode);
  else throw new Error(`unknown mode ${mode}: compile | cpu | select-all | memory | inflate | previews`);
} finally {
  await env.close();
}
