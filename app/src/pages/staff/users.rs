//! The operator's accounts: adding a user (their set-password link goes to them by email, never
//! to the operator), and every user with what can be done to their account.

use super::brands::Brands;
use crate::components::{
    error_of, part, staff_key, tpl_into, Arg, ErrorSlot, ErrorText, FormField, RoleBadge, Submit,
};
use crate::http::{self, ApiError, Ignored};
use crate::i18n::{tr, Key};
use crate::pages::brand::initial;
use crate::state;
use jf_core::api::{CreateUserRequest, CreatedUser, StaffRoleRequest, UserList, UserView};
use jf_core::ids::UserId;
use jf_core::routes::RouteId;
use jf_core::types::StaffRole;
use leptos::prelude::*;

/// Every user, fetched again after a change.
pub(super) type Users = LocalResource<Result<UserList, ApiError>>;

pub(super) fn fetch() -> Users {
    LocalResource::new(|| async {
        http::get::<UserList>(&http::api(RouteId::AdminListUsers, &[])).await
    })
}

/// The staff roles an operator can give, after "none" (a brand user).
const STAFF_ROLES: [StaffRole; 2] = [StaffRole::AccountManager, StaffRole::Operator];

/// The options of a staff role `<select>`: "brand user" (value "") and the staff roles,
/// `current` chosen.
fn role_options(current: Option<StaffRole>) -> impl IntoView {
    let roles = STAFF_ROLES
        .into_iter()
        .map(|r| {
            view! {
                <option value=r.as_str() selected=current == Some(r)>
                    {move || tr(staff_key(r))}
                </option>
            }
        })
        .collect_view();
    view! {
        <option value="" selected=current.is_none()>
            {move || tr(Key::BrandUser)}
        </option>
        {roles}
    }
}

/// "A set-password link was emailed to {email}" (`#id`).
#[component]
fn LinkSentText(id: &'static str, email: String) -> impl IntoView {
    view! {
        <p class="success" id=id role="status">
            {tpl_into(Key::PasswordLinkSentTo, vec![Arg::Data(email)], "")}
        </p>
    }
}

/// The operator's form to add a user (`#create-user`); the user list is fetched again after.
#[component]
pub(super) fn CreateUser(users: Users) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let sent_to = RwSignal::new(None::<String>);
    let create = Action::new_local(move |body: &CreateUserRequest| {
        let body = body.clone();
        async move {
            let path = http::api(RouteId::AdminCreateUser, &[]);
            let created = http::post::<_, CreatedUser>(&path, &body).await?;
            email.set(String::new());
            name.set(String::new());
            role.set(String::new());
            sent_to.set(Some(created.link_sent.email));
            users.refetch();
            Ok(())
        }
    });
    let pending = create.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sent_to.set(None);
        if pending.get_untracked() {
            return;
        }
        let role = role.get_untracked();
        create.dispatch(CreateUserRequest {
            email: email.get_untracked().trim().to_owned(),
            display_name: name.get_untracked().trim().to_owned(),
            staff_role: (!role.is_empty()).then_some(role),
        });
    };
    view! {
        <section class="card" aria-labelledby="create-user-heading" id="create-user">
            <h2 id="create-user-heading">{move || tr(Key::CreateUser)}</h2>
            <p class="muted">{move || tr(Key::CreateUserLead)}</p>
            <form class="form form-grid" on:submit=submit>
                <FormField class="field" id="new-user-email" label=Key::Email>
                    <input
                        class="input"
                        id="new-user-email"
                        name="email"
                        type="email"
                        autocomplete="off"
                        inputmode="email"
                        required
                        bind:value=email
                    />
                </FormField>
                <FormField class="field" id="new-user-name" label=Key::UserNameLabel>
                    <input
                        class="input"
                        id="new-user-name"
                        name="display_name"
                        autocomplete="off"
                        maxlength="100"
                        required
                        bind:value=name
                    />
                </FormField>
                <FormField class="field" id="new-user-role" label=Key::StaffRoleLabel>
                    <select
                        class="select"
                        id="new-user-role"
                        prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))
                    >
                        {role_options(None)}
                    </select>
                </FormField>
                <div class="form-actions">
                    <Submit
                        id="create-user-submit"
                        class="btn btn-primary"
                        idle=Key::CreateUserButton
                        busy=Key::Working
                        pending
                    />
                </div>
            </form>
            <ErrorSlot err=error_of(create)/>
            <div>
                {move || sent_to.get().map(|email| view! { <LinkSentText id="create-user-sent" email/> })}
            </div>
        </section>
    }
}

/// A change an operator makes to someone's account.
#[derive(Clone)]
enum Change {
    Role(UserId, Option<StaffRole>),
    Disable(UserId),
    Enable(UserId),
    /// A new set-password link, emailed to the address.
    SendLink(UserId, String),
}

/// What the rows need to change accounts: one request at a time for the whole list.
#[derive(Clone, Copy)]
struct Changes {
    action: Action<Change, Result<(), ApiError>>,
    busy: Memo<bool>,
    /// Notified when a change is refused: a role select shows the role the person has again.
    refused: Trigger,
}

impl Changes {
    fn send(self, change: Change) {
        if !self.busy.get_untracked() {
            self.action.dispatch(change);
        }
    }
}

/// Every user (`#user-list`); the last change's error, or the address a link was just emailed
/// to, above the list (so it stays while the list is fetched again).
#[component]
pub(super) fn Users(users: Users, brands: Brands) -> impl IntoView {
    let me = untrack(state::me).map(|me| me.user.id);
    let link_sent = RwSignal::new(None::<String>);
    let refused = Trigger::new();
    let lists = Lists {
        users,
        brands,
        link_sent,
    };
    let action = Action::new_local(move |change: &Change| {
        let change = change.clone();
        async move {
            let done = apply(change, lists).await;
            if done.is_err() {
                refused.notify();
            }
            done
        }
    });
    let changes = Changes {
        action,
        busy: action.pending(),
        refused,
    };
    let error = error_of(action);
    let rows = move |list: UserList| {
        let rows = list
            .users
            .into_iter()
            .map(|user| {
                let is_self = Some(user.id) == me;
                view! { <UserRow user is_self changes/> }
            })
            .collect_view();
        view! { <ul class="rows" id="user-list">{rows}</ul> }
    };
    view! {
        <section class="card" aria-labelledby="users-heading" id="users">
            <h2 id="users-heading">{move || tr(Key::Users)}</h2>
            <div
                class="error-slot"
                hidden=move || error.with(Option::is_none) && link_sent.with(Option::is_none)
            >
                {move || match (error.get(), link_sent.get()) {
                    (Some(err), _) => view! { <ErrorText err/> }.into_any(),
                    (None, Some(email)) => {
                        view! { <LinkSentText id="password-link-sent" email/> }.into_any()
                    }
                    (None, None) => ().into_any(),
                }}
            </div>
            {part(users, rows)}
        </section>
    }
}

/// What a change may show in: the users, the brands, the address a link was emailed to.
#[derive(Clone, Copy)]
struct Lists {
    users: Users,
    brands: Brands,
    link_sent: RwSignal<Option<String>>,
}

/// Sends `change`, then fetches again what it changed.
async fn apply(change: Change, lists: Lists) -> Result<(), ApiError> {
    lists.link_sent.set(None);
    let path = |route: RouteId, user: UserId| http::api(route, &[&user.to_string()]);
    match change {
        Change::Role(user, role) => {
            let body = StaffRoleRequest {
                staff_role: role.map(|r| r.as_str().to_owned()),
            };
            http::put::<_, Ignored>(&path(RouteId::AdminSetStaffRole, user), &body).await?;
            lists.users.refetch();
            // A brand whose account manager stops being one has none.
            lists.brands.refetch();
        }
        Change::Disable(user) => {
            http::post_empty::<Ignored>(&path(RouteId::AdminDisableUser, user)).await?;
            lists.users.refetch();
        }
        Change::Enable(user) => {
            http::post_empty::<Ignored>(&path(RouteId::AdminEnableUser, user)).await?;
            lists.users.refetch();
        }
        Change::SendLink(user, email) => {
            http::post_empty::<Ignored>(&path(RouteId::AdminSendPasswordLink, user)).await?;
            lists.link_sent.set(Some(email));
        }
    }
    Ok(())
}

#[component]
fn UserRow(user: UserView, is_self: bool, changes: Changes) -> impl IntoView {
    let UserView {
        id,
        email,
        display_name: name,
        staff_role: role,
        disabled,
        has_password,
    } = user;
    // Another person's role shows in the select that changes it; one's own, as a badge.
    let role_text = is_self.then(|| match role {
        Some(r) => view! { <RoleBadge key=staff_key(r)/> }.into_any(),
        None => view! { <span class="muted small">{move || tr(Key::BrandUser)}</span> }.into_any(),
    });
    let actions = (!is_self).then(|| {
        view! {
            <UserActions
                user=id
                name=name.clone()
                email=email.clone()
                role
                disabled
                changes
            />
        }
    });
    view! {
        <li class="row user" data-user-id=id.to_string() data-disabled=disabled.then_some("true")>
            <div class="row-main">
                <span class="avatar" aria-hidden="true">{initial(&name)}</span>
                <div class="row-text">
                    <p class="row-title">
                        <span class="user-name" translate="no">{name}</span>
                        {is_self.then(|| view! { <span class="tag">{move || tr(Key::You)}</span> })}
                    </p>
                    <p class="row-sub user-email" translate="no">{email}</p>
                </div>
            </div>
            <div class="row-meta">
                {role_text}
                {disabled.then(|| {
                    view! {
                        <span class="badge badge-bad badge-disabled">{move || tr(Key::Disabled)}</span>
                    }
                })}
                {(!has_password).then(|| {
                    view! {
                        <span class="badge badge-warn badge-no-password">
                            {move || tr(Key::NoPasswordYetBadge)}
                        </span>
                    }
                })}
            </div>
            {actions}
        </li>
    }
}

/// An account's controls (never on one's own row): its staff role, disable or enable, and a
/// new set-password link (`.staff-role-select`, `.disable-user`, `.enable-user`,
/// `.send-password-link`).
#[component]
fn UserActions(
    user: UserId,
    name: String,
    email: String,
    role: Option<StaffRole>,
    disabled: bool,
    changes: Changes,
) -> impl IntoView {
    let busy = changes.busy;
    // Named by the words of "Marketplace role of {name}" around the person's name (data).
    let label_id = format!("staff-role-of-{user}");
    let current = role.map_or("", StaffRole::as_str);
    let pick = move |ev: leptos::ev::Event| {
        let picked = event_target_value(&ev);
        if picked != current {
            changes.send(Change::Role(user, StaffRole::parse(&picked).ok()));
        }
    };
    let (switch_class, switch_key, switch) = if disabled {
        (
            "btn btn-secondary enable-user",
            Key::Enable,
            Change::Enable(user),
        )
    } else {
        (
            "btn btn-danger-quiet disable-user",
            Key::Disable,
            Change::Disable(user),
        )
    };
    // A disabled account gets no link (the server refuses: enable it first).
    let send_link = (!disabled).then(|| {
        view! {
            <button
                type="button"
                class="btn btn-secondary send-password-link"
                disabled=move || busy.get()
                on:click=move |_| changes.send(Change::SendLink(user, email.clone()))
            >
                {move || tr(Key::SendPasswordLink)}
            </button>
        }
    });
    view! {
        <div class="row-actions user-actions">
            <span class="visually-hidden" id=label_id.clone()>
                {tpl_into(Key::StaffRoleOf, vec![Arg::Data(name)], "")}
            </span>
            <select
                class="select role-select staff-role-select"
                aria-labelledby=label_id
                disabled=move || busy.get()
                // Set again when a change is refused: the select goes back to the person's role.
                prop:value=move || {
                    changes.refused.track();
                    current
                }
                on:change=pick
            >
                {role_options(role)}
            </select>
            <button
                type="button"
                class=switch_class
                disabled=move || busy.get()
                on:click=move |_| changes.send(switch.clone())
            >
                {move || tr(switch_key)}
            </button>
            {send_link}
        </div>
    }
}
