//! A list page's filters as the address holds them (`?status=…&from=YYYY-MM-DD…`), read into the
//! API's query and shown as form fields.

use crate::fmt;
use crate::http::encode;
use crate::i18n::{tr, Key};
use leptos::prelude::*;

/// The filters of a page: its names, in order, and their values (dates as `YYYY-MM-DD`).
#[derive(Clone, PartialEq, Default)]
pub struct Filters {
    names: &'static [&'static str],
    values: Vec<String>,
}

impl Filters {
    /// The filters called `names`, each read by `value` (trimmed; missing is empty).
    pub fn read(names: &'static [&'static str], value: impl Fn(&str) -> Option<String>) -> Self {
        let values = names
            .iter()
            .map(|name| value(name).unwrap_or_default().trim().to_owned())
            .collect();
        Filters { names, values }
    }

    pub fn get(&self, name: &str) -> &str {
        self.names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.values.get(i))
            .map_or("", String::as_str)
    }

    /// `name=value&…` of the non-empty filters but `skip` (each pair followed by `&`), for the
    /// page's own links (`api` false) or the API (`api` true: dates become milliseconds, `to`
    /// taking in its whole day).
    pub fn query(&self, api: bool, skip: Option<&str>) -> String {
        let mut out = String::new();
        for (name, value) in self.names.iter().zip(&self.values) {
            let value = match (api, *name) {
                _ if value.is_empty() || skip == Some(*name) => None,
                (true, "from") => fmt::day_start(value, 0).map(|ms| ms.to_string()),
                (true, "to") => fmt::day_start(value, 1).map(|ms| ms.to_string()),
                _ => Some(encode(value)),
            };
            if let Some(value) = value {
                out.push_str(&format!("{name}={value}&"));
            }
        }
        out
    }
}

/// A date filter (`#f-from`, `#f-to`): the attribute as the address says, and the field's value.
#[component]
pub fn DateFilter(name: &'static str, label: Key, filters: Memo<Filters>) -> impl IntoView {
    let id = format!("f-{name}");
    let value = move || filters.with(|f| f.get(name).to_owned());
    view! {
        <div class="field">
            <label for=id.clone()>{move || tr(label)}</label>
            <input class="input" id=id name=name type="date" value=value prop:value=value/>
        </div>
    }
}
