// What config/fleet_deck_fixture.yaml sets up, spelled out so a discovery bug cannot hide
// behind a count computed from the same data. Change both files together.

export const CORE_STACKS = { immich: ["immich_server", "immich_machine_learning", "immich_redis", "immich_postgres"], media: ["jellyfin", "sonarr"] };
export const CORE_STANDALONE = { local: ["nginx_proxy", "watchtower"], nas: ["restic_backup"] };
export const LINK_STACKS = { monitoring: ["grafana", "prometheus", "monitoring-loki-1"] };
export const LINK_STANDALONE = ["mosquitto"];

/** name -> { source, state } at the start of a run (and again after an HA restart). */
export const CONTAINERS = {
  immich_server: { source: "portainer", state: "running" },
  immich_machine_learning: { source: "portainer", state: "running" },
  immich_redis: { source: "portainer", state: "running" },
  immich_postgres: { source: "portainer", state: "running" },
  jellyfin: { source: "portainer", state: "running" },
  sonarr: { source: "portainer", state: "exited" },
  nginx_proxy: { source: "portainer", state: "running" },
  watchtower: { source: "portainer", state: "paused" },
  restic_backup: { source: "portainer", state: "running" },
  grafana: { source: "ha_portainer_link", state: "running" },
  prometheus: { source: "ha_portainer_link", state: "running" },
  "monitoring-loki-1": { source: "ha_portainer_link", state: "exited" },
  mosquitto: { source: "ha_portainer_link", state: "running" },
};

export const FLEETS = { "signage-prod": 2101234, "sensors-field": 2105678 };
export const EMPTY_FLEET = { "legacy-test": 2109999 }; // accessible, not selected: a device without entities

/** name -> { uuid, fleet, state } (state as the card's data-state). */
export const DEVICES = {
  "kiosk-lobby": { uuid: "a1b2c3d4e5f60718293a4b5c6d7e8f90", fleet: "signage-prod", state: "online" },
  "kiosk-foyer": { uuid: "b2c3d4e5f60718293a4b5c6d7e8f90a1", fleet: "signage-prod", state: "online" },
  "kiosk-cafe": { uuid: "c3d4e5f60718293a4b5c6d7e8f90a1b2", fleet: "signage-prod", state: "offline" },
  "gateway-north": { uuid: "d4e5f60718293a4b5c6d7e8f90a1b2c3", fleet: "sensors-field", state: "updating" },
  "gateway-south": { uuid: "e5f60718293a4b5c6d7e8f90a1b2c3d4", fleet: "sensors-field", state: "online" },
};

/** The card's header counts right after discovery. */
export const HEADER_COUNTS = {
  containers: 13,
  running: 10, // state == running (watchtower is paused)
  stacks: 3, // immich, media (core) + monitoring (ha_portainer_link)
  updates: 3, // immich_server, jellyfin (core update entities) + mosquitto (ha_portainer_link)
  unhealthy: 1, // immich_machine_learning
  devices: 5,
  online: 4, // every device whose binary_sensor.*_online is on (gateway-north is online and downloading)
  fleets: 2, // legacy-test has no tracked devices and fleets.show_empty defaults to false
};

/** HA core portainer 2026.11: entities of one container device (immich_server), id -> translation_key. */
export const CORE_CONTAINER_ENTITIES = {
  "switch.immich_server_container": "container",
  "sensor.immich_server_state": "container_state",
  "sensor.immich_server_image": "image",
  "sensor.immich_server_image_version": "image_version",
  "sensor.immich_server_health": "container_health_state",
  "sensor.immich_server_started": "container_started_at",
  "sensor.immich_server_restart_count": "container_restart_count",
  "sensor.immich_server_cpu_usage_total": "cpu_usage_total",
  "sensor.immich_server_memory_usage": "memory_usage",
  "sensor.immich_server_memory_usage_percentage": "memory_usage_percentage",
  "sensor.immich_server_memory_limit": "memory_limit",
  "binary_sensor.immich_server_status": "status",
  "binary_sensor.immich_server_out_of_memory": "container_out_of_memory",
  "button.immich_server_restart_container": "restart_container",
  "button.immich_server_pause_container": "pause_container",
  "button.immich_server_resume_container": "resume_container",
  "button.immich_server_recreate_container": "recreate_container",
  "button.immich_server_kill_container": "kill_container",
  "update.immich_server_image_update_available": "container_image_update",
  "event.immich_server_docker_event": "docker_event",
};

export const CORE_STACK_ENTITIES = {
  "switch.immich_stack": "stack",
  "binary_sensor.immich_status": "status",
  "sensor.immich_type": "stack_type",
  "sensor.immich_containers": "stack_containers_count",
  "button.immich_update_stack": "update_stack",
};

/** ha_portainer_link 0.6.0: entities of one container (all on the shared stack device). */
export const LINK_CONTAINER_ENTITIES = [
  "sensor.grafana_status", "sensor.grafana_image", "sensor.grafana_cpu_usage", "sensor.grafana_memory_usage",
  "sensor.grafana_uptime", "sensor.grafana_current_version", "sensor.grafana_available_version",
  "sensor.grafana_current_digest", "sensor.grafana_available_digest", "switch.grafana_switch",
  "button.grafana_restart", "button.grafana_pull_update", "binary_sensor.grafana_update_available", "update.grafana_update",
];
export const LINK_STACK_BUTTONS = ["button.stack_monitoring_start", "button.stack_monitoring_stop", "button.stack_monitoring_update"];

/** balena_cloud: the 13 entities of one device. */
export const BALENA_DEVICE_ENTITIES = [
  "sensor.kiosk_lobby_cpu_usage", "sensor.kiosk_lobby_memory_usage", "sensor.kiosk_lobby_storage_usage",
  "sensor.kiosk_lobby_temperature", "sensor.kiosk_lobby_fleet", "sensor.kiosk_lobby_ip_address",
  "sensor.kiosk_lobby_mac_address", "binary_sensor.kiosk_lobby_online", "binary_sensor.kiosk_lobby_updating",
  "button.kiosk_lobby_restart_application", "button.kiosk_lobby_reboot_device", "button.kiosk_lobby_shutdown_device",
  "switch.kiosk_lobby_public_url",
];

export const BALENA_SERVICES = [
  "disable_device_url", "enable_device_url", "get_environment", "reboot_device", "restart_application",
  "shutdown_device", "update_environment",
];

/** CPU values pushed into sensor.jellyfin_cpu_usage_total before the browser opens: the chart
 * can only know them from the recorder. */
export const CHART_CONTAINER = "jellyfin";
export const CHART_ENTITY = "sensor.jellyfin_cpu_usage_total";
export const CHART_VALUES = [11.5, 23.25, 35, 18.75, 42.5, 27.0];

/** Entities every double must have created before the checks start. */
export const READY_ENTITIES = [
  "switch.immich_server_container", "switch.restic_backup_container", "button.stack_monitoring_stop",
  "sensor.mosquitto_status", "binary_sensor.kiosk_lobby_online", "switch.gateway_south_public_url",
];
