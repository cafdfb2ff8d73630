//! The targets: one per untrusted parser, and one over every JSON request type.

mod bulk_csv;
mod case_search;
mod json_requests;
mod listing_reference;
mod report_form;
mod webhook;

pub use bulk_csv::bulk_csv;
pub use case_search::case_search;
pub use json_requests::json_requests;
pub use listing_reference::listing_reference;
pub use report_form::report_form;
pub use webhook::webhook;
