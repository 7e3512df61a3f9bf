//! # pqshift-audit
//!
//! The reviewer's report behind `pqshift audit`: for every linked provider,
//! the algorithms it serves, its backend and version, its dependency tree
//! (from `cargo metadata`), whether it depends on another provider crate or
//! on the facade (it must not), its `unsafe` code with file and line, and
//! its self-test results; plus a lint of the configuration, and a CycloneDX
//! 1.6 cryptographic bill of materials (CBOM).
//!
//! The crate holds the logic and takes its inputs as data, so that every
//! part is testable without a build of the providers: the CLI hands it the
//! registry's view ([`ProviderView`]), the parsed configuration and the
//! `cargo metadata` graph ([`metadata::Metadata`]).
//!
//! ```
//! use pqshift_audit::unsafe_scan::{scan_source, UnsafeKind};
//!
//! let (sites, _) = scan_source("src/lib.rs", r#"
//!     // unsafe { in a comment }
//!     let s = "unsafe { in a string }";
//!     let v = unsafe { *ptr };
//! "#);
//! assert_eq!(sites.len(), 1);
//! assert_eq!((sites[0].line, sites[0].kind), (4, UnsafeKind::Block));
//! ```
#![forbid(unsafe_code)]

pub mod cbom;
pub mod isolation;
pub mod lint;
pub mod metadata;
pub mod report;
pub mod unsafe_scan;

use pqshift::{AlgorithmId, Capabilities, Variant};
use serde::Serialize;

pub use report::{build, AuditInput, Report, EXIT_ERROR, EXIT_HIGH_FINDINGS, EXIT_OK};

/// An audit that could not be made (no source tree, unreadable file, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditError(String);

impl AuditError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        AuditError(message.into())
    }
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AuditError {}

/// How much a finding matters. Ordered: `Info < Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For the record.
    Info,
    /// Worth a look.
    Low,
    /// Should be fixed before production.
    Medium,
    /// Must be fixed: `pqshift audit` exits with [`EXIT_HIGH_FINDINGS`].
    High,
}

impl Severity {
    /// `info`, `low`, `medium` or `high`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// One finding of the lint or of the isolation check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule ID (`allow-insecure`, `provider-isolation`, ...).
    pub id: String,
    /// Its severity.
    pub severity: Severity,
    /// What it is about (`[sign] ed25519 via dalek`, a crate name, ...).
    pub subject: String,
    /// One sentence for humans.
    pub message: String,
}

/// One algorithm a linked provider serves, as the registry reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServedAlgorithm {
    /// The algorithm.
    #[serde(serialize_with = "ser_alg")]
    pub algorithm: AlgorithmId,
    /// True when this provider is chosen for it when a configuration names none.
    pub preferred: bool,
    /// `passed`, or `failed: <reason>`.
    pub self_test: String,
    /// What the self-test checked: one line per known-answer or negative set.
    pub evidence: Vec<String>,
    /// The backend's implementation variants: compiled in, and used on this CPU.
    pub variant: Variant,
    /// Optional operations offered.
    pub capabilities: Capabilities,
}

fn ser_alg<S: serde::Serializer>(a: &AlgorithmId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(a.as_str())
}

/// One linked provider, as the registry reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderView {
    /// Provider ID (`liboqs`).
    pub id: String,
    /// One line for humans.
    pub description: String,
    /// True for a provider that offers NO SECURITY (the placeholder).
    pub insecure: bool,
    /// Its backend library.
    pub backend: String,
    /// The backend's version (for liboqs, the C library's).
    pub backend_version: String,
    /// The algorithms it serves.
    pub algorithms: Vec<ServedAlgorithm>,
}
