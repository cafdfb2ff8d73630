//! Why a request was refused, as a typed reason raised where the check is made.
//!
//! A reason is a variant with the data inside; its English (the API's text) is rendered from it,
//! and the error body carries its code and data (`reason`, `args`) so that an interface in
//! another language says it in its own words. Nothing is read back from the English. A refusal
//! with no reason is plain English ([`Why::Text`]) and the interface says what kind it is.

use crate::api::{BulkColumn, RowCode};
use crate::case::{Status, Transition};
use crate::ids::CaseId;

/// Why a field or a request was refused. `code()` and `args()` are the wire form, `english()`
/// the API's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    // A field's own checks (the text follows "field: ").
    Empty,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    /// A length from 1 to `max` characters.
    Length {
        max: usize,
    },
    ControlCharacters,
    Email,
    // A webhook endpoint's address (`endpoint_address.rs`).
    UrlInvalid,
    UrlCredentials,
    UrlHttps,
    UrlNotPublic,
    UrlLocalhost,
    /// An evidence link that is not one (its first 60 characters).
    NotALink {
        link: String,
    },
    /// A listing reference that is neither an id nor a URL under `prefix`.
    ListingReference {
        prefix: String,
    },
    ListingReferenceAny,
    ListingUrlId,
    GoodFaith,
    ChooseEvent,
    WrongPassword,
    /// 2–40 characters of A–Z, 0–9 and '-' (a brand's marketplace reference).
    RightNumber,
    TooManyFiles {
        max: usize,
    },
    TooManyLinks {
        max: usize,
    },
    FileEmpty,
    FileNoRows,
    FileTooManyRows {
        rows: usize,
        max: usize,
    },
    /// The CSV columns missing from a bulk upload's header.
    FileColumns {
        missing: Vec<String>,
    },
    /// The line the text stops being UTF-8 on.
    FileNotUtf8 {
        line: usize,
    },
    SayWhyRejected,
    SayWhySuspended,
    /// A dead letter is discarded only with a reason (the audit log keeps it).
    SayWhyDiscarded,
    // Whole refusals.
    AlreadyMember {
        email: String,
    },
    NoSuchUser {
        email: String,
    },
    LastAdmin,
    RightRegistered,
    RightNotYours,
    /// A right's registration number.
    RightNotVerified {
        number: String,
    },
    RightExpired {
        number: String,
    },
    NoListing {
        listing: String,
    },
    ChangedMeanwhile,
    /// A case in `status` that `transition` cannot move.
    CaseState {
        status: Status,
        transition: Transition,
    },
    KeyRevoked,
    /// A webhook delivery not yet tried goes out on its own: there is nothing to send again.
    DeliveryNotTried,
    // Accounts, invitations and one-time links.
    CannotJoin {
        email: String,
    },
    InvitationAccepted,
    LinkUsed,
    SetPasswordFirst,
    OtherAccount,
    OwnAccount,
    EnableFirst,
    UserExists {
        email: String,
    },
    // A brand's programme and its account manager.
    /// Enrolment needs a verified, unexpired IP right.
    EnrolNeedsRight,
    /// Enrolment needs an official shop (`shop.verified`) or a signed cooperation agreement.
    EnrolNeedsShopOrAgreement,
    /// The person chosen as a brand's account manager is not one (or is disabled).
    NotAccountManager,
    /// A report's reason that is not one of the reason codes.
    ReasonCodes,
    /// A case list's `sort` that is not one of the sorts (`case_list::CaseSort::ALL`).
    SortCodes,
    /// A case list's cursor given with a sort other than the one it came from.
    CursorOtherSort,
    /// Reports of many listings at once: at most `max` listings.
    TooManyListings {
        max: usize,
    },
    /// A listing given twice in one request.
    ListingTwice {
        listing: String,
    },
}

impl Reason {
    /// The code in the error body's `reason` (and a row's `reason`).
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Empty => "empty",
            Reason::TooLong { .. } => "too_long",
            Reason::TooShort { .. } => "too_short",
            Reason::Length { .. } => "length",
            Reason::ControlCharacters => "control_characters",
            Reason::Email => "email",
            Reason::UrlInvalid => "url_invalid",
            Reason::UrlCredentials => "url_credentials",
            Reason::UrlHttps => "url_https",
            Reason::UrlNotPublic => "url_not_public",
            Reason::UrlLocalhost => "url_localhost",
            Reason::NotALink { .. } => "not_a_link",
            Reason::ListingReference { .. } => "listing_reference",
            Reason::ListingReferenceAny => "listing_reference_any",
            Reason::ListingUrlId => "listing_url_id",
            Reason::GoodFaith => "good_faith",
            Reason::ChooseEvent => "choose_event",
            Reason::WrongPassword => "wrong_password",
            Reason::RightNumber => "right_number",
            Reason::TooManyFiles { .. } => "too_many_files",
            Reason::TooManyLinks { .. } => "too_many_links",
            Reason::FileEmpty => "file_empty",
            Reason::FileNoRows => "file_no_rows",
            Reason::FileTooManyRows { .. } => "file_too_many_rows",
            Reason::FileColumns { .. } => "file_columns",
            Reason::FileNotUtf8 { .. } => "file_not_utf8",
            Reason::SayWhyRejected => "say_why_rejected",
            Reason::SayWhySuspended => "say_why_suspended",
            Reason::SayWhyDiscarded => "say_why_discarded",
            Reason::AlreadyMember { .. } => "already_member",
            Reason::NoSuchUser { .. } => "no_such_user",
            Reason::LastAdmin => "last_admin",
            Reason::RightRegistered => "right_registered",
            Reason::RightNotYours => "right_not_yours",
            Reason::RightNotVerified { .. } => "right_not_verified",
            Reason::RightExpired { .. } => "right_expired",
            Reason::NoListing { .. } => "no_listing",
            Reason::ChangedMeanwhile => "changed_meanwhile",
            Reason::CaseState { .. } => "case_state",
            Reason::KeyRevoked => "key_revoked",
            Reason::DeliveryNotTried => "delivery_not_tried",
            Reason::CannotJoin { .. } => "cannot_join",
            Reason::InvitationAccepted => "invitation_accepted",
            Reason::LinkUsed => "link_used",
            Reason::SetPasswordFirst => "set_password_first",
            Reason::OtherAccount => "other_account",
            Reason::OwnAccount => "own_account",
            Reason::EnableFirst => "enable_first",
            Reason::UserExists { .. } => "user_exists",
            Reason::EnrolNeedsRight => "enrol_needs_right",
            Reason::EnrolNeedsShopOrAgreement => "enrol_needs_shop_or_agreement",
            Reason::NotAccountManager => "not_account_manager",
            Reason::ReasonCodes => "reason_codes",
            Reason::SortCodes => "sort_codes",
            Reason::CursorOtherSort => "cursor_other_sort",
            Reason::TooManyListings { .. } => "too_many_listings",
            Reason::ListingTwice { .. } => "listing_twice",
        }
    }

    /// The data inside, as the error body's `args`: in the order the English names them.
    pub fn args(&self) -> Vec<String> {
        match self {
            Reason::TooLong { max }
            | Reason::Length { max }
            | Reason::TooManyFiles { max }
            | Reason::TooManyLinks { max }
            | Reason::TooManyListings { max } => vec![max.to_string()],
            Reason::TooShort { min } => vec![min.to_string()],
            Reason::FileNotUtf8 { line } => vec![line.to_string()],
            Reason::FileTooManyRows { rows, max } => vec![rows.to_string(), max.to_string()],
            Reason::FileColumns { missing } => vec![missing.join(", ")],
            Reason::NotALink { link: s }
            | Reason::ListingReference { prefix: s }
            | Reason::AlreadyMember { email: s }
            | Reason::NoSuchUser { email: s }
            | Reason::RightNotVerified { number: s }
            | Reason::RightExpired { number: s }
            | Reason::NoListing { listing: s }
            | Reason::ListingTwice { listing: s }
            | Reason::CannotJoin { email: s }
            | Reason::UserExists { email: s } => vec![s.clone()],
            Reason::CaseState { status, transition } => {
                vec![status.as_str().to_owned(), transition.as_str().to_owned()]
            }
            Reason::Empty
            | Reason::ControlCharacters
            | Reason::Email
            | Reason::UrlInvalid
            | Reason::UrlCredentials
            | Reason::UrlHttps
            | Reason::UrlNotPublic
            | Reason::UrlLocalhost
            | Reason::ListingReferenceAny
            | Reason::ListingUrlId
            | Reason::GoodFaith
            | Reason::ChooseEvent
            | Reason::WrongPassword
            | Reason::RightNumber
            | Reason::FileEmpty
            | Reason::FileNoRows
            | Reason::SayWhyRejected
            | Reason::SayWhySuspended
            | Reason::SayWhyDiscarded
            | Reason::LastAdmin
            | Reason::RightRegistered
            | Reason::RightNotYours
            | Reason::ChangedMeanwhile
            | Reason::KeyRevoked
            | Reason::DeliveryNotTried
            | Reason::InvitationAccepted
            | Reason::LinkUsed
            | Reason::SetPasswordFirst
            | Reason::OtherAccount
            | Reason::OwnAccount
            | Reason::EnableFirst
            | Reason::EnrolNeedsRight
            | Reason::EnrolNeedsShopOrAgreement
            | Reason::NotAccountManager
            | Reason::ReasonCodes
            | Reason::SortCodes
            | Reason::CursorOtherSort => Vec::new(),
        }
    }

    /// The API's English text.
    pub fn english(&self) -> String {
        match self {
            Reason::Empty => "must not be empty".into(),
            Reason::TooLong { max } => format!("must be at most {max} characters"),
            Reason::TooShort { min } => format!("must be at least {min} characters"),
            Reason::Length { max } => format!("must be 1–{max} characters"),
            Reason::ControlCharacters => "must not contain control characters".into(),
            Reason::Email => "must be an email address like name@example.com".into(),
            Reason::UrlInvalid => {
                "must be a full URL like https://hooks.example.com/jointforce".into()
            }
            Reason::UrlCredentials => "must not contain a user name or password".into(),
            Reason::UrlHttps => "must use https".into(),
            Reason::UrlNotPublic => {
                "must be a public internet address, not a private or reserved one".into()
            }
            Reason::UrlLocalhost => "must not name this machine (localhost)".into(),
            Reason::NotALink { link } => format!("{link} is not an http(s) link"),
            Reason::ListingReference { prefix } => {
                format!("must be a listing id or a URL starting with {prefix}")
            }
            Reason::ListingReferenceAny => {
                "must be a listing id or a marketplace listing URL".into()
            }
            Reason::ListingUrlId => "the URL does not end in a listing id".into(),
            Reason::GoodFaith => {
                "you must declare in good faith that the listing infringes your right".into()
            }
            Reason::ChooseEvent => "choose at least one event".into(),
            Reason::WrongPassword => "is not your current password".into(),
            Reason::RightNumber => "must be 2–40 characters of A–Z, 0–9 and '-'".into(),
            Reason::TooManyFiles { max } => format!("at most {max} files"),
            Reason::TooManyLinks { max } => format!("at most {max} links"),
            Reason::FileEmpty => "is empty".into(),
            Reason::FileNoRows => "has no rows under the header".into(),
            Reason::FileTooManyRows { rows, max } => {
                format!("has {rows} rows; at most {max} per upload")
            }
            Reason::FileColumns { missing } => {
                format!("missing column(s): {}", missing.join(", "))
            }
            Reason::FileNotUtf8 { line } => {
                format!("is not UTF-8 text (line {line}); save it as CSV UTF-8")
            }
            Reason::SayWhyRejected => "say why the right is rejected; the brand sees it".into(),
            Reason::SayWhySuspended => "say why the brand is suspended; the brand sees it".into(),
            Reason::SayWhyDiscarded => {
                "say why the dead letter is discarded; the audit log keeps it".into()
            }
            Reason::AlreadyMember { email } => format!("{email} is already a member of this brand"),
            Reason::NoSuchUser { email } => {
                format!("no user has the email {email}; create the user first")
            }
            Reason::LastAdmin => "a brand needs at least one brand_admin".into(),
            Reason::RightRegistered => {
                "This right (kind, jurisdiction and number) is already registered.".into()
            }
            Reason::RightNotYours => "That IP right is not one of your brand's.".into(),
            Reason::RightNotVerified { number } => format!(
                "The IP right {number} is not verified yet; only verified rights can be invoked."
            ),
            Reason::RightExpired { number } => format!("The IP right {number} has expired."),
            Reason::NoListing { listing } => format!("The marketplace has no listing {listing}."),
            Reason::ChangedMeanwhile => {
                "This case was changed by someone else at the same moment; reload it and try again."
                    .into()
            }
            Reason::CaseState { status, transition } => format!(
                "a case that is {} cannot be moved by {}",
                status.as_str(),
                transition.as_str()
            ),
            Reason::KeyRevoked => "This key is already revoked.".into(),
            Reason::DeliveryNotTried => {
                "This delivery has not been tried yet; it is sent when due.".into()
            }
            Reason::CannotJoin { email } => format!("{email} cannot be invited to a brand."),
            Reason::InvitationAccepted => "This invitation has already been accepted.".into(),
            Reason::LinkUsed => "This link has already been used.".into(),
            Reason::SetPasswordFirst => "This account has no password yet: set it from the email we sent to this address, then sign in to accept.".into(),
            Reason::OtherAccount => {
                "this invitation is for another account; sign in with the invited address".into()
            }
            Reason::OwnAccount => "you cannot change your own account this way".into(),
            Reason::EnableFirst => "this account is disabled; enable it first".into(),
            Reason::UserExists { email } => format!("a user with the email {email} exists"),
            Reason::EnrolNeedsRight => {
                "Enrolment needs at least one verified, unexpired IP right.".into()
            }
            Reason::EnrolNeedsShopOrAgreement => "Enrolment needs an official shop (shop.verified) or a signed cooperation agreement.".into(),
            Reason::NotAccountManager => "manager_id must name an account manager".into(),
            Reason::ReasonCodes => {
                "must be counterfeit, trademark_misuse, copyright, design_right or patent".into()
            }
            Reason::SortCodes => format!(
                "must be one of {}",
                crate::case_list::CaseSort::ALL.map(|s| s.as_str()).join(", ")
            ),
            Reason::CursorOtherSort => {
                "belongs to another sort: start again from the first page".into()
            }
            Reason::TooManyListings { max } => format!("at most {max} listings at once"),
            Reason::ListingTwice { listing } => format!("{listing} is given more than once"),
        }
    }

    /// The reason an error body names by `code` and `args` (an interface reading the answer);
    /// None for a code it does not know or data that does not fit it.
    pub fn from_wire(code: &str, args: &[String]) -> Option<Reason> {
        let text = |i: usize| args.get(i).cloned();
        let number = |i: usize| args.get(i)?.parse::<usize>().ok();
        let reason = match code {
            "empty" => Reason::Empty,
            "too_long" => Reason::TooLong { max: number(0)? },
            "too_short" => Reason::TooShort { min: number(0)? },
            "length" => Reason::Length { max: number(0)? },
            "control_characters" => Reason::ControlCharacters,
            "email" => Reason::Email,
            "url_invalid" => Reason::UrlInvalid,
            "url_credentials" => Reason::UrlCredentials,
            "url_https" => Reason::UrlHttps,
            "url_not_public" => Reason::UrlNotPublic,
            "url_localhost" => Reason::UrlLocalhost,
            "not_a_link" => Reason::NotALink { link: text(0)? },
            "listing_reference" => Reason::ListingReference { prefix: text(0)? },
            "listing_reference_any" => Reason::ListingReferenceAny,
            "listing_url_id" => Reason::ListingUrlId,
            "good_faith" => Reason::GoodFaith,
            "choose_event" => Reason::ChooseEvent,
            "wrong_password" => Reason::WrongPassword,
            "right_number" => Reason::RightNumber,
            "too_many_files" => Reason::TooManyFiles { max: number(0)? },
            "too_many_links" => Reason::TooManyLinks { max: number(0)? },
            "file_empty" => Reason::FileEmpty,
            "file_no_rows" => Reason::FileNoRows,
            "file_too_many_rows" => Reason::FileTooManyRows {
                rows: number(0)?,
                max: number(1)?,
            },
            // Column names are fixed words with no comma in them.
            "file_columns" => Reason::FileColumns {
                missing: text(0)?.split(", ").map(str::to_owned).collect(),
            },
            "file_not_utf8" => Reason::FileNotUtf8 { line: number(0)? },
            "say_why_rejected" => Reason::SayWhyRejected,
            "say_why_suspended" => Reason::SayWhySuspended,
            "say_why_discarded" => Reason::SayWhyDiscarded,
            "already_member" => Reason::AlreadyMember { email: text(0)? },
            "no_such_user" => Reason::NoSuchUser { email: text(0)? },
            "last_admin" => Reason::LastAdmin,
            "right_registered" => Reason::RightRegistered,
            "right_not_yours" => Reason::RightNotYours,
            "right_not_verified" => Reason::RightNotVerified { number: text(0)? },
            "right_expired" => Reason::RightExpired { number: text(0)? },
            "no_listing" => Reason::NoListing { listing: text(0)? },
            "changed_meanwhile" => Reason::ChangedMeanwhile,
            "case_state" => Reason::CaseState {
                status: Status::ALL
                    .into_iter()
                    .find(|s| Some(s.as_str()) == args.first().map(String::as_str))?,
                transition: Transition::ALL
                    .into_iter()
                    .find(|t| Some(t.as_str()) == args.get(1).map(String::as_str))?,
            },
            "key_revoked" => Reason::KeyRevoked,
            "delivery_not_tried" => Reason::DeliveryNotTried,
            "cannot_join" => Reason::CannotJoin { email: text(0)? },
            "invitation_accepted" => Reason::InvitationAccepted,
            "link_used" => Reason::LinkUsed,
            "set_password_first" => Reason::SetPasswordFirst,
            "other_account" => Reason::OtherAccount,
            "own_account" => Reason::OwnAccount,
            "enable_first" => Reason::EnableFirst,
            "user_exists" => Reason::UserExists { email: text(0)? },
            "enrol_needs_right" => Reason::EnrolNeedsRight,
            "enrol_needs_shop_or_agreement" => Reason::EnrolNeedsShopOrAgreement,
            "not_account_manager" => Reason::NotAccountManager,
            "reason_codes" => Reason::ReasonCodes,
            "sort_codes" => Reason::SortCodes,
            "cursor_other_sort" => Reason::CursorOtherSort,
            "too_many_listings" => Reason::TooManyListings { max: number(0)? },
            "listing_twice" => Reason::ListingTwice { listing: text(0)? },
            _ => return None,
        };
        // Data left over means a body this version does not read the same way.
        (reason.args().len() == args.len()).then_some(reason)
    }

    /// One of every reason, with data in it: for tests that every reason is said (a
    /// translation's, and this module's own).
    pub fn examples() -> Vec<Reason> {
        let email = || "ivy@example.com".to_owned();
        vec![
            Reason::Empty,
            Reason::TooLong { max: 100 },
            Reason::TooShort { min: 20 },
            Reason::Length { max: 200 },
            Reason::ControlCharacters,
            Reason::Email,
            Reason::UrlInvalid,
            Reason::UrlCredentials,
            Reason::UrlHttps,
            Reason::UrlNotPublic,
            Reason::UrlLocalhost,
            Reason::NotALink {
                link: "ftp://example.com/a".into(),
            },
            Reason::ListingReference {
                prefix: "https://market.example/listings/".into(),
            },
            Reason::ListingReferenceAny,
            Reason::ListingUrlId,
            Reason::GoodFaith,
            Reason::ChooseEvent,
            Reason::WrongPassword,
            Reason::RightNumber,
            Reason::TooManyFiles { max: 5 },
            Reason::TooManyLinks { max: 20 },
            Reason::FileEmpty,
            Reason::FileNoRows,
            Reason::FileTooManyRows {
                rows: 1001,
                max: 1000,
            },
            Reason::FileColumns {
                missing: vec!["ip_right".into(), "reason".into()],
            },
            Reason::FileNotUtf8 { line: 3 },
            Reason::SayWhyRejected,
            Reason::SayWhySuspended,
            Reason::SayWhyDiscarded,
            Reason::AlreadyMember { email: email() },
            Reason::NoSuchUser { email: email() },
            Reason::LastAdmin,
            Reason::RightRegistered,
            Reason::RightNotYours,
            Reason::RightNotVerified {
                number: "TM-123".into(),
            },
            Reason::RightExpired {
                number: "TM-123".into(),
            },
            Reason::NoListing {
                listing: "MKT-1".into(),
            },
            Reason::ChangedMeanwhile,
            Reason::CaseState {
                status: Status::Cleared,
                transition: Transition::Approve,
            },
            Reason::KeyRevoked,
            Reason::DeliveryNotTried,
            Reason::CannotJoin { email: email() },
            Reason::InvitationAccepted,
            Reason::LinkUsed,
            Reason::SetPasswordFirst,
            Reason::OtherAccount,
            Reason::OwnAccount,
            Reason::EnableFirst,
            Reason::UserExists { email: email() },
            Reason::EnrolNeedsRight,
            Reason::EnrolNeedsShopOrAgreement,
            Reason::NotAccountManager,
            Reason::ReasonCodes,
            Reason::SortCodes,
            Reason::CursorOtherSort,
            Reason::TooManyListings { max: 50 },
            Reason::ListingTwice {
                listing: "MKT-1".into(),
            },
        ]
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

/// Why a refusal was made: a reason, or plain English for a refusal that has no code (a cursor
/// this API never gave out, a malformed JSON body…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    Reason(Reason),
    Text(String),
}

impl Why {
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Why::Reason(r) => Some(r),
            Why::Text(_) => None,
        }
    }

    pub fn english(&self) -> String {
        match self {
            Why::Reason(r) => r.english(),
            Why::Text(t) => t.clone(),
        }
    }
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Reason(r) => r.fmt(f),
            Why::Text(t) => f.write_str(t),
        }
    }
}

impl From<Reason> for Why {
    fn from(r: Reason) -> Self {
        Why::Reason(r)
    }
}

impl From<String> for Why {
    fn from(t: String) -> Self {
        Why::Text(t)
    }
}

impl From<&str> for Why {
    fn from(t: &str) -> Self {
        Why::Text(t.to_owned())
    }
}

/// One thing wrong with one row of a bulk upload (`Error::InvalidRows`); every problem names
/// the column it is in, as the file names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The row's `ip_right`, as written in the file, names none of the brand's rights.
    UnknownRight {
        reference: String,
    },
    /// A right's registration number.
    RightNotVerified {
        number: String,
    },
    RightExpired {
        number: String,
    },
    /// A listing already on an earlier line of the file.
    DuplicateListing {
        listing: String,
        first_line: usize,
    },
    OpenCase {
        listing: String,
        case_id: CaseId,
    },
    /// A column's own check (a statement too short, a reason that is no reason code…).
    Invalid {
        column: BulkColumn,
        why: Why,
    },
}

impl RowProblem {
    /// The row's `code`.
    pub fn code(&self) -> RowCode {
        match self {
            RowProblem::UnknownRight { .. } => RowCode::UnknownRight,
            RowProblem::RightNotVerified { .. } => RowCode::RightNotVerified,
            RowProblem::RightExpired { .. } => RowCode::RightExpired,
            RowProblem::DuplicateListing { .. } => RowCode::DuplicateListing,
            RowProblem::OpenCase { .. } => RowCode::OpenCase,
            RowProblem::Invalid { .. } => RowCode::Invalid,
        }
    }

    /// The column the problem is in.
    pub fn column(&self) -> BulkColumn {
        match self {
            RowProblem::UnknownRight { .. }
            | RowProblem::RightNotVerified { .. }
            | RowProblem::RightExpired { .. } => BulkColumn::IpRight,
            RowProblem::DuplicateListing { .. } | RowProblem::OpenCase { .. } => {
                BulkColumn::Listing
            }
            RowProblem::Invalid { column, .. } => *column,
        }
    }

    /// The row's `args`, in the order the English names them (the reference as quoted there;
    /// for `invalid`, the column and the English why).
    pub fn args(&self) -> Vec<String> {
        match self {
            RowProblem::UnknownRight { reference } => vec![format!("{reference:?}")],
            RowProblem::RightNotVerified { number } | RowProblem::RightExpired { number } => {
                vec![number.clone()]
            }
            RowProblem::DuplicateListing {
                listing,
                first_line,
            } => vec![listing.clone(), first_line.to_string()],
            RowProblem::OpenCase { listing, case_id } => {
                vec![listing.clone(), case_id.to_string()]
            }
            RowProblem::Invalid { column, why } => {
                vec![column.as_str().to_owned(), why.english()]
            }
        }
    }

    /// The row's `problem`: the API's English, led by the column's name.
    pub fn english(&self) -> String {
        match self {
            RowProblem::UnknownRight { reference } => {
                format!("ip_right: {reference:?} is not one of your brand's rights")
            }
            RowProblem::RightNotVerified { number } => {
                format!("ip_right: {number} is not verified")
            }
            RowProblem::RightExpired { number } => format!("ip_right: {number} has expired"),
            RowProblem::DuplicateListing {
                listing,
                first_line,
            } => format!("listing: {listing} is already on line {first_line}"),
            RowProblem::OpenCase { listing, case_id } => {
                format!("listing: {listing} already has an open case: {case_id}")
            }
            RowProblem::Invalid { column, why } => format!("{}: {why}", column.as_str()),
        }
    }

    /// The problem as a refusal of reports of many listings lists it (under the listing's key):
    /// named by the request's field rather than the file's column.
    pub fn listing_problem(&self) -> crate::api::ListingProblem {
        let row = self.row_error(0);
        let column = self.column();
        let field = column.request_field();
        let problem = match row.problem.strip_prefix(&format!("{}: ", column.as_str())) {
            Some(rest) => format!("{field}: {rest}"),
            None => row.problem,
        };
        let mut args = row.args;
        if let (RowProblem::Invalid { .. }, Some(first)) = (self, args.first_mut()) {
            *first = field.to_owned();
        }
        crate::api::ListingProblem {
            field: field.to_owned(),
            problem,
            code: self.code(),
            args,
            reason: row.reason,
            reason_args: row.reason_args,
        }
    }

    /// The row as the error body lists it.
    pub fn row_error(&self, line: usize) -> crate::api::RowError {
        let reason = match self {
            RowProblem::Invalid { why, .. } => why.reason(),
            _ => None,
        };
        crate::api::RowError {
            line,
            column: self.column(),
            problem: self.english(),
            code: Some(self.code()),
            args: self.args(),
            reason: reason.map(|r| r.code().to_owned()),
            reason_args: reason.map(Reason::args).unwrap_or_default(),
        }
    }
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    /// Fails to compile when a reason is added without an example (no wildcard arm).
    fn place(r: &Reason) -> usize {
        match r {
            Reason::Empty => 0,
            Reason::TooLong { .. } => 1,
            Reason::TooShort { .. } => 2,
            Reason::Length { .. } => 3,
            Reason::ControlCharacters => 4,
            Reason::Email => 5,
            Reason::UrlInvalid => 6,
            Reason::UrlCredentials => 7,
            Reason::UrlHttps => 8,
            Reason::UrlNotPublic => 9,
            Reason::UrlLocalhost => 10,
            Reason::NotALink { .. } => 11,
            Reason::ListingReference { .. } => 12,
            Reason::ListingReferenceAny => 13,
            Reason::ListingUrlId => 14,
            Reason::GoodFaith => 15,
            Reason::ChooseEvent => 16,
            Reason::WrongPassword => 17,
            Reason::RightNumber => 18,
            Reason::TooManyFiles { .. } => 19,
            Reason::TooManyLinks { .. } => 20,
            Reason::FileEmpty => 21,
            Reason::FileNoRows => 22,
            Reason::FileTooManyRows { .. } => 23,
            Reason::FileColumns { .. } => 24,
            Reason::FileNotUtf8 { .. } => 25,
            Reason::SayWhyRejected => 26,
            Reason::SayWhySuspended => 27,
            Reason::SayWhyDiscarded => 28,
            Reason::AlreadyMember { .. } => 29,
            Reason::NoSuchUser { .. } => 30,
            Reason::LastAdmin => 31,
            Reason::RightRegistered => 32,
            Reason::RightNotYours => 33,
            Reason::RightNotVerified { .. } => 34,
            Reason::RightExpired { .. } => 35,
            Reason::NoListing { .. } => 36,
            Reason::ChangedMeanwhile => 37,
            Reason::CaseState { .. } => 38,
            Reason::KeyRevoked => 39,
            Reason::DeliveryNotTried => 40,
            Reason::CannotJoin { .. } => 41,
            Reason::InvitationAccepted => 42,
            Reason::LinkUsed => 43,
            Reason::SetPasswordFirst => 44,
            Reason::OtherAccount => 45,
            Reason::OwnAccount => 46,
            Reason::EnableFirst => 47,
            Reason::UserExists { .. } => 48,
            Reason::EnrolNeedsRight => 49,
            Reason::EnrolNeedsShopOrAgreement => 50,
            Reason::NotAccountManager => 51,
            Reason::ReasonCodes => 52,
            Reason::SortCodes => 53,
            Reason::CursorOtherSort => 54,
            Reason::TooManyListings { .. } => 55,
            Reason::ListingTwice { .. } => 56,
        }
    }

    #[test]
    fn every_reason_has_one_example_a_unique_code_and_reads_back_from_the_wire() {
        let examples = Reason::examples();
        let places: Vec<usize> = examples.iter().map(place).collect();
        assert_eq!(
            places,
            (0..57).collect::<Vec<_>>(),
            "one example each, in order"
        );
        let codes: std::collections::HashSet<_> = examples.iter().map(Reason::code).collect();
        assert_eq!(codes.len(), examples.len(), "codes are unique");
        for r in &examples {
            let args = r.args();
            assert_eq!(
                Reason::from_wire(r.code(), &args).as_ref(),
                Some(r),
                "{r:?}"
            );
            // Every datum is in the English.
            let english = r.english();
            for arg in &args {
                assert!(english.contains(arg.as_str()), "{r:?}: {english}");
            }
            assert!(!english.contains('{'), "{r:?}: {english}");
        }
        // Data that does not fit the code is not a reason.
        assert_eq!(Reason::from_wire("too_long", &["many".into()]), None);
        assert_eq!(Reason::from_wire("too_long", &[]), None);
        assert_eq!(Reason::from_wire("empty", &["extra".into()]), None);
        assert_eq!(
            Reason::from_wire("case_state", &["cleared".into(), "fly".into()]),
            None
        );
        assert_eq!(Reason::from_wire("no_such_code", &[]), None);
    }

    #[test]
    fn reasons_render_the_apis_english_with_their_data() {
        let say = |r: Reason| r.english();
        assert_eq!(
            say(Reason::TooShort { min: 12 }),
            "must be at least 12 characters"
        );
        assert_eq!(say(Reason::Length { max: 100 }), "must be 1–100 characters");
        assert_eq!(
            say(Reason::RightExpired {
                number: "TM-123".into()
            }),
            "The IP right TM-123 has expired."
        );
        assert_eq!(
            say(Reason::FileTooManyRows {
                rows: 1001,
                max: 1000
            }),
            "has 1001 rows; at most 1000 per upload"
        );
        assert_eq!(
            say(Reason::FileColumns {
                missing: vec!["ip_right".into(), "reason".into()]
            }),
            "missing column(s): ip_right, reason"
        );
        assert_eq!(
            say(Reason::CaseState {
                status: Status::Cleared,
                transition: Transition::Approve
            }),
            "a case that is cleared cannot be moved by approve"
        );
    }

    #[test]
    fn real_refusals_carry_their_code_in_the_body() {
        let private = crate::integrations::check_endpoint_url("https://10.0.0.1/hook", false)
            .expect_err("a private address is refused");
        let body = private.body();
        assert_eq!(body["error"]["reason"], "url_not_public", "{body}");
        assert_eq!(body["error"]["field"], "url");
        assert_eq!(
            body["error"]["message"],
            "url: must be a public internet address, not a private or reserved one"
        );
        assert_eq!(body["error"]["args"], serde_json::json!([]));
        // Every kind of refused address has its own code.
        for (url, code) in [
            ("https://0x0a.0.0.1/", "url_not_public"),
            ("not a url", "url_invalid"),
            ("https://user:pw@example.com/", "url_credentials"),
            ("http://example.com/", "url_https"),
            ("https://a.localhost/", "url_localhost"),
        ] {
            let refused = crate::integrations::check_endpoint_url(url, false)
                .expect_err("refused")
                .body();
            assert_eq!(refused["error"]["reason"], code, "{url}: {refused}");
        }

        let long = crate::types::Email::parse("not an email").expect_err("refused");
        assert_eq!(long.body()["error"]["reason"], "email");

        let expired = Error::unprocessable(Reason::RightExpired {
            number: "TM-123".into(),
        });
        let body = expired.body();
        assert_eq!(body["error"]["reason"], "right_expired");
        assert_eq!(body["error"]["args"], serde_json::json!(["TM-123"]));
        assert_eq!(body["error"]["message"], "The IP right TM-123 has expired.");

        // A bulk row's field check carries its reason too.
        let rows = Error::InvalidRows(vec![(
            3,
            RowProblem::Invalid {
                column: BulkColumn::Statement,
                why: Reason::TooShort { min: 20 }.into(),
            },
        )])
        .body();
        let row = &rows["error"]["rows"][0];
        assert_eq!(row["problem"], "statement: must be at least 20 characters");
        assert_eq!(row["code"], "invalid", "{rows}");
        assert_eq!(row["column"], "statement", "{rows}");
        assert_eq!(
            row["args"],
            serde_json::json!(["statement", "must be at least 20 characters"])
        );
        assert_eq!(row["reason"], "too_short");
        assert_eq!(row["reason_args"], serde_json::json!(["20"]));

        // A refusal with no reason has no code (the interface says what kind it is).
        let other = Error::invalid("cursor", "is not a cursor this API gave out").body();
        assert!(other["error"].get("reason").is_none(), "{other}");
        assert_eq!(
            other["error"]["message"],
            "cursor: is not a cursor this API gave out"
        );
    }

    #[test]
    fn row_problems_give_their_code_data_and_english() {
        let unknown = RowProblem::UnknownRight {
            reference: "TM-NOPE".into(),
        }
        .row_error(2);
        assert_eq!(
            unknown.problem,
            "ip_right: \"TM-NOPE\" is not one of your brand's rights"
        );
        assert_eq!(unknown.code, Some(RowCode::UnknownRight));
        assert_eq!(unknown.args, ["\"TM-NOPE\""]);
        assert_eq!((unknown.reason, unknown.reason_args.len()), (None, 0));
        let duplicate = RowProblem::DuplicateListing {
            listing: "MKT-1".into(),
            first_line: 4,
        }
        .row_error(5);
        assert_eq!(duplicate.problem, "listing: MKT-1 is already on line 4");
        assert_eq!(duplicate.column, BulkColumn::Listing);
        assert_eq!(unknown.column, BulkColumn::IpRight);
        assert_eq!(duplicate.args, ["MKT-1", "4"]);
        // A field's check with no reason is still `invalid`, with its English why.
        let odd = RowProblem::Invalid {
            column: BulkColumn::EvidenceUrls,
            why: "is odd".into(),
        }
        .row_error(3);
        assert_eq!(odd.code, Some(RowCode::Invalid));
        assert_eq!(odd.column, BulkColumn::EvidenceUrls);
        assert_eq!(odd.args, ["evidence_urls", "is odd"]);
        assert_eq!(odd.reason, None);
        // A reason that is no reason code is named by the file's column, with its reason.
        let reason = RowProblem::Invalid {
            column: BulkColumn::Reason,
            why: Reason::ReasonCodes.into(),
        }
        .row_error(2);
        assert_eq!(reason.column, BulkColumn::Reason);
        assert_eq!(
            reason.problem,
            "reason: must be counterfeit, trademark_misuse, copyright, design_right or patent"
        );
        assert_eq!(reason.reason.as_deref(), Some("reason_codes"));
    }
}
