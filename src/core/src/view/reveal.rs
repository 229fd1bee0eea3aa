//! Progressive first paint of a grouped list.
//!
//! Building a row's DOM costs the same whether the row is on screen or 40 rows below it, and at
//! first paint the wasm code runs in the browser's baseline tier. So a view shows a first
//! screenful (a budget of "units": one per group heading, one per row) and grows the budget
//! after each paint until everything fits. Later changes (search, expanding a group, "Show
//! more") are not budgeted: the reveal is over by then.

/// The budget of the first paint: a phone's screenful of headings and rows.
pub const FIRST_BUDGET: usize = 10;
/// Each later paint may triple the budget: few steps to the end, none of them long.
pub const GROWTH: usize = 3;

/// What a budget shows: how many groups, and at most how many rows in each of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reveal {
    /// Row caps for the first `row_caps.len()` groups; later groups are not shown yet.
    pub row_caps: Vec<usize>,
    /// True when the budget shows every heading and row: the reveal is over.
    pub complete: bool,
}

/// `rows[i]` is how many rows group `i` would show without a budget (0 when collapsed).
pub fn plan(rows: &[usize], budget: usize) -> Reveal {
    let mut left = budget;
    let mut row_caps = Vec::new();
    for &r in rows {
        if left == 0 {
            return Reveal { row_caps, complete: false };
        }
        left -= 1;
        let shown = r.min(left);
        row_caps.push(shown);
        left -= shown;
        if shown < r {
            return Reveal { row_caps, complete: false };
        }
    }
    Reveal { row_caps, complete: true }
}

/// The budget after `budget` has been painted.
pub fn next_budget(budget: usize) -> usize {
    budget.saturating_mul(GROWTH).max(FIRST_BUDGET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_budget_fills_groups_in_order() {
        // Heading 1 + 4 rows, heading 2 + 4 of its 12 rows: 10 units, then nothing more.
        let r = plan(&[4, 12, 3], 10);
        assert_eq!(r.row_caps, vec![4, 4]);
        assert!(!r.complete);
    }

    #[test]
    fn collapsed_groups_cost_their_heading_only() {
        let r = plan(&[0; 30], 10);
        assert_eq!(r.row_caps, vec![0; 10]);
        assert!(!r.complete);
        let r = plan(&[0; 30], 30);
        assert_eq!(r.row_caps.len(), 30);
        assert!(r.complete);
    }

    #[test]
    fn a_budget_that_holds_everything_completes() {
        let r = plan(&[4, 12, 3], 22);
        assert_eq!(r.row_caps, vec![4, 12, 3]);
        assert!(r.complete);
        assert!(plan(&[], 0).complete);
    }

    #[test]
    fn a_budget_ending_on_a_heading_shows_it_without_rows() {
        let r = plan(&[2, 5], 4);
        assert_eq!(r.row_caps, vec![2, 0]);
        assert!(!r.complete);
    }

    #[test]
    fn budgets_grow_to_any_size_in_few_steps() {
        let mut b = FIRST_BUDGET;
        let mut steps = 0;
        // 1,000 rows in 100 groups, all open.
        let rows = vec![10; 100];
        while !plan(&rows, b).complete {
            b = next_budget(b);
            steps += 1;
        }
        assert_eq!(steps, 5);
        assert_eq!(next_budget(0), FIRST_BUDGET);
        assert_eq!(next_budget(usize::MAX), usize::MAX);
    }
}
