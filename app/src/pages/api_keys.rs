//! `/brands/:brand_id/api-keys`: a brand's API keys, for its admins: list, create, revoke.

use crate::components::{
    error_of, part, tpl_into, AdminNav, AdminOnly, Arg, CopyField, ErrorSlot, PageHeader, Submit,
};
use crate::http::{self, api, ApiError, Ignored};
use crate::i18n::{dated, tr, Key};
use jf_core::api::{
    ApiKeyList, ApiKeyView, BrandView, CreateApiKeyRequest, CreatedApiKey, KeyMaker, ViewerCapacity,
};
use jf_core::routes::RouteId;
use jf_core::types::BrandRole;
use leptos::prelude::*;

/// An answer from the API, as a resource.
pub type Answer<T> = LocalResource<Result<T, ApiError>>;

/// A brand admin's settings page (`tail`: its path under the brand): the header, then for the
/// brand's admins the settings links and `children`, for others `#admin-only`.
#[component]
pub fn AdminPage(title: Key, lead: Key, tail: &'static str, children: Children) -> impl IntoView {
    let brand = expect_context::<BrandView>();
    let id = brand.id.to_string();
    // For the interface only (the server decides); a brand switch builds the page again.
    let admin = brand.viewer == ViewerCapacity::Member(BrandRole::BrandAdmin);
    let body = if admin {
        view! { <AdminNav brand=id current=tail/> {children()} }.into_any()
    } else {
        view! { <AdminOnly brand=id/> }.into_any()
    };
    view! {
        <div>
            <PageHeader title=move || tr(title) eyebrow=brand.name lead=move || tr(lead)/>
            {body}
        </div>
    }
}

fn scope_key(scope: &str) -> Key {
    if scope == "read_write" {
        Key::ScopeReadWrite
    } else {
        Key::ScopeRead
    }
}

/// The page (`#create-key-card`, then `#api-keys` with `#key-list` or `#no-keys`).
#[component]
pub fn ApiKeys() -> impl IntoView {
    view! {
        <AdminPage title=Key::NavApiKeys lead=Key::ApiKeysLead tail="api-keys">
            <KeysBody/>
        </AdminPage>
    }
    .into_any()
}

/// What only the brand's admins see (so nobody else asks for a list they would be refused).
#[component]
fn KeysBody() -> impl IntoView {
    let brand = expect_context::<BrandView>().id.to_string();
    let path = api(RouteId::ListApiKeys, &[&brand]);
    let keys: Answer<ApiKeyList> = LocalResource::new(move || {
        let path = path.clone();
        async move { http::get::<ApiKeyList>(&path).await }
    });
    let confirming = RwSignal::new(None::<String>);
    let revoke = Action::new_local(move |key: &String| {
        let path = api(RouteId::RevokeApiKey, &[&brand, key]);
        async move {
            let done = http::delete::<Ignored>(&path).await.map(|_| ());
            if done.is_ok() {
                confirming.set(None);
                keys.refetch();
            }
            done
        }
    });
    let revoke_error = error_of(revoke);
    let list = part(keys, move |v: ApiKeyList| {
        if v.keys.is_empty() {
            return view! { <p class="muted" id="no-keys">{move || tr(Key::NoKeys)}</p> }
                .into_any();
        }
        view! {
            <ul class="rows" id="key-list">
                {v
                    .keys
                    .into_iter()
                    .map(|k| view! { <KeyRow k revoke confirming/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    });
    view! {
        <div class="stack">
            <CreateKey keys/>
            <section class="card" aria-labelledby="keys-heading" id="api-keys">
                <h2 id="keys-heading">{move || tr(Key::NavApiKeys)}</h2>
                <ErrorSlot err=revoke_error/>
                {list}
            </section>
        </div>
    }
}

/// The form (`#key-name`, `#key-scope`, `#create-key`); the new key's secret is shown once
/// (`#key-secret`).
#[component]
fn CreateKey(keys: Answer<ApiKeyList>) -> impl IntoView {
    let brand = expect_context::<BrandView>().id.to_string();
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new("read".to_owned());
    let create = Action::new_local(move |body: &CreateApiKeyRequest| {
        let (path, body) = (api(RouteId::CreateApiKey, &[&brand]), body.clone());
        async move {
            let made = http::post::<_, CreatedApiKey>(&path, &body).await;
            if made.is_ok() {
                name.set(String::new());
                keys.refetch();
            }
            made
        }
    });
    let pending = create.pending();
    let error = error_of(create);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        // The last secret and error go as soon as another key is asked for.
        create.value().set(None);
        create.dispatch_local(CreateApiKeyRequest {
            name: name.get_untracked().trim().to_owned(),
            scope: scope.get_untracked(),
        });
    };
    let created = move || {
        create.value().get().and_then(Result::ok).map(|c| {
            view! {
                <SecretBox what="key" label=Key::ApiKeySecret secret=c.secret>
                    <p class="link-box-title">
                        {tpl_into(Key::ApiKeyCreated, vec![Arg::Data(c.key.name)], "")}
                    </p>
                </SecretBox>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="create-key-heading" id="create-key-card">
            <h2 id="create-key-heading">{move || tr(Key::CreateApiKeyTitle)}</h2>
            <form class="form form-inline" on:submit=submit>
                <div class="field field-grow">
                    <label for="key-name">{move || tr(Key::ApiKeyName)}</label>
                    <input
                        class="input"
                        id="key-name"
                        name="name"
                        autocomplete="off"
                        required
                        maxlength="100"
                        aria-describedby="key-name-hint"
                        bind:value=name
                    />
                </div>
                <div class="field">
                    <label for="key-scope">{move || tr(Key::ApiKeyAccess)}</label>
                    <select
                        class="select"
                        id="key-scope"
                        name="scope"
                        on:change=move |ev| scope.set(event_target_value(&ev))
                    >
                        {["read", "read_write"]
                            .map(|s| view! { <option value=s>{move || tr(scope_key(s))}</option> })}
                    </select>
                </div>
                <div class="field field-action">
                    <Submit
                        id="create-key"
                        class="btn btn-primary"
                        idle=Key::CreateKeyButton
                        busy=Key::Working
                        pending
                    />
                </div>
            </form>
            <p class="hint" id="key-name-hint">{move || tr(Key::ApiKeyNameHint)}</p>
            <ErrorSlot err=error/>
            <div>{created}</div>
        </section>
    }
}

/// A secret shown once (`#{what}-created`, `#{what}-secret`, `#copy-{what}-secret`,
/// `#{what}-secret-once`) under its title (`children`); `after` follows it.
#[component]
pub fn SecretBox(
    what: &'static str,
    label: Key,
    secret: String,
    children: Children,
    #[prop(optional)] after: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="link-box secret-box" id=format!("{what}-created") role="status">
            {children()}
            <CopyField
                id=format!("{what}-secret")
                copy_id=format!("copy-{what}-secret")
                label
                value=secret
            />
            <p class="secret-once" id=format!("{what}-secret-once")>
                {move || tr(Key::SecretOnce)}
            </p>
            {after.map(|a| a())}
        </div>
    }
}

/// Who made a key (`.key-maker`), and whether their account is disabled: the key stays the
/// brand's, but an admin should know whose it was.
#[component]
fn Maker(maker: KeyMaker) -> impl IntoView {
    let disabled = maker.disabled.then(|| {
        view! {
            " "
            <span class="badge badge-bad maker-disabled">{move || tr(Key::MakerDisabled)}</span>
        }
    });
    view! {
        <p class="row-sub small key-maker">
            {tpl_into(Key::MadeBy, vec![Arg::Data(maker.display_name)], "")}
            {disabled}
        </p>
    }
}

/// One key (`.api-key[data-key-id][data-revoked]`): name, access, prefix, dates; `.revoke-key`
/// asks first (`.confirm-revoke`).
#[component]
fn KeyRow(
    k: ApiKeyView,
    revoke: Action<String, Result<(), ApiError>>,
    confirming: RwSignal<Option<String>>,
) -> impl IntoView {
    let ApiKeyView {
        id,
        name,
        scope,
        prefix,
        created_at,
        last_used_at,
        revoked_at,
        created_by,
    } = k;
    let status = match revoked_at {
        Some(at) => view! {
            <span class="badge badge-bad key-revoked" title=move || dated(Key::RevokedOn, at, true)>
                {move || tr(Key::Revoked)}
            </span>
        }
        .into_any(),
        None => {
            view! { <span class="badge badge-good">{move || tr(Key::Active)}</span> }.into_any()
        }
    };
    let used = move || match last_used_at {
        Some(at) => dated(Key::LastUsed, at, true),
        None => tr(Key::NeverUsed).to_owned(),
    };
    let actions = revoked_at
        .is_none()
        .then(|| view! { <RevokeActions id=id.clone() name=name.clone() revoke confirming/> });
    let scope_label = scope_key(&scope);
    view! {
        <li class="row api-key" data-key-id=id data-revoked=revoked_at.is_some().to_string()>
            <div class="row-text">
                <p class="row-title">
                    <span class="key-name" translate="no">{name}</span>
                    <span class="badge badge-role key-scope" data-scope=scope>
                        {move || tr(scope_label)}
                    </span>
                </p>
                <p class="row-sub mono key-prefix" translate="no">{prefix}"…"</p>
                <p class="row-sub small">
                    {move || dated(Key::CreatedOn, created_at, false)}" · "
                    <span class="key-used">{used}</span>
                </p>
                <Maker maker=created_by/>
            </div>
            <div class="row-meta">{status}</div>
            {actions}
        </li>
    }
}

/// `.revoke-key`, or while this key is the one being confirmed, the confirm step.
#[component]
fn RevokeActions(
    id: String,
    name: String,
    revoke: Action<String, Result<(), ApiError>>,
    confirming: RwSignal<Option<String>>,
) -> impl IntoView {
    let pending = revoke.pending();
    let id = StoredValue::new(id);
    let name = StoredValue::new(name);
    // A memo, so that confirming another key leaves this row's buttons as they are.
    let asking =
        Memo::new(move |_| confirming.with(|c| c.as_deref() == Some(id.read_value().as_str())));
    view! {
        <div class="row-actions">
            {move || {
                if asking.get() {
                    let question = vec![Arg::Data(name.get_value())];
                    view! {
                        <div class="confirm" role="group">
                            <p>{tpl_into(Key::RevokeConfirm, question, "")}</p>
                            <div class="confirm-actions">
                                <button
                                    class="btn btn-danger confirm-revoke"
                                    type="button"
                                    disabled=move || pending.get()
                                    on:click=move |_| {
                                        if !pending.get_untracked() {
                                            // The last attempt's error goes with a new one.
                                            revoke.value().set(None);
                                            revoke.dispatch_local(id.get_value());
                                        }
                                    }
                                >
                                    {move || tr(Key::ConfirmRevoke)}
                                </button>
                                <button
                                    class="btn btn-ghost cancel-revoke"
                                    type="button"
                                    on:click=move |_| confirming.set(None)
                                >
                                    {move || tr(Key::Cancel)}
                                </button>
                            </div>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <button
                            class="btn btn-danger-quiet revoke-key"
                            type="button"
                            disabled=move || pending.get()
                            on:click=move |_| confirming.set(Some(id.get_value()))
                        >
                            {move || tr(Key::Revoke)}
                        </button>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
