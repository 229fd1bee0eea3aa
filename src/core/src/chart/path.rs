//! SVG path data for lines and areas.
//!
//! Coordinates are rounded to 0.1 px (finer is invisible and only bloats the `d` attribute
//! that Leptos diffs on every update), trailing `.0` is dropped, and consecutive points that
//! land on the same rounded pixel are skipped.
use super::{Point, Scale};
use std::fmt::Write;

/// A coordinate in tenths of a pixel; keeps dedup and formatting exact.
type Px = (i64, i64);

/// Projects a point, or `None` for a gap or anything that would not be a finite pixel.
fn project(p: &Point, x: &Scale, y: &Scale) -> Option<Px> {
    let v = p.value()?;
    let (px, py) = (x.apply(p.t), y.apply(v));
    if !px.is_finite() || !py.is_finite() {
        return None;
    }
    // Far-off-canvas values are clamped so the integer conversion cannot saturate oddly;
    // the browser clips them anyway.
    let tenth = |c: f64| (c * 10.0).round().clamp(-1e9, 1e9) as i64;
    Some((tenth(px), tenth(py)))
}

/// Appends a pixel coordinate rounded to 0.1 px the way paths write them ("12", "3.5",
/// "-0.2"): for SVG markup built as text, without float formatting code.
pub fn push_coord(out: &mut String, v: f64) {
    push_num(out, if v.is_finite() { (v * 10.0).round().clamp(-1e9, 1e9) as i64 } else { 0 });
}

fn push_num(out: &mut String, tenths: i64) {
    if tenths < 0 {
        out.push('-');
    }
    let a = tenths.unsigned_abs();
    let _ = write!(out, "{}", a / 10);
    if !a.is_multiple_of(10) {
        let _ = write!(out, ".{}", a % 10);
    }
}

fn push_cmd(out: &mut String, cmd: char, (px, py): Px) {
    out.push(cmd);
    push_num(out, px);
    out.push(' ');
    push_num(out, py);
}

/// Splits the projected points into runs between gaps, deduplicating repeated pixels.
fn for_each_run(points: &[Point], x: &Scale, y: &Scale, mut f: impl FnMut(&[Px])) {
    let mut run: Vec<Px> = Vec::new();
    for p in points {
        match project(p, x, y) {
            Some(q) => {
                if run.last() != Some(&q) {
                    run.push(q);
                }
            }
            None => {
                if !run.is_empty() {
                    f(&run);
                    run.clear();
                }
            }
        }
    }
    if !run.is_empty() {
        f(&run);
    }
}

/// The `d` attribute of a polyline through `points`. Each gap starts a new `M…L…` subpath.
/// A lone point between gaps becomes `M x y h0`, a zero-length segment that a round line cap
/// renders as a dot, so a single sample of data stays visible.
pub fn line_path(points: &[Point], x: &Scale, y: &Scale) -> String {
    let mut out = String::with_capacity(points.len() * 12);
    for_each_run(points, x, y, |run| {
        for (i, &q) in run.iter().enumerate() {
            push_cmd(&mut out, if i == 0 { 'M' } else { 'L' }, q);
        }
        if run.len() == 1 {
            out.push_str("h0");
        }
    });
    out
}

/// The `d` attribute of a filled area between the line and the value `base` (data units,
/// typically the y domain's lower bound or 0). Every run between gaps becomes its own
/// closed shape; single-point runs have no area and are skipped.
pub fn area_path(points: &[Point], x: &Scale, y: &Scale, base: f64) -> String {
    let base_px = y.apply(base);
    let base_tenths = if base_px.is_finite() { (base_px * 10.0).round().clamp(-1e9, 1e9) as i64 } else { 0 };
    let mut out = String::with_capacity(points.len() * 12);
    for_each_run(points, x, y, |run| {
        let (Some(&(x_first, _)), Some(&(x_last, _))) = (run.first(), run.last()) else { return };
        if run.len() < 2 {
            return;
        }
        push_cmd(&mut out, 'M', (x_first, base_tenths));
        for &q in run {
            push_cmd(&mut out, 'L', q);
        }
        push_cmd(&mut out, 'L', (x_last, base_tenths));
        out.push('Z');
    });
    out
}

/// Like [`for_each_run`], for step lines: also passes the x of the gap that ends a run (its
/// value held until then), `None` for the run at the end of the data.
fn for_each_step_run(points: &[Point], x: &Scale, y: &Scale, mut f: impl FnMut(&[Px], Option<i64>)) {
    let mut run: Vec<Px> = Vec::new();
    for p in points {
        match project(p, x, y) {
            Some(q) if run.last() != Some(&q) => run.push(q),
            Some(_) => {}
            None if !run.is_empty() => {
                let gx = x.apply(p.t);
                f(&run, gx.is_finite().then(|| (gx * 10.0).round().clamp(-1e9, 1e9) as i64));
                run.clear();
            }
            None => {}
        }
    }
    if !run.is_empty() {
        f(&run, None);
    }
}

/// Appends the horizontal/vertical moves of a step line through `run` (after its `M`), and on
/// to `end_x`; level stretches become one `H`. Returns whether anything was drawn.
fn push_steps(out: &mut String, run: &[Px], end_x: Option<i64>) -> bool {
    let (mut pen_x, mut pen_y) = run[0];
    let mut drawn = false;
    for &(qx, qy) in &run[1..] {
        if qy != pen_y {
            if qx != pen_x {
                out.push('H');
                push_num(out, qx);
                pen_x = qx;
            }
            out.push('V');
            push_num(out, qy);
            pen_y = qy;
            drawn = true;
        }
    }
    let last_x = end_x.unwrap_or(i64::MIN).max(run[run.len() - 1].0);
    if last_x > pen_x {
        out.push('H');
        push_num(out, last_x);
        drawn = true;
    }
    drawn
}

/// The `d` attribute of a step line ("step after"): each value holds until the next point.
/// That is what the data means: HA records a state when it changes and it stays valid until
/// the next change, and a statistics point is the mean of the bucket starting there. (A
/// straight line from 0 % at 09:00 to 30 % at 09:55 would invent a slow climb.) Before a gap
/// the last value holds until the gap starts; a lone point becomes `h0` (a dot with a round
/// cap). `H`/`V` moves keep the attribute short.
pub fn step_path(points: &[Point], x: &Scale, y: &Scale) -> String {
    let mut out = String::with_capacity(points.len() * 10);
    for_each_step_run(points, x, y, |run, end_x| {
        push_cmd(&mut out, 'M', run[0]);
        if !push_steps(&mut out, run, end_x) {
            out.push_str("h0");
        }
    });
    out
}

/// The filled area under a [`step_path`] down to the value `base`; one closed shape per run
/// that has a width.
pub fn step_area_path(points: &[Point], x: &Scale, y: &Scale, base: f64) -> String {
    let base_px = y.apply(base);
    let base_tenths = if base_px.is_finite() { (base_px * 10.0).round().clamp(-1e9, 1e9) as i64 } else { 0 };
    let mut out = String::with_capacity(points.len() * 10);
    for_each_step_run(points, x, y, |run, end_x| {
        let x_end = end_x.unwrap_or(run[run.len() - 1].0).max(run[run.len() - 1].0);
        if x_end == run[0].0 {
            return;
        }
        push_cmd(&mut out, 'M', (run[0].0, base_tenths));
        out.push('V');
        push_num(&mut out, run[0].1);
        push_steps(&mut out, run, end_x);
        out.push('V');
        push_num(&mut out, base_tenths);
        out.push('Z');
    });
    out
}
