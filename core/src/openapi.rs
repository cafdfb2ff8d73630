//! The OpenAPI 3.1 document, generated from the route table and from the very types the handlers
//! serialise: schemars derives each type's JSON Schema (2020-12, the dialect of OpenAPI 3.1) from
//! its serde attributes, so the document lists exactly the routes that exist and describes what
//! each takes and answers. `exchange` ties every route to its types with an exhaustive `match`, so
//! a new route cannot go undocumented.

use crate::access::StaffArea;
use crate::api::*;
use crate::case_list::CaseSort;
use crate::limits::{self, LimitKind};
use crate::routes::{Access, Body, Route, RouteId, ROUTES};
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

mod links;

/// What a route takes as a JSON body (multipart and CSV bodies are described by content type).
#[derive(Debug, Clone, PartialEq)]
pub enum Takes {
    /// No JSON body: none at all, or only a multipart form or a CSV file.
    Nothing,
    /// A JSON body of this schema.
    Json(Value),
    /// A JSON body of this schema, in which every field may be left out; an empty body (still
    /// sent as `application/json`) reads as `{}`.
    JsonOrEmpty(Value),
}

/// What a route answers when it succeeds.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// A JSON body with this status; the schema is a `$ref` into `components.schemas` or inline.
    Json(u16, Value),
    /// 204, no body.
    NoContent,
    /// 200, a CSV download.
    Csv,
    /// 200, a stored file (PNG, JPEG, WebP or PDF), shown inline.
    File,
}

impl Success {
    pub fn status(&self) -> u16 {
        match self {
            Success::Json(status, _) => *status,
            Success::NoContent => 204,
            Success::Csv | Success::File => 200,
        }
    }
}

/// The two generators: request bodies are described as the Worker reads them (a field with a
/// default may be left out), answers as it writes them (every field present, `null` where there
/// is none). Both put their named schemas under `#/components/schemas/`.
struct Schemas {
    input: SchemaGenerator,
    output: SchemaGenerator,
}

impl Schemas {
    fn new() -> Self {
        let settings = SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        });
        Schemas {
            input: settings.clone().for_deserialize().into_generator(),
            output: settings.for_serialize().into_generator(),
        }
    }

    fn takes<T: JsonSchema>(&mut self) -> Takes {
        Takes::Json(self.input.subschema_for::<T>().to_value())
    }

    fn may_take<T: JsonSchema>(&mut self) -> Takes {
        Takes::JsonOrEmpty(self.input.subschema_for::<T>().to_value())
    }

    fn answers<T: JsonSchema>(&mut self, status: u16) -> Success {
        Success::Json(status, self.output.subschema_for::<T>().to_value())
    }
}

/// Named schemas written here, for the answers and bodies no Rust type describes.
const ERROR: &str = "Error";
const RECEIPT: &str = "Receipt";
const MARKETPLACE_EVENT: &str = "MarketplaceEvent";

fn component(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Each route's JSON body and success answer, exactly as `worker/src/handlers.rs` reads and
/// writes them.
fn exchange(id: RouteId, s: &mut Schemas) -> (Takes, Success) {
    use RouteId as R;
    use Success::{Csv, File, NoContent};
    use Takes::Nothing;
    match id {
        R::OpenApi => (
            Nothing,
            Success::Json(
                200,
                json!({ "type": "object", "description": "This document (OpenAPI 3.1).",
                        "required": ["openapi", "info", "paths", "components"] }),
            ),
        ),
        R::Login => (s.takes::<LoginRequest>(), s.answers::<Me>(200)),
        R::Session => (Nothing, s.answers::<SessionView>(200)),
        R::Logout => (Nothing, NoContent),
        R::Me => (Nothing, s.answers::<Me>(200)),
        R::ChangePassword => (s.takes::<ChangePasswordRequest>(), NoContent),
        R::MySessions => (Nothing, s.answers::<OwnSessionList>(200)),
        R::EndMySession => (Nothing, NoContent),
        R::EndOtherSessions => (Nothing, NoContent),
        R::RequestPasswordLink => (
            s.takes::<PasswordLinkRequest>(),
            Success::Json(
                202,
                json!({ "type": "object", "maxProperties": 0,
                        "description": "Accepted: the same empty answer for every address." }),
            ),
        ),
        R::GetPasswordLink => (Nothing, s.answers::<PasswordLinkView>(200)),
        R::SetPassword => (s.takes::<SetPasswordRequest>(), s.answers::<Me>(200)),
        R::GetInvitation => (Nothing, s.answers::<InvitationView>(200)),
        R::AcceptInvitation => (
            s.may_take::<AcceptInvitationRequest>(),
            s.answers::<Me>(200),
        ),
        R::CancelInvitation => (Nothing, NoContent),
        R::GetBrand => (Nothing, s.answers::<BrandView>(200)),
        R::ListMembers => (Nothing, s.answers::<MembersView>(200)),
        R::InviteMember => (s.takes::<InviteRequest>(), s.answers::<InvitationSent>(201)),
        R::ChangeMemberRole => (s.takes::<ChangeRoleRequest>(), s.answers::<MemberView>(200)),
        R::RemoveMember => (Nothing, NoContent),
        R::StaffBrands => (Nothing, s.answers::<BrandList>(200)),
        R::StaffPortfolio => (Nothing, s.answers::<Portfolio>(200)),
        R::AdminListUsers => (Nothing, s.answers::<UserList>(200)),
        R::AdminCreateUser => (
            s.takes::<CreateUserRequest>(),
            s.answers::<CreatedUser>(201),
        ),
        R::AdminSendPasswordLink => (Nothing, s.answers::<LinkSent>(202)),
        R::AdminDisableUser => (Nothing, s.answers::<UserView>(200)),
        R::AdminEnableUser => (Nothing, s.answers::<UserView>(200)),
        R::AdminSetStaffRole => (s.takes::<StaffRoleRequest>(), s.answers::<UserView>(200)),
        R::AdminCreateBrand => (s.takes::<CreateBrandRequest>(), s.answers::<BrandView>(201)),
        R::AdminAddMember => (s.takes::<AddMemberRequest>(), s.answers::<MemberView>(201)),
        R::AdminAssignManager => (
            s.takes::<AssignManagerRequest>(),
            s.answers::<BrandView>(200),
        ),
        R::AdminSetProgramme => (s.takes::<ProgrammeRequest>(), s.answers::<BrandView>(200)),
        R::BrandStats => (Nothing, s.answers::<BrandStats>(200)),
        R::BrandDashboard => (Nothing, s.answers::<BrandDashboard>(200)),
        R::ListIpRights => (Nothing, s.answers::<IpRightList>(200)),
        R::CreateIpRight => (
            s.takes::<CreateIpRightRequest>(),
            s.answers::<IpRightView>(201),
        ),
        R::UploadCertificate => (Nothing, s.answers::<IpRightView>(200)),
        R::GetCertificate => (Nothing, File),
        R::ReviewIpRight => (
            s.takes::<ReviewIpRightRequest>(),
            s.answers::<IpRightView>(200),
        ),
        R::FileReport => (s.takes::<ReportRequest>(), s.answers::<CaseView>(201)),
        R::BulkReports => (Nothing, s.answers::<BulkFiled>(201)),
        R::BatchReports => (s.takes::<BatchReportRequest>(), s.answers::<BulkFiled>(201)),
        R::SearchListings => (Nothing, s.answers::<ListingSearch>(200)),
        R::BulkTemplate => (Nothing, Csv),
        R::ListCases => (Nothing, s.answers::<CaseList>(200)),
        R::ExportCases => (Nothing, Csv),
        R::GetCase => (Nothing, s.answers::<CaseView>(200)),
        R::ConfirmCase => (s.takes::<ConfirmRequest>(), s.answers::<CaseView>(200)),
        R::RejectCase => (s.may_take::<NoteRequest>(), s.answers::<CaseView>(200)),
        R::DecideMany => (
            s.takes::<DecisionsRequest>(),
            s.answers::<DecisionsAnswer>(200),
        ),
        R::WithdrawCase => (s.takes::<ReasonRequest>(), s.answers::<CaseView>(200)),
        R::ApproveCase => (s.may_take::<NoteRequest>(), s.answers::<CaseView>(200)),
        R::DeclineCase => (s.takes::<ReasonRequest>(), s.answers::<CaseView>(200)),
        R::RetryTakedown => (s.may_take::<NoteRequest>(), s.answers::<CaseView>(200)),
        R::GetEvidence => (Nothing, File),
        R::ReviewQueue => (Nothing, s.answers::<CaseQueue>(200)),
        R::ExpiredQueue => (Nothing, s.answers::<CaseQueue>(200)),
        R::FailedQueue => (Nothing, s.answers::<CaseQueue>(200)),
        R::PendingRights => (Nothing, s.answers::<PendingRights>(200)),
        R::DeadLetters => (Nothing, s.answers::<DeadLetters>(200)),
        R::RetryDeadLetter => (Nothing, s.answers::<DeadLetterRetried>(200)),
        R::DiscardDeadLetter => (s.takes::<ReasonRequest>(), NoContent),
        R::DeadActions => (Nothing, s.answers::<ActionList>(200)),
        R::RetryDeadAction => (Nothing, s.answers::<ActionView>(200)),
        R::MarketplaceWebhook => (
            Takes::Json(component(MARKETPLACE_EVENT)),
            Success::Json(200, component(RECEIPT)),
        ),
        R::RetractCase => (s.may_take::<NoteRequest>(), s.answers::<CaseView>(200)),
        R::AnswerAppeal => (
            s.takes::<AppealResponseRequest>(),
            s.answers::<CaseView>(200),
        ),
        R::ArbitrateCase => (s.takes::<ArbitrationRequest>(), s.answers::<CaseView>(200)),
        R::ArbitrationQueue => (Nothing, s.answers::<CaseQueue>(200)),
        R::BrandSeller => (Nothing, s.answers::<SellerView>(200)),
        R::StaffSeller => (Nothing, s.answers::<SellerView>(200)),
        R::Reminders => (Nothing, s.answers::<Reminders>(200)),
        R::ListApiKeys => (Nothing, s.answers::<ApiKeyList>(200)),
        R::CreateApiKey => (
            s.takes::<CreateApiKeyRequest>(),
            s.answers::<CreatedApiKey>(201),
        ),
        R::RevokeApiKey => (Nothing, NoContent),
        R::ListEndpoints => (Nothing, s.answers::<EndpointList>(200)),
        R::CreateEndpoint => (
            s.takes::<CreateEndpointRequest>(),
            s.answers::<CreatedEndpoint>(201),
        ),
        R::DisableEndpoint => (Nothing, NoContent),
        R::EnableEndpoint => (Nothing, NoContent),
        R::DeleteEndpoint => (Nothing, NoContent),
        R::EndpointDeliveries => (Nothing, s.answers::<DeliveryLog>(200)),
        R::Redeliver => (Nothing, NoContent),
        R::BrandAudit | R::MyAudit | R::AdminAudit => (Nothing, s.answers::<AuditLog>(200)),
        R::MyNotifications => (Nothing, s.answers::<NotificationList>(200)),
        R::MarkNotificationsRead => (s.takes::<MarkReadRequest>(), NoContent),
        R::MyNotificationSettings => (Nothing, s.answers::<NotificationSettings>(200)),
        R::SetNotificationSettings => (
            s.takes::<NotificationSettings>(),
            s.answers::<NotificationSettings>(200),
        ),
        R::SetMyLanguage => (s.takes::<LanguageRequest>(), NoContent),
        R::ExportBrandAudit | R::ExportAdminAudit => (Nothing, Csv),
    }
}

/// The error body of `Error::body()` (core/src/error.rs), for every status but the route's own.
fn error_schema(s: &mut Schemas) -> Value {
    let row = s.output.subschema_for::<RowError>().to_value();
    let listing_problem = s.output.subschema_for::<ListingProblem>().to_value();
    json!({
        "type": "object",
        "required": ["error"],
        "properties": { "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": false,
            "properties": {
                "code": { "type": "string", "description": "what went wrong, as a stable code (`invalid_input`, `not_found`, `open_case_exists`…)" },
                "message": { "type": "string", "description": "the same in English, for a person" },
                "field": { "type": "string", "description": "the input that is wrong (`invalid_input`)" },
                "reason": { "type": "string", "description": "why, as a code (see core/src/reasons.rs), when the message is a known one" },
                "args": { "type": "array", "items": { "type": "string" }, "description": "the data inside the reason" },
                "case_id": { "type": "string", "description": "the open case a report collides with (`open_case_exists`)" },
                "limit": { "type": "string", "enum": ["reads", "writes", "exports"], "description": "which limit a refused request went over (`too_many_requests`)" },
                "rows": { "type": "array", "items": row, "description": "every problem of every bad row of a bulk filing, each with its line and column (`invalid_rows`)" },
                "refused": { "type": "object", "additionalProperties": { "type": "array", "items": listing_problem },
                    "description": "every problem of every refused listing of a report of many listings, under the listing as it was given (`refused_listings`)" }
            }
        } }
    })
}

/// An error answer that says when to try again.
fn retry_response(description: &str) -> Value {
    json!({
        "description": description,
        "headers": { "Retry-After": {
            "description": "seconds to wait before trying again",
            "required": true,
            "schema": { "type": "integer", "minimum": 1 }
        } },
        "content": { "application/json": { "schema": component(ERROR) } }
    })
}

/// The 429 of a route whose callers are counted (core/src/limits.rs): every route a session or
/// an API key calls; an export's brand is counted too.
fn rate_limited_response(route: &Route) -> Option<Value> {
    if matches!(route.access, Access::Public | Access::Signed) {
        return None;
    }
    let caller = format!(
        "Too many requests (`too_many_requests`): a session or an API key makes at most {} reads \
         (GET) and {} writes (other methods) a minute",
        LimitKind::Reads.per_minute(),
        LimitKind::Writes.per_minute()
    );
    let description = if limits::is_export(route) {
        format!(
            "{caller}; a brand at most {} exports a minute (the whole audit log's export counts as \
             one brand). `error.limit` says which",
            LimitKind::Exports.per_minute()
        )
    } else {
        format!("{caller}. `error.limit` says which")
    };
    Some(retry_response(&description))
}

fn receipt_schema() -> Value {
    json!({
        "type": "object",
        "required": ["outcome"],
        "properties": { "outcome": { "type": "string",
            "description": "`applied`, `duplicate`, `stored`, or `dead letter: <why>`" } }
    })
}

fn marketplace_event_schema() -> Value {
    json!({
        "type": "object",
        "description": "A Standard Webhooks event: `listing.flagged`, `listing.updated`, `listing.removed`, `takedown.completed`, `takedown.failed`, `appeal.filed`, `shop.verified` (another type is stored and dead-lettered). Signed with the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers.",
        "required": ["type", "data"],
        "properties": {
            "type": { "type": "string", "minLength": 1 },
            "timestamp": { "description": "when the marketplace sent it (informative; the signed header counts)" },
            "data": { "type": "object" }
        }
    })
}

/// A multipart body's parts, per route body kind.
fn multipart_schema(body: Body) -> Value {
    let file =
        |what: &str| json!({ "contentMediaType": "application/octet-stream", "description": what });
    match body {
        Body::Report => json!({
            "type": "object",
            "required": ["listing", "ip_right_id", "reason_code", "statement"],
            "properties": {
                "listing": { "type": "string" },
                "ip_right_id": { "type": "string" },
                "reason_code": { "type": "string" },
                "statement": { "type": "string" },
                "evidence_urls": { "type": "string", "description": "URLs separated by white space" },
                "good_faith": { "type": "string", "description": "`true`, `on` or `1` affirms good faith" },
                "evidence": { "type": "array", "maxItems": crate::files::MAX_EVIDENCE_FILES,
                    "items": file("PNG, JPEG, WebP or PDF, up to 5 MB each") }
            }
        }),
        Body::Upload => json!({
            "type": "object", "required": ["file"],
            "properties": { "file": file("PNG, JPEG, WebP or PDF, up to 5 MB (the part may also be named `certificate`)") }
        }),
        Body::Csv => json!({
            "type": "object", "required": ["file"],
            "properties": { "file": file("the CSV, in the columns of the bulk template") }
        }),
        Body::None | Body::Json | Body::Webhook => json!({}),
    }
}

/// Path segments that are UUIDs (anything else is refused with 400 or 404).
const UUID_PARAMS: &[&str] = &[
    "brand_id",
    "user_id",
    "invitation_id",
    "right_id",
    "case_id",
    "file_id",
    "action_id",
];

/// The case list's filters (`cases::CaseQuery`), for the list and its CSV export.
const CASE_FILTERS: &[(&str, &str)] = &[
    ("status", "a case status"),
    ("origin", "`report` or `detection`"),
    ("reason", "a reason code"),
    ("from", "created at or after (milliseconds since the epoch)"),
    ("to", "created before (milliseconds since the epoch)"),
    (
        "q",
        "text in the title, listing id or seller (at most 200 characters)",
    ),
    ("cursor", "`next_cursor` of the previous page"),
    ("limit", "cases per page"),
];

/// A marketplace search's words and paging (`cases::ListingSearchQuery`).
const SEARCH_PARAMS: &[(&str, &str)] = &[
    (
        "q",
        "required: words the listing's title, seller or brand contain (2–200 characters)",
    ),
    ("cursor", "`next_cursor` of the previous page"),
];

/// The portfolio's filter and paging (`cases::PortfolioQuery`).
const PORTFOLIO_FILTERS: &[(&str, &str)] = &[
    (
        "q",
        "text the brand's name contains, any case (at most 200 characters)",
    ),
    ("cursor", "`next_cursor` of the previous page"),
    ("limit", "brands per page (at most 100)"),
];

/// The audit log's filters (`audit::AuditQuery`).
const AUDIT_FILTERS: &[(&str, &str)] = &[
    ("actor", "a user id: what this person did"),
    ("kind", "an entry kind (`signed_in`, `case_moved`, …)"),
    ("from", "at or after (milliseconds since the epoch)"),
    ("to", "before (milliseconds since the epoch)"),
    ("cursor", "`next_cursor` of the previous page"),
    ("limit", "entries per page"),
];

fn parameters(route: &Route) -> Vec<Value> {
    let mut params: Vec<Value> = route
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let schema = if UUID_PARAMS.contains(&name) {
                json!({ "type": "string", "format": "uuid" })
            } else {
                json!({ "type": "string" })
            };
            json!({ "name": name, "in": "path", "required": true, "schema": schema })
        })
        .collect();
    // An export reads every page: no cursor, no limit.
    let export = matches!(
        route.id,
        RouteId::ExportCases | RouteId::ExportBrandAudit | RouteId::ExportAdminAudit
    );
    let paging = |(name, _): &&(&str, &str)| !(export && matches!(*name, "cursor" | "limit"));
    if matches!(route.id, RouteId::ListCases | RouteId::ExportCases) {
        params.extend(CASE_FILTERS.iter().filter(paging).map(|(name, what)| {
            json!({ "name": name, "in": "query", "required": false, "description": what,
                    "schema": { "type": "string" } })
        }));
    }
    // The list's order (`case_list::CaseSort`); the export follows the list's.
    if matches!(route.id, RouteId::ListCases | RouteId::ExportCases) {
        let sorts: Vec<&str> = CaseSort::ALL.iter().map(|s| s.as_str()).collect();
        params.push(json!({ "name": "sort", "in": "query", "required": false,
            "description": "the order: created, updated, deadline (cases without one last either way) or status; `-` in front for descending; `-created` (newest first) when absent. A cursor continues only the sort it came from; anything else is refused 400 (`sort_codes`, `cursor_other_sort`)",
            "schema": { "type": "string", "enum": sorts, "default": "-created" } }));
    }
    if route.id == RouteId::SearchListings {
        params.extend(SEARCH_PARAMS.iter().map(|(name, what)| {
            json!({ "name": name, "in": "query", "required": *name == "q", "description": what,
                    "schema": { "type": "string" } })
        }));
    }
    if route.id == RouteId::StaffPortfolio {
        params.extend(PORTFOLIO_FILTERS.iter().map(|(name, what)| {
            json!({ "name": name, "in": "query", "required": false, "description": what,
                    "schema": { "type": "string" } })
        }));
    }
    if matches!(
        route.id,
        RouteId::BrandAudit
            | RouteId::MyAudit
            | RouteId::AdminAudit
            | RouteId::ExportBrandAudit
            | RouteId::ExportAdminAudit
    ) {
        params.extend(AUDIT_FILTERS.iter().filter(paging).map(|(name, what)| {
            json!({ "name": name, "in": "query", "required": false, "description": what,
                    "schema": { "type": "string" } })
        }));
    }
    if route.access == Access::Signed {
        params.extend(
            ["webhook-id", "webhook-timestamp", "webhook-signature"]
                .iter()
                .map(|name| {
                    json!({ "name": name, "in": "header", "required": true, "schema": { "type": "string" } })
                }),
        );
    }
    params
}

fn success_response(route: &Route, success: &Success) -> Value {
    let mut response = match success {
        Success::Json(_, schema) => json!({ "description": "Success",
            "content": { "application/json": { "schema": schema } } }),
        Success::NoContent => json!({ "description": "Done (no content)" }),
        Success::Csv => json!({ "description": "A CSV download (UTF-8)",
            "content": { "text/csv": { "schema": { "type": "string" } } } }),
        Success::File => {
            let content: Map<String, Value> =
                ["image/png", "image/jpeg", "image/webp", "application/pdf"]
                    .iter()
                    .map(|ct| ((*ct).to_owned(), json!({})))
                    .collect();
            json!({ "description": "The stored file, in its own content type", "content": content })
        }
    };
    let cookie = match route.id {
        RouteId::Login | RouteId::SetPassword => Some("the session cookie"),
        RouteId::AcceptInvitation => Some("the session cookie, when a new account was made"),
        RouteId::Logout => Some("an expired session cookie"),
        _ => None,
    };
    if let Some(what) = cookie {
        response["headers"] =
            json!({ "Set-Cookie": { "description": what, "schema": { "type": "string" } } });
    }
    response
}

fn request_body(route: &Route, takes: &Takes) -> Option<Value> {
    // The guard checks the content type of every route that takes a body, so even an empty body
    // goes as `application/json`: the body is documented as required either way.
    let (json_schema, description) = match takes {
        Takes::Nothing => (None, None),
        Takes::Json(schema) => (Some(schema), None),
        Takes::JsonOrEmpty(schema) => (
            Some(schema),
            Some(
                "Every field may be left out: `{}` (or an empty body, sent as `application/json`).",
            ),
        ),
    };
    let content: Map<String, Value> = route
        .body
        .accepts()
        .iter()
        .map(|ct| {
            let schema = match *ct {
                "application/json" => json_schema.cloned().unwrap_or_else(|| json!({})),
                "multipart/form-data" => multipart_schema(route.body),
                _ => json!({ "type": "string", "description": "CSV in the columns of the bulk template" }),
            };
            ((*ct).to_owned(), json!({ "schema": schema }))
        })
        .collect();
    if content.is_empty() {
        return None;
    }
    let mut body = json!({ "required": true, "content": content });
    if let Some(description) = description {
        body["description"] = description.into();
    }
    Some(body)
}

/// Adds `from`'s schemas to `into`; a name already there with another schema is a clash.
fn merge(into: &mut Map<String, Value>, from: Map<String, Value>, clashes: &mut Vec<String>) {
    for (name, schema) in from {
        match into.get(&name) {
            Some(existing) if *existing != schema => clashes.push(name),
            _ => {
                into.insert(name, schema);
            }
        }
    }
}

/// The document and the names of schemas that would have been defined twice, differently
/// (a unit test insists there are none).
fn build() -> (Value, Vec<String>) {
    let mut s = Schemas::new();
    let mut paths = Map::new();
    for route in ROUTES {
        let (takes, success) = exchange(route.id, &mut s);
        let access = match route.access {
            Access::Public => "public".to_owned(),
            Access::Optional => "public, session optional".to_owned(),
            Access::Person => "signed_in".to_owned(),
            Access::Brand(action) => format!("brand:{action:?}"),
            Access::Staff(StaffArea::Manager) => "staff:manager".to_owned(),
            Access::Staff(StaffArea::Admin) => "staff:operator".to_owned(),
            Access::Signed => "marketplace webhook signature".to_owned(),
        };
        let mut responses = Map::new();
        let mut answer = success_response(route, &success);
        let leads_to = links::links_from(route);
        if !leads_to.is_empty() {
            answer["links"] = Value::Object(leads_to);
        }
        responses.insert(success.status().to_string(), answer);
        responses.insert(
            "default".into(),
            json!({ "description": "Error", "content": { "application/json": { "schema": component(ERROR) } } }),
        );
        if let Some(limited) = rate_limited_response(route) {
            responses.insert("429".into(), limited);
        }
        responses.insert(
            "503".into(),
            retry_response(
                "The database failed in a way that passes (`service_unavailable`), or the \
                 marketplace did not answer (`marketplace_unavailable`): try again after \
                 `Retry-After` seconds",
            ),
        );
        let mut op = json!({
            "operationId": format!("{:?}", route.id),
            "summary": route.summary,
            "parameters": parameters(route),
            "x-access": access,
            "responses": responses,
        });
        match route.access {
            Access::Public | Access::Optional | Access::Signed => op["security"] = json!([]),
            Access::Brand(_) => op["security"] = json!([{ "session": [] }, { "api_key": [] }]),
            Access::Person | Access::Staff(_) => {}
        }
        if let Some(body) = request_body(route, &takes) {
            op["requestBody"] = body;
        }
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[route.method.as_str().to_lowercase()] = op;
    }

    let error = error_schema(&mut s);
    let mut schemas = Map::new();
    let mut clashes = Vec::new();
    merge(&mut schemas, s.output.take_definitions(true), &mut clashes);
    merge(&mut schemas, s.input.take_definitions(true), &mut clashes);
    let own = Map::from_iter([
        (ERROR.to_owned(), error),
        (RECEIPT.to_owned(), receipt_schema()),
        (MARKETPLACE_EVENT.to_owned(), marketplace_event_schema()),
    ]);
    merge(&mut schemas, own, &mut clashes);

    let document = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": { "title": "JointForce API", "version": "1" },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "jf_session",
                    "description": "`__Host-jf_session` over https" },
                "api_key": { "type": "http", "scheme": "bearer",
                    "description": "a brand's API key (`jfk_…`), for that brand's routes" }
            },
            "schemas": schemas
        },
        "security": [{ "session": [] }]
    });
    (document, clashes)
}

pub fn document() -> Value {
    build().0
}

/// The documented JSON body schema and success answer of one route.
pub fn route_exchange(id: RouteId) -> (Takes, Success) {
    exchange(id, &mut Schemas::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    /// The schema at a JSON pointer into an answer of `schema`, through `$ref`s, arrays and
    /// nullable alternatives.
    fn schema_at<'a>(doc: &'a Value, schema: &'a Value, pointer: &[&str]) -> Option<&'a Value> {
        if let Some(Value::String(r)) = schema.get("$ref") {
            return schema_at(doc, doc.pointer(r.strip_prefix('#')?)?, pointer);
        }
        for alternatives in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(options)) = schema.get(alternatives) {
                return options.iter().find_map(|o| schema_at(doc, o, pointer));
            }
        }
        let Some((first, rest)) = pointer.split_first() else {
            return Some(schema);
        };
        let next = if first.parse::<usize>().is_ok() {
            schema.get("items")?
        } else {
            schema.get("properties")?.get(*first)?
        };
        schema_at(doc, next, rest)
    }

    #[test]
    fn every_link_fills_each_parameter_of_its_target_from_a_real_field() {
        let doc = document();
        let mut count = 0;
        for route in ROUTES {
            let op = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
            let Some((_, answer)) = op["responses"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(status, _)| status.starts_with('2'))
            else {
                continue;
            };
            let Some(found) = answer.get("links").and_then(Value::as_object) else {
                continue;
            };
            let schema = &answer["content"]["application/json"]["schema"];
            for (name, link) in found {
                count += 1;
                let target = ROUTES
                    .iter()
                    .find(|r| format!("{:?}", r.id) == link["operationId"].as_str().unwrap())
                    .unwrap_or_else(|| panic!("{name}: no such operation"));
                let given = link["parameters"].as_object().unwrap();
                for p in links::path_parameters(target) {
                    let from = given[p]
                        .as_str()
                        .unwrap_or_else(|| panic!("{name}: no {p}"));
                    if let Some(pointer) = from.strip_prefix("$response.body#/") {
                        let parts: Vec<&str> = pointer.split('/').collect();
                        assert!(
                            schema_at(&doc, schema, &parts).is_some(),
                            "{name}: {from} is not in the answer of {:?}",
                            route.id
                        );
                    } else {
                        let own = from.strip_prefix("$request.path.").unwrap();
                        assert!(
                            links::path_parameters(route).contains(&own),
                            "{name}: {:?} has no {own} in its path",
                            route.id
                        );
                    }
                }
                assert_eq!(given.len(), links::path_parameters(target).len(), "{name}");
            }
        }
        let expected: usize = links::LINKS.iter().map(|l| l.to.len()).sum();
        assert_eq!(
            count, expected,
            "every link in the table is in the document"
        );
    }

    #[test]
    fn every_ref_resolves_and_no_schema_is_defined_twice() {
        let (doc, clashes) = build();
        assert!(
            clashes.is_empty(),
            "defined twice, differently: {clashes:?}"
        );
        assert_eq!(doc["openapi"], "3.1.0");
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(found.len() > 50, "{}", found.len());
        for r in found {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("not local: {r}"));
            assert!(
                pointer.starts_with("/components/schemas/"),
                "{r} points outside the components"
            );
            assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
        }
        // Every named schema is used (reached from a path or another schema).
        let text = doc["paths"].to_string() + &doc["components"]["schemas"].to_string();
        for name in doc["components"]["schemas"].as_object().unwrap().keys() {
            assert!(
                text.contains(&format!("\"#/components/schemas/{name}\"")),
                "{name} is never used"
            );
        }
    }

    #[test]
    fn every_route_documents_its_success_and_its_json_body() {
        let doc = document();
        for route in ROUTES {
            let op = &doc["paths"][route.path][route.method.as_str().to_lowercase()];
            let (takes, success) = route_exchange(route.id);
            let documented = &op["responses"][success.status().to_string()];
            assert!(documented.is_object(), "{:?}", route.id);
            if let Success::Json(..) = success {
                assert!(
                    documented["content"]["application/json"]["schema"].is_object(),
                    "{:?}",
                    route.id
                );
            }
            // A JSON body is documented exactly where the route table accepts JSON.
            let json_route = route.body.accepts().contains(&"application/json");
            assert_eq!(
                json_route,
                takes != Takes::Nothing,
                "{:?}: route table and exchange disagree",
                route.id
            );
            // A body that may be empty must have nothing required.
            if let Takes::JsonOrEmpty(schema) = &takes {
                let name = schema["$ref"].as_str().unwrap().trim_start_matches('#');
                let required = doc.pointer(name).unwrap().get("required");
                assert!(
                    required.is_none_or(|r| r == &json!([])),
                    "{:?}: {required:?}",
                    route.id
                );
            }
            let body = &op["requestBody"]["content"];
            for ct in route.body.accepts() {
                assert!(body[*ct]["schema"].is_object(), "{:?} {ct}", route.id);
            }
            if json_route {
                let schema = &body["application/json"]["schema"];
                assert!(
                    schema.get("$ref").is_some() || schema.get("type").is_some(),
                    "{:?}",
                    route.id
                );
            }
        }
    }

    #[test]
    fn answers_describe_nulls_and_requests_their_defaults() {
        let doc = document();
        let schemas = &doc["components"]["schemas"];
        // An answer always carries its optional fields, as null when there is nothing.
        let brand = &schemas["BrandView"];
        let required: Vec<&str> = brand["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(required.contains(&"suspension_reason"), "{brand}");
        assert_eq!(
            brand["properties"]["suspension_reason"]["type"],
            json!(["string", "null"])
        );
        assert!(
            brand["properties"]["account_manager"]["anyOf"]
                .as_array()
                .unwrap()
                .contains(&json!({ "type": "null" })),
            "{brand}"
        );
        // A request may leave out what has a default.
        let create = &schemas["CreateUserRequest"];
        let required = create["required"].as_array().unwrap();
        assert!(!required.contains(&json!("staff_role")), "{create}");
        assert!(required.contains(&json!("email")), "{create}");
        // Ids are UUIDs, each its own named schema.
        assert_eq!(
            schemas["UserView"]["properties"]["id"]["$ref"],
            "#/components/schemas/UserId"
        );
        assert_eq!(schemas["UserId"]["format"], "uuid");
        // The error body keeps its real shape.
        let error = &schemas["Error"]["properties"]["error"]["properties"];
        for key in [
            "code", "message", "field", "reason", "args", "case_id", "rows",
        ] {
            assert!(error[key].is_object(), "{key}");
        }
    }

    #[test]
    fn the_error_schema_holds_real_error_bodies() {
        // Every key an error body can carry is documented (the schema forbids any other).
        let documented = document()["components"]["schemas"]["Error"]["properties"]["error"]
            ["properties"]
            .clone();
        let bodies = [
            crate::Error::invalid("email", "must be an email address").body(),
            crate::Error::OpenCase("c1".into()).body(),
            crate::Error::InvalidRows(vec![(
                2,
                crate::reasons::RowProblem::Invalid {
                    column: crate::api::BulkColumn::Listing,
                    why: crate::reasons::Reason::Empty.into(),
                },
            )])
            .body(),
            crate::Error::NotFound.body(),
            crate::Error::RateLimited {
                kind: LimitKind::Exports,
                retry_after_secs: 9,
            }
            .body(),
        ];
        for body in bodies {
            for key in body["error"].as_object().unwrap().keys() {
                assert!(documented.get(key).is_some(), "{key} undocumented: {body}");
            }
        }
    }

    #[test]
    fn counted_routes_document_429_and_every_route_503_with_retry_after() {
        let doc = document();
        for route in ROUTES {
            let responses =
                &doc["paths"][route.path][route.method.as_str().to_lowercase()]["responses"];
            let counted = !matches!(route.access, Access::Public | Access::Signed);
            assert_eq!(responses["429"].is_object(), counted, "{:?}", route.id);
            for status in ["429", "503"] {
                let r = &responses[status];
                if r.is_object() {
                    assert_eq!(
                        r["headers"]["Retry-After"]["schema"]["type"], "integer",
                        "{:?} {status}",
                        route.id
                    );
                    assert!(r["content"]["application/json"]["schema"].is_object());
                }
            }
            assert!(responses["503"].is_object(), "{:?}", route.id);
            let says_exports = responses["429"]["description"]
                .as_str()
                .is_some_and(|d| d.contains("5 exports a minute"));
            assert_eq!(says_exports, limits::is_export(route), "{:?}", route.id);
        }
    }
}
