"""The 7 sensors per balena device (SENSOR_TYPES in upstream sensor.py lines 71-151)."""
from __future__ import annotations

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import PERCENTAGE, UnitOfTemperature

from .entity import BalenaEntity, iso
from .model import DOMAIN

# key, name, unit, device_class, state_class, icon
SENSOR_TYPES = [
    ("cpu_usage", "CPU Usage", PERCENTAGE, None, SensorStateClass.MEASUREMENT, "mdi:chip"),
    ("memory_usage", "Memory Usage", PERCENTAGE, None, SensorStateClass.MEASUREMENT, "mdi:memory"),
    ("storage_usage", "Storage Usage", PERCENTAGE, None, SensorStateClass.MEASUREMENT, "mdi:harddisk"),
    ("temperature", "Temperature", UnitOfTemperature.CELSIUS, SensorDeviceClass.TEMPERATURE, SensorStateClass.MEASUREMENT, "mdi:thermometer"),
    ("fleet_name", "Fleet", None, None, None, "mdi:server-network"),
    ("ip_address", "IP Address", None, None, None, "mdi:ip-network"),
    ("mac_address", "MAC Address", None, None, None, "mdi:ethernet"),
]
OFFLINE_UNAVAILABLE = {"cpu_usage", "memory_usage", "storage_usage", "temperature", "ip_address"}


def _num(v):
    v = round(v, 1)
    return int(v) if float(v).is_integer() else v


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities(BalenaSensor(model, d, *t) for d in model.devices.values() for t in SENSOR_TYPES)


class BalenaSensor(BalenaEntity, SensorEntity):
    def __init__(self, model, dev, key, label, unit, device_class, state_class, icon):
        super().__init__(model, dev, key, label, icon)
        self._attr_native_unit_of_measurement = unit
        self._attr_device_class = device_class
        self._attr_state_class = state_class

    @property
    def available(self) -> bool:
        if not super().available:
            return False
        return self.dev.is_online or self.key not in OFFLINE_UNAVAILABLE

    @property
    def native_value(self):
        d = self.dev
        if self.key == "cpu_usage":
            return _num(d.cpu)
        if self.key == "memory_usage":
            return _num(d.memory_usage / d.memory_total * 100) if d.memory_total else None
        if self.key == "storage_usage":
            return _num(d.storage_usage / d.storage_total * 100) if d.storage_total else None
        if self.key == "temperature":
            return _num(d.temperature)
        if self.key == "fleet_name":
            return self.model.fleet_name(d)
        if self.key == "ip_address":
            return d.ip_address
        return d.mac_address

    @property
    def extra_state_attributes(self):
        d = self.dev
        attrs = {
            "device_uuid": d.uuid, "device_name": d.device_name, "device_type": d.device_type,
            "fleet_id": d.fleet_id, "fleet_name": self.model.fleet_name(d), "is_online": d.is_online,
            "os_version": d.os_version, "supervisor_version": d.supervisor_version,
            "ip_address": d.ip_address, "public_address": d.public_address, "mac_address": d.mac_address,
            "last_seen": iso(d.last_seen),
        }
        if self.key == "memory_usage":
            attrs.update(memory_usage=d.memory_usage, memory_total=d.memory_total)
        elif self.key == "storage_usage":
            attrs.update(storage_usage=d.storage_usage, storage_total=d.storage_total)
        elif self.key == "fleet_name":
            attrs.update(fleet_id=d.fleet_id, fleet_name=self.model.fleet_name(d))
        elif self.key == "ip_address":
            attrs.update(ip_address=d.ip_address, public_address=d.public_address)
        return {k: v for k, v in attrs.items() if v is not None}
