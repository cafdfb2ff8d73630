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
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| Error::invalid("body", format!("is not valid JSON ({e})")))?;
    if let Some(field) = oversized_field(&value, "") {
        return Err(Error::invalid(field, format!("is longer than {} bytes", MAX_FIELD_BYTES)));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde names a missing field only in its message: "missing field `email`".
        let field = match inner.split('`').nth(1) {
            Some(name) if inner.starts_with("missing field") => name.to_owned(),
            _ if path == "." => "body".to_owned(),
            _ => path,
        };
        let message = inner.split(" at line").next().unwrap_or(&inner).to_owned();
        Error::invalid(field, message)
    })
}

fn oversized_field(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::String(s) if s.len() > MAX_FIELD_BYTES => {
            Some(if path.is_empty() { "body".into() } else { path.to_owned() })
        }
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| oversized_field(v, &format!("{path}[{i}]")))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.len() > MAX_FIELD_BYTES {
                return Some("body".into());
            }
            oversized_field(v, &if path.is_empty() { k.clone() } else { format!("{path}.{k}") })
        }),
        _ => None,
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub staff_role: Option<StaffRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipView {
    pub brand_id: BrandId,
    pub brand_name: String,
    pub role: BrandRole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
}

/// Who is signed in: `me` is null for a visitor (a normal state, not an error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub me: Option<Me>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub brand_name: Option<String>,
    pub role: Option<BrandRole>,
    /// The invitee already has a password: accepting asks for it instead of setting one.
    pub account_exists: bool,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AcceptInvitationRequest {
    #[serde(default)]
    pub display_name: Option<String>,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
}

/// The capacity in which the viewer sees a brand (drives what the interface offers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum ViewerCapacity {
    Member(BrandRole),
    AccountManager,
    Operator,
    Key(KeyScope),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
pub struct MemberView {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: BrandRole,
    pub joined_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub email: String,
    pub role: BrandRole,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembersView {
    pub members: Vec<MemberView>,
    /// Shown to brand admins only.
    pub pending_invitations: Vec<PendingInvitation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InviteRequest {
    pub email: String,
    pub role: String,
}

/// A one-time link, shown once to the person who made it, to pass on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationLink {
    pub invitation_id: InvitationId,
    pub email: String,
    /// Path of the page that accepts it, e.g. `/invite/<token>`.
    pub link: String,
    pub expires_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeRoleRequest {
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandSummary {
    pub id: BrandId,
    pub name: String,
    pub brand_ref: String,
    pub programme_status: ProgrammeStatus,
    pub account_manager_name: Option<String>,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandList {
    pub brands: Vec<BrandSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserList {
    pub users: Vec<UserView>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateUserRequest {
    pub email: String,
    pub display_name: String,
    #[serde(default)]
    pub staff_role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub user: UserView,
    pub set_password: InvitationLink,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateBrandRequest {
    pub name: String,
    pub brand_ref: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AddMemberRequest {
    pub email: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
        assert_eq!(field_of(parse_json::<LoginRequest>(b"{not json").unwrap_err()), "body");
        assert_eq!(field_of(parse_json::<LoginRequest>(br#"{"email":"a@b.test"}"#).unwrap_err()), "password");
        assert_eq!(field_of(parse_json::<LoginRequest>(br#"{"email":5,"password":"x"}"#).unwrap_err()), "email");
        assert_eq!(field_of(parse_json::<LoginRequest>(b"[]").unwrap_err()), "body");
        let long = format!(r#"{{"email":"a@b.test","password":"{}"}}"#, "x".repeat(MAX_FIELD_BYTES + 1));
        assert_eq!(field_of(parse_json::<LoginRequest>(long.as_bytes()).unwrap_err()), "password");
        let ok: LoginRequest = parse_json(br#"{"email":"a@b.test","password":"x"}"#).unwrap();
        assert_eq!(ok.email, "a@b.test");
    }
}
