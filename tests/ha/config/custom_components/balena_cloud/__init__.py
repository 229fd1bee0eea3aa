"""Test double of eseverson/hass-balena (domain `balena_cloud`), for Fleet Deck's e2e tests.

Reproduces the fleet devices (`fleet_<id>`, for every accessible fleet, also unselected ones),
the balena devices with via_device -> fleet, the 13 entities per device with their exact
attributes and availability rules, and the six registered services with the upstream schemas
(vol.Schema, so extra keys such as `confirm`, `merge` or a `target` are rejected). Unlike
upstream HEAD (whose services are no-ops, reference §6.3) the services act, as the fixed
integration would; `update_environment` records exactly what it receives in the action log
(fleet_deck_test.get_log), and `get_environment` (response only) is the read path the gap list
proposes.
"""
from __future__ import annotations

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr

from custom_components.fleet_deck_test.common import async_import_once, async_load_fixture, log_action

from .model import DOMAIN, BalenaModel

PLATFORMS = [Platform.SENSOR, Platform.BINARY_SENSOR, Platform.BUTTON, Platform.SWITCH]
CONFIG_SCHEMA = vol.Schema({DOMAIN: vol.Any(None, dict)}, extra=vol.ALLOW_EXTRA)

# services.py lines 21-54 (default PREVENT_EXTRA)
RESTART_SCHEMA = vol.Schema({
    vol.Required("device_uuid"): cv.string,
    vol.Optional("service_name"): cv.string,
    vol.Optional("force", default=False): cv.boolean,
})
REBOOT_SCHEMA = vol.Schema({vol.Required("device_uuid"): cv.string, vol.Optional("force"): cv.boolean})
UPDATE_ENV_SCHEMA = vol.Schema({vol.Required("device_uuid"): cv.string, vol.Required("variables"): dict})
URL_SCHEMA = vol.Schema({vol.Required("device_uuid"): cv.string})
GET_ENV_SCHEMA = vol.Schema({
    vol.Optional("device_uuid"): cv.string,
    vol.Optional("fleet_id"): vol.Coerce(int),
    vol.Optional("include_service_vars", default=False): cv.boolean,
})


async def async_setup(hass: HomeAssistant, config: dict) -> bool:
    fixture = await async_load_fixture(hass, DOMAIN)
    hass.data.setdefault(DOMAIN, {})["fixture"] = fixture
    async_import_once(hass, DOMAIN, {
        "username": fixture.get("username", "e2e"),
        "fleets": [str(f["id"]) for f in fixture.get("fleets", []) if f.get("selected", True)],
    })
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    model = BalenaModel(hass, entry.entry_id, hass.data[DOMAIN]["fixture"])
    hass.data[DOMAIN][entry.entry_id] = model
    hass.data[DOMAIN]["model"] = model
    reg = dr.async_get(hass)
    for fleet in model.fleets.values():  # device_registry.py lines 26-46
        reg.async_get_or_create(
            config_entry_id=entry.entry_id, identifiers={(DOMAIN, f"fleet_{fleet.id}")},
            name=fleet.app_name, manufacturer="Balena", model=fleet.device_type,
        )
    _register_services(hass)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


def _model(hass: HomeAssistant) -> BalenaModel:
    model = hass.data.get(DOMAIN, {}).get("model")
    if model is None:
        raise ServiceValidationError("balena_cloud is not set up")
    return model


def _register_services(hass: HomeAssistant) -> None:
    if hass.services.has_service(DOMAIN, "restart_application"):
        return

    async def restart_application(call: ServiceCall) -> None:
        await _model(hass).restart_application(call.data["device_uuid"], via="service", service_name=call.data.get("service_name"))

    async def reboot_device(call: ServiceCall) -> None:
        await _model(hass).reboot(call.data["device_uuid"], via="service")

    async def shutdown_device(call: ServiceCall) -> None:
        await _model(hass).shutdown(call.data["device_uuid"], via="service")

    async def update_environment(call: ServiceCall) -> None:
        model = _model(hass)
        # record the payload exactly as received (the schema adds no defaults here)
        log_action(hass, DOMAIN, "update_environment", data=dict(call.data))
        dev = model.get(call.data["device_uuid"])
        for name, value in call.data["variables"].items():  # device-level upsert by name
            dev.env[str(name)] = str(value)
        model.changed()

    async def enable_device_url(call: ServiceCall) -> None:
        await _model(hass).set_public_url(call.data["device_uuid"], True, via="service")

    async def disable_device_url(call: ServiceCall) -> None:
        await _model(hass).set_public_url(call.data["device_uuid"], False, via="service")

    async def get_environment(call: ServiceCall) -> dict:
        model = _model(hass)
        result: dict = {"device": {}, "fleet": {}, "service": {}}
        fleet_id = call.data.get("fleet_id")
        if uuid := call.data.get("device_uuid"):
            dev = model.get(uuid)
            result["device"] = dict(dev.env)
            fleet_id = fleet_id or dev.fleet_id
        if fleet_id is not None:
            if fleet_id not in model.fleets:
                raise ServiceValidationError(f"unknown fleet {fleet_id}")
            result["fleet"] = dict(model.fleets[fleet_id].env)
        log_action(hass, DOMAIN, "get_environment", data=dict(call.data))
        return result

    hass.services.async_register(DOMAIN, "restart_application", restart_application, RESTART_SCHEMA)
    hass.services.async_register(DOMAIN, "reboot_device", reboot_device, REBOOT_SCHEMA)
    hass.services.async_register(DOMAIN, "shutdown_device", shutdown_device, REBOOT_SCHEMA)
    hass.services.async_register(DOMAIN, "update_environment", update_environment, UPDATE_ENV_SCHEMA)
    hass.services.async_register(DOMAIN, "enable_device_url", enable_device_url, URL_SCHEMA)
    hass.services.async_register(DOMAIN, "disable_device_url", disable_device_url, URL_SCHEMA)
    hass.services.async_register(DOMAIN, "get_environment", get_environment, GET_ENV_SCHEMA,
                                 supports_response=SupportsResponse.ONLY)
