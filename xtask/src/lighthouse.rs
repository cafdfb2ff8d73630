//! `cargo xtask lighthouse`: Lighthouse 12.2.3 (mobile profile) in Debian's Chromium on the
//! sign-in page, the confirmation queue and a case file; reports go to `bench/lighthouse/`.

use crate::bench::{brand_id, get, json, sign_in};
use crate::stack::{State, Wrangler};
use crate::tools::{run, Tools};
use crate::{build, seed, stack, Result};
use std::path::Path;
use std::process::Command;

const LIGHTHOUSE: &str = "12.2.3";
const PORT: u16 = 8817;
const RUNS: usize = 3;
const CHROME_FLAGS: &str = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync";

/// Lighthouse lives in its own folder, installed only for this command (it is large).
fn ensure_lighthouse(root: &Path) -> Result<std::path::PathBuf> {
    let dir = root.join("tools/lighthouse");
    let installed = std::fs::read_to_string(dir.join("node_modules/lighthouse/package.json"))
        .ok()
        .map(|text| json(&text)["version"] == LIGHTHOUSE)
        .unwrap_or(false);
    if !installed {
        println!("xtask: installing lighthouse {LIGHTHOUSE}");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir))?;
    }
    Ok(dir.join("node_modules/lighthouse/cli/index.js"))
}

pub fn run_all(tools: &Tools) -> Result {
    let cli = ensure_lighthouse(&tools.root)?;
    if !Path::new("/usr/bin/chromium").exists() {
        return Err(
            "Chromium is missing: run `cargo xtask test` once as root, or apt install chromium"
                .into(),
        );
    }
    build::all(tools)?;
    let state = State {
        dir: tools.root.join(".wrangler/lighthouse-state"),
    };
    state.wipe()?;
    stack::migrate(tools, &state, Some("test"))?;
    seed::apply(tools, &state, Some("test"))?;
    let server = Wrangler::start(tools, &state, PORT, Some("test"))?;

    let cookie = sign_in(PORT, "alice@aurelia.test")?;
    let aurelia = brand_id(PORT, &cookie, "Aurelia")?;
    let cases = json(
        &get(
            PORT,
            &format!("/api/v1/brands/{aurelia}/cases?status=appealed&limit=1"),
            Some(&cookie),
        )?
        .body,
    );
    let case = cases["cases"][0]["id"]
        .as_str()
        .ok_or("the demo world has no appealed Aurelia case")?
        .to_owned();
    let pages = [
        ("sign-in", "/login".to_owned(), None),
        (
            "confirmation-queue",
            format!("/brands/{aurelia}/confirm"),
            Some(&cookie),
        ),
        (
            "case-file",
            format!("/brands/{aurelia}/cases/{case}"),
            Some(&cookie),
        ),
    ];
    let out = tools.root.join("bench/lighthouse");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut table = String::from(
        "# Lighthouse\n\nMade by `cargo xtask lighthouse`: Lighthouse 12.2.3, mobile profile (simulated \
         slow 4G, 4× CPU slowdown), Debian's Chromium, local `wrangler dev` (assets served \
         gzipped). After one warm-up run (not recorded), each page is measured 3 times; the median \
         run (by performance) is kept, the three performance scores in brackets. Full reports: the `.report.html` files here.\n\n\
         | page | performance (runs) | accessibility | best practices | first contentful paint | largest contentful paint | total blocking time |\n\
         |---|---|---|---|---|---|---|\n",
    );
    // One run first, not recorded: the first Chromium start on a machine pays for cold disk
    // caches (its binary, fonts), which says nothing about the app.
    run(tools
        .command("node")
        .arg(&cli)
        .arg(format!("http://127.0.0.1:{PORT}/login"))
        .args([
            "--quiet",
            "--only-categories=performance",
            "--output=json",
            &format!("--chrome-flags={CHROME_FLAGS}"),
        ])
        .arg(format!(
            "--output-path={}",
            out.join("warm-up.json").display()
        ))
        .env("CHROME_PATH", "/usr/bin/chromium"))?;
    let _ = std::fs::remove_file(out.join("warm-up.json"));
    for (name, path, session) in &pages {
        // Lighthouse varies from run to run: run it RUNS times and keep the median run (by
        // performance), as Lighthouse's own guidance on variability advises.
        let mut runs = Vec::new();
        for i in 0..RUNS {
            let base = out.join(format!("{name}-run{i}"));
            let mut cmd = tools.command("node");
            cmd.arg(&cli)
                .arg(format!("http://127.0.0.1:{PORT}{path}"))
                .args([
                    "--quiet",
                    "--only-categories=performance,accessibility,best-practices",
                    "--output=json",
                    "--output=html",
                    &format!("--chrome-flags={CHROME_FLAGS}"),
                ])
                .arg(format!("--output-path={}", base.display()))
                .env("CHROME_PATH", "/usr/bin/chromium");
            if let Some(token) = session {
                cmd.arg(format!(
                    "--extra-headers={{\"Cookie\":\"jf_session={token}\"}}"
                ));
            }
            run(&mut cmd)?;
            let json_path = base.with_extension("report.json");
            let report = json(
                &std::fs::read_to_string(&json_path)
                    .map_err(|e| format!("{}: {e}", json_path.display()))?,
            );
            // The JSON is large and repeats the HTML report: keep the scores, drop the file.
            let _ = std::fs::remove_file(&json_path);
            let performance = report["categories"]["performance"]["score"]
                .as_f64()
                .unwrap_or(0.0);
            runs.push((performance, base.with_extension("report.html"), report));
        }
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let all: Vec<String> = runs.iter().map(|r| format!("{:.0}", r.0 * 100.0)).collect();
        let (_, html, report) = runs.swap_remove(runs.len() / 2);
        std::fs::rename(&html, out.join(format!("{name}.report.html")))
            .map_err(|e| format!("{}: {e}", html.display()))?;
        for (_, other, _) in &runs {
            let _ = std::fs::remove_file(other);
        }
        let score = |c: &str| {
            report["categories"][c]["score"]
                .as_f64()
                .map(|s| format!("{:.0}", s * 100.0))
                .unwrap_or_else(|| "–".into())
        };
        let metric = |a: &str| {
            report["audits"][a]["displayValue"]
                .as_str()
                .unwrap_or("–")
                .replace('\u{a0}', " ")
        };
        let line = format!(
            "| {name} | {} ({}) | {} | {} | {} | {} | {} |\n",
            score("performance"),
            all.join(", "),
            score("accessibility"),
            score("best-practices"),
            metric("first-contentful-paint"),
            metric("largest-contentful-paint"),
            metric("total-blocking-time"),
        );
        print!("xtask: lighthouse {line}");
        table.push_str(&line);
    }
    drop(server);
    std::fs::write(out.join("SCORES.md"), table).map_err(|e| e.to_string())
}
