//! The Wycheproof ML-DSA verification vectors
//! (`wycheproof/testvectors_v1/mldsa_{44,65,87}_verify_test.json`, 631
//! cases) against every linked provider that serves ML-DSA, twice:
//!
//! - **directly**, through the provider's own `SignatureScheme` (no pqshift
//!   gate in front): each provider must get every verdict right by itself;
//! - **through the facade**, as applications call it: a configuration that
//!   names the provider, `Policy::verify` on a tagged signature, and
//!   `PublicKey::verify_raw`; here the error kinds are exact as well: a
//!   wrong length or a context over 255 bytes is `InvalidInput`, every
//!   other invalid signature `VerificationFailed`.
//!
//! Expected verdicts come from the files' `result` fields; the counts per
//! file are asserted exactly, so a file that shrinks or a provider that is
//! skipped fails the test (`pqshift_test_support::wycheproof`, shared with
//! the providers' own suites).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::{registry, AlgorithmId, ErrorKind, Policy, PublicKey, Signature};
use pqshift_test_support::wycheproof::{run_mldsa_verify, Verdict, MLDSA_VERIFY_FILES};

fn providers(alg: AlgorithmId) -> Vec<&'static str> {
    let ids: Vec<&'static str> = registry::providers_for(alg)
        .iter()
        .map(|r| r.provider().id)
        .collect();
    for required in ["liboqs", "pqclean", "rustcrypto"] {
        assert!(
            ids.contains(&required),
            "{alg}: {required} not linked: {ids:?}"
        );
    }
    ids
}

/// Every ML-DSA provider (the same set for the three parameter sets).
fn all_providers() -> Vec<&'static str> {
    let ids = providers(AlgorithmId::MlDsa44);
    for (alg, ..) in MLDSA_VERIFY_FILES {
        assert_eq!(providers(AlgorithmId::parse(alg).unwrap()), ids, "{alg}");
    }
    ids
}

fn verdict(r: pqshift::Result<()>) -> Verdict {
    match r {
        Ok(()) => Verdict::Accepted,
        Err(e) => match e.kind() {
            ErrorKind::VerificationFailed => Verdict::Rejected,
            ErrorKind::InvalidInput => Verdict::Malformed,
            _ => Verdict::Other(e.to_string()),
        },
    }
}

fn alg(id: &str) -> AlgorithmId {
    AlgorithmId::parse(id).unwrap()
}

#[test]
fn every_provider_directly() {
    for p in all_providers() {
        run_mldsa_verify(&format!("{p} directly"), false, |a, c| {
            verdict(
                pqshift::signature_scheme(alg(a), Some(p))
                    .and_then(|s| s.verifying_key(&c.public_key))
                    .and_then(|k| k.verify(&c.message, &c.context, &c.signature)),
            )
        });
    }
}

#[test]
fn every_provider_through_the_facade_key() {
    for p in all_providers() {
        run_mldsa_verify(&format!("{p} facade key"), true, |a, c| {
            verdict(
                PublicKey::from_raw(alg(a), &c.public_key, Some(p))
                    .and_then(|k| k.verify_raw(&c.message, &c.context, &c.signature)),
            )
        });
    }
}

#[test]
fn every_provider_through_the_policy() {
    for p in all_providers() {
        let policy = Policy::from_toml_str(&format!(
            "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"{p}\"\n\
             [verify]\naccept = [\"ml-dsa-44\", \"ml-dsa-65\", \"ml-dsa-87\"]\nprovider = \"{p}\"\n"
        ))
        .unwrap();
        run_mldsa_verify(&format!("{p} policy"), true, |a, c| {
            // The key loads through any provider; the policy verifies with its own.
            verdict(
                PublicKey::from_raw(alg(a), &c.public_key, None).and_then(|key| {
                    let sig = Signature::from_raw(alg(a), &c.signature)?;
                    policy.verify(&key, &c.message, &c.context, &sig)
                }),
            )
        });
    }
}
