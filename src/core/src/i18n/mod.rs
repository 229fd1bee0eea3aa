//! The one translation layer for every user-visible string. Catalogs are sorted
//! `(key, text)` tables; `{name}` placeholders are filled by [`tr`]. A key missing from a
//! catalog falls back to English, and a key missing from English shows the key itself, so a
//! gap is visible rather than blank.
mod de;
mod en;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    /// From `hass.language` (`"de"`, `"de-CH"`, …); unknown languages get English.
    pub fn from_code(code: &str) -> Lang {
        match code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase().as_str() {
            "de" => Lang::De,
            _ => Lang::En,
        }
    }
    fn catalog(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => en::CATALOG,
            Lang::De => de::CATALOG,
        }
    }
}

/// The text for `key`, without placeholders filled.
pub fn t(lang: Lang, key: &str) -> &str {
    lookup(lang.catalog(), key).or_else(|| lookup(en::CATALOG, key)).unwrap_or(key)
}

fn lookup(cat: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    cat.binary_search_by(|(k, _)| (*k).cmp(key)).ok().map(|i| cat[i].1)
}

/// The text for `key` with `{name}` placeholders replaced from `args`.
pub fn tr(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut out = t(lang, key).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Plural choice: `key.one` for 1, `key.other` otherwise, with `{n}` filled.
pub fn plural(lang: Lang, key: &str, n: usize, args: &[(&str, &str)]) -> String {
    let k = if n == 1 { format!("{key}.one") } else { format!("{key}.other") };
    let n_s = n.to_string();
    let mut all: Vec<(&str, &str)> = vec![("n", n_s.as_str())];
    all.extend_from_slice(args);
    tr(lang, &k, &all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_unique(cat: &[(&str, &str)]) -> bool {
        cat.windows(2).all(|w| w[0].0 < w[1].0)
    }

    #[test]
    fn catalogs_are_sorted_for_binary_search() {
        assert!(sorted_unique(en::CATALOG), "en catalog must be sorted by key, without duplicates");
        assert!(sorted_unique(de::CATALOG), "de catalog must be sorted by key, without duplicates");
    }

    #[test]
    fn german_covers_every_english_key() {
        let missing: Vec<&str> =
            en::CATALOG.iter().map(|(k, _)| *k).filter(|k| lookup(de::CATALOG, k).is_none()).collect();
        assert!(missing.is_empty(), "German catalog lacks: {missing:?}");
        let extra: Vec<&str> =
            de::CATALOG.iter().map(|(k, _)| *k).filter(|k| lookup(en::CATALOG, k).is_none()).collect();
        assert!(extra.is_empty(), "German catalog has keys English lacks: {extra:?}");
    }

    #[test]
    fn placeholders_and_plurals() {
        assert_eq!(tr(Lang::En, "aria.action_target", &[("action", "Restart"), ("target", "immich_server")]), "Restart immich_server");
        assert_eq!(plural(Lang::En, "count.containers", 1, &[]), "1 container");
        assert_eq!(plural(Lang::De, "count.containers", 3, &[]), "3 Container");
        assert_eq!(Lang::from_code("de-CH"), Lang::De);
        assert_eq!(Lang::from_code("fr"), Lang::En);
        assert_eq!(t(Lang::De, "no.such.key"), "no.such.key");
    }
}
