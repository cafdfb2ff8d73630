//! `/staff`: the marketplace side. Account managers see the work waiting on the brands they look
//! after — reports under review, IP rights to verify, failed takedowns, expired flags — and the
//! brands; operators see every brand and user, create brands and users (who get a set-password
//! link by email), manage accounts (disable, enable, a new link, staff roles), and handle dead
//! letters and dead actions.

use crate::components::{
    coded, error_text, form_field, key_error, kind_key, programme_status, role_badge, staff_key,
    status_badge, success_text, tpl_into, Act, Arg, Decision, PageHeader, Request,
};
use crate::dom::reactive::*;
use crate::dom::{data, effect, h, hc, ht, H};
use crate::http;
use crate::i18n::{dated, tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::brand::{part, slot};
use crate::pages::cases::case_row;
use crate::state;
use jf_core::api::CaseCommand;
use jf_core::types::StaffRole;

pub fn page() -> H {
    let Some(role) = state::me().and_then(|me| me.staff_role) else {
        return h("div")
            .child(PageHeader::new(tr(Key::StaffTitle)).build())
            .child(staff_only());
    };
    let operator = role == StaffRole::Operator;
    let lead = if operator {
        Key::StaffLeadOperator
    } else {
        Key::StaffLeadManager
    };
    let header = PageHeader::new(tr(Key::StaffTitle))
        .lead(tr(lead))
        .aside(role_badge(staff_key(role)))
        .build();
    let stack = hc("div", "stack")
        .child(case_queue(
            "review-queue",
            Key::ReviewQueue,
            "/api/v1/manager/review-queue",
            Mode::Review,
            None,
        ))
        .child(case_queue(
            "arbitration-queue",
            Key::ArbitrationQueue,
            "/api/v1/manager/arbitration",
            Mode::Arbitration,
            Some(Key::ArbitrationQueueHint),
        ))
        .child(rights_queue())
        .child(case_queue(
            "failed-takedowns",
            Key::FailedTakedowns,
            "/api/v1/manager/failed-takedowns",
            Mode::Failed,
            None,
        ))
        .child(case_queue(
            "expired-flags",
            Key::ExpiredFlags,
            "/api/v1/manager/expired",
            Mode::Expired,
            None,
        ));
    if operator {
        stack.add(&dead_letters());
        stack.add(&dead_actions());
    }
    // Fetched again once an operator creates a brand.
    let brands_again = RwSignal::new(0u32);
    let brands = part(
        h("div"),
        "/api/v1/manager/brands".to_owned(),
        brands_again,
        Box::new(|p, v| p.add(&brand_rows(&json::list(v, "brands")))),
    );
    stack.add(
        &hc("section", "card")
            .attr("aria-labelledby", "brands-heading")
            .child(ht("h2", tr(Key::Brands)).id("brands-heading"))
            .child(brands),
    );
    if operator {
        stack.add(&create_brand(brands_again));
        // Fetched again once an operator adds or changes a user.
        let users_again = RwSignal::new(0u32);
        stack.add(&create_user(users_again));
        stack.add(&users(users_again, brands_again));
    }
    h("div").child(header).child(stack)
}

/// What a staff page shows anyone else (`#staff-only`).
pub fn staff_only() -> H {
    hc("section", "card empty-state")
        .id("staff-only")
        .child(ht("p", tr(Key::StaffOnly)))
        .child(
            hc("a", "btn btn-secondary")
                .attr("href", "/")
                .text(tr(Key::BackHome)),
        )
}

/// The first letter of a name, for its avatar.
pub fn initial(name: &str) -> String {
    // The browser's upper case, not Rust's: its Unicode tables would weigh on every download.
    name.chars()
        .next()
        .map(|c| js_sys::JsString::from(c.to_string()).to_upper_case().into())
        .unwrap_or_default()
}

fn brand_rows(list: &[Json]) -> H {
    if list.is_empty() {
        return hc("p", "muted")
            .id("no-staff-brands")
            .text(tr(Key::NoStaffBrands));
    }
    let ul = hc("ul", "rows").id("staff-brands");
    for b in list {
        let name = json::s(b, "name");
        let brand_ref = json::s(b, "brand_ref");
        let manager = match json::os(b, "account_manager_name") {
            Some(m) => tpl_into(
                hc("span", "muted small"),
                Key::ManagedBy,
                &[Arg::Data(m)],
                "",
            ),
            None => hc("span", "muted small").text(tr(Key::NoAccountManager)),
        };
        let count = json::i(b, "member_count").to_string();
        ul.add(
            &hc("li", "row staff-brand")
                .attr("data-brand-ref", &brand_ref)
                .child(
                    hc("div", "row-main")
                        .child(
                            hc("span", "avatar avatar-brand")
                                .attr("aria-hidden", "true")
                                .text(&initial(&name)),
                        )
                        .child(
                            hc("div", "row-text")
                                .child(
                                    hc("p", "row-title").child(
                                        hc("a", "row-link staff-brand-name")
                                            .attr("href", &format!("/brands/{}", json::s(b, "id")))
                                            .data()
                                            .text(&name),
                                    ),
                                )
                                .child(hc("p", "row-sub mono").data().text(&brand_ref)),
                        ),
                )
                .child(
                    hc("div", "row-meta")
                        .child(status_badge(programme_status(&json::s(
                            b,
                            "programme_status",
                        ))))
                        .child(manager)
                        .child(hc("span", "muted small").text(&trf(Key::MemberCount, &[&count]))),
                ),
        );
    }
    ul
}

/// The operator's form to create a brand (`#brand-name-input`, `#brand-ref-input`); `again`
/// asks the brand list to be fetched again after.
fn create_brand(again: RwSignal<u32>) -> H {
    let name = RwSignal::new(String::new());
    let brand_ref = RwSignal::new(String::new());
    let create = Act::new();
    let created = RwSignal::new(false);
    let submit = move || {
        let body = json::obj()
            .str("name", name.get_untracked().trim())
            .str(
                "brand_ref",
                &brand_ref.get_untracked().trim().to_ascii_uppercase(),
            )
            .build();
        created.set(false);
        create.send(Request::post("/api/v1/admin/brands", body), move |_| {
            name.set(String::new());
            brand_ref.set(String::new());
            created.set(true);
            again.update(|v| *v += 1);
        });
    };
    let field = |id: &str, label: Key, input: H| form_field("field field-grow", id, label, input);
    hc("section", "card")
        .attr("aria-labelledby", "create-brand-heading")
        .id("create-brand")
        .child(ht("h2", tr(Key::CreateBrand)).id("create-brand-heading"))
        .child(hc("p", "muted").text(tr(Key::CreateBrandLead)))
        .child(
            hc("form", "form form-inline")
                .on_submit(submit)
                .child(field(
                    "brand-name-input",
                    Key::BrandNameLabel,
                    hc("input", "input")
                        .id("brand-name-input")
                        .attr("name", "name")
                        .attr("autocomplete", "off")
                        .flag("required", true)
                        .attr("maxlength", "100")
                        .bind(name),
                ))
                .child(field(
                    "brand-ref-input",
                    Key::BrandRefLabel,
                    hc("input", "input input-mono")
                        .id("brand-ref-input")
                        .attr("name", "brand_ref")
                        .attr("autocomplete", "off")
                        .attr("autocapitalize", "characters")
                        .attr("spellcheck", "false")
                        .flag("required", true)
                        .attr("maxlength", "40")
                        .attr("placeholder", tr(Key::BrandRefPlaceholder))
                        .attr("aria-describedby", "brand-ref-hint")
                        .bind(brand_ref),
                ))
                .child(hc("div", "field field-action").child(create.submit(
                    "create-brand-submit",
                    "btn btn-primary",
                    Key::CreateBrandButton,
                    Key::Working,
                ))),
        )
        .child(
            hc("p", "hint")
                .id("brand-ref-hint")
                .text(tr(Key::BrandRefHint)),
        )
        .child(create.error_view())
        .child(h("div").region(move |p| {
            if created.get() {
                p.add(&success_text(Key::BrandCreated));
            }
        }))
}

/// The staff roles an operator can give, after "none" (a brand user).
const STAFF_ROLES: [StaffRole; 2] = [StaffRole::AccountManager, StaffRole::Operator];

/// A `<select>` of "brand user" (value "") and the staff roles, `current` chosen.
fn staff_role_select(class: &str, current: Option<StaffRole>) -> H {
    let select = hc("select", class).child(
        h("option")
            .attr("value", "")
            .flag("selected", current.is_none())
            .text(tr(Key::BrandUser)),
    );
    for r in STAFF_ROLES {
        select.add(
            &h("option")
                .attr("value", r.as_str())
                .flag("selected", current == Some(r))
                .text(tr(staff_key(r))),
        );
    }
    select
}

/// The operator's form to add a user (`#create-user`): their set-password link goes to them by
/// email, never to the operator. `again` asks the user list to be fetched again after.
fn create_user(again: RwSignal<u32>) -> H {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let create = Act::new();
    let sent_to = RwSignal::new(None::<String>);
    let submit = move || {
        let body = json::obj()
            .str("email", email.get_untracked().trim())
            .str("display_name", name.get_untracked().trim())
            .opt("staff_role", &role.get_untracked())
            .build();
        sent_to.set(None);
        create.send(Request::post("/api/v1/admin/users", body), move |created| {
            email.set(String::new());
            name.set(String::new());
            role.set(String::new());
            sent_to.set(Some(json::s(&json::get(&created, "link_sent"), "email")));
            again.update(|v| *v += 1);
        });
    };
    hc("section", "card")
        .attr("aria-labelledby", "create-user-heading")
        .id("create-user")
        .child(ht("h2", tr(Key::CreateUser)).id("create-user-heading"))
        .child(hc("p", "muted").text(tr(Key::CreateUserLead)))
        .child(
            hc("form", "form form-grid")
                .on_submit(submit)
                .child(form_field(
                    "field",
                    "new-user-email",
                    Key::Email,
                    hc("input", "input")
                        .id("new-user-email")
                        .attr("name", "email")
                        .attr("type", "email")
                        .attr("autocomplete", "off")
                        .attr("inputmode", "email")
                        .flag("required", true)
                        .bind(email),
                ))
                .child(form_field(
                    "field",
                    "new-user-name",
                    Key::UserNameLabel,
                    hc("input", "input")
                        .id("new-user-name")
                        .attr("name", "display_name")
                        .attr("autocomplete", "off")
                        .attr("maxlength", "100")
                        .flag("required", true)
                        .bind(name),
                ))
                .child(form_field(
                    "field",
                    "new-user-role",
                    Key::StaffRoleLabel,
                    staff_role_select("select", None)
                        .id("new-user-role")
                        .bind(role),
                ))
                .child(hc("div", "form-actions").child(create.submit(
                    "create-user-submit",
                    "btn btn-primary",
                    Key::CreateUserButton,
                    Key::Working,
                ))),
        )
        .child(create.error_view())
        .child(h("div").region(move |p| {
            if let Some(to) = sent_to.get() {
                p.add(&link_sent_text("create-user-sent", &to));
            }
        }))
}

/// "A set-password link was emailed to {email}" (`#id`).
fn link_sent_text(id: &str, email: &str) -> H {
    tpl_into(
        hc("p", "success").id(id).attr("role", "status"),
        Key::PasswordLinkSentTo,
        &[Arg::Data(email.to_owned())],
        "",
    )
}

/// What an operator does to accounts: one request at a time, its error and its news shown above
/// the list (so they stay visible when the list is fetched again).
#[derive(Clone, Copy)]
struct UserActions {
    act: Act,
    /// The address a set-password link was just emailed to.
    link_sent: RwSignal<Option<String>>,
    again: RwSignal<u32>,
    /// Fetches the brand list again (a brand whose account manager stops being one has none).
    brands_again: RwSignal<u32>,
    /// Shows the list again (a failed role change puts the select back).
    redraw: RwSignal<u32>,
}

fn users(again: RwSignal<u32>, brands_again: RwSignal<u32>) -> H {
    let actions = UserActions {
        act: Act::new(),
        link_sent: RwSignal::new(None),
        again,
        brands_again,
        redraw: RwSignal::new(0),
    };
    // A refusal shows the list again: a role select goes back to the role the person has.
    effect(move || {
        if actions.act.error.with(Option::is_some) {
            actions.redraw.update(|n| *n += 1);
        }
    });
    let my_id = state::me().map(|me| me.user_id).unwrap_or_default();
    let list = part(
        h("div"),
        "/api/v1/admin/users".to_owned(),
        again,
        Box::new(move |p, v| {
            actions.redraw.track();
            let ul = hc("ul", "rows").id("user-list");
            for u in json::list(v, "users") {
                let is_self = json::s(&u, "id") == my_id;
                ul.add(&user_row(&u, is_self, actions));
            }
            p.add(&ul);
        }),
    );
    let act = actions.act;
    hc("section", "card")
        .attr("aria-labelledby", "users-heading")
        .id("users")
        .child(ht("h2", tr(Key::Users)).id("users-heading"))
        .child(
            slot(Box::new(move || {
                act.error.with(Option::is_some) || actions.link_sent.with(Option::is_some)
            }))
            .region(move |p| {
                if let Some(e) = act.error.get() {
                    p.add(&error_text(&e));
                } else if let Some(to) = actions.link_sent.get() {
                    p.add(&link_sent_text("password-link-sent", &to));
                }
            }),
        )
        .child(list)
}

fn user_row(u: &Json, is_self: bool, actions: UserActions) -> H {
    let id = json::s(u, "id");
    let name = json::s(u, "display_name");
    let email = json::s(u, "email");
    let role = json::os(u, "staff_role").and_then(|r| StaffRole::parse(&r).ok());
    let disabled = json::b(u, "disabled");
    let has_password = json::b(u, "has_password");
    // Another person's role shows in the select that changes it; one's own, as a badge.
    let role_text = is_self.then(|| match role {
        Some(r) => role_badge(staff_key(r)),
        None => hc("span", "muted small").text(tr(Key::BrandUser)),
    });
    let meta = hc("div", "row-meta")
        .child_opt(role_text)
        .child_opt(
            disabled.then(|| hc("span", "badge badge-bad badge-disabled").text(tr(Key::Disabled))),
        )
        .child_opt((!has_password).then(|| {
            hc("span", "badge badge-warn badge-no-password").text(tr(Key::NoPasswordYetBadge))
        }));
    hc("li", "row user")
        .attr("data-user-id", &id)
        .attr_opt("data-disabled", disabled.then_some("true"))
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
                                .child(hc("span", "user-name").data().text(&name))
                                .child_opt(is_self.then(|| hc("span", "tag").text(tr(Key::You)))),
                        )
                        .child(hc("p", "row-sub user-email").data().text(&email)),
                ),
        )
        .child(meta)
        .child_opt((!is_self).then(|| user_actions(&id, &name, &email, role, disabled, actions)))
}

/// An account's controls (never on one's own row): its staff role, disable or enable, and a
/// new set-password link (`.staff-role-select`, `.disable-user`, `.enable-user`,
/// `.send-password-link`).
fn user_actions(
    id: &str,
    name: &str,
    email: &str,
    role: Option<StaffRole>,
    disabled: bool,
    actions: UserActions,
) -> H {
    let UserActions {
        act,
        link_sent,
        again,
        brands_again,
        ..
    } = actions;
    let busy = move || act.pending.get();
    let base = format!("/api/v1/admin/users/{}", http::segment(id));
    // Named by the words of "Marketplace role of {name}" around the person's name (data).
    let label_id = format!("staff-role-of-{id}");
    let select = staff_role_select("select role-select staff-role-select", role)
        .attr("aria-labelledby", &label_id)
        .dyn_flag("disabled", busy);
    let el = select.clone();
    let path = format!("{base}/staff-role");
    let select = select.on("change", move |_| {
        let picked = crate::dom::input_value(&el);
        if picked == role.map_or("", StaffRole::as_str) {
            return;
        }
        let body = json::obj().opt("staff_role", &picked).build();
        link_sent.set(None);
        act.send(Request::Put(path.clone(), body), move |_| {
            again.update(|n| *n += 1);
            brands_again.update(|n| *n += 1);
        });
    });
    let (switch_path, switch_class, switch_key) = if disabled {
        (
            format!("{base}/enable"),
            "btn btn-secondary enable-user",
            Key::Enable,
        )
    } else {
        (
            format!("{base}/disable"),
            "btn btn-danger-quiet disable-user",
            Key::Disable,
        )
    };
    let switch = hc("button", switch_class)
        .attr("type", "button")
        .dyn_flag("disabled", busy)
        .text(tr(switch_key))
        .on_click(move || {
            link_sent.set(None);
            act.send(Request::Post(switch_path.clone(), None), move |_| {
                again.update(|n| *n += 1)
            })
        });
    let email = email.to_owned();
    let link_path = format!("{base}/password-link");
    // A disabled account gets no link (the server refuses: enable it first).
    let send_link = (!disabled).then(|| {
        hc("button", "btn btn-secondary send-password-link")
            .attr("type", "button")
            .dyn_flag("disabled", busy)
            .text(tr(Key::SendPasswordLink))
            .on_click(move || {
                let email = email.clone();
                link_sent.set(None);
                act.send(Request::Post(link_path.clone(), None), move |_| {
                    link_sent.set(Some(email))
                })
            })
    });
    hc("div", "row-actions user-actions")
        .child(tpl_into(
            hc("span", "visually-hidden").id(&label_id),
            Key::StaffRoleOf,
            &[Arg::Data(name.to_owned())],
            "",
        ))
        .child(select)
        .child(switch)
        .child_opt(send_link)
}

/// A row maker of a staff list: the item, and the signal that asks the list to be fetched again.
type Row = Box<dyn Fn(&Json, RwSignal<u32>) -> H>;

/// A staff list in its card (`#id`): the heading with the number of items once known, an
/// optional lead, the rows of `path`'s array `field` (or "nothing here"), an optional hint.
fn queue(
    id: &str,
    title: Key,
    lead: Option<Key>,
    (path, field): (&'static str, &'static str),
    hint: Option<Key>,
    row: Row,
) -> H {
    let heading_id = format!("{id}-heading");
    let count = RwSignal::new(None::<usize>);
    let heading = h("h2").id(&heading_id).region(move |p| {
        let _ = p.append_with_str_2(tr(title), " ");
        if let Some(n) = count.get() {
            p.add(&hc("span", "count queue-count").text(&n.to_string()));
        }
    });
    let again = RwSignal::new(0u32);
    let list = part(
        h("div"),
        path.to_owned(),
        again,
        Box::new(move |p, v| {
            let items = json::list(v, field);
            count.set(Some(items.len()));
            if items.is_empty() {
                p.add(&hc("p", "muted queue-empty").text(tr(Key::NothingHere)));
                return;
            }
            let ul = hc("ul", "rows");
            for item in &items {
                ul.add(&row(item, again));
            }
            p.add(&ul);
        }),
    );
    hc("section", "card")
        .id(id)
        .attr("aria-labelledby", &heading_id)
        .child(heading)
        .child_opt(lead.map(|k| hc("p", "muted").text(tr(k))))
        .child(list)
        .child_opt(hint.map(|k| hc("p", "hint").text(tr(k))))
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Review,
    Failed,
    Expired,
    /// Escalated appeals: decided on the case file, which each row links to.
    Arbitration,
}

fn case_queue(id: &str, title: Key, path: &'static str, mode: Mode, hint: Option<Key>) -> H {
    queue(
        id,
        title,
        None,
        (path, "cases"),
        hint,
        Box::new(move |c, again| {
            let actions =
                matches!(mode, Mode::Review | Mode::Failed).then(|| case_actions(c, mode, again));
            case_row(c, true, false, actions)
        }),
    )
}

/// A problem found before asking (a key) or the server's refusal, in one slot.
fn problem_slot(problem: RwSignal<Option<Key>>, act: Act) -> H {
    h("div").class("error-slot").region(move |p| {
        if let Some(k) = problem.get() {
            p.add(&key_error(k, &[]));
        }
        if let Some(e) = act.error.get() {
            p.add(&error_text(&e));
        }
    })
}

fn button(class: &str, key: Key, pending: RwSignal<bool>, f: Box<dyn FnMut()>) -> H {
    hc("button", class)
        .attr("type", "button")
        .dyn_flag("disabled", move || pending.get())
        .text(tr(key))
        .on_click(f)
}

/// Approve / decline (with a reason the brand sees) a report under review, or retry a failed
/// takedown (`.approve-case`, `.decline-case`, `.decline-reason`, `.retry-takedown`).
fn case_actions(c: &Json, mode: Mode, again: RwSignal<u32>) -> H {
    let (brand, id) = (json::s(c, "brand_id"), json::s(c, "id"));
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let act = Act::new();
    let input_id = format!("decline-reason-{id}");
    let send = move |command: CaseCommand| {
        let mut d = Decision::new(&brand, &id, command);
        d.text = reason.get_untracked();
        if command == CaseCommand::Decline && d.text.trim().is_empty() {
            problem.set(Some(Key::ReasonRequired));
            return;
        }
        problem.set(None);
        act.send(d.request(), move |_| again.update(|v| *v += 1));
    };
    let actions = hc("div", "row-actions");
    let actions = if mode == Mode::Failed {
        actions.child(button(
            "btn btn-primary retry-takedown",
            Key::ActRetry,
            act.pending,
            Box::new(move || send(CaseCommand::RetryTakedown)),
        ))
    } else {
        let decline = send.clone();
        actions
            .child(
                hc("label", "visually-hidden")
                    .attr("for", &input_id)
                    .text(tr(Key::DeclineReason)),
            )
            .child(
                hc("input", "input decline-reason")
                    .id(&input_id)
                    .attr("type", "text")
                    .attr("autocomplete", "off")
                    .attr("maxlength", "2000")
                    .attr("placeholder", tr(Key::DeclineReason))
                    .bind(reason),
            )
            .child(button(
                "btn btn-primary approve-case",
                Key::ActApprove,
                act.pending,
                Box::new(move || send(CaseCommand::Approve)),
            ))
            .child(button(
                "btn btn-danger-quiet decline-case",
                Key::ActDecline,
                act.pending,
                Box::new(move || decline(CaseCommand::Decline)),
            ))
    };
    actions.child(problem_slot(problem, act))
}

fn rights_queue() -> H {
    queue(
        "pending-rights",
        Key::RightsToVerify,
        None,
        ("/api/v1/manager/ip-rights", "rights"),
        Some(Key::RightsToVerifyHint),
        Box::new(|p, again| {
            let brand = json::s(p, "brand_id");
            let right = json::get(p, "right");
            let id = json::s(&right, "id");
            hc("li", "row right-row pending-right")
                .attr("data-right-id", &id)
                .child(
                    hc("div", "row-text")
                        .child(
                            hc("p", "row-sub").child(
                                hc("a", "row-link case-brand")
                                    .attr("href", &format!("/brands/{brand}/rights"))
                                    .data()
                                    .text(&json::s(p, "brand_name")),
                            ),
                        )
                        .child(right_text(&right)),
                )
                .child(hc("div", "row-meta").child(right_badge(
                    &json::s(&right, "status"),
                    json::b(&right, "usable"),
                )))
                .child(right_review(&brand, &id, again))
        }),
    )
}

/// A right's status as a badge: verified, expired (verified but no longer usable), pending,
/// rejected.
pub fn right_badge(status: &str, usable: bool) -> H {
    let (class, key) = match (status, usable) {
        ("verified", true) => ("badge badge-good", Key::RsVerified),
        ("verified", false) => ("badge badge-bad", Key::CsExpired),
        ("rejected", _) => ("badge badge-bad", Key::RsRejected),
        _ => ("badge badge-warn", Key::RsPending),
    };
    hc("span", class)
        .attr("data-right-status", status)
        .text(tr(key))
}

/// What a right is, in a row: kind and number, jurisdiction, classes, owner, expiry, note and
/// certificate.
pub fn right_text(r: &Json) -> H {
    let kind = json::s(r, "kind");
    let classes = json::s(r, "classes");
    let jurisdiction = hc("p", "row-sub").child(
        hc("span", "right-jurisdiction")
            .data()
            .text(&json::s(r, "jurisdiction")),
    );
    let jurisdiction = if classes.trim().is_empty() {
        jurisdiction
    } else {
        jurisdiction
            .text(" · ")
            .text(&trf(Key::ClassesOf, &[&classes]))
    };
    let expiry = match json::oi(r, "expires_at") {
        Some(at) => dated(Key::ExpiresOn, at, false),
        None => tr(Key::NoExpiry).to_owned(),
    };
    let note = json::os(r, "review_note")
        .filter(|n| !n.trim().is_empty())
        .map(|n| {
            hc("p", "review-note")
                .child(hc("span", "muted").text(tr(Key::ReviewNote)))
                .text(" ")
                .child(data(&n))
        });
    let cert = json::get(r, "certificate");
    let cert = json::has(r, "certificate").then(|| {
        hc("a", "certificate-link")
            .attr("href", &json::s(&cert, "url"))
            .attr("target", "_blank")
            .attr("rel", "noopener")
            .text(tr(Key::Certificate))
            .text(": ")
            .child(data(&json::s(&cert, "name")))
    });
    hc("div", "row-text")
        .child(
            hc("p", "row-title")
                .child(hc("span", "right-kind").text(&coded(kind_key(&kind), &kind)))
                .child(
                    hc("span", "mono right-number")
                        .data()
                        .text(&json::s(r, "registration_number")),
                ),
        )
        .child(
            jurisdiction
                .text(" · ")
                .child(hc("span", "right-owner").data().text(&json::s(r, "owner"))),
        )
        .child(hc("p", "row-sub small").text(&expiry))
        .child_opt(note)
        .child_opt(cert)
}

/// Verify, or reject with a note the brand sees (`.verify-right`, `.reject-right`,
/// `.review-note-input`); `again` asks the list to be fetched again after.
pub fn right_review(brand: &str, right: &str, again: RwSignal<u32>) -> H {
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Key>);
    let act = Act::new();
    let path = format!(
        "/api/v1/brands/{}/ip-rights/{}/review",
        http::segment(brand),
        http::segment(right)
    );
    let send = move |decision: &str| {
        let text = note.get_untracked();
        let body = json::obj()
            .str("decision", decision)
            .opt("note", text.trim())
            .build();
        act.send(Request::post(path.clone(), body), move |_| {
            again.update(|v| *v += 1)
        });
    };
    let reject = send.clone();
    let input_id = format!("review-note-{right}");
    hc("div", "row-actions review-actions")
        .child(
            hc("label", "visually-hidden")
                .attr("for", &input_id)
                .text(tr(Key::ReviewNote)),
        )
        .child(
            hc("input", "input review-note-input")
                .id(&input_id)
                .attr("type", "text")
                .attr("autocomplete", "off")
                .attr("maxlength", "2000")
                .attr("placeholder", tr(Key::NoteForBrand))
                .bind(note),
        )
        .child(button(
            "btn btn-primary verify-right",
            Key::Verify,
            act.pending,
            Box::new(move || {
                problem.set(None);
                send("verify");
            }),
        ))
        .child(button(
            "btn btn-danger-quiet reject-right",
            Key::RejectRight,
            act.pending,
            Box::new(move || {
                if note.with_untracked(|n| n.trim().is_empty()) {
                    problem.set(Some(Key::NoteRequired));
                } else {
                    problem.set(None);
                    reject("reject");
                }
            }),
        ))
        .child(problem_slot(problem, act))
}

/// A retry that needs no body (`class` names it for tests); the list is fetched again after.
fn retry_button(path: String, class: &str, again: RwSignal<u32>) -> H {
    let retry = Act::new();
    let pending = retry.pending;
    hc("div", "row-actions")
        .child(
            hc("button", &format!("btn btn-secondary {class}"))
                .attr("type", "button")
                .dyn_flag("disabled", move || pending.get())
                .dyn_text(move || {
                    tr(if pending.get() {
                        Key::Working
                    } else {
                        Key::Retry
                    })
                    .to_owned()
                })
                .on_click(move || {
                    retry.send(Request::Post(path.clone(), None), move |_| {
                        again.update(|v| *v += 1)
                    })
                }),
        )
        .child(retry.error_view())
}

fn dead_letters() -> H {
    queue(
        "dead-letters",
        Key::DeadLetters,
        Some(Key::DeadLettersLead),
        ("/api/v1/admin/dead-letters", "letters"),
        None,
        Box::new(|l, again| {
            let webhook_id = json::s(l, "webhook_id");
            let path = format!(
                "/api/v1/admin/dead-letters/{}/retry",
                http::segment(&webhook_id)
            );
            hc("li", "row dead-letter")
                .attr("data-webhook-id", &webhook_id)
                .child(
                    hc("div", "row-text")
                        .child(
                            hc("p", "row-title mono dead-kind")
                                .data()
                                .text(&json::s(l, "kind")),
                        )
                        .child(
                            hc("p", "row-sub dead-reason")
                                .data()
                                .text(&json::s(l, "reason")),
                        )
                        .child(
                            hc("p", "row-sub small")
                                .text(&dated(Key::ReceivedOn, json::i(l, "received_at"), true))
                                .text(" · ")
                                .child(hc("span", "mono").data().text(&webhook_id)),
                        )
                        .child(
                            hc("details", "raw")
                                .child(ht("summary", tr(Key::RawEvent)))
                                .child(hc("pre", "code").data().text(&json::s(l, "body"))),
                        ),
                )
                .child(retry_button(path, "retry-dead-letter", again))
        }),
    )
}

fn dead_actions() -> H {
    queue(
        "dead-actions",
        Key::DeadActions,
        Some(Key::DeadActionsLead),
        ("/api/v1/admin/dead-actions", "actions"),
        None,
        Box::new(|a, again| {
            let id = json::s(a, "id");
            let path = format!("/api/v1/admin/dead-actions/{}/retry", http::segment(&id));
            let attempts = json::i(a, "attempts").to_string();
            let when = hc("p", "row-sub small")
                .text(&trf(Key::Attempts, &[&attempts]))
                .text(" · ")
                .text(&dated(Key::CreatedOn, json::i(a, "created_at"), true));
            let when = match json::os(a, "case_id") {
                Some(case) => when
                    .text(" · ")
                    .child(hc("span", "mono").data().text(&case)),
                None => when,
            };
            hc("li", "row dead-action")
                .attr("data-action-id", &id)
                .child(
                    hc("div", "row-text")
                        .child(
                            hc("p", "row-title mono dead-kind")
                                .data()
                                .text(&json::s(a, "kind")),
                        )
                        .child_opt(
                            json::os(a, "last_error")
                                .map(|e| hc("p", "row-sub dead-reason").data().text(&e)),
                        )
                        .child(when),
                )
                .child(retry_button(path, "retry-dead-action", again))
        }),
    )
}
