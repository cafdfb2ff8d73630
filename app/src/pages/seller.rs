//! Being ported to the dom builder.

use crate::dom::{h, H};

pub fn brand_page(_brand: &str, _seller: &str) -> H { h("div") }
pub fn staff_page(_seller: &str) -> H { h("div") }
