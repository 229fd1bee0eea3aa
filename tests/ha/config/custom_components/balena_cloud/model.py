"""The pretend balena Cloud account behind the `balena_cloud` test double."""
from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_send

from custom_components.fleet_deck_test.common import log_action, utcnow

DOMAIN = "balena_cloud"
UPDATING = ("Updating", "Downloading", "Downloaded")


@dataclass
class Fleet:
    id: int
    app_name: str
    selected: bool = True
    device_type: str = ""  # balena-sdk >= 15 records have no device_type key (see reference §3.4)
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Device:
    uuid: str
    device_name: str
    fleet_id: int
    is_online: bool
    status: str = "Idle"
    os_version: str | None = None
    supervisor_version: str | None = None
    ip_address: str | None = None
    public_address: str | None = None
    mac_address: str | None = None
    cpu: float = 0
    memory_usage: float = 0
    memory_total: float = 1
    storage_usage: float = 0
    storage_total: float = 1
    temperature: float = 0
    last_seen: dt.datetime | None = None
    device_type: str = ""
    env: dict[str, str] = field(default_factory=dict)
    public_url: str | None = None

    @property
    def display_name(self) -> str:
        return self.device_name or self.uuid


class BalenaModel:
    def __init__(self, hass: HomeAssistant, entry_id: str, fixture: dict[str, Any]) -> None:
        self.hass = hass
        self.entry_id = entry_id
        self.signal = f"{DOMAIN}_{entry_id}_update"
        self.reboot_seconds = float(fixture.get("reboot_seconds", 3))
        self.offline_delay = float(fixture.get("offline_delay", 0.8))
        self.fleets: dict[int, Fleet] = {}
        self.devices: dict[str, Device] = {}
        self._tasks: set[asyncio.Task] = set()
        now = utcnow()
        for f in fixture.get("fleets", []):
            fleet = Fleet(int(f["id"]), f["name"], bool(f.get("selected", True)),
                          env={k: str(v) for k, v in (f.get("env") or {}).items()})
            self.fleets[fleet.id] = fleet
            if not fleet.selected:
                continue
            for i, d in enumerate(f.get("devices", [])):
                dev = Device(
                    uuid=d["uuid"], device_name=d["name"], fleet_id=fleet.id, is_online=bool(d.get("online", True)),
                    status=d.get("status", "Idle"), os_version=d.get("os_version"),
                    supervisor_version=d.get("supervisor_version"), ip_address=d.get("ip_address"),
                    public_address=d.get("public_address"), mac_address=d.get("mac_address"),
                    cpu=d.get("cpu", 0), memory_usage=d.get("memory_usage", 0), memory_total=d.get("memory_total", 1),
                    storage_usage=d.get("storage_usage", 0), storage_total=d.get("storage_total", 1),
                    temperature=d.get("temperature", 0),
                    last_seen=now - (dt.timedelta(minutes=5 + i) if d.get("online", True) else dt.timedelta(days=2)),
                    env={k: str(v) for k, v in (d.get("env") or {}).items()},
                )
                self.devices[dev.uuid] = dev

    def fleet_name(self, dev: Device) -> str:
        return self.fleets[dev.fleet_id].app_name

    def get(self, uuid: str) -> Device:
        if uuid not in self.devices:
            raise ServiceValidationError(f"unknown device {uuid}")
        return self.devices[uuid]

    def by_name_or_uuid(self, key: str) -> Device:
        for d in self.devices.values():
            if key in (d.uuid, d.device_name):
                return d
        raise ServiceValidationError(f"unknown device {key}")

    @callback
    def changed(self) -> None:
        async_dispatcher_send(self.hass, self.signal)

    def _later(self, coro) -> None:
        task = self.hass.async_create_background_task(coro, "balena_cloud double") if hasattr(
            self.hass, "async_create_background_task") else self.hass.async_create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- actions: the cloud API accepts the request at once; the device reacts later ----------
    async def restart_application(self, uuid: str, via: str, service_name: str | None = None) -> None:
        dev = self.get(uuid)
        log_action(self.hass, DOMAIN, "restart_application", via=via, device_uuid=uuid, device_name=dev.device_name,
                   service_name=service_name)

    async def reboot(self, uuid: str, via: str) -> None:
        dev = self.get(uuid)
        log_action(self.hass, DOMAIN, "reboot_device", via=via, device_uuid=uuid, device_name=dev.device_name)

        async def cycle() -> None:
            await asyncio.sleep(self.offline_delay)
            dev.is_online = False
            self.changed()
            await asyncio.sleep(self.reboot_seconds)
            dev.is_online = True
            dev.status = "Idle"
            dev.last_seen = utcnow()
            self.changed()

        self._later(cycle())

    async def shutdown(self, uuid: str, via: str) -> None:
        dev = self.get(uuid)
        log_action(self.hass, DOMAIN, "shutdown_device", via=via, device_uuid=uuid, device_name=dev.device_name)

        async def off() -> None:
            await asyncio.sleep(self.offline_delay)
            dev.is_online = False
            self.changed()

        self._later(off())

    async def set_public_url(self, uuid: str, enabled: bool, via: str) -> None:
        dev = self.get(uuid)
        log_action(self.hass, DOMAIN, "enable_device_url" if enabled else "disable_device_url", via=via, device_uuid=uuid)
        dev.public_url = f"https://{uuid}.balena-devices.com" if enabled else None
        self.changed()

    def test_set(self, key: str, changes: dict[str, Any]) -> None:
        dev = self.by_name_or_uuid(key)
        if "online" in changes:
            dev.is_online = bool(changes["online"])
            if dev.is_online:
                dev.last_seen = utcnow()
        for k in ("status", "cpu", "memory_usage", "storage_usage", "temperature"):
            if k in changes:
                setattr(dev, k, changes[k])
        self.changed()
