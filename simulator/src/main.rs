//! `jf-simulator`: runs the stand-in marketplace until interrupted.

use jf_simulator::{start, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: jf-simulator [--port 8788] [--jointforce-url http://127.0.0.1:8787] \
[--trickle-secs N]

Plays the marketplace for JointForce in local dev and tests. Secrets come from
MARKETPLACE_WEBHOOK_SECRET (events it signs) and MARKETPLACE_ACTIONS_SECRET (actions and
lookups it verifies), both defaulting to the local dev secret. --trickle-secs N (dev only)
sends a flagged listing every N seconds and now and then an appeal.";

struct Args {
    port: u16,
    jointforce_url: String,
    trickle_secs: Option<u64>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        port: 8788,
        jointforce_url: "http://127.0.0.1:8787".to_owned(),
        trickle_secs: None,
    };
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        if name == "--help" || name == "-h" {
            return Err(String::new());
        }
        if !["--port", "--jointforce-url", "--trickle-secs"].contains(&name.as_str()) {
            return Err(format!("unknown option {name}"));
        }
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("{name} needs a value")),
        };
        match name.as_str() {
            "--port" => {
                parsed.port = value
                    .parse()
                    .map_err(|_| format!("--port: not a port: {value}"))?;
            }
            "--jointforce-url" => parsed.jointforce_url = value,
            "--trickle-secs" => {
                let secs: u64 = value
                    .parse()
                    .map_err(|_| format!("--trickle-secs: not a number: {value}"))?;
                parsed.trickle_secs = (secs > 0).then_some(secs);
            }
            _ => return Err(format!("unknown option {name}")),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("jf-simulator: {problem}");
            }
            eprintln!("{USAGE}");
            return if problem.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let config = Config::new(args.port, &args.jointforce_url).and_then(Config::with_env_secrets);
    let mut config = match config {
        Ok(config) => config,
        Err(problem) => {
            eprintln!("jf-simulator: {problem}");
            return ExitCode::FAILURE;
        }
    };
    config.trickle_secs = args.trickle_secs;
    let jointforce = config.jointforce_url.clone();
    let simulator = match start(config) {
        Ok(simulator) => simulator,
        Err(problem) => {
            eprintln!("jf-simulator: {problem}");
            return ExitCode::FAILURE;
        }
    };
    let trickle = args
        .trickle_secs
        .map(|s| format!(", trickle every {s}s"))
        .unwrap_or_default();
    println!(
        "jf-simulator listening on {} (JointForce at {jointforce}{trickle})",
        simulator.url()
    );
    loop {
        std::thread::park();
    }
}
