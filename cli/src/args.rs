//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

const EXIT_STATUS: &str = "\
EXIT STATUS:
  0  success (for `verify`: the signature is valid)
  1  `verify` only: the signature is invalid
  2  error: bad arguments, unreadable or malformed input, a configuration that
     fails to load, or an operation the configuration forbids

CONFIGURATION:
  Taken from --config FILE, else the file named by PQSHIFT_CONFIG, else the
  built-in default (Ed25519). It fails closed: an unknown key, an algorithm no
  linked provider serves, a provider that failed its self-test, or the insecure
  placeholder without `[policy] allow_insecure = true` is an error, never a
  fallback. `keygen`, `sign` and `verify` go through the loaded configuration.";

/// pqshift: sign and verify through one stable interface; the configuration
/// decides which algorithm and which provider do the work.
#[derive(Debug, Parser)]
#[command(name = "pqshift", version, after_long_help = EXIT_STATUS)]
pub struct Cli {
    /// Configuration file (TOML). Else PQSHIFT_CONFIG, else the built-in default.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every linked (algorithm, provider) pair with its status and self-test result.
    #[command(after_long_help = EXIT_STATUS)]
    Providers(ProvidersArgs),
    /// Show the active configuration, where it came from, and who serves each algorithm.
    #[command(after_long_help = EXIT_STATUS)]
    Doctor(DoctorArgs),
    /// Generate a key: FILE gets the secret key (mode 0600), FILE.pub the public key.
    #[command(after_long_help = EXIT_STATUS)]
    Keygen(KeygenArgs),
    /// Sign a message (INPUT, or stdin) with the configured signing algorithm.
    #[command(after_long_help = EXIT_STATUS)]
    Sign(SignArgs),
    /// Verify a signature; prints `valid` (exit 0) or `invalid signature` (exit 1).
    #[command(after_long_help = EXIT_STATUS)]
    Verify(VerifyArgs),
    /// Print the public key of a secret key.
    #[command(after_long_help = EXIT_STATUS)]
    Pubkey(PubkeyArgs),
}

/// `providers`.
#[derive(Debug, Args)]
pub struct ProvidersArgs {
    /// Print a JSON array (one object per algorithm and provider) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Algorithm (ID or alias). Default: the configuration's [sign] algorithm.
    /// Insecure algorithms need `[policy] allow_insecure = true`.
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,

    /// Provider ID. Default: the one the configuration chooses for the
    /// algorithm, else the preferred provider.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,

    /// Derive the key from this seed (hex; exactly the algorithm's seed size,
    /// e.g. 32 bytes = 64 hex digits for ed25519) instead of fresh randomness.
    /// For tests and fixtures: a seed on the command line is visible to other users.
    #[arg(long, value_name = "HEX")]
    pub seed: Option<String>,

    /// Secret key file to write (tagged text form, mode 0600). The public key
    /// goes to FILE.pub; a MAC key has none, so no FILE.pub is written.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Overwrite FILE and FILE.pub when they exist.
    #[arg(long)]
    pub force: bool,
}

/// Output format of signatures and public keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The self-describing tagged text form (`pqshift1:...`), one line.
    Tagged,
    /// The bare standard bytes: written as bytes with --out, printed as lowercase hex on stdout.
    Raw,
}

/// `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Secret key file (tagged, text or binary), of the configured [sign] algorithm.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

    /// Context string, hex (at most 255 bytes).
    #[arg(long, value_name = "HEX")]
    pub context: Option<String>,

    /// `tagged`: the tagged text form, one line. `raw`: the bare standard
    /// signature bytes — written as bytes with --out, printed as lowercase hex on stdout.
    #[arg(long, value_enum, default_value_t = Format::Tagged)]
    pub format: Format,

    /// Sign without fresh randomness (FIPS 204 deterministic variant; Ed25519 always is).
    #[arg(long)]
    pub deterministic: bool,

    /// Write the signature to SIG instead of stdout.
    #[arg(long, value_name = "SIG")]
    pub out: Option<PathBuf>,

    /// Overwrite SIG when it exists.
    #[arg(long, requires = "out")]
    pub force: bool,

    /// Message file. Default: stdin.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,
}

/// `verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("verifier").required(true).args(["public", "key"])))]
pub struct VerifyArgs {
    /// Public key file (tagged, text or binary).
    #[arg(long = "pub", value_name = "FILE")]
    pub public: Option<PathBuf>,

    /// Secret key file: the way to verify a MAC (the placeholder); works for signature keys too.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,

    /// Signature file: a tagged signature (text or binary), the bare standard
    /// bytes, or their hex (as `sign --format raw` prints). Bare bytes and hex
    /// are read as the key's algorithm.
    #[arg(long, value_name = "SIG")]
    pub sig: PathBuf,

    /// Context string, hex (at most 255 bytes).
    #[arg(long, value_name = "HEX")]
    pub context: Option<String>,

    /// Message file. Default: stdin.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,
}

/// `pubkey`.
#[derive(Debug, Args)]
pub struct PubkeyArgs {
    /// Secret key file (tagged, text or binary).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

    /// `tagged`: the tagged text form. `raw`: the bare standard public key —
    /// written as bytes with --out, printed as lowercase hex on stdout.
    #[arg(long, value_enum, default_value_t = Format::Tagged)]
    pub format: Format,

    /// Write the public key to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite FILE when it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}
