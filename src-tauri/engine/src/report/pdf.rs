//! The report as a PDF, made offline: A4 pages laid out line by line from
//! the same data as the HTML, in DejaVu Sans (bundled in `assets/fonts`,
//! embedded here), which has every Cyrillic and Kazakh letter, so the
//! text extracts back as written. Lines are wrapped and cells cut by the
//! fonts' own glyph widths: counted in letters, Cyrillic capitals and bold
//! text ran past the margin and into the next column.

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
/// Space left between table columns, in mm.
const GAP: f32 = 2.0;

fn pdf_error(e: impl std::fmt::Display) -> Error {
    Error::Data(format!("the PDF could not be made: {e}"))
}

/// The embedded fonts' glyph widths.
struct Metrics {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

impl Metrics {
    fn new() -> Result<Self> {
        Ok(Self {
            regular: ttf_parser::Face::parse(REGULAR, 0).map_err(pdf_error)?,
            bold: ttf_parser::Face::parse(BOLD, 0).map_err(pdf_error)?,
        })
    }

    /// How wide `text` is set at `size` points, in mm (printpdf sets glyphs
    /// at their advances, with no kerning). A letter the font lacks is its
    /// missing-glyph box, as the viewer draws it.
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold { &self.bold } else { &self.regular };
        let units: u32 = text
            .chars()
            .map(|c| {
                let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                u32::from(face.glyph_hor_advance(glyph).unwrap_or(0))
            })
            .sum();
        units as f32 / f32::from(face.units_per_em()) * size * PT
    }

    /// `text` in lines no wider than `max` mm, broken between words; a word
    /// wider than a line alone (a long address) is broken between letters.
    fn wrap(&self, text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
        let fits = |s: &str| self.width(s, size, bold) <= max;
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let joined = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if fits(&joined) {
                line = joined;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if !fits(&line) && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// `text` cut to `max` mm, with an ellipsis where it was cut.
    fn cut(&self, text: &str, size: f32, bold: bool, max: f32) -> String {
        if self.width(text, size, bold) <= max {
            return text.to_owned();
        }
        let mut cut = String::new();
        for c in text.chars() {
            cut.push(c);
            if self.width(&format!("{cut}…"), size, bold) > max {
                cut.pop();
                break;
            }
        }
        cut.push('…');
        cut
    }
}

/// A document being laid out line by line, page after page (the report's
/// and the delegation book's).
pub(super) struct Pages {
    doc: PdfDocumentReference,
    layer: PdfLayerReference,
    y: f32,
    regular: IndirectFontRef,
    bold: IndirectFontRef,
    metrics: Metrics,
}

impl Pages {
    /// A document of a mission called `name`, headed by its name and the
    /// document's `title` in its language (`english` is the title in
    /// English).
    pub(super) fn new(english: &str, name: &str, title: &str) -> Result<Self> {
        // printpdf writes the document's title (its metadata, what a
        // viewer's window shows) as raw UTF-8, which viewers read as
        // Latin-1: a Russian title came out "ÐŸÑ‡…". The metadata gets
        // ASCII only: the English title, and the mission's name when it is
        // ASCII. The pages are in the document's language.
        let metadata = if name.is_ascii() {
            format!("{english} - {name}")
        } else {
            english.to_owned()
        };
        let (doc, page, layer) = PdfDocument::new(&metadata, Mm(WIDTH), Mm(HEIGHT), "text");
        let regular = doc.add_external_font(REGULAR).map_err(pdf_error)?;
        let bold = doc.add_external_font(BOLD).map_err(pdf_error)?;
        let layer = doc.get_page(page).get_layer(layer);
        let mut pages = Self {
            doc,
            layer,
            y: HEIGHT - MARGIN,
            regular,
            bold,
            metrics: Metrics::new()?,
        };
        pages.para(name, 16.0, true);
        pages.para(title, 10.0, false);
        pages.next_line(4.0);
        Ok(pages)
    }

    /// Moves down one line of `size` points, starting a page when full.
    pub(super) fn next_line(&mut self, size: f32) {
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
    pub(super) fn keep_together(&mut self, lines: u8, size: f32) {
        if self.y - f32::from(lines) * size * PT * 1.45 < MARGIN {
            // The next line then starts the page.
            self.y = MARGIN;
        }
    }

    /// How many lines [`Pages::hanging`] takes for `text`.
    pub(super) fn hanging_lines(&self, text: &str, indent: f32, size: f32) -> usize {
        self.metrics
            .wrap(text, size, false, WIDTH - 2.0 * MARGIN - indent)
            .len()
            .max(1)
    }

    /// `text` wrapped beside `label`: the label at the margin, the text
    /// from `indent` mm, its further lines under its first.
    pub(super) fn hanging(&mut self, label: &str, text: &str, indent: f32, size: f32) {
        let mut lines = self
            .metrics
            .wrap(text, size, false, WIDTH - 2.0 * MARGIN - indent);
        if lines.is_empty() {
            lines.push(String::new());
        }
        let label = self.metrics.cut(label, size, false, indent - GAP);
        for (i, line) in lines.iter().enumerate() {
            self.next_line(size);
            if i == 0 {
                self.text_at(&label, size, false, MARGIN);
            }
            self.text_at(line, size, false, MARGIN + indent);
        }
    }

    /// The document's bytes.
    pub(super) fn finish(self) -> Result<Vec<u8>> {
        self.doc.save_to_bytes().map_err(pdf_error)
    }

    fn text_at(&self, text: &str, size: f32, bold: bool, x: f32) {
        let font = if bold { &self.bold } else { &self.regular };
        self.layer.use_text(text, size, Mm(x), Mm(self.y), font);
    }

    /// A paragraph, wrapped to the page width.
    pub(super) fn para(&mut self, text: &str, size: f32, bold: bool) {
        for line in self.metrics.wrap(text, size, bold, WIDTH - 2.0 * MARGIN) {
            self.next_line(size);
            self.text_at(&line, size, bold, MARGIN);
        }
    }

    pub(super) fn heading(&mut self, text: &str) {
        self.next_line(6.0);
        self.para(text, 12.0, true);
    }

    /// One table row: cells at column offsets (mm from the margin), each
    /// cut to the space before the next column (the last: to the margin).
    pub(super) fn row(&mut self, cells: &[String], columns: &[f32], bold: bool) {
        self.next_line(9.0);
        for (i, (cell, x)) in cells.iter().zip(columns).enumerate() {
            let end = columns
                .get(i + 1)
                .map_or(WIDTH - 2.0 * MARGIN, |next| next - GAP);
            let text = self.metrics.cut(cell, 9.0, bold, end - x);
            self.text_at(&text, 9.0, bold, MARGIN + x);
        }
    }
}

pub fn pdf(r: &MissionReport) -> Result<Vec<u8>> {
    let w = words(r.lang);
    let mut p = Pages::new(super::words::EN.title, &r.name, w.title)?;
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
    let group_columns = [0.0, 98.0, 125.0];
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
    let columns = [0.0, 56.0, 100.0];
    let amounts = [6.0, 56.0];
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
    // Agreements all in the base currency were converted at no rate.
    if !r.rates.is_empty() {
        p.heading(w.rates);
        let rate_columns = [0.0, 30.0, 62.0, 90.0];
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
                    super::words::rate(&x.rate, r.lang),
                    super::words::date(&x.rate_date, r.lang),
                    x.source.clone(),
                ],
                &rate_columns,
                false,
            );
        }
    }
    p.next_line(8.0);
    p.para(w.generated, 8.0, false);
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: f32 = WIDTH - 2.0 * MARGIN;

    /// A Russian title in bold capitals: by letters counted at an average
    /// width, 56 of them made a line, some 240 mm on a 174 mm line.
    #[test]
    fn cyrillic_capitals_are_wrapped_within_the_margins() {
        let m = Metrics::new().expect("fonts");
        let title = "ДЕЛОВАЯ МИССИЯ ТОРГОВО-ПРОМЫШЛЕННОЙ ПАЛАТЫ РЕСПУБЛИКИ КАЗАХСТАН \
                     В ТУРКМЕНИСТАН И ИСЛАМСКУЮ РЕСПУБЛИКУ ИРАН";
        let lines = m.wrap(title, 16.0, true, LINE);
        assert!(lines.len() >= 3, "{lines:?}");
        for line in &lines {
            assert!(m.width(line, 16.0, true) <= LINE, "{line}");
        }
        assert_eq!(
            lines.join(" "),
            title.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    /// A word longer than a line is broken, not run off the page.
    #[test]
    fn a_word_wider_than_the_line_is_broken_between_letters() {
        let m = Metrics::new().expect("fonts");
        let word = "https://example.kz/".to_owned() + &"ЖШЩ".repeat(40);
        let lines = m.wrap(&word, 10.0, false, LINE);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| m.width(l, 10.0, false) <= LINE));
        assert_eq!(lines.concat(), word, "no letter lost");
    }

    /// A cell is cut to its column's width with an ellipsis, and a cell
    /// that fits is left whole.
    #[test]
    fn cells_are_cut_to_their_columns_width() {
        let m = Metrics::new().expect("fonts");
        let name = "ТОО «Шымкентская Широкофюзеляжная Шахтостроительная Компания»";
        let cut = m.cut(name, 9.0, true, 54.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(m.width(&cut, 9.0, true) <= 54.0);
        assert!(cut.chars().count() > 10, "{cut}");
        assert_eq!(m.cut("ТОО", 9.0, true, 54.0), "ТОО");
        assert!(m.width("Ш", 9.0, true) > m.width("i", 9.0, true));
    }
}
