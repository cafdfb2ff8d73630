//! The JSON shapes of the API, shared by the worker (which answers them) and the app (which reads
//! them), and the one parser every JSON request body goes through.

use crate::access::KeyScope;
use crate::clock::Millis;
use crate::ids::{BrandId, InvitationId, UserId};
use crate::types::{BrandRole, ProgrammeStatus, StaffRole};
use crate::{Error, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Longest string accepted in any JSON field.
pub const MAX_FIELD_BYTES: usize = 10 * 1024;

/// Parses a JSON body: malformed JSON, a missing or mistyped field, or a string field over 10 KB
/// is a 400 that names the field.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| Error::invalid("body", format!("is not valid JSON ({e})")))?;
    if let Some(field) = oversized_field(&value, "") {
        return Err(Error::invalid(
            field,
            format!("is longer than {} bytes", MAX_FIELD_BYTES),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| field_error("", e))
}

/// A 400 naming the field a deserialisation failed on, under `prefix` (e.g. `data.listing`).
pub fn field_error(prefix: &str, e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner().to_string();
    let join = |a: &str, b: &str| match (a.is_empty(), b.is_empty() || b == ".") {
        (true, true) => "body".to_owned(),
        (true, false) => b.to_owned(),
        (false, true) => a.to_owned(),
        (false, false) => format!("{a}.{b}"),
    };
    let at = join(prefix, &path);
    // serde names a missing field only in its message: "missing field `email`".
    let field = match inner.split('`').nth(1) {
        Some(name) if inner.starts_with("missing field") => {
            join(if at == "body" { "" } else { &at }, name)
        }
        _ => at,
    };
    let message = inner.split(" at line").next().unwrap_or(&inner).to_owned();
    Error::invalid(field, message)
}

fn oversized_field(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::String(s) if s.len() > MAX_FIELD_BYTES => Some(if path.is_empty() {
            "body".into()
        } else {
            path.to_owned()
        }),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| oversized_field(v, &format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.len() > MAX_FIELD_BYTES {
                return Some("body".into());
            }
            oversized_field(
                v,
                &if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                },
            )
        }),
        _ => None,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub staff_role: Option<StaffRole>,
    /// A disabled account cannot sign in; its sessions have ended.
    pub disabled: bool,
    /// False until the person sets a password from their own set-password link.
    pub has_password: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MembershipView {
    pub brand_id: BrandId,
    pub brand_name: String,
    pub role: BrandRole,
    /// Where the brand stands in the programme: the app offers filing only to an enrolled one.
    pub programme_status: ProgrammeStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Me {
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
}

impl Me {
    pub fn is_staff(&self) -> bool {
        self.user.staff_role.is_some()
    }

    /// The person's role in the brand with this id (as its path writes it), if a member.
    pub fn role_in(&self, brand_id: &str) -> Option<BrandRole> {
        self.memberships
            .iter()
            .find(|m| m.brand_id.to_string().eq_ignore_ascii_case(brand_id))
            .map(|m| m.role)
    }
}

/// Who is signed in: `me` is null for a visitor (a normal state, not an error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SessionView {
    pub me: Option<Me>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct InvitationView {
    pub email: String,
    pub brand_name: String,
    pub role: BrandRole,
    /// The address has an account: accepting needs that account signed in (no password here).
    pub account_exists: bool,
    /// The person signed in is the account invited: accepting is one click.
    pub signed_in_as_invitee: bool,
    pub expires_at: Millis,
}

/// Accepting: a new address gives a name and a password for its new account; an existing
/// account, signed in, sends an empty object.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AcceptInvitationRequest {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
}

/// What a set-password link is for (shown before the person chooses a password).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PasswordLinkView {
    pub email: String,
    pub display_name: String,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SetPasswordRequest {
    pub password: String,
}

/// "Forgot your password?": the address to send a set-password link to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PasswordLinkRequest {
    pub email: String,
}

/// A set-password link was emailed (the link itself never appears in an answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LinkSent {
    pub email: String,
    pub expires_at: Millis,
}

/// One of the person's own open sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OwnSession {
    pub id: String,
    pub created_at: Millis,
    pub last_seen_at: Millis,
    /// The browser that opened it, as it described itself.
    pub user_agent: String,
    /// The address it was opened from (empty when unknown).
    pub address: String,
    /// The session this request came with.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct OwnSessionList {
    pub sessions: Vec<OwnSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PersonRef {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
}

/// The capacity in which the viewer sees a brand (drives what the interface offers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum ViewerCapacity {
    Member(BrandRole),
    AccountManager,
    Operator,
    Key(KeyScope),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BrandView {
    pub id: BrandId,
    pub name: String,
    pub brand_ref: String,
    pub programme_status: ProgrammeStatus,
    pub suspension_reason: Option<String>,
    pub has_official_shop: bool,
    pub cooperation_agreement: bool,
    pub account_manager: Option<PersonRef>,
    pub viewer: ViewerCapacity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MemberView {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: BrandRole,
    pub joined_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub email: String,
    pub role: BrandRole,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MembersView {
    pub members: Vec<MemberView>,
    /// Shown to brand admins only.
    pub pending_invitations: Vec<PendingInvitation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct InviteRequest {
    pub email: String,
    pub role: String,
}

/// An invitation was emailed to the address (the link itself never appears in an answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct InvitationSent {
    pub invitation_id: InvitationId,
    pub email: String,
    pub role: BrandRole,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ChangeRoleRequest {
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BrandSummary {
    pub id: BrandId,
    pub name: String,
    pub brand_ref: String,
    pub programme_status: ProgrammeStatus,
    pub account_manager_name: Option<String>,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BrandList {
    pub brands: Vec<BrandSummary>,
}

/// An account manager's brands side by side (every brand, for an operator), by name, a page at
/// a time (`GET /api/v1/manager/portfolio`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Portfolio {
    /// When the figures were computed.
    pub as_of: Millis,
    /// Monday 00:00 UTC of this week: `expired_this_week` counts from here.
    pub week_starts_at: Millis,
    pub brands: Vec<PortfolioBrand>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One brand of the portfolio: its programme, its standing, and its queues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PortfolioBrand {
    pub id: BrandId,
    pub name: String,
    pub programme_status: ProgrammeStatus,
    /// Why it is suspended, as the brand sees it (None unless suspended).
    pub suspension_reason: Option<String>,
    /// The marketplace verified its official shop (`shop.verified`).
    pub has_official_shop: bool,
    /// An operator recorded its signed cooperation agreement.
    pub cooperation_agreement: bool,
    pub account_manager_id: Option<UserId>,
    pub account_manager_name: Option<String>,
    /// The good standing exactly as the lane is decided from it (as in `…/stats`).
    pub standing: Standing,
    /// The lane a report takes now; None when the brand may not file.
    pub lane: Option<Lane>,
    /// Flagged listings awaiting the brand's answer (the confirmation backlog).
    pub awaiting_brand: i64,
    /// Reports under review, and those past their 2-day review time.
    pub under_review: i64,
    pub reviews_overdue: i64,
    /// Escalated appeals, and those past their 5 days.
    pub in_arbitration: i64,
    pub arbitrations_overdue: i64,
    /// Flags that expired unanswered since `week_starts_at`.
    pub expired_this_week: i64,
}

impl PortfolioBrand {
    /// The row after a change to its brand whose answer is `brand` (enrolled, suspended,
    /// reinstated, an agreement recorded, a manager assigned): the programme, the manager and
    /// the lane they give, as the portfolio would now answer; the figures do not move.
    pub fn apply(&mut self, brand: &BrandView) {
        self.programme_status = brand.programme_status;
        self.suspension_reason = brand.suspension_reason.clone();
        self.has_official_shop = brand.has_official_shop;
        self.cooperation_agreement = brand.cooperation_agreement;
        self.account_manager_id = brand.account_manager.as_ref().map(|m| m.id);
        self.account_manager_name = brand
            .account_manager
            .as_ref()
            .map(|m| m.display_name.clone());
        self.lane = crate::programme::lane(
            self.programme_status,
            self.suspension_reason.as_deref(),
            self.has_official_shop,
            &self.standing,
        )
        .ok()
        .map(|(lane, _)| lane);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct UserList {
    pub users: Vec<UserView>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateUserRequest {
    pub email: String,
    pub display_name: String,
    #[serde(default)]
    pub staff_role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreatedUser {
    pub user: UserView,
    /// The new account's set-password link went to this address.
    pub link_sent: LinkSent,
}

/// Grants, changes (`operator`, `account_manager`) or removes (`null`) a staff role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct StaffRoleRequest {
    #[serde(default)]
    pub staff_role: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateBrandRequest {
    pub name: String,
    pub brand_ref: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AddMemberRequest {
    pub email: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AssignManagerRequest {
    pub manager_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: Error) -> String {
        match e {
            Error::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        assert_eq!(
            field_of(parse_json::<LoginRequest>(b"{not json").unwrap_err()),
            "body"
        );
        assert_eq!(
            field_of(parse_json::<LoginRequest>(br#"{"email":"a@b.test"}"#).unwrap_err()),
            "password"
        );
        assert_eq!(
            field_of(parse_json::<LoginRequest>(br#"{"email":5,"password":"x"}"#).unwrap_err()),
            "email"
        );
        assert_eq!(
            field_of(parse_json::<LoginRequest>(b"[]").unwrap_err()),
            "body"
        );
        let long = format!(
            r#"{{"email":"a@b.test","password":"{}"}}"#,
            "x".repeat(MAX_FIELD_BYTES + 1)
        );
        assert_eq!(
            field_of(parse_json::<LoginRequest>(long.as_bytes()).unwrap_err()),
            "password"
        );
        let ok: LoginRequest = parse_json(br#"{"email":"a@b.test","password":"x"}"#).unwrap();
        assert_eq!(ok.email, "a@b.test");
    }
}

// ---------------------------------------------------------------- IP rights, reports and cases

use crate::case::{Origin, Status};
use crate::ids::{CaseId, IpRightId};
use crate::listing::Snapshot;
use crate::programme::{Lane, ReviewReason, Standing};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FileView {
    pub name: String,
    pub content_type: String,
    /// API path that serves the file to whoever may see its case or right.
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IpRightView {
    pub id: IpRightId,
    pub kind: String,
    pub registration_number: String,
    pub jurisdiction: String,
    pub classes: String,
    pub owner: String,
    pub expires_at: Option<Millis>,
    /// `pending`, `verified` or `rejected`.
    pub status: String,
    pub review_note: Option<String>,
    pub certificate: Option<FileView>,
    /// Verified and unexpired: may be invoked in a report.
    pub usable: bool,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IpRightList {
    pub rights: Vec<IpRightView>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateIpRightRequest {
    pub kind: String,
    pub registration_number: String,
    pub jurisdiction: String,
    #[serde(default)]
    pub classes: Option<String>,
    pub owner: String,
    #[serde(default)]
    pub expires_at: Option<Millis>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ReviewIpRightRequest {
    /// `verify` or `reject`.
    pub decision: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ReportRequest {
    /// A listing id or the marketplace URL of the listing.
    pub listing: String,
    pub ip_right_id: String,
    pub reason_code: String,
    pub statement: String,
    #[serde(default)]
    pub evidence_urls: Vec<String>,
    pub good_faith: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Detection {
    pub score: f64,
    pub signals: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseSummary {
    pub id: CaseId,
    pub brand_id: BrandId,
    pub brand_name: String,
    pub listing_id: String,
    pub title: String,
    pub seller_id: Option<String>,
    pub seller_name: String,
    pub image_url: Option<String>,
    /// The listing's price when filed or flagged (for queues that show it without the case file).
    pub price: Option<crate::listing::Price>,
    /// The marketplace's latest detection, for flagged listings.
    pub detection: Option<Detection>,
    pub origin: Origin,
    pub status: Status,
    /// Changes with every move of the case: a decision on many cases names the version it saw.
    pub version: i64,
    pub reason_code: Option<String>,
    /// The invoked IP right's registration number: given by the brand's case list (absent in
    /// the other lists, and for a flagged listing not yet confirmed).
    #[serde(default)]
    pub right_number: Option<String>,
    pub deadline_at: Option<Millis>,
    /// Past its deadline or the manager's SLA.
    pub overdue: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Cases per status under the current filters (the status filter aside).
    pub counts: Vec<(Status, i64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseEventView {
    pub seq: i64,
    pub kind: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    /// Who, and for whom, in English: "Marco Bianchi (account manager) for Aurelia". Written
    /// with the event from the same data as the fields below; never parsed.
    pub actor: String,
    /// Who acted, as recorded with the event, for an interface to name in its own language:
    /// `brand_admin`, `brand_agent`, `brand_viewer`, `account_manager`, `operator`, `api_key`,
    /// `marketplace`, `deadline` (JointForce's deadline rule). Empty for an event from before
    /// these were recorded that is not backfilled yet, or whose actor could not be told: then
    /// show `actor` as it is.
    #[serde(default)]
    pub actor_kind: String,
    /// The person who acted, when a person did, under the display name they had then (exactly
    /// as they wrote it; it may look like anything).
    #[serde(default)]
    pub actor_name: Option<String>,
    /// The brand an account manager, an operator or an API key acted for.
    #[serde(default)]
    pub actor_brand: Option<String>,
    pub note: Option<String>,
    /// When `note` is one of JointForce's own sentences, its code (`history::NoteCode`, recorded
    /// with the event): `filed_auto`, `filed_review`, `filed_unreachable`, `listing_removed`,
    /// `detection`, `takedown_failed`, `takedown_confirmed`, `appeal_filed`, `flag_expired`,
    /// `no_appeal`, `appeal_unanswered`, `listing_unknown`. None: a person wrote the note (or
    /// an old event is not backfilled yet): show `note` as it is.
    #[serde(default)]
    pub note_code: Option<String>,
    /// The data inside a coded note, in the template's order, as sent (the marketplace's reason,
    /// a detection's score and signals, a seller's name and statement).
    #[serde(default)]
    pub note_args: Vec<String>,
    pub at: Millis,
}

/// What the viewer may do to a case now (the interface shows exactly these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseCommand {
    Confirm,
    Reject,
    Withdraw,
    Approve,
    Decline,
    RetryTakedown,
    /// The brand retracts a takedown made by mistake (counts against its accuracy).
    Retract,
    /// Answers to an appeal: uphold, retract (accept), escalate to the account manager.
    UpholdAppeal,
    RetractOnAppeal,
    Escalate,
    /// The account manager's arbitration: uphold or reinstate.
    ArbitrateUphold,
    ArbitrateReinstate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct IpRightRef {
    pub id: IpRightId,
    pub kind: String,
    pub registration_number: String,
    pub jurisdiction: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseView {
    pub id: CaseId,
    pub brand_id: BrandId,
    pub brand_name: String,
    pub listing_id: String,
    pub origin: Origin,
    pub status: Status,
    pub lane: Option<Lane>,
    pub ip_right: Option<IpRightRef>,
    pub reason_code: Option<String>,
    pub statement: Option<String>,
    pub evidence_urls: Vec<String>,
    pub evidence_files: Vec<FileView>,
    /// The listing when the case was filed or flagged (evidence; never overwritten).
    pub snapshot: Option<Snapshot>,
    /// The listing now, when it differs from the snapshot.
    pub current: Option<Snapshot>,
    pub listing_removed: bool,
    pub detection: Option<Detection>,
    pub deadline_at: Option<Millis>,
    pub overdue: bool,
    /// The seller's appeal, once one is filed.
    pub appeal: Option<AppealView>,
    pub events: Vec<CaseEventView>,
    pub allowed: Vec<CaseCommand>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConfirmRequest {
    pub ip_right_id: String,
    pub reason_code: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NoteRequest {
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ReasonRequest {
    pub reason: String,
}

/// Confirm or reject many flagged listings in one write (`POST …/cases/decisions`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DecisionsRequest {
    /// 1–100 decisions, each on a different case.
    pub decisions: Vec<FlagDecisionRequest>,
}

/// One decision of many: on a case `awaiting_brand`, as the version the caller saw.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FlagDecisionRequest {
    pub case_id: CaseId,
    /// The case's `version` as read; a case changed since is a `conflict`, left as it is.
    pub version: i64,
    pub decision: FlagDecision,
    /// Confirm: a verified, unexpired right of the brand.
    #[serde(default)]
    pub ip_right_id: Option<String>,
    /// Confirm: `counterfeit`, `trademark_misuse`, `copyright`, `design_right` or `patent`.
    #[serde(default)]
    pub reason_code: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlagDecision {
    /// The listing infringes: the takedown is requested.
    Confirm,
    /// The listing is genuine: the case is cleared.
    Reject,
}

/// What each decision came to, in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DecisionsAnswer {
    pub results: Vec<FlagDecisionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FlagDecisionResult {
    pub case_id: CaseId,
    pub outcome: DecisionOutcome,
    /// `decided`: the status the decision moved the case to; `conflict` and `refused`: its
    /// status now.
    pub status: Status,
    /// The case's version after this request.
    pub version: i64,
    /// `refused`: why (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Refusal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// Moved by this request.
    Decided,
    /// Changed by someone else since the version given (or no longer awaiting the brand):
    /// nothing was written for it.
    Conflict,
    /// The confirmation may not invoke its right with its reason (see `refusal`): nothing was
    /// written for it; the other entries were decided.
    Refused,
}

/// Why one confirmation of many was refused: its code, the data inside (the right's
/// registration number, when it names one) and the API's English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Refusal {
    pub code: RefusalCode,
    #[serde(default)]
    pub args: Vec<String>,
    pub message: String,
}

/// A refusal's code: a code of `core::reasons`, the same one the single `confirm` answers in its
/// 422's `reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// The right is not one of the brand's.
    RightNotYours,
    /// The right is not verified (yet, or it was rejected).
    RightNotVerified,
    /// The right has expired.
    RightExpired,
}

impl Refusal {
    /// The refusal of `reason`, when it is one a confirmation of many may come to.
    pub fn of(reason: &crate::reasons::Reason) -> Option<Refusal> {
        use crate::reasons::Reason;
        let code = match reason {
            Reason::RightNotYours => RefusalCode::RightNotYours,
            Reason::RightNotVerified { .. } => RefusalCode::RightNotVerified,
            Reason::RightExpired { .. } => RefusalCode::RightExpired,
            _ => return None,
        };
        Some(Refusal {
            code,
            args: reason.args(),
            message: reason.english(),
        })
    }

    /// The reason it says, to be said in the reader's language (None for data that does not fit
    /// the code: a newer server).
    pub fn reason(&self) -> Option<crate::reasons::Reason> {
        let code = match self.code {
            RefusalCode::RightNotYours => "right_not_yours",
            RefusalCode::RightNotVerified => "right_not_verified",
            RefusalCode::RightExpired => "right_expired",
        };
        crate::reasons::Reason::from_wire(code, &self.args)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BulkFiled {
    pub created: Vec<CaseSummary>,
}

/// What is wrong with a row of a bulk upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowCode {
    UnknownRight,
    RightNotVerified,
    RightExpired,
    DuplicateListing,
    OpenCase,
    Invalid,
}

/// A column of the bulk CSV, by the name the file gives it (the template's header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkColumn {
    /// The listing's id or its marketplace URL.
    Listing,
    /// The id or registration number of one of the brand's verified rights.
    IpRight,
    /// The reason code.
    Reason,
    Statement,
    /// Optional: up to 10 links, separated by spaces.
    EvidenceUrls,
}

impl BulkColumn {
    /// Every column, in the template's order.
    pub const ALL: [BulkColumn; 5] = [
        BulkColumn::Listing,
        BulkColumn::IpRight,
        BulkColumn::Reason,
        BulkColumn::Statement,
        BulkColumn::EvidenceUrls,
    ];

    /// The column's name in the file's header.
    pub const fn as_str(self) -> &'static str {
        match self {
            BulkColumn::Listing => "listing",
            BulkColumn::IpRight => "ip_right",
            BulkColumn::Reason => "reason",
            BulkColumn::Statement => "statement",
            BulkColumn::EvidenceUrls => "evidence_urls",
        }
    }

    /// The field of a JSON report of many listings (`reports/batch`) that says what the column
    /// says in a file.
    pub const fn request_field(self) -> &'static str {
        match self {
            BulkColumn::Listing => "listings",
            BulkColumn::IpRight => "ip_right_id",
            BulkColumn::Reason => "reason_code",
            BulkColumn::Statement => "statement",
            BulkColumn::EvidenceUrls => "evidence_links",
        }
    }

    /// Whether a file must have the column (`evidence_urls` may be left out).
    pub fn required(self) -> bool {
        !matches!(self, BulkColumn::EvidenceUrls)
    }
}

/// One problem of one row of a bulk upload; a row with several problems is listed once for each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RowError {
    /// Line of the CSV file where the row starts (the first line, the header, is 1).
    pub line: usize,
    /// The column the problem is in, as the file names it.
    pub column: BulkColumn,
    pub problem: String,
    /// `problem` as a code an interface says in its own language (for `invalid`, a column's own
    /// check, `args` are the column and the English why).
    #[serde(default)]
    pub code: Option<RowCode>,
    /// The data inside the problem, in the template's order (a right's number, a listing id, a
    /// line, a case id).
    #[serde(default)]
    pub args: Vec<String>,
    /// For `invalid`, why as a code of `core::reasons` and its data, when the why is a known one.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub reason_args: Vec<String>,
}

/// One problem of one listing of a report of many listings (`reports/batch`), listed under the
/// listing's key in the refusal's `refused`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ListingProblem {
    /// The request's field the problem is in: `listings`, `ip_right_id`, `reason_code`,
    /// `statement` or `evidence_links`.
    pub field: String,
    /// The problem in English, led by the field's name.
    pub problem: String,
    /// The problem as a code (the codes of a bulk file's rows).
    pub code: RowCode,
    /// The data inside the problem (for `invalid`: the field and the English why).
    #[serde(default)]
    pub args: Vec<String>,
    /// For `invalid`, why as a code of `core::reasons` and its data, when the why is a known one.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub reason_args: Vec<String>,
}

/// Reports of up to 50 listings at once (found by a search): one right, reason, statement and
/// evidence for all; each listing becomes its own case, all filed in one write or none.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BatchReportRequest {
    /// Listing ids (or marketplace URLs), 1–50, each once.
    pub listings: Vec<String>,
    pub ip_right_id: String,
    pub reason_code: String,
    pub statement: String,
    /// http(s) links to evidence, up to 10.
    #[serde(default)]
    pub evidence_links: Vec<String>,
    pub good_faith: bool,
}

/// A listing found on the marketplace, as a brand's search shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct FoundListing {
    pub listing_id: String,
    pub url: String,
    pub title: String,
    pub image_url: Option<String>,
    pub price: crate::listing::Price,
    pub seller: crate::listing::Seller,
    /// The brand's open case for the listing, if it has one (a listing is reported only once
    /// while its case is open).
    pub open_case_id: Option<CaseId>,
}

/// One page of the marketplace's listings that match a brand's search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ListingSearch {
    pub listings: Vec<FoundListing>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The brand home's figures: programme standing explained, and the work waiting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BrandStats {
    pub standing: Standing,
    /// The lane a report takes now; None when the brand may not file (see `refusal`).
    pub lane: Option<Lane>,
    pub review_reason: Option<ReviewReason>,
    pub refusal: Option<String>,
    /// `refusal` as a code: `not_enrolled` or `suspended`.
    #[serde(default)]
    pub refusal_code: Option<String>,
    /// The reason recorded for a suspension, as written (data).
    #[serde(default)]
    pub refusal_reason: Option<String>,
    pub counts: Vec<(Status, i64)>,
    pub usable_rights: i64,
    /// Rights waiting for the account manager's verification (a brand not yet enrolled is told
    /// its right is on its way).
    #[serde(default)]
    pub pending_rights: i64,
}

/// The brand dashboard: twelve weeks of takedowns and how long they took, the confirmation
/// backlog, appeals beside the standing that decides the lane, and the sellers taken down most.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct BrandDashboard {
    /// When the figures were computed.
    pub as_of: Millis,
    /// The last 12 weeks, oldest first; each starts on a Monday at 00:00 UTC and the last holds
    /// `as_of`.
    pub weeks: Vec<DashboardWeek>,
    pub backlog: ConfirmationBacklog,
    /// Appeals over the 12 weeks.
    pub appeals: AppealFigures,
    /// The standing exactly as the lane is decided from it (decided and reinstated over its own
    /// window), not re-derived.
    pub standing: Standing,
    /// Up to 10 sellers with two or more of the brand's takedowns in the last 180 days, most
    /// first.
    pub repeat_sellers: Vec<RepeatSeller>,
}

/// One week of takedowns: listings that reached `taken_down` in it, by the case's origin, and
/// the time from report or flag to `taken_down` (nearest-rank percentiles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DashboardWeek {
    /// Monday 00:00 UTC.
    pub starts_at: Millis,
    /// Takedowns of the brand's reports.
    pub from_reports: i64,
    /// Takedowns of flagged listings the brand confirmed.
    pub from_flags: i64,
    /// Median time to takedown (ms); None in a week without takedowns.
    pub p50_ms: Option<Millis>,
    /// 90th percentile time to takedown (ms).
    pub p90_ms: Option<Millis>,
}

/// Flagged listings awaiting the brand's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ConfirmationBacklog {
    pub awaiting: i64,
    /// Of those, the ones whose deadline is at most `due_soon_hours` away.
    pub due_soon: i64,
    pub due_soon_hours: i64,
    /// The nearest deadline.
    pub next_deadline_at: Option<Millis>,
}

/// Appeals over a period: filed by sellers, and decided (by the brand or in arbitration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AppealFigures {
    pub since: Millis,
    pub received: i64,
    /// Takedowns upheld on appeal.
    pub upheld: i64,
    /// Listings reinstated on appeal (retracted, reinstated in arbitration, or unanswered).
    pub reinstated: i64,
}

/// A seller and the brand's takedowns against them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct RepeatSeller {
    pub seller_id: String,
    pub name: String,
    pub takedowns: i64,
    /// Flagged a repeat infringer across the marketplace.
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseQueue {
    pub cases: Vec<CaseSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PendingRight {
    pub brand_id: BrandId,
    pub brand_name: String,
    pub right: IpRightView,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct PendingRights {
    pub rights: Vec<PendingRight>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ProgrammeRequest {
    /// `enrolled` or `suspended` (or `applied`).
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub cooperation_agreement: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeadLetter {
    pub webhook_id: String,
    pub kind: String,
    pub reason: String,
    pub received_at: Millis,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeadLetters {
    pub letters: Vec<DeadLetter>,
}

/// What retrying a dead letter did, for the operator who asked (`POST …/dead-letters/{id}/retry`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeadLetterRetried {
    /// `applied`, `stored` or `dead letter: <why>`, as the marketplace webhook answers.
    pub outcome: String,
    /// `applied`, `stored` (a passing failure: the cron applies it) or `dead` (still a dead letter).
    pub state: String,
    /// Why it is still a dead letter (`state` is `dead`).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ActionView {
    pub id: crate::ids::ActionId,
    pub kind: String,
    pub case_id: Option<CaseId>,
    pub brand_id: Option<BrandId>,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Millis,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ActionList {
    pub actions: Vec<ActionView>,
}

// ---------------------------------------------------------------- appeals and integrations

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AppealResponseRequest {
    /// `uphold` (reason required), `retract` (the listing comes back) or `escalate`.
    pub decision: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ArbitrationRequest {
    /// `uphold` or `reinstate`; the reason is required and sent to the seller.
    pub decision: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ApiKeyView {
    pub id: String,
    pub name: String,
    pub scope: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
    pub created_by: KeyMaker,
}

/// Who made an API key; a disabled maker's keys keep working (they belong to the brand).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct KeyMaker {
    pub id: UserId,
    pub display_name: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct ApiKeyList {
    pub keys: Vec<ApiKeyView>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateApiKeyRequest {
    pub name: String,
    /// `read` or `read_write`.
    pub scope: String,
}

/// A new key: the secret is in this answer only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreatedApiKey {
    pub key: ApiKeyView,
    pub secret: String,
}

pub const WEBHOOK_EVENTS: [&str; 4] = [
    "case.created",
    "case.status_changed",
    "appeal.filed",
    "deadline.approaching",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreateEndpointRequest {
    pub url: String,
    pub events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EndpointView {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: Millis,
    pub disabled_at: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct EndpointList {
    pub endpoints: Vec<EndpointView>,
}

/// A new endpoint: the signing secret is in this answer only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CreatedEndpoint {
    pub endpoint: EndpointView,
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AttemptView {
    pub at: Millis,
    pub status: Option<i64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeliveryView {
    pub id: String,
    pub event_type: String,
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub next_attempt_at: Millis,
    pub created_at: Millis,
    pub delivered_at: Option<Millis>,
    pub attempt_log: Vec<AttemptView>,
    /// The envelope sent (or to be sent), as JSON.
    pub payload: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct DeliveryLog {
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Reminder {
    /// `appeal_due`, `confirmation_due` or `right_expiring`.
    pub kind: String,
    pub due_at: Millis,
    pub case_id: Option<CaseId>,
    pub right_id: Option<IpRightId>,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Reminders {
    pub reminders: Vec<Reminder>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct SellerView {
    pub seller_id: String,
    pub name: String,
    /// Flagged by JointForce as a repeat infringer (3+ upheld cases in 180 days, all brands).
    pub repeat_infringer: bool,
    pub flagged_at: Option<Millis>,
    /// The viewer's brand's cases against this seller (every brand's, for staff).
    pub cases: Vec<CaseSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AppealView {
    pub appeal_id: String,
    pub seller_name: String,
    pub statement: String,
    pub evidence_urls: Vec<String>,
}

// ---------------------------------------------------------------- the audit log

/// One audit entry as a reader sees it (`core::audit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AuditEntryView {
    pub id: String,
    pub at: Millis,
    /// What happened, as a code (`signed_in`, `case_moved`, …).
    pub kind: String,
    /// `person`, `api_key`, `marketplace`, `deadline` or `anonymous`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    /// The person's display name now (absent for keys, systems and failed sign-ins).
    pub actor_name: Option<String>,
    /// The brand staff or an API key acted for.
    pub on_behalf_of: Option<BrandId>,
    pub brand_id: Option<BrandId>,
    /// What it was done to: `user`, `invitation`, `session`, `api_key`, `endpoint`, `brand`,
    /// `ip_right`, `case`.
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// The subject's name now: a user's display name, an invitation's email, an API key's name,
    /// an endpoint's URL, an IP right's registration number, a brand's name. Absent for sessions
    /// and cases, for a subject that is gone, and in a brand's log for a person who is neither
    /// one of its members nor its account manager now.
    pub subject_name: Option<String>,
    /// The client's IP address; never shown in a brand's log.
    pub address: Option<String>,
    /// The entry's data: codes and values.
    pub details: serde_json::Value,
    /// For a case's entries: the API path of the case file, whose timeline has the event
    /// (`details.seq`).
    pub case_file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct AuditLog {
    /// Newest first.
    pub entries: Vec<AuditEntryView>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// One notification: an audit entry the table of `notifications` gives the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NotificationView {
    /// The audit entry's id.
    pub id: String,
    pub at: Millis,
    pub kind: crate::notifications::Notice,
    /// What came of it, as a code: the status a case moved to (`takedown_requested`,
    /// `declined`, `appealed`, `upheld`, `reinstated`), a right's review (`verified`,
    /// `rejected`), a programme status (`enrolled`, `suspended`, `applied`).
    pub outcome: Option<String>,
    pub brand_id: BrandId,
    pub brand_name: String,
    /// `case`, `ip_right` or `brand`, and its id.
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    /// The case's listing title, the right's registration number, the brand's name.
    pub subject_name: Option<String>,
    pub read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NotificationList {
    /// Newest first.
    pub notifications: Vec<NotificationView>,
    /// How many of all the person's notifications are unread.
    pub unread: i64,
    /// Pass back as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Marks notifications read: everything up to a moment, and/or these ids (up to 100).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct MarkReadRequest {
    #[serde(default)]
    pub up_to: Option<Millis>,
    #[serde(default)]
    pub ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NotificationSetting {
    pub kind: crate::notifications::Notice,
    /// Whether this kind is emailed to the person.
    pub email: bool,
}

/// A person's email choices: every kind when answered; the kinds to change when sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct NotificationSettings {
    pub settings: Vec<NotificationSetting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct LanguageRequest {
    pub language: crate::notifications::Language,
}
