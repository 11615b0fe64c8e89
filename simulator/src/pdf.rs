//! The PDF export: a real, valid PDF built with the 14 standard fonts (no
//! embedding), showing what the report was asked to render with.
use cxreports_contract::model::{Report, Workspace};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::inputs::ReportInputs;

const PAGE_WIDTH: f32 = 595.0; // A4, in points
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const BODY_SIZE: f32 = 10.0;
const LEADING: f32 = 13.0;
/// Helvetica at 10 pt fits about this many average characters in the text
/// width; longer lines wrap.
const WRAP_AT: usize = 90;
/// A few pages are plenty to show the inputs; huge data is cut rather than
/// producing a document nobody needs.
const MAX_PAGES: usize = 10;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

struct Line {
    font: Name<'static>,
    size: f32,
    text: Vec<u8>,
}

/// Renders the report as PDF bytes.
pub(crate) fn render(workspace: &Workspace, report: &Report, inputs: &ReportInputs) -> Vec<u8> {
    let lines = layout(workspace, report, inputs);
    let per_page = ((PAGE_HEIGHT - 2.0 * MARGIN) / LEADING) as usize;
    let mut pages: Vec<&[Line]> = lines.chunks(per_page.max(1)).collect();
    pages.truncate(MAX_PAGES);

    let mut pdf = Pdf::new();
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let info_id = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();

    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.document_info(info_id)
        .title(TextStr(&report.name))
        .producer(TextStr("CxReports simulator"));
    for (font_id, base) in [(regular_id, "Helvetica"), (bold_id, "Helvetica-Bold")] {
        pdf.type1_font(font_id)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    for (page_lines, &page_id) in pages.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources()
            .fonts()
            .pair(REGULAR, regular_id)
            .pair(BOLD, bold_id);
        page.finish();

        let mut content = Content::new();
        content.begin_text();
        content.next_line(MARGIN, PAGE_HEIGHT - MARGIN);
        for line in page_lines.iter() {
            content.set_font(line.font, line.size);
            content.show(Str(&line.text));
            content.next_line(0.0, -LEADING.max(line.size + 3.0));
        }
        content.end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

fn layout(workspace: &Workspace, report: &Report, inputs: &ReportInputs) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut push = |font, size, text: &str| {
        for chunk in wrap(text, if size > BODY_SIZE { 55 } else { WRAP_AT }) {
            lines.push(Line {
                font,
                size,
                text: win_ansi(&chunk),
            });
        }
    };
    push(BOLD, 18.0, &report.name);
    push(
        REGULAR,
        BODY_SIZE,
        &format!(
            "Workspace: {} ({})  |  Report id: {}  |  Type: {}  |  Template: {}",
            workspace.name,
            workspace.code,
            report.id,
            report.report_type_name,
            report.report_template_name
        ),
    );
    push(REGULAR, BODY_SIZE, "");
    for field in inputs.display_fields() {
        if field.block {
            push(BOLD, BODY_SIZE, &format!("{}:", field.label));
            for line in field.value.lines() {
                push(REGULAR, BODY_SIZE, line);
            }
        } else {
            push(
                REGULAR,
                BODY_SIZE,
                &format!("{}: {}", field.label, field.value),
            );
        }
    }
    lines
}

/// Splits a line into pieces of at most `width` characters, keeping the
/// leading indentation of JSON readable (no word boundaries needed here).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars
        .chunks(width.max(1))
        .map(|piece| piece.iter().collect())
        .collect()
}

/// Encodes text for a standard font with `WinAnsiEncoding` (Windows-1252);
/// a character it cannot hold becomes `?`.
pub(crate) fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            // Windows-1252 agrees with Latin-1 here.
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '\u{20ac}' => 0x80,
            '\u{201a}' => 0x82,
            '\u{0192}' => 0x83,
            '\u{201e}' => 0x84,
            '\u{2026}' => 0x85,
            '\u{2020}' => 0x86,
            '\u{2021}' => 0x87,
            '\u{02c6}' => 0x88,
            '\u{2030}' => 0x89,
            '\u{0160}' => 0x8a,
            '\u{2039}' => 0x8b,
            '\u{0152}' => 0x8c,
            '\u{017d}' => 0x8e,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2022}' => 0x95,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{02dc}' => 0x98,
            '\u{2122}' => 0x99,
            '\u{0161}' => 0x9a,
            '\u{203a}' => 0x9b,
            '\u{0153}' => 0x9c,
            '\u{017e}' => 0x9e,
            '\u{0178}' => 0x9f,
            '\t' => b' ',
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_keeps_latin_and_replaces_the_rest() {
        assert_eq!(win_ansi("Zürich"), b"Z\xfcrich");
        assert_eq!(win_ansi("a — €"), b"a \x97 \x80");
        assert_eq!(win_ansi("東京 x"), b"?? x");
    }

    #[test]
    fn long_input_is_cut_to_a_bounded_document() {
        let catalog = crate::catalog::Catalog::seeded();
        let workspace = &catalog.workspaces[0];
        let report = &catalog.reports[0].report;
        let inputs = ReportInputs {
            data: Some(serde_json::json!(vec!["row"; 5000])),
            ..ReportInputs::default()
        };
        let pdf = render(workspace, report, &inputs);
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = pdf.windows(10).filter(|w| w == b"/Type /Pag").count();
        // MAX_PAGES pages plus the page tree.
        assert_eq!(pages, MAX_PAGES + 1);
    }
}
