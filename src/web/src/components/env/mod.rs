//! The balena environment-variable editor: a table the person edits, validation before anything
//! is sent, a diff preview, `balena_cloud.update_environment` for this device (and the selected
//! ones), masking of secret-looking names, a draft that survives a reload, and a per-device
//! change history in the user's Home Assistant user data.
//!
//! The integration reports success without doing anything today (see the balena reference), so
//! results say "sent" and only a `get_environment` read-back, when registered, turns them into
//! "applied".
use crate::bridge::{convert, dom, hass, Hass};
use crate::{use_ctx, Ctx};
use fleet_deck_core::actions::{Action, Expect};
use fleet_deck_core::envvars::{self, confirms, diff, is_secret, mask, validate, ChangeKind, EnvChange, EnvField, EnvRow, HistoryEntry};
use fleet_deck_core::model::{ItemRef, Source};
use leptos::html;
use leptos::prelude::*;
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;

const HISTORY_KEY: &str = "fleet_deck_env_history";
/// Devices written at the same time in a bulk apply.
const PARALLEL: usize = 4;

type Vars = BTreeMap<String, String>;

#[derive(Clone, PartialEq)]
struct Row {
    id: u32,
    row: EnvRow,
    reveal: bool,
}

#[component]
pub fn EnvEditor() -> impl IntoView {
    let s = use_ctx().store;
    move || s.env_device.get().map(|uuid| view! { <Editor uuid=uuid/> })
}

fn draft_key(uuid: &str) -> String {
    format!("fleet-deck:env-draft:{uuid}")
}

fn env_rows(rows: &[Row]) -> Vec<EnvRow> {
    rows.iter().map(|r| r.row.clone()).collect()
}

/// What a change shows in the diff and the history: `NAME=value`, masked for secrets.
fn shown(name: &str, value: &str, patterns: &[String]) -> String {
    if is_secret(name, patterns) {
        mask(value)
    } else {
        value.to_string()
    }
}

#[component]
fn Editor(uuid: String) -> impl IntoView {
    let ctx = use_ctx();
    let s = ctx.store;
    let uid = StoredValue::new(uuid.clone());
    let device_name = StoredValue::new(s.model.with_untracked(|m| m.device(&uuid).map(|d| d.name.clone())).unwrap_or_else(|| uuid.clone()));
    let patterns = StoredValue::new(s.config.with_untracked(|c| c.fleets.secret_patterns.clone()));
    let can_read = s.balena_services.with_untracked(|n| n.iter().any(|x| x == "get_environment"));
    let next_id = StoredValue::new(0u32);
    let rows = RwSignal::new(Vec::<Row>::new());
    let before = RwSignal::new(None::<Vars>);
    // 0: cannot read, 1: reading, 2: read, 3: read failed.
    let read = RwSignal::new(if can_read { 1u8 } else { 0 });
    let restored = RwSignal::new(false);
    let status = RwSignal::new(None::<(&'static str, String)>);
    let checked = RwSignal::new(false);
    let preview = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let history = RwSignal::new(Vec::<HistoryEntry>::new());
    let dialog = NodeRef::<html::Div>::new();

    let mk = move |name: &str, value: &str| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        Row { id, row: EnvRow::new(name, value), reveal: false }
    };
    let focus = move |sel: &str| {
        if let Some(el) = dialog.get_untracked().and_then(|d| d.query_selector(sel).ok().flatten()).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    };
    let save_draft = move || {
        let v: Vec<Value> = rows.with_untracked(|r| r.iter().map(|r| json!([r.row.name, r.row.value])).collect());
        dom::storage_set_json(&draft_key(&uid.get_value()), &Value::Array(v));
    };

    // A draft left by a reload or a failed apply comes back first; nothing typed is lost.
    let draft = dom::storage_get_json(&draft_key(&uuid)).and_then(|v| {
        let list = v.as_array()?.iter().filter_map(|p| Some(mk(p.get(0)?.as_str()?, p.get(1)?.as_str()?))).collect::<Vec<_>>();
        (!list.is_empty()).then_some(list)
    });
    let had_draft = draft.is_some();
    match draft {
        Some(d) => {
            rows.set(d);
            restored.set(true);
        }
        None if !can_read => rows.set(vec![mk("", "")]),
        None => {}
    }

    if let Some(h) = ctx.rt().and_then(|r| r.hass()) {
        let h2 = h.clone();
        let u = uuid.clone();
        leptos::task::spawn_local(async move {
            let r = h2.call_ws(&json!({"type": "frontend/get_user_data", "key": HISTORY_KEY})).await;
            let list = r.ok().map(|v| convert::json(&hass::get(&v, "value"))).and_then(|v| serde_json::from_value(v.get(&u)?.clone()).ok());
            history.try_set(list.unwrap_or_default());
        });
        if can_read {
            let u = uuid.clone();
            leptos::task::spawn_local(async move {
                let res = h.call_service(&envvars::get_call(&u), true).await.map(|v| envvars::parse_get_response(&convert::json(&v)));
                // The editor may have closed meanwhile.
                if read.try_get_untracked().is_none() || ctx.rt().is_none() {
                    return;
                }
                let first = (!had_draft).then(|| mk("", ""));
                match res {
                    Ok(Some(vars)) => {
                        if !had_draft {
                            let mut list: Vec<Row> = vars.iter().map(|(k, v)| mk(k, v)).collect();
                            if list.is_empty() {
                                list.push(mk("", ""));
                            }
                            rows.try_set(list);
                        }
                        before.try_set(Some(vars));
                        read.try_set(2);
                    }
                    Ok(None) => fail_read(s, rows, read, status, first, "unexpected response".into()),
                    Err(e) => fail_read(s, rows, read, status, first, e),
                }
                request_animation_frame(move || focus("input[data-field=name]"));
            });
        }
    }
    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            dom::lift_dialog(&d);
            request_animation_frame(move || focus("input[data-field=name], [data-dialog=env]"));
        }
    });

    let errors = Memo::new(move |_| if checked.get() { rows.with(|r| validate(&env_rows(r))) } else { Vec::new() });
    let changes = Memo::new(move |_| {
        let after = rows.with(|r| env_rows(r));
        before.with(|b| match b {
            Some(b) => diff(b, &after),
            None => diff(&Vars::new(), &after),
        })
    });
    let others = Memo::new(move |_| {
        let m = s.model.get();
        let mut v: Vec<(String, String)> = s.selection.with(|sel| {
            sel.iter()
                .filter_map(|i| match i {
                    ItemRef::Device(k) if uid.with_value(|u| u != k) => m.device(k).filter(|d| d.source == Source::BalenaCloud).map(|d| (k.clone(), d.name.clone())),
                    _ => None,
                })
                .collect()
        });
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    });

    let close = move || {
        // Focus returns to the button that opened the editor.
        let sel = uid.with_value(|u| format!("[data-key=\"{u}\"] button[data-action=env]"));
        if let Some(b) = dialog
            .get_untracked()
            .and_then(|d| d.closest("ha-card").ok().flatten())
            .and_then(|c| c.query_selector(&sel).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = b.focus();
        }
        s.env_device.set(None);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            close();
        }
    };
    let add = move |_| {
        rows.update(|r| r.push(mk("", "")));
        save_draft();
        request_animation_frame(move || focus("tr:last-child input[data-field=name]"));
    };
    let valid = move || {
        checked.set(true);
        let ok = errors.with_untracked(Vec::is_empty);
        if !ok {
            request_animation_frame(move || focus("input[aria-invalid=true]"));
        }
        ok
    };
    let on_preview = move |_| {
        status.set(None);
        preview.set(valid());
    };
    let apply = move |all: bool| {
        if busy.get_untracked() || !valid() {
            return;
        }
        let sent: Vec<EnvChange> = changes.get_untracked().into_iter().filter(|c| !matches!(c, EnvChange::Removed { .. })).collect();
        if sent.is_empty() {
            preview.set(true);
            status.set(Some(("info", s.t("env.no_changes"))));
            return;
        }
        let send: Vec<EnvRow> = sent
            .iter()
            .filter_map(|c| match c {
                EnvChange::Added { name, value } | EnvChange::Changed { name, new: value, .. } => Some(EnvRow::new(name, value)),
                EnvChange::Removed { .. } => None,
            })
            .collect();
        let mut targets = vec![(uid.get_value(), device_name.get_value())];
        if all {
            targets.extend(others.get_untracked());
        }
        busy.set(true);
        status.set(None);
        let user = ctx.rt().map(|r| r.user_name()).unwrap_or_default();
        let me = uid.get_value();
        let pats = patterns.get_value();
        let done = move |results: Vec<(String, Result<Option<Vars>, String>)>, send: Rc<Vec<EnvRow>>| {
            let now = dom::now();
            let entries: Vec<HistoryEntry> = results
                .iter()
                .filter_map(|(u, r)| r.as_ref().ok().map(|vars| (u, confirms(vars.as_ref(), &send))))
                .map(|(u, confirmed)| HistoryEntry { unconfirmed: !confirmed, ..HistoryEntry::new(now, &user, u, &sent, &pats) })
                .collect();
            if !entries.is_empty() {
                save_history(ctx, entries, me.clone(), history);
            }
            let alive = busy.try_get_untracked().is_some();
            match results.into_iter().find(|(u, _)| *u == me).map(|(_, r)| r) {
                Some(Ok(vars)) => {
                    dom::storage_set(&draft_key(&me), None);
                    if alive {
                        restored.set(false);
                        preview.set(false);
                        let confirmed = confirms(vars.as_ref(), &send);
                        if vars.is_some() {
                            before.set(vars);
                        }
                        status.set(Some(if confirmed { ("ok", s.t("result.applied")) } else { ("sent", s.t("env.sent")) }));
                    }
                }
                // The edits stay in the form (and in the draft) with the error.
                Some(Err(e)) if alive => {
                    save_draft();
                    status.set(Some(("error", s.tr("env.failed", &[("error", &e)]))));
                }
                _ => {}
            }
            busy.try_set(false);
        };
        send_env(ctx, targets, send, can_read, done);
    };

    let title = device_name.with_value(|n| s.tr("env.title", &[("target", n)]));
    let label = move |k: &'static str| Signal::derive(move || s.t(k));
    let busy_sig = Signal::derive(move || busy.get());
    let hide = move |f: fn(u8, bool, bool) -> bool| Signal::derive(move || f(read.get(), restored.get(), errors.with(Vec::is_empty)));
    view! {
        <div class="fd-scrim" on:click=move |_| close()></div>
        <div class="fd-dialog fd-env" role="dialog" aria-modal="true" aria-labelledby="fd-env-title" data-dialog="env"
            data-env-device=uuid.clone() tabindex="-1" node_ref=dialog on:keydown=on_key aria-busy=Signal::derive(move || busy.get().to_string())>
            <h3 id="fd-env-title">{title}</h3>
            <p class="fd-note" data-env-note="no-read" hidden=can_read>{label("env.no_read")}</p>
            <p class="fd-note" data-env-note="reading" role="status" hidden=hide(|r, _, _| r != 1)>{label("env.loading")}</p>
            <p class="fd-note" data-env-note="read" hidden=hide(|r, _, _| r != 2)>{label("env.loaded")}</p>
            <p class="fd-note" data-env-note="draft" role="status" hidden=hide(|_, d, _| !d)>{label("env.draft_restored")}</p>
            <table class="fd-env-table">
                <thead>
                    <tr><th scope="col">{label("env.name")}</th><th scope="col">{label("env.value")}</th><th></th></tr>
                </thead>
                <tbody>
                    <For each=move || rows.with(|r| r.iter().map(|x| x.id).collect::<Vec<_>>()) key=|id: &u32| *id let(id)>
                        <VarRow id=id rows=rows errors=errors patterns=patterns on_edit=save_draft/>
                    </For>
                </tbody>
            </table>
            <button class="fd-link" data-env="add" on:click=add>{label("env.add")}</button>
            <div class="fd-env-errors" role="alert" data-env-errors hidden=hide(|_, _, none| none)>
                    <p>{label("env.errors")}</p>
                    <ul>
                        {move || errors.get().into_iter().map(|e| {
                            let row = (e.row + 1).to_string();
                            let text = s.tr(e.key, &[("row", &row), ("arg", e.arg.as_deref().unwrap_or(""))]);
                            view! { <li data-row=row data-field=if e.field == EnvField::Name { "name" } else { "value" }>{text}</li> }
                        }).collect_view()}
                    </ul>
            </div>
            {move || (preview.get() && errors.with(Vec::is_empty)).then(|| view! {
                <ul class="fd-env-diff" data-env-diff>
                    {move || {
                        let ch = changes.get();
                        if ch.is_empty() {
                            return view! { <li>{s.t("env.no_changes")}</li> }.into_any();
                        }
                        patterns.with_value(|p| ch.iter().map(|c| {
                            let (kind, text) = match c {
                                EnvChange::Added { name, value } => ("added", format!("{name} = {}", shown(name, value, p))),
                                EnvChange::Changed { name, old, new } => ("changed", format!("{name}: {} → {}", shown(name, old, p), shown(name, new, p))),
                                EnvChange::Removed { name } => ("removed", format!("{name} — {}", s.t("env.remove_unsupported"))),
                            };
                            view! { <li data-change=kind data-name=c.name().to_string()><span class="fd-chip">{s.t(&format!("env.diff.{kind}"))}</span>" "<code>{text}</code></li> }
                        }).collect_view()).into_any()
                    }}
                </ul>
            })}
            {move || status.get().map(|(kind, text)| view! {
                <p class="fd-env-status" data-env-status=kind role=if kind == "error" { "alert" } else { "status" }>{text}</p>
            })}
            <div class="fd-dialog-actions">
                <button class="fd-link" data-env="close" on:click=move |_| close()>{label("env.cancel")}</button>
                <button class="fd-action" data-env="preview" on:click=on_preview>{label("env.preview")}</button>
                <button class="fd-action" data-env="apply-selected" disabled=busy_sig on:click=move |_| apply(true)
                    hidden=Signal::derive(move || others.with(Vec::is_empty))>
                    {Signal::derive(move || s.tr("env.apply_fleet", &[("n", &(others.with(Vec::len) + 1).to_string())]))}
                </button>
                <button class="fd-action fd-primary" data-env="apply" disabled=busy_sig on:click=move |_| apply(false)>{label("env.apply")}</button>
            </div>
            <h4>{label("env.history")}</h4>
            <ul class="fd-env-history" data-env-history>
                {move || {
                    let list = history.get();
                    if list.is_empty() {
                        return view! { <li class="fd-note">{s.t("env.history_empty")}</li> }.into_any();
                    }
                    patterns.with_value(|p| list.iter().rev().map(|e| {
                        let changes = e.changes.iter().map(|c| match (c.kind, &c.value) {
                            (ChangeKind::Removed, _) | (_, None) => format!("{} ({})", c.name, s.t("env.diff.removed")),
                            (_, Some(v)) => format!("{}={}", c.name, shown(&c.name, v, p)),
                        }).collect::<Vec<_>>().join(", ");
                        let time = s.locale.with_untracked(|l| l.time.clock(e.at, true));
                        let mut text = s.tr("env.history_entry", &[("time", &time), ("user", &e.user), ("changes", &changes)]);
                        if e.unconfirmed {
                            text.push_str(&s.t("env.history_unconfirmed"));
                        }
                        view! { <li data-history-entry data-unconfirmed=e.unconfirmed.then_some("")>{text}</li> }
                    }).collect_view()).into_any()
                }}
            </ul>
        </div>
    }
}

fn fail_read(s: crate::store::Store, rows: RwSignal<Vec<Row>>, read: RwSignal<u8>, status: RwSignal<Option<(&'static str, String)>>, first: Option<Row>, e: String) {
    if let Some(r) = first {
        rows.try_set(vec![r]);
    }
    read.try_set(3);
    status.try_set(Some(("error", s.tr("env.read_failed", &[("error", &e)]))));
}

/// One table row: name and value inputs, a reveal toggle for secrets, remove.
#[component]
fn VarRow(
    id: u32,
    rows: RwSignal<Vec<Row>>,
    errors: Memo<Vec<envvars::RowError>>,
    patterns: StoredValue<Vec<String>>,
    on_edit: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let s = use_ctx().store;
    let idx = move || rows.with(|r| r.iter().position(|x| x.id == id)).unwrap_or(0);
    let get = move |f: fn(&Row) -> String| rows.with(|r| r.iter().find(|x| x.id == id).map(f).unwrap_or_default());
    let name = move || get(|r| r.row.name.clone());
    let secret = move || patterns.with_value(|p| is_secret(&name(), p));
    let reveal = move || rows.with(|r| r.iter().any(|x| x.id == id && x.reveal));
    let edit = move |f: &dyn Fn(&mut Row)| {
        rows.update(|r| {
            if let Some(x) = r.iter_mut().find(|x| x.id == id) {
                f(x)
            }
        });
        on_edit();
    };
    let invalid = move |field: EnvField| Signal::derive(move || errors.with(|e| e.iter().any(|e| e.row == idx() && e.field == field)).then_some("true"));
    let aria = move |key: &'static str| Signal::derive(move || s.tr(key, &[("row", &(idx() + 1).to_string())]));
    let name = Signal::derive(name);
    let reveal = Signal::derive(reveal);
    let secret = Signal::derive(secret);
    view! {
        <tr data-env-row>
            <td>
                <input class="fd-input" data-field="name" autocomplete="off" spellcheck="false"
                    aria-label=aria("env.row_name") aria-invalid=invalid(EnvField::Name)
                    prop:value=name on:input=move |ev| { let v = event_target_value(&ev); edit(&|x| x.row.name = v.clone()) }/>
            </td>
            <td class="fd-env-value">
                <input class="fd-input" data-field="value" autocomplete="off" spellcheck="false"
                    type=Signal::derive(move || if secret.get() && !reveal.get() { "password" } else { "text" }.to_string())
                    aria-label=aria("env.row_value") aria-invalid=invalid(EnvField::Value)
                    prop:value=Signal::derive(move || get(|r| r.row.value.clone())) on:input=move |ev| { let v = event_target_value(&ev); edit(&|x| x.row.value = v.clone()) }/>
                <button class="fd-link" data-env="reveal" hidden=Signal::derive(move || !secret.get()) aria-pressed=Signal::derive(move || reveal.get().to_string())
                    aria-label=Signal::derive(move || s.tr(if reveal.get() { "env.hide" } else { "env.reveal" }, &[("name", &name.get())]))
                    on:click=move |_| rows.update(|r| if let Some(x) = r.iter_mut().find(|x| x.id == id) { x.reveal = !x.reveal })>
                    {Signal::derive(move || s.t(if reveal.get() { "env.hide_short" } else { "env.show_short" }))}
                </button>
            </td>
            <td>
                <button class="fd-link" data-env="remove" aria-label=aria("env.remove")
                    on:click=move |_| { rows.update(|r| r.retain(|x| x.id != id)); on_edit(); }>"✕"</button>
            </td>
        </tr>
    }
}

/// One `update_environment` call per device, at most [`PARALLEL`] at a time, each settled in a
/// run of the shared results (Unobservable: "sent"); with `read_back`, a `get_environment` that
/// shows the values turns the item into "applied". `done` gets every device's result.
fn send_env(
    ctx: Ctx,
    targets: Vec<(String, String)>,
    send: Vec<EnvRow>,
    read_back: bool,
    done: impl FnOnce(Vec<(String, Result<Option<Vars>, String>)>, Rc<Vec<EnvRow>>) + 'static,
) {
    let Some(rt) = ctx.rt() else { return };
    let Some(h) = rt.hass() else { return };
    let items = targets.iter().map(|(u, n)| (ItemRef::Device(u.clone()), n.clone(), Expect::Unobservable)).collect();
    let run = rt.begin_run(Action::EnvUpdate, items);
    let workers = PARALLEL.min(targets.len());
    let queue = Rc::new(RefCell::new(targets.into_iter().rev().map(|t| t.0).collect::<Vec<_>>()));
    let results = Rc::new(RefCell::new(Vec::new()));
    let left = Rc::new(Cell::new(workers));
    let done = Rc::new(RefCell::new(Some(done)));
    let send = Rc::new(send);
    for _ in 0..workers {
        let (h, queue, results, left, done, send) = (h.clone(), queue.clone(), results.clone(), left.clone(), done.clone(), send.clone());
        leptos::task::spawn_local(async move {
            loop {
                let Some(uuid) = queue.borrow_mut().pop() else { break };
                let out = write_one(&h, ctx, run, &uuid, &send, read_back).await;
                results.borrow_mut().push((uuid, out));
            }
            left.set(left.get() - 1);
            // Nothing to report to once the card itself is gone.
            if left.get() == 0 && ctx.rt().is_some() {
                if let Some(f) = done.borrow_mut().take() {
                    f(results.take(), send);
                }
            }
        });
    }
}

async fn write_one(h: &Hass, ctx: Ctx, run: u64, uuid: &str, send: &[EnvRow], read_back: bool) -> Result<Option<Vars>, String> {
    let item = ItemRef::Device(uuid.to_string());
    let res = h.call_service(&envvars::update_call(uuid, send), false).await.map(|_| ());
    if let Some(rt) = ctx.rt() {
        rt.settle_call(run, std::slice::from_ref(&item), res.clone());
    }
    res?;
    if !read_back {
        return Ok(None);
    }
    let vars = h.call_service(&envvars::get_call(uuid), true).await.ok().and_then(|v| envvars::parse_get_response(&convert::json(&v)));
    if vars.as_ref().is_some_and(|m| send.iter().all(|r| m.get(&r.name) == Some(&r.value))) {
        if let Some(rt) = ctx.rt() {
            rt.confirm_item(run, &item);
        }
    }
    Ok(vars)
}

/// Append to each device's history in the user's HA user data (read, modify, write), then show
/// the current device's list.
fn save_history(ctx: Ctx, entries: Vec<HistoryEntry>, me: String, history: RwSignal<Vec<HistoryEntry>>) {
    let Some(h) = ctx.rt().and_then(|r| r.hass()) else { return };
    leptos::task::spawn_local(async move {
        let cur = h.call_ws(&json!({"type": "frontend/get_user_data", "key": HISTORY_KEY})).await;
        let mut all = cur.map(|v| convert::json(&hass::get(&v, "value"))).unwrap_or(Value::Null);
        if !all.is_object() {
            all = json!({});
        }
        for e in entries {
            let u = e.device_uuid.clone();
            let mut list: Vec<HistoryEntry> = all.get(&u).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
            envvars::push_history(&mut list, e, envvars::HISTORY_MAX);
            all[&u] = serde_json::to_value(&list).unwrap_or(Value::Null);
        }
        let mine: Vec<HistoryEntry> = all.get(&me).and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
        history.try_set(mine);
        if let Err(e) = h.call_ws(&json!({"type": "frontend/set_user_data", "key": HISTORY_KEY, "value": all})).await {
            dom::console_error(&format!("Fleet Deck: saving the env history failed: {e}"));
        }
    });
}
