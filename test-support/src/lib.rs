//! Test-only helpers shared by the crates' test suites (never a runtime dependency).
//!
//! External vectors live outside the repository, in `../shared/vectors`
//! (relative to the project root), or wherever `PQSHIFT_VECTORS` points (a
//! relative path is taken from the project root). When they are absent a
//! test prints `skipped: vectors not found` and returns, except under
//! `CI=true`, where absence is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

/// The project root (the workspace directory).
///
/// Found at run time from the working directory (cargo runs tests in the
/// package's directory) by walking up to the `Cargo.toml` that declares
/// `[workspace]`; a compile-time path could point at another checkout when
/// a target directory is shared.
pub fn project_root() -> PathBuf {
    let start = std::env::current_dir().expect("the working directory is readable");
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            if text.lines().any(|l| l.trim() == "[workspace]") {
                return dir.to_path_buf();
            }
        }
    }
    panic!(
        "no pqshift workspace above {}: run the tests with cargo from the checkout",
        start.display()
    )
}

/// The vectors directory, whether or not it exists.
pub fn vectors_dir() -> PathBuf {
    match std::env::var_os("PQSHIFT_VECTORS") {
        Some(p) if !p.is_empty() => {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                project_root().join(p)
            }
        }
        _ => project_root().join("../shared/vectors"),
    }
}

/// True when running under CI (`CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Path of one vector file (relative to the vectors directory), or `None`
/// after printing "skipped: vectors not found". Panics under CI when absent.
pub fn vector_file(rel: &str) -> Option<PathBuf> {
    let p = vectors_dir().join(rel);
    if p.is_file() {
        return Some(p);
    }
    if in_ci() {
        panic!(
            "vectors not found: {} (set PQSHIFT_VECTORS; under CI=true absence is a failure)",
            p.display()
        );
    }
    eprintln!("skipped: vectors not found ({})", p.display());
    None
}

/// Loads a JSON vector file, or `None` when absent (see [`vector_file`]).
pub fn load_json(rel: &str) -> Option<serde_json::Value> {
    let p = vector_file(rel)?;
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

/// Loads a text vector file (CAVP `.rsp`), or `None` when absent.
pub fn load_text(rel: &str) -> Option<String> {
    let p = vector_file(rel)?;
    Some(std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
}

/// Decodes hex (either case; empty means zero bytes).
pub fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.trim()).unwrap_or_else(|e| panic!("bad hex {s:?}: {e}"))
}

pub mod wycheproof;

/// The string field `key` of a JSON object, decoded from hex.
pub fn hex_field(v: &serde_json::Value, key: &str) -> Vec<u8> {
    unhex(
        v.get(key)
            .and_then(|x| x.as_str())
            .unwrap_or_else(|| panic!("vector has no string field {key:?}: {v}")),
    )
}
