//! The site in a real browser: Debian's Chromium driven through
//! chromedriver's WebDriver API, spoken as plain HTTP and JSON.
//!
//! Runs only with `EVALGATE_E2E=1`; then a missing Chromium or chromedriver
//! fails the test. Leaves a screenshot in `target/leaderboard-screenshot.png`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use super::Lab;
use crate::common::root;

const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process and one browser session; both end on drop.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromedriver: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: tempfile::tempdir().unwrap(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.try_call("GET", "/status", None).is_none_or(|v| v["value"]["ready"] != true) {
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = browser._profile.path().display().to_string();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            &format!("--user-data-dir={profile}"),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let created = browser.call("POST", "/session", Some(capabilities));
        browser.session = created["value"]["sessionId"].as_str().expect("a session").to_owned();
        browser
    }

    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).ok()?;
        // chromedriver may keep the connection open: read what
        // Content-Length says, not to the end of the stream.
        let mut response = Vec::new();
        let mut buf = [0; 8192];
        loop {
            if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|n| n.trim().parse::<usize>().ok())?;
                if response.len() >= end + 4 + length {
                    return serde_json::from_slice(&response[end + 4..end + 4 + length]).ok();
                }
            }
            let n = stream.read(&mut buf).ok()?;
            if n == 0 {
                return None;
            }
            response.extend_from_slice(&buf[..n]);
        }
    }

    /// A WebDriver command in the session (`path` after `/session/<id>`).
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let answer = self.try_call(method, path, body).expect("chromedriver answers");
        assert!(answer["value"].get("error").is_none(), "{method} {path}: {answer}");
        answer
    }

    fn session(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)["value"].clone()
    }

    fn open(&self, url: &str) {
        self.session("POST", "/url", Some(json!({"url": url})));
    }

    fn script(&self, script: &str) -> Value {
        self.session("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    /// The element ids that match a CSS selector.
    fn find(&self, selector: &str) -> Vec<String> {
        let found = self.session(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": selector})),
        );
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_object().unwrap().values().next().unwrap().as_str().unwrap().to_owned())
            .collect()
    }

    fn click(&self, selector: &str) {
        let element = self.find(selector).into_iter().next().expect(selector);
        self.session("POST", &format!("/element/{element}/click"), Some(json!({})));
    }

    fn type_into(&self, selector: &str, text: &str) {
        let element = self.find(selector).into_iter().next().expect(selector);
        self.session("POST", &format!("/element/{element}/value"), Some(json!({"text": text})));
    }

    fn visible_text(&self, element: &str) -> (bool, String) {
        let shown = self.session("GET", &format!("/element/{element}/displayed"), None);
        let text = self.session("GET", &format!("/element/{element}/text"), None);
        (shown == true, text.as_str().unwrap_or_default().to_owned())
    }

    /// The model column of a board's visible rows, top to bottom.
    fn models(&self, table: &str) -> Vec<String> {
        let script = format!(
            "return Array.from(document.querySelectorAll('#{table} tbody tr'))\
             .filter(function (r) {{ return !r.hidden; }})\
             .map(function (r) {{ return r.cells[1].textContent + ' ' + r.cells[2].textContent; }});"
        );
        let rows = self.script(&script);
        rows.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn the_site_sorts_filters_and_shows_badges_in_a_browser() {
    if std::env::var_os("EVALGATE_E2E").is_none_or(|v| v != "1") {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the browser test runs with EVALGATE_E2E=1 (needs chromium and chromium-driver)"
        );
        return;
    }
    let driver = chromedriver().filter(|_| Path::new(CHROMIUM).exists()).unwrap_or_else(|| {
        panic!(
            "EVALGATE_E2E=1 but Chromium or chromedriver is missing: \
             apt-get install chromium chromium-driver"
        )
    });
    let lab = Lab::new("off");
    lab.build(&lab.site);
    let page = lab.site.join("benchmarks/Idavidrein/gpqa.html").canonicalize().unwrap();
    let browser = Browser::start(&driver);
    browser.open(&format!("file://{}", page.display()));

    // In rank order, best first.
    assert_eq!(browser.models("board-1"), ["lab/beta 0.72", "lab/alpha 0.61", "org/gamma 0.45"]);
    // A click on a header sorts by that column; a second click reverses.
    browser.click("#task-1 th:nth-child(2) button");
    assert_eq!(browser.models("board-1"), ["lab/alpha 0.61", "lab/beta 0.72", "org/gamma 0.45"]);
    browser.click("#task-1 th:nth-child(3) button");
    assert_eq!(browser.models("board-1"), ["org/gamma 0.45", "lab/alpha 0.61", "lab/beta 0.72"]);
    let sorted = browser.script(
        "return document.querySelector('#task-1 th:nth-child(3)').getAttribute('aria-sort');",
    );
    assert_eq!(sorted, "ascending");

    // Badges are there and visible.
    let verified = browser.find("#board-1 .badge.verified");
    assert_eq!(verified.len(), 1);
    assert_eq!(browser.visible_text(&verified[0]), (true, "verified".to_owned()));
    let source = browser.find("#board-1 .badge.source");
    assert_eq!(browser.visible_text(&source[0]), (true, "source".to_owned()));
    let community = browser.find("#board-2 .badge.community");
    assert_eq!(browser.visible_text(&community[0]), (true, "community (PR #1)".to_owned()));

    // The filter box hides the rows that do not match.
    browser.type_into("input[data-table=board-2]", "community");
    assert_eq!(browser.models("board-2"), ["lab/alpha 0.58"]);

    let shot = browser.session("GET", "/screenshot", None);
    let png = base64::engine::general_purpose::STANDARD.decode(shot.as_str().unwrap()).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    std::fs::write(target.join("leaderboard-screenshot.png"), png).unwrap();
}
