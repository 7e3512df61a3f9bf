//! `SigningKey` and `VerifyingKey`: signatures (and the insecure
//! placeholder's MAC) through the facade's `SecretKey` / `PublicKey`.
//!
//! Key objects do what they are asked with the algorithm they hold; the
//! configuration picks the provider when none is named and refuses the
//! insecure placeholder unless it allows it. Verification goes through the
//! current configuration's [`Policy::verify`] (the MAC through
//! [`Policy::verify_with_secret`]), as in the CLI and the C API: the
//! algorithm must be in `[verify] accept`, the `[verify]` provider gives
//! the verdict and a `[shadow]` provider must agree; the binding decides
//! none of it. Signatures are pqshift's tagged binary form by default, the
//! bare standard bytes with `raw=True`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use pqshift::standard::{self, PemLabel};
use pqshift::{
    AlgorithmId, AlgorithmKind, Policy, PublicKey, SecretKey, SignMode, Signature, Tagged,
};

use crate::config::{current, resolve};
use crate::errors::{invalid, to_py};
use crate::text_or_bytes;

fn parse_alg(algorithm: &str) -> PyResult<AlgorithmId> {
    AlgorithmId::parse(algorithm).map_err(to_py)
}

fn not_signature(alg: AlgorithmId, class: &str) -> PyErr {
    invalid(format!(
        "{alg} is a KEM: use {class} for it, not a signing or verifying key"
    ))
}

fn signature(alg: AlgorithmId, sig: &[u8], raw: bool) -> pqshift::Result<Signature> {
    if raw {
        Signature::from_raw(alg, sig)
    } else {
        Signature::decode(sig)
    }
}

/// Verification with a secret key, as the CLI and the C API do it: the
/// placeholder's MAC through [`Policy::verify_with_secret`], a signature key
/// through its public key and [`Policy::verify`].
fn verify_with_secret(
    policy: &Policy,
    key: &SecretKey,
    message: &[u8],
    context: &[u8],
    sig: &Signature,
) -> pqshift::Result<()> {
    if key.is_mac() {
        policy.verify_with_secret(key, message, context, sig)
    } else {
        policy.verify(&key.public_key()?, message, context, sig)
    }
}

fn sig_bytes<'py>(py: Python<'py>, sig: &Signature, raw: bool) -> PyResult<Bound<'py, PyBytes>> {
    if raw {
        Ok(PyBytes::new(py, sig.as_raw()))
    } else {
        Ok(PyBytes::new(py, &sig.to_bytes().map_err(to_py)?))
    }
}

/// A secret signing key (or the insecure placeholder's MAC key). Secret
/// material is zeroized when the object is freed and never shown by repr.
#[pyclass(frozen, module = "pqshift", name = "SigningKey")]
pub(crate) struct SigningKey {
    key: SecretKey,
}

#[pymethods]
impl SigningKey {
    /// Loads the key of `algorithm` whose standard seed is `seed`
    /// (Ed25519: the 32-byte secret key; ML-DSA: the 32-byte xi of FIPS 204;
    /// the placeholder: its 32-byte key).
    #[staticmethod]
    #[pyo3(signature = (algorithm, seed, provider=None))]
    fn from_seed(
        py: Python<'_>,
        algorithm: &str,
        seed: &[u8],
        provider: Option<&str>,
    ) -> PyResult<Self> {
        let alg = parse_alg(algorithm)?;
        if alg.kind() == AlgorithmKind::Kem {
            return Err(not_signature(alg, "DecapsulationKey.from_seed"));
        }
        let provider = resolve(current(py)?.as_ref(), alg, provider)?;
        let key = py
            .detach(|| SecretKey::from_seed(alg, seed, provider))
            .map_err(to_py)?;
        Ok(SigningKey { key })
    }

    /// A fresh random key of `algorithm` (default: the configured `[sign]`
    /// algorithm).
    #[staticmethod]
    #[pyo3(signature = (algorithm=None, provider=None))]
    fn generate(py: Python<'_>, algorithm: Option<&str>, provider: Option<&str>) -> PyResult<Self> {
        let policy = current(py)?;
        let alg = match algorithm {
            Some(a) => parse_alg(a)?,
            None => policy.sign_choice().algorithm,
        };
        if alg.kind() == AlgorithmKind::Kem {
            return Err(not_signature(alg, "DecapsulationKey.generate"));
        }
        let provider = resolve(&policy, alg, provider)?;
        let key = py
            .detach(|| SecretKey::generate(alg, provider))
            .map_err(to_py)?;
        Ok(SigningKey { key })
    }

    /// Loads a tagged secret key (`to_bytes()` output, binary or
    /// `pqshift1:sec:...` text), checking its fingerprint.
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_bytes(py: Python<'_>, data: &[u8], provider: Option<&str>) -> PyResult<Self> {
        let t = Tagged::decode(data).map_err(to_py)?;
        if t.algorithm().kind() == AlgorithmKind::Kem {
            return Err(not_signature(t.algorithm(), "DecapsulationKey.from_bytes"));
        }
        let provider = resolve(current(py)?.as_ref(), t.algorithm(), provider)?;
        let key = py
            .detach(|| SecretKey::from_tagged(&t, provider))
            .map_err(to_py)?;
        Ok(SigningKey { key })
    }

    /// Loads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`, str or
    /// bytes): the seed form of RFC 9881 / RFC 8410, as OpenSSL 3.5+ and
    /// pyca/cryptography write it.
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_pem(py: Python<'_>, data: &Bound<'_, PyAny>, provider: Option<&str>) -> PyResult<Self> {
        let pem = text_or_bytes(data, "data")?;
        let der = standard::parse_pem(PemLabel::PrivateKey, &pem).map_err(to_py)?;
        let alg = standard::parse_pkcs8_der_full(&der)
            .map_err(to_py)?
            .algorithm;
        if alg.kind() == AlgorithmKind::Kem {
            return Err(not_signature(alg, "DecapsulationKey.from_pem"));
        }
        let provider = resolve(current(py)?.as_ref(), alg, provider)?;
        let key = py
            .detach(|| SecretKey::from_pkcs8_der(&der, provider))
            .map_err(to_py)?;
        Ok(SigningKey { key })
    }

    /// The tagged binary secret key (seed form; secret!).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let t = self.key.to_tagged().map_err(to_py)?;
        Ok(PyBytes::new(py, &t.to_bytes()))
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), seed form; secret!
    fn to_pem(&self) -> PyResult<String> {
        Ok(self.key.to_pkcs8_pem().map_err(to_py)?.to_string())
    }

    /// The standard seed (secret!); `UnsupportedAlgorithm` when the
    /// provider keeps none (`pqclean` stores the expanded key).
    fn seed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        match self.key.seed() {
            Some(s) => Ok(PyBytes::new(py, s.expose())),
            None => Err(to_py(pqshift::Error::unsupported(format!(
                "provider {} keeps no seed for this {} key",
                self.key.provider().id,
                self.key.algorithm()
            )))),
        }
    }

    /// The matching verifying key. The placeholder (a MAC) has none:
    /// `InvalidInput`.
    fn public_key(&self) -> PyResult<VerifyingKey> {
        Ok(VerifyingKey {
            key: self.key.public_key().map_err(to_py)?,
        })
    }

    /// Signs `message` with the FIPS 204 `context` (at most 255 bytes;
    /// Ed25519 takes none). Hedged by default; `deterministic=True` uses
    /// the deterministic variant. Returns the tagged signature, or the bare
    /// standard bytes with `raw=True`.
    #[pyo3(signature = (message, context=b"".as_slice(), deterministic=false, raw=false))]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        message: &[u8],
        context: &[u8],
        deterministic: bool,
        raw: bool,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let mode = if deterministic {
            SignMode::Deterministic
        } else {
            SignMode::Hedged
        };
        let sig = py
            .detach(|| self.key.sign_with(message, context, mode))
            .map_err(to_py)?;
        sig_bytes(py, &sig, raw)
    }

    /// Verifies with this key (the only way for the placeholder's MAC)
    /// under the current configuration, as `VerifyingKey.verify` does:
    /// returns None, or raises `InvalidSignature`; `PolicyError` when
    /// `[verify] accept` does not list the algorithm, `ProviderError` when
    /// the `[shadow]` provider disagrees.
    #[pyo3(signature = (message, signature, context=b"".as_slice(), raw=false))]
    fn verify(
        &self,
        py: Python<'_>,
        message: &[u8],
        signature: &[u8],
        context: &[u8],
        raw: bool,
    ) -> PyResult<()> {
        let policy = current(py)?;
        let alg = self.key.algorithm();
        py.detach(|| {
            let sig = self::signature(alg, signature, raw)?;
            verify_with_secret(&policy, &self.key, message, context, &sig)
        })
        .map_err(to_py)
    }

    /// The canonical algorithm ID.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.key.algorithm().as_str()
    }

    /// The provider that holds the key.
    #[getter]
    fn provider(&self) -> &'static str {
        self.key.provider().id
    }

    /// The pqshift key fingerprint (32 bytes).
    #[getter]
    fn fingerprint<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.fingerprint())
    }

    fn __repr__(&self) -> String {
        format!(
            "<pqshift.SigningKey {} ({}) fingerprint={}>",
            self.key.algorithm(),
            self.key.provider().id,
            hex(&self.key.fingerprint()[..8])
        )
    }
}

/// A public key of a signature algorithm.
#[pyclass(frozen, module = "pqshift", name = "VerifyingKey")]
pub(crate) struct VerifyingKey {
    key: PublicKey,
}

impl VerifyingKey {
    fn load(
        py: Python<'_>,
        alg: AlgorithmId,
        provider: Option<&str>,
        f: impl FnOnce(Option<&str>) -> pqshift::Result<PublicKey> + Send,
    ) -> PyResult<Self> {
        if alg.kind() == AlgorithmKind::Kem {
            return Err(not_signature(alg, "EncapsulationKey"));
        }
        let provider = resolve(current(py)?.as_ref(), alg, provider)?;
        let key = py.detach(|| f(provider)).map_err(to_py)?;
        Ok(VerifyingKey { key })
    }
}

#[pymethods]
impl VerifyingKey {
    /// Parses the bare standard public key of `algorithm` (RFC 8032 / FIPS
    /// 204 `pk`).
    #[staticmethod]
    #[pyo3(signature = (algorithm, data, provider=None))]
    fn from_raw(
        py: Python<'_>,
        algorithm: &str,
        data: &[u8],
        provider: Option<&str>,
    ) -> PyResult<Self> {
        let alg = parse_alg(algorithm)?;
        Self::load(py, alg, provider, |p| PublicKey::from_raw(alg, data, p))
    }

    /// Loads a tagged public key (`to_bytes()` output, binary or
    /// `pqshift1:pub:...` text), checking its fingerprint.
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_bytes(py: Python<'_>, data: &[u8], provider: Option<&str>) -> PyResult<Self> {
        let t = Tagged::decode(data).map_err(to_py)?;
        Self::load(py, t.algorithm(), provider, |p| {
            PublicKey::from_tagged(&t, p)
        })
    }

    /// Loads a SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`, str
    /// or bytes).
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_pem(py: Python<'_>, data: &Bound<'_, PyAny>, provider: Option<&str>) -> PyResult<Self> {
        let pem = text_or_bytes(data, "data")?;
        let (alg, raw) = standard::parse_spki_pem(&pem).map_err(to_py)?;
        Self::load(py, alg, provider, |p| PublicKey::from_raw(alg, &raw, p))
    }

    /// The bare standard public-key bytes.
    fn to_raw<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.key.as_raw())
    }

    /// The tagged binary public key.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let t = self.key.to_tagged().map_err(to_py)?;
        Ok(PyBytes::new(py, &t.to_bytes()))
    }

    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    fn to_pem(&self) -> PyResult<String> {
        self.key.to_pem().map_err(to_py)
    }

    /// Verifies `signature` (tagged, or the bare standard bytes with
    /// `raw=True`) over `message` and `context` under the current
    /// configuration: returns None, or raises `InvalidSignature`. A
    /// malformed signature (wrong length, another algorithm's) or context
    /// raises `InvalidInput`; an algorithm that `[verify] accept` does not
    /// list raises `PolicyError`. The configuration's `[verify]` provider
    /// for the algorithm gives the verdict, whichever provider loaded the
    /// key, and a `[shadow]` provider that disagrees raises `ProviderError`.
    #[pyo3(signature = (message, signature, context=b"".as_slice(), raw=false))]
    fn verify(
        &self,
        py: Python<'_>,
        message: &[u8],
        signature: &[u8],
        context: &[u8],
        raw: bool,
    ) -> PyResult<()> {
        let policy = current(py)?;
        let alg = self.key.algorithm();
        py.detach(|| {
            let sig = self::signature(alg, signature, raw)?;
            policy.verify(&self.key, message, context, &sig)
        })
        .map_err(to_py)
    }

    /// The canonical algorithm ID.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.key.algorithm().as_str()
    }

    /// The provider that loaded the key. `verify` uses the configuration's
    /// `[verify]` provider for the algorithm, which may be another.
    #[getter]
    fn provider(&self) -> &'static str {
        self.key.provider().id
    }

    /// The pqshift key fingerprint (32 bytes).
    #[getter]
    fn fingerprint<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.fingerprint())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<VerifyingKey>() {
            Ok(o) => {
                let o = o.get();
                o.key.algorithm() == self.key.algorithm() && o.key.as_raw() == self.key.as_raw()
            }
            Err(_) => false,
        }
    }

    fn __hash__(&self) -> u64 {
        let fp = self.key.fingerprint();
        let mut b = [0u8; 8];
        b.copy_from_slice(&fp[..8]);
        u64::from_le_bytes(b)
    }

    fn __repr__(&self) -> String {
        format!(
            "<pqshift.VerifyingKey {} ({}) fingerprint={}>",
            self.key.algorithm(),
            self.key.provider().id,
            hex(&self.key.fingerprint()[..8])
        )
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<SigningKey>()?;
    m.add_class::<VerifyingKey>()?;
    Ok(())
}
