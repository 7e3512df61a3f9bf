//! The per-record cost of an Ed25519 -> ML-DSA-65 migration, step by step:
//! verify the old Ed25519 signature (dalek), sign with ML-DSA-65
//! deterministically (liboqs), verify the new signature (pqclean). The
//! records are those of a generated corpus, cycled, so message sizes are
//! the corpus's. `scripts/bench-migrate` turns these figures into the
//! 2-core bound it compares the real run against.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use pqshift::{AlgorithmId, PublicKey, SecretKey, SignMode};
use pqshift_migration::corpus::ParsedRecord;
use pqshift_migration::generate::{self, Params};

fn records() -> Vec<ParsedRecord> {
    let params = Params::new(
        AlgorithmId::Ed25519,
        256,
        4,
        b"bench seed".to_vec(),
        "bench",
    );
    let keys = generate::keys(&params).unwrap();
    (0..params.records)
        .map(|i| {
            generate::record(&params, &keys, i)
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let recs = records();
    let old: Vec<PublicKey> = recs
        .iter()
        .map(|r| {
            PublicKey::decode(&r.public_key.as_ref().unwrap().to_bytes(), Some("dalek")).unwrap()
        })
        .collect();
    let new = SecretKey::from_seed(AlgorithmId::MlDsa65, &[9u8; 32], Some("liboqs")).unwrap();
    let new_pub = new.public_key().unwrap();
    let cross =
        PublicKey::from_raw(AlgorithmId::MlDsa65, new_pub.as_raw(), Some("pqclean")).unwrap();
    let sigs: Vec<_> = recs
        .iter()
        .map(|r| {
            new.sign_with(&r.message, &r.context, SignMode::Deterministic)
                .unwrap()
        })
        .collect();

    let mut g = c.benchmark_group("migrate_cost");
    let mut i = 0usize;
    g.bench_function("ed25519_verify_dalek", |b| {
        b.iter(|| {
            i = (i + 1) % recs.len();
            let r = &recs[i];
            old[i].verify(&r.message, &r.context, &r.signature).unwrap();
        })
    });
    g.bench_function("ml_dsa_65_sign_deterministic_liboqs", |b| {
        b.iter(|| {
            i = (i + 1) % recs.len();
            let r = &recs[i];
            new.sign_with(&r.message, &r.context, SignMode::Deterministic)
                .unwrap()
        })
    });
    g.bench_function("ml_dsa_65_verify_pqclean", |b| {
        b.iter(|| {
            i = (i + 1) % recs.len();
            let r = &recs[i];
            cross.verify(&r.message, &r.context, &sigs[i]).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
