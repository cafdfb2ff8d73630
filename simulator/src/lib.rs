//! A stand-in marketplace for JointForce: a real HTTP server that sends signed marketplace
//! events, answers listing lookups and carries out (and reports back on) JointForce's actions.

pub mod catalogue;
pub mod outbound;
pub mod server;
pub mod state;
pub mod trickle;
pub mod util;

use jf_core::webhook::Secret;
use state::Shared;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;
use tiny_http::Server;

/// The local dev secret both directions use unless the environment says otherwise.
pub const DEV_SECRET: &str = "whsec_am9pbnRmb3JjZS1sb2NhbC1kZXYtc2VjcmV0LTAwMDE=";

/// How many requests are served at once (a handler may wait on JointForce, which may call back).
const WORKERS: usize = 8;

/// How the simulator runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Interface to listen on.
    pub host: String,
    /// Port to listen on; 0 picks a free one.
    pub port: u16,
    /// JointForce's base URL; events go to `{jointforce_url}/api/v1/webhooks/marketplace`.
    pub jointforce_url: String,
    /// What the simulator signs its events with (`MARKETPLACE_WEBHOOK_SECRET`).
    pub webhook_secret: Secret,
    /// What JointForce signs actions and lookups with (`MARKETPLACE_ACTIONS_SECRET`).
    pub actions_secret: Secret,
    /// Dev only: send a flagged listing every this many seconds.
    pub trickle_secs: Option<u64>,
    /// How long after answering a takedown its result is sent.
    pub callback_delay: Duration,
    /// Whether to write a line to stderr for each event and action.
    pub log: bool,
}

impl Config {
    /// Listens on 127.0.0.1:`port`, both secrets the local dev one, no trickle.
    pub fn new(port: u16, jointforce_url: &str) -> Result<Self, String> {
        let dev = Secret::parse(DEV_SECRET).map_err(|e| format!("dev secret: {e}"))?;
        Ok(Config {
            host: "127.0.0.1".to_owned(),
            port,
            jointforce_url: jointforce_url.trim_end_matches('/').to_owned(),
            webhook_secret: dev.clone(),
            actions_secret: dev,
            trickle_secs: None,
            callback_delay: Duration::from_millis(300),
            log: true,
        })
    }

    /// Takes the secrets from `MARKETPLACE_WEBHOOK_SECRET` and `MARKETPLACE_ACTIONS_SECRET`
    /// where they are set.
    pub fn with_env_secrets(mut self) -> Result<Self, String> {
        for (var, slot) in [
            ("MARKETPLACE_WEBHOOK_SECRET", &mut self.webhook_secret),
            ("MARKETPLACE_ACTIONS_SECRET", &mut self.actions_secret),
        ] {
            if let Ok(raw) = std::env::var(var) {
                if !raw.trim().is_empty() {
                    *slot = Secret::parse(&raw).map_err(|e| format!("{var}: {e}"))?;
                }
            }
        }
        Ok(self)
    }
}

/// A running simulator; dropping it stops it.
pub struct Simulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Simulator {
    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://host:port`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for the workers (and the trickle) to finish.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        for handle in self.threads.drain(..) {
            let _ = handle.join();
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts listening and serving in background threads.
pub fn start(config: Config) -> Result<Simulator, String> {
    let server = Server::http((config.host.as_str(), config.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| "not listening on an IP address".to_owned())?;
    let server = Arc::new(server);
    let trickle = config.trickle_secs;
    let shared = Arc::new(Shared::new(config));
    let mut simulator = Simulator {
        addr,
        shared: Arc::clone(&shared),
        threads: Vec::new(),
    };
    for n in 0..WORKERS {
        let (shared, server) = (Arc::clone(&shared), Arc::clone(&server));
        let handle = thread::Builder::new()
            .name(format!("http-{n}"))
            .spawn(move || server::serve(&shared, &server))
            .map_err(|e| format!("cannot start a server thread: {e}"))?;
        simulator.threads.push(handle);
    }
    if let Some(secs) = trickle.filter(|&s| s > 0) {
        let shared = Arc::clone(&shared);
        let handle = thread::Builder::new()
            .name("trickle".to_owned())
            .spawn(move || trickle::run(&shared, Duration::from_secs(secs)))
            .map_err(|e| format!("cannot start the trickle thread: {e}"))?;
        simulator.threads.push(handle);
    }
    Ok(simulator)
}
