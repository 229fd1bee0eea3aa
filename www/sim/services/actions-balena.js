// balena_cloud: button/switch entity actions (which work) and the integration's own services
// (which, at HEAD, validate and then do nothing — unless the sim plays the fixed integration).
import { balenaRender, BUTTON_ROLES, isUpdatingStatus, OFFLINE_UNAVAILABLE } from "../gen/balena.js";
import { haError, validationError } from "./errors.js";

const RENDERED = ["cpu", "memory", "storage", "temperature", "fleet", "ip", "mac", "online", "updating", "public_url"];

/** Re-render a device's entities from its model and apply offline availability rules. */
export function renderBalenaDevice(tx, d, roles = RENDERED) {
  for (const role of roles) {
    const r = balenaRender(d, role);
    tx.render(d.e[role], r.state, r.extras, r.icon ? { icon: r.icon } : null);
  }
  for (const role of [...OFFLINE_UNAVAILABLE, ...BUTTON_ROLES]) tx.setAvailable(d.e[role], d.online);
}

const publicUrl = (d) => `https://${d.uuid}.balena-devices.com`;

function setOnline(w, d, online) {
  d.online = online;
  if (online) {
    d.lastSeen = Date.now();
    // Fresh boot: busier CPU, a little less memory in use.
    d.metrics.cpu = Math.min(100, d.metrics.cpu + 15);
    d.metrics.memUsage = Math.round(d.metrics.memUsage * 0.9);
  }
  const tx = w.tx();
  renderBalenaDevice(tx, d);
  tx.commit();
}

async function reboot(w, call, d) {
  if (!d.online) throw haError(`Device ${d.name} is offline`);
  await w.sleep(call.d);
  setOnline(w, d, false);
  w.later(w.rebootMs, () => {
    if (!d.shutdown) setOnline(w, d, true);
  });
}

async function shutdown(w, call, d) {
  if (!d.online) throw haError(`Device ${d.name} is offline`);
  await w.sleep(call.d);
  d.shutdown = true;
  setOnline(w, d, false);
}

async function setPublicUrl(w, call, d, on) {
  await w.sleep(call.d);
  d.webAccessible = on;
  d.cachedUrl = on ? publicUrl(d) : null;
  const tx = w.tx(call);
  renderBalenaDevice(tx, d, ["public_url"]);
  tx.commit();
}

/** Entity actions. Button presses themselves never raise in the integration (errors are logged). */
export const balenaEntityActions = {
  "button.press": async (w, call, eid, { ref: d, role }) => {
    if (role === "reboot") return reboot(w, call, d).catch(() => {});
    if (role === "shutdown") return shutdown(w, call, d).catch(() => {});
    return w.sleep(call.d);
  },
  "switch.turn_on": (w, call, eid, { ref: d }) => setPublicUrl(w, call, d, true),
  "switch.turn_off": (w, call, eid, { ref: d }) => setPublicUrl(w, call, d, false),
  "switch.toggle": (w, call, eid, { ref: d }) => setPublicUrl(w, call, d, w.store.get(eid).state !== "on"),
  /** The public-URL switch only learns the cloud's truth through update_entity. */
  "homeassistant.update_entity": async (w, call, eid, { ref: d, role }) => {
    await w.sleep(call.d * 0.5);
    if (role !== "public_url") return;
    d.cachedUrl = d.webAccessible ? publicUrl(d) : null;
    const tx = w.tx(call);
    renderBalenaDevice(tx, d, ["public_url"]);
    tx.commit();
  },
};

function device(w, uuid) {
  const d = w.model.balena.devices.get(uuid);
  if (!d) throw haError(`Device ${uuid} not found`);
  return d;
}

/** Only a fixed integration acts; HEAD logs "No coordinator found" and returns success. */
const fixedOnly = (fn) => async (w, call) => {
  if (!w.flags.fixedIntegration) {
    await w.sleep(call.d * 0.3);
    return undefined;
  }
  return fn(w, call);
};

function devicesFor(w, data) {
  if (data.device_uuids) return data.device_uuids.map((u) => device(w, u));
  if (data.fleet_id != null) {
    const fleet = w.model.balena.fleets.find((f) => String(f.id) === String(data.fleet_id));
    if (!fleet) throw haError(`Fleet ${data.fleet_id} not found`);
    return fleet.devices;
  }
  throw validationError("Either device_uuids or fleet_id is required");
}

export const balenaServices = {
  restart_application: fixedOnly(async (w, call) => {
    const d = device(w, call.data.device_uuid);
    if (!d.online) throw haError(`Device ${d.name} is offline`);
    await w.sleep(call.d);
  }),
  reboot_device: fixedOnly((w, call) => reboot(w, call, device(w, call.data.device_uuid))),
  shutdown_device: fixedOnly((w, call) => shutdown(w, call, device(w, call.data.device_uuid))),
  enable_device_url: fixedOnly((w, call) => setPublicUrl(w, call, device(w, call.data.device_uuid), true)),
  disable_device_url: fixedOnly((w, call) => setPublicUrl(w, call, device(w, call.data.device_uuid), false)),
  /** Records every accepted payload in `sim.envWrites`; stores only when fixed. */
  update_environment: async (w, call) => {
    w.envWrites.push({ t: Date.now(), device_uuid: call.data.device_uuid, variables: structuredClone(call.data.variables), applied: !!w.flags.fixedIntegration });
    if (!w.flags.fixedIntegration) {
      await w.sleep(call.d * 0.3);
      return undefined;
    }
    const d = device(w, call.data.device_uuid);
    await w.sleep(call.d);
    for (const [k, v] of Object.entries(call.data.variables)) {
      if (v === null) delete d.env[k];
      else d.env[k] = String(v);
    }
    return undefined;
  },
  get_environment: async (w, call) => {
    const d = device(w, call.data.device_uuid);
    await w.sleep(call.d * 0.5);
    return { variables: { ...d.env } };
  },
  bulk_restart: async (w, call) => {
    devicesFor(w, call.data);
    await w.sleep(call.d);
  },
  bulk_reboot: async (w, call) => {
    const list = devicesFor(w, call.data).filter((d) => d.online);
    await Promise.all(list.map((d) => reboot(w, call, d)));
  },
  restart_fleet: async (w, call) => {
    devicesFor(w, { fleet_id: call.data.fleet_id });
    await w.sleep(call.d);
  },
  get_fleet_health: async (w, call) => {
    const list = devicesFor(w, { fleet_id: call.data.fleet_id });
    await w.sleep(call.d * 0.3);
    const online = list.filter((d) => d.online).length;
    return {
      fleet_id: Number(call.data.fleet_id), total: list.length, online, offline: list.length - online,
      updating: list.filter((d) => isUpdatingStatus(d.status)).length,
    };
  },
  get_device_url: async (w, call) => {
    const d = device(w, call.data.device_uuid);
    await w.sleep(call.d * 0.3);
    return { url: d.webAccessible ? publicUrl(d) : null };
  },
};
