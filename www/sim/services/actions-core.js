// HA core `portainer` entity actions: container switch/buttons/update and stack switch/button.
// Timelines follow Docker: e.g. restart shows `restarting` before `running`, and every
// transition also moves the event entity, buttons' availability and the endpoint counters.
import { coreButtonAvailable, endpointCounts } from "../gen/portainer-core.js";
import { isoPy } from "../util.js";
import { haError } from "./errors.js";

const LIVE = new Set(["running", "paused"]);

/** Write every entity of a core container for a new Docker state. */
export function applyCoreState(tx, c, st, { started = false, event = null } = {}) {
  const e = c.e;
  const now = Date.now();
  tx.set(e.state, st);
  tx.set(e.switch, LIVE.has(st) ? "on" : "off");
  if (e.status) tx.set(e.status, st === "running" ? "on" : "off");
  for (const role of ["restart", "pause", "resume", "kill"]) tx.setAvailable(e[role], coreButtonAvailable(role, st));
  if (st === "running") {
    tx.set(e.cpu, c.metrics.cpu).set(e.mem, c.metrics.mem).set(e.memPct, c.metrics.memPct).set(e.memLimit, c.metrics.memLimit);
  } else if (st === "paused") {
    tx.set(e.cpu, "0.0");
  } else if (st !== "restarting" && st !== "removing") {
    for (const k of ["cpu", "mem", "memPct", "memLimit"]) tx.set(e[k], "unknown");
  }
  if (e.health) {
    if (!LIVE.has(st)) tx.set(e.health, "unknown");
    else if (started) tx.set(e.health, "starting");
  }
  if (started) {
    c.startedAt = now;
    tx.set(e.started, isoPy(now));
  }
  if (event) tx.set(e.event, isoPy(now, { milli: true }), { event_type: event });
  c.state = st;
  const ep = c.endpoint;
  const counts = endpointCounts(ep, (x) => (x === c ? st : tx.get(x.e.state)?.state));
  tx.set(ep.e.count, String(counts.count)).set(ep.e.running, String(counts.running))
    .set(ep.e.stopped, String(counts.stopped)).set(ep.e.paused, String(counts.paused));
}

/** A HEALTHCHECK container reports `starting` first, then settles. */
function settleHealth(w, c) {
  if (!c.e.health) return;
  w.later(Math.max(400, w.typicalDelay()) * 2, () => {
    if (w.store.get(c.e.state)?.state !== "running") return;
    const healthy = c.healthyAfterStart;
    const tx = w.tx();
    tx.set(c.e.health, healthy ? "healthy" : "unhealthy");
    tx.set(c.e.event, isoPy(Date.now(), { milli: true }), { event_type: healthy ? "health_status_healthy" : "health_status_unhealthy" });
    tx.commit();
  });
}

/** Image pulled and container recreated: the update entity is satisfied. */
function finishImageUpdate(tx, c) {
  c.digest = c.latestDigest;
  const v = c.digest.slice(0, 19);
  tx.set(c.e.update, "off", { installed_version: v, latest_version: v, in_progress: false, update_percentage: null });
}

const step = async (w, call, frac, fn) => {
  await w.sleep(call.d * frac);
  const tx = w.tx(call);
  fn(tx);
  tx.commit();
};

async function start(w, call, c) {
  await step(w, call, 1, (tx) => applyCoreState(tx, c, "running", { started: true, event: "start" }));
  settleHealth(w, c);
}

async function recreate(w, call, c, { pull = true } = {}) {
  await step(w, call, 0.3, (tx) => applyCoreState(tx, c, "removing"));
  await step(w, call, 0.7, (tx) => {
    applyCoreState(tx, c, "running", { started: true, event: "start" });
    if (pull && c.digest !== c.latestDigest) finishImageUpdate(tx, c);
  });
  settleHealth(w, c);
}

export const coreContainerActions = {
  "switch.turn_on": (w, call, eid, { ref: c }) => (w.store.get(c.e.state).state === "running" ? w.sleep(call.d * 0.3) : start(w, call, c)),
  "switch.turn_off": (w, call, eid, { ref: c }) => step(w, call, 1, (tx) => applyCoreState(tx, c, "exited", { event: "stop" })),
  "switch.toggle": (w, call, eid, own) =>
    coreContainerActions[w.store.get(eid).state === "on" ? "switch.turn_off" : "switch.turn_on"](w, call, eid, own),
  "button.press": async (w, call, eid, { ref: c, role }) => {
    switch (role) {
      case "restart":
        await step(w, call, 0.3, (tx) => applyCoreState(tx, c, "restarting"));
        await step(w, call, 0.7, (tx) => applyCoreState(tx, c, "running", { started: true, event: "restart" }));
        settleHealth(w, c);
        return;
      case "pause": return step(w, call, 1, (tx) => applyCoreState(tx, c, "paused", { event: "pause" }));
      case "resume": return step(w, call, 1, (tx) => applyCoreState(tx, c, "running", { event: "unpause" }));
      case "kill": return step(w, call, 1, (tx) => applyCoreState(tx, c, "exited", { event: "kill" }));
      case "recreate": return recreate(w, call, c);
      default: return w.sleep(call.d * 0.3);
    }
  },
  /** Pull with progress 0–90 %, then recreate; blocking until done, like `update.install`. */
  "update.install": async (w, call, eid, { ref: c }) => {
    if (w.store.get(eid).state !== "on") throw haError(`No update available for ${eid}`);
    await step(w, call, 0.1, (tx) => tx.set(eid, "on", { in_progress: true, update_percentage: 0 }));
    for (const pct of [12, 31, 54, 78, 90]) await step(w, call, 0.25, (tx) => tx.set(eid, "on", { update_percentage: pct }));
    await recreate(w, call, c, { pull: true });
  },
  "update.skip": (w, call, eid) => step(w, call, 0.2, (tx) => {
    const st = tx.get(eid);
    if (st.state === "on") tx.set(eid, "off", { skipped_version: st.attributes.latest_version });
  }),
  "update.clear_skipped": (w, call, eid) => step(w, call, 0.2, (tx) => {
    const st = tx.get(eid);
    if (st.attributes.skipped_version) tx.set(eid, "on", { skipped_version: null });
  }),
};

function setStackActive(tx, stack, active) {
  tx.set(stack.e.switch, active ? "on" : "off").set(stack.e.status, active ? "on" : "off");
}

export const coreStackActions = {
  "switch.turn_on": async (w, call, eid, { ref: s }) => {
    await step(w, call, 1, (tx) => {
      setStackActive(tx, s, true);
      for (const c of s.containers) {
        if (tx.get(c.e.state).state !== "running") applyCoreState(tx, c, "running", { started: true, event: "start" });
      }
    });
    s.containers.forEach((c) => settleHealth(w, c));
  },
  "switch.turn_off": (w, call, eid, { ref: s }) => step(w, call, 1, (tx) => {
    setStackActive(tx, s, false);
    for (const c of s.containers) {
      if (tx.get(c.e.state).state !== "exited") applyCoreState(tx, c, "exited", { event: "stop" });
    }
  }),
  "switch.toggle": (w, call, eid, own) =>
    coreStackActions[w.store.get(eid).state === "on" ? "switch.turn_off" : "switch.turn_on"](w, call, eid, own),
  /** `update_stack`: redeploy with pulled images. */
  "button.press": async (w, call, eid, { ref: s }) => {
    await step(w, call, 0.3, (tx) => s.containers.forEach((c) => applyCoreState(tx, c, "restarting")));
    await step(w, call, 0.7, (tx) => {
      setStackActive(tx, s, true);
      for (const c of s.containers) {
        applyCoreState(tx, c, "running", { started: true, event: "start" });
        if (c.digest !== c.latestDigest) finishImageUpdate(tx, c);
      }
    });
    s.containers.forEach((c) => settleHealth(w, c));
  },
};

/** `portainer.recreate_container` (admin-only service, targets a container *device*). */
export async function coreRecreateService(w, call) {
  const c = w.model.core.containers.find((x) => x.deviceId === call.data.container_device_id);
  if (!c) throw haError(`Container device ${call.data.container_device_id} not found`);
  await recreate(w, call, c, { pull: !!call.data.pull_image });
}
