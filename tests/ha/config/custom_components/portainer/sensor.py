"""Sensors of the core `portainer` double (HA 2026.11 keys, units and state classes)."""
from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfInformation
from homeassistant.helpers.device_registry import DeviceInfo

from .entity import ContainerEntity, EndpointEntity, PortainerEntity, StackEntity
from .model import DOMAIN, EXITED, HOST_MEMORY, PAUSED, RUNNING, STATES


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    entities = []
    for c in model.containers.values():
        entities += [
            ContainerStateSensor(model, c, "container_state"),
            ContainerSensor(model, c, "image"),
            ContainerStartedSensor(model, c, "container_started_at"),
            ContainerSensor(model, c, "container_restart_count"),
            ContainerSensor(model, c, "cpu_usage_total"),
            ContainerSensor(model, c, "memory_usage"),
            ContainerSensor(model, c, "memory_usage_percentage"),
            ContainerSensor(model, c, "memory_limit"),
        ]
        if c.image_version:  # only with the org.opencontainers.image.version label
            entities.append(ContainerSensor(model, c, "image_version"))
        if c.health:  # only with a HEALTHCHECK
            entities.append(ContainerHealthSensor(model, c, "container_health_state"))
    for ep in model.endpoints.values():
        for key in ("containers_count", "containers_running", "containers_stopped", "containers_paused", "images_count"):
            entities.append(EndpointCountSensor(model, ep, key))
        for s in ep.stacks.values():
            entities += [StackTypeSensor(model, s, "stack_type"), StackCountSensor(model, s, "stack_containers_count")]
        for vol_name in ep.volumes:
            entities += [VolumeSensor(model, ep.id, vol_name, "volume_driver"), VolumeSensor(model, ep.id, vol_name, "volume_size")]
    async_add_entities(entities)


class ContainerStateSensor(ContainerEntity, SensorEntity):
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = STATES

    @property
    def native_value(self):
        return self.cont.state


class ContainerHealthSensor(ContainerEntity, SensorEntity):
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = ["healthy", "unhealthy", "starting"]
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def native_value(self):
        return self.cont.health


class ContainerStartedSensor(ContainerEntity, SensorEntity):
    _attr_device_class = SensorDeviceClass.TIMESTAMP
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def native_value(self):
        return self.cont.started_at


class ContainerSensor(ContainerEntity, SensorEntity):
    def __init__(self, model, cont, key):
        super().__init__(model, cont, key)
        if key not in ("image", "image_version"):
            self._attr_entity_category = EntityCategory.DIAGNOSTIC
        if key == "container_restart_count":
            self._attr_state_class = SensorStateClass.TOTAL_INCREASING
        elif key in ("cpu_usage_total", "memory_usage_percentage"):
            self._attr_native_unit_of_measurement = PERCENTAGE
            self._attr_state_class = SensorStateClass.MEASUREMENT
            self._attr_suggested_display_precision = 2
        elif key in ("memory_usage", "memory_limit"):
            self._attr_device_class = SensorDeviceClass.DATA_SIZE
            self._attr_native_unit_of_measurement = UnitOfInformation.BYTES
            self._attr_suggested_unit_of_measurement = UnitOfInformation.MEGABYTES
            self._attr_suggested_display_precision = 1
            self._attr_state_class = SensorStateClass.MEASUREMENT

    @property
    def native_value(self):
        c = self.cont
        running = c.state in (RUNNING, PAUSED)
        if self.key == "image":
            return c.image
        if self.key == "image_version":
            return c.image_version
        if self.key == "container_restart_count":
            return c.restart_count
        if self.key == "cpu_usage_total":
            return round(c.cpu, 2) if c.state == RUNNING else 0.0
        if self.key == "memory_usage":
            return c.memory if running else 0
        if self.key == "memory_usage_percentage":
            limit = c.memory_limit or HOST_MEMORY
            return round(c.memory / limit * 100, 2) if running else 0.0
        if self.key == "memory_limit":
            return c.memory_limit or HOST_MEMORY
        return None


class StackTypeSensor(StackEntity, SensorEntity):
    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = ["swarm", "compose", "kubernetes"]
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def native_value(self):
        return self.stack.type


class StackCountSensor(StackEntity, SensorEntity):
    _attr_native_unit_of_measurement = "containers"
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def native_value(self):
        return len(self.model.stack_containers(self.endpoint_id, self.stack_id))


class EndpointCountSensor(EndpointEntity, SensorEntity):
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def native_value(self):
        conts = self.model.endpoint_containers(self.endpoint_id)
        if self.key == "containers_count":
            return len(conts)
        if self.key == "containers_running":
            return sum(c.state == RUNNING for c in conts)
        if self.key == "containers_stopped":
            return sum(c.state == EXITED for c in conts)
        if self.key == "containers_paused":
            return sum(c.state == PAUSED for c in conts)
        return len({c.image for c in conts})


class VolumeSensor(PortainerEntity, SensorEntity):
    def __init__(self, model, endpoint_id, name, key):
        super().__init__(model, key)
        self._attr_unique_id = f"{model.entry_id}_{endpoint_id}_volume_{name}_{key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, f"{model.entry_id}_{endpoint_id}_volume_{name}")})
        if key == "volume_size":
            self._attr_device_class = SensorDeviceClass.DATA_SIZE
            self._attr_native_unit_of_measurement = UnitOfInformation.BYTES
            self._attr_suggested_unit_of_measurement = UnitOfInformation.GIBIBYTES
            self._attr_suggested_display_precision = 2

    @property
    def native_value(self):
        return "local" if self.key == "volume_driver" else 2_147_483_648
