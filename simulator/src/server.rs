//! The HTTP routes: listing lookups, searches and actions from JointForce, and the `/__` control
//! routes.

use crate::catalogue::{Listing, Seller};
use crate::outbound::{self, flagged_data, Outcome};
use crate::state::{ActionRecord, Mode, Shared, TakenDown};
use crate::util::{now_secs, query_param};
use jf_core::webhook;
use serde_json::{json, Value};
use std::io::Read;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

/// Listings a search answers when it is not told how many, and the most it answers.
pub const SEARCH_DEFAULT_LIMIT: usize = 20;
pub const SEARCH_MAX_LIMIT: usize = 50;

/// Request bodies larger than this answer 413.
const MAX_BODY: u64 = 1024 * 1024;

/// What a failed takedown reports.
pub const FAILED_REASON: &str = "listing locked by a pending order";

const ACTION_TYPES: [&str; 4] = [
    "listing.takedown",
    "listing.reinstate",
    "appeal.decided",
    "seller.flagged",
];

/// An answer: a status and a JSON body.
struct Reply {
    status: u16,
    body: Value,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply { status, body }
}

fn error(status: u16, message: &str) -> Reply {
    reply(status, json!({ "error": message }))
}

/// The parts of a request the routes look at.
struct Incoming {
    method: Method,
    path: String,
    /// The query string, undecoded (empty when there is none).
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Incoming {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Result<Value, Reply> {
        serde_json::from_slice(&self.body)
            .map_err(|e| error(400, &format!("body is not JSON: {e}")))
    }

    /// Checks the Standard Webhooks headers against JointForce's actions secret.
    fn verify(&self, shared: &Shared) -> Result<(), webhook::Rejection> {
        webhook::verify(
            &shared.config.actions_secret,
            self.header("webhook-id"),
            self.header("webhook-timestamp"),
            self.header("webhook-signature"),
            &self.body,
            now_secs(),
        )
    }
}

/// One worker: takes requests until the simulator stops.
pub fn serve(shared: &Arc<Shared>, server: &Server) {
    while !shared.stop.load(Ordering::Relaxed) {
        match server.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(request)) => handle(shared, request),
            Ok(None) => {}
            Err(e) => {
                shared.log(&format!("accept failed: {e}"));
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn handle(shared: &Arc<Shared>, mut request: Request) {
    let url = request.url().split('#').next().unwrap_or_default();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let (path, query) = (path.to_owned(), query.to_owned());
    let headers = request
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_owned(),
                h.value.as_str().to_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body);
    let incoming = Incoming {
        method: request.method().clone(),
        path,
        query,
        headers,
        body,
    };
    let answer = match read {
        Err(e) => error(400, &format!("could not read the body: {e}")),
        Ok(n) if n as u64 > MAX_BODY => error(413, "body over 1 MiB"),
        Ok(_) => route(shared, &incoming),
    };
    let mut response =
        Response::from_data(answer.body.to_string().into_bytes()).with_status_code(answer.status);
    if let Ok(h) = Header::from_bytes("content-type", "application/json; charset=utf-8") {
        response.add_header(h);
    }
    if let Err(e) = request.respond(response) {
        shared.log(&format!("could not answer {}: {e}", incoming.path));
    }
}

fn route(shared: &Arc<Shared>, req: &Incoming) -> Reply {
    let path = req.path.as_str();
    if path.starts_with("/__") {
        return control(shared, req);
    }
    if shared.mode() == Mode::Down {
        return error(503, "marketplace unavailable");
    }
    if path == "/listings" {
        return match req.method {
            Method::Get => search(shared, req),
            _ => error(405, "method not allowed"),
        };
    }
    if let Some(listing_id) = path.strip_prefix("/listings/") {
        return match req.method {
            Method::Get => lookup(shared, req, listing_id),
            _ => error(405, "method not allowed"),
        };
    }
    match (path, &req.method) {
        ("/actions", Method::Post) => action(shared, req),
        ("/actions", _) => error(405, "method not allowed"),
        _ => error(404, "not found"),
    }
}

/// `GET /listings/{listing_id}`, signed by JointForce over an empty body.
fn lookup(shared: &Shared, req: &Incoming, listing_id: &str) -> Reply {
    if let Err(rejection) = req.verify(shared) {
        return error(401, rejection.message());
    }
    let world = shared.world();
    match world.catalogue.get(listing_id) {
        Some(entry) => match serde_json::to_value(&entry.listing) {
            Ok(listing) => reply(200, listing),
            Err(e) => error(500, &format!("could not encode the listing: {e}")),
        },
        None => error(404, "unknown listing"),
    }
}

/// `GET /listings?q=&cursor=&limit=`, signed by JointForce over an empty body: the listings
/// whose title, seller or brand contain every word of `q`, in a stable order, a page at a time.
fn search(shared: &Shared, req: &Incoming) -> Reply {
    if let Err(rejection) = req.verify(shared) {
        return error(401, rejection.message());
    }
    let q = query_param(&req.query, "q").unwrap_or_default();
    if q.trim().is_empty() {
        return error(400, "q is required");
    }
    let limit = match query_param(&req.query, "limit").filter(|l| !l.is_empty()) {
        None => SEARCH_DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if n > 0 => n.min(SEARCH_MAX_LIMIT),
            _ => return error(400, "limit must be a whole number from 1"),
        },
    };
    let cursor = query_param(&req.query, "cursor").filter(|c| !c.is_empty());
    let world = shared.world();
    let (page, next_cursor) = world.catalogue.search(&q, cursor.as_deref(), limit);
    let listings: Vec<&Listing> = page.iter().map(|e| &e.listing).collect();
    reply(
        200,
        json!({ "listings": listings, "next_cursor": next_cursor }),
    )
}

/// `POST /actions`: JointForce's outbox, signed over the body; `webhook-id` is the idempotency key.
fn action(shared: &Arc<Shared>, req: &Incoming) -> Reply {
    let webhook_id = req.header("webhook-id").unwrap_or_default().to_owned();
    let parsed: Option<Value> = serde_json::from_slice(&req.body).ok();
    let kind = parsed
        .as_ref()
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let data = parsed
        .as_ref()
        .and_then(|v| v.get("data"))
        .cloned()
        .unwrap_or(Value::Null);
    let record = |verified: bool, duplicate: bool, status: u16| ActionRecord {
        webhook_id: webhook_id.clone(),
        kind: kind.clone(),
        data: data.clone(),
        verified,
        duplicate,
        status,
    };

    if let Err(rejection) = req.verify(shared) {
        shared.log(&format!(
            "refused action {webhook_id}: {}",
            rejection.message()
        ));
        shared.world().actions.push(record(false, false, 401));
        return error(401, rejection.message());
    }
    let problem = match (&parsed, &kind) {
        (None, _) => Some("body is not JSON".to_owned()),
        (Some(_), None) => Some("type is required".to_owned()),
        (Some(_), Some(_)) if !data.is_object() => Some("data must be an object".to_owned()),
        (Some(_), Some(k)) if !ACTION_TYPES.contains(&k.as_str()) => {
            Some(format!("unknown action type {k}"))
        }
        _ => None,
    };
    if let Some(problem) = problem {
        shared.world().actions.push(record(true, false, 400));
        return error(400, &problem);
    }
    let field = |name: &str| data.get(name).and_then(Value::as_str).map(str::to_owned);
    let takedown = match kind.as_deref() {
        Some("listing.takedown") => match (field("action_id"), field("listing_id")) {
            (Some(action_id), Some(listing_id)) => Some((action_id, listing_id)),
            (None, _) => return bad_action(shared, record(true, false, 400), "data.action_id"),
            (_, None) => return bad_action(shared, record(true, false, 400), "data.listing_id"),
        },
        _ => None,
    };

    let mut world = shared.world();
    if world.seen_keys.contains(&webhook_id) {
        world.actions.push(record(true, true, 200));
        shared.log(&format!("repeated action {webhook_id}: nothing done"));
        return reply(200, json!({ "status": "duplicate" }));
    }
    world.seen_keys.insert(webhook_id.clone());
    world.actions.push(record(true, false, 200));
    let kind = kind.unwrap_or_default();
    shared.log(&format!("action {kind} {webhook_id}"));
    match kind.as_str() {
        "listing.takedown" => {
            if let Some((action_id, listing_id)) = takedown {
                let fail = world.mode == Mode::FailTakedowns;
                let entry = world.catalogue.get(&listing_id);
                let taken = TakenDown {
                    brand_ref: field("brand_ref")
                        .or_else(|| entry.and_then(|e| e.brand_ref.clone()))
                        .unwrap_or_default(),
                    seller: entry.map_or_else(unknown_seller, |e| e.listing.seller.clone()),
                    listing_id,
                };
                drop(world);
                schedule_takedown_callback(shared, action_id, taken, fail);
            }
        }
        "listing.reinstate" => {
            if let Some(listing_id) = field("listing_id") {
                world.taken_down.retain(|t| t.listing_id != listing_id);
            }
        }
        _ => {}
    }
    reply(200, json!({ "status": "accepted" }))
}

fn bad_action(shared: &Shared, record: ActionRecord, field: &str) -> Reply {
    shared.world().actions.push(record);
    error(400, &format!("{field} is required"))
}

fn unknown_seller() -> Seller {
    Seller {
        seller_id: "SEL-0000".to_owned(),
        name: "Unknown seller".to_owned(),
    }
}

/// After the configured delay, tells JointForce how the takedown went (unless the marketplace
/// is down by then).
fn schedule_takedown_callback(
    shared: &Arc<Shared>,
    action_id: String,
    taken: TakenDown,
    fail: bool,
) {
    let worker = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name("takedown-callback".to_owned())
        .spawn(move || {
            let shared = worker;
            thread::sleep(shared.config.callback_delay);
            if shared.stop.load(Ordering::Relaxed) || shared.mode() == Mode::Down {
                shared.log(&format!(
                    "takedown {action_id}: marketplace down, no callback"
                ));
                return;
            }
            let outcome = if fail {
                let data = json!({
                    "action_id": action_id,
                    "listing_id": taken.listing_id,
                    "reason": FAILED_REASON,
                });
                outbound::send_with_retries(&shared, "takedown.failed", data)
            } else {
                let data = json!({ "action_id": action_id, "listing_id": taken.listing_id });
                outbound::send_with_retries(&shared, "takedown.completed", data)
            };
            if !fail && outcome.accepted() && !taken.brand_ref.is_empty() {
                outbound::remember_taken_down(&mut shared.world(), taken);
            }
        });
    if let Err(e) = spawned {
        shared.log(&format!("could not start a callback thread: {e}"));
    }
}

/// The `/__` routes, for tests and dev: never signed, and answered in every mode.
fn control(shared: &Arc<Shared>, req: &Incoming) -> Reply {
    match (&req.method, req.path.as_str()) {
        (Method::Get, "/__health") => reply(
            200,
            json!({ "status": "ok", "mode": shared.mode().as_str() }),
        ),
        (Method::Get, "/__mode") => reply(200, json!({ "mode": shared.mode().as_str() })),
        (Method::Post, "/__mode") => set_mode(shared, req),
        (Method::Get, "/__actions") => reply(200, json!(shared.world().actions)),
        (Method::Get, "/__events") => reply(200, json!(shared.world().events)),
        (Method::Get, "/__listings") => {
            let world = shared.world();
            let entries: Vec<Value> = world
                .catalogue
                .entries()
                .map(|e| json!({ "brand_ref": e.brand_ref, "listing": e.listing, "detection": e.detection }))
                .collect();
            reply(200, Value::Array(entries))
        }
        (Method::Post, "/__listings") => add_listing(shared, req),
        (Method::Post, "/__send") => send(shared, req),
        (Method::Post, "/__flag") => flag(shared, req),
        (Method::Post, "/__reset") => {
            *shared.world() = crate::state::World::new();
            reply(200, json!({ "status": "ok" }))
        }
        (
            _,
            "/__health" | "/__mode" | "/__actions" | "/__events" | "/__listings" | "/__send"
            | "/__flag" | "/__reset",
        ) => error(405, "method not allowed"),
        _ => error(404, "not found"),
    }
}

fn set_mode(shared: &Shared, req: &Incoming) -> Reply {
    let body = match req.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let Some(mode) = body
        .get("mode")
        .and_then(Value::as_str)
        .and_then(Mode::parse)
    else {
        return error(400, "mode must be normal, fail_takedowns or down");
    };
    shared.world().mode = mode;
    shared.log(&format!("mode {}", mode.as_str()));
    reply(200, json!({ "mode": mode.as_str() }))
}

fn add_listing(shared: &Shared, req: &Incoming) -> Reply {
    let body = match req.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let brand_ref = body
        .get("brand_ref")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let listing: Listing = match serde_json::from_value(body) {
        Ok(listing) => listing,
        Err(e) => return error(400, &format!("not a listing: {e}")),
    };
    if listing.listing_id.trim().is_empty() {
        return error(400, "listing_id must not be empty");
    }
    let id = listing.listing_id.clone();
    shared.world().catalogue.upsert(listing, brand_ref);
    reply(200, json!({ "listing_id": id }))
}

/// `POST /__send {"type", "data", "webhook_id"?}`: signs and sends that event now.
fn send(shared: &Shared, req: &Incoming) -> Reply {
    let body = match req.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let Some(kind) = body.get("type").and_then(Value::as_str) else {
        return error(400, "type is required");
    };
    let Some(data) = body.get("data").cloned() else {
        return error(400, "data is required");
    };
    let webhook_id = body
        .get("webhook_id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    outbound::apply_to_world(&mut shared.world(), kind, &data);
    relay(outbound::send_once(shared, kind, data, webhook_id), None)
}

/// `POST /__flag {"brand_ref"}`: flags a listing not yet flagged for that brand.
fn flag(shared: &Shared, req: &Incoming) -> Reply {
    let body = match req.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let Some(brand_ref) = body.get("brand_ref").and_then(Value::as_str) else {
        return error(400, "brand_ref is required");
    };
    let Some((listing_id, data)) = reserve_flag(shared, brand_ref, false) else {
        return error(500, "could not choose a listing");
    };
    let outcome = outbound::send_once(shared, "listing.flagged", data, None);
    if !outcome.accepted() {
        release_flag(shared, brand_ref, &listing_id);
    }
    relay(outcome, Some(listing_id))
}

/// Chooses a listing not yet flagged for `brand_ref` (the first in id order, or a random one),
/// listing a new one when none is left, and marks it flagged; returns it and the event data.
pub fn reserve_flag(shared: &Shared, brand_ref: &str, random: bool) -> Option<(String, Value)> {
    let mut world = shared.world();
    let world = &mut *world;
    let candidates = world.catalogue.candidates(brand_ref, |id| {
        world
            .flagged
            .contains(&(brand_ref.to_owned(), id.to_owned()))
    });
    let listing_id = if candidates.is_empty() {
        world.catalogue.list_new(brand_ref)
    } else if random {
        candidates[crate::util::random_below(candidates.len())].clone()
    } else {
        candidates[0].clone()
    };
    let data = flagged_data(brand_ref, world.catalogue.get(&listing_id)?);
    world
        .flagged
        .insert((brand_ref.to_owned(), listing_id.clone()));
    Some((listing_id, data))
}

/// Undoes [`reserve_flag`] when JointForce did not take the event.
pub fn release_flag(shared: &Shared, brand_ref: &str, listing_id: &str) {
    shared
        .world()
        .flagged
        .remove(&(brand_ref.to_owned(), listing_id.to_owned()));
}

/// A control route's answer about an event: JointForce's status and body, or 502 if it did not
/// answer at all.
fn relay(outcome: Outcome, listing_id: Option<String>) -> Reply {
    let mut body = outcome.to_json();
    if let (Some(id), Some(map)) = (listing_id, body.as_object_mut()) {
        map.insert("listing_id".to_owned(), Value::String(id));
    }
    let status = if outcome.status.is_some() { 200 } else { 502 };
    reply(status, body)
}
