// `ha_portainer_link` 0.6.0: one config entry per Portainer endpoint, no has_entity_name, full
// names ("immich_server Status"), and every container of a compose project puts ALL of its
// entities on the shared stack device "Stack: immich (192.168.1.10)".
import { fillContainer, imageTag } from "./containers.js";
import { fixed, isoPy, linkUptime } from "../util.js";

const PLATFORM = "ha_portainer_link";

/** `host` as the integration shows it: an IP stays, a hostname shrinks to its first label. */
export function linkHost(baseUrl) {
  const host = new URL(baseUrl).hostname;
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : host.split(".")[0];
}

/** current_version: the tag unless `latest`, else the OCI version label, else the image date. */
function currentVersion(c) {
  const tag = imageTag(c.image);
  if (tag !== "latest") return tag;
  if (c.versionLabel) return c.versionLabel;
  return new Date(c.startedAt - 9 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, ".");
}

/** The update entity's state attributes (0.6.0 `update.py` + its extra_state_attributes). */
export function linkUpdateAttrs(c) {
  const update = c.digest !== c.latestDigest;
  return {
    auto_update: false,
    installed_version: update ? c.digest : c.version,
    latest_version: update ? c.latestDigest : c.version,
    in_progress: false,
    release_summary: `Current digest: ${c.digest}; available digest: ${c.latestDigest}`,
    skipped_version: null,
    title: null,
    supported_features: 1,
    current_digest: c.digest,
    available_digest: c.latestDigest,
    last_checked: isoPy(c.checkedAt, { milli: true }),
    detection_method: "digest",
    update_reason: update ? "digest_changed" : "digest_matches",
  };
}

export function generateLink(b, spec) {
  const rng = b.rng.fork(`link:${spec.baseUrl}:${spec.endpointId}`);
  const now = b.now;
  const host = linkHost(spec.baseUrl);
  const hostKey = host.replace(/[^A-Za-z0-9]/g, "_");
  const entry = b.configEntry(PLATFORM, `${host} (endpoint ${spec.endpointId})`);
  const model = b.model.link;
  model.entries.push({ entryId: entry, host, baseUrl: spec.baseUrl, endpointId: spec.endpointId });
  const ent = (deviceId, owner, domain, friendly, o) =>
    b.entity({ domain, platform: PLATFORM, deviceId, friendly, owner, ...o });

  const addContainer = (cSpec, stack) => {
    const c = fillContainer(rng, cSpec, now);
    c.version = currentVersion(c);
    c.availableVersion = c.update ? (c.versionLabel ? c.versionLabel : c.version) : c.version;
    Object.assign(c, { kind: "link", host, stack, e: {} });
    c.deviceId = stack
      ? stack.deviceId
      : b.device({
        name: `${c.name} (${host})`, model: "Docker Container", manufacturer: "Docker via Portainer", entry,
        identifiers: [[PLATFORM, `${entry}_${spec.endpointId}_${hostKey}_container_${c.name}`]],
        configuration_url: `${spec.baseUrl}/#!/containers/${c.containerId}/details`,
      });
    const running = c.state === "running";
    const e = (domain, label, role, o) =>
      ent(c.deviceId, { type: "linkContainer", ref: c, role }, domain, `${c.name} ${label}`, o);
    c.metrics = { cpu: fixed(c.cpu, 2), mem: fixed(c.mem, 1) };
    c.e.status = e("sensor", "Status", "status", { state: c.state, icon: "mdi:docker" });
    c.e.image = e("sensor", "Image", "image", { state: c.image, icon: "mdi:docker" });
    c.e.cpu = e("sensor", "CPU Usage", "cpu", {
      state: running ? c.metrics.cpu : "0.0", unit: "%", icon: "mdi:cpu-64-bit", changedAt: now - rng.float(0, 300_000),
    });
    c.e.mem = e("sensor", "Memory Usage", "mem", {
      state: running ? c.metrics.mem : "0.0", unit: "MB", icon: "mdi:memory", changedAt: now - rng.float(0, 300_000),
    });
    c.e.uptime = e("sensor", "Uptime", "uptime", {
      state: running ? linkUptime(now - c.startedAt) : "Not running", icon: "mdi:clock-outline",
    });
    c.e.currentVersion = e("sensor", "Current Version", "current_version", { state: c.version, icon: "mdi:tag-text" });
    c.e.availableVersion = e("sensor", "Available Version", "available_version", { state: c.availableVersion, icon: "mdi:tag-arrow-up" });
    c.e.currentDigest = e("sensor", "Current Digest", "current_digest", { state: c.digest, icon: "mdi:fingerprint" });
    c.e.availableDigest = e("sensor", "Available Digest", "available_digest", { state: c.latestDigest, icon: "mdi:fingerprint" });
    c.e.switch = e("switch", "Switch", "switch", { state: running ? "on" : "off", icon: "mdi:power" });
    c.e.restart = e("button", "Restart", "restart", { state: "unknown", icon: "mdi:restart" });
    c.e.pull = e("button", "Pull Update", "pull", { state: "unknown", icon: "mdi:download" });
    c.e.updateAvailable = e("binary_sensor", "Update Available", "update_available", {
      state: c.update ? "on" : "off", icon: "mdi:update",
    });
    c.e.update = e("update", "Update", "update", {
      state: c.update ? "on" : "off", extras: linkUpdateAttrs(c), category: "diagnostic", changedAt: c.checkedAt,
    });
    if (running) {
      b.drift(c.e.cpu, { kind: "link-cpu", ref: c });
      b.drift(c.e.mem, { kind: "link-mem", ref: c });
    }
    model.containers.push(c);
    return c;
  };

  for (const sSpec of spec.stacks ?? []) {
    const deviceId = b.device({
      name: `Stack: ${sSpec.name} (${host})`, model: "Docker Stack", manufacturer: "Docker via Portainer", entry,
      identifiers: [[PLATFORM, `${entry}_${spec.endpointId}_${hostKey}_stack_${sSpec.name}`]],
      configuration_url: `${spec.baseUrl}/#!/stacks/${sSpec.name}`,
    });
    const stack = { kind: "link", name: sSpec.name, host, deviceId, containers: [], e: {} };
    model.stacks.push(stack);
    for (const cs of sSpec.containers) stack.containers.push(addContainer({ project: sSpec.name, ...cs }, stack));
    const owner = (role) => ({ type: "linkStack", ref: stack, role });
    stack.e.start = ent(deviceId, owner("start"), "button", `Stack: ${sSpec.name} Start`, { state: "unknown", icon: "mdi:play-circle" });
    stack.e.stop = ent(deviceId, owner("stop"), "button", `Stack: ${sSpec.name} Stop`, { state: "unknown", icon: "mdi:stop-circle" });
    stack.e.update = ent(deviceId, owner("update"), "button", `Stack: ${sSpec.name} Update`, { state: "unknown", icon: "mdi:update" });
  }
  for (const cs of spec.standalone ?? []) addContainer(cs, null);
}
