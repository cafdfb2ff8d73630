//! The document's links: where the ids in one answer lead (OpenAPI `links`), so a client, or
//! Schemathesis's stateful phase, can go from what it made or listed to what it can do with it.

use crate::routes::{Route, RouteId};
use serde_json::{json, Map, Value};
use RouteId as R;

/// Everything a case's own routes can do with its id.
const CASE_ROUTES: &[RouteId] = &[
    R::GetCase,
    R::ConfirmCase,
    R::RejectCase,
    R::WithdrawCase,
    R::ApproveCase,
    R::DeclineCase,
    R::RetryTakedown,
    R::RetractCase,
    R::AnswerAppeal,
    R::ArbitrateCase,
];
const RIGHT_ROUTES: &[RouteId] = &[R::UploadCertificate, R::GetCertificate, R::ReviewIpRight];
const ENDPOINT_ROUTES: &[RouteId] = &[
    R::DisableEndpoint,
    R::EnableEndpoint,
    R::EndpointDeliveries,
    R::DeleteEndpoint,
];
const USER_ROUTES: &[RouteId] = &[
    R::AdminSendPasswordLink,
    R::AdminDisableUser,
    R::AdminEnableUser,
    R::AdminSetStaffRole,
];
const MEMBER_ROUTES: &[RouteId] = &[R::ChangeMemberRole, R::RemoveMember];
const NEW_BRAND_ROUTES: &[RouteId] = &[
    R::GetBrand,
    R::AdminAddMember,
    R::AdminAssignManager,
    R::AdminSetProgramme,
];

/// One id an answer gives: where it is in the answer (a JSON pointer), the path parameter it
/// fills, and the routes it leads to.
pub struct Link {
    pub from: RouteId,
    pub pointer: &'static str,
    pub parameter: &'static str,
    pub to: &'static [RouteId],
}

const fn link(
    from: RouteId,
    pointer: &'static str,
    parameter: &'static str,
    to: &'static [RouteId],
) -> Link {
    Link {
        from,
        pointer,
        parameter,
        to,
    }
}

pub const LINKS: &[Link] = &[
    link(R::FileReport, "/id", "case_id", CASE_ROUTES),
    link(R::ListCases, "/cases/0/id", "case_id", CASE_ROUTES),
    link(
        R::ListCases,
        "/cases/0/seller_id",
        "seller_id",
        &[R::BrandSeller],
    ),
    link(R::CreateIpRight, "/id", "right_id", RIGHT_ROUTES),
    link(R::ListIpRights, "/rights/0/id", "right_id", RIGHT_ROUTES),
    link(R::CreateApiKey, "/key/id", "key_id", &[R::RevokeApiKey]),
    link(R::ListApiKeys, "/keys/0/id", "key_id", &[R::RevokeApiKey]),
    link(
        R::CreateEndpoint,
        "/endpoint/id",
        "endpoint_id",
        ENDPOINT_ROUTES,
    ),
    link(
        R::ListEndpoints,
        "/endpoints/0/id",
        "endpoint_id",
        ENDPOINT_ROUTES,
    ),
    link(
        R::EndpointDeliveries,
        "/deliveries/0/id",
        "delivery_id",
        &[R::Redeliver],
    ),
    link(
        R::InviteMember,
        "/invitation_id",
        "invitation_id",
        &[R::CancelInvitation],
    ),
    link(
        R::ListMembers,
        "/members/0/user_id",
        "user_id",
        MEMBER_ROUTES,
    ),
    link(
        R::ListMembers,
        "/pending_invitations/0/id",
        "invitation_id",
        &[R::CancelInvitation],
    ),
    link(R::AdminCreateUser, "/user/id", "user_id", USER_ROUTES),
    link(R::AdminListUsers, "/users/0/id", "user_id", USER_ROUTES),
    link(R::AdminCreateBrand, "/id", "brand_id", NEW_BRAND_ROUTES),
    link(
        R::DeadLetters,
        "/letters/0/webhook_id",
        "webhook_id",
        &[R::RetryDeadLetter, R::DiscardDeadLetter],
    ),
    link(
        R::DeadActions,
        "/actions/0/id",
        "action_id",
        &[R::RetryDeadAction],
    ),
];

/// The path parameters of a route, in order.
pub fn path_parameters(route: &Route) -> Vec<&'static str> {
    route
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// The `links` of a route's success answer: one per route its ids lead to. A parameter the
/// answer does not give comes from the request's own path (the brand of a brand's case).
pub fn links_from(route: &Route) -> Map<String, Value> {
    let own = path_parameters(route);
    let mut links = Map::new();
    for l in LINKS.iter().filter(|l| l.from == route.id) {
        for target in l.to {
            let target = target.route();
            let parameters: Map<String, Value> = path_parameters(target)
                .into_iter()
                .map(|p| {
                    let from = if p == l.parameter {
                        format!("$response.body#{}", l.pointer)
                    } else {
                        debug_assert!(own.contains(&p), "{p} of {:?}", target.id);
                        format!("$request.path.{p}")
                    };
                    (p.to_owned(), Value::String(from))
                })
                .collect();
            links.insert(
                format!("{:?}By{}", target.id, camel(l.parameter)),
                json!({ "operationId": format!("{:?}", target.id), "parameters": parameters }),
            );
        }
    }
    links
}

/// `case_id` → `CaseId`, for link names.
fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
