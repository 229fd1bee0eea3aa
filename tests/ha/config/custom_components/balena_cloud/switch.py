"""`{device} Public URL`: on while a URL is cached (upstream switch.py); stays available offline."""
from __future__ import annotations

from homeassistant.components.switch import SwitchEntity

from .entity import BalenaEntity
from .model import DOMAIN


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities(PublicUrl(model, d, "public_url", "Public URL", "mdi:web") for d in model.devices.values())


class PublicUrl(BalenaEntity, SwitchEntity):
    @property
    def is_on(self) -> bool:
        return self.dev.public_url is not None

    @property
    def extra_state_attributes(self):
        d = self.dev
        attrs = {"device_uuid": d.uuid, "device_name": d.device_name, "device_type": d.device_type,
                 "fleet_name": self.model.fleet_name(d)}
        if d.public_url:
            attrs["public_url"] = d.public_url
        return attrs

    async def async_turn_on(self, **kwargs) -> None:
        await self.model.set_public_url(self.uuid, True, via="switch")

    async def async_turn_off(self, **kwargs) -> None:
        await self.model.set_public_url(self.uuid, False, via="switch")
