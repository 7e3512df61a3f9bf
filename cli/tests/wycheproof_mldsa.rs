//! Wycheproof ML-DSA verification vectors (`mldsa_{44,65,87}_verify_test.json`,
//! 631 cases) through `pqshift verify --alg A --pub-raw PK --sig SIG
//! [--context HEX] MSG`, once per provider that serves ML-DSA, each chosen
//! the way users choose it: a configuration file with `[verify] provider`.
//!
//! The providers come from `pqshift providers --json`, so a newly linked
//! ML-DSA provider is covered without touching this file. Expected verdicts
//! come from the vectors alone: `valid` exits 0; `invalid` with
//! `IncorrectPublicKeyLength`, `IncorrectSignatureLength` or `InvalidContext`
//! (a context over 255 bytes) is malformed input, exit 2; every other
//! `invalid` is a failed verification, exit 1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Mutex;

use common::{Env, Out};
use pqshift_test_support::{hex_field, load_json};

/// (algorithm, vector file, number of cases).
const FILES: [(&str, &str, usize); 3] = [
    ("ml-dsa-44", "mldsa_44_verify_test.json", 180),
    ("ml-dsa-65", "mldsa_65_verify_test.json", 210),
    ("ml-dsa-87", "mldsa_87_verify_test.json", 241),
];

/// Providers that must serve every ML-DSA parameter set in this build.
const REQUIRED: [&str; 3] = ["liboqs", "pqclean", "rustcrypto"];

/// Flags of `invalid` cases that are malformed input rather than a
/// signature that fails to verify.
const MALFORMED_FLAGS: [&str; 3] = [
    "IncorrectPublicKeyLength",
    "IncorrectSignatureLength",
    "InvalidContext",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Valid,
    Malformed,
    Invalid,
}

impl Expect {
    fn exit_code(self) -> i32 {
        match self {
            Expect::Valid => 0,
            Expect::Invalid => 1,
            Expect::Malformed => 2,
        }
    }
}

/// One vector, written to files in the scratch directory.
struct Case {
    alg: &'static str,
    file: &'static str,
    tc_id: u64,
    expect: Expect,
    pk: String,
    sig: String,
    msg: String,
    ctx: Option<String>,
}

fn expectation(t: &serde_json::Value) -> Expect {
    let flags: Vec<&str> = t["flags"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f.as_str()).collect())
        .unwrap_or_default();
    match t["result"].as_str() {
        Some("valid") => Expect::Valid,
        Some("invalid") if flags.iter().any(|f| MALFORMED_FLAGS.contains(f)) => Expect::Malformed,
        Some("invalid") => Expect::Invalid,
        other => panic!("tcId {}: unexpected result {other:?}", t["tcId"]),
    }
}

/// Reads the three files into cases (their key, signature and message
/// written as bytes to `e`); `None` when the vectors are absent.
fn load_cases(e: &Env) -> Option<Vec<Case>> {
    let mut cases = Vec::new();
    for (alg, file, count) in FILES {
        let d = load_json(&format!("wycheproof/testvectors_v1/{file}"))?;
        assert_eq!(d["numberOfTests"].as_u64(), Some(count as u64), "{file}");
        let before = cases.len();
        for g in d["testGroups"].as_array().unwrap() {
            let pk = hex_field(g, "publicKey");
            for t in g["tests"].as_array().unwrap() {
                let tc_id = t["tcId"].as_u64().unwrap();
                let name = format!("{alg}-{tc_id}");
                let ctx = match t.get("ctx").and_then(|c| c.as_str()) {
                    Some(c) if !c.is_empty() => Some(c.to_ascii_lowercase()),
                    _ => None,
                };
                cases.push(Case {
                    alg,
                    file,
                    tc_id,
                    expect: expectation(t),
                    pk: e.write(&format!("{name}.pk"), &pk),
                    sig: e.write(&format!("{name}.sig"), hex_field(t, "sig")),
                    msg: e.write(&format!("{name}.msg"), hex_field(t, "msg")),
                    ctx,
                });
            }
        }
        assert_eq!(cases.len() - before, count, "{file}: cases read");
    }
    Some(cases)
}

/// The providers `pqshift providers --json` lists for `alg`.
fn providers_for(e: &Env, alg: &str) -> BTreeSet<String> {
    let o = e.run(&["providers", "--json"]);
    o.ok();
    let list: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .filter(|p| p["algorithm"] == alg)
        .map(|p| p["provider"].as_str().unwrap().to_string())
        .collect()
}

/// A configuration that verifies every ML-DSA parameter set with
/// `provider`. Self-tests run on first use: each of the ~2,000 processes
/// still admits the provider before it verifies, but only for the one
/// parameter set it uses, which halves the run time.
fn config(e: &Env, provider: &str) -> String {
    let accept: Vec<String> = FILES.iter().map(|(a, _, _)| format!("\"{a}\"")).collect();
    let text = format!(
        "[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"{provider}\"\n\n\
         [verify]\naccept = [{}]\nprovider = \"{provider}\"\n\n\
         [policy]\nself_test = \"on-first-use\"\n",
        accept.join(", ")
    );
    let path = e.write(&format!("{provider}.toml"), text);
    // The configuration really routes verification to `provider`.
    let o = e.run(&["--config", &path, "doctor", "--json"]);
    o.ok();
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    for (alg, _, _) in FILES {
        let a = v["algorithms"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["algorithm"] == alg)
            .unwrap_or_else(|| panic!("doctor --json lists no {alg}"));
        assert_eq!(a["served_by"], provider, "{alg} under {path}: {a}");
    }
    path
}

/// Whether `o` is the outcome `want` asks for: the exit code, and for exit
/// 1 and 2 the kind of message (a failed verification says no more than
/// "invalid signature"; malformed input says what length was expected).
fn matches(o: &Out, want: Expect) -> bool {
    if o.code != want.exit_code() {
        return false;
    }
    let err = o.stderr.to_lowercase();
    match want {
        Expect::Valid => o.stdout == "valid\n",
        Expect::Invalid => o.stdout.is_empty() && err.contains("invalid signature"),
        Expect::Malformed => {
            err.starts_with("error:") && err.contains("must be") && err.contains("bytes")
        }
    }
}

fn describe(o: &Out) -> String {
    let msg = o.stderr.trim();
    let msg = if msg.is_empty() { o.stdout.trim() } else { msg };
    format!(
        "exit {} ({})",
        o.code,
        msg.chars().take(160).collect::<String>()
    )
}

/// Per (file, provider): counts and the tcIds that went wrong.
#[derive(Default)]
struct Tally {
    total: usize,
    valid_accepted: usize,
    invalid_rejected: usize,
    wrong: Vec<String>,
}

#[test]
fn wycheproof_mldsa_verify_through_the_cli_for_every_provider() {
    let e = Env::new();
    let Some(cases) = load_cases(&e) else {
        return;
    };

    // Every provider that serves ML-DSA, from the front end itself.
    let mut providers = BTreeSet::new();
    for (alg, _, _) in FILES {
        let ps = providers_for(&e, alg);
        for r in REQUIRED {
            assert!(
                ps.contains(r),
                "providers --json lists no {r} for {alg}: {ps:?}"
            );
        }
        providers.extend(ps);
    }
    let mut jobs = Vec::new();
    for p in &providers {
        let cfg = config(&e, p);
        for c in &cases {
            jobs.push((p.as_str(), cfg.clone(), c));
        }
    }

    // ~2,000 short processes, mostly waiting on each other: a few at a time.
    let results: Mutex<Vec<(&str, &Case, Out)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(4, |n| n.get().clamp(4, 8));
    let next = Mutex::new(jobs.iter());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let Some(&(p, ref cfg, c)) = next.lock().unwrap().next() else {
                    break;
                };
                let mut args: Vec<&str> = vec![
                    "--config",
                    cfg.as_str(),
                    "verify",
                    "--alg",
                    c.alg,
                    "--pub-raw",
                    c.pk.as_str(),
                    "--sig",
                    c.sig.as_str(),
                ];
                if let Some(ctx) = &c.ctx {
                    args.extend(["--context", ctx.as_str()]);
                }
                args.push(c.msg.as_str());
                let o = e.run(&args);
                results.lock().unwrap().push((p, c, o));
            });
        }
    });

    // Expected numbers, from the vectors' `result` fields alone.
    let mut failures = Vec::new();
    for (alg, file, count) in FILES {
        let of_file: Vec<&Case> = cases.iter().filter(|c| c.file == file).collect();
        let want_valid = of_file.iter().filter(|c| c.expect == Expect::Valid).count();
        let want_invalid = of_file.len() - want_valid;
        assert_eq!(of_file.len(), count, "{file}");
        for p in &providers {
            let mut t = Tally::default();
            let results = results.lock().unwrap();
            let mut mine: Vec<_> = results
                .iter()
                .filter(|(rp, c, _)| *rp == p.as_str() && c.file == file)
                .collect();
            mine.sort_by_key(|(_, c, _)| c.tc_id);
            for (_, c, o) in mine {
                t.total += 1;
                let right = matches(o, c.expect);
                match (c.expect, right) {
                    (Expect::Valid, true) => t.valid_accepted += 1,
                    (_, true) => t.invalid_rejected += 1,
                    (_, false) => t.wrong.push(format!(
                        "tcId {} (want exit {}, got {})",
                        c.tc_id,
                        c.expect.exit_code(),
                        describe(o)
                    )),
                }
            }
            eprintln!(
                "{file} {alg} via {p}: {} cases, {}/{want_valid} valid accepted, {}/{want_invalid} invalid rejected",
                t.total, t.valid_accepted, t.invalid_rejected
            );
            if t.total != count
                || t.valid_accepted != want_valid
                || t.invalid_rejected != want_invalid
            {
                failures.push(format!(
                    "{file} via provider {p}: {} cases (want {count}), {} valid accepted (want {want_valid}), \
                     {} invalid rejected (want {want_invalid}); wrong: {}",
                    t.total,
                    t.valid_accepted,
                    t.invalid_rejected,
                    t.wrong.join("; ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
