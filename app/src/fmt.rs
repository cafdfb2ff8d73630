//! Dates and numbers, formatted by the browser's `Intl` in the interface language.

use crate::i18n::Lang;
use jf_core::clock::Millis;
use wasm_bindgen::JsValue;

fn options(fields: &[(&str, &str)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object.into()
}

fn at(ms: Millis) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
}

/// A calendar date, e.g. "28 Nov 2025" / "2025年11月28日".
pub fn date(lang: Lang, ms: Millis) -> String {
    let opts = options(&[("year", "numeric"), ("month", "short"), ("day", "numeric")]);
    at(ms).to_locale_date_string(lang.code(), &opts).into()
}

/// A date with the time of day, e.g. "28 Nov 2025, 14:05".
pub fn date_time(lang: Lang, ms: Millis) -> String {
    let opts = options(&[
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ]);
    at(ms).to_locale_string(lang.code(), &opts).into()
}
