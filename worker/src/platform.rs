//! The platform's clock and randomness, and the test-only clock control.

use jf_core::clock::{Clock, Entropy, Millis};
use jf_core::{Error, Result};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use worker::{Env, Request, Response};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]);
}

/// Web Crypto's CSPRNG.
pub struct WebCrypto;

impl Entropy for WebCrypto {
    fn fill(&self, buf: &mut [u8]) {
        // getRandomValues takes at most 65,536 bytes at a time.
        for chunk in buf.chunks_mut(65_536) {
            get_random_values(chunk);
        }
    }
}

/// Wall-clock time, shifted by an offset that only the test configuration can set.
pub struct WorkerClock {
    offset: Millis,
}

impl Clock for WorkerClock {
    fn now(&self) -> Millis {
        worker::Date::now().as_millis() as Millis + self.offset
    }
}

/// The KV binding that exists only in the test configuration (`wrangler.toml` `[env.test]`):
/// a deployed Worker has no such binding, so its clock cannot be moved.
const TEST_CLOCK_BINDING: &str = "TEST_CLOCK";
pub const TEST_CLOCK_PATH: &str = "/api/__test/clock";
pub const TEST_READ_PATH: &str = "/api/__test/read";
const OFFSET_KEY: &str = "offset_ms";

impl WorkerClock {
    pub async fn for_env(env: &Env) -> Result<Self> {
        let Ok(kv) = env.kv(TEST_CLOCK_BINDING) else {
            return Ok(WorkerClock { offset: 0 });
        };
        let offset = kv
            .get(OFFSET_KEY)
            .text()
            .await
            .map_err(|e| crate::reply::platform("test clock", e))?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Ok(WorkerClock { offset })
    }
}

/// `POST /api/__test/clock {"offset_ms": n}`: moves the domain clock (404 without the binding).
pub async fn test_clock(mut req: Request, env: &Env) -> Result<Response> {
    let kv = env.kv(TEST_CLOCK_BINDING).map_err(|_| Error::NotFound)?;
    #[derive(serde::Deserialize)]
    struct Body {
        offset_ms: i64,
    }
    let bytes = req
        .bytes()
        .await
        .map_err(|e| crate::reply::platform("reading the request", e))?;
    let body: Body = jf_core::api::parse_json(&bytes)?;
    kv.put(OFFSET_KEY, body.offset_ms.to_string())
        .map_err(|e| crate::reply::platform("test clock", e))?
        .execute()
        .await
        .map_err(|e| crate::reply::platform("test clock", e))?;
    crate::reply::json(200, &serde_json::json!({ "offset_ms": body.offset_ms }))
}

/// `POST /api/__test/read {"sql": "SELECT …", "params": [...]}`: the rows of one read-only
/// query, for the API tests' checks of what no answer shows (how a secret is stored, figures by
/// plain SQL), or of `EXPLAIN QUERY PLAN` of any one statement (explained, never run: the plan
/// catalogue's test, `tests/tests/plans.rs`). `params` (optional) binds `?1`, `?2`, … as the
/// Worker's D1 executor binds a statement's values (null, a number, a string). Through the
/// Worker's own D1, because a second process opening workerd's database file can make workerd's
/// own reads fail (SQLITE_BUSY_SNAPSHOT). 404 without the test configuration's binding.
pub async fn test_read(mut req: Request, env: &Env) -> Result<Response> {
    env.kv(TEST_CLOCK_BINDING).map_err(|_| Error::NotFound)?;
    #[derive(serde::Deserialize)]
    struct Body {
        sql: String,
        #[serde(default)]
        params: Vec<serde_json::Value>,
    }
    let bytes = req
        .bytes()
        .await
        .map_err(|e| crate::reply::platform("reading the request", e))?;
    let body: Body = jf_core::api::parse_json(&bytes)?;
    let sql = body.sql.trim();
    let starts = |prefix: &str| {
        sql.get(..prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    // One statement that starts as a SELECT can only read (a WITH could end in a DELETE); one
    // that is explained is only planned.
    let read_only = (starts("SELECT ") || starts("EXPLAIN QUERY PLAN ")) && !sql.contains(';');
    if !read_only {
        return Err(Error::invalid(
            "sql",
            "must be one SELECT, or EXPLAIN QUERY PLAN of one statement",
        ));
    }
    let params = body
        .params
        .iter()
        .map(|v| match v {
            serde_json::Value::Null => Ok(JsValue::NULL),
            serde_json::Value::Number(n) => n
                .as_f64()
                .map(JsValue::from_f64)
                .ok_or_else(|| Error::invalid("params", "a number out of range")),
            serde_json::Value::String(s) => Ok(JsValue::from_str(s)),
            _ => Err(Error::invalid("params", "must be null, numbers or strings")),
        })
        .collect::<Result<Vec<JsValue>>>()?;
    let db = env
        .d1("DB")
        .map_err(|e| crate::reply::platform("D1 binding", e))?;
    let rows = db
        .prepare(sql)
        .bind(&params)
        .map_err(|e| crate::reply::platform("test read", e))?
        .all()
        .await
        .map_err(|e| crate::reply::platform("test read", e))?
        .results::<serde_json::Value>()
        .map_err(|e| crate::reply::platform("test read", e))?;
    crate::reply::json(200, &serde_json::json!({ "results": rows }))
}
