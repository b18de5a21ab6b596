//! The report as a PDF, made offline: A4 pages laid out line by line from
//! the same data as the HTML, in DejaVu Sans (bundled in `assets/fonts`,
//! embedded here), which has every Cyrillic and Kazakh letter, so the
//! text extracts back as written.

use printpdf::{IndirectFontRef, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference};

use super::words::{money, words};
use super::MissionReport;
use crate::error::{Error, Result};

const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

const WIDTH: f32 = 210.0;
const HEIGHT: f32 = 297.0;
const MARGIN: f32 = 18.0;
/// Millimetres per point.
const PT: f32 = 0.3528;

fn pdf_error(e: impl std::fmt::Display) -> Error {
    Error::Data(format!("the PDF could not be made: {e}"))
}

struct Pages {
    doc: PdfDocumentReference,
    layer: PdfLayerReference,
    y: f32,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
}

impl Pages {
    fn new(title: &str) -> Result<Self> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(WIDTH), Mm(HEIGHT), "text");
        let regular = doc.add_external_font(REGULAR).map_err(pdf_error)?;
        let bold = doc.add_external_font(BOLD).map_err(pdf_error)?;
        let layer = doc.get_page(page).get_layer(layer);
        Ok(Self {
            doc,
            layer,
            y: HEIGHT - MARGIN,
            regular,
            bold,
        })
    }

    /// Moves down one line of `size` points, starting a page when full.
    fn next_line(&mut self, size: f32) {
        self.y -= size * PT * 1.45;
        if self.y < MARGIN {
            let (page, layer) = self.doc.add_page(Mm(WIDTH), Mm(HEIGHT), "text");
            self.layer = self.doc.get_page(page).get_layer(layer);
            self.y = HEIGHT - MARGIN - size * PT;
        }
    }

    /// Moves to a new page unless `lines` more lines of `size` fit on this
    /// one: an agreement's two lines stay together (the amounts alone at the
    /// top of a page said nothing of which agreement they were).
    fn keep_together(&mut self, lines: u8, size: f32) {
        if self.y - f32::from(lines) * size * PT * 1.45 < MARGIN {
            // The next line then starts the page.
            self.y = MARGIN;
        }
    }

    fn text_at(&self, text: &str, size: f32, bold: bool, x: f32) {
        let font = if bold { &self.bold } else { &self.regular };
        self.layer.use_text(text, size, Mm(x), Mm(self.y), font);
    }

    /// A paragraph, wrapped at word boundaries to the page width.
    fn para(&mut self, text: &str, size: f32, bold: bool) {
        // DejaVu Sans averages about 0.55 em per character.
        let per_line = ((WIDTH - 2.0 * MARGIN) / (size * PT * 0.55)) as usize;
        for line in wrap(text, per_line) {
            self.next_line(size);
            self.text_at(&line, size, bold, MARGIN);
        }
    }

    fn heading(&mut self, text: &str) {
        self.next_line(6.0);
        self.para(text, 12.0, true);
    }

    /// One table row: cells at column offsets (mm), each cut to fit.
    fn row(&mut self, cells: &[String], columns: &[(f32, usize)], bold: bool) {
        self.next_line(9.0);
        for (cell, (x, chars)) in cells.iter().zip(columns) {
            self.text_at(&cut(cell, *chars), 9.0, bold, MARGIN + x);
        }
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

pub fn pdf(r: &MissionReport) -> Result<Vec<u8>> {
    let w = words(r.lang);
    // printpdf writes the document's title (its metadata, what a viewer's
    // window shows) as raw UTF-8, which viewers read as Latin-1: a Russian
    // title came out "ÐŸÑ‡…". The metadata gets ASCII only: the English
    // title, and the mission's name when it is ASCII. The pages are in the
    // report's language.
    let title = if r.name.is_ascii() {
        format!("{} - {}", super::words::EN.title, r.name)
    } else {
        super::words::EN.title.to_owned()
    };
    let mut p = Pages::new(&title)?;
    p.para(&r.name, 16.0, true);
    p.para(w.title, 10.0, false);
    p.next_line(4.0);
    p.para(&r.headline, 12.0, true);
    p.next_line(4.0);
    for (k, v) in super::render::facts(r, w) {
        p.para(&format!("{k}: {v}"), 10.0, false);
    }
    for (title, list) in super::render::org_sections(r, w) {
        p.heading(&format!("{title} ({})", list.len()));
        let names: Vec<String> = super::render::orgs(list);
        p.para(&names.join(" · "), 9.0, false);
    }
    let group_columns = [(0.0, 60), (110.0, 10), (125.0, 30)];
    for (title, list, total) in super::render::group_tables(r, w) {
        p.heading(title);
        p.row(
            &["".into(), w.count.into(), w.converted.into()],
            &group_columns,
            true,
        );
        for g in list.iter() {
            p.row(
                &[
                    g.label.clone(),
                    g.count.to_string(),
                    r.base_money(g.base_amount_minor),
                ],
                &group_columns,
                false,
            );
        }
        p.row(
            &[
                total.into(),
                r.agreement_count.to_string(),
                r.base_money(r.total_base_minor),
            ],
            &group_columns,
            true,
        );
    }
    p.heading(w.agreements);
    // Each agreement on two lines, so its amounts are never cut: its title,
    // counterpart and stage, then our company and what it converts to and
    // from. Names are cut to their columns (the HTML report has them
    // whole). On one line the amounts were cut to 24 letters ("315 000,00 USD ← 150 00…"), the
    // original amount and its currency lost, and Cyrillic names (wider than
    // the letters counted) ran into the next column.
    // The second line starts with our company, as the HTML's column does:
    // in a delegation of thirty, who signed is half the news.
    let columns = [(0.0, 26), (56.0, 20), (100.0, 36)];
    let amounts = [(6.0, 24), (56.0, 44)];
    p.row(
        &[w.agreement.into(), w.counterpart.into(), w.stage.into()],
        &columns,
        true,
    );
    p.row(&[w.company.into(), w.converted.into()], &amounts, true);
    for a in &r.agreements {
        p.keep_together(2, 9.0);
        p.row(
            &[
                a.title.clone(),
                a.counterpart.clone().unwrap_or_default(),
                w.stage(a.stage).into(),
            ],
            &columns,
            false,
        );
        p.row(
            &[
                a.company.clone().unwrap_or_default(),
                format!(
                    "{} ← {} {}",
                    r.base_money(a.base_amount_minor),
                    money(a.amount_minor, a.exponent, r.lang),
                    a.currency
                ),
            ],
            &amounts,
            false,
        );
    }
    p.heading(w.rates);
    let rate_columns = [(0.0, 14), (30.0, 16), (62.0, 16), (90.0, 40)];
    p.row(
        &[
            "".into(),
            w.rate.into(),
            w.rate_date.into(),
            w.source.into(),
        ],
        &rate_columns,
        true,
    );
    for x in &r.rates {
        p.row(
            &[
                format!("{} → {}", x.currency, r.base_currency),
                x.rate.clone(),
                super::words::date(&x.rate_date, r.lang),
                x.source.clone(),
            ],
            &rate_columns,
            false,
        );
    }
    p.next_line(8.0);
    p.para(w.generated, 8.0, false);
    p.doc.save_to_bytes().map_err(pdf_error)
}
