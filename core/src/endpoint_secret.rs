//! Brand endpoints' signing secrets at rest: sealed with AES-256-GCM under the deployment's key.
//!
//! A stored secret reads `v1.<kid>.<base64(nonce ‖ ciphertext ‖ tag)>`: a fresh 96-bit nonce per
//! seal (from `Entropy`), the endpoint's id as associated data (a sealed secret copied onto
//! another endpoint does not open), and the id of the key that sealed it, so the key can rotate.
//!
//! The key is `ENDPOINT_SECRETS_KEY`: `<kid>:<base64 of 32 bytes>`, or several separated by
//! commas, newest first — the first seals, every one opens (a rotation: put the new key first,
//! let the cron re-seal, then drop the old one). A bare `<base64>` is the key `k1`.
//! Make one with `openssl rand -base64 32`.

use crate::clock::Entropy;
use crate::error::CauseText;
use crate::webhook::Secret;
use crate::{Error, Result};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

const VERSION: &str = "v1";
const NONCE_LEN: usize = 12;
/// The key id of a key given without one.
const DEFAULT_KID: &str = "k1";
/// The plaintext form secrets had before they were sealed (`whsec_…`).
pub const PLAINTEXT_PREFIX: &str = "whsec_";

/// The deployment's endpoint-secret keys: the first seals, all open.
pub struct SecretsKeys {
    keys: Vec<(String, Aes256Gcm)>,
}

impl std::fmt::Debug for SecretsKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<&str> = self.keys.iter().map(|(kid, _)| kid.as_str()).collect();
        write!(f, "SecretsKeys({kids:?})")
    }
}

fn bad_key(why: &str) -> Error {
    Error::internal(format!("ENDPOINT_SECRETS_KEY {why}"))
}

impl SecretsKeys {
    /// Reads `ENDPOINT_SECRETS_KEY`; a malformed value is an internal error naming what is wrong
    /// (never the key).
    pub fn parse(raw: &str) -> Result<Self> {
        let mut keys: Vec<(String, Aes256Gcm)> = Vec::new();
        for entry in raw.split(',').map(str::trim) {
            let (kid, b64) = entry.split_once(':').unwrap_or((DEFAULT_KID, entry));
            let kid = kid.trim();
            // The kid sits between dots in the stored form and in a SQL prefix: keep it plain.
            if kid.is_empty()
                || kid.len() > 16
                || !kid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                return Err(bad_key(
                    "has a key id that is not 1–16 of A–Z, a–z, 0–9, '-'",
                ));
            }
            if keys.iter().any(|(k, _)| k == kid) {
                return Err(bad_key("names a key id twice"));
            }
            let bytes = STANDARD
                .decode(b64.trim())
                .map_err(|_| bad_key("is not base64"))?;
            let cipher = Aes256Gcm::new_from_slice(&bytes)
                .ok()
                .filter(|_| bytes.len() == 32)
                .ok_or_else(|| bad_key("is not 32 bytes"))?;
            keys.push((kid.to_owned(), cipher));
        }
        if keys.is_empty() {
            return Err(bad_key("is empty"));
        }
        Ok(SecretsKeys { keys })
    }

    /// What every secret sealed under the current key starts with.
    pub fn current_prefix(&self) -> String {
        format!("{VERSION}.{}.", self.keys[0].0)
    }

    /// Seals `secret` for the endpoint `endpoint_id` under the current key.
    pub fn seal(
        &self,
        entropy: &dyn Entropy,
        endpoint_id: &str,
        secret: &Secret,
    ) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        entropy.fill(&mut nonce);
        let plain = secret.encoded();
        let sealed = self.keys[0]
            .1
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: endpoint_id.as_bytes(),
                },
            )
            .map_err(|e| {
                Error::internal_from(
                    "sealing an endpoint secret failed",
                    CauseText(e.to_string()),
                )
            })?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{}{}", self.current_prefix(), STANDARD.encode(out)))
    }

    /// Opens a stored secret of the endpoint `endpoint_id`. Only the sealed form opens: a
    /// plaintext row left from before sealing is refused (the cron re-seals it).
    pub fn open(&self, endpoint_id: &str, stored: &str) -> Result<Secret> {
        let fail = |why: &str| Error::internal(format!("endpoint {endpoint_id}: secret {why}"));
        let mut parts = stored.splitn(3, '.');
        let (Some(VERSION), Some(kid), Some(b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(fail("is not sealed"));
        };
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(k, _)| k == kid)
            .ok_or_else(|| fail("is sealed under a key that is not configured"))?;
        let bytes = STANDARD.decode(b64).map_err(|_| fail("is not base64"))?;
        if bytes.len() <= NONCE_LEN {
            return Err(fail("is too short"));
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: endpoint_id.as_bytes(),
                },
            )
            .map_err(|_| fail("does not open with this key for this endpoint"))?;
        let plain = String::from_utf8(plain).map_err(|_| fail("is not text"))?;
        Secret::parse(&plain)
    }

    /// A stored secret that is plaintext or sealed under a key other than the current one: the
    /// cron re-seals it. Opens it (a plaintext one is read as it is).
    pub fn reseal(&self, entropy: &dyn Entropy, endpoint_id: &str, stored: &str) -> Result<String> {
        let secret = if stored.starts_with(PLAINTEXT_PREFIX) {
            Secret::parse(stored)?
        } else {
            self.open(endpoint_id, stored)?
        };
        self.seal(entropy, endpoint_id, &secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SeededEntropy;

    const KEY_A: &str = "a2V5LWFrZXktYWtleS1ha2V5LWFrZXktYWtleS1hQUI="; // 32 bytes
    const KEY_B: &str = "a2V5LWJrZXktYmtleS1ia2V5LWJrZXktYmtleS1iQ0Q="; // 32 bytes

    fn secret() -> Secret {
        Secret::from_bytes(b"a brand endpoint's signing secret")
    }

    fn same(a: &Secret, b: &Secret) -> bool {
        a.sign("msg_1", 1, b"{}") == b.sign("msg_1", 1, b"{}")
    }

    #[test]
    fn a_sealed_secret_opens_for_its_endpoint_only() {
        let keys = SecretsKeys::parse(&format!("k7:{KEY_A}")).unwrap();
        let entropy = SeededEntropy::default();
        let sealed = keys.seal(&entropy, "ep-1", &secret()).unwrap();
        assert!(sealed.starts_with("v1.k7."), "{sealed}");
        assert!(!sealed.contains(PLAINTEXT_PREFIX));
        assert!(same(&keys.open("ep-1", &sealed).unwrap(), &secret()));
        // Another endpoint's id as associated data: it does not open.
        assert!(matches!(
            keys.open("ep-2", &sealed),
            Err(Error::Internal { .. })
        ));
        // Tampered: it does not open.
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(keys.open("ep-1", &tampered).is_err());
    }

    #[test]
    fn a_wrong_key_does_not_open_it() {
        let entropy = SeededEntropy::default();
        let sealed = SecretsKeys::parse(KEY_A)
            .unwrap()
            .seal(&entropy, "ep-1", &secret())
            .unwrap();
        assert!(sealed.starts_with("v1.k1."), "a bare key is k1: {sealed}");
        let other = SecretsKeys::parse(KEY_B).unwrap();
        assert!(other.open("ep-1", &sealed).is_err(), "same kid, other key");
        let unknown = SecretsKeys::parse(&format!("k2:{KEY_A}")).unwrap();
        assert!(
            unknown.open("ep-1", &sealed).is_err(),
            "a kid not configured"
        );
    }

    #[test]
    fn every_seal_has_its_own_nonce() {
        let keys = SecretsKeys::parse(KEY_A).unwrap();
        let entropy = SeededEntropy::default();
        let one = keys.seal(&entropy, "ep-1", &secret()).unwrap();
        let two = keys.seal(&entropy, "ep-1", &secret()).unwrap();
        assert_ne!(one, two);
        let nonce = |s: &str| STANDARD.decode(&s[6..]).unwrap()[..NONCE_LEN].to_vec();
        assert_ne!(nonce(&one), nonce(&two));
    }

    #[test]
    fn only_the_sealed_form_opens_and_plaintext_is_resealed() {
        let keys = SecretsKeys::parse(KEY_A).unwrap();
        let entropy = SeededEntropy::default();
        let plain = secret().encoded();
        assert!(
            keys.open("ep-1", &plain).is_err(),
            "plaintext is not accepted for signing"
        );
        let sealed = keys.reseal(&entropy, "ep-1", &plain).unwrap();
        assert!(same(&keys.open("ep-1", &sealed).unwrap(), &secret()));
    }

    #[test]
    fn a_rotation_opens_old_seals_and_reseals_them_under_the_new_key() {
        let entropy = SeededEntropy::default();
        let old = SecretsKeys::parse(&format!("k1:{KEY_A}")).unwrap();
        let sealed = old.seal(&entropy, "ep-1", &secret()).unwrap();
        let rotated = SecretsKeys::parse(&format!("k2:{KEY_B}, k1:{KEY_A}")).unwrap();
        assert_eq!(rotated.current_prefix(), "v1.k2.");
        assert!(same(&rotated.open("ep-1", &sealed).unwrap(), &secret()));
        let resealed = rotated.reseal(&entropy, "ep-1", &sealed).unwrap();
        assert!(resealed.starts_with("v1.k2."));
        assert!(same(&rotated.open("ep-1", &resealed).unwrap(), &secret()));
    }

    #[test]
    fn a_malformed_key_is_an_internal_error_that_does_not_show_it() {
        for raw in [
            "",
            "not base64!",
            "c2hvcnQ=",
            &format!("k1:{KEY_A},k1:{KEY_B}"),
            &format!("bad.kid:{KEY_A}"),
            &format!("{KEY_A},"),
        ] {
            match SecretsKeys::parse(raw) {
                Err(Error::Internal { context: why, .. }) => {
                    assert!(why.starts_with("ENDPOINT_SECRETS_KEY"), "{why}");
                    assert!(!why.contains(KEY_A) && !why.contains(KEY_B), "{why}");
                }
                other => panic!("{raw}: {other:?}"),
            }
        }
        let keys = SecretsKeys::parse(KEY_A).unwrap();
        assert_eq!(format!("{keys:?}"), "SecretsKeys([\"k1\"])");
    }
}
