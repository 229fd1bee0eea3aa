"""The pretend Portainer server behind the core `portainer` test double.

It holds endpoints, stacks and containers from the fixture and performs Docker actions the way
Portainer does: the API call takes a moment (``action_delay``), then the container's state
changes and a Docker event is pushed (HA 2026.9+ pushes `container` events, so core updates
immediately instead of waiting for the 60 s poll).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send

from custom_components.fleet_deck_test.common import log_action, utcnow

DOMAIN = "portainer"
RUNNING, EXITED, PAUSED = "running", "exited", "paused"
STATES = ["created", "restarting", "running", "removing", "paused", "exited", "dead"]
STACK_ACTIVE, STACK_INACTIVE = 1, 2
HOST_MEMORY = 16_000_000_000


@dataclass
class Container:
    endpoint_id: int
    name: str
    image: str
    state: str
    stack_id: int | None = None
    image_version: str | None = None
    health: str | None = None
    cpu: float = 0.0
    memory: float = 0.0
    memory_limit: float = 0.0
    digest: str = "sha256:000000000000"
    latest_digest: str | None = None
    restart_count: int = 0
    started_at: dt.datetime | None = None
    oom: bool = False
    docker_id: str = ""
    running_at_discovery: bool = False
    update_busy: bool = False
    update_progress: int | None = None

    @property
    def key(self) -> str:
        return f"{self.endpoint_id}_{self.name}"

    @property
    def update_available(self) -> bool:
        return self.latest_digest is not None and self.latest_digest != self.digest


@dataclass
class Stack:
    endpoint_id: int
    id: int
    name: str
    type: str = "compose"
    status: int = STACK_ACTIVE


@dataclass
class Endpoint:
    id: int
    name: str
    stacks: dict[int, Stack] = field(default_factory=dict)
    volumes: list[str] = field(default_factory=list)


class PortainerModel:
    def __init__(self, hass: HomeAssistant, entry_id: str, fixture: dict[str, Any]) -> None:
        self.hass = hass
        self.entry_id = entry_id
        self.title: str = fixture.get("title", "https://portainer.lan:9443")
        self.url = self.title
        self.server_version: str = str(fixture.get("server_version", "2.27.6"))
        self.server_latest: str = str(fixture.get("server_latest", self.server_version))
        self.delay: float = float(fixture.get("action_delay", 0.5))
        self.signal = f"{DOMAIN}_{entry_id}_update"
        self.event_signal = f"{DOMAIN}_{entry_id}_event"
        self.endpoints: dict[int, Endpoint] = {}
        self.containers: dict[str, Container] = {}
        now = utcnow()
        for ep in fixture.get("endpoints", []):
            endpoint = Endpoint(id=int(ep["id"]), name=ep["name"], volumes=list(ep.get("volumes", [])))
            self.endpoints[endpoint.id] = endpoint
            groups = [(None, ep.get("containers", []))]
            for st in ep.get("stacks", []):
                stack = Stack(endpoint.id, int(st["id"]), st["name"], st.get("type", "compose"))
                endpoint.stacks[stack.id] = stack
                groups.append((stack.id, st.get("containers", [])))
            for stack_id, conts in groups:
                for i, c in enumerate(conts):
                    cont = Container(
                        endpoint_id=endpoint.id,
                        name=c["name"],
                        image=c["image"],
                        state=c.get("state", RUNNING),
                        stack_id=stack_id,
                        image_version=c.get("image_version"),
                        health=c.get("health"),
                        cpu=float(c.get("cpu", 0.0)),
                        memory=float(c.get("memory", 0)),
                        memory_limit=float(c.get("memory_limit", 0)),
                        digest=c.get("digest", "sha256:" + hashlib.sha256(c["image"].encode()).hexdigest()[:12]),
                        latest_digest=c.get("latest_digest"),
                        started_at=now - dt.timedelta(days=2, hours=i + 1),
                        docker_id=hashlib.sha256(f"{endpoint.id}/{c['name']}".encode()).hexdigest(),
                    )
                    cont.running_at_discovery = cont.state == RUNNING
                    self.containers[cont.key] = cont

    # --- queries -------------------------------------------------------------------------
    def stack_containers(self, endpoint_id: int, stack_id: int) -> list[Container]:
        return [c for c in self.containers.values() if c.endpoint_id == endpoint_id and c.stack_id == stack_id]

    def endpoint_containers(self, endpoint_id: int) -> list[Container]:
        return [c for c in self.containers.values() if c.endpoint_id == endpoint_id]

    def by_name(self, name: str) -> Container:
        for c in self.containers.values():
            if c.name == name:
                return c
        raise HomeAssistantError(f"unknown container {name}")

    # --- change plumbing -------------------------------------------------------------------
    @callback
    def changed(self) -> None:
        async_dispatcher_send(self.hass, self.signal)

    @callback
    def docker_event(self, cont: Container, event_type: str) -> None:
        async_dispatcher_send(self.hass, self.event_signal, cont.key, event_type)

    async def _api_call(self, action: str, **data: Any) -> None:
        log_action(self.hass, DOMAIN, action, **data)
        await asyncio.sleep(self.delay)

    def _set_running(self, c: Container, event: str) -> None:
        if c.state != RUNNING:
            c.started_at = utcnow()
        c.state = RUNNING
        self.docker_event(c, event)

    # --- container actions (what core's switch/button/update entities call) -------------
    async def start_container(self, c: Container) -> None:
        await self._api_call("start_container", container=c.name, endpoint_id=c.endpoint_id)
        self._set_running(c, "start")
        self.changed()

    async def stop_container(self, c: Container) -> None:
        await self._api_call("stop_container", container=c.name, endpoint_id=c.endpoint_id)
        c.state = EXITED
        self.docker_event(c, "stop")
        self.changed()

    async def restart_container(self, c: Container) -> None:
        await self._api_call("restart_container", container=c.name, endpoint_id=c.endpoint_id)
        c.restart_count += 1
        c.started_at = utcnow()
        c.state = RUNNING
        self.docker_event(c, "restart")
        self.changed()

    async def pause_container(self, c: Container) -> None:
        await self._api_call("pause_container", container=c.name, endpoint_id=c.endpoint_id)
        c.state = PAUSED
        self.docker_event(c, "pause")
        self.changed()

    async def unpause_container(self, c: Container) -> None:
        await self._api_call("unpause_container", container=c.name, endpoint_id=c.endpoint_id)
        c.state = RUNNING
        self.docker_event(c, "unpause")
        self.changed()

    async def kill_container(self, c: Container) -> None:
        await self._api_call("kill_container", container=c.name, endpoint_id=c.endpoint_id)
        c.state = EXITED
        self.docker_event(c, "kill")
        self.changed()

    async def recreate_container(self, c: Container, pull_image: bool) -> None:
        await self._api_call("recreate_container", container=c.name, endpoint_id=c.endpoint_id, pull_image=pull_image)
        if pull_image and c.latest_digest:
            c.digest = c.latest_digest
        c.restart_count = 0
        c.started_at = utcnow()
        c.state = RUNNING
        self.docker_event(c, "start")
        self.changed()

    async def install_image_update(self, c: Container) -> None:
        """update.install: pull with progress 0..90 %, then recreate."""
        log_action(self.hass, DOMAIN, "image_update", container=c.name, endpoint_id=c.endpoint_id)
        c.update_busy = True
        for pct in (0, 30, 60, 90):
            c.update_progress = pct
            self.changed()
            await asyncio.sleep(self.delay / 4)
        c.update_busy = False
        c.update_progress = None
        await self.recreate_container(c, pull_image=True)

    # --- stack actions -------------------------------------------------------------------------
    async def start_stack(self, stack: Stack) -> None:
        await self._api_call("start_stack", stack=stack.name, stack_id=stack.id, endpoint_id=stack.endpoint_id)
        stack.status = STACK_ACTIVE
        for c in self.stack_containers(stack.endpoint_id, stack.id):
            self._set_running(c, "start")
        self.changed()

    async def stop_stack(self, stack: Stack) -> None:
        await self._api_call("stop_stack", stack=stack.name, stack_id=stack.id, endpoint_id=stack.endpoint_id)
        stack.status = STACK_INACTIVE
        for c in self.stack_containers(stack.endpoint_id, stack.id):
            c.state = EXITED
            self.docker_event(c, "stop")
        self.changed()

    async def update_stack(self, stack: Stack) -> None:
        await self._api_call("update_stack", stack=stack.name, stack_id=stack.id, endpoint_id=stack.endpoint_id)
        stack.status = STACK_ACTIVE
        for c in self.stack_containers(stack.endpoint_id, stack.id):
            if c.latest_digest:
                c.digest = c.latest_digest
            c.started_at = utcnow()
            c.state = RUNNING
            self.docker_event(c, "start")
        self.changed()

    # --- test control ---------------------------------------------------------------------------
    def test_set(self, name: str, changes: dict[str, Any]) -> None:
        c = self.by_name(name)
        if "state" in changes:
            new = changes["state"]
            if new not in STATES:
                raise HomeAssistantError(f"state must be one of {STATES}")
            if new == RUNNING and c.state != RUNNING:
                c.started_at = utcnow()
            c.state = new
        for key in ("cpu", "memory", "memory_limit"):
            if key in changes:
                setattr(c, key, float(changes[key]))
        if "health" in changes:
            c.health = changes["health"]
        if "oom" in changes:
            c.oom = bool(changes["oom"])
        if "update" in changes:
            c.latest_digest = ("sha256:" + hashlib.sha256((c.digest + "new").encode()).hexdigest()[:12]) if changes["update"] else c.digest
        self.changed()
