//! Provides NO SECURITY: the insecure test placeholder of pqshift, a MAC
//! that stands in for a signature scheme in tests and demos.
//!
//! This crate serves the algorithm `insecure-test-hmac-sha256`
//! ([`AlgorithmId::InsecureTestHmacSha256`]) under the provider ID
//! `placeholder`. It is a message authentication code, not a signature: the
//! same secret key computes and checks a tag, so anyone who can verify can
//! also forge. It exists so that applications can wire pqshift in before an
//! audit picks their real algorithm; a configuration must say
//! `allow_insecure = true` to use it, and its [`ProviderInfo`] is marked
//! `insecure: true`.
//!
//! # The construction (insecure)
//!
//! - Key: the 32-byte seed itself.
//! - `tag = HMAC-SHA-256(key, 0x00 || len(ctx) as one byte || ctx || message)`,
//!   the external framing of FIPS 204, so the context binds the tag as it
//!   will once ML-DSA takes over. Contexts are at most 255 bytes; a longer
//!   one is [`Error::InvalidInput`] when tagging and when verifying.
//! - Verification recomputes the tag and compares in constant time. A tag
//!   that is not 32 bytes long is [`Error::InvalidInput`]; a wrong tag is
//!   [`Error::VerificationFailed`].
//!
//! ```
//! use pqshift_provider_api::{MacScheme, ErrorKind};
//! use pqshift_provider_placeholder::PLACEHOLDER;
//!
//! let key = PLACEHOLDER.key_from_seed(&[7u8; 32])?;
//! let tag = key.tag(b"message", b"context")?;
//! key.verify(b"message", b"context", &tag)?;
//! let err = key.verify(b"message", b"other context", &tag).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::VerificationFailed);
//! # Ok::<(), pqshift_provider_api::Error>(())
//! ```
//!
//! The raw primitive is exported too ([`hmac_sha256`],
//! [`verify_hmac_sha256`]) so the conformance tests can run the RFC 4231,
//! NIST CAVP and Wycheproof HMAC-SHA-256 vectors against it.
#![forbid(unsafe_code)]

use hmac::digest::{Key, KeyInit};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use pqshift_provider_api::{
    check_context, check_len, ct_eq, seed_from_u64, AlgorithmId, Capabilities, Error,
    Implementation, MacKeyOps, MacScheme, ProviderInfo, Result, Scheme, SecretBytes,
};

type HmacSha256 = Hmac<Sha256>;

/// The algorithm served: `insecure-test-hmac-sha256`.
pub const ALGORITHM: AlgorithmId = AlgorithmId::InsecureTestHmacSha256;

/// The provider ID: `placeholder`.
pub const PROVIDER_ID: &str = "placeholder";

/// Length of a full tag (and of the key), in bytes.
pub const TAG_LEN: usize = 32;

/// Shortest truncated tag [`verify_hmac_sha256`] accepts, in bytes.
pub const MIN_TRUNCATED_TAG_LEN: usize = 16;

/// SHA-256 block size: HMAC keys are hashed down or zero-padded to it.
const BLOCK_LEN: usize = 64;

/// What pqshift reports about this provider. Marked insecure.
pub static PROVIDER: ProviderInfo = ProviderInfo {
    id: PROVIDER_ID,
    description: "insecure test placeholder: HMAC-SHA-256 over a framed message; NO SECURITY, a MAC whose verifiers can forge",
    insecure: true,
    backend: "hmac + sha2 (RustCrypto)",
    backend_version: "hmac 0.12, sha2 0.10",
    // Last choice: never preferred over a real provider.
    preference: u16::MAX,
};

/// The insecure placeholder scheme. Use the [`PLACEHOLDER`] static.
#[derive(Debug, Clone, Copy, Default)]
pub struct InsecureTestHmacSha256;

/// The one instance, registered with the pqshift registry.
pub static PLACEHOLDER: InsecureTestHmacSha256 = InsecureTestHmacSha256;

pqshift_provider_api::register!(Implementation::Mac(&PLACEHOLDER));

/// A keyed HMAC-SHA-256 state. Any key length is valid for HMAC: a key
/// longer than the block is hashed first, a shorter one is zero-padded
/// (RFC 2104's K0). Building K0 here keeps the key-length case infallible.
fn keyed(key: &[u8]) -> HmacSha256 {
    let mut k0 = Zeroizing::new([0u8; BLOCK_LEN]);
    if key.len() > BLOCK_LEN {
        let digest = Sha256::digest(key);
        k0[..digest.len()].copy_from_slice(&digest);
    } else {
        k0[..key.len()].copy_from_slice(key);
    }
    <HmacSha256 as KeyInit>::new(Key::<HmacSha256>::from_slice(&k0[..]))
}

/// HMAC-SHA-256 (RFC 2104, FIPS 198-1) of `data` under `key`. Insecure as a
/// signature stand-in; the primitive itself is standard.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; TAG_LEN] {
    let mut mac = keyed(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Checks an HMAC-SHA-256 tag, possibly truncated to its leftmost 16..=32
/// bytes (as NIST CAVP and Wycheproof do), in constant time.
///
/// A tag length outside 16..=32 is [`Error::InvalidInput`]; a wrong tag is
/// [`Error::VerificationFailed`].
pub fn verify_hmac_sha256(key: &[u8], data: &[u8], tag: &[u8]) -> Result<()> {
    if !(MIN_TRUNCATED_TAG_LEN..=TAG_LEN).contains(&tag.len()) {
        return Err(Error::invalid(format!(
            "{ALGORITHM} HMAC-SHA-256 tag must be {MIN_TRUNCATED_TAG_LEN} to {TAG_LEN} bytes long, got {} bytes",
            tag.len()
        )));
    }
    let full = hmac_sha256(key, data);
    if ct_eq(&full[..tag.len()], tag) {
        Ok(())
    } else {
        Err(Error::VerificationFailed)
    }
}

/// The tag of `message` under `context`: HMAC-SHA-256 over
/// `0x00 || len(ctx) || ctx || message`, streamed without copying the message.
fn framed_tag(key: &[u8], message: &[u8], context: &[u8]) -> Result<[u8; TAG_LEN]> {
    check_context(ALGORITHM, context)?;
    let ctx_len = u8::try_from(context.len()).map_err(|_| {
        Error::invalid(format!(
            "{ALGORITHM} context must be at most 255 bytes long, got {} bytes",
            context.len()
        ))
    })?;
    let mut mac = keyed(key);
    mac.update(&[0x00, ctx_len]);
    mac.update(context);
    mac.update(message);
    Ok(mac.finalize().into_bytes().into())
}

/// A loaded insecure placeholder key: the 32 key bytes, zeroized on drop and
/// redacted in `Debug`.
#[derive(Debug, Clone)]
pub struct InsecureTestKey {
    key: SecretBytes,
}

impl InsecureTestKey {
    /// Loads a key from its 32-byte seed (the key bytes).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        check_len(ALGORITHM, "key (seed)", TAG_LEN, seed)?;
        Ok(InsecureTestKey {
            key: SecretBytes::from_slice(seed),
        })
    }
}

impl MacKeyOps for InsecureTestKey {
    fn seed(&self) -> &SecretBytes {
        &self.key
    }

    fn tag(&self, message: &[u8], context: &[u8]) -> Result<Vec<u8>> {
        Ok(framed_tag(self.key.expose(), message, context)?.to_vec())
    }

    fn verify(&self, message: &[u8], context: &[u8], tag: &[u8]) -> Result<()> {
        check_context(ALGORITHM, context)?;
        check_len(ALGORITHM, "tag", TAG_LEN, tag)?;
        let expected = framed_tag(self.key.expose(), message, context)?;
        if ct_eq(&expected, tag) {
            Ok(())
        } else {
            Err(Error::VerificationFailed)
        }
    }
}

/// The porting plan's `keygen(seed: int)`: the key whose seed is
/// [`seed_from_u64`]`(insecure-test-hmac-sha256, n)`. Deterministic, and
/// (like everything here) insecure.
pub fn key_from_u64(n: u64) -> InsecureTestKey {
    InsecureTestKey {
        key: seed_from_u64(ALGORITHM, n),
    }
}

impl Scheme for InsecureTestHmacSha256 {
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
            context: true,
            derandomized_encaps: false,
        }
    }

    fn self_test(&self) -> Result<()> {
        self_test::run()
    }
}

impl MacScheme for InsecureTestHmacSha256 {
    fn key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn MacKeyOps>> {
        Ok(Box::new(InsecureTestKey::from_seed(seed)?))
    }
}

mod self_test {
    //! Known answers checked before the insecure placeholder serves a call.

    use super::*;

    use pqshift_provider_api::kat::hex;

    /// RFC 4231 section 4.2, test case 1.
    const RFC4231_1_KEY: [u8; 20] = [0x0b; 20];
    const RFC4231_1_DATA: &[u8] = b"Hi There";
    const RFC4231_1_TAG: [u8; 32] =
        hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

    /// RFC 4231 section 4.3, test case 2 ("Jefe").
    const RFC4231_2_KEY: &[u8] = b"Jefe";
    const RFC4231_2_DATA: &[u8] = b"what do ya want for nothing?";
    const RFC4231_2_TAG: [u8; 32] =
        hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

    /// The framed tag of a fixed key, context and message, computed
    /// independently (Python's hmac module) from
    /// `0x00 || len(ctx) || ctx || message`.
    const FRAMED_KEY: [u8; 32] =
        hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    const FRAMED_CTX: &[u8] = b"pqshift self-test";
    const FRAMED_MSG: &[u8] = b"insecure placeholder";
    const FRAMED_TAG: [u8; 32] =
        hex("59361e82ef14856741a27e948dbeb2e3e2a6b57b5446ffe497c66712c19c9b48");

    fn fail(what: &str) -> Error {
        Error::Provider(format!("insecure placeholder self-test failed: {what}"))
    }

    pub(super) fn run() -> Result<()> {
        // The primitive against RFC 4231.
        if hmac_sha256(&RFC4231_1_KEY, RFC4231_1_DATA) != RFC4231_1_TAG {
            return Err(fail("RFC 4231 test case 1"));
        }
        if hmac_sha256(RFC4231_2_KEY, RFC4231_2_DATA) != RFC4231_2_TAG {
            return Err(fail("RFC 4231 test case 2"));
        }
        verify_hmac_sha256(RFC4231_2_KEY, RFC4231_2_DATA, &RFC4231_2_TAG)
            .map_err(|_| fail("RFC 4231 test case 2 does not verify"))?;

        // The framing, built by hand, against the primitive and a known answer.
        let key = InsecureTestKey::from_seed(&FRAMED_KEY)?;
        let mut framed = vec![0x00, FRAMED_CTX.len() as u8];
        framed.extend_from_slice(FRAMED_CTX);
        framed.extend_from_slice(FRAMED_MSG);
        let by_hand = hmac_sha256(&FRAMED_KEY, &framed);
        let tag = key.tag(FRAMED_MSG, FRAMED_CTX)?;
        if tag != by_hand || tag != FRAMED_TAG {
            return Err(fail("framed tag"));
        }
        key.verify(FRAMED_MSG, FRAMED_CTX, &tag)
            .map_err(|_| fail("framed tag does not verify"))?;

        // Negatives: a flipped bit at either end of the tag (so a comparison
        // that stops early is caught), and in the truncated primitive.
        for i in [0, TAG_LEN - 1] {
            let mut bad = tag.clone();
            bad[i] ^= 0x01;
            if key.verify(FRAMED_MSG, FRAMED_CTX, &bad) != Err(Error::VerificationFailed) {
                return Err(fail("a tag with a flipped bit was not rejected"));
            }
        }
        let mut bad = RFC4231_2_TAG;
        bad[MIN_TRUNCATED_TAG_LEN - 1] ^= 0x80;
        if verify_hmac_sha256(RFC4231_2_KEY, RFC4231_2_DATA, &bad[..MIN_TRUNCATED_TAG_LEN])
            != Err(Error::VerificationFailed)
        {
            return Err(fail("a truncated tag with a flipped bit was not rejected"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_test_passes() {
        PLACEHOLDER.self_test().unwrap();
    }
}
