//! The query-plan catalogue: every list, queue, dashboard, search and export statement, built by
//! the same builders the use cases call, and the rule their plans keep on SQLite and on D1.
//!
//! The rule: no step reads every brand's `cases`, `case_events` or `inbound_events` (a `SCAN` of
//! one of them, under its name or its alias, that is not through an index led by `brand_id`),
//! and a page of the case list is read in an index's order, never sorted whole (no
//! `USE TEMP B-TREE FOR ORDER BY`). `core/tests/plans.rs` checks it on SQLite, with and without
//! statistics; `tests/tests/plans.rs` on D1 through `wrangler dev`.

use crate::audit::AuditKind;
use crate::case::Status;
use crate::case_list::{CaseCursor, CaseSort, KeyValue, SortKey};
use crate::cases::{
    case_filter, week_start, CaseQuery, DASHBOARD_WEEKS, DUE_SOON, REPEAT_TAKEDOWNS, SELLER_WINDOW,
    TOP_SELLERS, WEEK,
};
use crate::clock::{Millis, DAY};
use crate::ids::{BrandId, CaseId, UserId};
use crate::store::Stmt;
use crate::{programme, sql};

/// One statement of the catalogue.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Starts with the name of the `sql` function that runs it, then what varies.
    pub name: String,
    pub stmt: Stmt,
    /// Its rows must come in an index's order (a page of the case list, or of its export).
    pub index_ordered: bool,
}

/// The tables that grow with every case and must never be read whole.
pub const WATCHED: [&str; 3] = ["cases", "case_events", "inbound_events"];

/// One row of `EXPLAIN QUERY PLAN`: id, parent, detail.
pub type PlanRow = (i64, i64, String);

/// The case list's filters, one at a time and all together, as the use case builds them from a
/// query string (`cases::case_filter`): a status, an origin, a reason, a period, a search of
/// three characters or more (full text) and a shorter one (substring).
fn case_filters(now: Millis) -> Vec<(&'static str, sql::CaseFilter)> {
    let from = (now - 30 * DAY).to_string();
    let to = now.to_string();
    let queries = [
        ("no filter", CaseQuery::default()),
        (
            "status",
            CaseQuery {
                status: Some("awaiting_brand".into()),
                ..Default::default()
            },
        ),
        (
            "origin",
            CaseQuery {
                origin: Some("detection".into()),
                ..Default::default()
            },
        ),
        (
            "reason",
            CaseQuery {
                reason: Some("counterfeit".into()),
                ..Default::default()
            },
        ),
        (
            "period",
            CaseQuery {
                from: Some(from.clone()),
                to: Some(to.clone()),
                ..Default::default()
            },
        ),
        (
            "search",
            CaseQuery {
                q: Some("sneaker".into()),
                ..Default::default()
            },
        ),
        (
            "short search",
            CaseQuery {
                q: Some("ab".into()),
                ..Default::default()
            },
        ),
        (
            "every filter",
            CaseQuery {
                status: Some("taken_down".into()),
                origin: Some("report".into()),
                reason: Some("counterfeit".into()),
                from: Some(from),
                to: Some(to),
                q: Some("sneaker".into()),
                ..Default::default()
            },
        ),
    ];
    queries
        .into_iter()
        .map(|(name, q)| {
            // The queries above are all valid: a refusal here is a bug in this list.
            let f = case_filter(&q).unwrap_or_default();
            (name, f)
        })
        .collect()
}

/// Where a second page of `sort` starts: a realistic key and a case id.
fn cursor_of(sort: CaseSort, now: Millis, id: CaseId) -> CaseCursor {
    let key = match sort.key {
        SortKey::Status => KeyValue::Text("awaiting_brand".into()),
        _ => KeyValue::Int(now - 10 * DAY),
    };
    CaseCursor { sort, key, id }
}

/// Every list, queue, dashboard, search and export statement, with realistic parameters:
/// `brand` is the brand whose pages are read, `managed` the brands a manager looks after, `user`
/// the person reading notifications, `now` the clock. The case list appears in every sort with
/// every filter, from its start and from a cursor; the export reads the same pages
/// (`export::CaseExport` calls `case_page`, and the audit export `audit_page`).
pub fn catalogue(brand: BrandId, managed: &[BrandId], user: UserId, now: Millis) -> Vec<Planned> {
    let mut out = Vec::new();
    let mut add = |name: String, stmt: Stmt, index_ordered: bool| {
        out.push(Planned {
            name,
            stmt,
            index_ordered,
        })
    };
    let case = CaseId(uuid::Uuid::from_u128(
        0x0c0f_fee0_0000_4000_8000_0000_0000_0001,
    ));
    let managed_json =
        serde_json::to_string(&managed.iter().map(ToString::to_string).collect::<Vec<_>>())
            .unwrap_or_default();

    // The case list (and its export and search): every sort, every filter, both pages.
    for sort in CaseSort::ALL {
        for (filter, f) in case_filters(now) {
            let cursor = cursor_of(sort, now, case);
            for (page, after) in [("first page", None), ("next page", Some(&cursor))] {
                add(
                    format!("case_page {} {filter} {page}", sort.as_str()),
                    sql::case_page_stmt(brand, &f, sort, after, 51),
                    true,
                );
                // A search alone reads its page and counts in one statement, which sorts the
                // page's rows (and the counts') once more to put them one after the other.
                if let [searched] = &sql::case_page_and_counts_stmts(brand, &f, sort, after, 51)[..]
                {
                    add(
                        format!("searched_page {} {filter} {page}", sort.as_str()),
                        searched.clone(),
                        false,
                    );
                }
            }
        }
    }
    for (filter, f) in case_filters(now) {
        add(
            format!("case_counts {filter}"),
            sql::case_counts_stmt(brand, &f),
            false,
        );
    }
    // The marketplace search marks the listings the brand already has an open case for.
    add(
        "open_cases_for_listings search".into(),
        sql::open_cases_for_listings_stmt(brand, r#"["L-1001","L-1002","L-1003"]"#.into()),
        false,
    );
    add(
        "case_events of a case".into(),
        sql::case_events_stmt(case),
        false,
    );

    // The managers' queues, for a manager's brands and for an operator's all.
    for status in [
        Status::UnderReview,
        Status::Expired,
        Status::TakedownFailed,
        Status::InArbitration,
    ] {
        for (who, scope) in [("manager", Some(managed_json.clone())), ("operator", None)] {
            add(
                format!("staff_queue {} {who}", status.as_str()),
                sql::staff_queue_stmt(status, scope, 200),
                false,
            );
        }
    }
    for (who, scope) in [("manager", Some(managed_json.clone())), ("operator", None)] {
        add(
            format!("pending_ip_rights {who}"),
            sql::pending_ip_rights_stmt(scope),
            false,
        );
    }
    add("dead_letters".into(), sql::dead_letters_stmt(200), false);
    add(
        "actions_in_state dead".into(),
        sql::actions_in_state_stmt("dead", 200),
        false,
    );

    // The portfolio: an operator's and a manager's, by name, from a cursor.
    for (variant, manager, name, after) in [
        ("operator", None, None, None),
        ("manager", Some(user), None, None),
        ("by name", None, Some("co".to_owned()), None),
        ("next page", Some(user), None, Some(brand)),
    ] {
        add(
            format!("portfolio_page {variant}"),
            sql::portfolio_page_stmt(&sql::PortfolioPage {
                manager,
                name_contains: name,
                after,
                limit: 101,
                now,
                week_start: week_start(now),
            }),
            false,
        );
    }
    add(
        "standing_turns of a page".into(),
        sql::standing_turns_stmt(
            &managed_json,
            now - programme::STANDING_WINDOW - 2 * programme::REVOCATION,
            now,
            programme::STANDING_WINDOW,
            programme::MIN_DECIDED,
            programme::MAX_REINSTATED_BP,
        ),
        false,
    );

    // The brand's dashboard.
    let first = week_start(now) - (DASHBOARD_WEEKS - 1) * WEEK;
    add(
        "takedown_weeks".into(),
        sql::takedown_weeks_stmt(brand, first, first + DASHBOARD_WEEKS * WEEK, WEEK),
        false,
    );
    add(
        "confirmation_backlog".into(),
        sql::confirmation_backlog_stmt(brand, now + DUE_SOON),
        false,
    );
    add(
        "appeal_counts".into(),
        sql::appeal_counts_stmt(brand, first),
        false,
    );
    add(
        "repeat_sellers".into(),
        sql::repeat_sellers_stmt(brand, now - SELLER_WINDOW, REPEAT_TAKEDOWNS, TOP_SELLERS),
        false,
    );

    // The audit log: a brand's, a person's, everything; each filter; from a cursor.
    let sign_ins = crate::audit::sign_in_kinds();
    let audit_filters = [
        ("no filter", sql::AuditFilter::default()),
        (
            "actor",
            sql::AuditFilter {
                actor: Some(user.to_string()),
                ..Default::default()
            },
        ),
        (
            "kind",
            sql::AuditFilter {
                kind: Some(AuditKind::SignedIn.as_str().into()),
                ..Default::default()
            },
        ),
        (
            "period",
            sql::AuditFilter {
                from: Some(now - 30 * DAY),
                to: Some(now),
                ..Default::default()
            },
        ),
    ];
    for (scope_name, scope) in [
        ("brand", sql::AuditScope::Brand(brand)),
        ("person", sql::AuditScope::Person(user)),
        ("all", sql::AuditScope::All),
    ] {
        for (filter, f) in &audit_filters {
            for (page, after) in [
                ("first page", None),
                ("next page", Some((now - DAY, "f0".repeat(16)))),
            ] {
                add(
                    format!("audit_page {scope_name} {filter} {page}"),
                    sql::audit_page_stmt(scope, &sign_ins, f, after, 51),
                    false,
                );
            }
        }
    }

    // A person's notifications.
    let table = crate::notifications::role_notices_json();
    for (page, after) in [
        ("first page", None),
        ("next page", Some((now - DAY, "f0".repeat(16)))),
    ] {
        add(
            format!("notification_page {page}"),
            sql::notification_page_stmt(user, &table, after, 21),
            false,
        );
    }
    add(
        "unread_notifications".into(),
        sql::unread_notifications_stmt(user, &table),
        false,
    );

    // A seller's cases, a brand's and staff's; a brand's webhook log.
    for (who, b) in [("brand", Some(brand)), ("staff", None)] {
        add(
            format!("seller_cases {who}"),
            sql::seller_cases_stmt("S-1", b, 500),
            false,
        );
    }
    add(
        "deliveries of an endpoint".into(),
        sql::deliveries_stmt(brand, "ep_0001", 100),
        false,
    );
    add(
        "attempts_of_endpoint".into(),
        sql::attempts_of_endpoint_stmt("ep_0001", 100),
        false,
    );

    // The Cron Trigger's work lists.
    for status in [Status::AwaitingBrand, Status::Appealed, Status::TakenDown] {
        add(
            format!("cases_past_deadline {}", status.as_str()),
            sql::cases_past_deadline_stmt(status, now, 100),
            false,
        );
    }
    add(
        "due_cases".into(),
        sql::due_cases_stmt(brand, Status::AwaitingBrand.as_str(), now + DAY),
        false,
    );
    add(
        "unannounced_deadlines".into(),
        sql::unannounced_deadlines_stmt(now + DAY, 100),
        false,
    );
    add(
        "listings_pending_snapshot".into(),
        sql::listings_pending_snapshot_stmt(50),
        false,
    );
    add(
        "unapplied_inbound".into(),
        sql::unapplied_inbound_stmt(now - 60_000, 50),
        false,
    );
    out
}

/// The names of the indexes whose first column is `brand_id`, from the schema's
/// `(name, sql)` rows of `sqlite_master` (the same query on SQLite and D1). Indexes SQLite makes
/// itself (no SQL) lead with no brand.
pub fn brand_led_indexes(schema: &[(String, Option<String>)]) -> Vec<String> {
    schema
        .iter()
        .filter(|(_, sql)| sql.as_deref().and_then(first_indexed_column) == Some("brand_id"))
        .map(|(name, _)| name.clone())
        .collect()
}

/// The first column of a `CREATE [UNIQUE] INDEX name ON table (col, …)` statement.
pub fn first_indexed_column(create: &str) -> Option<&str> {
    let lower = create.to_ascii_lowercase();
    let on = lower.find(" on ")?;
    let open = on + create[on..].find('(')?;
    create[open + 1..]
        .split([',', ')'])
        .next()?
        .split_whitespace()
        .next()
        .map(|c| c.trim_matches(['"', '`', '[', ']']))
}

fn tokens(sql: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(sql.len() * 2);
    for ch in sql.chars() {
        if matches!(ch, '(' | ')' | ',' | ';') {
            spaced.push(' ');
            spaced.push(ch);
            spaced.push(' ');
        } else {
            spaced.push(ch);
        }
    }
    spaced
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect()
}

/// What each watched table is called in `sql`'s plan: its aliases (`FROM cases c`,
/// `JOIN case_events AS e`), and its own name where it has none.
pub fn watched_names(sql: &str) -> Vec<(String, &'static str)> {
    const NOT_ALIAS: [&str; 22] = [
        "on", "where", "join", "left", "cross", "inner", "outer", "natural", "group", "order",
        "limit", "using", "union", "having", "window", "set", "and", "values", ",", ")", "(", ";",
    ];
    let t = tokens(sql);
    let mut names = Vec::new();
    for i in 0..t.len() {
        if !matches!(t[i].as_str(), "from" | "join" | ",") {
            continue;
        }
        let Some(table) = t.get(i + 1).and_then(|n| WATCHED.iter().find(|w| **w == n)) else {
            continue;
        };
        let alias = match t.get(i + 2).map(String::as_str) {
            Some("as") => t.get(i + 3).cloned(),
            Some(a) if !NOT_ALIAS.contains(&a) => Some(a.to_owned()),
            _ => None,
        };
        let name = alias.unwrap_or_else(|| (*table).to_owned());
        if !names.iter().any(|(n, _)| *n == name) {
            names.push((name, *table));
        }
    }
    names
}

/// The steps of a statement's plan that break the rule (empty: none). `brand_led`: the indexes
/// that lead with `brand_id` (`brand_led_indexes`).
pub fn plan_problems(p: &Planned, rows: &[PlanRow], brand_led: &[String]) -> Vec<String> {
    let names = watched_names(p.stmt.sql);
    let mut problems = Vec::new();
    for (_, _, detail) in rows {
        let mut words = detail.split_whitespace();
        if words.next() == Some("SCAN") && !detail.contains("VIRTUAL TABLE") {
            let scanned = words.next().unwrap_or_default().to_ascii_lowercase();
            if let Some((_, table)) = names.iter().find(|(n, _)| *n == scanned) {
                let index = detail
                    .split_once(" USING COVERING INDEX ")
                    .or_else(|| detail.split_once(" USING INDEX "))
                    .and_then(|(_, rest)| rest.split_whitespace().next());
                match index {
                    Some(i) if brand_led.iter().any(|b| b == i) => {}
                    Some(i) => problems.push(format!(
                        "`{detail}`: reads all of {table} through {i}, which does not lead with brand_id"
                    )),
                    None => problems.push(format!("`{detail}`: reads every row of {table}")),
                }
            }
        }
        if p.index_ordered && detail.contains("USE TEMP B-TREE FOR ORDER BY") {
            problems.push(format!(
                "`{detail}`: sorts every matching case instead of reading an index in order"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(sql: &'static str, index_ordered: bool) -> Planned {
        Planned {
            name: "t".into(),
            stmt: Stmt::new(sql, vec![]),
            index_ordered,
        }
    }

    fn rows(details: &[&str]) -> Vec<PlanRow> {
        details
            .iter()
            .enumerate()
            .map(|(i, d)| (i as i64 + 2, 0, (*d).to_owned()))
            .collect()
    }

    fn brand_led() -> Vec<String> {
        brand_led_indexes(&[
            (
                "cases_by_brand".into(),
                Some("CREATE INDEX cases_by_brand ON cases(brand_id, created_at DESC, id DESC)".into()),
            ),
            (
                "cases_by_status_deadline".into(),
                Some("CREATE INDEX cases_by_status_deadline ON cases(status, deadline_at)".into()),
            ),
            (
                "audit_log_notices".into(),
                Some("CREATE INDEX audit_log_notices ON audit_log (brand_id, notice, at) WHERE notice IS NOT NULL".into()),
            ),
            ("sqlite_autoindex_cases_1".into(), None),
        ])
    }

    #[test]
    fn the_first_column_of_an_index_is_read_from_its_sql() {
        assert_eq!(
            first_indexed_column("CREATE INDEX cases_by_brand_due ON cases(brand_id, coalesce(deadline_at, 9007199254740991), id)"),
            Some("brand_id")
        );
        assert_eq!(
            first_indexed_column("CREATE UNIQUE INDEX sessions_by_id ON sessions(id)"),
            Some("id")
        );
        assert_eq!(
            first_indexed_column("CREATE INDEX x ON audit_log ( \"brand_id\" DESC, at)"),
            Some("brand_id")
        );
        assert_eq!(first_indexed_column("CREATE TABLE t (a)"), None);
        assert_eq!(brand_led(), ["cases_by_brand", "audit_log_notices"]);
    }

    #[test]
    fn aliases_of_the_watched_tables_are_found_in_from_and_join() {
        let names = watched_names(
            "SELECT c.id FROM cases c CROSS JOIN brands b ON b.id = c.brand_id
             JOIN case_events AS e ON e.case_id = c.id, inbound_events
             WHERE c.id IN (SELECT case_id FROM cases_search WHERE cases_search MATCH ?1)
               AND EXISTS (SELECT 1 FROM cases WHERE brand_id = ?2)",
        );
        assert_eq!(
            names,
            [
                ("c".to_owned(), "cases"),
                ("e".to_owned(), "case_events"),
                ("inbound_events".to_owned(), "inbound_events"),
                ("cases".to_owned(), "cases"),
            ]
        );
    }

    #[test]
    fn a_read_of_every_brands_cases_is_a_problem_and_a_brand_range_is_not() {
        let p = planned(
            "SELECT c.id FROM cases c JOIN brands b ON b.id = c.brand_id ORDER BY c.created_at",
            false,
        );
        let led = brand_led();
        // Good: searched by brand, or a scan of a brand-led index, or a scan of another table.
        for good in [
            "SEARCH c USING INDEX cases_by_brand (brand_id=? AND created_at<?)",
            "SEARCH c USING COVERING INDEX cases_by_brand_status_id (brand_id=?)",
            "SCAN c USING INDEX cases_by_brand",
            "SCAN c USING COVERING INDEX cases_by_brand",
            "SCAN b",
            "SEARCH b USING INDEX sqlite_autoindex_brands_1 (id=?)",
            "SCAN json_each VIRTUAL TABLE INDEX 1:",
            "USE TEMP B-TREE FOR ORDER BY",
        ] {
            assert!(plan_problems(&p, &rows(&[good]), &led).is_empty(), "{good}");
        }
        // Bad: every row, or every row of an index that is not the brand's.
        for bad in [
            "SCAN c",
            "SCAN c USING INDEX cases_by_status_deadline",
            "SCAN c USING COVERING INDEX cases_by_status_deadline",
            "SCAN c USING INDEX sqlite_autoindex_cases_1",
        ] {
            let problems = plan_problems(&p, &rows(&["SCAN b", bad]), &led);
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert!(problems[0].contains(bad), "{problems:?}");
        }
        // Unaliased, and the history and the inbound events alike.
        let q = planned(
            "SELECT count(*) FROM cases WHERE status = ?1
             UNION ALL SELECT count(*) FROM case_events e WHERE e.at > ?2
             UNION ALL SELECT count(*) FROM inbound_events WHERE state = 'dead'",
            false,
        );
        let problems = plan_problems(
            &q,
            &rows(&[
                "SCAN cases",
                "SCAN e",
                "SCAN inbound_events USING COVERING INDEX inbound_by_state",
                "SEARCH inbound_events USING COVERING INDEX inbound_by_state (state=?)",
            ]),
            &led,
        );
        assert_eq!(problems.len(), 3, "{problems:#?}");
    }

    #[test]
    fn the_case_list_must_not_sort_its_rows() {
        let led = brand_led();
        let sorted = rows(&[
            "SEARCH c USING INDEX cases_by_brand (brand_id=?)",
            "USE TEMP B-TREE FOR ORDER BY",
        ]);
        let page = planned("SELECT c.id FROM cases c WHERE c.brand_id = ?1", true);
        let problems = plan_problems(&page, &sorted, &led);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("sorts every matching case"));
        let other = planned("SELECT c.id FROM cases c WHERE c.brand_id = ?1", false);
        assert!(plan_problems(&other, &sorted, &led).is_empty());
    }

    /// Every `sql` function that reads a list of rows, or a dashboard figure, is in the
    /// catalogue, or listed here with the reason it is not: a new list statement must be added.
    const NOT_IN_CATALOGUE: &[(&str, &str)] = &[
        (
            "ip_rights",
            "a brand's rights: ip_rights by its brand index, no watched table",
        ),
        ("known_listings", "listings by primary key"),
        (
            "open_cases_of_listing",
            "cases by their listing (cases_by_listing), for a marketplace event",
        ),
        ("case_moves", "the cases of one batch, by primary key"),
        (
            "events_to_backfill",
            "a chunk of the partial index holding only the history to backfill",
        ),
        ("evidence", "one case's files, by case"),
        (
            "all_users",
            "operators' people list: users, no watched table",
        ),
        ("open_sessions", "one person's sessions"),
        ("all_brands", "brands, no watched table"),
        ("brands_managed_by", "brands by manager, no watched table"),
        ("members", "one brand's memberships"),
        ("memberships_of", "one person's memberships"),
        ("pending_invitations", "one brand's invitations"),
        ("api_keys", "one brand's keys"),
        ("endpoints", "one brand's webhook endpoints"),
        (
            "secrets_not_sealed_under",
            "webhook endpoints, once per key rotation",
        ),
        (
            "leased_deliveries",
            "the deliveries one cron run leased, by lease",
        ),
        ("leased_actions", "the outbox rows one cron run leased"),
        ("actions_of_case", "one case's actions, by case"),
        ("notification_settings", "one person's choices"),
        ("leased_mail", "the emails one cron run leased, by lease"),
    ];

    /// The `pub async fn`s of the `sql` modules that return rows to list, or a figure.
    fn list_functions() -> Vec<String> {
        let sources = [
            include_str!("audit.rs"),
            include_str!("cases.rs"),
            include_str!("dashboard.rs"),
            include_str!("identity.rs"),
            include_str!("integrations.rs"),
            include_str!("marketplace.rs"),
            include_str!("notifications.rs"),
            include_str!("portfolio.rs"),
            include_str!("retention.rs"),
        ];
        let mut found = Vec::new();
        for (i, source) in sources.iter().enumerate() {
            let is_dashboard = i == 2;
            for part in source.split("pub async fn ").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let signature = part.split('{').next().unwrap_or_default();
                if signature.contains("Result<Vec<")
                    || is_dashboard
                    || name == "unread_notifications"
                {
                    found.push(name);
                }
            }
        }
        found
    }

    #[test]
    fn every_list_statement_is_in_the_catalogue() {
        let b = BrandId(uuid::Uuid::from_u128(1));
        let u = UserId(uuid::Uuid::from_u128(2));
        let all = catalogue(
            b,
            &[b, BrandId(uuid::Uuid::from_u128(3))],
            u,
            1_790_000_000_000,
        );
        let covered: Vec<&str> = all
            .iter()
            .map(|p| p.name.split_whitespace().next().unwrap_or_default())
            .collect();
        let lists = list_functions();
        assert!(lists.len() > 30, "{lists:?}");
        for f in &lists {
            let exempt = NOT_IN_CATALOGUE.iter().any(|(n, _)| n == f);
            assert!(
                covered.contains(&f.as_str()) != exempt,
                "{f}: add it to the catalogue (sql/plans.rs), or to NOT_IN_CATALOGUE with the reason"
            );
        }
        for (n, _) in NOT_IN_CATALOGUE {
            assert!(
                lists.iter().any(|f| f == n),
                "{n} is no longer a list function"
            );
        }
        // Every sort with every filter, from its start and from a cursor.
        let pages = all
            .iter()
            .filter(|p| p.name.starts_with("case_page "))
            .count();
        assert_eq!(pages, CaseSort::ALL.len() * case_filters(0).len() * 2);
        assert!(all
            .iter()
            .all(|p| p.index_ordered == p.name.starts_with("case_page ")));
        let mut names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "names are unique");
    }

    #[test]
    fn the_case_filters_are_the_use_cases_own() {
        let filters = case_filters(1_790_000_000_000);
        let search = &filters.iter().find(|(n, _)| *n == "search").unwrap().1;
        assert!(search.fts.is_some() && search.substring.is_none());
        let short = &filters
            .iter()
            .find(|(n, _)| *n == "short search")
            .unwrap()
            .1;
        assert!(short.fts.is_none() && short.substring.is_some());
        let every = &filters
            .iter()
            .find(|(n, _)| *n == "every filter")
            .unwrap()
            .1;
        assert!(
            every.status.is_some()
                && every.origin.is_some()
                && every.reason.is_some()
                && every.from.is_some()
                && every.to.is_some()
                && every.fts.is_some()
        );
    }
}
