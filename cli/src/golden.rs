//! `pqshift golden generate|check`: the shared golden vectors and corpora
//! under `golden/` (schema: `golden/README.md`).
//!
//! Everything is deterministic: every byte of input derives from
//! `SHA-256("pqshift-golden-v1" || 0x00 || label || 0x00 || u32be(i))` for
//! a case label. The reference providers (liboqs for ML-DSA and ML-KEM,
//! dalek, placeholder) produce the outputs, and every case is checked by an
//! independent implementation before anything is written (see
//! [`INDEPENDENT_CHECKS`]): any disagreement aborts generation.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use hmac::{Hmac, Mac};
use pqshift::merkle::{leaf_hash, merkle_root, node_hash};
use pqshift::{
    contract, AlgorithmId, AlgorithmKind, DecapsulationKey, EncapsulationKey, Error, PublicKey,
    SecretKey, SignMode, Signature, Tagged,
};
use pqshift_migration::generate::{self as corpus_gen, Params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sha3::digest::{ExtendableOutput, Update, XofReader};

use crate::commands::Outcome;
use crate::io::{note, CliError, CliResult};

/// `pqshift golden`.
#[derive(Debug, Args)]
pub struct GoldenArgs {
    #[command(subcommand)]
    pub command: GoldenCommand,
}

/// `pqshift golden generate|check`.
#[derive(Debug, Subcommand)]
pub enum GoldenCommand {
    /// Regenerate every golden file (vectors and corpora), checking each case
    /// with an independent implementation first; any disagreement is an error.
    Generate(GoldenDir),
    /// Regenerate in memory and compare: exit 2, naming the first differing
    /// file, unless every file is byte-identical.
    Check(GoldenDir),
}

/// The golden directory.
#[derive(Debug, Args)]
pub struct GoldenDir {
    /// The golden directory (holds `vectors/` and `corpus/`).
    #[arg(long, value_name = "DIR", default_value = "golden")]
    pub dir: PathBuf,
}

/// Format name in every vector file.
const FORMAT: &str = "pqshift-golden-vectors";
/// Schema version of the vector files.
const VERSION: u32 = 1;
/// Cases per operation (at least).
const CASES: usize = 50;

/// What checks each algorithm's cases before they are written.
pub const INDEPENDENT_CHECKS: &[(&str, &str)] = &[
    ("ed25519", "none: no second Ed25519 provider is linked (RFC 8032 and Wycheproof vectors cover dalek elsewhere)"),
    ("ml-dsa", "rustcrypto: seeded keygen and deterministic signatures byte-identical, verify verdicts equal; pqclean: verify verdicts equal"),
    ("ml-kem", "rustcrypto: seeded keygen (ek and expanded dk) and derandomized encapsulation byte-identical, decapsulation equal; pqclean: decapsulation with the expanded key equal; implicit-rejection keys recomputed as SHAKE256(z || c, 32) with the sha3 crate"),
    ("insecure-test-hmac-sha256", "every tag recomputed with the RustCrypto hmac crate; verify verdicts recomputed"),
    ("contract", "seed_from_u64, the key fingerprint and the tagged binary layout recomputed from their documented definitions with sha2"),
];

/// The golden corpora: (file stem, algorithm, records, keys, seed label).
pub const CORPORA: &[(&str, AlgorithmId, u64, u32)] = &[
    ("ed25519-v1", AlgorithmId::Ed25519, 1000, 10),
    (
        "placeholder-v1",
        AlgorithmId::InsecureTestHmacSha256,
        200,
        4,
    ),
];

/// The seed of a golden corpus: SHA-256 of `"pqshift-golden-corpus/" || stem`.
pub fn corpus_seed(stem: &str) -> Vec<u8> {
    Sha256::digest(format!("pqshift-golden-corpus/{stem}").as_bytes()).to_vec()
}

fn corpus_params(stem: &str, alg: AlgorithmId, records: u64, keys: u32) -> Params {
    Params::new(alg, records, keys, corpus_seed(stem), stem)
}

type Res<T> = Result<T, String>;

fn rand(label: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut i: u32 = 0;
    while out.len() < len {
        let mut h = Sha256::new();
        sha2::Digest::update(&mut h, b"pqshift-golden-v1\0");
        sha2::Digest::update(&mut h, label.as_bytes());
        sha2::Digest::update(&mut h, [0u8]);
        sha2::Digest::update(&mut h, i.to_be_bytes());
        out.extend_from_slice(&h.finalize());
        i = i.wrapping_add(1);
    }
    out.truncate(len);
    out
}

fn rand_u16(label: &str) -> usize {
    let b = rand(label, 2);
    usize::from(u16::from_be_bytes([b[0], b[1]]))
}

fn e(msg: impl std::fmt::Display) -> String {
    msg.to_string()
}

fn fail(alg: AlgorithmId, id: &str, what: impl std::fmt::Display) -> String {
    format!("{alg} case {id}: {what}")
}

/// Message length of case `i`: fixed edge sizes first, then 0..=300, and
/// two larger ones at the end.
fn message_len(label: &str, i: usize) -> usize {
    const FIXED: [usize; 8] = [0, 1, 31, 32, 33, 64, 255, 300];
    match i {
        _ if i < FIXED.len() => FIXED[i],
        48 => 1024,
        49 => 4096,
        _ => rand_u16(&format!("{label}/len")) % 301,
    }
}

/// Context of case `i` for algorithms that take one: empty for every
/// fourth case, 255 bytes once, else 1..=32 bytes.
fn context_for(alg: AlgorithmId, label: &str, i: usize) -> Vec<u8> {
    if alg == AlgorithmId::Ed25519 || i.is_multiple_of(4) {
        return Vec::new();
    }
    if i == 1 {
        return rand(&format!("{label}/ctx"), 255);
    }
    rand(
        &format!("{label}/ctx"),
        1 + rand_u16(&format!("{label}/ctxlen")) % 32,
    )
}

fn verdict(r: pqshift::Result<()>) -> &'static str {
    match r {
        Ok(()) => "valid",
        Err(Error::VerificationFailed) => "invalid",
        Err(_) => "error",
    }
}

fn flip_bit(data: &[u8], label: &str) -> Vec<u8> {
    let mut out = data.to_vec();
    if out.is_empty() {
        out.push(0x01);
        return out;
    }
    let bit = rand_u16(label) % (out.len() * 8);
    out[bit / 8] ^= 1 << (bit % 8);
    out
}

// ---------------------------------------------------------------- schema

#[derive(Serialize)]
struct Header {
    format: &'static str,
    version: u32,
    algorithm: &'static str,
    kind: &'static str,
    insecure: bool,
    reference_provider: &'static str,
    independent_checks: &'static str,
}

#[derive(Serialize)]
struct SigFile {
    #[serde(flatten)]
    header: Header,
    keygen: Vec<KeygenCase>,
    sign: Vec<SignCase>,
    verify: Vec<VerifyCase>,
    contract: Vec<ContractCase>,
    contract_verify: Vec<ContractVerifyCase>,
}

#[derive(Serialize)]
struct KeygenCase {
    id: String,
    seed: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_key: Option<String>,
    fingerprint: String,
}

#[derive(Serialize)]
struct SignCase {
    id: String,
    seed: String,
    message: String,
    context: String,
    signature: String,
}

#[derive(Serialize)]
struct VerifyCase {
    id: String,
    mutation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    message: String,
    context: String,
    signature: String,
    result: &'static str,
}

#[derive(Serialize)]
struct ContractCase {
    id: String,
    n: u64,
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_key: Option<String>,
    payload: String,
    signature: String,
}

#[derive(Serialize)]
struct ContractVerifyCase {
    id: String,
    mutation: &'static str,
    key: String,
    payload: String,
    signature: String,
    result: &'static str,
}

#[derive(Serialize)]
struct KemFile {
    #[serde(flatten)]
    header: Header,
    keygen: Vec<KemKeygenCase>,
    encaps: Vec<EncapsCase>,
    decaps: Vec<DecapsCase>,
}

#[derive(Serialize)]
struct KemKeygenCase {
    id: String,
    seed: String,
    encapsulation_key: String,
    decapsulation_key: String,
}

#[derive(Serialize)]
struct EncapsCase {
    id: String,
    encapsulation_key: String,
    m: String,
    ciphertext: String,
    shared_secret: String,
}

#[derive(Serialize)]
struct DecapsCase {
    id: String,
    mutation: &'static str,
    seed: String,
    ciphertext: String,
    shared_secret: String,
}

#[derive(Serialize)]
struct MerkleFile {
    format: &'static str,
    version: u32,
    algorithm: &'static str,
    definition: &'static str,
    cases: Vec<MerkleCase>,
}

#[derive(Serialize)]
struct MerkleCase {
    id: String,
    count: usize,
    leaves: Vec<String>,
    root: String,
}

fn json<T: Serialize>(v: &T) -> Res<Vec<u8>> {
    let mut s = serde_json::to_string_pretty(v).map_err(e)?;
    s.push('\n');
    Ok(s.into_bytes())
}

// ---------------------------------------------------------------- independent checks

fn indep_hmac_tag(key: &[u8], message: &[u8], context: &[u8]) -> Res<Vec<u8>> {
    let ctx_len = u8::try_from(context.len()).map_err(e)?;
    let mut mac = <Hmac<Sha256> as hmac::digest::KeyInit>::new_from_slice(key).map_err(e)?;
    Mac::update(&mut mac, &[0x00, ctx_len]);
    Mac::update(&mut mac, context);
    Mac::update(&mut mac, message);
    Ok(mac.finalize().into_bytes().to_vec())
}

fn indep_hmac_verdict(key: &[u8], message: &[u8], context: &[u8], tag: &[u8]) -> &'static str {
    if tag.len() != 32 || context.len() > 255 {
        return "error";
    }
    match indep_hmac_tag(key, message, context) {
        Ok(t) if t == tag => "valid",
        Ok(_) => "invalid",
        Err(_) => "error",
    }
}

/// `seed_from_u64` from its documented definition.
fn indep_seed_from_u64(alg: AlgorithmId, n: u64) -> Vec<u8> {
    let want = alg.sizes().seed;
    let mut out = Vec::new();
    let mut i = 0u8;
    while out.len() < want {
        let mut data = b"pqshift-int-seed-v1\0".to_vec();
        data.extend_from_slice(alg.as_str().as_bytes());
        data.push(0);
        data.extend_from_slice(&n.to_be_bytes());
        data.push(i);
        out.extend_from_slice(&Sha256::digest(&data));
        i = i.wrapping_add(1);
    }
    out.truncate(want);
    out
}

/// The key fingerprint from its documented definition.
fn indep_fingerprint(alg: AlgorithmId, public_material: &[u8]) -> Vec<u8> {
    let mut data = b"pqshift-key-fingerprint-v1\0".to_vec();
    data.extend_from_slice(alg.as_str().as_bytes());
    data.push(0);
    data.extend_from_slice(public_material);
    Sha256::digest(&data).to_vec()
}

/// The tagged binary layout from its documented definition.
fn indep_tagged(kind: u8, alg: AlgorithmId, fp: Option<&[u8]>, payload: &[u8]) -> Vec<u8> {
    let mut out = b"PQSH".to_vec();
    out.push(1);
    out.push(kind);
    out.push(alg.as_str().len() as u8);
    out.extend_from_slice(alg.as_str().as_bytes());
    if let Some(fp) = fp {
        out.extend_from_slice(fp);
    }
    out.extend_from_slice(payload);
    out
}

/// FIPS 203 implicit rejection: K-bar = J(z || c) = SHAKE256(z || c, 32).
fn indep_rejection_key(z: &[u8], ct: &[u8]) -> Vec<u8> {
    let mut h = sha3::Shake256::default();
    h.update(z);
    h.update(ct);
    let mut out = vec![0u8; 32];
    XofReader::read(&mut h.finalize_xof(), &mut out);
    out
}

// ---------------------------------------------------------------- signatures and MAC

fn other_algorithm(alg: AlgorithmId) -> AlgorithmId {
    match alg {
        AlgorithmId::Ed25519 => AlgorithmId::MlDsa44,
        AlgorithmId::MlDsa44 => AlgorithmId::MlDsa65,
        AlgorithmId::MlDsa65 => AlgorithmId::MlDsa87,
        AlgorithmId::MlDsa87 => AlgorithmId::Ed25519,
        _ => AlgorithmId::Ed25519,
    }
}

/// A deterministic signature of `alg` from a fixed key, through its reference provider.
fn foreign_signature(alg: AlgorithmId, message: &[u8]) -> Res<Signature> {
    let seed = rand(&format!("{alg}/foreign-key"), alg.sizes().seed);
    let key = SecretKey::from_seed(alg, &seed, None).map_err(e)?;
    key.sign_with(message, b"", SignMode::Deterministic)
        .map_err(e)
}

fn reference_provider(alg: AlgorithmId) -> &'static str {
    match alg {
        AlgorithmId::Ed25519 => "dalek",
        AlgorithmId::InsecureTestHmacSha256 => "placeholder",
        _ => "liboqs",
    }
}

fn is_ml_dsa(alg: AlgorithmId) -> bool {
    matches!(
        alg,
        AlgorithmId::MlDsa44 | AlgorithmId::MlDsa65 | AlgorithmId::MlDsa87
    )
}

/// Verdicts of every linked verifier of `alg` other than the reference.
fn second_verdicts(
    alg: AlgorithmId,
    public_key: &[u8],
    message: &[u8],
    context: &[u8],
    sig: &[u8],
) -> Res<Vec<(&'static str, &'static str)>> {
    let mut out = Vec::new();
    if is_ml_dsa(alg) {
        for p in ["rustcrypto", "pqclean"] {
            let pk = PublicKey::from_raw(alg, public_key, Some(p)).map_err(e)?;
            out.push((p, verdict(pk.verify_raw(message, context, sig))));
        }
    }
    Ok(out)
}

struct SigGen {
    alg: AlgorithmId,
    provider: &'static str,
}

impl SigGen {
    fn key(&self, seed: &[u8]) -> Res<SecretKey> {
        SecretKey::from_seed(self.alg, seed, Some(self.provider)).map_err(e)
    }

    fn is_mac(&self) -> bool {
        self.alg.kind() == AlgorithmKind::Mac
    }

    fn keygen(&self) -> Res<Vec<KeygenCase>> {
        let alg = self.alg;
        (0..CASES)
            .map(|i| {
                let id = format!("keygen-{i:03}");
                let seed = rand(&format!("{alg}/{id}/seed"), alg.sizes().seed);
                let key = self.key(&seed)?;
                let public = if self.is_mac() {
                    None
                } else {
                    Some(key.public_key().map_err(e)?.as_raw().to_vec())
                };
                if is_ml_dsa(alg) {
                    let second = SecretKey::from_seed(alg, &seed, Some("rustcrypto")).map_err(e)?;
                    let pk2 = second.public_key().map_err(e)?;
                    if Some(pk2.as_raw()) != public.as_deref() {
                        return Err(fail(alg, &id, "rustcrypto derives another public key"));
                    }
                }
                let fp_material = public.clone().unwrap_or_else(|| seed.clone());
                if indep_fingerprint(alg, &fp_material) != key.fingerprint() {
                    return Err(fail(alg, &id, "fingerprint differs from its definition"));
                }
                Ok(KeygenCase {
                    id,
                    seed: hex::encode(&seed),
                    public_key: public.map(hex::encode),
                    fingerprint: hex::encode(key.fingerprint()),
                })
            })
            .collect()
    }

    /// Signs and checks the signature independently; returns the raw signature.
    fn sign_checked(&self, id: &str, seed: &[u8], message: &[u8], context: &[u8]) -> Res<Vec<u8>> {
        let alg = self.alg;
        let key = self.key(seed)?;
        let sig = key
            .sign_with(message, context, SignMode::Deterministic)
            .map_err(e)?
            .as_raw()
            .to_vec();
        if is_ml_dsa(alg) {
            let second = SecretKey::from_seed(alg, seed, Some("rustcrypto")).map_err(e)?;
            let sig2 = second
                .sign_with(message, context, SignMode::Deterministic)
                .map_err(e)?;
            if sig2.as_raw() != sig.as_slice() {
                return Err(fail(
                    alg,
                    id,
                    "rustcrypto's deterministic signature differs",
                ));
            }
        }
        if self.is_mac() && indep_hmac_tag(seed, message, context)? != sig {
            return Err(fail(alg, id, "the hmac crate computes another tag"));
        }
        Ok(sig)
    }

    fn sign(&self) -> Res<Vec<SignCase>> {
        let alg = self.alg;
        (0..CASES)
            .map(|i| {
                let id = format!("sign-{i:03}");
                let label = format!("{alg}/{id}");
                let seed = rand(&format!("{label}/seed"), alg.sizes().seed);
                let message = rand(&format!("{label}/msg"), message_len(&label, i));
                let context = context_for(alg, &label, i);
                let sig = self.sign_checked(&id, &seed, &message, &context)?;
                Ok(SignCase {
                    id,
                    seed: hex::encode(&seed),
                    message: hex::encode(&message),
                    context: hex::encode(&context),
                    signature: hex::encode(&sig),
                })
            })
            .collect()
    }

    /// One verify case: computes the verdict with the reference, checks it
    /// against the expectation and every independent verifier.
    #[allow(clippy::too_many_arguments)]
    fn verify_case(
        &self,
        id: String,
        mutation: &'static str,
        seed: &[u8],
        message: &[u8],
        context: &[u8],
        sig: &[u8],
        expected: &'static str,
    ) -> Res<VerifyCase> {
        let alg = self.alg;
        let key = self.key(seed)?;
        let (public_key, key_field, got) = if self.is_mac() {
            let got = match Signature::from_raw(alg, sig) {
                Ok(s) => verdict(key.verify(message, context, &s)),
                Err(_) => "error",
            };
            let indep = indep_hmac_verdict(seed, message, context, sig);
            if indep != got {
                return Err(fail(
                    alg,
                    &id,
                    format!("placeholder says {got}, hmac {indep}"),
                ));
            }
            (None, Some(hex::encode(seed)), got)
        } else {
            let pk = key.public_key().map_err(e)?;
            let got = verdict(pk.verify_raw(message, context, sig));
            for (p, v) in second_verdicts(alg, pk.as_raw(), message, context, sig)? {
                if v != got {
                    return Err(fail(
                        alg,
                        &id,
                        format!("{} says {got}, {p} says {v}", self.provider),
                    ));
                }
            }
            (Some(hex::encode(pk.as_raw())), None, got)
        };
        if got != expected {
            return Err(fail(
                alg,
                &id,
                format!(
                    "{mutation}: expected {expected}, {} says {got}",
                    self.provider
                ),
            ));
        }
        Ok(VerifyCase {
            id,
            mutation,
            public_key,
            key: key_field,
            message: hex::encode(message),
            context: hex::encode(context),
            signature: hex::encode(sig),
            result: got,
        })
    }

    fn verify(&self) -> Res<Vec<VerifyCase>> {
        let alg = self.alg;
        const MUTATIONS: [&str; 10] = [
            "none",
            "flipped-bit",
            "modified-message",
            "wrong-key",
            "wrong-context",
            "truncated",
            "extended",
            "empty-signature",
            "other-algorithm",
            "none",
        ];
        let mut out = Vec::new();
        for i in 0..62 {
            let id = format!("verify-{i:03}");
            let label = format!("{alg}/{id}");
            let mutation = MUTATIONS[i % MUTATIONS.len()];
            let seed = rand(&format!("{label}/seed"), alg.sizes().seed);
            let message = rand(&format!("{label}/msg"), message_len(&label, i % 48));
            let context = context_for(alg, &label, i);
            let sig = self.sign_checked(&id, &seed, &message, &context)?;
            let (mut vseed, mut vmsg, mut vctx, mut vsig) =
                (seed.clone(), message.clone(), context.clone(), sig.clone());
            let expected = match mutation {
                "none" => "valid",
                "flipped-bit" => {
                    vsig = flip_bit(&sig, &format!("{label}/bit"));
                    "invalid"
                }
                "modified-message" => {
                    vmsg = flip_bit(&message, &format!("{label}/bit"));
                    "invalid"
                }
                "wrong-key" => {
                    vseed = rand(&format!("{label}/other-seed"), alg.sizes().seed);
                    "invalid"
                }
                "wrong-context" => {
                    if alg == AlgorithmId::Ed25519 {
                        // Pure Ed25519 takes no context: a non-empty one is malformed input.
                        vctx = b"ctx".to_vec();
                        "error"
                    } else {
                        vctx = if context.is_empty() {
                            b"ctx".to_vec()
                        } else {
                            flip_bit(&context, &format!("{label}/ctxbit"))
                        };
                        "invalid"
                    }
                }
                "truncated" => {
                    vsig.truncate(sig.len() - 1 - rand_u16(&format!("{label}/cut")) % 16);
                    "error"
                }
                "extended" => {
                    vsig.push(0);
                    "error"
                }
                "empty-signature" => {
                    vsig.clear();
                    "error"
                }
                _ => {
                    vsig = foreign_signature(other_algorithm(alg), &message)?
                        .as_raw()
                        .to_vec();
                    "error"
                }
            };
            out.push(self.verify_case(id, mutation, &vseed, &vmsg, &vctx, &vsig, expected)?);
        }
        Ok(out)
    }

    fn contract(&self) -> Res<(Vec<ContractCase>, Vec<ContractVerifyCase>)> {
        let alg = self.alg;
        let mut ns: Vec<u64> = (0..45).collect();
        ns.extend([1000, 65_535, 1 << 32, (1 << 53) - 1, u64::MAX]);
        let mut cases = Vec::new();
        for (i, n) in ns.into_iter().enumerate() {
            let id = format!("contract-{i:03}");
            let key = contract::keygen(alg, n).map_err(e)?;
            // The seed, fingerprint and layout from their definitions.
            let seed = indep_seed_from_u64(alg, n);
            let fp_material = if self.is_mac() {
                seed.clone()
            } else {
                self.key(&seed)?.public_key().map_err(e)?.as_raw().to_vec()
            };
            let fp = indep_fingerprint(alg, &fp_material);
            if key != indep_tagged(2, alg, Some(&fp), &seed) {
                return Err(fail(alg, &id, "keygen differs from the documented layout"));
            }
            let payload = rand(
                &format!("{alg}/{id}/payload"),
                rand_u16(&format!("{alg}/{id}/len")) % 120,
            );
            let sig = contract::sign(&key, &payload).map_err(e)?;
            let raw = self.sign_checked(&id, &seed, &payload, b"")?;
            if sig != indep_tagged(3, alg, None, &raw) {
                return Err(fail(alg, &id, "sign differs from the documented layout"));
            }
            let public_key = if self.is_mac() {
                None
            } else {
                let p = contract::public_key(&key).map_err(e)?;
                if p != indep_tagged(1, alg, Some(&fp), &fp_material) {
                    return Err(fail(
                        alg,
                        &id,
                        "public key differs from the documented layout",
                    ));
                }
                if !contract::verify(&p, &payload, &sig).map_err(e)? {
                    return Err(fail(alg, &id, "does not verify with the public key"));
                }
                Some(hex::encode(p))
            };
            if !contract::verify(&key, &payload, &sig).map_err(e)? {
                return Err(fail(alg, &id, "does not verify with the secret key"));
            }
            cases.push(ContractCase {
                id,
                n,
                key: hex::encode(&key),
                public_key,
                payload: hex::encode(&payload),
                signature: hex::encode(&sig),
            });
        }

        const MUTATIONS: [&str; 10] = [
            "none",
            "public-key",
            "text-form",
            "flipped-bit",
            "modified-payload",
            "wrong-key",
            "truncated",
            "other-algorithm",
            "not-tagged",
            "key-as-signature",
        ];
        let mut verify = Vec::new();
        for i in 0..30 {
            let mutation = MUTATIONS[i % MUTATIONS.len()];
            let id = format!("contract-verify-{i:03}");
            let base = &cases[i % cases.len()];
            let other = &cases[(i + 1) % cases.len()];
            let mut key = hex::decode(&base.key).map_err(e)?;
            let mut payload = hex::decode(&base.payload).map_err(e)?;
            let mut sig = hex::decode(&base.signature).map_err(e)?;
            let expected = match mutation {
                "none" => "valid",
                "public-key" => match &base.public_key {
                    Some(p) => {
                        key = hex::decode(p).map_err(e)?;
                        "valid"
                    }
                    None => {
                        // A MAC has no public key: its tagged public-key form does not exist.
                        key = indep_tagged(1, alg, Some(&[0u8; 32]), &[0u8; 32]);
                        "error"
                    }
                },
                "text-form" => {
                    sig = Tagged::decode(&sig)
                        .map_err(e)?
                        .to_text()
                        .as_bytes()
                        .to_vec();
                    "valid"
                }
                "flipped-bit" => {
                    let header = sig.len() - alg.sizes().signature;
                    let body = flip_bit(&sig[header..], &format!("{alg}/{id}/bit"));
                    sig.truncate(header);
                    sig.extend_from_slice(&body);
                    "invalid"
                }
                "modified-payload" => {
                    payload = flip_bit(&payload, &format!("{alg}/{id}/bit"));
                    "invalid"
                }
                "wrong-key" => {
                    key = hex::decode(&other.key).map_err(e)?;
                    "invalid"
                }
                "truncated" => {
                    sig.pop();
                    "error"
                }
                "other-algorithm" => {
                    sig = foreign_signature(other_algorithm(alg), &payload)?
                        .to_bytes()
                        .map_err(e)?;
                    "error"
                }
                "not-tagged" => {
                    sig = sig[sig.len() - alg.sizes().signature..].to_vec();
                    "error"
                }
                _ => {
                    sig = key.clone();
                    "error"
                }
            };
            let got = match contract::verify(&key, &payload, &sig) {
                Ok(true) => "valid",
                Ok(false) => "invalid",
                Err(_) => "error",
            };
            if got != expected {
                return Err(fail(
                    alg,
                    &id,
                    format!("{mutation}: expected {expected}, got {got}"),
                ));
            }
            verify.push(ContractVerifyCase {
                id,
                mutation,
                key: hex::encode(&key),
                payload: hex::encode(&payload),
                signature: hex::encode(&sig),
                result: got,
            });
        }
        Ok((cases, verify))
    }
}

fn sig_file(alg: AlgorithmId) -> Res<Vec<u8>> {
    let g = SigGen {
        alg,
        provider: reference_provider(alg),
    };
    let checks = match alg {
        AlgorithmId::Ed25519 => INDEPENDENT_CHECKS[0].1,
        AlgorithmId::InsecureTestHmacSha256 => INDEPENDENT_CHECKS[3].1,
        _ => INDEPENDENT_CHECKS[1].1,
    };
    let (contract, contract_verify) = g.contract()?;
    json(&SigFile {
        header: Header {
            format: FORMAT,
            version: VERSION,
            algorithm: alg.as_str(),
            kind: alg.kind().as_str(),
            insecure: alg.is_insecure(),
            reference_provider: g.provider,
            independent_checks: checks,
        },
        keygen: g.keygen()?,
        sign: g.sign()?,
        verify: g.verify()?,
        contract,
        contract_verify,
    })
}

// ---------------------------------------------------------------- KEMs

struct KemKeys {
    reference: DecapsulationKey,
    rustcrypto: DecapsulationKey,
    pqclean: DecapsulationKey,
}

fn kem_keys(alg: AlgorithmId, id: &str, seed: &[u8]) -> Res<KemKeys> {
    let reference = DecapsulationKey::from_seed(alg, seed, Some("liboqs")).map_err(e)?;
    let rustcrypto = DecapsulationKey::from_seed(alg, seed, Some("rustcrypto")).map_err(e)?;
    let ek = reference.encapsulation_key().map_err(e)?;
    let ek2 = rustcrypto.encapsulation_key().map_err(e)?;
    let dk = reference
        .expanded_secret_key()
        .ok_or_else(|| fail(alg, id, "liboqs exports no expanded key"))?;
    let dk2 = rustcrypto
        .expanded_secret_key()
        .ok_or_else(|| fail(alg, id, "rustcrypto exports no expanded key"))?;
    if ek.as_raw() != ek2.as_raw() || dk.expose() != dk2.expose() {
        return Err(fail(alg, id, "rustcrypto derives other keys from the seed"));
    }
    let pqclean = DecapsulationKey::from_expanded(alg, dk.expose(), Some("pqclean")).map_err(e)?;
    Ok(KemKeys {
        reference,
        rustcrypto,
        pqclean,
    })
}

/// Decapsulates with all three providers; they must agree.
fn decaps_all(alg: AlgorithmId, id: &str, keys: &KemKeys, ct: &[u8]) -> Res<Vec<u8>> {
    let a = keys.reference.decapsulate_raw(ct).map_err(e)?;
    let b = keys.rustcrypto.decapsulate_raw(ct).map_err(e)?;
    let c = keys.pqclean.decapsulate_raw(ct).map_err(e)?;
    if a.expose() != b.expose() || a.expose() != c.expose() {
        return Err(fail(
            alg,
            id,
            "liboqs, rustcrypto and pqclean decapsulate differently",
        ));
    }
    Ok(a.expose().to_vec())
}

fn encaps_both(alg: AlgorithmId, id: &str, ek: &[u8], m: &[u8]) -> Res<(Vec<u8>, Vec<u8>)> {
    let a = EncapsulationKey::from_raw(alg, ek, Some("liboqs"))
        .and_then(|k| k.encapsulate_derand(m))
        .map_err(e)?;
    let b = EncapsulationKey::from_raw(alg, ek, Some("rustcrypto"))
        .and_then(|k| k.encapsulate_derand(m))
        .map_err(e)?;
    if a.0.as_raw() != b.0.as_raw() || a.1.expose() != b.1.expose() {
        return Err(fail(alg, id, "rustcrypto encapsulates differently"));
    }
    Ok((a.0.as_raw().to_vec(), a.1.expose().to_vec()))
}

fn kem_file(alg: AlgorithmId) -> Res<Vec<u8>> {
    let seed_len = alg.sizes().seed;
    let mut keygen = Vec::new();
    let mut encaps = Vec::new();
    let mut decaps = Vec::new();
    for i in 0..CASES {
        let id = format!("keygen-{i:03}");
        let seed = rand(&format!("{alg}/{id}/seed"), seed_len);
        let keys = kem_keys(alg, &id, &seed)?;
        let ek = keys.reference.encapsulation_key().map_err(e)?;
        let dk = keys
            .reference
            .expanded_secret_key()
            .map(|d| hex::encode(d.expose()))
            .unwrap_or_default();
        keygen.push(KemKeygenCase {
            id,
            seed: hex::encode(&seed),
            encapsulation_key: hex::encode(ek.as_raw()),
            decapsulation_key: dk,
        });

        let id = format!("encaps-{i:03}");
        let seed = rand(&format!("{alg}/{id}/seed"), seed_len);
        let keys = kem_keys(alg, &id, &seed)?;
        let ek = keys.reference.encapsulation_key().map_err(e)?;
        let m = rand(&format!("{alg}/{id}/m"), 32);
        let (ct, ss) = encaps_both(alg, &id, ek.as_raw(), &m)?;
        if decaps_all(alg, &id, &keys, &ct)? != ss {
            return Err(fail(alg, &id, "decapsulation does not recover the secret"));
        }
        encaps.push(EncapsCase {
            id,
            encapsulation_key: hex::encode(ek.as_raw()),
            m: hex::encode(&m),
            ciphertext: hex::encode(&ct),
            shared_secret: hex::encode(&ss),
        });
    }
    const MUTATIONS: [&str; 5] = ["none", "flipped-bit", "none", "other-key", "random"];
    for i in 0..60 {
        let id = format!("decaps-{i:03}");
        let mutation = MUTATIONS[i % MUTATIONS.len()];
        let seed = rand(&format!("{alg}/{id}/seed"), seed_len);
        let keys = kem_keys(alg, &id, &seed)?;
        let m = rand(&format!("{alg}/{id}/m"), 32);
        let ek = keys.reference.encapsulation_key().map_err(e)?;
        let (ct, ss) = encaps_both(alg, &id, ek.as_raw(), &m)?;
        let ct = match mutation {
            "none" => ct,
            "flipped-bit" => flip_bit(&ct, &format!("{alg}/{id}/bit")),
            "other-key" => {
                let other = rand(&format!("{alg}/{id}/other-seed"), seed_len);
                let ok = DecapsulationKey::from_seed(alg, &other, Some("liboqs"))
                    .and_then(|k| k.encapsulation_key())
                    .map_err(e)?;
                encaps_both(alg, &id, ok.as_raw(), &m)?.0
            }
            _ => rand(&format!("{alg}/{id}/ct"), alg.sizes().ciphertext),
        };
        let got = decaps_all(alg, &id, &keys, &ct)?;
        let expected = if mutation == "none" {
            ss
        } else {
            let z = &seed[32..];
            let k = indep_rejection_key(z, &ct);
            if k == ss {
                return Err(fail(alg, &id, "a modified ciphertext gave the real secret"));
            }
            k
        };
        if got != expected {
            return Err(fail(
                alg,
                &id,
                format!("{mutation}: decapsulation differs from the expected (rejection) key"),
            ));
        }
        decaps.push(DecapsCase {
            id,
            mutation,
            seed: hex::encode(&seed),
            ciphertext: hex::encode(&ct),
            shared_secret: hex::encode(&got),
        });
    }
    json(&KemFile {
        header: Header {
            format: FORMAT,
            version: VERSION,
            algorithm: alg.as_str(),
            kind: alg.kind().as_str(),
            insecure: false,
            reference_provider: "liboqs",
            independent_checks: INDEPENDENT_CHECKS[2].1,
        },
        keygen,
        encaps,
        decaps,
    })
}

// ---------------------------------------------------------------- Merkle

/// RFC 6962 MTH by its recursive definition, separate from the builder.
fn indep_mth(leaves: &[Vec<u8>]) -> [u8; 32] {
    match leaves.len() {
        0 => Sha256::digest(b"").into(),
        1 => leaf_hash(&leaves[0]),
        n => {
            let k = 1usize << (usize::BITS - 1 - (n - 1).leading_zeros());
            node_hash(&indep_mth(&leaves[..k]), &indep_mth(&leaves[k..]))
        }
    }
}

fn merkle_file() -> Res<Vec<u8>> {
    let ct_leaves: [&[u8]; 8] = [
        b"",
        &[0x00],
        &[0x10],
        &[0x20, 0x21],
        &[0x30, 0x31],
        &[0x40, 0x41, 0x42, 0x43],
        &[0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        &[
            0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
            0x6e, 0x6f,
        ],
    ];
    let mut sets: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for n in 1..=8 {
        sets.push((
            format!("ct-reference-{n}"),
            ct_leaves[..n].iter().map(|l| l.to_vec()).collect(),
        ));
    }
    for n in [
        0usize, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
        255, 256, 257, 1000,
    ] {
        let leaves = (0..n)
            .map(|j| {
                let label = format!("merkle/{n}/{j}");
                rand(&label, rand_u16(&format!("{label}/len")) % 41)
            })
            .collect();
        sets.push((format!("leaves-{n}"), leaves));
    }
    let mut cases = Vec::new();
    for (id, leaves) in sets {
        let refs: Vec<&[u8]> = leaves.iter().map(Vec::as_slice).collect();
        let root = merkle_root(&refs);
        if root != indep_mth(&leaves) {
            return Err(format!("merkle case {id}: builder and definition differ"));
        }
        cases.push(MerkleCase {
            id,
            count: leaves.len(),
            leaves: leaves.iter().map(hex::encode).collect(),
            root: hex::encode(root),
        });
    }
    json(&MerkleFile {
        format: FORMAT,
        version: VERSION,
        algorithm: "rfc6962-sha256",
        definition: "RFC 6962 section 2.1 Merkle Tree Hash: empty = SHA-256(); leaf = SHA-256(0x00 || data); node = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two < n",
        cases,
    })
}

// ---------------------------------------------------------------- driving

/// The vector files, in generation order, by path relative to the golden directory.
fn vector_names() -> Vec<String> {
    let mut out: Vec<String> = AlgorithmId::ALL
        .iter()
        .map(|a| format!("vectors/{}.json", a.as_str()))
        .collect();
    out.push("vectors/merkle.json".into());
    out
}

/// Generates the vector files one by one, handing each to `sink` (which
/// may stop early by returning an error).
fn vector_files(mut sink: impl FnMut(&str, &[u8]) -> CliResult<()>) -> CliResult<()> {
    let failed = |m: String| CliError::new(format!("golden generation failed: {m}"));
    for alg in AlgorithmId::ALL {
        let bytes = match alg.kind() {
            AlgorithmKind::Kem => kem_file(alg),
            _ => sig_file(alg),
        }
        .map_err(failed)?;
        sink(&format!("vectors/{}.json", alg.as_str()), &bytes)?;
    }
    sink("vectors/merkle.json", &merkle_file().map_err(failed)?)
}

/// Independent check of a generated placeholder corpus: every tag
/// recomputed with the hmac crate.
fn check_placeholder_corpus(manifest: &Path) -> Res<()> {
    use pqshift_migration::corpus::{CorpusReader, Keystore, Manifest};
    let m = Manifest::read(manifest).map_err(e)?;
    let ks = Keystore::read(&m.keystore_path(manifest)).map_err(e)?;
    let mut r = CorpusReader::open(&m.corpus_path(manifest)).map_err(e)?;
    while let Some((line, rec)) = r.next_parsed().map_err(e)? {
        let entry = ks
            .keys
            .iter()
            .find(|k| k.key_id == rec.key_id)
            .ok_or_else(|| format!("line {line}: unknown key"))?;
        let key = Tagged::decode(entry.secret_key.as_bytes()).map_err(e)?;
        if indep_hmac_tag(key.payload(), &rec.message, &rec.context)? != rec.signature.as_raw() {
            return Err(format!(
                "{}:{line}: the hmac crate computes another tag",
                manifest.display()
            ));
        }
    }
    Ok(())
}

fn corpus_paths(dir: &Path, stem: &str) -> [PathBuf; 3] {
    let c = dir.join("corpus");
    [
        c.join(format!("{stem}.jsonl")),
        c.join(format!("{stem}.manifest.json")),
        c.join(format!("{stem}.keystore.json")),
    ]
}

fn generate(dir: &Path) -> CliResult<Outcome> {
    for sub in ["vectors", "corpus"] {
        fs::create_dir_all(dir.join(sub)).map_err(|err| {
            CliError::new(format!("cannot create {}: {err}", dir.join(sub).display()))
        })?;
    }
    vector_files(|rel, bytes| {
        let p = dir.join(rel);
        crate::io::write_file(&p, bytes, crate::io::Overwrite::Force, false)?;
        note(&format!("wrote {} ({} bytes)", p.display(), bytes.len()));
        Ok(())
    })?;
    for &(stem, alg, records, keys) in CORPORA {
        let [corpus, manifest, _] = corpus_paths(dir, stem);
        corpus_gen::generate_files(&corpus_params(stem, alg, records, keys), &corpus)
            .map_err(|err| CliError::new(format!("golden corpus {stem}: {err}")))?;
        let report = pqshift_migration::corpus::verify_corpus(&manifest)
            .map_err(|err| CliError::new(format!("golden corpus {stem}: {err}")))?;
        if report.valid != records {
            return Err(CliError::new(format!(
                "golden corpus {stem}: {} of {records} records verify",
                report.valid
            )));
        }
        if alg == AlgorithmId::InsecureTestHmacSha256 {
            check_placeholder_corpus(&manifest)
                .map_err(|m| CliError::new(format!("golden corpus {stem}: {m}")))?;
        }
        note(&format!("wrote {} ({records} records)", corpus.display()));
    }
    Ok(Outcome::Ok)
}

/// A writer that compares what is written with an existing file.
struct Compare {
    file: Option<std::io::BufReader<fs::File>>,
    differs: bool,
    buf: Vec<u8>,
}

impl Compare {
    fn new(path: &Path) -> Self {
        Compare {
            file: fs::File::open(path).ok().map(std::io::BufReader::new),
            differs: false,
            buf: Vec::new(),
        }
    }

    /// True when the file exists and held exactly what was written.
    fn identical(mut self) -> bool {
        if self.differs {
            return false;
        }
        let Some(f) = self.file.as_mut() else {
            return false;
        };
        let mut rest = [0u8; 1];
        matches!(f.read(&mut rest), Ok(0))
    }
}

impl Write for Compare {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if !self.differs {
            match self.file.as_mut() {
                None => self.differs = true,
                Some(f) => {
                    self.buf.resize(data.len(), 0);
                    if f.read_exact(&mut self.buf).is_err() || self.buf != data {
                        self.differs = true;
                    }
                }
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn check(dir: &Path) -> CliResult<Outcome> {
    let differs = |p: &Path| {
        CliError::new(format!(
            "golden file {} differs from what `pqshift golden generate` produces now",
            p.display()
        ))
        .with_hint(
            "a provider's output changed, or the file was edited: regenerate with \
             `pqshift golden generate` only if the change is intended",
        )
    };
    let names = vector_names();
    vector_files(|rel, bytes| {
        let p = dir.join(rel);
        match fs::read(&p) {
            Ok(existing) if existing == bytes => Ok(()),
            _ => Err(differs(&p)),
        }
    })?;
    for &(stem, alg, records, keys) in CORPORA {
        let [corpus, manifest, keystore] = corpus_paths(dir, stem);
        let (mut c, mut m, mut k) = (
            Compare::new(&corpus),
            Compare::new(&manifest),
            Compare::new(&keystore),
        );
        let name = |p: &Path| {
            p.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string()
        };
        corpus_gen::generate_into(
            &corpus_params(stem, alg, records, keys),
            &name(&corpus),
            &name(&keystore),
            &mut c,
            &mut m,
            &mut k,
        )
        .map_err(|err| CliError::new(format!("golden corpus {stem}: {err}")))?;
        for (w, p) in [(c, &corpus), (m, &manifest), (k, &keystore)] {
            if !w.identical() {
                return Err(differs(p));
            }
        }
    }
    // Files nobody generates would be silently stale.
    for sub in ["vectors", "corpus"] {
        let d = dir.join(sub);
        let entries = fs::read_dir(&d)
            .map_err(|err| CliError::new(format!("cannot read {}: {err}", d.display())))?;
        for entry in entries.flatten() {
            let p = entry.path();
            let known = names.iter().any(|rel| dir.join(rel) == p)
                || CORPORA
                    .iter()
                    .any(|(stem, ..)| corpus_paths(dir, stem).contains(&p));
            if !known {
                return Err(CliError::new(format!(
                    "golden file {} is not produced by `pqshift golden generate`",
                    p.display()
                )));
            }
        }
    }
    crate::io::println(&format!(
        "golden files in {} are up to date ({} vector files, {} corpora)",
        dir.display(),
        names.len(),
        CORPORA.len()
    ))?;
    Ok(Outcome::Ok)
}

/// `pqshift golden ...`.
pub fn run(args: &GoldenArgs) -> CliResult<Outcome> {
    match &args.command {
        GoldenCommand::Generate(d) => generate(&d.dir),
        GoldenCommand::Check(d) => check(&d.dir),
    }
}
