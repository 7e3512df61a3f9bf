//! Cross-verification between the two independent ML-DSA / ML-KEM
//! providers, liboqs and pqclean (PQClean through the pqcrypto crates),
//! through the facade's scheme lookup, for every parameter set:
//!
//! - a signature made by either verifies in the other, with and without a
//!   context; a tampered one, or the wrong context, fails in both;
//! - liboqs's expanded ML-DSA secret key (from a seed) loads into pqclean,
//!   which recomputes the same public key and signs what liboqs verifies;
//! - liboqs's expanded ML-KEM decapsulation key loads into pqclean; a
//!   ciphertext made by either side for the other's encapsulation key
//!   decapsulates to the same shared secret (liboqs refuses expanded keys by
//!   design, so a pqclean-generated key is checked by liboqs encapsulating
//!   to it);
//! - a pqclean key survives the facade's tagged expanded form.
//!
//! Needs the `liboqs` and `pqclean` features (both in `default`).
#![cfg(all(feature = "liboqs", feature = "pqclean"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::{
    kem_scheme, seed_from_u64, signature_scheme, AlgorithmId, ErrorKind, ObjectKind, SecretKey,
    SignMode,
};

const DSA: [AlgorithmId; 3] = [
    AlgorithmId::MlDsa44,
    AlgorithmId::MlDsa65,
    AlgorithmId::MlDsa87,
];
const KEM: [AlgorithmId; 3] = [
    AlgorithmId::MlKem512,
    AlgorithmId::MlKem768,
    AlgorithmId::MlKem1024,
];
const CONTEXTS: [&[u8]; 3] = [b"", b"pqshift cross test", &[0xa5; 255]];

fn kind<T>(r: pqshift::Result<T>) -> ErrorKind {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.kind(),
    }
}

#[test]
fn ml_dsa_signatures_verify_across_providers() {
    for alg in DSA {
        let oqs = signature_scheme(alg, Some("liboqs")).unwrap();
        let pqc = signature_scheme(alg, Some("pqclean")).unwrap();
        let oqs_key = oqs
            .signing_key_from_seed(seed_from_u64(alg, 1).expose())
            .unwrap();
        let pqc_key = pqc.generate().unwrap();
        for (signer, key, name) in [
            (oqs, &oqs_key, "liboqs -> pqclean"),
            (pqc, &pqc_key, "pqclean -> liboqs"),
        ] {
            let modes: &[SignMode] = if signer.capabilities().deterministic_sign {
                &[SignMode::Hedged, SignMode::Deterministic]
            } else {
                &[SignMode::Hedged]
            };
            let vks = [
                oqs.verifying_key(key.public_key()).unwrap(),
                pqc.verifying_key(key.public_key()).unwrap(),
            ];
            for ctx in CONTEXTS {
                for mode in modes {
                    let msg = format!("{alg} {name} {mode:?} ctx {}", ctx.len());
                    let sig = key.sign(msg.as_bytes(), ctx, *mode).unwrap();
                    let mut tampered = sig.clone();
                    tampered[sig.len() / 3] ^= 0x10;
                    for vk in &vks {
                        vk.verify(msg.as_bytes(), ctx, &sig)
                            .unwrap_or_else(|e| panic!("{msg}: {e}"));
                        assert_eq!(
                            kind(vk.verify(msg.as_bytes(), ctx, &tampered)),
                            ErrorKind::VerificationFailed,
                            "{msg}: tampered"
                        );
                        assert_eq!(
                            kind(vk.verify(msg.as_bytes(), b"another context", &sig)),
                            ErrorKind::VerificationFailed,
                            "{msg}: wrong context"
                        );
                        assert_eq!(
                            kind(vk.verify(b"another message", ctx, &sig)),
                            ErrorKind::VerificationFailed,
                            "{msg}: wrong message"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn liboqs_expanded_ml_dsa_keys_load_into_pqclean() {
    for alg in DSA {
        let oqs = signature_scheme(alg, Some("liboqs")).unwrap();
        let pqc = signature_scheme(alg, Some("pqclean")).unwrap();
        for n in 0..3u64 {
            let oqs_key = oqs
                .signing_key_from_seed(seed_from_u64(alg, n).expose())
                .unwrap();
            let expanded = oqs_key
                .expanded_secret_key()
                .expect("liboqs exports the expanded key");
            let pqc_key = pqc.signing_key_from_expanded(expanded.expose()).unwrap();
            assert_eq!(pqc_key.public_key(), oqs_key.public_key(), "{alg} seed {n}");
            let sig = pqc_key
                .sign(b"signed by pqclean", b"ctx", SignMode::Hedged)
                .unwrap();
            oqs.verifying_key(oqs_key.public_key())
                .unwrap()
                .verify(b"signed by pqclean", b"ctx", &sig)
                .unwrap();
        }
        // liboqs refuses expanded keys by design: pqclean's keys go the other way only.
        let pqc_key = pqc.generate().unwrap();
        assert_eq!(
            kind(oqs.signing_key_from_expanded(pqc_key.expanded_secret_key().unwrap().expose())),
            ErrorKind::Unsupported
        );
    }
}

#[test]
fn ml_kem_shared_secrets_agree_across_providers() {
    for alg in KEM {
        let oqs = kem_scheme(alg, Some("liboqs")).unwrap();
        let pqc = kem_scheme(alg, Some("pqclean")).unwrap();

        // One key pair, held by both: liboqs from a seed, pqclean from liboqs's expanded dk.
        let oqs_dk = oqs
            .decapsulation_key_from_seed(seed_from_u64(alg, 1).expose())
            .unwrap();
        let expanded = oqs_dk
            .expanded_secret_key()
            .expect("liboqs exports the expanded key");
        let pqc_dk = pqc
            .decapsulation_key_from_expanded(expanded.expose())
            .unwrap();
        assert_eq!(
            pqc_dk.encapsulation_key(),
            oqs_dk.encapsulation_key(),
            "{alg}"
        );
        let ek = oqs_dk.encapsulation_key();
        for (encapsulator, name) in [(oqs, "liboqs"), (pqc, "pqclean")] {
            for _ in 0..3 {
                let (ct, ss) = encapsulator
                    .encapsulation_key(ek)
                    .unwrap()
                    .encapsulate()
                    .unwrap();
                let a = oqs_dk.decapsulate(&ct).unwrap();
                let b = pqc_dk.decapsulate(&ct).unwrap();
                assert!(
                    a.ct_eq(ss.expose()),
                    "{alg}: {name} ciphertext, liboqs decapsulation"
                );
                assert!(
                    b.ct_eq(ss.expose()),
                    "{alg}: {name} ciphertext, pqclean decapsulation"
                );
                // A modified ciphertext gives the same implicit-rejection key in both.
                let mut bad = ct.clone();
                bad[0] ^= 1;
                let (ra, rb) = (
                    oqs_dk.decapsulate(&bad).unwrap(),
                    pqc_dk.decapsulate(&bad).unwrap(),
                );
                assert!(ra.ct_eq(rb.expose()), "{alg}: implicit rejection agrees");
                assert!(!ra.ct_eq(ss.expose()));
            }
        }

        // A pqclean-generated key: liboqs encapsulates to it, pqclean decapsulates.
        let pqc_dk = pqc.generate().unwrap();
        let (ct, ss) = oqs
            .encapsulation_key(pqc_dk.encapsulation_key())
            .unwrap()
            .encapsulate()
            .unwrap();
        assert!(pqc_dk.decapsulate(&ct).unwrap().ct_eq(ss.expose()), "{alg}");
        assert_eq!(
            kind(
                oqs.decapsulation_key_from_expanded(pqc_dk.expanded_secret_key().unwrap().expose())
            ),
            ErrorKind::Unsupported
        );
    }
}

/// A pqclean key has no seed: the facade stores its expanded form, marked
/// as such, and loads it back with the same fingerprint.
#[test]
fn pqclean_keys_round_trip_through_the_tagged_expanded_form() {
    for alg in DSA {
        let key = SecretKey::generate(alg, Some("pqclean")).unwrap();
        assert!(key.seed().is_none());
        let tagged = key.to_tagged().unwrap();
        assert_eq!(tagged.kind(), ObjectKind::SecretExpanded);
        let again = SecretKey::from_tagged(&tagged, Some("pqclean")).unwrap();
        assert_eq!(again.fingerprint(), key.fingerprint());
        let sig = again.sign(b"record", b"").unwrap();
        key.public_key()
            .unwrap()
            .verify(b"record", b"", &sig)
            .unwrap();
        // liboqs, by design, does not take the expanded form.
        assert_eq!(
            kind(SecretKey::from_tagged(&tagged, Some("liboqs"))),
            ErrorKind::Unsupported
        );
    }
}
