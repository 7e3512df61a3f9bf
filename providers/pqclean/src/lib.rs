//! ML-DSA (FIPS 204) and ML-KEM (FIPS 203) for pqshift, on PQClean's C code
//! through the [pqcrypto](https://github.com/rustpq/pqcrypto) crates
//! (`pqcrypto-mldsa`, `pqcrypto-mlkem`).
//!
//! Provider ID `pqclean`, preference 20. It serves `ml-dsa-44`, `ml-dsa-65`,
//! `ml-dsa-87` ([`SignatureScheme`]) and `ml-kem-512`, `ml-kem-768`,
//! `ml-kem-1024` ([`KemScheme`]). It is pqshift's *independent second
//! implementation*: migrations and the `[shadow]` setting cross-check
//! another provider's results with it. Only PQClean's portable "clean" code
//! is built unless the `avx2` feature is on.
//!
//! # What it can and cannot do
//!
//! The pqcrypto crates draw their own randomness (the OS, through
//! `pqcrypto-internals`) and take no seed, so:
//!
//! | capability            | ML-DSA | ML-KEM |
//! |-----------------------|--------|--------|
//! | `seeded_keygen`       | no     | no     |
//! | `hedged_sign`         | yes    | —      |
//! | `deterministic_sign`  | no     | —      |
//! | `context`             | yes    | —      |
//! | `derandomized_encaps` | —      | no     |
//!
//! Asking for a missing capability is [`Error::Unsupported`], never a
//! silently random result: `signing_key_from_seed`,
//! `decapsulation_key_from_seed`, [`SignMode::Deterministic`] and
//! `encapsulate_derand` all refuse with a message naming the alternative.
//! PQClean's ML-DSA signing is hedged: it draws a fresh 32-byte `rnd` for
//! every signature (the test suite signs twice and compares).
//!
//! # Keys: the expanded form
//!
//! [`SignatureScheme::generate`] and [`KemScheme::generate`] use PQClean's
//! `keypair()`. Such a key has no seed ([`SigningKeyOps::seed`] is `None`);
//! `expanded_secret_key()` returns the standard expanded key (the FIPS 204
//! `sk`, the FIPS 203 `dk`), which pqshift stores in its tagged *expanded*
//! form. Loading it back is complete — no public key needs to travel with it:
//!
//! - **ML-DSA** (`signing_key_from_expanded`): PQClean offers no way to
//!   compute the public key from a secret key, so this crate recomputes it
//!   (see `dsa_key.rs`: `A_hat = ExpandA(rho)`, `t = NTT^-1(A_hat o NTT(s1)) + s2`,
//!   `(t1, t0) = Power2Round(t)`, `pk = rho || pack(t1)`), after checking
//!   the length and FIPS 204 skDecode ranges (s1, s2 fields in `[0, 2 eta]`).
//!   The key is refused with [`Error::InvalidInput`] unless the stored `t0`
//!   equals the recomputed one and `tr == SHAKE256(pk, 64)`: an expanded key
//!   whose parts disagree never reaches the C code. (The 32-byte signing
//!   seed `K` cannot be checked: any value is valid.) The recomputation is
//!   checked against all 75 ACVP keyGen vectors (sk → pk) and on every
//!   `generate()` (a pairwise consistency test).
//! - PQClean exposes only the external ML-DSA interface (it builds
//!   `M' = 0 || len(ctx) || ctx || M` and draws `rnd`), not
//!   `Sign_internal`/`Verify_internal`, so the ACVP sigGen vectors cannot be
//!   reproduced with it; their secret keys are still loaded and used.
//! - **ML-KEM** (`decapsulation_key_from_expanded`): `dk = dk_pke || ek ||
//!   H(ek) || z`; length, `H(ek) == SHA3-256(ek)`, and every 12-bit
//!   coefficient of `ek` and of `dk_pke` below q = 3329 are checked. The
//!   encapsulation key is the one inside `dk`.
//!
//! Encapsulation keys are checked as FIPS 203 section 7.2 requires (length,
//! coefficients below q), which PQClean leaves to its caller. Contexts over
//! 255 bytes are [`Error::InvalidInput`] on signing and verifying, checked
//! before the C code runs (pqcrypto drops PQClean's status code on signing).
//!
//! # Secret material
//!
//! pqcrypto's `SecretKey` and `SharedSecret` types are `Copy` arrays that are
//! not zeroized. This crate keeps the expanded key in a [`SecretBytes`]
//! (zeroized on drop) and exactly one pqcrypto copy in a `Box`, overwritten
//! with zeros on drop; shared secrets are copied into [`SecretBytes`] and the
//! pqcrypto value overwritten. Copies that pqcrypto and PQClean make on the
//! stack internally are beyond our reach. `Debug` never prints secret bytes.
//!
//! # Self-test (admission)
//!
//! Per algorithm, from NIST ACVP vectors embedded in `kat/` (copied verbatim
//! by `kat/extract.py`; the tcIds are in each file's first line): ML-DSA
//! loads a keyGen `sk` (the recomputed `pk` must equal ACVP's), signs,
//! verifies under ACVP's `pk`, and rejects a flipped bit, another message and
//! another context; ML-KEM decapsulates a valid and a modified ACVP
//! ciphertext (implicit rejection) and runs an encapsulation round trip.
//!
//! ```
//! use pqshift_provider_api::{SignatureScheme, SignMode};
//! use pqshift_provider_pqclean::ML_DSA_65;
//!
//! let key = ML_DSA_65.generate()?;
//! let sig = key.sign(b"message", b"context", SignMode::Hedged)?;
//! ML_DSA_65.verifying_key(key.public_key())?.verify(b"message", b"context", &sig)?;
//! // The stored form reloads to the same key.
//! let again = ML_DSA_65.signing_key_from_expanded(key.expanded_secret_key().unwrap().expose())?;
//! assert_eq!(again.public_key(), key.public_key());
//! # Ok::<(), pqshift_provider_api::Error>(())
//! ```
#![forbid(unsafe_code)]

mod backend;
mod dsa;
mod dsa_key;
mod kat;
mod kem;

use pqshift_provider_api::{AlgorithmId, Implementation, ProviderInfo};
#[allow(unused_imports)] // for the docs
use pqshift_provider_api::{
    Error, KemScheme, SecretBytes, SignMode, SignatureScheme, SigningKeyOps,
};

pub use dsa::{PqcleanMlDsa, PqcleanSigningKey, PqcleanVerifyingKey, DSA_CAPABILITIES};
pub use kem::{PqcleanDecapsulationKey, PqcleanEncapsulationKey, PqcleanMlKem, KEM_CAPABILITIES};

use dsa_key::DsaParams;

/// The provider ID: `pqclean`.
pub const PROVIDER_ID: &str = "pqclean";

/// The pqcrypto-mldsa version this crate is built and tested with (checked
/// against `Cargo.lock` by the test suite).
pub const MLDSA_BACKEND_VERSION: &str = "0.1.2";
/// The pqcrypto-mlkem version (checked against `Cargo.lock`).
pub const MLKEM_BACKEND_VERSION: &str = "0.1.1";

/// What pqshift reports about this provider.
pub static PROVIDER: ProviderInfo = ProviderInfo {
    id: PROVIDER_ID,
    description:
        "ML-DSA and ML-KEM on PQClean (pqcrypto crates); no seeded keygen, hedged signing only",
    insecure: false,
    backend: "pqcrypto-mldsa/pqcrypto-mlkem (PQClean)",
    backend_version: "pqcrypto-mldsa 0.1.2, pqcrypto-mlkem 0.1.1",
    preference: 20,
};

/// ML-DSA-44 on PQClean.
pub static ML_DSA_44: PqcleanMlDsa = PqcleanMlDsa::new(
    DsaParams {
        alg: AlgorithmId::MlDsa44,
        k: 4,
        l: 4,
        eta: 2,
    },
    &backend::mldsa44::BACKEND,
    include_str!("../kat/ml-dsa-44-keygen.kat"),
);
/// ML-DSA-65 on PQClean.
pub static ML_DSA_65: PqcleanMlDsa = PqcleanMlDsa::new(
    DsaParams {
        alg: AlgorithmId::MlDsa65,
        k: 6,
        l: 5,
        eta: 4,
    },
    &backend::mldsa65::BACKEND,
    include_str!("../kat/ml-dsa-65-keygen.kat"),
);
/// ML-DSA-87 on PQClean.
pub static ML_DSA_87: PqcleanMlDsa = PqcleanMlDsa::new(
    DsaParams {
        alg: AlgorithmId::MlDsa87,
        k: 8,
        l: 7,
        eta: 2,
    },
    &backend::mldsa87::BACKEND,
    include_str!("../kat/ml-dsa-87-keygen.kat"),
);
/// ML-KEM-512 on PQClean.
pub static ML_KEM_512: PqcleanMlKem = PqcleanMlKem::new(
    AlgorithmId::MlKem512,
    2,
    &backend::mlkem512::BACKEND,
    include_str!("../kat/ml-kem-512-decap.kat"),
);
/// ML-KEM-768 on PQClean.
pub static ML_KEM_768: PqcleanMlKem = PqcleanMlKem::new(
    AlgorithmId::MlKem768,
    3,
    &backend::mlkem768::BACKEND,
    include_str!("../kat/ml-kem-768-decap.kat"),
);
/// ML-KEM-1024 on PQClean.
pub static ML_KEM_1024: PqcleanMlKem = PqcleanMlKem::new(
    AlgorithmId::MlKem1024,
    4,
    &backend::mlkem1024::BACKEND,
    include_str!("../kat/ml-kem-1024-decap.kat"),
);

pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_44));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_65));
pqshift_provider_api::register!(Implementation::Signature(&ML_DSA_87));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_512));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_768));
pqshift_provider_api::register!(Implementation::Kem(&ML_KEM_1024));
