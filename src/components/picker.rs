//! The report picker: a search box and a list grouped by report type, in the
//! ARIA combobox + listbox pattern, usable with the keyboard alone.
//!
//! A long list (more than [`FULL_LIST_MAX`] matching reports) renders only
//! the rows in view and a few either side: the listbox is padded for the
//! rest, so the scrollbar of the panel it scrolls in stays true, and a scroll
//! renders the rows it brings into view. Its rows are one line of a fixed
//! height each (style.css, `[data-virtual]`), measured once rendered; which
//! rows to render is pure geometry ([`window`]). The active option is always
//! rendered, so `aria-activedescendant` names an element that is there.
mod window;

use std::ops::Range;
use std::rc::Rc;

use cxreports_contract::model::{Report, ReportType};
use cxreports_contract::ReportRef;
use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, EventTarget, HtmlInputElement};
use yew::prelude::*;

use crate::i18n::{Key, Messages};
use crate::model::{group_reports, group_reports_keyed, SearchKeys};
use window::Rows;

/// Lists of up to this many matching reports render whole, as they always have.
const FULL_LIST_MAX: usize = 150;
/// Rows rendered beyond each end of the view.
const OVERSCAN: usize = 12;
/// Row heights in px until rendered rows are measured: the default font's
/// in Chromium (in its layout units, 1/64 px).
const GUESS_LABEL: f64 = 31.656_25;
const GUESS_OPTION: f64 = 29.593_75;
/// The view's height until it is measured.
const GUESS_VIEW: f64 = 800.0;

/// Props of [`Picker`].
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// The reports to choose from.
    pub reports: Rc<Vec<Report>>,
    /// Report types, to order the groups (optional).
    #[prop_or_default]
    pub types: Option<Rc<Vec<ReportType>>>,
    /// The report shown now, marked selected.
    #[prop_or_default]
    pub selected: Option<ReportRef>,
    /// Called with the chosen report.
    pub on_select: Callback<ReportRef>,
    /// Optional: the texts; default English.
    #[prop_or_default]
    pub messages: Messages,
}

/// What the list knows of where it is seen: the picker's renders and its
/// effects share it, and scroll events update it without a render unless
/// other rows come into view.
struct Scroll {
    /// The nearest ancestor that scrolls (`None`: the page), once looked up.
    container: Option<Option<Element>>,
    /// Whether the list has rendered before.
    rendered: bool,
    /// The view's top, in px below the list's top (negative: above it).
    top: f64,
    /// The view's height, px.
    height: f64,
    /// Rows are rendered for a view at least this high, the window's: the
    /// view growing (the host resizing the widget, the switcher opening)
    /// then shows no gap before the next measure.
    floor: f64,
    /// Measured heights of a group label and of an option, px.
    label: f64,
    option: f64,
    /// The list as last rendered: whether only some rows are, and which.
    rows: Rows,
    long: bool,
    shown: Range<usize>,
    /// The list's padding as written: (top, bottom), px.
    padding: (f64, f64),
    /// An option to scroll into view once rendered, and whether the list
    /// was already scrolled to render it.
    reveal: Option<(usize, bool)>,
    /// The report marked selected at the last render.
    selected: Option<ReportRef>,
}

impl Default for Scroll {
    fn default() -> Self {
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
        }
    }
}

/// The report picker.
#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let filter = use_state(String::new);
    // The active option is read by key handlers that may run several times
    // before the next render, so it lives in a cell, not in render-time state.
    let active = use_mut_ref(|| None::<usize>);
    let scroll = use_mut_ref(Scroll::default);
    let listbox = use_node_ref();
    let rerender = use_force_update();
    // The names as the search matches them, folded at the first search in a list.
    let keys = use_mut_ref(|| None::<(Rc<Vec<Report>>, Rc<SearchKeys>)>);
    let types = props.types.as_deref().map(Vec::as_slice);
    let groups = if filter.trim().is_empty() {
        group_reports(&props.reports, types, "")
    } else {
        let keys = {
            let mut cached = keys.borrow_mut();
            match &*cached {
                Some((list, keys)) if Rc::ptr_eq(list, &props.reports) => keys.clone(),
                _ => {
                    let made = Rc::new(SearchKeys::new(&props.reports));
                    *cached = Some((props.reports.clone(), made.clone()));
                    made
                }
            }
        };
        group_reports_keyed(&props.reports, types, &filter, &keys)
    };
    let flat: Vec<&Report> = groups
        .iter()
        .flat_map(|g| g.reports.iter().copied())
        .collect();
    let count = flat.len();
    let active_index = active.borrow().filter(|i| *i < count);
    let ids: Rc<Vec<i64>> = Rc::new(flat.iter().map(|r| r.id).collect());

    let long = count > FULL_LIST_MAX;
    let (rows, shown) = {
        let mut s = scroll.borrow_mut();
        let rows = Rows::new(groups.iter().map(|g| g.reports.len()), s.label, s.option);
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
    // what must show into view, and render again if other rows show. A
    // report chosen elsewhere is scrolled into view; the first one too in a
    // long list (a short one keeps its first render free of layout work).
    {
        let (scroll, listbox, rerender) = (scroll.clone(), listbox.clone(), rerender.clone());
        let (selected, ids) = (props.selected.clone(), ids.clone());
        use_effect(move || {
            let Some(list) = listbox.cast::<Element>() else {
                return;
            };
            let mut s = scroll.borrow_mut();
            if s.selected != selected {
                if let Some(ReportRef::Id(id)) = selected.as_ref().filter(|_| s.long || s.rendered)
                {
                    s.reveal = ids.iter().position(|x| x == id).map(|i| (i, false));
                }
                s.selected = selected;
            }
            if s.long && listener.borrow().is_none() {
                let target: Option<EventTarget> = match container(&mut s, &list) {
                    Some(c) => Some(c.into()),
                    None => web_sys::window().map(Into::into),
                };
                let (scroll, listbox, rerender) =
                    (scroll.clone(), listbox.clone(), rerender.clone());
                *listener.borrow_mut() = target.map(|target| {
                    EventListener::new(&target, "scroll", move |_| {
                        let Some(list) = listbox.cast::<Element>() else {
                            return;
                        };
                        if measure(&mut scroll.borrow_mut(), &list) {
                            rerender.force_update();
                        }
                    })
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

    let oninput = {
        let (filter, active) = (filter.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                *active.borrow_mut() = None;
                filter.set(input.value());
            }
        })
    };
    let onkeydown = {
        let (filter, active, ids, on_select) = (
            filter.clone(),
            active.clone(),
            ids.clone(),
            props.on_select.clone(),
        );
        let (scroll, rerender) = (scroll.clone(), rerender.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                // A first Escape clears the search; with nothing to clear it
                // goes on to the container (which may close a popover).
                if !filter.is_empty() {
                    e.stop_propagation();
                }
                *active.borrow_mut() = None;
                filter.set(String::new());
                return;
            }
            let active_index = active.borrow().filter(|i| *i < ids.len());
            let Some(last) = ids.len().checked_sub(1) else {
                return;
            };
            let next = match e.key().as_str() {
                "ArrowDown" => active_index.map_or(0, |i| (i + 1).min(last)),
                "ArrowUp" => active_index.map_or(last, |i| i.saturating_sub(1)),
                "Home" => 0,
                "End" => last,
                "Enter" => {
                    e.prevent_default();
                    if let Some(id) = active_index.and_then(|i| ids.get(i)) {
                        on_select.emit(ReportRef::Id(*id));
                    }
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            *active.borrow_mut() = Some(next);
            scroll.borrow_mut().reveal = Some((next, false));
            rerender.force_update();
        })
    };
    // Opening the narrow layout's switcher shows the list without a scroll:
    // focus coming in measures it.
    let onfocusin = {
        let (scroll, listbox, rerender) = (scroll.clone(), listbox.clone(), rerender.clone());
        Callback::from(move |_: FocusEvent| {
            if let Some(list) = listbox.cast::<Element>() {
                if measure(&mut scroll.borrow_mut(), &list) {
                    rerender.force_update();
                }
            }
        })
    };

    let m = &props.messages;
    let active_id = active_index.map(|i| format!("cxr-option-{i}"));
    let set_size = long.then(|| AttrValue::from(count.to_string()));
    let option = |i: usize, report: &Report, offscreen: bool| {
        let selected = props.selected == Some(ReportRef::Id(report.id));
        let onclick = {
            let (on_select, id, active) = (props.on_select.clone(), report.id, active.clone());
            Callback::from(move |_| {
                *active.borrow_mut() = Some(i);
                on_select.emit(ReportRef::Id(id));
            })
        };
        // State is styled through these attributes (see style.css): no
        // per-option class list to build.
        let active = (active_index == Some(i)).then_some(AttrValue::Static("true"));
        let position = long.then(|| AttrValue::from((i + 1).to_string()));
        let offscreen = offscreen.then_some(AttrValue::Static("true"));
        html! {
            <li key={i} id={format!("cxr-option-{i}")} role="option" class="cxr-option" aria-selected={selected.to_string()} data-active={active}
                aria-setsize={set_size.clone()} aria-posinset={position} data-offscreen={offscreen}
                data-report-id={report.id.to_string()} {onclick}>
                <span class="cxr-option-name">{ &report.name }</span>
                if report.is_default {
                    <span class="cxr-default" title={m.text(Key::DefaultBadgeTitle).to_owned()}>{ m.text(Key::DefaultBadge) }</span>
                }
            </li>
        }
    };
    let group = |g: usize, type_name: &str, label_offscreen: bool, options: Html| {
        let label_id = format!("cxr-group-{g}");
        let offscreen = label_offscreen.then_some(AttrValue::Static("true"));
        html! {
            <li key={g} role="presentation" class="cxr-group">
                <div id={label_id.clone()} class="cxr-group-label" role="presentation" data-offscreen={offscreen}>{ type_name.to_owned() }</div>
                <ul role="group" aria-labelledby={label_id}>{ options }</ul>
            </li>
        }
    };
    // The groups the rendered rows meet, each with its label (out of sight
    // when its row is not rendered: the group keeps its name), and the
    // active option wherever it is. A short list renders all its rows.
    let list: Html = groups
        .iter()
        .enumerate()
        .filter_map(|(g, grp)| {
            let span = rows.group(g);
            let first = rows.first_option(g);
            let from = shown.start.max(span.start + 1) - (span.start + 1);
            let to = shown
                .end
                .min(span.end)
                .saturating_sub(span.start + 1)
                .max(from);
            let pinned = active_index
                .filter(|&i| rows.group_of(i) == g && !shown.contains(&rows.option_row(i)));
            let label_shown = shown.contains(&span.start);
            if from == to && !label_shown && pinned.is_none() {
                return None;
            }
            // The pinned option goes before the rendered ones or after them.
            let (before, after) = match pinned {
                Some(p) if p < first + from => (Some(p), None),
                p => (None, p),
            };
            let options = before
                .into_iter()
                .map(|p| (p, true))
                .chain((first + from..first + to).map(|i| (i, false)))
                .chain(after.map(|p| (p, true)))
                .map(|(i, offscreen)| option(i, flat[i], offscreen))
                .collect();
            Some(group(g, grp.type_name, !label_shown, options))
        })
        .collect();

    html! {
        <div class="cxr-picker" {onfocusin}>
            <label class="cxr-label" for="cxr-search">{ m.text(Key::Reports) }</label>
            <input id="cxr-search" class="cxr-search" type="search" role="combobox"
                aria-expanded="true" aria-controls="cxr-listbox" aria-autocomplete="list"
                aria-activedescendant={active_id} placeholder={m.text(Key::SearchPlaceholder).to_owned()} autocomplete="off"
                value={(*filter).clone()} {oninput} {onkeydown} />
            if count == 0 {
                <p class="cxr-empty" role="status">
                    if filter.is_empty() { { m.text(Key::NoReports) } }
                    else { { m.format(Key::NoMatch, &[("filter", &filter)]) } }
                </p>
            }
            <ul ref={listbox} id="cxr-listbox" class="cxr-listbox" role="listbox" aria-label={m.text(Key::Reports).to_owned()}
                data-virtual={long.then_some(AttrValue::Static("true"))}>{ list }</ul>
        </div>
    }
}

/// After a render: the padding that stands for the rows not rendered, the
/// rows' heights, an option to scroll into view, and the view. Whether to
/// render again.
fn settle(s: &mut Scroll, list: &Element) -> bool {
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
    let in_view = |selector: String| {
        list.query_selector(&selector)
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
    match in_view(format!("#cxr-option-{i}")) {
        Some(option) => {
            let top = first_in_group
                .then(|| in_view(format!("#cxr-group-{g}")))
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
fn measure(s: &mut Scroll, list: &Element) -> bool {
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
fn container(s: &mut Scroll, list: &Element) -> Option<Element> {
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
