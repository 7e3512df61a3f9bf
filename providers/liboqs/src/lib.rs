//! ML-DSA (FIPS 204) and ML-KEM (FIPS 203) for pqshift, on
//! [liboqs](https://openquantumsafe.org/liboqs/) 0.13.0 through the
//! [`oqs`](https://docs.rs/oqs) crate 0.11.0 (liboqs built from its vendored
//! source and linked statically; no OpenSSL).
//!
//! Provider ID `liboqs`, algorithms `ml-dsa-44`, `ml-dsa-65`, `ml-dsa-87`
//! ([`SignatureScheme`]) and `ml-kem-512`, `ml-kem-768`, `ml-kem-1024`
//! ([`KemScheme`]), one static each ([`ML_DSA_44`], ..., [`ML_KEM_1024`]).
//! Preference 10: preferred over the pqcrypto (`pqclean`) provider.
//!
//! # Keys
//!
//! - Seed-first: an ML-DSA key is loaded from its 32-byte seed xi, an ML-KEM
//!   key from its 64-byte seed d||z. liboqs' ML-DSA key generation takes no
//!   seed, so the seed is fed to it as its randomness, on this thread only
//!   (see below); ML-KEM uses liboqs' `keypair_derand`. Both equal the
//!   standards' `KeyGen_internal` (all 150 ACVP keyGen vectors pass).
//! - A loaded key holds the standard expanded secret key (derived once at
//!   load, kept in a [`SecretBytes`], zeroized on drop), its seed and its
//!   public key; `expanded_secret_key()` returns the expanded key. The
//!   `oqs` crate's own `SecretKey` / `SharedSecret` buffers do not zeroize:
//!   their `Vec`s are moved (not copied) into [`SecretBytes`], so the only
//!   copy is zeroized. Stack copies inside liboqs are liboqs' business.
//! - Loading an *expanded* key (`signing_key_from_expanded`,
//!   `decapsulation_key_from_expanded`) is refused with
//!   [`Error::Unsupported`]: liboqs does not validate an expanded key from
//!   outside, so this provider loads seed-form keys only.
//!
//! # Operations
//!
//! - ML-DSA signing is the FIPS 204 external ("pure") interface with a
//!   context of at most 255 bytes (longer is [`Error::InvalidInput`], on
//!   signing and on verifying, before liboqs is called).
//!   [`SignMode::Hedged`] draws 32 fresh bytes from the operating system;
//!   [`SignMode::Deterministic`] uses rnd = 32 zero bytes.
//! - ML-KEM encapsulation keys are checked at parse time (FIPS 203 section
//!   7.2, the modulus check: every 12-bit coefficient below q = 3329);
//!   `encapsulate_derand(m)` takes the 32-byte randomness m (for
//!   known-answer tests); decapsulation of a modified ciphertext returns the
//!   implicit-rejection key, not an error.
//! - Every length is checked before liboqs is called; a wrong length says
//!   the expected size. A signature that does not verify is
//!   [`Error::VerificationFailed`], with no detail.
//!
//! # Build: liboqs without its AVX2 ML-DSA code
//!
//! liboqs 0.13's AVX2 ML-DSA verifier lacks the FIPS 204 z-norm check (it
//! accepts Wycheproof's `InfinityNormViolation` signatures), so liboqs is
//! built without it and ML-DSA runs liboqs' reference code on every CPU;
//! ML-KEM keeps its x86_64 (AVX2) code. The repository's
//! `.cargo/config.toml` sets `CMAKE_TOOLCHAIN_FILE_x86_64_unknown_linux_gnu`
//! (read by the `cmake` crate that builds liboqs inside `oqs-sys`) to
//! `providers/liboqs/cmake/liboqs-no-avx2-mldsa.cmake`, which turns
//! `OQS_ENABLE_SIG_ml_dsa_{44,65,87}_avx2` off and nothing else.
//!
//! The trap: cargo does not rebuild `oqs-sys` when that file or that entry
//! changes, so an older target directory keeps its AVX2 build. Run
//! `cargo clean -p oqs-sys` (and `cargo clean -p oqs-sys --release`) and
//! rebuild. A stale build fails closed: the ML-DSA self-test feeds liboqs
//! negative known answers ([`pqshift_provider_api::kat::mldsa_negative`]),
//! so on an AVX2 CPU the provider is refused at load; the build script
//! also warns when it finds the AVX2 code.
//!
//! [`Scheme::variant`] reports what is compiled in (read by `build.rs`
//! from the `oqsconfig.h` liboqs installed) and what serves on this CPU:
//! ML-DSA `compiled: ["ref"]`; ML-KEM `["ref", "avx2"]`, `avx2` active when
//! the CPU has AVX2, BMI2 and POPCNT. See `providers/liboqs/README.md`.
//!
//! # Randomness and threads
//!
//! liboqs reads randomness through one process-wide callback. This crate
//! installs its own once: it serves a seed set for the current thread
//! (seeded key generation, deterministic signing, derandomized
//! encapsulation) and the operating system's randomness otherwise. A seed
//! fed on one thread is never seen by another. If some other component of
//! the process replaces liboqs' callback, seeded operations notice (the
//! seed is not consumed exactly) and fail with [`Error::Provider`] rather
//! than produce a key that does not match its seed.
//!
//! ```
//! use pqshift_provider_api::{KemScheme, SignatureScheme, SignMode};
//! use pqshift_provider_liboqs::{ML_DSA_65, ML_KEM_768};
//!
//! let key = ML_DSA_65.signing_key_from_seed(&[1u8; 32])?;
//! let sig = key.sign(b"message", b"context", SignMode::Hedged)?;
//! ML_DSA_65.verifying_key(key.public_key())?.verify(b"message", b"context", &sig)?;
//!
//! let dk = ML_KEM_768.decapsulation_key_from_seed(&[2u8; 64])?;
//! let (ct, shared) = ML_KEM_768.encapsulation_key(dk.encapsulation_key())?.encapsulate()?;
//! assert!(dk.decapsulate(&ct)?.ct_eq(shared.expose()));
//! # Ok::<(), pqshift_provider_api::Error>(())
//! ```
#![deny(unsafe_code)]

use std::fmt;

use oqs::{kem, sig};
use pqshift_provider_api::{
    check_context, check_len, AlgorithmId, Capabilities, DecapsulationKeyOps, EncapsulationKeyOps,
    Error, Implementation, KemScheme, ProviderInfo, Result, Scheme, SecretBytes, SignMode,
    SignatureScheme, SigningKeyOps, Variant, VerifyingKeyOps,
};

mod ffi;
mod self_test;
mod variant;

use ffi::DsaLevel;

/// The provider ID: `liboqs`.
pub const PROVIDER_ID: &str = "liboqs";

/// The liboqs release linked in (checked against `OQS_version()` by the
/// test suite), and the `oqs` crate version that builds it.
pub const BACKEND_VERSION: &str = "0.13.0 (oqs 0.11.0)";

/// What pqshift reports about this provider.
pub static PROVIDER: ProviderInfo = ProviderInfo {
    id: PROVIDER_ID,
    description:
        "ML-DSA (FIPS 204) and ML-KEM (FIPS 203) on liboqs, vendored and statically linked",
    insecure: false,
    backend: "liboqs",
    backend_version: BACKEND_VERSION,
    preference: 10,
};

/// The version string of the linked liboqs, as it reports it at run time
/// (`OQS_version()`), e.g. `0.13.0`.
pub fn liboqs_version() -> &'static str {
    ffi::liboqs_version()
}

/// The length of ML-DSA's signing randomness rnd and of ML-KEM's
/// encapsulation randomness m.
const RANDOMNESS_LEN: usize = 32;

fn backend_error(alg: AlgorithmId, what: &str, e: oqs::Error) -> Error {
    Error::Provider(format!("liboqs {alg} {what} failed: {e}"))
}

fn seed_error(alg: AlgorithmId, what: &str, e: ffi::SeedMismatch) -> Error {
    Error::Provider(format!("liboqs {alg} {what}: {e}"))
}

/// A short, non-secret description of a public key for `Debug`.
fn fingerprint(public: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(public);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------
// ML-DSA
// ---------------------------------------------------------------------------

/// One ML-DSA parameter set: the constant table behind [`LiboqsMlDsa`].
#[derive(Debug)]
struct MlDsaParams {
    algorithm: AlgorithmId,
    oqs: sig::Algorithm,
    level: DsaLevel,
    kat: &'static self_test::DsaKat,
}

/// ML-DSA on liboqs; use the [`ML_DSA_44`], [`ML_DSA_65`], [`ML_DSA_87`] statics.
#[derive(Debug)]
pub struct LiboqsMlDsa {
    params: MlDsaParams,
}

/// ML-DSA-44 on liboqs, registered with the pqshift registry.
pub static ML_DSA_44: LiboqsMlDsa = LiboqsMlDsa {
    params: MlDsaParams {
        algorithm: AlgorithmId::MlDsa44,
        oqs: sig::Algorithm::MlDsa44,
        level: DsaLevel::L44,
        kat: &self_test::ML_DSA_44_KAT,
    },
};

/// ML-DSA-65 on liboqs, registered with the pqshift registry.
pub static ML_DSA_65: LiboqsMlDsa = LiboqsMlDsa {
    params: MlDsaParams {
        algorithm: AlgorithmId::MlDsa65,
        oqs: sig::Algorithm::MlDsa65,
        level: DsaLevel::L65,
        kat: &self_test::ML_DSA_65_KAT,
    },
};

/// ML-DSA-87 on liboqs, registered with the pqshift registry.
pub static ML_DSA_87: LiboqsMlDsa = LiboqsMlDsa {
    params: MlDsaParams {
        algorithm: AlgorithmId::MlDsa87,
        oqs: sig::Algorithm::MlDsa87,
        level: DsaLevel::L87,
        kat: &self_test::ML_DSA_87_KAT,
    },
};

pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_44));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_65));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_87));

impl LiboqsMlDsa {
    fn sig(&self) -> Result<sig::Sig> {
        ffi::init();
        sig::Sig::new(self.params.oqs)
            .map_err(|e| backend_error(self.params.algorithm, "initialization", e))
    }

    /// Loads a signing key from its 32-byte seed xi (FIPS 204 `KeyGen_internal`).
    pub fn load_seed(&self, seed: &[u8]) -> Result<LiboqsSigningKey> {
        let alg = self.params.algorithm;
        let sizes = alg.sizes();
        check_len(alg, "seed (FIPS 204 xi)", sizes.seed, seed)?;
        let sig = self.sig()?;
        // liboqs' ML-DSA key generation draws exactly the 32-byte xi from
        // its randomness source; feed it the seed on this thread.
        let (public, secret) = ffi::with_seed(seed, || sig.keypair())
            .map_err(|e| seed_error(alg, "key generation from seed", e))?
            .map_err(|e| backend_error(alg, "key generation", e))?;
        let public = public.into_vec();
        // Moved, not copied: the only copy of the expanded key is zeroized on drop.
        let expanded = SecretBytes::new(secret.into_vec());
        if public.len() != sizes.public_key || expanded.len() != sizes.expanded_secret_key {
            return Err(Error::Internal(format!(
                "liboqs {alg} produced a {}-byte public key and a {}-byte secret key",
                public.len(),
                expanded.len()
            )));
        }
        Ok(LiboqsSigningKey {
            algorithm: alg,
            sig,
            seed: SecretBytes::from_slice(seed),
            expanded,
            public,
        })
    }

    /// Parses a public key (the standard encoding; every byte string of the
    /// right length is a valid ML-DSA public key).
    pub fn load_public(&self, public_key: &[u8]) -> Result<LiboqsVerifyingKey> {
        let alg = self.params.algorithm;
        check_len(alg, "public key", alg.sizes().public_key, public_key)?;
        Ok(LiboqsVerifyingKey {
            algorithm: alg,
            sig: self.sig()?,
            public: public_key.to_vec(),
        })
    }
}

/// A loaded ML-DSA signing key: the expanded secret key (zeroized on
/// drop), its seed and its public key.
pub struct LiboqsSigningKey {
    algorithm: AlgorithmId,
    sig: sig::Sig,
    seed: SecretBytes,
    expanded: SecretBytes,
    public: Vec<u8>,
}

impl fmt::Debug for LiboqsSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiboqsSigningKey")
            .field("algorithm", &self.algorithm.as_str())
            .field("public_key_sha256_prefix", &fingerprint(&self.public))
            .field("seed", &self.seed)
            .field("expanded", &self.expanded)
            .finish()
    }
}

impl SigningKeyOps for LiboqsSigningKey {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn seed(&self) -> Option<&SecretBytes> {
        Some(&self.seed)
    }

    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        Some(&self.expanded)
    }

    fn sign(&self, message: &[u8], context: &[u8], mode: SignMode) -> Result<Vec<u8>> {
        let alg = self.algorithm;
        check_context(alg, context)?;
        let sk = self
            .sig
            .secret_key_from_bytes(self.expanded.expose())
            .ok_or_else(|| Error::Internal(format!("{alg} expanded key has the wrong length")))?;
        let signed = match mode {
            // rnd from the operating system, through the installed hook.
            SignMode::Hedged => self.sig.sign_with_ctx_str(message, context, sk),
            // FIPS 204 deterministic variant: rnd = 32 zero bytes.
            SignMode::Deterministic => ffi::with_seed(&[0u8; RANDOMNESS_LEN], || {
                self.sig.sign_with_ctx_str(message, context, sk)
            })
            .map_err(|e| seed_error(alg, "deterministic signing", e))?,
        };
        let signature = signed
            .map_err(|e| backend_error(alg, "signing", e))?
            .into_vec();
        if signature.len() != alg.sizes().signature {
            return Err(Error::Internal(format!(
                "liboqs {alg} produced a {}-byte signature",
                signature.len()
            )));
        }
        Ok(signature)
    }
}

/// A parsed ML-DSA public key.
pub struct LiboqsVerifyingKey {
    algorithm: AlgorithmId,
    sig: sig::Sig,
    public: Vec<u8>,
}

impl fmt::Debug for LiboqsVerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiboqsVerifyingKey")
            .field("algorithm", &self.algorithm.as_str())
            .field("public_key_sha256_prefix", &fingerprint(&self.public))
            .finish()
    }
}

impl VerifyingKeyOps for LiboqsVerifyingKey {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn verify(&self, message: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
        let alg = self.algorithm;
        check_context(alg, context)?;
        check_len(alg, "signature", alg.sizes().signature, signature)?;
        let (Some(sig_ref), Some(pk_ref)) = (
            self.sig.signature_from_bytes(signature),
            self.sig.public_key_from_bytes(&self.public),
        ) else {
            return Err(Error::Internal(format!(
                "liboqs refused {alg} lengths that pqshift accepted"
            )));
        };
        self.sig
            .verify_with_ctx_str(message, sig_ref, context, pk_ref)
            .map_err(|_| Error::VerificationFailed)
    }
}

impl Scheme for LiboqsMlDsa {
    fn algorithm(&self) -> AlgorithmId {
        self.params.algorithm
    }

    fn provider(&self) -> &'static ProviderInfo {
        &PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            seeded_keygen: true,
            deterministic_sign: true,
            hedged_sign: true,
            context: true,
            derandomized_encaps: false,
        }
    }

    /// The positive known answers, then the negative ones every FIPS 204
    /// verifier must reject (`kat::mldsa_negative`: a z-norm violation and
    /// a malformed hint), fed to liboqs' verifier directly.
    fn self_test(&self) -> Result<()> {
        self_test::ml_dsa(self, self.params.kat)?;
        pqshift_provider_api::kat::mldsa_negative::check(self)
    }

    fn variant(&self) -> Variant {
        variant::of(self.params.algorithm)
    }

    fn self_test_sets(&self) -> Vec<String> {
        let mut sets = self_test::ml_dsa_sets(self.params.kat);
        sets.extend(pqshift_provider_api::kat::mldsa_negative::set_names(
            self.params.algorithm,
        ));
        sets
    }
}

impl SignatureScheme for LiboqsMlDsa {
    fn signing_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Ok(Box::new(self.load_seed(seed)?))
    }

    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        Ok(Box::new(self.load_public(public_key)?))
    }

    fn signing_key_from_expanded(&self, expanded: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        let _ = expanded;
        Err(Error::unsupported(format!(
            "liboqs provider loads seed-form keys only ({} expanded secret keys from outside \
             are not validated by liboqs); use the 32-byte seed",
            self.params.algorithm
        )))
    }
}

// ---------------------------------------------------------------------------
// ML-KEM
// ---------------------------------------------------------------------------

/// One ML-KEM parameter set: the constant table behind [`LiboqsMlKem`].
#[derive(Debug)]
struct MlKemParams {
    algorithm: AlgorithmId,
    oqs: kem::Algorithm,
    kat: &'static self_test::KemKat,
}

/// ML-KEM on liboqs; use the [`ML_KEM_512`], [`ML_KEM_768`], [`ML_KEM_1024`] statics.
#[derive(Debug)]
pub struct LiboqsMlKem {
    params: MlKemParams,
}

/// ML-KEM-512 on liboqs, registered with the pqshift registry.
pub static ML_KEM_512: LiboqsMlKem = LiboqsMlKem {
    params: MlKemParams {
        algorithm: AlgorithmId::MlKem512,
        oqs: kem::Algorithm::MlKem512,
        kat: &self_test::ML_KEM_512_KAT,
    },
};

/// ML-KEM-768 on liboqs, registered with the pqshift registry.
pub static ML_KEM_768: LiboqsMlKem = LiboqsMlKem {
    params: MlKemParams {
        algorithm: AlgorithmId::MlKem768,
        oqs: kem::Algorithm::MlKem768,
        kat: &self_test::ML_KEM_768_KAT,
    },
};

/// ML-KEM-1024 on liboqs, registered with the pqshift registry.
pub static ML_KEM_1024: LiboqsMlKem = LiboqsMlKem {
    params: MlKemParams {
        algorithm: AlgorithmId::MlKem1024,
        oqs: kem::Algorithm::MlKem1024,
        kat: &self_test::ML_KEM_1024_KAT,
    },
};

pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_512));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_768));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_1024));

/// ML-KEM's modulus q.
const KEM_Q: u16 = 3329;

/// FIPS 203 section 7.2 modulus check: the first 384*k bytes of `ek` are
/// 256*k 12-bit coefficients (little-endian, two per three bytes), each of
/// which must be below q. The caller has checked the length.
pub fn ml_kem_ek_is_reduced(ek: &[u8]) -> bool {
    let packed = ek.len().saturating_sub(32);
    ek[..packed].chunks_exact(3).all(|b| {
        let c0 = u16::from(b[0]) | (u16::from(b[1] & 0x0f) << 8);
        let c1 = u16::from(b[1] >> 4) | (u16::from(b[2]) << 4);
        c0 < KEM_Q && c1 < KEM_Q
    })
}

impl LiboqsMlKem {
    fn kem(&self) -> Result<kem::Kem> {
        ffi::init();
        kem::Kem::new(self.params.oqs)
            .map_err(|e| backend_error(self.params.algorithm, "initialization", e))
    }

    /// Loads a decapsulation key from its 64-byte seed d||z (FIPS 203
    /// `ML-KEM.KeyGen_internal(d, z)`).
    pub fn load_seed(&self, seed: &[u8]) -> Result<LiboqsDecapsulationKey> {
        let alg = self.params.algorithm;
        let sizes = alg.sizes();
        check_len(alg, "seed (FIPS 203 d||z)", sizes.seed, seed)?;
        let kem = self.kem()?;
        let seed_ref = kem.keypair_seed_from_bytes(seed).ok_or_else(|| {
            Error::Internal(format!("liboqs refused a {}-byte {alg} seed", seed.len()))
        })?;
        // keypair_derand takes its randomness from d||z alone; running it with
        // an empty feed makes sure of it (any draw would be an error).
        let (public, secret) = ffi::with_seed(&[], || kem.keypair_derand(seed_ref))
            .map_err(|e| seed_error(alg, "key generation from seed", e))?
            .map_err(|e| backend_error(alg, "key generation", e))?;
        let public = public.into_vec();
        let expanded = SecretBytes::new(secret.into_vec());
        if public.len() != sizes.public_key || expanded.len() != sizes.expanded_secret_key {
            return Err(Error::Internal(format!(
                "liboqs {alg} produced a {}-byte encapsulation key and a {}-byte decapsulation key",
                public.len(),
                expanded.len()
            )));
        }
        Ok(LiboqsDecapsulationKey {
            algorithm: alg,
            kem,
            seed: Some(SecretBytes::from_slice(seed)),
            expanded,
            public,
        })
    }

    /// Parses an encapsulation key, with the FIPS 203 modulus check.
    pub fn load_public(&self, encapsulation_key: &[u8]) -> Result<LiboqsEncapsulationKey> {
        let alg = self.params.algorithm;
        check_len(
            alg,
            "encapsulation key",
            alg.sizes().public_key,
            encapsulation_key,
        )?;
        if !ml_kem_ek_is_reduced(encapsulation_key) {
            return Err(Error::invalid(format!(
                "{alg} encapsulation key fails the FIPS 203 modulus check \
                 (a coefficient is not below q = {KEM_Q})"
            )));
        }
        Ok(LiboqsEncapsulationKey {
            algorithm: alg,
            kem: self.kem()?,
            public: encapsulation_key.to_vec(),
        })
    }
}

/// A loaded ML-KEM decapsulation key: the expanded key (zeroized on drop),
/// its seed and its encapsulation key.
pub struct LiboqsDecapsulationKey {
    algorithm: AlgorithmId,
    kem: kem::Kem,
    /// Always `Some` outside the test-only [`internal`] module.
    seed: Option<SecretBytes>,
    expanded: SecretBytes,
    public: Vec<u8>,
}

impl fmt::Debug for LiboqsDecapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiboqsDecapsulationKey")
            .field("algorithm", &self.algorithm.as_str())
            .field(
                "encapsulation_key_sha256_prefix",
                &fingerprint(&self.public),
            )
            .field("seed", &self.seed)
            .field("expanded", &self.expanded)
            .finish()
    }
}

impl DecapsulationKeyOps for LiboqsDecapsulationKey {
    fn encapsulation_key(&self) -> &[u8] {
        &self.public
    }

    fn seed(&self) -> Option<&SecretBytes> {
        self.seed.as_ref()
    }

    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        Some(&self.expanded)
    }

    fn decapsulate(&self, ciphertext: &[u8]) -> Result<SecretBytes> {
        let alg = self.algorithm;
        check_len(alg, "ciphertext", alg.sizes().ciphertext, ciphertext)?;
        let (Some(sk), Some(ct)) = (
            self.kem.secret_key_from_bytes(self.expanded.expose()),
            self.kem.ciphertext_from_bytes(ciphertext),
        ) else {
            return Err(Error::Internal(format!(
                "liboqs refused {alg} lengths that pqshift accepted"
            )));
        };
        let shared = self
            .kem
            .decapsulate(sk, ct)
            .map_err(|e| backend_error(alg, "decapsulation", e))?;
        Ok(SecretBytes::new(shared.into_vec()))
    }
}

/// A parsed ML-KEM encapsulation key (modulus-checked).
pub struct LiboqsEncapsulationKey {
    algorithm: AlgorithmId,
    kem: kem::Kem,
    public: Vec<u8>,
}

impl fmt::Debug for LiboqsEncapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiboqsEncapsulationKey")
            .field("algorithm", &self.algorithm.as_str())
            .field(
                "encapsulation_key_sha256_prefix",
                &fingerprint(&self.public),
            )
            .finish()
    }
}

impl LiboqsEncapsulationKey {
    fn encapsulate_inner(&self) -> Result<(Vec<u8>, SecretBytes)> {
        let alg = self.algorithm;
        let ek = self
            .kem
            .public_key_from_bytes(&self.public)
            .ok_or_else(|| {
                Error::Internal(format!("liboqs refused an {alg} length pqshift accepted"))
            })?;
        let (ct, shared) = self
            .kem
            .encapsulate(ek)
            .map_err(|e| backend_error(alg, "encapsulation", e))?;
        Ok((ct.into_vec(), SecretBytes::new(shared.into_vec())))
    }
}

impl EncapsulationKeyOps for LiboqsEncapsulationKey {
    fn encapsulate(&self) -> Result<(Vec<u8>, SecretBytes)> {
        self.encapsulate_inner()
    }

    fn encapsulate_derand(&self, m: &[u8]) -> Result<(Vec<u8>, SecretBytes)> {
        let alg = self.algorithm;
        check_len(alg, "encapsulation randomness m", RANDOMNESS_LEN, m)?;
        // liboqs' ML-KEM encapsulation draws exactly m (32 bytes); feed it.
        ffi::with_seed(m, || self.encapsulate_inner())
            .map_err(|e| seed_error(alg, "derandomized encapsulation", e))?
    }
}

impl Scheme for LiboqsMlKem {
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
            hedged_sign: false,
            context: false,
            derandomized_encaps: true,
        }
    }

    fn self_test(&self) -> Result<()> {
        self_test::ml_kem(self, self.params.kat)
    }

    fn variant(&self) -> Variant {
        variant::of(self.params.algorithm)
    }

    fn self_test_sets(&self) -> Vec<String> {
        self_test::ml_kem_sets(self.params.kat)
    }
}

impl KemScheme for LiboqsMlKem {
    fn decapsulation_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn DecapsulationKeyOps>> {
        Ok(Box::new(self.load_seed(seed)?))
    }

    fn encapsulation_key(&self, encapsulation_key: &[u8]) -> Result<Box<dyn EncapsulationKeyOps>> {
        Ok(Box::new(self.load_public(encapsulation_key)?))
    }

    fn decapsulation_key_from_expanded(
        &self,
        expanded: &[u8],
    ) -> Result<Box<dyn DecapsulationKeyOps>> {
        let _ = expanded;
        Err(Error::unsupported(format!(
            "liboqs provider loads seed-form keys only ({} decapsulation keys in expanded form \
             are not validated by liboqs); use the 64-byte seed d||z",
            self.params.algorithm
        )))
    }
}

// ---------------------------------------------------------------------------
// Test-only: FIPS 204 Sign_internal / Verify_internal
// ---------------------------------------------------------------------------

#[doc(hidden)]
pub mod internal {
    //! TEST-ONLY. FIPS 204 `ML-DSA.Sign_internal` / `Verify_internal` on an
    //! expanded secret key, for the ACVP sigGen vectors (whose message is
    //! already M') and for checking the external interface against them.
    //! Not part of pqshift's API: the expanded key is used unvalidated
    //! (a malformed one may make liboqs loop or misbehave), and the names
    //! of the liboqs functions behind it are liboqs internals.

    use pqshift_provider_api::{
        check_len, AlgorithmId, DecapsulationKeyOps, Error, Result, SecretBytes,
    };

    use crate::ffi::{self, DsaLevel};

    fn level(alg: AlgorithmId) -> Result<DsaLevel> {
        match alg {
            AlgorithmId::MlDsa44 => Ok(DsaLevel::L44),
            AlgorithmId::MlDsa65 => Ok(DsaLevel::L65),
            AlgorithmId::MlDsa87 => Ok(DsaLevel::L87),
            other => Err(Error::unsupported(format!("{other} is not ML-DSA"))),
        }
    }

    /// `ML-DSA.Sign_internal(sk, M', rnd)` with `message` = M'.
    pub fn sign_internal(
        alg: AlgorithmId,
        expanded_sk: &[u8],
        message: &[u8],
        rnd: &[u8],
    ) -> Result<Vec<u8>> {
        let level = level(alg)?;
        check_len(
            alg,
            "expanded secret key",
            alg.sizes().expanded_secret_key,
            expanded_sk,
        )?;
        check_len(alg, "signing randomness rnd", 32, rnd)?;
        let mut r = [0u8; 32];
        r.copy_from_slice(rnd);
        ffi::ml_dsa_sign_internal(level, expanded_sk, &[], message, &r)
            .ok_or_else(|| Error::Provider(format!("liboqs {alg} Sign_internal failed")))
    }

    /// A decapsulation key from the standard expanded form `dk`, *unvalidated*
    /// (no FIPS 203 hash check), so that the ACVP decapsulation vectors,
    /// which give no seed, run through [`DecapsulationKeyOps::decapsulate`].
    pub fn decapsulation_key_from_expanded_unchecked(
        alg: AlgorithmId,
        dk: &[u8],
    ) -> Result<Box<dyn DecapsulationKeyOps>> {
        let scheme = match alg {
            AlgorithmId::MlKem512 => &crate::ML_KEM_512,
            AlgorithmId::MlKem768 => &crate::ML_KEM_768,
            AlgorithmId::MlKem1024 => &crate::ML_KEM_1024,
            other => return Err(Error::unsupported(format!("{other} is not ML-KEM"))),
        };
        let sizes = alg.sizes();
        check_len(
            alg,
            "expanded decapsulation key",
            sizes.expanded_secret_key,
            dk,
        )?;
        // dk = dk_PKE (384k bytes) || ek || H(ek) || z.
        let ek_start = sizes.expanded_secret_key - sizes.public_key - 64;
        let public = dk[ek_start..ek_start + sizes.public_key].to_vec();
        Ok(Box::new(crate::LiboqsDecapsulationKey {
            algorithm: alg,
            kem: scheme.kem()?,
            seed: None,
            expanded: SecretBytes::from_slice(dk),
            public,
        }))
    }

    /// `ML-DSA.Verify_internal(pk, M', sig)` with `message` = M'.
    pub fn verify_internal(
        alg: AlgorithmId,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        let level = level(alg)?;
        check_len(alg, "public key", alg.sizes().public_key, public_key)?;
        check_len(alg, "signature", alg.sizes().signature, signature)?;
        if ffi::ml_dsa_verify_internal(level, public_key, &[], message, signature) {
            Ok(())
        } else {
            Err(Error::VerificationFailed)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn backend_version_is_the_linked_liboqs() {
        let runtime = liboqs_version();
        assert_eq!(runtime, "0.13.0");
        assert_eq!(
            BACKEND_VERSION.split(' ').next(),
            Some(runtime),
            "update BACKEND_VERSION: liboqs reports {runtime}"
        );
    }

    #[test]
    fn self_tests_pass() {
        for s in [&ML_DSA_44, &ML_DSA_65, &ML_DSA_87] {
            s.self_test().unwrap();
        }
        for s in [&ML_KEM_512, &ML_KEM_768, &ML_KEM_1024] {
            s.self_test().unwrap();
        }
    }

    #[test]
    fn sizes_agree_with_liboqs() {
        for s in [&ML_DSA_44, &ML_DSA_65, &ML_DSA_87] {
            let sig = s.sig().unwrap();
            let z = s.algorithm().sizes();
            assert_eq!(sig.length_public_key(), z.public_key);
            assert_eq!(sig.length_secret_key(), z.expanded_secret_key);
            assert_eq!(sig.length_signature(), z.signature);
        }
        for s in [&ML_KEM_512, &ML_KEM_768, &ML_KEM_1024] {
            let kem = s.kem().unwrap();
            let z = s.algorithm().sizes();
            assert_eq!(kem.length_public_key(), z.public_key);
            assert_eq!(kem.length_secret_key(), z.expanded_secret_key);
            assert_eq!(kem.length_ciphertext(), z.ciphertext);
            assert_eq!(kem.length_shared_secret(), z.shared_secret);
            assert_eq!(kem.length_keypair_seed(), z.seed);
        }
    }

    #[test]
    fn modulus_check_bounds_are_exact() {
        // Three bytes hold two coefficients; 32 trailing bytes are rho.
        let mut ek = vec![0u8; 3 + 32];
        assert!(ml_kem_ek_is_reduced(&ek));
        // c0 = 3328 (q - 1) passes, 3329 fails.
        ek[0] = (3328 & 0xff) as u8;
        ek[1] = (3328 >> 8) as u8;
        assert!(ml_kem_ek_is_reduced(&ek));
        ek[0] = (3329 & 0xff) as u8;
        ek[1] = (3329 >> 8) as u8;
        assert!(!ml_kem_ek_is_reduced(&ek));
        // c1 = 3329 fails, 3328 passes.
        ek[0] = 0;
        ek[1] = ((3329 & 0x0f) << 4) as u8;
        ek[2] = (3329 >> 4) as u8;
        assert!(!ml_kem_ek_is_reduced(&ek));
        ek[1] = ((3328 & 0x0f) << 4) as u8;
        ek[2] = (3328 >> 4) as u8;
        assert!(ml_kem_ek_is_reduced(&ek));
        // rho is not checked.
        ek[3..].fill(0xff);
        assert!(ml_kem_ek_is_reduced(&ek));
    }

    #[test]
    fn seed_feed_is_strict() {
        let sig = ML_DSA_44.sig().unwrap();
        let e = ffi::with_seed(&[0u8; 31], || sig.keypair()).unwrap_err();
        assert!(e.overrun);
        let e = ffi::with_seed(&[0u8; 33], || sig.keypair()).unwrap_err();
        assert_eq!((e.consumed, e.overrun), (32, false));
        assert!(ffi::with_seed(&[0u8; 32], || sig.keypair()).is_ok());
    }

    #[test]
    fn debug_redacts_secrets() {
        let key = ML_DSA_44.load_seed(&[0xAB; 32]).unwrap();
        let d = format!("{key:?}");
        assert!(d.contains("REDACTED"), "{d}");
        assert!(!d.contains("abab"), "{d}");
        let dk = ML_KEM_512.load_seed(&[0xAB; 64]).unwrap();
        let d = format!("{dk:?}");
        assert!(d.contains("REDACTED") && !d.contains("abab"), "{d}");
    }
}
