//! Limits that protect the service: how many reads, writes and exports a caller may make a minute.
//!
//! The counting itself is the platform's (the Workers Rate Limiting binding, so no request pays a
//! database write for it); this module says which counters a request touches, under what key, and
//! what a refused caller is told. The guard asks it about every admitted caller.

use crate::access::Actor;
use crate::ids::BrandId;
use crate::routes::{Route, RouteId};

/// The one period every limit counts over, in seconds (the binding knows 10 and 60).
pub const PERIOD_SECS: i64 = 60;

/// What a counter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// GET and HEAD requests of one session or API key.
    Reads,
    /// Every other method, of one session or API key.
    Writes,
    /// CSV exports of one brand (by anyone), and of the whole audit log.
    Exports,
}

impl LimitKind {
    pub const ALL: [LimitKind; 3] = [LimitKind::Reads, LimitKind::Writes, LimitKind::Exports];

    /// The rate-limiting binding that counts this kind (wrangler.toml `[[ratelimits]]`).
    pub fn binding(self) -> &'static str {
        match self {
            LimitKind::Reads => "READ_LIMIT",
            LimitKind::Writes => "WRITE_LIMIT",
            LimitKind::Exports => "EXPORT_LIMIT",
        }
    }

    /// How many a period allows (the binding's `simple.limit`; a test holds wrangler.toml to it).
    pub fn per_minute(self) -> u32 {
        match self {
            LimitKind::Reads => 600,
            LimitKind::Writes => 120,
            LimitKind::Exports => 5,
        }
    }

    /// The stable code of the kind, as the error body's `limit` carries it.
    pub fn code(self) -> &'static str {
        match self {
            LimitKind::Reads => "reads",
            LimitKind::Writes => "writes",
            LimitKind::Exports => "exports",
        }
    }

    /// Whose the counter is, in the public message.
    pub fn whose(self) -> &'static str {
        match self {
            LimitKind::Reads | LimitKind::Writes => "this session or API key",
            LimitKind::Exports => "this brand",
        }
    }
}

/// Who is counted: a session or an API key, each by the digest of its secret (never the secret;
/// the digest is also what the store knows them by).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    Session(String),
    Key(String),
}

/// One counter a request touches: the binding and the key within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub kind: LimitKind,
    pub key: String,
}

/// Whether the route is one of the CSV exports (the heaviest reads there are).
pub fn is_export(route: &Route) -> bool {
    matches!(
        route.id,
        RouteId::ExportCases | RouteId::ExportBrandAudit | RouteId::ExportAdminAudit
    )
}

/// The caller's counter for this route: reads (GET, HEAD) or writes (any other method). Only a
/// session or an API key is counted: anonymous routes have their own throttle (sign-in) or
/// none, and the marketplace's signed webhooks are not a caller's.
pub fn caller_counter(route: &Route, actor: &Actor, who: Option<&Counted>) -> Option<Counter> {
    if *actor == Actor::Anonymous {
        return None;
    }
    who.map(|who| secret_counter(route, who))
}

/// The counter of the secret a request carries, known before the secret is looked up: the
/// guard asks it while the session or key is read, and heeds it once the secret names a caller.
pub fn secret_counter(route: &Route, who: &Counted) -> Counter {
    let kind = if route.method.changes_state() {
        LimitKind::Writes
    } else {
        LimitKind::Reads
    };
    let key = match who {
        Counted::Session(digest) => format!("session:{digest}"),
        Counted::Key(digest) => format!("key:{digest}"),
    };
    Counter { kind, key }
}

/// The export counter of an admitted export: per brand, or one for the whole audit log (a staff
/// export with no brand). Counted only once the caller may export, so nobody can use up a brand's
/// exports with requests it refuses.
pub fn export_counter(route: &Route, brand_id: Option<BrandId>) -> Option<Counter> {
    if !is_export(route) {
        return None;
    }
    let key = match brand_id {
        Some(brand) => format!("brand:{brand}"),
        None => "all-brands".to_owned(),
    };
    Some(Counter {
        kind: LimitKind::Exports,
        key,
    })
}

/// Seconds until the current period ends (at least 1): the binding counts in periods aligned to
/// the clock, so that is when a refused caller is counted afresh.
pub fn retry_after_secs(now_ms: i64) -> i64 {
    let period_ms = PERIOD_SECS * 1000;
    let left_ms = period_ms - now_ms.rem_euclid(period_ms);
    ((left_ms + 999) / 1000).clamp(1, PERIOD_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{KeyScope, Person};
    use crate::ids::UserId;
    use crate::routes::{self, Resolution};

    fn route(method: &str, path: &str) -> &'static Route {
        match routes::resolve(method, path) {
            Resolution::Found(route, _) => route,
            _ => panic!("{method} {path}"),
        }
    }

    fn person() -> Actor {
        Actor::Person(Person {
            user_id: UserId(uuid::Uuid::nil()),
            display_name: "P".into(),
            staff_role: None,
            memberships: vec![],
            managed_brands: vec![],
        })
    }

    const BRAND: &str = "00000000-0000-4000-8000-00000000000b";

    #[test]
    fn reads_and_writes_are_counted_per_session_or_key() {
        let session = Counted::Session("abc".into());
        let me = route("GET", "/api/v1/me");
        assert_eq!(
            caller_counter(me, &person(), Some(&session)),
            Some(Counter {
                kind: LimitKind::Reads,
                key: "session:abc".into()
            })
        );
        // HEAD is a read too (the table resolves it as GET).
        let head = route("HEAD", "/api/v1/me");
        assert_eq!(
            caller_counter(head, &person(), Some(&session)).map(|c| c.kind),
            Some(LimitKind::Reads)
        );
        let brand = BrandId::parse(BRAND).unwrap();
        let key = Actor::ApiKey {
            brand_id: brand,
            scope: KeyScope::ReadWrite,
        };
        let withdraw = route(
            "POST",
            &format!("/api/v1/brands/{BRAND}/cases/c-1/withdraw"),
        );
        assert_eq!(
            caller_counter(withdraw, &key, Some(&Counted::Key("k1".into()))),
            Some(Counter {
                kind: LimitKind::Writes,
                key: "key:k1".into()
            })
        );
        for (method, r) in [
            ("PUT", "/api/v1/admin/users/u-1/staff-role"),
            ("PATCH", "/api/v1/brands/b/members/u-1"),
            ("DELETE", "/api/v1/me/sessions/s-1"),
        ] {
            assert_eq!(
                caller_counter(route(method, r), &person(), Some(&session)).map(|c| c.kind),
                Some(LimitKind::Writes),
                "{method}"
            );
        }
        // Nobody to count: sign-in has its own throttle, webhooks their signature.
        let login = route("POST", "/api/v1/auth/login");
        assert_eq!(caller_counter(login, &Actor::Anonymous, None), None);
        assert_eq!(
            caller_counter(login, &Actor::Anonymous, Some(&session)),
            None
        );
    }

    #[test]
    fn exports_are_counted_per_brand_and_the_whole_log_as_one() {
        let brand = BrandId::parse(BRAND).unwrap();
        for path in ["export/cases.csv", "export/audit.csv"] {
            let r = route("GET", &format!("/api/v1/brands/{BRAND}/{path}"));
            assert!(is_export(r), "{path}");
            assert_eq!(
                export_counter(r, Some(brand)),
                Some(Counter {
                    kind: LimitKind::Exports,
                    key: format!("brand:{BRAND}")
                })
            );
        }
        let all = route("GET", "/api/v1/admin/export/audit.csv");
        assert_eq!(
            export_counter(all, None).map(|c| c.key),
            Some("all-brands".into())
        );
        // The list the export follows is an ordinary read.
        let list = route("GET", &format!("/api/v1/brands/{BRAND}/cases"));
        assert!(!is_export(list));
        assert_eq!(export_counter(list, Some(brand)), None);
        // Every export route of the table is one of them.
        let csv_gets = routes::ROUTES
            .iter()
            .filter(|r| r.path.contains("/export/"))
            .count();
        let exports = routes::ROUTES.iter().filter(|r| is_export(r)).count();
        assert_eq!(csv_gets, exports);
    }

    #[test]
    fn the_limits_are_the_documented_ones() {
        assert_eq!(LimitKind::Reads.per_minute(), 600);
        assert_eq!(LimitKind::Writes.per_minute(), 120);
        assert_eq!(LimitKind::Exports.per_minute(), 5);
        let bindings: std::collections::HashSet<_> =
            LimitKind::ALL.iter().map(|k| k.binding()).collect();
        assert_eq!(bindings.len(), 3);
    }

    /// wrangler.toml binds each kind's counter with its limit, in a deployment and in the test
    /// and crash environments alike (named environments do not inherit bindings).
    #[test]
    fn wrangler_binds_every_limit_everywhere() {
        let config = include_str!("../../wrangler.toml");
        for section in [
            "[[ratelimits]]",
            "[[env.test.ratelimits]]",
            "[[env.crash.ratelimits]]",
        ] {
            for kind in LimitKind::ALL {
                let bound = config.split(section).skip(1).any(|block| {
                    let block = block.split("\n[").next().unwrap_or_default();
                    block.contains(&format!("name = \"{}\"", kind.binding()))
                        && block.contains(&format!(
                            "simple = {{ limit = {}, period = {PERIOD_SECS} }}",
                            kind.per_minute()
                        ))
                });
                assert!(bound, "{section} {kind:?}");
            }
        }
    }

    #[test]
    fn retry_after_is_the_rest_of_the_period() {
        let minute = 60_000;
        let start = 1_790_000_040_000 - 1_790_000_040_000 % minute;
        assert_eq!(retry_after_secs(start), 60);
        assert_eq!(retry_after_secs(start + 1), 60);
        assert_eq!(retry_after_secs(start + 30_000), 30);
        assert_eq!(retry_after_secs(start + 59_000), 1);
        assert_eq!(retry_after_secs(start + 59_999), 1);
        assert_eq!(retry_after_secs(start + minute), 60);
    }
}
