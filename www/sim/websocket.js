// Server side of the websocket API: one-shot commands (callWS) and subscriptions
// (subscribe_entities, history/stream, subscribe_events). Subscriptions keep a Set of their
// entity ids, so emitting a batch of changes costs O(changed × subscriptions).
import { compressState, stateDiff } from "./compress.js";
import { PERIODS, unitConverter } from "./history.js";
import { wsError } from "./services/errors.js";
import { parseTime } from "./util.js";

const ENTITY_ID_RE = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;
const USER_DATA_KEY = "fleet-deck-sim/user-data";
/** Event types a non-admin may subscribe to (subset of HA's SUBSCRIBE_ALLOWLIST). */
const EVENT_ALLOWLIST = new Set(["state_changed", "themes_updated", "core_config_updated", "component_loaded", "panels_updated",
  "area_registry_updated", "device_registry_updated", "entity_registry_updated", "persistent_notifications_updated"]);

const invalidFormat = (msg) => wsError("invalid_format", msg);

function loadUserData(persist) {
  if (!persist) return {};
  try {
    return JSON.parse(globalThis.localStorage?.getItem(USER_DATA_KEY) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

/** Validate history request fields the way `history/websocket_api.py` does. */
function historyRequest(msg, requireIds) {
  const ids = msg.entity_ids;
  if (requireIds && (!Array.isArray(ids) || !ids.length)) throw wsError("invalid_entity_ids", "Invalid entity_ids");
  if (ids != null && (!Array.isArray(ids) || ids.some((id) => typeof id !== "string" || !ENTITY_ID_RE.test(id)))) {
    throw wsError("invalid_entity_ids", "Invalid entity_ids");
  }
  const now = Date.now();
  const start = parseTime(msg.start_time);
  if (typeof msg.start_time !== "string" || !Number.isFinite(start)) throw wsError("invalid_start_time", "Invalid start_time");
  if (start > now) throw wsError("invalid_start_time", "Invalid start_time");
  let end = null;
  if (msg.end_time != null) {
    end = parseTime(msg.end_time);
    if (typeof msg.end_time !== "string" || !Number.isFinite(end)) throw wsError("invalid_end_time", "Invalid end_time");
  }
  return {
    ids: ids ?? [],
    start,
    end,
    opts: {
      minimal: !!msg.minimal_response,
      noAttributes: !!msg.no_attributes,
      significantOnly: msg.significant_changes_only ?? true,
      includeStart: msg.include_start_time_state ?? true,
    },
  };
}

export function createWsServer(w) {
  const userData = loadUserData(w.opts.persistUserData);
  const subscriptions = new Set();

  const persistUserData = () => {
    if (!w.opts.persistUserData) return;
    try {
      globalThis.localStorage?.setItem(USER_DATA_KEY, JSON.stringify(userData));
    } catch { /* storage full or unavailable: memory only */ }
  };

  const commands = {
    ping: () => null,
    get_states: () => Object.values(w.store.states),
    get_services: () => w.services.described,
    get_config: () => w.hass().config,
    "auth/current_user": () => w.hass().user,
    "frontend/get_user_data": (msg) => (msg.key == null ? { value: { ...userData } } : { value: userData[msg.key] ?? null }),
    "frontend/set_user_data": (msg) => {
      if (typeof msg.key !== "string") throw invalidFormat("required key not provided @ data['key']");
      if (!("value" in msg)) throw invalidFormat("required key not provided @ data['value']");
      userData[msg.key] = msg.value;
      persistUserData();
      return null;
    },
    "config/device_registry/list": () => Object.values(w.devices),
    "recorder/statistics_during_period": (msg) => {
      if (!Array.isArray(msg.statistic_ids) || !msg.statistic_ids.length) throw invalidFormat("required key not provided @ data['statistic_ids']");
      if (!PERIODS.includes(msg.period)) throw invalidFormat(`value must be one of ['5minute', 'day', 'hour', 'month', 'week'] for dictionary value @ data['period']`);
      const start = parseTime(msg.start_time);
      if (typeof msg.start_time !== "string" || !Number.isFinite(start)) throw wsError("invalid_start_time", "Invalid start_time");
      const end = msg.end_time != null ? parseTime(msg.end_time) : Date.now();
      if (!Number.isFinite(end)) throw wsError("invalid_end_time", "Invalid end_time");
      const types = msg.types ?? ["change", "last_reset", "max", "mean", "min", "state", "sum"];
      const out = {};
      for (const id of msg.statistic_ids) {
        const meta = w.recorder.statisticsMeta(id);
        if (!meta) continue;
        const rows = w.recorder.statistics(id, start, end, msg.period, types, unitConverter(meta, msg.units));
        if (rows?.length) out[id] = rows;
      }
      return out;
    },
    "recorder/list_statistic_ids": (msg) => {
      const out = [];
      for (const id in w.store.states) {
        const meta = w.recorder.statisticsMeta(id);
        if (!meta) continue;
        if (msg.statistic_type === "mean" && meta.sum) continue;
        if (msg.statistic_type === "sum" && !meta.sum) continue;
        out.push({
          statistic_id: id, display_unit_of_measurement: meta.unit, has_mean: !meta.sum, mean_type: meta.sum ? 0 : 1,
          has_sum: meta.sum, name: null, source: "recorder", statistics_unit_of_measurement: meta.unit,
          unit_class: meta.deviceClass === "data_size" ? "data_size" : meta.deviceClass === "temperature" ? "temperature" : null,
        });
      }
      return out;
    },
    "recorder/get_statistics_metadata": (msg) => commands["recorder/list_statistic_ids"]({})
      .filter((m) => !msg.statistic_ids || msg.statistic_ids.includes(m.statistic_id)),
    "history/history_during_period": (msg) => {
      const req = historyRequest(msg, false);
      const end = req.end ?? Date.now();
      const out = {};
      for (const id of req.ids) {
        const rows = w.recorder.rows(id, req.start, end, req.opts);
        if (rows.length) out[id] = rows;
      }
      return out;
    },
  };

  /** Subscription factories: return `{type, ids, onChanges(changes, cache), initial()}`. */
  const subscriptionTypes = {
    subscribe_entities(msg) {
      if (msg.entity_ids != null && (!Array.isArray(msg.entity_ids) || msg.entity_ids.some((id) => typeof id !== "string"))) {
        throw invalidFormat("expected a list for dictionary value @ data['entity_ids']");
      }
      const ids = msg.entity_ids ? new Set(msg.entity_ids) : null;
      return {
        ids,
        initial() {
          const a = {};
          const states = w.store.states;
          if (ids) {
            for (const id of ids) if (states[id]) a[id] = compressState(states[id]);
          } else {
            for (const id in states) a[id] = compressState(states[id]);
          }
          return [{ a }];
        },
        // HA sends one message per state_changed event: one entity per event.
        onChanges(changes, cache) {
          const events = [];
          for (const ch of changes) {
            if (ids && !ids.has(ch.id)) continue;
            if (!ch.new) events.push({ r: [ch.id] });
            else if (!ch.old) events.push({ a: { [ch.id]: compressState(ch.new) } });
            else events.push({ c: { [ch.id]: cache.diff(ch) } });
          }
          return events;
        },
      };
    },

    "history/stream"(msg) {
      const req = historyRequest(msg, true);
      const ids = new Set(req.ids);
      const now = Date.now();
      const live = req.end == null || req.end > now;
      const end = req.end != null && req.end < now ? req.end : now;
      return {
        ids,
        initial() {
          const states = {};
          let last = req.start;
          for (const id of ids) {
            const rows = w.recorder.rows(id, req.start, end, req.opts);
            if (!rows.length) continue;
            states[id] = rows;
            last = Math.max(last, rows[rows.length - 1].lu * 1000);
          }
          return [{ states, start_time: req.start / 1000, end_time: last / 1000 }];
        },
        onChanges(changes) {
          if (!live) return [];
          let states = null;
          for (const ch of changes) {
            if (!ids.has(ch.id) || !ch.new) continue;
            const attrOnly = ch.old && ch.old.state === ch.new.state;
            if (attrOnly && (req.opts.minimal || req.opts.significantOnly)) continue;
            const row = { s: ch.new.state };
            if (!req.opts.noAttributes && !req.opts.minimal) row.a = ch.new.attributes;
            row.lu = Date.parse(ch.new.last_updated) / 1000;
            if (ch.new.last_changed !== ch.new.last_updated) row.lc = Date.parse(ch.new.last_changed) / 1000;
            ((states ??= {})[ch.id] ??= []).push(row);
          }
          return states ? [{ states }] : [];
        },
      };
    },

    subscribe_events(msg, user) {
      if (!user.is_admin && !EVENT_ALLOWLIST.has(msg.event_type)) throw wsError("unauthorized", "Unauthorized");
      const wants = msg.event_type == null || msg.event_type === "state_changed";
      return {
        ids: null,
        initial: () => [],
        onChanges(changes) {
          if (!wants) return [];
          return changes.map((ch) => ({
            event_type: "state_changed",
            data: { entity_id: ch.id, old_state: ch.old, new_state: ch.new },
            origin: "LOCAL",
            time_fired: ch.new?.last_updated ?? new Date().toISOString(),
            context: ch.new?.context ?? ch.old?.context,
          }));
        },
      };
    },
  };

  // Fan out one store batch to every live subscription; each diff is computed once.
  w.store.onChange((changes) => {
    if (!subscriptions.size) return;
    const diffs = new Map();
    const cache = {
      diff(ch) {
        let d = diffs.get(ch.id);
        if (!d) diffs.set(ch.id, (d = stateDiff(ch.old, ch.new)));
        return d;
      },
    };
    for (const sub of subscriptions) {
      const events = sub.impl.onChanges(changes, cache);
      if (events.length) sub.deliver(events);
    }
  });

  return {
    userData,
    handle(msg, user) {
      const fn = commands[msg?.type];
      if (!fn) throw wsError("unknown_command", "Unknown command.");
      return fn(msg, user);
    },
    isSubscription: (type) => type in subscriptionTypes,
    /**
     * Start a server-side subscription. `deliver(events)` is called asynchronously with the
     * initial events and then with every batch; returns `{id, type, msg, close()}`.
     */
    subscribe(id, msg, user, deliver) {
      // `entitySubscriptions: false` plays a server without subscribe_entities (before 2022.4),
      // so a card has to follow `hass.states`; the benchmark measures that path with it.
      const disabled = msg?.type === "subscribe_entities" && w.opts.entitySubscriptions === false;
      const factory = disabled ? null : subscriptionTypes[msg?.type];
      if (!factory) throw wsError("unknown_command", "Unknown command.");
      const impl = factory(msg, user);
      // As on the server: the snapshot is taken when the subscription is made; changes after
      // that are queued until the initial event has gone out, so none is lost or overtakes it.
      const sub = {
        id, type: msg.type, msg, impl, closed: false, ready: false, queue: impl.initial(),
        entityCount: impl.ids ? impl.ids.size : null,
        deliver(events) {
          if (sub.ready) deliver(events);
          else sub.queue.push(...events);
        },
        close() {
          sub.closed = true;
          subscriptions.delete(sub);
        },
        sendInitial() {
          if (sub.closed || sub.ready) return;
          sub.ready = true;
          const events = sub.queue;
          sub.queue = null;
          if (events.length) deliver(events);
        },
      };
      subscriptions.add(sub);
      return sub;
    },
    list: () => [...subscriptions],
  };
}
