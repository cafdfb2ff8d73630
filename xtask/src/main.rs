//! Project commands. `cargo xtask dev` runs the whole stack locally with the demo world;
//! `cargo xtask test` runs every check and test; `cargo xtask bench` measures sizes and latency;
//! `cargo xtask fuzz` runs the fuzz targets for long.

mod bench;
mod build;
mod crash;
mod docs;
mod first_operator;
mod fuzz;
mod lighthouse;
mod mailbox;
mod scale;
mod schemathesis;
mod seed;
mod stack;
mod test;
mod tools;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(args.iter().any(|a| a == "--fresh")),
        Some("test") => test::run(),
        // `--scale-only`: just the million cases against the floor (bench/SCALE.md).
        Some("bench") => tools::ensure(false)
            .and_then(|t| bench::run(&t, args.iter().any(|a| a == "--scale-only"))),
        // SIGKILLs the stack mid-webhooks and mid-outbox, restarts it, checks (bench/CRASH.md).
        Some("crash") => tools::ensure(false).and_then(|t| crash::run(&t)),
        Some("lighthouse") => tools::ensure(false).and_then(|t| lighthouse::run_all(&t)),
        Some("build") => tools::ensure(false).and_then(|t| build::all(&t)),
        // The SPA alone (dist/, with its service worker and headers), for work on the app.
        Some("build-app") => tools::ensure(false).and_then(|t| build::app(&t)),
        // Prints the demo world's SQL (what `dev` writes into local D1), for inspection.
        Some("seed-sql") => seed::demo_sql().map(|sql| print!("{sql}")),
        Some("first-operator") => first_operator::run(&args[1..]),
        Some("docs") => docs::run(),
        // Schemathesis against the OpenAPI document, as each role and with an API key.
        Some("schemathesis") => {
            tools::ensure(false).and_then(|t| schemathesis::run_all(&t, &args[1..]))
        }
        // Long libFuzzer runs of every untrusted parser (bench/FUZZ.md); nightly and cargo-fuzz.
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask <dev [--fresh] | test | bench [--scale-only] | crash | build | build-app | lighthouse | seed-sql | docs | schemathesis [--max-examples N] | fuzz [--minutes N | --cmin] [target] | first-operator --email E [--name N] [--remote --site URL]>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// `cargo xtask dev`: install what is missing, build, migrate and seed the local state once, then
/// serve everything on http://127.0.0.1:8787 until interrupted.
fn dev(fresh: bool) -> Result {
    let tools = tools::ensure(false)?;
    build::all(&tools)?;
    let state = stack::State::dev();
    if fresh {
        state.wipe()?;
    }
    stack::migrate(&tools, &state, None)?;
    if !state.is_seeded() {
        seed::apply(&tools, &state, None)?;
    }
    let server = stack::Wrangler::start(&tools, &state, stack::DEV_PORT, None)?;
    let simulator = stack::Simulator::start(
        &tools,
        stack::DEV_SIMULATOR_PORT,
        &server.base_url(),
        Some(20),
    )?;
    stack::tick_cron_every_minute(server.base_url());
    println!(
        "Emails (invitations, set-password links) are shown below as they are sent and kept in {}.",
        state.mailbox().display()
    );
    println!();
    println!("JointForce is running on {}", server.base_url());
    println!(
        "The marketplace simulator runs on {} and sends a flagged listing every 20 s.",
        simulator.url("")
    );
    println!("Demo sign-ins (password for all: {}):", seed::DEMO_PASSWORD);
    for (email, what) in seed::DEMO_LOGINS {
        println!("  {email:<26} {what}");
    }
    println!("Press Ctrl-C to stop.");
    server.wait()
}
