//! Whether a collapsible group is open: its default (open for small views or while searching)
//! flipped by the person's own toggle, remembered per group key for the life of the card.
use crate::store::Store;
use leptos::prelude::*;

pub struct UseGroupOpen<O, T> {
    pub open: O,
    pub toggle: T,
}

pub fn use_group_open(
    s: Store,
    key: StoredValue<String>,
    many: Memo<bool>,
    search: RwSignal<String>,
) -> UseGroupOpen<impl Fn() -> bool + Copy + Send + Sync + 'static, impl Fn(web_sys::MouseEvent) + Copy + 'static> {
    let open = move || {
        let default_open = !many.get() || !search.with(String::is_empty);
        default_open != key.with_value(|k| s.toggled.with(|t| t.contains(k)))
    };
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
