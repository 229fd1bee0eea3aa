// createSimulatedHass(): a Home Assistant frontend `hass` object backed by a simulated server.
// The page assigns every new `sim.hass` to the card, exactly as Lovelace does.
//
// Identity rules (as in the real frontend): every state change yields a new hass object and a
// new `states` object (one shallow copy), new objects only for the changed entities; entities,
// devices, services, user, themes and locale keep their identity until they change.
import { generateScenario } from "./data.js";
import { createRng } from "./prng.js";
import { StateStore } from "./store.js";
import { Recorder } from "./history.js";
import { Tx } from "./services/tx.js";
import { createServiceServer, randomFailure } from "./services/dispatch.js";
import { wsError } from "./services/errors.js";
import { createWsServer } from "./websocket.js";
import { SimConnection } from "./connection.js";
import { driftTick } from "./drift.js";
import { makeFormatters } from "./format.js";
import { ulid } from "./util.js";

const clone = (v) => {
  if (v === undefined) return undefined;
  try {
    return structuredClone(v);
  } catch {
    return JSON.parse(JSON.stringify(v));
  }
};

/**
 * @param {object} [opts]
 * @param {"demo"|"S"|"L"} [opts.scenario="demo"]
 * @param {number|string} [opts.seed=1]
 * @param {number} [opts.now] time anchor of the generated world (default Date.now())
 * @param {number} [opts.totalStates] override the scenario's state count (a floor)
 * @param {number|[number,number]} [opts.delay=[300,1500]] service-call duration in ms
 * @param {number} [opts.wsDelay] websocket round trip for callWS/subscribe (default min(20, delay))
 * @param {number} [opts.failureRate=0] probability that an action fails on its own
 * @param {number} [opts.rebootMs] balena reboot downtime (default 5000, or 10 × delay if given)
 * @param {string} [opts.language="en"] @param {boolean} [opts.darkMode=false]
 * @param {boolean} [opts.admin=true] @param {string} [opts.userName="Alex"]
 * @param {boolean} [opts.balenaBulkServices=false] register the documented-but-missing bulk services
 * @param {boolean} [opts.entitySubscriptions=true] false: no subscribe_entities command (an old
 *   server), so a card must follow `hass.states`
 * @param {boolean} [opts.getEnvironment] register balena_cloud.get_environment (default: = fixedIntegration)
 * @param {boolean} [opts.fixedIntegration=false] balena_cloud services really act; update_environment
 *   stores variables so get_environment returns them
 * @param {boolean} [opts.persistUserData=true] mirror frontend user data to localStorage
 * @param {string} [opts.timeZone="Europe/Berlin"] @param {number} [opts.logLimit=20000]
 */
export function createSimulatedHass(opts = {}) {
  const o = {
    scenario: "demo", seed: 1, failureRate: 0, language: "en", darkMode: false, admin: true, userName: "Alex",
    balenaBulkServices: false, fixedIntegration: false, persistUserData: true,
    timeZone: "Europe/Berlin", logLimit: 20000, ...opts,
  };
  const world = generateScenario(o.scenario, o.seed, { now: o.now, totalStates: o.totalStates });
  const rng = createRng(`runtime:${o.scenario}:${o.seed}`);
  const store = new StateStore(world.states, rng);
  const recorder = new Recorder(world.states, world.summary.now);
  store.onChange((changes) => recorder.record(changes));
  // `young`: names of containers created 30 minutes before the simulation started (their
  // entities have only that much history), as on a fresh install or after a new deploy.
  for (const c of [...world.model.core.containers, ...world.model.link.containers]) {
    if ((o.young || []).includes(c.name)) for (const eid of Object.values(c.e)) if (eid) recorder.born.set(eid, world.summary.now - 30 * 60e3);
  }

  let delay = o.delay ?? [300, 1500];
  let wsDelay = o.wsDelay ?? Math.min(20, Array.isArray(delay) ? delay[0] : delay);
  const maxDelay = () => (Array.isArray(delay) ? delay[1] : delay);
  const timers = new Set();
  let destroyed = false;

  // Domains that have services: every state domain plus the integrations' own domains.
  const domains = new Set(["homeassistant", "persistent_notification"]);
  for (const id in world.states) domains.add(id.slice(0, id.indexOf(".")));
  for (const { domain } of world.model.configEntries.values()) domains.add(domain);

  /** The world the service/websocket simulations operate on. */
  const w = {
    opts: o, store, rng, recorder, model: world.model, entities: world.entities, devices: world.devices, domains,
    flags: {
      balenaBulkServices: !!o.balenaBulkServices,
      getEnvironment: !!(o.getEnvironment ?? o.fixedIntegration),
      fixedIntegration: !!o.fixedIntegration,
    },
    envWrites: [],
    failRules: [],
    get rebootMs() {
      return o.rebootMs ?? (opts.delay != null ? 10 * maxDelay() : 5000);
    },
    delay: () => (Array.isArray(delay) ? delay[0] + rng.next() * (delay[1] - delay[0]) : delay),
    typicalDelay: () => (Array.isArray(delay) ? (delay[0] + delay[1]) / 2 : delay),
    later(ms, fn) {
      if (destroyed) return null;
      const t = setTimeout(() => {
        timers.delete(t);
        if (!destroyed) fn();
      }, Math.max(0, ms));
      timers.add(t);
      return t;
    },
    sleep: (ms) => new Promise((resolve) => w.later(ms, resolve)),
    tx: (call) => new Tx(w, call ? { context: call.context, direct: call.direct } : {}),
    takeFailure(domain, service, targets) {
      const i = w.failRules.findIndex((r) => r.domain === domain && r.service === service &&
        (!r.entityIds || (targets ?? []).some((t) => r.entityIds.includes(t))));
      if (i !== -1) return w.failRules.splice(i, 1)[0];
      if (o.failureRate > 0 && rng.next() < o.failureRate) return { random: true, error: randomFailure(domain) };
      return null;
    },
    hass: () => hass,
  };
  w.services = createServiceServer(w);
  const ws = createWsServer(w);

  // ---- sim.log -------------------------------------------------------------------------
  const log = [];
  let seq = 0;
  const addLog = (type, fields) => {
    const entry = { seq: ++seq, t: Date.now(), type, ...clone(fields), status: "pending" };
    log.push(entry);
    if (log.length > o.logLimit) log.splice(0, log.length - o.logLimit);
    return entry;
  };
  const finish = (entry, status, value) => {
    if (!entry || entry.status !== "pending") return;
    entry.status = status;
    entry.settledAt = Date.now();
    // Results are kept by reference: they can be large (get_states, history) and the
    // simulation never mutates what it has handed out.
    if (status === "ok") entry.result = value;
    else entry.error = clone(value);
  };

  // ---- notifications (what HA shows as a toast when notifyOnError is set) ----------------
  const notifications = [];
  const notificationListeners = new Set();
  const notify = (message) => {
    const n = { t: Date.now(), message };
    notifications.push(n);
    for (const fn of notificationListeners) fn(n);
  };

  // ---- user / locale / theme objects ------------------------------------------------------
  const makeUser = (admin) => ({
    id: "3f1c2b6e9d8a4f7c8e2d1b0a9c8f7e6d", name: o.userName, is_owner: admin, is_admin: admin,
    credentials: [{ auth_provider_type: "homeassistant", auth_provider_id: null }], mfa_modules: [],
  });
  const makeLocale = (language) => ({
    language, number_format: "language", time_format: "language", date_format: "language", first_weekday: "language", time_zone: "local",
  });
  const makeThemes = (dark) => ({ default_theme: "default", default_dark_theme: null, themes: {}, darkMode: dark, theme: "default" });

  const config = {
    latitude: 52.52, longitude: 13.405, elevation: 34, radius: 100,
    unit_system: { length: "km", accumulated_precipitation: "mm", area: "m²", mass: "g", pressure: "Pa", temperature: "°C", volume: "L", wind_speed: "m/s" },
    location_name: "Home", time_zone: o.timeZone, components: [...domains].sort(), config_dir: "/config",
    allowlist_external_dirs: ["/config/www", "/media"], allowlist_external_urls: [], version: "2026.11.0",
    config_source: "storage", recovery_mode: false, safe_mode: false, state: "RUNNING", external_url: null, internal_url: null,
    currency: "EUR", country: "DE", language: "en", debug: false,
  };

  // ---- the hass object ----------------------------------------------------------------------
  // When each subscription type last delivered events to its callbacks (performance.now()):
  // the benchmark times the card from the moment a change reaches it, apart from the
  // simulator's own bookkeeping (which, like HA's frontend, copies the states object).
  const lastDelivery = new Map();
  const conn = new SimConnection({
    ws,
    user: () => hass.user,
    delivered: (type) => lastDelivery.set(type, performance.now()),
    wsDelay: () => wsDelay,
    later: w.later,
    log: addLog,
    finish,
    callService: (req) => w.services.call({ ...req, user: hass.user }),
  });

  const callService = (domain, service, serviceData, target, notifyOnError = true, returnResponse = false) => {
    const entry = addLog("callService", { domain, service, data: serviceData, target, notifyOnError, returnResponse });
    return conn._request(
      () => w.services.call({ domain, service, data: serviceData ?? {}, target, returnResponse, user: hass.user }),
      entry,
    ).catch((err) => {
      if (notifyOnError !== false) {
        const detail = err?.message ?? err?.error?.message ?? String(err);
        notify(`${hass.localize("ui.notification_toast.action_failed", { service: `${domain}/${service}` })} ${detail}`);
      }
      throw err;
    });
  };

  let hass;
  const hassListeners = new Set();
  const setHass = (patch) => {
    hass = { ...hass, ...patch };
    for (const fn of [...hassListeners]) {
      try {
        fn(hass);
      } catch (err) {
        console.error("[sim] hass subscriber failed", err);
      }
    }
  };
  const formatters = (language) => {
    const f = makeFormatters(language);
    return { ...f, formatEntityStateToParts: (s, st) => [{ type: "value", value: f.formatEntityState(s, st) }] };
  };

  hass = {
    auth: { data: { hassUrl: globalThis.location?.origin ?? "http://127.0.0.1", clientId: null, expires: Date.now() + 1800e3 }, accessToken: "simulated" },
    connection: conn,
    connected: true,
    states: store.states,
    entities: world.entities,
    devices: world.devices,
    areas: {},
    floors: {},
    services: w.services.described,
    config,
    themes: makeThemes(!!o.darkMode),
    selectedTheme: { theme: "default", dark: !!o.darkMode },
    panels: {},
    panelUrl: "lovelace",
    language: o.language,
    selectedLanguage: o.language,
    locale: makeLocale(o.language),
    resources: {},
    ...formatters(o.language),
    translationMetadata: { fragments: [], translations: {} },
    suspendWhenHidden: true,
    enableShortcuts: true,
    vibrate: true,
    debugConnection: false,
    dockedSidebar: "docked",
    defaultPanel: "lovelace",
    moreInfoEntityId: null,
    user: makeUser(!!o.admin),
    userData: {},
    systemData: {},
    hassUrl: (path = "") => path,
    callService,
    callWS: (msg) => conn.sendMessagePromise(msg),
    sendWS: (msg) => conn.sendMessage(msg),
    callApi: (method, path) => Promise.reject(wsError("not_supported", `callApi ${method} ${path} is not simulated`)),
    callApiRaw: (method, path) => Promise.reject(wsError("not_supported", `callApiRaw ${method} ${path} is not simulated`)),
    fetchWithAuth: (path) => Promise.reject(wsError("not_supported", `fetchWithAuth ${path} is not simulated`)),
    loadBackendTranslation: async () => hass.localize,
    loadFragmentTranslation: async () => hass.localize,
  };

  // State changes reach the frontend only while the socket is up.
  store.onChange((_changes, states) => {
    if (conn.connected) setHass({ states });
  });

  // ---- drift ---------------------------------------------------------------------------------
  let driftTimer = null;

  // ---- public controller ------------------------------------------------------------------
  let batch = null;
  const write = (writes) => {
    if (batch) batch.push(...writes);
    else store.apply(writes);
  };

  const sim = {
    get hass() {
      return hass;
    },
    /** Called with every new hass object; returns an unsubscribe function. */
    subscribe(fn) {
      hassListeners.add(fn);
      return () => hassListeners.delete(fn);
    },
    log,
    clearLog: () => log.splice(0, log.length),
    /** Log entries filtered by type (and optionally domain/service or message type). */
    calls(type = "callService", filter = {}) {
      return log.filter((e) => e.type === type && Object.entries(filter).every(([k, v]) => (k === "msgType" ? e.msg?.type === v : e[k] === v)));
    },
    notifications,
    onNotification(fn) {
      notificationListeners.add(fn);
      return () => notificationListeners.delete(fn);
    },
    envWrites: w.envWrites,
    /** The generator's model (circular object graph: use inventory() to serialise). */
    model: world.model,
    summary: world.summary,
    /** JSON-safe map of what exists: containers/stacks/devices with their entity ids. */
    inventory() {
      const m = world.model;
      const stateOf = (eid) => (eid ? store.get(eid)?.state ?? null : null);
      return {
        core: {
          endpoints: m.core.endpoints.map((ep) => ({ id: ep.id, name: ep.name, deviceId: ep.deviceId, entities: { ...ep.e } })),
          stacks: m.core.stacks.map((s) => ({
            id: s.id, name: s.name, endpoint: s.endpoint.name, deviceId: s.deviceId, active: stateOf(s.e.switch) === "on",
            containers: s.containers.map((c) => c.name), entities: { ...s.e },
          })),
          containers: m.core.containers.map((c) => ({
            name: c.name, endpoint: c.endpoint.name, stack: c.stack?.name ?? null, project: c.project, deviceId: c.deviceId,
            image: c.image, state: stateOf(c.e.state), health: stateOf(c.e.health), update: stateOf(c.e.update) === "on", entities: { ...c.e },
          })),
        },
        link: {
          stacks: m.link.stacks.map((s) => ({ name: s.name, host: s.host, deviceId: s.deviceId, containers: s.containers.map((c) => c.name), entities: { ...s.e } })),
          containers: m.link.containers.map((c) => ({
            name: c.name, host: c.host, stack: c.stack?.name ?? null, deviceId: c.deviceId, image: c.image,
            state: stateOf(c.e.status), update: stateOf(c.e.update) === "on", entities: { ...c.e },
          })),
        },
        tomaae: {
          containers: m.tomaae.containers.map((c) => ({ name: c.name, endpoint: c.endpoint.name, project: c.project, state: stateOf(c.e.sensor), entity: c.e.sensor })),
        },
        balena: {
          fleets: m.balena.fleets.map((f) => ({ id: f.id, name: f.name, deviceId: f.deviceId, devices: f.devices.map((d) => d.uuid) })),
          devices: [...m.balena.devices.values()].map((d) => ({
            uuid: d.uuid, name: d.name, fleetId: d.fleetId, fleetName: d.fleetName, deviceId: d.deviceId, online: d.online,
            status: d.status, webAccessible: d.webAccessible, env: { ...d.env }, entities: { ...d.e },
          })),
        },
      };
    },
    get connected() {
      return conn.connected;
    },

    /** performance.now() of the last event delivery to subscriptions of `type`, or undefined. */
    lastDelivery(type) {
      return lastDelivery.get(type);
    },
    /** Set state; `attributes` (if given) replace the entity's attributes entirely. */
    setState(entityId, state, attributes) {
      const cur = store.get(entityId);
      if (cur && state === "unavailable" && cur.state !== "unavailable") world.model.saved.set(entityId, { state: cur.state, attributes: cur.attributes });
      if (cur && state !== "unavailable" && cur.state === "unavailable") world.model.saved.delete(entityId);
      write([{ entity_id: entityId, state: String(state), attributes: attributes ?? cur?.attributes ?? {} }]);
      return store.get(entityId);
    },
    /** Merge attributes (a value of `undefined` removes the key). */
    updateAttributes(entityId, attrs) {
      const cur = store.get(entityId);
      if (!cur) throw new Error(`Unknown entity ${entityId}`);
      const next = { ...cur.attributes };
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined) delete next[k];
        else next[k] = v;
      }
      write([{ entity_id: entityId, state: cur.state, attributes: next }]);
      return store.get(entityId);
    },
    removeEntity(entityId) {
      write([{ entity_id: entityId, remove: true }]);
    },
    /** Group several setState/updateAttributes calls into one change (one new hass). */
    batch(fn) {
      const outer = batch;
      batch = outer ?? [];
      try {
        fn(sim);
      } finally {
        if (!outer) {
          const writes = batch;
          batch = null;
          store.apply(writes);
        }
      }
    },

    activeSubscriptions() {
      const list = conn.activeInfos().map((i) => ({
        id: i.id, type: i.msg.type, resubscribe: i.resubscribe, entityIds: i.msg.entity_ids ? [...i.msg.entity_ids] : null, msg: clone(i.msg),
      }));
      const byType = {};
      for (const s of list) byType[s.type] = (byType[s.type] ?? 0) + 1;
      return { total: list.length, byType, list };
    },

    dropConnection() {
      if (!conn.connected) return;
      conn._drop();
      setHass({ connected: false });
    },
    restoreConnection() {
      if (conn.connected) return;
      conn._restore();
      setHass({ connected: true });
      // The entities collection resubscribes: its initial event rebuilds every state object.
      w.later(wsDelay, () => {
        if (!conn.connected) return;
        const fresh = {};
        for (const [id, st] of Object.entries(store.states)) fresh[id] = { ...st, attributes: { ...st.attributes }, context: { ...st.context } };
        setHass({ states: fresh });
      });
    },

    failNext(domain, service, { code = "home_assistant_error", message, entityIds, translation_key } = {}) {
      const error = { code, message: message ?? `Simulated failure of ${domain}.${service}` };
      if (translation_key) error.translation_key = translation_key;
      w.failRules.push({ domain, service, entityIds: entityIds ? [].concat(entityIds) : null, error });
    },
    clearFailures: () => w.failRules.splice(0, w.failRules.length),
    setFailureRate(rate) {
      o.failureRate = rate;
    },

    setDelay(ms, wsMs) {
      delay = ms;
      wsDelay = wsMs ?? Math.min(20, Array.isArray(ms) ? ms[0] : ms);
    },
    setRebootMs(ms) {
      o.rebootMs = ms;
    },

    /** Every `intervalMs`, move `perTick` metric sensors (20 changes/s: startDrift(1000, {perTick: 20})). */
    startDrift(intervalMs = 1000, { perTick = 3 } = {}) {
      sim.stopDrift();
      driftTimer = setInterval(() => driftTick(w, perTick), intervalMs);
    },
    stopDrift() {
      if (driftTimer) clearInterval(driftTimer);
      driftTimer = null;
    },
    /** One drift step now; returns the number of entities that changed. */
    driftOnce: (perTick = 3) => driftTick(w, perTick),

    setLanguage(language) {
      if (language === hass.language) return;
      setHass({ language, selectedLanguage: language, locale: makeLocale(language), ...formatters(language) });
    },
    setDarkMode(dark) {
      if (!!dark === hass.themes.darkMode) return;
      setHass({ themes: makeThemes(!!dark), selectedTheme: { theme: "default", dark: !!dark } });
    },
    setAdmin(admin) {
      if (!!admin === hass.user.is_admin) return;
      setHass({ user: makeUser(!!admin) });
    },
    setBalenaBulkServices(on) {
      w.flags.balenaBulkServices = !!on;
      setHass({ services: w.services.refresh() });
    },
    setGetEnvironment(on) {
      w.flags.getEnvironment = !!on;
      setHass({ services: w.services.refresh() });
    },
    /** The fixed balena integration: services act and (unless told otherwise) get_environment is registered. */
    setFixedIntegration(on, { getEnvironment = !!on } = {}) {
      w.flags.fixedIntegration = !!on;
      w.flags.getEnvironment = !!getEnvironment;
      setHass({ services: w.services.refresh() });
    },
    get flags() {
      return { ...w.flags };
    },

    /** Resolves when no simulated timers (service steps, reboots, health checks) are pending. */
    async idle(timeoutMs = 30000) {
      const until = Date.now() + timeoutMs;
      while (timers.size && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return timers.size === 0;
    },
    /** A ULID context id, handy for tests building their own expectations. */
    newContextId: () => ulid(Date.now(), rng.next),
    destroy() {
      destroyed = true;
      sim.stopDrift();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      hassListeners.clear();
    },
  };
  return sim;
}
