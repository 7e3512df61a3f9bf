//! NIST ACVP vectors through the provider's traits (`registry::find(alg, Some("liboqs"))`).
//! Every file runs completely; the exact number of cases run is asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{kem, param_set, sig};
use pqshift_provider_api::SecretBytes;
use pqshift_provider_liboqs::internal;
use pqshift_test_support::{hex_field, load_json};

fn groups(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["testGroups"].as_array().unwrap()
}

fn tests(g: &serde_json::Value) -> &Vec<serde_json::Value> {
    g["tests"].as_array().unwrap()
}

#[test]
fn ml_dsa_keygen_all_75() {
    let Some(v) = load_json("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json") else {
        return;
    };
    let mut ran = 0;
    for g in groups(&v) {
        let scheme = sig(param_set(g));
        for t in tests(g) {
            let tc = &t["tcId"];
            let key = scheme.signing_key_from_seed(&hex_field(t, "seed")).unwrap();
            assert_eq!(key.public_key(), hex_field(t, "pk"), "tcId {tc}: pk");
            let sk = key.expanded_secret_key().expect("expanded key");
            assert!(sk.ct_eq(&hex_field(t, "sk")), "tcId {tc}: sk");
            assert!(
                key.seed().unwrap().ct_eq(&hex_field(t, "seed")),
                "tcId {tc}: seed"
            );
            ran += 1;
        }
    }
    assert_eq!(ran, 75);
}

#[test]
fn ml_kem_keygen_all_75() {
    let Some(v) = load_json("acvp/ML-KEM-keyGen-FIPS203/internalProjection.json") else {
        return;
    };
    let mut ran = 0;
    for g in groups(&v) {
        let scheme = kem(param_set(g));
        for t in tests(g) {
            let tc = &t["tcId"];
            let mut seed = hex_field(t, "d");
            seed.extend(hex_field(t, "z"));
            let dk = scheme.decapsulation_key_from_seed(&seed).unwrap();
            assert_eq!(dk.encapsulation_key(), hex_field(t, "ek"), "tcId {tc}: ek");
            let expanded = dk.expanded_secret_key().expect("expanded key");
            assert!(expanded.ct_eq(&hex_field(t, "dk")), "tcId {tc}: dk");
            ran += 1;
        }
    }
    assert_eq!(ran, 75);
}

#[test]
fn ml_kem_encap_all_75_and_decap_all_30() {
    let Some(v) = load_json("acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json") else {
        return;
    };
    let (mut encaps, mut decaps, mut rejections) = (0, 0, 0);
    for g in groups(&v) {
        let alg = param_set(g);
        let scheme = kem(alg);
        match g["function"].as_str().unwrap() {
            "encapsulation" => {
                for t in tests(g) {
                    let tc = &t["tcId"];
                    let ek = scheme.encapsulation_key(&hex_field(t, "ek")).unwrap();
                    let (c, k) = ek.encapsulate_derand(&hex_field(t, "m")).unwrap();
                    assert_eq!(c, hex_field(t, "c"), "tcId {tc}: c");
                    assert!(k.ct_eq(&hex_field(t, "k")), "tcId {tc}: k");
                    encaps += 1;
                }
            }
            "decapsulation" => {
                let dk_bytes = hex_field(g, "dk");
                let dk =
                    internal::decapsulation_key_from_expanded_unchecked(alg, &dk_bytes).unwrap();
                assert_eq!(dk.encapsulation_key(), hex_field(g, "ek"));
                // The group's ek parses (passes the modulus check).
                scheme.encapsulation_key(&hex_field(g, "ek")).unwrap();
                for t in tests(g) {
                    let tc = &t["tcId"];
                    let k: SecretBytes = dk.decapsulate(&hex_field(t, "c")).unwrap();
                    assert!(
                        k.ct_eq(&hex_field(t, "k")),
                        "tcId {tc} ({}): k",
                        t["reason"]
                    );
                    if !t["reason"].as_str().unwrap_or("").starts_with("valid") {
                        rejections += 1;
                    }
                    decaps += 1;
                }
            }
            f => panic!("unknown function {f}"),
        }
    }
    assert_eq!((encaps, decaps), (75, 30));
    assert!(
        rejections >= 10,
        "expected implicit-rejection cases, got {rejections}"
    );
}

#[test]
fn ml_dsa_siggen_2024_internal_all_60() {
    let Some(v) =
        load_json("acvp-2024-internal-only/ML-DSA-sigGen-FIPS204/internalProjection.json")
    else {
        return;
    };
    let mut ran = 0;
    for g in groups(&v) {
        let alg = param_set(g);
        let deterministic = g["deterministic"].as_bool().unwrap();
        for t in tests(g) {
            let tc = &t["tcId"];
            let rnd = if deterministic {
                vec![0u8; 32]
            } else {
                hex_field(t, "rnd")
            };
            let sig =
                internal::sign_internal(alg, &hex_field(t, "sk"), &hex_field(t, "message"), &rnd)
                    .unwrap();
            assert_eq!(sig, hex_field(t, "signature"), "tcId {tc}");
            ran += 1;
        }
    }
    assert_eq!(ran, 60);
}
