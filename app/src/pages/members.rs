//! `/brands/:brand_id/members`: who works on a brand. Brand admins also invite people (the link
//! goes to them by email), cancel invitations, change roles and remove members.

use crate::components::{
    error_of, role_key, tpl_into, AdminNav, Arg, ErrorSlot, ErrorText, FormField, Loading,
    PageHeader, RoleBadge, Submit,
};
use crate::http::{self, ApiError, Ignored};
use crate::i18n::{dated, tr, trf, Key};
use crate::pages::brand::initial;
use crate::state;
use jf_core::api::{
    BrandView, ChangeRoleRequest, InvitationSent, InviteRequest, MemberView, MembersView,
    PendingInvitation,
};
use jf_core::ids::UserId;
use jf_core::routes::RouteId;
use jf_core::types::BrandRole;
use leptos::prelude::*;

type Done = Result<Ignored, ApiError>;

/// What a brand admin does to members; kept above the list so an error stays visible after the
/// list is fetched again. (A role change is each row's own: chosen, then saved, "Saved" there.)
#[derive(Clone, Copy)]
struct Actions {
    /// `DELETE …/members/{user}`.
    remove: Action<UserId, Done>,
    /// `DELETE …/invitations/{id}`.
    cancel_invitation: Action<String, Done>,
    /// The member whose removal awaits confirmation.
    confirming: RwSignal<Option<UserId>>,
    /// The brand's id, as the path writes it.
    brand: StoredValue<String>,
}

impl Actions {
    fn busy(self) -> bool {
        self.remove.pending().get() || self.cancel_invitation.pending().get()
    }
}

#[component]
pub fn Members() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let id = brand.id.to_string();
    // The admin's parts are offered by the person's role in the session (the server decides).
    let admin =
        state::me().is_some_and(|me| state::role_in(&me, &id) == Some(BrandRole::BrandAdmin));
    let path = http::api(RouteId::ListMembers, &[&id]);
    let list = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<MembersView>(&path).await }
    });
    let brand_id = StoredValue::new(id.clone());
    let confirming = RwSignal::new(None::<UserId>);
    let remove = Action::new_local(move |user: &UserId| {
        let path = http::api(
            RouteId::RemoveMember,
            &[&brand_id.get_value(), &user.to_string()],
        );
        async move {
            let done = http::delete::<Ignored>(&path).await;
            if done.is_ok() {
                confirming.set(None);
                list.refetch();
            }
            done
        }
    });
    let cancel_invitation = Action::new_local(move |invitation: &String| {
        let path = http::api(
            RouteId::CancelInvitation,
            &[&brand_id.get_value(), invitation],
        );
        async move {
            let done = http::delete::<Ignored>(&path).await;
            if done.is_ok() {
                list.refetch();
            }
            done
        }
    });
    let actions = Actions {
        remove,
        cancel_invitation,
        confirming,
        brand: brand_id,
    };
    let lead = if admin {
        Key::MembersLeadAdmin
    } else {
        Key::MembersLead
    };
    view! {
        <PageHeader title=move || tr(Key::MembersTitle) eyebrow=brand.name.clone() lead=move || tr(lead)/>
        {admin.then(|| view! { <AdminNav brand=id.clone() current="members"/> })}
        <div class="stack">
            {admin.then(|| view! { <InviteCard brand=id.clone() list/> })}
            <ErrorSlot err=error_of(remove)/>
            <ErrorSlot err=error_of(cancel_invitation)/>
            <div class="stack">
                {move || match list.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorText err=e/> }.into_any(),
                    Some(Ok(v)) => {
                        view! {
                            <MemberList admin list=v.members actions/>
                            {admin.then(|| view! { <PendingList list=v.pending_invitations actions/> })}
                        }
                            .into_any()
                    }
                }}
            </div>
        </div>
    }
    .into_any()
}

/// The options of a `<select>` of the brand roles, `current` chosen.
fn role_options(current: BrandRole) -> impl IntoView {
    BrandRole::ALL
        .into_iter()
        .map(|r| {
            view! { <option value=r.as_str() selected=r == current>{move || tr(role_key(r))}</option> }
        })
        .collect_view()
}

#[component]
fn InviteCard(brand: String, list: LocalResource<Result<MembersView, ApiError>>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(BrandRole::BrandAgent.as_str().to_owned());
    let sent = RwSignal::new(None::<InvitationSent>);
    let path = http::api(RouteId::InviteMember, &[&brand]);
    let invite = Action::new_local(move |body: &InviteRequest| {
        let (path, body) = (path.clone(), body.clone());
        async move {
            let answer = http::post::<_, InvitationSent>(&path, &body).await;
            if let Ok(answer) = &answer {
                email.set(String::new());
                sent.set(Some(answer.clone()));
                list.refetch();
            }
            answer
        }
    });
    let pending = invite.pending();
    let error = error_of(invite);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        sent.set(None);
        invite.dispatch(InviteRequest {
            email: email.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
        });
    };
    view! {
        <section class="card" aria-labelledby="invite-heading" id="invite">
            <h2 id="invite-heading">{move || tr(Key::InviteTitle)}</h2>
            <p class="muted">{move || tr(Key::InviteLead)}</p>
            <form class="form form-inline" on:submit=submit>
                <FormField class="field field-grow" id="invite-email" label=Key::Email>
                    <input
                        class="input"
                        id="invite-email"
                        name="email"
                        type="email"
                        autocomplete="off"
                        inputmode="email"
                        required
                        bind:value=email
                    />
                </FormField>
                <FormField class="field" id="invite-role" label=Key::Role>
                    <select class="select role-select" id="invite-role" bind:value=role>
                        {role_options(BrandRole::BrandAgent)}
                    </select>
                </FormField>
                <div class="field field-action">
                    <Submit
                        id="invite-submit"
                        class="btn btn-primary"
                        idle=Key::SendInvitation
                        busy=Key::Working
                        pending
                    />
                </div>
            </form>
            // The last attempt: to whom the invitation went, or why it failed.
            <div
                class="error-slot"
                hidden=move || error.with(Option::is_none) && sent.with(Option::is_none)
            >
                {move || match (error.get(), sent.get()) {
                    (Some(e), _) => view! { <ErrorText err=e/> }.into_any(),
                    (None, Some(s)) => view! { <SentBox sent=s/> }.into_any(),
                    (None, None) => ().into_any(),
                }}
            </div>
        </section>
    }
}

/// "Invitation sent to {email}" (`#invite-sent`): the link itself is only in their mailbox.
#[component]
fn SentBox(sent: InvitationSent) -> impl IntoView {
    let expires = sent.expires_at;
    view! {
        <div class="link-box" id="invite-sent" role="status">
            <p class="link-box-title">
                {tpl_into(Key::InvitationSentTo, vec![Arg::Data(sent.email)], "")}
            </p>
            <p class="hint">{move || dated(Key::ExpiresOn, expires, true)}</p>
        </div>
    }
}

#[component]
fn MemberList(admin: bool, list: Vec<MemberView>, actions: Actions) -> impl IntoView {
    let my_id = state::me().map(|me| me.user.id);
    let count = list.len();
    let rows = list
        .into_iter()
        .map(|m| {
            let is_self = my_id == Some(m.user_id);
            view! { <MemberRow member=m manage=admin && !is_self is_self actions/> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="members-heading">
            <h2 id="members-heading">
                {move || tr(Key::MembersTitle)}
                " "
                <span class="count">{count}</span>
            </h2>
            <ul class="rows" id="member-list">{rows}</ul>
        </section>
    }
}

#[component]
fn MemberRow(member: MemberView, manage: bool, is_self: bool, actions: Actions) -> impl IntoView {
    let user = member.user_id;
    let id = user.to_string();
    let name = member.display_name;
    let role = member.role;
    let joined = member.joined_at;
    let (role_view, role_error) = if manage {
        let (view, error) = role_editor(user, name.clone(), role, actions.brand);
        (view, Some(error))
    } else {
        (view! { <RoleBadge key=role_key(role)/> }.into_any(), None)
    };
    let row_actions = manage.then(|| view! { <RemoveMember user name=name.clone() actions/> });
    view! {
        <li class="row member" data-user-id=id.clone()>
            <div class="row-main">
                <span class="avatar" aria-hidden="true">{initial(&name)}</span>
                <div class="row-text">
                    <p class="row-title">
                        <span class="member-name" id=format!("member-name-{id}") translate="no">
                            {name.clone()}
                        </span>
                        {is_self.then(|| view! { <span class="tag">{move || tr(Key::You)}</span> })}
                    </p>
                    <p class="row-sub member-email" translate="no">{member.email}</p>
                    <p class="row-sub small">{move || dated(Key::JoinedOn, joined, false)}</p>
                </div>
            </div>
            <div class="row-meta">{role_view}</div>
            {row_actions}
            {role_error.map(|err| view! { <div class="row-error"><ErrorSlot err/></div> })}
        </li>
    }
}

/// A member's role, changed in two steps so that a slip of the select changes nothing: choose
/// (`.role-select`), then "Save" (`.role-save`, shown once the choice differs); "Saved"
/// (`.role-saved`) follows the answer on the row, and so does a refusal (the second part).
fn role_editor(
    user: UserId,
    name: String,
    role: BrandRole,
    brand: StoredValue<String>,
) -> (AnyView, Signal<Option<ApiError>>) {
    // The role the server holds, and the one chosen in the select.
    let saved = RwSignal::new(role);
    let picked = RwSignal::new(role);
    let save = Action::new_local(move |role: &BrandRole| {
        let role = *role;
        let path = http::api(
            RouteId::ChangeMemberRole,
            &[&brand.get_value(), &user.to_string()],
        );
        let body = ChangeRoleRequest {
            role: role.as_str().to_owned(),
        };
        async move {
            let done = http::patch::<_, Ignored>(&path, &body).await;
            if done.is_ok() {
                saved.set(role);
            }
            done
        }
    });
    let pending = save.pending();
    let changed = move || picked.get() != saved.get();
    // "Saved" while the select shows what the last answer saved.
    let just_saved =
        move || !pending.get() && !changed() && save.value().with(|v| matches!(v, Some(Ok(_))));
    let label_id = format!("role-of-{user}");
    // Named "Save" and then "Role of {name}": the member's name stays data (`translate="no"`).
    let save_id = format!("save-role-{user}");
    let save_names = format!("{save_id} {label_id}");
    let options = BrandRole::ALL
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.as_str() selected=r == role prop:selected=move || picked.get() == r>
                    {move || tr(role_key(r))}
                </option>
            }
        })
        .collect_view();
    let view = view! {
        // Named by the words of "Role of {name}" around the member's own name (data).
        <span class="visually-hidden" id=label_id.clone()>
            {tpl_into(Key::RoleOf, vec![Arg::Data(name)], "")}
        </span>
        <select
            class="select role-select"
            aria-labelledby=label_id
            disabled=move || pending.get()
            on:change=move |ev| {
                if let Ok(r) = BrandRole::parse(&event_target_value(&ev)) {
                    picked.set(r);
                }
            }
        >
            {options}
        </select>
        <Show when=move || changed() || pending.get()>
            <button
                class="btn btn-primary role-save"
                type="button"
                id=save_id.clone()
                aria-labelledby=save_names.clone()
                disabled=move || pending.get()
                on:click=move |_| {
                    if !pending.get_untracked() {
                        save.dispatch(picked.get_untracked());
                    }
                }
            >
                {move || tr(if pending.get() { Key::Working } else { Key::SaveRole })}
            </button>
        </Show>
        <span class="role-saved" role="status">
            {move || just_saved().then(|| tr(Key::RoleSaved))}
        </span>
    }
    .into_any();
    (view, error_of(save))
}

/// "Remove", then "Remove {name}?" with a confirming button and a way back.
#[component]
fn RemoveMember(user: UserId, name: String, actions: Actions) -> impl IntoView {
    let confirming = actions.confirming;
    let name = StoredValue::new(name);
    view! {
        <div class="row-actions">
            {move || {
                if confirming.get() != Some(user) {
                    return view! {
                        <button
                            class="btn btn-danger-quiet remove-member"
                            type="button"
                            disabled=move || actions.busy()
                            on:click=move |_| confirming.set(Some(user))
                        >
                            {move || tr(Key::Remove)}
                        </button>
                    }
                        .into_any();
                }
                view! {
                    <div class="confirm" role="group">
                        <p>{tpl_into(Key::RemoveConfirm, vec![Arg::Data(name.get_value())], "")}</p>
                        <div class="confirm-actions">
                            <button
                                class="btn btn-danger confirm-remove"
                                type="button"
                                disabled=move || actions.busy()
                                on:click=move |_| {
                                    if !actions.remove.pending().get_untracked() {
                                        actions.remove.dispatch(user);
                                    }
                                }
                            >
                                {move || tr(Key::ConfirmRemove)}
                            </button>
                            <button
                                class="btn btn-ghost"
                                type="button"
                                on:click=move |_| confirming.set(None)
                            >
                                {move || tr(Key::Cancel)}
                            </button>
                        </div>
                    </div>
                }
                    .into_any()
            }}
        </div>
    }
}

#[component]
fn PendingList(list: Vec<PendingInvitation>, actions: Actions) -> impl IntoView {
    let body = if list.is_empty() {
        view! { <p class="muted">{move || tr(Key::NoPendingInvitations)}</p> }.into_any()
    } else {
        let rows = list
            .into_iter()
            .map(|invitation| view! { <PendingRow invitation actions/> })
            .collect_view();
        view! { <ul class="rows">{rows}</ul> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="pending-heading" id="pending-invitations">
            <h2 id="pending-heading">{move || tr(Key::PendingInvitations)}</h2>
            {body}
        </section>
    }
}

#[component]
fn PendingRow(invitation: PendingInvitation, actions: Actions) -> impl IntoView {
    let id = invitation.id.to_string();
    let expires = invitation.expires_at;
    let email = invitation.email;
    let label = {
        let email = email.clone();
        move || trf(Key::CancelInvitationTo, &[&email])
    };
    let cancel = {
        let id = id.clone();
        move |_| {
            if !actions.cancel_invitation.pending().get_untracked() {
                actions.cancel_invitation.dispatch(id.clone());
            }
        }
    };
    view! {
        <li class="row pending-invitation" data-invitation-id=id>
            <div class="row-text">
                <p class="row-title" translate="no">{email}</p>
                <p class="row-sub">{move || dated(Key::ExpiresOn, expires, true)}</p>
            </div>
            <div class="row-meta">
                <RoleBadge key=role_key(invitation.role)/>
            </div>
            <div class="row-actions">
                <button
                    class="btn btn-danger-quiet cancel-invitation"
                    type="button"
                    aria-label=label
                    disabled=move || actions.busy()
                    on:click=cancel
                >
                    {move || tr(Key::CancelInvitation)}
                </button>
            </div>
        </li>
    }
}
