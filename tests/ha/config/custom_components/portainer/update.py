"""Container `container_image_update` (INSTALL | PROGRESS, short digests, title = container name)
and the Server device's `server_update`."""
from __future__ import annotations

from homeassistant.components.update import UpdateEntity, UpdateEntityFeature
from homeassistant.const import EntityCategory
from homeassistant.helpers.device_registry import DeviceInfo

from .entity import ContainerEntity, PortainerEntity
from .model import DOMAIN

HAS_PERCENTAGE = hasattr(UpdateEntity, "update_percentage")  # HA >= 2025.1


async def async_setup_entry(hass, entry, async_add_entities):
    model = hass.data[DOMAIN][entry.entry_id]
    entities = [ContainerImageUpdate(model, c, "container_image_update") for c in model.containers.values()]
    entities.append(ServerUpdate(model))
    async_add_entities(entities)


class ContainerImageUpdate(ContainerEntity, UpdateEntity):
    _attr_entity_category = EntityCategory.CONFIG
    _attr_supported_features = UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS
    _attr_entity_picture = "/api/brands/integration/portainer/icon.png"

    @property
    def title(self):
        return self.cont.name

    @property
    def installed_version(self):
        return self.cont.digest

    @property
    def latest_version(self):
        return self.cont.latest_digest or self.cont.digest

    @property
    def in_progress(self):
        if HAS_PERCENTAGE or not self.cont.update_busy:
            return self.cont.update_busy
        return self.cont.update_progress

    @property
    def update_percentage(self):
        return self.cont.update_progress if self.cont.update_busy else None

    async def async_install(self, version, backup, **kwargs) -> None:
        await self.model.install_image_update(self.cont)


class ServerUpdate(PortainerEntity, UpdateEntity):
    def __init__(self, model):
        super().__init__(model, "server_update")
        self._attr_unique_id = f"{model.entry_id}_server_update"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, model.entry_id)})
        self._attr_entity_picture = "/api/brands/integration/portainer/icon.png"

    @property
    def installed_version(self):
        return self.model.server_version

    @property
    def latest_version(self):
        return self.model.server_latest

    @property
    def release_url(self):
        return f"https://github.com/portainer/portainer/releases/tag/{self.model.server_latest}"
