//! Reading delimited text (CSV, Excel's semicolon "CSV" of a Russian
//! Windows, tab-separated "Unicode text") record by record, from a
//! [`TextStream`], in bounded memory.
//!
//! The reader follows RFC 4180 (quoted fields, doubled quotes, line breaks
//! inside quotes) and is lenient where spreadsheets are sloppy (a stray
//! quote inside an unquoted field is text). It is strict where leniency
//! would write garbage: a quote that never closes, a cell over
//! [`MAX_CELL`] and a row over [`MAX_COLUMNS`] are errors naming the line.
//! Our own parser rather than the `csv` crate so that those three are
//! reported (the crate reads an unclosed quote to the end of the file).

use std::io::Read;

use super::text::TextStream;
use crate::error::{Error, Result};

/// Longer than any real note; a bigger cell means the file is not a list.
pub const MAX_CELL: usize = 64 * 1024;
/// Google's export has ~90 columns, Outlook's ~92.
pub const MAX_COLUMNS: usize = 1000;

/// One record: its fields and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

pub struct CsvReader<R> {
    text: TextStream<R>,
    buf: String,
    pos: usize,
    line: usize,
    delimiter: char,
    more: bool,
}

enum Parsed {
    Record(Vec<String>, usize, usize),
    /// The buffer ends inside the record: read more.
    NeedMore,
    /// Only blank lines remain.
    End,
}

impl<R: Read> CsvReader<R> {
    pub fn new(text: TextStream<R>, delimiter: char) -> Self {
        Self {
            text,
            buf: String::new(),
            pos: 0,
            line: 1,
            delimiter,
            more: true,
        }
    }

    /// Bytes of the file read so far.
    pub fn consumed(&self) -> u64 {
        self.text.consumed()
    }

    pub fn next_record(&mut self) -> Result<Option<Record>> {
        loop {
            match parse(&self.buf[self.pos..], self.delimiter, !self.more, self.line)? {
                Parsed::Record(fields, used, lines) => {
                    let record = Record {
                        line: self.line + leading_blank_lines(&self.buf[self.pos..]),
                        fields,
                    };
                    self.pos += used;
                    self.line += lines;
                    return Ok(Some(record));
                }
                Parsed::End if !self.more => return Ok(None),
                Parsed::End | Parsed::NeedMore => {
                    if self.buf.len() - self.pos > MAX_COLUMNS * MAX_CELL {
                        return Err(Error::File(format!(
                            "line {}: a row is longer than any contact list has",
                            self.line
                        )));
                    }
                    self.buf.drain(..self.pos);
                    self.pos = 0;
                    self.more = self.text.fill(&mut self.buf)?;
                }
            }
        }
    }
}

fn leading_blank_lines(text: &str) -> usize {
    let trimmed = text.trim_start_matches(['\r', '\n']);
    text[..text.len() - trimmed.len()].matches('\n').count()
}

/// Parses one record from the start of `text`, skipping blank lines before
/// it. Returns the fields, the bytes used and the line breaks passed.
fn parse(text: &str, delimiter: char, at_end: bool, first_line: usize) -> Result<Parsed> {
    let start = text.len() - text.trim_start_matches(['\r', '\n']).len();
    if start == text.len() {
        return Ok(Parsed::End);
    }
    let record_line = first_line + text[..start].matches('\n').count();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut quote_line = 0;
    let mut lines = text[..start].matches('\n').count();
    let mut chars = text[start..].char_indices().peekable();
    let cell_too_long = |line: usize| {
        Error::File(format!(
            "line {line}: a cell is longer than {} KiB; this does not look like a contact list",
            MAX_CELL / 1024
        ))
    };
    while let Some((i, c)) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek().map(|p| p.1) == Some('"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                if c == '\n' {
                    lines += 1;
                }
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
            quote_line = first_line + lines;
        } else if c == delimiter {
            fields.push(std::mem::take(&mut field));
            if fields.len() >= MAX_COLUMNS {
                return Err(Error::File(format!(
                    "line {record_line}: more than {MAX_COLUMNS} columns; this does not look like a contact list"
                )));
            }
        } else if c == '\n' || c == '\r' {
            let mut end = start + i + 1;
            if c == '\r' {
                match chars.peek() {
                    Some((_, '\n')) => end += 1,
                    None if !at_end => return Ok(Parsed::NeedMore),
                    _ => {}
                }
            }
            fields.push(field);
            return Ok(Parsed::Record(fields, end, lines + 1));
        } else {
            field.push(c);
        }
        if field.len() > MAX_CELL {
            return Err(cell_too_long(first_line + lines));
        }
    }
    if !at_end {
        return Ok(Parsed::NeedMore);
    }
    if quoted {
        return Err(Error::File(format!(
            "line {quote_line}: a quote opens a cell that never closes; the file is cut short \
             or its quotes are unbalanced"
        )));
    }
    fields.push(field);
    Ok(Parsed::Record(fields, text.len(), lines))
}

/// The delimiter of a text's first lines: the one of tab, semicolon and
/// comma that splits the most lines into the same number of cells (more
/// than one). Quoted text is not counted.
pub fn detect_delimiter(sample: &str) -> char {
    let lines: Vec<&str> = sample
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (',', 0usize, 0usize);
    for candidate in ['\t', ';', ','] {
        let counts: Vec<usize> = lines
            .iter()
            .map(|line| {
                let mut quoted = false;
                line.chars()
                    .filter(|&c| {
                        if c == '"' {
                            quoted = !quoted;
                        }
                        c == candidate && !quoted
                    })
                    .count()
            })
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let consistent = counts.iter().filter(|&&n| n == first).count();
        // Lines that agree with the first, then how many cells they make.
        if first > 0 && (consistent, first) > (best.1, best.2) {
            best = (candidate, consistent, first);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::text::{detect, TextStream};

    fn read(text: &str, delimiter: char) -> Result<Vec<Record>> {
        let bytes = text.as_bytes();
        let stream = TextStream::new(bytes, detect(bytes, true)?);
        let mut reader = CsvReader::new(stream, delimiter);
        let mut out = Vec::new();
        while let Some(r) = reader.next_record()? {
            out.push(r);
        }
        Ok(out)
    }

    fn fields(records: &[Record]) -> Vec<Vec<&str>> {
        records
            .iter()
            .map(|r| r.fields.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn quotes_line_breaks_and_blank_lines() {
        let r = read(
            "name,note\r\n\"Иванов, Иван\",\"said \"\"yes\"\"\nthen left\"\r\n\r\nTom,plain\n",
            ',',
        )
        .expect("ok");
        assert_eq!(
            fields(&r),
            vec![
                vec!["name", "note"],
                vec!["Иванов, Иван", "said \"yes\"\nthen left"],
                vec!["Tom", "plain"]
            ]
        );
        assert_eq!(r.iter().map(|r| r.line).collect::<Vec<_>>(), vec![1, 2, 5]);
    }

    #[test]
    fn a_last_line_without_a_break_and_empty_cells() {
        let r = read("a;;c\n;b;", ';').expect("ok");
        assert_eq!(fields(&r), vec![vec!["a", "", "c"], vec!["", "b", ""]]);
    }

    #[test]
    fn records_span_chunk_boundaries() {
        let row = "\"Жұмабаев Ерлан\",\"+7 701 000 00 00\"\n";
        let r = read(&row.repeat(5000), ',').expect("ok");
        assert_eq!(r.len(), 5000);
        assert!(r
            .iter()
            .all(|r| r.fields == ["Жұмабаев Ерлан", "+7 701 000 00 00"]));
    }

    #[test]
    fn broken_files_name_the_line() {
        let err = |t: &str| read(t, ',').expect_err("an error").to_string();
        assert!(err("a,b\nc,\"open\nd,e\n").contains("line 2: a quote opens"));
        let wide = "x,".repeat(10_000);
        assert!(err(&wide).contains("more than 1000 columns"));
        let big = format!("a,b\nc,{}\n", "x".repeat(1 << 20));
        assert!(err(&big).contains("line 2: a cell is longer than 64 KiB"));
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter("a;b;c\n1;2;3\n"), ';');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), '\t');
        assert_eq!(detect_delimiter("\"a;b\",c\n\"1;2\",3\n"), ',');
        assert_eq!(
            detect_delimiter("ФИО,Телефон\nИванов Иван; Петров,+7\n"),
            ','
        );
        assert_eq!(detect_delimiter("single\ncolumn\n"), ',');
    }
}
