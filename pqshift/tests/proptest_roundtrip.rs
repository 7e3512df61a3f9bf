//! Property tests (issue #10, part 3): round trips and refusals of every
//! encoding, sign/verify and encapsulate/decapsulate across every provider
//! that serves an algorithm, and the RFC 6962 Merkle invariants.
//!
//! Beside the fixed-value tests of `standard_encodings.rs`, `golden.rs` and
//! `cross_providers.rs`, these draw arbitrary payloads, seeds, messages,
//! contexts and mutations, and assert the exact error kind of every refusal.
//!
//! Case counts are per block (pure encodings: 128-256; PQ keygen, signing and
//! encapsulation: 16-64) so that the debug-build run stays well under 30 s.
//! Failures are not persisted (`failure_persistence: None`): a failing case
//! prints its inputs; turn it into a fixed test if it matters.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};

use pqshift::encoding::{FINGERPRINT_LEN, MAGIC, TEXT_PREFIX};
use pqshift::merkle::{self, MerkleBuilder};
use pqshift::standard::{
    self, detect_format, parse_pem, parse_pkcs8_der_full, parse_pkcs8_pem, parse_spki_der,
    parse_spki_pem, pkcs8_der, pkcs8_der_expanded, pkcs8_pem, spki_der, spki_pem, PemLabel,
};
use pqshift::{
    decode_decapsulation_key_any, decode_encapsulation_key_any, decode_public_key_any,
    decode_secret_key_any, registry, AlgorithmId, AlgorithmKind, Ciphertext, DecapsulationKey,
    EncapsulationKey, Error, ErrorKind, ObjectKind, PrivateKeyMaterial, PublicKey, SecretKey,
    SignMode, Signature, Tagged, MAX_CONTEXT_LEN,
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const KINDS: [ObjectKind; 5] = [
    ObjectKind::PublicKey,
    ObjectKind::SecretSeed,
    ObjectKind::Signature,
    ObjectKind::Ciphertext,
    ObjectKind::SecretExpanded,
];

const ML_DSA: [AlgorithmId; 3] = [
    AlgorithmId::MlDsa44,
    AlgorithmId::MlDsa65,
    AlgorithmId::MlDsa87,
];

const ML_KEM: [AlgorithmId; 3] = [
    AlgorithmId::MlKem512,
    AlgorithmId::MlKem768,
    AlgorithmId::MlKem1024,
];

/// The payload size of `kind` for `alg`, written out from the format's
/// documentation (not through `encoding::payload_len`).
fn expected_len(alg: AlgorithmId, kind: ObjectKind) -> Option<usize> {
    let s = alg.sizes();
    match (kind, alg.kind()) {
        (ObjectKind::PublicKey, AlgorithmKind::Mac) => None,
        (ObjectKind::PublicKey, _) => Some(s.public_key),
        (ObjectKind::SecretSeed, _) => Some(s.seed),
        (ObjectKind::SecretExpanded, _) => Some(s.expanded_secret_key),
        (ObjectKind::Signature, AlgorithmKind::Kem) => None,
        (ObjectKind::Signature, _) => Some(s.signature),
        (ObjectKind::Ciphertext, AlgorithmKind::Kem) => Some(s.ciphertext),
        (ObjectKind::Ciphertext, _) => None,
    }
}

fn valid_pairs() -> Vec<(AlgorithmId, ObjectKind)> {
    AlgorithmId::ALL
        .into_iter()
        .flat_map(|a| KINDS.into_iter().map(move |k| (a, k)))
        .filter(|(a, k)| expected_len(*a, *k).is_some())
        .collect()
}

/// A valid (algorithm, kind, payload, fingerprint) for a tagged object.
fn valid_tagged() -> impl Strategy<Value = Tagged> {
    select(valid_pairs())
        .prop_flat_map(|(alg, kind)| {
            let n = expected_len(alg, kind).unwrap();
            (
                Just(alg),
                Just(kind),
                vec(any::<u8>(), n),
                any::<[u8; FINGERPRINT_LEN]>(),
            )
        })
        .prop_map(|(alg, kind, payload, fp)| {
            Tagged::new(kind, alg, kind.is_key().then_some(fp), &payload).unwrap()
        })
}

/// The binary form built by hand from the documented layout.
fn binary_by_hand(kind: u8, id: &[u8], fingerprint: Option<&[u8]>, payload: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(1);
    out.push(kind);
    out.push(id.len() as u8);
    out.extend_from_slice(id);
    if let Some(fp) = fingerprint {
        out.extend_from_slice(fp);
    }
    out.extend_from_slice(payload);
    out
}

/// Unpadded base64url (RFC 4648 section 5), written out for the test.
fn base64url(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn kind_of<T>(r: pqshift::Result<T>) -> ErrorKind {
    match r {
        Ok(_) => panic!("expected an error, got Ok"),
        Err(e) => e.kind(),
    }
}

/// True when `input` (trimmed) is exactly the text form of `t`: one
/// object, one spelling (the fingerprint's hex must be lower case).
fn is_text_form_of(t: &Tagged, input: &str) -> bool {
    t.to_text().as_str() == input.trim()
}

/// A decoder's refusal: InvalidInput, or Unsupported for the documented
/// cases (an unknown algorithm or OID; a provider that does not load
/// expanded keys). Never a verification failure, a provider or internal
/// error, and never a panic.
fn assert_refused<T>(r: pqshift::Result<T>, what: &str) {
    match r {
        Ok(_) => panic!("{what}: accepted"),
        Err(Error::InvalidInput(_)) => {}
        Err(Error::Unsupported(m)) => assert!(
            m.contains("unknown") || m.contains("expanded"),
            "{what}: undocumented Unsupported: {m}"
        ),
        Err(e) => panic!("{what}: wrong error kind {:?}: {e}", e.kind()),
    }
}

fn providers(alg: AlgorithmId) -> Vec<&'static str> {
    registry::providers_for(alg)
        .into_iter()
        .map(|r| r.provider().id)
        .collect()
}

/// One key of `alg` from `seed`, loaded by every provider that serves
/// `alg`: from the seed where the provider takes seeds, else from the
/// expanded key another provider derived. All are the same key.
fn signing_keys(alg: AlgorithmId, seed: &[u8]) -> Vec<(&'static str, SecretKey)> {
    let mut keys = Vec::new();
    let mut seedless = Vec::new();
    for r in registry::providers_for(alg) {
        let id = r.provider().id;
        match SecretKey::from_seed(alg, seed, Some(id)) {
            Ok(k) => {
                assert!(r.capabilities().seeded_keygen, "{alg}/{id}");
                keys.push((id, k));
            }
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Unsupported, "{alg}/{id}: {e}");
                assert!(!r.capabilities().seeded_keygen, "{alg}/{id}");
                seedless.push(id);
            }
        }
    }
    assert!(!keys.is_empty(), "no provider of {alg} takes seeds");
    // Seed-capable providers derive the same expanded key (FIPS 204/203 KeyGen_internal).
    let expanded: BTreeSet<Vec<u8>> = keys
        .iter()
        .filter_map(|(_, k)| k.expanded_secret_key().map(|e| e.expose().to_vec()))
        .collect();
    assert!(
        expanded.len() <= 1,
        "{alg}: providers expand one seed differently"
    );
    for id in seedless {
        let e = expanded
            .first()
            .expect("an expanded key for a seedless provider");
        keys.push((id, SecretKey::from_expanded(alg, e, Some(id)).unwrap()));
    }
    let fp = keys[0].1.fingerprint();
    for (id, k) in &keys {
        assert_eq!(
            k.fingerprint(),
            fp,
            "{alg}/{id}: another key from the same seed"
        );
    }
    keys
}

/// The same for KEM decapsulation keys.
fn decapsulation_keys(alg: AlgorithmId, seed: &[u8]) -> Vec<(&'static str, DecapsulationKey)> {
    let mut keys = Vec::new();
    let mut seedless = Vec::new();
    for r in registry::providers_for(alg) {
        let id = r.provider().id;
        match DecapsulationKey::from_seed(alg, seed, Some(id)) {
            Ok(k) => keys.push((id, k)),
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Unsupported, "{alg}/{id}: {e}");
                seedless.push(id);
            }
        }
    }
    assert!(!keys.is_empty(), "no provider of {alg} takes seeds");
    let expanded: BTreeSet<Vec<u8>> = keys
        .iter()
        .filter_map(|(_, k)| k.expanded_secret_key().map(|e| e.expose().to_vec()))
        .collect();
    assert!(
        expanded.len() <= 1,
        "{alg}: providers expand one seed differently"
    );
    for id in seedless {
        let e = expanded
            .first()
            .expect("an expanded key for a seedless provider");
        keys.push((
            id,
            DecapsulationKey::from_expanded(alg, e, Some(id)).unwrap(),
        ));
    }
    let fp = keys[0].1.fingerprint();
    for (id, k) in &keys {
        assert_eq!(
            k.fingerprint(),
            fp,
            "{alg}/{id}: another key from the same seed"
        );
    }
    keys
}

fn flip_bit(data: &[u8], bit: Index) -> Vec<u8> {
    let mut out = data.to_vec();
    if out.is_empty() {
        out.push(0);
    } else {
        let i = bit.index(out.len() * 8);
        out[i / 8] ^= 1 << (i % 8);
    }
    out
}

// ---------------------------------------------------------------------------
// Tagged envelope: binary and text forms, every kind, every algorithm
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    /// Every valid (algorithm, kind) with an arbitrary payload and
    /// fingerprint: the binary form is exactly the documented layout, the
    /// text form has exactly the documented fields, and both (and
    /// `decode`, with surrounding white space for text) give it back.
    #[test]
    fn tagged_forms_round_trip(t in valid_tagged()) {
        let (alg, kind) = (t.algorithm(), t.kind());
        let id = alg.as_str().as_bytes();
        let bin = t.to_bytes();
        let by_hand = binary_by_hand(
            kind as u8,
            id,
            t.fingerprint().map(|f| &f[..]),
            t.payload(),
        );
        prop_assert_eq!(&bin[..], &by_hand[..]);
        prop_assert_eq!(&Tagged::from_bytes(&bin).unwrap(), &t);
        prop_assert_eq!(&Tagged::decode(&bin).unwrap(), &t);

        let text = t.to_text();
        let mut want = format!("{TEXT_PREFIX}{}:{}:", kind.as_str(), alg.as_str());
        if let Some(fp) = t.fingerprint() {
            want.push_str(&hex::encode(fp));
            want.push(':');
        }
        want.push_str(&base64url(t.payload()));
        prop_assert_eq!(&text[..], &want[..]);
        prop_assert_eq!(&Tagged::from_text(&text).unwrap(), &t);
        prop_assert_eq!(&Tagged::decode(text.as_bytes()).unwrap(), &t);
        let padded = format!(" \t\n{}\r\n ", &*text);
        prop_assert_eq!(&Tagged::decode(padded.as_bytes()).unwrap(), &t);
        prop_assert_eq!(&Tagged::from_text(&padded).unwrap(), &t);

        // The object asks for its kind and algorithm, and refuses others.
        prop_assert!(t.expect(kind, Some(alg)).is_ok());
        for other in KINDS.into_iter().filter(|k| *k != kind) {
            prop_assert_eq!(kind_of(t.expect(other, None)), ErrorKind::InvalidInput);
        }
        for other in AlgorithmId::ALL.into_iter().filter(|a| *a != alg) {
            prop_assert_eq!(kind_of(t.expect(kind, Some(other))), ErrorKind::InvalidInput);
        }
    }

    /// A payload of any other length is InvalidInput, through the
    /// constructor and through both decoders; so is a kind the algorithm
    /// does not have (a MAC public key, a KEM signature, ...).
    #[test]
    fn wrong_payload_lengths_are_invalid(
        (alg, kind) in (select(AlgorithmId::ALL.to_vec()), select(KINDS.to_vec())),
        payload in vec(any::<u8>(), 0..5000),
        fp in any::<[u8; FINGERPRINT_LEN]>(),
    ) {
        prop_assume!(expected_len(alg, kind) != Some(payload.len()));
        let fp = kind.is_key().then_some(fp);
        prop_assert_eq!(
            kind_of(Tagged::new(kind, alg, fp, &payload)),
            ErrorKind::InvalidInput
        );
        let bin = binary_by_hand(kind as u8, alg.as_str().as_bytes(), fp.as_ref().map(|f| &f[..]), &payload);
        prop_assert_eq!(kind_of(Tagged::from_bytes(&bin)), ErrorKind::InvalidInput);
        prop_assert_eq!(kind_of(Tagged::decode(&bin)), ErrorKind::InvalidInput);
        let mut text = format!("{TEXT_PREFIX}{}:{}:", kind.as_str(), alg.as_str());
        if let Some(fp) = fp {
            text.push_str(&hex::encode(fp));
            text.push(':');
        }
        text.push_str(&base64url(&payload));
        prop_assert_eq!(kind_of(Tagged::from_text(&text)), ErrorKind::InvalidInput);
    }

    /// One changed byte of a binary form: the header changes are refused
    /// with the documented kind (an unknown algorithm ID is Unsupported,
    /// everything else InvalidInput); a changed fingerprint or payload byte
    /// decodes to that other object. Whatever decodes re-encodes to exactly
    /// the input: the binary form is canonical.
    #[test]
    fn mutated_binary_forms_are_refused_or_canonical(
        t in valid_tagged(),
        pos in any::<Index>(),
        byte in any::<u8>(),
    ) {
        let bin = t.to_bytes().to_vec();
        let i = pos.index(bin.len());
        prop_assume!(bin[i] != byte);
        let mut m = bin.clone();
        m[i] = byte;
        let n = t.algorithm().as_str().len();
        let r = Tagged::from_bytes(&m);
        if let Ok(d) = &r {
            prop_assert_eq!(&d.to_bytes()[..], &m[..], "accepted, but not canonical");
        }
        match i {
            0..=4 => prop_assert_eq!(kind_of(r), ErrorKind::InvalidInput),
            5 => match r {
                Ok(d) => prop_assert_ne!(d.kind(), t.kind()),
                Err(e) => prop_assert_eq!(e.kind(), ErrorKind::InvalidInput),
            },
            6 => {
                let n2 = usize::from(byte);
                let want = match m.get(7..7 + n2) {
                    Some(id) if std::str::from_utf8(id).is_ok() => ErrorKind::Unsupported,
                    _ => ErrorKind::InvalidInput,
                };
                prop_assert_eq!(kind_of(r), want);
            }
            i if i < 7 + n => {
                let want = if std::str::from_utf8(&m[7..7 + n]).is_ok() {
                    ErrorKind::Unsupported
                } else {
                    ErrorKind::InvalidInput
                };
                prop_assert_eq!(kind_of(r), want);
            }
            _ => {
                let d = r.unwrap();
                prop_assert_eq!((d.kind(), d.algorithm()), (t.kind(), t.algorithm()));
                prop_assert_ne!(&d, &t);
            }
        }
    }

    /// One changed character of a text form: refused (InvalidInput or, for
    /// the algorithm field, Unsupported), or decoded to an object whose text
    /// form is exactly the input.
    #[test]
    fn mutated_text_forms_are_refused_or_canonical(
        t in valid_tagged(),
        pos in any::<Index>(),
        c in select(b"ABCDEFabcdefXYZxyz0123456789:-_ .=+/".to_vec()),
    ) {
        let text = t.to_text().to_string();
        let i = pos.index(text.len());
        prop_assume!(text.as_bytes()[i] != c);
        let mut m = text.clone().into_bytes();
        m[i] = c;
        let m = String::from_utf8(m).unwrap();
        match Tagged::from_text(&m) {
            Ok(d) => prop_assert!(is_text_form_of(&d, &m), "accepted, but not canonical: {}", m),
            Err(e) => prop_assert!(
                matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported),
                "{:?}: {}", e.kind(), e
            ),
        }
    }

    /// Signatures, MAC tags and ciphertexts: the facade's objects round-trip
    /// through both tagged forms, and refuse an object of another kind.
    #[test]
    fn signatures_and_ciphertexts_round_trip(t in valid_tagged()) {
        let alg = t.algorithm();
        match t.kind() {
            ObjectKind::Signature => {
                let s = Signature::from_raw(alg, t.payload()).unwrap();
                prop_assert_eq!(s.as_raw(), t.payload());
                prop_assert_eq!(&s.to_tagged().unwrap(), &t);
                prop_assert_eq!(&Signature::decode(&s.to_bytes().unwrap()).unwrap(), &s);
                prop_assert_eq!(&Signature::decode(s.to_text().unwrap().as_bytes()).unwrap(), &s);
                prop_assert_eq!(kind_of(Ciphertext::decode(&t.to_bytes())), ErrorKind::InvalidInput);
            }
            ObjectKind::Ciphertext => {
                let c = Ciphertext::from_raw(alg, t.payload()).unwrap();
                prop_assert_eq!(&c.to_tagged().unwrap(), &t);
                prop_assert_eq!(&Ciphertext::decode(&t.to_bytes()).unwrap(), &c);
                prop_assert_eq!(&Ciphertext::decode(t.to_text().as_bytes()).unwrap(), &c);
                prop_assert_eq!(kind_of(Signature::decode(&t.to_bytes())), ErrorKind::InvalidInput);
            }
            _ => {
                // Keys are not signatures or ciphertexts; raw bytes of a
                // kind the algorithm lacks are refused too.
                prop_assert_eq!(kind_of(Signature::decode(&t.to_bytes())), ErrorKind::InvalidInput);
                prop_assert_eq!(kind_of(Ciphertext::decode(t.to_text().as_bytes())), ErrorKind::InvalidInput);
            }
        }
        if expected_len(alg, ObjectKind::Signature).is_none() {
            prop_assert_eq!(kind_of(Signature::from_raw(alg, t.payload())), ErrorKind::InvalidInput);
        }
        if expected_len(alg, ObjectKind::Ciphertext).is_none() {
            prop_assert_eq!(kind_of(Ciphertext::from_raw(alg, t.payload())), ErrorKind::InvalidInput);
        }
    }
}

// ---------------------------------------------------------------------------
// SPKI / PKCS#8, DER and PEM: the pure layer with arbitrary key bytes
// ---------------------------------------------------------------------------

fn standard_algs() -> Vec<AlgorithmId> {
    AlgorithmId::ALL
        .into_iter()
        .filter(|a| a.oid().is_some())
        .collect()
}

/// (algorithm with an OID, public key, seed, expanded key), arbitrary bytes.
fn standard_material() -> impl Strategy<Value = (AlgorithmId, Vec<u8>, Vec<u8>, Vec<u8>)> {
    select(standard_algs()).prop_flat_map(|alg| {
        let s = alg.sizes();
        (
            Just(alg),
            vec(any::<u8>(), s.public_key),
            vec(any::<u8>(), s.seed),
            vec(any::<u8>(), s.expanded_secret_key),
        )
    })
}

proptest! {
    #![proptest_config(config(128))]

    /// Arbitrary key bytes of every algorithm with an OID round-trip
    /// through SPKI and PKCS#8 (seed and expanded forms), DER and PEM.
    #[test]
    fn spki_and_pkcs8_round_trip((alg, pk, seed, expanded) in standard_material()) {
        let der = spki_der(alg, &pk).unwrap();
        prop_assert_eq!(parse_spki_der(&der).unwrap(), (alg, pk.clone()));
        let pem = spki_pem(alg, &pk).unwrap();
        prop_assert_eq!(parse_spki_pem(pem.as_bytes()).unwrap(), (alg, pk.clone()));
        prop_assert_eq!(&parse_pem(PemLabel::PublicKey, pem.as_bytes()).unwrap()[..], &der[..]);
        prop_assert_eq!(kind_of(parse_pem(PemLabel::PrivateKey, pem.as_bytes())), ErrorKind::InvalidInput);

        let der = pkcs8_der(alg, &seed).unwrap();
        let k = parse_pkcs8_der_full(&der).unwrap();
        prop_assert_eq!(k.algorithm, alg);
        prop_assert!(k.public_key.is_none());
        prop_assert!(matches!(&k.material, PrivateKeyMaterial::Seed(s) if s.expose() == &seed[..]));
        let pem = pkcs8_pem(alg, &seed).unwrap();
        let k = parse_pkcs8_pem(pem.as_bytes()).unwrap();
        prop_assert_eq!(k.algorithm, alg);
        prop_assert_eq!(k.material.seed().unwrap().expose(), &seed[..]);
        prop_assert_eq!(kind_of(parse_pem(PemLabel::PublicKey, pem.as_bytes())), ErrorKind::InvalidInput);

        if alg == AlgorithmId::Ed25519 {
            prop_assert_eq!(kind_of(pkcs8_der_expanded(alg, &expanded)), ErrorKind::InvalidInput);
        } else {
            let der = pkcs8_der_expanded(alg, &expanded).unwrap();
            let k = parse_pkcs8_der_full(&der).unwrap();
            prop_assert_eq!(k.algorithm, alg);
            prop_assert!(matches!(&k.material, PrivateKeyMaterial::Expanded(e) if e.expose() == &expanded[..]));
        }
    }

    /// Wrong lengths are InvalidInput when encoding; the placeholder (no
    /// OID) has no standard encoding at all.
    #[test]
    fn standard_encoders_refuse_wrong_lengths(
        alg in select(AlgorithmId::ALL.to_vec()),
        data in vec(any::<u8>(), 0..5000),
    ) {
        let s = alg.sizes();
        if alg.oid().is_none() {
            prop_assert_eq!(kind_of(spki_der(alg, &data)), ErrorKind::InvalidInput);
            prop_assert_eq!(kind_of(pkcs8_der(alg, &data)), ErrorKind::InvalidInput);
            prop_assert_eq!(kind_of(pkcs8_der_expanded(alg, &data)), ErrorKind::InvalidInput);
            return Ok(());
        }
        if data.len() != s.public_key {
            prop_assert_eq!(kind_of(spki_der(alg, &data)), ErrorKind::InvalidInput);
        }
        if data.len() != s.seed {
            prop_assert_eq!(kind_of(pkcs8_der(alg, &data)), ErrorKind::InvalidInput);
        }
        if data.len() != s.expanded_secret_key || alg == AlgorithmId::Ed25519 {
            prop_assert_eq!(kind_of(pkcs8_der_expanded(alg, &data)), ErrorKind::InvalidInput);
        }
    }

    /// One changed byte of SPKI or PKCS#8 DER: refused with InvalidInput or
    /// (a changed OID) Unsupported, or parsed to a key whose encoding is
    /// exactly the input: DER is canonical.
    #[test]
    fn mutated_der_is_refused_or_canonical(
        (alg, pk, seed, expanded) in standard_material(),
        which in 0u8..3,
        pos in any::<Index>(),
        byte in any::<u8>(),
    ) {
        let der = match which {
            0 => spki_der(alg, &pk).unwrap(),
            1 => pkcs8_der(alg, &seed).unwrap().to_vec(),
            _ if alg == AlgorithmId::Ed25519 => pkcs8_der(alg, &seed).unwrap().to_vec(),
            _ => pkcs8_der_expanded(alg, &expanded).unwrap().to_vec(),
        };
        let i = pos.index(der.len());
        prop_assume!(der[i] != byte);
        let mut m = der.clone();
        m[i] = byte;
        match parse_spki_der(&m) {
            Ok((a, raw)) => prop_assert_eq!(&spki_der(a, &raw).unwrap()[..], &m[..]),
            Err(e) => prop_assert!(matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported), "{}", e),
        }
        match parse_pkcs8_der_full(&m) {
            Ok(k) => {
                prop_assert!(k.public_key.is_none());
                let again = match &k.material {
                    PrivateKeyMaterial::Seed(s) => pkcs8_der(k.algorithm, s.expose()).unwrap(),
                    PrivateKeyMaterial::Expanded(e) => pkcs8_der_expanded(k.algorithm, e.expose()).unwrap(),
                    PrivateKeyMaterial::Both { .. } => panic!("a one-byte change made a \"both\" form"),
                };
                prop_assert_eq!(&again[..], &m[..], "accepted, but not canonical");
            }
            Err(e) => prop_assert!(matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported), "{}", e),
        }
    }
}

// ---------------------------------------------------------------------------
// Arbitrary bytes into every decoder
// ---------------------------------------------------------------------------

/// Garbage of several shapes: raw bytes; the binary frame with any kind
/// byte and algorithm and an arbitrary tail; the text frame with arbitrary
/// fields; DER-looking bytes; PEM armour around arbitrary bytes.
fn garbage() -> impl Strategy<Value = Vec<u8>> {
    let names: Vec<&'static str> = AlgorithmId::ALL
        .iter()
        .map(|a| a.as_str())
        .chain(["ML-DSA-65", "rsa", ""])
        .collect();
    prop_oneof![
        vec(any::<u8>(), 0..400),
        (0u8..8, select(names.clone()), vec(any::<u8>(), 0..400)).prop_map(|(kind, id, tail)| {
            let mut out = MAGIC.to_vec();
            out.extend_from_slice(&[1, kind, id.len() as u8]);
            out.extend_from_slice(id.as_bytes());
            out.extend(tail);
            out
        }),
        (
            "(pub|sec|sig|ct|sec-expanded|key)",
            select(names),
            "[0-9a-fA-F]{0,66}",
            "[A-Za-z0-9_:=-]{0,400}",
        )
            .prop_map(|(k, a, fp, p)| format!("{TEXT_PREFIX}{k}:{a}:{fp}:{p}").into_bytes()),
        vec(any::<u8>(), 0..400).prop_map(|v| {
            let mut out = vec![0x30];
            out.extend(v);
            out
        }),
        (any::<bool>(), vec(any::<u8>(), 0..400)).prop_map(|(public, der)| {
            let label = if public {
                PemLabel::PublicKey
            } else {
                PemLabel::PrivateKey
            };
            standard::to_pem(label, &der).unwrap().as_bytes().to_vec()
        }),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Every decoder refuses garbage with InvalidInput (Unsupported only for
    /// the documented cases), never panics, and never accepts it, except
    /// the unauthenticated envelope decoders, which may only accept a
    /// canonical encoding.
    #[test]
    fn garbage_is_refused_by_every_decoder(data in garbage()) {
        for r in [
            Tagged::decode(&data).map(|t| t.to_bytes().to_vec()),
            Signature::decode(&data).and_then(|s| s.to_bytes()),
            Ciphertext::decode(&data).and_then(|c| c.to_tagged()).map(|t| t.to_bytes().to_vec()),
        ] {
            match r {
                Ok(bytes) => {
                    let canonical = bytes == data
                        || std::str::from_utf8(&data)
                            .is_ok_and(|s| is_text_form_of(&Tagged::decode(&bytes).unwrap(), s));
                    prop_assert!(canonical, "accepted a non-canonical envelope");
                }
                Err(e) => prop_assert!(
                    matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported),
                    "{:?}: {}", e.kind(), e
                ),
            }
        }
        assert_refused(PublicKey::decode(&data, None), "PublicKey::decode");
        assert_refused(SecretKey::decode(&data, None), "SecretKey::decode");
        assert_refused(EncapsulationKey::decode(&data, None), "EncapsulationKey::decode");
        assert_refused(DecapsulationKey::decode(&data, None), "DecapsulationKey::decode");
        assert_refused(decode_public_key_any(&data, None), "decode_public_key_any");
        assert_refused(decode_secret_key_any(&data, None), "decode_secret_key_any");
        assert_refused(decode_encapsulation_key_any(&data, None), "decode_encapsulation_key_any");
        assert_refused(decode_decapsulation_key_any(&data, None), "decode_decapsulation_key_any");
        assert_refused(PublicKey::from_spki_der(&data, None), "PublicKey::from_spki_der");
        assert_refused(SecretKey::from_pkcs8_der(&data, None), "SecretKey::from_pkcs8_der");
        assert_refused(parse_spki_der(&data), "parse_spki_der");
        assert_refused(parse_pkcs8_der_full(&data), "parse_pkcs8_der_full");
        assert_refused(parse_spki_pem(&data), "parse_spki_pem");
        assert_refused(parse_pkcs8_pem(&data), "parse_pkcs8_pem");
        // PEM unwrapping knows no algorithms: only InvalidInput (or the DER inside).
        for label in [PemLabel::PublicKey, PemLabel::PrivateKey] {
            if let Err(e) = parse_pem(label, &data) {
                prop_assert_eq!(e.kind(), ErrorKind::InvalidInput, "{}", e);
            }
        }
        // Bytes in no format at all are InvalidInput, exactly.
        if detect_format(&data).is_none() {
            prop_assert_eq!(kind_of(decode_public_key_any(&data, None)), ErrorKind::InvalidInput);
            prop_assert_eq!(kind_of(decode_secret_key_any(&data, None)), ErrorKind::InvalidInput);
            prop_assert_eq!(kind_of(Tagged::decode(&data)), ErrorKind::InvalidInput);
        }
        // A DER parse that fails before the OID is InvalidInput, exactly.
        {
            use der::Decode;
            if spki::SubjectPublicKeyInfoRef::from_der(&data).is_err() {
                prop_assert_eq!(kind_of(parse_spki_der(&data)), ErrorKind::InvalidInput);
            }
            if pkcs8::PrivateKeyInfo::from_der(&data).is_err() {
                prop_assert_eq!(kind_of(parse_pkcs8_der_full(&data)), ErrorKind::InvalidInput);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Facade keys through every format and every provider
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(64))]

    /// Ed25519 and placeholder keys (cheap) from arbitrary seeds: the
    /// secret and public keys survive every form (tagged binary and text,
    /// PKCS#8/SPKI DER and PEM where they exist) and every decoder; a
    /// single changed byte or character of any key encoding is refused.
    #[test]
    fn classical_keys_survive_every_form_and_every_change_is_refused(
        alg in select(vec![AlgorithmId::Ed25519, AlgorithmId::InsecureTestHmacSha256]),
        seed in any::<[u8; 32]>(),
        pos in any::<Index>(),
        byte in any::<u8>(),
    ) {
        let sk = SecretKey::from_seed(alg, &seed, None).unwrap();
        let t = sk.to_tagged().unwrap();
        prop_assert_eq!(t.kind(), ObjectKind::SecretSeed);
        prop_assert_eq!(t.payload(), &seed[..]);
        let mut forms: Vec<Vec<u8>> = vec![t.to_bytes().to_vec(), t.to_text().as_bytes().to_vec()];
        if alg.oid().is_some() {
            forms.push(sk.to_pkcs8_der().unwrap().to_vec());
            forms.push(sk.to_pkcs8_pem().unwrap().as_bytes().to_vec());
        } else {
            prop_assert_eq!(kind_of(sk.to_pkcs8_der()), ErrorKind::InvalidInput);
            prop_assert_eq!(kind_of(sk.public_key()), ErrorKind::InvalidInput);
        }
        for f in &forms {
            let again = decode_secret_key_any(f, None).unwrap();
            prop_assert_eq!(again.fingerprint(), sk.fingerprint());
            prop_assert_eq!(again.seed().unwrap().expose(), &seed[..]);
        }
        let tagged_len = forms[0].len();
        let mut m = forms[0].clone();
        let i = pos.index(tagged_len);
        prop_assume!(m[i] != byte);
        m[i] = byte;
        assert_refused(SecretKey::decode(&m, None), "changed tagged secret key");

        if let Ok(pk) = sk.public_key() {
            let pt = pk.to_tagged().unwrap();
            let forms = [
                pt.to_bytes().to_vec(),
                pt.to_text().as_bytes().to_vec(),
                pk.to_spki_der().unwrap(),
                pk.to_pem().unwrap().into_bytes(),
            ];
            for f in &forms {
                let again = decode_public_key_any(f, None).unwrap();
                prop_assert_eq!(again.as_raw(), pk.as_raw());
                prop_assert_eq!(again.fingerprint(), sk.fingerprint());
            }
            let mut m = forms[0].clone();
            let i = pos.index(m.len());
            if m[i] != byte {
                m[i] = byte;
                assert_refused(PublicKey::decode(&m, None), "changed tagged public key");
            }
        }
    }

    /// The same for tagged text forms, one character at a time.
    #[test]
    fn changed_characters_of_tagged_text_keys_are_refused(
        alg in select(vec![AlgorithmId::Ed25519, AlgorithmId::InsecureTestHmacSha256]),
        seed in any::<[u8; 32]>(),
        pos in any::<Index>(),
        c in select(b"0123456789abcdefABCDEF-_:xyzXYZ".to_vec()),
    ) {
        let sk = SecretKey::from_seed(alg, &seed, None).unwrap();
        let mut tagged = vec![sk.to_tagged().unwrap()];
        if let Ok(pk) = sk.public_key() {
            tagged.push(pk.to_tagged().unwrap());
        }
        for t in tagged {
            let text = t.to_text().to_string();
            let i = pos.index(text.len());
            if text.as_bytes()[i] == c {
                continue;
            }
            let mut m = text.clone().into_bytes();
            m[i] = c;
            let got = if t.kind().is_secret() {
                SecretKey::decode(&m, None).map(|k| k.fingerprint())
            } else {
                PublicKey::decode(&m, None).map(|k| k.fingerprint())
            };
            let m = String::from_utf8(m).unwrap();
            match got {
                // Only the known gap: the fingerprint re-spelled in upper case.
                Ok(fp) => prop_assert!(
                    fp == sk.fingerprint() && is_text_form_of(&t, &m) && m != text,
                    "accepted a changed key: {}", m
                ),
                Err(_) => assert_refused(got, &format!("changed {text}")),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// ML-DSA keys from arbitrary seeds, loaded by every provider: the
    /// secret key in every form loads into every provider that takes that
    /// form; the public key in every form into every provider.
    #[test]
    fn ml_dsa_keys_survive_every_form_and_provider(
        alg in select(ML_DSA.to_vec()),
        seed in any::<[u8; 32]>(),
    ) {
        let keys = signing_keys(alg, &seed);
        let fp = keys[0].1.fingerprint();
        for (id, sk) in &keys {
            let t = sk.to_tagged().unwrap();
            let forms = [
                t.to_bytes().to_vec(),
                t.to_text().as_bytes().to_vec(),
                sk.to_pkcs8_der().unwrap().to_vec(),
                sk.to_pkcs8_pem().unwrap().as_bytes().to_vec(),
            ];
            let caps = registry::find(alg, Some(*id)).unwrap().capabilities();
            prop_assert_eq!(t.kind() == ObjectKind::SecretSeed, caps.seeded_keygen);
            for f in &forms {
                for p in providers(alg) {
                    match decode_secret_key_any(f, Some(p)) {
                        Ok(k) => prop_assert_eq!(k.fingerprint(), fp, "{} -> {}", id, p),
                        // A seed into a seedless provider, or an expanded
                        // key into one that refuses expanded keys.
                        Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Unsupported, "{} -> {}: {}", id, p, e),
                    }
                }
            }
            let pk = sk.public_key().unwrap();
            let pt = pk.to_tagged().unwrap();
            let forms = [
                pt.to_bytes().to_vec(),
                pt.to_text().as_bytes().to_vec(),
                pk.to_spki_der().unwrap(),
                pk.to_pem().unwrap().into_bytes(),
            ];
            for f in &forms {
                for p in providers(alg) {
                    let again = decode_public_key_any(f, Some(p)).unwrap();
                    prop_assert_eq!(again.fingerprint(), fp);
                    prop_assert_eq!(again.provider().id, p);
                    // A signature key is not an encapsulation key.
                    prop_assert_eq!(kind_of(decode_encapsulation_key_any(f, None)), ErrorKind::InvalidInput);
                }
            }
        }
    }

    /// ML-KEM keys from arbitrary seeds: the decapsulation key in every
    /// form loads into every provider that takes that form; the
    /// encapsulation key in every form into every provider.
    #[test]
    fn ml_kem_keys_survive_every_form_and_provider(
        alg in select(ML_KEM.to_vec()),
        seed in vec(any::<u8>(), 64),
    ) {
        let keys = decapsulation_keys(alg, &seed);
        let fp = keys[0].1.fingerprint();
        for (id, dk) in &keys {
            let t = dk.to_tagged().unwrap();
            let forms = [
                t.to_bytes().to_vec(),
                t.to_text().as_bytes().to_vec(),
                dk.to_pkcs8_der().unwrap().to_vec(),
                dk.to_pkcs8_pem().unwrap().as_bytes().to_vec(),
            ];
            for f in &forms {
                for p in providers(alg) {
                    match decode_decapsulation_key_any(f, Some(p)) {
                        Ok(k) => prop_assert_eq!(k.fingerprint(), fp, "{} -> {}", id, p),
                        Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Unsupported, "{} -> {}: {}", id, p, e),
                    }
                }
                // A KEM key is not a signing key.
                prop_assert_eq!(kind_of(decode_secret_key_any(f, None)), ErrorKind::InvalidInput);
            }
            let ek = dk.encapsulation_key().unwrap();
            let et = ek.to_tagged().unwrap();
            let forms = [
                et.to_bytes().to_vec(),
                et.to_text().as_bytes().to_vec(),
                ek.to_spki_der().unwrap(),
                ek.to_spki_pem().unwrap().into_bytes(),
            ];
            for f in &forms {
                for p in providers(alg) {
                    let again = decode_encapsulation_key_any(f, Some(p)).unwrap();
                    prop_assert_eq!(again.fingerprint(), fp);
                    prop_assert_eq!(again.as_raw(), ek.as_raw());
                }
                prop_assert_eq!(kind_of(decode_public_key_any(f, None)), ErrorKind::InvalidInput);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Sign / verify across providers
// ---------------------------------------------------------------------------

/// Signs with every provider's copy of one key, verifies every signature
/// with every provider, and checks that a flipped bit in the message, the
/// signature or the context fails verification everywhere.
fn sign_verify_matrix(
    alg: AlgorithmId,
    seed: &[u8],
    msg: &[u8],
    ctx: &[u8],
    bits: [Index; 3],
) -> Result<(), TestCaseError> {
    let keys = signing_keys(alg, seed);
    let mac = alg.kind() == AlgorithmKind::Mac;
    let verifiers: Vec<(&str, PublicKey)> = if mac {
        Vec::new()
    } else {
        let raw = keys[0].1.public_key().unwrap();
        providers(alg)
            .into_iter()
            .map(|p| (p, PublicKey::from_raw(alg, raw.as_raw(), Some(p)).unwrap()))
            .collect()
    };
    let verify = |sig: &Signature, m: &[u8], c: &[u8]| -> Vec<(String, pqshift::Result<()>)> {
        if mac {
            keys.iter()
                .map(|(p, k)| (p.to_string(), k.verify(m, c, sig)))
                .collect()
        } else {
            verifiers
                .iter()
                .map(|(p, v)| (p.to_string(), v.verify(m, c, sig)))
                .collect()
        }
    };
    let mut deterministic: BTreeSet<Vec<u8>> = BTreeSet::new();
    for (signer, key) in &keys {
        let caps = registry::find(alg, Some(*signer)).unwrap().capabilities();
        let mut sigs = vec![key.sign_with(msg, ctx, SignMode::Hedged).unwrap()];
        if caps.deterministic_sign {
            let a = key.sign_with(msg, ctx, SignMode::Deterministic).unwrap();
            let b = key.sign_with(msg, ctx, SignMode::Deterministic).unwrap();
            prop_assert_eq!(&a, &b, "{}/{}: deterministic signing is not", alg, signer);
            deterministic.insert(a.as_raw().to_vec());
            sigs.push(a);
        } else {
            prop_assert_eq!(
                kind_of(key.sign_with(msg, ctx, SignMode::Deterministic)),
                ErrorKind::Unsupported
            );
        }
        for sig in &sigs {
            prop_assert_eq!(sig.algorithm(), alg);
            prop_assert_eq!(sig.as_raw().len(), alg.sizes().signature);
            // Through the tagged forms, too.
            let sig = Signature::decode(sig.to_text().unwrap().as_bytes()).unwrap();
            for (verifier, r) in verify(&sig, msg, ctx) {
                prop_assert!(r.is_ok(), "{}: {} -> {}: {:?}", alg, signer, verifier, r);
            }
        }
        let sig = &sigs[0];
        let bad_msg = flip_bit(msg, bits[0]);
        let bad_sig = Signature::from_raw(alg, &flip_bit(sig.as_raw(), bits[1])).unwrap();
        let bad_ctx = flip_bit(ctx, bits[2]);
        for (verifier, r) in verify(sig, &bad_msg, ctx)
            .into_iter()
            .chain(verify(&bad_sig, msg, ctx))
        {
            prop_assert_eq!(
                r,
                Err(Error::VerificationFailed),
                "{}: {} -> {}: tampered",
                alg,
                signer,
                verifier
            );
        }
        for (verifier, r) in verify(sig, msg, &bad_ctx) {
            let want = if alg == AlgorithmId::Ed25519 {
                ErrorKind::Unsupported // a non-empty context
            } else {
                ErrorKind::VerificationFailed
            };
            prop_assert_eq!(
                kind_of(r),
                want,
                "{}: {} -> {}: other context",
                alg,
                signer,
                verifier
            );
        }
    }
    // FIPS 204 deterministic signing (rnd = 0^32) and RFC 8032 are fully
    // specified: every provider that offers it writes the same bytes.
    prop_assert!(
        deterministic.len() <= 1,
        "{}: providers disagree on deterministic signatures",
        alg
    );
    Ok(())
}

/// A context over 255 bytes: InvalidInput on sign and verify in every
/// provider, Ed25519 included (its "takes no context" comes second).
fn long_context_is_refused(alg: AlgorithmId, seed: &[u8], ctx: &[u8]) -> Result<(), TestCaseError> {
    // Over 255 bytes is malformed for every algorithm, Ed25519 included
    // (checked before "Ed25519 takes no context").
    let want = ErrorKind::InvalidInput;
    let keys = signing_keys(alg, seed);
    let good = keys[0].1.sign(b"m", b"").unwrap();
    for (p, key) in &keys {
        prop_assert_eq!(kind_of(key.sign(b"m", ctx)), want, "{}/{} sign", alg, p);
        prop_assert_eq!(
            kind_of(key.verify(b"m", ctx, &good)),
            want,
            "{}/{} verify",
            alg,
            p
        );
        if let Ok(pk) = key.public_key() {
            prop_assert_eq!(
                kind_of(pk.verify(b"m", ctx, &good)),
                want,
                "{}/{} verify",
                alg,
                p
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(48))]

    /// Ed25519 (dalek; empty context only) and the placeholder MAC.
    #[test]
    fn classical_sign_verify(
        alg in select(vec![AlgorithmId::Ed25519, AlgorithmId::InsecureTestHmacSha256]),
        seed in any::<[u8; 32]>(),
        msg in vec(any::<u8>(), 0..1024),
        ctx in vec(any::<u8>(), 0..=MAX_CONTEXT_LEN),
        bits in any::<[Index; 3]>(),
    ) {
        let ctx = if alg == AlgorithmId::Ed25519 { Vec::new() } else { ctx };
        sign_verify_matrix(alg, &seed, &msg, &ctx, bits)?;
    }

    #[test]
    fn classical_long_contexts_are_refused(
        alg in select(vec![AlgorithmId::Ed25519, AlgorithmId::InsecureTestHmacSha256]),
        seed in any::<[u8; 32]>(),
        ctx in vec(any::<u8>(), MAX_CONTEXT_LEN + 1..1000),
    ) {
        long_context_is_refused(alg, &seed, &ctx)?;
    }

    /// Ed25519 refuses every non-empty context as Unsupported, on sign and verify.
    #[test]
    fn ed25519_refuses_contexts(
        seed in any::<[u8; 32]>(),
        ctx in vec(any::<u8>(), 1..=MAX_CONTEXT_LEN),
    ) {
        let sk = SecretKey::from_seed(AlgorithmId::Ed25519, &seed, Some("dalek")).unwrap();
        prop_assert_eq!(kind_of(sk.sign(b"m", &ctx)), ErrorKind::Unsupported);
        let sig = sk.sign(b"m", b"").unwrap();
        prop_assert_eq!(kind_of(sk.public_key().unwrap().verify(b"m", &ctx, &sig)), ErrorKind::Unsupported);
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// ML-DSA with every provider: arbitrary message and context (0..=255
    /// bytes, the edges drawn often), cross-provider verification, flipped
    /// bits refused everywhere, deterministic signatures identical.
    #[test]
    fn ml_dsa_sign_verify_across_providers(
        alg in select(ML_DSA.to_vec()),
        seed in any::<[u8; 32]>(),
        msg in vec(any::<u8>(), 0..2048),
        ctx in prop_oneof![
            Just(Vec::new()),
            vec(any::<u8>(), MAX_CONTEXT_LEN),
            vec(any::<u8>(), 0..=MAX_CONTEXT_LEN),
        ],
        bits in any::<[Index; 3]>(),
    ) {
        sign_verify_matrix(alg, &seed, &msg, &ctx, bits)?;
    }

    #[test]
    fn ml_dsa_long_contexts_are_refused(
        alg in select(ML_DSA.to_vec()),
        seed in any::<[u8; 32]>(),
        ctx in vec(any::<u8>(), MAX_CONTEXT_LEN + 1..1000),
    ) {
        long_context_is_refused(alg, &seed, &ctx)?;
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// Any ML-DSA public key bytes of the right length load in every
    /// provider (pk has no invalid encodings), and arbitrary signature
    /// bytes fail the same way everywhere: VerificationFailed at the right
    /// length, InvalidInput at any other.
    #[test]
    fn ml_dsa_arbitrary_keys_and_signatures_agree_across_providers(
        (alg, pk, sig) in select(ML_DSA.to_vec()).prop_flat_map(|alg| {
            let s = alg.sizes();
            (Just(alg), vec(any::<u8>(), s.public_key), vec(any::<u8>(), s.signature))
        }),
        cut in any::<Index>(),
    ) {
        for p in providers(alg) {
            let vk = PublicKey::from_raw(alg, &pk, Some(p)).unwrap();
            prop_assert_eq!(vk.verify_raw(b"m", b"", &sig), Err(Error::VerificationFailed), "{}", p);
            let short = &sig[..cut.index(sig.len())];
            prop_assert_eq!(kind_of(vk.verify_raw(b"m", b"", short)), ErrorKind::InvalidInput, "{}", p);
            let mut long = sig.clone();
            long.push(0);
            prop_assert_eq!(kind_of(vk.verify_raw(b"m", b"", &long)), ErrorKind::InvalidInput, "{}", p);
            let short_pk = &pk[..cut.index(pk.len())];
            prop_assert_eq!(kind_of(PublicKey::from_raw(alg, short_pk, Some(p))), ErrorKind::InvalidInput, "{}", p);
        }
    }
}

// ---------------------------------------------------------------------------
// ML-KEM across providers
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(32))]

    /// One key from an arbitrary seed in every provider: every provider's
    /// ciphertext decapsulates to its shared secret in every provider; a
    /// ciphertext with a flipped bit gives one implicit-rejection secret,
    /// the same in every provider and different from the real one; with
    /// the same randomness m, every provider that takes m encapsulates to
    /// the same bytes (FIPS 203 Encaps_internal is deterministic).
    #[test]
    fn ml_kem_encaps_decaps_across_providers(
        alg in select(ML_KEM.to_vec()),
        seed in vec(any::<u8>(), 64),
        m in any::<[u8; 32]>(),
        bit in any::<Index>(),
    ) {
        let keys = decapsulation_keys(alg, &seed);
        let ek_raw = keys[0].1.encapsulation_key().unwrap().as_raw().to_vec();
        let eks: Vec<(&str, EncapsulationKey)> = providers(alg)
            .into_iter()
            .map(|p| (p, EncapsulationKey::from_raw(alg, &ek_raw, Some(p)).unwrap()))
            .collect();
        let mut derand = BTreeSet::new();
        for (encapsulator, ek) in &eks {
            let caps = registry::find(alg, Some(*encapsulator)).unwrap().capabilities();
            let mut outputs = vec![ek.encapsulate().unwrap()];
            match ek.encapsulate_derand(&m) {
                Ok(out) => {
                    prop_assert!(caps.derandomized_encaps);
                    derand.insert((out.0.as_raw().to_vec(), out.1.expose().to_vec()));
                    outputs.push(out);
                }
                Err(e) => {
                    prop_assert!(!caps.derandomized_encaps);
                    prop_assert_eq!(e.kind(), ErrorKind::Unsupported);
                }
            }
            for (ct, ss) in &outputs {
                prop_assert_eq!(ct.as_raw().len(), alg.sizes().ciphertext);
                prop_assert_eq!(ss.len(), alg.sizes().shared_secret);
                let ct = Ciphertext::decode(ct.to_tagged().unwrap().to_text().as_bytes()).unwrap();
                let bad = Ciphertext::from_raw(alg, &flip_bit(ct.as_raw(), bit)).unwrap();
                let mut rejections = BTreeSet::new();
                for (decapsulator, dk) in &keys {
                    let got = dk.decapsulate(&ct).unwrap();
                    prop_assert!(got.ct_eq(ss.expose()), "{}: {} -> {}", alg, encapsulator, decapsulator);
                    let r = dk.decapsulate(&bad).unwrap();
                    prop_assert!(!r.ct_eq(ss.expose()), "{}: {} -> {}: modified", alg, encapsulator, decapsulator);
                    prop_assert!(dk.decapsulate(&bad).unwrap().ct_eq(r.expose()));
                    rejections.insert(r.expose().to_vec());
                }
                prop_assert_eq!(rejections.len(), 1, "{}: providers disagree on implicit rejection", alg);
            }
        }
        prop_assert!(derand.len() <= 1, "{}: providers disagree on Encaps_internal", alg);
    }

    /// Ciphertexts of the wrong length are InvalidInput in every provider;
    /// a ciphertext of another ML-KEM is refused by the facade.
    #[test]
    fn ml_kem_wrong_ciphertexts_are_invalid(
        alg in select(ML_KEM.to_vec()),
        seed in vec(any::<u8>(), 64),
        len in 0usize..2000,
    ) {
        prop_assume!(len != alg.sizes().ciphertext);
        let ct = vec![0x5a; len];
        for (p, dk) in decapsulation_keys(alg, &seed) {
            prop_assert_eq!(kind_of(dk.decapsulate_raw(&ct)), ErrorKind::InvalidInput, "{}", p);
            for other in ML_KEM.into_iter().filter(|a| *a != alg) {
                let foreign = Ciphertext::from_raw(other, &vec![0; other.sizes().ciphertext]).unwrap();
                prop_assert_eq!(kind_of(dk.decapsulate(&foreign)), ErrorKind::InvalidInput, "{}", p);
            }
        }
    }
}

/// ByteEncode_12 (FIPS 203 Algorithm 5) of 12-bit values, then rho.
fn ml_kem_ek(coefficients: &[u16], rho: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(coefficients.len() * 3 / 2 + 32);
    for pair in coefficients.chunks(2) {
        let (a, b) = (pair[0], pair[1]);
        out.push((a & 0xff) as u8);
        out.push(((a >> 8) | ((b & 0x0f) << 4)) as u8);
        out.push((b >> 4) as u8);
    }
    out.extend_from_slice(rho);
    out
}

proptest! {
    #![proptest_config(config(64))]

    /// The FIPS 203 modulus check of an encapsulation key, reimplemented
    /// here: every provider accepts exactly the keys whose coefficients are
    /// all below q = 3329, and refuses the others with InvalidInput.
    #[test]
    fn ml_kem_encapsulation_key_check_agrees_across_providers(
        k in 0usize..3,
        coefficients in vec(0u16..3329, 1024),
        bad in proptest::option::of((any::<Index>(), 3329u16..4096)),
        rho in any::<[u8; 32]>(),
    ) {
        let alg = ML_KEM[k];
        let mut coefficients = coefficients[..256 * (k + 2)].to_vec();
        if let Some((i, v)) = bad {
            let n = coefficients.len();
            coefficients[i.index(n)] = v;
        }
        let ek = ml_kem_ek(&coefficients, &rho);
        prop_assert_eq!(ek.len(), alg.sizes().public_key);
        for p in providers(alg) {
            let r = EncapsulationKey::from_raw(alg, &ek, Some(p));
            if bad.is_some() {
                prop_assert_eq!(kind_of(r), ErrorKind::InvalidInput, "{}", p);
            } else {
                let key = r.unwrap();
                let (ct, ss) = key.encapsulate().unwrap();
                prop_assert_eq!(ct.as_raw().len(), alg.sizes().ciphertext);
                prop_assert_eq!(ss.len(), 32);
            }
            // SPKI carries it unchanged; the provider decides the same way.
            let der = spki_der(alg, &ek).unwrap();
            prop_assert_eq!(
                EncapsulationKey::from_spki_der(&der, Some(p)).is_ok(),
                bad.is_none(),
                "{}", p
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Merkle tree (RFC 6962)
// ---------------------------------------------------------------------------

/// SHA-256 through the `sha2` crate directly, beside `pqshift::merkle`.
fn h(parts: &[&[u8]]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p);
    }
    hasher.finalize().into()
}

/// The largest power of two strictly smaller than `n` (n > 1), by bits.
fn split_point(n: usize) -> usize {
    assert!(n > 1);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// RFC 6962 section 2.1, written out.
fn mth(leaves: &[Vec<u8>]) -> [u8; 32] {
    match leaves.len() {
        0 => h(&[]),
        1 => h(&[&[0x00], &leaves[0]]),
        n => {
            let k = split_point(n);
            h(&[&[0x01], &mth(&leaves[..k]), &mth(&leaves[k..])])
        }
    }
}

fn root_of(leaves: &[Vec<u8>]) -> [u8; 32] {
    let refs: Vec<&[u8]> = leaves.iter().map(Vec::as_slice).collect();
    merkle::merkle_root(&refs)
}

fn leaves() -> impl Strategy<Value = Vec<Vec<u8>>> {
    vec(vec(any::<u8>(), 0..24), 0..70)
}

proptest! {
    // Every prefix against the recursion: quadratic, so fewer cases.
    #![proptest_config(config(96))]

    /// The streaming builder equals the recursive definition at every
    /// prefix; reading the root consumes nothing and is stable; the
    /// leaf-hash entry point is the same as pushing the data.
    #[test]
    fn merkle_streaming_equals_recursive(leaves in leaves()) {
        let mut b = MerkleBuilder::new();
        let mut by_hash = MerkleBuilder::new();
        prop_assert_eq!(b.root(), mth(&[]));
        for (i, leaf) in leaves.iter().enumerate() {
            b.push(leaf);
            by_hash.push_leaf_hash(merkle::leaf_hash(leaf));
            let want = mth(&leaves[..=i]);
            prop_assert_eq!(b.root(), want, "{} leaves", i + 1);
            prop_assert_eq!(b.root(), want, "root() is not stable");
            prop_assert_eq!(by_hash.root(), want);
            prop_assert_eq!(b.count(), (i + 1) as u64);
        }
        prop_assert_eq!(root_of(&leaves), mth(&leaves));
        prop_assert_eq!(root_of(&leaves), root_of(&leaves.clone()));
        // A clone continues independently and identically.
        let mut c = b.clone();
        c.push(b"more");
        b.push(b"more");
        prop_assert_eq!(c.root(), b.root());
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Changing any one leaf, appending a leaf, or dropping the last one
    /// changes the root; so does moving a byte from one leaf to its
    /// neighbour (leaves are framed, not concatenated).
    #[test]
    fn merkle_root_changes_with_the_leaves(
        leaves in leaves(),
        which in any::<Index>(),
        bit in any::<Index>(),
        extra in vec(any::<u8>(), 0..24),
    ) {
        let root = root_of(&leaves);
        let mut appended = leaves.clone();
        appended.push(extra);
        prop_assert_ne!(root_of(&appended), root);
        if leaves.is_empty() {
            return Ok(());
        }
        let i = which.index(leaves.len());
        let mut changed = leaves.clone();
        changed[i] = flip_bit(&leaves[i], bit);
        prop_assert_ne!(root_of(&changed), root);
        let mut dropped = leaves.clone();
        dropped.pop();
        prop_assert_ne!(root_of(&dropped), root);
        if i + 1 < leaves.len() && !leaves[i].is_empty() {
            let mut moved = leaves.clone();
            let byte = moved[i].pop().unwrap();
            moved[i + 1].insert(0, byte);
            prop_assert_ne!(root_of(&moved), root);
        }
    }

    /// The split rule: for n > 1 the root is the node hash of the roots of
    /// the first k leaves and the rest, k the largest power of two below n
    /// (computed by bits here, by a loop in `mth`'s reference and RFC 6962);
    /// leaf and node hashes are the domain-separated SHA-256 of the RFC.
    #[test]
    fn merkle_split_rule(leaves in vec(vec(any::<u8>(), 0..24), 2..300)) {
        let n = leaves.len();
        let k = split_point(n);
        let mut by_loop = 1;
        while by_loop * 2 < n {
            by_loop *= 2;
        }
        prop_assert_eq!(k, by_loop);
        prop_assert!(k < n && n <= 2 * k);
        let (left, right) = (root_of(&leaves[..k]), root_of(&leaves[k..]));
        prop_assert_eq!(merkle::node_hash(&left, &right), h(&[&[0x01], &left, &right]));
        prop_assert_eq!(root_of(&leaves), merkle::node_hash(&left, &right));
        prop_assert_eq!(merkle::leaf_hash(&leaves[0]), h(&[&[0x00], &leaves[0]]));
        prop_assert_eq!(root_of(&leaves[..1]), merkle::leaf_hash(&leaves[0]));
    }
}

#[cfg(all(
    feature = "placeholder",
    feature = "dalek",
    feature = "awslc",
    feature = "liboqs",
    feature = "pqclean",
    feature = "rustcrypto"
))]
#[test]
fn every_pq_algorithm_is_served_by_three_providers_or_more() {
    for alg in ML_DSA {
        // In order of preference: awslc is the preferred ML-DSA provider.
        assert_eq!(
            providers(alg),
            ["awslc", "liboqs", "pqclean", "rustcrypto"],
            "{alg}"
        );
    }
    for alg in ML_KEM {
        let got: BTreeSet<&str> = providers(alg).into_iter().collect();
        assert_eq!(
            got,
            BTreeSet::from(["liboqs", "pqclean", "rustcrypto"]),
            "{alg}"
        );
    }
    assert_eq!(providers(AlgorithmId::Ed25519), ["dalek"]);
    assert_eq!(
        providers(AlgorithmId::InsecureTestHmacSha256),
        ["placeholder"]
    );
}

/// The text form's fingerprint is written in lower-case hex and read only
/// so, like every other field (the binary form is strictly canonical, and
/// corpus records refuse upper-case hex): one key, one text spelling.
#[test]
fn text_fingerprint_hex_must_be_lowercase() {
    let t = Tagged::new(
        ObjectKind::PublicKey,
        AlgorithmId::Ed25519,
        Some([0xab; FINGERPRINT_LEN]),
        &[9; 32],
    )
    .unwrap();
    let upper = t.to_text().replace("abab", "ABAB");
    assert_ne!(upper, t.to_text().as_str());
    assert_eq!(kind_of(Tagged::from_text(&upper)), ErrorKind::InvalidInput);
}
