//! Progressive first paint (see `fleet_deck_core::view::reveal`): a budget of headings and rows
//! that starts at a screenful and grows after each paint, until the view's plan for the current
//! budget shows everything; then `None` (no budget) for the rest of the view's life.
use crate::store::Store;
use fleet_deck_core::view::reveal::{self, Reveal};
use leptos::prelude::*;
use std::time::Duration;

/// The plan for the current budget; `None` once the reveal is over.
#[derive(Clone, Copy)]
pub struct UseReveal {
    plan: Memo<Option<Reveal>>,
}

impl UseReveal {
    /// True while the view is still being revealed (tracked): its list is `aria-busy`.
    pub fn active(&self) -> bool {
        self.plan.with(Option::is_some)
    }

    /// How many groups are shown (tracked).
    fn groups(&self) -> usize {
        self.plan.with(|p| p.as_ref().map_or(usize::MAX, |p| p.row_caps.len()))
    }

    /// The row cap of the group at `position` in display order (tracked). The position is
    /// only looked up while the reveal runs.
    pub fn rows(&self, position: impl FnOnce() -> Option<usize>) -> usize {
        self.plan.with(|p| match p {
            None => usize::MAX,
            Some(p) => position().and_then(|i| p.row_caps.get(i).copied()).unwrap_or(0),
        })
    }

    /// The keys of the groups shown so far, in display order (tracked): a view's `For` list.
    pub fn group_keys<G: Send + Sync + 'static>(&self, groups: Memo<Vec<G>>, key: fn(&G) -> &String) -> Vec<String> {
        let n = self.groups();
        groups.with(|gs| gs.iter().take(n).map(|g| key(g).clone()).collect())
    }

    /// The row cap of the group `group_key` as a signal for its component.
    pub fn row_cap<G: Send + Sync + 'static>(self, groups: Memo<Vec<G>>, key: fn(&G) -> &String, group_key: String) -> Signal<usize> {
        Signal::derive(move || self.rows(|| groups.with(|gs| gs.iter().position(|g| *key(g) == group_key))))
    }
}

/// `rows` gives, per group in display order, how many rows it shows without a budget (0 when
/// collapsed).
pub fn use_reveal(s: Store, rows: impl Fn() -> Vec<usize> + Send + Sync + 'static) -> UseReveal {
    let budget = RwSignal::new(Some(reveal::FIRST_BUDGET));
    let plan = Memo::new(move |_| budget.get().map(|b| reveal::plan(&rows(), b)));
    Effect::new(move |_| {
        let Some(b) = budget.get() else { return };
        // Before the first `hass` there is nothing to plan: wait for it with the first budget.
        if !s.ready.get() {
            return;
        }
        // After this paint: a frame callback runs before painting, its timeout after.
        request_animation_frame(move || {
            set_timeout(
                move || {
                    // The view may be gone by now (a tab switch): then so is its plan.
                    if let Some(done) = plan.try_with_untracked(|p| p.as_ref().is_none_or(|p| p.complete)) {
                        budget.try_set(if done { None } else { Some(reveal::next_budget(b)) });
                    }
                },
                Duration::ZERO,
            )
        });
    });
    UseReveal { plan }
}
