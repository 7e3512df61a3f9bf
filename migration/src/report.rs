//! Outcomes and the migration report (`report.json`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// `format` of `report.json`.
pub const REPORT_FORMAT: &str = "pqshift-migration-report";

/// What happened to one input line. The names (snake case) are stable:
/// they appear in `report.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Old signature verified, re-signed, new signature cross-verified, written.
    Migrated,
    /// `--dry-run`: the old signature verified and the record can be re-signed.
    WouldMigrate,
    /// The line is not a valid record: bad JSON, bad hex or tagged text, an
    /// unknown algorithm, a truncated or over-long line, a blank line.
    Malformed,
    /// The record's key ID is not in the old keystore.
    UnknownKey,
    /// The record's public key or algorithm differs from its keystore entry.
    KeyMismatch,
    /// The old signature does not verify: the record is NOT re-signed.
    OldInvalid,
    /// The providers verifying the old signature disagree (one says valid,
    /// another does not): the record is NOT re-signed, and its failure
    /// lists each provider's verdict.
    ProvidersDisagree,
    /// The record has a non-empty context and the new algorithm takes none (Ed25519).
    ContextUnsupported,
    /// The new key could not sign the message.
    SignFailed,
    /// The new signature did not verify with the cross-verifying provider.
    CrossVerifyFailed,
}

impl Outcome {
    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Migrated => "migrated",
            Outcome::WouldMigrate => "would_migrate",
            Outcome::Malformed => "malformed",
            Outcome::UnknownKey => "unknown_key",
            Outcome::KeyMismatch => "key_mismatch",
            Outcome::OldInvalid => "old_invalid",
            Outcome::ProvidersDisagree => "providers_disagree",
            Outcome::ContextUnsupported => "context_unsupported",
            Outcome::SignFailed => "sign_failed",
            Outcome::CrossVerifyFailed => "cross_verify_failed",
        }
    }

    /// True for the outcomes of a record that was (or would be) migrated.
    pub const fn is_success(self) -> bool {
        matches!(self, Outcome::Migrated | Outcome::WouldMigrate)
    }
}

/// Counts per outcome (plus what the shard skipped).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Input lines this run was responsible for (its shard).
    pub records: u64,
    /// See [`Outcome::Migrated`].
    pub migrated: u64,
    /// See [`Outcome::WouldMigrate`].
    pub would_migrate: u64,
    /// See [`Outcome::Malformed`].
    pub malformed: u64,
    /// See [`Outcome::UnknownKey`].
    pub unknown_key: u64,
    /// See [`Outcome::KeyMismatch`].
    pub key_mismatch: u64,
    /// See [`Outcome::OldInvalid`].
    pub old_invalid: u64,
    /// See [`Outcome::ProvidersDisagree`].
    #[serde(default)]
    pub providers_disagree: u64,
    /// See [`Outcome::ContextUnsupported`].
    pub context_unsupported: u64,
    /// See [`Outcome::SignFailed`].
    pub sign_failed: u64,
    /// See [`Outcome::CrossVerifyFailed`].
    pub cross_verify_failed: u64,
    /// Input lines left to the other shards (`--shard`).
    pub other_shards: u64,
}

impl Counts {
    /// Counts one outcome.
    pub fn add(&mut self, o: Outcome) {
        self.records += 1;
        let c = match o {
            Outcome::Migrated => &mut self.migrated,
            Outcome::WouldMigrate => &mut self.would_migrate,
            Outcome::Malformed => &mut self.malformed,
            Outcome::UnknownKey => &mut self.unknown_key,
            Outcome::KeyMismatch => &mut self.key_mismatch,
            Outcome::OldInvalid => &mut self.old_invalid,
            Outcome::ProvidersDisagree => &mut self.providers_disagree,
            Outcome::ContextUnsupported => &mut self.context_unsupported,
            Outcome::SignFailed => &mut self.sign_failed,
            Outcome::CrossVerifyFailed => &mut self.cross_verify_failed,
        };
        *c += 1;
    }

    /// Records of this shard that were not (or would not be) migrated.
    pub fn not_migrated(&self) -> u64 {
        self.records
            .saturating_sub(self.migrated)
            .saturating_sub(self.would_migrate)
    }
}

/// One record that was not migrated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// 1-based line number in the input corpus.
    pub line: u64,
    /// The record ID, when the line could be read that far.
    pub id: Option<String>,
    /// The outcome.
    pub outcome: Outcome,
    /// Why, for humans.
    pub reason: String,
    /// [`Outcome::ProvidersDisagree`]: each provider's verdict on the old
    /// signature, provider ID -> `valid` or the error it gave. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdicts: Option<BTreeMap<String, String>>,
}

/// How the old signatures of one algorithm were verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OldVerifierInfo {
    /// `dual` (two independent providers) or `single`.
    pub mode: String,
    /// The providers, the first one first.
    pub providers: Vec<String>,
    /// Why the verification is single, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputInfo {
    /// The corpus file, as given.
    pub corpus: String,
    /// Its manifest, when there is one.
    pub manifest: Option<String>,
    /// The old keystore.
    pub keystore: String,
    /// Lines read (all shards).
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// RFC 6962 root over the complete lines read (as a manifest computes it), hex.
    pub merkle_root: String,
    /// True when the manifest's count and root equal the ones recomputed.
    pub manifest_matches: Option<bool>,
    /// Algorithms of the records, canonical IDs.
    pub algorithms: BTreeSet<String>,
}

/// How the migration was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationInfo {
    /// The new algorithm.
    pub to: String,
    /// Provider that made the new keys and signatures.
    pub provider: String,
    /// Provider that verified each new signature, independently; `None`
    /// when cross-verification was disabled (`--no-cross-verify`).
    pub cross_verify: Option<String>,
    /// `--old-verify`: `dual` (the default) or `single`.
    #[serde(default)]
    pub old_verify: String,
    /// Per algorithm of the old keystore: the mode used and the providers
    /// that verified its old signatures.
    #[serde(default)]
    pub old_verifiers: BTreeMap<String, OldVerifierInfo>,
    /// `hkdf-sha256` (from `--master-seed`) or `os-random`.
    pub key_source: String,
    /// Always `deterministic`.
    pub sign_mode: String,
    /// `--drop-old`.
    pub drop_old: bool,
    /// `I/N`.
    pub shard: String,
    /// `--dry-run`.
    pub dry_run: bool,
}

/// What was written (absent for a dry run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputInfo {
    /// The new corpus file name.
    pub corpus: String,
    /// Its manifest.
    pub manifest: String,
    /// The new keystore.
    pub keystore: String,
    /// The key-rotation attestations.
    pub attestations: String,
    /// Records written.
    pub records: u64,
    /// Their RFC 6962 Merkle root, hex.
    pub merkle_root: String,
}

/// Timing: the only fields that differ between two runs of the same migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Wall-clock seconds of this process (a resumed run: since it resumed).
    pub elapsed_seconds: f64,
    /// Records handled by this process per second.
    pub records_per_second: f64,
    /// The line this process resumed after, when it resumed.
    pub resumed_after_line: Option<u64>,
    /// Worker threads.
    pub jobs: usize,
}

/// `report.json` without the failures (which are streamed after it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportHead {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// What was read.
    pub input: InputInfo,
    /// How.
    pub migration: MigrationInfo,
    /// Counts per outcome.
    pub counts: Counts,
    /// Records of the shard not migrated (the sum of every failure outcome).
    pub not_migrated: u64,
    /// What was written, unless a dry run.
    pub output: Option<OutputInfo>,
    /// Things a reviewer must know (disabled cross-verification, a manifest
    /// that does not match the corpus, an insecure algorithm, ...).
    pub findings: Vec<String>,
    /// Timing.
    pub timing: Timing,
}

/// A whole `report.json`, as read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The head fields.
    #[serde(flatten)]
    pub head: ReportHead,
    /// Every record not migrated, in input order.
    pub failures: Vec<Failure>,
}
