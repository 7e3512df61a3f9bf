//! ML-DSA (FIPS 204) for pqshift on [AWS-LC](https://github.com/aws/aws-lc)
//! 5.12.0, the library under [aws-lc-rs](https://docs.rs/aws-lc-rs), through
//! its bindings crate aws-lc-sys 0.47.0 (AWS-LC built from source with a C
//! compiler and cmake, linked statically under the symbol prefix
//! `aws_lc_0_47_0_`).
//!
//! Provider ID `awslc`, algorithms `ml-dsa-44`, `ml-dsa-65`, `ml-dsa-87`
//! ([`SignatureScheme`]), one static each ([`ML_DSA_44`], [`ML_DSA_65`],
//! [`ML_DSA_87`]). Preference 5: the preferred ML-DSA provider, ahead of
//! `liboqs` (10), `pqclean` (20) and `rustcrypto` (30). AWS-LC's ML-DSA is
//! mldsa-native: portable C plus an AVX2 (x86_64) or NEON (aarch64)
//! backend chosen at run time; it passes every Wycheproof ML-DSA verify
//! case (631 of 631) and the negative known answers of
//! `pqshift_provider_api::kat::mldsa_negative`.
//!
//! Why not aws-lc-rs's safe API: it signs and verifies with an empty FIPS
//! 204 context only and does not expose its key object, so a context would
//! need a second copy of every key. This crate holds one AWS-LC `EVP_PKEY`
//! per key, built with the constructor aws-lc-rs itself uses, and sets the
//! context on the `EVP_PKEY_CTX` (all `unsafe` is in the `ffi` module, each
//! block with its SAFETY argument). aws-lc-rs pins aws-lc-sys 0.47.0 and is
//! this crate's test-suite cross-check (same library, same build).
//!
//! # Keys
//!
//! - Seed-first: a key is loaded from its 32-byte seed xi (FIPS 204
//!   `ML-DSA.KeyGen_internal`; all 75 ACVP keyGen vectors pass). The loaded
//!   key holds AWS-LC's key object (expanded once at load), the seed, the
//!   public key and the standard expanded secret key (`skEncode`).
//! - Expanded secret keys **are accepted, validated by AWS-LC**
//!   ([`SignatureScheme::signing_key_from_expanded`]): AWS-LC checks that
//!   the `s1` and `s2` coefficients lie in `[-eta, eta]`, recomputes `t0`
//!   and `tr = H(pk)` from the rest of the key and compares them, and
//!   derives the public key; a key that fails any check is
//!   [`Error::InvalidInput`]. Such a key has no seed.
//! - Secret material is zeroized on drop: the seed and the expanded key sit
//!   in [`SecretBytes`]; AWS-LC's key object is freed with `EVP_PKEY_free`,
//!   whose `OPENSSL_free` cleanses every buffer it releases. `Debug` prints
//!   the algorithm and a public-key fingerprint only.
//!
//! # Operations
//!
//! - Signing is the FIPS 204 external ("pure") interface with a context of
//!   at most 255 bytes (longer is [`Error::InvalidInput`], on signing and on
//!   verifying, before AWS-LC is called). [`SignMode::Hedged`] only:
//!   AWS-LC draws `rnd` from its own generator and its public API offers no
//!   way to pass `rnd` (its `Sign_internal` is not exported in its headers),
//!   so [`SignMode::Deterministic`] is [`Error::Unsupported`]
//!   (`Capabilities::deterministic_sign` is false), never a silently
//!   random signature. Deterministic signing is served by `liboqs` and
//!   `rustcrypto`.
//! - Every length is checked first; a wrong length says the expected size.
//!   A signature that does not verify is [`Error::VerificationFailed`], with
//!   no detail.
//!
//! ```
//! use pqshift_provider_api::{SignatureScheme, SignMode};
//! use pqshift_provider_awslc::ML_DSA_65;
//!
//! let key = ML_DSA_65.signing_key_from_seed(&[1u8; 32])?;
//! let sig = key.sign(b"message", b"context", SignMode::Hedged)?;
//! ML_DSA_65.verifying_key(key.public_key())?.verify(b"message", b"context", &sig)?;
//! # Ok::<(), pqshift_provider_api::Error>(())
//! ```
//!
//! [`SignatureScheme`]: pqshift_provider_api::SignatureScheme
//! [`SignatureScheme::signing_key_from_expanded`]: pqshift_provider_api::SignatureScheme::signing_key_from_expanded
//! [`SecretBytes`]: pqshift_provider_api::SecretBytes
//! [`Error::InvalidInput`]: pqshift_provider_api::Error::InvalidInput
//! [`Error::Unsupported`]: pqshift_provider_api::Error::Unsupported
//! [`Error::VerificationFailed`]: pqshift_provider_api::Error::VerificationFailed
//! [`SignMode::Hedged`]: pqshift_provider_api::SignMode::Hedged
//! [`SignMode::Deterministic`]: pqshift_provider_api::SignMode::Deterministic
#![deny(unsafe_code)]

mod dsa;
mod ffi;
mod self_test;

use pqshift_provider_api::{Implementation, ProviderInfo};

pub use dsa::{AwslcMlDsa, AwslcSigningKey, AwslcVerifyingKey};
#[doc(hidden)]
pub use self_test::known_answers;

/// The provider ID: `awslc`.
pub const PROVIDER_ID: &str = "awslc";

/// The AWS-LC release linked in (checked against `OpenSSL_version()` by the
/// test suite) and the aws-lc-sys version that builds it (checked against
/// `Cargo.lock`).
pub const BACKEND_VERSION: &str = "5.12.0 (aws-lc-sys 0.47.0)";

/// What pqshift reports about this provider.
pub static PROVIDER: ProviderInfo = ProviderInfo {
    id: PROVIDER_ID,
    description: "ML-DSA (FIPS 204) on AWS-LC (mldsa-native, run-time AVX2/NEON dispatch), \
                  statically linked; seeded keys, hedged signing, validated expanded keys",
    insecure: false,
    backend: "AWS-LC",
    backend_version: BACKEND_VERSION,
    preference: 5,
};

/// The version text of the linked AWS-LC as it reports it at run time
/// (`OpenSSL_version(OPENSSL_VERSION)`), e.g. `AWS-LC 5.12.0`.
pub fn awslc_version() -> String {
    ffi::awslc_version()
}

/// ML-DSA-44 on AWS-LC, registered with the pqshift registry.
pub static ML_DSA_44: AwslcMlDsa = AwslcMlDsa::new(dsa::Params::ML_DSA_44);
/// ML-DSA-65 on AWS-LC, registered with the pqshift registry.
pub static ML_DSA_65: AwslcMlDsa = AwslcMlDsa::new(dsa::Params::ML_DSA_65);
/// ML-DSA-87 on AWS-LC, registered with the pqshift registry.
pub static ML_DSA_87: AwslcMlDsa = AwslcMlDsa::new(dsa::Params::ML_DSA_87);

pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_44));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_65));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_87));
