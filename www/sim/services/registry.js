// Which services exist (and what `hass.services` describes for them) and how their data is
// validated. Descriptions follow each integration's services.yaml — including fields the
// balena_cloud schemas then reject (`confirm`, `merge`), because that mismatch is real.

export const TARGET_KEYS = ["entity_id", "device_id", "area_id", "floor_id", "label_id"];

const text = (name, description, extra = {}) => ({ name, description, selector: { text: {} }, ...extra });
const bool = (name, description, extra = {}) => ({ name, description, selector: { boolean: {} }, ...extra });
const num = (name, description, extra = {}) => ({ name, description, selector: { number: { mode: "box" } }, ...extra });

/** An entity service: target required, `fields` are the extra data keys it accepts. */
function entitySvc(domain, name, description, fields = {}, types = {}, extra = {}) {
  return {
    entity: true,
    desc: { name, description, fields, target: { entity: [{ domain: [domain] }] } },
    schema: { optional: types },
    ...extra,
  };
}

/** A plain service with a voluptuous-like schema `{required: {k: type}, optional: {k: type}}`. */
function svc(name, description, fields, schema, extra = {}) {
  const desc = { name, description, fields };
  if (extra.response) desc.response = { optional: extra.response === "optional" };
  return { entity: false, desc, schema, ...extra };
}

const onOff = (domain, label) => ({
  turn_on: entitySvc(domain, "Turn on", `Turns a ${label} on.`),
  turn_off: entitySvc(domain, "Turn off", `Turns a ${label} off.`),
  toggle: entitySvc(domain, "Toggle", `Toggles a ${label} on/off.`),
});

const BASE = {
  homeassistant: {
    update_entity: {
      entity: true, anyDomain: true,
      desc: { name: "Update entity", description: "Forces one or more entities to update their data.",
        fields: { entity_id: { name: "Entities to update", description: "List of entities to force update.", required: true, selector: { entity: { multiple: true } } } } },
      schema: { optional: {} },
    },
    turn_on: { ...entitySvc("homeassistant", "Generic turn on", "Generic action to turn devices on under any domain."), anyDomain: true },
    turn_off: { ...entitySvc("homeassistant", "Generic turn off", "Generic action to turn devices off under any domain."), anyDomain: true },
    toggle: { ...entitySvc("homeassistant", "Generic toggle", "Generic action to toggle devices on/off under any domain."), anyDomain: true },
    reload_config_entry: { ...entitySvc("homeassistant", "Reload config entry", "Reloads the specified config entry.", { entry_id: text("Config entry ID", "The configuration entry ID of the entry to be reloaded.") }, { entry_id: "str" }), admin: true, anyDomain: true },
  },
  persistent_notification: {
    create: svc("Create", "Shows a notification on the notifications panel.",
      { message: text("Message", "Message body of the notification.", { required: true }), title: text("Title", "Optional title of the notification."), notification_id: text("Notification ID", "ID of the notification.") },
      { required: { message: "str" }, optional: { title: "str", notification_id: "str", data: "any" } }),
    dismiss: svc("Dismiss", "Deletes a notification from the notifications panel.",
      { notification_id: text("Notification ID", "ID of the notification to be deleted.", { required: true }) }, { required: { notification_id: "str" } }),
    dismiss_all: svc("Dismiss all", "Deletes all notifications from the notifications panel.", {}, {}),
  },
  switch: onOff("switch", "switch"),
  light: {
    turn_on: entitySvc("light", "Turn on", "Turns on one or more lights and adjusts their properties.",
      { brightness_pct: num("Brightness", "Number indicating the percentage of full brightness."), color_temp_kelvin: num("Color temperature", "Color temperature in Kelvin."), transition: num("Transition", "Duration it takes to get to next state.") },
      { brightness_pct: "number", brightness: "number", color_temp_kelvin: "number", transition: "number", rgb_color: "list" }),
    turn_off: entitySvc("light", "Turn off", "Turns off one or more lights.", { transition: num("Transition", "Duration it takes to get to next state.") }, { transition: "number" }),
    toggle: entitySvc("light", "Toggle", "Toggles one or more lights.", {}, { transition: "number" }),
  },
  input_boolean: { ...onOff("input_boolean", "input boolean"), reload: svc("Reload", "Reloads helpers from the YAML-configuration.", {}, {}, { admin: true }) },
  automation: {
    ...onOff("automation", "automation"),
    trigger: entitySvc("automation", "Trigger", "Triggers the actions of an automation.", { skip_condition: bool("Skip conditions", "Defines whether or not the conditions will be skipped.") }, { skip_condition: "bool" }),
    reload: svc("Reload", "Reloads the automation configuration.", {}, {}, { admin: true }),
  },
  button: { press: entitySvc("button", "Press", "Press the button entity.") },
  update: {
    install: entitySvc("update", "Install update", "Installs an update for a device or service.",
      { version: text("Version", "The version to install. If omitted, the latest version will be installed."), backup: bool("Backup", "If supported by the integration, this creates a backup before starting the update.") },
      { version: "str", backup: "bool" }),
    skip: entitySvc("update", "Skip update", "Marks currently available update as skipped."),
    clear_skipped: entitySvc("update", "Clear skipped update", "Removes the skipped version marker from an update."),
  },
  // HA core portainer 2026.11: all three are admin-only.
  portainer: {
    prune_images: svc("Prune unused images", "Prunes unused images on a Portainer endpoint.",
      { device_id: { name: "Endpoint", description: "The endpoint to prune images on.", required: true, selector: { device: { integration: "portainer", model: "Endpoint" } } },
        until: { name: "Until", description: "Prune images unused for at least this long.", selector: { duration: {} } },
        dangling: bool("Dangling", "Only prune dangling images.") },
      { required: { device_id: "str" }, optional: { until: "any", dangling: "bool" } }, { admin: true }),
    prune_build_cache: svc("Prune build cache", "Prunes the Docker build cache on a Portainer endpoint.",
      { device_id: { name: "Endpoint", required: true, selector: { device: { integration: "portainer", model: "Endpoint" } } },
        all: bool("All", "Remove all unused build cache, not just dangling ones.", { default: true }),
        until: { name: "Until", selector: { duration: {} } } },
      { required: { device_id: "str" }, optional: { all: "bool", until: "any" } }, { admin: true }),
    recreate_container: svc("Recreate container", "Recreates a container, optionally pulling its image first.",
      { container_device_id: { name: "Container", required: true, selector: { device: { integration: "portainer", model: "Container" } } },
        timeout: { name: "Timeout", selector: { duration: {} } },
        pull_image: bool("Pull image", "Pull the latest image before recreating.", { default: false }) },
      { required: { container_device_id: "str" }, optional: { timeout: "any", pull_image: "bool" } }, { admin: true }),
  },
  ha_portainer_link: {
    refresh: svc("Refresh", "Refresh all Portainer data.", {}, {}),
    reload: svc("Reload", "Reload the Portainer integration.", {}, {}),
  },
  balena_cloud: {
    restart_application: svc("Restart application", "Restart the application on a balena device.",
      { device_uuid: text("Device UUID", "UUID of the device.", { required: true, example: "a1b2c3d4e5f6" }),
        service_name: text("Service name", "Optional: only restart this service."),
        force: bool("Force", "Force the restart even if an update lock is held.", { default: false }),
        confirm: bool("Confirm", "Confirm the action.", { default: false }) },
      { required: { device_uuid: "str" }, optional: { service_name: "str", force: "bool" } }),
    reboot_device: svc("Reboot device", "Reboot a balena device.",
      { device_uuid: text("Device UUID", "UUID of the device.", { required: true }),
        force: bool("Force", "Force the reboot even if an update lock is held.", { default: false }),
        confirm: bool("Confirm", "Confirm the action.", { default: false }) },
      { required: { device_uuid: "str" }, optional: { force: "bool" } }),
    shutdown_device: svc("Shutdown device", "Shut down a balena device.",
      { device_uuid: text("Device UUID", "UUID of the device.", { required: true }),
        force: bool("Force", "Force the shutdown even if an update lock is held.", { default: false }),
        confirm: bool("Confirm", "Confirm the action.", { default: false }) },
      { required: { device_uuid: "str" }, optional: { force: "bool" } }),
    update_environment: svc("Update environment", "Update environment variables of a balena device.",
      { device_uuid: text("Device UUID", "UUID of the device.", { required: true }),
        variables: { name: "Variables", description: "Environment variables to set.", required: true, selector: { object: {} } },
        merge: bool("Merge", "Merge with the existing variables.", { default: true }) },
      { required: { device_uuid: "str", variables: "dict" } }),
    enable_device_url: svc("Enable device URL", "Enable the public device URL.",
      { device_uuid: text("Device UUID", "UUID of the device.", { required: true }) }, { required: { device_uuid: "str" } }),
    disable_device_url: svc("Disable device URL", "Disable the public device URL.",
      { device_uuid: text("Device UUID", "UUID of the device.", { required: true }) }, { required: { device_uuid: "str" } }),
  },
};

/** Registered only with `getEnvironment: true` (the read path a fixed integration would add). */
const BALENA_GET_ENV = {
  get_environment: svc("Get environment", "Read the environment variables of a balena device.",
    { device_uuid: text("Device UUID", "UUID of the device.", { required: true }) },
    { required: { device_uuid: "str" } }, { response: "only" }),
};

/** Documented in services.yaml but only registered with `balenaBulkServices: true`. */
const BALENA_BULK = {
  bulk_restart: svc("Bulk restart", "Restart the application on several devices.",
    { device_uuids: { name: "Device UUIDs", selector: { object: {} } }, fleet_id: num("Fleet ID", "Restart every device of this fleet."),
      service_name: text("Service name", "Optional: only restart this service."), confirm: bool("Confirm", "Confirm the action.") },
    { optional: { device_uuids: "list", fleet_id: "int", service_name: "str", confirm: "bool" } }),
  bulk_reboot: svc("Bulk reboot", "Reboot several devices.",
    { device_uuids: { name: "Device UUIDs", selector: { object: {} } }, fleet_id: num("Fleet ID", "Reboot every device of this fleet."),
      confirm: bool("Confirm", "Confirm the action."), force: bool("Force", "Force the reboot.") },
    { optional: { device_uuids: "list", fleet_id: "int", confirm: "bool", force: "bool" } }),
  restart_fleet: svc("Restart fleet", "Restart the application on every device of a fleet.",
    { fleet_id: num("Fleet ID", "The fleet.", { required: true }), service_name: text("Service name", "Optional: only restart this service."), confirm: bool("Confirm", "Confirm the action.") },
    { required: { fleet_id: "int" }, optional: { service_name: "str", confirm: "bool" } }),
  get_fleet_health: svc("Get fleet health", "Summarise the health of a fleet.",
    { fleet_id: num("Fleet ID", "The fleet.", { required: true }) }, { required: { fleet_id: "int" } }, { response: "only" }),
  get_device_url: svc("Get device URL", "Return the public URL of a device.",
    { device_uuid: text("Device UUID", "UUID of the device.", { required: true }) }, { required: { device_uuid: "str" } }, { response: "only" }),
};

/** The registered services for the current flags: `{domain: {service: def}}`. */
export function registeredServices(flags, domainsPresent) {
  const out = {};
  for (const [domain, services] of Object.entries(BASE)) {
    if (domainsPresent && !domainsPresent.has(domain)) continue;
    out[domain] = { ...services };
  }
  if (out.balena_cloud) {
    if (flags.getEnvironment) Object.assign(out.balena_cloud, BALENA_GET_ENV);
    if (flags.balenaBulkServices) Object.assign(out.balena_cloud, BALENA_BULK);
  }
  return out;
}

/** `hass.services`: the descriptions only, as `get_services` returns them. */
export function describeServices(registered) {
  const out = {};
  for (const [domain, services] of Object.entries(registered)) {
    out[domain] = {};
    for (const [name, def] of Object.entries(services)) out[domain][name] = def.desc;
  }
  return out;
}

const TYPE_CHECK = {
  str: (v) => typeof v === "string",
  bool: (v) => typeof v === "boolean",
  dict: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
  list: (v) => Array.isArray(v),
  int: (v) => Number.isInteger(v) || (typeof v === "string" && /^-?\d+$/.test(v)),
  number: (v) => typeof v === "number" || (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))),
  any: () => true,
};
const ENTITY_ID_RE = /^(?!.+__)(?!_)[\da-z_]+(?<!_)\.(?!_)[\da-z_]+(?<!_)$/;

export class SchemaError extends Error {}

/** voluptuous-style validation; the message matches `str(vol.MultipleInvalid)` (first error). */
export function validate(def, data) {
  const req = def.schema.required ?? {};
  const opt = def.schema.optional ?? {};
  for (const [k, v] of Object.entries(data)) {
    if (def.entity && TARGET_KEYS.includes(k)) {
      if (k === "entity_id" && v !== "all" && v !== "none") {
        for (const id of [].concat(v)) {
          if (typeof id !== "string" || !ENTITY_ID_RE.test(id)) {
            throw new SchemaError(`Entity ${id} is neither a valid entity ID nor a valid UUID for dictionary value @ data['entity_id']`);
          }
        }
      }
      continue;
    }
    const type = req[k] ?? opt[k];
    if (!type) throw new SchemaError(`extra keys not allowed @ data['${k}']`);
    if (!TYPE_CHECK[type](v)) throw new SchemaError(`expected ${type} for dictionary value @ data['${k}']`);
  }
  for (const k of Object.keys(req)) {
    if (!(k in data)) throw new SchemaError(`required key not provided @ data['${k}']`);
  }
  if (def.entity && !TARGET_KEYS.some((k) => k in data)) {
    throw new SchemaError("must contain at least one of entity_id, device_id, area_id, floor_id, label_id.");
  }
}
