//! A small multipart/form-data reader (RFC 7578) for uploads: fields and files by name.

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The boundary from a `multipart/form-data; boundary=…` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    let essence = parts.next()?.trim().to_ascii_lowercase();
    if essence != "multipart/form-data" {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (from..=haystack.len() - needle.len()).find(|&i| &haystack[i..i + needle.len()] == needle)
}

fn header_param(header: &str, name: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

pub fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>> {
    let bad = || Error::invalid("body", "is not valid multipart/form-data");
    let delimiter = format!("--{boundary}");
    let mut pos = find(body, delimiter.as_bytes(), 0).ok_or_else(bad)? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err(bad());
        }
        pos += 2;
        let headers_end = find(body, b"\r\n\r\n", pos).ok_or_else(bad)?;
        let headers = std::str::from_utf8(&body[pos..headers_end]).map_err(|_| bad())?;
        let data_start = headers_end + 4;
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), data_start).ok_or_else(bad)?;
        let mut part = Part {
            name: String::new(),
            filename: None,
            content_type: None,
            data: body[data_start..next].to_vec(),
        };
        for line in headers.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                part.name = header_param(value, "name").unwrap_or_default();
                part.filename = header_param(value, "filename");
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_owned());
            }
        }
        if part.name.is_empty() {
            return Err(bad());
        }
        parts.push(part);
        pos = next + 2 + delimiter.len();
    }
}

/// The text of a field, if present (UTF-8 required).
pub fn field(parts: &[Part], name: &str) -> Result<Option<String>> {
    match parts
        .iter()
        .find(|p| p.name == name && p.filename.is_none())
    {
        None => Ok(None),
        Some(p) => String::from_utf8(p.data.clone())
            .map(Some)
            .map_err(|_| Error::invalid(name, "must be UTF-8 text")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"statement\"\r\n\r\nFake bag, logo wrong\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\x00\r\n--XyZ--\r\n";
        let b = boundary("multipart/form-data; boundary=XyZ").unwrap();
        let parts = parse(body, &b).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            field(&parts, "statement").unwrap().as_deref(),
            Some("Fake bag, logo wrong")
        );
        assert_eq!(parts[1].filename.as_deref(), Some("a.png"));
        assert_eq!(parts[1].data, b"\x89PNG\r\n\x1a\n\x00");
        assert!(boundary("application/json").is_none());
        assert!(parse(b"garbage", "XyZ").is_err());
    }
}
