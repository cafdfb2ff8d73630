//! `/brands/:brand_id/webhooks`: the brand's webhook endpoints, for its admins — the list, a form
//! to register one (https, chosen events; its signing secret shown once), disabling one, and each
//! endpoint's delivery log with every attempt, where a delivery can be sent again.

use crate::components::{
    act, act_error, admin_path, coded, is_admin, text, Act, AdminNav, AdminOnly, Arg, Call,
    CopyField, ErrorSlot, ErrorText, KeyError, Load, PageHeader, Tpl,
};
use crate::http::{self, ApiError, Payload};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::{use_brand_id, BrandFrame};
use jf_core::api::{
    BrandView, CreateEndpointRequest, CreatedEndpoint, DeliveryLog, DeliveryView, EndpointList,
    EndpointView, WEBHOOK_EVENTS,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let brand_id = use_brand_id();
    // Asked for alongside the brand (by its admins only).
    let endpoints = http::resource(admin_path(brand_id, "webhook-endpoints"));
    let page = Callback::new(move |brand| {
        view! { <Webhooks brand=brand endpoints=endpoints /> }.into_any()
    });
    view! { <BrandFrame page=page /> }
}

fn event_key(event: &str) -> Option<Key> {
    Some(match event {
        "case.created" => Key::WeCaseCreated,
        "case.status_changed" => Key::WeStatusChanged,
        "appeal.filed" => Key::WeAppealFiled,
        "deadline.approaching" => Key::WeDeadline,
        _ => return None,
    })
}

#[component]
fn Webhooks(brand: BrandView, endpoints: LocalResource<http::Body>) -> impl IntoView {
    let tr = use_tr();
    let name = brand.name.clone();
    let header = view! {
        <PageHeader
            title=text(tr, Key::NavWebhooks)
            eyebrow=Signal::derive(move || name.clone())
            lead=text(tr, Key::WebhooksLead)
        />
    };
    if !is_admin(brand.viewer) {
        return view! { {header} <AdminOnly brand=brand.id /> }.into_any();
    }
    let api = format!("/api/v1/brands/{}/webhook-endpoints", brand.id);
    let create_api = api.clone();
    let disable = act();
    view! {
        {header}
        <AdminNav brand=brand.id current="webhooks" />
        <div class="stack">
            <CreateEndpoint api=create_api endpoints=endpoints />
            <section class="card" aria-labelledby="endpoints-heading" id="webhook-endpoints">
                <h2 id="endpoints-heading">{tr.s(Key::NavWebhooks)}</h2>
                <ErrorSlot err=act_error(disable) />
                <Load res=endpoints show=Callback::new(move |result| match http::decode::<EndpointList>(result) {
                                Ok(list) if list.endpoints.is_empty() => {
                                    view! { <p class="muted" id="no-endpoints">{tr.s(Key::NoEndpoints)}</p> }.into_any()
                                }
                                Ok(list) => {
                                    let api = api.clone();
                                    view! {
                                        <ul class="rows" id="endpoint-list">
                                            {list
                                                .endpoints
                                                .into_iter()
                                                .map(|e| {
                                                    let path = format!("{api}/{}", http::segment(&e.id));
                                                    view! { <EndpointRow endpoint=e path=path disable=disable endpoints=endpoints /> }
                                                })
                                                .collect_view()}
                                        </ul>
                                    }
                                    .into_any()
                                }
                                Err(err) => view! { <ErrorText err=err /> }.into_any(),
                            }) />
            </section>
        </div>
    }
    .into_any()
}

/// The form (`#endpoint-url`, `.endpoint-event` checkboxes, `#create-endpoint`). A refused URL
/// is explained next to its field (`#endpoint-url-error`); the signing secret is shown once
/// (`#endpoint-secret`).
#[component]
fn CreateEndpoint(api: String, endpoints: LocalResource<http::Body>) -> impl IntoView {
    let tr = use_tr();
    let url = RwSignal::new(String::new());
    let events = RwSignal::new(Vec::<&'static str>::new());
    let problem = RwSignal::new(None::<Key>);
    let created = RwSignal::new(None::<CreatedEndpoint>);
    let create = act();
    let pending = create.pending();
    let err = act_error(create);
    let on = move |field: &'static str| -> Signal<Option<ApiError>> {
        Signal::derive(move || err.get().filter(|e| e.field.as_deref() == Some(field)))
    };
    let (url_err, events_err) = (on("url"), on("events"));
    let other_err = Signal::derive(move || {
        err.get()
            .filter(|e| !matches!(e.field.as_deref(), Some("url" | "events")))
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let chosen: Vec<String> = events.with_untracked(|picked| {
            WEBHOOK_EVENTS
                .iter()
                .filter(|e| picked.contains(e))
                .map(|e| (*e).to_owned())
                .collect()
        });
        if chosen.is_empty() {
            problem.set(Some(Key::ChooseEvent));
            return;
        }
        problem.set(None);
        let req = CreateEndpointRequest {
            url: url.get_untracked().trim().to_owned(),
            events: chosen,
        };
        let Ok(payload) = Payload::json(&req) else {
            return;
        };
        created.set(None);
        create.dispatch(Call::new(api.clone(), payload).then(move |body| {
            created.set(http::decode::<CreatedEndpoint>(Ok(body)).ok());
            url.set(String::new());
            events.set(Vec::new());
            endpoints.refetch();
        }));
    };
    view! {
        <section class="card" aria-labelledby="create-endpoint-heading" id="create-endpoint-card">
            <h2 id="create-endpoint-heading">{tr.s(Key::AddEndpoint)}</h2>
            <form class="form" on:submit=on_submit>
                <div class="field">
                    <label for="endpoint-url">{tr.s(Key::EndpointUrl)}</label>
                    <input
                        id="endpoint-url"
                        name="url"
                        type="url"
                        class="input input-mono"
                        inputmode="url"
                        autocomplete="off"
                        spellcheck="false"
                        required
                        maxlength="2000"
                        placeholder="https://"
                        aria-describedby="endpoint-url-hint endpoint-url-error"
                        aria-invalid=move || url_err.with(|e| e.is_some()).then_some("true")
                        bind:value=url
                    />
                    <p class="hint" id="endpoint-url-hint">
                        <Tpl key=Key::EndpointUrlHint args=vec![Arg::Data("https".to_owned())] data_class="mono" />
                    </p>
                    <div id="endpoint-url-error" class="field-error">
                        <ErrorSlot err=url_err />
                    </div>
                </div>
                <fieldset class="field fieldset" id="endpoint-events">
                    <legend>{tr.s(Key::Events)}</legend>
                    {WEBHOOK_EVENTS
                        .into_iter()
                        .map(|event| {
                            let label = coded(tr, event_key(event), event.to_owned());
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        class="endpoint-event"
                                        name="events"
                                        value=event
                                        prop:checked=move || events.with(|l| l.contains(&event))
                                        on:change=move |ev| {
                                            let checked = event_target_checked(&ev);
                                            events.update(|l| {
                                                l.retain(|e| *e != event);
                                                if checked {
                                                    l.push(event);
                                                }
                                            });
                                        }
                                    />
                                    <span>
                                        {label} " " <code class="mono small event-code" translate="no">{event}</code>
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                    <KeyError key=problem />
                    <ErrorSlot err=events_err />
                </fieldset>
                <div class="form-actions">
                    <button id="create-endpoint" type="submit" class="btn btn-primary" disabled=pending>
                        {tr.pick(move || if pending.get() { Key::Working } else { Key::CreateEndpointButton })}
                    </button>
                </div>
            </form>
            <ErrorSlot err=other_err />
            {move || {
                created
                    .get()
                    .map(|c| {
                        view! {
                            <div class="link-box secret-box" id="endpoint-created" role="status">
                                <p class="link-box-title">{tr.fs(Key::EndpointCreated, vec![c.endpoint.url])}</p>
                                <CopyField id="endpoint-secret" copy_id="copy-endpoint-secret" label=Key::SigningSecret value=c.secret />
                                <p class="secret-once" id="endpoint-secret-once">{tr.s(Key::SecretOnce)}</p>
                                <p class="hint" id="verify-hint">
                                    <Tpl
                                        key=Key::VerifyHint
                                        args=["Standard Webhooks", "webhook-signature", "v1,", "base64 HMAC-SHA256", "webhook-id.webhook-timestamp.body"]
                                            .into_iter()
                                            .map(|s| Arg::Data(s.to_owned()))
                                            .collect()
                                    />
                                </p>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// One endpoint (`.endpoint[data-endpoint-id][data-disabled]`): its URL and events;
/// `.disable-endpoint` stops sending to it; `.show-deliveries` opens its delivery log.
#[component]
fn EndpointRow(
    endpoint: EndpointView,
    path: String,
    disable: Act,
    endpoints: LocalResource<http::Body>,
) -> impl IntoView {
    let tr = use_tr();
    let e = endpoint;
    let disabled = e.disabled_at.is_some();
    let open = RwSignal::new(false);
    let pending = disable.pending();
    let status = match e.disabled_at {
        Some(at) => view! {
            <span class="badge badge-neutral endpoint-disabled" title=tr.dated(Key::DisabledOn, at, true)>
                {tr.s(Key::Disabled)}
            </span>
        }
        .into_any(),
        None => view! { <span class="badge badge-good">{tr.s(Key::Active)}</span> }.into_any(),
    };
    let log_path = format!("{path}/deliveries");
    let disable_button = (!disabled).then(|| {
        view! {
            <button
                type="button"
                class="btn btn-danger-quiet disable-endpoint"
                disabled=pending
                on:click=move |_| {
                    disable.dispatch(Call::new(path.clone(), Payload::Delete).then(move |_| endpoints.refetch()));
                }
            >
                {tr.s(Key::Disable)}
            </button>
        }
    });
    view! {
        <li class="row endpoint" data-endpoint-id=e.id.clone() data-disabled=disabled.to_string()>
            <div class="row-text">
                <p class="row-title mono endpoint-url" translate="no">{e.url}</p>
                <ul class="tags endpoint-events">
                    {e
                        .events
                        .into_iter()
                        .map(|ev| {
                            let label = coded(tr, event_key(&ev), ev.clone());
                            view! { <li class="tag" data-event=ev>{label}</li> }
                        })
                        .collect_view()}
                </ul>
                <p class="row-sub small">{tr.dated(Key::CreatedOn, e.created_at, false)}</p>
            </div>
            <div class="row-meta">{status}</div>
            <div class="row-actions">
                <button
                    type="button"
                    class="btn btn-secondary show-deliveries"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {tr.s(Key::ShowDeliveries)}
                </button>
                {disable_button}
            </div>
            {move || open.get().then(|| view! { <Deliveries path=log_path.clone() /> })}
        </li>
    }
}

fn state_badge(state: &str) -> (&'static str, Option<Key>) {
    match state {
        "delivered" => ("badge badge-good delivery-state", Some(Key::DsDelivered)),
        "failed" => ("badge badge-bad delivery-state", Some(Key::DsFailed)),
        "pending" => ("badge badge-warn delivery-state", Some(Key::DsPending)),
        _ => ("badge badge-neutral delivery-state", None),
    }
}

/// An endpoint's delivery log (`.deliveries`), fetched when opened: each delivery
/// (`.delivery[data-state]`) with its attempts (`.attempt`) and `.redeliver`.
#[component]
fn Deliveries(path: String) -> impl IntoView {
    let tr = use_tr();
    let log_path = path.clone();
    let res = http::resource(Signal::derive(move || log_path.clone()));
    let redeliver = act();
    let pending = redeliver.pending();
    let path = StoredValue::new(path);
    let row = move |d: DeliveryView| {
        let (class, key) = state_badge(&d.state);
        let state = coded(tr, key, d.state.clone());
        let again = format!("{}/{}/redeliver", path.get_value(), http::segment(&d.id));
        let when = match (d.delivered_at, d.state.as_str()) {
            (Some(at), _) => Some(tr.dated(Key::DeliveredOn, at, true)),
            (None, "pending") => Some(tr.dated(Key::NextAttempt, d.next_attempt_at, true)),
            _ => None,
        };
        let attempts = if d.attempt_log.is_empty() {
            view! { <p class="row-sub small">{tr.s(Key::NoAttempts)}</p> }.into_any()
        } else {
            view! {
                <ol class="attempts">
                    {d
                        .attempt_log
                        .into_iter()
                        .map(|a| {
                            let outcome = match a.status {
                                Some(code) => tr.fs(Key::HttpStatus, vec![code.to_string()]),
                                None => Signal::stored(a.error.unwrap_or_default()),
                            };
                            let ok = a.status.is_some_and(|c| (200..300).contains(&c));
                            // Without a status, what failed is the network's own words.
                            let a_is_error = a.status.is_none();
                            view! {
                                <li class="attempt small" data-ok=ok.to_string()>
                                    <time>{tr.dated(Key::Plain, a.at, true)}</time>
                                    " · "
                                    <span class="attempt-outcome" translate=a_is_error.then_some("no")>{outcome}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            }
            .into_any()
        };
        view! {
            <li class="row delivery" data-delivery-id=d.id.clone() data-state=d.state.clone()>
                <div class="row-text">
                    <p class="row-title">
                        <span class="delivery-event-label">{coded(tr, event_key(&d.event_type), d.event_type.clone())}</span>
                        " "
                        <code class="mono small delivery-event" translate="no">{d.event_type}</code>
                        <span class=class>{state}</span>
                    </p>
                    <p class="row-sub small">
                        {tr.dated(Key::CreatedOn, d.created_at, true)} " · "
                        {tr.fs(Key::Attempts, vec![d.attempts.to_string()])}
                        {when.map(|w| view! { " · " {w} })}
                    </p>
                    {attempts}
                </div>
                <div class="row-actions">
                    <button
                        type="button"
                        class="btn btn-secondary redeliver"
                        disabled=pending
                        on:click=move |_| {
                            redeliver.dispatch(Call::new(again.clone(), Payload::Empty).then(move |_| res.refetch()));
                        }
                    >
                        {tr.s(Key::Redeliver)}
                    </button>
                </div>
            </li>
        }
    };
    view! {
        <div class="deliveries">
            <div class="deliveries-head">
                <h3>{tr.s(Key::ShowDeliveries)}</h3>
                <button type="button" class="btn btn-ghost btn-small refresh-deliveries" on:click=move |_| res.refetch()>
                    {tr.s(Key::Refresh)}
                </button>
            </div>
            <ErrorSlot err=act_error(redeliver) />
            <Load res=res show=Callback::new(move |result| match http::decode::<DeliveryLog>(result) {
                            Ok(log) if log.deliveries.is_empty() => {
                                view! { <p class="muted no-deliveries">{tr.s(Key::NoDeliveries)}</p> }.into_any()
                            }
                            Ok(log) => view! {
                                <ul class="rows delivery-list">
                                    {log.deliveries.into_iter().map(row).collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Err(err) => view! { <ErrorText err=err /> }.into_any(),
                        }) />
        </div>
    }
}
