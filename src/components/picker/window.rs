//! Which rows of a long grouped list to render. The picker renders only the
//! rows in view and a few either side, and pads the list for the rest, so
//! its scrollbar stays true; this is the geometry behind it, without the DOM.
//!
//! Rows are of two fixed heights: each group's label, then its options, in
//! list order. Row numbers count both: group `g`'s label is row
//! `first_option(g) + g`, and option `i` of group `g` is row `i + g + 1`.
//! Heights are kept in the browser's layout units (1/64 CSS pixel), so that
//! a row's place is exact, however many rows come before it.
use std::ops::Range;

/// Layout units per CSS pixel (Chromium's and WebKit's `LayoutUnit`).
const UNITS: f64 = 64.0;

fn units(px: f64) -> i64 {
    // At least one unit: a row of no height would have no place of its own.
    ((px * UNITS).round() as i64).max(1)
}

fn px(units: i64) -> f64 {
    units as f64 / UNITS
}

/// The rows of a grouped list, and their heights.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// The flat index of each group's first option, ascending.
    starts: Vec<usize>,
    /// Options in all groups.
    options: usize,
    /// Height of a group label, in layout units.
    label: i64,
    /// Height of an option, in layout units.
    option: i64,
}

impl Rows {
    /// Groups of `sizes` options each, under labels `label` px high, with
    /// options `option` px high.
    pub fn new(sizes: impl IntoIterator<Item = usize>, label: f64, option: f64) -> Self {
        let mut starts = Vec::new();
        let mut options = 0;
        for size in sizes {
            starts.push(options);
            options += size;
        }
        Rows {
            starts,
            options,
            label: units(label),
            option: units(option),
        }
    }

    /// Rows in all: every label and every option.
    pub fn len(&self) -> usize {
        self.options + self.starts.len()
    }

    /// The flat index of group `g`'s first option.
    pub fn first_option(&self, g: usize) -> usize {
        self.starts.get(g).copied().unwrap_or(self.options)
    }

    /// The rows of group `g`: its label, then its options.
    pub fn group(&self, g: usize) -> Range<usize> {
        self.first_option(g) + g..self.first_option(g + 1) + g + 1
    }

    /// The group that option `i` belongs to.
    pub fn group_of(&self, i: usize) -> usize {
        // Empty groups share their start with the next: the last group
        // starting at or before `i` is the one holding it.
        self.starts.partition_point(|&s| s <= i).saturating_sub(1)
    }

    /// The row of option `i`.
    pub fn option_row(&self, i: usize) -> usize {
        i + self.group_of(i) + 1
    }

    /// Where row `r` starts (`len()`: where the list ends), in layout units.
    fn top_units(&self, r: usize) -> i64 {
        let labels = self.labels_before(r);
        labels as i64 * self.label + (r - labels) as i64 * self.option
    }

    /// How many labels come before row `r`.
    fn labels_before(&self, r: usize) -> usize {
        // Group g's label is row starts[g] + g, ascending in g.
        let mut g = 0;
        let mut hi = self.starts.len();
        while g < hi {
            let mid = (g + hi) / 2;
            if self.starts[mid] + mid < r {
                g = mid + 1;
            } else {
                hi = mid;
            }
        }
        g
    }

    /// Where row `r` starts, in CSS pixels.
    pub fn top(&self, r: usize) -> f64 {
        px(self.top_units(r.min(self.len())))
    }

    /// The height of the whole list, in CSS pixels.
    pub fn height(&self) -> f64 {
        self.top(self.len())
    }

    /// The row at `y` units from the top (the first or last row beyond the ends).
    fn row_at(&self, y: i64) -> usize {
        if self.starts.is_empty() {
            return 0;
        }
        // The last group whose label starts at or above `y`.
        let label_top = |g: usize| g as i64 * self.label + self.starts[g] as i64 * self.option;
        let mut lo = 0;
        let mut hi = self.starts.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            if label_top(mid) <= y {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let g = lo.saturating_sub(1);
        let label_row = self.starts[g] + g;
        let into = y - label_top(g) - self.label;
        if into < 0 {
            return label_row;
        }
        let size = self.first_option(g + 1) - self.starts[g];
        if size == 0 {
            // Only past the end of the list: an empty group is its label.
            return label_row;
        }
        let j = usize::try_from(into / self.option).unwrap_or(0);
        label_row + 1 + j.min(size - 1)
    }

    /// The rows that show, wholly or in part, in a view `height` px high
    /// whose top is `top` px below the list's top (negative: above it).
    pub fn visible(&self, top: f64, height: f64) -> Range<usize> {
        let (top, bottom) = (
            (top * UNITS).floor() as i64,
            ((top + height.max(0.0)) * UNITS).ceil() as i64,
        );
        let end_units = self.top_units(self.len());
        if self.starts.is_empty() || bottom <= 0 || top >= end_units || bottom <= top {
            let at = if top >= end_units {
                self.len()
            } else {
                self.row_at(top.max(0))
            };
            return at..at;
        }
        let first = self.row_at(top.max(0));
        let last = self.row_at(bottom - 1);
        first..last + 1
    }

    /// The rows to render for a view that shows `visible`, given the rows
    /// rendered now: those, while they still cover the view without being
    /// more than `overscan` rows too many on a side; else the visible rows
    /// and `overscan` more on each side. Scrolling thus renders anew only
    /// every `overscan` rows or so.
    pub fn window(
        &self,
        current: Range<usize>,
        visible: Range<usize>,
        overscan: usize,
    ) -> Range<usize> {
        let keeps = current.start <= visible.start
            && visible.end <= current.end
            && current.end <= self.len()
            && visible.start - current.start <= 2 * overscan
            && current.end - visible.end <= 2 * overscan;
        if keeps && !current.is_empty() {
            return current;
        }
        let start = visible.start.min(self.len()).saturating_sub(overscan);
        let end = (visible.end.max(visible.start) + overscan).min(self.len());
        start..end.max(start)
    }

    /// The view top (as in [`Rows::visible`]) nearest to `top` at which the
    /// rows `span` show in a view `height` px high: `top` itself if they
    /// already do; their top if they do not fit.
    pub fn scroll_to_show(&self, top: f64, height: f64, span: Range<usize>) -> f64 {
        let (from, to) = (self.top(span.start), self.top(span.end.max(span.start)));
        if from < top || to - from > height {
            from
        } else if to > top + height {
            to - height
        } else {
            top
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each row's [top, bottom) in units, by walking the list.
    fn walk(sizes: &[usize], label: i64, option: i64) -> Vec<(i64, i64)> {
        let mut y = 0;
        let mut out = Vec::new();
        for &n in sizes {
            out.push((y, y + label));
            y += label;
            for _ in 0..n {
                out.push((y, y + option));
                y += option;
            }
        }
        out
    }

    #[test]
    fn rows_number_labels_and_options_in_list_order() {
        let rows = Rows::new([2, 0, 3], 20.0, 30.0);
        assert_eq!(rows.len(), 8);
        assert_eq!(
            (rows.group(0), rows.group(1), rows.group(2)),
            (0..3, 3..4, 4..8)
        );
        assert_eq!(
            (0..5).map(|i| rows.option_row(i)).collect::<Vec<_>>(),
            [1, 2, 5, 6, 7]
        );
        assert_eq!((rows.group_of(1), rows.group_of(2)), (0, 2));
        assert_eq!(rows.top(3), 80.0);
        assert_eq!(rows.height(), 20.0 * 3.0 + 30.0 * 5.0);
        // A view from 85 px to 135 px: the empty group's label (80–100), the
        // next label (100–120) and option 2 (120–150).
        assert_eq!(rows.visible(85.0, 50.0), 3..6);
        // Above the list, below it, and of no height.
        assert_eq!(rows.visible(-100.0, 50.0), 0..0);
        assert_eq!(rows.visible(-10.0, 15.0), 0..1);
        assert_eq!(rows.visible(1000.0, 50.0), 8..8);
        assert!(rows.visible(85.0, 0.0).is_empty());
    }

    #[test]
    fn a_list_of_thousands_places_its_last_row_exactly() {
        // Heights as a browser measures them: fractions of a pixel.
        let rows = Rows::new(vec![250; 20], 27.59375, 29.59375);
        assert_eq!(rows.len(), 5020);
        let last = rows.len() - 1;
        assert_eq!(rows.top(last), 20.0 * 27.59375 + 4999.0 * 29.59375);
        assert_eq!(rows.visible(rows.top(last), 29.59375), last..last + 1);
        assert_eq!(rows.visible(rows.height() - 600.0, 600.0).end, rows.len());
    }

    #[test]
    fn the_window_moves_only_when_the_view_leaves_it() {
        let rows = Rows::new([1000], 20.0, 30.0);
        let w = rows.window(0..0, 0..20, 10);
        assert_eq!(w, 0..30);
        assert_eq!(rows.window(w.clone(), 5..25, 10), w);
        assert_eq!(rows.window(w.clone(), 15..35, 10), 5..45);
        // A shorter list (a search) drops rows past its end.
        let short = Rows::new([3], 20.0, 30.0);
        assert_eq!(short.window(w, 0..4, 10), 0..4);
    }

    #[test]
    fn scrolling_to_show_moves_the_least() {
        let rows = Rows::new([100], 20.0, 30.0);
        // Row 10 is 290–320 px.
        assert_eq!(rows.scroll_to_show(0.0, 300.0, 10..11), 20.0);
        assert_eq!(rows.scroll_to_show(400.0, 300.0, 10..11), 290.0);
        assert_eq!(rows.scroll_to_show(100.0, 300.0, 10..11), 100.0);
        // Taller than the view: its top.
        assert_eq!(rows.scroll_to_show(0.0, 20.0, 10..11), 290.0);
    }

    fn layout() -> impl Strategy<Value = (Vec<usize>, i64, i64)> {
        (
            prop::collection::vec(0usize..40, 0..25),
            1i64..3000,
            1i64..3000,
        )
    }

    proptest! {
        #[test]
        fn row_places_match_a_walk_down_the_list((sizes, label, option) in layout()) {
            let rows = Rows::new(sizes.iter().copied(), px(label), px(option));
            let walked = walk(&sizes, label, option);
            prop_assert_eq!(rows.len(), walked.len());
            for (r, &(top, bottom)) in walked.iter().enumerate() {
                prop_assert_eq!(rows.top(r), px(top));
                prop_assert_eq!(rows.row_at(top), r);
                prop_assert_eq!(rows.row_at(bottom - 1), r);
            }
            let mut i = 0;
            for (g, &n) in sizes.iter().enumerate() {
                prop_assert_eq!(rows.group(g).len(), n + 1);
                for _ in 0..n {
                    prop_assert_eq!(rows.group_of(i), g);
                    prop_assert!(rows.group(g).contains(&rows.option_row(i)));
                    i += 1;
                }
            }
        }

        #[test]
        fn visible_is_exactly_the_rows_that_meet_the_view(
            (sizes, label, option) in layout(), top in -5000i64..200_000, height in 0i64..60_000,
        ) {
            let rows = Rows::new(sizes.iter().copied(), px(label), px(option));
            let seen = rows.visible(px(top), px(height));
            for (r, &(a, b)) in walk(&sizes, label, option).iter().enumerate() {
                let meets = height > 0 && a < top + height && top < b;
                prop_assert_eq!(seen.contains(&r), meets, "row {} at {}..{}", r, a, b);
            }
        }

        #[test]
        fn a_view_from_one_row_to_another_shows_the_rows_between(
            (sizes, label, option) in layout(), a in 0usize..2000, b in 0usize..2000,
        ) {
            let rows = Rows::new(sizes.iter().copied(), px(label), px(option));
            let (a, b) = (a % (rows.len() + 1), b % (rows.len() + 1));
            let (a, b) = (a.min(b), a.max(b));
            let seen = rows.visible(rows.top(a), rows.top(b) - rows.top(a));
            prop_assert_eq!(seen.clone(), if a < b { a..b } else { seen.start..seen.start });
        }

        #[test]
        fn the_window_covers_the_view_and_stays_near_it(
            (sizes, label, option) in layout(), top in -5000i64..200_000, height in 0i64..60_000,
            current in (0usize..1200, 0usize..80), overscan in 0usize..20,
        ) {
            let rows = Rows::new(sizes.iter().copied(), px(label), px(option));
            let visible = rows.visible(px(top), px(height));
            let current = current.0..current.0 + current.1;
            let w = rows.window(current.clone(), visible.clone(), overscan);
            prop_assert!(w.end <= rows.len());
            prop_assert!(w.start <= visible.start && visible.end <= w.end, "{:?} within {:?}", visible, w);
            prop_assert!(visible.start - w.start <= 2 * overscan && w.end - visible.end <= 2 * overscan);
            // Asked again with what it gave, it gives the same: no render loop.
            prop_assert_eq!(rows.window(w.clone(), visible, overscan), w);
        }

        #[test]
        fn scrolled_to_show_the_rows_show(
            (sizes, label, option) in layout(), top in -5000i64..200_000, height in 1i64..60_000, pick in 0usize..2000,
        ) {
            let rows = Rows::new(sizes.iter().copied(), px(label), px(option));
            prop_assume!(!sizes.is_empty());
            let r = pick % rows.len();
            let to = rows.scroll_to_show(px(top), px(height), r..r + 1);
            let seen = rows.visible(to, px(height));
            prop_assert!(seen.contains(&r));
            if rows.visible(px(top), px(height)).contains(&r) && rows.top(r) >= px(top) && rows.top(r + 1) <= px(top + height) {
                prop_assert_eq!(to, px(top));
            }
        }
    }
}
