"""Container `docker_event` (HA 2026.9+): fired on every Docker container event the model pushes."""
from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .entity import ContainerEntity
from .model import DOMAIN

EVENT_TYPES = ["die", "kill", "oom", "pause", "restart", "start", "stop", "unpause", "update",
               "health_status_healthy", "health_status_unhealthy", "health_status_starting"]


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities([DockerEvent(model, c, "docker_event") for c in model.containers.values()])


class DockerEvent(ContainerEntity, EventEntity):
    _attr_event_types = EVENT_TYPES
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    async def async_added_to_hass(self) -> None:
        # no generic state refresh: an event entity changes only when an event fires
        self.async_on_remove(async_dispatcher_connect(self.hass, self.model.event_signal, self._on_event))

    @callback
    def _on_event(self, key: str, event_type: str) -> None:
        if key == self.cont_key:
            self._trigger_event(event_type)
            self.async_write_ha_state()
