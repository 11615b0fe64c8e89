//! Where a long list is seen, and the DOM work behind it: padding for the
//! rows not rendered, measuring rows and the view, and scrolling an option
//! into view inside the panel the list scrolls in (never the page).
use std::ops::Range;

use cxreports_contract::ReportRef;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;
use yew::AttrValue;

use super::window::Rows;
use crate::components::ids::Ids;

/// Rows rendered beyond each end of the view.
pub(super) const OVERSCAN: usize = 12;
/// Row heights in px until rendered rows are measured: the default font's
/// in Chromium (in its layout units, 1/64 px).
const GUESS_LABEL: f64 = 31.656_25;
const GUESS_OPTION: f64 = 29.593_75;
/// The view's height until it is measured.
pub(super) const GUESS_VIEW: f64 = 800.0;

/// What the list knows of where it is seen: the picker's renders and its
/// effects share it, and scroll events update it without a render unless
/// other rows come into view.
pub(super) struct Scroll {
    /// The nearest ancestor that scrolls (`None`: the page), once looked up.
    pub(super) container: Option<Option<Element>>,
    /// Whether the list has rendered before.
    pub(super) rendered: bool,
    /// The view's top, in px below the list's top (negative: above it).
    pub(super) top: f64,
    /// The view's height, px.
    pub(super) height: f64,
    /// Rows are rendered for a view at least this high, the window's: the
    /// view growing (the host resizing the widget, the switcher opening)
    /// then shows no gap before the next measure.
    pub(super) floor: f64,
    /// Measured heights of a group label and of an option, px.
    pub(super) label: f64,
    pub(super) option: f64,
    /// The list as last rendered: whether only some rows are, and which.
    pub(super) rows: Rows,
    pub(super) long: bool,
    pub(super) shown: Range<usize>,
    /// The list's padding as written: (top, bottom), px.
    pub(super) padding: (f64, f64),
    /// An option to scroll into view once rendered, and whether the list
    /// was already scrolled to render it.
    pub(super) reveal: Option<(usize, bool)>,
    /// The report marked selected at the last render, or chosen in the list
    /// since: a change from it is scrolled to.
    pub(super) selected: Option<ReportRef>,
    /// The element ids the list's rows carry.
    pub(super) ids: Ids,
}

impl Scroll {
    pub(super) fn new(ids: Ids) -> Self {
        Scroll {
            container: None,
            rendered: false,
            top: 0.0,
            height: 0.0,
            floor: GUESS_VIEW,
            label: GUESS_LABEL,
            option: GUESS_OPTION,
            rows: Rows::new([], GUESS_LABEL, GUESS_OPTION),
            long: false,
            shown: 0..0,
            padding: (0.0, 0.0),
            reveal: None,
            selected: None,
            ids,
        }
    }
}

/// After a render: the padding that stands for the rows not rendered, the
/// rows' heights, an option to scroll into view, and the view. Whether to
/// render again.
pub(super) fn settle(s: &mut Scroll, list: &Element) -> bool {
    let padding = if s.long {
        (
            s.rows.top(s.shown.start),
            s.rows.height() - s.rows.top(s.shown.end),
        )
    } else {
        (0.0, 0.0)
    };
    if padding != s.padding {
        let css = |px: f64| {
            if s.long {
                format!("{px}px")
            } else {
                String::new()
            }
        };
        set_style(list, "paddingTop", &css(padding.0));
        set_style(list, "paddingBottom", &css(padding.1));
        s.padding = padding;
    }
    let mut again = false;
    if s.long {
        let height = |selector: &str| {
            let el = list.query_selector(selector).ok().flatten()?;
            Some(el.get_bounding_client_rect().height()).filter(|h| *h > 0.0)
        };
        // Other heights move the rows: the next render pads and measures anew.
        if let Some(h) = height(".cxr-option:not([data-offscreen])") {
            again |= !same_px(h, s.option);
            s.option = h;
        }
        if let Some(h) = height(".cxr-group-label:not([data-offscreen])") {
            again |= !same_px(h, s.label);
            s.label = h;
        }
        again |= measure(s, list);
    }
    if let Some((i, scrolled)) = s.reveal.take() {
        if again {
            // Revealed once the rows for this view are rendered.
            s.reveal = Some((i, scrolled));
        } else {
            // Scrolled for it, the view is measured anew.
            let pending = reveal(s, list, i, scrolled);
            let moved = s.long && measure(s, list);
            again = pending || moved;
        }
    }
    again
}

/// Scrolls option `i` (and its group's label, for a group's first option)
/// into view, inside the list's scroll container only: the page never moves.
/// Not rendered yet, the list scrolls to where it will be; whether to render.
fn reveal(s: &mut Scroll, list: &Element, i: usize, scrolled: bool) -> bool {
    let Some(container) = container(s, list) else {
        return false;
    };
    let in_view = |id: AttrValue| {
        list.query_selector(&format!("#{id}"))
            .ok()
            .flatten()
            .filter(|el| !el.has_attribute("data-offscreen"))
    };
    if i == 0 {
        // The first option: the top of the panel, the search box with it
        // (a long list then renders its first rows, as the view is measured).
        container.set_scroll_top(0);
        return false;
    }
    let g = s.rows.group_of(i);
    let first_in_group = s.rows.first_option(g) == i;
    match in_view(s.ids.option(i)) {
        Some(option) => {
            let top = first_in_group
                .then(|| in_view(s.ids.group(g)))
                .flatten()
                .unwrap_or_else(|| option.clone());
            let (top, bottom) = (
                top.get_bounding_client_rect().top(),
                option.get_bounding_client_rect().bottom(),
            );
            let view =
                container.get_bounding_client_rect().top() + f64::from(container.client_top());
            let height = f64::from(container.client_height());
            let by = if top < view || bottom - top > height {
                top - view
            } else if bottom > view + height {
                bottom - view - height
            } else {
                0.0
            };
            if by != 0.0 {
                let by = if by < 0.0 { by.floor() } else { by.ceil() };
                container.set_scroll_top(container.scroll_top() + by as i32);
            }
            false
        }
        None if s.long && !scrolled && s.height > 0.0 => {
            let row = s.rows.option_row(i);
            let span = if first_in_group { row - 1 } else { row }..row + 1;
            let to = s.rows.scroll_to_show(s.top, s.height, span);
            container.set_scroll_top(container.scroll_top() + (to - s.top).round() as i32);
            s.reveal = Some((i, true));
            true
        }
        None => false,
    }
}

/// Measures the view; whether the long list must render other rows for it.
pub(super) fn measure(s: &mut Scroll, list: &Element) -> bool {
    let window = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(GUESS_VIEW);
    let (view, height) = match &container(s, list) {
        Some(c) => (
            c.get_bounding_client_rect().top() + f64::from(c.client_top()),
            f64::from(c.client_height()),
        ),
        None => (0.0, window),
    };
    s.top = view - list.get_bounding_client_rect().top();
    s.height = height;
    s.floor = window;
    if !s.long {
        return false;
    }
    let visible = s.rows.visible(s.top, s.height.max(s.floor));
    s.rows.window(s.shown.clone(), visible, OVERSCAN) != s.shown
}

/// The list's scroll container, looked up the first time it is needed.
pub(super) fn container(s: &mut Scroll, list: &Element) -> Option<Element> {
    s.container
        .get_or_insert_with(|| scroll_parent(list))
        .clone()
}

/// Whether two heights are one in layout units (1/64 px).
fn same_px(a: f64, b: f64) -> bool {
    (a * 64.0).round() == (b * 64.0).round()
}

/// The nearest ancestor of `el` that scrolls (`overflow-y` auto or scroll),
/// within its tree: the widget's panel; `None` where the page scrolls.
fn scroll_parent(el: &Element) -> Option<Element> {
    let window = web_sys::window()?;
    let computed: js_sys::Function =
        js_sys::Reflect::get(&window, &JsValue::from_str("getComputedStyle"))
            .ok()?
            .dyn_into()
            .ok()?;
    let mut at = el.parent_element();
    while let Some(el) = at {
        let overflow = computed
            .call1(&window, &el)
            .and_then(|style| js_sys::Reflect::get(&style, &JsValue::from_str("overflowY")))
            .ok()
            .and_then(|v| v.as_string());
        if matches!(overflow.as_deref(), Some("auto" | "scroll" | "overlay")) {
            return Some(el);
        }
        at = el.parent_element();
    }
    None
}

/// Sets one property of `el`'s inline style through the CSSOM, which a
/// strict Content-Security-Policy allows (a `style` attribute it refuses).
fn set_style(el: &Element, property: &str, value: &str) {
    if let Ok(style) = js_sys::Reflect::get(el, &JsValue::from_str("style")) {
        let _ = js_sys::Reflect::set(
            &style,
            &JsValue::from_str(property),
            &JsValue::from_str(value),
        );
    }
}
