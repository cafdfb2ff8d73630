//! Large worlds for the bench's million cases and the tests' 100,000-row export, written straight
//! into a local D1 database while no workerd has it open.
//!
//! Why not through the Worker or `wrangler d1 execute`: a million cases through either takes hours,
//! and writing beside a running workerd locks it out (SQLITE_BUSY). Local D1 is a SQLite file, so
//! the rows go in over one connection, in one transaction, in the shapes the application's own
//! statements write (`jf_core::sql`): a case, its listing and seller, its history up to its
//! status (with typed actors), and its search row.

use crate::stack::State;
use crate::Result;
use jf_core::case::Status;
use jf_core::clock::{SeededEntropy, DAY, HOUR};
use jf_core::listing::{Appeal, Price, Seller, Snapshot};
use rusqlite::{params, Connection};
use std::path::PathBuf;

/// How large a world to seed: `cases` over `brands`, of which the first brand has `largest`.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub brands: usize,
    pub cases: usize,
    pub largest: usize,
    /// Keeps two worlds in one database apart (names, emails, listing ids).
    pub tag: &'static str,
    /// Keeps two worlds' ids apart.
    pub world: u8,
    /// Whether some cases are still open with deadlines ahead (flags awaiting the brand, appeal
    /// windows). The tests' world has none, so no deadline of theirs is the Cron Trigger's work
    /// when a test moves the clock on.
    pub open: bool,
}

impl Scale {
    /// The bench's world (issue #14): 1,000,000 cases over 1,000 brands, one with 200,000.
    pub const MILLION: Scale = Scale {
        brands: 1_000,
        cases: 1_000_000,
        largest: 200_000,
        tag: "scale",
        world: 1,
        open: true,
    };
    /// The bench's small world: 10,000 cases whose typical brand is the size of the million
    /// world's (800 cases against 801), so the case list's growth with the database is measured
    /// for the same brand size.
    pub const TEN_THOUSAND: Scale = Scale {
        brands: 11,
        cases: 10_000,
        largest: 2_000,
        tag: "small",
        world: 3,
        open: true,
    };
    /// The tests' export brand: one brand with 100,000 cases.
    pub const EXPORT: Scale = Scale {
        brands: 1,
        cases: 100_000,
        largest: 100_000,
        tag: "export",
        world: 2,
        open: false,
    };

    /// How many cases brand `n` (0-based) gets: the first `largest`, the others share the rest.
    pub fn cases_of(&self, n: usize) -> usize {
        if n == 0 {
            return self.largest.min(self.cases);
        }
        let others = self.brands.saturating_sub(1).max(1);
        let rest = self.cases.saturating_sub(self.largest);
        rest / others + usize::from(n - 1 < rest % others)
    }
}

/// A seeded brand, as a test or the bench signs in to it.
#[derive(Debug, Clone)]
pub struct ScaleBrand {
    pub id: String,
    /// Its brand admin, whose password is the demo password.
    pub admin_email: String,
    pub cases: usize,
    /// How the marketplace names it (`listing.flagged`'s `brand_ref`).
    pub brand_ref: String,
    /// Its one IP right, verified: what a confirmation invokes.
    pub right_id: String,
}

/// The one database file of the `DB` binding in a local state directory (migrated already).
pub fn d1_file(state: &State) -> Result<PathBuf> {
    let dir = state.dir.join("v3/d1/miniflare-D1DatabaseObject");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("no local D1 in {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "sqlite")
                && p.file_stem().is_some_and(|s| s != "metadata")
        })
        .collect();
    match files.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected one D1 database in {}, found {}",
            dir.display(),
            files.len()
        )),
    }
}

/// What each table of a database file holds on disk, its indexes included (the full-text
/// index's shadow tables counted as one), largest first: (table, bytes, rows).
pub fn storage_by_table(file: &std::path::Path) -> Result<Vec<(String, u64, u64)>> {
    let db = Connection::open(file).map_err(sql_err)?;
    let mut sizes = db
        .prepare(
            "SELECT iif(m.tbl_name LIKE 'cases_search%', 'cases_search', coalesce(m.tbl_name, s.name)),
                    sum(s.pgsize)
             FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name
             GROUP BY 1 ORDER BY 2 DESC",
        )
        .map_err(sql_err)?;
    let sizes: Vec<(String, u64)> = sizes
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_err)?
        .collect::<std::result::Result<_, _>>()
        .map_err(sql_err)?;
    sizes
        .into_iter()
        .map(|(table, bytes)| {
            // Table names come from the schema itself, never from input.
            let rows: u64 = db
                .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                    r.get(0)
                })
                .unwrap_or(0);
            Ok((table, bytes, rows))
        })
        .collect()
}

fn sql_err(e: rusqlite::Error) -> String {
    format!("scale seeding: {e}")
}

/// A stable UUID-shaped id for the `n`th row of a kind in a world.
fn id(world: u8, kind: u8, n: u64) -> String {
    uuid::Uuid::from_u128(
        (0x5ca1e << 108) | (u128::from(world) << 96) | (u128::from(kind) << 88) | u128::from(n),
    )
    .to_string()
}

const KIND_BRAND: u8 = 1;
const KIND_USER: u8 = 2;
const KIND_RIGHT: u8 = 3;
const KIND_CASE: u8 = 4;

const PRODUCTS: &[&str] = &[
    "leather tote bag",
    "silk scarf, monogram print",
    "chronograph watch, steel",
    "running shoes",
    "wireless earbuds",
    "sunglasses, polarised",
    "wallet, gold clasp",
    "hoodie, embroidered logo",
    "真皮手提包",
    "丝绸围巾",
    "机械手表",
    "运动鞋",
];

const STATEMENT: &str =
    "Counterfeit: the logo, stitching and serial plate differ from our genuine product.";

/// Sellers shared by every brand of a world: a few sell a lot (repeat infringers), most a little.
const SELLERS: u64 = 5_000;

/// Seeds `scale` into the (migrated, stopped) local D1 of `state`; `now` is the Worker's clock.
pub fn seed(state: &State, scale: &Scale, now: i64) -> Result<Vec<ScaleBrand>> {
    let started = std::time::Instant::now();
    let mut db = Connection::open(d1_file(state)?).map_err(sql_err)?;
    db.execute_batch("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")
        .map_err(sql_err)?;
    let world = scale.world;
    let hash = jf_core::password::hash(crate::seed::DEMO_PASSWORD, &SeededEntropy::default())
        .map_err(|e| e.to_string())?;
    let mut rng = fastrand::Rng::with_seed(u64::from(world));
    let tx = db.transaction().map_err(sql_err)?;
    let mut brands = Vec::new();
    {
        let mut user = tx
            .prepare("INSERT INTO users (id, email, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
            .map_err(sql_err)?;
        let mut brand = tx
            .prepare("INSERT INTO brands (id, name, brand_ref, programme_status, shop_id, cooperation_agreement, created_at)
                      VALUES (?1, ?2, ?3, 'enrolled', ?4, 1, ?5)")
            .map_err(sql_err)?;
        let mut member = tx
            .prepare("INSERT INTO memberships (user_id, brand_id, role, created_at) VALUES (?1, ?2, 'brand_admin', ?3)")
            .map_err(sql_err)?;
        let mut right = tx
            .prepare("INSERT INTO ip_rights (id, brand_id, kind, registration_number, jurisdiction, classes, owner, status, reviewed_at, created_at)
                      VALUES (?1, ?2, 'trademark', ?3, 'EU', '18, 25', ?4, 'verified', ?5, ?5)")
            .map_err(sql_err)?;
        let mut seller = tx
            .prepare("INSERT INTO sellers (id, name, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING")
            .map_err(sql_err)?;
        for s in 0..SELLERS {
            seller
                .execute(params![
                    format!("SEL-{}-{s}", scale.tag.to_uppercase()),
                    format!("Seller {s}"),
                    now
                ])
                .map_err(sql_err)?;
        }
        let mut cases = Cases::prepare(&tx)?;
        let mut case_no = 0u64;
        for n in 0..scale.brands {
            let brand_id = id(world, KIND_BRAND, n as u64);
            let user_id = id(world, KIND_USER, n as u64);
            let right_id = id(world, KIND_RIGHT, n as u64);
            let name = format!("{} brand {n:04}", capitalised(scale.tag));
            let email = format!("admin{n:04}@{}.test", scale.tag);
            let since = now - 400 * DAY;
            user.execute(params![
                user_id,
                email,
                format!("Admin {n:04}"),
                hash,
                since
            ])
            .map_err(sql_err)?;
            let brand_ref = format!("BR-{}-{n:04}", scale.tag.to_uppercase());
            brand
                .execute(params![
                    brand_id,
                    name,
                    brand_ref,
                    format!("SHOP-{}-{n:04}", scale.tag.to_uppercase()),
                    since
                ])
                .map_err(sql_err)?;
            member
                .execute(params![user_id, brand_id, since])
                .map_err(sql_err)?;
            right
                .execute(params![
                    right_id,
                    brand_id,
                    format!("EUTM-{}{n:06}", world),
                    name,
                    since
                ])
                .map_err(sql_err)?;
            let count = scale.cases_of(n);
            let prefix = format!("{}{n:04}", scale.tag.to_uppercase());
            let who = Who {
                brand_id: &brand_id,
                user_id: &user_id,
                user_name: &format!("Admin {n:04}"),
                right_id: &right_id,
                brand_name: &name,
                tag: scale.tag,
                open: scale.open,
            };
            for i in 0..count {
                cases.insert(
                    &who,
                    id(world, KIND_CASE, case_no),
                    &format!("{prefix}-{i}"),
                    now,
                    &mut rng,
                )?;
                case_no += 1;
            }
            brands.push(ScaleBrand {
                id: brand_id,
                admin_email: email,
                cases: count,
                brand_ref,
                right_id,
            });
        }
    }
    tx.commit().map_err(sql_err)?;
    // Fold the write-ahead log into the file, so workerd opens a database as a checkpoint left it.
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(sql_err)?;
    println!(
        "xtask: seeded {} cases over {} brands in {:.0} s",
        scale.cases,
        scale.brands,
        started.elapsed().as_secs_f64()
    );
    Ok(brands)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

struct Who<'a> {
    brand_id: &'a str,
    user_id: &'a str,
    user_name: &'a str,
    right_id: &'a str,
    brand_name: &'a str,
    tag: &'a str,
    open: bool,
}

/// The prepared statements of one case: the case, its listing and its history (its search row
/// follows by trigger, migration 0021).
struct Cases<'c> {
    case: rusqlite::Statement<'c>,
    listing: rusqlite::Statement<'c>,
    event: rusqlite::Statement<'c>,
}

/// One move in a seeded history: event kind, to status, actor kind ("" for the brand's admin),
/// note code.
type Move = (&'static str, Status, &'static str, Option<&'static str>);

impl<'c> Cases<'c> {
    fn prepare(tx: &'c rusqlite::Transaction) -> Result<Self> {
        Ok(Cases {
            case: tx
                .prepare(
                    "INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, version, lane, ip_right_id,
                                        reason_code, statement, evidence_urls, snapshot, title, seller_id, seller_name,
                                        detection, deadline_at, appeal_id, appeal, created_by, created_at, updated_at, decided_at,
                                        taken_down_at, appealed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
                )
                .map_err(sql_err)?,
            listing: tx
                .prepare("INSERT INTO listings (id, snapshot, seller_id, updated_at) VALUES (?1, ?2, ?3, ?4)")
                .map_err(sql_err)?,
            event: tx
                .prepare(
                    "INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label,
                                              actor_kind, actor_name, on_behalf_of, note, note_code, note_args, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, NULL, ?10, ?11, ?12)",
                )
                .map_err(sql_err)?,
        })
    }

    /// One case with a history that leads to a status drawn from a plausible mix: most reports and
    /// confirmed flags end taken down, some are appealed; a few are still waiting.
    fn insert(
        &mut self,
        who: &Who,
        case_id: String,
        listing_id: &str,
        now: i64,
        rng: &mut fastrand::Rng,
    ) -> Result {
        let detection = rng.u8(0..100) < 40;
        let mut moves: Vec<Move> = Vec::new();
        let first: Move = if detection {
            (
                "flagged",
                Status::AwaitingBrand,
                "marketplace",
                Some("detection"),
            )
        } else {
            ("filed", Status::TakedownRequested, "", Some("filed_auto"))
        };
        moves.push(first);
        let r = rng.u8(0..100);
        // Open cases are recent (a flag waits 7 days); decided ones spread over a year.
        let waiting = who.open && if detection { r < 8 } else { r < 4 };
        let age = if waiting {
            rng.i64(HOUR..6 * DAY)
        } else if who.open {
            rng.i64(10 * DAY..365 * DAY)
        } else {
            rng.i64(30 * DAY..365 * DAY)
        };
        let created_at = now - age;
        if !waiting {
            if detection {
                match r {
                    8..=13 => {
                        moves.push(("expire", Status::Expired, "deadline", Some("flag_expired")))
                    }
                    14..=23 => moves.push(("reject", Status::Cleared, "", None)),
                    _ => moves.push(("confirm", Status::TakedownRequested, "", None)),
                }
            }
            if moves
                .last()
                .is_some_and(|m| m.1 == Status::TakedownRequested)
            {
                let t = rng.u8(0..100);
                if t < 3 {
                    moves.push(("withdraw", Status::Withdrawn, "", None));
                } else {
                    moves.push(("takedown_completed", Status::TakenDown, "marketplace", None));
                    match t {
                        3..=7 => moves.push((
                            "appeal_filed",
                            Status::Appealed,
                            "marketplace",
                            Some("appeal_filed"),
                        )),
                        8..=15 => {
                            moves.push((
                                "appeal_filed",
                                Status::Appealed,
                                "marketplace",
                                Some("appeal_filed"),
                            ));
                            moves.push(("uphold_appeal", Status::Upheld, "", None));
                        }
                        16..=19 => {
                            moves.push((
                                "appeal_filed",
                                Status::Appealed,
                                "marketplace",
                                Some("appeal_filed"),
                            ));
                            moves.push(("retract_on_appeal", Status::Reinstated, "", None));
                        }
                        20..=49 => moves.push(("no_appeal", Status::Upheld, "deadline", None)),
                        _ => {}
                    }
                }
            }
        }
        // Steps 1 to 72 hours apart, never past now.
        let mut at = created_at;
        let mut times = Vec::with_capacity(moves.len());
        for (k, _) in moves.iter().enumerate() {
            if k > 0 {
                at = (at + rng.i64(HOUR..72 * HOUR)).min(now - 1);
            }
            times.push(at);
        }
        // A window that has passed was closed, as the Cron Trigger or the brand would have.
        let last = times.last().copied().unwrap_or(created_at);
        let closed = match moves.last().map(|m| m.1) {
            Some(Status::TakenDown) if last + 14 * DAY < now => {
                Some(("no_appeal", Status::Upheld, "deadline", None))
            }
            Some(Status::Appealed) if last + 3 * DAY < now => {
                Some(("uphold_appeal", Status::Upheld, "", None))
            }
            _ => None,
        };
        if let Some(m) = closed {
            moves.push(m);
            times.push((last + rng.i64(HOUR..48 * HOUR)).min(now - 1));
        }
        let status = moves.last().map_or(Status::AwaitingBrand, |m| m.1);
        let updated_at = times.last().copied().unwrap_or(created_at);
        let seller_no = (rng.f64().powi(3) * SELLERS as f64) as u64;
        let seller = Seller {
            seller_id: format!("SEL-{}-{seller_no}", who.tag.to_uppercase()),
            name: format!("Seller {seller_no}"),
        };
        let product = PRODUCTS[rng.usize(0..PRODUCTS.len())];
        let snapshot = Snapshot {
            listing_id: listing_id.to_owned(),
            url: format!("https://market.example/item/{listing_id}"),
            title: format!("{} {product} {listing_id}", who.brand_name),
            price: Price {
                amount: format!("{}.99", rng.u32(5..400)),
                currency: "EUR".into(),
            },
            image_url: None,
            seller: seller.clone(),
        };
        let snapshot_json = serde_json::to_string(&snapshot).map_err(|e| e.to_string())?;
        let confirmed = moves.iter().any(|m| m.1 == Status::TakedownRequested);
        let appealed = moves.iter().any(|m| m.1 == Status::Appealed);
        let appeal = appealed.then(|| Appeal {
            appeal_id: format!("AP-{listing_id}"),
            brand_ref: String::new(),
            listing_id: listing_id.to_owned(),
            seller: seller.clone(),
            statement: "This is a genuine product bought from an authorised distributor.".into(),
            evidence_urls: vec![],
        });
        let appeal_json = appeal
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| e.to_string())?;
        let deadline_at = match status {
            Status::AwaitingBrand => Some(created_at + 7 * DAY),
            Status::TakenDown => Some(updated_at + 14 * DAY),
            Status::Appealed => Some(updated_at + 3 * DAY),
            _ => None,
        };
        let decided_at =
            matches!(status, Status::Upheld | Status::Reinstated).then_some(updated_at);
        // The first move into a status, as `sql::move_case` keeps it (migration 0012).
        let moment = |s: Status| {
            moves
                .iter()
                .zip(&times)
                .find(|(m, _)| m.1 == s)
                .map(|(_, at)| *at)
        };
        self.case
            .execute(params![
                case_id,
                who.brand_id,
                listing_id,
                if detection { "detection" } else { "report" },
                status.as_str(),
                status.is_open(),
                moves.len() as i64,
                (!detection).then_some("auto"),
                confirmed.then_some(who.right_id),
                confirmed.then_some("counterfeit"),
                (!detection).then_some(STATEMENT),
                "[]",
                snapshot_json,
                snapshot.title,
                seller.seller_id,
                seller.name,
                detection.then_some(r#"{"score":0.91,"signals":["logo_mismatch"]}"#),
                deadline_at,
                appeal.as_ref().map(|a| a.appeal_id.clone()),
                appeal_json,
                (!detection).then_some(who.user_id),
                created_at,
                updated_at,
                decided_at,
                moment(Status::TakenDown),
                moment(Status::Appealed),
            ])
            .map_err(sql_err)?;
        self.listing
            .execute(params![
                listing_id,
                snapshot_json,
                seller.seller_id,
                updated_at
            ])
            .map_err(sql_err)?;
        let mut from: Option<&str> = None;
        for (seq, ((kind, to, actor, note), at)) in moves.iter().zip(&times).enumerate() {
            let (actor_id, label, actor_kind, name) = match *actor {
                "" => (
                    Some(who.user_id),
                    format!("{} (brand_admin)", who.user_name),
                    "brand_admin",
                    Some(who.user_name),
                ),
                "marketplace" => (None, "Marketplace".to_owned(), "marketplace", None),
                _ => (None, "JointForce (deadline)".to_owned(), "deadline", None),
            };
            self.event
                .execute(params![
                    case_id,
                    seq as i64 + 1,
                    kind,
                    from,
                    to.as_str(),
                    actor_id,
                    label,
                    actor_kind,
                    name,
                    note,
                    note.map(|_| "[]"),
                    at,
                ])
                .map_err(sql_err)?;
            from = Some(to.as_str());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_brand_and_the_others_add_up_to_the_whole() {
        let s = Scale::MILLION;
        assert_eq!(s.cases_of(0), 200_000);
        let total: usize = (0..s.brands).map(|n| s.cases_of(n)).sum();
        assert_eq!(total, 1_000_000);
        let odd = Scale {
            brands: 4,
            cases: 105,
            largest: 50,
            tag: "t",
            world: 3,
            open: true,
        };
        assert_eq!(
            (0..4).map(|n| odd.cases_of(n)).collect::<Vec<_>>(),
            [50, 19, 18, 18]
        );
        assert_eq!(Scale::EXPORT.cases_of(0), 100_000);
        // The small world's typical brand is the million world's size.
        let small = Scale::TEN_THOUSAND;
        assert_eq!(
            (0..small.brands).map(|n| small.cases_of(n)).sum::<usize>(),
            10_000
        );
        assert_eq!(small.cases_of(1), 800);
        assert_eq!(s.cases_of(1), 801);
    }

    #[test]
    fn storage_is_counted_per_table_with_its_indexes() {
        let dir = std::env::temp_dir().join(format!("jf-storage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("t.sqlite");
        let db = Connection::open(&file).unwrap();
        db.execute_batch(
            "CREATE TABLE big (id TEXT PRIMARY KEY, body TEXT);
             CREATE INDEX big_body ON big(body);
             CREATE TABLE small (id INTEGER PRIMARY KEY);
             INSERT INTO small VALUES (1);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO big SELECT printf('id-%d', i), printf('%0500d', i) FROM n;",
        )
        .unwrap();
        drop(db);
        let sizes = storage_by_table(&file).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(sizes[0].0, "big");
        assert_eq!(sizes[0].2, 2000);
        // The rows and their index: twice the bodies at least.
        assert!(sizes[0].1 > 2 * 2000 * 500, "{sizes:?}");
        let small = sizes.iter().find(|t| t.0 == "small").unwrap();
        assert_eq!(small.2, 1);
        assert!(small.1 < sizes[0].1 / 100);
    }

    #[test]
    fn ids_are_uuids_apart_by_world_kind_and_number() {
        let a = id(1, KIND_CASE, 7);
        assert!(uuid::Uuid::parse_str(&a).is_ok());
        assert_ne!(a, id(2, KIND_CASE, 7));
        assert_ne!(a, id(1, KIND_BRAND, 7));
        assert_ne!(a, id(1, KIND_CASE, 8));
    }

    /// The seeded world reads back through the application's own statements: a migrated SQLite
    /// file stands in for local D1, and every status and history agrees with the state machine.
    #[test]
    fn a_seeded_world_is_what_the_application_writes() {
        let dir = std::env::temp_dir().join(format!("jf-scale-{}", std::process::id()));
        let d1 = dir.join("v3/d1/miniflare-D1DatabaseObject");
        std::fs::create_dir_all(&d1).unwrap();
        let file = d1.join("db.sqlite");
        let _ = std::fs::remove_file(&file);
        let conn = Connection::open(&file).unwrap();
        let mut files: Vec<_> = std::fs::read_dir(crate::tools::root().join("migrations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            conn.execute_batch(&std::fs::read_to_string(f).unwrap())
                .unwrap();
        }
        drop(conn);
        let state = State { dir: dir.clone() };
        let scale = Scale {
            brands: 3,
            cases: 3_000,
            largest: 2_000,
            tag: "unit",
            world: 4,
            open: true,
        };
        let now = 1_800_000_000_000;
        let brands = seed(&state, &scale, now).unwrap();
        assert_eq!(
            brands.iter().map(|b| b.cases).collect::<Vec<_>>(),
            [2000, 500, 500]
        );
        let conn = Connection::open(&file).unwrap();
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases WHERE brand_id = ?1",
                [&brands[0].id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 2000);
        // Every case's last event moved it to its status, and open cases are the open statuses.
        let mismatched: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases c JOIN case_events e ON e.case_id = c.id
                 AND e.seq = (SELECT max(seq) FROM case_events WHERE case_id = c.id)
                 WHERE e.to_status <> c.status OR c.version <> e.seq",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(mismatched, 0);
        // The dashboard's moments are those of the history's moves.
        let off: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases c WHERE
                   coalesce(c.taken_down_at, -1) <> coalesce((SELECT min(at) FROM case_events e
                     WHERE e.case_id = c.id AND e.to_status = 'taken_down'), -1)
                   OR coalesce(c.appealed_at, -1) <> coalesce((SELECT min(at) FROM case_events e
                     WHERE e.case_id = c.id AND e.to_status = 'appealed'), -1)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(off, 0);
        let mut statuses = conn
            .prepare("SELECT DISTINCT status, is_open FROM cases")
            .unwrap();
        let rows: Vec<(String, bool)> = statuses
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        drop(statuses);
        assert!(rows.len() >= 8, "a mix of statuses: {rows:?}");
        for (status, open) in rows {
            assert_eq!(Status::parse(&status).unwrap().is_open(), open, "{status}");
        }
        let found: i64 = conn
            .query_row(
                r#"SELECT count(*) FROM cases_search WHERE cases_search MATCH '"UNIT0001-42"'"#,
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(found >= 1);
        drop(conn);

        // A world without open cases leaves the Cron Trigger nothing to do.
        let closed = Scale {
            brands: 1,
            cases: 2_000,
            largest: 2_000,
            tag: "closed",
            world: 5,
            open: false,
        };
        let brand = &seed(&state, &closed, now).unwrap()[0];
        let conn = Connection::open(&file).unwrap();
        let open: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases WHERE brand_id = ?1 AND (is_open = 1 OR deadline_at IS NOT NULL)",
                [&brand.id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(open, 0);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
