//! ML-DSA (FIPS 204) and ML-KEM (FIPS 203) for pqshift, on RustCrypto's
//! pure-Rust [ml-dsa](https://docs.rs/ml-dsa) and [ml-kem](https://docs.rs/ml-kem) crates.
//!
//! Provider ID `rustcrypto` (preference 30: after `liboqs` and `pqclean`),
//! serving `ml-dsa-44`, `ml-dsa-65`, `ml-dsa-87` ([`SignatureScheme`]) and
//! `ml-kem-512`, `ml-kem-768`, `ml-kem-1024` ([`KemScheme`]). No unsafe
//! code, no C, no global state.
//!
//! # Keys
//!
//! - Secret keys are stored as their seed: the 32-byte `xi` of FIPS 204,
//!   the 64-byte `d || z` of FIPS 203. Loading a seed runs the standard's
//!   `KeyGen_internal` once; the loaded key holds the crate's key object
//!   (zeroized on drop: the crates' `zeroize` feature is on), the seed, the
//!   public key and the standard expanded secret key (FIPS 204 `skEncode`,
//!   FIPS 203 `dk`), which [`SigningKeyOps::expanded_secret_key`] and
//!   [`DecapsulationKeyOps::expanded_secret_key`] return for interop.
//! - Expanded-key import:
//!   - **ML-DSA: refused** ([`Error::Unsupported`]). ml-dsa 0.1.2's
//!     `ExpandedSigningKey::from_expanded` is deprecated and documented as
//!     not validating; it *asserts* (panics) on `s1`/`s2` coefficients
//!     outside `[-eta, eta]`, and it cannot check `t0` or `tr` against the
//!     rest of the key. Use the seed form.
//!   - **ML-KEM: accepted, validated.** ml-kem 0.3.4's `from_expanded`
//!     performs the FIPS 203 section 7.3 hash check (`H(ek)` equals the
//!     stored `h`) and the encapsulation-key modulus check; this crate adds
//!     a modulus check on the secret vector `dk_PKE` (every 12-bit
//!     coefficient below q = 3329), which every honestly generated key
//!     passes and which the crate would otherwise silently reduce.
//!
//! # Operations
//!
//! - Signing is the FIPS 204 external ("pure") interface, `M' = 0x00 ||
//!   len(ctx) || ctx || M`: [`SignMode::Hedged`] draws the 32-byte `rnd`
//!   from the operating system, [`SignMode::Deterministic`] uses 32 zero
//!   bytes. Contexts longer than 255 bytes are [`Error::InvalidInput`] on
//!   signing and verifying, before the crate is called.
//! - Encapsulation is FIPS 203 `ML-KEM.Encaps`; derandomized encapsulation
//!   with a caller's 32-byte `m` is offered (ml-kem's `hazmat`
//!   `encapsulate_deterministic`), for known-answer tests.
//! - Encapsulation keys must pass the FIPS 203 modulus check (every 12-bit
//!   coefficient below 3329), else [`Error::InvalidInput`].
//! - Decapsulation uses implicit rejection: a modified ciphertext yields the
//!   rejection key `J(z || c)`, not an error.
//! - A wrong length is [`Error::InvalidInput`] naming the expected size; a
//!   signature that does not verify (including one that does not decode) is
//!   [`Error::VerificationFailed`], without detail. No input panics.
//!
//! ```
//! use pqshift_provider_api::{KemScheme, SignMode, SignatureScheme};
//! use pqshift_provider_rustcrypto::{ML_DSA_65, ML_KEM_768};
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
//!
//! [`SignatureScheme`]: pqshift_provider_api::SignatureScheme
//! [`KemScheme`]: pqshift_provider_api::KemScheme
//! [`SigningKeyOps::expanded_secret_key`]: pqshift_provider_api::SigningKeyOps::expanded_secret_key
//! [`DecapsulationKeyOps::expanded_secret_key`]: pqshift_provider_api::DecapsulationKeyOps::expanded_secret_key
//! [`Error::InvalidInput`]: pqshift_provider_api::Error::InvalidInput
//! [`Error::Unsupported`]: pqshift_provider_api::Error::Unsupported
//! [`Error::VerificationFailed`]: pqshift_provider_api::Error::VerificationFailed
//! [`SignMode::Hedged`]: pqshift_provider_api::SignMode::Hedged
//! [`SignMode::Deterministic`]: pqshift_provider_api::SignMode::Deterministic
#![forbid(unsafe_code)]

mod dsa;
mod kem;
mod self_test;

#[doc(hidden)]
pub mod internal;

use pqshift_provider_api::{Implementation, ProviderInfo};

pub use dsa::{DsaParameters, MlDsa, MlDsaSigningKey, MlDsaVerifyingKey};
pub use kem::{
    Kem1024, Kem512, Kem768, KemParameters, MlKem, MlKemDecapsulationKey, MlKemEncapsulationKey,
};

/// The provider ID: `rustcrypto`.
pub const PROVIDER_ID: &str = "rustcrypto";

/// The ml-dsa version this crate is built and tested with (checked against
/// `Cargo.lock` by the test suite).
pub const ML_DSA_VERSION: &str = "0.1.2";

/// The ml-kem version this crate is built and tested with (checked against
/// `Cargo.lock` by the test suite).
pub const ML_KEM_VERSION: &str = "0.3.4";

/// What pqshift reports about this provider.
pub static PROVIDER: ProviderInfo = ProviderInfo {
    id: PROVIDER_ID,
    description: "ML-DSA (FIPS 204) and ML-KEM (FIPS 203) in pure Rust on RustCrypto's \
                  ml-dsa and ml-kem; seeded keys, hedged and deterministic signing",
    insecure: false,
    backend: "RustCrypto ml-dsa / ml-kem",
    backend_version: "ml-dsa 0.1.2, ml-kem 0.3.4",
    preference: 30,
};

/// ML-DSA-44 on ml-dsa.
pub static ML_DSA_44: MlDsa<ml_dsa::MlDsa44> = MlDsa::new();
/// ML-DSA-65 on ml-dsa.
pub static ML_DSA_65: MlDsa<ml_dsa::MlDsa65> = MlDsa::new();
/// ML-DSA-87 on ml-dsa.
pub static ML_DSA_87: MlDsa<ml_dsa::MlDsa87> = MlDsa::new();
/// ML-KEM-512 on ml-kem.
pub static ML_KEM_512: MlKem<Kem512> = MlKem::new();
/// ML-KEM-768 on ml-kem.
pub static ML_KEM_768: MlKem<Kem768> = MlKem::new();
/// ML-KEM-1024 on ml-kem.
pub static ML_KEM_1024: MlKem<Kem1024> = MlKem::new();

pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_44));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_65));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_87));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_512));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_768));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_1024));

/// Operating-system randomness (getrandom 0.3) in the shape of the
/// `rand_core` 0.10 traits the RustCrypto crates take. Failures are
/// reported, never papered over.
struct OsRandom;

/// getrandom failed.
#[derive(Debug)]
struct OsRandomError(getrandom::Error);

impl std::fmt::Display for OsRandomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "operating-system randomness failed: {}", self.0)
    }
}

impl std::error::Error for OsRandomError {}

impl ml_dsa::signature::rand_core::TryRng for OsRandom {
    type Error = OsRandomError;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst).map_err(OsRandomError)
    }
}

impl ml_dsa::signature::rand_core::TryCryptoRng for OsRandom {}

/// Lower-case hex, for `Debug` output of public values.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
