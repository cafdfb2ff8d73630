//! D1 behind the domain's `Db` trait: the same statements the native tests run on SQLite.

use jf_core::error::CauseText;
use jf_core::store::{constraint_error, is_transient, Db, Rows, Stmt, Value};
use jf_core::{Error, Result};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use worker::js_sys::{self, Array};
use worker::wasm_bindgen_futures::JsFuture;
use worker::worker_sys::D1Database as D1DatabaseSys;
use worker::{D1Database, D1PreparedStatement};

pub struct D1(pub D1Database);

fn bind(db: &D1Database, stmt: &Stmt) -> Result<D1PreparedStatement> {
    let params: Vec<JsValue> = stmt
        .params
        .iter()
        .map(|v| match v {
            Value::Null => JsValue::NULL,
            // Ids are TEXT and times are milliseconds: both exact in a JS number.
            Value::Int(i) => JsValue::from_f64(*i as f64),
            Value::Text(s) => JsValue::from_str(s),
        })
        .collect();
    db.prepare(stmt.sql)
        .bind(&params)
        .map_err(|e| failure(stmt.sql, e))
}

fn failure(sql: &str, e: worker::Error) -> Error {
    classify(sql, CauseText::of(&e))
}

/// A D1 failure as the domain's error: a constraint the domain relies on, a failure that passes
/// (503 with Retry-After: the client may simply try again), or an internal error.
fn classify(sql: &str, cause: CauseText) -> Error {
    if let Some(e) = constraint_error(&cause.0) {
        e
    } else if is_transient(&cause.0) {
        Error::unavailable_from(context(sql), cause)
    } else {
        Error::internal_from(context(sql), cause)
    }
}

/// A rejection from D1's JavaScript API, read as `worker` reads one (its message, then its
/// cause's, where D1 puts the SQLite error).
fn rejected(sql: &str, e: JsValue) -> Error {
    let text = match e.dyn_ref::<js_sys::Error>() {
        Some(err) => {
            let message = String::from(err.message());
            match err.cause().dyn_ref::<js_sys::Error>() {
                Some(cause) => format!("{message}: {}", String::from(cause.message())),
                None => message,
            }
        }
        None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    };
    classify(sql, CauseText(text))
}

// Each statement's outcome in a batch, as one text for one crossing into wasm: its rows (a
// JSON array), `null` (no rows), or its error (`{"error": …}`), separated by NUL, which no
// JSON text holds unescaped. Each statement's rows are thus found without scanning them, and
// the outcome's metadata is never stringified.
#[wasm_bindgen(inline_js = r#"
export function statement_outcomes(outcomes) {
  return outcomes
    .map((o) => JSON.stringify(o.error == null ? (o.results ?? null) : { error: String(o.error) }))
    .join("\0");
}"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn statement_outcomes(outcomes: &JsValue) -> std::result::Result<String, JsValue>;
}

#[derive(serde::Deserialize)]
struct Failed {
    error: String,
}

/// The rows of each statement's result (`outcomes`: D1's array of results), read as one text
/// (`statement_outcomes`). `D1Result::results` reads rows with `serde_wasm_bindgen`, one
/// crossing from JavaScript into wasm per column of every row; `JSON.stringify` and serde_json
/// in wasm read the same rows, and took a case list's first page from 14.3 to 12.0 ms (p50, the
/// same requests on both builds in turn, a million cases). One crossing for the batch instead
/// of four per statement took 2–8% more off a read of two to five statements; each statement's
/// text cut apart at its NUL, rather than found by parsing the whole, 1–3% more off reads and
/// confirms.
fn rows_of(stmts: &[Stmt], outcomes: &JsValue) -> Result<Vec<Rows>> {
    let first = stmts.first().map_or("", |s| s.sql);
    let text = statement_outcomes(outcomes).map_err(|e| rejected(first, e))?;
    let parts: Vec<&str> = if text.is_empty() {
        Vec::new()
    } else {
        text.split('\0').collect()
    };
    if parts.len() != stmts.len() {
        return Err(Error::internal(format!(
            "{}: {} results for {} statements",
            context(first),
            parts.len(),
            stmts.len()
        )));
    }
    stmts
        .iter()
        .zip(parts)
        .map(|(stmt, part)| match part.as_bytes().first() {
            Some(b'[') => Ok(Rows::from_json(part.to_owned())),
            Some(b'{') => {
                let failed: Failed = serde_json::from_str(part)
                    .map_err(|e| Error::internal(format!("{}: {e}", context(stmt.sql))))?;
                Err(classify(stmt.sql, CauseText(failed.error)))
            }
            _ => Ok(Rows::none()),
        })
        .collect()
}

impl D1 {
    /// Runs the statements as one batch and reads each one's rows (`rows_of`).
    async fn batch_rows(&self, stmts: &[Stmt]) -> Result<Vec<Rows>> {
        let first = stmts.first().map_or("", |s| s.sql);
        let prepared = stmts
            .iter()
            .map(|s| bind(&self.0, s).map(|p| JsValue::from(p.inner().clone())))
            .collect::<Result<Array>>()?;
        let db: &D1DatabaseSys = self.0.as_ref().unchecked_ref();
        let promise = db.batch(prepared).map_err(|e| rejected(first, e))?;
        let results = JsFuture::from(promise)
            .await
            .map_err(|e| rejected(first, e))?;
        rows_of(stmts, &results)
    }
}

/// What an internal D1 error says it was doing: the statement, on one line.
fn context(sql: &str) -> String {
    format!(
        "D1 [{}]",
        sql.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

impl Db for D1 {
    async fn all(&self, stmt: Stmt) -> Result<Rows> {
        let prepared = bind(&self.0, &stmt)?;
        let promise = prepared.inner().all().map_err(|e| rejected(stmt.sql, e))?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|e| rejected(stmt.sql, e))?;
        let mut rows = rows_of(std::slice::from_ref(&stmt), &Array::of1(&result))?;
        Ok(rows.pop().unwrap_or_else(Rows::none))
    }

    /// Writes go the reads' way, so that every batch's refusal is read one way (`rejected`).
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        self.batch_rows(&stmts).await.map(drop)
    }

    /// One batch, one round trip: each statement's rows.
    async fn all_of(&self, stmts: Vec<Stmt>) -> Result<Vec<Rows>> {
        self.batch_rows(&stmts).await
    }

    /// One batch: the writes, then the reads, whose rows see the writes.
    async fn write_then_read(&self, writes: Vec<Stmt>, reads: Vec<Stmt>) -> Result<Vec<Rows>> {
        let skip = writes.len();
        let mut stmts = writes;
        stmts.extend(reads);
        let mut rows = self.all_of(stmts).await?;
        Ok(rows.split_off(skip))
    }

    async fn execute(&self, stmt: Stmt) -> Result<u64> {
        let result = bind(&self.0, &stmt)?
            .run()
            .await
            .map_err(|e| failure(stmt.sql, e))?;
        if let Some(err) = result.error() {
            return Err(classify(stmt.sql, CauseText(err)));
        }
        // Without a count the caller cannot tell a first write from a repeat: refuse to guess.
        let changes = result
            .meta()
            .map_err(|e| failure(stmt.sql, e))?
            .and_then(|m| m.changes)
            .ok_or_else(|| Error::internal(format!("{}: no meta.changes", context(stmt.sql))))?;
        Ok(changes as u64)
    }
}
