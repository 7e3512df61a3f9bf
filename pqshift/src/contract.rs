//! The porting contract: three functions over plain bytes that every binding
//! (Python, C, Go) exposes exactly, and that `golden/vectors/*.json` pins
//! down byte for byte (the `contract` and `contract_verify` sections).
//!
//! It is the interface of the old "tinywindow" code, kept so that callers
//! can port without restructuring:
//!
//! ```text
//! keygen(seed: int) -> bytes               keygen(alg, n)
//! sign(key: bytes, payload: bytes) -> bytes
//! verify(key: bytes, payload: bytes, sig: bytes) -> bool
//! ```
//!
//! Definition (version 1):
//!
//! - [`keygen`]`(alg, n)`: the secret key whose seed is
//!   [`seed_from_u64`](crate::seed_from_u64)`(alg, n)`, returned in the
//!   tagged **binary** form, seed kind (`PQSH`, version 1, kind 2, the
//!   algorithm ID, the key fingerprint, the seed). For signature algorithms
//!   and the MAC; a KEM is an error. [`keygen_configured`] takes the
//!   algorithm and provider from a [`Policy`]'s `[sign]` section: that is
//!   "the configured algorithm" of the old `keygen(seed)`.
//! - [`sign`]`(key, payload)`: `key` is a tagged secret key (binary or text
//!   form); the payload is signed with an **empty context**,
//!   **deterministically** (Ed25519 and the MAC always are; ML-DSA uses the
//!   FIPS 204 deterministic variant). The result is the tagged **binary**
//!   signature (`PQSH`, version 1, kind 3, the algorithm ID, the standard
//!   signature bytes). A provider that cannot sign deterministically is an
//!   `unsupported` error, never a silently randomized signature.
//! - [`verify`]`(key, payload, sig)`: `key` is a tagged secret key or a
//!   tagged public key, `sig` a tagged signature (binary or text form each),
//!   context empty. `Ok(true)`: valid. `Ok(false)`: the signature does not
//!   verify (any well-formed signature that is wrong). `Err`: malformed
//!   input — not a tagged object, a truncated or over-long signature, a key
//!   and a signature of different algorithms, a fingerprint that does not
//!   match its key, a MAC "public key" (a MAC verifies with its secret key).
//!
//! ```
//! use pqshift::{contract, AlgorithmId};
//!
//! let key = contract::keygen(AlgorithmId::Ed25519, 42)?;
//! let sig = contract::sign(&key, b"payload")?;
//! assert_eq!(sig, contract::sign(&key, b"payload")?);          // deterministic
//! assert!(contract::verify(&key, b"payload", &sig)?);
//! assert!(!contract::verify(&key, b"other payload", &sig)?);
//! let public = contract::public_key(&key)?;
//! assert!(contract::verify(&public, b"payload", &sig)?);
//! assert!(contract::verify(&key, b"payload", &sig[..sig.len() - 1]).is_err());
//! # Ok::<(), pqshift::Error>(())
//! ```

use pqshift_provider_api::{AlgorithmId, AlgorithmKind, ObjectKind, SignMode, Tagged};

use crate::keys::{PublicKey, SecretKey, Signature};
use crate::{Error, Policy, Result};

fn check_kind(alg: AlgorithmId) -> Result<()> {
    if alg.kind() == AlgorithmKind::Kem {
        return Err(Error::invalid(format!(
            "{alg} is a KEM: the keygen/sign/verify contract covers signature algorithms and the MAC"
        )));
    }
    Ok(())
}

/// `keygen(n)` for `alg` through its preferred provider: the tagged binary
/// secret key (seed form) derived from `n`. Deterministic, for tests and
/// fixtures: a 64-bit integer is not a strong key.
pub fn keygen(alg: AlgorithmId, n: u64) -> Result<Vec<u8>> {
    check_kind(alg)?;
    let key = SecretKey::from_u64(alg, n, None)?;
    Ok(key.to_tagged()?.to_bytes().to_vec())
}

/// `keygen(n)` for the configuration's `[sign]` algorithm and provider.
pub fn keygen_configured(policy: &Policy, n: u64) -> Result<Vec<u8>> {
    let key = policy.signing_key_from_u64(n)?;
    Ok(key.to_tagged()?.to_bytes().to_vec())
}

/// `sign(key, payload)`: the tagged binary signature of `payload` under
/// `key` (tagged secret key, binary or text), empty context, deterministic.
pub fn sign(key: &[u8], payload: &[u8]) -> Result<Vec<u8>> {
    let key = SecretKey::decode(key, None)?;
    let sig = key.sign_with(payload, b"", SignMode::Deterministic)?;
    sig.to_bytes()
}

/// `verify(key, payload, sig)`: `Ok(true)` when valid, `Ok(false)` when the
/// signature does not verify, `Err` on malformed input (see the module docs).
pub fn verify(key: &[u8], payload: &[u8], sig: &[u8]) -> Result<bool> {
    let tagged = Tagged::decode(key)?;
    let sig = Signature::decode(sig)?;
    let outcome = match tagged.kind() {
        ObjectKind::SecretSeed | ObjectKind::SecretExpanded => {
            SecretKey::from_tagged(&tagged, None)?.verify(payload, b"", &sig)
        }
        ObjectKind::PublicKey => PublicKey::from_tagged(&tagged, None)?.verify(payload, b"", &sig),
        other => {
            return Err(Error::invalid(format!(
                "expected a tagged secret or public key, got a {} ({})",
                other.describe(),
                tagged.algorithm()
            )))
        }
    };
    match outcome {
        Ok(()) => Ok(true),
        Err(Error::VerificationFailed) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The tagged binary public key of a tagged secret key (for signature
/// algorithms; a MAC has none, which is an error).
pub fn public_key(key: &[u8]) -> Result<Vec<u8>> {
    let key = SecretKey::decode(key, None)?;
    Ok(key.public_key()?.to_tagged()?.to_bytes().to_vec())
}
