// The container view on the simulated Home Assistant: grouping, counts, filters, each action's
// exact service call, confirmation, bulk chunking with per-item results, keyboard operation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, card, until, serviceCalls, shownActions } from "./helpers.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const inShadow = (sel) => `document.querySelector("fleet-deck-card").shadowRoot.querySelector(${JSON.stringify(sel)})`;

test("groups containers by stack, with standalone groups per endpoint and running counts", async () => {
  const { page, context } = await openDemo(env);
  const inv = await page.evaluate(() => window.sim.inventory());
  const titles = await card(page, "section.fd-group[data-group-kind=stack]").evaluateAll((els) => els.map((e) => e.dataset.title));
  for (const s of inv.core.stacks) assert.ok(titles.includes(s.name), `stack ${s.name} missing in ${titles}`);
  const immich = card(page, "section[data-title=immich]");
  assert.equal(await immich.locator("h3").textContent(), "immich");
  const expectedRows = inv.core.stacks.find((s) => s.name === "immich").containers.sort();
  const rows = (await immich.locator("[data-container]").evaluateAll((els) => els.map((e) => e.dataset.container))).sort();
  assert.deepEqual(rows, expectedRows);
  assert.match(await immich.locator(".fd-chip").textContent(), /^4\/4 running$/);
  const standalone = await card(page, "section[data-group-kind=standalone]").evaluateAll((els) => els.map((e) => e.dataset.title));
  assert.ok(standalone.includes("local") && standalone.includes("nas"), String(standalone));
  // Same-named containers on two endpoints stay two rows.
  assert.equal(await card(page, "[data-container=mosquitto]").count(), 2);
  await context.close();
});

test("stopping one container asks first, sends switch.turn_off to exactly its switch, and confirms from state", async () => {
  const { page, context } = await openDemo(env);
  await card(page, "[data-container=immich_server] button[data-action=stop]").click();
  const dialog = card(page, "[role=alertdialog]");
  assert.equal(await dialog.locator("[data-confirm-item]").allTextContents().then((t) => t.join()), "immich_server");
  assert.equal(await dialog.locator("button[data-confirm]").textContent(), "Stop 1");
  assert.deepEqual(await serviceCalls(page, "switch", "turn_off"), [], "nothing is sent before confirmation");
  await dialog.locator("button[data-confirm]").click();
  await until(page, `${inShadow("[data-result-item=immich_server]")}?.dataset.outcome === "done"`);
  assert.deepEqual(await serviceCalls(page, "switch", "turn_off"), [
    { domain: "switch", service: "turn_off", data: {}, target: { entity_id: ["switch.immich_server_container"] } },
  ]);
  assert.equal(await card(page, "[data-container=immich_server]").getAttribute("data-state"), "exited");
  await context.close();
});

test("starting a stopped container needs no confirmation", async () => {
  const { page, context } = await openDemo(env);
  await card(page, "[data-container=uptime-kuma] button[data-action=start]").click();
  await until(page, `${inShadow("[data-container=uptime-kuma]")}?.dataset.state === "running"`);
  assert.equal(await card(page, "[role=alertdialog]").count(), 0);
  assert.deepEqual(await serviceCalls(page, "switch", "turn_on"), [
    { domain: "switch", service: "turn_on", data: {}, target: { entity_id: ["switch.uptime_kuma_container"] } },
  ]);
  await context.close();
});

test("stack actions: core stack switch and ha_portainer_link stack buttons", async () => {
  const { page, context } = await openDemo(env);
  await card(page, "section[data-title=immich] button[data-action=stack_stop]").click();
  assert.equal(await card(page, "[role=alertdialog] button[data-confirm]").textContent(), "Stop stack 1");
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, `${inShadow("section[data-title=immich]")}?.dataset.state === "stopped"`);
  assert.deepEqual(await serviceCalls(page, "switch", "turn_off"), [
    { domain: "switch", service: "turn_off", data: {}, target: { entity_id: ["switch.immich_stack"] } },
  ]);
  await card(page, "section[data-title=monitoring] button[data-action=stack_stop]").click();
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, () => window.sim.log.some((e) => e.type === "callService" && e.service === "press"));
  assert.deepEqual(await serviceCalls(page, "button", "press"), [
    { domain: "button", service: "press", data: {}, target: { entity_id: ["button.stack_monitoring_stop"] } },
  ]);
  await context.close();
});

test("bulk restart over the whole selection: applicability, one call per chunk, per-item results and a partial failure", async () => {
  const { page, context } = await openDemo(env);
  await card(page, "button[data-bulk-select-shown]").click();
  const bulk = card(page, "button[data-bulk=restart]");
  const label = await bulk.textContent();
  const m = /^Restart (\d+) of (\d+)$/.exec(label);
  assert.ok(m, `bulk label was "${label}"`);
  const [applicable, total] = [Number(m[1]), Number(m[2])];
  assert.ok(applicable < total, "paused, stopped and read-only containers are not restartable");
  assert.match(await card(page, ".fd-bulk-why").first().textContent(), /not applicable/);
  await page.evaluate(() => window.sim.failNext("button", "press", { message: "Container immich_redis is locked", entityIds: ["button.immich_redis_restart_container"] }));
  await bulk.click();
  assert.equal(await card(page, "[role=alertdialog] button[data-confirm]").textContent(), `Restart ${applicable}`);
  assert.equal(await card(page, "[role=alertdialog] [data-confirm-item]").count(), applicable);
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, `${inShadow("[data-result-item=immich_redis]")}?.dataset.outcome === "failed"`);
  assert.match(await card(page, "[data-result-item=immich_redis]").textContent(), /Container immich_redis is locked/);
  const calls = await serviceCalls(page, "button", "press");
  const targets = calls.flatMap((c) => c.target.entity_id);
  assert.equal(targets.length, applicable);
  assert.equal(new Set(targets).size, applicable);
  assert.ok(calls.every((c) => c.target.entity_id.length <= 50));
  assert.ok(targets.every((t) => t.startsWith("button.") && /restart/.test(t)), String(targets));
  // The selection survives the failure, so the person can retry.
  assert.equal(await card(page, "[data-bulk-bar]").getAttribute("data-selected"), String(total));
  await context.close();
});

test("a pressed button whose press then fails shows the failure, not done", async () => {
  // HA writes a button's last-pressed time before it runs the press; a recreate runs for
  // seconds to minutes and then may raise. The card must wait for the call, not the timestamp.
  const { page, context } = await openDemo(env);
  const button = card(page, ".fd-row[data-container=immich_server] button[data-action=recreate]");
  const entity = await page.evaluate(() => window.sim.inventory().core.containers.find((c) => c.name === "immich_server").entities.recreate);
  assert.match(entity, /^button\./);
  await page.evaluate((eid) => window.sim.failNext("button", "press", { message: "Portainer: pull access denied", entityIds: [eid] }), entity);
  await button.click();
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, `${inShadow("[data-result-item=immich_server]")}?.dataset.outcome === "failed"`);
  assert.match(await card(page, "[data-result-item=immich_server]").textContent(), /Portainer: pull access denied/);
  // The timestamp did move: the press was received, and failed.
  assert.notEqual(await page.evaluate((eid) => window.sim.hass.states[eid].state, entity), "unknown");
  await context.close();
});

test("bulk calls are chunked to 50 targets at 1,000 containers", async () => {
  const { page, context } = await openDemo(env, { scenario: "S" });
  await card(page, "button[data-bulk-select-shown]").click();
  await card(page, "button[data-bulk=restart]").click();
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, () => window.sim.log.some((e) => e.type === "callService" && e.service === "press"));
  const calls = await serviceCalls(page, "button", "press");
  assert.ok(calls.length >= 1);
  assert.ok(calls.every((c) => c.target.entity_id.length <= 50), calls.map((c) => c.target.entity_id.length).join());
  await context.close();
});

test("keyboard: an action button opens the confirmation with focus on Cancel, Escape closes it", async () => {
  const { page, context } = await openDemo(env);
  const btn = card(page, "[data-container=immich_server] button[data-action=restart]");
  assert.equal(await btn.getAttribute("aria-label"), "Restart immich_server");
  await btn.focus();
  await page.keyboard.press("Enter");
  await until(page, `${inShadow("[role=alertdialog]")} !== null`);
  const focused = await page.evaluate(() => document.querySelector("fleet-deck-card").shadowRoot.activeElement?.hasAttribute("data-cancel"));
  assert.equal(focused, true);
  await page.keyboard.press("Escape");
  await until(page, `${inShadow("[role=alertdialog]")} === null`);
  assert.deepEqual(await serviceCalls(page, "button", "press"), []);
  await context.close();
});

test("tomaae containers are shown read-only, with no dead buttons", async () => {
  const { page, context } = await openDemo(env);
  const rows = card(page, "[data-source=portainer_tomaae]");
  assert.ok((await rows.count()) > 0);
  assert.equal(await rows.locator("button[data-action]").count(), 0);
  // One short chip per row; the whole sentence is its tooltip and accessible name.
  const chip = rows.first().locator(".fd-readonly");
  assert.equal((await chip.textContent()).trim(), "Read-only");
  assert.equal(await chip.getAttribute("title"), "Read-only: tomaae's Portainer integration offers no controls");
  assert.equal(await chip.getAttribute("aria-label"), await chip.getAttribute("title"));
  // With no checkbox to show, the row still keeps its name in the others' column.
  const nameX = (sel) => card(page, `${sel} .fd-name`).first().evaluate((e) => Math.round(e.getBoundingClientRect().left));
  assert.equal(await nameX("[data-source=portainer_tomaae]"), await nameX("[data-container=immich_server]"));
  // A stack of read-only containers has no group checkbox either; a stack with controls does.
  assert.equal(await card(page, "section[data-title=gitea] .fd-group-head input[type=checkbox]").isVisible(), false);
  assert.equal(await card(page, "section[data-title=immich] .fd-group-head input[type=checkbox]").isVisible(), true);
  await context.close();
});

test("config filters, hide_stopped and search", async () => {
  const { page, context } = await openDemo(env, { config: { containers: { integrations: ["ha_portainer_link"], hide_stopped: true } } });
  const inv = await page.evaluate(() => window.sim.inventory());
  const sources = await card(page, "[data-container]").evaluateAll((els) => [...new Set(els.map((e) => e.dataset.source))]);
  assert.deepEqual(sources, ["ha_portainer_link"]);
  const shown = await card(page, "[data-container]").count();
  assert.equal(shown, inv.link.containers.filter((c) => c.state !== "exited" && c.state !== "created").length);
  await context.close();

  const second = await openDemo(env);
  await card(second.page, "input[type=search]").fill("immich");
  await until(second.page, () => [...document.querySelector("fleet-deck-card").shadowRoot.querySelectorAll("[data-container]")].every((e) => /immich/.test(e.dataset.container)));
  assert.equal(await card(second.page, "[data-container]").count(), 4);
  await second.context.close();
});

test("tapping a container name opens Home Assistant's more-info for its main entity", async () => {
  const { page, context } = await openDemo(env);
  await page.evaluate(() => { window.__moreInfo = []; window.addEventListener("hass-more-info", (e) => window.__moreInfo.push(e.detail.entityId)); });
  await card(page, "[data-container=immich_server] button.fd-name").click();
  assert.deepEqual(await page.evaluate(() => window.__moreInfo), ["sensor.immich_server_state"]);
  await context.close();
});

test("compact rows: on from 20 containers by default, and off when the config says false", async () => {
  const { page, context } = await openDemo(env);
  assert.equal(await card(page, "ha-card.fleet-deck").evaluate((e) => e.classList.contains("fd-compact")), true);
  // Compact hides the image line and shows glyph buttons; the accessible name is unchanged.
  assert.equal(await card(page, "[data-container=immich_server] .fd-image").isVisible(), false);
  assert.equal(await card(page, "[data-container=immich_server] button[data-action=restart]").getAttribute("aria-label"), "Restart immich_server");
  await context.close();
  const off = await openDemo(env, { config: { compact: false } });
  assert.equal(await card(off.page, "ha-card.fleet-deck").evaluate((e) => e.classList.contains("fd-compact")), false);
  assert.equal(await card(off.page, "[data-container=immich_server] .fd-image").isVisible(), true);
  await off.context.close();
});

test("at 1,000 containers the confirmation lists the first 100 names and says how many more", async () => {
  const { page, context } = await openDemo(env, { scenario: "L" });
  await card(page, "button[data-bulk-select-shown]").click();
  const bulk = card(page, "button[data-bulk=restart]");
  const m = /^Restart (\d+) of (\d+)$/.exec(await bulk.textContent());
  assert.ok(m, "bulk label");
  const applicable = Number(m[1]);
  assert.ok(applicable > 100, `${applicable} restartable containers`);
  await bulk.click();
  const dialog = card(page, "[role=alertdialog]");
  assert.equal(await dialog.locator("button[data-confirm]").textContent(), `Restart ${applicable}`, "the button carries the full count");
  assert.equal(await dialog.locator("[data-confirm-item]").count(), 100);
  assert.equal(await dialog.locator("[data-confirm-more]").textContent(), `… and ${applicable - 100} more`);
  await dialog.locator("button[data-cancel]").click();
  await context.close();
});

test("the first paint shows a screenful of rows; the rest follows in later frames, then the list is no longer busy", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 900 } });
  // Sample the rows once per frame from the very start: the first sample is the first paint.
  await context.addInitScript(() => {
    window.__rows = [];
    const tick = () => {
      const root = document.querySelector("fleet-deck-card")?.shadowRoot;
      const n = root ? root.querySelectorAll("[data-container]").length : 0;
      if (n) window.__rows.push({ n, busy: root.querySelector(".fd-groups")?.getAttribute("aria-busy") });
      if (window.__rows.length < 600) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${env.server.url}?delay=30`);
  await page.waitForSelector("fleet-deck-card ha-card.fleet-deck[data-ready=true]", { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector("fleet-deck-card").shadowRoot.querySelector(".fd-groups[aria-busy=false]"), null, { timeout: 20000, polling: 50 });
  const total = Number(await card(page, "[data-count=containers]").textContent());
  const samples = await page.evaluate(() => window.__rows);
  const final = await card(page, "[data-container]").count();
  // The demo's groups are all open and small: every container ends up with its row.
  assert.equal(final, total);
  assert.ok(total > 20, `demo has ${total} containers`);
  // First paint: headings and rows within the first budget (10 units), and the list says busy.
  assert.ok(samples[0].n <= 9 && samples[0].n >= 1, JSON.stringify(samples.slice(0, 5)));
  assert.equal(samples[0].busy, "true");
  // It grew in steps, never shrank, and reached every row.
  const counts = samples.map((s) => s.n);
  assert.ok(counts.every((n, i) => i === 0 || n >= counts[i - 1]), String(counts));
  assert.ok(new Set(counts).size >= 3, `grew in steps: ${[...new Set(counts)]}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("on a phone-width card a row shows the actions its state allows, on one line, and swaps them as the state changes", async () => {
  const { page, context } = await openDemo(env, { width: 360 }, { viewport: { width: 420, height: 900 } });
  const row = card(page, "[data-container=immich_server]");
  assert.deepEqual(await shownActions(row), { actions: ["stop", "restart", "pause", "kill", "recreate"], lines: 1 });
  // The stack head follows the same rule: its containers all run, so no stack start.
  assert.deepEqual((await shownActions(card(page, "section[data-title=immich] .fd-group-head"))).actions, ["stack_stop", "stack_update"]);
  await row.locator("button[data-action=stop]").click();
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, `${inShadow("[data-container=immich_server]")}?.dataset.state === "exited"`);
  assert.deepEqual(await shownActions(row), { actions: ["start", "restart", "recreate"], lines: 1 });
  await context.close();

  // A wide card keeps every button in place, the ruled-out ones disabled with their reason.
  const wide = await openDemo(env);
  const start = card(wide.page, "[data-container=immich_server] button[data-action=start]");
  assert.equal(await start.isVisible(), true);
  assert.equal(await start.isDisabled(), true);
  assert.equal(await start.getAttribute("title"), "already running");
  await wide.context.close();
});

test("on a wide card the metric columns line up across integrations that offer 8 actions and 4", async () => {
  const { page, context } = await openDemo(env);
  const left = (name, sel) => card(page, `[data-container=${name}] ${sel}`).evaluate((e) => Math.round(e.getBoundingClientRect().left));
  // immich_server is HA core's (8 actions), grafana ha_portainer_link's (start, stop, restart, update).
  assert.equal(await card(page, "[data-container=immich_server] .fd-actions button").count(), 8);
  assert.equal(await card(page, "[data-container=grafana] .fd-actions button").count(), 4);
  const chart = "button[data-action=chart]";
  assert.equal(await left("grafana", chart), await left("immich_server", chart), "the sparklines start at the same x");
  await context.close();
});

test("on a 768 px tablet card a long container name keeps one line: the actions move under it", async () => {
  const { page, context } = await openDemo(env, { width: 768 }, { viewport: { width: 900, height: 900 } });
  const row = card(page, "[data-container=immich_machine_learning]");
  const box = (sel) => row.locator(sel).first().evaluate((e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: r.height }; });
  const name = await box(".fd-name");
  assert.ok(name.height < 30, `one line of name, not a word broken over several: ${name.height} px`);
  assert.ok((await box(".fd-actions")).top >= name.bottom, "the actions are on a line of their own");
  assert.deepEqual((await shownActions(row)).lines, 1);
  await context.close();
});

test("a tomaae container whose sensor was unavailable when the dashboard opened appears once Portainer is back, without a reload", async () => {
  const { page, context, errors } = await openDemo(env);
  const entity = await page.evaluate(() => window.sim.inventory().tomaae.containers.find((c) => c.name === "traefik").entity);
  const live = await page.evaluate((id) => window.sim.hass.states[id].attributes, entity);
  // Portainer unreachable: the sensor loses its attributes. Then a dashboard opens: a second
  // card, which HA keeps assigning hass to (the registries never change here).
  await page.evaluate((id) => {
    window.sim.setState(id, "unavailable", { friendly_name: "Portainer vps traefik" });
    const el = document.createElement("fleet-deck-card");
    el.id = "second";
    el.setConfig({ type: "custom:fleet-deck-card", view: "containers" });
    el.hass = window.sim.hass;
    document.body.append(el);
    window.sim.subscribe((h) => { el.hass = h; });
  }, entity);
  const second = (sel) => `document.querySelector("#second").shadowRoot.querySelector(${JSON.stringify(sel)})`;
  await until(page, `${second("ha-card.fleet-deck[data-ready=true]")} && ${second(".fd-row[data-container=immich_server]")}`);
  assert.equal(await page.evaluate(second(".fd-row[data-container=traefik]")), null, "not placeable while unavailable");
  // Portainer is back: the sensor has its state and attributes again, and nothing else changes.
  await page.evaluate(([id, attrs]) => window.sim.setState(id, "running", attrs), [entity, live]);
  await until(page, `${second(".fd-row[data-container=traefik]")} !== null`);
  assert.match(await page.evaluate(`${second(".fd-row[data-container=traefik]")}.textContent`), /Running/);
  assert.deepEqual(errors, []);
  await context.close();
});
