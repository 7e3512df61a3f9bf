//! Errors, file and stream helpers. Nothing here panics on bad input.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Read, Write};
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

/// Reads a whole file; the error names it.
pub fn read_file(path: &Path) -> CliResult<Vec<u8>> {
    std::fs::read(path).map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))
}

/// Reads the message: INPUT when given, else stdin.
pub fn read_input(input: Option<&Path>) -> CliResult<Vec<u8>> {
    match input {
        Some(p) => read_file(p),
        None => {
            let mut buf = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| CliError::new(format!("cannot read standard input: {e}")))?;
            Ok(buf)
        }
    }
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

/// Whether an output file may be (over)written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse when the file exists.
    Refuse,
    /// Replace it.
    Force,
}

/// Errors when `path` exists and overwriting is refused.
pub fn check_writable(path: &Path, overwrite: Overwrite) -> CliResult<()> {
    if overwrite == Overwrite::Refuse && path.symlink_metadata().is_ok() {
        return Err(CliError::new(format!(
            "{} already exists; refusing to overwrite it (pass --force to replace it)",
            path.display()
        )));
    }
    Ok(())
}

/// Writes a new file. `secret` files are created with mode 0600 (on Unix).
/// With [`Overwrite::Force`] an existing file is removed first, so the new
/// one never inherits looser permissions.
pub fn write_file(path: &Path, data: &[u8], overwrite: Overwrite, secret: bool) -> CliResult<()> {
    check_writable(path, overwrite)?;
    let fail = |e: io::Error| CliError::new(format!("cannot write {}: {e}", path.display()));
    if overwrite == Overwrite::Force {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(fail(e)),
        }
    }
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(if secret { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut f = opts.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            CliError::new(format!(
                "{} already exists; refusing to overwrite it (pass --force to replace it)",
                path.display()
            ))
        } else {
            fail(e)
        }
    })?;
    if let Err(e) = f.write_all(data).and_then(|()| f.sync_all()) {
        // No partial file (a full disk, say): the file created above goes again.
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(fail(e));
    }
    Ok(())
}

/// `FILE.pub` for `FILE`.
pub fn pub_path(secret: &Path) -> PathBuf {
    let mut s = secret.as_os_str().to_os_string();
    s.push(".pub");
    PathBuf::from(s)
}
