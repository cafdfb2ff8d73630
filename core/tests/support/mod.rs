//! Native SQLite behind the same `Db` trait as D1, with the real migrations applied: one fresh
//! in-memory database per test; and in-memory stand-ins for file storage and the marketplace.
#![allow(dead_code)]

use jf_core::store::{constraint_error, Db, Row, Rows, Stmt, Value};
use jf_core::{Error, Result};
use rusqlite::types::{ToSqlOutput, ValueRef};

pub struct Sqlite(pub rusqlite::Connection);

fn to_sql(v: &Value) -> ToSqlOutput<'_> {
    match v {
        Value::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
        Value::Int(i) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*i)),
        Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
    }
}

fn map_err(e: rusqlite::Error) -> Error {
    constraint_error(&e.to_string()).unwrap_or_else(|| Error::internal_from("SQLite", e))
}

fn migration_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

impl Sqlite {
    /// A fresh database with every migration in `migrations/`, applied in name order.
    pub fn migrated() -> Self {
        Self::migrated_before("9999")
    }

    /// A database with the migrations whose file names sort before `name` (to test a migration
    /// against data written under the schema before it).
    pub fn migrated_before(name: &str) -> Self {
        let db = Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        for f in migration_files() {
            if f.file_name().unwrap().to_str().unwrap() < name {
                db.apply(&f);
            }
        }
        db
    }

    /// Applies the migrations from `name` on.
    pub fn migrate_from(&self, name: &str) {
        self.migrate_between(name, "9999");
    }

    /// Applies the migrations from `from` to the one before `before`.
    pub fn migrate_between(&self, from: &str, before: &str) {
        for f in migration_files() {
            let name = f.file_name().unwrap().to_str().unwrap();
            if name >= from && name < before {
                self.apply(&f);
            }
        }
    }

    fn apply(&self, f: &std::path::Path) {
        self.0
            .execute_batch(&std::fs::read_to_string(f).unwrap())
            .unwrap_or_else(|e| panic!("{f:?}: {e}"));
    }

    fn run(&self, stmt: &Stmt) -> Result<Rows> {
        let mut prepared = self.0.prepare(stmt.sql).map_err(map_err)?;
        let params: Vec<ToSqlOutput<'_>> = stmt.params.iter().map(to_sql).collect();
        let names: Vec<String> = prepared
            .column_names()
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut rows = prepared
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_err)? {
            let mut map = Row::new();
            for (i, name) in names.iter().enumerate() {
                let v = match row.get_ref(i).map_err(map_err)? {
                    ValueRef::Null => serde_json::Value::Null,
                    ValueRef::Integer(n) => n.into(),
                    ValueRef::Real(f) => serde_json::json!(f),
                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                    ValueRef::Blob(_) => panic!("blobs are not used"),
                };
                map.insert(name.clone(), v);
            }
            out.push(map);
        }
        // As D1 hands rows over: one JSON array of objects.
        Ok(Rows::from_json(
            serde_json::to_string(&out).expect("rows are JSON"),
        ))
    }
}

impl Db for Sqlite {
    async fn all(&self, stmt: Stmt) -> Result<Rows> {
        self.run(&stmt)
    }

    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        let tx = self.0.unchecked_transaction().map_err(map_err)?;
        for stmt in &stmts {
            self.run(stmt)?;
        }
        tx.commit().map_err(map_err)
    }

    async fn execute(&self, stmt: Stmt) -> Result<u64> {
        let params: Vec<ToSqlOutput<'_>> = stmt.params.iter().map(to_sql).collect();
        let changed = self
            .0
            .execute(stmt.sql, rusqlite::params_from_iter(params.iter()))
            .map_err(map_err)?;
        Ok(changed as u64)
    }
}

/// Runs a future to completion (the use cases are async because D1 is).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

/// KV stand-in.
#[derive(Default)]
pub struct MemFiles(pub std::cell::RefCell<std::collections::HashMap<String, Vec<u8>>>);

impl jf_core::ports::FileStore for MemFiles {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        self.0.borrow_mut().insert(key.to_owned(), bytes.to_vec());
        Ok(())
    }
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.0.borrow().get(key).cloned())
    }
}

/// Marketplace stand-in for native tests: a catalogue, an up/down switch, and what was sent.
#[derive(Default)]
pub struct FakeMarket {
    pub listings: std::cell::RefCell<std::collections::HashMap<String, jf_core::listing::Snapshot>>,
    pub down: std::cell::Cell<bool>,
    pub sent: std::cell::RefCell<Vec<(String, String)>>,
    /// As a marketplace does: a listing taken down is no longer shown (lookups answer 404).
    pub hide_taken_down: std::cell::Cell<bool>,
    /// The listings looked up, in order.
    pub looked_up: std::cell::RefCell<Vec<String>>,
}

impl FakeMarket {
    pub fn with(ids: &[&str]) -> Self {
        let m = FakeMarket::default();
        for id in ids {
            m.add(snapshot(id, &format!("Listing {id}"), "S-1"));
        }
        m
    }
    pub fn add(&self, s: jf_core::listing::Snapshot) {
        self.listings.borrow_mut().insert(s.listing_id.clone(), s);
    }
}

pub fn snapshot(id: &str, title: &str, seller: &str) -> jf_core::listing::Snapshot {
    jf_core::listing::Snapshot {
        listing_id: id.into(),
        url: format!("https://market.example/item/{id}"),
        title: title.into(),
        price: jf_core::listing::Price {
            amount: "99.00".into(),
            currency: "EUR".into(),
        },
        image_url: None,
        seller: jf_core::listing::Seller {
            seller_id: seller.into(),
            name: format!("Seller {seller}"),
        },
    }
}

impl jf_core::ports::Marketplace for FakeMarket {
    async fn lookup(&self, listing_id: &str) -> jf_core::ports::Lookup {
        self.looked_up.borrow_mut().push(listing_id.to_owned());
        if self.down.get() {
            return jf_core::ports::Lookup::Unavailable("down".into());
        }
        match self.listings.borrow().get(listing_id) {
            Some(s) => jf_core::ports::Lookup::Found(s.clone()),
            None => jf_core::ports::Lookup::Unknown,
        }
    }
    async fn search(&self, q: &str, cursor: Option<&str>, limit: u32) -> jf_core::ports::Search {
        if self.down.get() {
            return jf_core::ports::Search::Unavailable("down".into());
        }
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        let mut found: Vec<jf_core::listing::Snapshot> = self
            .listings
            .borrow()
            .values()
            .filter(|s| {
                let text = format!("{} {}", s.title, s.seller.name).to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .filter(|s| cursor.is_none_or(|c| s.listing_id.as_str() > c))
            .cloned()
            .collect();
        found.sort_by(|a, b| a.listing_id.cmp(&b.listing_id));
        let more = found.len() > limit as usize;
        found.truncate(limit as usize);
        let next_cursor = more
            .then(|| found.last().map(|s| s.listing_id.clone()))
            .flatten();
        jf_core::ports::Search::Found(jf_core::ports::SearchPage {
            listings: found,
            next_cursor,
        })
    }
    async fn send(&self, action_id: &str, body: &str) -> std::result::Result<(), String> {
        if self.down.get() {
            return Err("503 from the marketplace".into());
        }
        if self.hide_taken_down.get() {
            let action: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            if action["type"] == "listing.takedown" {
                if let Some(id) = action["data"]["listing_id"].as_str() {
                    self.listings.borrow_mut().remove(id);
                }
            }
        }
        self.sent
            .borrow_mut()
            .push((action_id.to_owned(), body.to_owned()));
        Ok(())
    }
}

/// The database with a turn given away before every statement: futures run with `join` or
/// `join_all` over it take turns statement by statement, as requests and cron runs do on D1.
pub struct Interleaved<'a>(pub &'a Sqlite);

/// Gives the other racers a turn.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await
}

impl Db for Interleaved<'_> {
    async fn all(&self, stmt: Stmt) -> Result<Rows> {
        yield_now().await;
        self.0.all(stmt).await
    }
    async fn batch(&self, stmts: Vec<Stmt>) -> Result<()> {
        yield_now().await;
        self.0.batch(stmts).await
    }
    async fn execute(&self, stmt: Stmt) -> Result<u64> {
        yield_now().await;
        self.0.execute(stmt).await
    }
}

/// Runs two futures at once, taking turns at every await.
pub fn join<A: std::future::Future, B: std::future::Future>(a: A, b: B) -> (A::Output, B::Output) {
    use std::task::Poll;
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    let (mut ra, mut rb) = (None, None);
    block_on(std::future::poll_fn(|cx| {
        if ra.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                ra = Some(v);
            }
        }
        if rb.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                rb = Some(v);
            }
        }
        if ra.is_some() && rb.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }));
    (ra.unwrap(), rb.unwrap())
}

/// A future of any kind whose outcome is a `T`, for `join_all`.
pub type Racer<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

/// Runs any number of futures at once, taking turns at every await in the order given; their
/// outcomes in the same order.
pub fn join_all<T>(mut racers: Vec<Racer<'_, T>>) -> Vec<T> {
    use std::task::Poll;
    let mut done: Vec<Option<T>> = racers.iter().map(|_| None).collect();
    block_on(std::future::poll_fn(|cx| {
        for (racer, out) in racers.iter_mut().zip(done.iter_mut()) {
            if out.is_none() {
                if let Poll::Ready(v) = racer.as_mut().poll(cx) {
                    *out = Some(v);
                }
            }
        }
        if done.iter().all(Option::is_some) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }));
    done.into_iter().map(|o| o.unwrap()).collect()
}

/// Case `i` as a report files it: id `uuid(i)`, listing `L-{i}`, titled `Bag {i}`, by seller
/// S-1, for counterfeit, in `status`; tests change what they need with `..new_case(i, status)`.
pub fn new_case(i: u128, status: &'static str) -> jf_core::sql::NewCase {
    jf_core::sql::NewCase {
        id: jf_core::ids::CaseId(uuid::Uuid::from_u128(i)),
        listing_id: format!("L-{i}"),
        origin: "report",
        status,
        lane: None,
        ip_right_id: None,
        reason_code: Some("counterfeit".into()),
        statement: None,
        evidence_urls: "[]".into(),
        snapshot: None,
        title: format!("Bag {i}"),
        seller_id: Some("S-1".into()),
        seller_name: "Seller".into(),
        detection: None,
        deadline_at: None,
        event_kind: "filed",
        event_note: None,
    }
}

/// `n` new cases as the filing batch takes them (JSON), numbered from `from`, titled by
/// `title(i)`, in `status`.
pub fn new_cases_json(
    from: u128,
    n: u128,
    status: &'static str,
    title: impl Fn(u128) -> String,
) -> String {
    let cases: Vec<jf_core::sql::NewCase> = (from..from + n)
        .map(|i| jf_core::sql::NewCase {
            title: title(i),
            ..new_case(i, status)
        })
        .collect();
    serde_json::to_string(&cases).unwrap()
}

/// Those cases of `brand`, filed at `at` by the filing batch the use cases write.
pub fn file_cases(
    db: &Sqlite,
    brand: jf_core::ids::BrandId,
    from: u128,
    n: u128,
    status: &'static str,
    title: impl Fn(u128) -> String,
    at: i64,
) {
    let json = new_cases_json(from, n, status, title);
    block_on(jf_core::store::Db::batch(
        db,
        jf_core::sql::insert_cases(brand, &json, &jf_core::history::Mover::MARKETPLACE, at),
    ))
    .unwrap();
}
