//! The corpus format and generator: round trips, determinism, and errors
//! that name the line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use pqshift::{AlgorithmId, Signature};
use pqshift_migration::corpus::{self, CorpusError, CorpusReader, Keystore, Manifest};
use pqshift_migration::generate::{self, Params};

fn gen(dir: &Path, name: &str, alg: AlgorithmId, records: u64, keys: u32) -> PathBuf {
    let out = dir.join(format!("{name}.jsonl"));
    generate::generate_files(
        &Params::new(alg, records, keys, b"test seed".to_vec(), name),
        &out,
    )
    .unwrap();
    dir.join(format!("{name}.manifest.json"))
}

#[test]
fn generated_corpora_verify_and_are_reproducible() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for (alg, name) in [
        (AlgorithmId::Ed25519, "ed"),
        (AlgorithmId::InsecureTestHmacSha256, "mac"),
        (AlgorithmId::MlDsa44, "dsa"),
    ] {
        let m = gen(a.path(), name, alg, 30, 4);
        gen(b.path(), name, alg, 30, 4);
        let report = corpus::verify_corpus(&m).unwrap();
        assert_eq!((report.records, report.valid), (30, 30), "{alg}");
        assert!(report.invalid.is_empty());
        for suffix in [".jsonl", ".manifest.json", ".keystore.json"] {
            let f = format!("{name}{suffix}");
            assert_eq!(
                std::fs::read(a.path().join(&f)).unwrap(),
                std::fs::read(b.path().join(&f)).unwrap(),
                "{f} differs between two runs"
            );
        }
        let manifest = Manifest::read(&m).unwrap();
        assert_eq!(manifest.algorithms, vec![alg.as_str().to_string()]);
        assert_eq!(manifest.insecure, alg.is_insecure());
        // Every key signs some record.
        let ks = Keystore::read(&a.path().join(format!("{name}.keystore.json"))).unwrap();
        assert_eq!(ks.keys.len(), 4);
    }
    // Another seed gives another corpus.
    let c = tempfile::tempdir().unwrap();
    let out = c.path().join("ed.jsonl");
    generate::generate_files(
        &Params::new(AlgorithmId::Ed25519, 30, 4, b"other".to_vec(), "ed"),
        &out,
    )
    .unwrap();
    assert_ne!(
        std::fs::read(&out).unwrap(),
        std::fs::read(a.path().join("ed.jsonl")).unwrap()
    );
}

#[test]
fn ed25519_records_carry_an_empty_context_and_others_vary() {
    let dir = tempfile::tempdir().unwrap();
    let m = gen(dir.path(), "ed", AlgorithmId::Ed25519, 100, 3);
    let mut r = CorpusReader::open(&Manifest::read(&m).unwrap().corpus_path(&m)).unwrap();
    let mut sizes = Vec::new();
    while let Some((_, rec)) = r.next_parsed().unwrap() {
        assert!(rec.context.is_empty());
        assert!(rec.public_key.is_some());
        sizes.push(rec.message.len());
    }
    assert!(sizes.iter().min().unwrap() < &20 && sizes.iter().max().unwrap() > &250);

    let m = gen(
        dir.path(),
        "mac",
        AlgorithmId::InsecureTestHmacSha256,
        100,
        3,
    );
    let mut r = CorpusReader::open(&Manifest::read(&m).unwrap().corpus_path(&m)).unwrap();
    let (mut empty, mut non_empty) = (0, 0);
    while let Some((_, rec)) = r.next_parsed().unwrap() {
        assert!(
            rec.public_key.is_none(),
            "a MAC record carries no public key"
        );
        if rec.context.is_empty() {
            empty += 1
        } else {
            non_empty += 1
        }
    }
    assert!(empty > 10 && non_empty > 10, "{empty} {non_empty}");
}

/// The placeholder's tags recomputed with the `hmac` crate, outside pqshift.
#[test]
fn placeholder_tags_match_an_independent_hmac() {
    let dir = tempfile::tempdir().unwrap();
    let m = gen(
        dir.path(),
        "mac",
        AlgorithmId::InsecureTestHmacSha256,
        40,
        2,
    );
    let ks = Keystore::read(&dir.path().join("mac.keystore.json")).unwrap();
    let mut r = CorpusReader::open(&dir.path().join("mac.jsonl")).unwrap();
    let mut n = 0;
    while let Some((_, rec)) = r.next_parsed().unwrap() {
        let entry = ks.keys.iter().find(|k| k.key_id == rec.key_id).unwrap();
        let key = pqshift::Tagged::decode(entry.secret_key.as_bytes()).unwrap();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.payload()).unwrap();
        mac.update(&[0, rec.context.len() as u8]);
        mac.update(&rec.context);
        mac.update(&rec.message);
        assert_eq!(
            rec.signature.as_raw(),
            mac.finalize().into_bytes().as_slice()
        );
        n += 1;
    }
    assert_eq!(n, 40);
    assert!(corpus::verify_corpus(&m).is_ok());
}

fn rewrite_line(path: &Path, line: usize, f: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let out: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { f(l) } else { l.to_string() })
        .collect();
    std::fs::write(path, out.join("\n") + "\n").unwrap();
}

#[test]
fn tampering_is_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let m = gen(dir.path(), "ed", AlgorithmId::Ed25519, 12, 2);
    let corpus = dir.path().join("ed.jsonl");
    let pristine = std::fs::read(&corpus).unwrap();

    // A changed message: the signature no longer verifies and the root differs.
    rewrite_line(&corpus, 5, |l| {
        let mut r: corpus::Record = serde_json::from_str(l).unwrap();
        r.message = format!("{}00", r.message);
        serde_json::to_string(&r).unwrap()
    });
    let e = corpus::verify_corpus(&m).unwrap_err().to_string();
    assert!(e.contains("Merkle root mismatch"), "{e}");

    // A malformed line: the error names the file and the line.
    std::fs::write(&corpus, &pristine).unwrap();
    rewrite_line(&corpus, 7, |l| l.replace("\"context\"", "\"kontext\""));
    let e = corpus::verify_corpus(&m).unwrap_err();
    assert!(matches!(e, CorpusError::Record { line: 7, .. }), "{e}");
    assert!(e.to_string().contains("ed.jsonl:7:"), "{e}");

    // A signature of another key: same length, does not verify.
    std::fs::write(&corpus, &pristine).unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&pristine).unwrap().lines().collect();
    let other: corpus::Record = serde_json::from_str(lines[1]).unwrap();
    rewrite_line(&corpus, 1, |l| {
        let mut r: corpus::Record = serde_json::from_str(l).unwrap();
        r.signature = other.signature.clone();
        serde_json::to_string(&r).unwrap()
    });
    let mut r = CorpusReader::open(&corpus).unwrap();
    let (_, first) = r.next_parsed().unwrap().unwrap();
    assert_eq!(
        first.signature,
        Signature::decode(other.signature.as_bytes()).unwrap()
    );
    let e = corpus::verify_corpus(&m).unwrap_err().to_string();
    assert!(e.contains("Merkle root"), "{e}");

    // Truncated file: the last line has no newline.
    std::fs::write(&corpus, &pristine[..pristine.len() - 1]).unwrap();
    let e = corpus::verify_corpus(&m).unwrap_err().to_string();
    assert!(e.contains(":12:") && e.contains("newline"), "{e}");

    // A key of the wrong algorithm named by a record.
    std::fs::write(&corpus, &pristine).unwrap();
    rewrite_line(&corpus, 3, |l| l.replace("ed-key-0", "ed-key-9"));
    let e = corpus::verify_corpus(&m).unwrap_err().to_string();
    assert!(
        e.contains(":3:") && e.contains("not in the keystore"),
        "{e}"
    );
}

#[test]
fn record_parse_rejects_bad_fields() {
    let dir = tempfile::tempdir().unwrap();
    gen(dir.path(), "ed", AlgorithmId::Ed25519, 1, 1);
    let line = std::fs::read_to_string(dir.path().join("ed.jsonl")).unwrap();
    let good: corpus::Record = serde_json::from_str(line.trim_end()).unwrap();
    assert!(good.parse().is_ok());
    type Mutation = fn(&mut corpus::Record);
    let cases: Vec<(Mutation, &str)> = vec![
        (|r| r.algorithm = "Ed25519".into(), "unknown algorithm"),
        (|r| r.algorithm = "ml-dsa-44".into(), "ed25519 signature"),
        (|r| r.message = "zz".into(), "message is not hex"),
        (|r| r.message = "AB".into(), "lowercase"),
        (|r| r.context = "00".into(), "takes no context"),
        (|r| r.public_key = None, "public_key is required"),
        (
            |r| r.signature = "pqshift1:sig:ed25519:AAAA".into(),
            "signature",
        ),
        (|r| r.id = String::new(), "id must be"),
    ];
    for (mutate, want) in cases {
        let mut r = good.clone();
        mutate(&mut r);
        let e = r.parse().unwrap_err();
        assert!(e.contains(want), "want {want:?}: {e}");
    }
    let e = serde_json::from_str::<corpus::Record>(r#"{"id":"x","extra":1}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field"), "{e}");
}

#[test]
fn generator_refuses_what_it_cannot_reproduce() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.jsonl");
    let mut p = Params::new(AlgorithmId::MlDsa44, 1, 1, vec![1], "x");
    p.provider = Some("pqclean".into());
    let e = generate::generate_files(&p, &out).unwrap_err().to_string();
    assert!(e.contains("reproducible"), "{e}");
    let p = Params::new(AlgorithmId::MlKem768, 1, 1, vec![1], "x");
    assert!(generate::generate_files(&p, &out).is_err());
    let p = Params::new(AlgorithmId::Ed25519, 1, 0, vec![1], "x");
    assert!(generate::generate_files(&p, &out).is_err());
    assert!(generate::generate_files(
        &Params::new(AlgorithmId::Ed25519, 1, 1, vec![1], "x"),
        &dir.path().join("x.json")
    )
    .is_err());
    assert!(!out.exists(), "nothing is left behind on failure");
}
