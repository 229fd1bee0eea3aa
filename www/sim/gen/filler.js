// Entities of unrelated integrations (lights, climate sensors, plugs, automations…) so the card
// has to find its entities in a realistically large `hass.states`, as in a real house.
import { fixed, isoPy } from "../util.js";

const ROOMS = ["Living room", "Kitchen", "Bedroom", "Office", "Bathroom", "Hallway", "Garage", "Garden",
  "Kids room", "Basement", "Attic", "Laundry", "Dining room", "Guest room", "Porch", "Workshop"];

function singletons(b, rng) {
  const now = b.now;
  const add = (o) => b.entity({ platform: o.platform ?? o.domain, ...o });
  add({ domain: "sun", entityId: "sun.sun", friendly: "Sun", state: "above_horizon", registry: false,
    extras: { next_dawn: isoPy(now + 15 * 3600e3), next_dusk: isoPy(now + 7 * 3600e3), next_midnight: isoPy(now + 11 * 3600e3),
      next_noon: isoPy(now + 1 * 3600e3), next_rising: isoPy(now + 16 * 3600e3), next_setting: isoPy(now + 6 * 3600e3),
      elevation: 24.7, azimuth: 151.2, rising: true } });
  add({ domain: "zone", entityId: "zone.home", friendly: "Home", state: "2", registry: false, icon: "mdi:home",
    extras: { latitude: 52.52, longitude: 13.405, radius: 100, passive: false, persons: ["person.alex", "person.sam"], editable: true } });
  for (const [id, name] of [["alex", "Alex"], ["sam", "Sam"]]) {
    add({ domain: "person", entityId: `person.${id}`, friendly: name, state: rng.pick(["home", "home", "not_home"]), platform: "person",
      extras: { editable: true, id, device_trackers: [`device_tracker.${id}_phone`], latitude: 52.52, longitude: 13.405, gps_accuracy: 12, source: `device_tracker.${id}_phone`, user_id: rng.hex(32) } });
    add({ domain: "device_tracker", entityId: `device_tracker.${id}_phone`, friendly: `${name}'s phone`, state: "home", platform: "mobile_app",
      extras: { source_type: "gps", battery_level: rng.int(20, 100), latitude: 52.52, longitude: 13.405, gps_accuracy: 12, altitude: 40 } });
  }
  add({ domain: "weather", entityId: "weather.forecast_home", friendly: "Forecast Home", state: "partlycloudy", platform: "met",
    extras: { temperature: 7.4, dew_point: 2.1, temperature_unit: "°C", humidity: 71, cloud_coverage: 54, pressure: 1019.3, pressure_unit: "hPa",
      wind_bearing: 231.4, wind_speed: 14.8, wind_speed_unit: "km/h", visibility_unit: "km", precipitation_unit: "mm", attribution: "Weather forecast from met.no, delivered by the Norwegian Meteorological Institute." },
    supportedFeatures: 3 });
}

/** Device templates; each returns the entity option objects for one device. */
const TEMPLATES = [
  (room, n, rng) => ({
    device: { name: `${room} light ${n}`, manufacturer: "Signify Netherlands B.V.", model: "Hue white ambiance", platform: "hue" },
    entities: [{
      domain: "light", regName: null, hasEntityName: true, friendly: `${room} light ${n}`,
      state: rng.chance(0.35) ? "on" : "off",
      cap: { min_color_temp_kelvin: 2202, max_color_temp_kelvin: 6535, min_mireds: 153, max_mireds: 454, supported_color_modes: ["color_temp"] },
      extras: { color_mode: null, brightness: null, color_temp_kelvin: null, color_temp: null },
      supportedFeatures: 40,
    }],
  }),
  (room, n, rng) => {
    const name = `${room} sensor ${n}`;
    return {
      device: { name, manufacturer: "LUMI", model: "lumi.weather", platform: "zha" },
      entities: [
        { domain: "sensor", regName: "Temperature", friendly: `${name} Temperature`, state: fixed(rng.float(17, 24), 1), cap: { state_class: "measurement" }, unit: "°C", deviceClass: "temperature" },
        { domain: "sensor", regName: "Humidity", friendly: `${name} Humidity`, state: fixed(rng.float(35, 65), 1), cap: { state_class: "measurement" }, unit: "%", deviceClass: "humidity" },
        { domain: "sensor", regName: "Battery", friendly: `${name} Battery`, state: String(rng.int(30, 100)), cap: { state_class: "measurement" }, unit: "%", deviceClass: "battery", category: "diagnostic" },
        { domain: "binary_sensor", regName: "Occupancy", friendly: `${name} Occupancy`, state: rng.chance(0.2) ? "on" : "off", deviceClass: "occupancy" },
      ],
    };
  },
  (room, n, rng) => {
    const name = `${room} plug ${n}`;
    const on = rng.chance(0.6);
    return {
      device: { name, manufacturer: "Shelly", model: "Shelly Plug S", platform: "shelly" },
      entities: [
        { domain: "switch", regName: null, friendly: name, state: on ? "on" : "off", deviceClass: "outlet" },
        { domain: "sensor", regName: "Power", friendly: `${name} Power`, state: on ? fixed(rng.float(1, 180), 1) : "0.0", cap: { state_class: "measurement" }, unit: "W", deviceClass: "power" },
        { domain: "sensor", regName: "Energy", friendly: `${name} Energy`, state: fixed(rng.float(1, 900), 3), cap: { state_class: "total_increasing" }, unit: "kWh", deviceClass: "energy" },
      ],
    };
  },
  (room, n, rng) => {
    const name = `${room} window ${n}`;
    return {
      device: { name, manufacturer: "Aqara", model: "MCCGQ11LM", platform: "zha" },
      entities: [
        { domain: "binary_sensor", regName: "Opening", friendly: `${name} Opening`, state: rng.chance(0.1) ? "on" : "off", deviceClass: "window" },
        { domain: "sensor", regName: "Battery", friendly: `${name} Battery`, state: String(rng.int(10, 100)), cap: { state_class: "measurement" }, unit: "%", deviceClass: "battery", category: "diagnostic" },
      ],
    };
  },
  (room, n, rng) => ({
    device: null,
    entities: [{ domain: "automation", platform: "automation", friendly: `${room} lights at sunset ${n}`, state: rng.chance(0.9) ? "on" : "off",
      extras: { id: String(1700000000000 + n), last_triggered: null, mode: "single", current: 0 }, hasEntityName: false }],
  }),
  (room, n, rng) => ({
    device: null,
    entities: [{ domain: "input_boolean", platform: "input_boolean", friendly: `${room} guest mode ${n}`, state: rng.chance(0.2) ? "on" : "off",
      extras: { editable: true }, icon: "mdi:account-multiple" }],
  }),
  (room, n, rng) => ({
    device: null,
    entities: [{ domain: "sensor", platform: "template", registry: false, friendly: `${room} heating demand ${n}`,
      state: String(rng.int(0, 100)), unit: "%", cap: { state_class: "measurement" } }],
  }),
];

export function generateFiller(b, target) {
  const rng = b.rng.fork("filler");
  singletons(b, rng);
  const entries = new Map();
  const entryFor = (platform) => entries.get(platform) ?? entries.set(platform, b.configEntry(platform, platform)).get(platform);
  let n = 0;
  while (b.count < target) {
    const room = ROOMS[n % ROOMS.length];
    const tmpl = TEMPLATES[Math.floor(n / ROOMS.length) % TEMPLATES.length];
    n++;
    const { device, entities } = tmpl(room, Math.floor(n / (ROOMS.length * TEMPLATES.length)) + 1, rng);
    const deviceId = device ? b.device({ name: device.name, manufacturer: device.manufacturer, model: device.model, entry: entryFor(device.platform) }) : null;
    for (const e of entities) {
      if (b.count >= target) break;
      b.entity({ platform: device?.platform ?? e.platform, deviceId, hasEntityName: !!device, ...e });
    }
  }
}
