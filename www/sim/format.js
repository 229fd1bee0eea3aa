// Tiny stand-ins for the frontend's language-bound helpers (`localize`, `formatEntityState`…).
// They are recreated on a language change, as in HA, so cards comparing them notice it.

const STRINGS = {
  en: {
    "state.default.unavailable": "Unavailable",
    "state.default.unknown": "Unknown",
    "state.default.on": "On",
    "state.default.off": "Off",
    "ui.common.cancel": "Cancel",
    "ui.common.ok": "OK",
    "ui.common.save": "Save",
    "ui.common.close": "Close",
    "ui.common.yes": "Yes",
    "ui.common.no": "No",
    "ui.notification_toast.action_failed": "Failed to perform the action {service}.",
    "ui.notification_toast.connection_lost": "Connection lost. Reconnecting…",
  },
  de: {
    "state.default.unavailable": "Nicht verfügbar",
    "state.default.unknown": "Unbekannt",
    "state.default.on": "An",
    "state.default.off": "Aus",
    "ui.common.cancel": "Abbrechen",
    "ui.common.ok": "OK",
    "ui.common.save": "Speichern",
    "ui.common.close": "Schließen",
    "ui.common.yes": "Ja",
    "ui.common.no": "Nein",
    "ui.notification_toast.action_failed": "Die Aktion {service} konnte nicht ausgeführt werden.",
    "ui.notification_toast.connection_lost": "Verbindung unterbrochen. Verbinde erneut…",
  },
};

const STATE_WORDS = {
  en: {
    running: "Running", exited: "Exited", paused: "Paused", restarting: "Restarting", created: "Created", removing: "Removing",
    dead: "Dead", healthy: "Healthy", unhealthy: "Unhealthy", starting: "Starting", compose: "Compose", swarm: "Swarm", kubernetes: "Kubernetes",
  },
  de: {
    running: "Läuft", exited: "Beendet", paused: "Pausiert", restarting: "Startet neu", created: "Erstellt", removing: "Wird entfernt",
    dead: "Tot", healthy: "Gesund", unhealthy: "Ungesund", starting: "Startet", compose: "Compose", swarm: "Swarm", kubernetes: "Kubernetes",
  },
};

const BINARY = {
  en: { connectivity: ["Connected", "Disconnected"], running: ["Running", "Not running"], problem: ["Problem", "OK"], update: ["Update available", "Up-to-date"] },
  de: { connectivity: ["Verbunden", "Getrennt"], running: ["Läuft", "Läuft nicht"], problem: ["Problem", "OK"], update: ["Update verfügbar", "Aktuell"] },
};

export function makeFormatters(language) {
  const lang = STRINGS[language] ? language : "en";
  const s = STRINGS[lang];
  const numberFmt = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" });

  const localize = (key, ...args) => {
    let str = s[key] ?? "";
    const values = args.length === 1 && typeof args[0] === "object" ? args[0] : Object.fromEntries(
      args.reduce((acc, v, i) => (i % 2 ? acc : [...acc, [v, args[i + 1]]]), []),
    );
    for (const [k, v] of Object.entries(values ?? {})) str = str.replace(`{${k}}`, String(v));
    return str;
  };

  const withUnit = (num, unit) => {
    if (!unit) return num;
    if (unit === "%") return lang === "de" ? `${num} %` : `${num}%`;
    if (unit.startsWith("°")) return `${num}${unit}`;
    return `${num} ${unit}`;
  };

  const formatEntityState = (stateObj, state) => {
    const st = state ?? stateObj?.state;
    if (st === "unavailable") return s["state.default.unavailable"];
    if (st === "unknown" || st == null) return s["state.default.unknown"];
    const domain = stateObj?.entity_id?.split(".")[0];
    const a = stateObj?.attributes ?? {};
    if (domain === "binary_sensor") {
      const pair = BINARY[lang][a.device_class];
      if (pair) return st === "on" ? pair[0] : pair[1];
    }
    if (domain === "update") return st === "on" ? BINARY[lang].update[0] : BINARY[lang].update[1];
    if (st === "on" || st === "off") return s[`state.default.${st}`];
    if (a.device_class === "timestamp" || domain === "button" || domain === "event") {
      const t = Date.parse(st);
      if (Number.isFinite(t)) return dateFmt.format(t);
    }
    if (domain === "sensor" && st !== "" && Number.isFinite(Number(st))) return withUnit(numberFmt.format(Number(st)), a.unit_of_measurement);
    return STATE_WORDS[lang][st] ?? st;
  };

  const formatEntityAttributeValue = (stateObj, attribute, value) => {
    const v = value ?? stateObj?.attributes?.[attribute];
    if (v == null) return "";
    if (Array.isArray(v)) return v.join(", ");
    if (typeof v === "number") return numberFmt.format(v);
    if (typeof v === "boolean") return v ? s["ui.common.yes"] : s["ui.common.no"];
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  };

  const formatEntityAttributeName = (_stateObj, attribute) => {
    const t = String(attribute).replace(/_/g, " ");
    return t.charAt(0).toUpperCase() + t.slice(1);
  };

  const formatEntityName = (stateObj) => stateObj?.attributes?.friendly_name ?? stateObj?.entity_id ?? "";

  return { localize, formatEntityState, formatEntityAttributeValue, formatEntityAttributeName, formatEntityName };
}
