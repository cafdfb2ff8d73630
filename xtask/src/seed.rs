//! The demo world of DESIGN.md, written into local D1 state with the application's own
//! statements. It only ever targets local state (`--local --persist-to`), never a remote database.

use crate::stack::{local_args, State};
use crate::tools::{run, Tools};
use crate::Result;
use jf_core::case::{Status, Transition};
use jf_core::clock::{Entropy, SeededEntropy, DAY, HOUR};
use jf_core::history::Mover;
use jf_core::ids::{BrandId, CaseId, IpRightId, UserId};
use jf_core::listing::{Price, Seller, Snapshot};
use jf_core::store::{Stmt, Value};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{password, sql};

pub const DEMO_PASSWORD: &str = "jointforce-demo";

pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("ops@marketplace.test", "operator"),
    (
        "am@marketplace.test",
        "account manager of Aurelia, Northwind, Dorado",
    ),
    ("alice@aurelia.test", "Aurelia brand_admin (auto lane)"),
    ("arjun@aurelia.test", "Aurelia brand_agent"),
    ("vera@aurelia.test", "Aurelia brand_viewer"),
    (
        "nina@northwind.test",
        "Northwind brand_admin (review lane: no shop)",
    ),
    (
        "dora@dorado.test",
        "Dorado brand_admin (review lane: out of good standing)",
    ),
    (
        "carl@cobalt.test",
        "Cobalt brand_admin (applied, not enrolled)",
    ),
    (
        "agent@brandguard.test",
        "agency: brand_agent of Aurelia and Northwind",
    ),
];

/// Renders a statement with its parameters as SQL literals, for `wrangler d1 execute --file`.
pub fn render(stmt: &Stmt) -> String {
    let mut out = String::with_capacity(stmt.sql.len() + 64);
    let mut chars = stmt.sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '?' {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        let index: usize = digits.parse().unwrap_or(0);
        match stmt.params.get(index.wrapping_sub(1)) {
            Some(Value::Null) | None => out.push_str("NULL"),
            Some(Value::Int(i)) => out.push_str(&i.to_string()),
            Some(Value::Text(s)) => {
                out.push('\'');
                out.push_str(&s.replace('\'', "''"));
                out.push('\'');
            }
        }
    }
    out.push_str(";\n");
    out
}

struct World {
    entropy: SeededEntropy,
    now: i64,
    stmts: Vec<Stmt>,
}

impl World {
    fn user(&mut self, email: &str, name: &str, staff: Option<StaffRole>) -> Result<UserId> {
        let id = UserId(self.entropy.uuid());
        let email = Email::parse(email).map_err(|e| e.to_string())?;
        let hash = password::hash(DEMO_PASSWORD, &self.entropy).map_err(|e| e.to_string())?;
        self.stmts.push(sql::insert_user(
            id,
            &email,
            name,
            Some(&hash),
            staff,
            self.now,
        ));
        Ok(id)
    }
    fn brand(&mut self, name: &str, brand_ref: &str) -> BrandId {
        let id = BrandId(self.entropy.uuid());
        self.stmts
            .push(sql::insert_brand(id, name, brand_ref, self.now));
        id
    }
    fn member(&mut self, user: UserId, brand: BrandId, role: BrandRole) {
        self.stmts
            .push(sql::insert_membership(user, brand, role, self.now));
    }
    /// An IP right — `[kind, number, jurisdiction, classes, owner]` — verified by `reviewer`, or
    /// pending without one.
    fn right(&mut self, brand: BrandId, spec: [&str; 5], reviewer: Option<UserId>) -> IpRightId {
        let [kind, number, jurisdiction, classes, owner] = spec;
        let id = IpRightId(self.entropy.uuid());
        self.stmts.push(sql::insert_ip_right(&sql::NewIpRight {
            id,
            brand_id: brand,
            kind,
            registration_number: number,
            jurisdiction,
            classes,
            owner,
            expires_at: Some(self.now + 3 * 365 * DAY),
            now: self.now - 60 * DAY,
        }));
        if let Some(by) = reviewer {
            self.stmts.push(sql::review_ip_right(
                brand,
                id,
                "verified",
                None,
                by,
                self.now - 59 * DAY,
            ));
        }
        id
    }
    /// A case that went through `path` (its first status is where it was filed by the brand's
    /// filer or flagged by the marketplace), one step a day by the mover named until `ago` days
    /// before now, with the actions its steps owe. The history gets its typed columns from the
    /// movers, as the application writes them.
    fn case(
        &mut self,
        b: &DemoBrand,
        listing: &Snapshot,
        origin: &str,
        right: Option<IpRightId>,
        path: &[(Transition, &Mover)],
        ago: i64,
    ) -> Result<CaseId> {
        let id = CaseId(self.entropy.uuid());
        let first = if origin == "detection" {
            Status::AwaitingBrand
        } else if b.auto_lane {
            Status::TakedownRequested
        } else {
            Status::UnderReview
        };
        let start = self.now - (ago + path.len() as i64) * DAY - 3 * HOUR;
        let snapshot = serde_json::to_string(listing).map_err(|e| e.to_string())?;
        let new = sql::NewCase {
            id,
            listing_id: listing.listing_id.clone(),
            origin: if origin == "detection" { "detection" } else { "report" },
            status: first.as_str(),
            lane: (origin != "detection").then_some(if b.auto_lane { "auto" } else { "review" }),
            ip_right_id: right,
            reason_code: right.map(|_| "counterfeit".to_owned()),
            statement: (origin != "detection").then(|| "Counterfeit: the logo, stitching and serial plate differ from our genuine product.".to_owned()),
            evidence_urls: "[\"https://brand-evidence.example/test-buy-receipt.pdf\"]".into(),
            snapshot: Some(snapshot.clone()),
            title: listing.title.clone(),
            seller_id: Some(listing.seller.seller_id.clone()),
            seller_name: listing.seller.name.clone(),
            detection: (origin == "detection").then(|| "{\"score\":0.91,\"signals\":[\"logo_mismatch\",\"price_anomaly\"]}".to_owned()),
            deadline_at: jf_core::cases::deadline_for(first, start),
            event_kind: if origin == "detection" { "flagged" } else { "filed" },
            event_note: None,
        };
        let json = serde_json::to_string(&[new]).map_err(|e| e.to_string())?;
        self.stmts
            .extend(sql::upsert_listings(&format!("[{snapshot}]"), start));
        let opened_by = if origin == "detection" {
            &Mover::MARKETPLACE
        } else {
            &b.filer
        };
        self.stmts
            .extend(sql::insert_cases(b.id, &json, opened_by, start));
        let mut status = first;
        for (step, (t, by)) in path.iter().enumerate() {
            let at = start + (step as i64 + 1) * DAY;
            let record: sql::CaseRecord = serde_json::from_value(serde_json::json!({
                "id": id, "brand_id": b.id, "brand_name": b.name, "listing_id": listing.listing_id, "origin": origin,
                "status": status, "version": step as i64 + 1, "lane": null, "ip_right_id": right, "reason_code": "counterfeit",
                "statement": null, "evidence_urls": "[]", "snapshot": null, "title": "", "seller_id": null, "seller_name": "",
                "detection": null, "deadline_at": null, "appeal_id": null, "appeal": null, "created_at": start,
                "updated_at": start, "event_count": step as i64 + 1
            }))
            .map_err(|e| e.to_string())?;
            let to = jf_core::case::require(status, *t).map_err(|e| e.to_string())?;
            self.stmts.extend(sql::move_case(&sql::Move {
                case: &record,
                to,
                kind: t.as_str(),
                by,
                note: None,
                deadline_at: jf_core::cases::deadline_for(to, at),
                now: at,
            }));
            status = to;
        }
        if status == Status::TakedownRequested {
            let record: sql::CaseRecord = serde_json::from_value(serde_json::json!({
                "id": id, "brand_id": b.id, "brand_name": b.name, "listing_id": listing.listing_id, "origin": origin,
                "status": status, "version": 1, "lane": null, "ip_right_id": right, "reason_code": "counterfeit",
                "statement": null, "evidence_urls": "[]", "snapshot": null, "title": "", "seller_id": null, "seller_name": "",
                "detection": null, "deadline_at": null, "appeal_id": null, "appeal": null, "created_at": start,
                "updated_at": start, "event_count": 1
            }))
            .map_err(|e| e.to_string())?;
            let extra = serde_json::json!({ "reason_code": "counterfeit" });
            let (_, stmt) = jf_core::cases::action_stmt(
                jf_core::case::ActionKind::ListingTakedown,
                Some((&record, b.brand_ref)),
                extra,
                &self.entropy,
                self.now,
            );
            self.stmts.push(stmt);
        }
        Ok(id)
    }
}

struct DemoBrand {
    id: BrandId,
    name: &'static str,
    brand_ref: &'static str,
    auto_lane: bool,
    filer: Mover,
}

const SELLERS: [(&str, &str); 6] = [
    ("SEL-9001", "LuxeOutlet Direct"),
    ("SEL-9002", "深圳名品折扣店"),
    ("SEL-9003", "Bargain Bags 24"),
    ("SEL-9004", "TrailGear Wholesale"),
    ("SEL-9005", "SunnyShades Hub"),
    ("SEL-9006", "Nordic Deals"),
];

fn listing(n: usize, title: &str, amount: &str, currency: &str, seller: usize) -> Snapshot {
    let id = format!("MKT-9{n:05}");
    let (seller_id, name) = SELLERS[seller % SELLERS.len()];
    let initials: String = title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .collect();
    let hue = (n * 47) % 360;
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='160' height='160'><rect width='160' height='160' fill='hsl({hue},45%,42%)'/><text x='80' y='96' font-family='sans-serif' font-size='48' fill='white' text-anchor='middle'>{initials}</text></svg>"
    );
    let encoded: String = svg
        .chars()
        .map(|c| match c {
            'a'..='z'
            | 'A'..='Z'
            | '0'..='9'
            | '-'
            | '.'
            | '_'
            | '~'
            | '\''
            | '('
            | ')'
            | ','
            | '='
            | ':'
            | '/' => c.to_string(),
            _ => c.to_string().bytes().map(|b| format!("%{b:02X}")).collect(),
        })
        .collect();
    Snapshot {
        url: format!("https://market.example/item/{id}"),
        listing_id: id,
        title: title.to_owned(),
        price: Price {
            amount: amount.to_owned(),
            currency: currency.to_owned(),
        },
        image_url: Some(format!("data:image/svg+xml;utf8,{encoded}")),
        seller: Seller {
            seller_id: seller_id.to_owned(),
            name: name.to_owned(),
        },
    }
}

/// The demo world's statements, in order.
pub fn demo_world(now: i64) -> Result<Vec<Stmt>> {
    let mut w = World {
        entropy: SeededEntropy::default(),
        now,
        stmts: Vec::new(),
    };
    w.user(
        "ops@marketplace.test",
        "Priya Raman",
        Some(StaffRole::Operator),
    )?;
    let am = w.user(
        "am@marketplace.test",
        "Marco Bianchi",
        Some(StaffRole::AccountManager),
    )?;

    let aurelia = w.brand("Aurelia", "BR-AURELIA");
    let northwind = w.brand("Northwind", "BR-NORTHWIND");
    let dorado = w.brand("Dorado", "BR-DORADO");
    let cobalt = w.brand("Cobalt", "BR-COBALT");
    w.stmts.push(sql::set_programme(
        aurelia,
        ProgrammeStatus::Enrolled,
        Some("SHOP-AURELIA-01"),
        false,
        None,
    ));
    w.stmts.push(sql::set_programme(
        northwind,
        ProgrammeStatus::Enrolled,
        None,
        true,
        None,
    ));
    w.stmts.push(sql::set_programme(
        dorado,
        ProgrammeStatus::Enrolled,
        Some("SHOP-DORADO-01"),
        false,
        None,
    ));
    w.stmts.push(sql::set_programme(
        cobalt,
        ProgrammeStatus::Applied,
        None,
        false,
        None,
    ));
    for brand in [aurelia, northwind, dorado] {
        w.stmts.push(sql::set_brand_manager(brand, am));
    }

    let alice = w.user("alice@aurelia.test", "Alice Laurent", None)?;
    let arjun = w.user("arjun@aurelia.test", "Arjun Mehta", None)?;
    let vera = w.user("vera@aurelia.test", "Vera Novak", None)?;
    let nina = w.user("nina@northwind.test", "Nina Berg", None)?;
    let dora = w.user("dora@dorado.test", "Dora Alves", None)?;
    let carl = w.user("carl@cobalt.test", "Carl Jensen", None)?;
    let agency = w.user("agent@brandguard.test", "Sam Okafor (BrandGuard)", None)?;
    w.member(alice, aurelia, BrandRole::BrandAdmin);
    w.member(arjun, aurelia, BrandRole::BrandAgent);
    w.member(vera, aurelia, BrandRole::BrandViewer);
    w.member(nina, northwind, BrandRole::BrandAdmin);
    w.member(dora, dorado, BrandRole::BrandAdmin);
    w.member(carl, cobalt, BrandRole::BrandAdmin);
    w.member(agency, aurelia, BrandRole::BrandAgent);
    w.member(agency, northwind, BrandRole::BrandAgent);

    // IP rights: verified ones for the enrolled brands, pending ones to review.
    let a_tm = w.right(
        aurelia,
        [
            "trademark",
            "EUTM-018234567",
            "EU",
            "14, 18, 25",
            "Aurelia SA",
        ],
        Some(am),
    );
    w.right(
        aurelia,
        ["trademark", "CN-TM-45678901", "CN", "18", "Aurelia SA"],
        Some(am),
    );
    w.right(
        aurelia,
        ["design_right", "RCD-008812345-0001", "EU", "", "Aurelia SA"],
        None,
    );
    let n_tm = w.right(
        northwind,
        [
            "trademark",
            "US-TM-5123456",
            "US",
            "25",
            "Northwind Outdoor Inc.",
        ],
        Some(am),
    );
    let d_tm = w.right(
        dorado,
        ["trademark", "EUTM-017654321", "EU", "9, 3", "Dorado SpA"],
        Some(am),
    );
    w.right(
        cobalt,
        ["trademark", "UK-TM-3456789", "GB", "9", "Cobalt Audio Ltd"],
        None,
    );

    let brand = |id, name, brand_ref, auto_lane, filer: Mover| DemoBrand {
        id,
        name,
        brand_ref,
        auto_lane,
        filer,
    };
    let agent = &Mover::member(arjun, "Arjun Mehta", BrandRole::BrandAgent);
    let a = brand(aurelia, "Aurelia", "BR-AURELIA", true, agent.clone());
    let n = brand(
        northwind,
        "Northwind",
        "BR-NORTHWIND",
        false,
        Mover::member(nina, "Nina Berg", BrandRole::BrandAdmin),
    );
    let dora_admin = &Mover::member(dora, "Dora Alves", BrandRole::BrandAdmin);
    let d = brand(dorado, "Dorado", "BR-DORADO", false, dora_admin.clone());
    let mkt = &Mover::MARKETPLACE;
    let deadline = &Mover::DEADLINE;
    let am_for = |b: &str| Mover::staff(am, "Marco Bianchi", StaffRole::AccountManager, b);
    use Transition as T;

    // Aurelia: a case in every state.
    let titles = [
        (
            "Aurelia Classic Tote — genuine leather, gold clasp",
            "89.00",
            "EUR",
        ),
        ("奥瑞莉亚 经典手提包 真皮 金扣 限量款", "399.00", "CNY"),
        (
            "Aurelia Chrono 40mm steel watch, box & papers",
            "129.00",
            "EUR",
        ),
        ("Aurelia silk scarf, monogram print", "25.00", "EUR"),
        ("奥瑞莉亚 女士钱包 长款 压纹", "159.00", "CNY"),
        ("Aurelia Mini Crossbody — 2025 edition", "59.00", "USD"),
        ("Aurelia belt, reversible, gold buckle", "35.00", "EUR"),
        ("Aurelia sunglasses AU-302 polarised", "29.00", "EUR"),
        ("奥瑞莉亚 手表 自动机械 男士", "688.00", "CNY"),
        ("Aurelia Weekender duffel bag", "110.00", "EUR"),
        ("Aurelia card holder, caviar leather", "19.00", "EUR"),
        ("Aurelia Classic Tote medium — black", "95.00", "EUR"),
        ("奥瑞莉亚 丝巾 印花 礼盒装", "99.00", "CNY"),
        ("Aurelia key ring charm", "9.00", "EUR"),
        ("Aurelia backpack, quilted", "75.00", "EUR"),
    ];
    let l = |i: usize| listing(i, titles[i].0, titles[i].1, titles[i].2, i);
    let confirm = (T::Confirm, agent);
    w.case(&a, &l(0), "detection", None, &[], 0)?;
    w.case(&a, &l(1), "detection", None, &[], 1)?;
    w.case(&a, &l(2), "detection", None, &[], 2)?;
    w.case(
        &a,
        &l(3),
        "report",
        Some(a_tm),
        &[(T::TakedownCompleted, mkt)],
        3,
    )?;
    w.case(
        &a,
        &l(4),
        "report",
        Some(a_tm),
        &[(T::TakedownCompleted, mkt), (T::AppealFiled, mkt)],
        1,
    )?;
    w.case(
        &a,
        &l(5),
        "detection",
        Some(a_tm),
        &[
            confirm,
            (T::TakedownCompleted, mkt),
            (T::AppealFiled, mkt),
            (T::Escalate, agent),
        ],
        1,
    )?;
    w.case(
        &a,
        &l(6),
        "report",
        Some(a_tm),
        &[(T::TakedownFailed, mkt)],
        1,
    )?;
    w.case(&a, &l(7), "detection", None, &[(T::Reject, agent)], 4)?;
    w.case(&a, &l(8), "detection", None, &[(T::Expire, deadline)], 2)?;
    w.case(
        &a,
        &l(9),
        "report",
        Some(a_tm),
        &[(T::TakedownCompleted, mkt), (T::NoAppeal, deadline)],
        20,
    )?;
    w.case(
        &a,
        &l(10),
        "report",
        Some(a_tm),
        &[(T::TakedownCompleted, mkt), (T::Retract, agent)],
        10,
    )?;
    w.case(
        &a,
        &l(11),
        "report",
        Some(a_tm),
        &[(T::ListingRemoved, mkt)],
        6,
    )?;
    w.case(&a, &l(12), "detection", None, &[(T::Withdraw, agent)], 5)?;
    w.case(
        &a,
        &l(13),
        "report",
        Some(a_tm),
        &[
            (T::TakedownCompleted, mkt),
            (T::AppealFiled, mkt),
            (T::UpholdAppeal, agent),
        ],
        8,
    )?;
    w.case(&a, &l(14), "report", Some(a_tm), &[], 0)?;

    // Northwind (review lane): two waiting for the manager, one of them overdue; one declined.
    let nt = [
        ("Northwind Summit 3-in-1 jacket, Gore-Tex", "79.00", "EUR"),
        ("Northwind Trail boots, waterproof", "49.00", "EUR"),
        ("北风 户外冲锋衣 三合一 防水", "268.00", "CNY"),
        ("Northwind fleece, half zip", "22.00", "USD"),
    ];
    let nl = |i: usize| listing(20 + i, nt[i].0, nt[i].1, nt[i].2, 3 + i);
    w.case(&n, &nl(0), "report", Some(n_tm), &[], 0)?;
    w.case(&n, &nl(1), "report", Some(n_tm), &[], 3)?;
    w.case(
        &n,
        &nl(2),
        "report",
        Some(n_tm),
        &[(T::Decline, &am_for("Northwind"))],
        2,
    )?;
    w.case(&n, &nl(3), "detection", None, &[], 0)?;

    // Dorado: 25 decided takedowns in the last 90 days, 2 of them reinstated (8% > 5%).
    let am_dorado = &am_for("Dorado");
    for i in 0..25 {
        let title = format!("Dorado sunglasses DR-{:03} polarised", 100 + i);
        let path: &[(Transition, &Mover)] = if i < 2 {
            &[
                (T::Approve, am_dorado),
                (T::TakedownCompleted, mkt),
                (T::Retract, dora_admin),
            ]
        } else {
            &[
                (T::Approve, am_dorado),
                (T::TakedownCompleted, mkt),
                (T::NoAppeal, deadline),
            ]
        };
        w.case(
            &d,
            &listing(40 + i, &title, "19.00", "EUR", 4),
            "report",
            Some(d_tm),
            path,
            5 + 2 * i as i64,
        )?;
    }
    w.case(
        &d,
        &listing(70, "Dorado Eau de Parfum 100 ml", "24.00", "EUR", 4),
        "report",
        Some(d_tm),
        &[],
        0,
    )?;
    Ok(w.stmts)
}

/// The demo world as of now, as SQL text.
pub fn demo_sql() -> Result<String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    Ok(demo_world(now)?.iter().map(render).collect())
}

/// Writes the demo world into local state (once; `cargo xtask dev --fresh` wipes and reseeds).
pub fn apply(tools: &Tools, state: &State, env: Option<&str>) -> Result {
    println!("xtask: seeding the demo world");
    let sql = demo_sql()?;
    std::fs::create_dir_all(&state.dir).map_err(|e| e.to_string())?;
    let file = state.dir.join("seed.sql");
    std::fs::write(&file, sql).map_err(|e| e.to_string())?;
    run(tools
        .command(tools.wrangler())
        .args([
            "d1",
            "execute",
            "DB",
            "--yes",
            "--file",
            &file.display().to_string(),
        ])
        .args(local_args(state, env))
        // wrangler prints every statement's result; errors still reach stderr.
        .stdout(std::process::Stdio::null()))?;
    state.mark_seeded()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_parameters_as_escaped_literals() {
        let stmt = Stmt::new(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?10)",
            vec![
                "O'Brien".into(),
                Value::Int(7),
                Value::Null,
                Value::Int(1),
                Value::Int(2),
                Value::Int(3),
                Value::Int(4),
                Value::Int(5),
                Value::Int(6),
                Value::Text("ten".into()),
            ],
        );
        assert_eq!(
            render(&stmt),
            "INSERT INTO t VALUES ('O''Brien', 7, NULL, 'ten');\n"
        );
    }
}
