//! Container status (stub, being written).
use crate::ha::States;
use crate::model::Container;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunState { Running, Paused, Exited, Created, Restarting, Removing, Dead, #[default] Unknown, Unavailable }
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Health { Healthy, Unhealthy, Starting, #[default] None }
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateInfo { pub available: bool, pub in_progress: bool, pub percentage: Option<f64>, pub installed: Option<String>, pub latest: Option<String> }
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContainerStatus { pub run: RunState, pub health: Health }
pub fn container_status(_c: &Container, _s: &dyn States) -> ContainerStatus { ContainerStatus::default() }
