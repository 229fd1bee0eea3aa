"""0.6.0 buttons: `{name} Restart`, `{name} Pull Update` (unavailable while pulling) and the
stack buttons `Stack: {stack} Start|Stop|Update` -> button.stack_<s>_start|stop|update."""
from __future__ import annotations

from homeassistant.components.button import ButtonEntity

from .entity import LinkContainerEntity, LinkStackEntity
from .model import DOMAIN


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    entities = []
    for c in model.containers.values():
        entities += [RestartButton(model, c, "restart", "Restart", "mdi:restart"),
                     PullButton(model, c, "pull_update", "Pull Update", "mdi:download")]
    for stack in model.stacks:
        entities += [
            StackButton(model, stack, "start", "Start", "mdi:play-circle"),
            StackButton(model, stack, "stop", "Stop", "mdi:stop-circle"),
            StackButton(model, stack, "update", "Update", "mdi:update"),
        ]
    async_add_entities(entities)


class RestartButton(LinkContainerEntity, ButtonEntity):
    async def async_press(self) -> None:
        await self.model.restart_container(self.cont)


class PullButton(LinkContainerEntity, ButtonEntity):
    @property
    def available(self) -> bool:
        return not self.cont.pulling

    async def async_press(self) -> None:
        await self.model.pull_image_update(self.cont)


class StackButton(LinkStackEntity, ButtonEntity):
    def __init__(self, model, stack, action, label, icon):
        super().__init__(model, stack, action, label, icon)
        self.action = action

    async def async_press(self) -> None:
        await getattr(self.model, f"{self.action}_stack")(self.stack)
