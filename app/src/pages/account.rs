//! Being ported to the dom builder.

use crate::dom::{h, H};

pub fn page() -> H { h("div") }
