//! Dev-only background traffic: a flagged listing every few seconds, and now and then an appeal.

use crate::catalogue::BRANDS;
use crate::outbound;
use crate::server::{release_flag, reserve_flag};
use crate::state::{Mode, Shared};
use crate::util::{random_below, random_hex};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// One tick in this many also files an appeal (when a takedown has completed earlier).
const APPEAL_EVERY: u64 = 5;

/// The brands the trickle flags listings for (Cobalt is not enrolled, so it is left out).
pub const TRICKLE_BRANDS: [&str; 3] = BRANDS;

const STATEMENTS: [&str; 6] = [
    "This item is genuine. I bought it from an authorised distributor and can provide the invoice.",
    "The product is a used original from my personal collection, not a copy.",
    "我们的商品均为正品，从品牌授权经销商处采购，附有发票。",
    "The listing only names the brand to describe compatibility; it does not claim to be the brand's product.",
    "这是海外专柜购买的正品，有购物小票和原包装盒。",
    "The photos were taken by me and the goods passed inspection at customs; please reinstate the listing.",
];

/// Runs until the simulator stops: every `every`, one tick.
pub fn run(shared: &Arc<Shared>, every: Duration) {
    let mut tick: u64 = 0;
    loop {
        let until = Instant::now() + every;
        while Instant::now() < until {
            if shared.stop.load(Ordering::Relaxed) {
                return;
            }
            thread::sleep(Duration::from_millis(100).min(every));
        }
        tick += 1;
        if shared.mode() == Mode::Down {
            continue;
        }
        flag_one(shared);
        if tick.is_multiple_of(APPEAL_EVERY) {
            appeal_one(shared);
        }
    }
}

/// Flags a random not-yet-flagged listing of a random demo brand.
fn flag_one(shared: &Shared) {
    let brand_ref = TRICKLE_BRANDS[random_below(TRICKLE_BRANDS.len())];
    let Some((listing_id, data)) = reserve_flag(shared, brand_ref, true) else {
        return;
    };
    let outcome = outbound::send_with_retries(shared, "listing.flagged", data);
    if !outcome.accepted() {
        release_flag(shared, brand_ref, &listing_id);
    }
}

/// Files an appeal for a listing taken down earlier and not yet appealed, if there is one.
fn appeal_one(shared: &Shared) {
    let data = {
        let mut world = shared.world();
        let open: Vec<_> = world
            .taken_down
            .iter()
            .filter(|t| !world.appealed.contains(&t.listing_id))
            .cloned()
            .collect();
        if open.is_empty() {
            return;
        }
        let taken = &open[random_below(open.len())];
        world.appealed.insert(taken.listing_id.clone());
        appeal_data(
            &taken.brand_ref,
            &taken.listing_id,
            &taken.seller.seller_id,
            &taken.seller.name,
        )
    };
    outbound::send_with_retries(shared, "appeal.filed", data);
}

/// `appeal.filed` data from the listing's seller, with a fresh appeal id.
pub fn appeal_data(brand_ref: &str, listing_id: &str, seller_id: &str, seller_name: &str) -> Value {
    let appeal_id = format!("APL-{}", random_hex(5).to_uppercase());
    let statement = STATEMENTS[random_below(STATEMENTS.len())];
    let mut evidence_urls = vec![format!(
        "https://market.example/appeals/{appeal_id}/invoice.pdf"
    )];
    if random_below(2) == 0 {
        evidence_urls.push(format!(
            "https://market.example/appeals/{appeal_id}/photos.zip"
        ));
    }
    json!({
        "appeal_id": appeal_id,
        "brand_ref": brand_ref,
        "listing_id": listing_id,
        "seller": { "seller_id": seller_id, "name": seller_name },
        "statement": statement,
        "evidence_urls": evidence_urls,
    })
}
