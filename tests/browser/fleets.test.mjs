// The fleet view on the simulated Home Assistant: header totals and per-fleet summaries computed
// independently from the simulated states, device rows (state, last seen, bars, breaches,
// dashboard link, more-info), each device action's exact service call, the public-URL refresh,
// grouping by status, paging and search at 1,000 devices, bulk over a whole fleet with a partial
// failure and a timeout, and the integration's bulk services when they are registered.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, card, until, serviceCalls, shownActions } from "./helpers.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const FLEETS = { view: "fleets" };
const inShadow = (sel) => `document.querySelector("fleet-deck-card").shadowRoot.querySelector(${JSON.stringify(sel)})`;
const countIn = (sel) => `document.querySelector("fleet-deck-card").shadowRoot.querySelectorAll(${JSON.stringify(sel)}).length`;

/** What the card should show for one fleet, computed from the simulated states. */
function expectedSummary(inv, states, fleetName, t = { cpu: 80, memory: 85, storage: 90, temperature: 75 }) {
  const devs = inv.balena.devices.filter((d) => d.fleetName === fleetName);
  const num = (id) => {
    const s = states[id]?.state;
    return s == null || s === "unavailable" || s === "unknown" ? null : Number(s);
  };
  const metric = (role) => {
    const vals = devs.filter((d) => states[d.entities.online].state === "on").map((d) => num(d.entities[role])).filter((v) => v != null);
    return { avg: vals.reduce((a, b) => a + b, 0) / vals.length, max: Math.max(...vals) };
  };
  const online = devs.filter((d) => states[d.entities.online].state === "on");
  const over = online.filter((d) => num(d.entities.cpu) >= t.cpu || num(d.entities.memory) >= t.memory
    || num(d.entities.storage) >= t.storage || num(d.entities.temperature) >= t.temperature).length;
  return {
    total: devs.length, online: online.length, offline: devs.length - online.length,
    updating: devs.filter((d) => states[d.entities.updating].state === "on").length,
    cpu: metric("cpu"), mem: metric("memory"), storage: metric("storage"), temp: metric("temperature"), over,
  };
}

test("header totals and each fleet's summary match the states; breaches are highlighted", async () => {
  const { page, context, errors } = await openDemo(env, { config: { ...FLEETS, fleets: { thresholds: { cpu: 30 } } } });
  const { inv, states } = await page.evaluate(() => ({ inv: window.sim.inventory(), states: window.sim.hass.states }));
  const all = inv.balena.devices;
  const onlineAll = all.filter((d) => states[d.entities.online].state === "on").length;
  const count = (id) => card(page, `[data-count=${id}]`).textContent();
  assert.equal(await count("devices"), String(all.length));
  assert.equal(await count("online"), String(onlineAll));
  assert.equal(await count("offline"), String(all.length - onlineAll));
  // legacy-kiosks has no tracked devices and show_empty is off.
  assert.equal(await count("fleets"), "2");
  assert.equal(await card(page, "section.fd-group[data-title=legacy-kiosks]").count(), 0);

  for (const fleet of ["signage-prod", "sensors-lab"]) {
    const want = expectedSummary(inv, states, fleet, { cpu: 30, memory: 85, storage: 90, temperature: 75 });
    const sec = card(page, `section.fd-group[data-group-kind=fleet][data-title="${fleet}"]`);
    const sum = sec.locator("[data-fleet-summary]");
    assert.equal(await sum.locator("[data-summary=online]").textContent(), `${want.online}/${want.total}`, fleet);
    assert.equal(await sum.locator("[data-summary=offline]").getAttribute("data-value"), String(want.offline));
    assert.equal(await sum.locator("[data-summary=updating]").getAttribute("data-value"), String(want.updating));
    for (const [id, m] of [["cpu", want.cpu], ["mem", want.mem], ["storage", want.storage], ["temp", want.temp]]) {
      const avg = Number(await sum.locator(`[data-summary=${id}-avg]`).getAttribute("data-value"));
      const max = Number(await sum.locator(`[data-summary=${id}-max]`).getAttribute("data-value"));
      assert.ok(Math.abs(avg - m.avg) < 0.051, `${fleet} ${id} avg ${avg} vs ${m.avg}`);
      assert.ok(Math.abs(max - m.max) < 0.051, `${fleet} ${id} max ${max} vs ${m.max}`);
      assert.match(await sum.locator(`[data-summary=${id}-avg]`).textContent(), /^avg \d/);
    }
    assert.ok(want.over > 0, "the scenario has devices at or over 30 % CPU");
    assert.equal(await sum.locator("[data-summary=over]").getAttribute("data-value"), String(want.over));
    assert.equal(await sum.locator("[data-summary=over]").textContent(), `${want.over} over threshold`);
    // Exactly the breaching rows are highlighted.
    assert.equal(await sec.locator("[data-device].fd-over").count(), want.over);
  }
  const hot = all.find((d) => Number(states[d.entities.cpu].state) >= 30 && states[d.entities.online].state === "on");
  assert.equal(await card(page, `[data-device="${hot.name}"] .fd-bar[data-metric=cpu]`).getAttribute("class").then((c) => c.includes("fd-hot")), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("device rows: state, last seen, bars, versions, dashboard link, more-info; offline rows say since when", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS });
  const row = card(page, "[data-device=kiosk-lobby]");
  assert.equal(await row.getAttribute("data-key"), "a1b2c3d4e5f60718293a4b5c6d7e8f90");
  assert.equal(await row.getAttribute("data-state"), "online");
  assert.equal(await row.getAttribute("data-source"), "balena_cloud");
  assert.equal(await row.locator(".fd-state").textContent(), "Online");
  assert.match(await row.locator("[data-last-seen]").textContent(), /^Last seen (\d+ (seconds?|minutes?|hours?) ago|now)$/);
  assert.equal(await row.locator(".fd-bar[data-metric=cpu] .fd-bar-value").textContent(), "12\u00a0%");
  assert.equal(await row.locator(".fd-bar[data-metric=cpu] [role=meter]").getAttribute("aria-valuenow"), "12");
  assert.equal(await row.locator(".fd-bar[data-metric=memory] .fd-bar-value").textContent(), "32\u00a0%");
  assert.equal(await row.locator(".fd-bar[data-metric=storage] .fd-bar-value").textContent(), "9.8\u00a0%");
  assert.equal(await row.locator("[data-metric=temperature] .fd-bar-value").textContent(), "51\u00a0°C");
  assert.match(await row.locator("[data-versions]").textContent(), /^balenaOS 6\.0\.24 · Supervisor [\d.]+ · 192\.168\.1\.42$/);
  const link = row.locator("a[data-dashboard]");
  assert.equal(await link.getAttribute("href"), "https://dashboard.balena-cloud.com/devices/a1b2c3d4e5f60718293a4b5c6d7e8f90");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.equal(await link.getAttribute("rel"), "noopener");
  await row.locator("button.fd-name").click();
  const ev = await page.evaluate(() => window.demo.events.filter((e) => e.type === "hass-more-info").map((e) => e.detail.entityId));
  assert.deepEqual(ev, ["binary_sensor.kiosk_lobby_online"]);

  const off = card(page, "[data-device=wall-display-hq]");
  assert.equal(await off.getAttribute("data-state"), "offline");
  assert.equal(await off.locator("[data-last-seen]").textContent(), "Offline since 2 days ago");
  assert.equal(await off.locator(".fd-bar").count(), 0, "no row of dashes for an offline device");
  assert.equal(await off.locator("[data-reason]").textContent(), "device offline");
  for (const a of ["restart_app", "reboot", "shutdown"]) {
    const b = off.locator(`button[data-action=${a}]`);
    assert.equal(await b.isDisabled(), true, `${a} disabled offline`);
    assert.equal(await b.getAttribute("title"), "device offline");
  }
  assert.equal(await card(page, "[data-device=menu-board-2]").getAttribute("data-state"), "updating");
  await context.close();
});

test("public-URL switches are refreshed with update_entity before their state shows", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS, delay: 2000 });
  const inv = await page.evaluate(() => window.sim.inventory());
  // env-sensor-03 is web-accessible in balenaCloud but its switch only knows after a refresh.
  const sensor3 = card(page, "[data-device=env-sensor-03] [data-public-url]");
  assert.equal(await sensor3.count(), 0, "no state shown before the refresh returned");
  await until(page, `${inShadow("[data-device=env-sensor-03] [data-public-url]")}?.dataset.publicUrl === "on"`);
  const calls = await serviceCalls(page, "homeassistant", "update_entity");
  const targeted = calls.flatMap((c) => c.target.entity_id).sort();
  assert.deepEqual(targeted, inv.balena.devices.map((d) => d.entities.public_url).sort(), "every shown switch, once");
  assert.ok(calls.every((c) => JSON.stringify(c.data) === "{}"));
  await context.close();
});

test("reboot and shutdown ask first and press exactly the device's button; public URL needs no confirmation", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS });
  const row = card(page, "[data-device=kiosk-lobby]");
  const reboot = row.locator("button[data-action=reboot]");
  assert.equal(await reboot.getAttribute("aria-label"), "Reboot kiosk-lobby");
  await reboot.click();
  const dialog = card(page, "[role=alertdialog]");
  assert.equal(await dialog.locator("[data-confirm-item]").allTextContents().then((t) => t.join()), "kiosk-lobby");
  assert.equal(await dialog.locator("button[data-confirm]").textContent(), "Reboot 1");
  assert.deepEqual(await serviceCalls(page, "button", "press"), [], "nothing sent before confirmation");
  await dialog.locator("button[data-confirm]").click();
  await until(page, `${inShadow("[data-result-item=kiosk-lobby]")}?.dataset.outcome === "done"`, null, 15000);
  assert.deepEqual(await serviceCalls(page, "button", "press"), [
    { domain: "button", service: "press", data: {}, target: { entity_id: ["button.kiosk_lobby_reboot_device"] } },
  ]);

  await card(page, "[data-device=kiosk-foyer] button[data-action=shutdown]").click();
  assert.match(await dialog.locator(".fd-warning").textContent(), /physical access/);
  assert.equal(await dialog.locator("[data-confirm-item]").allTextContents().then((t) => t.join()), "kiosk-foyer");
  await dialog.locator("button[data-cancel]").click();
  assert.equal(await dialog.count(), 0);

  // balena logs a failed press and returns, and no entity shows an application restart: the
  // press can only be "sent".
  await card(page, "[data-device=kiosk-foyer] button[data-action=restart_app]").click();
  await dialog.locator("button[data-confirm]").click();
  await until(page, `${inShadow("[data-result-item=kiosk-foyer]")}?.dataset.outcome === "sent"`);

  await card(page, "[data-device=kiosk-foyer] button[data-action=public_url_on]").click();
  assert.equal(await dialog.count(), 0, "no confirmation for the public URL");
  await until(page, `${inShadow("[data-device=kiosk-foyer] [data-public-url]")}?.dataset.publicUrl === "on"`);
  assert.deepEqual(await serviceCalls(page, "switch", "turn_on"), [
    { domain: "switch", service: "turn_on", data: {}, target: { entity_id: ["switch.kiosk_foyer_public_url"] } },
  ]);
  assert.deepEqual((await serviceCalls(page, "button", "press")).map((c) => c.target.entity_id), [
    ["button.kiosk_lobby_reboot_device"], ["button.kiosk_foyer_restart_application"],
  ], "the cancelled shutdown sent nothing");
  await context.close();
});

test("group by status puts devices under offline / updating / online headings", async () => {
  const { page, context } = await openDemo(env, { config: { ...FLEETS, fleets: { group_by: "status" } } });
  const groups = await card(page, "section.fd-group").evaluateAll((els) => els.map((e) => [e.dataset.groupKind, e.dataset.title, e.querySelector("h3").textContent]));
  assert.deepEqual(groups, [["status", "offline", "Offline"], ["status", "updating", "Updating"], ["status", "online", "Online"]]);
  const names = (t) => card(page, `section[data-title=${t}] [data-device]`).evaluateAll((els) => els.map((e) => e.dataset.device).sort());
  assert.deepEqual(await names("offline"), ["env-sensor-05", "wall-display-hq"]);
  assert.deepEqual(await names("updating"), ["menu-board-2"]);
  assert.equal((await names("online")).length, 11);
  // A status group has no whole-fleet checkbox, but selects its devices.
  assert.equal(await card(page, "section[data-title=offline] input[aria-label='Select all in Offline']").count(), 1);
  await context.close();
});

test("1,000 devices: fleets start collapsed, search finds one device, paging shows 25 more at a time", async () => {
  const { page, context, errors } = await openDemo(env, { scenario: "L", config: FLEETS });
  assert.equal(await card(page, "[data-count=devices]").textContent(), "1000");
  assert.equal(await card(page, "section.fd-group").count(), 10);
  assert.equal(await card(page, "section.fd-group button[aria-expanded=true]").count(), 0, "collapsed by default");
  assert.equal(await page.evaluate(countIn("[data-device]")), 0, "no rows rendered while collapsed");
  assert.equal(await card(page, "section[data-title=kiosks-eu] [data-summary=online]").textContent().then((t) => t.endsWith("/100")), true);

  const t0 = Date.now();
  await card(page, "section[data-title=kiosks-eu] h3 button").click();
  await until(page, `${countIn("section[data-title=kiosks-eu] [data-device]")} === 25`);
  assert.ok(Date.now() - t0 < 3000, `expanding took ${Date.now() - t0} ms`);
  assert.equal(await card(page, "section[data-title=kiosks-eu] h3 button").getAttribute("aria-expanded"), "true");
  const more = card(page, "section[data-title=kiosks-eu] button.fd-more");
  assert.equal(await more.textContent(), "Show 75 more");
  await more.click();
  await until(page, `${countIn("section[data-title=kiosks-eu] [data-device]")} === 50`);
  assert.equal(await more.textContent(), "Show 50 more");

  await card(page, "input.fd-search").fill("kiosks-us-042");
  await until(page, `${countIn("[data-device]")} === 1`);
  assert.equal(await card(page, "[data-device]").getAttribute("data-device"), "kiosks-us-042");
  assert.equal(await card(page, "section.fd-group").count(), 1);
  await card(page, "input.fd-search").fill("no-such-device");
  await until(page, `${countIn("[data-device]")} === 0`);
  assert.match(await card(page, ".fd-empty:not([hidden])").textContent(), /no-such-device/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("bulk reboot of a whole fleet: chunks of 50, a failed chunk, a device that never returns times out", async () => {
  const { page, context } = await openDemo(env, { scenario: "L", config: FLEETS });
  const inv = await page.evaluate(() => window.sim.inventory());
  const fleet = inv.balena.devices.filter((d) => d.fleetName === "signage-prod");
  const online = fleet.filter((d) => d.online).sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
  assert.ok(online.length > 50 && online.length < fleet.length, "some offline, more than one chunk online");
  // The selection is planned in uuid order: the last device is in the second chunk.
  const failing = online[online.length - 1];
  const stuck = online[0];
  await page.evaluate(([eid, uuid]) => {
    window.sim.failNext("button", "press", { entityIds: [eid], message: "Supervisor unreachable" });
    window.sim.model.balena.devices.get(uuid).shutdown = true; // goes down, never comes back
  }, [failing.entities.reboot, stuck.uuid]);

  await card(page, "section[data-title=signage-prod] input[aria-label='Select whole fleet signage-prod']").check();
  assert.equal(await card(page, "[data-bulk-bar]").getAttribute("data-selected"), String(fleet.length));
  const bulk = card(page, "button[data-bulk=reboot]");
  assert.equal(await bulk.textContent(), `Reboot ${online.length} of ${fleet.length}`);
  assert.match(await card(page, ".fd-bulk-why").first().textContent(), new RegExp(`^${fleet.length - online.length} not applicable: device offline`));
  await bulk.click();
  const dialog = card(page, "[role=alertdialog]");
  assert.equal(await dialog.locator("[data-confirm-item]").count(), online.length);
  assert.equal(await dialog.locator("button[data-confirm]").textContent(), `Reboot ${online.length}`);
  await dialog.locator("button[data-confirm]").click();

  await until(page, (n) => window.sim.log.filter((e) => e.type === "callService" && e.service === "press" && e.status !== "pending").length === n, 2);
  const calls = await serviceCalls(page, "button", "press");
  assert.deepEqual(calls.map((c) => c.target.entity_id.length), [50, online.length - 50]);
  assert.deepEqual(calls.flatMap((c) => c.target.entity_id).sort(), online.map((d) => d.entities.reboot).sort());
  const outcome = (name) => page.evaluate((sel) => document.querySelector("fleet-deck-card").shadowRoot.querySelector(sel)?.dataset.outcome, `[data-result-item="${name}"]`);
  await until(page, `${countIn("[data-outcome=failed]")} === ${online.length - 50}`);
  assert.match(await card(page, `[data-result-item="${failing.name}"]`).textContent(), /Failed: Supervisor unreachable/);
  // The first chunk reboots and comes back, except the stuck device.
  await until(page, `${countIn("[data-outcome=done]")} === 49`, null, 20000);
  assert.equal(await outcome(stuck.name), "pending");
  // Five minutes later (the reboot timeout) the stuck device times out.
  await page.evaluate(() => { const real = Date.now; Date.now = () => real() + 301_000; });
  await until(page, `${inShadow(`[data-result-item="${stuck.name}"]`)}?.dataset.outcome === "timeout"`, null, 5000);
  assert.match(await card(page, `[data-result-item="${stuck.name}"]`).textContent(), /No state change within 300 s/);
  assert.match(await card(page, ".fd-run-summary").first().textContent(), new RegExp(`^49 done, ${online.length - 49} failed, 0 pending$`));
  await context.close();
});

test("with balena_cloud bulk services registered, bulk restart and reboot use them (no button presses)", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS, bulk: 1 });
  const inv = await page.evaluate(() => window.sim.inventory());
  const uuid = (n) => inv.balena.devices.find((d) => d.name === n).uuid;
  for (const n of ["kiosk-lobby", "kiosk-foyer"]) await card(page, `[data-device=${n}] input[aria-label='Select ${n}']`).check();
  await card(page, "button[data-bulk=restart_app]").click();
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, `${countIn("[data-outcome=sent]")} === 2`);
  assert.deepEqual(await serviceCalls(page, "balena_cloud"), [
    { domain: "balena_cloud", service: "bulk_restart", data: { device_uuids: [uuid("kiosk-foyer"), uuid("kiosk-lobby")].sort() }, target: undefined },
  ]);
  assert.equal(await card(page, "[data-result-item=kiosk-lobby]").textContent(), "kiosk-lobby Sent (not confirmed)");
  assert.deepEqual(await serviceCalls(page, "button", "press"), []);
  await card(page, "button[data-bulk-clear]").click();

  // The whole fleet (its offline device aside) restarts with one restart_fleet call.
  await card(page, "section[data-title=sensors-lab] input[aria-label='Select whole fleet sensors-lab']").check();
  await card(page, "button[data-bulk=restart_app]").click();
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, () => window.sim.log.some((e) => e.service === "restart_fleet" && e.status === "ok"));
  assert.deepEqual((await serviceCalls(page, "balena_cloud")).slice(1), [
    { domain: "balena_cloud", service: "restart_fleet", data: { fleet_id: 2101240 }, target: undefined },
  ]);

  // Bulk reboot goes through bulk_reboot and is still confirmed from the online sensors.
  await card(page, "button[data-bulk-clear]").click();
  for (const n of ["kiosk-lobby", "kiosk-foyer"]) await card(page, `[data-device=${n}] input[aria-label='Select ${n}']`).check();
  await card(page, "button[data-bulk=reboot]").click();
  await card(page, "[role=alertdialog] button[data-confirm]").click();
  await until(page, `${countIn("[data-action=reboot] [data-outcome=done]")} === 2`, null, 15000);
  assert.deepEqual((await serviceCalls(page, "balena_cloud")).slice(2), [
    { domain: "balena_cloud", service: "bulk_reboot", data: { device_uuids: [uuid("kiosk-foyer"), uuid("kiosk-lobby")].sort() }, target: undefined },
  ]);
  assert.deepEqual(await serviceCalls(page, "button", "press"), []);
  await context.close();
});

test("show_empty lists a fleet with no tracked devices (found by its fleet device alone)", async () => {
  const { page, context, errors } = await openDemo(env, { config: { ...FLEETS, fleets: { show_empty: true } } });
  assert.equal(await card(page, "[data-count=fleets]").textContent(), "3");
  const empty = card(page, "section.fd-group[data-group-kind=fleet][data-title=legacy-kiosks]");
  assert.equal(await empty.count(), 1);
  assert.equal(await empty.locator("[data-device]").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("action glyphs avoid characters common fonts lack (media controls, emoji) and tell a row's buttons apart", async () => {
  const glyphs = {};
  const clashes = [];
  for (const params of [{}, FLEETS]) {
    const { page, context } = await openDemo(env, { config: params });
    const seen = await page.evaluate(() => {
      const out = {};
      const clashes = [];
      for (const row of document.querySelector("fleet-deck-card").shadowRoot.querySelectorAll(".fd-actions")) {
        // What a narrow card shows of this row: the buttons its state does not rule out.
        const byGlyph = {};
        for (const b of row.querySelectorAll("button[data-action]")) {
          const g = b.querySelector(".fd-glyph");
          if (!g) continue;
          out[b.dataset.action] = g.textContent;
          if (b.hasAttribute("data-inapplicable")) continue;
          if (byGlyph[g.textContent]) clashes.push(`${byGlyph[g.textContent]} and ${b.getAttribute("aria-label")}: ${g.textContent}`);
          byGlyph[g.textContent] = b.getAttribute("aria-label");
        }
      }
      return { out, clashes };
    });
    Object.assign(glyphs, seen.out);
    clashes.push(...seen.clashes);
    await context.close();
  }
  assert.deepEqual(clashes, [], "two buttons of one row share a glyph");
  for (const a of ["pause", "reboot", "shutdown", "restart_app"]) assert.ok(glyphs[a], `a ${a} button with a glyph is on screen`);
  assert.ok(glyphs.public_url_on || glyphs.public_url_off, "a public URL button is on screen");
  for (const [action, g] of Object.entries(glyphs)) {
    for (const ch of g) {
      const cp = ch.codePointAt(0);
      // U+23E9–U+23FF (⏸ ⏻ ⏼ …) and astral emoji (🌐) drew empty boxes where no symbol font is installed.
      assert.ok(!(cp >= 0x23e9 && cp <= 0x23ff) && cp <= 0xffff, `${action}: U+${cp.toString(16)} needs a symbol font`);
    }
  }
});

test("the fleet tab counts online devices while the containers tab is shown, and follows a device going offline", async () => {
  const { page, context } = await openDemo(env, {});
  const tab = card(page, "[role=tab][data-view=fleets] .fd-tab-count");
  const { inv, states } = await page.evaluate(() => ({ inv: window.sim.inventory(), states: window.sim.hass.states }));
  const devices = inv.balena.devices;
  const online = devices.filter((d) => states[d.entities.online]?.state === "on");
  assert.ok(online.length > 1 && online.length < devices.length, `${online.length} of ${devices.length} online`);
  assert.equal(await tab.textContent(), `${online.length}/${devices.length}`);
  assert.equal(await card(page, "[role=tab][data-view=containers]").getAttribute("aria-selected"), "true");
  await page.evaluate((id) => window.sim.setState(id, "off"), online[0].entities.online);
  await until(page, (want) => document.querySelector("fleet-deck-card").shadowRoot
    .querySelector("[role=tab][data-view=fleets] .fd-tab-count")?.textContent === want, `${online.length - 1}/${devices.length}`);
  await context.close();
});

test("on a phone-width card a device's actions fit one line, and an offline device still shows why they are disabled", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS, width: 360 }, { viewport: { width: 420, height: 900 } });
  const shown = (sel) => shownActions(card(page, sel));
  assert.deepEqual(await shown("[data-device=kiosk-lobby]"),
    { actions: ["restart_app", "reboot", "shutdown", "public_url_on", "public_url_off", "env"], lines: 1 });
  // The editor's button turns into its glyph here; its accessible name keeps the words.
  const envButton = card(page, "[data-device=kiosk-lobby] button[data-action=env]");
  assert.equal(await envButton.getAttribute("aria-label"), "Environment variables kiosk-lobby");
  assert.equal(await envButton.locator(".fd-glyph").isVisible(), true);
  assert.equal(await envButton.locator(".fd-label").isVisible(), false);
  // Offline is news, not a consequence of a state the person chose: the buttons stay, disabled.
  const off = await shown("[data-device=wall-display-hq]");
  assert.deepEqual(off.actions.slice(0, 3), ["restart_app", "reboot", "shutdown"]);
  assert.equal(await card(page, "[data-device=wall-display-hq] button[data-action=reboot]").isDisabled(), true);
  await context.close();
});

test("a fleet's header keeps its chart button on the title's line, on a wide card and a phone", async () => {
  for (const [params, viewport] of [[{ config: FLEETS }, undefined], [{ config: FLEETS, width: 360 }, { width: 420, height: 900 }]]) {
    const { page, context } = await openDemo(env, params, { viewport });
    const head = card(page, "section[data-group-kind=fleet] .fd-group-head").first();
    const mid = (sel) => head.locator(sel).evaluate((e) => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; });
    const [title, chart, summary] = [await mid(".fd-toggle"), await mid("button[data-fleet-chart]"), await mid("[data-fleet-summary]")];
    assert.ok(Math.abs(chart - title) < 4, `chart button centred on the title line (${chart} vs ${title})`);
    assert.ok(summary > chart + 10, "the summary follows on a line of its own");
    await context.close();
  }
});

test("on a 768 px tablet card a device's metric bars keep their width while its actions take a line of their own", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS, width: 768 }, { viewport: { width: 900, height: 900 } });
  const row = card(page, "[data-device=kiosk-lobby]");
  const track = await row.locator("[data-metric=cpu] .fd-bar-track").evaluate((e) => Math.round(e.getBoundingClientRect().width));
  assert.ok(track >= 60, `the CPU bar is drawn, not squeezed away: ${track} px`);
  assert.deepEqual((await shownActions(row)).lines, 1);
  await context.close();
});
