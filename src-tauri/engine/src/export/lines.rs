//! Content lines as vCard (RFC 6350 §3.2) and iCalendar (RFC 5545 §3.1)
//! share them: `NAME;PARAMS:value`, text escaped, lines folded at 75
//! octets without splitting a character, CRLF endings.

use std::io::Write;

use crate::error::Result;

/// Escapes a TEXT value: backslash, comma, semicolon and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            // CR and other control characters have no place in a content
            // line (RFC 5545 §3.3.11, RFC 6350 §3.3): dropped.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line (`head` is the name and parameters, `value`
/// already escaped), folded.
pub fn line(out: &mut dyn Write, head: &str, value: &str) -> Result<()> {
    let whole = format!("{head}:{value}");
    let mut width = 0;
    let mut folded = String::with_capacity(whole.len() + whole.len() / 70 * 3);
    for c in whole.chars() {
        let n = c.len_utf8();
        // 75 octets per line; a continuation line's leading space counts.
        if width + n > 75 {
            folded.push_str("\r\n ");
            width = 1;
        }
        folded.push(c);
        width += n;
    }
    folded.push_str("\r\n");
    out.write_all(folded.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_between_characters() {
        let mut out = Vec::new();
        line(&mut out, "NOTE", &escape(&"Жұмабаев, ".repeat(10))).expect("write");
        let text = String::from_utf8(out).expect("utf-8 intact");
        assert!(text.lines().all(|l| l.len() <= 75));
        let unfolded = text.replace("\r\n ", "");
        assert_eq!(unfolded, format!("NOTE:{}\r\n", "Жұмабаев\\, ".repeat(10)));
    }
}
