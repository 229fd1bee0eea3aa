"""Config flow of the `balena_cloud` double: YAML import only. Like upstream it sets no unique_id;
entry title "Balena Cloud (<username>)", data {api_token, fleets: [str ids]}."""
from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow

from .model import DOMAIN


class BalenaCloudConfigFlow(ConfigFlow, domain=DOMAIN):
    VERSION = 1

    async def async_step_import(self, data: dict[str, Any]):
        if self._async_current_entries():
            return self.async_abort(reason="already_configured")
        return self.async_create_entry(
            title=f"Balena Cloud ({data['username']})",
            data={"api_token": "e2e-fake-token", "fleets": data["fleets"]},
            options={"update_interval": 30, "include_offline_devices": True},
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None):
        return self.async_abort(reason="not_supported")
