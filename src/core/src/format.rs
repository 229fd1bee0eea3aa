//! Number, size and percentage formatting for the user's locale (`hass.locale`).
//!
//! Home Assistant lets a user choose the number format independently of the language
//! (`number_format`: `language`, `system`, `comma_decimal`, `decimal_comma`, `space_comma`,
//! `none`), so separators are resolved here from both rather than from the language alone.

/// Decimal and grouping separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    pub decimal: char,
    pub group: Option<char>,
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat { decimal: '.', group: Some(',') }
    }
}

/// Languages that write `1.234,5`.
const DECIMAL_COMMA_LANGS: &[&str] = &["de", "nl", "es", "it", "pt", "da", "id", "tr", "ro", "sl", "hr", "sr", "el", "is", "vi"];
/// Languages that write `1 234,5`.
const SPACE_COMMA_LANGS: &[&str] = &["fr", "sv", "nb", "no", "fi", "cs", "sk", "pl", "ru", "uk", "hu", "bg", "lt", "lv", "et"];

impl NumberFormat {
    /// From `hass.locale.number_format` and the language. `system` cannot be known without the
    /// browser; the web layer passes the browser's own format in that case.
    pub fn from_locale(number_format: &str, language: &str) -> NumberFormat {
        match number_format {
            "comma_decimal" => NumberFormat { decimal: '.', group: Some(',') },
            "decimal_comma" => NumberFormat { decimal: ',', group: Some('.') },
            "space_comma" => NumberFormat { decimal: ',', group: Some('\u{202f}') },
            "none" => NumberFormat { decimal: '.', group: None },
            _ => {
                let lang = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
                if DECIMAL_COMMA_LANGS.contains(&lang.as_str()) {
                    NumberFormat { decimal: ',', group: Some('.') }
                } else if SPACE_COMMA_LANGS.contains(&lang.as_str()) {
                    NumberFormat { decimal: ',', group: Some('\u{202f}') }
                } else {
                    NumberFormat::default()
                }
            }
        }
    }

    /// `value` with exactly `decimals` fraction digits and grouped thousands.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".into();
        }
        let s = format!("{:.*}", decimals, value.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::with_capacity(s.len() + 4);
        // "-0.0" would read as a negative zero; only show the sign for a non-zero result.
        if value < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        let digits = int.len();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (digits - i) % 3 == 0 {
                if let Some(g) = self.group {
                    out.push(g);
                }
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(self.decimal);
            out.push_str(frac);
        }
        out
    }

    /// A percentage: one decimal below 10 %, none above ("3.8 %", "71 %").
    pub fn percent(&self, value: f64) -> String {
        let d = if value.abs() < 10.0 { 1 } else { 0 };
        format!("{}\u{a0}%", self.number(value, d))
    }

    /// Bytes in decimal units, as Home Assistant shows data sizes ("612 MB", "1.4 GB").
    pub fn bytes(&self, bytes: f64) -> String {
        const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
        if !bytes.is_finite() {
            return "–".into();
        }
        let mut v = bytes.abs();
        let mut unit = 0;
        while v >= 1000.0 && unit < UNITS.len() - 1 {
            v /= 1000.0;
            unit += 1;
        }
        // Whole bytes, and no decimals from 100 up ("123 MB"); one decimal below ("12.3 MB", "1.2 GB").
        let d = if unit == 0 || v >= 100.0 { 0 } else { 1 };
        let sign = if bytes < 0.0 { -1.0 } else { 1.0 };
        format!("{}\u{a0}{}", self.number(sign * v, d), UNITS[unit])
    }

    /// Degrees Celsius with one decimal.
    pub fn celsius(&self, value: f64) -> String {
        format!("{}\u{a0}°C", self.number(value, if value.fract().abs() < 0.05 { 0 } else { 1 }))
    }
}

/// A duration in seconds as a compact "3d 4h" / "5h 12m" / "42m" text.
pub fn duration_short(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_follow_number_format_then_language() {
        let de = NumberFormat::from_locale("language", "de");
        assert_eq!(de.number(1234.5, 1), "1.234,5");
        let en = NumberFormat::from_locale("language", "en");
        assert_eq!(en.number(1234567.891, 2), "1,234,567.89");
        let fr = NumberFormat::from_locale("language", "fr");
        assert_eq!(fr.number(1234.5, 1), "1\u{202f}234,5");
        // An explicit choice wins over the language.
        assert_eq!(NumberFormat::from_locale("comma_decimal", "de").number(1234.5, 1), "1,234.5");
        assert_eq!(NumberFormat::from_locale("none", "en").number(1234.5, 1), "1234.5");
    }

    #[test]
    fn numbers_round_and_sign() {
        let en = NumberFormat::default();
        assert_eq!(en.number(-0.04, 1), "0.0");
        assert_eq!(en.number(-12.34, 1), "-12.3");
        assert_eq!(en.number(999.96, 1), "1,000.0");
        assert_eq!(en.number(f64::NAN, 1), "–");
    }

    #[test]
    fn sizes_and_percentages() {
        let en = NumberFormat::default();
        assert_eq!(en.bytes(612_400_000.0), "612\u{a0}MB");
        assert_eq!(en.bytes(1_460_000_000.0), "1.5\u{a0}GB");
        assert_eq!(en.bytes(512.0), "512\u{a0}B");
        let de = NumberFormat::from_locale("language", "de");
        assert_eq!(de.bytes(1_460_000_000.0), "1,5\u{a0}GB");
        assert_eq!(en.percent(3.81), "3.8\u{a0}%");
        assert_eq!(en.percent(71.2), "71\u{a0}%");
        assert_eq!(de.celsius(51.0), "51\u{a0}°C");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_short(3.0 * 86400.0 + 4.0 * 3600.0 + 60.0), "3d 4h");
        assert_eq!(duration_short(5.0 * 3600.0 + 12.0 * 60.0), "5h 12m");
        assert_eq!(duration_short(42.0 * 60.0), "42m");
        assert_eq!(duration_short(-5.0), "0s");
    }
}
