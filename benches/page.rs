//! Page benchmark in headless Chromium: the gzipped size of every file the first view
//! downloads, and the time to first render (median of 10 fresh loads).
//! Run after a release build: `trunk build --release --offline && cargo bench --bench page`.

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::main]
async fn main() {
    use fantoccini::Locator;
    use harness::{Driver, SiteServer, dist_dir};
    use std::io::Write;
    use std::process::{Command, Stdio};

    const LOADS: usize = 10;
    let dist = dist_dir();
    let site = SiteServer::start(dist.clone(), "/");
    let driver = Driver::start();
    let mut times = Vec::with_capacity(LOADS);
    for _ in 0..LOADS {
        // A fresh session each time: nothing cached, a cold start like a first visit.
        let client = driver.browser(1440, 900).await;
        client.goto(&site.url()).await.expect("load the page");
        client
            .wait()
            .for_element(Locator::Css("main svg.graph"))
            .await
            .expect("first render");
        let ms = client
            .execute(
                "return performance.getEntriesByName('mi-sim:first-render')[0].startTime",
                vec![],
            )
            .await
            .expect("read the first-render mark");
        times.push(ms.as_f64().expect("a number of milliseconds"));
        client.close().await.expect("close the session");
    }
    times.sort_by(f64::total_cmp);
    let median = (times[LOADS / 2 - 1] + times[LOADS / 2]) / 2.0;

    let mut files: Vec<String> = site
        .requests()
        .into_iter()
        .map(|p| p.trim_start_matches('/').to_string())
        .map(|p| {
            if p.is_empty() {
                "index.html".to_string()
            } else {
                p
            }
        })
        .collect();
    files.sort();
    files.dedup();
    println!("| file | bytes | gzipped (gzip -9) |\n|---|---:|---:|");
    let mut total = 0;
    for file in &files {
        let bytes = std::fs::read(dist.join(file)).expect("read a served file");
        let mut gzip = Command::new("gzip")
            .arg("-9c")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run gzip");
        gzip.stdin
            .take()
            .expect("gzip stdin")
            .write_all(&bytes)
            .expect("feed gzip");
        let gz = gzip.wait_with_output().expect("gzip output").stdout.len();
        total += gz;
        println!("| `{file}` | {} | {gz} |", bytes.len());
    }
    println!("| **total** | | **{total}** |");
    println!(
        "\nTime to first render over {LOADS} cold loads: median {median:.1} ms \
         (min {:.1}, max {:.1})",
        times[0],
        times[LOADS - 1]
    );
}
