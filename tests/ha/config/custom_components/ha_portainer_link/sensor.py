"""0.6.0 sensors: status, image, cpu_usage, memory_usage, uptime, versions and digests.
No device_class/state_class on any of them (so no long-term statistics), as upstream."""
from __future__ import annotations

from homeassistant.components.sensor import SensorEntity

from .entity import LinkContainerEntity
from .model import DOMAIN, RUNNING, uptime

SENSORS = [  # suffix, label, icon, unit
    ("status", "Status", "mdi:docker", None),
    ("image", "Image", "mdi:docker", None),
    ("cpu_usage", "CPU Usage", "mdi:cpu-64-bit", "%"),
    ("memory_usage", "Memory Usage", "mdi:memory", "MB"),
    ("uptime", "Uptime", "mdi:clock-outline", None),
    ("current_version", "Current Version", "mdi:tag-text", None),
    ("available_version", "Available Version", "mdi:tag-arrow-up", None),
    ("current_digest", "Current Digest", "mdi:fingerprint", None),
    ("available_digest", "Available Digest", "mdi:fingerprint", None),
]


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities(
        LinkSensor(model, c, suffix, label, icon, unit) for c in model.containers.values() for suffix, label, icon, unit in SENSORS
    )


class LinkSensor(LinkContainerEntity, SensorEntity):
    def __init__(self, model, c, suffix, label, icon, unit):
        super().__init__(model, c, suffix, label, icon)
        self._attr_native_unit_of_measurement = unit

    @property
    def native_value(self):
        c = self.cont
        running = c.state == RUNNING
        if self.suffix == "status":
            return c.state
        if self.suffix == "image":
            return c.image
        if self.suffix == "cpu_usage":
            return round(c.cpu, 2) if running else 0.0
        if self.suffix == "memory_usage":
            return round(c.memory, 1) if running else 0.0
        if self.suffix == "uptime":
            return uptime(c)
        if self.suffix == "current_version":
            return c.tag if c.tag != "latest" else c.started_at.strftime("%Y.%m.%d")
        if self.suffix == "available_version":
            return c.tag if c.tag != "latest" else "unknown"
        if self.suffix == "current_digest":
            return c.digest
        if self.suffix == "available_digest":
            return c.available_digest
        return None
