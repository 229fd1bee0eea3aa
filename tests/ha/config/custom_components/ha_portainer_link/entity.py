"""Entities of the `ha_portainer_link` double (0.6.0 entity.py): full names, no has_entity_name;
a stack container's entities all sit on the shared stack device."""
from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity

from .model import DOMAIN, Container, LinkModel, sanitize


def stack_device_info(model: LinkModel, stack: str) -> DeviceInfo:
    return DeviceInfo(
        identifiers={(DOMAIN, f"{model.entry_id}_{model.endpoint_id}_{model.host_key}_stack_{stack}")},
        name=f"Stack: {stack} ({model.host})",
        manufacturer="Docker via Portainer",
        model="Docker Stack",
        configuration_url=f"{model.base_url}/#!/stacks/{stack}",
    )


def container_device_info(model: LinkModel, c: Container) -> DeviceInfo:
    return DeviceInfo(
        identifiers={(DOMAIN, f"{model.entry_id}_{model.endpoint_id}_{model.host_key}_container_{c.name}")},
        name=f"{c.name} ({model.host})",
        manufacturer="Docker via Portainer",
        model="Docker Container",
        configuration_url=f"{model.base_url}/#!/containers/{c.docker_id}/details",
    )


class LinkEntity(Entity):
    _attr_should_poll = False

    def __init__(self, model: LinkModel) -> None:
        self.model = model

    async def async_added_to_hass(self) -> None:
        self.async_on_remove(async_dispatcher_connect(self.hass, self.model.signal, self.async_write_ha_state))


class LinkContainerEntity(LinkEntity):
    def __init__(self, model: LinkModel, c: Container, suffix: str, label: str, icon: str | None) -> None:
        super().__init__(model)
        self.cname = c.name
        self.suffix = suffix
        self._attr_name = f"{c.name} {label}"
        self._attr_unique_id = f"entry_{model.entry_id}_endpoint_{model.endpoint_id}_{sanitize(c.stable_key)}_{suffix}"
        if icon:
            self._attr_icon = icon
        self._attr_device_info = stack_device_info(model, c.stack) if c.stack else container_device_info(model, c)

    @property
    def cont(self) -> Container:
        return self.model.containers[self.cname]


class LinkStackEntity(LinkEntity):
    def __init__(self, model: LinkModel, stack: str, suffix: str, label: str, icon: str) -> None:
        super().__init__(model)
        self.stack = stack
        self._attr_name = f"Stack: {stack} {label}"
        self._attr_unique_id = f"entry_{model.entry_id}_endpoint_{model.endpoint_id}_stack_{sanitize(stack)}_{suffix}"
        self._attr_icon = icon
        self._attr_device_info = stack_device_info(model, stack)

    @property
    def available(self) -> bool:
        return bool(self.model.stack_containers(self.stack))
