"""Config flow of the core `portainer` double: only the YAML import step (the real one asks for
url, api_token and verify_ssl; entry title = the URL, unique_id = Portainer's instance id)."""
from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow

from .model import DOMAIN


class PortainerConfigFlow(ConfigFlow, domain=DOMAIN):
    VERSION = 5
    MINOR_VERSION = 2

    async def async_step_import(self, data: dict[str, Any]):
        await self.async_set_unique_id(data["instance_id"])
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title=data["url"], data={"url": data["url"], "api_token": "e2e-fake-token", "verify_ssl": False}
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None):
        return self.async_abort(reason="not_supported")
