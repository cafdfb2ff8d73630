//! Installs or verifies every tool at its pinned version (idempotent: skips what is already there).

use crate::Result;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const TRUNK: &str = "0.21.14";
pub const WASM_BINDGEN: &str = "0.2.130";
pub const WORKER_BUILD: &str = "0.8.7";
pub const WRANGLER: &str = "4.86.0";
pub const BINARYEN: &str = "132.0.0";
pub const AXE_CORE: &str = "4.10.3";

/// Where everything lives, once installed.
pub struct Tools {
    pub root: PathBuf,
    pub cargo_bin: PathBuf,
    pub node_bin: PathBuf,
}

impl Tools {
    pub fn wrangler(&self) -> PathBuf {
        self.node_bin.join("wrangler")
    }
    /// PATH with the pinned tools first.
    pub fn path_env(&self) -> String {
        let old = std::env::var("PATH").unwrap_or_default();
        format!(
            "{}:{}:{old}",
            self.node_bin.display(),
            self.cargo_bin.display()
        )
    }
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.root)
            .env("PATH", self.path_env())
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CI", std::env::var("CI").unwrap_or_else(|_| "true".into()));
        c
    }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs a command, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

fn output(program: &Path, arg: &str) -> Option<String> {
    let out = Command::new(program).arg(arg).output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

fn cargo_home_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

fn ensure_cargo_tool(
    bin_dir: &Path,
    bin: &str,
    krate: &str,
    version: &str,
    locked: bool,
) -> Result {
    if output(&bin_dir.join(bin), "--version").is_some_and(|v| v.contains(version)) {
        return Ok(());
    }
    println!("xtask: installing {krate} {version}");
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version, "--force"]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)
}

fn ensure_rust_target() -> Result {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn npm_version(root: &Path, package: &str) -> Option<String> {
    let text =
        std::fs::read_to_string(root.join("node_modules").join(package).join("package.json"))
            .ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["version"].as_str().map(str::to_owned)
}

fn ensure_npm(root: &Path) -> Result {
    let ok = npm_version(root, "wrangler").as_deref() == Some(WRANGLER)
        && npm_version(root, "binaryen").as_deref() == Some(BINARYEN)
        && npm_version(root, "axe-core").as_deref() == Some(AXE_CORE)
        && root
            .join("node_modules/@esbuild/linux-x64/bin/esbuild")
            .exists();
    if ok {
        return Ok(());
    }
    println!(
        "xtask: installing npm packages (wrangler {WRANGLER}, binaryen {BINARYEN}, axe-core {AXE_CORE})"
    );
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root))
    .map_err(|e| {
        format!("{e}\nNode.js 20 and npm are needed: install them from your distribution.")
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Debian's Chromium and its WebDriver, for the browser tests.
fn ensure_chromium() -> Result {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    if !is_root() {
        return Err("the browser tests need Chromium and its driver: run \
                    `sudo apt-get install chromium chromium-driver` and try again"
            .into());
    }
    println!("xtask: installing chromium and chromium-driver with apt-get");
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// cargo-fuzz at its pinned version, for `cargo xtask fuzz` (the nightly toolchain is checked there).
pub fn ensure_cargo_fuzz() -> Result {
    ensure_cargo_tool(
        &cargo_home_bin(),
        "cargo-fuzz",
        "cargo-fuzz",
        crate::fuzz::CARGO_FUZZ,
        true,
    )
}

/// Everything `dev` needs, plus the browser for `test`.
pub fn ensure(browser: bool) -> Result<Tools> {
    let root = root();
    let cargo_bin = cargo_home_bin();
    ensure_rust_target()?;
    ensure_cargo_tool(&cargo_bin, "trunk", "trunk", TRUNK, true)?;
    // wasm-bindgen-cli's own lock names a crate version the registry lacks: no --locked.
    ensure_cargo_tool(
        &cargo_bin,
        "wasm-bindgen",
        "wasm-bindgen-cli",
        WASM_BINDGEN,
        false,
    )?;
    ensure_cargo_tool(
        &cargo_bin,
        "worker-build",
        "worker-build",
        WORKER_BUILD,
        false,
    )?;
    ensure_npm(&root)?;
    if browser {
        ensure_chromium()?;
    }
    let node_bin = root.join("node_modules/.bin");
    Ok(Tools {
        root,
        cargo_bin,
        node_bin,
    })
}
