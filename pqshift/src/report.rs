//! What is linked and whether it passed its self-test.

use pqshift_provider_api::{registry, AlgorithmId, AlgorithmKind, Capabilities, Variant};
use serde::Serialize;

/// One (algorithm, provider) pair as `pqshift providers` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderStatus {
    /// Algorithm ID.
    pub algorithm: AlgorithmId,
    /// Provider ID.
    pub provider: &'static str,
    /// `signature`, `kem` or `mac`.
    pub kind: AlgorithmKind,
    /// `insecure` (the placeholder), `self-tested` (every known-answer and
    /// negative set in `evidence` passed, on `variant`), or `refused` (the
    /// self-test failed). No label claims more than its evidence.
    pub status: &'static str,
    /// `passed`, or `failed: <reason>`.
    pub self_test: String,
    /// What the self-test checked, one line per known-answer or negative set.
    pub evidence: Vec<String>,
    /// The backend's implementation variants: compiled in, and used on this CPU.
    pub variant: Variant,
    /// True when this provider is the one chosen when none is named.
    pub preferred: bool,
    /// The backend library.
    pub backend: &'static str,
    /// Its version.
    pub backend_version: &'static str,
    /// Optional operations offered.
    pub capabilities: Capabilities,
}

/// Every linked provider, self-tested now (results are kept).
pub fn providers() -> Vec<ProviderStatus> {
    let mut last: Option<AlgorithmId> = None;
    registry::registrations()
        .into_iter()
        .map(|r| {
            let preferred = last != Some(r.algorithm());
            last = Some(r.algorithm());
            let info = r.provider();
            let admitted = r.admit();
            ProviderStatus {
                algorithm: r.algorithm(),
                provider: info.id,
                kind: r.algorithm().kind(),
                status: if info.insecure || r.algorithm().is_insecure() {
                    "insecure"
                } else if admitted.is_ok() {
                    "self-tested"
                } else {
                    "refused"
                },
                self_test: match admitted {
                    Ok(()) => "passed".into(),
                    Err(e) => format!("failed: {e}"),
                },
                evidence: r.evidence(),
                variant: r.variant(),
                preferred,
                backend: info.backend,
                backend_version: info.backend_version,
                capabilities: r.capabilities(),
            }
        })
        .collect()
}
