//! Bearer secrets (session cookies, invitation links, API keys): high-entropy, and stored only as
//! their SHA-256.

use crate::clock::Entropy;
use base64::Engine;
use sha2::{Digest, Sha256};

/// A fresh secret: 32 random bytes, base64url without padding.
pub fn generate(entropy: &dyn Entropy) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(entropy.bytes32())
}

/// What the database keeps instead of the secret.
pub fn digest(secret: &str) -> String {
    let d = Sha256::digest(secret.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SeededEntropy;

    #[test]
    fn tokens_are_long_distinct_and_hashed() {
        let e = SeededEntropy::default();
        let (a, b) = (generate(&e), generate(&e));
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
    }
}
