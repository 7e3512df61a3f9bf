//! Algorithm identifiers, their aliases, OIDs and sizes.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result};

/// What an algorithm does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlgorithmKind {
    /// A public-key signature scheme.
    Signature,
    /// A key-encapsulation mechanism.
    Kem,
    /// A message authentication code: the secret key both signs and verifies.
    Mac,
}

impl AlgorithmKind {
    /// Lowercase name used in CLI and JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            AlgorithmKind::Signature => "signature",
            AlgorithmKind::Kem => "kem",
            AlgorithmKind::Mac => "mac",
        }
    }
}

impl fmt::Display for AlgorithmKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Byte sizes of an algorithm's objects in their standard encodings.
///
/// A size that does not apply to the algorithm's kind is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// The seed a secret key is stored as (FIPS 204 xi, FIPS 203 d||z, RFC 8032 secret key).
    pub seed: usize,
    /// Public key (ML-KEM: encapsulation key).
    pub public_key: usize,
    /// Expanded secret key of the standard (ML-DSA sk, ML-KEM dk); for Ed25519 and the MAC, the seed.
    pub expanded_secret_key: usize,
    /// Signature or MAC tag.
    pub signature: usize,
    /// KEM ciphertext.
    pub ciphertext: usize,
    /// KEM shared secret.
    pub shared_secret: usize,
}

const fn sizes(
    seed: usize,
    public_key: usize,
    expanded_secret_key: usize,
    signature: usize,
    ciphertext: usize,
    shared_secret: usize,
) -> Sizes {
    Sizes {
        seed,
        public_key,
        expanded_secret_key,
        signature,
        ciphertext,
        shared_secret,
    }
}

/// A canonical algorithm identifier. The string forms are stable forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AlgorithmId {
    /// Ed25519 (RFC 8032, pure).
    Ed25519,
    /// ML-DSA-44 (FIPS 204).
    MlDsa44,
    /// ML-DSA-65 (FIPS 204).
    MlDsa65,
    /// ML-DSA-87 (FIPS 204).
    MlDsa87,
    /// ML-KEM-512 (FIPS 203).
    MlKem512,
    /// ML-KEM-768 (FIPS 203).
    MlKem768,
    /// ML-KEM-1024 (FIPS 203).
    MlKem1024,
    /// The INSECURE test placeholder: HMAC-SHA-256 over a framed message. Never for production.
    InsecureTestHmacSha256,
}

struct AlgInfo {
    id: AlgorithmId,
    name: &'static str,
    kind: AlgorithmKind,
    oid: Option<&'static str>,
    sizes: Sizes,
    aliases: &'static [&'static str],
}

/// The table every lookup goes through. Checked at compile time by `validate_table`.
const TABLE: [AlgInfo; 8] = [
    AlgInfo {
        id: AlgorithmId::Ed25519,
        name: "ed25519",
        kind: AlgorithmKind::Signature,
        oid: Some("1.3.101.112"),
        sizes: sizes(32, 32, 32, 64, 0, 0),
        aliases: &["ed25519", "Ed25519", "ED25519"],
    },
    AlgInfo {
        id: AlgorithmId::MlDsa44,
        name: "ml-dsa-44",
        kind: AlgorithmKind::Signature,
        oid: Some("2.16.840.1.101.3.4.3.17"),
        sizes: sizes(32, 1312, 2560, 2420, 0, 0),
        aliases: &["mldsa44", "ml_dsa_44", "id-ml-dsa-44"],
    },
    AlgInfo {
        id: AlgorithmId::MlDsa65,
        name: "ml-dsa-65",
        kind: AlgorithmKind::Signature,
        oid: Some("2.16.840.1.101.3.4.3.18"),
        sizes: sizes(32, 1952, 4032, 3309, 0, 0),
        aliases: &["mldsa65", "ml_dsa_65", "id-ml-dsa-65"],
    },
    AlgInfo {
        id: AlgorithmId::MlDsa87,
        name: "ml-dsa-87",
        kind: AlgorithmKind::Signature,
        oid: Some("2.16.840.1.101.3.4.3.19"),
        sizes: sizes(32, 2592, 4896, 4627, 0, 0),
        aliases: &["mldsa87", "ml_dsa_87", "id-ml-dsa-87"],
    },
    AlgInfo {
        id: AlgorithmId::MlKem512,
        name: "ml-kem-512",
        kind: AlgorithmKind::Kem,
        oid: Some("2.16.840.1.101.3.4.4.1"),
        sizes: sizes(64, 800, 1632, 0, 768, 32),
        aliases: &["mlkem512", "ml_kem_512", "id-alg-ml-kem-512"],
    },
    AlgInfo {
        id: AlgorithmId::MlKem768,
        name: "ml-kem-768",
        kind: AlgorithmKind::Kem,
        oid: Some("2.16.840.1.101.3.4.4.2"),
        sizes: sizes(64, 1184, 2400, 0, 1088, 32),
        aliases: &["mlkem768", "ml_kem_768", "id-alg-ml-kem-768"],
    },
    AlgInfo {
        id: AlgorithmId::MlKem1024,
        name: "ml-kem-1024",
        kind: AlgorithmKind::Kem,
        oid: Some("2.16.840.1.101.3.4.4.3"),
        sizes: sizes(64, 1568, 3168, 0, 1568, 32),
        aliases: &["mlkem1024", "ml_kem_1024", "id-alg-ml-kem-1024"],
    },
    AlgInfo {
        id: AlgorithmId::InsecureTestHmacSha256,
        name: "insecure-test-hmac-sha256",
        kind: AlgorithmKind::Mac,
        oid: None,
        sizes: sizes(32, 0, 32, 32, 0, 0),
        aliases: &[],
    },
];

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A bad table fails to compile: entries in enum order, names lowercase and
/// distinct, sizes consistent with the kind.
const fn validate_table() -> bool {
    let mut i = 0;
    while i < TABLE.len() {
        let e = &TABLE[i];
        assert!(e.id as usize == i, "TABLE must be in enum order");
        let name = e.name.as_bytes();
        let mut j = 0;
        while j < name.len() {
            assert!(
                !name[j].is_ascii_uppercase(),
                "canonical names are lowercase"
            );
            j += 1;
        }
        let mut k = i + 1;
        while k < TABLE.len() {
            assert!(!str_eq(e.name, TABLE[k].name), "duplicate canonical name");
            k += 1;
        }
        assert!(e.sizes.seed > 0, "every algorithm has a seed size");
        match e.kind {
            AlgorithmKind::Signature => {
                assert!(e.sizes.public_key > 0 && e.sizes.signature > 0 && e.sizes.ciphertext == 0)
            }
            AlgorithmKind::Kem => assert!(
                e.sizes.public_key > 0 && e.sizes.ciphertext > 0 && e.sizes.shared_secret > 0
            ),
            AlgorithmKind::Mac => {
                assert!(e.sizes.public_key == 0 && e.sizes.signature > 0 && e.oid.is_none())
            }
        }
        i += 1;
    }
    true
}
const _: () = assert!(validate_table());

impl AlgorithmId {
    /// Every algorithm pqshift knows, in a stable order.
    pub const ALL: [AlgorithmId; 8] = [
        AlgorithmId::Ed25519,
        AlgorithmId::MlDsa44,
        AlgorithmId::MlDsa65,
        AlgorithmId::MlDsa87,
        AlgorithmId::MlKem512,
        AlgorithmId::MlKem768,
        AlgorithmId::MlKem1024,
        AlgorithmId::InsecureTestHmacSha256,
    ];

    const fn info(self) -> &'static AlgInfo {
        &TABLE[self as usize]
    }

    /// The canonical, lowercase, stable identifier (`ml-dsa-65`).
    pub const fn as_str(self) -> &'static str {
        self.info().name
    }

    /// Signature, KEM or MAC.
    pub const fn kind(self) -> AlgorithmKind {
        self.info().kind
    }

    /// The standard OID in dotted form (NIST for ML-DSA/ML-KEM, RFC 8410 for Ed25519).
    pub const fn oid(self) -> Option<&'static str> {
        self.info().oid
    }

    /// Byte sizes of keys, signatures and ciphertexts.
    pub const fn sizes(self) -> Sizes {
        self.info().sizes
    }

    /// True for algorithms that must never protect anything real.
    pub const fn is_insecure(self) -> bool {
        matches!(self, AlgorithmId::InsecureTestHmacSha256)
    }

    /// Parses a canonical ID or an accepted alias: any case of the canonical
    /// ID (`ML-DSA-65`), the compact form (`mldsa65`), the OID (`2.16.840.1.101.3.4.3.18`).
    ///
    /// Aliases are accepted on input only; output always uses [`AlgorithmId::as_str`].
    pub fn parse(input: &str) -> Result<Self> {
        let s = input.trim();
        for e in TABLE.iter() {
            let compact: String = e.name.chars().filter(|c| *c != '-').collect();
            if s.eq_ignore_ascii_case(e.name)
                || e.oid == Some(s)
                || s.eq_ignore_ascii_case(&compact)
                || e.aliases.iter().any(|a| s.eq_ignore_ascii_case(a))
            {
                return Ok(e.id);
            }
        }
        let known: Vec<&str> = TABLE.iter().map(|e| e.name).collect();
        Err(Error::Unsupported(format!(
            "unknown algorithm {input:?}; known algorithms: {}",
            known.join(", ")
        )))
    }
}

impl fmt::Display for AlgorithmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AlgorithmId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        AlgorithmId::parse(s)
    }
}

impl serde::Serialize for AlgorithmId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for AlgorithmId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AlgorithmId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_round_trip() {
        for alg in AlgorithmId::ALL {
            assert_eq!(AlgorithmId::parse(alg.as_str()), Ok(alg));
            assert_eq!(alg.to_string(), alg.as_str());
        }
    }

    #[test]
    fn aliases_and_oids_parse() {
        assert_eq!(AlgorithmId::parse("ML-DSA-65"), Ok(AlgorithmId::MlDsa65));
        assert_eq!(AlgorithmId::parse("mldsa65"), Ok(AlgorithmId::MlDsa65));
        assert_eq!(
            AlgorithmId::parse("2.16.840.1.101.3.4.3.18"),
            Ok(AlgorithmId::MlDsa65)
        );
        assert_eq!(AlgorithmId::parse("ML-KEM-768"), Ok(AlgorithmId::MlKem768));
        assert_eq!(AlgorithmId::parse("1.3.101.112"), Ok(AlgorithmId::Ed25519));
        assert_eq!(
            AlgorithmId::parse("2.16.840.1.101.3.4.4.3"),
            Ok(AlgorithmId::MlKem1024)
        );
    }

    #[test]
    fn unknown_names_are_unsupported() {
        let e = AlgorithmId::parse("rsa-2048").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Unsupported);
        assert!(e.to_string().contains("rsa-2048"));
        assert!(AlgorithmId::parse("ml-dsa-66").is_err());
        assert!(AlgorithmId::parse("").is_err());
    }

    #[test]
    fn sizes_match_the_standards() {
        let s = AlgorithmId::MlDsa65.sizes();
        assert_eq!(
            (s.public_key, s.expanded_secret_key, s.signature),
            (1952, 4032, 3309)
        );
        let s = AlgorithmId::MlDsa87.sizes();
        assert_eq!(
            (s.public_key, s.expanded_secret_key, s.signature),
            (2592, 4896, 4627)
        );
        let s = AlgorithmId::MlKem768.sizes();
        assert_eq!((s.seed, s.public_key, s.ciphertext), (64, 1184, 1088));
        assert_eq!(AlgorithmId::Ed25519.sizes().signature, 64);
    }

    #[test]
    fn placeholder_says_insecure() {
        let alg = AlgorithmId::InsecureTestHmacSha256;
        assert!(alg.as_str().contains("insecure"));
        assert!(alg.is_insecure());
        assert_eq!(alg.kind(), AlgorithmKind::Mac);
    }
}
