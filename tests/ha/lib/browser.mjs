// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, logged in by injecting
// `hassTokens` into localStorage before any page script runs. Every page records the frames the
// frontend sends over its websocket(s), so checks can assert the exact `call_service` messages
// and count `subscribe_entities` subscriptions.
import { createRequire } from "node:module";
import path from "node:path";
import { REPO } from "./env.mjs";
import { pollUntil } from "./ha.mjs";

const require = createRequire(path.join(REPO, "package.json"));
const { chromium } = require("playwright-core");

export const CHROMIUM = process.env.FLEET_DECK_CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Websocket frame log of one page: sockets in order of creation, each with its sent frames. */
export class FrameLog {
  constructor(page) {
    this.sockets = [];
    page.on("websocket", (ws) => {
      if (!ws.url().includes("/api/websocket")) return;
      const sock = { url: ws.url(), sent: [], closed: false, opened: Date.now() };
      this.sockets.push(sock);
      ws.on("framesent", ({ payload }) => {
        if (typeof payload !== "string") return;
        let msg;
        try {
          msg = JSON.parse(payload);
        } catch {
          return;
        }
        for (const m of Array.isArray(msg) ? msg : [msg]) sock.sent.push({ at: Date.now(), msg: m });
      });
      ws.on("close", () => {
        sock.closed = true;
      });
    });
  }

  get current() {
    return this.sockets[this.sockets.length - 1];
  }

  /** All sent messages (optionally only those after `since` ms timestamp). */
  sent(since = 0) {
    return this.sockets.flatMap((s) => s.sent.filter((f) => f.at >= since).map((f) => f.msg));
  }

  callsSince(since) {
    return this.sent(since).filter((m) => m.type === "call_service");
  }

  async waitForCall(since, predicate, { timeout = 15000, what = "a call_service frame" } = {}) {
    return pollUntil(() => this.callsSince(since).find(predicate), { timeout, interval: 100, what });
  }

  /**
   * Active subscribe_entities subscriptions on one socket: subscribe frames minus those
   * unsubscribed with `unsubscribe_events`. Split into the frontend's own (no entity_ids) and
   * filtered ones (with entity_ids: a card's).
   */
  activeEntitySubscriptions(sock = this.current) {
    const active = new Map();
    for (const { msg } of sock.sent) {
      if (msg.type === "subscribe_entities") active.set(msg.id, msg);
      if (msg.type === "unsubscribe_events" && active.has(msg.subscription)) active.delete(msg.subscription);
    }
    const all = [...active.values()];
    return { all, filtered: all.filter((m) => Array.isArray(m.entity_ids)), unfiltered: all.filter((m) => !Array.isArray(m.entity_ids)) };
  }
}

/** A fresh context (fresh cache and storage) with tokens injected and console errors collected. */
export async function openPage(browser, ha, { viewport = { width: 1280, height: 1000 } } = {}) {
  const context = await browser.newContext({ viewport, serviceWorkers: "block" });
  await context.addInitScript((tok) => {
    localStorage.setItem("hassTokens", JSON.stringify(tok));
    localStorage.setItem("selectedLanguage", JSON.stringify("en"));
    // Playwright reports a rejection with a non-Error reason as "Object": log the reason itself
    window.addEventListener("unhandledrejection", (ev) => {
      let reason;
      try {
        reason = ev.reason instanceof Error ? `${ev.reason.name}: ${ev.reason.message}` : JSON.stringify(ev.reason);
      } catch {
        reason = String(ev.reason);
      }
      console.warn(`[unhandledrejection] ${reason}`);
    });
  }, ha.hassTokens());
  const page = await context.newPage();
  const frames = new FrameLog(page);
  const errors = [];
  page.on("pageerror", (e) => {
    // a rejection whose reason is no Error arrives as "Object"; the init script logs its reason
    if (e.message !== "Object") errors.push(`pageerror: ${e.message}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text().slice(0, 300)}`);
    if (m.text().startsWith("[unhandledrejection]")) errors.push(m.text().slice(0, 300));
  });
  return { context, page, frames, errors };
}

/** Navigates to a dashboard path and waits until the frontend has its hass object. */
export async function gotoDashboard(page, ha, urlPath) {
  await page.goto(`${ha.base}${urlPath}`, { waitUntil: "domcontentloaded" });
  await page.waitForFunction(() => {
    const h = document.querySelector("home-assistant")?.hass;
    return !!(h && h.connected && h.states && h.services && h.entities && h.devices && Object.keys(h.entities).length > 0);
  }, null, { timeout: 60000 });
}

/** Evaluates `fn(hass, arg)` in the page with the frontend's live hass object. */
export async function withHass(page, fn, arg) {
  return page.evaluate(
    ([src, a]) => {
      const hass = document.querySelector("home-assistant").hass;
      // eslint-disable-next-line no-new-func
      return new Function("hass", "arg", `return (${src})(hass, arg);`)(hass, a);
    },
    [fn.toString(), arg],
  );
}

/** Waits until hass.states[entityId].state (as seen by the frontend's subscription) matches. */
export async function waitForHassState(page, entityId, expected, timeout = 20000) {
  await page.waitForFunction(
    ([id, want]) => {
      const s = document.querySelector("home-assistant").hass.states[id];
      return !!s && (Array.isArray(want) ? want.includes(s.state) : s.state === want);
    },
    [entityId, expected],
    { timeout, polling: 100 },
  ).catch(async (e) => {
    const got = await page.evaluate((id) => document.querySelector("home-assistant").hass.states[id]?.state, entityId);
    throw new Error(`${entityId}: expected ${JSON.stringify(expected)}, still ${JSON.stringify(got)} after ${timeout} ms (${e.message.split("\n")[0]})`);
  });
}
