//! Fuzz targets of JointForce's untrusted parsers, each a plain function of the raw input that
//! panics when an invariant breaks: libFuzzer drives them on nightly (`fuzz_targets/`), and the
//! `corpora` test replays every stored input through the same functions on stable.

pub mod targets;

/// A target: the raw input in, a panic when an invariant breaks.
pub type Target = fn(&[u8]);

/// Every target by name, as `fuzz_targets/` and `corpus/` name them.
pub const TARGETS: [(&str, Target); 6] = [
    ("bulk_csv", targets::bulk_csv),
    ("report_form", targets::report_form),
    ("webhook", targets::webhook),
    ("listing_reference", targets::listing_reference),
    ("case_search", targets::case_search),
    ("json_requests", targets::json_requests),
];

/// The marketplace's listing URLs, as wrangler.toml configures them.
pub const LISTING_URL_PREFIX: &str = "https://market.example/item/";
