// Scenario descriptions: which integrations exist with which containers/devices, and how many
// states the whole house has. `demo` is hand-written; `S` and `L` are built from pools.
import { createRng } from "./prng.js";
import { DAY, HOUR } from "./util.js";

const demo = () => ({
  totalStates: 1000,
  core: [{
    url: "https://portainer.lan:9443", serverVersion: "2.33.2", latestServerVersion: "2.33.3",
    endpoints: [
      {
        id: 1, name: "local",
        stacks: [
          { id: 7, name: "immich", containers: [
            { name: "immich_server", image: "ghcr.io/immich-app/immich-server:release", health: "healthy", versionLabel: "v2.2.3",
              createdLabel: "2026-10-21T14:02:11+00:00", cpu: 1.73, mem: 612.4, service: "immich-server" },
            { name: "immich_machine_learning", image: "ghcr.io/immich-app/immich-machine-learning:release", health: "healthy", cpu: 0.41, mem: 1290.2, service: "immich-machine-learning" },
            { name: "immich_redis", image: "docker.io/valkey/valkey:8-bookworm", health: "healthy", cpu: 0.28, mem: 14.8, service: "redis" },
            { name: "immich_postgres", image: "ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0", health: "healthy", cpu: 0.92, mem: 402.7, service: "database" },
          ] },
          { id: 3, name: "paperless", containers: [
            { name: "paperless-webserver-1", image: "ghcr.io/paperless-ngx/paperless-ngx:latest", health: "healthy", update: true, versionLabel: "2.18.4", service: "webserver" },
            { name: "paperless-broker-1", image: "docker.io/library/redis:7", service: "broker" },
            { name: "paperless-db-1", image: "docker.io/library/postgres:17", service: "db" },
            { name: "paperless-gotenberg-1", image: "docker.io/gotenberg/gotenberg:8.20", service: "gotenberg" },
            { name: "paperless-tika-1", image: "docker.io/apache/tika:latest", service: "tika" },
          ] },
        ],
        standalone: [
          { name: "homeassistant", image: "ghcr.io/home-assistant/home-assistant:stable", cpu: 3.1, mem: 890.5, versionLabel: "2026.11.0" },
          { name: "mosquitto", image: "docker.io/library/eclipse-mosquitto:2.0.22" },
          { name: "uptime-kuma", image: "docker.io/louislam/uptime-kuma:1", state: "exited", health: "healthy", startedAgo: 6 * DAY },
          // A compose project that Portainer does not manage: core does not nest it under a stack.
          { name: "adguardhome", image: "docker.io/adguard/adguardhome:v0.107.63", project: "adguard" },
          { name: "portainer", image: "docker.io/portainer/portainer-ce:2.33.2" },
        ],
        volumes: ["immich_model-cache", "immich_pgdata", "paperless_data", "paperless_media",
          "3f9a2c41d1e0b7a65c2e8f0d94b1a7c3e5d6f8091a2b3c4d5e6f708192a3b4c5"],
      },
      {
        id: 2, name: "nas",
        stacks: [
          { id: 11, name: "nextcloud", containers: [
            { name: "nextcloud-app-1", image: "docker.io/library/nextcloud:31-apache", health: "unhealthy", cpu: 7.9, mem: 530.1, service: "app" },
            { name: "nextcloud-db-1", image: "docker.io/library/mariadb:11.4", health: "healthy", service: "db" },
            { name: "nextcloud-redis-1", image: "docker.io/library/redis:7-alpine", service: "redis" },
            { name: "nextcloud-cron-1", image: "docker.io/library/nextcloud:31-apache", service: "cron" },
          ] },
          { id: 12, name: "media", containers: [
            { name: "jellyfin", image: "docker.io/jellyfin/jellyfin:10.10.7", health: "healthy", update: true, versionLabel: "10.10.7", cpu: 12.4, mem: 1820.3 },
            { name: "sonarr", image: "lscr.io/linuxserver/sonarr:latest", state: "paused" },
            { name: "radarr", image: "lscr.io/linuxserver/radarr:latest" },
            { name: "prowlarr", image: "lscr.io/linuxserver/prowlarr:latest" },
            { name: "qbittorrent", image: "lscr.io/linuxserver/qbittorrent:5.1.2", cpu: 18.2, mem: 702.9 },
          ] },
        ],
        standalone: [
          // Same name as the container on `local`: identical device names → `_2` entity ids.
          { name: "mosquitto", image: "docker.io/library/eclipse-mosquitto:2.0.22" },
          { name: "syncthing", image: "docker.io/syncthing/syncthing:2.0", health: "healthy" },
          { name: "portainer_agent", image: "docker.io/portainer/agent:2.33.2" },
        ],
        volumes: ["nextcloud_nextcloud", "nextcloud_db", "jellyfin_config"],
      },
    ],
  }],
  link: [
    {
      baseUrl: "http://192.168.1.20:9000", endpointId: 3,
      stacks: [
        { name: "monitoring", containers: [
          { name: "grafana", image: "grafana/grafana:12.2.0" },
          { name: "prometheus", image: "prom/prometheus:v3.6.0" },
          { name: "loki", image: "grafana/loki:3.5" },
          { name: "node-exporter", image: "prom/node-exporter:latest", versionLabel: "1.9.1" },
        ] },
        { name: "vaultwarden", containers: [{ name: "vaultwarden", image: "vaultwarden/server:1.34.3" }] },
      ],
      standalone: [
        { name: "pihole", image: "pihole/pihole:latest", update: true, versionLabel: "2025.08.0" },
        { name: "homebridge", image: "homebridge/homebridge:latest", state: "exited" },
      ],
    },
    {
      baseUrl: "https://pi4.home.arpa:9443", endpointId: 2,
      stacks: [{ name: "zigbee", containers: [
        { name: "zigbee2mqtt", image: "koenkk/zigbee2mqtt:2.6.1" },
        { name: "node-red", image: "nodered/node-red:4.1" },
      ] }],
      standalone: [{ name: "esphome", image: "ghcr.io/esphome/esphome:2025.9" }],
    },
  ],
  tomaae: [{
    host: "10.0.0.5:9000", inst: "Portainer",
    endpoints: [{ id: 1, name: "vps", containers: [
      { name: "traefik", image: "traefik:v3.5", update: true, health: "healthy" },
      { name: "authelia", image: "authelia/authelia:4.39", health: "healthy" },
      { name: "gitea", image: "gitea/gitea:1.24", project: "gitea", service: "server", health: "healthy" },
      { name: "gitea-db", image: "postgres:16", project: "gitea", service: "db", health: "starting" },
      { name: "wireguard", image: "lscr.io/linuxserver/wireguard:latest", state: "exited" },
    ] }],
  }],
  balena: [{
    account: "fleetops",
    fleets: [
      { id: 2101234, name: "signage-prod", subnet: 1, env: { TZ: "Europe/Berlin", DISPLAY_ROTATION: "0" }, devices: [
        { name: "kiosk-lobby", uuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90", cpu: 12, memUsage: 1203, memTotal: 3791, storageUsage: 2874, storageTotal: 29340, temp: 51, mac: "DC:A6:32:AB:CD:EF",
          osVersion: "balenaOS 6.0.24", ip: "192.168.1.42", publicIp: "203.0.113.25", rebootedAgo: 15 * HOUR,
          env: { DISPLAY_URL: "https://signage.example.com/lobby" } },
        { name: "kiosk-foyer", env: { DISPLAY_URL: "https://signage.example.com/foyer" } },
        { name: "kiosk-cafeteria", publicUrlOn: true },
        { name: "menu-board-1" },
        { name: "menu-board-2", status: "Downloading" },
        { name: "wall-display-hq", online: false, offlineFor: 2 * DAY },
        // Non-ASCII display name: the entity ids are slugs (sensor.cafe_menu_board_cpu_usage).
        { name: "Café Menü-Board" },
      ] },
      { id: 2101240, name: "sensors-lab", subnet: 40, env: { SAMPLE_INTERVAL: "60", MQTT_HOST: "mqtt.lab.local" }, devices: [
        { name: "env-sensor-01" },
        { name: "env-sensor-02" },
        // Public URL enabled in balenaCloud, but the switch only knows what it cached: reads off.
        { name: "env-sensor-03", webAccessible: true },
        { name: "env-sensor-04" },
        { name: "env-sensor-05", online: false, offlineFor: 3 * HOUR },
        { name: "air-quality-west", cpu: 31 },
        // Never named in balenaCloud: HA falls back to the uuid for names and entity ids.
        { name: "", uuid: "9f8e7d6c5b4a39281706f5e4d3c2b1a0" },
      ] },
    ],
    emptyFleets: [{ id: 2099876, name: "legacy-kiosks" }],
  }],
});

// Pools for the generated scenarios.
const APPS = [
  ["immich", [["server", "ghcr.io/immich-app/immich-server:release"], ["machine-learning", "ghcr.io/immich-app/immich-machine-learning:release"], ["redis", "docker.io/valkey/valkey:8"], ["postgres", "ghcr.io/immich-app/postgres:14"]]],
  ["paperless", [["webserver", "ghcr.io/paperless-ngx/paperless-ngx:latest"], ["broker", "docker.io/library/redis:7"], ["db", "docker.io/library/postgres:17"], ["gotenberg", "docker.io/gotenberg/gotenberg:8.20"], ["tika", "docker.io/apache/tika:latest"]]],
  ["nextcloud", [["app", "docker.io/library/nextcloud:31-apache"], ["db", "docker.io/library/mariadb:11.4"], ["redis", "docker.io/library/redis:7-alpine"], ["cron", "docker.io/library/nextcloud:31-apache"]]],
  ["gitea", [["server", "gitea/gitea:1.24"], ["db", "postgres:16"]]],
  ["monitoring", [["grafana", "grafana/grafana:12.2.0"], ["prometheus", "prom/prometheus:v3.6.0"], ["loki", "grafana/loki:3.5"], ["promtail", "grafana/promtail:3.5"]]],
  ["arr", [["sonarr", "lscr.io/linuxserver/sonarr:latest"], ["radarr", "lscr.io/linuxserver/radarr:latest"], ["prowlarr", "lscr.io/linuxserver/prowlarr:latest"], ["lidarr", "lscr.io/linuxserver/lidarr:latest"], ["bazarr", "lscr.io/linuxserver/bazarr:latest"]]],
  ["authentik", [["server", "ghcr.io/goauthentik/server:2025.8"], ["worker", "ghcr.io/goauthentik/server:2025.8"], ["postgresql", "docker.io/library/postgres:16-alpine"], ["redis", "docker.io/library/redis:alpine"]]],
  ["n8n", [["n8n", "docker.n8n.io/n8nio/n8n:1.112.0"], ["postgres", "postgres:16"], ["redis", "redis:7"]]],
  ["mealie", [["mealie", "ghcr.io/mealie-recipes/mealie:v3.1.2"], ["db", "postgres:15"]]],
];
const STANDALONE = [
  ["homeassistant", "ghcr.io/home-assistant/home-assistant:stable"], ["mosquitto", "docker.io/library/eclipse-mosquitto:2.0.22"],
  ["portainer", "docker.io/portainer/portainer-ce:2.33.2"], ["uptime-kuma", "docker.io/louislam/uptime-kuma:1"],
  ["vaultwarden", "vaultwarden/server:1.34.3"], ["jellyfin", "docker.io/jellyfin/jellyfin:10.10.7"],
  ["syncthing", "docker.io/syncthing/syncthing:2.0"], ["esphome", "ghcr.io/esphome/esphome:2025.9"],
  ["zigbee2mqtt", "koenkk/zigbee2mqtt:2.6.1"], ["node-red", "nodered/node-red:4.1"], ["pihole", "pihole/pihole:latest"],
  ["watchtower", "containrrr/watchtower:1.7.1"], ["frigate", "ghcr.io/blakeblackshear/frigate:0.16.1"],
  ["adguardhome", "docker.io/adguard/adguardhome:v0.107.63"], ["code-server", "lscr.io/linuxserver/code-server:latest"],
  ["homepage", "ghcr.io/gethomepage/homepage:v1.4"], ["dozzle", "amir20/dozzle:v8.13"], ["wireguard", "lscr.io/linuxserver/wireguard:latest"],
];
const L_SERVICES = [
  ["web", "nginx:1.27"], ["api", "ghcr.io/acme/api:2.4.1"], ["worker", "ghcr.io/acme/worker:2.4.1"], ["db", "postgres:16"],
  ["redis", "redis:7-alpine"], ["proxy", "traefik:v3.5"], ["cron", "ghcr.io/acme/worker:2.4.1"], ["exporter", "prom/node-exporter:v1.9.1"],
  ["queue", "rabbitmq:4-management"], ["cache", "memcached:1.6"],
];

/** Random container facts with the distribution of a long-running homelab. */
function varied(rng, name, image, extra = {}) {
  const r = rng.next();
  const state = r < 0.05 ? "exited" : r < 0.07 ? "paused" : "running";
  const hasHealth = rng.chance(0.4);
  const h = rng.next();
  return {
    name, image, state,
    health: hasHealth ? (h < 0.06 ? "unhealthy" : h < 0.1 ? "starting" : "healthy") : null,
    update: rng.chance(0.08),
    ...extra,
  };
}

function small(seed) {
  const rng = createRng(`S:${seed}`);
  const endpoints = [{ id: 1, name: "local", apps: APPS.slice(0, 5), standalone: 6 }, { id: 2, name: "nas", apps: APPS.slice(5, 9), standalone: 11 }];
  let stackId = 1;
  let sa = 0;
  return {
    totalStates: 5000,
    core: [{
      url: "https://portainer.lan:9443",
      endpoints: endpoints.map((ep) => ({
        id: ep.id, name: ep.name,
        stacks: ep.apps.map(([app, services]) => ({
          id: stackId++, name: app,
          containers: services.map(([svc, image]) => varied(rng, `${app}-${svc}-1`, image, { service: svc })),
        })),
        // `mosquitto` is the second pool entry on both endpoints: a same-name clash (`_2`).
        standalone: Array.from({ length: ep.standalone }, (_, i) => {
          const [name, image] = STANDALONE[ep.id === 1 ? i : (i === 1 ? 1 : 6 + sa++)];
          return varied(rng, name, image);
        }),
      })),
    }],
    balena: [{
      account: "fleetops",
      fleets: [
        { id: 2101234, name: "signage-prod", subnet: 1, devices: devices(rng, "kiosk", 12) },
        { id: 2101240, name: "sensors-lab", subnet: 40, devices: devices(rng, "env-sensor", 8) },
      ],
    }],
  };
}

function devices(rng, prefix, n) {
  return Array.from({ length: n }, (_, i) => {
    const r = rng.next();
    return {
      name: `${prefix}-${String(i + 1).padStart(n >= 100 ? 3 : 2, "0")}`,
      online: r >= 0.06,
      status: r > 0.985 ? "Downloading" : "Idle",
      offlineFor: rng.float(HOUR, 5 * DAY),
    };
  });
}

function large(seed) {
  const rng = createRng(`L:${seed}`);
  const epNames = ["local", "nas", "edge"];
  const endpoints = epNames.map((name, i) => ({ id: i + 1, name, stacks: [], standalone: [] }));
  for (let s = 0; s < 100; s++) {
    const [app] = APPS[s % APPS.length];
    const stackName = `${app}-${String(s + 1).padStart(3, "0")}`;
    endpoints[s % 3].stacks.push({
      id: s + 1, name: stackName,
      containers: L_SERVICES.map(([svc, image]) => varied(rng, `${stackName}-${svc}-1`, image, { service: svc })),
    });
  }
  const fleetNames = ["signage-prod", "signage-staging", "sensors-lab", "sensors-field", "kiosks-eu", "kiosks-us",
    "gateways", "cameras", "pos-terminals", "digital-menus"];
  return {
    totalStates: 15000,
    core: [{ url: "https://portainer.lan:9443", endpoints }],
    balena: [{
      account: "fleetops",
      fleets: fleetNames.map((name, i) => ({ id: 2101234 + i * 17, name, subnet: 10 + i, devices: devices(rng, name, 100) })),
    }],
  };
}

export const SCENARIOS = { demo, S: small, L: large };

export function scenarioSpec(name, seed) {
  const make = SCENARIOS[name];
  if (!make) throw new Error(`Unknown scenario "${name}" (expected ${Object.keys(SCENARIOS).join(", ")})`);
  return make(seed);
}
