//! Architecture invariants checked as tests: the pure layers (`src/model/`, `src/view/`) use no
//! web crate, so they compile and are tested natively.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Crates only the browser shell may use.
const WEB_CRATES: &[&str] = &["yew", "web_sys", "js_sys", "gloo", "wasm_bindgen"];

/// The web crates a piece of Rust source names, outside `//` comments.
fn web_crates_used(source: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let words = code.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        for word in words {
            if let Some(name) = WEB_CRATES.iter().find(|name| **name == word)
                && !found.contains(name)
            {
                found.push(*name);
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn model_and_view_use_no_web_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("model.rs"), src.join("view.rs")];
    rust_files(&src.join("model"), &mut files);
    rust_files(&src.join("view"), &mut files);
    assert!(
        files.len() >= 4,
        "expected the model and view sources, found {files:?}"
    );
    let offenders: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(file).ok()?;
            let used = web_crates_used(&text);
            (!used.is_empty()).then(|| format!("{} uses {}", file.display(), used.join(", ")))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "pure layers must not use web crates:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn scanner_flags_web_crates_in_code_and_ignores_comments() {
    let cases: &[(&str, &[&str])] = &[
        ("use yew::prelude::*;", &["yew"]),
        ("let w = web_sys::window();", &["web_sys"]),
        ("#[wasm_bindgen]\npub fn f() {}", &["wasm_bindgen"]),
        ("gloo::timers::callback::Timeout::new(1, f);", &["gloo"]),
        (
            "let x = js_sys::Date::now(); use yew::Html;",
            &["js_sys", "yew"],
        ),
        ("// yew would be wrong here", &[]),
        ("let yewtree = 1; let gloomy = 2;", &[]),
        ("fn plain() -> u32 { 1 }", &[]),
    ];
    for (source, expected) in cases {
        assert_eq!(web_crates_used(source), *expected, "source: {source}");
    }
}
