//! `/brands/:brand_id/audit`: a brand's audit log; its filters, rows and paging serve the staff's log and the account's sign-ins too.

// The filters live in the address (`kind`, `actor`, `from`, `to` as dates), as on the case list,
// so a filtered log can be linked, and exported as it is shown; more entries come by keyset
// cursor ("Load more").

use crate::components::{
    case_status_key, data, is_admin, is_staff, role_key, staff_key, status_key, tpl_into, AdminNav,
    AdminOnly, Arg, ErrorSlot, ErrorText, Loading, PageHeader, Paged,
};
use crate::filters::DateFilter;
pub use crate::filters::Filters;
use crate::fmt;
use crate::http::{self, api, encode};
use crate::i18n::{lang, tr, Key};
use jf_core::api::{AuditEntryView, AuditLog, BrandView, MembersView};
use jf_core::audit::AuditKind;
use jf_core::case::Status;
use jf_core::routes::RouteId;
use jf_core::types::{BrandRole, ProgrammeStatus, StaffRole};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The filters the address may hold.
const NAMES: &[&str] = &["kind", "actor", "from", "to"];
/// Entries per page of a log.
pub const PAGE: u32 = 25;

/// Ids and names (people for the actor filter, brands for "for <brand>").
pub type Names = Signal<Vec<(String, String)>>;

/// The address's filters, following it.
pub fn address_filters() -> Memo<Filters> {
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        Filters::read(NAMES, |name| query.get(name))
    })
}

/// The API path of a log's first page with the address's filters.
pub fn first_page(list: String, filters: Memo<Filters>) -> Signal<String> {
    Signal::derive(move || {
        format!(
            "{list}?{}limit={PAGE}",
            filters.with(|f| f.query(true, None))
        )
    })
}

/// "Export CSV" (`#export-csv`): the export of `export` with the filters shown.
pub fn export_link(export: String, filters: Memo<Filters>) -> impl IntoView {
    let href = move || {
        let q = filters.with(|f| f.query(true, None));
        format!("{export}?{q}")
            .trim_end_matches(['&', '?'])
            .to_owned()
    };
    view! {
        <a class="btn btn-secondary" id="export-csv" href=href download="audit.csv">
            {move || tr(Key::ExportCsv)}
        </a>
    }
}

/// What an entry's kind is called; every kind has its words in both languages.
pub fn kind_key(kind: AuditKind) -> Key {
    match kind {
        AuditKind::SignedIn => Key::AkSignedIn,
        AuditKind::SignInFailed => Key::AkSignInFailed,
        AuditKind::SignedOut => Key::AkSignedOut,
        AuditKind::SessionEnded => Key::AkSessionEnded,
        AuditKind::OtherSessionsEnded => Key::AkOtherSessionsEnded,
        AuditKind::PasswordChanged => Key::AkPasswordChanged,
        AuditKind::InvitationSent => Key::AkInvitationSent,
        AuditKind::InvitationAccepted => Key::AkInvitationAccepted,
        AuditKind::InvitationCancelled => Key::AkInvitationCancelled,
        AuditKind::MemberAdded => Key::AkMemberAdded,
        AuditKind::MemberRoleChanged => Key::AkMemberRoleChanged,
        AuditKind::MemberRemoved => Key::AkMemberRemoved,
        AuditKind::UserCreated => Key::AkUserCreated,
        AuditKind::UserDisabled => Key::AkUserDisabled,
        AuditKind::UserEnabled => Key::AkUserEnabled,
        AuditKind::StaffRoleGranted => Key::AkStaffRoleGranted,
        AuditKind::StaffRoleRemoved => Key::AkStaffRoleRemoved,
        AuditKind::ApiKeyCreated => Key::AkApiKeyCreated,
        AuditKind::ApiKeyRevoked => Key::AkApiKeyRevoked,
        AuditKind::EndpointCreated => Key::AkEndpointCreated,
        AuditKind::EndpointDisabled => Key::AkEndpointDisabled,
        AuditKind::EndpointEnabled => Key::AkEndpointEnabled,
        AuditKind::EndpointDeleted => Key::AkEndpointDeleted,
        AuditKind::BrandCreated => Key::AkBrandCreated,
        AuditKind::ManagerAssigned => Key::AkManagerAssigned,
        AuditKind::ProgrammeChanged => Key::AkProgrammeChanged,
        AuditKind::RightReviewed => Key::AkRightReviewed,
        AuditKind::CaseMoved => Key::AkCaseMoved,
        AuditKind::DeadLetterDiscarded => Key::AkDeadLetterDiscarded,
    }
}

fn kind_of(code: &str) -> Option<AuditKind> {
    AuditKind::ALL.iter().copied().find(|k| k.as_str() == code)
}

/// The page: for the brand's admins and its staff, the filters and the log; `#admin-only` for
/// everyone else (the server refuses them too).
#[component]
pub fn BrandAudit() -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let id = brand.id.to_string();
    let admin = is_admin(brand.viewer);
    let reads = admin || is_staff(brand.viewer);
    let filters = address_filters();
    let export = api(RouteId::ExportBrandAudit, &[&id]);
    let aside = reads.then(|| {
        let export = export.clone();
        move || export_link(export.clone(), filters)
    });
    let body = if reads {
        view! {
            {admin.then(|| view! { <AdminNav brand=id.clone() current="audit"/> })}
            <BrandLog brand=brand.clone() filters/>
        }
        .into_any()
    } else {
        view! { <AdminOnly brand=id key=Key::AuditOnly/> }.into_any()
    };
    let title = move || tr(Key::NavAudit);
    let lead = move || tr(Key::AuditLead);
    let header = match aside {
        Some(aside) => {
            view! { <PageHeader title eyebrow=brand.name.clone() lead aside/> }.into_any()
        }
        None => view! { <PageHeader title eyebrow=brand.name.clone() lead/> }.into_any(),
    };
    view! { <div>{header} {body}</div> }.into_any()
}

/// The brand's filters (its members as the people) and its entries.
#[component]
fn BrandLog(brand: BrandView, filters: Memo<Filters>) -> impl IntoView {
    let id = brand.id.to_string();
    let members = http::api(RouteId::ListMembers, &[&id]);
    let members = LocalResource::new(move || {
        let path = members.clone();
        async move { http::get::<MembersView>(&path).await }
    });
    let people = Signal::derive(move || {
        members
            .get()
            .and_then(Result::ok)
            .map(|m| {
                let members = m.members.into_iter();
                members
                    .map(|m| (m.user_id.to_string(), m.display_name))
                    .collect()
            })
            .unwrap_or_default()
    });
    let brands = vec![(id.clone(), brand.name)];
    let path = first_page(api(RouteId::BrandAudit, &[&id]), filters);
    view! {
        <FilterForm base=format!("/brands/{id}/audit") filters people/>
        <div class="card">
            <Log path brands=Signal::derive(move || brands.clone())/>
        </div>
    }
}

/// The filter form (`#audit-filters`): applying it goes to `base` with its filters.
#[component]
pub fn FilterForm(
    #[prop(into)] base: String,
    filters: Memo<Filters>,
    people: Names,
) -> impl IntoView {
    let navigate = use_navigate();
    let form = NodeRef::<leptos::html::Form>::new();
    let to = base.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(data) = form
            .get_untracked()
            .and_then(|f| web_sys::FormData::new_with_form(&f).ok())
        else {
            return;
        };
        let q = Filters::read(NAMES, |name| data.get(name).as_string()).query(false, None);
        navigate(
            format!("{to}?{q}").trim_end_matches(['&', '?']),
            Default::default(),
        );
    };
    let kinds = AuditKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), kind_key(*k)))
        .collect::<Vec<_>>();
    view! {
        <form
            class="card filters"
            id="audit-filters"
            role="search"
            aria-label=move || tr(Key::AuditFilters)
            node_ref=form
            on:submit=on_submit
        >
            <KindSelect filters kinds/>
            <ActorSelect filters people/>
            <DateFilter name="from" label=Key::FromDate filters/>
            <DateFilter name="to" label=Key::ToDate filters/>
            <div class="filter-actions">
                <button class="btn btn-primary" type="submit" id="apply-filters">
                    {move || tr(Key::ApplyFilters)}
                </button>
                <a class="btn btn-ghost" id="clear-filters" href=base>
                    {move || tr(Key::ClearFilters)}
                </a>
            </div>
        </form>
    }
}

/// An `<option>` chosen while the address's filter `name` is `value`.
fn option_of(
    name: &'static str,
    value: String,
    filters: Memo<Filters>,
) -> impl Fn() -> bool + Copy {
    let value = StoredValue::new(value);
    move || filters.with(|f| value.with_value(|v| f.get(name) == v))
}

/// The kind filter (`#f-kind`): every kind, in words.
#[component]
fn KindSelect(filters: Memo<Filters>, kinds: Vec<(String, Key)>) -> impl IntoView {
    let options = kinds
        .into_iter()
        .map(|(value, key)| {
            let here = option_of("kind", value.clone(), filters);
            view! {
                <option value=value selected=here prop:selected=here>
                    {move || tr(key)}
                </option>
            }
        })
        .collect_view();
    let all = option_of("kind", String::new(), filters);
    view! {
        <div class="field">
            <label for="f-kind">{move || tr(Key::AuditWhat)}</label>
            <select class="select" id="f-kind" name="kind">
                <option value="" selected=all prop:selected=all>{move || tr(Key::All)}</option>
                {options}
            </select>
        </div>
    }
}

/// The actor filter (`#f-actor`): the people known to the page, and the address's actor even
/// when it is not one of them (a former member).
#[component]
fn ActorSelect(filters: Memo<Filters>, people: Names) -> impl IntoView {
    let options = move || {
        let mut people = people.get();
        let asked = filters.with(|f| f.get("actor").to_owned());
        if !asked.is_empty() && !people.iter().any(|(id, _)| *id == asked) {
            people.push((asked.clone(), asked));
        }
        people
            .into_iter()
            .map(|(id, name)| {
                let here = option_of("actor", id.clone(), filters);
                view! {
                    <option value=id selected=here prop:selected=here translate="no">
                        {name}
                    </option>
                }
            })
            .collect_view()
    };
    let all = option_of("actor", String::new(), filters);
    view! {
        <div class="field">
            <label for="f-actor">{move || tr(Key::AuditWho)}</label>
            <select class="select" id="f-actor" name="actor">
                <option value="" selected=all prop:selected=all>{move || tr(Key::All)}</option>
                {options}
            </select>
        </div>
    }
}

/// A log from its first page (`path`, asked again when it changes): its entries with "Load
/// more", or `empty` said when there are none. `mine`: one's own sign-ins (no "who" column).
#[component]
pub fn Log(
    #[prop(into)] path: Signal<String>,
    brands: Names,
    #[prop(optional)] mine: bool,
    #[prop(default = "audit-list")] list_id: &'static str,
    #[prop(default = "load-more")] more_id: &'static str,
    #[prop(default = Key::NoAuditEntries)] empty: Key,
) -> impl IntoView {
    // The answer carries the path it was asked with, which "Load more" continues.
    let first = LocalResource::new(move || {
        let path = path.get();
        async move { http::get::<AuditLog>(&path).await.map(|log| (log, path)) }
    });
    let shown = move || {
        first.get().map(|answer| match answer {
            Ok((log, _)) if log.entries.is_empty() => view! {
                <p class="empty-state muted" id="no-audit-entries">{move || tr(empty)}</p>
            }
            .into_any(),
            Ok((log, path)) => view! { <Entries log path brands mine list_id more_id/> }.into_any(),
            // One line: the filters above stay there to change.
            Err(err) => view! { <ErrorText err/> }.into_any(),
        })
    };
    view! {
        <div>
            <Suspense fallback=|| view! { <Loading/> }>{shown}</Suspense>
        </div>
    }
}

/// The first page's entries and the next ones "Load more" (`#{more_id}`) appends.
#[component]
fn Entries(
    log: AuditLog,
    path: String,
    brands: Names,
    mine: bool,
    list_id: &'static str,
    more_id: &'static str,
) -> impl IntoView {
    let paged = Paged::new(path, log.entries, log.next_cursor, |l: AuditLog| {
        (l.entries, l.next_cursor)
    });
    let Paged {
        rows, next, error, ..
    } = paged;
    let pending = paged.pending();
    let load_more = move |_| paged.load_more();
    let class = if mine {
        "rows audit-rows audit-mine"
    } else {
        "rows audit-rows"
    };
    view! {
        <ul class=class id=list_id aria-label=move || tr(Key::AuditEntries)>
            <For
                each=move || rows.get()
                key=|e| e.id.clone()
                children=move |entry| view! { <EntryRow entry brands mine/> }
            />
        </ul>
        <div>
            <Show when=move || next.with(Option::is_some)>
                <p class="load-more">
                    <button
                        class="btn btn-secondary"
                        type="button"
                        id=more_id
                        disabled=move || pending.get()
                        on:click=load_more
                    >
                        {move || tr(if pending.get() { Key::Loading } else { Key::LoadMore })}
                    </button>
                </p>
            </Show>
        </div>
        <ErrorSlot err=error/>
    }
}

/// One entry (`.audit-entry[data-kind]`): when, what, who (for whom), and what it was about.
#[component]
fn EntryRow(entry: AuditEntryView, brands: Names, mine: bool) -> impl IntoView {
    let AuditEntryView {
        id,
        at,
        kind,
        actor_kind,
        actor_id,
        actor_name,
        on_behalf_of,
        brand_id,
        subject_kind,
        subject_id,
        subject_name,
        address,
        details,
        ..
    } = entry;
    // A person's own sign-in or password needs no subject: "who" (or the page) names them.
    let own = mine || (subject_kind.as_deref() == Some("user") && subject_id == actor_id);
    let subject = subject_kind.as_deref().zip(subject_id.as_deref());
    let about = (!own)
        .then(|| about(&kind, subject, subject_name, &details))
        .flatten();
    let said = said(&kind, &details);
    let who = (!mine).then(|| {
        let behalf = on_behalf_of.map(|b| view! { <ForBrand id=b.to_string() brands/> });
        view! { <p class="row-sub audit-who">{who(&actor_kind, actor_name)}{behalf}</p> }
    });
    let case = match (subject_kind.as_deref(), brand_id, subject_id) {
        (Some("case"), Some(brand), Some(case)) => {
            Some(view! { <CaseLink brand=brand.to_string() case/> })
        }
        _ => None,
    };
    let address = address.filter(|a| !a.is_empty()).map(|a| {
        let args = vec![Arg::Data(a)];
        view! { <span class="mono audit-address">{tpl_into(Key::FromAddress, args, "")}</span> }
    });
    view! {
        <li class="row audit-entry" data-kind=kind.clone() data-entry-id=id>
            <p class="row-sub audit-when">
                <time datetime=fmt::iso(at)>{move || fmt::date_time(lang(), at)}</time>
            </p>
            <p class="row-title audit-what">
                {what(&kind)}
                {moved(&details)}
            </p>
            {who}
            <p class="row-sub audit-about">{about}{said}{case}{address}</p>
        </li>
    }
}

/// The kind in words (a code the app does not know yet, as sent).
fn what(code: &str) -> AnyView {
    match kind_of(code) {
        Some(kind) => (move || tr(kind_key(kind))).into_any(),
        None => data(code.to_owned()).into_any(),
    }
}

/// A case's move, from one status to another: "Under review → Taken down".
fn moved(details: &serde_json::Value) -> Option<impl IntoView> {
    let status = |name: &str| {
        details
            .get(name)?
            .as_str()
            .and_then(|s| Status::parse(s).ok())
    };
    let to = status("to")?;
    let from = status("from").map(|from| view! { {move || tr(case_status_key(from))}" → " });
    Some(view! {
        <span class="audit-move">{from}{move || tr(case_status_key(to))}</span>
    })
}

/// What the entry is about, in words by its kind, with its name as data: "API key «ERP»",
/// "Member Arjun Mehta". A subject that is gone keeps its short id; a person the reader may not
/// see by name (the brand's log, about someone no longer with it) is said so. Sessions are said
/// by the kind, cases by their link.
fn about(
    kind: &str,
    subject: Option<(&str, &str)>,
    name: Option<String>,
    details: &serde_json::Value,
) -> Option<AnyView> {
    let Some((subject_kind, id)) = subject else {
        // A failed sign-in for an email no account has: the email tried.
        let email = details.get("email")?.as_str()?.to_owned();
        return (kind == "sign_in_failed").then(|| subject_words(Key::AboutEmail, email));
    };
    if subject_kind == "user" && name.is_none() {
        let former = move || tr(Key::AboutFormerPerson);
        return Some(view! { <span class="audit-subject">{former}</span> }.into_any());
    }
    // A deleted endpoint is named by the URL its entries recorded; a dead letter by its id.
    let name = match subject_kind {
        "endpoint" => name.or_else(|| Some(details.get("url")?.as_str()?.to_owned())),
        "dead_letter" => Some(id.to_owned()),
        _ => name,
    };
    let key = match (subject_kind, kind) {
        ("user", "member_added" | "member_role_changed" | "member_removed") => Key::AboutMember,
        ("user", "manager_assigned") => Key::AboutManager,
        ("user", _) => Key::AboutAccount,
        ("invitation", _) => Key::AboutInvitation,
        ("api_key", _) => Key::AboutApiKeyNamed,
        ("endpoint", _) => Key::AboutEndpoint,
        ("ip_right", _) => Key::AboutRight,
        ("brand", _) => Key::AboutBrand,
        ("dead_letter", _) => Key::AboutDeadLetter,
        _ => return None,
    };
    let name = name.unwrap_or_else(|| id.chars().take(8).collect());
    Some(subject_words(key, name))
}

fn subject_words(key: Key, name: String) -> AnyView {
    view! { <span class="audit-subject">{tpl_into(key, vec![Arg::Data(name)], "")}</span> }
        .into_any()
}

/// The details that matter, in words: a role's change, the role of a member or an invitation,
/// how someone signed in or why they could not. Codes the app does not know are shown as sent.
fn said(kind: &str, details: &serde_json::Value) -> Option<AnyView> {
    let code = |name: &str| details.get(name)?.as_str().map(str::to_owned);
    let role = |c: String| word(BrandRole::parse(&c).ok().map(role_key), c);
    // No staff role (null) is said too: granting starts from it, removing ends in it.
    let staff = |c: Option<String>| match c {
        None => (move || tr(Key::NoStaffRole)).into_any(),
        Some(c) => word(StaffRole::parse(&c).ok().map(staff_key), c),
    };
    let status = |c: String| word(ProgrammeStatus::parse(&c).ok().map(status_key), c);
    let said = match kind {
        "member_role_changed" => change(role(code("from")?), role(code("to")?)),
        "staff_role_granted" | "staff_role_removed" => {
            change(staff(code("from")), staff(code("to")))
        }
        "programme_changed" => change(status(code("from")?), status(code("to")?)),
        "member_added" | "member_removed" | "invitation_sent" | "invitation_accepted" => {
            let role = code("role")?;
            let arg = match BrandRole::parse(&role) {
                Ok(r) => Arg::Text(role_key(r)),
                Err(_) => Arg::Data(role),
            };
            tpl_into(Key::DetailRole, vec![arg], "").into_any()
        }
        "user_created" => staff(Some(code("staff_role")?)),
        "signed_in" | "password_changed" => {
            let via = code("via")?;
            let key = match via.as_str() {
                "password" => Some(Key::ViaPassword),
                "link" => Some(Key::ViaLink),
                "invitation" => Some(Key::ViaInvitation),
                "current_password" => Some(Key::ViaCurrentPassword),
                _ => None,
            };
            word(key, via)
        }
        "sign_in_failed" | "invitation_cancelled" => {
            let cause = code("cause")?;
            let key = match cause.as_str() {
                "wrong_password" => Some(Key::CauseWrongPassword),
                "unknown_email" => Some(Key::CauseUnknownEmail),
                "disabled" => Some(Key::CauseDisabled),
                "no_password" => Some(Key::CauseNoPassword),
                "not_delivered" => Some(Key::CauseNotDelivered),
                _ => None,
            };
            word(key, cause)
        }
        "right_reviewed" => {
            let status = code("status")?;
            let key = match status.as_str() {
                "verified" => Some(Key::RsVerified),
                "rejected" => Some(Key::RsRejected),
                _ => None,
            };
            word(key, status)
        }
        // The operator's own words: data.
        "dead_letter_discarded" => {
            tpl_into(Key::DetailReason, vec![Arg::Data(code("reason")?)], "").into_any()
        }
        "api_key_created" => {
            let scope = code("scope")?;
            let key = match scope.as_str() {
                "read" => Some(Key::ScopeRead),
                "read_write" => Some(Key::ScopeReadWrite),
                _ => None,
            };
            word(key, scope)
        }
        _ => return None,
    };
    Some(view! { <span class="audit-detail">{said}</span> }.into_any())
}

/// A code in words when the app knows it, else as sent (data).
fn word(key: Option<Key>, code: String) -> AnyView {
    match key {
        Some(key) => (move || tr(key)).into_any(),
        None => data(code).into_any(),
    }
}

/// "Brand agent → Brand admin".
fn change(from: AnyView, to: AnyView) -> AnyView {
    view! { {from}" → "{to} }.into_any()
}

/// Who acted: a person's name (data), or what acted in words.
fn who(actor_kind: &str, name: Option<String>) -> AnyView {
    let key = match (actor_kind, name) {
        ("person", Some(name)) => return data(name).into_any(),
        ("person", None) => Key::ActorUnknown,
        ("api_key", _) => Key::ActorByApi,
        ("marketplace", _) => Key::ActorMarketplace,
        ("deadline", _) => Key::ActorDeadline,
        _ => Key::ActorAnonymous,
    };
    (move || tr(key)).into_any()
}

/// " · for Aurelia": the brand staff or a key acted for, by name when the page knows it.
#[component]
fn ForBrand(id: String, brands: Names) -> impl IntoView {
    let name = move || {
        let known = brands.with(|b| b.iter().find(|(b, _)| *b == id).map(|(_, n)| n.clone()));
        let name = known.unwrap_or_else(|| id.clone());
        tpl_into(Key::ForBrand, vec![Arg::Data(name)], "audit-brand")
    };
    view! { <span class="audit-for">" · "{name}</span> }
}

/// The case an entry is about, linking to its case file.
#[component]
fn CaseLink(brand: String, case: String) -> impl IntoView {
    let short: String = case.chars().take(8).collect();
    let href = format!("/brands/{}/cases/{}", encode(&brand), encode(&case));
    view! {
        <a class="audit-case" href=href>
            {tpl_into(Key::CaseFileOf, vec![Arg::Data(short)], "mono")}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::kind_key;
    use crate::i18n::{t, Key, Lang};
    use jf_core::audit::AuditKind;

    /// Each kind of subject is said its own way, and each way has the place of the name.
    #[test]
    fn every_subject_has_its_own_words_with_its_name_in_both_languages() {
        let keys = [
            Key::AboutMember,
            Key::AboutAccount,
            Key::AboutManager,
            Key::AboutInvitation,
            Key::AboutApiKeyNamed,
            Key::AboutEndpoint,
            Key::AboutRight,
            Key::AboutBrand,
            Key::AboutDeadLetter,
            Key::AboutEmail,
        ];
        for lang in [Lang::En, Lang::Zh] {
            let mut words: Vec<&str> = keys.iter().map(|k| t(lang, *k)).collect();
            assert!(words.iter().all(|w| w.contains("{0}")), "{lang:?}");
            words.sort_unstable();
            words.dedup();
            assert_eq!(words.len(), keys.len(), "{lang:?}");
        }
    }

    /// Two kinds said alike could not be told apart in the list or the kind filter.
    #[test]
    fn every_kind_has_its_own_words_in_both_languages() {
        for lang in [Lang::En, Lang::Zh] {
            let mut words: Vec<&str> = AuditKind::ALL
                .iter()
                .map(|k| t(lang, kind_key(*k)))
                .collect();
            words.sort_unstable();
            words.dedup();
            assert_eq!(words.len(), AuditKind::ALL.len(), "{lang:?}");
        }
    }
}
