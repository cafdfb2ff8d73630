//! Statements of the staff portfolio: one page of brands with their queue figures, and the good-standing rule's turns for that page.

use crate::clock::Millis;
use crate::ids::{BrandId, UserId};
use crate::store::{int_bool, query, Db, Stmt};
use crate::types::ProgrammeStatus;
use crate::Result;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PortfolioRow {
    pub id: BrandId,
    pub name: String,
    pub programme_status: ProgrammeStatus,
    pub suspension_reason: Option<String>,
    pub shop_id: Option<String>,
    #[serde(deserialize_with = "int_bool")]
    pub cooperation_agreement: bool,
    pub account_manager_id: Option<UserId>,
    pub manager_name: Option<String>,
    pub awaiting_brand: i64,
    pub under_review: i64,
    pub reviews_overdue: i64,
    pub in_arbitration: i64,
    pub arbitrations_overdue: i64,
    pub expired_this_week: i64,
}

/// What one page asks for.
#[derive(Debug, Clone)]
pub struct PortfolioPage {
    /// Only this account manager's brands (None: every brand, for operators).
    pub manager: Option<UserId>,
    /// Lower-case text the brand's name must contain.
    pub name_contains: Option<String>,
    /// The page starts after this brand in (name, id) order.
    pub after: Option<BrandId>,
    pub limit: i64,
    /// Reviews and arbitrations whose deadline is at or before this are overdue.
    pub now: Millis,
    /// Flags count as expired this week from this moment (Monday 00:00 UTC).
    pub week_start: Millis,
}

/// One page of brands by name (then id), each with its open queues counted in one grouped pass
/// over its cases and its expiries this week from the moves into `expired`.
pub async fn portfolio_page(db: &impl Db, p: &PortfolioPage) -> Result<Vec<PortfolioRow>> {
    query(db, portfolio_page_stmt(p)).await
}

pub fn portfolio_page_stmt(p: &PortfolioPage) -> Stmt {
    const SQL: &str = "WITH page AS (
            SELECT b.id, b.name, b.programme_status, b.suspension_reason, b.shop_id,
                   b.cooperation_agreement, b.account_manager_id, u.display_name AS manager_name
            FROM brands b LEFT JOIN users u ON u.id = b.account_manager_id
            WHERE (?1 IS NULL OR b.account_manager_id = ?1)
              AND (?2 IS NULL OR instr(lower(b.name), ?2) > 0)
              AND (?3 IS NULL OR (b.name, b.id) > (SELECT name, id FROM brands WHERE id = ?3))
            ORDER BY b.name, b.id LIMIT ?4),
        queues AS (
            SELECT c.brand_id,
                   sum(c.status = 'awaiting_brand') AS awaiting_brand,
                   sum(c.status = 'under_review') AS under_review,
                   sum(c.status = 'under_review' AND c.deadline_at <= ?5) AS reviews_overdue,
                   sum(c.status = 'in_arbitration') AS in_arbitration,
                   sum(c.status = 'in_arbitration' AND c.deadline_at <= ?5) AS arbitrations_overdue
            FROM cases c
            WHERE c.brand_id IN (SELECT id FROM page)
              AND c.status IN ('awaiting_brand', 'under_review', 'in_arbitration')
            GROUP BY c.brand_id),
        expiries AS (
            SELECT c.brand_id, count(DISTINCT c.id) AS n
            FROM case_events e JOIN cases c ON c.id = e.case_id
            WHERE e.to_status = 'expired' AND e.at >= ?6 AND c.brand_id IN (SELECT id FROM page)
            GROUP BY c.brand_id)
        SELECT p.id, p.name, p.programme_status, p.suspension_reason, p.shop_id,
               p.cooperation_agreement, p.account_manager_id, p.manager_name,
               coalesce(q.awaiting_brand, 0) AS awaiting_brand,
               coalesce(q.under_review, 0) AS under_review,
               coalesce(q.reviews_overdue, 0) AS reviews_overdue,
               coalesce(q.in_arbitration, 0) AS in_arbitration,
               coalesce(q.arbitrations_overdue, 0) AS arbitrations_overdue,
               coalesce(x.n, 0) AS expired_this_week
        FROM page p LEFT JOIN queues q ON q.brand_id = p.id LEFT JOIN expiries x ON x.brand_id = p.id
        ORDER BY p.name, p.id";
    let params = vec![
        p.manager.into(),
        p.name_contains.clone().into(),
        p.after.into(),
        p.limit.into(),
        p.now.into(),
        p.week_start.into(),
    ];
    Stmt::new(SQL, params)
}

/// A row of `standing_turns`: a checkpoint of the rule for one brand.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TurnRow {
    pub brand_id: BrandId,
    pub at: Millis,
    /// Decided and reinstated within the window at `at`.
    pub decided: i64,
    pub reinstated: i64,
    pub breached: i64,
    /// The verdict differs from the one at the checkpoint before (none before is a pass).
    pub turns: i64,
    /// The brand's last checkpoint up to `now`: its counts are the counts now.
    pub last: i64,
}

/// The good-standing rule (`programme::standing`) checked at every checkpoint of each brand —
/// a decision arriving, or leaving the window — from `since` to `now`, returning only the
/// checkpoints where the verdict turns and each brand's last one: a page of brands answers in
/// a few rows per brand however many takedowns it decided. The counts at a checkpoint are running
/// sums of +1 on arrival and −1 on leaving (ties summed first); the verdict is the rule's
/// integer test (more than `max_bp` basis points reinstated, from `min_decided` decided).
#[allow(clippy::too_many_arguments)]
pub async fn standing_turns(
    db: &impl Db,
    brands_json: &str,
    since: Millis,
    now: Millis,
    window: Millis,
    min_decided: i64,
    max_bp: i64,
) -> Result<Vec<TurnRow>> {
    let stmt = standing_turns_stmt(brands_json, since, now, window, min_decided, max_bp);
    query(db, stmt).await
}

pub fn standing_turns_stmt(
    brands_json: &str,
    since: Millis,
    now: Millis,
    window: Millis,
    min_decided: i64,
    max_bp: i64,
) -> Stmt {
    const SQL: &str = "WITH d AS (
            SELECT brand_id, decided_at AS at, status = 'reinstated' AS r FROM cases
            WHERE brand_id IN (SELECT value FROM json_each(?1))
              AND decided_at IS NOT NULL AND decided_at >= ?2 AND decided_at <= ?3),
        moves AS (
            SELECT brand_id, at, 1 AS n, r FROM d
            UNION ALL SELECT brand_id, at + ?4, -1, -r FROM d WHERE at + ?4 <= ?3),
        points AS (SELECT brand_id, at, sum(n) AS n, sum(r) AS r FROM moves GROUP BY brand_id, at),
        counted AS (
            SELECT brand_id, at, sum(n) OVER w AS decided, sum(r) OVER w AS reinstated
            FROM points WINDOW w AS (PARTITION BY brand_id ORDER BY at ROWS UNBOUNDED PRECEDING)),
        judged AS (
            SELECT brand_id, at, decided, reinstated,
                   decided >= ?5 AND reinstated * 10000 > ?6 * decided AS breached
            FROM counted),
        marked AS (
            SELECT brand_id, at, decided, reinstated, breached,
                   breached <> coalesce(lag(breached) OVER v, 0) AS turns,
                   lead(at) OVER v IS NULL AS last
            FROM judged WINDOW v AS (PARTITION BY brand_id ORDER BY at))
        SELECT brand_id, at, decided, reinstated, breached, turns, last
        FROM marked WHERE turns OR last ORDER BY brand_id, at";
    let params = vec![
        brands_json.into(),
        since.into(),
        now.into(),
        window.into(),
        min_decided.into(),
        max_bp.into(),
    ];
    Stmt::new(SQL, params)
}
