// The visual editor: Home Assistant renders ha-form from this schema (no editor element of our
// own). Every option of the README's config reference is here.
const list = (name) => ({
  name,
  selector: { select: { multiple: true, custom_value: true, options: [] } },
});
const filter = (name) => ({
  name,
  type: "expandable",
  flatten: false,
  schema: [list("include"), list("exclude")],
});

const LABELS = {
  title: "Title",
  view: "View",
  compact: "Compact rows",
  chart_hours: "Chart window (hours)",
  page_size: "Rows per group before “Show more”",
  containers: "Containers",
  fleets: "Fleets",
  integrations: "Integrations (empty = all)",
  endpoints: "Endpoints",
  stacks: "Stacks",
  include: "Include (names or globs like nas*)",
  exclude: "Exclude (names or globs)",
  hide_stopped: "Hide stopped containers",
  hide_offline: "Hide offline devices",
  show_empty: "Show fleets without devices",
  group_by: "Group by",
  sort_by: "Sort by",
  thresholds: "Thresholds",
  cpu: "CPU %",
  memory: "Memory (% or size like 2 GB)",
  storage: "Storage %",
  temperature: "Temperature °C",
  secret_patterns: "Secret variable names (masked)",
};

// Filters the form shows as {include, exclude}; YAML may also write one as a plain list.
const FILTERS = [["containers", "endpoints"], ["containers", "stacks"], ["fleets", "fleets"]];

/** Why the form cannot show `config` faithfully (null when it can). HA's editor gives a form
 * the filter's raw value: a plain list showed as an empty Include field, and adding a name
 * then saved `{0: "nas*", include: [...]}`, which the card rejects. */
export function formCannotShow(config) {
  for (const [section, key] of FILTERS) {
    const v = config?.[section]?.[key];
    if (typeof v === "string" || Array.isArray(v)) {
      return `The visual editor shows '${section}.${key}' as include and exclude lists. Write it as ` +
        `'${key}: {include: ${JSON.stringify([].concat(v))}}' in YAML to edit it here.`;
    }
  }
  return null;
}

export function configForm() {
  return {
    schema: [
      { name: "title", selector: { text: {} } },
      {
        type: "grid",
        name: "",
        schema: [
          { name: "view", selector: { select: { mode: "dropdown", options: ["auto", "containers", "fleets"] } } },
          { name: "compact", selector: { select: { mode: "dropdown", options: ["auto", "true", "false"] } } },
          { name: "chart_hours", selector: { number: { min: 1, max: 720, mode: "box", unit_of_measurement: "h" } } },
          { name: "page_size", selector: { number: { min: 5, max: 500, mode: "box" } } },
        ],
      },
      {
        name: "containers",
        type: "expandable",
        flatten: false,
        schema: [
          {
            name: "integrations",
            selector: { select: { multiple: true, options: ["portainer", "ha_portainer_link", "portainer_tomaae"] } },
          },
          filter("endpoints"),
          filter("stacks"),
          { name: "hide_stopped", selector: { boolean: {} } },
          { name: "group_by", selector: { select: { mode: "dropdown", options: ["stack", "endpoint", "none"] } } },
          { name: "sort_by", selector: { select: { mode: "dropdown", options: ["name", "state", "cpu", "memory"] } } },
          {
            name: "thresholds",
            type: "expandable",
            flatten: false,
            schema: [
              { name: "cpu", selector: { number: { min: 0, max: 1000, mode: "box", unit_of_measurement: "%" } } },
              { name: "memory", selector: { text: {} } },
            ],
          },
        ],
      },
      {
        name: "fleets",
        type: "expandable",
        flatten: false,
        schema: [
          filter("fleets"),
          { name: "hide_offline", selector: { boolean: {} } },
          { name: "show_empty", selector: { boolean: {} } },
          { name: "group_by", selector: { select: { mode: "dropdown", options: ["fleet", "status"] } } },
          {
            name: "sort_by",
            selector: { select: { mode: "dropdown", options: ["name", "status", "cpu", "memory", "temperature", "last_seen"] } },
          },
          {
            name: "thresholds",
            type: "expandable",
            flatten: false,
            schema: ["cpu", "memory", "storage"].map((name) => ({
              name,
              selector: { number: { min: 0, max: 100, mode: "box", unit_of_measurement: "%" } },
            })).concat([{ name: "temperature", selector: { number: { min: -50, max: 150, mode: "box", unit_of_measurement: "°C" } } }]),
          },
          list("secret_patterns"),
        ],
      },
    ],
    computeLabel: (s) => LABELS[s.name] ?? s.name,
  };
}
