//! The configuration fails closed, naming the file and the key.
#![allow(clippy::unwrap_used)]

use std::io::Write;

use pqshift::{AlgorithmId, ConfigSource, ErrorKind, Policy, PublicKey, SecretKey, Signature};
use pqshift_provider_api::{
    registry, Capabilities, Error, Implementation, ProviderInfo, Result, Scheme, SignatureScheme,
    SigningKeyOps, VerifyingKeyOps,
};

/// A provider that always fails its self-test, registered only in this test binary.
struct Broken;
static BROKEN_INFO: ProviderInfo = ProviderInfo {
    id: "broken-test",
    description: "test-only provider whose self-test fails",
    insecure: false,
    backend: "none",
    backend_version: "0",
    preference: 1000,
};
static BROKEN: Broken = Broken;
impl Scheme for Broken {
    fn algorithm(&self) -> AlgorithmId {
        AlgorithmId::MlDsa44
    }
    fn provider(&self) -> &'static ProviderInfo {
        &BROKEN_INFO
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }
    fn self_test(&self) -> Result<()> {
        Err(Error::Provider("known answer mismatch".into()))
    }
}
impl SignatureScheme for Broken {
    fn signing_key_from_seed(&self, _: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Err(Error::Internal(
            "must never be reached: self-test failed".into(),
        ))
    }
    fn verifying_key(&self, _: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        Err(Error::Internal(
            "must never be reached: self-test failed".into(),
        ))
    }
}
pqshift_provider_api::register!(Implementation::Signature(&BROKEN));

fn write_config(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn load_err(text: &str) -> (Error, String) {
    let f = write_config(text);
    let e = Policy::from_file(f.path()).unwrap_err();
    let path = f.path().display().to_string();
    let msg = e.to_string();
    assert!(
        msg.contains(&path),
        "error must name the file {path}: {msg}"
    );
    (e, msg)
}

#[test]
fn builtin_default_is_ed25519_via_dalek() {
    let p = Policy::builtin_default().unwrap();
    assert_eq!(p.sign_choice().algorithm, AlgorithmId::Ed25519);
    assert_eq!(p.sign_choice().provider, "dalek");
    assert_eq!(p.source(), &ConfigSource::Default);
    assert!(!p.allow_insecure());
}

#[test]
fn explicit_file_is_used_and_reported() {
    let f = write_config("[sign]\nalgorithm = \"Ed25519\"\nprovider = \"dalek\"\n");
    let p = Policy::load(Some(f.path())).unwrap();
    assert_eq!(p.source(), &ConfigSource::Explicit(f.path().to_path_buf()));
    assert_eq!(p.sign_choice().algorithm, AlgorithmId::Ed25519);
    // accept defaults to the signing algorithm
    assert_eq!(p.accepted().len(), 1);
}

#[test]
fn unknown_key_is_refused_by_name() {
    let (e, msg) = load_err("[sign]\nalgorithm = \"ed25519\"\nalgoritm = \"x\"\n");
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(msg.contains("algoritm"), "{msg}");
    let (_, msg) = load_err("[sign]\nalgorithm = \"ed25519\"\n[polcy]\nallow_insecure = true\n");
    assert!(msg.contains("polcy"), "{msg}");
}

#[test]
fn malformed_toml_is_refused() {
    let (e, msg) = load_err("[sign\nalgorithm = ");
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(msg.contains("line"), "{msg}");
    let (e, _) = load_err("");
    assert_eq!(
        e.kind(),
        ErrorKind::InvalidInput,
        "missing [sign] is an error"
    );
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let e = Policy::from_file(std::path::Path::new("/nonexistent/pqshift.toml")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("/nonexistent/pqshift.toml"));
}

#[test]
fn unknown_algorithm_is_refused_naming_the_key() {
    let (e, msg) = load_err("[sign]\nalgorithm = \"rsa-2048\"\n");
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(
        msg.contains("[sign] algorithm") && msg.contains("rsa-2048"),
        "{msg}"
    );
    let (e, msg) =
        load_err("[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ed448\"]\n");
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(
        msg.contains("[verify] accept") && msg.contains("ed448"),
        "{msg}"
    );
}

#[test]
fn algorithm_without_a_linked_provider_is_refused() {
    let mut checked = 0;
    for alg in AlgorithmId::ALL {
        if !registry::providers_for(alg).is_empty() {
            continue;
        }
        let section = if alg.kind() == pqshift::AlgorithmKind::Kem {
            format!("[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"{alg}\"\n")
        } else {
            format!("[sign]\nalgorithm = \"{alg}\"\n")
        };
        let (e, msg) = load_err(&section);
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{msg}");
        assert!(msg.contains("no linked provider serves"), "{msg}");
        checked += 1;
    }
    // A provider that is linked but does not serve the algorithm, or is not linked at all.
    let (e, msg) = load_err("[sign]\nalgorithm = \"ed25519\"\nprovider = \"placeholder\"\n");
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(msg.contains("dalek"), "names who does serve it: {msg}");
    let (e, _) = load_err("[sign]\nalgorithm = \"ed25519\"\nprovider = \"no-such-provider\"\n");
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    eprintln!("{checked} unserved algorithms checked");
}

#[test]
fn placeholder_needs_allow_insecure() {
    let (e, msg) = load_err("[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n");
    assert_eq!(e.kind(), ErrorKind::Policy);
    assert!(
        msg.contains("allow_insecure") && msg.contains("INSECURE"),
        "{msg}"
    );
    let (e, _) = load_err(
        "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"insecure-test-hmac-sha256\"]\n",
    );
    assert_eq!(e.kind(), ErrorKind::Policy);

    let f = write_config(
        "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n",
    );
    let p = Policy::from_file(f.path()).unwrap();
    let key = p.signing_key_from_u64(7).unwrap();
    assert!(key.is_mac());
    assert_eq!(
        key.public_key().unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let tag = p.sign(&key, b"payload", b"").unwrap();
    p.verify_with_secret(&key, b"payload", b"", &tag).unwrap();
    assert_eq!(
        p.verify_with_secret(&key, b"payloaD", b"", &tag)
            .unwrap_err()
            .kind(),
        ErrorKind::VerificationFailed
    );
}

#[test]
fn kind_mismatch_is_refused() {
    let (e, msg) = load_err("[sign]\nalgorithm = \"ml-kem-768\"\n");
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(msg.contains("kem"), "{msg}");
}

#[test]
fn accept_must_include_the_signing_algorithm() {
    let (e, _) = load_err("[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = []\n");
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let (e, msg) = load_err(
        "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"insecure-test-hmac-sha256\"]\n[policy]\nallow_insecure = true\n",
    );
    assert_eq!(e.kind(), ErrorKind::Policy, "{msg}");
}

#[test]
fn failing_self_test_refuses_the_provider() {
    let (e, msg) = load_err("[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"broken-test\"\n");
    assert_eq!(e.kind(), ErrorKind::Provider, "{msg}");
    assert!(
        msg.contains("self-test") && msg.contains("broken-test"),
        "{msg}"
    );

    // Deferred to first use: loading succeeds, the first call is refused.
    let f = write_config(
        "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"broken-test\"\n[policy]\nself_test = \"on-first-use\"\n",
    );
    let p = Policy::from_file(f.path()).unwrap();
    let e = p.signing_key_from_seed(&[0u8; 32]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Provider, "{e}");
    let listed = pqshift::providers()
        .into_iter()
        .find(|s| s.provider == "broken-test")
        .unwrap();
    assert!(
        listed.self_test.starts_with("failed"),
        "{}",
        listed.self_test
    );
}

#[test]
fn self_test_value_is_checked() {
    let (e, msg) = load_err("[sign]\nalgorithm = \"ed25519\"\n[policy]\nself_test = \"never\"\n");
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(msg.contains("never"), "{msg}");
}

#[test]
fn shadow_must_be_a_second_provider() {
    let (e, _) = load_err("[sign]\nalgorithm = \"ed25519\"\n[shadow]\nprovider = \"dalek\"\n");
    assert_eq!(e.kind(), ErrorKind::Policy);
    let (e, _) = load_err("[sign]\nalgorithm = \"ed25519\"\n[shadow]\nprovider = \"nobody\"\n");
    assert_eq!(e.kind(), ErrorKind::Unsupported);
}

#[test]
fn verify_is_limited_to_accepted_algorithms() {
    let ed = Policy::builtin_default().unwrap();
    let f = write_config(
        "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n",
    );
    let mac_only = Policy::from_file(f.path()).unwrap();
    let key = ed.signing_key_from_seed(&[1u8; 32]).unwrap();
    let sig = ed.sign(&key, b"m", b"").unwrap();
    let pk = key.public_key().unwrap();
    ed.verify(&pk, b"m", b"", &sig).unwrap();
    let e = mac_only.verify(&pk, b"m", b"", &sig).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Policy);
    assert!(e.to_string().contains("not accepted"), "{e}");
    // The policy signs only with the configured algorithm.
    assert_eq!(
        mac_only.sign(&key, b"m", b"").unwrap_err().kind(),
        ErrorKind::Policy
    );
}

#[test]
fn keys_round_trip_and_mismatches_are_errors() {
    let key = SecretKey::from_seed(AlgorithmId::Ed25519, &[9u8; 32], None).unwrap();
    let text = key.to_tagged().unwrap().to_text();
    let again = SecretKey::decode(text.as_bytes(), None).unwrap();
    assert_eq!(again.fingerprint(), key.fingerprint());
    let dbg = format!("{key:?}");
    assert!(!dbg.contains("0909"), "{dbg}");

    // A corrupted fingerprint is caught.
    let mut bin = key.to_tagged().unwrap().to_bytes().to_vec();
    bin[7 + 7] ^= 1;
    assert_eq!(
        SecretKey::decode(&bin, None).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );

    let pk = key.public_key().unwrap();
    let pk2 = PublicKey::decode(&pk.to_tagged().unwrap().to_bytes(), None).unwrap();
    assert_eq!(pk2.as_raw(), pk.as_raw());

    // A MAC tag cannot be verified by an Ed25519 key, even with the right length.
    let mac = SecretKey::from_u64(AlgorithmId::InsecureTestHmacSha256, 1, None).unwrap();
    let tag = mac.sign(b"m", b"").unwrap();
    let e = pk.verify(b"m", b"", &tag).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("mismatch"), "{e}");

    // A tagged public key is not a signature.
    let e = Signature::decode(&pk.to_tagged().unwrap().to_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn int_seed_contract_is_deterministic_and_documented() {
    // seed_from_u64 is a documented SHA-256 expansion; recompute it independently here.
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"pqshift-int-seed-v1\0ed25519\0");
    h.update(42u64.to_be_bytes());
    h.update([0u8]);
    let want: [u8; 32] = h.finalize().into();
    assert_eq!(
        pqshift::seed_from_u64(AlgorithmId::Ed25519, 42).expose(),
        &want
    );
    let a = SecretKey::from_u64(AlgorithmId::Ed25519, 42, None).unwrap();
    let b = SecretKey::from_seed(AlgorithmId::Ed25519, &want, None).unwrap();
    assert_eq!(a.fingerprint(), b.fingerprint());
    // 64-byte seeds (ML-KEM) take two blocks.
    assert_eq!(pqshift::seed_from_u64(AlgorithmId::MlKem768, 1).len(), 64);
}

#[test]
fn every_linked_provider_crate_registers_and_passes_its_self_test() {
    let statuses = pqshift::providers();
    let linked = pqshift::linked_providers();
    assert!(!linked.is_empty());
    for info in linked {
        let mine: Vec<_> = statuses.iter().filter(|s| s.provider == info.id).collect();
        assert!(
            !mine.is_empty(),
            "provider crate {} is linked but registered nothing",
            info.id
        );
        for s in mine {
            assert_eq!(s.self_test, "passed", "{}/{}", s.algorithm, s.provider);
        }
    }
}
