//! End-to-end tests of the `pqshift` binary: every command, good and bad
//! input, exit codes and messages. Each run asserts that nothing panicked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::path::{Path, PathBuf};

use common::{is_hex, linked_providers, Env};

const PLACEHOLDER: &str = "insecure-test-hmac-sha256";

// RFC 8032 §7.1 TEST 1 (checked against ../shared/vectors when present).
const RFC_SK: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const RFC_PK: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const RFC_SIG: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

const INSECURE_CONFIG: &str =
    "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n\n[policy]\nallow_insecure = true\n";
const INSECURE_REFUSED_CONFIG: &str = "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n";

// ---------------------------------------------------------------- help, usage

#[test]
fn help_documents_exit_codes_and_usage_errors_exit_2() {
    let e = Env::new();
    let o = e.run(&["--help"]);
    o.ok();
    assert!(o.stdout.contains("EXIT STATUS"), "{}", o.stdout);
    assert!(o
        .stdout
        .contains("1  `verify` only: the signature is invalid"));
    assert!(o.stdout.contains("PQSHIFT_CONFIG"));
    let o = e.run(&["sign", "--help"]);
    o.ok();
    assert!(o.stdout.contains("lowercase hex"), "{}", o.stdout);

    let o = e.run(&[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("Usage"), "{}", o.stderr);
    let o = e.run(&["frobnicate"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("frobnicate"), "{}", o.stderr);
    // verify needs exactly one of --pub / --key.
    let o = e.run(&["verify", "--sig", "s"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--pub"), "{}", o.stderr);
    let o = e.run(&["verify", "--pub", "a", "--key", "b", "--sig", "s"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("cannot be used with"), "{}", o.stderr);
    let o = e.run(&["sign", "--key", "k", "--format", "base64"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("base64"), "{}", o.stderr);
}

// ------------------------------------------------------------------ providers

#[test]
fn providers_json_lists_dalek_and_insecure_placeholder() {
    let e = Env::new();
    let o = e.run(&["providers", "--json"]);
    o.ok();
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let list = v.as_array().expect("an array");
    let find = |alg: &str, prov: &str| {
        list.iter()
            .find(|x| x["algorithm"] == alg && x["provider"] == prov)
            .unwrap_or_else(|| panic!("{alg}/{prov} not listed: {v}"))
            .clone()
    };
    let ed = find("ed25519", "dalek");
    assert_eq!(ed["self_test"], "passed");
    assert_eq!(ed["status"], "self-tested");
    assert_eq!(ed["kind"], "signature");
    assert_eq!(ed["preferred"], true);
    assert!(ed["backend"].as_str().unwrap().contains("ed25519-dalek"));
    assert!(ed["capabilities"]["seeded_keygen"].as_bool().unwrap());
    let ph = find(PLACEHOLDER, "placeholder");
    assert_eq!(ph["status"], "insecure");
    assert_eq!(ph["kind"], "mac");
    assert_eq!(ph["self_test"], "passed");
}

#[test]
fn providers_table_for_humans() {
    let e = Env::new();
    let o = e.run(&["providers"]);
    o.ok();
    let first = o.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("ALGORITHM") && first.contains("SELF-TEST"),
        "{first}"
    );
    let ed = o
        .stdout
        .lines()
        .find(|l| l.starts_with("ed25519 "))
        .unwrap();
    assert!(
        ed.contains("dalek") && ed.contains("self-tested") && ed.contains("passed"),
        "{ed}"
    );
    let ph = o
        .stdout
        .lines()
        .find(|l| l.starts_with(PLACEHOLDER))
        .unwrap();
    assert!(ph.contains("insecure"), "{ph}");
}

// --------------------------------------------------------------------- doctor

#[test]
fn doctor_reports_builtin_default() {
    let e = Env::new();
    let o = e.run(&["doctor"]);
    o.ok();
    assert!(
        o.stdout.contains("configuration: built-in default"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("[sign]    ed25519 via dalek"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("allow_insecure = false"), "{}", o.stdout);
    // Every other algorithm line agrees with `providers --json`: served by the
    // preferred provider (naming the others), or "not served" when none is linked.
    let linked = linked_providers(&e);
    for (alg, providers) in &linked {
        if alg == "ed25519" {
            continue;
        }
        let line = o
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{alg} ")))
            .unwrap_or_else(|| panic!("doctor does not list {alg}: {}", o.stdout));
        match providers.first() {
            None => assert!(line.contains("not served"), "{line}"),
            Some(preferred) => {
                assert!(line.contains(&format!("served by {preferred}")), "{line}");
                for other in &providers[1..] {
                    assert!(line.contains(other.as_str()), "{line} lacks {other}");
                }
            }
        }
    }

    let o = e.run(&["doctor", "--json"]);
    o.ok();
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["config"]["source"], "built-in default");
    assert!(v["config"]["path"].is_null());
    assert_eq!(v["sign"]["algorithm"], "ed25519");
    assert_eq!(v["sign"]["provider"], "dalek");
    assert_eq!(v["verify"]["accept"][0]["algorithm"], "ed25519");
    assert_eq!(v["allow_insecure"], false);
    assert_eq!(v["self_test"], "on-load");
    let algs = v["algorithms"].as_array().unwrap();
    assert_eq!(algs.len(), 8, "every known algorithm is listed");
    for (alg, providers) in &linked {
        let a = algs
            .iter()
            .find(|a| a["algorithm"] == alg.as_str())
            .unwrap();
        match providers.first() {
            None => assert!(a["served_by"].is_null(), "{a}"),
            Some(p) if alg != "ed25519" => assert_eq!(a["served_by"], p.as_str(), "{a}"),
            Some(_) => assert_eq!(a["served_by"], "dalek", "{a}"),
        }
    }
    assert!(v["providers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["provider"] == "dalek"));
}

#[test]
fn doctor_with_config_shows_the_path() {
    let e = Env::new();
    let cfg = e.write(
        "mixed.toml",
        "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"insecure-test-hmac-sha256\"]\n[policy]\nallow_insecure = true\nself_test = \"on-first-use\"\n",
    );
    let o = e.run(&["--config", &cfg, "doctor"]);
    o.ok();
    assert!(o.stdout.contains(&format!("path: {cfg}")), "{}", o.stdout);
    assert!(o.stdout.contains("(--config)"), "{}", o.stdout);
    assert!(
        o.stdout
            .contains("insecure-test-hmac-sha256 via placeholder"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("self_test = on-first-use"),
        "{}",
        o.stdout
    );

    // --config is global: it may follow the subcommand as well.
    let o = e.run(&["doctor", "--json", "--config", &cfg]);
    o.ok();
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["config"]["source"], "--config");
    assert_eq!(v["config"]["path"], cfg.as_str());
    assert_eq!(v["allow_insecure"], true);
    assert_eq!(v["verify"]["accept"][1]["provider"], "placeholder");
}

#[test]
fn pqshift_config_env_is_honoured_and_config_flag_wins() {
    let mut e = Env::new();
    let cfg = e.write("insecure.toml", INSECURE_CONFIG);
    e.config_env = Some(PathBuf::from(&cfg));
    let o = e.run(&["doctor"]);
    o.ok();
    assert!(
        o.stdout.contains(&format!("{cfg} (PQSHIFT_CONFIG)")),
        "{}",
        o.stdout
    );
    let o = e.run(&["doctor", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["config"]["source"], "PQSHIFT_CONFIG");
    assert_eq!(v["sign"]["algorithm"], PLACEHOLDER);

    // keygen's default algorithm comes from the environment's configuration.
    e.keygen("mac.key", &[]);
    assert!(e
        .read_text("mac.key")
        .starts_with("pqshift1:sec:insecure-test-hmac-sha256:"));

    // An explicit --config wins over PQSHIFT_CONFIG.
    let ed = e.write("ed.toml", "[sign]\nalgorithm = \"ed25519\"\n");
    let o = e.run(&["--config", &ed, "doctor", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["sign"]["algorithm"], "ed25519");

    // A PQSHIFT_CONFIG naming a missing file fails closed.
    e.config_env = Some(e.path("nope.toml"));
    e.run(&["doctor"]).fails(&["nope.toml", "PQSHIFT_CONFIG"]);
    e.run(&["keygen", "--out", "x"]).fails(&["nope.toml"]);
    assert!(!e.path("x").exists());
}

#[test]
fn bad_configurations_fail_closed_naming_the_file_and_key() {
    let e = Env::new();
    let bad = e.write("broken.toml", "[sign\nalgorithm = ed25519\n");
    e.run(&["--config", &bad, "doctor"]).fails(&["broken.toml"]);
    e.run(&["--config", &bad, "keygen", "--out", "k"])
        .fails(&["broken.toml"]);
    e.run_stdin(&["--config", &bad, "sign", "--key", "k"], b"m")
        .fails(&["broken.toml"]);

    let unknown = e.write(
        "unknown.toml",
        "[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecure = false\nalow_insecure = true\n",
    );
    e.run(&["--config", &unknown, "doctor"])
        .fails(&["unknown.toml", "alow_insecure"]);

    // A provider that does not serve the algorithm.
    let wrong = e.write(
        "wrong-provider.toml",
        "[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"dalek\"\n",
    );
    e.run(&["--config", &wrong, "doctor"]).fails(&[
        "wrong-provider.toml",
        "[sign] algorithm",
        "\"dalek\" does not serve ml-dsa-65",
    ]);
    // An algorithm no linked provider serves, when this build has one.
    for (alg, providers) in linked_providers(&e) {
        if providers.is_empty() {
            let unserved = e.write("unserved.toml", format!("[sign]\nalgorithm = \"{alg}\"\n"));
            e.run(&["--config", &unserved, "doctor"])
                .fails(&[&alg, "no linked provider"]);
        }
    }

    e.run(&["--config", &e.p("missing.toml"), "doctor"])
        .fails(&["missing.toml"]);
}

// ------------------------------------------------------- ed25519 end to end

#[test]
fn ed25519_round_trip_tagged_and_raw_stdin_and_file() {
    let e = Env::new();
    let fp = e.keygen("ed.key", &[]);
    let key_text = e.read_text("ed.key");
    assert!(
        key_text.starts_with(&format!("pqshift1:sec:ed25519:{fp}:")),
        "{key_text}"
    );
    assert!(key_text.ends_with('\n'));
    let pub_text = e.read_text("ed.key.pub");
    assert!(
        pub_text.starts_with(&format!("pqshift1:pub:ed25519:{fp}:")),
        "{pub_text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(e.path("ed.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "secret key mode {mode:o}");
    }
    let msg = e.write("msg.txt", "a stored record\n");

    // Tagged, file input.
    let o = e.run(&["sign", "--key", "ed.key", &msg]);
    o.ok();
    assert!(o.stdout.starts_with("pqshift1:sig:ed25519:") && o.stdout.ends_with('\n'));
    assert_eq!(o.stdout.lines().count(), 1);
    e.write("msg.sig", &o.stdout);
    e.run(&["verify", "--pub", "ed.key.pub", "--sig", "msg.sig", &msg])
        .valid();
    // A secret key verifies a signature too.
    e.run(&["verify", "--key", "ed.key", "--sig", "msg.sig", &msg])
        .valid();
    // Tampered message.
    let bad = e.write("tampered.txt", "a stored recorD\n");
    e.run(&["verify", "--pub", "ed.key.pub", "--sig", "msg.sig", &bad])
        .invalid();
    e.run(&["verify", "--key", "ed.key", "--sig", "msg.sig", &bad])
        .invalid();

    // Tagged, stdin, --out.
    e.run_stdin(
        &["sign", "--key", "ed.key", "--out", "stdin.sig"],
        b"from stdin",
    )
    .ok();
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "stdin.sig"],
        b"from stdin",
    )
    .valid();
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "stdin.sig"],
        b"from stdin!",
    )
    .invalid();

    // Raw on stdout is lowercase hex; verify reads the hex back.
    let o = e.run_stdin(&["sign", "--key", "ed.key", "--format", "raw"], b"raw");
    o.ok();
    let hex_sig = o.stdout.trim().to_string();
    assert_eq!(hex_sig.len(), 128, "{hex_sig}");
    assert!(is_hex(&hex_sig));
    e.write("raw.hex", &o.stdout);
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "raw.hex"],
        b"raw",
    )
    .valid();
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "raw.hex"],
        b"wrong",
    )
    .invalid();
    // Uppercase hex without a newline is read as well.
    e.write("raw.HEX", hex_sig.to_uppercase());
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "raw.HEX"],
        b"raw",
    )
    .valid();

    // Raw with --out is the bare bytes.
    e.run_stdin(
        &[
            "sign",
            "--key",
            "ed.key",
            "--format",
            "raw",
            "--out",
            "raw.bin",
            "--deterministic",
        ],
        b"raw",
    )
    .ok();
    let bin = e.read("raw.bin");
    assert_eq!(hex::encode(&bin), hex_sig, "Ed25519 is deterministic");
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "raw.bin"],
        b"raw",
    )
    .valid();
    let mut flipped = bin.clone();
    flipped[10] ^= 1;
    e.write("flipped.bin", &flipped);
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "flipped.bin"],
        b"raw",
    )
    .invalid();

    // sign --out refuses to overwrite without --force.
    e.run_stdin(&["sign", "--key", "ed.key", "--out", "raw.bin"], b"raw")
        .fails(&["already exists", "--force"]);
    assert_eq!(e.read("raw.bin"), bin);
    e.run_stdin(
        &["sign", "--key", "ed.key", "--out", "raw.bin", "--force"],
        b"raw",
    )
    .ok();
    assert!(e.read_text("raw.bin").starts_with("pqshift1:sig:ed25519:"));
}

#[test]
fn ed25519_binary_tagged_forms_are_read() {
    let e = Env::new();
    e.keygen("ed.key", &[]);
    let o = e.run_stdin(&["sign", "--key", "ed.key"], b"bin");
    let sig = pqshift::Tagged::from_text(&o.stdout).unwrap();
    e.write("sig.bin", &*sig.to_bytes());
    let public = pqshift::Tagged::from_text(&e.read_text("ed.key.pub")).unwrap();
    e.write("pub.bin", &*public.to_bytes());
    let secret = pqshift::Tagged::from_text(&e.read_text("ed.key")).unwrap();
    e.write("key.bin", &*secret.to_bytes());
    e.run_stdin(&["verify", "--pub", "pub.bin", "--sig", "sig.bin"], b"bin")
        .valid();
    e.run_stdin(&["verify", "--key", "key.bin", "--sig", "sig.bin"], b"bin")
        .valid();
    e.run_stdin(&["verify", "--pub", "pub.bin", "--sig", "sig.bin"], b"bim")
        .invalid();
    e.run_stdin(&["sign", "--key", "key.bin", "--out", "again.sig"], b"bin")
        .ok();
    e.run_stdin(
        &["verify", "--pub", "pub.bin", "--sig", "again.sig"],
        b"bin",
    )
    .valid();
}

#[test]
fn rfc8032_test1_through_the_cli() {
    if let Some(v) = pqshift_test_support::load_json("rfc8032/ed25519_rfc8032_7_1.json") {
        let t = &v["tests"][0];
        assert_eq!(t["name"], "TEST 1");
        assert_eq!(
            pqshift_test_support::hex_field(t, "secretKey"),
            hex::decode(RFC_SK).unwrap()
        );
        assert_eq!(
            pqshift_test_support::hex_field(t, "publicKey"),
            hex::decode(RFC_PK).unwrap()
        );
        assert_eq!(
            pqshift_test_support::hex_field(t, "signature"),
            hex::decode(RFC_SIG).unwrap()
        );
        assert!(pqshift_test_support::hex_field(t, "message").is_empty());
    }
    let e = Env::new();
    e.keygen(
        "rfc.key",
        &["--seed", RFC_SK, "--alg", "Ed25519", "--provider", "dalek"],
    );
    let o = e.run(&["pubkey", "--key", "rfc.key", "--format", "raw"]);
    o.ok();
    assert_eq!(o.stdout, format!("{RFC_PK}\n"));
    e.run(&[
        "pubkey", "--key", "rfc.key", "--format", "raw", "--out", "rfc.pk",
    ])
    .ok();
    assert_eq!(hex::encode(e.read("rfc.pk")), RFC_PK);
    let o = e.run(&["pubkey", "--key", "rfc.key"]);
    o.ok();
    assert_eq!(o.stdout, e.read_text("rfc.key.pub"));

    let o = e.run_stdin(&["sign", "--key", "rfc.key", "--format", "raw"], b"");
    o.ok();
    assert_eq!(o.stdout, format!("{RFC_SIG}\n"));
    e.write("empty", b"");
    e.write("rfc.sig", hex::decode(RFC_SIG).unwrap());
    e.run(&[
        "verify",
        "--pub",
        "rfc.key.pub",
        "--sig",
        "rfc.sig",
        &e.p("empty"),
    ])
    .valid();
    e.run_stdin(
        &["verify", "--pub", "rfc.key.pub", "--sig", "rfc.sig"],
        b"x",
    )
    .invalid();
}

#[test]
fn ed25519_context_is_refused_and_the_limit_error_surfaces() {
    // Pure Ed25519 (RFC 8032) has no context string: the provider says so.
    let e = Env::new();
    e.keygen("ed.key", &[]);
    e.run_stdin(&["sign", "--key", "ed.key", "--context", "0102"], b"m")
        .fails(&["context"]);
    e.run_stdin(&["sign", "--key", "ed.key", "--out", "s"], b"m")
        .ok();
    e.run_stdin(
        &[
            "verify",
            "--pub",
            "ed.key.pub",
            "--sig",
            "s",
            "--context",
            "01",
        ],
        b"m",
    )
    .fails(&["context"]);
    // An empty context is the default.
    e.run_stdin(
        &[
            "verify",
            "--pub",
            "ed.key.pub",
            "--sig",
            "s",
            "--context",
            "",
        ],
        b"m",
    )
    .valid();
    let long = "ab".repeat(256);
    e.run_stdin(&["sign", "--key", "ed.key", "--context", &long], b"m")
        .fails(&["context"]);
    e.run_stdin(&["sign", "--key", "ed.key", "--context", "xyz"], b"m")
        .fails(&["--context must be hex"]);
}

// --------------------------------------------------------- the placeholder

#[test]
fn placeholder_flow_with_allow_insecure() {
    let e = Env::new();
    let cfg = e.write("insecure.toml", INSECURE_CONFIG);
    let o = e.run(&["--config", &cfg, "keygen", "--out", "mac.key"]);
    o.ok();
    assert!(
        is_hex(o.stdout.trim()) && o.stdout.trim().len() == 64,
        "{o:?}"
    );
    o.mentions(&["MAC", "verifies with the secret key", "INSECURE"]);
    assert!(e.path("mac.key").exists());
    assert!(
        !e.path("mac.key.pub").exists(),
        "a MAC has no public key file"
    );

    let ctx = "c0ffee";
    let msg = e.write("m", "placeholder message");
    e.run(&[
        "--config",
        &cfg,
        "sign",
        "--key",
        "mac.key",
        "--context",
        ctx,
        "--out",
        "m.sig",
        &msg,
    ])
    .ok();
    assert!(e
        .read_text("m.sig")
        .starts_with("pqshift1:sig:insecure-test-hmac-sha256:"));
    e.run(&[
        "--config",
        &cfg,
        "verify",
        "--key",
        "mac.key",
        "--sig",
        "m.sig",
        "--context",
        ctx,
        &msg,
    ])
    .valid();
    // Wrong context, missing context, tampered message: invalid (exit 1).
    e.run(&[
        "--config",
        &cfg,
        "verify",
        "--key",
        "mac.key",
        "--sig",
        "m.sig",
        "--context",
        "c0ffef",
        &msg,
    ])
    .invalid();
    e.run(&[
        "--config", &cfg, "verify", "--key", "mac.key", "--sig", "m.sig", &msg,
    ])
    .invalid();
    let bad = e.write("bad", "placeholder messagE");
    e.run(&[
        "--config",
        &cfg,
        "verify",
        "--key",
        "mac.key",
        "--sig",
        "m.sig",
        "--context",
        ctx,
        &bad,
    ])
    .invalid();

    // Raw hex on stdout, read back by verify, stdin input.
    let o = e.run_stdin(
        &[
            "--config", &cfg, "sign", "--key", "mac.key", "--format", "raw",
        ],
        b"s",
    );
    o.ok();
    assert_eq!(o.stdout.trim().len(), 64);
    e.write("s.hex", &o.raw_stdout);
    e.run_stdin(
        &[
            "--config", &cfg, "verify", "--key", "mac.key", "--sig", "s.hex",
        ],
        b"s",
    )
    .valid();
    e.run_stdin(
        &[
            "--config", &cfg, "verify", "--key", "mac.key", "--sig", "s.hex",
        ],
        b"t",
    )
    .invalid();

    // No public key.
    e.run(&["pubkey", "--key", "mac.key"])
        .fails(&["no public key", "MAC"]);
    // Context over 255 bytes: the limit is in the message.
    let long = "00".repeat(256);
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "sign",
            "--key",
            "mac.key",
            "--context",
            &long,
        ],
        b"m",
    )
    .fails(&["at most 255 bytes", "256"]);
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--key",
            "mac.key",
            "--sig",
            "s.hex",
            "--context",
            &long,
        ],
        b"s",
    )
    .fails(&["at most 255 bytes"]);
    // Exactly 255 bytes is fine.
    let max = "01".repeat(255);
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "sign",
            "--key",
            "mac.key",
            "--context",
            &max,
            "--out",
            "max.sig",
        ],
        b"m",
    )
    .ok();
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--key",
            "mac.key",
            "--sig",
            "max.sig",
            "--context",
            &max,
        ],
        b"m",
    )
    .valid();
}

#[test]
fn placeholder_without_allow_insecure_is_refused() {
    let e = Env::new();
    // Under the default configuration.
    e.run(&["keygen", "--alg", PLACEHOLDER, "--out", "mac.key"])
        .fails(&["allow_insecure", "INSECURE"]);
    assert!(!e.path("mac.key").exists());
    // A configuration that signs with it but does not allow it does not even load.
    let cfg = e.write("refused.toml", INSECURE_REFUSED_CONFIG);
    e.run(&["--config", &cfg, "keygen", "--out", "mac.key"])
        .fails(&["allow_insecure", "refused.toml"]);
    e.run(&["--config", &cfg, "doctor"])
        .fails(&["allow_insecure"]);

    // A MAC key made elsewhere is refused by the default configuration's policy.
    let ok = e.write("insecure.toml", INSECURE_CONFIG);
    e.run(&["--config", &ok, "keygen", "--out", "mac.key"]).ok();
    e.run_stdin(
        &[
            "--config", &ok, "sign", "--key", "mac.key", "--out", "m.sig",
        ],
        b"m",
    )
    .ok();
    e.run_stdin(&["sign", "--key", "mac.key"], b"m").fails(&[
        "mismatch",
        "--config",
        "[sign] algorithm",
    ]);
    e.run_stdin(&["verify", "--key", "mac.key", "--sig", "m.sig"], b"m")
        .fails(&["not accepted", "[verify] accept"]);
}

// ------------------------------------------------------------- mismatches

#[test]
fn algorithm_mismatches_exit_2() {
    let e = Env::new();
    let cfg = e.write("insecure.toml", INSECURE_CONFIG);
    e.keygen("ed.key", &[]);
    e.run(&["--config", &cfg, "keygen", "--out", "mac.key"])
        .ok();
    e.run_stdin(
        &[
            "--config", &cfg, "sign", "--key", "mac.key", "--out", "mac.sig",
        ],
        b"m",
    )
    .ok();
    e.run_stdin(&["sign", "--key", "ed.key", "--out", "ed.sig"], b"m")
        .ok();

    // An ed25519 key with a placeholder-tagged signature, and the reverse.
    e.run_stdin(&["verify", "--pub", "ed.key.pub", "--sig", "mac.sig"], b"m")
        .fails(&["algorithm mismatch", "mac.sig"]);
    e.run_stdin(&["verify", "--key", "ed.key", "--sig", "mac.sig"], b"m")
        .fails(&["algorithm mismatch"]);
    e.run_stdin(
        &[
            "--config", &cfg, "verify", "--key", "mac.key", "--sig", "ed.sig",
        ],
        b"m",
    )
    .fails(&["algorithm mismatch"]);
    // A key of another algorithm than the configuration signs with.
    e.run_stdin(&["--config", &cfg, "sign", "--key", "ed.key"], b"m")
        .fails(&["algorithm mismatch", "--config"])
        .mentions(&["signs with insecure-test-hmac-sha256"]);

    // Wrong kinds of object.
    e.run_stdin(&["verify", "--pub", "ed.key", "--sig", "ed.sig"], b"m")
        .fails(&["expected a tagged public key", "--key"]);
    e.run_stdin(&["verify", "--key", "ed.key.pub", "--sig", "ed.sig"], b"m")
        .fails(&["expected a tagged secret key"]);
    e.run_stdin(&["sign", "--key", "ed.key.pub"], b"m")
        .fails(&["expected a tagged secret key"]);
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "ed.key.pub"],
        b"m",
    )
    .fails(&["expected a tagged signature"]);
}

// --------------------------------------------------------------- bad input

#[test]
fn truncated_signatures_exit_2() {
    let e = Env::new();
    e.keygen("ed.key", &[]);
    let o = e.run_stdin(&["sign", "--key", "ed.key"], b"m");
    let text = o.stdout.trim().to_string();
    // 86 base64url characters carry 64 bytes; 84 carry 63.
    e.write("cut.sig", &text[..text.len() - 2]);
    e.run_stdin(&["verify", "--pub", "ed.key.pub", "--sig", "cut.sig"], b"m")
        .fails(&["cut.sig", "must be 64 bytes long, got 63 bytes"]);
    e.write("cut4.sig", &text[..text.len() - 4]);
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "cut4.sig"],
        b"m",
    )
    .fails(&["cut4.sig", "invalid input"]);
    let bin = pqshift::Tagged::from_text(&text).unwrap().to_bytes();
    e.write("cut.bin", &bin[..bin.len() - 1]);
    e.run_stdin(&["verify", "--pub", "ed.key.pub", "--sig", "cut.bin"], b"m")
        .fails(&["cut.bin", "64 bytes"]);

    e.run_stdin(
        &[
            "sign", "--key", "ed.key", "--format", "raw", "--out", "raw.bin",
        ],
        b"m",
    )
    .ok();
    let raw = e.read("raw.bin");
    e.write("raw63.bin", &raw[..63]);
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "raw63.bin"],
        b"m",
    )
    .fails(&["must be 64 bytes long, got 63 bytes"]);
    e.write("raw63.hex", hex::encode(&raw[..63]));
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "raw63.hex"],
        b"m",
    )
    .fails(&["hex", "must be 64 bytes long, got 63 bytes"]);
    e.write("odd.hex", &hex::encode(&raw)[..127]);
    e.run_stdin(&["verify", "--pub", "ed.key.pub", "--sig", "odd.hex"], b"m")
        .fails(&["odd.hex"]);
    e.write("empty.sig", b"");
    e.run_stdin(
        &["verify", "--pub", "ed.key.pub", "--sig", "empty.sig"],
        b"m",
    )
    .fails(&["got 0 bytes"]);
}

#[test]
fn missing_and_garbage_files_exit_2() {
    let e = Env::new();
    e.keygen("ed.key", &[]);
    let missing = e.p("no-such.key");
    e.run_stdin(&["sign", "--key", &missing], b"m")
        .fails(&[&format!("cannot read {missing}:")]);
    e.run_stdin(&["verify", "--pub", &missing, "--sig", "x"], b"m")
        .fails(&[&format!("cannot read {missing}:")]);
    e.run(&["pubkey", "--key", &missing])
        .fails(&["cannot read", "no-such.key"]);
    let no_input = e.p("no-such-input");
    e.run(&["sign", "--key", "ed.key", &no_input])
        .fails(&[&format!("cannot read {no_input}:")]);
    e.run_stdin(&["sign", "--key", "ed.key", "--out", "s"], b"m")
        .ok();
    e.run(&["verify", "--pub", "ed.key.pub", "--sig", "no-such.sig", "x"])
        .fails(&["cannot read", "no-such.sig"]);
    e.run(&["verify", "--pub", "ed.key.pub", "--sig", "s", &no_input])
        .fails(&["cannot read", "no-such-input"]);

    e.write("garbage.key", b"\x00\x01garbage\xff not a key");
    e.run_stdin(&["sign", "--key", "garbage.key"], b"m")
        .fails(&["garbage.key", "not a secret key in any form pqshift reads"]);
    e.run(&["pubkey", "--key", "garbage.key"])
        .fails(&["garbage.key", "not a secret key"]);
    e.run_stdin(&["verify", "--pub", "garbage.key", "--sig", "s"], b"m")
        .fails(&["garbage.key", "not a public key in any form"]);
    e.write("bad-text.key", "pqshift1:sec:ed25519:zz:AAAA\n");
    e.run_stdin(&["sign", "--key", "bad-text.key"], b"m")
        .fails(&["bad-text.key", "fingerprint"]);

    // A key whose fingerprint does not match its seed.
    let text = e.read_text("ed.key");
    let parts: Vec<&str> = text.trim().split(':').collect();
    let other_fp = "00".repeat(32);
    e.write(
        "corrupt.key",
        format!(
            "{}:{}:{}:{}:{}\n",
            parts[0], parts[1], parts[2], other_fp, parts[4]
        ),
    );
    e.run_stdin(&["sign", "--key", "corrupt.key"], b"m")
        .fails(&["fingerprint does not match"]);
}

#[test]
fn keygen_seed_alg_provider_and_overwrite_checks() {
    let e = Env::new();
    e.run(&["keygen", "--seed", "00", "--out", "k"])
        .fails(&["--seed must be 32 bytes (64 hex digits) for ed25519, got 1 bytes"]);
    e.run(&["keygen", "--seed", &"00".repeat(33), "--out", "k"])
        .fails(&["32 bytes", "got 33"]);
    e.run(&["keygen", "--seed", "not hex", "--out", "k"])
        .fails(&["--seed must be hex"]);
    e.run(&["keygen", "--alg", "rsa-2048", "--out", "k"])
        .fails(&["unknown algorithm", "rsa-2048"]);
    // A KEM seed is d || z: 64 bytes.
    e.run(&[
        "keygen",
        "--alg",
        "ml-kem-768",
        "--seed",
        &"00".repeat(32),
        "--out",
        "k",
    ])
    .fails(&["--seed must be 64 bytes (128 hex digits: d || z) for ml-kem-768, got 32 bytes"]);
    e.run(&[
        "keygen",
        "--alg",
        "ml-dsa-65",
        "--provider",
        "dalek",
        "--out",
        "k",
    ])
    .fails(&["\"dalek\" does not serve ml-dsa-65", "served by"]);
    e.run(&["keygen", "--provider", "nonesuch", "--out", "k"])
        .fails(&["nonesuch"]);
    e.run(&["keygen"]).fails(&["--out"]);
    assert!(!e.path("k").exists());

    // Same seed, same key; never overwrite without --force.
    let seed = "11".repeat(32);
    let fp = e.keygen("k", &["--seed", &seed]);
    let before = e.read("k");
    e.run(&["keygen", "--out", "k"])
        .fails(&["already exists", "--force"]);
    assert_eq!(e.read("k"), before);
    let fp2 = e.keygen("k", &["--force"]);
    assert_ne!(fp, fp2);
    assert_ne!(e.read("k"), before);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(e.path("k")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "mode after --force {mode:o}");
    }
    assert_eq!(e.keygen("k", &["--force", "--seed", &seed]), fp);
    // Only FILE.pub in the way: still refused, and nothing is written.
    e.write("lonely.pub", "keep me");
    e.run(&["keygen", "--out", "lonely"])
        .fails(&["lonely.pub", "already exists"]);
    assert!(!e.path("lonely").exists());
    assert_eq!(e.read_text("lonely.pub"), "keep me");
}

#[test]
fn pubkey_formats_and_overwrite() {
    let e = Env::new();
    e.keygen("k", &[]);
    let o = e.run(&["pubkey", "--key", "k"]);
    o.ok();
    assert_eq!(o.stdout, e.read_text("k.pub"));
    let o = e.run(&["pubkey", "--key", "k", "--format", "raw"]);
    let hex_pk = o.stdout.trim().to_string();
    assert!(is_hex(&hex_pk) && hex_pk.len() == 64);
    e.run(&["pubkey", "--key", "k", "--out", "copy.pub"]).ok();
    assert_eq!(e.read_text("copy.pub"), e.read_text("k.pub"));
    e.run(&["pubkey", "--key", "k", "--out", "copy.pub"])
        .fails(&["already exists"]);
    e.run(&[
        "pubkey", "--key", "k", "--format", "raw", "--out", "copy.pub", "--force",
    ])
    .ok();
    assert_eq!(hex::encode(e.read("copy.pub")), hex_pk);
    // --force without --out is a usage error.
    assert_eq!(e.run(&["pubkey", "--key", "k", "--force"]).code, 2);
}

#[test]
fn shadow_and_accept_lists_are_enforced() {
    let e = Env::new();
    // A configuration that signs with the placeholder but only verifies it:
    // ed25519 signatures are not accepted there.
    let cfg = e.write("only-mac.toml", INSECURE_CONFIG);
    e.keygen("ed.key", &[]);
    e.run_stdin(&["sign", "--key", "ed.key", "--out", "ed.sig"], b"m")
        .ok();
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--pub",
            "ed.key.pub",
            "--sig",
            "ed.sig",
        ],
        b"m",
    )
    .fails(&["not accepted", "only-mac.toml"]);
    // A shadow provider that is the signing provider is refused at load.
    let shadow = e.write(
        "shadow.toml",
        "[sign]\nalgorithm = \"ed25519\"\n[shadow]\nprovider = \"dalek\"\n",
    );
    e.run_stdin(&["--config", &shadow, "sign", "--key", "ed.key"], b"m")
        .fails(&["[shadow] provider", "independent"]);
}

#[test]
fn path_helper_sanity() {
    // FILE.pub is FILE with ".pub" appended, even with an extension.
    let e = Env::new();
    e.keygen("key.sec", &[]);
    assert!(Path::new(&e.p("key.sec.pub")).exists());
}
