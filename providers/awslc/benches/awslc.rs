//! awslc provider: ML-DSA keygen / sign / verify per parameter set through
//! pqshift's provider traits ("facade") and through aws-lc-rs's safe API
//! called directly ("direct", same AWS-LC build; empty context, which is
//! all it offers), in the same run. `cargo bench -p pqshift-provider-awslc`;
//! under `cargo test --benches` each benchmark runs once, as a smoke test.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use aws_lc_rs::signature::{
    KeyPair, PqdsaKeyPair, UnparsedPublicKey, ML_DSA_44, ML_DSA_44_SIGNING, ML_DSA_65,
    ML_DSA_65_SIGNING, ML_DSA_87, ML_DSA_87_SIGNING,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use pqshift_provider_api::{registry, AlgorithmId, Implementation, SignMode};

const MESSAGE: &[u8] = b"a 32-byte message for benchmarks";

fn ml_dsa(c: &mut Criterion) {
    assert_eq!(pqshift_provider_awslc::PROVIDER.id, "awslc");
    for (alg, signing, verifying) in [
        (AlgorithmId::MlDsa44, &ML_DSA_44_SIGNING, &ML_DSA_44),
        (AlgorithmId::MlDsa65, &ML_DSA_65_SIGNING, &ML_DSA_65),
        (AlgorithmId::MlDsa87, &ML_DSA_87_SIGNING, &ML_DSA_87),
    ] {
        let reg = registry::find(alg, Some("awslc")).unwrap();
        reg.admit().unwrap();
        let Implementation::Signature(scheme) = reg.implementation() else {
            panic!("{alg} is not a signature scheme");
        };
        let seed = [7u8; 32];
        let key = scheme.signing_key_from_seed(&seed).unwrap();
        let vk = scheme.verifying_key(key.public_key()).unwrap();
        let signature = key.sign(MESSAGE, b"", SignMode::Hedged).unwrap();
        let direct = PqdsaKeyPair::from_seed(signing, &seed).unwrap();
        let direct_pk = UnparsedPublicKey::new(verifying, direct.public_key().as_ref().to_vec());
        let mut direct_sig = vec![0u8; signing.signature_len()];

        let mut g = c.benchmark_group(format!("{alg}"));
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| scheme.signing_key_from_seed(&seed).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| {
            b.iter(|| PqdsaKeyPair::from_seed(signing, &seed).unwrap())
        });
        g.bench_function(BenchmarkId::new("sign", "facade"), |b| {
            b.iter(|| key.sign(MESSAGE, b"", SignMode::Hedged).unwrap())
        });
        g.bench_function(BenchmarkId::new("sign", "direct"), |b| {
            b.iter(|| direct.sign(MESSAGE, &mut direct_sig).unwrap())
        });
        g.bench_function(BenchmarkId::new("sign-ctx", "facade"), |b| {
            b.iter(|| key.sign(MESSAGE, b"app-v1", SignMode::Hedged).unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "facade"), |b| {
            b.iter(|| vk.verify(MESSAGE, b"", &signature).unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "direct"), |b| {
            b.iter(|| direct_pk.verify(MESSAGE, &signature).unwrap())
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
    targets = ml_dsa
}
criterion_main!(benches);
