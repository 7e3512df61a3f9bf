//! liboqs provider: each operation through pqshift's provider traits
//! ("facade") and through the `oqs` crate called directly ("direct"), in
//! the same run. `cargo bench -p pqshift-provider-liboqs`; under
//! `cargo test --benches` each benchmark runs once, as a smoke test.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use oqs::{kem, sig};
use pqshift_provider_api::{registry, AlgorithmId, Implementation, SignMode};

const MESSAGE: &[u8] = b"a 32-byte message for benchmarks";

fn find(alg: AlgorithmId) -> Implementation {
    assert_eq!(pqshift_provider_liboqs::PROVIDER.id, "liboqs");
    let r = registry::find(alg, Some("liboqs")).unwrap();
    r.admit().unwrap();
    r.implementation()
}

fn ml_dsa(c: &mut Criterion) {
    for (alg, oqs_alg) in [
        (AlgorithmId::MlDsa44, sig::Algorithm::MlDsa44),
        (AlgorithmId::MlDsa65, sig::Algorithm::MlDsa65),
        (AlgorithmId::MlDsa87, sig::Algorithm::MlDsa87),
    ] {
        let Implementation::Signature(scheme) = find(alg) else {
            panic!("{alg} is not a signature scheme");
        };
        let direct = sig::Sig::new(oqs_alg).unwrap();
        let seed = [7u8; 32];
        let key = scheme.signing_key_from_seed(&seed).unwrap();
        let vk = scheme.verifying_key(key.public_key()).unwrap();
        let signature = key.sign(MESSAGE, b"", SignMode::Hedged).unwrap();
        let (pk, sk) = direct.keypair().unwrap();
        let direct_sig = direct.sign_with_ctx_str(MESSAGE, b"", &sk).unwrap();

        let mut g = c.benchmark_group(format!("{alg}"));
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| scheme.signing_key_from_seed(&seed).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| {
            b.iter(|| direct.keypair().unwrap())
        });
        g.bench_function(BenchmarkId::new("sign", "facade"), |b| {
            b.iter(|| key.sign(MESSAGE, b"", SignMode::Hedged).unwrap())
        });
        g.bench_function(BenchmarkId::new("sign", "direct"), |b| {
            b.iter(|| direct.sign_with_ctx_str(MESSAGE, b"", &sk).unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "facade"), |b| {
            b.iter(|| vk.verify(MESSAGE, b"", &signature).unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "direct"), |b| {
            b.iter(|| {
                direct
                    .verify_with_ctx_str(MESSAGE, &direct_sig, b"", &pk)
                    .unwrap()
            })
        });
        g.finish();
    }
}

fn ml_kem(c: &mut Criterion) {
    for (alg, oqs_alg) in [
        (AlgorithmId::MlKem512, kem::Algorithm::MlKem512),
        (AlgorithmId::MlKem768, kem::Algorithm::MlKem768),
        (AlgorithmId::MlKem1024, kem::Algorithm::MlKem1024),
    ] {
        let Implementation::Kem(scheme) = find(alg) else {
            panic!("{alg} is not a KEM");
        };
        let direct = kem::Kem::new(oqs_alg).unwrap();
        let seed = [9u8; 64];
        let dk = scheme.decapsulation_key_from_seed(&seed).unwrap();
        let ek = scheme.encapsulation_key(dk.encapsulation_key()).unwrap();
        let (ct, _) = ek.encapsulate().unwrap();
        let direct_seed = direct.keypair_seed_from_bytes(&seed).unwrap();
        let (pk, sk) = direct.keypair_derand(direct_seed).unwrap();
        let (direct_ct, _) = direct.encapsulate(&pk).unwrap();

        let mut g = c.benchmark_group(format!("{alg}"));
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| scheme.decapsulation_key_from_seed(&seed).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| {
            b.iter(|| direct.keypair_derand(direct_seed).unwrap())
        });
        g.bench_function(BenchmarkId::new("encaps", "facade"), |b| {
            b.iter(|| ek.encapsulate().unwrap())
        });
        g.bench_function(BenchmarkId::new("encaps", "direct"), |b| {
            b.iter(|| direct.encapsulate(&pk).unwrap())
        });
        g.bench_function(BenchmarkId::new("decaps", "facade"), |b| {
            b.iter(|| dk.decapsulate(&ct).unwrap())
        });
        g.bench_function(BenchmarkId::new("decaps", "direct"), |b| {
            b.iter(|| direct.decapsulate(&sk, &direct_ct).unwrap())
        });
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = ml_dsa, ml_kem
}
criterion_main!(benches);
