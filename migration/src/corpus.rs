//! The corpus format, version 1: records (JSONL), manifest, keystore.
//!
//! Reading is streaming: [`CorpusReader`] yields one record at a time and
//! folds each line into the Merkle root as it goes. Every error names the
//! file and, for records, the line number (1-based) and the record ID.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use pqshift::merkle::MerkleBuilder;
use pqshift::{AlgorithmId, AlgorithmKind, ObjectKind, PublicKey, SecretKey, Signature, Tagged};
use serde::{Deserialize, Serialize};

/// The corpus format version this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// `format` of a manifest.
pub const MANIFEST_FORMAT: &str = "pqshift-corpus-manifest";
/// `format` of a keystore.
pub const KEYSTORE_FORMAT: &str = "pqshift-keystore";
/// `merkle` of a manifest: what the root is computed over.
pub const MERKLE_SCHEME: &str = "rfc6962-sha256/jsonl-lines";
/// Longest record line accepted by the reader (a message of 4 MiB, in hex, plus the rest).
pub const MAX_LINE_LEN: usize = 9 * 1024 * 1024;

/// Failures reading, writing or checking a corpus.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CorpusError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A malformed record line.
    #[error("{}:{line}: {message}", path.display())]
    Record {
        /// The corpus file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong (naming the record ID when it could be read).
        message: String,
    },
    /// A malformed or inconsistent manifest or keystore, or a corpus that
    /// does not match its manifest.
    #[error("{}: {message}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A pqshift operation failed (key loading, signing).
    #[error(transparent)]
    Crypto(#[from] pqshift::Error),
}

impl CorpusError {
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        CorpusError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn file(path: &Path, message: impl Into<String>) -> Self {
        CorpusError::File {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// Result of corpus operations.
pub type Result<T> = std::result::Result<T, CorpusError>;

/// One signed record: one JSON object on one line of the corpus, with
/// exactly these fields, in this order when written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Unique within the corpus; free text without control characters.
    pub id: String,
    /// Canonical algorithm ID (`ed25519`, `ml-dsa-65`, `insecure-test-hmac-sha256`).
    pub algorithm: String,
    /// The key in the keystore that made the signature.
    pub key_id: String,
    /// The signer's tagged public key, text form (`pqshift1:pub:...`).
    /// Present for signature algorithms and equal to the keystore's; absent
    /// for a MAC, which has no public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// The signed message, lowercase hex (empty string: empty message).
    pub message: String,
    /// The context string, lowercase hex, at most 255 bytes (always empty
    /// for Ed25519, which takes none).
    pub context: String,
    /// The tagged signature, text form (`pqshift1:sig:ALG:...`).
    pub signature: String,
    /// Written by `pqshift migrate` (unless `--drop-old`): the signature
    /// this record carried before it was re-signed. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Previous>,
}

/// The signature a migrated record carried before migration: kept for
/// audit, not checked by [`verify_corpus`] (the migration report and the
/// key-rotation attestations say how it was checked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Previous {
    /// The old canonical algorithm ID.
    pub algorithm: String,
    /// The old key ID.
    pub key_id: String,
    /// The old tagged public key (absent for a MAC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// The old tagged signature.
    pub signature: String,
}

/// A record with its fields decoded and cross-checked.
#[derive(Debug, Clone)]
pub struct ParsedRecord {
    /// The record ID.
    pub id: String,
    /// The algorithm.
    pub algorithm: AlgorithmId,
    /// The key ID.
    pub key_id: String,
    /// The decoded tagged public key, when present.
    pub public_key: Option<Tagged>,
    /// The message bytes.
    pub message: Vec<u8>,
    /// The context bytes.
    pub context: Vec<u8>,
    /// The signature.
    pub signature: Signature,
}

/// A canonical algorithm ID (aliases are not accepted in files).
pub fn canonical_algorithm(text: &str) -> std::result::Result<AlgorithmId, String> {
    AlgorithmId::ALL
        .into_iter()
        .find(|a| a.as_str() == text)
        .ok_or_else(|| {
            format!("unknown algorithm {text:?} (files use canonical IDs such as \"ml-dsa-65\")")
        })
}

fn lower_hex(field: &str, text: &str) -> std::result::Result<Vec<u8>, String> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("{field} must be lowercase hex"));
    }
    hex::decode(text).map_err(|e| format!("{field} is not hex: {e}"))
}

impl Record {
    /// Decodes and cross-checks every field: canonical algorithm, hex,
    /// context length, tagged signature (and public key) of the record's
    /// algorithm, no public key for a MAC.
    pub fn parse(&self) -> std::result::Result<ParsedRecord, String> {
        if self.id.is_empty() || self.id.chars().any(char::is_control) {
            return Err("id must be non-empty, without control characters".into());
        }
        if self.key_id.is_empty() {
            return Err("key_id must be non-empty".into());
        }
        let alg = canonical_algorithm(&self.algorithm)?;
        if alg.kind() == AlgorithmKind::Kem {
            return Err(format!("{alg} is a KEM: a corpus holds signatures"));
        }
        let message = lower_hex("message", &self.message)?;
        let context = lower_hex("context", &self.context)?;
        if context.len() > pqshift::MAX_CONTEXT_LEN {
            return Err(format!(
                "context must be at most {} bytes, got {}",
                pqshift::MAX_CONTEXT_LEN,
                context.len()
            ));
        }
        if alg == AlgorithmId::Ed25519 && !context.is_empty() {
            return Err("ed25519 (RFC 8032 pure) takes no context: context must be \"\"".into());
        }
        let signature =
            Signature::decode(self.signature.as_bytes()).map_err(|e| format!("signature: {e}"))?;
        if signature.algorithm() != alg {
            return Err(format!(
                "signature is a {} signature, the record says {alg}",
                signature.algorithm()
            ));
        }
        let public_key = match (&self.public_key, alg.kind()) {
            (Some(_), AlgorithmKind::Mac) => {
                return Err(format!(
                    "{alg} is a MAC: it has no public key, so the record must not carry one"
                ))
            }
            (None, AlgorithmKind::Mac) => None,
            (None, _) => return Err(format!("public_key is required for {alg}")),
            (Some(text), _) => {
                let t = Tagged::decode(text.as_bytes()).map_err(|e| format!("public_key: {e}"))?;
                t.expect(ObjectKind::PublicKey, Some(alg))
                    .map_err(|e| format!("public_key: {e}"))?;
                Some(t)
            }
        };
        Ok(ParsedRecord {
            id: self.id.clone(),
            algorithm: alg,
            key_id: self.key_id.clone(),
            public_key,
            message,
            context,
            signature,
        })
    }

    /// The record as its corpus line (without the newline).
    pub fn to_line(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| CorpusError::file(Path::new("<record>"), format!("cannot serialize: {e}")))
    }
}

/// What the manifest says the generator was asked for (informational; the
/// golden corpora are regenerated from it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratorInfo {
    /// The seed, hex.
    pub seed: String,
    /// Number of keys.
    pub keys: u32,
    /// Prefix of record and key IDs.
    pub id_prefix: String,
    /// Provider that signed.
    pub provider: String,
}

/// `NAME.manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`MANIFEST_FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`].
    pub version: u32,
    /// The corpus file name, relative to the manifest's directory.
    pub corpus: String,
    /// The keystore file name, relative to the manifest's directory.
    pub keystore: String,
    /// Number of records (lines).
    pub records: u64,
    /// The algorithms of the records, canonical IDs, sorted.
    pub algorithms: Vec<String>,
    /// Always [`MERKLE_SCHEME`].
    pub merkle: String,
    /// RFC 6962 tree hash over the record lines (bytes without the newline), hex.
    pub merkle_root: String,
    /// True when any algorithm is insecure (the placeholder).
    pub insecure: bool,
    /// How the corpus was generated, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<GeneratorInfo>,
}

/// One key of a keystore. `Debug` never shows the secret key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// The key ID records refer to.
    pub key_id: String,
    /// Canonical algorithm ID.
    pub algorithm: String,
    /// Tagged public key, text form; absent for a MAC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// Tagged secret key, text form, seed kind (`pqshift1:sec:...`).
    pub secret_key: String,
}

impl std::fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyEntry")
            .field("key_id", &self.key_id)
            .field("algorithm", &self.algorithm)
            .field("public_key", &self.public_key)
            .field("secret_key", &"[REDACTED]")
            .finish()
    }
}

/// `NAME.keystore.json`: the corpus's keys. TEST KEYS: the secrets are in the clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keystore {
    /// Always [`KEYSTORE_FORMAT`].
    pub format: String,
    /// Always [`FORMAT_VERSION`].
    pub version: u32,
    /// A warning for humans.
    pub note: String,
    /// The keys, in key ID order.
    pub keys: Vec<KeyEntry>,
}

/// A keystore entry, loaded and checked.
#[derive(Debug)]
pub struct LoadedKey {
    /// The algorithm.
    pub algorithm: AlgorithmId,
    /// The secret key.
    pub secret: SecretKey,
    /// The public key (signature algorithms).
    pub public: Option<PublicKey>,
    /// The tagged public key text as written in the keystore.
    pub public_text: Option<String>,
}

/// Reads a JSON file of at most `cap` bytes (counted while reading).
fn read_json<T: for<'de> Deserialize<'de>>(path: &Path, cap: u64, what: &str) -> Result<T> {
    let bytes = pqshift::input::read_capped(path, cap, what)?;
    serde_json::from_slice(&bytes).map_err(|e| CorpusError::file(path, format!("{e}")))
}

impl Manifest {
    /// Reads and checks `format` and `version`.
    pub fn read(path: &Path) -> Result<Manifest> {
        let m: Manifest = read_json(path, pqshift::input::MAX_MANIFEST_FILE, "manifest")?;
        if m.format != MANIFEST_FORMAT || m.version != FORMAT_VERSION {
            return Err(CorpusError::file(
                path,
                format!(
                    "not a version {FORMAT_VERSION} corpus manifest (format {:?}, version {})",
                    m.format, m.version
                ),
            ));
        }
        if m.merkle != MERKLE_SCHEME {
            return Err(CorpusError::file(
                path,
                format!("unknown merkle scheme {:?}", m.merkle),
            ));
        }
        for name in [&m.corpus, &m.keystore] {
            if name.contains('/') || name.contains('\\') || name.starts_with('.') {
                return Err(CorpusError::file(
                    path,
                    format!("{name:?} must be a plain file name next to the manifest"),
                ));
            }
        }
        Ok(m)
    }

    /// The corpus path, next to the manifest at `manifest_path`.
    pub fn corpus_path(&self, manifest_path: &Path) -> PathBuf {
        sibling(manifest_path, &self.corpus)
    }

    /// The keystore path, next to the manifest at `manifest_path`.
    pub fn keystore_path(&self, manifest_path: &Path) -> PathBuf {
        sibling(manifest_path, &self.keystore)
    }
}

fn sibling(path: &Path, name: &str) -> PathBuf {
    match path.parent() {
        Some(dir) => dir.join(name),
        None => PathBuf::from(name),
    }
}

impl Keystore {
    /// Reads and checks `format` and `version`.
    pub fn read(path: &Path) -> Result<Keystore> {
        let k: Keystore = read_json(path, pqshift::input::MAX_KEYSTORE_FILE, "keystore")?;
        if k.format != KEYSTORE_FORMAT || k.version != FORMAT_VERSION {
            return Err(CorpusError::file(
                path,
                format!(
                    "not a version {FORMAT_VERSION} keystore (format {:?}, version {})",
                    k.format, k.version
                ),
            ));
        }
        Ok(k)
    }

    /// Loads every key, checking fingerprints, that each public key belongs
    /// to its secret key, and that key IDs are unique. `provider` picks
    /// who loads them (default: the preferred provider of each algorithm).
    pub fn load(
        &self,
        path: &Path,
        provider: Option<&str>,
    ) -> Result<std::collections::BTreeMap<String, LoadedKey>> {
        let mut out = std::collections::BTreeMap::new();
        for k in &self.keys {
            let at = |m: String| CorpusError::file(path, format!("key {:?}: {m}", k.key_id));
            let alg = canonical_algorithm(&k.algorithm).map_err(at)?;
            let secret = SecretKey::decode(k.secret_key.as_bytes(), provider)
                .map_err(|e| at(format!("secret_key: {e}")))?;
            if secret.algorithm() != alg {
                return Err(at(format!(
                    "secret_key is a {} key, the entry says {alg}",
                    secret.algorithm()
                )));
            }
            let public = match (&k.public_key, secret.is_mac()) {
                (Some(_), true) => return Err(at(format!("{alg} is a MAC: no public_key"))),
                (None, true) => None,
                (None, false) => return Err(at("public_key is required".into())),
                (Some(text), false) => {
                    let p = PublicKey::decode(text.as_bytes(), provider)
                        .map_err(|e| at(format!("public_key: {e}")))?;
                    if p.fingerprint() != secret.fingerprint() || p.algorithm() != alg {
                        return Err(at("public_key does not belong to secret_key".into()));
                    }
                    Some(p)
                }
            };
            let loaded = LoadedKey {
                algorithm: alg,
                secret,
                public,
                public_text: k.public_key.clone(),
            };
            if out.insert(k.key_id.clone(), loaded).is_some() {
                return Err(at("key_id appears twice".into()));
            }
        }
        Ok(out)
    }
}

/// Streams the records of a corpus, folding each line into the Merkle root.
///
/// Lines must end with `\n` (the last one too), hold one JSON object each,
/// and contain no `\r`; blank lines are errors.
pub struct CorpusReader<R> {
    path: PathBuf,
    input: R,
    line: u64,
    merkle: MerkleBuilder,
    buf: Vec<u8>,
    done: bool,
}

impl CorpusReader<BufReader<File>> {
    /// Opens a corpus file.
    pub fn open(path: &Path) -> Result<Self> {
        let f = File::open(path).map_err(|e| CorpusError::io(path, e))?;
        Ok(Self::new(path, BufReader::new(f)))
    }
}

impl<R: BufRead> CorpusReader<R> {
    /// Reads from `input`; `path` names it in errors.
    pub fn new(path: &Path, input: R) -> Self {
        CorpusReader {
            path: path.to_path_buf(),
            input,
            line: 0,
            merkle: MerkleBuilder::new(),
            buf: Vec::new(),
            done: false,
        }
    }

    fn err(&self, message: impl Into<String>) -> CorpusError {
        CorpusError::Record {
            path: self.path.clone(),
            line: self.line,
            message: message.into(),
        }
    }

    /// The next record with its 1-based line number, `None` at the end.
    pub fn next_record(&mut self) -> Result<Option<(u64, Record)>> {
        if self.done {
            return Ok(None);
        }
        self.buf.clear();
        let limit = u64::try_from(MAX_LINE_LEN).unwrap_or(u64::MAX) + 1;
        let n = <&mut R as io::Read>::take(&mut self.input, limit)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| CorpusError::io(&self.path, e))?;
        if n == 0 {
            self.done = true;
            return Ok(None);
        }
        self.line += 1;
        let Some(body) = self.buf.strip_suffix(b"\n") else {
            return Err(if self.buf.len() > MAX_LINE_LEN {
                self.err(format!("line longer than {MAX_LINE_LEN} bytes"))
            } else {
                self.err("the last line does not end with a newline (truncated file?)")
            });
        };
        if body.is_empty() {
            return Err(self.err("blank line"));
        }
        if body.contains(&b'\r') {
            return Err(self.err("carriage return in line (lines end with \\n only)"));
        }
        let record: Record = serde_json::from_slice(body)
            .map_err(|e| self.err(format!("not a valid record: {e}")))?;
        self.merkle.push(body);
        Ok(Some((self.line, record)))
    }

    /// The next record, decoded and cross-checked ([`Record::parse`]).
    pub fn next_parsed(&mut self) -> Result<Option<(u64, ParsedRecord)>> {
        match self.next_record()? {
            None => Ok(None),
            Some((line, r)) => {
                let parsed = r
                    .parse()
                    .map_err(|m| self.err(format!("record {:?}: {m}", r.id)))?;
                Ok(Some((line, parsed)))
            }
        }
    }

    /// Lines read so far.
    pub fn count(&self) -> u64 {
        self.merkle.count()
    }

    /// The Merkle root over the lines read so far.
    pub fn merkle_root(&self) -> [u8; 32] {
        self.merkle.root()
    }
}

/// Outcome of [`verify_corpus`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Records read.
    pub records: u64,
    /// Records whose signature verified.
    pub valid: u64,
    /// IDs of the records whose signature did not verify, in file order.
    pub invalid: Vec<String>,
    /// The recomputed Merkle root, hex.
    pub merkle_root: String,
    /// The algorithms seen.
    pub algorithms: BTreeSet<String>,
}

/// Checks a whole corpus against its manifest and keystore, streaming:
/// every record parses, names a key of the keystore of its algorithm
/// (with the same public key), and its signature verifies with that key
/// (MACs with the secret key); the count, algorithms and Merkle root match
/// the manifest. A signature that does not verify is reported, not an
/// error; everything else malformed is an error naming the line.
pub fn verify_corpus(manifest_path: &Path) -> Result<VerifyReport> {
    let manifest = Manifest::read(manifest_path)?;
    let ks_path = manifest.keystore_path(manifest_path);
    let keys = Keystore::read(&ks_path)?.load(&ks_path, None)?;
    let corpus_path = manifest.corpus_path(manifest_path);
    let mut reader = CorpusReader::open(&corpus_path)?;
    let mut report = VerifyReport::default();
    while let Some((line, rec)) = reader.next_parsed()? {
        let at = |m: String| CorpusError::Record {
            path: corpus_path.clone(),
            line,
            message: format!("record {:?}: {m}", rec.id),
        };
        let key = keys
            .get(&rec.key_id)
            .ok_or_else(|| at(format!("key_id {:?} is not in the keystore", rec.key_id)))?;
        if key.algorithm != rec.algorithm {
            return Err(at(format!(
                "key {:?} is a {} key, the record is {}",
                rec.key_id, key.algorithm, rec.algorithm
            )));
        }
        let outcome = match (&key.public, &rec.public_key) {
            (Some(pk), Some(t)) => {
                if t.fingerprint() != Some(&pk.fingerprint()) || t.payload() != pk.as_raw() {
                    return Err(at(format!(
                        "public_key differs from the keystore's key {:?}",
                        rec.key_id
                    )));
                }
                pk.verify(&rec.message, &rec.context, &rec.signature)
            }
            (None, None) => key
                .secret
                .verify(&rec.message, &rec.context, &rec.signature),
            _ => return Err(at("public_key does not match the keystore entry".into())),
        };
        match outcome {
            Ok(()) => report.valid += 1,
            Err(pqshift::Error::VerificationFailed) => report.invalid.push(rec.id.clone()),
            Err(e) => return Err(at(e.to_string())),
        }
        report.algorithms.insert(rec.algorithm.as_str().to_string());
    }
    report.records = reader.count();
    report.merkle_root = hex::encode(reader.merkle_root());
    if report.records != manifest.records {
        return Err(CorpusError::file(
            manifest_path,
            format!(
                "manifest says {} records, {} has {}",
                manifest.records,
                corpus_path.display(),
                report.records
            ),
        ));
    }
    if report.merkle_root != manifest.merkle_root {
        return Err(CorpusError::file(
            manifest_path,
            format!(
                "Merkle root mismatch: manifest {}, recomputed over {} {}",
                manifest.merkle_root,
                corpus_path.display(),
                report.merkle_root
            ),
        ));
    }
    let seen: Vec<String> = report.algorithms.iter().cloned().collect();
    if seen != manifest.algorithms {
        return Err(CorpusError::file(
            manifest_path,
            format!(
                "manifest lists algorithms {:?}, the records use {:?}",
                manifest.algorithms, seen
            ),
        ));
    }
    Ok(report)
}

#[cfg(test)]
mod key_entry_debug {
    #[test]
    fn debug_redacts_the_secret_key() {
        let e = super::KeyEntry {
            key_id: "k0".into(),
            algorithm: "ed25519".into(),
            public_key: None,
            secret_key: "pqshift1:sec:ed25519:SECRETSEEDTEXT".into(),
        };
        let d = format!("{e:?}");
        assert!(!d.contains("SECRETSEEDTEXT"), "{d}");
        assert!(d.contains("REDACTED") && d.contains("k0"), "{d}");
    }
}
