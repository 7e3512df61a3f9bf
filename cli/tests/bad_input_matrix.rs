//! The bad-input matrix of the `pqshift` command (issue #10, part 4): the
//! one place a reviewer reads to see what every command does with bad input.
//!
//! Each row is a command line (with stdin, sometimes `PQSHIFT_CONFIG`) run
//! in a scratch directory full of fixtures, and what it must give:
//!
//! - the exact exit code: 0 ok, 1 `verify`: invalid signature (`corpus
//!   verify`: a record does not verify; `audit`: a high-severity finding),
//!   2 any error (usage, unreadable or malformed input, a configuration
//!   that does not load, an operation the configuration forbids);
//! - on stderr, `error: ` and the words that say what was wrong; where the
//!   error comes from the library, its kind as the library prints it
//!   (`invalid input: `, `unsupported: `, `policy violation: `);
//! - on stdout, nothing (errors and invalid signatures print no result);
//! - in the directory, nothing new, nothing changed, nothing removed: a
//!   failing command leaves no partial output file (every file's bytes and
//!   mode are compared before and after each row).
//!
//! All rows run even when some fail; the failures are reported together.
//! Most rows use Ed25519 (fast in a debug build); ML-DSA-44, ML-KEM-768 and
//! the placeholder appear where the row is about them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::Env;

/// The kind words the library's errors carry (`pqshift::Error`'s `Display`).
const INVALID: &str = "invalid input: ";
const UNSUPPORTED: &str = "unsupported: ";
const POLICY: &str = "policy violation: ";

const SEED_ED: &str = "0101010101010101010101010101010101010101010101010101010101010101";
const SEED_ED2: &str = "0202020202020202020202020202020202020202020202020202020202020202";
const SEED_DSA: &str = "0303030303030303030303030303030303030303030303030303030303030303";

/// One row: a command line and what it must do.
struct Row {
    name: String,
    args: Vec<String>,
    stdin: Vec<u8>,
    code: i32,
    needles: Vec<String>,
    config_env: Option<String>,
    stdout_allowed: bool,
    usage_only: bool,
}

fn row(name: &str, code: i32, args: &[&str], needles: &[&str]) -> Row {
    Row {
        name: name.to_string(),
        args: args.iter().map(|s| s.to_string()).collect(),
        stdin: b"the message".to_vec(),
        code,
        needles: needles.iter().map(|s| s.to_string()).collect(),
        config_env: None,
        stdout_allowed: false,
        usage_only: false,
    }
}

impl Row {
    /// PQSHIFT_CONFIG for this run.
    fn env_config(mut self, path: &str) -> Self {
        self.config_env = Some(path.to_string());
        self
    }

    /// What stdin gets (default: the contents of the fixture `m`).
    fn stdin(mut self, data: &[u8]) -> Self {
        self.stdin = data.to_vec();
        self
    }

    /// Output on stdout is expected (audit's report with a finding).
    fn stdout_allowed(mut self) -> Self {
        self.stdout_allowed = true;
        self
    }

    /// clap prints the usage, without `error:`, when no command is given.
    fn usage_only(mut self) -> Self {
        self.usage_only = true;
        self
    }
}

/// Every file and directory under `dir`: path -> (bytes, mode); directories as `None`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<(Vec<u8>, u32)>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Option<(Vec<u8>, u32)>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                out.insert(rel, None);
                walk(root, &path, out);
            } else {
                #[cfg(unix)]
                let mode = {
                    use std::os::unix::fs::PermissionsExt;
                    meta.permissions().mode() & 0o777
                };
                #[cfg(not(unix))]
                let mode = 0;
                out.insert(rel, Some((std::fs::read(&path).unwrap(), mode)));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What changed between two snapshots, in words.
fn changes(
    before: &BTreeMap<PathBuf, Option<(Vec<u8>, u32)>>,
    after: &BTreeMap<PathBuf, Option<(Vec<u8>, u32)>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (p, v) in after {
        match before.get(p) {
            None => out.push(format!("created {}", p.display())),
            Some(b) if b != v => out.push(format!("changed {}", p.display())),
            _ => {}
        }
    }
    for p in before.keys() {
        if !after.contains_key(p) {
            out.push(format!("removed {}", p.display()));
        }
    }
    out
}

/// Runs every row in `e`'s directory; reports all failures at once.
fn run_matrix(interface: &str, e: &mut Env, rows: Vec<Row>) -> usize {
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    let show = std::env::var_os("MATRIX_SHOW").is_some();
    for r in &rows {
        assert!(names.insert(r.name.clone()), "duplicate row {:?}", r.name);
        let before = snapshot(e.dir.path());
        e.config_env = r.config_env.as_ref().map(|p| e.path(p));
        let args: Vec<&str> = r.args.iter().map(String::as_str).collect();
        let o = e.run_stdin(&args, &r.stdin);
        e.config_env = None;
        let after = snapshot(e.dir.path());
        if show {
            println!(
                "{interface}: {} | exit {} | {}",
                r.name,
                o.code,
                o.stderr.trim_end().replace('\n', " / ")
            );
        }
        let mut why = Vec::new();
        if o.code != r.code {
            why.push(format!("exit {} instead of {}", o.code, r.code));
        }
        if r.code == 2 && !r.usage_only && !o.stderr.starts_with("error: ") {
            why.push("stderr does not start with \"error: \"".to_string());
        }
        let low = o.stderr.to_lowercase();
        for n in &r.needles {
            if !low.contains(&n.to_lowercase()) {
                why.push(format!("stderr lacks {n:?}"));
            }
        }
        if !r.stdout_allowed && !o.stdout.is_empty() {
            why.push(format!("stdout is not empty: {:?}", o.stdout));
        }
        let changed = changes(&before, &after);
        if !changed.is_empty() {
            why.push(format!("the directory changed: {}", changed.join(", ")));
        }
        if !why.is_empty() {
            failures.push(format!(
                "{}: {}\n      $ pqshift {}\n      stderr: {}",
                r.name,
                why.join("; "),
                r.args.join(" "),
                o.stderr.trim_end().replace('\n', "\n              ")
            ));
        }
    }
    println!("{interface}: {} matrix rows", rows.len());
    assert!(
        failures.is_empty(),
        "{} of {} rows of the {interface} matrix failed:\n  {}",
        failures.len(),
        rows.len(),
        failures.join("\n  ")
    );
    rows.len()
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

const DSA_CONFIG: &str = "[sign]\nalgorithm = \"ml-dsa-44\"\n";
const ALLOW_INSECURE: &str =
    "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n";

/// Flips one base64url character in the middle of a tagged text object's
/// payload (the result is still well-formed).
fn tamper_text(text: &str) -> String {
    let t = text.trim_end();
    let i = t.len() - 12;
    let c = t.as_bytes()[i];
    let to = if c == b'A' { 'B' } else { 'A' };
    format!("{}{}{}\n", &t[..i], to, &t[i + 1..])
}

/// The scratch directory with keys, signatures, ciphertexts, configurations
/// and damaged files. Everything is made by the binary itself.
#[rustfmt::skip]
fn fixtures() -> Env {
    let e = Env::new();
    let ok = |args: &[&str]| {
        e.run(args).ok();
    };
    e.write("m", "the message");
    e.write("m2", "another message");
    e.write("empty", "");
    e.write("garbage", b"\x00\x01garbage\xff\xfe not a key\n");
    e.write("text", "hello, world\n");
    e.write("latin1", b"caf\xe9\n");
    e.write("exists", "keep me\n");
    e.write("lonely.pub", "a public key without its secret key\n");
    std::fs::create_dir(e.path("adir")).unwrap();
    std::fs::create_dir(e.path("emptydir")).unwrap();
    // keygen --force where FILE.pub cannot be written: FILE.pub is a directory.
    std::fs::create_dir(e.path("clash.pub")).unwrap();

    // Configurations.
    e.write("dsa.toml", DSA_CONFIG);
    e.write("allow.toml", ALLOW_INSECURE);
    e.write("insecure.toml", "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n");
    e.write("unknown-key.toml", "[sign]\nalgorithm = \"ed25519\"\nbogus = 1\n");
    e.write("unknown-alg.toml", "[sign]\nalgorithm = \"rsa-2048\"\n");
    e.write("kem-sign.toml", "[sign]\nalgorithm = \"ml-kem-768\"\n");
    e.write("no-provider.toml", "[sign]\nalgorithm = \"ed25519\"\nprovider = \"nosuch\"\n");
    e.write("syntax.toml", "[sign\nalgorithm =\n");
    e.write("latin1.toml", b"[sign]\nalgorithm = \"ed25519\" # caf\xe9\n");
    e.write("kem512.toml", "[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-512\"\n");
    e.write("pqclean.toml", "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"pqclean\"\n");

    // Keys.
    ok(&["keygen", "--seed", SEED_ED, "--out", "ed.key"]);
    ok(&["keygen", "--seed", SEED_ED2, "--out", "ed2.key"]);
    ok(&["keygen", "--alg", "ml-dsa-44", "--seed", SEED_DSA, "--out", "dsa.key"]);
    ok(&["keygen", "--alg", "ml-dsa-44", "--provider", "pqclean", "--out", "pq.key"]);
    ok(&["keygen", "--alg", "ml-kem-768", "--seed", &"04".repeat(64), "--out", "kem.key"]);
    ok(&["keygen", "--alg", "ml-kem-512", "--seed", &"05".repeat(64), "--out", "kem512.key"]);
    ok(&["--config", "allow.toml", "keygen", "--seed", SEED_ED, "--out", "mac.key"]);
    ok(&["pubkey", "--key", "ed.key", "--format", "pem", "--out", "ed.pub.pem"]);
    ok(&["keygen", "--seed", SEED_ED, "--format", "pem", "--out", "edpem.key"]);
    ok(&["pubkey", "--key", "ed.key", "--format", "raw", "--out", "ed.pub.raw"]);
    // SPKI DER of the Ed25519 key (RFC 8410: a fixed 12-byte prefix).
    let mut der = hex::decode("302a300506032b6570032100").unwrap();
    der.extend(e.read("ed.pub.raw"));
    e.write("ed.pub.der", &der);
    // A PEM key with a character outside base64.
    let pem = e.read_text("edpem.key");
    let mut bad = pem.clone().into_bytes();
    bad["-----BEGIN PRIVATE KEY-----\n".len() + 2] = b'*';
    e.write("bad-base64.pem", bad);
    e.write("trailing.pem", format!("{pem}trailing garbage\n"));
    // Damaged tagged keys.
    let text = e.read_text("ed.key");
    let fp = text.split(':').nth(3).unwrap().to_string();
    e.write("bad-fp.key", text.replacen(&fp, &"00".repeat(32), 1));
    e.write("cut.key", &e.read("ed.key")[..40]);
    e.write("v2.key", text.replacen("pqshift1:", "pqshift2:", 1));
    e.write("alias.key", text.replacen(":ed25519:", ":Ed25519:", 1));

    // Signatures.
    ok(&["sign", "--key", "ed.key", "--out", "ed.sig", "m"]);
    ok(&["sign", "--key", "ed.key", "--format", "raw", "--out", "ed.sig.raw", "m"]);
    ok(&["--config", "dsa.toml", "sign", "--key", "dsa.key", "--out", "dsa.sig", "m"]);
    ok(&["--config", "allow.toml", "sign", "--key", "mac.key", "--out", "mac.sig", "m"]);
    e.write("ed.sig.tampered", tamper_text(&e.read_text("ed.sig")));
    e.write("dsa.sig.tampered", tamper_text(&e.read_text("dsa.sig")));
    e.write("mac.sig.tampered", tamper_text(&e.read_text("mac.sig")));
    let raw = e.read("ed.sig.raw");
    let mut flipped = raw.clone();
    flipped[5] ^= 0x01;
    e.write("ed.sig.raw.flipped", &flipped);
    e.write("ed.sig.hex.short", "abcd\n");
    // The tagged binary form, cut short by one byte.
    let mut bin = b"PQSH\x01\x03\x07ed25519".to_vec();
    bin.extend_from_slice(&raw[..raw.len() - 1]);
    e.write("ed.sig.bin.cut", &bin);

    // KEM ciphertexts.
    ok(&["encaps", "--pub", "kem.key.pub", "--out-ct", "kem.ct", "--out-secret", "kem.ss"]);
    ok(&["encaps", "--pub", "kem512.key.pub", "--out-ct", "kem512.ct", "--out-secret", "kem512.ss"]);
    e.write("ek.ff", vec![0xffu8; 1184]);

    // A small corpus, a copy with one signature changed (manifest root
    // recomputed, so only the signature is wrong), and a finished migration.
    ok(&["corpus", "generate", "--alg", "ed25519", "--records", "3", "--keys", "1", "--seed", "01", "--out", "c.jsonl"]);
    ok(&["corpus", "generate", "--alg", "ed25519", "--records", "3", "--keys", "1", "--seed", "01", "--out", "t.jsonl"]);
    let corpus = e.read_text("t.jsonl");
    let mut lines: Vec<String> = corpus.lines().map(str::to_string).collect();
    let mut rec: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    rec["signature"] = serde_json::Value::String(
        tamper_text(rec["signature"].as_str().unwrap())
            .trim_end()
            .to_string(),
    );
    lines[1] = serde_json::to_string(&rec).unwrap();
    e.write("t.jsonl", lines.join("\n") + "\n");
    let leaves: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
    let mut manifest: serde_json::Value =
        serde_json::from_str(&e.read_text("t.manifest.json")).unwrap();
    manifest["merkle_root"] =
        serde_json::Value::String(hex::encode(pqshift::merkle::merkle_root(&leaves)));
    e.write("t.manifest.json", serde_json::to_string_pretty(&manifest).unwrap() + "\n");
    e.write("short.seed", "too short\n");
    ok(&["migrate", "--corpus", "c.jsonl", "--to", "ml-dsa-44", "--out", "migrated", "--jobs", "1"]);
    e
}

// ---------------------------------------------------------------------------
// The rows
// ---------------------------------------------------------------------------

/// Usage errors and the configuration, through every command that loads one.
#[rustfmt::skip]
fn rows_usage_and_configuration() -> Vec<Row> {
    let mut rows = vec![
        row("no command", 2, &[], &["Usage: pqshift"]).usage_only(),
        row("unknown command", 2, &["frobnicate"], &["unrecognized subcommand 'frobnicate'"]),
        row("unknown global flag", 2, &["--bogus", "doctor"], &["unexpected argument '--bogus'"]),
        row("--config without its value", 2, &["doctor", "--config"], &["a value is required for '--config <FILE>'"]),
        row("providers: unknown flag", 2, &["providers", "--bogus"], &["unexpected argument '--bogus'"]),
        row("doctor: unknown flag", 2, &["doctor", "--bogus"], &["unexpected argument '--bogus'"]),
        row("golden without a subcommand", 2, &["golden"], &["Usage: pqshift golden"]).usage_only(),
        row("corpus without a subcommand", 2, &["corpus"], &["Usage: pqshift corpus"]).usage_only(),
    ];
    // The configuration fails closed for every command that loads it.
    let bad_configs: [(&str, &str, &[&str]); 9] = [
        ("missing file", "missing.toml", &[INVALID, "cannot read configuration file missing.toml"]),
        ("a directory", "adir", &[INVALID, "cannot read configuration file adir"]),
        ("invalid UTF-8", "latin1.toml", &[INVALID, "latin1.toml", "UTF-8"]),
        ("not TOML", "syntax.toml", &[INVALID, "syntax.toml", "TOML parse error"]),
        ("unknown key", "unknown-key.toml", &[INVALID, "unknown-key.toml", "unknown field `bogus`"]),
        ("unknown algorithm", "unknown-alg.toml", &[UNSUPPORTED, "[sign] algorithm", "rsa-2048"]),
        ("a KEM as [sign] algorithm", "kem-sign.toml", &[INVALID, "[sign] algorithm", "ml-kem-768"]),
        ("placeholder without allow_insecure", "insecure.toml", &[POLICY, "INSECURE", "allow_insecure = true"]),
        ("a provider that is not linked", "no-provider.toml", &[UNSUPPORTED, "provider \"nosuch\" does not serve ed25519"]),
    ];
    let commands: [(&str, &[&str]); 6] = [
        ("doctor", &["doctor"]),
        ("keygen", &["keygen", "--out", "new.key"]),
        ("sign", &["sign", "--key", "ed.key", "--out", "new.sig", "m"]),
        ("verify", &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig", "m"]),
        ("encaps", &["encaps", "--pub", "kem.key.pub", "--out-ct", "new.ct", "--out-secret", "new.ss"]),
        ("decaps", &["decaps", "--key", "kem.key", "--ct", "kem.ct", "--out", "new.ss"]),
    ];
    for (cmd, args) in commands {
        for (what, file, needles) in bad_configs {
            let mut a = vec!["--config", file];
            a.extend_from_slice(args);
            rows.push(row(&format!("{cmd} --config: {what}"), 2, &a, needles));
        }
    }
    for (cmd, args) in [commands[0], commands[2]] {
        rows.push(row(&format!("{cmd} with PQSHIFT_CONFIG naming a missing file"), 2, args, &[INVALID, "missing.toml", "(from PQSHIFT_CONFIG)"]).env_config("missing.toml"));
        rows.push(row(&format!("{cmd} with PQSHIFT_CONFIG naming a bad file"), 2, args, &[INVALID, "unknown field `bogus`"]).env_config("unknown-key.toml"));
    }
    rows.push(row("doctor --json with a bad configuration", 2, &["--config", "unknown-alg.toml", "doctor", "--json"], &[UNSUPPORTED, "rsa-2048"]));
    rows.push(row("--config wins over a good PQSHIFT_CONFIG", 2, &["--config", "unknown-key.toml", "doctor"], &[INVALID, "unknown-key.toml"]).env_config("dsa.toml"));
    rows
}

#[rustfmt::skip]
fn rows_keygen() -> Vec<Row> {
    let kem_seed32 = "06".repeat(32);
    vec![
        row("keygen without --out", 2, &["keygen"], &["--out <FILE>"]),
        row("keygen --alg unknown", 2, &["keygen", "--alg", "rsa-2048", "--out", "k"], &[UNSUPPORTED, "unknown algorithm \"rsa-2048\""]),
        row("keygen --alg empty", 2, &["keygen", "--alg", "", "--out", "k"], &[UNSUPPORTED, "unknown algorithm \"\""]),
        row("keygen --provider unknown", 2, &["keygen", "--provider", "nosuch", "--out", "k"], &[UNSUPPORTED, "provider \"nosuch\" does not serve ed25519"]),
        row("keygen --provider that does not serve the algorithm", 2, &["keygen", "--alg", "ml-dsa-44", "--provider", "dalek", "--out", "k"], &[UNSUPPORTED, "provider \"dalek\" does not serve ml-dsa-44"]),
        row("keygen --seed not hex", 2, &["keygen", "--seed", "zz", "--out", "k"], &["--seed must be hex"]),
        row("keygen --seed too short", 2, &["keygen", "--seed", "00", "--out", "k"], &["--seed must be 32 bytes (64 hex digits) for ed25519, got 1 bytes"]),
        row("keygen --seed too long", 2, &["keygen", "--seed", &format!("{SEED_ED}00"), "--out", "k"], &["--seed must be 32 bytes", "got 33 bytes"]),
        row("keygen ML-KEM --seed of 32 bytes", 2, &["keygen", "--alg", "ml-kem-768", "--seed", &kem_seed32, "--out", "k"], &["--seed must be 64 bytes (128 hex digits: d || z) for ml-kem-768"]),
        row("keygen --seed with pqclean (no seeded keygen)", 2, &["keygen", "--alg", "ml-dsa-44", "--provider", "pqclean", "--seed", SEED_DSA, "--out", "k"], &["--seed: provider pqclean cannot derive ml-dsa-44 keys from a seed", "--provider liboqs"]),
        row("keygen of the placeholder without allow_insecure", 2, &["keygen", "--alg", "insecure-test-hmac-sha256", "--out", "k"], &[POLICY, "INSECURE", "allow_insecure = true"]),
        row("keygen --provider placeholder without allow_insecure", 2, &["keygen", "--alg", "insecure-test-hmac-sha256", "--provider", "placeholder", "--out", "k"], &[POLICY, "INSECURE"]),
        row("keygen --format pem of the MAC (no OID)", 2, &["--config", "allow.toml", "keygen", "--format", "pem", "--out", "k"], &["--format pem: insecure-test-hmac-sha256 has no OID"]),
        row("keygen --format unknown", 2, &["keygen", "--format", "der", "--out", "k"], &["invalid value 'der' for '--format <FORMAT>'"]),
        row("keygen --out exists", 2, &["keygen", "--out", "exists"], &["exists already exists; refusing to overwrite it"]),
        row("keygen --out whose .pub exists", 2, &["keygen", "--out", "lonely"], &["lonely.pub already exists; refusing to overwrite it"]),
        row("keygen --out in a missing directory", 2, &["keygen", "--out", "nodir/k"], &["cannot write nodir/k"]),
        row("keygen --out a directory", 2, &["keygen", "--out", "adir", "--force"], &["adir"]),
        row("keygen --force whose .pub cannot be written (no half key pair)", 2, &["keygen", "--out", "clash", "--force"], &["cannot write clash.pub"]),
    ]
}

#[rustfmt::skip]
fn rows_sign() -> Vec<Row> {
    let ctx256 = "ab".repeat(256);
    vec![
        row("sign without --key", 2, &["sign", "m"], &["--key <FILE>"]),
        row("sign --key missing", 2, &["sign", "--key", "nope.key", "m"], &["cannot read nope.key"]),
        row("sign --key empty file", 2, &["sign", "--key", "empty", "m"], &[INVALID, "key file empty", "not a secret key in any form"]),
        row("sign --key garbage", 2, &["sign", "--key", "garbage", "m"], &[INVALID, "not a secret key in any form"]),
        row("sign --key plain text", 2, &["sign", "--key", "text", "m"], &[INVALID, "not a secret key in any form"]),
        row("sign --key a public key", 2, &["sign", "--key", "ed.key.pub", "m"], &["expected a tagged secret key, got a public key (ed25519)", "hint:"]),
        row("sign --key a signature", 2, &["sign", "--key", "ed.sig", "m"], &["expected a tagged secret key, got a signature"]),
        row("sign --key a KEM decapsulation key", 2, &["sign", "--key", "kem.key", "m"], &["holds a ml-kem-768 decapsulation key: a KEM cannot sign"]),
        row("sign --key cut short", 2, &["sign", "--key", "cut.key", "m"], &[INVALID, "cut.key"]),
        row("sign --key with a wrong fingerprint", 2, &["sign", "--key", "bad-fp.key", "m"], &[INVALID, "fingerprint does not match"]),
        row("sign --key of text format version 2", 2, &["sign", "--key", "v2.key", "m"], &[INVALID, "not a secret key in any form"]),
        row("sign --key naming an alias inside the tagged form", 2, &["sign", "--key", "alias.key", "m"], &[UNSUPPORTED, "unknown algorithm \"Ed25519\""]),
        row("sign --key a PEM public key", 2, &["sign", "--key", "ed.pub.pem", "m"], &[INVALID, "a PUBLIC KEY was given where a PRIVATE KEY is expected"]),
        row("sign --key a DER public key", 2, &["sign", "--key", "ed.pub.der", "m"], &[INVALID, "PKCS#8 private key is not valid DER"]),
        row("sign --key PEM with bad base64", 2, &["sign", "--key", "bad-base64.pem", "m"], &[INVALID, "malformed PEM private key"]),
        row("sign --key PEM with trailing garbage", 2, &["sign", "--key", "trailing.pem", "m"], &[INVALID, "must end with its \"-----END PRIVATE KEY-----\" line"]),
        row("sign with a key of another algorithm than [sign]", 2, &["sign", "--key", "dsa.key", "m"], &[POLICY, "algorithm mismatch", "signs with ed25519, not ml-dsa-44"]),
        row("sign with the MAC key under the default configuration", 2, &["sign", "--key", "mac.key", "m"], &[POLICY, "signs with ed25519"]),
        row("sign --context not hex", 2, &["sign", "--key", "ed.key", "--context", "xyz", "m"], &["--context must be hex"]),
        row("sign --context with Ed25519", 2, &["sign", "--key", "ed.key", "--context", "01", "m"], &[UNSUPPORTED, "takes no context string"]),
        // The facade's kind for Ed25519 (see pqshift/tests/bad_input_matrix.rs): the C, Go
        // and Python bindings say invalid input here.
        row("sign --context of 256 bytes with Ed25519", 2, &["sign", "--key", "ed.key", "--context", &ctx256, "m"], &[INVALID, "context must be at most 255 bytes long, got 256 bytes"]),
        row("sign --context of 256 bytes (ML-DSA)", 2, &["--config", "dsa.toml", "sign", "--key", "dsa.key", "--context", &ctx256, "m"], &[INVALID, "context must be at most 255 bytes long, got 256 bytes"]),
        row("sign --deterministic with pqclean", 2, &["--config", "pqclean.toml", "sign", "--key", "pq.key", "--deterministic", "m"], &[UNSUPPORTED, "hedged"]),
        row("sign --format unknown", 2, &["sign", "--key", "ed.key", "--format", "pem", "m"], &["invalid value 'pem' for '--format <FORMAT>'"]),
        row("sign --force without --out", 2, &["sign", "--key", "ed.key", "--force", "m"], &["--out <SIG>"]),
        row("sign INPUT missing", 2, &["sign", "--key", "ed.key", "--out", "new.sig", "nope.txt"], &["cannot read nope.txt"]),
        row("sign --out exists", 2, &["sign", "--key", "ed.key", "--out", "exists", "m"], &["exists already exists; refusing to overwrite it"]),
        row("sign --out in a missing directory", 2, &["sign", "--key", "ed.key", "--out", "nodir/s", "m"], &["cannot write nodir/s"]),
        row("sign --out with a bad key writes nothing", 2, &["sign", "--key", "garbage", "--out", "new.sig", "m"], &[INVALID]),
    ]
}

#[rustfmt::skip]
fn rows_verify() -> Vec<Row> {
    vec![
        row("verify without a key", 2, &["verify", "--sig", "ed.sig", "m"], &["required"]),
        row("verify --pub and --key together", 2, &["verify", "--pub", "ed.key.pub", "--key", "ed.key", "--sig", "ed.sig", "m"], &["cannot be used with"]),
        row("verify --pub-raw without --alg", 2, &["verify", "--pub-raw", "ed.pub.raw", "--sig", "ed.sig", "m"], &["--alg <ALG>"]),
        row("verify --pub missing", 2, &["verify", "--pub", "nope.pub", "--sig", "ed.sig", "m"], &["cannot read nope.pub"]),
        row("verify --pub garbage", 2, &["verify", "--pub", "garbage", "--sig", "ed.sig", "m"], &[INVALID, "not a public key in any form"]),
        row("verify --pub empty", 2, &["verify", "--pub", "empty", "--sig", "ed.sig", "m"], &[INVALID, "not a public key in any form"]),
        row("verify --pub a secret key", 2, &["verify", "--pub", "ed.key", "--sig", "ed.sig", "m"], &["expected a tagged public key, got a secret key (seed) (ed25519)"]),
        row("verify --pub a KEM encapsulation key", 2, &["verify", "--pub", "kem.key.pub", "--sig", "ed.sig", "m"], &["holds a ml-kem-768 encapsulation key: a KEM cannot sign or verify"]),
        row("verify --pub a PEM private key", 2, &["verify", "--pub", "edpem.key", "--sig", "ed.sig", "m"], &[INVALID, "a PRIVATE KEY was given where a PUBLIC KEY is expected"]),
        row("verify --key a public key", 2, &["verify", "--key", "ed.key.pub", "--sig", "ed.sig", "m"], &["expected a tagged secret key, got a public key"]),
        row("verify --sig missing", 2, &["verify", "--pub", "ed.key.pub", "--sig", "nope.sig", "m"], &["cannot read nope.sig"]),
        row("verify --sig empty", 2, &["verify", "--pub", "ed.key.pub", "--sig", "empty", "m"], &[INVALID, "ed25519 signature must be 64 bytes long, got 0 bytes"]),
        row("verify --sig garbage", 2, &["verify", "--pub", "ed.key.pub", "--sig", "garbage", "m"], &[INVALID, "(bare signature bytes)", "must be 64 bytes long"]),
        row("verify --sig hex of the wrong length", 2, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig.hex.short", "m"], &[INVALID, "(hex of the bare signature)", "got 2 bytes"]),
        row("verify --sig tagged binary cut short", 2, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig.bin.cut", "m"], &[INVALID, "must be 64 bytes long, got 63 bytes"]),
        row("verify --sig a key", 2, &["verify", "--pub", "ed.key.pub", "--sig", "ed.key", "m"], &[INVALID, "expected a tagged signature, got a secret key"]),
        row("verify --sig a ciphertext", 2, &["verify", "--pub", "ed.key.pub", "--sig", "kem.ct", "m"], &[INVALID, "expected a tagged signature, got a ciphertext"]),
        row("verify an ML-DSA signature with an Ed25519 key", 2, &["verify", "--pub", "ed.key.pub", "--sig", "dsa.sig", "m"], &[INVALID, "algorithm mismatch"]),
        row("verify an algorithm the configuration does not accept", 2, &["verify", "--pub", "dsa.key.pub", "--sig", "dsa.sig", "m"], &[POLICY, "ml-dsa-44 is not accepted", "accept = [ed25519]"]),
        row("verify the MAC under the default configuration", 2, &["verify", "--key", "mac.key", "--sig", "mac.sig", "m"], &[POLICY, "insecure-test-hmac-sha256 is not accepted"]),
        row("verify --context not hex", 2, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig", "--context", "xyz", "m"], &["--context must be hex"]),
        row("verify --context with Ed25519", 2, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig", "--context", "01", "m"], &[UNSUPPORTED, "takes no context string"]),
        row("verify --alg unknown with --pub-raw", 2, &["verify", "--alg", "rsa", "--pub-raw", "ed.pub.raw", "--sig", "ed.sig", "m"], &[UNSUPPORTED, "unknown algorithm \"rsa\""]),
        row("verify --alg a KEM with --pub-raw", 2, &["verify", "--alg", "ml-kem-768", "--pub-raw", "ed.pub.raw", "--sig", "ed.sig", "m"], &["a KEM cannot sign or verify"]),
        row("verify --pub-raw of the wrong length", 2, &["verify", "--alg", "ed25519", "--pub-raw", "m", "--sig", "ed.sig", "m"], &["must be 32 bytes long"]),
        row("verify INPUT missing", 2, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig", "nope.txt"], &["cannot read nope.txt"]),
        // Invalid signatures: exit 1, `invalid signature`, nothing on stdout.
        row("verify a tampered tagged signature", 1, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig.tampered", "m"], &["invalid signature"]),
        row("verify a tampered bare signature", 1, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig.raw.flipped", "m"], &["invalid signature"]),
        row("verify another message", 1, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig", "m2"], &["invalid signature"]),
        row("verify another message on stdin", 1, &["verify", "--pub", "ed.key.pub", "--sig", "ed.sig"], &["invalid signature"]).stdin(b"another message"),
        row("verify with another key", 1, &["verify", "--pub", "ed2.key.pub", "--sig", "ed.sig", "m"], &["invalid signature"]),
        row("verify with another secret key", 1, &["verify", "--key", "ed2.key", "--sig", "ed.sig", "m"], &["invalid signature"]),
        row("verify --pub-raw, another message", 1, &["verify", "--alg", "ed25519", "--pub-raw", "ed.pub.raw", "--sig", "ed.sig", "m2"], &["invalid signature"]),
        row("verify a tampered ML-DSA-44 signature", 1, &["--config", "dsa.toml", "verify", "--pub", "dsa.key.pub", "--sig", "dsa.sig.tampered", "m"], &["invalid signature"]),
        row("verify a tampered MAC tag (allow_insecure)", 1, &["--config", "allow.toml", "verify", "--key", "mac.key", "--sig", "mac.sig.tampered", "m"], &["invalid signature"]),
    ]
}

#[rustfmt::skip]
fn rows_pubkey() -> Vec<Row> {
    vec![
        row("pubkey --key missing", 2, &["pubkey", "--key", "nope.key"], &["cannot read nope.key"]),
        row("pubkey --key garbage", 2, &["pubkey", "--key", "garbage", "--out", "new.pub"], &[INVALID, "not a secret key in any form"]),
        row("pubkey --key a public key", 2, &["pubkey", "--key", "ed.key.pub", "--out", "new.pub"], &["expected a tagged secret key, got a public key"]),
        row("pubkey --key a signature", 2, &["pubkey", "--key", "ed.sig"], &["expected a tagged secret key, got a signature"]),
        row("pubkey of the MAC (no public key)", 2, &["pubkey", "--key", "mac.key", "--out", "new.pub"], &[INVALID, "is a MAC: it has no public key"]),
        row("pubkey of the MAC as PEM", 2, &["pubkey", "--key", "mac.key", "--format", "pem"], &[INVALID, "is a MAC"]),
        row("pubkey --key with a wrong fingerprint", 2, &["pubkey", "--key", "bad-fp.key", "--out", "new.pub"], &[INVALID, "fingerprint does not match"]),
        row("pubkey --format unknown", 2, &["pubkey", "--key", "ed.key", "--format", "der"], &["invalid value 'der' for '--format <FORMAT>'"]),
        row("pubkey --force without --out", 2, &["pubkey", "--key", "ed.key", "--force"], &["--out <FILE>"]),
        row("pubkey --out exists", 2, &["pubkey", "--key", "ed.key", "--out", "exists"], &["exists already exists; refusing to overwrite it"]),
        row("pubkey --out in a missing directory", 2, &["pubkey", "--key", "ed.key", "--out", "nodir/p"], &["cannot write nodir/p"]),
    ]
}

#[rustfmt::skip]
fn rows_kem() -> Vec<Row> {
    vec![
        row("encaps without a key", 2, &["encaps"], &["required"]),
        row("encaps --pub a signature public key", 2, &["encaps", "--pub", "ed.key.pub", "--out-ct", "new.ct"], &["ed25519 is a signature algorithm, not a KEM"]),
        row("encaps --pub a decapsulation key", 2, &["encaps", "--pub", "kem.key", "--out-ct", "new.ct"], &["expected a tagged public key, got a secret key (seed) (ml-kem-768)"]),
        row("encaps --pub garbage", 2, &["encaps", "--pub", "garbage", "--out-ct", "new.ct"], &[INVALID, "not a KEM encapsulation key in any form"]),
        row("encaps --pub missing", 2, &["encaps", "--pub", "nope.pub"], &["cannot read nope.pub"]),
        row("encaps --pub-raw of the wrong length", 2, &["encaps", "--alg", "ml-kem-768", "--pub-raw", "m", "--out-ct", "new.ct"], &["a ml-kem-768 public key must be 1184 bytes long, got 11 bytes"]),
        row("encaps --pub-raw with coefficients >= q", 2, &["encaps", "--alg", "ml-kem-768", "--pub-raw", "ek.ff", "--out-ct", "new.ct"], &[INVALID, "3329"]),
        row("encaps --alg a signature algorithm", 2, &["encaps", "--alg", "ed25519", "--pub-raw", "ed.pub.raw"], &["ed25519 is a signature algorithm, not a KEM"]),
        row("encaps --alg unknown", 2, &["encaps", "--alg", "kyber", "--pub-raw", "ek.ff"], &[UNSUPPORTED, "unknown algorithm \"kyber\""]),
        row("encaps with a key the [kem] section does not name", 2, &["--config", "kem512.toml", "encaps", "--pub", "kem.key.pub", "--out-ct", "new.ct"], &[POLICY, "[kem] algorithm = \"ml-kem-512\"", "ml-kem-768"]),
        row("encaps --out-ct and --out-secret the same file", 2, &["encaps", "--pub", "kem.key.pub", "--out-ct", "same", "--out-secret", "same"], &["--out-ct and --out-secret name the same file"]),
        row("encaps --out-ct exists", 2, &["encaps", "--pub", "kem.key.pub", "--out-ct", "exists", "--out-secret", "new.ss"], &["exists already exists"]),
        row("encaps --out-secret exists", 2, &["encaps", "--pub", "kem.key.pub", "--out-ct", "new.ct", "--out-secret", "exists"], &["exists already exists"]),
        row("encaps --out-secret unwritable (no ciphertext without its secret)", 2, &["encaps", "--pub", "kem.key.pub", "--out-ct", "new.ct", "--out-secret", "nodir/ss"], &["cannot write nodir/ss"]),
        row("encaps --out-ct unwritable", 2, &["encaps", "--pub", "kem.key.pub", "--out-ct", "nodir/ct", "--out-secret", "new.ss"], &["cannot write nodir/ct"]),
        row("decaps --key a signature key", 2, &["decaps", "--key", "ed.key", "--ct", "kem.ct"], &["holds a ed25519 secret key, not a KEM decapsulation key"]),
        row("decaps --key an encapsulation key", 2, &["decaps", "--key", "kem.key.pub", "--ct", "kem.ct"], &["expected a tagged secret key, got a public key (ml-kem-768)"]),
        row("decaps --key garbage", 2, &["decaps", "--key", "garbage", "--ct", "kem.ct", "--out", "new.ss"], &[INVALID, "not a KEM decapsulation key in any form"]),
        row("decaps --key missing", 2, &["decaps", "--key", "nope.key", "--ct", "kem.ct"], &["cannot read nope.key"]),
        row("decaps --ct missing", 2, &["decaps", "--key", "kem.key", "--ct", "nope.ct"], &["cannot read nope.ct"]),
        row("decaps --ct empty", 2, &["decaps", "--key", "kem.key", "--ct", "empty", "--out", "new.ss"], &[INVALID, "ml-kem-768 ciphertext must be 1088 bytes long, got 0 bytes"]),
        row("decaps --ct bare bytes of the wrong length", 2, &["decaps", "--key", "kem.key", "--ct", "m", "--out", "new.ss"], &[INVALID, "(bare ciphertext bytes)", "got 11 bytes"]),
        row("decaps --ct of another ML-KEM", 2, &["decaps", "--key", "kem.key", "--ct", "kem512.ct", "--out", "new.ss"], &[INVALID, "algorithm mismatch", "ml-kem-512"]),
        row("decaps --ct a signature", 2, &["decaps", "--key", "kem.key", "--ct", "ed.sig", "--out", "new.ss"], &[INVALID, "expected a tagged ciphertext, got a signature"]),
        row("decaps with a key the [kem] section does not name", 2, &["--config", "kem512.toml", "decaps", "--key", "kem.key", "--ct", "kem.ct", "--out", "new.ss"], &[POLICY, "[kem] algorithm = \"ml-kem-512\""]),
        row("decaps --out exists", 2, &["decaps", "--key", "kem.key", "--ct", "kem.ct", "--out", "exists"], &["exists already exists"]),
        row("decaps --force without --out", 2, &["decaps", "--key", "kem.key", "--ct", "kem.ct", "--force"], &["--out <FILE>"]),
    ]
}

#[rustfmt::skip]
fn rows_migrate_corpus_golden_audit(workspace: &str) -> Vec<Row> {
    let migrate = |extra: &[&str]| -> Vec<String> {
        let mut a = vec![
            "migrate",
            "--corpus",
            "c.jsonl",
            "--to",
            "ml-dsa-44",
            "--out",
            "mig-out",
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_string).collect()
    };
    let m = |name: &str, extra: &[&str], needles: &[&str]| {
        let args = migrate(extra);
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        row(name, 2, &a, needles)
    };
    let manifest = format!("{workspace}/Cargo.toml");
    vec![
        row("migrate without --to", 2, &["migrate", "--corpus", "c.jsonl", "--out", "mig-out"], &["--to <ALG>"]),
        row("migrate --corpus missing", 2, &["migrate", "--corpus", "nope.jsonl", "--to", "ml-dsa-44", "--out", "mig-out"], &["migrate: nope.jsonl has no manifest beside it"]),
        row("migrate --corpus not a corpus", 2, &["migrate", "--corpus", "m", "--to", "ml-dsa-44", "--out", "mig-out"], &["migrate:"]),
        row("migrate --to unknown", 2, &["migrate", "--corpus", "c.jsonl", "--to", "rsa", "--out", "mig-out"], &["--to: unsupported: unknown algorithm \"rsa\""]),
        row("migrate --to a KEM", 2, &["migrate", "--corpus", "c.jsonl", "--to", "ml-kem-768", "--out", "mig-out"], &["ml-kem-768 is a KEM: a corpus holds signatures"]),
        row("migrate --to ed25519 without a cross-verifier", 2, &["migrate", "--corpus", "c.jsonl", "--to", "ed25519", "--out", "mig-out"], &["no provider other than dalek serves ed25519"]),
        row("migrate --to the placeholder without --allow-insecure", 2, &["migrate", "--corpus", "c.jsonl", "--to", "insecure-test-hmac-sha256", "--out", "mig-out"], &["INSECURE", "--allow-insecure"]),
        m("migrate --provider unknown", &["--provider", "nosuch"], &[UNSUPPORTED, "provider \"nosuch\" does not serve ml-dsa-44"]),
        m("migrate --provider pqclean (not deterministic)", &["--provider", "pqclean"], &["provider pqclean cannot sign ml-dsa-44 deterministically"]),
        m("migrate --cross-verify the signer", &["--cross-verify", "liboqs"], &["the cross-verifier must differ from the signing provider liboqs"]),
        m("migrate --cross-verify with --no-cross-verify", &["--cross-verify", "pqclean", "--no-cross-verify"], &["cannot be used with"]),
        m("migrate --shard out of range", &["--shard", "5/2"], &["--shard \"5/2\": expected I/N"]),
        m("migrate --shard not I/N", &["--shard", "half"], &["--shard \"half\": expected I/N"]),
        m("migrate --shard 0/0", &["--shard", "0/0"], &["expected I/N with 0 <= I < N"]),
        m("migrate --jobs 0", &["--jobs", "0"], &["--jobs, the chunk size and --checkpoint-every must be at least 1"]),
        m("migrate --jobs not a number", &["--jobs", "many"], &["invalid value 'many' for '--jobs <N>'"]),
        m("migrate --checkpoint-every 0", &["--checkpoint-every", "0"], &["must be at least 1"]),
        m("migrate --master-seed too short", &["--master-seed", "short.seed"], &["master seed file short.seed has 10 bytes; at least 32 are needed"]),
        m("migrate --master-seed missing", &["--master-seed", "nope.seed"], &["nope.seed"]),
        m("migrate --keystore missing", &["--keystore", "nope.json"], &["nope.json"]),
        m("migrate --keystore not a keystore", &["--keystore", "m"], &["migrate:"]),
        row("migrate into an --out that already holds outputs", 2, &["migrate", "--corpus", "c.jsonl", "--to", "ml-dsa-44", "--out", "migrated", "--jobs", "1"], &["migrate:", "migrated"]),
        row("corpus generate --alg unknown", 2, &["corpus", "generate", "--alg", "rsa", "--records", "2", "--keys", "1", "--seed", "01", "--out", "g.jsonl"], &[UNSUPPORTED, "unknown algorithm \"rsa\""]),
        row("corpus generate --alg a KEM", 2, &["corpus", "generate", "--alg", "ml-kem-768", "--records", "2", "--keys", "1", "--seed", "01", "--out", "g.jsonl"], &[INVALID, "ml-kem-768 is a KEM"]),
        row("corpus generate of the placeholder without --allow-insecure", 2, &["corpus", "generate", "--alg", "insecure-test-hmac-sha256", "--records", "2", "--keys", "1", "--seed", "01", "--out", "g.jsonl"], &["INSECURE", "--allow-insecure"]),
        row("corpus generate --provider pqclean (no seeds)", 2, &["corpus", "generate", "--alg", "ml-dsa-44", "--provider", "pqclean", "--records", "2", "--keys", "1", "--seed", "01", "--out", "g.jsonl"], &[INVALID, "provider pqclean cannot derive ml-dsa-44 keys from seeds"]),
        row("corpus generate --provider unknown", 2, &["corpus", "generate", "--alg", "ml-dsa-44", "--provider", "nosuch", "--records", "2", "--keys", "1", "--seed", "01", "--out", "g.jsonl"], &[UNSUPPORTED, "provider \"nosuch\""]),
        row("corpus generate --seed not hex", 2, &["corpus", "generate", "--alg", "ed25519", "--records", "2", "--keys", "1", "--seed", "zz", "--out", "g.jsonl"], &["--seed must be hex"]),
        row("corpus generate --seed empty", 2, &["corpus", "generate", "--alg", "ed25519", "--records", "2", "--keys", "1", "--seed", "", "--out", "g.jsonl"], &[INVALID, "the seed must not be empty"]),
        row("corpus generate --keys 0", 2, &["corpus", "generate", "--alg", "ed25519", "--records", "2", "--keys", "0", "--seed", "01", "--out", "g.jsonl"], &[INVALID, "at least one key"]),
        row("corpus generate --records not a number", 2, &["corpus", "generate", "--alg", "ed25519", "--records", "many", "--keys", "1", "--seed", "01", "--out", "g.jsonl"], &["invalid value 'many' for '--records <N>'"]),
        row("corpus generate --out not .jsonl", 2, &["corpus", "generate", "--alg", "ed25519", "--records", "2", "--keys", "1", "--seed", "01", "--out", "g.txt"], &["must end with \".jsonl\""]),
        row("corpus generate --out exists", 2, &["corpus", "generate", "--alg", "ed25519", "--records", "2", "--keys", "1", "--seed", "01", "--out", "c.jsonl"], &["c.jsonl already exists; refusing to overwrite it"]),
        // A missing directory is created (issue 21: the README's `--out in/c.jsonl`); one
        // that cannot be, because a regular file has its name, is an error.
        row("corpus generate --out under a regular file", 2, &["corpus", "generate", "--alg", "ed25519", "--records", "2", "--keys", "1", "--seed", "01", "--out", "m/g.jsonl"], &["m/g.jsonl: Not a directory"]),
        row("corpus verify --manifest missing", 2, &["corpus", "verify", "--manifest", "nope.json"], &["nope.json"]),
        row("corpus verify --manifest not JSON", 2, &["corpus", "verify", "--manifest", "m"], &["m:"]),
        row("corpus verify --manifest a corpus file", 2, &["corpus", "verify", "--manifest", "c.jsonl"], &["c.jsonl"]),
        row("corpus verify a corpus with an invalid signature", 1, &["corpus", "verify", "--manifest", "t.manifest.json"], &["invalid signature: record t-000001"]).stdout_allowed(),
        row("golden generate into a file", 2, &["golden", "generate", "--dir", "m"], &["cannot create m/vectors"]),
        row("golden check of an empty directory", 2, &["golden", "check", "--dir", "emptydir"], &["golden file emptydir/vectors/", "differs", "hint:"]),
        row("golden check of a missing directory", 2, &["golden", "check", "--dir", "nope"], &["golden file nope/vectors/", "differs"]),
        row("audit --config unknown key", 2, &["--config", "unknown-key.toml", "audit"], &[INVALID, "unknown field `bogus`"]),
        row("audit --config missing", 2, &["--config", "missing.toml", "audit"], &["cannot read configuration file missing.toml"]),
        row("audit outside the source tree", 2, &["audit"], &["pqshift audit needs the pqshift source tree"]),
        row("audit --manifest-path missing", 2, &["audit", "--manifest-path", "nope/Cargo.toml"], &["needs the pqshift source tree", "nope/Cargo.toml"]),
        row("audit --force without --cbom", 2, &["audit", "--force"], &["--cbom <FILE>"]),
        row("audit --cbom exists", 2, &["audit", "--manifest-path", &manifest, "--cbom", "exists"], &["exists already exists; refusing to overwrite it"]),
        row("audit of a configuration pqshift refuses: a high finding", 1, &["--config", "unknown-alg.toml", "audit", "--manifest-path", &manifest], &[]).stdout_allowed(),
    ]
}

// ---------------------------------------------------------------------------
// The tests: one per group of commands, so that they run in parallel
// ---------------------------------------------------------------------------

#[test]
fn matrix_usage_and_configuration() {
    let mut e = fixtures();
    run_matrix(
        "usage and configuration",
        &mut e,
        rows_usage_and_configuration(),
    );
}

#[test]
fn matrix_keygen_sign_verify_pubkey() {
    let mut e = fixtures();
    let mut rows = rows_keygen();
    rows.extend(rows_sign());
    rows.extend(rows_verify());
    rows.extend(rows_pubkey());
    run_matrix("keygen, sign, verify, pubkey", &mut e, rows);
}

#[test]
fn matrix_encaps_decaps() {
    let mut e = fixtures();
    run_matrix("encaps, decaps", &mut e, rows_kem());
}

#[test]
fn matrix_migrate_corpus_golden_audit() {
    let mut e = fixtures();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    run_matrix(
        "migrate, corpus, golden, audit",
        &mut e,
        rows_migrate_corpus_golden_audit(&workspace),
    );
}
