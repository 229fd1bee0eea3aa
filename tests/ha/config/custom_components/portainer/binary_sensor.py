"""Container `status` (only for containers running when first discovered, 2026.10+) and
`container_out_of_memory`; stack `status` (key stack_status); endpoint `status`."""
from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity
from homeassistant.const import EntityCategory

from .entity import ContainerEntity, EndpointEntity, StackEntity
from .model import DOMAIN, RUNNING, STACK_ACTIVE


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    entities = []
    for c in model.containers.values():
        if c.running_at_discovery:
            entities.append(ContainerStatus(model, c, "status"))
        entities.append(ContainerOOM(model, c, "container_out_of_memory"))
    for ep in model.endpoints.values():
        entities.append(EndpointStatus(model, ep, "status"))
        entities += [StackStatus(model, s, "stack_status", "status") for s in ep.stacks.values()]
    async_add_entities(entities)


class ContainerStatus(ContainerEntity, BinarySensorEntity):
    _attr_device_class = BinarySensorDeviceClass.RUNNING
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def is_on(self) -> bool:
        return self.cont.state == RUNNING


class ContainerOOM(ContainerEntity, BinarySensorEntity):
    _attr_device_class = BinarySensorDeviceClass.PROBLEM
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def is_on(self) -> bool:
        return self.cont.oom


class StackStatus(StackEntity, BinarySensorEntity):
    _attr_device_class = BinarySensorDeviceClass.RUNNING
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def is_on(self) -> bool:
        return self.stack.status == STACK_ACTIVE


class EndpointStatus(EndpointEntity, BinarySensorEntity):
    _attr_device_class = BinarySensorDeviceClass.RUNNING
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    @property
    def is_on(self) -> bool:
        return True
