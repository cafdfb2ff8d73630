//! `/`: sends each person where they work — staff to the staff home, brand members to their
//! first brand — or explains that no brand has been shared with them yet.

use crate::components::PageHeader;
use crate::dom::{h, hc, ht, H};
use crate::i18n::{tr, Key};
use crate::router;
use crate::state;

pub fn page() -> H {
    let target = state::me().and_then(|me| {
        if me.is_staff() {
            Some("/staff".to_owned())
        } else {
            me.memberships
                .first()
                .map(|m| format!("/brands/{}", m.brand_id))
        }
    });
    if let Some(path) = target {
        router::replace(&path);
        return h("div");
    }
    h("div")
        .child(PageHeader::new(tr(Key::NoBrandsTitle)).build())
        .child(
            hc("section", "card empty-state")
                .id("no-brands")
                .child(ht("p", tr(Key::NoBrandsBody)))
                .child(hc("p", "muted").text(tr(Key::NoBrandsHint)))
                .child(
                    hc("a", "btn btn-secondary")
                        .attr("href", "/account")
                        .text(tr(Key::NavAccount)),
                ),
        )
}
