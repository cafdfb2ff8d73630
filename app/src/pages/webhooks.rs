//! `/brands/:brand_id/webhooks`: the brand's webhook endpoints, for its admins — the list, a form
//! to register one (https, chosen events; its signing secret shown once), disabling one, and each
//! endpoint's delivery log with every attempt, where a delivery can be sent again.

use crate::components::{coded, error_text, key_error, tpl_into, Act, Arg, Request};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, H};
use crate::http;
use crate::i18n::{dated, tr, trf, Key};
use crate::json::{self, Json};
use crate::pages::api_keys::{admin_list, admin_page, secret_box};
use crate::pages::brand::part;
use jf_core::api::WEBHOOK_EVENTS;

fn event_key(event: &str) -> Option<Key> {
    Some(match event {
        "case.created" => Key::WeCaseCreated,
        "case.status_changed" => Key::WeStatusChanged,
        "appeal.filed" => Key::WeAppealFiled,
        "deadline.approaching" => Key::WeDeadline,
        _ => return None,
    })
}

fn event_label(event: &str) -> String {
    coded(event_key(event), event)
}

pub fn page(brand: &str) -> H {
    let api = format!("/api/v1/brands/{}/webhook-endpoints", http::segment(brand));
    let again = RwSignal::new(0u32);
    let disable = Act::new();
    let rows_api = api.clone();
    let endpoints = admin_list(
        brand,
        "webhook-endpoints",
        again,
        Box::new(move |p, v| {
            let list = json::list(v, "endpoints");
            if list.is_empty() {
                p.add(
                    &hc("p", "muted")
                        .id("no-endpoints")
                        .text(tr(Key::NoEndpoints)),
                );
                return;
            }
            p.add(
                &hc("ul", "rows")
                    .id("endpoint-list")
                    .children(list.iter().map(|e| {
                        let path = format!("{rows_api}/{}", http::segment(&json::s(e, "id")));
                        endpoint_row(e, path, disable, again)
                    })),
            );
        }),
    );
    admin_page(
        brand,
        Key::NavWebhooks,
        Key::WebhooksLead,
        "webhooks",
        Box::new(move || {
            hc("div", "stack")
                .child(create_endpoint(api.clone(), again))
                .child(
                    hc("section", "card")
                        .attr("aria-labelledby", "endpoints-heading")
                        .id("webhook-endpoints")
                        .child(ht("h2", tr(Key::NavWebhooks)).id("endpoints-heading"))
                        .child(disable.error_view())
                        .child(endpoints.clone()),
                )
        }),
    )
}

/// The form (`#endpoint-url`, `.endpoint-event` checkboxes, `#create-endpoint`). A refused URL
/// is explained next to its field (`#endpoint-url-error`); the signing secret is shown once
/// (`#endpoint-secret`).
fn create_endpoint(api: String, again: RwSignal<u32>) -> H {
    let url = RwSignal::new(String::new());
    let picked = WEBHOOK_EVENTS.map(|_| RwSignal::new(false));
    let problem = RwSignal::new(None::<Key>);
    // The new endpoint's URL and signing secret.
    let created = RwSignal::new(None::<(String, String)>);
    let create = Act::new();
    let err = create.error;
    // The server's refusal, shown next to the field it names (`None`: any other field).
    let refusal = move |field: Option<&'static str>| {
        err.get().filter(|e| match field {
            Some(f) => e.field.as_deref() == Some(f),
            None => !matches!(e.field.as_deref(), Some("url" | "events")),
        })
    };
    let submit = move || {
        let chosen: Vec<String> = WEBHOOK_EVENTS
            .iter()
            .zip(picked)
            .filter(|(_, on)| on.get_untracked())
            .map(|(e, _)| (*e).to_owned())
            .collect();
        if chosen.is_empty() {
            problem.set(Some(Key::ChooseEvent));
            return;
        }
        problem.set(None);
        let body = json::obj()
            .str("url", url.get_untracked().trim())
            .strs("events", &chosen)
            .build();
        created.set(None);
        create.send(Request::post(api.clone(), body), move |v| {
            let endpoint = json::get(&v, "endpoint");
            created.set(Some((json::s(&endpoint, "url"), json::s(&v, "secret"))));
            url.set(String::new());
            for on in picked {
                on.set(false);
            }
            again.update(|n| *n += 1);
        });
    };
    let events = hc("fieldset", "field fieldset")
        .id("endpoint-events")
        .child(ht("legend", tr(Key::Events)));
    for (event, on) in WEBHOOK_EVENTS.iter().zip(picked) {
        events.add(
            &hc("label", "check")
                .child(
                    hc("input", "endpoint-event")
                        .attr("type", "checkbox")
                        .attr("name", "events")
                        .attr("value", event)
                        .bind_checked(on),
                )
                .child(
                    h("span")
                        .text(&event_label(event))
                        .text(" ")
                        .child(hc("code", "mono small event-code").data().text(event)),
                ),
        );
    }
    let events = events.child(h("div").region(move |p| {
        if let Some(k) = problem.get() {
            p.add(&key_error(k, &[]));
        }
        if let Some(e) = refusal(Some("events")) {
            p.add(&error_text(&e));
        }
    }));
    hc("section", "card")
        .attr("aria-labelledby", "create-endpoint-heading")
        .id("create-endpoint-card")
        .child(ht("h2", tr(Key::AddEndpoint)).id("create-endpoint-heading"))
        .child(
            hc("form", "form")
                .on_submit(submit)
                .child(
                    hc("div", "field")
                        .child(ht("label", tr(Key::EndpointUrl)).attr("for", "endpoint-url"))
                        .child(
                            hc("input", "input input-mono")
                                .id("endpoint-url")
                                .attr("name", "url")
                                .attr("type", "url")
                                .attr("inputmode", "url")
                                .attr("autocomplete", "off")
                                .attr("spellcheck", "false")
                                .flag("required", true)
                                .attr("maxlength", "2000")
                                .attr("placeholder", "https://")
                                .attr("aria-describedby", "endpoint-url-hint endpoint-url-error")
                                .dyn_attr("aria-invalid", move || {
                                    refusal(Some("url")).map(|_| "true".to_owned())
                                })
                                .bind(url),
                        )
                        .child(tpl_into(
                            hc("p", "hint").id("endpoint-url-hint"),
                            Key::EndpointUrlHint,
                            &[Arg::Data("https".to_owned())],
                            "mono",
                        ))
                        .child(hc("div", "field-error").id("endpoint-url-error").region(
                            move |p| {
                                if let Some(e) = refusal(Some("url")) {
                                    p.add(&error_text(&e));
                                }
                            },
                        )),
                )
                .child(events)
                .child(hc("div", "form-actions").child(create.submit(
                    "create-endpoint",
                    "btn btn-primary",
                    Key::CreateEndpointButton,
                    Key::Working,
                ))),
        )
        .child(h("div").region(move |p| {
            if let Some(e) = refusal(None) {
                p.add(&error_text(&e));
            }
        }))
        .child(h("div").region(move |p| {
            let Some((url, secret)) = created.get() else {
                return;
            };
            let args: Vec<Arg> = [
                "Standard Webhooks",
                "webhook-signature",
                "v1,",
                "base64 HMAC-SHA256",
                "webhook-id.webhook-timestamp.body",
            ]
            .into_iter()
            .map(|s| Arg::Data(s.to_owned()))
            .collect();
            p.add(
                &secret_box(
                    "endpoint",
                    hc("p", "link-box-title").text(&trf(Key::EndpointCreated, &[&url])),
                    Key::SigningSecret,
                    &secret,
                )
                .child(tpl_into(
                    hc("p", "hint").id("verify-hint"),
                    Key::VerifyHint,
                    &args,
                    "",
                )),
            );
        }))
}

/// One endpoint (`.endpoint[data-endpoint-id][data-disabled]`): its URL and events;
/// `.disable-endpoint` stops sending to it; `.show-deliveries` opens its delivery log.
fn endpoint_row(e: &Json, path: String, disable: Act, again: RwSignal<u32>) -> H {
    let disabled_at = json::oi(e, "disabled_at");
    let open = RwSignal::new(false);
    let pending = disable.pending;
    let status = match disabled_at {
        Some(at) => hc("span", "badge badge-neutral endpoint-disabled")
            .attr("title", &dated(Key::DisabledOn, at, true))
            .text(tr(Key::Disabled)),
        None => hc("span", "badge badge-good").text(tr(Key::Active)),
    };
    let log_path = format!("{path}/deliveries");
    let disable_button = disabled_at.is_none().then(|| {
        hc("button", "btn btn-danger-quiet disable-endpoint")
            .attr("type", "button")
            .dyn_flag("disabled", move || pending.get())
            .text(tr(Key::Disable))
            .on_click(move || {
                disable.send(Request::Delete(path.clone()), move |_| {
                    again.update(|n| *n += 1)
                })
            })
    });
    let tags = hc("ul", "tags endpoint-events");
    for ev in json::strs(e, "events") {
        tags.add(
            &hc("li", "tag")
                .attr("data-event", &ev)
                .text(&event_label(&ev)),
        );
    }
    hc("li", "row endpoint")
        .attr("data-endpoint-id", &json::s(e, "id"))
        .attr("data-disabled", &disabled_at.is_some().to_string())
        .child(
            hc("div", "row-text")
                .child(
                    hc("p", "row-title mono endpoint-url")
                        .data()
                        .text(&json::s(e, "url")),
                )
                .child(tags)
                .child(hc("p", "row-sub small").text(&dated(
                    Key::CreatedOn,
                    json::i(e, "created_at"),
                    false,
                ))),
        )
        .child(hc("div", "row-meta").child(status))
        .child(
            hc("div", "row-actions")
                .child(
                    hc("button", "btn btn-secondary show-deliveries")
                        .attr("type", "button")
                        .dyn_attr("aria-expanded", move || Some(open.get().to_string()))
                        .text(tr(Key::ShowDeliveries))
                        .on_click(move || open.update(|o| *o = !*o)),
                )
                .child_opt(disable_button),
        )
        // The log is fetched each time it is opened; closed, the panel is empty and hidden.
        .child(
            hc("div", "deliveries")
                .dyn_flag("hidden", move || !open.get())
                .region(move |p| {
                    if open.get() {
                        deliveries(p, log_path.clone());
                    }
                }),
        )
}

fn state_badge(state: &str) -> (&'static str, Option<Key>) {
    match state {
        "delivered" => ("badge badge-good delivery-state", Some(Key::DsDelivered)),
        "failed" => ("badge badge-bad delivery-state", Some(Key::DsFailed)),
        "pending" => ("badge badge-warn delivery-state", Some(Key::DsPending)),
        _ => ("badge badge-neutral delivery-state", None),
    }
}

/// An endpoint's delivery log into `panel` (`.deliveries`): each delivery
/// (`.delivery[data-state]`) with its attempts (`.attempt`) and `.redeliver`.
fn deliveries(panel: &H, path: String) {
    let again = RwSignal::new(0u32);
    let redeliver = Act::new();
    let log_path = path.clone();
    let list = part(
        h("div"),
        log_path,
        again,
        Box::new(move |p, v| {
            let log = json::list(v, "deliveries");
            if log.is_empty() {
                p.add(&hc("p", "muted no-deliveries").text(tr(Key::NoDeliveries)));
                return;
            }
            p.add(
                &hc("ul", "rows delivery-list")
                    .children(log.iter().map(|d| delivery_row(d, &path, redeliver, again))),
            );
        }),
    );
    panel.add(
        &hc("div", "deliveries-head")
            .child(ht("h3", tr(Key::ShowDeliveries)))
            .child(
                hc("button", "btn btn-ghost btn-small refresh-deliveries")
                    .attr("type", "button")
                    .text(tr(Key::Refresh))
                    .on_click(move || again.update(|n| *n += 1)),
            ),
    );
    panel.add(&redeliver.error_view());
    panel.add(&list);
}

fn delivery_row(d: &Json, path: &str, redeliver: Act, again: RwSignal<u32>) -> H {
    let state = json::s(d, "state");
    let event = json::s(d, "event_type");
    let (class, key) = state_badge(&state);
    let resend = format!("{path}/{}/redeliver", http::segment(&json::s(d, "id")));
    let when = match (json::oi(d, "delivered_at"), state.as_str()) {
        (Some(at), _) => Some(dated(Key::DeliveredOn, at, true)),
        (None, "pending") => Some(dated(Key::NextAttempt, json::i(d, "next_attempt_at"), true)),
        _ => None,
    };
    let attempts = json::list(d, "attempt_log");
    let attempts = if attempts.is_empty() {
        hc("p", "row-sub small").text(tr(Key::NoAttempts))
    } else {
        hc("ol", "attempts").children(attempts.iter().map(|a| {
            let status = json::oi(a, "status");
            let outcome = match status {
                Some(code) => trf(Key::HttpStatus, &[&code.to_string()]),
                None => json::s(a, "error"),
            };
            let ok = status.is_some_and(|c| (200..300).contains(&c));
            // Without a status, what failed is the network's own words.
            let outcome = hc("span", "attempt-outcome").text(&outcome);
            hc("li", "attempt small")
                .attr("data-ok", &ok.to_string())
                .child(ht("time", &dated(Key::Plain, json::i(a, "at"), true)))
                .text(" · ")
                .child(if status.is_none() {
                    outcome.data()
                } else {
                    outcome
                })
        }))
    };
    let sub = hc("p", "row-sub small")
        .text(&dated(Key::CreatedOn, json::i(d, "created_at"), true))
        .text(" · ")
        .text(&trf(Key::Attempts, &[&json::i(d, "attempts").to_string()]));
    let sub = match when {
        Some(w) => sub.text(" · ").text(&w),
        None => sub,
    };
    let pending = redeliver.pending;
    hc("li", "row delivery")
        .attr("data-delivery-id", &json::s(d, "id"))
        .attr("data-state", &state)
        .child(
            hc("div", "row-text")
                .child(
                    hc("p", "row-title")
                        .child(hc("span", "delivery-event-label").text(&event_label(&event)))
                        .text(" ")
                        .child(hc("code", "mono small delivery-event").data().text(&event))
                        .child(hc("span", class).text(&coded(key, &state))),
                )
                .child(sub)
                .child(attempts),
        )
        .child(
            hc("div", "row-actions").child(
                hc("button", "btn btn-secondary redeliver")
                    .attr("type", "button")
                    .dyn_flag("disabled", move || pending.get())
                    .text(tr(Key::Redeliver))
                    .on_click(move || {
                        redeliver.send(Request::Post(resend.clone(), None), move |_| {
                            again.update(|n| *n += 1)
                        })
                    }),
            ),
        )
}
