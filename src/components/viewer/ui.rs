//! The viewer's own interface state, apart from navigation: which panel of
//! the narrow layout is open (the report switcher or the toolbar's menu),
//! where focus goes next, the failed action shown above the preview,
//! whether a lazy viewer has started, and which host command was carried
//! out last. Pure: the component feeds it what the reader did and renders
//! what it holds.
use crate::error::WidgetError;

/// A panel that opens over the narrow layout; at most one is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The compact report switcher's list.
    Switcher,
    /// The toolbar's overflow menu.
    Menu,
}

/// Where focus goes after the next render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    /// The picker's search box, in the opened switcher.
    Search,
    /// The button that opens the switcher.
    Switcher,
    /// The first enabled action in the opened menu.
    FirstAction,
    /// The button that opens the menu.
    More,
}

impl Panel {
    /// Where focus goes when the panel opens: into it.
    fn inside(self) -> Focus {
        match self {
            Panel::Switcher => Focus::Search,
            Panel::Menu => Focus::FirstAction,
        }
    }

    /// Where focus goes when it closes: back to the button that opened it.
    fn opener(self) -> Focus {
        match self {
            Panel::Switcher => Focus::Switcher,
            Panel::Menu => Focus::More,
        }
    }
}

/// What the reader did to a panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelInput {
    /// Its button was pressed: it opens, or closes if open.
    Toggle(Panel),
    /// Escape, its close button, or a choice made in it: it closes if open.
    Close(Panel),
}

/// The interface state of one viewer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ui {
    open: Option<Panel>,
    focus: Option<Focus>,
    action_error: Option<WidgetError>,
    started: bool,
    command_seq: Option<u64>,
}

impl Ui {
    /// A viewer's first state: a lazy one waits to start; `command_seq` is
    /// the host command already carried out, if any.
    pub(crate) fn new(lazy: bool, command_seq: Option<u64>) -> Self {
        Ui {
            open: None,
            focus: None,
            action_error: None,
            started: !lazy,
            command_seq,
        }
    }

    /// Opens or closes a panel; whether anything changed.
    pub(crate) fn on(&mut self, input: PanelInput) -> bool {
        match input {
            PanelInput::Toggle(panel) if self.open == Some(panel) => self.close(panel),
            PanelInput::Toggle(panel) => {
                self.open = Some(panel);
                self.focus = Some(panel.inside());
            }
            PanelInput::Close(panel) if self.open == Some(panel) => self.close(panel),
            PanelInput::Close(_) => return false,
        }
        true
    }

    fn close(&mut self, panel: Panel) {
        self.open = None;
        self.focus = Some(panel.opener());
    }

    /// Whether `panel` is open.
    pub(crate) fn is_open(&self, panel: Panel) -> bool {
        self.open == Some(panel)
    }

    /// Where to move focus now, once.
    pub(crate) fn take_focus(&mut self) -> Option<Focus> {
        self.focus.take()
    }

    /// The failed action shown above the preview.
    pub(crate) fn action_error(&self) -> Option<&WidgetError> {
        self.action_error.as_ref()
    }

    /// An action (a download, a new tab, printing) failed.
    pub(crate) fn action_failed(&mut self, error: WidgetError) {
        self.action_error = Some(error);
    }

    /// The failure no longer applies: the action is tried again, or
    /// another report is shown.
    pub(crate) fn clear_action_error(&mut self) {
        self.action_error = None;
    }

    /// Whether the viewer has started its work.
    pub(crate) fn started(&self) -> bool {
        self.started
    }

    /// Starts the viewer; whether it had not started yet.
    pub(crate) fn start(&mut self) -> bool {
        !std::mem::replace(&mut self.started, true)
    }

    /// Forgets the host command carried out, so the one in the props now
    /// counts as new.
    pub(crate) fn forget_command(&mut self) {
        self.command_seq = None;
    }

    /// Records the host command numbered `seq`; whether it is new (to be
    /// carried out) rather than the last one again.
    pub(crate) fn new_command(&mut self, seq: u64) -> bool {
        self.command_seq.replace(seq) != Some(seq)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::error::{HostError, Refusal};

    const PANELS: [Panel; 2] = [Panel::Switcher, Panel::Menu];

    #[test]
    fn a_panel_opens_with_focus_inside_and_closes_with_focus_on_its_button() {
        for panel in PANELS {
            let mut ui = Ui::new(false, None);
            assert!(ui.on(PanelInput::Toggle(panel)));
            assert!(ui.is_open(panel));
            assert_eq!(ui.take_focus(), Some(panel.inside()));
            assert_eq!(ui.take_focus(), None, "focus moves once");
            assert!(ui.on(PanelInput::Toggle(panel)));
            assert!(!ui.is_open(panel));
            assert_eq!(ui.take_focus(), Some(panel.opener()));
        }
        assert_eq!(Panel::Switcher.inside(), Focus::Search);
        assert_eq!(Panel::Menu.inside(), Focus::FirstAction);
        assert_eq!(Panel::Switcher.opener(), Focus::Switcher);
        assert_eq!(Panel::Menu.opener(), Focus::More);
    }

    #[test]
    fn opening_one_panel_closes_the_other() {
        let mut ui = Ui::new(false, None);
        ui.on(PanelInput::Toggle(Panel::Switcher));
        ui.on(PanelInput::Toggle(Panel::Menu));
        assert!(ui.is_open(Panel::Menu));
        assert!(!ui.is_open(Panel::Switcher));
        ui.on(PanelInput::Toggle(Panel::Switcher));
        assert!(ui.is_open(Panel::Switcher));
        assert!(!ui.is_open(Panel::Menu));
        assert_eq!(ui.take_focus(), Some(Focus::Search));
    }

    #[test]
    fn closing_a_closed_panel_changes_nothing_and_keeps_focus_where_it_is() {
        for panel in PANELS {
            let mut ui = Ui::new(false, None);
            assert!(!ui.on(PanelInput::Close(panel)));
            assert_eq!(ui.take_focus(), None);
            // The other panel open: closing this one leaves it open.
            let other = PANELS.into_iter().find(|p| *p != panel).unwrap();
            ui.on(PanelInput::Toggle(other));
            ui.take_focus();
            assert!(!ui.on(PanelInput::Close(panel)));
            assert!(ui.is_open(other));
            assert_eq!(ui.take_focus(), None);
        }
    }

    #[test]
    fn closing_an_open_panel_returns_focus_to_its_button() {
        for panel in PANELS {
            let mut ui = Ui::new(false, None);
            ui.on(PanelInput::Toggle(panel));
            ui.take_focus();
            assert!(ui.on(PanelInput::Close(panel)));
            assert!(!ui.is_open(panel));
            assert_eq!(ui.take_focus(), Some(panel.opener()));
        }
    }

    #[test]
    fn a_lazy_viewer_starts_once() {
        let mut ui = Ui::new(true, None);
        assert!(!ui.started());
        assert!(ui.start());
        assert!(ui.started());
        assert!(!ui.start(), "a second start does nothing");
        let mut eager = Ui::new(false, None);
        assert!(eager.started());
        assert!(!eager.start());
    }

    #[test]
    fn each_host_command_is_carried_out_once() {
        let mut ui = Ui::new(false, Some(3));
        assert!(!ui.new_command(3), "the command there at creation");
        assert!(ui.new_command(4));
        assert!(!ui.new_command(4));
        ui.forget_command();
        assert!(ui.new_command(4), "forgotten, it counts as new");
    }

    #[test]
    fn an_action_error_stays_until_cleared() {
        let mut ui = Ui::new(false, None);
        assert_eq!(ui.action_error(), None);
        let error = WidgetError::Popup(Refusal::Print);
        ui.action_failed(error.clone());
        ui.on(PanelInput::Toggle(Panel::Menu));
        assert_eq!(ui.action_error(), Some(&error));
        let newer = WidgetError::Pdf(HostError::EmptyNonce);
        ui.action_failed(newer.clone());
        assert_eq!(ui.action_error(), Some(&newer));
        ui.clear_action_error();
        assert_eq!(ui.action_error(), None);
    }
}
