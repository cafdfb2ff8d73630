//! The local mailbox: `wrangler dev`'s email binding stores each message's text in a file and
//! logs where; this reads wrangler's output, collects each message into the state directory's
//! `mailbox.jsonl` and shows it in the terminal. Other lines pass through, but for the
//! per-request log lines (which only the email lines' log level brings).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

/// What one "send_email binding called with MessageBuilder" log entry says.
#[derive(Default)]
struct Pending {
    to: Option<String>,
    subject: Option<String>,
    /// Lines read since the entry began: an entry without its `Text:` line is given up.
    lines: usize,
}

/// Longest a message's log entry runs (From, To, Cc, Bcc, Subject, a blank line, Text, HTML).
const ENTRY_LINES: usize = 10;

/// The value of a `label` line of the entry (at the line's start, so that a subject holding
/// "To: " is never read as the recipient).
fn after<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    line.trim_start().strip_prefix(label).map(str::trim)
}

fn strip_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // An SGR sequence: ESC [ … m.
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads wrangler's output until it ends.
/// `announce` prints each message's link (for `cargo xtask dev`; the tests' stack stays quiet).
///
/// It must never stop reading before wrangler ends: once the pipe's reading end is gone, the
/// next line wrangler writes fails (EPIPE) and wrangler dies of it. So a line that is not UTF-8
/// is read with replacement characters (`lines()` would have ended the loop at it), and a read
/// that fails is retried until the pipe ends.
pub fn watch(out: impl Read, mailbox: &Path, announce: bool) {
    let mut pending: Option<Pending> = None;
    let mut stdout = std::io::stdout();
    let mut reader = BufReader::new(out);
    let mut bytes = Vec::new();
    let mut failures = 0;
    loop {
        bytes.clear();
        match reader.read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => failures = 0,
            // A failing read gives up only when it keeps failing (the pipe is broken, not busy).
            Err(_) if failures < 100 => {
                failures += 1;
                continue;
            }
            Err(_) => break,
        }
        let text = String::from_utf8_lossy(&bytes);
        let line = text.trim_end_matches(['\n', '\r']);
        let plain = strip_colours(line);
        if plain.contains("send_email binding called with") {
            pending = Some(Pending::default());
            continue;
        }
        if let Some(p) = pending.as_mut() {
            p.lines += 1;
            if p.lines <= ENTRY_LINES {
                if let Some(v) = after(&plain, "To: ") {
                    p.to = Some(v.to_owned());
                } else if let Some(v) = after(&plain, "Subject: ") {
                    p.subject = Some(v.to_owned());
                } else if let Some(path) = after(&plain, "Text: ") {
                    let p = pending.take().unwrap_or_default();
                    deliver(mailbox, p, Path::new(path), announce);
                }
                continue;
            }
            // No `Text:` line came: the log changed shape. Give the entry up, keep the output.
            pending = None;
        }
        let request_log = plain.contains("[wrangler:info]")
            && ["GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD "]
                .iter()
                .any(|m| plain.contains(m));
        if !request_log {
            let _ = writeln!(stdout, "{line}");
        }
    }
}

fn deliver(mailbox: &Path, p: Pending, text_file: &Path, announce: bool) {
    let text = std::fs::read_to_string(text_file).unwrap_or_default();
    let to = p.to.unwrap_or_default();
    let subject = p.subject.unwrap_or_default();
    let entry = serde_json::json!({ "to": to, "subject": subject, "text": text });
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(mailbox)
    {
        let _ = writeln!(f, "{entry}");
    }
    if !announce {
        return;
    }
    let links: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .collect();
    println!(
        "xtask: email to {to}: {subject}\n       {}\n       (kept in {})",
        links.first().copied().unwrap_or("(no link)"),
        mailbox.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_a_logged_message_and_passes_other_lines() {
        let dir = std::env::temp_dir().join(format!("jf-mailbox-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = dir.join("m.txt");
        std::fs::write(&text, "Open https://x.test/invite/abc\n").unwrap();
        let mailbox = dir.join("mailbox.jsonl");
        let log = format!(
            "[wrangler:info] Ready\n\u{1b}[34msend_email binding called with MessageBuilder:\u{1b}[39m\n\
             From: no-reply@j.test\nTo: new@b.test\nSubject: Re To: Join Aurelia\n\nText: {}\n",
            text.display()
        );
        watch(log.as_bytes(), &mailbox, false);
        let saved: serde_json::Value =
            serde_json::from_str(std::fs::read_to_string(&mailbox).unwrap().trim()).unwrap();
        assert_eq!(saved["to"], "new@b.test");
        assert_eq!(
            saved["subject"], "Re To: Join Aurelia",
            "a subject is never a recipient"
        );
        assert_eq!(saved["text"], "Open https://x.test/invite/abc\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A line that is not UTF-8 does not end the reading: what comes after it is still read
    /// (wrangler dies of EPIPE once nobody reads its output).
    #[test]
    fn keeps_reading_past_a_line_that_is_not_utf8() {
        let dir = std::env::temp_dir().join(format!("jf-mailbox-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = dir.join("m.txt");
        std::fs::write(&text, "Open https://x.test/set-password/abc\n").unwrap();
        let mailbox = dir.join("mailbox.jsonl");
        let mut log = b"[wrangler:info] a log line with \xff\xfe bytes\r\n".to_vec();
        log.extend_from_slice(
            format!(
                "send_email binding called with MessageBuilder:\nTo: later@b.test\nSubject: Hi\nText: {}\n",
                text.display()
            )
            .as_bytes(),
        );
        watch(log.as_slice(), &mailbox, false);
        let saved: serde_json::Value =
            serde_json::from_str(std::fs::read_to_string(&mailbox).unwrap().trim()).unwrap();
        assert_eq!(saved["to"], "later@b.test");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
