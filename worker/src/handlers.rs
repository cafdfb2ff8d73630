//! One arm per route: parse what the route takes, call its use case, map the answer.

use crate::guard::Admitted;
use crate::platform::WebCrypto;
use crate::reply::{self, session_cookie};
use jf_core::api::parse_json;
use jf_core::identity::{self, Deps, SignedIn, SESSION_ABSOLUTE};
use jf_core::ids::{BrandId, UserId};
use jf_core::routes::RouteId;
use jf_core::{Error, Result};
use worker::{Env, Response};

fn signed_in(a: &Admitted, s: SignedIn) -> Result<Response> {
    let response = reply::json(200, &s.me)?;
    reply::with_header(response, "set-cookie", &session_cookie(&s.session_token, a.secure, SESSION_ABSOLUTE / 1000))
}

fn brand(a: &Admitted) -> Result<BrandId> {
    a.brand_id.ok_or_else(|| Error::Internal("brand route without brand".into()))
}

fn param<'a>(a: &'a Admitted, name: &str) -> &'a str {
    a.params.get(name).unwrap_or_default()
}

pub async fn handle(a: Admitted, _env: &Env) -> Result<Response> {
    let deps = Deps { db: &a.db, clock: &a.clock, entropy: &WebCrypto };
    let actor = &a.actor;
    let token = a.session_token.as_deref().unwrap_or_default();
    match a.route.id {
        RouteId::OpenApi => reply::json(200, &jf_core::openapi::document()),
        RouteId::Login => {
            let s = identity::login(&deps, parse_json(&a.body)?).await?;
            signed_in(&a, s)
        }
        RouteId::Logout => {
            identity::logout(&deps, token).await?;
            reply::with_header(reply::no_content()?, "set-cookie", &session_cookie("", a.secure, 0))
        }
        RouteId::Session => reply::json(200, &identity::session(&deps, actor).await?),
        RouteId::Me => reply::json(200, &identity::me(&deps, actor).await?),
        RouteId::ChangePassword => {
            identity::change_password(&deps, actor, token, parse_json(&a.body)?).await?;
            reply::no_content()
        }
        RouteId::GetInvitation => reply::json(200, &identity::view_invitation(&deps, param(&a, "token")).await?),
        RouteId::AcceptInvitation => {
            let s = identity::accept_invitation(&deps, param(&a, "token"), parse_json(&a.body)?).await?;
            signed_in(&a, s)
        }
        RouteId::GetBrand => reply::json(200, &identity::get_brand(&deps, actor, brand(&a)?).await?),
        RouteId::ListMembers => reply::json(200, &identity::list_members(&deps, actor, brand(&a)?).await?),
        RouteId::InviteMember => {
            let link = identity::invite_member(&deps, actor, brand(&a)?, parse_json(&a.body)?).await?;
            reply::json(201, &link)
        }
        RouteId::ChangeMemberRole => {
            let user = UserId::parse(param(&a, "user_id"))?;
            let body = parse_json(&a.body)?;
            reply::json(200, &identity::change_member_role(&deps, actor, brand(&a)?, user, body).await?)
        }
        RouteId::RemoveMember => {
            let user = UserId::parse(param(&a, "user_id"))?;
            identity::remove_member(&deps, actor, brand(&a)?, user).await?;
            reply::no_content()
        }
        RouteId::StaffBrands => reply::json(200, &identity::staff_brands(&deps, actor).await?),
        RouteId::AdminListUsers => reply::json(200, &identity::admin_list_users(&deps, actor).await?),
        RouteId::AdminCreateUser => {
            reply::json(201, &identity::admin_create_user(&deps, actor, parse_json(&a.body)?).await?)
        }
        RouteId::AdminCreateBrand => {
            reply::json(201, &identity::admin_create_brand(&deps, actor, parse_json(&a.body)?).await?)
        }
        RouteId::AdminAddMember => {
            let brand_id = BrandId::parse(param(&a, "brand_id"))?;
            reply::json(201, &identity::admin_add_member(&deps, actor, brand_id, parse_json(&a.body)?).await?)
        }
        RouteId::AdminAssignManager => {
            let brand_id = BrandId::parse(param(&a, "brand_id"))?;
            reply::json(200, &identity::admin_assign_manager(&deps, actor, brand_id, parse_json(&a.body)?).await?)
        }
    }
}
