//! Post-quantum operations through the pqshift facade against each backend
//! called directly, in the same run, with the same keys and messages.
//!
//! `cargo bench -p pqshift --bench pq_facade` (under `cargo test --benches`
//! each benchmark runs once, as a smoke test). Goal: facade overhead <= 1%
//! on ML-DSA-65 sign.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use pqcrypto_traits::kem::{Ciphertext as _, PublicKey as _, SecretKey as _};
use pqcrypto_traits::sign::{DetachedSignature as _, PublicKey as _, SecretKey as _};
use pqshift::{
    AlgorithmId, Ciphertext, DecapsulationKey, Policy, PublicKey, SecretKey, SignMode, Signature,
};

const MESSAGE: &[u8] = b"a stored record of moderate length, signed during a migration run";
const CONTEXT: &[u8] = b"bench-ctx";

fn oqs_sig(alg: AlgorithmId) -> oqs::sig::Sig {
    oqs::init();
    let a = match alg {
        AlgorithmId::MlDsa44 => oqs::sig::Algorithm::MlDsa44,
        AlgorithmId::MlDsa65 => oqs::sig::Algorithm::MlDsa65,
        _ => oqs::sig::Algorithm::MlDsa87,
    };
    oqs::sig::Sig::new(a).unwrap()
}

fn oqs_kem(alg: AlgorithmId) -> oqs::kem::Kem {
    oqs::init();
    let a = match alg {
        AlgorithmId::MlKem512 => oqs::kem::Algorithm::MlKem512,
        AlgorithmId::MlKem768 => oqs::kem::Algorithm::MlKem768,
        _ => oqs::kem::Algorithm::MlKem1024,
    };
    oqs::kem::Kem::new(a).unwrap()
}

/// ML-DSA sign/verify: facade (key, and policy) vs liboqs direct, same key.
fn ml_dsa_liboqs(c: &mut Criterion) {
    for alg in [
        AlgorithmId::MlDsa44,
        AlgorithmId::MlDsa65,
        AlgorithmId::MlDsa87,
    ] {
        let key = SecretKey::from_seed(alg, &[0x11; 32], Some("liboqs")).unwrap();
        let public = key.public_key().unwrap();
        let sig = key.sign(MESSAGE, CONTEXT).unwrap();
        let policy = Policy::from_toml_str(&format!(
            "[sign]\nalgorithm = \"{alg}\"\nprovider = \"liboqs\"\n"
        ))
        .unwrap();

        let direct = oqs_sig(alg);
        let expanded = key
            .expanded_secret_key()
            .expect("liboqs exports the expanded key");
        let dsk = direct.secret_key_from_bytes(expanded.expose()).unwrap();
        let dpk = direct.public_key_from_bytes(public.as_raw()).unwrap();
        let dsig = direct.signature_from_bytes(sig.as_raw()).unwrap();

        let mut g = c.benchmark_group(format!("{alg}/liboqs"));
        g.measurement_time(Duration::from_secs(5));
        g.bench_function(BenchmarkId::new("sign", "direct"), |b| {
            b.iter(|| {
                direct
                    .sign_with_ctx_str(black_box(MESSAGE), CONTEXT, dsk)
                    .unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("sign", "facade"), |b| {
            b.iter(|| key.sign(black_box(MESSAGE), CONTEXT).unwrap())
        });
        g.bench_function(BenchmarkId::new("sign", "facade-policy"), |b| {
            b.iter(|| policy.sign(&key, black_box(MESSAGE), CONTEXT).unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "direct"), |b| {
            b.iter(|| {
                direct
                    .verify_with_ctx_str(black_box(MESSAGE), dsig, CONTEXT, dpk)
                    .unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("verify", "facade"), |b| {
            b.iter(|| public.verify(black_box(MESSAGE), CONTEXT, &sig).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| SecretKey::from_seed(alg, black_box(&[0x22; 32]), Some("liboqs")).unwrap())
        });
        g.finish();
    }
}

macro_rules! pqclean_dsa {
    ($c:expr, $alg:expr, $m:ident) => {{
        use pqcrypto_mldsa::$m as d;
        let key = SecretKey::generate($alg, Some("pqclean")).unwrap();
        let public = key.public_key().unwrap();
        let sig = key.sign(MESSAGE, CONTEXT).unwrap();
        let expanded = key
            .expanded_secret_key()
            .expect("pqclean keys are expanded");
        let dsk = d::SecretKey::from_bytes(expanded.expose()).unwrap();
        let dpk = d::PublicKey::from_bytes(public.as_raw()).unwrap();
        let dsig = d::DetachedSignature::from_bytes(sig.as_raw()).unwrap();
        let mut g = $c.benchmark_group(format!("{}/pqclean", $alg));
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(BenchmarkId::new("sign", "direct"), |b| {
            b.iter(|| d::detached_sign_ctx(black_box(MESSAGE), CONTEXT, &dsk))
        });
        g.bench_function(BenchmarkId::new("sign", "facade"), |b| {
            b.iter(|| key.sign(black_box(MESSAGE), CONTEXT).unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "direct"), |b| {
            b.iter(|| {
                d::verify_detached_signature_ctx(&dsig, black_box(MESSAGE), CONTEXT, &dpk).unwrap()
            })
        });
        g.bench_function(BenchmarkId::new("verify", "facade"), |b| {
            b.iter(|| public.verify(black_box(MESSAGE), CONTEXT, &sig).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| b.iter(d::keypair));
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| SecretKey::generate($alg, Some("pqclean")).unwrap())
        });
        g.finish();
    }};
}

fn ml_dsa_pqclean(c: &mut Criterion) {
    pqclean_dsa!(c, AlgorithmId::MlDsa44, mldsa44);
    pqclean_dsa!(c, AlgorithmId::MlDsa65, mldsa65);
    pqclean_dsa!(c, AlgorithmId::MlDsa87, mldsa87);
}

/// ML-KEM encaps/decaps: facade vs liboqs direct, same key.
fn ml_kem_liboqs(c: &mut Criterion) {
    for alg in [
        AlgorithmId::MlKem512,
        AlgorithmId::MlKem768,
        AlgorithmId::MlKem1024,
    ] {
        let dk = DecapsulationKey::from_seed(alg, &[0x33; 64], Some("liboqs")).unwrap();
        let ek = dk.encapsulation_key().unwrap();
        let (ct, _) = ek.encapsulate().unwrap();
        let direct = oqs_kem(alg);
        let expanded = dk
            .expanded_secret_key()
            .expect("liboqs exports the expanded key");
        let dsk = direct.secret_key_from_bytes(expanded.expose()).unwrap();
        let dpk = direct.public_key_from_bytes(ek.as_raw()).unwrap();
        let dct = direct.ciphertext_from_bytes(ct.as_raw()).unwrap();

        let mut g = c.benchmark_group(format!("{alg}/liboqs"));
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(BenchmarkId::new("encaps", "direct"), |b| {
            b.iter(|| direct.encapsulate(dpk).unwrap())
        });
        g.bench_function(BenchmarkId::new("encaps", "facade"), |b| {
            b.iter(|| ek.encapsulate().unwrap())
        });
        g.bench_function(BenchmarkId::new("decaps", "direct"), |b| {
            b.iter(|| direct.decapsulate(dsk, dct).unwrap())
        });
        g.bench_function(BenchmarkId::new("decaps", "facade"), |b| {
            b.iter(|| dk.decapsulate(black_box(&ct)).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| {
                DecapsulationKey::from_seed(alg, black_box(&[0x44; 64]), Some("liboqs")).unwrap()
            })
        });
        g.finish();
    }
}

macro_rules! pqclean_kem {
    ($c:expr, $alg:expr, $m:ident) => {{
        use pqcrypto_mlkem::$m as k;
        let dk = DecapsulationKey::generate($alg, Some("pqclean")).unwrap();
        let ek = dk.encapsulation_key().unwrap();
        let (ct, _) = ek.encapsulate().unwrap();
        let expanded = dk.expanded_secret_key().expect("pqclean keys are expanded");
        let dsk = k::SecretKey::from_bytes(expanded.expose()).unwrap();
        let dpk = k::PublicKey::from_bytes(ek.as_raw()).unwrap();
        let dct = k::Ciphertext::from_bytes(ct.as_raw()).unwrap();
        let mut g = $c.benchmark_group(format!("{}/pqclean", $alg));
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(BenchmarkId::new("encaps", "direct"), |b| {
            b.iter(|| k::encapsulate(&dpk))
        });
        g.bench_function(BenchmarkId::new("encaps", "facade"), |b| {
            b.iter(|| ek.encapsulate().unwrap())
        });
        g.bench_function(BenchmarkId::new("decaps", "direct"), |b| {
            b.iter(|| k::decapsulate(&dct, &dsk))
        });
        g.bench_function(BenchmarkId::new("decaps", "facade"), |b| {
            b.iter(|| dk.decapsulate(black_box(&ct)).unwrap())
        });
        g.finish();
    }};
}

fn ml_kem_pqclean(c: &mut Criterion) {
    pqclean_kem!(c, AlgorithmId::MlKem512, mlkem512);
    pqclean_kem!(c, AlgorithmId::MlKem768, mlkem768);
    pqclean_kem!(c, AlgorithmId::MlKem1024, mlkem1024);
}

/// Deterministic signing through the facade (no direct counterpart in the
/// oqs crate: liboqs signs hedged unless its randomness is fed zeros).
fn ml_dsa_deterministic(c: &mut Criterion) {
    let key = SecretKey::from_seed(AlgorithmId::MlDsa65, &[0x55; 32], Some("liboqs")).unwrap();
    let pk = key.public_key().unwrap();
    let mut g = c.benchmark_group("ml-dsa-65/liboqs-deterministic");
    g.bench_function("sign", |b| {
        b.iter(|| {
            key.sign_with(black_box(MESSAGE), CONTEXT, SignMode::Deterministic)
                .unwrap()
        })
    });
    g.finish();
    // Tagged encode/decode cost, for the record.
    let sig: Signature = key.sign(MESSAGE, CONTEXT).unwrap();
    let text = sig.to_text().unwrap();
    let mut g = c.benchmark_group("ml-dsa-65/encoding");
    g.bench_function("signature-decode-text", |b| {
        b.iter(|| Signature::decode(black_box(text.as_bytes())).unwrap())
    });
    g.bench_function("public-key-parse", |b| {
        b.iter(|| {
            PublicKey::from_raw(AlgorithmId::MlDsa65, black_box(pk.as_raw()), Some("liboqs"))
                .unwrap()
        })
    });
    let ct_alg = AlgorithmId::MlKem768;
    let raw = vec![0u8; ct_alg.sizes().ciphertext];
    g.bench_function("ciphertext-wrap", |b| {
        b.iter(|| Ciphertext::from_raw(ct_alg, black_box(&raw)).unwrap())
    });
    g.finish();
}

criterion_group!(
    benches,
    ml_dsa_liboqs,
    ml_dsa_pqclean,
    ml_kem_liboqs,
    ml_kem_pqclean,
    ml_dsa_deterministic
);
criterion_main!(benches);
