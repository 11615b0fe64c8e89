//! The PDF download: fetched through the host backend, then handed to the
//! browser as a file.
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::effects::spawn;
use super::{Msg, ReportViewer};
use crate::dom::ObjectUrl;
use crate::error::WidgetError;
use crate::host::client::Pdf;
use crate::host::Fail;
use crate::links::pdf_href;

impl ReportViewer {
    /// The current report's PDF address, when it has one.
    pub(super) fn pdf_url(&self) -> Option<String> {
        self.nav
            .selected()
            .and_then(|r| pdf_href(&self.config, r, self.nav.params()))
    }

    /// Starts downloading the current report's PDF; whether it started.
    pub(super) fn download_pdf(&mut self, ctx: &Context<Self>) -> bool {
        let Some(url) = self.pdf_url() else {
            return false;
        };
        self.ui.clear_action_error();
        self.effects.pdf = spawn(ctx, &self.client, |c, s| c.get_pdf(&url, s), Msg::PdfReady);
        true
    }

    /// The download's answer; whether there is anything to render.
    pub(super) fn pdf_arrived(&mut self, ctx: &Context<Self>, result: Result<Pdf, Fail>) -> bool {
        self.effects.pdf = None;
        match result {
            Ok(pdf) => self.effects.pdf_download = self.save(pdf),
            Err(Fail::Cancelled) => return false,
            Err(Fail::Host(e)) => self.fail_action(ctx, WidgetError::Pdf(e)),
        }
        true
    }

    /// Hands the PDF to the browser as a download.
    fn save(&self, pdf: Pdf) -> Option<ObjectUrl> {
        let root = self.root.cast::<web_sys::Element>()?;
        let url = ObjectUrl::new(&pdf.bytes, "application/pdf")?;
        let anchor: web_sys::HtmlAnchorElement = root
            .owner_document()?
            .create_element("a")
            .ok()?
            .dyn_into()
            .ok()?;
        anchor.set_href(url.as_str());
        anchor.set_download(pdf.file_name.as_deref().unwrap_or("report.pdf"));
        root.append_child(&anchor).ok()?;
        anchor.click();
        anchor.remove();
        Some(url)
    }
}
