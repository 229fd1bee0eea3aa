"""Container buttons (restart/pause/resume/recreate/kill), stack `update_stack`, endpoint prunes."""
from __future__ import annotations

from homeassistant.components.button import ButtonDeviceClass, ButtonEntity
from homeassistant.const import EntityCategory

from custom_components.fleet_deck_test.common import log_action

from .entity import ContainerEntity, EndpointEntity, StackEntity
from .model import DOMAIN, PAUSED, RUNNING

# key -> (translation_key, device_class, availability by container state, action)
CONTAINER_BUTTONS = {
    "restart": ("restart_container", ButtonDeviceClass.RESTART, lambda s: s != PAUSED, "restart_container"),
    "pause": ("pause_container", None, lambda s: s == RUNNING, "pause_container"),
    "resume": ("resume_container", None, lambda s: s == PAUSED, "unpause_container"),
    "recreate": ("recreate_container", None, lambda s: True, "recreate"),
    "kill": ("kill_container", None, lambda s: s in (RUNNING, PAUSED), "kill_container"),
}
ENDPOINT_BUTTONS = ["images_prune", "volumes_prune", "build_cache_prune", "networks_prune"]


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    entities = []
    for c in model.containers.values():
        entities += [ContainerButton(model, c, key) for key in CONTAINER_BUTTONS]
    for ep in model.endpoints.values():
        entities += [StackUpdateButton(model, s, "update_stack") for s in ep.stacks.values() if s.type != "kubernetes"]
        entities += [EndpointPruneButton(model, ep, key) for key in ENDPOINT_BUTTONS]
    async_add_entities(entities)


class ContainerButton(ContainerEntity, ButtonEntity):
    _attr_entity_category = EntityCategory.CONFIG

    def __init__(self, model, cont, key):
        tk, dc, self._avail, self._action = CONTAINER_BUTTONS[key]
        super().__init__(model, cont, key, tk)
        if dc is not None:
            self._attr_device_class = dc

    @property
    def available(self) -> bool:
        return self._avail(self.cont.state)

    async def async_press(self) -> None:
        if self._action == "recreate":
            await self.model.recreate_container(self.cont, pull_image=True)
        else:
            await getattr(self.model, self._action)(self.cont)


class StackUpdateButton(StackEntity, ButtonEntity):
    _attr_device_class = ButtonDeviceClass.UPDATE
    _attr_entity_category = EntityCategory.CONFIG

    async def async_press(self) -> None:
        await self.model.update_stack(self.stack)


class EndpointPruneButton(EndpointEntity, ButtonEntity):
    _attr_entity_category = EntityCategory.CONFIG

    async def async_press(self) -> None:
        log_action(self.hass, DOMAIN, self.key, endpoint_id=self.endpoint_id)
