//! `pqshift migrate`: re-sign a signature corpus under a new algorithm
//! (engine: `pqshift_migration::engine`; formats: `migration/README.md`).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use pqshift::crosscheck::VerifierMode;
use pqshift::AlgorithmId;
use pqshift_migration::engine::{self, CrossVerify, MigrateError, Options};

use crate::commands::Outcome;
use crate::io::{note, CliError, CliResult};

const MIGRATE_HELP: &str = "\
OUTPUTS (in --out DIR, which must not already hold them):
  corpus.jsonl, corpus.manifest.json   the new corpus and its manifest (Merkle root)
  corpus.keystore.json                 the new keys (TEST KEYS: secrets in the clear)
  attestations.json                    per old key: the old key signs the new public key
  report.json                          counts per outcome, every record not migrated
  All are written to temporary files, fsynced and renamed into place at the end;
  the input files are only read. --dry-run writes report.json only. The
  temporary files are created exclusively (a link planted at their names is
  removed, never followed) and the keystore is mode 0600. DIR is locked
  (DIR/.pqshift.lock, flock) for the whole run: a second run on it, --resume
  included, fails at once naming the holder's pid, start time and command;
  the kernel releases the lock when the process ends, even on kill -9.

INPUT CHECKS:
  A keystore readable or writable by its group or others draws a warning on
  stderr. A master seed whose bytes are all equal, or whose first 32 bytes
  take fewer than 8 distinct values, is refused unless --allow-weak-seed.
  Seed files are read up to 1 MiB, manifests up to 16 MiB and keystores up to
  256 MiB, counted while reading.

OUTCOMES:
  migrated, would_migrate (--dry-run), malformed, unknown_key, key_mismatch,
  old_invalid (never re-signed), providers_disagree (never re-signed; the
  report lists each provider's verdict), context_unsupported, sign_failed,
  cross_verify_failed.

OLD SIGNATURES:
  Each old signature is verified by two independent providers of its
  algorithm (--old-verify dual, the default) wherever two serve it, and is
  re-signed only when both say valid. Default pair: the preferred provider
  and the next one by preference (skipping insecure providers and any that
  failed its self-test); --old-verifiers ALG=FIRST[,SECOND] picks them.
  Ed25519 has only dalek: single, and report.json says so per algorithm.
  --old-verify single uses the first provider alone (a finding says so).

CROSS-VERIFICATION:
  Each new signature is verified by a provider other than the signer
  (--cross-verify P, default: the next registered provider of the algorithm).
  When no other provider serves it (ed25519: only dalek) the run is refused
  unless --no-cross-verify is given; the report then carries a finding.

RESUME:
  A checkpoint (DIR/.migrate-checkpoint.json) is written every
  --checkpoint-every records. After a crash or kill, the same command with
  --resume continues and gives byte-identical outputs (report timing aside).
  Other arguments or changed input files are refused.

EXIT STATUS:
  0  every record of the shard migrated (or --allow-failures)
  1  some record was not migrated, or the input does not match its manifest
     (the outputs are still written, complete for the records that were)
  2  error: bad arguments, unreadable input or keystore, no independent
     cross-verifier, an --out DIR that already holds outputs, I/O failure";

/// `pqshift migrate`.
#[derive(Debug, Args)]
#[command(after_long_help = MIGRATE_HELP)]
pub struct MigrateArgs {
    /// The input corpus (NAME.jsonl, with NAME.manifest.json beside it), or its manifest.
    #[arg(long, value_name = "FILE")]
    pub corpus: PathBuf,

    /// The new algorithm (ID or alias): ml-dsa-44/65/87, ed25519, or the
    /// insecure MAC (then --allow-insecure).
    #[arg(long, value_name = "ALG")]
    pub to: String,

    /// Provider of the new keys and signatures (default: the preferred one;
    /// it must sign deterministically).
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,

    /// Provider that verifies every new signature; must differ from the signer.
    #[arg(long, value_name = "PROVIDER", conflicts_with = "no_cross_verify")]
    pub cross_verify: Option<String>,

    /// Go on without an independent cross-verifier (the signer re-verifies);
    /// recorded in the report as a finding.
    #[arg(long)]
    pub no_cross_verify: bool,

    /// How many providers verify each old signature: `dual` (two
    /// independent providers wherever the old algorithm has two) or
    /// `single` (recorded in the report as a finding).
    #[arg(long, value_name = "MODE", default_value = "dual", value_parser = ["dual", "single"])]
    pub old_verify: String,

    /// The providers that verify the old signatures of one algorithm,
    /// first then second (e.g. `ml-dsa-44=liboqs,pqclean`); repeat per
    /// algorithm. Default: the preferred provider, then the next one.
    #[arg(long, value_name = "ALG=FIRST[,SECOND]")]
    pub old_verifiers: Vec<String>,

    /// The old keystore: a file, or a directory holding the file the
    /// manifest names. Default: the one the manifest names.
    #[arg(long, value_name = "PATH")]
    pub keystore: Option<PathBuf>,

    /// Derive the new keys from this file's bytes (at least 32) with
    /// HKDF-SHA-256; default: fresh OS randomness. Required with --shard.
    #[arg(long, value_name = "FILE")]
    pub master_seed: Option<PathBuf>,

    /// Output directory (created when missing). Locked for the whole run
    /// (DIR/.pqshift.lock): a second run on it, --resume included, is
    /// refused while the first holds it.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Use a --master-seed that looks weak (all bytes equal, or fewer than 8
    /// distinct byte values in its first 32 bytes), e.g. a fixed test pattern.
    #[arg(long, requires = "master_seed")]
    pub allow_weak_seed: bool,

    /// Continue an interrupted run in --out (same arguments).
    #[arg(long)]
    pub resume: bool,

    /// Verify the old signatures only; write nothing but report.json.
    #[arg(long)]
    pub dry_run: bool,

    /// Handle only the input lines whose 0-based index mod N is I.
    #[arg(long, value_name = "I/N", default_value = "0/1")]
    pub shard: String,

    /// Worker threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Exit 0 even when some records were not migrated.
    #[arg(long)]
    pub allow_failures: bool,

    /// Do not keep the old signature (`previous`) in the output records.
    #[arg(long)]
    pub drop_old: bool,

    /// Allow an insecure target algorithm (the placeholder MAC).
    #[arg(long)]
    pub allow_insecure: bool,

    /// Records between checkpoints.
    #[arg(long, value_name = "N", default_value_t = engine::DEFAULT_CHECKPOINT_EVERY)]
    pub checkpoint_every: u64,

    /// Records per parallel chunk.
    #[arg(long, value_name = "N", default_value_t = engine::DEFAULT_CHUNK, hide = true)]
    pub chunk: usize,
}

fn parse_old_verifiers(items: &[String]) -> CliResult<BTreeMap<AlgorithmId, Vec<String>>> {
    let mut map = BTreeMap::new();
    for item in items {
        let bad = |why: String| CliError::new(format!("--old-verifiers {item:?}: {why}"));
        let (alg, list) = item.split_once('=').ok_or_else(|| {
            bad("expected ALG=FIRST[,SECOND], e.g. ml-dsa-44=liboqs,pqclean".into())
        })?;
        let alg = AlgorithmId::parse(alg.trim()).map_err(|e| bad(e.to_string()))?;
        let providers: Vec<String> = list.split(',').map(|p| p.trim().to_string()).collect();
        if providers.iter().any(String::is_empty) || providers.len() > 2 {
            return Err(bad("name one or two providers, separated by a comma".into()));
        }
        if map.insert(alg, providers).is_some() {
            return Err(bad(format!("{alg} is named twice")));
        }
    }
    Ok(map)
}

fn parse_shard(text: &str) -> CliResult<(u64, u64)> {
    let bad = || {
        CliError::new(format!(
            "--shard {text:?}: expected I/N with 0 <= I < N, e.g. 0/4"
        ))
    };
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let i: u64 = i.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// `pqshift migrate`.
pub fn run(args: &MigrateArgs) -> CliResult<Outcome> {
    let to = AlgorithmId::parse(&args.to).map_err(|e| CliError::new(format!("--to: {e}")))?;
    let mut opts = Options::new(&args.corpus, to, &args.out);
    opts.provider = args.provider.clone();
    opts.cross_verify = match (&args.cross_verify, args.no_cross_verify) {
        (_, true) => CrossVerify::Disabled,
        (Some(p), false) => CrossVerify::Provider(p.clone()),
        (None, false) => CrossVerify::Auto,
    };
    opts.old_verify = VerifierMode::parse(&args.old_verify)
        .map_err(|e| CliError::new(format!("--old-verify: {e}")))?;
    opts.old_verifiers = parse_old_verifiers(&args.old_verifiers)?;
    opts.keystore = args.keystore.clone();
    opts.master_seed = args.master_seed.clone();
    opts.resume = args.resume;
    opts.dry_run = args.dry_run;
    opts.shard = parse_shard(&args.shard)?;
    opts.jobs = args.jobs;
    opts.drop_old = args.drop_old;
    opts.allow_insecure = args.allow_insecure;
    opts.checkpoint_every = args.checkpoint_every;
    opts.chunk = args.chunk;
    opts.allow_weak_seed = args.allow_weak_seed;
    opts.on_warning = Some(note);

    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let tick = |done: u64, total: u64| {
        if let Some(b) = &bar {
            b.set_length(total);
            b.set_position(done);
        }
    };
    let result = engine::run(&opts, Some(&tick));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let finished = result.map_err(|e| match e {
        MigrateError::Refused(m) => CliError::new(format!("migrate: {m}")),
        other => CliError::new(format!("migrate: {other}")),
    })?;
    let h = &finished.head;
    let c = &h.counts;
    let from: Vec<&str> = h.input.algorithms.iter().map(String::as_str).collect();
    let cross = h
        .migration
        .cross_verify
        .as_deref()
        .map_or("NOT cross-verified".to_string(), |p| {
            format!("cross-verified by {p}")
        });
    note(&format!(
        "migrate{}: {} -> {} (signed by {}, {cross}), shard {}",
        if h.migration.dry_run {
            " (dry run)"
        } else {
            ""
        },
        if from.is_empty() {
            "-".into()
        } else {
            from.join(",")
        },
        h.migration.to,
        h.migration.provider,
        h.migration.shard
    ));
    let old: Vec<String> = h
        .migration
        .old_verifiers
        .iter()
        .map(|(alg, v)| {
            format!(
                "{alg} {} by {}{}",
                v.mode,
                v.providers.join(" + "),
                v.note
                    .as_deref()
                    .map_or(String::new(), |n| format!(" ({n})"))
            )
        })
        .collect();
    if !old.is_empty() {
        note(&format!("  old signatures verified: {}", old.join("; ")));
    }
    let pairs = [
        ("migrated", c.migrated),
        ("would_migrate", c.would_migrate),
        ("malformed", c.malformed),
        ("unknown_key", c.unknown_key),
        ("key_mismatch", c.key_mismatch),
        ("old_invalid", c.old_invalid),
        ("providers_disagree", c.providers_disagree),
        ("context_unsupported", c.context_unsupported),
        ("sign_failed", c.sign_failed),
        ("cross_verify_failed", c.cross_verify_failed),
        ("other_shards", c.other_shards),
    ];
    let counts: Vec<String> = pairs
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if counts.is_empty() {
        note("  records 0");
    } else {
        note(&format!("  records {}: {}", c.records, counts.join(", ")));
    }
    if let Some(o) = &h.output {
        note(&format!(
            "  wrote {} records to {} (Merkle root {}), {}, {}",
            o.records,
            args.out.join(&o.corpus).display(),
            o.merkle_root,
            o.keystore,
            o.attestations
        ));
    }
    note(&format!(
        "  {:.0} records/s, {:.2} s, {} jobs; report: {}",
        h.timing.records_per_second,
        h.timing.elapsed_seconds,
        h.timing.jobs,
        finished.report_path.display()
    ));
    for f in &h.findings {
        note(&format!("  FINDING: {f}"));
    }
    let incomplete = h.not_migrated > 0 || h.input.manifest_matches == Some(false);
    if incomplete && !args.allow_failures {
        note(&format!(
            "  {} record(s) not migrated: see {} (exit 1; --allow-failures to accept)",
            h.not_migrated,
            finished.report_path.display()
        ));
        return Ok(Outcome::Incomplete);
    }
    Ok(Outcome::Ok)
}
