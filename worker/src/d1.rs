//! D1 behind the domain's `Db` trait: the same statements the native tests run on SQLite.

use jf_core::error::CauseText;
use jf_core::store::{constraint_error, is_transient, Db, Row, Stmt, Value};
use jf_core::{Error, Result};
use wasm_bindgen::JsValue;
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

/// What an internal D1 error says it was doing: the statement, on one line.
fn context(sql: &str) -> String {
    format!(
        "D1 [{}]",
        sql.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

impl Db for D1 {
    async fn all(&self, stmt: Stmt) -> Result<Vec<Row>> {
        let result = bind(&self.0, &stmt)?
            .all()
            .await
            .map_err(|e| failure(stmt.sql, e))?;
        if let Some(err) = result.error() {
            return Err(classify(stmt.sql, CauseText(err)));
        }
        result.results::<Row>().map_err(|e| failure(stmt.sql, e))
    }

    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        let first = stmts.first().map_or("", |s| s.sql);
        let prepared = stmts
            .iter()
            .map(|s| bind(&self.0, s))
            .collect::<Result<Vec<_>>>()?;
        self.0
            .batch(prepared)
            .await
            .map_err(|e| failure(first, e))?;
        Ok(())
    }

    /// One batch, one round trip: each statement's rows.
    async fn all_of(&self, stmts: Vec<Stmt>) -> Result<Vec<Vec<Row>>> {
        let first = stmts.first().map_or("", |s| s.sql);
        let prepared = stmts
            .iter()
            .map(|s| bind(&self.0, s))
            .collect::<Result<Vec<_>>>()?;
        let results = self
            .0
            .batch(prepared)
            .await
            .map_err(|e| failure(first, e))?;
        stmts
            .iter()
            .zip(results)
            .map(|(stmt, result)| {
                if let Some(err) = result.error() {
                    return Err(classify(stmt.sql, CauseText(err)));
                }
                result.results::<Row>().map_err(|e| failure(stmt.sql, e))
            })
            .collect()
    }

    /// One batch: the writes, then the reads, whose rows see the writes.
    async fn write_then_read(&self, writes: Vec<Stmt>, reads: Vec<Stmt>) -> Result<Vec<Vec<Row>>> {
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
