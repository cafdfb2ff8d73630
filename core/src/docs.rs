//! The parts of `docs/` generated from the code (the access decision table, the case state
//! machine and its transition table, the route list); `cargo xtask docs` writes them, `core/tests/docs.rs` fails when they differ.

use crate::access::{self, Action, Actor, KeyScope, Membership, Person};
use crate::case::{self, Origin, Status, Transition};
use crate::clock::{DAY, HOUR};
use crate::ids::{BrandId, UserId};
use crate::notifications::{emailed_by_default, recipients, Notice};
use crate::programme::Lane;
use crate::routes::{Access, Body, ROUTES};
use crate::types::{BrandRole, StaffRole};
use std::fmt::Write;

/// How a case begins. A new case is not a `Transition` (there is no status to move from): it is
/// created in its first status, by a brand's report in its lane or by the marketplace's flag.
/// `core/tests/docs.rs` files one of each through the real use cases and checks these statuses.
pub const ENTRIES: [(Origin, Option<Lane>, Status); 3] = [
    (Origin::Report, Some(Lane::Auto), Status::TakedownRequested),
    (Origin::Report, Some(Lane::Review), Status::UnderReview),
    (Origin::Detection, None, Status::AwaitingBrand),
];

/// An entry's label in the diagram: `report (auto lane)`, `flag`.
fn entry_label(origin: Origin, lane: Option<Lane>) -> &'static str {
    match (origin, lane) {
        (Origin::Report, Some(Lane::Auto)) => "report (auto lane)",
        (Origin::Report, Some(Lane::Review)) => "report (review lane)",
        (Origin::Report, None) => "report",
        (Origin::Detection, _) => "flag",
    }
}

/// Every legal move of the table, in a fixed order: by `Status::ALL`, then `Transition::ALL`.
fn legal_moves() -> impl Iterator<Item = (Status, Transition, Status)> {
    Status::ALL.into_iter().flat_map(|from| {
        Transition::ALL
            .into_iter()
            .filter_map(move |t| case::next(from, t).map(|to| (from, t, to)))
    })
}

/// The case state machine as a Mermaid `stateDiagram-v2`, in a fenced block: the entries from
/// `[*]`, one edge per legal (status, transition) of `case::next` labelled with the transition,
/// and every final status to `[*]`.
pub fn state_machine_mermaid() -> String {
    let mut out = String::from("```mermaid\nstateDiagram-v2\n");
    for (origin, lane, status) in ENTRIES {
        let _ = writeln!(
            out,
            "    [*] --> {}: {}",
            status.as_str(),
            entry_label(origin, lane)
        );
    }
    for (from, t, to) in legal_moves() {
        let _ = writeln!(
            out,
            "    {} --> {}: {}",
            from.as_str(),
            to.as_str(),
            t.as_str()
        );
    }
    for status in Status::ALL.into_iter().filter(|s| !s.is_open()) {
        let _ = writeln!(out, "    {} --> [*]", status.as_str());
    }
    out.push_str("```\n");
    out
}

fn duration(ms: i64) -> String {
    match ms {
        ms if ms % DAY == 0 && ms / DAY == 1 => "1 day".into(),
        ms if ms % DAY == 0 => format!("{} days", ms / DAY),
        ms => format!("{} hours", ms / HOUR),
    }
}

/// The transition table as Markdown: from, transition, to, the marketplace actions the move
/// writes (`case::actions`), and the deadline the new status starts (`cases::deadline_for`).
pub fn transition_table_markdown() -> String {
    let mut out = String::from(
        "| from | transition | to | actions sent to the marketplace | deadline started |\n\
         |---|---|---|---|---|\n",
    );
    for (from, t, to) in legal_moves() {
        let actions: Vec<String> = case::actions(from, t)
            .into_iter()
            .map(|a| format!("`{}`", a.as_str()))
            .collect();
        let deadline = crate::cases::deadline_for(to, 0).map_or("—".into(), duration);
        let _ = writeln!(
            out,
            "| `{}` | `{}` | `{}` | {} | {} |",
            from.as_str(),
            t.as_str(),
            to.as_str(),
            if actions.is_empty() {
                "—".into()
            } else {
                actions.join(", ")
            },
            deadline
        );
    }
    out
}

/// Every kind of actor on a brand they can see, with its label: the brand roles, the staff roles
/// (an account manager assigned to the brand) and the two key scopes.
fn actors_on(brand: BrandId) -> Vec<(String, Actor)> {
    let person = |staff: Option<StaffRole>, role: Option<BrandRole>| {
        Actor::Person(Person {
            user_id: UserId(uuid::Uuid::nil()),
            display_name: String::new(),
            staff_role: staff,
            memberships: role
                .map(|role| Membership {
                    brand_id: brand,
                    role,
                })
                .into_iter()
                .collect(),
            managed_brands: vec![brand],
        })
    };
    let mut actors: Vec<(String, Actor)> = BrandRole::ALL
        .into_iter()
        .map(|role| (role.as_str().to_owned(), person(None, Some(role))))
        .collect();
    for staff in [StaffRole::AccountManager, StaffRole::Operator] {
        actors.push((staff.as_str().to_owned(), person(Some(staff), None)));
    }
    for (label, scope) in [
        ("read key", KeyScope::Read),
        ("read_write key", KeyScope::ReadWrite),
    ] {
        actors.push((
            label.to_owned(),
            Actor::ApiKey {
                brand_id: brand,
                scope,
            },
        ));
    }
    actors
}

/// Who may perform a brand action on a brand they can see, asked of the access policy itself.
fn who_may(action: Action) -> String {
    let brand = BrandId(uuid::Uuid::nil());
    let allowed: Vec<String> = actors_on(brand)
        .into_iter()
        .filter(|(_, actor)| access::authorize(actor, brand, action).is_ok())
        .map(|(label, _)| label)
        .collect();
    allowed.join(", ")
}

/// `ViewBrand` → `view_brand`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The access policy's decision table as Markdown: every brand action (`Action::ALL`) against
/// every kind of actor, on a brand the actor can see, asked of `access::authorize`.
pub fn permission_table_markdown() -> String {
    let brand = BrandId(uuid::Uuid::nil());
    let actors = actors_on(brand);
    let mut out = String::from("| action |");
    for (label, _) in &actors {
        let _ = write!(out, " {label} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(actors.len()));
    out.push('\n');
    for action in Action::ALL {
        let _ = write!(out, "| `{}` |", snake(&format!("{action:?}")));
        for (_, actor) in &actors {
            let mark = if access::authorize(actor, brand, action).is_ok() {
                "✓"
            } else {
                ""
            };
            let _ = write!(out, " {mark} |");
        }
        out.push('\n');
    }
    out
}

fn who(access: Access) -> String {
    match access {
        Access::Public => "anyone".into(),
        Access::Optional => "anyone (a session is recognised)".into(),
        Access::Person => "a signed-in person".into(),
        Access::Brand(action) => who_may(action),
        Access::Staff(access::StaffArea::Manager) => "account_manager, operator".into(),
        Access::Staff(access::StaffArea::Admin) => "operator".into(),
        Access::Signed => "the marketplace (signed)".into(),
    }
}

fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / KIB)
    }
}

/// The content types a body may come as, each with its size limit (types that share a limit are
/// named together): "`text/csv` or `multipart/form-data` ≤ 2 MiB".
fn body(body: Body) -> String {
    let mut groups: Vec<(Vec<String>, usize)> = Vec::new();
    for t in body.accepts() {
        let limit = body.max_bytes_as(t);
        match groups.last_mut() {
            Some((types, l)) if *l == limit => types.push(format!("`{t}`")),
            _ => groups.push((vec![format!("`{t}`")], limit)),
        }
    }
    if groups.is_empty() {
        return "—".into();
    }
    let parts: Vec<String> = groups
        .into_iter()
        .map(|(types, limit)| format!("{} ≤ {}", types.join(" or "), size(limit)))
        .collect();
    parts.join(" or ")
}

/// The route list as Markdown, in the order of `routes::ROUTES`: method, path, who may call it
/// (for brand routes, the roles and keys the access policy allows), the body, what it does.
pub fn route_table_markdown() -> String {
    let mut out = String::from(
        "| method | path | who may call it | body | what it does |\n|---|---|---|---|---|\n",
    );
    for r in ROUTES {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            r.method.as_str(),
            r.path,
            who(r.access),
            body(r.body),
            r.summary.replace('|', "\\|")
        );
    }
    out
}

/// A generated part of a document: the file (from the repository's root), the name its markers
/// carry, and what writes it.
pub struct Block {
    pub file: &'static str,
    pub name: &'static str,
    pub generate: fn() -> String,
}

pub const BLOCKS: [Block; 5] = [
    Block {
        file: "docs/product.md",
        name: "permissions",
        generate: permission_table_markdown,
    },
    Block {
        file: "docs/cases.md",
        name: "state-machine",
        generate: state_machine_mermaid,
    },
    Block {
        file: "docs/cases.md",
        name: "transitions",
        generate: transition_table_markdown,
    },
    Block {
        file: "docs/api.md",
        name: "routes",
        generate: route_table_markdown,
    },
    Block {
        file: "docs/notifications.md",
        name: "recipients",
        generate: notification_table_markdown,
    },
];

/// Who receives what (`notifications::recipients`), and whether it is emailed by default.
pub fn notification_table_markdown() -> String {
    let mut out = String::from(
        "| kind | event (audit entry) | received by | emailed by default |\n|---|---|---|---|\n",
    );
    for n in Notice::ALL {
        let r = recipients(n);
        let mut who: Vec<String> = r
            .roles
            .iter()
            .map(|role| format!("`{}`", role.as_str()))
            .collect();
        if let Some(named) = r.named {
            who.push(named.label().to_owned());
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            n.as_str(),
            n.event(),
            who.join(", "),
            if emailed_by_default(n) { "yes" } else { "no" }
        );
    }
    out
}

/// `<!-- name:begin -->` and `<!-- name:end -->`, each on a line of its own.
pub fn markers(name: &str) -> (String, String) {
    (
        format!("<!-- {name}:begin -->\n"),
        format!("<!-- {name}:end -->"),
    )
}

/// Where the block's text lies in `doc`: after the begin marker's line, up to the end marker.
fn span(doc: &str, name: &str) -> Result<(usize, usize), String> {
    let (begin, end) = markers(name);
    let start = doc
        .find(&begin)
        .map(|i| i + begin.len())
        .ok_or_else(|| format!("no `{}` line", begin.trim_end()))?;
    let stop = doc[start..]
        .find(&end)
        .map(|i| start + i)
        .ok_or_else(|| format!("no `{end}` after `{}`", begin.trim_end()))?;
    if doc[start..].contains(&begin) {
        return Err(format!("`{}` appears twice", begin.trim_end()));
    }
    Ok((start, stop))
}

/// The text between a block's markers.
pub fn block<'a>(doc: &'a str, name: &str) -> Result<&'a str, String> {
    span(doc, name).map(|(start, stop)| &doc[start..stop])
}

/// `doc` with the block's text replaced by `generated` (the markers stay).
pub fn splice(doc: &str, name: &str, generated: &str) -> Result<String, String> {
    let (start, stop) = span(doc, name)?;
    Ok(format!("{}{generated}{}", &doc[..start], &doc[stop..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splicing_replaces_only_the_block() {
        let doc = "intro\n<!-- x:begin -->\nold\n<!-- x:end -->\nafter\n";
        assert_eq!(block(doc, "x"), Ok("old\n"));
        let new = splice(doc, "x", "new\nlines\n").unwrap();
        assert_eq!(
            new,
            "intro\n<!-- x:begin -->\nnew\nlines\n<!-- x:end -->\nafter\n"
        );
        assert_eq!(splice(&new, "x", "old\n").unwrap(), doc);
        assert!(block(doc, "y").is_err());
        assert!(block("<!-- x:begin -->\nno end\n", "x").is_err());
        let twice = format!("{doc}{doc}");
        assert!(block(&twice, "x").is_err());
    }

    #[test]
    fn the_diagram_has_every_legal_move_and_every_final_status() {
        let diagram = state_machine_mermaid();
        let moves = legal_moves().count();
        assert_eq!(
            diagram.lines().filter(|l| l.contains(" --> ")).count(),
            ENTRIES.len() + moves + Status::ALL.iter().filter(|s| !s.is_open()).count()
        );
        assert!(diagram.contains("    appealed --> in_arbitration: escalate\n"));
        assert!(diagram.contains("    [*] --> awaiting_brand: flag\n"));
        assert!(diagram.contains("    upheld --> [*]\n"));
        assert!(!diagram.contains("taken_down --> [*]"));
        assert_eq!(diagram, state_machine_mermaid(), "deterministic");
    }

    #[test]
    fn the_tables_name_who_may_do_what() {
        let routes = route_table_markdown();
        assert_eq!(routes.lines().count(), ROUTES.len() + 2);
        assert!(routes.contains(
            "| POST | `/api/v1/brands/{brand_id}/reports` | brand_admin, brand_agent, read_write key |"
        ));
        assert!(routes.contains("| `/api/v1/brands/{brand_id}/api-keys` | brand_admin | — |"));
        assert!(routes.contains("| `text/csv` or `multipart/form-data` ≤ 2 MiB |"));
        assert!(
            routes.contains("| `application/json` ≤ 64 KiB or `multipart/form-data` ≤ 26 MiB |")
        );
        let transitions = transition_table_markdown();
        assert!(transitions.contains(
            "| `appealed` | `retract_on_appeal` | `reinstated` | `listing.reinstate`, `appeal.decided` | — |"
        ));
        assert!(transitions.contains("| `taken_down` | `appeal_filed` | `appealed` | — | 3 days |"));
        let permissions = permission_table_markdown();
        assert_eq!(permissions.lines().count(), Action::ALL.len() + 2);
        assert!(permissions.contains("| `manage_api_keys` | ✓ |  |  |  |  |  |  |"));
    }
}
