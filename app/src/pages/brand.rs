//! `/brands/:brand_id`: the brand's home — the work waiting, its lane and good standing (always
//! explained), its standing in the programme, its account manager and the viewer's access.

use crate::components::{
    can_file, capacity_key, error_panel, error_text, is_admin, loading, programme_status,
    status_badge, status_key, tpl, viewer_capacity, Act, Arg, PageHeader,
};
use crate::dom::reactive::*;
use crate::dom::{data, effect, h, hc, ht, spawn, Scope, H};
use crate::http::{self, ApiError};
use crate::i18n::{dated, tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::cases::status_chips;
use crate::pages::staff::initial;
use crate::state;
use jf_core::access::KeyScope;
use jf_core::api::ViewerCapacity;
use jf_core::clock::DAY;
use jf_core::programme::REVOCATION;
use jf_core::types::{BrandRole, ProgrammeStatus};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What a page builds from a fetched answer, into the element it is given.
pub type Show = Box<dyn Fn(&H, &Json)>;

thread_local! {
    /// The brand last fetched: who asked and its path, and the answer.
    static LAST: RefCell<Option<(String, Json)>> = const { RefCell::new(None) };
}

/// `GET /api/v1/brands/{id}` into a page: `show` builds the page from the brand once it is
/// here; a brand that does not exist (or is not the viewer's) is explained. The same brand's
/// page built again (after a language switch, or coming back to it) shows the brand last
/// fetched at once, and again only if the fresh answer differs: no spinner in place of a page
/// that was just there.
pub fn frame(brand: &str, show: Show) -> H {
    let path = format!("/api/v1/brands/{}", http::segment(brand));
    // Another person signed in on this browser never sees the brand someone else last saw.
    let asker = state::me().map(|me| me.user_id).unwrap_or_default() + &path;
    let page = h("div");
    let cached = LAST.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(k, _)| *k == asker)
            .map(|(_, v)| v.clone())
    });
    // The content's scope, replaced with each showing.
    let shown = Rc::new(RefCell::new(None::<Scope>));
    let put = Rc::new({
        let page = page.clone();
        move |answer: &Result<Json, ApiError>| {
            let scope = Scope::new();
            page.clear();
            scope.run(|| match answer {
                Ok(v) => show(&page, v),
                Err(e) => page.add(&error_panel(e, Some(Key::BrandNotFound))),
            });
            shown.replace(Some(scope));
        }
    });
    let before = cached.as_ref().map(stringify);
    match cached {
        Some(v) => put(&Ok(v)),
        None => page.add(&loading()),
    }
    let scope = Scope::current().downgrade();
    // Run once, as an effect of the page so that `put` (holding the content's scope) lives as
    // long as the page does.
    effect(move || {
        let (path, asker) = (path.clone(), asker.clone());
        let (before, put, scope) = (before.clone(), put.clone(), scope.clone());
        spawn(async move {
            let answer = http::get(&path).await;
            scope.run(|| {
                let now = answer.as_ref().ok().map(stringify);
                LAST.with(|l| l.replace(answer.as_ref().ok().map(|v| (asker, v.clone()))));
                if before.is_none() || before != now {
                    put(&answer);
                }
            });
        });
    });
    page
}

fn stringify(v: &Json) -> String {
    js_sys::JSON::stringify(v)
        .map(String::from)
        .unwrap_or_default()
}

/// A part of a page fetched from `path` into `el`, and again whenever `again` changes: a
/// spinner, then `show`, or the error as a line (the rest of the page stays). The shown content
/// stays up while it is fetched again.
pub fn part(el: H, path: String, again: RwSignal<u32>, show: Show) -> H {
    let answer = RwSignal::new(None::<Result<Json, ApiError>>);
    let page = Scope::current().downgrade();
    // Answers that arrive after a newer request was made are dropped.
    let asked = Rc::new(Cell::new(0u32));
    effect(move || {
        again.track();
        let n = asked.get() + 1;
        asked.set(n);
        let (path, page, asked) = (path.clone(), page.clone(), asked.clone());
        spawn(async move {
            let got = http::get(&path).await;
            if asked.get() == n {
                page.run(|| answer.set(Some(got)));
            }
        });
    });
    el.region(move |p| match answer.get() {
        None => p.add(&loading()),
        Some(Ok(v)) => show(p, &v),
        Some(Err(e)) => p.add(&error_text(&e)),
    })
}

/// A slot for what the last attempt came to, hidden while `full` says it is empty (an empty
/// item would still take a gap in the grids and rows around it).
pub fn slot(full: Box<dyn Fn() -> bool>) -> H {
    h("div")
        .class("error-slot")
        .dyn_flag("hidden", move || !full())
}

/// `act`'s last error, the slot hidden while there is none.
pub fn error_view(act: Act) -> H {
    act.error_view()
        .dyn_flag("hidden", move || act.error.with(Option::is_none))
}

pub fn page(brand: &str) -> H {
    frame(brand, Box::new(overview))
}

fn yes_no(value: bool, yes: Key, no: Key) -> Key {
    if value {
        yes
    } else {
        no
    }
}

fn status_explained(status: ProgrammeStatus) -> Key {
    match status {
        ProgrammeStatus::Applied => Key::StatusAppliedExplained,
        ProgrammeStatus::Enrolled => Key::StatusEnrolledExplained,
        ProgrammeStatus::Suspended => Key::StatusSuspendedExplained,
    }
}

fn capacity_explained(capacity: ViewerCapacity) -> Key {
    match capacity {
        ViewerCapacity::Member(BrandRole::BrandAdmin) => Key::CanBrandAdmin,
        ViewerCapacity::Member(BrandRole::BrandAgent) => Key::CanBrandAgent,
        ViewerCapacity::Member(BrandRole::BrandViewer) => Key::CanBrandViewer,
        ViewerCapacity::AccountManager => Key::CanAccountManager,
        ViewerCapacity::Operator => Key::CanOperator,
        ViewerCapacity::Key(KeyScope::Read) => Key::CanBrandViewer,
        ViewerCapacity::Key(KeyScope::ReadWrite) => Key::CanBrandAgent,
    }
}

/// `<div class="fact"><dt>…</dt><dd id=…>…</dd></div>`.
fn fact(term: &str, id: &str, value: &str) -> H {
    hc("div", "fact")
        .child(ht("dt", term))
        .child(ht("dd", value).id(id))
}

/// A link styled as a button (`a.btn.btn-secondary#id`).
fn link_button(id: &str, href: &str, key: Key) -> H {
    hc("a", "btn btn-secondary")
        .id(id)
        .attr("href", href)
        .text(tr(key))
}

fn overview(page: &H, b: &Json) {
    let status = programme_status(&json::s(b, "programme_status"));
    let capacity = viewer_capacity(&json::get(b, "viewer"));
    let shop = yes_no(json::b(b, "has_official_shop"), Key::Yes, Key::No);
    let agreement = yes_no(
        json::b(b, "cooperation_agreement"),
        Key::AgreementSigned,
        Key::AgreementNone,
    );
    let base = format!("/brands/{}", json::s(b, "id"));
    let suspension = (status == ProgrammeStatus::Suspended).then(|| {
        let reason = json::os(b, "suspension_reason").filter(|r| !r.trim().is_empty());
        let line = match reason {
            Some(reason) => h("p")
                .child(hc("span", "muted").text(tr(Key::SuspensionReason)))
                .text(" ")
                .child(data(&reason).id("suspension-reason")),
            None => ht("p", tr(Key::SuspensionNoReason)),
        };
        hc("div", "notice notice-bad")
            .attr("role", "status")
            .id("suspension")
            .child(hc("p", "notice-title").text(tr(Key::SuspendedNoticeTitle)))
            .child(line)
    });
    let manager = hc("section", "card")
        .attr("aria-labelledby", "manager-heading")
        .child(ht("h2", tr(Key::AccountManager)).id("manager-heading"));
    let person = json::get(b, "account_manager");
    let manager = if json::has(b, "account_manager") {
        let name = json::s(&person, "display_name");
        let email = json::s(&person, "email");
        manager
            .child(
                hc("p", "person")
                    .child(
                        hc("span", "avatar")
                            .attr("aria-hidden", "true")
                            .text(&initial(&name)),
                    )
                    .child(
                        hc("span", "person-text")
                            .child(
                                hc("span", "person-name")
                                    .id("account-manager-name")
                                    .data()
                                    .text(&name),
                            )
                            .child(
                                hc("a", "person-email")
                                    .attr("href", &format!("mailto:{email}"))
                                    .data()
                                    .text(&email),
                            ),
                    ),
            )
            .child(hc("p", "muted").text(tr(Key::AccountManagerHelp)))
    } else {
        manager.child(hc("p", "muted").text(tr(Key::NoAccountManager)))
    };
    let mut buttons = hc("div", "button-row").child(link_button(
        "link-members",
        &format!("{base}/members"),
        Key::SeeMembers,
    ));
    if is_admin(capacity) {
        buttons = buttons
            .child(link_button(
                "link-api-keys",
                &format!("{base}/api-keys"),
                Key::NavApiKeys,
            ))
            .child(link_button(
                "link-webhooks",
                &format!("{base}/webhooks"),
                Key::NavWebhooks,
            ));
    }
    let programme = hc("section", "card")
        .attr("aria-labelledby", "programme-heading")
        .child(ht("h2", tr(Key::Programme)).id("programme-heading"))
        .child(
            hc("dl", "facts")
                .child(fact(
                    tr(Key::ProgrammeStatus),
                    "programme-status",
                    tr(status_key(status)),
                ))
                .child(fact(tr(Key::OfficialShop), "official-shop", tr(shop)))
                .child(fact(
                    tr(Key::CooperationAgreement),
                    "cooperation-agreement",
                    tr(agreement),
                )),
        )
        .child(hc("p", "muted").text(tr(status_explained(status))));
    let access = hc("section", "card")
        .attr("aria-labelledby", "access-heading")
        .child(ht("h2", tr(Key::YourAccess)).id("access-heading"))
        .child(
            hc("p", "capacity")
                .id("viewer-capacity")
                .text(tr(capacity_key(capacity))),
        )
        .child(hc("p", "muted").text(tr(capacity_explained(capacity))))
        .child(buttons);
    let stats = part(
        h("div"),
        format!("/api/v1/brands/{}/stats", http::segment(&json::s(b, "id"))),
        RwSignal::new(0),
        Box::new(move |p, s| standing(p, s, &base, capacity)),
    );
    page.add(
        &PageHeader::new(&json::s(b, "name"))
            .data_title()
            .eyebrow(&json::s(b, "brand_ref"))
            .title_id("brand-name")
            .aside(status_badge(status))
            .build(),
    );
    if let Some(s) = suspension {
        page.add(&s);
    }
    page.add(&stats);
    page.add(
        &hc("div", "grid")
            .child(programme)
            .child(manager)
            .child(access),
    );
}

/// Why the brand may not file (from a `BrandStats`), in the interface's language (the
/// suspension's reason as written); a refusal this app has no words for is shown as the server
/// said it. None when the brand may file.
pub fn refusal_view(stats: &Json) -> Option<H> {
    let reason = json::os(stats, "refusal_reason").filter(|r| !r.trim().is_empty());
    Some(match (json::os(stats, "refusal_code").as_deref(), reason) {
        (Some("not_enrolled"), _) => tpl(Key::RefusalNotEnrolled, &[]),
        (Some("suspended"), Some(reason)) => {
            tpl(Key::RefusalSuspendedBecause, &[Arg::Data(reason)])
        }
        (Some("suspended"), None) => tpl(Key::RefusalSuspended, &[]),
        _ => data(&json::os(stats, "refusal")?),
    })
}

/// `GET …/stats` shown: the work waiting and the lane, explained.
fn standing(p: &H, stats: &Json, base: &str, capacity: ViewerCapacity) {
    let files = can_file(capacity);
    let counts = json::get(stats, "counts");
    let awaiting = json::items(&counts)
        .iter()
        .map(json::items)
        .find(|pair| pair.first().and_then(|s| s.as_string()).as_deref() == Some("awaiting_brand"))
        .and_then(|pair| pair.get(1).and_then(|n| n.as_f64()))
        .unwrap_or(0.0) as i64;
    let s = json::get(stats, "standing");
    let lane = json::os(stats, "lane");
    let (lane_key, lane_name) = match lane.as_deref() {
        Some("auto") => (Key::LaneAuto, "auto"),
        Some("review") => (Key::LaneReview, "review"),
        _ => (Key::LaneNone, "none"),
    };
    let why = match (lane.as_deref(), json::os(stats, "review_reason").as_deref()) {
        (Some("auto"), _) => Some(Key::LaneAutoExplained),
        (_, Some("no_official_shop")) => Some(Key::ReviewNoShop),
        (_, Some("out_of_good_standing")) => Some(Key::ReviewOutOfStanding),
        _ => None,
    };
    let num = |key: &str| json::i(&s, key).to_string();
    let rate = crate::fmt::percent(json::i(&s, "reinstated_bp"));
    let threshold = crate::fmt::percent(json::i(&s, "threshold_bp"));
    let (min, window) = (num("min_decided"), num("window_days"));
    let rule = [
        min.as_str(),
        window.as_str(),
        threshold.as_str(),
        &(REVOCATION / DAY).to_string(),
    ];
    let link = |tail: &str| format!("{base}/{tail}");
    let mut quick = hc("nav", "quick-links")
        .id("quick-links")
        .attr("aria-labelledby", "work-heading");
    if files {
        quick = quick
            .child(
                hc("a", "btn btn-primary")
                    .id("link-report")
                    .attr("href", &link("report"))
                    .text(tr(Key::FileReport)),
            )
            .child(link_button(
                "link-bulk",
                &link("report/bulk"),
                Key::BulkUpload,
            ));
    }
    let quick = quick
        .child(
            link_button("link-confirm", &link("confirm"), Key::ConfirmQueue)
                .text(" ")
                .child(
                    hc("span", "count")
                        .id("awaiting-count")
                        .text(&awaiting.to_string()),
                ),
        )
        .child(link_button("link-cases", &link("cases"), Key::NavCases))
        .child(link_button("link-rights", &link("rights"), Key::NavRights));
    let no_right = (files && json::i(stats, "usable_rights") == 0).then(|| {
        hc("p", "notice notice-warn")
            .id("no-usable-right")
            .text(tr(Key::NoUsableRight))
            .text(" ")
            .child(ht("a", tr(Key::NavRights)).attr("href", &link("rights")))
    });
    let work = hc("section", "card")
        .attr("aria-labelledby", "work-heading")
        .id("work")
        .child(ht("h2", tr(Key::Work)).id("work-heading"))
        .child(quick)
        .child_opt(no_right)
        .child(ht("h3", tr(Key::CasesByStatus)))
        .child(status_chips(base, &counts, "", None, true));
    let revoked = json::oi(&s, "revoked_until").map(|until| {
        hc("p", "notice notice-warn")
            .id("revoked-until")
            .attr("role", "status")
            .text(&dated(Key::RevokedUntil, until, false))
    });
    let few = (json::i(&s, "decided") < json::i(&s, "min_decided")).then(|| {
        hc("p", "hint")
            .id("standing-few")
            .text(&trf(Key::StandingFew, &[&min]))
    });
    let standing = hc("section", "card")
        .attr("aria-labelledby", "standing-heading")
        .id("standing")
        .attr(
            "data-good",
            if json::b(&s, "good") { "true" } else { "false" },
        )
        .child(ht("h2", tr(Key::LaneAndStanding)).id("standing-heading"))
        .child(
            hc("p", &format!("lane lane-{lane_name}"))
                .id("lane")
                .attr("data-lane", lane_name)
                .text(tr(lane_key)),
        )
        .child_opt(why.map(|key| ht("p", &trf(key, &[&threshold])).id("review-reason")))
        .child_opt(refusal_view(stats).map(|r| hc("p", "notice notice-bad").id("refusal").child(r)))
        .child_opt(revoked)
        .child(
            hc("dl", "facts")
                .child(fact(
                    tr(Key::ReinstatedRate),
                    "reinstated-rate",
                    &format!("{rate}%"),
                ))
                .child(fact(
                    &trf(Key::DecidedIn, &[&window]),
                    "decided-count",
                    &num("decided"),
                ))
                .child(fact(
                    tr(Key::CsReinstated),
                    "reinstated-count",
                    &num("reinstated"),
                ))
                .child(fact(
                    tr(Key::Threshold),
                    "threshold",
                    &format!("> {threshold}%"),
                )),
        )
        .child_opt(few)
        .child(
            hc("p", "hint")
                .id("standing-rule")
                .text(&trf(Key::StandingRule, &rule)),
        );
    p.add(
        &hc("div", "grid grid-2 home-panels")
            .child(work)
            .child(standing),
    );
}
