//! Password hashing: Argon2id at OWASP's minimum (19 MiB, t=2, p=1), PHC strings in storage.

use crate::clock::Entropy;
use crate::error::CauseText;
use crate::{Error, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| Error::internal_from("argon2 params", CauseText(e.to_string())))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash(password: &str, entropy: &dyn Entropy) -> Result<String> {
    let mut salt = [0u8; 16];
    entropy.fill(&mut salt);
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::internal_from("salt", CauseText(e.to_string())))?;
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal_from("hash", CauseText(e.to_string())))
}

/// A stored hash of a random password that nobody knows, with the same parameters as real ones:
/// checking an unknown email against it costs the same time as checking a real account.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$AAECAwQFBgcICQoLDA0ODw$A+6U3n+6Y1oXtQJDsCv2i2rmBZ/fd3xYT0lZ1lUzV7k";

/// True when `password` matches `stored`. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SeededEntropy;

    #[test]
    fn hashes_verify_and_use_owasp_parameters() {
        let h = hash("jointforce-demo", &SeededEntropy::default()).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("jointforce-demo", &h));
        assert!(!verify("jointforce-demO", &h));
        assert!(!verify("jointforce-demo", "not a hash"));
    }

    #[test]
    fn dummy_hash_is_well_formed_with_the_same_cost() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(DUMMY_HASH.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!verify("", DUMMY_HASH));
    }
}
