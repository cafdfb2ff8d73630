//! Races, end to end on wrangler dev with the marketplace simulator: moves that compete for one
//! case are fired at the same moment (the brand's confirmation and withdrawal, the Cron
//! Trigger's deadline, the marketplace's `listing.removed`; an answer to an appeal against its
//! deadline), and two cron runs overlap over work that is due. Exactly one move wins, the others
//! answer 409 with a code or do nothing, each action reaches the marketplace once, and the
//! history agrees with the status (docs/cases.md#races).
//!
//! The races are run for Dorado, whose good standing is already lost (seeded): the takedowns
//! they reinstate must not cost Aurelia its auto lane, which later tests count on.
//!
//! The Worker's clock is global, so every test here holds `CLOCK`. A case is made "past its
//! deadline" by making it with the clock moved back (`PAST`), then racing at the real time: its
//! deadline is then older than any other case's, so the cron's 50 moves per run reach it first.

use jf_tests::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static CLOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const DAY_MS: i64 = 86_400_000;
/// Where the clock is while the racing cases are made: their deadlines (7 days for a flag, 3
/// for an appeal) are long past at the real time.
const PAST: i64 = -60 * DAY_MS;
/// How many fresh cases each race is run on.
const ROUNDS: usize = 8;

/// The clock moved while it is held; put back to 0 when dropped, also when a test fails
/// while holding it (the Worker's clock is shared with every later test).
struct MovedClock;

impl MovedClock {
    async fn to(offset_ms: i64) -> MovedClock {
        set_clock_offset(offset_ms).await;
        MovedClock
    }
}

impl Drop for MovedClock {
    fn drop(&mut self) {
        // Drop cannot await: the reset runs on a runtime of its own, on a thread of its own.
        let reset = std::thread::spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| rt.block_on(set_clock_offset(0)))
        });
        let _ = reset.join();
    }
}

/// The simulator answering 503 while it is held; back to normal when dropped, also when a
/// test fails while holding it.
struct MarketDown;

impl MarketDown {
    async fn now() -> MarketDown {
        let a = simulator("POST", "/__mode", Some(json!({ "mode": "down" }))).await;
        assert_eq!(a.status, 200, "{}", a.text);
        MarketDown
    }
}

impl Drop for MarketDown {
    fn drop(&mut self) {
        let reset = std::thread::spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| {
                    rt.block_on(simulator(
                        "POST",
                        "/__mode",
                        Some(json!({ "mode": "normal" })),
                    ))
                })
        });
        let _ = reset.join();
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Runs the cron until no flag, appeal or takedown of anyone is past its deadline, so that the
/// cases a race makes are the only ones the cron's deadline step has to move.
async fn drain_deadlines() {
    for _ in 0..40 {
        let due = d1_count(&format!(
            "SELECT count(*) AS n FROM cases WHERE status IN ('awaiting_brand', 'appealed', 'taken_down')
               AND deadline_at IS NOT NULL AND deadline_at <= {}",
            now_ms()
        ))
        .await;
        if due == 0 {
            return;
        }
        run_cron().await;
    }
    panic!("the cron never caught up with the deadlines already past");
}

fn flag_event(listing: &str, title: &str) -> Value {
    json!({ "type": "listing.flagged", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "brand_ref": "BR-DORADO",
        "listing": { "listing_id": listing, "url": format!("https://market.example/item/{listing}"), "title": title,
                     "price": { "amount": "19.99", "currency": "EUR" }, "image_url": null,
                     "seller": { "seller_id": "SEL-RACE", "name": "Seller SEL-RACE" } },
        "detection": { "score": 0.9, "signals": ["logo_mismatch"] } } })
}

/// Flags a fresh listing of Dorado (at whatever the clock is); the open case's id and listing.
async fn flag_fresh(title: &str) -> (String, String) {
    let listing = new_listing(title, "SEL-RACE").await;
    let sent = webhook(&unique("msg_race_flag"), &flag_event(&listing, title)).await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert_eq!(sent.json()["outcome"], "applied", "{}", sent.text);
    let rows = d1_rows(&format!(
        "SELECT id FROM cases WHERE listing_id = '{listing}' AND is_open = 1"
    ))
    .await;
    assert_eq!(rows.len(), 1, "one open case for {listing}: {rows:?}");
    (rows[0]["id"].as_str().unwrap().to_owned(), listing)
}

/// One event of a case: (seq, kind, from, to).
type Event = (i64, String, Option<String>, Option<String>);

/// The case's status and history, read in one statement (so one cannot be newer than the other).
async fn history(case: &str) -> (String, Vec<Event>) {
    let rows = d1_rows(&format!(
        "SELECT c.status, (SELECT json_group_array(json_array(e.seq, e.kind, e.from_status, e.to_status))
                           FROM case_events e WHERE e.case_id = c.id) AS events
         FROM cases c WHERE c.id = '{case}'"
    ))
    .await;
    let status = rows[0]["status"].as_str().unwrap().to_owned();
    let raw: Vec<Value> = serde_json::from_str(rows[0]["events"].as_str().unwrap()).unwrap();
    let mut events: Vec<Event> = raw
        .iter()
        .map(|e| {
            (
                e[0].as_i64().unwrap(),
                e[1].as_str().unwrap().to_owned(),
                e[2].as_str().map(str::to_owned),
                e[3].as_str().map(str::to_owned),
            )
        })
        .collect();
    events.sort_by_key(|e| e.0);
    (status, events)
}

const FINAL: [&str; 7] = [
    "declined",
    "cleared",
    "expired",
    "withdrawn",
    "upheld",
    "reinstated",
    "listing_gone",
];

/// The history agrees with itself and the status: numbered 1, 2, 3…, every move starts where
/// the previous one ended, at most one move reaches a final status, and the status is where the
/// last move ended.
fn assert_history_agrees(status: &str, events: &[Event], context: &str) {
    let seqs: Vec<i64> = events.iter().map(|e| e.0).collect();
    assert_eq!(
        seqs,
        (1..=events.len() as i64).collect::<Vec<_>>(),
        "{context}: {events:?}"
    );
    let moves: Vec<&Event> = events.iter().filter(|e| e.3.is_some()).collect();
    for pair in moves.windows(2) {
        assert_eq!(
            pair[1].2, pair[0].3,
            "{context}: {} does not start where {} ended: {events:?}",
            pair[1].1, pair[0].1
        );
    }
    let finals = moves
        .iter()
        .filter(|e| e.3.as_deref().is_some_and(|s| FINAL.contains(&s)))
        .count();
    assert!(finals <= 1, "{context}: {finals} final moves: {events:?}");
    assert_eq!(
        moves.last().and_then(|e| e.3.as_deref()),
        Some(status),
        "{context}: the status is where the last move ended: {events:?}"
    );
}

/// The case's outbox actions: (id, kind), oldest first.
async fn outbox_of(case: &str) -> Vec<(String, String)> {
    d1_rows(&format!(
        "SELECT id, kind FROM outbox WHERE case_id = '{case}' ORDER BY created_at, id"
    ))
    .await
    .iter()
    .map(|r| {
        (
            r["id"].as_str().unwrap().to_owned(),
            r["kind"].as_str().unwrap().to_owned(),
        )
    })
    .collect()
}

/// How many requests the simulator received under each idempotency key (`webhook-id`).
async fn received_by_key() -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for a in simulator("GET", "/__actions", None)
        .await
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        if let Some(key) = a["webhook_id"].as_str() {
            *seen.entry(key.to_owned()).or_insert(0) += 1;
        }
    }
    seen
}

/// Every one of the actions reaches the marketplace, and each exactly once: one send per
/// idempotency key, no repeat (the lease keeps the request's own send and the cron's apart).
async fn assert_each_sent_once(actions: &[(String, String)], context: &str) {
    if actions.is_empty() {
        return;
    }
    eventually(
        &format!("{context}: every action reaches the marketplace"),
        || async {
            let seen = received_by_key().await;
            actions
                .iter()
                .all(|(id, _)| seen.contains_key(id))
                .then_some(())
        },
    )
    .await;
    // A repeat would come from a second sender at the same moment: give it time to show.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let seen = received_by_key().await;
    for (id, kind) in actions {
        assert_eq!(
            seen.get(id).copied(),
            Some(1),
            "{context}: {kind} {id} was received {:?} times",
            seen.get(id)
        );
    }
}

/// What a person's move came to: "moved" (200), or "409 <reason code>" with the error code
/// `conflict`. Anything else fails.
fn decided(a: &Answer, who: &str, context: &str) -> String {
    match a.status {
        200 => "moved".into(),
        409 => {
            assert_eq!(a.error_code(), "conflict", "{context}: {who}: {}", a.text);
            let reason = a.json()["error"]["reason"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(
                reason == "changed_meanwhile" || reason == "case_state",
                "{context}: {who}: a 409 with a clear reason: {}",
                a.text
            );
            format!("409 {reason}")
        }
        other => panic!("{context}: {who} answered {other}: {}", a.text),
    }
}

/// Waits `ms` before firing, so that across the rounds each contender gets to go first.
async fn after<T>(ms: u64, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    f.await
}

/// (a) On each of 8 fresh flags past their deadline, four moves fired at once: the brand's
/// admin confirms, its account manager withdraws for it, the cron expires, and the marketplace
/// says the listing
/// is gone. One of them takes the case out of `awaiting_brand`; a person who lost gets a 409
/// with a code; the webhook still answers 2xx (applied, or stored for the cron to apply); the
/// case has at most one action (a takedown, only when the confirmation won) and its history
/// agrees with its status.
#[tokio::test]
async fn a_confirmation_a_withdrawal_the_deadline_and_a_removal_at_once_move_a_flag_once() {
    let _c = CLOCK.lock().await;
    drain_deadlines().await;
    let dora = Caller::login("dora@dorado.test").await;
    let am = Caller::login("am@marketplace.test").await;
    let dorado = brand_id("Dorado").await;
    let right = usable_right(&dora, &dorado).await;
    let mut winners = BTreeMap::new();
    let mut removals = Vec::new();
    let mut cases = Vec::new();
    for round in 0..ROUNDS {
        let context = format!("round {round}");
        // Made in the past, so its week to confirm is over now.
        let past = MovedClock::to(PAST).await;
        let (case, listing) = flag_fresh(&format!("Race flag {} #{round}", unique(""))).await;
        drop(past);
        let path = |what: &str| format!("/api/v1/brands/{dorado}/cases/{case}/{what}");
        let removal_id = unique("msg_race_removed");
        let removed = json!({ "type": "listing.removed", "timestamp": "2026-11-28T10:00:00Z",
            "data": { "listing_id": listing, "reason": "seller_deleted" } });
        // A different contender gets a head start of a few milliseconds each round.
        let lag = |who: usize| if who == round % 4 { 0 } else { 5 };
        let (confirm_path, withdraw_path) = (path("confirm"), path("withdraw"));
        let (confirmed, withdrawn, (), webhooked) = tokio::join!(
            after(
                lag(0),
                dora.send(
                    "POST",
                    &confirm_path,
                    Some(json!({ "ip_right_id": right, "reason_code": "counterfeit" })),
                )
            ),
            after(
                lag(1),
                am.send(
                    "POST",
                    &withdraw_path,
                    Some(json!({ "reason": "Filed against the wrong listing" })),
                )
            ),
            after(lag(2), run_cron()),
            after(lag(3), webhook(&removal_id, &removed)),
        );
        let (status, events) = history(&case).await;
        let out_of_flag: Vec<&Event> = events
            .iter()
            .filter(|e| e.2.as_deref() == Some("awaiting_brand"))
            .collect();
        assert_eq!(
            out_of_flag.len(),
            1,
            "{context}: exactly one move out of awaiting_brand: {events:?}"
        );
        let winner = out_of_flag[0].1.clone();
        *winners.entry(winner.clone()).or_insert(0) += 1;
        let confirm = decided(&confirmed, "the confirmation", &context);
        let withdraw = decided(&withdrawn, "the withdrawal", &context);
        assert_eq!(
            confirm == "moved",
            winner == "confirm",
            "{context}: {confirm}"
        );
        assert_eq!(
            withdraw == "moved",
            winner == "withdraw",
            "{context}: {withdraw}"
        );
        assert_eq!(webhooked.status, 200, "{context}: {}", webhooked.text);
        let outcome = webhooked.json()["outcome"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            outcome == "applied" || outcome == "stored",
            "{context}: the removal was {outcome}"
        );
        let actions = outbox_of(&case).await;
        let kinds: Vec<&str> = actions.iter().map(|a| a.1.as_str()).collect();
        if winner == "confirm" {
            assert_eq!(kinds, ["listing.takedown"], "{context}");
        } else {
            assert!(kinds.is_empty(), "{context}: {winner} won, yet {kinds:?}");
        }
        assert_history_agrees(&status, &events, &context);
        assert_each_sent_once(&actions, &context).await;
        removals.push(removal_id);
        cases.push((case, winner, actions));
    }

    // A removal that lost (stored) is applied by a later run, once: after a confirmation it may
    // still end the case (the listing is gone); after any other winner it changes nothing.
    {
        let later = MovedClock::to(2 * 60_000).await;
        run_cron().await;
        drop(later);
    }
    for id in &removals {
        let rows = d1_rows(&format!(
            "SELECT state FROM inbound_events WHERE webhook_id = '{id}'"
        ))
        .await;
        assert_eq!(rows[0]["state"], "applied", "removal {id}");
    }
    for (case, winner, actions) in &cases {
        let context = format!("case {case} ({winner} won), after the later run");
        let (status, events) = history(case).await;
        assert_history_agrees(&status, &events, &context);
        let moves_out = events
            .iter()
            .filter(|e| e.2.as_deref() == Some("awaiting_brand"))
            .count();
        assert_eq!(moves_out, 1, "{context}: {events:?}");
        assert_eq!(&outbox_of(case).await, actions, "{context}: no new action");
        if winner != "confirm" {
            assert_eq!(
                events.len(),
                2,
                "{context}: nothing after the winner: {events:?}"
            );
        }
    }
    // Which contender won each round, for the record (the timing decides; all must be legal).
    println!("winners over {ROUNDS} rounds: {winners:?}");
    assert!(
        winners
            .keys()
            .all(|w| ["confirm", "withdraw", "expire", "listing_removed"].contains(&w.as_str())),
        "{winners:?}"
    );
}

/// A flag confirmed and taken down (the simulator completes the takedown), then appealed by
/// its seller, all at whatever the clock is: the case id.
async fn appealed_case(member: &Caller, dorado: &str, right: &str, title: &str) -> String {
    let (case, listing) = flag_fresh(title).await;
    let confirmed = member
        .send(
            "POST",
            &format!("/api/v1/brands/{dorado}/cases/{case}/confirm"),
            Some(json!({ "ip_right_id": right, "reason_code": "counterfeit" })),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    eventually("the simulator completes the takedown", || async {
        (history(&case).await.0 == "taken_down").then_some(())
    })
    .await;
    let appeal = webhook(
        &unique("msg_race_appeal"),
        &json!({ "type": "appeal.filed", "timestamp": "2026-11-28T10:00:00Z", "data": {
        "appeal_id": unique("AP-RACE-"), "brand_ref": "BR-DORADO", "listing_id": listing,
        "seller": { "seller_id": "SEL-RACE", "name": "Seller SEL-RACE" },
        "statement": "These are genuine goods bought from an authorised reseller.",
        "evidence_urls": [] } }),
    )
    .await;
    assert_eq!(appeal.status, 200, "{}", appeal.text);
    assert_eq!(appeal.json()["outcome"], "applied", "{}", appeal.text);
    case
}

/// Makes, with the clock moved back, a fresh appeal whose 3-day deadline is long past; when
/// `escalate`, the brand escalates it then, so its arbitration's 5-day target is long past too.
async fn old_appeal(dorado: &str, escalate: bool) -> String {
    let past = MovedClock::to(PAST).await;
    // A session made at this time (one made at the real time would look idle for 60 days).
    let dora = Caller::login("dora@dorado.test").await;
    let right = usable_right(&dora, dorado).await;
    let title = format!("Race appeal {}", unique(""));
    let case = appealed_case(&dora, dorado, &right, &title).await;
    if escalate {
        let escalated = dora
            .send(
                "POST",
                &format!("/api/v1/brands/{dorado}/cases/{case}/appeal-response"),
                Some(json!({ "decision": "escalate" })),
            )
            .await;
        assert_eq!(escalated.status, 200, "{}", escalated.text);
        assert_eq!(escalated.json()["status"], "in_arbitration");
    }
    drop(past);
    case
}

/// (b) On fresh appeals past their 3-day deadline, the brand's answer (uphold, retract or
/// escalate, in turn) and the cron's deadline at once: one decision is recorded, a brand that
/// lost gets a 409 with a code, `appeal.decided` is written once (none when the escalation
/// won), the listing is reinstated at most once, and each action reaches the marketplace once.
/// Then an arbitration past its 5-day target and the cron at once: the manager's decision
/// stands (the cron never moves an arbitration), with one `appeal.decided`.
#[tokio::test]
async fn an_appeal_answer_and_the_appeal_deadline_at_once_decide_it_once() {
    let _c = CLOCK.lock().await;
    drain_deadlines().await;
    let dorado = brand_id("Dorado").await;
    let decisions = ["uphold", "retract", "escalate"];
    let rounds = 2 * decisions.len();
    let mut winners = BTreeMap::new();
    for round in 0..rounds {
        let decision = decisions[round % decisions.len()];
        let context = format!("round {round} ({decision})");
        // Made just before its race: the cron of an earlier round would have decided it.
        let case = old_appeal(&dorado, false).await;
        let dora = Caller::login("dora@dorado.test").await;
        let path = format!("/api/v1/brands/{dorado}/cases/{case}/appeal-response");
        let body = json!({ "decision": decision, "reason": "Our test buy proved it fake." });
        let (brand_lag, cron_lag) = if round % 2 == 0 { (0, 5) } else { (5, 0) };
        let (answered, ()) = tokio::join!(
            after(brand_lag, dora.send("POST", &path, Some(body))),
            after(cron_lag, run_cron()),
        );
        let (status, events) = history(&case).await;
        let answers: Vec<&Event> = events
            .iter()
            .filter(|e| e.2.as_deref() == Some("appealed"))
            .collect();
        assert_eq!(answers.len(), 1, "{context}: one decision: {events:?}");
        let winner = answers[0].1.clone();
        *winners.entry(winner.clone()).or_insert(0) += 1;
        let answer = decided(&answered, "the brand's answer", &context);
        assert_eq!(
            answer == "moved",
            winner != "appeal_deadline_passed",
            "{context}: {answer}, {winner} won"
        );
        let actions = outbox_of(&case).await;
        let count = |k: &str| actions.iter().filter(|a| a.1 == k).count();
        assert_eq!(
            count("appeal.decided"),
            usize::from(winner != "escalate"),
            "{context}: {actions:?}"
        );
        assert_eq!(
            count("listing.reinstate"),
            usize::from(status == "reinstated"),
            "{context}: {actions:?}"
        );
        assert_eq!(count("listing.takedown"), 1, "{context}: {actions:?}");
        assert_history_agrees(&status, &events, &context);
        let decided_actions: Vec<(String, String)> = actions
            .into_iter()
            .filter(|a| a.1 != "listing.takedown")
            .collect();
        assert_each_sent_once(&decided_actions, &context).await;
    }
    println!("winners over {rounds} rounds: {winners:?}");

    // An arbitration whose 5-day target is long past: the manager decides as the cron runs.
    let case = old_appeal(&dorado, true).await;
    let am = Caller::login("am@marketplace.test").await;
    let path = format!("/api/v1/brands/{dorado}/cases/{case}/arbitrate");
    let body = json!({ "decision": "uphold", "reason": "The test buy was conclusive." });
    let (arbitrated, ()) = tokio::join!(am.send("POST", &path, Some(body)), run_cron());
    assert_eq!(arbitrated.status, 200, "{}", arbitrated.text);
    let (status, events) = history(&case).await;
    assert_eq!(status, "upheld", "{events:?}");
    assert_history_agrees(&status, &events, "the arbitration");
    let decided: Vec<(String, String)> = outbox_of(&case)
        .await
        .into_iter()
        .filter(|a| a.1 == "appeal.decided")
        .collect();
    assert_eq!(decided.len(), 1, "one appeal.decided for the arbitration");
    assert_each_sent_once(&decided, "the arbitration").await;
}

/// The brand webhook endpoint of (c): answers 200 and counts what it receives by `webhook-id`.
async fn counting_endpoint(got: Arc<Mutex<BTreeMap<String, usize>>>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let got = got.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                // Headers, then as much body as they announce.
                let (head_end, length) = loop {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                    if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..pos]).to_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        break (pos + 4, len);
                    }
                };
                while buf.len() < head_end + length {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
                if let Some(id) = head
                    .lines()
                    .find_map(|l| l.strip_prefix("webhook-id:"))
                    .map(|v| v.trim().to_owned())
                {
                    *got.lock().unwrap().entry(id).or_insert(0) += 1;
                }
                let _ = sock
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await;
            });
        }
    });
    port
}

/// (c) Two cron runs at once over work that is due: flags past their deadline, an appeal past
/// its deadline, takedowns the marketplace did not take while it was down, the brand webhooks
/// queued by all those moves and the appeal's notification email. Each flag and the appeal are
/// moved once, each action reaches the marketplace once, each webhook delivery reaches the
/// endpoint once, and the email goes once to each person it goes to.
#[tokio::test]
async fn two_overlapping_cron_runs_do_each_due_thing_once() {
    let _c = CLOCK.lock().await;
    drain_deadlines().await;
    let dorado = brand_id("Dorado").await;
    let dora = Caller::login("dora@dorado.test").await;
    let got = Arc::new(Mutex::new(BTreeMap::new()));
    let port = counting_endpoint(got.clone()).await;
    let hooks = format!("/api/v1/brands/{dorado}/webhook-endpoints");
    let created = dora
        .send(
            "POST",
            &hooks,
            Some(json!({ "url": format!("http://127.0.0.1:{port}/races"),
                         "events": ["case.status_changed", "appeal.filed"] })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let endpoint = created.json()["endpoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let token = unique("RACECRON");
    let (expiring, appealed, pending) = {
        let past = MovedClock::to(PAST).await;
        let dora = Caller::login("dora@dorado.test").await;
        let right = usable_right(&dora, &dorado).await;
        let appealed = appealed_case(&dora, &dorado, &right, &format!("{token} appealed")).await;
        let mut expiring = Vec::new();
        for i in 0..4 {
            expiring.push(flag_fresh(&format!("{token} flag #{i}")).await.0);
        }
        // The marketplace is down: the confirmations' takedowns wait in the outbox.
        let down = MarketDown::now().await;
        let mut pending = Vec::new();
        for i in 0..3 {
            let (case, _) = flag_fresh(&format!("{token} confirmed #{i}")).await;
            let confirmed = dora
                .send(
                    "POST",
                    &format!("/api/v1/brands/{dorado}/cases/{case}/confirm"),
                    Some(json!({ "ip_right_id": right, "reason_code": "counterfeit" })),
                )
                .await;
            assert_eq!(confirmed.status, 200, "{}", confirmed.text);
            pending.push(case);
        }
        // Each confirmation's own send (right after its answer) has failed before the
        // marketplace is back, so the takedowns are owed to the cron.
        let cases: Vec<String> = pending.iter().map(|c| format!("'{c}'")).collect();
        eventually("the takedowns' first tries fail", || async {
            let failed = d1_count(&format!(
                "SELECT count(*) AS n FROM outbox WHERE case_id IN ({}) AND state = 'pending' AND attempts >= 1",
                cases.join(", ")
            ))
            .await;
            (failed == pending.len() as i64).then_some(())
        })
        .await;
        drop(down);
        drop(past);
        (expiring, appealed, pending)
    };
    // The takedowns' first tries (right after each confirmation) failed: they are still owed.
    let mut owed = Vec::new();
    for case in &pending {
        let actions = outbox_of(case).await;
        assert_eq!(actions.len(), 1, "{actions:?}");
        owed.push(actions[0].clone());
    }
    let owed_ids: Vec<String> = owed.iter().map(|a| format!("'{}'", a.0)).collect();
    let unsent = d1_count(&format!(
        "SELECT count(*) AS n FROM outbox WHERE state = 'pending' AND id IN ({})",
        owed_ids.join(", ")
    ))
    .await;
    assert_eq!(unsent, owed.len() as i64, "the takedowns wait, unsent");
    let mails_before = mailbox().len();

    tokio::join!(run_cron(), run_cron());

    for case in &expiring {
        let (status, events) = history(case).await;
        let expiries = events.iter().filter(|e| e.1 == "expire").count();
        assert_eq!(expiries, 1, "one expiry: {events:?}");
        assert_eq!(status, "expired");
        assert_history_agrees(&status, &events, "an expired flag");
    }
    let (status, events) = history(&appealed).await;
    assert_eq!(status, "reinstated", "{events:?}");
    let passed = events
        .iter()
        .filter(|e| e.1 == "appeal_deadline_passed")
        .count();
    assert_eq!(passed, 1, "one deadline move: {events:?}");
    assert_history_agrees(&status, &events, "the appeal");
    let decided: Vec<(String, String)> = outbox_of(&appealed)
        .await
        .into_iter()
        .filter(|a| a.1 != "listing.takedown")
        .collect();
    let kinds: Vec<&str> = decided.iter().map(|a| a.1.as_str()).collect();
    assert_eq!(
        kinds.len(),
        2,
        "a reinstatement and appeal.decided: {kinds:?}"
    );
    assert!(kinds.contains(&"listing.reinstate") && kinds.contains(&"appeal.decided"));
    let mut all = owed.clone();
    all.extend(decided);
    assert_each_sent_once(&all, "after two cron runs at once").await;

    // Every delivery queued for the endpoint by these moves reached it, each once.
    let deliveries: Vec<String> = d1_rows(&format!(
        "SELECT id FROM webhook_deliveries WHERE endpoint_id = '{endpoint}' AND state = 'delivered'"
    ))
    .await
    .iter()
    .map(|r| r["id"].as_str().unwrap().to_owned())
    .collect();
    assert!(!deliveries.is_empty(), "the moves' webhooks were delivered");
    let received = got.lock().unwrap().clone();
    for id in &deliveries {
        assert_eq!(
            received.get(id).copied(),
            Some(1),
            "delivery {id} received {:?} times",
            received.get(id)
        );
    }
    let repeated: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "deliveries received twice: {repeated:?}"
    );

    // The appeal's notification email (queued for each member who gets it by email): to each
    // of them, once.
    let queued = d1_count(&format!(
        "SELECT count(*) AS n FROM notification_mail q JOIN audit_log a ON a.id = q.audit_id
         WHERE a.subject_kind = 'case' AND a.subject_id = '{appealed}'"
    ))
    .await;
    let about_it = || -> Vec<Mail> {
        mailbox()
            .into_iter()
            .skip(mails_before)
            .filter(|m| m.text.contains(&token) || m.subject.contains(&token))
            .collect()
    };
    eventually("the appeal's notification emails", || async {
        (about_it().len() as i64 >= queued).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut per_person: BTreeMap<String, usize> = BTreeMap::new();
    for m in about_it() {
        *per_person.entry(m.to).or_insert(0) += 1;
    }
    assert_eq!(
        per_person.len() as i64,
        queued,
        "one email per person queued: {per_person:?}"
    );
    assert!(
        per_person.values().all(|n| *n == 1),
        "an email went twice: {per_person:?}"
    );

    let removed = dora
        .send("DELETE", &format!("{hooks}/{endpoint}"), None)
        .await;
    assert_eq!(removed.status, 204, "{}", removed.text);
}
