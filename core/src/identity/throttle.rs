//! The one throttle every password and one-time-link check passes through.
//!
//! Each check counts an attempt against its keys *before* any hash is computed, in one atomic
//! statement that also returns the counts, so parallel tries cannot all slip past the count. A
//! check that succeeds gives its attempt back, so only failures keep counting. Keys:
//! - (email, client address): 10 in 15 minutes — a guesser at one address stops there, while
//!   the owner, at their own address, is never stopped by someone else's failures;
//! - client address (IPv6 by /64): 50 in 15 minutes, across every email and link (an office
//!   behind one address has room for its typos);
//! - email: 100 a day across all addresses — a botnet's ceiling. It never stops the owner at an
//!   address they signed in from before (remembered for 30 days), so someone else's failures
//!   elsewhere never lock the owner out;
//! - "forgot password" requests: 5 an hour per email (and the address's ceiling), counted apart
//!   from password failures, so a guesser cannot stop the owner from asking for a link.

use crate::clock::{Clock, Millis, DAY, HOUR, MINUTE};
use crate::store::{query, Db, Stmt};
use crate::types::Email;
use crate::{sql, Error, Result};
use std::net::IpAddr;

pub const PAIR_LIMIT: i64 = 10;
pub const PAIR_WINDOW: Millis = 15 * MINUTE;
pub const ADDRESS_LIMIT: i64 = 50;
pub const ADDRESS_WINDOW: Millis = 15 * MINUTE;
pub const EMAIL_LIMIT: i64 = 100;
pub const EMAIL_WINDOW: Millis = DAY;
pub const LINK_REQUEST_LIMIT: i64 = 5;
pub const LINK_REQUEST_WINDOW: Millis = HOUR;
/// An address the owner signed in from is theirs for this long (the email ceiling spares it).
pub const KNOWN_ADDRESS_FOR: Millis = 30 * DAY;

/// Where a request comes from: the address Cloudflare saw (`CF-Connecting-IP`) and the browser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    /// The client's IP address as sent by the edge, or empty when unknown.
    pub address: String,
    pub user_agent: String,
}

impl Client {
    /// Reads the edge's headers; anything that is not an IP address counts as unknown.
    pub fn from_headers(connecting_ip: Option<&str>, user_agent: Option<&str>) -> Self {
        let address = connecting_ip
            .map(str::trim)
            .and_then(|raw| raw.parse::<IpAddr>().ok())
            .map(|ip| ip.to_string())
            .unwrap_or_default();
        let user_agent: String = user_agent.unwrap_or_default().chars().take(300).collect();
        Client {
            address,
            user_agent,
        }
    }

    /// The address, if the edge sent one (as the audit log records it).
    pub fn known_address(&self) -> Option<&str> {
        Some(self.address.as_str()).filter(|a| !a.is_empty())
    }

    /// The address the throttle counts: IPv4 as it is, IPv6 by its /64 (one subscriber's block).
    pub fn throttle_address(&self) -> String {
        match self.address.parse::<IpAddr>() {
            Ok(IpAddr::V4(v4)) => v4.to_string(),
            Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            Err(_) => "unknown".into(),
        }
    }
}

/// What is being checked: a password for an email, a one-time link's token, or a request for a
/// set-password link to be emailed.
#[derive(Debug, Clone, Copy)]
pub enum Check<'a> {
    Password(&'a Email),
    Link,
    LinkRequest(&'a Email),
}

/// An attempt that was counted and allowed; `succeeded` gives it back.
#[derive(Debug)]
#[must_use = "a successful check must give its attempt back"]
pub struct Attempt {
    keys: Vec<String>,
    /// For a password: the (email, address) key the owner's success remembers.
    known: Option<String>,
    now: Millis,
}

impl Attempt {
    /// The statements that give the attempt back (and remember the owner's address), to run in
    /// the success's own batch.
    pub fn succeeded(&self) -> Vec<Stmt> {
        let keys = serde_json::Value::from(self.keys.clone()).to_string();
        let mut writes = vec![sql::refund_attempt(&keys)];
        if let Some(known) = &self.known {
            writes.push(sql::remember_address(known, self.now, KNOWN_ADDRESS_FOR));
        }
        writes
    }
}

/// A key the attempt counts against; `ceiling` marks the per-email ceiling that an owner's known
/// address is spared.
struct Counted {
    key: String,
    window: Millis,
    limit: i64,
    ceiling: bool,
}

fn counted(key: String, window: Millis, limit: i64) -> Counted {
    Counted {
        key,
        window,
        limit,
        ceiling: false,
    }
}

fn keys(client: &Client, check: Check<'_>) -> Vec<Counted> {
    let address = client.throttle_address();
    let mut keys = vec![counted(
        format!("address:{address}"),
        ADDRESS_WINDOW,
        ADDRESS_LIMIT,
    )];
    match check {
        Check::Password(email) => {
            let email = email.as_str();
            keys.push(counted(
                format!("pair:{email} {address}"),
                PAIR_WINDOW,
                PAIR_LIMIT,
            ));
            keys.push(Counted {
                ceiling: true,
                ..counted(format!("email:{email}"), EMAIL_WINDOW, EMAIL_LIMIT)
            });
        }
        Check::LinkRequest(email) => keys.push(counted(
            format!("link-request:{}", email.as_str()),
            LINK_REQUEST_WINDOW,
            LINK_REQUEST_LIMIT,
        )),
        Check::Link => {}
    }
    keys
}

fn known_key(client: &Client, check: Check<'_>) -> Option<String> {
    match check {
        Check::Password(email) => Some(format!(
            "known:{} {}",
            email.as_str(),
            client.throttle_address()
        )),
        Check::Link | Check::LinkRequest(_) => None,
    }
}

/// Counts one attempt and decides, in that order: over any limit → 429 with the wait.
pub async fn attempt(
    db: &impl Db,
    clock: &dyn Clock,
    client: &Client,
    check: Check<'_>,
) -> Result<Attempt> {
    let now = clock.now();
    let keys = keys(client, check);
    let json = serde_json::Value::from(
        keys.iter()
            .map(|k| serde_json::json!([k.key, k.window]))
            .collect::<Vec<_>>(),
    )
    .to_string();
    let rows: Vec<sql::ThrottleRecord> = query(db, sql::count_attempt(&json, now)).await?;
    let over: Vec<(&sql::ThrottleRecord, bool)> = rows
        .iter()
        .filter_map(|row| {
            let k = keys.iter().find(|k| k.key == row.key)?;
            (row.attempts > k.limit).then_some((row, k.ceiling))
        })
        .collect();
    let known = known_key(client, check);
    // Only the email's ceiling is over: the owner, at an address of theirs, still gets through.
    let spared = !over.is_empty()
        && over.iter().all(|(_, ceiling)| *ceiling)
        && match &known {
            Some(k) => sql::address_known(db, k, now).await?,
            None => false,
        };
    if !spared {
        if let Some(wait) = over
            .iter()
            .map(|(row, _)| row.window_start + row.window_ms - now)
            .max()
        {
            return Err(Error::TooManyAttempts {
                // Rounded up: a client that waits this long is never refused again at once.
                retry_after_secs: ((wait + 999) / 1000).max(1),
            });
        }
    }
    Ok(Attempt {
        keys: keys.into_iter().map(|k| k.key).collect(),
        known,
        now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_strictly_and_ipv6_counts_by_64() {
        let c = |ip: &str| Client::from_headers(Some(ip), None);
        assert_eq!(c("203.0.113.7").throttle_address(), "203.0.113.7");
        assert_eq!(
            c("2001:db8:1:2:3:4:5:6").throttle_address(),
            c("2001:db8:1:2:ffff::1").throttle_address()
        );
        assert_eq!(c("2001:db8:1:2::1").throttle_address(), "2001:db8:1:2::/64");
        assert_ne!(
            c("2001:db8:1:2::1").throttle_address(),
            c("2001:db8:1:3::1").throttle_address()
        );
        assert_eq!(c("::ffff:203.0.113.7").throttle_address(), "203.0.113.7");
        assert_eq!(c("not an address").address, "");
        assert_eq!(c("not an address").throttle_address(), "unknown");
        assert_eq!(
            Client::from_headers(None, Some(&"x".repeat(1000)))
                .user_agent
                .len(),
            300
        );
    }
}
