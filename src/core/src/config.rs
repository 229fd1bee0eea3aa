//! The card configuration: types, defaults and validation with messages that say what to fix.
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewMode {
    /// Tabs for both views (the default); a view with nothing discovered is hidden.
    #[default]
    Auto,
    Containers,
    Fleets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compact {
    /// Compact rows from 20 containers/devices on, or on narrow cards.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContainerGroupBy {
    #[default]
    Stack,
    Endpoint,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContainerSort {
    #[default]
    Name,
    State,
    Cpu,
    Memory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FleetGroupBy {
    #[default]
    Fleet,
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceSort {
    #[default]
    Name,
    Status,
    Cpu,
    Memory,
    Temperature,
    LastSeen,
}

/// Include/exclude glob lists (`*` and `?`, case-insensitive). An empty include list includes
/// everything; exclude wins over include.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

impl Filter {
    pub fn matches(&self, name: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|p| glob_match(p, name)))
            && !self.exclude.iter().any(|p| glob_match(p, name))
    }
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }
}

/// A memory threshold: a percentage of the limit, or an absolute size in bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MemoryThreshold {
    Percent(f64),
    Bytes(f64),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContainerThresholds {
    pub cpu: Option<f64>,
    pub memory: Option<MemoryThreshold>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceThresholds {
    pub cpu: Option<f64>,
    pub memory: Option<f64>,
    pub storage: Option<f64>,
    pub temperature: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerOptions {
    /// Empty: every Portainer integration. Values: `portainer`, `ha_portainer_link`, `portainer_tomaae`.
    pub integrations: Vec<String>,
    pub endpoints: Filter,
    pub stacks: Filter,
    pub hide_stopped: bool,
    pub group_by: ContainerGroupBy,
    pub sort_by: ContainerSort,
    pub thresholds: ContainerThresholds,
}

impl Default for ContainerOptions {
    fn default() -> Self {
        ContainerOptions {
            integrations: vec![],
            endpoints: Filter::default(),
            stacks: Filter::default(),
            hide_stopped: false,
            group_by: ContainerGroupBy::Stack,
            sort_by: ContainerSort::Name,
            thresholds: ContainerThresholds { cpu: Some(80.0), memory: Some(MemoryThreshold::Percent(90.0)) },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FleetOptions {
    pub fleets: Filter,
    pub hide_offline: bool,
    pub group_by: FleetGroupBy,
    pub sort_by: DeviceSort,
    pub thresholds: DeviceThresholds,
    /// Show fleets that have no tracked devices.
    pub show_empty: bool,
    /// Env-var names matching any of these globs are masked by default.
    pub secret_patterns: Vec<String>,
}

pub const DEFAULT_SECRET_PATTERNS: &[&str] = &["*TOKEN*", "*SECRET*", "*PASSWORD*", "*KEY*"];

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions {
            fleets: Filter::default(),
            hide_offline: false,
            group_by: FleetGroupBy::Fleet,
            sort_by: DeviceSort::Name,
            thresholds: DeviceThresholds { cpu: Some(80.0), memory: Some(85.0), storage: Some(90.0), temperature: Some(75.0) },
            show_empty: false,
            secret_patterns: DEFAULT_SECRET_PATTERNS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardConfig {
    pub title: Option<String>,
    pub view: ViewMode,
    pub compact: Compact,
    /// Chart window in hours.
    pub chart_hours: f64,
    /// Rows rendered per group before "Show more".
    pub page_size: usize,
    pub containers: ContainerOptions,
    pub fleets: FleetOptions,
}

impl Default for CardConfig {
    fn default() -> Self {
        CardConfig {
            title: None,
            view: ViewMode::Auto,
            compact: Compact::Auto,
            chart_hours: 24.0,
            page_size: 25,
            containers: ContainerOptions::default(),
            fleets: FleetOptions::default(),
        }
    }
}

/// Case-insensitive glob with `*` (any run) and `?` (one character).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A config problem, phrased for the person editing the YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Keys Home Assistant itself adds to a card's config (sections layout, visibility, card-mod);
/// they are accepted and ignored.
const HA_KEYS: &[&str] = &["type", "grid_options", "view_layout", "layout_options", "visibility", "card_mod"];
const TOP_KEYS: &[&str] = &["title", "view", "compact", "chart_hours", "page_size", "containers", "fleets"];
const CONTAINER_KEYS: &[&str] = &["integrations", "endpoints", "stacks", "hide_stopped", "group_by", "sort_by", "thresholds"];
const FLEET_KEYS: &[&str] = &["fleets", "hide_offline", "group_by", "sort_by", "thresholds", "show_empty", "secret_patterns"];
const FILTER_KEYS: &[&str] = &["include", "exclude"];
pub const INTEGRATIONS: &[&str] = &["portainer", "ha_portainer_link", "portainer_tomaae"];

/// Parse and validate a Lovelace card config. Every error names the option, what was found and
/// what is accepted, so the person editing YAML knows exactly what to change.
pub fn parse(value: &Value) -> Result<CardConfig, ConfigError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ConfigError(format!("The card config must be a mapping of options, got {}.", describe(value))))?;
    check_keys(obj, &[HA_KEYS, TOP_KEYS].concat(), "")?;
    let mut cfg = CardConfig::default();
    if let Some(v) = obj.get("title") {
        cfg.title = match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()).filter(|s| !s.is_empty()),
            other => return Err(type_error("title", "a text", other)),
        };
    }
    if let Some(v) = field(obj, "view") {
        cfg.view = one_of(v, "view", &[("auto", ViewMode::Auto), ("containers", ViewMode::Containers), ("fleets", ViewMode::Fleets)])?;
    }
    if let Some(v) = field(obj, "compact") {
        cfg.compact = match v {
            Value::Bool(true) => Compact::Always,
            Value::Bool(false) => Compact::Never,
            _ => one_of(v, "compact", &[("auto", Compact::Auto), ("true", Compact::Always), ("false", Compact::Never)])?,
        };
    }
    if let Some(v) = field(obj, "chart_hours") {
        cfg.chart_hours = number_in(v, "chart_hours", 1.0, 720.0, "hours")?;
    }
    if let Some(v) = field(obj, "page_size") {
        cfg.page_size = number_in(v, "page_size", 5.0, 500.0, "rows")?.round() as usize;
    }
    if let Some(v) = field(obj, "containers") {
        cfg.containers = parse_containers(v)?;
    }
    if let Some(v) = field(obj, "fleets") {
        cfg.fleets = parse_fleets(v)?;
    }
    Ok(cfg)
}

fn parse_containers(v: &Value) -> Result<ContainerOptions, ConfigError> {
    let obj = section(v, "containers")?;
    check_keys(obj, CONTAINER_KEYS, "containers.")?;
    let mut o = ContainerOptions::default();
    if let Some(v) = field(obj, "integrations") {
        let list = string_list(v, "containers.integrations")?;
        for name in &list {
            if !INTEGRATIONS.contains(&name.as_str()) {
                return Err(ConfigError(format!(
                    "containers.integrations: unknown integration '{name}'. Use any of: {}.",
                    INTEGRATIONS.join(", ")
                )));
            }
        }
        o.integrations = list;
    }
    if let Some(v) = field(obj, "endpoints") {
        o.endpoints = filter(v, "containers.endpoints")?;
    }
    if let Some(v) = field(obj, "stacks") {
        o.stacks = filter(v, "containers.stacks")?;
    }
    if let Some(v) = field(obj, "hide_stopped") {
        o.hide_stopped = boolean(v, "containers.hide_stopped")?;
    }
    if let Some(v) = field(obj, "group_by") {
        o.group_by = one_of(
            v,
            "containers.group_by",
            &[("stack", ContainerGroupBy::Stack), ("endpoint", ContainerGroupBy::Endpoint), ("none", ContainerGroupBy::None)],
        )?;
    }
    if let Some(v) = field(obj, "sort_by") {
        o.sort_by = one_of(
            v,
            "containers.sort_by",
            &[("name", ContainerSort::Name), ("state", ContainerSort::State), ("cpu", ContainerSort::Cpu), ("memory", ContainerSort::Memory)],
        )?;
    }
    if let Some(v) = field(obj, "thresholds") {
        let t = section(v, "containers.thresholds")?;
        check_keys(t, &["cpu", "memory"], "containers.thresholds.")?;
        if let Some(v) = t.get("cpu") {
            o.thresholds.cpu = optional_number(v, "containers.thresholds.cpu", 0.0, 10_000.0, "percent")?;
        }
        if let Some(v) = t.get("memory") {
            o.thresholds.memory = memory_threshold(v)?;
        }
    }
    Ok(o)
}

fn parse_fleets(v: &Value) -> Result<FleetOptions, ConfigError> {
    let obj = section(v, "fleets")?;
    check_keys(obj, FLEET_KEYS, "fleets.")?;
    let mut o = FleetOptions::default();
    if let Some(v) = field(obj, "fleets") {
        o.fleets = filter(v, "fleets.fleets")?;
    }
    if let Some(v) = field(obj, "hide_offline") {
        o.hide_offline = boolean(v, "fleets.hide_offline")?;
    }
    if let Some(v) = field(obj, "show_empty") {
        o.show_empty = boolean(v, "fleets.show_empty")?;
    }
    if let Some(v) = field(obj, "group_by") {
        o.group_by = one_of(v, "fleets.group_by", &[("fleet", FleetGroupBy::Fleet), ("status", FleetGroupBy::Status)])?;
    }
    if let Some(v) = field(obj, "sort_by") {
        o.sort_by = one_of(
            v,
            "fleets.sort_by",
            &[
                ("name", DeviceSort::Name),
                ("status", DeviceSort::Status),
                ("cpu", DeviceSort::Cpu),
                ("memory", DeviceSort::Memory),
                ("temperature", DeviceSort::Temperature),
                ("last_seen", DeviceSort::LastSeen),
            ],
        )?;
    }
    if let Some(v) = field(obj, "thresholds") {
        let t = section(v, "fleets.thresholds")?;
        check_keys(t, &["cpu", "memory", "storage", "temperature"], "fleets.thresholds.")?;
        if let Some(v) = t.get("cpu") {
            o.thresholds.cpu = optional_number(v, "fleets.thresholds.cpu", 0.0, 100.0, "percent")?;
        }
        if let Some(v) = t.get("memory") {
            o.thresholds.memory = optional_number(v, "fleets.thresholds.memory", 0.0, 100.0, "percent")?;
        }
        if let Some(v) = t.get("storage") {
            o.thresholds.storage = optional_number(v, "fleets.thresholds.storage", 0.0, 100.0, "percent")?;
        }
        if let Some(v) = t.get("temperature") {
            o.thresholds.temperature = optional_number(v, "fleets.thresholds.temperature", -50.0, 150.0, "°C")?;
        }
    }
    if let Some(v) = field(obj, "secret_patterns") {
        o.secret_patterns = string_list(v, "fleets.secret_patterns")?;
    }
    Ok(o)
}

/// An option's value, with `null` read as "not set". HA's visual editor clears a field by
/// sending `undefined`, and removes such keys only at the top level; inside `containers:` and
/// `fleets:` they reach the card as `null` (and YAML's `group_by:` with nothing after it is
/// `null` too). Thresholds read their own keys, where `null` means "off".
fn field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("{b} (true/false)"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

fn type_error(path: &str, wanted: &str, got: &Value) -> ConfigError {
    ConfigError(format!("'{path}' must be {wanted}, got {}.", describe(got)))
}

fn section<'a>(v: &'a Value, path: &str) -> Result<&'a serde_json::Map<String, Value>, ConfigError> {
    v.as_object().ok_or_else(|| type_error(path, "a mapping of options", v))
}

fn check_keys(obj: &serde_json::Map<String, Value>, allowed: &[&str], prefix: &str) -> Result<(), ConfigError> {
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            let valid: Vec<&str> = allowed.iter().copied().filter(|k| !HA_KEYS.contains(k)).collect();
            let hint = closest(key, &valid).map(|s| format!(" Did you mean '{prefix}{s}'?")).unwrap_or_default();
            return Err(ConfigError(format!(
                "Unknown option '{prefix}{key}'.{hint} Valid options here: {}.",
                valid.join(", ")
            )));
        }
    }
    Ok(())
}

/// The allowed key nearest to a typo (edit distance ≤ 3), for "Did you mean …?".
fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed.iter().map(|a| (edit_distance(key, a), *a)).filter(|(d, _)| *d <= 3).min_by_key(|(d, _)| *d).map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn one_of<T: Copy>(v: &Value, path: &str, options: &[(&str, T)]) -> Result<T, ConfigError> {
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    let s = match v {
        Value::String(s) => s.as_str(),
        other => return Err(ConfigError(format!("'{path}' must be one of {}; got {}.", names.join(", "), describe(other)))),
    };
    options
        .iter()
        .find(|(n, _)| *n == s)
        .map(|(_, t)| *t)
        .ok_or_else(|| ConfigError(format!("'{path}' must be one of {}; got \"{s}\".", names.join(", "))))
}

fn boolean(v: &Value, path: &str) -> Result<bool, ConfigError> {
    v.as_bool().ok_or_else(|| type_error(path, "true or false", v))
}

fn number_in(v: &Value, path: &str, min: f64, max: f64, unit: &str) -> Result<f64, ConfigError> {
    let n = v.as_f64().ok_or_else(|| type_error(path, &format!("a number of {unit} between {min} and {max}"), v))?;
    if !(min..=max).contains(&n) {
        return Err(ConfigError(format!("'{path}' must be between {min} and {max} {unit}, got {n}.")));
    }
    Ok(n)
}

/// `null` switches a threshold off.
fn optional_number(v: &Value, path: &str, min: f64, max: f64, unit: &str) -> Result<Option<f64>, ConfigError> {
    if v.is_null() {
        return Ok(None);
    }
    number_in(v, path, min, max, unit).map(Some)
}

fn memory_threshold(v: &Value) -> Result<Option<MemoryThreshold>, ConfigError> {
    const PATH: &str = "containers.thresholds.memory";
    match v {
        Value::Null => Ok(None),
        Value::Number(_) => optional_number(v, PATH, 0.0, 100.0, "percent").map(|o| o.map(MemoryThreshold::Percent)),
        // The visual editor's text field sends "90" or "90%" for a percentage.
        Value::String(s) if s.trim().trim_end_matches('%').trim().parse::<f64>().is_ok() => {
            let n: f64 = s.trim().trim_end_matches('%').trim().parse().unwrap_or(0.0);
            optional_number(&Value::from(n), PATH, 0.0, 100.0, "percent").map(|o| o.map(MemoryThreshold::Percent))
        }
        Value::String(s) => parse_size(s).map(|b| Some(MemoryThreshold::Bytes(b))).ok_or_else(|| {
            ConfigError(format!(
                "'{PATH}' must be a percentage (e.g. 90) or a size such as \"512 MB\" or \"2 GB\"; got \"{s}\"."
            ))
        }),
        other => Err(type_error(PATH, "a percentage or a size such as \"2 GB\"", other)),
    }
}

/// "512 MB", "2GB", "1.5 GiB" → bytes. Decimal and binary units are both accepted.
pub fn parse_size(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let n: f64 = s[..split].parse().ok()?;
    let mult = match s[split..].trim().to_ascii_lowercase().as_str() {
        "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024f64.powi(4),
        _ => return None,
    };
    Some(n * mult)
}

fn string_list(v: &Value, path: &str) -> Result<Vec<String>, ConfigError> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                it.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| ConfigError(format!("'{path}' item {} must be a text, got {}.", i + 1, describe(it))))
            })
            .collect(),
        other => Err(type_error(path, "a list of texts", other)),
    }
}

/// A filter is `{include: [...], exclude: [...]}`, or a plain list meaning `include`.
fn filter(v: &Value, path: &str) -> Result<Filter, ConfigError> {
    match v {
        Value::Array(_) | Value::String(_) => Ok(Filter { include: string_list(v, path)?, exclude: vec![] }),
        Value::Object(obj) => {
            check_keys(obj, FILTER_KEYS, &format!("{path}."))?;
            Ok(Filter {
                include: field(obj, "include").map(|v| string_list(v, &format!("{path}.include"))).transpose()?.unwrap_or_default(),
                exclude: field(obj, "exclude").map(|v| string_list(v, &format!("{path}.exclude"))).transpose()?.unwrap_or_default(),
            })
        }
        other => Err(type_error(path, "a list of names/globs or {include, exclude}", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        match parse(&v) {
            Err(e) => e.0,
            Ok(c) => panic!("expected an error, got {c:?}"),
        }
    }

    #[test]
    fn minimal_config_gives_defaults() {
        let c = parse(&json!({"type": "custom:fleet-deck-card"})).expect("valid");
        assert_eq!(c, CardConfig::default());
        assert_eq!(c.chart_hours, 24.0);
        assert_eq!(c.containers.group_by, ContainerGroupBy::Stack);
    }

    #[test]
    fn ha_layout_keys_are_accepted() {
        parse(&json!({"type": "custom:fleet-deck-card", "grid_options": {"columns": 12}, "visibility": []})).expect("valid");
    }

    #[test]
    fn full_config_parses_every_option() {
        let c = parse(&json!({
            "type": "custom:fleet-deck-card", "title": "Infra", "view": "fleets", "compact": true,
            "chart_hours": 6, "page_size": 50,
            "containers": {"integrations": ["portainer"], "endpoints": ["nas*"], "stacks": {"exclude": ["test-*"]},
                "hide_stopped": true, "group_by": "endpoint", "sort_by": "cpu", "thresholds": {"cpu": 50, "memory": "2 GB"}},
            "fleets": {"fleets": {"include": ["signage-*"]}, "hide_offline": true, "group_by": "status", "sort_by": "last_seen",
                "thresholds": {"temperature": 70, "cpu": null}, "show_empty": true, "secret_patterns": ["*PIN*"]}
        }))
        .expect("valid");
        assert_eq!(c.title.as_deref(), Some("Infra"));
        assert_eq!(c.view, ViewMode::Fleets);
        assert_eq!(c.compact, Compact::Always);
        assert_eq!(c.page_size, 50);
        assert_eq!(c.containers.endpoints.include, vec!["nas*"]);
        assert_eq!(c.containers.stacks.exclude, vec!["test-*"]);
        assert_eq!(c.containers.thresholds.memory, Some(MemoryThreshold::Bytes(2e9)));
        assert_eq!(c.containers.sort_by, ContainerSort::Cpu);
        assert_eq!(c.fleets.thresholds.cpu, None);
        assert_eq!(c.fleets.thresholds.temperature, Some(70.0));
        assert_eq!(c.fleets.sort_by, DeviceSort::LastSeen);
        assert_eq!(c.fleets.secret_patterns, vec!["*PIN*"]);
    }

    #[test]
    fn unknown_key_names_the_key_and_suggests() {
        let m = err(json!({"type": "x", "chart_hour": 3}));
        assert!(m.contains("Unknown option 'chart_hour'"), "{m}");
        assert!(m.contains("Did you mean 'chart_hours'?"), "{m}");
        let m = err(json!({"containers": {"treshold": {}}}));
        assert!(m.contains("'containers.treshold'") && m.contains("'containers.thresholds'"), "{m}");
    }

    #[test]
    fn wrong_types_and_values_say_what_is_accepted() {
        let m = err(json!({"chart_hours": "a day"}));
        assert!(m.contains("'chart_hours' must be a number") && m.contains("\"a day\""), "{m}");
        let m = err(json!({"chart_hours": 0}));
        assert!(m.contains("between 1 and 720"), "{m}");
        let m = err(json!({"containers": {"group_by": "stacks"}}));
        assert_eq!(m, "'containers.group_by' must be one of stack, endpoint, none; got \"stacks\".");
        let m = err(json!({"containers": {"integrations": ["docker"]}}));
        assert!(m.contains("unknown integration 'docker'"), "{m}");
        let m = err(json!({"containers": {"thresholds": {"memory": "lots"}}}));
        assert!(m.contains("\"512 MB\""), "{m}");
        let c = parse(&json!({"containers": {"thresholds": {"memory": "75%"}}})).expect("valid");
        assert_eq!(c.containers.thresholds.memory, Some(MemoryThreshold::Percent(75.0)));
        let m = err(json!({"fleets": {"hide_offline": "yes"}}));
        assert!(m.contains("'fleets.hide_offline' must be true or false"), "{m}");
        let m = err(json!(["not", "a", "map"]));
        assert!(m.contains("must be a mapping"), "{m}");
    }

    #[test]
    fn a_cleared_field_takes_its_default_and_a_cleared_threshold_is_off() {
        // What HA's visual editor sends after clearing dropdowns inside the sections (it drops
        // `undefined` only at the top level), and YAML's `view:` with nothing after it.
        let c = parse(&json!({
            "type": "custom:fleet-deck-card", "view": null, "chart_hours": null,
            "containers": {"group_by": null, "sort_by": null, "endpoints": {"include": null, "exclude": ["x"]}, "thresholds": {"cpu": null}},
            "fleets": {"group_by": null, "hide_offline": null, "fleets": null}
        }))
        .expect("a cleared field is not an error");
        assert_eq!(c.view, ViewMode::Auto);
        assert_eq!(c.chart_hours, 24.0);
        assert_eq!(c.containers.group_by, ContainerGroupBy::Stack);
        assert_eq!(c.containers.sort_by, ContainerOptions::default().sort_by);
        assert_eq!(c.containers.endpoints, Filter { include: vec![], exclude: vec!["x".into()] });
        assert_eq!(c.containers.thresholds.cpu, None, "null switches a threshold off");
        assert_eq!(c.fleets.group_by, FleetGroupBy::Fleet);
        assert!(!c.fleets.hide_offline);
    }

    #[test]
    fn globs() {
        assert!(glob_match("immich*", "Immich_server"));
        assert!(glob_match("*-prod", "signage-prod"));
        assert!(glob_match("n?s", "nas"));
        assert!(!glob_match("nas", "nas2"));
        let f = Filter { include: vec!["*".into()], exclude: vec!["test-*".into()] };
        assert!(f.matches("prod") && !f.matches("test-1"));
        assert!(Filter::default().matches("anything"));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("512 MB"), Some(512e6));
        assert_eq!(parse_size("1GiB"), Some(1073741824.0));
        assert_eq!(parse_size("12 parsecs"), None);
    }
}
