// The environment-variable editor on the simulated Home Assistant: dialog semantics and focus,
// validation before sending, masking of secret-looking names (inputs, diff, history), the exact
// update_environment payload, "sent" versus "applied" (read-back), drafts across a reload, failed
// applies keeping the edits, the change history in the user's HA user data, and bulk applies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openDemo, card, until, untilResolved, serviceCalls } from "./helpers.mjs";

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const FLEETS = { view: "fleets" };
const LOBBY = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const inShadow = (sel) => `document.querySelector("fleet-deck-card").shadowRoot.querySelector(${JSON.stringify(sel)})`;
const countIn = (sel) => `document.querySelector("fleet-deck-card").shadowRoot.querySelectorAll(${JSON.stringify(sel)}).length`;
const active = (page) => page.evaluate(() => {
  const a = document.querySelector("fleet-deck-card").shadowRoot.activeElement;
  return a ? { field: a.dataset.field ?? null, action: a.dataset.action ?? null, row: a.closest("[data-device]")?.dataset.device ?? null } : null;
});

async function openEditor(page, device = "kiosk-lobby") {
  await card(page, `[data-device="${device}"] button[data-action=env]`).click();
  const dialog = card(page, "[role=dialog][data-dialog=env]");
  await dialog.waitFor();
  return dialog;
}
const names = (d) => d.locator("input[data-field=name]");
const values = (d) => d.locator("input[data-field=value]");
const userHistory = (page) => page.evaluate(async () => (await window.sim.hass.callWS({ type: "frontend/get_user_data", key: "fleet_deck_env_history" })).value);

test("the editor is a labelled dialog: no-read note, focus on the first field, Escape closes and returns focus", async () => {
  const { page, context, errors } = await openDemo(env, { config: FLEETS });
  const button = card(page, "[data-device=kiosk-lobby] button[data-action=env]");
  assert.equal(await button.getAttribute("aria-label"), "Environment variables kiosk-lobby");
  const dialog = await openEditor(page);
  const titleId = await dialog.getAttribute("aria-labelledby");
  assert.equal(await card(page, `#${titleId}`).textContent(), "Environment variables: kiosk-lobby");
  assert.equal(await dialog.getAttribute("aria-modal"), "true");
  assert.match(await dialog.locator("[data-env-note=no-read]:not([hidden])").textContent(), /cannot read variables, and its released versions do not apply them either/);
  assert.equal(await names(dialog).count(), 1);
  assert.equal(await names(dialog).first().getAttribute("aria-label"), "Variable name, row 1");
  assert.equal(await values(dialog).first().getAttribute("aria-label"), "Value, row 1");
  await until(page, () => document.querySelector("fleet-deck-card").shadowRoot.activeElement?.dataset.field === "name");
  await page.keyboard.press("Escape");
  assert.equal(await dialog.count(), 0);
  assert.deepEqual(await active(page), { field: null, action: "env", row: "kiosk-lobby" });
  assert.deepEqual(await serviceCalls(page, "balena_cloud"), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("validation says which row and why before anything is sent", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS });
  const dialog = await openEditor(page);
  await names(dialog).nth(0).fill("1BAD");
  await dialog.locator("button[data-env=add]").click();
  await names(dialog).nth(1).fill("BALENA_HOST_CONFIG");
  await dialog.locator("button[data-env=add]").click();
  await names(dialog).nth(2).fill("GOOD");
  await values(dialog).nth(2).fill("ok");
  await dialog.locator("button[data-env=add]").click();
  await names(dialog).nth(3).fill("GOOD");
  await dialog.locator("button[data-env=apply]").click();
  const items = await dialog.locator("[data-env-errors] li").allTextContents();
  assert.deepEqual(items, [
    "Row 1: a name may contain only letters, digits and _ and must not start with a digit.",
    "Row 2: names starting with BALENA_ or RESIN_ are configuration variables, not environment variables.",
    "Row 4: the same name as row 3.",
  ]);
  assert.equal(await dialog.locator("[data-env-errors]").getAttribute("role"), "alert");
  const invalid = await names(dialog).evaluateAll((els) => els.map((e) => e.getAttribute("aria-invalid")));
  assert.deepEqual(invalid, ["true", "true", null, "true"]);
  assert.deepEqual(await serviceCalls(page, "balena_cloud"), [], "nothing sent");
  await dialog.locator("button[data-env=preview]").click();
  assert.equal(await dialog.locator("[data-env-diff]").count(), 0, "no diff while invalid");
  // Fixing a row updates the list at once; removing the duplicate clears its error.
  await names(dialog).nth(0).fill("GOOD_TOO");
  await dialog.locator("button[data-env=remove]").nth(3).click();
  assert.deepEqual(await dialog.locator("[data-env-errors] li").allTextContents(), [
    "Row 2: names starting with BALENA_ or RESIN_ are configuration variables, not environment variables.",
  ]);
  assert.equal(await dialog.locator("button[data-env=remove]").nth(1).getAttribute("aria-label"), "Remove variable in row 2");
  await context.close();
});

test("secrets are masked in inputs, diff and history; the payload is exactly {device_uuid, variables}; the result says sent", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS });
  const dialog = await openEditor(page);
  await names(dialog).nth(0).fill("API_TOKEN");
  await values(dialog).nth(0).fill("s3cr3t-value");
  assert.equal(await values(dialog).nth(0).getAttribute("type"), "password");
  const reveal = dialog.locator("button[data-env=reveal]:not([hidden])");
  assert.equal(await reveal.getAttribute("aria-label"), "Show value of API_TOKEN");
  await reveal.click();
  assert.equal(await values(dialog).nth(0).getAttribute("type"), "text");
  assert.equal(await reveal.getAttribute("aria-label"), "Hide value of API_TOKEN");
  await reveal.click();
  assert.equal(await values(dialog).nth(0).getAttribute("type"), "password");
  await dialog.locator("button[data-env=add]").click();
  await names(dialog).nth(1).fill("LOG_LEVEL");
  await values(dialog).nth(1).fill("debug");
  assert.equal(await values(dialog).nth(1).getAttribute("type"), "text");
  assert.equal(await dialog.locator("button[data-env=reveal]:not([hidden])").count(), 1, "only secrets get a reveal toggle");

  await dialog.locator("button[data-env=preview]").click();
  const diff = await dialog.locator("[data-env-diff] li").evaluateAll((els) => els.map((e) => [e.dataset.change, e.querySelector("code").textContent]));
  assert.deepEqual(diff, [["added", "API_TOKEN = ••••••••"], ["added", "LOG_LEVEL = debug"]]);
  assert.deepEqual(await serviceCalls(page, "balena_cloud"), [], "preview sends nothing");

  await dialog.locator("button[data-env=apply]").click();
  await until(page, `${inShadow("[data-result-item=kiosk-lobby]")}?.dataset.outcome === "sent"`);
  assert.deepEqual(await serviceCalls(page, "balena_cloud"), [
    { domain: "balena_cloud", service: "update_environment", data: { device_uuid: LOBBY, variables: { API_TOKEN: "s3cr3t-value", LOG_LEVEL: "debug" } }, target: undefined },
  ]);
  assert.equal(await card(page, "[data-result-item=kiosk-lobby] .fd-result-text").textContent(), "Sent (not confirmed)");
  assert.equal(await card(page, "[data-run][data-action=env] strong").textContent(), "Environment variables");
  assert.match(await dialog.locator("[data-env-status=sent]").textContent(), /cannot confirm/);

  await until(page, `${countIn("[data-env-history] [data-history-entry]")} === 1`);
  const entry = await dialog.locator("[data-env-history] [data-history-entry]").textContent();
  // Nothing could read the values back: the history says the change was sent, not applied.
  assert.match(entry, / · Alex: API_TOKEN=••••••••, LOG_LEVEL=debug \(sent, not confirmed\)$/);
  const stored = await userHistory(page);
  assert.equal(stored[LOBBY][0].unconfirmed, true);
  assert.equal(stored[LOBBY].length, 1);
  assert.equal(stored[LOBBY][0].user, "Alex");
  assert.equal(stored[LOBBY][0].device_uuid, LOBBY);
  assert.deepEqual(stored[LOBBY][0].changes, [
    { name: "API_TOKEN", kind: "added", value: "••••••••" }, { name: "LOG_LEVEL", kind: "added", value: "debug" },
  ]);
  assert.ok(Math.abs(stored[LOBBY][0].at * 1000 - Date.now()) < 60_000);
  const wsText = await page.evaluate(() => JSON.stringify(window.sim.log.filter((e) => e.type === "callWS")));
  assert.ok(!wsText.includes("s3cr3t"), "the secret never reaches the user data");

  // Reopening shows the history from the user data.
  await dialog.locator("button[data-env=close]").click();
  const again = await openEditor(page);
  await until(page, `${countIn("[data-env-history] [data-history-entry]")} === 1`);
  assert.match(await again.locator("[data-history-entry]").textContent(), /API_TOKEN=••••••••/);
  await context.close();
});

test("a reload mid-edit keeps a draft; a successful apply clears it", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS });
  const uuid = await page.evaluate(() => window.sim.inventory().balena.devices.find((d) => d.name === "kiosk-foyer").uuid);
  let dialog = await openEditor(page, "kiosk-foyer");
  await names(dialog).nth(0).fill("KIOSK_URL");
  await values(dialog).nth(0).fill("https://example.invalid/foyer");
  await dialog.locator("button[data-env=add]").click();
  await names(dialog).nth(1).fill("ROTATE");
  const key = `fleet-deck:env-draft:${uuid}`;
  assert.ok(await page.evaluate((k) => localStorage.getItem(k), key));
  await page.reload();
  await page.waitForSelector("fleet-deck-card ha-card.fleet-deck[data-ready=true]");
  dialog = await openEditor(page, "kiosk-foyer");
  assert.equal(await dialog.locator("[data-env-note=draft]:not([hidden])").textContent(), "Unsent edits restored.");
  assert.deepEqual(await names(dialog).evaluateAll((els) => els.map((e) => e.value)), ["KIOSK_URL", "ROTATE"]);
  assert.deepEqual(await values(dialog).evaluateAll((els) => els.map((e) => e.value)), ["https://example.invalid/foyer", ""]);
  await dialog.locator("button[data-env=apply]").click();
  await until(page, `${inShadow("[data-env-status]")}?.dataset.envStatus === "sent"`);
  assert.deepEqual((await serviceCalls(page, "balena_cloud", "update_environment")).map((c) => c.data),
    [{ device_uuid: uuid, variables: { KIOSK_URL: "https://example.invalid/foyer", ROTATE: "" } }]);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), null, "draft cleared after the apply");
  assert.equal(await dialog.locator("[data-env-note=draft]:not([hidden])").count(), 0);
  await context.close();
});

test("a failed apply keeps the edits in the form and the draft, with the error", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS });
  await page.evaluate(() => window.sim.failNext("balena_cloud", "update_environment", { message: "Balena API error 500" }));
  const dialog = await openEditor(page);
  await names(dialog).nth(0).fill("SAMPLE_RATE");
  await values(dialog).nth(0).fill("44100");
  await dialog.locator("button[data-env=apply]").click();
  await until(page, `${inShadow("[data-env-status]")}?.dataset.envStatus === "error"`);
  assert.equal(await dialog.locator("[data-env-status]").textContent(), "Not applied: Balena API error 500. Your edits are kept.");
  assert.equal(await dialog.locator("[data-env-status]").getAttribute("role"), "alert");
  assert.equal(await names(dialog).nth(0).inputValue(), "SAMPLE_RATE");
  assert.equal(await values(dialog).nth(0).inputValue(), "44100");
  assert.equal(await card(page, "[data-result-item=kiosk-lobby]").getAttribute("data-outcome"), "failed");
  assert.match(await page.evaluate((k) => localStorage.getItem(k), `fleet-deck:env-draft:${LOBBY}`), /SAMPLE_RATE/);
  assert.equal((await userHistory(page))?.[LOBBY], undefined, "no history for a failed change");
  // Trying again works and is recorded.
  await dialog.locator("button[data-env=apply]").click();
  await until(page, `${inShadow("[data-env-status]")}?.dataset.envStatus === "sent"`);
  assert.equal((await serviceCalls(page, "balena_cloud", "update_environment")).length, 2);
  await until(page, `${countIn("[data-env-history] [data-history-entry]")} === 1`);
  await context.close();
});

test("with get_environment: current values load as the before, the diff shows changes, a read-back turns sent into applied", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS, fixed: 1 });
  const dialog = await openEditor(page);
  await until(page, `${countIn("[data-env-note=read]:not([hidden])")} === 1`);
  assert.equal(await dialog.locator("[data-env-note=no-read]:not([hidden])").count(), 0);
  assert.deepEqual(await names(dialog).evaluateAll((els) => els.map((e) => e.value)), ["DISPLAY_ROTATION", "DISPLAY_URL", "TZ"]);
  assert.deepEqual(await values(dialog).evaluateAll((els) => els.map((e) => e.value)), ["0", "https://signage.example.com/lobby", "Europe/Berlin"]);
  const read = await serviceCalls(page, "balena_cloud", "get_environment");
  assert.deepEqual(read, [{ domain: "balena_cloud", service: "get_environment", data: { device_uuid: LOBBY }, target: undefined }]);
  assert.equal(await page.evaluate(() => window.sim.log.find((e) => e.service === "get_environment").returnResponse), true);

  await values(dialog).nth(2).fill("UTC");
  await dialog.locator("button[data-env=remove]").nth(0).click();
  await dialog.locator("button[data-env=add]").click();
  await names(dialog).nth(2).fill("NEW_VAR");
  await values(dialog).nth(2).fill("1");
  await dialog.locator("button[data-env=preview]").click();
  const diff = await dialog.locator("[data-env-diff] li").evaluateAll((els) => els.map((e) => [e.dataset.change, e.querySelector("code").textContent]));
  assert.deepEqual(diff, [
    ["removed", "DISPLAY_ROTATION — not sent: the integration cannot delete variables"],
    ["added", "NEW_VAR = 1"],
    ["changed", "TZ: Europe/Berlin → UTC"],
  ]);
  await dialog.locator("button[data-env=apply]").click();
  await until(page, `${inShadow("[data-result-item=kiosk-lobby]")}?.dataset.outcome === "done"`);
  assert.equal(await card(page, "[data-result-item=kiosk-lobby] .fd-result-text").textContent(), "Applied");
  assert.equal(await dialog.locator("[data-env-status]").getAttribute("data-env-status"), "ok");
  assert.deepEqual((await serviceCalls(page, "balena_cloud", "update_environment")).map((c) => c.data),
    [{ device_uuid: LOBBY, variables: { NEW_VAR: "1", TZ: "UTC" } }], "only the changes; removals are not sent");
  assert.equal((await serviceCalls(page, "balena_cloud", "get_environment")).length, 2, "one read-back");
  // The read-back is the new before: only the unsendable removal is left.
  await dialog.locator("button[data-env=preview]").click();
  assert.deepEqual(await dialog.locator("[data-env-diff] li").evaluateAll((els) => els.map((e) => e.dataset.change)), ["removed"]);
  // The read-back confirmed it: a plain history entry.
  await until(page, `${countIn("[data-env-history] [data-history-entry]")} === 1`);
  assert.match(await dialog.locator("[data-history-entry]").textContent(), /: NEW_VAR=1, TZ=UTC$/);
  assert.equal(await dialog.locator("[data-history-entry][data-unconfirmed]").count(), 0);
  await context.close();
});

test("with get_environment but an integration that does nothing, the result stays sent", async () => {
  const { page, context } = await openDemo(env, { config: FLEETS, getenv: 1 });
  const dialog = await openEditor(page);
  await until(page, `${countIn("[data-env-note=read]:not([hidden])")} === 1`);
  await values(dialog).nth(2).fill("UTC");
  await dialog.locator("button[data-env=apply]").click();
  await until(page, () => window.sim.log.filter((e) => e.service === "get_environment" && e.status === "ok").length === 2);
  await until(page, `${inShadow("[data-env-status]")}?.dataset.envStatus === "sent"`);
  assert.equal(await card(page, "[data-result-item=kiosk-lobby]").getAttribute("data-outcome"), "sent");
  // The device still reads TZ=Europe/Berlin: the history must not claim the change.
  await until(page, `${countIn("[data-env-history] [data-history-entry][data-unconfirmed]")} === 1`);
  await context.close();
});

test("apply to the selected devices too: one call per device, at most 4 at a time, a result per device", async () => {
  // Each call takes 1.5 s, so the first four overlap unless the card starts them 1.5 s apart: the
  // overlap is exactly 4 (the limit, reached) however loaded the machine is.
  const { page, context } = await openDemo(env, { config: FLEETS, delay: 1500 });
  const inv = await page.evaluate(() => window.sim.inventory());
  const fleet = inv.balena.devices.filter((d) => d.fleetName === "signage-prod");
  for (const d of fleet) if (d.name !== "kiosk-lobby") await card(page, `input[aria-label="Select ${d.name}"]`).check();
  const dialog = await openEditor(page);
  await names(dialog).nth(0).fill("LOG_LEVEL");
  await values(dialog).nth(0).fill("info");
  const all = dialog.locator("button[data-env=apply-selected]");
  assert.equal(await all.textContent(), `Apply to selected devices (${fleet.length})`);
  await all.click();
  await until(page, `${countIn("[data-run][data-action=env] [data-outcome=sent]")} === ${fleet.length}`, null, 15000);
  const calls = await page.evaluate(() => window.sim.log.filter((e) => e.service === "update_environment").map((e) => ({ data: e.data, t: e.t, end: e.settledAt })));
  assert.deepEqual(calls.map((c) => c.data.device_uuid).sort(), fleet.map((d) => d.uuid).sort());
  assert.ok(calls.every((c) => JSON.stringify(c.data.variables) === JSON.stringify({ LOG_LEVEL: "info" })));
  const overlap = Math.max(...calls.map((c) => calls.filter((o) => o.t <= c.t && o.end > c.t).length));
  assert.equal(overlap, 4, `4 calls in flight at once, never more (saw ${overlap})`);
  const stored = await untilResolved(page, async (n) => {
    const r = await window.sim.hass.callWS({ type: "frontend/get_user_data", key: "fleet_deck_env_history" });
    return r.value && Object.keys(r.value).length === n && r.value;
  }, fleet.length);
  assert.deepEqual(Object.keys(stored).sort(), fleet.map((d) => d.uuid).sort());
  await context.close();
});
