//! The per-item result list of recent action runs: done, failed with Home Assistant's message,
//! sent (nothing can confirm it), timed out, or still pending.
use crate::store::Run;
use crate::use_ctx;
use fleet_deck_core::actions::tracker::{tally, Outcome};
use fleet_deck_core::actions::Action;
use leptos::prelude::*;

#[component]
pub fn Results() -> impl IntoView {
    let s = use_ctx().store;
    let runs = move || {
        let mut r = s.runs.get();
        r.reverse();
        r
    };
    view! {
        <section class="fd-results" aria-live="polite" aria-label=move || s.t("result.title") data-results>
            <For each=runs key=|r: &Run| (r.id, r.items.iter().map(|(_, t)| t.outcome.id()).collect::<String>()) let(run)>
                <RunResult run=run/>
            </For>
        </section>
    }
}

#[component]
fn RunResult(run: Run) -> impl IntoView {
    let s = use_ctx().store;
    let t = tally(run.items.iter().map(|(_, t)| t));
    let summary = s.tr(
        "result.summary",
        &[("done", &(t.done + t.sent).to_string()), ("failed", &(t.failed + t.timed_out).to_string()), ("pending", &t.pending.to_string())],
    );
    let id = run.id;
    let dismiss = move |_| s.runs.update(|r| r.retain(|x| x.id != id));
    let action = s.t(run.action.label_key());
    view! {
        <div class="fd-run" data-run=id data-action=run.action.id()>
            <div class="fd-run-head">
                <strong>{action}</strong>
                <span class="fd-run-summary">{summary}</span>
                <button class="fd-link" on:click=dismiss aria-label=move || s.t("result.dismiss")>"✕"</button>
            </div>
            <ul class="fd-run-items">
                {run.items.iter().map(|(name, tr)| {
                    let text = match &tr.outcome {
                        Outcome::Pending => s.t("result.pending"),
                        // Env updates are "done" only when a read-back confirmed the values.
                        Outcome::Done => s.t(if run.action == Action::EnvUpdate { "result.applied" } else { "result.done" }),
                        Outcome::Sent => s.t("result.sent"),
                        Outcome::Failed(msg) => s.tr("result.failed", &[("error", msg)]),
                        Outcome::TimedOut => s.tr("result.timeout", &[("s", &format!("{:.0}", run.action.timeout_secs()))]),
                    };
                    view! {
                        <li data-result-item=name.clone() data-outcome=tr.outcome.id()>
                            <span class="fd-result-name">{name.clone()}</span>
                            " "
                            <span class="fd-result-text">{text}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
