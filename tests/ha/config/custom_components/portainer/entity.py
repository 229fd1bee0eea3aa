"""Base entities of the core `portainer` double: has_entity_name + translation_key, devices and
unique_ids as in HA 2026.11 (homeassistant/components/portainer/entity.py)."""
from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity

from .model import DOMAIN, Container, Endpoint, PortainerModel, Stack


def endpoint_identifier(model: PortainerModel, endpoint_id: int) -> tuple[str, str]:
    return (DOMAIN, f"{model.entry_id}_{endpoint_id}")


def stack_identifier(model: PortainerModel, endpoint_id: int, stack_id: int) -> tuple[str, str]:
    return (DOMAIN, f"{model.entry_id}_{endpoint_id}_stack_{stack_id}")


class PortainerEntity(Entity):
    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, model: PortainerModel, key: str, translation_key: str | None = None) -> None:
        self.model = model
        self.key = key
        self._attr_translation_key = translation_key or key

    async def async_added_to_hass(self) -> None:
        self.async_on_remove(async_dispatcher_connect(self.hass, self.model.signal, self.async_write_ha_state))


class ContainerEntity(PortainerEntity):
    def __init__(self, model: PortainerModel, cont: Container, key: str, translation_key: str | None = None) -> None:
        super().__init__(model, key, translation_key)
        self.cont_key = cont.key
        self._attr_unique_id = f"{model.entry_id}_{cont.endpoint_id}_{cont.name}_{key}"
        via = stack_identifier(model, cont.endpoint_id, cont.stack_id) if cont.stack_id is not None else endpoint_identifier(model, cont.endpoint_id)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, f"{model.entry_id}_{cont.endpoint_id}_{cont.name}")},
            name=cont.name,
            manufacturer="Portainer",
            model="Container",
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=f"{model.url}#!/{cont.endpoint_id}/docker/containers/{cont.docker_id}",
            via_device=via,
        )

    @property
    def cont(self) -> Container:
        return self.model.containers[self.cont_key]


class StackEntity(PortainerEntity):
    def __init__(self, model: PortainerModel, stack: Stack, key: str, translation_key: str | None = None) -> None:
        super().__init__(model, key, translation_key)
        self.endpoint_id = stack.endpoint_id
        self.stack_id = stack.id
        self._attr_unique_id = f"{model.entry_id}_{stack.id}_{key}"
        self._attr_device_info = DeviceInfo(identifiers={stack_identifier(model, stack.endpoint_id, stack.id)})

    @property
    def stack(self) -> Stack:
        return self.model.endpoints[self.endpoint_id].stacks[self.stack_id]


class EndpointEntity(PortainerEntity):
    def __init__(self, model: PortainerModel, endpoint: Endpoint, key: str, translation_key: str | None = None) -> None:
        super().__init__(model, key, translation_key)
        self.endpoint_id = endpoint.id
        self._attr_unique_id = f"{model.entry_id}_{endpoint.id}_{key}"
        self._attr_device_info = DeviceInfo(identifiers={endpoint_identifier(model, endpoint.id)})

    @property
    def endpoint(self) -> Endpoint:
        return self.model.endpoints[self.endpoint_id]
