"""0.6.0 `{name} Switch`: on iff running; off stops, on starts the container."""
from __future__ import annotations

from homeassistant.components.switch import SwitchEntity

from .entity import LinkContainerEntity
from .model import DOMAIN, RUNNING


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities(ContainerSwitch(model, c, "switch", "Switch", "mdi:power") for c in model.containers.values())


class ContainerSwitch(LinkContainerEntity, SwitchEntity):
    @property
    def is_on(self) -> bool:
        return self.cont.state == RUNNING

    async def async_turn_on(self, **kwargs) -> None:
        await self.model.start_container(self.cont)

    async def async_turn_off(self, **kwargs) -> None:
        await self.model.stop_container(self.cont)
