//! One arm per route: parse what the route takes, call its use case, map the answer.

use crate::email::WorkerMailer;
use crate::guard::Admitted;
use crate::marketplace::{settings, KvFiles, MarketplaceHttp};
use crate::platform::WebCrypto;
use crate::reply::{self, session_cookie};
use jf_core::api::{parse_json, NoteRequest, ReasonRequest};
use jf_core::case::Status;
use jf_core::cases::{self, CaseQuery, Decision, Ports};
use jf_core::form::Part;
use jf_core::identity::mail::Mailer;
use jf_core::identity::{self, Deps, SignedIn, SESSION_ABSOLUTE};
use jf_core::ids::{ActionId, BrandId, CaseId, FileId, InvitationId, IpRightId, UserId};
use jf_core::outbox::{self, Owed};
use jf_core::routes::RouteId;
use jf_core::{audit, integrations, marketplace, notifications, Error, Result};
use worker::{Context, Env, Response};

fn signed_in(a: &Admitted, s: SignedIn) -> Result<Response> {
    let response = reply::json(200, &s.me)?;
    reply::with_header(
        response,
        "set-cookie",
        &session_cookie(&s.session_token, a.secure, SESSION_ABSOLUTE / 1000),
    )
}

fn brand(a: &Admitted) -> Result<BrandId> {
    a.brand_id
        .ok_or_else(|| Error::internal("brand route without brand"))
}

fn param<'a>(a: &'a Admitted, name: &str) -> &'a str {
    a.params.get(name).unwrap_or_default()
}

fn case_id(a: &Admitted) -> Result<CaseId> {
    CaseId::parse(param(a, "case_id"))
}

fn right_id(a: &Admitted) -> Result<IpRightId> {
    IpRightId::parse(param(a, "right_id"))
}

fn parts(a: &Admitted) -> Result<&[Part]> {
    a.form
        .as_deref()
        .ok_or_else(|| Error::invalid("content-type", "must be multipart/form-data"))
}

fn is_multipart(a: &Admitted) -> bool {
    a.form.is_some()
}

/// Optional JSON body: an empty body reads as the type's default.
fn json_or_default<T: serde::de::DeserializeOwned + Default>(a: &Admitted) -> Result<T> {
    if a.body.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        parse_json(&a.body)
    }
}

/// Sends the actions a request wrote right away, after the answer has gone out; what fails
/// here stays in the outbox for the cron.
fn deliver_soon(ctx: &Context, env: &Env, owed: Owed) {
    if owed.is_empty() {
        return;
    }
    let env = env.clone();
    ctx.wait_until(async move {
        if let Err(e) = deliver_now(&env, owed).await {
            worker::console_error!(
                "immediate delivery failed (the cron will retry): {}",
                e.log_message()
            );
        }
    });
}

/// A D1 handle of its own, for work that outlives the request's borrow (a stream, `wait_until`).
fn own_db(env: &Env) -> Result<crate::d1::D1> {
    env.d1("DB")
        .map(crate::d1::D1)
        .map_err(|e| reply::platform("the DB binding", e))
}

async fn deliver_now(env: &Env, owed: Owed) -> Result<()> {
    let db = own_db(env)?;
    let clock = crate::platform::WorkerClock::for_env(env).await?;
    let market = MarketplaceHttp::from_env(env)?;
    let deps = Deps {
        db: &db,
        clock: &clock,
        entropy: &WebCrypto,
        address: None,
    };
    owed.send(&deps, &market).await?;
    Ok(())
}

async fn decision(a: &Admitted, env: &Env, ctx: &Context, d: Decision) -> Result<Response> {
    let deps = Deps {
        db: &a.db,
        clock: &a.clock,
        entropy: &WebCrypto,
        address: a.client.known_address(),
    };
    let (view, owed) = cases::decide(&deps, &a.actor, brand(a)?, case_id(a)?, d).await?;
    deliver_soon(ctx, env, owed);
    reply::json(200, &view)
}

fn query(a: &Admitted) -> Result<CaseQuery> {
    query_of(a)
}

/// A query string read as the filters of a list.
fn query_of<T: serde::de::DeserializeOwned>(a: &Admitted) -> Result<T> {
    let map: serde_json::Map<String, serde_json::Value> = a
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| Error::invalid("query", e.to_string()))
}

pub async fn handle(a: Admitted, env: &Env, ctx: &Context) -> Result<Response> {
    let deps = Deps {
        db: &a.db,
        clock: &a.clock,
        entropy: &WebCrypto,
        address: a.client.known_address(),
    };
    let actor = &a.actor;
    let token = a.session_token.as_deref().unwrap_or_default();
    match a.route.id {
        RouteId::OpenApi => reply::json(200, &jf_core::openapi::document()),
        RouteId::Login => {
            let s = identity::login(&deps, &a.client, parse_json(&a.body)?).await?;
            signed_in(&a, s)
        }
        RouteId::Session => reply::json(200, &identity::session(&deps, actor).await?),
        RouteId::Logout => {
            identity::logout(&deps, actor, token).await?;
            reply::with_header(
                reply::no_content()?,
                "set-cookie",
                &session_cookie("", a.secure, 0),
            )
        }
        RouteId::Me => reply::json(200, &identity::me(&deps, actor).await?),
        RouteId::ChangePassword => {
            identity::change_password(&deps, actor, &a.client, token, parse_json(&a.body)?).await?;
            reply::no_content()
        }
        RouteId::MySessions => reply::json(200, &identity::my_sessions(&deps, actor, token).await?),
        RouteId::EndMySession => {
            identity::end_my_session(&deps, actor, param(&a, "session_id")).await?;
            reply::no_content()
        }
        RouteId::EndOtherSessions => {
            identity::end_other_sessions(&deps, actor, token).await?;
            reply::no_content()
        }
        RouteId::RequestPasswordLink => {
            let mailer = WorkerMailer::from_env(env)?;
            let mail = identity::request_password_link(
                &deps,
                mailer.site_url(),
                &a.client,
                parse_json(&a.body)?,
            )
            .await?;
            // Sent after the answer, so its timing says nothing about whether the account exists.
            if let Some(mail) = mail {
                ctx.wait_until(async move {
                    if let Err(e) = mailer.send(mail).await {
                        worker::console_error!("set-password email not sent: {}", e.log_message());
                    }
                });
            }
            reply::json(202, &serde_json::json!({}))
        }
        RouteId::GetPasswordLink => reply::json(
            200,
            &identity::view_password_link(&deps, &a.client, param(&a, "token")).await?,
        ),
        RouteId::SetPassword => {
            let s = identity::set_password_with_link(
                &deps,
                &a.client,
                param(&a, "token"),
                parse_json(&a.body)?,
            )
            .await?;
            signed_in(&a, s)
        }
        RouteId::GetInvitation => reply::json(
            200,
            &identity::view_invitation(&deps, actor, &a.client, param(&a, "token")).await?,
        ),
        RouteId::AcceptInvitation => {
            let req = json_or_default(&a)?;
            match identity::accept_invitation(&deps, actor, &a.client, param(&a, "token"), req)
                .await?
            {
                identity::Accepted::Joined(me) => reply::json(200, &me),
                identity::Accepted::NewAccount(s) => signed_in(&a, s),
            }
        }
        RouteId::CancelInvitation => {
            let id = InvitationId::parse(param(&a, "invitation_id"))?;
            identity::cancel_invitation(&deps, actor, brand(&a)?, id).await?;
            reply::no_content()
        }
        RouteId::GetBrand => {
            reply::json(200, &identity::get_brand(&deps, actor, brand(&a)?).await?)
        }
        RouteId::ListMembers => reply::json(
            200,
            &identity::list_members(&deps, actor, brand(&a)?).await?,
        ),
        RouteId::InviteMember => {
            let mailer = WorkerMailer::from_env(env)?;
            let sent =
                identity::invite_member(&deps, &mailer, actor, brand(&a)?, parse_json(&a.body)?)
                    .await?;
            reply::json(201, &sent)
        }
        RouteId::ChangeMemberRole => {
            let user = UserId::parse(param(&a, "user_id"))?;
            let body = parse_json(&a.body)?;
            reply::json(
                200,
                &identity::change_member_role(&deps, actor, brand(&a)?, user, body).await?,
            )
        }
        RouteId::RemoveMember => {
            let user = UserId::parse(param(&a, "user_id"))?;
            identity::remove_member(&deps, actor, brand(&a)?, user).await?;
            reply::no_content()
        }
        RouteId::StaffBrands => reply::json(200, &identity::staff_brands(&deps, actor).await?),
        RouteId::StaffPortfolio => {
            reply::json(200, &cases::portfolio(&deps, actor, &query_of(&a)?).await?)
        }
        RouteId::AdminListUsers => {
            reply::json(200, &identity::admin_list_users(&deps, actor).await?)
        }
        RouteId::AdminCreateUser => {
            let mailer = WorkerMailer::from_env(env)?;
            reply::json(
                201,
                &identity::admin_create_user(&deps, &mailer, actor, parse_json(&a.body)?).await?,
            )
        }
        RouteId::AdminSendPasswordLink => {
            let mailer = WorkerMailer::from_env(env)?;
            let user = UserId::parse(param(&a, "user_id"))?;
            reply::json(
                202,
                &identity::admin_send_password_link(&deps, &mailer, actor, user).await?,
            )
        }
        RouteId::AdminDisableUser => {
            let user = UserId::parse(param(&a, "user_id"))?;
            reply::json(
                200,
                &identity::admin_disable_user(&deps, actor, user).await?,
            )
        }
        RouteId::AdminEnableUser => {
            let user = UserId::parse(param(&a, "user_id"))?;
            reply::json(200, &identity::admin_enable_user(&deps, actor, user).await?)
        }
        RouteId::AdminSetStaffRole => {
            let user = UserId::parse(param(&a, "user_id"))?;
            let body = parse_json(&a.body)?;
            reply::json(
                200,
                &identity::admin_set_staff_role(&deps, actor, user, body).await?,
            )
        }
        RouteId::AdminCreateBrand => reply::json(
            201,
            &identity::admin_create_brand(&deps, actor, parse_json(&a.body)?).await?,
        ),
        RouteId::AdminAddMember => {
            let brand_id = BrandId::parse(param(&a, "brand_id"))?;
            reply::json(
                201,
                &identity::admin_add_member(&deps, actor, brand_id, parse_json(&a.body)?).await?,
            )
        }
        RouteId::AdminAssignManager => {
            let brand_id = BrandId::parse(param(&a, "brand_id"))?;
            reply::json(
                200,
                &identity::admin_assign_manager(&deps, actor, brand_id, parse_json(&a.body)?)
                    .await?,
            )
        }
        RouteId::AdminSetProgramme => {
            let brand_id = BrandId::parse(param(&a, "brand_id"))?;
            reply::json(
                200,
                &identity::admin_set_programme(&deps, actor, brand_id, parse_json(&a.body)?)
                    .await?,
            )
        }
        RouteId::BrandStats => {
            reply::json(200, &cases::brand_stats(&deps, actor, brand(&a)?).await?)
        }
        RouteId::BrandDashboard => reply::json(
            200,
            &cases::brand_dashboard(&deps, actor, brand(&a)?).await?,
        ),
        RouteId::ListIpRights => {
            reply::json(200, &cases::list_ip_rights(&deps, actor, brand(&a)?).await?)
        }
        RouteId::CreateIpRight => reply::json(
            201,
            &cases::create_ip_right(&deps, actor, brand(&a)?, parse_json(&a.body)?).await?,
        ),
        RouteId::UploadCertificate => {
            let file = cases::single_file(parts(&a)?)?;
            let files = KvFiles::from_env(env)?;
            reply::json(
                200,
                &cases::upload_certificate(&deps, &files, actor, brand(&a)?, right_id(&a)?, file)
                    .await?,
            )
        }
        RouteId::GetCertificate => {
            let files = KvFiles::from_env(env)?;
            let (bytes, ct, name) =
                cases::certificate(&deps, &files, actor, brand(&a)?, right_id(&a)?).await?;
            reply::file(bytes, &ct, &name)
        }
        RouteId::ReviewIpRight => {
            let body = parse_json(&a.body)?;
            reply::json(
                200,
                &cases::review_ip_right(&deps, actor, brand(&a)?, right_id(&a)?, body).await?,
            )
        }
        RouteId::FileReport => {
            let (req, evidence) = if is_multipart(&a) {
                cases::report_from_multipart(parts(&a)?)?
            } else {
                (parse_json(&a.body)?, Vec::new())
            };
            let (files, market, settings) = (
                KvFiles::from_env(env)?,
                MarketplaceHttp::from_env(env)?,
                settings(env)?,
            );
            let ports = Ports {
                files: &files,
                market: &market,
                settings: &settings,
            };
            let (view, ids) =
                cases::file_report(&deps, &ports, actor, brand(&a)?, req, evidence).await?;
            deliver_soon(ctx, env, Owed::Actions(ids));
            reply::json(201, &view)
        }
        RouteId::BulkReports => {
            let csv = if is_multipart(&a) {
                parts(&a)?
                    .iter()
                    .find(|p| p.filename.is_some())
                    .map(|p| p.data.as_slice())
                    .ok_or_else(|| Error::invalid("file", "is missing"))?
            } else {
                a.body.as_slice()
            };
            let (filed, ids) =
                cases::bulk_file(&deps, &settings(env)?, actor, brand(&a)?, csv).await?;
            deliver_soon(ctx, env, Owed::Actions(ids));
            reply::json(201, &filed)
        }
        RouteId::SearchListings => {
            let market = MarketplaceHttp::from_env(env)?;
            let q: cases::ListingSearchQuery = query_of(&a)?;
            reply::json(
                200,
                &cases::search_listings(&deps, &market, actor, brand(&a)?, &q).await?,
            )
        }
        RouteId::BatchReports => {
            let (files, market, settings) = (
                KvFiles::from_env(env)?,
                MarketplaceHttp::from_env(env)?,
                settings(env)?,
            );
            let ports = Ports {
                files: &files,
                market: &market,
                settings: &settings,
            };
            let (filed, ids) =
                cases::batch_file(&deps, &ports, actor, brand(&a)?, parse_json(&a.body)?).await?;
            deliver_soon(ctx, env, Owed::Actions(ids));
            reply::json(201, &filed)
        }
        RouteId::BulkTemplate => reply::csv(
            cases::bulk_template(&deps, &settings(env)?, actor, brand(&a)?).await?,
            "jointforce-bulk-reports.csv",
        ),
        RouteId::ListCases => reply::json(
            200,
            &cases::list_cases(&deps, actor, brand(&a)?, &query(&a)?).await?,
        ),
        RouteId::ExportCases => {
            let export = cases::export_cases(own_db(env)?, actor, brand(&a)?, &query(&a)?)?;
            reply::csv_stream(export, "cases.csv").await
        }
        RouteId::GetCase => reply::json(
            200,
            &cases::case_file(&deps, actor, brand(&a)?, case_id(&a)?).await?,
        ),
        RouteId::ConfirmCase => {
            decision(&a, env, ctx, Decision::Confirm(parse_json(&a.body)?)).await
        }
        RouteId::RejectCase => decision(&a, env, ctx, Decision::Reject(json_or_default(&a)?)).await,
        RouteId::DecideMany => {
            let (answer, ids) =
                cases::decide_many(&deps, actor, brand(&a)?, parse_json(&a.body)?).await?;
            deliver_soon(ctx, env, Owed::Actions(ids));
            reply::json(200, &answer)
        }
        RouteId::WithdrawCase => {
            decision(&a, env, ctx, Decision::Withdraw(parse_json(&a.body)?)).await
        }
        RouteId::ApproveCase => {
            decision(&a, env, ctx, Decision::Approve(json_or_default(&a)?)).await
        }
        RouteId::DeclineCase => {
            decision(&a, env, ctx, Decision::Decline(parse_json(&a.body)?)).await
        }
        RouteId::RetryTakedown => {
            decision(
                &a,
                env,
                ctx,
                Decision::RetryTakedown(json_or_default::<NoteRequest>(&a)?),
            )
            .await
        }
        RouteId::GetEvidence => {
            let files = KvFiles::from_env(env)?;
            let file = FileId::parse(param(&a, "file_id"))?;
            let (bytes, ct, name) =
                cases::evidence_file(&deps, &files, actor, brand(&a)?, case_id(&a)?, file).await?;
            reply::file(bytes, &ct, &name)
        }
        RouteId::ReviewQueue => reply::json(
            200,
            &cases::staff_queue(&deps, actor, Status::UnderReview).await?,
        ),
        RouteId::ExpiredQueue => reply::json(
            200,
            &cases::staff_queue(&deps, actor, Status::Expired).await?,
        ),
        RouteId::FailedQueue => reply::json(
            200,
            &cases::staff_queue(&deps, actor, Status::TakedownFailed).await?,
        ),
        RouteId::PendingRights => reply::json(200, &cases::pending_rights(&deps, actor).await?),
        RouteId::DeadLetters => reply::json(200, &marketplace::dead_letters(&deps, actor).await?),
        RouteId::RetryDeadLetter => {
            let (receipt, ids) =
                marketplace::retry_dead_letter(&deps, actor, param(&a, "webhook_id")).await?;
            deliver_soon(ctx, env, Owed::Actions(ids));
            reply::json(200, &marketplace::retried(&receipt))
        }
        RouteId::DiscardDeadLetter => {
            let body: ReasonRequest = parse_json(&a.body)?;
            marketplace::discard_dead_letter(&deps, actor, param(&a, "webhook_id"), &body).await?;
            reply::no_content()
        }
        RouteId::DeadActions => reply::json(200, &outbox::dead_actions(&deps, actor).await?),
        RouteId::RetryDeadAction => {
            let id = ActionId::parse(param(&a, "action_id"))?;
            let view = outbox::retry_dead_action(&deps, actor, id).await?;
            deliver_soon(ctx, env, Owed::Actions(vec![id]));
            reply::json(200, &view)
        }
        RouteId::RetractCase => {
            decision(&a, env, ctx, Decision::Retract(json_or_default(&a)?)).await
        }
        RouteId::AnswerAppeal => {
            decision(&a, env, ctx, Decision::AppealResponse(parse_json(&a.body)?)).await
        }
        RouteId::ArbitrateCase => {
            decision(&a, env, ctx, Decision::Arbitrate(parse_json(&a.body)?)).await
        }
        RouteId::ArbitrationQueue => reply::json(
            200,
            &cases::staff_queue(&deps, actor, Status::InArbitration).await?,
        ),
        RouteId::BrandSeller => {
            let seller = param(&a, "seller_id");
            reply::json(
                200,
                &integrations::seller_page(&deps, actor, Some(brand(&a)?), seller).await?,
            )
        }
        RouteId::StaffSeller => {
            let seller = param(&a, "seller_id");
            reply::json(
                200,
                &integrations::seller_page(&deps, actor, None, seller).await?,
            )
        }
        RouteId::Reminders => reply::json(
            200,
            &integrations::reminders(&deps, actor, brand(&a)?).await?,
        ),
        RouteId::ListApiKeys => reply::json(
            200,
            &integrations::list_keys(&deps, actor, brand(&a)?).await?,
        ),
        RouteId::CreateApiKey => {
            let body = parse_json(&a.body)?;
            reply::json(
                201,
                &integrations::create_key(&deps, actor, brand(&a)?, body).await?,
            )
        }
        RouteId::RevokeApiKey => {
            integrations::revoke_key(&deps, actor, brand(&a)?, param(&a, "key_id")).await?;
            reply::no_content()
        }
        RouteId::ListEndpoints => reply::json(
            200,
            &integrations::list_endpoints(&deps, actor, brand(&a)?).await?,
        ),
        RouteId::CreateEndpoint => {
            let settings = crate::marketplace::webhook_settings(env)?;
            let body = parse_json(&a.body)?;
            let created =
                integrations::create_endpoint(&deps, actor, brand(&a)?, body, &settings).await?;
            reply::json(201, &created)
        }
        RouteId::DisableEndpoint => {
            integrations::disable_endpoint(&deps, actor, brand(&a)?, param(&a, "endpoint_id"))
                .await?;
            reply::no_content()
        }
        RouteId::EnableEndpoint => {
            integrations::enable_endpoint(&deps, actor, brand(&a)?, param(&a, "endpoint_id"))
                .await?;
            reply::no_content()
        }
        RouteId::DeleteEndpoint => {
            integrations::delete_endpoint(&deps, actor, brand(&a)?, param(&a, "endpoint_id"))
                .await?;
            reply::no_content()
        }
        RouteId::EndpointDeliveries => {
            let endpoint = param(&a, "endpoint_id");
            reply::json(
                200,
                &integrations::delivery_log(&deps, actor, brand(&a)?, endpoint).await?,
            )
        }
        RouteId::Redeliver => {
            integrations::redeliver(&deps, actor, brand(&a)?, param(&a, "delivery_id")).await?;
            reply::no_content()
        }
        // The audit log: read only.
        RouteId::BrandAudit => reply::json(
            200,
            &audit::brand_audit(&deps, actor, brand(&a)?, &query_of(&a)?).await?,
        ),
        RouteId::MyAudit => reply::json(200, &audit::my_audit(&deps, actor, &query_of(&a)?).await?),
        RouteId::MyNotifications => reply::json(
            200,
            &notifications::my_notifications(&deps, actor, &query_of(&a)?).await?,
        ),
        RouteId::MarkNotificationsRead => {
            notifications::mark_read(&deps, actor, parse_json(&a.body)?).await?;
            reply::no_content()
        }
        RouteId::MyNotificationSettings => {
            reply::json(200, &notifications::my_settings(&deps, actor).await?)
        }
        RouteId::SetNotificationSettings => reply::json(
            200,
            &notifications::set_settings(&deps, actor, parse_json(&a.body)?).await?,
        ),
        RouteId::SetMyLanguage => {
            notifications::set_language(&deps, actor, parse_json(&a.body)?).await?;
            reply::no_content()
        }
        RouteId::AdminAudit => {
            reply::json(200, &audit::all_audit(&deps, actor, &query_of(&a)?).await?)
        }
        RouteId::ExportBrandAudit => {
            let q = query_of(&a)?;
            let export = audit::export_brand_audit(own_db(env)?, actor, brand(&a)?, &q)?;
            reply::csv_stream(export, "audit.csv").await
        }
        RouteId::ExportAdminAudit => {
            let export = audit::export_all_audit(own_db(env)?, actor, &query_of(&a)?)?;
            reply::csv_stream(export, "audit.csv").await
        }
        RouteId::MarketplaceWebhook => {
            let webhook_id = a.webhook_id.as_deref().unwrap_or_default();
            let (receipt, ids) = marketplace::receive(&deps, webhook_id, &a.body).await?;
            deliver_soon(ctx, env, Owed::Actions(ids));
            reply::json(200, &serde_json::json!({ "outcome": receipt.outcome() }))
        }
    }
}
