//! `cargo xtask bench`: what users feel, measured on a real local stack — transfer sizes of the
//! app's first load and of the Worker, sign-in latency, bulk filing, ingestion and draining
//! (`bench/RESULTS.md`), and the API's reads at a million cases against a floor (`bench/SCALE.md`).

mod scale;

use crate::stack::{State, Wrangler};
use crate::tools::Tools;
use crate::{build, seed, stack, Result};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

pub(crate) const BENCH_PORT: u16 = 8807;

pub fn gzipped_len(path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len())
}

/// The files `index.html` makes the browser fetch before the first screen: wasm, js and css.
pub fn first_load(dist: &Path) -> Result<Vec<(String, usize, usize)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        // index.html too: it carries the inlined `session.js`.
        if ([".wasm", ".js", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext))
            && !name.starts_with("sw"))
            || name == "index.html"
        {
            let raw = std::fs::metadata(&path).map_err(|e| e.to_string())?.len() as usize;
            files.push((name, raw, gzipped_len(&path)?));
        }
    }
    files.sort();
    Ok(files)
}

/// An answer: status, body, and the time to the full answer.
pub struct Answer {
    pub status: u16,
    pub body: String,
    took: Duration,
}

/// One request over a fresh connection (HTTP/1.1, `Connection: close`). A failure names the
/// request: a bench runs thousands, and an error alone would not say which.
fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Result<Answer> {
    exchange(port, method, path, headers, body)
        .map_err(|e| format!("{method} http://127.0.0.1:{port}{path}: {e}"))
}

fn exchange(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Result<Answer> {
    let started = Instant::now();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    s.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
    s.write_all(body).map_err(|e| e.to_string())?;
    let raw = read_answer(&mut s)?;
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    Ok(Answer { status, body, took })
}

/// Reads one HTTP/1.1 answer whole (workerd may keep the connection open after it).
fn read_answer(s: &mut std::net::TcpStream) -> Result<Vec<u8>> {
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(raw);
        }
        raw.extend_from_slice(&buf[..n]);
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
        let body = &raw[end + 4..];
        let length = head.lines().find_map(|l| {
            l.strip_prefix("content-length:")
                .and_then(|v| v.trim().parse::<usize>().ok())
        });
        let no_body = head.starts_with("http/1.1 204") || head.starts_with("http/1.1 304");
        let complete = match length {
            _ if no_body => true,
            Some(n) => body.len() >= n,
            None if head.contains("transfer-encoding: chunked") => body.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            return Ok(raw);
        }
    }
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

pub(crate) fn json_post(port: u16, path: &str, cookie: Option<&str>, body: &str) -> Result<Answer> {
    let mut headers = vec![("Content-Type", "application/json".to_owned())];
    if let Some(c) = cookie {
        headers.push(("Cookie", format!("jf_session={c}")));
    }
    request(port, "POST", path, &headers, body.as_bytes())
}

pub fn get(port: u16, path: &str, cookie: Option<&str>) -> Result<Answer> {
    let headers: Vec<(&str, String)> = cookie
        .map(|c| ("Cookie", format!("jf_session={c}")))
        .into_iter()
        .collect();
    request(port, "GET", path, &headers, b"")
}

/// Signs in and returns the session token.
pub fn sign_in(port: u16, email: &str) -> Result<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    let body = format!(
        r#"{{"email":"{email}","password":"{}"}}"#,
        seed::DEMO_PASSWORD
    );
    write!(
        s,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let answer = read_answer(&mut s)
        .map_err(|e| format!("signing {email} in on http://127.0.0.1:{port}: {e}"))?;
    let raw = String::from_utf8_lossy(&answer).into_owned();
    raw.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: jf_session=")
                .then(|| {
                    l["set-cookie: jf_session=".len()..]
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .to_owned()
                })
        })
        .ok_or_else(|| {
            let status = raw.lines().next().unwrap_or("no answer");
            let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
            format!("sign-in as {email} failed: {status} {body}")
        })
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

pub(crate) fn stats(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    (
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
    )
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub fn run(tools: &Tools, scale_only: bool) -> Result {
    build::all(tools)?;
    let at_scale = scale::run(
        tools,
        &crate::scale::Scale::MILLION,
        &crate::scale::Scale::TEN_THOUSAND,
    )?;
    let dir = tools.root.join("bench");
    std::fs::write(
        dir.join("SCALE.md"),
        format!("# Benchmarks at scale\n\nMade by `cargo xtask bench` on this machine (2 cores), local `wrangler dev`.\n{at_scale}"),
    )
    .map_err(|e| e.to_string())?;
    println!("{at_scale}");
    if scale_only {
        return Ok(());
    }
    let dist = tools.root.join("dist");
    let app = first_load(&dist)?;
    let app_total: usize = app.iter().map(|f| f.2).sum();
    let worker_wasm = tools.root.join("worker/build/index_bg.wasm");
    let worker_gz = gzipped_len(&worker_wasm)?;

    let state = State {
        dir: tools.root.join(".wrangler/bench-state"),
    };
    state.wipe()?;
    stack::migrate(tools, &state, Some("test"))?;
    seed::apply(tools, &state, Some("test"))?;
    let server = Wrangler::start(tools, &state, BENCH_PORT, Some("test"))?;
    // The test configuration's simulator port, so the Worker's MARKETPLACE_* vars reach it.
    let simulator =
        stack::Simulator::start(tools, stack::TEST_SIMULATOR_PORT, &server.base_url(), None)?;
    let body = format!(
        r#"{{"email":"alice@aurelia.test","password":"{}"}}"#,
        seed::DEMO_PASSWORD
    );
    for _ in 0..3 {
        json_post(BENCH_PORT, "/api/v1/auth/login", None, &body)?; // warm-up
    }
    let mut times = Vec::new();
    for _ in 0..40 {
        let a = json_post(BENCH_PORT, "/api/v1/auth/login", None, &body)?;
        if a.status != 200 {
            return Err(format!(
                "sign-in answered {} during the benchmark",
                a.status
            ));
        }
        times.push(a.took);
    }
    times.sort();
    let cases = case_benchmarks(&simulator)?;
    drop(simulator);
    drop(server);

    let mut report = String::from("# Benchmarks\n\nMade by `cargo xtask bench` on this machine (2 cores), local `wrangler dev`.\n\n");
    // Kept by every rewrite: the crash run has its own command and file.
    report.push_str(
        "Crash safety (the stack SIGKILLed mid-webhooks and mid-outbox, restarted on the same state):\n\
         `cargo xtask crash` writes its figures to [CRASH.md](CRASH.md).\n\n",
    );
    report.push_str(
        "## App first load (gzip -9)\n\n| file | raw bytes | gzipped bytes |\n|---|---|---|\n",
    );
    for (name, raw, gz) in &app {
        report.push_str(&format!("| {name} | {raw} | {gz} |\n"));
    }
    report.push_str(&format!(
        "| **total** | | **{app_total}** ({:.1} KB; ceiling {} KB, budget 300 KB: `bench/APP-SIZE.md`) |\n\n",
        app_total as f64 / 1000.0,
        crate::test::FIRST_LOAD_BUDGET / 1000
    ));
    report.push_str(&format!(
        "## Worker\n\nwasm {} bytes raw, {} bytes gzipped ({:.1} KB).\n\n",
        std::fs::metadata(&worker_wasm)
            .map(|m| m.len())
            .unwrap_or(0),
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
    report.push_str(&cases);
    let dir = tools.root.join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("RESULTS.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

const STATEMENT: &str =
    "Counterfeit: the logo, stitching and serial plate differ from our genuine product.";

fn bulk_csv(prefix: &str, right: &str, rows: usize) -> String {
    let mut s = String::from("listing,ip_right,reason,statement,evidence_urls\n");
    for i in 0..rows {
        s.push_str(&format!("{prefix}-{i},{right},counterfeit,\"{STATEMENT}\",https://brand-evidence.example/{i}.jpg\n"));
    }
    s
}

pub fn brand_id(port: u16, cookie: &str, name: &str) -> Result<String> {
    let me = json(&get(port, "/api/v1/me", Some(cookie))?.body);
    me["memberships"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["brand_name"] == name))
        .and_then(|m| m["brand_id"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("no membership in {name}"))
}

fn bulk(port: u16, cookie: &str, brand: &str, csv: &str) -> Result<Answer> {
    let headers = [
        ("Content-Type", "text/csv".to_owned()),
        ("Cookie", format!("jf_session={cookie}")),
    ];
    let a = request(
        port,
        "POST",
        &format!("/api/v1/brands/{brand}/reports/bulk"),
        &headers,
        csv.as_bytes(),
    )?;
    if a.status != 201 {
        return Err(format!(
            "bulk filing answered {}: {:.300}",
            a.status, a.body
        ));
    }
    Ok(a)
}

/// Bulk filing, the case list at 10,000 cases, flag ingestion, and draining 1,000 actions.
fn case_benchmarks(sim: &stack::Simulator) -> Result<String> {
    let port = BENCH_PORT;
    let mut out = String::new();

    // 10 bulk files of 1,000 rows into Northwind (review lane): 10,000 cases.
    let nina = sign_in(port, "nina@northwind.test")?;
    let northwind = brand_id(port, &nina, "Northwind")?;
    let mut bulk_times = Vec::new();
    for n in 0..10 {
        bulk_times.push(
            bulk(
                port,
                &nina,
                &northwind,
                &bulk_csv(&format!("NW{n}"), "US-TM-5123456", 1000),
            )?
            .took,
        );
    }
    let (p50, _, max) = stats(bulk_times);
    out.push_str(&format!("\n## Bulk filing (1,000 rows of CSV, all checked, one atomic write)\n\np50 {p50:.0} ms, max {max:.0} ms over 10 files.\n"));

    // The case list with 10,000+ cases: first page, a status filter, a text search, a deep page.
    let mut list = Vec::new();
    let mut search = Vec::new();
    for i in 0..30 {
        list.push(
            get(
                port,
                &format!("/api/v1/brands/{northwind}/cases?limit=25"),
                Some(&nina),
            )?
            .took,
        );
        search.push(
            get(
                port,
                &format!(
                    "/api/v1/brands/{northwind}/cases?q=NW{}-{}&limit=25",
                    i % 10,
                    100 + i
                ),
                Some(&nina),
            )?
            .took,
        );
    }
    let (lp50, lp99, _) = stats(list);
    let (sp50, sp99, _) = stats(search);
    out.push_str(&format!(
        "\n## Case list at 10,000 cases (Northwind, local D1)\n\nfirst page: p50 {lp50:.1} ms, p99 {lp99:.1} ms; text search: p50 {sp50:.1} ms, p99 {sp99:.1} ms.\n"
    ));

    // Sustained listing.flagged ingestion: 4 senders × 100 signed events.
    let secret =
        jf_core::webhook::Secret::parse("whsec_am9pbnRmb3JjZS1sb2NhbC1kZXYtc2VjcmV0LTAwMDE=")
            .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let secret = secret.clone();
            std::thread::spawn(move || -> Result<Vec<Duration>> {
                let mut times = Vec::new();
                for i in 0..100 {
                    let id = format!("bench_{t}_{i}");
                    let body = serde_json::json!({ "type": "listing.flagged", "timestamp": "2026-11-28T00:00:00Z", "data": {
                        "brand_ref": "BR-AURELIA",
                        "listing": { "listing_id": format!("BENCH-{t}-{i}"), "url": format!("https://market.example/item/BENCH-{t}-{i}"),
                                     "title": format!("Bench listing {t}-{i}"), "price": { "amount": "10.00", "currency": "EUR" },
                                     "image_url": null, "seller": { "seller_id": "SEL-B", "name": "Bench Seller" } },
                        "detection": { "score": 0.9, "signals": ["logo_mismatch"] } } })
                    .to_string();
                    let ts = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs() as i64;
                    let headers = [
                        ("Content-Type", "application/json".to_owned()),
                        ("webhook-id", id.clone()),
                        ("webhook-timestamp", ts.to_string()),
                        ("webhook-signature", secret.sign(&id, ts, body.as_bytes())),
                    ];
                    let a = request(port, "POST", "/api/v1/webhooks/marketplace", &headers, body.as_bytes())?;
                    if a.status != 200 {
                        return Err(format!("webhook answered {}: {}", a.status, a.body));
                    }
                    times.push(a.took);
                }
                Ok(times)
            })
        })
        .collect();
    let mut times = Vec::new();
    for h in handles {
        times.extend(
            h.join()
                .map_err(|_| "sender thread panicked".to_owned())??,
        );
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n = times.len();
    let (p50, p99, _) = stats(times);
    out.push_str(&format!(
        "\n## listing.flagged ingestion (4 concurrent senders, {n} signed events, each a new case)\n\n{:.0} events/s; latency p50 {p50:.1} ms, p99 {p99:.1} ms.\n",
        n as f64 / elapsed
    ));

    // Draining 1,000 queued actions: file them while the marketplace is down, then bring it back.
    let sim_port = sim.port;
    request(
        sim_port,
        "POST",
        "/__mode",
        &[("Content-Type", "application/json".to_owned())],
        br#"{"mode":"down"}"#,
    )?;
    let alice = sign_in(port, "alice@aurelia.test")?;
    let aurelia = brand_id(port, &alice, "Aurelia")?;
    bulk(
        port,
        &alice,
        &aurelia,
        &bulk_csv("DRAIN", "EUTM-018234567", 1000),
    )?;
    std::thread::sleep(Duration::from_secs(2));
    request(
        sim_port,
        "POST",
        "/__mode",
        &[("Content-Type", "application/json".to_owned())],
        br#"{"mode":"normal"}"#,
    )?;
    // The first chunk was tried at once and waits out its 1-minute backoff: skip past it.
    json_post(port, "/api/__test/clock", None, r#"{"offset_ms":120000}"#)?;
    let started = Instant::now();
    let takedowns = || -> Result<usize> {
        let actions = json(&get(sim_port, "/__actions", None)?.body);
        Ok(actions.as_array().map_or(0, |a| {
            a.iter()
                .filter(|x| {
                    x["type"] == "listing.takedown"
                        && x["status"] == 200
                        && x["data"]["listing_id"]
                            .as_str()
                            .is_some_and(|l| l.starts_with("DRAIN"))
                })
                .count()
        }))
    };
    let mut runs = 0;
    while takedowns()? < 1000 && started.elapsed() < Duration::from_secs(600) {
        get(port, "/__scheduled?cron=*+*+*+*+*", None)?;
        runs += 1;
    }
    let drained = takedowns()?;
    json_post(port, "/api/__test/clock", None, r#"{"offset_ms":0}"#)?;
    out.push_str(&format!(
        "\n## Draining 1,000 queued actions (marketplace back after an outage)\n\n{drained} delivered in {:.1} s over {runs} cron runs (800 sends a run at most).\n",
        started.elapsed().as_secs_f64()
    ));
    Ok(out)
}
