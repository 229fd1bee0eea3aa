"""0.6.0 `{name} Update Available` (no device_class)."""
from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity

from .entity import LinkContainerEntity
from .model import DOMAIN


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities(
        UpdateAvailable(model, c, "update_available", "Update Available", "mdi:update") for c in model.containers.values()
    )


class UpdateAvailable(LinkContainerEntity, BinarySensorEntity):
    @property
    def is_on(self) -> bool:
        return self.cont.update_available
