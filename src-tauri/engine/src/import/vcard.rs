//! Reading vCard 2.1, 3.0 and 4.0 (RFC 2426, RFC 6350 and the 2.1
//! specification of versit) card by card into [`Draft`]s.
//!
//! What phones really export is handled: folded lines, quoted-printable
//! values with their CHARSET (Cyrillic from older Android and Nokia
//! phones) and their soft line breaks, 2.1's bare parameters
//! (`TEL;CELL;VOICE:`), grouped properties (`item1.EMAIL`), several TEL and
//! EMAIL with types, and N with a patronymic in its additional-names part.
//! Properties we do not keep (PHOTO, X-..., BDAY) are skipped, never an
//! error; a card that never ends is, since the file was cut short.

use std::io::Read;

use base64::Engine as _;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1251};

use super::mapping::{join_name, Draft};
use super::text::TextStream;
use crate::error::{Error, Result};
use crate::model::contact::{Email, Phone};

/// A card larger than this is not a contact (photos included).
const MAX_CARD: usize = 8 * 1024 * 1024;

/// One property line, unfolded: `group.NAME;PARAMS:value`.
#[derive(Debug, Default)]
struct Property {
    name: String,
    /// Upper-cased TYPE values, including 2.1's bare parameters.
    types: Vec<String>,
    charset: Option<String>,
    encoding: Option<String>,
    value: String,
}

/// A card as read: its line and its draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub line: usize,
    pub draft: Draft,
}

pub struct VcardReader<R> {
    text: TextStream<R>,
    buf: String,
    pos: usize,
    line: usize,
    more: bool,
}

impl<R: Read> VcardReader<R> {
    pub fn new(text: TextStream<R>) -> Self {
        Self {
            text,
            buf: String::new(),
            pos: 0,
            line: 0,
            more: true,
        }
    }

    pub fn consumed(&self) -> u64 {
        self.text.consumed()
    }

    /// The next physical line, without its line break.
    fn next_line(&mut self) -> Result<Option<String>> {
        loop {
            if let Some(end) = self.buf[self.pos..].find('\n') {
                let line = self.buf[self.pos..self.pos + end]
                    .trim_end_matches('\r')
                    .to_owned();
                self.pos += end + 1;
                self.line += 1;
                return Ok(Some(line));
            }
            if !self.more {
                if self.pos < self.buf.len() {
                    let line = self.buf[self.pos..].trim_end_matches('\r').to_owned();
                    self.pos = self.buf.len();
                    self.line += 1;
                    return Ok(Some(line));
                }
                return Ok(None);
            }
            if self.buf.len() - self.pos > MAX_CARD {
                return Err(Error::File(format!(
                    "line {}: a line longer than {} MiB; this is not a vCard file",
                    self.line + 1,
                    MAX_CARD >> 20
                )));
            }
            self.buf.drain(..self.pos);
            self.pos = 0;
            self.more = self.text.fill(&mut self.buf)?;
        }
    }

    /// The logical lines of the next card (unfolded), with its first line.
    fn next_card_lines(&mut self) -> Result<Option<(usize, Vec<String>)>> {
        let mut start = None;
        let mut lines: Vec<String> = Vec::new();
        let mut size = 0;
        while let Some(line) = self.next_line()? {
            let Some(begun) = start else {
                if line.trim().eq_ignore_ascii_case("BEGIN:VCARD") {
                    start = Some(self.line);
                } else if !line.trim().is_empty() && self.line == 1 {
                    return Err(Error::File(
                        "this is not a vCard file (it does not start with BEGIN:VCARD)".into(),
                    ));
                }
                continue;
            };
            size += line.len();
            if size > MAX_CARD {
                return Err(Error::File(format!(
                    "line {begun}: a card larger than {} MiB; this is not a contact",
                    MAX_CARD >> 20
                )));
            }
            // 2.1 quoted-printable: a value ending in '=' goes on with the
            // next line as it is. First: that line may start with a space
            // (RFC 2045 has encoders break before one), which folding would
            // take as its own and drop.
            if let Some(last) = lines.last_mut() {
                if last.ends_with('=') && is_quoted_printable(last) {
                    last.pop();
                    last.push_str(&line);
                    continue;
                }
            }
            // Folding (3.0, 4.0): a line starting with a space or tab
            // continues the previous one.
            if let (Some(rest), Some(last)) = (
                line.strip_prefix(' ').or_else(|| line.strip_prefix('\t')),
                lines.last_mut(),
            ) {
                last.push_str(rest);
                continue;
            }
            if line.trim().eq_ignore_ascii_case("END:VCARD") {
                return Ok(Some((begun, lines)));
            }
            if line.trim().eq_ignore_ascii_case("BEGIN:VCARD") {
                break;
            }
            lines.push(line);
        }
        match start {
            None => Ok(None),
            Some(line) => Err(Error::File(format!(
                "the card that starts on line {line} never ends (no END:VCARD); the file is cut short"
            ))),
        }
    }

    pub fn next_card(&mut self) -> Result<Option<Card>> {
        let Some((line, lines)) = self.next_card_lines()? else {
            return Ok(None);
        };
        let properties: Vec<Property> = lines.iter().filter_map(|l| parse_property(l)).collect();
        Ok(Some(Card {
            line,
            draft: draft_from(&properties),
        }))
    }
}

fn is_quoted_printable(line: &str) -> bool {
    line.split_once(':')
        .map(|(head, _)| head.to_ascii_uppercase().contains("QUOTED-PRINTABLE"))
        .unwrap_or(false)
}

/// Splits `group.NAME;PARAM=...;PARAM:value`; a line without a colon is
/// not a property and is skipped.
fn parse_property(line: &str) -> Option<Property> {
    let mut in_quotes = false;
    let colon = line.char_indices().find_map(|(i, c)| {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        (c == ':' && !in_quotes).then_some(i)
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts
        .next()?
        .rsplit('.')
        .next()?
        .trim()
        .to_ascii_uppercase();
    let mut p = Property {
        name,
        ..Default::default()
    };
    for param in parts {
        let (key, val) = match param.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_uppercase(), v.trim().trim_matches('"')),
            // 2.1: TEL;CELL;VOICE and ENCODING-less QUOTED-PRINTABLE.
            None => {
                let bare = param.trim().to_ascii_uppercase();
                if bare == "QUOTED-PRINTABLE" || bare == "BASE64" {
                    p.encoding = Some(bare);
                } else {
                    p.types.push(bare);
                }
                continue;
            }
        };
        match key.as_str() {
            "TYPE" => p
                .types
                .extend(val.split(',').map(|t| t.trim().to_ascii_uppercase())),
            "CHARSET" => p.charset = Some(val.to_owned()),
            "ENCODING" => p.encoding = Some(val.to_ascii_uppercase()),
            "PREF" => p.types.push("PREF".into()),
            _ => {}
        }
    }
    p.value = decode_value(value, p.encoding.as_deref(), p.charset.as_deref());
    Some(p)
}

/// The text of a value: quoted-printable or base64 bytes decoded in their
/// CHARSET; without one, UTF-8 when they are UTF-8, else Windows-1251 (what
/// phones of the region wrote 2.1 cards in without saying so: read as UTF-8
/// they became a name of U+FFFD, imported without a word).
fn decode_value(value: &str, encoding: Option<&str>, charset: Option<&str>) -> String {
    let bytes = match encoding {
        Some("QUOTED-PRINTABLE") => quoted_printable(value),
        Some("B" | "BASE64") => {
            match base64::engine::general_purpose::STANDARD.decode(value.trim().as_bytes()) {
                Ok(b) => b,
                Err(_) => return String::new(),
            }
        }
        _ => return value.to_owned(),
    };
    let encoding = charset
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .unwrap_or_else(|| {
            if std::str::from_utf8(&bytes).is_ok() {
                UTF_8
            } else {
                WINDOWS_1251
            }
        });
    encoding.decode_without_bom_handling(&bytes).0.into_owned()
}

fn quoted_printable(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Splits a structured value on unescaped `;` and unescapes each part.
fn components(value: &str) -> Vec<String> {
    unescape(value, Some(';'))
}

/// A text value, unescaped (`\,` `\;` `\n` `\\`).
fn text(value: &str) -> String {
    unescape(value, None).concat()
}

/// Splits a value on unescaped `split`, unescaping each part: a list is
/// split before it is unescaped, or a tag written "Нефть\, газ" is two.
fn unescape(value: &str, split: Option<char>) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        let c = match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => '\n',
                Some(other) => other,
                None => break,
            },
            c if Some(c) == split => {
                parts.push(String::new());
                continue;
            }
            c => c,
        };
        if let Some(p) = parts.last_mut() {
            p.push(c);
        }
    }
    parts.into_iter().map(|p| p.trim().to_owned()).collect()
}

/// The label of a TEL or EMAIL from its types.
fn label(types: &[String]) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("CELL", "mobile"),
        ("WORK", "work"),
        ("HOME", "home"),
        ("FAX", "fax"),
    ];
    KNOWN
        .iter()
        .find(|(t, _)| types.iter().any(|x| x == t))
        .map(|(_, l)| (*l).to_owned())
        .unwrap_or_default()
}

fn draft_from(properties: &[Property]) -> Draft {
    let mut d = Draft::default();
    let mut from_n = String::new();
    for p in properties {
        match p.name.as_str() {
            // vCard 4.0 may give the name once per language (the last one
            // won): beside one in another script, one in Latin letters is
            // its Latin spelling, whichever comes first, and the other the
            // name (a Kazakh's in Cyrillic); else the first is the name.
            "FN" => {
                let name = text(&p.value);
                if d.full_name.trim().is_empty() {
                    d.full_name = name;
                } else if d.full_name_latin.is_empty() && is_latin(&name) != is_latin(&d.full_name)
                {
                    d.full_name_latin = if is_latin(&name) {
                        name
                    } else {
                        std::mem::replace(&mut d.full_name, name)
                    };
                }
            }
            "N" => {
                let parts = components(&p.value);
                let part = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
                // family; given; additional (the patronymic); prefix; suffix
                from_n = join_name(part(1), part(2), part(0));
            }
            "TEL" => {
                let number = text(&p.value);
                let number = number
                    .strip_prefix("tel:")
                    .unwrap_or(&number)
                    .trim()
                    .to_owned();
                if !number.is_empty() {
                    d.phones.push(Phone {
                        number,
                        label: label(&p.types),
                    });
                }
            }
            "EMAIL" => {
                let address = text(&p.value);
                let address = address
                    .strip_prefix("mailto:")
                    .unwrap_or(&address)
                    .trim()
                    .to_owned();
                if !address.is_empty() {
                    d.emails.push(Email {
                        address,
                        label: label(&p.types),
                    });
                }
            }
            "ORG" => d.organization = components(&p.value).into_iter().next().unwrap_or_default(),
            "TITLE" => d.position = text(&p.value),
            "ROLE" if d.position.is_empty() => d.position = text(&p.value),
            "NOTE" => push_line(&mut d.notes, &text(&p.value)),
            "URL" => push_line(&mut d.notes, &text(&p.value)),
            "CATEGORIES" => d.tags.extend(
                unescape(&p.value, Some(','))
                    .into_iter()
                    .filter(|t| !t.is_empty()),
            ),
            _ => {}
        }
    }
    if d.full_name.trim().is_empty() {
        d.full_name = from_n;
    }
    d.full_name = d.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    d.full_name_latin = d
        .full_name_latin
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    d
}

/// Whether every letter of `name` is a Latin one (accents included; the
/// Uzbek and Turkmen apostrophes ʻ and ʼ, which Unicode counts as letters,
/// are not letters here).
fn is_latin(name: &str) -> bool {
    name.chars()
        .filter(|c| c.is_alphabetic() && !crate::search::is_joiner(*c))
        .all(|c| c < '\u{250}')
}

fn push_line(to: &mut String, line: &str) {
    if line.is_empty() {
        return;
    }
    if !to.is_empty() {
        to.push('\n');
    }
    to.push_str(line);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text::detect;

    pub(crate) fn cards(text: &str) -> Result<Vec<Card>> {
        let bytes = text.as_bytes();
        let mut reader = VcardReader::new(TextStream::new(bytes, detect(bytes, true)?));
        let mut out = Vec::new();
        while let Some(c) = reader.next_card()? {
            out.push(c);
        }
        Ok(out)
    }

    #[test]
    fn quoted_printable_cyrillic_with_soft_breaks() {
        let c = cards(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2;=D0=98=D0=B2=D0=B0=D0=BD;=\r\n=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2=D0=B8=D1=87;;\r\nTEL;CELL;VOICE:+77011234567\r\nEND:VCARD\r\n",
        )
        .expect("ok");
        assert_eq!(c[0].draft.full_name, "Иван Иванович Иванов");
        assert_eq!(c[0].draft.phones[0].label, "mobile");
    }

    #[test]
    fn quoted_printable_without_a_charset_is_read_as_windows_1251_when_not_utf_8() {
        let c = cards(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:=C8=E2=E0=ED=EE=E2;=C8=E2=E0=ED;;;\r\nNOTE;ENCODING=QUOTED-PRINTABLE:=D0=BE=D0=BA\r\nEND:VCARD\r\n",
        )
        .expect("ok");
        assert_eq!(c[0].draft.full_name, "Иван Иванов");
        assert_eq!(c[0].draft.notes, "ок", "UTF-8 stays UTF-8");
    }

    #[test]
    fn a_soft_break_before_a_space_keeps_the_space() {
        let c = cards(
            "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nNOTE;ENCODING=QUOTED-PRINTABLE:from Aktau and=\r\n Turkmenbashi, =\r\n BEfore =D0=BE=D0=BA\r\nEND:VCARD\r\n",
        )
        .expect("ok");
        assert_eq!(c[0].draft.notes, "from Aktau and Turkmenbashi,  BEfore ок");
    }

    #[test]
    fn folded_grouped_escaped_and_unknown() {
        let c = cards(
            "BEGIN:VCARD\nVERSION:3.0\nFN:Tom\n  Smith\nitem1.EMAIL;TYPE=INTERNET,WORK:tom@x.com\nitem1.X-ABLabel:Work\nNOTE:one\\, two\\nthree\nX-UNKNOWN;FOO=bar:baz\nnonsense line\nEND:VCARD\n",
        )
        .expect("ok");
        let d = &c[0].draft;
        assert_eq!(d.full_name, "Tom Smith");
        assert_eq!(d.emails[0].address, "tom@x.com");
        assert_eq!(d.emails[0].label, "work");
        assert_eq!(d.notes, "one, two\nthree");
    }

    #[test]
    fn a_name_given_per_language_keeps_the_first_and_its_latin_spelling() {
        let c = cards(
            "BEGIN:VCARD\nVERSION:4.0\nFN;LANGUAGE=kk:Бауыржан Оразов\nFN;LANGUAGE=en:Bauyrzhan  Orazov\nFN;LANGUAGE=ru:Бауржан Оразов\nEND:VCARD\n\
             BEGIN:VCARD\nVERSION:4.0\nFN;LANGUAGE=en:Aigul Sarsenova\nFN;LANGUAGE=kk:Айгүл Сәрсенова\nEND:VCARD\n",
        )
        .expect("ok");
        assert_eq!(c[0].draft.full_name, "Бауыржан Оразов");
        assert_eq!(c[0].draft.full_name_latin, "Bauyrzhan Orazov");
        assert_eq!(c[1].draft.full_name, "Айгүл Сәрсенова");
        assert_eq!(c[1].draft.full_name_latin, "Aigul Sarsenova");
        let c = cards(
            "BEGIN:VCARD\nVERSION:4.0\nFN;LANGUAGE=ru:Гулом Узбеков\nFN;LANGUAGE=uz:Gʻulom Oʻzbekov\nEND:VCARD\n",
        )
        .expect("ok");
        assert_eq!(c[0].draft.full_name_latin, "Gʻulom Oʻzbekov");
    }

    #[test]
    fn a_tag_with_an_escaped_comma_stays_one_tag() {
        let c = cards("BEGIN:VCARD\nVERSION:3.0\nFN:A\nCATEGORIES:Нефть\\, газ,vip\nEND:VCARD\n")
            .expect("ok");
        assert_eq!(c[0].draft.tags, ["Нефть, газ", "vip"]);
    }

    #[test]
    fn cut_short_and_not_a_vcard() {
        let err = cards("BEGIN:VCARD\nFN:A\n")
            .expect_err("an error")
            .to_string();
        assert!(
            err.contains("line 1") && err.contains("never ends"),
            "{err}"
        );
        assert!(cards("name,phone\n")
            .expect_err("an error")
            .to_string()
            .contains("not a vCard"));
    }
}
