//! CSV in and out: a strict RFC 4180 reader for bulk reports (quoted fields, quoted newlines, a
//! UTF-8 BOM) and a writer that neutralises spreadsheet formulas in exports.

use crate::reasons::Reason;
use crate::{Error, Result};

/// One record and the line of the file it starts on (the first line is 1).
pub type Record = (usize, Vec<String>);

pub fn parse(bytes: &[u8]) -> Result<Vec<Record>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Error::invalid("file", Reason::FileNotUtf8 { line })
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => in_quotes = true,
            '"' => {
                return Err(Error::invalid(
                    "file",
                    format!("line {line}: a quote inside an unquoted field"),
                ))
            }
            ',' => fields.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                if !(fields.len() == 1 && fields[0].is_empty()) {
                    records.push((record_line, std::mem::take(&mut fields)));
                }
                fields.clear();
                line += 1;
                record_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(Error::invalid(
            "file",
            format!("line {record_line}: a quoted field is never closed"),
        ));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((record_line, fields));
    }
    Ok(records)
}

/// A cell safe to open in a spreadsheet: text that starts like a formula is prefixed with `'`.
pub fn cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

pub fn row(cells: &[&str]) -> String {
    let mut out = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_newlines_and_a_bom() {
        let file = "\u{feff}listing,statement\r\nMKT-1,\"Logo is wrong, \"\"Aurelia\"\" misspelt\nsee photo\"\r\nMKT-2,plain\n\n";
        let records = parse(file.as_bytes()).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(
            records[0],
            (1, vec!["listing".to_owned(), "statement".to_owned()])
        );
        assert_eq!(
            records[1].1[1],
            "Logo is wrong, \"Aurelia\" misspelt\nsee photo"
        );
        assert_eq!(
            records[2].0, 4,
            "the record after a quoted newline starts on line 4"
        );
    }

    #[test]
    fn refuses_broken_files_with_the_line() {
        let err = parse(b"a,b\nMKT-1,\"never closed\n").unwrap_err();
        assert!(
            err.public_message().contains("line 2"),
            "{}",
            err.public_message()
        );
        let err = parse(b"a,b\nok,fine\n\xff\xfe bad").unwrap_err();
        assert!(err.public_message().contains("UTF-8") && err.public_message().contains("line 3"));
        assert!(parse(b"a,b\nx\"y,z\n").is_err());
    }

    #[test]
    fn exports_neutralise_formulas() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Bag, red"), "\"Bag, red\"");
        assert_eq!(row(&["a", "=b"]), "a,'=b\r\n");
    }
}
