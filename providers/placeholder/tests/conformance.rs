//! HMAC-SHA-256 conformance of the insecure placeholder's primitive:
//! Wycheproof `hmac_sha256_test.json` and NIST CAVP `HMAC.rsp` `[L=32]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_provider_api::{Error, ErrorKind};
use pqshift_provider_placeholder::{hmac_sha256, verify_hmac_sha256};
use pqshift_test_support::{hex_field, load_json, load_text, unhex};

#[test]
fn wycheproof_hmac_sha256() {
    let Some(v) = load_json("wycheproof/testvectors_v1/hmac_sha256_test.json") else {
        return;
    };
    assert_eq!(v["algorithm"], "HMACSHA256");
    let (mut ran, mut valid, mut invalid, mut truncated) = (0u32, 0u32, 0u32, 0u32);
    for g in v["testGroups"].as_array().unwrap() {
        assert_eq!(g["type"], "MacTest");
        let tag_bits = g["tagSize"].as_u64().unwrap();
        let key_bits = g["keySize"].as_u64().unwrap();
        assert!(
            tag_bits % 8 == 0 && (128..=256).contains(&tag_bits),
            "tagSize {tag_bits}"
        );
        let tag_len = (tag_bits / 8) as usize;
        for t in g["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let key = hex_field(t, "key");
            let msg = hex_field(t, "msg");
            let tag = hex_field(t, "tag");
            assert_eq!(key.len() as u64 * 8, key_bits, "tcId {id}: keySize");
            assert_eq!(tag.len(), tag_len, "tcId {id}: tag is tagSize bits");
            if tag_len < 32 {
                truncated += 1;
            }
            let computed = hmac_sha256(&key, &msg);
            let got = verify_hmac_sha256(&key, &msg, &tag);
            match t["result"].as_str().unwrap() {
                "valid" => {
                    assert_eq!(&computed[..tag_len], tag.as_slice(), "tcId {id}: tag");
                    assert_eq!(got, Ok(()), "tcId {id}: must verify");
                    valid += 1;
                }
                "invalid" => {
                    assert_ne!(&computed[..tag_len], tag.as_slice(), "tcId {id}");
                    assert_eq!(got, Err(Error::VerificationFailed), "tcId {id}: must fail");
                    invalid += 1;
                }
                other => panic!("tcId {id}: unexpected result {other:?}"),
            }
            ran += 1;
        }
    }
    assert_eq!(ran, 174, "every Wycheproof case must run");
    assert_eq!(u64::from(ran), v["numberOfTests"].as_u64().unwrap());
    assert_eq!(
        truncated, 87,
        "the tagSize-128 groups compare truncated tags"
    );
    eprintln!("wycheproof hmac-sha256: {ran} cases ({valid} valid, {invalid} invalid) passed");
}

/// One case of a CAVP `.rsp` section.
#[derive(Default)]
struct CavpCase {
    count: Option<u64>,
    klen: Option<usize>,
    tlen: Option<usize>,
    key: Option<Vec<u8>>,
    msg: Option<Vec<u8>>,
    mac: Option<Vec<u8>>,
}

/// Parses the cases of section `[L=<l>]` of HMAC.rsp (CRLF or LF), and the
/// names of every section seen.
fn parse_hmac_rsp(text: &str, l: &str) -> (Vec<CavpCase>, Vec<String>) {
    let want = format!("[L={l}]");
    let (mut cases, mut sections) = (Vec::new(), Vec::new());
    let mut in_section = false;
    let mut cur: Option<CavpCase> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            assert!(line.ends_with(']'), "bad section header {line:?}");
            sections.push(line.to_string());
            if let Some(c) = cur.take() {
                cases.push(c);
            }
            in_section = line == want;
            continue;
        }
        if !in_section {
            continue;
        }
        let (name, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        let (name, value) = (name.trim(), value.trim());
        match name {
            "Count" => {
                if let Some(c) = cur.take() {
                    cases.push(c);
                }
                cur = Some(CavpCase {
                    count: Some(value.parse().unwrap()),
                    ..CavpCase::default()
                });
            }
            _ => {
                let c = cur
                    .as_mut()
                    .unwrap_or_else(|| panic!("{name} before Count"));
                let slot_was_empty = match name {
                    "Klen" => c.klen.replace(value.parse().unwrap()).is_none(),
                    "Tlen" => c.tlen.replace(value.parse().unwrap()).is_none(),
                    "Key" => c.key.replace(unhex(value)).is_none(),
                    "Msg" => c.msg.replace(unhex(value)).is_none(),
                    "Mac" => c.mac.replace(unhex(value)).is_none(),
                    other => panic!("unknown field {other:?}"),
                };
                assert!(slot_was_empty, "field {name} given twice in one case");
            }
        }
    }
    if let Some(c) = cur.take() {
        cases.push(c);
    }
    (cases, sections)
}

#[test]
fn nist_cavp_hmac_sha256() {
    let Some(text) = load_text("nist-cavp/hmac/HMAC.rsp") else {
        return;
    };
    let (cases, sections) = parse_hmac_rsp(&text, "32");
    assert_eq!(sections, ["[L=20]", "[L=28]", "[L=32]", "[L=48]", "[L=64]"]);
    let mut ran = 0u32;
    let mut tlens = std::collections::BTreeMap::<usize, u32>::new();
    for (i, c) in cases.iter().enumerate() {
        let count = c.count.unwrap();
        assert_eq!(count, i as u64, "Count runs 0, 1, 2, ...");
        let key = c
            .key
            .as_ref()
            .unwrap_or_else(|| panic!("Count {count}: no Key"));
        let msg = c
            .msg
            .as_ref()
            .unwrap_or_else(|| panic!("Count {count}: no Msg"));
        let mac = c
            .mac
            .as_ref()
            .unwrap_or_else(|| panic!("Count {count}: no Mac"));
        let tlen = c.tlen.unwrap();
        assert_eq!(key.len(), c.klen.unwrap(), "Count {count}: Klen");
        assert_eq!(mac.len(), tlen, "Count {count}: Tlen");
        assert_eq!(
            msg.len(),
            128,
            "Count {count}: CAVP HMAC messages are 128 bytes"
        );

        assert_eq!(
            &hmac_sha256(key, msg)[..tlen],
            mac.as_slice(),
            "Count {count}"
        );
        assert_eq!(verify_hmac_sha256(key, msg, mac), Ok(()), "Count {count}");
        let mut bad = mac.clone();
        bad[tlen - 1] ^= 0x01;
        assert_eq!(
            verify_hmac_sha256(key, msg, &bad),
            Err(Error::VerificationFailed),
            "Count {count}: flipped bit"
        );
        *tlens.entry(tlen).or_default() += 1;
        ran += 1;
    }
    assert_eq!(ran, 225, "every [L=32] case must run");
    assert_eq!(
        tlens.into_iter().collect::<Vec<_>>(),
        [(16, 75), (24, 75), (32, 75)]
    );
    eprintln!("nist cavp hmac [L=32]: {ran} cases passed");
}

#[test]
fn truncated_tag_lengths() {
    let full = hmac_sha256(b"k", b"m");
    for n in 16..=32 {
        assert_eq!(verify_hmac_sha256(b"k", b"m", &full[..n]), Ok(()), "{n}");
    }
    for n in [0usize, 1, 15] {
        let e = verify_hmac_sha256(b"k", b"m", &full[..n]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{n}");
        assert!(e.to_string().contains("insecure"), "{e}");
    }
    let long = [full.as_slice(), &[0u8]].concat();
    assert_eq!(
        verify_hmac_sha256(b"k", b"m", &long).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // Only the leftmost bytes count: a tag taken from the right is wrong.
    assert_eq!(
        verify_hmac_sha256(b"k", b"m", &full[16..]),
        Err(Error::VerificationFailed)
    );
}
