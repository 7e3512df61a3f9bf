//! The verification gate: what FIPS 204 lets a verifier check from public
//! data alone, checked by pqshift itself before any provider's verdict
//! counts.
//!
//! No backend is trusted alone with "valid". liboqs 0.13's AVX2 ML-DSA
//! verifier (inherited from pq-crystals) skipped the z norm bound and
//! accepted signatures every other implementation rejects; nothing here
//! could see it, because every test signature was well-formed. This gate
//! runs in [`PublicKey::verify_raw`](crate::PublicKey::verify_raw), which
//! every front end (Rust API, CLI, C, Go, Python, the migration tool) goes
//! through, so a provider that forgets one of these checks cannot turn a
//! malformed signature into "valid":
//!
//! - exact public-key and signature lengths;
//! - sigDecode (FIPS 204 Algorithm 27) of z and the z infinity-norm bound
//!   of Algorithm 8, line 13: every coefficient |z| < gamma1 - beta;
//! - a well-formed hint (HintBitUnpack, Algorithm 21): per polynomial the
//!   cumulative counts are non-decreasing and at most omega, indices within
//!   a polynomial strictly increasing, unused index bytes zero. This
//!   also bounds the number of hints by omega.
//!
//! A wrong length is [`Error::InvalidInput`] (it says the expected size); a
//! signature of the right length that fails a check is
//! [`Error::VerificationFailed`], with no detail, like any invalid
//! signature.
//!
//! Ed25519's public-data checks (lengths, `S < L`, canonical encodings)
//! stay in one place, pqshift's own code in the `dalek` provider crate, in
//! front of ed25519-dalek's `verify_strict`; it is the only Ed25519
//! provider. The placeholder MAC has no public data to check.

use pqshift_provider_api::{check_len, AlgorithmId, Error, Result};

/// The FIPS 204 parameters the gate needs (Table 1 and Table 2).
#[derive(Debug, Clone, Copy)]
struct MlDsaParams {
    /// k: rows of A, polynomials in the hint.
    k: usize,
    /// l: polynomials in z.
    l: usize,
    /// gamma1 as a power of two: 17 or 19.
    gamma1_bits: u32,
    /// beta = tau * eta.
    beta: u32,
    /// omega: the maximum number of hints.
    omega: usize,
    /// The length of c~ (lambda / 4 bytes).
    c_tilde: usize,
    public_key_len: usize,
    signature_len: usize,
}

const ML_DSA_44: MlDsaParams = MlDsaParams {
    k: 4,
    l: 4,
    gamma1_bits: 17,
    beta: 78,
    omega: 80,
    c_tilde: 32,
    public_key_len: 1312,
    signature_len: 2420,
};

const ML_DSA_65: MlDsaParams = MlDsaParams {
    k: 6,
    l: 5,
    gamma1_bits: 19,
    beta: 196,
    omega: 55,
    c_tilde: 48,
    public_key_len: 1952,
    signature_len: 3309,
};

const ML_DSA_87: MlDsaParams = MlDsaParams {
    k: 8,
    l: 7,
    gamma1_bits: 19,
    beta: 120,
    omega: 75,
    c_tilde: 64,
    public_key_len: 2592,
    signature_len: 4627,
};

/// The table is checked when it is compiled: the lengths follow from the
/// other parameters (FIPS 204 Table 2), so a typo fails the build.
const _: () = {
    const fn consistent(p: MlDsaParams) -> bool {
        let z_bits = p.gamma1_bits as usize + 1;
        p.signature_len == p.c_tilde + p.l * 32 * z_bits + p.omega + p.k
            && p.public_key_len == 32 + p.k * 320
    }
    assert!(consistent(ML_DSA_44));
    assert!(consistent(ML_DSA_65));
    assert!(consistent(ML_DSA_87));
};

fn ml_dsa_params(alg: AlgorithmId) -> Option<MlDsaParams> {
    match alg {
        AlgorithmId::MlDsa44 => Some(ML_DSA_44),
        AlgorithmId::MlDsa65 => Some(ML_DSA_65),
        AlgorithmId::MlDsa87 => Some(ML_DSA_87),
        _ => None,
    }
}

/// Checks what the standard lets a verifier check of `signature` (and the
/// public key it will be verified under) without the verification
/// equation. `Ok(())` means "may be valid: ask the provider".
///
/// [`PublicKey::verify_raw`](crate::PublicKey::verify_raw) calls it before
/// every provider; it is public for benchmarks and for callers that want to
/// screen stored signatures cheaply (it never says "valid").
pub fn check(alg: AlgorithmId, public_key: &[u8], signature: &[u8]) -> Result<()> {
    match ml_dsa_params(alg) {
        Some(p) => check_ml_dsa(alg, p, public_key, signature),
        None => Ok(()),
    }
}

fn check_ml_dsa(alg: AlgorithmId, p: MlDsaParams, public_key: &[u8], sig: &[u8]) -> Result<()> {
    check_len(alg, "public key", p.public_key_len, public_key)?;
    check_len(alg, "signature", p.signature_len, sig)?;
    let z_len = p.l * 32 * (p.gamma1_bits as usize + 1);
    let z = sig
        .get(p.c_tilde..p.c_tilde + z_len)
        .ok_or_else(|| Error::Internal("ML-DSA signature layout".into()))?;
    let hint = sig
        .get(p.c_tilde + z_len..)
        .ok_or_else(|| Error::Internal("ML-DSA signature layout".into()))?;
    let z_ok = match p.gamma1_bits {
        17 => z_within_bound::<18, 9>(z, p),
        _ => z_within_bound::<20, 10>(z, p),
    };
    if !z_ok || !hint_well_formed(hint, p.k, p.omega) {
        return Err(Error::VerificationFailed);
    }
    Ok(())
}

/// sigDecode's z part and the norm bound. Each coefficient is stored as
/// v = gamma1 - z in `BITS` bits (BitPack, Algorithm 17, little-endian bit
/// order); |z| < gamma1 - beta  <=>  beta < v < 2 gamma1 - beta.
/// Branch-free over the whole of z, four coefficients (`CHUNK` = 4 * BITS
/// / 8 bytes) at a time: the input is public, but a constant amount of work
/// keeps the cost small and predictable (it is benchmarked against
/// verification itself).
fn z_within_bound<const BITS: u32, const CHUNK: usize>(z: &[u8], p: MlDsaParams) -> bool {
    let gamma1 = 1u32 << p.gamma1_bits;
    let low = p.beta + 1; // smallest allowed v
    let span = 2 * gamma1 - 2 * p.beta - 1; // allowed: low <= v < low + span
    let mask = (1u64 << BITS) - 1;
    let chunks = z.chunks_exact(CHUNK);
    if !chunks.remainder().is_empty() {
        return false;
    }
    let mut bad = 0u32;
    for c in chunks {
        let mut w = [0u8; 16];
        w[..CHUNK].copy_from_slice(c);
        let x = u128::from_le_bytes(w);
        for i in 0..4 {
            let v = ((x >> (i * BITS)) as u64 & mask) as u32;
            // Outside [low, low + span) wraps to >= span.
            bad |= u32::from(v.wrapping_sub(low) >= span);
        }
    }
    bad == 0
}

/// HintBitUnpack (FIPS 204 Algorithm 21) without building h: true when it
/// would not return "invalid". `y` is omega index bytes, then k cumulative
/// counts.
fn hint_well_formed(y: &[u8], k: usize, omega: usize) -> bool {
    if y.len() != omega + k {
        return false;
    }
    let (indices, counts) = y.split_at(omega);
    let mut index = 0usize;
    for &count in counts {
        let count = usize::from(count);
        if count < index || count > omega {
            return false;
        }
        let first = index;
        while index < count {
            if index > first && indices[index - 1] >= indices[index] {
                return false;
            }
            index += 1;
        }
    }
    indices[index..].iter().all(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use pqshift_provider_api::kat::mldsa_negative;

    fn all() -> [(AlgorithmId, MlDsaParams); 3] {
        [
            (AlgorithmId::MlDsa44, ML_DSA_44),
            (AlgorithmId::MlDsa65, ML_DSA_65),
            (AlgorithmId::MlDsa87, ML_DSA_87),
        ]
    }

    /// A signature whose z is all zero (v = gamma1) and with no hints: it
    /// passes the gate (it is not a valid signature, but nothing the gate
    /// checks is wrong with it).
    fn neutral(p: MlDsaParams) -> Vec<u8> {
        let mut sig = vec![0u8; p.signature_len];
        let bits = p.gamma1_bits + 1;
        let gamma1 = 1u64 << p.gamma1_bits;
        for i in 0..p.l * 256 {
            set_coefficient(&mut sig[p.c_tilde..], bits, i, gamma1);
        }
        sig
    }

    fn set_coefficient(z: &mut [u8], bits: u32, i: usize, v: u64) {
        for b in 0..bits as usize {
            let bit = i * bits as usize + b;
            let mask = 1u8 << (bit % 8);
            if (v >> b) & 1 == 1 {
                z[bit / 8] |= mask;
            } else {
                z[bit / 8] &= !mask;
            }
        }
    }

    #[test]
    fn neutral_signature_passes() {
        for (alg, p) in all() {
            let pk = vec![0u8; p.public_key_len];
            check(alg, &pk, &neutral(p)).unwrap();
        }
    }

    #[test]
    fn norm_bound_edges_at_every_position_class() {
        for (alg, p) in all() {
            let pk = vec![0u8; p.public_key_len];
            let bits = p.gamma1_bits + 1;
            let gamma1 = 1u64 << p.gamma1_bits;
            let bound = gamma1 - u64::from(p.beta); // |z| must be < bound
            for i in [0usize, 1, 2, 3, 4, 5, 255, 256, p.l * 256 - 1] {
                for (z, ok) in [
                    (bound as i64 - 1, true),
                    (-(bound as i64 - 1), true),
                    (bound as i64, false),
                    (-(bound as i64), false),
                    (gamma1 as i64, false),
                    (-(gamma1 as i64) + 1, false),
                ] {
                    let mut sig = neutral(p);
                    let v = (gamma1 as i64 - z) as u64;
                    set_coefficient(&mut sig[p.c_tilde..], bits, i, v);
                    let got = check(alg, &pk, &sig);
                    assert_eq!(got.is_ok(), ok, "{alg} coefficient {i} z = {z}: {got:?}");
                    if !ok {
                        assert!(matches!(got, Err(Error::VerificationFailed)));
                    }
                }
            }
            // The largest stored value (2^bits - 1, z = gamma1 - 2^bits + 1) too.
            let mut sig = neutral(p);
            set_coefficient(&mut sig[p.c_tilde..], bits, 7, (1 << bits) - 1);
            assert!(check(alg, &pk, &sig).is_err());
        }
    }

    #[test]
    fn hint_encodings() {
        let k = 4;
        let omega = 80;
        let mut y = vec![0u8; omega + k];
        assert!(hint_well_formed(&y, k, omega));
        // Polynomial 0: indices 3, 9; polynomial 2: index 1.
        y[0] = 3;
        y[1] = 9;
        y[2] = 1;
        y[omega..].copy_from_slice(&[2, 2, 3, 3]);
        assert!(hint_well_formed(&y, k, omega));
        let mut bad = y.clone();
        bad[0] = 9; // not strictly increasing
        assert!(!hint_well_formed(&bad, k, omega));
        let mut bad = y.clone();
        bad[omega..].copy_from_slice(&[2, 1, 3, 3]); // count decreases
        assert!(!hint_well_formed(&bad, k, omega));
        let mut bad = y.clone();
        bad[10] = 1; // non-zero padding
        assert!(!hint_well_formed(&bad, k, omega));
        let mut bad = y.clone();
        bad[omega + 3] = omega as u8 + 1; // more than omega hints
        assert!(!hint_well_formed(&bad, k, omega));
        // A repeated index across polynomials is fine; within one it is not.
        let mut ok = vec![0u8; omega + k];
        ok[0] = 5;
        ok[1] = 5;
        ok[omega..].copy_from_slice(&[1, 2, 2, 2]);
        assert!(hint_well_formed(&ok, k, omega));
        ok[omega..].copy_from_slice(&[2, 2, 2, 2]);
        assert!(!hint_well_formed(&ok, k, omega));
        // Exactly omega hints, all used.
        let mut full = vec![0u8; omega + k];
        for (i, b) in full[..omega].iter_mut().enumerate() {
            *b = i as u8;
        }
        full[omega..].copy_from_slice(&[omega as u8; 4]);
        assert!(hint_well_formed(&full, k, omega));
    }

    #[test]
    fn lengths_are_invalid_input() {
        for (alg, p) in all() {
            let pk = vec![0u8; p.public_key_len];
            let sig = neutral(p);
            let short = check(alg, &pk, &sig[1..]);
            assert!(matches!(short, Err(Error::InvalidInput(_))), "{short:?}");
            let long = check(alg, &pk[1..], &sig);
            assert!(matches!(long, Err(Error::InvalidInput(_))), "{long:?}");
        }
    }

    #[test]
    fn rejects_the_negative_known_answers() {
        for (alg, _) in all() {
            let cases = mldsa_negative::cases(alg);
            assert_eq!(cases.len(), 2);
            for c in cases {
                assert!(
                    matches!(
                        check(alg, c.public_key, c.signature),
                        Err(Error::VerificationFailed)
                    ),
                    "{alg} {}",
                    c.name
                );
            }
        }
    }

    #[test]
    fn other_algorithms_pass_through() {
        check(AlgorithmId::Ed25519, &[0; 3], &[0; 5]).unwrap();
    }
}
