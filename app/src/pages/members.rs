//! `/brands/:brand_id/members`: who works on a brand. Brand admins also invite people (the link
//! goes to them by email), cancel invitations, change roles and remove members.

use crate::components::{
    admin_nav, admin_of, error_text, form_field, role_badge, role_key, tpl_into, Act, Arg,
    PageHeader, Request,
};
use crate::dom::reactive::*;
use crate::dom::{effect, h, hc, ht, H};
use crate::http;
use crate::i18n::{dated, tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::brand::{error_view, frame, part, slot};
use crate::pages::staff::initial;
use crate::state;
use jf_core::types::BrandRole;

/// What a brand admin does to members; kept above the list so an error stays visible after the
/// list is fetched again.
#[derive(Clone, Copy)]
struct Actions {
    change_role: Act,
    remove: Act,
    cancel_invitation: Act,
    /// The member whose removal awaits confirmation.
    confirming: RwSignal<Option<String>>,
    /// Fetches the list again.
    again: RwSignal<u32>,
}

impl Actions {
    fn busy(self) -> bool {
        self.change_role.pending.get()
            || self.remove.pending.get()
            || self.cancel_invitation.pending.get()
    }
}

pub fn page(brand: &str) -> H {
    let admin = admin_of(brand);
    let api = format!("/api/v1/brands/{}", http::segment(brand));
    let actions = Actions {
        change_role: Act::new(),
        remove: Act::new(),
        cancel_invitation: Act::new(),
        confirming: RwSignal::new(None),
        again: RwSignal::new(0),
    };
    // A failed role change shows the list again, its selects back at the roles members have.
    let redraw = RwSignal::new(0u32);
    effect(move || {
        if actions.change_role.error.with(Option::is_some) {
            redraw.update(|n| *n += 1);
        }
    });
    // Asked for alongside the brand, not after it.
    let list = part(
        hc("div", "stack"),
        format!("{api}/members"),
        actions.again,
        Box::new({
            let api = api.clone();
            move |p, v| {
                redraw.track();
                p.add(&member_list(
                    &api,
                    admin,
                    &json::list(v, "members"),
                    actions,
                ));
                if admin {
                    p.add(&pending_list(
                        &api,
                        &json::list(v, "pending_invitations"),
                        actions,
                    ));
                }
            }
        }),
    );
    let id = brand.to_owned();
    frame(
        brand,
        Box::new(move |page, b| {
            page.add(
                &PageHeader::new(tr(Key::MembersTitle))
                    .eyebrow(&json::s(b, "name"))
                    .lead(tr(if admin {
                        Key::MembersLeadAdmin
                    } else {
                        Key::MembersLead
                    }))
                    .build(),
            );
            if admin {
                page.add(&admin_nav(&id, "members"));
            }
            page.add(
                &hc("div", "stack")
                    .child_opt(admin.then(|| invite_card(&api, actions.again)))
                    .child(error_view(actions.change_role))
                    .child(error_view(actions.remove))
                    .child(error_view(actions.cancel_invitation))
                    .child(list.clone()),
            );
        }),
    )
}

/// A `<select>` of the brand roles, `current` chosen.
fn role_select(current: BrandRole) -> H {
    let select = hc("select", "select role-select");
    for r in BrandRole::ALL {
        select.add(
            &h("option")
                .attr("value", r.as_str())
                .flag("selected", r == current)
                .text(tr(role_key(r))),
        );
    }
    select
}

fn invite_card(api: &str, again: RwSignal<u32>) -> H {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(BrandRole::BrandAgent.as_str().to_owned());
    let sent = RwSignal::new(None::<Json>);
    let invite = Act::new();
    let path = format!("{api}/members");
    let submit = move || {
        let body = json::obj()
            .str("email", email.get_untracked().trim())
            .str("role", &role.get_untracked())
            .build();
        sent.set(None);
        invite.send(Request::post(path.clone(), body), move |answer| {
            email.set(String::new());
            sent.set(Some(answer));
            again.update(|n| *n += 1);
        });
    };
    hc("section", "card")
        .attr("aria-labelledby", "invite-heading")
        .id("invite")
        .child(ht("h2", tr(Key::InviteTitle)).id("invite-heading"))
        .child(hc("p", "muted").text(tr(Key::InviteLead)))
        .child(
            hc("form", "form form-inline")
                .on_submit(submit)
                .child(form_field(
                    "field field-grow",
                    "invite-email",
                    Key::Email,
                    hc("input", "input")
                        .id("invite-email")
                        .attr("name", "email")
                        .attr("type", "email")
                        .attr("autocomplete", "off")
                        .attr("inputmode", "email")
                        .flag("required", true)
                        .bind(email),
                ))
                .child(form_field(
                    "field",
                    "invite-role",
                    Key::Role,
                    role_select(BrandRole::BrandAgent)
                        .id("invite-role")
                        .bind(role),
                ))
                .child(hc("div", "field field-action").child(invite.submit(
                    "invite-submit",
                    "btn btn-primary",
                    Key::SendInvitation,
                    Key::Working,
                ))),
        )
        // The last attempt: to whom the invitation went, or why it failed.
        .child(
            slot(Box::new(move || {
                invite.error.with(Option::is_some) || sent.with(Option::is_some)
            }))
            .region(move |p| match (invite.error.get(), sent.get()) {
                (Some(e), _) => p.add(&error_text(&e)),
                (None, Some(s)) => p.add(&sent_box(&s)),
                (None, None) => {}
            }),
        )
}

/// "Invitation sent to {email}" (`#invite-sent`): the link itself is only in their mailbox.
fn sent_box(sent: &Json) -> H {
    hc("div", "link-box")
        .id("invite-sent")
        .attr("role", "status")
        .child(tpl_into(
            hc("p", "link-box-title"),
            Key::InvitationSentTo,
            &[Arg::Data(json::s(sent, "email"))],
            "",
        ))
        .child(hc("p", "hint").text(&dated(Key::ExpiresOn, json::i(sent, "expires_at"), true)))
}

fn member_list(api: &str, admin: bool, list: &[Json], actions: Actions) -> H {
    let my_id = state::me().map(|me| me.user_id);
    let ul = hc("ul", "rows").id("member-list");
    for m in list {
        let is_self = my_id.as_deref() == Some(json::s(m, "user_id").as_str());
        ul.add(&member_row(api, m, admin && !is_self, is_self, actions));
    }
    hc("section", "card")
        .attr("aria-labelledby", "members-heading")
        .child(
            ht("h2", tr(Key::MembersTitle))
                .id("members-heading")
                .text(" ")
                .child(hc("span", "count").text(&list.len().to_string())),
        )
        .child(ul)
}

fn member_row(api: &str, m: &Json, manage: bool, is_self: bool, actions: Actions) -> H {
    let id = json::s(m, "user_id");
    let name = json::s(m, "display_name");
    let role = BrandRole::parse(&json::s(m, "role")).unwrap_or(BrandRole::BrandViewer);
    let url = format!("{api}/members/{}", http::segment(&id));
    let role_view = if manage {
        // Named by the words of "Role of {name}" around the member's own name (data).
        let label_id = format!("role-of-{id}");
        let select = role_select(role)
            .attr("aria-labelledby", &label_id)
            .dyn_flag("disabled", move || actions.busy());
        let el = select.clone();
        let url = url.clone();
        let select = select.on("change", move |_| {
            let Ok(picked) = BrandRole::parse(&crate::dom::input_value(&el)) else {
                return;
            };
            if picked != role {
                let body = json::obj().str("role", picked.as_str()).build();
                actions
                    .change_role
                    .send(Request::Patch(url.clone(), body), move |_| {
                        actions.again.update(|n| *n += 1)
                    });
            }
        });
        vec![
            tpl_into(
                hc("span", "visually-hidden").id(&label_id),
                Key::RoleOf,
                &[Arg::Data(name.clone())],
                "",
            ),
            select,
        ]
    } else {
        vec![role_badge(role_key(role))]
    };
    let row_actions = manage.then(|| {
        let (id, name) = (id.clone(), name.clone());
        hc("div", "row-actions").region(move |p| {
            let confirming = actions.confirming;
            let (ask, url) = (id.clone(), url.clone());
            if confirming.get().as_deref() != Some(id.as_str()) {
                p.add(
                    &hc("button", "btn btn-danger-quiet remove-member")
                        .attr("type", "button")
                        .dyn_flag("disabled", move || actions.busy())
                        .text(tr(Key::Remove))
                        .on_click(move || confirming.set(Some(ask.clone()))),
                );
                return;
            }
            p.add(
                &hc("div", "confirm")
                    .attr("role", "group")
                    .child(tpl_into(
                        h("p"),
                        Key::RemoveConfirm,
                        &[Arg::Data(name.clone())],
                        "",
                    ))
                    .child(
                        hc("div", "confirm-actions")
                            .child(
                                hc("button", "btn btn-danger confirm-remove")
                                    .attr("type", "button")
                                    .dyn_flag("disabled", move || actions.busy())
                                    .text(tr(Key::ConfirmRemove))
                                    .on_click(move || {
                                        actions.remove.send(
                                            Request::Delete(url.clone()),
                                            move |_| {
                                                confirming.set(None);
                                                actions.again.update(|n| *n += 1);
                                            },
                                        )
                                    }),
                            )
                            .child(
                                hc("button", "btn btn-ghost")
                                    .attr("type", "button")
                                    .text(tr(Key::Cancel))
                                    .on_click(move || confirming.set(None)),
                            ),
                    ),
            );
        })
    });
    hc("li", "row member")
        .attr("data-user-id", &id)
        .child(
            hc("div", "row-main")
                .child(
                    hc("span", "avatar")
                        .attr("aria-hidden", "true")
                        .text(&initial(&name)),
                )
                .child(
                    hc("div", "row-text")
                        .child(
                            hc("p", "row-title")
                                .child(
                                    hc("span", "member-name")
                                        .id(&format!("member-name-{id}"))
                                        .data()
                                        .text(&name),
                                )
                                .child_opt(is_self.then(|| hc("span", "tag").text(tr(Key::You)))),
                        )
                        .child(
                            hc("p", "row-sub member-email")
                                .data()
                                .text(&json::s(m, "email")),
                        )
                        .child(hc("p", "row-sub small").text(&dated(
                            Key::JoinedOn,
                            json::i(m, "joined_at"),
                            false,
                        ))),
                ),
        )
        .child(hc("div", "row-meta").children(role_view))
        .child_opt(row_actions)
}

fn pending_list(api: &str, list: &[Json], actions: Actions) -> H {
    let section = hc("section", "card")
        .attr("aria-labelledby", "pending-heading")
        .id("pending-invitations")
        .child(ht("h2", tr(Key::PendingInvitations)).id("pending-heading"));
    if list.is_empty() {
        return section.child(hc("p", "muted").text(tr(Key::NoPendingInvitations)));
    }
    let ul = hc("ul", "rows");
    for inv in list {
        let id = json::s(inv, "id");
        let email = json::s(inv, "email");
        let role = BrandRole::parse(&json::s(inv, "role")).unwrap_or(BrandRole::BrandViewer);
        let url = format!("{api}/invitations/{}", http::segment(&id));
        ul.add(
            &hc("li", "row pending-invitation")
                .attr("data-invitation-id", &id)
                .child(
                    hc("div", "row-text")
                        .child(hc("p", "row-title").data().text(&email))
                        .child(hc("p", "row-sub").text(&dated(
                            Key::ExpiresOn,
                            json::i(inv, "expires_at"),
                            true,
                        ))),
                )
                .child(hc("div", "row-meta").child(role_badge(role_key(role))))
                .child(
                    hc("div", "row-actions").child(
                        hc("button", "btn btn-danger-quiet cancel-invitation")
                            .attr("type", "button")
                            .attr("aria-label", &trf(Key::CancelInvitationTo, &[&email]))
                            .dyn_flag("disabled", move || actions.busy())
                            .text(tr(Key::CancelInvitation))
                            .on_click(move || {
                                actions
                                    .cancel_invitation
                                    .send(Request::Delete(url.clone()), move |_| {
                                        actions.again.update(|n| *n += 1)
                                    })
                            }),
                    ),
                ),
        );
    }
    section.child(ul)
}
