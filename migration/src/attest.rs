//! Key-rotation attestations: the old key vouches for the new one.
//!
//! For each old key, the statement is the byte string
//!
//! ```text
//! "pqshift-key-rotation-v1" || 0x00
//! || u16be(len) || old key ID        || u16be(len) || old algorithm ID
//! || old fingerprint (32 bytes)
//! || u16be(len) || new key ID        || u16be(len) || new algorithm ID
//! || u32be(len) || new tagged public key, binary form (empty for a MAC)
//! || new fingerprint (32 bytes)
//! ```
//!
//! (IDs in UTF-8; fingerprints as in `provider-api/src/encoding.rs`). The
//! old key signs it (empty context, deterministically), so a relying party
//! that trusts the old key can chain its trust to the new one; the new key
//! signs it too (proof that the holder of the new key agrees). When the
//! old key is the insecure placeholder, `old_signature` is a MAC tag: only
//! a holder of the old secret key can check it, and it proves nothing to
//! anyone else.

use pqshift::{PublicKey, SecretKey, SignMode, Signature};
use serde::{Deserialize, Serialize};

use crate::corpus::{CorpusError, Result};

/// Domain label that opens every statement.
pub const STATEMENT_LABEL: &[u8] = b"pqshift-key-rotation-v1\0";
/// `format` of an attestation and of the attestations file.
pub const ATTESTATION_FORMAT: &str = "pqshift-key-rotation";
/// `format` of the attestations file.
pub const ATTESTATIONS_FILE_FORMAT: &str = "pqshift-key-rotations";

/// One key's rotation attestation (one JSON object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// Always [`ATTESTATION_FORMAT`].
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The old key ID.
    pub old_key_id: String,
    /// The old algorithm, canonical ID.
    pub old_algorithm: String,
    /// The old key's fingerprint, hex.
    pub old_fingerprint: String,
    /// The old tagged public key (absent for a MAC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_public_key: Option<String>,
    /// The new key ID.
    pub new_key_id: String,
    /// The new algorithm, canonical ID.
    pub new_algorithm: String,
    /// The new key's fingerprint, hex.
    pub new_fingerprint: String,
    /// The new tagged public key, text form (absent for a MAC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_public_key: Option<String>,
    /// The statement bytes, hex (recomputable from the fields above).
    pub statement: String,
    /// `signature`, or `mac` when the old key is a MAC (the placeholder):
    /// then `old_signature` is a MAC tag, checkable only with the old secret key.
    pub old_signature_kind: String,
    /// The old key's tagged signature over the statement.
    pub old_signature: String,
    /// The new key's tagged signature over the statement.
    pub new_signature: String,
}

/// The attestations file (`attestations.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationsFile {
    /// Always [`ATTESTATIONS_FILE_FORMAT`].
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// For humans.
    pub note: String,
    /// One per old key, in old key ID order.
    pub attestations: Vec<Attestation>,
}

fn bad(m: impl Into<String>) -> CorpusError {
    CorpusError::Crypto(pqshift::Error::invalid(m))
}

fn put16(out: &mut Vec<u8>, field: &str, bytes: &[u8]) -> Result<()> {
    let n = u16::try_from(bytes.len()).map_err(|_| bad(format!("{field} is too long")))?;
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

/// What a statement says.
#[derive(Debug, Clone, Copy)]
pub struct StatementFields<'a> {
    /// Old key ID.
    pub old_key_id: &'a str,
    /// Old algorithm ID.
    pub old_algorithm: &'a str,
    /// Old fingerprint.
    pub old_fingerprint: &'a [u8],
    /// New key ID.
    pub new_key_id: &'a str,
    /// New algorithm ID.
    pub new_algorithm: &'a str,
    /// New tagged public key, binary form (empty for a MAC).
    pub new_public_key: &'a [u8],
    /// New fingerprint.
    pub new_fingerprint: &'a [u8],
}

/// The canonical statement bytes (see the module docs).
pub fn statement(f: &StatementFields<'_>) -> Result<Vec<u8>> {
    if f.old_fingerprint.len() != 32 || f.new_fingerprint.len() != 32 {
        return Err(bad("fingerprints are 32 bytes"));
    }
    let mut out = Vec::with_capacity(256 + f.new_public_key.len());
    out.extend_from_slice(STATEMENT_LABEL);
    put16(&mut out, "old key ID", f.old_key_id.as_bytes())?;
    put16(&mut out, "old algorithm", f.old_algorithm.as_bytes())?;
    out.extend_from_slice(f.old_fingerprint);
    put16(&mut out, "new key ID", f.new_key_id.as_bytes())?;
    put16(&mut out, "new algorithm", f.new_algorithm.as_bytes())?;
    let n = u32::try_from(f.new_public_key.len()).map_err(|_| bad("public key too long"))?;
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(f.new_public_key);
    out.extend_from_slice(f.new_fingerprint);
    Ok(out)
}

fn public_text(key: &SecretKey) -> Result<Option<(String, Vec<u8>)>> {
    if key.is_mac() {
        return Ok(None);
    }
    let t = key.public_key()?.to_tagged()?;
    Ok(Some((t.to_text().to_string(), t.to_bytes().to_vec())))
}

/// The attestation that `old` (ID `old_id`) hands over to `new` (ID `new_id`).
pub fn attest(old_id: &str, old: &SecretKey, new_id: &str, new: &SecretKey) -> Result<Attestation> {
    let old_pub = public_text(old)?;
    let new_pub = public_text(new)?;
    let old_fp = old.fingerprint();
    let new_fp = new.fingerprint();
    let stmt = statement(&StatementFields {
        old_key_id: old_id,
        old_algorithm: old.algorithm().as_str(),
        old_fingerprint: &old_fp,
        new_key_id: new_id,
        new_algorithm: new.algorithm().as_str(),
        new_public_key: new_pub.as_ref().map(|p| p.1.as_slice()).unwrap_or_default(),
        new_fingerprint: &new_fp,
    })?;
    let old_sig = old.sign_with(&stmt, b"", SignMode::Deterministic)?;
    let new_sig = new.sign_with(&stmt, b"", SignMode::Deterministic)?;
    Ok(Attestation {
        format: ATTESTATION_FORMAT.into(),
        version: 1,
        old_key_id: old_id.into(),
        old_algorithm: old.algorithm().as_str().into(),
        old_fingerprint: hex::encode(old_fp),
        old_public_key: old_pub.map(|p| p.0),
        new_key_id: new_id.into(),
        new_algorithm: new.algorithm().as_str().into(),
        new_fingerprint: hex::encode(new_fp),
        new_public_key: new_pub.map(|p| p.0),
        statement: hex::encode(&stmt),
        old_signature_kind: if old.is_mac() { "mac" } else { "signature" }.into(),
        old_signature: old_sig.to_text()?,
        new_signature: new_sig.to_text()?,
    })
}

/// Checks an attestation: the statement is recomputed from the fields, the
/// old signature verifies under `old_public_key` (or, for a MAC, under
/// `old_mac_key`, which must then be given), the new signature under
/// `new_public_key` (or `new_mac_key`). Fingerprints must match the keys.
pub fn verify(
    a: &Attestation,
    old_mac_key: Option<&SecretKey>,
    new_mac_key: Option<&SecretKey>,
) -> Result<()> {
    if a.format != ATTESTATION_FORMAT || a.version != 1 {
        return Err(bad("not a version 1 key-rotation attestation"));
    }
    let hexfield = |name: &str, v: &str| hex::decode(v).map_err(|e| bad(format!("{name}: {e}")));
    let old_fp = hexfield("old_fingerprint", &a.old_fingerprint)?;
    let new_fp = hexfield("new_fingerprint", &a.new_fingerprint)?;
    let new_pub = match &a.new_public_key {
        Some(text) => Some(PublicKey::decode(text.as_bytes(), None)?),
        None => None,
    };
    let new_pub_bin = match &new_pub {
        Some(p) => p.to_tagged()?.to_bytes().to_vec(),
        None => Vec::new(),
    };
    let stmt = statement(&StatementFields {
        old_key_id: &a.old_key_id,
        old_algorithm: &a.old_algorithm,
        old_fingerprint: &old_fp,
        new_key_id: &a.new_key_id,
        new_algorithm: &a.new_algorithm,
        new_public_key: &new_pub_bin,
        new_fingerprint: &new_fp,
    })?;
    if hex::encode(&stmt) != a.statement {
        return Err(bad("the statement does not match the attestation's fields"));
    }
    let old_sig = Signature::decode(a.old_signature.as_bytes())?;
    let new_sig = Signature::decode(a.new_signature.as_bytes())?;
    if old_sig.algorithm().as_str() != a.old_algorithm
        || new_sig.algorithm().as_str() != a.new_algorithm
    {
        return Err(bad(
            "a signature's algorithm differs from the attestation's",
        ));
    }
    match (&a.old_public_key, old_mac_key) {
        (Some(text), _) => {
            let p = PublicKey::decode(text.as_bytes(), None)?;
            if p.fingerprint().as_slice() != old_fp.as_slice() {
                return Err(bad("old_public_key does not match old_fingerprint"));
            }
            p.verify(&stmt, b"", &old_sig)?;
        }
        (None, Some(k)) if k.is_mac() && k.fingerprint().as_slice() == old_fp.as_slice() => {
            k.verify(&stmt, b"", &old_sig)?;
        }
        (None, _) => {
            return Err(bad(
                "the old key is a MAC: its tag can be checked only with the old secret key",
            ))
        }
    }
    match (&new_pub, new_mac_key) {
        (Some(p), _) => {
            if p.fingerprint().as_slice() != new_fp.as_slice() {
                return Err(bad("new_public_key does not match new_fingerprint"));
            }
            p.verify(&stmt, b"", &new_sig)?;
        }
        (None, Some(k)) if k.is_mac() && k.fingerprint().as_slice() == new_fp.as_slice() => {
            k.verify(&stmt, b"", &new_sig)?;
        }
        (None, _) => {
            return Err(bad(
                "the new key is a MAC: its tag can be checked only with the new secret key",
            ))
        }
    }
    Ok(())
}
