// Checks of the test environment itself: the real HA server, the doubles' registry layout as the
// real frontend sees it (hass.entities / hass.devices), their services, and the card resource.
import assert from "node:assert/strict";
import { gotoDashboard, openPage, withHass } from "../lib/browser.mjs";
import { check } from "./card.mjs";
import * as X from "./expected.mjs";

export function registerEnvironmentChecks(ctx) {
  let page;

  check(ctx, "Home Assistant runs with the minimal component list and the three doubles", async () => {
    const cfg = await ctx.ha.api("GET", "/api/config");
    assert.equal(cfg.version, ctx.env.ha);
    assert.equal(cfg.state, "RUNNING");
    for (const c of ["frontend", "api", "websocket_api", "history", "recorder", "lovelace", "portainer", "ha_portainer_link", "balena_cloud"]) {
      assert.ok(cfg.components.includes(c), `component ${c} is loaded`);
    }
    for (const c of ["default_config", "cloud", "zeroconf", "met"]) assert.ok(!cfg.components.includes(c), `${c} is not loaded`);
    const entries = await ctx.ha.api("GET", "/api/config/config_entries/entry");
    const byDomain = Object.groupBy ? Object.groupBy(entries, (e) => e.domain) : groupBy(entries, (e) => e.domain);
    for (const d of ["portainer", "ha_portainer_link", "balena_cloud"]) {
      assert.equal(byDomain[d]?.length, 1, `one ${d} config entry`);
      assert.equal(byDomain[d][0].state, "loaded");
    }
    assert.equal(byDomain.portainer[0].title, "https://portainer.lan:9443");
  });

  check(ctx, "the frontend sees the core portainer device tree: Endpoint -> Stack -> Container (2026.11)", async () => {
    ({ page } = await openPage(ctx.browser, ctx.ha));
    ctx.activePage = page;
    await gotoDashboard(page, ctx.ha, "/lovelace/masonry");
    const r = await withHass(page, (hass) => {
      const devs = Object.values(hass.devices).filter((d) => d.identifiers.some(([dom]) => dom === "portainer"));
      const byName = Object.fromEntries(devs.map((d) => [`${d.model}:${d.name}`, d]));
      const nameOf = (id) => (id ? `${hass.devices[id].model}:${hass.devices[id].name}` : null);
      const tree = Object.fromEntries(devs.map((d) => [`${d.model}:${d.name}`, nameOf(d.via_device_id)]));
      const entitiesOf = (dev) => Object.values(hass.entities).filter((e) => e.device_id === dev.id)
        .map((e) => [e.entity_id, e.translation_key ?? null, e.has_entity_name ?? false, e.platform]);
      return {
        tree,
        containerEntities: entitiesOf(byName["Container:immich_server"]),
        stackEntities: entitiesOf(byName["Stack:immich"]),
        sonarrIds: entitiesOf(byName["Container:sonarr"]).map((e) => e[0]),
        cpuAttrs: hass.states["sensor.immich_server_cpu_usage_total"].attributes,
        memState: hass.states["sensor.immich_server_memory_usage"],
        stateAttrs: hass.states["sensor.immich_server_state"].attributes,
        update: hass.states["update.immich_server_image_update_available"],
      };
    });
    const expectedTree = { "Server:https://portainer.lan:9443": null, "Endpoint:local": null, "Endpoint:nas": null, "Volume:immich_pgdata": "Endpoint:local" };
    for (const [stack, members] of Object.entries(X.CORE_STACKS)) {
      expectedTree[`Stack:${stack}`] = "Endpoint:local";
      for (const m of members) expectedTree[`Container:${m}`] = `Stack:${stack}`;
    }
    for (const [ep, members] of Object.entries(X.CORE_STANDALONE)) for (const m of members) expectedTree[`Container:${m}`] = `Endpoint:${ep}`;
    assert.deepEqual(r.tree, expectedTree);

    assert.deepEqual(Object.fromEntries(r.containerEntities.map(([id, tk]) => [id, tk])), X.CORE_CONTAINER_ENTITIES);
    assert.ok(r.containerEntities.every(([, , , pl]) => pl === "portainer"), "platform portainer");
    if (ctx.env.ha !== "2024.3.3") {
      // the display registry carries has_entity_name ("hn") only in newer HA
      assert.ok(r.containerEntities.every(([, , hn]) => hn === true), "has_entity_name");
    }
    assert.deepEqual(Object.fromEntries(r.stackEntities.map(([id, tk]) => [id, tk])), X.CORE_STACK_ENTITIES);
    assert.ok(!r.sonarrIds.includes("binary_sensor.sonarr_status"), "no status binary_sensor for a container not running when discovered (2026.10+)");
    assert.ok(r.sonarrIds.includes("sensor.sonarr_state"));
    assert.deepEqual(r.cpuAttrs, { state_class: "measurement", unit_of_measurement: "%", friendly_name: "immich_server CPU usage total" });
    assert.equal(r.memState.state, "612.4");
    assert.equal(r.memState.attributes.unit_of_measurement, "MB");
    assert.equal(r.memState.attributes.state_class, "measurement");
    assert.deepEqual(r.stateAttrs.options, ["created", "restarting", "running", "removing", "paused", "exited", "dead"]);
    assert.equal(r.update.state, "on");
    assert.equal(r.update.attributes.installed_version, "sha256:afcc7f1ac1b4");
    assert.equal(r.update.attributes.latest_version, "sha256:5027ca26d72d");
    assert.equal(r.update.attributes.title, "immich_server");
    assert.equal(r.update.attributes.supported_features, 5);
  });

  check(ctx, "the frontend sees ha_portainer_link 0.6: one shared stack device, full names, stack buttons", async () => {
    const r = await withHass(page, (hass) => {
      const devs = Object.values(hass.devices).filter((d) => d.identifiers.some(([dom]) => dom === "ha_portainer_link"));
      const ents = Object.values(hass.entities).filter((e) => e.platform === "ha_portainer_link");
      const devName = (id) => hass.devices[id]?.name;
      return {
        devices: devs.map((d) => ({ name: d.name, model: d.model, manufacturer: d.manufacturer, via: d.via_device_id })),
        placement: Object.fromEntries(ents.map((e) => [e.entity_id, devName(e.device_id)])),
        keys: [...new Set(ents.map((e) => `${e.translation_key ?? null}/${e.has_entity_name ?? false}`))],
        friendly: hass.states["button.stack_monitoring_stop"].attributes.friendly_name,
        lokiStatus: hass.states["sensor.monitoring_loki_1_status"],
      };
    });
    assert.deepEqual(
      r.devices.sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: "mosquitto (192.168.1.20)", model: "Docker Container", manufacturer: "Docker via Portainer", via: null },
        { name: "Stack: monitoring (192.168.1.20)", model: "Docker Stack", manufacturer: "Docker via Portainer", via: null },
      ],
    );
    assert.deepEqual(r.keys, ["null/false"], "no translation_key, no has_entity_name");
    for (const id of X.LINK_CONTAINER_ENTITIES) assert.equal(r.placement[id], "Stack: monitoring (192.168.1.20)", id);
    for (const id of X.LINK_STACK_BUTTONS) assert.equal(r.placement[id], "Stack: monitoring (192.168.1.20)", id);
    assert.equal(r.placement["switch.prometheus_switch"], "Stack: monitoring (192.168.1.20)");
    assert.equal(r.placement["sensor.mosquitto_status"], "mosquitto (192.168.1.20)");
    assert.equal(Object.keys(r.placement).length, 4 * 14 + 3);
    assert.equal(r.friendly, "Stack: monitoring Stop");
    assert.deepEqual(r.lokiStatus.attributes, { icon: "mdi:docker", friendly_name: "monitoring-loki-1 Status" });
    assert.equal(r.lokiStatus.state, "exited");
  });

  check(ctx, "the frontend sees balena_cloud: fleet devices, via_device, 13 entities per device with the upstream attributes", async () => {
    const r = await withHass(page, (hass) => {
      const devs = Object.values(hass.devices).filter((d) => d.identifiers.some(([dom]) => dom === "balena_cloud"));
      const ident = (d) => d.identifiers.find(([dom]) => dom === "balena_cloud")[1];
      const ents = Object.values(hass.entities).filter((e) => e.platform === "balena_cloud");
      const lobby = devs.find((d) => d.name === "kiosk-lobby");
      return {
        devices: Object.fromEntries(devs.map((d) => [ident(d), { name: d.name, via: d.via_device_id ? ident(hass.devices[d.via_device_id]) : null, model: d.model, manufacturer: d.manufacturer }])),
        perDevice: Object.fromEntries(devs.map((d) => [d.name, ents.filter((e) => e.device_id === d.id).length])),
        lobbyEntities: ents.filter((e) => e.device_id === lobby.id).map((e) => e.entity_id).sort(),
        cpu: hass.states["sensor.kiosk_lobby_cpu_usage"],
        mem: hass.states["sensor.kiosk_lobby_memory_usage"].attributes,
        online: hass.states["binary_sensor.kiosk_lobby_online"].attributes,
        reboot: hass.states["button.kiosk_lobby_reboot_device"].attributes,
        cafe: ["sensor.kiosk_cafe_cpu_usage", "sensor.kiosk_cafe_fleet", "binary_sensor.kiosk_cafe_online", "button.kiosk_cafe_reboot_device", "switch.kiosk_cafe_public_url"].map((id) => hass.states[id].state),
        northUpdating: hass.states["binary_sensor.gateway_north_updating"].state,
        services: Object.keys(hass.services.balena_cloud).sort(),
        updateEnvFields: Object.keys(hass.services.balena_cloud.update_environment.fields).sort(),
      };
    });
    const expected = {};
    for (const [name, id] of Object.entries({ ...X.FLEETS, ...X.EMPTY_FLEET })) expected[`fleet_${id}`] = { name, via: null, model: "", manufacturer: "Balena" };
    for (const [name, d] of Object.entries(X.DEVICES)) expected[d.uuid] = { name, via: `fleet_${X.FLEETS[d.fleet]}`, model: "", manufacturer: "Balena" };
    assert.deepEqual(r.devices, expected);
    assert.deepEqual(r.perDevice, { "signage-prod": 0, "sensors-field": 0, "legacy-test": 0, ...Object.fromEntries(Object.keys(X.DEVICES).map((n) => [n, 13])) });
    assert.deepEqual(r.lobbyEntities, [...X.BALENA_DEVICE_ENTITIES].sort());
    assert.equal(r.cpu.state, "12");
    const { last_seen: lastSeen, ...cpuAttrs } = r.cpu.attributes;
    assert.match(lastSeen, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/);
    assert.deepEqual(cpuAttrs, {
      state_class: "measurement", device_uuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90", device_name: "kiosk-lobby", device_type: "",
      fleet_id: 2101234, fleet_name: "signage-prod", is_online: true, os_version: "balenaOS 6.0.24", supervisor_version: "16.7.8",
      ip_address: "192.168.1.42", public_address: "203.0.113.25", mac_address: "DC:A6:32:AB:CD:EF",
      unit_of_measurement: "%", icon: "mdi:chip", friendly_name: "kiosk-lobby CPU Usage",
    });
    assert.equal(r.mem.memory_usage, 1203);
    assert.equal(r.mem.memory_total, 3791);
    assert.deepEqual(Object.keys(r.online), ["device_uuid", "device_name", "device_type", "fleet_name", "os_version", "supervisor_version", "mac_address", "ip_address", "status", "last_seen", "device_class", "icon", "friendly_name"]);
    assert.equal(r.online.icon, "mdi:check-circle");
    assert.deepEqual(r.reboot, { device_uuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90", device_name: "kiosk-lobby", device_type: "", fleet_name: "signage-prod", icon: "mdi:power-cycle", friendly_name: "kiosk-lobby Reboot Device" });
    // offline device: metrics and buttons unavailable, cloud data and the switch still available
    assert.deepEqual(r.cafe, ["unavailable", "signage-prod", "off", "unavailable", "off"]);
    assert.equal(r.northUpdating, "on");
    assert.deepEqual(r.services, X.BALENA_SERVICES);
    assert.deepEqual(r.updateEnvFields, ["device_uuid", "merge", "variables"], "services.yaml documents `merge` like upstream");
  });

  check(ctx, "balena_cloud.update_environment has the upstream schema: extra keys are rejected", async () => {
    const uuid = X.DEVICES["gateway-south"].uuid;
    const results = await withHass(page, async (hass, uuid) => {
      const call = (data) => hass.callWS({ type: "call_service", domain: "balena_cloud", service: "update_environment", service_data: data })
        .then(() => "ok", (e) => `${e.code}`);
      return {
        merge: await call({ device_uuid: uuid, variables: { A: "1" }, merge: true }),
        target: await call({ device_uuid: uuid, variables: { A: "1" }, entity_id: "sensor.gateway_south_fleet" }),
        missing: await call({ device_uuid: uuid }),
      };
    }, uuid);
    assert.deepEqual(results, { merge: "invalid_format", target: "invalid_format", missing: "invalid_format" });
    const log = (await ctx.ha.actionLog()).filter((e) => e.action === "update_environment");
    assert.deepEqual(log, [], "rejected calls never reach the integration");
  });

  check(ctx, "the card is served from /local/ as a Lovelace resource with a cache-busting query", async () => {
    const r = await page.evaluate(async () => {
      const hass = document.querySelector("home-assistant").hass;
      const resources = await hass.callWS({ type: "lovelace/resources" });
      const res = await fetch(resources[0].url);
      const body = await res.arrayBuffer();
      return {
        resources: resources.map(({ type, url }) => ({ type, url })),
        status: res.status,
        contentType: res.headers.get("content-type"),
        bytes: body.byteLength,
        scripts: [...document.querySelectorAll("script[type=module]")].map((s) => { const u = new URL(s.src, location.href); return u.pathname + u.search; }),
      };
    });
    assert.deepEqual(r.resources, [{ type: "module", url: ctx.ha.cardUrl }]);
    assert.match(ctx.ha.cardUrl, /^\/local\/fleet-deck-card\.js\?v=[0-9a-f]{12}$/);
    assert.equal(r.status, 200);
    assert.match(r.contentType, /javascript/);
    assert.equal(r.bytes, ctx.ha.cardBytes);
    assert.ok(r.scripts.includes(ctx.ha.cardUrl), `the frontend loaded ${ctx.ha.cardUrl} as a module (scripts: ${r.scripts.join(", ")})`);
    await page.context().close();
  });
}

function groupBy(list, key) {
  const out = {};
  for (const x of list) (out[key(x)] ||= []).push(x);
  return out;
}
