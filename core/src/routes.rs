//! The route table: every API path, who may call it, and what body it takes. The worker's guard,
//! the OpenAPI document and the tenancy test matrix are all built from this one table, so a route
//! cannot exist without passing the guard.

use crate::access::{Action, StaffArea};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "GET" | "HEAD" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }
    pub fn changes_state(self) -> bool {
        self != Method::Get
    }
}

/// Who may reach a route. Brand routes carry `{brand_id}` and the action they perform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (the route authenticates by other means: a password, an invitation token).
    Public,
    /// Anyone; a signed-in person is recognised (the app asks "who am I?" without an error).
    Optional,
    /// Any signed-in person.
    Person,
    /// A brand's scope: `{brand_id}` must be visible to the actor, and the action allowed.
    Brand(Action),
    /// A staff area (`/manager/…`, `/admin/…`).
    Staff(StaffArea),
}

/// The body a route accepts (anything else is refused with 415 before the handler runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    Json,
}

impl Body {
    /// Largest body accepted, checked before anything else.
    pub fn max_bytes(self) -> usize {
        match self {
            Body::None => 0,
            Body::Json => 64 * 1024,
        }
    }
}

/// Names every endpoint; the worker matches on it exhaustively, so each has a handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteId {
    OpenApi,
    Login,
    Session,
    Logout,
    Me,
    ChangePassword,
    GetInvitation,
    AcceptInvitation,
    GetBrand,
    ListMembers,
    InviteMember,
    ChangeMemberRole,
    RemoveMember,
    StaffBrands,
    AdminListUsers,
    AdminCreateUser,
    AdminCreateBrand,
    AdminAddMember,
    AdminAssignManager,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Route {
    pub id: RouteId,
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub body: Body,
    pub summary: &'static str,
}

const fn route(id: RouteId, method: Method, path: &'static str, access: Access, body: Body, summary: &'static str) -> Route {
    Route { id, method, path, access, body, summary }
}

use Access::*;
use Method::*;
use RouteId::*;

pub static ROUTES: &[Route] = &[
    route(OpenApi, Get, "/api/v1/openapi.json", Public, Body::None, "This OpenAPI document"),
    route(Login, Post, "/api/v1/auth/login", Public, Body::Json, "Sign in with email and password; sets the session cookie"),
    route(Session, Get, "/api/v1/auth/session", Optional, Body::None, "Who is signed in, if anyone (never 401)"),
    route(Logout, Post, "/api/v1/auth/logout", Person, Body::None, "Sign out; the session is revoked at once"),
    route(Me, Get, "/api/v1/me", Person, Body::None, "The signed-in user and their memberships"),
    route(ChangePassword, Post, "/api/v1/me/password", Person, Body::Json, "Change one's own password"),
    route(GetInvitation, Get, "/api/v1/invitations/{token}", Public, Body::None, "What an invitation link offers"),
    route(AcceptInvitation, Post, "/api/v1/invitations/{token}/accept", Public, Body::Json, "Accept an invitation (sets the password of a new account)"),
    route(GetBrand, Get, "/api/v1/brands/{brand_id}", Brand(Action::ViewBrand), Body::None, "A brand and its programme standing"),
    route(ListMembers, Get, "/api/v1/brands/{brand_id}/members", Brand(Action::ViewBrand), Body::None, "The brand's members and pending invitations"),
    route(InviteMember, Post, "/api/v1/brands/{brand_id}/members", Brand(Action::ManageMembers), Body::Json, "Invite a member; answers a one-time invitation link"),
    route(ChangeMemberRole, Patch, "/api/v1/brands/{brand_id}/members/{user_id}", Brand(Action::ManageMembers), Body::Json, "Change a member's role"),
    route(RemoveMember, Delete, "/api/v1/brands/{brand_id}/members/{user_id}", Brand(Action::ManageMembers), Body::None, "Remove a member from the brand"),
    route(StaffBrands, Get, "/api/v1/manager/brands", Staff(StaffArea::Manager), Body::None, "Brands this staff member looks after (all, for operators)"),
    route(AdminListUsers, Get, "/api/v1/admin/users", Staff(StaffArea::Admin), Body::None, "All users"),
    route(AdminCreateUser, Post, "/api/v1/admin/users", Staff(StaffArea::Admin), Body::Json, "Create a user; answers a one-time link to set the password"),
    route(AdminCreateBrand, Post, "/api/v1/admin/brands", Staff(StaffArea::Admin), Body::Json, "Create a brand (status applied)"),
    route(AdminAddMember, Post, "/api/v1/admin/brands/{brand_id}/members", Staff(StaffArea::Admin), Body::Json, "Add an existing user to a brand with a role"),
    route(AdminAssignManager, Put, "/api/v1/admin/brands/{brand_id}/manager", Staff(StaffArea::Admin), Body::Json, "Assign the brand's account manager"),
];

/// Values captured from `{name}` segments of the matched path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PathParams(pub Vec<(&'static str, String)>);

impl PathParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Resolution {
    Found(&'static Route, PathParams),
    MethodNotAllowed,
    NotFound,
}

fn match_path(pattern: &'static str, path: &str) -> Option<PathParams> {
    let mut params = PathParams::default();
    let mut want = pattern.split('/');
    let mut got = path.split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return Some(params),
            (Some(w), Some(g)) => {
                if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    if g.is_empty() {
                        return None;
                    }
                    params.0.push((name, g.to_owned()));
                } else if w != g {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// Finds the route for a request; a known path with another method is 405, not 404.
pub fn resolve(method: &str, path: &str) -> Resolution {
    let method = Method::parse(method);
    let mut path_known = false;
    for route in ROUTES {
        if let Some(params) = match_path(route.path, path) {
            if Some(route.method) == method {
                return Resolution::Found(route, params);
            }
            path_known = true;
        }
    }
    if path_known {
        Resolution::MethodNotAllowed
    } else {
        Resolution::NotFound
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_params_and_methods() {
        match resolve("PATCH", "/api/v1/brands/b1/members/u2") {
            Resolution::Found(route, params) => {
                assert_eq!(route.id, ChangeMemberRole);
                assert_eq!(params.get("brand_id"), Some("b1"));
                assert_eq!(params.get("user_id"), Some("u2"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(resolve("PUT", "/api/v1/me"), Resolution::MethodNotAllowed);
        assert_eq!(resolve("GET", "/api/v1/nothing"), Resolution::NotFound);
        assert_eq!(resolve("GET", "/api/v1/brands//members"), Resolution::NotFound);
        assert_eq!(resolve("GET", "/api/v1/me/"), Resolution::NotFound);
    }

    #[test]
    fn table_is_consistent() {
        for (i, a) in ROUTES.iter().enumerate() {
            // Brand routes carry the brand id; staff routes live under their area's prefix.
            match a.access {
                Brand(_) => assert!(a.path.starts_with("/api/v1/brands/{brand_id}"), "{}", a.path),
                Staff(StaffArea::Admin) => assert!(a.path.starts_with("/api/v1/admin/"), "{}", a.path),
                Staff(StaffArea::Manager) => assert!(a.path.starts_with("/api/v1/manager/"), "{}", a.path),
                _ => assert!(!a.path.contains("/brands/") && !a.path.contains("/admin/") && !a.path.contains("/manager/")),
            }
            // Brand routes that change things are never reachable with a mere view permission.
            if let Brand(action) = a.access {
                assert_eq!(action.is_write(), a.method.changes_state(), "{} {}", a.method.as_str(), a.path);
            }
            for b in &ROUTES[i + 1..] {
                assert!(!(a.method == b.method && a.path == b.path), "duplicate {}", a.path);
                assert_ne!(a.id, b.id);
            }
        }
    }
}
