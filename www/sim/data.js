// Deterministic world generation: `generateData(scenario, seed)` returns exactly what a card
// finds in `hass.states`, `hass.entities` and `hass.devices`; `generateScenario` additionally
// returns the model the runtime simulation needs to act like the integrations.
import { createRng } from "./prng.js";
import { WorldBuilder } from "./gen/builder.js";
import { generateCorePortainer } from "./gen/portainer-core.js";
import { generateLink } from "./gen/portainer-link.js";
import { generateTomaae } from "./gen/portainer-tomaae.js";
import { generateBalena } from "./gen/balena.js";
import { generateFiller } from "./gen/filler.js";
import { scenarioSpec, SCENARIOS } from "./scenarios.js";

export { SCENARIOS };
export const SCENARIO_NAMES = Object.keys(SCENARIOS);

/**
 * @param {"demo"|"S"|"L"} scenario
 * @param {number|string} seed
 * @param {{now?: number, totalStates?: number}} [opts] `now` anchors every timestamp (default
 *   Date.now(), so output is byte-identical only for the same `now`); `totalStates` overrides the
 *   scenario's target. The target is a floor: integrations are never trimmed to meet it.
 */
export function generateScenario(scenario = "demo", seed = 1, opts = {}) {
  const now = opts.now ?? Date.now();
  const spec = scenarioSpec(scenario, seed);
  const b = new WorldBuilder(createRng(`${scenario}:${seed}`), now);
  for (const s of spec.core ?? []) generateCorePortainer(b, s);
  for (const s of spec.link ?? []) generateLink(b, s);
  for (const s of spec.tomaae ?? []) generateTomaae(b, s);
  for (const s of spec.balena ?? []) generateBalena(b, s);
  generateFiller(b, opts.totalStates ?? spec.totalStates ?? 0);
  const m = b.model;
  return {
    states: b.states,
    entities: b.entities,
    devices: b.devices,
    model: m,
    summary: {
      scenario, seed, now,
      states: Object.keys(b.states).length,
      entities: Object.keys(b.entities).length,
      devices: Object.keys(b.devices).length,
      corePortainer: { endpoints: m.core.endpoints.length, stacks: m.core.stacks.length, containers: m.core.containers.length },
      portainerLink: { entries: m.link.entries.length, stacks: m.link.stacks.length, containers: m.link.containers.length },
      tomaae: { endpoints: m.tomaae.endpoints.length, containers: m.tomaae.containers.length },
      balena: { fleets: m.balena.fleets.length, devices: m.balena.devices.size },
    },
  };
}

/** `{states, entities, devices}` in the shapes of `hass.states` / `hass.entities` / `hass.devices`. */
export function generateData(scenario = "demo", seed = 1, opts = {}) {
  const { states, entities, devices } = generateScenario(scenario, seed, opts);
  return { states, entities, devices };
}
