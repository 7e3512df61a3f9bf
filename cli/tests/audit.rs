//! `pqshift audit`: the report on this build and workspace, its exit codes
//! (0 clean, 1 high-severity findings, 2 error), --json and --cbom.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Env;
use pqshift_audit::cbom::{validate_with_python, SchemaCheck};
use serde_json::Value;

fn manifest() -> String {
    pqshift_test_support::project_root()
        .join("Cargo.toml")
        .display()
        .to_string()
}

fn audit_json(e: &Env, extra: &[&str]) -> (i32, Value) {
    let m = manifest();
    let mut args = vec!["audit", "--json", "--manifest-path", m.as_str()];
    args.extend_from_slice(extra);
    let o = e.run(&args);
    assert!(o.code == 0 || o.code == 1, "{o:?}");
    (o.code, serde_json::from_str(&o.stdout).unwrap())
}

fn finding<'a>(v: &'a Value, id: &str) -> Option<&'a Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
}

#[test]
fn default_configuration_is_clean_of_high_findings() {
    let e = Env::new();
    let (code, v) = audit_json(&e, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["isolation_ok"], true);
    assert_eq!(v["config"]["loads"], true);
    let ids: Vec<&str> = v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for p in ["dalek", "liboqs"] {
        assert!(ids.contains(&p), "{ids:?}");
    }
    for p in v["providers"].as_array().unwrap() {
        assert_eq!(p["depends_on_other_provider"], false, "{}", p["id"]);
        assert_eq!(p["depends_on_facade"], false, "{}", p["id"]);
        assert!(p["dependencies"].as_array().unwrap().len() > 1);
        let u = &p["unsafe_code"];
        if p["id"] == "awslc" {
            assert!(
                p["backend_version"]
                    .as_str()
                    .unwrap()
                    .starts_with("5.12.0 (aws-lc-sys 0.47.0)"),
                "{}",
                p["backend_version"]
            );
            assert!(u["count"].as_u64().unwrap() > 0);
            for s in u["sites"].as_array().unwrap() {
                assert_eq!(s["file"], "src/ffi.rs");
            }
        } else if p["id"] == "liboqs" {
            assert_eq!(p["backend_version"], "0.13.0 (oqs 0.11.0)");
            assert_eq!(p["native_libraries"][0]["name"], "liboqs");
            assert_eq!(p["native_libraries"][0]["version"], "0.13.0");
            assert!(u["count"].as_u64().unwrap() > 0);
            for s in u["sites"].as_array().unwrap() {
                assert_eq!(s["file"], "src/ffi.rs");
                assert!(s["line"].as_u64().unwrap() > 0);
            }
        } else {
            assert_eq!(u["forbid_unsafe_code"], true, "{}", p["id"]);
            assert_eq!(u["count"], 0, "{}", p["id"]);
        }
        assert_eq!(
            p["status"],
            if p["insecure"] == true {
                "insecure"
            } else {
                "self-tested"
            }
        );
        for a in p["algorithms"].as_array().unwrap() {
            assert_eq!(a["self_test"], "passed");
            // The label names its evidence, and the variant it ran on.
            let evidence: Vec<&str> = a["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap())
                .collect();
            let v = &a["variant"];
            assert!(!v["active"].as_str().unwrap().is_empty(), "{a}");
            assert!(v["compiled"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == &v["active"]));
            if a["algorithm"].as_str().unwrap().starts_with("ml-dsa-") {
                for want in [
                    "negative: z infinity-norm violation",
                    "negative: hint indices out of order",
                ] {
                    assert!(
                        evidence.iter().any(|e| e.starts_with(want)),
                        "{} {}: {evidence:?}",
                        p["id"],
                        a["algorithm"]
                    );
                }
                assert!(
                    evidence.iter().any(|e| e.starts_with("positive:")),
                    "{} {evidence:?}",
                    p["id"]
                );
            }
        }
    }
    let classical = finding(&v, "classical-signing").unwrap();
    assert_eq!(classical["severity"], "medium");
    assert_eq!(v["summary"]["high"], 0);
}

#[test]
fn text_report() {
    let e = Env::new();
    let m = manifest();
    let o = e.run(&["audit", "--manifest-path", &m]);
    o.ok();
    for needle in [
        "pqshift audit",
        "liboqs 0.13.0",
        "src/ffi.rs:",
        "#![forbid(unsafe_code)]",
        "SELF-TESTED",
        "variant:",
        "passed:   negative: z infinity-norm violation",
        "isolation: ok",
        "MEDIUM  classical-signing",
        "exit 0",
    ] {
        assert!(
            o.stdout.contains(needle),
            "missing {needle:?}:\n{}",
            o.stdout
        );
    }
}

#[test]
fn insecure_configuration_exits_1() {
    let e = Env::new();
    let cfg = e.write(
        "insecure.toml",
        "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n",
    );
    let (code, v) = audit_json(&e, &["--config", &cfg]);
    assert_eq!(code, 1);
    assert_eq!(v["exit_code"], 1);
    assert_eq!(finding(&v, "allow-insecure").unwrap()["severity"], "high");
    assert_eq!(finding(&v, "insecure-in-use").unwrap()["severity"], "high");
    // Text mode too.
    let m = manifest();
    let o = e.run(&["--config", &cfg, "audit", "--manifest-path", &m]);
    assert_eq!(o.code, 1, "{o:?}");
    assert!(o.stdout.contains("HIGH"), "{}", o.stdout);
}

#[test]
fn a_configuration_pqshift_refuses_is_linted_and_exits_1() {
    let e = Env::new();
    let cfg = e.write(
        "refused.toml",
        "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n",
    );
    let (code, v) = audit_json(&e, &["--config", &cfg]);
    assert_eq!(code, 1);
    assert_eq!(v["config"]["loads"], false);
    assert!(v["config"]["error"].as_str().unwrap().contains("INSECURE"));
    assert_eq!(finding(&v, "config-refused").unwrap()["severity"], "high");
}

#[test]
fn pq_configuration_with_shadow() {
    let e = Env::new();
    let cfg = e.write(
        "pq.toml",
        "[sign]\nalgorithm = \"ml-dsa-65\"\n[verify]\naccept = [\"ed25519\", \"ml-dsa-65\"]\n[shadow]\nprovider = \"pqclean\"\n",
    );
    let (code, v) = audit_json(&e, &["--config", &cfg]);
    assert_eq!(code, 0);
    assert!(finding(&v, "classical-signing").is_none());
    assert!(finding(&v, "no-cross-check").is_none());
    assert_eq!(
        finding(&v, "classical-accepted").unwrap()["severity"],
        "info"
    );
}

#[test]
fn errors_exit_2() {
    let e = Env::new();
    let m = manifest();
    // A configuration that does not parse (unknown key) cannot be linted.
    let bad = e.write(
        "bad.toml",
        "[sign]\nalgorithm = \"ed25519\"\ncolour = \"blue\"\n",
    );
    e.run(&["--config", &bad, "audit", "--manifest-path", &m])
        .fails(&["colour"]);
    e.run(&[
        "--config",
        &e.p("missing.toml"),
        "audit",
        "--manifest-path",
        &m,
    ])
    .fails(&["cannot read configuration file"]);
    // No source tree: the scratch directory has no Cargo.toml.
    e.run(&["audit"]).fails(&["source tree", "--manifest-path"]);
    e.run(&["audit", "--manifest-path", &e.p("nowhere/Cargo.toml")])
        .fails(&["source tree"]);
    // --force needs --cbom.
    assert_eq!(e.run(&["audit", "--force"]).code, 2);
}

#[test]
fn cbom_is_written_and_valid_cyclonedx_1_6() {
    let e = Env::new();
    let m = manifest();
    let path = e.p("cbom.json");
    let o = e.run(&["audit", "--json", "--manifest-path", &m, "--cbom", &path]);
    o.ok();
    // stdout stays the JSON report; the note goes to stderr.
    let _: Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(o.stderr.contains("CBOM written"), "{o:?}");
    let bom: Value = serde_json::from_str(&e.read_text("cbom.json")).unwrap();
    assert_eq!(bom["specVersion"], "1.6");
    let algs: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "cryptographic-asset")
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for a in [
        "Ed25519",
        "ML-DSA-44",
        "ML-DSA-65",
        "ML-DSA-87",
        "ML-KEM-512",
        "ML-KEM-768",
        "ML-KEM-1024",
    ] {
        assert!(algs.contains(&a), "{a} missing from {algs:?}");
    }
    // Refuses to overwrite without --force; replaces it with --force.
    e.run(&["audit", "--manifest-path", &m, "--cbom", &path])
        .fails(&["already exists"]);
    e.run(&["audit", "--manifest-path", &m, "--cbom", &path, "--force"])
        .ok();

    let root = pqshift_test_support::project_root();
    match validate_with_python(&e.path("cbom.json"), Some(&root)) {
        SchemaCheck::Valid(note) => println!("{note}"),
        SchemaCheck::Invalid(errors) => {
            panic!("pqshift audit --cbom is not valid CycloneDX 1.6:\n{errors}")
        }
        SchemaCheck::Unavailable(why) => {
            assert!(
                !pqshift_test_support::in_ci(),
                "CI=true: the CycloneDX schema validator must be available (bash scripts/audit installs it): {why}"
            );
            println!("skipped: CycloneDX schema validator unavailable ({why})");
        }
    }
}
