//! The storage seam: a minimal SQL executor that D1 (in the worker) and SQLite (in native tests)
//! both implement, so the statements in `sql` run unchanged on both.
//!
//! Past one database (`docs/SCALE.md`), each brand's cases live in its group's database: a use
//! case scoped to one brand keeps its one `Db`; the reads across brands listed there fan out.

use crate::{Error, Result};
use serde::de::DeserializeOwned;

/// A value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(v as i64)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
macro_rules! display_value {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::Text(v.to_string())
            }
        }
    )*};
}
display_value!(
    crate::ids::BrandId,
    crate::ids::UserId,
    crate::ids::InvitationId,
    crate::ids::IpRightId,
    crate::ids::CaseId,
    crate::ids::FileId,
    crate::ids::ActionId
);

/// One SQL statement with its parameters (`?1`, `?2`, … in order).
#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub sql: &'static str,
    pub params: Vec<Value>,
}

impl Stmt {
    pub fn new(sql: &'static str, params: Vec<Value>) -> Self {
        Stmt { sql, params }
    }
}

/// A row read generically (checks and tests that look at any column): column name → JSON value.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// The rows of one statement as a store hands them over: one JSON array of objects, column name
/// → value, decoded straight into the type its reader names. Not first into `Row`s: building a
/// map per row and then the reader's type from it took three times as long as one typed pass
/// (26 rows of a case list's page, native: 133 µs against 42 µs), and reading rows is a large
/// part of the Worker's work for a read.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows(String);

impl Rows {
    /// The rows an executor read, as a JSON array of objects.
    pub fn from_json(text: String) -> Self {
        Rows(text)
    }

    /// No rows.
    pub fn none() -> Self {
        Rows("[]".into())
    }

    /// Whether the statement read no row.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.decode::<serde::de::IgnoredAny>()?.is_empty())
    }

    /// Each row as a `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<Vec<T>> {
        serde_json::from_str(&self.0).map_err(|e| Error::internal_from("row decode", e))
    }

    /// The first row as a `T`, if there is one.
    pub fn first<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        Ok(self.decode::<T>()?.into_iter().next())
    }
}

/// Executes statements. `batch` is atomic: all statements apply, or none.
/// Implementations map the constraints of `constraint_error` to `Error::Conflict` and anything
/// else to `Error::Internal` (whose cause chain is logged, never sent).
#[allow(async_fn_in_trait)]
pub trait Db {
    async fn all(&self, stmt: Stmt) -> Result<Rows>;
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()>;
    /// Runs one writing statement and returns how many rows it changed, so a caller can tell
    /// whether its `INSERT … ON CONFLICT DO NOTHING` won a race (1) or lost it (0).
    async fn execute(&self, stmt: Stmt) -> Result<u64>;
    /// The rows of each statement, in one round trip where the store can (D1 runs them as one
    /// batch), one after the other where it need not (SQLite in the tests). For statements that
    /// are right whichever way they run: reads, and writes that decide by their own rows (an
    /// `INSERT … ON CONFLICT DO NOTHING RETURNING`).
    async fn all_of(&self, stmts: Vec<Stmt>) -> Result<Vec<Rows>> {
        let mut out = Vec::with_capacity(stmts.len());
        for stmt in stmts {
            out.push(self.all(stmt).await?);
        }
        Ok(out)
    }
    /// `writes` as one atomic batch, then the rows of each of `reads` as they read after it: one
    /// round trip where the store can (D1 runs them all as one batch, which fails whole if a
    /// write fails), two where it need not (SQLite in the tests).
    async fn write_then_read(&self, writes: Vec<Stmt>, reads: Vec<Stmt>) -> Result<Vec<Rows>> {
        self.batch(writes).await?;
        self.all_of(reads).await
    }
}

/// A borrowed store is a store: an export owns its store, the Worker's outright, a test's by reference.
impl<T: Db + ?Sized> Db for &T {
    async fn all(&self, stmt: Stmt) -> Result<Rows> {
        (**self).all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        (**self).batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> Result<u64> {
        (**self).execute(stmt).await
    }
    async fn all_of(&self, stmts: Vec<Stmt>) -> Result<Vec<Rows>> {
        (**self).all_of(stmts).await
    }
    async fn write_then_read(&self, writes: Vec<Stmt>, reads: Vec<Stmt>) -> Result<Vec<Rows>> {
        (**self).write_then_read(writes, reads).await
    }
}

/// Message every executor uses for a failed UNIQUE constraint.
pub const UNIQUE_CONFLICT: &str =
    "this conflicts with a change made at the same time; please retry";

/// The named CHECK a batch trips when a one-time link stopped working between reading it and
/// writing (migration 0007), and the refusal it becomes.
pub const LINK_GONE_CHECK: &str = "link_still_live";
pub const LINK_GONE: &str = "This link no longer works.";

/// The domain's error for a database failure's text, when it is a constraint the domain relies
/// on (one rule for every executor); None for anything else, which is internal.
pub fn constraint_error(text: &str) -> Option<Error> {
    if text.contains("UNIQUE constraint failed") {
        Some(Error::Conflict(UNIQUE_CONFLICT.into()))
    } else if text.contains(LINK_GONE_CHECK) {
        Some(Error::Conflict(LINK_GONE.into()))
    } else {
        None
    }
}

/// What D1 says when a failure passes and the same statement may simply be tried again
/// (Cloudflare's list of D1 errors whose recommended action is to retry): its database object
/// restarting or overloaded, or the network to it lost. Matched without regard to case.
const TRANSIENT: &[&str] = &[
    "network connection lost",
    "reset because its code was updated",
    "storage caused object to be reset",
    "exceeded timeout which caused object to be reset",
    "storage operation exceeded timeout",
    "exceeded its memory limit and was reset",
    "exceeded its cpu time limit and was reset",
    "is overloaded",
    "transient issue on remote node",
    "client disconnected",
    "please retry",
    "d1_error: internal error",
    // workerd's own answer for a failure inside the runtime, with its log reference.
    "internal error; reference =",
];

/// Whether a database failure's text is one that passes (answered 503 with Retry-After, not
/// 500): one rule for every executor.
pub fn is_transient(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    TRANSIENT.iter().any(|t| text.contains(t))
}

/// A row read generically, as a `T`.
pub fn decode<T: DeserializeOwned>(row: Row) -> Result<T> {
    serde_json::from_value(serde_json::Value::Object(row))
        .map_err(|e| Error::internal_from("row decode", e))
}

/// The rows of one statement of an `all_of`, decoded (none when the part is missing).
pub fn decode_rows<T: DeserializeOwned>(rows: Option<Rows>) -> Result<Vec<T>> {
    rows.map_or(Ok(Vec::new()), |r| r.decode())
}

pub async fn query<T: DeserializeOwned>(db: &impl Db, stmt: Stmt) -> Result<Vec<T>> {
    db.all(stmt).await?.decode()
}

pub async fn query_one<T: DeserializeOwned>(db: &impl Db, stmt: Stmt) -> Result<Option<T>> {
    db.all(stmt).await?.first()
}

/// Reads an INTEGER 0/1 column as a bool.
pub fn int_bool<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    let v: i64 = serde::Deserialize::deserialize(d)?;
    Ok(v != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passing_d1_failures_are_told_from_lasting_ones() {
        for passing in [
            "D1_ERROR: Network connection lost.",
            "D1_ERROR: D1 DB reset because its code was updated.",
            "D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.",
            "D1_ERROR: D1 DB storage operation exceeded timeout which caused object to be reset.",
            "D1_ERROR: D1 DB is overloaded. Requests queued for too long.",
            "D1_ERROR: D1 DB is overloaded. Too many requests queued.",
            "D1_ERROR: D1 DB's isolate exceeded its memory limit and was reset.",
            "D1_ERROR: D1 DB exceeded its CPU time limit and was reset.",
            "D1_ERROR: Cannot resolve D1 DB due to transient issue on remote node.",
            "D1_ERROR: Can't read from request stream because client disconnected.",
            "D1_ERROR: internal error",
            "Error: D1_ERROR: The database is busy. Please retry.",
            "internal error; reference = 0123456789abcdef",
        ] {
            assert!(is_transient(passing), "{passing}");
            // Each is still no constraint the domain relies on.
            assert_eq!(constraint_error(passing), None, "{passing}");
        }
        for lasting in [
            "D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT",
            "D1_ERROR: no such table: cases: SQLITE_ERROR",
            "D1_ERROR: near \"SELEC\": syntax error at offset 0: SQLITE_ERROR",
            "D1_ERROR: Exceeded maximum DB size",
            "D1_ERROR: too many SQL variables at offset 393: SQLITE_ERROR",
            "D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'",
            "D1_COLUMN_NOTFOUND",
        ] {
            assert!(!is_transient(lasting), "{lasting}");
        }
    }
}
