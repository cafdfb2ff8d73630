//! The bench at a marketplace's scale: a million cases seeded into local D1, the API's reads
//! measured on it and then the floor's (`bench/floor/`, a bare JavaScript Worker on the same
//! state), each read's p50 stated as a multiple of its floor's.

use super::{get, json, sign_in, stats, BENCH_PORT};
use crate::scale::{self, Scale, ScaleBrand};
use crate::stack::{self, State, Wrangler};
use crate::tools::Tools;
use crate::Result;
use std::time::{Duration, Instant};

/// Samples per read and server (after warm-up requests that are not counted).
const SAMPLES: usize = 40;
const WARM_UP: usize = 5;

/// A read measured on both servers: what it is, for which brand, and its path.
struct Read {
    what: &'static str,
    brand: String,
    path: String,
    cookie: String,
}

/// The reads of one brand: the case list (plain, by status, searched by a listing id and by
/// words), a case file, and the dashboard.
fn reads_of(port: u16, b: &ScaleBrand, label: &str) -> Result<Vec<Read>> {
    let cookie = sign_in(port, &b.admin_email)?;
    let id = &b.id;
    let page = json(
        &get(
            port,
            &format!("/api/v1/brands/{id}/cases?limit=25"),
            Some(&cookie),
        )?
        .body,
    );
    let first = &page["cases"][0];
    let case_id = first["id"]
        .as_str()
        .ok_or_else(|| format!("{label} has no cases: {page}"))?;
    let listing = first["listing_id"].as_str().unwrap_or_default();
    let brand = format!("{label} ({} cases)", b.cases);
    let read = |what, path: String| Read {
        what,
        brand: brand.clone(),
        path,
        cookie: cookie.clone(),
    };
    Ok(vec![
        read(
            "case list, first page",
            format!("/api/v1/brands/{id}/cases?limit=25"),
        ),
        read(
            "case list, status awaiting_brand",
            format!("/api/v1/brands/{id}/cases?limit=25&status=awaiting_brand"),
        ),
        read(
            "case list, status taken_down",
            format!("/api/v1/brands/{id}/cases?limit=25&status=taken_down"),
        ),
        read(
            "case list, search by listing id",
            format!("/api/v1/brands/{id}/cases?limit=25&q={listing}"),
        ),
        read(
            "case list, search by words",
            format!("/api/v1/brands/{id}/cases?limit=25&q=silk%20scarf"),
        ),
        read("case file", format!("/api/v1/brands/{id}/cases/{case_id}")),
        read("dashboard", format!("/api/v1/brands/{id}/dashboard")),
    ])
}

/// The p50 of each read on the server at `port`, in milliseconds.
fn p50s(port: u16, reads: &[Read]) -> Result<Vec<f64>> {
    reads
        .iter()
        .map(|r| {
            let mut times: Vec<Duration> = Vec::new();
            for n in 0..WARM_UP + SAMPLES {
                let a = get(port, &r.path, Some(&r.cookie))?;
                if a.status != 200 {
                    return Err(format!("{} answered {}: {:.300}", r.path, a.status, a.body));
                }
                if n >= WARM_UP {
                    times.push(a.took);
                }
            }
            Ok(stats(times).0)
        })
        .collect()
}

pub fn run(tools: &Tools, world: &Scale) -> Result<String> {
    let state = State {
        dir: tools.root.join(".wrangler/scale-state"),
    };
    state.wipe()?;
    stack::migrate(tools, &state, Some("test"))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    let started = Instant::now();
    let brands = scale::seed(&state, world, now)?;
    let seeded = started.elapsed().as_secs_f64();
    let file = scale::d1_file(&state)?;
    let bytes = std::fs::metadata(&file).map_err(|e| e.to_string())?.len();
    let tables = scale::storage_by_table(&file)?;

    let api = Wrangler::start(tools, &state, BENCH_PORT, Some("test"))?;
    let mut reads = reads_of(BENCH_PORT, &brands[0], "largest brand")?;
    let typical = brands.get(1).ok_or("the world has one brand only")?;
    reads.extend(reads_of(BENCH_PORT, typical, "typical brand")?);
    let ours = p50s(BENCH_PORT, &reads)?;
    drop(api);
    // The same sessions are rows in the same database: the floor finds them as the API did.
    let floor = Wrangler::start_floor(tools, &state, BENCH_PORT)?;
    let floors = p50s(BENCH_PORT, &reads)?;
    drop(floor);

    let mut out = format!(
        "\n## At scale: {} cases over {} brands (largest {})\n\nSeeded in {seeded:.0} s straight into local D1 (`xtask/src/scale.rs`; database file {:.0} MB). \
         Each read's p50 over {SAMPLES} sequential requests after {WARM_UP} unmeasured, on the API and on the floor \
         (`bench/floor/worker.js`: a bare JavaScript Worker on the same state running only the session's membership \
         and the read's own statements, batched).\n\n| read | brand | API p50 (ms) | floor p50 (ms) | API / floor |\n|---|---|---|---|---|\n",
        world.cases,
        world.brands,
        world.largest,
        bytes as f64 / 1e6
    );
    for ((r, a), f) in reads.iter().zip(&ours).zip(&floors) {
        out.push_str(&format!(
            "| {} | {} | {a:.1} | {f:.1} | {:.2}× |\n",
            r.what,
            r.brand,
            a / f
        ));
    }
    out.push_str(&format!(
        "\nWhere the {:.0} MB go (each table with its indexes; `docs/SCALE.md` reads this):\n\n\
         | table | rows | MB | bytes per case |\n|---|---|---|---|\n",
        bytes as f64 / 1e6
    ));
    for (table, size, rows) in tables.iter().filter(|t| t.1 >= 1_000_000) {
        out.push_str(&format!(
            "| {table} | {rows} | {:.0} | {:.0} |\n",
            *size as f64 / 1e6,
            *size as f64 / world.cases as f64
        ));
    }
    Ok(out)
}
