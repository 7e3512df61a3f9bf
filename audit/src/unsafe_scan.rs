//! Finds `unsafe` in Rust source: blocks, functions, impls, traits, extern
//! blocks and fn-pointer types, with file and line, ignoring comments,
//! string and character literals. Also reads the `unsafe_code` lint level
//! a crate root sets (`#![forbid(unsafe_code)]`, ...) and every place that
//! allows it again.
//!
//! A small tokenizer, not a parser: enough to tell code from comments and
//! literals, and to name what follows the keyword.

use std::path::{Path, PathBuf};

use crate::AuditError;

/// What an `unsafe` keyword introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnsafeKind {
    /// `unsafe { ... }`.
    Block,
    /// `unsafe fn` (or `unsafe extern "C" fn name`).
    Fn,
    /// `unsafe impl`.
    Impl,
    /// `unsafe trait`.
    Trait,
    /// `unsafe extern "C" { ... }`.
    ExternBlock,
    /// `unsafe extern "C" fn(...)` or `unsafe fn(...)` as a type.
    FnPointerType,
    /// `#[unsafe(no_mangle)]` and the like.
    Attribute,
    /// Anything else.
    Other,
}

impl UnsafeKind {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnsafeKind::Block => "block",
            UnsafeKind::Fn => "fn",
            UnsafeKind::Impl => "impl",
            UnsafeKind::Trait => "trait",
            UnsafeKind::ExternBlock => "extern-block",
            UnsafeKind::FnPointerType => "fn-pointer-type",
            UnsafeKind::Attribute => "attribute",
            UnsafeKind::Other => "other",
        }
    }
}

/// One `unsafe` in the source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnsafeSite {
    /// File, relative to the crate directory (`src/ffi.rs`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What it introduces.
    pub kind: UnsafeKind,
}

/// A `#[..(unsafe_code)]` attribute.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LintAttribute {
    /// File, relative to the crate directory.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// `forbid`, `deny`, `warn` or `allow`.
    pub level: String,
    /// True for an inner attribute (`#![...]`), which covers its whole file or module.
    pub inner: bool,
}

/// The unsafe code of one crate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnsafeReport {
    /// The `unsafe_code` level set at the crate root (`src/lib.rs`):
    /// `forbid`, `deny`, `warn`, `allow`, or `none` when it sets none.
    pub crate_level: String,
    /// True when the crate root forbids unsafe code (nothing can allow it again).
    pub forbid_unsafe_code: bool,
    /// Places that allow unsafe code again (under a crate-level `deny`).
    pub allowed_in: Vec<LintAttribute>,
    /// Number of `unsafe` sites.
    pub count: usize,
    /// Every site.
    pub sites: Vec<UnsafeSite>,
    /// Files scanned.
    pub files_scanned: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Punct(char),
}

/// Tokens of the code, literals and comments dropped, each with its line.
fn tokenize(src: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let n = chars.len();
    let at = |k: usize| chars.get(k).copied().unwrap_or('\0');
    while i < n {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < n && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            // Block comments nest in Rust.
            let mut depth = 0usize;
            while i < n {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1, &mut line);
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                // Past the backslash and the escaped character.
                let mut j = i + 3;
                while j < n && chars[j] != '\'' && chars[j] != '\n' {
                    j += 1;
                }
                i = j + 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < n && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Raw strings r"..", r#".."#, and the b/c/br/cr prefixes.
            let prefix = matches!(word.as_str(), "r" | "br" | "cr" | "b" | "c");
            let raw = word.ends_with('r');
            if prefix && raw && (at(i) == '"' || at(i) == '#') {
                let mut hashes = 0;
                let mut j = i;
                while at(j) == '#' {
                    hashes += 1;
                    j += 1;
                }
                if at(j) == '"' {
                    i = skip_raw_string(&chars, j + 1, hashes, &mut line);
                    continue;
                }
            } else if prefix && at(i) == '"' {
                i = skip_string(&chars, i + 1, &mut line);
                continue;
            } else if prefix && word == "b" && at(i) == '\'' {
                // b'x' or b'\n'
                let mut j = i + 1;
                if at(j) == '\\' {
                    j += 1;
                }
                j += 1;
                while j < n && chars[j] != '\'' && chars[j] != '\n' {
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            out.push((Tok::Ident(word), line));
        } else if c.is_ascii_digit() {
            while i < n && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                // Stop at a range `..` after a number.
                if chars[i] == '.' && at(i + 1) == '.' {
                    break;
                }
                i += 1;
            }
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// Skips a "..." literal whose opening quote is before `i`; returns the index after it.
fn skip_string(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                if chars.get(i + 1) == Some(&'\n') {
                    *line += 1;
                }
                i += 2;
            }
            '"' => return i + 1,
            '\n' => {
                *line += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

fn skip_raw_string(chars: &[char], mut i: usize, hashes: usize, line: &mut usize) -> usize {
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return i + 1 + hashes;
        }
        if chars[i] == '\n' {
            *line += 1;
        }
        i += 1;
    }
    i
}

fn is_ident(t: Option<&(Tok, usize)>, word: &str) -> bool {
    matches!(t, Some((Tok::Ident(w), _)) if w == word)
}

fn is_punct(t: Option<&(Tok, usize)>, p: char) -> bool {
    matches!(t, Some((Tok::Punct(c), _)) if *c == p)
}

/// The `unsafe` sites of one file's text (`file` names it in the result).
pub fn scan_source(file: &str, src: &str) -> (Vec<UnsafeSite>, Vec<LintAttribute>) {
    let toks = tokenize(src);
    let mut sites = Vec::new();
    let mut attrs = Vec::new();
    for (k, (tok, line)) in toks.iter().enumerate() {
        match tok {
            Tok::Ident(w) if w == "unsafe" => {
                let next = toks.get(k + 1);
                let kind = if is_punct(next, '{') {
                    UnsafeKind::Block
                } else if is_ident(next, "fn") {
                    if is_punct(toks.get(k + 2), '(') {
                        UnsafeKind::FnPointerType
                    } else {
                        UnsafeKind::Fn
                    }
                } else if is_ident(next, "impl") {
                    UnsafeKind::Impl
                } else if is_ident(next, "trait") || is_ident(next, "auto") {
                    UnsafeKind::Trait
                } else if is_ident(next, "extern") {
                    // The ABI string was dropped with the other literals.
                    if is_punct(toks.get(k + 2), '{') {
                        UnsafeKind::ExternBlock
                    } else if is_ident(toks.get(k + 2), "fn") {
                        if is_punct(toks.get(k + 3), '(') {
                            UnsafeKind::FnPointerType
                        } else {
                            UnsafeKind::Fn
                        }
                    } else {
                        UnsafeKind::Other
                    }
                } else if is_punct(next, '(') {
                    UnsafeKind::Attribute
                } else {
                    UnsafeKind::Other
                };
                sites.push(UnsafeSite {
                    file: file.to_string(),
                    line: *line,
                    kind,
                });
            }
            Tok::Punct('#') => {
                let inner = is_punct(toks.get(k + 1), '!');
                let open = if inner { k + 2 } else { k + 1 };
                if !is_punct(toks.get(open), '[') {
                    continue;
                }
                let level = match toks.get(open + 1) {
                    Some((Tok::Ident(w), _))
                        if matches!(w.as_str(), "forbid" | "deny" | "warn" | "allow") =>
                    {
                        w.clone()
                    }
                    _ => continue,
                };
                if !is_punct(toks.get(open + 2), '(') {
                    continue;
                }
                // The lint list, up to the closing parenthesis.
                let mut j = open + 3;
                let mut names_unsafe_code = false;
                while let Some((t, _)) = toks.get(j) {
                    match t {
                        Tok::Punct(')') => break,
                        Tok::Ident(w) if w == "unsafe_code" => names_unsafe_code = true,
                        _ => {}
                    }
                    j += 1;
                }
                if names_unsafe_code {
                    attrs.push(LintAttribute {
                        file: file.to_string(),
                        line: *line,
                        level,
                        inner,
                    });
                }
            }
            _ => {}
        }
    }
    (sites, attrs)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), AuditError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| AuditError::new(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| AuditError::new(format!("cannot read {}: {e}", dir.display())))?;
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Scans `crate_dir/src` (the crate's own code: not its tests or benches).
pub fn scan_crate(crate_dir: &Path) -> Result<UnsafeReport, AuditError> {
    let src = crate_dir.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files)?;
    files.sort();
    let mut sites = Vec::new();
    let mut attrs = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f)
            .map_err(|e| AuditError::new(format!("cannot read {}: {e}", f.display())))?;
        let rel = f
            .strip_prefix(crate_dir)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let (s, a) = scan_source(&rel, &text);
        sites.extend(s);
        attrs.extend(a);
    }
    Ok(summarize(sites, attrs, files.len()))
}

/// Builds the report from scanned sites and attributes (`src/lib.rs` is the crate root).
pub fn summarize(
    sites: Vec<UnsafeSite>,
    attrs: Vec<LintAttribute>,
    files_scanned: usize,
) -> UnsafeReport {
    let crate_level = attrs
        .iter()
        .find(|a| a.inner && a.file == "src/lib.rs" && a.level != "allow")
        .or_else(|| attrs.iter().find(|a| a.inner && a.file == "src/lib.rs"))
        .map(|a| a.level.clone())
        .unwrap_or_else(|| "none".into());
    let allowed_in: Vec<LintAttribute> = attrs.into_iter().filter(|a| a.level == "allow").collect();
    UnsafeReport {
        forbid_unsafe_code: crate_level == "forbid",
        crate_level,
        allowed_in,
        count: sites.len(),
        sites,
        files_scanned,
    }
}
