//! Element ids unique to each widget instance. The widget renders without a
//! shadow root inside a Yew app, so two viewers on one page would share any
//! fixed id, and a label, `aria-controls` or `aria-activedescendant` would
//! point into the wrong one. Each viewer takes a fresh prefix and builds
//! every id from it.
use std::cell::Cell;

use yew::AttrValue;

thread_local! {
    static ISSUED: Cell<u64> = const { Cell::new(0) };
}

/// The ids of one widget's elements, all sharing one prefix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ids {
    prefix: AttrValue,
}

impl Ids {
    /// Ids under a prefix no other instance on this page has.
    pub(crate) fn fresh() -> Self {
        let n = ISSUED.with(|issued| {
            let n = issued.get() + 1;
            issued.set(n);
            n
        });
        Ids::under(AttrValue::from(format!("cxr{n}")))
    }

    /// Ids under `prefix`, given by the widget that holds this one.
    pub(crate) fn under(prefix: AttrValue) -> Self {
        Ids { prefix }
    }

    /// The prefix, for a part of the widget that builds its own ids.
    pub(crate) fn prefix(&self) -> AttrValue {
        self.prefix.clone()
    }

    fn id(&self, name: &str) -> AttrValue {
        AttrValue::from(format!("{}-{name}", self.prefix))
    }

    /// The report switcher's panel (the picker's aside).
    pub(crate) fn side(&self) -> AttrValue {
        self.id("side")
    }

    /// The toolbar's actions, which the narrow layout's menu shows.
    pub(crate) fn actions(&self) -> AttrValue {
        self.id("actions")
    }

    /// The picker's search box.
    pub(crate) fn search(&self) -> AttrValue {
        self.id("search")
    }

    /// The picker's listbox.
    pub(crate) fn listbox(&self) -> AttrValue {
        self.id("listbox")
    }

    /// Option `i` of the picker's list, counted across groups.
    pub(crate) fn option(&self, i: usize) -> AttrValue {
        self.id(&format!("option-{i}"))
    }

    /// The label of group `g` of the picker's list.
    pub(crate) fn group(&self, g: usize) -> AttrValue {
        self.id(&format!("group-{g}"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn each_instance_has_ids_of_its_own() {
        let (a, b) = (Ids::fresh(), Ids::fresh());
        assert_ne!(a.prefix(), b.prefix());
        for (x, y) in [
            (a.side(), b.side()),
            (a.actions(), b.actions()),
            (a.search(), b.search()),
            (a.listbox(), b.listbox()),
            (a.option(0), b.option(0)),
            (a.group(0), b.group(0)),
        ] {
            assert_ne!(x, y);
        }
    }

    #[test]
    fn ids_under_one_prefix_are_distinct_and_keep_it() {
        let ids = Ids::under(AttrValue::from("cxr7"));
        let all = [
            ids.side(),
            ids.actions(),
            ids.search(),
            ids.listbox(),
            ids.option(1),
            ids.option(11),
            ids.group(1),
        ];
        for (i, id) in all.iter().enumerate() {
            assert!(id.starts_with("cxr7-"), "{id}");
            assert!(!id.contains(' '), "{id}");
            assert!(all[i + 1..].iter().all(|other| other != id), "{id} twice");
        }
        assert_eq!(ids.search(), "cxr7-search");
        assert_eq!(ids.option(3), "cxr7-option-3");
    }
}
