"""Restart Application / Reboot Device / Shutdown Device; unavailable while the device is
offline; attributes without None filtering (upstream button.py lines 199-209)."""
from __future__ import annotations

from homeassistant.components.button import ButtonEntity

from .entity import BalenaEntity
from .model import DOMAIN

BUTTONS = [
    ("restart_application", "Restart Application", "mdi:restart"),
    ("reboot_device", "Reboot Device", "mdi:power-cycle"),
    ("shutdown_device", "Shutdown Device", "mdi:power-off"),
]


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities(BalenaButton(model, d, *b) for d in model.devices.values() for b in BUTTONS)


class BalenaButton(BalenaEntity, ButtonEntity):
    @property
    def available(self) -> bool:
        return super().available and self.dev.is_online

    @property
    def extra_state_attributes(self):
        d = self.dev
        return {"device_uuid": d.uuid, "device_name": d.device_name, "device_type": d.device_type,
                "fleet_name": self.model.fleet_name(d)}

    async def async_press(self) -> None:
        if self.key == "restart_application":
            await self.model.restart_application(self.uuid, via="button")
        elif self.key == "reboot_device":
            await self.model.reboot(self.uuid, via="button")
        else:
            await self.model.shutdown(self.uuid, via="button")
