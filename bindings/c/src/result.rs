//! Result codes, the thread-local last error, and the panic boundary.
#![forbid(unsafe_code)]

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use pqshift::{Error, ErrorKind};

/// The result of every `pqshift_` function that can fail.
///
/// The numbers are stable: they never change and are never reused. 1-4, 6
/// and 7 are the kinds of pqshift's error enum (`pqshift::ErrorKind`),
/// one-to-one; 5 exists only in C.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum pqshift_result {
    /// Success.
    PQSHIFT_OK = 0,
    /// Malformed or out-of-range input: a NULL pointer, a wrong length, a bad
    /// encoding, a key of the wrong algorithm, a context over 255 bytes.
    PQSHIFT_ERR_INVALID_INPUT = 1,
    /// An unknown algorithm, one no linked provider serves, or an operation
    /// the provider does not offer.
    PQSHIFT_ERR_UNSUPPORTED = 2,
    /// The signature or MAC tag does not verify. Deliberately without detail.
    PQSHIFT_ERR_VERIFICATION_FAILED = 3,
    /// The configuration forbids the operation (an algorithm it does not
    /// accept, the insecure placeholder without `allow_insecure`, ...).
    PQSHIFT_ERR_POLICY = 4,
    /// An output buffer is NULL or too small; the required size was stored
    /// in the output length and nothing else was written.
    PQSHIFT_ERR_BUFFER_TOO_SMALL = 5,
    /// A provider failed its self-test or its backend reported an error.
    PQSHIFT_ERR_PROVIDER = 6,
    /// A bug in pqshift (a caught panic included). Please report it.
    PQSHIFT_ERR_INTERNAL = 7,
}

pub use pqshift_result::*;

impl pqshift_result {
    /// The code for an error kind of the facade: one-to-one.
    pub(crate) fn from_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidInput => PQSHIFT_ERR_INVALID_INPUT,
            ErrorKind::Unsupported => PQSHIFT_ERR_UNSUPPORTED,
            ErrorKind::VerificationFailed => PQSHIFT_ERR_VERIFICATION_FAILED,
            ErrorKind::Policy => PQSHIFT_ERR_POLICY,
            ErrorKind::Provider => PQSHIFT_ERR_PROVIDER,
            ErrorKind::Internal => PQSHIFT_ERR_INTERNAL,
            // ErrorKind is non-exhaustive: a kind added later is a bug here until mapped.
            _ => PQSHIFT_ERR_INTERNAL,
        }
    }

    /// A static, NUL-terminated description of a code (any number).
    pub(crate) fn message(code: u32) -> &'static std::ffi::CStr {
        match code {
            0 => c"success",
            1 => c"invalid input",
            2 => c"unsupported algorithm or operation",
            3 => c"signature verification failed",
            4 => c"policy violation",
            5 => c"output buffer too small",
            6 => c"provider failure",
            7 => c"internal error",
            _ => c"unknown pqshift result code",
        }
    }
}

/// Why a call failed: its code and the message kept for `pqshift_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: pqshift_result,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: PQSHIFT_ERR_INVALID_INPUT,
            message: format!("invalid input: {}", message.into()),
        }
    }

    pub(crate) fn buffer_too_small(what: &str, needed: usize, got: usize) -> Self {
        Failure {
            code: PQSHIFT_ERR_BUFFER_TOO_SMALL,
            message: format!(
                "buffer too small: {what} needs {needed} bytes, the buffer holds {got}"
            ),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure {
            code: pqshift_result::from_kind(e.kind()),
            message: e.to_string(),
        }
    }
}

pub(crate) type FfiResult<T = ()> = Result<T, Failure>;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    // Interior NULs cannot be shown by C; replace them.
    let text = CString::new(message.replace('\0', "?")).unwrap_or_default();
    // try_with: during thread teardown the slot may be gone; then there is no one to tell.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut s) = slot.try_borrow_mut() {
            *s = text;
        }
    });
}

/// The calling thread's last error message ("" after a success), valid until
/// the next `pqshift_` call on this thread.
pub(crate) fn last_error_ptr() -> *const c_char {
    LAST_ERROR
        .try_with(|slot| match slot.try_borrow() {
            Ok(s) => s.as_ptr(),
            Err(_) => c"".as_ptr(),
        })
        .unwrap_or(c"".as_ptr())
}

fn panic_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(no message)"
    }
}

/// Runs the body of an exported function: clears the thread's last error,
/// catches any panic (-> `PQSHIFT_ERR_INTERNAL`), and records the message of
/// a failure. Nothing unwinds into C.
pub(crate) fn boundary(body: impl FnOnce() -> FfiResult) -> pqshift_result {
    set_last_error("");
    boundary_quiet(body)
}

/// As [`boundary`], but a success leaves the thread's last error as it was:
/// for the `_free` and `_algorithm` functions, which C programs call while
/// cleaning up, between a failed call and reading its message.
pub(crate) fn boundary_quiet(body: impl FnOnce() -> FfiResult) -> pqshift_result {
    crate::ops::keep_providers_linked();
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => PQSHIFT_OK,
        Ok(Err(f)) => {
            set_last_error(&f.message);
            f.code
        }
        Err(payload) => {
            set_last_error(&format!(
                "internal error: a panic was caught at the C boundary: {}",
                panic_text(payload.as_ref())
            ));
            PQSHIFT_ERR_INTERNAL
        }
    }
}

/// The boundary for functions that return a static string rather than a
/// result (`pqshift_*_algorithm`): as [`boundary_quiet`], with NULL for a
/// failure or a caught panic, whose message is kept for
/// `pqshift_last_error_message`.
pub(crate) fn boundary_text(body: impl FnOnce() -> FfiResult<*const c_char>) -> *const c_char {
    let mut text = std::ptr::null();
    boundary_quiet(|| {
        text = body()?;
        Ok(())
    });
    text
}

/// The boundary for functions that return a value rather than a result
/// (static strings that cannot fail): a panic yields `fallback`.
pub(crate) fn boundary_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Wraps the body of every exported function that returns a `pqshift_result`.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        $crate::result::boundary(move || -> $crate::result::FfiResult { $($body)* })
    };
}
pub(crate) use ffi_boundary;

#[cfg(test)]
mod tests {
    use super::*;
    fn last() -> String {
        // The pointer is valid until the next call on this thread; copy at once.
        let p = last_error_ptr();
        assert!(!p.is_null());
        // Test-only: read the thread-local string through its own pointer.
        LAST_ERROR.with(|s| s.borrow().to_string_lossy().into_owned())
    }

    #[test]
    fn numbers_are_stable() {
        let table = [
            (PQSHIFT_OK, 0u32),
            (PQSHIFT_ERR_INVALID_INPUT, 1),
            (PQSHIFT_ERR_UNSUPPORTED, 2),
            (PQSHIFT_ERR_VERIFICATION_FAILED, 3),
            (PQSHIFT_ERR_POLICY, 4),
            (PQSHIFT_ERR_BUFFER_TOO_SMALL, 5),
            (PQSHIFT_ERR_PROVIDER, 6),
            (PQSHIFT_ERR_INTERNAL, 7),
        ];
        for (code, n) in table {
            assert_eq!(code as u32, n);
            assert_ne!(
                pqshift_result::message(n),
                pqshift_result::message(99),
                "{n} has a message"
            );
        }
    }

    #[test]
    fn error_kinds_map_one_to_one_with_the_same_numbers() {
        let kinds = [
            ErrorKind::InvalidInput,
            ErrorKind::Unsupported,
            ErrorKind::VerificationFailed,
            ErrorKind::Policy,
            ErrorKind::Provider,
            ErrorKind::Internal,
        ];
        let mut seen = Vec::new();
        for k in kinds {
            let code = pqshift_result::from_kind(k);
            assert_eq!(code as u32, k as u32, "{k}");
            assert!(!seen.contains(&code));
            seen.push(code);
        }
        let errors = [
            Error::invalid("x"),
            Error::unsupported("x"),
            Error::VerificationFailed,
            Error::Policy("x".into()),
            Error::Provider("x".into()),
            Error::Internal("x".into()),
        ];
        for e in errors {
            assert_eq!(Failure::from(e.clone()).code as u32, e.kind() as u32);
        }
    }

    #[test]
    fn a_panic_becomes_internal_with_a_message() {
        let r = boundary(|| panic!("boom"));
        assert_eq!(r, PQSHIFT_ERR_INTERNAL);
        assert!(last().contains("boom"), "{}", last());
        let r = boundary(|| Ok(()));
        assert_eq!(r, PQSHIFT_OK);
        assert_eq!(last(), "");
        assert_eq!(boundary_value(5, || panic!("x")), 5);
    }

    #[test]
    fn failures_record_their_message() {
        let r = boundary(|| Err(Error::VerificationFailed.into()));
        assert_eq!(r, PQSHIFT_ERR_VERIFICATION_FAILED);
        assert_eq!(last(), "signature verification failed");
        let r = boundary(|| Err(Failure::buffer_too_small("a signature", 64, 3)));
        assert_eq!(r, PQSHIFT_ERR_BUFFER_TOO_SMALL);
        assert!(last().contains("64"));
        assert_eq!(pqshift_result::message(5), c"output buffer too small");
    }
}
