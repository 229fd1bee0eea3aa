"""Container switch (`container`, on while running or paused) and stack switch (`stack`)."""
from __future__ import annotations

from homeassistant.components.switch import SwitchDeviceClass, SwitchEntity

from .entity import ContainerEntity, StackEntity
from .model import DOMAIN, PAUSED, RUNNING, STACK_ACTIVE


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    entities = [ContainerSwitch(model, c, "container") for c in model.containers.values()]
    for ep in model.endpoints.values():
        entities += [StackSwitch(model, s, "stack") for s in ep.stacks.values()]
    async_add_entities(entities)


class ContainerSwitch(ContainerEntity, SwitchEntity):
    _attr_device_class = SwitchDeviceClass.SWITCH

    @property
    def is_on(self) -> bool:
        return self.cont.state in (RUNNING, PAUSED)

    async def async_turn_on(self, **kwargs) -> None:
        await self.model.start_container(self.cont)

    async def async_turn_off(self, **kwargs) -> None:
        await self.model.stop_container(self.cont)


class StackSwitch(StackEntity, SwitchEntity):
    _attr_device_class = SwitchDeviceClass.SWITCH

    @property
    def is_on(self) -> bool:
        return self.stack.status == STACK_ACTIVE

    async def async_turn_on(self, **kwargs) -> None:
        await self.model.start_stack(self.stack)

    async def async_turn_off(self, **kwargs) -> None:
        await self.model.stop_stack(self.stack)
