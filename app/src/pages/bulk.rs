//! Being ported to the dom builder.

use crate::dom::{h, H};

pub fn page(_brand: &str) -> H { h("div") }
