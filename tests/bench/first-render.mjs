// One first render on a blank page, run INSIDE the page (pass it to page.evaluate with the
// scenario): the simulated hass is built first, then the clock starts, the card's script is
// inserted, and the card is created, configured and attached as Lovelace does. Resolves with
// the milliseconds until the card shows its populated header and a row or group, and the
// phases between the card's fd:* User Timing marks. Self-contained: page.evaluate sends its
// source.
export async function firstRenderInPage(scenario) {
  const { createSimulatedHass } = await import("/sim/hass.js");
  if (!customElements.get("ha-card")) {
    customElements.define("ha-card", class extends HTMLElement {
      constructor() { super(); this.attachShadow({ mode: "open" }).innerHTML = "<slot></slot>"; }
    });
  }
  // A profiler may build the simulated HA first (`window.sim`), so that its own work stays
  // out of the profile.
  const sim = window.sim || createSimulatedHass({ scenario, delay: 30, failureRate: 0 });
  window.sim = sim;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
  const t0 = performance.now();
  const s = document.createElement("script");
  s.type = "module";
  s.src = "/dist/fleet-deck-card.js";
  document.head.append(s);
  await customElements.whenDefined("fleet-deck-card");
  const card = document.createElement("fleet-deck-card");
  card.setConfig({ type: "custom:fleet-deck-card" });
  card.hass = sim.hass;
  document.body.append(card);
  sim.subscribe((h) => { card.hass = h; });
  window.card = card;
  const ready = () => {
    const root = card.shadowRoot;
    return root && root.querySelector("ha-card.fleet-deck[data-ready=true]") &&
      root.querySelector("[data-container], [data-device], [data-group], [data-stack], [data-fleet]");
  };
  const tReady = await new Promise((resolve, reject) => {
    const limit = setTimeout(() => reject(new Error("card not ready in 20 s")), 20000);
    const tick = () => {
      if (ready()) { clearTimeout(limit); performance.mark("fd:ready"); resolve(performance.now()); } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const at = (name) => performance.getEntriesByName(name, "mark")[0]?.startTime ?? NaN;
  return {
    ms: tReady - t0,
    phases: {
      "script, inflate, instantiate": at("fd:mount") - t0,
      "mounting the app": at("fd:mounted") - at("fd:mount"),
      "reading registry entries and states": at("fd:devices") - at("fd:read"),
      devices: at("fd:discovery") - at("fd:devices"),
      discovery: at("fd:model") - at("fd:discovery"),
      "the model": at("fd:tracked") - at("fd:model"),
      "tracked ids": at("fd:paint") - at("fd:tracked"),
      "first paint": tReady - at("fd:paint"),
      total: tReady - t0,
    },
  };
}
