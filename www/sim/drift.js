// Metric drift: each tick moves a few CPU/memory/temperature sensors by a random walk, in the
// granularity the integration reports (core: 2-decimal %, balena: integer % and 3 °C steps).
// One tick = one store batch, so only the touched entities get new objects.
import { renderBalenaDevice } from "./services/actions-balena.js";
import { clamp, fixed } from "./util.js";

const gauss = (rng) => (rng.next() + rng.next() + rng.next() - 1.5) * 1.15;
const isNumeric = (st) => st && st.state !== "" && Number.isFinite(Number(st.state));

function step(w, tx, item) {
  const { kind, ref } = item;
  const rng = w.rng;
  switch (kind) {
    case "core-cpu":
    case "link-cpu": {
      const status = kind === "core-cpu" ? ref.e.state : ref.e.status;
      if (w.store.get(status)?.state !== "running" || !isNumeric(w.store.get(ref.e.cpu))) return false;
      const v = Number(ref.metrics.cpu);
      ref.metrics.cpu = fixed(clamp(v + gauss(rng) * Math.max(0.3, v * 0.2), 0.01, 400), 2);
      tx.set(ref.e.cpu, ref.metrics.cpu);
      return true;
    }
    case "core-mem":
    case "link-mem": {
      const status = kind === "core-mem" ? ref.e.state : ref.e.status;
      if (w.store.get(status)?.state !== "running" || !isNumeric(w.store.get(ref.e.mem))) return false;
      const v = Number(ref.metrics.mem);
      const next = clamp(v + gauss(rng) * Math.max(2, v * 0.03), 1, ref.memLimit);
      ref.metrics.mem = fixed(next, 1);
      tx.set(ref.e.mem, ref.metrics.mem);
      if (kind === "core-mem") {
        ref.metrics.memPct = fixed((next / ref.memLimit) * 100, 2);
        tx.set(ref.e.memPct, ref.metrics.memPct);
      }
      return true;
    }
    case "balena-cpu": {
      if (!ref.online) return false;
      ref.metrics.cpu = clamp(ref.metrics.cpu + (rng.int(1, 6) * (rng.chance(0.5) ? 1 : -1)), 1, 100);
      renderBalenaDevice(tx, ref, ["cpu"]);
      return true;
    }
    case "balena-mem": {
      if (!ref.online) return false;
      const m = ref.metrics;
      const delta = Math.round(gauss(rng) * m.memTotal * 0.01) || 1;
      m.memUsage = clamp(m.memUsage + delta, Math.round(m.memTotal * 0.05), m.memTotal);
      renderBalenaDevice(tx, ref, ["memory"]);
      return true;
    }
    case "balena-temp": {
      if (!ref.online) return false;
      ref.metrics.temp = clamp(ref.metrics.temp + (rng.chance(0.5) ? 3 : -3), 33, 84);
      renderBalenaDevice(tx, ref, ["temperature"]);
      return true;
    }
    default:
      return false;
  }
}

/** Move up to `count` distinct metric entities; returns the number of changed entities. */
export function driftTick(w, count) {
  const pool = w.model.drift;
  if (!pool.length || count <= 0) return 0;
  const tx = w.tx();
  const used = new Set();
  let moved = 0;
  for (let attempts = 0; moved < count && attempts < count * 8; attempts++) {
    const i = Math.floor(w.rng.next() * pool.length);
    if (used.has(i)) continue;
    used.add(i);
    if (step(w, tx, pool[i])) moved++;
  }
  return tx.commit().length;
}
