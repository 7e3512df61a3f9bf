//! The awslc provider through the pqshift traits: registration, admission,
//! capabilities, the ACVP keyGen and Wycheproof verification vectors,
//! contexts, lengths, expanded keys, errors, and a cross-check against
//! aws-lc-rs's safe API (same AWS-LC build).
//!
//! Expected values come from the external vectors in `../shared/vectors`
//! (absent: "skipped: vectors not found", a failure under `CI=true`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{
    registry, AlgorithmId, Capabilities, Error, ErrorKind, Implementation, SignMode,
    SignatureScheme, SigningKeyOps,
};
use pqshift_provider_awslc::{known_answers, BACKEND_VERSION, PROVIDER};
use pqshift_test_support::wycheproof::{run_mldsa_verify, Verdict};
use pqshift_test_support::{hex_field, load_json};

const DSA: [AlgorithmId; 3] = [
    AlgorithmId::MlDsa44,
    AlgorithmId::MlDsa65,
    AlgorithmId::MlDsa87,
];

fn scheme(a: AlgorithmId) -> &'static dyn SignatureScheme {
    match registry::find(a, Some("awslc"))
        .unwrap()
        .admitted()
        .unwrap()
    {
        Implementation::Signature(s) => s,
        other => panic!("{a}: {other:?}"),
    }
}

/// The error of a result whose success type (a boxed key) has no `Debug`.
fn err<T>(r: pqshift_provider_api::Result<T>) -> Error {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

fn signing_key(a: AlgorithmId) -> Box<dyn SigningKeyOps> {
    scheme(a).signing_key_from_seed(&[0x42; 32]).unwrap()
}

fn alg_of(parameter_set: &str) -> AlgorithmId {
    match parameter_set {
        "ML-DSA-44" => AlgorithmId::MlDsa44,
        "ML-DSA-65" => AlgorithmId::MlDsa65,
        "ML-DSA-87" => AlgorithmId::MlDsa87,
        other => panic!("unknown parameter set {other}"),
    }
}

#[test]
fn every_algorithm_is_registered_admitted_and_preferred() {
    for a in DSA {
        let reg = registry::find(a, Some("awslc")).unwrap();
        assert!(std::ptr::eq(reg.provider(), &PROVIDER));
        reg.admit().unwrap_or_else(|e| panic!("{a}: {e}"));
        assert_eq!(reg.self_test_result(), Some(&Ok(())));
        // The preferred ML-DSA provider of any build that links it.
        assert_eq!(registry::find(a, None).unwrap().provider().id, "awslc");
    }
    assert_eq!(
        (PROVIDER.id, PROVIDER.backend, PROVIDER.preference),
        ("awslc", "AWS-LC", 5)
    );
    assert!(!PROVIDER.insecure);
}

#[test]
fn backend_version_is_the_linked_one_and_the_locked_one() {
    // "AWS-LC 5.12.0"
    let linked = pqshift_provider_awslc::awslc_version();
    assert!(linked.starts_with("AWS-LC "), "{linked:?}");
    assert!(
        format!("AWS-LC {BACKEND_VERSION}").starts_with(&format!("{linked} ")),
        "{BACKEND_VERSION} vs {linked}"
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    for (name, version) in [("aws-lc-sys", "0.47.0"), ("aws-lc-rs", "1.19.0")] {
        let entry = format!("name = \"{name}\"\nversion = \"{version}\"");
        assert!(lock.contains(&entry), "Cargo.lock lacks {name} {version}");
        // Exactly one version of each: one AWS-LC in the build.
        assert_eq!(
            lock.matches(&format!("name = \"{name}\"\n")).count(),
            1,
            "{name}"
        );
    }
    assert!(BACKEND_VERSION.contains("aws-lc-sys 0.47.0"));
}

#[test]
fn capabilities_are_hedged_only_with_seeds_and_contexts() {
    for a in DSA {
        assert_eq!(
            scheme(a).capabilities(),
            Capabilities {
                seeded_keygen: true,
                deterministic_sign: false,
                hedged_sign: true,
                context: true,
                derandomized_encaps: false,
            }
        );
    }
}

#[test]
fn self_test_passes_and_names_its_sets() {
    for a in DSA {
        let s = scheme(a);
        s.self_test().unwrap_or_else(|e| panic!("{a}: {e}"));
        let sets = s.self_test_sets();
        assert!(sets
            .iter()
            .any(|l| l.starts_with("positive: ACVP ML-DSA keyGen tcId")));
        for n in pqshift_provider_api::kat::mldsa_negative::set_names(a) {
            assert!(sets.contains(&n), "{a}: {n} missing from {sets:?}");
        }
        let v = s.variant();
        eprintln!("{a}: {v:?}; self-test sets: {sets:#?}");
        assert!(v.compiled.contains(&v.active), "{v:?}");
        assert!(v.note.starts_with("aws-lc"), "{v:?}");
    }
}

/// The self-test's embedded digests are those of the ACVP file's values.
#[test]
fn self_test_known_answers_come_from_the_acvp_file() {
    use aws_lc_rs::digest::{digest, SHA256};
    let Some(v) = load_json("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json") else {
        return;
    };
    let tests: Vec<&serde_json::Value> = v["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["tests"].as_array().unwrap())
        .collect();
    for (tc, seed, pk_sha, sk_sha) in known_answers() {
        let t = tests
            .iter()
            .find(|t| t["tcId"].as_u64() == Some(u64::from(tc)))
            .unwrap_or_else(|| panic!("tcId {tc} not in the file"));
        assert_eq!(hex_field(t, "seed"), seed, "tcId {tc}");
        assert_eq!(
            digest(&SHA256, &hex_field(t, "pk")).as_ref(),
            pk_sha,
            "tcId {tc}"
        );
        assert_eq!(
            digest(&SHA256, &hex_field(t, "sk")).as_ref(),
            sk_sha,
            "tcId {tc}"
        );
    }
}

#[test]
fn acvp_keygen_all_75() {
    let Some(v) = load_json("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json") else {
        return;
    };
    let mut n = 0;
    for g in v["testGroups"].as_array().unwrap() {
        let a = alg_of(g["parameterSet"].as_str().unwrap());
        for t in g["tests"].as_array().unwrap() {
            let tc = &t["tcId"];
            let key = scheme(a)
                .signing_key_from_seed(&hex_field(t, "seed"))
                .unwrap();
            assert_eq!(
                key.public_key(),
                hex_field(t, "pk").as_slice(),
                "{a} tcId {tc}"
            );
            assert_eq!(
                key.expanded_secret_key().unwrap().expose(),
                hex_field(t, "sk").as_slice(),
                "{a} tcId {tc}"
            );
            assert_eq!(
                key.seed().unwrap().expose(),
                hex_field(t, "seed").as_slice()
            );
            // The ACVP expanded key loads (validated) to the same public key.
            let expanded = scheme(a)
                .signing_key_from_expanded(&hex_field(t, "sk"))
                .unwrap();
            assert_eq!(expanded.public_key(), hex_field(t, "pk").as_slice());
            assert!(expanded.seed().is_none());
            n += 1;
        }
    }
    assert_eq!(n, 75);
}

/// Wycheproof `mldsa_{44,65,87}_verify_test.json` through the provider
/// directly: every verdict right, with exact error kinds.
#[test]
fn wycheproof_verify_every_verdict_right() {
    run_mldsa_verify("awslc directly", true, |a, c| {
        let a = AlgorithmId::parse(a).unwrap();
        match scheme(a)
            .verifying_key(&c.public_key)
            .and_then(|vk| vk.verify(&c.message, &c.context, &c.signature))
        {
            Ok(()) => Verdict::Accepted,
            Err(Error::VerificationFailed) => Verdict::Rejected,
            Err(Error::InvalidInput(_)) => Verdict::Malformed,
            Err(e) => Verdict::Other(e.to_string()),
        }
    });
}

#[test]
fn contexts_of_0_1_255_bytes_round_trip_and_256_is_refused() {
    for a in DSA {
        let key = signing_key(a);
        let vk = scheme(a).verifying_key(key.public_key()).unwrap();
        for len in [0usize, 1, 255] {
            let ctx = vec![0xa5; len];
            let sig = key.sign(b"message", &ctx, SignMode::Hedged).unwrap();
            assert_eq!(sig.len(), a.sizes().signature);
            vk.verify(b"message", &ctx, &sig)
                .unwrap_or_else(|e| panic!("{a} ctx {len}: {e}"));
            // Another context of the same length, or none, does not verify.
            let mut other = ctx.clone();
            if let Some(b) = other.first_mut() {
                *b ^= 1;
                assert_eq!(
                    vk.verify(b"message", &other, &sig),
                    Err(Error::VerificationFailed)
                );
                assert_eq!(
                    vk.verify(b"message", b"", &sig),
                    Err(Error::VerificationFailed)
                );
            }
        }
        let long = vec![0u8; 256];
        let e = key.sign(b"message", &long, SignMode::Hedged).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a}: {e}");
        let sig = key.sign(b"message", b"", SignMode::Hedged).unwrap();
        let e = vk.verify(b"message", &long, &sig).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a}: {e}");
    }
}

#[test]
fn hedged_signatures_differ_and_deterministic_is_unsupported() {
    for a in DSA {
        let key = signing_key(a);
        let s1 = key.sign(b"m", b"c", SignMode::Hedged).unwrap();
        let s2 = key.sign(b"m", b"c", SignMode::Hedged).unwrap();
        assert_ne!(s1, s2, "{a}");
        let e = key.sign(b"m", b"c", SignMode::Deterministic).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{a}: {e}");
    }
}

#[test]
fn wrong_lengths_are_invalid_input_naming_the_size() {
    for a in DSA {
        let s = scheme(a);
        let sizes = a.sizes();
        let e = err(s.signing_key_from_seed(&[0; 31]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("32 bytes"), "{e}");
        let e = err(s.verifying_key(&vec![0; sizes.public_key - 1]));
        assert!(e.to_string().contains(&sizes.public_key.to_string()), "{e}");
        let e = err(s.signing_key_from_expanded(&vec![0; sizes.expanded_secret_key + 1]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let key = signing_key(a);
        let vk = s.verifying_key(key.public_key()).unwrap();
        let sig = key.sign(b"m", b"", SignMode::Hedged).unwrap();
        for bad in [
            &sig[..sig.len() - 1],
            &[sig.as_slice(), &[0]].concat()[..],
            &[][..],
        ] {
            let e = vk.verify(b"m", b"", bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a}: {e}");
        }
        // Verification failure carries no detail.
        let mut flipped = sig.clone();
        flipped[0] ^= 1;
        assert_eq!(
            vk.verify(b"m", b"", &flipped),
            Err(Error::VerificationFailed)
        );
    }
}

#[test]
fn invalid_expanded_keys_are_refused() {
    for a in DSA {
        let key = signing_key(a);
        let good = key.expanded_secret_key().unwrap().expose().to_vec();
        // rho (public), K, tr, s1, t0: a change in tr, in s1 or in t0 is caught.
        let s1_start = 128;
        let t0_start = good.len()
            - 416
                * match a {
                    AlgorithmId::MlDsa44 => 4,
                    AlgorithmId::MlDsa65 => 6,
                    _ => 8,
                };
        for at in [64, 64 + 63, s1_start, t0_start, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            let e = err(scheme(a).signing_key_from_expanded(&bad));
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a} byte {at}: {e}");
        }
        // s1 coefficients out of [-eta, eta]: all-ones bytes encode eta - 15 or eta - 7.
        let mut bad = good.clone();
        bad[s1_start..s1_start + 32].fill(0xff);
        let e = err(scheme(a).signing_key_from_expanded(&bad));
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a}: {e}");
        // The good one loads, signs, and its signatures verify.
        let k = scheme(a).signing_key_from_expanded(&good).unwrap();
        let sig = k.sign(b"m", b"ctx", SignMode::Hedged).unwrap();
        scheme(a)
            .verifying_key(key.public_key())
            .unwrap()
            .verify(b"m", b"ctx", &sig)
            .unwrap();
    }
}

#[test]
fn debug_shows_no_secret() {
    let key = pqshift_provider_awslc::ML_DSA_65
        .load_seed(&[0x42; 32])
        .unwrap();
    let text = format!("{key:?}");
    let seed_hex: String = [0x42u8; 32].iter().map(|b| format!("{b:02x}")).collect();
    assert!(!text.contains(&seed_hex), "{text}");
    assert!(!text.contains("66, 66, 66"), "{text}");
    assert!(text.contains("ml-dsa-65"), "{text}");
}

/// Signatures cross-verify with aws-lc-rs's safe API (empty context, which
/// is all it offers), in both directions, and seeded keys agree.
#[test]
fn cross_check_with_aws_lc_rs() {
    use aws_lc_rs::signature::{
        KeyPair, PqdsaKeyPair, UnparsedPublicKey, ML_DSA_44, ML_DSA_44_SIGNING, ML_DSA_65,
        ML_DSA_65_SIGNING, ML_DSA_87, ML_DSA_87_SIGNING,
    };
    for (a, signing, verifying) in [
        (AlgorithmId::MlDsa44, &ML_DSA_44_SIGNING, &ML_DSA_44),
        (AlgorithmId::MlDsa65, &ML_DSA_65_SIGNING, &ML_DSA_65),
        (AlgorithmId::MlDsa87, &ML_DSA_87_SIGNING, &ML_DSA_87),
    ] {
        let seed = [7u8; 32];
        let theirs = PqdsaKeyPair::from_seed(signing, &seed).unwrap();
        let ours = scheme(a).signing_key_from_seed(&seed).unwrap();
        assert_eq!(theirs.public_key().as_ref(), ours.public_key(), "{a}");
        let sig = ours.sign(b"cross", b"", SignMode::Hedged).unwrap();
        UnparsedPublicKey::new(verifying, ours.public_key())
            .verify(b"cross", &sig)
            .unwrap();
        let mut their_sig = vec![0u8; signing.signature_len()];
        theirs.sign(b"cross", &mut their_sig).unwrap();
        scheme(a)
            .verifying_key(ours.public_key())
            .unwrap()
            .verify(b"cross", b"", &their_sig)
            .unwrap();
    }
}

/// Keys and verifiers are shared across threads.
#[test]
fn concurrent_use_of_one_key() {
    let key = std::sync::Arc::new(signing_key(AlgorithmId::MlDsa44));
    let vk = std::sync::Arc::new(
        scheme(AlgorithmId::MlDsa44)
            .verifying_key(key.public_key())
            .unwrap(),
    );
    let handles: Vec<_> = (0..4u8)
        .map(|i| {
            let (key, vk) = (key.clone(), vk.clone());
            std::thread::spawn(move || {
                for j in 0..20u8 {
                    let msg = [i, j];
                    let sig = key.sign(&msg, &[i], SignMode::Hedged).unwrap();
                    vk.verify(&msg, &[i], &sig).unwrap();
                    assert_eq!(
                        vk.verify(&msg, &[i ^ 1], &sig),
                        Err(Error::VerificationFailed)
                    );
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
