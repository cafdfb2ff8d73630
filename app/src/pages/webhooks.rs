//! `/brands/:brand_id/webhooks`: a brand's webhook endpoints and their delivery logs, for admins.

use crate::components::{
    coded, error_of, part, tpl_into, Arg, ErrorSlot, ErrorText, KeyError, Submit,
};
use crate::http::{self, api, ApiError, Ignored};
use crate::i18n::{dated, tr, trf, Key};
use crate::pages::api_keys::{AdminPage, Answer, SecretBox};
use jf_core::api::{
    AttemptView, BrandView, CreateEndpointRequest, CreatedEndpoint, DeliveryLog, DeliveryView,
    EndpointList, EndpointView, WEBHOOK_EVENTS,
};
use jf_core::routes::RouteId;
use leptos::prelude::*;

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

/// The page (`#create-endpoint-card`, then `#webhook-endpoints` with `#endpoint-list` or
/// `#no-endpoints`).
#[component]
pub fn Webhooks() -> impl IntoView {
    view! {
        <AdminPage title=Key::NavWebhooks lead=Key::WebhooksLead tail="webhooks">
            <EndpointsBody/>
        </AdminPage>
    }
    .into_any()
}

/// What can be done to an endpoint, each by its own route.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Disable,
    Enable,
    Delete,
}

/// One change asked for: the endpoint (id and URL) and what to do to it.
#[derive(Clone)]
struct EndpointChange {
    id: String,
    url: String,
    change: Change,
}

/// What only the brand's admins see (so nobody else asks for a list they would be refused).
#[component]
fn EndpointsBody() -> impl IntoView {
    let brand = expect_context::<BrandView>().id.to_string();
    let path = api(RouteId::ListEndpoints, &[&brand]);
    let endpoints: Answer<EndpointList> = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<EndpointList>(&path).await }
    });
    // The endpoint whose deletion awaits confirmation.
    let confirming = RwSignal::new(None::<String>);
    // The URL of the endpoint just deleted: its row is gone, so the card says so.
    let deleted = RwSignal::new(None::<String>);
    let change = Action::new_local(move |c: &EndpointChange| {
        let c = c.clone();
        let (route, params) = match c.change {
            Change::Disable => (RouteId::DisableEndpoint, [&brand, &c.id]),
            Change::Enable => (RouteId::EnableEndpoint, [&brand, &c.id]),
            Change::Delete => (RouteId::DeleteEndpoint, [&brand, &c.id]),
        };
        let path = api(route, &params.map(String::as_str));
        async move {
            let done = match c.change {
                Change::Delete => http::delete::<Ignored>(&path).await,
                Change::Disable | Change::Enable => http::post_empty::<Ignored>(&path).await,
            }
            .map(|_| ());
            if done.is_ok() {
                confirming.set(None);
                deleted.set((c.change == Change::Delete).then_some(c.url));
                endpoints.refetch();
            }
            done
        }
    });
    let change_error = error_of(change);
    let list = part(endpoints, move |v: EndpointList| {
        if v.endpoints.is_empty() {
            return view! {
                <p class="muted" id="no-endpoints">{move || tr(Key::NoEndpoints)}</p>
            }
            .into_any();
        }
        view! {
            <ul class="rows" id="endpoint-list">
                {v
                    .endpoints
                    .into_iter()
                    .map(|e| view! { <EndpointRow e change confirming/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    });
    view! {
        <div class="stack">
            <CreateEndpoint endpoints/>
            <section class="card" aria-labelledby="endpoints-heading" id="webhook-endpoints">
                <h2 id="endpoints-heading">{move || tr(Key::NavWebhooks)}</h2>
                <div role="status" id="endpoint-status">
                    {move || {
                        deleted
                            .get()
                            .map(|url| {
                                view! {
                                    <p class="success endpoint-deleted">
                                        {tpl_into(Key::EndpointDeleted, vec![Arg::Data(url)], "mono")}
                                    </p>
                                }
                            })
                    }}
                </div>
                <ErrorSlot err=change_error/>
                {list}
            </section>
        </div>
    }
}

/// The form (`#endpoint-url`, `.endpoint-event` checkboxes, `#create-endpoint`). A refused URL
/// is explained next to its field (`#endpoint-url-error`); the signing secret is shown once
/// (`#endpoint-secret`).
#[component]
fn CreateEndpoint(endpoints: Answer<EndpointList>) -> impl IntoView {
    let brand = expect_context::<BrandView>().id.to_string();
    let url = RwSignal::new(String::new());
    let picked = WEBHOOK_EVENTS.map(|_| RwSignal::new(false));
    let problem = RwSignal::new(None::<Key>);
    let create = Action::new_local(move |body: &CreateEndpointRequest| {
        let (path, body) = (api(RouteId::CreateEndpoint, &[&brand]), body.clone());
        async move {
            let made = http::post::<_, CreatedEndpoint>(&path, &body).await;
            if made.is_ok() {
                url.set(String::new());
                for on in picked {
                    on.set(false);
                }
                endpoints.refetch();
            }
            made
        }
    });
    let pending = create.pending();
    // The server's refusal, shown next to the field it names (`None`: any other field).
    let refusal = move |field: Option<&'static str>| {
        create
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| match field {
                Some(f) => e.field.as_deref() == Some(f),
                None => !matches!(e.field.as_deref(), Some("url" | "events")),
            })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let events: Vec<String> = WEBHOOK_EVENTS
            .iter()
            .zip(picked)
            .filter(|(_, on)| on.get_untracked())
            .map(|(e, _)| (*e).to_owned())
            .collect();
        if events.is_empty() {
            problem.set(Some(Key::ChooseEvent));
            return;
        }
        problem.set(None);
        // The last secret and refusal go as soon as another endpoint is asked for.
        create.value().set(None);
        create.dispatch_local(CreateEndpointRequest {
            url: url.get_untracked().trim().to_owned(),
            events,
        });
    };
    let checks = WEBHOOK_EVENTS
        .iter()
        .zip(picked)
        .map(|(event, on)| {
            view! {
                <label class="check">
                    <input
                        class="endpoint-event"
                        type="checkbox"
                        name="events"
                        value=*event
                        bind:checked=on
                    />
                    <span>
                        {move || event_label(event)}" "
                        <code class="mono small event-code" translate="no">{*event}</code>
                    </span>
                </label>
            }
        })
        .collect_view();
    let created = move || {
        create.value().get().and_then(Result::ok).map(|c| {
            let endpoint_url = c.endpoint.url;
            view! {
                <SecretBox
                    what="endpoint"
                    label=Key::SigningSecret
                    secret=c.secret
                    after=Box::new(|| view! { <VerifyHint/> }.into_any())
                >
                    <p class="link-box-title">
                        {move || trf(Key::EndpointCreated, &[&endpoint_url])}
                    </p>
                </SecretBox>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="create-endpoint-heading" id="create-endpoint-card">
            <h2 id="create-endpoint-heading">{move || tr(Key::AddEndpoint)}</h2>
            <form class="form" on:submit=submit>
                <div class="field">
                    <label for="endpoint-url">{move || tr(Key::EndpointUrl)}</label>
                    <input
                        class="input input-mono"
                        id="endpoint-url"
                        name="url"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        spellcheck="false"
                        required
                        maxlength="2000"
                        placeholder="https://"
                        aria-describedby="endpoint-url-hint endpoint-url-error"
                        aria-invalid=move || refusal(Some("url")).map(|_| "true")
                        bind:value=url
                    />
                    <p class="hint" id="endpoint-url-hint">
                        {tpl_into(Key::EndpointUrlHint, vec![Arg::Data("https".into())], "mono")}
                    </p>
                    <div class="field-error" id="endpoint-url-error">
                        {move || refusal(Some("url")).map(|e| view! { <ErrorText err=e/> })}
                    </div>
                </div>
                <fieldset class="field fieldset" id="endpoint-events">
                    <legend>{move || tr(Key::Events)}</legend>
                    {checks}
                    <div>
                        {move || problem.get().map(|k| view! { <KeyError key=k/> })}
                        {move || refusal(Some("events")).map(|e| view! { <ErrorText err=e/> })}
                    </div>
                </fieldset>
                <div class="form-actions">
                    <Submit
                        id="create-endpoint"
                        class="btn btn-primary"
                        idle=Key::CreateEndpointButton
                        busy=Key::Working
                        pending
                    />
                </div>
            </form>
            <div>{move || refusal(None).map(|e| view! { <ErrorText err=e/> })}</div>
            <div>{created}</div>
        </section>
    }
}

/// How to check a delivery's signature (`#verify-hint`), under a new endpoint's secret.
#[component]
fn VerifyHint() -> impl IntoView {
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
    view! {
        <p class="hint" id="verify-hint">{tpl_into(Key::VerifyHint, args, "")}</p>
    }
}

/// One endpoint (`.endpoint[data-endpoint-id][data-disabled]`): its URL and events;
/// `.show-deliveries` opens its delivery log, `.disable-endpoint` / `.enable-endpoint` stop or
/// resume sending, `.delete-endpoint` asks first (`.confirm-delete`, `.cancel-delete`).
#[component]
fn EndpointRow(
    e: EndpointView,
    change: Action<EndpointChange, Result<(), ApiError>>,
    confirming: RwSignal<Option<String>>,
) -> impl IntoView {
    let EndpointView {
        id,
        url,
        events,
        created_at,
        disabled_at,
    } = e;
    let open = RwSignal::new(false);
    let status = match disabled_at {
        Some(at) => view! {
            <span
                class="badge badge-neutral endpoint-disabled"
                title=move || dated(Key::DisabledOn, at, true)
            >
                {move || tr(Key::Disabled)}
            </span>
        }
        .into_any(),
        None => {
            view! { <span class="badge badge-good">{move || tr(Key::Active)}</span> }.into_any()
        }
    };
    let tags = events
        .into_iter()
        .map(|ev| {
            let label = ev.clone();
            view! { <li class="tag" data-event=ev>{move || event_label(&label)}</li> }
        })
        .collect_view();
    let endpoint = id.clone();
    let panel_endpoint = id.clone();
    let disabled = disabled_at.is_some().to_string();
    // The buttons of every row say which endpoint they act on (`aria-describedby`).
    let url_id = format!("endpoint-url-{id}");
    view! {
        <li class="row endpoint" data-endpoint-id=endpoint.clone() data-disabled=disabled>
            <div class="row-text">
                <p class="row-title mono endpoint-url" id=url_id.clone() translate="no">
                    {url.clone()}
                </p>
                <ul class="tags endpoint-events">{tags}</ul>
                <p class="row-sub small">{move || dated(Key::CreatedOn, created_at, false)}</p>
            </div>
            <div class="row-meta">{status}</div>
            <EndpointActions
                id
                url
                url_id
                enabled=disabled_at.is_none()
                open
                change
                confirming
            />
            // The log is fetched each time it is opened; closed, the panel is empty and hidden.
            <div class="deliveries" hidden=move || !open.get()>
                {move || {
                    let endpoint = panel_endpoint.clone();
                    open.get().then(|| view! { <Deliveries endpoint/> })
                }}
            </div>
        </li>
    }
}

/// An endpoint's buttons, or while its deletion is being confirmed, the question.
#[component]
fn EndpointActions(
    id: String,
    url: String,
    url_id: String,
    enabled: bool,
    open: RwSignal<bool>,
    change: Action<EndpointChange, Result<(), ApiError>>,
    confirming: RwSignal<Option<String>>,
) -> impl IntoView {
    let pending = change.pending();
    let (id, url, url_id) = (
        StoredValue::new(id),
        StoredValue::new(url),
        StoredValue::new(url_id),
    );
    // A memo, so that confirming another endpoint leaves this row's buttons as they are.
    let asking =
        Memo::new(move |_| confirming.with(|c| c.as_deref() == Some(id.read_value().as_str())));
    let send = move |what: Change| {
        if !pending.get_untracked() {
            // The last attempt's error goes with a new one.
            change.value().set(None);
            change.dispatch_local(EndpointChange {
                id: id.get_value(),
                url: url.get_value(),
                change: what,
            });
        }
    };
    move || {
        if asking.get() {
            let question = vec![Arg::Data(url.get_value())];
            view! {
                <div class="row-actions">
                    <div class="confirm" role="group" aria-labelledby=format!("confirm-{}", url_id.get_value())>
                        <p id=format!("confirm-{}", url_id.get_value())>
                            {tpl_into(Key::DeleteEndpointConfirm, question, "mono")}
                        </p>
                        <div class="confirm-actions">
                            <button
                                class="btn btn-danger confirm-delete"
                                type="button"
                                disabled=move || pending.get()
                                on:click=move |_| send(Change::Delete)
                            >
                                {move || tr(if pending.get() { Key::Working } else { Key::ConfirmDelete })}
                            </button>
                            <button
                                class="btn btn-ghost cancel-delete"
                                type="button"
                                on:click=move |_| confirming.set(None)
                            >
                                {move || tr(Key::Cancel)}
                            </button>
                        </div>
                    </div>
                </div>
            }
            .into_any()
        } else {
            let (toggle_class, toggle_key, toggle) = if enabled {
                (
                    "btn btn-secondary disable-endpoint",
                    Key::Disable,
                    Change::Disable,
                )
            } else {
                (
                    "btn btn-secondary enable-endpoint",
                    Key::Enable,
                    Change::Enable,
                )
            };
            view! {
                <div class="row-actions">
                    <button
                        class="btn btn-secondary show-deliveries"
                        type="button"
                        aria-expanded=move || open.get().to_string()
                        aria-describedby=url_id.get_value()
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        {move || tr(Key::ShowDeliveries)}
                    </button>
                    <button
                        class=toggle_class
                        type="button"
                        aria-describedby=url_id.get_value()
                        disabled=move || pending.get()
                        on:click=move |_| send(toggle)
                    >
                        {move || tr(toggle_key)}
                    </button>
                    <button
                        class="btn btn-danger-quiet delete-endpoint"
                        type="button"
                        aria-describedby=url_id.get_value()
                        disabled=move || pending.get()
                        on:click=move |_| confirming.set(Some(id.get_value()))
                    >
                        {move || tr(Key::DeleteEndpoint)}
                    </button>
                </div>
            }
            .into_any()
        }
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

/// An endpoint's delivery log (inside `.deliveries`): each delivery (`.delivery[data-state]`)
/// with its attempts (`.attempt`) and `.redeliver`.
#[component]
fn Deliveries(endpoint: String) -> impl IntoView {
    let brand = expect_context::<BrandView>().id.to_string();
    let path = api(RouteId::EndpointDeliveries, &[&brand, &endpoint]);
    let log: Answer<DeliveryLog> = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<DeliveryLog>(&path).await }
    });
    let redeliver = Action::new_local(move |delivery: &String| {
        let path = api(RouteId::Redeliver, &[&brand, &endpoint, delivery]);
        async move {
            let done = http::post_empty::<Ignored>(&path).await.map(|_| ());
            if done.is_ok() {
                log.refetch();
            }
            done
        }
    });
    let redeliver_error = error_of(redeliver);
    let list = part(log, move |v: DeliveryLog| {
        if v.deliveries.is_empty() {
            return view! { <p class="muted no-deliveries">{move || tr(Key::NoDeliveries)}</p> }
                .into_any();
        }
        view! {
            <ul class="rows delivery-list">
                {v
                    .deliveries
                    .into_iter()
                    .map(|d| view! { <DeliveryRow d redeliver/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    });
    view! {
        <div class="deliveries-head">
            <h3>{move || tr(Key::ShowDeliveries)}</h3>
            <button
                class="btn btn-ghost btn-small refresh-deliveries"
                type="button"
                on:click=move |_| log.refetch()
            >
                {move || tr(Key::Refresh)}
            </button>
        </div>
        <ErrorSlot err=redeliver_error/>
        {list}
    }
}

/// One attempt (`.attempt[data-ok]`): when, and the status code or what failed.
#[component]
fn Attempt(a: AttemptView) -> impl IntoView {
    let AttemptView { at, status, error } = a;
    let ok = status.is_some_and(|c| (200..300).contains(&c));
    let outcome = match status {
        Some(code) => view! {
            <span class="attempt-outcome">
                {move || trf(Key::HttpStatus, &[&code.to_string()])}
            </span>
        }
        .into_any(),
        // Without a status, what failed is the network's own words.
        None => view! {
            <span class="attempt-outcome" translate="no">{error.unwrap_or_default()}</span>
        }
        .into_any(),
    };
    view! {
        <li class="attempt small" data-ok=ok.to_string()>
            <time>{move || dated(Key::Plain, at, true)}</time>
            " · "
            {outcome}
        </li>
    }
}

/// One delivery (`.delivery[data-delivery-id][data-state]`): its event, state, attempts, its
/// payload (`.delivery-payload`, pretty-printed) and, once tried and not delivered, `.redeliver`.
#[component]
fn DeliveryRow(d: DeliveryView, redeliver: Action<String, Result<(), ApiError>>) -> impl IntoView {
    let DeliveryView {
        id,
        event_type,
        state,
        attempts,
        next_attempt_at,
        created_at,
        delivered_at,
        attempt_log,
        payload,
        ..
    } = d;
    // Only a delivery tried and not delivered (failing, or failed for good) is sent again: one
    // never tried is due on its own.
    let may_send_again = attempts > 0 && state != "delivered";
    let pretty = serde_json::to_string_pretty(&payload).unwrap_or_default();
    let (class, key) = state_badge(&state);
    let pending_state = state == "pending";
    let when = move || match delivered_at {
        Some(at) => Some(dated(Key::DeliveredOn, at, true)),
        None if pending_state => Some(dated(Key::NextAttempt, next_attempt_at, true)),
        None => None,
    };
    let attempt_log = if attempt_log.is_empty() {
        view! { <p class="row-sub small">{move || tr(Key::NoAttempts)}</p> }.into_any()
    } else {
        view! {
            <ol class="attempts">
                {attempt_log.into_iter().map(|a| view! { <Attempt a/> }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let pending = redeliver.pending();
    let (label_event, label_state) = (event_type.clone(), state.clone());
    let delivery = id.clone();
    view! {
        <li class="row delivery" data-delivery-id=id data-state=state>
            <div class="row-text">
                <p class="row-title">
                    <span class="delivery-event-label">{move || event_label(&label_event)}</span>
                    " "
                    <code class="mono small delivery-event" translate="no">{event_type}</code>
                    <span class=class>{move || coded(key, &label_state)}</span>
                </p>
                <p class="row-sub small">
                    {move || dated(Key::CreatedOn, created_at, true)}
                    " · "
                    {move || trf(Key::Attempts, &[&attempts.to_string()])}
                    {move || when().map(|w| format!(" · {w}"))}
                </p>
                {attempt_log}
                <details class="raw delivery-payload">
                    <summary>{move || tr(Key::Payload)}</summary>
                    // Focusable: a long payload scrolls, and a keyboard must reach it too.
                    <pre class="code" tabindex="0" translate="no">{pretty}</pre>
                </details>
            </div>
            {may_send_again
                .then(|| {
                    view! {
                        <div class="row-actions">
                            <button
                                class="btn btn-secondary redeliver"
                                type="button"
                                disabled=move || pending.get()
                                on:click=move |_| {
                                    if !pending.get_untracked() {
                                        // The last attempt's error goes with a new one.
                                        redeliver.value().set(None);
                                        redeliver.dispatch_local(delivery.clone());
                                    }
                                }
                            >
                                {move || tr(Key::Redeliver)}
                            </button>
                        </div>
                    }
                })}
        </li>
    }
}
