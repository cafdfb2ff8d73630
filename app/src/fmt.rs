//! Dates and numbers, formatted by the browser's `Intl` in the interface language.

use crate::i18n::Lang;
use jf_core::clock::Millis;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

fn options(fields: &[(&str, &str)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object.into()
}

/// A formatter's language, kind and (for money) currency.
type FormatterKey = (Lang, &'static str, String);

thread_local! {
    // Making an `Intl` formatter costs about half a millisecond (ICU builds its patterns); a
    // page formats a date and a price per card, so each formatter is made once per language
    // (and currency) and kept: a handful of entries, so a list (smaller code than a map).
    static FORMATTERS: RefCell<Vec<(FormatterKey, JsValue)>> =
        const { RefCell::new(Vec::new()) };
}

/// The kept formatter that `make` builds for `lang`, `kind` and `extra`.
fn formatter<T: JsCast>(
    lang: Lang,
    kind: &'static str,
    extra: &str,
    make: impl FnOnce(&js_sys::Array) -> T,
) -> T {
    let key = (lang, kind, extra.to_owned());
    let kept = FORMATTERS.with(|cache| {
        let cache = cache.borrow();
        cache
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| f.clone())
    });
    let formatter = kept.unwrap_or_else(|| {
        let made: JsValue = make(&js_sys::Array::of1(&JsValue::from_str(lang.code()))).into();
        FORMATTERS.with(|cache| cache.borrow_mut().push((key, made.clone())));
        made
    });
    formatter.unchecked_into()
}

fn date_format(lang: Lang, kind: &'static str, fields: &[(&str, &str)], ms: Millis) -> String {
    let format = formatter(lang, kind, "", |locales| {
        js_sys::Intl::DateTimeFormat::new(locales, options(fields).unchecked_ref())
    });
    format
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(ms as f64))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// A calendar date, e.g. "28 Nov 2025" / "2025年11月28日".
pub fn date(lang: Lang, ms: Millis) -> String {
    let fields = [("year", "numeric"), ("month", "short"), ("day", "numeric")];
    date_format(lang, "date", &fields, ms)
}

/// A date with the time of day and its zone, e.g. "28 Nov 2025, 14:05 UTC" / "2025年11月28日
/// UTC 14:05". The one rule for every time shown to a person: the browser's own zone, named (its
/// short name or offset, "GMT+1"), since brands, the marketplace and account managers read the
/// same case from different zones.
pub fn date_time(lang: Lang, ms: Millis) -> String {
    let fields = [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("timeZoneName", "short"),
    ];
    date_format(lang, "date_time", &fields, ms)
}

/// The instant as ISO 8601 in UTC, for `<time datetime>`.
pub fn iso(ms: Millis) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
        .to_iso_string()
        .into()
}

const MINUTE: f64 = 60_000.0;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// How far `ms` is from now, e.g. "in 3 days" / "3天后", "2 hours ago" / "2小时前".
pub fn relative(lang: Lang, ms: Millis) -> String {
    let delta = ms as f64 - js_sys::Date::now();
    let size = delta.abs();
    let (unit, per) = if size >= DAY {
        ("day", DAY)
    } else if size >= HOUR {
        ("hour", HOUR)
    } else {
        ("minute", MINUTE)
    };
    let value = (delta / per).round();
    let value = if value == 0.0 { delta.signum() } else { value };
    let format = formatter(lang, "relative", "", |locales| {
        js_sys::Intl::RelativeTimeFormat::new(locales, &js_sys::Object::new())
    });
    format.format(value, unit).into()
}

/// Local midnight of a `YYYY-MM-DD` date (from `<input type=date>`), `plus_days` later.
pub fn day_start(date: &str, plus_days: i32) -> Option<Millis> {
    let mut parts = date.trim().splitn(3, '-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let at = js_sys::Date::new_with_year_month_day(y as u32, m - 1, d + plus_days);
    Some(at.get_time() as Millis)
}

/// A share in basis points as a percentage: 800 → "8", 825 → "8.25".
pub fn percent(bp: i64) -> String {
    let (whole, frac) = (bp / 100, (bp % 100).abs());
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// A price in its currency, e.g. "€49.00" / "€49.00", "CN¥159.00" / "¥159.00"; the amount
/// (a decimal string, kept exact) and an ISO 4217 code as the marketplace sent them. Anything
/// `Intl` cannot read is shown as sent: "XYZ 1,5".
pub fn money(lang: Lang, amount: &str, currency: &str) -> String {
    let plain = || format!("{currency} {amount}");
    let amount = amount.trim();
    let currency_ok = currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_alphabetic());
    let amount_ok = !amount.is_empty()
        && amount.bytes().filter(|b| *b == b'.').count() <= 1
        && amount
            .trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
    if !currency_ok || !amount_ok {
        return plain();
    }
    let code = currency.to_ascii_uppercase();
    let format = formatter(lang, "money", &code, |locales| {
        let opts = options(&[("style", "currency"), ("currency", &code)]);
        js_sys::Intl::NumberFormat::new(locales, opts.unchecked_ref())
    });
    // `format` takes the decimal string itself, so no digit is lost to a float.
    format
        .format()
        .call1(&JsValue::NULL, &JsValue::from_str(amount))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(plain)
}

/// A week's first day as a short date in UTC (the dashboard's weeks start Monday 00:00 UTC), e.g.
/// "15 Dec" / "12月15日".
pub fn week_day(lang: Lang, ms: Millis) -> String {
    let fields = [("month", "short"), ("day", "numeric"), ("timeZone", "UTC")];
    date_format(lang, "week_day", &fields, ms)
}

/// A duration in hours, or in minutes under one hour: "34 hr" / "34小时", "1.5 hr", "45 min".
pub fn duration(lang: Lang, ms: Millis) -> String {
    let (unit, value) = if (ms as f64) < HOUR {
        ("minute", (ms as f64 / MINUTE).round())
    } else {
        ("hour", ms as f64 / HOUR)
    };
    let format = formatter(lang, "duration", unit, |locales| {
        let opts = options(&[
            ("style", "unit"),
            ("unit", unit),
            ("unitDisplay", "short"),
            ("maximumFractionDigits", "1"),
        ]);
        js_sys::Intl::NumberFormat::new(locales, opts.unchecked_ref())
    });
    format
        .format()
        .call1(&JsValue::NULL, &JsValue::from_f64(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}
