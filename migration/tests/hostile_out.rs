//! The output discipline under a hostile output directory (issue 21):
//! links planted at the migration's temporary names are never followed,
//! secrets are 0600 whatever stood there, one run at a time holds the
//! directory, and weak master seeds are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use pqshift::AlgorithmId;
use pqshift_migration::engine::{self, CrossVerify, MigrateError, Options};
use pqshift_migration::generate::{self, Params};
use pqshift_migration::outfile::{self, Access, DirLock, Overwrite};

fn gen(dir: &Path, records: u64) -> PathBuf {
    let corpus = dir.join("in.jsonl");
    generate::generate_files(
        &Params::new(AlgorithmId::Ed25519, records, 2, b"hostile".to_vec(), "h"),
        &corpus,
    )
    .unwrap();
    corpus
}

fn strong_seed(dir: &Path) -> PathBuf {
    let p = dir.join("master.seed");
    let seed: Vec<u8> = (0u8..32)
        .map(|i| i.wrapping_mul(37).wrapping_add(11))
        .collect();
    std::fs::write(&p, seed).unwrap();
    p
}

/// Ed25519 to Ed25519 (new keys): what is under test is the output
/// directory, and dalek alone serves Ed25519, so no ML-DSA provider's
/// admission decides the outcome.
fn opts(corpus: &Path, out: &Path, seed: &Path) -> Options {
    let mut o = Options::new(corpus, AlgorithmId::Ed25519, out);
    o.cross_verify = CrossVerify::Disabled;
    o.master_seed = Some(seed.to_path_buf());
    o.jobs = Some(1);
    o
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
#[cfg(unix)]
fn links_planted_at_every_temporary_name_are_never_followed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), 8);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let names = [
        ".corpus.keystore.json.tmp",
        ".corpus.jsonl.tmp",
        ".failures.jsonl.tmp",
        ".attestations.json.tmp",
        ".corpus.manifest.json.tmp",
        ".report.json.tmp",
        ".migrate-checkpoint.json.tmp",
    ];
    let victims = dir.path().join("victims");
    std::fs::create_dir(&victims).unwrap();
    for n in names {
        let v = victims.join(n);
        std::fs::write(&v, "precious").unwrap();
        std::fs::set_permissions(&v, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink(&v, out.join(n)).unwrap();
    }
    engine::run(&opts(&corpus, &out, &strong_seed(dir.path())), None).unwrap();
    for n in names {
        assert_eq!(
            std::fs::read_to_string(victims.join(n)).unwrap(),
            "precious",
            "{n}"
        );
        assert_eq!(mode(&victims.join(n)), 0o644, "{n}");
    }
    assert_eq!(mode(&out.join("corpus.keystore.json")), 0o600);
    let r = pqshift_migration::corpus::verify_corpus(&out.join("corpus.manifest.json")).unwrap();
    assert_eq!(r.valid, 8);
}

#[test]
#[cfg(unix)]
fn a_0644_file_planted_at_the_keystore_temporary_name_gives_a_0600_keystore() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), 4);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let planted = out.join(".corpus.keystore.json.tmp");
    std::fs::write(&planted, "").unwrap();
    std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();
    engine::run(&opts(&corpus, &out, &strong_seed(dir.path())), None).unwrap();
    assert_eq!(mode(&out.join("corpus.keystore.json")), 0o600);
}

#[test]
fn a_held_lock_refuses_a_run_and_a_resume_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), 4);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let lock = DirLock::acquire(&out, "pqshift migrate --the-first-run").unwrap();
    let again = DirLock::acquire(&out, "second").unwrap_err().to_string();
    assert!(
        again.contains(&format!("pid {}", std::process::id())),
        "{again}"
    );
    assert!(again.contains("--the-first-run"), "{again}");
    assert!(again.contains("started "), "{again}");
    let seed = strong_seed(dir.path());
    for resume in [false, true] {
        let mut o = opts(&corpus, &out, &seed);
        o.resume = resume;
        match engine::run(&o, None) {
            Err(MigrateError::Refused(m)) => {
                assert!(m.contains("locked by another pqshift run"), "{m}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    // Nothing was written while refused.
    let entries: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, vec![outfile::LOCK_FILE.to_string()]);
    drop(lock);
    assert!(!out.join(outfile::LOCK_FILE).exists());
    engine::run(&opts(&corpus, &out, &seed), None).unwrap();
    assert!(!out.join(outfile::LOCK_FILE).exists());
}

#[test]
fn weak_master_seeds_are_refused_unless_allowed() {
    assert!(engine::weak_seed(&[0u8; 32]).is_some());
    assert!(engine::weak_seed(&[0xffu8; 64]).is_some());
    let seven: Vec<u8> = (0..32).map(|i| (i % 7) as u8).collect();
    assert!(engine::weak_seed(&seven).is_some());
    let eight: Vec<u8> = (0..32).map(|i| (i % 8) as u8).collect();
    assert!(engine::weak_seed(&eight).is_none());

    let dir = tempfile::tempdir().unwrap();
    let corpus = gen(dir.path(), 2);
    let seed = dir.path().join("zero.seed");
    std::fs::write(&seed, [0u8; 32]).unwrap();
    let o = opts(&corpus, &dir.path().join("a"), &seed);
    match engine::run(&o, None) {
        Err(MigrateError::Refused(m)) => {
            assert!(m.contains("--allow-weak-seed") && m.contains("0x00"), "{m}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let mut o = opts(&corpus, &dir.path().join("b"), &seed);
    o.allow_weak_seed = true;
    engine::run(&o, None).unwrap();
}

#[test]
#[cfg(unix)]
fn atomic_files_refuse_non_regular_targets_and_keep_secrets_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("secret");
    std::fs::write(&t, "old").unwrap();
    std::fs::set_permissions(&t, std::fs::Permissions::from_mode(0o666)).unwrap();
    let e = outfile::write_file(&t, b"new", Overwrite::Refuse, Access::Secret).unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    outfile::write_file(&t, b"new", Overwrite::Force, Access::Secret).unwrap();
    assert_eq!(std::fs::read(&t).unwrap(), b"new");
    assert_eq!(mode(&t), 0o600);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&t, &link).unwrap();
    let e = outfile::write_file(&link, b"x", Overwrite::Force, Access::Public).unwrap_err();
    assert!(e.to_string().contains("symbolic link"), "{e}");
    assert_eq!(std::fs::read(&t).unwrap(), b"new");
    let e =
        outfile::write_file(Path::new("-"), b"x", Overwrite::Force, Access::Public).unwrap_err();
    assert!(e.to_string().contains("standard output"), "{e}");
    // Nothing but the targets is left behind.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["link", "secret"]);
}
