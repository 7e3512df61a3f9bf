//! The rustcrypto provider's contract through the pqshift traits:
//! registration, admission, capabilities, the FIPS 204 external interface,
//! contexts, lengths, encodings, errors and expanded keys.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{
    registry, AlgorithmId, Capabilities, DecapsulationKeyOps, Error, ErrorKind, Implementation,
    KemScheme, SignMode, SignatureScheme, SigningKeyOps,
};
use pqshift_provider_rustcrypto::{internal, ML_DSA_VERSION, ML_KEM_VERSION, PROVIDER};

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

fn signature(a: AlgorithmId) -> &'static dyn SignatureScheme {
    match registry::find(a, Some("rustcrypto"))
        .unwrap()
        .admitted()
        .unwrap()
    {
        Implementation::Signature(s) => s,
        other => panic!("{a}: {other:?}"),
    }
}

fn kem(a: AlgorithmId) -> &'static dyn KemScheme {
    match registry::find(a, Some("rustcrypto"))
        .unwrap()
        .admitted()
        .unwrap()
    {
        Implementation::Kem(k) => k,
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
    signature(a).signing_key_from_seed(&[0x42; 32]).unwrap()
}

fn decapsulation_key(a: AlgorithmId) -> Box<dyn DecapsulationKeyOps> {
    kem(a).decapsulation_key_from_seed(&[0x24; 64]).unwrap()
}

#[test]
fn every_algorithm_is_registered_and_admitted() {
    for a in DSA.into_iter().chain(KEM) {
        let reg = registry::find(a, Some("rustcrypto")).unwrap();
        assert!(std::ptr::eq(reg.provider(), &PROVIDER));
        reg.admit().unwrap_or_else(|e| panic!("{a}: {e}"));
        assert_eq!(reg.self_test_result(), Some(&Ok(())));
    }
    assert_eq!(PROVIDER.id, "rustcrypto");
    assert_eq!(PROVIDER.preference, 30);
    assert!(!PROVIDER.insecure);
    assert_eq!(PROVIDER.backend, "RustCrypto ml-dsa / ml-kem");
    assert!(PROVIDER.backend_version.contains(ML_DSA_VERSION));
    assert!(PROVIDER.backend_version.contains(ML_KEM_VERSION));
}

#[test]
fn backend_versions_match_the_lock_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) else {
        eprintln!("skipped: no Cargo.lock");
        return;
    };
    for (name, version) in [("ml-dsa", ML_DSA_VERSION), ("ml-kem", ML_KEM_VERSION)] {
        let entry = format!("name = \"{name}\"\nversion = \"{version}\"");
        assert!(
            lock.contains(&entry),
            "Cargo.lock does not pin {name} {version}"
        );
    }
}

#[test]
fn capabilities_are_declared_honestly() {
    for a in DSA {
        assert_eq!(
            signature(a).capabilities(),
            Capabilities {
                seeded_keygen: true,
                deterministic_sign: true,
                hedged_sign: true,
                context: true,
                derandomized_encaps: false,
            }
        );
    }
    for a in KEM {
        assert_eq!(
            kem(a).capabilities(),
            Capabilities {
                seeded_keygen: true,
                deterministic_sign: false,
                hedged_sign: false,
                context: false,
                derandomized_encaps: true,
            }
        );
    }
}

#[test]
fn deterministic_signing_is_the_fips_204_external_interface() {
    for a in DSA {
        let key = signing_key(a);
        for ctx in [&b""[..], b"ctx", &[0xAB; 255]] {
            let msg = b"message to sign";
            let sig = key.sign(msg, ctx, SignMode::Deterministic).unwrap();
            assert_eq!(sig.len(), a.sizes().signature);
            // M' = 0x00 || len(ctx) || ctx || M, signed by Sign_internal with rnd = 0.
            let mut m_prime = vec![0u8, ctx.len() as u8];
            m_prime.extend_from_slice(ctx);
            m_prime.extend_from_slice(msg);
            let internal =
                internal::sign_internal_seed(a, &[0x42; 32], &m_prime, &[0; 32]).unwrap();
            assert_eq!(sig, internal, "{a} ctx {} bytes", ctx.len());
            assert_eq!(key.sign(msg, ctx, SignMode::Deterministic).unwrap(), sig);
            let vk = signature(a).verifying_key(key.public_key()).unwrap();
            vk.verify(msg, ctx, &sig).unwrap();
            internal::verify_internal(a, key.public_key(), &m_prime, &sig).unwrap();
        }
    }
}

#[test]
fn hedged_signatures_differ_and_verify() {
    for a in DSA {
        let key = signing_key(a);
        let s1 = key.sign(b"m", b"c", SignMode::Hedged).unwrap();
        let s2 = key.sign(b"m", b"c", SignMode::Hedged).unwrap();
        assert_ne!(s1, s2, "{a}: hedged signing drew no randomness");
        assert_ne!(s1, key.sign(b"m", b"c", SignMode::Deterministic).unwrap());
        let vk = signature(a).verifying_key(key.public_key()).unwrap();
        vk.verify(b"m", b"c", &s1).unwrap();
        vk.verify(b"m", b"c", &s2).unwrap();
        // SignMode::default() is hedged.
        let s3 = key.sign(b"m", b"c", SignMode::default()).unwrap();
        assert_ne!(s3, key.sign(b"m", b"c", SignMode::Deterministic).unwrap());
    }
}

#[test]
fn contexts_over_255_bytes_are_invalid_on_sign_and_verify() {
    for a in DSA {
        let key = signing_key(a);
        let sig = key.sign(b"m", b"", SignMode::Deterministic).unwrap();
        let vk = signature(a).verifying_key(key.public_key()).unwrap();
        for n in [256usize, 1000] {
            let ctx = vec![0u8; n];
            for mode in [SignMode::Deterministic, SignMode::Hedged] {
                let e = key.sign(b"m", &ctx, mode).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a}");
                assert!(e.to_string().contains("at most 255 bytes"), "{e}");
            }
            let e = vk.verify(b"m", &ctx, &sig).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a}");
        }
        // 255 is fine.
        let ctx = [1u8; 255];
        let sig = key.sign(b"m", &ctx, SignMode::Hedged).unwrap();
        vk.verify(b"m", &ctx, &sig).unwrap();
    }
}

#[test]
fn wrong_sizes_are_invalid_input_naming_the_expected_size() {
    for a in DSA {
        let s = signature(a);
        let sizes = a.sizes();
        for n in [0usize, 31, 33, 64] {
            let e = err(s.signing_key_from_seed(&vec![1; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("must be 32 bytes long"), "{e}");
        }
        for n in [0, sizes.public_key - 1, sizes.public_key + 1] {
            let e = err(s.verifying_key(&vec![1; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            let want = format!(
                "public key must be {} bytes long, got {n} bytes",
                sizes.public_key
            );
            assert!(e.to_string().contains(&want), "{e}");
        }
        let key = signing_key(a);
        let sig = key.sign(b"m", b"", SignMode::Deterministic).unwrap();
        let vk = s.verifying_key(key.public_key()).unwrap();
        for n in [0, sizes.signature - 1, sizes.signature + 1] {
            let mut bad = sig.clone();
            bad.resize(n, 0);
            let e = vk.verify(b"m", b"", &bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "invalid input: {a} signature must be {} bytes long, got {n} bytes",
                    sizes.signature
                )
            );
        }
    }
    for a in KEM {
        let k = kem(a);
        let sizes = a.sizes();
        for n in [0usize, 32, 63, 65] {
            let e = err(k.decapsulation_key_from_seed(&vec![1; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("must be 64 bytes long"), "{e}");
        }
        for n in [0, sizes.public_key - 1, sizes.public_key + 1] {
            let e = err(k.encapsulation_key(&vec![0; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            let want = format!("must be {} bytes long, got {n} bytes", sizes.public_key);
            assert!(e.to_string().contains(&want), "{e}");
        }
        for n in [
            0,
            sizes.expanded_secret_key - 1,
            sizes.expanded_secret_key + 1,
        ] {
            let e = err(k.decapsulation_key_from_expanded(&vec![0; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            let want = format!("must be {} bytes long", sizes.expanded_secret_key);
            assert!(e.to_string().contains(&want), "{e}");
        }
        let dk = decapsulation_key(a);
        for n in [0, sizes.ciphertext - 1, sizes.ciphertext + 1] {
            let e = dk.decapsulate(&vec![0; n]).unwrap_err();
            let want = format!(
                "ciphertext must be {} bytes long, got {n} bytes",
                sizes.ciphertext
            );
            assert!(e.to_string().contains(&want), "{e}");
        }
        let ek = k.encapsulation_key(dk.encapsulation_key()).unwrap();
        for n in [0usize, 31, 33] {
            let e = err(ek.encapsulate_derand(&vec![0; n]));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("must be 32 bytes long"), "{e}");
        }
    }
}

#[test]
fn flipped_bits_fail_verification_without_detail() {
    for a in DSA {
        let key = signing_key(a);
        let sig = key.sign(b"hello", b"ctx", SignMode::Deterministic).unwrap();
        let vk = signature(a).verifying_key(key.public_key()).unwrap();
        let n = sig.len();
        // c~, z (first and last byte), the hint indices and the hint counts.
        for i in [0usize, 17, 40, n / 2, n - 90, n - 10, n - 1] {
            let mut bad = sig.clone();
            bad[i] ^= 0x04;
            let e = vk.verify(b"hello", b"ctx", &bad).unwrap_err();
            assert_eq!(e, Error::VerificationFailed, "{a} byte {i}");
            assert_eq!(e.to_string(), "signature verification failed");
        }
        assert_eq!(
            vk.verify(b"hellO", b"ctx", &sig),
            Err(Error::VerificationFailed)
        );
        assert_eq!(
            vk.verify(b"hello", b"ctX", &sig),
            Err(Error::VerificationFailed)
        );
        assert_eq!(
            vk.verify(b"hello", b"", &sig),
            Err(Error::VerificationFailed)
        );
        // Another key.
        let other = signature(a).signing_key_from_seed(&[7; 32]).unwrap();
        let vk2 = signature(a).verifying_key(other.public_key()).unwrap();
        assert_eq!(
            vk2.verify(b"hello", b"ctx", &sig),
            Err(Error::VerificationFailed)
        );
        // All-zero and all-0xff signatures.
        for b in [0u8, 0xff] {
            let bad = vec![b; n];
            assert_eq!(
                vk.verify(b"hello", b"ctx", &bad),
                Err(Error::VerificationFailed)
            );
        }
    }
}

#[test]
fn kem_round_trip_and_implicit_rejection() {
    for a in KEM {
        let k = kem(a);
        let dk = decapsulation_key(a);
        let ek = k.encapsulation_key(dk.encapsulation_key()).unwrap();
        let (c, ss) = ek.encapsulate().unwrap();
        assert_eq!(c.len(), a.sizes().ciphertext);
        assert_eq!(ss.len(), 32);
        assert!(dk.decapsulate(&c).unwrap().ct_eq(ss.expose()));
        let (c2, ss2) = ek.encapsulate().unwrap();
        assert_ne!(c, c2, "{a}: encapsulation drew no randomness");
        assert!(!ss.ct_eq(ss2.expose()));
        // Derandomized encapsulation is deterministic.
        let (c3, ss3) = ek.encapsulate_derand(&[9; 32]).unwrap();
        let (c4, ss4) = ek.encapsulate_derand(&[9; 32]).unwrap();
        assert_eq!(c3, c4);
        assert!(ss3.ct_eq(ss4.expose()));
        // Implicit rejection: a key, not an error; stable; not the real key.
        let mut bad = c.clone();
        bad[5] ^= 0x10;
        let r1 = dk.decapsulate(&bad).unwrap();
        let r2 = dk.decapsulate(&bad).unwrap();
        assert!(r1.ct_eq(r2.expose()));
        assert!(!r1.ct_eq(ss.expose()));
    }
}

#[test]
fn encapsulation_keys_must_pass_the_modulus_check() {
    for a in KEM {
        let k = kem(a);
        let dk = decapsulation_key(a);
        let good = dk.encapsulation_key().to_vec();
        // Set the first coefficient to q = 3329 (0xD01), then to 4095.
        for (b0, b1_low) in [(0x01u8, 0x0du8), (0xff, 0x0f)] {
            let mut bad = good.clone();
            bad[0] = b0;
            bad[1] = (bad[1] & 0xf0) | b1_low;
            let e = err(k.encapsulation_key(&bad));
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a}");
            assert!(e.to_string().contains("modulus check"), "{e}");
        }
        // The second coefficient of the last pair before rho.
        let mut bad = good.clone();
        let end = 384 * (a.sizes().public_key - 32) / 384;
        bad[end - 1] = 0xff;
        assert_eq!(
            err(k.encapsulation_key(&bad)).kind(),
            ErrorKind::InvalidInput
        );
        // 3328 is fine; rho is not checked (any 32 bytes).
        let mut ok = good.clone();
        ok[0] = 0x00;
        ok[1] = (ok[1] & 0xf0) | 0x0d;
        k.encapsulation_key(&ok).unwrap();
        let mut ok = good.clone();
        let n = ok.len();
        ok[n - 1] ^= 0xff;
        k.encapsulation_key(&ok).unwrap();
    }
}

#[test]
fn ml_kem_expanded_keys_are_validated() {
    for a in KEM {
        let k = kem(a);
        let dk = decapsulation_key(a);
        let expanded = dk.expanded_secret_key().unwrap().expose().to_vec();
        assert_eq!(expanded.len(), a.sizes().expanded_secret_key);
        let loaded = k.decapsulation_key_from_expanded(&expanded).unwrap();
        assert_eq!(loaded.encapsulation_key(), dk.encapsulation_key());
        assert!(loaded.seed().is_none());
        assert!(loaded.expanded_secret_key().unwrap().ct_eq(&expanded));
        let (c, ss) = k
            .encapsulation_key(dk.encapsulation_key())
            .unwrap()
            .encapsulate()
            .unwrap();
        assert!(loaded.decapsulate(&c).unwrap().ct_eq(ss.expose()));

        let k_len = (a.sizes().public_key - 32) / 384;
        let dk_pke = 384 * k_len;
        let ek_end = dk_pke + a.sizes().public_key;
        // H(ek) check: a changed hash, or a changed ek, is refused.
        for i in [ek_end, ek_end + 31, dk_pke + 3, ek_end - 1] {
            let mut bad = expanded.clone();
            bad[i] ^= 0x01;
            let e = err(k.decapsulation_key_from_expanded(&bad));
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{a} byte {i}");
            assert!(e.to_string().contains("FIPS 203"), "{e}");
        }
        // ek modulus check inside the expanded key (even with a matching hash
        // the crate re-encodes and compares).
        let mut bad = expanded.clone();
        bad[dk_pke] = 0xff;
        bad[dk_pke + 1] |= 0x0f;
        assert_eq!(
            err(k.decapsulation_key_from_expanded(&bad)).kind(),
            ErrorKind::InvalidInput
        );
        // dk_PKE modulus check (ours).
        let mut bad = expanded.clone();
        bad[0] = 0xff;
        bad[1] |= 0x0f;
        let e = err(k.decapsulation_key_from_expanded(&bad));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("modulus check"), "{e}");
        // z is free: a changed z loads (and changes only the rejection key).
        let mut other_z = expanded.clone();
        let n = other_z.len();
        other_z[n - 1] ^= 0x80;
        let z_key = k.decapsulation_key_from_expanded(&other_z).unwrap();
        assert!(z_key.decapsulate(&c).unwrap().ct_eq(ss.expose()));
    }
}

#[test]
fn ml_dsa_expanded_keys_are_refused_as_unsupported() {
    for a in DSA {
        let key = signing_key(a);
        let expanded = key.expanded_secret_key().unwrap().expose().to_vec();
        assert_eq!(expanded.len(), a.sizes().expanded_secret_key);
        for input in [expanded.clone(), vec![0xff; expanded.len()], vec![]] {
            let e = err(signature(a).signing_key_from_expanded(&input));
            assert_eq!(e.kind(), ErrorKind::Unsupported, "{a}");
            assert!(e.to_string().contains("seed"), "{e}");
        }
    }
}

#[test]
fn ml_dsa_skdecode_in_the_crate_asserts_and_the_internal_path_guards_it() {
    // Documents ml-dsa 0.1.2: from_expanded panics on an s1 coefficient out
    // of [-eta, eta]. Our internal path checks the range first.
    use ml_dsa::{ExpandedSigningKey, ExpandedSigningKeyBytes, MlDsa44};
    let key = signing_key(AlgorithmId::MlDsa44);
    let mut bad = key.expanded_secret_key().unwrap().expose().to_vec();
    bad[128] = 0xff; // the first s1 coefficients become 7 - ... out of range
    let enc = ExpandedSigningKeyBytes::<MlDsa44>::try_from(&bad[..]).unwrap();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    #[allow(deprecated)]
    let caught = std::panic::catch_unwind(|| ExpandedSigningKey::<MlDsa44>::from_expanded(&enc));
    std::panic::set_hook(hook);
    assert!(
        caught.is_err(),
        "ml-dsa no longer panics here: revisit the expanded-key decision"
    );

    assert!(!internal::expanded_secret_in_range(
        AlgorithmId::MlDsa44,
        &bad
    ));
    let e =
        internal::sign_internal_expanded(AlgorithmId::MlDsa44, &bad, b"m", &[0; 32]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let good = key.expanded_secret_key().unwrap().expose().to_vec();
    for a in DSA {
        let k = signing_key(a);
        assert!(internal::expanded_secret_in_range(
            a,
            k.expanded_secret_key().unwrap().expose()
        ));
    }
    assert!(internal::expanded_secret_in_range(
        AlgorithmId::MlDsa44,
        &good
    ));
}

#[test]
fn keys_expose_seed_and_never_print_secrets() {
    for a in DSA {
        let key = signature(a).signing_key_from_seed(&[0xA5; 32]).unwrap();
        assert_eq!(key.seed().unwrap().expose(), &[0xA5; 32]);
        assert_eq!(key.public_key().len(), a.sizes().public_key);
        let generated = signature(a).generate().unwrap();
        assert_eq!(generated.seed().unwrap().len(), 32);
        assert_ne!(generated.public_key(), key.public_key());
    }
    for a in KEM {
        let dk = kem(a).decapsulation_key_from_seed(&[0xA5; 64]).unwrap();
        assert_eq!(dk.seed().unwrap().expose(), &[0xA5; 64]);
        let generated = kem(a).generate().unwrap();
        assert_ne!(generated.encapsulation_key(), dk.encapsulation_key());
    }
    let key =
        pqshift_provider_rustcrypto::MlDsaSigningKey::<ml_dsa::MlDsa65>::from_seed(&[0xA5; 32])
            .unwrap();
    let shown = format!("{key:?}");
    assert!(shown.contains("REDACTED"), "{shown}");
    assert!(!shown.to_lowercase().contains("a5a5a5"), "{shown}");
    let dk = pqshift_provider_rustcrypto::MlKemDecapsulationKey::<
        pqshift_provider_rustcrypto::Kem768,
    >::from_seed(&[0xA5; 64])
    .unwrap();
    let shown = format!("{dk:?}");
    assert!(!shown.to_lowercase().contains("a5a5a5"), "{shown}");
}

#[test]
fn ml_kem_crate_performs_the_ek_modulus_check_itself() {
    // Documents ml-kem 0.3.4: EncapsulationKey::new re-encodes and compares,
    // so our own check is a second line, not the only one.
    use ml_kem::{ml_kem_768::EncapsulationKey, Key};
    let dk = decapsulation_key(AlgorithmId::MlKem768);
    let good = Key::<EncapsulationKey>::try_from(dk.encapsulation_key()).unwrap();
    assert!(EncapsulationKey::new(&good).is_ok());
    let mut bad = dk.encapsulation_key().to_vec();
    bad[0] = 0xff;
    bad[1] |= 0x0f;
    let bad = Key::<EncapsulationKey>::try_from(&bad[..]).unwrap();
    assert!(EncapsulationKey::new(&bad).is_err());
}
