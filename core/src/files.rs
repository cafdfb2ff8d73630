//! Uploaded files (evidence, certificates): what types are accepted, judged by content, not name,
//! and the limits on them.

use crate::{Error, Result};
use sha2::{Digest, Sha256};

pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_EVIDENCE_FILES: usize = 5;

/// The content type a file really has, from its first bytes; `None` when it is not one we take.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// An accepted upload, ready to store under its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub name: String,
    pub content_type: &'static str,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

impl StoredFile {
    /// Checks size (413) and real type (415); the name is kept only for display.
    pub fn accept(name: &str, bytes: Vec<u8>) -> Result<Self> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(Error::PayloadTooLarge);
        }
        let content_type = sniff(&bytes).ok_or(Error::UnsupportedMediaType(
            "PNG, JPEG, WebP or PDF files".into(),
        ))?;
        let name: String = name
            .chars()
            .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
            .take(200)
            .collect();
        let sha256 = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(StoredFile {
            name: if name.is_empty() { "file".into() } else { name },
            content_type,
            sha256,
            bytes,
        })
    }

    /// Files live in KV under their brand, so a key can never reach another brand's file.
    pub fn key(&self, brand_id: crate::ids::BrandId) -> String {
        file_key(brand_id, &self.sha256)
    }
}

pub fn file_key(brand_id: crate::ids::BrandId, sha256: &str) -> String {
    format!("files/{brand_id}/{sha256}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"just text pretending.png"), None);
        assert_eq!(
            StoredFile::accept("photo.png", b"plain text".to_vec())
                .unwrap_err()
                .status(),
            415
        );
        assert_eq!(
            StoredFile::accept("big.pdf", vec![b'%'; MAX_FILE_BYTES + 1])
                .unwrap_err()
                .status(),
            413
        );
        let ok = StoredFile::accept("../evil/name.pdf", b"%PDF-1.4 x".to_vec()).unwrap();
        assert_eq!(ok.name, "..evilname.pdf");
        assert_eq!(ok.sha256.len(), 64);
    }
}
