// A write transaction used by the integration simulations. Handlers describe the *logical*
// value of an entity; availability is separate: while an entity is unavailable, writes update
// the remembered value, which comes back when the entity becomes available again. All writes of
// one step land in one store batch (one new hass), like one coalesced websocket message.

export class Tx {
  constructor(world, { context = null, direct = null } = {}) {
    this.world = world;
    this.context = context;
    this.direct = direct;
    this.pending = new Map();
  }

  get(eid) {
    return this.pending.get(eid) ?? this.world.store.get(eid);
  }

  isUnavailable(eid) {
    return this.get(eid)?.state === "unavailable";
  }

  #write(eid, state, attributes) {
    this.pending.set(eid, { entity_id: eid, state, attributes });
  }

  #merge(attributes, patch) {
    if (!patch) return attributes;
    const out = { ...attributes };
    for (const k of Object.keys(patch)) {
      if (patch[k] === undefined) delete out[k];
      else out[k] = patch[k];
    }
    return out;
  }

  /** Set state (and patch attributes; `undefined` removes a key). */
  set(eid, state, patch = null) {
    const cur = this.get(eid);
    if (!cur) return this;
    const saved = this.world.model.saved;
    if (cur.state === "unavailable" && saved.has(eid)) {
      const s = saved.get(eid);
      saved.set(eid, { state: state ?? s.state, attributes: this.#merge(s.attributes, patch) });
      return this;
    }
    this.#write(eid, state ?? cur.state, this.#merge(cur.attributes, patch));
    return this;
  }

  /** Replace all attributes in HA's order: capability, `extras`, entity info (+ overrides). */
  render(eid, state, extras, infoOverride = null) {
    const m = this.world.model;
    const attributes = { ...(m.cap.get(eid) ?? {}), ...extras, ...m.info.get(eid), ...(infoOverride ?? {}) };
    const cur = this.get(eid);
    if (!cur) return this;
    if (cur.state === "unavailable" && m.saved.has(eid)) m.saved.set(eid, { state, attributes });
    else this.#write(eid, state, attributes);
    return this;
  }

  /** Unavailable entities only keep capability and info attributes (HA drops the rest). */
  unavailable(eid) {
    const cur = this.get(eid);
    if (!cur || cur.state === "unavailable") return this;
    const m = this.world.model;
    m.saved.set(eid, { state: cur.state, attributes: cur.attributes });
    this.#write(eid, "unavailable", { ...(m.cap.get(eid) ?? {}), ...m.info.get(eid) });
    return this;
  }

  available(eid) {
    const cur = this.get(eid);
    if (!cur || cur.state !== "unavailable") return this;
    const saved = this.world.model.saved.get(eid);
    this.world.model.saved.delete(eid);
    if (saved) this.#write(eid, saved.state, saved.attributes);
    else this.#write(eid, "unknown", cur.attributes);
    return this;
  }

  setAvailable(eid, yes) {
    return yes ? this.available(eid) : this.unavailable(eid);
  }

  /** Entities the service call targeted get the call's context; side effects get a fresh one. */
  commit() {
    if (!this.pending.size) return [];
    const writes = [];
    for (const w of this.pending.values()) {
      if (this.context && (!this.direct || this.direct.has(w.entity_id))) w.context = this.context;
      writes.push(w);
    }
    this.pending.clear();
    return this.world.store.apply(writes);
  }
}
