//! Yew roots, reused across mounts.
//!
//! Yew keeps the event handlers it delegates to an app's root element for
//! the life of the page. A new app for every mount would leave one set of
//! handlers, and the tree they hold, behind per mount, so a page that mounts
//! and destroys widgets over and over would grow without bound. Instead a
//! destroyed widget's root is emptied (the viewer component is destroyed:
//! requests aborted, timers cleared, listeners removed), detached from the
//! page, and kept for the next mount. The pool holds at most as many roots as
//! were ever mounted at once.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::{Document, Element};
use yew::prelude::*;
use yew::AppHandle;

use crate::components::viewer::{ReportViewer, ReportViewerProps};

/// Set once Yew has rendered a slot empty: only then may its root serve
/// another mount, or the new widget would show the old one's frame.
#[derive(Clone, Default)]
pub struct Emptied(Rc<Cell<bool>>);

impl PartialEq for Emptied {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props of [`Slot`]: the viewer to show, or none.
#[derive(Properties, PartialEq, Clone)]
pub struct SlotProps {
    /// The viewer's props with its mount's id; `None` renders nothing.
    pub viewer: Option<(u64, ReportViewerProps)>,
    /// Told when the slot has rendered empty.
    pub emptied: Emptied,
}

/// Renders a viewer, or nothing once its widget is destroyed.
#[function_component(Slot)]
pub fn slot(props: &SlotProps) -> Html {
    let empty = props.viewer.is_none();
    let emptied = props.emptied.clone();
    use_effect_with(empty, move |empty| emptied.0.set(*empty));
    // Keyed by mount: a new mount always creates a new viewer, even when
    // its props replace a destroyed one's before Yew renders in between.
    match props.viewer.clone() {
        Some((mount, viewer)) => html! { <ReportViewer key={mount} ..viewer /> },
        None => html! {},
    }
}

/// A Yew app rooted at its own `<div>`.
pub struct Root {
    element: Element,
    app: AppHandle<Slot>,
    emptied: Emptied,
}

thread_local! {
    static POOL: RefCell<Vec<Root>> = const { RefCell::new(Vec::new()) };
    static MOUNTS: Cell<u64> = const { Cell::new(0) };
}

/// A new mount id.
pub fn next_mount() -> u64 {
    MOUNTS.with(|m| {
        m.set(m.get() + 1);
        m.get()
    })
}

impl Root {
    /// A free root: a released one that has rendered empty, else a new one.
    pub fn take(document: &Document) -> Option<Root> {
        let reused = POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            let ready = pool.iter().position(|root| root.emptied.0.get())?;
            Some(pool.swap_remove(ready))
        });
        if reused.is_some() {
            return reused;
        }
        let element = document.create_element("div").ok()?;
        let emptied = Emptied::default();
        let props = SlotProps {
            viewer: None,
            emptied: emptied.clone(),
        };
        let app = yew::Renderer::<Slot>::with_root_and_props(element.clone(), props).render();
        Some(Root {
            element,
            app,
            emptied,
        })
    }

    /// The root's element, to put into the page.
    pub fn element(&self) -> &Element {
        &self.element
    }

    /// Shows (or updates) the viewer of mount `mount`.
    pub fn show(&mut self, mount: u64, viewer: ReportViewerProps) {
        self.emptied.0.set(false);
        self.app.update(SlotProps {
            viewer: Some((mount, viewer)),
            emptied: self.emptied.clone(),
        });
    }

    /// Destroys the viewer, takes the root out of the page and keeps it for
    /// the next mount.
    pub fn release(mut self) {
        self.app.update(SlotProps {
            viewer: None,
            emptied: self.emptied.clone(),
        });
        self.element.remove();
        POOL.with(|pool| pool.borrow_mut().push(self));
    }
}
