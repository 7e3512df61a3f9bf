//! The liboqs provider's contract, through its traits: FIPS 204's external
//! interface, contexts, lengths, encodings, errors, admission.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{err, kem, sig, ML_DSA, ML_KEM};
use pqshift_provider_api::{registry, AlgorithmId, Error, ErrorKind, SignMode};
use pqshift_provider_liboqs::{internal, liboqs_version, BACKEND_VERSION, PROVIDER};
use pqshift_test_support::wycheproof::{run_mldsa_verify, Verdict};

/// M' of FIPS 204 algorithm 2 (pure ML-DSA): 0x00 || len(ctx) || ctx || M.
fn m_prime(context: &[u8], message: &[u8]) -> Vec<u8> {
    let mut m = vec![0u8, context.len() as u8];
    m.extend_from_slice(context);
    m.extend_from_slice(message);
    m
}

#[test]
fn admission_passes_for_all_six() {
    for alg in ML_DSA.into_iter().chain(ML_KEM) {
        let _ = if alg.kind() == pqshift_provider_api::AlgorithmKind::Signature {
            sig(alg).algorithm()
        } else {
            kem(alg).algorithm()
        };
        let r = registry::find(alg, Some("liboqs")).unwrap();
        r.admit().unwrap();
        assert_eq!(r.self_test_result(), Some(&Ok(())));
        r.admitted().unwrap();
        let p = r.provider();
        assert_eq!((p.id, p.backend, p.preference), ("liboqs", "liboqs", 10));
        assert!(!p.insecure);
    }
}

#[test]
fn provider_info_reports_the_linked_liboqs() {
    assert_eq!(liboqs_version(), "0.13.0");
    assert_eq!(BACKEND_VERSION, "0.13.0 (oqs 0.11.0)");
    assert!(PROVIDER
        .backend_version
        .starts_with(&format!("{} ", liboqs_version())));
}

#[test]
fn capabilities() {
    for alg in ML_DSA {
        let c = sig(alg).capabilities();
        assert!(c.seeded_keygen && c.deterministic_sign && c.hedged_sign && c.context);
        assert!(!c.derandomized_encaps);
    }
    for alg in ML_KEM {
        let c = kem(alg).capabilities();
        assert!(c.seeded_keygen && c.derandomized_encaps);
        assert!(!c.deterministic_sign && !c.hedged_sign && !c.context);
    }
}

#[test]
fn deterministic_sign_is_sign_internal_of_m_prime_with_zero_rnd() {
    let long_message = vec![0x5a; 1000];
    for alg in ML_DSA {
        let key = sig(alg).signing_key_from_seed(&[0x11; 32]).unwrap();
        let sk = key.expanded_secret_key().unwrap();
        let vk = sig(alg).verifying_key(key.public_key()).unwrap();
        for context in [&b""[..], b"ctx", &[0xc7; 255][..]] {
            for message in [&b""[..], b"abc", &long_message[..]] {
                let s = key.sign(message, context, SignMode::Deterministic).unwrap();
                let want =
                    internal::sign_internal(alg, sk.expose(), &m_prime(context, message), &[0; 32])
                        .unwrap();
                assert_eq!(s, want, "{alg} ctx {} msg {}", context.len(), message.len());
                assert_eq!(
                    s,
                    key.sign(message, context, SignMode::Deterministic).unwrap()
                );
                vk.verify(message, context, &s).unwrap();
                internal::verify_internal(alg, key.public_key(), &m_prime(context, message), &s)
                    .unwrap();

                // Hedged: fresh each time, and also a valid FIPS 204 signature of M'.
                let h1 = key.sign(message, context, SignMode::Hedged).unwrap();
                let h2 = key.sign(message, context, SignMode::Hedged).unwrap();
                assert_ne!(h1, h2);
                assert_ne!(h1, s);
                vk.verify(message, context, &h1).unwrap();
                internal::verify_internal(alg, key.public_key(), &m_prime(context, message), &h2)
                    .unwrap();
            }
        }
    }
}

#[test]
fn context_of_256_bytes_is_invalid_on_sign_and_verify() {
    for alg in ML_DSA {
        let key = sig(alg).signing_key_from_seed(&[0x22; 32]).unwrap();
        let vk = sig(alg).verifying_key(key.public_key()).unwrap();
        let good = key.sign(b"m", &[1; 255], SignMode::Deterministic).unwrap();
        vk.verify(b"m", &[1; 255], &good).unwrap();
        for mode in [SignMode::Deterministic, SignMode::Hedged] {
            let e = key.sign(b"m", &[1; 256], mode).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("at most 255 bytes"), "{e}");
        }
        let e = vk.verify(b"m", &[1; 256], &good).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("got 256 bytes"), "{e}");
        // A context that is not the signer's fails verification.
        assert_eq!(
            vk.verify(b"m", &[1; 254], &good),
            Err(Error::VerificationFailed)
        );
        assert_eq!(vk.verify(b"m", b"", &good), Err(Error::VerificationFailed));
    }
}

#[test]
fn ml_dsa_wrong_lengths_are_invalid_input_saying_the_expected_size() {
    for alg in ML_DSA {
        let s = sig(alg);
        let z = alg.sizes();
        for n in [0usize, 31, 33, 64] {
            let e = err(s.signing_key_from_seed(&vec![1u8; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("must be 32 bytes long"), "{e}");
        }
        for n in [0, 1, z.public_key - 1, z.public_key + 1] {
            let e = err(s.verifying_key(&vec![1u8; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            let want = format!(
                "{alg} public key must be {} bytes long, got {n} bytes",
                z.public_key
            );
            assert!(e.to_string().contains(&want), "{e}");
        }
        let key = s.signing_key_from_seed(&[3; 32]).unwrap();
        let vk = s.verifying_key(key.public_key()).unwrap();
        let good = key.sign(b"m", b"", SignMode::Hedged).unwrap();
        for n in [0, 1, z.signature - 1, z.signature + 1, 2 * z.signature] {
            let mut bad = good.clone();
            bad.resize(n, 0);
            let e = vk.verify(b"m", b"", &bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "invalid input: {alg} signature must be {} bytes long, got {n} bytes",
                    z.signature
                )
            );
        }
        let e = err(s.signing_key_from_expanded(&vec![0u8; z.expanded_secret_key]));
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert!(e.to_string().contains("seed-form keys only"), "{e}");
        // The test-only internal interface checks lengths too.
        let e = internal::sign_internal(alg, &[0u8; 10], b"m", &[0; 32]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let e = internal::sign_internal(
            alg,
            key.expanded_secret_key().unwrap().expose(),
            b"m",
            &[0; 31],
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
    }
}

#[test]
fn ml_dsa_bit_flips_fail_verification_without_detail() {
    for alg in ML_DSA {
        let s = sig(alg);
        let key = s.signing_key_from_seed(&[4; 32]).unwrap();
        let vk = s.verifying_key(key.public_key()).unwrap();
        let good = key.sign(b"hello", b"ctx", SignMode::Hedged).unwrap();
        let n = good.len();
        for i in [0, 1, 31, 32, n / 2, n - 100, n - 2, n - 1] {
            for bit in [0x01u8, 0x80] {
                let mut bad = good.clone();
                bad[i] ^= bit;
                let e = vk.verify(b"hello", b"ctx", &bad).unwrap_err();
                assert_eq!(e, Error::VerificationFailed, "{alg} byte {i} bit {bit:#x}");
                assert_eq!(e.to_string(), "signature verification failed");
            }
        }
        assert_eq!(
            vk.verify(b"hellO", b"ctx", &good),
            Err(Error::VerificationFailed)
        );
        let mut pk = key.public_key().to_vec();
        pk[40] ^= 1;
        let other = s.verifying_key(&pk).unwrap();
        assert_eq!(
            other.verify(b"hello", b"ctx", &good),
            Err(Error::VerificationFailed)
        );
        // Garbage of the right length: rejected, never a panic.
        for fill in [0x00u8, 0xff, 0x5a] {
            assert_eq!(
                vk.verify(b"hello", b"ctx", &vec![fill; n]),
                Err(Error::VerificationFailed)
            );
        }
    }
}

#[test]
fn ml_dsa_keys_round_trip_through_the_seed() {
    for alg in ML_DSA {
        let s = sig(alg);
        let key = s.generate().unwrap();
        let again = s
            .signing_key_from_seed(key.seed().unwrap().expose())
            .unwrap();
        assert_eq!(key.public_key(), again.public_key());
        assert!(key
            .expanded_secret_key()
            .unwrap()
            .ct_eq(again.expanded_secret_key().unwrap().expose()));
        assert_eq!(
            key.expanded_secret_key().unwrap().len(),
            alg.sizes().expanded_secret_key
        );
        let sig_ = key.sign(b"x", b"", SignMode::Deterministic).unwrap();
        assert_eq!(
            sig_,
            again.sign(b"x", b"", SignMode::Deterministic).unwrap()
        );
    }
}

#[test]
fn ml_kem_wrong_lengths_are_invalid_input_saying_the_expected_size() {
    for alg in ML_KEM {
        let s = kem(alg);
        let z = alg.sizes();
        for n in [0usize, 32, 63, 65] {
            let e = err(s.decapsulation_key_from_seed(&vec![1u8; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("must be 64 bytes long"), "{e}");
        }
        for n in [0, z.public_key - 1, z.public_key + 1] {
            let e = err(s.encapsulation_key(&vec![0u8; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            let want = format!("must be {} bytes long, got {n} bytes", z.public_key);
            assert!(e.to_string().contains(&want), "{e}");
        }
        let dk = s.decapsulation_key_from_seed(&[5; 64]).unwrap();
        let ek = s.encapsulation_key(dk.encapsulation_key()).unwrap();
        for n in [0usize, 31, 33] {
            let e = ek.encapsulate_derand(&vec![0u8; n]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("must be 32 bytes long"), "{e}");
        }
        let (ct, _) = ek.encapsulate().unwrap();
        for n in [0, 1, z.ciphertext - 1, z.ciphertext + 1] {
            let mut bad = ct.clone();
            bad.resize(n, 0);
            let e = dk.decapsulate(&bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            let want = format!(
                "{alg} ciphertext must be {} bytes long, got {n} bytes",
                z.ciphertext
            );
            assert!(e.to_string().contains(&want), "{e}");
        }
        let e = err(s.decapsulation_key_from_expanded(&vec![0u8; z.expanded_secret_key]));
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert!(e.to_string().contains("seed-form keys only"), "{e}");
    }
}

/// Sets 12-bit coefficient `i` of an encoded ek to `value`.
fn set_coefficient(ek: &mut [u8], i: usize, value: u16) {
    let b = &mut ek[3 * (i / 2)..3 * (i / 2) + 3];
    if i.is_multiple_of(2) {
        b[0] = (value & 0xff) as u8;
        b[1] = (b[1] & 0xf0) | ((value >> 8) as u8 & 0x0f);
    } else {
        b[1] = (b[1] & 0x0f) | (((value & 0x0f) as u8) << 4);
        b[2] = (value >> 4) as u8;
    }
}

#[test]
fn ml_kem_ek_with_a_coefficient_not_below_q_is_invalid_input() {
    for alg in ML_KEM {
        let s = kem(alg);
        let dk = s.decapsulation_key_from_seed(&[6; 64]).unwrap();
        let good = dk.encapsulation_key().to_vec();
        let coefficients = (good.len() - 32) * 2 / 3;
        for i in [0, 1, coefficients / 2, coefficients - 1] {
            for value in [3329u16, 3330, 4095] {
                let mut bad = good.clone();
                set_coefficient(&mut bad, i, value);
                let e = err(s.encapsulation_key(&bad));
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{alg} coefficient {i}");
                assert!(e.to_string().contains("modulus check"), "{e}");
            }
            let mut edge = good.clone();
            set_coefficient(&mut edge, i, 3328);
            s.encapsulation_key(&edge).unwrap();
        }
        // rho (the last 32 bytes) may be anything.
        let mut rho = good.clone();
        let n = rho.len();
        rho[n - 32..].fill(0xff);
        s.encapsulation_key(&rho).unwrap().encapsulate().unwrap();
    }
}

/// What liboqs itself does with an unreduced ek (recorded, not relied on:
/// the provider checks before calling it).
#[test]
fn liboqs_itself_refuses_an_unreduced_ek() {
    let k = oqs::kem::Kem::new(oqs::kem::Algorithm::MlKem768).unwrap();
    let (pk, _) = k.keypair().unwrap();
    let mut bad = pk.into_vec();
    set_coefficient(&mut bad, 0, 4095);
    assert!(k
        .encapsulate(k.public_key_from_bytes(&bad).unwrap())
        .is_err());
}

#[test]
fn ml_kem_round_trip_and_implicit_rejection() {
    for alg in ML_KEM {
        let s = kem(alg);
        let dk = s.generate().unwrap();
        let again = s
            .decapsulation_key_from_seed(dk.seed().unwrap().expose())
            .unwrap();
        assert_eq!(dk.encapsulation_key(), again.encapsulation_key());
        let ek = s.encapsulation_key(dk.encapsulation_key()).unwrap();
        let (ct, k) = ek.encapsulate().unwrap();
        let (ct2, k2) = ek.encapsulate().unwrap();
        assert_ne!(ct, ct2);
        assert!(!k.ct_eq(k2.expose()));
        assert!(dk.decapsulate(&ct).unwrap().ct_eq(k.expose()));
        assert!(again.decapsulate(&ct2).unwrap().ct_eq(k2.expose()));
        // Derandomized encapsulation is deterministic.
        let (c1, k1) = ek.encapsulate_derand(&[9; 32]).unwrap();
        let (c2, k2) = ek.encapsulate_derand(&[9; 32]).unwrap();
        assert_eq!(c1, c2);
        assert!(k1.ct_eq(k2.expose()));
        // Modified ciphertexts: a key, not an error; the same one each time; not k.
        for i in [0, ct.len() / 2, ct.len() - 1] {
            let mut bad = ct.clone();
            bad[i] ^= 0x10;
            let r1 = dk.decapsulate(&bad).unwrap();
            let r2 = dk.decapsulate(&bad).unwrap();
            assert!(r1.ct_eq(r2.expose()));
            assert!(!r1.ct_eq(k.expose()));
            assert_eq!(r1.len(), 32);
        }
        for fill in [0u8, 0xff] {
            assert_eq!(dk.decapsulate(&vec![fill; ct.len()]).unwrap().len(), 32);
        }
    }
}

#[test]
fn other_algorithms_are_not_served() {
    let e = internal::sign_internal(AlgorithmId::Ed25519, &[], b"", &[0; 32]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    let _ = sig(AlgorithmId::MlDsa44);
    assert!(registry::find(AlgorithmId::Ed25519, Some("liboqs")).is_err());
}

/// Wycheproof `mldsa_{44,65,87}_verify_test.json` through the liboqs
/// provider directly (not pqshift's verification gate): every verdict must
/// be the file's. A wrong-length public key or signature and a context over
/// 255 bytes are [`ErrorKind::InvalidInput`]; any other invalid signature is
/// [`Error::VerificationFailed`]. This is what catches a verifier that
/// skips a FIPS 204 check (liboqs 0.13's AVX2 ML-DSA code accepts z-norm
/// violations: see providers/liboqs/README.md).
#[test]
fn wycheproof_ml_dsa_verify_every_verdict_right() {
    run_mldsa_verify("liboqs directly", true, |alg, c| {
        let alg = AlgorithmId::parse(alg).unwrap();
        match sig(alg)
            .verifying_key(&c.public_key)
            .and_then(|vk| vk.verify(&c.message, &c.context, &c.signature))
        {
            Ok(()) => Verdict::Accepted,
            Err(Error::VerificationFailed) => Verdict::Rejected,
            Err(e) if e.kind() == ErrorKind::InvalidInput => Verdict::Malformed,
            Err(e) => Verdict::Other(e.to_string()),
        }
    });
}

/// The AVX2 ML-DSA code is compiled out of liboqs (see
/// providers/liboqs/cmake/liboqs-no-avx2-mldsa.cmake); ML-KEM keeps its
/// x86_64 code, used when the CPU has what liboqs checks for.
#[test]
fn variants_ml_dsa_is_ref_only_and_ml_kem_keeps_its_x86_64_code() {
    for alg in ML_DSA {
        let v = sig(alg).variant();
        eprintln!("{alg}: {v:?}");
        assert_eq!(v.compiled, ["ref"], "{alg}: {v:?}");
        assert_eq!(v.active, "ref", "{alg}: {v:?}");
        #[cfg(target_arch = "x86_64")]
        assert!(v.note.contains("AVX2 ML-DSA compiled out"), "{alg}: {v:?}");
    }
    for alg in ML_KEM {
        let v = kem(alg).variant();
        eprintln!("{alg}: {v:?}");
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(v.compiled, ["ref", "avx2"], "{alg}: {v:?}");
            let cpu = std::is_x86_feature_detected!("avx2")
                && std::is_x86_feature_detected!("bmi2")
                && std::is_x86_feature_detected!("popcnt");
            assert_eq!(v.active, if cpu { "avx2" } else { "ref" }, "{alg}: {v:?}");
        }
        assert!(v.compiled.contains(&v.active), "{alg}: {v:?}");
        assert!(!v.note.is_empty());
    }
}

#[test]
fn self_test_sets_name_the_acvp_cases_and_the_negative_known_answers() {
    for (alg, tc) in [
        (AlgorithmId::MlDsa44, 1),
        (AlgorithmId::MlDsa65, 26),
        (AlgorithmId::MlDsa87, 51),
    ] {
        let sets = sig(alg).self_test_sets();
        assert!(
            sets.iter()
                .any(|s| s.starts_with(&format!("positive: ACVP ML-DSA keyGen tcId {tc} "))),
            "{alg}: {sets:?}"
        );
        let negative = pqshift_provider_api::kat::mldsa_negative::set_names(alg);
        assert_eq!(negative.len(), 2, "{alg}");
        for n in &negative {
            assert!(sets.contains(n), "{alg}: {n} missing from {sets:?}");
        }
        assert!(sets.iter().any(|s| s.contains("z infinity-norm violation")));
    }
    for (alg, tc) in [
        (AlgorithmId::MlKem512, 1),
        (AlgorithmId::MlKem768, 26),
        (AlgorithmId::MlKem1024, 51),
    ] {
        let sets = kem(alg).self_test_sets();
        for want in [
            format!("positive: ACVP ML-KEM keyGen tcId {tc} "),
            format!("positive: ACVP ML-KEM encapDecap tcId {tc} "),
        ] {
            assert!(sets.iter().any(|s| s.starts_with(&want)), "{alg}: {sets:?}");
        }
    }
}

/// The negative known answers, on their own: liboqs' verifier must reject
/// each one (the self-test runs them before the provider is admitted).
#[test]
fn negative_known_answers_are_rejected() {
    for alg in ML_DSA {
        pqshift_provider_api::kat::mldsa_negative::check(sig(alg)).unwrap();
    }
}
