//! `cargo xtask schemathesis`: Schemathesis (PyPI) fuzzes the API from its own OpenAPI document,
//! signed in as each role and with an API key, on a fresh local stack of its own.

use crate::stack::{self, State, Wrangler, TEST_PORT, TEST_SIMULATOR_PORT};
use crate::tools::{run, Tools};
use crate::{bench, build, seed, Result};
use std::path::PathBuf;
use std::process::Command;

pub const SCHEMATHESIS: &str = "4.32.5";

/// wrangler.toml's environment for these runs: the test one with limits no run reaches.
const ENV: &str = "schemathesis";

/// The checks the issue names: no 5xx, and every answer on its documented schema.
const CHECKS: &str = "not_a_server_error,response_schema_conformance";

/// Who Schemathesis acts as, least powerful first: a run may disable users, remove members or
/// revoke keys (its links lead there), which would leave a later run of theirs only 401s.
const CALLERS: &[(&str, &str)] = &[
    ("brand viewer", "vera@aurelia.test"),
    ("brand agent", "arjun@aurelia.test"),
    ("review-lane admin", "nina@northwind.test"),
    ("brand admin", "alice@aurelia.test"),
    ("account manager", "am@marketplace.test"),
    ("operator", "ops@marketplace.test"),
];

/// Routes that would end the very session the run signs in with, so that everything after them
/// would only test the 401 answer.
/// (Their own tests cover them.)
const SESSION_ENDERS: &str =
    "^/api/v1/auth/logout$|^/api/v1/me/sessions/end-others$|^/api/v1/me/sessions/\\{session_id\\}$";

/// Schemathesis in a virtualenv under target/, at its pinned version (installed if missing).
fn ensure(tools: &Tools) -> Result<PathBuf> {
    let venv = tools.root.join("target/schemathesis");
    let bin = venv.join("bin/schemathesis");
    let version = Command::new(&bin).arg("--version").output();
    if version.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(SCHEMATHESIS)) {
        return Ok(bin);
    }
    println!("xtask: installing schemathesis {SCHEMATHESIS} (PyPI) into {venv:?}");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
        .map_err(|e| format!("{e}\nPython 3 with venv is needed for Schemathesis."))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        &format!("schemathesis=={SCHEMATHESIS}"),
    ]))?;
    Ok(bin)
}

/// One run's outcome, for the summary.
struct Outcome {
    caller: String,
    passed: bool,
    summary: String,
}

pub fn run_all(tools: &Tools, args: &[String]) -> Result {
    // `--max-examples N` per operation and phase; the default keeps a run near ten minutes.
    let max_examples = args
        .iter()
        .position(|a| a == "--max-examples")
        .and_then(|i| args.get(i + 1))
        .map_or(Ok(25), |n| n.parse::<u32>().map_err(|e| e.to_string()))?;
    let schemathesis = ensure(tools)?;
    build::all(tools)?;
    let state = State {
        dir: tools.root.join(".wrangler/schemathesis-state"),
    };
    state.wipe()?;
    stack::migrate(tools, &state, Some(ENV))?;
    seed::apply(tools, &state, Some(ENV))?;
    let server = Wrangler::start(tools, &state, TEST_PORT, Some(ENV))?;
    let _simulator = stack::Simulator::start(tools, TEST_SIMULATOR_PORT, &server.base_url(), None)?;
    let reports = tools.root.join("target/schemathesis-report");
    let base = server.base_url();

    // Every caller signs in before any run: the runs' failed password and link checks count
    // in the throttle for this one address (127.0.0.1), as a stranger's would.
    // Brand routes get a brand the caller can see (a random id is only ever 404).
    // So do a case and a right of that brand: the case's own routes then reach their logic.
    let mut callers = Vec::new();
    let alice = bench::sign_in(TEST_PORT, "alice@aurelia.test")?;
    let aurelia = scope_of(TEST_PORT, &alice, "Aurelia")?;
    for (label, email) in CALLERS {
        let token = bench::sign_in(TEST_PORT, email)?;
        let scope = if email.ends_with("@northwind.test") {
            scope_of(TEST_PORT, &token, "Northwind")?
        } else {
            aurelia.clone()
        };
        callers.push((label.to_string(), Auth::Session(token), scope));
    }
    let key = api_key(TEST_PORT, &alice, &aurelia[0].1)?;
    callers.insert(
        0,
        (
            "API key (read_write)".into(),
            Auth::Key(key),
            aurelia.clone(),
        ),
    );
    callers.insert(0, ("anonymous".into(), Auth::None, Vec::new()));

    std::fs::create_dir_all(&reports).map_err(|e| e.to_string())?;
    let mut outcomes = Vec::new();
    for (label, auth, scope) in &callers {
        let config = reports.join(format!("{}.toml", slug(label)));
        std::fs::write(&config, config_toml(auth, scope)).map_err(|e| e.to_string())?;
        outcomes.push(one_run(
            &schemathesis,
            &base,
            label,
            &config,
            max_examples,
            &reports,
        ));
    }

    drop(server);
    let whole = half_written(tools, &state);

    let mut md = format!(
        "# Schemathesis\n\nMade by `cargo xtask schemathesis` (Schemathesis {SCHEMATHESIS}, checks \
         `{CHECKS}`; phases examples, coverage, fuzzing and stateful over the document's links; \
         {max_examples} examples per operation and phase, {STATEFUL_SCENARIOS} stateful walks of up \
         to 12 steps) on a fresh demo world, one run per caller in this order.\n\n\
         | caller | result |\n|---|---|\n"
    );
    println!();
    println!("xtask: schemathesis {SCHEMATHESIS}, checks {CHECKS}, {max_examples} examples");
    for o in &outcomes {
        let mark = if o.passed { "ok  " } else { "FAIL" };
        println!("  {mark} {:<22} {}", o.caller, o.summary);
        md.push_str(&format!(
            "| {} | {} {} |\n",
            o.caller,
            mark.trim(),
            o.summary
        ));
    }
    let whole_line = match &whole {
        Ok(s) | Err(s) => s.clone(),
    };
    println!("xtask: after every run: {whole_line}");
    md.push_str(&format!("\nAfter every run, the database: {whole_line}.\n"));
    std::fs::write(tools.root.join("bench/SCHEMATHESIS.md"), md).map_err(|e| e.to_string())?;
    println!(
        "xtask: reports in {}; figures in bench/SCHEMATHESIS.md",
        reports.display()
    );
    whole?;
    if outcomes.iter().all(|o| o.passed) {
        Ok(())
    } else {
        Err("schemathesis found failures".into())
    }
}

/// How a run authenticates, by the document's own security schemes.
enum Auth {
    Session(String),
    Key(String),
    None,
}

/// Path parameters a run fills with real ids: `{brand_id}`, then a case and a right of it.
type Scope = Vec<(&'static str, String)>;

/// The caller's brand, one of its cases awaiting it (else any) and one of its rights.
fn scope_of(port: u16, token: &str, brand_name: &str) -> Result<Scope> {
    let brand = bench::brand_id(port, token, brand_name)?;
    let mut scope = vec![("brand_id", brand.clone())];
    let cases = |query: &str| -> Result<Option<String>> {
        let path = format!("/api/v1/brands/{brand}/cases?limit=1{query}");
        let page = bench::json(&bench::get(port, &path, Some(token))?.body);
        Ok(page["cases"][0]["id"].as_str().map(str::to_owned))
    };
    if let Some(case) = cases("&status=awaiting_brand")?.or(cases("")?) {
        scope.push(("case_id", case));
    }
    let rights = bench::json(
        &bench::get(
            port,
            &format!("/api/v1/brands/{brand}/ip-rights"),
            Some(token),
        )?
        .body,
    );
    if let Some(right) = rights["rights"][0]["id"].as_str() {
        scope.push(("right_id", right.to_owned()));
    }
    Ok(scope)
}

/// A run's config: its credentials per security scheme and the ids its paths take.
fn config_toml(auth: &Auth, scope: &Scope) -> String {
    let mut toml = match auth {
        Auth::Session(token) => format!("[auth.openapi.session]\napi_key = \"{token}\"\n"),
        Auth::Key(key) => format!("[auth.openapi.api_key]\nbearer = \"{key}\"\n"),
        Auth::None => String::new(),
    };
    if !scope.is_empty() {
        toml.push_str("\n[parameters]\n");
        for (name, id) in scope {
            toml.push_str(&format!("\"path.{name}\" = \"{id}\"\n"));
        }
    }
    // Longer walks along the links than the default: made things are then used, changed and
    // removed.
    toml.push_str(&format!(
        "\n[phases.stateful]\nmax-steps = 12\n\n[phases.stateful.generation]\nmax-examples = {}\n",
        STATEFUL_SCENARIOS
    ));
    toml
}

/// How many walks along the documented links each caller's stateful phase takes.
const STATEFUL_SCENARIOS: u32 = 150;

/// Cases whose history disagrees with them, after every run: a version without its event, a
/// status its latest move does not end in, or an outbox action without its case.
const HALF_WRITTEN: &str = "SELECT
    (SELECT count(*) FROM cases c
      WHERE c.version != (SELECT count(*) FROM case_events e WHERE e.case_id = c.id)) AS version_off,
    (SELECT count(*) FROM cases c
      WHERE c.status != coalesce((SELECT e.to_status FROM case_events e
                                   WHERE e.case_id = c.id AND e.to_status IS NOT NULL
                                   ORDER BY e.seq DESC LIMIT 1), '')) AS status_off,
    (SELECT count(*) FROM outbox o
      WHERE o.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = o.case_id)) AS stray_actions,
    (SELECT count(*) FROM cases) AS cases";

/// Runs `HALF_WRITTEN` on the stopped stack's database: every count but `cases` must be 0.
fn half_written(tools: &Tools, state: &State) -> Result<String> {
    let out = tools
        .command(tools.wrangler())
        .args(["d1", "execute", "DB", "--json", "--command", HALF_WRITTEN])
        .args(stack::local_args(state, Some(ENV)))
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("wrangler d1 execute said {text}: {e}"))?;
    let row = &json[0]["results"][0];
    let n = |k: &str| row[k].as_i64().unwrap_or(-1);
    let summary = format!(
        "{} cases; {} with a version off their events, {} with a status off their last move, \
         {} outbox actions without their case",
        n("cases"),
        n("version_off"),
        n("status_off"),
        n("stray_actions")
    );
    if n("version_off") == 0 && n("status_off") == 0 && n("stray_actions") == 0 {
        Ok(summary)
    } else {
        Err(format!("half-written: {summary}"))
    }
}

fn slug(caller: &str) -> String {
    caller
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn one_run(
    schemathesis: &PathBuf,
    base: &str,
    caller: &str,
    config: &std::path::Path,
    max_examples: u32,
    reports: &std::path::Path,
) -> Outcome {
    println!("xtask: schemathesis as {caller}");
    let slug = slug(caller);
    let out = Command::new(schemathesis)
        .arg("--config-file")
        .arg(config)
        .arg("run")
        .arg(format!("{base}/api/v1/openapi.json"))
        .args(["--checks", CHECKS])
        .args(["--phases", "examples,coverage,fuzzing,stateful"])
        .args(["--max-examples", &max_examples.to_string()])
        .args(["--workers", "2"])
        .args(["--seed", "14"])
        .args(["--request-timeout", "30"])
        .args(["--exclude-path-regex", SESSION_ENDERS])
        .args(["-H", &format!("Origin: {base}")])
        .args(["--report", "junit"])
        .arg("--report-junit-path")
        .arg(reports.join(format!("{slug}.xml")))
        .args(["--output-truncate", "true"])
        .env("NO_COLOR", "1")
        .output();
    match out {
        Err(e) => Outcome {
            caller: caller.to_owned(),
            passed: false,
            summary: format!("cannot run schemathesis: {e}"),
        },
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            let _ = std::fs::create_dir_all(reports);
            let _ = std::fs::write(reports.join(format!("{slug}.txt")), &text);
            if !out.status.success() {
                println!("{text}");
            }
            Outcome {
                caller: caller.to_owned(),
                passed: out.status.success(),
                summary: summary_line(&text),
            }
        }
    }
}

/// Schemathesis's closing tally, e.g. "312 generated, 310 passed, 2 failed".
fn summary_line(text: &str) -> String {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with("Test cases:") || l.contains(" passed") || l.contains("failed"))
        .unwrap_or("no summary line")
        .trim_matches('=')
        .trim()
        .to_owned()
}

/// A read-write API key of the brand admin's brand.
fn api_key(port: u16, admin: &str, brand: &str) -> Result<String> {
    let answer = bench::json_post(
        port,
        &format!("/api/v1/brands/{brand}/api-keys"),
        Some(admin),
        r#"{"name":"schemathesis","scope":"read_write"}"#,
    )?;
    bench::json(&answer.body)["secret"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no API key made: {} {}", answer.status, answer.body))
}
