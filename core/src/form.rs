//! A submitted multipart form's parts, as the platform's own parser (workerd's `FormData`) hands
//! them over: fields and files by name.

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    /// Set for a file part (possibly empty, when a file input was left empty).
    pub filename: Option<String>,
    pub data: Vec<u8>,
}

/// A text field by name; absent is `None`.
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
