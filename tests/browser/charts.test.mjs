// Charts on the simulated Home Assistant: sparklines from statistics and history, the card's one
// history/stream subscription (exactly the metric entities of the rows on screen, replaced when
// rows collapse, fresh after a reconnect), live updates, and the detail dialog.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, card, until, shiftClock } from "./helpers.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const DAY_MS = 24 * 3600e3;
const shadow = `document.querySelector("fleet-deck-card").shadowRoot`;

/** The card's live history/stream subscriptions (server side). */
const historySubs = (page) => page.evaluate(() => window.sim.activeSubscriptions().list.filter((s) => s.type === "history/stream"));
/** history/stream subscribeMessage calls, oldest first. */
const historyCalls = (page) => page.evaluate(() => window.sim.log.filter((e) => e.type === "subscribeMessage" && e.msg?.type === "history/stream")
  .map((e) => ({ seq: e.seq, t: e.t, msg: e.msg, resubscribe: e.resubscribe, subscription: e.subscription, status: e.status })));
const statsCalls = (page) => page.evaluate(() => window.sim.log.filter((e) => e.type === "callWS" && e.msg?.type === "recorder/statistics_during_period")
  .map((e) => ({ t: e.t, msg: e.msg, result: e.result, status: e.status })));

/** A viewport tall enough for every row of the demo to be near it (no scroll-away). */
const TALL = { viewport: { width: 1100, height: 3200 } };

/**
 * Rows whose sparkline is on screen or within half a screen of it (the card's
 * IntersectionObserver margin): the rows that are streamed.
 */
const nearRows = (page, selector) => card(page, selector).evaluateAll((els) => els.filter((e) => {
  const spark = e.querySelector("svg[data-sparkline]");
  if (!spark) return false;
  const r = spark.parentElement.getBoundingClientRect();
  return r.bottom >= -0.5 * innerHeight && r.top <= 1.5 * innerHeight;
}).map((e) => ({ name: e.dataset.container ?? e.dataset.device, key: e.dataset.key })));

/**
 * The metric entities (CPU and memory used) of the container rows near the viewport, worked out
 * from the simulator's own inventory: core rows by device id (`core:<device>` keys), link rows by
 * name.
 */
async function visibleMetricIds(page) {
  const rows = await nearRows(page, ".fd-row[data-container]");
  const inv = await page.evaluate(() => window.sim.inventory());
  const ids = [];
  for (const r of rows) {
    let c = null;
    if (r.key.startsWith("core:")) c = inv.core.containers.find((x) => `core:${x.deviceId}` === r.key);
    else if (r.key.startsWith("link:")) c = inv.link.containers.find((x) => x.name === r.name);
    else assert.fail(`only core and link rows have sparklines: ${r.key}`);
    assert.ok(c, `row ${r.key} is in the inventory`);
    ids.push(c.entities.cpu, c.entities.mem);
  }
  return [...new Set(ids)].sort();
}

/** Wait until the one history subscription covers exactly `ids` (and nothing else is live). */
async function waitForSubscription(page, ids) {
  await until(page, (want) => {
    const subs = window.sim.activeSubscriptions().list.filter((s) => s.type === "history/stream");
    return subs.length === 1 && JSON.stringify([...subs[0].entityIds].sort()) === JSON.stringify(want);
  }, ids);
  return (await historySubs(page))[0];
}

/** The y of every vertex of a step path (M x y, V y). */
const ys = (d) => [...d.matchAll(/(?:M[-\d.]+ |V)([-\d.]+)/g)].map((m) => Number(m[1]));
/** The path ends at its highest point (smallest y): a new maximum was drawn last. */
function endsAtTop(d) {
  const y = ys(d);
  return y.length > 2 && y[y.length - 1] === Math.min(...y) && y[y.length - 1] < 5;
}

const sparkPath = (page, row, series) => card(page, `.fd-row[data-container="${row}"] svg[data-sparkline] path[data-series=${series}]`);

test("sparklines: one history/stream subscription for exactly the visible rows' metrics, statistics in one call", async () => {
  const { page, context, errors } = await openDemo(env, {}, TALL);
  const ids = await visibleMetricIds(page);
  assert.ok(ids.length >= 40, `many metric entities on screen (${ids.length})`);
  const sub = await waitForSubscription(page, ids);
  const now = await page.evaluate(() => Date.now());
  assert.equal(sub.resubscribe, false, "resubscribed by hand on ready, with a fresh start_time");
  assert.equal(sub.msg.minimal_response, true);
  assert.equal(sub.msg.no_attributes, true);
  assert.equal(sub.msg.significant_changes_only, false);
  assert.equal(sub.msg.end_time, undefined, "live: no end_time");
  // ha_portainer_link sensors have no state_class, so history has to cover the whole window.
  const start = Date.parse(sub.msg.start_time);
  assert.ok(Math.abs(now - DAY_MS - start) < 60e3, `start_time ${sub.msg.start_time} is 24 h back`);
  assert.equal((await historyCalls(page)).length, 1, "subscribed once, not once per row");

  // Statistics: one call for the visible entities that have a state_class.
  await until(page, () => window.sim.log.some((e) => e.msg?.type === "recorder/statistics_during_period" && e.status === "ok"));
  const withClass = await page.evaluate((list) => list.filter((id) => window.sim.hass.states[id]?.attributes?.state_class), ids);
  assert.ok(withClass.length > 0 && withClass.length < ids.length, "both kinds of sensor are on screen");
  const calls = await statsCalls(page);
  assert.equal(calls.length, 1);
  assert.deepEqual([...calls[0].msg.statistic_ids].sort(), withClass.sort());
  assert.equal(calls[0].msg.period, "5minute");
  assert.deepEqual(calls[0].msg.types, ["mean", "min", "max"]);
  assert.ok(Math.abs(Date.parse(calls[0].msg.start_time) - (now - DAY_MS)) < 60e3);
  assert.equal(calls[0].msg.end_time, undefined);

  // Every row with metrics draws its lines.
  await until(page, () => [...document.querySelector("fleet-deck-card").shadowRoot.querySelectorAll("svg[data-sparkline] path")].every((p) => Number(p.dataset.points) > 0));
  const spark = await card(page, ".fd-row").evaluateAll((rows) => rows.flatMap((r) => [...r.querySelectorAll("svg[data-sparkline] path[data-series]")].map((e) => ({
    row: r.dataset.container, running: r.dataset.state === "running", series: e.dataset.series, points: Number(e.dataset.points), d: e.getAttribute("d"),
  }))));
  assert.equal(spark.length, ids.length);
  for (const s of spark) {
    assert.ok(s.points >= 2 && s.points <= 120, `${s.row} ${s.series}: reduced to the sparkline width: ${s.points}`);
    // Running containers have values all day (a stopped one's metrics are "unknown": gaps).
    if (s.running) assert.match(s.d, /^M0 [\d.]+[HV]/, `${s.row} ${s.series} starts at the left edge`);
  }
  assert.ok(spark.filter((s) => s.points >= 60).length > spark.length / 2, "a day of changing values is drawn in detail");
  assert.deepEqual(errors, []);
  await context.close();
});

test("with statistics for every row, history streams the last hour and statistics (ms timestamps) draw the rest", async () => {
  const { page, context, errors } = await openDemo(env, { config: { containers: { integrations: ["portainer"] } } }, TALL);
  const ids = await visibleMetricIds(page);
  const sub = await waitForSubscription(page, ids);
  const now = await page.evaluate(() => Date.now());
  assert.ok(Math.abs(now - 3600e3 - Date.parse(sub.msg.start_time)) < 60e3, `history only from an hour ago: ${sub.msg.start_time}`);
  await until(page, () => window.sim.log.some((e) => e.msg?.type === "recorder/statistics_during_period" && e.status === "ok"));
  const [call] = await statsCalls(page);
  assert.deepEqual([...call.msg.statistic_ids].sort(), ids);

  const id = (await page.evaluate(() => window.sim.inventory())).core.containers.find((c) => c.name === "immich_server").entities.cpu;
  const rows = call.result[id];
  assert.ok(rows.length > 250 && rows.every((r) => r.start > 1e12), "statistics rows in epoch milliseconds");

  await card(page, `.fd-row[data-container=immich_server] button[data-action=chart]`).click();
  const plot = card(page, "[data-chart-detail] figure[data-metric=cpu]");
  const path = plot.locator("path[data-series=cpu]");
  await until(page, () => Number(document.querySelector("fleet-deck-card").shadowRoot.querySelector("[data-chart-detail] path[data-series=cpu]")?.dataset.points) > 250);
  // The line starts at the plot's left edge 24 h back: only statistics reach that far.
  assert.match(await path.getAttribute("d"), /^M56 /);
  // The second point (after the value carried to the window start) is the first bucket inside
  // the window, at its own time and with its mean: the milliseconds were read as such.
  await plot.locator(".fd-plot-area").focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  const readout = await plot.locator("[data-cursor]").textContent();
  const t0 = await plot.locator(".fd-plot-area").getAttribute("aria-valuemin");
  const bucket = rows.find((r) => r.start >= Number(t0) * 1000);
  const cursorT = Number(await plot.locator(".fd-plot-area").getAttribute("aria-valuenow"));
  assert.equal(cursorT * 1000, bucket.start, "cursor on the first bucket inside the window");
  const pct = bucket.mean < 10 ? bucket.mean.toFixed(1) : String(Math.round(bucket.mean));
  assert.ok(readout.endsWith(`: ${pct}\u00a0%`), `readout "${readout}" shows the bucket mean ${bucket.mean}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a new history row updates only that row's sparkline, in place", async () => {
  const { page, context, errors } = await openDemo(env);
  await waitForSubscription(page, await visibleMetricIds(page));
  const inv = await page.evaluate(() => window.sim.inventory());
  const cpuId = inv.core.containers.find((c) => c.name === "jellyfin").entities.cpu;
  const cpu = sparkPath(page, "jellyfin", "cpu");
  await until(page, () => Number(document.querySelector("fleet-deck-card").shadowRoot.querySelector('.fd-row[data-container=jellyfin] path[data-series=cpu]')?.dataset.points) > 0);

  // Record every DOM change in the card while one new value arrives. A 30-second clock tick
  // legitimately redraws every line (the window moves); then the round is repeated.
  for (let attempt = 0; ; attempt++) {
    const before = { d: await cpu.getAttribute("d"), points: Number(await cpu.getAttribute("data-points")) };
    await page.evaluate(() => {
      const root = document.querySelector("fleet-deck-card").shadowRoot;
      window.__mutations = [];
      window.__observer = new MutationObserver((list) => {
        for (const m of list) {
          const row = m.target.closest?.(".fd-row");
          window.__mutations.push({ type: m.type, attr: m.attributeName, tag: m.target.localName, row: row?.dataset.container, series: m.target.dataset?.series,
            spark: !!m.target.closest?.("svg[data-sparkline]"), added: m.addedNodes?.length ?? 0, removed: m.removedNodes?.length ?? 0 });
        }
      });
      window.__observer.observe(root, { subtree: true, attributes: true, childList: true, characterData: true });
    });
    const value = 97 + attempt * 0.5;
    await page.evaluate(([id, v]) => window.sim.setState(id, String(v)), [cpuId, value]);
    await until(page, (old) => document.querySelector("fleet-deck-card").shadowRoot.querySelector(".fd-row[data-container=jellyfin] path[data-series=cpu]").getAttribute("d") !== old, before.d);
    await page.waitForTimeout(400);
    const muts = await page.evaluate(() => { window.__observer.disconnect(); return window.__mutations; });
    const sparkMuts = muts.filter((m) => m.spark);
    const ticked = sparkMuts.some((m) => m.row !== "jellyfin");
    if (ticked && attempt < 2) continue;
    assert.ok(!ticked, `only jellyfin's sparkline changed: ${JSON.stringify(sparkMuts.filter((m) => m.row !== "jellyfin").slice(0, 5))}`);
    assert.ok(sparkMuts.length > 0 && sparkMuts.every((m) => m.type === "attributes" && m.tag === "path" && m.series === "cpu" && ["d", "data-points"].includes(m.attr)),
      `only the cpu path's d/data-points attributes were touched: ${JSON.stringify(sparkMuts)}`);
    const d = await cpu.getAttribute("d");
    // The new maximum is drawn last, at the top of the sparkline (y ≈ 1 in the 0..24 viewBox).
    assert.ok(endsAtTop(d), `the line ends at the new maximum: …${d.slice(-60)}`);
    assert.ok(Number(await cpu.getAttribute("data-points")) >= Math.min(before.points, 100), "still a full line");
    break;
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("collapsing a group replaces the subscription; no rows drops it; statistics stay cached", async () => {
  const { page, context } = await openDemo(env, {}, TALL);
  const all = await visibleMetricIds(page);
  const first = await waitForSubscription(page, all);
  await until(page, () => window.sim.log.some((e) => e.msg?.type === "recorder/statistics_during_period" && e.status === "ok"));

  await card(page, "section[data-title=immich] button.fd-toggle").click();
  const fewer = await visibleMetricIds(page);
  assert.equal(all.length - fewer.length, 8, "immich's 4 containers × CPU and memory left the screen");
  const second = await waitForSubscription(page, fewer);
  assert.notEqual(second.id, first.id);
  assert.ok(await page.evaluate((id) => window.sim.log.some((e) => e.type === "unsubscribe" && e.subscription === id && e.status === "ok"), first.id),
    "the old subscription was unsubscribed");
  assert.equal((await historyCalls(page)).length, 2, "one new subscription for the change (debounced)");

  // Nothing on screen: no history subscription at all.
  await card(page, "input.fd-search").fill("no-such-container-anywhere");
  await until(page, () => window.sim.activeSubscriptions().list.filter((s) => s.type === "history/stream").length === 0);
  assert.equal(await card(page, "svg[data-sparkline]").count(), 0);

  // Back: one subscription for all rows again; the statistics were fetched once for this window.
  await card(page, "input.fd-search").fill("");
  await card(page, "section[data-title=immich] button.fd-toggle").click();
  await waitForSubscription(page, all);
  assert.equal((await statsCalls(page)).length, 1, "statistics are cached per window");
  assert.equal((await historyCalls(page)).length, 3);
  await context.close();
});

test("rows scrolled far away leave the subscription; scrolling back brings them in again", async () => {
  const { page, context, errors } = await openDemo(env);
  const top = await visibleMetricIds(page);
  const all = await card(page, "svg[data-sparkline] path").count();
  assert.ok(top.length >= 8 && top.length < all, `only the rows near the screen: ${top.length} of ${all}`);
  const first = await waitForSubscription(page, top);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const bottom = await visibleMetricIds(page);
  assert.ok(!bottom.includes(top[0]) && bottom.some((id) => !top.includes(id)), "a different set of rows");
  const second = await waitForSubscription(page, bottom);
  assert.notEqual(second.id, first.id);
  await page.evaluate(() => window.scrollTo(0, 0));
  await waitForSubscription(page, top);
  // Back on screen, the rows draw again from the new subscription's history.
  await until(page, (n) => window.sim.log.filter((e) => e.type === "subscribeMessage" && e.msg?.type === "history/stream").length === n, 3);
  const d = await sparkPath(page, "immich_server", "cpu").getAttribute("d");
  assert.match(d, /^M0 /);
  assert.deepEqual(errors, []);
  await context.close();
});

test("after a reconnect exactly one new history subscription starts, with a fresh start_time, and stays live", async () => {
  const { page, context, errors } = await openDemo(env, {}, TALL);
  const ids = await visibleMetricIds(page);
  const first = await waitForSubscription(page, ids);
  await page.evaluate(() => window.sim.dropConnection());
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelector("ha-card").dataset.connection === "reconnecting");
  await page.waitForTimeout(1200);
  await page.evaluate(() => window.sim.restoreConnection());
  const restoredAt = await page.evaluate(() => Date.now());
  await until(page, (n) => window.sim.log.filter((e) => e.type === "subscribeMessage" && e.msg?.type === "history/stream").length > n, 1);
  await page.waitForTimeout(800);
  const calls = await historyCalls(page);
  assert.equal(calls.length, 2, "exactly one new history subscription");
  const fresh = calls[1];
  assert.equal(fresh.resubscribe, false);
  assert.deepEqual([...fresh.msg.entity_ids].sort(), ids);
  assert.ok(Date.parse(fresh.msg.start_time) - Date.parse(first.msg.start_time) >= 1000, "a fresh start_time, not the stale one");
  assert.ok(Math.abs(Date.parse(fresh.msg.start_time) - (restoredAt - DAY_MS)) < 10e3);
  const subs = await historySubs(page);
  assert.equal(subs.length, 1);
  assert.equal(subs[0].id, fresh.subscription);
  // The library did not replay ours (resubscribe: false), and no unsubscribe was sent for the dead one.
  assert.equal(await page.evaluate((id) => window.sim.log.filter((e) => (e.type === "resubscribe" || e.type === "unsubscribe") && e.subscription === id).length, first.id), 0);

  // Live again: a new value reaches the sparkline.
  const inv = await page.evaluate(() => window.sim.inventory());
  const memId = inv.core.containers.find((c) => c.name === "immich_server").entities.mem;
  const mem = sparkPath(page, "immich_server", "memory");
  const before = await mem.getAttribute("d");
  await page.evaluate((id) => window.sim.setState(id, "5000.0"), memId);
  await until(page, (old) => document.querySelector("fleet-deck-card").shadowRoot.querySelector(".fd-row[data-container=immich_server] path[data-series=memory]").getAttribute("d") !== old, before);
  assert.ok(endsAtTop(await mem.getAttribute("d")));
  assert.deepEqual(errors, []);
  await context.close();
});

test("detail chart: axes, min/max/mean/now, summary, keyboard cursor, Escape closes", async () => {
  const { page, context, errors } = await openDemo(env);
  await waitForSubscription(page, await visibleMetricIds(page));
  const button = card(page, ".fd-row[data-container=immich_server] button[data-action=chart]");
  assert.equal(await button.getAttribute("aria-label"), "History of immich_server");
  await button.click();
  const dialog = card(page, "[role=dialog][data-chart-detail]");
  await dialog.waitFor();
  assert.equal(await dialog.locator("h3").textContent(), "History: immich_server");
  assert.equal(await dialog.locator("figure").count(), 2, "CPU and memory");
  const cpu = dialog.locator("figure[data-metric=cpu]");
  await until(page, () => Number(document.querySelector("fleet-deck-card").shadowRoot.querySelector("[data-chart-detail] path[data-series=cpu]")?.dataset.points) > 100);
  assert.equal(await cpu.locator("svg path[data-series=cpu][data-points]").count(), 1);
  const ticks = await cpu.locator("svg text").allTextContents();
  assert.ok(ticks.filter((t) => t.endsWith("%")).length >= 3, `value axis: ${ticks}`);
  assert.ok(ticks.filter((t) => /^\d\d:\d\d( [AP]M)?$/.test(t)).length >= 4, `time axis: ${ticks}`);

  // The summary agrees with the figures shown above the chart.
  const max = (await cpu.locator("[data-stat=max]").textContent()).replace("max ", "");
  const mean = (await cpu.locator("[data-stat=mean]").textContent()).replace("mean ", "");
  const summary = await cpu.locator("[data-chart-summary]").textContent();
  assert.match(summary, /^CPU over 24 h: mean [\d.]+\u00a0%, max [\d.]+\u00a0% at \d\d:\d\d( [AP]M)?$/);
  assert.ok(summary.includes(`mean ${mean}, max ${max} at`), summary);
  // "now" follows the current state as it changes.
  await page.evaluate(() => window.sim.setState("sensor.immich_server_cpu_usage_total", "3.34"));
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelector("[data-chart-detail] [data-stat=now]")?.textContent === "now 3.3\u00a0%");

  // Keyboard: the plot is a slider over time; arrows move the cursor point by point.
  const area = cpu.locator(".fd-plot-area");
  await area.focus();
  assert.equal(await area.getAttribute("role"), "slider");
  const readout = cpu.locator("[data-cursor]");
  const atEnd = await readout.textContent();
  await page.keyboard.press("ArrowLeft");
  const t1 = Number(await area.getAttribute("aria-valuenow"));
  await page.keyboard.press("ArrowLeft");
  const t2 = Number(await area.getAttribute("aria-valuenow"));
  assert.ok(t2 < t1, "ArrowLeft moves back in time");
  assert.notEqual(await readout.textContent(), atEnd);
  assert.equal(await card(page, "[data-chart-detail] .fd-cursor-line").count(), 2, "both charts show the shared cursor");
  await page.keyboard.press("ArrowRight");
  assert.equal(Number(await area.getAttribute("aria-valuenow")), t1);
  await page.keyboard.press("Home");
  // The first point is the value in force at the window start (within the history buffer's
  // trimming a moment later).
  assert.ok(Math.abs(Number(await area.getAttribute("aria-valuenow")) - Number(await area.getAttribute("aria-valuemin"))) < 5);
  assert.equal(await area.getAttribute("aria-valuetext"), await readout.textContent());

  // The pointer moves it too.
  const box = await cpu.locator("svg:not(.fd-cursor-layer)").boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const mid = Number(await area.getAttribute("aria-valuenow"));
  const [lo, hi] = [Number(await area.getAttribute("aria-valuemin")), Number(await area.getAttribute("aria-valuemax"))];
  // viewBox x 300 of 600; the plot spans x 56..592.
  const expected = lo + ((300 - 56) / 536) * (hi - lo);
  // The cursor snaps to a data point, and points can be an hour or more apart (hourly
  // statistics), so "close to the pointer" is a matter of the neighbours: the points just
  // before and after the chosen one must not be nearer (a few minutes' slack for the pixel).
  await page.keyboard.press("ArrowLeft");
  const prev = Number(await area.getAttribute("aria-valuenow"));
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const next = Number(await area.getAttribute("aria-valuenow"));
  assert.ok(prev < mid && mid < next, `neighbours ${prev} < ${mid} < ${next}`);
  const off = (t) => Math.abs(t - expected);
  assert.ok(off(mid) <= Math.min(off(prev), off(next)) + 300,
    `pointer at the middle of the svg picks the nearest point: ${mid} (${off(mid)} s off) vs ${prev}, ${next}`);

  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("detail chart: a time label next to the plot's edge stays inside the chart", async () => {
  // 08:13 on the browser's clock (UTC here; HA's default profile shows the browser's time
  // zone): the 08:00 tick sits 13 minutes, 5 units of the 600-unit plot, from the right edge,
  // and its label is 8 characters wide.
  const { page, context, errors } = await openDemo(env, {}, { before: (p) => p.addInitScript(shiftClock, Date.parse("2026-12-08T08:13:00Z")) });
  await card(page, ".fd-row[data-container=immich_server] button[data-action=chart]").click();
  const svg = card(page, "[data-chart-detail] figure[data-metric=cpu] svg:not(.fd-cursor-layer)");
  await svg.waitFor();
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelectorAll("[data-chart-detail] figure[data-metric=cpu] text.fd-tick").length > 6);
  const { box, labels } = await svg.evaluate((el) => ({
    box: el.getBoundingClientRect().toJSON(),
    labels: [...el.querySelectorAll("text.fd-tick")].map((t) => ({ text: t.textContent, ...t.getBoundingClientRect().toJSON() })),
  }));
  const last = labels.at(-1);
  assert.match(last.text, /^08:00( AM)?$/, `the last time label: ${labels.map((l) => l.text)}`);
  for (const l of labels) {
    assert.ok(l.left >= box.left - 0.5 && l.right <= box.right + 0.5, `"${l.text}" spans ${l.left.toFixed(1)}–${l.right.toFixed(1)}, the chart ${box.left.toFixed(1)}–${box.right.toFixed(1)}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("chart_hours sets the window: hourly statistics for 3 days, summary over 72 h", async () => {
  const { page, context } = await openDemo(env, { config: { chart_hours: 72 } }, TALL);
  const ids = await visibleMetricIds(page);
  const sub = await waitForSubscription(page, ids);
  const now = await page.evaluate(() => Date.now());
  assert.ok(Math.abs(now - 3 * DAY_MS - Date.parse(sub.msg.start_time)) < 60e3);
  await until(page, () => window.sim.log.some((e) => e.msg?.type === "recorder/statistics_during_period" && e.status === "ok"));
  const [call] = await statsCalls(page);
  assert.equal(call.msg.period, "hour");
  assert.ok(Math.abs(Date.parse(call.msg.start_time) - (now - 3 * DAY_MS)) < 60e3);
  await card(page, ".fd-row[data-container=jellyfin] button[data-action=chart]").click();
  await until(page, () => /over 72 h/.test(document.querySelector("fleet-deck-card").shadowRoot.querySelector("[data-chart-detail] [data-chart-summary]")?.textContent));
  await context.close();
});

test("fleets: device sparklines stream CPU, memory and temperature; the fleet chart averages and maxes the devices' statistics", async () => {
  const { page, context, errors } = await openDemo(env, {}, TALL);
  await card(page, "[role=tab][data-view=fleets]").click();
  const inv = await page.evaluate(() => window.sim.inventory());
  const byUuid = new Map(inv.balena.devices.map((d) => [d.uuid, d]));
  // Device rows with a sparkline (offline devices show no metrics) and their metric entities.
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.querySelectorAll(".fd-row[data-device] svg[data-sparkline]").length > 0);
  const keys = (await nearRows(page, ".fd-row[data-device]")).map((r) => r.key);
  const ids = keys.flatMap((k) => ["cpu", "memory", "temperature"].map((r) => byUuid.get(k).entities[r])).sort();
  await waitForSubscription(page, ids);
  assert.equal(await card(page, ".fd-row[data-device] svg[data-sparkline] path[data-series=temperature]").count(), keys.length);

  const fleet = inv.balena.fleets.find((f) => f.name === "sensors-lab");
  const button = card(page, `button[data-action=chart][data-fleet-chart=fleet_${fleet.id}]`);
  assert.equal(await button.count(), 1, "FleetChartButton placed in the fleet header (fleet view)");
  assert.equal(await button.getAttribute("aria-label"), "History of sensors-lab");
  await button.click();
  const dialog = card(page, "[role=dialog][data-chart-detail]");
  assert.equal(await dialog.locator("h3").textContent(), "History: sensors-lab");
  // Statistics for every device of the fleet, including ones not on screen.
  const cpuIds = fleet.devices.map((u) => byUuid.get(u).entities.cpu);
  await until(page, (want) => {
    const asked = new Set(window.sim.log.filter((e) => e.msg?.type === "recorder/statistics_during_period" && e.status === "ok").flatMap((e) => e.msg.statistic_ids));
    return want.every((id) => asked.has(id));
  }, cpuIds);
  const results = Object.assign({}, ...(await statsCalls(page)).map((c) => c.result));
  const cpu = dialog.locator("figure[data-metric=cpu]");
  await until(page, () => Number(document.querySelector("fleet-deck-card").shadowRoot.querySelector("[data-chart-detail] figure[data-metric=cpu] path[data-agg=max]")?.dataset.points) > 250);
  assert.equal(await dialog.locator("figure").count(), 3, "CPU, memory, temperature");
  assert.equal(await cpu.locator("path[data-series=cpu][data-agg=avg]").count(), 1);

  // The first 5-minute bucket inside the window: average and maximum of the devices' means.
  const area = cpu.locator(".fd-plot-area");
  await area.focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  const t = Number(await area.getAttribute("aria-valuenow")) * 1000;
  const means = cpuIds.map((id) => (results[id] ?? []).find((r) => r.start === t)?.mean).filter((v) => v !== undefined);
  assert.ok(means.length >= 2, `several devices have a bucket at ${new Date(t).toISOString()}`);
  const pct = (v) => `${v < 10 ? v.toFixed(1) : Math.round(v)}\u00a0%`;
  const avg = means.reduce((a, b) => a + b, 0) / means.length;
  const readout = await cpu.locator("[data-cursor]").textContent();
  assert.ok(readout.endsWith(`: avg ${pct(avg)}, max ${pct(Math.max(...means))}`), `${readout} vs avg ${avg} max ${Math.max(...means)}`);
  assert.match(await cpu.locator("[data-chart-summary]").textContent(), /^CPU, fleet average over 24 h: mean .+ CPU, fleet maximum over 24 h: mean /);
  // Opening the fleet chart did not widen the history subscription.
  assert.deepEqual([...(await historySubs(page))[0].entityIds].sort(), ids);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a container with minutes of history draws them across its whole sparkline; the detail chart keeps the day", async () => {
  // immich_server was created 30 minutes before the page opened: nothing recorded before that.
  const { page, context } = await openDemo(env, { young: "immich_server" }, TALL);
  const spark = `${shadow}.querySelector('.fd-row[data-container=immich_server] path[data-series=cpu]')`;
  await until(page, `Number(${spark}?.dataset.points) > 1`);
  const span = (d) => {
    const xs = [...d.matchAll(/([MH])(-?[\d.]+)/g)].map((m) => Number(m[2]));
    return [Math.min(...xs), Math.max(...xs)];
  };
  const [x0, x1] = span(await page.evaluate(`${spark}.getAttribute("d")`));
  assert.ok(x0 < 2 && x1 > 98, `the line spans the sparkline, not its last 2 %: ${x0}..${x1}`);
  // Its neighbour with a day of history spans it too: both fill the sparkline.
  const other = await page.evaluate(`${shadow}.querySelector('.fd-row[data-container=immich_redis] path[data-series=cpu]').getAttribute("d")`);
  assert.ok(span(other)[0] < 2, "a full day starts at the left edge as before");
  await card(page, ".fd-row[data-container=immich_server] button[data-action=chart]").click();
  const detail = `${shadow}.querySelector('[data-chart-detail] path[data-series=cpu]')`;
  await until(page, `Number(${detail}?.dataset.points) > 1`);
  const box = await page.evaluate(`(() => { const p = ${detail}, r = p.getBBox(), w = p.ownerSVGElement.viewBox.baseVal.width; return { x: r.x, w }; })()`);
  assert.ok(box.x > box.w * 0.9, `the detail chart draws the half hour at the right of the day: starts at ${box.x} of ${box.w}`);
  await context.close();
});
