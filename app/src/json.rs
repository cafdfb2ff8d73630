//! Reading the API's JSON: the browser's `JSON.parse`, then fields read by name.
//!
//! Why not serde: serde's decoders are generic code per type, about 1 KB gzipped each, and the
//! app reads some forty shapes. These readers are a handful of shared functions. A missing or
//! mistyped field reads as empty (the server's types are the contract, tested on its side).

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::JsValue;

/// A JSON value as the browser parsed it.
pub type Json = JsValue;

pub fn parse(text: &str) -> Option<Json> {
    JSON::parse(text).ok()
}

/// `v[key]` (undefined when absent).
pub fn get(v: &Json, key: &str) -> Json {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A string field ("" when absent or null).
pub fn s(v: &Json, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}

/// A string field that may be null.
pub fn os(v: &Json, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// A number field (0 when absent).
pub fn n(v: &Json, key: &str) -> f64 {
    get(v, key).as_f64().unwrap_or(0.0)
}

/// An integer field (0 when absent): counts, milliseconds since the epoch.
pub fn i(v: &Json, key: &str) -> i64 {
    n(v, key) as i64
}

/// An integer field that may be null.
pub fn oi(v: &Json, key: &str) -> Option<i64> {
    get(v, key).as_f64().map(|f| f as i64)
}

/// A boolean field (false when absent).
pub fn b(v: &Json, key: &str) -> bool {
    get(v, key).as_bool().unwrap_or(false)
}

/// Whether the field is present and not null.
pub fn has(v: &Json, key: &str) -> bool {
    let f = get(v, key);
    !f.is_undefined() && !f.is_null()
}

/// The elements of an array (none when `v` is not one).
pub fn items(v: &Json) -> Vec<Json> {
    if Array::is_array(v) {
        Array::from(v).iter().collect()
    } else {
        Vec::new()
    }
}

/// The elements of the array field `key`.
pub fn list(v: &Json, key: &str) -> Vec<Json> {
    items(&get(v, key))
}

/// An array field of strings.
pub fn strs(v: &Json, key: &str) -> Vec<String> {
    list(v, key).iter().filter_map(JsValue::as_string).collect()
}

/// A JSON object being written: `obj().str("email", e).build()`.
pub struct Obj(Object);

pub fn obj() -> Obj {
    Obj(Object::new())
}

impl Obj {
    pub fn set(self, key: &str, value: &JsValue) -> Obj {
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), value);
        self
    }
    pub fn str(self, key: &str, value: &str) -> Obj {
        self.set(key, &JsValue::from_str(value))
    }
    /// A string, or null when empty (optional fields).
    pub fn opt(self, key: &str, value: &str) -> Obj {
        if value.is_empty() {
            self.set(key, &JsValue::NULL)
        } else {
            self.str(key, value)
        }
    }
    pub fn num(self, key: &str, value: f64) -> Obj {
        self.set(key, &JsValue::from_f64(value))
    }
    /// An array of strings.
    pub fn strs(self, key: &str, values: &[String]) -> Obj {
        let array = Array::new();
        for v in values {
            array.push(&JsValue::from_str(v));
        }
        self.set(key, &array)
    }
    /// The object itself, to nest in another (`set`) or in an array.
    pub fn value(self) -> Json {
        self.0.into()
    }
    /// The JSON text.
    pub fn build(self) -> String {
        JSON::stringify(&self.0)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}
