"""Test-only control of the Fleet Deck test doubles. Not part of any real installation.

Services (all admin-only):
- ``fleet_deck_test.set_container``: change a container of ``portainer`` or ``ha_portainer_link``
  (state, cpu, memory, health, update available, oom);
- ``fleet_deck_test.set_device``: change a ``balena_cloud`` device (online, status, metrics);
- ``fleet_deck_test.get_log`` (response only): every action the doubles performed, with the exact
  data they received (e.g. ``balena_cloud.update_environment`` payloads); ``clear_log`` empties it.

Keeping these out of the real domains keeps ``hass.services.portainer`` / ``balena_cloud`` exactly
as the real integrations register them.
"""
from __future__ import annotations

from typing import Any

import voluptuous as vol

from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service

from .common import LOG_KEY, schedule_log_write

DOMAIN = "fleet_deck_test"
CONFIG_SCHEMA = vol.Schema({DOMAIN: vol.Any(None, dict)}, extra=vol.ALLOW_EXTRA)

SET_CONTAINER = vol.Schema({
    vol.Required("integration"): vol.In(["portainer", "ha_portainer_link"]),
    vol.Required("name"): cv.string,
    vol.Optional("state"): cv.string,
    vol.Optional("cpu"): vol.Coerce(float),
    vol.Optional("memory"): vol.Coerce(float),
    vol.Optional("memory_limit"): vol.Coerce(float),
    vol.Optional("health"): vol.Any(None, cv.string),
    vol.Optional("update"): cv.boolean,
    vol.Optional("oom"): cv.boolean,
})
SET_DEVICE = vol.Schema({
    vol.Required("name"): cv.string,  # device name or uuid
    vol.Optional("online"): cv.boolean,
    vol.Optional("status"): cv.string,
    vol.Optional("cpu"): vol.Coerce(float),
    vol.Optional("memory_usage"): vol.Coerce(float),
    vol.Optional("storage_usage"): vol.Coerce(float),
    vol.Optional("temperature"): vol.Coerce(float),
})


def _model(hass: HomeAssistant, domain: str) -> Any:
    model = hass.data.get(domain, {}).get("model")
    if model is None:
        raise ServiceValidationError(f"{domain} test double is not set up")
    return model


async def async_setup(hass: HomeAssistant, config: dict) -> bool:
    async def set_container(call: ServiceCall) -> None:
        data = dict(call.data)
        model = _model(hass, data.pop("integration"))
        try:
            model.test_set(data.pop("name"), data)
        except Exception as err:  # unknown names etc.
            raise ServiceValidationError(str(err)) from err

    async def set_device(call: ServiceCall) -> None:
        data = dict(call.data)
        try:
            _model(hass, "balena_cloud").test_set(data.pop("name"), data)
        except Exception as err:
            raise ServiceValidationError(str(err)) from err

    async def get_log(call: ServiceCall) -> dict:
        return {"log": list(hass.data.get(LOG_KEY, []))}

    async def clear_log(call: ServiceCall) -> None:
        hass.data[LOG_KEY] = []
        schedule_log_write(hass)

    async_register_admin_service(hass, DOMAIN, "set_container", set_container, SET_CONTAINER)
    async_register_admin_service(hass, DOMAIN, "set_device", set_device, SET_DEVICE)
    hass.services.async_register(DOMAIN, "get_log", get_log, vol.Schema({}), supports_response=SupportsResponse.ONLY)
    async_register_admin_service(hass, DOMAIN, "clear_log", clear_log, vol.Schema({}))
    return True
