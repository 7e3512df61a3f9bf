//! The checkpoint of an unfinished migration (`DIR/.migrate-checkpoint.json`),
//! and atomic file replacement.
//!
//! Written atomically (temporary file, fsync, rename, fsync of the
//! directory) after the temporary outputs it describes were fsynced, so
//! after a crash the checkpoint never claims more than the disk holds. On
//! `--resume` the temporary outputs are truncated to the recorded lengths,
//! the input and output prefixes are re-hashed and compared with the
//! recorded Merkle roots, and the run continues at the recorded input
//! offset.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{CorpusError, Result};
use crate::outfile::{self, Access, Overwrite};
use crate::report::Counts;

/// `format` of a checkpoint.
pub const CHECKPOINT_FORMAT: &str = "pqshift-migration-checkpoint";

/// Where an unfinished migration stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// Always [`CHECKPOINT_FORMAT`].
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// SHA-256 over the parameters and the input manifest/keystore (hex):
    /// a resume with anything else is refused.
    pub params_hash: String,
    /// `running`, or `finalizing` once every temporary output is complete
    /// (a resume then only renames them into place).
    pub phase: String,
    /// Input bytes consumed.
    pub input_offset: u64,
    /// Input lines consumed.
    pub input_lines: u64,
    /// RFC 6962 root over the complete input lines consumed, hex.
    pub input_merkle_root: String,
    /// Bytes of the temporary output corpus.
    pub output_len: u64,
    /// Records in it.
    pub output_records: u64,
    /// Its RFC 6962 root, hex.
    pub output_merkle_root: String,
    /// Bytes of the temporary failures list.
    pub failures_len: u64,
    /// Counts so far.
    pub counts: Counts,
    /// Algorithms seen so far.
    pub algorithms: BTreeSet<String>,
    /// SHA-256 of the temporary keystore and attestations (hex), written
    /// before the first record.
    pub keys_sha256: String,
    /// `finalizing`: SHA-256 (hex) of each temporary output, by final name.
    #[serde(default)]
    pub final_sha256: Vec<(String, String)>,
}

impl Checkpoint {
    /// Reads a checkpoint.
    pub fn read(path: &Path) -> Result<Checkpoint> {
        let bytes = pqshift::input::read_capped(
            path,
            pqshift::input::MAX_MANIFEST_FILE,
            "migration checkpoint",
        )?;
        let c: Checkpoint = serde_json::from_slice(&bytes)
            .map_err(|e| CorpusError::file(path, format!("not a checkpoint: {e}")))?;
        if c.format != CHECKPOINT_FORMAT || c.version != 1 {
            return Err(CorpusError::file(
                path,
                "not a version 1 migration checkpoint",
            ));
        }
        Ok(c)
    }

    /// Writes it atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| CorpusError::file(path, format!("cannot serialize: {e}")))?;
        write_atomic(path, text.as_bytes())
    }
}

/// `.NAME.tmp` beside `path`.
pub fn tmp_path(path: &Path) -> std::path::PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".tmp");
    path.with_file_name(name)
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
        .map_err(|e| CorpusError::io(d, e))
}

/// Writes `bytes` to `path` through a temporary file created exclusively
/// beside it, fsync and rename ([`crate::outfile`]); replaces a regular file
/// only.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    outfile::write_file(path, bytes, Overwrite::Force, Access::Public).map_err(CorpusError::from)
}
