//! Helpers shared by the end-to-end tests: run the `pqshift` binary in a
//! scratch directory and check exit codes and messages. Every run asserts
//! that nothing panicked.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_pqshift");

/// What one run of the binary did.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
}

impl std::fmt::Debug for Out {
    /// Shows the text streams only (`raw_stdout` is `stdout` again).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Out")
            .field("code", &self.code)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .finish_non_exhaustive()
    }
}

impl Out {
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success: {self:?}");
        self
    }

    /// Exit 2 with `error: ...` on stderr mentioning every `needle` (case-insensitive).
    pub fn fails(&self, needles: &[&str]) -> &Self {
        assert_eq!(self.code, 2, "expected exit 2: {self:?}");
        assert!(self.stderr.starts_with("error:"), "stderr: {}", self.stderr);
        self.mentions(needles)
    }

    pub fn mentions(&self, needles: &[&str]) -> &Self {
        let low = self.stderr.to_lowercase();
        for n in needles {
            assert!(
                low.contains(&n.to_lowercase()),
                "stderr lacks {n:?}: {}",
                self.stderr
            );
        }
        self
    }

    pub fn invalid(&self) -> &Self {
        assert_eq!(self.code, 1, "expected exit 1: {self:?}");
        assert!(self.stderr.contains("invalid signature"), "{}", self.stderr);
        assert_eq!(self.stdout, "");
        self
    }

    pub fn valid(&self) -> &Self {
        assert_eq!(self.code, 0, "expected valid: {self:?}");
        assert_eq!(self.stdout, "valid\n");
        self
    }
}

/// A scratch directory with helpers to run the binary inside it.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub config_env: Option<PathBuf>,
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
            config_env: None,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn p(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    pub fn write(&self, name: &str, data: impl AsRef<[u8]>) -> String {
        std::fs::write(self.path(name), data).unwrap();
        self.p(name)
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }

    pub fn read_text(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).unwrap()
    }

    /// The permission bits of a file.
    #[cfg(unix)]
    pub fn mode(&self, name: &str) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(self.path(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_stdin(args, b"")
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Out {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_remove("PQSHIFT_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(c) = &self.config_env {
            cmd.env("PQSHIFT_CONFIG", c);
        }
        let mut child = cmd.spawn().unwrap();
        {
            let mut si = child.stdin.take().unwrap();
            // The binary may exit before reading stdin (an early error): ignore EPIPE.
            let _ = si.write_all(stdin);
        }
        let o = child.wait_with_output().unwrap();
        let out = Out {
            code: o.status.code().expect("killed by a signal"),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            raw_stdout: o.stdout,
        };
        assert!(!out.stderr.contains("panicked"), "panic: {out:?}");
        assert!(!out.stderr.contains("RUST_BACKTRACE"), "panic: {out:?}");
        out
    }

    /// keygen with the given extra args; returns the fingerprint line.
    pub fn keygen(&self, out: &str, extra: &[&str]) -> String {
        let mut args = vec!["keygen", "--out", out];
        args.extend_from_slice(extra);
        let o = self.run(&args);
        o.ok();
        let fp = o.stdout.trim().to_string();
        assert_eq!(fp.len(), 64, "{o:?}");
        assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()));
        fp
    }
}

/// Every known algorithm (as `doctor --json` lists them) with the providers
/// `providers --json` reports for it, the preferred one first.
pub fn linked_providers(e: &Env) -> Vec<(String, Vec<String>)> {
    let o = e.run(&["providers", "--json"]);
    o.ok();
    let list: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let list = list.as_array().unwrap();
    let o = e.run(&["doctor", "--json"]);
    o.ok();
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    v["algorithms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let alg = a["algorithm"].as_str().unwrap().to_string();
            let mut ps: Vec<(bool, String)> = list
                .iter()
                .filter(|p| p["algorithm"] == alg.as_str())
                .map(|p| {
                    (
                        p["preferred"] != true,
                        p["provider"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            ps.sort_by_key(|(not_preferred, _)| *not_preferred);
            (alg, ps.into_iter().map(|(_, p)| p).collect())
        })
        .collect()
}

pub fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
