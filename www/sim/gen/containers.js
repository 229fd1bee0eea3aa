// Fills in the Docker-side facts of a container spec (ids, digests, metrics, start time) that
// scenarios leave out, so all three Portainer generators describe containers the same way.
import { DAY, HOUR, MINUTE } from "../util.js";

export const RUNNING_LIKE = new Set(["running", "paused"]);

export function fillContainer(rng, spec, now) {
  const state = spec.state ?? "running";
  const startedAgo = spec.startedAgo ?? rng.float(20 * MINUTE, 21 * DAY);
  const installed = rng.hex(64);
  const update = !!spec.update;
  return {
    name: spec.name,
    image: spec.image ?? `docker.io/library/${spec.name.replace(/[-_]\d+$/, "")}:latest`,
    state,
    health: spec.health ?? null,
    update,
    containerId: rng.hex(64),
    imageId: `sha256:${rng.hex(64)}`,
    digest: `sha256:${installed}`,
    latestDigest: update ? `sha256:${rng.hex(64)}` : `sha256:${installed}`,
    cpu: spec.cpu ?? (state === "running" ? rng.float(0.02, rng.chance(0.15) ? 35 : 6) : 0),
    mem: spec.mem ?? rng.float(12, rng.chance(0.2) ? 2400 : 600),
    memLimit: spec.memLimit ?? 15897.6,
    restarts: spec.restarts ?? (rng.chance(0.1) ? rng.int(1, 6) : 0),
    startedAt: now - startedAgo,
    // An exited container stopped some time after it last started.
    finishedAt: state === "exited" ? now - startedAgo * rng.float(0.05, 0.9) : null,
    versionLabel: spec.versionLabel ?? null,
    createdLabel: spec.createdLabel ?? null,
    service: spec.service ?? spec.name,
    project: spec.project ?? null,
    network: spec.network ?? null,
    restartPolicy: spec.restartPolicy ?? rng.pick(["unless-stopped", "always", "unless-stopped", "no"]),
    healthyAfterStart: spec.health !== "unhealthy",
    lastEventAt: state === "exited" ? null : now - startedAgo,
    checkedAt: now - rng.float(HOUR, 20 * HOUR),
  };
}

/** The tag part of an image reference ("release" for ghcr.io/immich-app/immich-server:release). */
export function imageTag(image) {
  const at = image.lastIndexOf(":");
  return at > image.lastIndexOf("/") ? image.slice(at + 1) : "latest";
}
