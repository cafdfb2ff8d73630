//! The audit log: who did what, for whom, when and from where, appended in the batch of the change it records.
//!
//! Each use case that changes something listed in `AuditKind` builds an `AuditEntry` and pushes
//! its statement into the batch it already writes, so an entry exists exactly when its change
//! does. The table refuses UPDATE, and DELETE before two years (migration 0008; docs/audit.md).
//! Readers: a brand's admins and its staff read the brand's entries and its members' sign-ins
//! without addresses; each person reads their own sign-ins; operators read everything.

use crate::access::{self, Action, Actor, Capacity, StaffArea};
use crate::api::{AuditEntryView, AuditLog};
use crate::clock::Millis;
use crate::export::{Export, Exported};
use crate::history::{ActorKind, Mover};
use crate::identity::Deps;
use crate::ids::{BrandId, UserId};
use crate::notifications::{self, Notice};
use crate::routes::RouteId;
use crate::sql::{self, AuditScope, NewAuditEntry};
use crate::store::{Db, Stmt};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Defines `AuditKind` with its codes and `ALL` from one list.
macro_rules! audit_kinds {
    ($($name:ident => $code:literal),* $(,)?) => {
        /// What an entry records, stored and answered as its code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum AuditKind {
            $($name),*
        }

        impl AuditKind {
            pub const ALL: &'static [AuditKind] = &[$(AuditKind::$name),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditKind::$name => $code),*
                }
            }
        }
    };
}

audit_kinds! {
    SignedIn => "signed_in",
    SignInFailed => "sign_in_failed",
    SignedOut => "signed_out",
    SessionEnded => "session_ended",
    OtherSessionsEnded => "other_sessions_ended",
    PasswordChanged => "password_changed",
    InvitationSent => "invitation_sent",
    InvitationAccepted => "invitation_accepted",
    InvitationCancelled => "invitation_cancelled",
    MemberAdded => "member_added",
    MemberRoleChanged => "member_role_changed",
    MemberRemoved => "member_removed",
    UserCreated => "user_created",
    UserDisabled => "user_disabled",
    UserEnabled => "user_enabled",
    StaffRoleGranted => "staff_role_granted",
    StaffRoleRemoved => "staff_role_removed",
    ApiKeyCreated => "api_key_created",
    ApiKeyRevoked => "api_key_revoked",
    EndpointCreated => "endpoint_created",
    EndpointDisabled => "endpoint_disabled",
    EndpointEnabled => "endpoint_enabled",
    EndpointDeleted => "endpoint_deleted",
    BrandCreated => "brand_created",
    ManagerAssigned => "manager_assigned",
    ProgrammeChanged => "programme_changed",
    RightReviewed => "right_reviewed",
    CaseMoved => "case_moved",
    DeadLetterDiscarded => "dead_letter_discarded",
}

impl AuditKind {
    /// A stored or asked-for code (400 naming `field` for anything else).
    pub fn parse(raw: &str, field: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| Error::invalid(field, "is not an audit entry kind"))
    }

    /// The kinds about a person signing in, which their brands' admins and they themselves read.
    pub const SIGN_INS: [AuditKind; 2] = [AuditKind::SignedIn, AuditKind::SignInFailed];
}

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    User,
    Invitation,
    Session,
    ApiKey,
    Endpoint,
    Brand,
    IpRight,
    Case,
    /// A marketplace event that could not be applied, by its webhook-id.
    DeadLetter,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::User => "user",
            Subject::Invitation => "invitation",
            Subject::Session => "session",
            Subject::ApiKey => "api_key",
            Subject::Endpoint => "endpoint",
            Subject::Brand => "brand",
            Subject::IpRight => "ip_right",
            Subject::Case => "case",
            Subject::DeadLetter => "dead_letter",
        }
    }
}

/// One entry, built where the change is made and turned into the statement of its batch.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    kind: AuditKind,
    actor_kind: &'static str,
    actor_id: Option<String>,
    on_behalf_of: Option<BrandId>,
    brand_id: Option<BrandId>,
    subject: Option<(Subject, String)>,
    address: Option<String>,
    details: serde_json::Map<String, serde_json::Value>,
    /// The notification the entry is, if the table of `notifications` names it.
    notice: Option<Notice>,
}

impl AuditEntry {
    fn new(kind: AuditKind, actor_kind: &'static str, actor_id: Option<String>) -> Self {
        AuditEntry {
            kind,
            actor_kind,
            actor_id,
            on_behalf_of: None,
            brand_id: None,
            subject: None,
            address: None,
            details: serde_json::Map::new(),
            notice: None,
        }
    }

    /// Something the actor did (a key acts for its own brand).
    pub fn by(kind: AuditKind, actor: &Actor) -> Self {
        match actor {
            Actor::Person(p) => Self::by_person(kind, p.user_id),
            Actor::ApiKey { brand_id, .. } => AuditEntry {
                on_behalf_of: Some(*brand_id),
                brand_id: Some(*brand_id),
                ..Self::new(kind, "api_key", None)
            },
            Actor::Anonymous => Self::new(kind, "anonymous", None),
        }
    }

    pub fn by_person(kind: AuditKind, user_id: UserId) -> Self {
        Self::new(kind, "person", Some(user_id.to_string()))
    }

    /// Someone who is not signed in (a failed sign-in).
    pub fn anonymous(kind: AuditKind) -> Self {
        Self::new(kind, "anonymous", None)
    }

    /// Whoever moves a case, as its history records them.
    pub fn by_mover(kind: AuditKind, mover: &Mover, brand_id: BrandId) -> Self {
        let actor_kind = match mover.kind {
            ActorKind::ApiKey => "api_key",
            ActorKind::Marketplace => "marketplace",
            ActorKind::Deadline => "deadline",
            _ => "person",
        };
        // The capacity too (`account_manager` for brand Y), as the case's timeline has it: a
        // person's staff role may change later.
        AuditEntry {
            brand_id: Some(brand_id),
            on_behalf_of: mover.on_behalf_of.is_some().then_some(brand_id),
            ..Self::new(kind, actor_kind, mover.actor_id.clone())
        }
        .detail("acted_as", mover.kind.as_str())
    }

    /// Done within a brand in this capacity: staff and keys act on the brand's behalf.
    pub fn for_brand(mut self, brand_id: BrandId, capacity: Capacity) -> Self {
        self.brand_id = Some(brand_id);
        if !matches!(capacity, Capacity::Member(_)) {
            self.on_behalf_of = Some(brand_id);
        }
        self
    }

    /// The brand the change belongs to (an operator setting a brand up acts for nobody).
    pub fn in_brand(mut self, brand_id: BrandId) -> Self {
        self.brand_id = Some(brand_id);
        self
    }

    pub fn subject(mut self, kind: Subject, id: impl ToString) -> Self {
        self.subject = Some((kind, id.to_string()));
        self
    }

    /// A datum of the entry (codes and values, never English).
    pub fn detail(mut self, key: &str, value: impl Serialize) -> Self {
        self.details.insert(
            key.to_owned(),
            serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        );
        self
    }

    /// The entry notifies those the table of `notifications` gives this notice to.
    pub fn notice(mut self, notice: Option<Notice>) -> Self {
        self.notice = notice;
        self
    }

    /// The client's address, when the use case has it apart from `Deps` (sign-in).
    pub fn from_address(mut self, address: Option<&str>) -> Self {
        self.address = address.map(str::to_owned);
        self
    }

    fn row<'a>(
        &'a self,
        id: &'a str,
        at: Millis,
        address: Option<&'a str>,
        details: &'a str,
    ) -> NewAuditEntry<'a> {
        NewAuditEntry {
            id,
            at,
            kind: self.kind.as_str(),
            actor_kind: self.actor_kind,
            actor_id: self.actor_id.as_deref(),
            on_behalf_of: self.on_behalf_of,
            brand_id: self.brand_id,
            subject_kind: self.subject.as_ref().map(|(k, _)| k.as_str()),
            subject_id: self.subject.as_ref().map(|(_, id)| id.as_str()),
            address: self.address.as_deref().or(address),
            details,
        }
    }

    fn written<D: Db>(
        &self,
        deps: &Deps<'_, D>,
        write: fn(&NewAuditEntry<'_>) -> Stmt,
    ) -> (String, Stmt) {
        let id = deps.entropy.uuid().to_string();
        let details = serde_json::Value::Object(self.details.clone()).to_string();
        let stmt = write(&self.row(&id, deps.clock.now(), deps.address, &details));
        (id, stmt)
    }

    /// The INSERT for the change's own batch.
    pub fn stmt<D: Db>(&self, deps: &Deps<'_, D>) -> Stmt {
        self.written(deps, sql::insert_audit).1
    }

    /// The INSERT for the change's own batch and, when the entry notifies, the emails it owes
    /// (after it, in the same batch: they exist exactly when the entry does).
    pub fn stmts<D: Db>(&self, deps: &Deps<'_, D>) -> Vec<Stmt> {
        let Some(notice) = self.notice else {
            return vec![self.stmt(deps)];
        };
        let id = deps.entropy.uuid().to_string();
        let details = serde_json::Value::Object(self.details.clone()).to_string();
        let row = self.row(&id, deps.clock.now(), deps.address, &details);
        let named = notifications::recipients(notice).named.map(|n| n.event());
        vec![
            sql::insert_audit_notice(&row, notice.as_str(), named),
            sql::queue_notice_mail(
                &id,
                &notifications::roles_json(notice),
                notifications::emailed_by_default(notice),
            ),
        ]
    }

    /// The INSERT, to follow the one statement it records in the batch: written only if that
    /// statement changed a row. Its id tells (`sql::audit_recorded`) whether it was.
    pub fn stmt_if_changed<D: Db>(&self, deps: &Deps<'_, D>) -> (String, Stmt) {
        self.written(deps, sql::insert_audit_if_changed)
    }

    /// One entry per case a batch of decisions moved (`sql::move_many`).
    pub fn stmt_for_moves<D: Db>(
        &self,
        deps: &Deps<'_, D>,
        moves_json: &str,
        move_id: &str,
        from: &str,
    ) -> Stmt {
        let details = serde_json::Value::Object(self.details.clone()).to_string();
        let row = self.row("", deps.clock.now(), deps.address, &details);
        sql::insert_audit_for_moves(&row, moves_json, move_id, from)
    }

    /// One entry per case a filing opens (`sql::insert_cases`, the same JSON).
    pub fn stmt_for_new_cases<D: Db>(&self, deps: &Deps<'_, D>, cases_json: &str) -> Stmt {
        let details = serde_json::Value::Object(self.details.clone()).to_string();
        let row = self.row("", deps.clock.now(), deps.address, &details);
        sql::insert_audit_for_new_cases(&row, cases_json)
    }
}

/// Runs one change and its entry in one batch; whether the change happened (changed a row).
pub async fn change_recorded<D: Db>(
    deps: &Deps<'_, D>,
    change: Stmt,
    entry: &AuditEntry,
) -> Result<bool> {
    let (id, stmt) = entry.stmt_if_changed(deps);
    deps.db.batch(vec![change, stmt]).await?;
    sql::audit_recorded(deps.db, &id).await
}

// ---------------------------------------------------------------- reading

const PAGE_DEFAULT: i64 = 25;
const PAGE_MAX: i64 = 100;

/// Filters and paging as given in the query string.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditQuery {
    /// A user id: entries this person did.
    pub actor: Option<String>,
    pub kind: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn millis(raw: Option<&str>, field: &str) -> Result<Option<Millis>> {
    raw.map(|s| {
        s.parse::<Millis>()
            .map_err(|_| Error::invalid(field, "must be milliseconds since the epoch"))
    })
    .transpose()
}

fn filter_of(q: &AuditQuery) -> Result<sql::AuditFilter> {
    Ok(sql::AuditFilter {
        actor: nonempty(&q.actor)
            .map(|a| UserId::parse(a).map(|u| u.to_string()))
            .transpose()
            .map_err(|_| Error::invalid("actor", "must be a user id"))?,
        kind: nonempty(&q.kind)
            .map(|k| AuditKind::parse(k, "kind").map(|k| k.as_str().to_owned()))
            .transpose()?,
        from: millis(nonempty(&q.from), "from")?,
        to: millis(nonempty(&q.to), "to")?,
    })
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<(Millis, String)>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let bad = || Error::invalid("cursor", "is not a cursor this API gave out");
    let (at, id) = raw.split_once('_').ok_or_else(bad)?;
    let at = at.parse().map_err(|_| bad())?;
    // Entry ids are UUIDs, or 32 hex digits for those a batch of decisions writes.
    let id_ok =
        !id.is_empty() && id.len() <= 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if !id_ok {
        return Err(bad());
    }
    Ok(Some((at, id.to_owned())))
}

fn view(r: sql::AuditRecord, with_address: bool) -> AuditEntryView {
    let case_file = match (r.subject_kind.as_deref(), r.brand_id, &r.subject_id) {
        (Some("case"), Some(b), Some(c)) => Some(RouteId::GetCase.path(&[&b.to_string(), c])),
        _ => None,
    };
    AuditEntryView {
        details: serde_json::from_str(&r.details).unwrap_or_default(),
        id: r.id,
        at: r.at,
        kind: r.kind,
        actor_kind: r.actor_kind,
        actor_id: r.actor_id,
        actor_name: r.actor_name,
        on_behalf_of: r.on_behalf_of,
        brand_id: r.brand_id,
        subject_kind: r.subject_kind,
        subject_id: r.subject_id,
        subject_name: r.subject_name,
        address: if with_address { r.address } else { None },
        case_file,
    }
}

async fn page<D: Db>(
    deps: &Deps<'_, D>,
    scope: AuditScope,
    q: &AuditQuery,
    with_address: bool,
) -> Result<AuditLog> {
    let filter = filter_of(q)?;
    let limit = match nonempty(&q.limit) {
        None => PAGE_DEFAULT,
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=PAGE_MAX).contains(n))
            .ok_or_else(|| Error::invalid("limit", format!("must be 1–{PAGE_MAX}")))?,
    };
    let after = parse_cursor(nonempty(&q.cursor))?;
    let sign_ins = sign_in_kinds();
    let mut rows = sql::audit_page(deps.db, scope, &sign_ins, &filter, after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| format!("{}_{}", r.at, r.id))
    } else {
        None
    };
    Ok(AuditLog {
        entries: rows.into_iter().map(|r| view(r, with_address)).collect(),
        next_cursor,
    })
}

/// A brand's entries and its members' sign-ins, without addresses (its admins, its account
/// manager, operators).
pub async fn brand_audit<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    q: &AuditQuery,
) -> Result<AuditLog> {
    access::authorize(actor, brand_id, Action::ReadAudit)?;
    page(deps, AuditScope::Brand(brand_id), q, false).await
}

/// The person's own sign-ins and failed sign-ins, with the addresses they came from.
pub async fn my_audit<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    q: &AuditQuery,
) -> Result<AuditLog> {
    let user_id = match actor {
        Actor::Person(p) => p.user_id,
        Actor::Anonymous => return Err(Error::Unauthenticated),
        Actor::ApiKey { .. } => return Err(Error::NotFound),
    };
    page(deps, AuditScope::Person(user_id), q, true).await
}

/// Every entry (operators).
pub async fn all_audit<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    q: &AuditQuery,
) -> Result<AuditLog> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    page(deps, AuditScope::All, q, true).await
}

/// The kinds of a person's sign-ins, as the page query reads them (a JSON array).
pub(crate) fn sign_in_kinds() -> String {
    serde_json::to_string(&AuditKind::SIGN_INS.map(AuditKind::as_str)).unwrap_or_default()
}

fn export<D: Db>(
    db: D,
    scope: AuditScope,
    q: &AuditQuery,
    with_address: bool,
) -> Result<Export<D>> {
    let what = Exported::Audit {
        scope,
        sign_ins: sign_in_kinds(),
        filter: filter_of(q)?,
        with_address,
    };
    Ok(Export::new(db, what))
}

/// `brand_audit` as CSV, every page (cursor and limit are not read); refused before the first byte.
pub fn export_brand_audit<D: Db>(
    db: D,
    actor: &Actor,
    brand_id: BrandId,
    q: &AuditQuery,
) -> Result<Export<D>> {
    access::authorize(actor, brand_id, Action::ReadAudit)?;
    export(db, AuditScope::Brand(brand_id), q, false)
}

/// `all_audit` as CSV (operators).
pub fn export_all_audit<D: Db>(db: D, actor: &Actor, q: &AuditQuery) -> Result<Export<D>> {
    access::authorize_staff(actor, StaffArea::Admin)?;
    export(db, AuditScope::All, q, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        for (i, k) in AuditKind::ALL.iter().enumerate() {
            assert_eq!(AuditKind::parse(k.as_str(), "kind").unwrap(), *k);
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
            assert!(AuditKind::ALL[i + 1..]
                .iter()
                .all(|o| o.as_str() != k.as_str()));
        }
        assert!(AuditKind::parse("nope", "kind").is_err());
    }

    #[test]
    fn cursors_are_read_strictly() {
        assert_eq!(
            parse_cursor(Some("5_ab-12")).unwrap(),
            Some((5, "ab-12".into()))
        );
        for bad in ["5", "x_ab", "5_", "5_ab'--"] {
            assert!(parse_cursor(Some(bad)).is_err(), "{bad}");
        }
    }
}
