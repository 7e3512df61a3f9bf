//! The new keys of a migration: one per old key ID, of the new algorithm.
//!
//! With a master seed file, each key's seed is
//!
//! ```text
//! seed = HKDF-SHA-256(ikm  = the master seed file's bytes, verbatim,
//!                     salt = "pqshift-migrate-v1",
//!                     info = "pqshift-migrate-v1/key" || 0x00 || NEW_ALG || 0x00 || OLD_KEY_ID,
//!                     L    = the new algorithm's seed size)
//! ```
//!
//! (RFC 5869; `NEW_ALG` the canonical ID, e.g. `ml-dsa-65`, and `OLD_KEY_ID`
//! the UTF-8 key ID of the corpus keystore.) Without one, each key comes
//! from the operating system's randomness. Either way the new key ID is
//! [`new_key_id`]`(OLD_KEY_ID, NEW_ALG)` = `OLD_KEY_ID@NEW_ALG`.

use hkdf::Hkdf;
use pqshift::{AlgorithmId, SecretBytes, SecretKey};
use sha2::Sha256;

use crate::corpus::{CorpusError, Result};

/// HKDF salt of the key derivation.
pub const HKDF_SALT: &[u8] = b"pqshift-migrate-v1";
/// Prefix of the HKDF info.
pub const HKDF_INFO_PREFIX: &[u8] = b"pqshift-migrate-v1/key";
/// Shortest master seed file accepted, in bytes.
pub const MIN_MASTER_SEED_LEN: usize = 32;

/// The new key ID for `old_key_id` under `new_alg`: `OLD@NEW_ALG`.
pub fn new_key_id(old_key_id: &str, new_alg: AlgorithmId) -> String {
    format!("{old_key_id}@{}", new_alg.as_str())
}

/// The HKDF info for one key (see the module docs).
pub fn hkdf_info(new_alg: AlgorithmId, old_key_id: &str) -> Vec<u8> {
    let mut info = Vec::with_capacity(HKDF_INFO_PREFIX.len() + 2 + 16 + old_key_id.len());
    info.extend_from_slice(HKDF_INFO_PREFIX);
    info.push(0);
    info.extend_from_slice(new_alg.as_str().as_bytes());
    info.push(0);
    info.extend_from_slice(old_key_id.as_bytes());
    info
}

/// The seed of the new key for `old_key_id` (see the module docs).
pub fn derive_seed(master: &[u8], new_alg: AlgorithmId, old_key_id: &str) -> Result<SecretBytes> {
    let mut seed = vec![0u8; new_alg.sizes().seed];
    Hkdf::<Sha256>::new(Some(HKDF_SALT), master)
        .expand(&hkdf_info(new_alg, old_key_id), &mut seed)
        .map_err(|_| {
            CorpusError::Crypto(pqshift::Error::Internal(
                "HKDF output length out of range".into(),
            ))
        })?;
    Ok(SecretBytes::new(seed))
}

/// Where the new keys come from.
#[derive(Clone, Copy)]
pub enum KeySource<'a> {
    /// HKDF from the master seed file's bytes.
    Master(&'a [u8]),
    /// The operating system's randomness.
    Random,
}

/// `Debug` shows the master seed's length only, never its bytes.
impl std::fmt::Debug for KeySource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Master(m) => write!(f, "Master([REDACTED; {} bytes])", m.len()),
            KeySource::Random => f.write_str("Random"),
        }
    }
}

/// The new key for `old_key_id`, of `new_alg`, loaded by `provider`.
pub fn new_key(
    source: KeySource<'_>,
    new_alg: AlgorithmId,
    old_key_id: &str,
    provider: Option<&str>,
) -> Result<SecretKey> {
    match source {
        KeySource::Master(master) => {
            let seed = derive_seed(master, new_alg, old_key_id)?;
            Ok(SecretKey::from_seed(new_alg, seed.expose(), provider)?)
        }
        KeySource::Random => Ok(SecretKey::generate(new_alg, provider)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_rfc5869_hkdf_with_the_documented_inputs() {
        // Independent recomputation with HMAC-SHA-256 (RFC 5869 2.2, 2.3), one block.
        use hmac::{Hmac, Mac};
        let master = [0x42u8; 32];
        let mut ext = Hmac::<Sha256>::new_from_slice(HKDF_SALT).unwrap_or_else(|_| unreachable!());
        ext.update(&master);
        let prk = ext.finalize().into_bytes();
        let mut exp = Hmac::<Sha256>::new_from_slice(&prk).unwrap_or_else(|_| unreachable!());
        exp.update(b"pqshift-migrate-v1/key\0ml-dsa-65\0corpus-key-00");
        exp.update(&[1]);
        let t1 = exp.finalize().into_bytes();
        let seed = derive_seed(&master, AlgorithmId::MlDsa65, "corpus-key-00");
        assert_eq!(seed.ok().map(|s| s.expose().to_vec()), Some(t1.to_vec()));
    }

    #[test]
    fn debug_never_shows_the_master_seed() {
        let d = format!("{:?}", KeySource::Master(&[0xAB; 32]));
        assert!(
            !d.to_lowercase().contains("ab,") && !d.contains("171"),
            "{d}"
        );
        assert!(d.contains("REDACTED; 32 bytes"), "{d}");
    }

    #[test]
    fn every_key_and_algorithm_gets_its_own_seed() {
        let m = [1u8; 32];
        let a = derive_seed(&m, AlgorithmId::MlDsa65, "k0").ok();
        let b = derive_seed(&m, AlgorithmId::MlDsa65, "k1").ok();
        let c = derive_seed(&m, AlgorithmId::MlDsa87, "k0").ok();
        let ab = |x: &Option<SecretBytes>| x.as_ref().map(|s| s.expose().to_vec());
        assert_ne!(ab(&a), ab(&b));
        assert_ne!(ab(&a), ab(&c));
        assert_eq!(new_key_id("k0", AlgorithmId::MlDsa65), "k0@ml-dsa-65");
    }
}
