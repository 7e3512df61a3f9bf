//! Known-answer self-tests, run by the registry before the first call.
//!
//! Every expected value comes from the NIST ACVP-Server file
//! `acvp/ML-DSA-keyGen-FIPS204/internalProjection.json` in
//! `../shared/vectors` (named by `tcId` below), never from this crate's
//! output; large values are embedded as their SHA-256 (of the ACVP hex,
//! decoded). The test suite checks these digests against the file.
//!
//! Per parameter set:
//! - positive: ACVP keyGen, seed -> SHA-256 of pk and of the expanded sk;
//! - round trip: a hedged signature with a context verifies; a flipped
//!   bit, another context and another message are rejected; two hedged
//!   signatures of one message differ (fresh randomness);
//! - expanded keys: the keyGen key's expanded form loads to the same
//!   public key, and the same form with one `tr` byte changed is refused;
//! - deterministic signing is refused as unsupported, not served randomly;
//! - and, in [`crate::dsa`], the shared negative known answers of
//!   `pqshift_provider_api::kat::mldsa_negative`.

use pqshift_provider_api::kat::hex;
use pqshift_provider_api::{Error, Result, SignMode, SigningKeyOps, VerifyingKeyOps};

use crate::dsa::{AwslcMlDsa, Params};
use crate::ffi::sha256;

/// One ML-DSA parameter set's known answers.
#[derive(Debug)]
pub struct DsaKat {
    /// ACVP ML-DSA-keyGen-FIPS204 tcId.
    keygen_tc: u32,
    seed: [u8; 32],
    pk_sha256: [u8; 32],
    sk_sha256: [u8; 32],
}

pub(crate) const ML_DSA_44_KAT: DsaKat = DsaKat {
    keygen_tc: 1,
    seed: hex("079EAB79AB14747CA01582B59F2624191B0C59FA219CDEB79F66669DAF0E695E"),
    pk_sha256: hex("abd86d76cc983b72f3d7fd10d80fdc04fb751001e3971eabc9595763c218f90e"),
    sk_sha256: hex("ede6dfdd697f69ddb7acd13e99c9628c5ac42f51bc0a11d01a5bbe513e444388"),
};

pub(crate) const ML_DSA_65_KAT: DsaKat = DsaKat {
    keygen_tc: 26,
    seed: hex("AC37688A229C819F1F5BA5A2ED98E3D0AD98D1B5DB233FF8E8122040BCBA609F"),
    pk_sha256: hex("40c350d2fadedec2f4efa02e371192b497db19857ce2560e803c7b7245eb86f2"),
    sk_sha256: hex("c991cc85063a5e5a83b36a3710ebf8f2b7f44de665ee5139dc7a3058b04f5059"),
};

pub(crate) const ML_DSA_87_KAT: DsaKat = DsaKat {
    keygen_tc: 51,
    seed: hex("631AFC2A36A57E1D090DADC2791D486D72C69A9AABF97990C573214846FE5B64"),
    pk_sha256: hex("bc9dba42a005810c7c8fe491b9141ffbe9ffe2c96e1b8d10173aaea0a7bff336"),
    sk_sha256: hex("4ffe3a7e14760e43d4ad6c3906a1c967222a0068f3ad84d2f0016810e507eb25"),
};

/// One embedded known answer: (ACVP tcId, seed, SHA-256(pk), SHA-256(sk)).
pub type KnownAnswer = (u32, [u8; 32], [u8; 32], [u8; 32]);

/// The embedded known answers, for the test suite's check against the ACVP file.
#[doc(hidden)]
pub fn known_answers() -> [KnownAnswer; 3] {
    [&ML_DSA_44_KAT, &ML_DSA_65_KAT, &ML_DSA_87_KAT]
        .map(|k| (k.keygen_tc, k.seed, k.pk_sha256, k.sk_sha256))
}

/// Offset of `tr` in an expanded ML-DSA secret key (after rho and K).
const TR_OFFSET: usize = 64;

/// The positive sets [`dsa`] checks, one line each.
pub(crate) fn set_names(params: &Params) -> Vec<String> {
    vec![
        format!(
            "positive: ACVP ML-DSA keyGen tcId {} (pk and sk digests)",
            params.kat.keygen_tc
        ),
        "round trip: hedged sign/verify with a context; flipped bit, other context, other message rejected".into(),
        "expanded key: skEncode reloads to the same public key; a changed tr is refused".into(),
        "deterministic signing refused as unsupported".into(),
    ]
}

pub(crate) fn dsa(scheme: &AwslcMlDsa) -> Result<()> {
    let alg = pqshift_provider_api::Scheme::algorithm(scheme);
    let fail = |what: String| Error::Provider(format!("awslc {alg} self-test failed: {what}"));
    let kat = match alg {
        pqshift_provider_api::AlgorithmId::MlDsa44 => &ML_DSA_44_KAT,
        pqshift_provider_api::AlgorithmId::MlDsa65 => &ML_DSA_65_KAT,
        pqshift_provider_api::AlgorithmId::MlDsa87 => &ML_DSA_87_KAT,
        other => return Err(fail(format!("no known answers for {other}"))),
    };
    let tc = kat.keygen_tc;

    // keyGen: KeyGen_internal(xi) gives the ACVP public and secret key.
    let key = scheme.load_seed(&kat.seed)?;
    if sha256(key.public_key()) != kat.pk_sha256 {
        return Err(fail(format!("ACVP keyGen tcId {tc}: public key differs")));
    }
    let expanded = key
        .expanded_secret_key()
        .ok_or_else(|| fail("no expanded secret key".into()))?;
    if sha256(expanded.expose()) != kat.sk_sha256 {
        return Err(fail(format!("ACVP keyGen tcId {tc}: secret key differs")));
    }

    // Hedged round trip with a context, and tampering.
    let (msg, ctx) = (
        b"pqshift awslc self-test".as_slice(),
        b"admission".as_slice(),
    );
    let sig = key.sign(msg, ctx, SignMode::Hedged)?;
    if sig.len() != alg.sizes().signature {
        return Err(fail("signature has the wrong length".into()));
    }
    let vk = scheme.load_public(key.public_key())?;
    vk.verify(msg, ctx, &sig)
        .map_err(|e| fail(format!("a fresh signature does not verify: {e}")))?;
    if key.sign(msg, ctx, SignMode::Hedged)? == sig {
        return Err(fail("two hedged signatures are identical".into()));
    }
    let mut flipped = sig.clone();
    flipped[sig.len() / 2] ^= 0x01;
    if vk.verify(msg, ctx, &flipped) != Err(Error::VerificationFailed) {
        return Err(fail("a flipped signature bit was accepted".into()));
    }
    if vk.verify(msg, b"other", &sig) != Err(Error::VerificationFailed) {
        return Err(fail("a signature verified under another context".into()));
    }
    if vk.verify(b"another message", ctx, &sig) != Err(Error::VerificationFailed) {
        return Err(fail("a signature verified for another message".into()));
    }

    // Expanded keys: validated import.
    let reloaded = scheme.load_expanded(expanded.expose())?;
    if reloaded.public_key() != key.public_key() {
        return Err(fail(
            "the expanded key reloads to another public key".into(),
        ));
    }
    let mut bad = expanded.expose().to_vec();
    bad[TR_OFFSET] ^= 0x01;
    let refused = scheme.load_expanded(&bad);
    bad.fill(0);
    if !matches!(refused, Err(Error::InvalidInput(_))) {
        return Err(fail(
            "an expanded key with a changed tr was not refused".into(),
        ));
    }

    // Deterministic signing is not offered: refused, never random.
    if !matches!(
        key.sign(msg, ctx, SignMode::Deterministic),
        Err(Error::Unsupported(_))
    ) {
        return Err(fail(
            "deterministic signing was not refused as unsupported".into(),
        ));
    }
    Ok(())
}
