//! Tagged, versioned encodings: every key, signature and ciphertext that
//! leaves pqshift says which algorithm it belongs to.
//!
//! Binary form (version 1):
//!
//! ```text
//! offset  size  field
//! 0       4     magic "PQSH"
//! 4       1     format version = 1
//! 5       1     object kind: 1 public key, 2 secret key (seed), 3 signature,
//!               4 ciphertext, 5 secret key (expanded standard form)
//! 6       1     n = length of the algorithm ID
//! 7       n     canonical algorithm ID, ASCII (`ml-dsa-65`)
//! 7+n     32    key fingerprint (kinds 1, 2 and 5 only)
//! ...     rest  payload: the standard encoding, exactly the algorithm's size
//! ```
//!
//! Text form, one line, for files and JSON:
//!
//! ```text
//! pqshift1:<kind>:<algorithm>[:<fingerprint hex>]:<payload, base64url without padding>
//! ```
//!
//! with kind `pub`, `sec`, `sig`, `ct` or `sec-expanded`, and the
//! fingerprint present exactly for keys. Decoding checks the version, the
//! algorithm, the kind and the payload length, and never guesses.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{AlgorithmId, AlgorithmKind, Error, Result};

/// Magic bytes at the start of the binary form.
pub const MAGIC: &[u8; 4] = b"PQSH";
/// The format version written.
pub const VERSION: u8 = 1;
/// Prefix of the text form.
pub const TEXT_PREFIX: &str = "pqshift1:";
/// Length of a key fingerprint.
pub const FINGERPRINT_LEN: usize = 32;

/// What a tagged object holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ObjectKind {
    /// A public key (ML-KEM: encapsulation key).
    PublicKey = 1,
    /// A secret key in seed form.
    SecretSeed = 2,
    /// A signature or MAC tag.
    Signature = 3,
    /// A KEM ciphertext.
    Ciphertext = 4,
    /// A secret key in the standard expanded form (for backends that take no seed).
    SecretExpanded = 5,
}

impl ObjectKind {
    /// The text-form token.
    pub const fn as_str(self) -> &'static str {
        match self {
            ObjectKind::PublicKey => "pub",
            ObjectKind::SecretSeed => "sec",
            ObjectKind::Signature => "sig",
            ObjectKind::Ciphertext => "ct",
            ObjectKind::SecretExpanded => "sec-expanded",
        }
    }

    /// Words for error messages.
    pub const fn describe(self) -> &'static str {
        match self {
            ObjectKind::PublicKey => "public key",
            ObjectKind::SecretSeed => "secret key (seed)",
            ObjectKind::Signature => "signature",
            ObjectKind::Ciphertext => "ciphertext",
            ObjectKind::SecretExpanded => "secret key (expanded)",
        }
    }

    fn from_byte(b: u8) -> Result<Self> {
        Ok(match b {
            1 => ObjectKind::PublicKey,
            2 => ObjectKind::SecretSeed,
            3 => ObjectKind::Signature,
            4 => ObjectKind::Ciphertext,
            5 => ObjectKind::SecretExpanded,
            _ => return Err(Error::invalid(format!("unknown tagged object kind {b}"))),
        })
    }

    fn from_token(t: &str) -> Result<Self> {
        Ok(match t {
            "pub" => ObjectKind::PublicKey,
            "sec" => ObjectKind::SecretSeed,
            "sig" => ObjectKind::Signature,
            "ct" => ObjectKind::Ciphertext,
            "sec-expanded" => ObjectKind::SecretExpanded,
            _ => return Err(Error::invalid(format!("unknown tagged object kind {t:?}"))),
        })
    }

    /// True for secret material.
    pub const fn is_secret(self) -> bool {
        matches!(self, ObjectKind::SecretSeed | ObjectKind::SecretExpanded)
    }

    /// True for keys (which carry a fingerprint).
    pub const fn is_key(self) -> bool {
        matches!(
            self,
            ObjectKind::PublicKey | ObjectKind::SecretSeed | ObjectKind::SecretExpanded
        )
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// The payload size an algorithm requires for a kind, or an error when the
/// kind does not exist for the algorithm.
pub fn payload_len(alg: AlgorithmId, kind: ObjectKind) -> Result<usize> {
    let s = alg.sizes();
    let len = match (kind, alg.kind()) {
        (ObjectKind::PublicKey, AlgorithmKind::Mac) => 0,
        (ObjectKind::PublicKey, _) => s.public_key,
        (ObjectKind::SecretSeed, _) => s.seed,
        (ObjectKind::SecretExpanded, _) => s.expanded_secret_key,
        (ObjectKind::Signature, AlgorithmKind::Kem) => 0,
        (ObjectKind::Signature, _) => s.signature,
        (ObjectKind::Ciphertext, AlgorithmKind::Kem) => s.ciphertext,
        (ObjectKind::Ciphertext, _) => 0,
    };
    if len == 0 {
        return Err(Error::invalid(format!(
            "{alg} has no {}{}",
            kind.describe(),
            if alg.kind() == AlgorithmKind::Mac && kind == ObjectKind::PublicKey {
                " (it is a MAC: verification needs the secret key)"
            } else {
                ""
            }
        )));
    }
    Ok(len)
}

/// The fingerprint of a key: SHA-256 over a domain label, the algorithm ID
/// and the public key (for a MAC, the key itself, since it has no public key).
pub fn fingerprint(alg: AlgorithmId, public_material: &[u8]) -> [u8; FINGERPRINT_LEN] {
    let mut h = Sha256::new();
    h.update(b"pqshift-key-fingerprint-v1\0");
    h.update(alg.as_str().as_bytes());
    h.update([0u8]);
    h.update(public_material);
    h.finalize().into()
}

/// A decoded tagged object. Secret payloads are zeroized on drop and never
/// shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Tagged {
    kind: ObjectKind,
    algorithm: AlgorithmId,
    fingerprint: Option<[u8; FINGERPRINT_LEN]>,
    payload: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for Tagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Tagged");
        d.field("kind", &self.kind)
            .field("algorithm", &self.algorithm);
        if let Some(fp) = &self.fingerprint {
            d.field("fingerprint", &hex::encode(fp));
        }
        if self.kind.is_secret() {
            d.field(
                "payload",
                &format_args!("[REDACTED; {} bytes]", self.payload.len()),
            );
        } else {
            d.field("payload_len", &self.payload.len());
        }
        d.finish()
    }
}

impl Tagged {
    /// Builds a tagged object, checking the payload length. Keys need a fingerprint.
    pub fn new(
        kind: ObjectKind,
        algorithm: AlgorithmId,
        fingerprint: Option<[u8; FINGERPRINT_LEN]>,
        payload: &[u8],
    ) -> Result<Self> {
        let expected = payload_len(algorithm, kind)?;
        if payload.len() != expected {
            return Err(Error::wrong_length(
                kind.describe(),
                algorithm,
                expected,
                payload.len(),
            ));
        }
        if kind.is_key() != fingerprint.is_some() {
            return Err(Error::Internal(format!(
                "a tagged {} {} a fingerprint",
                kind.describe(),
                if kind.is_key() { "needs" } else { "takes no" }
            )));
        }
        Ok(Tagged {
            kind,
            algorithm,
            fingerprint,
            payload: Zeroizing::new(payload.to_vec()),
        })
    }

    /// What this object holds.
    pub fn kind(&self) -> ObjectKind {
        self.kind
    }

    /// Its algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The key fingerprint (keys only).
    pub fn fingerprint(&self) -> Option<&[u8; FINGERPRINT_LEN]> {
        self.fingerprint.as_ref()
    }

    /// The standard encoding inside.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Errors unless this is a `kind` (and, when given, of `alg`).
    pub fn expect(&self, kind: ObjectKind, alg: Option<AlgorithmId>) -> Result<&Self> {
        if self.kind != kind {
            return Err(Error::invalid(format!(
                "expected a tagged {}, got a {} ({})",
                kind.describe(),
                self.kind.describe(),
                self.algorithm
            )));
        }
        if let Some(a) = alg {
            if a != self.algorithm {
                return Err(Error::invalid(format!(
                    "algorithm mismatch: expected a {a} {}, got a {} {}",
                    kind.describe(),
                    self.algorithm,
                    self.kind.describe()
                )));
            }
        }
        Ok(self)
    }

    /// The binary form.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let id = self.algorithm.as_str().as_bytes();
        let mut out = Vec::with_capacity(7 + id.len() + FINGERPRINT_LEN + self.payload.len());
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(self.kind as u8);
        out.push(id.len() as u8);
        out.extend_from_slice(id);
        if let Some(fp) = &self.fingerprint {
            out.extend_from_slice(fp);
        }
        out.extend_from_slice(&self.payload);
        Zeroizing::new(out)
    }

    /// The one-line text form.
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut s = String::with_capacity(TEXT_PREFIX.len() + 96 + self.payload.len() * 4 / 3);
        s.push_str(TEXT_PREFIX);
        s.push_str(self.kind.as_str());
        s.push(':');
        s.push_str(self.algorithm.as_str());
        s.push(':');
        if let Some(fp) = &self.fingerprint {
            s.push_str(&hex::encode(fp));
            s.push(':');
        }
        URL_SAFE_NO_PAD.encode_string(&*self.payload, &mut s);
        Zeroizing::new(s)
    }

    /// Decodes the binary form.
    pub fn from_bytes(data: &[u8]) -> Result<Self> {
        let rest = data.strip_prefix(MAGIC.as_slice()).ok_or_else(|| {
            Error::invalid("not a tagged pqshift object (magic \"PQSH\" missing)")
        })?;
        let (&version, rest) = rest
            .split_first()
            .ok_or_else(|| Error::invalid("tagged object truncated before its version"))?;
        if version != VERSION {
            return Err(Error::invalid(format!(
                "tagged object format version {version} is not supported (this build reads version {VERSION})"
            )));
        }
        let (&kind, rest) = rest
            .split_first()
            .ok_or_else(|| Error::invalid("tagged object truncated before its kind"))?;
        let kind = ObjectKind::from_byte(kind)?;
        let (&n, rest) = rest
            .split_first()
            .ok_or_else(|| Error::invalid("tagged object truncated before its algorithm"))?;
        let n = usize::from(n);
        if rest.len() < n {
            return Err(Error::invalid(
                "tagged object truncated inside its algorithm ID",
            ));
        }
        let (id, rest) = rest.split_at(n);
        let id = std::str::from_utf8(id)
            .map_err(|_| Error::invalid("tagged object algorithm ID is not ASCII"))?;
        let algorithm = canonical(id)?;
        let (fingerprint, payload) = if kind.is_key() {
            if rest.len() < FINGERPRINT_LEN {
                return Err(Error::invalid(
                    "tagged key truncated inside its fingerprint",
                ));
            }
            let (fp, payload) = rest.split_at(FINGERPRINT_LEN);
            let mut f = [0u8; FINGERPRINT_LEN];
            f.copy_from_slice(fp);
            (Some(f), payload)
        } else {
            (None, rest)
        };
        Tagged::new(kind, algorithm, fingerprint, payload)
    }

    /// Decodes the text form (surrounding white space is ignored).
    pub fn from_text(text: &str) -> Result<Self> {
        let body = text.trim().strip_prefix(TEXT_PREFIX).ok_or_else(|| {
            Error::invalid(format!(
                "not a tagged pqshift text object (it must start with {TEXT_PREFIX:?})"
            ))
        })?;
        let parts: Vec<&str> = body.split(':').collect();
        let (kind, alg) = match parts.as_slice() {
            [k, a, ..] => (ObjectKind::from_token(k)?, canonical(a)?),
            _ => return Err(Error::invalid("tagged text object has too few fields")),
        };
        let (fp, payload) = match (kind.is_key(), parts.as_slice()) {
            (true, [_, _, fp, p]) => {
                // Lower-case hex only, as written: one key, one spelling.
                if !fp.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
                    return Err(Error::invalid(
                        "tagged key fingerprint must be lower-case hex",
                    ));
                }
                let raw = hex::decode(fp)
                    .map_err(|_| Error::invalid("tagged key fingerprint is not hex"))?;
                let f: [u8; FINGERPRINT_LEN] = raw.try_into().map_err(|_| {
                    Error::invalid(format!(
                        "tagged key fingerprint must be {FINGERPRINT_LEN} bytes"
                    ))
                })?;
                (Some(f), *p)
            }
            (false, [_, _, p]) => (None, *p),
            _ => {
                return Err(Error::invalid(format!(
                    "tagged text {} must have {} fields",
                    kind.describe(),
                    if kind.is_key() { 4 } else { 3 }
                )))
            }
        };
        let bytes =
            Zeroizing::new(URL_SAFE_NO_PAD.decode(payload).map_err(|e| {
                Error::invalid(format!("tagged text payload is not base64url: {e}"))
            })?);
        Tagged::new(kind, alg, fp, &bytes)
    }

    /// Decodes either form: binary when it starts with the magic, else text.
    pub fn decode(data: &[u8]) -> Result<Self> {
        if data.starts_with(MAGIC) {
            return Tagged::from_bytes(data);
        }
        match std::str::from_utf8(data) {
            Ok(s) if s.trim_start().starts_with(TEXT_PREFIX) => Tagged::from_text(s),
            _ => Err(Error::invalid(
                "not a tagged pqshift object (neither the binary \"PQSH\" form nor the \"pqshift1:\" text form)",
            )),
        }
    }
}

/// Only canonical IDs are accepted inside encodings; aliases are for humans.
fn canonical(id: &str) -> Result<AlgorithmId> {
    AlgorithmId::ALL
        .into_iter()
        .find(|a| a.as_str() == id)
        .ok_or_else(|| Error::Unsupported(format!("tagged object names unknown algorithm {id:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn sig(alg: AlgorithmId, fill: u8) -> Tagged {
        let n = alg.sizes().signature;
        Tagged::new(ObjectKind::Signature, alg, None, &vec![fill; n]).unwrap()
    }

    #[test]
    fn binary_and_text_round_trip() {
        for alg in AlgorithmId::ALL {
            for kind in [
                ObjectKind::PublicKey,
                ObjectKind::SecretSeed,
                ObjectKind::Signature,
                ObjectKind::Ciphertext,
                ObjectKind::SecretExpanded,
            ] {
                let Ok(n) = payload_len(alg, kind) else {
                    continue;
                };
                let fp = kind.is_key().then(|| fingerprint(alg, b"pk"));
                let payload: Vec<u8> = (0..n).map(|i| i as u8).collect();
                let t = Tagged::new(kind, alg, fp, &payload).unwrap();
                assert_eq!(Tagged::from_bytes(&t.to_bytes()).unwrap(), t);
                assert_eq!(Tagged::from_text(&t.to_text()).unwrap(), t);
                assert_eq!(Tagged::decode(&t.to_bytes()).unwrap(), t);
                assert_eq!(Tagged::decode(t.to_text().as_bytes()).unwrap(), t);
            }
        }
    }

    #[test]
    fn binary_layout_is_as_documented() {
        let t = sig(AlgorithmId::Ed25519, 7);
        let b = t.to_bytes();
        assert_eq!(&b[..4], b"PQSH");
        assert_eq!(b[4], 1);
        assert_eq!(b[5], 3);
        assert_eq!(b[6], 7);
        assert_eq!(&b[7..14], b"ed25519");
        assert_eq!(b.len(), 14 + 64);
        assert!(t.to_text().starts_with("pqshift1:sig:ed25519:"));
    }

    #[test]
    fn truncation_and_padding_are_invalid() {
        let b = sig(AlgorithmId::MlDsa65, 1).to_bytes();
        for cut in 0..b.len() {
            let e = Tagged::from_bytes(&b[..cut]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "cut at {cut}: {e}");
        }
        let mut long = b.to_vec();
        long.push(0);
        assert_eq!(
            Tagged::from_bytes(&long).unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn kind_and_algorithm_mismatch_are_errors() {
        let t = sig(AlgorithmId::Ed25519, 1);
        assert!(t
            .expect(ObjectKind::Signature, Some(AlgorithmId::Ed25519))
            .is_ok());
        let e = t
            .expect(ObjectKind::Signature, Some(AlgorithmId::MlDsa44))
            .unwrap_err();
        assert!(e.to_string().contains("algorithm mismatch"), "{e}");
        assert!(t.expect(ObjectKind::PublicKey, None).is_err());
    }

    #[test]
    fn other_versions_and_aliases_are_refused() {
        let mut b = sig(AlgorithmId::Ed25519, 1).to_bytes().to_vec();
        b[4] = 2;
        assert!(Tagged::from_bytes(&b)
            .unwrap_err()
            .to_string()
            .contains("version 2"));
        let text = sig(AlgorithmId::MlDsa44, 1)
            .to_text()
            .replace(":ml-dsa-44:", ":ML-DSA-44:");
        assert_eq!(
            Tagged::from_text(&text).unwrap_err().kind(),
            ErrorKind::Unsupported
        );
    }

    #[test]
    fn mac_has_no_public_key_and_kem_no_signature() {
        let e =
            payload_len(AlgorithmId::InsecureTestHmacSha256, ObjectKind::PublicKey).unwrap_err();
        assert!(e.to_string().contains("MAC"), "{e}");
        assert!(payload_len(AlgorithmId::MlKem768, ObjectKind::Signature).is_err());
        assert!(payload_len(AlgorithmId::Ed25519, ObjectKind::Ciphertext).is_err());
    }

    #[test]
    fn secret_payload_not_in_debug() {
        let fp = fingerprint(AlgorithmId::Ed25519, b"x");
        let t = Tagged::new(
            ObjectKind::SecretSeed,
            AlgorithmId::Ed25519,
            Some(fp),
            &[0x5a; 32],
        )
        .unwrap();
        let d = format!("{t:?}");
        assert!(!d.contains("5a5a") && !d.contains("90, 90"), "{d}");
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(data in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = Tagged::decode(&data);
            let mut framed = MAGIC.to_vec();
            framed.extend_from_slice(&data);
            let _ = Tagged::decode(&framed);
        }

        #[test]
        fn text_decode_never_panics(s in "pqshift1:[a-z:0-9A-Z_-]{0,120}") {
            let _ = Tagged::from_text(&s);
        }
    }
}
