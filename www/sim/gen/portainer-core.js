// HA core `portainer` (2026.11): Server → Endpoint → (Stack → Container) | Container | Volume.
// Every entity has has_entity_name + a translation_key and NO extra attributes; the entity_id
// is slug(device name + English entity name), so same-named devices get `_2` suffixes.
import { fillContainer, RUNNING_LIKE } from "./containers.js";
import { DAY, HOUR, fixed, isoPy, MINUTE } from "../util.js";

const PLATFORM = "portainer";
export const STATE_OPTIONS = ["created", "restarting", "running", "removing", "paused", "exited", "dead"];
export const HEALTH_OPTIONS = ["healthy", "unhealthy", "starting"];
export const EVENT_TYPES = [
  "die", "kill", "oom", "pause", "restart", "start", "stop", "unpause", "update",
  "health_status_healthy", "health_status_unhealthy", "health_status_starting",
];
export const STACK_TYPE_OPTIONS = ["swarm", "compose", "kubernetes"];
export const UPDATE_PICTURE = "/api/brands/integration/portainer/icon.png";

/** Button availability rules of core 2026.11 (`available_fn` per button key). */
export function coreButtonAvailable(role, state) {
  switch (role) {
    case "restart": return state !== "paused";
    case "pause": return state === "running";
    case "resume": return state === "paused";
    case "kill": return state === "running" || state === "paused";
    default: return true;
  }
}

const shortDigest = (d) => d.slice(0, 19); // "sha256:" + 12 hex

export function generateCorePortainer(b, spec) {
  const rng = b.rng.fork(`core:${spec.url}`);
  const now = b.now;
  const entry = b.configEntry(PLATFORM, spec.url);
  const model = b.model.core;
  model.entries.push({ entryId: entry, url: spec.url });

  // Helper: one has_entity_name entity on a device.
  const ent = (deviceName, deviceId, domain, tk, name, o) =>
    b.entity({
      domain, platform: PLATFORM, deviceId, tk, regName: name, hasEntityName: true,
      friendly: `${deviceName} ${name}`, ...o,
    });

  // Server device (2026.11) carries only the Portainer server update entity.
  const serverId = b.device({
    name: spec.url, model: "Server", manufacturer: "Portainer", entry, entry_type: "service",
    identifiers: [[PLATFORM, entry]], configuration_url: spec.url,
  });
  const installedServer = spec.serverVersion ?? "2.33.2";
  const latestServer = spec.latestServerVersion ?? installedServer;
  ent(spec.url, serverId, "update", "server_update", "Update", {
    state: installedServer === latestServer ? "off" : "on",
    extras: {
      auto_update: false, display_precision: 0, installed_version: installedServer, in_progress: false,
      latest_version: latestServer, release_summary: null,
      release_url: `https://github.com/portainer/portainer/releases/tag/${latestServer}`,
      skipped_version: null, title: "Portainer", update_percentage: null,
    },
    entityPicture: UPDATE_PICTURE, supportedFeatures: 0,
  });

  for (const epSpec of spec.endpoints) {
    const epId = epSpec.id;
    const endpointDev = b.device({
      name: epSpec.name, model: "Endpoint", manufacturer: "Portainer", entry, subentry: `sub_${epId}`,
      entry_type: "service", identifiers: [[PLATFORM, `${entry}_${epId}`]],
      configuration_url: `${spec.url}#!/${epId}/docker/dashboard`,
    });
    const ep = { id: epId, name: epSpec.name, deviceId: endpointDev, entryId: entry, url: spec.url, containers: [], e: {} };
    model.endpoints.push(ep);
    const epEnt = (domain, tk, name, o) => ent(epSpec.name, endpointDev, domain, tk, name, { owner: { type: "coreEndpoint", ref: ep, role: tk }, ...o });

    ep.e.status = epEnt("binary_sensor", "status", "Status", { state: "on", deviceClass: "running", category: "diagnostic" });
    const countSensor = (tk, name) =>
      epEnt("sensor", tk, name, { state: "0", cap: { state_class: "measurement" }, category: "diagnostic", updatedAt: now - rng.float(0, MINUTE) });
    ep.e.count = countSensor("containers_count", "Container count");
    ep.e.running = countSensor("containers_running", "Running containers");
    ep.e.stopped = countSensor("containers_stopped", "Stopped containers");
    ep.e.paused = countSensor("containers_paused", "Paused containers");
    ep.e.images = epEnt("sensor", "images_count", "Image count", {
      state: String(rng.int(20, 90)), cap: { state_class: "measurement" }, category: "diagnostic",
    });
    const df = (tk, name, gb) =>
      epEnt("sensor", tk, name, { state: fixed(gb, 2), cap: { state_class: "measurement" }, unit: "GB", deviceClass: "data_size", category: "diagnostic" });
    df("container_disk_usage_reclaimable", "Container disk usage reclaimable", rng.float(0, 2));
    df("container_disk_usage_total_size", "Container disk usage total size", rng.float(1, 12));
    df("image_disk_usage_reclaimable", "Image disk usage reclaimable", rng.float(1, 20));
    df("image_disk_usage_total_size", "Image disk usage total size", rng.float(10, 80));
    df("volume_disk_usage_total_size", "Volume disk usage total size", rng.float(5, 400));
    for (const [tk, name] of [["images_prune", "Prune unused images"], ["volumes_prune", "Prune unused volumes"],
      ["build_cache_prune", "Prune build cache"], ["networks_prune", "Prune unused networks"]]) {
      epEnt("button", tk, name, { state: "unknown", category: "config" });
    }

    const addContainer = (cSpec, stack) => {
      const c = fillContainer(rng, cSpec, now);
      const devId = b.device({
        name: c.name, model: "Container", manufacturer: "Portainer", entry, subentry: `sub_${epId}`,
        entry_type: "service", identifiers: [[PLATFORM, `${entry}_${epId}_${c.name}`]],
        via: stack ? stack.deviceId : endpointDev,
        configuration_url: `${spec.url}#!/${epId}/docker/containers/${c.containerId}`,
      });
      Object.assign(c, { kind: "core", deviceId: devId, endpoint: ep, stack, e: {} });
      const cEnt = (domain, tk, name, role, o) => ent(c.name, devId, domain, tk, name, { owner: { type: "coreContainer", ref: c, role }, ...o });
      const running = c.state === "running";
      const live = RUNNING_LIKE.has(c.state);
      const startedIso = isoPy(c.startedAt);
      const metricsAt = now - rng.float(0, MINUTE);

      c.e.switch = cEnt("switch", "container", "Container", "switch", {
        state: live ? "on" : "off", deviceClass: "switch", changedAt: c.finishedAt ?? c.startedAt,
      });
      c.e.state = cEnt("sensor", "container_state", "State", "state", {
        state: c.state, cap: { options: STATE_OPTIONS }, deviceClass: "enum", changedAt: c.finishedAt ?? c.startedAt,
      });
      c.e.image = cEnt("sensor", "image", "Image", "image", { state: c.image });
      if (c.versionLabel) c.e.imageVersion = cEnt("sensor", "image_version", "Image version", "image_version", { state: c.versionLabel });
      if (c.createdLabel) {
        c.e.imageCreated = cEnt("sensor", "image_created", "Image created", "image_created", {
          state: c.createdLabel, deviceClass: "timestamp", category: "diagnostic",
        });
      }
      if (c.health) {
        c.e.health = cEnt("sensor", "container_health_state", "Health", "health", {
          state: live ? c.health : "unknown", cap: { options: HEALTH_OPTIONS }, deviceClass: "enum", category: "diagnostic",
        });
      }
      c.e.started = cEnt("sensor", "container_started_at", "Started", "started", {
        state: startedIso, deviceClass: "timestamp", category: "diagnostic", changedAt: c.startedAt,
      });
      c.e.restartCount = cEnt("sensor", "container_restart_count", "Restart count", "restart_count", {
        state: String(c.restarts), cap: { state_class: "total_increasing" }, category: "diagnostic",
      });
      c.metrics = {
        cpu: fixed(c.cpu, 2),
        mem: fixed(c.mem, 1),
        memPct: fixed((c.mem / c.memLimit) * 100, 2),
        memLimit: fixed(c.memLimit, 1),
      };
      const metric = (tk, name, role, value, o) =>
        cEnt("sensor", tk, name, role, {
          state: live ? value : "unknown", cap: { state_class: "measurement" }, category: "diagnostic",
          changedAt: metricsAt, ...o,
        });
      c.e.cpu = metric("cpu_usage_total", "CPU usage total", "cpu", c.state === "paused" ? "0.0" : c.metrics.cpu, { unit: "%" });
      c.e.mem = metric("memory_usage", "Memory usage", "mem", c.metrics.mem, { unit: "MB", deviceClass: "data_size" });
      c.e.memPct = metric("memory_usage_percentage", "Memory usage percentage", "mem_pct", c.metrics.memPct, { unit: "%" });
      c.e.memLimit = cEnt("sensor", "memory_limit", "Memory limit", "mem_limit", {
        state: live ? c.metrics.memLimit : "unknown", unit: "MB", deviceClass: "data_size", category: "diagnostic",
      });
      if (running) {
        b.drift(c.e.cpu, { kind: "core-cpu", ref: c });
        b.drift(c.e.mem, { kind: "core-mem", ref: c });
      }
      // 2026.10+: the status binary sensor only exists if the container ran when discovered.
      if (running) {
        c.e.status = cEnt("binary_sensor", "status", "Status", "status", {
          state: "on", deviceClass: "running", category: "diagnostic", changedAt: c.startedAt,
        });
      }
      c.e.oom = cEnt("binary_sensor", "container_out_of_memory", "Out of memory", "oom", {
        state: "off", deviceClass: "problem", category: "diagnostic",
      });
      const button = (tk, name, role, o) => {
        const pressed = rng.chance(0.12) ? isoPy(now - rng.float(HOUR, 30 * DAY), { micro: true }) : "unknown";
        return cEnt("button", tk, name, role, {
          state: pressed, category: "config", available: coreButtonAvailable(role, c.state), ...o,
        });
      };
      c.e.restart = button("restart_container", "Restart container", "restart", { deviceClass: "restart" });
      c.e.pause = button("pause_container", "Pause container", "pause");
      c.e.resume = button("resume_container", "Resume container", "resume");
      c.e.recreate = button("recreate_container", "Recreate container", "recreate");
      c.e.kill = button("kill_container", "Kill container", "kill");
      c.e.update = cEnt("update", "container_image_update", "Image update available", "update", {
        state: c.update ? "on" : "off",
        extras: {
          auto_update: false, display_precision: 0, installed_version: shortDigest(c.digest), in_progress: false,
          latest_version: shortDigest(c.latestDigest), release_summary: null, release_url: null,
          skipped_version: null, title: c.name, update_percentage: null,
        },
        entityPicture: UPDATE_PICTURE, supportedFeatures: 5, category: "config", changedAt: c.checkedAt,
      });
      const lastEvent = c.finishedAt ?? c.startedAt;
      c.e.event = cEnt("event", "docker_event", "Docker event", "event", {
        state: isoPy(lastEvent, { milli: true }),
        cap: { event_types: EVENT_TYPES },
        extras: { event_type: c.state === "exited" ? "die" : c.state === "paused" ? "pause" : "start" },
        category: "diagnostic", changedAt: lastEvent,
      });
      ep.containers.push(c);
      model.containers.push(c);
      return c;
    };

    for (const sSpec of epSpec.stacks ?? []) {
      const stackDev = b.device({
        name: sSpec.name, model: "Stack", manufacturer: "Portainer", entry, subentry: `sub_${epId}`,
        identifiers: [[PLATFORM, `${entry}_${epId}_stack_${sSpec.id}`]], via: endpointDev,
        configuration_url: `${spec.url}#!/${epId}/docker/stacks/${sSpec.name}`,
      });
      const active = sSpec.active !== false;
      const stack = { kind: "core", id: sSpec.id, name: sSpec.name, deviceId: stackDev, endpoint: ep, containers: [], e: {}, type: sSpec.type ?? "compose" };
      const sEnt = (domain, tk, name, role, o) => ent(sSpec.name, stackDev, domain, tk, name, { owner: { type: "coreStack", ref: stack, role }, ...o });
      stack.e.switch = sEnt("switch", "stack", "Stack", "switch", { state: active ? "on" : "off", deviceClass: "switch" });
      stack.e.status = sEnt("binary_sensor", "status", "Status", "status", { state: active ? "on" : "off", deviceClass: "running", category: "diagnostic" });
      stack.e.type = sEnt("sensor", "stack_type", "Type", "type", { state: stack.type, cap: { options: STACK_TYPE_OPTIONS }, deviceClass: "enum", category: "diagnostic" });
      stack.e.count = sEnt("sensor", "stack_containers_count", "Containers", "count", {
        state: String(sSpec.containers.length), cap: { state_class: "measurement" }, unit: "containers", category: "diagnostic",
      });
      if (stack.type !== "kubernetes") {
        stack.e.update = sEnt("button", "update_stack", "Update stack", "update", { state: "unknown", deviceClass: "update", category: "config" });
      }
      model.stacks.push(stack);
      for (const cs of sSpec.containers) stack.containers.push(addContainer({ project: sSpec.name, ...cs }, stack));
    }
    // Standalone containers and compose projects Portainer does not manage hang off the endpoint.
    for (const cs of epSpec.standalone ?? []) addContainer(cs, null);

    for (const vol of epSpec.volumes ?? []) {
      const volDev = b.device({
        name: vol, model: "Volume", manufacturer: "Portainer", entry, subentry: `sub_${epId}`,
        identifiers: [[PLATFORM, `${entry}_${epId}_volume_${vol}`]], via: endpointDev,
        configuration_url: `${spec.url}#!/${epId}/docker/volumes/${vol}`,
      });
      ent(vol, volDev, "sensor", "volume_driver", "Driver", { state: "local", category: "diagnostic" });
      ent(vol, volDev, "sensor", "volume_size", "Size", {
        state: fixed(rng.float(0.01, 40), 2), unit: "GiB", deviceClass: "data_size", category: "diagnostic",
      });
    }

    // Endpoint counters reflect the generated containers.
    const counts = endpointCounts(ep);
    for (const k of ["count", "running", "stopped", "paused"]) b.states[ep.e[k]].state = String(counts[k]);
  }
}

/** Container counters as the endpoint sensors report them. */
export function endpointCounts(ep, stateOf = (c) => c.state) {
  let running = 0, stopped = 0, paused = 0;
  for (const c of ep.containers) {
    const s = stateOf(c);
    if (s === "running") running++;
    else if (s === "paused") paused++;
    else if (s === "exited" || s === "created" || s === "dead") stopped++;
  }
  return { count: ep.containers.length, running, stopped, paused };
}
