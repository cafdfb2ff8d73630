//! `/brands/:brand_id/members`: who works on a brand. Brand admins also invite people (with a
//! one-time link to pass on), change roles and remove members.

use crate::components::{
    is_admin, role_key, text, AdminNav, Arg, CopyField, ErrorSlot, ErrorText, Load, PageHeader,
    RoleBadge, Tpl,
};
use crate::http::{self, ApiError};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::{initial, use_brand_id, BrandFrame};
use crate::state::use_app;
use jf_core::api::{
    BrandView, ChangeRoleRequest, InvitationLink, InviteRequest, MemberView, MembersView,
    PendingInvitation,
};
use jf_core::ids::UserId;
use jf_core::types::BrandRole;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

type Members = LocalResource<http::Body>;

#[component]
pub fn MembersPage() -> impl IntoView {
    let brand_id = use_brand_id();
    // Asked for alongside the brand, not after it.
    let members: Members = http::resource(Signal::derive(move || {
        format!("/api/v1/brands/{}/members", http::segment(&brand_id.get()))
    }));
    let page = Callback::new(move |brand| {
        view! { <MembersContent brand=brand members=members /> }.into_any()
    });
    view! { <BrandFrame page=page /> }
}

/// A role picked for a member: `shown` is the select, reset to `was` if the change fails.
#[derive(Clone, Copy)]
struct RoleChange {
    user: UserId,
    role: BrandRole,
    was: BrandRole,
    shown: RwSignal<BrandRole>,
}

/// What a brand admin does to a member; kept above the list so an error stays visible after the
/// list reloads.
#[derive(Clone, Copy)]
struct MemberActions {
    change_role: Action<RoleChange, Result<(), ApiError>>,
    remove: Action<UserId, Result<(), ApiError>>,
    confirming: RwSignal<Option<UserId>>,
}

impl MemberActions {
    fn new(api: String, members: Members) -> Self {
        let api = StoredValue::new(api);
        let confirming = RwSignal::new(None::<UserId>);
        let change_role = Action::new_local(move |change: &RoleChange| {
            let RoleChange {
                user,
                role,
                was,
                shown,
            } = *change;
            let url = format!("{}/members/{user}", api.get_value());
            let body = ChangeRoleRequest {
                role: role.as_str().to_owned(),
            };
            async move {
                let result = http::patch(&url, &body).await;
                match result {
                    Ok(()) => members.refetch(),
                    // The select goes back to the role the member still has.
                    Err(_) => shown.set(was),
                }
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
        MemberActions {
            change_role,
            remove,
            confirming,
        }
    }

    fn busy(self) -> Signal<bool> {
        Signal::derive(move || self.change_role.pending().get() || self.remove.pending().get())
    }
}

#[component]
fn MembersContent(brand: BrandView, members: Members) -> impl IntoView {
    let tr = use_tr();
    let is_admin = is_admin(brand.viewer);
    let api = format!("/api/v1/brands/{}", brand.id);
    let actions = MemberActions::new(api.clone(), members);
    let name = brand.name.clone();
    view! {
        <PageHeader
            title=text(tr, Key::MembersTitle)
            eyebrow=Signal::derive(move || name.clone())
            lead=text(tr, if is_admin { Key::MembersLeadAdmin } else { Key::MembersLead })
        />
        {is_admin.then(|| view! { <AdminNav brand=brand.id current="members" /> })}
        <div class="stack">
            {is_admin.then(|| view! { <InviteCard api=api members=members /> })}
            <ErrorSlot err=Signal::derive(move || actions.change_role.value().get().and_then(Result::err)) />
            <ErrorSlot err=Signal::derive(move || actions.remove.value().get().and_then(Result::err)) />
            <Load res=members show=Callback::new(move |result| match http::decode::<MembersView>(result) {
                            Ok(view) => {
                                view! {
                                    <MemberList is_admin=is_admin list=view.members actions=actions />
                                    {is_admin.then(|| view! { <PendingList list=view.pending_invitations /> })}
                                }
                                    .into_any()
                            }
                            Err(err) => view! { <ErrorText err=err /> }.into_any(),
                        }) />
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
            let link = http::decode::<InvitationLink>(http::post(&url, &req).await)?;
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
            <h2 id="invite-heading">{tr.s(Key::InviteTitle)}</h2>
            <p class="muted">{tr.s(Key::InviteLead)}</p>
            <form class="form form-inline" on:submit=on_submit>
                <div class="field field-grow">
                    <label for="invite-email">{tr.s(Key::Email)}</label>
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
                    <label for="invite-role">{tr.s(Key::Role)}</label>
                    <RoleSelect id="invite-role" value=role disabled=Signal::stored(false) on_pick=|_| {} />
                </div>
                <div class="field field-action">
                    <button id="invite-submit" type="submit" class="btn btn-primary" disabled=pending>
                        {tr.pick(move || if pending.get() { Key::Working } else { Key::CreateInviteLink })}
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
    /// The role shown; set when one is picked.
    value: RwSignal<BrandRole>,
    #[prop(into)] disabled: Signal<bool>,
    /// Called after `value` is set to the picked role.
    on_pick: impl Fn(BrandRole) + 'static,
    /// The id of the element naming it (when no `<label for>` does).
    #[prop(optional)]
    labelled_by: Option<String>,
) -> impl IntoView {
    let tr = use_tr();
    let initial = value.get_untracked();
    view! {
        <select
            id=(!id.is_empty()).then_some(id)
            class="select role-select"
            prop:value=move || value.get().as_str()
            aria-labelledby=labelled_by
            disabled=disabled
            on:change=move |ev| {
                if let Ok(role) = BrandRole::parse(&event_target_value(&ev)) {
                    value.set(role);
                    on_pick(role);
                }
            }
        >
            {BrandRole::ALL
                .into_iter()
                .map(|r| {
                    view! {
                        <option value=r.as_str() selected=r == initial>
                            {tr.s(role_key(r))}
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
    let email = link.email.clone();
    let expires = link.expires_at;
    view! {
        <div class="link-box" role="status">
            <p class="link-box-title"><Tpl key=Key::InviteCreatedFor args=vec![Arg::Data(email)] /></p>
            <CopyField id="invite-link" copy_id="copy-invite-link" label=Key::InviteLink value=url />
            <p class="hint">{tr.s(Key::InviteLinkExplained)}</p>
            <p class="hint">{tr.dated(Key::ExpiresOn, expires, true)}</p>
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
                {tr.s(Key::MembersTitle)} " " <span class="count">{count}</span>
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
                                actions=actions
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
    actions: MemberActions,
) -> impl IntoView {
    let confirming = actions.confirming;
    let tr = use_tr();
    let id = member.user_id;
    let name = member.display_name.clone();
    let joined = member.joined_at;
    let role = member.role;
    let shown = RwSignal::new(role);
    let role_view = if manage {
        // Named by the words of "Role of {name}" around the member's own name (data).
        let label_id = format!("role-of-{id}");
        view! {
            <span class="visually-hidden" id=label_id.clone()>
                <Tpl key=Key::RoleOf args=vec![Arg::Data(name.clone())] />
            </span>
            <RoleSelect
                id=""
                value=shown
                disabled=busy
                labelled_by=label_id
                on_pick=move |r| {
                    if r != role {
                        actions.change_role.dispatch(RoleChange { user: id, role: r, was: role, shown });
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
                let confirm_name = confirm_name.clone();
                view! {
                    <div class="confirm" role="group">
                        <p><Tpl key=Key::RemoveConfirm args=vec![Arg::Data(confirm_name)] /></p>
                        <div class="confirm-actions">
                            <button
                                type="button"
                                class="btn btn-danger confirm-remove"
                                disabled=busy
                                on:click=move |_| {
                                    actions.remove.dispatch(id);
                                }
                            >
                                {tr.s(Key::ConfirmRemove)}
                            </button>
                            <button type="button" class="btn btn-ghost" on:click=move |_| confirming.set(None)>
                                {tr.s(Key::Cancel)}
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
                        disabled=busy
                        on:click=move |_| confirming.set(Some(id))
                    >
                        {tr.s(Key::Remove)}
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
                        <span class="member-name" id=format!("member-name-{id}") translate="no">{name.clone()}</span>
                        {is_self.then(|| view! { <span class="tag">{tr.s(Key::You)}</span> })}
                    </p>
                    <p class="row-sub member-email" translate="no">{member.email}</p>
                    <p class="row-sub small">{tr.dated(Key::JoinedOn, joined, false)}</p>
                </div>
            </div>
            <div class="row-meta">{role_view}</div>
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
            <h2 id="pending-heading">{tr.s(Key::PendingInvitations)}</h2>
            {if empty {
                view! { <p class="muted">{tr.s(Key::NoPendingInvitations)}</p> }.into_any()
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
                                            <p class="row-title" translate="no">{inv.email}</p>
                                            <p class="row-sub">
                                                {tr.dated(Key::ExpiresOn, expires, true)}
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
