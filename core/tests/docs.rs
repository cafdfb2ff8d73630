//! `docs/` stays true to the code: its generated blocks equal what the code generates now, every
//! case status and transition is explained in `docs/cases.md`, every page is in the index, and
//! the diagram's entries are where the use cases really open cases.

mod support;

use jf_core::access::{Actor, Membership, Person};
use jf_core::api::ReportRequest;
use jf_core::case::{Origin, Status, Transition};
use jf_core::cases::{self, Ports};
use jf_core::clock::{FixedClock, SeededEntropy};
use jf_core::docs::{self, BLOCKS, ENTRIES};
use jf_core::identity::Deps;
use jf_core::ids::{BrandId, IpRightId, UserId};
use jf_core::ports::Settings;
use jf_core::programme::Lane;
use jf_core::store::Db;
use jf_core::types::{BrandRole, Email, ProgrammeStatus};
use jf_core::{marketplace, sql};
use std::path::PathBuf;
use support::{block_on, FakeMarket, MemFiles, Sqlite};

const HOW_TO_FIX: &str = "run `cargo xtask docs` to rewrite the generated blocks from the code, \
                          then review and commit the change";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(file: &str) -> String {
    let path = root().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A document without its generated blocks: what people wrote.
fn written_part(file: &str) -> String {
    let mut doc = read(file);
    for block in BLOCKS.iter().filter(|b| b.file == file) {
        doc = docs::splice(&doc, block.name, "").unwrap();
    }
    doc
}

#[test]
fn generated_blocks_match_the_code() {
    let mut stale = Vec::new();
    for block in &BLOCKS {
        let doc = read(block.file);
        let found = docs::block(&doc, block.name)
            .unwrap_or_else(|e| panic!("{}: {e}; {HOW_TO_FIX}", block.file));
        let expected = (block.generate)();
        if found != expected {
            stale.push(format!(
                "{} `{}` block differs from the code.\n--- in the file:\n{found}--- generated:\n{expected}",
                block.file, block.name
            ));
        }
    }
    assert!(stale.is_empty(), "{}\n{HOW_TO_FIX}", stale.join("\n"));
}

#[test]
fn every_status_and_transition_is_explained_in_prose() {
    let written = written_part("docs/cases.md");
    let names = Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(Transition::ALL.iter().map(|t| t.as_str()));
    let missing: Vec<&str> = names
        .filter(|name| !written.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/cases.md does not explain {missing:?} outside its generated blocks: \
         say who or what makes each move and when"
    );
}

#[test]
fn every_page_is_in_the_index() {
    let index = read("docs/README.md");
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") && name != "README.md" {
            assert!(
                index.contains(&format!("]({name})")),
                "docs/README.md does not link {name}"
            );
        }
    }
    let readme = read("README.md");
    assert!(
        !readme.contains("shared/DESIGN.md"),
        "README.md points outside the repository; the rules are in docs/"
    );
}

const T0: i64 = 1_790_000_000_000;

/// Files a report in each lane and flags a listing through the real use cases: each case opens
/// where `docs::ENTRIES` (the diagram's `[*] -->` edges) says.
#[test]
fn the_diagrams_entries_are_where_cases_open() {
    let db = Sqlite::migrated();
    let clock = FixedClock::at(T0);
    let entropy = SeededEntropy::default();
    let deps = Deps {
        db: &db,
        clock: &clock,
        entropy: &entropy,
        address: None,
    };
    let files = MemFiles::default();
    let market = FakeMarket::with(&["MKT-1", "MKT-2", "MKT-3"]);
    let settings = Settings {
        listing_url_prefix: "https://market.example/item/".into(),
    };
    let ports = Ports {
        files: &files,
        market: &market,
        settings: &settings,
    };
    let uuid = |n: u8| uuid::Uuid::from_bytes([n; 16]);
    // Aurelia has an official shop (auto lane); Northwind a cooperation agreement (review lane).
    let brand = |n: u8, name: &str, shop: bool| {
        let (id, right, agent) = (
            BrandId(uuid(n)),
            IpRightId(uuid(n + 1)),
            UserId(uuid(n + 2)),
        );
        let email = Email::parse(&format!("agent@{}.test", name.to_lowercase())).unwrap();
        block_on(db.batch(vec![
            sql::insert_brand(id, name, &format!("BR-{}", name.to_uppercase()), T0),
            sql::set_programme(
                id,
                ProgrammeStatus::Enrolled,
                shop.then_some("SHOP-1"),
                !shop,
                None,
            ),
            sql::insert_user(agent, &email, "Agent", None, None, T0),
            sql::insert_membership(agent, id, BrandRole::BrandAgent, T0),
            sql::insert_ip_right(&sql::NewIpRight {
                id: right,
                brand_id: id,
                kind: "trademark",
                registration_number: &format!("TM-{name}"),
                jurisdiction: "EU",
                classes: "18",
                owner: name,
                expires_at: None,
                now: T0,
            }),
            sql::review_ip_right(id, right, "verified", None, agent, T0),
        ]))
        .unwrap();
        let actor = Actor::Person(Person {
            user_id: agent,
            display_name: "Agent".into(),
            staff_role: None,
            memberships: vec![Membership {
                brand_id: id,
                role: BrandRole::BrandAgent,
            }],
            managed_brands: vec![],
        });
        (id, right, actor)
    };
    let aurelia = brand(10, "Aurelia", true);
    let northwind = brand(20, "Northwind", false);

    for (origin, lane, status) in ENTRIES {
        let opened = match (origin, lane) {
            (Origin::Report, Some(lane)) => {
                let ((brand_id, right, agent), listing) = match lane {
                    Lane::Auto => (&aurelia, "MKT-1"),
                    Lane::Review => (&northwind, "MKT-2"),
                };
                let req = ReportRequest {
                    listing: listing.into(),
                    ip_right_id: right.to_string(),
                    reason_code: "counterfeit".into(),
                    statement: "Counterfeit: the logo and stitching differ from the original."
                        .into(),
                    evidence_urls: vec![],
                    good_faith: true,
                };
                block_on(cases::file_report(
                    &deps,
                    &ports,
                    agent,
                    *brand_id,
                    req,
                    vec![],
                ))
                .unwrap()
                .0
                .status
            }
            (Origin::Detection, None) => {
                let flag = serde_json::json!({ "type": "listing.flagged", "timestamp": "2026-01-01T00:00:00Z", "data": {
                    "brand_ref": "BR-AURELIA",
                    "listing": { "listing_id": "MKT-3", "url": "https://market.example/item/MKT-3", "title": "Bag",
                                 "price": { "amount": "19.99", "currency": "EUR" },
                                 "seller": { "seller_id": "S-1", "name": "Seller" } },
                    "detection": { "score": 0.9, "signals": ["logo_mismatch"] } } });
                let (receipt, _) = block_on(marketplace::receive(
                    &deps,
                    "msg_docs_1",
                    flag.to_string().as_bytes(),
                ))
                .unwrap();
                assert_eq!(receipt, marketplace::Receipt::Applied);
                block_on(sql::open_case_for_listing(&db, aurelia.0, "MKT-3"))
                    .unwrap()
                    .expect("the flag opened a case")
                    .status
            }
            other => panic!("docs::ENTRIES has an entry this test does not know: {other:?}"),
        };
        assert_eq!(
            opened, status,
            "docs::ENTRIES says {origin:?} {lane:?} opens a case in {status:?}, the use case opened it in {opened:?}: \
             correct docs::ENTRIES, then {HOW_TO_FIX}"
        );
    }
}
