//! `/invite/:token`: what a one-time link offers, and accepting it (with one's password, or by
//! choosing a name and a first password).

use crate::components::{role_key, Arg, ErrorSlot, ErrorText, KeyError, Loading, Tpl};
use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key};
use crate::pages::login::AuthFrame;
use crate::state::use_app;
use jf_core::api::{AcceptInvitationRequest, InvitationView, Me};
use jf_core::types::NewPassword;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

#[component]
pub fn InvitePage() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let invitation = http::resource(Signal::derive(move || {
        format!("/api/v1/invitations/{}", http::segment(&token.get()))
    }));
    view! {
        <AuthFrame>
            <section class="card auth-card" id="invitation">
                <Transition fallback=|| view! { <Loading /> }>
                    {move || {
                        invitation
                            .get()
                            .map(|result| match http::decode::<InvitationView>(result) {
                                Ok(view) => view! { <AcceptForm token=token.get_untracked() view=view /> }.into_any(),
                                Err(err) if err.is_not_found() => {
                                    view! {
                                        <h1>{tr.s(Key::InviteInvalidTitle)}</h1>
                                        <p class="error" role="alert" id="invitation-invalid">
                                            {tr.s(Key::InviteInvalid)}
                                        </p>
                                        <a class="btn btn-secondary" href="/login">{tr.s(Key::GoToSignIn)}</a>
                                    }
                                        .into_any()
                                }
                                Err(err) => view! {
                                    <h1>{tr.s(Key::SomethingWrong)}</h1>
                                    <ErrorText err=err />
                                }
                                .into_any(),
                            })
                    }}
                </Transition>
            </section>
        </AuthFrame>
    }
}

#[component]
fn AcceptForm(token: String, view: InvitationView) -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    let navigate = use_navigate();
    let exists = view.account_exists;
    let joins_brand = view.brand_name.is_some();
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);

    let url = format!("/api/v1/invitations/{}/accept", http::segment(&token));
    let accept = Action::new_local(move |req: &AcceptInvitationRequest| {
        let req = req.clone();
        let url = url.clone();
        let navigate = navigate.clone();
        async move {
            let me = http::post(&url, &req).await?;
            http::decode::<Me>(Ok(me.clone()))?;
            app.signed_in(me);
            navigate("/", NavigateOptions::default());
            Ok::<(), ApiError>(())
        }
    });
    let pending = accept.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let pw = password.get_untracked();
        if !exists && pw.chars().count() < NewPassword::MIN_CHARS {
            too_short.set(true);
            return;
        }
        too_short.set(false);
        let name = display_name.get_untracked().trim().to_owned();
        accept.dispatch(AcceptInvitationRequest {
            display_name: (!exists && !name.is_empty()).then_some(name),
            password: pw,
        });
    };

    let email = view.email.clone();
    let expires = view.expires_at;
    let offer = match (view.brand_name.clone(), view.role) {
        (Some(brand), Some(role)) => view! {
            <Tpl key=Key::InviteOffer args=vec![Arg::Data(brand), Arg::Text(role_key(role))] />
        }
        .into_any(),
        (Some(brand), None) => {
            view! { <Tpl key=Key::InviteOfferNoRole args=vec![Arg::Data(brand)] /> }.into_any()
        }
        _ => tr.s(Key::SetPasswordOffer).into_any(),
    };
    let title = if exists {
        Key::InviteTitleExisting
    } else if joins_brand {
        Key::InviteTitleNew
    } else {
        Key::SetPasswordTitle
    };

    view! {
        <h1>{tr.s(title)}</h1>
        <p class="lead" id="invitation-offer">{offer}</p>
        <p class="hint">{tr.dated(Key::ExpiresOn, expires, true)}</p>
        <form class="form" on:submit=on_submit>
            <div class="field">
                <label for="invite-email">{tr.s(Key::Email)}</label>
                <input id="invite-email" type="email" class="input" autocomplete="username" readonly value=email />
            </div>
            {(!exists)
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="display-name">{tr.s(Key::DisplayName)}</label>
                            <input
                                id="display-name"
                                name="display_name"
                                class="input"
                                autocomplete="name"
                                maxlength="100"
                                required=joins_brand
                                bind:value=display_name
                            />
                        </div>
                    }
                })}
            <div class="field">
                <label for="password">
                    {tr.pick(move || if exists { Key::YourPassword } else { Key::ChoosePassword })}
                </label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    class="input"
                    autocomplete=if exists { "current-password" } else { "new-password" }
                    minlength=if exists { None } else { Some("10") }
                    required
                    aria-describedby="password-hint"
                    bind:value=password
                />
                <p class="hint" id="password-hint">
                    {tr.pick(move || if exists { Key::EnterPasswordToAccept } else { Key::PasswordRule })}
                </p>
            </div>
            <KeyError key=Signal::derive(move || too_short.get().then_some(Key::PasswordTooShort)) />
            <ErrorSlot err=Signal::derive(move || accept.value().get().and_then(Result::err)) />
            <button id="accept" type="submit" class="btn btn-primary btn-block" disabled=pending>
                {tr.pick(move || if pending.get() { Key::Working } else { Key::AcceptInvitation })}
            </button>
        </form>
    }
}
