//! Facade overhead: Ed25519 verify through pqshift against ed25519-dalek
//! called directly, in the same run. Goal: ratio <= 1.02.
//!
//! `cargo bench -p pqshift --bench facade_overhead`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ed25519_dalek::{Signer, SigningKey, Verifier};
use pqshift::{AlgorithmId, Policy, PublicKey, SecretKey, Signature};

fn ed25519_verify(c: &mut Criterion) {
    let seed = [0x42u8; 32];
    let msg = vec![0xA5u8; 256];

    // Direct: the backend as an application would call it.
    let sk = SigningKey::from_bytes(&seed);
    let vk = sk.verifying_key();
    let sig = sk.sign(&msg);

    // Facade: the same key and message.
    let key = SecretKey::from_seed(AlgorithmId::Ed25519, &seed, Some("dalek")).unwrap();
    let public: PublicKey = key.public_key().unwrap();
    let psig: Signature = key.sign(&msg, b"").unwrap();
    assert_eq!(
        psig.as_raw(),
        sig.to_bytes().as_slice(),
        "same deterministic signature"
    );
    let policy = Policy::builtin_default().unwrap();

    let mut g = c.benchmark_group("ed25519-verify");
    g.bench_function("dalek-direct", |b| {
        b.iter(|| vk.verify_strict(black_box(&msg), black_box(&sig)).unwrap())
    });
    g.bench_function("dalek-direct-verify", |b| {
        b.iter(|| vk.verify(black_box(&msg), black_box(&sig)).unwrap())
    });
    g.bench_function("facade-public-key", |b| {
        b.iter(|| {
            public
                .verify(black_box(&msg), b"", black_box(&psig))
                .unwrap()
        })
    });
    g.bench_function("facade-policy", |b| {
        b.iter(|| {
            policy
                .verify(&public, black_box(&msg), b"", black_box(&psig))
                .unwrap()
        })
    });
    g.finish();
}

/// The Rust-side baseline for `scripts/bench-c`: the same operations as
/// `bindings/c/bench/overhead.c`, through the facade directly.
fn c_baseline(c: &mut Criterion) {
    let msg = [0xA5u8; 256];
    let key = SecretKey::from_seed(AlgorithmId::Ed25519, &[0x42; 32], Some("dalek")).unwrap();
    let public = key.public_key().unwrap();
    let policy = Policy::builtin_default().unwrap();
    let sig = key.sign(&msg, b"").unwrap();
    let mut g = c.benchmark_group("c-baseline");
    g.bench_function("sha256-32B", |b| {
        b.iter(|| pqshift::sha256(black_box(&msg[..32])))
    });
    g.bench_function("ed25519-sign", |b| {
        b.iter(|| {
            policy
                .sign_with(&key, black_box(&msg), b"", pqshift::SignMode::Deterministic)
                .unwrap()
        })
    });
    g.bench_function("ed25519-verify", |b| {
        b.iter(|| {
            policy
                .verify(&public, black_box(&msg), b"", black_box(&sig))
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, ed25519_verify, c_baseline);
criterion_main!(benches);
