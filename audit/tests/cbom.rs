//! The CBOM: its structure, and its validity against the CycloneDX 1.6
//! JSON schema shipped by the PyPI package cyclonedx-python-lib (skipped
//! with a message when python or the package is missing, except under
//! CI=true, where that is a failure).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::config::ConfigFile;
use pqshift::{AlgorithmId, Capabilities, ConfigSource};
use pqshift_audit::cbom::{cbom, validate_with_python, SchemaCheck};
use pqshift_audit::metadata::Metadata;
use pqshift_audit::{build, AuditInput, ProviderView, ServedAlgorithm};
use serde_json::Value;

fn view(
    id: &str,
    insecure: bool,
    backend: &str,
    version: &str,
    algs: &[AlgorithmId],
) -> ProviderView {
    ProviderView {
        id: id.into(),
        description: format!("{id} provider"),
        insecure,
        backend: backend.into(),
        backend_version: version.into(),
        algorithms: algs
            .iter()
            .map(|&a| ServedAlgorithm {
                algorithm: a,
                preferred: true,
                self_test: "passed".into(),
                evidence: Vec::new(),
                variant: pqshift::Variant::portable(),
                capabilities: Capabilities::default(),
            })
            .collect(),
    }
}

/// This workspace's real graph and source, with a registry shaped like the default build.
fn bom() -> Value {
    use AlgorithmId::*;
    let root = pqshift_test_support::project_root();
    let input = AuditInput {
        pqshift_version: "0.1.0".into(),
        providers: vec![
            view(
                "placeholder",
                true,
                "hmac + sha2 (RustCrypto)",
                "hmac 0.12, sha2 0.10",
                &[InsecureTestHmacSha256],
            ),
            view("dalek", false, "ed25519-dalek", "2.2.0", &[Ed25519]),
            view(
                "liboqs",
                false,
                "liboqs",
                "0.13.0 (oqs 0.11.0)",
                &[MlDsa44, MlDsa65, MlDsa87, MlKem512, MlKem768, MlKem1024],
            ),
            view(
                "pqclean",
                false,
                "pqcrypto-mldsa/pqcrypto-mlkem (PQClean)",
                "pqcrypto-mldsa 0.1.2, pqcrypto-mlkem 0.1.1",
                &[MlDsa65, MlKem768],
            ),
            view(
                "rustcrypto",
                false,
                "RustCrypto ml-dsa / ml-kem",
                "ml-dsa 0.1.2, ml-kem 0.3.4",
                &[MlDsa65, MlKem768],
            ),
        ],
        config: ConfigFile::parse(pqshift::DEFAULT_CONFIG, &ConfigSource::Default).unwrap(),
        config_source: "built-in default".into(),
        config_load_error: None,
        metadata: Metadata::load(Some(&root.join("Cargo.toml"))).unwrap(),
    };
    let report = build(&input).unwrap();
    cbom(&report, "x86_64")
}

fn component<'a>(bom: &'a Value, bom_ref: &str) -> &'a Value {
    bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["bom-ref"] == bom_ref)
        .unwrap_or_else(|| panic!("no component {bom_ref}"))
}

#[test]
fn algorithms_are_cryptographic_assets() {
    let b = bom();
    assert_eq!(b["bomFormat"], "CycloneDX");
    assert_eq!(b["specVersion"], "1.6");
    let ml = component(&b, "crypto/algorithm/ml-dsa-65");
    assert_eq!(ml["type"], "cryptographic-asset");
    assert_eq!(ml["name"], "ML-DSA-65");
    let cp = &ml["cryptoProperties"];
    assert_eq!(cp["assetType"], "algorithm");
    assert_eq!(cp["oid"], "2.16.840.1.101.3.4.3.18");
    let ap = &cp["algorithmProperties"];
    assert_eq!(ap["primitive"], "signature");
    assert_eq!(ap["parameterSetIdentifier"], "65");
    assert_eq!(ap["nistQuantumSecurityLevel"], 3);
    assert_eq!(ap["implementationPlatform"], "x86_64");
    assert_eq!(ap["executionEnvironment"], "software-plain-ram");
    assert_eq!(
        ap["cryptoFunctions"],
        serde_json::json!(["keygen", "sign", "verify"])
    );

    let kem =
        &component(&b, "crypto/algorithm/ml-kem-1024")["cryptoProperties"]["algorithmProperties"];
    assert_eq!(kem["primitive"], "kem");
    assert_eq!(kem["parameterSetIdentifier"], "1024");
    assert_eq!(kem["nistQuantumSecurityLevel"], 5);

    let ed = &component(&b, "crypto/algorithm/ed25519")["cryptoProperties"];
    assert_eq!(ed["algorithmProperties"]["nistQuantumSecurityLevel"], 0);
    assert_eq!(ed["oid"], "1.3.101.112");

    let mac = component(&b, "crypto/algorithm/insecure-test-hmac-sha256");
    assert_eq!(
        mac["cryptoProperties"]["algorithmProperties"]["primitive"],
        "mac"
    );
    assert!(mac["description"].as_str().unwrap().contains("INSECURE"));
}

#[test]
fn libraries_and_dependencies_link_providers_to_algorithms() {
    let b = bom();
    let liboqs = component(&b, "pkg:generic/liboqs@0.13.0");
    assert_eq!(liboqs["type"], "library");
    assert_eq!(liboqs["version"], "0.13.0");
    let dalek = b["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "ed25519-dalek")
        .unwrap();
    assert!(dalek["purl"]
        .as_str()
        .unwrap()
        .starts_with("pkg:cargo/ed25519-dalek@2."));
    for name in [
        "ml-dsa",
        "ml-kem",
        "pqcrypto-mldsa",
        "pqcrypto-mlkem",
        "oqs",
        "hmac",
        "sha2",
    ] {
        assert!(
            b["components"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == name),
            "backend crate {name} missing"
        );
    }
    let deps = b["dependencies"].as_array().unwrap();
    let oqs = deps
        .iter()
        .find(|d| {
            d["ref"]
                .as_str()
                .unwrap()
                .starts_with("pkg:cargo/pqshift-provider-liboqs@")
        })
        .unwrap();
    let provides: Vec<&str> = oqs["provides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(provides.contains(&"crypto/algorithm/ml-kem-768"));
    assert!(oqs["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v == "pkg:generic/liboqs@0.13.0"));
    // Every reference resolves to a component (or the metadata component).
    let refs: Vec<&str> = b["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap())
        .collect();
    for d in deps {
        let r = d["ref"].as_str().unwrap();
        assert!(r == "pqshift" || refs.contains(&r), "dangling ref {r}");
        for t in d["dependsOn"]
            .as_array()
            .unwrap()
            .iter()
            .chain(d["provides"].as_array().into_iter().flatten())
        {
            assert!(refs.contains(&t.as_str().unwrap()), "dangling ref {t}");
        }
    }
}

#[test]
fn output_is_deterministic() {
    assert_eq!(bom(), bom());
}

#[test]
fn validates_against_the_cyclonedx_1_6_schema() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cbom.json");
    std::fs::write(&file, serde_json::to_string_pretty(&bom()).unwrap()).unwrap();
    let root = pqshift_test_support::project_root();
    match validate_with_python(&file, Some(&root)) {
        SchemaCheck::Valid(note) => println!("{note}"),
        SchemaCheck::Invalid(errors) => panic!("the CBOM is not valid CycloneDX 1.6:\n{errors}"),
        SchemaCheck::Unavailable(why) => {
            assert!(
                !pqshift_test_support::in_ci(),
                "CI=true: the CycloneDX schema validator must be available (bash scripts/audit installs it): {why}"
            );
            println!("skipped: CycloneDX schema validator unavailable ({why}); bash scripts/audit installs it");
        }
    }
}

#[test]
fn an_invalid_document_is_reported_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    let mut b = bom();
    b["components"][0]["cryptoProperties"]["algorithmProperties"]["primitive"] =
        "quantum-magic".into();
    std::fs::write(&file, b.to_string()).unwrap();
    let root = pqshift_test_support::project_root();
    match validate_with_python(&file, Some(&root)) {
        SchemaCheck::Invalid(errors) => assert!(errors.contains("quantum-magic"), "{errors}"),
        SchemaCheck::Valid(note) => panic!("accepted an invalid primitive: {note}"),
        SchemaCheck::Unavailable(why) => {
            assert!(
                !pqshift_test_support::in_ci(),
                "CI=true: validator unavailable: {why}"
            );
            println!("skipped: CycloneDX schema validator unavailable ({why})");
        }
    }
}
