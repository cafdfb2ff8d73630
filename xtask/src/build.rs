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
    write_session_js(tools)?;
    run(tools
        .command(tools.cargo_bin.join("trunk"))
        .args(["build", "--release"])
        // Leptos's own size switch: every component's view becomes an `AnyView`, so a page's
        // type does not nest every component inside it (the wasm is a quarter smaller).
        .env("RUSTFLAGS", "--cfg erase_components"))?;
    let dist = tools.root.join("dist");
    let shell = shell_files(&dist)?;
    write_service_worker(tools, &dist, &shell)?;
    write_headers(&dist, &shell)
}

/// `app/session.js` (inlined by Trunk) from its template and core's first-asks table.
fn write_session_js(tools: &Tools) -> Result {
    let template = std::fs::read_to_string(tools.root.join("app/session.template.js"))
        .map_err(|e| format!("app/session.template.js: {e}"))?;
    let js = template.replace("/*FIRST_ASKS*/[]", &first_asks_js());
    std::fs::write(tools.root.join("app/session.js"), js)
        .map_err(|e| format!("app/session.js: {e}"))
}

/// The first-asks table as a JavaScript array: each page as an anchored pattern with the names
/// of its `{…}` segments, and the API paths it asks for, written with those names.
pub fn first_asks_js() -> String {
    use jf_core::first_asks::PAGES;
    let pages: Vec<String> = PAGES
        .iter()
        .map(|page| {
            let mut names = Vec::new();
            let pattern: Vec<String> = page
                .page
                .split('/')
                .map(
                    |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => {
                            names.push(format!("{name:?}"));
                            "([A-Za-z0-9-]+)".to_owned()
                        }
                        None => segment.to_owned(),
                    },
                )
                .collect();
            let asks: Vec<String> = page
                .asks
                .iter()
                .map(|ask| {
                    let after = ask
                        .after
                        .and_then(|route| page.asks.iter().find(|a| a.route == route))
                        .map_or("null".to_owned(), |a| format!("{:?}", a.path_pattern()));
                    format!("{{ path: {:?}, after: {after} }}", ask.path_pattern())
                })
                .collect();
            format!(
                "{{ page: /^{}$/, names: [{}], asks: [{}] }}",
                pattern.join("\\/"),
                names.join(", "),
                asks.join(", ")
            )
        })
        .collect();
    format!("[\n    {},\n  ]", pages.join(",\n    "))
}

/// The app shell: every file Trunk wrote (paths from the site root), `index.html` as `/`.
fn shell_files(dist: &std::path::Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut dirs = vec![dist.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path.strip_prefix(dist).unwrap_or(&path).to_string_lossy();
            match rel.as_ref() {
                "_headers" | "sw.js" => {}
                "index.html" => files.push("/".to_owned()),
                other => files.push(format!("/{other}")),
            }
        }
    }
    files.sort();
    Ok(files)
}

/// `dist/sw.js` from `app/sw.js`: this build's shell list, and a version that changes with it.
fn write_service_worker(tools: &Tools, dist: &std::path::Path, shell: &[String]) -> Result {
    let template = std::fs::read_to_string(tools.root.join("app/sw.js"))
        .map_err(|e| format!("app/sw.js: {e}"))?;
    let mut digest = Sha256::new();
    for file in shell {
        let on_disk = if file == "/" { "/index.html" } else { file };
        let bytes = std::fs::read(dist.join(&on_disk[1..])).map_err(|e| format!("{file}: {e}"))?;
        digest.update(file.as_bytes());
        digest.update(&bytes);
    }
    let version: String = digest
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let list = serde_json::to_string(shell).map_err(|e| e.to_string())?;
    let sw = template
        .replace("__VERSION__", &version)
        .replace("__SHELL__", &list);
    std::fs::write(dist.join("sw.js"), sw).map_err(|e| format!("dist/sw.js: {e}"))
}

/// Trunk's content-hashed names (`jf-app-729292fea7dc82a4.js`) never change meaning: cache them
/// for a year. Everything else is revalidated.
fn is_content_hashed(file: &str) -> bool {
    let stem = file.rsplit('/').next().unwrap_or(file);
    let stem = stem.split('.').next().unwrap_or(stem);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        // Trunk writes the hash as hex without leading zeros: 16 digits or a few fewer.
        (10..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
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
fn write_headers(dist: &std::path::Path, shell: &[String]) -> Result {
    let html = std::fs::read_to_string(dist.join("index.html"))
        .map_err(|e| format!("dist/index.html: {e}"))?;
    let csp = content_security_policy(&inline_script_hashes(&html));
    let headers = format!(
        "/*\n  Content-Security-Policy: {csp}\n  X-Content-Type-Options: nosniff\n  \
         Referrer-Policy: strict-origin-when-cross-origin\n  X-Frame-Options: DENY\n  \
         Permissions-Policy: camera=(), microphone=(), geolocation=()\n  \
         Strict-Transport-Security: max-age=63072000; includeSubDomains\n  \
         Cross-Origin-Opener-Policy: same-origin\n"
    );
    let mut headers = headers;
    for file in shell.iter().filter(|f| is_content_hashed(f)) {
        headers.push_str(&format!(
            "{file}\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
    }
    headers.push_str("/sw.js\n  Cache-Control: no-cache\n");
    std::fs::write(dist.join("_headers"), headers).map_err(|e| format!("dist/_headers: {e}"))
}

/// Rules of the style sheet that begin inside a block left open (a merge once cut a rule's
/// closing braces, and CSS nesting took every rule after it into a desk-only media query): each
/// top-level rule starts at column 0, so one found deeper says where the braces went wrong.
#[cfg(test)]
fn rules_inside_open_blocks(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_comment = false;
    for (n, line) in css.lines().enumerate() {
        let starts_rule = !in_comment
            && line
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && c != '}' && c != '/');
        if starts_rule && depth > 0 {
            out.push(format!("line {}: {line}", n + 1));
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (in_comment, c, chars.peek()) {
                (false, '/', Some('*')) => {
                    in_comment = true;
                    chars.next();
                }
                (true, '*', Some('/')) => {
                    in_comment = false;
                    chars.next();
                }
                (false, '{', _) => depth += 1,
                (false, '}', _) => depth -= 1,
                _ => {}
            }
        }
    }
    if depth != 0 {
        out.push(format!("{depth} block(s) never closed"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_of_the_style_sheet_closes_before_the_next() {
        let css = include_str!("../../style/main.css");
        assert_eq!(rules_inside_open_blocks(css), Vec::<String>::new());
        let cut = ".a {\n  color: red;\n/* b */\n.b {\n  margin: 0;\n}\n";
        assert_eq!(
            rules_inside_open_blocks(cut),
            [
                ".b {".replace(".b", "line 4: .b"),
                "1 block(s) never closed".into()
            ]
        );
    }

    #[test]
    fn session_js_asks_what_the_table_says() {
        let js = first_asks_js();
        assert!(js.contains(
            r#"{ page: /^\/brands\/([A-Za-z0-9-]+)\/confirm$/, names: ["brand_id"], asks: [{ path: "/api/v1/brands/{brand_id}/reminders", after: null }, { path: "/api/v1/brands/{brand_id}", after: null }, { path: "/api/v1/brands/{brand_id}/cases?status=awaiting_brand&limit=100", after: null }, { path: "/api/v1/brands/{brand_id}/ip-rights", after: null }] }"#
        ), "{js}");
        assert!(
            js.contains(
                r#"{ path: "/api/v1/brands/{brand_id}/stats", after: "/api/v1/brands/{brand_id}" }"#
            ),
            "{js}"
        );
    }

    #[test]
    fn only_trunks_hashed_names_are_cached_for_long() {
        assert!(is_content_hashed("/jf-app-729292fea7dc82a4.js"));
        assert!(is_content_hashed("/jf-app-729292fea7dc82a4_bg.wasm"));
        assert!(is_content_hashed("/main-51b85d567d2ca95.css"));
        assert!(!is_content_hashed("/"));
        assert!(!is_content_hashed("/manifest.webmanifest"));
        assert!(!is_content_hashed("/icons/icon-192.png"));
    }

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
