//! What the simulated marketplace remembers: its mode, catalogue, actions received and events sent.

use crate::catalogue::{Catalogue, Seller};
use crate::Config;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How the marketplace behaves, switched by `POST /__mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Every takedown is answered 200, then reported failed.
    FailTakedowns,
    /// Every non-control route answers 503 and no event is sent on its own.
    Down,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "normal" => Some(Mode::Normal),
            "fail_takedowns" => Some(Mode::FailTakedowns),
            "down" => Some(Mode::Down),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Normal => "normal",
            Mode::FailTakedowns => "fail_takedowns",
            Mode::Down => "down",
        }
    }
}

/// One request to `POST /actions`, as `GET /__actions` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ActionRecord {
    pub webhook_id: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub data: Value,
    pub verified: bool,
    pub duplicate: bool,
    /// The HTTP status the simulator answered.
    pub status: u16,
}

/// One event the simulator sent (or tried to send) to JointForce, as `GET /__events` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct EventRecord {
    pub webhook_id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: Value,
    /// JointForce's HTTP status for the last attempt, if it answered at all.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub attempts: u32,
}

/// A listing this marketplace took down, which its seller may appeal.
#[derive(Clone, Debug)]
pub struct TakenDown {
    pub listing_id: String,
    pub brand_ref: String,
    pub seller: Seller,
}

#[derive(Debug)]
pub struct World {
    pub mode: Mode,
    pub catalogue: Catalogue,
    /// (brand_ref, listing_id) pairs already flagged to JointForce.
    pub flagged: HashSet<(String, String)>,
    pub actions: Vec<ActionRecord>,
    /// Idempotency keys of the actions already carried out.
    pub seen_keys: HashSet<String>,
    pub events: Vec<EventRecord>,
    pub taken_down: Vec<TakenDown>,
    /// Listings already appealed (each at most once).
    pub appealed: HashSet<String>,
}

impl World {
    pub fn new() -> Self {
        World {
            mode: Mode::Normal,
            catalogue: Catalogue::built_in(),
            flagged: HashSet::new(),
            actions: Vec::new(),
            seen_keys: HashSet::new(),
            events: Vec::new(),
            taken_down: Vec::new(),
            appealed: HashSet::new(),
        }
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// Everything the server, callback and trickle threads share.
pub struct Shared {
    pub config: Config,
    pub agent: ureq::Agent,
    pub stop: AtomicBool,
    world: Mutex<World>,
}

impl Shared {
    pub fn new(config: Config) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .build();
        Shared {
            config,
            agent,
            stop: AtomicBool::new(false),
            world: Mutex::new(World::new()),
        }
    }

    /// The world, even if a thread panicked while holding it (its data stays usable).
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn mode(&self) -> Mode {
        self.world().mode
    }

    pub fn log(&self, line: &str) {
        if self.config.log {
            eprintln!("[jf-simulator] {line}");
        }
    }
}
