//! FIPS 204 internal functions, for known-answer tests only.
//!
//! NOT part of the provider contract and not reachable through pqshift:
//! `Sign_internal` / `Verify_internal` take `M'` as given (no domain
//! separator, no context), which is what the ACVP sigGen vectors exercise
//! and what the tests use to check the external interface
//! (`M' = 0x00 || len(ctx) || ctx || M`).
//!
//! [`sign_internal_expanded`] loads a FIPS 204 expanded secret key with
//! ml-dsa's unvalidated `from_expanded`, after this module's own `skDecode`
//! range check on `s1` and `s2` (the crate asserts on out-of-range
//! coefficients). It does not check `t0` or `tr` against the key, which is
//! why the provider itself refuses expanded ML-DSA keys.

use ml_dsa::{ExpandedSigningKey, ExpandedSigningKeyBytes, MlDsa44, MlDsa65, MlDsa87, B32};
use pqshift_provider_api::{check_len, AlgorithmId, Error, Result};

use crate::dsa::{DsaParameters, MlDsaSigningKey, MlDsaVerifyingKey};

fn not_ml_dsa(alg: AlgorithmId) -> Error {
    Error::unsupported(format!("{alg} is not an ML-DSA parameter set"))
}

fn rnd32(alg: AlgorithmId, rnd: &[u8]) -> Result<[u8; 32]> {
    check_len(alg, "signing randomness rnd", 32, rnd)?;
    let mut out = [0u8; 32];
    out.copy_from_slice(rnd);
    Ok(out)
}

/// `Sign_internal(sk, M', rnd)` on the crate's key; a panic in the crate
/// (rejection sampling exhausted, only possible for inconsistent keys)
/// becomes an error.
pub(crate) fn sign_internal_guarded<P: DsaParameters>(
    key: &ExpandedSigningKey<P>,
    m_prime: &[u8],
    rnd: &[u8; 32],
) -> Result<Vec<u8>> {
    let rnd = B32::from(*rnd);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        key.sign_internal(&[m_prime], &rnd).encode().to_vec()
    }))
    .map_err(|_| {
        Error::Provider(format!(
            "{} Sign_internal panicked in ml-dsa (rejection sampling exhausted)",
            P::ALGORITHM
        ))
    })
}

/// `ML-DSA.Sign_internal(sk, M', rnd)` for a key given by its 32-byte seed.
pub fn sign_internal_seed(
    alg: AlgorithmId,
    seed: &[u8],
    m_prime: &[u8],
    rnd: &[u8],
) -> Result<Vec<u8>> {
    let rnd = rnd32(alg, rnd)?;
    match alg {
        AlgorithmId::MlDsa44 => {
            MlDsaSigningKey::<MlDsa44>::from_seed(seed)?.sign_internal(m_prime, &rnd)
        }
        AlgorithmId::MlDsa65 => {
            MlDsaSigningKey::<MlDsa65>::from_seed(seed)?.sign_internal(m_prime, &rnd)
        }
        AlgorithmId::MlDsa87 => {
            MlDsaSigningKey::<MlDsa87>::from_seed(seed)?.sign_internal(m_prime, &rnd)
        }
        other => Err(not_ml_dsa(other)),
    }
}

/// `ML-DSA.Verify_internal(pk, M', sigma)`.
pub fn verify_internal(
    alg: AlgorithmId,
    public_key: &[u8],
    m_prime: &[u8],
    signature: &[u8],
) -> Result<()> {
    match alg {
        AlgorithmId::MlDsa44 => MlDsaVerifyingKey::<MlDsa44>::from_bytes(public_key)?
            .verify_internal(m_prime, signature),
        AlgorithmId::MlDsa65 => MlDsaVerifyingKey::<MlDsa65>::from_bytes(public_key)?
            .verify_internal(m_prime, signature),
        AlgorithmId::MlDsa87 => MlDsaVerifyingKey::<MlDsa87>::from_bytes(public_key)?
            .verify_internal(m_prime, signature),
        other => Err(not_ml_dsa(other)),
    }
}

/// `ML-DSA.Sign_internal(sk, M', rnd)` for a FIPS 204 expanded secret key
/// (range-checked here, see the module documentation).
pub fn sign_internal_expanded(
    alg: AlgorithmId,
    expanded: &[u8],
    m_prime: &[u8],
    rnd: &[u8],
) -> Result<Vec<u8>> {
    let rnd = rnd32(alg, rnd)?;
    match alg {
        AlgorithmId::MlDsa44 => sign_expanded::<MlDsa44>(expanded, m_prime, &rnd),
        AlgorithmId::MlDsa65 => sign_expanded::<MlDsa65>(expanded, m_prime, &rnd),
        AlgorithmId::MlDsa87 => sign_expanded::<MlDsa87>(expanded, m_prime, &rnd),
        other => Err(not_ml_dsa(other)),
    }
}

/// True when the `s1` and `s2` coefficients of an expanded ML-DSA secret key
/// lie in `[-eta, eta]` (FIPS 204 skDecode / BitUnpack range); `false` for a
/// wrong length or another algorithm.
pub fn expanded_secret_in_range(alg: AlgorithmId, expanded: &[u8]) -> bool {
    match alg {
        AlgorithmId::MlDsa44 => secrets_in_range::<MlDsa44>(expanded),
        AlgorithmId::MlDsa65 => secrets_in_range::<MlDsa65>(expanded),
        AlgorithmId::MlDsa87 => secrets_in_range::<MlDsa87>(expanded),
        _ => false,
    }
}

fn secrets_in_range<P: DsaParameters>(expanded: &[u8]) -> bool {
    if expanded.len() != P::ALGORITHM.sizes().expanded_secret_key {
        return false;
    }
    // rho (32) || K (32) || tr (64) || s1 (l polys) || s2 (k polys) || t0
    let bits: usize = if P::ETA == 2 { 3 } else { 4 };
    let poly_bytes = 32 * bits;
    let start = 128;
    let end = start + (P::L + P::K) * poly_bytes;
    let max = u32::from(2 * P::ETA);
    let packed = &expanded[start..end];
    let mask = (1u32 << bits) - 1;
    let mut acc = 0u32;
    let mut acc_bits = 0usize;
    let mut ok = true;
    for &byte in packed {
        acc |= u32::from(byte) << acc_bits;
        acc_bits += 8;
        while acc_bits >= bits {
            ok &= (acc & mask) <= max;
            acc >>= bits;
            acc_bits -= bits;
        }
    }
    ok
}

fn sign_expanded<P: DsaParameters>(
    expanded: &[u8],
    m_prime: &[u8],
    rnd: &[u8; 32],
) -> Result<Vec<u8>> {
    let size = P::ALGORITHM.sizes().expanded_secret_key;
    check_len(P::ALGORITHM, "expanded secret key", size, expanded)?;
    if !secrets_in_range::<P>(expanded) {
        return Err(Error::invalid(format!(
            "{} expanded secret key has s1 or s2 coefficients outside [-eta, eta]",
            P::ALGORITHM
        )));
    }
    let enc = ExpandedSigningKeyBytes::<P>::try_from(expanded).map_err(|_| {
        Error::wrong_length("expanded secret key", P::ALGORITHM, size, expanded.len())
    })?;
    #[allow(deprecated)] // unvalidated in the crate: ranges checked above
    let key = ExpandedSigningKey::<P>::from_expanded(&enc);
    sign_internal_guarded(&key, m_prime, rnd)
}
