//! `/brands/:brand_id/api-keys`: the brand's API keys, for its admins — the list (never the
//! secrets), a form to create one (its secret shown once, to copy), and revoking with a confirm
//! step.

use crate::components::{
    act, act_error, admin_path, is_admin, text, Act, AdminNav, AdminOnly, Arg, Call, CopyField,
    ErrorSlot, ErrorText, Load, PageHeader, Tpl,
};
use crate::http::{self, Payload};
use crate::i18n::{use_tr, Key};
use crate::pages::brand::{use_brand_id, BrandFrame};
use jf_core::api::{ApiKeyList, ApiKeyView, BrandView, CreateApiKeyRequest, CreatedApiKey};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let brand_id = use_brand_id();
    // Asked for alongside the brand (by its admins only).
    let keys = http::resource(admin_path(brand_id, "api-keys"));
    let page = Callback::new(move |brand| view! { <ApiKeys brand=brand keys=keys /> }.into_any());
    view! { <BrandFrame page=page /> }
}

fn scope_key(scope: &str) -> Key {
    if scope == "read_write" {
        Key::ScopeReadWrite
    } else {
        Key::ScopeRead
    }
}

#[component]
fn ApiKeys(brand: BrandView, keys: LocalResource<http::Body>) -> impl IntoView {
    let tr = use_tr();
    let name = brand.name.clone();
    let header = view! {
        <PageHeader
            title=text(tr, Key::NavApiKeys)
            eyebrow=Signal::derive(move || name.clone())
            lead=text(tr, Key::ApiKeysLead)
        />
    };
    if !is_admin(brand.viewer) {
        return view! { {header} <AdminOnly brand=brand.id /> }.into_any();
    }
    let api = format!("/api/v1/brands/{}/api-keys", brand.id);
    let create_api = api.clone();
    let revoke = act();
    let confirming = RwSignal::new(None::<String>);
    view! {
        {header}
        <AdminNav brand=brand.id current="api-keys" />
        <div class="stack">
            <CreateKey api=create_api keys=keys />
            <section class="card" aria-labelledby="keys-heading" id="api-keys">
                <h2 id="keys-heading">{tr.s(Key::NavApiKeys)}</h2>
                <ErrorSlot err=act_error(revoke) />
                <Load res=keys show=Callback::new(move |result| match http::decode::<ApiKeyList>(result) {
                                Ok(list) if list.keys.is_empty() => {
                                    view! { <p class="muted" id="no-keys">{tr.s(Key::NoKeys)}</p> }.into_any()
                                }
                                Ok(list) => {
                                    let api = api.clone();
                                    view! {
                                        <ul class="rows" id="key-list">
                                            {list
                                                .keys
                                                .into_iter()
                                                .map(|k| {
                                                    let path = format!("{api}/{}", http::segment(&k.id));
                                                    view! { <KeyRow key_view=k path=path revoke=revoke confirming=confirming keys=keys /> }
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

/// The form (`#key-name`, `#key-scope`, `#create-key`); the new key's secret is shown once
/// (`#key-secret`).
#[component]
fn CreateKey(api: String, keys: LocalResource<http::Body>) -> impl IntoView {
    let tr = use_tr();
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new("read".to_owned());
    let created = RwSignal::new(None::<CreatedApiKey>);
    let create = act();
    let pending = create.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let req = CreateApiKeyRequest {
            name: name.get_untracked().trim().to_owned(),
            scope: scope.get_untracked(),
        };
        let Ok(payload) = Payload::json(&req) else {
            return;
        };
        created.set(None);
        create.dispatch(Call::new(api.clone(), payload).then(move |body| {
            created.set(http::decode::<CreatedApiKey>(Ok(body)).ok());
            name.set(String::new());
            keys.refetch();
        }));
    };
    view! {
        <section class="card" aria-labelledby="create-key-heading" id="create-key-card">
            <h2 id="create-key-heading">{tr.s(Key::CreateApiKeyTitle)}</h2>
            <form class="form form-inline" on:submit=on_submit>
                <div class="field field-grow">
                    <label for="key-name">{tr.s(Key::ApiKeyName)}</label>
                    <input
                        id="key-name"
                        name="name"
                        class="input"
                        autocomplete="off"
                        required
                        maxlength="100"
                        aria-describedby="key-name-hint"
                        bind:value=name
                    />
                </div>
                <div class="field">
                    <label for="key-scope">{tr.s(Key::ApiKeyAccess)}</label>
                    <select id="key-scope" name="scope" class="select" on:change=move |ev| scope.set(event_target_value(&ev))>
                        {["read", "read_write"]
                            .into_iter()
                            .map(|s| view! { <option value=s selected=move || scope.get() == s>{tr.s(scope_key(s))}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field field-action">
                    <button id="create-key" type="submit" class="btn btn-primary" disabled=pending>
                        {tr.pick(move || if pending.get() { Key::Working } else { Key::CreateKeyButton })}
                    </button>
                </div>
            </form>
            <p class="hint" id="key-name-hint">{tr.s(Key::ApiKeyNameHint)}</p>
            <ErrorSlot err=act_error(create) />
            {move || {
                created
                    .get()
                    .map(|c| {
                        view! {
                            <div class="link-box secret-box" id="key-created" role="status">
                                <p class="link-box-title"><Tpl key=Key::ApiKeyCreated args=vec![Arg::Data(c.key.name)] /></p>
                                <CopyField id="key-secret" copy_id="copy-key-secret" label=Key::ApiKeySecret value=c.secret />
                                <p class="secret-once" id="key-secret-once">{tr.s(Key::SecretOnce)}</p>
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// One key (`.api-key[data-key-id][data-revoked]`): name, access, prefix, dates; `.revoke-key`
/// asks first (`.confirm-revoke`).
#[component]
fn KeyRow(
    key_view: ApiKeyView,
    path: String,
    revoke: Act,
    confirming: RwSignal<Option<String>>,
    keys: LocalResource<http::Body>,
) -> impl IntoView {
    let tr = use_tr();
    let k = key_view;
    let id = k.id.clone();
    let revoked = k.revoked_at.is_some();
    let status = match k.revoked_at {
        Some(at) => view! {
            <span class="badge badge-bad key-revoked" title=tr.dated(Key::RevokedOn, at, true)>{tr.s(Key::Revoked)}</span>
        }
        .into_any(),
        None => view! { <span class="badge badge-good">{tr.s(Key::Active)}</span> }.into_any(),
    };
    let used = match k.last_used_at {
        Some(at) => tr.dated(Key::LastUsed, at, true),
        None => text(tr, Key::NeverUsed),
    };
    let pending = revoke.pending();
    let actions = (!revoked).then(|| {
        let name = k.name.clone();
        let id = id.clone();
        move || {
            if confirming.get().as_deref() == Some(id.as_str()) {
                let path = path.clone();
                view! {
                    <div class="confirm" role="group">
                        <p><Tpl key=Key::RevokeConfirm args=vec![Arg::Data(name.clone())] /></p>
                        <div class="confirm-actions">
                            <button
                                type="button"
                                class="btn btn-danger confirm-revoke"
                                disabled=pending
                                on:click=move |_| {
                                    revoke.dispatch(Call::new(path.clone(), Payload::Delete).then(move |_| {
                                        confirming.set(None);
                                        keys.refetch();
                                    }));
                                }
                            >
                                {tr.s(Key::ConfirmRevoke)}
                            </button>
                            <button type="button" class="btn btn-ghost cancel-revoke" on:click=move |_| confirming.set(None)>
                                {tr.s(Key::Cancel)}
                            </button>
                        </div>
                    </div>
                }
                .into_any()
            } else {
                let id = id.clone();
                view! {
                    <button
                        type="button"
                        class="btn btn-danger-quiet revoke-key"
                        disabled=pending
                        on:click=move |_| confirming.set(Some(id.clone()))
                    >
                        {tr.s(Key::Revoke)}
                    </button>
                }
                .into_any()
            }
        }
    });
    view! {
        <li class="row api-key" data-key-id=id data-revoked=revoked.to_string()>
            <div class="row-text">
                <p class="row-title">
                    <span class="key-name" translate="no">{k.name}</span>
                    <span class="badge badge-role key-scope" data-scope=k.scope.clone()>{tr.s(scope_key(&k.scope))}</span>
                </p>
                <p class="row-sub mono key-prefix" translate="no">{format!("{}…", k.prefix)}</p>
                <p class="row-sub small">
                    {tr.dated(Key::CreatedOn, k.created_at, false)} " · " <span class="key-used">{used}</span>
                </p>
            </div>
            <div class="row-meta">{status}</div>
            {actions.map(|a| view! { <div class="row-actions">{a}</div> })}
        </li>
    }
}
