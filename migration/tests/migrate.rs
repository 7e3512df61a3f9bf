//! The migration engine end to end, through the library: outcomes, outputs,
//! attestations, determinism, shards, dry runs, refusals. (Kill -9 and
//! resume through the `pqshift` binary: `cli/tests/migrate.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pqshift::{AlgorithmId, SecretKey, Signature};
use pqshift_migration::attest::{self, AttestationsFile};
use pqshift_migration::corpus::{self, Keystore, Manifest, Record};
use pqshift_migration::engine::{self, CrossVerify, MigrateError, Options};
use pqshift_migration::generate::{self, Params};
use pqshift_migration::report::{Outcome, Report};

fn gen(dir: &Path, name: &str, alg: AlgorithmId, records: u64, keys: u32) -> PathBuf {
    let out = dir.join(format!("{name}.jsonl"));
    generate::generate_files(
        &Params::new(alg, records, keys, b"migrate test seed".to_vec(), name),
        &out,
    )
    .unwrap();
    out
}

fn master(dir: &Path) -> PathBuf {
    let p = dir.join("master.seed");
    std::fs::write(&p, [0x5au8; 32]).unwrap();
    p
}

fn report(out: &Path) -> Report {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

fn records(path: &Path) -> Vec<Record> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_file()))
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// report.json without its timing object.
fn report_sans_timing(out: &Path) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("timing");
    v
}

fn ed_to_mldsa(corpus: &Path, out: impl AsRef<Path>, seed: &Path) -> Options {
    let mut o = Options::new(corpus, AlgorithmId::MlDsa65, out.as_ref());
    o.provider = Some("liboqs".into());
    o.cross_verify = CrossVerify::Provider("pqclean".into());
    o.master_seed = Some(seed.to_path_buf());
    // The test seeds are patterns, not secrets.
    o.allow_weak_seed = true;
    o
}

#[test]
fn ed25519_to_ml_dsa_65_cross_verified_by_pqclean() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), "ed", AlgorithmId::Ed25519, 40, 3);
    let inputs = tree(dir.path());
    let out = dir.path().join("out");
    let seed = master(dir.path());
    let mut opts = ed_to_mldsa(&corpus, &out, &seed);
    opts.chunk = 7;
    opts.checkpoint_every = 10;
    let done = engine::run(&opts, None).unwrap();
    let h = &done.head;
    assert_eq!(
        (h.counts.records, h.counts.migrated, h.not_migrated),
        (40, 40, 0)
    );
    assert_eq!(h.input.manifest_matches, Some(true));
    assert_eq!(h.migration.cross_verify.as_deref(), Some("pqclean"));
    assert_eq!(h.migration.provider, "liboqs");
    assert!(h.findings.is_empty(), "{:?}", h.findings);

    // Exactly the documented outputs, no checkpoint or temporary file.
    let names: Vec<String> = tree(&out).into_keys().collect();
    assert_eq!(
        names,
        [
            "attestations.json",
            "corpus.jsonl",
            "corpus.keystore.json",
            "corpus.manifest.json",
            "report.json"
        ]
    );
    // The new keystore holds secrets: owner-only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("corpus.keystore.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The input files are unchanged.
    let mut after = tree(dir.path());
    after.retain(|k, _| inputs.contains_key(k));
    assert_eq!(after, inputs);

    // The new corpus is a valid v1 corpus under the new keystore.
    let v = corpus::verify_corpus(&out.join("corpus.manifest.json")).unwrap();
    assert_eq!((v.records, v.valid), (40, 40));
    let m = Manifest::read(&out.join("corpus.manifest.json")).unwrap();
    assert_eq!(m.algorithms, ["ml-dsa-65"]);
    assert_eq!(
        Some(&m.merkle_root),
        h.output.as_ref().map(|o| &o.merkle_root)
    );
    let old = records(&corpus);
    let new = records(&out.join("corpus.jsonl"));
    for (a, b) in old.iter().zip(&new) {
        assert_eq!(
            (&a.id, &a.message, &a.context),
            (&b.id, &b.message, &b.context)
        );
        assert_eq!(b.key_id, format!("{}@ml-dsa-65", a.key_id));
        let prev = b.previous.as_ref().unwrap();
        assert_eq!((&prev.signature, &prev.key_id), (&a.signature, &a.key_id));
        assert_eq!(prev.public_key, a.public_key);
    }

    // Attestations: one per old key, each verifies; a tampered one does not.
    let at: AttestationsFile =
        serde_json::from_slice(&std::fs::read(out.join("attestations.json")).unwrap()).unwrap();
    assert_eq!(at.attestations.len(), 3);
    for a in &at.attestations {
        attest::verify(a, None, None).unwrap();
        assert_eq!(a.old_signature_kind, "signature");
        let mut t = a.clone();
        t.new_key_id.push('x');
        assert!(attest::verify(&t, None, None).is_err());
    }
    let mut t = at.attestations[0].clone();
    t.new_public_key = at.attestations[1].new_public_key.clone();
    assert!(attest::verify(&t, None, None).is_err());

    // The new keys are the documented HKDF derivation of the master seed.
    let ks = Keystore::read(&out.join("corpus.keystore.json")).unwrap();
    for k in &ks.keys {
        let old_id = k.key_id.strip_suffix("@ml-dsa-65").unwrap();
        let s = pqshift_migration::keys::derive_seed(&[0x5a; 32], AlgorithmId::MlDsa65, old_id)
            .unwrap();
        let expect = SecretKey::from_seed(AlgorithmId::MlDsa65, s.expose(), None).unwrap();
        assert_eq!(
            k.secret_key,
            expect.to_tagged().unwrap().to_text().to_string()
        );
    }

    // The same run again gives the same bytes (report timing aside).
    let out2 = dir.path().join("out2");
    engine::run(&ed_to_mldsa(&corpus, &out2, &seed), None).unwrap();
    let (mut a, mut b) = (tree(&out), tree(&out2));
    a.remove("report.json");
    b.remove("report.json");
    assert_eq!(a, b);
    let (mut ra, mut rb) = (report_sans_timing(&out), report_sans_timing(&out2));
    // Chunking differs between the two runs; nothing else does.
    assert_eq!(
        ra.as_object_mut().map(|o| o.len()),
        rb.as_object_mut().map(|o| o.len())
    );
    assert_eq!(ra, rb);
}

#[test]
fn golden_corpora_migrate_to_ml_dsa_65() {
    let root = pqshift_test_support::project_root().join("golden/corpus");
    for (name, contexts) in [("ed25519-v1", false), ("placeholder-v1", true)] {
        let corpus = root.join(format!("{name}.jsonl"));
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let seed = master(dir.path());
        let before = tree(&root);
        let done = engine::run(&ed_to_mldsa(&corpus, &out, &seed), None).unwrap();
        let h = &done.head;
        assert_eq!(h.input.manifest_matches, Some(true), "{name}");
        assert!(h.counts.records > 0, "{name}");
        assert_eq!(
            (h.counts.migrated, h.not_migrated),
            (h.counts.records, 0),
            "{name}"
        );
        let v = corpus::verify_corpus(&out.join("corpus.manifest.json")).unwrap();
        assert_eq!(v.valid, h.counts.migrated);
        let new = records(&out.join("corpus.jsonl"));
        assert_eq!(
            new.iter().any(|r| !r.context.is_empty()),
            contexts,
            "{name}"
        );
        let at: AttestationsFile =
            serde_json::from_slice(&std::fs::read(out.join("attestations.json")).unwrap()).unwrap();
        let old = Keystore::read(&root.join(format!("{name}.keystore.json")))
            .unwrap()
            .load(Path::new("ks"), None)
            .unwrap();
        assert_eq!(at.attestations.len(), old.len());
        for a in &at.attestations {
            attest::verify(a, Some(&old[&a.old_key_id].secret), None).unwrap();
        }
        assert_eq!(tree(&root), before, "golden/corpus was modified");
    }
}

#[test]
fn placeholder_to_ed25519_needs_an_explicit_no_cross_verify() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(
        dir.path(),
        "mac",
        AlgorithmId::InsecureTestHmacSha256,
        30,
        2,
    );
    let out = dir.path().join("out");
    let mut opts = Options::new(&corpus, AlgorithmId::Ed25519, &out);
    opts.master_seed = Some(master(dir.path()));
    opts.allow_weak_seed = true;
    // Only dalek serves Ed25519: no independent verifier, so refused...
    let e = engine::run(&opts, None).unwrap_err();
    assert!(matches!(e, MigrateError::Refused(_)), "{e}");
    assert!(e.to_string().contains("--no-cross-verify"), "{e}");
    assert!(!out.join("report.json").exists());
    // ...and naming dalek itself is refused too.
    opts.cross_verify = CrossVerify::Provider("dalek".into());
    assert!(matches!(
        engine::run(&opts, None),
        Err(MigrateError::Refused(_))
    ));
    // With --no-cross-verify it runs, and the report says so loudly.
    opts.cross_verify = CrossVerify::Disabled;
    let done = engine::run(&opts, None).unwrap();
    let h = &done.head;
    // The MAC corpus has contexts; Ed25519 takes none.
    assert_eq!(h.counts.migrated + h.counts.context_unsupported, 30);
    assert!(h.counts.migrated > 0 && h.counts.context_unsupported > 0);
    assert_eq!(h.migration.cross_verify, None);
    assert!(h
        .findings
        .iter()
        .any(|f| f.contains("CROSS-VERIFICATION DISABLED")));
    assert!(h.findings.iter().any(|f| f.contains("INSECURE")));
    let r = report(&out);
    assert!(r
        .failures
        .iter()
        .all(|f| f.outcome == Outcome::ContextUnsupported && f.id.is_some()));
    let v = corpus::verify_corpus(&out.join("corpus.manifest.json")).unwrap();
    assert_eq!(v.valid, h.counts.migrated);
    // The attestations' old "signatures" are MAC tags: checkable with the old secret key only.
    let old = Keystore::read(&dir.path().join("mac.keystore.json"))
        .unwrap()
        .load(Path::new("ks"), None)
        .unwrap();
    let at: AttestationsFile =
        serde_json::from_slice(&std::fs::read(out.join("attestations.json")).unwrap()).unwrap();
    assert_eq!(at.attestations.len(), 2);
    for a in &at.attestations {
        assert_eq!(a.old_signature_kind, "mac");
        assert!(attest::verify(a, None, None).is_err());
        attest::verify(a, Some(&old[&a.old_key_id].secret), None).unwrap();
    }
}

fn flip_signature(text: &str) -> String {
    let s = Signature::decode(text.as_bytes()).unwrap();
    let mut raw = s.as_raw().to_vec();
    raw[5] ^= 1;
    Signature::from_raw(s.algorithm(), &raw)
        .unwrap()
        .to_text()
        .unwrap()
}

#[test]
fn corrupted_lines_are_reported_with_their_reason_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let clean = gen(dir.path(), "ed", AlgorithmId::Ed25519, 12, 2);
    let lines: Vec<String> = std::fs::read_to_string(&clean)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut bad = lines.clone();
    bad[1] = bad[1][..bad[1].len() / 2].to_string(); // bad JSON (line 2)
    let mut r: Record = serde_json::from_str(&lines[3]).unwrap();
    r.message = "zz".into(); // bad hex (line 4)
    bad[3] = serde_json::to_string(&r).unwrap();
    let mut r: Record = serde_json::from_str(&lines[5]).unwrap();
    r.algorithm = "rsa-2048".into(); // unknown algorithm (line 6)
    bad[5] = serde_json::to_string(&r).unwrap();
    let mut r: Record = serde_json::from_str(&lines[7]).unwrap();
    r.signature = flip_signature(&r.signature); // flipped signature (line 8)
    bad[7] = serde_json::to_string(&r).unwrap();
    let mut r: Record = serde_json::from_str(&lines[9]).unwrap();
    r.key_id = "nobody".into(); // unknown key (line 10)
    bad[9] = serde_json::to_string(&r).unwrap();
    let mut text = bad.join("\n");
    text.truncate(text.len() - 10); // truncated last line (line 12)
    let corpus = dir.path().join("bad.jsonl");
    std::fs::write(&corpus, &text).unwrap();
    let out = dir.path().join("out");
    let mut opts = ed_to_mldsa(&corpus, &out, &master(dir.path()));
    opts.keystore = Some(dir.path().join("ed.keystore.json"));
    opts.chunk = 3;
    let done = engine::run(&opts, None).unwrap();
    let c = &done.head.counts;
    assert_eq!(c.records, 12);
    assert_eq!(
        (c.migrated, c.malformed, c.old_invalid, c.unknown_key),
        (6, 4, 1, 1)
    );
    assert_eq!(done.head.not_migrated, 6);
    let r = report(&out);
    let by_line: BTreeMap<u64, (Outcome, Option<String>, String)> = r
        .failures
        .iter()
        .map(|f| (f.line, (f.outcome, f.id.clone(), f.reason.clone())))
        .collect();
    assert_eq!(
        by_line.keys().copied().collect::<Vec<_>>(),
        [2, 4, 6, 8, 10, 12]
    );
    assert!(by_line[&2].2.contains("JSON"), "{:?}", by_line[&2]);
    assert!(by_line[&4].2.contains("hex"), "{:?}", by_line[&4]);
    assert_eq!(by_line[&4].1.as_deref(), Some("ed-000003"));
    assert!(
        by_line[&6].2.contains("unknown algorithm"),
        "{:?}",
        by_line[&6]
    );
    assert_eq!(by_line[&8].0, Outcome::OldInvalid);
    assert_eq!(by_line[&8].1.as_deref(), Some("ed-000007"));
    assert_eq!(by_line[&10].0, Outcome::UnknownKey);
    assert!(by_line[&12].2.contains("truncated"), "{:?}", by_line[&12]);
    // The flipped record was never re-signed.
    let ids: Vec<String> = records(&out.join("corpus.jsonl"))
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        ids,
        [
            "ed-000000",
            "ed-000002",
            "ed-000004",
            "ed-000006",
            "ed-000008",
            "ed-000010"
        ]
    );
    // There is no manifest beside bad.jsonl: nothing to compare with.
    assert_eq!(done.head.input.manifest_matches, None);
}

#[test]
fn a_corpus_that_differs_from_its_manifest_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), "ed", AlgorithmId::Ed25519, 6, 1);
    let mut text = std::fs::read_to_string(&corpus).unwrap();
    let first = text.find('\n').unwrap() + 1;
    text.replace_range(..first, "");
    std::fs::write(&corpus, text).unwrap();
    let out = dir.path().join("out");
    let done = engine::run(&ed_to_mldsa(&corpus, &out, &master(dir.path())), None).unwrap();
    assert_eq!(done.head.counts.migrated, 5);
    assert_eq!(done.head.input.manifest_matches, Some(false));
    assert!(done
        .head
        .findings
        .iter()
        .any(|f| f.contains("does not match its manifest")));
}

#[test]
fn dry_run_writes_only_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), "ed", AlgorithmId::Ed25519, 20, 2);
    let out = dir.path().join("out");
    let mut opts = ed_to_mldsa(&corpus, &out, &master(dir.path()));
    opts.master_seed = None;
    opts.dry_run = true;
    let done = engine::run(&opts, None).unwrap();
    assert_eq!(done.head.counts.would_migrate, 20);
    assert_eq!(done.head.counts.migrated, 0);
    assert!(done.head.output.is_none());
    assert_eq!(tree(&out).into_keys().collect::<Vec<_>>(), ["report.json"]);
}

#[test]
fn shards_together_are_the_full_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), "ed", AlgorithmId::Ed25519, 25, 3);
    let seed = master(dir.path());
    let full = dir.path().join("full");
    engine::run(&ed_to_mldsa(&corpus, &full, &seed), None).unwrap();
    let mut merged = BTreeMap::new();
    let mut total = 0;
    for i in 0..3 {
        let out = dir.path().join(format!("shard{i}"));
        let mut o = ed_to_mldsa(&corpus, &out, &seed);
        o.shard = (i, 3);
        let done = engine::run(&o, None).unwrap();
        total += done.head.counts.records;
        assert_eq!(done.head.counts.other_shards, 25 - done.head.counts.records);
        for l in std::fs::read_to_string(out.join("corpus.jsonl"))
            .unwrap()
            .lines()
        {
            let r: Record = serde_json::from_str(l).unwrap();
            assert!(merged.insert(r.id, l.to_string()).is_none());
        }
        // Every shard derives the same keys and attestations.
        for f in ["corpus.keystore.json", "attestations.json"] {
            assert_eq!(
                std::fs::read(out.join(f)).unwrap(),
                std::fs::read(full.join(f)).unwrap()
            );
        }
    }
    assert_eq!(total, 25);
    let full_lines: BTreeMap<String, String> = std::fs::read_to_string(full.join("corpus.jsonl"))
        .unwrap()
        .lines()
        .map(|l| (serde_json::from_str::<Record>(l).unwrap().id, l.to_string()))
        .collect();
    assert_eq!(merged, full_lines);
    // Without a master seed, shards would get different keys: refused.
    let mut o = ed_to_mldsa(&corpus, dir.path().join("x"), &seed);
    o.master_seed = None;
    o.shard = (0, 2);
    assert!(matches!(
        engine::run(&o, None),
        Err(MigrateError::Refused(_))
    ));
}

#[test]
fn refusals_leave_outputs_alone() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), "ed", AlgorithmId::Ed25519, 5, 1);
    let seed = master(dir.path());
    let out = dir.path().join("out");
    engine::run(&ed_to_mldsa(&corpus, &out, &seed), None).unwrap();
    let before = tree(&out);
    // A second run into the same directory is refused; nothing is touched.
    let e = engine::run(&ed_to_mldsa(&corpus, &out, &seed), None).unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(tree(&out), before);
    // A KEM target, an insecure target without the flag, a short master seed,
    // a provider that cannot sign deterministically.
    let o = Options::new(&corpus, AlgorithmId::MlKem768, dir.path().join("a"));
    assert!(matches!(
        engine::run(&o, None),
        Err(MigrateError::Refused(_))
    ));
    let o = Options::new(
        &corpus,
        AlgorithmId::InsecureTestHmacSha256,
        dir.path().join("b"),
    );
    assert!(matches!(
        engine::run(&o, None),
        Err(MigrateError::Refused(_))
    ));
    std::fs::write(dir.path().join("short.seed"), [1u8; 8]).unwrap();
    let o = ed_to_mldsa(
        &corpus,
        dir.path().join("c"),
        &dir.path().join("short.seed"),
    );
    assert!(matches!(
        engine::run(&o, None),
        Err(MigrateError::Refused(_))
    ));
    let mut o = ed_to_mldsa(&corpus, dir.path().join("d"), &seed);
    o.provider = Some("pqclean".into());
    o.cross_verify = CrossVerify::Auto;
    assert!(matches!(
        engine::run(&o, None),
        Err(MigrateError::Refused(_))
    ));
}

#[test]
fn os_random_keys_differ_between_runs_but_verify() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), "ed", AlgorithmId::Ed25519, 4, 2);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let mut o = ed_to_mldsa(&corpus, out, Path::new("-"));
        o.master_seed = None;
        o.cross_verify = CrossVerify::Auto;
        let done = engine::run(&o, None).unwrap();
        assert_eq!(done.head.migration.key_source, "os-random");
        // The signer is liboqs (the preferred provider that signs
        // deterministically); the first other provider is awslc.
        assert_eq!(done.head.migration.provider, "liboqs");
        assert_eq!(done.head.migration.cross_verify.as_deref(), Some("awslc"));
        assert_eq!(
            corpus::verify_corpus(&out.join("corpus.manifest.json"))
                .unwrap()
                .valid,
            4
        );
    }
    assert_ne!(
        std::fs::read(a.join("corpus.keystore.json")).unwrap(),
        std::fs::read(b.join("corpus.keystore.json")).unwrap()
    );
}

#[test]
fn a_run_killed_while_renaming_its_outputs_is_finished_by_resume() {
    use pqshift_migration::checkpoint::{Checkpoint, CHECKPOINT_FORMAT};
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), "ed", AlgorithmId::Ed25519, 9, 2);
    let seed = master(dir.path());
    let out = dir.path().join("out");
    let opts = ed_to_mldsa(&corpus, &out, &seed);
    engine::run(&opts, None).unwrap();
    let done = tree(&out);
    // Put the state back to "finalizing, two files renamed, three not".
    let names = [
        "corpus.jsonl",
        "corpus.manifest.json",
        "corpus.keystore.json",
        "attestations.json",
        "report.json",
    ];
    let mut finals = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let bytes = &done[*n];
        let fp = if *n == "corpus.jsonl" {
            format!("len:{}", bytes.len())
        } else {
            hex::encode(Sha256::digest(bytes))
        };
        finals.push((n.to_string(), fp));
        if i >= 2 {
            std::fs::rename(out.join(n), out.join(format!(".{n}.tmp"))).unwrap();
        }
    }
    let ckpt = Checkpoint {
        format: CHECKPOINT_FORMAT.into(),
        version: 1,
        params_hash: engine::params_hash(&opts).unwrap(),
        phase: "finalizing".into(),
        input_offset: 0,
        input_lines: 0,
        input_merkle_root: String::new(),
        output_len: 0,
        output_records: 0,
        output_merkle_root: String::new(),
        failures_len: 0,
        counts: Default::default(),
        algorithms: Default::default(),
        keys_sha256: String::new(),
        final_sha256: finals,
    };
    ckpt.write(&out.join(engine::CHECKPOINT)).unwrap();
    // Without --resume: refused.
    assert!(matches!(
        engine::run(&opts, None),
        Err(MigrateError::Refused(_))
    ));
    let mut resume = opts.clone();
    resume.resume = true;
    let again = engine::run(&resume, None).unwrap();
    assert_eq!(again.head.counts.migrated, 9);
    assert_eq!(tree(&out), done);
    // A damaged temporary output is not renamed into place.
    std::fs::rename(out.join("report.json"), out.join(".report.json.tmp")).unwrap();
    std::fs::write(out.join(".report.json.tmp"), b"{}").unwrap();
    ckpt.write(&out.join(engine::CHECKPOINT)).unwrap();
    assert!(matches!(
        engine::run(&resume, None),
        Err(MigrateError::Refused(_))
    ));
    assert!(!out.join("report.json").exists());
}
