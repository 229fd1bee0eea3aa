// The entity subscription: exactly the shown entities, diffs applied without a hass assignment,
// one subscription across reconnects, unsubscribed while the element is off the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, card, until } from "./helpers.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const entitySubs = (page) => page.evaluate(() => window.sim.activeSubscriptions().list.filter((s) => s.type === "subscribe_entities"));

test("subscribes to exactly the entities of the items the config shows", async () => {
  const { page, context } = await openDemo(env, { config: { containers: { integrations: ["ha_portainer_link"] }, fleets: { fleets: ["no-such-fleet"] } } });
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  const [sub] = await entitySubs(page);
  assert.equal(sub.resubscribe, false);
  const inv = await page.evaluate(() => window.sim.inventory());
  const linkIds = new Set([...inv.link.containers, ...inv.link.stacks].flatMap((x) => Object.values(x.entities)));
  const extra = sub.entityIds.filter((id) => !linkIds.has(id));
  assert.deepEqual(extra, [], "only ha_portainer_link entities are tracked");
  for (const c of inv.link.containers) {
    assert.ok(sub.entityIds.includes(c.entities.status), `${c.entities.status} is tracked`);
    assert.ok(sub.entityIds.includes(c.entities.switch), `${c.entities.switch} is tracked`);
  }
  assert.deepEqual([...sub.entityIds].sort(), sub.entityIds, "sorted, no duplicates");
  assert.equal(new Set(sub.entityIds).size, sub.entityIds.length);
  await context.close();
});

test("a pushed diff updates its row with no hass assignment, touching only that row", async () => {
  const { page, context } = await openDemo(env);
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  // The sparklines' history arrives once, after a debounce: every chart draws then. Counted
  // from here on, a change must touch its own row only.
  await until(page, () => window.sim.lastDelivery("history/stream") !== undefined);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  const r = await page.evaluate(async () => {
    const el = window.card;
    // From here on Home Assistant's setter never reaches the card: only the websocket does.
    let assignments = 0;
    Object.defineProperty(el, "hass", { configurable: true, set() { assignments++; }, get() { return undefined; } });
    const root = el.shadowRoot;
    const row = root.querySelector("[data-container=immich_server]");
    const touched = new Set();
    // Per attribute or text node, the value before the first write: a write that leaves it as
    // it was is a wasted DOM operation (an attribute binding rebuilt without a compare).
    const before = new Map();
    const mo = new MutationObserver((muts) => muts.forEach((m) => {
      touched.add(m.target);
      if (m.type === "childList") return;
      const key = m.type === "attributes" ? m.attributeName : "characterData";
      const per = before.get(m.target) || new Map();
      if (!per.has(key)) per.set(key, m.oldValue);
      before.set(m.target, per);
    }));
    mo.observe(root, { subtree: true, childList: true, characterData: true, attributes: true, attributeOldValue: true, characterDataOldValue: true });
    window.sim.setState("sensor.immich_server_cpu_usage_total", "63.3", { state_class: "measurement", unit_of_measurement: "%" });
    const t0 = performance.now();
    while (!row.querySelector("[data-metric=cpu]").textContent.includes("63") && performance.now() - t0 < 5000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
    mo.disconnect();
    return {
      text: row.querySelector("[data-metric=cpu]").textContent,
      assignments,
      outside: [...touched].filter((n) => !row.contains(n)).length,
      touched: touched.size,
      unchanged: [...before].flatMap(([node, per]) => [...per].filter(([key, old]) =>
        old === (key === "characterData" ? node.data : node.getAttribute(key)))
        .map(([key]) => `${key} on ${node.nodeName.toLowerCase()}.${node.getAttribute?.("class") ?? ""}`)),
    };
  });
  assert.match(r.text, /63/);
  assert.ok(r.assignments >= 1, "the simulated HA did try to assign hass");
  assert.equal(r.outside, 0, "no node outside the changed row was touched");
  assert.ok(r.touched <= 10, `touched ${r.touched} nodes`);
  assert.deepEqual(r.unchanged, [], "every DOM write changed a value");
  await context.close();
});

test("a dropped connection shows reconnecting, keeps values, and resubscribes exactly once", async () => {
  const { page, context } = await openDemo(env);
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  const before = await card(page, "[data-count=running]").textContent();
  await page.evaluate(() => window.sim.dropConnection());
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelector("ha-card.fleet-deck").dataset.connection === "reconnecting");
  assert.equal(await card(page, "[data-count=running]").textContent(), before, "last values stay");
  await page.evaluate(() => window.sim.restoreConnection());
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelector("ha-card.fleet-deck").dataset.connection === "live");
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  await page.waitForTimeout(500);
  assert.equal((await entitySubs(page)).length, 1);
  // Live again: a change arrives through the new subscription.
  await page.evaluate(() => window.sim.setState("sensor.immich_server_cpu_usage_total", "77.7", { state_class: "measurement", unit_of_measurement: "%" }));
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelector("[data-container=immich_server] [data-metric=cpu]").textContent.includes("78"));
  await context.close();
});

test("off the page the card unsubscribes; back on it resubscribes without rebuilding the app", async () => {
  const { page, context } = await openDemo(env);
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  await page.evaluate(() => { window.__marker = window.card.shadowRoot.querySelector("ha-card.fleet-deck"); window.__parent = window.card.parentNode; window.card.remove(); });
  await until(page, () => !window.sim.activeSubscriptions().byType.subscribe_entities);
  await page.evaluate(() => window.__parent.append(window.card));
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  assert.equal(await page.evaluate(() => window.card.shadowRoot.querySelector("ha-card.fleet-deck") === window.__marker), true);
  await context.close();
});

test("on a server without subscribe_entities the card follows hass.states, also after a config change", async () => {
  const { page, context, errors } = await openDemo(env, { nosub: 1 });
  // The card asked, was refused, and has no entity subscription.
  await until(page, () => window.sim.log.some((e) => e.type === "subscribeMessage" && e.msg?.type === "subscribe_entities"));
  assert.equal((await entitySubs(page)).length, 0);
  const cpuShows = (value) => page.evaluate((v) =>
    window.card.shadowRoot.querySelector("[data-container=immich_server] [data-metric=cpu]")?.textContent.includes(v), value);
  await page.evaluate(() => window.sim.setState("sensor.immich_server_cpu_usage_total", "71.4", { state_class: "measurement", unit_of_measurement: "%" }));
  await until(page, () => window.card.shadowRoot.querySelector("[data-container=immich_server] [data-metric=cpu]")?.textContent.includes("71"));
  // A new config rebuilds the tracked set; the scan must still see the next change (and only
  // read what changed: the immich_postgres row keeps its value).
  const before = await page.evaluate(() => window.card.shadowRoot.querySelector("[data-container=immich_postgres] [data-metric=cpu]")?.textContent);
  await page.evaluate(() => window.card.setConfig({ type: "custom:fleet-deck-card", view: "containers" }));
  await page.evaluate(() => window.sim.setState("sensor.immich_server_cpu_usage_total", "38.2", { state_class: "measurement", unit_of_measurement: "%" }));
  await until(page, () => window.card.shadowRoot.querySelector("[data-container=immich_server] [data-metric=cpu]")?.textContent.includes("38"));
  assert.equal(await cpuShows("71"), false);
  assert.equal(await page.evaluate(() => window.card.shadowRoot.querySelector("[data-container=immich_postgres] [data-metric=cpu]")?.textContent), before);
  assert.deepEqual(errors.filter((e) => !/subscription failed|Unknown command/.test(e)), []);
  await context.close();
});

test("events that arrive while an unsubscribe is in flight are ignored, not sent to a dropped callback", async () => {
  const { page, context, errors } = await openDemo(env);
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  const r = await page.evaluate(async () => {
    const before = window.sim.log.length;
    // A narrower config tracks fewer entities: the card subscribes again and drops the old
    // subscription. Like home-assistant-js-websocket, the simulator keeps delivering to the old
    // callback until the server has confirmed the unsubscribe.
    window.card.setConfig({ type: "custom:fleet-deck-card", containers: { integrations: ["portainer"] } });
    const t0 = performance.now();
    let entry;
    while (!(entry = window.sim.log.slice(before).find((e) => e.type === "unsubscribe" && e.msg?.type === "subscribe_entities")) && performance.now() - t0 < 5000) {
      await new Promise((r) => setTimeout(r, 0));
    }
    const pendingWhenChanged = entry?.status;
    window.sim.setState("sensor.immich_server_cpu_usage_total", "55", { state_class: "measurement", unit_of_measurement: "%" });
    const t1 = performance.now();
    const root = window.card.shadowRoot;
    while (!root.querySelector("[data-container=immich_server] [data-metric=cpu]")?.textContent.includes("55") && performance.now() - t1 < 5000) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return { pendingWhenChanged, text: root.querySelector("[data-container=immich_server] [data-metric=cpu]")?.textContent };
  });
  assert.equal(r.pendingWhenChanged, "pending", "the change was made while the unsubscribe was in flight");
  assert.match(r.text, /55/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the header's running count follows a container that stops, through the subscription", async () => {
  const { page, context } = await openDemo(env);
  await until(page, () => window.sim.activeSubscriptions().byType.subscribe_entities === 1);
  const before = Number(await card(page, "[data-count=running]").textContent());
  const c = (await page.evaluate(() => window.sim.inventory())).core.containers.find((x) => x.state === "running" && x.entities.switch);
  await page.evaluate(({ state, sw }) => window.sim.batch(() => { window.sim.setState(state, "exited"); window.sim.setState(sw, "off"); }),
    { state: c.entities.state, sw: c.entities.switch });
  await until(page, (want) => document.querySelector("fleet-deck-card").shadowRoot.querySelector("[data-count=running]")?.textContent === want, String(before - 1));
  await context.close();
});
