//! `cargo xtask crash`: SIGKILLs the local stack in the middle of signed webhook deliveries and
//! again in the middle of draining the outbox, restarts it on the same persisted state, and
//! checks that nothing answered 2xx was lost or applied twice, that every action reached the
//! marketplace with its idempotency key, and that no case is half-written (`bench/CRASH.md`).

use crate::stack::{self, Simulator, State, Wrangler};
use crate::tools::Tools;
use crate::{seed, Result};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The crash stack's ports: next to the test stack's, so a running dev or test stack is untouched.
pub const CRASH_PORT: u16 = 8807;
/// The simulator the `crash` environment of wrangler.toml names in its MARKETPLACE_* vars.
pub const CRASH_SIMULATOR_PORT: u16 = 8808;
/// The wrangler environment: the test configuration (TEST_CLOCK, `/api/__test/read`) pointed at
/// the crash simulator's port.
const ENV: &str = "crash";
/// Concurrent senders of webhook events, like a marketplace's delivery workers.
const SENDERS: usize = 16;
/// One in this many events answered 2xx before the crash is sent again after it (the
/// marketplace retries what it is unsure of; a duplicate must change nothing).
const RESEND_SAMPLE: usize = 10;
/// The demo brand whose listings are flagged (enrolled, with a usable right).
const BRAND_REF: &str = "BR-AURELIA";
const BRAND_ADMIN: &str = "alice@aurelia.test";
const DEV_WEBHOOK_SECRET: &str = "whsec_am9pbnRmb3JjZS1sb2NhbC1kZXYtc2VjcmV0LTAwMDE=";
/// Decisions per `cases/decisions` request (the route's maximum).
const DECISIONS_PER_REQUEST: usize = 100;

/// How much each phase does.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub events: usize,
    pub actions: usize,
}

impl Size {
    pub const FULL: Size = Size {
        events: 5_000,
        actions: 1_000,
    };
    /// What `cargo xtask test` runs.
    pub const SMALL: Size = Size {
        events: 500,
        actions: 100,
    };
}

/// `cargo xtask crash`: the full run; prints its figures and writes them to `bench/CRASH.md`.
pub fn run(tools: &Tools) -> Result {
    crate::build::all(tools)?;
    let results = crash(tools, Size::FULL)?;
    let report = markdown(Size::FULL, &results);
    println!("{report}");
    let path = tools.root.join("bench/CRASH.md");
    std::fs::write(&path, &report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("xtask: written to {}", path.display());
    match results.iter().find_map(|p| p.verdict.as_ref().err()) {
        Some(_) => Err("crash safety failed (see above)".into()),
        None => Ok(()),
    }
}

/// The smaller run of `cargo xtask test` (the app is already built): one labelled result a phase.
pub fn small(tools: &Tools) -> Vec<(String, Result)> {
    match crash(tools, Size::SMALL) {
        Ok(phases) => phases
            .into_iter()
            .map(|p| {
                for (what, figure) in &p.figures {
                    println!("xtask: crash {}: {what}: {figure}", p.name);
                }
                (format!("crash safety: {}", p.name), p.verdict)
            })
            .collect(),
        Err(e) => vec![("crash safety".to_owned(), Err(e))],
    }
}

/// One phase's outcome: its figures, and pass or fail with what was wrong.
pub struct Phase {
    pub name: &'static str,
    pub figures: Vec<(String, String)>,
    pub verdict: Result,
}

fn state() -> State {
    State {
        dir: crate::tools::root().join(".wrangler/crash-state"),
    }
}

/// Both phases on a fresh state directory of their own. An `Err` is a run that could not be
/// carried out (the stack did not start); a phase that ran and found a fault is a failed `Phase`.
fn crash(tools: &Tools, size: Size) -> Result<Vec<Phase>> {
    let state = state();
    state.wipe()?;
    stack::migrate(tools, &state, Some(ENV))?;
    seed::apply(tools, &state, Some(ENV))?;
    let server = Wrangler::start(tools, &state, CRASH_PORT, Some(ENV))?;
    let base = server.base_url();
    let simulator = Simulator::start_quiet(tools, CRASH_SIMULATOR_PORT, &base)?;
    let http = Http::new(&base, &simulator.url(""))?;
    // A run's ids are its own, so nothing left from an earlier run can be mistaken for it.
    let run_id = format!("{}", now_millis() % 100_000_000);
    let events = flagged_events(&run_id, size.events);

    println!(
        "xtask: crash phase 1: {} signed webhook events, SIGKILL halfway",
        size.events
    );
    let (server, webhooks) = webhook_phase(tools, &state, server, &http, &run_id, &events)?;
    let mut phases = vec![webhooks];
    if phases[0].verdict.is_err() {
        return Ok(phases);
    }
    println!(
        "xtask: crash phase 2: {} outbox actions, SIGKILL while the cron drains them",
        size.actions
    );
    let (server, outbox) = outbox_phase(tools, &state, server, &http, &run_id, size.actions)?;
    phases.push(outbox);
    drop(simulator);
    drop(server);
    Ok(phases)
}

// ---------------------------------------------------------------------------------------------
// Phase 1: webhooks

/// One `listing.flagged` event of the run: its webhook-id, its listing and the envelope sent.
#[derive(Clone, Debug)]
pub struct Flag {
    pub webhook_id: String,
    pub listing_id: String,
    pub body: String,
}

/// What the sender saw of one delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Never sent (the stack was down before its turn).
    NotSent,
    Answered(u16),
    /// Sent, no answer (connection refused or reset: the crash).
    NoAnswer(String),
}

impl Delivery {
    fn is_2xx(&self) -> bool {
        matches!(self, Delivery::Answered(200..=299))
    }
}

fn listing_json(listing_id: &str, i: usize) -> Value {
    json!({
        "listing_id": listing_id,
        "url": format!("https://market.example/item/{listing_id}"),
        "title": format!("Aurelia tote bag, crash run listing {i}"),
        "price": { "amount": "39.00", "currency": "EUR" },
        "image_url": "data:image/svg+xml;utf8,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/%3E",
        "seller": { "seller_id": format!("SEL-CRASH-{}", i % 97), "name": format!("Crash seller {}", i % 97) },
    })
}

fn flagged_events(run_id: &str, n: usize) -> Vec<Flag> {
    let timestamp = rfc3339_now();
    (0..n)
        .map(|i| {
            let listing_id = format!("CRASH-{run_id}-{i:05}");
            let body = json!({
                "type": "listing.flagged",
                "timestamp": timestamp,
                "data": {
                    "brand_ref": BRAND_REF,
                    "listing": listing_json(&listing_id, i),
                    "detection": { "score": 0.91, "signals": ["price_far_below_market", "crash_run"] },
                },
            })
            .to_string();
            Flag {
                webhook_id: format!("crash-{run_id}-{i:05}"),
                listing_id,
                body,
            }
        })
        .collect()
}

/// Sends the events of `which` from `SENDERS` threads, until all are sent or `stop` is set,
/// counting those answered 2xx in `answered` as they come; returns what each delivery got, in
/// the order of `which`.
fn send_all(
    http: &Http,
    events: &[Flag],
    which: &[usize],
    stop: &AtomicBool,
    answered: &AtomicUsize,
) -> Vec<Delivery> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(vec![Delivery::NotSent; which.len()]);
    std::thread::scope(|s| {
        for _ in 0..SENDERS {
            s.spawn(|| loop {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = which.get(k) else { return };
                let got = http.webhook(&events[i]);
                if got.is_2xx() {
                    answered.fetch_add(1, Ordering::Relaxed);
                }
                if let Ok(mut r) = results.lock() {
                    r[k] = got;
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn webhook_phase(
    tools: &Tools,
    state: &State,
    mut server: Wrangler,
    http: &Http,
    run_id: &str,
    events: &[Flag],
) -> Result<(Wrangler, Phase)> {
    let started = Instant::now();
    // The marketplace knows every listing it flags (for its takedown callbacks later).
    for (i, e) in events.iter().enumerate() {
        let mut listing = listing_json(&e.listing_id, i);
        listing["brand_ref"] = BRAND_REF.into();
        http.simulator("POST", "/__listings", Some(&listing))?;
    }
    let n = events.len();
    let all: Vec<usize> = (0..n).collect();
    let stop = AtomicBool::new(false);
    let answered = AtomicUsize::new(0);
    // The crash: once about half were answered, the whole process group dies at once.
    let first = std::thread::scope(|s| {
        let sending = s.spawn(|| send_all(http, events, &all, &stop, &answered));
        let deadline = Instant::now() + Duration::from_secs(600);
        while answered.load(Ordering::Relaxed) < n / 2
            && !sending.is_finished()
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        // No new delivery starts; those in flight meet the kill.
        stop.store(true, Ordering::Relaxed);
        let died = server.exited();
        server.kill_now();
        (sending.join().unwrap_or_default(), died)
    });
    let (first, died) = first;
    let answered_2xx = first.iter().filter(|s| s.is_2xx()).count();
    let other = first
        .iter()
        .filter(|s| matches!(s, Delivery::Answered(c) if !(200..=299).contains(c)))
        .count();
    let no_answer = first
        .iter()
        .filter(|s| matches!(s, Delivery::NoAnswer(_)))
        .count();
    let not_sent = first.iter().filter(|s| **s == Delivery::NotSent).count();
    println!(
        "xtask: killed after {answered_2xx} of {n} answered 2xx ({no_answer} without answer, {other} other answers, {not_sent} not sent yet)"
    );

    let server = Wrangler::start(tools, state, CRASH_PORT, Some(ENV))?;
    let stored_at_restart = http.count(&format!(
        "SELECT count(*) AS n FROM inbound_events WHERE webhook_id LIKE 'crash-{run_id}-%' AND state = 'stored'"
    ))?;
    let again = resend_plan(&first);
    let second = send_all(
        http,
        events,
        &again,
        &AtomicBool::new(false),
        &AtomicUsize::new(0),
    );
    let resend_problems: Vec<String> = again
        .iter()
        .zip(&second)
        .filter(|(_, s)| !s.is_2xx())
        .map(|(&i, s)| format!("{} re-sent after the restart: {s:?}", events[i].webhook_id))
        .collect();
    // The cron leaves events of the last minute to the requests that stored them: move past it.
    http.set_clock(2 * 60_000)?;
    let cron_runs = cron_until(http, 200, || {
        http.count(&format!(
            "SELECT count(*) AS n FROM inbound_events WHERE webhook_id LIKE 'crash-{run_id}-%' AND state = 'stored'"
        ))
        .map(|n| n == 0)
    })?;

    let inbound = http.rows(&format!(
        "SELECT webhook_id, state, attempts FROM inbound_events WHERE webhook_id LIKE 'crash-{run_id}-%'"
    ))?;
    let cases = case_rows(http, run_id)?;
    let mut problems = resend_problems;
    if let Some(status) = died {
        problems.push(format!(
            "wrangler exited on its own ({status}) before the kill, under the webhook load"
        ));
    }
    problems.extend(check_webhooks(events, &first, &inbound, &cases));
    let figures = vec![
        (
            "events".into(),
            format!("{n}, from {SENDERS} concurrent senders"),
        ),
        (
            "answered 2xx before the kill".into(),
            answered_2xx.to_string(),
        ),
        (
            "answered otherwise before the kill".into(),
            other.to_string(),
        ),
        (
            "sent, no answer (in flight at the kill)".into(),
            no_answer.to_string(),
        ),
        ("not sent before the kill".into(), not_sent.to_string()),
        (
            "stored but not applied at the restart".into(),
            stored_at_restart.to_string(),
        ),
        (
            "re-sent after the restart".into(),
            format!(
                "{} ({} not answered 2xx before, {} answered 2xx, as duplicates)",
                again.len(),
                n - answered_2xx,
                again.len() - (n - answered_2xx)
            ),
        ),
        ("cron runs until none stored".into(), cron_runs.to_string()),
        ("cases found".into(), cases.len().to_string()),
        (
            "time".into(),
            format!("{:.1} s", started.elapsed().as_secs_f64()),
        ),
    ];
    Ok((server, verdict("webhooks", figures, problems)))
}

/// Which events go again after the restart: every one not answered 2xx, and one in
/// `RESEND_SAMPLE` of those that were (at least one).
pub fn resend_plan(first: &[Delivery]) -> Vec<usize> {
    let mut plan: Vec<usize> = (0..first.len()).filter(|&i| !first[i].is_2xx()).collect();
    let answered: Vec<usize> = (0..first.len()).filter(|&i| first[i].is_2xx()).collect();
    let sample: Vec<usize> = answered.iter().copied().step_by(RESEND_SAMPLE).collect();
    plan.extend(sample);
    plan.sort_unstable();
    plan
}

/// A case of the run as SQL reads it, with its history and actions counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseRow {
    pub id: String,
    pub listing_id: String,
    pub status: String,
    pub version: i64,
    pub events: i64,
    pub max_seq: i64,
    pub flagged: i64,
    pub detections: i64,
    pub confirms: i64,
    /// The `to_status` of its latest event that moved it.
    pub last_to: String,
    pub actions: i64,
    pub takedowns: i64,
    pub sent: i64,
    /// The ids of its outbox rows (the idempotency keys).
    pub action_ids: Vec<String>,
}

fn case_rows(http: &Http, run_id: &str) -> Result<Vec<CaseRow>> {
    let rows = http.rows(&format!(
        "SELECT c.id, c.listing_id, c.status, c.version,
            (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) AS events,
            (SELECT coalesce(max(seq), 0) FROM case_events e WHERE e.case_id = c.id) AS max_seq,
            (SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'flagged') AS flagged,
            (SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'detection') AS detections,
            (SELECT count(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'confirm') AS confirms,
            (SELECT e.to_status FROM case_events e WHERE e.case_id = c.id AND e.to_status IS NOT NULL
               ORDER BY e.seq DESC LIMIT 1) AS last_to,
            (SELECT count(*) FROM outbox o WHERE o.case_id = c.id) AS actions,
            (SELECT count(*) FROM outbox o WHERE o.case_id = c.id AND o.kind = 'listing.takedown') AS takedowns,
            (SELECT count(*) FROM outbox o WHERE o.case_id = c.id AND o.state = 'sent') AS sent,
            (SELECT coalesce(group_concat(o.id), '') FROM outbox o WHERE o.case_id = c.id) AS action_ids
         FROM cases c WHERE c.listing_id LIKE 'CRASH-{run_id}-%' ORDER BY c.listing_id"
    ))?;
    Ok(rows
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            let n = |k: &str| r[k].as_i64().unwrap_or(-1);
            CaseRow {
                id: s("id"),
                listing_id: s("listing_id"),
                status: s("status"),
                version: n("version"),
                events: n("events"),
                max_seq: n("max_seq"),
                flagged: n("flagged"),
                detections: n("detections"),
                confirms: n("confirms"),
                last_to: s("last_to"),
                actions: n("actions"),
                takedowns: n("takedowns"),
                sent: n("sent"),
                action_ids: s("action_ids")
                    .split(',')
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect())
}

/// A case's own history agrees with it: one event per version with no gap in the sequence, its
/// latest move ends in its status, its flag applied once (a flag's event applied twice would add
/// a `detection` event), and one outbox row per confirmation, each a takedown.
fn case_problems(c: &CaseRow) -> Vec<String> {
    let mut p = Vec::new();
    let who = format!("case {} (listing {})", c.id, c.listing_id);
    if c.events != c.version || c.max_seq != c.events {
        p.push(format!(
            "{who}: version {} but {} events up to seq {}",
            c.version, c.events, c.max_seq
        ));
    }
    if c.last_to != c.status {
        p.push(format!(
            "{who}: status {} but its latest move is to {}",
            c.status, c.last_to
        ));
    }
    if c.flagged != 1 || c.detections != 0 {
        p.push(format!(
            "{who}: {} flagged and {} detection events: its one flag was applied more than once",
            c.flagged, c.detections
        ));
    }
    if c.actions != c.confirms || c.takedowns != c.confirms {
        p.push(format!(
            "{who}: {} confirmations but {} outbox rows ({} takedowns)",
            c.confirms, c.actions, c.takedowns
        ));
    }
    p
}

/// Phase 1's check, on what was sent and what SQL reads after the restart: every event is
/// stored once and applied (each one answered 2xx before the crash named as such), each
/// listing has exactly one case, awaiting the brand, whole and without actions.
pub fn check_webhooks(
    events: &[Flag],
    first: &[Delivery],
    inbound: &[Value],
    cases: &[CaseRow],
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut stored: HashMap<&str, Vec<&str>> = HashMap::new();
    for row in inbound {
        let id = row["webhook_id"].as_str().unwrap_or_default();
        stored
            .entry(id)
            .or_default()
            .push(row["state"].as_str().unwrap_or_default());
    }
    let mut by_listing: HashMap<&str, Vec<&CaseRow>> = HashMap::new();
    for c in cases {
        by_listing.entry(c.listing_id.as_str()).or_default().push(c);
    }
    let known: HashSet<&str> = events.iter().map(|e| e.listing_id.as_str()).collect();
    for (i, e) in events.iter().enumerate() {
        let before = if first.get(i).is_some_and(Delivery::is_2xx) {
            "answered 2xx before the crash"
        } else {
            "not answered 2xx before the crash, re-sent"
        };
        match stored.get(e.webhook_id.as_str()).map(Vec::as_slice) {
            None | Some([]) => {
                problems.push(format!("event {} ({before}) is not stored", e.webhook_id))
            }
            Some(["applied"]) => {}
            Some([state]) => problems.push(format!(
                "event {} ({before}) is {state}, not applied",
                e.webhook_id
            )),
            Some(states) => problems.push(format!(
                "event {} ({before}) is stored {} times",
                e.webhook_id,
                states.len()
            )),
        }
        match by_listing.get(e.listing_id.as_str()).map(Vec::as_slice) {
            None | Some([]) => problems.push(format!(
                "event {} ({before}): listing {} has no case",
                e.webhook_id, e.listing_id
            )),
            Some([c]) => {
                if c.status != "awaiting_brand" {
                    problems.push(format!(
                        "case {} of listing {} is {}, not awaiting_brand",
                        c.id, c.listing_id, c.status
                    ));
                }
                problems.extend(case_problems(c));
            }
            Some(many) => problems.push(format!(
                "event {} ({before}): listing {} has {} cases",
                e.webhook_id,
                e.listing_id,
                many.len()
            )),
        }
    }
    for c in cases
        .iter()
        .filter(|c| !known.contains(c.listing_id.as_str()))
    {
        problems.push(format!(
            "case {} of listing {} was never flagged by this run",
            c.id, c.listing_id
        ));
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Phase 2: outbox

fn outbox_phase(
    tools: &Tools,
    state: &State,
    mut server: Wrangler,
    http: &Http,
    run_id: &str,
    actions: usize,
) -> Result<(Wrangler, Phase)> {
    let started = Instant::now();
    let cases = case_rows(http, run_id)?;
    if cases.len() < actions {
        return Err(format!(
            "only {} cases to confirm, {actions} needed",
            cases.len()
        ));
    }
    let chosen: Vec<&CaseRow> = cases.iter().take(actions).collect();
    let session = http.sign_in(BRAND_ADMIN)?;
    let me = http.call_json("GET", "/api/v1/me", Some(&session), None)?;
    let brand = me["memberships"]
        .as_array()
        .and_then(|m| m.iter().find_map(|m| m["brand_id"].as_str()))
        .ok_or("alice has no brand")?
        .to_owned();
    let rights = http.call_json(
        "GET",
        &format!("/api/v1/brands/{brand}/ip-rights"),
        Some(&session),
        None,
    )?;
    let right = rights["rights"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["usable"] == true))
        .and_then(|r| r["id"].as_str())
        .ok_or("Aurelia has no usable right")?
        .to_owned();

    // The marketplace is down while the brand confirms: the immediate sends fail and every
    // action waits in the outbox for the cron.
    http.simulator("POST", "/__mode", Some(&json!({ "mode": "down" })))?;
    for chunk in chosen.chunks(DECISIONS_PER_REQUEST) {
        let decisions: Vec<Value> = chunk
            .iter()
            .map(|c| {
                json!({ "case_id": c.id, "version": c.version, "decision": "confirm",
                    "ip_right_id": right, "reason_code": "counterfeit" })
            })
            .collect();
        let answer = http.call_json(
            "POST",
            &format!("/api/v1/brands/{brand}/cases/decisions"),
            Some(&session),
            Some(&json!({ "decisions": decisions })),
        )?;
        let decided = answer["results"].as_array().map_or(0, |r| {
            r.iter().filter(|r| r["outcome"] == "decided").count()
        });
        if decided != chunk.len() {
            return Err(format!(
                "{decided} of {} confirmations decided: {answer}",
                chunk.len()
            ));
        }
    }
    // The immediate sends (after the answers) fail fast against a marketplace that is down.
    std::thread::sleep(Duration::from_secs(3));
    http.simulator("POST", "/__mode", Some(&json!({ "mode": "normal" })))?;
    // Past the failed sends' backoff and their leases: every action is due.
    let mut offset = 5 * 60_000;
    http.set_clock(offset)?;
    let keys: HashSet<String> = case_rows(http, run_id)?
        .iter()
        .flat_map(|c| c.action_ids.clone())
        .collect();
    if keys.len() != actions {
        return Err(format!(
            "{} outbox rows after {actions} confirmations",
            keys.len()
        ));
    }

    // The crash: cron runs drain the outbox; once some but not all actions reached the
    // marketplace, the whole process group dies at once.
    let threshold = (actions / 3).max(1);
    let stop = AtomicBool::new(false);
    let (delivered_at_kill, crons_before, died) = std::thread::scope(|s| {
        let cron = s.spawn(|| {
            let mut runs = 0;
            while !stop.load(Ordering::Relaxed) && runs < 50 {
                if http.cron().is_err() {
                    break;
                }
                runs += 1;
            }
            runs
        });
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut delivered = 0;
        while Instant::now() < deadline && !cron.is_finished() {
            delivered = http.delivered(&keys).map_or(delivered, |d| d.len());
            if delivered >= threshold {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // No new cron run starts; the one draining meets the kill.
        stop.store(true, Ordering::Relaxed);
        let died = server.exited();
        server.kill_now();
        let runs = cron.join().unwrap_or_default();
        (delivered, runs, died)
    });
    let delivered_after_kill = http.delivered(&keys)?.len();
    println!(
        "xtask: killed with {delivered_at_kill} of {actions} actions delivered ({delivered_after_kill} once the kill had landed)"
    );
    let killed_mid_drain = delivered_after_kill < actions && delivered_at_kill > 0;

    let server = Wrangler::start(tools, state, CRASH_PORT, Some(ENV))?;
    let pending_sql = format!(
        "SELECT count(*) AS n FROM outbox o JOIN cases c ON c.id = o.case_id
         WHERE c.listing_id LIKE 'CRASH-{run_id}-%' AND o.state <> 'sent'"
    );
    let pending_at_restart = http.count(&pending_sql)?;
    // Leases taken by the killed run hold their rows until they expire: move the clock on
    // whenever a run sends nothing.
    let mut runs = 0;
    let mut last = pending_at_restart;
    while last > 0 && runs < 60 {
        http.cron()?;
        runs += 1;
        let now = http.count(&pending_sql)?;
        if now == last {
            offset += 5 * 60_000;
            http.set_clock(offset)?;
        }
        last = now;
    }
    let cases = case_rows(http, run_id)?;
    let records = http.actions()?;
    let mut problems = Vec::new();
    if let Some(status) = died {
        problems.push(format!(
            "wrangler exited on its own ({status}) before the kill, while the cron drained the outbox"
        ));
    }
    if !killed_mid_drain {
        problems.push(format!(
            "the kill did not land mid-drain ({delivered_at_kill} delivered when it was sent, {delivered_after_kill} after, of {actions})"
        ));
    }
    let confirmed: HashSet<&str> = chosen.iter().map(|c| c.id.as_str()).collect();
    problems.extend(check_outbox(&confirmed, &cases, &records));
    let deliveries: BTreeMap<&str, usize> = delivery_counts(&records, &keys);
    let twice = deliveries.values().filter(|&&n| n > 1).count();
    let figures = vec![
        (
            "actions".into(),
            format!("{actions} takedowns (confirmed flags)"),
        ),
        ("cron runs before the kill".into(), crons_before.to_string()),
        (
            "delivered when the kill was sent".into(),
            delivered_at_kill.to_string(),
        ),
        (
            "delivered once it had landed".into(),
            delivered_after_kill.to_string(),
        ),
        (
            "not sent at the restart".into(),
            pending_at_restart.to_string(),
        ),
        ("cron runs until all sent".into(), runs.to_string()),
        (
            "delivered more than once (same key)".into(),
            twice.to_string(),
        ),
        (
            "time".into(),
            format!("{:.1} s", started.elapsed().as_secs_f64()),
        ),
    ];
    Ok((server, verdict("outbox", figures, problems)))
}

/// How many accepted deliveries the marketplace saw of each key of `keys`.
fn delivery_counts<'a>(records: &'a [Value], keys: &HashSet<String>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for r in records {
        let id = r["webhook_id"].as_str().unwrap_or_default();
        if keys.contains(id) && r["verified"] == true && r["status"] == 200 {
            *counts.entry(id).or_insert(0) += 1;
        }
    }
    counts
}

/// Phase 2's check: every confirmed case asked for its takedown once, that action is sent and
/// reached the marketplace (verified, accepted) at least once under its key; every case is whole
/// (confirmed ones taken down or waiting for the marketplace's answer, the others untouched).
pub fn check_outbox(
    confirmed: &HashSet<&str>,
    cases: &[CaseRow],
    actions: &[Value],
) -> Vec<String> {
    let keys: HashSet<String> = cases.iter().flat_map(|c| c.action_ids.clone()).collect();
    let delivered = delivery_counts(actions, &keys);
    let mut problems = Vec::new();
    for c in cases {
        problems.extend(case_problems(c));
        if confirmed.contains(c.id.as_str()) {
            if !["takedown_requested", "taken_down"].contains(&c.status.as_str()) {
                problems.push(format!(
                    "confirmed case {} is {}, not takedown_requested or taken_down",
                    c.id, c.status
                ));
            }
            if c.confirms != 1 || c.takedowns != 1 {
                problems.push(format!(
                    "confirmed case {}: {} confirmations, {} takedown actions",
                    c.id, c.confirms, c.takedowns
                ));
            }
            if c.sent != c.actions {
                problems.push(format!(
                    "case {}: {} of its {} actions sent",
                    c.id, c.sent, c.actions
                ));
            }
            for key in &c.action_ids {
                if !delivered.contains_key(key.as_str()) {
                    problems.push(format!(
                        "action {key} of case {} never reached the marketplace with its key",
                        c.id
                    ));
                }
            }
        } else if c.status != "awaiting_brand" || c.actions != 0 {
            problems.push(format!(
                "case {} was not confirmed but is {} with {} actions",
                c.id, c.status, c.actions
            ));
        }
    }
    let present: HashSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    for id in confirmed.iter().filter(|id| !present.contains(*id)) {
        problems.push(format!("confirmed case {id} is missing"));
    }
    problems
}

/// Pass, or fail naming the first faults (and how many there were).
fn verdict(name: &'static str, figures: Vec<(String, String)>, problems: Vec<String>) -> Phase {
    let verdict = if problems.is_empty() {
        Ok(())
    } else {
        let shown: Vec<&str> = problems.iter().take(10).map(String::as_str).collect();
        Err(format!(
            "{} problem(s), first: {}",
            problems.len(),
            shown.join("; ")
        ))
    };
    Phase {
        name,
        figures,
        verdict,
    }
}

fn markdown(size: Size, phases: &[Phase]) -> String {
    let mut out = String::from(
        "# Crash safety\n\nMade by `cargo xtask crash` on this machine (2 cores), local `wrangler dev` \
         (env `crash`: port 8807, simulator 8808, state `.wrangler/crash-state`). The stack's \
         process group (wrangler and workerd) is killed with SIGKILL, with no warning, then \
         restarted on the same persisted state and the cron is run. `cargo xtask test` runs the \
         same with 500 events and 100 actions.\n\n",
    );
    out.push_str(&format!(
        "Run of {}: {} events, {} actions.\n",
        rfc3339_now(),
        size.events,
        size.actions
    ));
    for p in phases {
        out.push_str(&format!("\n## {}\n\n| | |\n|---|---|\n", p.name));
        for (what, figure) in &p.figures {
            out.push_str(&format!("| {what} | {figure} |\n"));
        }
        match &p.verdict {
            Ok(()) => out.push_str("\n**Pass.**\n"),
            Err(e) => out.push_str(&format!("\n**FAIL:** {e}\n")),
        }
    }
    out.push_str(
        "\nWhat is checked: phase 1 — every event answered 2xx (and every other one, once re-sent) \
         is stored once and applied, one case per listing, each case's history whole (one event \
         per version, its latest move ending in its status, its flag applied once: a flag applied \
         twice would add a `detection` event). Phase 2 — every confirmed case has one takedown \
         action, `sent`, which the marketplace simulator received, signed and accepted, under its \
         idempotency key (`webhook-id`) at least once; every case whole as above.\n",
    );
    out
}

// ---------------------------------------------------------------------------------------------
// HTTP to the stack and the simulator

/// A blocking client for the crash stack (ureq, as the simulator uses).
pub struct Http {
    agent: ureq::Agent,
    base: String,
    simulator: String,
    secret: jf_core::webhook::Secret,
}

struct Answer {
    status: u16,
    text: String,
}

impl Http {
    fn new(base: &str, simulator: &str) -> Result<Self> {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout(Duration::from_secs(120))
            .redirects(0)
            // No pooled connections: one kept from before a kill would fail the first request
            // after the restart (a POST is not retried on a stale connection).
            .max_idle_connections(0)
            .max_idle_connections_per_host(0)
            .build();
        Ok(Http {
            agent,
            base: base.to_owned(),
            simulator: simulator.trim_end_matches('/').to_owned(),
            secret: jf_core::webhook::Secret::parse(DEV_WEBHOOK_SECRET)
                .map_err(|e| format!("the dev secret: {e}"))?,
        })
    }

    fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: Option<&str>,
    ) -> std::result::Result<Answer, String> {
        let mut req = self.agent.request(method, url);
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let res = match body {
            Some(b) => req.send_string(b),
            None => req.call(),
        };
        match res {
            Ok(r) => Ok(Answer {
                status: r.status(),
                text: r.into_string().unwrap_or_default(),
            }),
            Err(ureq::Error::Status(status, r)) => Ok(Answer {
                status,
                text: r.into_string().unwrap_or_default(),
            }),
            Err(e) => Err(e.to_string()),
        }
    }

    /// One signed delivery of an event (signed now, like a marketplace's retry).
    fn webhook(&self, e: &Flag) -> Delivery {
        let ts = (now_millis() / 1000) as i64;
        let headers = [
            ("content-type", "application/json".to_owned()),
            ("webhook-id", e.webhook_id.clone()),
            ("webhook-timestamp", ts.to_string()),
            (
                "webhook-signature",
                self.secret.sign(&e.webhook_id, ts, e.body.as_bytes()),
            ),
        ];
        let url = format!("{}/api/v1/webhooks/marketplace", self.base);
        match self.send("POST", &url, &headers, Some(&e.body)) {
            Ok(a) => Delivery::Answered(a.status),
            Err(why) => Delivery::NoAnswer(why),
        }
    }

    /// A JSON call to the stack, with the session cookie and the site's Origin; non-2xx fails.
    fn call_json(
        &self,
        method: &str,
        path: &str,
        session: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Value> {
        let mut headers = vec![("origin", self.base.clone())];
        if let Some(s) = session {
            headers.push(("cookie", format!("jf_session={s}")));
        }
        if body.is_some() {
            headers.push(("content-type", "application/json".to_owned()));
        }
        let text = body.map(Value::to_string);
        let url = format!("{}{path}", self.base);
        let a = self.send(method, &url, &headers, text.as_deref())?;
        if !(200..=299).contains(&a.status) {
            return Err(format!("{method} {path}: {} {}", a.status, a.text));
        }
        if a.text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&a.text).map_err(|e| format!("{method} {path}: not JSON ({e})"))
    }

    fn sign_in(&self, email: &str) -> Result<String> {
        let url = format!("{}/api/v1/auth/login", self.base);
        let body = json!({ "email": email, "password": seed::DEMO_PASSWORD }).to_string();
        let res = self
            .agent
            .post(&url)
            .set("origin", &self.base)
            .set("content-type", "application/json")
            .send_string(&body)
            .map_err(|e| format!("sign-in of {email}: {e}"))?;
        res.all("set-cookie")
            .iter()
            .find_map(|c| {
                let token = c.strip_prefix("jf_session=")?.split(';').next()?;
                (!token.is_empty()).then(|| token.to_owned())
            })
            .ok_or_else(|| format!("sign-in of {email}: no session cookie"))
    }

    /// Rows of one SELECT, read by the Worker itself (`/api/__test/read`, test configuration).
    fn rows(&self, sql: &str) -> Result<Vec<Value>> {
        let v = self.call_json(
            "POST",
            "/api/__test/read",
            None,
            Some(&json!({ "sql": sql })),
        )?;
        Ok(v["results"].as_array().cloned().unwrap_or_default())
    }

    fn count(&self, sql: &str) -> Result<i64> {
        self.rows(sql)?
            .first()
            .and_then(|r| r["n"].as_i64())
            .ok_or_else(|| format!("no count from {sql}"))
    }

    /// One run of the Cron Trigger (`wrangler dev --test-scheduled`).
    fn cron(&self) -> Result {
        let url = format!("{}/__scheduled?cron=*+*+*+*+*", self.base);
        match self.send("GET", &url, &[], None)? {
            Answer { status: 200, .. } => Ok(()),
            a => Err(format!("cron: {} {}", a.status, a.text)),
        }
    }

    fn set_clock(&self, offset_ms: i64) -> Result {
        self.call_json(
            "POST",
            "/api/__test/clock",
            None,
            Some(&json!({ "offset_ms": offset_ms })),
        )
        .map(|_| ())
    }

    fn simulator(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = format!("{}{path}", self.simulator);
        let headers = [("content-type", "application/json".to_owned())];
        let text = body.map(Value::to_string);
        let a = self.send(method, &url, &headers, text.as_deref())?;
        if a.status != 200 {
            return Err(format!(
                "simulator {method} {path}: {} {}",
                a.status, a.text
            ));
        }
        serde_json::from_str(&a.text).map_err(|e| format!("simulator {path}: not JSON ({e})"))
    }

    /// Every request to the simulator's `/actions`, as it recorded them.
    fn actions(&self) -> Result<Vec<Value>> {
        Ok(self
            .simulator("GET", "/__actions", None)?
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// The keys of `keys` the marketplace has accepted at least once.
    fn delivered(&self, keys: &HashSet<String>) -> Result<HashSet<String>> {
        Ok(delivery_counts(&self.actions()?, keys)
            .into_keys()
            .map(str::to_owned)
            .collect())
    }
}

/// Runs the cron until `done` says so (at most `max` runs); returns how many it took.
fn cron_until(http: &Http, max: usize, mut done: impl FnMut() -> Result<bool>) -> Result<usize> {
    let mut runs = 0;
    while !done()? {
        if runs >= max {
            return Err(format!("still not done after {max} cron runs"));
        }
        http.cron()?;
        runs += 1;
    }
    Ok(runs)
}

fn now_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn rfc3339_now() -> String {
    jf_core::outbox::rfc3339(now_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole_flag(listing: &str) -> CaseRow {
        CaseRow {
            id: format!("case-{listing}"),
            listing_id: listing.to_owned(),
            status: "awaiting_brand".into(),
            version: 1,
            events: 1,
            max_seq: 1,
            flagged: 1,
            last_to: "awaiting_brand".into(),
            ..CaseRow::default()
        }
    }

    fn stored(id: &str, state: &str) -> Value {
        json!({ "webhook_id": id, "state": state, "attempts": 1 })
    }

    #[test]
    fn a_crash_that_lost_nothing_passes() {
        let events = flagged_events("t", 3);
        let first = vec![
            Delivery::Answered(200),
            Delivery::NoAnswer("refused".into()),
            Delivery::NotSent,
        ];
        let inbound: Vec<Value> = events
            .iter()
            .map(|e| stored(&e.webhook_id, "applied"))
            .collect();
        let cases: Vec<CaseRow> = events.iter().map(|e| whole_flag(&e.listing_id)).collect();
        assert_eq!(
            check_webhooks(&events, &first, &inbound, &cases),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_answered_event_lost_or_left_stored_is_named() {
        let events = flagged_events("t", 2);
        let first = vec![Delivery::Answered(200), Delivery::Answered(204)];
        let inbound = vec![stored(&events[1].webhook_id, "stored")];
        let cases = vec![whole_flag(&events[1].listing_id)];
        let problems = check_webhooks(&events, &first, &inbound, &cases);
        assert!(problems.iter().any(|p| p.contains(&events[0].webhook_id)
            && p.contains("answered 2xx before the crash")
            && p.contains("not stored")));
        assert!(problems.iter().any(|p| p.contains("no case")));
        assert!(problems
            .iter()
            .any(|p| p.contains("is stored, not applied")));
    }

    #[test]
    fn an_event_applied_twice_or_a_half_written_case_is_named() {
        let events = flagged_events("t", 2);
        let first = vec![Delivery::Answered(200); 2];
        let inbound: Vec<Value> = events
            .iter()
            .map(|e| stored(&e.webhook_id, "applied"))
            .collect();
        // The first flag applied again (a detection event), the second case missing its event.
        let mut twice = whole_flag(&events[0].listing_id);
        twice.version = 2;
        twice.events = 2;
        twice.max_seq = 2;
        twice.detections = 1;
        let mut half = whole_flag(&events[1].listing_id);
        half.events = 0;
        half.max_seq = 0;
        half.flagged = 0;
        half.last_to = String::new();
        let problems = check_webhooks(&events, &first, &inbound, &[twice, half]);
        assert!(problems
            .iter()
            .any(|p| p.contains("applied more than once")));
        assert!(problems
            .iter()
            .any(|p| p.contains("version 1 but 0 events")));
        assert!(problems.iter().any(|p| p.contains("latest move is to")));
    }

    #[test]
    fn two_cases_for_one_listing_or_a_stray_case_are_named() {
        let events = flagged_events("t", 1);
        let first = vec![Delivery::Answered(200)];
        let inbound = vec![stored(&events[0].webhook_id, "applied")];
        let mut second = whole_flag(&events[0].listing_id);
        second.id = "other".into();
        let stray = whole_flag("CRASH-x-99999");
        let cases = vec![whole_flag(&events[0].listing_id), second, stray];
        let problems = check_webhooks(&events, &first, &inbound, &cases);
        assert!(problems.iter().any(|p| p.contains("has 2 cases")));
        assert!(problems
            .iter()
            .any(|p| p.contains("never flagged by this run")));
    }

    #[test]
    fn resends_everything_unanswered_and_a_sample_of_the_rest() {
        let mut first = vec![Delivery::Answered(200); 25];
        first[3] = Delivery::NoAnswer("reset".into());
        first[7] = Delivery::Answered(500);
        first[24] = Delivery::NotSent;
        let plan = resend_plan(&first);
        for i in [3, 7, 24] {
            assert!(plan.contains(&i), "{i} must go again");
        }
        let duplicates = plan.iter().filter(|&&i| first[i].is_2xx()).count();
        assert_eq!(duplicates, 3, "one in ten of the 22 answered: {plan:?}");
    }

    fn confirmed_case(id: &str, status: &str, key: &str) -> CaseRow {
        CaseRow {
            id: id.to_owned(),
            listing_id: format!("L-{id}"),
            status: status.to_owned(),
            version: 2,
            events: 2,
            max_seq: 2,
            flagged: 1,
            confirms: 1,
            last_to: status.to_owned(),
            actions: 1,
            takedowns: 1,
            sent: 1,
            action_ids: vec![key.to_owned()],
            ..CaseRow::default()
        }
    }

    fn action(key: &str, status: u16) -> Value {
        json!({ "webhook_id": key, "type": "listing.takedown", "verified": true,
            "duplicate": false, "status": status, "data": {} })
    }

    #[test]
    fn every_action_delivered_with_its_key_passes() {
        let a = confirmed_case("a", "takedown_requested", "k1");
        let mut b = confirmed_case("b", "taken_down", "k2");
        b.version = 3;
        b.events = 3;
        b.max_seq = 3;
        let untouched = whole_flag("L-c");
        let confirmed: HashSet<&str> = ["a", "b"].into();
        // k2 delivered twice (the kill came between the send and its record): at least once.
        let actions = vec![action("k1", 200), action("k2", 200), action("k2", 200)];
        assert_eq!(
            check_outbox(&confirmed, &[a, b, untouched], &actions),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_undelivered_or_unsent_action_is_named() {
        let a = confirmed_case("a", "takedown_requested", "k1");
        let mut b = confirmed_case("b", "takedown_requested", "k2");
        b.sent = 0;
        let confirmed: HashSet<&str> = ["a", "b", "gone"].into();
        // k1 only refused (unsigned), k2 never arrived.
        let mut refused = action("k1", 401);
        refused["verified"] = false.into();
        let problems = check_outbox(&confirmed, &[a, b], &[refused]);
        assert!(problems
            .iter()
            .any(|p| p.contains("action k1") && p.contains("never reached")));
        assert!(problems
            .iter()
            .any(|p| p.contains("action k2") && p.contains("never reached")));
        assert!(problems
            .iter()
            .any(|p| p.contains("0 of its 1 actions sent")));
        assert!(problems
            .iter()
            .any(|p| p.contains("confirmed case gone is missing")));
    }

    #[test]
    fn a_second_takedown_or_an_action_without_a_confirmation_is_named() {
        let mut a = confirmed_case("a", "takedown_requested", "k1");
        a.actions = 2;
        a.takedowns = 2;
        a.sent = 2;
        a.action_ids.push("k9".into());
        let mut b = whole_flag("L-b");
        b.id = "b".into();
        b.actions = 1;
        b.takedowns = 1;
        let confirmed: HashSet<&str> = ["a"].into();
        let actions = vec![action("k1", 200), action("k9", 200)];
        let problems = check_outbox(&confirmed, &[a, b], &actions);
        assert!(problems
            .iter()
            .any(|p| p.contains("1 confirmations, 2 takedown actions")));
        assert!(problems
            .iter()
            .any(|p| p.contains("case b was not confirmed but is awaiting_brand with 1 actions")));
    }
}
