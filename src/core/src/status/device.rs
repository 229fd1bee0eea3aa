//! Device status (stub, being written).
use crate::ha::States;
use crate::model::Device;
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceStatus { pub online: Option<bool> }
pub fn device_status(_d: &Device, _s: &dyn States) -> DeviceStatus { DeviceStatus::default() }
