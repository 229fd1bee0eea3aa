//! Fleet summaries and threshold breaches.
#[path = "balena_common.rs"]
mod common;

use common::*;
use fleet_deck_core::aggregate::fleets::{breaches, fleet_summaries, summarize, Breaches, FleetSummary};
use fleet_deck_core::config::{DeviceThresholds, FleetOptions};
use fleet_deck_core::model::Device;
use fleet_deck_core::status::device::DeviceStatus;

fn thresholds() -> DeviceThresholds {
    // cpu 80, memory 85, storage 90, temperature 75
    FleetOptions::default().thresholds
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn summaries_per_fleet_and_total() {
    let (inv, states) = discover("eseverson");
    let st = statuses(&inv, &states);
    let items: Vec<(&Device, &DeviceStatus)> = inv.devices.iter().map(|d| (d, &st[&d.key])).collect();
    let overview = fleet_summaries(inv.fleets.iter().map(|f| f.key.as_str()), &items, &thresholds());

    let keys: Vec<&str> = overview.fleets.iter().map(|s| s.fleet_key.as_str()).collect();
    assert_eq!(keys, vec!["fleet_2109999", "fleet_2101234", "fleet_2105678"]);

    // The empty fleet: zero everything.
    assert_eq!(overview.fleets[0], FleetSummary { fleet_key: "fleet_2109999".into(), ..Default::default() });

    // signage-prod: one online (kiosk-lobby), one offline (kiosk-foyer, no metrics).
    assert_eq!(
        overview.fleets[1],
        FleetSummary {
            fleet_key: "fleet_2101234".into(),
            total: 2,
            online: 1,
            offline: 1,
            updating: 0,
            unknown: 0,
            cpu_avg: Some(12.0),
            cpu_max: Some(12.0),
            mem_avg: Some(31.7),
            mem_max: Some(31.7),
            storage_avg: Some(9.8),
            storage_max: Some(9.8),
            temp_avg: Some(51.0),
            temp_max: Some(51.0),
            over_threshold: 0,
        }
    );

    // warehouse-sensors: scale-dock-1 updating, scale-dock-2 over every threshold.
    let w = &overview.fleets[2];
    assert_eq!((w.total, w.online, w.offline, w.updating, w.unknown, w.over_threshold), (2, 2, 0, 1, 0, 1));
    assert!(close(w.cpu_avg, 70.0) && close(w.cpu_max, 100.0), "{w:?}");
    assert!(close(w.mem_avg, 75.2) && close(w.mem_max, 95.0), "{w:?}");
    assert!(close(w.storage_avg, 73.25) && close(w.storage_max, 95.4), "{w:?}");
    assert!(close(w.temp_avg, 70.5) && close(w.temp_max, 78.0), "{w:?}");

    // The total is over devices, not an average of fleet averages (that would be (12+70)/2 = 41).
    let t = &overview.total;
    assert_eq!(t.fleet_key, "");
    assert_eq!((t.total, t.online, t.offline, t.updating, t.unknown, t.over_threshold), (4, 3, 1, 1, 0, 1));
    assert!(close(t.cpu_avg, 152.0 / 3.0) && close(t.cpu_max, 100.0), "{t:?}");
    assert!(close(t.temp_max, 78.0));
}

#[test]
fn unknown_connectivity_is_counted_separately() {
    let (inv, _) = discover("eseverson");
    let unknown = DeviceStatus::default();
    let s = summarize("x", inv.devices.iter().map(|d| (d, &unknown)), &thresholds());
    assert_eq!((s.total, s.online, s.offline, s.unknown), (4, 0, 0, 4));
    assert_eq!(s.cpu_avg, None);
}

#[test]
fn breaches_are_at_or_over_each_threshold() {
    let t = thresholds();
    let st = |cpu, mem, storage, temp| DeviceStatus {
        cpu_pct: Some(cpu),
        mem_pct: Some(mem),
        storage_pct: Some(storage),
        temperature_c: Some(temp),
        ..Default::default()
    };
    assert_eq!(breaches(&st(79.9, 84.9, 89.9, 74.9), &t), Breaches::default());
    let all = Breaches { cpu: true, memory: true, storage: true, temperature: true };
    // Exactly at the threshold counts: CPU arrives in 20 % buckets.
    assert_eq!(breaches(&st(80.0, 85.0, 90.0, 75.0), &t), all);
    assert!(all.any());
    assert_eq!(all.count(), 4);
    assert_eq!(breaches(&st(100.0, 10.0, 10.0, 10.0), &t), Breaches { cpu: true, ..Default::default() });
    assert_eq!(breaches(&st(10.0, 10.0, 95.0, 10.0), &t).count(), 1);
    // No value or no threshold: no breach.
    assert_eq!(breaches(&DeviceStatus::default(), &t), Breaches::default());
    assert_eq!(breaches(&st(100.0, 100.0, 100.0, 100.0), &DeviceThresholds::default()), Breaches::default());
    assert!(!Breaches::default().any());
}
