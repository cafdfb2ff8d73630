//! The frame of a brand's pages (`/brands/:brand_id/…`): the brand asked for once, kept while
//! the person moves between its pages, and given to the page as context.

use crate::components::{ErrorPanel, Loading};
use crate::http;
use crate::i18n::Key;
use jf_core::api::BrandView;
use jf_core::routes::RouteId;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_params_map;

/// Loads the brand of the path; its page (the `<Outlet/>`) is built once the brand is here, with
/// the `BrandView` in context. A brand that does not exist, or is not the viewer's, is explained.
#[component]
pub fn BrandFrame() -> impl IntoView {
    let params = use_params_map();
    let brand_id = Memo::new(move |_| params.read().get("brand_id").unwrap_or_default());
    let brand = LocalResource::new(move || {
        let path = http::api(RouteId::GetBrand, &[&brand_id.get()]);
        async move { http::get::<BrandView>(&path).await }
    });
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            {move || {
                brand
                    .get()
                    .map(|answer| match answer {
                        Ok(view) => {
                            provide_context(view);
                            view! { <Outlet/> }.into_any()
                        }
                        Err(err) => {
                            view! { <ErrorPanel err=err not_found=Key::BrandNotFound/> }.into_any()
                        }
                    })
            }}
        </Transition>
    }
}
