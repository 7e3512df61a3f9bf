//! Shared helpers: the liboqs provider's schemes, looked up in the registry.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{registry, AlgorithmId, Implementation, KemScheme, SignatureScheme};

pub const ML_DSA: [AlgorithmId; 3] = [
    AlgorithmId::MlDsa44,
    AlgorithmId::MlDsa65,
    AlgorithmId::MlDsa87,
];
pub const ML_KEM: [AlgorithmId; 3] = [
    AlgorithmId::MlKem512,
    AlgorithmId::MlKem768,
    AlgorithmId::MlKem1024,
];

/// Makes sure the provider crate is linked (its registrations come with it).
fn linked() {
    assert_eq!(pqshift_provider_liboqs::PROVIDER.id, "liboqs");
}

/// The liboqs signature scheme for `alg`, through the registry.
pub fn sig(alg: AlgorithmId) -> &'static dyn SignatureScheme {
    linked();
    match registry::find(alg, Some("liboqs"))
        .unwrap()
        .implementation()
    {
        Implementation::Signature(s) => s,
        other => panic!("{alg} registered as {other:?}"),
    }
}

/// The liboqs KEM for `alg`, through the registry.
pub fn kem(alg: AlgorithmId) -> &'static dyn KemScheme {
    linked();
    match registry::find(alg, Some("liboqs"))
        .unwrap()
        .implementation()
    {
        Implementation::Kem(s) => s,
        other => panic!("{alg} registered as {other:?}"),
    }
}

/// The algorithm of an ACVP `parameterSet`.
pub fn param_set(g: &serde_json::Value) -> AlgorithmId {
    AlgorithmId::parse(g["parameterSet"].as_str().unwrap()).unwrap()
}

/// The error of a result whose success type (a boxed key) has no `Debug`.
pub fn err<T>(r: pqshift_provider_api::Result<T>) -> pqshift_provider_api::Error {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}
