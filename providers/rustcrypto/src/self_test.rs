//! Admission self-tests: small known answers from the NIST ACVP files
//! (generated into `self_test_kats.rs` by `tools/gen_self_test_kats.py`),
//! plus round trips and negative checks.

use pqshift_provider_api::{
    AlgorithmId, DecapsulationKeyOps, EncapsulationKeyOps, Error, Result, SignMode, SigningKeyOps,
    VerifyingKeyOps,
};
use sha2::{Digest, Sha256};

use crate::dsa::{DsaParameters, MlDsaSigningKey, MlDsaVerifyingKey};
use crate::kem::{KemParameters, MlKemDecapsulationKey, MlKemEncapsulationKey};

use pqshift_provider_api::kat::hex;

pub(crate) struct DsaKat {
    tc_id: u32,
    seed: [u8; 32],
    pk_sha256: [u8; 32],
}

pub(crate) struct KemKat {
    keygen_tc_id: u32,
    d_z: [u8; 64],
    ek_sha256: [u8; 32],
    dk_sha256: [u8; 32],
    encaps_tc_id: u32,
    encaps_ek: &'static [u8],
    encaps_m: [u8; 32],
    encaps_c_sha256: [u8; 32],
    encaps_k: [u8; 32],
}

pub(crate) struct DecapsKat {
    tc_id: u32,
    dk: &'static [u8],
    c: &'static [u8],
    k: [u8; 32],
}

mod kats {
    use super::{hex, DecapsKat, DsaKat, KemKat};
    include!("self_test_kats.rs");
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn fail(alg: AlgorithmId, what: impl std::fmt::Display) -> Error {
    Error::Provider(format!("{alg} self-test failed: {what}"))
}

pub(crate) fn dsa<P: DsaParameters>() -> Result<()> {
    let alg = P::ALGORITHM;
    let kat = match alg {
        AlgorithmId::MlDsa44 => &kats::ML_DSA_44,
        AlgorithmId::MlDsa65 => &kats::ML_DSA_65,
        AlgorithmId::MlDsa87 => &kats::ML_DSA_87,
        other => return Err(fail(other, "no known answers for this algorithm")),
    };
    let tc = kat.tc_id;

    // keyGen: KeyGen_internal(xi) gives the ACVP public key.
    let key = MlDsaSigningKey::<P>::from_seed(&kat.seed)?;
    if sha256(key.public_key()) != kat.pk_sha256 {
        return Err(fail(
            alg,
            format!("ACVP keyGen tcId {tc}: public key differs"),
        ));
    }

    // Deterministic sign / verify round trip, with a context.
    let (msg, ctx) = (b"pqshift rustcrypto self-test", b"admission");
    let sig = key.sign(msg, ctx, SignMode::Deterministic)?;
    if sig.len() != alg.sizes().signature {
        return Err(fail(alg, "signature has the wrong length"));
    }
    if key.sign(msg, ctx, SignMode::Deterministic)? != sig {
        return Err(fail(alg, "deterministic signing is not deterministic"));
    }
    let vk = MlDsaVerifyingKey::<P>::from_bytes(key.public_key())?;
    vk.verify(msg, ctx, &sig)
        .map_err(|e| fail(alg, format!("a fresh signature does not verify: {e}")))?;

    // Negatives: a flipped bit, another context, another message.
    let mut flipped = sig.clone();
    flipped[sig.len() / 2] ^= 0x01;
    if vk.verify(msg, ctx, &flipped) != Err(Error::VerificationFailed) {
        return Err(fail(alg, "a flipped signature bit was accepted"));
    }
    if vk.verify(msg, b"other", &sig) != Err(Error::VerificationFailed) {
        return Err(fail(alg, "a signature verified under another context"));
    }
    if vk.verify(b"another message", ctx, &sig) != Err(Error::VerificationFailed) {
        return Err(fail(alg, "a signature verified for another message"));
    }
    // Signatures only a complete verifier rejects (z norm, hint encoding).
    pqshift_provider_api::kat::mldsa_negative::check(&crate::dsa::MlDsa::<P>::new())
}

/// What [`dsa`] checks, for reports.
pub(crate) fn dsa_sets(alg: AlgorithmId) -> Vec<String> {
    let tc = match alg {
        AlgorithmId::MlDsa44 => kats::ML_DSA_44.tc_id,
        AlgorithmId::MlDsa65 => kats::ML_DSA_65.tc_id,
        _ => kats::ML_DSA_87.tc_id,
    };
    let mut sets = vec![
        format!("positive: ACVP ML-DSA keyGen tcId {tc} (seed -> pk)"),
        "positive: deterministic sign/verify round trip with a context".to_string(),
        "negative: flipped signature bit, other message, other context".to_string(),
    ];
    sets.extend(pqshift_provider_api::kat::mldsa_negative::set_names(alg));
    sets
}

pub(crate) fn kem<P: KemParameters>() -> Result<()> {
    let alg = P::ALGORITHM;
    let kat = match alg {
        AlgorithmId::MlKem512 => &kats::ML_KEM_512,
        AlgorithmId::MlKem768 => &kats::ML_KEM_768,
        AlgorithmId::MlKem1024 => &kats::ML_KEM_1024,
        other => return Err(fail(other, "no known answers for this algorithm")),
    };

    // keyGen: KeyGen_internal(d, z) gives the ACVP ek and dk.
    let tc = kat.keygen_tc_id;
    let dk = MlKemDecapsulationKey::<P>::from_seed(&kat.d_z)?;
    if sha256(dk.encapsulation_key()) != kat.ek_sha256 {
        return Err(fail(alg, format!("ACVP keyGen tcId {tc}: ek differs")));
    }
    let expanded = dk
        .expanded_secret_key()
        .ok_or_else(|| fail(alg, "no expanded key"))?;
    if sha256(expanded.expose()) != kat.dk_sha256 {
        return Err(fail(alg, format!("ACVP keyGen tcId {tc}: dk differs")));
    }

    // Encapsulation with the vector's m.
    let tc = kat.encaps_tc_id;
    let ek = MlKemEncapsulationKey::<P>::from_bytes(kat.encaps_ek)?;
    let (c, k) = ek.encapsulate_derand(&kat.encaps_m)?;
    if sha256(&c) != kat.encaps_c_sha256 {
        return Err(fail(
            alg,
            format!("ACVP encapsulation tcId {tc}: c differs"),
        ));
    }
    if !k.ct_eq(&kat.encaps_k) {
        return Err(fail(
            alg,
            format!("ACVP encapsulation tcId {tc}: k differs"),
        ));
    }

    // Round trip on the keyGen key, and implicit rejection of a modified
    // ciphertext (a different key, not an error).
    let own = MlKemEncapsulationKey::<P>::from_bytes(dk.encapsulation_key())?;
    let (c, k) = own.encapsulate_derand(&[0x5a; 32])?;
    if !dk.decapsulate(&c)?.ct_eq(k.expose()) {
        return Err(fail(
            alg,
            "decapsulation does not recover the shared secret",
        ));
    }
    let mut modified = c;
    modified[0] ^= 0x01;
    let rejected = dk.decapsulate(&modified)?;
    if rejected.ct_eq(k.expose()) || !dk.decapsulate(&modified)?.ct_eq(rejected.expose()) {
        return Err(fail(
            alg,
            "implicit rejection misbehaves on a modified ciphertext",
        ));
    }

    // One ACVP decapsulation vector (implicit rejection) where it is small.
    if alg == AlgorithmId::MlKem512 {
        let d = &kats::ML_KEM_512_DECAPS;
        let key = MlKemDecapsulationKey::<P>::from_expanded(d.dk)?;
        if !key.decapsulate(d.c)?.ct_eq(&d.k) {
            return Err(fail(
                alg,
                format!("ACVP decapsulation tcId {}: k differs", d.tc_id),
            ));
        }
    }
    Ok(())
}
