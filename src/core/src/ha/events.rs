//! `subscribe_entities` events and how they update a [`StateMap`].
//!
//! The server sends an initial event with every state as an addition (`a`), then diffs:
//! additions, changes (`c`, with `+` merged in and `-` attribute names removed) and removals
//! (`r`). [`apply`] follows home-assistant-js-websocket's `processEvent` (additions, then
//! removals, then changes; changes to unknown entities are ignored) so the card's store never
//! drifts from what HA's own frontend would show.
//!
//! Decoding is deliberately forgiving: one entity with a malformed record is skipped instead of
//! failing the whole event, because a single misbehaving custom integration must not freeze
//! every row of the card. The lenient field decoders work with any self-describing serde
//! deserializer, so the web layer can feed JS values through `serde_wasm_bindgen` directly.
use super::state::{EntityState, StateMap};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One `subscribe_entities` event. The server sends one group per event today, but all three
/// are optional so a combined event would still be handled.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct EntitiesEvent {
    #[serde(deserialize_with = "lenient::map")]
    pub a: Option<HashMap<String, CompressedState>>,
    #[serde(deserialize_with = "lenient::map")]
    pub c: Option<HashMap<String, StateDiff>>,
    #[serde(deserialize_with = "lenient::string_list")]
    pub r: Option<Vec<String>>,
}

/// `State.as_compressed_state()`: a full state. `s` and `lc` are always sent by HA; they are
/// optional here so that a broken record can be recognised and skipped instead of failing.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CompressedState {
    #[serde(deserialize_with = "lenient::string")]
    pub s: Option<String>,
    #[serde(deserialize_with = "lenient::used_attributes")]
    pub a: Option<Map<String, Value>>,
    #[serde(deserialize_with = "lenient::context")]
    pub c: Option<Context>,
    #[serde(deserialize_with = "lenient::number")]
    pub lc: Option<f64>,
    /// Only present when it differs from `lc`.
    #[serde(deserialize_with = "lenient::number")]
    pub lu: Option<f64>,
}

/// A state's context. HA sends a bare id string when `parent_id` and `user_id` are both null,
/// and an object otherwise (in diffs, possibly only the members that changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    Id(String),
    Full { id: Option<String>, parent_id: Option<String>, user_id: Option<String> },
}

impl Context {
    pub fn id(&self) -> Option<&str> {
        match self {
            Context::Id(id) => Some(id),
            Context::Full { id, .. } => id.as_deref(),
        }
    }
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Context::Id(_) => None,
            Context::Full { user_id, .. } => user_id.as_deref(),
        }
    }
}

/// One entity's entry in a `c` group.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct StateDiff {
    #[serde(rename = "+", deserialize_with = "lenient::record")]
    pub add: Option<DiffAdd>,
    #[serde(rename = "-", deserialize_with = "lenient::record")]
    pub remove: Option<DiffRemove>,
}

/// The `+` half of a diff: only what changed. `lc` implies `lu` (both moved).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DiffAdd {
    #[serde(deserialize_with = "lenient::string")]
    pub s: Option<String>,
    #[serde(deserialize_with = "lenient::used_attributes")]
    pub a: Option<Map<String, Value>>,
    #[serde(deserialize_with = "lenient::context")]
    pub c: Option<Context>,
    #[serde(deserialize_with = "lenient::number")]
    pub lc: Option<f64>,
    #[serde(deserialize_with = "lenient::number")]
    pub lu: Option<f64>,
}

/// The `-` half of a diff: names of removed attributes.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DiffRemove {
    #[serde(deserialize_with = "lenient::string_vec")]
    pub a: Vec<String>,
}

impl CompressedState {
    /// The card's view of this state, or `None` when the record has no usable state string.
    /// A missing `lc` falls back to `lu` (then 0) rather than dropping the entity: a wrong
    /// "changed at" is far less harmful than a row that silently never appears.
    pub fn to_entity_state(&self) -> Option<EntityState> {
        let state = self.s.clone()?;
        let last_changed = self.lc.or(self.lu).unwrap_or(0.0);
        Some(EntityState {
            state,
            attributes: self.a.clone().unwrap_or_default().into(),
            last_changed,
            last_updated: self.lu.unwrap_or(last_changed),
        })
    }
}

/// Decodes one event payload (the `event` member of the websocket message, which is what
/// `subscribeMessage` callbacks receive).
pub fn decode(json: &str) -> Result<EntitiesEvent, String> {
    serde_json::from_str(json).map_err(|e| format!("invalid subscribe_entities event: {e}"))
}

/// Applies `ev` to `store` and returns the ids whose [`EntityState`] actually changed
/// (added, removed or modified), sorted and without duplicates, so the web layer can
/// re-render just those rows. An addition identical to what the store holds (the initial
/// event after a reconnect) and a diff that only touches the context report nothing.
pub fn apply(store: &mut StateMap, ev: &EntitiesEvent) -> Vec<String> {
    let mut changed = Vec::new();

    if let Some(added) = &ev.a {
        for (id, compressed) in added {
            let Some(new) = compressed.to_entity_state() else { continue };
            if store.get(id) != Some(&new) {
                store.insert(id.clone(), new);
                changed.push(id.clone());
            }
        }
    }

    if let Some(removed) = &ev.r {
        for id in removed {
            if store.remove(id).is_some() {
                changed.push(id.clone());
            }
        }
    }

    if let Some(diffs) = &ev.c {
        for (id, diff) in diffs {
            // Like processEvent: a change for an entity we never saw added is dropped; the
            // next full state (resubscribe) will bring it in.
            let Some(entity) = store.get_mut(id) else { continue };
            if merge(entity, diff) {
                changed.push(id.clone());
            }
        }
    }

    changed.sort_unstable();
    changed.dedup();
    changed
}

/// Merges one diff into a state; returns whether anything visible changed.
fn merge(entity: &mut EntityState, diff: &StateDiff) -> bool {
    let mut dirty = false;
    if let Some(add) = &diff.add {
        if let Some(s) = &add.s {
            if entity.state != *s {
                entity.state.clone_from(s);
                dirty = true;
            }
        }
        // processEvent tests `lc` first: a new last_changed is also the new last_updated,
        // and HA then omits `lu`.
        let (lc, lu) = match (add.lc, add.lu) {
            (Some(lc), _) => (Some(lc), Some(lc)),
            (None, lu) => (None, lu),
        };
        if let Some(lc) = lc {
            dirty |= entity.last_changed != lc;
            entity.last_changed = lc;
        }
        if let Some(lu) = lu {
            dirty |= entity.last_updated != lu;
            entity.last_updated = lu;
        }
        if let Some(attrs) = &add.a {
            for (k, v) in attrs {
                if entity.attributes.get(k) != Some(v) {
                    entity.attributes.insert(k, v.clone());
                    dirty = true;
                }
            }
        }
    }
    if let Some(remove) = &diff.remove {
        for k in &remove.a {
            dirty |= entity.attributes.remove(k).is_some();
        }
    }
    dirty
}

/// Serde helpers that turn wrong types into "absent" instead of an error. Each one consumes
/// whatever value is there (so a streaming parser stays in sync) and only then decides.
pub(crate) mod lenient {
    use super::Context;
    use crate::time::parse_iso;
    use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};
    use std::collections::HashMap;
    use std::fmt;
    use std::marker::PhantomData;

    /// Visitor methods for every scalar, all answering `$value`: the shapes a lenient
    /// container decoder does not want.
    macro_rules! scalars_as {
        ($value:expr) => {
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok($value)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok($value)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok($value)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok($value)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok($value)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok($value)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok($value)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        };
    }

    fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    /// A scalar seen through any deserializer; containers are drained and reported as `Other`.
    pub(crate) enum Scalar {
        Str(String),
        Num(f64),
        Other,
    }

    impl<'de> Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Scalar;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("any value")
                }
                fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                    Ok(Scalar::Str(v.to_owned()))
                }
                fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                    Ok(Scalar::Str(v))
                }
                fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                    Ok(if v.is_finite() { Scalar::Num(v) } else { Scalar::Other })
                }
                fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                    Ok(Scalar::Num(v as f64))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                    Ok(Scalar::Num(v as f64))
                }
                fn visit_bool<E>(self, _: bool) -> Result<Scalar, E> {
                    Ok(Scalar::Other)
                }
                fn visit_unit<E>(self) -> Result<Scalar, E> {
                    Ok(Scalar::Other)
                }
                fn visit_none<E>(self) -> Result<Scalar, E> {
                    Ok(Scalar::Other)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
                    d.deserialize_any(self)
                }
                fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
                    drain_seq(seq).map(|_| Scalar::Other)
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
                    drain_map(map).map(|_| Scalar::Other)
                }
            }
            d.deserialize_any(V)
        }
    }

    /// A string; numbers are rendered (some integrations push numeric states), anything else
    /// is absent.
    pub(crate) fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Scalar::deserialize(d)? {
            Scalar::Str(s) => Some(s),
            Scalar::Num(n) => Some(render_number(n)),
            Scalar::Other => None,
        })
    }

    /// A finite number; numeric strings are accepted.
    pub(crate) fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(match Scalar::deserialize(d)? {
            Scalar::Num(n) => Some(n),
            Scalar::Str(s) => parse_finite(&s),
            Scalar::Other => None,
        })
    }

    /// A timestamp as epoch seconds: a number of seconds, or an ISO 8601 string (older cores
    /// and REST-shaped payloads).
    pub(crate) fn epoch_secs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(match Scalar::deserialize(d)? {
            Scalar::Num(n) => Some(n),
            Scalar::Str(s) => parse_iso(&s).or_else(|| parse_finite(&s)),
            Scalar::Other => None,
        })
    }

    /// A timestamp sent as epoch milliseconds (statistics), returned as epoch seconds. Cores
    /// before 2023.3 sent ISO strings here, which are accepted too.
    pub(crate) fn epoch_millis_as_secs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(match Scalar::deserialize(d)? {
            Scalar::Num(ms) => Some(ms / 1000.0),
            Scalar::Str(s) => parse_iso(&s).or_else(|| parse_finite(&s).map(|ms| ms / 1000.0)),
            Scalar::Other => None,
        })
    }

    fn parse_finite(s: &str) -> Option<f64> {
        s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
    }

    /// A JSON object; anything else is absent.
    pub(crate) fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Map<String, Value>>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Object(m) => Some(m),
            _ => None,
        })
    }

    /// An attribute object reduced to the attributes the card reads
    /// ([`crate::ha::state::USED_ATTRIBUTES`]); the others are skipped without being built, so
    /// a large attribute map costs no allocation. A non-object is `None`.
    pub(crate) fn used_attributes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Map<String, Value>>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Map<String, Value>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            scalars_as!(None);
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if crate::ha::state::is_used_attribute(&key) {
                        out.insert(key, map.next_value::<Value>()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Some(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|_| None)
            }
        }
        d.deserialize_any(V)
    }

    /// A context: bare id string, or an object whose string members are kept.
    pub(crate) fn context<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Context>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(id) => Some(Context::Id(id)),
            Value::Object(m) => {
                let get = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
                Some(Context::Full { id: get("id"), parent_id: get("parent_id"), user_id: get("user_id") })
            }
            _ => None,
        })
    }

    /// A list of strings; non-string items are dropped, a non-list is empty.
    pub(crate) fn string_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(string_list(d)?.unwrap_or_default())
    }

    /// Like [`string_vec`] but tells "absent/wrong type" apart from "empty list".
    pub(crate) fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Vec<String>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element::<Scalar>()? {
                    if let Scalar::Str(s) = item {
                        out.push(s);
                    }
                }
                Ok(Some(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|_| None)
            }
            scalars_as!(None);
        }
        d.deserialize_any(V)
    }

    /// A wrapper that decodes leniently and may come out empty.
    pub(crate) trait Tolerant<'de>: Deserialize<'de> {
        type Out;
        fn into_inner(self) -> Option<Self::Out>;
    }

    /// A record `T` when the value is an object, else absent. `T` must itself never fail on
    /// an object (all its fields lenient), because a half-consumed map cannot be rewound.
    pub(crate) struct Lenient<T>(Option<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = Lenient<T>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                    T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Lenient(Some(t)))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                    drain_seq(seq).map(|_| Lenient(None))
                }
                scalars_as!(Lenient(None));
            }
            d.deserialize_any(V(PhantomData))
        }
    }

    /// An optional nested record (`"+"`, `"-"`); see [`Lenient`].
    pub(crate) fn record<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
        Ok(Lenient::<T>::deserialize(d)?.0)
    }

    impl<'de, T: Deserialize<'de>> Tolerant<'de> for Lenient<T> {
        type Out = T;
        fn into_inner(self) -> Option<T> {
            self.0
        }
    }

    /// A list of records; items that are not objects are skipped, a non-list is absent.
    pub(crate) struct LenientList<T>(Option<Vec<T>>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for LenientList<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = LenientList<T>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a list")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                    while let Some(item) = seq.next_element::<Lenient<T>>()? {
                        out.extend(item.0);
                    }
                    Ok(LenientList(Some(out)))
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                    drain_map(map).map(|_| LenientList(None))
                }
                scalars_as!(LenientList(None));
            }
            d.deserialize_any(V(PhantomData))
        }
    }

    impl<'de, T: Deserialize<'de>> Tolerant<'de> for LenientList<T> {
        type Out = Vec<T>;
        fn into_inner(self) -> Option<Vec<T>> {
            self.0
        }
    }

    /// An object keyed by string whose values decode through the tolerant wrapper `W`;
    /// entries `W` rejects are skipped, a non-object is absent.
    fn tolerant_map<'de, D, W>(d: D) -> Result<Option<HashMap<String, W::Out>>, D::Error>
    where
        D: Deserializer<'de>,
        W: Tolerant<'de>,
    {
        struct V<W>(PhantomData<W>);
        impl<'de, W: Tolerant<'de>> Visitor<'de> for V<W> {
            type Value = Option<HashMap<String, W::Out>>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = HashMap::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some((k, v)) = map.next_entry::<String, W>()? {
                    if let Some(v) = v.into_inner() {
                        out.insert(k, v);
                    }
                }
                Ok(Some(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|_| None)
            }
            scalars_as!(None);
        }
        d.deserialize_any(V::<W>(PhantomData))
    }

    /// `{id: record}`; see [`Lenient`].
    pub(crate) fn map<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<HashMap<String, T>>, D::Error> {
        tolerant_map::<D, Lenient<T>>(d)
    }

    /// `{id: [record, …]}`; see [`LenientList`].
    pub(crate) fn map_of_lists<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<HashMap<String, Vec<T>>>, D::Error> {
        tolerant_map::<D, LenientList<T>>(d)
    }

    /// Renders a number the way JS `String(n)` would for the values HA uses (integers without
    /// a fraction), so a numeric state compares equal to its string form.
    fn render_number(n: f64) -> String {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        }
    }
}
