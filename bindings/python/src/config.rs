//! The configuration the Python process runs under.
//!
//! `pqshift.load_config(path)` loads and validates a TOML file through the
//! facade ([`Policy::load`]) and makes it current; the package calls
//! `load_config()` at import, so `PQSHIFT_CONFIG` (else the built-in
//! default) is honoured from the first call. Unlike the facade's
//! process-wide [`pqshift::install`], which is set once, the current
//! configuration can be replaced: calls already running keep the one they
//! started with (an `Arc`).

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use pyo3::prelude::*;

use pqshift::{registry, AlgorithmId, Policy};

use crate::errors::to_py;

static CURRENT: RwLock<Option<Arc<Policy>>> = RwLock::new(None);

/// The current configuration; loads `PQSHIFT_CONFIG` or the default when
/// none was loaded yet.
pub(crate) fn current(py: Python<'_>) -> PyResult<Arc<Policy>> {
    let existing = CURRENT
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    match existing {
        Some(p) => Ok(p),
        None => load(py, None),
    }
}

fn load(py: Python<'_>, path: Option<PathBuf>) -> PyResult<Arc<Policy>> {
    // Loading runs the providers' known-answer self-tests: no GIL needed.
    let policy = Arc::new(py.detach(|| Policy::load(path.as_deref())).map_err(to_py)?);
    *CURRENT
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(policy.clone());
    Ok(policy)
}

/// Resolves the provider for a key of `alg`: the one asked for, else the
/// one the configuration file names (`None` when neither names one: the
/// facade then picks the preferred provider, as the Rust API does). The
/// insecure placeholder (algorithm or provider) is refused unless the
/// configuration sets `allow_insecure = true`.
pub(crate) fn resolve(
    policy: &Policy,
    alg: AlgorithmId,
    provider: Option<&str>,
) -> PyResult<Option<&'static str>> {
    let wanted = provider.or_else(|| policy.named_provider(alg));
    let reg = registry::find(alg, wanted).map_err(to_py)?;
    let insecure = alg.is_insecure() || reg.provider().insecure;
    if insecure && !policy.allow_insecure() {
        return Err(to_py(pqshift::Error::Policy(format!(
            "{alg} (provider {}) is INSECURE, for tests only; it is refused unless the configuration ({}) sets [policy] allow_insecure = true",
            reg.provider().id,
            policy.source().label()
        ))));
    }
    Ok(wanted.map(|_| reg.provider().id))
}

/// A loaded, validated pqshift configuration (read-only).
#[pyclass(frozen, module = "pqshift", name = "Config")]
pub(crate) struct Config {
    policy: Arc<Policy>,
}

#[pymethods]
impl Config {
    /// Where it came from: the file path, or "built-in default configuration".
    #[getter]
    fn source(&self) -> String {
        self.policy.source().label()
    }

    /// The file it was read from, or None for the built-in default.
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        self.policy.source().path().map(PathBuf::from)
    }

    /// The `[sign]` algorithm: what new signatures (and `keygen`) use.
    #[getter]
    fn sign_algorithm(&self) -> &'static str {
        self.policy.sign_choice().algorithm.as_str()
    }

    /// The provider that signs.
    #[getter]
    fn sign_provider(&self) -> &'static str {
        self.policy.sign_choice().provider
    }

    /// What verification accepts: (algorithm, provider) pairs.
    #[getter]
    fn accept(&self) -> Vec<(&'static str, &'static str)> {
        self.policy
            .accepted()
            .iter()
            .map(|c| (c.algorithm.as_str(), c.provider))
            .collect()
    }

    /// The `[kem]` (algorithm, provider), or None.
    #[getter]
    fn kem(&self) -> Option<(&'static str, &'static str)> {
        self.policy
            .kem_choice()
            .map(|c| (c.algorithm.as_str(), c.provider))
    }

    /// The `[shadow]` provider that re-checks every signature, or None.
    #[getter]
    fn shadow(&self) -> Option<&'static str> {
        self.policy.shadow()
    }

    /// Whether the insecure placeholder is allowed.
    #[getter]
    fn allow_insecure(&self) -> bool {
        self.policy.allow_insecure()
    }

    fn __repr__(&self) -> String {
        let c = self.policy.sign_choice();
        format!(
            "<pqshift.Config sign={} ({}) source={:?}>",
            c.algorithm,
            c.provider,
            self.policy.source().label()
        )
    }
}

/// Loads and validates a configuration file and makes it the one every
/// later call uses. Without `path`: `PQSHIFT_CONFIG`, else the built-in
/// default (Ed25519). Fails closed, naming the file and the key: an unknown
/// key or algorithm, an algorithm no linked provider serves, a provider
/// that failed its self-test, or the placeholder without `allow_insecure`.
/// On failure the previous configuration stays in force.
#[pyfunction]
#[pyo3(signature = (path=None))]
fn load_config(py: Python<'_>, path: Option<PathBuf>) -> PyResult<Config> {
    Ok(Config {
        policy: load(py, path)?,
    })
}

/// The configuration in force.
#[pyfunction]
fn active(py: Python<'_>) -> PyResult<Config> {
    Ok(Config {
        policy: current(py)?,
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Config>()?;
    m.add_function(wrap_pyfunction!(load_config, m)?)?;
    m.add_function(wrap_pyfunction!(active, m)?)?;
    Ok(())
}
