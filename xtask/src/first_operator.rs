//! `cargo xtask first-operator --email E [--name N] [--remote --site URL]`: the first operator of
//! a deployment gets an account and a one-time set-password link, printed here for whoever holds
//! the database's credentials (no email exists to send it through before anyone can sign in).

use crate::stack::{local_args, State};
use crate::tools;
use crate::Result;
use jf_core::clock::Entropy;
use jf_core::types::{DisplayName, Email};

/// The operating system's randomness (the link must not be guessable).
struct OsEntropy;

impl Entropy for OsEntropy {
    fn fill(&self, buf: &mut [u8]) {
        use std::io::Read;
        // No fallback: a link from weak randomness must never be printed.
        let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(buf));
        if let Err(e) = read {
            panic!("cannot read /dev/urandom: {e}");
        }
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

pub fn run(args: &[String]) -> Result {
    let email = Email::parse(flag(args, "--email").ok_or("--email is required")?)
        .map_err(|e| e.to_string())?;
    let name = DisplayName::parse(flag(args, "--name").unwrap_or("Operator"))
        .map_err(|e| e.to_string())?;
    let remote = args.iter().any(|a| a == "--remote");
    let site = match (flag(args, "--site"), remote) {
        (Some(site), _) => site.trim_end_matches('/').to_owned(),
        (None, false) => format!("http://127.0.0.1:{}", crate::stack::DEV_PORT),
        (None, true) => return Err("--remote needs --site https://your.domain".into()),
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_millis() as i64;
    let (secret, writes) = jf_core::identity::first_operator(&OsEntropy, now, &email, &name);
    let tools = tools::ensure(false)?;
    let state = State::dev();
    std::fs::create_dir_all(&state.dir).map_err(|e| e.to_string())?;
    let file = state.dir.join("first-operator.sql");
    let sql: String = writes.iter().map(crate::seed::render).collect();
    std::fs::write(&file, sql).map_err(|e| e.to_string())?;
    let mut cmd = tools.command(tools.wrangler());
    cmd.args(["d1", "execute", "DB", "--yes", "--file"])
        .arg(&file)
        .stdout(std::process::Stdio::null());
    if remote {
        cmd.arg("--remote");
    } else {
        cmd.args(local_args(&state, None));
    }
    let result = tools::run(&mut cmd);
    // The file holds only the link's hash, but it has no use after this.
    let _ = std::fs::remove_file(&file);
    result?;
    println!(
        "{} is an operator. Their one-time set-password link (72 hours; give it to them alone):\n  {site}/set-password/{secret}",
        email.as_str()
    );
    Ok(())
}
