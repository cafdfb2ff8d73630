//! `/brands/:brand_id/api-keys`: the brand's API keys, for its admins — the list (never the
//! secrets), a form to create one (its secret shown once, to copy), and revoking with a confirm
//! step.

use crate::components::{
    admin_nav, admin_of, admin_only, copy_field, is_admin, tpl_into, viewer_capacity, Act, Arg,
    PageHeader, Request,
};
use crate::dom::reactive::*;
use crate::dom::{h, hc, ht, H};
use crate::http;
use crate::i18n::{dated, tr, Key};
use crate::json::{self, Json};
use crate::pages::brand::{frame, part, Show};

/// A brand admin's settings page (`tail`: its path under the brand): the brand fetched, the
/// header, then for the brand's admins the settings links and `body()`, for others `#admin-only`.
pub fn admin_page(
    brand: &str,
    title: Key,
    lead: Key,
    tail: &'static str,
    body: Box<dyn Fn() -> H>,
) -> H {
    let id = brand.to_owned();
    frame(
        brand,
        Box::new(move |p, b| {
            p.add(
                &PageHeader::new(tr(title))
                    .eyebrow(&json::s(b, "name"))
                    .lead(tr(lead))
                    .build(),
            );
            if !is_admin(viewer_capacity(&json::get(b, "viewer"))) {
                p.add(&admin_only(&id));
                return;
            }
            p.add(&admin_nav(&id, tail));
            p.add(&body());
        }),
    )
}

/// A list of the brand's admin page, asked for alongside the brand (by its admins only, so
/// others ask for nothing they would be refused); `again` asks for it again.
pub fn admin_list(brand: &str, tail: &str, again: RwSignal<u32>, show: Show) -> H {
    if !admin_of(brand) {
        return h("div");
    }
    let path = format!("/api/v1/brands/{}/{tail}", http::segment(brand));
    part(h("div"), path, again, show)
}

fn scope_key(scope: &str) -> Key {
    if scope == "read_write" {
        Key::ScopeReadWrite
    } else {
        Key::ScopeRead
    }
}

pub fn page(brand: &str) -> H {
    let api = format!("/api/v1/brands/{}/api-keys", http::segment(brand));
    let again = RwSignal::new(0u32);
    let revoke = Act::new();
    let confirming = RwSignal::new(None::<String>);
    let rows_api = api.clone();
    let keys = admin_list(
        brand,
        "api-keys",
        again,
        Box::new(move |p, v| {
            let list = json::list(v, "keys");
            if list.is_empty() {
                p.add(&hc("p", "muted").id("no-keys").text(tr(Key::NoKeys)));
                return;
            }
            p.add(
                &hc("ul", "rows")
                    .id("key-list")
                    .children(list.iter().map(|k| {
                        let path = format!("{rows_api}/{}", http::segment(&json::s(k, "id")));
                        key_row(k, path, revoke, confirming, again)
                    })),
            );
        }),
    );
    admin_page(
        brand,
        Key::NavApiKeys,
        Key::ApiKeysLead,
        "api-keys",
        Box::new(move || {
            hc("div", "stack")
                .child(create_key(api.clone(), again))
                .child(
                    hc("section", "card")
                        .attr("aria-labelledby", "keys-heading")
                        .id("api-keys")
                        .child(ht("h2", tr(Key::NavApiKeys)).id("keys-heading"))
                        .child(revoke.error_view())
                        .child(keys.clone()),
                )
        }),
    )
}

/// The form (`#key-name`, `#key-scope`, `#create-key`); the new key's secret is shown once
/// (`#key-secret`).
fn create_key(api: String, again: RwSignal<u32>) -> H {
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new("read".to_owned());
    // The new key's name and secret.
    let created = RwSignal::new(None::<(String, String)>);
    let create = Act::new();
    let submit = move || {
        let body = json::obj()
            .str("name", name.get_untracked().trim())
            .str("scope", &scope.get_untracked())
            .build();
        created.set(None);
        create.send(Request::post(api.clone(), body), move |v| {
            let key = json::get(&v, "key");
            created.set(Some((json::s(&key, "name"), json::s(&v, "secret"))));
            name.set(String::new());
            again.update(|n| *n += 1);
        });
    };
    let select = hc("select", "select")
        .id("key-scope")
        .attr("name", "scope")
        .children(
            ["read", "read_write"]
                .into_iter()
                .map(|s| h("option").attr("value", s).text(tr(scope_key(s)))),
        )
        .bind(scope);
    hc("section", "card")
        .attr("aria-labelledby", "create-key-heading")
        .id("create-key-card")
        .child(ht("h2", tr(Key::CreateApiKeyTitle)).id("create-key-heading"))
        .child(
            hc("form", "form form-inline")
                .on_submit(submit)
                .child(
                    hc("div", "field field-grow")
                        .child(ht("label", tr(Key::ApiKeyName)).attr("for", "key-name"))
                        .child(
                            hc("input", "input")
                                .id("key-name")
                                .attr("name", "name")
                                .attr("autocomplete", "off")
                                .flag("required", true)
                                .attr("maxlength", "100")
                                .attr("aria-describedby", "key-name-hint")
                                .bind(name),
                        ),
                )
                .child(
                    hc("div", "field")
                        .child(ht("label", tr(Key::ApiKeyAccess)).attr("for", "key-scope"))
                        .child(select),
                )
                .child(hc("div", "field field-action").child(create.submit(
                    "create-key",
                    "btn btn-primary",
                    Key::CreateKeyButton,
                    Key::Working,
                ))),
        )
        .child(
            hc("p", "hint")
                .id("key-name-hint")
                .text(tr(Key::ApiKeyNameHint)),
        )
        .child(create.error_view())
        .child(h("div").region(move |p| {
            if let Some((name, secret)) = created.get() {
                p.add(&secret_box(
                    "key",
                    tpl_into(
                        hc("p", "link-box-title"),
                        Key::ApiKeyCreated,
                        &[Arg::Data(name)],
                        "",
                    ),
                    Key::ApiKeySecret,
                    &secret,
                ));
            }
        }))
}

/// A secret shown once (`#{what}-created`, `#{what}-secret`, `#copy-{what}-secret`,
/// `#{what}-secret-once`) under its `title`.
pub fn secret_box(what: &str, title: H, label: Key, secret: &str) -> H {
    hc("div", "link-box secret-box")
        .id(&format!("{what}-created"))
        .attr("role", "status")
        .child(title)
        .child(copy_field(
            &format!("{what}-secret"),
            &format!("copy-{what}-secret"),
            label,
            secret,
        ))
        .child(
            hc("p", "secret-once")
                .id(&format!("{what}-secret-once"))
                .text(tr(Key::SecretOnce)),
        )
}

/// Who made a key (`.key-maker`), and whether their account is disabled: the key stays the
/// brand's, but an admin should know whose it was.
fn maker(m: &Json) -> H {
    let line = tpl_into(
        hc("p", "row-sub small key-maker"),
        Key::MadeBy,
        &[Arg::Data(json::s(m, "display_name"))],
        "",
    );
    if json::b(m, "disabled") {
        line.text(" ")
            .child(hc("span", "badge badge-bad maker-disabled").text(tr(Key::MakerDisabled)))
    } else {
        line
    }
}

/// One key (`.api-key[data-key-id][data-revoked]`): name, access, prefix, dates; `.revoke-key`
/// asks first (`.confirm-revoke`).
fn key_row(
    k: &Json,
    path: String,
    revoke: Act,
    confirming: RwSignal<Option<String>>,
    again: RwSignal<u32>,
) -> H {
    let id = json::s(k, "id");
    let name = json::s(k, "name");
    let scope = json::s(k, "scope");
    let revoked_at = json::oi(k, "revoked_at");
    let status = match revoked_at {
        Some(at) => hc("span", "badge badge-bad key-revoked")
            .attr("title", &dated(Key::RevokedOn, at, true))
            .text(tr(Key::Revoked)),
        None => hc("span", "badge badge-good").text(tr(Key::Active)),
    };
    let used = match json::oi(k, "last_used_at") {
        Some(at) => dated(Key::LastUsed, at, true),
        None => tr(Key::NeverUsed).to_owned(),
    };
    let pending = revoke.pending;
    let actions = revoked_at.is_none().then(|| {
        let (id, name) = (id.clone(), name.clone());
        hc("div", "row-actions").region(move |p| {
            if confirming.get().as_deref() == Some(id.as_str()) {
                let path = path.clone();
                p.add(
                    &hc("div", "confirm")
                        .attr("role", "group")
                        .child(tpl_into(
                            h("p"),
                            Key::RevokeConfirm,
                            &[Arg::Data(name.clone())],
                            "",
                        ))
                        .child(
                            hc("div", "confirm-actions")
                                .child(
                                    hc("button", "btn btn-danger confirm-revoke")
                                        .attr("type", "button")
                                        .dyn_flag("disabled", move || pending.get())
                                        .text(tr(Key::ConfirmRevoke))
                                        .on_click(move || {
                                            revoke.send(Request::Delete(path.clone()), move |_| {
                                                confirming.set(None);
                                                again.update(|n| *n += 1);
                                            })
                                        }),
                                )
                                .child(
                                    hc("button", "btn btn-ghost cancel-revoke")
                                        .attr("type", "button")
                                        .text(tr(Key::Cancel))
                                        .on_click(move || confirming.set(None)),
                                ),
                        ),
                );
            } else {
                let id = id.clone();
                p.add(
                    &hc("button", "btn btn-danger-quiet revoke-key")
                        .attr("type", "button")
                        .dyn_flag("disabled", move || pending.get())
                        .text(tr(Key::Revoke))
                        .on_click(move || confirming.set(Some(id.clone()))),
                );
            }
        })
    });
    hc("li", "row api-key")
        .attr("data-key-id", &id)
        .attr("data-revoked", &revoked_at.is_some().to_string())
        .child(
            hc("div", "row-text")
                .child(
                    hc("p", "row-title")
                        .child(hc("span", "key-name").data().text(&name))
                        .child(
                            hc("span", "badge badge-role key-scope")
                                .attr("data-scope", &scope)
                                .text(tr(scope_key(&scope))),
                        ),
                )
                .child(
                    hc("p", "row-sub mono key-prefix")
                        .data()
                        .text(&json::s(k, "prefix"))
                        .text("…"),
                )
                .child(
                    hc("p", "row-sub small")
                        .text(&dated(Key::CreatedOn, json::i(k, "created_at"), false))
                        .text(" · ")
                        .child(hc("span", "key-used").text(&used)),
                )
                .child(maker(&json::get(k, "created_by"))),
        )
        .child(hc("div", "row-meta").child(status))
        .child_opt(actions)
}
