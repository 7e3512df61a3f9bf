//! The provider traits. Small, object-safe, used as `&'static dyn`.

use crate::{AlgorithmId, Error, Result, SecretBytes};

/// Longest context string FIPS 204 (and pqshift, for every algorithm) accepts.
pub const MAX_CONTEXT_LEN: usize = 255;

/// Rejects contexts over [`MAX_CONTEXT_LEN`] bytes, on sign and on verify.
pub fn check_context(alg: AlgorithmId, context: &[u8]) -> Result<()> {
    if context.len() > MAX_CONTEXT_LEN {
        return Err(Error::invalid(format!(
            "{alg} context must be at most {MAX_CONTEXT_LEN} bytes long, got {} bytes",
            context.len()
        )));
    }
    Ok(())
}

/// Checks an input length against what the algorithm expects.
pub fn check_len(alg: AlgorithmId, what: &str, expected: usize, got: &[u8]) -> Result<()> {
    if got.len() != expected {
        return Err(Error::wrong_length(what, alg, expected, got.len()));
    }
    Ok(())
}

/// Who implements an algorithm: one static per provider crate.
#[derive(Debug)]
pub struct ProviderInfo {
    /// Stable provider ID (`dalek`, `liboqs`, `placeholder`, ...).
    pub id: &'static str,
    /// One line for humans.
    pub description: &'static str,
    /// True for providers that offer NO SECURITY (the placeholder).
    pub insecure: bool,
    /// The backend crate or library.
    pub backend: &'static str,
    /// Its version.
    pub backend_version: &'static str,
    /// Lower is preferred when a configuration names an algorithm but no provider.
    pub preference: u16,
}

/// Optional operations; asking for one a provider lacks is [`Error::Unsupported`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Capabilities {
    /// Keys derive deterministically from the standard seed.
    pub seeded_keygen: bool,
    /// Signing without randomness (FIPS 204 deterministic variant; Ed25519 always).
    pub deterministic_sign: bool,
    /// Signing with fresh randomness (FIPS 204 hedged variant).
    pub hedged_sign: bool,
    /// Non-empty context strings.
    pub context: bool,
    /// Encapsulation with caller-provided randomness `m` (known-answer tests).
    pub derandomized_encaps: bool,
}

/// How a signature's randomness is chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SignMode {
    /// Fresh randomness mixed in (FIPS 204 default). Deterministic algorithms ignore it.
    #[default]
    Hedged,
    /// No randomness: the same key and message give the same signature.
    Deterministic,
}

/// What every scheme tells about itself.
pub trait Scheme: Send + Sync + 'static {
    /// The algorithm served.
    fn algorithm(&self) -> AlgorithmId;
    /// The provider serving it.
    fn provider(&self) -> &'static ProviderInfo;
    /// Optional operations supported.
    fn capabilities(&self) -> Capabilities;
    /// Known-answer self-test run before the first call is served.
    fn self_test(&self) -> Result<()>;
    /// Which implementation of the backend serves this algorithm in this
    /// build and on this CPU (reviewers read it in `pqshift audit`).
    /// Default: one portable implementation.
    fn variant(&self) -> Variant {
        Variant::portable()
    }
    /// What [`Scheme::self_test`] checks, one line per known-answer or
    /// negative set (e.g. `"positive: ACVP ML-DSA keyGen tcId 26"`), so a
    /// report can name the evidence behind a passed self-test.
    fn self_test_sets(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The implementation variants of a backend for one algorithm.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variant {
    /// The variants compiled into this build (e.g. `["ref"]`, `["ref", "avx2"]`).
    pub compiled: Vec<&'static str>,
    /// The one that serves calls on this CPU.
    pub active: &'static str,
    /// How it was chosen (build option, run-time CPU detection), for humans.
    pub note: String,
}

impl Variant {
    /// A single portable implementation, no run-time dispatch.
    pub fn portable() -> Variant {
        Variant {
            compiled: vec!["portable"],
            active: "portable",
            note: "one portable implementation; no CPU-specific code".into(),
        }
    }
}

/// A public-key signature scheme.
pub trait SignatureScheme: Scheme {
    /// Loads a secret key from its seed, deriving what signing needs once.
    fn signing_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn SigningKeyOps>>;

    /// Parses a public key in the standard encoding.
    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>>;

    /// A fresh random key. Default: a random seed from the OS through
    /// [`SignatureScheme::signing_key_from_seed`].
    fn generate(&self) -> Result<Box<dyn SigningKeyOps>> {
        let seed = random_seed(self.algorithm().sizes().seed)?;
        self.signing_key_from_seed(seed.expose())
    }

    /// Loads a secret key in the standard expanded form (for backends that
    /// take no seed). Implementations must validate it or refuse it: never
    /// hand an unchecked expanded key to a backend that may assert on it.
    fn signing_key_from_expanded(&self, expanded: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        let _ = expanded;
        Err(Error::unsupported(format!(
            "provider {} does not load {} secret keys in expanded form; use the seed form",
            self.provider().id,
            self.algorithm()
        )))
    }
}

/// A loaded signing key.
pub trait SigningKeyOps: Send + Sync {
    /// The public key, standard encoding.
    fn public_key(&self) -> &[u8];
    /// The seed this key was derived from, when it has one.
    fn seed(&self) -> Option<&SecretBytes>;
    /// The standard expanded secret key, for keys that have no seed.
    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        None
    }
    /// Signs `message` under `context` (at most 255 bytes).
    fn sign(&self, message: &[u8], context: &[u8], mode: SignMode) -> Result<Vec<u8>>;
}

/// A parsed public key.
pub trait VerifyingKeyOps: Send + Sync {
    /// The public key, standard encoding.
    fn public_key(&self) -> &[u8];
    /// `Ok(())` when `signature` is valid; [`Error::VerificationFailed`] when
    /// not; [`Error::InvalidInput`] when an argument is malformed.
    fn verify(&self, message: &[u8], context: &[u8], signature: &[u8]) -> Result<()>;
}

/// A key-encapsulation mechanism.
pub trait KemScheme: Scheme {
    /// Loads a decapsulation key from its 64-byte seed d||z.
    fn decapsulation_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn DecapsulationKeyOps>>;

    /// Parses an encapsulation key in the standard encoding.
    fn encapsulation_key(&self, encapsulation_key: &[u8]) -> Result<Box<dyn EncapsulationKeyOps>>;

    /// A fresh random key (default: random seed).
    fn generate(&self) -> Result<Box<dyn DecapsulationKeyOps>> {
        let seed = random_seed(self.algorithm().sizes().seed)?;
        self.decapsulation_key_from_seed(seed.expose())
    }

    /// Loads a decapsulation key in the standard expanded form (validated).
    fn decapsulation_key_from_expanded(
        &self,
        expanded: &[u8],
    ) -> Result<Box<dyn DecapsulationKeyOps>> {
        let _ = expanded;
        Err(Error::unsupported(format!(
            "provider {} does not load {} decapsulation keys in expanded form; use the seed form",
            self.provider().id,
            self.algorithm()
        )))
    }
}

/// A loaded decapsulation key.
pub trait DecapsulationKeyOps: Send + Sync {
    /// The matching encapsulation key, standard encoding.
    fn encapsulation_key(&self) -> &[u8];
    /// The seed this key was derived from, when it has one.
    fn seed(&self) -> Option<&SecretBytes>;
    /// The standard expanded decapsulation key, for keys that have no seed.
    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        None
    }
    /// Decapsulates; a modified ciphertext yields the implicit-rejection key, not an error.
    fn decapsulate(&self, ciphertext: &[u8]) -> Result<SecretBytes>;
}

/// A parsed encapsulation key.
pub trait EncapsulationKeyOps: Send + Sync {
    /// Returns (ciphertext, shared secret).
    fn encapsulate(&self) -> Result<(Vec<u8>, SecretBytes)>;
    /// Encapsulation with the caller's 32-byte randomness `m` (for known-answer tests).
    fn encapsulate_derand(&self, m: &[u8]) -> Result<(Vec<u8>, SecretBytes)> {
        let _ = m;
        Err(Error::unsupported(
            "this provider does not offer derandomized encapsulation",
        ))
    }
}

/// A message authentication code: one secret key signs and verifies.
pub trait MacScheme: Scheme {
    /// Loads a key from its seed (the key bytes).
    fn key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn MacKeyOps>>;
}

/// A loaded MAC key.
pub trait MacKeyOps: Send + Sync {
    /// The key bytes.
    fn seed(&self) -> &SecretBytes;
    /// Computes the tag of `message` under `context`.
    fn tag(&self, message: &[u8], context: &[u8]) -> Result<Vec<u8>>;
    /// Checks a tag in constant time.
    fn verify(&self, message: &[u8], context: &[u8], tag: &[u8]) -> Result<()>;
}

/// `len` random bytes from the operating system.
pub fn random_seed(len: usize) -> Result<SecretBytes> {
    let mut buf = vec![0u8; len];
    getrandom::fill(&mut buf)
        .map_err(|e| Error::Provider(format!("operating-system randomness failed: {e}")))?;
    Ok(SecretBytes::new(buf))
}

/// The seed for the porting plan's `keygen(seed: int)` contract: a fixed,
/// documented expansion of a 64-bit integer into `alg`'s seed size.
///
/// `seed = SHA-256("pqshift-int-seed-v1" || 0x00 || alg || 0x00 || n as 8 bytes big-endian || i as 1 byte)`
/// for i = 0, 1, ..., concatenated and cut to the seed size. Deterministic
/// across runs, languages and providers; NOT a way to make a strong key.
pub fn seed_from_u64(alg: AlgorithmId, n: u64) -> SecretBytes {
    use sha2::{Digest, Sha256};
    let want = alg.sizes().seed;
    let mut out = Vec::with_capacity(want + 32);
    let mut i = 0u8;
    while out.len() < want {
        let mut h = Sha256::new();
        h.update(b"pqshift-int-seed-v1\0");
        h.update(alg.as_str().as_bytes());
        h.update([0u8]);
        h.update(n.to_be_bytes());
        h.update([i]);
        out.extend_from_slice(&h.finalize());
        i = i.wrapping_add(1);
    }
    out.truncate(want);
    SecretBytes::new(out)
}
