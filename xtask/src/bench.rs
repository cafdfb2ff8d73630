//! `cargo xtask bench`: what users feel, measured on a real local stack — transfer sizes of the
//! app's first load and of the Worker, and sign-in latency. Results go to `bench/RESULTS.md`.

use crate::stack::{State, Wrangler};
use crate::tools::Tools;
use crate::{build, seed, stack, Result};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

const BENCH_PORT: u16 = 8807;

fn gzipped_len(path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len())
}

/// The files `index.html` makes the browser fetch before the first screen: wasm, js and css.
fn first_load(dist: &Path) -> Result<Vec<(String, usize, usize)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if [".wasm", ".js", ".css"].iter().any(|ext| name.ends_with(ext)) && !name.starts_with("sw") {
            let raw = std::fs::metadata(&path).map_err(|e| e.to_string())?.len() as usize;
            files.push((name, raw, gzipped_len(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// One POST over a fresh connection; returns the status and the time to the full answer.
fn post_json(port: u16, path: &str, body: &str) -> Result<(u16, Duration)> {
    let started = Instant::now();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let status = answer.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((status, started.elapsed()))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub fn run(tools: &Tools) -> Result {
    build::all(tools)?;
    let dist = tools.root.join("dist");
    let app = first_load(&dist)?;
    let app_total: usize = app.iter().map(|f| f.2).sum();
    let worker_wasm = tools.root.join("worker/build/index_bg.wasm");
    let worker_gz = gzipped_len(&worker_wasm)?;

    let state = State { dir: tools.root.join(".wrangler/bench-state") };
    state.wipe()?;
    stack::migrate(tools, &state, Some("test"))?;
    seed::apply(tools, &state, Some("test"))?;
    let server = Wrangler::start(tools, &state, BENCH_PORT, Some("test"))?;
    let body = format!(r#"{{"email":"alice@aurelia.test","password":"{}"}}"#, seed::DEMO_PASSWORD);
    for _ in 0..3 {
        post_json(BENCH_PORT, "/api/v1/auth/login", &body)?; // warm-up
    }
    let mut times = Vec::new();
    for _ in 0..40 {
        let (status, t) = post_json(BENCH_PORT, "/api/v1/auth/login", &body)?;
        if status != 200 {
            return Err(format!("sign-in answered {status} during the benchmark"));
        }
        times.push(t);
    }
    drop(server);
    times.sort();

    let mut report = String::from("# Benchmarks\n\nMade by `cargo xtask bench` on this machine (2 cores), local `wrangler dev`.\n\n");
    report.push_str("## App first load (gzip -9)\n\n| file | raw bytes | gzipped bytes |\n|---|---|---|\n");
    for (name, raw, gz) in &app {
        report.push_str(&format!("| {name} | {raw} | {gz} |\n"));
    }
    report.push_str(&format!("| **total** | | **{app_total}** ({:.1} KB; budget 180 KB) |\n\n", app_total as f64 / 1024.0));
    report.push_str(&format!(
        "## Worker\n\nwasm {} bytes raw, {} bytes gzipped ({:.1} KB).\n\n",
        std::fs::metadata(&worker_wasm).map(|m| m.len()).unwrap_or(0),
        worker_gz,
        worker_gz as f64 / 1024.0
    ));
    report.push_str(&format!(
        "## Sign-in latency (Argon2id m=19 MiB t=2 p=1 in workerd), {} sequential requests\n\np50 {:.1} ms, p95 {:.1} ms, max {:.1} ms\n",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 1.0)
    ));
    let dir = tools.root.join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("RESULTS.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}
