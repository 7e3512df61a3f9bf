//! The porting contract (`pqshift::contract`) under the configuration:
//! `keygen(seed: int) -> bytes`, `sign(key, payload) -> bytes`,
//! `verify(key, payload, sig) -> bool`, byte for byte as in golden/.
//!
//! "The configured algorithm": `keygen` derives a key of the `[sign]`
//! algorithm with the `[sign]` provider; `sign` goes through
//! [`Policy::sign_with`] (the key must be of the `[sign]` algorithm, and a
//! `[shadow]` provider re-checks the signature); `verify` goes through
//! [`Policy::verify`] (the algorithm must be in `[verify] accept`).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyInt};

use pqshift::{
    contract, Error, ObjectKind, Policy, PublicKey, SecretKey, SignMode, Signature, Tagged,
};

use crate::config::current;
use crate::errors::{invalid, to_py};

fn contract_sign(policy: &Policy, key: &[u8], payload: &[u8]) -> pqshift::Result<Vec<u8>> {
    let t = Tagged::decode(key)?;
    let key = SecretKey::from_tagged(&t, policy.named_provider(t.algorithm()))?;
    policy
        .sign_with(&key, payload, b"", SignMode::Deterministic)?
        .to_bytes()
}

fn contract_verify(
    policy: &Policy,
    key: &[u8],
    payload: &[u8],
    sig: &[u8],
) -> pqshift::Result<bool> {
    let t = Tagged::decode(key)?;
    let sig = Signature::decode(sig)?;
    if t.algorithm() != sig.algorithm() {
        return Err(Error::invalid(format!(
            "algorithm mismatch: a {} key cannot verify a {} signature",
            t.algorithm(),
            sig.algorithm()
        )));
    }
    let provider = policy.named_provider(t.algorithm());
    let outcome = match t.kind() {
        ObjectKind::SecretSeed | ObjectKind::SecretExpanded => {
            let key = SecretKey::from_tagged(&t, provider)?;
            if key.is_mac() {
                policy.verify_with_secret(&key, payload, b"", &sig)
            } else {
                policy.verify(&key.public_key()?, payload, b"", &sig)
            }
        }
        ObjectKind::PublicKey => {
            policy.verify(&PublicKey::from_tagged(&t, provider)?, payload, b"", &sig)
        }
        other => {
            return Err(Error::invalid(format!(
                "expected a tagged secret or public key, got a {} ({})",
                other.describe(),
                t.algorithm()
            )))
        }
    };
    match outcome {
        Ok(()) => Ok(true),
        Err(Error::VerificationFailed) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `keygen(seed: int) -> bytes`: the tagged binary secret key (seed form)
/// of the configured `[sign]` algorithm derived from the integer `seed`
/// (0 to 2**64 - 1). Deterministic, for tests and fixtures: an integer is
/// not a strong key; use `SigningKey.generate` for real keys.
#[pyfunction]
fn keygen<'py>(py: Python<'py>, seed: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    if seed.is_instance_of::<PyBool>() || !seed.is_instance_of::<PyInt>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "seed must be an int, got {}",
            seed.get_type().name()?
        )));
    }
    let n: u64 = seed.extract().map_err(|_| {
        invalid(format!(
            "seed must be an integer from 0 to 2**64 - 1, got {}",
            seed.str().map(|s| s.to_string()).unwrap_or_default()
        ))
    })?;
    let policy = current(py)?;
    let key = py
        .detach(|| contract::keygen_configured(&policy, n))
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &key))
}

/// `sign(key: bytes, payload: bytes) -> bytes`: the tagged binary signature
/// of `payload` under `key` (a tagged secret key, binary or text form of
/// the configured `[sign]` algorithm), empty context, deterministic.
#[pyfunction]
fn sign<'py>(py: Python<'py>, key: &[u8], payload: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let policy = current(py)?;
    let sig = py
        .detach(|| contract_sign(&policy, key, payload))
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &sig))
}

/// `verify(key: bytes, payload: bytes, sig: bytes) -> bool`: True when the
/// tagged signature `sig` is valid for `payload` under `key` (a tagged
/// public key, or secret key), empty context; False when it does not
/// verify. Malformed input (untagged bytes, a truncated signature, a key
/// and a signature of different algorithms, ...) raises `InvalidInput`; an
/// algorithm that `[verify] accept` does not list raises `PolicyError`.
#[pyfunction]
fn verify(py: Python<'_>, key: &[u8], payload: &[u8], sig: &[u8]) -> PyResult<bool> {
    let policy = current(py)?;
    py.detach(|| contract_verify(&policy, key, payload, sig))
        .map_err(to_py)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(keygen, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    Ok(())
}
