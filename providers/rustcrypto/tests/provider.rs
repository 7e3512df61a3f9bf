//! The rustcrypto provider's contract through the pqshift traits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{registry, AlgorithmId};
use pqshift_provider_rustcrypto::PROVIDER;

const ALL: [AlgorithmId; 6] = [
    AlgorithmId::MlDsa44,
    AlgorithmId::MlDsa65,
    AlgorithmId::MlDsa87,
    AlgorithmId::MlKem512,
    AlgorithmId::MlKem768,
    AlgorithmId::MlKem1024,
];

#[test]
fn every_algorithm_is_registered_and_admitted() {
    for alg in ALL {
        let reg = registry::find(alg, Some("rustcrypto")).unwrap();
        assert!(std::ptr::eq(reg.provider(), &PROVIDER));
        reg.admit().unwrap_or_else(|e| panic!("{alg}: {e}"));
    }
}
