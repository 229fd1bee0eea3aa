// The recorder: history rows and long-term statistics. Before the simulation started (t0) the
// past is synthesised from a deterministic per-entity signal that ends exactly at the entity's
// initial value; from t0 on, every real state change is recorded. Both history and statistics
// read the same timeline, so charts drawn from either agree.
import { hashString, hashUnit } from "./prng.js";
import { clamp, DAY, HOUR, MINUTE } from "./util.js";

const FIVE_MIN = 5 * MINUTE;
const MAX_SYNTH_POINTS = 600;
const MAX_RECORDED_PER_ENTITY = 5000;

const numeric = (s) => (s !== "" && s != null && Number.isFinite(Number(s)) ? Number(s) : NaN);
const decimalsOf = (s) => (String(s).includes(".") ? String(s).split(".")[1].length : 0);

export class Recorder {
  constructor(initialStates, t0) {
    this.initial = initialStates;
    this.t0 = t0;
    this.recorded = new Map(); // eid -> [state objects] (immutable, so references suffice)
    this.signals = new Map();
    // eid -> epoch ms it came into being (a container created shortly before the simulation
    // started): no history and no statistics before that.
    this.born = new Map();
  }

  /** Store listener: O(changed). */
  record(changes) {
    for (const ch of changes) {
      let rows = this.recorded.get(ch.id);
      if (!rows) this.recorded.set(ch.id, (rows = []));
      rows.push(ch.new ?? { entity_id: ch.id, state: null, removed: true, last_updated: new Date().toISOString(), last_changed: new Date().toISOString(), attributes: {} });
      if (rows.length > MAX_RECORDED_PER_ENTITY) rows.splice(0, rows.length - MAX_RECORDED_PER_ENTITY);
    }
  }

  /** Deterministic smooth-ish signal for a numeric entity, anchored at its t0 value. */
  signal(eid) {
    if (this.signals.has(eid)) return this.signals.get(eid);
    const st = this.initial[eid];
    let sig = null;
    const v0 = st ? numeric(st.state) : NaN;
    const a = st?.attributes ?? {};
    if (Number.isFinite(v0) && (a.state_class || a.unit_of_measurement)) {
      const seed = hashString(eid);
      const unit = a.unit_of_measurement;
      const pct = unit === "%";
      const amp = unit === "°C" ? 4 : pct ? Math.max(1.5, Math.min(25, v0 * 0.4)) : Math.max(0.5, Math.abs(v0) * 0.15);
      const phases = [0, 1, 2].map((k) => hashUnit(seed, k + 1) * Math.PI * 2);
      const raw = (t) =>
        0.5 * Math.sin((2 * Math.PI * t) / DAY + phases[0]) +
        0.3 * Math.sin((2 * Math.PI * t) / (6 * HOUR) + phases[1]) +
        0.2 * Math.sin((2 * Math.PI * t) / (47 * MINUTE) + phases[2]) +
        0.6 * (hashUnit(seed, Math.floor(t / FIVE_MIN)) - 0.5);
      const r0 = raw(this.t0);
      const total = a.state_class === "total_increasing";
      const lo = pct || v0 >= 0 ? 0 : -Infinity;
      const hi = pct ? 100 : Infinity;
      const dec = decimalsOf(st.state);
      const value = total
        // Monotonic counters: slowly rising to the current value.
        ? (t) => {
          const v = Math.max(0, v0 - Math.max(0, (this.t0 - t) / DAY) * Math.max(0.01, v0 * 0.01));
          return Number(v.toFixed(dec));
        }
        : (t) => clamp(v0 + amp * (raw(t) - r0), lo, hi);
      sig = { value, format: (x) => (dec === 0 ? String(Math.round(x)) : x.toFixed(dec)), attributes: a };
    }
    this.signals.set(eid, sig);
    return sig;
  }

  /** The state object (or synthetic `{state, attributes}`) valid at time t, or null. */
  stateAt(eid, t) {
    if (t < (this.born.get(eid) ?? -Infinity)) return null;
    if (t >= this.t0) {
      const rows = this.recorded.get(eid);
      if (rows?.length) {
        // Binary search for the last row with last_updated <= t.
        let lo = 0, hi = rows.length - 1, found = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (Date.parse(rows[mid].last_updated) <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        if (found >= 0) return rows[found].removed ? null : rows[found];
      }
      return this.initial[eid] ?? null;
    }
    const sig = this.signal(eid);
    if (sig) return { state: sig.format(sig.value(t)), attributes: sig.attributes };
    const init = this.initial[eid];
    if (!init || Date.parse(init.last_changed) > t) return null;
    return init;
  }

  valueAt(eid, t) {
    if (t < (this.born.get(eid) ?? -Infinity)) return NaN;
    if (t < this.t0) {
      const sig = this.signal(eid);
      return sig ? sig.value(t) : NaN;
    }
    const st = this.stateAt(eid, t);
    return st ? numeric(st.state) : NaN;
  }

  /**
   * Compressed history rows `{s, a?, lu, lc?}` in [start, end] (epoch ms), HA's
   * `history_during_period`/`history/stream` format (minimal_response: later rows `{s, lu}`).
   */
  rows(eid, start, end, { minimal = false, noAttributes = false, significantOnly = false, includeStart = true } = {}) {
    const out = [];
    let prevState;
    const push = (state, attributes, lu, lc) => {
      if ((minimal || significantOnly) && out.length && state === prevState) return;
      prevState = state;
      const first = out.length === 0;
      const row = { s: state };
      if ((first || !minimal) && !noAttributes) row.a = attributes;
      row.lu = lu / 1000;
      if ((first || !minimal) && lc != null && lc !== lu) row.lc = lc / 1000;
      out.push(row);
    };
    if (includeStart) {
      const st = this.stateAt(eid, start);
      if (st) push(st.state, st.attributes, start, null);
    }
    // Synthetic past between start and t0.
    const synthEnd = Math.min(end, this.t0);
    if (start < synthEnd) {
      const sig = this.signal(eid);
      if (sig) {
        const span = synthEnd - start;
        const stepMs = Math.max(FIVE_MIN, Math.ceil(span / MAX_SYNTH_POINTS / FIVE_MIN) * FIVE_MIN);
        const from = Math.max(start, this.born.get(eid) ?? -Infinity);
        for (let t = Math.floor(from / stepMs) * stepMs + stepMs; t < synthEnd; t += stepMs) {
          push(sig.format(sig.value(t)), sig.attributes, t, null);
        }
      } else {
        const init = this.initial[eid];
        const lc = init ? Date.parse(init.last_changed) : NaN;
        if (init && lc > start && lc <= synthEnd) push(init.state, init.attributes, Date.parse(init.last_updated), lc);
      }
    }
    for (const st of this.recorded.get(eid) ?? []) {
      const lu = Date.parse(st.last_updated);
      if (lu <= start || lu > end || st.removed) continue;
      if ((minimal || significantOnly) && st.last_changed !== st.last_updated) continue;
      push(st.state, st.attributes, lu, Date.parse(st.last_changed));
    }
    return out;
  }

  /** Does the recorder keep statistics for this entity (it has a state_class)? */
  statisticsMeta(eid) {
    const st = this.initial[eid];
    const sc = st?.attributes?.state_class;
    if (!sc) return null;
    return { sum: sc === "total" || sc === "total_increasing", unit: st.attributes.unit_of_measurement ?? null, deviceClass: st.attributes.device_class ?? null, name: st.attributes.friendly_name ?? null };
  }

  /** Statistics rows `{start, end, mean, min, max}` (epoch ms) for completed periods only. */
  statistics(eid, start, end, period, types, convert) {
    const meta = this.statisticsMeta(eid);
    if (!meta) return null;
    const rows = [];
    const now = Date.now();
    const limit = Math.min(end, now);
    for (let b = alignPeriod(start, period); ; ) {
      const e = nextPeriod(b, period);
      if (e > limit) break;
      const samples = [];
      const sampleStep = period === "5minute" ? MINUTE : (e - b) > 7 * DAY ? HOUR : FIVE_MIN;
      for (let t = b; t < e; t += sampleStep) {
        const v = this.valueAt(eid, t);
        if (Number.isFinite(v)) samples.push(convert(v));
      }
      if (samples.length) {
        const row = { start: b, end: e };
        if (meta.sum) {
          const last = convert(this.valueAt(eid, e - 1));
          const first = samples[0];
          if (types.includes("state")) row.state = last;
          if (types.includes("sum")) row.sum = last;
          if (types.includes("change")) row.change = Math.max(0, last - first);
        } else {
          if (types.includes("mean")) row.mean = samples.reduce((x, y) => x + y, 0) / samples.length;
          if (types.includes("min")) row.min = Math.min(...samples);
          if (types.includes("max")) row.max = Math.max(...samples);
        }
        rows.push(row);
      }
      b = e;
      if (rows.length > 20000) break;
    }
    return rows;
  }
}

export const PERIODS = ["5minute", "hour", "day", "week", "month"];

/** Period boundaries in UTC (HA uses the server time zone for day/week/month; UTC keeps the
 *  simulation independent of the machine running it). */
export function alignPeriod(t, period) {
  const d = new Date(t);
  switch (period) {
    case "5minute": return Math.floor(t / FIVE_MIN) * FIVE_MIN;
    case "hour": return Math.floor(t / HOUR) * HOUR;
    case "day": return Math.floor(t / DAY) * DAY;
    case "week": {
      const day = Math.floor(t / DAY) * DAY;
      const dow = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      return day - dow * DAY;
    }
    case "month": return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    default: throw new Error(period);
  }
}

function nextPeriod(t, period) {
  switch (period) {
    case "5minute": return t + FIVE_MIN;
    case "hour": return t + HOUR;
    case "day": return t + DAY;
    case "week": return t + 7 * DAY;
    case "month": {
      const d = new Date(t);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    default: throw new Error(period);
  }
}

/** Unit conversion for `units` in statistics requests (data_size and temperature classes). */
const DATA_SIZE = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };
export function unitConverter(meta, units) {
  if (!units || !meta?.unit) return (v) => v;
  if (meta.deviceClass === "data_size" && units.data_size && DATA_SIZE[meta.unit] && DATA_SIZE[units.data_size]) {
    const f = DATA_SIZE[meta.unit] / DATA_SIZE[units.data_size];
    return (v) => v * f;
  }
  if (meta.deviceClass === "temperature" && units.temperature && units.temperature !== meta.unit) {
    if (meta.unit === "°C" && units.temperature === "°F") return (v) => (v * 9) / 5 + 32;
    if (meta.unit === "°F" && units.temperature === "°C") return (v) => ((v - 32) * 5) / 9;
  }
  return (v) => v;
}
