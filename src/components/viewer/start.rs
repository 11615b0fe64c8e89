//! A viewer's beginnings: its first state, the cold start (adopting the
//! head start's requests), a lazy viewer's late start, the host's commands,
//! and the language's texts.
use std::rc::Rc;

use yew::prelude::*;

use super::adopted::Adopted;
use super::effects::{adopt, spawn, Effects};
use super::ui::Ui;
use super::{Command, Msg, ReportViewer};
use crate::components::ids::Ids;
use crate::dom::{language_for, reader_time_zone};
use crate::host::{EarlyFrame, HostClient};
use crate::i18n::catalog::{cached, fetch as fetch_catalog};
use crate::i18n::{Language, Messages};
use crate::navigator::{Input, Navigator};

impl ReportViewer {
    /// A viewer for the props' options with nothing started, counting
    /// navigations from `generation`.
    pub(super) fn fresh(ctx: &Context<Self>, generation: u64) -> Self {
        let config = ctx.props().config.clone();
        ReportViewer {
            client: HostClient::new(&config),
            nav: Navigator::new(config.clone(), generation),
            types: None,
            effects: Effects::default(),
            ui: Ui::new(config.lazy, ctx.props().command.as_ref().map(|c| c.seq)),
            frame: NodeRef::default(),
            adopted: Rc::default(),
            slot: NodeRef::default(),
            root: NodeRef::default(),
            ids: Ids::fresh(),
            language: Self::language_of(ctx),
            messages: Messages::english().with(config.messages.clone()),
            config,
        }
    }

    /// Carries out the host's command in the props, once; whether there was
    /// a new one.
    pub(super) fn obey(&mut self, ctx: &Context<Self>) -> bool {
        let Some(request) = &ctx.props().command else {
            return false;
        };
        if !self.ui.new_command(request.seq) {
            return false;
        }
        // The host asks for something: a lazy viewer starts now.
        self.see(ctx);
        match &request.command {
            Command::Select(report) => self.drive(ctx, Input::Choose(report.clone())),
            Command::SetParams(params) => self.drive(ctx, Input::SetParams(params.clone())),
            Command::Refresh => self.drive(ctx, Input::Reload),
            Command::Print => self.print(),
        }
        true
    }

    /// Starts a lazy viewer that has not started yet.
    pub(super) fn see(&mut self, ctx: &Context<Self>) {
        if self.ui.start() {
            self.effects.watch = None;
            self.start(ctx);
        }
    }

    /// Cold start: the list and the first nonce in parallel, adopted from
    /// the head start when the requests were started before the viewer.
    pub(super) fn start(&mut self, ctx: &Context<Self>) {
        let head = &ctx.props().head_start;
        let early_frame = head.take_frame();
        if let Some((task, list)) = head.take_list() {
            self.effects.list = adopt(ctx, task, list, Msg::Reports);
            self.nav.adopt_list_fetch();
        }
        if let Some((task, nonce)) = head.take_nonce() {
            self.effects.nonce = adopt(ctx, task, nonce, Msg::Nonce);
            self.nav.adopt_nonce_fetch();
        }
        // The loader's frame, opened with the first nonce, is the first
        // navigation if it is the very one the widget would make (the
        // reader's zone is in that URL); else it goes, and the report is
        // chosen as usual.
        let adopted = early_frame.is_some_and(|frame| {
            self.apply_reader_zone();
            self.adopt(ctx, frame)
        });
        // The list and a nonce first (unless adopted); the types only order
        // the groups, so they go after.
        self.drive(ctx, Input::Start);
        self.load_types(ctx);
        if let (Some(report), false) = (&self.config.report, adopted) {
            self.drive(ctx, Input::Choose(report.clone()));
        }
        // Now that the first requests are on their way, the reader's zone
        // (the browser's first Intl lookup is slow) before any viewer URL.
        self.apply_reader_zone();
    }

    /// Sends the reader's own time zone from now on, unless the options
    /// name one or turn it off.
    fn apply_reader_zone(&mut self) {
        if let Some(config) = self.config.with_reader_zone(reader_time_zone) {
            self.config = Rc::new(config);
            self.nav.set_config(self.config.clone());
        }
    }

    /// Adopts the loader's frame as the first navigation, if the navigator
    /// does; whether it did (else the frame is removed).
    fn adopt(&mut self, ctx: &Context<Self>, frame: EarlyFrame) -> bool {
        let Some(decisions) = self
            .nav
            .adopt_frame(frame.src(), frame.nonce(), frame.opened_at())
        else {
            return false;
        };
        *self.adopted.borrow_mut() = Adopted::new(ctx, frame, self.nav.generation());
        self.carry_out_all(ctx, decisions);
        true
    }

    /// Puts the adopted frame in its slot after a render, and lets it go
    /// once a later navigation has a frame of the view's own.
    pub(super) fn place_adopted(&mut self, ctx: &Context<Self>) {
        if !self.nav.adopted() {
            self.adopted.borrow_mut().take();
            return;
        }
        let slot = self.slot.cast::<web_sys::Element>();
        let placed = {
            let mut adopted = self.adopted.borrow_mut();
            match (adopted.as_mut(), slot) {
                (Some(frame), Some(slot)) => {
                    frame.element().set_title(&self.title());
                    frame.place(&slot)
                }
                _ => false,
            }
        };
        // One that cannot be moved without loading again goes: the report
        // opens in a frame of the view's own, with a fresh nonce.
        if !placed && self.adopted.borrow_mut().take().is_some() {
            ctx.link().send_message(Msg::Retry);
        }
    }

    /// Fetches the report types unless they are here or on their way.
    pub(super) fn load_types(&mut self, ctx: &Context<Self>) {
        if self.effects.types.is_some() {
            return;
        }
        if let (Some(url), None) = (&self.config.report_types_url, &self.types) {
            self.effects.types = spawn(
                ctx,
                &self.client,
                |c, s| c.get_list_shared(url, None, s),
                Msg::Types,
            );
        }
    }

    pub(super) fn language_of(ctx: &Context<Self>) -> Language {
        let props = ctx.props();
        match &props.language {
            Some(language) => language.clone(),
            None => language_for(&props.config, None),
        }
    }

    /// Fetches the language's catalog unless it is English or already read;
    /// the host's `messages` go over it either way.
    pub(super) fn load_catalog(&mut self, ctx: &Context<Self>) {
        let overrides = self.config.messages.clone();
        self.effects.catalog = None;
        let Some(tag) = self.language.catalog() else {
            self.messages = Messages::english().with(overrides);
            return;
        };
        if let Some(catalog) = cached(tag) {
            self.messages = catalog.with(overrides);
            return;
        }
        self.effects.catalog = spawn(
            ctx,
            &self.client,
            move |_, _| fetch_catalog(tag),
            Msg::Catalog,
        );
    }
}
