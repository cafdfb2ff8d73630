//! `/brands/:brand_id/cases/:case_id`: the case file, with exactly the actions allowed now.

use crate::components::{
    case_status_key, code_as_words, coded, known_signal, percent_of, reason_key, role_key,
    signal_words, tpl_into, usable_rights, Arg, CaseBadge, Decision, Due, ErrorSlot, Loaded,
    OverdueBadge, PageHeader, ReasonField, RightField, RightView, SignalTags, Thumb, UsableRights,
};
use crate::http::{self, api, ApiError};
use crate::i18n::{dated, lang, tr, trf, Key};
use crate::pages::cases::SellerName;
use jf_core::api::{AppealView, CaseCommand, CaseEventView, CaseView, FileView};
use jf_core::case::{Origin, Status};
use jf_core::clock::{Millis, DAY};
use jf_core::listing::Snapshot;
use jf_core::programme::{Lane, MAX_REINSTATED_BP, MIN_DECIDED, REVOCATION, STANDING_WINDOW};
use jf_core::routes::RouteId;
use jf_core::types::BrandRole;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page: the case as the API tells it, or its error panel.
#[component]
pub fn Case() -> impl IntoView {
    let params = use_params_map();
    let path = move || {
        params.with(|p| {
            let brand = p.get("brand_id").unwrap_or_default();
            let case = p.get("case_id").unwrap_or_default();
            api(RouteId::GetCase, &[&brand, &case])
        })
    };
    let case = LocalResource::new(move || {
        let path = path();
        async move { http::get::<CaseView>(&path).await }
    });
    view! {
        <div>
            <Loaded
                resource=case
                not_found=Key::CaseNotFound
                show=|case: CaseView| view! { <CaseFile case/> }.into_any()
            />
        </div>
    }
    .into_any()
}

/// The case file. An action answers with the case as it now stands, which replaces the one
/// shown.
#[component]
fn CaseFile(case: CaseView) -> impl IntoView {
    let shown = RwSignal::new(case);
    move || view! { <CaseBody case=shown.get() shown/> }
}

#[component]
fn CaseBody(case: CaseView, shown: RwSignal<CaseView>) -> impl IntoView {
    let brand = case.brand_id.to_string();
    let status = case.status;
    let overdue = case.overdue;
    let title = match &case.snapshot {
        Some(s) if !s.title.trim().is_empty() => s.title.clone(),
        _ => case.listing_id.clone(),
    };
    let header_aside = move || {
        view! {
            <CaseBadge status/>
            {overdue.then(|| view! { <OverdueBadge/> })}
        }
    };

    // The seller's id is on the listing, the appeal names only the seller.
    let seller_id = case
        .current
        .as_ref()
        .or(case.snapshot.as_ref())
        .map(|s| s.seller.seller_id.clone());
    // An appeal waiting for an answer (or an arbitration) comes first, with its deadline; a
    // decided one stays with the case's details.
    let pending = matches!(status, Status::Appealed | Status::InArbitration);
    let appeal = case.appeal.clone().map(|appeal| {
        let deadline = case
            .deadline_at
            .filter(|_| pending)
            .map(|at| (status, at, overdue));
        view! { <AppealSection appeal brand=brand.clone() seller_id=seller_id.clone() deadline/> }
    });
    let (appeal_first, appeal_later) = if pending {
        (appeal, None)
    } else {
        (None, appeal)
    };

    let snapshot = match case.snapshot.clone() {
        Some(snap) => view! {
            <Listing snap brand=brand.clone() id="snapshot" heading=Key::ListingWhenFiled/>
        }
        .into_any(),
        None => view! {
            <section class="card" id="snapshot">
                <h2>{move || tr(Key::ListingWhenFiled)}</h2>
                <p class="muted" id="snapshot-pending">
                    {move || tr(Key::SnapshotPending)}
                </p>
            </section>
        }
        .into_any(),
    };
    let current = case.current.clone().map(|snap| {
        view! { <Listing snap brand=brand.clone() id="current" heading=Key::ListingNow/> }
    });
    let actions = (!case.allowed.is_empty()).then(|| view! { <Actions case=case.clone() shown/> });
    let removed = case.listing_removed.then(|| {
        view! {
            <p class="notice notice-warn" id="listing-removed" role="status">
                {move || tr(Key::ListingRemoved)}
            </p>
        }
    });

    view! {
        <PageHeader
            title=title
            data_title=true
            eyebrow=case.brand_name.clone()
            title_id="case-title"
            aside=header_aside
        />
        {removed}
        // On a desk, two columns: what to decide on the left, what happened on the right.
        <div class="case-columns">
            <div class="case-main">
                {appeal_first}
                {actions}
                <div class="grid grid-2">{snapshot}{current}</div>
                <div class="grid grid-2 case-details">
                    <Details case=case.clone()/>
                    {appeal_later}
                    {case.detection.clone().map(|d| view! { <DetectionSection score=d.score signals=d.signals/> })}
                    <Evidence urls=case.evidence_urls.clone() files=case.evidence_files.clone()/>
                </div>
            </div>
            <div class="case-side">
                <Timeline events=case.events/>
            </div>
        </div>
    }
}

/// One fact of the case's details: `<div class="fact"><dt>…</dt><dd>…</dd></div>`.
#[component]
fn Fact(label: Key, children: Children) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{move || tr(label)}</dt>
            {children()}
        </div>
    }
}

/// The case's details: status, origin, lane, right, reason, deadline, when it was filed, and the
/// brand's statement.
#[component]
fn Details(case: CaseView) -> impl IntoView {
    let status = case.status;
    let origin = match case.origin {
        Origin::Detection => Key::OriginDetection,
        Origin::Report => Key::OriginReport,
    };
    let lane = case.lane.map(|l| match l {
        Lane::Auto => Key::LaneAuto,
        Lane::Review => Key::LaneReview,
    });
    let lane = lane.map(|k| {
        view! {
            <Fact label=Key::Lane>
                <dd id="case-lane">{move || tr(k)}</dd>
            </Fact>
        }
    });
    let right = case.ip_right.map(|r| {
        view! {
            <Fact label=Key::RightInvoked>
                <dd id="case-right">
                    <RightView
                        kind=r.kind
                        number=r.registration_number
                        jurisdiction=r.jurisdiction
                    />
                </dd>
            </Fact>
        }
    });
    let reason = case.reason_code.map(|r| {
        view! {
            <Fact label=Key::Reason>
                <dd id="case-reason">{move || coded(reason_key(&r), &r)}</dd>
            </Fact>
        }
    });
    let overdue = case.overdue;
    let deadline = case.deadline_at.filter(|_| status.is_open()).map(|at| {
        view! {
            <Fact label=Key::Deadline>
                <dd id="case-deadline">
                    <Due at overdue status/>
                </dd>
            </Fact>
        }
    });
    let created = case.created_at;
    let statement = case.statement.filter(|s| !s.trim().is_empty()).map(|s| {
        view! {
            <h3>{move || tr(Key::Statement)}</h3>
            <p class="statement" id="case-statement" translate="no">{s}</p>
        }
    });
    view! {
        <section class="card" aria-labelledby="case-facts-heading">
            <h2 id="case-facts-heading">{move || tr(Key::CaseDetails)}</h2>
            <dl class="facts">
                <Fact label=Key::CaseStatus>
                    <dd id="case-status">{move || tr(case_status_key(status))}</dd>
                </Fact>
                <Fact label=Key::Origin>
                    <dd id="case-origin">{move || tr(origin)}</dd>
                </Fact>
                {lane}
                {right}
                {reason}
                {deadline}
                <Fact label=Key::Created>
                    <dd id="case-created">
                        <time datetime=crate::fmt::iso(created)>
                            {move || dated(Key::Plain, created, true)}
                        </time>
                    </dd>
                </Fact>
            </dl>
            {statement}
        </section>
    }
}

/// The marketplace's detection (`#detection`), for flagged listings.
#[component]
fn DetectionSection(score: f64, signals: Vec<String>) -> impl IntoView {
    view! {
        <section class="card" id="detection" aria-labelledby="detection-heading">
            <h2 id="detection-heading">{move || tr(Key::Detection)}</h2>
            <p>
                <span class="muted">{move || tr(Key::Score)}</span>
                " "
                <strong class="score" id="detection-score">{percent_of(score)}</strong>
            </p>
            <SignalTags signals=signals/>
        </section>
    }
}

/// The evidence filed with the report (`#evidence`): links and files; nothing when there is none.
#[component]
fn Evidence(urls: Vec<String>, files: Vec<FileView>) -> impl IntoView {
    if urls.is_empty() && files.is_empty() {
        return ().into_any();
    }
    let links = urls
        .into_iter()
        .map(|url| {
            view! {
                <li>
                    <EvidenceLink class="evidence-link" url/>
                </li>
            }
        })
        .collect_view();
    let files = files
        .into_iter()
        .map(|f| {
            view! {
                <li>
                    <a class="evidence-file" href=f.url target="_blank" rel="noopener" translate="no">
                        {f.name}
                    </a>
                    " "
                    <span translate="no" class="muted small">{f.content_type}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="evidence" aria-labelledby="evidence-heading">
            <h2 id="evidence-heading">{move || tr(Key::Evidence)}</h2>
            <ul class="links" id="evidence-links">{links}</ul>
            <ul class="links" id="evidence-files">{files}</ul>
        </section>
    }
    .into_any()
}

/// Whether a link from people's data may be followed: sellers send evidence links, so a
/// `javascript:` or `data:` one must never become an `href`.
fn is_web_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://") || u.starts_with("http://")
}

/// An evidence link: clickable when http(s), otherwise shown as plain text.
#[component]
fn EvidenceLink(class: &'static str, url: String) -> impl IntoView {
    if is_web_link(&url) {
        let href = url.trim().to_owned();
        view! {
            <a class=class href=href target="_blank" rel="noopener noreferrer" translate="no">
                {url}
            </a>
        }
        .into_any()
    } else {
        view! { <span class="evidence-unlinked" translate="no">{url}</span> }.into_any()
    }
}

/// A listing at one moment (`#snapshot`: as filed; `#current`: now).
#[component]
fn Listing(snap: Snapshot, brand: String, id: &'static str, heading: Key) -> impl IntoView {
    let Snapshot {
        listing_id,
        url,
        title,
        price,
        image_url,
        seller,
    } = snap;
    let price = move || crate::fmt::money(lang(), &price.amount, &price.currency);
    view! {
        <section class="card listing" id=id>
            <h2>{move || tr(heading)}</h2>
            <div class="listing-body">
                <Thumb src=image_url large=true/>
                <div class="listing-text">
                    <p class="listing-title" translate="no">{title}</p>
                    <p class="price">{price}</p>
                    <p class="muted">
                        {move || tr(Key::Seller)}
                        " "
                        <SellerName brand seller_id=Some(seller.seller_id) name=seller.name/>
                    </p>
                    <p class="small mono" translate="no">{listing_id}</p>
                    <a class="listing-url" href=url target="_blank" rel="noopener noreferrer">
                        {move || tr(Key::OpenListing)}
                    </a>
                </div>
            </div>
        </section>
    }
}

/// The seller's appeal (`#appeal`): the statement, the evidence links and, while it waits, the
/// deadline (`#appeal-deadline`: the brand's answer, or the account manager's arbitration).
#[component]
fn AppealSection(
    appeal: AppealView,
    brand: String,
    seller_id: Option<String>,
    deadline: Option<(Status, Millis, bool)>,
) -> impl IntoView {
    let class = if deadline.is_some() {
        "card appeal appeal-open"
    } else {
        "card appeal"
    };
    let deadline = deadline.map(|(status, at, overdue)| {
        let (label, explained) = if status == Status::InArbitration {
            (Key::ArbitrationDeadline, Key::ArbitrationExplained)
        } else {
            (Key::AppealDeadline, Key::AppealDeadlineExplained)
        };
        view! {
            <div class="appeal-deadline" id="appeal-deadline" data-overdue=overdue.to_string()>
                <p class="appeal-deadline-label">{move || tr(label)}</p>
                <p class="appeal-deadline-when">
                    <strong>{move || dated(Key::Plain, at, true)}</strong>
                    " "
                    <Due at overdue/>
                </p>
                <p class="hint">{move || tr(explained)}</p>
            </div>
        }
    });
    let evidence = (!appeal.evidence_urls.is_empty()).then(|| {
        let links = appeal
            .evidence_urls
            .into_iter()
            .map(|url| {
                view! {
                    <li>
                        <EvidenceLink class="appeal-evidence-link" url/>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>{move || tr(Key::Evidence)}</h3>
            <ul class="links" id="appeal-evidence">{links}</ul>
        }
    });
    view! {
        <section
            class=class
            id="appeal"
            aria-labelledby="appeal-heading"
            data-appeal-id=appeal.appeal_id
        >
            <h2 id="appeal-heading">{move || tr(Key::SellerAppeal)}</h2>
            {deadline}
            <p class="muted">
                {move || tr(Key::Seller)}
                " "
                <SellerName brand seller_id name=appeal.seller_name/>
            </p>
            <h3>{move || tr(Key::Statement)}</h3>
            <p class="statement" id="appeal-statement" translate="no">{appeal.statement}</p>
            {evidence}
        </section>
    }
}

/// What happened to the case, oldest first (`#timeline`, `.event[data-kind][data-seq]`).
#[component]
fn Timeline(events: Vec<CaseEventView>) -> impl IntoView {
    let events = events
        .into_iter()
        .map(|e| view! { <Event e/> })
        .collect_view();
    view! {
        <section class="card" id="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{move || tr(Key::Timeline)}</h2>
            <ol class="timeline">{events}</ol>
        </section>
    }
}

/// One event of the timeline.
#[component]
fn Event(e: CaseEventView) -> impl IntoView {
    let kind = e.kind.clone();
    let data_kind = e.kind.clone();
    let words = move || coded(event_key(&kind), &kind);
    let at = e.at;
    let seq = e.seq.to_string();
    let moved = e.to_status.map(|to| {
        let from = e
            .from_status
            .map(|from| view! { <CaseBadge status=from/>" → " });
        view! {
            <p class="event-move">
                {from}
                <CaseBadge status=to/>
            </p>
        }
    });
    view! {
        <li class="event" data-kind=data_kind data-seq=seq>
            <p class="event-head">
                <span class="event-kind">{words}</span>
                " · "
                <time class="muted small" datetime=crate::fmt::iso(at)>
                    {move || dated(Key::Plain, at, true)}
                </time>
            </p>
            <Actor e=e.clone()/>
            {moved}
            <Note e/>
        </li>
    }
}

/// Who acted (`.event-actor`), in the interface's language around the data (a person's name, a
/// brand's).
#[component]
fn Actor(e: CaseEventView) -> impl IntoView {
    let has_name = e.actor_name.is_some();
    let name = Arg::Data(e.actor_name.unwrap_or_default());
    let for_brand = Arg::Data(e.actor_brand.clone().unwrap_or_default());
    let kind = e.actor_kind.as_str();
    let (key, args) = match (kind, BrandRole::parse(kind).ok()) {
        (_, Some(role)) if has_name => (Key::ActorMember, vec![name, Arg::Text(role_key(role))]),
        ("account_manager", _) if has_name => (Key::ActorManagerFor, vec![name, for_brand]),
        ("operator", _) if has_name => (Key::ActorOperatorFor, vec![name, for_brand]),
        ("api_key", _) if e.actor_brand.is_some() => (Key::ActorApiKeyOf, vec![for_brand]),
        ("marketplace", _) => (Key::ActorMarketplace, vec![]),
        ("deadline", _) => (Key::ActorDeadline, vec![]),
        _ => {
            return view! {
                <p class="event-actor small">
                    <span translate="no">{e.actor}</span>
                </p>
            }
            .into_any()
        }
    };
    view! { <p class="event-actor small">{tpl_into(key, args, "")}</p> }.into_any()
}

/// The note of an event: JointForce's own sentences said in the interface's language (the data
/// inside kept as sent); what a person wrote, as they wrote it.
#[component]
fn Note(e: CaseEventView) -> impl IntoView {
    let Some(note) = e.note else {
        return ().into_any();
    };
    let args = e.note_args;
    let arg = |i: usize| Arg::Data(args.get(i).cloned().unwrap_or_default());
    let (key, args) = match e.note_code.as_deref() {
        Some("detection") => {
            return view! { <p class="event-note">{move || detection_note(&args)}</p> }.into_any()
        }
        Some("filed_auto") => (Key::NoteFiledAuto, vec![]),
        Some("filed_review") => (Key::NoteFiledReview, vec![]),
        Some("filed_unreachable") => (Key::NoteFiledUnreachable, vec![]),
        Some("listing_removed") => (Key::NoteListingRemoved, vec![arg(0)]),
        Some("takedown_failed") => (Key::NoteTakedownFailed, vec![arg(0)]),
        Some("takedown_confirmed") => (Key::NoteTakedownConfirmed, vec![]),
        Some("appeal_filed") => (Key::NoteAppealFiled, vec![arg(0), arg(1)]),
        Some("flag_expired") => (Key::NoteFlagExpired, vec![]),
        Some("no_appeal") => (Key::NoteNoAppeal, vec![]),
        Some("appeal_unanswered") => (Key::NoteAppealUnanswered, vec![]),
        Some("listing_unknown") => (Key::NoteListingUnknown, vec![]),
        _ => return view! { <p class="event-note" translate="no">{note}</p> }.into_any(),
    };
    view! { <p class="event-note">{tpl_into(key, args, "")}</p> }.into_any()
}

/// "Flagged by the marketplace's detection (score 91%: logo mismatch, price anomaly)." A signal
/// the app has no words for reads as its code's words, marked as not to be translated (they are
/// the marketplace's, in whatever language the sentence around them is).
fn detection_note(args: &[String]) -> AnyView {
    let first = args.first().cloned().unwrap_or_default();
    // The browser reads the number (Rust's float parser is 10 KB of tables in the download),
    // all of it or nothing (unary `+`, as `Number()`).
    let read = wasm_bindgen::JsValue::from_str(first.trim()).unchecked_into_f64();
    let score = if first.trim().is_empty() || read.is_nan() {
        first
    } else {
        percent_of(read)
    };
    let codes: Vec<String> = args
        .get(1)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    // The sentence around the signals, split where they go.
    let sentence = trf(Key::NoteDetection, &[&score, "\u{0}"]);
    let (before, after) = sentence.split_once('\u{0}').unwrap_or((&sentence, ""));
    let separator = tr(Key::ListSeparator);
    let names = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let gap = (i > 0).then_some(separator);
            if known_signal(code) {
                view! { {gap}{signal_words(code)} }.into_any()
            } else {
                view! { {gap}<span translate="no">{code_as_words(code)}</span> }.into_any()
            }
        })
        .collect_view();
    view! { {before.to_owned()}{names}{after.to_owned()} }.into_any()
}

fn event_key(kind: &str) -> Option<Key> {
    Some(match kind {
        "filed" => Key::EvFiled,
        "flagged" => Key::EvFlagged,
        "detection" => Key::EvDetection,
        "approve" => Key::EvApprove,
        "decline" => Key::EvDecline,
        "confirm" => Key::EvConfirm,
        "reject" => Key::EvReject,
        "expire" => Key::EvExpire,
        "withdraw" => Key::EvWithdraw,
        "takedown_completed" => Key::EvTakedownCompleted,
        "takedown_failed" => Key::EvTakedownFailed,
        "retry_takedown" => Key::EvRetry,
        "retract" | "retract_on_appeal" => Key::EvRetract,
        "appeal_filed" => Key::EvAppealFiled,
        "no_appeal" => Key::EvNoAppeal,
        "uphold_appeal" | "arbitration_uphold" => Key::EvUpheld,
        "escalate" => Key::EvEscalate,
        "arbitration_reinstate" | "appeal_deadline_passed" => Key::EvReinstated,
        "listing_removed" => Key::EvListingRemoved,
        _ => return None,
    })
}

/// A command's button label, its id (`#action-…`), and what its form asks: the label of the text
/// field and whether it is required (None: no text; the command is sent at once or needs the
/// right and reason).
fn command_info(c: CaseCommand) -> (Key, &'static str, Option<(Key, bool)>) {
    use CaseCommand::*;
    let optional = Some((Key::NoteOptional, false));
    let to_seller = Some((Key::ReasonToSeller, true));
    match c {
        Confirm => (Key::ActConfirm, "action-confirm", None),
        Reject => (Key::ActReject, "action-reject", optional),
        Withdraw => (
            Key::ActWithdraw,
            "action-withdraw",
            Some((Key::WithdrawReason, true)),
        ),
        Approve => (Key::ActApprove, "action-approve", optional),
        Decline => (
            Key::ActDecline,
            "action-decline",
            Some((Key::DeclineReason, true)),
        ),
        RetryTakedown => (Key::ActRetry, "action-retry", None),
        Retract => (Key::ActRetract, "action-retract", optional),
        UpholdAppeal => (Key::ActUpholdAppeal, "action-uphold-appeal", to_seller),
        RetractOnAppeal => (
            Key::ActRetractOnAppeal,
            "action-retract-on-appeal",
            optional,
        ),
        Escalate => (Key::ActEscalate, "action-escalate", optional),
        ArbitrateUphold => (
            Key::ActArbitrateUphold,
            "action-arbitrate-uphold",
            to_seller,
        ),
        ArbitrateReinstate => (
            Key::ActArbitrateReinstate,
            "action-arbitrate-reinstate",
            to_seller,
        ),
    }
}

/// What bringing a listing back costs, said before it is confirmed: a retraction (or accepting an
/// appeal) counts against the brand's accuracy (`#retract-warning`); so does an arbitration that
/// reinstates (`#reinstate-warning`).
fn warning(command: CaseCommand) -> Option<AnyView> {
    match command {
        CaseCommand::Retract | CaseCommand::RetractOnAppeal => {
            let rule = move || {
                let rule = [
                    crate::fmt::percent(MAX_REINSTATED_BP),
                    MIN_DECIDED.to_string(),
                    (STANDING_WINDOW / DAY).to_string(),
                    (REVOCATION / DAY).to_string(),
                ];
                let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
                trf(Key::RetractWarning, &rule)
            };
            Some(
                view! {
                    <div class="notice notice-warn" id="retract-warning" role="note">
                        <p class="notice-title">{move || tr(Key::RetractWarningTitle)}</p>
                        <p>{rule}</p>
                    </div>
                }
                .into_any(),
            )
        }
        CaseCommand::ArbitrateReinstate => Some(
            view! {
                <p class="notice notice-warn" id="reinstate-warning" role="note">
                    {move || tr(Key::ReinstateWarning)}
                </p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

/// The class of a command's button: the ones that bring a listing back or drop a case are quiet
/// dangers.
fn button_class(c: CaseCommand) -> &'static str {
    match c {
        CaseCommand::Withdraw
        | CaseCommand::Decline
        | CaseCommand::Retract
        | CaseCommand::RetractOnAppeal
        | CaseCommand::ArbitrateReinstate => "btn btn-danger-quiet",
        CaseCommand::Reject | CaseCommand::Escalate => "btn btn-secondary",
        _ => "btn btn-primary",
    }
}

/// What the action form edits, shared by the buttons and the form.
#[derive(Clone, Copy)]
struct Form {
    open: RwSignal<Option<CaseCommand>>,
    note: RwSignal<String>,
    reason: RwSignal<String>,
    right: RwSignal<String>,
}

/// Exactly the commands in `allowed`: one button each (`#action-…`); the chosen one opens its
/// form (`#action-form`). The answer, the case as it now stands, replaces the page's case.
#[component]
fn Actions(case: CaseView, shown: RwSignal<CaseView>) -> impl IntoView {
    let brand = case.brand_id.to_string();
    let id = case.id.to_string();
    let form = Form {
        open: RwSignal::new(None),
        note: RwSignal::new(String::new()),
        reason: RwSignal::new("counterfeit".to_owned()),
        right: RwSignal::new(String::new()),
    };
    let error = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |d: &Decision| {
        let d = d.clone();
        async move {
            match d.send().await {
                Ok(answer) => {
                    form.open.set(None);
                    form.note.set(String::new());
                    shown.set(answer);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let pending = send.pending();
    // One request at a time, as the buttons say by being disabled.
    let decide = move |d: Decision| {
        if !pending.get_untracked() {
            error.set(None);
            send.dispatch(d);
        }
    };
    // The confirmation's usable rights: asked for once, with the page, whenever the viewer may
    // confirm (not at each opening of the form).
    let rights = case
        .allowed
        .contains(&CaseCommand::Confirm)
        .then(|| usable_rights(&brand, form.right));

    let buttons = case
        .allowed
        .iter()
        .map(|&c| {
            let (key, button_id, _) = command_info(c);
            let (brand, id) = (brand.clone(), id.clone());
            let click = move |_| {
                if c == CaseCommand::RetryTakedown {
                    decide(Decision::new(&brand, &id, c));
                } else {
                    form.note.set(String::new());
                    form.open.set(Some(c));
                }
            };
            view! {
                <button
                    class=button_class(c)
                    type="button"
                    id=button_id
                    aria-expanded=move || (form.open.get() == Some(c)).to_string()
                    disabled=move || pending.get()
                    on:click=click
                >
                    {move || tr(key)}
                </button>
            }
        })
        .collect_view();

    let submit = {
        let (brand, id) = (brand.clone(), id.clone());
        move || {
            let Some(command) = form.open.get_untracked() else {
                return;
            };
            let mut d = Decision::new(&brand, &id, command);
            d.text = form.note.get_untracked();
            d.ip_right_id = form.right.get_untracked();
            d.reason_code = form.reason.get_untracked();
            decide(d);
        }
    };
    let submit = StoredValue::new(submit);
    let brand = StoredValue::new(brand);
    let open_form = move || {
        form.open.get().map(|command| {
            view! {
                <ActionForm
                    command
                    form
                    pending=pending.into()
                    brand=brand.get_value()
                    rights
                    submit=move || submit.with_value(|s| s())
                />
            }
        })
    };
    view! {
        <section class="card actions-card" id="case-actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">{move || tr(Key::Actions)}</h2>
            <div class="button-row">{buttons}</div>
            <div>{open_form}</div>
            <ErrorSlot err=error/>
        </section>
    }
}

/// The form of one command (`#action-form[data-command]`): its warning, then the right and
/// reason (confirm) or its text, then send and cancel.
#[component]
fn ActionForm(
    command: CaseCommand,
    form: Form,
    pending: Signal<bool>,
    brand: String,
    rights: Option<UsableRights>,
    submit: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let (key, button_id, text_field) = command_info(command);
    let warning = warning(command);
    let submit_class = if warning.is_some() {
        "btn btn-danger"
    } else {
        "btn btn-primary"
    };
    let fields = match text_field {
        None => view! {
            {rights.map(|rights| view! { <RightField brand id="confirm-right" chosen=form.right rights/> })}
            <ReasonField id="confirm-reason" value=form.reason/>
        }
        .into_any(),
        Some((label, required)) => {
            let hint = (command == CaseCommand::Decline)
                .then(|| view! { <p class="hint">{move || tr(Key::BrandSeesReason)}</p> });
            view! {
                <div class="field">
                    <label for="action-text">{move || tr(label)}</label>
                    <textarea
                        class="input textarea"
                        id="action-text"
                        rows="3"
                        maxlength="2000"
                        required=required
                        prop:value=move || form.note.get()
                        on:input=move |ev| form.note.set(event_target_value(&ev))
                    ></textarea>
                    {hint}
                </div>
            }
            .into_any()
        }
    };
    let needs_text = matches!(text_field, Some((_, true)));
    let blocked = move || {
        pending.get()
            || (command == CaseCommand::Confirm && form.right.with(String::is_empty))
            || (needs_text && form.note.with(|n| n.trim().is_empty()))
    };
    view! {
        <form
            class="form action-form"
            id="action-form"
            data-command=button_id
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {warning}
            {fields}
            <div class="form-actions">
                <button class=submit_class type="submit" id="action-submit" disabled=blocked>
                    {move || tr(if pending.get() { Key::Working } else { key })}
                </button>
                <button
                    class="btn btn-ghost"
                    type="button"
                    id="action-cancel"
                    on:click=move |_| form.open.set(None)
                >
                    {move || tr(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::is_web_link;

    #[test]
    fn only_http_links_are_followed() {
        for ok in [
            "https://example.com/proof",
            "http://example.com",
            "  HTTPS://Example.com/a ",
        ] {
            assert!(is_web_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//evil.example",
            "/api/v1/files/x",
            "https:/example.com",
            "ftp://example.com",
            "\u{0}javascript:alert(1)",
            "",
        ] {
            assert!(!is_web_link(bad), "{bad}");
        }
    }
}
