//! Facade errors to the exception classes of `pqshift/exceptions.py`.
//!
//! The classes are defined once, in Python, and imported here (as
//! pyca/cryptography does), so `except pqshift.InvalidSignature` catches
//! exactly what Rust raises.

use pyo3::PyErr;

use pqshift::Error as CoreError;

pyo3::import_exception!(pqshift.exceptions, Error);
pyo3::import_exception!(pqshift.exceptions, InvalidSignature);
pyo3::import_exception!(pqshift.exceptions, InvalidInput);
pyo3::import_exception!(pqshift.exceptions, UnsupportedAlgorithm);
pyo3::import_exception!(pqshift.exceptions, PolicyError);
pyo3::import_exception!(pqshift.exceptions, ProviderError);

/// The Python exception for a facade error. Verification failure carries
/// no detail (on purpose); every other kind keeps the facade's message.
pub(crate) fn to_py(e: CoreError) -> PyErr {
    match e {
        CoreError::InvalidInput(m) => InvalidInput::new_err(m),
        CoreError::Unsupported(m) => UnsupportedAlgorithm::new_err(m),
        CoreError::VerificationFailed => InvalidSignature::new_err("signature verification failed"),
        CoreError::Policy(m) => PolicyError::new_err(m),
        CoreError::Provider(m) => ProviderError::new_err(m),
        other => Error::new_err(other.to_string()),
    }
}

/// An `InvalidInput` exception with `msg`.
pub(crate) fn invalid(msg: impl Into<String>) -> PyErr {
    InvalidInput::new_err(msg.into())
}
