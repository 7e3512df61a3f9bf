//! The one way the `pqshift` command and the migration write files.
//!
//! Every file the CLI or the migration writes goes through this module:
//!
//! - [`AtomicFile`]: a temporary file created exclusively (`O_CREAT |
//!   O_EXCL`, random name, so never through a link planted at a predictable
//!   name) in the target's directory; mode 0600 set on the open descriptor
//!   for secrets (whatever the umask, whatever stood at the target before);
//!   written, fsynced and renamed into place, then the directory is fsynced.
//!   Without `--force` an existing target is never replaced (the rename
//!   refuses to clobber); with it, only a regular file is.
//! - [`create_new_nofollow`] / [`open_existing_nofollow`]: the migration's
//!   long-lived temporary outputs, whose fixed names a `--resume` finds
//!   again: created exclusively or opened without following a link, and
//!   refused unless they are regular files.
//! - [`DirLock`]: an exclusive `flock` on a migration output directory,
//!   held for the whole run; the kernel drops it when the process exits,
//!   however it exits.
//!
//! Targets that are not regular files (a character or block device, a
//! FIFO, a socket, a symbolic link, a directory, or the name `-`) are
//! refused with an error saying what they are: pqshift writes regular files
//! only, and standard output when `--out` is left out.
//!
//! It lives in the migration crate because both the migration and the CLI
//! depend on it and the facade (`pqshift`) does not write files.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use pqshift::input::file_kind;

/// A failure to write an output, naming the file.
#[derive(Debug)]
pub struct OutputError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
    /// The operating system's error, when there was one.
    pub source: Option<io::Error>,
}

impl OutputError {
    fn new(path: &Path, message: impl Into<String>) -> Self {
        OutputError {
            path: path.to_path_buf(),
            message: message.into(),
            source: None,
        }
    }

    fn io(path: &Path, what: &str, e: io::Error) -> Self {
        OutputError {
            path: path.to_path_buf(),
            message: format!("cannot {what} {}: {e}", path.display()),
            source: Some(e),
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<OutputError> for crate::corpus::CorpusError {
    fn from(e: OutputError) -> Self {
        crate::corpus::CorpusError::File {
            path: e.path.clone(),
            message: e
                .message
                .strip_prefix(&format!("{}: ", e.path.display()))
                .unwrap_or(&e.message)
                .to_string(),
        }
    }
}

/// Result of this module.
pub type Result<T> = std::result::Result<T, OutputError>;

/// Whether an existing target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse when the target exists (whatever it is).
    Refuse,
    /// Replace it when it is a regular file; refuse anything else.
    Force,
}

/// Who may read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Secret material: mode 0600, set on the descriptor.
    Secret,
    /// Public: mode 0644 less the umask.
    Public,
}

/// Checks that `path` may be written: `-` is refused, an existing target is
/// refused without `--force`, and with it anything but a regular file is.
pub fn check_target(path: &Path, overwrite: Overwrite) -> Result<()> {
    if path.as_os_str() == "-" {
        return Err(OutputError::new(
            path,
            "cannot write -: '-' is not taken as standard output (pqshift writes regular files \
             only); leave out the output option to write to standard output",
        ));
    }
    match path.symlink_metadata() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OutputError::io(path, "inspect", e)),
        Ok(meta) if !meta.is_file() => Err(OutputError::new(
            path,
            format!(
                "cannot write {}: it is {}, not a regular file; refusing to write to it or \
                 replace it (pqshift writes regular files only; leave out the output option to \
                 write to standard output)",
                path.display(),
                file_kind(&meta)
            ),
        )),
        Ok(_) if overwrite == Overwrite::Refuse => Err(OutputError::new(
            path,
            format!(
                "{} already exists; refusing to overwrite it (pass --force to replace it)",
                path.display()
            ),
        )),
        Ok(_) => Ok(()),
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// fsyncs a directory, so renames in it are durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    let d = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(d)
        .and_then(|f| f.sync_all())
        .map_err(|e| OutputError::io(d, "sync directory", e))
}

/// Sets the mode on an open file (Unix), so neither the umask nor what
/// stood at the name before decides it.
fn set_mode(file: &File, path: &Path, access: Access) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if access == Access::Secret {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| OutputError::io(path, "set permissions on", e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (file, path, access);
    Ok(())
}

/// A file being written: a temporary file beside the target, renamed into
/// place by [`AtomicFile::commit`]; dropped without commit, it is removed.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
    overwrite: Overwrite,
}

impl AtomicFile {
    /// Starts writing `target` (checked first with [`check_target`]).
    pub fn create(target: &Path, overwrite: Overwrite, access: Access) -> Result<AtomicFile> {
        check_target(target, overwrite)?;
        let dir = parent_of(target);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut b = tempfile::Builder::new();
        b.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            b.permissions(std::fs::Permissions::from_mode(match access {
                Access::Secret => 0o600,
                Access::Public => 0o644,
            }));
        }
        let tmp = b
            .tempfile_in(dir)
            .map_err(|e| OutputError::io(target, "write", e))?;
        set_mode(tmp.as_file(), target, access)?;
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            overwrite,
        })
    }

    /// The open temporary file.
    pub fn file(&mut self) -> &mut File {
        self.tmp.as_file_mut()
    }

    /// The target's path.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// fsyncs and renames into place (never clobbering without `--force`;
    /// with it, replacing a regular file only), then fsyncs the directory.
    pub fn commit(self) -> Result<()> {
        let target = self.target;
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|e| OutputError::io(&target, "write", e))?;
        match self.overwrite {
            Overwrite::Refuse => {
                self.tmp.persist_noclobber(&target).map_err(|e| {
                    if e.error.kind() == io::ErrorKind::AlreadyExists {
                        OutputError::new(
                            &target,
                            format!(
                                "{} already exists; refusing to overwrite it (pass --force to \
                                 replace it)",
                                target.display()
                            ),
                        )
                    } else {
                        OutputError::io(&target, "write", e.error)
                    }
                })?;
            }
            Overwrite::Force => {
                check_target(&target, Overwrite::Force)?;
                self.tmp
                    .persist(&target)
                    .map_err(|e| OutputError::io(&target, "write", e.error))?;
            }
        }
        sync_dir(parent_of(&target))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// Writes `data` to `target` through an [`AtomicFile`].
pub fn write_file(target: &Path, data: &[u8], overwrite: Overwrite, access: Access) -> Result<()> {
    let mut f = AtomicFile::create(target, overwrite, access)?;
    f.write_all(data)
        .map_err(|e| OutputError::io(target, "write", e))?;
    f.commit()
}

/// Writes several files all or nothing as far as renames allow: every one is
/// written and fsynced first, then each is renamed into place.
pub fn commit_all(files: Vec<AtomicFile>) -> Result<()> {
    for f in &files {
        f.tmp
            .as_file()
            .sync_all()
            .map_err(|e| OutputError::io(&f.target, "write", e))?;
    }
    for f in files {
        f.commit()?;
    }
    Ok(())
}

#[cfg(unix)]
fn nofollow(opts: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    opts.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
}

#[cfg(not(unix))]
fn nofollow(_opts: &mut OpenOptions) {}

fn require_regular(f: &File, path: &Path) -> Result<()> {
    let meta = f
        .metadata()
        .map_err(|e| OutputError::io(path, "inspect", e))?;
    if !meta.is_file() {
        return Err(OutputError::new(
            path,
            format!(
                "{} is {}, not a regular file: refusing to use it",
                path.display(),
                file_kind(&meta)
            ),
        ));
    }
    Ok(())
}

/// Creates `path` anew for writing: whatever stands at the name (a stale
/// temporary file, or a link someone planted) is unlinked first (a link
/// itself, never its target), then the file is created exclusively without
/// following links, and its mode set on the descriptor.
pub fn create_new_nofollow(path: &Path, access: Access) -> Result<File> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(OutputError::io(path, "remove the stale", e)),
    }
    let mut o = OpenOptions::new();
    o.write(true).read(true).create_new(true);
    nofollow(&mut o);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(match access {
            Access::Secret => 0o600,
            Access::Public => 0o644,
        });
    }
    let f = o
        .open(path)
        .map_err(|e| OutputError::io(path, "create", e))?;
    set_mode(&f, path, access)?;
    Ok(f)
}

/// Opens an existing regular file for reading and writing without
/// following a link (a `--resume` reopening its temporary outputs); a
/// secret one gets mode 0600 again.
pub fn open_existing_nofollow(path: &Path, access: Access) -> Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).read(true);
    nofollow(&mut o);
    let f = o.open(path).map_err(|e| OutputError::io(path, "open", e))?;
    require_regular(&f, path)?;
    set_mode(&f, path, access)?;
    Ok(f)
}

/// The lock file in a locked directory.
pub const LOCK_FILE: &str = ".pqshift.lock";

/// An exclusive lock on a directory (`DIR/.pqshift.lock`, `flock`), held
/// until dropped; the kernel releases it when the process ends, even on
/// `kill -9`. The lock file says who holds it (pid, start time, command);
/// it is removed when the lock is released normally.
#[derive(Debug)]
pub struct DirLock {
    file: File,
    path: PathBuf,
}

/// What a lock file says about its holder, bounded.
fn holder_text(f: &mut File) -> String {
    let mut buf = Vec::new();
    let _ = (&mut *f).take(4096).read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    let parts: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| pqshift::input::excerpt(l.trim(), 300))
        .collect();
    if parts.is_empty() {
        "holder unknown".into()
    } else {
        parts.join(", ")
    }
}

impl DirLock {
    /// Takes the lock on `dir` without waiting; `command` is recorded for
    /// whoever finds it held. Held by another process: an error naming it.
    pub fn acquire(dir: &Path, command: &str) -> Result<DirLock> {
        let path = dir.join(LOCK_FILE);
        // A holder removes the lock file when it finishes; a run that
        // opened the old file just before then would lock a file no longer
        // in the directory, so the lock is taken again on the new one.
        for _ in 0..8 {
            let mut o = OpenOptions::new();
            o.read(true).write(true).create(true).truncate(false);
            nofollow(&mut o);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                o.mode(0o600);
            }
            let mut file = o
                .open(&path)
                .map_err(|e| OutputError::io(&path, "open the lock file", e))?;
            require_regular(&file, &path)?;
            #[cfg(unix)]
            {
                use rustix::fs::{flock, FlockOperation};
                if let Err(e) = flock(&file, FlockOperation::NonBlockingLockExclusive) {
                    if e == rustix::io::Errno::WOULDBLOCK {
                        let holder = holder_text(&mut file);
                        return Err(OutputError::new(
                            &path,
                            format!(
                                "{} is locked by another pqshift run ({holder}): wait for it to \
                                 finish, or use another directory",
                                dir.display()
                            ),
                        ));
                    }
                    return Err(OutputError::io(&path, "lock", e.into()));
                }
                // Still the file at the name?
                let same = match (file.metadata(), path.symlink_metadata()) {
                    (Ok(a), Ok(b)) => {
                        use std::os::unix::fs::MetadataExt;
                        a.dev() == b.dev() && a.ino() == b.ino()
                    }
                    _ => false,
                };
                if !same {
                    continue;
                }
            }
            let started = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let text = format!(
                "pid {}\nstarted {started} (seconds since 1970-01-01 UTC)\ncommand {}\n",
                std::process::id(),
                pqshift::input::excerpt(command, 1000)
            );
            file.set_len(0)
                .and_then(|()| file.write_all(text.as_bytes()))
                .and_then(|()| file.sync_all())
                .map_err(|e| OutputError::io(&path, "write the lock file", e))?;
            return Ok(DirLock { file, path });
        }
        Err(OutputError::new(
            &path,
            format!(
                "{}: the lock file keeps being replaced; refusing to go on",
                dir.display()
            ),
        ))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Removed while still locked; closing the file releases the lock.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.sync_all();
    }
}

/// The command line of this process, for a lock file.
pub fn this_command() -> String {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
