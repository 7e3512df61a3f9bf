//! The dalek Ed25519 provider's contract: contexts, lengths, encodings,
//! errors, key handling and registration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{
    registry, AlgorithmId, Error, ErrorKind, Implementation, Scheme, SignMode, SignatureScheme,
};
use pqshift_provider_dalek::{DalekSigningKey, ED25519, PROVIDER};

const SEED: [u8; 32] = [0x42; 32];

/// The error of a result whose success type (a boxed key) has no `Debug`.
fn err<T>(r: pqshift_provider_api::Result<T>) -> Error {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

fn signed() -> (Box<dyn pqshift_provider_api::SigningKeyOps>, Vec<u8>) {
    let key = ED25519.signing_key_from_seed(&SEED).unwrap();
    let sig = key.sign(b"hello", b"", SignMode::Deterministic).unwrap();
    (key, sig)
}

#[test]
fn non_empty_context_is_unsupported_on_sign_and_verify() {
    let (key, sig) = signed();
    let e = key
        .sign(b"hello", b"ctx", SignMode::Deterministic)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.to_string().contains("takes no context"), "{e}");
    assert!(e.to_string().contains("RFC 8032"), "{e}");
    let vk = ED25519.verifying_key(key.public_key()).unwrap();
    let e = vk.verify(b"hello", b"ctx", &sig).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    // Over 255 bytes is malformed for every algorithm, checked first.
    let e = vk.verify(b"hello", &[0u8; 256], &sig).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    vk.verify(b"hello", b"", &sig).unwrap();
}

#[test]
fn wrong_lengths_are_invalid_input_saying_the_expected_size() {
    for n in [0usize, 31, 33, 64] {
        let e = err(ED25519.signing_key_from_seed(&vec![1u8; n]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("must be 32 bytes long"), "{e}");
        let e = err(ED25519.verifying_key(&vec![1u8; n]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(
            e.to_string().contains("public key must be 32 bytes long"),
            "{e}"
        );
    }
    let (key, sig) = signed();
    let vk = ED25519.verifying_key(key.public_key()).unwrap();
    for n in [0usize, 63, 65, 128] {
        let mut s = sig.clone();
        s.resize(n, 0);
        let e = vk.verify(b"hello", b"", &s).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert_eq!(
            e.to_string(),
            format!("invalid input: ed25519 signature must be 64 bytes long, got {n} bytes")
        );
    }
}

#[test]
fn flipped_bits_fail_verification_without_detail() {
    let (key, sig) = signed();
    let vk = ED25519.verifying_key(key.public_key()).unwrap();
    for i in [0usize, 17, 31, 32, 50, 63] {
        let mut bad = sig.clone();
        bad[i] ^= 0x04;
        let e = vk.verify(b"hello", b"", &bad).unwrap_err();
        assert_eq!(e, Error::VerificationFailed, "byte {i}");
        assert_eq!(e.to_string(), "signature verification failed");
    }
    assert_eq!(
        vk.verify(b"hellO", b"", &sig),
        Err(Error::VerificationFailed)
    );
    let other = ED25519.signing_key_from_seed(&[7u8; 32]).unwrap();
    let vk2 = ED25519.verifying_key(other.public_key()).unwrap();
    assert_eq!(
        vk2.verify(b"hello", b"", &sig),
        Err(Error::VerificationFailed)
    );
}

#[test]
fn malleated_s_is_rejected() {
    // S + L verifies under a verifier that reduces S; the rule must not.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let (key, sig) = signed();
    let vk = ED25519.verifying_key(key.public_key()).unwrap();
    let mut m = sig.clone();
    let mut carry = 0u16;
    for (b, l) in m[32..].iter_mut().zip(L) {
        let s = u16::from(*b) + u16::from(l) + carry;
        *b = s as u8;
        carry = s >> 8;
    }
    assert_eq!(carry, 0);
    assert_eq!(vk.verify(b"hello", b"", &m), Err(Error::VerificationFailed));
}

#[test]
fn invalid_public_keys_are_invalid_input() {
    // Not a curve point: find one deterministically (about half of all y are not).
    let off_curve = (2u8..=255)
        .map(|y| {
            let mut pk = [0u8; 32];
            pk[0] = y;
            pk
        })
        .find(|pk| {
            matches!(ED25519.verifying_key(pk), Err(Error::InvalidInput(m)) if m.contains("not a valid curve point"))
        });
    assert!(off_curve.is_some(), "some small y must be off the curve");

    // Non-canonical y: y = p (the encoding of y = 0) and y = p + 1 (of y = 1).
    let mut p = [0xffu8; 32];
    p[31] = 0x7f;
    p[0] = 0xed;
    let mut p1 = p;
    p1[0] = 0xee;
    for pk in [p, p1] {
        let e = err(ED25519.verifying_key(&pk));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("canonical"), "{e}");
    }

    // Small order: the identity (y = 1), its x-sign-bit twin, and -1 (y = p - 1).
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut identity_signed = identity;
    identity_signed[31] = 0x80;
    let mut minus_one = p;
    minus_one[0] = 0xec;
    for pk in [identity, identity_signed, minus_one] {
        let e = err(ED25519.verifying_key(&pk));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("small order"), "{e}");
    }
}

#[test]
fn identity_key_cannot_be_used_to_forge() {
    // With A = identity, R = identity and S = 0 satisfy the equation for
    // every message; the key is refused before verification.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert!(ED25519.verifying_key(&identity).is_err());
}

#[test]
fn modes_agree_and_keys_roundtrip() {
    let key = ED25519.signing_key_from_seed(&SEED).unwrap();
    let a = key.sign(b"m", b"", SignMode::Deterministic).unwrap();
    let b = key.sign(b"m", b"", SignMode::Hedged).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.len(), 64);
    assert_eq!(key.seed().unwrap().expose(), &SEED);
    let fresh = ED25519.generate().unwrap();
    let s = fresh.sign(b"x", b"", SignMode::Hedged).unwrap();
    ED25519
        .verifying_key(fresh.public_key())
        .unwrap()
        .verify(b"x", b"", &s)
        .unwrap();
    assert_ne!(fresh.public_key(), key.public_key());
}

#[test]
fn debug_never_prints_the_seed() {
    let seed = [0xabu8; 32];
    let key = DalekSigningKey::from_seed(&seed).unwrap();
    let d = format!("{key:?}");
    assert!(!d.contains("abab"), "{d}");
    assert!(!d.contains("171, 171"), "{d}");
    assert!(d.contains("REDACTED"), "{d}");
    let boxed = ED25519.signing_key_from_seed(&seed).unwrap();
    let d = format!("{:?}", boxed.seed().unwrap());
    assert!(!d.contains("ab"), "{d}");
}

#[test]
fn registered_and_admitted() {
    let r = registry::find(AlgorithmId::Ed25519, Some("dalek")).unwrap();
    assert_eq!(r.algorithm(), AlgorithmId::Ed25519);
    assert_eq!(r.provider().id, "dalek");
    r.admit().unwrap();
    assert_eq!(r.self_test_result(), Some(&Ok(())));
    assert!(matches!(
        r.admitted().unwrap(),
        Implementation::Signature(_)
    ));
    let caps = r.capabilities();
    assert!(caps.seeded_keygen && caps.deterministic_sign);
    assert!(!caps.hedged_sign && !caps.context && !caps.derandomized_encaps);
}

#[test]
fn provider_info() {
    assert_eq!(ED25519.algorithm(), AlgorithmId::Ed25519);
    assert_eq!(ED25519.provider().id, "dalek");
    assert_eq!(PROVIDER.backend, "ed25519-dalek");
    assert!(PROVIDER.backend_version.starts_with("2."));
    assert!(!PROVIDER.insecure);
    ED25519.self_test().unwrap();
}
