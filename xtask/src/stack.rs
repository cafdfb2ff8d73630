//! The local stack: a wrangler state directory, its migrations, and a running `wrangler dev`.

use crate::tools::{run, Tools};
use crate::Result;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const DEV_PORT: u16 = 8787;
pub const TEST_PORT: u16 = 8797;
/// The marketplace simulator's ports (as named in wrangler.toml's MARKETPLACE_* vars).
pub const DEV_SIMULATOR_PORT: u16 = 8788;
pub const TEST_SIMULATOR_PORT: u16 = 8798;

/// A local wrangler state directory (D1, KV). Only local state exists: nothing here can name a
/// remote database.
pub struct State {
    pub dir: PathBuf,
}

impl State {
    pub fn dev() -> Self {
        State {
            dir: crate::tools::root().join(".wrangler/state"),
        }
    }
    pub fn test() -> Self {
        State {
            dir: crate::tools::root().join(".wrangler/test-state"),
        }
    }
    pub fn wipe(&self) -> Result {
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir)
                .map_err(|e| format!("cannot wipe {}: {e}", self.dir.display()))?;
        }
        Ok(())
    }
    fn seeded_marker(&self) -> PathBuf {
        self.dir.join("jointforce-seeded")
    }
    pub fn is_seeded(&self) -> bool {
        self.seeded_marker().exists()
    }
    pub fn mark_seeded(&self) -> Result {
        std::fs::write(self.seeded_marker(), "demo world seeded\n").map_err(|e| e.to_string())
    }
    /// Where the emails the local `send_email` binding was given are collected, one JSON object
    /// (`to`, `subject`, `text`) a line: what `cargo xtask dev` shows and the tests read.
    pub fn mailbox(&self) -> PathBuf {
        self.dir.join("mailbox.jsonl")
    }
}

/// Arguments every local wrangler call takes: local state only, and the environment if any.
pub fn local_args(state: &State, env: Option<&str>) -> Vec<String> {
    let mut args = vec![
        "--local".to_owned(),
        "--persist-to".to_owned(),
        state.dir.display().to_string(),
    ];
    if let Some(env) = env {
        args.extend(["--env".to_owned(), env.to_owned()]);
    }
    args
}

pub fn migrate(tools: &Tools, state: &State, env: Option<&str>) -> Result {
    run(tools
        .command(tools.wrangler())
        .args(["d1", "migrations", "apply", "DB"])
        .args(local_args(state, env)))
}

/// What `wrangler dev` serves, relative to its configuration file: the configuration (and its
/// local secrets) and the built SPA and Worker.
const SERVED: [&str; 4] = ["wrangler.toml", ".dev.vars", "dist", "worker/build"];

/// Copies this build into `<state>-app/` and answers its configuration file.
///
/// `wrangler dev` watches its configuration, the Worker's modules and the assets, and on any
/// change restarts workerd, cutting off requests in flight (a POST then gets wrangler's 503
/// "Your worker restarted mid-request"). A test or bench run must not depend on nobody
/// touching the working tree for its twenty minutes: a copy no one else writes gives it that.
fn snapshot(root: &Path, state: &State) -> Result<PathBuf> {
    let mut name = state.dir.file_name().unwrap_or_default().to_os_string();
    name.push("-app");
    let copy = state.dir.with_file_name(name);
    if copy.exists() {
        std::fs::remove_dir_all(&copy)
            .map_err(|e| format!("cannot clear {}: {e}", copy.display()))?;
    }
    for part in SERVED {
        copy_all(&root.join(part), &copy.join(part))?;
    }
    Ok(copy.join("wrangler.toml"))
}

/// Copies a file, or a directory with everything in it.
fn copy_all(from: &Path, to: &Path) -> Result {
    let fail = |e: &dyn std::fmt::Display| {
        format!("cannot copy {} to {}: {e}", from.display(), to.display())
    };
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(|e| fail(&e))?;
        let rel = entry.path().strip_prefix(from).map_err(|e| fail(&e))?;
        // A file copied on its own is its own root (`to.join("")` would end in a slash).
        let target = if rel.as_os_str().is_empty() {
            to.to_path_buf()
        } else {
            to.join(rel)
        };
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| fail(&e))?;
        } else {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
            }
            std::fs::copy(entry.path(), &target).map_err(|e| fail(&e))?;
        }
    }
    Ok(())
}

/// A running `wrangler dev`, stopped (with all its children) when dropped.
pub struct Wrangler {
    child: Child,
    port: u16,
    /// Already killed (`kill_now`): nothing left to stop.
    killed: bool,
}

impl Wrangler {
    pub fn start(tools: &Tools, state: &State, port: u16, env: Option<&str>) -> Result<Self> {
        Self::launch(tools, state, port, env, "info")
    }

    /// The API as the bench measures it, in the default environment and logging what the floor
    /// logs (warnings): wrangler's line per request costs 1.5–2 ms of a 10 ms read (measured),
    /// which a deployment does not pay and the floor would not either.
    pub fn start_measured(tools: &Tools, state: &State, port: u16) -> Result<Self> {
        Self::launch(tools, state, port, None, "warn")
    }

    fn launch(
        tools: &Tools,
        state: &State,
        port: u16,
        env: Option<&str>,
        log_level: &str,
    ) -> Result<Self> {
        // The dev stack serves the working tree; every other stack serves a copy of this
        // build, so that nothing written to the tree while it runs reloads it mid-request.
        let dev = port == DEV_PORT;
        let mut cmd = tools.command(tools.wrangler());
        cmd.arg("dev");
        if !dev {
            let config = snapshot(&tools.root, state)?;
            cmd.arg("-c").arg(config);
        }
        cmd.args([
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--test-scheduled",
        ])
        .args([
            "--show-interactive-dev-session=false",
            // Info, for the local email binding's "send_email binding called" lines; warnings
            // for the bench (`start_measured`).
            "--log-level",
            log_level,
        ])
        .args(["--persist-to", &state.dir.display().to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
        if let Some(env) = env {
            cmd.args(["--env", env]);
        }
        // Every stack but the dev one gets a process group of its own, so dropping it stops
        // wrangler and workerd together (the bench's runs in the default environment too); the
        // dev stack stays in the terminal's group, so one Ctrl-C stops it along with xtask.
        if !dev {
            std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start wrangler dev: {e}"))?;
        std::fs::create_dir_all(&state.dir).map_err(|e| e.to_string())?;
        let mailbox = state.mailbox();
        if let Some(out) = child.stdout.take() {
            let announce = dev;
            std::thread::spawn(move || crate::mailbox::watch(out, &mailbox, announce));
        }
        let server = Wrangler {
            child,
            port,
            killed: false,
        };
        server.wait_ready()?;
        Ok(server)
    }

    /// The bench's floor (`bench/floor/`): a bare JavaScript Worker on the same local D1 state,
    /// in a process group of its own like the test stack.
    pub fn start_floor(tools: &Tools, state: &State, port: u16) -> Result<Self> {
        let mut cmd = tools.command(tools.wrangler());
        cmd.args([
            "dev",
            "-c",
            "bench/floor/wrangler.toml",
            "--ip",
            "127.0.0.1",
        ])
        .args(["--port", &port.to_string()])
        .args([
            "--show-interactive-dev-session=false",
            "--log-level",
            "warn",
        ])
        .args(["--persist-to", &state.dir.display().to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the floor's wrangler dev: {e}"))?;
        let server = Wrangler {
            child,
            port,
            killed: false,
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            // The floor answers 404 to anything it does not measure: any answer means it is up.
            if http_status(&server.base_url()).is_some() {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        Err("the floor's wrangler dev did not answer within 90 s".into())
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) -> Result {
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            if http_status(&format!("{}/api/v1/openapi.json", self.base_url())) == Some(200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        Err("wrangler dev did not answer within 90 s".into())
    }

    /// How wrangler ended, if it has (`None` while it runs): the crash run's check that only
    /// its own kill brought the stack down.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(e) => Some(format!("unknown ({e})")),
        }
    }

    /// The crash of `cargo xtask crash`: SIGKILL to the whole process group (wrangler, workerd)
    /// at once, with no TERM first, so nothing gets to finish or flush; returns once wrangler
    /// is reaped. Only for stacks in a group of their own (every one but the dev stack).
    pub fn kill_now(mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .status();
        let _ = self.child.wait();
        self.killed = true;
    }

    /// Blocks until wrangler exits (Ctrl-C).
    pub fn wait(mut self) -> Result {
        self.child.wait().map_err(|e| e.to_string())?;
        Ok(())
    }
}

impl Drop for Wrangler {
    /// Stops wrangler and workerd (its whole process group): politely, then firmly.
    fn drop(&mut self) {
        if self.killed {
            return;
        }
        // `--` so that kill reads the negative number as a process group, not an option.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--", &group])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .status();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP GET over a TCP socket (readiness only; the tests use a real client).
pub fn http_status(url: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut stream = std::net::TcpStream::connect(host).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = [0u8; 64];
    let n = stream.read(&mut buf).ok()?;
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace().nth(1)?.parse().ok()
}

/// The marketplace simulator (the one stand-in: the marketplace is outside our system).
pub struct Simulator {
    child: Child,
    pub port: u16,
}

impl Simulator {
    pub fn start(
        tools: &Tools,
        port: u16,
        jointforce: &str,
        trickle_secs: Option<u32>,
    ) -> Result<Self> {
        Self::start_with(tools, port, jointforce, trickle_secs, false)
    }

    /// Without its line per event and action on stderr (the crash run sends thousands).
    pub fn start_quiet(tools: &Tools, port: u16, jointforce: &str) -> Result<Self> {
        Self::start_with(tools, port, jointforce, None, true)
    }

    fn start_with(
        tools: &Tools,
        port: u16,
        jointforce: &str,
        trickle_secs: Option<u32>,
        quiet: bool,
    ) -> Result<Self> {
        run(tools
            .command("cargo")
            .args(["build", "--quiet", "-p", "jf-simulator"]))?;
        let mut cmd = Command::new(tools.root.join("target/debug/jf-simulator"));
        cmd.args(["--port", &port.to_string(), "--jointforce-url", jointforce])
            .stdin(Stdio::null());
        if let Some(secs) = trickle_secs {
            cmd.args(["--trickle-secs", &secs.to_string()]);
        }
        if quiet {
            cmd.stderr(Stdio::null());
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the marketplace simulator: {e}"))?;
        let sim = Simulator { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if http_status(&sim.url("/__health")) == Some(200) {
                return Ok(sim);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the marketplace simulator did not start".into())
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Calls the Cron Trigger every minute (Miniflare never schedules it on its own).
pub fn tick_cron_every_minute(base_url: String) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(60));
        let _ = http_status(&format!("{base_url}/__scheduled?cron=*+*+*+*+*"));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_serves_a_copy_that_later_writes_to_the_tree_leave_alone() {
        let root = std::env::temp_dir().join(format!("jf-snapshot-{}", fastrand::u64(..)));
        for (file, text) in [
            ("wrangler.toml", "name = \"x\"\n"),
            (".dev.vars", "A=1\n"),
            ("dist/index.html", "<p>one</p>"),
            ("dist/icons/a.svg", "<svg/>"),
            ("worker/build/worker/shim.mjs", "export default {}"),
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let state = State {
            dir: root.join(".wrangler/some-state"),
        };
        let config = snapshot(&root, &state).unwrap();
        assert_eq!(config, root.join(".wrangler/some-state-app/wrangler.toml"));
        let copy = config.parent().unwrap();
        std::fs::write(root.join("dist/index.html"), "<p>two</p>").unwrap();
        let read = |p: &str| std::fs::read_to_string(copy.join(p)).unwrap();
        assert_eq!(read("dist/index.html"), "<p>one</p>");
        assert_eq!(read("dist/icons/a.svg"), "<svg/>");
        assert_eq!(read("worker/build/worker/shim.mjs"), "export default {}");
        assert_eq!(read(".dev.vars"), "A=1\n");
        // The next start serves the build as it is then.
        snapshot(&root, &state).unwrap();
        assert_eq!(read("dist/index.html"), "<p>two</p>");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
