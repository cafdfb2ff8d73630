//! The staff portfolio (`#portfolio`): the brands side by side — standing, the confirmation backlog, overdue reviews and arbitrations, flags expired this week — each figure a link into its queue; cards on a phone, a table on a desk.

use crate::components::{part, tpl_into, Arg, ErrorSlot, Paged, StatusBadge};
use crate::fmt;
use crate::http::{self, encode};
use crate::i18n::{dated, tr, trf, Key};
use jf_core::api::{Portfolio, PortfolioBrand};
use jf_core::routes::RouteId;
use leptos::prelude::*;

/// The first page for a name filter (empty: every brand).
fn first_page(q: &str) -> String {
    let path = http::api(RouteId::StaffPortfolio, &[]);
    match q.trim() {
        "" => format!("{path}?limit=25"),
        q => format!("{path}?limit=25&q={}", encode(q)),
    }
}

#[component]
pub(super) fn PortfolioCard() -> impl IntoView {
    let typed = RwSignal::new(String::new());
    // The filter as last submitted: the first page is asked for again when it changes.
    let applied = RwSignal::new(String::new());
    let first = LocalResource::new(move || {
        let path = first_page(&applied.get());
        async move { http::get::<Portfolio>(&path).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(typed.get_untracked().trim().to_owned());
    };
    let show =
        move |p: Portfolio| view! { <PortfolioList p path=first_page(&applied.get_untracked())/> };
    view! {
        <section class="card" id="portfolio" aria-labelledby="portfolio-heading">
            <h2 id="portfolio-heading">{move || tr(Key::Portfolio)}</h2>
            <p class="muted">{move || tr(Key::PortfolioLead)}</p>
            <form class="form portfolio-filter" role="search" on:submit=submit>
                <label class="visually-hidden" for="portfolio-q">{move || tr(Key::PortfolioFilter)}</label>
                <input
                    class="input"
                    id="portfolio-q"
                    type="search"
                    name="q"
                    autocomplete="off"
                    maxlength="200"
                    placeholder=move || tr(Key::PortfolioFilter)
                    bind:value=typed
                />
                <button class="btn btn-secondary" type="submit" id="portfolio-filter">
                    {move || tr(Key::PortfolioFilterButton)}
                </button>
            </form>
            {part(first, show)}
        </section>
    }
}

/// The brands so far, and "Load more" (`#portfolio-more`) appending the next page.
#[component]
fn PortfolioList(p: Portfolio, path: String) -> impl IntoView {
    if p.brands.is_empty() {
        return view! { <p class="muted" id="no-portfolio">{move || tr(Key::NoPortfolioBrands)}</p> }
            .into_any();
    }
    let paged = Paged::new(path, p.brands, p.next_cursor, |p: Portfolio| {
        (p.brands, p.next_cursor)
    });
    let Paged {
        rows: brands,
        next,
        error,
        ..
    } = paged;
    let pending = paged.pending();
    let load_more = move |_| paged.load_more();
    view! {
        <div>
            // Phones: one card per brand.
            <ul class="rows portfolio-cards" id="portfolio-cards">
                <For
                    each=move || brands.get().into_iter().enumerate()
                    key=|(i, _)| *i
                    children=|(_, b)| view! { <BrandCard b/> }
                />
            </ul>
            // Desks: one row per brand.
            <div class="table-wrap portfolio-table-wrap">
                <table class="table portfolio-table" id="portfolio-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(Key::PfBrand)}</th>
                            <th scope="col">{move || tr(Key::PfStanding)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfToConfirm)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfReviewsOverdue)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfArbitrationsOverdue)}</th>
                            <th scope="col" class="num">{move || tr(Key::PfExpiredThisWeek)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || brands.get().into_iter().enumerate()
                            key=|(i, _)| *i
                            children=|(_, b)| view! { <BrandRow b/> }
                        />
                    </tbody>
                </table>
            </div>
            <Show when=move || next.with(Option::is_some)>
                <p class="load-more">
                    <button
                        class="btn btn-secondary"
                        type="button"
                        id="portfolio-more"
                        disabled=move || pending.get()
                        on:click=load_more
                    >
                        {move || tr(if pending.get() { Key::Loading } else { Key::LoadMore })}
                    </button>
                </p>
            </Show>
            <ErrorSlot err=error/>
        </div>
    }
    .into_any()
}

/// Where each figure leads: the confirmation queue, and the case list by status.
struct Links {
    brand: String,
    confirm: String,
    reviews: String,
    arbitrations: String,
    expired: String,
}

fn links(b: &PortfolioBrand) -> Links {
    let base = format!("/brands/{}", b.id);
    Links {
        confirm: format!("{base}/confirm"),
        reviews: format!("{base}/cases?status=under_review"),
        arbitrations: format!("{base}/cases?status=in_arbitration"),
        expired: format!("{base}/cases?status=expired"),
        brand: base,
    }
}

/// The standing in a line: good, or out of it until a date; with the reinstated share.
#[component]
fn StandingText(b: PortfolioBrand) -> impl IntoView {
    let s = b.standing;
    let rate = fmt::percent(s.reinstated_bp);
    let decided = s.decided.to_string();
    let verdict = move || match s.revoked_until {
        Some(until) if !s.good => dated(Key::PfRevokedUntil, until, false),
        _ => tr(Key::PfGood).to_owned(),
    };
    let class = if s.good {
        "standing-good"
    } else {
        "standing-bad"
    };
    view! {
        <span class=format!("pf-standing {class}")>{verdict}</span>
        <span class="muted small pf-rate">{move || trf(Key::PfRate, &[&rate, &decided])}</span>
    }
}

/// A figure as a link into its queue (named with what it counts and the brand, for a screen
/// reader), with how many are open beside it when there are more.
#[component]
fn Figure(
    n: i64,
    #[prop(optional)] of: Option<i64>,
    href: String,
    class: &'static str,
    label: Key,
    brand: String,
) -> impl IntoView {
    let of = of.filter(|&open| open > n).map(|open| {
        let open = open.to_string();
        view! { " " <span class="muted small">{move || trf(Key::PfOfOpen, &[&open])}</span> }
    });
    let class = format!("pf-figure {class}{}", if n > 0 { " pf-some" } else { "" });
    // The name a screen reader says is words and data apart (an aria-label cannot mark the
    // brand's name as data, which a translator must leave alone).
    let name = tpl_into(
        Key::PfFigureLabel,
        vec![Arg::Text(label), Arg::Data(brand), Arg::Data(n.to_string())],
        "",
    );
    view! {
        <a class=class href=href>
            <span aria-hidden="true">{n}</span>
            <span class="visually-hidden">{name}</span>
        </a>
        {of}
    }
}

#[component]
fn BrandRow(b: PortfolioBrand) -> impl IntoView {
    let l = links(&b);
    let manager = b.account_manager_name.clone().map(
        |m| view! { <p class="muted small">{tpl_into(Key::ManagedBy, vec![Arg::Data(m)], "")}</p> },
    );
    view! {
        <tr class="pf-row" data-brand-id=b.id.to_string()>
            <th scope="row">
                <a class="pf-brand" href=l.brand translate="no">{b.name.clone()}</a>
                " "
                <StatusBadge status=b.programme_status/>
                {manager}
            </th>
            <td><StandingText b=b.clone()/></td>
            <td class="num"><Figure n=b.awaiting_brand href=l.confirm class="pf-confirm" label=Key::PfToConfirm brand=b.name.clone()/></td>
            <td class="num">
                <Figure n=b.reviews_overdue of=b.under_review href=l.reviews class="pf-reviews" label=Key::PfReviewsOverdue brand=b.name.clone()/>
            </td>
            <td class="num">
                <Figure
                    n=b.arbitrations_overdue
                    of=b.in_arbitration
                    href=l.arbitrations
                    class="pf-arbitrations" label=Key::PfArbitrationsOverdue brand=b.name.clone()
                />
            </td>
            <td class="num"><Figure n=b.expired_this_week href=l.expired class="pf-expired" label=Key::PfExpiredThisWeek brand=b.name.clone()/></td>
        </tr>
    }
}

#[component]
fn BrandCard(b: PortfolioBrand) -> impl IntoView {
    let l = links(&b);
    let manager = b.account_manager_name.clone().map(
        |m| view! { <p class="row-sub">{tpl_into(Key::ManagedBy, vec![Arg::Data(m)], "")}</p> },
    );
    view! {
        <li class="row pf-card" data-brand-id=b.id.to_string()>
            <div class="pf-card-head">
                <p class="row-title">
                    <a class="row-link pf-brand" href=l.brand translate="no">{b.name.clone()}</a>
                    <StatusBadge status=b.programme_status/>
                </p>
                {manager}
                <p class="row-sub"><StandingText b=b.clone()/></p>
            </div>
            <dl class="pf-figures">
                <div>
                    <dt>{move || tr(Key::PfToConfirm)}</dt>
                    <dd><Figure n=b.awaiting_brand href=l.confirm class="pf-confirm" label=Key::PfToConfirm brand=b.name.clone()/></dd>
                </div>
                <div>
                    <dt>{move || tr(Key::PfReviewsOverdue)}</dt>
                    <dd><Figure n=b.reviews_overdue of=b.under_review href=l.reviews class="pf-reviews" label=Key::PfReviewsOverdue brand=b.name.clone()/></dd>
                </div>
                <div>
                    <dt>{move || tr(Key::PfArbitrationsOverdue)}</dt>
                    <dd>
                        <Figure
                            n=b.arbitrations_overdue
                            of=b.in_arbitration
                            href=l.arbitrations
                            class="pf-arbitrations" label=Key::PfArbitrationsOverdue brand=b.name.clone()
                        />
                    </dd>
                </div>
                <div>
                    <dt>{move || tr(Key::PfExpiredThisWeek)}</dt>
                    <dd><Figure n=b.expired_this_week href=l.expired class="pf-expired" label=Key::PfExpiredThisWeek brand=b.name.clone()/></dd>
                </div>
            </dl>
        </li>
    }
}
