//! Selection, the bulk bar and the confirmation dialog: one implementation for both views.
use super::{item_name, item_options};
use crate::use_ctx;
use fleet_deck_core::actions::bulk::{choices, BulkChoice};
use fleet_deck_core::actions::Action;
use fleet_deck_core::model::ItemRef;
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

/// A bulk choice as the bar lists it (see `BulkBar`).
type SharedChoice = Arc<BulkChoice>;

/// A row's "Select <name>" checkbox.
#[component]
pub fn RowSelect(item: ItemRef, name: Signal<String>) -> impl IntoView {
    let s = use_ctx().store;
    let it = item.clone();
    let checked = move || s.selection.with(|sel| sel.contains(&it));
    let toggle = move |_| {
        s.selection.update(|sel| {
            if !sel.remove(&item) {
                sel.insert(item.clone());
            }
        })
    };
    view! {
        <input type="checkbox" class="fd-check" prop:checked=checked on:change=toggle
            aria-label=move || s.tr("aria.select", &[("target", &name.get())])/>
    }
}

/// A group's select-all checkbox (a stack, a standalone group, or a whole fleet).
#[component]
pub fn GroupSelect(items: Signal<Vec<ItemRef>>, label: Signal<String>, #[prop(optional)] fleet: bool) -> impl IntoView {
    let s = use_ctx().store;
    let all = move || items.with(|its| !its.is_empty() && s.selection.with(|sel| its.iter().all(|i| sel.contains(i))));
    let some = move || items.with(|its| s.selection.with(|sel| its.iter().any(|i| sel.contains(i))));
    let toggle = move |_| {
        let its = items.get_untracked();
        let select = !all();
        s.selection.update(|sel| {
            for i in its {
                if select {
                    sel.insert(i);
                } else {
                    sel.remove(&i);
                }
            }
        })
    };
    let key = if fleet { "bulk.whole_fleet" } else { "aria.select_group" };
    view! {
        <input type="checkbox" class="fd-check" prop:checked=all prop:indeterminate=move || some() && !all()
            on:change=toggle aria-label=move || s.tr(key, &[("target", &label.get())])/>
    }
}

fn is_kind(item: &ItemRef, kind: &str) -> bool {
    matches!((item, kind), (ItemRef::Container(_), "containers") | (ItemRef::Device(_), "devices"))
}

/// The bulk bar: how many are selected, select-all-shown / clear, and every action that applies
/// to some of the selection ("Restart 7 of 9", with why the rest are skipped).
#[component]
pub fn BulkBar(shown: Memo<Vec<ItemRef>>, #[prop(default = "containers")] kind: &'static str) -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    let selected = Memo::new(move |_| {
        let mut v: Vec<ItemRef> = s.selection.with(|sel| sel.iter().filter(|i| is_kind(i, kind)).cloned().collect());
        v.sort();
        v
    });
    let bulk = Memo::new(move |_| {
        let m = s.model.get();
        let admin = s.is_admin.get();
        let sel: Vec<(ItemRef, _)> = selected.with(|items| items.iter().map(|i| (i.clone(), item_options(&m, i, admin))).collect());
        // Shared, not copied: `For` takes the list by value on every change of the selection.
        choices(sel).into_iter().map(Arc::new).collect::<Vec<_>>()
    });
    let count = move || selected.with(Vec::len);
    let select_shown = move |_| {
        let items = shown.get_untracked();
        s.selection.update(|sel| sel.extend(items));
    };
    let clear = move |_| s.selection.update(|sel| sel.retain(|i| !is_kind(i, kind)));
    let run = move |choice: &BulkChoice| {
        let Some(rt) = ctx.rt() else { return };
        let m = s.model.get_untracked();
        let items = choice.applicable.iter().map(|(item, opt)| (item.clone(), item_name(&m, item), opt.clone())).collect();
        let skipped = choice
            .skipped
            .iter()
            .map(|(reason, n)| s.tr("bulk.not_applicable", &[("n", &n.to_string()), ("reason", &s.t(reason.reason_key))]))
            .collect();
        rt.request(choice.action, items, skipped);
    };
    view! {
        <div class="fd-bulk" data-bulk-bar role="toolbar" aria-label=move || s.t("bulk.label") data-selected=move || count().to_string()>
            <button class="fd-link" on:click=select_shown data-bulk-select-shown>{move || s.t("bulk.select_shown")}</button>
            <Show when=move || { count() > 0 }>
                <span class="fd-bulk-count" role="status">{move || fleet_deck_core::i18n::plural(s.locale.with(|l| l.lang), "bulk.selected", count(), &[])}</span>
                <button class="fd-link" on:click=clear data-bulk-clear>{move || s.t("bulk.clear")}</button>
                <For each=move || bulk.get() key=|b: &SharedChoice| (b.action, b.applicable.len(), b.total) let(choice)>
                    {
                        let n = choice.applicable.len();
                        let total = choice.total;
                        let action = choice.action;
                        let text = move || {
                            let a = s.t(action.label_key());
                            if n == total {
                                s.tr("bulk.applies_all", &[("action", &a), ("n", &n.to_string())])
                            } else {
                                s.tr("bulk.applies", &[("action", &a), ("n", &n.to_string()), ("total", &total.to_string())])
                            }
                        };
                        let why = choice
                            .skipped
                            .iter()
                            .map(|(r, k)| s.tr("bulk.not_applicable", &[("n", &k.to_string()), ("reason", &s.t(r.reason_key))]))
                            .collect::<Vec<_>>()
                            .join("; ");
                        view! {
                            <button class="fd-action fd-bulk-action" data-bulk=action.id() disabled=n == 0 title=why.clone()
                                on:click=move |_| run(&choice)>
                                {text}
                            </button>
                            {(!why.is_empty()).then(|| view! { <span class="fd-bulk-why">{why}</span> })}
                        }
                    }
                </For>
            </Show>
        </div>
    }
}

/// How many item names the confirmation lists before "… and N more".
const CONFIRM_LIST_MAX: usize = 100;

/// Confirmation for destructive actions: names the action, lists the items, and the confirm
/// button names the action and the count.
#[component]
pub fn ConfirmDialog() -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    let cancel_ref = NodeRef::<html::Button>::new();
    // Focus the safe choice when the dialog opens, so Enter does not confirm by accident.
    Effect::new(move |_| {
        if s.confirm.with(Option::is_some) {
            if let Some(b) = cancel_ref.get() {
                crate::bridge::dom::lift_dialog(&b);
                let _ = b.focus();
            }
        }
    });
    let close = move || s.confirm.set(None);
    let confirm = move |_| {
        if let Some(rt) = ctx.rt() {
            rt.confirm_pending();
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    view! {
        <Show when=move || s.confirm.with(Option::is_some)>
            {move || s.confirm.get().map(|c| {
                let n = c.items.len();
                let action_text = s.t(c.action.label_key());
                let title = if n == 1 {
                    s.tr("confirm.title.one", &[("action", &action_text), ("target", &c.items[0].1)])
                } else {
                    s.tr("confirm.title", &[("action", &action_text), ("n", &n.to_string())])
                };
                let button = s.tr("confirm.button", &[("action", &action_text), ("n", &n.to_string())]);
                // A list of 1,000 names helps nobody and costs a frame: the first ones, then how
                // many more (the title and the button carry the full count).
                let names: Vec<String> = c.items.iter().take(CONFIRM_LIST_MAX).map(|(_, name, _)| name.clone()).collect();
                let more = n.saturating_sub(CONFIRM_LIST_MAX);
                view! {
                    <div class="fd-scrim" on:click=move |_| close()></div>
                    <div class="fd-dialog" role="alertdialog" aria-modal="true" aria-labelledby="fd-confirm-title"
                        aria-describedby="fd-confirm-list" data-dialog="confirm" data-action=c.action.id() on:keydown=on_key>
                        <h3 id="fd-confirm-title">{title}</h3>
                        {(c.action == Action::Shutdown).then(|| view! { <p class="fd-warning" role="note">{s.t("confirm.shutdown_warning")}</p> })}
                        <ul id="fd-confirm-list" class="fd-confirm-list">
                            {names.into_iter().map(|n| view! { <li data-confirm-item=n.clone()>{n.clone()}</li> }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p class="fd-confirm-more" data-confirm-more=more.to_string()>{s.tr("confirm.more", &[("n", &more.to_string())])}</p> })}
                        {c.skipped.iter().map(|why| view! { <p class="fd-bulk-why">{why.clone()}</p> }).collect_view()}
                        <div class="fd-dialog-actions">
                            <button class="fd-link" data-cancel node_ref=cancel_ref on:click=move |_| close()>{s.t("confirm.cancel")}</button>
                            <button class="fd-action fd-danger" data-confirm on:click=confirm>{button}</button>
                        </div>
                    </div>
                }
            })}
        </Show>
    }
}
