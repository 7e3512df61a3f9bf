//! ML-DSA (FIPS 204) on ml-dsa 0.1.

use std::fmt;
use std::marker::PhantomData;

use ml_dsa::{
    EncodedSignature, EncodedVerifyingKey, ExpandedSigningKey, MlDsaParams, Seed, Signature,
    VerifyingKey,
};
use pqshift_provider_api::{
    check_context, check_len, AlgorithmId, Capabilities, Error, ProviderInfo, Result, Scheme,
    SecretBytes, SignMode, SignatureScheme, SigningKeyOps, VerifyingKeyOps,
};

use zeroize::Zeroize;

use crate::{hex, OsRandom, PROVIDER};

/// An ML-DSA parameter set of the ml-dsa crate, tied to its pqshift algorithm ID.
pub trait DsaParameters: MlDsaParams + Send + Sync + 'static {
    /// The pqshift algorithm.
    const ALGORITHM: AlgorithmId;
    /// Rows of A (k).
    const K: usize;
    /// Columns of A (l).
    const L: usize;
    /// The secret coefficient bound eta.
    const ETA: u8;
}

impl DsaParameters for ml_dsa::MlDsa44 {
    const ALGORITHM: AlgorithmId = AlgorithmId::MlDsa44;
    const K: usize = 4;
    const L: usize = 4;
    const ETA: u8 = 2;
}

impl DsaParameters for ml_dsa::MlDsa65 {
    const ALGORITHM: AlgorithmId = AlgorithmId::MlDsa65;
    const K: usize = 6;
    const L: usize = 5;
    const ETA: u8 = 4;
}

impl DsaParameters for ml_dsa::MlDsa87 {
    const ALGORITHM: AlgorithmId = AlgorithmId::MlDsa87;
    const K: usize = 8;
    const L: usize = 7;
    const ETA: u8 = 2;
}

/// ML-DSA with parameter set `P`. Use the statics ([`crate::ML_DSA_65`], ...).
pub struct MlDsa<P>(PhantomData<fn() -> P>);

impl<P> MlDsa<P> {
    pub(crate) const fn new() -> Self {
        MlDsa(PhantomData)
    }
}

impl<P: DsaParameters> fmt::Debug for MlDsa<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MlDsa({}/{})", P::ALGORITHM, PROVIDER.id)
    }
}

/// `ML-DSA.KeyGen_internal(xi)`: the crate's expanded key from the 32-byte seed.
fn expand_seed<P: DsaParameters>(seed: &[u8]) -> Result<ExpandedSigningKey<P>> {
    check_len(
        P::ALGORITHM,
        "seed (FIPS 204 xi)",
        P::ALGORITHM.sizes().seed,
        seed,
    )?;
    let mut xi = Seed::default();
    xi.copy_from_slice(seed);
    let key = ExpandedSigningKey::<P>::from_seed(&xi);
    xi.zeroize();
    Ok(key)
}

/// A loaded ML-DSA signing key: the crate's expanded key (derived once from
/// the seed, zeroized on drop), the seed, the public key and the standard
/// expanded encoding.
pub struct MlDsaSigningKey<P: DsaParameters> {
    key: ExpandedSigningKey<P>,
    seed: SecretBytes,
    expanded: SecretBytes,
    public: Vec<u8>,
}

impl<P: DsaParameters> fmt::Debug for MlDsaSigningKey<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MlDsaSigningKey")
            .field("algorithm", &P::ALGORITHM.as_str())
            .field("public_key_prefix", &hex(&self.public[..16]))
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl<P: DsaParameters> MlDsaSigningKey<P> {
    /// `ML-DSA.KeyGen_internal(xi)` (FIPS 204 Algorithm 6).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        let key = expand_seed::<P>(seed)?;
        let public = key.verifying_key().encode().to_vec();
        #[allow(deprecated)] // skEncode: deprecated by the crate in favour of seeds, still FIPS 204
        let expanded = SecretBytes::new(key.to_expanded().to_vec());
        Ok(MlDsaSigningKey {
            key,
            seed: SecretBytes::from_slice(seed),
            expanded,
            public,
        })
    }

    /// FIPS 204 `ML-DSA.Sign_internal(sk, M', rnd)` on this key, for tests
    /// (see [`crate::internal`]).
    pub(crate) fn sign_internal(&self, m_prime: &[u8], rnd: &[u8; 32]) -> Result<Vec<u8>> {
        crate::internal::sign_internal_guarded(&self.key, m_prime, rnd)
    }
}

impl<P: DsaParameters> SigningKeyOps for MlDsaSigningKey<P> {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn seed(&self) -> Option<&SecretBytes> {
        Some(&self.seed)
    }

    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        Some(&self.expanded)
    }

    fn sign(&self, message: &[u8], context: &[u8], mode: SignMode) -> Result<Vec<u8>> {
        check_context(P::ALGORITHM, context)?;
        let signature = match mode {
            SignMode::Deterministic => self.key.sign_deterministic(message, context),
            SignMode::Hedged => self.key.sign_randomized(message, context, &mut OsRandom),
        }
        .map_err(|_| {
            // The context was checked above: what is left is a failure to get
            // randomness or (astronomically unlikely) rejection sampling
            // running out of nonces.
            Error::Provider(format!(
                "{} signing failed in ml-dsa (randomness unavailable or rejection sampling exhausted)",
                P::ALGORITHM
            ))
        })?;
        Ok(signature.encode().to_vec())
    }
}

/// A parsed ML-DSA public key (with the crate's precomputed matrix).
pub struct MlDsaVerifyingKey<P: DsaParameters> {
    key: VerifyingKey<P>,
    public: Vec<u8>,
}

impl<P: DsaParameters> fmt::Debug for MlDsaVerifyingKey<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MlDsaVerifyingKey")
            .field("algorithm", &P::ALGORITHM.as_str())
            .field("public_key_prefix", &hex(&self.public[..16]))
            .finish_non_exhaustive()
    }
}

impl<P: DsaParameters> MlDsaVerifyingKey<P> {
    /// `pkDecode` (FIPS 204 Algorithm 23). Every byte string of the right
    /// length is a valid encoding (`t1` has 10-bit coefficients).
    pub fn from_bytes(public_key: &[u8]) -> Result<Self> {
        check_len(
            P::ALGORITHM,
            "public key",
            P::ALGORITHM.sizes().public_key,
            public_key,
        )?;
        let enc = EncodedVerifyingKey::<P>::try_from(public_key).map_err(|_| {
            Error::wrong_length(
                "public key",
                P::ALGORITHM,
                P::ALGORITHM.sizes().public_key,
                public_key.len(),
            )
        })?;
        Ok(MlDsaVerifyingKey {
            key: VerifyingKey::<P>::decode(&enc),
            public: public_key.to_vec(),
        })
    }

    /// FIPS 204 `ML-DSA.Verify_internal(pk, M', sigma)`, for tests.
    pub(crate) fn verify_internal(&self, m_prime: &[u8], signature: &[u8]) -> Result<()> {
        let sig = decode_signature::<P>(signature)?;
        if self.key.verify_internal(m_prime, &sig) {
            Ok(())
        } else {
            Err(Error::VerificationFailed)
        }
    }
}

/// `sigDecode` (FIPS 204 Algorithm 27) after a length check: a signature
/// that does not decode (hint out of order, `z` out of range) does not
/// verify.
fn decode_signature<P: DsaParameters>(signature: &[u8]) -> Result<Signature<P>> {
    check_len(
        P::ALGORITHM,
        "signature",
        P::ALGORITHM.sizes().signature,
        signature,
    )?;
    let enc = EncodedSignature::<P>::try_from(signature).map_err(|_| {
        Error::wrong_length(
            "signature",
            P::ALGORITHM,
            P::ALGORITHM.sizes().signature,
            signature.len(),
        )
    })?;
    Signature::<P>::decode(&enc).ok_or(Error::VerificationFailed)
}

impl<P: DsaParameters> VerifyingKeyOps for MlDsaVerifyingKey<P> {
    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn verify(&self, message: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
        check_context(P::ALGORITHM, context)?;
        let sig = decode_signature::<P>(signature)?;
        if self.key.verify_with_context(message, context, &sig) {
            Ok(())
        } else {
            Err(Error::VerificationFailed)
        }
    }
}

impl<P: DsaParameters> Scheme for MlDsa<P> {
    fn algorithm(&self) -> AlgorithmId {
        P::ALGORITHM
    }

    fn provider(&self) -> &'static ProviderInfo {
        &PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            seeded_keygen: true,
            deterministic_sign: true,
            hedged_sign: true,
            context: true,
            derandomized_encaps: false,
        }
    }

    fn self_test(&self) -> Result<()> {
        crate::self_test::dsa::<P>()
    }

    fn self_test_sets(&self) -> Vec<String> {
        crate::self_test::dsa_sets(P::ALGORITHM)
    }
}

impl<P: DsaParameters> SignatureScheme for MlDsa<P> {
    fn signing_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        Ok(Box::new(MlDsaSigningKey::<P>::from_seed(seed)?))
    }

    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        Ok(Box::new(MlDsaVerifyingKey::<P>::from_bytes(public_key)?))
    }

    fn signing_key_from_expanded(&self, expanded: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        // Refused whatever the input: see the crate documentation.
        let _ = expanded;
        Err(Error::unsupported(format!(
            "provider {} does not load {} secret keys in expanded form: ml-dsa {} cannot validate \
             them (its skDecode asserts on out-of-range coefficients and cannot check t0 or tr); \
             use the 32-byte seed form",
            PROVIDER.id,
            P::ALGORITHM,
            crate::ML_DSA_VERSION
        )))
    }
}
