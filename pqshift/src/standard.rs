//! Standard key encodings beside pqshift's tagged ones, for interop with
//! OpenSSL 3.5+, pyca/cryptography and anything else that speaks X.509 keys:
//! SubjectPublicKeyInfo (RFC 5280) for public keys, PKCS#8 / OneAsymmetricKey
//! (RFC 5208, RFC 5958) for secret keys, each as DER or PEM.
//!
//! | algorithm | OID | parameters |
//! | --- | --- | --- |
//! | `ed25519` | 1.3.101.112 (RFC 8410) | absent |
//! | `ml-dsa-44` / `-65` / `-87` | 2.16.840.1.101.3.4.3.17 / .18 / .19 (RFC 9881) | absent |
//! | `ml-kem-512` / `-768` / `-1024` | 2.16.840.1.101.3.4.4.1 / .2 / .3 (RFC 9935) | absent |
//!
//! The INSECURE placeholder `insecure-test-hmac-sha256` has no OID and no
//! standard encoding.
//!
//! ## What is inside the PKCS#8 `privateKey` OCTET STRING
//!
//! ```text
//! Ed25519 (RFC 8410):  CurvePrivateKey ::= OCTET STRING          -- 04 20 <32-byte seed>
//!
//! ML-DSA (RFC 9881):   ML-DSA-PrivateKey ::= CHOICE {
//!                        seed        [0] IMPLICIT OCTET STRING (SIZE (32)),   -- 80 20 <xi>
//!                        expandedKey OCTET STRING,                            -- 04 ... <sk>
//!                        both        SEQUENCE { seed OCTET STRING (SIZE (32)),
//!                                               expandedKey OCTET STRING } }
//!
//! ML-KEM (RFC 9935):   ML-KEM-PrivateKey ::= CHOICE {                         -- the same
//!                        seed        [0] IMPLICIT OCTET STRING (SIZE (64)),   -- 80 40 <d || z>
//!                        expandedKey OCTET STRING,
//!                        both        SEQUENCE { seed OCTET STRING (SIZE (64)),
//!                                               expandedKey OCTET STRING } }
//! ```
//!
//! pqshift writes the seed form (what pyca/cryptography and OpenSSL write by
//! default), as PKCS#8 v1 without the optional public key, which is all
//! pyca/cryptography 48 reads. It reads all three forms, v1 and v2 (whose
//! `publicKey [1]` is returned for the caller to check), and refuses
//! AlgorithmIdentifier parameters, which none of these algorithms has.
//!
//! ```
//! use pqshift::{AlgorithmId, PublicKey, SecretKey};
//!
//! let key = SecretKey::from_seed(AlgorithmId::Ed25519, &[7u8; 32], None)?;
//! let pem = key.public_key()?.to_pem()?; // what `openssl pkey -pubin` reads
//! assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
//! let public = PublicKey::from_pem(&pem, None)?;
//! let secret = SecretKey::from_pkcs8_pem(&key.to_pkcs8_pem()?, None)?;
//! public.verify(b"record", b"", &secret.sign(b"record", b"")?)?;
//!
//! // The pure layer needs no provider.
//! let der = pqshift::standard::spki_der(AlgorithmId::MlKem768, &[0u8; 1184])?;
//! assert_eq!(pqshift::standard::parse_spki_der(&der)?.0, AlgorithmId::MlKem768);
//! # Ok::<(), pqshift::Error>(())
//! ```
//!
//! This module's free functions are pure (no provider needed). The methods
//! that load keys through a provider ([`PublicKey::from_spki_der`],
//! [`SecretKey::from_pkcs8_der`], ...) are defined here too.
//!
//! Errors: malformed DER, PEM or base64, trailing data, wrong lengths and
//! present parameters are [`Error::InvalidInput`]; a well-formed key with an
//! OID pqshift does not know is [`Error::Unsupported`], naming the OID.
//! Secret bytes never appear in an error message or in `Debug`.

use std::fmt;

use der::asn1::{AnyRef, BitStringRef, ContextSpecific, OctetStringRef};
use der::oid::ObjectIdentifier;
use der::pem::LineEnding;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagMode, TagNumber, Tagged as _};
use pkcs8::PrivateKeyInfo;
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

use pqshift_provider_api::encoding::{MAGIC, TEXT_PREFIX};
use pqshift_provider_api::{AlgorithmId, AlgorithmKind, ErrorKind, SecretBytes};

use crate::keys::{DecapsulationKey, EncapsulationKey, PublicKey, SecretKey};
use crate::{Error, Result};

/// The PEM label of an SPKI public key.
pub const PEM_PUBLIC_KEY: &str = "PUBLIC KEY";
/// The PEM label of an unencrypted PKCS#8 private key.
pub const PEM_PRIVATE_KEY: &str = "PRIVATE KEY";

/// Which of the two PEM documents pqshift reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PemLabel {
    /// `-----BEGIN PUBLIC KEY-----`: a SubjectPublicKeyInfo.
    PublicKey,
    /// `-----BEGIN PRIVATE KEY-----`: an unencrypted PKCS#8 OneAsymmetricKey.
    PrivateKey,
}

impl PemLabel {
    /// The label text (`PUBLIC KEY`, `PRIVATE KEY`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PemLabel::PublicKey => PEM_PUBLIC_KEY,
            PemLabel::PrivateKey => PEM_PRIVATE_KEY,
        }
    }

    const fn describe(self) -> &'static str {
        match self {
            PemLabel::PublicKey => "public key",
            PemLabel::PrivateKey => "private key",
        }
    }
}

impl fmt::Display for PemLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------
// OIDs
// ---------------------------------------------------------------------------

/// The standard OID of `alg`; the placeholder has none.
pub fn oid(alg: AlgorithmId) -> Result<ObjectIdentifier> {
    let dotted = alg.oid().ok_or_else(|| {
        Error::invalid(format!(
            "{alg} has no OID, so it has no SPKI or PKCS#8 encoding; use pqshift's tagged encoding"
        ))
    })?;
    ObjectIdentifier::new(dotted)
        .map_err(|e| Error::Internal(format!("bad OID {dotted} in the algorithm table: {e}")))
}

/// The algorithm an OID names; an unknown OID is `Unsupported`, naming it.
pub fn algorithm_for_oid(oid: &ObjectIdentifier) -> Result<AlgorithmId> {
    let dotted = oid.to_string();
    AlgorithmId::ALL
        .into_iter()
        .find(|a| a.oid() == Some(dotted.as_str()))
        .ok_or_else(|| {
            Error::unsupported(format!(
                "unknown key algorithm OID {dotted}; pqshift reads {}",
                AlgorithmId::ALL
                    .into_iter()
                    .filter_map(|a| a.oid().map(|o| format!("{a} ({o})")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

fn algorithm_identifier(alg: AlgorithmId) -> Result<AlgorithmIdentifierRef<'static>> {
    Ok(AlgorithmIdentifierRef {
        oid: oid(alg)?,
        parameters: None,
    })
}

/// Checks an AlgorithmIdentifier: known OID, parameters absent.
fn check_algorithm_identifier(ai: &AlgorithmIdentifierRef<'_>, what: &str) -> Result<AlgorithmId> {
    let alg = algorithm_for_oid(&ai.oid)?;
    if let Some(p) = &ai.parameters {
        return Err(Error::invalid(format!(
            "{what}: the {alg} AlgorithmIdentifier must have absent parameters, found {} ({})",
            describe_tag(p.tag()),
            if p.is_null() {
                "an explicit NULL"
            } else {
                "unexpected parameters"
            }
        )));
    }
    Ok(alg)
}

fn describe_tag(tag: Tag) -> String {
    format!("a {tag} value")
}

fn der_error(what: &str, e: der::Error) -> Error {
    Error::invalid(format!("{what} is not valid DER: {e}"))
}

fn encode_error(what: &str, e: der::Error) -> Error {
    Error::Internal(format!("encoding {what} failed: {e}"))
}

fn check_signature_or_kem(alg: AlgorithmId) -> Result<()> {
    if alg.kind() == AlgorithmKind::Mac {
        return Err(Error::invalid(format!(
            "{alg} is a MAC: it has no public key and no standard encoding"
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// SubjectPublicKeyInfo
// ---------------------------------------------------------------------------

/// Encodes a bare standard public key of `alg` as SubjectPublicKeyInfo DER
/// (parameters absent, unused bits 0).
pub fn spki_der(alg: AlgorithmId, public_key_raw: &[u8]) -> Result<Vec<u8>> {
    let algorithm = algorithm_identifier(alg)?;
    check_signature_or_kem(alg)?;
    let expected = alg.sizes().public_key;
    if public_key_raw.len() != expected {
        return Err(Error::wrong_length(
            "public key",
            alg,
            expected,
            public_key_raw.len(),
        ));
    }
    let spki = SubjectPublicKeyInfoRef {
        algorithm,
        subject_public_key: BitStringRef::from_bytes(public_key_raw)
            .map_err(|e| encode_error("the SPKI public key", e))?,
    };
    spki.to_der()
        .map_err(|e| encode_error("SubjectPublicKeyInfo", e))
}

/// Parses SubjectPublicKeyInfo DER: the algorithm (known OID, parameters
/// absent) and the bare public key (exactly the algorithm's size, unused bits 0).
pub fn parse_spki_der(der: &[u8]) -> Result<(AlgorithmId, Vec<u8>)> {
    const WHAT: &str = "SubjectPublicKeyInfo";
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| der_error(WHAT, e))?;
    let alg = check_algorithm_identifier(&spki.algorithm, WHAT)?;
    let bits = &spki.subject_public_key;
    let raw = bits.as_bytes().ok_or_else(|| {
        Error::invalid(format!(
            "{WHAT}: the {alg} public key BIT STRING has {} unused bits; it must have 0",
            bits.unused_bits()
        ))
    })?;
    let expected = alg.sizes().public_key;
    if raw.len() != expected {
        return Err(Error::wrong_length(
            "public key (in SubjectPublicKeyInfo)",
            alg,
            expected,
            raw.len(),
        ));
    }
    Ok((alg, raw.to_vec()))
}

// ---------------------------------------------------------------------------
// PKCS#8
// ---------------------------------------------------------------------------

/// The secret material found in a PKCS#8 `privateKey`.
///
/// `Debug` shows only the form and the lengths; bytes are zeroized on drop.
#[derive(Clone, Debug)]
pub enum PrivateKeyMaterial {
    /// The seed form (Ed25519's 32-byte key, ML-DSA's xi, ML-KEM's d||z).
    Seed(SecretBytes),
    /// The expanded standard form only (FIPS 204 sk, FIPS 203 dk), marked as
    /// such: load it with `from_expanded`, which a provider may refuse.
    Expanded(SecretBytes),
    /// Both: the caller must check that the expanded key is the one derived
    /// from the seed (the facade does; a mismatch is an error).
    Both {
        /// The seed.
        seed: SecretBytes,
        /// The expanded key that claims to belong to the seed.
        expanded: SecretBytes,
    },
}

impl PrivateKeyMaterial {
    /// The seed, in the seed and both forms.
    pub fn seed(&self) -> Option<&SecretBytes> {
        match self {
            PrivateKeyMaterial::Seed(s) | PrivateKeyMaterial::Both { seed: s, .. } => Some(s),
            PrivateKeyMaterial::Expanded(_) => None,
        }
    }

    /// The expanded key, in the expanded and both forms.
    pub fn expanded(&self) -> Option<&SecretBytes> {
        match self {
            PrivateKeyMaterial::Expanded(e) | PrivateKeyMaterial::Both { expanded: e, .. } => {
                Some(e)
            }
            PrivateKeyMaterial::Seed(_) => None,
        }
    }

    /// `seed`, `expanded` or `both`: the name of the CHOICE alternative.
    pub fn form(&self) -> &'static str {
        match self {
            PrivateKeyMaterial::Seed(_) => "seed",
            PrivateKeyMaterial::Expanded(_) => "expanded",
            PrivateKeyMaterial::Both { .. } => "both",
        }
    }
}

/// Everything a PKCS#8 OneAsymmetricKey of a known algorithm says.
#[derive(Clone, Debug)]
pub struct Pkcs8Key {
    /// The algorithm (from the OID).
    pub algorithm: AlgorithmId,
    /// The secret material, in the form it was stored.
    pub material: PrivateKeyMaterial,
    /// The v2 `publicKey [1]`, when present (length already checked). The
    /// caller must check it matches the key derived from the material.
    pub public_key: Option<Vec<u8>>,
}

fn check_secret_len(alg: AlgorithmId, what: &str, expected: usize, got: usize) -> Result<()> {
    if got != expected {
        return Err(Error::wrong_length(what, alg, expected, got));
    }
    Ok(())
}

/// The `privateKey` OCTET STRING contents for a seed.
fn private_key_seed_value(alg: AlgorithmId, seed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    check_secret_len(alg, "seed", alg.sizes().seed, seed.len())?;
    let octets = OctetStringRef::new(seed).map_err(|e| encode_error("the seed", e))?;
    let der = match alg.kind() {
        // RFC 8410: CurvePrivateKey ::= OCTET STRING.
        AlgorithmKind::Signature if alg == AlgorithmId::Ed25519 => octets.to_der(),
        // RFC 9881 / RFC 9935: seed [0] IMPLICIT OCTET STRING.
        AlgorithmKind::Signature | AlgorithmKind::Kem => ContextSpecific {
            tag_number: TagNumber::N0,
            tag_mode: TagMode::Implicit,
            value: octets,
        }
        .to_der(),
        AlgorithmKind::Mac => return Err(Error::Internal("MAC key reached PKCS#8".into())),
    };
    Ok(Zeroizing::new(
        der.map_err(|e| encode_error("the private key", e))?,
    ))
}

fn wrap_pkcs8(alg: AlgorithmId, private_key: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let info = PrivateKeyInfo::new(algorithm_identifier(alg)?, private_key);
    Ok(Zeroizing::new(
        info.to_der().map_err(|e| encode_error("PKCS#8", e))?,
    ))
}

/// Encodes a secret key of `alg`, given its seed, as PKCS#8 v1 DER in the
/// seed form (see the module documentation for the exact structure).
pub fn pkcs8_der(alg: AlgorithmId, seed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    algorithm_identifier(alg)?;
    check_signature_or_kem(alg)?;
    let inner = private_key_seed_value(alg, seed)?;
    wrap_pkcs8(alg, &inner)
}

/// Encodes an ML-DSA or ML-KEM secret key given only in the expanded
/// standard form (keys from seedless backends) as PKCS#8 v1 DER with the
/// `expandedKey` alternative. Ed25519 has no expanded form: use [`pkcs8_der`].
pub fn pkcs8_der_expanded(alg: AlgorithmId, expanded: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    algorithm_identifier(alg)?;
    check_signature_or_kem(alg)?;
    if alg == AlgorithmId::Ed25519 {
        return Err(Error::invalid(
            "ed25519 has no expanded private-key form in PKCS#8 (RFC 8410 stores the 32-byte seed)",
        ));
    }
    check_secret_len(
        alg,
        "expanded secret key",
        alg.sizes().expanded_secret_key,
        expanded.len(),
    )?;
    let inner = Zeroizing::new(
        OctetStringRef::new(expanded)
            .and_then(|o| o.to_der())
            .map_err(|e| encode_error("the expanded key", e))?,
    );
    wrap_pkcs8(alg, &inner)
}

/// Parses PKCS#8 DER (v1 or v2): the algorithm and the secret material.
/// See [`parse_pkcs8_der_full`] for the v2 public key.
pub fn parse_pkcs8_der(der: &[u8]) -> Result<(AlgorithmId, PrivateKeyMaterial)> {
    let k = parse_pkcs8_der_full(der)?;
    Ok((k.algorithm, k.material))
}

/// Parses PKCS#8 DER (v1 or v2) completely: algorithm (known OID,
/// parameters absent), secret material (seed, expanded or both, each of the
/// algorithm's exact size), and the v2 public key when present.
pub fn parse_pkcs8_der_full(der: &[u8]) -> Result<Pkcs8Key> {
    const WHAT: &str = "PKCS#8 private key";
    let info = PrivateKeyInfo::from_der(der).map_err(|e| der_error(WHAT, e))?;
    let alg = check_algorithm_identifier(&info.algorithm, WHAT)?;
    let material = parse_private_key_value(alg, info.private_key)?;
    let public_key = match info.public_key {
        None => None,
        Some(pk) => {
            let expected = alg.sizes().public_key;
            if pk.len() != expected {
                return Err(Error::wrong_length(
                    "public key (in PKCS#8 v2)",
                    alg,
                    expected,
                    pk.len(),
                ));
            }
            Some(pk.to_vec())
        }
    };
    Ok(Pkcs8Key {
        algorithm: alg,
        material,
        public_key,
    })
}

/// Decodes the contents of the `privateKey` OCTET STRING.
fn parse_private_key_value(alg: AlgorithmId, value: &[u8]) -> Result<PrivateKeyMaterial> {
    let what = format!("{alg} privateKey");
    let sizes = alg.sizes();
    let any = AnyRef::from_der(value).map_err(|e| der_error(&what, e))?;
    let seed_tag = Tag::ContextSpecific {
        constructed: false,
        number: TagNumber::N0,
    };
    if alg == AlgorithmId::Ed25519 {
        // CurvePrivateKey ::= OCTET STRING
        if any.tag() != Tag::OctetString {
            return Err(Error::invalid(format!(
                "{what}: expected CurvePrivateKey (an OCTET STRING), found {}",
                describe_tag(any.tag())
            )));
        }
        check_secret_len(alg, "private key (seed)", sizes.seed, any.value().len())?;
        return Ok(PrivateKeyMaterial::Seed(SecretBytes::from_slice(
            any.value(),
        )));
    }
    match any.tag() {
        t if t == seed_tag => {
            check_secret_len(alg, "private key seed", sizes.seed, any.value().len())?;
            Ok(PrivateKeyMaterial::Seed(SecretBytes::from_slice(
                any.value(),
            )))
        }
        Tag::OctetString => {
            check_secret_len(
                alg,
                "expanded private key",
                sizes.expanded_secret_key,
                any.value().len(),
            )?;
            Ok(PrivateKeyMaterial::Expanded(SecretBytes::from_slice(
                any.value(),
            )))
        }
        Tag::Sequence => {
            let mut r = SliceReader::new(any.value()).map_err(|e| der_error(&what, e))?;
            let (seed, expanded) = (|| -> der::Result<(&[u8], &[u8])> {
                let seed = OctetStringRef::decode(&mut r)?.as_bytes();
                let expanded = OctetStringRef::decode(&mut r)?.as_bytes();
                r.finish((seed, expanded))
            })()
            .map_err(|e| der_error(&format!("{what} (the \"both\" SEQUENCE)"), e))?;
            check_secret_len(alg, "private key seed", sizes.seed, seed.len())?;
            check_secret_len(
                alg,
                "expanded private key",
                sizes.expanded_secret_key,
                expanded.len(),
            )?;
            Ok(PrivateKeyMaterial::Both {
                seed: SecretBytes::from_slice(seed),
                expanded: SecretBytes::from_slice(expanded),
            })
        }
        other => Err(Error::invalid(format!(
            "{what}: expected seed [0], expandedKey OCTET STRING or both SEQUENCE, found {}",
            describe_tag(other)
        ))),
    }
}

// ---------------------------------------------------------------------------
// PEM
// ---------------------------------------------------------------------------

/// Wraps DER in PEM with `label` (64-column base64, LF line endings).
/// Zeroized on drop, since private keys pass through it.
pub fn to_pem(label: PemLabel, der: &[u8]) -> Result<Zeroizing<String>> {
    der::pem::encode_string(label.as_str(), LineEnding::LF, der)
        .map(Zeroizing::new)
        .map_err(|e| Error::Internal(format!("PEM encoding failed: {e}")))
}

/// Unwraps a PEM document whose label must be `expected`. Surrounding white
/// space is ignored; a wrong label, bad base64 or malformed boundaries are
/// `InvalidInput`. The DER is zeroized on drop.
pub fn parse_pem(expected: PemLabel, pem: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let text = trim_ascii(pem);
    // Clear messages for the common mistakes before the decoder's own.
    if !text.starts_with(b"-----BEGIN ") {
        return Err(Error::invalid(format!(
            "not a PEM {}: it must start with \"-----BEGIN {}-----\"",
            expected.describe(),
            expected.as_str()
        )));
    }
    if !text.ends_with(b"-----") {
        return Err(Error::invalid(format!(
            "malformed PEM {}: it must end with its \"-----END {}-----\" line (is something after it, or is it cut short?)",
            expected.describe(),
            expected.as_str()
        )));
    }
    let label = der::pem::decode_label(text).map_err(|e| {
        Error::invalid(format!(
            "not a PEM {} (\"-----BEGIN {}-----\"): {e}",
            expected.describe(),
            expected.as_str()
        ))
    })?;
    if label != expected.as_str() {
        let hint = match (expected, label) {
            (PemLabel::PublicKey, PEM_PRIVATE_KEY) => {
                ": a PRIVATE KEY was given where a PUBLIC KEY is expected"
            }
            (PemLabel::PrivateKey, PEM_PUBLIC_KEY) => {
                ": a PUBLIC KEY was given where a PRIVATE KEY is expected"
            }
            (PemLabel::PrivateKey, "ENCRYPTED PRIVATE KEY") => {
                ": encrypted PKCS#8 is not supported; decrypt it first"
            }
            _ => "",
        };
        return Err(Error::invalid(format!(
            "expected a PEM \"{expected}\", got a PEM \"{}\"{hint}",
            label.escape_default()
        )));
    }
    let (_, der) = der::pem::decode_vec(text).map_err(|e| {
        Error::invalid(format!(
            "malformed PEM {} (bad boundaries or base64): {e}",
            expected.describe()
        ))
    })?;
    Ok(Zeroizing::new(der))
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &b[start..end]
}

/// SPKI PEM (`PUBLIC KEY`) of a bare standard public key.
pub fn spki_pem(alg: AlgorithmId, public_key_raw: &[u8]) -> Result<String> {
    Ok(to_pem(PemLabel::PublicKey, &spki_der(alg, public_key_raw)?)?.to_string())
}

/// Parses SPKI PEM (`PUBLIC KEY`); see [`parse_spki_der`].
pub fn parse_spki_pem(pem: &[u8]) -> Result<(AlgorithmId, Vec<u8>)> {
    parse_spki_der(&parse_pem(PemLabel::PublicKey, pem)?)
}

/// PKCS#8 PEM (`PRIVATE KEY`), seed form; see [`pkcs8_der`].
pub fn pkcs8_pem(alg: AlgorithmId, seed: &[u8]) -> Result<Zeroizing<String>> {
    to_pem(PemLabel::PrivateKey, &pkcs8_der(alg, seed)?)
}

/// Parses PKCS#8 PEM (`PRIVATE KEY`); see [`parse_pkcs8_der_full`].
pub fn parse_pkcs8_pem(pem: &[u8]) -> Result<Pkcs8Key> {
    parse_pkcs8_der_full(&parse_pem(PemLabel::PrivateKey, pem)?)
}

// ---------------------------------------------------------------------------
// Facade: loading through providers
// ---------------------------------------------------------------------------

fn check_v2_public_key(alg: AlgorithmId, stated: Option<&[u8]>, derived: &[u8]) -> Result<()> {
    match stated {
        Some(pk) if pk != derived => Err(Error::invalid(format!(
            "{alg} PKCS#8 v2 publicKey does not match the public key derived from the private key"
        ))),
        _ => Ok(()),
    }
}

fn mismatch(alg: AlgorithmId) -> Error {
    Error::invalid(format!(
        "{alg} PKCS#8 \"both\" form: the expanded key does not match the one derived from the seed"
    ))
}

/// The cheap structural checks of an expanded key against the public key
/// derived from the seed, for providers that cannot export their expanded
/// key: ML-DSA sk starts with rho = pk[0..32]; ML-KEM dk embeds ek and ends
/// with z = seed[32..64].
fn expanded_structurally_matches(
    alg: AlgorithmId,
    seed: &[u8],
    expanded: &[u8],
    public_key: &[u8],
) -> bool {
    match alg.kind() {
        AlgorithmKind::Signature if alg != AlgorithmId::Ed25519 => {
            expanded.get(..32) == public_key.get(..32)
        }
        AlgorithmKind::Kem => {
            let n = public_key.len();
            let off = expanded.len().saturating_sub(n + 64);
            expanded.get(off..off + n) == Some(public_key)
                && pqshift_provider_api::ct_eq(
                    expanded
                        .get(expanded.len().saturating_sub(32)..)
                        .unwrap_or(&[]),
                    seed.get(32..).unwrap_or(&[1]),
                )
        }
        _ => true,
    }
}

impl PublicKey {
    /// SubjectPublicKeyInfo DER.
    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        spki_der(self.algorithm(), self.as_raw())
    }

    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn to_pem(&self) -> Result<String> {
        spki_pem(self.algorithm(), self.as_raw())
    }

    /// Parses SubjectPublicKeyInfo DER of a signature algorithm and loads it
    /// through `provider` (or the preferred one).
    pub fn from_spki_der(der: &[u8], provider: Option<&str>) -> Result<Self> {
        let (alg, raw) = parse_spki_der(der)?;
        if alg.kind() == AlgorithmKind::Kem {
            return Err(Error::invalid(format!(
                "this SubjectPublicKeyInfo holds a {alg} key, a KEM: load it as an EncapsulationKey"
            )));
        }
        PublicKey::from_raw(alg, &raw, provider)
    }

    /// Parses SubjectPublicKeyInfo PEM (`PUBLIC KEY`).
    pub fn from_pem(pem: &str, provider: Option<&str>) -> Result<Self> {
        Self::from_spki_der(&parse_pem(PemLabel::PublicKey, pem.as_bytes())?, provider)
    }
}

impl EncapsulationKey {
    /// SubjectPublicKeyInfo DER.
    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        spki_der(self.algorithm(), self.as_raw())
    }

    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn to_spki_pem(&self) -> Result<String> {
        spki_pem(self.algorithm(), self.as_raw())
    }

    /// Parses SubjectPublicKeyInfo DER of a KEM and loads it.
    pub fn from_spki_der(der: &[u8], provider: Option<&str>) -> Result<Self> {
        let (alg, raw) = parse_spki_der(der)?;
        if alg.kind() != AlgorithmKind::Kem {
            return Err(Error::invalid(format!(
                "this SubjectPublicKeyInfo holds a {alg} key, not a KEM key: load it as a PublicKey"
            )));
        }
        EncapsulationKey::from_raw(alg, &raw, provider)
    }

    /// Parses SubjectPublicKeyInfo PEM (`PUBLIC KEY`) of a KEM.
    pub fn from_spki_pem(pem: &str, provider: Option<&str>) -> Result<Self> {
        Self::from_spki_der(&parse_pem(PemLabel::PublicKey, pem.as_bytes())?, provider)
    }
}

impl SecretKey {
    /// PKCS#8 v1 DER: the seed form, or, for a key whose provider keeps no
    /// seed, the `expandedKey` form. The placeholder has no OID: an error.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let alg = self.algorithm();
        oid(alg)?;
        match (self.seed(), self.expanded_secret_key()) {
            (Some(seed), _) => pkcs8_der(alg, seed.expose()),
            (None, Some(expanded)) => pkcs8_der_expanded(alg, expanded.expose()),
            (None, None) => Err(Error::unsupported(format!(
                "provider {} can export neither a seed nor an expanded key for this {alg} key",
                self.provider().id
            ))),
        }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`); see [`SecretKey::to_pkcs8_der`].
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        to_pem(PemLabel::PrivateKey, &self.to_pkcs8_der()?)
    }

    /// Loads a signing key from PKCS#8 DER (v1 or v2).
    ///
    /// - seed form: loaded from the seed;
    /// - expanded form: loaded with [`SecretKey::from_expanded`] (a provider
    ///   may refuse that with `Unsupported`);
    /// - both: loaded from the seed, then the stored expanded key must equal
    ///   the provider's. If the provider cannot export its expanded key, the
    ///   cheap structural checks are made (ML-DSA: rho is the public key's
    ///   first 32 bytes) and the v2 public key, when present, must match;
    ///   beyond that the seed is trusted. A provider that takes no seed
    ///   (`Unsupported`) loads the expanded key instead, with the same
    ///   structural checks (for ML-DSA they cannot tie it to the seed).
    ///
    /// A v2 `publicKey` must always equal the derived public key. Any mismatch
    /// is `InvalidInput`.
    pub fn from_pkcs8_der(der: &[u8], provider: Option<&str>) -> Result<Self> {
        let k = parse_pkcs8_der_full(der)?;
        let alg = k.algorithm;
        if alg.kind() == AlgorithmKind::Kem {
            return Err(Error::invalid(format!(
                "this PKCS#8 key is a {alg} key, a KEM: load it as a DecapsulationKey"
            )));
        }
        let key = match &k.material {
            PrivateKeyMaterial::Seed(seed) => SecretKey::from_seed(alg, seed.expose(), provider)?,
            PrivateKeyMaterial::Expanded(e) => SecretKey::from_expanded(alg, e.expose(), provider)?,
            PrivateKeyMaterial::Both { seed, expanded } => {
                let (key, own) = match SecretKey::from_seed(alg, seed.expose(), provider) {
                    Ok(key) => {
                        let own = key.expanded_secret_key().cloned();
                        (key, own)
                    }
                    // A provider that takes no seed loads the expanded key.
                    Err(e) if e.kind() == ErrorKind::Unsupported => (
                        SecretKey::from_expanded(alg, expanded.expose(), provider)?,
                        None,
                    ),
                    Err(e) => return Err(e),
                };
                let ok = match own {
                    Some(own) => own.ct_eq(expanded.expose()),
                    None => expanded_structurally_matches(
                        alg,
                        seed.expose(),
                        expanded.expose(),
                        key.public_key()?.as_raw(),
                    ),
                };
                if !ok {
                    return Err(mismatch(alg));
                }
                key
            }
        };
        check_v2_public_key(alg, k.public_key.as_deref(), key.public_key()?.as_raw())?;
        Ok(key)
    }

    /// Loads a signing key from PKCS#8 PEM (`PRIVATE KEY`).
    pub fn from_pkcs8_pem(pem: &str, provider: Option<&str>) -> Result<Self> {
        Self::from_pkcs8_der(&parse_pem(PemLabel::PrivateKey, pem.as_bytes())?, provider)
    }
}

impl DecapsulationKey {
    /// PKCS#8 v1 DER: the seed form (d||z), or the `expandedKey` form for a
    /// provider that keeps no seed.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let alg = self.algorithm();
        match (self.seed(), self.expanded_secret_key()) {
            (Some(seed), _) => pkcs8_der(alg, seed.expose()),
            (None, Some(expanded)) => pkcs8_der_expanded(alg, expanded.expose()),
            (None, None) => Err(Error::unsupported(format!(
                "provider {} can export neither a seed nor an expanded key for this {alg} key",
                self.provider().id
            ))),
        }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>> {
        to_pem(PemLabel::PrivateKey, &self.to_pkcs8_der()?)
    }

    /// Loads a decapsulation key from PKCS#8 DER; the same rules as
    /// [`SecretKey::from_pkcs8_der`] (for ML-KEM, the structural check of a
    /// `both` form is: dk embeds the seed-derived ek and ends with z).
    pub fn from_pkcs8_der(der: &[u8], provider: Option<&str>) -> Result<Self> {
        let k = parse_pkcs8_der_full(der)?;
        let alg = k.algorithm;
        if alg.kind() != AlgorithmKind::Kem {
            return Err(Error::invalid(format!(
                "this PKCS#8 key is a {alg} key, not a KEM key: load it as a SecretKey"
            )));
        }
        let key = match &k.material {
            PrivateKeyMaterial::Seed(seed) => {
                DecapsulationKey::from_seed(alg, seed.expose(), provider)?
            }
            PrivateKeyMaterial::Expanded(e) => {
                DecapsulationKey::from_expanded(alg, e.expose(), provider)?
            }
            PrivateKeyMaterial::Both { seed, expanded } => {
                let (key, own) = match DecapsulationKey::from_seed(alg, seed.expose(), provider) {
                    Ok(key) => {
                        let own = key.expanded_secret_key().cloned();
                        (key, own)
                    }
                    Err(e) if e.kind() == ErrorKind::Unsupported => (
                        DecapsulationKey::from_expanded(alg, expanded.expose(), provider)?,
                        None,
                    ),
                    Err(e) => return Err(e),
                };
                let ok = match own {
                    Some(own) => own.ct_eq(expanded.expose()),
                    None => expanded_structurally_matches(
                        alg,
                        seed.expose(),
                        expanded.expose(),
                        key.encapsulation_key()?.as_raw(),
                    ),
                };
                if !ok {
                    return Err(mismatch(alg));
                }
                key
            }
        };
        check_v2_public_key(
            alg,
            k.public_key.as_deref(),
            key.encapsulation_key()?.as_raw(),
        )?;
        Ok(key)
    }

    /// Loads a decapsulation key from PKCS#8 PEM (`PRIVATE KEY`).
    pub fn from_pkcs8_pem(pem: &str, provider: Option<&str>) -> Result<Self> {
        Self::from_pkcs8_der(&parse_pem(PemLabel::PrivateKey, pem.as_bytes())?, provider)
    }
}

// ---------------------------------------------------------------------------
// Any-form decoding, for the CLI
// ---------------------------------------------------------------------------

/// The encodings a key file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// pqshift's tagged binary (`PQSH...`) or text (`pqshift1:...`) form.
    Tagged,
    /// PEM (`-----BEGIN ...`).
    Pem,
    /// DER (starts with a SEQUENCE).
    Der,
}

/// Guesses the format of a key file from its first bytes (never from its
/// length); `None` when it is none of them.
pub fn detect_format(data: &[u8]) -> Option<KeyFormat> {
    let t = trim_ascii(data);
    if data.starts_with(MAGIC) || t.starts_with(TEXT_PREFIX.as_bytes()) {
        Some(KeyFormat::Tagged)
    } else if t.starts_with(b"-----BEGIN ") {
        Some(KeyFormat::Pem)
    } else if data.first() == Some(&0x30) {
        Some(KeyFormat::Der)
    } else {
        None
    }
}

fn unknown_format(what: &str, standard: &str) -> Error {
    Error::invalid(format!(
        "not a {what} in any form pqshift reads (tagged pqshift binary \"PQSH\" or text \"pqshift1:\", {standard} PEM, {standard} DER)"
    ))
}

/// Decodes a public key (signature algorithm) given as tagged binary/text,
/// SPKI PEM or SPKI DER.
pub fn decode_public_key_any(data: &[u8], provider: Option<&str>) -> Result<PublicKey> {
    match detect_format(data) {
        Some(KeyFormat::Tagged) => PublicKey::decode(data, provider),
        Some(KeyFormat::Pem) => {
            PublicKey::from_spki_der(&parse_pem(PemLabel::PublicKey, data)?, provider)
        }
        Some(KeyFormat::Der) => PublicKey::from_spki_der(data, provider),
        None => Err(unknown_format("public key", "SPKI")),
    }
}

/// Decodes a secret key (signature algorithm or MAC) given as tagged
/// binary/text, PKCS#8 PEM or PKCS#8 DER.
pub fn decode_secret_key_any(data: &[u8], provider: Option<&str>) -> Result<SecretKey> {
    match detect_format(data) {
        Some(KeyFormat::Tagged) => SecretKey::decode(data, provider),
        Some(KeyFormat::Pem) => {
            SecretKey::from_pkcs8_der(&parse_pem(PemLabel::PrivateKey, data)?, provider)
        }
        Some(KeyFormat::Der) => SecretKey::from_pkcs8_der(data, provider),
        None => Err(unknown_format("secret key", "PKCS#8")),
    }
}

/// Decodes a KEM encapsulation key given as tagged binary/text, SPKI PEM or SPKI DER.
pub fn decode_encapsulation_key_any(
    data: &[u8],
    provider: Option<&str>,
) -> Result<EncapsulationKey> {
    match detect_format(data) {
        Some(KeyFormat::Tagged) => EncapsulationKey::decode(data, provider),
        Some(KeyFormat::Pem) => {
            EncapsulationKey::from_spki_der(&parse_pem(PemLabel::PublicKey, data)?, provider)
        }
        Some(KeyFormat::Der) => EncapsulationKey::from_spki_der(data, provider),
        None => Err(unknown_format("KEM encapsulation key", "SPKI")),
    }
}

/// Decodes a KEM decapsulation key given as tagged binary/text, PKCS#8 PEM or PKCS#8 DER.
pub fn decode_decapsulation_key_any(
    data: &[u8],
    provider: Option<&str>,
) -> Result<DecapsulationKey> {
    match detect_format(data) {
        Some(KeyFormat::Tagged) => DecapsulationKey::decode(data, provider),
        Some(KeyFormat::Pem) => {
            DecapsulationKey::from_pkcs8_der(&parse_pem(PemLabel::PrivateKey, data)?, provider)
        }
        Some(KeyFormat::Der) => DecapsulationKey::from_pkcs8_der(data, provider),
        None => Err(unknown_format("KEM decapsulation key", "PKCS#8")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_parse_and_round_trip() {
        for alg in AlgorithmId::ALL {
            match alg.oid() {
                Some(o) => {
                    let oid = oid(alg).unwrap();
                    assert_eq!(oid.to_string(), o);
                    assert_eq!(algorithm_for_oid(&oid).unwrap(), alg);
                }
                None => {
                    let e = oid(alg).unwrap_err();
                    assert!(e.to_string().contains("no OID"), "{e}");
                }
            }
        }
    }

    #[test]
    fn seed_form_bytes_are_as_documented() {
        let der = pkcs8_der(AlgorithmId::MlDsa65, &[7; 32]).unwrap();
        // SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { [0] 32 bytes } }
        let mut want =
            hex::decode("3034020100300b0609608648016503040312042280 20".replace(' ', "")).unwrap();
        want.extend_from_slice(&[7; 32]);
        assert_eq!(&der[..], &want[..]);
        let der = pkcs8_der(AlgorithmId::Ed25519, &[0; 32]).unwrap();
        let mut want = hex::decode("302e020100300506032b657004220420").unwrap();
        want.extend_from_slice(&[0; 32]);
        assert_eq!(&der[..], &want[..]);
    }

    #[test]
    fn structural_check_catches_foreign_expanded_keys() {
        let pk = [9u8; 800];
        let seed = [3u8; 64];
        let mut dk = vec![0u8; 1632];
        dk[768..1568].copy_from_slice(&pk);
        dk[1600..].copy_from_slice(&seed[32..]);
        assert!(expanded_structurally_matches(
            AlgorithmId::MlKem512,
            &seed,
            &dk,
            &pk
        ));
        dk[1631] ^= 1;
        assert!(!expanded_structurally_matches(
            AlgorithmId::MlKem512,
            &seed,
            &dk,
            &pk
        ));
        let mut sk = vec![0u8; 2560];
        let pk = [5u8; 1312];
        sk[..32].copy_from_slice(&pk[..32]);
        assert!(expanded_structurally_matches(
            AlgorithmId::MlDsa44,
            &[0; 32],
            &sk,
            &pk
        ));
        sk[0] ^= 1;
        assert!(!expanded_structurally_matches(
            AlgorithmId::MlDsa44,
            &[0; 32],
            &sk,
            &pk
        ));
    }
}
