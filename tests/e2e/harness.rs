//! The end-to-end harness: serves the release `dist/` on a free loopback port, starts
//! chromedriver with Debian's Chromium headless in a fresh profile, and stops both when the
//! test ends, passes or fails.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

/// The Chromium flags that keep a headless browser quiet on a closed network.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// Where the built site is: `$MI_SIM_DIST`, or `dist/` in the crate.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("MI_SIM_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built site at {}: run `bash scripts/check.sh` (or `trunk build --release --offline`) first",
        dir.display()
    );
    dir
}

/// A static file server for `dist/` on 127.0.0.1, mounted at a path prefix such as `/` or
/// `/mi-sim/`. It records every request path so tests can see what the page fetched.
pub struct SiteServer {
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    /// The prefix the site is mounted at, with leading and trailing `/`.
    pub prefix: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl SiteServer {
    /// Serves `root` under `prefix` on a port the OS picks.
    pub fn start(root: PathBuf, prefix: &str) -> SiteServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let origin = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (log, prefix_owned) = (Arc::clone(&requests), prefix.to_string());
        // The listener thread ends with the test process; it holds no other resource.
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log, prefix) = (root.clone(), Arc::clone(&log), prefix_owned.clone());
                thread::spawn(move || serve_one(stream, &root, &prefix, &log));
            }
        });
        SiteServer {
            origin,
            prefix: prefix.to_string(),
            requests,
        }
    }

    /// The URL of the site's front page.
    pub fn url(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    /// Every path requested so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn serve_one(stream: TcpStream, root: &Path, prefix: &str, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    if let Ok(mut log) = log.lock() {
        log.push(path.clone());
    }
    let clean = path.split(['?', '#']).next().unwrap_or("/");
    let body = clean
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|seg| seg == ".."))
        .map(|rest| if rest.is_empty() { "index.html" } else { rest })
        .and_then(|rest| {
            std::fs::read(root.join(rest))
                .ok()
                .map(|bytes| (rest.to_string(), bytes))
        });
    let mut stream = stream;
    let _ = match body {
        Some((file, bytes)) => {
            let header = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                content_type(&file),
                bytes.len()
            );
            stream.write_all(header.as_bytes()).and_then(|_| stream.write_all(&bytes))
        }
        None => stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
        ),
    };
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// chromedriver in its own process group, killed with everything it started (Chromium
/// included) when dropped, so a failing test leaves no process behind.
pub struct Driver {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    profile: PathBuf,
}

impl Driver {
    /// Starts `/usr/bin/chromedriver` on a free port and waits for it to say it is ready.
    pub fn start() -> Driver {
        use std::os::unix::process::CommandExt;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("find a free port");
        let mut child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start /usr/bin/chromedriver (apt-get install chromium-driver)");
        let stdout = child.stdout.take().expect("chromedriver stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.contains("started successfully"));
        assert!(ready, "chromedriver exited before it was ready");
        // Keep draining its output so it never blocks on a full pipe.
        thread::spawn(move || lines.for_each(drop));
        let profile =
            std::env::temp_dir().join(format!("mi-sim-e2e-{}-{port}", std::process::id()));
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile,
        }
    }

    /// A new browser session with a fresh profile and the given window size.
    pub async fn browser(&self, width: u32, height: u32) -> Client {
        self.browser_with(width, height, &[]).await
    }

    /// A new browser session as [`Driver::browser`] opens, with Chromium also given `extra`
    /// arguments (such as `--force-prefers-reduced-motion`).
    pub async fn browser_with(&self, width: u32, height: u32, extra: &[&str]) -> Client {
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(format!("--user-data-dir={}", self.profile.display()));
        args.push(format!("--window-size={width},{height}"));
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!("capabilities literal is an object"),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("open a Chromium session through chromedriver");
        // Size the window so that the viewport (not the outer window) is width × height.
        client
            .set_window_size(width, height)
            .await
            .expect("set the window size");
        let inner = client
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await
            .expect("read the viewport size");
        let (iw, ih) = (
            inner[0].as_u64().unwrap_or(u64::from(width)) as u32,
            inner[1].as_u64().unwrap_or(u64::from(height)) as u32,
        );
        if (iw, ih) != (width, height) {
            client
                .set_window_size(2 * width - iw.min(width), 2 * height - ih.min(height))
                .await
                .expect("set the window size");
        }
        client
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A browser console entry, as chromedriver reports it.
#[derive(Debug, Clone)]
pub struct ConsoleEntry {
    /// `SEVERE`, `WARNING`, `INFO`…
    pub level: String,
    /// The text logged.
    pub message: String,
}

/// chromedriver's `POST /session/{id}/se/log`: the browser console since the last call.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

/// The console entries logged since the last call.
pub async fn console(client: &Client) -> Vec<ConsoleEntry> {
    let value = client
        .issue_cmd(BrowserLog)
        .await
        .expect("read the browser console log");
    value
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .map(|e| ConsoleEntry {
                    level: e["level"].as_str().unwrap_or_default().to_string(),
                    message: e["message"].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every URL the page loaded (the document and its resources), from the Performance API.
pub async fn loaded_urls(client: &Client) -> Vec<String> {
    let value = client
        .execute(
            "return performance.getEntries()
                .filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
                .map(e => e.name);",
            vec![],
        )
        .await
        .expect("read performance entries");
    value
        .as_array()
        .map(|urls| {
            urls.iter()
                .filter_map(|u| u.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}
