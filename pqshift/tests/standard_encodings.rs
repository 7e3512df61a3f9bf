//! SPKI and PKCS#8 (DER and PEM): round trips, the exact structures, and
//! every kind of bad input, each with its specific error kind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift::standard::{
    self, detect_format, parse_pem, parse_pkcs8_der, parse_pkcs8_der_full, parse_pkcs8_pem,
    parse_spki_der, parse_spki_pem, pkcs8_der, pkcs8_der_expanded, pkcs8_pem, spki_der, spki_pem,
    to_pem, KeyFormat, PemLabel,
};
use pqshift::{
    decode_public_key_any, decode_secret_key_any, registry, AlgorithmId, AlgorithmKind,
    DecapsulationKey, EncapsulationKey, ErrorKind, PrivateKeyMaterial, PublicKey, SecretKey,
};
use pqshift_test_support::{hex_field, load_json};

/// Algorithms with an OID.
fn standard_algs() -> impl Iterator<Item = AlgorithmId> {
    AlgorithmId::ALL.into_iter().filter(|a| a.oid().is_some())
}

fn pattern(n: usize, salt: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(salt))
        .collect()
}

/// DER TLV with a definite length (enough for these tests).
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let n = value.len();
    let mut out = vec![tag];
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(value);
    out
}

fn oid_der(alg: AlgorithmId) -> Vec<u8> {
    use der::Encode;
    standard::oid(alg).unwrap().to_der().unwrap()
}

/// A OneAsymmetricKey built by hand: version, AlgorithmIdentifier
/// (with optional raw parameters), privateKey contents, optional publicKey.
fn one_asymmetric_key(
    version: u8,
    alg: AlgorithmId,
    params: Option<&[u8]>,
    private_key: &[u8],
    public_key: Option<&[u8]>,
) -> Vec<u8> {
    let mut ai = oid_der(alg);
    if let Some(p) = params {
        ai.extend_from_slice(p);
    }
    let mut body = vec![0x02, 0x01, version];
    body.extend(tlv(0x30, &ai));
    body.extend(tlv(0x04, private_key));
    if let Some(pk) = public_key {
        let mut bits = vec![0u8];
        bits.extend_from_slice(pk);
        body.extend(tlv(0x81, &bits));
    }
    tlv(0x30, &body)
}

fn spki_by_hand(alg: AlgorithmId, params: Option<&[u8]>, unused: u8, key: &[u8]) -> Vec<u8> {
    let mut ai = oid_der(alg);
    if let Some(p) = params {
        ai.extend_from_slice(p);
    }
    let mut bits = vec![unused];
    bits.extend_from_slice(key);
    let mut body = tlv(0x30, &ai);
    body.extend(tlv(0x03, &bits));
    tlv(0x30, &body)
}

fn seed_form(alg: AlgorithmId, seed: &[u8]) -> Vec<u8> {
    if alg == AlgorithmId::Ed25519 {
        tlv(0x04, seed)
    } else {
        tlv(0x80, seed)
    }
}

fn both_form(seed: &[u8], expanded: &[u8]) -> Vec<u8> {
    let mut b = tlv(0x04, seed);
    b.extend(tlv(0x04, expanded));
    tlv(0x30, &b)
}

fn kind_of<T: std::fmt::Debug>(r: pqshift::Result<T>) -> (ErrorKind, String) {
    let e = r.expect_err("expected an error");
    (e.kind(), e.to_string())
}

// ---------------------------------------------------------------------------
// Pure layer: round trips and exact structures
// ---------------------------------------------------------------------------

#[test]
fn spki_round_trips_and_matches_hand_built_der() {
    for alg in standard_algs() {
        let pk = pattern(alg.sizes().public_key, 1);
        let der = spki_der(alg, &pk).unwrap();
        assert_eq!(der, spki_by_hand(alg, None, 0, &pk), "{alg}");
        assert_eq!(parse_spki_der(&der).unwrap(), (alg, pk.clone()));
        let pem = spki_pem(alg, &pk).unwrap();
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
        assert!(pem.ends_with("-----END PUBLIC KEY-----\n"), "{pem}");
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(parse_spki_pem(pem.as_bytes()).unwrap(), (alg, pk));
    }
}

#[test]
fn pkcs8_seed_form_round_trips_and_matches_hand_built_der() {
    for alg in standard_algs() {
        let seed = pattern(alg.sizes().seed, 2);
        let der = pkcs8_der(alg, &seed).unwrap();
        assert_eq!(
            &der[..],
            &one_asymmetric_key(0, alg, None, &seed_form(alg, &seed), None)[..],
            "{alg}"
        );
        let (a, m) = parse_pkcs8_der(&der).unwrap();
        assert_eq!(a, alg);
        assert_eq!(m.form(), "seed");
        assert_eq!(m.seed().unwrap().expose(), &seed[..]);
        assert!(m.expanded().is_none());
        let pem = pkcs8_pem(alg, &seed).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let k = parse_pkcs8_pem(pem.as_bytes()).unwrap();
        assert_eq!(k.algorithm, alg);
        assert!(k.public_key.is_none());
        assert_eq!(k.material.seed().unwrap().expose(), &seed[..]);
    }
}

#[test]
fn pkcs8_expanded_and_both_forms_are_read() {
    for alg in standard_algs().filter(|a| *a != AlgorithmId::Ed25519) {
        let s = alg.sizes();
        let seed = pattern(s.seed, 3);
        let expanded = pattern(s.expanded_secret_key, 4);
        // expanded only: written by pkcs8_der_expanded, read back marked as such
        let der = pkcs8_der_expanded(alg, &expanded).unwrap();
        assert_eq!(
            &der[..],
            &one_asymmetric_key(0, alg, None, &tlv(0x04, &expanded), None)[..]
        );
        match parse_pkcs8_der(&der).unwrap() {
            (a, PrivateKeyMaterial::Expanded(e)) => {
                assert_eq!(a, alg);
                assert_eq!(e.expose(), &expanded[..]);
            }
            other => panic!("{alg}: {other:?}"),
        }
        // both
        let der = one_asymmetric_key(0, alg, None, &both_form(&seed, &expanded), None);
        match parse_pkcs8_der(&der).unwrap() {
            (
                a,
                PrivateKeyMaterial::Both {
                    seed: sd,
                    expanded: e,
                },
            ) => {
                assert_eq!(a, alg);
                assert_eq!(sd.expose(), &seed[..]);
                assert_eq!(e.expose(), &expanded[..]);
            }
            other => panic!("{alg}: {other:?}"),
        }
    }
    let e = pkcs8_der_expanded(AlgorithmId::Ed25519, &[0; 32]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}

#[test]
fn pkcs8_v2_public_key_is_returned_and_length_checked() {
    for alg in standard_algs() {
        let seed = pattern(alg.sizes().seed, 5);
        let pk = pattern(alg.sizes().public_key, 6);
        let der = one_asymmetric_key(1, alg, None, &seed_form(alg, &seed), Some(&pk));
        let k = parse_pkcs8_der_full(&der).unwrap();
        assert_eq!(k.algorithm, alg);
        assert_eq!(k.public_key.as_deref(), Some(&pk[..]));
        assert_eq!(k.material.seed().unwrap().expose(), &seed[..]);

        let short = one_asymmetric_key(1, alg, None, &seed_form(alg, &seed), Some(&pk[1..]));
        let (kind, msg) = kind_of(parse_pkcs8_der_full(&short));
        assert_eq!(kind, ErrorKind::InvalidInput, "{msg}");
        assert!(msg.contains("public key"), "{msg}");
    }
    // v1 with a public key and v2 without one are inconsistent
    let alg = AlgorithmId::Ed25519;
    let v1_pk = one_asymmetric_key(0, alg, None, &tlv(4, &[1; 32]), Some(&[2; 32]));
    assert_eq!(kind_of(parse_pkcs8_der(&v1_pk)).0, ErrorKind::InvalidInput);
    let v3 = one_asymmetric_key(2, alg, None, &tlv(4, &[1; 32]), None);
    assert_eq!(kind_of(parse_pkcs8_der(&v3)).0, ErrorKind::InvalidInput);
}

#[test]
fn pkcs8_attributes_are_skipped() {
    let alg = AlgorithmId::MlDsa44;
    let seed = pattern(32, 9);
    let mut body = vec![0x02, 0x01, 0x00];
    body.extend(tlv(0x30, &oid_der(alg)));
    body.extend(tlv(0x04, &tlv(0x80, &seed)));
    body.extend(tlv(0xa0, &[])); // attributes [0] (empty SET)
    let der = tlv(0x30, &body);
    let (a, m) = parse_pkcs8_der(&der).unwrap();
    assert_eq!(a, alg);
    assert_eq!(m.seed().unwrap().expose(), &seed[..]);
}

#[test]
fn placeholder_has_no_standard_encoding() {
    let alg = AlgorithmId::InsecureTestHmacSha256;
    for (kind, msg) in [
        kind_of(spki_der(alg, &[0; 32])),
        kind_of(pkcs8_der(alg, &[0; 32])),
        kind_of(standard::oid(alg)),
    ] {
        assert_eq!(kind, ErrorKind::InvalidInput);
        assert!(msg.contains("no OID") && msg.contains("insecure"), "{msg}");
    }
}

#[test]
fn debug_never_shows_secret_bytes() {
    let seed = vec![0xA7u8; 32];
    let der = pkcs8_der(AlgorithmId::MlDsa65, &seed).unwrap();
    let k = parse_pkcs8_der_full(&der).unwrap();
    let d = format!("{k:?}");
    assert!(
        !d.contains("a7") && !d.contains("A7") && !d.contains("167"),
        "{d}"
    );
    assert!(d.contains("REDACTED"), "{d}");
    // nor error messages: a seed of the wrong length
    let e = pkcs8_der(AlgorithmId::MlDsa65, &[0xA7; 31]).unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("32") && m.contains("31") && !m.contains("a7"),
        "{m}"
    );
}

// ---------------------------------------------------------------------------
// Bad input, each with its kind
// ---------------------------------------------------------------------------

#[test]
fn truncated_der_is_invalid_at_every_length() {
    for alg in standard_algs() {
        let spki = spki_der(alg, &pattern(alg.sizes().public_key, 1)).unwrap();
        for cut in 0..spki.len() {
            let (kind, msg) = kind_of(parse_spki_der(&spki[..cut]));
            assert_eq!(
                kind,
                ErrorKind::InvalidInput,
                "{alg} SPKI cut at {cut}: {msg}"
            );
        }
        let pkcs8 = pkcs8_der(alg, &pattern(alg.sizes().seed, 2)).unwrap();
        for cut in 0..pkcs8.len() {
            let (kind, msg) = kind_of(parse_pkcs8_der(&pkcs8[..cut]));
            assert_eq!(
                kind,
                ErrorKind::InvalidInput,
                "{alg} PKCS#8 cut at {cut}: {msg}"
            );
        }
    }
    // the expanded and both forms too (one algorithm: they are long)
    let alg = AlgorithmId::MlKem512;
    let s = alg.sizes();
    let der = one_asymmetric_key(
        0,
        alg,
        None,
        &both_form(&pattern(s.seed, 1), &pattern(s.expanded_secret_key, 2)),
        None,
    );
    for cut in 0..der.len() {
        assert_eq!(
            kind_of(parse_pkcs8_der(&der[..cut])).0,
            ErrorKind::InvalidInput,
            "cut at {cut}"
        );
    }
}

#[test]
fn trailing_data_is_invalid() {
    for alg in standard_algs() {
        let mut spki = spki_der(alg, &pattern(alg.sizes().public_key, 1)).unwrap();
        spki.push(0);
        let (kind, msg) = kind_of(parse_spki_der(&spki));
        assert_eq!(kind, ErrorKind::InvalidInput, "{msg}");
        assert!(msg.to_lowercase().contains("trailing"), "{msg}");

        let mut pkcs8 = pkcs8_der(alg, &pattern(alg.sizes().seed, 2))
            .unwrap()
            .to_vec();
        pkcs8.extend_from_slice(b"garbage");
        assert_eq!(kind_of(parse_pkcs8_der(&pkcs8)).0, ErrorKind::InvalidInput);

        // trailing data inside privateKey, after the seed
        let mut inner = seed_form(alg, &pattern(alg.sizes().seed, 2));
        inner.push(0);
        let der = one_asymmetric_key(0, alg, None, &inner, None);
        assert_eq!(kind_of(parse_pkcs8_der(&der)).0, ErrorKind::InvalidInput);
    }
    // and inside the "both" SEQUENCE
    let alg = AlgorithmId::MlDsa44;
    let mut b = tlv(0x04, &[1; 32]);
    b.extend(tlv(0x04, &[2; 2560]));
    b.extend(tlv(0x04, &[]));
    let der = one_asymmetric_key(0, alg, None, &tlv(0x30, &b), None);
    let (kind, msg) = kind_of(parse_pkcs8_der(&der));
    assert_eq!(kind, ErrorKind::InvalidInput, "{msg}");
}

#[test]
fn unknown_oid_is_unsupported_and_named() {
    // id-RSASSA-PSS-ish made-up and a real but foreign one (X25519, 1.3.101.110)
    for (oid, dotted) in [
        (vec![0x06, 0x03, 0x2b, 0x65, 0x6e], "1.3.101.110"),
        (
            vec![
                0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x14,
            ],
            "2.16.840.1.101.3.4.3.20",
        ),
    ] {
        let mut body = tlv(0x30, &oid);
        body.extend(tlv(0x03, &[0; 33]));
        let spki = tlv(0x30, &body);
        let (kind, msg) = kind_of(parse_spki_der(&spki));
        assert_eq!(kind, ErrorKind::Unsupported, "{msg}");
        assert!(msg.contains(dotted), "{msg}");

        let mut body = vec![0x02, 0x01, 0x00];
        body.extend(tlv(0x30, &oid));
        body.extend(tlv(0x04, &tlv(0x04, &[0; 32])));
        let (kind, msg) = kind_of(parse_pkcs8_der(&tlv(0x30, &body)));
        assert_eq!(kind, ErrorKind::Unsupported, "{msg}");
        assert!(msg.contains(dotted), "{msg}");
    }
}

#[test]
fn present_parameters_are_invalid() {
    for alg in standard_algs() {
        for params in [&[0x05u8, 0x00][..], &[0x04, 0x01, 0x00][..]] {
            let spki = spki_by_hand(alg, Some(params), 0, &pattern(alg.sizes().public_key, 1));
            let (kind, msg) = kind_of(parse_spki_der(&spki));
            assert_eq!(kind, ErrorKind::InvalidInput, "{alg}: {msg}");
            assert!(msg.contains("parameters"), "{msg}");

            let der = one_asymmetric_key(
                0,
                alg,
                Some(params),
                &seed_form(alg, &pattern(alg.sizes().seed, 1)),
                None,
            );
            let (kind, msg) = kind_of(parse_pkcs8_der(&der));
            assert_eq!(kind, ErrorKind::InvalidInput, "{alg}: {msg}");
            assert!(msg.contains("parameters"), "{msg}");
        }
    }
}

#[test]
fn wrong_key_lengths_are_invalid_and_say_the_size() {
    for alg in standard_algs() {
        let s = alg.sizes();
        for n in [0, s.public_key - 1, s.public_key + 1] {
            let spki = spki_by_hand(alg, None, 0, &pattern(n, 1));
            let (kind, msg) = kind_of(parse_spki_der(&spki));
            assert_eq!(kind, ErrorKind::InvalidInput, "{msg}");
            assert!(msg.contains(&s.public_key.to_string()), "{msg}");
            assert_eq!(
                kind_of(spki_der(alg, &pattern(n, 1))).0,
                ErrorKind::InvalidInput
            );
        }
        for n in [0, s.seed - 1, s.seed + 1] {
            let der = one_asymmetric_key(0, alg, None, &seed_form(alg, &pattern(n, 1)), None);
            let (kind, msg) = kind_of(parse_pkcs8_der(&der));
            assert_eq!(kind, ErrorKind::InvalidInput, "{msg}");
            assert!(msg.contains(&s.seed.to_string()), "{msg}");
            assert_eq!(
                kind_of(pkcs8_der(alg, &pattern(n, 1))).0,
                ErrorKind::InvalidInput
            );
        }
        if alg != AlgorithmId::Ed25519 {
            let bad = [
                both_form(&pattern(s.seed - 1, 1), &pattern(s.expanded_secret_key, 2)),
                both_form(&pattern(s.seed, 1), &pattern(s.expanded_secret_key - 1, 2)),
                tlv(0x04, &pattern(s.expanded_secret_key + 1, 2)),
            ];
            for inner in bad {
                let der = one_asymmetric_key(0, alg, None, &inner, None);
                assert_eq!(kind_of(parse_pkcs8_der(&der)).0, ErrorKind::InvalidInput);
            }
        }
    }
}

#[test]
fn wrong_private_key_shapes_are_invalid() {
    let seed = [1u8; 32];
    // Ed25519 privateKey must be an OCTET STRING, not [0]
    let der = one_asymmetric_key(0, AlgorithmId::Ed25519, None, &tlv(0x80, &seed), None);
    assert_eq!(kind_of(parse_pkcs8_der(&der)).0, ErrorKind::InvalidInput);
    // Ed25519 raw 32 bytes not wrapped in CurvePrivateKey
    let der = one_asymmetric_key(0, AlgorithmId::Ed25519, None, &seed, None);
    assert_eq!(kind_of(parse_pkcs8_der(&der)).0, ErrorKind::InvalidInput);
    // ML-DSA: [1], constructed [0], INTEGER
    for inner in [
        tlv(0x81, &seed),
        tlv(0xa0, &tlv(0x04, &seed)),
        tlv(0x02, &[1]),
    ] {
        let der = one_asymmetric_key(0, AlgorithmId::MlDsa65, None, &inner, None);
        let (kind, msg) = kind_of(parse_pkcs8_der(&der));
        assert_eq!(kind, ErrorKind::InvalidInput, "{msg}");
    }
}

#[test]
fn nonzero_unused_bits_are_invalid() {
    let alg = AlgorithmId::Ed25519;
    let spki = spki_by_hand(alg, None, 3, &[0xf8; 32]);
    let (kind, msg) = kind_of(parse_spki_der(&spki));
    assert_eq!(kind, ErrorKind::InvalidInput, "{msg}");
}

#[test]
fn pem_labels_are_checked() {
    let alg = AlgorithmId::Ed25519;
    let private = pkcs8_pem(alg, &[1; 32]).unwrap();
    let public = spki_pem(alg, &[2; 32]).unwrap();
    let (kind, msg) = kind_of(parse_spki_pem(private.as_bytes()));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(
        msg.contains("PRIVATE KEY was given where a PUBLIC KEY is expected"),
        "{msg}"
    );
    let (kind, msg) = kind_of(parse_pkcs8_pem(public.as_bytes()));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(
        msg.contains("PUBLIC KEY was given where a PRIVATE KEY is expected"),
        "{msg}"
    );
    let enc = to_pem(PemLabel::PublicKey, b"x")
        .unwrap()
        .replace("PUBLIC KEY", "ENCRYPTED PRIVATE KEY");
    let (kind, msg) = kind_of(parse_pkcs8_pem(enc.as_bytes()));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("encrypted"), "{msg}");
    // surrounding white space and CRLF line endings are fine
    let crlf = format!("\n\n  {}  \n", public.replace('\n', "\r\n"));
    assert_eq!(parse_spki_pem(crlf.as_bytes()).unwrap().1, vec![2; 32]);
}

#[test]
fn malformed_pem_is_invalid() {
    let good = spki_pem(AlgorithmId::Ed25519, &[2; 32]).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let cases = [
        String::new(),
        "hello".to_string(),
        "-----BEGIN PUBLIC KEY-----\n".to_string(),
        good.replace("-----END PUBLIC KEY-----", ""),
        good.replace("-----END PUBLIC KEY-----", "-----END PRIVATE KEY-----"),
        format!(
            "{}\n!!!not base64!!!\n{}\n",
            lines[0],
            lines[lines.len() - 1]
        ),
        format!(
            "{}\nMCowBQYDK2VwAyEA\n{}\n",
            lines[0],
            lines[lines.len() - 1]
        ), // truncated DER
        good.replace('A', "*"),
        format!("{good}trailing junk"),
    ];
    for pem in cases {
        let (kind, msg) = kind_of(parse_spki_pem(pem.as_bytes()));
        assert_eq!(kind, ErrorKind::InvalidInput, "{pem:?}: {msg}");
    }
    let (_, msg) = kind_of(parse_spki_pem(b"hello"));
    assert!(
        msg.contains("must start with \"-----BEGIN PUBLIC KEY-----\""),
        "{msg}"
    );
    let (_, msg) = kind_of(parse_spki_pem(format!("{good}junk").as_bytes()));
    assert!(msg.contains("END PUBLIC KEY"), "{msg}");
    let (_, msg) = kind_of(parse_spki_pem(good.replace('A', "*").as_bytes()));
    assert!(msg.contains("Base64"), "{msg}");
    // non-UTF-8
    let (kind, _) = kind_of(parse_pem(PemLabel::PublicKey, &[0xff, 0xfe, 0x00]));
    assert_eq!(kind, ErrorKind::InvalidInput);
}

#[test]
fn formats_are_detected_from_the_first_bytes() {
    let alg = AlgorithmId::Ed25519;
    let der = spki_der(alg, &[2; 32]).unwrap();
    assert_eq!(detect_format(&der), Some(KeyFormat::Der));
    assert_eq!(
        detect_format(spki_pem(alg, &[2; 32]).unwrap().as_bytes()),
        Some(KeyFormat::Pem)
    );
    assert_eq!(detect_format(b"PQSH\x01"), Some(KeyFormat::Tagged));
    assert_eq!(detect_format(b"  pqshift1:pub:"), Some(KeyFormat::Tagged));
    assert_eq!(detect_format(b"hello"), None);
    assert_eq!(detect_format(b""), None);
}

proptest::proptest! {
    #[test]
    fn parsing_arbitrary_bytes_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        let _ = parse_spki_der(&data);
        let _ = parse_pkcs8_der_full(&data);
        let _ = parse_pem(PemLabel::PublicKey, &data);
        let _ = parse_pem(PemLabel::PrivateKey, &data);
        let _ = decode_public_key_any(&data, None);
        let _ = decode_secret_key_any(&data, None);
        let _ = pqshift::decode_encapsulation_key_any(&data, None);
        let _ = pqshift::decode_decapsulation_key_any(&data, None);
    }

    #[test]
    fn mutated_keys_never_panic(alg_i in 0usize..7, pos in 0usize..4000, byte in proptest::num::u8::ANY, pkcs8 in proptest::bool::ANY) {
        let alg = AlgorithmId::ALL[alg_i];
        let mut der = if pkcs8 {
            pkcs8_der(alg, &pattern(alg.sizes().seed, 1)).unwrap().to_vec()
        } else {
            spki_der(alg, &pattern(alg.sizes().public_key, 1)).unwrap()
        };
        let i = pos % der.len();
        der[i] = byte;
        let _ = parse_spki_der(&der);
        let _ = parse_pkcs8_der_full(&der);
        let _ = decode_public_key_any(&der, None);
        let _ = decode_secret_key_any(&der, None);
    }

    #[test]
    fn pem_like_text_never_panics(body in "[A-Za-z0-9+/=\r\n -]{0,200}") {
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n");
        let _ = parse_spki_pem(pem.as_bytes());
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
        let _ = parse_pkcs8_pem(pem.as_bytes());
    }
}

// ---------------------------------------------------------------------------
// Facade (Ed25519 through dalek; PQ once a provider links)
// ---------------------------------------------------------------------------

#[test]
fn ed25519_facade_round_trips() {
    let sk = SecretKey::from_seed(AlgorithmId::Ed25519, &pattern(32, 7), None).unwrap();
    let pk = sk.public_key().unwrap();

    let pem = pk.to_pem().unwrap();
    let back = PublicKey::from_pem(&pem, None).unwrap();
    assert_eq!(back.as_raw(), pk.as_raw());
    assert_eq!(back.fingerprint(), pk.fingerprint());
    let der = pk.to_spki_der().unwrap();
    assert_eq!(
        PublicKey::from_spki_der(&der, None).unwrap().as_raw(),
        pk.as_raw()
    );

    let spem = sk.to_pkcs8_pem().unwrap();
    let sk2 = SecretKey::from_pkcs8_pem(&spem, None).unwrap();
    assert_eq!(sk2.fingerprint(), sk.fingerprint());
    assert_eq!(sk2.seed().unwrap().expose(), &pattern(32, 7)[..]);
    let sig = sk2.sign(b"message", b"").unwrap();
    back.verify(b"message", b"", &sig).unwrap();
    let sder = sk.to_pkcs8_der().unwrap();
    assert_eq!(
        SecretKey::from_pkcs8_der(&sder, None)
            .unwrap()
            .fingerprint(),
        sk.fingerprint()
    );

    // any form: tagged binary, tagged text, PEM, DER
    let tagged = pk.to_tagged().unwrap();
    for data in [
        tagged.to_bytes().to_vec(),
        tagged.to_text().as_bytes().to_vec(),
        pem.clone().into_bytes(),
        der.clone(),
    ] {
        assert_eq!(
            decode_public_key_any(&data, None).unwrap().fingerprint(),
            pk.fingerprint()
        );
    }
    let stagged = sk.to_tagged().unwrap();
    for data in [
        stagged.to_bytes().to_vec(),
        stagged.to_text().as_bytes().to_vec(),
        spem.as_bytes().to_vec(),
        sder.to_vec(),
    ] {
        assert_eq!(
            decode_secret_key_any(&data, None).unwrap().fingerprint(),
            sk.fingerprint()
        );
    }
    // the wrong one of the two
    let (kind, msg) = kind_of(decode_public_key_any(spem.as_bytes(), None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("PRIVATE KEY was given"), "{msg}");
    let (kind, _) = kind_of(decode_secret_key_any(pem.as_bytes(), None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    let (kind, _) = kind_of(decode_public_key_any(&sder, None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    let (kind, msg) = kind_of(decode_public_key_any(b"just text", None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("SPKI PEM"), "{msg}");
}

#[test]
fn ed25519_v2_public_key_must_match() {
    let seed = pattern(32, 8);
    let sk = SecretKey::from_seed(AlgorithmId::Ed25519, &seed, None).unwrap();
    let pk = sk.public_key().unwrap();
    let good = one_asymmetric_key(
        1,
        AlgorithmId::Ed25519,
        None,
        &tlv(4, &seed),
        Some(pk.as_raw()),
    );
    assert_eq!(
        SecretKey::from_pkcs8_der(&good, None)
            .unwrap()
            .fingerprint(),
        sk.fingerprint()
    );
    let mut wrong_pk = pk.as_raw().to_vec();
    wrong_pk[0] ^= 1;
    let bad = one_asymmetric_key(
        1,
        AlgorithmId::Ed25519,
        None,
        &tlv(4, &seed),
        Some(&wrong_pk),
    );
    let (kind, msg) = kind_of(SecretKey::from_pkcs8_der(&bad, None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("publicKey does not match"), "{msg}");
}

#[test]
fn placeholder_keys_refuse_standard_encodings() {
    let sk = SecretKey::from_seed(AlgorithmId::InsecureTestHmacSha256, &[1; 32], None).unwrap();
    let (kind, msg) = kind_of(sk.to_pkcs8_der());
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("no OID"), "{msg}");
    assert_eq!(kind_of(sk.to_pkcs8_pem()).0, ErrorKind::InvalidInput);
}

#[test]
fn keys_of_the_wrong_kind_are_refused_by_the_facade() {
    // an ML-KEM SPKI given as a signature public key, and the reverse
    let kem = spki_der(AlgorithmId::MlKem768, &pattern(1184, 1)).unwrap();
    let (kind, msg) = kind_of(PublicKey::from_spki_der(&kem, None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("EncapsulationKey"), "{msg}");
    let sig = spki_der(AlgorithmId::Ed25519, &[1; 32]).unwrap();
    let (kind, msg) = kind_of(EncapsulationKey::from_spki_der(&sig, None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("PublicKey"), "{msg}");
    let kem_sk = pkcs8_der(AlgorithmId::MlKem768, &pattern(64, 1)).unwrap();
    let (kind, msg) = kind_of(SecretKey::from_pkcs8_der(&kem_sk, None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("DecapsulationKey"), "{msg}");
    let sig_sk = pkcs8_der(AlgorithmId::Ed25519, &[1; 32]).unwrap();
    let (kind, msg) = kind_of(DecapsulationKey::from_pkcs8_der(&sig_sk, None));
    assert_eq!(kind, ErrorKind::InvalidInput);
    assert!(msg.contains("SecretKey"), "{msg}");
}

/// One ACVP keyGen vector: (alg, seed, pk, expanded sk).
type KeyGenVector = (AlgorithmId, Vec<u8>, Vec<u8>, Vec<u8>);

/// One ACVP keyGen vector per parameter set.
fn keygen_vectors() -> Option<Vec<KeyGenVector>> {
    let mut out = Vec::new();
    let dsa = load_json("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json")?;
    let kem = load_json("acvp/ML-KEM-keyGen-FIPS203/internalProjection.json")?;
    for g in dsa["testGroups"].as_array().unwrap() {
        let alg = AlgorithmId::parse(g["parameterSet"].as_str().unwrap()).unwrap();
        let t = &g["tests"][0];
        out.push((
            alg,
            hex_field(t, "seed"),
            hex_field(t, "pk"),
            hex_field(t, "sk"),
        ));
    }
    for g in kem["testGroups"].as_array().unwrap() {
        let alg = AlgorithmId::parse(g["parameterSet"].as_str().unwrap()).unwrap();
        let t = &g["tests"][0];
        let mut seed = hex_field(t, "d");
        seed.extend(hex_field(t, "z"));
        out.push((alg, seed, hex_field(t, "ek"), hex_field(t, "dk")));
    }
    Some(out)
}

/// The three private-key forms built from NIST's keyGen vectors (the seed,
/// pk and expanded sk come from ACVP, not from us): the pure parser, and
/// through the facade once a provider serves the algorithm.
#[test]
fn acvp_keys_in_all_three_forms() {
    let Some(vectors) = keygen_vectors() else {
        return;
    };
    let mut exercised = Vec::new();
    for (alg, seed, pk, sk) in vectors {
        let both_der = one_asymmetric_key(0, alg, None, &both_form(&seed, &sk), None);
        let exp_der = pkcs8_der_expanded(alg, &sk).unwrap();

        match parse_pkcs8_der(&both_der).unwrap().1 {
            PrivateKeyMaterial::Both { seed: s, expanded } => {
                assert_eq!(s.expose(), &seed[..]);
                assert_eq!(expanded.expose(), &sk[..]);
            }
            other => panic!("{alg}: {other:?}"),
        }
        assert_eq!(
            parse_pkcs8_der(&exp_der)
                .unwrap()
                .1
                .expanded()
                .unwrap()
                .expose(),
            &sk[..]
        );

        let providers: Vec<&str> = registry::providers_for(alg)
            .iter()
            .map(|r| r.provider().id)
            .collect();
        if providers.is_empty() {
            eprintln!("skipped: {alg} facade checks (no provider linked)");
        }
        for p in providers {
            exercised.push(alg);
            facade_three_forms(alg, p, &seed, &pk, &sk);
            eprintln!("checked: {alg} via {p}, all three private-key forms");
        }
    }
    if pqshift_test_support::in_ci() && !registry::providers_for(AlgorithmId::MlDsa65).is_empty() {
        assert!(
            exercised.contains(&AlgorithmId::MlDsa65),
            "an ML-DSA-65 provider is linked but the facade checks did not run"
        );
    }
}

/// The facade checks of [`acvp_keys_in_all_three_forms`] for one provider.
/// A provider without seeded keygen refuses the seed form (`Unsupported`)
/// and loads the expanded and both forms from the expanded key.
fn facade_three_forms(alg: AlgorithmId, p: &str, seed: &[u8], pk: &[u8], sk: &[u8]) {
    let seeded = pqshift::capabilities(alg, Some(p)).unwrap().seeded_keygen;
    let seed_der = pkcs8_der(alg, seed).unwrap();
    let both_der = one_asymmetric_key(0, alg, None, &both_form(seed, sk), None);
    let exp_der = pkcs8_der_expanded(alg, sk).unwrap();
    let with_v2 = one_asymmetric_key(1, alg, None, &seed_form(alg, seed), Some(pk));
    let mut bad_pk = pk.to_vec();
    bad_pk[40] ^= 1;
    let with_bad_v2 = one_asymmetric_key(1, alg, None, &seed_form(alg, seed), Some(&bad_pk));
    let mut wrong_sk = sk.to_vec();
    let last = wrong_sk.len() - 1;
    wrong_sk[last] ^= 1; // ML-KEM: z's last byte; ML-DSA: inside t0
    let wrong_both = one_asymmetric_key(0, alg, None, &both_form(seed, &wrong_sk), None);
    let mut wrong_rho = sk.to_vec();
    wrong_rho[0] ^= 1;
    let wrong_both_rho = one_asymmetric_key(0, alg, None, &both_form(seed, &wrong_rho), None);
    let ctx = format!("{alg} via {p}");
    let seed_kind = |r: ErrorKind| {
        if seeded {
            r
        } else {
            ErrorKind::Unsupported
        }
    };

    match alg.kind() {
        AlgorithmKind::Signature => {
            let load = |der: &[u8]| SecretKey::from_pkcs8_der(der, Some(p));
            let pub_of = |k: &SecretKey| k.public_key().unwrap().as_raw().to_vec();
            if seeded {
                let k = load(&seed_der).unwrap();
                assert_eq!(pub_of(&k), pk, "{ctx} seed");
                assert_eq!(&k.to_pkcs8_der().unwrap()[..], &seed_der[..], "{ctx}");
                assert_eq!(pub_of(&load(&with_v2).unwrap()), pk, "{ctx} v2");
                assert_eq!(kind_of(load(&wrong_both_rho)).0, ErrorKind::InvalidInput);
                if k.expanded_secret_key().is_some() {
                    let (kind, msg) = kind_of(load(&wrong_both));
                    assert_eq!(kind, ErrorKind::InvalidInput, "{ctx}");
                    assert!(msg.contains("does not match"), "{msg}");
                }
            } else {
                assert_eq!(kind_of(load(&seed_der)).0, ErrorKind::Unsupported, "{ctx}");
            }
            assert_eq!(
                kind_of(load(&with_bad_v2)).0,
                seed_kind(ErrorKind::InvalidInput),
                "{ctx}"
            );
            assert_eq!(pub_of(&load(&both_der).unwrap()), pk, "{ctx} both");
            match load(&exp_der) {
                Ok(k) => {
                    assert_eq!(pub_of(&k), pk, "{ctx} expanded");
                    if k.seed().is_none() {
                        // a seedless key is written back in the expanded form
                        assert_eq!(&k.to_pkcs8_der().unwrap()[..], &exp_der[..], "{ctx}");
                    }
                }
                Err(e) => assert_eq!(e.kind(), ErrorKind::Unsupported, "{ctx}: {e}"),
            }
        }
        AlgorithmKind::Kem => {
            let load = |der: &[u8]| DecapsulationKey::from_pkcs8_der(der, Some(p));
            let ek_of = |k: &DecapsulationKey| k.encapsulation_key().unwrap().as_raw().to_vec();
            if seeded {
                let k = load(&seed_der).unwrap();
                assert_eq!(ek_of(&k), pk, "{ctx} seed");
                assert_eq!(&k.to_pkcs8_der().unwrap()[..], &seed_der[..], "{ctx}");
                assert_eq!(ek_of(&load(&with_v2).unwrap()), pk, "{ctx} v2");
            } else {
                assert_eq!(kind_of(load(&seed_der)).0, ErrorKind::Unsupported, "{ctx}");
            }
            assert_eq!(
                kind_of(load(&with_bad_v2)).0,
                seed_kind(ErrorKind::InvalidInput),
                "{ctx}"
            );
            let both = load(&both_der).unwrap();
            assert_eq!(ek_of(&both), pk, "{ctx} both");
            // z differs: caught by the provider's expanded key or the structural check
            let (kind, msg) = kind_of(load(&wrong_both));
            assert_eq!(kind, ErrorKind::InvalidInput, "{ctx}");
            assert!(msg.contains("does not match"), "{msg}");
            match load(&exp_der) {
                Ok(k) => {
                    assert_eq!(ek_of(&k), pk, "{ctx} expanded");
                    if k.seed().is_none() {
                        assert_eq!(&k.to_pkcs8_der().unwrap()[..], &exp_der[..], "{ctx}");
                    }
                }
                Err(e) => assert_eq!(e.kind(), ErrorKind::Unsupported, "{ctx}: {e}"),
            }
            // SPKI and PEM through the facade, and a round trip through the KEM
            let ek = both.encapsulation_key().unwrap();
            let back =
                EncapsulationKey::from_spki_pem(&ek.to_spki_pem().unwrap(), Some(p)).unwrap();
            assert_eq!(back.as_raw(), pk);
            let pem = both.to_pkcs8_pem().unwrap();
            let k2 = DecapsulationKey::from_pkcs8_pem(&pem, Some(p)).unwrap();
            let (ct, ss) = back.encapsulate().unwrap();
            assert!(ss.ct_eq(k2.decapsulate(&ct).unwrap().expose()), "{ctx}");
        }
        AlgorithmKind::Mac => unreachable!(),
    }
}
