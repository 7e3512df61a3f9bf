//! Keys and signatures: what applications hold.

use std::fmt;
use std::sync::OnceLock;

use pqshift_provider_api::encoding::{fingerprint, FINGERPRINT_LEN};
use pqshift_provider_api::{
    check_context, registry, AlgorithmId, AlgorithmKind, Capabilities, DecapsulationKeyOps,
    EncapsulationKeyOps, Implementation, KemScheme, MacKeyOps, MacScheme, ObjectKind, ProviderInfo,
    SecretBytes, SignMode, SignatureScheme, SigningKeyOps, Tagged, VerifyingKeyOps,
};

use crate::{Error, Result};

/// The admitted signature scheme for `alg` (served by `provider` or the preferred one).
pub fn signature_scheme(
    alg: AlgorithmId,
    provider: Option<&str>,
) -> Result<&'static dyn SignatureScheme> {
    match registry::find(alg, provider)?.admitted()? {
        Implementation::Signature(s) => Ok(s),
        _ => Err(not_kind(alg, AlgorithmKind::Signature)),
    }
}

/// The admitted MAC scheme for `alg`.
pub fn mac_scheme(alg: AlgorithmId, provider: Option<&str>) -> Result<&'static dyn MacScheme> {
    match registry::find(alg, provider)?.admitted()? {
        Implementation::Mac(s) => Ok(s),
        _ => Err(not_kind(alg, AlgorithmKind::Mac)),
    }
}

/// The admitted KEM for `alg`.
pub fn kem_scheme(alg: AlgorithmId, provider: Option<&str>) -> Result<&'static dyn KemScheme> {
    match registry::find(alg, provider)?.admitted()? {
        Implementation::Kem(s) => Ok(s),
        _ => Err(not_kind(alg, AlgorithmKind::Kem)),
    }
}

fn not_kind(alg: AlgorithmId, want: AlgorithmKind) -> Error {
    Error::invalid(format!(
        "{alg} is a {} algorithm, not a {} algorithm",
        alg.kind(),
        want
    ))
}

/// The registration that signs `alg` in `mode`: `provider` when one is
/// named; otherwise the preferred provider that offers `mode` (for
/// [`SignMode::Deterministic`], the preferred one with
/// `deterministic_sign`), or the preferred provider when none offers it (its
/// capability check then reports the operation as unsupported).
///
/// This is how a deterministic signature is made when no provider is
/// named although the algorithm's preferred provider signs hedged only
/// (`awslc` for ML-DSA): FIPS 204's deterministic signature is one exact
/// byte string, the same from every conforming provider.
pub fn signing_registration(
    alg: AlgorithmId,
    provider: Option<&str>,
    mode: SignMode,
) -> Result<&'static registry::Registration> {
    if provider.is_some() || mode != SignMode::Deterministic {
        return registry::find(alg, provider);
    }
    match registry::providers_for(alg)
        .into_iter()
        .find(|r| r.capabilities().deterministic_sign)
    {
        Some(r) => Ok(r),
        None => registry::find(alg, None),
    }
}

/// Capabilities of the provider serving `alg`.
pub fn capabilities(alg: AlgorithmId, provider: Option<&str>) -> Result<Capabilities> {
    Ok(registry::find(alg, provider)?.capabilities())
}

fn require_kind(tagged: &Tagged, kind: ObjectKind) -> Result<()> {
    tagged.expect(kind, None).map(|_| ())
}

/// A signature (or MAC tag) together with its algorithm.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature {
    algorithm: AlgorithmId,
    bytes: Vec<u8>,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Signature({}, {} bytes)",
            self.algorithm,
            self.bytes.len()
        )
    }
}

impl Signature {
    /// Wraps bare standard signature bytes of `alg`, checking the length.
    pub fn from_raw(alg: AlgorithmId, bytes: &[u8]) -> Result<Self> {
        let t = Tagged::new(ObjectKind::Signature, alg, None, bytes)?;
        Ok(Signature {
            algorithm: t.algorithm(),
            bytes: bytes.to_vec(),
        })
    }

    /// Decodes a tagged signature (binary or text form).
    pub fn decode(data: &[u8]) -> Result<Self> {
        Self::from_tagged(&Tagged::decode(data)?)
    }

    /// From a decoded tagged object.
    pub fn from_tagged(t: &Tagged) -> Result<Self> {
        require_kind(t, ObjectKind::Signature)?;
        Ok(Signature {
            algorithm: t.algorithm(),
            bytes: t.payload().to_vec(),
        })
    }

    /// The tagged object.
    pub fn to_tagged(&self) -> Result<Tagged> {
        Tagged::new(ObjectKind::Signature, self.algorithm, None, &self.bytes)
    }

    /// Tagged binary form.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        Ok(self.to_tagged()?.to_bytes().to_vec())
    }

    /// Tagged text form.
    pub fn to_text(&self) -> Result<String> {
        Ok(self.to_tagged()?.to_text().to_string())
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The bare standard signature bytes.
    pub fn as_raw(&self) -> &[u8] {
        &self.bytes
    }
}

/// A KEM ciphertext together with its algorithm.
#[derive(Clone, PartialEq, Eq)]
pub struct Ciphertext {
    algorithm: AlgorithmId,
    bytes: Vec<u8>,
}

impl fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Ciphertext({}, {} bytes)",
            self.algorithm,
            self.bytes.len()
        )
    }
}

impl Ciphertext {
    /// Wraps bare standard ciphertext bytes of `alg`, checking the length.
    pub fn from_raw(alg: AlgorithmId, bytes: &[u8]) -> Result<Self> {
        Tagged::new(ObjectKind::Ciphertext, alg, None, bytes)?;
        Ok(Ciphertext {
            algorithm: alg,
            bytes: bytes.to_vec(),
        })
    }

    /// Decodes a tagged ciphertext (binary or text form).
    pub fn decode(data: &[u8]) -> Result<Self> {
        Self::from_tagged(&Tagged::decode(data)?)
    }

    /// From a decoded tagged object.
    pub fn from_tagged(t: &Tagged) -> Result<Self> {
        require_kind(t, ObjectKind::Ciphertext)?;
        Ok(Ciphertext {
            algorithm: t.algorithm(),
            bytes: t.payload().to_vec(),
        })
    }

    /// The tagged object.
    pub fn to_tagged(&self) -> Result<Tagged> {
        Tagged::new(ObjectKind::Ciphertext, self.algorithm, None, &self.bytes)
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The bare standard bytes.
    pub fn as_raw(&self) -> &[u8] {
        &self.bytes
    }
}

enum SecretInner {
    Sig(Box<dyn SigningKeyOps>),
    Mac(Box<dyn MacKeyOps>),
}

/// A loaded secret key: a signing key, or the placeholder's MAC key (which
/// also verifies, since a MAC has no public key).
///
/// The provider's working form is derived once at load; secret material is
/// zeroized on drop and never shown by `Debug`.
pub struct SecretKey {
    algorithm: AlgorithmId,
    provider: &'static ProviderInfo,
    inner: SecretInner,
    fingerprint: [u8; FINGERPRINT_LEN],
    /// The provider was named by the caller (not the preferred one).
    pinned: bool,
    /// Deterministic signatures of an unpinned key whose provider signs
    /// hedged only: the same key, loaded once by the preferred provider that
    /// signs deterministically (see [`signing_registration`]).
    deterministic: OnceLock<Box<dyn SigningKeyOps>>,
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretKey")
            .field("algorithm", &self.algorithm)
            .field("provider", &self.provider.id)
            .field("fingerprint", &hex::encode(self.fingerprint))
            .finish_non_exhaustive()
    }
}

impl SecretKey {
    /// Loads a key of `alg` from its standard seed.
    pub fn from_seed(alg: AlgorithmId, seed: &[u8], provider: Option<&str>) -> Result<Self> {
        match alg.kind() {
            AlgorithmKind::Signature => {
                let scheme = signature_scheme(alg, provider)?;
                Ok(Self::from_sig(
                    scheme,
                    scheme.signing_key_from_seed(seed)?,
                    provider.is_some(),
                ))
            }
            AlgorithmKind::Mac => {
                let scheme = mac_scheme(alg, provider)?;
                Ok(Self::from_mac(scheme, scheme.key_from_seed(seed)?))
            }
            AlgorithmKind::Kem => Err(Error::invalid(format!(
                "{alg} is a KEM: load it as a DecapsulationKey"
            ))),
        }
    }

    /// The porting plan's `keygen(seed: int)`: a deterministic key from an integer
    /// (see [`pqshift_provider_api::seed_from_u64`]). For tests and fixtures only.
    pub fn from_u64(alg: AlgorithmId, n: u64, provider: Option<&str>) -> Result<Self> {
        Self::from_seed(
            alg,
            pqshift_provider_api::seed_from_u64(alg, n).expose(),
            provider,
        )
    }

    /// A fresh random key.
    pub fn generate(alg: AlgorithmId, provider: Option<&str>) -> Result<Self> {
        match alg.kind() {
            AlgorithmKind::Signature => {
                let scheme = signature_scheme(alg, provider)?;
                Ok(Self::from_sig(
                    scheme,
                    scheme.generate()?,
                    provider.is_some(),
                ))
            }
            AlgorithmKind::Mac => {
                let seed = pqshift_provider_api::random_seed(alg.sizes().seed)?;
                Self::from_seed(alg, seed.expose(), provider)
            }
            AlgorithmKind::Kem => Err(Error::invalid(format!(
                "{alg} is a KEM: generate a DecapsulationKey"
            ))),
        }
    }

    fn from_sig(
        scheme: &'static dyn SignatureScheme,
        key: Box<dyn SigningKeyOps>,
        pinned: bool,
    ) -> Self {
        let alg = scheme.algorithm();
        SecretKey {
            algorithm: alg,
            provider: scheme.provider(),
            fingerprint: fingerprint(alg, key.public_key()),
            inner: SecretInner::Sig(key),
            pinned,
            deterministic: OnceLock::new(),
        }
    }

    fn from_mac(scheme: &'static dyn MacScheme, key: Box<dyn MacKeyOps>) -> Self {
        let alg = scheme.algorithm();
        SecretKey {
            algorithm: alg,
            provider: scheme.provider(),
            fingerprint: fingerprint(alg, key.seed().expose()),
            inner: SecretInner::Mac(key),
            pinned: true,
            deterministic: OnceLock::new(),
        }
    }

    /// Decodes a tagged secret key (binary or text) and loads it, checking its fingerprint.
    pub fn decode(data: &[u8], provider: Option<&str>) -> Result<Self> {
        Self::from_tagged(&Tagged::decode(data)?, provider)
    }

    /// Loads a signing key in the standard expanded form of `alg` (for
    /// backends that take no seed; the provider validates it).
    pub fn from_expanded(
        alg: AlgorithmId,
        expanded: &[u8],
        provider: Option<&str>,
    ) -> Result<Self> {
        let scheme = signature_scheme(alg, provider)?;
        Ok(Self::from_sig(
            scheme,
            scheme.signing_key_from_expanded(expanded)?,
            provider.is_some(),
        ))
    }

    /// Loads a decoded tagged secret key (seed or expanded form), checking its fingerprint.
    pub fn from_tagged(t: &Tagged, provider: Option<&str>) -> Result<Self> {
        let key = match t.kind() {
            ObjectKind::SecretSeed => Self::from_seed(t.algorithm(), t.payload(), provider)?,
            ObjectKind::SecretExpanded => {
                Self::from_expanded(t.algorithm(), t.payload(), provider)?
            }
            other => {
                return Err(Error::invalid(format!(
                    "expected a tagged secret key, got a {} ({})",
                    other.describe(),
                    t.algorithm()
                )))
            }
        };
        check_fingerprint(t, &key.fingerprint)?;
        Ok(key)
    }

    /// The tagged object: the seed form, or the expanded form (marked as
    /// such) for keys whose provider keeps no seed.
    pub fn to_tagged(&self) -> Result<Tagged> {
        let (kind, bytes) = match (&self.inner, self.seed()) {
            (_, Some(seed)) => (ObjectKind::SecretSeed, seed),
            (SecretInner::Sig(k), None) => match k.expanded_secret_key() {
                Some(e) => (ObjectKind::SecretExpanded, e),
                None => {
                    return Err(Error::unsupported(format!(
                        "provider {} can export neither a seed nor an expanded key for this {} key",
                        self.provider.id, self.algorithm
                    )))
                }
            },
            (SecretInner::Mac(_), None) => {
                return Err(Error::Internal("MAC key without key bytes".into()))
            }
        };
        Tagged::new(kind, self.algorithm, Some(self.fingerprint), bytes.expose())
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The provider that loaded it.
    pub fn provider(&self) -> &'static ProviderInfo {
        self.provider
    }

    /// The key fingerprint (of the public key; for a MAC, of the key).
    pub fn fingerprint(&self) -> [u8; FINGERPRINT_LEN] {
        self.fingerprint
    }

    /// The seed. Secret: handle with care.
    pub fn seed(&self) -> Option<&SecretBytes> {
        match &self.inner {
            SecretInner::Sig(k) => k.seed(),
            SecretInner::Mac(k) => Some(k.seed()),
        }
    }

    /// The standard expanded secret key, when the provider exports one. Secret.
    pub fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        match &self.inner {
            SecretInner::Sig(k) => k.expanded_secret_key(),
            SecretInner::Mac(_) => None,
        }
    }

    /// True when the provider was named when the key was loaded (a
    /// deterministic signature is then never delegated to another provider).
    pub fn is_pinned(&self) -> bool {
        self.pinned
    }

    /// True for a MAC key (the placeholder), which has no public key.
    pub fn is_mac(&self) -> bool {
        matches!(self.inner, SecretInner::Mac(_))
    }

    /// The public key. A MAC key has none: that is an error saying so.
    pub fn public_key(&self) -> Result<PublicKey> {
        match &self.inner {
            SecretInner::Sig(k) => {
                PublicKey::from_raw(self.algorithm, k.public_key(), Some(self.provider.id))
            }
            SecretInner::Mac(_) => Err(Error::invalid(format!(
                "{} is a MAC: it has no public key; verify with the secret key",
                self.algorithm
            ))),
        }
    }

    /// Signs (hedged where the algorithm supports it).
    pub fn sign(&self, message: &[u8], context: &[u8]) -> Result<Signature> {
        self.sign_with(message, context, SignMode::Hedged)
    }

    /// Signs with an explicit mode. A context over 255 bytes is
    /// `InvalidInput` for every algorithm (checked before the provider, which
    /// for Ed25519 would call any context unsupported).
    ///
    /// A deterministic signature asked of a key whose provider signs hedged
    /// only is made by the preferred provider that signs deterministically
    /// (see [`signing_registration`]), unless the key's provider was named
    /// when it was loaded: then it is `Unsupported`.
    pub fn sign_with(&self, message: &[u8], context: &[u8], mode: SignMode) -> Result<Signature> {
        self.sign_delegating(message, context, mode, !self.pinned)
    }

    /// [`SecretKey::sign_with`], saying whether a deterministic signature may
    /// be delegated (the policy allows it when its configuration names no
    /// signing provider, even for keys it loaded through the preferred one).
    pub(crate) fn sign_delegating(
        &self,
        message: &[u8],
        context: &[u8],
        mode: SignMode,
        may_delegate: bool,
    ) -> Result<Signature> {
        check_context(self.algorithm, context)?;
        let bytes = match &self.inner {
            SecretInner::Sig(k) => self
                .signer_for(k.as_ref(), mode, may_delegate)?
                .sign(message, context, mode)?,
            SecretInner::Mac(k) => k.tag(message, context)?,
        };
        Ok(Signature {
            algorithm: self.algorithm,
            bytes,
        })
    }

    /// The key that signs in `mode`: this one, unless a deterministic
    /// signature may be delegated and this key's provider signs hedged only;
    /// then the same key loaded (once) by the preferred provider that signs
    /// deterministically, checked to have the same public key.
    fn signer_for<'a>(
        &'a self,
        key: &'a dyn SigningKeyOps,
        mode: SignMode,
        may_delegate: bool,
    ) -> Result<&'a dyn SigningKeyOps> {
        let alg = self.algorithm;
        if mode != SignMode::Deterministic
            || !may_delegate
            || signature_scheme(alg, Some(self.provider.id))?
                .capabilities()
                .deterministic_sign
        {
            return Ok(key);
        }
        if let Some(k) = self.deterministic.get() {
            return Ok(k.as_ref());
        }
        let reg = signing_registration(alg, None, SignMode::Deterministic)?;
        if !reg.capabilities().deterministic_sign {
            return Err(Error::unsupported(format!(
                "no linked provider signs {alg} deterministically"
            )));
        }
        let Implementation::Signature(scheme) = reg.admitted()? else {
            return Err(not_kind(alg, AlgorithmKind::Signature));
        };
        let refused = |e: Error| {
            Error::unsupported(format!(
                "provider {} signs {alg} hedged only, and {}, which signs deterministically, \
                 cannot load its key: {e}",
                self.provider.id,
                scheme.provider().id
            ))
        };
        let other = match (key.seed(), key.expanded_secret_key()) {
            (Some(seed), _) => scheme
                .signing_key_from_seed(seed.expose())
                .map_err(refused)?,
            (None, Some(expanded)) => scheme
                .signing_key_from_expanded(expanded.expose())
                .map_err(refused)?,
            (None, None) => {
                return Err(Error::unsupported(format!(
                    "provider {} signs {alg} hedged only and exports no key form another \
                     provider could sign deterministically with",
                    self.provider.id
                )))
            }
        };
        if other.public_key() != key.public_key() {
            return Err(Error::Internal(format!(
                "providers {} and {} derive different {alg} public keys from one secret key",
                self.provider.id,
                scheme.provider().id
            )));
        }
        Ok(self.deterministic.get_or_init(|| other).as_ref())
    }

    /// Verifies with this key: the only way for a MAC; for signatures, through the public key.
    pub fn verify(&self, message: &[u8], context: &[u8], signature: &Signature) -> Result<()> {
        check_same_alg(self.algorithm, signature)?;
        check_context(self.algorithm, context)?;
        match &self.inner {
            SecretInner::Sig(_) => self.public_key()?.verify(message, context, signature),
            SecretInner::Mac(k) => k.verify(message, context, &signature.bytes),
        }
    }
}

fn check_fingerprint(t: &Tagged, actual: &[u8; FINGERPRINT_LEN]) -> Result<()> {
    match t.fingerprint() {
        Some(fp) if pqshift_provider_api::ct_eq(fp, actual) => Ok(()),
        _ => Err(Error::invalid(format!(
            "{} {} fingerprint does not match its contents (corrupted key file?)",
            t.algorithm(),
            t.kind().describe()
        ))),
    }
}

fn check_same_alg(key: AlgorithmId, sig: &Signature) -> Result<()> {
    if key != sig.algorithm {
        return Err(Error::invalid(format!(
            "algorithm mismatch: a {key} key cannot verify a {} signature",
            sig.algorithm
        )));
    }
    Ok(())
}

/// A parsed public key of a signature algorithm.
pub struct PublicKey {
    algorithm: AlgorithmId,
    provider: &'static ProviderInfo,
    inner: Box<dyn VerifyingKeyOps>,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("algorithm", &self.algorithm)
            .field("provider", &self.provider.id)
            .field("fingerprint", &hex::encode(self.fingerprint()))
            .finish()
    }
}

impl PublicKey {
    /// Parses bare standard public-key bytes of `alg`.
    pub fn from_raw(alg: AlgorithmId, bytes: &[u8], provider: Option<&str>) -> Result<Self> {
        if alg.kind() == AlgorithmKind::Mac {
            return Err(Error::invalid(format!(
                "{alg} is a MAC: it has no public key; verify with the secret key"
            )));
        }
        let scheme = signature_scheme(alg, provider)?;
        Ok(PublicKey {
            algorithm: alg,
            provider: scheme.provider(),
            inner: scheme.verifying_key(bytes)?,
        })
    }

    /// Decodes a tagged public key (binary or text), checking its fingerprint.
    pub fn decode(data: &[u8], provider: Option<&str>) -> Result<Self> {
        Self::from_tagged(&Tagged::decode(data)?, provider)
    }

    /// From a decoded tagged object, checking its fingerprint.
    pub fn from_tagged(t: &Tagged, provider: Option<&str>) -> Result<Self> {
        require_kind(t, ObjectKind::PublicKey)?;
        check_fingerprint(t, &fingerprint(t.algorithm(), t.payload()))?;
        Self::from_raw(t.algorithm(), t.payload(), provider)
    }

    /// The tagged object.
    pub fn to_tagged(&self) -> Result<Tagged> {
        Tagged::new(
            ObjectKind::PublicKey,
            self.algorithm,
            Some(self.fingerprint()),
            self.inner.public_key(),
        )
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The provider that verifies with it.
    pub fn provider(&self) -> &'static ProviderInfo {
        self.provider
    }

    /// The bare standard bytes.
    pub fn as_raw(&self) -> &[u8] {
        self.inner.public_key()
    }

    /// The fingerprint.
    pub fn fingerprint(&self) -> [u8; FINGERPRINT_LEN] {
        fingerprint(self.algorithm, self.inner.public_key())
    }

    /// Verifies a signature of this key's algorithm; another algorithm's is an error.
    pub fn verify(&self, message: &[u8], context: &[u8], signature: &Signature) -> Result<()> {
        check_same_alg(self.algorithm, signature)?;
        self.verify_raw(message, context, &signature.bytes)
    }

    /// Verifies bare standard signature bytes. pqshift's verification gate
    /// (lengths, the ML-DSA z norm bound, the hint encoding) runs first: no
    /// provider alone can call a malformed signature valid.
    pub fn verify_raw(&self, message: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
        check_context(self.algorithm, context)?;
        crate::gate::check(self.algorithm, self.inner.public_key(), signature)?;
        self.inner.verify(message, context, signature)
    }
}

/// A loaded KEM decapsulation key.
pub struct DecapsulationKey {
    algorithm: AlgorithmId,
    provider: &'static ProviderInfo,
    inner: Box<dyn DecapsulationKeyOps>,
}

impl fmt::Debug for DecapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecapsulationKey")
            .field("algorithm", &self.algorithm)
            .field("provider", &self.provider.id)
            .finish_non_exhaustive()
    }
}

impl DecapsulationKey {
    /// Loads from the 64-byte seed d||z.
    pub fn from_seed(alg: AlgorithmId, seed: &[u8], provider: Option<&str>) -> Result<Self> {
        let scheme = kem_scheme(alg, provider)?;
        Ok(DecapsulationKey {
            algorithm: alg,
            provider: scheme.provider(),
            inner: scheme.decapsulation_key_from_seed(seed)?,
        })
    }

    /// A fresh random key.
    pub fn generate(alg: AlgorithmId, provider: Option<&str>) -> Result<Self> {
        let scheme = kem_scheme(alg, provider)?;
        Ok(DecapsulationKey {
            algorithm: alg,
            provider: scheme.provider(),
            inner: scheme.generate()?,
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The provider.
    pub fn provider(&self) -> &'static ProviderInfo {
        self.provider
    }

    /// The seed, when the provider keeps one. Secret.
    pub fn seed(&self) -> Option<&SecretBytes> {
        self.inner.seed()
    }

    /// The standard expanded decapsulation key, when the provider exports one. Secret.
    pub fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        self.inner.expanded_secret_key()
    }

    /// Loads a decapsulation key in the standard expanded form (validated by the provider).
    pub fn from_expanded(
        alg: AlgorithmId,
        expanded: &[u8],
        provider: Option<&str>,
    ) -> Result<Self> {
        let scheme = kem_scheme(alg, provider)?;
        Ok(DecapsulationKey {
            algorithm: alg,
            provider: scheme.provider(),
            inner: scheme.decapsulation_key_from_expanded(expanded)?,
        })
    }

    /// The key fingerprint (of the encapsulation key).
    pub fn fingerprint(&self) -> [u8; FINGERPRINT_LEN] {
        fingerprint(self.algorithm, self.inner.encapsulation_key())
    }

    /// Decodes a tagged decapsulation key (binary or text), checking its fingerprint.
    pub fn decode(data: &[u8], provider: Option<&str>) -> Result<Self> {
        Self::from_tagged(&Tagged::decode(data)?, provider)
    }

    /// Loads a decoded tagged decapsulation key (seed or expanded form).
    pub fn from_tagged(t: &Tagged, provider: Option<&str>) -> Result<Self> {
        let key = match t.kind() {
            ObjectKind::SecretSeed => Self::from_seed(t.algorithm(), t.payload(), provider)?,
            ObjectKind::SecretExpanded => {
                Self::from_expanded(t.algorithm(), t.payload(), provider)?
            }
            other => {
                return Err(Error::invalid(format!(
                    "expected a tagged secret key, got a {} ({})",
                    other.describe(),
                    t.algorithm()
                )))
            }
        };
        check_fingerprint(t, &key.fingerprint())?;
        Ok(key)
    }

    /// The tagged object (seed form, or expanded form for seedless providers).
    pub fn to_tagged(&self) -> Result<Tagged> {
        let (kind, bytes) = match (self.inner.seed(), self.inner.expanded_secret_key()) {
            (Some(s), _) => (ObjectKind::SecretSeed, s),
            (None, Some(e)) => (ObjectKind::SecretExpanded, e),
            (None, None) => {
                return Err(Error::unsupported(format!(
                    "provider {} can export neither a seed nor an expanded key for this {} key",
                    self.provider.id, self.algorithm
                )))
            }
        };
        Tagged::new(
            kind,
            self.algorithm,
            Some(self.fingerprint()),
            bytes.expose(),
        )
    }

    /// The matching encapsulation key.
    pub fn encapsulation_key(&self) -> Result<EncapsulationKey> {
        EncapsulationKey::from_raw(
            self.algorithm,
            self.inner.encapsulation_key(),
            Some(self.provider.id),
        )
    }

    /// Decapsulates (implicit rejection: a modified ciphertext gives a
    /// pseudorandom secret, not an error). A ciphertext of another algorithm is an error.
    pub fn decapsulate(&self, ciphertext: &Ciphertext) -> Result<SecretBytes> {
        if ciphertext.algorithm != self.algorithm {
            return Err(Error::invalid(format!(
                "algorithm mismatch: a {} key cannot decapsulate a {} ciphertext",
                self.algorithm, ciphertext.algorithm
            )));
        }
        self.inner.decapsulate(&ciphertext.bytes)
    }

    /// Decapsulates bare standard ciphertext bytes (length checked by the provider).
    pub fn decapsulate_raw(&self, ciphertext: &[u8]) -> Result<SecretBytes> {
        self.inner.decapsulate(ciphertext)
    }
}

/// A parsed KEM encapsulation key.
pub struct EncapsulationKey {
    algorithm: AlgorithmId,
    provider: &'static ProviderInfo,
    raw: Vec<u8>,
    inner: Box<dyn EncapsulationKeyOps>,
}

impl fmt::Debug for EncapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncapsulationKey")
            .field("algorithm", &self.algorithm)
            .field("provider", &self.provider.id)
            .finish_non_exhaustive()
    }
}

impl EncapsulationKey {
    /// Parses bare standard encapsulation-key bytes.
    pub fn from_raw(alg: AlgorithmId, bytes: &[u8], provider: Option<&str>) -> Result<Self> {
        let scheme = kem_scheme(alg, provider)?;
        Ok(EncapsulationKey {
            algorithm: alg,
            provider: scheme.provider(),
            raw: bytes.to_vec(),
            inner: scheme.encapsulation_key(bytes)?,
        })
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The bare standard bytes.
    pub fn as_raw(&self) -> &[u8] {
        &self.raw
    }

    /// The provider.
    pub fn provider(&self) -> &'static ProviderInfo {
        self.provider
    }

    /// The key fingerprint.
    pub fn fingerprint(&self) -> [u8; FINGERPRINT_LEN] {
        fingerprint(self.algorithm, &self.raw)
    }

    /// Decodes a tagged encapsulation key (binary or text), checking its fingerprint.
    pub fn decode(data: &[u8], provider: Option<&str>) -> Result<Self> {
        Self::from_tagged(&Tagged::decode(data)?, provider)
    }

    /// From a decoded tagged object, checking its fingerprint.
    pub fn from_tagged(t: &Tagged, provider: Option<&str>) -> Result<Self> {
        require_kind(t, ObjectKind::PublicKey)?;
        check_fingerprint(t, &fingerprint(t.algorithm(), t.payload()))?;
        Self::from_raw(t.algorithm(), t.payload(), provider)
    }

    /// The tagged object.
    pub fn to_tagged(&self) -> Result<Tagged> {
        Tagged::new(
            ObjectKind::PublicKey,
            self.algorithm,
            Some(self.fingerprint()),
            &self.raw,
        )
    }

    /// Returns (ciphertext, shared secret).
    pub fn encapsulate(&self) -> Result<(Ciphertext, SecretBytes)> {
        let (ct, ss) = self.inner.encapsulate()?;
        Ok((Ciphertext::from_raw(self.algorithm, &ct)?, ss))
    }

    /// Encapsulation with caller randomness `m` (known-answer tests); an
    /// `unsupported` error where the provider cannot take `m`.
    pub fn encapsulate_derand(&self, m: &[u8]) -> Result<(Ciphertext, SecretBytes)> {
        let (ct, ss) = self.inner.encapsulate_derand(m)?;
        Ok((Ciphertext::from_raw(self.algorithm, &ct)?, ss))
    }
}
