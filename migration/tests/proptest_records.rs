//! Property tests of corpus record lines (issue #10, part 3): `Record`
//! to_line / read back / parse round trips with arbitrary field text, real
//! signed records of every signature algorithm, every malformed field
//! refused with its own message, and arbitrary lines never panicking the
//! reader. `corpus.rs` has the fixed-value tests; these draw the values.
//!
//! Failures are not persisted (`failure_persistence: None`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::path::Path;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};

use pqshift::encoding::fingerprint;
use pqshift::{AlgorithmId, AlgorithmKind, ObjectKind, PublicKey, SecretKey, Signature, Tagged};
use pqshift_migration::corpus::{CorpusError, CorpusReader, Previous, Record};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any text: control characters, quotes, backslashes, U+2028, astral planes.
fn text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..24).prop_map(|v| v.into_iter().collect())
}

fn previous() -> impl Strategy<Value = Previous> {
    (text(), text(), proptest::option::of(text()), text()).prop_map(
        |(algorithm, key_id, public_key, signature)| Previous {
            algorithm,
            key_id,
            public_key,
            signature,
        },
    )
}

/// A record with arbitrary text in every field (not necessarily valid).
fn any_record() -> impl Strategy<Value = Record> {
    (
        (text(), text(), text(), proptest::option::of(text())),
        (text(), text(), text(), proptest::option::of(previous())),
    )
        .prop_map(
            |((id, algorithm, key_id, public_key), (message, context, signature, previous))| {
                Record {
                    id,
                    algorithm,
                    key_id,
                    public_key,
                    message,
                    context,
                    signature,
                    previous,
                }
            },
        )
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The documented line, written out: the fields in order, optional ones
/// only when present.
fn line_by_hand(r: &Record) -> String {
    let mut out = format!(
        "{{\"id\":{},\"algorithm\":{},\"key_id\":{}",
        json(&r.id),
        json(&r.algorithm),
        json(&r.key_id)
    );
    if let Some(pk) = &r.public_key {
        out.push_str(&format!(",\"public_key\":{}", json(pk)));
    }
    out.push_str(&format!(
        ",\"message\":{},\"context\":{},\"signature\":{}",
        json(&r.message),
        json(&r.context),
        json(&r.signature)
    ));
    if let Some(p) = &r.previous {
        out.push_str(&format!(
            ",\"previous\":{{\"algorithm\":{},\"key_id\":{}",
            json(&p.algorithm),
            json(&p.key_id)
        ));
        if let Some(pk) = &p.public_key {
            out.push_str(&format!(",\"public_key\":{}", json(pk)));
        }
        out.push_str(&format!(",\"signature\":{}}}", json(&p.signature)));
    }
    out.push('}');
    out
}

fn reader(corpus: &str) -> CorpusReader<Cursor<Vec<u8>>> {
    CorpusReader::new(
        Path::new("test.jsonl"),
        Cursor::new(corpus.as_bytes().to_vec()),
    )
}

fn merkle_root_of(lines: &[String]) -> [u8; 32] {
    let refs: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
    pqshift::merkle::merkle_root(&refs)
}

/// Signature algorithms and the MAC: what a corpus holds.
fn corpus_algs() -> Vec<AlgorithmId> {
    AlgorithmId::ALL
        .into_iter()
        .filter(|a| a.kind() != AlgorithmKind::Kem)
        .collect()
}

/// A record id or key id: non-empty, no control characters.
fn id_text() -> impl Strategy<Value = String> {
    vec(
        any::<char>().prop_filter("no control", |c| !c.is_control()),
        1..24,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// A record that parses but carries a made-up signature (parse does not
/// verify), for every algorithm a corpus may hold: cheap for the PQ ones.
fn well_formed_record() -> impl Strategy<Value = (Record, Vec<u8>, Vec<u8>)> {
    select(corpus_algs())
        .prop_flat_map(|alg| {
            let s = alg.sizes();
            let ctx_len = if alg == AlgorithmId::Ed25519 {
                0..1
            } else {
                0..256
            };
            (
                Just(alg),
                (id_text(), id_text()),
                vec(any::<u8>(), 0..300),
                vec(any::<u8>(), ctx_len),
                vec(any::<u8>(), s.signature),
                vec(any::<u8>(), s.public_key),
            )
        })
        .prop_map(|(alg, (id, key_id), message, context, sig, pk)| {
            let public_key = (alg.kind() != AlgorithmKind::Mac).then(|| {
                Tagged::new(ObjectKind::PublicKey, alg, Some(fingerprint(alg, &pk)), &pk)
                    .unwrap()
                    .to_text()
                    .to_string()
            });
            let record = Record {
                id,
                algorithm: alg.as_str().to_string(),
                key_id,
                public_key,
                message: hex::encode(&message),
                context: hex::encode(&context),
                signature: Signature::from_raw(alg, &sig).unwrap().to_text().unwrap(),
                previous: None,
            };
            (record, message, context)
        })
}

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary field text: the line is the documented JSON, in field
    /// order, on one line (no raw newline or carriage return whatever the
    /// text), and reads back to the same record, alone or in a corpus,
    /// with the Merkle root over the lines.
    #[test]
    fn record_lines_round_trip(records in vec(any_record(), 1..8)) {
        let lines: Vec<String> = records.iter().map(|r| r.to_line().unwrap()).collect();
        for (r, line) in records.iter().zip(&lines) {
            prop_assert_eq!(line, &line_by_hand(r));
            prop_assert!(!line.contains('\n') && !line.contains('\r'), "{}", line);
            prop_assert_eq!(&serde_json::from_str::<Record>(line).unwrap(), r);
        }
        let corpus: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let mut rd = reader(&corpus);
        for (i, r) in records.iter().enumerate() {
            let (n, got) = rd.next_record().unwrap().unwrap();
            prop_assert_eq!(n, i as u64 + 1);
            prop_assert_eq!(&got, r);
        }
        prop_assert!(rd.next_record().unwrap().is_none());
        prop_assert!(rd.next_record().unwrap().is_none());
        prop_assert_eq!(rd.count(), records.len() as u64);
        prop_assert_eq!(rd.merkle_root(), merkle_root_of(&lines));
    }

    /// Well-formed records of every algorithm a corpus holds parse to
    /// exactly their fields, directly and after a trip through a line.
    #[test]
    fn well_formed_records_parse_to_their_fields(
        (record, message, context) in well_formed_record(),
    ) {
        let alg = AlgorithmId::parse(&record.algorithm).unwrap();
        let line = record.to_line().unwrap();
        let mut rd = reader(&format!("{line}\n"));
        let (n, parsed) = rd.next_parsed().unwrap().unwrap();
        prop_assert_eq!(n, 1);
        let direct = record.parse().unwrap();
        for p in [parsed, direct] {
            prop_assert_eq!(&p.id, &record.id);
            prop_assert_eq!(p.algorithm, alg);
            prop_assert_eq!(&p.key_id, &record.key_id);
            prop_assert_eq!(&p.message, &message);
            prop_assert_eq!(&p.context, &context);
            prop_assert_eq!(p.signature.algorithm(), alg);
            prop_assert_eq!(p.signature.to_text().unwrap(), record.signature.clone());
            prop_assert_eq!(
                p.public_key.map(|t| t.to_text().to_string()),
                record.public_key.clone()
            );
        }
    }

    /// Every malformed field is refused by `parse`, with a message that
    /// says which; through the reader, the error names the line.
    #[test]
    fn malformed_records_are_refused(
        (good, _, _) in well_formed_record(),
        how in 0usize..16,
        at in any::<Index>(),
        other in select(AlgorithmId::ALL.to_vec()),
        control in select(vec!['\n', '\r', '\t', '\0', '\u{7f}', '\u{85}']),
    ) {
        let alg = AlgorithmId::parse(&good.algorithm).unwrap();
        let mut r = good.clone();
        let want: &str = match how {
            0 => {
                r.id = String::new();
                "id must be non-empty"
            }
            1 => {
                let i = at.index(r.id.chars().count() + 1);
                let mut chars: Vec<char> = r.id.chars().collect();
                chars.insert(i, control);
                r.id = chars.into_iter().collect();
                "without control characters"
            }
            2 => {
                r.key_id = String::new();
                "key_id must be non-empty"
            }
            3 => {
                // Aliases are for humans; files use canonical IDs.
                r.algorithm = match at.index(3) {
                    0 => r.algorithm.to_uppercase(),
                    1 => alg.oid().unwrap_or("INSECURE").to_string(),
                    _ => format!(" {}", r.algorithm),
                };
                "unknown algorithm"
            }
            4 => {
                let kem = [AlgorithmId::MlKem512, AlgorithmId::MlKem768, AlgorithmId::MlKem1024];
                r.algorithm = kem[at.index(3)].as_str().to_string();
                "is a KEM"
            }
            5 => {
                r.message = format!("{}A", r.message);
                "message must be lowercase hex"
            }
            6 => {
                r.message.push('0');
                "message is not hex"
            }
            7 => {
                r.context = r.context.to_uppercase();
                prop_assume!(r.context != good.context);
                "context must be lowercase hex"
            }
            8 => {
                prop_assume!(alg != AlgorithmId::Ed25519);
                r.context = "00".repeat(256 + at.index(100));
                "context must be at most 255 bytes"
            }
            9 => {
                prop_assume!(alg == AlgorithmId::Ed25519);
                r.context = hex::encode([0u8; 1]).repeat(1 + at.index(255));
                "takes no context"
            }
            10 => {
                // A signature of another algorithm.
                prop_assume!(other != alg && other.kind() != AlgorithmKind::Kem);
                let s = vec![7u8; other.sizes().signature];
                r.signature = Signature::from_raw(other, &s).unwrap().to_text().unwrap();
                "signature is a"
            }
            11 => {
                // A public key where a signature belongs.
                prop_assume!(r.public_key.is_some());
                r.signature = r.public_key.clone().unwrap();
                "signature: invalid input: expected a tagged signature"
            }
            12 => {
                if alg.kind() == AlgorithmKind::Mac {
                    let pk = [1u8; 32];
                    let t = Tagged::new(
                        ObjectKind::PublicKey,
                        AlgorithmId::Ed25519,
                        Some(fingerprint(AlgorithmId::Ed25519, &pk)),
                        &pk,
                    )
                    .unwrap();
                    r.public_key = Some(t.to_text().to_string());
                    "is a MAC"
                } else {
                    r.public_key = None;
                    "public_key is required"
                }
            }
            13 => {
                // A public key of another signature algorithm.
                prop_assume!(
                    alg.kind() == AlgorithmKind::Signature
                        && other != alg
                        && other.kind() == AlgorithmKind::Signature
                );
                let pk = vec![3u8; other.sizes().public_key];
                let t = Tagged::new(ObjectKind::PublicKey, other, Some(fingerprint(other, &pk)), &pk)
                    .unwrap();
                r.public_key = Some(t.to_text().to_string());
                "public_key: invalid input: algorithm mismatch"
            }
            14 => {
                // A signature text cut short inside its payload.
                let n = r.signature.len();
                let payload = n - 1 - r.signature.rfind(':').unwrap();
                r.signature.truncate(n - 1 - at.index(payload));
                "signature: invalid input"
            }
            _ => {
                // A changed character in the signature's algorithm field.
                r.signature = r.signature.replacen(&format!(":{}:", alg.as_str()), ":ml-dsa-99:", 1);
                "signature: unsupported"
            }
        };
        let e = r.parse().unwrap_err();
        prop_assert!(e.contains(want), "want {:?}, got {:?}", want, e);
        // The same line in a corpus: the reader names line 2 and the record.
        let corpus = format!("{}\n{}\n", good.to_line().unwrap(), r.to_line().unwrap());
        let mut rd = reader(&corpus);
        prop_assert!(rd.next_parsed().unwrap().is_some());
        match rd.next_parsed() {
            Err(CorpusError::Record { line, message, .. }) => {
                prop_assert_eq!(line, 2);
                prop_assert!(message.contains(want), "{}", message);
            }
            other => panic!("want a record error on line 2, got {other:?}"),
        }
    }

    /// Arbitrary bytes as a corpus line never panic the reader or `parse`:
    /// a line is a record (counted in the Merkle tree) or an error naming
    /// line 1; a line without its newline is an error.
    #[test]
    fn arbitrary_lines_never_panic(
        body in prop_oneof![
            vec(any::<u8>(), 0..200),
            any_record().prop_map(|r| r.to_line().unwrap().into_bytes()),
            (any_record(), any::<Index>(), any::<u8>()).prop_map(|(r, i, b)| {
                let mut l = r.to_line().unwrap().into_bytes();
                let n = l.len();
                l[i.index(n)] = b;
                l
            }),
        ]
        .prop_map(|v| v.into_iter().map(|b| if b == b'\n' { b' ' } else { b }).collect::<Vec<u8>>()),
    ) {
        let mut line = body.clone();
        line.push(b'\n');
        let mut rd = CorpusReader::new(Path::new("x.jsonl"), Cursor::new(line));
        match rd.next_record() {
            Ok(Some((n, record))) => {
                prop_assert_eq!(n, 1);
                prop_assert!(!body.contains(&b'\r'));
                prop_assert_eq!(rd.count(), 1);
                prop_assert_eq!(rd.merkle_root(), pqshift::merkle::merkle_root(&[body.as_slice()]));
                let _ = record.parse();
            }
            Ok(None) => panic!("a line was skipped"),
            Err(CorpusError::Record { line, .. }) => prop_assert_eq!(line, 1),
            Err(e) => panic!("unexpected error kind: {e}"),
        }
        if !body.is_empty() {
            let mut rd = CorpusReader::new(Path::new("x.jsonl"), Cursor::new(body));
            match rd.next_record() {
                Err(CorpusError::Record { line, message, .. }) => {
                    prop_assert_eq!(line, 1);
                    prop_assert!(message.contains("newline"), "{}", message);
                }
                other => panic!("an unterminated line was accepted: {other:?}"),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Records signed for real by every corpus algorithm, with arbitrary
    /// message, context (empty for Ed25519) and ids: they parse, survive a
    /// line, and their signature verifies with the record's own public key
    /// (the secret key for the MAC); another message does not.
    #[test]
    fn signed_records_verify_after_a_round_trip(
        alg in select(corpus_algs()),
        seed in any::<[u8; 32]>(),
        (id, key_id) in (id_text(), id_text()),
        message in vec(any::<u8>(), 0..512),
        context in vec(any::<u8>(), 0..=255),
    ) {
        let context = if alg == AlgorithmId::Ed25519 { Vec::new() } else { context };
        let key = SecretKey::from_seed(alg, &seed, None).unwrap();
        let sig = key.sign(&message, &context).unwrap();
        let record = Record {
            id,
            algorithm: alg.as_str().to_string(),
            key_id,
            public_key: key
                .public_key()
                .ok()
                .map(|p| p.to_tagged().unwrap().to_text().to_string()),
            message: hex::encode(&message),
            context: hex::encode(&context),
            signature: sig.to_text().unwrap(),
            previous: None,
        };
        let line = record.to_line().unwrap();
        let (_, parsed) = reader(&format!("{line}\n")).next_parsed().unwrap().unwrap();
        prop_assert_eq!(&parsed.signature, &sig);
        let verify = |m: &[u8]| match &parsed.public_key {
            Some(t) => PublicKey::from_tagged(t, None)
                .unwrap()
                .verify(m, &parsed.context, &parsed.signature),
            None => key.verify(m, &parsed.context, &parsed.signature),
        };
        prop_assert_eq!(verify(&parsed.message), Ok(()));
        let mut other = parsed.message.clone();
        other.push(0);
        prop_assert_eq!(verify(&other), Err(pqshift::Error::VerificationFailed));
    }
}
