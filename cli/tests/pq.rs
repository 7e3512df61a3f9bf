//! End-to-end tests of the post-quantum surface of the `pqshift` binary:
//! ML-DSA keygen/sign/verify/pubkey (tagged, PEM and bare standard bytes),
//! the ACVP keyGen vectors through the CLI, a migration configuration,
//! ML-KEM encaps/decaps, the seedless pqclean provider, and bad input.
//! Every run asserts the exit code and the message, and that nothing panicked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::{is_hex, Env, Out};

const MLDSA65_CONFIG: &str = "[sign]\nalgorithm = \"ml-dsa-65\"\n";
const MIGRATION_CONFIG: &str =
    "[sign]\nalgorithm = \"ml-dsa-65\"\n\n[verify]\naccept = [\"ed25519\", \"ml-dsa-65\"]\n";
const INSECURE_CONFIG: &str =
    "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n\n[policy]\nallow_insecure = true\n";

/// ML-DSA-65 sizes (FIPS 204).
const MLDSA65_PK: usize = 1952;
const MLDSA65_SIG: usize = 3309;
/// ML-KEM-768 sizes (FIPS 203).
const MLKEM768_EK: usize = 1184;
const MLKEM768_CT: usize = 1088;

fn seed32(byte: u8) -> String {
    hex::encode([byte; 32])
}

fn seed64(byte: u8) -> String {
    hex::encode([byte; 64])
}

/// The one ACVP keyGen test case `tc_id` of the group `parameter_set`, or
/// `None` when the vectors are absent (the test then runs with fixed seeds).
fn acvp_keygen(file: &str, parameter_set: &str, tc_id: u64) -> Option<serde_json::Value> {
    let v = pqshift_test_support::load_json(file)?;
    let group = v["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["parameterSet"] == parameter_set)
        .unwrap_or_else(|| panic!("{file}: no {parameter_set} group"));
    let t = group["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tcId"] == tc_id)
        .unwrap_or_else(|| panic!("{file}: no tcId {tc_id} in {parameter_set}"))
        .clone();
    Some(t)
}

/// The ciphertext line and the shared-secret hex line of `encaps` on stdout.
fn encaps_stdout(o: &Out) -> (String, String) {
    o.ok();
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "ciphertext line, then secret line: {o:?}");
    assert!(lines[0].starts_with("pqshift1:ct:"), "{}", lines[0]);
    assert!(is_hex(lines[1]) && lines[1].len() == 64, "{}", lines[1]);
    (lines[0].to_string(), lines[1].to_string())
}

/// A decapsulated secret printed on stdout: 32 bytes of lowercase hex.
fn decaps_hex(o: &Out) -> String {
    o.ok();
    let s = o.stdout.trim_end_matches('\n');
    assert!(is_hex(s) && s.len() == 64, "{o:?}");
    assert_eq!(o.stdout.lines().count(), 1);
    s.to_string()
}

// ------------------------------------------------------------------ ML-DSA

#[test]
fn ml_dsa_65_seeded_keygen_sign_verify_tagged() {
    let e = Env::new();
    let cfg = e.write("mldsa.toml", MLDSA65_CONFIG);
    let seed = seed32(0x11);
    let fp = e.keygen("d.key", &["--alg", "ml-dsa-65", "--seed", &seed]);
    assert!(e
        .read_text("d.key")
        .starts_with(&format!("pqshift1:sec:ml-dsa-65:{fp}:")));
    assert!(e
        .read_text("d.key.pub")
        .starts_with(&format!("pqshift1:pub:ml-dsa-65:{fp}:")));
    #[cfg(unix)]
    assert_eq!(e.mode("d.key"), 0o600);
    // Seeded keygen is deterministic, whatever the provider's preference.
    assert_eq!(
        e.keygen("again.key", &["--alg", "ML-DSA-65", "--seed", &seed]),
        fp
    );
    assert_eq!(e.read("again.key"), e.read("d.key"));

    let msg = e.write("msg", "a record to migrate");
    let o = e.run(&["--config", &cfg, "sign", "--key", "d.key", &msg]);
    o.ok();
    assert!(o.stdout.starts_with("pqshift1:sig:ml-dsa-65:"), "{o:?}");
    e.write("msg.sig", &o.stdout);
    e.run(&[
        "--config",
        &cfg,
        "verify",
        "--pub",
        "d.key.pub",
        "--sig",
        "msg.sig",
        &msg,
    ])
    .valid();
    e.run(&[
        "--config", &cfg, "verify", "--key", "d.key", "--sig", "msg.sig", &msg,
    ])
    .valid();
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--pub",
            "d.key.pub",
            "--sig",
            "msg.sig",
        ],
        b"a record to migratE",
    )
    .invalid();
    // Signing under the default (Ed25519) configuration is a policy error.
    e.run(&["sign", "--key", "d.key", &msg])
        .fails(&["algorithm mismatch", "signs with ed25519"]);

    // Hedged signatures differ; deterministic ones repeat.
    let sign = |extra: &[&str]| {
        let mut args = vec!["--config", cfg.as_str(), "sign", "--key", "d.key"];
        args.extend_from_slice(extra);
        let o = e.run_stdin(&args, b"m");
        o.ok();
        o.stdout
    };
    assert_ne!(sign(&[]), sign(&[]));
    assert_eq!(sign(&["--deterministic"]), sign(&["--deterministic"]));
}

#[test]
fn ml_dsa_65_pem_keys_round_trip_through_the_cli() {
    let e = Env::new();
    let cfg = e.write("mldsa.toml", MLDSA65_CONFIG);
    let seed = seed32(0x22);
    let fp = e.keygen("t.key", &["--alg", "ml-dsa-65", "--seed", &seed]);
    let o = e.run(&[
        "keygen",
        "--alg",
        "ml-dsa-65",
        "--seed",
        &seed,
        "--format",
        "pem",
        "--out",
        "p.key",
    ]);
    o.ok();
    assert_eq!(
        o.stdout.trim(),
        fp,
        "same seed, same key, whatever the format"
    );
    o.mentions(&["PKCS#8 PEM", "SPKI PEM"]);
    let sk = e.read_text("p.key");
    assert!(sk.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{sk}");
    assert!(sk.ends_with("-----END PRIVATE KEY-----\n"), "{sk}");
    let pk = e.read_text("p.key.pub");
    assert!(pk.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pk}");
    #[cfg(unix)]
    {
        assert_eq!(e.mode("p.key"), 0o600);
        assert_eq!(e.mode("p.key.pub"), 0o644);
    }

    // pubkey converts between the forms, both ways.
    let o = e.run(&["pubkey", "--key", "p.key"]);
    o.ok();
    assert_eq!(o.stdout, e.read_text("t.key.pub"));
    let o = e.run(&["pubkey", "--key", "t.key", "--format", "pem"]);
    o.ok();
    assert_eq!(o.stdout, pk);
    e.run(&[
        "pubkey", "--key", "p.key", "--format", "pem", "--out", "copy.pem",
    ])
    .ok();
    assert_eq!(e.read_text("copy.pem"), pk);

    // Signed with the PEM key, verified with either public key, and back.
    let msg = e.write("msg", "pem message");
    e.run(&[
        "--config", &cfg, "sign", "--key", "p.key", "--out", "p.sig", &msg,
    ])
    .ok();
    for public in ["p.key.pub", "t.key.pub"] {
        e.run(&[
            "--config", &cfg, "verify", "--pub", public, "--sig", "p.sig", &msg,
        ])
        .valid();
    }
    e.run(&[
        "--config", &cfg, "sign", "--key", "t.key", "--out", "t.sig", &msg,
    ])
    .ok();
    e.run(&[
        "--config",
        &cfg,
        "verify",
        "--pub",
        "p.key.pub",
        "--sig",
        "t.sig",
        &msg,
    ])
    .valid();
    e.run(&[
        "--config", &cfg, "verify", "--key", "p.key", "--sig", "t.sig", &msg,
    ])
    .valid();
    let bad = e.write("bad", "pem messagE");
    e.run(&[
        "--config",
        &cfg,
        "verify",
        "--pub",
        "p.key.pub",
        "--sig",
        "t.sig",
        &bad,
    ])
    .invalid();

    // The wrong PEM document for the flag.
    e.run(&["--config", &cfg, "sign", "--key", "p.key.pub", &msg])
        .fails(&[
            "p.key.pub",
            "a PUBLIC KEY was given where a PRIVATE KEY is expected",
        ]);
    e.run(&[
        "--config", &cfg, "verify", "--pub", "p.key", "--sig", "t.sig", &msg,
    ])
    .fails(&[
        "p.key",
        "a PRIVATE KEY was given where a PUBLIC KEY is expected",
    ]);
}

#[test]
fn ml_dsa_65_raw_signature_and_pub_raw() {
    let e = Env::new();
    let cfg = e.write("mldsa.toml", MLDSA65_CONFIG);
    e.keygen("d.key", &["--alg", "ml-dsa-65", "--seed", &seed32(0x33)]);
    e.run(&[
        "pubkey", "--key", "d.key", "--format", "raw", "--out", "pk.bin",
    ])
    .ok();
    assert_eq!(e.read("pk.bin").len(), MLDSA65_PK);
    let o = e.run(&["pubkey", "--key", "d.key", "--format", "raw"]);
    o.ok();
    assert_eq!(o.stdout, format!("{}\n", hex::encode(e.read("pk.bin"))));
    e.write("pk.hex", &o.stdout);

    e.run_stdin(
        &[
            "--config", &cfg, "sign", "--key", "d.key", "--format", "raw", "--out", "sig.bin",
        ],
        b"raw",
    )
    .ok();
    assert_eq!(e.read("sig.bin").len(), MLDSA65_SIG);
    let verify_raw = |pk: &str, sig: &str, msg: &[u8]| {
        e.run_stdin(
            &[
                "--config",
                &cfg,
                "verify",
                "--alg",
                "ml-dsa-65",
                "--pub-raw",
                pk,
                "--sig",
                sig,
            ],
            msg,
        )
    };
    verify_raw("pk.bin", "sig.bin", b"raw").valid();
    verify_raw("pk.hex", "sig.bin", b"raw").valid();
    verify_raw("pk.bin", "sig.bin", b"raw!").invalid();
    let mut flipped = e.read("sig.bin");
    flipped[100] ^= 1;
    e.write("flipped.bin", &flipped);
    verify_raw("pk.bin", "flipped.bin", b"raw").invalid();

    // Lengths are checked and named.
    let pk = e.read("pk.bin");
    e.write("pk-short.bin", &pk[..MLDSA65_PK - 1]);
    verify_raw("pk-short.bin", "sig.bin", b"raw")
        .fails(&["pk-short.bin", "must be 1952 bytes long, got 1951 bytes"]);
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--alg",
            "ml-dsa-44",
            "--pub-raw",
            "pk.bin",
            "--sig",
            "sig.bin",
        ],
        b"raw",
    )
    .fails(&["ml-dsa-44 public key must be 1312 bytes long, got 1952 bytes"]);
    let sig = e.read("sig.bin");
    e.write("sig-short.bin", &sig[..MLDSA65_SIG - 1]);
    verify_raw("pk.bin", "sig-short.bin", b"raw").fails(&["sig-short.bin", "3309 bytes", "3308"]);
    // A KEM algorithm does not verify.
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--alg",
            "ml-kem-768",
            "--pub-raw",
            "pk.bin",
            "--sig",
            "sig.bin",
        ],
        b"raw",
    )
    .fails(&["ml-kem-768", "KEM cannot sign or verify", "encaps"]);

    // Exactly one of --pub, --key, --pub-raw; --pub-raw and --alg go together.
    let o = e.run(&["verify", "--pub-raw", "pk.bin", "--sig", "sig.bin"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--alg"), "{}", o.stderr);
    let o = e.run(&[
        "verify",
        "--alg",
        "ml-dsa-65",
        "--pub",
        "d.key.pub",
        "--sig",
        "sig.bin",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("cannot be used with"), "{}", o.stderr);
    let o = e.run(&[
        "verify",
        "--alg",
        "ml-dsa-65",
        "--pub-raw",
        "pk.bin",
        "--pub",
        "d.key.pub",
        "--sig",
        "s",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("cannot be used with"), "{}", o.stderr);
}

#[test]
fn ml_dsa_65_acvp_keygen_vector_through_the_cli() {
    let Some(t) = acvp_keygen(
        "acvp/ML-DSA-keyGen-FIPS204/internalProjection.json",
        "ML-DSA-65",
        26,
    ) else {
        return;
    };
    let seed = hex::encode(pqshift_test_support::hex_field(&t, "seed"));
    let pk = pqshift_test_support::hex_field(&t, "pk");
    assert_eq!(pk.len(), MLDSA65_PK);
    let e = Env::new();
    // Through every provider that derives keys from a seed.
    for provider in ["liboqs", ""] {
        let mut args = vec!["--alg", "ml-dsa-65", "--seed", seed.as_str(), "--force"];
        if !provider.is_empty() {
            args.extend_from_slice(&["--provider", provider]);
        }
        e.keygen("acvp.key", &args);
        let o = e.run(&["pubkey", "--key", "acvp.key", "--format", "raw"]);
        o.ok();
        assert_eq!(
            o.stdout,
            format!("{}\n", hex::encode(&pk)),
            "provider {provider:?}"
        );
    }
    // And the PEM form of the same key.
    e.keygen(
        "acvp.pem",
        &["--alg", "ml-dsa-65", "--seed", &seed, "--format", "pem"],
    );
    e.run(&[
        "pubkey", "--key", "acvp.pem", "--format", "raw", "--out", "acvp.pk",
    ])
    .ok();
    assert_eq!(e.read("acvp.pk"), pk);
}

#[test]
fn ml_dsa_context_round_trip_wrong_context_and_limit() {
    let e = Env::new();
    let cfg = e.write("mldsa.toml", MLDSA65_CONFIG);
    e.keygen("d.key", &["--alg", "ml-dsa-65"]);
    let ctx = "7061796d656e7473"; // "payments"
    let sign = |ctx: &str, out: &str| {
        e.run_stdin(
            &[
                "--config",
                &cfg,
                "sign",
                "--key",
                "d.key",
                "--context",
                ctx,
                "--out",
                out,
            ],
            b"m",
        )
    };
    let verify = |ctx: Option<&str>, sig: &str| {
        let mut args = vec![
            "--config",
            cfg.as_str(),
            "verify",
            "--pub",
            "d.key.pub",
            "--sig",
            sig,
        ];
        if let Some(c) = ctx {
            args.extend_from_slice(&["--context", c]);
        }
        e.run_stdin(&args, b"m")
    };
    sign(ctx, "ctx.sig").ok();
    verify(Some(ctx), "ctx.sig").valid();
    verify(Some("7061796d656e7474"), "ctx.sig").invalid();
    verify(None, "ctx.sig").invalid();
    verify(Some(""), "ctx.sig").invalid();

    let max = "ab".repeat(255);
    sign(&max, "max.sig").ok();
    verify(Some(&max), "max.sig").valid();
    let long = "ab".repeat(256);
    sign(&long, "long.sig").fails(&["context", "at most 255 bytes", "256"]);
    assert!(!e.path("long.sig").exists());
    verify(Some(&long), "max.sig").fails(&["context", "at most 255 bytes"]);
}

#[test]
fn migration_config_accepts_old_ed25519_and_signs_ml_dsa_65() {
    let e = Env::new();
    let mig = e.write("migration.toml", MIGRATION_CONFIG);
    // An Ed25519 signature made under the old (default) configuration.
    e.keygen("old.key", &[]);
    e.run_stdin(&["sign", "--key", "old.key", "--out", "old.sig"], b"record")
        .ok();
    e.run_stdin(
        &[
            "--config",
            &mig,
            "verify",
            "--pub",
            "old.key.pub",
            "--sig",
            "old.sig",
        ],
        b"record",
    )
    .valid();
    e.run_stdin(
        &[
            "--config",
            &mig,
            "verify",
            "--pub",
            "old.key.pub",
            "--sig",
            "old.sig",
        ],
        b"recorD",
    )
    .invalid();

    // New keys default to the configuration's [sign] algorithm; new signatures are ML-DSA-65.
    let fp = e.keygen("new.key", &["--config", &mig]);
    assert!(e
        .read_text("new.key")
        .starts_with(&format!("pqshift1:sec:ml-dsa-65:{fp}:")));
    let o = e.run_stdin(&["--config", &mig, "sign", "--key", "new.key"], b"record");
    o.ok();
    assert!(o.stdout.starts_with("pqshift1:sig:ml-dsa-65:"), "{o:?}");
    e.write("new.sig", &o.stdout);
    e.run_stdin(
        &[
            "--config",
            &mig,
            "verify",
            "--pub",
            "new.key.pub",
            "--sig",
            "new.sig",
        ],
        b"record",
    )
    .valid();
    // The old key no longer signs under it; the default configuration does
    // not accept the new signatures.
    e.run_stdin(&["--config", &mig, "sign", "--key", "old.key"], b"record")
        .fails(&["algorithm mismatch", "signs with ml-dsa-65"]);
    e.run_stdin(
        &["verify", "--pub", "new.key.pub", "--sig", "new.sig"],
        b"record",
    )
    .fails(&["ml-dsa-65 is not accepted", "[verify] accept = [ed25519]"]);

    // With a shadow provider, every new signature is re-checked by pqclean.
    let shadow = e.write(
        "shadow.toml",
        format!("{MIGRATION_CONFIG}\n[shadow]\nprovider = \"pqclean\"\n"),
    );
    let o = e.run(&["--config", &shadow, "doctor"]);
    o.ok();
    assert!(
        o.stdout.contains("[shadow]  provider pqclean"),
        "{}",
        o.stdout
    );
    let o = e.run_stdin(
        &[
            "--config",
            &shadow,
            "sign",
            "--key",
            "new.key",
            "--context",
            "01",
        ],
        b"record",
    );
    o.ok();
    assert!(o.stdout.starts_with("pqshift1:sig:ml-dsa-65:"), "{o:?}");
    e.write("shadow.sig", &o.stdout);
    for cfg in [&shadow, &mig] {
        e.run_stdin(
            &[
                "--config",
                cfg,
                "verify",
                "--pub",
                "new.key.pub",
                "--sig",
                "shadow.sig",
                "--context",
                "01",
            ],
            b"record",
        )
        .valid();
    }
    e.run_stdin(
        &[
            "--config",
            &shadow,
            "verify",
            "--pub",
            "new.key.pub",
            "--sig",
            "shadow.sig",
        ],
        b"record",
    )
    .invalid();
    e.run_stdin(
        &[
            "--config",
            &shadow,
            "verify",
            "--pub",
            "old.key.pub",
            "--sig",
            "old.sig",
        ],
        b"record",
    )
    .valid();
}

// ------------------------------------------------------------- pqclean

#[test]
fn pqclean_keys_have_no_seed_sign_hedged_and_verify_with_liboqs() {
    let e = Env::new();
    e.run(&[
        "keygen",
        "--alg",
        "ml-dsa-65",
        "--provider",
        "pqclean",
        "--seed",
        &seed32(1),
        "--out",
        "q.key",
    ])
    .fails(&["--seed", "pqclean cannot derive ml-dsa-65 keys from a seed"])
    .mentions(&["drop --seed", "--provider liboqs"]);
    e.run(&[
        "keygen",
        "--alg",
        "ml-kem-768",
        "--provider",
        "pqclean",
        "--seed",
        &seed64(1),
        "--out",
        "q.key",
    ])
    .fails(&["pqclean cannot derive ml-kem-768 keys from a seed"]);
    assert!(!e.path("q.key").exists());

    let o = e.run(&[
        "keygen",
        "--alg",
        "ml-dsa-65",
        "--provider",
        "pqclean",
        "--out",
        "q.key",
    ]);
    o.ok();
    o.mentions(&["provider pqclean", "expanded form"]);
    let fp = o.stdout.trim().to_string();
    assert!(e
        .read_text("q.key")
        .starts_with(&format!("pqshift1:sec-expanded:ml-dsa-65:{fp}:")));
    // pubkey needs no configuration: the provider that can load the key does.
    let o = e.run(&["pubkey", "--key", "q.key"]);
    o.ok();
    assert_eq!(o.stdout, e.read_text("q.key.pub"));

    // pqclean signs, liboqs verifies.
    let cfg = e.write(
        "pq.toml",
        "[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"pqclean\"\n\n[verify]\nprovider = \"liboqs\"\n",
    );
    let o = e.run(&["--config", &cfg, "doctor", "--json"]);
    o.ok();
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["sign"]["provider"], "pqclean");
    assert_eq!(v["verify"]["accept"][0]["provider"], "liboqs");
    let o = e.run_stdin(
        &[
            "--config",
            &cfg,
            "sign",
            "--key",
            "q.key",
            "--context",
            "0a",
        ],
        b"m",
    );
    o.ok();
    assert!(o.stdout.starts_with("pqshift1:sig:ml-dsa-65:"), "{o:?}");
    e.write("q.sig", &o.stdout);
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--pub",
            "q.key.pub",
            "--sig",
            "q.sig",
            "--context",
            "0a",
        ],
        b"m",
    )
    .valid();
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--key",
            "q.key",
            "--sig",
            "q.sig",
            "--context",
            "0a",
        ],
        b"m",
    )
    .valid();
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--pub",
            "q.key.pub",
            "--sig",
            "q.sig",
            "--context",
            "0b",
        ],
        b"m",
    )
    .invalid();
    // PQClean signs only hedged.
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "sign",
            "--key",
            "q.key",
            "--deterministic",
        ],
        b"m",
    )
    .fails(&["unsupported", "hedged"]);

    // A configuration that names liboqs for signing cannot load the expanded
    // key: the error says which provider can (awslc, the preferred one that
    // validates expanded keys). Without a named provider the preferred
    // provider, awslc, loads it itself.
    let named = e.write(
        "liboqs.toml",
        "[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"liboqs\"\n",
    );
    e.run_stdin(&["--config", &named, "sign", "--key", "q.key"], b"m")
        .fails(&["q.key", "liboqs", "seed"])
        .mentions(&["[sign] provider = \"awslc\""]);
    let plain = e.write("plain.toml", MLDSA65_CONFIG);
    let o = e.run_stdin(
        &[
            "--config", &plain, "sign", "--key", "q.key", "--out", "p.sig",
        ],
        b"m",
    );
    o.ok();
    assert!(!o.stderr.contains("loaded by provider"), "{o:?}");
    e.run_stdin(
        &[
            "--config",
            &named,
            "verify",
            "--pub",
            "q.key.pub",
            "--sig",
            "p.sig",
        ],
        b"m",
    )
    .valid();
}

#[test]
fn pqclean_keys_in_pem_are_pkcs8_expanded() {
    let e = Env::new();
    let o = e.run(&[
        "keygen",
        "--alg",
        "ml-dsa-65",
        "--provider",
        "pqclean",
        "--format",
        "pem",
        "--out",
        "q.pem",
    ]);
    o.ok();
    let fp = o.stdout.trim().to_string();
    let pem = e.read_text("q.pem");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{pem}");
    // The PKCS#8 expandedKey alternative (an OCTET STRING of the 4032-byte sk), not the seed.
    let der = pqshift::standard::parse_pkcs8_pem(pem.as_bytes()).unwrap();
    assert_eq!(der.algorithm, pqshift::AlgorithmId::MlDsa65);
    assert_eq!(der.material.form(), "expanded");
    assert!(der.material.seed().is_none());
    assert_eq!(der.material.expanded().unwrap().len(), 4032);

    let o = e.run(&["pubkey", "--key", "q.pem", "--format", "pem"]);
    o.ok();
    assert_eq!(o.stdout, e.read_text("q.pem.pub"));
    let o = e.run(&["pubkey", "--key", "q.pem"]);
    o.ok();
    assert!(o
        .stdout
        .starts_with(&format!("pqshift1:pub:ml-dsa-65:{fp}:")));

    let cfg = e.write(
        "pq.toml",
        "[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"pqclean\"\n\n[verify]\nprovider = \"liboqs\"\n",
    );
    e.run_stdin(
        &["--config", &cfg, "sign", "--key", "q.pem", "--out", "s"],
        b"m",
    )
    .ok();
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--pub",
            "q.pem.pub",
            "--sig",
            "s",
        ],
        b"m",
    )
    .valid();

    // A pqclean KEM key in PEM, too.
    e.run(&[
        "keygen",
        "--alg",
        "ml-kem-768",
        "--provider",
        "pqclean",
        "--format",
        "pem",
        "--out",
        "k.pem",
    ])
    .ok();
    let (ct, secret) = encaps_stdout(&e.run(&["encaps", "--pub", "k.pem.pub"]));
    e.write("ct", ct);
    assert_eq!(
        decaps_hex(&e.run(&["decaps", "--key", "k.pem", "--ct", "ct"])),
        secret
    );
}

// ------------------------------------------------------------------ ML-KEM

#[test]
fn ml_kem_768_acvp_keygen_seed_gives_the_vector_ek() {
    let (seed, ek) = match acvp_keygen(
        "acvp/ML-KEM-keyGen-FIPS203/internalProjection.json",
        "ML-KEM-768",
        26,
    ) {
        Some(t) => {
            let mut seed = pqshift_test_support::hex_field(&t, "d");
            seed.extend(pqshift_test_support::hex_field(&t, "z"));
            (
                hex::encode(seed),
                Some(pqshift_test_support::hex_field(&t, "ek")),
            )
        }
        None => (seed64(0x44), None),
    };
    let e = Env::new();
    let fp = e.keygen("k.key", &["--alg", "ml-kem-768", "--seed", &seed]);
    assert!(e
        .read_text("k.key")
        .starts_with(&format!("pqshift1:sec:ml-kem-768:{fp}:")));
    assert!(e
        .read_text("k.key.pub")
        .starts_with(&format!("pqshift1:pub:ml-kem-768:{fp}:")));
    #[cfg(unix)]
    assert_eq!(e.mode("k.key"), 0o600);
    let o = e.run(&["pubkey", "--key", "k.key", "--format", "raw"]);
    o.ok();
    let raw = hex::decode(o.stdout.trim()).unwrap();
    assert_eq!(raw.len(), MLKEM768_EK);
    if let Some(ek) = ek {
        assert_eq!(raw, ek, "the ACVP keyGen ek");
    }
    // pubkey of a decapsulation key prints the encapsulation key.
    let o = e.run(&["pubkey", "--key", "k.key"]);
    o.ok();
    assert_eq!(o.stdout, e.read_text("k.key.pub"));

    // The PEM form of the same key has the same encapsulation key.
    let o = e.run(&[
        "keygen",
        "--alg",
        "ml-kem-768",
        "--seed",
        &seed,
        "--format",
        "pem",
        "--out",
        "k.pem",
    ]);
    o.ok();
    assert_eq!(o.stdout.trim(), fp);
    o.mentions(&["decapsulation key", "encapsulation key"]);
    e.run(&[
        "pubkey", "--key", "k.pem", "--format", "raw", "--out", "ek.bin",
    ])
    .ok();
    assert_eq!(e.read("ek.bin"), raw);
    let o = e.run(&["pubkey", "--key", "k.key", "--format", "pem"]);
    o.ok();
    assert_eq!(o.stdout, e.read_text("k.pem.pub"));
}

#[test]
fn ml_kem_768_encaps_decaps_files_and_stdout() {
    let e = Env::new();
    e.keygen("k.key", &["--alg", "ml-kem-768"]);

    // Through files.
    let o = e.run(&[
        "encaps",
        "--pub",
        "k.key.pub",
        "--out-ct",
        "c.ct",
        "--out-secret",
        "ss.bin",
    ]);
    o.ok();
    assert_eq!(o.stdout, "", "nothing on stdout when both go to files");
    assert!(e.read_text("c.ct").starts_with("pqshift1:ct:ml-kem-768:"));
    let ss = e.read("ss.bin");
    assert_eq!(ss.len(), 32);
    #[cfg(unix)]
    assert_eq!(e.mode("ss.bin"), 0o600);
    e.run(&[
        "decaps", "--key", "k.key", "--ct", "c.ct", "--out", "ss2.bin",
    ])
    .ok();
    assert_eq!(e.read("ss2.bin"), ss);
    #[cfg(unix)]
    assert_eq!(e.mode("ss2.bin"), 0o600);
    assert_eq!(
        decaps_hex(&e.run(&["decaps", "--key", "k.key", "--ct", "c.ct"])),
        hex::encode(&ss)
    );
    // Never overwritten without --force.
    e.run(&[
        "decaps", "--key", "k.key", "--ct", "c.ct", "--out", "ss2.bin",
    ])
    .fails(&["ss2.bin", "already exists", "--force"]);
    e.run(&["encaps", "--pub", "k.key.pub", "--out-ct", "c.ct"])
        .fails(&["c.ct", "already exists"]);
    assert_eq!(e.read("ss2.bin"), ss);

    // Through stdout: the ciphertext line, then the secret's hex.
    let (ct, secret) = encaps_stdout(&e.run(&["encaps", "--pub", "k.key.pub"]));
    assert_ne!(secret, hex::encode(&ss), "a fresh encapsulation");
    e.write("s.ct", format!("{ct}\n"));
    assert_eq!(
        decaps_hex(&e.run(&["decaps", "--key", "k.key", "--ct", "s.ct"])),
        secret
    );
    // Only one of the two on stdout.
    let o = e.run(&["encaps", "--pub", "k.key.pub", "--out-ct", "only.ct"]);
    o.ok();
    let shown = o.stdout.trim().to_string();
    assert!(is_hex(&shown) && shown.len() == 64, "{o:?}");
    assert_eq!(
        decaps_hex(&e.run(&["decaps", "--key", "k.key", "--ct", "only.ct"])),
        shown
    );
    let o = e.run(&["encaps", "--pub", "k.key.pub", "--out-secret", "only.ss"]);
    o.ok();
    assert!(o.stdout.starts_with("pqshift1:ct:ml-kem-768:") && o.stdout.lines().count() == 1);
    e.write("only2.ct", &o.stdout);
    e.run(&[
        "decaps", "--key", "k.key", "--ct", "only2.ct", "--out", "only2.ss",
    ])
    .ok();
    assert_eq!(e.read("only2.ss"), e.read("only.ss"));

    // Binary tagged and bare ciphertexts decapsulate alike.
    let t = pqshift::Tagged::from_text(&ct).unwrap();
    e.write("c.bin", &*t.to_bytes());
    e.write("c.raw", t.payload());
    assert_eq!(t.payload().len(), MLKEM768_CT);
    for f in ["c.bin", "c.raw"] {
        assert_eq!(
            decaps_hex(&e.run(&["decaps", "--key", "k.key", "--ct", f])),
            secret,
            "{f}"
        );
    }

    // encaps to the bare encapsulation key (bytes and hex).
    e.run(&[
        "pubkey", "--key", "k.key", "--format", "raw", "--out", "ek.bin",
    ])
    .ok();
    e.write("ek.hex", hex::encode(e.read("ek.bin")));
    for ek in ["ek.bin", "ek.hex"] {
        let (ct, secret) =
            encaps_stdout(&e.run(&["encaps", "--alg", "ml-kem-768", "--pub-raw", ek]));
        e.write("r.ct", ct);
        assert_eq!(
            decaps_hex(&e.run(&["decaps", "--key", "k.key", "--ct", "r.ct"])),
            secret
        );
    }
    let ek = e.read("ek.bin");
    e.write("ek-short.bin", &ek[..MLKEM768_EK - 1]);
    e.run(&["encaps", "--alg", "ml-kem-768", "--pub-raw", "ek-short.bin"])
        .fails(&["ek-short.bin", "must be 1184 bytes long, got 1183 bytes"]);
    e.run(&["encaps", "--alg", "ml-dsa-65", "--pub-raw", "ek.bin"])
        .fails(&["ml-dsa-65 is a signature algorithm, not a KEM"]);
    let o = e.run(&["encaps", "--out-ct", "x"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--pub"), "{}", o.stderr);
    let o = e.run(&["encaps", "--alg", "ml-kem-768", "--pub", "k.key.pub"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("cannot be used with"), "{}", o.stderr);
    let o = e.run(&["encaps", "--pub-raw", "ek.bin"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--alg"), "{}", o.stderr);
}

#[test]
fn ml_kem_implicit_rejection_and_bad_ciphertexts() {
    let e = Env::new();
    e.keygen("k.key", &["--alg", "ml-kem-768", "--seed", &seed64(7)]);
    let (ct, secret) = encaps_stdout(&e.run(&["encaps", "--pub", "k.key.pub"]));
    let raw = pqshift::Tagged::from_text(&ct).unwrap().payload().to_vec();

    // A modified ciphertext is not an error: a different, repeatable secret (exit 0).
    let mut tampered = raw.clone();
    tampered[500] ^= 0x01;
    e.write("tampered.raw", &tampered);
    let t = pqshift::Tagged::new(
        pqshift::ObjectKind::Ciphertext,
        pqshift::AlgorithmId::MlKem768,
        None,
        &tampered,
    )
    .unwrap();
    e.write("tampered.ct", format!("{}\n", &*t.to_text()));
    let a = decaps_hex(&e.run(&["decaps", "--key", "k.key", "--ct", "tampered.raw"]));
    let b = decaps_hex(&e.run(&["decaps", "--key", "k.key", "--ct", "tampered.ct"]));
    assert_ne!(a, secret, "implicit rejection gives an unrelated secret");
    assert_eq!(a, b, "implicit rejection is deterministic");

    // Truncated: bare and tagged (text and binary).
    e.write("short.raw", &raw[..MLKEM768_CT - 1]);
    e.run(&["decaps", "--key", "k.key", "--ct", "short.raw"])
        .fails(&["short.raw", "bare ciphertext", "1088 bytes", "1087"]);
    e.write("long.raw", [raw.as_slice(), &[0]].concat());
    e.run(&["decaps", "--key", "k.key", "--ct", "long.raw"])
        .fails(&["long.raw", "1088 bytes", "1089"]);
    e.write("cut.ct", &ct[..ct.len() - 4]);
    e.run(&["decaps", "--key", "k.key", "--ct", "cut.ct"])
        .fails(&["cut.ct", "invalid input"]);
    let bin = pqshift::Tagged::from_text(&ct).unwrap().to_bytes();
    e.write("cut.bin", &bin[..bin.len() - 1]);
    e.run(&["decaps", "--key", "k.key", "--ct", "cut.bin"])
        .fails(&["cut.bin", "1088 bytes"]);
    e.write("empty", b"");
    e.run(&["decaps", "--key", "k.key", "--ct", "empty"])
        .fails(&["got 0 bytes"]);
    e.run(&["decaps", "--key", "k.key", "--ct", "missing.ct"])
        .fails(&["cannot read", "missing.ct"]);

    // A ciphertext of ML-KEM-512 with a 768 key.
    e.keygen("k512.key", &["--alg", "ml-kem-512"]);
    e.run(&[
        "encaps",
        "--pub",
        "k512.key.pub",
        "--out-ct",
        "512.ct",
        "--out-secret",
        "512.ss",
    ])
    .ok();
    assert!(e.read_text("512.ct").starts_with("pqshift1:ct:ml-kem-512:"));
    e.run(&["decaps", "--key", "k.key", "--ct", "512.ct"])
        .fails(&["512.ct", "algorithm mismatch", "ml-kem-768", "ml-kem-512"]);
    // Its bare bytes are simply the wrong length for a 768 key.
    let ct512 = pqshift::Tagged::decode(&e.read("512.ct")).unwrap();
    e.write("512.raw", ct512.payload());
    e.run(&["decaps", "--key", "k.key", "--ct", "512.raw"])
        .fails(&["1088 bytes", "got 768 bytes"]);
    // Another kind of tagged object.
    e.run(&["decaps", "--key", "k.key", "--ct", "k.key.pub"])
        .fails(&["expected a tagged ciphertext", "public key"]);
}

#[test]
fn kem_and_signature_keys_are_not_interchangeable() {
    let e = Env::new();
    let cfg = e.write("mldsa.toml", MLDSA65_CONFIG);
    e.keygen("k.key", &["--alg", "ml-kem-768"]);
    e.keygen("d.key", &["--alg", "ml-dsa-65"]);
    e.run_stdin(
        &["--config", &cfg, "sign", "--key", "d.key", "--out", "d.sig"],
        b"m",
    )
    .ok();
    e.run_stdin(&["--config", &cfg, "sign", "--key", "k.key"], b"m")
        .fails(&["k.key", "ml-kem-768 decapsulation key", "KEM cannot sign"])
        .mentions(&["decaps"]);
    e.run_stdin(
        &[
            "--config",
            &cfg,
            "verify",
            "--pub",
            "k.key.pub",
            "--sig",
            "d.sig",
        ],
        b"m",
    )
    .fails(&["k.key.pub", "ml-kem-768 encapsulation key"]);
    e.run(&["encaps", "--pub", "d.key.pub"])
        .fails(&["d.key.pub", "ml-dsa-65 is a signature algorithm, not a KEM"]);
    e.run(&["decaps", "--key", "d.key", "--ct", "d.sig"])
        .fails(&["d.key", "ml-dsa-65 secret key, not a KEM decapsulation key"]);
    e.run(&["encaps", "--pub", "k.key"])
        .fails(&["expected a tagged public key", "secret key"]);
    e.run(&["decaps", "--key", "k.key.pub", "--ct", "d.sig"])
        .fails(&["expected a tagged secret key"]);
}

#[test]
fn kem_section_of_the_configuration_is_enforced() {
    let e = Env::new();
    e.keygen("k768.key", &["--alg", "ml-kem-768"]);
    e.keygen("k512.key", &["--alg", "ml-kem-512"]);
    let only512 = e.write(
        "kem512.toml",
        "[sign]\nalgorithm = \"ed25519\"\n\n[kem]\nalgorithm = \"ml-kem-512\"\n",
    );
    let o = e.run(&["--config", &only512, "doctor"]);
    o.ok();
    assert!(
        o.stdout.contains("[kem]     ml-kem-512 via"),
        "{}",
        o.stdout
    );
    e.run(&["--config", &only512, "encaps", "--pub", "k768.key.pub"])
        .fails(&[
            "policy violation",
            "kem512.toml",
            "[kem] algorithm = \"ml-kem-512\"",
            "ml-kem-768",
        ]);
    let (ct, _) = encaps_stdout(&e.run(&["encaps", "--pub", "k768.key.pub"]));
    e.write("768.ct", ct);
    e.run(&[
        "--config", &only512, "decaps", "--key", "k768.key", "--ct", "768.ct",
    ])
    .fails(&["policy violation", "[kem] algorithm"]);
    // The configured KEM works, through the provider it names.
    let (ct, secret) =
        encaps_stdout(&e.run(&["--config", &only512, "encaps", "--pub", "k512.key.pub"]));
    e.write("512.ct", ct);
    assert_eq!(
        decaps_hex(
            &e.run(&["--config", &only512, "decaps", "--key", "k512.key", "--ct", "512.ct"])
        ),
        secret
    );
    let pqclean = e.write(
        "kem-pqclean.toml",
        "[sign]\nalgorithm = \"ed25519\"\n\n[kem]\nalgorithm = \"ml-kem-512\"\nprovider = \"pqclean\"\n",
    );
    let (ct, secret) =
        encaps_stdout(&e.run(&["--config", &pqclean, "encaps", "--pub", "k512.key.pub"]));
    e.write("pq.ct", ct);
    // liboqs made the key; pqclean cannot load its seed form, and says so.
    e.run(&[
        "--config", &pqclean, "decaps", "--key", "k512.key", "--ct", "pq.ct",
    ])
    .fails(&["k512.key", "pqclean", "seed"])
    .mentions(&["[kem] provider = \"liboqs\""]);
    assert_eq!(
        decaps_hex(&e.run(&["--config", &only512, "decaps", "--key", "k512.key", "--ct", "pq.ct"])),
        secret,
        "a pqclean ciphertext, decapsulated by liboqs"
    );
}

// ------------------------------------------------------------ PEM edges

#[test]
fn malformed_pem_and_pem_without_an_oid_exit_2() {
    let e = Env::new();
    let cfg = e.write("mldsa.toml", MLDSA65_CONFIG);
    e.keygen("p.key", &["--alg", "ml-dsa-65", "--format", "pem"]);
    e.keygen("k.pem", &["--alg", "ml-kem-768", "--format", "pem"]);
    let pem = e.read_text("p.key");

    // Cut short: no END line.
    let cut: String = pem.lines().take(2).collect::<Vec<_>>().join("\n");
    e.write("cut.pem", &cut);
    e.run_stdin(&["--config", &cfg, "sign", "--key", "cut.pem"], b"m")
        .fails(&["cut.pem", "malformed PEM", "END PRIVATE KEY"]);
    e.run(&["pubkey", "--key", "cut.pem"])
        .fails(&["cut.pem", "malformed PEM"]);
    // Bad base64 inside valid boundaries.
    let mut lines: Vec<String> = pem.lines().map(str::to_string).collect();
    lines[2] = "!!!!".repeat(16);
    e.write("b64.pem", lines.join("\n") + "\n");
    e.run(&["pubkey", "--key", "b64.pem"])
        .fails(&["b64.pem", "malformed PEM"]);
    // Valid PEM around a body that is not PKCS#8.
    e.write(
        "junk.pem",
        "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQ==\n-----END PRIVATE KEY-----\n",
    );
    e.run(&["pubkey", "--key", "junk.pem"])
        .fails(&["junk.pem", "invalid input"]);
    // Encrypted PKCS#8 is named.
    e.write(
        "enc.pem",
        pem.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
    );
    e.run(&["pubkey", "--key", "enc.pem"])
        .fails(&["enc.pem", "encrypted PKCS#8 is not supported"]);
    // Public PEM documents that are cut or of the wrong family.
    let pub_pem = e.read_text("p.key.pub");
    e.write("cut.pub", &pub_pem[..pub_pem.len() - 10]);
    e.run_stdin(
        &["--config", &cfg, "verify", "--pub", "cut.pub", "--sig", "x"],
        b"m",
    )
    .fails(&["cut.pub", "malformed PEM"]);
    e.run(&["encaps", "--pub", "p.key.pub"])
        .fails(&["p.key.pub", "not a KEM"]);
    e.run(&["encaps", "--pub", "k.pem"]).fails(&[
        "k.pem",
        "a PRIVATE KEY was given where a PUBLIC KEY is expected",
    ]);
    e.run(&["decaps", "--key", "k.pem.pub", "--ct", "x"])
        .fails(&[
            "k.pem.pub",
            "a PUBLIC KEY was given where a PRIVATE KEY is expected",
        ]);

    // The insecure placeholder has no OID, hence no PEM; nothing is written.
    let insecure = e.write("insecure.toml", INSECURE_CONFIG);
    e.run(&[
        "--config", &insecure, "keygen", "--format", "pem", "--out", "mac.pem",
    ])
    .fails(&["--format pem", "insecure-test-hmac-sha256 has no OID"])
    .mentions(&["--format tagged"]);
    assert!(!e.path("mac.pem").exists());
    let o = e.run(&[
        "keygen",
        "--alg",
        "ml-dsa-65",
        "--format",
        "der",
        "--out",
        "x",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("der"), "{}", o.stderr);
}

#[test]
fn help_documents_the_new_commands() {
    let e = Env::new();
    let o = e.run(&["--help"]);
    o.ok();
    for cmd in ["encaps", "decaps", "keygen", "pubkey"] {
        assert!(o.stdout.contains(cmd), "{cmd}: {}", o.stdout);
    }
    let o = e.run(&["encaps", "--help"]);
    o.ok();
    assert!(
        o.stdout.contains("[kem]") && o.stdout.contains("any KEM"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("--pub-raw") && o.stdout.contains("EXIT STATUS"));
    let o = e.run(&["decaps", "--help"]);
    o.ok();
    assert!(o.stdout.contains("IMPLICIT REJECTION"), "{}", o.stdout);
    let o = e.run(&["keygen", "--help"]);
    o.ok();
    assert!(
        o.stdout.contains("PKCS#8") && o.stdout.contains("d||z"),
        "{}",
        o.stdout
    );
    let o = e.run(&["pubkey", "--help"]);
    o.ok();
    assert!(o.stdout.contains("encapsulation key") && o.stdout.contains("pem"));
}
