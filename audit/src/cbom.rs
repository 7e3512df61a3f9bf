//! A CycloneDX 1.6 cryptographic bill of materials (CBOM) of the build:
//! one `cryptographic-asset` component per algorithm served, one `library`
//! component per provider crate, backend crate and vendored native library,
//! and a dependency graph in which each provider `dependsOn` its backends
//! and `provides` its algorithms.
//!
//! The output is deterministic for a given build and source tree (no
//! timestamp; the serial number is derived from the content), so two runs
//! can be compared with `diff`.

use std::collections::BTreeMap;

use pqshift::{AlgorithmId, AlgorithmKind};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::report::Report;

/// The CycloneDX specification version written.
pub const SPEC_VERSION: &str = "1.6";

struct AlgProps {
    name: &'static str,
    primitive: &'static str,
    parameter_set: Option<&'static str>,
    curve: Option<&'static str>,
    classical: u32,
    nist_quantum: u32,
    functions: &'static [&'static str],
}

const SIG_FUNCTIONS: &[&str] = &["keygen", "sign", "verify"];
const KEM_FUNCTIONS: &[&str] = &["keygen", "encapsulate", "decapsulate"];

/// What the CBOM says about each algorithm. NIST PQC security categories
/// from FIPS 203/204; classical strengths in bits.
fn props(alg: AlgorithmId) -> AlgProps {
    let sig = |name, set, classical, nist| AlgProps {
        name,
        primitive: "signature",
        parameter_set: Some(set),
        curve: None,
        classical,
        nist_quantum: nist,
        functions: SIG_FUNCTIONS,
    };
    let kem = |name, set, classical, nist| AlgProps {
        name,
        primitive: "kem",
        parameter_set: Some(set),
        curve: None,
        classical,
        nist_quantum: nist,
        functions: KEM_FUNCTIONS,
    };
    match alg {
        AlgorithmId::Ed25519 => AlgProps {
            name: "Ed25519",
            primitive: "signature",
            parameter_set: None,
            curve: Some("Ed25519"),
            classical: 128,
            nist_quantum: 0,
            functions: SIG_FUNCTIONS,
        },
        AlgorithmId::MlDsa44 => sig("ML-DSA-44", "44", 128, 2),
        AlgorithmId::MlDsa65 => sig("ML-DSA-65", "65", 192, 3),
        AlgorithmId::MlDsa87 => sig("ML-DSA-87", "87", 256, 5),
        AlgorithmId::MlKem512 => kem("ML-KEM-512", "512", 128, 1),
        AlgorithmId::MlKem768 => kem("ML-KEM-768", "768", 192, 3),
        AlgorithmId::MlKem1024 => kem("ML-KEM-1024", "1024", 256, 5),
        // The placeholder and anything added later without a row here: no
        // security claimed.
        _ => AlgProps {
            name: alg.as_str(),
            primitive: match alg.kind() {
                AlgorithmKind::Signature => "signature",
                AlgorithmKind::Kem => "kem",
                AlgorithmKind::Mac => "mac",
            },
            parameter_set: None,
            curve: None,
            classical: 0,
            nist_quantum: 0,
            functions: if alg.kind() == AlgorithmKind::Mac {
                &["keygen", "tag", "verify"]
            } else {
                &["other"]
            },
        },
    }
}

/// CycloneDX's name for the machine this runs on.
pub fn implementation_platform(arch: &str) -> &'static str {
    match arch {
        "x86_64" => "x86_64",
        "x86" => "x86_32",
        "aarch64" => "armv8-a",
        "arm" => "armv7-a",
        "s390x" => "s390x",
        "powerpc64" => "ppc64",
        _ => "other",
    }
}

fn alg_ref(alg: AlgorithmId) -> String {
    format!("crypto/algorithm/{}", alg.as_str())
}

fn crate_ref(name: &str, version: &str) -> String {
    format!("pkg:cargo/{name}@{version}")
}

fn property(name: &str, value: impl Into<String>) -> Value {
    json!({ "name": name, "value": value.into() })
}

/// The CBOM of `report`, for the platform named by `arch` (`std::env::consts::ARCH`).
pub fn cbom(report: &Report, arch: &str) -> Value {
    let platform = implementation_platform(arch);

    // Algorithms, each with the providers serving it.
    let mut algorithms: BTreeMap<AlgorithmId, Vec<&str>> = BTreeMap::new();
    for p in &report.providers {
        for a in &p.algorithms {
            algorithms.entry(a.algorithm).or_default().push(&p.id);
        }
    }
    let mut components: Vec<Value> = Vec::new();
    for (alg, served_by) in &algorithms {
        let pr = props(*alg);
        let mut ap = json!({
            "primitive": pr.primitive,
            "executionEnvironment": "software-plain-ram",
            "implementationPlatform": platform,
            "certificationLevel": ["none"],
            "cryptoFunctions": pr.functions,
            "classicalSecurityLevel": pr.classical,
            "nistQuantumSecurityLevel": pr.nist_quantum,
        });
        if let Some(set) = pr.parameter_set {
            ap["parameterSetIdentifier"] = json!(set);
        }
        if let Some(curve) = pr.curve {
            ap["curve"] = json!(curve);
        }
        let mut crypto = json!({ "assetType": "algorithm", "algorithmProperties": ap });
        if let Some(oid) = alg.oid() {
            crypto["oid"] = json!(oid);
        }
        let mut c = json!({
            "type": "cryptographic-asset",
            "bom-ref": alg_ref(*alg),
            "name": pr.name,
            "cryptoProperties": crypto,
            "properties": [
                property("pqshift:algorithm-id", alg.as_str()),
                property("pqshift:providers", served_by.join(", ")),
            ],
        });
        if alg.is_insecure() {
            c["description"] =
                json!("INSECURE test placeholder: NO SECURITY, tests only (pqshift)");
        }
        components.push(c);
    }

    // Libraries: provider crates, their backend crates, vendored native libraries.
    let mut libraries: BTreeMap<String, Value> = BTreeMap::new();
    let mut dependencies: Vec<Value> = Vec::new();
    let mut provider_refs: Vec<String> = Vec::new();
    for p in &report.providers {
        let version = p.crate_version.clone().unwrap_or_else(|| "0.0.0".into());
        let pref = crate_ref(&p.crate_name, &version);
        provider_refs.push(pref.clone());
        libraries.insert(
            pref.clone(),
            json!({
                "type": "library",
                "bom-ref": pref,
                "name": p.crate_name,
                "version": version,
                "purl": crate_ref(&p.crate_name, &version),
                "description": p.description,
                "properties": [
                    property("pqshift:provider-id", p.id.clone()),
                    property("pqshift:status", p.status),
                    property("pqshift:backend", format!("{} {}", p.backend, p.backend_version)),
                ],
            }),
        );
        let mut depends_on: Vec<String> = Vec::new();
        for b in &p.backend_crates {
            let r = crate_ref(&b.name, &b.version);
            libraries.entry(r.clone()).or_insert_with(|| {
                json!({
                    "type": "library",
                    "bom-ref": r,
                    "name": b.name,
                    "version": b.version,
                    "purl": crate_ref(&b.name, &b.version),
                })
            });
            depends_on.push(r);
        }
        for n in &p.native_libraries {
            let r = format!("pkg:generic/{}@{}", n.name, n.version);
            libraries.entry(r.clone()).or_insert_with(|| {
                json!({
                    "type": "library",
                    "bom-ref": r,
                    "name": n.name,
                    "version": n.version,
                    "purl": r,
                    "description": format!("vendored C library, built and linked statically by {} {}", n.via.name, n.via.version),
                })
            });
            depends_on.push(r);
        }
        depends_on.sort();
        depends_on.dedup();
        let mut provides: Vec<String> = p.algorithms.iter().map(|a| alg_ref(a.algorithm)).collect();
        provides.sort();
        provides.dedup();
        dependencies.push(json!({ "ref": pref, "dependsOn": depends_on, "provides": provides }));
    }
    for (r, lib) in &libraries {
        if !provider_refs.contains(r) {
            dependencies.push(json!({ "ref": r, "dependsOn": [] }));
        }
        components.push(lib.clone());
    }
    for alg in algorithms.keys() {
        dependencies.push(json!({ "ref": alg_ref(*alg), "dependsOn": [] }));
    }
    provider_refs.sort();
    provider_refs.dedup();
    dependencies.insert(0, json!({ "ref": "pqshift", "dependsOn": provider_refs }));

    let body = json!({ "components": components, "dependencies": dependencies });
    let digest = Sha256::digest(body.to_string().as_bytes());
    let serial = uuid_from(&digest);
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": format!("urn:uuid:{serial}"),
        "version": 1,
        "metadata": {
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "pqshift audit",
                    "version": report.pqshift_version,
                }]
            },
            "component": {
                "type": "application",
                "bom-ref": "pqshift",
                "name": "pqshift",
                "version": report.pqshift_version,
                "purl": crate_ref("pqshift", &report.pqshift_version),
            },
            "properties": [
                property("pqshift:config-source", report.config.source.clone()),
                property("pqshift:isolation-ok", report.isolation_ok.to_string()),
            ],
        },
        "components": body["components"],
        "dependencies": body["dependencies"],
    })
}

/// An RFC 9562 version-8 UUID from the first 16 bytes of a digest.
fn uuid_from(digest: &[u8]) -> String {
    let mut b = [0u8; 16];
    for (dst, src) in b.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The result of checking a CBOM against the CycloneDX 1.6 JSON schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaCheck {
    /// Valid; the validator's one-line report.
    Valid(String),
    /// Invalid; every error.
    Invalid(String),
    /// No validator could run (no python3, or no `cyclonedx-python-lib` / `jsonschema`).
    Unavailable(String),
}

/// The validator script (audit/validate_cbom.py), run with `python -`.
pub const VALIDATOR_SCRIPT: &str = include_str!("../validate_cbom.py");

/// Validates the CBOM in `file` with the official CycloneDX 1.6 schema, as
/// shipped by the PyPI package cyclonedx-python-lib, through
/// [`VALIDATOR_SCRIPT`]. Tries, in order: `$PQSHIFT_AUDIT_PYTHON`, the
/// interop virtualenv `<target>/interop-venv` that scripts/audit fills
/// (`$CARGO_TARGET_DIR`, else `project_root/target`), then `python3`.
pub fn validate_with_python(
    file: &std::path::Path,
    project_root: Option<&std::path::Path>,
) -> SchemaCheck {
    use std::io::Write;
    use std::path::PathBuf;
    use std::process::{Command, Stdio};

    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("PQSHIFT_AUDIT_PYTHON").filter(|p| !p.is_empty()) {
        candidates.push(PathBuf::from(p));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| project_root.map(|r| r.join("target")));
    if let Some(t) = target {
        candidates.push(t.join("interop-venv/bin/python3"));
    }
    candidates.push(PathBuf::from("python3"));

    let mut notes = Vec::new();
    for python in candidates {
        let child = Command::new(&python)
            .arg("-")
            .arg(file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => {
                notes.push(format!("{}: {e}", python.display()));
                continue;
            }
        };
        if let Some(mut stdin) = child.stdin.take() {
            if let Err(e) = stdin.write_all(VALIDATOR_SCRIPT.as_bytes()) {
                notes.push(format!("{}: {e}", python.display()));
                let _ = child.wait();
                continue;
            }
        }
        let out = match child.wait_with_output() {
            Ok(o) => o,
            Err(e) => {
                notes.push(format!("{}: {e}", python.display()));
                continue;
            }
        };
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .trim()
        .to_string();
        match out.status.code() {
            Some(0) => return SchemaCheck::Valid(format!("{text} [{}]", python.display())),
            Some(1) => return SchemaCheck::Invalid(text),
            _ => notes.push(format!("{}: {text}", python.display())),
        }
    }
    SchemaCheck::Unavailable(notes.join("; "))
}
