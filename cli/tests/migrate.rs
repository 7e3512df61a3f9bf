//! `pqshift migrate` end to end: kill -9 at several points and resume gives
//! byte-identical outputs; resumes with other arguments or changed input
//! are refused; exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_pqshift");

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    let e = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!e.contains("panicked"), "{e}");
    (out.status.code().unwrap_or(-1), e)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn generate(dir: &Path, alg: &str, records: u32) -> PathBuf {
    let corpus = dir.join("in.jsonl");
    let (code, err) = run(&[
        "corpus",
        "generate",
        "--alg",
        alg,
        "--records",
        &records.to_string(),
        "--keys",
        "3",
        "--seed",
        "6d6967726174652d6b696c6c",
        "--out",
        s(&corpus),
    ]);
    assert_eq!(code, 0, "{err}");
    corpus
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        // The lock file names whoever last held the directory (a run killed
        // with -9 leaves it behind): it is not an output.
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().is_file() && e.file_name() != ".pqshift.lock")
        })
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every output, with report.json's timing object removed.
fn comparable(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut f = files(dir);
    let mut report: serde_json::Value = serde_json::from_slice(&f["report.json"]).unwrap();
    report.as_object_mut().unwrap().remove("timing");
    f.insert("report.json".into(), report.to_string().into_bytes());
    f
}

fn migrate_args<'a>(corpus: &'a Path, seed: &'a Path, out: &'a Path) -> Vec<&'a str> {
    vec![
        "migrate",
        "--corpus",
        s(corpus),
        "--to",
        "ml-dsa-65",
        "--provider",
        "liboqs",
        "--cross-verify",
        "pqclean",
        "--master-seed",
        s(seed),
        // The test seeds are patterns, not secrets.
        "--allow-weak-seed",
        "--out",
        s(out),
        "--jobs",
        "2",
        "--checkpoint-every",
        "16",
    ]
}

/// Starts the migration and SIGKILLs it once `ready` holds (or it ends).
/// Returns true when it was killed before finishing.
fn kill_when(args: &[&str], ready: impl Fn(Duration) -> bool) -> bool {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if ready(t0.elapsed()) {
            child.kill().unwrap(); // SIGKILL: no destructor, no flush, no cleanup
            child.wait().unwrap();
            return true;
        }
        if t0.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("migration did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn kill_9_at_several_points_then_resume_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(dir.path(), "ed25519", 400);
    let seed = dir.path().join("master.seed");
    std::fs::write(&seed, [7u8; 32]).unwrap();
    let inputs = files(dir.path());

    let reference = dir.path().join("reference");
    let (code, err) = run(&migrate_args(&corpus, &seed, &reference));
    assert_eq!(code, 0, "{err}");

    let out = dir.path().join("out");
    let args = migrate_args(&corpus, &seed, &out);
    let mut resume = args.clone();
    resume.push("--resume");
    let ckpt = out.join(".migrate-checkpoint.json");
    let tmp_corpus = out.join(".corpus.jsonl.tmp");
    let len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);

    // 1: as soon as the first checkpoint exists (keys written, no record yet maybe).
    let mut kills = 0;
    kills += u32::from(kill_when(&args, |_| ckpt.exists()));
    assert!(ckpt.exists(), "killed before the first checkpoint");

    // A resume with other arguments, or none, is refused and changes nothing.
    let before = files(&out);
    let mut other = resume.clone();
    other.push("--drop-old");
    let (code, err) = run(&other);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("other arguments"), "{err}");
    let (code, err) = run(&args);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--resume"), "{err}");
    assert_eq!(files(&out), before);

    // 2: mid-write, after some output (between two checkpoints, most likely).
    let grown = len(&tmp_corpus) + 60_000;
    kills += u32::from(kill_when(&resume, |_| len(&tmp_corpus) > grown));
    // 3: after a while, wherever that is.
    kills += u32::from(kill_when(&resume, |t| t > Duration::from_millis(400)));
    assert!(kills >= 2, "the runs ended before they could be killed");
    eprintln!("killed {kills} times");

    // Changed input is refused (the consumed prefix is re-hashed).
    if ckpt.exists() {
        let original = std::fs::read(&corpus).unwrap();
        let mut changed = original.clone();
        let i = changed.iter().position(|&b| b == b'0').unwrap();
        changed[i] = b'1';
        std::fs::write(&corpus, &changed).unwrap();
        let (code, err) = run(&resume);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("changed"), "{err}");
        std::fs::write(&corpus, &original).unwrap();
    }

    // Finish.
    let (code, err) = run(&resume);
    assert_eq!(code, 0, "{err}");
    assert_eq!(comparable(&out), comparable(&reference));
    // No checkpoint or temporary file is left; the inputs are untouched.
    assert_eq!(files(&out).len(), 5, "{:?}", files(&out).keys());
    let mut after = files(dir.path());
    after.retain(|k, _| inputs.contains_key(k));
    assert_eq!(after, inputs);
    // Resuming a finished run only reports it again.
    let (code, err) = run(&resume);
    assert_eq!(code, 0, "{err}");
    assert_eq!(comparable(&out), comparable(&reference));
}

#[test]
fn exit_codes_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(dir.path(), "ed25519", 6);
    let seed = dir.path().join("master.seed");
    std::fs::write(&seed, [7u8; 32]).unwrap();
    // A flipped signature: exit 1, unless --allow-failures.
    let text = std::fs::read_to_string(&corpus).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[2] = lines[2].replace("\"message\":\"", "\"message\":\"00");
    std::fs::write(&corpus, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("a");
    let (code, err) = run(&migrate_args(&corpus, &seed, &out));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("old_invalid 1"), "{err}");
    assert!(err.contains("migrated 5"), "{err}");
    let out = dir.path().join("b");
    let mut args = migrate_args(&corpus, &seed, &out);
    args.push("--allow-failures");
    let (code, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    // ed25519 has a single provider: refused without --no-cross-verify.
    let out = dir.path().join("c");
    let (code, err) = run(&[
        "migrate",
        "--corpus",
        s(&corpus),
        "--to",
        "ed25519",
        "--out",
        s(&out),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--no-cross-verify"), "{err}");
    assert!(!out.join("report.json").exists());
    let (code, err) = run(&[
        "migrate",
        "--corpus",
        s(&corpus),
        "--to",
        "ml-dsa-65",
        "--out",
        s(&out),
        "--shard",
        "3/3",
    ]);
    assert_eq!(code, 2, "{err}");
}

fn report_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

#[test]
fn old_verify_flag_is_recorded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = generate(dir.path(), "ml-dsa-44", 6);
    let seed = dir.path().join("master.seed");
    std::fs::write(&seed, [7u8; 32]).unwrap();

    // Default: dual, two distinct providers, printed in the summary.
    let out = dir.path().join("dual");
    let (code, err) = run(&migrate_args(&corpus, &seed, &out));
    assert_eq!(code, 0, "{err}");
    let r = report_json(&out);
    assert_eq!(r["migration"]["old_verify"], "dual");
    let plan = &r["migration"]["old_verifiers"]["ml-dsa-44"];
    assert_eq!(plan["mode"], "dual", "{r}");
    let providers: Vec<&str> = plan["providers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(providers.len(), 2, "{plan}");
    assert_ne!(providers[0], providers[1]);
    assert!(
        err.contains(&format!(
            "old signatures verified: ml-dsa-44 dual by {} + {}",
            providers[0], providers[1]
        )),
        "{err}"
    );
    assert_eq!(r["counts"]["providers_disagree"], 0);
    assert_eq!(r["findings"].as_array().unwrap().len(), 0, "{r}");

    // --old-verify single: the first provider alone, recorded, with a finding.
    let out = dir.path().join("single");
    let mut args = migrate_args(&corpus, &seed, &out);
    args.extend(["--old-verify", "single"]);
    let (code, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let r = report_json(&out);
    assert_eq!(r["migration"]["old_verify"], "single");
    let plan = &r["migration"]["old_verifiers"]["ml-dsa-44"];
    assert_eq!(plan["mode"], "single");
    assert_eq!(plan["providers"], serde_json::json!([providers[0]]));
    assert!(
        err.contains("FINDING: OLD SIGNATURES VERIFIED BY ONE PROVIDER ONLY"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "old signatures verified: ml-dsa-44 single by {}",
            providers[0]
        )),
        "{err}"
    );
    // The new corpus is the same as with dual verification: nothing disagreed.
    assert_eq!(
        std::fs::read(out.join("corpus.jsonl")).unwrap(),
        std::fs::read(dir.path().join("dual/corpus.jsonl")).unwrap()
    );

    // --old-verifiers pins the providers.
    let out = dir.path().join("pinned");
    let mut args = migrate_args(&corpus, &seed, &out);
    args.extend(["--old-verifiers", "ml-dsa-44=pqclean,liboqs"]);
    let (code, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        report_json(&out)["migration"]["old_verifiers"]["ml-dsa-44"]["providers"],
        serde_json::json!(["pqclean", "liboqs"])
    );

    // Refused (exit 2, nothing written): bad values and contradictions.
    for (i, extra) in [
        &["--old-verify", "both"][..],
        &["--old-verifiers", "ml-dsa-44"],
        &["--old-verifiers", "ml-dsa-44=liboqs,liboqs"],
        &["--old-verifiers", "ml-dsa-44=liboqs,pqclean,rustcrypto"],
        &["--old-verifiers", "ml-dsa-44=dalek"],
        &["--old-verifiers", "ml-dsa-87=pqclean"],
        &[
            "--old-verify",
            "single",
            "--old-verifiers",
            "ml-dsa-44=liboqs,pqclean",
        ],
    ]
    .iter()
    .enumerate()
    {
        let out = dir.path().join(format!("refused-{i}"));
        let mut args = migrate_args(&corpus, &seed, &out);
        args.extend(extra.iter().copied());
        let (code, err) = run(&args);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(!out.join("report.json").exists(), "{extra:?}");
    }
}
