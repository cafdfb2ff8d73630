//! `/brands/:brand_id/sellers/:seller_id`: a seller as a brand sees it — its name, whether
//! JointForce flagged it as a repeat infringer, and the brand's own cases against it.
//! `/staff/sellers/:seller_id`: the same for marketplace staff, with every brand's cases.

use crate::components::{error_panel, is_staff, load, loading, viewer_capacity, PageHeader};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, spawn, Scope, H};
use crate::http::{self, ApiError};
use crate::i18n::{dated, tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::brand::frame;
use crate::pages::cases::case_row;
use crate::pages::staff::staff_only;
use crate::state;
use jf_core::cases::{REPEAT_THRESHOLD, REPEAT_WINDOW};
use jf_core::clock::DAY;

/// `GET path` started now, its answer in a signal (to fetch alongside something else).
fn fetched(path: String) -> RwSignal<Option<Result<Json, ApiError>>> {
    let answer = RwSignal::new(None);
    let page = Scope::current().downgrade();
    spawn(async move {
        let got = http::get(&path).await;
        page.run(|| answer.set(Some(got)));
    });
    answer
}

pub fn brand_page(brand: &str, seller: &str) -> H {
    // Asked for alongside the brand, not after it.
    let answer = fetched(format!(
        "/api/v1/brands/{}/sellers/{}",
        http::segment(brand),
        http::segment(seller)
    ));
    frame(
        brand,
        Box::new(move |p, b| {
            let name = json::s(b, "name");
            let staff = is_staff(viewer_capacity(&json::get(b, "viewer")));
            p.clone().region(move |p| match answer.get() {
                None => p.add(&loading()),
                Some(Err(e)) => p.add(&error_panel(&e, Some(Key::SellerNotFound))),
                Some(Ok(v)) => show(p, &v, Some((&name, staff))),
            });
        }),
    )
}

pub fn staff_page(seller: &str) -> H {
    if !state::me().is_some_and(|me| me.is_staff()) {
        return h("div")
            .child(PageHeader::new(tr(Key::StaffTitle)).build())
            .child(staff_only());
    }
    let page = h("div");
    load(
        &page,
        format!("/api/v1/manager/sellers/{}", http::segment(seller)),
        Some(Key::SellerNotFound),
        |p, v| show(p, v, None),
    );
    page
}

/// The seller into `p`; `brand`: the name of the brand whose page this is and whether the viewer
/// is staff there (none: the staff page).
fn show(p: &H, seller: &Json, brand: Option<(&str, bool)>) {
    let staff_page = brand.is_none();
    let seller_id = json::s(seller, "seller_id");
    let repeat = json::b(seller, "repeat_infringer");
    let flag = match json::oi(seller, "flagged_at").filter(|_| repeat) {
        Some(at) => Some(dated(Key::RepeatInfringerSince, at, false)),
        None if repeat => Some(tr(Key::RepeatInfringer).to_owned()),
        None => None,
    };
    let flag = match flag {
        Some(text) => hc("p", "notice notice-bad")
            .id("repeat-infringer-since")
            .attr("role", "status")
            .text(&text),
        None => hc("p", "muted")
            .id("not-repeat-infringer")
            .text(tr(Key::NotRepeatInfringer)),
    };
    let mut header = PageHeader::new(&json::s(seller, "name"))
        .data_title()
        .eyebrow_note(Key::Seller)
        .title_id("seller-name");
    if let Some((name, _)) = brand {
        header = header.eyebrow(name);
    }
    if repeat {
        header = header.aside(
            hc("span", "badge badge-bad")
                .id("repeat-infringer")
                .text(tr(Key::RepeatInfringer)),
        );
    }
    // Staff looking at one brand's view of the seller may see every brand's cases.
    let all_brands = brand.filter(|(_, staff)| *staff).map(|_| {
        hc("a", "btn btn-secondary")
            .id("all-brands-cases")
            .attr(
                "href",
                &format!("/staff/sellers/{}", http::segment(&seller_id)),
            )
            .text(tr(Key::SeeAllBrandsCases))
    });
    let rule = [
        REPEAT_THRESHOLD.to_string(),
        (REPEAT_WINDOW / DAY).to_string(),
    ];
    let cases = json::list(seller, "cases");
    let list = if cases.is_empty() {
        hc("p", "muted")
            .id("no-seller-cases")
            .text(tr(Key::NothingHere))
    } else {
        hc("ul", "rows case-rows")
            .id("seller-case-list")
            .children(cases.iter().map(|c| case_row(c, staff_page, true, None)))
    };
    let heading = if staff_page {
        Key::SellerCasesAll
    } else {
        Key::SellerCasesBrand
    };
    p.add(&header.build());
    p.add(
        &hc("div", "stack")
            .child(
                hc("section", "card")
                    .id("seller-facts")
                    .attr("aria-labelledby", "seller-facts-heading")
                    .child(ht("h2", tr(Key::RepeatInfringer)).id("seller-facts-heading"))
                    .child(flag)
                    .child(
                        hc("dl", "facts").child(
                            hc("div", "fact")
                                .child(ht("dt", tr(Key::SellerId)))
                                .child(hc("dd", "mono").id("seller-id").data().text(&seller_id)),
                        ),
                    )
                    .child(hc("p", "hint").text(&trf(Key::RepeatRule, &[&rule[0], &rule[1]])))
                    .child_opt(all_brands),
            )
            .child(
                hc("section", "card")
                    .id("seller-cases")
                    .attr("aria-labelledby", "seller-cases-heading")
                    .child(
                        ht("h2", tr(heading))
                            .id("seller-cases-heading")
                            .text(" ")
                            .child(hc("span", "count").text(&cases.len().to_string())),
                    )
                    .child(list),
            ),
    );
}
