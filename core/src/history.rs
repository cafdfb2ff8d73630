//! How the case history records who acted and what JointForce itself wrote there.
//!
//! Every event keeps typed columns (migration 0006): the actor's kind, the person's name at the
//! time and the brand acted for; a note's code and the data inside. They are written from types
//! (`Mover`, `Note`), and the case file reads them as they are, so a person whose display name
//! looks like a label ("Eve (account manager) for Aurelia") is still a brand agent named exactly
//! that. The English rendering is written beside them (`actor_label`, `note`): the brand's
//! webhooks carry the note's text, and the API's `actor` is the label; nothing is read back from
//! the English, except once, by the backfill of rows written before the columns existed
//! ([`backfilled`]).

use crate::access::{Actor, Capacity};
use crate::types::{BrandRole, StaffRole};

/// The history's English name for the marketplace and for JointForce's deadline rule: fixed
/// strings JointForce writes, never a person's name.
pub const MARKETPLACE_LABEL: &str = "Marketplace";
pub const DEADLINE_LABEL: &str = "JointForce (deadline)";
/// How an API key is named in the history: "API key of Aurelia".
const API_KEY_OF: &str = "API key of ";

/// Who acted on a case, as `case_events.actor_kind` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    BrandAdmin,
    BrandAgent,
    BrandViewer,
    AccountManager,
    Operator,
    ApiKey,
    Marketplace,
    /// JointForce's deadline rule (the Cron Trigger).
    Deadline,
}

impl ActorKind {
    pub const ALL: [ActorKind; 8] = [
        ActorKind::BrandAdmin,
        ActorKind::BrandAgent,
        ActorKind::BrandViewer,
        ActorKind::AccountManager,
        ActorKind::Operator,
        ActorKind::ApiKey,
        ActorKind::Marketplace,
        ActorKind::Deadline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::BrandAdmin => "brand_admin",
            ActorKind::BrandAgent => "brand_agent",
            ActorKind::BrandViewer => "brand_viewer",
            ActorKind::AccountManager => "account_manager",
            ActorKind::Operator => "operator",
            ActorKind::ApiKey => "api_key",
            ActorKind::Marketplace => "marketplace",
            ActorKind::Deadline => "deadline",
        }
    }

    /// A stored kind; None for anything else (`unknown`, written by the backfill for an old row
    /// whose actor it could not tell).
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The kind of a person's or a key's capacity on a brand.
    pub fn of(capacity: Capacity) -> Self {
        match capacity {
            Capacity::Member(BrandRole::BrandAdmin) => ActorKind::BrandAdmin,
            Capacity::Member(BrandRole::BrandAgent) => ActorKind::BrandAgent,
            Capacity::Member(BrandRole::BrandViewer) => ActorKind::BrandViewer,
            Capacity::AccountManager => ActorKind::AccountManager,
            Capacity::Operator => ActorKind::Operator,
            Capacity::Key(_) => ActorKind::ApiKey,
        }
    }
}

/// What the backfill stores as `actor_kind` for an old row whose actor it cannot tell (a person
/// no longer in the brand nor staff, a label that is none of JointForce's own): the row is done,
/// and readers show its label.
pub const UNKNOWN_KIND: &str = "unknown";

/// Who moves a case, as the history records it: built from types, never from a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mover {
    /// The person's user id (None for a key, the marketplace, the deadline rule).
    pub actor_id: Option<String>,
    pub kind: ActorKind,
    /// The person's display name at the time (None for a key, the marketplace, the deadline rule).
    pub name: Option<String>,
    /// The brand's name when staff or an API key acted for it; None when a member acted for their
    /// own brand, or for the marketplace and the deadline rule.
    pub on_behalf_of: Option<String>,
}

impl Mover {
    pub const MARKETPLACE: Mover = Mover::system(ActorKind::Marketplace);
    pub const DEADLINE: Mover = Mover::system(ActorKind::Deadline);

    const fn system(kind: ActorKind) -> Mover {
        Mover {
            actor_id: None,
            kind,
            name: None,
            on_behalf_of: None,
        }
    }

    /// An actor in the capacity it acts in on the brand named `brand_name`.
    pub fn of(actor: &Actor, capacity: Capacity, brand_name: &str) -> Mover {
        let kind = ActorKind::of(capacity);
        let (actor_id, name) = match actor {
            Actor::Person(p) => (Some(p.user_id.to_string()), Some(p.display_name.clone())),
            Actor::ApiKey { .. } | Actor::Anonymous => (None, None),
        };
        let for_brand = matches!(
            capacity,
            Capacity::AccountManager | Capacity::Operator | Capacity::Key(_)
        );
        Mover {
            actor_id,
            kind,
            name,
            on_behalf_of: for_brand.then(|| brand_name.to_owned()),
        }
    }

    /// A brand member acting for their own brand.
    pub fn member(user_id: impl ToString, name: &str, role: BrandRole) -> Mover {
        Mover {
            actor_id: Some(user_id.to_string()),
            kind: ActorKind::of(Capacity::Member(role)),
            name: Some(name.to_owned()),
            on_behalf_of: None,
        }
    }

    /// Staff acting for a brand.
    pub fn staff(user_id: impl ToString, name: &str, role: StaffRole, brand_name: &str) -> Mover {
        Mover {
            actor_id: Some(user_id.to_string()),
            kind: match role {
                StaffRole::AccountManager => ActorKind::AccountManager,
                StaffRole::Operator => ActorKind::Operator,
            },
            name: Some(name.to_owned()),
            on_behalf_of: Some(brand_name.to_owned()),
        }
    }

    /// The English rendering kept in `actor_label`: "Marco Bianchi (account manager) for
    /// Aurelia", "Arjun Mehta (brand_agent)", "API key of Aurelia", "Marketplace".
    pub fn label(&self) -> String {
        let name = self.name.as_deref().unwrap_or("someone");
        let brand = self.on_behalf_of.as_deref().unwrap_or_default();
        match self.kind {
            ActorKind::BrandAdmin | ActorKind::BrandAgent | ActorKind::BrandViewer => {
                format!("{name} ({})", self.kind.as_str())
            }
            ActorKind::AccountManager => format!("{name} (account manager) for {brand}"),
            ActorKind::Operator => format!("{name} (operator) for {brand}"),
            ActorKind::ApiKey => format!("{API_KEY_OF}{brand}"),
            ActorKind::Marketplace => MARKETPLACE_LABEL.to_owned(),
            ActorKind::Deadline => DEADLINE_LABEL.to_owned(),
        }
    }
}

/// JointForce's own sentences in the history, as `case_events.note_code` stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteCode {
    FiledAuto,
    FiledReview,
    FiledUnreachable,
    /// The marketplace's reason.
    ListingRemoved,
    /// The detection's score and its signals (joined by ", ").
    Detection,
    /// The marketplace's reason.
    TakedownFailed,
    TakedownConfirmed,
    /// The seller's name and statement.
    AppealFiled,
    FlagExpired,
    NoAppeal,
    AppealUnanswered,
    ListingUnknown,
}

impl NoteCode {
    pub const ALL: [NoteCode; 12] = [
        NoteCode::FiledAuto,
        NoteCode::FiledReview,
        NoteCode::FiledUnreachable,
        NoteCode::ListingRemoved,
        NoteCode::Detection,
        NoteCode::TakedownFailed,
        NoteCode::TakedownConfirmed,
        NoteCode::AppealFiled,
        NoteCode::FlagExpired,
        NoteCode::NoAppeal,
        NoteCode::AppealUnanswered,
        NoteCode::ListingUnknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteCode::FiledAuto => "filed_auto",
            NoteCode::FiledReview => "filed_review",
            NoteCode::FiledUnreachable => "filed_unreachable",
            NoteCode::ListingRemoved => "listing_removed",
            NoteCode::Detection => "detection",
            NoteCode::TakedownFailed => "takedown_failed",
            NoteCode::TakedownConfirmed => "takedown_confirmed",
            NoteCode::AppealFiled => "appeal_filed",
            NoteCode::FlagExpired => "flag_expired",
            NoteCode::NoAppeal => "no_appeal",
            NoteCode::AppealUnanswered => "appeal_unanswered",
            NoteCode::ListingUnknown => "listing_unknown",
        }
    }

    /// The English sentence, with `{0}`, `{1}`… for the data inside.
    pub fn template(self) -> &'static str {
        match self {
            NoteCode::FiledAuto => "Filed in the auto lane: takedown requested at once.",
            NoteCode::FiledReview => "Filed in the review lane: the account manager decides.",
            NoteCode::FiledUnreachable => {
                "Filed while the marketplace was unreachable: listing details will follow."
            }
            NoteCode::ListingRemoved => "The listing was removed on the marketplace ({0}).",
            NoteCode::Detection => "Flagged by the marketplace's detection (score {0}: {1}).",
            NoteCode::TakedownFailed => "The marketplace could not take the listing down: {0}",
            NoteCode::TakedownConfirmed => "The marketplace confirmed the takedown.",
            NoteCode::AppealFiled => "Seller {0} appealed: {1}",
            NoteCode::FlagExpired => "The brand did not answer within 7 days; the flag expired.",
            NoteCode::NoAppeal => "No appeal within 14 days: the takedown is upheld.",
            NoteCode::AppealUnanswered => {
                "The brand did not answer the appeal within 3 days: the listing is reinstated."
            }
            NoteCode::ListingUnknown => "The marketplace does not know this listing.",
        }
    }
}

/// A note on an event: what a person typed (data, no code), or one of JointForce's own sentences
/// by its code and the data inside, with its English text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    code: Option<NoteCode>,
    args: Vec<String>,
}

impl Note {
    /// What a person wrote, kept as they wrote it.
    pub fn typed(text: impl Into<String>) -> Note {
        Note {
            text: text.into(),
            code: None,
            args: Vec::new(),
        }
    }

    /// One of JointForce's own sentences, `args` in its places.
    pub fn coded(code: NoteCode, args: &[&str]) -> Note {
        let mut text = code.template().to_owned();
        for (i, arg) in args.iter().enumerate() {
            text = text.replacen(&format!("{{{i}}}"), arg, 1);
        }
        Note {
            text,
            code: Some(code),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// The English text (`case_events.note`, the brand's webhooks).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn code(&self) -> Option<NoteCode> {
        self.code
    }

    /// `case_events.note_args`: the data inside a coded note as a JSON array; None for a typed
    /// note.
    pub fn args_json(&self) -> Option<String> {
        self.code
            .map(|_| serde_json::to_string(&self.args).unwrap_or_else(|_| "[]".into()))
    }
}

/// `{text, code, args}` inside the JSON a batch of new cases is written from (`args` null for a
/// typed note).
impl serde::Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Note", 3)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("code", &self.code.map(NoteCode::as_str))?;
        st.serialize_field("args", &self.code.map(|_| &self.args))?;
        st.end()
    }
}

/// An event written before migration 0006, with what the backfill derives its columns from:
/// ids and roles, never a person's label.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct OldEvent {
    pub case_id: crate::ids::CaseId,
    pub seq: i64,
    pub kind: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub note: Option<String>,
    /// The acting user's role in the case's brand now, when a member.
    pub member_role: Option<String>,
    /// The acting user's staff role now.
    pub staff_role: Option<String>,
    /// The acting user's display name now.
    pub user_name: Option<String>,
    /// The case's brand's name now.
    pub brand_name: String,
}

/// The columns the backfill writes for an old event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Backfilled {
    pub case_id: crate::ids::CaseId,
    pub seq: i64,
    /// An `ActorKind`, or [`UNKNOWN_KIND`].
    pub actor_kind: &'static str,
    pub actor_name: Option<String>,
    pub on_behalf_of: Option<String>,
    pub note_code: Option<&'static str>,
    pub note_args: Option<String>,
}

/// What an old event's columns become. A person (an actor id) is a member of the case's brand in
/// their role there now, else staff in their staff role acting for the brand, named as their
/// user row names them now; the role and the name at the time were never stored, so this is the
/// closest the data allows. Without an actor id, only JointForce's own fixed labels are
/// recognised: the marketplace, the deadline rule, and an API key ("API key of …", whose brand is
/// the case's). Anything else is `unknown`. A note gets a code only on events whose note
/// JointForce wrote (a filing, or the marketplace's or the deadline rule's events), when it is one
/// of the sentences; a person's note never does.
pub fn backfilled(e: &OldEvent) -> Backfilled {
    let brand = || Some(e.brand_name.clone());
    let (kind, name, on_behalf_of) = match e.actor_id {
        Some(_) => match (e.member_role.as_deref(), e.staff_role.as_deref()) {
            (Some(role), _) => (
                BrandRole::parse(role)
                    .ok()
                    .map(|r| ActorKind::of(Capacity::Member(r))),
                e.user_name.clone(),
                None,
            ),
            (None, Some(staff)) => match StaffRole::parse(staff) {
                Ok(StaffRole::AccountManager) => (
                    Some(ActorKind::AccountManager),
                    e.user_name.clone(),
                    brand(),
                ),
                Ok(StaffRole::Operator) => {
                    (Some(ActorKind::Operator), e.user_name.clone(), brand())
                }
                Err(_) => (None, e.user_name.clone(), None),
            },
            (None, None) => (None, e.user_name.clone(), None),
        },
        None if e.actor_label == MARKETPLACE_LABEL => (Some(ActorKind::Marketplace), None, None),
        None if e.actor_label == DEADLINE_LABEL => (Some(ActorKind::Deadline), None, None),
        None if e.actor_label.starts_with(API_KEY_OF) => (Some(ActorKind::ApiKey), None, brand()),
        None => (None, None, None),
    };
    let jointforce_note =
        e.kind == "filed" || matches!(kind, Some(ActorKind::Marketplace | ActorKind::Deadline));
    let coded = e
        .note
        .as_deref()
        .filter(|_| jointforce_note)
        .and_then(note_parts);
    Backfilled {
        case_id: e.case_id,
        seq: e.seq,
        actor_kind: kind.map_or(UNKNOWN_KIND, ActorKind::as_str),
        actor_name: name,
        on_behalf_of,
        note_code: coded.as_ref().map(|(code, _)| code.as_str()),
        note_args: coded.map(|(_, args)| serde_json::to_string(&args).unwrap_or_default()),
    }
}

/// One of JointForce's sentences read back: its code and the data inside. Only the backfill of
/// rows written before migration 0006 uses it, on notes JointForce wrote; it can go once every
/// database is backfilled.
fn note_parts(note: &str) -> Option<(NoteCode, Vec<String>)> {
    NoteCode::ALL
        .into_iter()
        .find_map(|code| matches(code.template(), note).map(|args| (code, args)))
}

/// The arguments of `text` when it is `template` filled in (literals between the arguments are
/// found at their first place after the previous one; the last must end the text).
fn matches(template: &str, text: &str) -> Option<Vec<String>> {
    let mut literals = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        literals.push(&rest[..open]);
        rest = &rest[close + 1..];
    }
    let last = rest;
    let mut text = text.strip_prefix(literals.first().copied().unwrap_or(last))?;
    if literals.is_empty() {
        return text.is_empty().then(Vec::new);
    }
    let mut args = Vec::new();
    for lit in literals.iter().skip(1) {
        let at = text.find(lit)?;
        args.push(text[..at].to_owned());
        text = &text[at + lit.len()..];
    }
    args.push(text.strip_suffix(last)?.to_owned());
    Some(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{KeyScope, Membership, Person};
    use crate::ids::{BrandId, CaseId, UserId};

    fn person(name: &str) -> Actor {
        Actor::Person(Person {
            user_id: UserId(uuid::Uuid::from_bytes([3; 16])),
            display_name: name.into(),
            staff_role: None,
            memberships: vec![Membership {
                brand_id: BrandId(uuid::Uuid::from_bytes([1; 16])),
                role: BrandRole::BrandAgent,
            }],
            managed_brands: vec![],
        })
    }

    #[test]
    fn movers_keep_kind_name_and_brand_apart_and_render_the_label() {
        let tricky = "Eve (account manager) for Aurelia";
        let agent = Mover::of(
            &person(tricky),
            Capacity::Member(BrandRole::BrandAgent),
            "Aurelia",
        );
        assert_eq!(
            (
                agent.kind,
                agent.name.as_deref(),
                agent.on_behalf_of.as_deref()
            ),
            (ActorKind::BrandAgent, Some(tricky), None)
        );
        assert_eq!(agent.label(), format!("{tricky} (brand_agent)"));
        let manager = Mover::of(
            &person("Marco Bianchi"),
            Capacity::AccountManager,
            "Aurelia",
        );
        assert_eq!(
            manager.label(),
            "Marco Bianchi (account manager) for Aurelia"
        );
        assert_eq!(manager.on_behalf_of.as_deref(), Some("Aurelia"));
        let key = Actor::ApiKey {
            brand_id: BrandId(uuid::Uuid::from_bytes([1; 16])),
            scope: KeyScope::ReadWrite,
        };
        let key = Mover::of(&key, Capacity::Key(KeyScope::ReadWrite), "Aurelia");
        assert_eq!(
            (key.kind, key.actor_id.as_deref(), key.label().as_str()),
            (ActorKind::ApiKey, None, "API key of Aurelia")
        );
        assert_eq!(Mover::MARKETPLACE.label(), MARKETPLACE_LABEL);
        assert_eq!(Mover::DEADLINE.label(), DEADLINE_LABEL);
        for kind in ActorKind::ALL {
            assert_eq!(ActorKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ActorKind::parse(UNKNOWN_KIND), None);
    }

    #[test]
    fn coded_notes_carry_their_code_args_and_english() {
        let note = Note::coded(
            NoteCode::Detection,
            &["0.93", "logo_mismatch, price_anomaly"],
        );
        assert_eq!(
            note.text(),
            "Flagged by the marketplace's detection (score 0.93: logo_mismatch, price_anomaly)."
        );
        assert_eq!(note.code(), Some(NoteCode::Detection));
        assert_eq!(
            note.args_json().as_deref(),
            Some(r#"["0.93","logo_mismatch, price_anomaly"]"#)
        );
        assert_eq!(
            Note::coded(NoteCode::NoAppeal, &[]).args_json().as_deref(),
            Some("[]")
        );
        let typed = Note::typed("Seller Bargain Bags appealed: looks like it to me");
        assert_eq!((typed.code(), typed.args_json()), (None, None));
        assert_eq!(
            serde_json::to_value(&typed).unwrap(),
            serde_json::json!({ "text": typed.text(), "code": null, "args": null })
        );
    }

    fn old(actor_id: Option<&str>, label: &str, kind: &str, note: Option<&str>) -> OldEvent {
        OldEvent {
            case_id: CaseId(uuid::Uuid::from_bytes([5; 16])),
            seq: 1,
            kind: kind.into(),
            actor_id: actor_id.map(str::to_owned),
            actor_label: label.into(),
            note: note.map(str::to_owned),
            member_role: None,
            staff_role: None,
            user_name: actor_id.map(|_| "Now Named".to_owned()),
            brand_name: "Aurelia".into(),
        }
    }

    #[test]
    fn the_backfill_reads_ids_roles_and_fixed_labels_never_a_persons_label() {
        // A person's label is never split: the role comes from the membership, the name from the
        // user row.
        let mut agent = old(
            Some("u1"),
            "Eve (account manager) for Aurelia (brand_agent)",
            "confirm",
            Some("The marketplace confirmed the takedown."),
        );
        agent.member_role = Some("brand_agent".into());
        let b = backfilled(&agent);
        assert_eq!(
            (
                b.actor_kind,
                b.actor_name.as_deref(),
                b.on_behalf_of.as_deref()
            ),
            ("brand_agent", Some("Now Named"), None)
        );
        assert_eq!(b.note_code, None, "a person's note never gets a code");
        let mut manager = old(Some("u2"), "whatever", "approve", None);
        manager.staff_role = Some("account_manager".into());
        let b = backfilled(&manager);
        assert_eq!(
            (b.actor_kind, b.on_behalf_of.as_deref()),
            ("account_manager", Some("Aurelia"))
        );
        let gone = backfilled(&old(
            Some("u3"),
            "Left Person (brand_admin)",
            "reject",
            None,
        ));
        assert_eq!(
            (gone.actor_kind, gone.actor_name.as_deref()),
            ("unknown", Some("Now Named"))
        );
        let label_only = backfilled(&old(None, "Arjun Mehta (brand_agent)", "confirm", None));
        assert_eq!(
            (label_only.actor_kind, label_only.actor_name),
            ("unknown", None)
        );

        let m = backfilled(&old(
            None,
            MARKETPLACE_LABEL,
            "appeal_filed",
            Some("Seller Bargain Bags appealed: genuine: see receipt"),
        ));
        assert_eq!(
            (m.actor_kind, m.note_code, m.note_args.as_deref()),
            (
                "marketplace",
                Some("appeal_filed"),
                Some(r#"["Bargain Bags","genuine: see receipt"]"#)
            )
        );
        let d = backfilled(&old(
            None,
            DEADLINE_LABEL,
            "expire",
            Some(NoteCode::FlagExpired.template()),
        ));
        assert_eq!(
            (d.actor_kind, d.note_code),
            ("deadline", Some("flag_expired"))
        );
        let k = backfilled(&old(
            None,
            "API key of Aurelia",
            "filed",
            Some(NoteCode::FiledAuto.template()),
        ));
        assert_eq!(
            (k.actor_kind, k.on_behalf_of.as_deref(), k.note_code),
            ("api_key", Some("Aurelia"), Some("filed_auto"))
        );
        // Every sentence reads back to its code and data.
        for code in NoteCode::ALL {
            let args = ["a (b): c", "d: e"];
            let note = Note::coded(code, &args[..code.template().matches('{').count()]);
            let (read, got) = note_parts(note.text()).unwrap_or_else(|| panic!("{code:?}"));
            let got: Vec<&str> = got.iter().map(String::as_str).collect();
            assert_eq!(read, code);
            assert_eq!(Note::coded(read, &got).text(), note.text());
        }
    }
}
