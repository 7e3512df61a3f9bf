//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// The exit-status, key-file and configuration help shared by every command.
macro_rules! exit_status {
    () => {
        "\
EXIT STATUS:
  0  success (for `verify`: the signature is valid; for `decaps`: a shared
     secret was derived, even from a modified ciphertext: ML-KEM rejects
     implicitly, giving an unrelated secret rather than an error)
  1  `verify` only: the signature is invalid
  2  error: bad arguments, unreadable or malformed input, a configuration that
     fails to load, or an operation the configuration forbids

KEY FILES:
  Read in any of: the tagged form (text `pqshift1:...` or binary `PQSH...`),
  PEM (SPKI `PUBLIC KEY`, PKCS#8 `PRIVATE KEY`) or DER. Written in the tagged
  text form, or PEM with `--format pem`. Key, signature, ciphertext and
  configuration files are read up to 1 MiB each (counted while reading: a
  device or FIFO is cut off there with an error); the configuration must be
  a regular file.

OUTPUT FILES:
  Written to a temporary file created exclusively beside the target, fsynced
  and renamed into place; secret keys and secrets are mode 0600 whatever the
  umask. An existing file is replaced only with --force, and only when it is
  a regular file: a device, FIFO, socket, symbolic link or `-` is refused
  (leave out --out to write to standard output).

CONFIGURATION:
  Taken from --config FILE, else the file named by PQSHIFT_CONFIG, else the
  built-in default (Ed25519). It fails closed: an unknown key, an algorithm no
  linked provider serves, a provider that failed its self-test, or the insecure
  placeholder without `[policy] allow_insecure = true` is an error, never a
  fallback. `keygen`, `sign`, `verify`, `encaps` and `decaps` go through the
  loaded configuration."
    };
}

const EXIT_STATUS: &str = exit_status!();

const ENCAPS_HELP: &str = concat!(
    "\
OUTPUT:
  Standard output gets, in this order, the ciphertext in the tagged text form
  (`pqshift1:ct:...`, one line) unless --out-ct is given, and the shared secret
  as lowercase hex (one line) unless --out-secret is given.

POLICY:
  When the configuration has a [kem] section, the key must be of its
  algorithm (a policy error otherwise) and its provider encapsulates. Without
  [kem], any KEM a linked provider serves is allowed, through its preferred
  provider.

",
    exit_status!()
);

const DECAPS_HELP: &str = concat!(
    "\
IMPLICIT REJECTION:
  A modified ciphertext is not an error: ML-KEM then derives an unrelated,
  pseudorandom secret (exit 0), so an attacker learns nothing from the result.
  A malformed ciphertext (wrong length, bad tagged form) or a tagged ciphertext
  of another algorithm is an error (exit 2).

POLICY:
  When the configuration has a [kem] section, the key must be of its
  algorithm and its provider decapsulates; without [kem], any served KEM.

",
    exit_status!()
);

/// pqshift: sign, verify and encapsulate through one stable interface; the
/// configuration decides which algorithm and which provider do the work.
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
    /// Print the public key of a secret key (for a KEM: the encapsulation key).
    #[command(after_long_help = EXIT_STATUS)]
    Pubkey(PubkeyArgs),
    /// KEM: make a ciphertext and a shared secret for an encapsulation key.
    #[command(after_long_help = ENCAPS_HELP)]
    Encaps(EncapsArgs),
    /// KEM: recover the shared secret from a ciphertext with the decapsulation key.
    #[command(after_long_help = DECAPS_HELP)]
    Decaps(DecapsArgs),
    /// Deterministic signature corpora for the migration tool: generate, verify.
    Corpus(crate::corpus::CorpusArgs),
    /// The shared golden vectors and corpora under golden/: generate, check.
    Golden(crate::golden::GoldenArgs),
    /// Re-sign a signature corpus under a new algorithm: verify each old
    /// signature, re-sign, cross-verify, write a new corpus, keystore,
    /// key-rotation attestations and report. Resumable.
    Migrate(crate::migrate::MigrateArgs),
    /// The reviewer's report: per provider its algorithms, backend, dependency
    /// tree, isolation and unsafe code; a lint of the configuration; a CBOM.
    #[command(after_long_help = crate::audit::AUDIT_HELP)]
    Audit(crate::audit::AuditArgs),
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
    /// Algorithm (ID or alias): a signature algorithm (ed25519, ml-dsa-44/65/87),
    /// a KEM (ml-kem-512/768/1024) or the MAC. Default: the configuration's
    /// [sign] algorithm. Insecure algorithms need `[policy] allow_insecure = true`.
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,

    /// Provider ID. Default: the one the configuration chooses for the
    /// algorithm ([sign], [verify] or [kem]), else the preferred provider.
    #[arg(long, value_name = "PROVIDER")]
    pub provider: Option<String>,

    /// Derive the key from this seed (hex; exactly the algorithm's seed size:
    /// 32 bytes = 64 hex digits for ed25519 and ML-DSA (xi), 64 bytes d||z for
    /// ML-KEM) instead of fresh randomness. Providers that draw their own
    /// randomness (pqclean) cannot take a seed. For tests and fixtures: a seed
    /// on the command line is visible to other users.
    #[arg(long, value_name = "HEX")]
    pub seed: Option<String>,

    /// Secret key file to write (mode 0600): for a KEM, the decapsulation key.
    /// The public key (for a KEM, the encapsulation key) goes to FILE.pub; a
    /// MAC key has none, so no FILE.pub is written.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// `tagged`: pqshift's tagged text form (the seed, or the expanded key,
    /// marked as such, for providers that keep no seed). `pem`: PKCS#8
    /// `PRIVATE KEY` in FILE and SPKI `PUBLIC KEY` in FILE.pub, as OpenSSL 3.5+
    /// and pyca/cryptography read them (the insecure MAC has no OID, so no PEM).
    #[arg(long, value_enum, default_value_t = KeyFormat::Tagged)]
    pub format: KeyFormat,

    /// Overwrite FILE and FILE.pub when they exist.
    #[arg(long)]
    pub force: bool,
}

/// Output format of keygen's key files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyFormat {
    /// The self-describing tagged text form (`pqshift1:...`), one line.
    Tagged,
    /// PKCS#8 / SPKI PEM.
    Pem,
}

/// Output format of signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The self-describing tagged text form (`pqshift1:...`), one line.
    Tagged,
    /// The bare standard bytes: written as bytes with --out, printed as lowercase hex on stdout.
    Raw,
}

/// Output format of public keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PubFormat {
    /// The self-describing tagged text form (`pqshift1:...`), one line.
    Tagged,
    /// The bare standard bytes: written as bytes with --out, printed as lowercase hex on stdout.
    Raw,
    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    Pem,
}

/// `sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Secret key file (tagged text or binary, PKCS#8 PEM or DER), of the
    /// configured [sign] algorithm.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

    /// Context string, hex (at most 255 bytes).
    #[arg(long, value_name = "HEX")]
    pub context: Option<String>,

    /// `tagged`: the tagged text form, one line. `raw`: the bare standard
    /// signature bytes — written as bytes with --out, printed as lowercase hex on stdout.
    #[arg(long, value_enum, default_value_t = Format::Tagged)]
    pub format: Format,

    /// Sign without fresh randomness (FIPS 204 deterministic variant; Ed25519
    /// always is). A provider that only signs hedged (pqclean) refuses it.
    #[arg(long)]
    pub deterministic: bool,

    /// Write the signature to SIG instead of stdout.
    #[arg(long, value_name = "SIG")]
    pub out: Option<PathBuf>,

    /// Overwrite SIG when it exists.
    #[arg(long, requires = "out")]
    pub force: bool,

    /// Refuse a message larger than this many bytes (default 256 MiB): the
    /// whole message is held in memory (pure ML-DSA and Ed25519 need it in
    /// one piece), so the cap stops a huge input before memory runs out.
    #[arg(long, value_name = "BYTES", default_value_t = pqshift::input::DEFAULT_MAX_MESSAGE)]
    pub max_message_size: u64,

    /// Message file. Default: stdin.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,
}

/// `verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("verifier").required(true).args(["public", "key", "pub_raw"])))]
pub struct VerifyArgs {
    /// Public key file: tagged (text or binary), SPKI PEM or DER.
    #[arg(long = "pub", value_name = "FILE")]
    pub public: Option<PathBuf>,

    /// Secret key file: the way to verify a MAC (the placeholder); works for signature keys too.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,

    /// Bare standard public key of --alg ALG: the bytes, or their hex (as
    /// `pubkey --format raw` prints).
    #[arg(long, value_name = "FILE", requires = "alg")]
    pub pub_raw: Option<PathBuf>,

    /// The algorithm of --pub-raw (ID or alias).
    #[arg(long, value_name = "ALG", conflicts_with_all = ["public", "key"])]
    pub alg: Option<String>,

    /// Signature file: a tagged signature (text or binary), the bare standard
    /// bytes, or their hex (as `sign --format raw` prints). Bare bytes and hex
    /// are read as the key's algorithm.
    #[arg(long, value_name = "SIG")]
    pub sig: PathBuf,

    /// Context string, hex (at most 255 bytes).
    #[arg(long, value_name = "HEX")]
    pub context: Option<String>,

    /// Refuse a message larger than this many bytes (default 256 MiB): the
    /// whole message is held in memory (pure ML-DSA and Ed25519 need it in
    /// one piece), so the cap stops a huge input before memory runs out.
    #[arg(long, value_name = "BYTES", default_value_t = pqshift::input::DEFAULT_MAX_MESSAGE)]
    pub max_message_size: u64,

    /// Message file. Default: stdin.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,
}

/// `pubkey`.
#[derive(Debug, Args)]
pub struct PubkeyArgs {
    /// Secret key file (tagged text or binary, PKCS#8 PEM or DER); for a KEM,
    /// the decapsulation key, whose encapsulation key is printed.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

    /// `tagged`: the tagged text form. `raw`: the bare standard public key —
    /// written as bytes with --out, printed as lowercase hex on stdout.
    /// `pem`: SubjectPublicKeyInfo PEM.
    #[arg(long, value_enum, default_value_t = PubFormat::Tagged)]
    pub format: PubFormat,

    /// Write the public key to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite FILE when it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// `encaps`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("encapsulator").required(true).args(["public", "pub_raw"])))]
pub struct EncapsArgs {
    /// Encapsulation key file: tagged (text or binary), SPKI PEM or DER.
    #[arg(long = "pub", value_name = "FILE")]
    pub public: Option<PathBuf>,

    /// Bare standard encapsulation key of --alg ALG: the bytes, or their hex.
    #[arg(long, value_name = "FILE", requires = "alg")]
    pub pub_raw: Option<PathBuf>,

    /// The algorithm of --pub-raw (ID or alias).
    #[arg(long, value_name = "ALG", conflicts_with = "public")]
    pub alg: Option<String>,

    /// Write the ciphertext (tagged text form) to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out_ct: Option<PathBuf>,

    /// Write the shared secret (the bare bytes, mode 0600) to FILE instead of
    /// printing it as hex on stdout.
    #[arg(long, value_name = "FILE")]
    pub out_secret: Option<PathBuf>,

    /// Overwrite the --out-ct and --out-secret files when they exist.
    #[arg(long)]
    pub force: bool,
}

/// `decaps`.
#[derive(Debug, Args)]
pub struct DecapsArgs {
    /// Decapsulation key file: tagged (text or binary), PKCS#8 PEM or DER.
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

    /// Ciphertext file: tagged (text or binary), or the bare standard bytes
    /// (exactly the key's algorithm's ciphertext size).
    #[arg(long, value_name = "FILE")]
    pub ct: PathBuf,

    /// Write the shared secret (the bare bytes, mode 0600) to FILE instead of
    /// printing it as hex on stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Overwrite FILE when it exists.
    #[arg(long, requires = "out")]
    pub force: bool,
}
