// Home Assistant restarts under a live card: stop HA by its PID, start it again on the same port
// and config; the card must show "reconnecting", then be live again with fresh states and
// exactly one subscribe_entities subscription of its own on the new websocket.
import assert from "node:assert/strict";
import { gotoDashboard, openPage, withHass } from "../lib/browser.mjs";
import { pollUntil } from "../lib/ha.mjs";
import { check, container, screenshot, waitCardReady } from "./card.mjs";
import * as X from "./expected.mjs";

const ROOT = "fleet-deck-card ha-card.fleet-deck";

function describeSubs(subs) {
  return JSON.stringify(subs.all.map((m) => ({ id: m.id, entity_ids: m.entity_ids ? `${m.entity_ids.length} ids` : undefined })));
}

/**
 * On one websocket the frontend holds its own unfiltered `subscribe_entities` (hass.states); the
 * card holds exactly one more, filtered to the entities it shows (`entity_ids`).
 */
function assertOneCardSubscription(frames, when) {
  const subs = frames.activeEntitySubscriptions();
  assert.equal(subs.unfiltered.length, 1, `${when}: the frontend's own subscription only, active: ${describeSubs(subs)}`);
  assert.equal(subs.filtered.length, 1, `${when}: exactly one subscribe_entities of the card (with entity_ids), active: ${describeSubs(subs)}`);
  return subs.filtered[0];
}

export function registerRestartCheck(ctx) {
  check(ctx, "a Home Assistant restart leaves the card live again with exactly one subscribe_entities subscription", async () => {
    const s = await openPage(ctx.browser, ctx.ha);
    ctx.activePage = s.page;
    ctx.closeAfter.push(s.context);
    const { page, frames } = s;
    {
      // a state that differs from the fixture, so the restart's fresh states are visible
      await ctx.ha.setContainer("portainer", "nginx_proxy", { state: "exited" });
      await gotoDashboard(page, ctx.ha, "/lovelace/masonry");
      await waitCardReady(page);
      await pollUntil(async () => (await container(page, "nginx_proxy").getAttribute("data-state")) === "exited", { timeout: 10000, what: "nginx_proxy exited before the restart" });
      const before = assertOneCardSubscription(frames, "before the restart");
      assert.ok(before.entity_ids.includes("switch.nginx_proxy_container") || before.entity_ids.includes("sensor.nginx_proxy_state"), "the card subscribes to the containers' entities");
      const firstSocket = frames.current;

      const errorsBeforeStop = s.errors.length;
      const t0 = Date.now();
      await ctx.ha.stop();
      ctx.timings.restartStop = (Date.now() - t0) / 1000;
      await page.locator(`${ROOT}[data-connection="reconnecting"]`).first().waitFor({ state: "attached", timeout: 30000 });
      const t1 = Date.now();
      ctx.timings.restartStart = await ctx.ha.start();
      await ctx.ha.waitRunning();
      await page.waitForFunction(() => document.querySelector("home-assistant").hass?.connected === true, null, { timeout: 60000 });
      await page.locator(`${ROOT}[data-connection="live"][data-ready="true"]`).first().waitFor({ state: "attached", timeout: 60000 });
      ctx.timings.restartLive = (Date.now() - t1) / 1000;
      const errorsWhileDown = s.errors.length;
      assert.notEqual(frames.current, firstSocket, "the frontend reconnected on a new websocket");

      // the doubles start again from the fixture: the card must show the fresh states
      for (const name of ["nginx_proxy", "immich_server", "grafana", "mosquitto"]) {
        await pollUntil(async () => (await container(page, name).getAttribute("data-state")) === X.CONTAINERS[name].state, { timeout: 20000, what: `${name} ${X.CONTAINERS[name].state} after the restart` });
      }
      // and it is live: a change after the restart reaches the card through the new subscription
      await ctx.ha.setContainer("portainer", "sonarr", { state: "running" });
      await pollUntil(async () => (await container(page, "sonarr").getAttribute("data-state")) === "running", { timeout: 20000, what: "sonarr running (live after the restart)" });
      assert.equal(await withHass(page, (h) => h.states["sensor.sonarr_state"].state), "running");

      const after = assertOneCardSubscription(frames, "after the restart");
      assert.deepEqual([...after.entity_ids].sort(), [...before.entity_ids].sort(), "the same entity set as before the restart");
      await screenshot(page, "after-restart");
      // Page errors: none before the stop and none once live again. While HA is down requests
      // fail (they are listed, not judged); after the reconnect the frontend itself unsubscribes
      // one of its own subscriptions by its id on the old socket ("Subscription not found").
      const down = s.errors.slice(errorsBeforeStop, errorsWhileDown);
      if (down.length) console.log(`# page errors while HA was down: ${JSON.stringify(down)}`);
      const frontendNoise = /"code":"not_found","message":"Subscription not found\."|Failed to fetch dynamically imported module/;
      assert.deepEqual(s.errors.slice(0, errorsBeforeStop), [], "no page errors before the restart");
      assert.deepEqual(s.errors.slice(errorsWhileDown).filter((e) => !frontendNoise.test(e)), [], "no page errors once live again");
    }
  }, 240000);
}
