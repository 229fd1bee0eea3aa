"""`online` (connectivity, dynamic icon) and `updating` (update) per balena device; both stay
available while the device is offline."""
from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorDeviceClass, BinarySensorEntity

from .entity import BalenaEntity, iso
from .model import DOMAIN, UPDATING


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    entities = []
    for d in model.devices.values():
        entities += [
            BalenaBinary(model, d, "online", "Online", None, BinarySensorDeviceClass.CONNECTIVITY),
            BalenaBinary(model, d, "updating", "Updating", "mdi:update", BinarySensorDeviceClass.UPDATE),
        ]
    async_add_entities(entities)


class BalenaBinary(BalenaEntity, BinarySensorEntity):
    def __init__(self, model, dev, key, label, icon, device_class):
        super().__init__(model, dev, key, label, icon)
        self._attr_device_class = device_class

    @property
    def is_on(self) -> bool:
        return self.dev.is_online if self.key == "online" else self.dev.status in UPDATING

    @property
    def icon(self):
        if self.key == "online":
            return "mdi:check-circle" if self.dev.is_online else "mdi:alert-circle"
        return "mdi:update"

    @property
    def extra_state_attributes(self):
        d = self.dev
        attrs = {
            "device_uuid": d.uuid, "device_name": d.device_name, "device_type": d.device_type,
            "fleet_name": self.model.fleet_name(d), "os_version": d.os_version,
            "supervisor_version": d.supervisor_version, "mac_address": d.mac_address, "ip_address": d.ip_address,
        }
        if self.key == "online":
            attrs.update(status=d.status, last_seen=iso(d.last_seen))
        else:
            attrs.update(status=d.status, provisioning_progress=None, provisioning_state=None)
        return {k: v for k, v in attrs.items() if v is not None}
