// The Lovelace contract: the element exists before the wasm, renders, validates configs in
// Rust with messages that say what to fix, survives hass updates, and degrades without wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, card, until, CAPTURE_WASM_MEMORY, wasmMemoryMb, showPreview } from "./helpers.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

/** A bare page that only loads the card module (no simulated HA), for loader tests. */
async function blankPage(setup = "") {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}blank.html`);
  if (setup) await page.evaluate(setup);
  return { page, context, errors };
}

/** Wait until the demo card's immich_server row shows `text` in its CPU cell. */
function cpuShows(page, text) {
  return until(page, (t) => document.querySelector("fleet-deck-card").shadowRoot
    .querySelector("[data-container=immich_server] [data-metric=cpu]")?.textContent.includes(t), text);
}

test("the element is defined synchronously, before the wasm is ready, and shows a skeleton", async () => {
  const { page, context } = await blankPage();
  const r = await page.evaluate(async () => {
    const mod = import("/dist/fleet-deck-card.js");
    await mod;
    // Module evaluated: the element must exist right now, whatever the wasm is doing.
    const defined = !!customElements.get("fleet-deck-card");
    const el = document.createElement("fleet-deck-card");
    document.body.append(el);
    const skeleton = el.shadowRoot.querySelector("ha-card")?.dataset.state;
    const entry = (window.customCards || []).find((c) => c.type === "fleet-deck-card");
    return { defined, skeleton, entry, count: window.customCards.filter((c) => c.type === "fleet-deck-card").length };
  });
  assert.equal(r.defined, true);
  assert.equal(r.skeleton, "skeleton");
  assert.equal(r.entry.name, "Fleet Deck");
  assert.equal(r.entry.preview, true);
  assert.match(r.entry.documentationURL, /^https:\/\//);
  // Evaluating the module a second time (another ?hacstag) must not throw or duplicate.
  const again = await page.evaluate(async () => {
    await import("/dist/fleet-deck-card.js?second");
    return window.customCards.filter((c) => c.type === "fleet-deck-card").length;
  });
  assert.equal(again, 1);
  await context.close();
});

test("renders the demo with counts that match the simulated integrations", async () => {
  const { page, context, errors } = await openDemo(env);
  const inv = await page.evaluate(() => window.sim.inventory());
  const expected = inv.core.containers.length + inv.link.containers.length + inv.tomaae.containers.length;
  assert.equal(await card(page, "[data-count=containers]").textContent(), String(expected));
  const running = [...inv.core.containers, ...inv.link.containers, ...inv.tomaae.containers].filter((c) => c.state === "running").length;
  assert.equal(await card(page, "[data-count=running]").textContent(), String(running));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a bulk read that is mostly non-ASCII (three UTF-8 bytes per character) arrives whole", async () => {
  const { page, context, errors } = await openDemo(env);
  const total = await card(page, "[data-count=containers]").textContent();
  const r = await page.evaluate(async () => {
    const h = window.sim.hass;
    const states = { ...h.states };
    const id = Object.keys(states).find((k) => k.startsWith("sensor.") && k.includes("immich_server") && k.endsWith("_image"));
    // 100,000 CJK characters: 300 KB of UTF-8 in a chunk of otherwise ~300 KB of ASCII, far past
    // the first buffer the card sizes from the string's length (so its second try is tested).
    const image = "映像".repeat(50000);
    states[id] = { ...states[id], state: image };
    const el = document.createElement("fleet-deck-card");
    el.setConfig({ type: "custom:fleet-deck-card", view: "containers" });
    el.hass = { ...h, states };
    document.body.append(el);
    const root = el.shadowRoot;
    const t0 = performance.now();
    while (!root.querySelector("ha-card.fleet-deck[data-ready=true] [data-container=immich_server] .fd-image") && performance.now() - t0 < 10000) {
      await new Promise((res) => setTimeout(res, 50));
    }
    const shown = root.querySelector("[data-container=immich_server] .fd-image")?.textContent ?? "";
    return { id, total: root.querySelector("[data-count=containers]")?.textContent, whole: shown.includes(image), starts: shown.slice(0, 4) };
  });
  assert.ok(r.id, "the immich_server image sensor exists");
  assert.equal(r.total, total, "every container of the chunk was read");
  assert.equal(r.starts, "映像映像");
  assert.ok(r.whole, "the 100,000-character image arrived whole");
  assert.deepEqual(errors, []);
  await context.close();
});

test("malformed state objects in hass lose nothing else and break nothing", async () => {
  const { page, context, errors } = await openDemo(env);
  const total = await card(page, "[data-count=containers]").textContent();
  const r = await page.evaluate(async () => {
    const h = window.sim.hass;
    const states = { ...h.states };
    const ids = Object.keys(states).filter((id) => id.includes("immich_server"));
    // Every way a custom integration or a broken frontend could hand these over.
    const bad = [
      (s) => ({ ...s, last_changed: 1763794498, last_updated: 'not "a" date \\ at all' }),
      (s) => ({ ...s, attributes: ["not", "an", "object"] }),
      (s) => ({ ...s, state: null, attributes: null, last_changed: null }),
      (s) => ({ ...s, state: 42, last_updated: true }),
      () => "a string, not a state",
      () => null,
    ];
    ids.forEach((id, i) => { states[id] = bad[i % bad.length](states[id]); });
    const el = document.createElement("fleet-deck-card");
    el.setConfig({ type: "custom:fleet-deck-card" });
    el.hass = { ...h, states };
    document.body.append(el);
    const root = el.shadowRoot;
    const t0 = performance.now();
    while (!root.querySelector("ha-card.fleet-deck[data-ready=true] [data-count=containers]") && performance.now() - t0 < 10000) {
      await new Promise((res) => setTimeout(res, 50));
    }
    return {
      corrupted: ids.length,
      total: root.querySelector("[data-count=containers]")?.textContent,
      row: !!root.querySelector("[data-container=immich_server]") || !!root.querySelector("[data-group]"),
      crashed: !!root.querySelector("ha-card[data-state=crashed]"),
    };
  });
  assert.ok(r.corrupted >= 6, `every kind of damage is applied (${r.corrupted} entities)`);
  assert.equal(r.total, total, "no container was lost over its neighbours' malformed states");
  assert.equal(r.crashed, false);
  assert.ok(r.row);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an invalid config throws an Error that says what to fix; a valid one never throws", async () => {
  const { page, context } = await openDemo(env);
  const r = await page.evaluate(() => {
    const el = window.card;
    const attempt = (cfg) => { try { el.setConfig(cfg); return null; } catch (e) { return { isError: e instanceof Error, message: e.message }; } };
    return {
      unknown: attempt({ type: "custom:fleet-deck-card", chart_hour: 6 }),
      type: attempt({ type: "custom:fleet-deck-card", chart_hours: "a day" }),
      value: attempt({ type: "custom:fleet-deck-card", containers: { group_by: "stacks" } }),
      valid: attempt({ type: "custom:fleet-deck-card", chart_hours: 6, containers: { group_by: "endpoint" } }),
    };
  });
  assert.equal(r.unknown.isError, true);
  assert.match(r.unknown.message, /Unknown option 'chart_hour'\. Did you mean 'chart_hours'\?/);
  assert.match(r.type.message, /'chart_hours' must be a number of hours between 1 and 720, got the text "a day"/);
  assert.equal(r.value.message, "'containers.group_by' must be one of stack, endpoint, none; got \"stacks\".");
  assert.equal(r.valid, null);
  // The valid config took effect: grouping by endpoint.
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelector("section[data-group-kind=endpoint]"));
  await context.close();
});

test("an invalid config given before the wasm is ready shows the message inside the card", async () => {
  const { page, context } = await openDemo(env, { config: { containers: { sort_by: "size" } } }, { wait: false });
  const text = await card(page, "[data-config-error]").textContent({ timeout: 15000 });
  assert.equal(text, "'containers.sort_by' must be one of name, state, cpu, memory; got \"size\".");
  await context.close();
});

test("survives a stream of hass updates and shows changed values", async () => {
  const { page, context, errors } = await openDemo(env);
  await page.evaluate(() => window.sim.driftOnce(200));
  await page.evaluate(() => window.sim.setState("sensor.immich_server_cpu_usage_total", "42.7", { state_class: "measurement", unit_of_measurement: "%" }));
  await cpuShows(page, "43");
  assert.deepEqual(errors, []);
  await context.close();
});

// A card on a page whose browser lacks `missing` (a global): the placeholder it shows.
async function placeholderWithout(missing, language) {
  const { page, context, errors } = await blankPage();
  const r = await page.evaluate(async ([missing, language]) => {
    delete window[missing];
    await import(`/dist/fleet-deck-card.js?without-${missing}`);
    const el = document.createElement("fleet-deck-card");
    document.body.append(el);
    el.setConfig({ type: "custom:fleet-deck-card" });
    el.hass = { states: {}, entities: {}, devices: {}, language };
    await new Promise((r) => setTimeout(r, 200));
    const c = el.shadowRoot.querySelector("ha-card");
    return { state: c.dataset.state, text: c.textContent, role: c.querySelector("[role=alert]") !== null };
  }, [missing, language]);
  await context.close();
  return { ...r, errors };
}

test("without WebAssembly the card explains itself instead of going blank", async () => {
  const r = await placeholderWithout("WebAssembly", "en");
  assert.equal(r.state, "nowasm");
  assert.match(r.text, /needs WebAssembly/);
  assert.equal(r.role, true);
  assert.deepEqual(r.errors, []);
});

test("a browser without DecompressionStream (iOS before 16.4) is told it is too old, not that WebAssembly is off", async () => {
  const r = await placeholderWithout("DecompressionStream", "de");
  assert.equal(r.state, "oldbrowser");
  assert.match(r.text, /^Dieser Browser ist zu alt für Fleet Deck/);
  assert.match(r.text, /iOS 16\.4/);
  assert.doesNotMatch(r.text, /WebAssembly/);
  assert.equal(r.role, true);
  assert.deepEqual(r.errors, []);
});

test("a Rust panic stops only its own card, which says so, and the message is logged", async () => {
  const { page, context, errors } = await openDemo(env);
  const r = await page.evaluate(async () => {
    const second = document.createElement("fleet-deck-card");
    second.setConfig({ type: "custom:fleet-deck-card" });
    second.hass = window.sim.hass;
    document.body.append(second);
    const frame = () => new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
    while (!second.shadowRoot.querySelector("ha-card.fleet-deck[data-ready=true]")) await frame();
    // A real panic, with no test hook in the card: a hass whose `entities` getter assigns
    // hass again re-enters the card while it is reading the first one, and the runtime's
    // RefCell refuses the second borrow.
    const h = window.sim.hass;
    let reentered = false;
    second.hass = new Proxy(h, {
      get(target, key) {
        if (key === "entities" && !reentered) { reentered = true; second.hass = h; }
        return target[key];
      },
    });
    await frame();
    const c = second.shadowRoot.querySelector("ha-card");
    return { reentered, state: c.dataset.state, alert: c.querySelector("[role=alert]")?.textContent, app: !!second.shadowRoot.querySelector(".fleet-deck") };
  });
  assert.equal(r.reentered, true);
  assert.equal(r.state, "crashed");
  assert.match(r.alert, /Fleet Deck stopped/);
  assert.equal(r.app, false, "the stopped card's app is gone, not left half-updated");
  assert.ok(errors.some((e) => /^Fleet Deck panicked: [\s\S]*already (mutably )?borrowed/.test(e)), `the panic message is logged: ${JSON.stringify(errors)}`);
  assert.ok(errors.some((e) => /^Fleet Deck crashed:/.test(e)));
  // The demo's own card shares the wasm instance and keeps working.
  await page.evaluate(() => window.sim.setState("sensor.immich_server_cpu_usage_total", "57.3", { state_class: "measurement", unit_of_measurement: "%" }));
  await cpuShows(page, "57");
  assert.equal(await page.evaluate(() => window.card.shadowRoot.querySelector("ha-card").dataset.state ?? "live"), "live");
  assert.deepEqual(errors.filter((e) => !/^Fleet Deck (panicked|crashed):/.test(e)), [], "nothing else went wrong");
  await context.close();
});

test("follows hass.language: German labels", async () => {
  const { page, context } = await openDemo(env, { lang: "de" });
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelector("[role=tab][data-view=fleets]")?.textContent.startsWith("Flotten"));
  assert.equal(await card(page, "input[type=search]").getAttribute("aria-label"), "Container suchen");
  await context.close();
});

test("every card on a page shares one wasm instance", async () => {
  const { page, context, errors } = await blankPage(() => {
    window.__instantiations = 0;
    for (const name of ["instantiate", "instantiateStreaming"]) {
      const orig = WebAssembly[name];
      WebAssembly[name] = function (...args) { window.__instantiations++; return orig.apply(this, args); };
    }
  });
  const r = await page.evaluate(async () => {
    const { createSimulatedHass } = await import("/sim/hass.js");
    const sim = createSimulatedHass({ scenario: "demo", delay: 0, failureRate: 0 });
    await import("/dist/fleet-deck-card.js");
    const cards = [0, 1, 2].map(() => {
      const el = document.createElement("fleet-deck-card");
      el.setConfig({ type: "custom:fleet-deck-card" });
      el.hass = sim.hass;
      document.body.append(el);
      return el;
    });
    const ready = () => cards.every((c) => c.shadowRoot.querySelector("ha-card.fleet-deck[data-ready=true]"));
    for (let i = 0; i < 200 && !ready(); i++) await new Promise((res) => setTimeout(res, 25));
    return { ready: ready(), instantiations: window.__instantiations };
  });
  assert.equal(r.ready, true);
  assert.equal(r.instantiations, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("numbers follow hass.locale's number format, not only the language", async () => {
  const { page, context } = await openDemo(env);
  await page.evaluate(() => window.sim.setState("sensor.immich_server_cpu_usage_total", "3.34", { state_class: "measurement", unit_of_measurement: "%" }));
  await cpuShows(page, "3.3");
  // English with a decimal comma ("decimal_comma", 1.234,5), as HA's profile setting allows.
  await page.evaluate(() => {
    const h = window.sim.hass;
    window.card.hass = { ...h, locale: { ...h.locale, number_format: "decimal_comma" } };
  });
  await cpuShows(page, "3,3");
  await context.close();
});

test("colours come from Home Assistant's theme variables", async () => {
  const { page, context } = await openDemo(env);
  const r = await page.evaluate(async () => {
    const el = window.card;
    const name = () => getComputedStyle(el.shadowRoot.querySelector("[data-container=immich_server] .fd-name")).color;
    const before = name();
    el.style.setProperty("--primary-text-color", "rgb(1, 2, 3)");
    // ha-card (HA's and the demo's) transitions all properties over 0.3 s.
    await new Promise((res) => setTimeout(res, 600));
    return { before, after: name() };
  });
  assert.equal(r.after, "rgb(1, 2, 3)");
  assert.notEqual(r.before, r.after);
  await context.close();
});

test("Lovelace sizing, stub config and the visual editor schema", async () => {
  const { page, context } = await openDemo(env);
  const r = await page.evaluate(() => {
    const C = customElements.get("fleet-deck-card");
    const form = C.getConfigForm();
    const names = (schema) => schema.flatMap((s) => (s.schema ? names(s.schema) : []).concat(s.name ? [s.name] : []));
    let assertMsg = null;
    try { form.assertConfig({ type: "custom:fleet-deck-card", view: "everything" }); } catch (e) { assertMsg = e.message; }
    // A plain-list filter is valid YAML but not something the form can show.
    let listMsg = null;
    try { form.assertConfig({ type: "custom:fleet-deck-card", containers: { endpoints: ["nas*"] } }); } catch (e) { listMsg = e.message; }
    let objectOk = true;
    try { form.assertConfig({ type: "custom:fleet-deck-card", containers: { endpoints: { include: ["nas*"] } } }); } catch (_) { objectOk = false; }
    return {
      listMsg, objectOk,
      size: window.card.getCardSize(),
      grid: window.card.getGridOptions(),
      stub: C.getStubConfig(window.sim.hass),
      stubBalenaOnly: C.getStubConfig({ entities: { "sensor.x_cpu_usage": { entity_id: "sensor.x_cpu_usage", platform: "balena_cloud" } } }),
      names: names(form.schema),
      assertMsg,
    };
  });
  assert.ok(r.size >= 3);
  assert.equal(r.grid.columns, 12);
  assert.deepEqual(r.stub, { type: "custom:fleet-deck-card", view: "auto" });
  assert.deepEqual(r.stubBalenaOnly, { type: "custom:fleet-deck-card", view: "fleets" });
  for (const n of ["title", "view", "compact", "chart_hours", "page_size", "integrations", "endpoints", "stacks", "hide_stopped",
    "group_by", "sort_by", "thresholds", "hide_offline", "show_empty", "secret_patterns", "temperature"]) {
    assert.ok(r.names.includes(n), `config form lacks ${n}`);
  }
  assert.match(r.assertMsg, /'view' must be one of auto, containers, fleets/);
  assert.match(r.listMsg, /'containers\.endpoints' as include and exclude lists.*endpoints: \{include: \["nas\*"\]\}/);
  assert.equal(r.objectOk, true, "the same filter written as {include} stays editable");
  await context.close();
});

test("with a frosted-glass theme (backdrop-filter on ha-card) dialogs still open on screen, above the page", async () => {
  // HA's ha-card applies `backdrop-filter: var(--ha-card-backdrop-filter)`; a filter makes the
  // card the containing block of its `position: fixed` descendants.
  const { page, context, errors } = await openDemo(env, {}, { viewport: { width: 1000, height: 700 } });
  await page.evaluate(() => {
    const st = document.createElement("style");
    st.textContent = "ha-card.fleet-deck { backdrop-filter: blur(2px); }";
    document.querySelector("fleet-deck-card").shadowRoot.append(st);
    // Such themes also make the card's own background see-through.
    document.querySelector("fleet-deck-card").style.setProperty("--ha-card-background", "rgba(255, 255, 255, 0.2)");
  });
  const cardBox = await page.locator("fleet-deck-card").boundingBox();
  assert.ok(cardBox.height > 1400, `a card taller than two screens: ${cardBox.height}`);
  const inView = (b) => b && b.y >= 0 && b.x >= 0 && b.y + b.height <= 700 && b.x + b.width <= 1000;

  await card(page, ".fd-row[data-container=immich_server] button[data-action=chart]").click();
  const chart = card(page, "[role=dialog][data-chart-detail]");
  await chart.waitFor();
  const box = await chart.boundingBox();
  assert.ok(inView(box), `the chart dialog is on screen: ${JSON.stringify(box)}`);
  assert.equal(await chart.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(255, 255, 255)", "an opaque dialog surface");
  // The scrim covers the whole viewport, not just the card, and a click on it closes.
  const scrim = await card(page, ".fd-scrim").boundingBox();
  assert.deepEqual([scrim.x, scrim.y, scrim.width, scrim.height], [0, 0, 1000, 700]);
  await page.mouse.click(20, 650);
  await chart.waitFor({ state: "detached" });

  await card(page, ".fd-row[data-container=immich_server] button[data-action=stop]").click();
  const confirm = card(page, "[role=alertdialog]");
  await confirm.waitFor();
  assert.ok(inView(await confirm.boundingBox()), "the confirmation is on screen");
  assert.equal(await page.evaluate(() => document.querySelector("fleet-deck-card").shadowRoot.activeElement?.dataset.cancel), "", "focus on Cancel");
  await page.keyboard.press("Escape");
  await confirm.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("in a sections view with a fixed number of rows the card keeps to its cell and scrolls inside it", async () => {
  const { page, context, errors } = await openDemo(env, {}, { viewport: { width: 1000, height: 700 } });
  const measure = () => page.evaluate(() => {
    const c = document.querySelector("fleet-deck-card").shadowRoot.querySelector("ha-card.fleet-deck");
    return { height: c.getBoundingClientRect().height, scroll: c.scrollHeight, overflow: getComputedStyle(c).overflowY };
  });
  const masonry = await measure();
  assert.ok(masonry.height > 1000, `masonry: the card is as tall as its content (${masonry.height})`);
  // What HA's sections view does: `layout = "grid"`, and a cell 6 rows high (6 × 56 + 5 × 8 px).
  await page.evaluate(() => {
    window.card.layout = "grid";
    window.card.style.height = "376px";
  });
  const grid = await measure();
  assert.equal(grid.height, 376);
  assert.equal(grid.overflow, "auto");
  assert.ok(grid.scroll > 1000, "the rest scrolls inside the card");
  // rows: auto (the default): the cell follows the card.
  await page.evaluate(() => { window.card.style.height = ""; });
  assert.ok((await measure()).height > 1000);
  assert.deepEqual(errors, []);
  await context.close();
});

test("cards HA drops let go of their memory: editor previews at once, others when they stay away; a card that comes back works", async () => {
  const { page, context, errors } = await openDemo(env, {}, { before: (p) => p.addInitScript(CAPTURE_WASM_MEMORY) });
  const wasmMb = () => wasmMemoryMb(page);
  // HA's editor preview: a new element per keystroke, the previous one dropped.
  const preview = (i) => showPreview(page, i);
  await preview(0);
  await preview(1);
  const early = await wasmMb();
  for (let i = 2; i < 14; i++) await preview(i);
  const late = await wasmMb();
  // Each preview holds a few MB (3.4 here): twelve more kept would be ~40 MB.
  assert.ok(late - early < 2, `wasm memory grew ${(late - early).toFixed(1)} MB over 12 previews`);

  // A preview put back on the page after it let go starts over and shows the house again.
  await page.evaluate(async () => {
    const el = document.querySelector("#preview");
    el.remove();
    await new Promise((r) => setTimeout(r, 50));
    document.body.append(el);
  });
  await until(page, () => document.querySelector("#preview").shadowRoot.querySelectorAll(".fd-row[data-container=immich_server]").length === 1);
  assert.equal(await page.evaluate(() => document.querySelector("#preview").shadowRoot.querySelectorAll("style").length), 1, "one style sheet, not one per start");

  // The dashboard's own card, moved (disconnected and connected again in one task), keeps its app.
  const same = await page.evaluate(() => {
    const before = window.card.shadowRoot.querySelector(".fd-row[data-container=immich_server]");
    const parent = window.card.parentNode;
    parent.append(window.card);
    return before === window.card.shadowRoot.querySelector(".fd-row[data-container=immich_server]");
  });
  assert.equal(same, true);
  assert.deepEqual(errors, []);
  await context.close();
});
