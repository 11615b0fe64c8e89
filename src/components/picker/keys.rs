//! The listbox's keyboard: which option a key makes active. Pure, so every
//! key at every place in the list is tested without a browser.

/// A key that moves the active option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    /// Arrow Down: the next option.
    Next,
    /// Arrow Up: the previous option.
    Previous,
    /// Home: the first option.
    First,
    /// End: the last option.
    Last,
    /// Page Down: one view further.
    PageDown,
    /// Page Up: one view back.
    PageUp,
}

impl Move {
    /// The move a key (`KeyboardEvent.key`) makes, if any.
    pub(crate) fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "ArrowDown" => Move::Next,
            "ArrowUp" => Move::Previous,
            "Home" => Move::First,
            "End" => Move::Last,
            "PageDown" => Move::PageDown,
            "PageUp" => Move::PageUp,
            _ => return None,
        })
    }
}

/// The option active after `step` in a list of `count` options, where
/// `active` is active now (if any) and one view shows `page` options.
/// With none active, moving down starts at the first option and moving up
/// at the last; moves stop at either end. `None` for an empty list.
pub(crate) fn next_active(
    step: Move,
    active: Option<usize>,
    count: usize,
    page: usize,
) -> Option<usize> {
    let last = count.checked_sub(1)?;
    let active = active.filter(|i| *i <= last);
    let down = |by: usize| active.map_or(0, |i| i.saturating_add(by).min(last));
    let up = |by: usize| active.map_or(last, |i| i.saturating_sub(by));
    let page = page.max(1);
    Some(match step {
        Move::Next => down(1),
        Move::Previous => up(1),
        Move::First => 0,
        Move::Last => last,
        Move::PageDown => down(page),
        Move::PageUp => up(page),
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MOVES: [Move; 6] = [
        Move::Next,
        Move::Previous,
        Move::First,
        Move::Last,
        Move::PageDown,
        Move::PageUp,
    ];

    #[test]
    fn keys_name_their_moves_and_others_none() {
        assert_eq!(Move::from_key("ArrowDown"), Some(Move::Next));
        assert_eq!(Move::from_key("ArrowUp"), Some(Move::Previous));
        assert_eq!(Move::from_key("Home"), Some(Move::First));
        assert_eq!(Move::from_key("End"), Some(Move::Last));
        assert_eq!(Move::from_key("PageDown"), Some(Move::PageDown));
        assert_eq!(Move::from_key("PageUp"), Some(Move::PageUp));
        for other in ["Enter", "Escape", "a", "Tab", "ArrowLeft", ""] {
            assert_eq!(Move::from_key(other), None, "{other}");
        }
    }

    #[test]
    fn arrows_step_one_and_stop_at_the_ends() {
        assert_eq!(next_active(Move::Next, Some(2), 5, 3), Some(3));
        assert_eq!(next_active(Move::Next, Some(4), 5, 3), Some(4));
        assert_eq!(next_active(Move::Previous, Some(2), 5, 3), Some(1));
        assert_eq!(next_active(Move::Previous, Some(0), 5, 3), Some(0));
    }

    #[test]
    fn with_none_active_down_starts_at_the_top_and_up_at_the_bottom() {
        assert_eq!(next_active(Move::Next, None, 5, 3), Some(0));
        assert_eq!(next_active(Move::PageDown, None, 5, 3), Some(0));
        assert_eq!(next_active(Move::Previous, None, 5, 3), Some(4));
        assert_eq!(next_active(Move::PageUp, None, 5, 3), Some(4));
    }

    #[test]
    fn home_end_and_pages() {
        assert_eq!(next_active(Move::First, Some(3), 5, 3), Some(0));
        assert_eq!(next_active(Move::Last, Some(1), 5, 3), Some(4));
        assert_eq!(next_active(Move::PageDown, Some(1), 10, 3), Some(4));
        assert_eq!(next_active(Move::PageDown, Some(8), 10, 3), Some(9));
        assert_eq!(next_active(Move::PageUp, Some(7), 10, 3), Some(4));
        assert_eq!(next_active(Move::PageUp, Some(2), 10, 3), Some(0));
        // A view too small to hold an option still moves by one.
        assert_eq!(next_active(Move::PageDown, Some(1), 10, 0), Some(2));
    }

    #[test]
    fn an_active_index_past_a_shortened_list_counts_as_none() {
        // The search narrowed the list under the active option.
        assert_eq!(next_active(Move::Next, Some(9), 3, 1), Some(0));
        assert_eq!(next_active(Move::Previous, Some(9), 3, 1), Some(2));
    }

    #[test]
    fn an_empty_list_has_no_active_option() {
        for step in MOVES {
            assert_eq!(next_active(step, None, 0, 5), None);
            assert_eq!(next_active(step, Some(0), 0, 5), None);
        }
    }

    proptest! {
        #[test]
        fn every_move_lands_inside_the_list_and_goes_its_way(
            count in 1usize..400,
            active in proptest::option::of(0usize..500),
            page in 0usize..50,
            step in proptest::sample::select(MOVES.to_vec()),
        ) {
            let next = next_active(step, active, count, page).unwrap();
            prop_assert!(next < count);
            if let Some(i) = active.filter(|i| *i < count) {
                match step {
                    Move::Next | Move::PageDown | Move::Last => prop_assert!(next >= i),
                    Move::Previous | Move::PageUp | Move::First => prop_assert!(next <= i),
                }
                let moved = next.abs_diff(i);
                match step {
                    Move::Next | Move::Previous => prop_assert!(moved <= 1),
                    Move::PageDown | Move::PageUp => prop_assert!(moved <= page.max(1)),
                    Move::First | Move::Last => {}
                }
                // Short of an end, a move goes its full way.
                if step == Move::PageDown && i + page.max(1) < count {
                    prop_assert_eq!(next, i + page.max(1));
                }
                if step == Move::PageUp && i >= page.max(1) {
                    prop_assert_eq!(next, i - page.max(1));
                }
            }
        }
    }
}
