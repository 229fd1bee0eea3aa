// Seeded pseudo-random numbers. Everything the simulation invents (names, uuids, metrics, drift,
// failures) comes from here so a (scenario, seed) pair always produces the same world.

/** 32-bit FNV-1a hash of a string; used to derive independent sub-seeds from names. */
export function hashString(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Stateless hash of (seed, n) to [0, 1): random access noise for history/statistics. */
export function hashUnit(seed, n) {
  let x = (seed ^ Math.imul(n | 0, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) / 4294967296;
}

/** mulberry32: tiny, fast and good enough for test data. */
export function createRng(seed) {
  let a = (typeof seed === "string" ? hashString(seed) : seed >>> 0) || 0x2545f491;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    /** float in [min, max) */
    float: (min, max) => min + next() * (max - min),
    /** integer in [min, max] */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    hex: (n) => {
      let s = "";
      for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(next() * 16)];
      return s;
    },
    /** An independent stream, so adding draws in one generator does not shift another. */
    fork: (label) => createRng((hashString(String(label)) ^ Math.floor(next() * 4294967296)) >>> 0),
  };
  return rng;
}
