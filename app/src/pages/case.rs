//! `/brands/:brand_id/cases/:case_id`: the case file — the listing as filed (evidence, never
//! overwritten) beside the listing now, the right and reason, statement and evidence, detection,
//! deadline, the timeline, and exactly the actions the server allows the viewer now.

use crate::components::{
    act, act_error, case_badge, case_status_key, coded, due, overdue_badge, percent_of, reason_key,
    right_view, role_key, signal_key, thumb, Arg, Decision, ErrorPanel, ErrorSlot, Load,
    PageHeader, ReasonField, RightField, Tpl, UsableRights,
};
use crate::http;
use crate::i18n::{use_tr, Key, Tr};
use crate::pages::brand::use_brand_id;
use crate::pages::cases::seller_name;
use jf_core::api::{AppealView, CaseCommand, CaseEventView, CaseView};
use jf_core::case::{Origin, Status};
use jf_core::clock::{Millis, DAY};
use jf_core::ids::BrandId;
use jf_core::listing::Snapshot;
use jf_core::programme::{Lane, MAX_REINSTATED_BP, MIN_DECIDED, REVOCATION, STANDING_WINDOW};
use jf_core::types::BrandRole;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CasePage() -> impl IntoView {
    let brand_id = use_brand_id();
    let params = use_params_map();
    let case_id = Memo::new(move |_| params.read().get("case_id").unwrap_or_default());
    let case = http::resource(Signal::derive(move || {
        format!(
            "/api/v1/brands/{}/cases/{}",
            http::segment(&brand_id.get()),
            http::segment(&case_id.get())
        )
    }));
    view! {
        <Load res=case show=Callback::new(move |result| match http::decode::<CaseView>(result) {
                        Ok(view) => view! { <CaseFile case=view res=case /> }.into_any(),
                        Err(err) => view! { <ErrorPanel err=err not_found=Key::CaseNotFound /> }.into_any(),
                    }) />
    }
}

#[component]
fn CaseFile(case: CaseView, res: LocalResource<http::Body>) -> impl IntoView {
    let tr = use_tr();
    let title = case
        .snapshot
        .as_ref()
        .map(|s| s.title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| case.listing_id.clone());
    let brand_name = case.brand_name.clone();
    let origin = match case.origin {
        Origin::Report => Key::OriginReport,
        Origin::Detection => Key::OriginDetection,
    };
    let lane = case.lane.map(|l| match l {
        Lane::Auto => Key::LaneAuto,
        Lane::Review => Key::LaneReview,
    });
    let due = case
        .deadline_at
        .filter(|_| case.status.is_open())
        .map(|at| due(at, case.overdue));
    let right = case
        .ip_right
        .clone()
        .map(|r| right_view(tr, r.kind, r.registration_number, r.jurisdiction));
    let reason = case
        .reason_code
        .clone()
        .map(|r| coded(tr, reason_key(&r), r));
    let brand = case.brand_id;
    let snapshot = match case.snapshot.clone() {
        Some(s) => {
            view! { <Listing snap=s brand=brand id="snapshot" heading=Key::ListingWhenFiled /> }
                .into_any()
        }
        None => view! {
            <section class="card" id="snapshot">
                <h2>{tr.s(Key::ListingWhenFiled)}</h2>
                <p class="muted" id="snapshot-pending">{tr.s(Key::SnapshotPending)}</p>
            </section>
        }
        .into_any(),
    };
    let current = case
        .current
        .clone()
        .map(|s| view! { <Listing snap=s brand=brand id="current" heading=Key::ListingNow /> });
    let detection = case.detection.clone().map(|d| {
        let score = percent_of(d.score);
        view! {
            <section class="card" id="detection" aria-labelledby="detection-heading">
                <h2 id="detection-heading">{tr.s(Key::Detection)}</h2>
                <p>
                    <span class="muted">{tr.s(Key::Score)}</span> " "
                    <strong class="score" id="detection-score">{score}</strong>
                </p>
                {signals(d.signals)}
            </section>
        }
    });
    let statement = case.statement.clone().filter(|s| !s.trim().is_empty());
    let has_evidence = !case.evidence_urls.is_empty() || !case.evidence_files.is_empty();
    let evidence = has_evidence.then(|| {
        view! {
            <section class="card" id="evidence" aria-labelledby="evidence-heading">
                <h2 id="evidence-heading">{tr.s(Key::Evidence)}</h2>
                <ul class="links" id="evidence-links">
                    {case
                        .evidence_urls
                        .iter()
                        .map(|u| {
                            view! {
                                <li>
                                    <a class="evidence-link" href=u.clone() target="_blank" rel="noopener noreferrer" translate="no">{u.clone()}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <ul class="links" id="evidence-files">
                    {case
                        .evidence_files
                        .iter()
                        .map(|f| {
                            view! {
                                <li>
                                    <a class="evidence-file" href=f.url.clone() target="_blank" rel="noopener" translate="no">{f.name.clone()}</a>
                                    " " <span class="muted small" translate="no">{f.content_type.clone()}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    // The seller's id is on the listing, the appeal names only the seller.
    let seller_id = case
        .current
        .as_ref()
        .or(case.snapshot.as_ref())
        .map(|s| s.seller.seller_id.clone());
    // An appeal waiting for an answer (or an arbitration) comes first, with its deadline; a
    // decided one stays with the case's details.
    let pending = matches!(case.status, Status::Appealed | Status::InArbitration);
    let appeal = case.appeal.clone().map(|a| {
        let deadline = case
            .deadline_at
            .filter(|_| pending)
            .map(|at| (case.status, at, case.overdue));
        view! { <Appeal appeal=a brand=brand seller_id=seller_id.clone() deadline=deadline /> }
    });
    let (appeal_first, appeal_later) = if pending {
        (appeal, None)
    } else {
        (None, appeal)
    };
    let actions = (!case.allowed.is_empty()).then(|| {
        view! { <Actions case=case.clone() res=res /> }
    });
    view! {
        <PageHeader
            title=Signal::derive(move || title.clone())
            title_is_data=true
            eyebrow=Signal::derive(move || brand_name.clone())
            title_id="case-title"
        >
            {case_badge(case.status)}
            {case.overdue.then(overdue_badge)}
        </PageHeader>
        {case.listing_removed.then(|| view! {
            <p class="notice notice-warn" id="listing-removed" role="status">{tr.s(Key::ListingRemoved)}</p>
        })}
        {appeal_first}
        {actions}
        <div class="grid grid-2">
            {snapshot}
            {current}
        </div>
        <div class="grid grid-2 case-details">
            <section class="card" aria-labelledby="case-facts-heading">
                <h2 id="case-facts-heading">{tr.s(Key::CaseDetails)}</h2>
                <dl class="facts">
                    <div class="fact">
                        <dt>{tr.s(Key::CaseStatus)}</dt>
                        <dd id="case-status">{tr.s(case_status_key(case.status))}</dd>
                    </div>
                    <div class="fact">
                        <dt>{tr.s(Key::Origin)}</dt>
                        <dd id="case-origin">{tr.s(origin)}</dd>
                    </div>
                    {lane.map(|key| view! {
                        <div class="fact">
                            <dt>{tr.s(Key::Lane)}</dt>
                            <dd id="case-lane">{tr.s(key)}</dd>
                        </div>
                    })}
                    {right.map(|label| view! {
                        <div class="fact">
                            <dt>{tr.s(Key::RightInvoked)}</dt>
                            <dd id="case-right">{label}</dd>
                        </div>
                    })}
                    {reason.map(|label| view! {
                        <div class="fact">
                            <dt>{tr.s(Key::Reason)}</dt>
                            <dd id="case-reason">{label}</dd>
                        </div>
                    })}
                    {due.map(|due| view! {
                        <div class="fact">
                            <dt>{tr.s(Key::Deadline)}</dt>
                            <dd id="case-deadline">{due}</dd>
                        </div>
                    })}
                    <div class="fact">
                        <dt>{tr.s(Key::Created)}</dt>
                        <dd>{tr.dated(Key::Plain, case.created_at, true)}</dd>
                    </div>
                </dl>
                {statement.map(|s| view! {
                    <h3>{tr.s(Key::Statement)}</h3>
                    <p class="statement" id="case-statement" translate="no">{s}</p>
                })}
            </section>
            {appeal_later}
            {detection}
            {evidence}
        </div>
        <Timeline events=case.events />
    }
}

/// A listing at one moment (`#snapshot`: as filed; `#current`: now).
#[component]
fn Listing(snap: Snapshot, brand: BrandId, id: &'static str, heading: Key) -> impl IntoView {
    let tr = use_tr();
    let (amount, currency) = (snap.price.amount, snap.price.currency);
    let price = Signal::derive(move || crate::fmt::money(tr.lang(), &amount, &currency));
    let seller = seller_name(brand, Some(snap.seller.seller_id), snap.seller.name);
    view! {
        <section class="card listing" id=id>
            <h2>{tr.s(heading)}</h2>
            <div class="listing-body">
                {thumb(snap.image_url, true)}
                <div class="listing-text">
                    <p class="listing-title" translate="no">{snap.title}</p>
                    <p class="price">{price}</p>
                    <p class="muted">
                        {tr.s(Key::Seller)} " " {seller}
                    </p>
                    <p class="small mono" translate="no">{snap.listing_id}</p>
                    <a class="listing-url" href=snap.url target="_blank" rel="noopener noreferrer">
                        {tr.s(Key::OpenListing)}
                    </a>
                </div>
            </div>
        </section>
    }
}

/// The seller's appeal (`#appeal`): the statement, the evidence links and, while it waits, the
/// deadline (`#appeal-deadline`: the brand's answer, or the account manager's arbitration).
#[component]
fn Appeal(
    appeal: AppealView,
    brand: BrandId,
    seller_id: Option<String>,
    deadline: Option<(Status, Millis, bool)>,
) -> impl IntoView {
    let tr = use_tr();
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
                <p class="appeal-deadline-label">{tr.s(label)}</p>
                <p class="appeal-deadline-when">
                    <strong>{tr.dated(Key::Plain, at, true)}</strong> " " {due(at, overdue)}
                </p>
                <p class="hint">{tr.s(explained)}</p>
            </div>
        }
    });
    let links = (!appeal.evidence_urls.is_empty()).then(|| {
        view! {
            <h3>{tr.s(Key::Evidence)}</h3>
            <ul class="links" id="appeal-evidence">
                {appeal
                    .evidence_urls
                    .into_iter()
                    .map(|u| {
                        let href = u.clone();
                        view! { <li><a class="appeal-evidence-link" href=href target="_blank" rel="noopener noreferrer" translate="no">{u}</a></li> }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section class=class id="appeal" aria-labelledby="appeal-heading" data-appeal-id=appeal.appeal_id>
            <h2 id="appeal-heading">{tr.s(Key::SellerAppeal)}</h2>
            {deadline}
            <p class="muted">{tr.s(Key::Seller)} " " {seller_name(brand, seller_id, appeal.seller_name)}</p>
            <h3>{tr.s(Key::Statement)}</h3>
            <p class="statement" id="appeal-statement" translate="no">{appeal.statement}</p>
            {links}
        </section>
    }
}

/// Detection signals as tags (`.signal[data-signal]`).
pub fn signals(list: Vec<String>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <ul class="tags signals">
            {list
                .into_iter()
                .map(|s| {
                    let key = signal_key(&s);
                    let label = coded(tr, key, s.clone());
                    view! { <li class="tag signal" data-signal=s>{label}</li> }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Timeline(events: Vec<CaseEventView>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="card" id="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{tr.s(Key::Timeline)}</h2>
            <ol class="timeline">
                {events
                    .into_iter()
                    .map(|e| {
                        let moved = match (e.from_status, e.to_status) {
                            (_, None) => None,
                            (from, Some(to)) => Some(view! {
                                <p class="event-move">
                                    {from.map(|f| view! { {case_badge(f)} " → " })}
                                    {case_badge(to)}
                                </p>
                            }),
                        };
                        let kind = coded(tr, event_key(&e.kind), e.kind.clone());
                        let actor = actor_view(&e);
                        let note = note_view(&e);
                        view! {
                            <li class="event" data-kind=e.kind data-seq=e.seq>
                                <p class="event-head">
                                    <span class="event-kind">{kind}</span>
                                    " · "
                                    <time class="muted small">{tr.dated(Key::Plain, e.at, true)}</time>
                                </p>
                                <p class="event-actor small">{actor}</p>
                                {moved}
                                {note}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// Who acted, in the interface's language around the data (a person's name, a brand's).
fn actor_view(e: &CaseEventView) -> AnyView {
    let name = Arg::Data(e.actor_name.clone().unwrap_or_default());
    let brand = Arg::Data(e.actor_brand.clone().unwrap_or_default());
    let member = BrandRole::parse(&e.actor_kind).ok();
    let (key, args) = match (e.actor_kind.as_str(), member) {
        (_, Some(role)) if e.actor_name.is_some() => {
            (Key::ActorMember, vec![name, Arg::Text(role_key(role))])
        }
        ("account_manager", _) if e.actor_name.is_some() => {
            (Key::ActorManagerFor, vec![name, brand])
        }
        ("operator", _) if e.actor_name.is_some() => (Key::ActorOperatorFor, vec![name, brand]),
        ("api_key", _) if e.actor_brand.is_some() => (Key::ActorApiKeyOf, vec![brand]),
        ("marketplace", _) => (Key::ActorMarketplace, vec![]),
        ("deadline", _) => (Key::ActorDeadline, vec![]),
        _ => return view! { <span translate="no">{e.actor.clone()}</span> }.into_any(),
    };
    view! { <Tpl key=key args=args /> }.into_any()
}

/// The note of an event: JointForce's own sentences said in the interface's language (the data
/// inside kept as sent); what a person wrote, as they wrote it.
fn note_view(e: &CaseEventView) -> Option<AnyView> {
    let note = e.note.clone()?;
    let data = |i: usize| Arg::Data(e.note_args.get(i).cloned().unwrap_or_default());
    let coded = match e.note_code.as_deref() {
        Some("filed_auto") => Some((Key::NoteFiledAuto, vec![])),
        Some("filed_review") => Some((Key::NoteFiledReview, vec![])),
        Some("filed_unreachable") => Some((Key::NoteFiledUnreachable, vec![])),
        Some("listing_removed") => Some((Key::NoteListingRemoved, vec![data(0)])),
        Some("takedown_failed") => Some((Key::NoteTakedownFailed, vec![data(0)])),
        Some("takedown_confirmed") => Some((Key::NoteTakedownConfirmed, vec![])),
        Some("appeal_filed") => Some((Key::NoteAppealFiled, vec![data(0), data(1)])),
        Some("flag_expired") => Some((Key::NoteFlagExpired, vec![])),
        Some("no_appeal") => Some((Key::NoteNoAppeal, vec![])),
        Some("appeal_unanswered") => Some((Key::NoteAppealUnanswered, vec![])),
        Some("listing_unknown") => Some((Key::NoteListingUnknown, vec![])),
        _ => None,
    };
    if e.note_code.as_deref() == Some("detection") {
        return Some(detection_note(e.note_args.clone()));
    }
    Some(match coded {
        Some((key, args)) => {
            view! { <p class="event-note"><Tpl key=key args=args /></p> }.into_any()
        }
        None => view! { <p class="event-note" translate="no">{note}</p> }.into_any(),
    })
}

/// "Flagged by the marketplace's detection (score 91%: logo mismatch, price anomaly)."
fn detection_note(args: Vec<String>) -> AnyView {
    let tr = use_tr();
    let score = args
        .first()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .map(percent_of)
        .unwrap_or_else(|| args.first().cloned().unwrap_or_default());
    let signals: Vec<String> = args
        .get(1)
        .map(|s| {
            s.split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let text = Signal::derive(move || {
        let lang = tr.lang();
        let names: Vec<&str> = signals
            .iter()
            .map(|s| signal_key(s).map_or(s.as_str(), |k| crate::i18n::t(lang, k)))
            .collect();
        let list = names.join(crate::i18n::t(lang, Key::ListSeparator));
        crate::i18n::fill(crate::i18n::t(lang, Key::NoteDetection), &[&score, &list])
    });
    view! { <p class="event-note">{text}</p> }.into_any()
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
    match c {
        Confirm => (Key::ActConfirm, "action-confirm", None),
        Reject => (
            Key::ActReject,
            "action-reject",
            Some((Key::NoteOptional, false)),
        ),
        Withdraw => (
            Key::ActWithdraw,
            "action-withdraw",
            Some((Key::WithdrawReason, true)),
        ),
        Approve => (
            Key::ActApprove,
            "action-approve",
            Some((Key::NoteOptional, false)),
        ),
        Decline => (
            Key::ActDecline,
            "action-decline",
            Some((Key::DeclineReason, true)),
        ),
        RetryTakedown => (Key::ActRetry, "action-retry", None),
        Retract => (
            Key::ActRetract,
            "action-retract",
            Some((Key::NoteOptional, false)),
        ),
        UpholdAppeal => (
            Key::ActUpholdAppeal,
            "action-uphold-appeal",
            Some((Key::ReasonToSeller, true)),
        ),
        RetractOnAppeal => (
            Key::ActRetractOnAppeal,
            "action-retract-on-appeal",
            Some((Key::NoteOptional, false)),
        ),
        Escalate => (
            Key::ActEscalate,
            "action-escalate",
            Some((Key::NoteOptional, false)),
        ),
        ArbitrateUphold => (
            Key::ActArbitrateUphold,
            "action-arbitrate-uphold",
            Some((Key::ReasonToSeller, true)),
        ),
        ArbitrateReinstate => (
            Key::ActArbitrateReinstate,
            "action-arbitrate-reinstate",
            Some((Key::ReasonToSeller, true)),
        ),
    }
}

/// What bringing a listing back costs, said before it is confirmed: a retraction (or accepting an
/// appeal) counts against the brand's accuracy (`#retract-warning`); so does an arbitration that
/// reinstates (`#reinstate-warning`).
fn warning(tr: Tr, command: CaseCommand) -> Option<AnyView> {
    match command {
        CaseCommand::Retract | CaseCommand::RetractOnAppeal => {
            let rule = vec![
                crate::fmt::percent(MAX_REINSTATED_BP),
                MIN_DECIDED.to_string(),
                (STANDING_WINDOW / DAY).to_string(),
                (REVOCATION / DAY).to_string(),
            ];
            Some(
                view! {
                    <div class="notice notice-warn" id="retract-warning" role="note">
                        <p class="notice-title">{tr.s(Key::RetractWarningTitle)}</p>
                        <p>{tr.fs(Key::RetractWarning, rule)}</p>
                    </div>
                }
                .into_any(),
            )
        }
        CaseCommand::ArbitrateReinstate => Some(
            view! {
                <p class="notice notice-warn" id="reinstate-warning" role="note">
                    {tr.s(Key::ReinstateWarning)}
                </p>
            }
            .into_any(),
        ),
        _ => None,
    }
}

/// Exactly the commands in `allowed`: one button each (`#action-…`); the chosen one opens its
/// form (`#action-form`). The answer, the case as it now stands, replaces the page's case.
#[component]
fn Actions(case: CaseView, res: LocalResource<http::Body>) -> impl IntoView {
    let tr = use_tr();
    let open = RwSignal::new(None::<CaseCommand>);
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new("counterfeit".to_owned());
    let brand = case.brand_id;
    let id = case.id;
    let needs_right = case.allowed.contains(&CaseCommand::Confirm);
    let brand_text = Signal::derive(move || {
        if needs_right {
            brand.to_string()
        } else {
            String::new()
        }
    });
    let rights = UsableRights::new(brand_text);
    let action = act();
    // The answer, the case as it now stands, replaces the page's case.
    let send = move |d: Decision| {
        action.dispatch(d.call().then(move |body| {
            open.set(None);
            note.set(String::new());
            res.set(Some(Ok(body)));
        }));
    };
    let pending = action.pending();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(command) = open.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        let mut d = Decision::new(brand, id, command);
        d.text = note.get_untracked();
        d.ip_right_id = untrack(|| rights.chosen());
        d.reason_code = reason.get_untracked();
        send(d);
    };
    let buttons = case
        .allowed
        .iter()
        .map(|&c| {
            let (key, button_id, _) = command_info(c);
            let class = match c {
                CaseCommand::Withdraw
                | CaseCommand::Decline
                | CaseCommand::Retract
                | CaseCommand::RetractOnAppeal
                | CaseCommand::ArbitrateReinstate => "btn btn-danger-quiet",
                CaseCommand::Reject | CaseCommand::Escalate => "btn btn-secondary",
                _ => "btn btn-primary",
            };
            view! {
                <button
                    type="button"
                    class=class
                    id=button_id
                    aria-expanded=move || (open.get() == Some(c)).to_string()
                    disabled=pending
                    on:click=move |_| {
                        if c == CaseCommand::RetryTakedown {
                            send(Decision::new(brand, id, c));
                        } else {
                            note.set(String::new());
                            open.set(Some(c));
                        }
                    }
                >
                    {tr.s(key)}
                </button>
            }
        })
        .collect_view();
    let form = move || {
        let command = open.get()?;
        let (key, button_id, text_field) = command_info(command);
        let fields = match text_field {
            None => view! {
                <RightField rights=rights id="confirm-right" brand=brand.to_string() />
                <ReasonField id="confirm-reason" value=reason />
            }
            .into_any(),
            Some((label, required)) => {
                let hint = matches!(command, CaseCommand::Decline).then_some(Key::BrandSeesReason);
                view! {
                    <div class="field">
                        <label for="action-text">{tr.s(label)}</label>
                        <textarea
                            id="action-text"
                            class="input textarea"
                            rows="3"
                            maxlength="2000"
                            required=required
                            bind:value=note
                        ></textarea>
                        {hint.map(|k| view! { <p class="hint">{tr.s(k)}</p> })}
                    </div>
                }
                .into_any()
            }
        };
        let warning = warning(tr, command);
        let submit_class = if warning.is_some() {
            "btn btn-danger"
        } else {
            "btn btn-primary"
        };
        let needs_text = matches!(text_field, Some((_, true)));
        let blocked = move || {
            pending.get()
                || (command == CaseCommand::Confirm && rights.chosen().is_empty())
                || (needs_text && note.with(|n| n.trim().is_empty()))
        };
        Some(view! {
            <form class="form action-form" id="action-form" data-command=button_id on:submit=submit>
                {warning}
                {fields}
                <div class="form-actions">
                    <button type="submit" class=submit_class id="action-submit" disabled=blocked>
                        {tr.pick(move || if pending.get() { Key::Working } else { key })}
                    </button>
                    <button type="button" class="btn btn-ghost" id="action-cancel" on:click=move |_| open.set(None)>
                        {tr.s(Key::Cancel)}
                    </button>
                </div>
            </form>
        })
    };
    view! {
        <section class="card actions-card" id="case-actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">{tr.s(Key::Actions)}</h2>
            <div class="button-row">{buttons}</div>
            {form}
            <ErrorSlot err=act_error(action) />
        </section>
    }
}
