//! `/brands/:brand_id/members`: who works on a brand. Brand admins also invite people (with a
//! one-time link to pass on), change roles and remove members.

use crate::components::{role_key, ErrorPanel, ErrorText, Loading, PageHeader, RoleBadge};
use crate::fmt;
use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::{brand_resource, initial, use_brand_id};
use crate::state::use_app;
use jf_core::api::{
    BrandView, ChangeRoleRequest, InvitationLink, InviteRequest, MemberView, MembersView, PendingInvitation,
    ViewerCapacity,
};
use jf_core::ids::UserId;
use jf_core::types::BrandRole;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

type Members = LocalResource<Result<MembersView, ApiError>>;

#[component]
pub fn MembersPage() -> impl IntoView {
    let brand_id = use_brand_id();
    let brand = brand_resource(brand_id);
    let members: Members = LocalResource::new(move || {
        let id = brand_id.get();
        async move { http::get::<MembersView>(&format!("/api/v1/brands/{}/members", http::segment(&id))).await }
    });
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || {
                brand
                    .get()
                    .map(|result| match result {
                        Ok(brand) => view! { <MembersContent brand=brand members=members /> }.into_any(),
                        Err(err) => view! { <ErrorPanel err=err not_found=Key::BrandNotFound /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

/// What a brand admin does to a member; kept above the list so an error stays visible after the
/// list reloads.
#[derive(Clone, Copy)]
struct MemberActions {
    change_role: Action<(UserId, BrandRole), Result<(), ApiError>>,
    remove: Action<UserId, Result<(), ApiError>>,
    confirming: RwSignal<Option<UserId>>,
}

impl MemberActions {
    fn new(api: String, members: Members) -> Self {
        let api = StoredValue::new(api);
        let confirming = RwSignal::new(None::<UserId>);
        let change_role = Action::new_local(move |(user, role): &(UserId, BrandRole)| {
            let url = format!("{}/members/{user}", api.get_value());
            let body = ChangeRoleRequest { role: role.as_str().to_owned() };
            async move {
                let result = http::patch(&url, &body).await;
                // Reload either way: on failure the list goes back to what the server holds.
                members.refetch();
                result
            }
        });
        let remove = Action::new_local(move |user: &UserId| {
            let url = format!("{}/members/{user}", api.get_value());
            async move {
                http::delete(&url).await?;
                confirming.set(None);
                members.refetch();
                Ok::<(), ApiError>(())
            }
        });
        MemberActions { change_role, remove, confirming }
    }

    fn busy(self) -> Signal<bool> {
        Signal::derive(move || self.change_role.pending().get() || self.remove.pending().get())
    }
}

#[component]
fn MembersContent(brand: BrandView, members: Members) -> impl IntoView {
    let tr = use_tr();
    let is_admin = brand.viewer == ViewerCapacity::Member(BrandRole::BrandAdmin);
    let api = format!("/api/v1/brands/{}", brand.id);
    let actions = MemberActions::new(api.clone(), members);
    let name = brand.name.clone();
    view! {
        <PageHeader
            title=Signal::derive(move || tr.t(Key::MembersTitle).to_owned())
            eyebrow=Signal::derive(move || name.clone())
            lead=Signal::derive(move || tr.t(if is_admin { Key::MembersLeadAdmin } else { Key::MembersLead }).to_owned())
        />
        <div class="stack">
            {is_admin.then(|| view! { <InviteCard api=api members=members /> })}
            {move || {
                actions
                    .change_role
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|err| view! { <ErrorText err=err /> })
            }}
            {move || {
                actions.remove.value().get().and_then(Result::err).map(|err| view! { <ErrorText err=err /> })
            }}
            <Transition fallback=|| view! { <Loading /> }>
                {move || {
                    members
                        .get()
                        .map(|result| match result {
                            Ok(view) => {
                                view! {
                                    <MemberList is_admin=is_admin list=view.members actions=actions />
                                    {is_admin.then(|| view! { <PendingList list=view.pending_invitations /> })}
                                }
                                    .into_any()
                            }
                            Err(err) => view! { <ErrorText err=err /> }.into_any(),
                        })
                }}
            </Transition>
        </div>
    }
}

#[component]
fn InviteCard(api: String, members: Members) -> impl IntoView {
    let tr = use_tr();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(BrandRole::BrandAgent);
    let invite = Action::new_local(move |req: &InviteRequest| {
        let url = format!("{api}/members");
        let req = req.clone();
        async move {
            let link: InvitationLink = http::post(&url, &req).await?;
            email.set(String::new());
            members.refetch();
            Ok::<_, ApiError>(link)
        }
    });
    let pending = invite.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let req = InviteRequest {
            email: email.get_untracked().trim().to_owned(),
            role: role.get_untracked().as_str().to_owned(),
        };
        invite.dispatch(req);
    };
    view! {
        <section class="card" aria-labelledby="invite-heading" id="invite">
            <h2 id="invite-heading">{move || tr.t(Key::InviteTitle)}</h2>
            <p class="muted">{move || tr.t(Key::InviteLead)}</p>
            <form class="form form-inline" on:submit=on_submit>
                <div class="field field-grow">
                    <label for="invite-email">{move || tr.t(Key::Email)}</label>
                    <input
                        id="invite-email"
                        name="email"
                        type="email"
                        class="input"
                        autocomplete="off"
                        inputmode="email"
                        required
                        bind:value=email
                    />
                </div>
                <div class="field">
                    <label for="invite-role">{move || tr.t(Key::Role)}</label>
                    <RoleSelect
                        id="invite-role"
                        initial=BrandRole::BrandAgent
                        disabled=Signal::stored(false)
                        on_pick=move |r| role.set(r)
                    />
                </div>
                <div class="field field-action">
                    <button id="invite-submit" type="submit" class="btn btn-primary" disabled=move || pending.get()>
                        {move || tr.t(if pending.get() { Key::Working } else { Key::CreateInviteLink })}
                    </button>
                </div>
            </form>
            {move || {
                invite
                    .value()
                    .get()
                    .map(|result| match result {
                        Ok(link) => view! { <InviteLinkBox link=link /> }.into_any(),
                        Err(err) => view! { <ErrorText err=err /> }.into_any(),
                    })
            }}
        </section>
    }
}

/// A `<select>` of the brand roles.
#[component]
fn RoleSelect(
    id: &'static str,
    initial: BrandRole,
    #[prop(into)] disabled: Signal<bool>,
    on_pick: impl Fn(BrandRole) + 'static,
    #[prop(optional, into)] label: Option<Signal<String>>,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <select
            id=(!id.is_empty()).then_some(id)
            class="select role-select"
            aria-label=move || label.map(|l| l.get())
            disabled=move || disabled.get()
            on:change=move |ev| {
                if let Ok(role) = BrandRole::parse(&event_target_value(&ev)) {
                    on_pick(role);
                }
            }
        >
            {BrandRole::ALL
                .into_iter()
                .map(|r| {
                    view! {
                        <option value=r.as_str() selected=r == initial>
                            {move || tr.t(role_key(r))}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}

#[component]
fn InviteLinkBox(link: InvitationLink) -> impl IntoView {
    let tr = use_tr();
    let origin = window().location().origin().unwrap_or_default();
    let url = format!("{origin}{}", link.link);
    let input = NodeRef::<leptos::html::Input>::new();
    let copy = Action::new_local(move |url: &String| {
        let navigator = window().navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined());
        let promise = has_clipboard.then(|| navigator.clipboard().write_text(url));
        async move {
            let done = match promise {
                Some(p) => JsFuture::from(p).await.is_ok(),
                None => false,
            };
            // Without a clipboard, select the text so the person can copy it themselves.
            if !done {
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                    el.select();
                }
            }
            done
        }
    });
    let copied = move || copy.value().get() == Some(true);
    let email = link.email.clone();
    let expires = link.expires_at;
    let url_for_copy = url.clone();
    view! {
        <div class="link-box" role="status">
            <p class="link-box-title">{move || tr.f(Key::InviteCreatedFor, &[&email])}</p>
            <label class="visually-hidden" for="invite-link">
                {move || tr.t(Key::InviteLink)}
            </label>
            <div class="copy-row">
                <input
                    id="invite-link"
                    node_ref=input
                    class="input input-mono"
                    type="text"
                    readonly
                    value=url
                    on:focus=move |ev| {
                        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            el.select();
                        }
                    }
                />
                <button
                    type="button"
                    id="copy-invite-link"
                    class="btn btn-secondary"
                    on:click=move |_| {
                        copy.dispatch(url_for_copy.clone());
                    }
                >
                    {move || tr.t(if copied() { Key::Copied } else { Key::Copy })}
                </button>
            </div>
            <p class="hint">{move || tr.t(Key::InviteLinkExplained)}</p>
            <p class="hint">{move || tr.f(Key::ExpiresOn, &[&fmt::date_time(tr.lang(), expires)])}</p>
        </div>
    }
}

#[component]
fn MemberList(is_admin: bool, list: Vec<MemberView>, actions: MemberActions) -> impl IntoView {
    let app = use_app();
    let tr = use_tr();
    let my_id = app.current().map(|me| me.user.id);
    let busy = actions.busy();
    let count = list.len().to_string();
    view! {
        <section class="card" aria-labelledby="members-heading">
            <h2 id="members-heading">
                {move || tr.t(Key::MembersTitle)} " " <span class="count">{count}</span>
            </h2>
            <ul class="rows" id="member-list">
                {list
                    .into_iter()
                    .map(|member| {
                        let is_self = Some(member.user_id) == my_id;
                        view! {
                            <MemberRow
                                member=member
                                manage=is_admin && !is_self
                                is_self=is_self
                                busy=busy
                                confirming=actions.confirming
                                on_role=move |args| {
                                    actions.change_role.dispatch(args);
                                }
                                on_remove=move |user| {
                                    actions.remove.dispatch(user);
                                }
                            />
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn MemberRow(
    member: MemberView,
    manage: bool,
    is_self: bool,
    busy: Signal<bool>,
    confirming: RwSignal<Option<UserId>>,
    on_role: impl Fn((UserId, BrandRole)) + 'static,
    on_remove: impl Fn(UserId) + Clone + 'static,
) -> impl IntoView {
    let tr = use_tr();
    let id = member.user_id;
    let name = member.display_name.clone();
    let joined = member.joined_at;
    let role = member.role;
    let role_view = if manage {
        let label_name = name.clone();
        view! {
            <RoleSelect
                id=""
                initial=role
                disabled=busy
                label=Signal::derive(move || tr.f(Key::RoleOf, &[&label_name]))
                on_pick=move |r| {
                    if r != role {
                        on_role((id, r));
                    }
                }
            />
        }
        .into_any()
    } else {
        view! { <RoleBadge key=role_key(role) /> }.into_any()
    };
    let actions = manage.then(|| {
        let confirm_name = name.clone();
        move || {
            if confirming.get() == Some(id) {
                let on_remove = on_remove.clone();
                let confirm_name = confirm_name.clone();
                view! {
                    <div class="confirm" role="group">
                        <p>{move || tr.f(Key::RemoveConfirm, &[&confirm_name])}</p>
                        <div class="confirm-actions">
                            <button
                                type="button"
                                class="btn btn-danger confirm-remove"
                                disabled=move || busy.get()
                                on:click=move |_| on_remove(id)
                            >
                                {move || tr.t(Key::ConfirmRemove)}
                            </button>
                            <button type="button" class="btn btn-ghost" on:click=move |_| confirming.set(None)>
                                {move || tr.t(Key::Cancel)}
                            </button>
                        </div>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <button
                        type="button"
                        class="btn btn-danger-quiet remove-member"
                        disabled=move || busy.get()
                        on:click=move |_| confirming.set(Some(id))
                    >
                        {move || tr.t(Key::Remove)}
                    </button>
                }
                .into_any()
            }
        }
    });
    view! {
        <li class="row member" data-user-id=id.to_string()>
            <div class="row-main">
                <span class="avatar" aria-hidden="true">{initial(&name)}</span>
                <div class="row-text">
                    <p class="row-title">
                        <span class="member-name">{name.clone()}</span>
                        {is_self.then(|| view! { <span class="tag">{move || tr.t(Key::You)}</span> })}
                    </p>
                    <p class="row-sub member-email">{member.email}</p>
                </div>
            </div>
            <div class="row-meta">
                {role_view}
                <span class="muted small">{move || tr.f(Key::JoinedOn, &[&fmt::date(tr.lang(), joined)])}</span>
            </div>
            {actions.map(|a| view! { <div class="row-actions">{a}</div> })}
        </li>
    }
}

#[component]
fn PendingList(list: Vec<PendingInvitation>) -> impl IntoView {
    let tr = use_tr();
    let empty = list.is_empty();
    view! {
        <section class="card" aria-labelledby="pending-heading" id="pending-invitations">
            <h2 id="pending-heading">{move || tr.t(Key::PendingInvitations)}</h2>
            {if empty {
                view! { <p class="muted">{move || tr.t(Key::NoPendingInvitations)}</p> }.into_any()
            } else {
                view! {
                    <ul class="rows">
                        {list
                            .into_iter()
                            .map(|inv| {
                                let expires = inv.expires_at;
                                view! {
                                    <li class="row pending-invitation">
                                        <div class="row-text">
                                            <p class="row-title">{inv.email}</p>
                                            <p class="row-sub">
                                                {move || tr.f(Key::ExpiresOn, &[&fmt::date_time(tr.lang(), expires)])}
                                            </p>
                                        </div>
                                        <div class="row-meta">
                                            <RoleBadge key=role_key(inv.role) />
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
