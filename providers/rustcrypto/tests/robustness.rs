//! No input panics: arbitrary public keys, signatures, contexts,
//! ciphertexts, encapsulation keys and expanded keys give a result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{AlgorithmId, ErrorKind, KemScheme, SignMode, SignatureScheme};
use pqshift_provider_rustcrypto::{
    internal, ML_DSA_44, ML_DSA_65, ML_DSA_87, ML_KEM_1024, ML_KEM_512, ML_KEM_768,
};
use proptest::prelude::*;

fn dsa(i: usize) -> &'static dyn SignatureScheme {
    [
        &ML_DSA_44 as &'static dyn SignatureScheme,
        &ML_DSA_65,
        &ML_DSA_87,
    ][i % 3]
}

fn kem(i: usize) -> &'static dyn KemScheme {
    [
        &ML_KEM_512 as &'static dyn KemScheme,
        &ML_KEM_768,
        &ML_KEM_1024,
    ][i % 3]
}

/// Bytes of exactly `len`, or (one time in four) of a nearby wrong length.
fn bytes_near(len: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => proptest::collection::vec(any::<u8>(), len),
        1 => proptest::collection::vec(any::<u8>(), len.saturating_sub(3)..len + 3),
    ]
}

fn dsa_case() -> impl Strategy<Value = (usize, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>)> {
    (0usize..3).prop_flat_map(|i| {
        let s = dsa(i).algorithm().sizes();
        (
            Just(i),
            bytes_near(s.public_key),
            bytes_near(s.signature),
            proptest::collection::vec(any::<u8>(), 0..300),
            proptest::collection::vec(any::<u8>(), 0..64),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn ml_dsa_verify_never_panics((i, pk, sig, ctx, msg) in dsa_case()) {
        let scheme = dsa(i);
        let sizes = scheme.algorithm().sizes();
        match scheme.verifying_key(&pk) {
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
                prop_assert!(pk.len() != sizes.public_key);
            }
            Ok(vk) => {
                let e = vk.verify(&msg, &ctx, &sig).unwrap_err();
                if ctx.len() > 255 || sig.len() != sizes.signature {
                    prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
                } else {
                    prop_assert_eq!(e.kind(), ErrorKind::VerificationFailed);
                }
            }
        }
    }

    #[test]
    fn ml_dsa_real_key_rejects_arbitrary_signatures((i, _pk, sig, ctx, msg) in dsa_case()) {
        let scheme = dsa(i);
        let key = scheme.signing_key_from_seed(&[3; 32]).unwrap();
        let vk = scheme.verifying_key(key.public_key()).unwrap();
        prop_assert!(vk.verify(&msg, &ctx, &sig).is_err());
        // Signing takes any message and any context up to 255 bytes.
        let signed = key.sign(&msg, &ctx, SignMode::Deterministic);
        if ctx.len() > 255 {
            prop_assert_eq!(signed.unwrap_err().kind(), ErrorKind::InvalidInput);
        } else {
            vk.verify(&msg, &ctx, &signed.unwrap()).unwrap();
        }
    }

    #[test]
    fn ml_dsa_internal_expanded_signing_never_panics(
        i in 0usize..3,
        sk in proptest::collection::vec(any::<u8>(), 0..5000),
    ) {
        let alg = dsa(i).algorithm();
        // Random bytes almost never pass the range check; whatever happens, no panic.
        let _ = internal::sign_internal_expanded(alg, &sk, b"m", &[0; 32]);
        prop_assert!(!internal::expanded_secret_in_range(AlgorithmId::MlKem512, &sk));
    }

    #[test]
    fn ml_kem_decapsulate_never_panics(
        (i, ct) in (0usize..3).prop_flat_map(|i| (Just(i), bytes_near(kem(i).algorithm().sizes().ciphertext))),
    ) {
        let scheme = kem(i);
        let dk = scheme.decapsulation_key_from_seed(&[5; 64]).unwrap();
        match dk.decapsulate(&ct) {
            Ok(k) => {
                prop_assert_eq!(ct.len(), scheme.algorithm().sizes().ciphertext);
                prop_assert_eq!(k.len(), 32);
            }
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidInput),
        }
    }

    #[test]
    fn ml_kem_encapsulation_keys_never_panic(
        (i, ek) in (0usize..3).prop_flat_map(|i| (Just(i), bytes_near(kem(i).algorithm().sizes().public_key))),
    ) {
        let scheme = kem(i);
        match scheme.encapsulation_key(&ek) {
            Ok(key) => {
                let (c, _) = key.encapsulate_derand(&[1; 32]).unwrap();
                prop_assert_eq!(c.len(), scheme.algorithm().sizes().ciphertext);
            }
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidInput),
        }
    }

    #[test]
    fn ml_kem_expanded_keys_never_panic(
        (i, dk) in (0usize..3).prop_flat_map(|i| (Just(i), bytes_near(kem(i).algorithm().sizes().expanded_secret_key))),
    ) {
        match kem(i).decapsulation_key_from_expanded(&dk) {
            Ok(key) => prop_assert!(key.seed().is_none()),
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidInput),
        }
    }
}
