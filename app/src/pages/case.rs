//! `/brands/:brand_id/cases/:case_id`: the case file — the listing as filed (evidence, never
//! overwritten) beside the listing now, the right and reason, statement and evidence, detection,
//! deadline, the timeline, and exactly the actions the server allows the viewer now.

use crate::components::{
    case_badge, case_status, case_status_key, coded, due, load, overdue_badge, percent_of,
    reason_field, reason_key, right_field, right_view, role_key, signal_key, thumb, tpl_into, Act,
    Arg, Decision, PageHeader,
};
use crate::dom::reactive::*;
use crate::dom::{data, h, hc, ht, H};
use crate::http;
use crate::i18n::{dated, lang, tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::cases::seller_name;
use jf_core::api::CaseCommand;
use jf_core::case::Status;
use jf_core::clock::{Millis, DAY};
use jf_core::programme::{MAX_REINSTATED_BP, MIN_DECIDED, REVOCATION, STANDING_WINDOW};
use jf_core::types::BrandRole;

pub fn page(brand: &str, case: &str) -> H {
    let root = h("div");
    let path = format!(
        "/api/v1/brands/{}/cases/{}",
        http::segment(brand),
        http::segment(case)
    );
    load(&root, path, Some(Key::CaseNotFound), |p, v| {
        // An action answers with the case as it now stands, which replaces the one shown.
        let shown = RwSignal::new(v.clone());
        p.clone().region(move |p| case_file(p, &shown.get(), shown));
    });
    root
}

fn case_file(p: &H, case: &Json, shown: RwSignal<Json>) {
    let snapshot = json::get(case, "snapshot");
    let current = json::get(case, "current");
    let title = json::s(&snapshot, "title");
    let title = if title.trim().is_empty() {
        json::s(case, "listing_id")
    } else {
        title
    };
    let brand = json::s(case, "brand_id");
    let status = case_status(&json::s(case, "status"));
    let overdue = json::b(case, "overdue");
    let deadline = json::oi(case, "deadline_at");
    let origin = if json::s(case, "origin") == "detection" {
        Key::OriginDetection
    } else {
        Key::OriginReport
    };
    let lane = json::os(case, "lane").map(|l| {
        if l == "auto" {
            Key::LaneAuto
        } else {
            Key::LaneReview
        }
    });
    let right = json::has(case, "ip_right").then(|| {
        let r = json::get(case, "ip_right");
        right_view(
            &json::s(&r, "kind"),
            &json::s(&r, "registration_number"),
            &json::s(&r, "jurisdiction"),
        )
    });
    let reason = json::os(case, "reason_code").map(|r| coded(reason_key(&r), &r));
    let statement = json::os(case, "statement").filter(|s| !s.trim().is_empty());

    let badge = case_badge(status);
    let header = PageHeader::new(&title)
        .data_title()
        .eyebrow(&json::s(case, "brand_name"))
        .title_id("case-title")
        .aside(badge.clone())
        .build();
    if overdue {
        if let Some(aside) = badge.parent_element() {
            let _ = aside.append_child(&overdue_badge());
        }
    }

    // The seller's id is on the listing, the appeal names only the seller.
    let seller_id = [&current, &snapshot]
        .into_iter()
        .find(|s| !s.is_null() && !s.is_undefined())
        .map(|s| json::s(&json::get(s, "seller"), "seller_id"));
    // An appeal waiting for an answer (or an arbitration) comes first, with its deadline; a
    // decided one stays with the case's details.
    let pending = matches!(status, Status::Appealed | Status::InArbitration);
    let appeal = json::has(case, "appeal").then(|| {
        let at = deadline.filter(|_| pending).map(|at| (status, at, overdue));
        appeal_view(&json::get(case, "appeal"), &brand, seller_id.as_deref(), at)
    });
    let (appeal_first, appeal_later) = if pending {
        (appeal, None)
    } else {
        (None, appeal)
    };

    let fact = |key: Key, value: H| hc("div", "fact").child(ht("dt", tr(key))).child(value);
    let dd = |id: &str, text: &str| h("dd").id(id).text(text);
    let facts = hc("dl", "facts")
        .child(fact(
            Key::CaseStatus,
            dd("case-status", tr(case_status_key(status))),
        ))
        .child(fact(Key::Origin, dd("case-origin", tr(origin))))
        .child_opt(lane.map(|k| fact(Key::Lane, dd("case-lane", tr(k)))))
        .child_opt(right.map(|r| fact(Key::RightInvoked, h("dd").id("case-right").child(r))))
        .child_opt(reason.map(|r| fact(Key::Reason, dd("case-reason", &r))))
        .child_opt(deadline.filter(|_| status.is_open()).map(|at| {
            fact(
                Key::Deadline,
                h("dd").id("case-deadline").child(due(at, overdue)),
            )
        }))
        .child(fact(
            Key::Created,
            ht("dd", &dated(Key::Plain, json::i(case, "created_at"), true)),
        ));
    let mut details = hc("section", "card")
        .attr("aria-labelledby", "case-facts-heading")
        .child(ht("h2", tr(Key::CaseDetails)).id("case-facts-heading"))
        .child(facts);
    if let Some(s) = statement {
        details = details
            .child(ht("h3", tr(Key::Statement)))
            .child(hc("p", "statement").id("case-statement").data().text(&s));
    }

    let snapshot_view = if json::has(case, "snapshot") {
        listing(&snapshot, &brand, "snapshot", Key::ListingWhenFiled)
    } else {
        hc("section", "card")
            .id("snapshot")
            .child(ht("h2", tr(Key::ListingWhenFiled)))
            .child(
                hc("p", "muted")
                    .id("snapshot-pending")
                    .text(tr(Key::SnapshotPending)),
            )
    };
    let current_view =
        json::has(case, "current").then(|| listing(&current, &brand, "current", Key::ListingNow));
    let allowed: Vec<CaseCommand> = json::strs(case, "allowed")
        .iter()
        .filter_map(|c| parse_command(c))
        .collect();

    p.add(&header);
    if json::b(case, "listing_removed") {
        p.add(
            &hc("p", "notice notice-warn")
                .id("listing-removed")
                .attr("role", "status")
                .text(tr(Key::ListingRemoved)),
        );
    }
    if let Some(a) = appeal_first {
        p.add(&a);
    }
    if !allowed.is_empty() {
        p.add(&actions(case, allowed, shown));
    }
    p.add(
        &hc("div", "grid grid-2")
            .child(snapshot_view)
            .child_opt(current_view),
    );
    p.add(
        &hc("div", "grid grid-2 case-details")
            .child(details)
            .child_opt(appeal_later)
            .child_opt(detection(case))
            .child_opt(evidence(case)),
    );
    p.add(&timeline(case));
}

/// The marketplace's detection (`#detection`), for flagged listings.
fn detection(case: &Json) -> Option<H> {
    let d = json::get(case, "detection");
    if !json::has(case, "detection") {
        return None;
    }
    Some(
        hc("section", "card")
            .id("detection")
            .attr("aria-labelledby", "detection-heading")
            .child(ht("h2", tr(Key::Detection)).id("detection-heading"))
            .child(
                h("p")
                    .child(hc("span", "muted").text(tr(Key::Score)))
                    .text(" ")
                    .child(
                        hc("strong", "score")
                            .id("detection-score")
                            .text(&percent_of(json::n(&d, "score"))),
                    ),
            )
            .child(signals(&json::strs(&d, "signals"))),
    )
}

/// The evidence filed with the report (`#evidence`): links and files.
fn evidence(case: &Json) -> Option<H> {
    let urls = json::strs(case, "evidence_urls");
    let files = json::list(case, "evidence_files");
    if urls.is_empty() && files.is_empty() {
        return None;
    }
    let links = hc("ul", "links").id("evidence-links");
    for u in &urls {
        links.add(&h("li").child(evidence_link("evidence-link", u)));
    }
    let list = hc("ul", "links").id("evidence-files");
    for f in &files {
        list.add(
            &h("li")
                .child(
                    outside_link("evidence-file", &json::s(f, "url"), "noopener")
                        .text(&json::s(f, "name")),
                )
                .text(" ")
                .child(data(&json::s(f, "content_type")).class("muted small")),
        );
    }
    Some(
        hc("section", "card")
            .id("evidence")
            .attr("aria-labelledby", "evidence-heading")
            .child(ht("h2", tr(Key::Evidence)).id("evidence-heading"))
            .child(links)
            .child(list),
    )
}

/// Whether a link from people's data may be followed: sellers send evidence links, so a
/// `javascript:` or `data:` one must never become an `href`.
fn is_web_link(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://") || u.starts_with("http://")
}

/// An evidence link: clickable when http(s), otherwise shown as plain text.
fn evidence_link(class: &str, url: &str) -> H {
    if is_web_link(url) {
        outside_link(class, url.trim(), "noopener noreferrer").text(url)
    } else {
        hc("span", "evidence-unlinked").data().text(url)
    }
}

/// A link opening in a new tab, its text people's data.
fn outside_link(class: &str, href: &str, rel: &str) -> H {
    hc("a", class)
        .attr("href", href)
        .attr("target", "_blank")
        .attr("rel", rel)
        .data()
}

/// A listing at one moment (`#snapshot`: as filed; `#current`: now).
fn listing(snap: &Json, brand: &str, id: &str, heading: Key) -> H {
    let price = json::get(snap, "price");
    let seller = json::get(snap, "seller");
    hc("section", "card listing")
        .id(id)
        .child(ht("h2", tr(heading)))
        .child(
            hc("div", "listing-body")
                .child(thumb(json::os(snap, "image_url").as_deref(), true))
                .child(
                    hc("div", "listing-text")
                        .child(
                            hc("p", "listing-title")
                                .data()
                                .text(&json::s(snap, "title")),
                        )
                        .child(hc("p", "price").text(&crate::fmt::money(
                            lang(),
                            &json::s(&price, "amount"),
                            &json::s(&price, "currency"),
                        )))
                        .child(
                            hc("p", "muted")
                                .text(tr(Key::Seller))
                                .text(" ")
                                .child(seller_name(
                                    brand,
                                    Some(&json::s(&seller, "seller_id")),
                                    &json::s(&seller, "name"),
                                )),
                        )
                        .child(
                            hc("p", "small mono")
                                .data()
                                .text(&json::s(snap, "listing_id")),
                        )
                        .child(
                            hc("a", "listing-url")
                                .attr("href", &json::s(snap, "url"))
                                .attr("target", "_blank")
                                .attr("rel", "noopener noreferrer")
                                .text(tr(Key::OpenListing)),
                        ),
                ),
        )
}

/// The seller's appeal (`#appeal`): the statement, the evidence links and, while it waits, the
/// deadline (`#appeal-deadline`: the brand's answer, or the account manager's arbitration).
fn appeal_view(
    appeal: &Json,
    brand: &str,
    seller_id: Option<&str>,
    deadline: Option<(Status, Millis, bool)>,
) -> H {
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
        hc("div", "appeal-deadline")
            .id("appeal-deadline")
            .attr("data-overdue", &overdue.to_string())
            .child(hc("p", "appeal-deadline-label").text(tr(label)))
            .child(
                hc("p", "appeal-deadline-when")
                    .child(ht("strong", &dated(Key::Plain, at, true)))
                    .text(" ")
                    .child(due(at, overdue)),
            )
            .child(hc("p", "hint").text(tr(explained)))
    });
    let section = hc("section", class)
        .id("appeal")
        .attr("aria-labelledby", "appeal-heading")
        .attr("data-appeal-id", &json::s(appeal, "appeal_id"))
        .child(ht("h2", tr(Key::SellerAppeal)).id("appeal-heading"))
        .child_opt(deadline)
        .child(
            hc("p", "muted")
                .text(tr(Key::Seller))
                .text(" ")
                .child(seller_name(
                    brand,
                    seller_id,
                    &json::s(appeal, "seller_name"),
                )),
        )
        .child(ht("h3", tr(Key::Statement)))
        .child(
            hc("p", "statement")
                .id("appeal-statement")
                .data()
                .text(&json::s(appeal, "statement")),
        );
    let urls = json::strs(appeal, "evidence_urls");
    if urls.is_empty() {
        return section;
    }
    let links = hc("ul", "links").id("appeal-evidence");
    for u in &urls {
        links.add(&h("li").child(evidence_link("appeal-evidence-link", u)));
    }
    section.child(ht("h3", tr(Key::Evidence))).child(links)
}

/// Detection signals as tags (`.signal[data-signal]`).
pub fn signals(list: &[String]) -> H {
    let ul = hc("ul", "tags signals");
    for s in list {
        ul.add(
            &hc("li", "tag signal")
                .attr("data-signal", s)
                .text(&coded(signal_key(s), s)),
        );
    }
    ul
}

/// What happened to the case, oldest first (`#timeline`, `.event[data-kind][data-seq]`).
fn timeline(case: &Json) -> H {
    let ol = hc("ol", "timeline");
    for e in json::list(case, "events") {
        let kind = json::s(&e, "kind");
        let moved = json::os(&e, "to_status").map(|to| {
            let mut p = hc("p", "event-move");
            if let Some(from) = json::os(&e, "from_status") {
                p = p.child(case_badge(case_status(&from))).text(" → ");
            }
            p.child(case_badge(case_status(&to)))
        });
        ol.add(
            &hc("li", "event")
                .attr("data-kind", &kind)
                .attr("data-seq", &json::i(&e, "seq").to_string())
                .child(
                    hc("p", "event-head")
                        .child(hc("span", "event-kind").text(&coded(event_key(&kind), &kind)))
                        .text(" · ")
                        .child(hc("time", "muted small").text(&dated(
                            Key::Plain,
                            json::i(&e, "at"),
                            true,
                        ))),
                )
                .child(actor_view(&e))
                .child_opt(moved)
                .child_opt(note_view(&e)),
        );
    }
    hc("section", "card")
        .id("timeline")
        .attr("aria-labelledby", "timeline-heading")
        .child(ht("h2", tr(Key::Timeline)).id("timeline-heading"))
        .child(ol)
}

/// Who acted (`.event-actor`), in the interface's language around the data (a person's name, a
/// brand's).
fn actor_view(e: &Json) -> H {
    let p = hc("p", "event-actor small");
    let name = json::os(e, "actor_name");
    let brand = json::os(e, "actor_brand");
    let kind = json::s(e, "actor_kind");
    let has_name = name.is_some();
    let name = Arg::Data(name.unwrap_or_default());
    let for_brand = Arg::Data(brand.clone().unwrap_or_default());
    let (key, args) = match (kind.as_str(), BrandRole::parse(&kind).ok()) {
        (_, Some(role)) if has_name => (Key::ActorMember, vec![name, Arg::Text(role_key(role))]),
        ("account_manager", _) if has_name => (Key::ActorManagerFor, vec![name, for_brand]),
        ("operator", _) if has_name => (Key::ActorOperatorFor, vec![name, for_brand]),
        ("api_key", _) if brand.is_some() => (Key::ActorApiKeyOf, vec![for_brand]),
        ("marketplace", _) => (Key::ActorMarketplace, vec![]),
        ("deadline", _) => (Key::ActorDeadline, vec![]),
        _ => return p.child(data(&json::s(e, "actor"))),
    };
    tpl_into(p, key, &args, "")
}

/// The note of an event: JointForce's own sentences said in the interface's language (the data
/// inside kept as sent); what a person wrote, as they wrote it.
fn note_view(e: &Json) -> Option<H> {
    let note = json::os(e, "note")?;
    let args = json::strs(e, "note_args");
    let arg = |i: usize| Arg::Data(args.get(i).cloned().unwrap_or_default());
    let p = hc("p", "event-note");
    let (key, args) = match json::os(e, "note_code").as_deref() {
        Some("detection") => return Some(p.text(&detection_note(&args))),
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
        _ => return Some(p.data().text(&note)),
    };
    Some(tpl_into(p, key, &args, ""))
}

/// "Flagged by the marketplace's detection (score 91%: logo mismatch, price anomaly)."
fn detection_note(args: &[String]) -> String {
    let first = args.first().cloned().unwrap_or_default();
    // The browser reads the number (Rust's float parser is 10 KB of tables in the download),
    // all of it or nothing (unary `+`, as `Number()`).
    let read = wasm_bindgen::JsValue::from_str(first.trim()).unchecked_into_f64();
    let score = if first.trim().is_empty() || read.is_nan() {
        first
    } else {
        percent_of(read)
    };
    let names: Vec<String> = args
        .get(1)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(|x| coded(signal_key(x), x))
                .collect()
        })
        .unwrap_or_default();
    trf(
        Key::NoteDetection,
        &[&score, &names.join(tr(Key::ListSeparator))],
    )
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

/// A command as the API names it (`retry_takedown`); unknown ones are not offered.
fn parse_command(raw: &str) -> Option<CaseCommand> {
    use CaseCommand::*;
    Some(match raw {
        "confirm" => Confirm,
        "reject" => Reject,
        "withdraw" => Withdraw,
        "approve" => Approve,
        "decline" => Decline,
        "retry_takedown" => RetryTakedown,
        "retract" => Retract,
        "uphold_appeal" => UpholdAppeal,
        "retract_on_appeal" => RetractOnAppeal,
        "escalate" => Escalate,
        "arbitrate_uphold" => ArbitrateUphold,
        "arbitrate_reinstate" => ArbitrateReinstate,
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
fn warning(command: CaseCommand) -> Option<H> {
    match command {
        CaseCommand::Retract | CaseCommand::RetractOnAppeal => {
            let rule = [
                crate::fmt::percent(MAX_REINSTATED_BP),
                MIN_DECIDED.to_string(),
                (STANDING_WINDOW / DAY).to_string(),
                (REVOCATION / DAY).to_string(),
            ];
            let rule: Vec<&str> = rule.iter().map(String::as_str).collect();
            Some(
                hc("div", "notice notice-warn")
                    .id("retract-warning")
                    .attr("role", "note")
                    .child(hc("p", "notice-title").text(tr(Key::RetractWarningTitle)))
                    .child(ht("p", &trf(Key::RetractWarning, &rule))),
            )
        }
        CaseCommand::ArbitrateReinstate => Some(
            hc("p", "notice notice-warn")
                .id("reinstate-warning")
                .attr("role", "note")
                .text(tr(Key::ReinstateWarning)),
        ),
        _ => None,
    }
}

/// Exactly the commands in `allowed`: one button each (`#action-…`); the chosen one opens its
/// form (`#action-form`). The answer, the case as it now stands, replaces the page's case.
fn actions(case: &Json, allowed: Vec<CaseCommand>, shown: RwSignal<Json>) -> H {
    let brand = json::s(case, "brand_id");
    let id = json::s(case, "id");
    let open = RwSignal::new(None::<CaseCommand>);
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new("counterfeit".to_owned());
    let right = RwSignal::new(String::new());
    // Asked for once, when the viewer may confirm; moved into each confirmation form opened.
    let right_picker = allowed
        .contains(&CaseCommand::Confirm)
        .then(|| right_field(&brand, "confirm-right", right));
    let act = Act::new();
    let pending = act.pending;
    let send = move |d: Decision| {
        act.send(d.request(), move |answer| {
            open.set(None);
            note.set(String::new());
            shown.set(answer);
        })
    };

    let buttons = hc("div", "button-row");
    for c in allowed {
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
        let (brand, id) = (brand.clone(), id.clone());
        buttons.add(
            &hc("button", class)
                .attr("type", "button")
                .id(button_id)
                .dyn_attr("aria-expanded", move || {
                    Some((open.get() == Some(c)).to_string())
                })
                .dyn_flag("disabled", move || pending.get())
                .text(tr(key))
                .on_click(move || {
                    if c == CaseCommand::RetryTakedown {
                        send(Decision::new(&brand, &id, c));
                    } else {
                        note.set(String::new());
                        open.set(Some(c));
                    }
                }),
        );
    }

    let submit = move || {
        let Some(command) = open.get_untracked() else {
            return;
        };
        let mut d = Decision::new(&brand, &id, command);
        d.text = note.get_untracked();
        d.ip_right_id = right.get_untracked();
        d.reason_code = reason.get_untracked();
        send(d);
    };
    let form = h("div").region(move |p| {
        let Some(command) = open.get() else {
            return;
        };
        let (key, button_id, text_field) = command_info(command);
        let warning = warning(command);
        let submit_class = if warning.is_some() {
            "btn btn-danger"
        } else {
            "btn btn-primary"
        };
        let form = hc("form", "form action-form")
            .id("action-form")
            .attr("data-command", button_id)
            .on_submit(submit.clone())
            .child_opt(warning);
        let form = match text_field {
            None => form
                .child_opt(right_picker.clone())
                .child(reason_field("confirm-reason", reason)),
            Some((label, required)) => {
                let hint = (command == CaseCommand::Decline)
                    .then(|| hc("p", "hint").text(tr(Key::BrandSeesReason)));
                form.child(
                    hc("div", "field")
                        .child(ht("label", tr(label)).attr("for", "action-text"))
                        .child(
                            hc("textarea", "input textarea")
                                .id("action-text")
                                .attr("rows", "3")
                                .attr("maxlength", "2000")
                                .flag("required", required)
                                .bind(note),
                        )
                        .child_opt(hint),
                )
            }
        };
        let needs_text = matches!(text_field, Some((_, true)));
        let blocked = move || {
            pending.get()
                || (command == CaseCommand::Confirm && right.get().is_empty())
                || (needs_text && note.with(|n| n.trim().is_empty()))
        };
        p.add(
            &form.child(
                hc("div", "form-actions")
                    .child(
                        hc("button", submit_class)
                            .attr("type", "submit")
                            .id("action-submit")
                            .dyn_flag("disabled", blocked)
                            .dyn_text(move || {
                                tr(if pending.get() { Key::Working } else { key }).to_owned()
                            }),
                    )
                    .child(
                        hc("button", "btn btn-ghost")
                            .attr("type", "button")
                            .id("action-cancel")
                            .text(tr(Key::Cancel))
                            .on_click(move || open.set(None)),
                    ),
            ),
        );
    });
    hc("section", "card actions-card")
        .id("case-actions")
        .attr("aria-labelledby", "actions-heading")
        .child(ht("h2", tr(Key::Actions)).id("actions-heading"))
        .child(buttons)
        .child(form)
        .child(act.error_view())
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
