// Checks of the Fleet Deck card inside the real frontend, written against the card's DOM
// contract (tests/ha/README.md). Every action goes through the card's own buttons; the checks
// assert the exact call_service frame the frontend sent, the state change in Home Assistant,
// and the card re-rendering from its websocket subscription. The tests run in order and build
// on each other's state (documented per test).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { gotoDashboard, openPage, waitForHassState, withHass } from "../lib/browser.mjs";
import { REPO } from "../lib/env.mjs";
import { pollUntil } from "../lib/ha.mjs";
import * as X from "./expected.mjs";

export const ARTIFACTS = path.join(REPO, "tests", "artifacts");
const CARD = "fleet-deck-card";
const ROOT = `${CARD} ha-card.fleet-deck`;

/**
 * A check with a timeout that leaves tests/artifacts/ha-failure-<name>.png of the page it was
 * on (ctx.activePage) when it fails.
 */
export function check(ctx, name, fn, timeout = 120000, { needsMasonryCard = false } = {}) {
  test(name, { timeout }, async () => {
    await ctx.ensureSetup().catch(() => {
      throw new Error(`setup failed: ${ctx.setupError}`);
    });
    if (needsMasonryCard && ctx.masonryCardBroken) {
      // fail at once instead of waiting out every timeout on a page whose card never came up
      throw new Error(`the card never became ready in the masonry view: ${ctx.masonryCardBroken}`);
    }
    const closeAfter = (ctx.closeAfter = []); // contexts a check opened, closed after its screenshot
    try {
      await fn();
    } catch (e) {
      const page = ctx.activePage;
      if (page && !page.isClosed()) {
        await screenshot(page, `failure-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 60)}`).catch(() => {});
      }
      throw e;
    } finally {
      for (const c of closeAfter) await c.close().catch(() => {});
    }
  });
}

/**
 * ha-<name>.png: the viewport as a user sees it (HA scrolls inside its own layout, so a
 * full-page shot would be distorted); ha-<name>-card.png: the whole card element.
 */
export async function screenshot(page, name, { card = true } = {}) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `ha-${name}.png`) });
  const el = page.locator(ROOT).first();
  if (card && (await el.count())) {
    await el.screenshot({ path: path.join(ARTIFACTS, `ha-${name}-card.png`), timeout: 10000 }).catch(() => {});
  }
}

/** Entity ids a call_service frame targets (target.entity_id or service_data.entity_id). */
export function callTargets(msg) {
  const ids = [msg.target?.entity_id, msg.service_data?.entity_id].flat().filter(Boolean);
  return new Set(ids);
}

/** Waits until the card is rendered, populated (data-ready) and live. */
export async function waitCardReady(page, timeout = 30000) {
  await page.locator(`${ROOT}[data-ready="true"][data-connection="live"]`).first().waitFor({ state: "attached", timeout });
}

export const container = (page, name) => page.locator(`${CARD} [data-container="${name}"]`).first();
export const device = (page, name) => page.locator(`${CARD} [data-device="${name}"]`).first();

async function attr(locator, name) {
  return locator.getAttribute(name, { timeout: 5000 });
}

/** Waits for the card element's attribute to reach a value (re-rendered from the subscription). */
async function waitAttr(locator, name, want, { timeout = 20000, what } = {}) {
  const wants = Array.isArray(want) ? want : [want];
  let last;
  await pollUntil(async () => wants.includes((last = await locator.getAttribute(name, { timeout: 1000 }).catch(() => undefined))), {
    timeout, interval: 100, what: what ?? `${name}=${wants.join("|")} (last seen ${last})`,
  }).catch((e) => {
    throw new Error(`${e.message}; last ${name}=${last}`);
  });
}

async function countText(page, key) {
  return (await page.locator(`${ROOT} [data-count="${key}"]`).first().textContent({ timeout: 5000 })).trim();
}

async function waitCount(page, key, want, timeout = 20000) {
  let last;
  await pollUntil(async () => (last = await countText(page, key)) === String(want), { timeout, interval: 100, what: `header count ${key}=${want}` })
    .catch((e) => {
      throw new Error(`${e.message}; last ${last}`);
    });
}

/**
 * Clicks a card control that triggers a service call. If the card asks for confirmation first
 * (an alertdialog inside the card), confirms it. Resolves once a call_service frame was sent.
 */
async function clickAction(page, frames, locator, predicate, what) {
  const since = Date.now();
  await locator.click();
  const confirm = page.locator(`${CARD} [role=alertdialog] button[data-confirm]`).first();
  let confirmed = false;
  return pollUntil(async () => {
    const call = frames.callsSince(since).find(predicate);
    if (call) return call;
    if (!confirmed && (await confirm.isVisible().catch(() => false))) {
      await confirm.click();
      confirmed = true;
    }
    return null;
  }, { timeout: 15000, interval: 100, what: `${what}: the call_service frame` }).catch(async (e) => {
    const sent = frames.callsSince(since).map((m) => JSON.stringify(m)).join("\n  ");
    throw new Error(`${e.message}\n  call_service frames sent since the click:\n  ${sent || "(none)"}`);
  });
}

const isCall = (domain, service, entity) => (m) => m.domain === domain && m.service === service && (!entity || callTargets(m).has(entity));

export function registerCardChecks(ctx) {
  let page;
  let frames;
  let errors;

  check(ctx, "the card element is defined and renders inside the real frontend (masonry view)", async () => {
    ({ page, frames, errors } = await openPage(ctx.browser, ctx.ha));
    ctx.activePage = page;
    await gotoDashboard(page, ctx.ha, "/lovelace/masonry");
    try {
      await page.waitForFunction(() => !!customElements.get("fleet-deck-card"), null, { timeout: 15000 });
      await waitCardReady(page);
    } catch (e) {
      ctx.masonryCardBroken = `${e.message.split("\n")[0]}; page errors: ${JSON.stringify(errors).slice(0, 600)}`;
      throw new Error(ctx.masonryCardBroken);
    }
    const chain = await page.evaluate(() => {
      const walk = (root, trail) => {
        for (const el of root.querySelectorAll("*")) {
          if (el.localName === "fleet-deck-card") return [...trail, el.localName];
          if (el.shadowRoot) {
            const r = walk(el.shadowRoot, [...trail, el.localName]);
            if (r) return r;
          }
        }
        return null;
      };
      return walk(document, []);
    });
    assert.deepEqual(chain, ["home-assistant", "home-assistant-main", "ha-panel-lovelace", "hui-root", "hui-masonry-view", "fleet-deck-card"]);
    assert.equal(await page.locator(`${CARD}`).count(), 1);
    assert.equal(await page.locator("hui-error-card").count(), 0, "no error card");
    const card = page.locator(ROOT).first();
    assert.ok(await card.isVisible());
    const box = await card.boundingBox();
    assert.ok(box.width > 300 && box.height > 150, `card has a real size (${JSON.stringify(box)})`);
    await screenshot(page, "masonry");
  });

  check(ctx, "discovery finds exactly the configured stacks and containers of both Portainer integrations", async () => {
    for (const [key, want] of Object.entries(X.HEADER_COUNTS)) {
      if (["devices", "online", "fleets"].includes(key)) continue;
      await waitCount(page, key, want);
    }
    const rows = await page.locator(`${CARD} [data-container]`).evaluateAll((els) =>
      els.map((e) => ({
        name: e.getAttribute("data-container"),
        state: e.getAttribute("data-state"),
        source: e.getAttribute("data-source"),
        group: e.closest("section[data-group-kind]") && {
          kind: e.closest("section[data-group-kind]").getAttribute("data-group-kind"),
          title: e.closest("section[data-group-kind]").getAttribute("data-title"),
        },
      })));
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    assert.deepEqual(rows.map((r) => r.name).sort(), Object.keys(X.CONTAINERS).sort(), "exactly the fixture's containers, each once");
    for (const [name, want] of Object.entries(X.CONTAINERS)) {
      assert.equal(byName[name].state, want.state, `${name} data-state`);
      assert.equal(byName[name].source, want.source, `${name} data-source`);
    }
    for (const [stack, members] of Object.entries({ ...X.CORE_STACKS, ...X.LINK_STACKS })) {
      for (const m of members) assert.deepEqual(byName[m].group, { kind: "stack", title: stack }, `${m} is in stack ${stack}`);
    }
    for (const [ep, members] of Object.entries(X.CORE_STANDALONE)) {
      for (const m of members) assert.deepEqual(byName[m].group, { kind: "standalone", title: ep }, `${m} is standalone on ${ep}`);
    }
    for (const m of X.LINK_STANDALONE) assert.equal(byName[m].group?.kind, "standalone", `${m} is standalone`);
    const stackGroups = await page.locator(`${CARD} section[data-group-kind=stack]`).evaluateAll((els) =>
      els.map((e) => ({ title: e.getAttribute("data-title"), h3: e.querySelector("h3")?.textContent.trim() ?? "", expanded: e.querySelector("[aria-expanded]")?.getAttribute("aria-expanded") })));
    assert.deepEqual(stackGroups.map((g) => g.title).sort(), ["immich", "media", "monitoring"]);
    for (const g of stackGroups) {
      assert.ok(g.h3.includes(g.title), `heading of ${g.title}: ${g.h3}`);
      assert.ok(["true", "false"].includes(g.expanded), `group toggle of ${g.title} has aria-expanded`);
    }
    // accessible controls per row
    assert.equal(await page.locator(`${CARD} [data-container="immich_server"] button[data-action=restart][aria-label="Restart immich_server"]`).count(), 1);
    assert.equal(await page.locator(`${CARD} input[type=checkbox][aria-label="Select immich_server"]`).count(), 1);
    assert.equal(await page.locator(`${CARD} section[data-group-kind][data-title=immich] button[data-action=stack_stop][aria-label="Stop stack immich"]`).count(), 1);
  }, 120000, { needsMasonryCard: true });

  check(ctx, "container rows are laid out readably in a masonry column", async () => {
    const card = await page.locator(ROOT).first().boundingBox();
    const rows = await page.locator(`${CARD} [data-container]`).evaluateAll((els) =>
      els.map((e) => ({ name: e.getAttribute("data-container"), height: Math.round(e.getBoundingClientRect().height), width: Math.round(e.getBoundingClientRect().width) })));
    // a masonry column at 1280 px is about 490 px wide; a row must not squeeze its name into a
    // one-character column (which makes rows several hundred px high)
    const tall = rows.filter((r) => r.height > 160);
    assert.deepEqual(tall, [], `rows taller than 160 px in a ${Math.round(card.width)} px wide card`);
  }, 60000, { needsMasonryCard: true });

  check(ctx, "discovery finds exactly the configured fleets and devices of balena_cloud", async () => {
    await page.locator(`${CARD} [role=tab][data-view=fleets]`).first().click();
    await page.locator(`${CARD} [data-device]`).first().waitFor({ timeout: 10000 });
    for (const key of ["devices", "online", "fleets"]) await waitCount(page, key, X.HEADER_COUNTS[key]);
    const rows = await page.locator(`${CARD} [data-device]`).evaluateAll((els) =>
      els.map((e) => ({ name: e.getAttribute("data-device"), state: e.getAttribute("data-state"), group: e.closest("section[data-group-kind]")?.getAttribute("data-title") ?? null })));
    assert.deepEqual(rows.map((r) => r.name).sort(), Object.keys(X.DEVICES).sort(), "exactly the fixture's devices, each once");
    for (const r of rows) {
      assert.equal(r.state, X.DEVICES[r.name].state, `${r.name} data-state`);
      assert.equal(r.group, X.DEVICES[r.name].fleet, `${r.name} is grouped under its fleet`);
    }
    assert.deepEqual([...new Set(rows.map((r) => r.group))].sort(), Object.keys(X.FLEETS).sort());
    assert.equal(await page.locator(`${CARD} section[data-group-kind][data-title="legacy-test"]`).count(), 0, "the empty legacy-test fleet is not shown");
    await screenshot(page, "fleets");
    await page.locator(`${CARD} [role=tab][data-view=containers]`).first().click();
    await container(page, "nginx_proxy").waitFor({ timeout: 10000 });
  }, 120000, { needsMasonryCard: true });

  check(ctx, "a container stop goes through call_service and the card follows the real state", async () => {
    // core portainer: switch.turn_off on the container switch
    const row = container(page, "nginx_proxy");
    const call = await clickAction(page, frames, row.locator("button[data-action=stop]"), isCall("switch", "turn_off", "switch.nginx_proxy_container"), "stop nginx_proxy");
    assert.deepEqual([...callTargets(call)], ["switch.nginx_proxy_container"]);
    await waitForHassState(page, "sensor.nginx_proxy_state", "exited");
    await waitForHassState(page, "switch.nginx_proxy_container", "off");
    await waitAttr(row, "data-state", "exited");
    // ha_portainer_link: switch.turn_off on "{name} Switch"
    const row2 = container(page, "mosquitto");
    const call2 = await clickAction(page, frames, row2.locator("button[data-action=stop]"), isCall("switch", "turn_off", "switch.mosquitto_switch"), "stop mosquitto");
    assert.deepEqual([...callTargets(call2)], ["switch.mosquitto_switch"]);
    await waitForHassState(page, "sensor.mosquitto_status", "exited");
    await waitAttr(row2, "data-state", "exited");
    await waitCount(page, "running", X.HEADER_COUNTS.running - 2);
    const log = (await ctx.ha.actionLog()).map((e) => `${e.domain}:${e.action}:${e.container ?? ""}`);
    assert.ok(log.includes("portainer:stop_container:nginx_proxy"));
    assert.ok(log.includes("ha_portainer_link:stop_container:mosquitto"));
  }, 120000, { needsMasonryCard: true });

  check(ctx, "a stack stop goes through call_service and every container of the stack stops", async () => {
    // core: the stack switch
    const immich = page.locator(`${CARD} section[data-group-kind=stack][data-title=immich]`).first();
    const call = await clickAction(page, frames, immich.locator("button[data-action=stack_stop]").first(), isCall("switch", "turn_off", "switch.immich_stack"), "stop stack immich");
    assert.deepEqual([...callTargets(call)], ["switch.immich_stack"]);
    await waitForHassState(page, "switch.immich_stack", "off");
    for (const m of X.CORE_STACKS.immich) {
      await waitForHassState(page, `sensor.${m}_state`, "exited");
      await waitAttr(container(page, m), "data-state", "exited", { what: `${m} exited in the card` });
    }
    // ha_portainer_link: button.stack_<s>_stop
    const monitoring = page.locator(`${CARD} section[data-group-kind=stack][data-title=monitoring]`).first();
    const call2 = await clickAction(page, frames, monitoring.locator("button[data-action=stack_stop]").first(), isCall("button", "press", "button.stack_monitoring_stop"), "stop stack monitoring");
    assert.deepEqual([...callTargets(call2)], ["button.stack_monitoring_stop"]);
    for (const m of ["grafana", "prometheus"]) {
      await waitForHassState(page, `sensor.${m}_status`, "exited");
      await waitAttr(container(page, m), "data-state", "exited", { what: `${m} exited in the card` });
    }
    // running now: jellyfin, restic_backup
    await waitCount(page, "running", 2);
    await screenshot(page, "stacks-stopped");
  }, 120000, { needsMasonryCard: true });

  check(ctx, "a bulk restart calls the restart buttons of exactly the selected containers and reports each", async () => {
    const picked = ["jellyfin", "restic_backup", "grafana"];
    const buttons = ["button.jellyfin_restart_container", "button.restic_backup_restart_container", "button.grafana_restart"];
    for (const name of picked) await page.locator(`${CARD} input[type=checkbox][aria-label="Select ${name}"]`).first().check();
    const bar = page.locator(`${CARD} [data-bulk-bar]`).first();
    await bar.waitFor({ timeout: 5000 });
    const since = Date.now();
    await bar.locator("button[data-bulk=restart]").first().click();
    const dialog = page.locator(`${CARD} [role=alertdialog]`).first();
    await dialog.waitFor({ timeout: 5000 });
    assert.equal(frames.callsSince(since).length, 0, "nothing is sent before the confirmation");
    await dialog.locator("button[data-confirm]").first().click();
    await pollUntil(() => buttons.every((b) => frames.callsSince(since).some((m) => m.domain === "button" && m.service === "press" && callTargets(m).has(b))), {
      timeout: 15000, what: "button.press for every selected container",
    });
    const targets = frames.callsSince(since).filter((m) => m.domain === "button" && m.service === "press").flatMap((m) => [...callTargets(m)]);
    assert.deepEqual(targets.sort(), [...buttons].sort(), "only the selected containers' restart buttons, each once");
    await waitForHassState(page, "sensor.jellyfin_restart_count", "1");
    await waitForHassState(page, "sensor.restic_backup_restart_count", "1");
    await waitForHassState(page, "sensor.grafana_status", "running");
    await waitAttr(container(page, "grafana"), "data-state", "running");
    for (const name of picked) {
      await waitAttr(page.locator(`${CARD} [data-result-item="${name}"]`).first(), "data-outcome", ["done", "sent"], { what: `bulk result of ${name}` });
    }
    const log = (await ctx.ha.actionLog()).filter((e) => e.action === "restart_container").map((e) => e.container);
    assert.deepEqual(log.sort(), [...picked].sort());
    await screenshot(page, "bulk-restart");
  }, 120000, { needsMasonryCard: true });

  check(ctx, "a device reboot goes through call_service; the device goes offline and comes back in the card", async () => {
    await page.locator(`${CARD} [role=tab][data-view=fleets]`).first().click();
    const row = device(page, "kiosk-lobby");
    await row.waitFor({ timeout: 10000 });
    const uuid = X.DEVICES["kiosk-lobby"].uuid;
    const call = await clickAction(page, frames, row.locator("button[data-action=reboot]"),
      (m) => (m.domain === "button" && m.service === "press" && callTargets(m).has("button.kiosk_lobby_reboot_device"))
        || (m.domain === "balena_cloud" && m.service === "reboot_device" && m.service_data?.device_uuid === uuid),
      "reboot kiosk-lobby");
    if (call.domain === "balena_cloud") {
      assert.deepEqual(call.service_data, { device_uuid: uuid }, "no confirm/force/target keys (the schema rejects them)");
      assert.equal(call.target, undefined);
    } else {
      assert.deepEqual([...callTargets(call)], ["button.kiosk_lobby_reboot_device"]);
    }
    await waitForHassState(page, "binary_sensor.kiosk_lobby_online", "off");
    await waitAttr(row, "data-state", "offline", { what: "kiosk-lobby offline in the card" });
    assert.equal(await withHass(page, (h) => h.states["sensor.kiosk_lobby_cpu_usage"].state), "unavailable");
    await waitForHassState(page, "binary_sensor.kiosk_lobby_online", "on");
    await waitAttr(row, "data-state", "online", { what: "kiosk-lobby back online in the card" });
    const log = (await ctx.ha.actionLog()).filter((e) => e.action === "reboot_device");
    assert.deepEqual(log.map((e) => e.device_uuid), [uuid], "exactly one reboot, of kiosk-lobby");
  }, 120000, { needsMasonryCard: true });

  check(ctx, "an environment edit reaches balena_cloud.update_environment with the exact payload", async () => {
    const uuid = X.DEVICES["kiosk-foyer"].uuid;
    const row = device(page, "kiosk-foyer");
    await row.locator("button[data-action=env]").first().click();
    const dialog = page.locator(`${CARD} [role=dialog][data-dialog=env]`).first();
    await dialog.waitFor({ timeout: 10000 });
    const names = dialog.locator("input[data-field=name]");
    const before = await names.count();
    await dialog.locator("button[data-env=add]").first().click();
    await pollUntil(async () => (await names.count()) === before + 1, { timeout: 5000, what: "a new variable row" });
    await names.nth(before).fill("KIOSK_URL");
    await dialog.locator("input[data-field=value]").nth(before).fill("https://example.invalid/foyer");
    await dialog.locator("button[data-env=preview]").first().click();
    const since = Date.now();
    const call = await clickAction(page, frames, dialog.locator("button[data-env=apply]").first(), isCall("balena_cloud", "update_environment"), "apply env");
    assert.deepEqual(call.service_data, { device_uuid: uuid, variables: { KIOSK_URL: "https://example.invalid/foyer" } });
    assert.equal(call.target, undefined, "no target: the upstream schema rejects it");
    const received = await pollUntil(async () => {
      const list = (await ctx.ha.actionLog()).filter((e) => e.action === "update_environment");
      return list.length ? list : null;
    }, { timeout: 10000, what: "update_environment in the action log" });
    assert.deepEqual(received.map((e) => e.data), [{ device_uuid: uuid, variables: { KIOSK_URL: "https://example.invalid/foyer" } }]);
    assert.equal(frames.callsSince(since).filter((m) => m.service === "update_environment").length, 1, "sent once");
    await screenshot(page, "env-applied");
  }, 120000, { needsMasonryCard: true });

  check(ctx, "the history chart and the sparkline draw the points the recorder stored", async () => {
    const envDialog = page.locator(`${CARD} [role=dialog][data-dialog=env]`).first();
    if (await envDialog.isVisible().catch(() => false)) {
      await envDialog.press("Escape"); // a modal dialog closes on Escape while focus is inside it
      await envDialog.waitFor({ state: "hidden", timeout: 5000 });
    }
    await page.locator(`${CARD} [role=tab][data-view=containers]`).first().click();
    const row = container(page, X.CHART_CONTAINER);
    await row.waitFor({ timeout: 10000 });
    const recorded = await withHass(page, async (hass, id) => {
      const res = await hass.callWS({
        type: "history/history_during_period", start_time: new Date(Date.now() - 24 * 3600e3).toISOString(),
        entity_ids: [id], minimal_response: true, no_attributes: true, significant_changes_only: false,
      });
      return (res[id] || []).map((s) => s.s);
    }, X.CHART_ENTITY);
    for (const v of X.CHART_VALUES) assert.ok(recorded.some((s) => Number(s) === v), `recorder has ${v} (${recorded.join(",")})`);
    // the row's sparkline (charts load for rows on screen) draws the stored points too
    await row.scrollIntoViewIfNeeded();
    const sparkPaths = row.locator("svg[data-sparkline] path[data-series]");
    let spark = [];
    await pollUntil(async () => {
      spark = await sparkPaths.evaluateAll((els) => els.map((e) => ({ series: e.getAttribute("data-series"), points: Number(e.getAttribute("data-points")) })));
      return spark.some((p) => p.points >= recorded.length);
    }, { timeout: 15000, what: `a sparkline series of ${X.CHART_CONTAINER} with the ${recorded.length} stored points` }).catch((e) => {
      throw new Error(`${e.message}; sparkline series: ${JSON.stringify(spark)}`);
    });
    assert.ok(Math.max(...spark.map((p) => p.points)) <= recorded.length + 2, `no invented sparkline points: ${JSON.stringify(spark)} vs ${recorded.length} stored`);
    await row.locator("button[data-action=chart]").first().click();
    const detail = page.locator(`${CARD} [data-chart-detail]`).first();
    await detail.waitFor({ timeout: 15000 });
    const series = detail.locator("svg path[data-series]");
    await pollUntil(async () => (await series.count()) > 0 && Number(await series.first().getAttribute("data-points")) > 0, { timeout: 15000, what: "a drawn series" });
    const drawn = await series.evaluateAll((els) => els.map((e) => ({ series: e.getAttribute("data-series"), points: Number(e.getAttribute("data-points")), d: (e.getAttribute("d") || "").length })));
    const best = Math.max(...drawn.map((s) => s.points));
    assert.ok(best >= recorded.length, `a series draws every stored point: ${JSON.stringify(drawn)} vs ${recorded.length} stored`);
    assert.ok(best <= recorded.length + 2, `no invented points: ${JSON.stringify(drawn)} vs ${recorded.length} stored`);
    assert.ok(drawn.every((s) => s.d > 0), "each series has a path");
    await screenshot(page, "chart");
  }, 120000, { needsMasonryCard: true });

  check(ctx, "no page errors in the masonry session", async () => {
    assert.deepEqual(errors.filter((e) => !/Failed to load resource.*brands/.test(e)), []);
    await page.context().close();
  }, 120000, { needsMasonryCard: true });

  check(ctx, "the card renders in a sections view", async () => {
    const s = await openPage(ctx.browser, ctx.ha);
    ctx.activePage = s.page;
    ctx.closeAfter.push(s.context);
    {
      await gotoDashboard(s.page, ctx.ha, "/lovelace/sections");
      await waitCardReady(s.page);
      const chain = await s.page.evaluate(() => {
        const walk = (root, trail) => {
          for (const el of root.querySelectorAll("*")) {
            if (el.localName === "fleet-deck-card") return [...trail, el.localName];
            if (el.shadowRoot) {
              const r = walk(el.shadowRoot, [...trail, el.localName]);
              if (r) return r;
            }
          }
          return null;
        };
        return walk(document, []);
      });
      assert.ok(chain.includes("hui-sections-view"), chain.join(" > "));
      assert.equal(await s.page.locator(`${CARD} [data-container]`).count(), Object.keys(X.CONTAINERS).length);
      await waitCount(s.page, "containers", X.HEADER_COUNTS.containers);
      const box = await s.page.locator(ROOT).first().boundingBox();
      assert.ok(box.width > 300 && box.height > 150, `card has a real size in the grid (${JSON.stringify(box)})`);
      await screenshot(s.page, "sections");
    }
  });

  // The editor loads HA's lazily split editor chunks on first use. This check failed twice, back
  // to back, on a cold machine (the cause was not captured; 20 runs after passed); waits of
  // 10–20 s were the likeliest cause, and a longer one costs nothing when the editor is quick.
  const EDITOR_MS = 45000;
  check(ctx, "visual editor round trip: open the card editor, change an option in the form, save", async () => {
    const s = await openPage(ctx.browser, ctx.ha);
    ctx.activePage = s.page;
    ctx.closeAfter.push(s.context);
    {
      await gotoDashboard(s.page, ctx.ha, "/lovelace/masonry");
      const before = "Fleet Deck editor test";
      const after = "Fleet Deck renamed in the editor";
      await withHass(s.page, async (hass, title) => {
        await hass.callWS({ type: "lovelace/dashboards/create", url_path: "fleet-edit", title: "Fleet edit", show_in_sidebar: true });
        await hass.callWS({ type: "lovelace/config/save", url_path: "fleet-edit", config: { title: "Fleet edit", views: [{ title: "Edit", path: "edit", cards: [{ type: "custom:fleet-deck-card", title }] }] } });
      }, before);
      await s.page.goto(`${ctx.ha.base}/fleet-edit/edit?edit=1`, { waitUntil: "domcontentloaded" });
      await waitCardReady(s.page);
      // masonry edit mode wraps each card in hui-card-options, whose first action is "Edit"
      const edit = s.page.locator("hui-card-options").first().locator("mwc-button, ha-button").filter({ hasText: /^\s*edit\s*$/i }).first();
      await edit.waitFor({ state: "attached", timeout: EDITOR_MS }).catch(async (e) => {
        const dump = await s.page.locator("hui-card-options").first().evaluate((el) => el.shadowRoot?.innerHTML.replace(/<!--[^>]*-->/g, "").slice(0, 1500)).catch((x) => String(x));
        throw new Error(`${e.message.split("\n")[0]}; hui-card-options: ${dump}`);
      });
      await edit.scrollIntoViewIfNeeded();
      await edit.click();
      await s.page.locator("hui-dialog-edit-card hui-card-element-editor").waitFor({ timeout: EDITOR_MS });
      const field = await pollUntil(async () => {
        const inputs = s.page.locator("hui-dialog-edit-card hui-card-element-editor input");
        for (let i = 0; i < (await inputs.count()); i++) {
          if ((await inputs.nth(i).inputValue().catch(() => null)) === before) return inputs.nth(i);
        }
        return null;
      }, { timeout: EDITOR_MS, what: "the visual editor's title field (GUI mode)" });
      await field.fill(after);
      // the preview follows the form before saving
      await s.page.locator("hui-dialog-edit-card fleet-deck-card", { hasText: after }).first().waitFor({ timeout: EDITOR_MS });
      await screenshot(s.page, "editor");
      await s.page.locator("hui-dialog-edit-card").getByRole("button", { name: "Save" }).click();
      const saved = await pollUntil(async () => {
        const cfg = await withHass(s.page, (hass) => hass.callWS({ type: "lovelace/config", url_path: "fleet-edit" }));
        return cfg.views[0].cards[0].title === after ? cfg : null;
      }, { timeout: 15000, what: "the saved dashboard config" });
      assert.equal(saved.views[0].cards.length, 1);
      assert.equal(saved.views[0].cards[0].type, "custom:fleet-deck-card");
      await s.page.locator("hui-masonry-view fleet-deck-card", { hasText: after }).first().waitFor({ timeout: 10000 });
      assert.deepEqual(s.errors, []);
    }
  });
}
