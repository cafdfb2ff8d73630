//! How a brand's case list is ordered (`sort`) and its keyset cursor, which names the sort it
//! belongs to, so a cursor of one order is never read as a position in another.

use crate::case::Status;
use crate::ids::CaseId;
use crate::reasons::Reason;
use crate::store::Value;
use crate::{Error, Result};
use serde::Deserialize;

/// What the list is ordered by. Ties are broken by the case id, in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Created,
    Updated,
    /// When the running deadline falls; cases without one come last either way.
    Deadline,
    /// The status's code (`appealed` … `withdrawn`): cases of one status together.
    Status,
}

/// A sort as the `sort` parameter writes it: its key, and `-` in front for descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for CaseSort {
    /// Newest first.
    fn default() -> Self {
        CaseSort {
            key: SortKey::Created,
            descending: true,
        }
    }
}

/// A deadline-ordered list puts cases without a deadline last: ascending, they take this key
/// (2^53 − 1: still exact once D1 binds it as a REAL), descending they take 0.
pub const NO_DEADLINE_ASC: i64 = 9_007_199_254_740_991;
pub const NO_DEADLINE_DESC: i64 = 0;

impl CaseSort {
    pub const ALL: [CaseSort; 8] = [
        CaseSort::new(SortKey::Created, true),
        CaseSort::new(SortKey::Created, false),
        CaseSort::new(SortKey::Updated, true),
        CaseSort::new(SortKey::Updated, false),
        CaseSort::new(SortKey::Deadline, false),
        CaseSort::new(SortKey::Deadline, true),
        CaseSort::new(SortKey::Status, false),
        CaseSort::new(SortKey::Status, true),
    ];

    pub const fn new(key: SortKey, descending: bool) -> Self {
        CaseSort { key, descending }
    }

    /// `created`, `-created`, `updated`, … as the `sort` parameter writes it.
    pub fn as_str(self) -> &'static str {
        match (self.key, self.descending) {
            (SortKey::Created, false) => "created",
            (SortKey::Created, true) => "-created",
            (SortKey::Updated, false) => "updated",
            (SortKey::Updated, true) => "-updated",
            (SortKey::Deadline, false) => "deadline",
            (SortKey::Deadline, true) => "-deadline",
            (SortKey::Status, false) => "status",
            (SortKey::Status, true) => "-status",
        }
    }

    /// The `sort` parameter; empty or missing is the default (newest first).
    pub fn parse(raw: Option<&str>) -> Result<Self> {
        let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(CaseSort::default());
        };
        CaseSort::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Error::invalid("sort", Reason::SortCodes))
    }

    /// The same key the other way round (what a column's header does when clicked again).
    pub fn reversed(self) -> Self {
        CaseSort::new(self.key, !self.descending)
    }

    /// The bounds a first page starts after: beyond every key in the list's direction (a key of
    /// the wrong type would compare across types, so each key type has its own).
    pub(crate) fn start(self) -> (Value, Value) {
        match (self.key, self.descending) {
            (SortKey::Status, false) => (Value::Text(String::new()), Value::Text(String::new())),
            // Status codes and ids are lowercase ASCII, all below `~`.
            (SortKey::Status, true) => ("~".into(), "~".into()),
            (_, false) => (Value::Int(-1), Value::Text(String::new())),
            (_, true) => (Value::Int(NO_DEADLINE_ASC + 1), "~".into()),
        }
    }
}

/// A sort key's value as a page's last row holds it (the statement selects it as `sort_key`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyValue {
    Int(i64),
    Text(String),
}

/// Where the next page starts: after this key and id, in this sort. Written as
/// `{sort}.{key}.{id}` (`-deadline.1790000000000.3f0c…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCursor {
    pub sort: CaseSort,
    pub key: KeyValue,
    pub id: CaseId,
}

impl CaseCursor {
    pub fn encode(&self) -> String {
        let key = match &self.key {
            KeyValue::Int(n) => n.to_string(),
            KeyValue::Text(t) => t.clone(),
        };
        format!("{}.{key}.{}", self.sort.as_str(), self.id)
    }

    /// A cursor this API gave out for `sort`; one of another sort is refused (it marks a place
    /// in a different order).
    pub fn parse(raw: &str, sort: CaseSort) -> Result<Self> {
        let bad = || Error::invalid("cursor", "is not a cursor this API gave out");
        let mut parts = raw.splitn(3, '.');
        let (Some(given), Some(key), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let given = CaseSort::parse(Some(given)).map_err(|_| bad())?;
        if given != sort {
            return Err(Error::invalid("cursor", Reason::CursorOtherSort));
        }
        let key = match sort.key {
            SortKey::Status => {
                KeyValue::Text(Status::parse(key).map_err(|_| bad())?.as_str().to_owned())
            }
            _ => KeyValue::Int(key.parse().map_err(|_| bad())?),
        };
        let id = CaseId::parse(id).map_err(|_| bad())?;
        Ok(CaseCursor { sort, key, id })
    }

    /// The bounds the page's statement reads after (`?9`, `?10`).
    pub(crate) fn bounds(&self) -> (Value, Value) {
        let key = match &self.key {
            KeyValue::Int(n) => Value::Int(*n),
            KeyValue::Text(t) => Value::Text(t.clone()),
        };
        (key, self.id.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sort_reads_back_and_a_cursor_keeps_its_sort() {
        for sort in CaseSort::ALL {
            assert_eq!(CaseSort::parse(Some(sort.as_str())).unwrap(), sort);
            assert_eq!(sort.reversed().reversed(), sort);
        }
        assert_eq!(CaseSort::parse(None).unwrap(), CaseSort::default());
        assert_eq!(CaseSort::parse(Some("")).unwrap().as_str(), "-created");
        let bad = CaseSort::parse(Some("title")).unwrap_err();
        assert_eq!(bad.status(), 400);
        assert!(format!("{bad:?}").contains("sort"));

        let id = CaseId(uuid::Uuid::from_u128(7));
        let c = CaseCursor {
            sort: CaseSort::new(SortKey::Deadline, false),
            key: KeyValue::Int(NO_DEADLINE_ASC),
            id,
        };
        let raw = c.encode();
        assert_eq!(CaseCursor::parse(&raw, c.sort).unwrap(), c);
        assert!(CaseCursor::parse(&raw, c.sort.reversed()).is_err());
        let s = CaseCursor {
            sort: CaseSort::new(SortKey::Status, true),
            key: KeyValue::Text("awaiting_brand".into()),
            id,
        };
        assert_eq!(CaseCursor::parse(&s.encode(), s.sort).unwrap(), s);
        assert!(CaseCursor::parse(&format!("-status.lost.{id}"), s.sort).is_err());
        assert!(CaseCursor::parse("garbage", CaseSort::default()).is_err());
    }
}
