//! Behaviour through the provider traits, found in the registry as
//! `registry::find(alg, Some("pqclean"))`: admission, capabilities, input
//! checks, expanded-key validation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{
    registry, AlgorithmId, Error, ErrorKind, Implementation, KemScheme, Result, SignMode,
    SignatureScheme,
};
use pqshift_provider_pqclean::{DSA_CAPABILITIES, KEM_CAPABILITIES, PROVIDER};
use pqshift_test_support::project_root;

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

fn err<T>(r: Result<T>) -> Error {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

fn sig(alg: AlgorithmId) -> &'static dyn SignatureScheme {
    match registry::find(alg, Some("pqclean"))
        .unwrap()
        .admitted()
        .unwrap()
    {
        Implementation::Signature(s) => s,
        _ => panic!("{alg} is not a signature scheme"),
    }
}

fn kem(alg: AlgorithmId) -> &'static dyn KemScheme {
    match registry::find(alg, Some("pqclean"))
        .unwrap()
        .admitted()
        .unwrap()
    {
        Implementation::Kem(s) => s,
        _ => panic!("{alg} is not a KEM"),
    }
}

/// (k, l, eta) of an ML-DSA parameter set.
fn dsa_shape(alg: AlgorithmId) -> (usize, usize, u32) {
    match alg {
        AlgorithmId::MlDsa44 => (4, 4, 2),
        AlgorithmId::MlDsa65 => (6, 5, 4),
        AlgorithmId::MlDsa87 => (8, 7, 2),
        _ => unreachable!(),
    }
}

fn kem_k(alg: AlgorithmId) -> usize {
    match alg {
        AlgorithmId::MlKem512 => 2,
        AlgorithmId::MlKem768 => 3,
        AlgorithmId::MlKem1024 => 4,
        _ => unreachable!(),
    }
}

/// A tiny deterministic generator for junk inputs.
struct XorShift(u64);
impl XorShift {
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                self.0 ^= self.0 << 13;
                self.0 ^= self.0 >> 7;
                self.0 ^= self.0 << 17;
                self.0 as u8
            })
            .collect()
    }
}

#[test]
fn registered_and_admitted() {
    for alg in DSA.into_iter().chain(KEM) {
        let r = registry::find(alg, Some("pqclean")).unwrap();
        r.admit().unwrap();
        assert_eq!(r.self_test_result(), Some(&Ok(())));
        let p = r.provider();
        assert_eq!((p.id, p.preference, p.insecure), ("pqclean", 20, false));
        assert_eq!(p.backend, "pqcrypto-mldsa/pqcrypto-mlkem (PQClean)");
        assert_eq!(
            r.capabilities(),
            if DSA.contains(&alg) {
                DSA_CAPABILITIES
            } else {
                KEM_CAPABILITIES
            }
        );
    }
}

/// The versions reported in ProviderInfo are the ones Cargo resolved.
#[test]
fn backend_versions_match_cargo_lock() {
    let lock = project_root().join("Cargo.lock");
    let Ok(text) = std::fs::read_to_string(lock) else {
        eprintln!("skipped: no Cargo.lock");
        return;
    };
    let version_of = |name: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim() == format!("name = \"{name}\"") {
                let v = lines.next().unwrap().trim();
                out.push(
                    v.trim_start_matches("version = \"")
                        .trim_end_matches('"')
                        .to_string(),
                );
            }
        }
        out
    };
    let dsa = version_of("pqcrypto-mldsa");
    let kem = version_of("pqcrypto-mlkem");
    if dsa.is_empty() && kem.is_empty() {
        eprintln!("skipped: pqcrypto not in Cargo.lock (a lock file from another checkout?)");
        return;
    }
    assert_eq!(dsa, [pqshift_provider_pqclean::MLDSA_BACKEND_VERSION]);
    assert_eq!(kem, [pqshift_provider_pqclean::MLKEM_BACKEND_VERSION]);
    assert_eq!(
        PROVIDER.backend_version,
        format!("pqcrypto-mldsa {}, pqcrypto-mlkem {}", dsa[0], kem[0])
    );
}

#[test]
fn declared_capabilities_match_behaviour() {
    let c = sig(AlgorithmId::MlDsa65).capabilities();
    assert!(!c.seeded_keygen && !c.deterministic_sign && c.hedged_sign && c.context);
    let c = kem(AlgorithmId::MlKem768).capabilities();
    assert!(!c.seeded_keygen && !c.derandomized_encaps);
    for alg in DSA {
        let s = sig(alg);
        let e = err(s.signing_key_from_seed(&[7u8; 32]));
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert!(e.to_string().contains("cannot derive"), "{e}");
        let key = s.generate().unwrap();
        assert!(key.seed().is_none());
        assert_eq!(
            key.expanded_secret_key().unwrap().len(),
            alg.sizes().expanded_secret_key
        );
        let e = key.sign(b"m", b"", SignMode::Deterministic).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
        // Hedged: PQClean draws rnd for every signature, so two differ.
        let a = key.sign(b"same message", b"ctx", SignMode::Hedged).unwrap();
        let b = key.sign(b"same message", b"ctx", SignMode::Hedged).unwrap();
        assert_ne!(a, b, "{alg}: PQClean signing is hedged");
        let vk = s.verifying_key(key.public_key()).unwrap();
        vk.verify(b"same message", b"ctx", &a).unwrap();
        vk.verify(b"same message", b"ctx", &b).unwrap();
        // Contexts are honoured.
        assert_eq!(
            vk.verify(b"same message", b"", &a).unwrap_err(),
            Error::VerificationFailed
        );
        assert_eq!(
            vk.verify(b"same message", b"ctY", &a).unwrap_err(),
            Error::VerificationFailed
        );
    }
    for alg in KEM {
        let s = kem(alg);
        let e = err(s.decapsulation_key_from_seed(&[7u8; 64]));
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        let key = s.generate().unwrap();
        assert!(key.seed().is_none());
        let ek = s.encapsulation_key(key.encapsulation_key()).unwrap();
        let e = ek.encapsulate_derand(&[0u8; 32]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
        let (c1, k1) = ek.encapsulate().unwrap();
        let (c2, k2) = ek.encapsulate().unwrap();
        assert_ne!(c1, c2, "encapsulation is randomized");
        assert!(key.decapsulate(&c1).unwrap().ct_eq(k1.expose()));
        assert!(key.decapsulate(&c2).unwrap().ct_eq(k2.expose()));
    }
}

#[test]
fn generated_keys_reload_from_their_expanded_form() {
    for alg in DSA {
        let s = sig(alg);
        let key = s.generate().unwrap();
        let again = s
            .signing_key_from_expanded(key.expanded_secret_key().unwrap().expose())
            .unwrap();
        assert_eq!(again.public_key(), key.public_key());
        let sig = again.sign(b"reloaded", b"", SignMode::Hedged).unwrap();
        s.verifying_key(key.public_key())
            .unwrap()
            .verify(b"reloaded", b"", &sig)
            .unwrap();
    }
    for alg in KEM {
        let s = kem(alg);
        let key = s.generate().unwrap();
        let again = s
            .decapsulation_key_from_expanded(key.expanded_secret_key().unwrap().expose())
            .unwrap();
        assert_eq!(again.encapsulation_key(), key.encapsulation_key());
        let (ct, ss) = s
            .encapsulation_key(key.encapsulation_key())
            .unwrap()
            .encapsulate()
            .unwrap();
        assert!(again.decapsulate(&ct).unwrap().ct_eq(ss.expose()));
    }
}

#[test]
fn contexts_longer_than_255_bytes_are_invalid() {
    for alg in DSA {
        let s = sig(alg);
        let key = s.generate().unwrap();
        let vk = s.verifying_key(key.public_key()).unwrap();
        let max = [0x5a; 255];
        let ok = key.sign(b"m", &max, SignMode::Hedged).unwrap();
        vk.verify(b"m", &max, &ok).unwrap();
        let long = [0x5a; 256];
        let e = key.sign(b"m", &long, SignMode::Hedged).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("255"), "{e}");
        assert_eq!(
            vk.verify(b"m", &long, &ok).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }
}

#[test]
fn wrong_sizes_are_invalid_and_name_the_expected_size() {
    for alg in DSA {
        let s = sig(alg);
        let z = alg.sizes();
        let e = err(s.verifying_key(&vec![0u8; z.public_key - 1]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains(&z.public_key.to_string()), "{e}");
        let e = err(s.signing_key_from_expanded(&vec![0u8; z.expanded_secret_key + 1]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(
            e.to_string().contains(&z.expanded_secret_key.to_string()),
            "{e}"
        );
        let key = s.generate().unwrap();
        let vk = s.verifying_key(key.public_key()).unwrap();
        let good = key.sign(b"m", b"", SignMode::Hedged).unwrap();
        for bad in [
            &good[..good.len() - 1],
            &[&good[..], &[0u8]].concat()[..],
            &[][..],
        ] {
            let e = vk.verify(b"m", b"", bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains(&z.signature.to_string()), "{e}");
        }
        // A well-sized bad signature is a verification failure, without detail.
        let mut flipped = good.clone();
        flipped[0] ^= 1;
        assert_eq!(
            vk.verify(b"m", b"", &flipped).unwrap_err(),
            Error::VerificationFailed
        );
        let mut r = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20 {
            assert_eq!(
                vk.verify(b"m", b"", &r.bytes(z.signature)).unwrap_err(),
                Error::VerificationFailed
            );
        }
    }
    for alg in KEM {
        let s = kem(alg);
        let z = alg.sizes();
        let e = err(s.encapsulation_key(&vec![0u8; z.public_key + 1]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains(&z.public_key.to_string()), "{e}");
        let e = err(s.decapsulation_key_from_expanded(&vec![0u8; z.expanded_secret_key - 1]));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(
            e.to_string().contains(&z.expanded_secret_key.to_string()),
            "{e}"
        );
        let key = s.generate().unwrap();
        let e = key.decapsulate(&vec![0u8; z.ciphertext - 1]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains(&z.ciphertext.to_string()), "{e}");
        // Any well-sized ciphertext decapsulates (implicit rejection), never an error.
        let mut r = XorShift(42);
        for _ in 0..5 {
            assert_eq!(key.decapsulate(&r.bytes(z.ciphertext)).unwrap().len(), 32);
        }
    }
}

/// Sets the `bits`-bit field number `index` of `bytes` (little-endian bit order).
fn set_field(bytes: &mut [u8], bits: usize, index: usize, value: u32) {
    for b in 0..bits {
        let bit = index * bits + b;
        let (byte, shift) = (bit / 8, bit % 8);
        bytes[byte] &= !(1 << shift);
        bytes[byte] |= (((value >> b) & 1) as u8) << shift;
    }
}

#[test]
fn ml_dsa_expanded_keys_are_validated() {
    for alg in DSA {
        let s = sig(alg);
        let (k, l, eta) = dsa_shape(alg);
        let bits = if eta == 2 { 3 } else { 4 };
        let poly = 256 * bits / 8;
        let (s1, s2, t0) = (128, 128 + l * poly, 128 + (l + k) * poly);
        let key = s.generate().unwrap();
        let sk = key.expanded_secret_key().unwrap().expose().to_vec();
        s.signing_key_from_expanded(&sk).unwrap();

        // Every invalid field value, in s1 and in s2, at a few positions.
        for value in (2 * eta + 1)..(1 << bits) {
            for (start, what, index) in [
                (s1, "s1", 0),
                (s1, "s1", 256 * l - 1),
                (s2, "s2", 17),
                (s2, "s2", 256 * k - 1),
            ] {
                let mut bad = sk.clone();
                set_field(&mut bad[start..], bits, index, value);
                let e = err(s.signing_key_from_expanded(&bad));
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{alg} {what}={value}");
                assert!(e.to_string().contains(what), "{e}");
            }
        }
        // A valid but different s1 coefficient: t0 no longer matches.
        let mut bad = sk.clone();
        let old = bad[s1];
        set_field(&mut bad[s1..], bits, 0, if old & 1 == 0 { 1 } else { 0 });
        let e = err(s.signing_key_from_expanded(&bad));
        assert!(e.to_string().contains("t0"), "{e}");
        // t0 or tr or rho tampered.
        for (i, what) in [(t0 + 5, "t0"), (100, "tr"), (3, "t0")] {
            let mut bad = sk.clone();
            bad[i] ^= 0x01;
            let e = err(s.signing_key_from_expanded(&bad));
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{alg} byte {i}");
            assert!(e.to_string().contains(what), "{e}");
        }
        // Junk never panics.
        let mut r = XorShift(7);
        for _ in 0..20 {
            let e = err(s.signing_key_from_expanded(&r.bytes(sk.len())));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
        }
    }
}

#[test]
fn ml_kem_keys_are_validated() {
    for alg in KEM {
        let s = kem(alg);
        let k = kem_k(alg);
        let key = s.generate().unwrap();
        let dk = key.expanded_secret_key().unwrap().expose().to_vec();
        let ek = key.encapsulation_key().to_vec();

        // ek with a coefficient >= q, first and last.
        for (index, value) in [(0, 3329), (256 * k - 1, 4095), (100, 3330)] {
            let mut bad = ek.clone();
            set_field(&mut bad, 12, index, value);
            let e = err(s.encapsulation_key(&bad));
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains("3329"), "{e}");
        }
        let mut ok = ek.clone();
        set_field(&mut ok, 12, 5, 3328);
        s.encapsulation_key(&ok).unwrap();

        // dk with the wrong H(ek).
        let h = 384 * k + 384 * k + 32;
        let mut bad = dk.clone();
        bad[h + 7] ^= 0x80;
        let e = err(s.decapsulation_key_from_expanded(&bad));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("H(ek)"), "{e}");
        // dk whose ek changed (H(ek) then disagrees too).
        let mut bad = dk.clone();
        bad[384 * k + 10] ^= 0x01;
        assert_eq!(
            err(s.decapsulation_key_from_expanded(&bad)).kind(),
            ErrorKind::InvalidInput
        );
        // dk whose ek has a coefficient >= q.
        let mut bad = dk.clone();
        set_field(&mut bad[384 * k..], 12, 3, 4000);
        assert_eq!(
            err(s.decapsulation_key_from_expanded(&bad)).kind(),
            ErrorKind::InvalidInput
        );
        // dk_pke with a coefficient >= q.
        let mut bad = dk.clone();
        set_field(&mut bad, 12, 256 * k - 1, 3329);
        let e = err(s.decapsulation_key_from_expanded(&bad));
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("of s"), "{e}");
        // Junk never panics.
        let mut r = XorShift(99);
        for _ in 0..20 {
            assert_eq!(
                err(s.decapsulation_key_from_expanded(&r.bytes(dk.len()))).kind(),
                ErrorKind::InvalidInput
            );
            let _ = s.encapsulation_key(&r.bytes(ek.len()));
        }
    }
}
