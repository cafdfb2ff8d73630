//! Statements of the brand dashboard: each figure is one aggregate over indexed rows.

use crate::clock::Millis;
use crate::ids::BrandId;
use crate::store::{query, query_one, Db, Stmt};
use crate::Result;
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
/// `taken_down` at most once; its moment is that event's. The rank of percentile p among n is
/// ceil(p × n), in integers: (n × p% + 99) / 100.
pub async fn takedown_weeks(
    db: &impl Db,
    brand_id: BrandId,
    from: Millis,
    until: Millis,
    week: Millis,
) -> Result<Vec<WeekRow>> {
    // D1 binds JavaScript numbers as REAL: the week's number is cast, or it comes back 8.68.
    const SQL: &str = "WITH done AS (
            SELECT c.origin, CAST((e.at - ?2) / ?4 AS INTEGER) AS week, e.at - c.created_at AS took
            FROM case_events e JOIN cases c ON c.id = e.case_id
            WHERE e.to_status = 'taken_down' AND e.at >= ?2 AND e.at < ?3 AND c.brand_id = ?1),
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
    query(db, Stmt::new(SQL, params)).await
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BacklogRow {
    pub awaiting: i64,
    pub due_soon: i64,
    pub next_deadline_at: Option<Millis>,
}

/// Flagged listings awaiting the brand, and how many are due by `due_by`.
pub async fn confirmation_backlog(
    db: &impl Db,
    brand_id: BrandId,
    due_by: Millis,
) -> Result<BacklogRow> {
    const SQL: &str = "SELECT count(*) AS awaiting,
               coalesce(sum(deadline_at <= ?2), 0) AS due_soon,
               min(deadline_at) AS next_deadline_at
        FROM cases WHERE brand_id = ?1 AND status = 'awaiting_brand'";
    let row = query_one(db, Stmt::new(SQL, vec![brand_id.into(), due_by.into()])).await?;
    Ok(row.unwrap_or(BacklogRow {
        awaiting: 0,
        due_soon: 0,
        next_deadline_at: None,
    }))
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppealRow {
    pub received: i64,
    pub upheld: i64,
    pub reinstated: i64,
}

/// Appeals filed since `since` (moves into `appealed`), and appeals decided since then: moves
/// out of `appealed` or `in_arbitration` into `upheld` or `reinstated`.
pub async fn appeal_counts(db: &impl Db, brand_id: BrandId, since: Millis) -> Result<AppealRow> {
    const SQL: &str = "SELECT coalesce(sum(e.to_status = 'appealed'), 0) AS received,
               coalesce(sum(e.to_status = 'upheld' AND e.from_status IN ('appealed', 'in_arbitration')), 0) AS upheld,
               coalesce(sum(e.to_status = 'reinstated' AND e.from_status IN ('appealed', 'in_arbitration')), 0) AS reinstated
        FROM case_events e JOIN cases c ON c.id = e.case_id
        WHERE e.to_status IN ('appealed', 'upheld', 'reinstated') AND e.at >= ?2 AND c.brand_id = ?1";
    let row = query_one(db, Stmt::new(SQL, vec![brand_id.into(), since.into()])).await?;
    Ok(row.unwrap_or(AppealRow {
        received: 0,
        upheld: 0,
        reinstated: 0,
    }))
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
pub async fn repeat_sellers(
    db: &impl Db,
    brand_id: BrandId,
    since: Millis,
    min: i64,
    limit: i64,
) -> Result<Vec<RepeatSellerRow>> {
    const SQL: &str = "SELECT c.seller_id, coalesce(s.name, max(c.seller_name)) AS name,
               count(*) AS takedowns, s.flagged_at IS NOT NULL AS flagged
        FROM case_events e JOIN cases c ON c.id = e.case_id
        LEFT JOIN sellers s ON s.id = c.seller_id
        WHERE e.to_status = 'taken_down' AND e.at >= ?2 AND c.brand_id = ?1
          AND c.seller_id IS NOT NULL
        GROUP BY c.seller_id HAVING count(*) >= ?3
        ORDER BY takedowns DESC, c.seller_id LIMIT ?4";
    let params = vec![brand_id.into(), since.into(), min.into(), limit.into()];
    query(db, Stmt::new(SQL, params)).await
}
