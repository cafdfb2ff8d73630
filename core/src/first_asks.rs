//! What each page of the portal asks the API for first, by route: `session.js` (generated from
//! this table at build time) asks for it while the app downloads, and the page takes the answers.

use crate::routes::RouteId;

/// One request a page makes as it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstAsk {
    pub route: RouteId,
    /// The query string the page adds, without `?` (empty for none).
    pub query: &'static str,
    /// Asked only once this other route of the page answered 200 (a brand's figures wait for
    /// the brand, so a brand that is not there costs one refused request, not two).
    pub after: Option<RouteId>,
}

/// A page (its path, `{name}` segments named as the API routes name them) and its first asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageAsks {
    pub page: &'static str,
    pub asks: &'static [FirstAsk],
}

const fn ask(route: RouteId) -> FirstAsk {
    FirstAsk {
        route,
        query: "",
        after: None,
    }
}

/// The top bar's reminders bell, on every brand page.
const BELL: FirstAsk = ask(RouteId::Reminders);
/// The brand frame around most brand pages.
const BRAND: FirstAsk = ask(RouteId::GetBrand);

/// The confirmation queue's list (the page asks for exactly this).
pub const QUEUE_QUERY: &str = "status=awaiting_brand&limit=100";

pub static PAGES: &[PageAsks] = &[
    PageAsks {
        page: "/brands/{brand_id}",
        asks: &[
            BELL,
            BRAND,
            FirstAsk {
                route: RouteId::BrandStats,
                query: "",
                after: Some(RouteId::GetBrand),
            },
        ],
    },
    PageAsks {
        page: "/brands/{brand_id}/confirm",
        asks: &[
            BELL,
            BRAND,
            FirstAsk {
                route: RouteId::ListCases,
                query: QUEUE_QUERY,
                after: None,
            },
            ask(RouteId::ListIpRights),
        ],
    },
    PageAsks {
        page: "/brands/{brand_id}/cases/{case_id}",
        asks: &[BELL, ask(RouteId::GetCase)],
    },
    PageAsks {
        page: "/brands/{brand_id}/cases",
        asks: &[BELL],
    },
    PageAsks {
        page: "/brands/{brand_id}/members",
        asks: &[BELL, BRAND],
    },
    PageAsks {
        page: "/brands/{brand_id}/report",
        asks: &[BELL, BRAND],
    },
    PageAsks {
        page: "/brands/{brand_id}/report/bulk",
        asks: &[BELL, BRAND],
    },
    PageAsks {
        page: "/brands/{brand_id}/rights",
        asks: &[BELL, BRAND],
    },
    PageAsks {
        page: "/brands/{brand_id}/sellers/{seller_id}",
        asks: &[BELL, BRAND, ask(RouteId::BrandSeller)],
    },
    PageAsks {
        page: "/brands/{brand_id}/api-keys",
        asks: &[BELL, BRAND],
    },
    PageAsks {
        page: "/brands/{brand_id}/webhooks",
        asks: &[BELL, BRAND],
    },
];

impl FirstAsk {
    /// The path asked for, `{name}` segments left for the page's values.
    pub fn path_pattern(&self) -> String {
        let path = self.route.route().path;
        if self.query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", self.query)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::Method;

    #[test]
    fn first_asks_are_reads_whose_values_the_page_has() {
        for page in PAGES {
            for ask in page.asks {
                let route = ask.route.route();
                assert_eq!(route.method, Method::Get, "{}: {:?}", page.page, ask.route);
                // Every `{name}` of the API path is one the page's own path carries.
                for name in route.path.split('/').filter(|s| s.starts_with('{')) {
                    assert!(page.page.contains(name), "{}: {name}", page.page);
                }
                if let Some(after) = ask.after {
                    assert!(page.asks.iter().any(|a| a.route == after), "{}", page.page);
                }
            }
        }
    }
}
