"""Config flow of the `ha_portainer_link` double: YAML import only (one entry per endpoint)."""
from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow

from .model import DOMAIN


class LinkConfigFlow(ConfigFlow, domain=DOMAIN):
    VERSION = 1

    async def async_step_import(self, data: dict[str, Any]):
        await self.async_set_unique_id(f"{data['host']}_{data['endpoint_id']}")
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title=f"Portainer {data['host']} (endpoint {data['endpoint_id']})",
            data={"host": f"https://{data['host']}:9443", "api_key": "e2e-fake", "endpoint_id": data["endpoint_id"], "ssl_verify": False},
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None):
        return self.async_abort(reason="not_supported")
