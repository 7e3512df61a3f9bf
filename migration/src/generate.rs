//! A deterministic corpus generator: the same parameters give byte-identical
//! files, on any machine.
//!
//! All randomness comes from the seed through
//!
//! ```text
//! derive(label, len) = first len bytes of
//!     SHA-256("pqshift-corpus-v1" || 0x00 || u32be(len(seed)) || seed || label || 0x00 || u32be(i))
//!     for i = 0, 1, 2, ... concatenated
//! ```
//!
//! - key `j` (0-based): `SecretKey::from_seed(alg, derive("key/ALG/j", seed size))`,
//!   ID `PREFIX-key-JJ`;
//! - record `i` (0-based), ID `PREFIX-IIIIII`: `p = derive("record/i", 8)`;
//!   signed by key `i mod keys`; message length `u16be(p[1..3]) mod 301`
//!   (0..=300 bytes), except when `p[0] mod 64 = 63`: `1024 + u16be(p[1..3]) mod 15361`
//!   (1 KiB..16 KiB); message `derive("message/i", length)`;
//!   context empty for Ed25519 (pure Ed25519 takes none) and when
//!   `p[3] mod 3 = 0`, else `derive("context/i", p[4] mod 65)`;
//!   signature deterministic (the provider must offer it).
//!
//! Records are written one line at a time while the Merkle root is folded
//! in: nothing but the keys is held in memory.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use pqshift::merkle::MerkleBuilder;
use pqshift::{AlgorithmId, AlgorithmKind, SecretKey, SignMode};
use sha2::{Digest, Sha256};

use crate::corpus::{
    CorpusError, GeneratorInfo, KeyEntry, Keystore, Manifest, Record, Result, FORMAT_VERSION,
    KEYSTORE_FORMAT, MANIFEST_FORMAT, MERKLE_SCHEME,
};
use crate::outfile::{self, Access, AtomicFile, Overwrite};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// The signature algorithm (or the MAC).
    pub algorithm: AlgorithmId,
    /// Number of records.
    pub records: u64,
    /// Number of keys (at least 1).
    pub keys: u32,
    /// The seed every byte derives from.
    pub seed: Vec<u8>,
    /// Prefix of record IDs (`PREFIX-000000`) and key IDs (`PREFIX-key-00`).
    pub id_prefix: String,
    /// Provider that signs (default: the algorithm's preferred provider).
    pub provider: Option<String>,
}

impl Params {
    /// Parameters with the preferred provider.
    pub fn new(
        algorithm: AlgorithmId,
        records: u64,
        keys: u32,
        seed: Vec<u8>,
        id_prefix: impl Into<String>,
    ) -> Self {
        Params {
            algorithm,
            records,
            keys,
            seed,
            id_prefix: id_prefix.into(),
            provider: None,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Records written.
    pub records: u64,
    /// The Merkle root, hex.
    pub merkle_root: String,
    /// The manifest written.
    pub manifest: Manifest,
}

/// The file names that go with a corpus file `NAME.jsonl`:
/// (`NAME.manifest.json`, `NAME.keystore.json`).
pub fn companion_paths(corpus: &Path) -> Result<(PathBuf, PathBuf)> {
    let name = corpus
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| CorpusError::file(corpus, "the corpus path has no UTF-8 file name"))?;
    let stem = name
        .strip_suffix(".jsonl")
        .ok_or_else(|| CorpusError::file(corpus, "a corpus file name must end with \".jsonl\""))?;
    if stem.is_empty() || stem.starts_with('.') {
        return Err(CorpusError::file(
            corpus,
            "the corpus needs a name before \".jsonl\"",
        ));
    }
    let dir = corpus.parent().unwrap_or(Path::new(""));
    Ok((
        dir.join(format!("{stem}.manifest.json")),
        dir.join(format!("{stem}.keystore.json")),
    ))
}

/// The generator's byte stream for `label` (see the module docs).
pub fn derive(seed: &[u8], label: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut i: u32 = 0;
    let seed_len = u32::try_from(seed.len()).unwrap_or(u32::MAX);
    while out.len() < len {
        let mut h = Sha256::new();
        h.update(b"pqshift-corpus-v1\0");
        h.update(seed_len.to_be_bytes());
        h.update(seed);
        h.update(label.as_bytes());
        h.update([0u8]);
        h.update(i.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        i = i.wrapping_add(1);
    }
    out.truncate(len);
    out
}

fn check(params: &Params) -> Result<()> {
    let bad = |m: String| CorpusError::Crypto(pqshift::Error::invalid(m));
    if params.algorithm.kind() == AlgorithmKind::Kem {
        return Err(bad(format!(
            "{} is a KEM: a corpus holds signatures",
            params.algorithm
        )));
    }
    if params.keys == 0 {
        return Err(bad("a corpus needs at least one key".into()));
    }
    if params.seed.is_empty() {
        return Err(bad("the seed must not be empty".into()));
    }
    if params.id_prefix.is_empty() || params.id_prefix.chars().any(char::is_control) {
        return Err(bad(
            "the ID prefix must be non-empty, without control characters".into(),
        ));
    }
    let caps = pqshift::signing_registration(
        params.algorithm,
        params.provider.as_deref(),
        SignMode::Deterministic,
    )?
    .capabilities();
    if !caps.deterministic_sign || !caps.seeded_keygen {
        return Err(bad(format!(
            "provider {} cannot derive {} keys from seeds and sign deterministically: \
             a generated corpus must be reproducible",
            params.provider.as_deref().unwrap_or("(preferred)"),
            params.algorithm
        )));
    }
    Ok(())
}

/// The corpus keys, in order, with their IDs.
pub fn keys(params: &Params) -> Result<Vec<(String, SecretKey)>> {
    check(params)?;
    let alg = params.algorithm;
    // The provider that signs deterministically (without --provider: the
    // preferred one that can), so the manifest names who signed.
    let signer =
        pqshift::signing_registration(alg, params.provider.as_deref(), SignMode::Deterministic)?
            .provider()
            .id;
    (0..params.keys)
        .map(|j| {
            let seed = derive(&params.seed, &format!("key/{alg}/{j}"), alg.sizes().seed);
            let key = SecretKey::from_seed(alg, &seed, Some(signer))?;
            Ok((format!("{}-key-{j:02}", params.id_prefix), key))
        })
        .collect()
}

/// Record `i`, signed by the matching key of `keys`.
pub fn record(params: &Params, keys: &[(String, SecretKey)], i: u64) -> Result<Record> {
    let alg = params.algorithm;
    let p = derive(&params.seed, &format!("record/{i}"), 8);
    let n_keys = u64::try_from(keys.len()).unwrap_or(u64::MAX);
    let (key_id, key) = usize::try_from(i % n_keys.max(1))
        .ok()
        .and_then(|j| keys.get(j))
        .ok_or_else(|| CorpusError::Crypto(pqshift::Error::Internal("no keys".into())))?;
    let r = usize::from(u16::from_be_bytes([p[1], p[2]]));
    let msg_len = if p[0] % 64 == 63 {
        1024 + r % 15361
    } else {
        r % 301
    };
    let message = derive(&params.seed, &format!("message/{i}"), msg_len);
    let ctx_len = if alg == AlgorithmId::Ed25519 || p[3].is_multiple_of(3) {
        0
    } else {
        usize::from(p[4] % 65)
    };
    let context = derive(&params.seed, &format!("context/{i}"), ctx_len);
    let sig = key.sign_with(&message, &context, SignMode::Deterministic)?;
    let public_key = if key.is_mac() {
        None
    } else {
        Some(key.public_key()?.to_tagged()?.to_text().to_string())
    };
    Ok(Record {
        id: format!("{}-{i:06}", params.id_prefix),
        algorithm: alg.as_str().to_string(),
        key_id: key_id.clone(),
        public_key,
        message: hex::encode(&message),
        context: hex::encode(&context),
        signature: sig.to_text()?,
        previous: None,
    })
}

/// The keystore of `keys`.
pub fn keystore(keys: &[(String, SecretKey)]) -> Result<Keystore> {
    let entries = keys
        .iter()
        .map(|(id, k)| {
            Ok(KeyEntry {
                key_id: id.clone(),
                algorithm: k.algorithm().as_str().to_string(),
                public_key: if k.is_mac() {
                    None
                } else {
                    Some(k.public_key()?.to_tagged()?.to_text().to_string())
                },
                secret_key: k.to_tagged()?.to_text().to_string(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Keystore {
        format: KEYSTORE_FORMAT.into(),
        version: FORMAT_VERSION,
        note: "TEST KEYS: the secret keys are in the clear. Never use them to protect anything."
            .into(),
        keys: entries,
    })
}

/// JSON text of a manifest or keystore: pretty, with a final newline.
pub fn to_json_text<T: serde::Serialize>(value: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(value).map_err(|e| {
        CorpusError::Crypto(pqshift::Error::Internal(format!("cannot serialize: {e}")))
    })?;
    s.push('\n');
    Ok(s)
}

fn write_err(what: &str) -> impl Fn(std::io::Error) -> CorpusError + '_ {
    move |e| CorpusError::io(Path::new(what), e)
}

/// Generates into three writers (corpus, manifest, keystore); the manifest
/// and keystore name the files `corpus_name` and `keystore_name`.
pub fn generate_into(
    params: &Params,
    corpus_name: &str,
    keystore_name: &str,
    corpus: &mut dyn Write,
    manifest: &mut dyn Write,
    keystore_out: &mut dyn Write,
) -> Result<Summary> {
    let keys = keys(params)?;
    let provider = keys
        .first()
        .map(|(_, k)| k.provider().id.to_string())
        .unwrap_or_default();
    let mut merkle = MerkleBuilder::new();
    for i in 0..params.records {
        let line = record(params, &keys, i)?.to_line()?;
        merkle.push(line.as_bytes());
        corpus
            .write_all(line.as_bytes())
            .and_then(|()| corpus.write_all(b"\n"))
            .map_err(write_err(corpus_name))?;
    }
    corpus.flush().map_err(write_err(corpus_name))?;
    let m = Manifest {
        format: MANIFEST_FORMAT.into(),
        version: FORMAT_VERSION,
        corpus: corpus_name.into(),
        keystore: keystore_name.into(),
        records: params.records,
        algorithms: if params.records == 0 {
            Vec::new()
        } else {
            vec![params.algorithm.as_str().to_string()]
        },
        merkle: MERKLE_SCHEME.into(),
        merkle_root: hex::encode(merkle.root()),
        insecure: params.algorithm.is_insecure(),
        generator: Some(GeneratorInfo {
            seed: hex::encode(&params.seed),
            keys: params.keys,
            id_prefix: params.id_prefix.clone(),
            provider,
        }),
    };
    manifest
        .write_all(to_json_text(&m)?.as_bytes())
        .and_then(|()| manifest.flush())
        .map_err(write_err("manifest"))?;
    keystore_out
        .write_all(to_json_text(&keystore(&keys)?)?.as_bytes())
        .and_then(|()| keystore_out.flush())
        .map_err(write_err(keystore_name))?;
    Ok(Summary {
        records: params.records,
        merkle_root: m.merkle_root.clone(),
        manifest: m,
    })
}

/// Generates `corpus` (`NAME.jsonl`) with `NAME.manifest.json` and
/// `NAME.keystore.json` beside it, replacing regular files already there
/// (see [`generate_files_with`]).
pub fn generate_files(params: &Params, corpus: &Path) -> Result<Summary> {
    generate_files_with(params, corpus, Overwrite::Force)
}

/// Generates `corpus` (`NAME.jsonl`) with `NAME.manifest.json` and
/// `NAME.keystore.json` beside it, creating the directory when missing.
/// Each file is written to a temporary file created exclusively beside
/// it and renamed into place ([`crate::outfile`]), so readers never see
/// half a file; the keystore (secret seeds) is mode 0600. `overwrite`
/// says whether existing regular files are replaced.
pub fn generate_files_with(
    params: &Params,
    corpus: &Path,
    overwrite: Overwrite,
) -> Result<Summary> {
    let (manifest_path, keystore_path) = companion_paths(corpus)?;
    let name = |p: &Path| {
        p.file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
            .unwrap_or_default()
    };
    if let Some(dir) = corpus.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| CorpusError::io(dir, e))?;
    }
    let mut c = AtomicFile::create(corpus, overwrite, Access::Public)?;
    let mut m = AtomicFile::create(&manifest_path, overwrite, Access::Public)?;
    let mut k = AtomicFile::create(&keystore_path, overwrite, Access::Secret)?;
    let summary = {
        let mut cw = BufWriter::new(&mut c);
        let mut mw = BufWriter::new(&mut m);
        let mut kw = BufWriter::new(&mut k);
        let summary = generate_into(
            params,
            &name(corpus),
            &name(&keystore_path),
            &mut cw,
            &mut mw,
            &mut kw,
        )?;
        for (w, p) in [
            (cw, corpus),
            (mw, manifest_path.as_path()),
            (kw, keystore_path.as_path()),
        ] {
            w.into_inner()
                .map_err(|e| CorpusError::io(p, e.into_error()))?;
        }
        summary
    };
    outfile::commit_all(vec![c, m, k])?;
    Ok(summary)
}
