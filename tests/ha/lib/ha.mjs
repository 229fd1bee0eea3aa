// One Home Assistant server for a test run: a fresh copy of the pristine config in
// tests/ha/run/<id>/config, started directly (so the recorded PID is HA's own), stopped by that
// PID. Tokens come from the REST login flow of the user seeded in config/.storage.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { HA_DIR, REPO } from "./env.mjs";

export const USER = "probe";
export const PASSWORD = "probepass"; // seeded in config/.storage/auth_provider.homeassistant
export const CARD_FILE = process.env.FLEET_DECK_CARD_FILE || path.join(REPO, "dist", "fleet-deck-card.js");
const KEEP_RUNS = 3;

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function pollUntil(fn, { timeout = 30000, interval = 200, what = "condition" } = {}) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeout) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

export class HomeAssistant {
  constructor({ venvPython, ha }) {
    this.venvPython = venvPython;
    this.version = ha;
    this.proc = null;
    this.pid = null;
    this.tokens = null;
  }

  /** Fresh config copy + secrets.yaml (port, cache-busting card URL) + the card in www/. */
  async prepare() {
    if (!fs.existsSync(CARD_FILE)) {
      throw new Error(`${path.relative(REPO, CARD_FILE)} is missing: run \`npm run build\` first`);
    }
    const runs = path.join(HA_DIR, "run");
    fs.mkdirSync(runs, { recursive: true });
    for (const old of fs.readdirSync(runs).sort().slice(0, -(KEEP_RUNS - 1) || undefined)) {
      fs.rmSync(path.join(runs, old), { recursive: true, force: true });
    }
    this.runDir = path.join(runs, `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`);
    this.config = path.join(this.runDir, "config");
    fs.cpSync(path.join(HA_DIR, "config"), this.config, { recursive: true });
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const card = fs.readFileSync(CARD_FILE);
    this.cardHash = createHash("sha256").update(card).digest("hex").slice(0, 12);
    this.cardUrl = `/local/fleet-deck-card.js?v=${this.cardHash}`;
    this.cardBytes = card.length;
    fs.mkdirSync(path.join(this.config, "www"), { recursive: true });
    fs.writeFileSync(path.join(this.config, "www", "fleet-deck-card.js"), card);
    fs.writeFileSync(
      path.join(this.config, "secrets.yaml"),
      `# written by tests/ha/lib/ha.mjs for this run\nha_port: ${this.port}\ncard_url: "${this.cardUrl}"\n`,
    );
    this.logFile = path.join(this.config, "ha.log");
  }

  /** Starts HA and resolves once /manifest.json answers (HTTP up). Returns seconds taken. */
  async start() {
    const t0 = Date.now();
    const out = fs.openSync(path.join(this.runDir, "ha.stdout"), "a");
    this.proc = spawn(this.venvPython, ["-m", "homeassistant", "-c", this.config, "--skip-pip", "--log-file", this.logFile], {
      stdio: ["ignore", out, out],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    fs.closeSync(out);
    this.pid = this.proc.pid;
    fs.writeFileSync(path.join(this.runDir, "ha.pid"), String(this.pid));
    const proc = this.proc;
    this.exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
    await pollUntil(
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw Object.assign(new Error(`Home Assistant exited (${proc.exitCode ?? proc.signalCode}):\n${this.logTail()}`), { fatal: true });
        }
        const r = await fetch(`${this.base}/manifest.json`).catch(() => null);
        return r && r.status === 200;
      },
      { timeout: 120000, interval: 250, what: "Home Assistant's HTTP server (/manifest.json)" },
    ).catch((e) => {
      throw e.fatal ? e : new Error(`${e.message}\n${this.logTail()}`);
    });
    return (Date.now() - t0) / 1000;
  }

  /** Stops HA by its PID: SIGTERM, then SIGKILL after `grace` ms. Safe to call twice. */
  async stop(grace = 20000) {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    try {
      process.kill(this.pid, "SIGTERM");
    } catch {
      return;
    }
    const ac = new AbortController();
    const done = await Promise.race([this.exited, sleep(grace, null, { signal: ac.signal }).catch(() => null)]);
    ac.abort(); // the grace timer must not keep the process alive
    if (!done) {
      try {
        process.kill(this.pid, "SIGKILL");
      } catch {}
      await this.exited;
    }
  }

  /** Synchronous last-resort kill (process 'exit' handler). */
  killNow() {
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(this.pid, "SIGKILL");
      } catch {}
    }
  }

  logTail(n = 40) {
    try {
      return fs.readFileSync(this.logFile, "utf8").split("\n").slice(-n).join("\n");
    } catch {
      return "(no ha.log)";
    }
  }

  /** ERROR lines of ha.log (and tracebacks' first lines). */
  logErrors() {
    try {
      return fs.readFileSync(this.logFile, "utf8").split("\n").filter((l) => / (ERROR|CRITICAL) /.test(l));
    } catch {
      return [];
    }
  }

  /** REST login flow -> access + refresh token (the user is created on this first login). */
  async login() {
    const clientId = `${this.base}/`;
    const post = async (p, body, form = false) => {
      const r = await fetch(this.base + p, {
        method: "POST",
        headers: { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json" },
        body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`POST ${p}: HTTP ${r.status} ${await r.text()}`);
      return r.json();
    };
    const flow = await post("/auth/login_flow", { client_id: clientId, handler: ["homeassistant", null], redirect_uri: `${clientId}?auth_callback=1` });
    const res = await post(`/auth/login_flow/${flow.flow_id}`, { client_id: clientId, username: USER, password: PASSWORD });
    if (res.type !== "create_entry") throw new Error(`login flow: ${JSON.stringify(res)}`);
    const tok = await post("/auth/token", { grant_type: "authorization_code", code: res.result, client_id: clientId }, true);
    this.tokens = { ...tok, client_id: clientId, obtained: Date.now() };
    return this.tokens;
  }

  /** The localStorage `hassTokens` value the frontend reads (reference §5.6). */
  hassTokens() {
    const t = this.tokens;
    return {
      access_token: t.access_token,
      token_type: "Bearer",
      expires_in: t.expires_in,
      refresh_token: t.refresh_token,
      hassUrl: this.base,
      clientId: t.client_id,
      expires: t.obtained + t.expires_in * 1000,
    };
  }

  async api(method, p, body) {
    const r = await fetch(this.base + p, {
      method,
      headers: { Authorization: `Bearer ${this.tokens.access_token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw Object.assign(new Error(`${method} ${p}: HTTP ${r.status} ${text}`), { status: r.status });
    return text ? JSON.parse(text) : null;
  }

  async waitRunning(timeout = 60000) {
    await pollUntil(async () => (await this.api("GET", "/api/config")).state === "RUNNING", { timeout, what: "state RUNNING" });
  }

  async waitEntities(ids, timeout = 60000) {
    await pollUntil(
      async () => {
        const have = new Set((await this.api("GET", "/api/states")).map((s) => s.entity_id));
        return ids.every((id) => have.has(id));
      },
      { timeout, what: `entities ${ids.join(", ")}` },
    );
  }

  async state(entityId) {
    return this.api("GET", `/api/states/${entityId}`);
  }

  async callService(domain, service, data = {}) {
    return this.api("POST", `/api/services/${domain}/${service}`, data);
  }

  async setContainer(integration, name, changes) {
    return this.callService("fleet_deck_test", "set_container", { integration, name, ...changes });
  }

  async setDevice(name, changes) {
    return this.callService("fleet_deck_test", "set_device", { name, ...changes });
  }

  /** The doubles' action log: [{t, domain, action, ...data}], from fleet_deck_actions.json. */
  async actionLog() {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.config, "fleet_deck_actions.json"), "utf8"));
    } catch (e) {
      if (e.code === "ENOENT") return [];
      throw e;
    }
  }

  async clearLog() {
    await this.callService("fleet_deck_test", "clear_log");
    await pollUntil(async () => (await this.actionLog()).length === 0, { timeout: 10000, what: "an empty action log" });
  }
}
