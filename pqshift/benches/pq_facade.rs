//! Post-quantum operations (and the placeholder MAC) through the pqshift
//! facade against each backend called directly — AWS-LC (aws-lc-rs),
//! liboqs (oqs crate), PQClean (pqcrypto crates), RustCrypto (ml-dsa /
//! ml-kem crates), the hmac crate — in the same run, with the same keys and
//! messages.
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
        // liboqs's own keypair() draws its seed from the OS; the facade's from
        // a given seed (through the randomness hook): the same KeyGen.
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| {
            b.iter(|| direct.keypair().unwrap())
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

macro_rules! rustcrypto_dsa {
    ($c:expr, $alg:expr, $p:ty) => {{
        use ml_dsa::{EncodedVerifyingKey, ExpandedSigningKey, VerifyingKey};
        let seed = [0x33u8; 32];
        let key = SecretKey::from_seed($alg, &seed, Some("rustcrypto")).unwrap();
        let public = key.public_key().unwrap();
        let sig = key
            .sign_with(MESSAGE, CONTEXT, SignMode::Deterministic)
            .unwrap();
        let dsk = ExpandedSigningKey::<$p>::from_seed(&ml_dsa::Seed::from(seed));
        let enc = EncodedVerifyingKey::<$p>::try_from(public.as_raw()).unwrap();
        let dpk = VerifyingKey::<$p>::decode(&enc);
        let mut g = $c.benchmark_group(format!("{}/rustcrypto", $alg));
        g.measurement_time(Duration::from_secs(3));
        // Deterministic on both sides (the crate's hedged signing takes an RNG
        // object; the facade's draws from the OS): same FIPS 204 work.
        g.bench_function(BenchmarkId::new("sign", "direct"), |b| {
            b.iter(|| {
                dsk.sign_deterministic(black_box(MESSAGE), CONTEXT)
                    .unwrap()
                    .encode()
            })
        });
        g.bench_function(BenchmarkId::new("sign", "facade"), |b| {
            b.iter(|| {
                key.sign_with(black_box(MESSAGE), CONTEXT, SignMode::Deterministic)
                    .unwrap()
            })
        });
        // From the signature's bytes, like the facade (sigDecode is part of verifying).
        g.bench_function(BenchmarkId::new("verify", "direct"), |b| {
            b.iter(|| {
                let enc =
                    ml_dsa::EncodedSignature::<$p>::try_from(black_box(sig.as_raw())).unwrap();
                let dsig = ml_dsa::Signature::<$p>::decode(&enc).unwrap();
                assert!(dpk.verify_with_context(black_box(MESSAGE), CONTEXT, &dsig))
            })
        });
        g.bench_function(BenchmarkId::new("verify", "facade"), |b| {
            b.iter(|| public.verify(black_box(MESSAGE), CONTEXT, &sig).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| {
            b.iter(|| {
                let k = ExpandedSigningKey::<$p>::from_seed(&ml_dsa::Seed::from(black_box(seed)));
                k.verifying_key().encode()
            })
        });
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| SecretKey::from_seed($alg, black_box(&seed), Some("rustcrypto")).unwrap())
        });
        g.finish();
    }};
}

/// ML-DSA: facade (provider awslc) vs aws-lc-rs called directly, same key
/// and the same AWS-LC build. aws-lc-rs's safe API signs with an empty
/// context only, so both sides use the empty context here.
fn ml_dsa_awslc(c: &mut Criterion) {
    use aws_lc_rs::signature::{
        KeyPair, PqdsaKeyPair, PqdsaSigningAlgorithm, PqdsaVerificationAlgorithm,
        UnparsedPublicKey, ML_DSA_44, ML_DSA_44_SIGNING, ML_DSA_65, ML_DSA_65_SIGNING, ML_DSA_87,
        ML_DSA_87_SIGNING,
    };
    let sets: [(
        AlgorithmId,
        &'static PqdsaSigningAlgorithm,
        &'static PqdsaVerificationAlgorithm,
    ); 3] = [
        (AlgorithmId::MlDsa44, &ML_DSA_44_SIGNING, &ML_DSA_44),
        (AlgorithmId::MlDsa65, &ML_DSA_65_SIGNING, &ML_DSA_65),
        (AlgorithmId::MlDsa87, &ML_DSA_87_SIGNING, &ML_DSA_87),
    ];
    for (alg, signing, verifying) in sets {
        let seed = [0x66u8; 32];
        let key = SecretKey::from_seed(alg, &seed, Some("awslc")).unwrap();
        let public = key.public_key().unwrap();
        let sig = key.sign(MESSAGE, b"").unwrap();
        let direct = PqdsaKeyPair::from_seed(signing, &seed).unwrap();
        assert_eq!(direct.public_key().as_ref(), public.as_raw());
        let direct_pk = UnparsedPublicKey::new(verifying, public.as_raw().to_vec());
        let mut direct_sig = vec![0u8; signing.signature_len()];
        let mut g = c.benchmark_group(format!("{alg}/awslc"));
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(BenchmarkId::new("sign", "direct"), |b| {
            b.iter(|| direct.sign(black_box(MESSAGE), &mut direct_sig).unwrap())
        });
        g.bench_function(BenchmarkId::new("sign", "facade"), |b| {
            b.iter(|| key.sign(black_box(MESSAGE), b"").unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "direct"), |b| {
            b.iter(|| direct_pk.verify(black_box(MESSAGE), sig.as_raw()).unwrap())
        });
        g.bench_function(BenchmarkId::new("verify", "facade"), |b| {
            b.iter(|| public.verify(black_box(MESSAGE), b"", &sig).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| {
            b.iter(|| PqdsaKeyPair::from_seed(signing, black_box(&seed)).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| SecretKey::from_seed(alg, black_box(&seed), Some("awslc")).unwrap())
        });
        g.finish();
    }
}

/// ML-DSA: facade vs RustCrypto's ml-dsa called directly, same key.
fn ml_dsa_rustcrypto(c: &mut Criterion) {
    rustcrypto_dsa!(c, AlgorithmId::MlDsa44, ml_dsa::MlDsa44);
    rustcrypto_dsa!(c, AlgorithmId::MlDsa65, ml_dsa::MlDsa65);
    rustcrypto_dsa!(c, AlgorithmId::MlDsa87, ml_dsa::MlDsa87);
}

macro_rules! rustcrypto_kem {
    ($c:expr, $alg:expr, $m:ident) => {{
        use ml_kem::$m as k;
        use ml_kem::Decapsulate as _;
        let seed = [0x44u8; 64];
        let m = [0x66u8; 32];
        let key = DecapsulationKey::from_seed($alg, &seed, Some("rustcrypto")).unwrap();
        let ek = key.encapsulation_key().unwrap();
        let (ct, _) = ek.encapsulate_derand(&m).unwrap();
        let ddk = k::DecapsulationKey::from_seed(ml_kem::Seed::from(seed));
        let dek = ddk.encapsulation_key().clone();
        let dct = k::Ciphertext::try_from(ct.as_raw()).unwrap();
        let mut g = $c.benchmark_group(format!("{}/rustcrypto", $alg));
        g.measurement_time(Duration::from_secs(3));
        // Encapsulation with a given m on both sides (FIPS 203 ML-KEM.Encaps_internal).
        g.bench_function(BenchmarkId::new("encaps", "direct"), |b| {
            b.iter(|| dek.encapsulate_deterministic(&ml_kem::B32::from(black_box(m))))
        });
        g.bench_function(BenchmarkId::new("encaps", "facade"), |b| {
            b.iter(|| ek.encapsulate_derand(black_box(&m)).unwrap())
        });
        g.bench_function(BenchmarkId::new("decaps", "direct"), |b| {
            b.iter(|| ddk.decapsulate(black_box(&dct)))
        });
        g.bench_function(BenchmarkId::new("decaps", "facade"), |b| {
            b.iter(|| key.decapsulate(black_box(&ct)).unwrap())
        });
        g.bench_function(BenchmarkId::new("keygen", "direct"), |b| {
            b.iter(|| k::DecapsulationKey::from_seed(ml_kem::Seed::from(black_box(seed))))
        });
        g.bench_function(BenchmarkId::new("keygen", "facade"), |b| {
            b.iter(|| {
                DecapsulationKey::from_seed($alg, black_box(&seed), Some("rustcrypto")).unwrap()
            })
        });
        g.finish();
    }};
}

/// ML-KEM: facade vs RustCrypto's ml-kem called directly, same key.
fn ml_kem_rustcrypto(c: &mut Criterion) {
    rustcrypto_kem!(c, AlgorithmId::MlKem512, ml_kem_512);
    rustcrypto_kem!(c, AlgorithmId::MlKem768, ml_kem_768);
    rustcrypto_kem!(c, AlgorithmId::MlKem1024, ml_kem_1024);
}

/// The insecure placeholder MAC: facade vs the hmac crate with the same
/// framing (HMAC-SHA-256 over 0x00 || len(ctx) || ctx || msg).
fn placeholder_hmac(c: &mut Criterion) {
    use hmac::{Hmac, Mac};
    let alg = AlgorithmId::InsecureTestHmacSha256;
    let seed = [0x77u8; 32];
    let key = SecretKey::from_seed(alg, &seed, Some("placeholder")).unwrap();
    let tag = key.sign(MESSAGE, CONTEXT).unwrap();
    let direct = |msg: &[u8]| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&seed).unwrap();
        mac.update(&[0, CONTEXT.len() as u8]);
        mac.update(CONTEXT);
        mac.update(msg);
        mac
    };
    assert_eq!(
        direct(MESSAGE).finalize().into_bytes().as_slice(),
        tag.as_raw(),
        "same framing as the provider"
    );
    let mut g = c.benchmark_group(format!("{alg}/placeholder"));
    g.bench_function(BenchmarkId::new("sign", "direct"), |b| {
        b.iter(|| direct(black_box(MESSAGE)).finalize().into_bytes())
    });
    g.bench_function(BenchmarkId::new("sign", "facade"), |b| {
        b.iter(|| key.sign(black_box(MESSAGE), CONTEXT).unwrap())
    });
    g.bench_function(BenchmarkId::new("verify", "direct"), |b| {
        b.iter(|| {
            direct(black_box(MESSAGE))
                .verify_slice(tag.as_raw())
                .unwrap()
        })
    });
    g.bench_function(BenchmarkId::new("verify", "facade"), |b| {
        b.iter(|| key.verify(black_box(MESSAGE), CONTEXT, &tag).unwrap())
    });
    g.finish();
}

criterion_group!(
    benches,
    ml_dsa_awslc,
    ml_dsa_liboqs,
    ml_dsa_pqclean,
    ml_dsa_rustcrypto,
    ml_kem_liboqs,
    ml_kem_pqclean,
    ml_kem_rustcrypto,
    placeholder_hmac,
    ml_dsa_deterministic
);
criterion_main!(benches);
