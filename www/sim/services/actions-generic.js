// Behaviour of entities outside the three integrations (lights, plugs, helpers…): enough for a
// dashboard to toggle them; nothing Fleet Deck relies on.

const toggleable = (on) => async (w, call, eid) => {
  await w.sleep(call.d * 0.3);
  const tx = w.tx(call);
  const cur = tx.get(eid);
  const next = on ?? (cur.state === "on" ? false : true);
  const patch = eid.startsWith("light.") ? { brightness: next ? (call.data.brightness ?? 255) : null, color_mode: next ? "color_temp" : null } : null;
  tx.set(eid, next ? "on" : "off", patch);
  tx.commit();
};

export const genericActions = {
  "switch.turn_on": toggleable(true),
  "switch.turn_off": toggleable(false),
  "switch.toggle": toggleable(null),
  "light.turn_on": toggleable(true),
  "light.turn_off": toggleable(false),
  "light.toggle": toggleable(null),
  "input_boolean.turn_on": toggleable(true),
  "input_boolean.turn_off": toggleable(false),
  "input_boolean.toggle": toggleable(null),
  "automation.turn_on": toggleable(true),
  "automation.turn_off": toggleable(false),
  "automation.toggle": toggleable(null),
  "automation.trigger": (w, call) => w.sleep(call.d * 0.2),
  "button.press": (w, call) => w.sleep(call.d * 0.3),
  "update.install": (w, call) => w.sleep(call.d),
  "update.skip": (w, call) => w.sleep(call.d * 0.2),
  "update.clear_skipped": (w, call) => w.sleep(call.d * 0.2),
  "homeassistant.update_entity": (w, call) => w.sleep(call.d * 0.3),
  "homeassistant.reload_config_entry": (w, call) => w.sleep(call.d),
};
