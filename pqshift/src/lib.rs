//! # pqshift
//!
//! Sign, verify and encapsulate through one stable API; a TOML
//! configuration decides which algorithm and which provider do the work, and
//! a wrong or unsafe configuration is refused at load.
//!
//! ```
//! use pqshift::{Policy, PublicKey};
//!
//! // The built-in default signs with Ed25519. A file or PQSHIFT_CONFIG can change that.
//! let policy = Policy::from_toml_str(r#"
//!     [sign]
//!     algorithm = "ed25519"
//! "#)?;
//! let key = policy.signing_key_from_seed(&[7u8; 32])?;
//! let sig = policy.sign(&key, b"stored record", b"")?;
//!
//! // Keys and signatures travel self-described.
//! let public = PublicKey::decode(&key.public_key()?.to_tagged()?.to_bytes(), None)?;
//! policy.verify(&public, b"stored record", b"", &sig)?;
//! assert!(policy.verify(&public, b"tampered record", b"", &sig).is_err());
//! # Ok::<(), pqshift::Error>(())
//! ```
//!
//! Providers are linked through cargo features (`dalek`, `placeholder`,
//! ...); each registers itself and passes a known-answer self-test before
//! it serves its first call.
#![forbid(unsafe_code)]

pub mod config;
pub mod contract;
pub mod crosscheck;
pub mod gate;
pub mod input;
mod keys;
pub mod merkle;
mod policy;
mod report;
pub mod standard;

/// The provider crates compiled into this build (by cargo feature), each
/// by its [`ProviderInfo`](pqshift_provider_api::ProviderInfo).
///
/// Referencing each crate here is also what keeps its `inventory`
/// registrations in every binary that links pqshift.
pub fn linked_providers() -> Vec<&'static pqshift_provider_api::ProviderInfo> {
    vec![
        #[cfg(feature = "placeholder")]
        &pqshift_provider_placeholder::PROVIDER,
        #[cfg(feature = "dalek")]
        &pqshift_provider_dalek::PROVIDER,
        #[cfg(feature = "awslc")]
        &pqshift_provider_awslc::PROVIDER,
        #[cfg(feature = "liboqs")]
        &pqshift_provider_liboqs::PROVIDER,
        #[cfg(feature = "pqclean")]
        &pqshift_provider_pqclean::PROVIDER,
        #[cfg(feature = "rustcrypto")]
        &pqshift_provider_rustcrypto::PROVIDER,
    ]
}

pub use config::{ConfigSource, SelfTest, CONFIG_ENV, DEFAULT_CONFIG};
pub use keys::{
    capabilities, kem_scheme, mac_scheme, signature_scheme, signing_registration, Ciphertext,
    DecapsulationKey, EncapsulationKey, PublicKey, SecretKey, Signature,
};
pub use merkle::sha256;
pub use policy::{active, install, Choice, Policy};
pub use pqshift_provider_api::{
    encoding, registry, seed_from_u64, AlgorithmId, AlgorithmKind, Capabilities, Error, ErrorKind,
    ObjectKind, Result, SecretBytes, SignMode, Sizes, Tagged, Variant, MAX_CONTEXT_LEN,
};
pub use report::{providers, ProviderStatus};
pub use standard::{
    decode_decapsulation_key_any, decode_encapsulation_key_any, decode_public_key_any,
    decode_secret_key_any, PrivateKeyMaterial,
};

/// The pqshift version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
