//! Known-answer self-tests, run by the registry before the first call.
//!
//! Every expected value comes from the NIST ACVP-Server vector files in
//! `../shared/vectors` (named by file and `tcId` below), never from this
//! crate's output. To keep the source small, large expected values are
//! embedded as their SHA-256 (computed from the ACVP file's hex with
//! `python3 -c 'import hashlib,sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())'`).
//! The ML-KEM encapsulation vectors need their encapsulation key itself:
//! it is in `src/kat/*.hex`, copied verbatim from the ACVP file.
//!
//! - ML-DSA: ACVP keyGen (seed -> SHA-256 of pk and of the expanded sk);
//!   a deterministic sign/verify round trip whose signature must equal
//!   `Sign_internal` over M' = 0x00 || len(ctx) || ctx || M with rnd = 0;
//!   negatives (a flipped bit, another context) must fail verification;
//!   then (in `Scheme::self_test`) the negative known answers of
//!   `pqshift_provider_api::kat::mldsa_negative` (Wycheproof z-norm and
//!   hint cases), which a verifier that skips a FIPS 204 check accepts.
//! - ML-KEM: ACVP keyGen (d, z -> SHA-256 of ek and of dk); ACVP
//!   encapsulation (ek, m -> SHA-256 of c, and k); decapsulation of that
//!   kind of ciphertext under the keyGen key; a modified ciphertext must
//!   give a different key (implicit rejection) without an error.

use sha2::{Digest, Sha256};

use pqshift_provider_api::{
    DecapsulationKeyOps, EncapsulationKeyOps, Error, Result, SignMode, SigningKeyOps,
    VerifyingKeyOps,
};

use crate::{ffi, LiboqsMlDsa, LiboqsMlKem};

use pqshift_provider_api::kat::hex;

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

/// One ML-KEM parameter set's known answers.
#[derive(Debug)]
pub struct KemKat {
    /// ACVP ML-KEM-keyGen-FIPS203 tcId.
    keygen_tc: u32,
    d: [u8; 32],
    z: [u8; 32],
    ek_sha256: [u8; 32],
    dk_sha256: [u8; 32],
    /// ACVP ML-KEM-encapDecap-FIPS203 tcId (an encapsulation test).
    encap_tc: u32,
    encap_ek: &'static [u8],
    encap_m: [u8; 32],
    encap_c_sha256: [u8; 32],
    encap_k: [u8; 32],
}

const ML_KEM_512_ENCAP_EK: [u8; 800] = hex(include_str!("kat/ml-kem-512-encap-tc1-ek.hex"));
const ML_KEM_768_ENCAP_EK: [u8; 1184] = hex(include_str!("kat/ml-kem-768-encap-tc26-ek.hex"));
const ML_KEM_1024_ENCAP_EK: [u8; 1568] = hex(include_str!("kat/ml-kem-1024-encap-tc51-ek.hex"));

pub(crate) const ML_KEM_512_KAT: KemKat = KemKat {
    keygen_tc: 1,
    d: hex("CDF4E658BDD4636F09F70BD76CE6D1AF028562586EF237C7481033EE03C31FF2"),
    z: hex("38CD80FE6CD34678DE86E55E145BAF191B675C19C485C54EF3522C044D42F6EE"),
    ek_sha256: hex("adcb5bbcc7dc6c4930ff09720a1a8f92dbe0c2b84f2dcef01d303bf0c0d0fb57"),
    dk_sha256: hex("adb27b8671ce816295bf985759feae7cb19bdeb53604c36ece1f24cbd7799aa7"),
    encap_tc: 1,
    encap_ek: &ML_KEM_512_ENCAP_EK,
    encap_m: hex("381C547CE06B687A7A17C1A99D11A7A4C35B82685AF51CE452099C60136FD84A"),
    encap_c_sha256: hex("be4c14c04aaf185acdc18249a28bd8132551ee9549cf4fd44ea47a0d48ce026a"),
    encap_k: hex("9A4E2BCC0E5E40528B4C2879D8BE4BF7AA266C16762480054B475814789EABCA"),
};

pub(crate) const ML_KEM_768_KAT: KemKat = KemKat {
    keygen_tc: 26,
    d: hex("706D0283EC389266E596018FEB19E8DACCC5E72E47E2ACC8E5240A81298E5DD1"),
    z: hex("C15B8C9B80FA3920FC873937A3CD2CF4F5418327986AB8FC09827E25588FED1E"),
    ek_sha256: hex("3811a9d29701be64eb09c8c50890780b8bb09818692619ab6d311dad4876ebce"),
    dk_sha256: hex("22437e6f3d10cee0867ac30a12ac335a5530aa18239e7f3184bc2260573186e2"),
    encap_tc: 26,
    encap_ek: &ML_KEM_768_ENCAP_EK,
    encap_m: hex("E878C19451E35781568192BC03952994C9D342E32E5FEB2E584C8A2553500364"),
    encap_c_sha256: hex("c16035c65be7ee3f6b81132997a1169148d32b8fe9f7dc040a649077bba22d50"),
    encap_k: hex("CE514D5D0B700EA35AC0E039D76FDB9A96433A4A7312016F063473575FD6CA7F"),
};

pub(crate) const ML_KEM_1024_KAT: KemKat = KemKat {
    keygen_tc: 51,
    d: hex("845CF2BDD27DD31B55E5E82E4C817D30C1D7B26A2CAEC2495A4F538066497262"),
    z: hex("93C761C35003FC105008E8B63573F21B3EFCAD48976E6FE52042C0CF8E24243D"),
    ek_sha256: hex("f62a71641003f59b1966a87e0938f15cf00bebd3ec6a769c78e64e7f1926b45d"),
    dk_sha256: hex("11d08c56e43da919e9da491512e9d09635487030ebcd03f4a343064569887821"),
    encap_tc: 51,
    encap_ek: &ML_KEM_1024_ENCAP_EK,
    encap_m: hex("8FA6B817B59059DED3AA03A34120C35D0976A61AE9AAB8FB4C8F2EA7ECF9BFD4"),
    encap_c_sha256: hex("a27747197df23eb323c411600173dcf7166559a2c3cf9b5ae8ba4f1254d1e437"),
    encap_k: hex("F542730FEC64652A758EED71DCF85D4977D2C55787567BCE243EDFEA922EA52B"),
};

/// What [`ml_dsa`] checks, one line per set (for `Scheme::self_test_sets`).
pub(crate) fn ml_dsa_sets(kat: &DsaKat) -> Vec<String> {
    vec![
        format!(
            "positive: ACVP ML-DSA keyGen tcId {} (seed -> public key and expanded secret key)",
            kat.keygen_tc
        ),
        "positive: deterministic sign/verify round trip, signature equal to \
         Sign_internal(M' = 0x00 || len(ctx) || ctx || M, rnd = 0)"
            .into(),
        "negative: the round-trip signature with one bit flipped".into(),
        "negative: the round-trip signature under another context".into(),
    ]
}

/// What [`ml_kem`] checks, one line per set (for `Scheme::self_test_sets`).
pub(crate) fn ml_kem_sets(kat: &KemKat) -> Vec<String> {
    vec![
        format!(
            "positive: ACVP ML-KEM keyGen tcId {} (d, z -> ek and dk)",
            kat.keygen_tc
        ),
        format!(
            "positive: ACVP ML-KEM encapDecap tcId {} (ek, m -> c and k)",
            kat.encap_tc
        ),
        "positive: derandomized encapsulation to the keyGen key, decapsulated".into(),
        "negative: a modified ciphertext gives the implicit-rejection key, not the shared key"
            .into(),
    ]
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn fail(alg: impl std::fmt::Display, what: &str) -> Error {
    Error::Provider(format!("liboqs {alg} self-test failed: {what}"))
}

pub(crate) fn ml_dsa(scheme: &LiboqsMlDsa, kat: &DsaKat) -> Result<()> {
    let alg = scheme.params.algorithm;
    let tc = kat.keygen_tc;

    let key = scheme.load_seed(&kat.seed)?;
    if sha256(key.public_key()) != kat.pk_sha256 {
        return Err(fail(
            alg,
            &format!("ACVP keyGen tcId {tc}: public key differs"),
        ));
    }
    let expanded = key
        .expanded_secret_key()
        .ok_or_else(|| fail(alg, "no expanded key"))?;
    if sha256(expanded.expose()) != kat.sk_sha256 {
        return Err(fail(
            alg,
            &format!("ACVP keyGen tcId {tc}: secret key differs"),
        ));
    }

    let (message, context) = (&b"pqshift liboqs self-test"[..], &b"pqshift"[..]);
    let sig = key.sign(message, context, SignMode::Deterministic)?;
    if key.sign(message, context, SignMode::Deterministic)? != sig {
        return Err(fail(alg, "deterministic signing is not deterministic"));
    }
    // FIPS 204 algorithm 2: M' = 0x00 || len(ctx) || ctx || M, rnd = 0.
    let mut pre = vec![0u8, context.len() as u8];
    pre.extend_from_slice(context);
    let internal = ffi::ml_dsa_sign_internal(
        scheme.params.level,
        expanded.expose(),
        &pre,
        message,
        &[0u8; 32],
    );
    if internal.as_deref() != Some(&sig[..]) {
        return Err(fail(
            alg,
            "deterministic signature differs from Sign_internal(M', rnd = 0)",
        ));
    }

    let vk = scheme.load_public(key.public_key())?;
    vk.verify(message, context, &sig)
        .map_err(|_| fail(alg, "signature does not verify"))?;
    let mut bad = sig.clone();
    bad[sig.len() / 2] ^= 0x01;
    if vk.verify(message, context, &bad) != Err(Error::VerificationFailed) {
        return Err(fail(alg, "a flipped bit was accepted"));
    }
    if vk.verify(message, b"other", &sig) != Err(Error::VerificationFailed) {
        return Err(fail(alg, "a signature verified under another context"));
    }
    Ok(())
}

pub(crate) fn ml_kem(scheme: &LiboqsMlKem, kat: &KemKat) -> Result<()> {
    let alg = scheme.params.algorithm;
    let tc = kat.keygen_tc;

    let mut seed = [0u8; 64];
    seed[..32].copy_from_slice(&kat.d);
    seed[32..].copy_from_slice(&kat.z);
    let dk = scheme.load_seed(&seed)?;
    if sha256(dk.encapsulation_key()) != kat.ek_sha256 {
        return Err(fail(alg, &format!("ACVP keyGen tcId {tc}: ek differs")));
    }
    let expanded = dk
        .expanded_secret_key()
        .ok_or_else(|| fail(alg, "no expanded key"))?;
    if sha256(expanded.expose()) != kat.dk_sha256 {
        return Err(fail(alg, &format!("ACVP keyGen tcId {tc}: dk differs")));
    }

    let tc = kat.encap_tc;
    let ek = scheme.load_public(kat.encap_ek)?;
    let (c, k) = ek.encapsulate_derand(&kat.encap_m)?;
    if sha256(&c) != kat.encap_c_sha256 || !k.ct_eq(&kat.encap_k) {
        return Err(fail(
            alg,
            &format!("ACVP encapDecap tcId {tc}: c or k differs"),
        ));
    }

    let own = scheme.load_public(dk.encapsulation_key())?;
    let (c, k) = own.encapsulate_derand(&kat.encap_m)?;
    if !dk.decapsulate(&c)?.ct_eq(k.expose()) {
        return Err(fail(alg, "decapsulation does not recover the key"));
    }
    let mut modified = c;
    modified[0] ^= 0x01;
    if dk.decapsulate(&modified)?.ct_eq(k.expose()) {
        return Err(fail(alg, "a modified ciphertext gave the same key"));
    }
    Ok(())
}
