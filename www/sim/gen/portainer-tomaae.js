// tomaae `portainer` (HACS): read-only. One sensor per container on a shared per-endpoint
// device, stack membership only as the `Compose stack` attribute, translation_key always null.
// (It shares the `portainer` domain with core, so a real HA has one or the other; the demo
// world has both so the card's tell-apart logic is exercised.)
import { fillContainer } from "./containers.js";

const PLATFORM = "portainer";
const ATTRIBUTION = "Data provided by Portainer integration";

export function generateTomaae(b, spec) {
  const rng = b.rng.fork(`tomaae:${spec.host}`);
  const now = b.now;
  const inst = spec.inst ?? "Portainer";
  const entry = b.configEntry(PLATFORM, inst);
  const model = b.model.tomaae;
  model.entries.push({ entryId: entry, inst, host: spec.host });
  // Devices come from `connections`, so they have no identifiers.
  const endpointsDev = b.device({
    name: `${inst} Endpoints`, manufacturer: "Docker", entry, connections: [[PLATFORM, `${inst}_Endpoints_${entry}`]],
  });
  b.device({ name: `${inst} System`, manufacturer: "Docker", entry, identifiers: [[PLATFORM, `${inst}_System_${entry}`]] });

  for (const epSpec of spec.endpoints) {
    const devId = b.device({
      name: `${inst} ${epSpec.name}`, manufacturer: "Docker", entry,
      connections: [[PLATFORM, `${inst}_${epSpec.name}_${entry}`]],
    });
    const ep = { id: epSpec.id, name: epSpec.name, containers: [] };
    model.endpoints.push(ep);
    let running = 0, stopped = 0, healthy = 0, unhealthy = 0;
    const stacks = new Set();
    for (const cs of epSpec.containers) {
      const c = fillContainer(rng, cs, now);
      Object.assign(c, { kind: "tomaae", endpoint: ep });
      const live = c.state === "running";
      if (live) running++; else stopped++;
      if (live && c.health === "healthy") healthy++;
      if (live && c.health === "unhealthy") unhealthy++;
      if (c.project) stacks.add(c.project);
      const extras = {
        attribution: ATTRIBUTION,
        Image: c.image,
        Imageid: c.imageId,
        Network: c.network ?? (c.project ? `${c.project}_default` : "bridge"),
        "Compose stack": c.project ?? "",
        "Compose service": c.project ? c.service : "",
        "Compose version": c.project ? "2.29.7" : "",
        Environment: epSpec.name,
      };
      if (spec.healthCheck !== false) extras["Health status"] = live ? (c.health ?? "unknown") : "unknown";
      if (spec.restartPolicy !== false) extras["Restart policy"] = c.restartPolicy;
      if (spec.updateCheck !== false) {
        extras["Update available"] = c.update ? 1 : 0;
        extras["Update description"] = c.update ? "Update available: a newer image exists in the registry." : "No update available.";
      }
      c.e = {
        sensor: b.entity({
          domain: "sensor", platform: PLATFORM, deviceId: devId, hasEntityName: true, regName: c.name,
          friendly: `${inst} ${epSpec.name} ${c.name}`, state: c.state, extras, icon: "mdi:train-car-container",
          owner: { type: "tomaaeContainer", ref: c, role: "sensor" },
        }),
      };
      ep.containers.push(c);
      model.containers.push(c);
    }
    b.entity({
      domain: "sensor", platform: PLATFORM, deviceId: endpointsDev, hasEntityName: true, regName: epSpec.name,
      friendly: `${inst} Endpoints ${epSpec.name}`, state: String(running),
      extras: {
        attribution: ATTRIBUTION, Type: 1, Status: 1, Dockerversion: "27.3.1", Swarm: false, Totalcpu: 4,
        Totalmemory: 8_200_000_000, Runningcontainercount: running, Stoppedcontainercount: stopped,
        Healthycontainercount: healthy, Unhealthycontainercount: unhealthy, Volumecount: rng.int(4, 30),
        Imagecount: rng.int(8, 40), Servicecount: 0, Stackcount: stacks.size,
      },
      icon: "mdi:truck-cargo-container",
      owner: { type: "tomaaeEndpoint", ref: ep, role: "sensor" },
    });
  }
}
