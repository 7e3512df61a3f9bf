//! Reading small input files with a size cap enforced while reading.
//!
//! Keys, signatures, ciphertexts, seeds, configurations, keystores and
//! manifests are small. A path given for one of them may name something of
//! unknown size (`/dev/zero`, `/dev/urandom`, a FIFO: all report a size of
//! 0), so the size a file reports is never trusted: every read goes through
//! [`std::io::Read::take`] with the cap plus one byte, and more than the cap
//! is refused with an error naming the cap.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::{Error, Result};

/// Cap on a key, signature, ciphertext or public-key file: 1 MiB (the
/// largest, an ML-DSA-87 expanded secret key in PEM, is under 8 KiB).
pub const MAX_KEY_FILE: u64 = 1 << 20;
/// Cap on a configuration file: 1 MiB.
pub const MAX_CONFIG_FILE: u64 = 1 << 20;
/// Cap on a master seed file: 1 MiB.
pub const MAX_SEED_FILE: u64 = 1 << 20;
/// Cap on a corpus manifest, checkpoint or report read back: 16 MiB.
pub const MAX_MANIFEST_FILE: u64 = 16 << 20;
/// Cap on a corpus keystore: 256 MiB (about 25,000 expanded ML-DSA-87 keys).
pub const MAX_KEYSTORE_FILE: u64 = 256 << 20;
/// Default cap on a message given to `sign` / `verify`: 256 MiB.
pub const DEFAULT_MAX_MESSAGE: u64 = 256 << 20;

/// A byte count in words: `1 MiB`, `256 MiB`, `1000 bytes`.
pub fn human_size(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    const KIB: u64 = 1 << 10;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// Reads all of `reader`, refusing more than `cap` bytes. `what` names the
/// input in the error (`key file k.sec`, `standard input`).
pub fn read_to_end_capped(reader: impl Read, cap: u64, what: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| Error::invalid(format!("cannot read {what}: {e}")))?;
    if buf.len() as u64 > cap {
        return Err(Error::invalid(format!(
            "{what} is larger than the {} cap for it (read stopped there)",
            human_size(cap)
        )));
    }
    Ok(buf)
}

/// Reads the file at `path`, refusing more than `cap` bytes (while reading:
/// devices and FIFOs are read until the cap, never trusted for their size).
/// `what` names the input in errors (`manifest`); empty, the path alone.
pub fn read_capped(path: &Path, cap: u64, what: &str) -> Result<Vec<u8>> {
    let label = if what.is_empty() {
        path.display().to_string()
    } else {
        format!("{what} {}", path.display())
    };
    let f = File::open(path).map_err(|e| Error::invalid(format!("cannot read {label}: {e}")))?;
    read_to_end_capped(f, cap, &label)
}

/// Reads a regular file only, refusing more than `cap` bytes. The file is
/// opened without blocking (a FIFO with no writer would otherwise block
/// the open forever) and anything but a regular file is refused.
pub fn read_regular_capped(path: &Path, cap: u64, what: &str) -> Result<Vec<u8>> {
    let label = format!("{what} {}", path.display());
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let f = opts
        .open(path)
        .map_err(|e| Error::invalid(format!("cannot read {label}: {e}")))?;
    let meta = f
        .metadata()
        .map_err(|e| Error::invalid(format!("cannot read {label}: {e}")))?;
    if !meta.is_file() {
        return Err(Error::invalid(format!(
            "cannot read {label}: it is {}, not a regular file (only a regular file is read here)",
            file_kind(&meta)
        )));
    }
    read_to_end_capped(f, cap, &label)
}

/// What kind of file `meta` describes, in words.
pub fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// At most `max` characters of `text`, with `...` and the total when cut:
/// error messages quote a bounded excerpt of the input, never all of it.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_none() {
        head
    } else {
        format!("{head}... ({} bytes in all)", text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_is_enforced_while_reading() {
        let zeros = std::io::repeat(0);
        let e = read_to_end_capped(zeros, 1000, "x")
            .err()
            .map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|m| m.contains("1000 bytes cap")),
            "{e:?}"
        );
        let ok = read_to_end_capped(&[1u8; 1000][..], 1000, "x").ok();
        assert_eq!(ok.map(|v| v.len()), Some(1000));
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "a".repeat(10_000);
        let e = excerpt(&long, 80);
        assert!(e.len() < 120, "{e}");
        assert!(e.contains("10000 bytes"));
        assert_eq!(excerpt("short", 80), "short");
    }
}
