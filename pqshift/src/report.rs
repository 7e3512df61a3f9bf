//! What is linked and whether it passed its self-test.

use pqshift_provider_api::{registry, AlgorithmId, AlgorithmKind, Capabilities};
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
    /// `conformant` or `insecure`.
    pub status: &'static str,
    /// `passed`, or `failed: <reason>`.
    pub self_test: String,
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
            ProviderStatus {
                algorithm: r.algorithm(),
                provider: info.id,
                kind: r.algorithm().kind(),
                status: if info.insecure || r.algorithm().is_insecure() {
                    "insecure"
                } else {
                    "conformant"
                },
                self_test: match r.admit() {
                    Ok(()) => "passed".into(),
                    Err(e) => format!("failed: {e}"),
                },
                preferred,
                backend: info.backend,
                backend_version: info.backend_version,
                capabilities: r.capabilities(),
            }
        })
        .collect()
}
