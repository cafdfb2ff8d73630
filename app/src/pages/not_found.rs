//! Any address the app does not know.

use crate::dom::{hc, ht, H};
use crate::i18n::{tr, Key};
use crate::pages::login::auth_frame;

pub fn page() -> H {
    auth_frame(
        hc("section", "card auth-card")
            .id("not-found")
            .child(hc("p", "eyebrow").text("404"))
            .child(ht("h1", tr(Key::NotFoundTitle)))
            .child(ht("p", tr(Key::NotFoundBody)))
            .child(
                hc("a", "btn btn-primary")
                    .attr("href", "/")
                    .text(tr(Key::BackHome)),
            ),
    )
}
