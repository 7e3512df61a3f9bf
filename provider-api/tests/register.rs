//! `register!` must compile in a provider crate and make the implementation findable.

use pqshift_provider_api::{
    registry, AlgorithmId, Capabilities, Error, Implementation, MacKeyOps, MacScheme, ProviderInfo,
    Result, Scheme,
};

struct Dummy;

static INFO: ProviderInfo = ProviderInfo {
    id: "register-test",
    description: "insecure dummy used only by this test",
    insecure: true,
    backend: "none",
    backend_version: "0",
    preference: 0,
};

impl Scheme for Dummy {
    fn algorithm(&self) -> AlgorithmId {
        AlgorithmId::InsecureTestHmacSha256
    }
    fn provider(&self) -> &'static ProviderInfo {
        &INFO
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }
    fn self_test(&self) -> Result<()> {
        Err(Error::Provider("dummy always fails".into()))
    }
}

impl MacScheme for Dummy {
    fn key_from_seed(&self, _seed: &[u8]) -> Result<Box<dyn MacKeyOps>> {
        Err(Error::unsupported("dummy"))
    }
}

static DUMMY: Dummy = Dummy;
pqshift_provider_api::register!(Implementation::Mac(&DUMMY));

#[test]
fn registered_implementation_is_found_and_its_admission_kept() {
    let r = registry::find(AlgorithmId::InsecureTestHmacSha256, Some("register-test")).unwrap();
    assert!(r.self_test_result().is_none());
    assert!(r.admitted().is_err());
    assert!(matches!(
        r.self_test_result(),
        Some(Err(Error::Provider(_)))
    ));
}
