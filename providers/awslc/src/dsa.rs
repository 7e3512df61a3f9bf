//! ML-DSA (FIPS 204) on AWS-LC: the schemes, signing keys and verifying keys.

use std::fmt;

use pqshift_provider_api::{
    check_context, check_len, kat, AlgorithmId, Capabilities, Error, ProviderInfo, Result, Scheme,
    SecretBytes, SignMode, SignatureScheme, SigningKeyOps, Variant, VerifyingKeyOps,
};

use crate::ffi::{self, Pkey};
use crate::{self_test, PROVIDER};

/// One ML-DSA parameter set: the constant table behind [`AwslcMlDsa`].
#[derive(Debug)]
pub(crate) struct Params {
    pub(crate) algorithm: AlgorithmId,
    nid: i32,
    pub(crate) kat: &'static self_test::DsaKat,
}

impl Params {
    pub(crate) const ML_DSA_44: Params = Params {
        algorithm: AlgorithmId::MlDsa44,
        nid: ffi::NID_MLDSA44,
        kat: &self_test::ML_DSA_44_KAT,
    };
    pub(crate) const ML_DSA_65: Params = Params {
        algorithm: AlgorithmId::MlDsa65,
        nid: ffi::NID_MLDSA65,
        kat: &self_test::ML_DSA_65_KAT,
    };
    pub(crate) const ML_DSA_87: Params = Params {
        algorithm: AlgorithmId::MlDsa87,
        nid: ffi::NID_MLDSA87,
        kat: &self_test::ML_DSA_87_KAT,
    };
}

/// ML-DSA on AWS-LC; use the [`crate::ML_DSA_44`], [`crate::ML_DSA_65`],
/// [`crate::ML_DSA_87`] statics.
#[derive(Debug)]
pub struct AwslcMlDsa {
    params: Params,
}

/// A short, non-secret description of a public key for `Debug`: the first
/// 8 bytes of its SHA-256.
fn fingerprint(public: &[u8]) -> String {
    ffi::sha256(public)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl AwslcMlDsa {
    pub(crate) const fn new(params: Params) -> Self {
        AwslcMlDsa { params }
    }

    fn backend_failure(&self, what: &str) -> Error {
        Error::Provider(format!("AWS-LC {} {what} failed", self.params.algorithm))
    }

    /// Loads a signing key from its 32-byte seed xi (FIPS 204 `KeyGen_internal`).
    pub fn load_seed(&self, seed: &[u8]) -> Result<AwslcSigningKey> {
        let alg = self.params.algorithm;
        check_len(alg, "seed (FIPS 204 xi)", alg.sizes().seed, seed)?;
        let pkey = ffi::private_key(self.params.nid, seed)
            .ok_or_else(|| self.backend_failure("key generation from seed"))?;
        self.signing_key(pkey, Some(SecretBytes::from_slice(seed)))
    }

    /// Loads a signing key from the standard expanded secret key (FIPS 204
    /// `skEncode`), validated by AWS-LC (see the crate documentation).
    pub fn load_expanded(&self, expanded: &[u8]) -> Result<AwslcSigningKey> {
        let alg = self.params.algorithm;
        check_len(
            alg,
            "expanded secret key",
            alg.sizes().expanded_secret_key,
            expanded,
        )?;
        let pkey = ffi::private_key(self.params.nid, expanded).ok_or_else(|| {
            Error::invalid(format!(
                "{alg} expanded secret key is not valid: AWS-LC found s1 or s2 out of range, \
                 or t0 or tr inconsistent with the rest of the key"
            ))
        })?;
        self.signing_key(pkey, None)
    }

    fn signing_key(&self, pkey: Pkey, seed: Option<SecretBytes>) -> Result<AwslcSigningKey> {
        let alg = self.params.algorithm;
        let sizes = alg.sizes();
        let public = pkey
            .raw_public_key(sizes.public_key)
            .ok_or_else(|| self.backend_failure("public key export"))?;
        // Moved, not copied: the only Rust copy is zeroized on drop.
        let expanded = SecretBytes::new(
            pkey.raw_private_key(sizes.expanded_secret_key)
                .ok_or_else(|| self.backend_failure("secret key export"))?,
        );
        Ok(AwslcSigningKey {
            algorithm: alg,
            pkey,
            seed,
            expanded,
            public,
        })
    }

    /// Parses a public key (the standard encoding; every byte string of the
    /// right length is a valid ML-DSA public key).
    pub fn load_public(&self, public_key: &[u8]) -> Result<AwslcVerifyingKey> {
        let alg = self.params.algorithm;
        check_len(alg, "public key", alg.sizes().public_key, public_key)?;
        let pkey = ffi::public_key(self.params.nid, public_key)
            .ok_or_else(|| self.backend_failure("public key parsing"))?;
        Ok(AwslcVerifyingKey {
            algorithm: alg,
            pkey,
            public: public_key.to_vec(),
        })
    }
}

/// A loaded ML-DSA signing key: AWS-LC's key object, the seed (absent for
/// a key loaded in expanded form), the expanded secret key (zeroized on
/// drop) and the public key.
pub struct AwslcSigningKey {
    algorithm: AlgorithmId,
    pkey: Pkey,
    seed: Option<SecretBytes>,
    expanded: SecretBytes,
    public: Vec<u8>,
}

impl fmt::Debug for AwslcSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwslcSigningKey")
            .field("algorithm", &self.algorithm.as_str())
            .field("public_key_sha256_prefix", &fingerprint(&self.public))
            .field("seed", &self.seed)
            .field("expanded", &self.expanded)
            .finish_non_exhaustive()
    }
}

impl SigningKeyOps for AwslcSigningKey {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn seed(&self) -> Option<&SecretBytes> {
        self.seed.as_ref()
    }

    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        Some(&self.expanded)
    }

    fn sign(&self, message: &[u8], context: &[u8], mode: SignMode) -> Result<Vec<u8>> {
        let alg = self.algorithm;
        check_context(alg, context)?;
        if mode == SignMode::Deterministic {
            return Err(Error::unsupported(format!(
                "provider {} cannot sign {alg} deterministically: AWS-LC's public API draws the \
                 signing randomness itself; use provider liboqs or rustcrypto for deterministic \
                 signatures",
                PROVIDER.id
            )));
        }
        self.pkey
            .sign(message, context, alg.sizes().signature)
            .ok_or_else(|| Error::Provider(format!("AWS-LC {alg} signing failed")))
    }
}

/// A parsed ML-DSA public key (AWS-LC's key object and the encoding).
pub struct AwslcVerifyingKey {
    algorithm: AlgorithmId,
    pkey: Pkey,
    public: Vec<u8>,
}

impl fmt::Debug for AwslcVerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwslcVerifyingKey")
            .field("algorithm", &self.algorithm.as_str())
            .field("public_key_sha256_prefix", &fingerprint(&self.public))
            .finish_non_exhaustive()
    }
}

impl VerifyingKeyOps for AwslcVerifyingKey {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn verify(&self, message: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
        let alg = self.algorithm;
        check_context(alg, context)?;
        check_len(alg, "signature", alg.sizes().signature, signature)?;
        if self.pkey.verify(message, context, signature) {
            Ok(())
        } else {
            Err(Error::VerificationFailed)
        }
    }
}

impl Scheme for AwslcMlDsa {
    fn algorithm(&self) -> AlgorithmId {
        self.params.algorithm
    }

    fn provider(&self) -> &'static ProviderInfo {
        &PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            seeded_keygen: true,
            deterministic_sign: false,
            hedged_sign: true,
            context: true,
            derandomized_encaps: false,
        }
    }

    fn self_test(&self) -> Result<()> {
        self_test::dsa(self)?;
        kat::mldsa_negative::check(self)
    }

    fn variant(&self) -> Variant {
        variant()
    }

    fn self_test_sets(&self) -> Vec<String> {
        let mut sets = self_test::set_names(&self.params);
        sets.extend(kat::mldsa_negative::set_names(self.params.algorithm));
        sets
    }
}

impl SignatureScheme for AwslcMlDsa {
    fn signing_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Ok(Box::new(self.load_seed(seed)?))
    }

    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        Ok(Box::new(self.load_public(public_key)?))
    }

    fn signing_key_from_expanded(&self, expanded: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Ok(Box::new(self.load_expanded(expanded)?))
    }
}

/// AWS-LC's ML-DSA (mldsa-native) has portable C code and, when AWS-LC is
/// built with its assembly (`CRYPTO_has_asm`), an AVX2 backend on x86_64 and
/// a NEON backend on aarch64, chosen per call from AWS-LC's CPU capability
/// flags. Those flags are not exported, so the active variant is inferred
/// from the same CPU feature the Rust standard library detects.
fn variant() -> Variant {
    let asm = ffi::has_asm();
    #[cfg(target_arch = "x86_64")]
    {
        if asm {
            let avx2 = std::arch::is_x86_feature_detected!("avx2");
            return Variant {
                compiled: vec!["c", "avx2"],
                active: if avx2 { "avx2" } else { "c" },
                note: format!(
                    "aws-lc: run-time dispatch on CRYPTO_is_AVX2_capable() (not observable from \
                     outside); this CPU {} AVX2, so the {} code is expected to serve \
                     (OPENSSL_ia32cap can mask AVX2 and is not taken into account)",
                    if avx2 { "has" } else { "lacks" },
                    if avx2 { "AVX2" } else { "portable C" }
                ),
            };
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        if asm {
            return Variant {
                compiled: vec!["c", "neon"],
                active: "neon",
                note: "aws-lc: run-time dispatch on CRYPTO_is_NEON_capable() (not observable \
                       from outside); NEON is part of every aarch64 CPU"
                    .into(),
            };
        }
    }
    let _ = asm;
    Variant {
        compiled: vec!["c"],
        active: "c",
        note: "aws-lc built without assembly: portable C only".into(),
    }
}
