//! A deliberately broken, test-only ML-DSA-44 provider — its verifier calls
//! every signature valid and its own self-test checks nothing — is refused
//! at admission by the negative known answers the registry feeds every
//! signature scheme, naming the provider and the failed case; and, even
//! where a broken verifier could be reached, pqshift's verification gate
//! rejects the norm-violating signature first.
//!
//! The provider is registered in this test binary only (its own file, so
//! no other test sees it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::{registry, AlgorithmId, ErrorKind, Policy, PublicKey};
use pqshift_provider_api::{
    kat::mldsa_negative, Capabilities, Error, Implementation, ProviderInfo, Result, Scheme,
    SignatureScheme, SigningKeyOps, VerifyingKeyOps,
};

static BROKEN: ProviderInfo = ProviderInfo {
    id: "test-accepts-all",
    description: "TEST ONLY: an ML-DSA-44 verifier that accepts every signature",
    insecure: false,
    backend: "none",
    backend_version: "0",
    preference: 1000,
};

struct AcceptsAll;

struct AcceptsAllKey(Vec<u8>);

impl VerifyingKeyOps for AcceptsAllKey {
    fn public_key(&self) -> &[u8] {
        &self.0
    }
    fn verify(&self, _: &[u8], _: &[u8], _: &[u8]) -> Result<()> {
        Ok(())
    }
}

impl Scheme for AcceptsAll {
    fn algorithm(&self) -> AlgorithmId {
        AlgorithmId::MlDsa44
    }
    fn provider(&self) -> &'static ProviderInfo {
        &BROKEN
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }
    /// Claims success without checking anything.
    fn self_test(&self) -> Result<()> {
        Ok(())
    }
}

impl SignatureScheme for AcceptsAll {
    fn signing_key_from_seed(&self, _: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Err(Error::unsupported("test provider: verification only"))
    }
    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        Ok(Box::new(AcceptsAllKey(public_key.to_vec())))
    }
}

static ACCEPTS_ALL: AcceptsAll = AcceptsAll;
pqshift_provider_api::register!(Implementation::Signature(&ACCEPTS_ALL));

const FIRST_CASE: &str = "z infinity-norm violation (Wycheproof mldsa_44_verify tcId 81)";

#[test]
fn the_broken_provider_is_registered_and_really_accepts_everything() {
    let reg = registry::find(AlgorithmId::MlDsa44, Some("test-accepts-all")).unwrap();
    // Bypassing admission (what no front end can do) shows the defect.
    let Implementation::Signature(s) = reg.implementation() else {
        panic!("not a signature scheme")
    };
    let case = &mldsa_negative::cases(AlgorithmId::MlDsa44)[0];
    assert_eq!(case.name, FIRST_CASE);
    s.verifying_key(case.public_key)
        .unwrap()
        .verify(case.message, case.context, case.signature)
        .unwrap();
}

#[test]
fn admission_refuses_it_naming_provider_and_case() {
    let reg = registry::find(AlgorithmId::MlDsa44, Some("test-accepts-all")).unwrap();
    let err = reg.admit().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Provider);
    let msg = err.to_string();
    assert!(msg.contains("test-accepts-all"), "{msg}");
    assert!(msg.contains(FIRST_CASE), "{msg}");
    assert!(msg.contains("accepted"), "{msg}");
}

#[test]
fn a_configuration_naming_it_fails_to_load() {
    for toml in [
        // As the verifier ...
        "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"pqclean\"\n\
         [verify]\naccept = [\"ml-dsa-44\"]\nprovider = \"test-accepts-all\"\n",
        // ... as the shadow ...
        "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"pqclean\"\n\
         [verify]\naccept = [\"ml-dsa-44\"]\nprovider = \"pqclean\"\n\
         [shadow]\nprovider = \"test-accepts-all\"\n",
    ] {
        let err = Policy::from_toml_str(toml).unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.kind(), ErrorKind::Provider, "{msg}");
        assert!(
            msg.contains("test-accepts-all") && msg.contains(FIRST_CASE),
            "{msg}"
        );
    }
    // ... and with self-tests deferred to first use, at first use.
    let lazy = Policy::from_toml_str(
        "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"pqclean\"\n\
         [verify]\naccept = [\"ml-dsa-44\"]\nprovider = \"test-accepts-all\"\n\
         [policy]\nself_test = \"on-first-use\"\n",
    );
    {
        let policy = lazy.unwrap();
        let case = &mldsa_negative::cases(AlgorithmId::MlDsa44)[0];
        let key =
            PublicKey::from_raw(AlgorithmId::MlDsa44, case.public_key, Some("pqclean")).unwrap();
        let sig = pqshift::Signature::from_raw(AlgorithmId::MlDsa44, case.signature).unwrap();
        let err = policy
            .verify(&key, case.message, case.context, &sig)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Provider, "{err}");
        assert!(err.to_string().contains(FIRST_CASE), "{err}");
    }
    let err = PublicKey::from_raw(
        AlgorithmId::MlDsa44,
        mldsa_negative::cases(AlgorithmId::MlDsa44)[0].public_key,
        Some("test-accepts-all"),
    )
    .unwrap_err();
    assert!(err.to_string().contains(FIRST_CASE), "{err}");
}

#[test]
fn the_real_providers_are_still_admitted() {
    for p in registry::providers_for(AlgorithmId::MlDsa44) {
        if p.provider().id != "test-accepts-all" {
            p.admit()
                .unwrap_or_else(|e| panic!("{}: {e}", p.provider().id));
        }
    }
}
