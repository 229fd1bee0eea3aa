#!/usr/bin/env node
// End-to-end tests of the Fleet Deck card against a real Home Assistant and its real frontend.
//
//   node tests/ha/run.mjs            (needs dist/fleet-deck-card.js: `npm run build` first)
//
// Installs HA from the committed lock (idempotent, cached in ~/.cache/fleet-deck), starts it on
// a free port with a fresh copy of tests/ha/config, logs Chromium in by injecting hassTokens,
// and runs the checks with node:test. HA is killed by its PID however the run ends.
// Environment: FLEET_DECK_HA_VERSION=2024.3.3 forces the Python 3.11 fallback,
// FLEET_DECK_CARD_FILE=<path> tests another build, FLEET_DECK_CACHE=<dir> moves the cache.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, test } from "node:test";
import { launch } from "./lib/browser.mjs";
import { ensureInstalled } from "./lib/env.mjs";
import { HomeAssistant } from "./lib/ha.mjs";
import { ARTIFACTS, registerCardChecks } from "./checks/card.mjs";
import { registerEnvironmentChecks } from "./checks/environment.mjs";
import { registerRestartCheck } from "./checks/restart.mjs";
import * as X from "./checks/expected.mjs";

const T0 = Date.now();
const ctx = { timings: {} };
const secs = (t) => ((Date.now() - t) / 1000).toFixed(1);

// However the run ends: stop HA by its PID. Signals get a graceful stop first.
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  try {
    await ctx.browser?.close();
  } catch {}
  await ctx.ha?.stop(10000).catch(() => ctx.ha?.killNow());
  process.exit(code);
}
process.once("SIGINT", () => shutdown(130));
process.once("SIGTERM", () => shutdown(143));
process.on("exit", () => ctx.ha?.killNow());

/** ERROR lines in ha.log that are expected (and say nothing about the card). */
const EXPECTED_LOG_ERRORS = [
  /\[homeassistant\.components\.camera\.img_util\] Error loading libturbojpeg/, // no libturbojpeg on the machine
];

describe("Fleet Deck on a real Home Assistant", { concurrency: 1 }, () => {
  // Setup is a test of its own, so a failing install or start is counted as a failure (and
  // every later check fails at once with its reason) instead of cancelling the suite. Checks
  // also call ctx.ensureSetup(), so a --test-name-pattern subset works without naming it.
  let setupPromise;
  ctx.ensureSetup = () => (setupPromise ||= setup().catch((e) => {
    ctx.setupError = e.message.split("\n")[0];
    throw e;
  }));
  async function setup() {
    for (const f of fs.existsSync(ARTIFACTS) ? fs.readdirSync(ARTIFACTS) : []) {
      if (/^ha-.*\.png$/.test(f)) fs.rmSync(path.join(ARTIFACTS, f));
    }
    let t = Date.now();
    ctx.env = ensureInstalled();
    ctx.timings.install = Number(secs(t));
    ctx.ha = new HomeAssistant(ctx.env);
    await ctx.ha.prepare();
    t = Date.now();
    ctx.timings.httpUp = await ctx.ha.start();
    await ctx.ha.login();
    await ctx.ha.waitRunning();
    await ctx.ha.waitEntities(X.READY_ENTITIES);
    ctx.timings.haReady = Number(secs(t));
    console.log(`# Home Assistant ${ctx.env.ha} (pid ${ctx.ha.pid}) at ${ctx.ha.base}, config ${ctx.ha.config}`);
    // history for the chart check, recorded before any browser exists
    for (const cpu of X.CHART_VALUES) await ctx.ha.setContainer("portainer", X.CHART_CONTAINER, { cpu });
    await ctx.ha.clearLog();
    t = Date.now();
    ctx.browser = await launch();
    ctx.timings.browser = Number(secs(t));
  }

  test("setup: Home Assistant is installed, started with the doubles, and logged in", { timeout: 600000 }, () => ctx.ensureSetup());

  after(async () => {
    try {
      await ctx.browser?.close();
    } catch {}
    const t = Date.now();
    await ctx.ha?.stop();
    ctx.timings.stop = Number(secs(t));
    ctx.timings.total = Number(secs(T0));
    console.log(`# timings (s): ${JSON.stringify(ctx.timings)}`);
    if (ctx.ha?.runDir) console.log(`# HA log: ${ctx.ha.logFile}`);
  });

  registerEnvironmentChecks(ctx);
  registerCardChecks(ctx);

  test("Home Assistant logged no unexpected errors while the card was in use", async () => {
    await ctx.ensureSetup().catch(() => {
      throw new Error(`setup failed: ${ctx.setupError}`);
    });
    const errors = ctx.ha.logErrors().filter((l) => !EXPECTED_LOG_ERRORS.some((re) => re.test(l)));
    assert.deepEqual(errors, []);
  });

  registerRestartCheck(ctx);
});
