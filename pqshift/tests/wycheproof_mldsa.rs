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
//! skipped fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::{registry, AlgorithmId, ErrorKind, Policy, PublicKey, Signature};
use pqshift_test_support::load_json;

struct Case {
    tc_id: u64,
    public_key: Vec<u8>,
    message: Vec<u8>,
    context: Vec<u8>,
    signature: Vec<u8>,
    valid: bool,
    /// Malformed input (lengths, context) rather than an invalid signature.
    malformed: bool,
}

/// (file, algorithm, cases, valid cases) — the counts the files hold.
const FILES: [(&str, AlgorithmId, usize, usize); 3] = [
    ("mldsa_44_verify_test.json", AlgorithmId::MlDsa44, 180, 77),
    ("mldsa_65_verify_test.json", AlgorithmId::MlDsa65, 210, 79),
    ("mldsa_87_verify_test.json", AlgorithmId::MlDsa87, 241, 71),
];

fn unhex(v: &serde_json::Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap_or("")).unwrap()
}

fn load(file: &str) -> Option<Vec<Case>> {
    let doc = load_json(&format!("wycheproof/testvectors_v1/{file}"))?;
    let mut out = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        let public_key = unhex(&group["publicKey"]);
        for t in group["tests"].as_array().unwrap() {
            let flags: Vec<&str> = t["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            let valid = match t["result"].as_str().unwrap() {
                "valid" => true,
                "invalid" => false,
                other => panic!("tcId {}: result {other}", t["tcId"]),
            };
            out.push(Case {
                tc_id: t["tcId"].as_u64().unwrap(),
                public_key: public_key.clone(),
                message: unhex(&t["msg"]),
                context: unhex(&t["ctx"]),
                signature: unhex(&t["sig"]),
                valid,
                malformed: !valid
                    && flags.iter().any(|f| {
                        matches!(
                            *f,
                            "IncorrectPublicKeyLength"
                                | "IncorrectSignatureLength"
                                | "InvalidContext"
                        )
                    }),
            });
        }
    }
    Some(out)
}

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

fn expected_kind(c: &Case) -> Option<ErrorKind> {
    if c.valid {
        None
    } else if c.malformed {
        Some(ErrorKind::InvalidInput)
    } else {
        Some(ErrorKind::VerificationFailed)
    }
}

/// Runs every file; `verdict` gives one case's result for (algorithm, provider).
fn run(
    label: &str,
    exact_kinds: bool,
    verdict: impl Fn(AlgorithmId, &str, &Case) -> pqshift::Result<()>,
) {
    let mut wrong = Vec::new();
    let mut ran = 0;
    for (file, alg, total, valid) in FILES {
        let Some(cases) = load(file) else { return };
        assert_eq!(cases.len(), total, "{file}");
        assert_eq!(cases.iter().filter(|c| c.valid).count(), valid, "{file}");
        for provider in providers(alg) {
            let mut right = 0;
            for c in &cases {
                let got = verdict(alg, provider, c);
                let ok = match (&got, expected_kind(c)) {
                    (Ok(()), None) => true,
                    (Err(e), Some(k)) => !exact_kinds || e.kind() == k,
                    _ => false,
                };
                if ok {
                    right += 1;
                } else {
                    wrong.push(format!("{provider} {file} tcId {}: got {got:?}", c.tc_id));
                }
            }
            ran += cases.len();
            eprintln!("{label}: {provider} {file}: {right}/{total} right");
        }
    }
    assert!(
        wrong.is_empty(),
        "{label}: {} wrong verdicts:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(ran >= 3 * 631, "{label}: only {ran} verdicts");
}

#[test]
fn every_provider_directly() {
    run("provider", false, |alg, provider, c| {
        let scheme = pqshift::signature_scheme(alg, Some(provider))?;
        let key = scheme.verifying_key(&c.public_key)?;
        key.verify(&c.message, &c.context, &c.signature)
    });
}

#[test]
fn every_provider_through_the_facade_key() {
    run("facade key", true, |alg, provider, c| {
        let key = PublicKey::from_raw(alg, &c.public_key, Some(provider))?;
        key.verify_raw(&c.message, &c.context, &c.signature)
    });
}

#[test]
fn every_provider_through_the_policy() {
    let policies: std::collections::HashMap<&str, Policy> = providers(AlgorithmId::MlDsa44)
        .into_iter()
        .map(|p| {
            let toml = format!(
                "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"{p}\"\n\
                 [verify]\naccept = [\"ml-dsa-44\", \"ml-dsa-65\", \"ml-dsa-87\"]\nprovider = \"{p}\"\n"
            );
            (p, Policy::from_toml_str(&toml).unwrap())
        })
        .collect();
    run("policy", true, |alg, provider, c| {
        let policy = &policies[provider];
        // The key loads through any provider; the policy verifies with its own.
        let key = PublicKey::from_raw(alg, &c.public_key, None)?;
        let sig = Signature::from_raw(alg, &c.signature)?;
        policy.verify(&key, &c.message, &c.context, &sig)
    });
}
