//! What the use cases need from outside the database: file storage and the marketplace.

use crate::listing::Snapshot;
use crate::Result;

/// Blob storage for uploaded files (KV in the Worker).
#[allow(async_fn_in_trait)]
pub trait FileStore {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<()>;
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>>;
}

/// The marketplace's answer to "what is this listing?".
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(Snapshot),
    Unknown,
    /// Down, slow or answering nonsense: try again later.
    Unavailable(String),
}

/// The marketplace, as JointForce calls it.
#[allow(async_fn_in_trait)]
pub trait Marketplace {
    async fn lookup(&self, listing_id: &str) -> Lookup;
    /// Delivers one action (an envelope, signed by the implementation); `Err` carries why not.
    async fn send(&self, action_id: &str, body: &str) -> std::result::Result<(), String>;
}

/// Deployment settings the rules depend on.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Listing URLs are `{listing_url_prefix}{listing_id}`.
    pub listing_url_prefix: String,
}

/// Outgoing HTTP to brands' webhook endpoints: the status code, or why there was none.
#[allow(async_fn_in_trait)]
pub trait WebhookClient {
    async fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> std::result::Result<u16, String>;
}
