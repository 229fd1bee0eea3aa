// eseverson `balena_cloud`: a fleet device `fleet_<id>` without entities, and per balena
// device 13 entities (7 sensor, 2 binary_sensor, 3 button, 1 switch) with the exact attribute
// sets of the integration. The attribute builders are exported so the runtime re-renders them
// identically when a device goes offline, reboots or gets its public URL toggled.
import { isoPy, pyFloat } from "../util.js";

const PLATFORM = "balena_cloud";

/** Metric sensors (and the IP sensor) that go `unavailable` while the device is offline. */
export const OFFLINE_UNAVAILABLE = ["cpu", "memory", "storage", "temperature", "ip"];
export const BUTTON_ROLES = ["restart", "reboot", "shutdown"];

const dropNulls = (o) => {
  for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
  return o;
};

/** `sensor.py` common extra attributes (None values removed). */
function sensorCommon(d) {
  return dropNulls({
    device_uuid: d.uuid, device_name: d.name, device_type: "", fleet_id: d.fleetId, fleet_name: d.fleetName,
    is_online: d.online, os_version: d.osVersion, supervisor_version: d.supervisorVersion,
    ip_address: d.ip, public_address: d.publicIp, mac_address: d.mac,
    last_seen: d.lastSeen != null ? isoPy(d.lastSeen, { micro: true }) : null,
  });
}

/** `binary_sensor.py` common attributes: no fleet_id, is_online or public_address. */
function binaryCommon(d) {
  return dropNulls({
    device_uuid: d.uuid, device_name: d.name, device_type: "", fleet_name: d.fleetName,
    os_version: d.osVersion, supervisor_version: d.supervisorVersion, mac_address: d.mac, ip_address: d.ip,
  });
}

/** Button and switch attributes: None values are NOT filtered here. */
const plainCommon = (d) => ({ device_uuid: d.uuid, device_name: d.name, device_type: "", fleet_name: d.fleetName });

export const isUpdatingStatus = (s) => s === "Updating" || s === "Downloading" || s === "Downloaded";

/** State + extra attributes (+ dynamic icon) of one role while the entity is available. */
export function balenaRender(d, role) {
  const m = d.metrics;
  switch (role) {
    case "cpu": return { state: String(m.cpu), extras: sensorCommon(d) };
    case "memory": return {
      state: pyFloat((m.memUsage / m.memTotal) * 100, 1),
      extras: { ...sensorCommon(d), memory_usage: m.memUsage, memory_total: m.memTotal },
    };
    case "storage": return {
      state: pyFloat((m.storageUsage / m.storageTotal) * 100, 1),
      extras: { ...sensorCommon(d), storage_usage: m.storageUsage, storage_total: m.storageTotal },
    };
    case "temperature": return { state: String(m.temp), extras: sensorCommon(d) };
    case "fleet": return { state: d.fleetName, extras: sensorCommon(d) };
    case "ip": return { state: d.ip ?? "unknown", extras: sensorCommon(d) };
    case "mac": return { state: d.mac ?? "unknown", extras: sensorCommon(d) };
    case "online": return {
      state: d.online ? "on" : "off",
      extras: dropNulls({ ...binaryCommon(d), status: d.status, last_seen: d.lastSeen != null ? isoPy(d.lastSeen, { micro: true }) : null }),
      icon: d.online ? "mdi:check-circle" : "mdi:alert-circle",
    };
    case "updating": return {
      state: isUpdatingStatus(d.status) ? "on" : "off",
      extras: dropNulls({ ...binaryCommon(d), status: d.status, provisioning_progress: d.provisioningProgress ?? null, provisioning_state: d.provisioningState ?? null }),
    };
    case "restart": case "reboot": case "shutdown":
      return { state: d.pressed[role] ?? "unknown", extras: plainCommon(d) };
    case "public_url": {
      const extras = plainCommon(d);
      if (d.cachedUrl) extras.public_url = d.cachedUrl;
      return { state: d.cachedUrl ? "on" : "off", extras };
    }
    default: throw new Error(`unknown balena role ${role}`);
  }
}

const ENTITY_DEFS = [
  // role, domain, Name, unit, device_class, state_class, icon
  ["cpu", "sensor", "CPU Usage", "%", null, "measurement", "mdi:chip"],
  ["memory", "sensor", "Memory Usage", "%", null, "measurement", "mdi:memory"],
  ["storage", "sensor", "Storage Usage", "%", null, "measurement", "mdi:harddisk"],
  ["temperature", "sensor", "Temperature", "°C", "temperature", "measurement", "mdi:thermometer"],
  ["fleet", "sensor", "Fleet", null, null, null, "mdi:server-network"],
  ["ip", "sensor", "IP Address", null, null, null, "mdi:ip-network"],
  ["mac", "sensor", "MAC Address", null, null, null, "mdi:ethernet"],
  ["online", "binary_sensor", "Online", null, "connectivity", null, "mdi:check-circle"],
  ["updating", "binary_sensor", "Updating", null, "update", null, "mdi:update"],
  ["restart", "button", "Restart Application", null, null, null, "mdi:restart"],
  ["reboot", "button", "Reboot Device", null, null, null, "mdi:power-cycle"],
  ["shutdown", "button", "Shutdown Device", null, null, null, "mdi:power-off"],
  ["public_url", "switch", "Public URL", null, null, null, "mdi:web"],
];

const OS_VERSIONS = ["balenaOS 6.0.24", "balenaOS 6.0.24", "balenaOS 6.1.4", "balenaOS 5.3.21"];
const SUPERVISORS = { "balenaOS 6.0.24": "16.7.8", "balenaOS 6.1.4": "17.0.3", "balenaOS 5.3.21": "16.4.6" };
const HW = [
  { memTotal: 3791, storageTotal: 29340 }, // Raspberry Pi 4 4GB, 32 GB card
  { memTotal: 7812, storageTotal: 58960 },
  { memTotal: 1872, storageTotal: 14730 },
  { memTotal: 926, storageTotal: 7280 },
];

export function generateBalena(b, spec) {
  const rng = b.rng.fork(`balena:${spec.account}`);
  const now = b.now;
  const entry = b.configEntry(PLATFORM, `Balena Cloud (${spec.account})`);
  const model = b.model.balena;
  model.entries.push({ entryId: entry, account: spec.account });

  const fleetDevice = (f) => b.device({
    name: f.name, manufacturer: "Balena", model: "", entry, identifiers: [[PLATFORM, `fleet_${f.id}`]],
  });
  // Every accessible fleet becomes a device, also those without tracked devices.
  for (const f of spec.emptyFleets ?? []) model.fleets.push({ id: f.id, name: f.name, deviceId: fleetDevice(f), devices: [] });

  for (const f of spec.fleets) {
    const fleet = { id: f.id, name: f.name, deviceId: fleetDevice(f), devices: [] };
    model.fleets.push(fleet);
    f.devices.forEach((ds, i) => {
      const os = ds.osVersion ?? rng.pick(OS_VERSIONS);
      const hw = ds.memTotal ? { memTotal: ds.memTotal, storageTotal: ds.storageTotal } : rng.pick(HW);
      const online = ds.online !== false;
      const subnet = f.subnet ?? 1;
      const ip = ds.ip ?? (rng.chance(0.1) ? `192.168.${subnet}.${20 + i} 10.8.0.${10 + i}` : `192.168.${subnet}.${20 + i}`);
      const macOne = () => "DC:A6:32:" + [0, 0, 0].map(() => rng.hex(2).toUpperCase()).join(":");
      const d = {
        uuid: ds.uuid ?? rng.hex(32),
        name: ds.name,
        fleetId: f.id,
        fleetName: f.name,
        online,
        status: ds.status ?? "Idle",
        osVersion: os,
        supervisorVersion: SUPERVISORS[os],
        ip,
        publicIp: ds.publicIp ?? `203.0.113.${rng.int(2, 250)}`,
        mac: ds.mac ?? (ip.includes(" ") ? `${macOne()} ${macOne()}` : macOne()),
        lastSeen: online ? now - rng.float(5_000, 60_000) : now - (ds.offlineFor ?? rng.float(3_600_000, 4 * 86_400_000)),
        metrics: {
          cpu: ds.cpu ?? rng.int(2, 45),
          memUsage: ds.memUsage ?? Math.round(hw.memTotal * rng.float(0.15, 0.7)),
          memTotal: hw.memTotal,
          storageUsage: ds.storageUsage ?? Math.round(hw.storageTotal * rng.float(0.05, 0.6)),
          storageTotal: hw.storageTotal,
          temp: ds.temp ?? 3 * rng.int(13, 21),
        },
        // Truth in the cloud vs what the switch shows: the switch only knows a URL it cached.
        webAccessible: !!(ds.webAccessible || ds.publicUrlOn),
        cachedUrl: null,
        pressed: {},
        env: { ...(f.env ?? {}), ...(ds.env ?? {}) },
        e: {},
      };
      if (ds.publicUrlOn) d.cachedUrl = `https://${d.uuid}.balena-devices.com`;
      if (ds.rebootedAgo) d.pressed.reboot = isoPy(now - ds.rebootedAgo, { micro: true });
      // An empty device_name falls back to the uuid (`BalenaDevice.display_name`).
      d.deviceId = b.device({
        name: d.name || d.uuid, manufacturer: "Balena", model: "", sw_version: os, entry,
        identifiers: [[PLATFORM, d.uuid]], via: fleet.deviceId,
        configuration_url: `https://dashboard.balena-cloud.com/devices/${d.uuid}`,
      });
      for (const [role, domain, label, unit, deviceClass, stateClass, icon] of ENTITY_DEFS) {
        const r = balenaRender(d, role);
        const goesOffline = OFFLINE_UNAVAILABLE.includes(role) || BUTTON_ROLES.includes(role);
        d.e[role] = b.entity({
          domain, platform: PLATFORM, deviceId: d.deviceId,
          friendly: `${d.name || d.uuid} ${label}`,
          state: r.state, cap: stateClass ? { state_class: stateClass } : undefined, extras: r.extras,
          unit, deviceClass, icon: r.icon ?? icon,
          available: online || !goesOffline,
          changedAt: online ? d.lastSeen : d.lastSeen + 60_000,
          owner: { type: "balenaDevice", ref: d, role },
        });
      }
      if (online) {
        b.drift(d.e.cpu, { kind: "balena-cpu", ref: d });
        b.drift(d.e.memory, { kind: "balena-mem", ref: d });
        b.drift(d.e.temperature, { kind: "balena-temp", ref: d });
      }
      fleet.devices.push(d);
      model.devices.set(d.uuid, d);
    });
  }
}
