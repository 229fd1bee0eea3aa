"""Test double of `ha_portainer_link` 0.6.0 (rob0r7), for Fleet Deck's e2e tests.

Reproduces the 0.6 naming (no has_entity_name: "{name} Status" -> sensor.{name}_status), one
shared "Stack: {stack} ({host})" device for all containers of a compose project, no via_device,
the stack buttons button.stack_<s>_start|stop|update, and the `refresh` / `reload` services.
"""
from __future__ import annotations

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall

from custom_components.fleet_deck_test.common import async_import_once, async_load_fixture, log_action

from .model import DOMAIN, LinkModel

PLATFORMS = [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.SWITCH, Platform.BUTTON, Platform.UPDATE]
CONFIG_SCHEMA = vol.Schema({DOMAIN: vol.Any(None, dict)}, extra=vol.ALLOW_EXTRA)


async def async_setup(hass: HomeAssistant, config: dict) -> bool:
    fixture = await async_load_fixture(hass, DOMAIN)
    hass.data.setdefault(DOMAIN, {})["fixture"] = fixture

    async def refresh(call: ServiceCall) -> None:
        log_action(hass, DOMAIN, "refresh")
        if model := hass.data[DOMAIN].get("model"):
            model.changed()

    async def reload(call: ServiceCall) -> None:
        log_action(hass, DOMAIN, "reload")

    hass.services.async_register(DOMAIN, "refresh", refresh, vol.Schema({}))
    hass.services.async_register(DOMAIN, "reload", reload, vol.Schema({}))
    async_import_once(hass, DOMAIN, {"host": fixture["host"], "endpoint_id": fixture["endpoint_id"]})
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    model = LinkModel(hass, entry.entry_id, hass.data[DOMAIN]["fixture"])
    hass.data[DOMAIN][entry.entry_id] = model
    hass.data[DOMAIN]["model"] = model
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
