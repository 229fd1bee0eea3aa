"""Helpers shared by the Fleet Deck test doubles (portainer, ha_portainer_link, balena_cloud).

- the fixture: ``fleet_deck_fixture.yaml`` in the config directory, one section per double;
- the action log: every action a double performs (button press, switch, service call, with the
  exact data it received) is appended to ``hass.data[LOG_KEY]`` and written to
  ``fleet_deck_actions.json`` in the config directory (the test reads the file: REST
  ``?return_response`` only exists from HA 2024.8 on); the ``fleet_deck_test.get_log`` service
  returns it too, so a test can assert the exact payload that reached the integration;
- ``async_import_once``: the doubles are config-entry integrations (devices need a config entry),
  created from YAML through an import flow on the first start, kept in .storage afterwards.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
from typing import Any

from homeassistant.config_entries import SOURCE_IMPORT
from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import load_yaml

FIXTURE_FILE = "fleet_deck_fixture.yaml"
LOG_KEY = "fleet_deck_test_log"
LOG_FILE = "fleet_deck_actions.json"
_LOCK_KEY = "fleet_deck_test_log_lock"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


async def async_load_fixture(hass: HomeAssistant, section: str) -> dict[str, Any]:
    path = hass.config.path(FIXTURE_FILE)
    data = await hass.async_add_executor_job(load_yaml, path)
    return dict((data or {}).get(section) or {})


def log_action(hass: HomeAssistant, domain: str, action: str, **data: Any) -> None:
    """Record one action; values must be JSON-serialisable."""
    hass.data.setdefault(LOG_KEY, []).append(
        {"t": utcnow().isoformat(), "domain": domain, "action": action, **data}
    )
    schedule_log_write(hass)


def _write_file(path: str, payload: str) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(payload)
    os.replace(tmp, path)


async def _async_write_log(hass: HomeAssistant) -> None:
    lock = hass.data.setdefault(_LOCK_KEY, asyncio.Lock())
    async with lock:  # the last write always carries the whole log
        payload = json.dumps(hass.data.get(LOG_KEY, []))
        await hass.async_add_executor_job(_write_file, hass.config.path(LOG_FILE), payload)


def schedule_log_write(hass: HomeAssistant) -> None:
    hass.async_create_task(_async_write_log(hass))


def async_import_once(hass: HomeAssistant, domain: str, data: dict[str, Any]) -> None:
    """Create the double's config entry from YAML unless it already exists (a task: the entry
    is set up once the domain's own async_setup has returned)."""
    if hass.config_entries.async_entries(domain):
        return
    hass.async_create_task(
        hass.config_entries.flow.async_init(domain, context={"source": SOURCE_IMPORT}, data=data)
    )
