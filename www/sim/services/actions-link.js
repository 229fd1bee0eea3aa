// `ha_portainer_link` 0.6.0 entity actions: container switch/restart/pull_update/update and the
// stack start/stop/update buttons (stop goes container by container, as the integration does).
import { linkUpdateAttrs } from "../gen/portainer-link.js";
import { haError } from "./errors.js";

export function applyLinkState(tx, c, st, { started = false } = {}) {
  const running = st === "running";
  tx.set(c.e.status, st);
  tx.set(c.e.switch, running ? "on" : "off");
  if (started) c.startedAt = Date.now();
  tx.set(c.e.uptime, running ? (started ? "0m" : tx.get(c.e.uptime).state) : "Not running");
  tx.set(c.e.cpu, running ? c.metrics.cpu : "0.0");
  tx.set(c.e.mem, running ? c.metrics.mem : "0.0");
  c.state = st;
}

/** After a successful pull the digests match and every update indicator clears. */
function finishPull(tx, c) {
  c.checkedAt = Date.now();
  if (c.digest !== c.latestDigest) {
    c.digest = c.latestDigest;
    c.version = c.availableVersion;
    tx.set(c.e.currentDigest, c.digest).set(c.e.currentVersion, c.version);
  }
  tx.set(c.e.updateAvailable, "off");
  tx.render(c.e.update, "off", linkUpdateAttrs(c));
}

const step = async (w, call, frac, fn) => {
  await w.sleep(call.d * frac);
  const tx = w.tx(call);
  fn(tx);
  tx.commit();
};

async function pull(w, call, c) {
  await step(w, call, 0.1, (tx) => tx.unavailable(c.e.pull));
  await step(w, call, 1.5, (tx) => {
    tx.available(c.e.pull);
    finishPull(tx, c);
  });
}

export const linkContainerActions = {
  "switch.turn_on": (w, call, eid, { ref: c }) => step(w, call, 1, (tx) => {
    if (tx.get(c.e.status).state !== "running") applyLinkState(tx, c, "running", { started: true });
  }),
  "switch.turn_off": (w, call, eid, { ref: c }) => step(w, call, 1, (tx) => applyLinkState(tx, c, "exited")),
  "switch.toggle": (w, call, eid, own) =>
    linkContainerActions[w.store.get(eid).state === "on" ? "switch.turn_off" : "switch.turn_on"](w, call, eid, own),
  "button.press": async (w, call, eid, { ref: c, role }) => {
    if (role === "pull") return pull(w, call, c);
    await step(w, call, 0.3, (tx) => applyLinkState(tx, c, "restarting"));
    await step(w, call, 0.7, (tx) => applyLinkState(tx, c, "running", { started: true }));
  },
  "update.install": async (w, call, eid, { ref: c }) => {
    if (w.store.get(eid).state !== "on") throw haError(`No update available for ${eid}`);
    await pull(w, call, c);
  },
};

export const linkStackActions = {
  "button.press": async (w, call, eid, { ref: s, role }) => {
    if (role === "start") {
      return step(w, call, 1, (tx) => s.containers.forEach((c) => {
        if (tx.get(c.e.status).state !== "running") applyLinkState(tx, c, "running", { started: true });
      }));
    }
    if (role === "stop") {
      for (const c of s.containers) {
        if (w.store.get(c.e.status).state === "exited") continue;
        await step(w, call, 1 / s.containers.length, (tx) => applyLinkState(tx, c, "exited"));
      }
      return;
    }
    // update: pull, stop, remove, redeploy.
    await step(w, call, 0.5, (tx) => s.containers.forEach((c) => applyLinkState(tx, c, "exited")));
    await step(w, call, 1, (tx) => s.containers.forEach((c) => {
      applyLinkState(tx, c, "running", { started: true });
      finishPull(tx, c);
    }));
  },
};
