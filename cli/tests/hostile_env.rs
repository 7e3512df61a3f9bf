//! A careless or hostile environment (issue 21): outputs that are not
//! regular files, links planted at temporary names, permissive umasks and
//! files, inputs of unknown size (devices, FIFOs), huge configurations and
//! messages, weak master seeds, loose keystores, two migrations on one
//! directory, and the README's commands run as written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, BIN};

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().unwrap();
    assert!(st.success());
}

/// Runs the binary with a deadline: a run that blocks is killed and the
/// test fails (rather than hanging).
fn run_with_deadline(dir: &Path, args: &[&str], secs: u64) -> (i32, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("PQSHIFT_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            return (st.code().unwrap_or(-1), err);
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pqshift {args:?} still running after {secs} s: it blocked");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---- 1. outputs --------------------------------------------------------

#[test]
#[cfg(unix)]
fn force_never_replaces_a_fifo_a_link_or_a_device_and_dash_is_refused() {
    use std::os::unix::fs::FileTypeExt;
    let e = Env::new();
    e.keygen("k.sec", &[]);
    e.write("msg", "hello");
    let fifo = e.path("fifo");
    mkfifo(&fifo);
    std::os::unix::fs::symlink("/dev/null", e.path("link")).unwrap();
    for target in ["fifo", "link"] {
        for force in [true, false] {
            let mut args = vec!["sign", "--key", "k.sec", "--out", target];
            if force {
                args.push("--force");
            }
            args.push("msg");
            e.run(&args).fails(&[target, "not a regular file"]);
        }
    }
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(std::fs::symlink_metadata(e.path("link"))
        .unwrap()
        .file_type()
        .is_symlink());
    // /dev/stdout: refused as what it is, not as "already exists".
    e.run(&["sign", "--key", "k.sec", "--out", "/dev/stdout", "msg"])
        .fails(&["/dev/stdout", "not a regular file"]);
    // `-` is not a file name for an output.
    e.run(&["sign", "--key", "k.sec", "--out", "-", "msg"])
        .fails(&["'-'", "standard output"]);
    assert!(!e.path("-").exists());
    // A character device (our own node, so a regression cannot harm /dev).
    if is_root() {
        let dev = e.path("nulldev");
        let st = Command::new("mknod")
            .args([dev.to_str().unwrap(), "c", "1", "3"])
            .status()
            .unwrap();
        assert!(st.success());
        e.run(&[
            "sign", "--key", "k.sec", "--out", "nulldev", "--force", "msg",
        ])
        .fails(&["character device", "not a regular file"]);
        assert!(std::fs::symlink_metadata(&dev)
            .unwrap()
            .file_type()
            .is_char_device());
    }
    // A regular file is replaced with --force.
    e.write("sig", "old");
    e.run(&["sign", "--key", "k.sec", "--out", "sig", "--force", "msg"])
        .ok();
    assert_ne!(e.read("sig"), b"old");
}

#[test]
#[cfg(unix)]
fn secrets_are_0600_under_umask_000_and_over_a_0644_file() {
    use std::os::unix::fs::PermissionsExt;
    let e = Env::new();
    e.write("k.sec", "placeholder");
    std::fs::set_permissions(e.path("k.sec"), std::fs::Permissions::from_mode(0o666)).unwrap();
    let st = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000; exec '{BIN}' keygen --alg ed25519 --out k.sec --force"
        ))
        .current_dir(e.dir.path())
        .env_remove("PQSHIFT_CONFIG")
        .status()
        .unwrap();
    assert!(st.success());
    let st = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000; exec '{BIN}' corpus generate --alg ed25519 --records 3 --keys 1 \
             --seed 01 --out sub/c.jsonl"
        ))
        .current_dir(e.dir.path())
        .env_remove("PQSHIFT_CONFIG")
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(mode(&e.path("k.sec")), 0o600);
    // corpus generate creates the missing directory; its keystore holds seeds.
    assert_eq!(mode(&e.path("sub/c.keystore.json")), 0o600);
    assert_ne!(mode(&e.path("sub/c.jsonl")) & 0o400, 0);
}

#[test]
#[cfg(unix)]
fn corpus_generate_never_writes_through_links_at_temporary_names() {
    let e = Env::new();
    for name in [
        ".c.jsonl.tmp",
        ".c.manifest.json.tmp",
        ".c.keystore.json.tmp",
    ] {
        let victim = e.path(&format!("victim{name}"));
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, e.path(name)).unwrap();
    }
    e.run(&[
        "corpus",
        "generate",
        "--alg",
        "ed25519",
        "--records",
        "5",
        "--keys",
        "1",
        "--seed",
        "02",
        "--out",
        "c.jsonl",
    ])
    .ok();
    for name in [
        ".c.jsonl.tmp",
        ".c.manifest.json.tmp",
        ".c.keystore.json.tmp",
    ] {
        assert_eq!(e.read_text(&format!("victim{name}")), "precious", "{name}");
    }
    assert_eq!(mode(&e.path("c.keystore.json")), 0o600);
    e.run(&["corpus", "verify", "--manifest", "c.manifest.json"])
        .ok();
    // Without --force an existing corpus is kept.
    e.run(&[
        "corpus",
        "generate",
        "--alg",
        "ed25519",
        "--records",
        "5",
        "--keys",
        "1",
        "--seed",
        "03",
        "--out",
        "c.jsonl",
    ])
    .fails(&["already exists", "--force"]);
}

// ---- 3. input sizes ----------------------------------------------------

#[test]
fn key_signature_and_ciphertext_inputs_stop_at_their_cap() {
    let e = Env::new();
    e.keygen("k.sec", &[]);
    e.write("msg", "m");
    e.run(&["sign", "--key", "k.sec", "--out", "sig", "msg"])
        .ok();
    // /dev/zero reports a size of 0 and never ends.
    e.run(&["verify", "--pub", "/dev/zero", "--sig", "sig", "msg"])
        .fails(&["/dev/zero", "1 MiB cap"]);
    e.run(&["verify", "--pub", "k.sec.pub", "--sig", "/dev/zero", "msg"])
        .fails(&["/dev/zero", "1 MiB cap"]);
    e.run(&["sign", "--key", "/dev/zero", "msg"])
        .fails(&["/dev/zero", "1 MiB cap"]);
    e.keygen("kem.sec", &["--alg", "ml-kem-768"]);
    e.run(&["decaps", "--key", "kem.sec", "--ct", "/dev/zero"])
        .fails(&["/dev/zero", "1 MiB cap"]);
    e.run(&["encaps", "--pub", "/dev/urandom"])
        .fails(&["/dev/urandom", "1 MiB cap"]);
}

#[test]
#[cfg(unix)]
fn a_fifo_or_a_device_as_config_is_refused_without_blocking() {
    let e = Env::new();
    let fifo = e.path("cfg.fifo");
    mkfifo(&fifo);
    let (code, err) = run_with_deadline(
        e.dir.path(),
        &[
            "--config", "cfg.fifo", "keygen", "--alg", "ed25519", "--out", "k.sec",
        ],
        60,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("FIFO") && err.contains("not a regular file"),
        "{err}"
    );
    let (code, err) = run_with_deadline(
        e.dir.path(),
        &["--config", "/dev/zero", "keygen", "--out", "k.sec"],
        60,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("character device"), "{err}");
}

#[test]
fn messages_have_a_documented_cap_with_a_flag() {
    let e = Env::new();
    e.keygen("k.sec", &[]);
    e.write("msg", vec![b'a'; 5000]);
    e.run(&[
        "sign",
        "--key",
        "k.sec",
        "--max-message-size",
        "4096",
        "msg",
    ])
    .fails(&["msg is larger than the 4 KiB cap", "--max-message-size"]);
    // A message of unknown size (a device) is stopped at the cap too.
    e.run(&[
        "sign",
        "--key",
        "k.sec",
        "--max-message-size",
        "1048576",
        "/dev/zero",
    ])
    .fails(&["/dev/zero", "1 MiB cap"]);
    // Standard input as well.
    let o = e.run_stdin(
        &["sign", "--key", "k.sec", "--max-message-size", "100"],
        &[0u8; 200],
    );
    o.fails(&["standard input", "100 bytes cap"]);
    // Raising the cap signs it; the verifier needs the same room.
    e.run(&[
        "sign",
        "--key",
        "k.sec",
        "--max-message-size",
        "5000",
        "--out",
        "sig",
        "msg",
    ])
    .ok();
    e.run(&[
        "verify",
        "--pub",
        "k.sec.pub",
        "--sig",
        "sig",
        "--max-message-size",
        "4999",
        "msg",
    ])
    .fails(&["4999 bytes cap"]);
    e.run(&["verify", "--pub", "k.sec.pub", "--sig", "sig", "msg"])
        .valid();
    let help = e.run(&["sign", "--help"]);
    assert!(help.stdout.contains("--max-message-size"), "{help:?}");
}

// ---- 4. bounded excerpts -------------------------------------------------

#[test]
fn a_huge_single_line_config_gives_a_short_error() {
    let e = Env::new();
    // Under the cap: a parse error quoting a bounded excerpt.
    let mut text = String::from("[sign]\nalgorithm = \"");
    text.push_str(&"x".repeat(900_000));
    e.write("big.toml", &text);
    let o = e.run(&[
        "--config", "big.toml", "keygen", "--alg", "ed25519", "--out", "k.sec",
    ]);
    o.fails(&["big.toml", "TOML parse error at line 2"]);
    assert!(o.stderr.len() < 2000, "{} bytes on stderr", o.stderr.len());
    // Over the cap: refused while reading, naming the cap.
    let mut text = String::from("[sign]\nalgorithm = ");
    text.push_str(&"y".repeat(5_000_000));
    e.write("huge.toml", &text);
    let o = e.run(&[
        "--config",
        "huge.toml",
        "keygen",
        "--alg",
        "ed25519",
        "--out",
        "k.sec",
    ]);
    o.fails(&["huge.toml", "1 MiB cap"]);
    assert!(o.stderr.len() < 2000, "{} bytes on stderr", o.stderr.len());
    // An unknown key of a megabyte is cut too.
    let text = format!("[sign]\n{} = 1\n", "k".repeat(500_000));
    e.write("key.toml", &text);
    let o = e.run(&[
        "--config", "key.toml", "keygen", "--alg", "ed25519", "--out", "k.sec",
    ]);
    assert_eq!(o.code, 2, "{o:?}");
    assert!(o.stderr.len() < 2000, "{} bytes on stderr", o.stderr.len());
}

// ---- 2, 5. migration -----------------------------------------------------

fn generate(e: &Env, name: &str, records: u32) -> PathBuf {
    e.run(&[
        "corpus",
        "generate",
        "--alg",
        "ed25519",
        "--records",
        &records.to_string(),
        "--keys",
        "3",
        "--seed",
        "686f7374696c65",
        "--out",
        &format!("{name}.jsonl"),
    ])
    .ok();
    e.path(&format!("{name}.jsonl"))
}

const STRONG_SEED: &[u8; 32] = b"\x1f\x8a\x03\x77\xc2\x5e\x91\x0d\xb4\x66\x2a\xee\x49\xd0\x13\x7c\
\x85\x3b\xf1\x28\x9e\x54\xca\x07\x6d\xa9\x31\xfe\x40\xbb\x12\x95";

fn migrate_args<'a>(corpus: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "migrate",
        "--corpus",
        corpus,
        // Ed25519 to new Ed25519 keys: dalek alone, so no ML-DSA
        // provider's admission decides what is under test here.
        "--to",
        "ed25519",
        "--no-cross-verify",
        "--master-seed",
        "master.seed",
        "--out",
        out,
        "--jobs",
        "1",
    ]
}

#[test]
fn migrate_refuses_a_weak_master_seed_unless_allowed() {
    let e = Env::new();
    generate(&e, "c", 4);
    for (seed, why) in [
        (vec![0u8; 32], "every byte is 0x00"),
        (
            b"abababababababababababababababab".to_vec(),
            "2 distinct values",
        ),
    ] {
        std::fs::write(e.path("master.seed"), &seed).unwrap();
        e.run(&migrate_args("c.jsonl", "out-weak")).fails(&[
            "master seed",
            why,
            "--allow-weak-seed",
        ]);
        assert!(!e.path("out-weak/corpus.jsonl").exists());
    }
    let mut args = migrate_args("c.jsonl", "out-allowed");
    args.push("--allow-weak-seed");
    e.run(&args).ok();
    std::fs::write(e.path("master.seed"), STRONG_SEED).unwrap();
    e.run(&migrate_args("c.jsonl", "out-strong")).ok();
    // An unbounded seed source is cut at the cap, not read forever.
    e.run(&[
        "migrate",
        "--corpus",
        "c.jsonl",
        "--to",
        "ed25519",
        "--no-cross-verify",
        "--master-seed",
        "/dev/urandom",
        "--out",
        "out-urandom",
    ])
    .fails(&["/dev/urandom", "1 MiB cap"]);
}

#[test]
#[cfg(unix)]
fn migrate_warns_about_a_keystore_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let e = Env::new();
    generate(&e, "c", 4);
    std::fs::write(e.path("master.seed"), STRONG_SEED).unwrap();
    std::fs::set_permissions(
        e.path("c.keystore.json"),
        std::fs::Permissions::from_mode(0o666),
    )
    .unwrap();
    let o = e.run(&migrate_args("c.jsonl", "out"));
    o.ok();
    o.mentions(&["warning", "c.keystore.json", "0666"]);
    std::fs::set_permissions(
        e.path("c.keystore.json"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let o = e.run(&migrate_args("c.jsonl", "out2"));
    o.ok();
    assert!(!o.stderr.contains("warning: the old keystore"), "{o:?}");
    assert_eq!(mode(&e.path("out/corpus.keystore.json")), 0o600);
}

#[test]
#[cfg(unix)]
fn migrate_never_follows_links_planted_in_an_empty_out() {
    use std::os::unix::fs::PermissionsExt;
    let e = Env::new();
    generate(&e, "c", 6);
    std::fs::write(e.path("master.seed"), STRONG_SEED).unwrap();
    let out = e.path("out");
    std::fs::create_dir(&out).unwrap();
    let names = [
        ".corpus.jsonl.tmp",
        ".failures.jsonl.tmp",
        ".attestations.json.tmp",
        ".corpus.manifest.json.tmp",
        ".report.json.tmp",
        ".migrate-checkpoint.json.tmp",
    ];
    for name in names {
        let victim = e.path(&format!("victim{name}"));
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, out.join(name)).unwrap();
    }
    // A world-readable regular file at the keystore's temporary name.
    std::fs::write(out.join(".corpus.keystore.json.tmp"), "").unwrap();
    std::fs::set_permissions(
        out.join(".corpus.keystore.json.tmp"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    e.run(&migrate_args("c.jsonl", "out")).ok();
    for name in names {
        assert_eq!(e.read_text(&format!("victim{name}")), "precious", "{name}");
    }
    assert_eq!(mode(&out.join("corpus.keystore.json")), 0o600);
    e.run(&["corpus", "verify", "--manifest", "out/corpus.manifest.json"])
        .ok();
}

#[test]
fn two_migrations_on_one_out_exactly_one_proceeds() {
    let e = Env::new();
    generate(&e, "c", 5000);
    std::fs::write(e.path("master.seed"), STRONG_SEED).unwrap();
    let spawn = || {
        Command::new(BIN)
            .args(migrate_args("c.jsonl", "out"))
            .current_dir(e.dir.path())
            .env_remove("PQSHIFT_CONFIG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let results: Vec<(i32, String)> = [a, b]
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
        .collect();
    let ok: Vec<_> = results.iter().filter(|(c, _)| *c == 0).collect();
    let refused: Vec<_> = results.iter().filter(|(c, _)| *c != 0).collect();
    assert_eq!(ok.len(), 1, "{results:?}");
    assert_eq!(refused.len(), 1, "{results:?}");
    let (code, err) = refused[0];
    assert_eq!(*code, 2, "{err}");
    assert!(
        err.contains("is locked by another pqshift run") && err.contains("pid "),
        "{err}"
    );
    assert!(err.contains("command ") && err.contains("migrate"), "{err}");
    e.run(&["corpus", "verify", "--manifest", "out/corpus.manifest.json"])
        .ok();
    assert!(!e.path("out/.pqshift.lock").exists());
}

#[test]
fn a_resume_while_the_lock_is_held_is_refused_and_changes_nothing() {
    let e = Env::new();
    generate(&e, "c", 5);
    std::fs::write(e.path("master.seed"), STRONG_SEED).unwrap();
    std::fs::create_dir(e.path("out")).unwrap();
    let lock = pqshift_migration::outfile::DirLock::acquire(&e.path("out"), "test holder").unwrap();
    let mut args = migrate_args("c.jsonl", "out");
    args.push("--resume");
    e.run(&args).fails(&[
        "locked by another pqshift run",
        &format!("pid {}", std::process::id()),
        "test holder",
    ]);
    assert!(!e.path("out/.migrate-checkpoint.json").exists());
    drop(lock);
    e.run(&migrate_args("c.jsonl", "out")).ok();
}

// ---- 5. the README runs as written ----------------------------------------

/// The first ```sh block of a markdown file.
fn first_sh_block(markdown: &str) -> String {
    let start = markdown.find("```sh\n").expect("a ```sh block") + 6;
    let len = markdown[start..].find("```").expect("its end");
    markdown[start..start + len].to_string()
}

#[test]
fn the_migration_readme_quick_start_runs_as_written_in_a_fresh_directory() {
    let root = pqshift_test_support::project_root();
    let md = std::fs::read_to_string(root.join("migration/README.md")).unwrap();
    let block = first_sh_block(&md);
    assert!(block.contains("pqshift corpus generate"), "{block}");
    assert!(block.contains("pqshift migrate"), "{block}");
    let e = Env::new();
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("sh")
        .arg("-ec")
        .arg(&block)
        .current_dir(e.dir.path())
        .env("PATH", path)
        .env_remove("PQSHIFT_CONFIG")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{block}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_killed_migration_releases_its_lock_and_resumes() {
    let e = Env::new();
    generate(&e, "c", 20000);
    std::fs::write(e.path("master.seed"), STRONG_SEED).unwrap();
    let mut args = migrate_args("c.jsonl", "out");
    args.extend_from_slice(&["--checkpoint-every", "64"]);
    let mut child = Command::new(BIN)
        .args(&args)
        .current_dir(e.dir.path())
        .env_remove("PQSHIFT_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it holds the lock and has checkpointed, then kill -9.
    let start = Instant::now();
    while !(e.path("out/.pqshift.lock").exists() && e.path("out/.migrate-checkpoint.json").exists())
    {
        assert!(start.elapsed() < Duration::from_secs(120), "never started");
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap_or(());
    let _ = child.wait();
    // The kernel dropped the flock: the resume is not refused as locked.
    args.push("--resume");
    let o = e.run(&args);
    o.ok();
    assert!(!o.stderr.contains("locked"), "{o:?}");
    e.run(&["corpus", "verify", "--manifest", "out/corpus.manifest.json"])
        .ok();
    assert!(!e.path("out/.pqshift.lock").exists());
}
