//! The insecure placeholder's contract: framing, contexts, lengths, errors,
//! int seeds, redaction and registration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{
    registry, seed_from_u64, AlgorithmId, Error, ErrorKind, Implementation, MacKeyOps, MacScheme,
    Scheme,
};
use pqshift_provider_placeholder::{
    hmac_sha256, key_from_u64, InsecureTestKey, PLACEHOLDER, PROVIDER,
};

const KEY: [u8; 32] = [0x5a; 32];

/// The error of a result whose success type (a boxed key) has no `Debug`.
fn err<T>(r: pqshift_provider_api::Result<T>) -> Error {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

fn framed(ctx: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut v = vec![0x00, u8::try_from(ctx.len()).unwrap()];
    v.extend_from_slice(ctx);
    v.extend_from_slice(msg);
    v
}

#[test]
fn tag_is_hmac_over_the_fips204_framing() {
    let key = PLACEHOLDER.key_from_seed(&KEY).unwrap();
    for ctx in [&b""[..], b"a", b"context", &[0xffu8; 255]] {
        for msg in [&b""[..], b"message", &[0u8; 1000]] {
            let tag = key.tag(msg, ctx).unwrap();
            assert_eq!(tag, hmac_sha256(&KEY, &framed(ctx, msg)));
            key.verify(msg, ctx, &tag).unwrap();
        }
    }
    // The framing is not the bare message.
    assert_ne!(key.tag(b"m", b"").unwrap(), hmac_sha256(&KEY, b"m"));
}

#[test]
fn different_contexts_give_different_tags() {
    let key = PLACEHOLDER.key_from_seed(&KEY).unwrap();
    let a = key.tag(b"message", b"").unwrap();
    let b = key.tag(b"message", b"ctx-1").unwrap();
    let c = key.tag(b"message", b"ctx-2").unwrap();
    assert!(a != b && b != c && a != c);
    // The length byte keeps (ctx, msg) splits apart: ("ab", "c") vs ("a", "bc").
    assert_ne!(key.tag(b"c", b"ab").unwrap(), key.tag(b"bc", b"a").unwrap());
    assert_eq!(
        key.verify(b"message", b"ctx-2", &b),
        Err(Error::VerificationFailed)
    );
    assert_eq!(
        key.verify(b"message", b"", &b),
        Err(Error::VerificationFailed)
    );
}

#[test]
fn context_over_255_bytes_is_invalid_input_on_tag_and_verify() {
    let key = PLACEHOLDER.key_from_seed(&KEY).unwrap();
    let ctx = [0u8; 256];
    let e = key.tag(b"m", &ctx).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("insecure"), "{e}");
    assert!(e.to_string().contains("255"), "{e}");
    let tag = key.tag(b"m", b"").unwrap();
    let e = key.verify(b"m", &ctx, &tag).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    key.tag(b"m", &ctx[..255]).unwrap();
}

#[test]
fn wrong_tag_length_is_invalid_input_and_flipped_bit_fails() {
    let key = PLACEHOLDER.key_from_seed(&KEY).unwrap();
    let tag = key.tag(b"m", b"c").unwrap();
    assert_eq!(tag.len(), 32);
    for n in [0usize, 16, 31, 33, 64] {
        let mut t = tag.clone();
        t.resize(n, 0);
        let e = key.verify(b"m", b"c", &t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{n}");
        assert_eq!(
            e.to_string(),
            format!(
                "invalid input: insecure-test-hmac-sha256 tag must be 32 bytes long, got {n} bytes"
            )
        );
    }
    for i in [0usize, 13, 31] {
        for bit in [0x01u8, 0x80] {
            let mut t = tag.clone();
            t[i] ^= bit;
            let e = key.verify(b"m", b"c", &t).unwrap_err();
            assert_eq!(e, Error::VerificationFailed);
            assert_eq!(e.to_string(), "signature verification failed");
        }
    }
    assert_eq!(key.verify(b"M", b"c", &tag), Err(Error::VerificationFailed));
}

#[test]
fn wrong_key_length_is_invalid_input() {
    for n in [0usize, 16, 31, 33, 64] {
        let e = err(PLACEHOLDER.key_from_seed(&vec![1u8; n]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("insecure-test-hmac-sha256"), "{e}");
        assert!(e.to_string().contains("must be 32 bytes long"), "{e}");
    }
}

#[test]
fn key_from_u64_is_deterministic() {
    let a = key_from_u64(7);
    let b = key_from_u64(7);
    let c = key_from_u64(8);
    assert_eq!(a.seed().expose(), b.seed().expose());
    assert_ne!(a.seed().expose(), c.seed().expose());
    assert_eq!(
        a.seed().expose(),
        seed_from_u64(AlgorithmId::InsecureTestHmacSha256, 7).expose()
    );
    assert_eq!(a.seed().len(), 32);
    assert_eq!(a.tag(b"m", b"").unwrap(), b.tag(b"m", b"").unwrap());
    assert_ne!(a.tag(b"m", b"").unwrap(), c.tag(b"m", b"").unwrap());
    // The same key as loading that seed through the scheme.
    let loaded = PLACEHOLDER.key_from_seed(a.seed().expose()).unwrap();
    assert_eq!(loaded.tag(b"m", b"x").unwrap(), a.tag(b"m", b"x").unwrap());
    // Pinned: the documented expansion must not drift (SHA-256 of
    // "pqshift-int-seed-v1\0insecure-test-hmac-sha256\0" || 0u64 BE || 0x00).
    let zero = key_from_u64(0);
    assert_eq!(
        zero.seed().expose(),
        pqshift_test_support::unhex(
            "5ef7e1476616791c23db003af7d54f5847e10989392e37b5ca858a93375d219f"
        )
    );
}

#[test]
fn debug_is_redacted() {
    let key = InsecureTestKey::from_seed(&[0xab; 32]).unwrap();
    let d = format!("{key:?}");
    assert!(
        !d.to_lowercase().contains("ab, ") && !d.contains("abab"),
        "{d}"
    );
    assert!(!d.contains("171"), "{d}");
    assert!(d.contains("REDACTED"), "{d}");
    let boxed = PLACEHOLDER.key_from_seed(&[0xab; 32]).unwrap();
    let d = format!("{:?}", boxed.seed());
    assert!(d.contains("REDACTED") && !d.contains("ab"), "{d}");
}

#[test]
fn registered_and_admitted() {
    let r = registry::find(AlgorithmId::InsecureTestHmacSha256, Some("placeholder")).unwrap();
    assert_eq!(r.provider().id, "placeholder");
    r.admit().unwrap();
    assert_eq!(r.self_test_result(), Some(&Ok(())));
    assert!(matches!(r.admitted().unwrap(), Implementation::Mac(_)));
    let caps = r.capabilities();
    assert!(caps.seeded_keygen && caps.deterministic_sign && caps.context);
    assert!(!caps.hedged_sign && !caps.derandomized_encaps);
}

#[test]
fn says_insecure_everywhere() {
    assert!(PROVIDER.insecure);
    assert!(PROVIDER.description.contains("insecure"));
    assert!(PLACEHOLDER.algorithm().as_str().contains("insecure"));
    assert!(PLACEHOLDER.provider().insecure);
    PLACEHOLDER.self_test().unwrap();
}
