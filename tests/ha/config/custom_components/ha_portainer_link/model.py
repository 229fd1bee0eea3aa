"""The pretend Portainer endpoint behind the `ha_portainer_link` 0.6.0 test double."""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send

from custom_components.fleet_deck_test.common import log_action, utcnow

DOMAIN = "ha_portainer_link"
RUNNING, EXITED = "running", "exited"


def sanitize(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text).lower()


@dataclass
class Container:
    name: str
    image: str
    state: str
    stack: str | None = None
    service: str | None = None
    number: int = 1
    cpu: float = 0.0
    memory: float = 0.0
    digest: str = ""
    available_digest: str = ""
    started_at: dt.datetime | None = None
    docker_id: str = ""
    pulling: bool = False

    @property
    def stable_key(self) -> str:
        if self.stack:
            return f"stack_{self.stack}_{self.service}_{self.number}"
        return f"container_{self.name}"

    @property
    def update_available(self) -> bool:
        return self.available_digest != self.digest

    @property
    def tag(self) -> str:
        return self.image.rsplit(":", 1)[1] if ":" in self.image.rsplit("/", 1)[-1] else "latest"


class LinkModel:
    def __init__(self, hass: HomeAssistant, entry_id: str, fixture: dict[str, Any]) -> None:
        self.hass = hass
        self.entry_id = entry_id
        self.host: str = fixture.get("host", "192.168.1.20")
        self.base_url = f"https://{self.host}:9443"
        self.host_key = sanitize(self.host)
        self.endpoint_id = int(fixture.get("endpoint_id", 2))
        self.delay = float(fixture.get("action_delay", 0.5))
        self.signal = f"{DOMAIN}_{entry_id}_update"
        self.stacks: list[str] = []
        self.containers: dict[str, Container] = {}
        now = utcnow()
        groups = [(None, fixture.get("containers", []))]
        for st in fixture.get("stacks", []):
            self.stacks.append(st["name"])
            groups.append((st["name"], st.get("containers", [])))
        for stack, conts in groups:
            for i, c in enumerate(conts):
                service, number = c["name"], 1
                if stack and (m := re.fullmatch(rf"{re.escape(stack)}-(.+)-(\d+)", c["name"])):
                    service, number = m.group(1), int(m.group(2))
                digest = "sha256:" + hashlib.sha256(c["image"].encode()).hexdigest()
                cont = Container(
                    name=c["name"], image=c["image"], state=c.get("state", RUNNING), stack=stack,
                    service=service if stack else None, number=number,
                    cpu=float(c.get("cpu", 0)), memory=float(c.get("memory", 0)), digest=digest,
                    available_digest=("sha256:" + hashlib.sha256((c["image"] + "new").encode()).hexdigest()) if c.get("update") else digest,
                    started_at=now - dt.timedelta(days=3, hours=4 + i),
                    docker_id=hashlib.sha256(f"link/{c['name']}".encode()).hexdigest(),
                )
                self.containers[cont.name] = cont

    def stack_containers(self, stack: str) -> list[Container]:
        return [c for c in self.containers.values() if c.stack == stack]

    def by_name(self, name: str) -> Container:
        if name not in self.containers:
            raise HomeAssistantError(f"unknown container {name}")
        return self.containers[name]

    @callback
    def changed(self) -> None:
        async_dispatcher_send(self.hass, self.signal)

    async def _api(self, action: str, **data: Any) -> None:
        log_action(self.hass, DOMAIN, action, **data)
        await asyncio.sleep(self.delay)

    def _run(self, c: Container) -> None:
        if c.state != RUNNING:
            c.started_at = utcnow()
        c.state = RUNNING

    async def start_container(self, c: Container) -> None:
        await self._api("start_container", container=c.name)
        self._run(c)
        self.changed()

    async def stop_container(self, c: Container) -> None:
        await self._api("stop_container", container=c.name)
        c.state = EXITED
        self.changed()

    async def restart_container(self, c: Container) -> None:
        await self._api("restart_container", container=c.name)
        c.state = RUNNING
        c.started_at = utcnow()
        self.changed()

    async def pull_image_update(self, c: Container) -> None:
        log_action(self.hass, DOMAIN, "pull_image_update", container=c.name)
        c.pulling = True
        self.changed()
        await asyncio.sleep(self.delay)
        c.pulling = False
        c.digest = c.available_digest
        self.changed()

    async def start_stack(self, stack: str) -> None:
        await self._api("start_stack", stack=stack)
        for c in self.stack_containers(stack):
            self._run(c)
        self.changed()

    async def stop_stack(self, stack: str) -> None:
        """0.4.x stack_api.stop_stack: the stack's containers one at a time."""
        log_action(self.hass, DOMAIN, "stop_stack", stack=stack)
        for c in self.stack_containers(stack):
            await asyncio.sleep(self.delay / 2)
            c.state = EXITED
            self.changed()

    async def update_stack(self, stack: str) -> None:
        """Full redeploy: pull, stop, remove, PUT stack update."""
        await self._api("update_stack", stack=stack)
        for c in self.stack_containers(stack):
            c.digest = c.available_digest
            c.state = RUNNING
            c.started_at = utcnow()
        self.changed()

    def test_set(self, name: str, changes: dict[str, Any]) -> None:
        c = self.by_name(name)
        if "state" in changes:
            if changes["state"] == RUNNING and c.state != RUNNING:
                c.started_at = utcnow()
            c.state = changes["state"]
        if "cpu" in changes:
            c.cpu = float(changes["cpu"])
        if "memory" in changes:
            c.memory = float(changes["memory"])
        if "update" in changes:
            c.available_digest = ("sha256:" + hashlib.sha256((c.digest + "new").encode()).hexdigest()) if changes["update"] else c.digest
        self.changed()


def uptime(c: Container) -> str:
    if c.state != RUNNING or c.started_at is None:
        return "Not running"
    secs = int((utcnow() - c.started_at).total_seconds())
    days, rem = divmod(secs, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"
