//! Which encoding a file to import is in, and its text decoded as a stream.
//!
//! A delegation list comes as UTF-8 (with or without a BOM), as Excel's
//! "Unicode text" (UTF-16 with a BOM), or saved by a Russian-language
//! Windows in Windows-1251. The BOM decides when there is one; otherwise
//! text that is valid UTF-8 is UTF-8, and anything else goes to chardetng
//! (Firefox's detector), which tells Windows-1251 from KOI8-R and Latin
//! code pages by letter statistics. Files that are not text at all (NUL
//! bytes, control characters) and files whose lines mix UTF-8 with a code
//! page are refused: decoding them would write mojibake into the address
//! book, which is worse than a clear "no".

use std::io::Read;

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{Error, Result};

/// How many bytes are read to decide the encoding.
pub const SNIFF_BYTES: usize = 64 * 1024;
const CHUNK: usize = 64 * 1024;

/// The encoding a file was found to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    /// Bytes of byte-order mark to skip.
    pub bom: usize,
}

impl Detected {
    /// The encoding's WHATWG name ("UTF-8", "windows-1251", "UTF-16LE").
    pub fn name(&self) -> &'static str {
        self.encoding.name()
    }
}

/// Decides the encoding from the first bytes of a file (`complete` when
/// `head` is the whole file).
pub fn detect(head: &[u8], complete: bool) -> Result<Detected> {
    if head.is_empty() {
        return Err(Error::File("the file is empty".into()));
    }
    if let Some((encoding, bom)) = Encoding::for_bom(head) {
        return Ok(Detected { encoding, bom });
    }
    if let Some(encoding) = utf16_without_bom(head) {
        return Ok(Detected { encoding, bom: 0 });
    }
    if looks_binary(head) {
        return Err(Error::File(
            "this is not a text file (it holds binary data); export the list as CSV or vCard"
                .into(),
        ));
    }
    let (valid_up_to, cut_short) = match std::str::from_utf8(head) {
        Ok(_) => (head.len(), false),
        Err(e) => (e.valid_up_to(), e.error_len().is_none()),
    };
    // The sniffed head may end mid-character; the rest of the file has it.
    if valid_up_to == head.len() || (!complete && cut_short) {
        return Ok(Detected {
            encoding: UTF_8,
            bom: 0,
        });
    }
    if mixes_utf8_lines(head) {
        return Err(Error::File(format!(
            "the file mixes encodings: it has lines in UTF-8 and lines that are not \
             (first at byte {valid_up_to}); save it again in one encoding (UTF-8) and import that"
        )));
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(head, complete);
    Ok(Detected {
        encoding: detector.guess(None, true),
        bom: 0,
    })
}

/// UTF-16 saved without a BOM: every other byte of ASCII text is zero.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= pairs * 7 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// NUL bytes, or more than a few control characters other than tab and
/// line breaks: an executable, an image, an .xlsx (a zip).
fn looks_binary(head: &[u8]) -> bool {
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    head.contains(&0) || controls * 100 > head.len()
}

/// Whether some lines are UTF-8 text (two or more non-ASCII characters,
/// all well-formed) while others are not UTF-8 at all: a list pasted
/// together from two programs. Judged line by line because a code page's
/// letters can form a valid UTF-8 pair by chance (Windows-1251 "Фё" is one)
/// but never a whole line of them.
fn mixes_utf8_lines(bytes: &[u8]) -> bool {
    let (mut utf8, mut other) = (false, false);
    // The last line may be cut by the sniffed head: left out.
    let mut lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    lines.pop();
    for line in lines.into_iter().filter(|l| !l.is_ascii()) {
        match std::str::from_utf8(line) {
            Ok(text) if text.chars().filter(|c| !c.is_ascii()).count() >= 2 => utf8 = true,
            Ok(_) => {}
            Err(_) => other = true,
        }
    }
    utf8 && other
}

/// A file's text, decoded chunk by chunk: memory stays bounded whatever
/// the file's size. Bytes that are not valid in the encoding are an error
/// (with the byte offset), never a silent U+FFFD.
pub struct TextStream<R> {
    reader: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    bytes: Vec<u8>,
    /// Bytes of the file consumed so far (for progress).
    consumed: u64,
    done: bool,
    skip_bom: usize,
}

impl<R: Read> TextStream<R> {
    pub fn new(reader: R, detected: Detected) -> Self {
        Self {
            reader,
            decoder: detected.encoding.new_decoder_without_bom_handling(),
            encoding: detected.encoding,
            bytes: vec![0; CHUNK],
            consumed: 0,
            done: false,
            skip_bom: detected.bom,
        }
    }

    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Appends the next chunk of text to `out`; false once the file is done.
    pub fn fill(&mut self, out: &mut String) -> Result<bool> {
        if self.done {
            return Ok(false);
        }
        let n = read_some(&mut self.reader, &mut self.bytes)?;
        let last = n == 0;
        let mut start = 0;
        if self.skip_bom > 0 {
            start = self.skip_bom.min(n);
            self.skip_bom -= start;
            self.consumed += start as u64;
        }
        let mut input = &self.bytes[start..n];
        loop {
            let room = self
                .decoder
                .max_utf8_buffer_length_without_replacement(input.len())
                .unwrap_or(input.len() * 3 + 16);
            out.reserve(room);
            let (result, read) = self
                .decoder
                .decode_to_string_without_replacement(input, out, last);
            self.consumed += read as u64;
            input = &input[read..];
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(bad, _) => {
                    let at = self.consumed - u64::from(bad);
                    return Err(Error::File(format!(
                        "byte {at} of the file is not valid {} text; the file may mix \
                         encodings or be damaged",
                        self.encoding.name()
                    )));
                }
            }
        }
        if last {
            self.done = true;
        }
        Ok(!last)
    }
}

/// Reads until `buf` is full or the file ends (a pipe may return less).
fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(n)
}

/// Reads a file's first bytes, to detect and preview.
pub fn head(reader: &mut impl Read) -> Result<(Vec<u8>, bool)> {
    let mut buf = vec![0; SNIFF_BYTES];
    let n = read_some(reader, &mut buf)?;
    buf.truncate(n);
    Ok((buf, n < SNIFF_BYTES))
}

/// When the head is all ASCII and the file goes on, the first stretch of
/// the rest that is not (what the encoding must be decided on), read in
/// chunks; None when the head has non-ASCII bytes or the file is ASCII.
pub fn first_non_ascii(
    head: &[u8],
    complete: bool,
    rest: &mut impl Read,
) -> Result<Option<Vec<u8>>> {
    if complete || !head.is_ascii() || Encoding::for_bom(head).is_some() {
        return Ok(None);
    }
    loop {
        let (chunk, done) = self::head(rest)?;
        if let Some(at) = chunk.iter().position(|b| !b.is_ascii()) {
            // From the start of that line, so line-based checks see it whole.
            let start = chunk[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |n| n + 1);
            return Ok(Some(chunk[start..].to_vec()));
        }
        if done {
            return Ok(None);
        }
    }
}

/// Decodes a whole byte string (a vCard value, a preview) in a detected
/// encoding, refusing malformed bytes.
pub fn decode_all(bytes: &[u8], detected: Detected) -> Result<String> {
    let mut out = String::new();
    let mut stream = TextStream::new(bytes, detected);
    while stream.fill(&mut out)? {}
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1251;

    #[test]
    fn boms_decide() {
        assert_eq!(
            detect(b"\xEF\xBB\xBFa,b", true).expect("ok").name(),
            "UTF-8"
        );
        assert_eq!(detect(b"\xFF\xFEa\0", true).expect("ok").name(), "UTF-16LE");
        assert_eq!(detect(b"\xFE\xFF\0a", true).expect("ok").name(), "UTF-16BE");
    }

    #[test]
    fn windows_1251_is_told_from_utf8() {
        let text = "ФИО;Телефон;Компания\nИванов Иван Иванович;+7 701 123 45 67;Казахтелеком\n";
        let (bytes, _, _) = WINDOWS_1251.encode(text);
        let d = detect(&bytes, true).expect("ok");
        assert_eq!(d.encoding, WINDOWS_1251);
        assert_eq!(decode_all(&bytes, d).expect("ok"), text);
        assert_eq!(detect(text.as_bytes(), true).expect("ok").encoding, UTF_8);
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let msg = |b: &[u8]| detect(b, true).expect_err("an error").to_string();
        assert!(msg(b"").contains("empty"));
        assert!(msg(b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0").contains("not a text file"));
        let mut mixed = "Иванов;Петров;Сидоров;Смирнов\n".as_bytes().to_vec();
        mixed.extend(WINDOWS_1251.encode("Кузнецов;Попов\n").0.iter());
        assert!(msg(&mixed).contains("mixes encodings"), "{}", msg(&mixed));
    }

    /// Pairs of Windows-1251 letters that happen to be valid UTF-8 (Фё,
    /// Пё, «К) do not make a 1251 list "mixed".
    #[test]
    fn windows_1251_with_yo_and_quotes_is_not_mixed() {
        let text = "ФИО;Компания\nФёдоров Пётр;«КТЖ»\nСёмина Алёна;№ 5\nЁлкин Фёдор;«Ёлка»\nПётр Фёдоров;ТОО\n";
        let (bytes, _, _) = WINDOWS_1251.encode(text);
        let d = detect(&bytes, true).expect("detected");
        assert_eq!(d.encoding, WINDOWS_1251);
        assert_eq!(decode_all(&bytes, d).expect("decoded"), text);
    }

    #[test]
    fn a_stream_refuses_bad_bytes_past_the_head() {
        let mut bytes = "a,b\n".repeat(30_000).into_bytes();
        bytes.extend(b"\xFF\xFE,c\n");
        let d = detect(&bytes[..SNIFF_BYTES], false).expect("ok");
        let err = decode_all(&bytes, d).expect_err("an error").to_string();
        assert!(err.contains("byte 120000"), "{err}");
    }
}
