//! `pqshift._native`: the private native module of the `pqshift` Python
//! package (PyO3, abi3).
//!
//! A thin layer: it converts Python arguments, releases the GIL, calls the
//! `pqshift` facade, and turns facade errors into the exception classes
//! defined in Python (`pqshift/exceptions.py`). It holds no cryptography and
//! no registry of its own; the one piece of state is the configuration the
//! Python process runs under (see [`config`]).
#![forbid(unsafe_code)]

mod config;
mod contract;
mod errors;
mod kem;
mod sig;

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyString};

use pqshift::{registry, AlgorithmId};

use crate::errors::to_py;

/// Canonical IDs of the algorithms that some linked provider serves, in
/// pqshift's order: `["ed25519", "ml-dsa-44", ...]`.
#[pyfunction]
fn algorithms() -> Vec<&'static str> {
    AlgorithmId::ALL
        .iter()
        .filter(|a| !registry::providers_for(**a).is_empty())
        .map(|a| a.as_str())
        .collect()
}

/// IDs of the providers that serve `algorithm` (any accepted alias), the
/// preferred one first.
#[pyfunction]
fn providers(algorithm: &str) -> PyResult<Vec<&'static str>> {
    let alg = AlgorithmId::parse(algorithm).map_err(to_py)?;
    Ok(registry::providers_for(alg)
        .iter()
        .map(|r| r.provider().id)
        .collect())
}

/// SHA-256 of `data` (FIPS 180-4), 32 bytes.
#[pyfunction]
fn sha256<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    let digest = py.detach(|| pqshift::sha256(data));
    PyBytes::new(py, &digest)
}

/// The RFC 6962 Merkle tree hash (SHA-256) of `leaves`, an iterable of
/// bytes (each leaf's data, not its hash): 32 bytes. No leaves give
/// SHA-256 of the empty string.
#[pyfunction]
fn merkle_root<'py>(py: Python<'py>, leaves: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let mut data: Vec<PyBackedBytes> = Vec::new();
    for (i, leaf) in leaves.try_iter()?.enumerate() {
        let leaf = leaf?;
        match leaf.extract::<PyBackedBytes>() {
            Ok(b) => data.push(b),
            Err(_) => {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "leaf {i} must be bytes, got {}",
                    leaf.get_type().name()?
                )))
            }
        }
    }
    let root = py.detach(|| {
        let refs: Vec<&[u8]> = data.iter().map(|b| &b[..]).collect();
        pqshift::merkle::merkle_root(&refs)
    });
    Ok(PyBytes::new(py, &root))
}

/// A `str` or `bytes` argument (PEM text) as bytes.
pub(crate) fn text_or_bytes(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(b) = obj.extract::<PyBackedBytes>() {
        return Ok(b.to_vec());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "{what} must be str or bytes, got {}",
        obj.get_type().name()?
    )))
}

/// The module `pqshift._native`.
#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Keeps every provider crate (and its `inventory` registrations) linked.
    std::hint::black_box(pqshift::linked_providers as fn() -> Vec<_>);
    m.add("__version__", pqshift::VERSION)?;
    m.add("MAX_CONTEXT_LEN", pqshift::MAX_CONTEXT_LEN)?;
    m.add_function(wrap_pyfunction!(algorithms, m)?)?;
    m.add_function(wrap_pyfunction!(providers, m)?)?;
    m.add_function(wrap_pyfunction!(sha256, m)?)?;
    m.add_function(wrap_pyfunction!(merkle_root, m)?)?;
    config::register(m)?;
    contract::register(m)?;
    sig::register(m)?;
    kem::register(m)?;
    Ok(())
}
