//! Crypto agility end to end: the same application code, only the
//! configuration file changes — from Ed25519 to ML-DSA-65, and for
//! verification to the independent second provider — and old Ed25519
//! signatures keep verifying while `[verify] accept` lists both.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

use pqshift::{AlgorithmId, ErrorKind, Policy, PublicKey, Signature};

/// The application: derives its key from a stored seed, signs records, and
/// hands out self-describing public keys and signatures. It never names an
/// algorithm.
struct App {
    policy: Policy,
}

impl App {
    fn with_config(text: &str) -> (App, tempfile::NamedTempFile) {
        let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let policy = Policy::load(Some(f.path())).unwrap();
        (App { policy }, f)
    }

    /// Signs a record; returns (tagged public key, tagged signature) as stored.
    fn sign_record(&self, seed: &[u8], record: &[u8]) -> (Vec<u8>, String) {
        let alg = self.policy.sign_choice().algorithm;
        let seed = &seed[..alg.sizes().seed];
        let key = self.policy.signing_key_from_seed(seed).unwrap();
        let sig = self.policy.sign(&key, record, context_for(alg)).unwrap();
        let pk = key
            .public_key()
            .unwrap()
            .to_tagged()
            .unwrap()
            .to_bytes()
            .to_vec();
        (pk, sig.to_text().unwrap())
    }

    /// Verifies a stored record.
    fn verify_record(&self, pk: &[u8], record: &[u8], sig: &str) -> pqshift::Result<()> {
        let pk = PublicKey::decode(pk, None)?;
        let sig = Signature::decode(sig.as_bytes())?;
        self.policy
            .verify(&pk, record, context_for(sig.algorithm()), &sig)
    }
}

/// The app's domain-separation context, where the algorithm takes one
/// (pure Ed25519 does not: its provider says so in its capabilities).
fn context_for(alg: AlgorithmId) -> &'static [u8] {
    match pqshift::capabilities(alg, None) {
        Ok(c) if c.context => b"ledger-v1-ctx",
        _ => b"",
    }
}

const SEED: [u8; 32] = [0x5e; 32];

const ED25519_CONFIG: &str = r#"
[sign]
algorithm = "ed25519"
"#;

const MLDSA_CONFIG: &str = r#"
[sign]
algorithm = "ml-dsa-65"

[verify]
accept = ["ed25519", "ml-dsa-65"]
"#;

const MLDSA_SECOND_PROVIDER_CONFIG: &str = r#"
[sign]
algorithm = "ml-dsa-65"
provider = "liboqs"

[verify]
accept = ["ed25519", "ml-dsa-65"]

[verify.providers]
ml-dsa-65 = "pqclean"

[shadow]
provider = "pqclean"
"#;

const MLDSA_ONLY_CONFIG: &str = r#"
[sign]
algorithm = "ml-dsa-65"
"#;

#[test]
fn switching_the_config_switches_the_algorithm_and_old_signatures_still_verify() {
    if pqshift::registry::providers_for(AlgorithmId::MlDsa65).len() < 2 {
        assert!(
            !pqshift_test_support::in_ci(),
            "under CI both ML-DSA providers must be linked"
        );
        eprintln!("skipped: needs two ML-DSA-65 providers (features liboqs + pqclean)");
        return;
    }
    let records: Vec<Vec<u8>> = (0..5u8).map(|i| vec![i; 100 + usize::from(i)]).collect();

    // Before the audit: Ed25519.
    let (before, _f1) = App::with_config(ED25519_CONFIG);
    let old: Vec<(Vec<u8>, String)> = records
        .iter()
        .map(|r| before.sign_record(&SEED, r))
        .collect();
    for ((pk, sig), r) in old.iter().zip(&records) {
        assert!(sig.starts_with("pqshift1:sig:ed25519:"), "{sig}");
        before.verify_record(pk, r, sig).unwrap();
    }

    // After the audit: only the file changes.
    let (after, _f2) = App::with_config(MLDSA_CONFIG);
    assert_eq!(
        after.policy.sign_choice().provider,
        "awslc",
        "preferred provider"
    );
    let new: Vec<(Vec<u8>, String)> = records
        .iter()
        .map(|r| after.sign_record(&SEED, r))
        .collect();
    for ((pk, sig), r) in new.iter().zip(&records) {
        assert!(sig.starts_with("pqshift1:sig:ml-dsa-65:"), "{}", &sig[..40]);
        after.verify_record(pk, r, sig).unwrap();
    }
    // Old Ed25519 signatures still verify, because accept lists both.
    for ((pk, sig), r) in old.iter().zip(&records) {
        after.verify_record(pk, r, sig).unwrap();
    }
    // ...and a tampered one still fails, with the right kind.
    let e = after
        .verify_record(&old[0].0, b"tampered", &old[0].1)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::VerificationFailed);

    // Verification by the independent second provider, and a shadow re-check of every new signature.
    let (second, _f3) = App::with_config(MLDSA_SECOND_PROVIDER_CONFIG);
    let ml = second
        .policy
        .accepted()
        .iter()
        .find(|c| c.algorithm == AlgorithmId::MlDsa65)
        .unwrap();
    assert_eq!(ml.provider, "pqclean");
    assert_eq!(second.policy.shadow(), Some("pqclean"));
    for ((pk, sig), r) in new
        .iter()
        .chain(old.iter())
        .zip(records.iter().chain(records.iter()))
    {
        second.verify_record(pk, r, sig).unwrap();
    }
    let fresh = second.sign_record(&SEED, &records[0]);
    assert!(fresh.1.starts_with("pqshift1:sig:ml-dsa-65:"));
    after
        .verify_record(&fresh.0, &records[0], &fresh.1)
        .unwrap();
    let e = second
        .verify_record(&new[1].0, &records[0], &new[1].1)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::VerificationFailed);

    // Once Ed25519 leaves the accept list, its signatures are refused by policy.
    let (strict, _f4) = App::with_config(MLDSA_ONLY_CONFIG);
    let e = strict
        .verify_record(&old[0].0, &records[0], &old[0].1)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Policy, "{e}");
    strict
        .verify_record(&new[0].0, &records[0], &new[0].1)
        .unwrap();
}

#[test]
fn verify_providers_table_fails_closed() {
    let load = |text: &str| Policy::from_toml_str(text).map(|_| ()).unwrap_err();
    let e = load("[sign]\nalgorithm = \"ed25519\"\n[verify.providers]\ned25519 = \"nobody\"\n");
    assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
    let e = load(
        "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\"]\n[verify.providers]\nml-dsa-65 = \"liboqs\"\n",
    );
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    assert!(e.to_string().contains("[verify.providers]"), "{e}");
    let e = load("[sign]\nalgorithm = \"ed25519\"\n[verify.providers]\nrsa = \"x\"\n");
    assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
}
