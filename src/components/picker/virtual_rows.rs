//! The hook behind a long list: past [`FULL_LIST_MAX`] matching reports the
//! picker renders only the rows in view and a few either side, pads the
//! listbox for the rest so the scrollbar of the panel it scrolls in stays
//! true, and renders again when a scroll brings other rows into view. Rows
//! are one line of a fixed height each (style.css, `[data-virtual]`),
//! measured once rendered; which rows to render is pure geometry
//! ([`Rows`]). An option the keyboard or a host choice makes current is
//! scrolled into view inside the panel; the page never moves.
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use cxreports_contract::ReportRef;
use gloo_events::EventListener;
use web_sys::{Element, EventTarget};
use yew::prelude::*;

use super::scroll::{container, measure, settle, Scroll, OVERSCAN};
use super::window::Rows;
use crate::components::ids::Ids;

/// Lists of up to this many matching reports render whole, as they always have.
pub(super) const FULL_LIST_MAX: usize = 150;
/// The rows to render now, and a handle on the list they render in.
pub(super) struct VirtualRows {
    /// Every row of the list, rendered or not.
    pub(super) rows: Rows,
    /// The rows to render.
    pub(super) shown: Range<usize>,
    /// Whether the list is long, rendering only `shown`.
    pub(super) long: bool,
    /// The handle, for event handlers.
    pub(super) handle: RowsHandle,
}

/// What event handlers do to the list: shared, cheap to clone.
#[derive(Clone)]
pub(super) struct RowsHandle {
    scroll: Rc<RefCell<Scroll>>,
    /// The listbox element; the picker renders it with this ref.
    pub(super) listbox: NodeRef,
    rerender: UseForceUpdateHandle,
}

impl RowsHandle {
    /// Makes option `i` current: it is rendered and scrolled into view.
    pub(super) fn reveal(&self, i: usize) {
        self.scroll.borrow_mut().reveal = Some((i, false));
        self.rerender.force_update();
    }

    /// Records that the reader chose `report` in the list itself: it is in
    /// view already, so its coming back as the selected report scrolls
    /// nothing. (Scrolling to it then would undo whatever the reader did in
    /// the meantime, such as Home, End or a scroll.)
    pub(super) fn chosen_here(&self, report: ReportRef) {
        self.scroll.borrow_mut().selected = Some(report);
    }

    /// Options in one view of the list, at least one: how far Page Up and
    /// Page Down move. Measured now, as the view may have changed since.
    pub(super) fn page(&self) -> usize {
        let Some(list) = self.listbox.cast::<Element>() else {
            return 1;
        };
        let mut s = self.scroll.borrow_mut();
        // Other rows it shows render with the move that follows.
        measure(&mut s, &list);
        let option = list
            .query_selector(".cxr-option:not([data-offscreen])")
            .ok()
            .flatten()
            .map(|o| o.get_bounding_client_rect().height())
            .filter(|h| *h > 0.0)
            .unwrap_or(s.option);
        ((s.height / option).floor() as usize).max(1)
    }

    /// Measures the view again (it may have been shown without a scroll:
    /// the narrow layout's switcher opening), rendering the rows it shows.
    pub(super) fn remeasure(&self) {
        if let Some(list) = self.listbox.cast::<Element>() {
            if measure(&mut self.scroll.borrow_mut(), &list) {
                self.rerender.force_update();
            }
        }
    }
}

/// The rows of a list of groups of `sizes` options to render now. A report
/// `selected` elsewhere is scrolled into view; the first one too in a long
/// list (a short one keeps its first render free of layout work). `ids`
/// are the ids the picker gives its options and group labels.
#[hook]
pub(super) fn use_virtual_rows(
    sizes: Vec<usize>,
    report_ids: Rc<Vec<i64>>,
    selected: Option<ReportRef>,
    ids: Ids,
) -> VirtualRows {
    let scroll = use_mut_ref(|| Scroll::new(ids.clone()));
    let listbox = use_node_ref();
    let rerender = use_force_update();
    let count = report_ids.len();
    let long = count > FULL_LIST_MAX;
    let (rows, shown) = {
        let mut s = scroll.borrow_mut();
        s.ids = ids;
        let rows = Rows::new(sizes, s.label, s.option);
        let shown = if long {
            let visible = rows.visible(s.top, s.height.max(s.floor));
            rows.window(s.shown.clone(), visible, OVERSCAN)
        } else {
            0..rows.len()
        };
        s.rows = rows.clone();
        s.long = long;
        s.shown = shown.clone();
        (rows, shown)
    };

    // A long list follows the scrolling of its panel, from its first render.
    let listener = use_mut_ref(|| None::<EventListener>);
    {
        let listener = listener.clone();
        use_effect_with((), move |_| move || drop(listener.borrow_mut().take()));
    }
    // After every render: pad for the rows not rendered, measure, scroll
    // what must show into view, and render again if other rows show.
    {
        let (scroll, listbox, rerender) = (scroll.clone(), listbox.clone(), rerender.clone());
        use_effect(move || {
            let Some(list) = listbox.cast::<Element>() else {
                return;
            };
            let mut s = scroll.borrow_mut();
            if s.selected != selected {
                if let Some(ReportRef::Id(id)) = selected.as_ref().filter(|_| s.long || s.rendered)
                {
                    s.reveal = report_ids.iter().position(|x| x == id).map(|i| (i, false));
                }
                s.selected = selected;
            }
            if s.long && listener.borrow().is_none() {
                let target: Option<EventTarget> = match container(&mut s, &list) {
                    Some(c) => Some(c.into()),
                    None => web_sys::window().map(Into::into),
                };
                let handle = RowsHandle {
                    scroll: scroll.clone(),
                    listbox: listbox.clone(),
                    rerender: rerender.clone(),
                };
                *listener.borrow_mut() = target.map(|target| {
                    EventListener::new(&target, "scroll", move |_| handle.remeasure())
                });
            }
            let again = settle(&mut s, &list);
            s.rendered = true;
            drop(s);
            if again {
                rerender.force_update();
            }
        });
    }
    VirtualRows {
        rows,
        shown,
        long,
        handle: RowsHandle {
            scroll,
            listbox,
            rerender,
        },
    }
}
