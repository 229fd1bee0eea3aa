"""Test double of HA core's `portainer` integration (HA 2026.11), for Fleet Deck's e2e tests.

Same domain, translation keys, has_entity_name, device tree (Server, Endpoint -> Stack ->
Container, Volume via_device links), unique_ids and services as the real integration; the
Portainer server behind it is `model.PortainerModel`, filled from fleet_deck_fixture.yaml.
"""
from __future__ import annotations

import voluptuous as vol

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.service import async_register_admin_service

from custom_components.fleet_deck_test.common import async_import_once, async_load_fixture, log_action

from .entity import endpoint_identifier, stack_identifier
from .model import DOMAIN, PortainerModel

PLATFORMS = [Platform.BINARY_SENSOR, Platform.BUTTON, Platform.EVENT, Platform.SENSOR, Platform.SWITCH, Platform.UPDATE]
CONFIG_SCHEMA = vol.Schema({DOMAIN: vol.Any(None, dict)}, extra=vol.ALLOW_EXTRA)


async def async_setup(hass: HomeAssistant, config: dict) -> bool:
    fixture = await async_load_fixture(hass, DOMAIN)
    hass.data.setdefault(DOMAIN, {})["fixture"] = fixture
    _register_services(hass)
    async_import_once(hass, DOMAIN, {"url": fixture["title"], "instance_id": fixture["instance_id"]})
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    model = PortainerModel(hass, entry.entry_id, hass.data[DOMAIN]["fixture"])
    hass.data[DOMAIN][entry.entry_id] = model
    hass.data[DOMAIN]["model"] = model
    reg = dr.async_get(hass)
    # Server device (2026.11: carries only the server update entity)
    reg.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, entry.entry_id)}, name=entry.title,
        manufacturer="Portainer", model="Server", entry_type=dr.DeviceEntryType.SERVICE, configuration_url=model.url,
    )
    for ep in model.endpoints.values():
        reg.async_get_or_create(
            config_entry_id=entry.entry_id, identifiers={endpoint_identifier(model, ep.id)}, name=ep.name,
            manufacturer="Portainer", model="Endpoint", entry_type=dr.DeviceEntryType.SERVICE,
            configuration_url=f"{model.url}#!/{ep.id}/docker/dashboard",
        )
        for st in ep.stacks.values():
            reg.async_get_or_create(
                config_entry_id=entry.entry_id, identifiers={stack_identifier(model, ep.id, st.id)}, name=st.name,
                manufacturer="Portainer", model="Stack", via_device=endpoint_identifier(model, ep.id),
                configuration_url=f"{model.url}#!/{ep.id}/docker/stacks/{st.name}",
            )
        for vol_name in ep.volumes:
            reg.async_get_or_create(
                config_entry_id=entry.entry_id, identifiers={(DOMAIN, f"{entry.entry_id}_{ep.id}_volume_{vol_name}")},
                name=vol_name, manufacturer="Portainer", model="Volume", via_device=endpoint_identifier(model, ep.id),
                configuration_url=f"{model.url}#!/{ep.id}/docker/volumes/{vol_name}",
            )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    ok = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if ok:
        hass.data[DOMAIN].pop(entry.entry_id, None)
    return ok


def _model(hass: HomeAssistant) -> PortainerModel:
    model = hass.data.get(DOMAIN, {}).get("model")
    if model is None:
        raise ServiceValidationError("Portainer is not set up")
    return model


def _device(hass: HomeAssistant, device_id: str, model_name: str) -> dr.DeviceEntry:
    dev = dr.async_get(hass).async_get(device_id)
    if dev is None or dev.model != model_name:
        raise ServiceValidationError(f"device {device_id} is not a Portainer {model_name}")
    return dev


def _register_services(hass: HomeAssistant) -> None:
    """2026.11: three admin-only services (prune_images, prune_build_cache, recreate_container)."""

    async def prune_images(call: ServiceCall) -> None:
        _device(hass, call.data["device_id"], "Endpoint")
        log_action(hass, DOMAIN, "prune_images", data={k: str(v) for k, v in call.data.items()})

    async def prune_build_cache(call: ServiceCall) -> None:
        _device(hass, call.data["device_id"], "Endpoint")
        log_action(hass, DOMAIN, "prune_build_cache", data={k: str(v) for k, v in call.data.items()})

    async def recreate(call: ServiceCall) -> None:
        dev = _device(hass, call.data["container_device_id"], "Container")
        model = _model(hass)
        await model.recreate_container(model.by_name(dev.name), pull_image=call.data["pull_image"])

    async_register_admin_service(hass, DOMAIN, "prune_images", prune_images, vol.Schema({
        vol.Required("device_id"): cv.string,
        vol.Optional("until"): cv.time_period,
        vol.Optional("dangling"): cv.boolean,
    }))
    async_register_admin_service(hass, DOMAIN, "prune_build_cache", prune_build_cache, vol.Schema({
        vol.Required("device_id"): cv.string,
        vol.Optional("all", default=True): cv.boolean,
        vol.Optional("until"): cv.time_period,
    }))
    async_register_admin_service(hass, DOMAIN, "recreate_container", recreate, vol.Schema({
        vol.Required("container_device_id"): cv.string,
        vol.Optional("timeout"): cv.time_period,
        vol.Optional("pull_image", default=False): cv.boolean,
    }))
