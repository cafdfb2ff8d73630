//! Statements of the brand dashboard: each figure is one aggregate over indexed rows.

use crate::clock::Millis;
use crate::ids::BrandId;
use crate::store::Stmt;
use serde::Deserialize;

/// One week's takedowns as the statement groups them (weeks without any are not returned).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WeekRow {
    /// 0 for the week starting at `from`, 1 for the next, …
    pub week: i64,
    pub from_reports: i64,
    pub from_flags: i64,
    pub p50_ms: Option<Millis>,
    pub p90_ms: Option<Millis>,
}

/// Takedowns per week in `[from, until)` by origin, with the nearest-rank median and 90th
/// percentile of the time from filing (a report, or the flag) to `taken_down`. A case reaches
/// `taken_down` at most once; its moment is the case's `taken_down_at` (migration 0012), read
/// with the origin and filing time from the brand's range of one index. The rank of percentile p among n is
/// ceil(p × n), in integers: (n × p% + 99) / 100.
pub fn takedown_weeks_stmt(brand_id: BrandId, from: Millis, until: Millis, week: Millis) -> Stmt {
    // D1 binds JavaScript numbers as REAL: the week's number is cast, or it comes back 8.68.
    const SQL: &str = "WITH done AS (
            SELECT origin, CAST((taken_down_at - ?2) / ?4 AS INTEGER) AS week, taken_down_at - created_at AS took
            FROM cases WHERE brand_id = ?1 AND taken_down_at >= ?2 AND taken_down_at < ?3),
        ranked AS (
            SELECT origin, week, took,
                   ROW_NUMBER() OVER (PARTITION BY week ORDER BY took) AS rank,
                   COUNT(*) OVER (PARTITION BY week) AS n
            FROM done)
        SELECT week,
               sum(origin = 'report') AS from_reports,
               sum(origin = 'detection') AS from_flags,
               max(CASE WHEN rank = (n * 50 + 99) / 100 THEN took END) AS p50_ms,
               max(CASE WHEN rank = (n * 90 + 99) / 100 THEN took END) AS p90_ms
        FROM ranked GROUP BY week ORDER BY week";
    let params = vec![brand_id.into(), from.into(), until.into(), week.into()];
    Stmt::new(SQL, params)
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BacklogRow {
    pub awaiting: i64,
    pub due_soon: i64,
    pub next_deadline_at: Option<Millis>,
}

/// Flagged listings awaiting the brand, and how many are due by `due_by`.
pub fn confirmation_backlog_stmt(brand_id: BrandId, due_by: Millis) -> Stmt {
    const SQL: &str = "SELECT count(*) AS awaiting,
               coalesce(sum(deadline_at <= ?2), 0) AS due_soon,
               min(deadline_at) AS next_deadline_at
        FROM cases WHERE brand_id = ?1 AND status = 'awaiting_brand'";
    Stmt::new(SQL, vec![brand_id.into(), due_by.into()])
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppealRow {
    pub received: i64,
    pub upheld: i64,
    pub reinstated: i64,
}

/// Appeals filed since `since` (moves into `appealed`), and appeals decided since then: moves
/// out of `appealed` or `in_arbitration` into `upheld` or `reinstated`. A case is appealed at
/// most once and an appeal ends in one of those two, so these are the cases appealed
/// (`appealed_at`, migration 0012) and decided (`decided_at`) since.
pub fn appeal_counts_stmt(brand_id: BrandId, since: Millis) -> Stmt {
    const SQL: &str = "SELECT
          (SELECT count(*) FROM cases WHERE brand_id = ?1 AND appealed_at >= ?2) AS received,
          (SELECT count(*) FROM cases WHERE brand_id = ?1 AND appealed_at IS NOT NULL
             AND decided_at >= ?2 AND status = 'upheld') AS upheld,
          (SELECT count(*) FROM cases WHERE brand_id = ?1 AND appealed_at IS NOT NULL
             AND decided_at >= ?2 AND status = 'reinstated') AS reinstated";
    Stmt::new(SQL, vec![brand_id.into(), since.into()])
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RepeatSellerRow {
    pub seller_id: String,
    pub name: String,
    pub takedowns: i64,
    pub flagged: i64,
}

/// The sellers with at least `min` of the brand's takedowns since `since`, most first (then by
/// id, so ties keep one order), at most `limit`. The name is the marketplace's latest, else the
/// one on the newest case.
pub fn repeat_sellers_stmt(brand_id: BrandId, since: Millis, min: i64, limit: i64) -> Stmt {
    // The ranking reads the brand's takedowns from one index; names only for the ten kept.
    const SQL: &str = "WITH top AS (
            SELECT seller_id, count(*) AS takedowns FROM cases
            WHERE brand_id = ?1 AND taken_down_at >= ?2 AND seller_id IS NOT NULL
            GROUP BY seller_id HAVING count(*) >= ?3
            ORDER BY takedowns DESC, seller_id LIMIT ?4)
        SELECT t.seller_id,
               coalesce(s.name, (SELECT max(c.seller_name) FROM cases c
                                 WHERE c.seller_id = t.seller_id AND c.brand_id = ?1)) AS name,
               t.takedowns, s.flagged_at IS NOT NULL AS flagged
        FROM top t LEFT JOIN sellers s ON s.id = t.seller_id
        ORDER BY t.takedowns DESC, t.seller_id";
    let params = vec![brand_id.into(), since.into(), min.into(), limit.into()];
    Stmt::new(SQL, params)
}
