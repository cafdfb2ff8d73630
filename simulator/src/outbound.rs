//! Events to JointForce: the envelope, Standard Webhooks signing, sending and retrying.

use crate::catalogue::{Entry, Listing};
use crate::state::{EventRecord, Shared, TakenDown, World};
use crate::util::{now_secs, random_hex, rfc3339};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Duration;

/// Where JointForce takes marketplace events.
pub const WEBHOOK_PATH: &str = "/api/v1/webhooks/marketplace";

/// Attempts for an event the simulator sends on its own (callbacks, trickle).
const ATTEMPTS: u32 = 5;

/// What became of one event.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub webhook_id: String,
    /// JointForce's HTTP status, if it answered.
    pub status: Option<u16>,
    /// JointForce's answer body (empty when it did not answer).
    pub body: String,
    /// Why nothing was answered (connection refused, timeout…).
    pub error: Option<String>,
}

impl Outcome {
    pub fn accepted(&self) -> bool {
        matches!(self.status, Some(200..=299))
    }

    /// Whether another attempt might fare better.
    fn retryable(&self) -> bool {
        match self.status {
            None => true,
            Some(s) => s == 429 || s >= 500,
        }
    }

    /// The answer a control route gives about this event.
    pub fn to_json(&self) -> Value {
        json!({
            "status": self.status,
            "body": self.body,
            "webhook_id": self.webhook_id,
            "error": self.error,
        })
    }
}

/// A fresh `msg_<hex>` message id.
pub fn new_webhook_id() -> String {
    format!("msg_{}", random_hex(12))
}

/// The exact bytes sent (and signed): `{"type", "timestamp", "data"}`.
pub fn envelope(kind: &str, data: &Value, now: i64) -> Vec<u8> {
    let envelope = json!({ "type": kind, "timestamp": rfc3339(now), "data": data });
    envelope.to_string().into_bytes()
}

/// `listing.flagged` data for a catalogue entry.
pub fn flagged_data(brand_ref: &str, entry: &Entry) -> Value {
    json!({
        "brand_ref": brand_ref,
        "listing": entry.listing,
        "detection": entry.detection,
    })
}

/// Sends one event once, as a test asked; records it.
pub fn send_once(shared: &Shared, kind: &str, data: Value, webhook_id: Option<String>) -> Outcome {
    let webhook_id = webhook_id.unwrap_or_else(new_webhook_id);
    let body = envelope(kind, &data, now_secs());
    let index = record_start(shared, &webhook_id, kind, data);
    let outcome = attempt(shared, &webhook_id, &body);
    record_attempt(shared, index, &outcome);
    log_outcome(shared, kind, &outcome);
    outcome
}

/// Sends an event the marketplace produced on its own: retried with backoff (1, 2, 4, 8 s) on
/// no answer, 429 or 5xx, with the same id and body; given up if the marketplace goes down or
/// the simulator stops.
pub fn send_with_retries(shared: &Shared, kind: &str, data: Value) -> Outcome {
    let webhook_id = new_webhook_id();
    let body = envelope(kind, &data, now_secs());
    let index = record_start(shared, &webhook_id, kind, data);
    let mut delay = Duration::from_secs(1);
    let mut tries = 1;
    loop {
        let outcome = attempt(shared, &webhook_id, &body);
        record_attempt(shared, index, &outcome);
        log_outcome(shared, kind, &outcome);
        if !outcome.retryable() || tries >= ATTEMPTS {
            return outcome;
        }
        thread::sleep(delay);
        if shared.stop.load(Ordering::Relaxed) || shared.mode() == crate::state::Mode::Down {
            return outcome;
        }
        delay *= 2;
        tries += 1;
    }
}

/// Keeps the marketplace's own state in line with an event a test made it send: a flagged or
/// updated listing enters the catalogue (so lookups agree), a removed one leaves it.
pub fn apply_to_world(world: &mut World, kind: &str, data: &Value) {
    let listing = data
        .get("listing")
        .and_then(|l| serde_json::from_value::<Listing>(l.clone()).ok());
    let brand_ref = data.get("brand_ref").and_then(Value::as_str);
    match kind {
        "listing.flagged" | "listing.updated" => {
            if let Some(listing) = listing {
                if let Some(brand) = brand_ref.filter(|_| kind == "listing.flagged") {
                    world
                        .flagged
                        .insert((brand.to_owned(), listing.listing_id.clone()));
                }
                world
                    .catalogue
                    .upsert(listing, brand_ref.map(str::to_owned));
            }
        }
        "listing.removed" => {
            if let Some(id) = data.get("listing_id").and_then(Value::as_str) {
                world.catalogue.remove(id);
            }
        }
        "takedown.completed" => {
            let listing_id = data.get("listing_id").and_then(Value::as_str);
            if let (Some(listing_id), Some(entry)) = (
                listing_id,
                listing_id.and_then(|id| world.catalogue.get(id)),
            ) {
                if let Some(brand_ref) = entry.brand_ref.clone() {
                    let taken = TakenDown {
                        listing_id: listing_id.to_owned(),
                        brand_ref,
                        seller: entry.listing.seller.clone(),
                    };
                    remember_taken_down(world, taken);
                }
            }
        }
        "appeal.filed" => {
            if let Some(id) = data.get("listing_id").and_then(Value::as_str) {
                world.appealed.insert(id.to_owned());
            }
        }
        _ => {}
    }
}

/// Adds a listing to those its seller may appeal, once.
pub fn remember_taken_down(world: &mut World, taken: TakenDown) {
    if !world
        .taken_down
        .iter()
        .any(|t| t.listing_id == taken.listing_id)
    {
        world.taken_down.push(taken);
    }
}

fn attempt(shared: &Shared, webhook_id: &str, body: &[u8]) -> Outcome {
    let ts = now_secs();
    let signature = shared.config.webhook_secret.sign(webhook_id, ts, body);
    let url = format!(
        "{}{WEBHOOK_PATH}",
        shared.config.jointforce_url.trim_end_matches('/')
    );
    let result = shared
        .agent
        .post(&url)
        .set("content-type", "application/json")
        .set("webhook-id", webhook_id)
        .set("webhook-timestamp", &ts.to_string())
        .set("webhook-signature", &signature)
        .send_bytes(body);
    let answered = |status: u16, response: ureq::Response| Outcome {
        webhook_id: webhook_id.to_owned(),
        status: Some(status),
        body: response.into_string().unwrap_or_default(),
        error: None,
    };
    match result {
        Ok(response) => answered(response.status(), response),
        Err(ureq::Error::Status(status, response)) => answered(status, response),
        Err(ureq::Error::Transport(transport)) => Outcome {
            webhook_id: webhook_id.to_owned(),
            status: None,
            body: String::new(),
            error: Some(transport.to_string()),
        },
    }
}

fn record_start(shared: &Shared, webhook_id: &str, kind: &str, data: Value) -> usize {
    let mut world = shared.world();
    world.events.push(EventRecord {
        webhook_id: webhook_id.to_owned(),
        kind: kind.to_owned(),
        data,
        status: None,
        error: None,
        attempts: 0,
    });
    world.events.len() - 1
}

fn record_attempt(shared: &Shared, index: usize, outcome: &Outcome) {
    if let Some(event) = shared.world().events.get_mut(index) {
        event.status = outcome.status;
        event.error.clone_from(&outcome.error);
        event.attempts += 1;
    }
}

fn log_outcome(shared: &Shared, kind: &str, outcome: &Outcome) {
    match (&outcome.status, &outcome.error) {
        (Some(status), _) => shared.log(&format!("sent {kind} {} -> {status}", outcome.webhook_id)),
        (None, error) => shared.log(&format!(
            "sent {kind} {} -> no answer: {}",
            outcome.webhook_id,
            error.as_deref().unwrap_or("unknown error")
        )),
    }
}
