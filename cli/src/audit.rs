//! `pqshift audit`: the reviewer's report (pqshift-audit does the work).
//!
//! Reads the registry of this binary (what is linked, self-tested now), the
//! configuration (`--config`, then `PQSHIFT_CONFIG`, then the built-in
//! default; linted even when pqshift refuses to load it), and the source
//! tree's dependency graph (`cargo metadata --locked`, from the current
//! directory or `--manifest-path`).

use std::path::{Path, PathBuf};

use clap::Args;
use pqshift::config::ConfigFile;
use pqshift::{ConfigSource, Policy, DEFAULT_CONFIG};
use pqshift_audit::metadata::Metadata;
use pqshift_audit::{AuditInput, ProviderView, ServedAlgorithm, EXIT_HIGH_FINDINGS};

use crate::commands::Outcome;
use crate::io::{note, println, stdout, write_file, CliError, CliResult, Overwrite};

/// The help text after `pqshift audit --help`.
pub const AUDIT_HELP: &str = "\
WHAT IT REPORTS:
  Per linked provider: the algorithms it serves with their self-test results
  and capabilities; its backend and version (the C library's for liboqs);
  its backend crates, direct dependencies and runtime dependency tree (from
  cargo metadata); whether it depends on another provider crate or on the
  facade (it must not); every `unsafe` in its src/ with file and line, and
  its crate-level unsafe_code lint. Then a lint of the configuration, each
  finding with a severity (high, medium, low, info) and a stable rule ID.

SOURCE TREE:
  The audit reads the sources and Cargo.lock: run it inside the pqshift
  checkout (cargo must be on PATH) or pass --manifest-path. Without them it
  fails with exit 2.

CBOM:
  --cbom FILE writes a CycloneDX 1.6 cryptographic bill of materials: a
  cryptographic-asset component per algorithm (primitive, parameter set,
  NIST quantum security level, OID), a library component per provider crate,
  backend crate and vendored C library, and dependencies that link each
  provider to its backends (dependsOn) and its algorithms (provides).

EXIT STATUS:
  0  the audit ran and found nothing of high severity
  1  the audit ran and found at least one high-severity finding
  2  error: no source tree, cargo metadata failed, an unreadable or
     malformed configuration file, bad arguments, an unwritable --cbom FILE

JSON:
  --json prints one object: format_version, pqshift_version, workspace_root,
  config {source, loads, error}, providers [{id, crate, crate_version,
  description, status, insecure, backend, backend_version, backend_crates,
  native_libraries, algorithms, direct_dependencies, dependencies,
  depends_on_other_provider, depends_on_facade, isolation_violations,
  unsafe_code {crate_level, forbid_unsafe_code, allowed_in, count, sites,
  files_scanned}, source_dir}], unlinked_provider_crates, isolation_ok,
  findings [{id, severity, subject, message}], summary {high, medium, low,
  info}, exit_code.";

/// `audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Print one JSON object (stable field names) instead of text.
    #[arg(long)]
    pub json: bool,

    /// Also write a CycloneDX 1.6 cryptographic bill of materials (JSON) to FILE.
    #[arg(long, value_name = "FILE")]
    pub cbom: Option<PathBuf>,

    /// Overwrite the --cbom FILE when it exists.
    #[arg(long, requires = "cbom")]
    pub force: bool,

    /// Cargo.toml of the pqshift workspace to audit. Default: the workspace
    /// around the current directory.
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
}

fn registry_view() -> Vec<ProviderView> {
    let statuses = pqshift::providers();
    let mut views: Vec<ProviderView> = pqshift::linked_providers()
        .into_iter()
        .map(|info| ProviderView {
            id: info.id.to_string(),
            description: info.description.to_string(),
            insecure: info.insecure,
            backend: info.backend.to_string(),
            backend_version: info.backend_version.to_string(),
            algorithms: Vec::new(),
        })
        .collect();
    for s in statuses {
        let served = ServedAlgorithm {
            algorithm: s.algorithm,
            preferred: s.preferred,
            self_test: s.self_test.clone(),
            evidence: s.evidence.clone(),
            variant: s.variant.clone(),
            capabilities: s.capabilities,
        };
        match views.iter_mut().find(|v| v.id == s.provider) {
            Some(v) => v.algorithms.push(served),
            // Registered but not named by linked_providers(): still audited.
            None => views.push(ProviderView {
                id: s.provider.to_string(),
                description: String::new(),
                insecure: s.status == "insecure",
                backend: s.backend.to_string(),
                backend_version: s.backend_version.to_string(),
                algorithms: vec![served],
            }),
        }
    }
    views
}

fn read_config(config: Option<&Path>) -> CliResult<(ConfigFile, ConfigSource)> {
    let source = ConfigSource::locate(config);
    let text = match source.path() {
        Some(p) => {
            let bytes = pqshift::input::read_regular_capped(
                p,
                pqshift::input::MAX_CONFIG_FILE,
                "configuration file",
            )?;
            String::from_utf8(bytes).map_err(|_| {
                CliError::new(format!(
                    "cannot read configuration file {}: not UTF-8 text",
                    p.display()
                ))
            })?
        }
        None => DEFAULT_CONFIG.to_string(),
    };
    let file = ConfigFile::parse(&text, &source)?;
    Ok((file, source))
}

/// `pqshift audit`.
pub fn run(config: Option<&Path>, args: &AuditArgs) -> CliResult<Outcome> {
    let (file, source) = read_config(config)?;
    // Lint what pqshift would refuse, too: the refusal is itself a finding.
    let load_error = Policy::load(config).err().map(|e| e.to_string());
    let metadata =
        Metadata::load(args.manifest_path.as_deref()).map_err(|e| CliError::new(e.to_string()))?;
    let input = AuditInput {
        pqshift_version: pqshift::VERSION.to_string(),
        providers: registry_view(),
        config: file,
        config_source: source.to_string(),
        config_load_error: load_error,
        metadata,
    };
    let report = pqshift_audit::build(&input).map_err(|e| CliError::new(e.to_string()))?;

    if let Some(path) = &args.cbom {
        let bom = pqshift_audit::cbom::cbom(&report, std::env::consts::ARCH);
        let mut text = serde_json::to_string_pretty(&bom).map_err(|e| {
            CliError::new(format!("internal error: cannot serialize the CBOM: {e}"))
        })?;
        text.push('\n');
        let overwrite = if args.force {
            Overwrite::Force
        } else {
            Overwrite::Refuse
        };
        write_file(path, text.as_bytes(), overwrite, false)?;
        note(&format!("CycloneDX 1.6 CBOM written to {}", path.display()));
    }

    if args.json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| CliError::new(format!("internal error: cannot serialize JSON: {e}")))?;
        println(&text)?;
    } else {
        stdout(report.to_text().as_bytes())?;
    }
    if report.exit_code == EXIT_HIGH_FINDINGS {
        Ok(Outcome::HighFindings)
    } else {
        Ok(Outcome::Ok)
    }
}
