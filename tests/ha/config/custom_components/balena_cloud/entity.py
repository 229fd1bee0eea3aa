"""Entity base of the `balena_cloud` double: names "{device} {Name}", unique_id "{uuid}_{key}",
the device's DeviceInfo with via_device = the fleet device (eseverson/hass-balena sensor.py)."""
from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity

from .model import DOMAIN, BalenaModel, Device


class BalenaEntity(Entity):
    _attr_should_poll = False

    def __init__(self, model: BalenaModel, dev: Device, key: str, label: str, icon: str | None = None) -> None:
        self.model = model
        self.uuid = dev.uuid
        self.key = key
        self.label = label
        self._attr_unique_id = f"{dev.uuid}_{key}"
        if icon:
            self._attr_icon = icon

    @property
    def dev(self) -> Device:
        return self.model.devices[self.uuid]

    @property
    def name(self) -> str:
        return f"{self.dev.display_name} {self.label}"

    @property
    def available(self) -> bool:
        return self.uuid in self.model.devices

    @property
    def device_info(self) -> DeviceInfo:
        d = self.dev
        return DeviceInfo(
            identifiers={(DOMAIN, d.uuid)},
            name=d.display_name,
            manufacturer="Balena",
            model=d.device_type,
            sw_version=d.os_version,
            configuration_url=f"https://dashboard.balena-cloud.com/devices/{d.uuid}",
            via_device=(DOMAIN, f"fleet_{d.fleet_id}"),
        )

    async def async_added_to_hass(self) -> None:
        self.async_on_remove(async_dispatcher_connect(self.hass, self.model.signal, self.async_write_ha_state))


def iso(value) -> str | None:
    return value.isoformat() if value else None
