//! `pqshift corpus generate|verify`: deterministic signature corpora for the
//! migration tool (format: `golden/README.md`, crate `pqshift-migration`).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use pqshift::AlgorithmId;
use pqshift_migration::generate::{self, Params};

use crate::commands::Outcome;
use crate::io::{check_writable, note, parse_hex, println, CliError, CliResult, Overwrite};

/// `pqshift corpus`.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    #[command(subcommand)]
    pub command: CorpusCommand,
}

/// `pqshift corpus generate|verify`.
#[derive(Debug, Subcommand)]
pub enum CorpusCommand {
    /// Write a deterministic corpus FILE (NAME.jsonl) with NAME.manifest.json
    /// and NAME.keystore.json beside it. The same arguments give
    /// byte-identical files.
    Generate(GenerateArgs),
    /// Verify every record of a corpus with its keystore and recompute the
    /// manifest's count and Merkle root. Exit 1 when a signature does not verify.
    Verify(VerifyArgs),
}

/// `pqshift corpus generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Algorithm (ID or alias): ed25519, ml-dsa-44/65/87, or the insecure MAC
    /// (then --allow-insecure is required).
    #[arg(long, value_name = "ALG")]
    pub alg: String,

    /// Number of records.
    #[arg(long, value_name = "N")]
    pub records: u64,

    /// Number of signing keys (record i is signed by key i mod K).
    #[arg(long, value_name = "K")]
    pub keys: u32,

    /// Seed, hex (at least one byte): every key, message and context derives from it.
    #[arg(long, value_name = "HEX")]
    pub seed: String,

    /// The corpus file to write; its name must end with `.jsonl`. Its
    /// directory is created when missing; the keystore beside it (secret
    /// seeds) is mode 0600.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Prefix of record IDs (PREFIX-000000) and key IDs (PREFIX-key-00).
    /// Default: the file name without `.jsonl`.
    #[arg(long, value_name = "PREFIX")]
    pub id_prefix: Option<String>,

    /// Provider that signs (it must derive keys from seeds and sign
    /// deterministically). Default: the algorithm's preferred provider.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,

    /// Allow the INSECURE test placeholder (insecure-test-hmac-sha256).
    #[arg(long)]
    pub allow_insecure: bool,

    /// Overwrite existing files (regular files only).
    #[arg(long)]
    pub force: bool,
}

/// `pqshift corpus verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The manifest (NAME.manifest.json).
    #[arg(long, value_name = "FILE")]
    pub manifest: PathBuf,
}

fn generate_cmd(a: &GenerateArgs) -> CliResult<Outcome> {
    let alg = AlgorithmId::parse(&a.alg)?;
    if alg.is_insecure() && !a.allow_insecure {
        return Err(CliError::new(format!(
            "{alg} is INSECURE, for tests only: pass --allow-insecure to generate a corpus with it"
        )));
    }
    let seed = parse_hex("--seed", &a.seed)?;
    let (manifest, keystore) =
        generate::companion_paths(&a.out).map_err(|e| CliError::new(e.to_string()))?;
    let overwrite = if a.force {
        Overwrite::Force
    } else {
        Overwrite::Refuse
    };
    for p in [&a.out, &manifest, &keystore] {
        check_writable(p, overwrite)?;
    }
    let prefix = match &a.id_prefix {
        Some(p) => p.clone(),
        None => a
            .out
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".jsonl"))
            .unwrap_or("record")
            .to_string(),
    };
    let mut params = Params::new(alg, a.records, a.keys, seed, prefix);
    params.provider = a.provider.clone();
    let summary = generate::generate_files_with(&params, &a.out, overwrite)
        .map_err(|e| CliError::new(e.to_string()))?;
    if alg.is_insecure() {
        note(&format!(
            "warning: {alg} is INSECURE: this corpus is for tests only"
        ));
    }
    println(&format!(
        "wrote {} ({} records), {}, {} (merkle root {})",
        a.out.display(),
        summary.records,
        manifest.display(),
        keystore.display(),
        summary.merkle_root
    ))?;
    Ok(Outcome::Ok)
}

fn verify_cmd(a: &VerifyArgs) -> CliResult<Outcome> {
    let report = pqshift_migration::corpus::verify_corpus(&a.manifest)
        .map_err(|e| CliError::new(e.to_string()))?;
    for id in &report.invalid {
        note(&format!("invalid signature: record {id}"));
    }
    println(&format!(
        "{} records, {} valid, {} invalid, merkle root {} matches the manifest",
        report.records,
        report.valid,
        report.invalid.len(),
        report.merkle_root
    ))?;
    Ok(if report.invalid.is_empty() {
        Outcome::Ok
    } else {
        Outcome::InvalidSignature
    })
}

/// `pqshift corpus ...`.
pub fn run(args: &CorpusArgs) -> CliResult<Outcome> {
    match &args.command {
        CorpusCommand::Generate(a) => generate_cmd(a),
        CorpusCommand::Verify(a) => verify_cmd(a),
    }
}
