//! # pqshift provider API
//!
//! The stable contract between pqshift and its crypto providers: algorithm
//! IDs ([`AlgorithmId`]), small object-safe traits ([`SignatureScheme`],
//! [`KemScheme`], [`MacScheme`]), tagged encodings ([`Tagged`]), the one
//! error enum ([`Error`]) and the registry plumbing ([`Registration`],
//! [`register!`]).
//!
//! This crate depends on no cryptographic implementation. A provider is a
//! crate with unit structs implementing these traits, registered with
//! [`register!`]; linking the crate is all it takes:
//!
//! ```text
//! static MY_ED25519: MyEd25519 = MyEd25519;
//! pqshift_provider_api::register!(Implementation::Signature(&MY_ED25519));
//! ```
#![forbid(unsafe_code)]

mod algorithm;
pub mod encoding;
mod error;
pub mod kat;
pub mod registry;
mod secret;
mod traits;

pub use algorithm::{AlgorithmId, AlgorithmKind, Sizes};
pub use encoding::{ObjectKind, Tagged};
pub use error::{Error, ErrorKind, Result};
pub use registry::{Implementation, Registration};
pub use secret::{ct_eq, SecretBytes};
pub use traits::{
    check_context, check_len, random_seed, seed_from_u64, Capabilities, DecapsulationKeyOps,
    EncapsulationKeyOps, KemScheme, MacKeyOps, MacScheme, ProviderInfo, Scheme, SignMode,
    SignatureScheme, SigningKeyOps, Variant, VerifyingKeyOps, MAX_CONTEXT_LEN,
};

#[doc(hidden)]
pub use inventory;
