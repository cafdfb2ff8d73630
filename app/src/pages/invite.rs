//! `/invite/:token`: what an invitation offers, and accepting it.

use crate::components::{
    error_of, role_key, tpl_into, Arg, ErrorSlot, ErrorText, KeyError, Loading, Submit, Tpl,
};
use crate::http::{self, ApiError};
use crate::i18n::{dated, tr, Key};
use crate::pages::login::{AuthFrame, ForgotLink};
use crate::state;
use jf_core::api::{AcceptInvitationRequest, InvitationView, Me};
use jf_core::routes::RouteId;
use jf_core::types::NewPassword;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

/// A new address makes its account here (a name and a first password); an address that has an
/// account accepts signed in as that account, with one click: this page never asks for or sets
/// an existing account's password.
#[component]
pub fn Invite() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = LocalResource::new(move || {
        let path = http::api(RouteId::GetInvitation, &[&token()]);
        async move { http::get::<InvitationView>(&path).await }
    });
    let shown = move || match invitation.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(view)) => {
            let token = params.read_untracked().get("token").unwrap_or_default();
            view! { <Offer token view/> }.into_any()
        }
        Some(Err(e)) if e.is_not_found() => view! {
            <LinkGone
                title=Key::InviteInvalidTitle
                id="invitation-invalid"
                why=Key::InviteInvalid
            />
        }
        .into_any(),
        // Clicked again after accepting it.
        Some(Err(e)) if e.status == 409 => view! {
            <LinkGone
                title=Key::InviteInvalidTitle
                id="invitation-accepted"
                why=Key::InviteAccepted
            />
        }
        .into_any(),
        Some(Err(err)) => view! {
            <h1>{move || tr(Key::SomethingWrong)}</h1>
            <ErrorText err/>
        }
        .into_any(),
    };
    view! {
        <AuthFrame>
            <section class="card auth-card" id="invitation">{shown}</section>
        </AuthFrame>
    }
    .into_any()
}

/// What a one-time link that no longer works (used, cancelled, expired or never made) shows:
/// the reason in `#id`, and the way on — signing in, or asking for a new set-password link.
#[component]
pub fn LinkGone(
    title: Key,
    id: &'static str,
    why: Key,
    #[prop(optional)] offer_new_link: bool,
) -> impl IntoView {
    view! {
        <h1>{move || tr(title)}</h1>
        <p class="error" role="alert" id=id>{move || tr(why)}</p>
        <div class="stack">
            {offer_new_link.then(|| view! { <ForgotLink/> })}
            <a class="btn btn-secondary btn-block" href="/login">
                {move || tr(Key::GoToSignIn)}
            </a>
        </div>
    }
}

/// The invitation and how to accept it.
#[component]
fn Offer(token: String, view: InvitationView) -> impl IntoView {
    let InvitationView {
        email,
        brand_name,
        role,
        account_exists,
        signed_in_as_invitee,
        expires_at,
    } = view;
    let title = if account_exists {
        Key::InviteTitleExisting
    } else {
        Key::InviteTitleNew
    };
    let offer = vec![Arg::Data(brand_name.clone()), Arg::Text(role_key(role))];
    let how = if !account_exists {
        view! { <NewAccount token email brand=brand_name/> }.into_any()
    } else if signed_in_as_invitee {
        view! { <AcceptSignedIn token brand=brand_name/> }.into_any()
    } else {
        // Who is signed in here, if anyone, is another account than the invited one; signing
        // it out turns this into the way to sign in as the invited one.
        let other = Memo::new(move |_| state::me().map(|me| me.user.email));
        let email = StoredValue::new(email);
        let token = StoredValue::new(token);
        let either = move || match other.get() {
            Some(me) => view! { <SignedInAsOther email=email.get_value() me/> }.into_any(),
            None => view! { <SignInToAccept token=token.get_value() email=email.get_value()/> }
                .into_any(),
        };
        view! { <div>{either}</div> }.into_any()
    };
    view! {
        <div>
            <h1>{move || tr(title)}</h1>
            <p class="lead" id="invitation-offer">
                <Tpl key=Key::InviteOffer args=offer/>
            </p>
            <p class="hint">{move || dated(Key::ExpiresOn, expires_at, true)}</p>
            {how}
        </div>
    }
}

/// Records who is signed in now (the `Me` accepting answers); the path of the brand just joined.
fn go_to_brand(me: Me, brand_name: &str) -> String {
    let before: Vec<String> = untrack(state::me)
        .map(|m| {
            m.memberships
                .iter()
                .map(|m| m.brand_id.to_string())
                .collect()
        })
        .unwrap_or_default();
    let memberships = me.memberships.clone();
    state::set_me(Some(me));
    // The membership that is new and has the brand's name; brand names are not unique, so
    // a new one comes first.
    let joined = memberships
        .iter()
        .filter(|m| !before.contains(&m.brand_id.to_string()))
        .chain(memberships.iter())
        .find(|m| m.brand_name == brand_name);
    joined.map_or_else(|| "/".to_owned(), |m| format!("/brands/{}", m.brand_id))
}

/// Accepting the invitation at `token`: records who is signed in and opens the brand joined.
fn accept_action(
    token: String,
    brand: String,
) -> Action<AcceptInvitationRequest, Result<(), ApiError>> {
    let navigate = use_navigate();
    Action::new_local(move |body: &AcceptInvitationRequest| {
        let (body, navigate) = (body.clone(), navigate.clone());
        let path = http::api(RouteId::AcceptInvitation, &[&token]);
        let brand = brand.clone();
        async move {
            let me = http::post::<_, Me>(&path, &body).await?;
            let to = go_to_brand(me, &brand);
            navigate(&to, Default::default());
            Ok(())
        }
    })
}

/// The invited address has no account: a name and a first password make it, and sign it in.
#[component]
fn NewAccount(token: String, email: String, brand: String) -> impl IntoView {
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);
    let accept = accept_action(token, brand);
    let pending = accept.pending();
    let short = move || {
        too_short
            .get()
            .then(|| view! { <KeyError key=Key::PasswordTooShort/> })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let password = password.get_untracked();
        if password.chars().count() < NewPassword::MIN_CHARS {
            too_short.set(true);
            return;
        }
        too_short.set(false);
        accept.dispatch_local(AcceptInvitationRequest {
            display_name: Some(display_name.get_untracked().trim().to_owned()),
            password: Some(password),
        });
    };
    view! {
        <form class="form" on:submit=submit>
            <div class="field">
                <label for="invite-email">{move || tr(Key::Email)}</label>
                <input
                    class="input"
                    id="invite-email"
                    type="email"
                    autocomplete="username"
                    readonly
                    value=email
                />
            </div>
            <div class="field">
                <label for="display-name">{move || tr(Key::DisplayName)}</label>
                <input
                    class="input"
                    id="display-name"
                    name="display_name"
                    autocomplete="name"
                    maxlength="100"
                    required
                    bind:value=display_name
                />
            </div>
            <div class="field">
                <label for="password">{move || tr(Key::ChoosePassword)}</label>
                <input
                    class="input"
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    minlength=NewPassword::MIN_CHARS.to_string()
                    required
                    aria-describedby="password-hint"
                    bind:value=password
                />
                <p class="hint" id="password-hint">{move || tr(Key::PasswordRule)}</p>
            </div>
            <div>{short}</div>
            <ErrorSlot err=error_of(accept)/>
            <Submit
                pending
                id="accept"
                class="btn btn-primary btn-block"
                idle=Key::CreateAccountAndJoin
                busy=Key::Working
            />
        </form>
    }
}

/// The invited account is the one signed in: accepting is one click.
#[component]
fn AcceptSignedIn(token: String, brand: String) -> impl IntoView {
    let accept = accept_action(token, brand);
    let pending = accept.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            accept.dispatch_local(AcceptInvitationRequest::default());
        }
    };
    view! {
        <form class="form" on:submit=submit>
            <ErrorSlot err=error_of(accept)/>
            <Submit
                pending
                id="accept"
                class="btn btn-primary btn-block"
                idle=Key::AcceptInvitation
                busy=Key::Working
            />
        </form>
    }
}

/// The invited address has an account and nobody is signed in: sign in as it, then come back
/// here (`?next=`) to accept.
#[component]
fn SignInToAccept(token: String, email: String) -> impl IntoView {
    let back = format!("/invite/{}", http::encode(&token));
    let href = format!("/login?next={}", http::encode(&back));
    view! {
        <div class="stack">
            <p id="invitation-sign-in">
                {tpl_into(Key::InviteHasAccount, vec![Arg::Data(email)], "")}
            </p>
            // The address is said just above: the button stays one short line on a phone.
            <a class="btn btn-primary btn-block" id="sign-in-to-accept" href=href>
                {move || tr(Key::SignInToAccept)}
            </a>
            <p class="hint">{move || tr(Key::NoPasswordYet)}</p>
            <ForgotLink/>
        </div>
    }
}

/// Another account (`me`) is signed in here: say so, and offer to sign it out.
#[component]
fn SignedInAsOther(email: String, me: String) -> impl IntoView {
    let sign_out = Action::new_local(move |_: &()| async move {
        http::post_empty::<http::Ignored>(&http::api(RouteId::Logout, &[])).await?;
        state::set_me(None);
        Ok::<_, ApiError>(())
    });
    let pending = sign_out.pending();
    view! {
        <div class="stack">
            <p class="notice notice-warn" id="invitation-other-account" role="status">
                {tpl_into(Key::InviteOtherAccount, vec![Arg::Data(me), Arg::Data(email)], "")}
            </p>
            <ErrorSlot err=error_of(sign_out)/>
            <button
                type="button"
                class="btn btn-primary btn-block"
                id="sign-out-to-accept"
                disabled=move || pending.get()
                on:click=move |_| {
                    if !pending.get_untracked() {
                        sign_out.dispatch_local(());
                    }
                }
            >
                {move || tr(Key::SignOut)}
            </button>
        </div>
    }
}
