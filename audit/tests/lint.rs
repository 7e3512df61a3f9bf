//! The policy lint, one test per rule, on a synthetic registry shaped like
//! the default build (placeholder, dalek, liboqs, pqclean).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::config::ConfigFile;
use pqshift::{AlgorithmId, Capabilities, ConfigSource};
use pqshift_audit::lint::lint;
use pqshift_audit::{Finding, ProviderView, ServedAlgorithm, Severity};

fn served(alg: AlgorithmId, preferred: bool) -> ServedAlgorithm {
    ServedAlgorithm {
        algorithm: alg,
        preferred,
        self_test: "passed".into(),
        evidence: Vec::new(),
        variant: pqshift::Variant::portable(),
        capabilities: Capabilities::default(),
    }
}

fn provider(id: &str, insecure: bool, algs: &[(AlgorithmId, bool)]) -> ProviderView {
    ProviderView {
        id: id.into(),
        description: format!("{id} provider"),
        insecure,
        backend: id.into(),
        backend_version: "1.0".into(),
        algorithms: algs.iter().map(|&(a, p)| served(a, p)).collect(),
    }
}

fn registry() -> Vec<ProviderView> {
    use AlgorithmId::*;
    vec![
        provider("placeholder", true, &[(InsecureTestHmacSha256, true)]),
        provider("dalek", false, &[(Ed25519, true)]),
        provider(
            "liboqs",
            false,
            &[(MlDsa65, true), (MlDsa44, true), (MlKem768, true)],
        ),
        provider(
            "pqclean",
            false,
            &[(MlDsa65, false), (MlDsa44, false), (MlKem768, false)],
        ),
    ]
}

fn config(text: &str) -> ConfigFile {
    ConfigFile::parse(text, &ConfigSource::Inline).unwrap()
}

fn run(text: &str) -> Vec<Finding> {
    lint(&config(text), None, &registry())
}

fn has(findings: &[Finding], id: &str, severity: Severity) -> bool {
    findings
        .iter()
        .any(|f| f.id == id && f.severity == severity)
}

fn ids(findings: &[Finding]) -> Vec<(&str, Severity)> {
    findings
        .iter()
        .map(|f| (f.id.as_str(), f.severity))
        .collect()
}

#[test]
fn default_configuration() {
    let f = run(pqshift::DEFAULT_CONFIG);
    // Ed25519 only: not post-quantum; one provider, so no cross-check finding;
    // the placeholder is linked but refused.
    assert_eq!(
        ids(&f),
        [
            ("classical-signing", Severity::Medium),
            ("insecure-linked", Severity::Info)
        ],
        "{f:#?}"
    );
    assert!(f[0].message.contains("not post-quantum"));
}

#[test]
fn allow_insecure_is_high() {
    let f = run("[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecure = true\n");
    assert!(has(&f, "allow-insecure", Severity::High), "{f:#?}");
}

#[test]
fn placeholder_in_use_is_high() {
    let f =
        run("[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n");
    assert!(has(&f, "insecure-in-use", Severity::High), "{f:#?}");
    assert!(has(&f, "allow-insecure", Severity::High));
    // Used, so not merely "linked".
    assert!(!f.iter().any(|x| x.id == "insecure-linked"));
    // A MAC is not a classical signature finding.
    assert!(!f.iter().any(|x| x.id == "classical-signing"));
}

#[test]
fn an_insecure_provider_named_for_verification_is_high() {
    let f = run("[sign]\nalgorithm = \"ml-dsa-65\"\n[verify]\naccept = [\"ml-dsa-65\", \"insecure-test-hmac-sha256\"]\n[shadow]\nprovider = \"pqclean\"\n");
    let hit = f.iter().find(|x| x.id == "insecure-in-use").unwrap();
    assert_eq!(hit.severity, Severity::High);
    assert!(hit.subject.starts_with("[verify] accept"), "{hit:?}");
}

#[test]
fn classical_signing_with_pq_accepted_is_info() {
    let f =
        run("[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ml-dsa-65\"]\n");
    assert!(has(&f, "classical-signing", Severity::Info), "{f:#?}");
    assert!(!has(&f, "classical-signing", Severity::Medium));
}

#[test]
fn pq_signing_that_still_accepts_classical_is_info() {
    let f = run("[sign]\nalgorithm = \"ml-dsa-65\"\n[verify]\naccept = [\"ed25519\", \"ml-dsa-65\"]\n[shadow]\nprovider = \"pqclean\"\n");
    assert_eq!(
        ids(&f),
        [
            ("classical-accepted", Severity::Info),
            ("insecure-linked", Severity::Info)
        ],
        "{f:#?}"
    );
}

#[test]
fn no_shadow_with_a_second_provider_is_medium() {
    let f = run("[sign]\nalgorithm = \"ml-dsa-65\"\n");
    let hit = f.iter().find(|x| x.id == "no-cross-check").unwrap();
    assert_eq!(hit.severity, Severity::Medium);
    assert!(hit.message.contains("pqclean"), "{hit:?}");
    // With a shadow, gone.
    let f = run("[sign]\nalgorithm = \"ml-dsa-65\"\n[shadow]\nprovider = \"pqclean\"\n");
    assert!(!f.iter().any(|x| x.id == "no-cross-check"), "{f:#?}");
}

#[test]
fn shadow_equal_to_the_signer_is_medium() {
    let f = run("[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"liboqs\"\n[shadow]\nprovider = \"liboqs\"\n");
    assert!(
        has(&f, "shadow-not-independent", Severity::Medium),
        "{f:#?}"
    );
}

#[test]
fn self_test_on_first_use_is_low() {
    let f = run("[sign]\nalgorithm = \"ed25519\"\n[policy]\nself_test = \"on-first-use\"\n");
    assert!(has(&f, "self-test-on-first-use", Severity::Low), "{f:#?}");
}

#[test]
fn failed_self_tests() {
    let mut reg = registry();
    reg[2].algorithms[0].self_test = "failed: wrong signature".into(); // liboqs ml-dsa-65
    let f = lint(
        &config("[sign]\nalgorithm = \"ml-dsa-65\"\n[shadow]\nprovider = \"pqclean\"\n"),
        None,
        &reg,
    );
    assert!(has(&f, "self-test-failed", Severity::High), "{f:#?}");
    // Not used by this configuration: medium.
    let f = lint(&config("[sign]\nalgorithm = \"ed25519\"\n"), None, &reg);
    assert!(has(&f, "self-test-failed", Severity::Medium), "{f:#?}");
    assert!(!has(&f, "self-test-failed", Severity::High));
}

#[test]
fn a_refused_configuration_is_high() {
    let f = lint(
        &config("[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n"),
        Some("insecure-test-hmac-sha256 (provider placeholder) is INSECURE"),
        &registry(),
    );
    assert!(has(&f, "config-refused", Severity::High), "{f:#?}");
}

#[test]
fn insecure_provider_linked_is_info_only() {
    let f = run(pqshift::DEFAULT_CONFIG);
    let hit = f.iter().find(|x| x.id == "insecure-linked").unwrap();
    assert_eq!(hit.severity, Severity::Info);
    // Without the placeholder linked there is no such finding.
    let reg: Vec<ProviderView> = registry().into_iter().filter(|p| !p.insecure).collect();
    let f = lint(&config(pqshift::DEFAULT_CONFIG), None, &reg);
    assert!(!f.iter().any(|x| x.id == "insecure-linked"));
}
