//! JointForce domain: validated types, API shapes, the access policy, the route table and the use
//! cases, written against a storage trait so they run the same on D1 and on native SQLite.

pub mod access;
pub mod api;
pub mod audit;
pub mod case;
pub mod case_list;
pub mod cases;
pub mod clock;
pub mod csv;
pub mod docs;
pub mod endpoint_address;
pub mod endpoint_secret;
pub mod error;
pub mod export;
pub mod files;
pub mod first_asks;
pub mod form;
pub mod history;
pub mod identity;
pub mod ids;
pub mod integrations;
pub mod jobs;
pub mod limits;
pub mod listing;
pub mod marketplace;
pub mod notifications;
/// The OpenAPI document (the worker and the API tests turn on the `openapi` feature; the app does
/// not, so no JSON Schema code reaches its wasm).
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod outbox;
pub mod password;
pub mod ports;
pub mod programme;
pub mod reasons;
pub mod routes;
pub mod sql;
pub mod store;
pub mod token;
pub mod types;
pub mod webhook;

pub use error::{Error, Result};
