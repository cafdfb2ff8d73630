//! Every JSON request body of the API: the first byte picks the `jf_core::api` request type, the
//! rest is the body. Each is read by `parse_json` (as every route reads its body), written back
//! and read again to the same value, then given the checks its use case starts with.

use crate::LISTING_URL_PREFIX;
use jf_core::api::*;
use jf_core::cases::{check_report, ReasonCode};
use jf_core::ids::{IpRightId, UserId};
use jf_core::integrations::check_endpoint_url;
use jf_core::listing::ListingId;
use jf_core::ports::Settings;
use jf_core::types::{
    BrandName, BrandRef, BrandRole, DisplayName, Email, NewPassword, ProgrammeStatus, StaffRole,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Reads a body as the API does; a body read is written back and must read the same.
fn read<T: DeserializeOwned + Serialize>(body: &[u8]) -> Option<T> {
    let value: T = parse_json(body).ok()?;
    let written = serde_json::to_vec(&value).unwrap_or_default();
    let again: T = parse_json(&written).unwrap_or_else(|e| {
        panic!(
            "written back, a body is refused ({e:?}): {}",
            String::from_utf8_lossy(&written)
        )
    });
    assert_eq!(
        serde_json::to_value(&again).ok(),
        serde_json::to_value(&value).ok(),
        "a body written back reads the same"
    );
    Some(value)
}

/// A check may refuse what a person sent, as a 4xx naming what is wrong; never as a 500.
fn check<T>(checked: jf_core::Result<T>) {
    if let Err(e) = checked {
        assert!(e.status() < 500, "a refusal of input is a 4xx: {e:?}");
    }
}

/// An optional field's check, when the field is there.
fn check_some<T>(raw: Option<&str>, parse: impl Fn(&str) -> jf_core::Result<T>) {
    if let Some(raw) = raw {
        check(parse(raw));
    }
}

fn email_and_role(email: &str, role: &str) {
    if let Ok(e) = Email::parse(email) {
        assert_eq!(
            Email::parse(e.as_str()).ok().as_ref(),
            Some(&e),
            "{email:?}"
        );
    }
    check(BrandRole::parse(role));
}

fn password(raw: &str, field: &str) {
    check(NewPassword::parse(raw, field));
}

/// The request types, in the order the first byte picks them (modulo 28: `8` is the first).
const TYPES: usize = 28;

pub fn json_requests(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match usize::from(which) % TYPES {
        0 => {
            if let Some(r) = read::<LoginRequest>(body) {
                check(Email::parse(&r.email));
            }
        }
        1 => {
            if let Some(r) = read::<ChangePasswordRequest>(body) {
                password(&r.new_password, "new_password");
            }
        }
        2 => {
            if let Some(r) = read::<AcceptInvitationRequest>(body) {
                check_some(r.display_name.as_deref(), DisplayName::parse);
                check_some(r.password.as_deref(), |p| NewPassword::parse(p, "password"));
            }
        }
        3 => {
            if let Some(r) = read::<SetPasswordRequest>(body) {
                password(&r.password, "password");
            }
        }
        4 => {
            if let Some(r) = read::<PasswordLinkRequest>(body) {
                check(Email::parse(&r.email));
            }
        }
        5 => {
            if let Some(r) = read::<InviteRequest>(body) {
                email_and_role(&r.email, &r.role);
            }
        }
        6 => {
            if let Some(r) = read::<ChangeRoleRequest>(body) {
                check(BrandRole::parse(&r.role));
            }
        }
        7 => {
            if let Some(r) = read::<CreateUserRequest>(body) {
                check(Email::parse(&r.email));
                check(DisplayName::parse(&r.display_name));
                check_some(r.staff_role.as_deref(), StaffRole::parse);
            }
        }
        8 => {
            if let Some(r) = read::<StaffRoleRequest>(body) {
                check_some(r.staff_role.as_deref(), StaffRole::parse);
            }
        }
        9 => {
            if let Some(r) = read::<CreateBrandRequest>(body) {
                check(BrandName::parse(&r.name));
                check(BrandRef::parse(&r.brand_ref));
            }
        }
        10 => {
            if let Some(r) = read::<AddMemberRequest>(body) {
                email_and_role(&r.email, &r.role);
            }
        }
        11 => {
            if let Some(r) = read::<AssignManagerRequest>(body) {
                check(UserId::parse(&r.manager_id));
            }
        }
        12 => {
            read::<CreateIpRightRequest>(body);
        }
        13 => {
            read::<ReviewIpRightRequest>(body);
        }
        14 => {
            if let Some(r) = read::<ReportRequest>(body) {
                let settings = Settings {
                    listing_url_prefix: LISTING_URL_PREFIX.into(),
                };
                check(check_report(&r, &settings));
            }
        }
        15 => {
            if let Some(r) = read::<ConfirmRequest>(body) {
                check(IpRightId::parse(&r.ip_right_id));
                check(ReasonCode::parse(&r.reason_code));
            }
        }
        16 => {
            read::<NoteRequest>(body);
        }
        17 => {
            read::<ReasonRequest>(body);
        }
        18 => {
            if let Some(r) = read::<DecisionsRequest>(body) {
                for d in &r.decisions {
                    check_some(d.ip_right_id.as_deref(), IpRightId::parse);
                    check_some(d.reason_code.as_deref(), ReasonCode::parse);
                }
            }
        }
        19 => {
            if let Some(r) = read::<BatchReportRequest>(body) {
                for listing in &r.listings {
                    check(ListingId::from_reference(listing, LISTING_URL_PREFIX));
                }
                check(ReasonCode::parse(&r.reason_code));
            }
        }
        20 => {
            if let Some(r) = read::<ProgrammeRequest>(body) {
                check(ProgrammeStatus::parse(&r.status));
            }
        }
        21 => {
            read::<AppealResponseRequest>(body);
        }
        22 => {
            read::<ArbitrationRequest>(body);
        }
        23 => {
            read::<CreateApiKeyRequest>(body);
        }
        24 => {
            if let Some(r) = read::<CreateEndpointRequest>(body) {
                check(check_endpoint_url(&r.url, false));
            }
        }
        25 => {
            read::<MarkReadRequest>(body);
        }
        26 => {
            read::<NotificationSettings>(body);
        }
        _ => {
            read::<LanguageRequest>(body);
        }
    }
}
