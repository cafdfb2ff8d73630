//! Every SQL statement of the application, with the rows they return. The same text runs on D1 and
//! on native SQLite (with the same migrations), so these queries are tested without wasm.

mod audit;
mod cases;
mod dashboard;
mod identity;
mod integrations;
mod marketplace;
mod notifications;
pub mod plans;
mod portfolio;
mod retention;

pub use audit::*;
pub use cases::*;
pub use dashboard::*;
pub use identity::*;
pub use integrations::*;
pub use marketplace::*;
pub use notifications::*;
pub use portfolio::*;
pub use retention::*;
