//! Folds that split a letter, mended before a vCard is decoded.
//!
//! vCard 3.0 and 4.0 fold lines longer than 75 octets, and many exporters
//! (phones among them) cut at the 75th byte whatever it is: inside a
//! two-byte Cyrillic letter. The file is decoded before it is unfolded (the
//! encoding is detected on its bytes), so such a letter was half on each
//! line: not UTF-8, and the whole file was refused or read as Windows-1251.
//!
//! [`JoinSplitLetters`] moves, in a vCard's bytes, the rest of a letter
//! that a fold (a line break and one space or tab) split to before the
//! fold: the letter is whole on its line, and the fold, now between two
//! letters, is unfolded by the vCard reader as any other. Lines and bytes
//! keep their numbers (the reader's "line N" and the progress bar). A fold
//! anywhere else is left as it is (a quoted-printable soft break ends in
//! '=', never in a byte above ASCII). A file that does not start as a
//! vCard passes through untouched: in a Windows-1251 CSV the same bytes
//! are a row break and a letter.

use std::io::{self, Read};

/// Bytes read from the inner reader at a time.
const CHUNK: usize = 16 * 1024;

pub(crate) struct JoinSplitLetters<R> {
    inner: R,
    buf: Vec<u8>,
    /// How many bytes at the front of `buf` are joined and may be read.
    ready: usize,
    /// Whether the file is a vCard; None until its first bytes are in.
    vcard: Option<bool>,
    eof: bool,
}

impl<R: Read> JoinSplitLetters<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            ready: 0,
            vcard: None,
            eof: false,
        }
    }
}

impl<R: Read> Read for JoinSplitLetters<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.ready == 0 && !(self.eof && self.buf.is_empty()) {
            if !self.eof {
                let mut chunk = [0; CHUNK];
                let n = match self.inner.read(&mut chunk) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                self.buf.extend_from_slice(&chunk[..n]);
                self.eof = n == 0;
            }
            let vcard = match self.vcard {
                Some(v) => v,
                // "BEGIN:VCARD" after a BOM and a few blank lines.
                None if self.buf.len() < 64 && !self.eof => continue,
                None => *self.vcard.insert(starts_as_vcard(&self.buf)),
            };
            self.ready = if vcard {
                join(&mut self.buf, self.eof)
            } else {
                self.buf.len()
            };
        }
        let n = out.len().min(self.ready);
        out[..n].copy_from_slice(&self.buf[..n]);
        self.buf.drain(..n);
        self.ready -= n;
        Ok(n)
    }
}

fn starts_as_vcard(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    start
        .and_then(|i| bytes.get(i..i + 11))
        .is_some_and(|s| s.eq_ignore_ascii_case(b"BEGIN:VCARD"))
}

enum Fold {
    /// A fold of this many bytes, then a continuation byte.
    Splits(usize),
    /// No such fold here.
    No,
    /// The bytes end before it can be told.
    Unknown,
}

/// Whether `rest` (what follows a byte above ASCII) starts with a fold
/// and a UTF-8 continuation byte.
fn fold_at(rest: &[u8]) -> Fold {
    let mut i = usize::from(rest.first() == Some(&b'\r'));
    for allowed in [&b"\n"[..], b" \t"] {
        match rest.get(i) {
            None => return Fold::Unknown,
            Some(b) if allowed.contains(b) => i += 1,
            Some(_) => return Fold::No,
        }
    }
    match rest.get(i) {
        None => Fold::Unknown,
        Some(0x80..=0xBF) => Fold::Splits(i),
        Some(_) => Fold::No,
    }
}

fn is_continuation(b: u8) -> bool {
    (0x80..=0xBF).contains(&b)
}

/// Moves, in place, the rest of each split letter in `buf` before its
/// fold; returns how many bytes at its front are final (the rest may be
/// the start of a fold, or of a letter's rest, not all read yet; all are
/// final at the end of the file).
fn join(buf: &mut [u8], eof: bool) -> usize {
    let mut i = 0;
    while i < buf.len() {
        if buf[i] < 0x80 {
            i += 1;
            continue;
        }
        match fold_at(&buf[i + 1..]) {
            Fold::Splits(fold) => {
                let rest = i + 1 + fold;
                let letter = buf[rest..]
                    .iter()
                    .take_while(|b| is_continuation(**b))
                    .count();
                if rest + letter == buf.len() && !eof {
                    return i;
                }
                // [fold][rest of the letter] → [rest of the letter][fold]
                buf[i + 1..rest + letter].rotate_left(fold);
                i += 1 + letter;
            }
            Fold::Unknown if !eof => return i,
            Fold::Unknown | Fold::No => i += 1,
        }
    }
    buf.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads all of `bytes` through the joiner, `step` bytes at a time.
    fn joined(bytes: &[u8], step: usize) -> Vec<u8> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(out.len());
                out[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        JoinSplitLetters::new(Trickle(bytes, step))
            .read_to_end(&mut out)
            .expect("read");
        out
    }

    #[test]
    fn a_letter_split_by_a_fold_is_made_whole_in_any_chunking() {
        // A long ASCII line first, so the splits come after the first look
        // at the file (64 bytes) and chunks end inside them. "н" is D0 BD;
        // its fold is CRLF and a space, then LF and a tab for "е" (D0 B5).
        let mut card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:".to_vec();
        card.extend(b"x".repeat(80));
        card.extend(b"\r\nFN:\xD0\x98\xD0\xB2\xD0\xB0\xD0\r\n \xBD \xD0\xa0\xD0\n\t\xB5\r\nNOTE:one\r\n two\r\nEND:VCARD\r\n");
        let mut want = b"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:".to_vec();
        want.extend(b"x".repeat(80));
        want.extend(b"\r\nFN:\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\r\n  \xD0\xa0\xD0\xB5\n\t\r\nNOTE:one\r\n two\r\nEND:VCARD\r\n");
        for step in [1, 2, 3, 5, 64, 100, 4096] {
            assert_eq!(joined(&card, step), want, "read {step} bytes at a time");
        }
    }

    #[test]
    fn a_chunk_ending_inside_a_split_letter_waits_for_the_rest() {
        let mut whole = b"\xD0\r\n \xBD".to_vec();
        for end in 1..whole.len() {
            let mut part = whole[..end].to_vec();
            assert_eq!(join(&mut part, false), 0, "{:?}", &whole[..end]);
            assert_eq!(part, whole[..end], "nothing moved yet");
        }
        assert_eq!(join(&mut whole, false), 0, "the letter may go on");
        assert_eq!(join(&mut whole, true), 5);
        assert_eq!(whole, b"\xD0\xBD\r\n ");
        // A three-byte letter ("—", E2 80 94) split after its first byte.
        let mut dash = b"a\xE2\n \x80\x94b".to_vec();
        assert_eq!(join(&mut dash, false), 7);
        assert_eq!(dash, b"a\xE2\x80\x94\n b");
    }

    #[test]
    fn other_folds_and_other_files_are_left_as_they_are() {
        // A fold after a whole letter, and one before an ASCII letter.
        let card = "BEGIN:VCARD\nFN:Иван\n Петров\nNOTE:ок\n x\nEND:VCARD\n".as_bytes();
        assert_eq!(joined(card, 7), card);
        // Windows-1251: "Ы" (DB), a row break, a space and "«" (AB).
        let csv = b"name,company\n\xDB\n \xABPetro\xBB\n";
        assert_eq!(joined(csv, 3), csv);
        // A vCard ending in a byte above ASCII and half a fold.
        let cut = b"BEGIN:VCARD\nFN:\xD0\r\n";
        assert_eq!(joined(cut, 1), cut);
    }
}
