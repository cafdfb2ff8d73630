//! Builds the SPA (Trunk) and the Worker (worker-build), and writes the assets' security headers.

use crate::tools::{run, Tools};
use crate::Result;
use base64::Engine;
use sha2::{Digest, Sha256};

pub fn all(tools: &Tools) -> Result {
    app(tools)?;
    worker(tools)
}

pub fn app(tools: &Tools) -> Result {
    println!("xtask: building the app");
    run(tools
        .command(tools.cargo_bin.join("trunk"))
        .args(["build", "--release"]))?;
    write_headers(tools)
}

pub fn worker(tools: &Tools) -> Result {
    println!("xtask: building the worker");
    let esbuild = tools
        .root
        .join("node_modules/@esbuild/linux-x64/bin/esbuild");
    run(tools
        .command(tools.cargo_bin.join("worker-build"))
        .arg("--release")
        .current_dir(tools.root.join("worker"))
        .env("WASM_BINDGEN_BIN", tools.cargo_bin.join("wasm-bindgen"))
        .env("ESBUILD_BIN", esbuild)
        .env("WASM_OPT_BIN", tools.node_bin.join("wasm-opt")))
}

/// The hashes of the inline scripts in `index.html` (Trunk's bootstrap): the only inline code
/// the Content-Security-Policy allows.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        if !tag.contains(" src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_start + close..];
    }
    hashes
}

pub fn content_security_policy(script_hashes: &[String]) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; img-src 'self' data: https:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'",
        script_hashes.join(" ")
    )
}

/// `dist/_headers`: Cloudflare applies it to every asset, `index.html` and the SPA fallback too.
fn write_headers(tools: &Tools) -> Result {
    let dist = tools.root.join("dist");
    let html = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("dist/index.html: {e}"))?;
    let csp = content_security_policy(&inline_script_hashes(&html));
    let headers = format!(
        "/*\n  Content-Security-Policy: {csp}\n  X-Content-Type-Options: nosniff\n  \
         Referrer-Policy: strict-origin-when-cross-origin\n  X-Frame-Options: DENY\n  \
         Permissions-Policy: camera=(), microphone=(), geolocation=()\n"
    );
    std::fs::write(dist.join("_headers"), headers).map_err(|e| format!("dist/_headers: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script type="module">import init from '/a.js';init();</script><script src="/x.js"></script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/a.js';init();"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        let csp = content_security_policy(&hashes);
        assert!(csp.contains("'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"));
    }
}
