//! Ed25519 conformance through the provider's traits: RFC 8032 section 7.1
//! and Wycheproof `ed25519_test.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{ErrorKind, SignMode, SignatureScheme};
use pqshift_provider_dalek::ED25519;
use pqshift_test_support::{hex_field, load_json, project_root};

#[test]
fn rfc8032_section_7_1() {
    let Some(v) = load_json("rfc8032/ed25519_rfc8032_7_1.json") else {
        return;
    };
    let tests = v["tests"].as_array().unwrap();
    let mut ran = 0;
    for t in tests {
        let name = t["name"].as_str().unwrap();
        let seed = hex_field(t, "secretKey");
        let pk = hex_field(t, "publicKey");
        let msg = hex_field(t, "message");
        let sig = hex_field(t, "signature");
        assert_eq!(
            msg.len() as u64,
            t["messageLength"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(t["result"], "valid", "{name}");

        let key = ED25519.signing_key_from_seed(&seed).unwrap();
        assert_eq!(key.public_key(), pk.as_slice(), "{name}: keygen");
        assert_eq!(
            key.seed().unwrap().expose(),
            seed.as_slice(),
            "{name}: seed kept"
        );
        let det = key.sign(&msg, b"", SignMode::Deterministic).unwrap();
        assert_eq!(det, sig, "{name}: deterministic signature");
        let hedged = key.sign(&msg, b"", SignMode::Hedged).unwrap();
        assert_eq!(
            hedged, sig,
            "{name}: Hedged is ignored, Ed25519 is deterministic"
        );

        let vk = ED25519.verifying_key(&pk).unwrap();
        assert_eq!(vk.public_key(), pk.as_slice());
        vk.verify(&msg, b"", &sig).unwrap();
        let mut bad = sig.clone();
        bad[63] ^= 0x01;
        assert_eq!(
            vk.verify(&msg, b"", &bad).unwrap_err().kind(),
            ErrorKind::VerificationFailed,
            "{name}: flipped bit"
        );
        ran += 1;
    }
    assert_eq!(ran, 5);
    assert_eq!(v["numberOfTests"].as_u64(), Some(5));
}

#[test]
fn wycheproof_ed25519() {
    let Some(v) = load_json("wycheproof/testvectors_v1/ed25519_test.json") else {
        return;
    };
    let (mut ran, mut valid, mut invalid) = (0u32, 0u32, 0u32);
    for g in v["testGroups"].as_array().unwrap() {
        assert_eq!(g["type"], "EddsaVerify");
        assert_eq!(g["publicKey"]["curve"], "edwards25519");
        let pk = hex_field(&g["publicKey"], "pk");
        // Every Wycheproof group's key is a valid, canonical, large-order key.
        let vk = ED25519.verifying_key(&pk).unwrap();
        for t in g["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let msg = hex_field(t, "msg");
            let sig = hex_field(t, "sig");
            let got = vk.verify(&msg, b"", &sig);
            match t["result"].as_str().unwrap() {
                "valid" => {
                    assert_eq!(got, Ok(()), "tcId {id} {} must verify", t["comment"]);
                    valid += 1;
                }
                "invalid" => {
                    let kind = got.expect_err(&format!("tcId {id} must not verify")).kind();
                    // A signature of the wrong length is malformed input; any
                    // 64-byte signature that fails is VerificationFailed.
                    let want = if sig.len() == 64 {
                        ErrorKind::VerificationFailed
                    } else {
                        ErrorKind::InvalidInput
                    };
                    assert_eq!(kind, want, "tcId {id} {}", t["comment"]);
                    invalid += 1;
                }
                other => panic!("tcId {id}: unexpected result {other:?}"),
            }
            ran += 1;
        }
    }
    assert_eq!(ran, 151, "every Wycheproof case must run");
    assert_eq!(u64::from(ran), v["numberOfTests"].as_u64().unwrap());
    assert_eq!(valid + invalid, ran);
    eprintln!("wycheproof ed25519: {ran} cases ({valid} valid, {invalid} invalid) passed");
}

/// The version reported in ProviderInfo is the one Cargo resolved.
#[test]
fn backend_version_matches_cargo_lock() {
    let lock = project_root().join("Cargo.lock");
    if !lock.is_file() {
        eprintln!("skipped: no Cargo.lock");
        return;
    }
    let text = std::fs::read_to_string(lock).unwrap();
    let mut lines = text.lines();
    let mut versions = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"ed25519-dalek\"" {
            let v = lines.next().unwrap().trim();
            versions.push(
                v.trim_start_matches("version = \"")
                    .trim_end_matches('"')
                    .to_string(),
            );
        }
    }
    assert_eq!(versions, [pqshift_provider_dalek::BACKEND_VERSION]);
}
