//! Seeds fed to liboqs on one thread never reach another: seeded key
//! generation stays exact while other threads draw fresh randomness.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::thread;

use common::{kem, param_set, sig};
use pqshift_provider_api::{AlgorithmId, SignMode};
use pqshift_test_support::{hex_field, load_json};

const SEEDED_THREADS: usize = 16;
const RANDOM_THREADS: usize = 8;
const ROUNDS: usize = 12;

#[test]
fn seeded_keygens_stay_exact_beside_random_keygens_and_hedged_signs() {
    let Some(v) = load_json("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json") else {
        return;
    };
    let mut cases = Vec::new();
    for g in v["testGroups"].as_array().unwrap() {
        let alg = param_set(g);
        for t in g["tests"].as_array().unwrap() {
            cases.push((
                alg,
                hex_field(t, "seed"),
                hex_field(t, "pk"),
                hex_field(t, "sk"),
            ));
        }
    }
    assert_eq!(cases.len(), 75);
    let cases = Arc::new(cases);
    let barrier = Arc::new(Barrier::new(SEEDED_THREADS + RANDOM_THREADS));

    let seeded: Vec<_> = (0..SEEDED_THREADS)
        .map(|i| {
            let (cases, barrier) = (cases.clone(), barrier.clone());
            thread::spawn(move || {
                barrier.wait();
                let mut exact = 0;
                for j in 0..ROUNDS {
                    let (alg, seed, pk, sk) = &cases[(i * 5 + j) % cases.len()];
                    let key = sig(*alg).signing_key_from_seed(seed).unwrap();
                    assert_eq!(key.public_key(), &pk[..], "thread {i} round {j}");
                    assert!(key.expanded_secret_key().unwrap().ct_eq(sk));
                    exact += 1;
                }
                exact
            })
        })
        .collect();

    let random: Vec<_> = (0..RANDOM_THREADS)
        .map(|_| {
            let barrier = barrier.clone();
            thread::spawn(move || {
                barrier.wait();
                let (mut keys, mut sigs, mut secrets) = (Vec::new(), Vec::new(), Vec::new());
                let dsa = sig(AlgorithmId::MlDsa65);
                let kem768 = kem(AlgorithmId::MlKem768);
                for _ in 0..ROUNDS {
                    let key = dsa.generate().unwrap();
                    let s = key.sign(b"same message", b"", SignMode::Hedged).unwrap();
                    dsa.verifying_key(key.public_key())
                        .unwrap()
                        .verify(b"same message", b"", &s)
                        .unwrap();
                    keys.push(key.public_key().to_vec());
                    sigs.push(s);
                    let dk = kem768.generate().unwrap();
                    let (ct, k) = kem768
                        .encapsulation_key(dk.encapsulation_key())
                        .unwrap()
                        .encapsulate()
                        .unwrap();
                    assert!(dk.decapsulate(&ct).unwrap().ct_eq(k.expose()));
                    keys.push(dk.encapsulation_key().to_vec());
                    secrets.push(k.expose().to_vec());
                }
                (keys, sigs, secrets)
            })
        })
        .collect();

    let exact: usize = seeded.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(exact, SEEDED_THREADS * ROUNDS);

    let known: HashSet<Vec<u8>> = cases.iter().map(|c| c.2.clone()).collect();
    let (mut keys, mut sigs, mut secrets) = (HashSet::new(), HashSet::new(), HashSet::new());
    for h in random {
        let (k, s, ss) = h.join().unwrap();
        for pk in k {
            assert!(!known.contains(&pk), "a random key equals an ACVP key");
            assert!(keys.insert(pk), "duplicate random key");
        }
        for x in s {
            assert!(sigs.insert(x), "duplicate hedged signature");
        }
        for x in ss {
            assert!(secrets.insert(x), "duplicate shared secret");
        }
    }
    assert_eq!(keys.len(), 2 * RANDOM_THREADS * ROUNDS);
    assert_eq!(sigs.len(), RANDOM_THREADS * ROUNDS);
    assert_eq!(secrets.len(), RANDOM_THREADS * ROUNDS);
}
