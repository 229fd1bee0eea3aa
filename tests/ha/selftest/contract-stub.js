// HARNESS SELF-TEST ONLY, not the product: a minimal plain-JS card that implements the DOM
// contract the e2e checks are written against, for the test doubles' fixture. Run
//   FLEET_DECK_CARD_FILE=tests/ha/selftest/contract-stub.js node tests/ha/run.mjs
// to tell harness problems from card problems. Discovery here is deliberately simple.
const CONTAINER_KEYS = new Set(["container", "container_state", "restart_container"]);
const LINK_SUFFIXES = ["_status", "_switch", "_restart", "_cpu_usage"];

class FleetDeckContractStub extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._view = "containers";
    this._selected = new Set();
    this._results = null;
    this._confirm = null;
    this._env = null;
    this._chart = null;
    this._states = {};
    this._live = false;
    this._listen();
  }
  static getConfigForm() {
    return { schema: [{ name: "title", selector: { text: {} } }, { name: "view", selector: { select: { options: ["auto", "containers", "fleets"] } } }] };
  }
  static getStubConfig() { return { title: "Fleet Deck" }; }
  getCardSize() { return 8; }
  setConfig(config) { this._config = config; this._render(); }
  set hass(hass) {
    this._hass = hass;
    if (!this._inv) {
      this._inv = this._discover(hass);
      const ids = this._inv.containers.map((c) => c.cpu).filter(Boolean);
      hass.callWS({ type: "history/history_during_period", start_time: new Date(Date.now() - 86400e3).toISOString(), entity_ids: ids, minimal_response: true, no_attributes: true, significant_changes_only: false })
        .then((res) => { this._spark = res; this._render(); });
    }
    this._subscribe();
    this._render();
  }
  connectedCallback() { this._subscribe(); }
  disconnectedCallback() {
    // one subscription per connected element: a rebuilt dashboard must not leak the old one
    this._unsub?.then((u) => u()).catch(() => {});
    this._unsub = null;
  }
  _subscribe() {
    const hass = this._hass;
    if (this._unsub || !hass?.connection || !this.isConnected) return;
    this._unsub = hass.connection.subscribeMessage((ev) => this._onEvent(ev), { type: "subscribe_entities", entity_ids: this._inv.entityIds });
    if (this._conn !== hass.connection) {
      this._conn = hass.connection;
      hass.connection.addEventListener("disconnected", () => { this._live = false; this._render(); });
      hass.connection.addEventListener("ready", () => { this._live = true; this._render(); });
    }
    this._live = hass.connected;
  }
  _onEvent(ev) {
    for (const [id, s] of Object.entries(ev.a || {})) this._states[id] = { state: s.s, attributes: s.a || {} };
    for (const [id, d] of Object.entries(ev.c || {})) {
      const cur = this._states[id];
      if (!cur || !d["+"]) continue;
      if (d["+"].s !== undefined) cur.state = d["+"].s;
      if (d["+"].a) Object.assign(cur.attributes, d["+"].a);
    }
    this._live = true;
    this._render();
  }
  _discover(hass) {
    const ents = Object.values(hass.entities);
    const dev = (id) => hass.devices[id];
    const containers = [];
    const stacks = [];
    // core portainer: device tree
    for (const d of Object.values(hass.devices)) {
      if (!d.identifiers.some(([x]) => x === "portainer")) continue;
      const mine = ents.filter((e) => e.device_id === d.id && e.platform === "portainer");
      const tk = (k) => mine.find((e) => e.translation_key === k)?.entity_id;
      if (d.model === "Container" && mine.some((e) => CONTAINER_KEYS.has(e.translation_key))) {
        const parent = dev(d.via_device_id);
        const isStack = parent?.model === "Stack";
        containers.push({ name: d.name, source: "portainer", group: isStack ? ["stack", parent.name] : ["standalone", parent?.name ?? "?"],
          state: tk("container_state"), sw: tk("container"), restart: tk("restart_container"), cpu: tk("cpu_usage_total"), update: tk("container_image_update") });
      }
      if (d.model === "Stack") stacks.push({ name: d.name, source: "portainer", sw: tk("stack") });
    }
    // ha_portainer_link: names before the known suffixes
    const link = ents.filter((e) => e.platform === "ha_portainer_link");
    for (const e of link.filter((e) => e.entity_id.startsWith("sensor.") && e.entity_id.endsWith("_status"))) {
      const friendly = hass.states[e.entity_id]?.attributes.friendly_name ?? "";
      const name = friendly.replace(/ Status$/, "");
      const base = e.entity_id.slice(7, -7);
      const d = dev(e.device_id);
      const m = /^Stack: (.+) \(/.exec(d?.name ?? "");
      containers.push({ name, source: "ha_portainer_link", group: m ? ["stack", m[1]] : ["standalone", (d?.name ?? "").replace(/^.*\((.*)\)$/, "$1")],
        state: e.entity_id, sw: `switch.${base}_switch`, restart: `button.${base}_restart`, cpu: `sensor.${base}_cpu_usage`, update: `binary_sensor.${base}_update_available` });
    }
    for (const e of link.filter((e) => /^button\.stack_.+_stop$/.test(e.entity_id))) {
      stacks.push({ name: e.entity_id.slice(13, -5), source: "ha_portainer_link", stop: e.entity_id });
    }
    // balena
    const devices = [];
    for (const e of ents.filter((e) => e.platform === "balena_cloud" && e.entity_id.endsWith("_online") && e.entity_id.startsWith("binary_sensor."))) {
      const base = e.entity_id.slice(14, -7);
      const a = hass.states[e.entity_id].attributes;
      devices.push({ name: a.device_name, uuid: a.device_uuid, fleet: a.fleet_name, online: e.entity_id, updating: `binary_sensor.${base}_updating`, reboot: `button.${base}_reboot_device` });
    }
    containers.sort((a, b) => a.name.localeCompare(b.name));
    devices.sort((a, b) => a.name.localeCompare(b.name));
    const entityIds = [...new Set([...containers.flatMap((c) => [c.state, c.sw, c.restart, c.cpu, c.update]), ...stacks.flatMap((s) => [s.sw, s.stop]),
      ...devices.flatMap((d) => [d.online, d.updating, d.reboot])].filter(Boolean))].sort();
    return { containers, stacks, devices, entityIds };
  }
  _s(id) { return this._states[id]?.state; }
  _call(domain, service, data, target) { return this._hass.callService(domain, service, data, target); }
  _render() {
    if (!this._hass || !this._inv) return;
    const inv = this._inv;
    const cst = (c) => this._s(c.state) ?? "unknown";
    const dst = (d) => (this._s(d.online) === "on" ? (this._s(d.updating) === "on" ? "updating" : "online") : "offline");
    const ready = Object.keys(this._states).length > 0;
    const counts = {
      containers: inv.containers.length, running: inv.containers.filter((c) => cst(c) === "running").length,
      stacks: inv.stacks.length, updates: inv.containers.filter((c) => this._s(c.update) === "on").length,
      unhealthy: inv.containers.filter((c) => this._hass.states[`sensor.${c.name}_health`]?.state === "unhealthy").length,
      devices: inv.devices.length, online: inv.devices.filter((d) => this._s(d.online) === "on").length,
      fleets: new Set(inv.devices.map((d) => d.fleet)).size,
    };
    const esc = (t) => String(t).replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
    const groups = {};
    for (const c of inv.containers) (groups[c.group.join("|")] ||= []).push(c);
    const containerView = Object.entries(groups).map(([k, cs]) => {
      const [kind, title] = k.split("|");
      const stackBtn = kind === "stack" ? `<button data-action="stack_stop" data-stack="${esc(title)}" aria-label="Stop stack ${esc(title)}">stop</button>` : "";
      return `<section class="group" data-group-kind="${kind}" data-title="${esc(title)}"><h3>${esc(title)} <button aria-expanded="true">v</button> ${stackBtn}</h3>${cs.map((c) =>
        `<div data-container="${esc(c.name)}" data-state="${cst(c)}" data-source="${c.source}"><input type="checkbox" aria-label="Select ${esc(c.name)}" ${this._selected.has(c.name) ? "checked" : ""}>
         ${esc(c.name)} ${cst(c)} <button data-action="stop" aria-label="Stop ${esc(c.name)}">stop</button><button data-action="restart" aria-label="Restart ${esc(c.name)}">restart</button>
         <button data-action="chart" aria-label="Chart ${esc(c.name)}">chart</button>
         <svg data-sparkline width="60" height="16"><path data-series="cpu" data-points="${(this._spark?.[c.cpu] || []).length}" d="M0 0"></path></svg></div>`).join("")}</section>`;
    }).join("");
    const fleets = {};
    for (const d of inv.devices) (fleets[d.fleet] ||= []).push(d);
    const fleetView = Object.entries(fleets).map(([f, ds]) => `<section class="group" data-group-kind="fleet" data-title="${esc(f)}"><h3>${esc(f)}</h3>${ds.map((d) =>
      `<div data-device="${esc(d.name)}" data-state="${dst(d)}">${esc(d.name)} <button data-action="reboot">reboot</button><button data-action="env">env</button></div>`).join("")}</section>`).join("");
    const bulk = this._selected.size ? `<div data-bulk-bar><button data-bulk="restart">Restart ${this._selected.size}</button></div>` : "";
    const results = this._results ? `<ul>${Object.entries(this._results).map(([n, o]) => `<li data-result-item="${esc(n)}" data-outcome="${o}">${esc(n)} ${o}</li>`).join("")}</ul>` : "";
    const confirm = this._confirm ? `<div role="alertdialog">Sure? <button data-confirm>OK</button><button data-cancel>Cancel</button></div>` : "";
    const env = this._env ? `<div role="dialog" data-dialog="env">${this._env.rows.map((r, i) =>
      `<div><input data-field="name" data-row="${i}" value="${esc(r.name)}"><input data-field="value" data-row="${i}" value="${esc(r.value)}"></div>`).join("")}
      <button data-env="add">add</button><button data-env="preview">preview</button><button data-env="apply">apply</button></div>` : "";
    const chart = this._chart ? `<div data-chart-detail><svg width="300" height="80"><path data-series="cpu" data-points="${this._chart.length}" d="M0 0 ${this._chart.map((v, i) => `L${i * 10} ${80 - v}`).join(" ")}"></path></svg></div>` : "";
    const title = this._config?.title ?? "";
    this.shadowRoot.innerHTML = `<ha-card class="fleet-deck" data-ready="${ready}" data-connection="${this._live ? "live" : "reconnecting"}" style="display:block;padding:12px;min-height:200px">
      <h2>${esc(title)}</h2><div>${Object.entries(counts).map(([k, v]) => `${k} <span data-count="${k}">${v}</span>`).join(" · ")}</div>
      <div role="tablist"><button role="tab" data-view="containers">Containers</button><button role="tab" data-view="fleets">Fleets</button></div>
      ${this._view === "containers" ? containerView : fleetView}${bulk}${results}${confirm}${env}${chart}</ha-card>`;
  }
  _listen() {
    this.shadowRoot.addEventListener("click", (e) => this._click(e));
    this.shadowRoot.addEventListener("change", (e) => {
      const row = e.target.closest("[data-container]");
      if (e.target.type === "checkbox" && row) {
        const n = row.getAttribute("data-container");
        e.target.checked ? this._selected.add(n) : this._selected.delete(n);
        this._render();
      }
    });
    this.shadowRoot.addEventListener("input", (e) => {
      if (this._env && e.target.dataset.field) this._env.rows[Number(e.target.dataset.row)][e.target.dataset.field] = e.target.value;
    });
  }
  async _click(e) {
    const b = e.target.closest("button");
    if (!b) return;
    const inv = this._inv;
    if (b.getAttribute("role") === "tab") { this._view = b.dataset.view; return this._render(); }
    if (b.hasAttribute("data-confirm")) { const f = this._confirm; this._confirm = null; this._render(); return f(); }
    if (b.hasAttribute("data-cancel")) { this._confirm = null; return this._render(); }
    const row = b.closest("[data-container]");
    const c = row && inv.containers.find((x) => x.name === row.getAttribute("data-container"));
    const drow = b.closest("[data-device]");
    const d = drow && inv.devices.find((x) => x.name === drow.getAttribute("data-device"));
    const act = b.dataset.action;
    if (act === "stop" && c) return this._call("switch", "turn_off", {}, { entity_id: c.sw });
    if (act === "restart" && c) return this._call("button", "press", {}, { entity_id: c.restart });
    if (act === "stack_stop") {
      const s = inv.stacks.find((x) => x.name === b.dataset.stack);
      this._confirm = () => (s.sw ? this._call("switch", "turn_off", {}, { entity_id: s.sw }) : this._call("button", "press", {}, { entity_id: s.stop }));
      return this._render();
    }
    if (act === "chart" && c) {
      const res = await this._hass.callWS({ type: "history/history_during_period", start_time: new Date(Date.now() - 86400e3).toISOString(), entity_ids: [c.cpu], minimal_response: true, no_attributes: true, significant_changes_only: false });
      this._chart = (res[c.cpu] || []).map((s) => Number(s.s) || 0);
      return this._render();
    }
    if (act === "reboot" && d) { this._confirm = () => this._call("button", "press", {}, { entity_id: d.reboot }); return this._render(); }
    if (act === "env" && d) { this._env = { device: d, rows: [] }; return this._render(); }
    if (b.dataset.env === "add") { this._env.rows.push({ name: "", value: "" }); return this._render(); }
    if (b.dataset.env === "preview") return;
    if (b.dataset.env === "apply") {
      const vars = Object.fromEntries(this._env.rows.filter((r) => r.name).map((r) => [r.name, r.value]));
      const uuid = this._env.device.uuid;
      this._env = null;
      this._render();
      return this._call("balena_cloud", "update_environment", { device_uuid: uuid, variables: vars });
    }
    if (b.dataset.bulk === "restart") {
      const picked = inv.containers.filter((x) => this._selected.has(x.name));
      this._confirm = async () => {
        this._results = Object.fromEntries(picked.map((x) => [x.name, "pending"]));
        this._render();
        await this._call("button", "press", {}, { entity_id: picked.map((x) => x.restart) });
        for (const x of picked) this._results[x.name] = "done";
        this._selected.clear();
        this._render();
      };
      return this._render();
    }
  }
}
if (!customElements.get("fleet-deck-card")) customElements.define("fleet-deck-card", FleetDeckContractStub);
