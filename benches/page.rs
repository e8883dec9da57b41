//! Page benchmark in headless Chromium: the gzipped size of every file the first view
//! downloads, the time to first render and to the first scenario ready to step (medians of 10
//! fresh loads), and the figures below.
//! Run after a release build: `trunk build --release --offline && cargo bench --bench page`.

#[cfg(not(target_arch = "wasm32"))]
#[path = "../tests/e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

#[cfg(target_arch = "wasm32")]
fn main() {}

/// Calls a benchmark hook the page exports on `window.wasmBindings` and parses its JSON answer.
#[cfg(not(target_arch = "wasm32"))]
async fn hook(client: &fantoccini::Client, call: &str) -> serde_json::Value {
    let text = client
        .execute(&format!("return window.wasmBindings.{call}"), vec![])
        .await
        .unwrap_or_else(|e| panic!("run the benchmark hook {call}: {e}"));
    serde_json::from_str(text.as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{call} answers JSON: {e}"))
}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::main]
async fn main() {
    use fantoccini::Locator;
    use harness::{Driver, SiteServer, dist_dir};
    use std::process::Command;

    const LOADS: usize = 10;
    let dist = dist_dir();
    let site = SiteServer::start(dist.clone(), "/");
    let driver = Driver::start();
    let (mut times, mut ready) = (Vec::with_capacity(LOADS), Vec::with_capacity(LOADS));
    for _ in 0..LOADS {
        // A fresh session each time: nothing cached, a cold start like a first visit.
        let client = driver.browser(1440, 900).await;
        client.goto(&site.url()).await.expect("load the page");
        client
            .wait()
            .for_element(Locator::Css("main svg.graph"))
            .await
            .expect("first render");
        client
            .wait()
            .for_element(Locator::Css(
                "button[aria-label='Next step']:not([disabled])",
            ))
            .await
            .expect("the stepper takes a step");
        let marks = client
            .execute(
                "return ['mi-sim:first-render', 'mi-sim:ready-to-step']
                   .map(name => performance.getEntriesByName(name)[0].startTime)",
                vec![],
            )
            .await
            .expect("read the first-render and ready-to-step marks");
        let ms = |i: usize| marks[i].as_f64().expect("a number of milliseconds");
        times.push(ms(0));
        ready.push(ms(1));
        client.close().await.expect("close the session");
    }
    times.sort_by(f64::total_cmp);
    ready.sort_by(f64::total_cmp);
    let median = (times[LOADS / 2 - 1] + times[LOADS / 2]) / 2.0;
    let ready_median = (ready[LOADS / 2 - 1] + ready[LOADS / 2]) / 2.0;

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
        // gzip reads the file itself: feeding a large file through a pipe while its output
        // fills the other pipe would deadlock.
        let gz = Command::new("gzip")
            .arg("-9c")
            .arg(dist.join(file))
            .output()
            .expect("run gzip")
            .stdout
            .len();
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
    println!(
        "Time to the first scenario ready to step over the same loads: median {ready_median:.1} ms \
         (min {:.1}, max {:.1})",
        ready[0],
        ready[LOADS - 1]
    );

    // Token issue + verify in the shipped wasm, beside WebCrypto signing, in one browser run.
    const ROUNDS: usize = 50;
    let client = driver.browser(1440, 900).await;
    client.goto(&site.url()).await.expect("load the page");
    client
        .wait()
        .for_element(Locator::Css("main svg.graph"))
        .await
        .expect("first render");
    let ours = hook(&client, &format!("benchToken({ROUNDS})")).await;
    let webcrypto = client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 (async () => {{
                   const alg = {{ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
                                  publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }};
                   const keys = await crypto.subtle.generateKey(alg, false, ['sign', 'verify']);
                   const data = new TextEncoder().encode('x'.repeat(1100));
                   const sign = [], verify = [];
                   for (let i = 0; i < {ROUNDS}; i++) {{
                     const t0 = performance.now();
                     const sig = await crypto.subtle.sign(alg.name, keys.privateKey, data);
                     const t1 = performance.now();
                     await crypto.subtle.verify(alg.name, keys.publicKey, sig, data);
                     sign.push(t1 - t0); verify.push(performance.now() - t1);
                   }}
                   done({{ sign, verify }});
                 }})();"
            ),
            vec![],
        )
        .await
        .expect("run WebCrypto signing");
    let matrix = hook(&client, "benchAccessMatrix(10)").await;
    // A step applied: from a click on Next (or Previous) to the stepper showing the new step,
    // through all nine steps of the default scenario and back.
    let steps = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const label = () => document.querySelector('.step-count').textContent;
             const next = document.querySelector(\"button[aria-label='Next step']\");
             const prev = document.querySelector(\"button[aria-label='Previous step']\");
             const times = [];
             const round = () => {
               if (times.length === 16) { done(times); return; }
               const before = label();
               const t0 = performance.now();
               (times.length < 8 ? next : prev).click();
               const poll = () => {
                 if (label() !== before) { times.push(performance.now() - t0); requestAnimationFrame(round); }
                 else { setTimeout(poll, 0); }
               };
               poll();
             };
             round();",
            vec![],
        )
        .await
        .expect("time the steps");

    // The large world (500 resources, 200 identities, 2,000 assignments): layout in the
    // shipped wasm; then the app opened on it (through autosave) for first render, selection
    // and an edit, each timed from the event to the DOM showing its result.
    let large = hook(&client, "benchLargeWorld(10)").await;
    let saved = client
        .execute("return window.wasmBindings.benchOpenLargeWorld()", vec![])
        .await
        .expect("save the large world");
    let (mut first, mut app_time) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        client
            .goto(&site.url())
            .await
            .expect("reload on the large world");
        client
            .wait()
            .for_element(Locator::Css("main svg.graph"))
            .await
            .expect("first render of the large world");
        let marks = client
            .execute(
                "return ['mi-sim:start', 'mi-sim:first-render']
                     .map(n => performance.getEntriesByName(n)[0].startTime)",
                vec![],
            )
            .await
            .expect("read the start and first-render marks");
        let at = |i: usize| marks[i].as_f64().unwrap_or(f64::NAN);
        first.push(at(1));
        app_time.push(at(1) - at(0));
    }
    // Time from a click to the frame that shows its result (a class or a node appearing).
    let timed = |setup: &str, check: &str| {
        format!(
            "const done = arguments[arguments.length - 1];
             const t0 = performance.now();
             {setup}
             const poll = () => {{ if ({check}) {{ done(performance.now() - t0); }} else {{ setTimeout(poll, 1); }} }};
             poll();"
        )
    };
    let mut select = Vec::new();
    for i in 0..5 {
        let ms = client
            .execute_async(
                &timed(
                    &format!(
                        "const n = document.querySelector('[aria-label^=\"Virtual machine vm-{i},\"]');
                         n.dispatchEvent(new MouseEvent('click', {{ bubbles: true }}));"
                    ),
                    "document.querySelector('.node.selected') && document.querySelector('.inspect-tab h2')",
                ),
                vec![],
            )
            .await
            .expect("time a selection");
        select.push(ms.as_f64().unwrap_or(f64::NAN));
    }
    client
        .find(Locator::XPath("//button[@role='tab' and .='Edit']"))
        .await
        .expect("the Edit tab")
        .click()
        .await
        .expect("open the Edit tab");
    let mut edit = Vec::new();
    for i in 0..5 {
        client
            .find(Locator::Id("identity-host"))
            .await
            .expect("the identity form")
            .select_by_value(&format!("vm-{}", 10 + i))
            .await
            .expect("pick a VM");
        let ms = client
            .execute_async(
                &timed(
                    "[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Disable system-assigned').click();",
                    &format!("!document.querySelector('[aria-label^=\"Service principal vm-{}\"]')", 10 + i),
                ),
                vec![],
            )
            .await
            .expect("time an edit");
        edit.push(ms.as_f64().unwrap_or(f64::NAN));
    }
    client
        .execute("localStorage.clear(); return true", vec![])
        .await
        .expect("clear the saved large world");
    client.close().await.expect("close the session");

    // Means, not medians: the browser rounds performance.now() coarsely, and a mean of many
    // samples still resolves sub-tick costs such as WebCrypto's verify.
    let mean_of = |v: &serde_json::Value| -> f64 {
        let xs: Vec<f64> = v
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
            .unwrap_or_default();
        xs.iter().sum::<f64>() / xs.len() as f64
    };
    let (issue, verify) = (mean_of(&ours["issueMs"]), mean_of(&ours["verifyMs"]));
    let (wc_sign, wc_verify) = (mean_of(&webcrypto["sign"]), mean_of(&webcrypto["verify"]));
    println!("\nIn Chromium, mean of {ROUNDS} rounds (ms):");
    println!("| what | ms |\n|---|---:|");
    println!(
        "| demo key load (once) | {:.2} |",
        ours["keyLoadMs"].as_f64().unwrap_or(f64::NAN)
    );
    println!("| mi-sim: issue + RS256-sign a managed-identity token | {issue:.2} |");
    println!("| mi-sim: verify it against the JWKS | {verify:.2} |");
    println!("| mi-sim: issue + sign + verify | {:.2} |", issue + verify);
    println!("| WebCrypto RSASSA-PKCS1-v1_5 sign | {wc_sign:.2} |");
    println!("| WebCrypto RSASSA-PKCS1-v1_5 verify | {wc_verify:.2} |");
    println!(
        "| ratio, mi-sim sign / WebCrypto sign | {:.1}× |",
        issue / wc_sign
    );
    println!(
        "\nAccess matrix at Azure's limits in Chromium ({} cells, blob read): \
         world built in {:.1} ms; matrix mean of 10: {:.2} ms",
        matrix["cells"],
        matrix["buildMs"].as_f64().unwrap_or(f64::NAN),
        mean_of(&matrix["matrixMs"])
    );
    let mut step_ms: Vec<f64> = steps
        .as_array()
        .map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    step_ms.sort_by(f64::total_cmp);
    println!(
        "\nA step applied (click to the stepper showing it), 16 steps: median {:.1} ms, max {:.1} ms",
        step_ms.get(step_ms.len() / 2).copied().unwrap_or(f64::NAN),
        step_ms.last().copied().unwrap_or(f64::NAN)
    );
    let median_of = |xs: &mut Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    println!(
        "\nLarge world in Chromium ({} resources, {} role assignments, {} nodes; saved state {} bytes):",
        large["resources"], large["assignments"], large["nodes"], saved
    );
    println!("| what | ms |\n|---|---:|");
    println!(
        "| build the world (once) | {:.1} |",
        large["buildMs"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "| graph::layout, mean of 10 | {:.2} |",
        mean_of(&large["layoutMs"])
    );
    println!(
        "| first render (restored from autosave) since navigation, median of 5 | {:.1} |",
        median_of(&mut first)
    );
    println!(
        "| … of which the app's own time (wasm start to first render), median of 5 | {:.1} |",
        median_of(&mut app_time)
    );
    println!(
        "| select a VM → selected and inspected, median of 5 | {:.1} |",
        median_of(&mut select)
    );
    println!(
        "| disable an identity → its service principal gone, median of 5 | {:.1} |",
        median_of(&mut edit)
    );
}
