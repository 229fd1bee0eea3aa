//! Whether a collapsible group is open: its default (open for small views or while searching)
//! flipped by the person's own toggle, remembered per group key for the life of the card.
use crate::store::Store;
use leptos::prelude::*;

pub struct UseGroupOpen<O, T> {
    pub open: O,
    pub toggle: T,
}

/// Open or not (tracked); also used by the views to plan their first paint.
pub fn is_open(s: Store, key: &str, many: bool, search: RwSignal<String>) -> bool {
    let default_open = !many || !search.with(String::is_empty);
    default_open != s.toggled.with(|t| t.contains(key))
}

pub fn use_group_open(
    s: Store,
    key: StoredValue<String>,
    many: Memo<bool>,
    search: RwSignal<String>,
) -> UseGroupOpen<impl Fn() -> bool + Copy + Send + Sync + 'static, impl Fn(web_sys::MouseEvent) + Copy + 'static> {
    let open = move || key.with_value(|k| is_open(s, k, many.get(), search));
    let toggle = move |_: web_sys::MouseEvent| {
        let k = key.get_value();
        s.toggled.update(|t| {
            if !t.remove(&k) {
                t.insert(k);
            }
        })
    };
    UseGroupOpen { open, toggle }
}
