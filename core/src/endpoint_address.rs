//! Where brand webhooks may be sent: https to a public host, as the fetch will read the address.
//!
//! The address is parsed with the WHATWG URL rules (the `url` crate), the same rules the Worker's
//! fetch applies, so `https://167772161/`, `https://0x0a.0.0.1/`, `https://10.1/` or
//! `https://%31%30.0.0.1/` are judged as the 10.0.0.1 they will reach, and `user@host` forms are
//! refused as credentials. Host names are not resolved here (a Worker has no DNS lookup of its
//! own): IP literals that are not globally routable unicast and `localhost` names are refused.

use crate::reasons::Reason;
use crate::{Error, Result};
use std::net::{Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

/// Longest address accepted (the form's limit; browsers and receivers cope with it).
pub const MAX_LEN: usize = 2000;

/// An endpoint address that passed [`EndpointUrl::parse`]; stored as its serialisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl(Url);

impl EndpointUrl {
    /// Checks `raw`: https to a public host. `allow_loopback` (local development and the test
    /// stack only) also lets `http(s)://127.0.0.1[:port]/…` through, and nothing else.
    pub fn parse(raw: &str, allow_loopback: bool) -> Result<Self> {
        let refuse = |why: Reason| Err(Error::invalid("url", why));
        let raw = raw.trim();
        if raw.chars().count() > MAX_LEN {
            return refuse(Reason::TooLong { max: MAX_LEN });
        }
        let Ok(url) = Url::parse(raw) else {
            return refuse(Reason::UrlInvalid);
        };
        if !url.username().is_empty() || url.password().is_some() {
            return refuse(Reason::UrlCredentials);
        }
        let dev_receiver =
            allow_loopback && url.host() == Some(Host::<&str>::Ipv4(Ipv4Addr::LOCALHOST));
        match url.scheme() {
            "https" => {}
            "http" if dev_receiver => {}
            _ => return refuse(Reason::UrlHttps),
        }
        // An https URL always has a host; the check stays in case the rules ever differ.
        let Some(host) = url.host() else {
            return refuse(Reason::UrlInvalid);
        };
        if dev_receiver {
            return Ok(EndpointUrl(url));
        }
        match host {
            Host::Ipv4(ip) if !is_public_v4(ip) => refuse(Reason::UrlNotPublic),
            Host::Ipv6(ip) if !is_public_v6(ip) => refuse(Reason::UrlNotPublic),
            Host::Domain(name) if is_localhost_name(name) => refuse(Reason::UrlLocalhost),
            _ => Ok(EndpointUrl(url)),
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// `localhost` and every name under it resolve to this machine (RFC 6761), with or without the
/// trailing dot of a fully qualified name.
fn is_localhost_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// IPv4 blocks that are not globally routable unicast (IANA IPv4 Special-Purpose Address
/// Registry, multicast and the reserved 240/4 with broadcast): (network, prefix length).
const NOT_PUBLIC_V4: [([u8; 4], u32); 15] = [
    ([0, 0, 0, 0], 8),       // "this network"
    ([10, 0, 0, 0], 8),      // private
    ([100, 64, 0, 0], 10),   // shared address space (carrier-grade NAT)
    ([127, 0, 0, 0], 8),     // loopback
    ([169, 254, 0, 0], 16),  // link-local (cloud metadata lives here)
    ([172, 16, 0, 0], 12),   // private
    ([192, 0, 0, 0], 24),    // IETF protocol assignments
    ([192, 0, 2, 0], 24),    // documentation (TEST-NET-1)
    ([192, 88, 99, 0], 24),  // 6to4 relay anycast (deprecated)
    ([192, 168, 0, 0], 16),  // private
    ([198, 18, 0, 0], 15),   // benchmarking
    ([198, 51, 100, 0], 24), // documentation (TEST-NET-2)
    ([203, 0, 113, 0], 24),  // documentation (TEST-NET-3)
    ([224, 0, 0, 0], 4),     // multicast
    ([240, 0, 0, 0], 4),     // reserved, with the limited broadcast address
];

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let addr = u32::from(ip);
    !NOT_PUBLIC_V4.iter().any(|(net, len)| {
        let mask = u32::MAX << (32 - len);
        addr & mask == u32::from_be_bytes(*net)
    })
}

/// Blocks inside 2000::/3 (global unicast) that are still special (IANA IPv6 Special-Purpose
/// Address Registry): (network, prefix length). Everything outside 2000::/3 is refused outright:
/// loopback, unspecified, IPv4-mapped and -compatible, NAT64 (64:ff9b::/96, 64:ff9b:1::/48),
/// discard, unique-local, link-local, site-local, multicast, 5f00::/16.
const NOT_PUBLIC_V6: [(u128, u32); 4] = [
    (0x2001_0000 << 96, 23), // IETF protocol assignments: Teredo, benchmarking, ORCHID…
    (0x2001_0db8 << 96, 32), // documentation
    (0x2002 << 112, 16),     // 6to4: reaches the IPv4 address inside
    (0x3fff << 112, 20),     // documentation (RFC 9637)
];

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let addr = u128::from(ip);
    let in_block = |net: u128, len: u32| addr & (u128::MAX << (128 - len)) == net;
    in_block(0x2000 << 112, 3) && !NOT_PUBLIC_V6.iter().any(|(net, len)| in_block(*net, *len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(raw: &str, allow_loopback: bool) -> Option<Reason> {
        match EndpointUrl::parse(raw, allow_loopback) {
            Ok(_) => None,
            Err(Error::Invalid {
                field,
                why: crate::reasons::Why::Reason(why),
            }) => {
                assert_eq!(field, "url");
                Some(why)
            }
            Err(e) => panic!("{raw}: {e:?}"),
        }
    }

    #[test]
    fn disguised_private_addresses_are_read_as_the_fetch_reads_them() {
        for raw in [
            "https://167772161/",
            "https://0x0a.0.0.1/",
            "https://10.1/",
            "https://10.0.0.1./",
            "https://%31%30.0.0.1/",
            "https://[0:0:0:0:0:ffff:a9fe:a9fe]/",
            "https://[::ffff:10.0.0.1]/",
            "https://0177.0.0.1/",
            "https://[::1]/",
            "https://[fe80::1]/",
            "https://[fd00::1]/",
            "https://[64:ff9b::a00:1]/",
            "https://[64:ff9b:1::a00:1]/",
            "https://[::a00:1]/",
            "https://[::]/",
            "https://[100::1]/",
            "https://[2002:a00:1::]/",
            "https://[2001:0::1]/",
            "https://[2001:db8::1]/",
            "https://[3fff::1]/",
            "https://[5f00::1]/",
            "https://[fec0::1]/",
            "https://[ff02::1]/",
            "https://100.64.0.1/",
            "https://198.18.0.1/",
            "https://198.19.255.255/",
            "https://169.254.169.254/latest/meta-data",
            "https://172.31.0.1/",
            "https://192.168.1.20/",
            "https://192.0.0.1/",
            "https://192.0.2.1/",
            "https://192.88.99.1/",
            "https://198.51.100.1/",
            "https://203.0.113.1/",
            "https://0.0.0.0/",
            "https://127.0.0.1/",
            "https://224.0.0.1/",
            "https://255.255.255.255/",
        ] {
            assert_eq!(why(raw, false), Some(Reason::UrlNotPublic), "{raw}");
        }
        // In an https URL a backslash ends the host, as a slash does: the fetch goes to 10.0.0.1.
        assert_eq!(
            why("https://10.0.0.1\\@example.com/", false),
            Some(Reason::UrlNotPublic)
        );
        assert_eq!(
            why("https://user:pw@example.com/", false),
            Some(Reason::UrlCredentials)
        );
        assert_eq!(
            why("https://user@example.com/", false),
            Some(Reason::UrlCredentials)
        );
    }

    #[test]
    fn each_kind_of_refusal_says_its_own_reason() {
        assert_eq!(why("http://example.com/", false), Some(Reason::UrlHttps));
        assert_eq!(why("ftp://example.com/", false), Some(Reason::UrlHttps));
        assert_eq!(why("mailto:a@example.com", false), Some(Reason::UrlHttps));
        assert_eq!(why("not a url", false), Some(Reason::UrlInvalid));
        assert_eq!(why("https://", false), Some(Reason::UrlInvalid));
        assert_eq!(
            why("https://exa mple.com/", false),
            Some(Reason::UrlInvalid)
        );
        assert_eq!(why("https://10.0.0.256/", false), Some(Reason::UrlInvalid));
        for name in [
            "https://localhost/",
            "https://localhost./",
            "https://LocalHost/",
            "https://a.localhost/",
            "https://a.localhost./",
        ] {
            assert_eq!(why(name, false), Some(Reason::UrlLocalhost), "{name}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_LEN));
        assert_eq!(why(&long, false), Some(Reason::TooLong { max: 2000 }));
    }

    #[test]
    fn public_addresses_are_accepted_as_their_serialisation() {
        for (raw, stored) in [
            ("https://hooks.example.com/x", "https://hooks.example.com/x"),
            ("https://8.8.8.8/", "https://8.8.8.8/"),
            ("https://[2606:4700::1111]/", "https://[2606:4700::1111]/"),
            (
                "  HTTPS://Hooks.Example.COM:443/a?b#c ",
                "https://hooks.example.com/a?b#c",
            ),
            (
                "https://hooks.example.com:8443",
                "https://hooks.example.com:8443/",
            ),
            (
                "https://localhost.example.com/",
                "https://localhost.example.com/",
            ),
            ("https://100.128.0.1/", "https://100.128.0.1/"),
            ("https://172.32.0.1/", "https://172.32.0.1/"),
        ] {
            let url = EndpointUrl::parse(raw, false).unwrap_or_else(|e| panic!("{raw}: {e:?}"));
            assert_eq!(url.as_str(), stored);
        }
    }

    #[test]
    fn the_development_exception_is_only_127_0_0_1() {
        for raw in [
            "http://127.0.0.1:9000/hook",
            "https://127.0.0.1:9000/hook",
            "http://127.0.0.1/",
        ] {
            assert_eq!(why(raw, true), None, "{raw} in development");
            assert!(why(raw, false).is_some(), "{raw} outside development");
        }
        assert_eq!(
            why("http://127.0.0.1:9000/hook", false),
            Some(Reason::UrlHttps)
        );
        // Nothing else is loosened by it.
        assert_eq!(why("http://localhost:9000/", true), Some(Reason::UrlHttps));
        assert_eq!(
            why("https://localhost:9000/", true),
            Some(Reason::UrlLocalhost)
        );
        assert_eq!(why("https://127.0.0.2/", true), Some(Reason::UrlNotPublic));
        assert_eq!(why("http://[::1]:9000/", true), Some(Reason::UrlHttps));
        assert_eq!(why("https://10.0.0.1/", true), Some(Reason::UrlNotPublic));
        assert_eq!(why("http://example.com/", true), Some(Reason::UrlHttps));
        assert_eq!(
            why("http://u:p@127.0.0.1:9000/", true),
            Some(Reason::UrlCredentials)
        );
    }
}
