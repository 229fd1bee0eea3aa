// Small helpers shared by the generators and the runtime.

/** Home Assistant's `slugify` (python-slugify with "_" separator) for entity_id generation. */
export function slugify(text) {
  return String(text)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "") || "unnamed";
}

/** ISO string as `hass.states` carries it (home-assistant-js-websocket: `new Date(x*1000).toISOString()`). */
export const isoZ = (ms) => new Date(ms).toISOString();

/** Python `datetime.isoformat()` of an aware UTC datetime, as HA writes timestamp sensor states
 *  and attributes: `2026-10-30T08:12:44+00:00`, optionally with microseconds. */
export function isoPy(ms, { micro = false, milli = false } = {}) {
  const base = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  if (micro) return `${base}.${String(Math.floor(ms % 1000)).padStart(3, "0")}000+00:00`;
  if (milli) return `${base}.${String(Math.floor(ms % 1000)).padStart(3, "0")}+00:00`;
  return `${base}+00:00`;
}

/** `str(round(x, n))` as Python renders a float state: always keeps at least one decimal. */
export function pyFloat(x, decimals = 1) {
  const r = Number(x.toFixed(decimals));
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

/** Fixed-decimal rendering as `round()`+`str()` does for values that are not whole. */
export function fixed(x, decimals) {
  return decimals === 0 ? String(Math.round(x)) : pyFloat(x, decimals);
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** ULID (HA context ids and config entry ids): 10 time chars + 16 random chars. */
export function ulid(ms, rnd) {
  let t = Math.max(0, Math.floor(ms));
  let time = "";
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let r = "";
  for (let i = 0; i < 16; i++) r += CROCKFORD[Math.floor(rnd() * 32)];
  return time + r;
}

/** Structural equality for attribute values (arrays/objects occur, e.g. `options`, `event_types`). */
export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
  return true;
}

export const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** "3d 4h" / "5h 12m" / "42m", the ha_portainer_link uptime format. */
export function linkUptime(ms) {
  const m = Math.floor(ms / MINUTE);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m % 60}m`;
  return `${m}m`;
}

/** Parse an ISO/epoch time given to a websocket command; returns ms or NaN. */
export function parseTime(value) {
  if (typeof value === "number") return value > 1e12 ? value : value * 1000;
  if (typeof value !== "string" || !value) return NaN;
  return Date.parse(value);
}
