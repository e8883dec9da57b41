//! Page benchmark in headless Chromium: the gzipped size of the files the first view needs (the
//! page with its prerendered view, and what blocks its rendering) and of the app's own files,
//! the time to the first view on screen, to the app's first render and to the first scenario
//! ready to step and the first step taken (medians of 10 fresh loads); tokens, later steps, a
//! probe of the machine's speed, the large world; the world at Azure's limits loaded and panned.
//! Run after a release build: `trunk build --release --offline && cargo bench --bench page`
//! (`cargo bench --bench page -- limits` runs only the world at Azure's limits).

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

/// Waits half a second, presses Next at the start of a frame and answers the milliseconds until
/// the stepper shows the next step (polled after that frame).
#[cfg(not(target_arch = "wasm32"))]
const STEP_ONCE: &str = "const done = arguments[arguments.length - 1];
    const label = () => document.querySelector('.step-count').textContent;
    const next = document.querySelector(\"button[aria-label='Next step']\");
    setTimeout(() => requestAnimationFrame(() => {
      const before = label();
      const t0 = performance.now();
      next.click();
      const poll = () => label() !== before ? done(performance.now() - t0) : setTimeout(poll, 0);
      poll();
    }), 500);";

/// What the machine was doing while a part of the benchmark ran, from Linux's `/proc`: the
/// load average when it began, and the share of the processors' time that was busy (the browser,
/// the site's server and anything else) and that the hypervisor gave to other machines (steal).
/// A shared virtual machine slows down under either, and the figures in the browser with it.
#[cfg(not(target_arch = "wasm32"))]
mod machine {
    use std::fmt;

    /// The processors' time counters (`/proc/stat`, in clock ticks) and the 1-minute load average.
    pub struct Reading {
        ticks: Option<(u64, u64, u64)>,
        load: Option<f64>,
    }

    /// The change between two readings.
    pub struct Span {
        load_at_start: Option<f64>,
        busy_and_stolen: Option<(f64, f64)>,
    }

    impl Reading {
        pub fn now() -> Self {
            let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
            // cpu  user nice system idle iowait irq softirq steal ...
            let fields: Vec<u64> = stat
                .lines()
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .skip(1)
                .filter_map(|f| f.parse().ok())
                .collect();
            let ticks = (fields.len() >= 8).then(|| {
                let total: u64 = fields.iter().take(8).sum();
                let idle = fields[3] + fields[4];
                (total, idle, fields[7])
            });
            let load = std::fs::read_to_string("/proc/loadavg")
                .ok()
                .and_then(|l| l.split_whitespace().next()?.parse().ok());
            Reading { ticks, load }
        }

        pub fn since(&self, start: &Reading) -> Span {
            let busy_and_stolen = match (start.ticks, self.ticks) {
                (Some((t0, i0, s0)), Some((t1, i1, s1))) if t1 > t0 => {
                    let total = (t1 - t0) as f64;
                    let stolen = s1.saturating_sub(s0) as f64;
                    let idle = i1.saturating_sub(i0) as f64;
                    Some(((total - idle - stolen) / total, stolen / total))
                }
                _ => None,
            };
            Span {
                load_at_start: start.load,
                busy_and_stolen,
            }
        }
    }

    impl fmt::Display for Span {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match (self.load_at_start, self.busy_and_stolen) {
                (Some(load), Some((busy, stolen))) => write!(
                    f,
                    "load average {load:.2} at the start; processors busy {:.0}%, \
                     stolen by the hypervisor {:.1}%",
                    busy * 100.0,
                    stolen * 100.0
                ),
                _ => write!(f, "not known (no /proc on this system)"),
            }
        }
    }
}

/// Opens the page at `url` and waits for the app's first render (its graph on screen, the
/// prerendered first view taken over).
#[cfg(not(target_arch = "wasm32"))]
async fn load(client: &fantoccini::Client, url: &str) {
    client.goto(url).await.expect("load the page");
    client
        .wait()
        .for_element(fantoccini::Locator::Css(
            "#root:not([inert]) > .app main svg.graph",
        ))
        .await
        .expect("first render");
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
    if std::env::args().any(|a| a == "limits") {
        limits::run(&driver, &site).await;
        return;
    }
    let (mut shown, mut times, mut ready) = (Vec::new(), Vec::new(), Vec::new());
    let mut first_steps = Vec::new();
    let machine_before = machine::Reading::now();
    let mut first_view_files = Vec::new();
    for _ in 0..LOADS {
        // A fresh session each time: nothing cached, a cold start like a first visit.
        let client = driver.browser(1440, 900).await;
        load(&client, &site.url()).await;
        client
            .wait()
            .for_element(Locator::Css(
                "button[aria-label='Next step']:not([disabled])",
            ))
            .await
            .expect("the stepper takes a step");
        // The first view is on screen at the first contentful paint (the page's own HTML);
        // what it needed is the page and the files that blocked its rendering.
        let marks = client
            .execute(
                "const at = name => performance.getEntriesByName(name)[0]?.startTime
                   ?? JSON.stringify(performance.getEntries().map(e => [e.entryType, e.name]));
                 const blocking = performance.getEntriesByType('resource')
                   .filter(r => r.renderBlockingStatus === 'blocking')
                   .map(r => new URL(r.name).pathname);
                 return [at('first-contentful-paint'), at('mi-sim:first-render'),
                         at('mi-sim:ready-to-step'), blocking,
                         document.documentElement.classList.contains('no-first-view')];",
                vec![],
            )
            .await
            .expect("read the paint and the first-render and ready-to-step marks");
        let ms = |i: usize| marks[i].as_f64().expect("a number of milliseconds");
        assert_eq!(
            marks[4], false,
            "a first visit shows the prerendered first view"
        );
        shown.push(ms(0));
        times.push(ms(1));
        ready.push(ms(2));
        // The first step a visitor takes, on code that has not run yet: Next pressed half a
        // second after the page is ready (a person reading it), timed to the stepper showing
        // the new step after the frame that draws it.
        let first_step = client
            .execute_async(STEP_ONCE, vec![])
            .await
            .expect("time the first step");
        first_steps.push(first_step.as_f64().expect("a number of milliseconds"));
        first_view_files = marks[3]
            .as_array()
            .expect("a list of paths")
            .iter()
            .map(|p| {
                p.as_str()
                    .unwrap_or_default()
                    .trim_start_matches('/')
                    .to_string()
            })
            .collect();
        client.close().await.expect("close the session");
    }
    let machine_during_loads = machine::Reading::now().since(&machine_before);
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        ((v[LOADS / 2 - 1] + v[LOADS / 2]) / 2.0, v[0], v[LOADS - 1])
    };

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
    first_view_files.push("index.html".to_string());
    println!("| file | bytes | gzipped (gzip -9) | needed by |\n|---|---:|---:|---|");
    let (mut first_view, mut total) = (0, 0);
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
        let needed_by = if first_view_files.contains(file) {
            first_view += gz;
            "first view"
        } else {
            "the app"
        };
        println!("| `{file}` | {} | {gz} | {needed_by} |", bytes.len());
    }
    println!("| **first view** | | **{first_view}** | |");
    println!("| **everything** | | **{total}** | |");
    for (what, times) in [
        (
            "the first view on screen (first contentful paint)",
            &mut shown,
        ),
        ("the app's first render", &mut times),
        ("the first scenario ready to step", &mut ready),
    ] {
        let (median, min, max) = median(times);
        println!(
            "Time to {what} over {LOADS} cold loads: median {median:.1} ms \
             (min {min:.1}, max {max:.1})"
        );
    }

    // Token issue + verify in the shipped wasm, beside WebCrypto signing, in one browser run.
    const ROUNDS: usize = 50;
    let client = driver.browser(1440, 900).await;
    load(&client, &site.url()).await;
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
    // How fast this machine computes right now: a fixed arithmetic loop (the processor) and a
    // walk over 64 MB in a scattered order (memory and caches). Medians of 5. It stays the same
    // on some slow runs; the machine line under the steps says what else was running.
    let probe = client
        .execute(
            "const median = f => { const runs = [];
               for (let r = 0; r < 5; r++) { const t0 = performance.now(); f(); runs.push(performance.now() - t0); }
               return runs.sort((a, b) => a - b)[2]; };
             let x = 0;
             const loop = median(() => { for (let i = 0; i < 2e7; i++) { x = (x + i * 7) % 1000003; } });
             const cells = new Int32Array(1 << 24);
             const walk = median(() => { let j = 0;
               for (let i = 0; i < 1 << 22; i++) { j = (j + 40503 * 16 + 1) & ((1 << 24) - 1); x += cells[j]++; } });
             return [loop, walk, x];",
            vec![],
        )
        .await
        .expect("run the machine probe");
    // Steps on code that has run: from a click on Next (or Previous) to the stepper showing the
    // new step, through all nine steps of the default scenario and back.
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
             requestAnimationFrame(round);",
            vec![],
        )
        .await
        .expect("time the steps");

    // The large world (500 resources, 200 identities, 2,000 assignments): layout in the
    // shipped wasm; then the app opened on it (through autosave) for first render, selection
    // and an edit, each timed from the event to the DOM showing its result.
    // The steps above are autosaved a moment after the last one (and on leaving the page):
    // let that write happen before the large world is saved, or it would replace it.
    client
        .execute_async(
            "const done = arguments[arguments.length - 1]; setTimeout(() => done(true), 1000);",
            vec![],
        )
        .await
        .expect("wait for autosave");
    let large = hook(&client, "benchLargeWorld(10)").await;
    let saved = client
        .execute("return window.wasmBindings.benchOpenLargeWorld()", vec![])
        .await
        .expect("save the large world");
    let (mut first, mut app_time) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        load(&client, &site.url()).await;
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
        "| ratio, mi-sim sign + verify / WebCrypto sign + verify (the budget: at most 10×) | {:.1}× |",
        (issue + verify) / (wc_sign + wc_verify)
    );
    println!(
        "\nMachine probe, medians of 5: a JavaScript loop of 2×10⁷ steps {:.1} ms; \
         4×2²⁰ scattered reads and writes over 64 MB {:.1} ms",
        probe[0].as_f64().unwrap_or(f64::NAN),
        probe[1].as_f64().unwrap_or(f64::NAN)
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
    let (first_median, first_min, first_max) = median(&mut first_steps);
    println!(
        "\nA step applied (click to the stepper showing it after its frame):\n\
         - the first step after a cold load, {LOADS} loads: median {first_median:.1} ms \
         (min {first_min:.1}, max {first_max:.1})\n\
         - then 16 steps in one page: median {:.1} ms, max {:.1} ms",
        step_ms.get(step_ms.len() / 2).copied().unwrap_or(f64::NAN),
        step_ms.last().copied().unwrap_or(f64::NAN)
    );
    println!("- the machine during the cold loads: {machine_during_loads}");
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

    limits::run(&driver, &site).await;
}

/// The world at Azure's limits (4,000 role assignments, 2,000 resources, 500 identities) in
/// the app: loaded the way a person reloads it (restored from autosave), then panned with the
/// pointer at the fit-to-world zoom and zoomed in on the middle of the world, where most
/// assignment lines cross the view.
#[cfg(not(target_arch = "wasm32"))]
mod limits {
    use super::harness::{Driver, SiteServer};
    use super::{hook, load};
    use fantoccini::{Client, Locator};
    use serde_json::Value;

    /// One frame at 60 frames per second, in milliseconds.
    const FRAME_MS: f64 = 1000.0 / 60.0;
    /// How long each pan lasts, in milliseconds.
    const PAN_MS: u32 = 2000;
    const LOADS: usize = 5;

    /// The intervals between animation frames of a run, summed up.
    struct Frames {
        count: usize,
        fps: f64,
        median: f64,
        p95: f64,
        max: f64,
        dropped: u64,
    }

    impl Frames {
        fn of(run: &Value) -> Frames {
            let mut gaps: Vec<f64> = run["gaps"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            let elapsed = run["elapsed"].as_f64().unwrap_or(f64::NAN);
            gaps.sort_by(f64::total_cmp);
            let at = |q: f64| {
                let i = ((q * gaps.len() as f64).ceil() as usize).clamp(1, gaps.len().max(1)) - 1;
                gaps.get(i).copied().unwrap_or(f64::NAN)
            };
            // A gap of n frame times (rounded) means n - 1 frames were not drawn.
            let dropped = gaps
                .iter()
                .map(|g| ((g / FRAME_MS).round() as u64).saturating_sub(1))
                .sum();
            Frames {
                count: gaps.len(),
                fps: gaps.len() as f64 * 1000.0 / elapsed,
                median: at(0.5),
                p95: at(0.95),
                max: gaps.last().copied().unwrap_or(f64::NAN),
                dropped,
            }
        }

        fn row(&self, what: &str) -> String {
            format!(
                "| {what} | {:.1} | {:.1} | {:.1} | {:.1} | {} of {} |",
                self.fps,
                self.median,
                self.p95,
                self.max,
                self.dropped,
                self.count + self.dropped as usize
            )
        }
    }

    /// Animation frames for `ms` milliseconds while nothing happens: the browser's own pace.
    const IDLE: &str = "const done = arguments[arguments.length - 1];
        const ms = arguments[0];
        const gaps = []; let last = null, start = null;
        const frame = (ts) => {
          if (last !== null) gaps.push(ts - last);
          last = ts; if (start === null) start = ts;
          if (ts - start >= ms) { done({ gaps, elapsed: ts - start }); return; }
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);";

    /// A pointer drag on the graph, as a mouse makes it: pointer down in the middle of the
    /// canvas, one move of (dx, dy) pixels every animation frame for half of `ms`, then back
    /// the same way, then pointer up. Answers the intervals between frames.
    const PAN: &str = "const done = arguments[arguments.length - 1];
        const [dx, dy, ms] = [arguments[0], arguments[1], arguments[2]];
        const svg = document.querySelector('svg.world-graph');
        const r = svg.getBoundingClientRect();
        let x = r.left + r.width / 2, y = r.top + r.height / 2;
        const send = (type) => svg.dispatchEvent(new PointerEvent(type, {
          bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', isPrimary: true,
          clientX: x, clientY: y, button: 0, buttons: type === 'pointerup' ? 0 : 1 }));
        send('pointerdown');
        const gaps = []; let last = null, start = null;
        const frame = (ts) => {
          if (last !== null) gaps.push(ts - last);
          last = ts; if (start === null) start = ts;
          if (ts - start >= ms) {
            send('pointerup');
            requestAnimationFrame(() => done({ gaps, elapsed: ts - start }));
            return;
          }
          const back = ts - start >= ms / 2 ? -1 : 1;
          x += back * dx; y += back * dy;
          send('pointermove');
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);";

    /// What the graph shows now: its view box, screen pixels per graph unit, and how many
    /// elements it holds.
    const SHOWN: &str = "const svg = document.querySelector('svg.world-graph');
        const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
        const r = svg.getBoundingClientRect();
        return { viewBox: [x, y, w, h], scale: Math.min(r.width / w, r.height / h),
                 elements: svg.querySelectorAll('*').length,
                 nodes: svg.querySelectorAll('.node').length };";

    /// The marks of one load: wasm start, first render, first frame drawn.
    async fn marks(client: &Client) -> [f64; 3] {
        let marks = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const names = ['mi-sim:start', 'mi-sim:first-render', 'mi-sim:first-frame'];
                 const poll = () => {
                   const m = names.map(n => performance.getEntriesByName(n)[0]);
                   if (m.every(e => e)) done(m.map(e => e.startTime)); else setTimeout(poll, 5);
                 };
                 poll();",
                vec![],
            )
            .await
            .expect("read the start, first-render and first-frame marks");
        let at = |i: usize| marks[i].as_f64().unwrap_or(f64::NAN);
        [at(0), at(1), at(2)]
    }

    /// The world opened as a scenario file (the way a person gets a world this large), then
    /// reloaded: how long the file took to open, and the median load of three reloads.
    async fn load_as_file(client: &Client, site: &SiteServer) -> (Value, f64, f64) {
        let opened = hook(client, "benchOpenWorldAtLimitsAsFile()").await;
        let (mut first, mut frame) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            client
                .goto(&site.url())
                .await
                .expect("reload on the opened file");
            let [_, render, drawn] = marks(client).await;
            first.push(render);
            frame.push(drawn);
        }
        first.sort_by(f64::total_cmp);
        frame.sort_by(f64::total_cmp);
        (opened, first[1], frame[1])
    }

    async fn shown(client: &Client) -> Value {
        client.execute(SHOWN, vec![]).await.expect("read the graph")
    }

    async fn frames(client: &Client, script: &str, args: Vec<Value>) -> Frames {
        let run = client
            .execute_async(script, args)
            .await
            .expect("time animation frames");
        Frames::of(&run)
    }

    pub async fn run(driver: &Driver, site: &SiteServer) {
        let client = driver.browser(1440, 900).await;
        load(&client, &site.url()).await;
        let opened = hook(&client, "benchOpenWorldAtLimits()").await;
        let (mut first, mut frame, mut app_time) = (Vec::new(), Vec::new(), Vec::new());
        let mut nodes = Value::Null;
        for _ in 0..LOADS {
            client
                .goto(&site.url())
                .await
                .expect("reload on the world at Azure's limits");
            let [start, render, drawn] = marks(&client).await;
            first.push(render);
            frame.push(drawn);
            app_time.push(render - start);
            nodes = shown(&client).await["nodes"].clone();
        }
        let median_of = |xs: &mut Vec<f64>| {
            xs.sort_by(f64::total_cmp);
            xs[xs.len() / 2]
        };
        let file_load = load_as_file(&client, site).await;
        client
            .execute(
                "window.wasmBindings.benchOpenWorldAtLimits(); return true",
                vec![],
            )
            .await
            .expect("save the world at Azure's limits again");
        client.goto(&site.url()).await.expect("reload");
        client
            .wait()
            .for_element(Locator::Css(".world-graph .node.outline"))
            .await
            .expect("the world at Azure's limits again");
        let stored = client
            .execute(
                "const t = localStorage.getItem('mi-sim:autosave'); return t ? t.length : 0",
                vec![],
            )
            .await
            .expect("read the saved state");

        let idle = frames(&client, IDLE, vec![Value::from(1000)]).await;
        let fitted = shown(&client).await;
        let fit_pan = frames(&client, PAN, vec![3.into(), 10.into(), PAN_MS.into()]).await;

        // Zoom in on the middle of the world (the zoom keeps the view's centre) until labels
        // are drawn at their own size, then back to where the pan started.
        let canvas = client
            .find(Locator::Css("svg.world-graph"))
            .await
            .expect("the graph");
        client
            .find(Locator::XPath("//button[normalize-space()='Fit']"))
            .await
            .expect("the Fit button")
            .click()
            .await
            .expect("fit the world");
        let mut zoomed = shown(&client).await;
        for _ in 0..60 {
            if zoomed["scale"].as_f64().unwrap_or(0.0) >= 0.95 {
                break;
            }
            canvas.send_keys("+").await.expect("zoom in");
            zoomed = shown(&client).await;
        }
        let middle_pan = frames(&client, PAN, vec![3.into(), 10.into(), PAN_MS.into()]).await;
        let after = shown(&client).await;
        client
            .execute("localStorage.clear(); return true", vec![])
            .await
            .expect("clear the saved world");
        client.close().await.expect("close the session");

        println!(
            "\nWorld at Azure's limits in Chromium ({} graph nodes; built once in {:.0} ms; \
             saved JSON {} characters, stored as {} (kept by the browser: {}; written in {:.0} \
             ms); {} characters in storage after the runs):",
            nodes,
            opened["buildMs"].as_f64().unwrap_or(f64::NAN),
            opened["jsonChars"],
            opened["chars"],
            opened["stored"],
            opened["saveMs"].as_f64().unwrap_or(f64::NAN),
            stored
        );
        println!("| load, restored from autosave, median of {LOADS} | ms |\n|---|---:|");
        println!(
            "| first render since navigation | {:.1} |",
            median_of(&mut first)
        );
        println!(
            "| first frame drawn since navigation | {:.1} |",
            median_of(&mut frame)
        );
        println!(
            "| … the app's own time (wasm start to first render) | {:.1} |",
            median_of(&mut app_time)
        );
        let (file, file_first, file_frame) = file_load;
        println!(
            "\nOpened as a scenario file ({} characters): opening took {:.0} ms; saved state {} \
             characters (kept: {}); reloaded, median of 3: first render {:.1} ms, first frame \
             {:.1} ms",
            file["fileChars"],
            file["openMs"].as_f64().unwrap_or(f64::NAN),
            file["chars"],
            file["stored"],
            file_first,
            file_frame
        );
        println!("\nPointer pan, {PAN_MS} ms each, one move per frame (3, 10 px), there and back:");
        println!(
            "| what | frames/s | median ms | p95 ms | max ms | dropped |\n|---|---:|---:|---:|---:|---:|"
        );
        println!("{}", idle.row("idle (no pan), 1 s"));
        println!(
            "{}",
            fit_pan.row(&format!(
                "fit to world (scale {:.4}, {} elements)",
                fitted["scale"].as_f64().unwrap_or(f64::NAN),
                fitted["elements"]
            ))
        );
        println!(
            "{}",
            middle_pan.row(&format!(
                "zoomed in on the middle (scale {:.2}, {} elements before, {} after)",
                zoomed["scale"].as_f64().unwrap_or(f64::NAN),
                zoomed["elements"],
                after["elements"]
            ))
        );
    }
}
