//! Negative known answers for ML-DSA verifiers: signatures every conforming
//! FIPS 204 verifier must reject, fed to each ML-DSA provider's self-test.
//!
//! A positive self-test cannot see a verifier that skips a check: the
//! signatures it makes itself are well-formed. These cases are built so
//! that *only* the skipped check rejects them (the challenge hash matches),
//! which is how liboqs 0.13's AVX2 verifier was seen to accept signatures
//! whose z breaks the norm bound. Per parameter set:
//!
//! - a z infinity-norm violation (FIPS 204 Algorithm 8, line 13:
//!   ||z||inf < gamma1 - beta), and
//! - a malformed hint encoding (Algorithm 21, HintBitUnpack: the indices
//!   of a polynomial must be strictly increasing).
//!
//! Source: C2SP/wycheproof `testvectors_v1/mldsa_{44,65,87}_verify_test.json`
//! (Apache-2.0), the named `tcId`s copied verbatim (public key, message,
//! signature; empty context) into `src/kat/wycheproof/*.hex`.

use crate::kat::hex;
use crate::{AlgorithmId, Error, Result, SignatureScheme};

/// One signature that must not verify.
#[derive(Debug)]
pub struct NegativeCase {
    /// What it breaks and where it comes from, for error messages and audit reports.
    pub name: &'static str,
    /// The public key (standard encoding).
    pub public_key: &'static [u8],
    /// The message.
    pub message: &'static [u8],
    /// The context string.
    pub context: &'static [u8],
    /// The signature (standard encoding).
    pub signature: &'static [u8],
}

macro_rules! case {
    ($name:literal, $p:literal, $tc:literal, $pk:literal, $msg:literal, $sig:literal) => {
        NegativeCase {
            name: $name,
            public_key: &hex::<$pk>(include_str!(concat!(
                "wycheproof/mldsa",
                $p,
                "-tc",
                $tc,
                "-pk.hex"
            ))),
            message: &hex::<$msg>(include_str!(concat!(
                "wycheproof/mldsa",
                $p,
                "-tc",
                $tc,
                "-msg.hex"
            ))),
            context: &[],
            signature: &hex::<$sig>(include_str!(concat!(
                "wycheproof/mldsa",
                $p,
                "-tc",
                $tc,
                "-sig.hex"
            ))),
        }
    };
}

static ML_DSA_44: [NegativeCase; 2] = [
    case!(
        "z infinity-norm violation (Wycheproof mldsa_44_verify tcId 81)",
        "44",
        "81",
        1312,
        47,
        2420
    ),
    case!(
        "hint indices out of order (Wycheproof mldsa_44_verify tcId 15)",
        "44",
        "15",
        1312,
        32,
        2420
    ),
];

static ML_DSA_65: [NegativeCase; 2] = [
    case!(
        "z infinity-norm violation (Wycheproof mldsa_65_verify tcId 84)",
        "65",
        "84",
        1952,
        47,
        3309
    ),
    case!(
        "hint indices out of order (Wycheproof mldsa_65_verify tcId 16)",
        "65",
        "16",
        1952,
        32,
        3309
    ),
];

static ML_DSA_87: [NegativeCase; 2] = [
    case!(
        "z infinity-norm violation (Wycheproof mldsa_87_verify tcId 77)",
        "87",
        "77",
        2592,
        47,
        4627
    ),
    case!(
        "hint indices out of order (Wycheproof mldsa_87_verify tcId 18)",
        "87",
        "18",
        2592,
        32,
        4627
    ),
];

/// The negative cases for an ML-DSA parameter set (empty for other algorithms).
pub fn cases(alg: AlgorithmId) -> &'static [NegativeCase] {
    match alg {
        AlgorithmId::MlDsa44 => &ML_DSA_44,
        AlgorithmId::MlDsa65 => &ML_DSA_65,
        AlgorithmId::MlDsa87 => &ML_DSA_87,
        _ => &[],
    }
}

/// One line per negative case, for [`Scheme::self_test_sets`](crate::Scheme::self_test_sets).
pub fn set_names(alg: AlgorithmId) -> Vec<String> {
    cases(alg)
        .iter()
        .map(|c| format!("negative: {}", c.name))
        .collect()
}

/// Feeds every negative case for `scheme`'s algorithm to its verifier
/// (directly, not through pqshift's verification gate). A provider that
/// accepts one, or fails in any other way than rejecting it, fails its
/// self-test with an error naming the case.
pub fn check(scheme: &dyn SignatureScheme) -> Result<()> {
    let alg = scheme.algorithm();
    for case in cases(alg) {
        let verdict = scheme
            .verifying_key(case.public_key)
            .and_then(|vk| vk.verify(case.message, case.context, case.signature));
        match verdict {
            // Rejected: as invalid, or as malformed.
            Err(Error::VerificationFailed) | Err(Error::InvalidInput(_)) => {}
            Ok(()) => {
                return Err(Error::Provider(format!(
                    "negative known answer accepted: {alg} {} verified as valid",
                    case.name
                )))
            }
            Err(e) => {
                return Err(Error::Provider(format!(
                    "negative known answer {alg} {}: expected a rejected signature, got: {e}",
                    case.name
                )))
            }
        }
    }
    Ok(())
}
