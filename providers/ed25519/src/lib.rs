//! Ed25519 (RFC 8032, pure) for pqshift, on
//! [ed25519-dalek](https://docs.rs/ed25519-dalek) 2.x.
//!
//! Provider ID `dalek`, algorithm `ed25519` ([`AlgorithmId::Ed25519`]).
//!
//! - Secret keys are stored as their seed: RFC 8032's 32-byte secret key.
//!   A loaded key holds the dalek `SigningKey` (zeroized on drop) and its
//!   public key; `Debug` never prints secret bytes.
//! - Signing is deterministic (RFC 8032); [`SignMode::Hedged`] is accepted
//!   and ignored.
//! - Pure Ed25519 takes no context string: a non-empty context is
//!   [`Error::Unsupported`] on signing and on verifying.
//! - A public key or signature of the wrong length, or a public key that is
//!   not a valid encoding (see below), is [`Error::InvalidInput`]; a
//!   signature that does not verify is [`Error::VerificationFailed`], with
//!   no detail.
//!
//! # Verification rule
//!
//! Strict, cofactorless RFC 8032 verification, `[S]B = R + [k]A` checked by
//! recomputing `R` and comparing encodings (ed25519-dalek's
//! `verify_strict`), with these checks made explicit:
//!
//! 1. **`S < L`** (RFC 8032 section 5.1.7): checked here on the bytes, in
//!    addition to dalek's own check, so that enabling dalek's
//!    `legacy_compatibility` feature anywhere in a build (Cargo unifies
//!    features) cannot silently make signatures malleable again.
//! 2. **Canonical `R`**: the recomputed `R` is compressed (always canonical)
//!    and compared byte for byte with the signature's `R`, so a
//!    non-canonical `R` never verifies; a small-order `R` is rejected.
//! 3. **Canonical public key `A`** (RFC 8032 section 5.1.3): `y < p` is
//!    required when the key is parsed; an encoding that does not decode to a
//!    curve point is rejected.
//! 4. **No small-order public keys**: a key of small order (a "weak" key,
//!    for which one signature can verify for many messages) is rejected when
//!    parsed, as [`Error::InvalidInput`]. This also rejects the
//!    non-canonical encodings of points with `x = 0` (a sign bit on `x = 0`),
//!    which are all of small order.
//!
//! This is stricter than ZIP 215 (which accepts non-canonical `A`, small
//! order points and uses the cofactored equation): honest RFC 8032
//! signatures always pass it, and it passes all 151 Wycheproof
//! `ed25519_test.json` cases and the 5 RFC 8032 section 7.1 vectors. Batch
//! verification is not offered, so single and batch verification cannot
//! disagree.
//!
//! ```
//! use pqshift_provider_api::{SignatureScheme, SignMode};
//! use pqshift_provider_dalek::ED25519;
//!
//! let key = ED25519.signing_key_from_seed(&[1u8; 32])?;
//! let sig = key.sign(b"message", b"", SignMode::Deterministic)?;
//! ED25519.verifying_key(key.public_key())?.verify(b"message", b"", &sig)?;
//! # Ok::<(), pqshift_provider_api::Error>(())
//! ```
#![forbid(unsafe_code)]

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use pqshift_provider_api::{
    check_context, check_len, AlgorithmId, Capabilities, Error, Implementation, ProviderInfo,
    Result, Scheme, SecretBytes, SignMode, SignatureScheme, SigningKeyOps, VerifyingKeyOps,
};

/// The algorithm served: `ed25519`.
pub const ALGORITHM: AlgorithmId = AlgorithmId::Ed25519;

/// The provider ID: `dalek`.
pub const PROVIDER_ID: &str = "dalek";

/// Seed (RFC 8032 secret key) length.
pub const SEED_LEN: usize = 32;
/// Public key length.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Signature length.
pub const SIGNATURE_LEN: usize = 64;

/// The ed25519-dalek version this crate is built and tested with (checked
/// against `Cargo.lock` by the test suite).
pub const BACKEND_VERSION: &str = "2.2.0";

/// What pqshift reports about this provider.
pub static PROVIDER: ProviderInfo = ProviderInfo {
    id: PROVIDER_ID,
    description: "Ed25519 (RFC 8032, pure) on ed25519-dalek; strict verification",
    insecure: false,
    backend: "ed25519-dalek",
    backend_version: BACKEND_VERSION,
    preference: 100,
};

/// Ed25519 on ed25519-dalek. Use the [`ED25519`] static.
#[derive(Debug, Clone, Copy, Default)]
pub struct DalekEd25519;

/// The one instance, registered with the pqshift registry.
pub static ED25519: DalekEd25519 = DalekEd25519;

pqshift_provider_api::register!(Implementation::Signature(&ED25519));

/// The group order L = 2^252 + 27742317777372353535851937790883648493,
/// little-endian.
const GROUP_ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// True when the little-endian scalar `s` is fully reduced: `s < L`.
/// Signatures are public, so this need not be constant-time.
pub fn scalar_is_canonical(s: &[u8; 32]) -> bool {
    for (a, l) in s.iter().rev().zip(GROUP_ORDER.iter().rev()) {
        if a != l {
            return a < l;
        }
    }
    false // s == L
}

/// True when the field element `y` of a point encoding is canonical: the
/// 255-bit value (sign bit masked) is below p = 2^255 - 19.
pub fn point_y_is_canonical(encoding: &[u8; 32]) -> bool {
    // y >= p only when y is one of p..2^255-1: bytes 1..=30 all 0xff,
    // byte 31 0x7f (after masking the sign bit), byte 0 at least 0xed.
    let top = encoding[31] & 0x7f == 0x7f;
    let middle = encoding[1..31].iter().all(|b| *b == 0xff);
    !(top && middle && encoding[0] >= 0xed)
}

fn reject_context(context: &[u8]) -> Result<()> {
    // Over-long first: a 256-byte context is malformed input for every
    // algorithm (InvalidInput), before "Ed25519 takes none" (Unsupported).
    check_context(ALGORITHM, context)?;
    if context.is_empty() {
        Ok(())
    } else {
        Err(Error::unsupported(format!(
            "ed25519 (RFC 8032 pure) takes no context string, got a {}-byte context; \
             use an empty context, or an algorithm with contexts such as ml-dsa-65",
            context.len()
        )))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A loaded Ed25519 signing key: dalek's `SigningKey` (zeroized on drop),
/// its seed and its public key.
pub struct DalekSigningKey {
    key: SigningKey,
    seed: SecretBytes,
    public: [u8; PUBLIC_KEY_LEN],
}

impl fmt::Debug for DalekSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DalekSigningKey")
            .field("public_key", &hex(&self.public))
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl DalekSigningKey {
    /// Loads a key from RFC 8032's 32-byte secret key (the seed).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        check_len(ALGORITHM, "seed (RFC 8032 secret key)", SEED_LEN, seed)?;
        let mut bytes = [0u8; SEED_LEN];
        bytes.copy_from_slice(seed);
        let key = SigningKey::from_bytes(&bytes);
        bytes.fill(0);
        let public = key.verifying_key().to_bytes();
        Ok(DalekSigningKey {
            key,
            seed: SecretBytes::from_slice(seed),
            public,
        })
    }
}

impl SigningKeyOps for DalekSigningKey {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn seed(&self) -> Option<&SecretBytes> {
        Some(&self.seed)
    }

    fn sign(&self, message: &[u8], context: &[u8], mode: SignMode) -> Result<Vec<u8>> {
        reject_context(context)?;
        // Ed25519 is deterministic: both modes give the RFC 8032 signature.
        let _ = mode;
        Ok(self.key.sign(message).to_bytes().to_vec())
    }
}

/// A parsed Ed25519 public key (canonical, of large order).
#[derive(Clone)]
pub struct DalekVerifyingKey {
    key: VerifyingKey,
}

impl fmt::Debug for DalekVerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DalekVerifyingKey")
            .field("public_key", &hex(self.key.as_bytes()))
            .finish()
    }
}

impl DalekVerifyingKey {
    /// Parses a 32-byte public key, rejecting non-canonical encodings,
    /// encodings that are not curve points, and small-order points.
    pub fn from_bytes(public_key: &[u8]) -> Result<Self> {
        check_len(ALGORITHM, "public key", PUBLIC_KEY_LEN, public_key)?;
        let mut bytes = [0u8; PUBLIC_KEY_LEN];
        bytes.copy_from_slice(public_key);
        if !point_y_is_canonical(&bytes) {
            return Err(Error::invalid(
                "ed25519 public key is not canonically encoded (y >= 2^255 - 19)",
            ));
        }
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| Error::invalid("ed25519 public key is not a valid curve point"))?;
        if key.is_weak() {
            return Err(Error::invalid(
                "ed25519 public key has small order (a weak key that could accept forged signatures)",
            ));
        }
        Ok(DalekVerifyingKey { key })
    }
}

impl VerifyingKeyOps for DalekVerifyingKey {
    fn public_key(&self) -> &[u8] {
        self.key.as_bytes()
    }

    fn verify(&self, message: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
        reject_context(context)?;
        check_len(ALGORITHM, "signature", SIGNATURE_LEN, signature)?;
        let mut bytes = [0u8; SIGNATURE_LEN];
        bytes.copy_from_slice(signature);
        let mut s = [0u8; 32];
        s.copy_from_slice(&bytes[32..]);
        if !scalar_is_canonical(&s) {
            return Err(Error::VerificationFailed);
        }
        let sig = Signature::from_bytes(&bytes);
        self.key
            .verify_strict(message, &sig)
            .map_err(|_| Error::VerificationFailed)
    }
}

impl Scheme for DalekEd25519 {
    fn algorithm(&self) -> AlgorithmId {
        ALGORITHM
    }

    fn provider(&self) -> &'static ProviderInfo {
        &PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            seeded_keygen: true,
            deterministic_sign: true,
            hedged_sign: false,
            context: false,
            derandomized_encaps: false,
        }
    }

    fn self_test(&self) -> Result<()> {
        self_test::run()
    }
}

impl SignatureScheme for DalekEd25519 {
    fn signing_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Ok(Box::new(DalekSigningKey::from_seed(seed)?))
    }

    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        Ok(Box::new(DalekVerifyingKey::from_bytes(public_key)?))
    }
}

mod self_test {
    //! RFC 8032 section 7.1 known answers, checked before the first call.

    use super::*;

    use pqshift_provider_api::kat::hex;

    struct Kat {
        name: &'static str,
        secret: [u8; 32],
        public: [u8; 32],
        message: &'static [u8],
        signature: [u8; 64],
    }

    const KATS: [Kat; 2] = [
        Kat {
            name: "RFC 8032 7.1 TEST 1",
            secret: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
            public: hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
            message: b"",
            signature: hex(concat!(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155",
                "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            )),
        },
        Kat {
            name: "RFC 8032 7.1 TEST 2",
            secret: hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"),
            public: hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"),
            message: &[0x72],
            signature: hex(concat!(
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da",
                "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
            )),
        },
    ];

    fn fail(name: &str, what: &str) -> Error {
        Error::Provider(format!("ed25519 self-test failed: {name}: {what}"))
    }

    pub(super) fn run() -> Result<()> {
        for kat in &KATS {
            let key = DalekSigningKey::from_seed(&kat.secret)?;
            if key.public_key() != kat.public {
                return Err(fail(kat.name, "public key differs"));
            }
            let sig = key.sign(kat.message, b"", SignMode::Deterministic)?;
            if sig != kat.signature {
                return Err(fail(kat.name, "signature differs"));
            }
            let vk = DalekVerifyingKey::from_bytes(&kat.public)?;
            vk.verify(kat.message, b"", &kat.signature)
                .map_err(|_| fail(kat.name, "signature does not verify"))?;

            // Negatives: a flipped bit in the signature, another message,
            // and S + L (the malleated signature) must all be rejected.
            let mut bad = kat.signature;
            bad[0] ^= 0x01;
            if vk.verify(kat.message, b"", &bad) != Err(Error::VerificationFailed) {
                return Err(fail(kat.name, "a flipped bit was accepted"));
            }
            if vk.verify(b"another message", b"", &kat.signature) != Err(Error::VerificationFailed)
            {
                return Err(fail(kat.name, "a signature verified for another message"));
            }
            let mut malleated = kat.signature;
            add_group_order(&mut malleated[32..]);
            if vk.verify(kat.message, b"", &malleated) != Err(Error::VerificationFailed) {
                return Err(fail(kat.name, "S + L was accepted (malleable)"));
            }
        }
        Ok(())
    }

    /// `s += L` on a little-endian 32-byte scalar (no overflow for s < L).
    fn add_group_order(s: &mut [u8]) {
        let mut carry = 0u16;
        for (b, l) in s.iter_mut().zip(GROUP_ORDER.iter()) {
            let sum = u16::from(*b) + u16::from(*l) + carry;
            *b = (sum & 0xff) as u8;
            carry = sum >> 8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_test_passes() {
        ED25519.self_test().unwrap();
    }

    #[test]
    fn scalar_bound_is_exact() {
        let mut l_minus_1 = GROUP_ORDER;
        l_minus_1[0] -= 1;
        assert!(scalar_is_canonical(&l_minus_1));
        assert!(!scalar_is_canonical(&GROUP_ORDER));
        let mut l_plus_1 = GROUP_ORDER;
        l_plus_1[0] += 1;
        assert!(!scalar_is_canonical(&l_plus_1));
        assert!(!scalar_is_canonical(&[0xff; 32]));
        assert!(scalar_is_canonical(&[0; 32]));
        let mut high = [0u8; 32];
        high[31] = 0x10;
        assert!(scalar_is_canonical(&high)); // 2^252 < L
    }

    #[test]
    fn field_bound_is_exact() {
        let mut p = [0xffu8; 32];
        p[31] = 0x7f;
        p[0] = 0xed; // p itself
        assert!(!point_y_is_canonical(&p));
        p[0] = 0xec; // p - 1
        assert!(point_y_is_canonical(&p));
        let mut p_sign = p;
        p_sign[0] = 0xee;
        p_sign[31] = 0xff; // p + 1 with the sign bit set
        assert!(!point_y_is_canonical(&p_sign));
        assert!(point_y_is_canonical(&[0; 32]));
    }
}
