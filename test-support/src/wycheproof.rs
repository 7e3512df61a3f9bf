//! The Wycheproof ML-DSA verification files
//! (`wycheproof/testvectors_v1/mldsa_{44,65,87}_verify_test.json`, 631
//! cases), read once for every suite that runs them: each provider's own
//! tests and the facade's.
//!
//! Expected verdicts come from the files' `result` fields only. A case is
//! *malformed* (the verifier must call it invalid input) when the public key
//! or signature has the wrong length for its parameter set or the context
//! is over 255 bytes; every other invalid case must fail verification.

use crate::{hex_field, load_json};

/// (algorithm ID, file, cases, valid cases): what the files hold.
pub const MLDSA_VERIFY_FILES: [(&str, &str, usize, usize); 3] = [
    ("ml-dsa-44", "mldsa_44_verify_test.json", 180, 77),
    ("ml-dsa-65", "mldsa_65_verify_test.json", 210, 79),
    ("ml-dsa-87", "mldsa_87_verify_test.json", 241, 71),
];

/// FIPS 204 public-key and signature lengths per parameter set.
fn sizes(alg: &str) -> (usize, usize) {
    match alg {
        "ml-dsa-44" => (1312, 2420),
        "ml-dsa-65" => (1952, 3309),
        "ml-dsa-87" => (2592, 4627),
        other => panic!("not an ML-DSA parameter set: {other}"),
    }
}

/// One verification case.
#[derive(Debug, Clone)]
pub struct MlDsaVerifyCase {
    /// Wycheproof `tcId`.
    pub tc_id: u64,
    /// The group's public key.
    pub public_key: Vec<u8>,
    /// The message.
    pub message: Vec<u8>,
    /// The context (empty when absent).
    pub context: Vec<u8>,
    /// The signature.
    pub signature: Vec<u8>,
    /// `result` is "valid".
    pub valid: bool,
    /// An invalid case a verifier must call malformed input.
    pub malformed: bool,
    /// Flags and comment, for failure messages.
    pub about: String,
}

/// What a verifier said, in the terms the files judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Valid.
    Accepted,
    /// Verification failed.
    Rejected,
    /// Refused as malformed input.
    Malformed,
    /// Any other error.
    Other(String),
}

/// Loads one file's cases, or `None` when the vectors are absent (see
/// [`crate::vector_file`]). Checks the file's own count.
pub fn mldsa_verify_cases(alg: &str, file: &str) -> Option<Vec<MlDsaVerifyCase>> {
    let doc = load_json(&format!("wycheproof/testvectors_v1/{file}"))?;
    let (pk_len, sig_len) = sizes(alg);
    let mut out = Vec::new();
    for g in doc["testGroups"].as_array().expect("testGroups") {
        assert_eq!(g["type"], "MlDsaVerify", "{file}");
        let public_key = hex_field(g, "publicKey");
        for t in g["tests"].as_array().expect("tests") {
            let context = t
                .get("ctx")
                .map(|_| hex_field(t, "ctx"))
                .unwrap_or_default();
            let signature = hex_field(t, "sig");
            let valid = match t["result"].as_str() {
                Some("valid") => true,
                Some("invalid") => false,
                other => panic!("{file} tcId {}: result {other:?}", t["tcId"]),
            };
            out.push(MlDsaVerifyCase {
                tc_id: t["tcId"].as_u64().expect("tcId"),
                malformed: !valid
                    && (public_key.len() != pk_len
                        || signature.len() != sig_len
                        || context.len() > 255),
                public_key: public_key.clone(),
                message: hex_field(t, "msg"),
                context,
                signature,
                valid,
                about: format!("{} {}", t["flags"], t["comment"]),
            });
        }
    }
    assert_eq!(
        out.len() as u64,
        doc["numberOfTests"].as_u64().expect("numberOfTests"),
        "{file}"
    );
    Some(out)
}

/// Runs every file through `verify(alg, case)` and asserts every verdict
/// and the exact counts. With `exact_kinds`, a malformed case must be
/// [`Verdict::Malformed`] and every other invalid one [`Verdict::Rejected`];
/// without, either rejection counts. Returns the cases run (0 when the
/// vectors are absent and not required).
pub fn run_mldsa_verify(
    label: &str,
    exact_kinds: bool,
    verify: impl Fn(&str, &MlDsaVerifyCase) -> Verdict,
) -> usize {
    let mut wrong = Vec::new();
    let mut ran = 0;
    for (alg, file, total, valid) in MLDSA_VERIFY_FILES {
        let Some(cases) = mldsa_verify_cases(alg, file) else {
            return 0;
        };
        assert_eq!(cases.len(), total, "{file}");
        assert_eq!(cases.iter().filter(|c| c.valid).count(), valid, "{file}");
        let mut right = 0;
        for c in &cases {
            let got = verify(alg, c);
            let ok = match (&got, c.valid, c.malformed) {
                (Verdict::Accepted, true, _) => true,
                (Verdict::Malformed, false, true) | (Verdict::Rejected, false, false) => true,
                (Verdict::Malformed | Verdict::Rejected, false, _) => !exact_kinds,
                _ => false,
            };
            if ok {
                right += 1;
            } else {
                wrong.push(format!(
                    "{file} tcId {}: got {got:?} ({})",
                    c.tc_id, c.about
                ));
            }
        }
        eprintln!("{label}: {file}: {right}/{total} verdicts right");
        ran += cases.len();
    }
    assert!(
        wrong.is_empty(),
        "{label}: {} wrong verdicts:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(ran, 631, "{label}");
    ran
}
