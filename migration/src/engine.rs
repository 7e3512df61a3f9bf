//! The migration engine: verify each record under its old key, re-sign it
//! with a new key of the new algorithm, verify the new signature with an
//! independent provider, write the new corpus — streaming, in parallel
//! chunks, resumable, with every output appearing atomically at the end.
//!
//! The formats and the command are documented in `migration/README.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use pqshift::crosscheck::{self, Combined, CrossVerifier, VerifierMode, VerifierPlan};
use pqshift::merkle::{leaf_hash, MerkleBuilder};
use pqshift::{registry, AlgorithmId, AlgorithmKind, PublicKey, SecretKey, SignMode};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::attest::{self, AttestationsFile, ATTESTATIONS_FILE_FORMAT};
use crate::checkpoint::{sync_dir, tmp_path, Checkpoint, CHECKPOINT_FORMAT};
use crate::corpus::{
    canonical_algorithm, CorpusError, KeyEntry, Keystore, LoadedKey, Manifest, Previous, Record,
    FORMAT_VERSION, KEYSTORE_FORMAT, MANIFEST_FORMAT, MAX_LINE_LEN, MERKLE_SCHEME,
};
use crate::generate::{companion_paths, to_json_text};
use crate::keys::{self, KeySource};
use crate::outfile::{self, Access, DirLock};
use crate::report::{
    Counts, Failure, InputInfo, MigrationInfo, OldVerifierInfo, Outcome, OutputInfo, ReportHead,
    Timing, REPORT_FORMAT,
};

/// The new corpus, in `--out`.
pub const OUT_CORPUS: &str = "corpus.jsonl";
/// Its manifest.
pub const OUT_MANIFEST: &str = "corpus.manifest.json";
/// The new keystore.
pub const OUT_KEYSTORE: &str = "corpus.keystore.json";
/// The key-rotation attestations.
pub const OUT_ATTESTATIONS: &str = "attestations.json";
/// The report.
pub const OUT_REPORT: &str = "report.json";
/// The checkpoint of an unfinished run.
pub const CHECKPOINT: &str = ".migrate-checkpoint.json";
/// The failures collected so far (temporary).
const FAILURES_TMP: &str = ".failures.jsonl.tmp";

/// Default records per parallel chunk.
pub const DEFAULT_CHUNK: usize = 1024;
/// Default records between checkpoints.
pub const DEFAULT_CHECKPOINT_EVERY: u64 = 8192;
/// A chunk stops growing past this many input bytes (memory bound).
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Failures of the migration as a whole (exit code 2); record-level
/// failures are outcomes in the report instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The run was refused before it started (arguments, configuration, state of `--out`).
    #[error("{0}")]
    Refused(String),
    /// Reading or writing failed.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
}

impl From<pqshift::Error> for MigrateError {
    fn from(e: pqshift::Error) -> Self {
        MigrateError::Corpus(CorpusError::Crypto(e))
    }
}

fn refused(m: impl Into<String>) -> MigrateError {
    MigrateError::Refused(m.into())
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> MigrateError + '_ {
    move |e| MigrateError::Corpus(CorpusError::io(path, e))
}

/// Result of the engine.
pub type Result<T> = std::result::Result<T, MigrateError>;

/// Which provider checks the new signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrossVerify {
    /// Any registered provider of the new algorithm other than the signer
    /// (preferred first); refused when there is none.
    Auto,
    /// This provider (it must differ from the signer).
    Provider(String),
    /// No independent check (`--no-cross-verify`): the signer's own provider
    /// re-verifies, and the report carries a finding saying so.
    Disabled,
}

/// A migration's parameters (the `pqshift migrate` flags).
#[derive(Debug, Clone)]
pub struct Options {
    /// The input corpus (`NAME.jsonl`), or its manifest (`NAME.manifest.json`).
    pub corpus: PathBuf,
    /// The new algorithm.
    pub to: AlgorithmId,
    /// Provider of the new keys and signatures (default: the preferred one).
    pub provider: Option<String>,
    /// Who checks the new signatures.
    pub cross_verify: CrossVerify,
    /// How many providers verify each old signature (`--old-verify`):
    /// two independent ones where the old algorithm has two (default), or one.
    pub old_verify: VerifierMode,
    /// `--old-verifiers ALG=FIRST[,SECOND]`: the providers that verify the
    /// old signatures of an algorithm (default: chosen by
    /// [`pqshift::crosscheck::old_signature_verifiers`]).
    pub old_verifiers: BTreeMap<AlgorithmId, Vec<String>>,
    /// The old keystore (file, or directory holding the file the manifest
    /// names); default: the one the manifest names.
    pub keystore: Option<PathBuf>,
    /// Master seed file: derive the new keys with HKDF (else OS randomness).
    pub master_seed: Option<PathBuf>,
    /// Output directory.
    pub out: PathBuf,
    /// Continue an interrupted run.
    pub resume: bool,
    /// Verify only; write nothing but the report.
    pub dry_run: bool,
    /// `(I, N)`: handle the input lines whose 0-based index mod N is I.
    pub shard: (u64, u64),
    /// Worker threads (default: the available parallelism).
    pub jobs: Option<usize>,
    /// Do not keep the old signature in the output records.
    pub drop_old: bool,
    /// Allow an insecure target algorithm (the placeholder).
    pub allow_insecure: bool,
    /// Records per parallel chunk.
    pub chunk: usize,
    /// Records between checkpoints.
    pub checkpoint_every: u64,
    /// Accept a master seed that looks weak (all bytes equal, fewer than
    /// [`MIN_SEED_DISTINCT_BYTES`] distinct byte values in its first 32
    /// bytes): `--allow-weak-seed`.
    pub allow_weak_seed: bool,
    /// Where warnings about the inputs go (a group- or world-accessible
    /// keystore); default: nowhere.
    pub on_warning: Option<fn(&str)>,
}

/// A master seed with fewer distinct byte values than this in its first
/// 32 bytes is refused as weak (unless [`Options::allow_weak_seed`]).
pub const MIN_SEED_DISTINCT_BYTES: usize = 8;

impl Options {
    /// Defaults for everything but the input, target and output.
    pub fn new(corpus: impl Into<PathBuf>, to: AlgorithmId, out: impl Into<PathBuf>) -> Self {
        Options {
            corpus: corpus.into(),
            to,
            provider: None,
            cross_verify: CrossVerify::Auto,
            old_verify: VerifierMode::Dual,
            old_verifiers: BTreeMap::new(),
            keystore: None,
            master_seed: None,
            out: out.into(),
            resume: false,
            dry_run: false,
            shard: (0, 1),
            jobs: None,
            drop_old: false,
            allow_insecure: false,
            chunk: DEFAULT_CHUNK,
            checkpoint_every: DEFAULT_CHECKPOINT_EVERY,
            allow_weak_seed: false,
            on_warning: None,
        }
    }
}

/// Progress callback: (input bytes consumed, input bytes in total).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The report, without the failures list (which is in `report.json`).
    pub head: ReportHead,
    /// Where `report.json` is.
    pub report_path: PathBuf,
}

/// A new key with what checks its signatures.
struct NewKey {
    id: String,
    secret: SecretKey,
    public_text: Option<String>,
    /// Verifier of the cross-verifying provider (signature algorithms).
    cross: Option<PublicKey>,
}

struct Ctx {
    to: AlgorithmId,
    new_takes_context: bool,
    old_keys: BTreeMap<String, LoadedKey>,
    /// Per old key ID (signature keys): its public key loaded by each old verifier.
    old_verifiers: BTreeMap<String, CrossVerifier>,
    new_keys: BTreeMap<String, NewKey>,
    dry_run: bool,
    drop_old: bool,
}

enum LineKind {
    Complete,
    Truncated,
    TooLong,
}

struct RawLine {
    line: u64,
    kind: LineKind,
    bytes: Vec<u8>,
    /// This shard's line.
    mine: bool,
}

enum Processed {
    Written(String),
    Checked,
    Failed(Failure),
}

struct Setup {
    corpus: PathBuf,
    manifest_path: Option<PathBuf>,
    manifest: Option<Manifest>,
    keystore_path: PathBuf,
    signer: &'static str,
    cross: Option<&'static str>,
    /// Who verifies the old signatures, per algorithm of the old keystore.
    old_plans: BTreeMap<AlgorithmId, VerifierPlan>,
    master: Option<Vec<u8>>,
    params_hash: String,
    findings: Vec<String>,
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn file_sha256(path: &Path) -> Result<String> {
    let mut f = File::open(path).map_err(io_err(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(io_err(path))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// Reads one of our own temporary key files back (bounded like a keystore).
fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut f = outfile::open_existing_nofollow(path, Access::Secret).map_err(CorpusError::from)?;
    let _ = f.seek(SeekFrom::Start(0));
    Ok(pqshift::input::read_to_end_capped(
        f,
        pqshift::input::MAX_KEYSTORE_FILE,
        &path.display().to_string(),
    )?)
}

/// Why a master seed looks weak, if it does: all bytes equal, or fewer than
/// [`MIN_SEED_DISTINCT_BYTES`] distinct values among its first 32 bytes.
pub fn weak_seed(seed: &[u8]) -> Option<String> {
    let head = &seed[..seed.len().min(32)];
    let first = head.first()?;
    if seed.iter().all(|b| b == first) {
        return Some(format!("every byte is 0x{first:02x}"));
    }
    let distinct = head.iter().collect::<BTreeSet<_>>().len();
    (distinct < MIN_SEED_DISTINCT_BYTES).then(|| {
        format!(
            "its first {} bytes take only {distinct} distinct values (at least \
             {MIN_SEED_DISTINCT_BYTES} expected of random bytes)",
            head.len()
        )
    })
}

/// Warns (through [`Options::on_warning`]) when the old keystore, which
/// holds secret keys, can be read or written by its group or by others.
fn check_keystore_mode(opts: &Options, path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let (Some(warn), Ok(meta)) = (opts.on_warning, std::fs::metadata(path)) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                warn(&format!(
                    "warning: the old keystore {} holds secret keys and has mode {mode:04o}: \
                     readable or writable by its group or others (chmod 600 it)",
                    path.display()
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (opts, path);
}

fn setup(opts: &Options) -> Result<Setup> {
    let (i, n) = opts.shard;
    if n == 0 || i >= n {
        return Err(refused(format!(
            "--shard {i}/{n}: need 0 <= I < N (e.g. 0/4 .. 3/4)"
        )));
    }
    if opts.jobs == Some(0) || opts.chunk == 0 || opts.checkpoint_every == 0 {
        return Err(refused(
            "--jobs, the chunk size and --checkpoint-every must be at least 1",
        ));
    }
    let to = opts.to;
    if to.kind() == AlgorithmKind::Kem {
        return Err(refused(format!("{to} is a KEM: a corpus holds signatures")));
    }
    if to.is_insecure() && !opts.allow_insecure {
        return Err(refused(format!(
            "{to} is INSECURE (a test placeholder): migrating to it needs --allow-insecure"
        )));
    }
    // Input paths.
    let name = opts.corpus.to_string_lossy().to_string();
    let (corpus, manifest_path) = if name.ends_with(".manifest.json") {
        let m = Manifest::read(&opts.corpus)?;
        (m.corpus_path(&opts.corpus), Some(opts.corpus.clone()))
    } else {
        let (m, _) = companion_paths(&opts.corpus)?;
        (opts.corpus.clone(), m.exists().then_some(m))
    };
    let manifest = match &manifest_path {
        Some(p) => Some(Manifest::read(p)?),
        None => None,
    };
    let keystore_path = match (&opts.keystore, &manifest, &manifest_path) {
        (Some(k), Some(m), _) if k.is_dir() => k.join(&m.keystore),
        (Some(k), None, _) if k.is_dir() => {
            let (_, ks) = companion_paths(&corpus)?;
            k.join(ks.file_name().unwrap_or_default())
        }
        (Some(k), _, _) => k.clone(),
        (None, Some(m), Some(mp)) => m.keystore_path(mp),
        _ => {
            return Err(refused(format!(
                "{} has no manifest beside it: name the old keystore with --keystore",
                corpus.display()
            )))
        }
    };
    // Providers.
    // Without --provider: the preferred provider that signs deterministically.
    let signer_reg =
        pqshift::signing_registration(to, opts.provider.as_deref(), SignMode::Deterministic)?;
    let signer = signer_reg.provider().id;
    let caps = signer_reg.capabilities();
    if !caps.deterministic_sign {
        return Err(refused(format!(
            "provider {signer} cannot sign {to} deterministically: a resumable migration must \
             give byte-identical output; choose another --provider"
        )));
    }
    if opts.master_seed.is_some() && !caps.seeded_keygen {
        return Err(refused(format!(
            "provider {signer} cannot derive {to} keys from seeds, so --master-seed cannot be honoured"
        )));
    }
    let mut findings = Vec::new();
    let cross = match &opts.cross_verify {
        CrossVerify::Disabled => {
            findings.push(format!(
                "CROSS-VERIFICATION DISABLED (--no-cross-verify): every new {to} signature was \
                 re-checked only by the provider that made it ({signer}), not by an independent \
                 implementation"
            ));
            None
        }
        CrossVerify::Provider(p) => {
            if p == signer {
                return Err(refused(format!(
                    "--cross-verify {p}: the cross-verifier must differ from the signing provider \
                     {signer}"
                )));
            }
            if to.kind() == AlgorithmKind::Mac {
                return Err(refused(format!(
                    "{to} is a MAC: there is no public key to cross-verify with; use --no-cross-verify"
                )));
            }
            Some(registry::find(to, Some(p))?.provider().id)
        }
        CrossVerify::Auto => {
            let other = registry::providers_for(to)
                .into_iter()
                .map(|r| r.provider().id)
                .find(|id| *id != signer);
            match other {
                Some(id) if to.kind() == AlgorithmKind::Signature => Some(id),
                _ => {
                    return Err(refused(format!(
                        "no provider other than {signer} serves {to}, so the new signatures cannot \
                         be verified independently: pass --cross-verify PROVIDER, or \
                         --no-cross-verify to go on without (recorded in the report as a finding)"
                    )))
                }
            }
        }
    };
    let old_plans = old_plans(opts, &keystore_path)?;
    if opts.old_verify == VerifierMode::Single {
        let who: Vec<String> = old_plans
            .values()
            .filter(|p| p.algorithm.kind() == AlgorithmKind::Signature)
            .map(|p| format!("{} by {}", p.algorithm, p.provider_ids().join(", ")))
            .collect();
        if !who.is_empty() {
            findings.push(format!(
                "OLD SIGNATURES VERIFIED BY ONE PROVIDER ONLY (--old-verify single): {}; a bug \
                 in that provider could let an invalid old signature be re-signed",
                who.join("; ")
            ));
        }
    }
    if to.is_insecure() {
        findings.push(format!(
            "the new algorithm {to} is INSECURE (a test placeholder): the new corpus proves nothing"
        ));
    }
    if n > 1 && opts.master_seed.is_none() && !opts.dry_run {
        return Err(refused(
            "--shard needs --master-seed: every shard must derive the same new keys",
        ));
    }
    let master = match &opts.master_seed {
        Some(p) => {
            // The cap counts bytes as they are read: /dev/urandom or a FIFO
            // reports a size of 0.
            let m =
                pqshift::input::read_capped(p, pqshift::input::MAX_SEED_FILE, "master seed file")
                    .map_err(|e| refused(e.to_string()))?;
            if m.len() < keys::MIN_MASTER_SEED_LEN {
                return Err(refused(format!(
                    "master seed file {} has {} bytes; at least {} are needed",
                    p.display(),
                    m.len(),
                    keys::MIN_MASTER_SEED_LEN
                )));
            }
            if let Some(why) = weak_seed(&m) {
                if !opts.allow_weak_seed {
                    return Err(refused(format!(
                        "master seed file {}: {why}; it is not a secret worth deriving keys \
                         from (pass --allow-weak-seed to use it anyway, e.g. for tests)",
                        p.display()
                    )));
                }
            }
            Some(m)
        }
        None => None,
    };
    // What a resume must find unchanged.
    let corpus_len = std::fs::metadata(&corpus).map_err(io_err(&corpus))?.len();
    let params = serde_json::json!({
        "v": 1,
        "corpus_len": corpus_len,
        "manifest_sha256": match &manifest_path { Some(p) => Some(file_sha256(p)?), None => None },
        "keystore_sha256": file_sha256(&keystore_path)?,
        "to": to.as_str(),
        "provider": signer,
        "cross_verify": cross,
        "old_verify": opts.old_verify.as_str(),
        "old_verifiers": old_plans
            .values()
            .map(|p| (p.algorithm.as_str(), p.provider_ids()))
            .collect::<BTreeMap<_, _>>(),
        "master_seed_sha256": master.as_deref().map(sha256_hex),
        "dry_run": opts.dry_run,
        "drop_old": opts.drop_old,
        "shard": [i, n],
    });
    Ok(Setup {
        corpus,
        manifest_path,
        manifest,
        keystore_path,
        signer,
        cross,
        old_plans,
        master,
        params_hash: sha256_hex(params.to_string().as_bytes()),
        findings,
    })
}

/// Who verifies the old signatures of each algorithm of the old keystore
/// (the choice is the facade's policy: `pqshift::crosscheck`). An
/// insecure old algorithm (the placeholder MAC) can only be checked by its
/// own insecure provider, so it is allowed there; for every other
/// algorithm an insecure provider verifies only with `--allow-insecure`.
fn old_plans(opts: &Options, keystore_path: &Path) -> Result<BTreeMap<AlgorithmId, VerifierPlan>> {
    let ks = Keystore::read(keystore_path)?;
    let algs: BTreeSet<AlgorithmId> = ks
        .keys
        .iter()
        .filter_map(|k| canonical_algorithm(&k.algorithm).ok())
        .filter(|a| a.kind() != AlgorithmKind::Kem)
        .collect();
    if let Some(alg) = opts.old_verifiers.keys().find(|a| !algs.contains(a)) {
        return Err(refused(format!(
            "--old-verifiers names {alg}, which no key of the old keystore {} uses",
            keystore_path.display()
        )));
    }
    let mut plans = BTreeMap::new();
    for alg in algs {
        let pinned = opts.old_verifiers.get(&alg);
        if pinned.is_some_and(|p| p.is_empty() || p.len() > 2) {
            return Err(refused(format!(
                "--old-verifiers {alg}=...: name one or two providers"
            )));
        }
        let req = crosscheck::VerifierRequest {
            mode: opts.old_verify,
            first: pinned.and_then(|p| p.first().cloned()),
            second: pinned.and_then(|p| p.get(1).cloned()),
            allow_insecure: opts.allow_insecure || alg.is_insecure(),
        };
        let plan = crosscheck::old_signature_verifiers(alg, &req)
            .map_err(|e| refused(format!("who verifies the old {alg} signatures: {e}")))?;
        plans.insert(alg, plan);
    }
    Ok(plans)
}

/// Each old signature key loaded by the providers that verify its signatures.
fn old_verifier_set(
    s: &Setup,
    old: &BTreeMap<String, LoadedKey>,
) -> Result<BTreeMap<String, CrossVerifier>> {
    let mut map = BTreeMap::new();
    for (id, key) in old {
        let Some(pk) = &key.public else { continue };
        let plan = s.old_plans.get(&key.algorithm).ok_or_else(|| {
            refused(format!(
                "internal error: no verifier plan for {} (key {id:?})",
                key.algorithm
            ))
        })?;
        map.insert(id.clone(), CrossVerifier::load(plan, pk.as_raw()));
    }
    Ok(map)
}

/// (old key ID, new key ID, new key), in old key ID order.
type KeyList = Vec<(String, String, SecretKey)>;

/// The parameter hash a checkpoint of this migration carries (a resume
/// with another one is refused): SHA-256 over the target, providers, shard,
/// flags, and the hashes of the master seed, input manifest and keystore.
pub fn params_hash(opts: &Options) -> Result<String> {
    Ok(setup(opts)?.params_hash)
}

/// Builds the new keys, the new keystore text and the attestations text.
fn make_keys(
    s: &Setup,
    old: &BTreeMap<String, LoadedKey>,
    to: AlgorithmId,
) -> Result<(KeyList, String, String)> {
    let source = match &s.master {
        Some(m) => KeySource::Master(m),
        None => KeySource::Random,
    };
    let mut out = Vec::new();
    let mut entries = Vec::new();
    let mut attestations = Vec::new();
    for (old_id, old_key) in old {
        let new_id = keys::new_key_id(old_id, to);
        let key = keys::new_key(source, to, old_id, Some(s.signer))?;
        entries.push(key_entry(&new_id, &key)?);
        attestations.push(attest::attest(old_id, &old_key.secret, &new_id, &key)?);
        out.push((old_id.clone(), new_id, key));
    }
    let ks = Keystore {
        format: KEYSTORE_FORMAT.into(),
        version: FORMAT_VERSION,
        note: "TEST KEYS: the secret keys are in the clear. Never use them to protect anything."
            .into(),
        keys: entries,
    };
    let at = AttestationsFile {
        format: ATTESTATIONS_FILE_FORMAT.into(),
        version: 1,
        note: "Key rotations: each old key signs the statement naming its new key (see \
               migration/README.md). For the insecure placeholder the old signature is a MAC tag."
            .into(),
        attestations,
    };
    Ok((out, to_json_text(&ks)?, to_json_text(&at)?))
}

fn key_entry(id: &str, k: &SecretKey) -> Result<KeyEntry> {
    Ok(KeyEntry {
        key_id: id.into(),
        algorithm: k.algorithm().as_str().into(),
        public_key: if k.is_mac() {
            None
        } else {
            Some(k.public_key()?.to_tagged()?.to_text().to_string())
        },
        secret_key: k.to_tagged()?.to_text().to_string(),
    })
}

/// Loads the new keys back from the temporary keystore (resume).
fn reload_keys(
    path: &Path,
    old: &BTreeMap<String, LoadedKey>,
    to: AlgorithmId,
    signer: &str,
) -> Result<KeyList> {
    let mut loaded = Keystore::read(path)?.load(path, Some(signer))?;
    let mut out = Vec::new();
    for old_id in old.keys() {
        let new_id = keys::new_key_id(old_id, to);
        let k = loaded
            .remove(&new_id)
            .ok_or_else(|| refused(format!("{}: key {new_id:?} is missing", path.display())))?;
        out.push((old_id.clone(), new_id, k.secret));
    }
    Ok(out)
}

fn new_key_set(keys: KeyList, cross: Option<&str>) -> Result<BTreeMap<String, NewKey>> {
    let mut map = BTreeMap::new();
    for (old_id, new_id, secret) in keys {
        let (public_text, cross_key) = if secret.is_mac() {
            (None, None)
        } else {
            let p = secret.public_key()?;
            let text = p.to_tagged()?.to_text().to_string();
            let c = match cross {
                Some(c) => Some(PublicKey::from_raw(
                    secret.algorithm(),
                    p.as_raw(),
                    Some(c),
                )?),
                None => None,
            };
            (Some(text), c)
        };
        map.insert(
            old_id,
            NewKey {
                id: new_id,
                secret,
                public_text,
                cross: cross_key,
            },
        );
    }
    Ok(map)
}

fn failure(raw: &RawLine, id: Option<String>, outcome: Outcome, reason: String) -> Processed {
    Processed::Failed(Failure {
        line: raw.line,
        id,
        outcome,
        reason,
        verdicts: None,
    })
}

fn id_of(bytes: &[u8]) -> Option<String> {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()?
        .get("id")?
        .as_str()
        .map(str::to_string)
}

fn process(ctx: &Ctx, raw: &RawLine, alg: &mut Option<AlgorithmId>) -> Processed {
    let malformed = |id: Option<String>, r: String| failure(raw, id, Outcome::Malformed, r);
    match raw.kind {
        LineKind::Complete => {}
        LineKind::Truncated => {
            return malformed(
                None,
                "truncated: the last line does not end with a newline".into(),
            )
        }
        LineKind::TooLong => {
            return malformed(None, format!("line longer than {MAX_LINE_LEN} bytes"))
        }
    }
    let body = &raw.bytes;
    if body.is_empty() {
        return malformed(None, "blank line".into());
    }
    if body.contains(&b'\r') {
        return malformed(id_of(body), "carriage return in line".into());
    }
    let rec: Record = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return malformed(id_of(body), format!("not a valid record (JSON): {e}")),
    };
    let id = Some(rec.id.clone());
    match canonical_algorithm(&rec.algorithm) {
        Ok(a) => *alg = Some(a),
        Err(e) => return malformed(id, e),
    }
    let p = match rec.parse() {
        Ok(p) => p,
        Err(e) => return malformed(id, e),
    };
    let Some(old) = ctx.old_keys.get(&p.key_id) else {
        return failure(
            raw,
            id,
            Outcome::UnknownKey,
            format!("key_id {:?} is not in the old keystore", p.key_id),
        );
    };
    if old.algorithm != p.algorithm {
        return failure(
            raw,
            id,
            Outcome::KeyMismatch,
            format!(
                "key {:?} is a {} key, the record is {}",
                p.key_id, old.algorithm, p.algorithm
            ),
        );
    }
    let verified = match (&old.public, &p.public_key) {
        (Some(pk), Some(t)) => {
            if t.fingerprint() != Some(&pk.fingerprint()) || t.payload() != pk.as_raw() {
                return failure(
                    raw,
                    id,
                    Outcome::KeyMismatch,
                    format!("public_key differs from the keystore's key {:?}", p.key_id),
                );
            }
            let Some(check) = ctx.old_verifiers.get(&p.key_id) else {
                return failure(
                    raw,
                    id,
                    Outcome::OldInvalid,
                    format!(
                        "no verifier was loaded for key {:?}: not re-signed",
                        p.key_id
                    ),
                );
            };
            let verdicts = check.verify_by_each(&p.message, &p.context, &p.signature);
            match crosscheck::combine(&verdicts) {
                Combined::Valid => Ok(()),
                Combined::Invalid(e) => Err(e),
                Combined::Disagree => {
                    let said: Vec<String> = verdicts
                        .iter()
                        .map(|v| format!("{} says {}", v.provider, v.text()))
                        .collect();
                    return Processed::Failed(Failure {
                        line: raw.line,
                        id,
                        outcome: Outcome::ProvidersDisagree,
                        reason: format!(
                            "the providers disagree on the old {} signature ({}): not re-signed",
                            p.algorithm,
                            said.join(", ")
                        ),
                        verdicts: Some(
                            verdicts
                                .iter()
                                .map(|v| (v.provider.to_string(), v.text()))
                                .collect(),
                        ),
                    });
                }
            }
        }
        (None, None) => old.secret.verify(&p.message, &p.context, &p.signature),
        _ => {
            return failure(
                raw,
                id,
                Outcome::KeyMismatch,
                "public_key does not match the keystore entry".into(),
            )
        }
    };
    match verified {
        Ok(()) => {}
        Err(pqshift::Error::VerificationFailed) => {
            return failure(
                raw,
                id,
                Outcome::OldInvalid,
                format!(
                    "the old {} signature does not verify: not re-signed",
                    p.algorithm
                ),
            )
        }
        Err(e) => {
            return failure(
                raw,
                id,
                Outcome::OldInvalid,
                format!("the old signature cannot be verified: {e}: not re-signed"),
            )
        }
    }
    if !p.context.is_empty() && !ctx.new_takes_context {
        return failure(
            raw,
            id,
            Outcome::ContextUnsupported,
            format!(
                "the record has a {}-byte context and {} takes none",
                p.context.len(),
                ctx.to
            ),
        );
    }
    if ctx.dry_run {
        return Processed::Checked;
    }
    let Some(new) = ctx.new_keys.get(&p.key_id) else {
        return failure(
            raw,
            id,
            Outcome::SignFailed,
            "no new key for this key ID".into(),
        );
    };
    let sig = match new
        .secret
        .sign_with(&p.message, &p.context, SignMode::Deterministic)
    {
        Ok(s) => s,
        Err(e) => return failure(raw, id, Outcome::SignFailed, e.to_string()),
    };
    let check = match &new.cross {
        Some(c) => c.verify(&p.message, &p.context, &sig),
        None => new.secret.verify(&p.message, &p.context, &sig),
    };
    if let Err(e) = check {
        let who = new.cross.as_ref().map(|c| c.provider().id);
        return failure(
            raw,
            id,
            Outcome::CrossVerifyFailed,
            format!(
                "the new signature did not verify with {}: {e}",
                who.unwrap_or("the signing provider")
            ),
        );
    }
    let sig_text = match sig.to_text() {
        Ok(t) => t,
        Err(e) => return failure(raw, id, Outcome::SignFailed, e.to_string()),
    };
    let out = Record {
        id: rec.id.clone(),
        algorithm: ctx.to.as_str().into(),
        key_id: new.id.clone(),
        public_key: new.public_text.clone(),
        previous: if ctx.drop_old {
            None
        } else {
            Some(Previous {
                algorithm: rec.algorithm,
                key_id: rec.key_id,
                public_key: rec.public_key,
                signature: rec.signature,
            })
        },
        message: rec.message,
        context: rec.context,
        signature: sig_text,
    };
    match out.to_line() {
        Ok(l) => Processed::Written(l),
        Err(e) => failure(raw, id, Outcome::SignFailed, e.to_string()),
    }
}

/// A chunk of input lines (this shard's and the others', in order).
struct Chunk {
    lines: Vec<RawLine>,
    end_offset: u64,
    at_end: bool,
}

/// What the workers made of one line.
struct Done {
    /// Leaf hash of the input line (complete lines only).
    input_leaf: Option<[u8; 32]>,
    /// The algorithm, when the record names a known one.
    alg: Option<AlgorithmId>,
    /// `None` for another shard's line.
    processed: Option<Processed>,
    /// Leaf hash of the output line.
    output_leaf: Option<[u8; 32]>,
}

struct ChunkReader {
    input: BufReader<File>,
    path: PathBuf,
    next_index: u64,
    offset: u64,
    shard: (u64, u64),
    chunk: usize,
}

impl ChunkReader {
    fn read(&mut self) -> Result<Chunk> {
        let mut lines = Vec::new();
        let (mut mine, mut bytes) = (0usize, 0usize);
        let mut at_end = false;
        while mine < self.chunk && bytes < CHUNK_BYTES {
            let mut buf = Vec::new();
            let (n, kind) = read_raw(&mut self.input, &mut buf).map_err(io_err(&self.path))?;
            let Some(kind) = kind else {
                at_end = true;
                break;
            };
            self.offset += n;
            let index = self.next_index;
            self.next_index += 1;
            let is_mine = index % self.shard.1 == self.shard.0;
            mine += usize::from(is_mine);
            bytes += buf.len();
            lines.push(RawLine {
                line: index + 1,
                kind,
                bytes: buf,
                mine: is_mine,
            });
        }
        Ok(Chunk {
            lines,
            end_offset: self.offset,
            at_end,
        })
    }
}

fn work(ctx: &Ctx, raw: &RawLine) -> Done {
    let input_leaf = matches!(raw.kind, LineKind::Complete).then(|| leaf_hash(&raw.bytes));
    if !raw.mine {
        return Done {
            input_leaf,
            alg: None,
            processed: None,
            output_leaf: None,
        };
    }
    let mut alg = None;
    let p = process(ctx, raw, &mut alg);
    let output_leaf = match &p {
        Processed::Written(line) => Some(leaf_hash(line.as_bytes())),
        _ => None,
    };
    Done {
        input_leaf,
        alg,
        processed: Some(p),
        output_leaf,
    }
}

/// Writes a processed chunk in input order and folds it into the state;
/// returns how many of this shard's lines it held.
fn apply(st: &mut State, outs: &mut Outputs, chunk: &Chunk, results: Vec<Done>) -> Result<u64> {
    let mut mine = 0u64;
    for d in results {
        st.input_lines += 1;
        if let Some(h) = d.input_leaf {
            st.input_merkle.push_leaf_hash(h);
        }
        if let Some(alg) = d.alg {
            if !st.algorithms.contains(alg.as_str()) {
                st.algorithms.insert(alg.as_str().to_string());
            }
        }
        let Some(p) = d.processed else {
            st.counts.other_shards += 1;
            continue;
        };
        mine += 1;
        match p {
            Processed::Written(line) => {
                st.counts.add(Outcome::Migrated);
                if let Some(c) = &mut outs.corpus {
                    c.write_all(line.as_bytes())
                        .and_then(|()| c.write_all(b"\n"))
                        .map_err(io_err(&outs.corpus_path))?;
                }
                match d.output_leaf {
                    Some(h) => st.output_merkle.push_leaf_hash(h),
                    None => st.output_merkle.push(line.as_bytes()),
                }
                st.output_len += u64::try_from(line.len()).unwrap_or(u64::MAX) + 1;
            }
            Processed::Checked => st.counts.add(Outcome::WouldMigrate),
            Processed::Failed(f) => {
                st.counts.add(f.outcome);
                let line = serde_json::to_string(&f).map_err(|e| {
                    refused(format!("internal error: cannot serialize a failure: {e}"))
                })?;
                outs.failures
                    .write_all(line.as_bytes())
                    .and_then(|()| outs.failures.write_all(b"\n"))
                    .map_err(io_err(&outs.failures_path))?;
                st.failures_len += u64::try_from(line.len()).unwrap_or(u64::MAX) + 1;
            }
        }
    }
    st.input_offset = chunk.end_offset;
    Ok(mine)
}

/// Reads one raw line (at most [`MAX_LINE_LEN`] bytes kept); returns the
/// bytes consumed, 0 at the end.
fn read_raw(input: &mut BufReader<File>, buf: &mut Vec<u8>) -> io::Result<(u64, Option<LineKind>)> {
    buf.clear();
    let limit = u64::try_from(MAX_LINE_LEN).unwrap_or(u64::MAX) + 1;
    let n = input.by_ref().take(limit).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok((0, None));
    }
    let mut consumed = u64::try_from(n).unwrap_or(u64::MAX);
    if buf.last() == Some(&b'\n') {
        buf.pop();
        return Ok((consumed, Some(LineKind::Complete)));
    }
    if buf.len() <= MAX_LINE_LEN {
        return Ok((consumed, Some(LineKind::Truncated)));
    }
    // Over-long: skip to the end of the line without keeping it.
    buf.clear();
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        input.consume(take);
        consumed += u64::try_from(take).unwrap_or(u64::MAX);
        if done {
            break;
        }
    }
    Ok((consumed, Some(LineKind::TooLong)))
}

/// The temporary outputs of a run.
struct Outputs {
    corpus: Option<BufWriter<File>>,
    failures: BufWriter<File>,
    corpus_path: PathBuf,
    failures_path: PathBuf,
}

impl Outputs {
    fn sync(&mut self) -> Result<()> {
        if let Some(c) = &mut self.corpus {
            c.flush().map_err(io_err(&self.corpus_path))?;
            c.get_ref().sync_data().map_err(io_err(&self.corpus_path))?;
        }
        self.failures.flush().map_err(io_err(&self.failures_path))?;
        self.failures
            .get_ref()
            .sync_data()
            .map_err(io_err(&self.failures_path))
    }
}

/// Opens `path` for appending at `len` (truncating anything after it):
/// on a resume the existing regular file (never through a link), else a
/// file created anew, exclusively.
fn open_at(path: &Path, len: u64, resume: bool) -> Result<BufWriter<File>> {
    let mut f = if resume {
        outfile::open_existing_nofollow(path, Access::Public)
    } else {
        outfile::create_new_nofollow(path, Access::Public)
    }
    .map_err(CorpusError::from)?;
    f.set_len(len).map_err(io_err(path))?;
    f.seek(SeekFrom::Start(len)).map_err(io_err(path))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}

/// Re-hashes the complete lines of the first `len` bytes of `path`.
fn merkle_prefix(path: &Path, len: u64) -> Result<(MerkleBuilder, u64)> {
    let f = File::open(path).map_err(io_err(path))?;
    let mut r = BufReader::new(f.take(len));
    let mut m = MerkleBuilder::new();
    let mut buf = Vec::new();
    let mut lines = 0u64;
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).map_err(io_err(path))?;
        if n == 0 {
            break;
        }
        lines += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
            m.push(&buf);
        }
    }
    Ok((m, lines))
}

/// Every final output is there and no checkpoint: a finished run.
fn finished_before(out: &Path) -> bool {
    [
        OUT_CORPUS,
        OUT_MANIFEST,
        OUT_KEYSTORE,
        OUT_ATTESTATIONS,
        OUT_REPORT,
    ]
    .iter()
    .all(|f| out.join(f).is_file())
}

fn check_out_dir(out: &Path, dry_run: bool) -> Result<()> {
    let finals: &[&str] = if dry_run {
        &[OUT_REPORT]
    } else {
        &[
            OUT_CORPUS,
            OUT_MANIFEST,
            OUT_KEYSTORE,
            OUT_ATTESTATIONS,
            OUT_REPORT,
        ]
    };
    for f in finals {
        if out.join(f).exists() {
            return Err(refused(format!(
                "{} already exists: migrate into an empty directory (outputs are never overwritten)",
                out.join(f).display()
            )));
        }
    }
    Ok(())
}

/// Runs a migration (see the module docs and `migration/README.md`).
pub fn run(opts: &Options, progress: Option<Progress<'_>>) -> Result<Finished> {
    let started = Instant::now();
    let s = setup(opts)?;
    check_keystore_mode(opts, &s.keystore_path);
    let old_keys = Keystore::read(&s.keystore_path)?.load(&s.keystore_path, None)?;
    std::fs::create_dir_all(&opts.out).map_err(io_err(&opts.out))?;
    let out = opts.out.as_path();
    // One run at a time in --out, --resume included: held until this
    // function returns (the kernel drops it if the process dies).
    let _lock =
        DirLock::acquire(out, &outfile::this_command()).map_err(|e| refused(e.to_string()))?;
    let ckpt_path = out.join(CHECKPOINT);
    let ks_tmp = tmp_path(&out.join(OUT_KEYSTORE));
    let at_tmp = tmp_path(&out.join(OUT_ATTESTATIONS));
    let corpus_tmp = tmp_path(&out.join(OUT_CORPUS));
    let failures_tmp = out.join(FAILURES_TMP);

    // Where to start.
    let resumed = if ckpt_path.exists() {
        if !opts.resume {
            return Err(refused(format!(
                "{} holds an interrupted migration: run again with --resume and the same \
                 arguments, or use an empty directory",
                out.display()
            )));
        }
        let c = Checkpoint::read(&ckpt_path)?;
        if c.params_hash != s.params_hash {
            return Err(refused(format!(
                "{}: the checkpoint was made with other arguments or other input files: \
                 refusing to resume (use the original command line, or an empty directory)",
                ckpt_path.display()
            )));
        }
        Some(c)
    } else if opts.resume && !opts.dry_run && finished_before(out) {
        // Killed after the last rename: the run is complete; say so again.
        let text = std::fs::read_to_string(out.join(OUT_REPORT)).map_err(io_err(out))?;
        let report: crate::report::Report = serde_json::from_str(&text)
            .map_err(|e| refused(format!("cannot read back {OUT_REPORT}: {e}")))?;
        return Ok(Finished {
            head: report.head,
            report_path: out.join(OUT_REPORT),
        });
    } else {
        check_out_dir(out, opts.dry_run)?;
        None
    };
    if let Some(c) = &resumed {
        if c.phase == "finalizing" {
            return finish_renames(out, c, &ckpt_path).map(|head| Finished {
                head,
                report_path: out.join(OUT_REPORT),
            });
        }
    }

    // The new keys.
    let (new_keys, keys_sha256) = if opts.dry_run {
        (Vec::new(), String::new())
    } else if let Some(c) = &resumed {
        let mut both = read_bytes(&ks_tmp)?;
        both.extend_from_slice(&read_bytes(&at_tmp)?);
        if sha256_hex(&both) != c.keys_sha256 {
            return Err(refused(format!(
                "{} or {} changed since the checkpoint: refusing to resume",
                ks_tmp.display(),
                at_tmp.display()
            )));
        }
        (
            reload_keys(&ks_tmp, &old_keys, opts.to, s.signer)?,
            c.keys_sha256.clone(),
        )
    } else {
        let (keys, ks_text, at_text) = make_keys(&s, &old_keys, opts.to)?;
        for (p, t) in [(&ks_tmp, &ks_text), (&at_tmp, &at_text)] {
            let mut f =
                outfile::create_new_nofollow(p, Access::Secret).map_err(CorpusError::from)?;
            f.write_all(t.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(io_err(p))?;
        }
        let sum = sha256_hex(format!("{ks_text}{at_text}").as_bytes());
        (keys, sum)
    };
    let ctx = Ctx {
        to: opts.to,
        new_takes_context: opts.to.kind() == AlgorithmKind::Mac
            || pqshift::capabilities(opts.to, Some(s.signer))?.context,
        old_verifiers: old_verifier_set(&s, &old_keys)?,
        old_keys,
        new_keys: new_key_set(new_keys, s.cross)?,
        dry_run: opts.dry_run,
        drop_old: opts.drop_old,
    };

    // State, fresh or from the checkpoint (re-hashing both prefixes).
    let mut st = match &resumed {
        Some(c) => {
            let (in_m, in_lines) = merkle_prefix(&s.corpus, c.input_offset)?;
            if in_lines != c.input_lines || hex::encode(in_m.root()) != c.input_merkle_root {
                return Err(refused(format!(
                    "{} changed since the checkpoint (its first {} lines hash differently): \
                     refusing to resume",
                    s.corpus.display(),
                    c.input_lines
                )));
            }
            let (out_m, out_lines) = if opts.dry_run {
                (MerkleBuilder::new(), 0)
            } else {
                merkle_prefix(&corpus_tmp, c.output_len)?
            };
            if out_lines != c.output_records || hex::encode(out_m.root()) != c.output_merkle_root {
                return Err(refused(format!(
                    "{} does not match the checkpoint: refusing to resume",
                    corpus_tmp.display()
                )));
            }
            State {
                input_offset: c.input_offset,
                input_lines: c.input_lines,
                input_merkle: in_m,
                output_len: c.output_len,
                output_merkle: out_m,
                failures_len: c.failures_len,
                counts: c.counts.clone(),
                algorithms: c.algorithms.clone(),
            }
        }
        None => State::default(),
    };
    let resumed_after_line = resumed.as_ref().map(|c| c.input_lines);
    let lines_at_start = st.input_lines;

    let mut outs = Outputs {
        corpus: if opts.dry_run {
            None
        } else {
            Some(open_at(&corpus_tmp, st.output_len, resumed.is_some())?)
        },
        failures: open_at(&failures_tmp, st.failures_len, resumed.is_some())?,
        corpus_path: corpus_tmp.clone(),
        failures_path: failures_tmp.clone(),
    };
    let write_ckpt = |st: &State, outs: &mut Outputs| -> Result<()> {
        if opts.dry_run {
            return Ok(());
        }
        outs.sync()?;
        st.checkpoint(&s.params_hash, &keys_sha256, "running", Vec::new())
            .write(&ckpt_path)
            .map_err(MigrateError::from)
    };
    if resumed.is_none() {
        write_ckpt(&st, &mut outs)?;
    }

    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| refused(format!("cannot start {jobs} worker threads: {e}")))?;

    let input_file = File::open(&s.corpus).map_err(io_err(&s.corpus))?;
    let total = input_file.metadata().map_err(io_err(&s.corpus))?.len();
    let mut input = BufReader::with_capacity(1 << 20, input_file);
    input
        .seek(SeekFrom::Start(st.input_offset))
        .map_err(io_err(&s.corpus))?;
    let (shard_i, shard_n) = opts.shard;
    let mut reader = ChunkReader {
        input,
        path: s.corpus.clone(),
        next_index: st.input_lines,
        offset: st.input_offset,
        shard: opts.shard,
        chunk: opts
            .chunk
            .min(usize::try_from(opts.checkpoint_every).unwrap_or(usize::MAX)),
    };
    // A pipeline of two chunks: while the workers process chunk k+1, one
    // of them writes chunk k and reads chunk k+2 (stealing work when done).
    let mut since_ckpt = 0u64;
    let mut pending: Option<(Chunk, Vec<Done>)> = None;
    let mut current = reader.read()?;
    loop {
        let cur = current;
        let (results, next) = pool.install(|| {
            rayon::join(
                || {
                    cur.lines
                        .par_iter()
                        .map(|raw| work(&ctx, raw))
                        .collect::<Vec<Done>>()
                },
                || -> Result<Option<Chunk>> {
                    if let Some((c, r)) = pending.take() {
                        since_ckpt += apply(&mut st, &mut outs, &c, r)?;
                        if since_ckpt >= opts.checkpoint_every {
                            write_ckpt(&st, &mut outs)?;
                            since_ckpt = 0;
                        }
                        if let Some(p) = progress {
                            p(st.input_offset, total);
                        }
                    }
                    if cur.at_end {
                        Ok(None)
                    } else {
                        reader.read().map(Some)
                    }
                },
            )
        });
        let next = next?;
        pending = Some((cur, results));
        match next {
            Some(n) => current = n,
            None => break,
        }
    }
    if let Some((c, r)) = pending.take() {
        apply(&mut st, &mut outs, &c, r)?;
        if let Some(p) = progress {
            p(st.input_offset, total);
        }
    }
    outs.sync()?;
    drop(outs);

    // The report head.
    let handled = st.input_lines.saturating_sub(lines_at_start);
    let elapsed = started.elapsed().as_secs_f64();
    let input_root = hex::encode(st.input_merkle.root());
    let manifest_matches = s
        .manifest
        .as_ref()
        .map(|m| m.records == st.input_merkle.count() && m.merkle_root == input_root);
    let mut findings = s.findings.clone();
    if manifest_matches == Some(false) {
        findings.push(format!(
            "the input corpus does not match its manifest (count or Merkle root): {} complete \
             lines with root {input_root}",
            st.input_merkle.count()
        ));
    }
    if st
        .algorithms
        .iter()
        .any(|a| canonical_algorithm(a).is_ok_and(|x| x.is_insecure()))
    {
        findings.push(
            "the old corpus used the INSECURE placeholder MAC: its 'signatures' were checked \
             with the old secret keys and prove nothing to third parties; the attestations' old \
             signatures are MAC tags"
                .into(),
        );
    }
    let output_records = st.output_merkle.count();
    let head = ReportHead {
        format: REPORT_FORMAT.into(),
        version: 1,
        input: InputInfo {
            corpus: s.corpus.display().to_string(),
            manifest: s.manifest_path.as_ref().map(|p| p.display().to_string()),
            keystore: s.keystore_path.display().to_string(),
            lines: st.input_lines,
            bytes: st.input_offset,
            merkle_root: input_root,
            manifest_matches,
            algorithms: st.algorithms.clone(),
        },
        migration: MigrationInfo {
            to: opts.to.as_str().into(),
            provider: s.signer.into(),
            cross_verify: s.cross.map(str::to_string),
            old_verify: opts.old_verify.as_str().into(),
            old_verifiers: s
                .old_plans
                .values()
                .map(|p| {
                    (
                        p.algorithm.as_str().to_string(),
                        OldVerifierInfo {
                            mode: p.mode().as_str().into(),
                            providers: p.provider_ids().iter().map(|s| s.to_string()).collect(),
                            note: p.note.clone(),
                        },
                    )
                })
                .collect(),
            key_source: if s.master.is_some() {
                "hkdf-sha256".into()
            } else {
                "os-random".into()
            },
            sign_mode: "deterministic".into(),
            drop_old: opts.drop_old,
            shard: format!("{shard_i}/{shard_n}"),
            dry_run: opts.dry_run,
        },
        not_migrated: st.counts.not_migrated(),
        counts: st.counts.clone(),
        output: (!opts.dry_run).then(|| OutputInfo {
            corpus: OUT_CORPUS.into(),
            manifest: OUT_MANIFEST.into(),
            keystore: OUT_KEYSTORE.into(),
            attestations: OUT_ATTESTATIONS.into(),
            records: output_records,
            merkle_root: hex::encode(st.output_merkle.root()),
        }),
        findings,
        timing: Timing {
            elapsed_seconds: elapsed,
            records_per_second: if elapsed > 0.0 {
                handled as f64 / elapsed
            } else {
                0.0
            },
            resumed_after_line,
            jobs,
        },
    };
    let report_path = out.join(OUT_REPORT);
    let report_tmp = tmp_path(&report_path);
    write_report(&report_tmp, &head, &failures_tmp)?;
    if opts.dry_run {
        std::fs::rename(&report_tmp, &report_path).map_err(io_err(&report_path))?;
        let _ = std::fs::remove_file(&failures_tmp);
        sync_dir(out)?;
        return Ok(Finished { head, report_path });
    }
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        version: FORMAT_VERSION,
        corpus: OUT_CORPUS.into(),
        keystore: OUT_KEYSTORE.into(),
        records: output_records,
        algorithms: if output_records == 0 {
            Vec::new()
        } else {
            vec![opts.to.as_str().to_string()]
        },
        merkle: MERKLE_SCHEME.into(),
        merkle_root: hex::encode(st.output_merkle.root()),
        insecure: opts.to.is_insecure(),
        generator: None,
    };
    let manifest_tmp = tmp_path(&out.join(OUT_MANIFEST));
    {
        let mut f = outfile::create_new_nofollow(&manifest_tmp, Access::Public)
            .map_err(CorpusError::from)?;
        f.write_all(to_json_text(&manifest)?.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(io_err(&manifest_tmp))?;
    }
    let mut finals = Vec::new();
    for name in [
        OUT_CORPUS,
        OUT_MANIFEST,
        OUT_KEYSTORE,
        OUT_ATTESTATIONS,
        OUT_REPORT,
    ] {
        finals.push((
            name.to_string(),
            fingerprint_file(&tmp_path(&out.join(name)))?,
        ));
    }
    st.checkpoint(&s.params_hash, &keys_sha256, "finalizing", finals)
        .write(&ckpt_path)?;
    let c = Checkpoint::read(&ckpt_path)?;
    finish_renames(out, &c, &ckpt_path)?;
    Ok(Finished { head, report_path })
}

/// What the finalizing checkpoint records of an output: the SHA-256 of the
/// small files; of the corpus (already checked line by line against the
/// Merkle root) only its length, so finishing a large run stays cheap.
fn fingerprint_file(path: &Path) -> Result<String> {
    if path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains(OUT_CORPUS))
    {
        let len = std::fs::metadata(path).map_err(io_err(path))?.len();
        return Ok(format!("len:{len}"));
    }
    file_sha256(path)
}

/// Renames the finished temporary outputs into place (checking each
/// against the hash the checkpoint recorded), then removes the checkpoint.
fn finish_renames(out: &Path, c: &Checkpoint, ckpt_path: &Path) -> Result<ReportHead> {
    for (name, sum) in &c.final_sha256 {
        let dest = out.join(name);
        let tmp = tmp_path(&dest);
        if let Ok(meta) = tmp.symlink_metadata() {
            if !meta.is_file() {
                return Err(refused(format!(
                    "{} is not a regular file: refusing to finish",
                    tmp.display()
                )));
            }
            if &fingerprint_file(&tmp)? != sum {
                return Err(refused(format!(
                    "{} does not match the checkpoint: refusing to finish",
                    tmp.display()
                )));
            }
            std::fs::rename(&tmp, &dest).map_err(io_err(&dest))?;
        } else if !dest.exists() || &fingerprint_file(&dest)? != sum {
            return Err(refused(format!(
                "{} is missing or differs from the checkpoint: refusing to finish",
                dest.display()
            )));
        }
    }
    sync_dir(out)?;
    let _ = std::fs::remove_file(out.join(FAILURES_TMP));
    std::fs::remove_file(ckpt_path).map_err(io_err(ckpt_path))?;
    sync_dir(out)?;
    let text = std::fs::read_to_string(out.join(OUT_REPORT)).map_err(io_err(out))?;
    let report: crate::report::Report = serde_json::from_str(&text)
        .map_err(|e| refused(format!("cannot read back {OUT_REPORT}: {e}")))?;
    Ok(report.head)
}

/// Writes `report.json` (pretty; failures one compact object per line) to `path`.
fn write_report(path: &Path, head: &ReportHead, failures: &Path) -> Result<()> {
    let text = serde_json::to_string_pretty(head)
        .map_err(|e| refused(format!("internal error: cannot serialize the report: {e}")))?;
    let Some(body) = text.strip_suffix("\n}") else {
        return Err(refused("internal error: unexpected report layout"));
    };
    let mut w = BufWriter::new(
        outfile::create_new_nofollow(path, Access::Public).map_err(CorpusError::from)?,
    );
    w.write_all(body.as_bytes())
        .and_then(|()| w.write_all(b",\n  \"failures\": ["))
        .map_err(io_err(path))?;
    let r = BufReader::new(File::open(failures).map_err(io_err(failures))?);
    let mut first = true;
    for line in r.lines() {
        let line = line.map_err(io_err(failures))?;
        let sep: &[u8] = if first { b"\n    " } else { b",\n    " };
        first = false;
        w.write_all(sep)
            .and_then(|()| w.write_all(line.as_bytes()))
            .map_err(io_err(path))?;
    }
    let end: &[u8] = if first { b"]\n}\n" } else { b"\n  ]\n}\n" };
    w.write_all(end).map_err(io_err(path))?;
    let f = w
        .into_inner()
        .map_err(|e| MigrateError::Corpus(CorpusError::io(path, e.into_error())))?;
    f.sync_all().map_err(io_err(path))
}

#[derive(Default)]
struct State {
    input_offset: u64,
    input_lines: u64,
    input_merkle: MerkleBuilder,
    output_len: u64,
    output_merkle: MerkleBuilder,
    failures_len: u64,
    counts: Counts,
    algorithms: BTreeSet<String>,
}

impl State {
    fn checkpoint(
        &self,
        params_hash: &str,
        keys_sha256: &str,
        phase: &str,
        final_sha256: Vec<(String, String)>,
    ) -> Checkpoint {
        Checkpoint {
            format: CHECKPOINT_FORMAT.into(),
            version: 1,
            params_hash: params_hash.into(),
            phase: phase.into(),
            input_offset: self.input_offset,
            input_lines: self.input_lines,
            input_merkle_root: hex::encode(self.input_merkle.root()),
            output_len: self.output_len,
            output_records: self.output_merkle.count(),
            output_merkle_root: hex::encode(self.output_merkle.root()),
            failures_len: self.failures_len,
            counts: self.counts.clone(),
            algorithms: self.algorithms.clone(),
            keys_sha256: keys_sha256.into(),
            final_sha256,
        }
    }
}
