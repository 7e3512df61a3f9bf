//! NIST ACVP vectors (../shared/vectors) through the pqshift traits, with
//! exact counts. Skipped when the vectors are absent, a failure under CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{registry, AlgorithmId, Implementation, KemScheme, SignatureScheme};
use pqshift_provider_rustcrypto::{internal, PROVIDER};
use pqshift_test_support::{hex_field, load_json};
use serde_json::Value;

fn alg(parameter_set: &str) -> AlgorithmId {
    AlgorithmId::parse(parameter_set).unwrap()
}

fn signature(a: AlgorithmId) -> &'static dyn SignatureScheme {
    let reg = registry::find(a, Some(PROVIDER.id)).unwrap();
    match reg.admitted().unwrap() {
        Implementation::Signature(s) => s,
        other => panic!("{a}: not a signature scheme: {other:?}"),
    }
}

fn kem(a: AlgorithmId) -> &'static dyn KemScheme {
    let reg = registry::find(a, Some(PROVIDER.id)).unwrap();
    match reg.admitted().unwrap() {
        Implementation::Kem(k) => k,
        other => panic!("{a}: not a KEM: {other:?}"),
    }
}

fn groups(v: &Value) -> &Vec<Value> {
    v["testGroups"].as_array().unwrap()
}

fn tests(g: &Value) -> &Vec<Value> {
    g["tests"].as_array().unwrap()
}

fn tc(t: &Value) -> u64 {
    t["tcId"].as_u64().unwrap()
}

#[test]
fn acvp_ml_dsa_keygen_all_75() {
    let Some(v) = load_json("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json") else {
        return;
    };
    let mut run = 0;
    for g in groups(&v) {
        let a = alg(g["parameterSet"].as_str().unwrap());
        let scheme = signature(a);
        for t in tests(g) {
            let key = scheme.signing_key_from_seed(&hex_field(t, "seed")).unwrap();
            assert_eq!(key.public_key(), hex_field(t, "pk"), "{a} tcId {}", tc(t));
            let sk = key.expanded_secret_key().expect("expanded key exported");
            assert!(
                sk.ct_eq(&hex_field(t, "sk")),
                "{a} tcId {}: expanded sk",
                tc(t)
            );
            assert_eq!(key.seed().unwrap().expose(), hex_field(t, "seed"));
            run += 1;
        }
    }
    assert_eq!(run, 75);
}

#[test]
fn acvp_ml_kem_keygen_all_75() {
    let Some(v) = load_json("acvp/ML-KEM-keyGen-FIPS203/internalProjection.json") else {
        return;
    };
    let mut run = 0;
    for g in groups(&v) {
        let a = alg(g["parameterSet"].as_str().unwrap());
        let scheme = kem(a);
        for t in tests(g) {
            let mut seed = hex_field(t, "d");
            seed.extend(hex_field(t, "z"));
            let dk = scheme.decapsulation_key_from_seed(&seed).unwrap();
            assert_eq!(
                dk.encapsulation_key(),
                hex_field(t, "ek"),
                "{a} tcId {}",
                tc(t)
            );
            let expanded = dk.expanded_secret_key().expect("expanded key exported");
            assert!(
                expanded.ct_eq(&hex_field(t, "dk")),
                "{a} tcId {}: dk",
                tc(t)
            );
            assert_eq!(dk.seed().unwrap().expose(), seed);

            // The expanded dk loads (validated) and is the same key.
            let again = scheme
                .decapsulation_key_from_expanded(&hex_field(t, "dk"))
                .unwrap();
            assert_eq!(again.encapsulation_key(), dk.encapsulation_key());
            assert!(again.seed().is_none());
            run += 1;
        }
    }
    assert_eq!(run, 75);
}

#[test]
fn acvp_ml_kem_encapsulation_all_75_and_decapsulation_all_30() {
    let Some(v) = load_json("acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json") else {
        return;
    };
    let (mut encaps, mut decaps, mut rejected) = (0, 0, 0);
    for g in groups(&v) {
        let a = alg(g["parameterSet"].as_str().unwrap());
        let scheme = kem(a);
        match g["function"].as_str().unwrap() {
            "encapsulation" => {
                for t in tests(g) {
                    let ek = scheme.encapsulation_key(&hex_field(t, "ek")).unwrap();
                    let (c, k) = ek.encapsulate_derand(&hex_field(t, "m")).unwrap();
                    assert_eq!(c, hex_field(t, "c"), "{a} tcId {}: c", tc(t));
                    assert!(k.ct_eq(&hex_field(t, "k")), "{a} tcId {}: k", tc(t));
                    // And the vector's dk (expanded) decapsulates it.
                    let dk = scheme
                        .decapsulation_key_from_expanded(&hex_field(t, "dk"))
                        .unwrap();
                    assert!(dk.decapsulate(&c).unwrap().ct_eq(&hex_field(t, "k")));
                    encaps += 1;
                }
            }
            "decapsulation" => {
                // These vectors give dk only in expanded form (no seed).
                let dk = scheme
                    .decapsulation_key_from_expanded(&hex_field(g, "dk"))
                    .unwrap();
                assert_eq!(dk.encapsulation_key(), hex_field(g, "ek"));
                for t in tests(g) {
                    let k = dk.decapsulate(&hex_field(t, "c")).unwrap();
                    assert!(
                        k.ct_eq(&hex_field(t, "k")),
                        "{a} tcId {} ({}): k",
                        tc(t),
                        t["reason"]
                    );
                    if t["reason"] == "modified ciphertext" {
                        rejected += 1;
                    }
                    decaps += 1;
                }
            }
            other => panic!("unknown function {other}"),
        }
    }
    assert_eq!(encaps, 75);
    assert_eq!(decaps, 30);
    assert_eq!(
        rejected, 15,
        "half of the decapsulations are implicit rejections"
    );
}

#[test]
fn acvp_2024_ml_dsa_siggen_internal_all_60() {
    let Some(v) =
        load_json("acvp-2024-internal-only/ML-DSA-sigGen-FIPS204/internalProjection.json")
    else {
        return;
    };
    let (mut deterministic, mut hedged) = (0, 0);
    for g in groups(&v) {
        let a = alg(g["parameterSet"].as_str().unwrap());
        let det = g["deterministic"].as_bool().unwrap();
        for t in tests(g) {
            let rnd = if det {
                vec![0u8; 32]
            } else {
                hex_field(t, "rnd")
            };
            let sk = hex_field(t, "sk");
            assert!(internal::expanded_secret_in_range(a, &sk));
            let sig =
                internal::sign_internal_expanded(a, &sk, &hex_field(t, "message"), &rnd).unwrap();
            assert_eq!(sig, hex_field(t, "signature"), "{a} tcId {}", tc(t));
            if det {
                deterministic += 1;
            } else {
                hedged += 1;
            }
        }
    }
    assert_eq!((deterministic, hedged), (30, 30));
}

#[test]
fn sign_internal_and_verify_internal_agree_on_acvp_keys() {
    // The sigGen file carries no public keys, so Verify_internal is checked
    // on the ACVP keyGen keys: it accepts what Sign_internal made, and the
    // external interface rejects the same signature (M' has no prefix).
    let Some(v) = load_json("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json") else {
        return;
    };
    let mut run = 0;
    for g in groups(&v) {
        let a = alg(g["parameterSet"].as_str().unwrap());
        let t = &tests(g)[0];
        let seed = hex_field(t, "seed");
        let pk = hex_field(t, "pk");
        let m_prime = b"an M' without the 0x00 || len(ctx) prefix";
        let sig = internal::sign_internal_seed(a, &seed, m_prime, &[7u8; 32]).unwrap();
        internal::verify_internal(a, &pk, m_prime, &sig).unwrap();
        let vk = signature(a).verifying_key(&pk).unwrap();
        assert!(vk.verify(m_prime, b"", &sig).is_err());
        run += 1;
    }
    assert_eq!(run, 3);
}
