//! The bad-input matrix of the Rust API (issue #10, part 4): the one place a
//! reviewer reads to see what every kind of bad input gets.
//!
//! One table per interface — tagged envelopes, keys and raw bytes, policy
//! and configuration, the standard encodings, the porting contract — each
//! row a bad input, the call that is given it, and the specific error it
//! must produce:
//!
//! - the [`Error`] variant, checked with `matches!` (and a non-empty message),
//! - the stable kind number every binding maps (1 invalid input, 2
//!   unsupported, 3 verification failed, 4 policy, 6 provider, 7 internal)
//!   and its JSON name,
//! - the `Display` prefix (`invalid input: `, `unsupported: `, ...) that the
//!   CLI prints after `error: `,
//! - the words that say what was wrong, where the API promises them (the
//!   algorithm, the expected size, the configuration key, the OID, ...);
//!   verification failure is opaque: exactly `signature verification failed`.
//!
//! A row that panics or succeeds fails the table; every failing row of a
//! table is reported at once. Per-algorithm rows cover every
//! `AlgorithmId::ALL` entry, and per-provider rows every linked provider.
//! The last test checks that a failed call loses nothing: the objects it was
//! given still sign, verify, decapsulate and encode exactly as before.
//!
//! `cargo test -p pqshift --test bad_input_matrix -- --nocapture` prints the
//! row count of each table; with `MATRIX_SHOW=1` also every row and its error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pqshift::config::{ConfigFile, ConfigSource};
use pqshift::standard::{self, PemLabel};
use pqshift::{
    contract, decode_decapsulation_key_any, decode_encapsulation_key_any, decode_public_key_any,
    decode_secret_key_any, kem_scheme, mac_scheme, registry, signature_scheme, AlgorithmId,
    AlgorithmKind, Ciphertext, DecapsulationKey, EncapsulationKey, Error, ErrorKind, ObjectKind,
    Policy, PublicKey, SecretKey, SignMode, Signature, Tagged,
};

// ---------------------------------------------------------------------------
// The matrix machinery
// ---------------------------------------------------------------------------

/// The documented kinds: stable number (C result code, Python class, Go
/// sentinel), JSON name, and the `Display` prefix.
const KINDS: [(ErrorKind, u32, &str, &str); 6] = [
    (
        ErrorKind::InvalidInput,
        1,
        "invalid-input",
        "invalid input: ",
    ),
    (ErrorKind::Unsupported, 2, "unsupported", "unsupported: "),
    (
        ErrorKind::VerificationFailed,
        3,
        "verification-failed",
        "signature verification failed",
    ),
    (ErrorKind::Policy, 4, "policy", "policy violation: "),
    (ErrorKind::Provider, 6, "provider", "provider failure: "),
    (ErrorKind::Internal, 7, "internal", "internal error: "),
];

const INVALID: ErrorKind = ErrorKind::InvalidInput;
const UNSUPPORTED: ErrorKind = ErrorKind::Unsupported;
const VERIFY_FAILED: ErrorKind = ErrorKind::VerificationFailed;
const POLICY: ErrorKind = ErrorKind::Policy;

type Run<'a> = Box<dyn Fn() -> pqshift::Result<()> + 'a>;

struct Case<'a> {
    name: String,
    expect: ErrorKind,
    needles: Vec<String>,
    run: Run<'a>,
}

/// One interface's table.
struct Matrix<'a> {
    interface: &'static str,
    cases: Vec<Case<'a>>,
}

impl<'a> Matrix<'a> {
    fn new(interface: &'static str) -> Self {
        Matrix {
            interface,
            cases: Vec::new(),
        }
    }

    /// A row: `run` must fail with `expect`, its message naming every needle
    /// (case-insensitive).
    fn add<T>(
        &mut self,
        name: impl Into<String>,
        expect: ErrorKind,
        needles: &[&str],
        run: impl Fn() -> pqshift::Result<T> + 'a,
    ) {
        self.cases.push(Case {
            name: name.into(),
            expect,
            needles: needles.iter().map(|s| s.to_string()).collect(),
            run: Box::new(move || run().map(|_| ())),
        });
    }

    /// Runs every row, reports every failure at once; returns the row count.
    fn run(self) -> usize {
        let show = std::env::var_os("MATRIX_SHOW").is_some();
        let mut names = HashSet::new();
        let mut failures = Vec::new();
        for c in &self.cases {
            assert!(names.insert(c.name.clone()), "duplicate row {:?}", c.name);
            let outcome = catch_unwind(AssertUnwindSafe(|| (c.run)()));
            if show {
                if let Ok(Err(e)) = &outcome {
                    println!("{}: {} | {e}", self.interface, c.name);
                }
            }
            match outcome {
                Err(_) => failures.push(format!("{}: PANICKED", c.name)),
                Ok(Ok(())) => failures.push(format!(
                    "{}: succeeded; expected a {} error",
                    c.name, c.expect
                )),
                Ok(Err(e)) => {
                    if let Err(why) = check_error(&e, c.expect, &c.needles) {
                        failures.push(format!("{}: {why}", c.name));
                    }
                }
            }
        }
        println!("{}: {} matrix rows", self.interface, self.cases.len());
        assert!(
            failures.is_empty(),
            "{} of {} rows of the {} matrix failed:\n  {}",
            failures.len(),
            self.cases.len(),
            self.interface,
            failures.join("\n  ")
        );
        self.cases.len()
    }
}

/// The variant (with `matches!`), its number, name and prefix, and the needles.
fn check_error(e: &Error, want: ErrorKind, needles: &[String]) -> Result<(), String> {
    let variant_ok = match want {
        ErrorKind::InvalidInput => matches!(e, Error::InvalidInput(m) if !m.trim().is_empty()),
        ErrorKind::Unsupported => matches!(e, Error::Unsupported(m) if !m.trim().is_empty()),
        ErrorKind::VerificationFailed => matches!(e, Error::VerificationFailed),
        ErrorKind::Policy => matches!(e, Error::Policy(m) if !m.trim().is_empty()),
        ErrorKind::Provider => matches!(e, Error::Provider(m) if !m.trim().is_empty()),
        ErrorKind::Internal => matches!(e, Error::Internal(m) if !m.trim().is_empty()),
        _ => false,
    };
    if !variant_ok {
        return Err(format!("expected {want}, got {e:?}"));
    }
    let Some(&(_, code, name, prefix)) = KINDS.iter().find(|k| k.0 == want) else {
        return Err(format!("{want} is not a documented kind"));
    };
    if e.kind() as u32 != code || e.kind().as_str() != name {
        return Err(format!(
            "kind {} = {} is not the documented {name} = {code}",
            e.kind(),
            e.kind() as u32
        ));
    }
    let text = e.to_string();
    if !text.starts_with(prefix) {
        return Err(format!("message does not start with {prefix:?}: {text}"));
    }
    if want == ErrorKind::VerificationFailed && text != "signature verification failed" {
        return Err(format!("verification failure must be opaque: {text}"));
    }
    let low = text.to_lowercase();
    for n in needles {
        if !low.contains(&n.to_lowercase()) {
            return Err(format!("message lacks {n:?}: {text}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

const MSG: &[u8] = b"the bad-input matrix";

fn sig_algs() -> Vec<AlgorithmId> {
    AlgorithmId::ALL
        .into_iter()
        .filter(|a| a.kind() == AlgorithmKind::Signature)
        .collect()
}

fn kem_algs() -> Vec<AlgorithmId> {
    AlgorithmId::ALL
        .into_iter()
        .filter(|a| a.kind() == AlgorithmKind::Kem)
        .collect()
}

const MAC: AlgorithmId = AlgorithmId::InsecureTestHmacSha256;

/// Every provider linked for `alg`, preferred first.
fn providers(alg: AlgorithmId) -> Vec<&'static str> {
    let ids: Vec<&'static str> = registry::providers_for(alg)
        .iter()
        .map(|r| r.provider().id)
        .collect();
    assert!(!ids.is_empty(), "no provider serves {alg}");
    ids
}

/// A provider ID that does not serve `alg` (but exists).
fn foreign_provider(alg: AlgorithmId) -> &'static str {
    match alg {
        AlgorithmId::Ed25519 => "liboqs",
        _ => "dalek",
    }
}

fn caps(alg: AlgorithmId, provider: &str) -> pqshift::Capabilities {
    pqshift::capabilities(alg, Some(provider)).unwrap()
}

/// What loading an expanded secret key of `alg` does at `provider` when the
/// input is malformed: validated (`InvalidInput`) or not offered at all
/// (`Unsupported`). From each provider's documentation.
fn expanded_loading(alg: AlgorithmId, provider: &str) -> ErrorKind {
    match (provider, alg.kind()) {
        ("pqclean" | "awslc", _) => INVALID,
        ("rustcrypto", AlgorithmKind::Kem) => INVALID,
        ("rustcrypto" | "liboqs" | "dalek", _) => UNSUPPORTED,
        _ => panic!("provider {provider} is new: add its expanded-key rule to the matrix"),
    }
}

/// A loaded key, its public key and a valid signature over [`MSG`].
struct SigFix {
    alg: AlgorithmId,
    sk: SecretKey,
    pk: PublicKey,
    sig: Signature,
}

fn sig_fix(alg: AlgorithmId) -> SigFix {
    let sk = SecretKey::from_u64(alg, 1, None).unwrap();
    let pk = sk.public_key().unwrap();
    let sig = sk.sign(MSG, b"").unwrap();
    SigFix { alg, sk, pk, sig }
}

struct KemFix {
    alg: AlgorithmId,
    dk: DecapsulationKey,
    ek: EncapsulationKey,
    ct: Ciphertext,
}

fn kem_fix(alg: AlgorithmId) -> KemFix {
    let seed = pqshift::seed_from_u64(alg, 1);
    let dk = DecapsulationKey::from_seed(alg, seed.expose(), None).unwrap();
    let ek = dk.encapsulation_key().unwrap();
    let (ct, _) = ek.encapsulate().unwrap();
    KemFix { alg, dk, ek, ct }
}

fn mac_key() -> SecretKey {
    SecretKey::from_u64(MAC, 1, None).unwrap()
}

fn mutate(data: &[u8], f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut v = data.to_vec();
    f(&mut v);
    v
}

fn flip(data: &[u8], i: usize) -> Vec<u8> {
    mutate(data, |v| v[i] ^= 0x01)
}

/// Base64url without padding (RFC 4648 section 5), as the tagged text form writes it.
fn base64url(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

fn len_msg(n: usize, got: usize) -> String {
    format!("must be {n} bytes long, got {got} bytes")
}

// ---------------------------------------------------------------------------
// 1. Tagged envelopes (binary and text), through every typed decoder
// ---------------------------------------------------------------------------

/// The typed decoders of tagged objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decoder {
    PublicKey,
    SecretKey,
    Signature,
    EncapsulationKey,
    DecapsulationKey,
    Ciphertext,
}

const DECODERS: [Decoder; 6] = [
    Decoder::PublicKey,
    Decoder::SecretKey,
    Decoder::Signature,
    Decoder::EncapsulationKey,
    Decoder::DecapsulationKey,
    Decoder::Ciphertext,
];

impl Decoder {
    fn decode(self, data: &[u8]) -> pqshift::Result<()> {
        match self {
            Decoder::PublicKey => PublicKey::decode(data, None).map(drop),
            Decoder::SecretKey => SecretKey::decode(data, None).map(drop),
            Decoder::Signature => Signature::decode(data).map(drop),
            Decoder::EncapsulationKey => EncapsulationKey::decode(data, None).map(drop),
            Decoder::DecapsulationKey => DecapsulationKey::decode(data, None).map(drop),
            Decoder::Ciphertext => Ciphertext::decode(data).map(drop),
        }
    }

    /// The tagged object kind it reads.
    fn reads(self) -> ObjectKind {
        match self {
            Decoder::PublicKey | Decoder::EncapsulationKey => ObjectKind::PublicKey,
            Decoder::SecretKey | Decoder::DecapsulationKey => ObjectKind::SecretSeed,
            Decoder::Signature => ObjectKind::Signature,
            Decoder::Ciphertext => ObjectKind::Ciphertext,
        }
    }

    /// Whether it reads objects of `alg`'s kind (KEM or signature/MAC).
    fn serves(self, alg: AlgorithmId) -> bool {
        let kem = alg.kind() == AlgorithmKind::Kem;
        match self {
            Decoder::PublicKey => alg.kind() == AlgorithmKind::Signature,
            Decoder::SecretKey | Decoder::Signature => !kem,
            Decoder::EncapsulationKey | Decoder::DecapsulationKey | Decoder::Ciphertext => kem,
        }
    }

    /// The decoder for a tagged object of `kind` and `alg`.
    fn of(kind: ObjectKind, alg: AlgorithmId) -> Decoder {
        let kem = alg.kind() == AlgorithmKind::Kem;
        match (kind, kem) {
            (ObjectKind::PublicKey, false) => Decoder::PublicKey,
            (ObjectKind::PublicKey, true) => Decoder::EncapsulationKey,
            (ObjectKind::SecretSeed | ObjectKind::SecretExpanded, false) => Decoder::SecretKey,
            (ObjectKind::SecretSeed | ObjectKind::SecretExpanded, true) => {
                Decoder::DecapsulationKey
            }
            (ObjectKind::Signature, _) => Decoder::Signature,
            (ObjectKind::Ciphertext, _) => Decoder::Ciphertext,
        }
    }
}

/// Every tagged object an algorithm has: (kind, tagged object).
fn tagged_objects(alg: AlgorithmId) -> Vec<(ObjectKind, Tagged)> {
    match alg.kind() {
        AlgorithmKind::Signature => {
            let f = sig_fix(alg);
            vec![
                (ObjectKind::PublicKey, f.pk.to_tagged().unwrap()),
                (ObjectKind::SecretSeed, f.sk.to_tagged().unwrap()),
                (ObjectKind::Signature, f.sig.to_tagged().unwrap()),
            ]
        }
        AlgorithmKind::Mac => {
            let k = mac_key();
            let sig = k.sign(MSG, b"").unwrap();
            vec![
                (ObjectKind::SecretSeed, k.to_tagged().unwrap()),
                (ObjectKind::Signature, sig.to_tagged().unwrap()),
            ]
        }
        AlgorithmKind::Kem => {
            let f = kem_fix(alg);
            vec![
                (ObjectKind::PublicKey, f.ek.to_tagged().unwrap()),
                (ObjectKind::SecretSeed, f.dk.to_tagged().unwrap()),
                (ObjectKind::Ciphertext, f.ct.to_tagged().unwrap()),
            ]
        }
    }
}

#[test]
#[rustfmt::skip]
fn matrix_tagged_envelopes() {
    let mut m = Matrix::new("tagged envelopes");

    for d in DECODERS {
        m.add(format!("{d:?}: empty input"), INVALID, &["not a tagged"], move || d.decode(b""));
        m.add(format!("{d:?}: white space only"), INVALID, &["not a tagged"], move || d.decode(b" \n\t"));
        m.add(format!("{d:?}: random bytes"), INVALID, &["not a tagged"], move || d.decode(&[0x9a, 0x00, 0xff, 0x13, 0x37]));
        m.add(format!("{d:?}: invalid UTF-8 where the text form is expected"), INVALID, &["not a tagged"], move || d.decode(b"pqshift1:sig:ed25519:\xff\xfe"));
        m.add(format!("{d:?}: the magic alone"), INVALID, &["truncated before its version"], move || d.decode(b"PQSH"));
        m.add(format!("{d:?}: the text prefix alone"), INVALID, &["too few fields"], move || d.decode(b"pqshift1:"));
    }

    for alg in AlgorithmId::ALL {
        for (kind, t) in tagged_objects(alg) {
            let bin = t.to_bytes().to_vec();
            let text = t.to_text().to_string();
            let n = t.payload().len();
            let id_len = alg.as_str().len();
            let what = kind.describe();
            let d = Decoder::of(kind, alg);
            let row = |s: &str| format!("{alg} {what}: {s}");

            // Binary form.
            let b = bin.clone();
            m.add(row("binary, one byte short"), INVALID, &[alg.as_str(), what, &len_msg(n, n - 1)], move || d.decode(&b[..b.len() - 1]));
            let b = mutate(&bin, |v| v.push(0));
            m.add(row("binary, one byte extra"), INVALID, &[alg.as_str(), &len_msg(n, n + 1)], move || d.decode(&b));
            let b = bin.clone();
            m.add(row("binary, cut inside the algorithm ID"), INVALID, &["truncated inside its algorithm id"], move || d.decode(&b[..8]));
            if kind.is_key() {
                let b = bin.clone();
                m.add(row("binary, cut inside the fingerprint"), INVALID, &["truncated inside its fingerprint"], move || d.decode(&b[..7 + id_len + 10]));
            }
            let b = mutate(&bin, |v| v[3] = b'X');
            m.add(row("binary, wrong magic"), INVALID, &["not a tagged pqshift object"], move || d.decode(&b));
            let b = mutate(&bin, |v| v[4] = 2);
            m.add(row("binary, format version 2"), INVALID, &["version 2"], move || d.decode(&b));
            let b = mutate(&bin, |v| v[4] = 0);
            m.add(row("binary, format version 0"), INVALID, &["version 0"], move || d.decode(&b));
            let b = mutate(&bin, |v| v[5] = 9);
            m.add(row("binary, unknown object kind 9"), INVALID, &["unknown tagged object kind 9"], move || d.decode(&b));
            let b = mutate(&bin, |v| v[7 + id_len - 1] ^= 0x02);
            m.add(row("binary, unknown algorithm ID"), UNSUPPORTED, &["unknown algorithm"], move || d.decode(&b));
            let b = mutate(&bin, |v| {
                v[6] = 0;
                v.drain(7..7 + id_len);
            });
            m.add(row("binary, empty algorithm ID"), UNSUPPORTED, &["unknown algorithm \"\""], move || d.decode(&b));
            let b = mutate(&bin, |v| v[7] = 0xff);
            m.add(row("binary, algorithm ID not ASCII"), INVALID, &["not ascii"], move || d.decode(&b));
            let b = mutate(&bin, |v| v[6] = 0xff);
            m.add(row("binary, algorithm ID length past the end"), INVALID, &["truncated inside its algorithm id"], move || d.decode(&b[..(7 + 200).min(b.len())]));
            if kind.is_key() {
                let b = flip(&bin, 7 + id_len);
                m.add(row("binary, fingerprint flipped"), INVALID, &["fingerprint does not match", alg.as_str()], move || d.decode(&b));
                // The first payload byte: for ML-KEM that is in d. (A changed z
                // leaves the encapsulation key, and so the fingerprint, as it is:
                // the fingerprint names the public key, it is not a checksum.)
                let b = flip(&bin, bin.len() - n);
                m.add(row("binary, key bytes flipped"), INVALID, &["fingerprint does not match"], move || d.decode(&b));
            }

            // Text form.
            let s = format!(
                "{}{}",
                &text[..text.rfind(':').unwrap() + 1],
                base64url(&t.payload()[..n - 1])
            );
            m.add(row("text, payload one byte short"), INVALID, &[alg.as_str(), &len_msg(n, n - 1)], move || d.decode(s.as_bytes()));
            let s = format!("{text}AAAA");
            m.add(row("text, payload extended"), INVALID, &[alg.as_str(), &len_msg(n, n + 3)], move || d.decode(s.as_bytes()));
            let s = format!("{}!", &text[..text.len() - 1]);
            m.add(row("text, payload not base64url"), INVALID, &["not base64url"], move || d.decode(s.as_bytes()));
            let s = format!("{text}:extra");
            m.add(row("text, one field too many"), INVALID, &["fields"], move || d.decode(s.as_bytes()));
            let s = text.replacen("pqshift1:", "pqshift2:", 1);
            m.add(row("text, prefix of version 2"), INVALID, &["not a tagged"], move || d.decode(s.as_bytes()));
            let s = text.replacen(&format!(":{}:", kind.as_str()), ":bogus:", 1);
            m.add(row("text, unknown kind token"), INVALID, &["unknown tagged object kind \"bogus\""], move || d.decode(s.as_bytes()));
            let s = text.replacen(
                &format!(":{alg}:"),
                &format!(":{}:", alg.as_str().to_uppercase()),
                1,
            );
            m.add(row("text, an alias instead of the canonical ID"), UNSUPPORTED, &["unknown algorithm"], move || d.decode(s.as_bytes()));
            let s = text.replacen(&format!(":{alg}:"), ":rsa-2048:", 1);
            m.add(row("text, unknown algorithm"), UNSUPPORTED, &["unknown algorithm \"rsa-2048\""], move || d.decode(s.as_bytes()));
            if kind.is_key() {
                let fp = hex::encode(t.fingerprint().unwrap());
                let s = text.replacen(&fp, &fp.replace(|c: char| c.is_ascii_digit(), "z"), 1);
                m.add(row("text, fingerprint not hex"), INVALID, &["fingerprint", "hex"], move || d.decode(s.as_bytes()));
                let s = text.replacen(&fp, &fp[..62], 1);
                m.add(row("text, fingerprint too short"), INVALID, &["fingerprint must be 32 bytes"], move || d.decode(s.as_bytes()));
                let s = text.replacen(&format!("{fp}:"), "", 1);
                m.add(row("text, fingerprint missing"), INVALID, &["must have 4 fields"], move || d.decode(s.as_bytes()));
            }

            // Kind confusion: this object handed to every other decoder.
            for other in DECODERS {
                if other == d {
                    continue;
                }
                let b = bin.clone();
                if other.reads() != kind {
                    // "expected a tagged X, got a Y".
                    m.add(format!("{alg} {what} given to the {other:?} decoder"), INVALID, &["expected a tagged", what], move || other.decode(&b));
                } else if !other.serves(alg) {
                    // The right kind of object, of the wrong family (a KEM key as a signature key).
                    m.add(format!("{alg} {what} given to the {other:?} decoder"), INVALID, &[alg.as_str()], move || other.decode(&b));
                }
            }
        }
    }
    m.run();
}

// ---------------------------------------------------------------------------
// 2. Keys, signatures, ciphertexts: raw bytes, seeds, providers, contexts
// ---------------------------------------------------------------------------

#[test]
#[rustfmt::skip]
fn matrix_keys_and_raw_bytes() {
    let sigs: Vec<SigFix> = sig_algs().into_iter().map(sig_fix).collect();
    let kems: Vec<KemFix> = kem_algs().into_iter().map(kem_fix).collect();
    let mac = mac_key();
    let mac_tag = mac.sign(MSG, b"").unwrap();
    let (mac, mac_tag) = (&mac, &mac_tag);
    let long_ctx = vec![0x42u8; 256];
    let mut m = Matrix::new("keys and raw bytes");

    // --- signature algorithms, every provider
    for (i, f) in sigs.iter().enumerate() {
        let alg = f.alg;
        let a = alg.as_str();
        let s = alg.sizes();
        let other = &sigs[(i + 1) % sigs.len()];
        for p in providers(alg) {
            let row = |x: &str| format!("{alg}/{p}: {x}");
            let seeded = caps(alg, p).seeded_keygen;
            let (seed_kind, seed_needles) = if seeded {
                (INVALID, vec![a, "seed"])
            } else {
                (UNSUPPORTED, vec![a, "seed", p])
            };
            for (label, len) in [
                ("empty", 0),
                ("one byte short", s.seed - 1),
                ("one byte extra", s.seed + 1),
            ] {
                m.add(row(&format!("seed {label}")), seed_kind, &seed_needles, move || SecretKey::from_seed(alg, &vec![7u8; len], Some(p)));
            }
            if !seeded {
                m.add(row("seeded keygen (a valid seed) where the provider takes none"), UNSUPPORTED, &[a, "seed"], move || SecretKey::from_seed(alg, &[7u8; 32], Some(p)));
                m.add(row("from_u64 where the provider takes no seed"), UNSUPPORTED, &[a, "seed"], move || SecretKey::from_u64(alg, 1, Some(p)));
            }
            let ek = expanded_loading(alg, p);
            let ex_needles: Vec<&str> = if ek == INVALID {
                vec![a, "expanded"]
            } else {
                vec![a, p, "expanded"]
            };
            m.add(row("expanded secret key one byte short"), ek, &ex_needles, move || { SecretKey::from_expanded(alg, &vec![0u8; s.expanded_secret_key - 1], Some(p)) });
            m.add(row("expanded secret key empty"), ek, &ex_needles, move || SecretKey::from_expanded(alg, &[], Some(p)));
            for (label, len) in [
                ("empty", 0),
                ("one byte short", s.public_key - 1),
                ("one byte extra", s.public_key + 1),
            ] {
                m.add(row(&format!("public key {label}")), INVALID, &[a, "public key", &len_msg(s.public_key, len)], move || PublicKey::from_raw(alg, &vec![5u8; len], Some(p)));
            }
            let pk = f.pk.as_raw().to_vec();
            let sig = f.sig.as_raw().to_vec();
            for (label, len) in [
                ("empty", 0),
                ("one byte short", s.signature - 1),
                ("one byte extra", s.signature + 1),
            ] {
                let (pk, sig) = (pk.clone(), sig.clone());
                m.add(
                    row(&format!("bare signature {label}")),
                    INVALID,
                    &[a, "signature", &len_msg(s.signature, len)],
                    move || {
                        let mut bad = sig.clone();
                        bad.resize(len, 0);
                        PublicKey::from_raw(alg, &pk, Some(p))?.verify_raw(MSG, b"", &bad)
                    },
                );
            }
            // Contexts: at most 255 bytes everywhere, checked first, so an
            // over-long one is InvalidInput even for Ed25519 (which takes none
            // at all: a shorter non-empty one is Unsupported), as in C, Go and Python.
            let (ctx_kind, ctx_needles) =
                (INVALID, vec![a, "context must be at most 255 bytes", "got 256 bytes"]);
            let pk2 = pk.clone();
            let sig2 = sig.clone();
            let lc = long_ctx.clone();
            m.add(row("verify with a 256-byte context"), ctx_kind, &ctx_needles, move || PublicKey::from_raw(alg, &pk2, Some(p))?.verify_raw(MSG, &lc, &sig2));
            if alg == AlgorithmId::Ed25519 {
                let (pk2, sig2) = (pk.clone(), sig.clone());
                m.add(row("verify with a non-empty context"), UNSUPPORTED, &["context", "1-byte"], move || PublicKey::from_raw(alg, &pk2, Some(p))?.verify_raw(MSG, b"c", &sig2));
            }
            // Verification failures: opaque, the same kind from every provider.
            let (pk2, sig2) = (pk.clone(), sig.clone());
            m.add(row("signature with one bit flipped"), VERIFY_FAILED, &[], move || PublicKey::from_raw(alg, &pk2, Some(p))?.verify_raw(MSG, b"", &flip(&sig2, 10)));
            let (pk2, sig2) = (pk.clone(), sig.clone());
            m.add(row("valid signature, another message"), VERIFY_FAILED, &[], move || PublicKey::from_raw(alg, &pk2, Some(p))?.verify_raw(b"another message", b"", &sig2));
            let (pk2, sig2) = (pk.clone(), sig.clone());
            m.add(row("valid signature, last byte flipped"), VERIFY_FAILED, &[], move || PublicKey::from_raw(alg, &pk2, Some(p))?.verify_raw(MSG, b"", &flip(&sig2, sig2.len() - 1)));
            let pk2 = pk.clone();
            m.add(row("all-zero signature"), VERIFY_FAILED, &[], move || { PublicKey::from_raw(alg, &pk2, Some(p))?.verify_raw(MSG, b"", &vec![0u8; s.signature]) });
            if alg != AlgorithmId::Ed25519 {
                let (pk2, sig2) = (pk.clone(), sig.clone());
                m.add(row("valid signature, another context"), VERIFY_FAILED, &[], move || PublicKey::from_raw(alg, &pk2, Some(p))?.verify_raw(MSG, b"ctx", &sig2));
            }
            // A signature of another algorithm, given to this key.
            let osig = other.sig.clone();
            let pk2 = pk.clone();
            m.add(row(&format!("a {} signature", other.alg)), INVALID, &["algorithm mismatch", a, other.alg.as_str()], move || PublicKey::from_raw(alg, &pk2, Some(p))?.verify(MSG, b"", &osig));
        }

        // Provider-independent rows, and rows on the loaded key.
        let row = |x: &str| format!("{alg}: {x}");
        m.add(row("unknown provider name"), UNSUPPORTED, &["\"nosuch\"", a], move || SecretKey::from_seed(alg, &[1u8; 32], Some("nosuch")));
        let fp = foreign_provider(alg);
        m.add(row(&format!("provider {fp}, which does not serve it")), UNSUPPORTED, &[fp, a, "served by"], move || SecretKey::from_seed(alg, &[1u8; 32], Some(fp)));
        let raw = f.pk.as_raw().to_vec();
        m.add(row("public key through an unknown provider"), UNSUPPORTED, &["nosuch"], move || PublicKey::from_raw(alg, &raw, Some("nosuch")));
        m.add(row("capabilities of an unknown provider"), UNSUPPORTED, &["nosuch"], move || pqshift::capabilities(alg, Some("nosuch")));
        for (label, len) in [
            ("empty", 0),
            ("one byte short", s.signature - 1),
            ("one byte extra", s.signature + 1),
        ] {
            m.add(row(&format!("Signature::from_raw {label}")), INVALID, &[a, &len_msg(s.signature, len)], move || Signature::from_raw(alg, &vec![0u8; len]));
        }
        m.add(row("Ciphertext::from_raw: it has no ciphertext"), INVALID, &[a, "has no ciphertext"], move || Ciphertext::from_raw(alg, &[0u8; 32]));
        m.add(row("as a KEM decapsulation key"), INVALID, &[a, "not a kem algorithm"], move || DecapsulationKey::from_seed(alg, &[0u8; 64], None));
        m.add(row("as a KEM encapsulation key"), INVALID, &[a, "not a kem algorithm"], move || EncapsulationKey::from_raw(alg, &vec![0u8; s.public_key], None));
        m.add(row("kem_scheme"), INVALID, &[a], move || kem_scheme(alg, None).map(drop));
        m.add(row("mac_scheme"), INVALID, &[a], move || mac_scheme(alg, None).map(drop));
        let lc = long_ctx.clone();
        let (ctx_kind, ctx_needles) = (INVALID, vec![a, "at most 255 bytes", "got 256 bytes"]);
        m.add(row("sign with a 256-byte context"), ctx_kind, &ctx_needles, move || f.sk.sign(MSG, &lc));
        if alg == AlgorithmId::Ed25519 {
            m.add(row("sign with a non-empty context"), UNSUPPORTED, &["context"], move || f.sk.sign(MSG, b"c"));
            m.add(row("deterministic sign with a non-empty context"), UNSUPPORTED, &["context"], move || f.sk.sign_with(MSG, b"c", SignMode::Deterministic));
        }
        let osig = other.sig.clone();
        m.add(row(&format!("secret key verifying a {} signature", other.alg)), INVALID, &["algorithm mismatch"], move || f.sk.verify(MSG, b"", &osig));
        m.add(row("secret key verifying another message"), VERIFY_FAILED, &[], move || f.sk.verify(b"other", b"", &f.sig));
        m.add(row("public key verifying another message"), VERIFY_FAILED, &[], move || f.pk.verify(b"other", b"", &f.sig));
        m.add(row("verifying a MAC tag"), INVALID, &["algorithm mismatch", MAC.as_str()], move || f.pk.verify(MSG, b"", mac_tag));
    }

    // --- Ed25519 public keys the provider must refuse
    m.add("ed25519: public key not canonically encoded (y >= p)", INVALID, &["canonical"], || { let mut k = [0xffu8; 32]; k[31] = 0x7f; PublicKey::from_raw(AlgorithmId::Ed25519, &k, None) });
    m.add("ed25519: public key of small order (the identity)", INVALID, &["small order"], || { let mut k = [0u8; 32]; k[0] = 1; PublicKey::from_raw(AlgorithmId::Ed25519, &k, None) });

    // --- keys that take no seed (pqclean): what they cannot do
    for alg in sig_algs() {
        for p in providers(alg) {
            let c = caps(alg, p);
            if c.seeded_keygen {
                continue;
            }
            let key = SecretKey::generate(alg, Some(p)).unwrap();
            let expanded = key.expanded_secret_key().unwrap().expose().to_vec();
            let a = alg.as_str();
            if !c.deterministic_sign {
                let k = SecretKey::from_expanded(alg, &expanded, Some(p)).unwrap();
                m.add(format!("{alg}/{p}: deterministic signing"), UNSUPPORTED, &[a, "deterministic"], move || k.sign_with(MSG, b"", SignMode::Deterministic));
            }
            // Expanded keys that are out of range or inconsistent (FIPS 204 skDecode).
            if alg != AlgorithmId::Ed25519 {
                let e = mutate(&expanded, |v| v[128..160].fill(0xff));
                m.add(format!("{alg}/{p}: expanded key, s1 out of range"), INVALID, &[a, "out of range", "s1"], move || SecretKey::from_expanded(alg, &e, Some(p)));
                let e = flip(&expanded, expanded.len() - 1);
                m.add(format!("{alg}/{p}: expanded key, t0 inconsistent"), INVALID, &[a, "inconsistent", "t0"], move || SecretKey::from_expanded(alg, &e, Some(p)));
                let e = flip(&expanded, 64);
                m.add(format!("{alg}/{p}: expanded key, tr inconsistent"), INVALID, &[a, "inconsistent", "tr"], move || SecretKey::from_expanded(alg, &e, Some(p)));
                let e = flip(&expanded, 0);
                m.add(format!("{alg}/{p}: expanded key, rho changed"), INVALID, &[a, "inconsistent"], move || SecretKey::from_expanded(alg, &e, Some(p)));
            }
        }
        // A valid expanded key at the providers that do not load expanded keys.
        let liboqs_key = SecretKey::from_u64(alg, 3, None).unwrap();
        if let Some(e) = liboqs_key.expanded_secret_key() {
            for p in providers(alg) {
                if expanded_loading(alg, p) == UNSUPPORTED {
                    let e = e.expose().to_vec();
                    m.add(format!("{alg}/{p}: a valid expanded key (not loaded: no validation)"), UNSUPPORTED, &[alg.as_str(), p, "expanded"], move || SecretKey::from_expanded(alg, &e, Some(p)));
                }
            }
        }
    }

    // --- KEMs, every provider
    for (i, f) in kems.iter().enumerate() {
        let alg = f.alg;
        let a = alg.as_str();
        let s = alg.sizes();
        let other = &kems[(i + 1) % kems.len()];
        let ek_raw = f.ek.as_raw().to_vec();
        let dk_expanded = f.dk.expanded_secret_key().unwrap().expose().to_vec();
        for p in providers(alg) {
            let row = |x: &str| format!("{alg}/{p}: {x}");
            let c = caps(alg, p);
            let (seed_kind, seed_needles) = if c.seeded_keygen {
                (INVALID, vec![a, "seed"])
            } else {
                (UNSUPPORTED, vec![a, "seed", p])
            };
            for (label, len) in [
                ("empty", 0),
                ("32 bytes (an ML-DSA-sized seed)", 32),
                ("one byte short", s.seed - 1),
                ("one byte extra", s.seed + 1),
            ] {
                m.add(row(&format!("seed d||z {label}")), seed_kind, &seed_needles, move || DecapsulationKey::from_seed(alg, &vec![3u8; len], Some(p)));
            }
            if !c.seeded_keygen {
                m.add(row("seeded keygen (a valid seed) where the provider takes none"), UNSUPPORTED, &[a, "seed"], move || DecapsulationKey::from_seed(alg, &[3u8; 64], Some(p)));
            }
            let ex = expanded_loading(alg, p);
            m.add(row("expanded decapsulation key one byte short"), ex, &[a, "expanded"], move || { DecapsulationKey::from_expanded(alg, &vec![0u8; s.expanded_secret_key - 1], Some(p)) });
            if ex == INVALID {
                // dk = dk_pke || ek || H(ek) || z; every 12-bit coefficient below q = 3329.
                let e = mutate(&dk_expanded, |v| v[..3].fill(0xff));
                m.add(row("expanded key, secret coefficient >= q"), INVALID, &[a, "coefficient", "3329"], move || DecapsulationKey::from_expanded(alg, &e, Some(p)));
                // H(ek) follows dk_pke (as long as ek without its 32-byte rho) and ek.
                let e = flip(&dk_expanded, 2 * s.public_key - 32);
                m.add(row("expanded key, H(ek) wrong"), INVALID, &[a, "H(ek)"], move || DecapsulationKey::from_expanded(alg, &e, Some(p)));
                let off = s.expanded_secret_key - 64 - s.public_key;
                let e = mutate(&dk_expanded, |v| v[off..off + 3].fill(0xff));
                m.add(row("expanded key, embedded ek coefficient >= q"), INVALID, &[a, "3329"], move || DecapsulationKey::from_expanded(alg, &e, Some(p)));
            } else {
                let e = dk_expanded.clone();
                m.add(row("a valid expanded key (not loaded: no validation)"), UNSUPPORTED, &[a, p, "expanded"], move || DecapsulationKey::from_expanded(alg, &e, Some(p)));
            }
            for (label, len) in [
                ("empty", 0),
                ("one byte short", s.public_key - 1),
                ("one byte extra", s.public_key + 1),
            ] {
                m.add(row(&format!("encapsulation key {label}")), INVALID, &[a, "encapsulation key", &len_msg(s.public_key, len)], move || EncapsulationKey::from_raw(alg, &vec![0u8; len], Some(p)));
            }
            m.add(row("encapsulation key with coefficients >= q"), INVALID, &[a, "coefficient", "3329"], move || EncapsulationKey::from_raw(alg, &vec![0xffu8; s.public_key], Some(p)));
            let ekr = ek_raw.clone();
            let m_kind = if c.derandomized_encaps {
                INVALID
            } else {
                UNSUPPORTED
            };
            m.add(row("derandomized encapsulation, m of 31 bytes"), m_kind, &[a, "randomness"], move || { EncapsulationKey::from_raw(alg, &ekr, Some(p))?.encapsulate_derand(&[0u8; 31]) });
            if c.seeded_keygen {
                let seed = f.dk.seed().unwrap().expose().to_vec();
                for (label, len) in [
                    ("empty", 0),
                    ("one byte short", s.ciphertext - 1),
                    ("one byte extra", s.ciphertext + 1),
                ] {
                    let seed = seed.clone();
                    m.add(
                        row(&format!("bare ciphertext {label}")),
                        INVALID,
                        &[a, "ciphertext", &len_msg(s.ciphertext, len)],
                        move || {
                            DecapsulationKey::from_seed(alg, &seed, Some(p))?
                                .decapsulate_raw(&vec![0u8; len])
                        },
                    );
                }
            } else {
                let dk = DecapsulationKey::generate(alg, Some(p)).unwrap();
                m.add(row("bare ciphertext one byte short"), INVALID, &[a, "ciphertext", &len_msg(s.ciphertext, s.ciphertext - 1)], move || dk.decapsulate_raw(&vec![0u8; s.ciphertext - 1]));
            }
        }
        let row = |x: &str| format!("{alg}: {x}");
        m.add(row("unknown provider name"), UNSUPPORTED, &["\"nosuch\"", a], move || DecapsulationKey::from_seed(alg, &[1u8; 64], Some("nosuch")));
        m.add(row("provider dalek, which does not serve it"), UNSUPPORTED, &["dalek", a, "served by"], move || DecapsulationKey::from_seed(alg, &[1u8; 64], Some("dalek")));
        for (label, len) in [
            ("empty", 0),
            ("one byte short", s.ciphertext - 1),
            ("one byte extra", s.ciphertext + 1),
        ] {
            m.add(row(&format!("Ciphertext::from_raw {label}")), INVALID, &[a, &len_msg(s.ciphertext, len)], move || Ciphertext::from_raw(alg, &vec![0u8; len]));
        }
        let oct = other.ct.clone();
        m.add(row(&format!("decapsulating a {} ciphertext", other.alg)), INVALID, &["algorithm mismatch", a, other.alg.as_str()], move || f.dk.decapsulate(&oct));
        m.add(row("as a signing key (from_seed)"), INVALID, &[a, "kem"], move || SecretKey::from_seed(alg, &[0u8; 64], None));
        m.add(row("as a signing key (generate)"), INVALID, &[a, "kem"], move || SecretKey::generate(alg, None));
        m.add(row("as a signing key (from_u64)"), INVALID, &[a, "kem"], move || SecretKey::from_u64(alg, 1, None));
        let ekr = ek_raw.clone();
        m.add(row("encapsulation key as a signature public key"), INVALID, &[a, "not a signature algorithm"], move || PublicKey::from_raw(alg, &ekr, None));
        m.add(row("Signature::from_raw: it has no signature"), INVALID, &[a, "has no signature"], move || Signature::from_raw(alg, &[0u8; 64]));
        m.add(row("signature_scheme"), INVALID, &[a], move || signature_scheme(alg, None).map(drop));
    }

    // --- the insecure MAC: no public key, verification with the secret key
    let a = MAC.as_str();
    let s = MAC.sizes();
    for p in providers(MAC) {
        for (label, len) in [
            ("empty", 0),
            ("one byte short", s.seed - 1),
            ("one byte extra", s.seed + 1),
        ] {
            m.add(format!("{MAC}/{p}: key {label}"), INVALID, &[a, &len_msg(s.seed, len)], move || SecretKey::from_seed(MAC, &vec![1u8; len], Some(p)));
        }
    }
    m.add(format!("{MAC}: public key of the MAC key"), INVALID, &[a, "is a mac", "no public key"], || mac.public_key());
    m.add(format!("{MAC}: bare public key"), INVALID, &[a, "is a mac"], || PublicKey::from_raw(MAC, &[0u8; 32], None));
    m.add(format!("{MAC}: expanded key"), INVALID, &[a], || { SecretKey::from_expanded(MAC, &[0u8; 32], None) });
    m.add(format!("{MAC}: as a KEM key"), INVALID, &[a], || { DecapsulationKey::from_seed(MAC, &[0u8; 64], None) });
    m.add(format!("{MAC}: signature_scheme"), INVALID, &[a], || signature_scheme(MAC, None).map(drop));
    for (label, len) in [
        ("empty", 0),
        ("16 bytes (a truncated HMAC)", 16),
        ("one byte extra", s.signature + 1),
    ] {
        m.add(format!("{MAC}: tag {label}"), INVALID, &[a, &len_msg(s.signature, len)], move || Signature::from_raw(MAC, &vec![0u8; len]));
    }
    let lc = long_ctx.clone();
    m.add(format!("{MAC}: tag with a 256-byte context"), INVALID, &[a, "at most 255 bytes"], move || mac.sign(MSG, &lc));
    let lc = long_ctx.clone();
    m.add(format!("{MAC}: verify with a 256-byte context"), INVALID, &[a, "at most 255 bytes"], move || mac.verify(MSG, &lc, mac_tag));
    m.add(format!("{MAC}: wrong tag"), VERIFY_FAILED, &[], || { mac.verify(MSG, b"", &Signature::from_raw(MAC, &[0u8; 32])?) });
    m.add(format!("{MAC}: valid tag, another message"), VERIFY_FAILED, &[], || mac.verify(b"other", b"", mac_tag));
    m.add(format!("{MAC}: valid tag, another context"), VERIFY_FAILED, &[], || mac.verify(MSG, b"ctx", mac_tag));
    m.add(format!("{MAC}: verifying an ed25519 signature"), INVALID, &["algorithm mismatch"], || mac.verify(MSG, b"", &sigs[0].sig));

    m.run();
}

// ---------------------------------------------------------------------------
// 3. Policy and configuration
// ---------------------------------------------------------------------------

const ML_DSA_44_CONFIG: &str = "[sign]\nalgorithm = \"ml-dsa-44\"\n";
const MIGRATION_CONFIG: &str =
    "[sign]\nalgorithm = \"ml-dsa-44\"\n[verify]\naccept = [\"ed25519\", \"ml-dsa-44\"]\n";
const INSECURE_CONFIG: &str =
    "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n";

#[test]
#[rustfmt::skip]
fn matrix_policy_and_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let default = Policy::builtin_default().unwrap();
    let dsa = Policy::from_toml_str(ML_DSA_44_CONFIG).unwrap();
    let migration = Policy::from_toml_str(MIGRATION_CONFIG).unwrap();
    let insecure = Policy::from_toml_str(INSECURE_CONFIG).unwrap();
    let pqclean =
        Policy::from_toml_str("[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"pqclean\"\n")
            .unwrap();
    let ed = sig_fix(AlgorithmId::Ed25519);
    let ml = sig_fix(AlgorithmId::MlDsa44);
    let ml65 = sig_fix(AlgorithmId::MlDsa65);
    let mac = mac_key();
    let tag = mac.sign(MSG, b"").unwrap();
    let pq_key = SecretKey::generate(AlgorithmId::MlDsa44, Some("pqclean")).unwrap();
    let long_ctx = vec![1u8; 256];
    let mut m = Matrix::new("policy and configuration");

    // --- configuration text: (row, TOML, kind, words the message must name)
    let configs: &[(&str, &str, ErrorKind, &[&str])] = &[
        ("empty file", "", INVALID, &["missing field `sign`"]),
        ("not TOML", "[sign\nalgorithm =\n", INVALID, &["TOML parse error"]),
        ("unknown table", "[sign]\nalgorithm = \"ed25519\"\n[bogus]\nx = 1\n", INVALID, &["bogus"]),
        ("unknown key in [sign]", "[sign]\nalgorithm = \"ed25519\"\nbogus = 1\n", INVALID, &["unknown field `bogus`"]),
        ("unknown key in [policy]", "[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecur = true\n", INVALID, &["allow_insecur"]),
        ("unknown key in [verify]", "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccepts = [\"ed25519\"]\n", INVALID, &["accepts"]),
        ("[sign] without algorithm", "[sign]\nprovider = \"dalek\"\n", INVALID, &["missing field `algorithm`"]),
        ("algorithm of the wrong type", "[sign]\nalgorithm = 65\n", INVALID, &["algorithm"]),
        ("allow_insecure of the wrong type", "[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecure = \"yes\"\n", INVALID, &["allow_insecure"]),
        ("self_test = \"off\" (self-tests cannot be switched off)", "[sign]\nalgorithm = \"ed25519\"\n[policy]\nself_test = \"off\"\n", INVALID, &["self_test", "off"]),
        ("unknown algorithm", "[sign]\nalgorithm = \"rsa-2048\"\n", UNSUPPORTED, &["[sign] algorithm", "rsa-2048"]),
        ("empty algorithm", "[sign]\nalgorithm = \"\"\n", UNSUPPORTED, &["[sign] algorithm", "unknown algorithm"]),
        ("[sign] algorithm is a KEM", "[sign]\nalgorithm = \"ml-kem-768\"\n", INVALID, &["[sign] algorithm", "ml-kem-768", "kem"]),
        ("[kem] algorithm is a signature algorithm", "[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ed25519\"\n", INVALID, &["[kem] algorithm", "ed25519"]),
        ("[kem] unknown algorithm", "[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-999\"\n", UNSUPPORTED, &["[kem] algorithm", "ml-kem-999"]),
        ("[verify] accept lists a KEM", "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ml-kem-512\"]\n", INVALID, &["[verify] accept", "ml-kem-512"]),
        ("unknown provider name", "[sign]\nalgorithm = \"ed25519\"\nprovider = \"nosuch\"\n", UNSUPPORTED, &["[sign] algorithm", "nosuch", "served by: dalek"]),
        ("provider that does not serve the algorithm", "[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"dalek\"\n", UNSUPPORTED, &["dalek", "ml-dsa-65"]),
        ("[kem] provider that does not serve it", "[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-768\"\nprovider = \"dalek\"\n", UNSUPPORTED, &["[kem] algorithm", "dalek"]),
        ("placeholder without allow_insecure", "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n", POLICY, &["INSECURE", "allow_insecure = true"]),
        ("placeholder with allow_insecure = false", "[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = false\n", POLICY, &["allow_insecure"]),
        ("placeholder in [verify] accept without allow_insecure", "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"insecure-test-hmac-sha256\"]\n", POLICY, &["[verify] accept", "INSECURE"]),
        ("[verify] accept empty", "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = []\n", INVALID, &["[verify] accept", "empty"]),
        ("[verify] accept without the signing algorithm", "[sign]\nalgorithm = \"ml-dsa-65\"\n[verify]\naccept = [\"ed25519\"]\n", POLICY, &["does not list the signing algorithm ml-dsa-65"]),
        ("[verify] accept lists an algorithm twice (alias)", "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"Ed25519\"]\n", INVALID, &["listed twice"]),
        ("[verify] accept unknown algorithm", "[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ed448\"]\n", UNSUPPORTED, &["[verify] accept", "ed448"]),
        ("[verify] provider that cannot verify an accepted algorithm", "[sign]\nalgorithm = \"ml-dsa-65\"\n[verify]\naccept = [\"ed25519\", \"ml-dsa-65\"]\nprovider = \"liboqs\"\n", UNSUPPORTED, &["liboqs", "ed25519"]),
        ("[verify.providers] names an algorithm accept does not list", "[sign]\nalgorithm = \"ed25519\"\n[verify.providers]\nml-dsa-65 = \"pqclean\"\n", INVALID, &["[verify.providers]", "ml-dsa-65"]),
        ("[verify.providers] unknown algorithm", "[sign]\nalgorithm = \"ed25519\"\n[verify.providers]\nrsa = \"dalek\"\n", UNSUPPORTED, &["[verify.providers]", "rsa"]),
        ("[shadow] is the signing provider", "[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"liboqs\"\n[shadow]\nprovider = \"liboqs\"\n", POLICY, &["[shadow] provider", "independent"]),
        ("[shadow] does not serve the signing algorithm", "[sign]\nalgorithm = \"ed25519\"\n[shadow]\nprovider = \"liboqs\"\n", UNSUPPORTED, &["[shadow] provider", "liboqs"]),
        ("[shadow] without provider", "[sign]\nalgorithm = \"ed25519\"\n[shadow]\n", INVALID, &["provider"]),
    ];
    for &(name, toml, kind, needles) in configs {
        m.add(format!("config text: {name}"), kind, needles, move || Policy::from_toml_str(toml));
    }
    // The same refusals from a file name the file.
    let from_file = [
        "empty file",
        "not TOML",
        "unknown key in [sign]",
        "unknown algorithm",
        "placeholder without allow_insecure",
        "[verify] accept without the signing algorithm",
    ];
    for &(name, toml, kind, needles) in configs.iter().filter(|c| from_file.contains(&c.0)) {
        let path = dir.path().join(format!("c{}.toml", m.cases.len()));
        std::fs::write(&path, toml).unwrap();
        let shown = path.display().to_string();
        let mut needles: Vec<String> = needles.iter().map(|s| s.to_string()).collect();
        needles.push(shown);
        let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
        m.add(format!("config file: {name}"), kind, &refs, move || Policy::from_file(&path));
    }
    let missing = dir.path().join("missing.toml");
    let shown = missing.display().to_string();
    m.add("config file: missing", INVALID, &["cannot read configuration file", &shown], move || Policy::from_file(&missing));
    let not_utf8 = dir.path().join("latin1.toml");
    std::fs::write(&not_utf8, b"[sign]\nalgorithm = \"ed25519\" # caf\xe9\n").unwrap();
    m.add("config file: invalid UTF-8", INVALID, &["cannot read configuration file", "UTF-8"], move || Policy::from_file(&not_utf8));
    let a_dir = dir.path().to_path_buf();
    m.add("config file: a directory", INVALID, &["cannot read configuration file"], move || Policy::from_file(&a_dir));
    m.add(
        "ConfigFile::parse names the source",
        INVALID,
        &["configuration x.toml", "bogus"],
        || {
            ConfigFile::parse(
                "[sign]\nalgorithm = \"ed25519\"\nbogus = 1\n",
                &ConfigSource::Explicit("x.toml".into()),
            )
        },
    );

    // --- operations under a loaded policy
    let (default, dsa, migration, insecure, pqclean) =
        (&default, &dsa, &migration, &insecure, &pqclean);
    let (ed, ml, ml65, mac, tag, pq_key, long_ctx) =
        (&ed, &ml, &ml65, &mac, &tag, &pq_key, &long_ctx);

    m.add("policy: sign with a key of another algorithm", POLICY, &["signs with ed25519, not ml-dsa-44"], move || default.sign(&ml.sk, MSG, b""));
    m.add("policy: sign with the MAC key", POLICY, &["signs with ed25519"], move || default.sign(mac, MSG, b""));
    m.add("policy: sign an ed25519 key under an ML-DSA policy", POLICY, &["signs with ml-dsa-44, not ed25519"], move || dsa.sign(&ed.sk, MSG, b""));
    m.add("policy: verify an algorithm not in accept", POLICY, &["ml-dsa-44 is not accepted", "accept = [ed25519]"], move || default.verify(&ml.pk, MSG, b"", &ml.sig));
    m.add("policy: verify ml-dsa-65 under an ml-dsa-44 policy", POLICY, &["ml-dsa-65 is not accepted"], move || dsa.verify(&ml65.pk, MSG, b"", &ml65.sig));
    m.add("policy: accepts(ml-dsa-65)", POLICY, &["not accepted"], move || default.accepts(AlgorithmId::MlDsa65));
    m.add("policy: verify a MAC tag the policy does not accept", POLICY, &["not accepted"], move || default.verify_with_secret(mac, MSG, b"", tag));
    m.add("policy: key and signature of two accepted algorithms", INVALID, &["algorithm mismatch", "ed25519", "ml-dsa-44"], move || migration.verify(&ed.pk, MSG, b"", &ml.sig));
    m.add("policy: invalid signature", VERIFY_FAILED, &[], move || default.verify(&ed.pk, b"other", b"", &ed.sig));
    m.add("policy: invalid signature (old algorithm during a migration)", VERIFY_FAILED, &[], move || migration.verify(&ed.pk, b"other", b"", &ed.sig));
    m.add("policy: invalid MAC tag (allow_insecure)", VERIFY_FAILED, &[], move || insecure.verify_with_secret(mac, b"other", b"", tag));
    m.add("policy: ed25519 with a context", UNSUPPORTED, &["context"], move || default.sign(&ed.sk, MSG, b"ctx"));
    m.add("policy: ml-dsa-44 with a 256-byte context", INVALID, &["at most 255 bytes"], move || dsa.sign(&ml.sk, MSG, long_ctx));
    m.add("policy: verify with a 256-byte context", INVALID, &["at most 255 bytes"], move || dsa.verify(&ml.pk, MSG, long_ctx, &ml.sig));
    m.add("policy: seed of the wrong length", INVALID, &["ed25519", "seed", &len_msg(32, 31)], move || default.signing_key_from_seed(&[0u8; 31]));
    m.add("policy: seeded keygen with pqclean", UNSUPPORTED, &["pqclean", "seed"], move || pqclean.signing_key_from_seed(&[0u8; 32]));
    m.add("policy: keygen(n) with pqclean", UNSUPPORTED, &["pqclean", "seed"], move || pqclean.signing_key_from_u64(7));
    m.add("policy: deterministic signing with pqclean", UNSUPPORTED, &["deterministic"], move || pqclean.sign_with(pq_key, MSG, b"", SignMode::Deterministic));
    m.add("policy: install a second process-wide policy", POLICY, &["already installed"], move || { let _ = pqshift::install(default.clone()); pqshift::install(default.clone()) });
    m.run();
}

// ---------------------------------------------------------------------------
// 4. Standard encodings: SPKI, PKCS#8, DER and PEM
// ---------------------------------------------------------------------------

/// DER TLV with a definite length.
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

/// An OBJECT IDENTIFIER TLV from its dotted form.
fn oid_tlv(dotted: &str) -> Vec<u8> {
    use der::Encode;
    der::oid::ObjectIdentifier::new(dotted)
        .unwrap()
        .to_der()
        .unwrap()
}

fn spki_by_hand(oid: &str, params: Option<&[u8]>, unused: u8, key: &[u8]) -> Vec<u8> {
    let mut ai = oid_tlv(oid);
    if let Some(p) = params {
        ai.extend_from_slice(p);
    }
    let mut bits = vec![unused];
    bits.extend_from_slice(key);
    let mut body = tlv(0x30, &ai);
    body.extend(tlv(0x03, &bits));
    tlv(0x30, &body)
}

fn pkcs8_by_hand(
    version: u8,
    oid: &str,
    params: Option<&[u8]>,
    private_key: &[u8],
    public_key: Option<&[u8]>,
) -> Vec<u8> {
    let mut ai = oid_tlv(oid);
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

fn pem(label: &str, der: &[u8]) -> String {
    let label = match label {
        "PUBLIC KEY" => PemLabel::PublicKey,
        _ => PemLabel::PrivateKey,
    };
    standard::to_pem(label, der).unwrap().to_string()
}

/// Loads a public key of any algorithm through the decoder of its family.
fn load_public_any(alg: AlgorithmId, data: &[u8], provider: Option<&str>) -> pqshift::Result<()> {
    if alg.kind() == AlgorithmKind::Kem {
        decode_encapsulation_key_any(data, provider).map(drop)
    } else {
        decode_public_key_any(data, provider).map(drop)
    }
}

fn load_secret_any(alg: AlgorithmId, data: &[u8], provider: Option<&str>) -> pqshift::Result<()> {
    if alg.kind() == AlgorithmKind::Kem {
        decode_decapsulation_key_any(data, provider).map(drop)
    } else {
        decode_secret_key_any(data, provider).map(drop)
    }
}

const RSA_OID: &str = "1.2.840.113549.1.1.1";
const X25519_OID: &str = "1.3.101.110";

#[test]
#[rustfmt::skip]
fn matrix_standard_encodings() {
    let mac = mac_key();
    let mut m = Matrix::new("standard encodings (SPKI, PKCS#8, DER, PEM)");

    for alg in AlgorithmId::ALL.into_iter().filter(|a| a.oid().is_some()) {
        let a = alg.as_str();
        let oid = alg.oid().unwrap();
        let s = alg.sizes();
        let kem = alg.kind() == AlgorithmKind::Kem;
        let seed = pqshift::seed_from_u64(alg, 1).expose().to_vec();
        let pk = if kem {
            DecapsulationKey::from_seed(alg, &seed, None)
                .unwrap()
                .encapsulation_key()
                .unwrap()
                .as_raw()
                .to_vec()
        } else {
            SecretKey::from_seed(alg, &seed, None)
                .unwrap()
                .public_key()
                .unwrap()
                .as_raw()
                .to_vec()
        };
        let spki = standard::spki_der(alg, &pk).unwrap();
        let pkcs8 = standard::pkcs8_der(alg, &seed).unwrap().to_vec();
        let row = |x: &str| format!("{alg}: {x}");

        // --- SubjectPublicKeyInfo
        let d = mutate(&spki, |v| v.push(0));
        m.add(row("SPKI DER with a trailing byte"), INVALID, &["SubjectPublicKeyInfo", "DER"], move || load_public_any(alg, &d, None));
        let d = spki.clone();
        m.add(row("SPKI DER cut short"), INVALID, &["SubjectPublicKeyInfo", "DER"], move || load_public_any(alg, &d[..d.len() - 1], None));
        let d = spki_by_hand(oid, None, 0, &pk[..pk.len() - 1]);
        m.add(row("SPKI public key one byte short"), INVALID, &[a, &len_msg(s.public_key, s.public_key - 1)], move || load_public_any(alg, &d, None));
        let d = spki_by_hand(oid, Some(&[0x05, 0x00]), 0, &pk);
        m.add(row("SPKI with NULL parameters"), INVALID, &["absent parameters", "NULL"], move || load_public_any(alg, &d, None));
        let d = spki_by_hand(
            oid,
            None,
            1,
            &mutate(&pk, |v| *v.last_mut().unwrap() &= 0xfe),
        );
        m.add(row("SPKI BIT STRING with unused bits"), INVALID, &["unused bits"], move || load_public_any(alg, &d, None));
        let d = spki_by_hand(RSA_OID, Some(&[0x05, 0x00]), 0, &pk);
        m.add(row("SPKI with the rsaEncryption OID"), UNSUPPORTED, &["unknown key algorithm OID", RSA_OID], move || load_public_any(alg, &d, None));
        let d = spki.clone();
        m.add(row("SPKI DER given as a private key"), INVALID, &["PKCS#8"], move || load_secret_any(alg, &d, None));
        // Kind confusion: the SPKI of this family given to the other family's loader.
        let d = spki.clone();
        if kem {
            m.add(row("SPKI of a KEM loaded as a signature public key"), INVALID, &[a, "KEM", "EncapsulationKey"], move || PublicKey::from_spki_der(&d, None));
        } else {
            m.add(row("SPKI of a signature key loaded as a KEM key"), INVALID, &[a, "not a KEM key", "PublicKey"], move || EncapsulationKey::from_spki_der(&d, None));
        }
        m.add(row("spki_der of a public key one byte short"), INVALID, &[a, &len_msg(s.public_key, s.public_key - 1)], { let pk = pk.clone(); move || standard::spki_der(alg, &pk[..pk.len() - 1]) });

        // --- PEM around the SPKI
        let p = pem("PUBLIC KEY", &spki);
        let d = p.replace("PUBLIC KEY", "PRIVATE KEY");
        m.add(row("PEM public key labelled PRIVATE KEY, read as public"), INVALID, &["a PRIVATE KEY was given where a PUBLIC KEY is expected"], move || load_public_any(alg, d.as_bytes(), None));
        let d = p.clone();
        m.add(row("PEM PUBLIC KEY read as a private key"), INVALID, &["a PUBLIC KEY was given where a PRIVATE KEY is expected"], move || load_secret_any(alg, d.as_bytes(), None));
        let d = p.replace("PUBLIC KEY", "CERTIFICATE");
        m.add(row("PEM with label CERTIFICATE"), INVALID, &["expected a PEM \"PUBLIC KEY\", got a PEM \"CERTIFICATE\""], move || load_public_any(alg, d.as_bytes(), None));
        let d = mutate(p.as_bytes(), |v| v[40] = b'*');
        m.add(row("PEM with a character outside base64"), INVALID, &["malformed PEM", "base64"], move || load_public_any(alg, &d, None));
        let d = mutate(p.as_bytes(), |v| v[40] = 0xff);
        m.add(row("PEM with invalid UTF-8 in the body"), INVALID, &["PEM"], move || load_public_any(alg, &d, None));
        let d = format!("{p}trailing garbage\n");
        m.add(row("PEM with trailing garbage"), INVALID, &["must end with its \"-----END PUBLIC KEY-----\" line"], move || load_public_any(alg, d.as_bytes(), None));
        let d = p[..p.len() - "-----END PUBLIC KEY-----\n".len()].to_string();
        m.add(row("PEM without its END line"), INVALID, &["malformed PEM"], move || load_public_any(alg, d.as_bytes(), None));
        let d = p.replace("-----END PUBLIC KEY-----", "-----END PRIVATE KEY-----");
        m.add(row("PEM with mismatched BEGIN and END labels"), INVALID, &["PEM"], move || load_public_any(alg, d.as_bytes(), None));
        let d = pem("PUBLIC KEY", &mutate(&spki, |v| v.push(0)));
        m.add(row("PEM whose DER has a trailing byte"), INVALID, &["SubjectPublicKeyInfo"], move || load_public_any(alg, d.as_bytes(), None));
        let d = spki_by_hand(RSA_OID, Some(&[0x05, 0x00]), 0, &pk);
        let d = pem("PUBLIC KEY", &d);
        if kem {
            m.add(row("EncapsulationKey::from_spki_pem with the rsaEncryption OID"), UNSUPPORTED, &[RSA_OID], move || EncapsulationKey::from_spki_pem(&d, None));
        } else {
            m.add(row("PublicKey::from_pem with the rsaEncryption OID"), UNSUPPORTED, &[RSA_OID], move || PublicKey::from_pem(&d, None));
        }

        // --- PKCS#8
        let d = mutate(&pkcs8, |v| v.push(0));
        m.add(row("PKCS#8 DER with a trailing byte"), INVALID, &["PKCS#8", "DER"], move || load_secret_any(alg, &d, None));
        let d = pkcs8.clone();
        m.add(row("PKCS#8 DER cut short"), INVALID, &["PKCS#8", "DER"], move || load_secret_any(alg, &d[..d.len() - 1], None));
        let d = pkcs8_by_hand(0, oid, None, &seed_form(alg, &seed[1..]), None);
        m.add(row("PKCS#8 seed one byte short"), INVALID, &[a, &len_msg(s.seed, s.seed - 1)], move || load_secret_any(alg, &d, None));
        let d = pkcs8_by_hand(
            0,
            oid,
            None,
            &seed_form(alg, &[seed.as_slice(), &[0]].concat()),
            None,
        );
        m.add(row("PKCS#8 seed one byte extra"), INVALID, &[a, &len_msg(s.seed, s.seed + 1)], move || load_secret_any(alg, &d, None));
        let d = pkcs8_by_hand(0, oid, Some(&[0x05, 0x00]), &seed_form(alg, &seed), None);
        m.add(row("PKCS#8 with NULL parameters"), INVALID, &["absent parameters"], move || load_secret_any(alg, &d, None));
        let d = pkcs8_by_hand(0, X25519_OID, None, &tlv(0x04, &[0u8; 32]), None);
        m.add(row("PKCS#8 with the X25519 OID"), UNSUPPORTED, &["unknown key algorithm OID", X25519_OID], move || load_secret_any(alg, &d, None));
        let d = pkcs8_by_hand(0, oid, None, &tlv(0x01, &[0xff]), None);
        m.add(row("PKCS#8 privateKey holds a BOOLEAN"), INVALID, &[a, "privateKey", "expected"], move || load_secret_any(alg, &d, None));
        let d = pkcs8_by_hand(1, oid, None, &seed_form(alg, &seed), Some(&flip(&pk, 0)));
        m.add(row("PKCS#8 v2 public key of another key"), INVALID, &[a, "v2 publicKey does not match"], move || load_secret_any(alg, &d, None));
        let d = pkcs8_by_hand(1, oid, None, &seed_form(alg, &seed), Some(&pk[1..]));
        m.add(row("PKCS#8 v2 public key one byte short"), INVALID, &[a, "public key (in PKCS#8 v2)", &len_msg(s.public_key, s.public_key - 1)], move || load_secret_any(alg, &d, None));
        let d = pem("PRIVATE KEY", &mutate(&pkcs8, |v| v.push(0)));
        m.add(row("PKCS#8 PEM whose DER has a trailing byte"), INVALID, &["PKCS#8"], move || load_secret_any(alg, d.as_bytes(), None));
        let d = pem("PRIVATE KEY", &pkcs8).replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
        m.add(row("encrypted PKCS#8 PEM"), INVALID, &["encrypted PKCS#8 is not supported"], move || load_secret_any(alg, d.as_bytes(), None));
        let d = pkcs8.clone();
        m.add(row("PKCS#8 DER given as a public key"), INVALID, &["SubjectPublicKeyInfo"], move || load_public_any(alg, &d, None));
        let d = pkcs8.clone();
        if kem {
            m.add(row("PKCS#8 of a KEM loaded as a signing key"), INVALID, &[a, "KEM", "DecapsulationKey"], move || SecretKey::from_pkcs8_der(&d, None));
        } else {
            m.add(row("PKCS#8 of a signature key loaded as a KEM key"), INVALID, &[a, "not a KEM key", "SecretKey"], move || DecapsulationKey::from_pkcs8_der(&d, None));
        }
        let sd = seed.clone();
        m.add(row("pkcs8_der with a seed one byte short"), INVALID, &[a, "seed", &len_msg(s.seed, s.seed - 1)], move || standard::pkcs8_der(alg, &sd[1..]));

        if alg == AlgorithmId::Ed25519 {
            let d = pkcs8_by_hand(0, oid, None, &tlv(0x80, &seed), None);
            m.add(row("PKCS#8 with the ML-DSA seed tag [0] instead of CurvePrivateKey"), INVALID, &["CurvePrivateKey"], move || load_secret_any(alg, &d, None));
            m.add(row("pkcs8_der_expanded: it has no expanded form"), INVALID, &["no expanded private-key form"], || standard::pkcs8_der_expanded(AlgorithmId::Ed25519, &[0u8; 32]));
            continue;
        }

        // --- ML-DSA and ML-KEM: expanded and both forms, per provider.
        let own_expanded = if kem {
            DecapsulationKey::from_seed(alg, &seed, None)
                .unwrap()
                .expanded_secret_key()
                .unwrap()
                .expose()
                .to_vec()
        } else {
            SecretKey::from_seed(alg, &seed, None)
                .unwrap()
                .expanded_secret_key()
                .unwrap()
                .expose()
                .to_vec()
        };
        let other_seed = pqshift::seed_from_u64(alg, 2).expose().to_vec();
        let other_expanded = if kem {
            DecapsulationKey::from_seed(alg, &other_seed, None)
                .unwrap()
                .expanded_secret_key()
                .unwrap()
                .expose()
                .to_vec()
        } else {
            SecretKey::from_seed(alg, &other_seed, None)
                .unwrap()
                .expanded_secret_key()
                .unwrap()
                .expose()
                .to_vec()
        };
        let d = pkcs8_by_hand(0, oid, None, &tlv(0x04, &own_expanded[1..]), None);
        m.add(row("PKCS#8 expanded key one byte short"), INVALID, &[a, "expanded private key", &len_msg(s.expanded_secret_key, s.expanded_secret_key - 1)], move || load_secret_any(alg, &d, None));
        let d = pkcs8_by_hand(0, oid, None, &both_form(&seed[1..], &own_expanded), None);
        m.add(row("PKCS#8 both form, seed one byte short"), INVALID, &[a, &len_msg(s.seed, s.seed - 1)], move || load_secret_any(alg, &d, None));
        let mut both = tlv(0x04, &seed);
        both.extend(tlv(0x04, &own_expanded));
        both.extend([0x05, 0x00]);
        let d = pkcs8_by_hand(0, oid, None, &tlv(0x30, &both), None);
        m.add(row("PKCS#8 both form with a third element"), INVALID, &["both", "DER"], move || load_secret_any(alg, &d, None));
        m.add(row("pkcs8_der_expanded one byte short"), INVALID, &[a, "expanded secret key"], { let e = own_expanded.clone(); move || standard::pkcs8_der_expanded(alg, &e[1..]) });
        for p in providers(alg) {
            let prow = |x: &str| format!("{alg}/{p}: {x}");
            let c = caps(alg, p);
            // "both" whose expanded key belongs to another seed: every provider that can
            // tie the two together refuses it. (pqclean cannot derive an ML-DSA key from
            // a seed, so for ML-DSA it loads the expanded key alone: documented.)
            if c.seeded_keygen || kem {
                let d = pkcs8_by_hand(0, oid, None, &both_form(&seed, &other_expanded), None);
                m.add(prow("PKCS#8 both form, expanded key of another seed"), INVALID, &[a, "both", "does not match"], move || load_secret_any(alg, &d, Some(p)));
            }
            let d = pkcs8_by_hand(0, oid, None, &tlv(0x04, &own_expanded), None);
            match expanded_loading(alg, p) {
                k if k == UNSUPPORTED => {
                    m.add(prow("PKCS#8 expanded form (not loaded: no validation)"), UNSUPPORTED, &[a, p, "expanded"], move || load_secret_any(alg, &d, Some(p)));
                }
                _ => {
                    // Validated: an out-of-range expanded key is refused.
                    let bad = if kem {
                        mutate(&own_expanded, |v| v[..3].fill(0xff))
                    } else {
                        mutate(&own_expanded, |v| v[128..160].fill(0xff))
                    };
                    let d = pkcs8_by_hand(0, oid, None, &tlv(0x04, &bad), None);
                    m.add(prow("PKCS#8 expanded form, out of range"), INVALID, &[a], move || load_secret_any(alg, &d, Some(p)));
                }
            }
        }
    }

    // --- algorithm-independent rows
    type AnyDecoder = fn(&[u8]) -> pqshift::Result<()>;
    let empties: [(&str, AnyDecoder, &str); 4] = [
        (
            "decode_public_key_any",
            |d| decode_public_key_any(d, None).map(drop),
            "not a public key in any form",
        ),
        (
            "decode_secret_key_any",
            |d| decode_secret_key_any(d, None).map(drop),
            "not a secret key in any form",
        ),
        (
            "decode_encapsulation_key_any",
            |d| decode_encapsulation_key_any(d, None).map(drop),
            "not a KEM encapsulation key in any form",
        ),
        (
            "decode_decapsulation_key_any",
            |d| decode_decapsulation_key_any(d, None).map(drop),
            "not a KEM decapsulation key in any form",
        ),
    ];
    for (name, f, needle) in empties {
        m.add(format!("{name}: empty input"), INVALID, &[needle], move || f(b""));
        m.add(format!("{name}: text that is no key"), INVALID, &[needle], move || f(b"hello world\n"));
        m.add(format!("{name}: invalid UTF-8"), INVALID, &[needle], move || f(b"\xff\xfe\xfd"));
        m.add(format!("{name}: a SEQUENCE that is not a key"), INVALID, &["DER"], move || f(&[0x30, 0x03, 0x02, 0x01, 0x00]));
        m.add(format!("{name}: a lone SEQUENCE tag"), INVALID, &["DER"], move || f(&[0x30]));
        m.add(format!("{name}: a PEM BEGIN line and nothing else"), INVALID, &["PEM"], move || f(b"-----BEGIN PUBLIC KEY-----\n"));
    }
    m.add("parse_pem: not PEM at all", INVALID, &["not a PEM public key"], || standard::parse_pem(PemLabel::PublicKey, b"MIIB"));
    m.add("spki_der of the MAC: no OID", INVALID, &[MAC.as_str(), "no OID"], || standard::spki_der(MAC, &[0u8; 32]));
    m.add("pkcs8_der of the MAC: no OID", INVALID, &[MAC.as_str(), "no OID"], || standard::pkcs8_der(MAC, &[0u8; 32]));
    m.add("MAC secret key to PKCS#8", INVALID, &[MAC.as_str(), "no OID"], || mac.to_pkcs8_der());
    m.add("MAC secret key to PKCS#8 PEM", INVALID, &[MAC.as_str(), "no OID"], || mac.to_pkcs8_pem());
    m.add("standard::oid of the MAC", INVALID, &["no OID"], || standard::oid(MAC));
    m.run();
}

// ---------------------------------------------------------------------------
// 5. The porting contract: keygen(n), sign(key, payload), verify(key, payload, sig)
// ---------------------------------------------------------------------------

#[test]
#[rustfmt::skip]
fn matrix_porting_contract() {
    let signers: Vec<AlgorithmId> = AlgorithmId::ALL
        .into_iter()
        .filter(|a| a.kind() != AlgorithmKind::Kem)
        .collect();
    let keys: Vec<(AlgorithmId, Vec<u8>, Vec<u8>)> = signers
        .iter()
        .map(|&a| {
            let k = contract::keygen(a, 5).unwrap();
            let s = contract::sign(&k, MSG).unwrap();
            (a, k, s)
        })
        .collect();
    let kem = kem_fix(AlgorithmId::MlKem768);
    let ct = kem.ct.to_tagged().unwrap().to_bytes().to_vec();
    let ek = kem.ek.to_tagged().unwrap().to_bytes().to_vec();
    let dk = kem.dk.to_tagged().unwrap().to_bytes().to_vec();
    let pq = SecretKey::generate(AlgorithmId::MlDsa65, Some("pqclean")).unwrap();
    let pq_tagged = pq.to_tagged().unwrap().to_bytes().to_vec();
    let mut m = Matrix::new("porting contract");

    for alg in kem_algs() {
        m.add(format!("keygen({alg}): a KEM"), INVALID, &[alg.as_str(), "KEM"], move || contract::keygen(alg, 1));
    }
    for (i, (alg, key, sig)) in keys.iter().enumerate() {
        let alg = *alg;
        let a = alg.as_str();
        let n = alg.sizes().signature;
        let row = |x: &str| format!("{alg}: {x}");
        let (other_alg, _, other_sig) = &keys[(i + 1) % keys.len()];
        m.add(row("sign with an empty key"), INVALID, &["not a tagged"], || contract::sign(b"", MSG));
        m.add(row("sign with the key cut short"), INVALID, &[a], move || contract::sign(&key[..key.len() - 1], MSG));
        m.add(row("sign with a flipped fingerprint"), INVALID, &["fingerprint does not match"], move || contract::sign(&flip(key, 7 + a.len()), MSG));
        m.add(row("sign with a signature as the key"), INVALID, &["expected a tagged secret key, got a signature"], move || contract::sign(sig, MSG));
        m.add(row("verify with a signature as the key"), INVALID, &["expected a tagged secret or public key, got a signature"], move || contract::verify(sig, MSG, sig));
        m.add(row("verify a signature cut short"), INVALID, &[a, &len_msg(n, n - 1)], move || contract::verify(key, MSG, &sig[..sig.len() - 1]));
        m.add(row("verify a signature one byte extra"), INVALID, &[a, &len_msg(n, n + 1)], move || contract::verify(key, MSG, &mutate(sig, |v| v.push(0))));
        m.add(row("verify an empty signature"), INVALID, &["not a tagged"], move || contract::verify(key, MSG, b""));
        m.add(row("verify a bare (untagged) signature"), INVALID, &["not a tagged"], move || contract::verify(key, MSG, &vec![0u8; n]));
        m.add(row("verify the key as the signature"), INVALID, &["expected a tagged signature"], move || contract::verify(key, MSG, key));
        let os = other_sig.clone();
        m.add(row(&format!("verify a {other_alg} signature")), INVALID, &["algorithm mismatch", a, other_alg.as_str()], move || contract::verify(key, MSG, &os));
        let c = ct.clone();
        m.add(row("verify with a ciphertext as the key"), INVALID, &["expected a tagged secret or public key, got a ciphertext"], move || contract::verify(&c, MSG, sig));
        let e = ek.clone();
        m.add(row("verify with an ML-KEM encapsulation key"), INVALID, &["ml-kem-768"], move || contract::verify(&e, MSG, sig));
        if alg == MAC {
            m.add(row("public_key of the MAC"), INVALID, &["is a MAC"], move || contract::public_key(key));
        } else {
            let pk = contract::public_key(key).unwrap();
            m.add(row("verify with a flipped public-key fingerprint"), INVALID, &["fingerprint does not match"], move || contract::verify(&flip(&pk, 7 + a.len()), MSG, sig));
        }
    }
    let d = dk.clone();
    m.add("sign with an ML-KEM decapsulation key", INVALID, &["ml-kem-768", "KEM"], move || contract::sign(&d, MSG));
    m.add("public_key of garbage", INVALID, &["not a tagged"], || contract::public_key(b"garbage"));
    let e = ek.clone();
    m.add("public_key of a public key", INVALID, &["expected a tagged secret key"], move || contract::public_key(&e));
    // Keys in the expanded form (from a provider that keeps no seed): the
    // contract loads keys through the preferred provider, which refuses them.
    m.add("sign with an expanded-form (pqclean) key", UNSUPPORTED, &["expanded"], move || contract::sign(&pq_tagged, MSG));

    // Not errors: a well-formed signature that does not verify is Ok(false).
    for (alg, key, sig) in &keys {
        assert_eq!(
            contract::verify(key, b"another payload", sig),
            Ok(false),
            "{alg}"
        );
        assert_eq!(
            contract::verify(key, MSG, &flip(sig, sig.len() - 1)),
            Ok(false),
            "{alg}"
        );
        assert_eq!(contract::verify(key, MSG, sig), Ok(true), "{alg}");
    }
    m.run();
}

// ---------------------------------------------------------------------------
// 6. A failed call loses nothing
// ---------------------------------------------------------------------------

fn assert_fails<T: std::fmt::Debug>(r: pqshift::Result<T>, kind: ErrorKind, what: &str) {
    match r {
        Err(e) => assert_eq!(e.kind(), kind, "{what}: {e}"),
        Ok(v) => panic!("{what}: succeeded with {v:?}"),
    }
}

#[test]
fn failed_calls_lose_nothing() {
    let long_ctx = vec![0u8; 256];
    let max_ctx = vec![0u8; 255];
    let policy = Policy::builtin_default().unwrap();
    let other = sig_fix(AlgorithmId::MlDsa44);

    // Signature keys through every provider that loads them (pqclean: its own keys).
    for alg in sig_algs() {
        for p in providers(alg) {
            let sk = if caps(alg, p).seeded_keygen {
                SecretKey::from_u64(alg, 9, Some(p)).unwrap()
            } else {
                SecretKey::generate(alg, Some(p)).unwrap()
            };
            let what = format!("{alg}/{p}");
            let before = sk.to_tagged().unwrap();
            let fp = sk.fingerprint();
            let pk = sk.public_key().unwrap();
            let sig = sk.sign(MSG, b"").unwrap();
            let sig_before = sig.clone();

            assert_fails(sk.sign(MSG, &long_ctx), INVALID, &what);
            if alg == AlgorithmId::Ed25519 {
                assert_fails(sk.sign(MSG, b"c"), UNSUPPORTED, &what);
            }
            if !caps(alg, p).deterministic_sign {
                assert_fails(
                    sk.sign_with(MSG, b"", SignMode::Deterministic),
                    UNSUPPORTED,
                    &what,
                );
            }
            if alg != AlgorithmId::MlDsa44 {
                assert_fails(pk.verify(MSG, b"", &other.sig), INVALID, &what);
                assert_fails(sk.verify(MSG, b"", &other.sig), INVALID, &what);
            }
            if alg != AlgorithmId::Ed25519 {
                assert_fails(policy.sign(&sk, MSG, b""), POLICY, &what);
                assert_fails(policy.verify(&pk, MSG, b"", &sig), POLICY, &what);
            }
            assert_fails(pk.verify(b"other", b"", &sig), VERIFY_FAILED, &what);
            assert_fails(pk.verify_raw(MSG, b"", &sig.as_raw()[1..]), INVALID, &what);
            assert_fails(pk.verify(MSG, &long_ctx, &sig), INVALID, &what);

            // Everything still works, and nothing changed.
            assert_eq!(
                sk.to_tagged().unwrap(),
                before,
                "{what}: the key's encoding changed"
            );
            assert_eq!(sk.fingerprint(), fp, "{what}");
            assert_eq!(sig, sig_before, "{what}: the signature changed");
            pk.verify(MSG, b"", &sig).unwrap();
            sk.verify(MSG, b"", &sig).unwrap();
            let ctx: &[u8] = if alg == AlgorithmId::Ed25519 {
                b""
            } else {
                &max_ctx
            };
            let again = sk.sign(MSG, ctx).unwrap();
            pk.verify(MSG, ctx, &again).unwrap();
            // The reloaded key is the same key.
            let reloaded = SecretKey::from_tagged(&before, Some(p)).unwrap();
            assert_eq!(reloaded.fingerprint(), fp, "{what}");
            if alg == AlgorithmId::Ed25519 {
                assert_eq!(
                    sk.sign(MSG, b"").unwrap(),
                    sig,
                    "{what}: Ed25519 is deterministic"
                );
            }
        }
    }

    // The policy is unchanged by the refusals above.
    let ed = sig_fix(AlgorithmId::Ed25519);
    let s = policy.sign(&ed.sk, MSG, b"").unwrap();
    policy.verify(&ed.pk, MSG, b"", &s).unwrap();

    // KEM keys through every provider.
    for alg in kem_algs() {
        let ofix = kem_fix(if alg == AlgorithmId::MlKem512 {
            AlgorithmId::MlKem768
        } else {
            AlgorithmId::MlKem512
        });
        for p in providers(alg) {
            let c = caps(alg, p);
            let dk = if c.seeded_keygen {
                DecapsulationKey::from_seed(alg, pqshift::seed_from_u64(alg, 9).expose(), Some(p))
                    .unwrap()
            } else {
                DecapsulationKey::generate(alg, Some(p)).unwrap()
            };
            let what = format!("{alg}/{p}");
            let before = dk.to_tagged().unwrap();
            let ek = dk.encapsulation_key().unwrap();
            let (ct, secret) = ek.encapsulate().unwrap();

            assert_fails(dk.decapsulate(&ofix.ct), INVALID, &what);
            assert_fails(dk.decapsulate_raw(&ct.as_raw()[1..]), INVALID, &what);
            assert_fails(dk.decapsulate_raw(&[]), INVALID, &what);
            assert_fails(
                ek.encapsulate_derand(&[0u8; 31]),
                if c.derandomized_encaps {
                    INVALID
                } else {
                    UNSUPPORTED
                },
                &what,
            );

            assert_eq!(
                dk.to_tagged().unwrap(),
                before,
                "{what}: the key's encoding changed"
            );
            assert!(
                dk.decapsulate(&ct).unwrap().ct_eq(secret.expose()),
                "{what}: decapsulation changed"
            );
            let (ct2, secret2) = ek.encapsulate().unwrap();
            assert!(
                dk.decapsulate(&ct2).unwrap().ct_eq(secret2.expose()),
                "{what}"
            );
        }
    }

    // The MAC.
    let mac = mac_key();
    let before = mac.to_tagged().unwrap();
    let tag = mac.sign(MSG, b"ctx").unwrap();
    assert_fails(mac.sign(MSG, &long_ctx), INVALID, "mac");
    assert_fails(mac.verify(MSG, &long_ctx, &tag), INVALID, "mac");
    assert_fails(mac.verify(MSG, b"", &tag), VERIFY_FAILED, "mac");
    assert_fails(mac.public_key(), INVALID, "mac");
    assert_fails(mac.verify(MSG, b"", &ed.sig), INVALID, "mac");
    assert_eq!(mac.to_tagged().unwrap(), before);
    mac.verify(MSG, b"ctx", &tag).unwrap();
    assert_eq!(mac.sign(MSG, b"ctx").unwrap(), tag);
}
