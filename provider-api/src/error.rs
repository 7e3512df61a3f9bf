//! The one error enum of pqshift.

use std::fmt;

/// Result alias used across pqshift.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure pqshift reports.
///
/// The kinds are stable: each maps one-to-one to a Python exception class, a C
/// result code and a Go sentinel error (see [`ErrorKind`]). Verification failure
/// deliberately carries no detail; malformed input says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed or out-of-range input: wrong length, bad encoding, bad value.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// An algorithm nobody serves, or an operation the chosen provider does not offer.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The signature or MAC tag does not verify. Opaque on purpose.
    #[error("signature verification failed")]
    VerificationFailed,
    /// The configuration or policy forbids the operation.
    #[error("policy violation: {0}")]
    Policy(String),
    /// A provider failed its self-test or its backend reported an error.
    #[error("provider failure: {0}")]
    Provider(String),
    /// A bug in pqshift. Please report it.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The stable kind of an [`Error`], with the number used across FFI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::InvalidInput`]
    InvalidInput = 1,
    /// [`Error::Unsupported`]
    Unsupported = 2,
    /// [`Error::VerificationFailed`]
    VerificationFailed = 3,
    /// [`Error::Policy`]
    Policy = 4,
    /// [`Error::Provider`]
    Provider = 6,
    /// [`Error::Internal`]
    Internal = 7,
}

impl ErrorKind {
    /// A stable lowercase name (`invalid-input`, `unsupported`, ...), used in JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid-input",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::VerificationFailed => "verification-failed",
            ErrorKind::Policy => "policy",
            ErrorKind::Provider => "provider",
            ErrorKind::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The stable kind of this error.
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::Unsupported(_) => ErrorKind::Unsupported,
            Error::VerificationFailed => ErrorKind::VerificationFailed,
            Error::Policy(_) => ErrorKind::Policy,
            Error::Provider(_) => ErrorKind::Provider,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidInput(msg.into())
    }

    /// Shorthand for [`Error::Unsupported`].
    pub fn unsupported(msg: impl Into<String>) -> Self {
        Error::Unsupported(msg.into())
    }

    /// A length error that says what was expected, in words.
    pub fn wrong_length(what: &str, alg: impl fmt::Display, expected: usize, got: usize) -> Self {
        Error::InvalidInput(format!(
            "{alg} {what} must be {expected} bytes long, got {got} bytes"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stable_numbers() {
        assert_eq!(ErrorKind::InvalidInput as u32, 1);
        assert_eq!(ErrorKind::Unsupported as u32, 2);
        assert_eq!(ErrorKind::VerificationFailed as u32, 3);
        assert_eq!(ErrorKind::Policy as u32, 4);
        assert_eq!(ErrorKind::Provider as u32, 6);
        assert_eq!(ErrorKind::Internal as u32, 7);
    }

    #[test]
    fn verification_failure_is_opaque_and_distinct() {
        let e = Error::VerificationFailed;
        assert_eq!(e.to_string(), "signature verification failed");
        assert_ne!(e.kind(), Error::invalid("x").kind());
    }

    #[test]
    fn wrong_length_says_what_was_expected() {
        let e = Error::wrong_length("signature", "ed25519", 64, 63);
        assert_eq!(
            e.to_string(),
            "invalid input: ed25519 signature must be 64 bytes long, got 63 bytes"
        );
    }
}
