//! Headless Chromium through WebDriver: a signed-in page at a given size, with the browser's
//! console collected so a test can fail on any error.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::time::Duration;

pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 800);
/// The narrowest phone the portal is made for.
pub const NARROW: (u32, u32) = (360, 740);

/// A browser session, closed by `finish` (which also checks the console).
pub struct Browser {
    pub client: Client,
}

/// A Chromium session whose window (the browser's chrome included) is `window`.
async fn launch(window: (u32, u32)) -> Client {
    let webdriver =
        std::env::var("JF_WEBDRIVER_URL").expect("JF_WEBDRIVER_URL (set by cargo xtask test)");
    let caps = json!({
        "browserName": "chrome",
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-US",
                format!("--window-size={},{}", window.0, window.1)
            ]
        }
    });
    let caps = match caps {
        Value::Object(map) => map,
        _ => unreachable!(),
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&webdriver)
        .await
        .expect("a Chromium session from chromedriver")
}

impl Browser {
    pub async fn open(size: (u32, u32)) -> Browser {
        let client = launch(size).await;
        // The window's size includes the browser's own chrome (about 140 px of height in
        // headless Chromium), and a window cannot be narrower than 500 px: the page is given
        // exactly `size` through DevTools, as a phone of 390×844 or a desk of 1280×800 shows it.
        client
            .issue_cmd(cdp(json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": { "width": size.0, "height": size.1, "deviceScaleFactor": 1, "mobile": false }
            })))
            .await
            .expect("set the page's viewport");
        let inner = client
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await
            .ok()
            .and_then(|v| serde_json::from_value::<(u32, u32)>(v).ok());
        assert_eq!(inner, Some(size), "the page's viewport");
        Browser { client }
    }

    pub async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", crate::base_url()))
            .await
            .expect("navigate");
    }

    /// Waits (up to 10 s) for an element and returns it.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits (up to 10 s) until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let mut last = String::new();
        for _ in 0..50 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("{css} never contained {needle:?}; last text {last:?}");
    }

    pub async fn body_text(&self) -> String {
        self.find("body").await.text().await.unwrap_or_default()
    }

    pub async fn sign_in(&self, email: &str) {
        self.goto("/login").await;
        self.find("#email")
            .await
            .send_keys(email)
            .await
            .expect("type email");
        self.find("#password")
            .await
            .send_keys(crate::DEMO_PASSWORD)
            .await
            .expect("type password");
        self.find("#sign-in")
            .await
            .click()
            .await
            .expect("click sign in");
    }

    /// No horizontal scrolling at this width.
    pub async fn assert_no_horizontal_scroll(&self) {
        let v = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth]",
                vec![],
            )
            .await
            .expect("measure");
        let (scroll, inner) = (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0));
        if scroll > inner {
            // Name the elements that stick out, so the failure says where to look.
            let culprits = self
                .client
                .execute(
                    "return [...document.querySelectorAll('body *')]
                       .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                       .slice(0, 5)
                       .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
                    vec![],
                )
                .await
                .unwrap_or_default();
            panic!("page is {scroll}px wide in a {inner}px window; sticking out: {culprits}");
        }
    }

    /// Words broken a letter per line (a column squeezed to nothing, as "Right invoked" beside a
    /// long value once was on a 360 px phone): visible text of at least 4 characters, 3 of them
    /// letters or digits, laid out in 3 lines or more none of which is 1.5 em wide. Each is named
    /// with its element, its line count and width.
    pub async fn letter_per_line_breaks(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                "const out = [];
                 const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                 for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                   const text = n.textContent.trim();
                   const chars = [...text];
                   if (chars.length < 4 || chars.filter(c => /[\\p{L}\\p{N}]/u.test(c)).length < 3) continue;
                   const el = n.parentElement;
                   if (!el || el.closest('[hidden], [aria-hidden=true], .visually-hidden, script, style, noscript, option')) continue;
                   const style = getComputedStyle(el);
                   if (style.visibility === 'hidden' || style.display === 'none') continue;
                   const range = document.createRange();
                   range.selectNodeContents(n);
                   const lines = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
                   if (lines.length < 3) continue;
                   const widest = Math.max(...lines.map(r => r.width));
                   if (widest < 1.5 * (parseFloat(style.fontSize) || 16)) {
                     const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map(c => '.' + c).join('');
                     out.push(`${name} \"${text.slice(0, 30)}\": ${lines.length} lines, ${Math.round(widest)} px wide`);
                   }
                 }
                 return out;",
                vec![],
            )
            .await
            .expect("measure the lines of text");
        serde_json::from_value(found).expect("a list of texts")
    }

    /// Things to tap that are smaller than 44 × 44 CSS pixels (WCAG 2.5.5), each named. A
    /// checkbox or radio counts with its label (tapping the label ticks it); a link inside a
    /// sentence is exempt, as WCAG exempts inline targets.
    pub async fn small_tap_targets(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                "const out = [];
                 const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
                 for (const el of document.body.querySelectorAll(sel)) {
                   if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
                   if (el.closest('[hidden], [aria-hidden=true]')) continue;
                   const inSentence = el.tagName === 'A' && [...el.parentElement.childNodes]
                     .some(n => n !== el && n.nodeType === 3 && n.textContent.trim());
                   if (inSentence) continue;
                   const target = (el.type === 'checkbox' || el.type === 'radio') && el.closest('label') || el;
                   const r = target.getBoundingClientRect();
                   if (r.height < 43.5 || r.width < 43.5) {
                     const name = el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
                     out.push(`${name} \"${(el.textContent || el.value || '').trim().slice(0, 30)}\" ${Math.round(r.width)}×${Math.round(r.height)}`);
                   }
                 }
                 return out;",
                vec![],
            )
            .await
            .expect("measure tap targets");
        serde_json::from_value(found).expect("a list of targets")
    }

    /// Form fields a phone keyboard would get wrong: every text-like input says what it holds
    /// (`autocomplete`, `off` included) and emails, web addresses and passwords have their own
    /// input type (so the phone shows @, .com or hides the text).
    pub async fn fields_without_keyboard_hints(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                "const out = [];
                 const texty = ['text', 'email', 'url', 'password', 'tel', 'search', 'number'];
                 for (const el of document.body.querySelectorAll('input, textarea')) {
                   const type = el.tagName === 'TEXTAREA' ? 'textarea' : (el.getAttribute('type') || 'text');
                   const name = '#' + el.id + ' (' + type + ')';
                   if ((texty.includes(type)) && !el.hasAttribute('autocomplete')) out.push(name + ' has no autocomplete');
                   // A checkbox or a radio holds a choice, whatever it is named after.
                   if (!texty.includes(type) && type !== 'textarea') continue;
                   const says = (el.id + ' ' + (el.name || '') + ' ' + (el.getAttribute('autocomplete') || '')).toLowerCase();
                   if (/email/.test(says) && type !== 'email') out.push(name + ' holds an email');
                   if (/(^|[-_ ])url/.test(says) && type !== 'url' && type !== 'textarea') out.push(name + ' holds a URL');
                   if (/password/.test(says) && type !== 'password') out.push(name + ' holds a password');
                 }
                 return out;",
                vec![],
            )
            .await
            .expect("read the form fields");
        serde_json::from_value(found).expect("a list of fields")
    }

    pub async fn screenshot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let dir =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
    }

    /// Runs axe-core (WCAG 2.1 A and AA, and axe's best practices) on the page as it is now and
    /// returns its violations, one line each naming the rule and where it failed.
    pub async fn axe_violations(&self) -> Vec<String> {
        let source = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../node_modules/axe-core/axe.min.js"),
        )
        .expect("node_modules/axe-core (installed by cargo xtask test)");
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {
                   runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
                   resultTypes: ['violations'],
                 }).then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                      + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | '))),
                         e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        serde_json::from_value(found).unwrap_or_default()
    }

    /// Switches `prefers-color-scheme` for this tab (Chromium's DevTools protocol).
    pub async fn prefer_color_scheme(&self, scheme: &str) {
        self.client
            .issue_cmd(cdp(json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] }
            })))
            .await
            .expect("emulate prefers-color-scheme");
    }

    /// Presses one key (`'\u{e004}'` is Tab, `'\u{e007}'` Enter) wherever the focus is.
    pub async fn press(&self, key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client
            .perform_actions(keys)
            .await
            .expect("press a key");
    }

    /// Types into whatever has the focus.
    pub async fn type_text(&self, text: &str) {
        self.client
            .active_element()
            .await
            .expect("a focused element")
            .send_keys(text)
            .await
            .expect("type");
    }

    /// The focused element (`tag#id`), and whether its focus is visible: an outline or a ring
    /// at least 2 px wide.
    pub async fn focused(&self) -> (String, bool) {
        let v = self
            .client
            .execute(
                "const e = document.activeElement; const s = getComputedStyle(e);
                 const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
                   || /\\d+px/.test(s.boxShadow) && s.boxShadow !== 'none';
                 return [e.tagName.toLowerCase() + '#' + e.id, ring];",
                vec![],
            )
            .await
            .expect("read the focus");
        (
            v[0].as_str().unwrap_or_default().to_owned(),
            v[1].as_bool().unwrap_or(false),
        )
    }

    /// Chooses the Chinese interface (remembered by the app) for the next page opened.
    pub async fn choose_chinese(&self) {
        self.client
            .execute("localStorage.setItem('jf.lang', 'zh-CN')", vec![])
            .await
            .expect("choose Chinese");
    }

    /// Cuts this tab off the network (or reconnects it), as a phone in a tunnel.
    pub async fn set_offline(&self, offline: bool) {
        // Chromium applies network conditions only while the Network domain is on.
        self.client
            .issue_cmd(cdp(json!({ "cmd": "Network.enable", "params": {} })))
            .await
            .expect("enable the network domain");
        self.client
            .issue_cmd(cdp(json!({
                "cmd": "Network.emulateNetworkConditions",
                "params": { "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }
            })))
            .await
            .expect("emulate network conditions");
    }

    /// Text a person would read in a Chinese interface that still has Latin words in it: text
    /// nodes, and the labels assistive technology reads (aria-label, placeholder, title, alt).
    /// People's data (names, titles, emails, ids) is marked `translate="no"` and not counted.
    pub async fn untranslated_text(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                "// Product names and acronyms stay as they are in Chinese; so do web and email addresses.
                 const allowed = /^(JointForce|Webhooks?|WebP)$/i;
                 const acronym = /^[A-Z0-9-]+$/;
                 const latin = s => (s.replace(/\\S+:\\/\\/\\S*/g, ' ').replace(/\\S+@\\S+/g, ' ')
                     .match(/[A-Za-z][A-Za-z'-]*[A-Za-z]/g) || [])
                   .filter(w => !allowed.test(w) && !acronym.test(w));
                 const skip = el => !el || el.closest('[translate=no], script, style, noscript, [hidden]')
                   || !(el.closest('[lang]')?.lang || '').startsWith('zh');
                 const out = [];
                 const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                 for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                   const text = n.textContent.trim();
                   if (text && !skip(n.parentElement) && latin(text).length) out.push(text);
                 }
                 for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
                   if (skip(el)) continue;
                   for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
                     const v = el.getAttribute(a);
                     if (v && latin(v).length) out.push(a + '=' + v);
                   }
                 }
                 if (latin(document.title).length) out.push('title: ' + document.title);
                 return [...new Set(out)];",
                vec![],
            )
            .await
            .expect("read the page's text");
        serde_json::from_value(found).expect("a list of texts")
    }

    /// Console messages at level WARNING or SEVERE since the last call.
    pub async fn console_problems(&self) -> Vec<String> {
        let logs = self
            .client
            .issue_cmd(Chromedriver {
                path: "se/log",
                body: json!({ "type": "browser" }),
            })
            .await
            .unwrap_or(Value::Null);
        logs.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| matches!(e["level"].as_str(), Some("SEVERE" | "WARNING")))
                    .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Closes the browser, failing the test if the console logged an error or warning.
    pub async fn finish(self) {
        let problems = self.console_problems().await;
        let _ = self.client.close().await;
        assert!(
            problems.is_empty(),
            "console errors or warnings: {problems:#?}"
        );
    }
}

/// A chromedriver command outside W3C WebDriver (so fantoccini has no method for it):
/// `POST session/{id}/{path}` with `body`.
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// The DevTools protocol, through chromedriver.
fn cdp(body: Value) -> Chromedriver {
    Chromedriver {
        path: "goog/cdp/execute",
        body,
    }
}
