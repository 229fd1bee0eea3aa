"""0.6.0 `{name} Update` (diagnostic, supported_features=1) with its extra attributes."""
from __future__ import annotations

from homeassistant.components.update import UpdateEntity, UpdateEntityFeature
from homeassistant.const import EntityCategory

from .entity import LinkContainerEntity
from .model import DOMAIN


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    async_add_entities(ImageUpdate(model, c, "update", "Update", None) for c in model.containers.values())


class ImageUpdate(LinkContainerEntity, UpdateEntity):
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_supported_features = UpdateEntityFeature.INSTALL

    @property
    def installed_version(self):
        c = self.cont
        return c.digest if c.update_available else c.tag

    @property
    def latest_version(self):
        c = self.cont
        return c.available_digest if c.update_available else c.tag

    @property
    def release_summary(self):
        return f"Current digest: {self.cont.digest}; available digest: {self.cont.available_digest}"

    @property
    def in_progress(self):
        return False

    @property
    def extra_state_attributes(self):
        c = self.cont
        return {
            "current_digest": c.digest,
            "available_digest": c.available_digest,
            "last_checked": c.started_at.isoformat(),
            "detection_method": "digest",
            "update_reason": "digest_changed" if c.update_available else "digest_matches",
        }

    async def async_install(self, version, backup, **kwargs) -> None:
        await self.model.pull_image_update(self.cont)
