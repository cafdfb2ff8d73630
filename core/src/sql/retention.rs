//! Statements that forget what is kept only for a while: settled inbound events, the brands'
//! webhook delivery log and ended sessions. Each deletes at most `limit` rows, found through an
//! index (migration 0015), so one cron run stays small however much is due.

use crate::clock::Millis;
use crate::store::Stmt;

/// Raw marketplace events settled (applied, or discarded by an operator) at or before `before`.
/// Dead letters still waiting for an operator are never touched. Forgetting a webhook-id lets it
/// be stored again, but only a fresh signature is accepted and the marketplace's retries end long
/// before: an old event cannot come back.
pub fn forget_settled_events(before: Millis, limit: i64) -> Stmt {
    Stmt::new(
        "DELETE FROM inbound_events WHERE webhook_id IN (
           SELECT webhook_id FROM inbound_events
           WHERE state IN ('applied', 'discarded')
             AND coalesce(discarded_at, applied_at, received_at) <= ?1
           LIMIT ?2)",
        vec![before.into(), limit.into()],
    )
}

/// Delivery attempts to brands' endpoints made at or before `before`.
pub fn forget_delivery_attempts(before: Millis, limit: i64) -> Stmt {
    Stmt::new(
        "DELETE FROM webhook_attempts WHERE rowid IN (
           SELECT rowid FROM webhook_attempts WHERE at <= ?1 LIMIT ?2)",
        vec![before.into(), limit.into()],
    )
}

/// Deliveries to brands' endpoints made at or before `before` that are settled (delivered, or
/// failed for good) and whose attempts are already forgotten (they refer to the delivery).
pub fn forget_deliveries(before: Millis, limit: i64) -> Stmt {
    Stmt::new(
        "DELETE FROM webhook_deliveries WHERE id IN (
           SELECT d.id FROM webhook_deliveries d
           WHERE d.state IN ('delivered', 'failed') AND d.created_at <= ?1
             AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id)
           LIMIT ?2)",
        vec![before.into(), limit.into()],
    )
}

/// Sessions that ended at or before a cutoff: revoked by then, idle since `idle_before`, or
/// created before `created_before` (the callers add the idle and absolute lifetimes). Each part
/// reads its own index; UNION ALL stops at the limit (a row twice is deleted once).
pub fn forget_ended_sessions(
    revoked_before: Millis,
    idle_before: Millis,
    created_before: Millis,
    limit: i64,
) -> Stmt {
    Stmt::new(
        "DELETE FROM sessions WHERE token_hash IN (
           SELECT token_hash FROM sessions WHERE revoked_at <= ?1
           UNION ALL SELECT token_hash FROM sessions WHERE last_seen_at <= ?2
           UNION ALL SELECT token_hash FROM sessions WHERE created_at <= ?3
           LIMIT ?4)",
        vec![
            revoked_before.into(),
            idle_before.into(),
            created_before.into(),
            limit.into(),
        ],
    )
}
