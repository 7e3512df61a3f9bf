//! Old signatures are verified by two independent providers before a record
//! is re-signed: a signature one backend wrongly accepts is never migrated.
//!
//! The corpus is built from the Wycheproof ML-DSA-44 verification vectors
//! (`../shared/vectors`, see `vectors/README.md`): the group key of the
//! `InfinityNormViolation` cases (whose z breaks the FIPS 204 norm bound, so
//! every one is invalid) with every case under that key. Expected verdicts
//! come from the vectors alone.
//!
//! This binary also registers a test-only ML-DSA-44 provider that rejects
//! every signature, to produce a disagreement on signatures that are valid
//! (a verification gate in the facade cannot turn that one into agreement).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pqshift::crosscheck::{self, VerifierMode, VerifierRequest};
use pqshift::merkle::MerkleBuilder;
use pqshift::{AlgorithmId, SecretKey, Signature};
use pqshift_migration::corpus::{Manifest, Record, FORMAT_VERSION, MANIFEST_FORMAT, MERKLE_SCHEME};
use pqshift_migration::engine::{self, CrossVerify, Options};
use pqshift_migration::generate::{self, Params};
use pqshift_migration::report::{Outcome, Report};
use pqshift_provider_api::{
    AlgorithmId as Alg, Capabilities, Error, Implementation, ProviderInfo, Result, Scheme,
    SignatureScheme, SigningKeyOps, VerifyingKeyOps,
};

// ---- a test-only provider that rejects every ML-DSA-44 signature ----

const REJECT_ALL: &str = "test-reject-all";

static REJECT_ALL_INFO: ProviderInfo = ProviderInfo {
    id: REJECT_ALL,
    description: "TEST ONLY (this test binary): parses ML-DSA-44 public keys by length and \
                  rejects every signature",
    insecure: false,
    backend: "none",
    backend_version: "0",
    preference: u16::MAX - 1,
};

struct RejectAll;

struct RejectKey(Vec<u8>);

impl Scheme for RejectAll {
    fn algorithm(&self) -> Alg {
        Alg::MlDsa44
    }
    fn provider(&self) -> &'static ProviderInfo {
        &REJECT_ALL_INFO
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            context: true,
            ..Capabilities::default()
        }
    }
    fn self_test(&self) -> Result<()> {
        Ok(())
    }
}

impl SignatureScheme for RejectAll {
    fn signing_key_from_seed(&self, _seed: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Err(Error::unsupported("test-reject-all does not sign"))
    }
    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        pqshift_provider_api::check_len(
            Alg::MlDsa44,
            "public key",
            Alg::MlDsa44.sizes().public_key,
            public_key,
        )?;
        Ok(Box::new(RejectKey(public_key.to_vec())))
    }
}

impl VerifyingKeyOps for RejectKey {
    fn public_key(&self) -> &[u8] {
        &self.0
    }
    fn verify(&self, _message: &[u8], _context: &[u8], _signature: &[u8]) -> Result<()> {
        Err(Error::VerificationFailed)
    }
}

pqshift_provider_api::register!(Implementation::Signature(&RejectAll));

// ---- helpers ----

const WYCHEPROOF_44: &str = "wycheproof/testvectors_v1/mldsa_44_verify_test.json";

fn master(dir: &Path) -> PathBuf {
    let p = dir.join("master.seed");
    std::fs::write(&p, [0x5au8; 32]).unwrap();
    p
}

fn report(out: &Path) -> Report {
    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap()
}

fn output_ids(out: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(out.join("corpus.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Record>(l).unwrap().id)
        .collect()
}

fn to_mldsa65(corpus: &Path, out: &Path, seed: &Path) -> Options {
    let mut o = Options::new(corpus, AlgorithmId::MlDsa65, out);
    o.provider = Some("liboqs".into());
    o.cross_verify = CrossVerify::Provider("pqclean".into());
    o.master_seed = Some(seed.to_path_buf());
    // The test seeds are patterns, not secrets.
    o.allow_weak_seed = true;
    // Small chunks, so several chunks and checkpoints are exercised.
    o.chunk = 16;
    o.checkpoint_every = 32;
    o
}

/// One Wycheproof case in the corpus.
struct Case {
    id: String,
    valid: bool,
    flags: Vec<String>,
}

/// Writes `NAME.jsonl`, its manifest and keystore: one key, the records.
fn write_corpus(dir: &Path, name: &str, key: SecretKey, records: &[Record]) -> PathBuf {
    let corpus = dir.join(format!("{name}.jsonl"));
    let mut text = String::new();
    let mut merkle = MerkleBuilder::new();
    for r in records {
        let line = r.to_line().unwrap();
        merkle.push(line.as_bytes());
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(&corpus, text).unwrap();
    let alg = key.algorithm();
    let ks = generate::keystore(&[(records[0].key_id.clone(), key)]).unwrap();
    std::fs::write(
        dir.join(format!("{name}.keystore.json")),
        generate::to_json_text(&ks).unwrap(),
    )
    .unwrap();
    let m = Manifest {
        format: MANIFEST_FORMAT.into(),
        version: FORMAT_VERSION,
        corpus: format!("{name}.jsonl"),
        keystore: format!("{name}.keystore.json"),
        records: records.len() as u64,
        algorithms: vec![alg.as_str().to_string()],
        merkle: MERKLE_SCHEME.into(),
        merkle_root: hex::encode(merkle.root()),
        insecure: false,
        generator: None,
    };
    std::fs::write(
        dir.join(format!("{name}.manifest.json")),
        generate::to_json_text(&m).unwrap(),
    )
    .unwrap();
    corpus
}

/// The corpus of every ML-DSA-44 Wycheproof case under the key of the
/// `InfinityNormViolation` group, or `None` without the vectors.
fn wycheproof_corpus(dir: &Path) -> Option<(PathBuf, Vec<Case>)> {
    let v = pqshift_test_support::load_json(WYCHEPROOF_44)?;
    let groups = v["testGroups"].as_array().unwrap();
    let norm_keys: BTreeSet<&str> = groups
        .iter()
        .filter(|g| {
            g["tests"].as_array().unwrap().iter().any(|t| {
                t["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f == "InfinityNormViolation")
            })
        })
        .map(|g| g["publicKey"].as_str().unwrap())
        .collect();
    assert_eq!(
        norm_keys.len(),
        1,
        "one key signs every norm-violation case"
    );
    let pk_hex = *norm_keys.iter().next().unwrap();
    // The vectors carry no secret key; the keystore needs one. This group's
    // key is ML-DSA-44 KeyGen(xi = 0x2a repeated): checked, not assumed.
    let key = SecretKey::from_seed(AlgorithmId::MlDsa44, &[0x2a; 32], None).unwrap();
    let public = key.public_key().unwrap();
    assert_eq!(
        hex::encode(public.as_raw()),
        pk_hex.to_ascii_lowercase(),
        "the Wycheproof key is KeyGen(0x2a * 32)"
    );
    let public_text = public.to_tagged().unwrap().to_text().to_string();
    let (mut records, mut cases) = (Vec::new(), Vec::new());
    for g in groups.iter().filter(|g| g["publicKey"] == pk_hex) {
        for t in g["tests"].as_array().unwrap() {
            let ctx = hex::decode(t["ctx"].as_str().unwrap_or("")).unwrap();
            let sig = hex::decode(t["sig"].as_str().unwrap()).unwrap();
            // A corpus record cannot carry an over-long context or a
            // signature of the wrong length: those cases are not storable.
            if ctx.len() > pqshift::MAX_CONTEXT_LEN {
                continue;
            }
            let Ok(sig) = Signature::from_raw(AlgorithmId::MlDsa44, &sig) else {
                continue;
            };
            let id = format!("wp44-tc{:03}", t["tcId"].as_u64().unwrap());
            let valid = match t["result"].as_str().unwrap() {
                "valid" => true,
                "invalid" => false,
                other => panic!("tcId {}: result {other}", t["tcId"]),
            };
            records.push(Record {
                id: id.clone(),
                algorithm: "ml-dsa-44".into(),
                key_id: "wp44-key".into(),
                public_key: Some(public_text.clone()),
                message: t["msg"].as_str().unwrap().to_ascii_lowercase(),
                context: hex::encode(&ctx),
                signature: sig.to_text().unwrap(),
                previous: None,
            });
            cases.push(Case {
                id,
                valid,
                flags: t["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap().to_string())
                    .collect(),
            });
        }
    }
    Some((write_corpus(dir, "wp44", key, &records), cases))
}

// ---- tests ----

#[test]
fn wycheproof_norm_violations_are_never_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let Some((corpus, cases)) = wycheproof_corpus(dir.path()) else {
        return;
    };
    let norm: Vec<&Case> = cases
        .iter()
        .filter(|c| c.flags.iter().any(|f| f == "InfinityNormViolation"))
        .collect();
    assert!(norm.len() >= 40, "{} norm-violation cases", norm.len());
    assert!(norm.iter().all(|c| !c.valid));
    let valid: Vec<&Case> = cases.iter().filter(|c| c.valid).collect();
    assert!(!valid.is_empty());

    let out = dir.path().join("out");
    let seed = master(dir.path());
    let mut opts = to_mldsa65(&corpus, &out, &seed);
    opts.old_verifiers.insert(
        AlgorithmId::MlDsa44,
        vec!["liboqs".into(), "pqclean".into()],
    );
    let done = engine::run(&opts, None).unwrap();
    let r = report(&out);
    let ov = &r.head.migration.old_verifiers["ml-dsa-44"];
    assert_eq!(ov.mode, "dual");
    assert_eq!(ov.providers, ["liboqs", "pqclean"]);
    assert_eq!(r.head.migration.old_verify, "dual");

    let migrated = output_ids(&out);
    let failures: BTreeMap<&str, _> = r
        .failures
        .iter()
        .map(|f| (f.id.as_deref().unwrap(), f))
        .collect();
    let mut wrong = Vec::new();
    for c in &cases {
        let ok = if c.valid {
            migrated.contains(&c.id)
        } else {
            !migrated.contains(&c.id)
                && failures.get(c.id.as_str()).is_some_and(|f| {
                    matches!(f.outcome, Outcome::OldInvalid | Outcome::ProvidersDisagree)
                })
        };
        if !ok {
            wrong.push(format!(
                "{} ({}, flags {:?}): {:?}",
                c.id,
                if c.valid { "valid" } else { "invalid" },
                c.flags,
                failures.get(c.id.as_str())
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases got the wrong fate:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
    // Whatever disagreed names both providers and both verdicts.
    for f in r
        .failures
        .iter()
        .filter(|f| f.outcome == Outcome::ProvidersDisagree)
    {
        let v = f.verdicts.as_ref().unwrap();
        assert_eq!(v.keys().collect::<Vec<_>>(), ["liboqs", "pqclean"]);
        assert_eq!(v.values().filter(|t| *t == "valid").count(), 1, "{f:?}");
    }
    let c = &done.head.counts;
    assert_eq!(c.migrated, valid.len() as u64);
    assert_eq!(
        c.old_invalid + c.providers_disagree,
        (cases.len() - valid.len()) as u64
    );
    eprintln!(
        "wycheproof ml-dsa-44: {} cases ({} norm violations): migrated {}, old_invalid {}, \
         providers_disagree {}",
        cases.len(),
        norm.len(),
        c.migrated,
        c.old_invalid,
        c.providers_disagree
    );
}

#[test]
fn a_disagreement_is_never_migrated_and_lists_each_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("g44.jsonl");
    let mut params = Params::new(AlgorithmId::MlDsa44, 12, 2, b"old verify".to_vec(), "g44");
    params.provider = Some("liboqs".into());
    generate::generate_files(&params, &corpus).unwrap();
    let seed = master(dir.path());

    let out = dir.path().join("out");
    let mut opts = to_mldsa65(&corpus, &out, &seed);
    opts.old_verifiers.insert(
        AlgorithmId::MlDsa44,
        vec!["liboqs".into(), REJECT_ALL.into()],
    );
    let done = engine::run(&opts, None).unwrap();
    let c = &done.head.counts;
    assert_eq!((c.records, c.migrated, c.providers_disagree), (12, 0, 12));
    assert_eq!(done.head.not_migrated, 12);
    assert!(output_ids(&out).is_empty());
    let r = report(&out);
    assert_eq!(
        r.head.migration.old_verifiers["ml-dsa-44"].providers,
        ["liboqs", REJECT_ALL]
    );
    for f in &r.failures {
        assert_eq!(f.outcome, Outcome::ProvidersDisagree);
        let v = f.verdicts.as_ref().unwrap();
        assert_eq!(v["liboqs"], "valid");
        assert_eq!(
            v[REJECT_ALL],
            pqshift::Error::VerificationFailed.to_string()
        );
        assert!(f.reason.contains("disagree"), "{}", f.reason);
    }
    // In report.json itself: the outcome, its count and the verdict map.
    let text = std::fs::read_to_string(out.join("report.json")).unwrap();
    assert!(text.contains("\"providers_disagree\": 12"), "{text}");
    assert!(
        text.contains(
            r#""verdicts":{"liboqs":"valid","test-reject-all":"signature verification failed"}"#
        ),
        "{text}"
    );

    // A dry run reports the same.
    let dry = dir.path().join("dry");
    let mut d = to_mldsa65(&corpus, &dry, &seed);
    d.dry_run = true;
    d.old_verifiers = opts.old_verifiers.clone();
    let h = engine::run(&d, None).unwrap().head;
    assert_eq!(
        (h.counts.would_migrate, h.counts.providers_disagree),
        (0, 12)
    );

    // The same corpus with the default pair migrates every record, and the
    // default never picks the test provider (last by preference).
    let out2 = dir.path().join("out2");
    let h = engine::run(&to_mldsa65(&corpus, &out2, &seed), None)
        .unwrap()
        .head;
    assert_eq!((h.counts.migrated, h.counts.providers_disagree), (12, 0));
    let plan = &h.migration.old_verifiers["ml-dsa-44"];
    assert_eq!(plan.mode, "dual");
    assert_eq!(plan.providers.len(), 2);
    assert!(!plan.providers.iter().any(|p| p == REJECT_ALL));
    assert_ne!(plan.providers[0], plan.providers[1]);
}

#[test]
fn the_default_pair_follows_preference_and_skips_insecure_and_failed_providers() {
    let plan = crosscheck::old_signature_verifiers(
        AlgorithmId::MlDsa44,
        &VerifierRequest::new(VerifierMode::Dual),
    )
    .unwrap();
    let secure: Vec<&str> = pqshift::registry::providers_for(AlgorithmId::MlDsa44)
        .into_iter()
        .filter(|r| !r.provider().insecure && r.admit().is_ok())
        .map(|r| r.provider().id)
        .collect();
    assert_eq!(plan.provider_ids(), secure[..2]);
    assert_eq!(plan.mode(), VerifierMode::Dual);
    assert!(plan.note.is_none());

    // Ed25519 has one provider: single, and the plan says why.
    let ed = crosscheck::old_signature_verifiers(
        AlgorithmId::Ed25519,
        &VerifierRequest::new(VerifierMode::Dual),
    )
    .unwrap();
    assert_eq!(ed.provider_ids(), ["dalek"]);
    assert_eq!(ed.mode(), VerifierMode::Single);
    assert!(ed.note.as_deref().unwrap().contains("only dalek"), "{ed:?}");

    // Refusals: the same provider twice, a second one in single mode, the
    // placeholder for a secure algorithm, a provider that does not serve it.
    let req = |first: &str, second: Option<&str>, mode| VerifierRequest {
        mode,
        first: Some(first.into()),
        second: second.map(str::to_string),
        allow_insecure: false,
    };
    for (r, alg) in [
        (
            req("liboqs", Some("liboqs"), VerifierMode::Dual),
            AlgorithmId::MlDsa44,
        ),
        (
            req("liboqs", Some("pqclean"), VerifierMode::Single),
            AlgorithmId::MlDsa44,
        ),
        (req("dalek", None, VerifierMode::Dual), AlgorithmId::MlDsa44),
        (
            req("placeholder", None, VerifierMode::Dual),
            AlgorithmId::InsecureTestHmacSha256,
        ),
    ] {
        assert!(
            crosscheck::old_signature_verifiers(alg, &r).is_err(),
            "{r:?} for {alg} was accepted"
        );
    }
}

#[test]
fn single_mode_and_ed25519_are_recorded_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let seed = master(dir.path());

    // Ed25519 by default: single (only dalek), no finding.
    let ed = dir.path().join("ed.jsonl");
    generate::generate_files(
        &Params::new(AlgorithmId::Ed25519, 5, 1, b"ed".to_vec(), "ed"),
        &ed,
    )
    .unwrap();
    let h = engine::run(&to_mldsa65(&ed, &dir.path().join("o-ed"), &seed), None)
        .unwrap()
        .head;
    assert_eq!(h.counts.migrated, 5);
    assert_eq!(h.migration.old_verify, "dual");
    let e = &h.migration.old_verifiers["ed25519"];
    assert_eq!(
        (e.mode.as_str(), e.providers.as_slice()),
        ("single", &["dalek".to_string()][..])
    );
    assert!(e.note.as_deref().unwrap().contains("only dalek"));
    assert!(h.findings.is_empty(), "{:?}", h.findings);

    // --old-verify single on ML-DSA-44: one provider, a finding.
    let ml = dir.path().join("ml.jsonl");
    let mut params = Params::new(AlgorithmId::MlDsa44, 5, 1, b"ml".to_vec(), "ml");
    params.provider = Some("liboqs".into());
    generate::generate_files(&params, &ml).unwrap();
    let mut o = to_mldsa65(&ml, &dir.path().join("o-ml"), &seed);
    o.old_verify = VerifierMode::Single;
    o.old_verifiers
        .insert(AlgorithmId::MlDsa44, vec!["pqclean".into()]);
    let h = engine::run(&o, None).unwrap().head;
    assert_eq!(h.counts.migrated, 5);
    assert_eq!(h.migration.old_verify, "single");
    let m = &h.migration.old_verifiers["ml-dsa-44"];
    assert_eq!(
        (m.mode.as_str(), m.providers.as_slice()),
        ("single", &["pqclean".to_string()][..])
    );
    assert!(
        h.findings
            .iter()
            .any(|f| f.contains("--old-verify single") && f.contains("ml-dsa-44 by pqclean")),
        "{:?}",
        h.findings
    );

    // A pin for an algorithm the keystore does not use is refused.
    let mut bad = to_mldsa65(&ml, &dir.path().join("o-bad"), &seed);
    bad.old_verifiers
        .insert(AlgorithmId::MlDsa87, vec!["pqclean".into()]);
    assert!(engine::run(&bad, None).is_err());
}
