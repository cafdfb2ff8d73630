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
    /// The marketplace's systems: a Standard Webhooks signature instead of a session.
    Signed,
}

/// The body a route accepts (anything else is refused with 415 before the handler runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    Json,
    /// A report: JSON, or multipart/form-data with evidence files.
    Report,
    /// One file: multipart/form-data.
    Upload,
    /// A CSV file: text/csv, or multipart/form-data with a `file` part.
    Csv,
    /// A marketplace webhook: JSON up to 256 KiB.
    Webhook,
}

impl Body {
    /// Largest body accepted, checked before anything else.
    pub fn max_bytes(self) -> usize {
        match self {
            Body::None => 1024,
            Body::Json => 64 * 1024,
            Body::Report => 26 * 1024 * 1024,
            Body::Upload => 6 * 1024 * 1024,
            Body::Csv => 2 * 1024 * 1024,
            Body::Webhook => 256 * 1024,
        }
    }

    /// Largest body accepted as this content type (essence): a report sent as JSON is held to
    /// JSON's limit (only its multipart form carries files).
    pub fn max_bytes_as(self, essence: &str) -> usize {
        match self {
            Body::Report if essence == "application/json" => Body::Json.max_bytes(),
            _ => self.max_bytes(),
        }
    }

    /// The content types (essence only) this body may come as.
    pub fn accepts(self) -> &'static [&'static str] {
        match self {
            Body::None => &[],
            Body::Json | Body::Webhook => &["application/json"],
            Body::Report => &["application/json", "multipart/form-data"],
            Body::Upload => &["multipart/form-data"],
            Body::Csv => &["text/csv", "multipart/form-data"],
        }
    }
}

/// Defines `RouteId` and `RouteId::ALL` from one list, so no endpoint can be left out of either.
macro_rules! route_ids {
    ($($name:ident),* $(,)?) => {
        /// Names every endpoint; the worker matches on it exhaustively, so each has a handler.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RouteId {
            $($name),*
        }

        impl RouteId {
            /// Every endpoint (a test checks each has exactly one route in the table).
            pub const ALL: &'static [RouteId] = &[$(RouteId::$name),*];
        }
    };
}

route_ids! {
    OpenApi,
    Login,
    Session,
    Logout,
    Me,
    ChangePassword,
    MySessions,
    EndMySession,
    EndOtherSessions,
    RequestPasswordLink,
    GetPasswordLink,
    SetPassword,
    GetInvitation,
    AcceptInvitation,
    CancelInvitation,
    GetBrand,
    ListMembers,
    InviteMember,
    ChangeMemberRole,
    RemoveMember,
    StaffBrands,
    StaffPortfolio,
    AdminListUsers,
    AdminCreateUser,
    AdminSendPasswordLink,
    AdminDisableUser,
    AdminEnableUser,
    AdminSetStaffRole,
    AdminCreateBrand,
    AdminAddMember,
    AdminAssignManager,
    AdminSetProgramme,
    BrandStats,
    BrandDashboard,
    ListIpRights,
    CreateIpRight,
    UploadCertificate,
    GetCertificate,
    ReviewIpRight,
    FileReport,
    BulkReports,
    BulkTemplate,
    BatchReports,
    SearchListings,
    ListCases,
    ExportCases,
    GetCase,
    ConfirmCase,
    RejectCase,
    DecideMany,
    WithdrawCase,
    ApproveCase,
    DeclineCase,
    RetryTakedown,
    GetEvidence,
    ReviewQueue,
    ExpiredQueue,
    FailedQueue,
    PendingRights,
    DeadLetters,
    RetryDeadLetter,
    DiscardDeadLetter,
    DeadActions,
    RetryDeadAction,
    MarketplaceWebhook,
    RetractCase,
    AnswerAppeal,
    ArbitrateCase,
    ArbitrationQueue,
    BrandSeller,
    StaffSeller,
    Reminders,
    ListApiKeys,
    CreateApiKey,
    RevokeApiKey,
    ListEndpoints,
    CreateEndpoint,
    DisableEndpoint,
    EnableEndpoint,
    DeleteEndpoint,
    EndpointDeliveries,
    Redeliver,
    // The audit log.
    BrandAudit,
    MyAudit,
    MyNotifications,
    MarkNotificationsRead,
    MyNotificationSettings,
    SetNotificationSettings,
    SetMyLanguage,
    AdminAudit,
    ExportBrandAudit,
    ExportAdminAudit,
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

const fn route(
    id: RouteId,
    method: Method,
    path: &'static str,
    access: Access,
    body: Body,
    summary: &'static str,
) -> Route {
    Route {
        id,
        method,
        path,
        access,
        body,
        summary,
    }
}

use Access::*;
use Method::*;
use RouteId::*;

#[rustfmt::skip]
pub static ROUTES: &[Route] = &[
    route(OpenApi, Get, "/api/v1/openapi.json", Public, Body::None, "This OpenAPI document"),
    route(Login, Post, "/api/v1/auth/login", Public, Body::Json, "Sign in with email and password; sets the session cookie"),
    route(Session, Get, "/api/v1/auth/session", Optional, Body::None, "Who is signed in, if anyone (never 401)"),
    route(Logout, Post, "/api/v1/auth/logout", Person, Body::None, "Sign out; the session is revoked at once"),
    route(Me, Get, "/api/v1/me", Person, Body::None, "The signed-in user and their memberships"),
    route(ChangePassword, Post, "/api/v1/me/password", Person, Body::Json, "Change one's own password"),
    route(MySessions, Get, "/api/v1/me/sessions", Person, Body::None, "One's own open sessions: device, address, last seen"),
    route(EndMySession, Delete, "/api/v1/me/sessions/{session_id}", Person, Body::None, "End one of one's own sessions"),
    route(EndOtherSessions, Post, "/api/v1/me/sessions/end-others", Person, Body::None, "Sign out every other session of one's own"),
    route(RequestPasswordLink, Post, "/api/v1/auth/password-link", Public, Body::Json, "Forgot password: email the account its set-password link (same answer for any address)"),
    route(GetPasswordLink, Get, "/api/v1/password-links/{token}", Public, Body::None, "What a set-password link is for"),
    route(SetPassword, Post, "/api/v1/password-links/{token}", Public, Body::Json, "Set the account's password from its one-time link; signs in"),
    route(GetInvitation, Get, "/api/v1/invitations/{token}", Optional, Body::None, "What an invitation link offers, and whether the invited account is signed in"),
    route(AcceptInvitation, Post, "/api/v1/invitations/{token}/accept", Optional, Body::Json, "Accept an invitation: the invited account, signed in, joins; a new address makes its account"),
    route(GetBrand, Get, "/api/v1/brands/{brand_id}", Brand(Action::ViewBrand), Body::None, "A brand and its programme standing"),
    route(ListMembers, Get, "/api/v1/brands/{brand_id}/members", Brand(Action::ViewBrand), Body::None, "The brand's members and pending invitations"),
    route(InviteMember, Post, "/api/v1/brands/{brand_id}/members", Brand(Action::ManageMembers), Body::Json, "Invite a member; the link is emailed to them, never answered"),
    route(CancelInvitation, Delete, "/api/v1/brands/{brand_id}/invitations/{invitation_id}", Brand(Action::ManageMembers), Body::None, "Cancel a pending invitation"),
    route(ChangeMemberRole, Patch, "/api/v1/brands/{brand_id}/members/{user_id}", Brand(Action::ManageMembers), Body::Json, "Change a member's role"),
    route(RemoveMember, Delete, "/api/v1/brands/{brand_id}/members/{user_id}", Brand(Action::ManageMembers), Body::None, "Remove a member from the brand"),
    route(StaffBrands, Get, "/api/v1/manager/brands", Staff(StaffArea::Manager), Body::None, "Brands this staff member looks after (all, for operators)"),
    route(StaffPortfolio, Get, "/api/v1/manager/portfolio", Staff(StaffArea::Manager), Body::None, "The brands this staff member looks after side by side (all, for operators): standing, confirmation backlog, overdue reviews and arbitrations, flags expired this week; filter q, keyset cursor, limit"),
    route(AdminListUsers, Get, "/api/v1/admin/users", Staff(StaffArea::Admin), Body::None, "All users"),
    route(AdminCreateUser, Post, "/api/v1/admin/users", Staff(StaffArea::Admin), Body::Json, "Create a user; their set-password link is emailed to them"),
    route(AdminSendPasswordLink, Post, "/api/v1/admin/users/{user_id}/password-link", Staff(StaffArea::Admin), Body::None, "Email a user a new set-password link"),
    route(AdminDisableUser, Post, "/api/v1/admin/users/{user_id}/disable", Staff(StaffArea::Admin), Body::None, "Disable an account: sessions end, invitations from and to it are cancelled"),
    route(AdminEnableUser, Post, "/api/v1/admin/users/{user_id}/enable", Staff(StaffArea::Admin), Body::None, "Enable a disabled account again"),
    route(AdminSetStaffRole, Put, "/api/v1/admin/users/{user_id}/staff-role", Staff(StaffArea::Admin), Body::Json, "Grant, change or remove a staff role (removing account manager clears assignments)"),
    route(AdminCreateBrand, Post, "/api/v1/admin/brands", Staff(StaffArea::Admin), Body::Json, "Create a brand (status applied)"),
    route(AdminAddMember, Post, "/api/v1/admin/brands/{brand_id}/members", Staff(StaffArea::Admin), Body::Json, "Add an existing user to a brand with a role"),
    route(AdminAssignManager, Put, "/api/v1/admin/brands/{brand_id}/manager", Staff(StaffArea::Admin), Body::Json, "Assign the brand's account manager"),
    route(AdminSetProgramme, Post, "/api/v1/admin/brands/{brand_id}/programme", Staff(StaffArea::Admin), Body::Json, "Enrol, suspend (with a reason the brand sees) or reinstate a brand"),
    route(BrandStats, Get, "/api/v1/brands/{brand_id}/stats", Brand(Action::ViewBrand), Body::None, "Standing (rate, threshold, lane, return date) and case counts"),
    route(BrandDashboard, Get, "/api/v1/brands/{brand_id}/dashboard", Brand(Action::ViewBrand), Body::None, "The dashboard: 12 weeks of takedowns by origin and time to takedown (p50, p90), the confirmation backlog, appeals beside the standing, top repeat sellers"),
    route(ListIpRights, Get, "/api/v1/brands/{brand_id}/ip-rights", Brand(Action::ViewBrand), Body::None, "The brand's IP rights"),
    route(CreateIpRight, Post, "/api/v1/brands/{brand_id}/ip-rights", Brand(Action::ManageIpRights), Body::Json, "Record an IP right (pending verification)"),
    route(UploadCertificate, Post, "/api/v1/brands/{brand_id}/ip-rights/{right_id}/certificate", Brand(Action::ManageIpRights), Body::Upload, "Attach the right's certificate (PNG, JPEG, WebP or PDF)"),
    route(GetCertificate, Get, "/api/v1/brands/{brand_id}/ip-rights/{right_id}/certificate", Brand(Action::ViewBrand), Body::None, "The right's certificate file"),
    route(ReviewIpRight, Post, "/api/v1/brands/{brand_id}/ip-rights/{right_id}/review", Brand(Action::VerifyIpRight), Body::Json, "Verify or reject a right (with a reason the brand sees)"),
    route(FileReport, Post, "/api/v1/brands/{brand_id}/reports", Brand(Action::FileReport), Body::Report, "File a Good Faith Takedown report (JSON, or multipart with evidence files)"),
    route(BulkReports, Post, "/api/v1/brands/{brand_id}/reports/bulk", Brand(Action::FileReport), Body::Csv, "File up to 1,000 reports from CSV: all or none"),
    route(BatchReports, Post, "/api/v1/brands/{brand_id}/reports/batch", Brand(Action::FileReport), Body::Json, "Report up to 50 listings found by a search at once (one right, reason, statement, evidence): all or none, refusals keyed by listing"),
    route(SearchListings, Get, "/api/v1/brands/{brand_id}/marketplace/listings", Brand(Action::FileReport), Body::None, "Search the marketplace's listings by words (q, cursor), each with the brand's open case: 30 searches a minute per brand"),
    route(BulkTemplate, Get, "/api/v1/brands/{brand_id}/reports/template.csv", Brand(Action::ViewBrand), Body::None, "The bulk CSV template"),
    route(ListCases, Get, "/api/v1/brands/{brand_id}/cases", Brand(Action::ViewBrand), Body::None, "Cases: filters status, origin, reason, from, to, q; sort created, -created (the default), updated, -updated, deadline, -deadline (no deadline last either way), status, -status; keyset cursor (of the same sort), limit"),
    route(ExportCases, Get, "/api/v1/brands/{brand_id}/export/cases.csv", Brand(Action::ViewBrand), Body::None, "The filtered case list as CSV in its sort, streamed"),
    // Before `cases/{case_id}`: the resolver takes the first match in this order.
    route(DecideMany, Post, "/api/v1/brands/{brand_id}/cases/decisions", Brand(Action::DecideFlag), Body::Json, "Confirm or reject up to 100 flagged listings in one write; each case decided, a conflict, or refused (its right may not be invoked)"),
    route(GetCase, Get, "/api/v1/brands/{brand_id}/cases/{case_id}", Brand(Action::ViewBrand), Body::None, "The case file: snapshots, right, evidence, timeline, allowed actions"),
    route(ConfirmCase, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/confirm", Brand(Action::DecideFlag), Body::Json, "Confirm a flagged listing infringes (right, reason)"),
    route(RejectCase, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/reject", Brand(Action::DecideFlag), Body::Json, "Reject a flagged listing as genuine"),
    route(WithdrawCase, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/withdraw", Brand(Action::Withdraw), Body::Json, "Withdraw a case (with a reason)"),
    route(ApproveCase, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/approve", Brand(Action::ReviewReport), Body::Json, "Approve a report in the review lane"),
    route(DeclineCase, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/decline", Brand(Action::ReviewReport), Body::Json, "Decline a report in the review lane (with a reason)"),
    route(RetryTakedown, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/retry", Brand(Action::RetryTakedown), Body::Json, "Retry a failed takedown"),
    route(GetEvidence, Get, "/api/v1/brands/{brand_id}/cases/{case_id}/evidence/{file_id}", Brand(Action::ViewBrand), Body::None, "An evidence file of the case"),
    route(ReviewQueue, Get, "/api/v1/manager/review-queue", Staff(StaffArea::Manager), Body::None, "Reports under review (overdue after 2 days)"),
    route(ExpiredQueue, Get, "/api/v1/manager/expired", Staff(StaffArea::Manager), Body::None, "Flags that expired unanswered"),
    route(FailedQueue, Get, "/api/v1/manager/failed-takedowns", Staff(StaffArea::Manager), Body::None, "Takedowns the marketplace could not carry out"),
    route(PendingRights, Get, "/api/v1/manager/ip-rights", Staff(StaffArea::Manager), Body::None, "IP rights awaiting verification"),
    route(DeadLetters, Get, "/api/v1/admin/dead-letters", Staff(StaffArea::Admin), Body::None, "Marketplace events that could not be applied, with reasons"),
    route(RetryDeadLetter, Post, "/api/v1/admin/dead-letters/{webhook_id}/retry", Staff(StaffArea::Admin), Body::None, "Apply a dead letter again; answers whether it applied or why it is still dead"),
    route(DiscardDeadLetter, Post, "/api/v1/admin/dead-letters/{webhook_id}/discard", Staff(StaffArea::Admin), Body::Json, "Discard a dead letter with a reason (audited); it leaves the list"),
    route(DeadActions, Get, "/api/v1/admin/dead-actions", Staff(StaffArea::Admin), Body::None, "Actions the marketplace never accepted after 10 tries"),
    route(RetryDeadAction, Post, "/api/v1/admin/dead-actions/{action_id}/retry", Staff(StaffArea::Admin), Body::None, "Send a dead action again"),
    route(MarketplaceWebhook, Post, "/api/v1/webhooks/marketplace", Signed, Body::Webhook, "Signed events from the marketplace (Standard Webhooks)"),
    route(RetractCase, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/retract", Brand(Action::Retract), Body::Json, "Retract a takedown made by mistake (the listing comes back; counts against accuracy)"),
    route(AnswerAppeal, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/appeal-response", Brand(Action::AnswerAppeal), Body::Json, "Answer a seller's appeal: uphold (reason), retract, or escalate"),
    route(ArbitrateCase, Post, "/api/v1/brands/{brand_id}/cases/{case_id}/arbitrate", Brand(Action::Arbitrate), Body::Json, "Decide an escalated appeal: uphold or reinstate (reason)"),
    route(ArbitrationQueue, Get, "/api/v1/manager/arbitration", Staff(StaffArea::Manager), Body::None, "Escalated appeals (overdue after 5 days)"),
    route(BrandSeller, Get, "/api/v1/brands/{brand_id}/sellers/{seller_id}", Brand(Action::ViewBrand), Body::None, "A seller and the brand's own cases against it"),
    route(StaffSeller, Get, "/api/v1/manager/sellers/{seller_id}", Staff(StaffArea::Manager), Body::None, "A seller and every case against it"),
    route(Reminders, Get, "/api/v1/brands/{brand_id}/reminders", Brand(Action::ViewBrand), Body::None, "What is due: appeals (24 h), confirmations (48 h), rights expiring (30 days)"),
    route(ListApiKeys, Get, "/api/v1/brands/{brand_id}/api-keys", Brand(Action::ManageApiKeys), Body::None, "The brand's API keys (never their secrets)"),
    route(CreateApiKey, Post, "/api/v1/brands/{brand_id}/api-keys", Brand(Action::ManageApiKeys), Body::Json, "Create an API key (read or read_write); the secret is shown once"),
    route(RevokeApiKey, Delete, "/api/v1/brands/{brand_id}/api-keys/{key_id}", Brand(Action::ManageApiKeys), Body::None, "Revoke an API key at once"),
    route(ListEndpoints, Get, "/api/v1/brands/{brand_id}/webhook-endpoints", Brand(Action::ManageWebhooks), Body::None, "The brand's webhook endpoints"),
    route(CreateEndpoint, Post, "/api/v1/brands/{brand_id}/webhook-endpoints", Brand(Action::ManageWebhooks), Body::Json, "Register an https endpoint for chosen events; the secret is shown once"),
    route(DisableEndpoint, Post, "/api/v1/brands/{brand_id}/webhook-endpoints/{endpoint_id}/disable", Brand(Action::ManageWebhooks), Body::None, "Stop sending to an endpoint (kept, with its delivery log)"),
    route(EnableEndpoint, Post, "/api/v1/brands/{brand_id}/webhook-endpoints/{endpoint_id}/enable", Brand(Action::ManageWebhooks), Body::None, "Send to a disabled endpoint again (events from now on)"),
    route(DeleteEndpoint, Delete, "/api/v1/brands/{brand_id}/webhook-endpoints/{endpoint_id}", Brand(Action::ManageWebhooks), Body::None, "Delete an endpoint with its delivery log"),
    route(EndpointDeliveries, Get, "/api/v1/brands/{brand_id}/webhook-endpoints/{endpoint_id}/deliveries", Brand(Action::ManageWebhooks), Body::None, "The delivery log: every attempt and its status code"),
    route(Redeliver, Post, "/api/v1/brands/{brand_id}/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver", Brand(Action::ManageWebhooks), Body::None, "Send a delivery again now (one tried already; 409 for one never tried)"),
    // The audit log (no route changes an entry).
    route(BrandAudit, Get, "/api/v1/brands/{brand_id}/audit", Brand(Action::ReadAudit), Body::None, "The brand's audit log and its members' sign-ins (no addresses): filters actor, kind, from, to; keyset cursor, limit"),
    route(MyAudit, Get, "/api/v1/me/audit", Person, Body::None, "One's own sign-ins and failed sign-ins, with their addresses: same filters and paging"),
    route(MyNotifications, Get, "/api/v1/me/notifications", Person, Body::None, "One's notifications across all one's brands, newest first (keyset `cursor`), with the unread count"),
    route(MarkNotificationsRead, Post, "/api/v1/me/notifications/read", Person, Body::Json, "Mark one's notifications read: everything up to a moment, or some by id"),
    route(MyNotificationSettings, Get, "/api/v1/me/notification-settings", Person, Body::None, "Which notification kinds are emailed to one"),
    route(SetNotificationSettings, Put, "/api/v1/me/notification-settings", Person, Body::Json, "Choose which notification kinds are emailed to one"),
    route(SetMyLanguage, Put, "/api/v1/me/language", Person, Body::Json, "The language one reads in (en, zh): one's emails are written in it"),
    route(AdminAudit, Get, "/api/v1/admin/audit", Staff(StaffArea::Admin), Body::None, "The whole audit log: same filters and paging"),
    route(ExportBrandAudit, Get, "/api/v1/brands/{brand_id}/export/audit.csv", Brand(Action::ReadAudit), Body::None, "The brand's audit log as CSV, streamed (no addresses): the audit filters"),
    route(ExportAdminAudit, Get, "/api/v1/admin/export/audit.csv", Staff(StaffArea::Admin), Body::None, "The whole audit log as CSV, streamed: the audit filters"),
];

/// Values captured from `{name}` segments of the matched path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PathParams(pub Vec<(&'static str, String)>);

impl PathParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
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

impl RouteId {
    /// The route's entry in the table.
    pub fn route(self) -> &'static Route {
        // Every id has exactly one route (tested); the fallback is never reached.
        ROUTES.iter().find(|r| r.id == self).unwrap_or(&ROUTES[0])
    }

    /// The route's path with its `{…}` segments filled by `params`, in order (already encoded
    /// for a path segment by the caller). A missing parameter leaves its segment empty, which no
    /// route matches.
    pub fn path(self, params: &[&str]) -> String {
        let mut params = params.iter();
        self.route()
            .path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    params.next().copied().unwrap_or("")
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/")
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
        assert_eq!(
            resolve("GET", "/api/v1/brands//members"),
            Resolution::NotFound
        );
        assert_eq!(resolve("GET", "/api/v1/me/"), Resolution::NotFound);
    }

    #[test]
    fn paths_are_built_from_the_table() {
        assert_eq!(
            Redeliver.path(&["b1", "e2", "d3"]),
            "/api/v1/brands/b1/webhook-endpoints/e2/deliveries/d3/redeliver"
        );
        assert_eq!(Session.path(&[]), "/api/v1/auth/session");
        for id in RouteId::ALL {
            let params: Vec<&str> = id.route().path.matches('{').map(|_| "x1").collect();
            let path = id.path(&params);
            match resolve(id.route().method.as_str(), &path) {
                Resolution::Found(route, _) => assert_eq!(route.id, *id, "{path}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn many_decisions_are_not_taken_for_a_case_id() {
        match resolve("POST", "/api/v1/brands/b1/cases/decisions") {
            Resolution::Found(route, params) => {
                assert_eq!(route.id, DecideMany);
                assert_eq!(params.get("brand_id"), Some("b1"));
                assert_eq!(params.get("case_id"), None);
            }
            other => panic!("{other:?}"),
        }
        // The case routes still reach their own handlers.
        for (method, path, id) in [
            ("GET", "/api/v1/brands/b1/cases/c1", GetCase),
            ("POST", "/api/v1/brands/b1/cases/c1/confirm", ConfirmCase),
            ("POST", "/api/v1/brands/b1/cases/c1/reject", RejectCase),
        ] {
            match resolve(method, path) {
                Resolution::Found(route, _) => assert_eq!(route.id, id, "{method} {path}"),
                other => panic!("{method} {path}: {other:?}"),
            }
        }
    }

    #[test]
    fn every_endpoint_has_exactly_one_route() {
        for id in RouteId::ALL {
            assert_eq!(ROUTES.iter().filter(|r| r.id == *id).count(), 1, "{id:?}");
        }
        assert_eq!(ROUTES.len(), RouteId::ALL.len());
    }

    #[test]
    fn table_is_consistent() {
        for (i, a) in ROUTES.iter().enumerate() {
            // Brand routes carry the brand id; staff routes live under their area's prefix.
            match a.access {
                Brand(_) => assert!(
                    a.path.starts_with("/api/v1/brands/{brand_id}"),
                    "{}",
                    a.path
                ),
                Staff(StaffArea::Admin) => {
                    assert!(a.path.starts_with("/api/v1/admin/"), "{}", a.path)
                }
                Staff(StaffArea::Manager) => {
                    assert!(a.path.starts_with("/api/v1/manager/"), "{}", a.path)
                }
                _ => assert!(
                    !a.path.contains("/brands/")
                        && !a.path.contains("/admin/")
                        && !a.path.contains("/manager/")
                ),
            }
            // Brand routes that change things are never reachable with a mere view permission.
            // (Reading may need more: API keys and webhook endpoints are for brand admins only.)
            if let Brand(action) = a.access {
                if a.method.changes_state() {
                    assert!(action.is_write(), "{} {}", a.method.as_str(), a.path);
                }
            }
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.method == b.method && a.path == b.path),
                    "duplicate {}",
                    a.path
                );
                assert_ne!(a.id, b.id);
            }
        }
    }
}
