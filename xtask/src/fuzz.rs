//! `cargo xtask fuzz [--minutes N] [target]`: the long fuzzing runs (libFuzzer through
//! cargo-fuzz, nightly), one target at a time at the lowest priority, each corpus minimised with
//! the run's new inputs into `fuzz/corpus/<target>/`, and the figures written to `bench/FUZZ.md`.
//! `cargo xtask fuzz --cmin [target]` only minimises the corpora.

use crate::tools::{self, root};
use crate::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const CARGO_FUZZ: &str = "0.13.2";
const DEFAULT_MINUTES: u64 = 10;

/// The targets, as `fuzz/fuzz_targets/*.rs` names them.
fn targets(root: &Path) -> Result<Vec<String>> {
    let dir = root.join("fuzz/fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".rs"))
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    Ok(names)
}

fn ensure_nightly() -> Result {
    let ok = Command::new("cargo")
        .args(["+nightly", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(())
    } else {
        Err("fuzzing needs the nightly toolchain: run `rustup toolchain install nightly` and try again".into())
    }
}

/// What one run did, from libFuzzer's final statistics.
#[derive(Debug, Default, Clone, PartialEq)]
struct Figures {
    minutes: u64,
    executions: u64,
    per_sec: u64,
    corpus: usize,
    crashes: Vec<String>,
}

/// Reads `stat::number_of_executed_units: N` and the like, and the artefacts written.
fn figures_of(log: &str) -> (u64, u64, Vec<String>) {
    let stat = |name: &str| {
        log.lines()
            .filter_map(|l| l.strip_prefix(name))
            .filter_map(|rest| rest.trim_start_matches(':').trim().parse::<u64>().ok())
            .next_back()
            .unwrap_or(0)
    };
    let crashes = log
        .lines()
        .filter_map(|l| l.split("Test unit written to ").nth(1))
        .map(|p| p.trim().to_owned())
        .collect();
    (
        stat("stat::number_of_executed_units"),
        stat("stat::average_exec_per_sec"),
        crashes,
    )
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.filter_map(|e| e.ok()).count())
}

/// cargo-fuzz on nightly, built as a fuzzer should be: the workspace's release profile is made
/// for shipped wasm (size, fat LTO, one codegen unit), so it is overridden here; debug assertions
/// and overflow checks on (`-a`).
fn cargo_fuzz(root: &Path, target_dir: &Path, sub: &str, target: &str) -> Command {
    let mut c = Command::new("nice");
    c.args([
        "-n",
        "19",
        "cargo",
        "+nightly",
        "fuzz",
        sub,
        "--fuzz-dir",
        "fuzz",
    ])
    .args(["--features", "libfuzzer", "-a", "--target-dir"])
    .arg(target_dir)
    .arg(target)
    .current_dir(root)
    .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "3")
    .env("CARGO_PROFILE_RELEASE_LTO", "false")
    .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
    .env_remove("RUSTFLAGS");
    c
}

fn run_one(root: &Path, target_dir: &Path, target: &str, minutes: u64) -> Result<Figures> {
    let corpus = root.join("fuzz/corpus").join(target);
    let scratch = target_dir.join("corpus").join(target);
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    std::fs::create_dir_all(root.join("fuzz/artifacts").join(target)).map_err(|e| e.to_string())?;
    println!("xtask: fuzzing {target} for {minutes} min");
    // New inputs go to the scratch directory; the repository's corpus is read only.
    let out = cargo_fuzz(root, target_dir, "run", target)
        .arg(&scratch)
        .arg(&corpus)
        .arg("--")
        .arg(format!("-max_total_time={}", minutes * 60))
        .args(["-print_final_stats=1", "-close_fd_mask=1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
    let log = String::from_utf8_lossy(&out.stderr);
    let log_file = target_dir.join(format!("{target}.log"));
    let _ = std::fs::write(&log_file, log.as_bytes());
    let (executions, per_sec, crashes) = figures_of(&log);
    if !out.status.success() && crashes.is_empty() {
        return Err(format!(
            "cargo fuzz run {target} failed ({}); its output is in {}",
            out.status,
            log_file.display()
        ));
    }
    minimise(root, target_dir, target, &[&scratch])?;
    Ok(Figures {
        minutes,
        executions,
        per_sec,
        corpus: files_in(&corpus),
        crashes,
    })
}

/// libFuzzer names the inputs it keeps by their SHA-1: 40 hex digits.
fn is_kept_input(name: &str) -> bool {
    name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Minimises `fuzz/corpus/<target>/` by edge coverage (what `cargo fuzz cmin` does), with `extra` inputs (a run's
/// new ones) merged in: the smallest set of inputs with all their coverage replaces libFuzzer's
/// own files, while the named ones (the seeds and each crash kept as a regression) always stay.
fn minimise(root: &Path, target_dir: &Path, target: &str, extra: &[&Path]) -> Result {
    let corpus = root.join("fuzz/corpus").join(target);
    let fresh = target_dir.join("cmin").join(target);
    let _ = std::fs::remove_dir_all(&fresh);
    std::fs::create_dir_all(&fresh).map_err(|e| format!("{}: {e}", fresh.display()))?;
    tools::run(
        cargo_fuzz(root, target_dir, "run", target)
            .arg(&fresh)
            .arg(&corpus)
            .args(extra)
            // Edges only, not their hit counts: a corpus of hundreds of files, not thousands.
            .args(["--", "-merge=1", "-use_counters=0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )?;
    let entries = |dir: &Path| -> Result<Vec<(String, PathBuf)>> {
        Ok(std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((e.file_name().to_str()?.to_owned(), e.path())))
            .collect())
    };
    let mut named = std::collections::HashSet::new();
    for (name, path) in entries(&corpus)? {
        if is_kept_input(&name) {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        } else {
            named.insert(std::fs::read(&path).map_err(|e| e.to_string())?);
        }
    }
    for (name, path) in entries(&fresh)? {
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        if !named.contains(&bytes) {
            std::fs::write(corpus.join(name), bytes).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

const TABLE_HEAD: &str = "| target | minutes | executions | exec/s | corpus files | crashes |";

/// The table's rows by target, from an earlier `bench/FUZZ.md` (so one target's run keeps the
/// others' figures).
fn rows_of(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .skip_while(|l| *l != TABLE_HEAD)
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let name = l.split('`').nth(1)?;
            Some((name.to_owned(), l.to_owned()))
        })
        .collect()
}

fn row(target: &str, f: &Figures) -> String {
    let crashes = if f.crashes.is_empty() {
        "0".to_owned()
    } else {
        format!("**{}**", f.crashes.len())
    };
    format!(
        "| `{target}` | {} | {} | {} | {} | {crashes} |",
        f.minutes, f.executions, f.per_sec, f.corpus
    )
}

/// The sections after the table (`## …`, written by hand: what the runs found), kept as they are.
fn notes_of(text: &str) -> String {
    text.find("\n## ")
        .map(|at| text[at..].to_owned())
        .unwrap_or_default()
}

fn report(rows: &BTreeMap<String, String>, date: &str, notes: &str) -> String {
    let mut out = String::from(
        "# Fuzzing\n\n\
         Made by `cargo xtask fuzz` (libFuzzer through cargo-fuzz on nightly, under `nice -n 19`,\n\
         one target at a time, on this machine's 2 shared cores). Each target is a plain function\n\
         in `fuzz/src/targets/`; `cargo test -p jf-fuzz` replays every corpus on stable. Corpus\n\
         files are counted after the run's new inputs were merged by coverage into\n\
         `fuzz/corpus/<target>/`.\n\n",
    );
    out.push_str(&format!(
        "Last run: {date}.\n\n{TABLE_HEAD}\n|---|---|---|---|---|---|\n"
    ));
    for line in rows.values() {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(notes);
    out
}

fn today() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

pub fn run(args: &[String]) -> Result {
    let mut minutes = DEFAULT_MINUTES;
    let mut only: Option<String> = None;
    // `--cmin`: only minimise the corpora (no run, no figures).
    let mut cmin_only = false;
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--cmin" => cmin_only = true,
            "--minutes" => {
                minutes = rest
                    .next()
                    .and_then(|m| m.parse().ok())
                    .filter(|m| *m > 0)
                    .ok_or("--minutes takes a whole number above 0")?;
            }
            name => only = Some(name.to_owned()),
        }
    }
    let root = root();
    let all = targets(&root)?;
    let chosen: Vec<String> = match only {
        Some(name) if all.contains(&name) => vec![name],
        Some(name) => {
            return Err(format!(
                "no fuzz target {name}; there are {}",
                all.join(", ")
            ))
        }
        None => all,
    };
    ensure_nightly()?;
    tools::ensure_cargo_fuzz()?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("fuzz");
    if cmin_only {
        for target in &chosen {
            minimise(&root, &target_dir, target, &[])?;
            println!(
                "xtask: {target}: corpus {} files",
                files_in(&root.join("fuzz/corpus").join(target))
            );
        }
        return Ok(());
    }
    let bench = root.join("bench/FUZZ.md");
    let earlier = std::fs::read_to_string(&bench).unwrap_or_default();
    let (mut rows, notes) = (rows_of(&earlier), notes_of(&earlier));
    let mut crashed = Vec::new();
    for target in &chosen {
        let figures = run_one(&root, &target_dir, target, minutes)?;
        println!(
            "xtask: {target}: {} executions ({} /s), corpus {} files, {} crashes",
            figures.executions,
            figures.per_sec,
            figures.corpus,
            figures.crashes.len()
        );
        for c in &figures.crashes {
            crashed.push(format!("{target}: {c}"));
        }
        rows.insert(target.clone(), row(target, &figures));
        std::fs::write(&bench, report(&rows, &today(), &notes)).map_err(|e| e.to_string())?;
    }
    println!("xtask: figures in {}", bench.display());
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "crashes (fix the cause, add the input to the target's corpus): {}",
            crashed.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_libfuzzers_own_inputs_are_minimised_away() {
        assert!(is_kept_input("01e779a6caa1de0ac92aceb350b9dc4191ba7cd1"));
        assert!(!is_kept_input("nul_ends_the_fts_phrase.txt"));
        assert!(!is_kept_input("template.csv"));
    }

    #[test]
    fn reads_libfuzzer_final_statistics_and_crashes() {
        let log = "#1024\tpulse  cov: 10\n\
                   ==12== ERROR: libFuzzer: deadly signal\n\
                   artifact_prefix='fuzz/artifacts/x/'; Test unit written to fuzz/artifacts/x/crash-ab12\n\
                   stat::number_of_executed_units: 123456\n\
                   stat::average_exec_per_sec:     2057\n\
                   stat::new_units_added:          7\n";
        let (runs, per_sec, crashes) = figures_of(log);
        assert_eq!((runs, per_sec), (123456, 2057));
        assert_eq!(crashes, ["fuzz/artifacts/x/crash-ab12"]);
    }

    #[test]
    fn one_targets_run_keeps_the_others_figures() {
        let f = Figures {
            minutes: 10,
            executions: 5,
            per_sec: 1,
            corpus: 3,
            crashes: vec![],
        };
        let mut rows = BTreeMap::new();
        rows.insert("a".to_owned(), row("a", &f));
        rows.insert("b".to_owned(), row("b", &f));
        let notes = "
## Found

A NUL in a search.
";
        let text = report(&rows, "today", notes);
        assert_eq!(rows_of(&text), rows);
        assert_eq!(notes_of(&text), notes, "the notes are kept");
        assert!(text.contains("| `a` | 10 | 5 | 1 | 3 | 0 |"), "{text}");
    }
}
