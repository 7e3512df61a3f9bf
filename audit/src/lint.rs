//! The policy lint: what a reviewer should know about a configuration,
//! each finding with a severity and a stable rule ID.
//!
//! | rule | severity | when |
//! |---|---|---|
//! | `config-refused` | high | the configuration does not load (pqshift refuses it) |
//! | `allow-insecure` | high | `[policy] allow_insecure = true` |
//! | `insecure-in-use` | high | a role ([sign], [verify], [kem], [shadow]) uses an insecure algorithm or provider |
//! | `self-test-failed` | high / medium | a provider the configuration uses (high) or a linked one (medium) failed its known-answer self-test |
//! | `classical-signing` | medium / info | signing with a classical algorithm and no post-quantum one accepted (medium); classical signing while a PQ one is already accepted (info) |
//! | `classical-accepted` | info | post-quantum signing, but classical signatures still accepted |
//! | `no-cross-check` | medium | no `[shadow]` provider while another linked provider serves the signing algorithm |
//! | `shadow-not-independent` | medium | the `[shadow]` provider is the signing provider |
//! | `self-test-on-first-use` | low | `self_test = "on-first-use"`: a broken provider is found at first use, not at load |
//! | `insecure-linked` | info | an insecure provider is linked into this build (refused unless `allow_insecure`) |

use pqshift::config::ConfigFile;
use pqshift::{AlgorithmId, AlgorithmKind, SelfTest};

use crate::{Finding, ProviderView, Severity};

/// A configured role resolved against the linked providers.
#[derive(Debug, Clone)]
struct Role {
    /// `[sign]`, `[verify] accept`, ...
    name: String,
    algorithm: AlgorithmId,
    /// The provider ID, when one serves it.
    provider: Option<String>,
}

fn is_post_quantum(alg: AlgorithmId) -> bool {
    matches!(
        alg,
        AlgorithmId::MlDsa44
            | AlgorithmId::MlDsa65
            | AlgorithmId::MlDsa87
            | AlgorithmId::MlKem512
            | AlgorithmId::MlKem768
            | AlgorithmId::MlKem1024
    )
}

/// The provider that serves `alg` when `named` is given or not (the preferred one).
fn resolve(providers: &[ProviderView], alg: AlgorithmId, named: Option<&str>) -> Option<String> {
    let serving = providers
        .iter()
        .filter(|p| p.algorithms.iter().any(|a| a.algorithm == alg));
    match named {
        Some(n) => serving
            .into_iter()
            .find(|p| p.id == n)
            .map(|p| p.id.clone()),
        None => providers
            .iter()
            .find(|p| {
                p.algorithms
                    .iter()
                    .any(|a| a.algorithm == alg && a.preferred)
            })
            .map(|p| p.id.clone()),
    }
}

fn roles(config: &ConfigFile, providers: &[ProviderView]) -> Vec<Role> {
    let mut out = Vec::new();
    let sign = AlgorithmId::parse(&config.sign.algorithm).ok();
    if let Some(alg) = sign {
        out.push(Role {
            name: "[sign]".into(),
            algorithm: alg,
            provider: resolve(providers, alg, config.sign.provider.as_deref()),
        });
    }
    let accept: Vec<String> = match &config.verify.accept {
        Some(list) => list.clone(),
        None => vec![config.sign.algorithm.clone()],
    };
    for text in &accept {
        let Ok(alg) = AlgorithmId::parse(text) else {
            continue;
        };
        let per_alg = config
            .verify
            .providers
            .iter()
            .find(|(k, _)| AlgorithmId::parse(k).ok() == Some(alg))
            .map(|(_, v)| v.as_str());
        let named = per_alg.or(config.verify.provider.as_deref());
        out.push(Role {
            name: "[verify] accept".into(),
            algorithm: alg,
            provider: resolve(providers, alg, named),
        });
    }
    if let Some(kem) = &config.kem {
        if let Ok(alg) = AlgorithmId::parse(&kem.algorithm) {
            out.push(Role {
                name: "[kem]".into(),
                algorithm: alg,
                provider: resolve(providers, alg, kem.provider.as_deref()),
            });
        }
    }
    if let (Some(shadow), Some(alg)) = (&config.shadow, sign) {
        out.push(Role {
            name: "[shadow]".into(),
            algorithm: alg,
            provider: resolve(providers, alg, Some(&shadow.provider)),
        });
    }
    out
}

fn finding(id: &str, severity: Severity, subject: impl Into<String>, message: String) -> Finding {
    Finding {
        id: id.to_string(),
        severity,
        subject: subject.into(),
        message,
    }
}

/// Lints `config` against the linked providers. `load_error` is what pqshift
/// said when it refused to load the configuration, if it did.
pub fn lint(
    config: &ConfigFile,
    load_error: Option<&str>,
    providers: &[ProviderView],
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(e) = load_error {
        out.push(finding(
            "config-refused",
            Severity::High,
            "configuration",
            format!("pqshift refuses to load this configuration: {e}"),
        ));
    }
    if config.policy.allow_insecure {
        out.push(finding(
            "allow-insecure",
            Severity::High,
            "[policy] allow_insecure",
            "allow_insecure = true lets the INSECURE test placeholder serve; never in production"
                .into(),
        ));
    }

    let roles = roles(config, providers);
    let provider = |id: &str| providers.iter().find(|p| p.id == id);
    for r in &roles {
        let Some(pid) = &r.provider else {
            continue;
        };
        let insecure_provider = provider(pid).is_some_and(|p| p.insecure);
        if r.algorithm.is_insecure() || insecure_provider {
            out.push(finding(
                "insecure-in-use",
                Severity::High,
                format!("{} {} via {pid}", r.name, r.algorithm),
                format!(
                    "{} is served by an INSECURE provider ({pid}): it offers no security",
                    r.algorithm
                ),
            ));
        }
        let failed = provider(pid)
            .and_then(|p| p.algorithms.iter().find(|a| a.algorithm == r.algorithm))
            .filter(|a| a.self_test != "passed");
        if let Some(a) = failed {
            out.push(finding(
                "self-test-failed",
                Severity::High,
                format!("{} {} via {pid}", r.name, r.algorithm),
                format!(
                    "the provider this role uses failed its self-test: {}",
                    a.self_test
                ),
            ));
        }
    }
    for p in providers {
        for a in &p.algorithms {
            let used = roles
                .iter()
                .any(|r| r.algorithm == a.algorithm && r.provider.as_deref() == Some(&p.id));
            if !used && a.self_test != "passed" {
                out.push(finding(
                    "self-test-failed",
                    Severity::Medium,
                    format!("{} via {}", a.algorithm, p.id),
                    format!(
                        "a linked provider failed its self-test (it is refused): {}",
                        a.self_test
                    ),
                ));
            }
        }
    }

    // Classical vs post-quantum signing.
    let sign = roles.iter().find(|r| r.name == "[sign]");
    let accepted_pq: Vec<AlgorithmId> = roles
        .iter()
        .filter(|r| r.name == "[verify] accept" && is_post_quantum(r.algorithm))
        .map(|r| r.algorithm)
        .collect();
    let accepted_classical: Vec<AlgorithmId> = roles
        .iter()
        .filter(|r| {
            r.name == "[verify] accept"
                && r.algorithm.kind() == AlgorithmKind::Signature
                && !is_post_quantum(r.algorithm)
        })
        .map(|r| r.algorithm)
        .collect();
    if let Some(s) = sign {
        if s.algorithm.kind() == AlgorithmKind::Signature && !is_post_quantum(s.algorithm) {
            if accepted_pq.is_empty() {
                out.push(finding(
                    "classical-signing",
                    Severity::Medium,
                    format!("[sign] {}", s.algorithm),
                    format!(
                        "signing is not post-quantum: {} only, and [verify] accepts no post-quantum algorithm; plan the switch to ML-DSA (see PORTING.md)",
                        s.algorithm
                    ),
                ));
            } else {
                let names: Vec<&str> = accepted_pq.iter().map(|a| a.as_str()).collect();
                out.push(finding(
                    "classical-signing",
                    Severity::Info,
                    format!("[sign] {}", s.algorithm),
                    format!(
                        "signing is still classical ({}), while verification already accepts {}: a migration in progress",
                        s.algorithm,
                        names.join(", ")
                    ),
                ));
            }
        } else if is_post_quantum(s.algorithm) && !accepted_classical.is_empty() {
            let names: Vec<&str> = accepted_classical.iter().map(|a| a.as_str()).collect();
            out.push(finding(
                "classical-accepted",
                Severity::Info,
                "[verify] accept",
                format!(
                    "signing is post-quantum ({}), but classical signatures are still accepted ({}); remove them once every stored signature is migrated",
                    s.algorithm,
                    names.join(", ")
                ),
            ));
        }

        // Cross-verification by an independent provider.
        match (&config.shadow, &s.provider) {
            (None, Some(sp)) => {
                let others: Vec<&str> = providers
                    .iter()
                    .filter(|p| &p.id != sp && !p.insecure)
                    .filter(|p| {
                        p.algorithms
                            .iter()
                            .any(|a| a.algorithm == s.algorithm && a.self_test == "passed")
                    })
                    .map(|p| p.id.as_str())
                    .collect();
                if !others.is_empty() {
                    out.push(finding(
                        "no-cross-check",
                        Severity::Medium,
                        "[shadow]",
                        format!(
                            "no [shadow] provider: {} signatures from {sp} are not cross-checked, though {} also serve{} it",
                            s.algorithm,
                            others.join(", "),
                            if others.len() == 1 { "s" } else { "" }
                        ),
                    ));
                }
            }
            (Some(sh), Some(sp)) if &sh.provider == sp => out.push(finding(
                "shadow-not-independent",
                Severity::Medium,
                "[shadow] provider",
                format!(
                    "the [shadow] provider {sp} is the signing provider: the cross-check is not independent"
                ),
            )),
            _ => {}
        }
    }

    if config.policy.self_test == SelfTest::OnFirstUse {
        out.push(finding(
            "self-test-on-first-use",
            Severity::Low,
            "[policy] self_test",
            "self_test = \"on-first-use\": a provider that fails its known-answer test is found at its first call, not when the configuration loads".into(),
        ));
    }
    for p in providers.iter().filter(|p| p.insecure) {
        let used = roles.iter().any(|r| r.provider.as_deref() == Some(&p.id));
        if !used {
            out.push(finding(
                "insecure-linked",
                Severity::Info,
                format!("provider {}", p.id),
                format!(
                    "the INSECURE provider {} is linked into this build; configurations refuse it unless allow_insecure = true (build without the `{}` feature to leave it out)",
                    p.id, p.id
                ),
            ));
        }
    }
    out
}
