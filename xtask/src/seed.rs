//! The demo world of DESIGN.md, written into local D1 state with the application's own
//! statements. It only ever targets local state (`--local --persist-to`), never a remote database.

use crate::stack::{local_args, State};
use crate::tools::{run, Tools};
use crate::Result;
use jf_core::clock::{Entropy, SeededEntropy};
use jf_core::ids::{BrandId, UserId};
use jf_core::store::{Stmt, Value};
use jf_core::types::{BrandRole, Email, ProgrammeStatus, StaffRole};
use jf_core::{password, sql};

pub const DEMO_PASSWORD: &str = "jointforce-demo";

pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("ops@marketplace.test", "operator"),
    ("am@marketplace.test", "account manager of Aurelia, Northwind, Dorado"),
    ("alice@aurelia.test", "Aurelia brand_admin (auto lane)"),
    ("arjun@aurelia.test", "Aurelia brand_agent"),
    ("vera@aurelia.test", "Aurelia brand_viewer"),
    ("nina@northwind.test", "Northwind brand_admin (review lane: no shop)"),
    ("dora@dorado.test", "Dorado brand_admin (review lane: out of good standing)"),
    ("carl@cobalt.test", "Cobalt brand_admin (applied, not enrolled)"),
    ("agent@brandguard.test", "agency: brand_agent of Aurelia and Northwind"),
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
        self.stmts.push(sql::insert_user(id, &email, name, Some(&hash), staff, self.now));
        Ok(id)
    }
    fn brand(&mut self, name: &str, brand_ref: &str) -> BrandId {
        let id = BrandId(self.entropy.uuid());
        self.stmts.push(sql::insert_brand(id, name, brand_ref, self.now));
        id
    }
    fn member(&mut self, user: UserId, brand: BrandId, role: BrandRole) {
        self.stmts.push(sql::insert_membership(user, brand, role, self.now));
    }
}

/// The demo world's statements, in order.
pub fn demo_world(now: i64) -> Result<Vec<Stmt>> {
    let mut w = World { entropy: SeededEntropy::default(), now, stmts: Vec::new() };
    w.user("ops@marketplace.test", "Priya Raman", Some(StaffRole::Operator))?;
    let am = w.user("am@marketplace.test", "Marco Bianchi", Some(StaffRole::AccountManager))?;

    let aurelia = w.brand("Aurelia", "BR-AURELIA");
    let northwind = w.brand("Northwind", "BR-NORTHWIND");
    let dorado = w.brand("Dorado", "BR-DORADO");
    let cobalt = w.brand("Cobalt", "BR-COBALT");
    w.stmts.push(sql::set_programme(aurelia, ProgrammeStatus::Enrolled, Some("SHOP-AURELIA-01"), false, None));
    w.stmts.push(sql::set_programme(northwind, ProgrammeStatus::Enrolled, None, true, None));
    w.stmts.push(sql::set_programme(dorado, ProgrammeStatus::Enrolled, Some("SHOP-DORADO-01"), false, None));
    w.stmts.push(sql::set_programme(cobalt, ProgrammeStatus::Applied, None, false, None));
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
    Ok(w.stmts)
}

/// Writes the demo world into local state (once; `cargo xtask dev --fresh` wipes and reseeds).
pub fn apply(tools: &Tools, state: &State, env: Option<&str>) -> Result {
    println!("xtask: seeding the demo world");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    let sql: String = demo_world(now)?.iter().map(render).collect();
    std::fs::create_dir_all(&state.dir).map_err(|e| e.to_string())?;
    let file = state.dir.join("seed.sql");
    std::fs::write(&file, sql).map_err(|e| e.to_string())?;
    run(tools
        .command(tools.wrangler())
        .args(["d1", "execute", "DB", "--yes", "--file", &file.display().to_string()])
        .args(local_args(state, env)))?;
    state.mark_seeded()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_parameters_as_escaped_literals() {
        let stmt = Stmt::new("INSERT INTO t VALUES (?1, ?2, ?3, ?10)", vec![
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
        ]);
        assert_eq!(render(&stmt), "INSERT INTO t VALUES ('O''Brien', 7, NULL, 'ten');\n");
    }
}
