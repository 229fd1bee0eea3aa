// The "server side" state machine: the authoritative states of the simulated Home Assistant.
// Each batch of writes produces ONE new states object (a shallow copy, as home-assistant-js-
// websocket does) and new objects only for entities that really changed; everything else keeps
// its identity, which is what lets a card skip work with `===` checks.
import { deepEqual, isoZ, ulid } from "./util.js";

function attrsEqual(a, b) {
  if (a === b) return true;
  let n = 0;
  for (const k in a) {
    if (!(k in b) || !deepEqual(a[k], b[k])) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

export class StateStore {
  constructor(states, rng) {
    this.states = states;
    // Copying through a cached key list is ~5x faster than `{...states}` on a 30k-key
    // (dictionary-mode) object, with an identical result.
    this.keys = Object.keys(states);
    this.rng = rng;
    this.listeners = new Set();
    this.lastTs = 0;
  }

  get(entityId) {
    return this.states[entityId];
  }

  /** HA context for a write that no user caused (coordinator refresh, drift, …). */
  freshContext(ms = Date.now()) {
    return { id: ulid(ms, this.rng.next), parent_id: null, user_id: null };
  }

  /** Listener gets `(changes, states)`; changes are `{id, old, new}` (`new === null`: removed). */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  #copy() {
    const src = this.states;
    const keys = this.keys;
    const out = {};
    for (let i = 0; i < keys.length; i++) out[keys[i]] = src[keys[i]];
    return out;
  }

  /**
   * Apply writes `{entity_id, state, attributes?, context?, remove?}` atomically. A write that
   * changes neither state nor attributes is dropped, like HA dropping a same-state write.
   */
  apply(writes) {
    // Strictly increasing timestamps keep last_updated ordering meaningful within one ms.
    const now = Math.max(Date.now(), this.lastTs + 1);
    let next = null;
    let removed = false;
    const added = [];
    const changes = [];
    for (const w of writes) {
      const id = w.entity_id;
      const old = (next ?? this.states)[id];
      if (w.remove) {
        if (!old) continue;
        next ??= this.#copy();
        delete next[id];
        removed = true;
        changes.push({ id, old, new: null });
        continue;
      }
      const state = String(w.state ?? old?.state ?? "unknown");
      const attributes = w.attributes ?? old?.attributes ?? {};
      const stateChanged = !old || old.state !== state;
      const attrsChanged = !old || !attrsEqual(attributes, old.attributes);
      if (!stateChanged && !attrsChanged) continue;
      const iso = isoZ(now);
      const st = {
        entity_id: id,
        state,
        // Unchanged attributes keep their object identity, as the websocket client does.
        attributes: attrsChanged ? attributes : old.attributes,
        context: w.context ?? this.freshContext(now),
        last_changed: stateChanged ? iso : old.last_changed,
        last_updated: iso,
      };
      next ??= this.#copy();
      if (!old) added.push(id);
      next[id] = st;
      changes.push({ id, old: old ?? null, new: st });
    }
    if (!next) return changes;
    if (removed) this.keys = Object.keys(next);
    else for (const id of added) this.keys.push(id);
    this.lastTs = now;
    this.states = next;
    for (const fn of this.listeners) fn(changes, next);
    return changes;
  }
}
