//! ML-DSA's preferred provider (`awslc`) signs hedged only. A deterministic
//! signature asked without naming a provider comes from the preferred
//! provider that offers it; with the provider named (by the caller or by
//! the configuration's `[sign] provider`), it is `Unsupported`, never a
//! silently random signature.
#![cfg(all(feature = "awslc", feature = "liboqs", feature = "rustcrypto"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::{AlgorithmId, ErrorKind, Policy, SecretKey, SignMode};

const ALGS: [AlgorithmId; 3] = [
    AlgorithmId::MlDsa44,
    AlgorithmId::MlDsa65,
    AlgorithmId::MlDsa87,
];

#[test]
fn awslc_is_preferred_and_hedged_only() {
    for alg in ALGS {
        assert_eq!(
            pqshift::registry::find(alg, None).unwrap().provider().id,
            "awslc"
        );
        assert!(!pqshift::capabilities(alg, None).unwrap().deterministic_sign);
        let reg = pqshift::signing_registration(alg, None, SignMode::Deterministic).unwrap();
        assert_eq!(reg.provider().id, "liboqs", "{alg}");
        let reg = pqshift::signing_registration(alg, None, SignMode::Hedged).unwrap();
        assert_eq!(reg.provider().id, "awslc", "{alg}");
        let reg =
            pqshift::signing_registration(alg, Some("awslc"), SignMode::Deterministic).unwrap();
        assert_eq!(reg.provider().id, "awslc", "{alg}");
    }
}

#[test]
fn unnamed_provider_delegates_deterministic_signing() {
    for alg in ALGS {
        let seed = [0x5a; 32];
        let key = SecretKey::from_seed(alg, &seed, None).unwrap();
        assert_eq!(key.provider().id, "awslc");
        assert!(!key.is_pinned());
        let sig = key
            .sign_with(b"message", b"ctx", SignMode::Deterministic)
            .unwrap();
        // FIPS 204's deterministic signature is one byte string: the same
        // from an independent implementation named explicitly.
        let rc = SecretKey::from_seed(alg, &seed, Some("rustcrypto")).unwrap();
        let expected = rc
            .sign_with(b"message", b"ctx", SignMode::Deterministic)
            .unwrap();
        assert_eq!(sig.as_raw(), expected.as_raw(), "{alg}");
        // Repeated: the delegated key is loaded once and gives the same bytes.
        let again = key
            .sign_with(b"message", b"ctx", SignMode::Deterministic)
            .unwrap();
        assert_eq!(again.as_raw(), sig.as_raw());
        key.verify(b"message", b"ctx", &sig).unwrap();
        // Hedged signing stays with awslc (two signatures differ).
        let h1 = key.sign(b"message", b"ctx").unwrap();
        let h2 = key.sign(b"message", b"ctx").unwrap();
        assert_ne!(h1.as_raw(), h2.as_raw());
    }
}

#[test]
fn named_provider_refuses_deterministic_signing() {
    for alg in ALGS {
        let key = SecretKey::from_seed(alg, &[1; 32], Some("awslc")).unwrap();
        assert!(key.is_pinned());
        let e = key
            .sign_with(b"m", b"", SignMode::Deterministic)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{alg}: {e}");
    }
}

#[test]
fn the_configuration_decides_under_a_policy() {
    let named =
        Policy::from_toml_str("[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"awslc\"\n").unwrap();
    let key = named.signing_key_from_seed(&[2; 32]).unwrap();
    let e = named
        .sign_with(&key, b"m", b"", SignMode::Deterministic)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
    named.sign_with(&key, b"m", b"", SignMode::Hedged).unwrap();

    let unnamed = Policy::from_toml_str("[sign]\nalgorithm = \"ml-dsa-65\"\n").unwrap();
    assert_eq!(unnamed.sign_choice().provider, "awslc");
    let key = unnamed.signing_key_from_seed(&[2; 32]).unwrap();
    let sig = unnamed
        .sign_with(&key, b"m", b"", SignMode::Deterministic)
        .unwrap();
    let liboqs = SecretKey::from_seed(AlgorithmId::MlDsa65, &[2; 32], Some("liboqs")).unwrap();
    let expected = liboqs
        .sign_with(b"m", b"", SignMode::Deterministic)
        .unwrap();
    assert_eq!(sig.as_raw(), expected.as_raw());
}
