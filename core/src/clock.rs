//! Time and identity sources, passed in so rules about time are testable and nothing random runs
//! at module scope.

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

pub trait Clock {
    fn now(&self) -> Millis;
}

/// Source of fresh randomness (ids, tokens, salts).
pub trait Entropy {
    fn fill(&self, buf: &mut [u8]);

    fn bytes32(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        self.fill(&mut b);
        b
    }

    fn uuid(&self) -> uuid::Uuid {
        let mut b = [0u8; 16];
        self.fill(&mut b);
        uuid::Builder::from_random_bytes(b).into_uuid()
    }
}

/// A clock that stands still until told to move: for tests.
#[derive(Debug, Default)]
pub struct FixedClock(pub std::cell::Cell<Millis>);

impl FixedClock {
    pub fn at(ms: Millis) -> Self {
        FixedClock(std::cell::Cell::new(ms))
    }
    pub fn advance(&self, by: Millis) {
        self.0.set(self.0.get() + by);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Millis {
        self.0.get()
    }
}

/// Deterministic entropy (a counter hashed with SHA-256): for tests and the demo seed.
#[derive(Debug, Default)]
pub struct SeededEntropy(pub std::cell::Cell<u64>);

impl Entropy for SeededEntropy {
    fn fill(&self, buf: &mut [u8]) {
        use sha2::Digest;
        for chunk in buf.chunks_mut(32) {
            let n = self.0.get();
            self.0.set(n + 1);
            let digest = sha2::Sha256::digest(n.to_le_bytes());
            chunk.copy_from_slice(&digest[..chunk.len()]);
        }
    }
}
