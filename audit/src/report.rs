//! The report: every provider, the isolation check, the findings; as text
//! or as JSON with stable field names.

use std::collections::BTreeSet;
use std::path::Path;

use pqshift::config::ConfigFile;
use serde::Serialize;

use crate::isolation::{self, Violation};
use crate::metadata::{EdgeKind, Metadata, PackageRef};
use crate::unsafe_scan::{self, UnsafeReport};
use crate::{lint, AuditError, Finding, ProviderView, ServedAlgorithm, Severity};

/// Exit status: the audit ran and found nothing of high severity.
pub const EXIT_OK: u8 = 0;
/// Exit status: the audit could not run (no source tree, bad arguments, unreadable configuration).
pub const EXIT_ERROR: u8 = 2;
/// Exit status: the audit ran and found at least one high-severity finding.
pub const EXIT_HIGH_FINDINGS: u8 = 1;

/// Version of the JSON layout; bumped only when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

/// What the audit reads.
#[derive(Debug, Clone)]
pub struct AuditInput {
    /// The pqshift version of the running binary.
    pub pqshift_version: String,
    /// The linked providers (from the registry).
    pub providers: Vec<ProviderView>,
    /// The parsed configuration.
    pub config: ConfigFile,
    /// Where it came from (for the report).
    pub config_source: String,
    /// What pqshift said when it refused to load the configuration.
    pub config_load_error: Option<String>,
    /// The workspace's dependency graph.
    pub metadata: Metadata,
}

/// A vendored native library (liboqs inside oqs-sys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NativeLibrary {
    /// Library name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The crate that builds and links it.
    pub via: PackageRef,
}

/// One provider, audited.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderReport {
    /// Provider ID.
    pub id: String,
    /// Its crate.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The crate's version (None when its source is not in the workspace).
    pub crate_version: Option<String>,
    /// One line for humans.
    pub description: String,
    /// `insecure` (NO SECURITY), `self-tested` (every algorithm passed every
    /// known-answer and negative set listed in its `evidence`, on the listed
    /// variant) or `refused` (a self-test failed: pqshift will not use it).
    /// The label claims no more than that evidence.
    pub status: &'static str,
    /// True for a provider that offers no security.
    pub insecure: bool,
    /// The backend, as the provider names it.
    pub backend: String,
    /// The backend's version, as the provider reports it.
    pub backend_version: String,
    /// The backend crates among its direct dependencies, with resolved versions.
    pub backend_crates: Vec<PackageRef>,
    /// Native libraries built into it (from the crates' version metadata).
    pub native_libraries: Vec<NativeLibrary>,
    /// The algorithms it serves.
    pub algorithms: Vec<ServedAlgorithm>,
    /// Its direct normal dependencies.
    pub direct_dependencies: Vec<PackageRef>,
    /// Its runtime dependency tree: every normal dependency, transitively.
    pub dependencies: Vec<PackageRef>,
    /// True when it depends on another provider crate.
    pub depends_on_other_provider: bool,
    /// True when it depends on the facade `pqshift`.
    pub depends_on_facade: bool,
    /// Every isolation violation.
    pub isolation_violations: Vec<Violation>,
    /// Its unsafe code (None when its source was not found).
    pub unsafe_code: Option<UnsafeReport>,
    /// Its directory.
    pub source_dir: Option<String>,
}

/// Where the configuration came from and whether it loads.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigReport {
    /// `built-in default`, or the path and how it was given.
    pub source: String,
    /// True when pqshift loads it.
    pub loads: bool,
    /// pqshift's message when it does not.
    pub error: Option<String>,
}

/// Findings counted by severity.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// High.
    pub high: usize,
    /// Medium.
    pub medium: usize,
    /// Low.
    pub low: usize,
    /// Info.
    pub info: usize,
}

/// The whole audit.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The pqshift version audited.
    pub pqshift_version: String,
    /// The workspace root that `cargo metadata` described.
    pub workspace_root: String,
    /// The configuration.
    pub config: ConfigReport,
    /// Every linked provider.
    pub providers: Vec<ProviderReport>,
    /// Provider crates of the workspace that are not linked into this binary.
    pub unlinked_provider_crates: Vec<String>,
    /// True when no provider crate depends on another provider crate or on the facade.
    pub isolation_ok: bool,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
    /// The exit status `pqshift audit` ends with.
    pub exit_code: u8,
}

fn tokens(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn provider_report(p: &ProviderView, meta: &Metadata) -> Result<ProviderReport, AuditError> {
    let crate_name = isolation::provider_crate(&p.id);
    let pkg = meta.member(&crate_name);
    let named = tokens(&format!("{} {}", p.backend, p.backend_version));
    let (direct, deps, violations, unsafe_code, native, source_dir) = match pkg {
        Some(pkg) => {
            let direct: Vec<PackageRef> = meta
                .direct(&pkg.id, &[EdgeKind::Normal])
                .into_iter()
                .map(|d| d.to_ref())
                .collect();
            let deps = meta.runtime_closure(&pkg.id);
            let native: Vec<NativeLibrary> = meta
                .reachable(&pkg.id, &[EdgeKind::Normal], &[EdgeKind::Normal])
                .into_iter()
                .filter_map(|(d, _)| {
                    d.vendored_library().map(|(name, version)| NativeLibrary {
                        name,
                        version,
                        via: d.to_ref(),
                    })
                })
                .collect();
            let dir = pkg.dir().map(Path::to_path_buf);
            let unsafe_code = match &dir {
                Some(d) => Some(unsafe_scan::scan_crate(d)?),
                None => None,
            };
            (
                direct,
                deps,
                isolation::violations_of(meta, &crate_name),
                unsafe_code,
                native,
                dir.map(|d| d.display().to_string()),
            )
        }
        None => (Vec::new(), Vec::new(), Vec::new(), None, Vec::new(), None),
    };
    let backend_crates = direct
        .iter()
        .filter(|d| named.contains(&d.name))
        .cloned()
        .collect();
    Ok(ProviderReport {
        id: p.id.clone(),
        crate_version: pkg.map(|p| p.version.clone()),
        crate_name,
        description: p.description.clone(),
        status: if p.insecure {
            "insecure"
        } else if p.algorithms.iter().all(|a| a.self_test == "passed") {
            "self-tested"
        } else {
            "refused"
        },
        insecure: p.insecure,
        backend: p.backend.clone(),
        backend_version: p.backend_version.clone(),
        backend_crates,
        native_libraries: native,
        algorithms: p.algorithms.clone(),
        direct_dependencies: direct,
        dependencies: deps,
        depends_on_other_provider: violations.iter().any(|v| v.role == "provider crate"),
        depends_on_facade: violations.iter().any(|v| v.role == "the facade"),
        isolation_violations: violations,
        unsafe_code,
        source_dir,
    })
}

/// Makes the audit.
pub fn build(input: &AuditInput) -> Result<Report, AuditError> {
    let meta = &input.metadata;
    if meta.member(isolation::FACADE).is_none() {
        return Err(AuditError::new(format!(
            "the workspace at {} is not pqshift's (no `pqshift` package): run pqshift audit inside the pqshift checkout, or pass --manifest-path",
            meta.workspace_root
        )));
    }
    let mut providers = Vec::new();
    for p in &input.providers {
        providers.push(provider_report(p, meta)?);
    }
    let linked: BTreeSet<String> = providers.iter().map(|p| p.crate_name.clone()).collect();
    let unlinked: Vec<String> = isolation::provider_crates(meta)
        .into_iter()
        .filter(|c| !linked.contains(c))
        .collect();

    let mut findings = lint::lint(
        &input.config,
        input.config_load_error.as_deref(),
        &input.providers,
    );
    // Isolation is checked over every provider crate of the workspace, linked or not.
    let violations = isolation::check(meta);
    for v in &violations {
        findings.push(Finding {
            id: "provider-isolation".into(),
            severity: Severity::High,
            subject: v.provider_crate.clone(),
            message: v.to_string(),
        });
    }
    for p in &providers {
        match &p.unsafe_code {
            None => findings.push(Finding {
                id: "source-not-found".into(),
                severity: Severity::Medium,
                subject: format!("provider {}", p.id),
                message: format!(
                    "crate {} is not in the workspace at {}: its dependencies and unsafe code cannot be audited",
                    p.crate_name, meta.workspace_root
                ),
            }),
            Some(u) if u.count > 0 => {
                let files: BTreeSet<&str> = u.sites.iter().map(|s| s.file.as_str()).collect();
                findings.push(Finding {
                    id: "unsafe-code".into(),
                    severity: Severity::Info,
                    subject: format!("provider {}", p.id),
                    message: format!(
                        "{} unsafe site{} in {} (crate level: {}); review them with the FFI notes in SECURITY.md",
                        u.count,
                        if u.count == 1 { "" } else { "s" },
                        files.into_iter().collect::<Vec<_>>().join(", "),
                        u.crate_level
                    ),
                });
            }
            Some(_) => {}
        }
    }
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
    let mut summary = Summary::default();
    for f in &findings {
        match f.severity {
            Severity::High => summary.high += 1,
            Severity::Medium => summary.medium += 1,
            Severity::Low => summary.low += 1,
            Severity::Info => summary.info += 1,
        }
    }
    let exit_code = if summary.high > 0 {
        EXIT_HIGH_FINDINGS
    } else {
        EXIT_OK
    };
    Ok(Report {
        format_version: FORMAT_VERSION,
        pqshift_version: input.pqshift_version.clone(),
        workspace_root: meta.workspace_root.clone(),
        config: ConfigReport {
            source: input.config_source.clone(),
            loads: input.config_load_error.is_none(),
            error: input.config_load_error.clone(),
        },
        providers,
        unlinked_provider_crates: unlinked,
        isolation_ok: violations.is_empty(),
        findings,
        summary,
        exit_code,
    })
}

fn caps_words(c: &pqshift::Capabilities) -> String {
    let words: Vec<&str> = [
        (c.seeded_keygen, "seeded-keygen"),
        (c.deterministic_sign, "deterministic-sign"),
        (c.hedged_sign, "hedged-sign"),
        (c.context, "context"),
        (c.derandomized_encaps, "derandomized-encaps"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, w)| *w)
    .collect();
    if words.is_empty() {
        "-".into()
    } else {
        words.join(",")
    }
}

fn refs(list: &[PackageRef]) -> String {
    if list.is_empty() {
        return "(none)".into();
    }
    list.iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Wraps `items` (joined with ", ") at about 78 columns with `indent`.
fn wrap(items: &str, indent: usize) -> String {
    let mut out = String::new();
    let mut col = indent;
    for (i, word) in items.split(", ").enumerate() {
        let piece = if i == 0 {
            word.to_string()
        } else {
            format!(", {word}")
        };
        if col + piece.len() > 78 && i > 0 {
            out.push_str(",\n");
            out.push_str(&" ".repeat(indent));
            out.push_str(word);
            col = indent + word.len();
        } else {
            out.push_str(&piece);
            col += piece.len();
        }
    }
    out
}

impl Report {
    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        o.push_str(&format!(
            "pqshift audit (pqshift {})\n",
            self.pqshift_version
        ));
        o.push_str(&format!(
            "workspace:     {} (cargo metadata --locked)\n",
            self.workspace_root
        ));
        o.push_str(&format!(
            "configuration: {} ({})\n",
            self.config.source,
            if self.config.loads {
                "loads"
            } else {
                "REFUSED by pqshift"
            }
        ));
        o.push_str("\nproviders\n");
        for p in &self.providers {
            o.push_str(&format!(
                "\n  {} ({} {}): {}{}\n",
                p.id,
                p.crate_name,
                p.crate_version.as_deref().unwrap_or("?"),
                p.status.to_uppercase(),
                if p.insecure { ", NO SECURITY" } else { "" }
            ));
            o.push_str(&format!("    {}\n", p.description));
            o.push_str(&format!(
                "    backend:      {} {}\n",
                p.backend, p.backend_version
            ));
            if !p.backend_crates.is_empty() {
                o.push_str(&format!(
                    "    crates:       {}\n",
                    wrap(&refs(&p.backend_crates), 18)
                ));
            }
            for n in &p.native_libraries {
                o.push_str(&format!(
                    "    native:       {} {} (vendored, built by {} {})\n",
                    n.name, n.version, n.via.name, n.via.version
                ));
            }
            o.push_str("    algorithms:\n");
            for a in &p.algorithms {
                o.push_str(&format!(
                    "      {:<26} {:<10} self-test {:<7} {}{}\n",
                    a.algorithm.as_str(),
                    a.algorithm.kind().as_str(),
                    if a.self_test == "passed" {
                        "passed"
                    } else {
                        "FAILED"
                    },
                    caps_words(&a.capabilities),
                    if a.preferred { " (preferred)" } else { "" }
                ));
                o.push_str(&format!(
                    "        variant:  {} (compiled: {}): {}\n",
                    a.variant.active,
                    a.variant.compiled.join(", "),
                    a.variant.note
                ));
                if a.self_test != "passed" {
                    o.push_str(&format!("        self-test {}\n", a.self_test));
                }
                let what = if a.self_test == "passed" {
                    "passed"
                } else {
                    "checks"
                };
                for e in &a.evidence {
                    o.push_str(&format!("        {what}:   {e}\n"));
                }
            }
            o.push_str(&format!(
                "    depends on:   {}\n",
                wrap(&refs(&p.direct_dependencies), 18)
            ));
            o.push_str(&format!(
                "    runtime tree: {} crates (normal dependencies, transitive, every target):\n                  {}\n",
                p.dependencies.len(),
                wrap(&refs(&p.dependencies), 18)
            ));
            if p.isolation_violations.is_empty() {
                o.push_str("    isolation:    ok (no other provider crate, not the facade)\n");
            } else {
                for v in &p.isolation_violations {
                    o.push_str(&format!("    isolation:    VIOLATION: {v}\n"));
                }
            }
            match &p.unsafe_code {
                None => o.push_str("    unsafe:       source not found\n"),
                Some(u) => {
                    let level = if u.forbid_unsafe_code {
                        "#![forbid(unsafe_code)]".to_string()
                    } else {
                        format!("crate level `{}`", u.crate_level)
                    };
                    o.push_str(&format!(
                        "    unsafe:       {level}; {} site{} in {} file{} of src/\n",
                        u.count,
                        if u.count == 1 { "" } else { "s" },
                        u.files_scanned,
                        if u.files_scanned == 1 { "" } else { "s" }
                    ));
                    for a in &u.allowed_in {
                        o.push_str(&format!(
                            "                  allowed again at {}:{}\n",
                            a.file, a.line
                        ));
                    }
                    for s in &u.sites {
                        o.push_str(&format!(
                            "                  {}:{} {}\n",
                            s.file,
                            s.line,
                            s.kind.as_str()
                        ));
                    }
                }
            }
        }
        if !self.unlinked_provider_crates.is_empty() {
            o.push_str(&format!(
                "\n  not linked into this binary: {}\n",
                self.unlinked_provider_crates.join(", ")
            ));
        }
        o.push_str(&format!(
            "\nisolation: {}\n",
            if self.isolation_ok {
                "ok: no provider crate depends on another provider crate, the facade or another workspace crate"
            } else {
                "VIOLATED (see the findings)"
            }
        ));
        let s = &self.summary;
        o.push_str(&format!(
            "\nfindings: {} high, {} medium, {} low, {} info\n",
            s.high, s.medium, s.low, s.info
        ));
        for f in &self.findings {
            o.push_str(&format!(
                "  {:<6}  {}  {}: {}\n",
                f.severity.as_str().to_uppercase(),
                f.id,
                f.subject,
                f.message
            ));
        }
        o.push_str(&format!(
            "\nexit {}: {}\n",
            self.exit_code,
            if self.exit_code == EXIT_OK {
                "no high-severity findings"
            } else {
                "high-severity findings"
            }
        ));
        o
    }
}
