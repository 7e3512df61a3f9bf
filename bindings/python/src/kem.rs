//! `DecapsulationKey` and `EncapsulationKey`: ML-KEM through the facade.
//! Ciphertexts are pqshift's tagged binary form by default, the bare
//! standard bytes with `raw=True`.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use pqshift::standard::{self, PemLabel};
use pqshift::{AlgorithmId, AlgorithmKind, Ciphertext, SecretBytes, Tagged};

use crate::config::{current, resolve};
use crate::errors::{invalid, to_py};
use crate::sig::hex;
use crate::text_or_bytes;

fn kem_alg(alg: AlgorithmId, class: &str) -> PyResult<AlgorithmId> {
    if alg.kind() != AlgorithmKind::Kem {
        return Err(invalid(format!(
            "{alg} is a {} algorithm, not a KEM: use {class} for it",
            alg.kind()
        )));
    }
    Ok(alg)
}

fn parse_kem(algorithm: &str, class: &str) -> PyResult<AlgorithmId> {
    kem_alg(AlgorithmId::parse(algorithm).map_err(to_py)?, class)
}

type Encapsulated<'py> = (Bound<'py, PyBytes>, Bound<'py, PyBytes>);

fn encapsulated<'py>(
    py: Python<'py>,
    ct: &Ciphertext,
    secret: &SecretBytes,
    raw: bool,
) -> PyResult<Encapsulated<'py>> {
    let ct = if raw {
        PyBytes::new(py, ct.as_raw())
    } else {
        PyBytes::new(py, &ct.to_tagged().map_err(to_py)?.to_bytes())
    };
    Ok((ct, PyBytes::new(py, secret.expose())))
}

/// A KEM decapsulation (secret) key. Secret material is zeroized when the
/// object is freed and never shown by repr.
#[pyclass(frozen, module = "pqshift", name = "DecapsulationKey")]
pub(crate) struct DecapsulationKey {
    key: pqshift::DecapsulationKey,
}

impl DecapsulationKey {
    fn load(
        py: Python<'_>,
        alg: AlgorithmId,
        provider: Option<&str>,
        f: impl FnOnce(Option<&str>) -> pqshift::Result<pqshift::DecapsulationKey> + Send,
    ) -> PyResult<Self> {
        let alg = kem_alg(alg, "SigningKey")?;
        let provider = resolve(current(py)?.as_ref(), alg, provider)?;
        let key = py.detach(|| f(provider)).map_err(to_py)?;
        Ok(DecapsulationKey { key })
    }
}

#[pymethods]
impl DecapsulationKey {
    /// Loads the key of `algorithm` whose FIPS 203 seed is `seed` (64
    /// bytes: d || z).
    #[staticmethod]
    #[pyo3(signature = (algorithm, seed, provider=None))]
    fn from_seed(
        py: Python<'_>,
        algorithm: &str,
        seed: &[u8],
        provider: Option<&str>,
    ) -> PyResult<Self> {
        let alg = parse_kem(algorithm, "SigningKey.from_seed")?;
        Self::load(py, alg, provider, |p| {
            pqshift::DecapsulationKey::from_seed(alg, seed, p)
        })
    }

    /// A fresh random key of `algorithm` (default: the configured `[kem]`
    /// algorithm).
    #[staticmethod]
    #[pyo3(signature = (algorithm=None, provider=None))]
    fn generate(py: Python<'_>, algorithm: Option<&str>, provider: Option<&str>) -> PyResult<Self> {
        let alg = match algorithm {
            Some(a) => parse_kem(a, "SigningKey.generate")?,
            None => match current(py)?.kem_choice() {
                Some(k) => k.algorithm,
                None => {
                    return Err(invalid(
                        "no algorithm given and the configuration has no [kem] section",
                    ))
                }
            },
        };
        Self::load(py, alg, provider, |p| {
            pqshift::DecapsulationKey::generate(alg, p)
        })
    }

    /// Loads a tagged decapsulation key (`to_bytes()` output, binary or text).
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_bytes(py: Python<'_>, data: &[u8], provider: Option<&str>) -> PyResult<Self> {
        let t = Tagged::decode(data).map_err(to_py)?;
        Self::load(py, t.algorithm(), provider, |p| {
            pqshift::DecapsulationKey::from_tagged(&t, p)
        })
    }

    /// Loads a PKCS#8 PEM private key (str or bytes), seed or expanded form.
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_pem(py: Python<'_>, data: &Bound<'_, PyAny>, provider: Option<&str>) -> PyResult<Self> {
        let pem = text_or_bytes(data, "data")?;
        let der = standard::parse_pem(PemLabel::PrivateKey, &pem).map_err(to_py)?;
        let alg = standard::parse_pkcs8_der_full(&der)
            .map_err(to_py)?
            .algorithm;
        Self::load(py, alg, provider, |p| {
            pqshift::DecapsulationKey::from_pkcs8_der(&der, p)
        })
    }

    /// The tagged binary decapsulation key (seed form; secret!).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let t = self.key.to_tagged().map_err(to_py)?;
        Ok(PyBytes::new(py, &t.to_bytes()))
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), seed form; secret!
    fn to_pem(&self) -> PyResult<String> {
        Ok(self.key.to_pkcs8_pem().map_err(to_py)?.to_string())
    }

    /// The 64-byte seed d || z (secret!); `UnsupportedAlgorithm` when the
    /// provider keeps none.
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

    /// The matching encapsulation (public) key.
    fn encapsulation_key(&self) -> PyResult<EncapsulationKey> {
        Ok(EncapsulationKey {
            key: self.key.encapsulation_key().map_err(to_py)?,
        })
    }

    /// Decapsulates `ciphertext` (tagged, or the bare standard bytes with
    /// `raw=True`) and returns the 32-byte shared secret. Implicit
    /// rejection: a modified ciphertext of the right length gives a
    /// pseudorandom secret, not an error; a wrong length or another
    /// algorithm's ciphertext raises `InvalidInput`.
    #[pyo3(signature = (ciphertext, raw=false))]
    fn decapsulate<'py>(
        &self,
        py: Python<'py>,
        ciphertext: &[u8],
        raw: bool,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let alg = self.key.algorithm();
        let secret = py
            .detach(|| {
                let ct = if raw {
                    Ciphertext::from_raw(alg, ciphertext)?
                } else {
                    Ciphertext::decode(ciphertext)?
                };
                self.key.decapsulate(&ct)
            })
            .map_err(to_py)?;
        Ok(PyBytes::new(py, secret.expose()))
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

    /// The pqshift key fingerprint (32 bytes, of the encapsulation key).
    #[getter]
    fn fingerprint<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.key.fingerprint())
    }

    fn __repr__(&self) -> String {
        format!(
            "<pqshift.DecapsulationKey {} ({}) fingerprint={}>",
            self.key.algorithm(),
            self.key.provider().id,
            hex(&self.key.fingerprint()[..8])
        )
    }
}

/// A KEM encapsulation (public) key.
#[pyclass(frozen, module = "pqshift", name = "EncapsulationKey")]
pub(crate) struct EncapsulationKey {
    key: pqshift::EncapsulationKey,
}

impl EncapsulationKey {
    fn load(
        py: Python<'_>,
        alg: AlgorithmId,
        provider: Option<&str>,
        f: impl FnOnce(Option<&str>) -> pqshift::Result<pqshift::EncapsulationKey> + Send,
    ) -> PyResult<Self> {
        let alg = kem_alg(alg, "VerifyingKey")?;
        let provider = resolve(current(py)?.as_ref(), alg, provider)?;
        let key = py.detach(|| f(provider)).map_err(to_py)?;
        Ok(EncapsulationKey { key })
    }
}

#[pymethods]
impl EncapsulationKey {
    /// Parses the bare standard encapsulation key of `algorithm` (FIPS 203 `ek`).
    #[staticmethod]
    #[pyo3(signature = (algorithm, data, provider=None))]
    fn from_raw(
        py: Python<'_>,
        algorithm: &str,
        data: &[u8],
        provider: Option<&str>,
    ) -> PyResult<Self> {
        let alg = parse_kem(algorithm, "VerifyingKey.from_raw")?;
        Self::load(py, alg, provider, |p| {
            pqshift::EncapsulationKey::from_raw(alg, data, p)
        })
    }

    /// Loads a tagged encapsulation key (`to_bytes()` output, binary or text).
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_bytes(py: Python<'_>, data: &[u8], provider: Option<&str>) -> PyResult<Self> {
        let t = Tagged::decode(data).map_err(to_py)?;
        Self::load(py, t.algorithm(), provider, |p| {
            pqshift::EncapsulationKey::from_tagged(&t, p)
        })
    }

    /// Loads a SubjectPublicKeyInfo PEM (str or bytes) of a KEM.
    #[staticmethod]
    #[pyo3(signature = (data, provider=None))]
    fn from_pem(py: Python<'_>, data: &Bound<'_, PyAny>, provider: Option<&str>) -> PyResult<Self> {
        let pem = text_or_bytes(data, "data")?;
        let (alg, raw) = standard::parse_spki_pem(&pem).map_err(to_py)?;
        Self::load(py, alg, provider, |p| {
            pqshift::EncapsulationKey::from_raw(alg, &raw, p)
        })
    }

    /// The bare standard bytes (FIPS 203 `ek`).
    fn to_raw<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.key.as_raw())
    }

    /// The tagged binary encapsulation key.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let t = self.key.to_tagged().map_err(to_py)?;
        Ok(PyBytes::new(py, &t.to_bytes()))
    }

    /// SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    fn to_pem(&self) -> PyResult<String> {
        self.key.to_spki_pem().map_err(to_py)
    }

    /// Encapsulates a fresh shared secret: returns `(ciphertext,
    /// shared_secret)`, the ciphertext tagged, or the bare standard bytes
    /// with `raw=True`.
    #[pyo3(signature = (raw=false))]
    fn encapsulate<'py>(&self, py: Python<'py>, raw: bool) -> PyResult<Encapsulated<'py>> {
        let (ct, ss) = py.detach(|| self.key.encapsulate()).map_err(to_py)?;
        encapsulated(py, &ct, &ss, raw)
    }

    /// HAZARDOUS, for known-answer tests only: ML-KEM.Encaps_internal with
    /// the caller's 32-byte randomness `m`. Reusing `m` reveals the shared
    /// secret to anyone who saw the first ciphertext. `UnsupportedAlgorithm`
    /// where the provider cannot take `m` (`pqclean`).
    #[pyo3(signature = (m, raw=false))]
    fn encapsulate_derandomized<'py>(
        &self,
        py: Python<'py>,
        m: &[u8],
        raw: bool,
    ) -> PyResult<Encapsulated<'py>> {
        let (ct, ss) = py
            .detach(|| self.key.encapsulate_derand(m))
            .map_err(to_py)?;
        encapsulated(py, &ct, &ss, raw)
    }

    /// The canonical algorithm ID.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.key.algorithm().as_str()
    }

    /// The provider that encapsulates.
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
        match other.cast::<EncapsulationKey>() {
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
            "<pqshift.EncapsulationKey {} ({}) fingerprint={}>",
            self.key.algorithm(),
            self.key.provider().id,
            hex(&self.key.fingerprint()[..8])
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<DecapsulationKey>()?;
    m.add_class::<EncapsulationKey>()?;
    Ok(())
}
