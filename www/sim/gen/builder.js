// Accumulates a Home Assistant world: `states`, the entity registry display map, the device
// registry map, plus a `model` that remembers which entity plays which role for which
// container/stack/device so the service simulation can act like the real integrations.
import { isoZ, slugify, ulid } from "../util.js";

export class WorldBuilder {
  constructor(rng, now) {
    this.rng = rng;
    this.now = now;
    this.states = {};
    this.entities = {};
    this.devices = {};
    this.model = {
      now,
      /** eid -> capability attributes (state_class, options…): kept even while unavailable. */
      cap: new Map(),
      /** eid -> entity info attributes (unit, device_class, icon, friendly_name…): always kept. */
      info: new Map(),
      /** eid -> {state, attributes} to restore when an entity that is unavailable comes back. */
      saved: new Map(),
      /** eid -> {type, ref, role}: what the entity means to the simulation. */
      owner: new Map(),
      /** device_id -> [eid]: targets given as device_id expand through this. */
      deviceEntities: new Map(),
      core: { entries: [], endpoints: [], stacks: [], containers: [] },
      link: { entries: [], stacks: [], containers: [] },
      tomaae: { entries: [], endpoints: [], containers: [] },
      balena: { entries: [], fleets: [], devices: new Map() },
      /** Metric entities the drift timer may move: {eid, kind, min, max, step, decimals}. */
      drift: [],
      /** config entry id -> {domain, title}. */
      configEntries: new Map(),
    };
    this.usedIds = new Set();
  }

  /** 32 hex chars, the shape of HA registry ids. */
  registryId() {
    return this.rng.hex(32);
  }

  configEntry(domain, title) {
    const id = ulid(this.now - 200 * 86_400_000, this.rng.next);
    this.model.configEntries.set(id, { domain, title });
    return id;
  }

  /** A `hass.devices` entry with every field the frontend's device registry map carries. */
  device(f) {
    const id = this.registryId();
    const created = (this.now - 120 * 86_400_000) / 1000;
    this.devices[id] = {
      id,
      area_id: f.area_id ?? null,
      configuration_url: f.configuration_url ?? null,
      config_entries: f.entry ? [f.entry] : [],
      config_entries_subentries: f.entry ? { [f.entry]: [f.subentry ?? null] } : {},
      connections: f.connections ?? [],
      created_at: created,
      disabled_by: null,
      entry_type: f.entry_type ?? null,
      hw_version: null,
      identifiers: f.identifiers ?? [],
      labels: [],
      manufacturer: f.manufacturer ?? null,
      model: f.model ?? null,
      model_id: null,
      modified_at: created,
      name_by_user: f.name_by_user ?? null,
      name: f.name ?? null,
      primary_config_entry: f.entry ?? null,
      serial_number: null,
      sw_version: f.sw_version ?? null,
      via_device_id: f.via ?? null,
    };
    return id;
  }

  /** Entity id the way the entity registry picks it: slug of the name, `_2`, `_3`… on clashes. */
  entityId(domain, suggested) {
    const base = `${domain}.${slugify(suggested)}`;
    let id = base;
    for (let n = 2; this.usedIds.has(id); n++) id = `${base}_${n}`;
    this.usedIds.add(id);
    return id;
  }

  /**
   * Add one entity. Attribute order follows HA's `Entity._async_calculate_state`: capability
   * attributes, then state/extra attributes (only while available), then unit, attribution,
   * device_class, entity_picture, icon, friendly_name, supported_features.
   */
  entity(o) {
    const eid = o.entityId ?? this.entityId(o.domain, o.objectName ?? o.friendly);
    this.usedIds.add(eid);
    const info = {};
    if (o.unit != null) info.unit_of_measurement = o.unit;
    if (o.deviceClass != null) info.device_class = o.deviceClass;
    if (o.entityPicture != null) info.entity_picture = o.entityPicture;
    if (o.icon != null) info.icon = o.icon;
    if (o.friendly != null) info.friendly_name = o.friendly;
    if (o.supportedFeatures != null) info.supported_features = o.supportedFeatures;
    const cap = o.cap ?? {};
    const extras = o.extras ?? {};
    const base = { ...cap, ...info };
    const full = { ...cap, ...extras, ...info };
    const available = o.available !== false;
    if (o.cap && Object.keys(cap).length) this.model.cap.set(eid, cap);
    this.model.info.set(eid, info);
    if (!available) this.model.saved.set(eid, { state: o.state, attributes: full });

    const changed = o.changedAt ?? this.now - this.rng.float(60_000, 3 * 86_400_000);
    const updated = Math.max(changed, o.updatedAt ?? changed);
    this.states[eid] = {
      entity_id: eid,
      state: available ? String(o.state) : "unavailable",
      attributes: available ? full : base,
      context: { id: ulid(updated, this.rng.next), parent_id: null, user_id: null },
      last_changed: isoZ(changed),
      last_updated: isoZ(updated),
    };
    if (o.registry !== false) {
      this.entities[eid] = {
        entity_id: eid,
        name: o.regName ?? null,
        icon: o.regIcon ?? null,
        device_id: o.deviceId ?? null,
        area_id: null,
        labels: [],
        translation_key: o.tk ?? null,
        platform: o.platform,
        entity_category: o.category ?? null,
        has_entity_name: !!o.hasEntityName,
      };
    }
    if (o.deviceId) {
      let list = this.model.deviceEntities.get(o.deviceId);
      if (!list) this.model.deviceEntities.set(o.deviceId, (list = []));
      list.push(eid);
    }
    if (o.owner) this.model.owner.set(eid, o.owner);
    return eid;
  }

  drift(eid, spec) {
    this.model.drift.push({ eid, ...spec });
  }

  /** Number of states so far (filler uses it to hit the scenario's total). */
  get count() {
    return this.usedIds.size;
  }
}
