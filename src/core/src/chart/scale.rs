//! Linear scales from data space to pixels.

/// Maps `domain` linearly onto `range`. Either end may be the larger one; SVG y axes use
/// `range: (height, 0.0)` so larger values sit higher.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub const fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        Scale { domain, range }
    }

    /// Data → pixels. A zero-width domain (a flat series) maps to the middle of the range so
    /// the line is drawn centred instead of producing NaN.
    pub fn apply(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        let span = d1 - d0;
        if span == 0.0 || !span.is_finite() {
            return (r0 + r1) / 2.0;
        }
        r0 + (v - d0) / span * (r1 - r0)
    }

    /// Pixels → data (e.g. the pointer position of a time cursor). A zero-width range maps
    /// everything to the domain's start.
    pub fn invert(&self, px: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        let span = r1 - r0;
        if span == 0.0 || !span.is_finite() {
            return d0;
        }
        d0 + (px - r0) / span * (d1 - d0)
    }

    /// [`Scale::apply`] clamped to the range, for markers that must stay inside the plot.
    pub fn apply_clamped(&self, v: f64) -> f64 {
        let (lo, hi) = if self.range.0 <= self.range.1 { self.range } else { (self.range.1, self.range.0) };
        // max/min rather than clamp: clamp panics on a NaN bound.
        self.apply(v).max(lo).min(hi)
    }
}
