//! ML-KEM (FIPS 203) on ml-kem 0.3.
//!
//! ml-kem's parameter trait (`KemParams`) is not exported, so code generic
//! over the crate's types cannot be written; [`KemParameters`] wraps the few
//! crate calls per parameter set (through a macro) and everything else is
//! generic over it.

use std::fmt;
use std::marker::PhantomData;

use pqshift_provider_api::{
    check_len, AlgorithmId, Capabilities, DecapsulationKeyOps, EncapsulationKeyOps, Error,
    KemScheme, ProviderInfo, Result, Scheme, SecretBytes,
};
use zeroize::Zeroize;

use crate::{hex, PROVIDER};

/// The prime modulus q of FIPS 203.
pub(crate) const Q: u16 = 3329;

/// Byte length of one ByteEncode12 polynomial.
const POLY_BYTES: usize = 384;

/// An ML-KEM parameter set, with the ml-kem calls pqshift needs.
pub trait KemParameters: Send + Sync + 'static {
    /// The pqshift algorithm.
    const ALGORITHM: AlgorithmId;
    /// Module rank k.
    const K: usize;
    /// The crate's decapsulation key.
    type DecapsulationKey: Send + Sync;
    /// The crate's encapsulation key.
    type EncapsulationKey: Send + Sync;

    /// `ML-KEM.KeyGen_internal(d, z)`.
    fn from_seed(d_z: &[u8; 64]) -> Self::DecapsulationKey;
    /// The crate's validated expanded-key import (hash check, ek modulus check).
    fn from_expanded(dk: &[u8]) -> Option<Self::DecapsulationKey>;
    /// The encapsulation key of a decapsulation key.
    fn encapsulation_key_bytes(dk: &Self::DecapsulationKey) -> Vec<u8>;
    /// The standard expanded decapsulation key.
    fn expanded_bytes(dk: &Self::DecapsulationKey) -> SecretBytes;
    /// `ML-KEM.Decaps_internal` (implicit rejection); `None` on a wrong length.
    fn decapsulate(dk: &Self::DecapsulationKey, ciphertext: &[u8]) -> Option<SecretBytes>;
    /// Parses (and modulus-checks) an encapsulation key; `None` when invalid.
    fn parse_encapsulation_key(ek: &[u8]) -> Option<Self::EncapsulationKey>;
    /// `ML-KEM.Encaps_internal(ek, m)`: (ciphertext, shared secret).
    fn encapsulate(ek: &Self::EncapsulationKey, m: &[u8; 32]) -> (Vec<u8>, SecretBytes);
}

macro_rules! kem_parameters {
    ($(#[$doc:meta])* $name:ident, $module:ident, $params:ident, $alg:ident, $k:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl KemParameters for $name {
            const ALGORITHM: AlgorithmId = AlgorithmId::$alg;
            const K: usize = $k;
            type DecapsulationKey = ml_kem::$module::DecapsulationKey;
            type EncapsulationKey = ml_kem::$module::EncapsulationKey;

            fn from_seed(d_z: &[u8; 64]) -> Self::DecapsulationKey {
                let mut seed = ml_kem::Seed::from(*d_z);
                let key = Self::DecapsulationKey::from_seed(seed);
                seed.zeroize();
                key
            }

            #[allow(deprecated)] // the expanded form is deprecated by the crate, still FIPS 203
            fn from_expanded(dk: &[u8]) -> Option<Self::DecapsulationKey> {
                let enc = ml_kem::ExpandedDecapsulationKey::<ml_kem::$params>::try_from(dk).ok()?;
                Self::DecapsulationKey::from_expanded(&enc).ok()
            }

            fn encapsulation_key_bytes(dk: &Self::DecapsulationKey) -> Vec<u8> {
                use ml_kem::KeyExport;
                dk.encapsulation_key().to_bytes().to_vec()
            }

            #[allow(deprecated)] // the expanded form is deprecated by the crate, still FIPS 203
            fn expanded_bytes(dk: &Self::DecapsulationKey) -> SecretBytes {
                use ml_kem::ExpandedKeyEncoding;
                let mut bytes = dk.to_expanded_bytes();
                let out = SecretBytes::from_slice(&bytes);
                bytes.zeroize();
                out
            }

            fn decapsulate(dk: &Self::DecapsulationKey, ciphertext: &[u8]) -> Option<SecretBytes> {
                use ml_kem::Decapsulate;
                let ct = ml_kem::$module::Ciphertext::try_from(ciphertext).ok()?;
                let mut k = dk.decapsulate(&ct);
                let out = SecretBytes::from_slice(&k);
                k.zeroize();
                Some(out)
            }

            fn parse_encapsulation_key(ek: &[u8]) -> Option<Self::EncapsulationKey> {
                let key = ml_kem::Key::<Self::EncapsulationKey>::try_from(ek).ok()?;
                Self::EncapsulationKey::new(&key).ok()
            }

            fn encapsulate(ek: &Self::EncapsulationKey, m: &[u8; 32]) -> (Vec<u8>, SecretBytes) {
                let mut m = ml_kem::B32::from(*m);
                let (ct, mut k) = ek.encapsulate_deterministic(&m);
                m.zeroize();
                let out = SecretBytes::from_slice(&k);
                k.zeroize();
                (ct.to_vec(), out)
            }
        }
    };
}

kem_parameters!(
    /// ML-KEM-512 (k = 2).
    Kem512, ml_kem_512, MlKem512, MlKem512, 2
);
kem_parameters!(
    /// ML-KEM-768 (k = 3).
    Kem768, ml_kem_768, MlKem768, MlKem768, 3
);
kem_parameters!(
    /// ML-KEM-1024 (k = 4).
    Kem1024, ml_kem_1024, MlKem1024, MlKem1024, 4
);

/// True when every 12-bit little-endian value packed in `bytes` is below q:
/// the FIPS 203 modulus check, `ByteEncode12(ByteDecode12(x)) == x`.
/// `bytes.len()` must be a multiple of 3 (two values per 3 bytes). Not
/// constant-time in *where* it fails, but it reads every byte.
pub(crate) fn coefficients_below_q(bytes: &[u8]) -> bool {
    let mut ok = true;
    for c in bytes.chunks_exact(3) {
        let (b0, b1, b2) = (u16::from(c[0]), u16::from(c[1]), u16::from(c[2]));
        let lo = b0 | ((b1 & 0x0f) << 8);
        let hi = (b1 >> 4) | (b2 << 4);
        ok &= lo < Q && hi < Q;
    }
    ok && bytes.len().is_multiple_of(3)
}

/// ML-KEM with parameter set `P`. Use the statics ([`crate::ML_KEM_768`], ...).
pub struct MlKem<P>(PhantomData<fn() -> P>);

impl<P> MlKem<P> {
    pub(crate) const fn new() -> Self {
        MlKem(PhantomData)
    }
}

impl<P: KemParameters> fmt::Debug for MlKem<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MlKem({}/{})", P::ALGORITHM, PROVIDER.id)
    }
}

/// A loaded ML-KEM decapsulation key: the crate's key (zeroized on drop),
/// the seed when it came from one, the encapsulation key and the expanded
/// form.
pub struct MlKemDecapsulationKey<P: KemParameters> {
    key: P::DecapsulationKey,
    seed: Option<SecretBytes>,
    expanded: SecretBytes,
    public: Vec<u8>,
}

impl<P: KemParameters> fmt::Debug for MlKemDecapsulationKey<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MlKemDecapsulationKey")
            .field("algorithm", &P::ALGORITHM.as_str())
            .field("encapsulation_key_prefix", &hex(&self.public[..16]))
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl<P: KemParameters> MlKemDecapsulationKey<P> {
    /// `ML-KEM.KeyGen_internal(d, z)` from the 64-byte seed `d || z`.
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        check_len(
            P::ALGORITHM,
            "seed (FIPS 203 d || z)",
            P::ALGORITHM.sizes().seed,
            seed,
        )?;
        let mut d_z = [0u8; 64];
        d_z.copy_from_slice(seed);
        let key = P::from_seed(&d_z);
        d_z.zeroize();
        Ok(Self::wrap(key, Some(SecretBytes::from_slice(seed))))
    }

    /// Loads the standard expanded decapsulation key `dk_PKE || ek || H(ek) || z`
    /// after the FIPS 203 section 7.3 checks (ml-kem: hash check and ek modulus
    /// check; here: dk_PKE modulus check).
    pub fn from_expanded(expanded: &[u8]) -> Result<Self> {
        check_len(
            P::ALGORITHM,
            "expanded decapsulation key",
            P::ALGORITHM.sizes().expanded_secret_key,
            expanded,
        )?;
        let dk_pke = &expanded[..P::K * POLY_BYTES];
        if !coefficients_below_q(dk_pke) {
            return Err(Error::invalid(format!(
                "{} expanded decapsulation key: the secret vector has a coefficient >= {Q} \
                 (fails the modulus check)",
                P::ALGORITHM
            )));
        }
        let key = P::from_expanded(expanded).ok_or_else(|| {
            Error::invalid(format!(
                "{} expanded decapsulation key fails the FIPS 203 checks \
                 (encapsulation key not reduced mod {Q}, or H(ek) differs from the stored hash)",
                P::ALGORITHM
            ))
        })?;
        Ok(Self::wrap(key, None))
    }

    fn wrap(key: P::DecapsulationKey, seed: Option<SecretBytes>) -> Self {
        let public = P::encapsulation_key_bytes(&key);
        let expanded = P::expanded_bytes(&key);
        MlKemDecapsulationKey {
            key,
            seed,
            expanded,
            public,
        }
    }
}

impl<P: KemParameters> DecapsulationKeyOps for MlKemDecapsulationKey<P> {
    fn encapsulation_key(&self) -> &[u8] {
        &self.public
    }

    fn seed(&self) -> Option<&SecretBytes> {
        self.seed.as_ref()
    }

    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        Some(&self.expanded)
    }

    fn decapsulate(&self, ciphertext: &[u8]) -> Result<SecretBytes> {
        let expected = P::ALGORITHM.sizes().ciphertext;
        check_len(P::ALGORITHM, "ciphertext", expected, ciphertext)?;
        P::decapsulate(&self.key, ciphertext).ok_or_else(|| {
            Error::wrong_length("ciphertext", P::ALGORITHM, expected, ciphertext.len())
        })
    }
}

/// A parsed, modulus-checked ML-KEM encapsulation key.
pub struct MlKemEncapsulationKey<P: KemParameters> {
    key: P::EncapsulationKey,
    public: Vec<u8>,
}

impl<P: KemParameters> fmt::Debug for MlKemEncapsulationKey<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MlKemEncapsulationKey")
            .field("algorithm", &P::ALGORITHM.as_str())
            .field("encapsulation_key_prefix", &hex(&self.public[..16]))
            .finish_non_exhaustive()
    }
}

impl<P: KemParameters> MlKemEncapsulationKey<P> {
    /// Parses an encapsulation key, with the FIPS 203 section 7.2 checks:
    /// type (length) and modulus (every coefficient below 3329).
    pub fn from_bytes(encapsulation_key: &[u8]) -> Result<Self> {
        check_len(
            P::ALGORITHM,
            "encapsulation key",
            P::ALGORITHM.sizes().public_key,
            encapsulation_key,
        )?;
        // ml-kem performs the modulus check itself (a re-encoding round trip);
        // checking here as well keeps the error precise and does not depend
        // on the crate version.
        let t_hat = &encapsulation_key[..P::K * POLY_BYTES];
        let invalid = || {
            Error::invalid(format!(
                "{} encapsulation key has a coefficient >= {Q} (fails the FIPS 203 modulus check)",
                P::ALGORITHM
            ))
        };
        if !coefficients_below_q(t_hat) {
            return Err(invalid());
        }
        let key = P::parse_encapsulation_key(encapsulation_key).ok_or_else(invalid)?;
        Ok(MlKemEncapsulationKey {
            key,
            public: encapsulation_key.to_vec(),
        })
    }
}

impl<P: KemParameters> EncapsulationKeyOps for MlKemEncapsulationKey<P> {
    fn encapsulate(&self) -> Result<(Vec<u8>, SecretBytes)> {
        // ML-KEM.Encaps: m is 32 fresh random bytes, then Encaps_internal.
        let m = pqshift_provider_api::random_seed(32)?;
        self.encapsulate_derand(m.expose())
    }

    fn encapsulate_derand(&self, m: &[u8]) -> Result<(Vec<u8>, SecretBytes)> {
        check_len(P::ALGORITHM, "encapsulation randomness m", 32, m)?;
        let mut buf = [0u8; 32];
        buf.copy_from_slice(m);
        let out = P::encapsulate(&self.key, &buf);
        buf.zeroize();
        Ok(out)
    }
}

impl<P: KemParameters> Scheme for MlKem<P> {
    fn algorithm(&self) -> AlgorithmId {
        P::ALGORITHM
    }

    fn provider(&self) -> &'static ProviderInfo {
        &PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            seeded_keygen: true,
            deterministic_sign: false,
            hedged_sign: false,
            context: false,
            derandomized_encaps: true,
        }
    }

    fn self_test(&self) -> Result<()> {
        crate::self_test::kem::<P>()
    }
}

impl<P: KemParameters> KemScheme for MlKem<P> {
    fn decapsulation_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn DecapsulationKeyOps>> {
        Ok(Box::new(MlKemDecapsulationKey::<P>::from_seed(seed)?))
    }

    fn encapsulation_key(&self, encapsulation_key: &[u8]) -> Result<Box<dyn EncapsulationKeyOps>> {
        Ok(Box::new(MlKemEncapsulationKey::<P>::from_bytes(
            encapsulation_key,
        )?))
    }

    fn decapsulation_key_from_expanded(
        &self,
        expanded: &[u8],
    ) -> Result<Box<dyn DecapsulationKeyOps>> {
        Ok(Box::new(MlKemDecapsulationKey::<P>::from_expanded(
            expanded,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_check_on_packed_pairs() {
        // (0, 0), (3328, 3328) pass; 3329 in either half fails; 4095 fails.
        assert!(coefficients_below_q(&[0, 0, 0]));
        let pack = |lo: u16, hi: u16| -> [u8; 3] {
            [
                (lo & 0xff) as u8,
                ((lo >> 8) as u8) | (((hi & 0x0f) as u8) << 4),
                (hi >> 4) as u8,
            ]
        };
        assert!(coefficients_below_q(&pack(3328, 3328)));
        assert!(!coefficients_below_q(&pack(3329, 0)));
        assert!(!coefficients_below_q(&pack(0, 3329)));
        assert!(!coefficients_below_q(&pack(4095, 4095)));
        assert!(!coefficients_below_q(&[0, 0]));
    }
}
