//! `pqshift golden check` over the committed golden/ (so a change in any
//! provider's output fails the tests), its failure mode, and `pqshift corpus
//! generate` reproducing the committed corpora byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pqshift");

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "{e}");
    (out.status.code().unwrap_or(-1), o, e)
}

fn golden() -> std::path::PathBuf {
    pqshift_test_support::project_root().join("golden")
}

#[test]
fn committed_golden_files_are_up_to_date() {
    let dir = golden();
    let (code, out, err) = run(&["golden", "check", "--dir", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("up to date (9 vector files, 2 corpora)"),
        "{out}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn check_names_the_first_differing_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("golden");
    copy_dir(&golden(), &dir);
    // One changed hex digit in the first file generated.
    let p = dir.join("vectors/ed25519.json");
    let text = std::fs::read_to_string(&p).unwrap();
    let i = text.find("\"signature\": \"").unwrap() + 14;
    let mut bytes = text.into_bytes();
    bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
    std::fs::write(&p, bytes).unwrap();
    let (code, _, err) = run(&["golden", "check", "--dir", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("vectors/ed25519.json") && err.contains("differs"),
        "{err}"
    );

    // A missing directory: the first file is named as differing.
    let nowhere = tmp.path().join("nowhere");
    let (code, _, err) = run(&["golden", "check", "--dir", nowhere.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nowhere/vectors/ed25519.json"), "{err}");
}

#[test]
fn corpus_generate_reproduces_the_golden_corpora() {
    use sha2::Digest;
    let tmp = tempfile::tempdir().unwrap();
    for (stem, alg, records, keys, extra) in [
        ("ed25519-v1", "ed25519", "1000", "10", None),
        (
            "placeholder-v1",
            "insecure-test-hmac-sha256",
            "200",
            "4",
            Some("--allow-insecure"),
        ),
    ] {
        let seed = hex::encode(sha2::Sha256::digest(format!(
            "pqshift-golden-corpus/{stem}"
        )));
        let out = tmp.path().join(format!("{stem}.jsonl"));
        let mut args = vec![
            "corpus",
            "generate",
            "--alg",
            alg,
            "--records",
            records,
            "--keys",
            keys,
            "--seed",
            &seed,
            "--out",
            out.to_str().unwrap(),
        ];
        if alg.contains("insecure") {
            // Refused without the flag.
            let (code, _, err) = run(&args);
            assert_eq!(code, 2);
            assert!(err.contains("INSECURE"), "{err}");
        }
        args.extend(extra);
        let (code, _, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        for suffix in [".jsonl", ".manifest.json", ".keystore.json"] {
            let name = format!("{stem}{suffix}");
            assert!(
                std::fs::read(tmp.path().join(&name)).unwrap()
                    == std::fs::read(golden().join("corpus").join(&name)).unwrap(),
                "{name} differs from golden/corpus"
            );
        }
        // Refuses to overwrite without --force.
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{err}");
        let manifest = tmp.path().join(format!("{stem}.manifest.json"));
        let (code, out, err) = run(&["corpus", "verify", "--manifest", manifest.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains(&format!("{records} records, {records} valid, 0 invalid")),
            "{out}"
        );
    }
}
