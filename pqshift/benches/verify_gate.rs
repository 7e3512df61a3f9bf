//! The cost of pqshift's verification gate (`pqshift::gate::check`: ML-DSA
//! lengths, the z norm bound, the hint encoding) against ML-DSA
//! verification itself, per parameter set and per provider, in the same
//! run with the same key, message and signature.
//!
//! `cargo bench -p pqshift --bench verify_gate`. Goal: the gate costs
//! <= 3 % of ML-DSA-65 verification through the preferred provider. Each
//! provider's verify is measured directly on its scheme (no gate) and
//! through the facade key (gate + provider), so the difference shows too.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use pqshift::{registry, AlgorithmId, PublicKey, SecretKey};

const MESSAGE: &[u8] = b"a stored record of moderate length, signed during a migration run";
const CONTEXT: &[u8] = b"bench-ctx";

fn gate(c: &mut Criterion) {
    for alg in [
        AlgorithmId::MlDsa44,
        AlgorithmId::MlDsa65,
        AlgorithmId::MlDsa87,
    ] {
        // A key from a provider that derives keys from seeds; any will do.
        let key = registry::providers_for(alg)
            .iter()
            .find_map(|r| SecretKey::from_seed(alg, &[0x42; 32], Some(r.provider().id)).ok())
            .unwrap();
        let public = key.public_key().unwrap();
        let sig = key.sign(MESSAGE, CONTEXT).unwrap();
        let raw = sig.as_raw().to_vec();
        let mut g = c.benchmark_group(format!("{alg}/verify-gate"));
        g.bench_function("gate", |b| {
            b.iter(|| pqshift::gate::check(alg, black_box(public.as_raw()), black_box(&raw)))
        });
        for r in registry::providers_for(alg) {
            let id = r.provider().id;
            let scheme = match pqshift::signature_scheme(alg, Some(id)) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{alg}/{id}: not measured: {e}");
                    continue;
                }
            };
            let direct = scheme.verifying_key(public.as_raw()).unwrap();
            let facade = PublicKey::from_raw(alg, public.as_raw(), Some(id)).unwrap();
            g.bench_function(BenchmarkId::new("verify-direct", id), |b| {
                b.iter(|| direct.verify(MESSAGE, CONTEXT, black_box(&raw)).unwrap())
            });
            g.bench_function(BenchmarkId::new("verify-facade", id), |b| {
                b.iter(|| {
                    facade
                        .verify_raw(MESSAGE, CONTEXT, black_box(&raw))
                        .unwrap()
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, gate);
criterion_main!(benches);
