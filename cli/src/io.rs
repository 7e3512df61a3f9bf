//! Errors, file and stream helpers. Nothing here panics on bad input.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A failure reported as `error: ...` with exit code 2 (plus optional hint lines).
#[derive(Debug)]
pub struct CliError {
    message: String,
    hint: Option<String>,
}

impl CliError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a `hint:` line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {h}")?;
        }
        Ok(())
    }
}

impl From<pqshift::Error> for CliError {
    fn from(e: pqshift::Error) -> Self {
        CliError::new(e.to_string())
    }
}

/// Result of the CLI's steps.
pub type CliResult<T> = Result<T, CliError>;

/// Prefixes a pqshift error with what was being read (`key file k.sec: ...`).
pub fn context(what: impl fmt::Display) -> impl FnOnce(pqshift::Error) -> CliError {
    move |e| CliError::new(format!("{what}: {e}"))
}

/// Reads a key, signature, ciphertext or public-key file: at most
/// [`pqshift::input::MAX_KEY_FILE`] bytes, counted while reading.
pub fn read_file(path: &Path) -> CliResult<Vec<u8>> {
    pqshift::input::read_capped(path, pqshift::input::MAX_KEY_FILE, "")
        .map_err(|e| CliError::new(strip_kind(e)))
}

/// The message of an invalid-input error without its `invalid input: ` prefix.
fn strip_kind(e: pqshift::Error) -> String {
    match e {
        pqshift::Error::InvalidInput(m) => m,
        other => other.to_string(),
    }
}

/// Reads the message: INPUT when given, else stdin; more than `cap` bytes
/// is refused (`--max-message-size`), counted while reading.
pub fn read_input(input: Option<&Path>, cap: u64) -> CliResult<Vec<u8>> {
    let hint = |e: CliError| {
        e.with_hint(format!(
            "the message cap is {} bytes (--max-message-size BYTES raises it; the message is \
             held in memory whole)",
            cap
        ))
    };
    let result = match input {
        Some(p) => pqshift::input::read_capped(p, cap, ""),
        None => pqshift::input::read_to_end_capped(io::stdin().lock(), cap, "standard input"),
    };
    result.map_err(|e| {
        let too_big = e.to_string().contains(" cap for it");
        let e = CliError::new(strip_kind(e));
        if too_big {
            hint(e)
        } else {
            e
        }
    })
}

/// Parses a hex argument (`--context`, `--seed`); empty is zero bytes.
pub fn parse_hex(flag: &str, text: &str) -> CliResult<Vec<u8>> {
    hex::decode(text.trim()).map_err(|e| {
        CliError::new(format!(
            "{flag} must be hex (two digits per byte, e.g. 0a1b): {e}"
        ))
    })
}

/// Writes stdout; a closed pipe or full disk is an error, not a panic.
pub fn stdout(bytes: &[u8]) -> CliResult<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| CliError::new(format!("cannot write to standard output: {e}")))
}

/// Writes a line on stdout.
pub fn println(line: &str) -> CliResult<()> {
    let mut s = String::with_capacity(line.len() + 1);
    s.push_str(line);
    s.push('\n');
    stdout(s.as_bytes())
}

/// Writes a line on stderr, ignoring failure (there is nowhere left to report it).
pub fn note(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

pub use pqshift_migration::outfile::Overwrite;
use pqshift_migration::outfile::{self, Access};

/// Errors when `path` may not be written: it exists and overwriting is
/// refused, or it is not a regular file (a device, FIFO, link, `-`).
pub fn check_writable(path: &Path, overwrite: Overwrite) -> CliResult<()> {
    outfile::check_target(path, overwrite).map_err(|e| CliError::new(e.to_string()))
}

/// Writes a file through [`pqshift_migration::outfile`]: an exclusive
/// temporary file beside it, fsync, rename. `secret` files are mode 0600
/// whatever the umask and whatever stood there before.
pub fn write_file(path: &Path, data: &[u8], overwrite: Overwrite, secret: bool) -> CliResult<()> {
    let access = if secret {
        Access::Secret
    } else {
        Access::Public
    };
    outfile::write_file(path, data, overwrite, access).map_err(|e| CliError::new(e.to_string()))
}

/// `FILE.pub` for `FILE`.
pub fn pub_path(secret: &Path) -> PathBuf {
    let mut s = secret.as_os_str().to_os_string();
    s.push(".pub");
    PathBuf::from(s)
}
