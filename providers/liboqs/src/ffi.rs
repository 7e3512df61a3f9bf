//! The FFI edge. Every `unsafe` block of this crate is in this module:
//!
//! 1. installing the randomness hook into liboqs ([`init`]);
//! 2. the hook itself, which writes into a buffer liboqs hands it;
//! 3. reading liboqs' version string ([`liboqs_version`]);
//! 4. calling the ML-DSA `Sign_internal` / `Verify_internal` functions of
//!    the statically linked liboqs, which the `oqs` crate does not expose
//!    ([`ml_dsa_sign_internal`], [`ml_dsa_verify_internal`]).
//!
//! Everything else in the crate goes through the safe `oqs` API.
//!
//! # Randomness
//!
//! liboqs draws all its randomness through one process-wide function
//! pointer. [`init`] points it, once, at [`randombytes_hook`], which serves
//! bytes from *this thread's* seed buffer while [`with_seed`] has one set,
//! and from the operating system (`getrandom`) otherwise. So a seed fed
//! to one thread never leaks into another thread's keys or signatures, and
//! the buffer is cleared (and zeroized) when `with_seed` returns, also on
//! unwinding. [`with_seed`] is strict: the call must draw exactly the bytes
//! supplied. Drawing fewer or more is reported as an error, which also
//! detects another component of the process replacing the hook (then
//! nothing is drawn from our buffer).
//!
//! liboqs' randomness callback returns nothing, so an operating-system
//! randomness failure cannot be reported to it: the hook aborts the
//! process rather than hand out predictable bytes.
#![allow(unsafe_code)]

use std::cell::RefCell;
use std::ffi::CStr;
use std::sync::Once;

use zeroize::Zeroizing;

/// One thread's seed feed.
struct Feed {
    data: Zeroizing<Vec<u8>>,
    pos: usize,
    overrun: bool,
}

thread_local! {
    static FEED: RefCell<Option<Feed>> = const { RefCell::new(None) };
}

/// Serves `len` bytes from this thread's feed, or returns false when the
/// feed is absent or too short (a too-short feed is marked overrun).
fn serve_from_feed(out: &mut [u8]) -> bool {
    FEED.try_with(|cell| {
        let Ok(mut guard) = cell.try_borrow_mut() else {
            return false;
        };
        let Some(feed) = guard.as_mut() else {
            return false;
        };
        let end = feed.pos.saturating_add(out.len());
        match feed.data.get(feed.pos..end) {
            Some(bytes) => {
                out.copy_from_slice(bytes);
                feed.pos = end;
                true
            }
            None => {
                feed.overrun = true;
                false
            }
        }
    })
    .unwrap_or(false)
}

/// liboqs' randomness source, installed process-wide by [`init`].
extern "C" fn randombytes_hook(buf: *mut u8, len: usize) {
    if len == 0 {
        return;
    }
    if buf.is_null() {
        // liboqs never does this; there is no error path to report it.
        std::process::abort();
    }
    // SAFETY: liboqs calls this with `buf` pointing to `len` writable bytes
    // (OQS_randombytes' contract); `buf` is non-null (checked above), and
    // the slice lives only for this call.
    let out = unsafe { std::slice::from_raw_parts_mut(buf, len) };
    if !serve_from_feed(out) && getrandom::fill(out).is_err() {
        // The callback cannot fail; never return unfilled (predictable) bytes.
        std::process::abort();
    }
}

static INIT: Once = Once::new();

/// Initializes liboqs and installs [`randombytes_hook`]; idempotent.
pub(crate) fn init() {
    INIT.call_once(|| {
        oqs::init();
        // SAFETY: `randombytes_hook` has the signature liboqs expects
        // (`void (*)(uint8_t *, size_t)`), is a `'static` function that
        // never unwinds (it aborts instead), and is safe to call from any
        // thread concurrently (its only state is thread-local).
        unsafe { oqs::ffi::rand::OQS_randombytes_custom_algorithm(Some(randombytes_hook)) };
    });
}

/// How a seeded call disagreed with the seed it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SeedMismatch {
    pub supplied: usize,
    pub consumed: usize,
    pub overrun: bool,
}

impl std::fmt::Display for SeedMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.overrun {
            write!(
                f,
                "liboqs drew more than the {} seed bytes supplied",
                self.supplied
            )
        } else {
            write!(
                f,
                "liboqs drew {} of the {} seed bytes supplied (is another component replacing \
                 liboqs' randomness source?)",
                self.consumed, self.supplied
            )
        }
    }
}

/// Runs `f` with liboqs' randomness on this thread served from `seed`.
/// Fails unless `f` drew exactly `seed.len()` bytes. The previous feed of
/// this thread (none, in practice) is restored afterwards, also on unwinding.
pub(crate) fn with_seed<R>(seed: &[u8], f: impl FnOnce() -> R) -> Result<R, SeedMismatch> {
    init();
    struct Restore(Option<Option<Feed>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(previous) = self.0.take() {
                let _ = FEED.try_with(|cell| cell.replace(previous));
            }
        }
    }
    let fresh = Feed {
        data: Zeroizing::new(seed.to_vec()),
        pos: 0,
        overrun: false,
    };
    let previous = FEED.with(|cell| cell.replace(Some(fresh)));
    let mut restore = Restore(Some(previous));
    let result = f();
    // Take our feed back out and put the previous one in its place.
    let ours = FEED.with(|cell| cell.replace(restore.0.take().unwrap_or_default()));
    let (consumed, overrun) = ours.map_or((0, false), |feed| (feed.pos, feed.overrun));
    if overrun || consumed != seed.len() {
        return Err(SeedMismatch {
            supplied: seed.len(),
            consumed,
            overrun,
        });
    }
    Ok(result)
}

/// The version string liboqs reports at run time (`OQS_version()`).
pub(crate) fn liboqs_version() -> &'static str {
    init();
    // SAFETY: OQS_version returns a pointer to a static, NUL-terminated
    // string literal (OQS_VERSION_TEXT) that lives for the whole program.
    let version = unsafe { CStr::from_ptr(oqs::ffi::common::OQS_version()) };
    version.to_str().unwrap_or("(not UTF-8)")
}

// ---------------------------------------------------------------------------
// ML-DSA Sign_internal / Verify_internal (FIPS 204 algorithms 7 and 8).
//
// These are exported (OQS_API) from liboqs' pqcrystals reference code:
// src/sig/ml_dsa/pqcrystals-dilithium-standard_ml-dsa-*_ref/sign.h in
// liboqs 0.13.0. They are not part of liboqs' documented API, so a liboqs
// upgrade may rename them: that is a link error, never a silent change.
// ---------------------------------------------------------------------------

mod raw {
    macro_rules! ml_dsa_internal {
        ($($sign:ident, $verify:ident;)*) => {
            extern "C" {
                $(
                    pub fn $sign(
                        sig: *mut u8,
                        siglen: *mut usize,
                        m: *const u8,
                        mlen: usize,
                        pre: *const u8,
                        prelen: usize,
                        rnd: *const u8,
                        sk: *const u8,
                    ) -> i32;
                    pub fn $verify(
                        sig: *const u8,
                        siglen: usize,
                        m: *const u8,
                        mlen: usize,
                        pre: *const u8,
                        prelen: usize,
                        pk: *const u8,
                    ) -> i32;
                )*
            }
        };
    }
    ml_dsa_internal! {
        pqcrystals_ml_dsa_44_ref_signature_internal, pqcrystals_ml_dsa_44_ref_verify_internal;
        pqcrystals_ml_dsa_65_ref_signature_internal, pqcrystals_ml_dsa_65_ref_verify_internal;
        pqcrystals_ml_dsa_87_ref_signature_internal, pqcrystals_ml_dsa_87_ref_verify_internal;
    }
}

/// An ML-DSA parameter set, with the sizes the internal functions assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DsaLevel {
    L44,
    L65,
    L87,
}

type SignFn = unsafe extern "C" fn(
    *mut u8,
    *mut usize,
    *const u8,
    usize,
    *const u8,
    usize,
    *const u8,
    *const u8,
) -> i32;
type VerifyFn =
    unsafe extern "C" fn(*const u8, usize, *const u8, usize, *const u8, usize, *const u8) -> i32;

impl DsaLevel {
    /// (public key, expanded secret key, signature) lengths.
    const fn sizes(self) -> (usize, usize, usize) {
        match self {
            DsaLevel::L44 => (1312, 2560, 2420),
            DsaLevel::L65 => (1952, 4032, 3309),
            DsaLevel::L87 => (2592, 4896, 4627),
        }
    }

    fn functions(self) -> (SignFn, VerifyFn) {
        match self {
            DsaLevel::L44 => (
                raw::pqcrystals_ml_dsa_44_ref_signature_internal,
                raw::pqcrystals_ml_dsa_44_ref_verify_internal,
            ),
            DsaLevel::L65 => (
                raw::pqcrystals_ml_dsa_65_ref_signature_internal,
                raw::pqcrystals_ml_dsa_65_ref_verify_internal,
            ),
            DsaLevel::L87 => (
                raw::pqcrystals_ml_dsa_87_ref_signature_internal,
                raw::pqcrystals_ml_dsa_87_ref_verify_internal,
            ),
        }
    }
}

/// A non-null pointer for a possibly empty slice (C code may not be handed
/// the dangling pointer of an empty slice with confidence; one byte is).
const EMPTY: [u8; 1] = [0];
fn ptr_of(bytes: &[u8]) -> *const u8 {
    if bytes.is_empty() {
        EMPTY.as_ptr()
    } else {
        bytes.as_ptr()
    }
}

/// FIPS 204 ML-DSA.Sign_internal(sk, M', rnd), where M' = `pre || message`.
/// Returns `None` when a length is wrong or liboqs reports failure.
///
/// The secret key is used as given: it must be a well-formed expanded key
/// (liboqs does not validate it).
pub(crate) fn ml_dsa_sign_internal(
    level: DsaLevel,
    sk: &[u8],
    pre: &[u8],
    message: &[u8],
    rnd: &[u8; 32],
) -> Option<Vec<u8>> {
    let (_, sk_len, sig_len) = level.sizes();
    if sk.len() != sk_len {
        return None;
    }
    init();
    let (sign, _) = level.functions();
    let mut sig = vec![0u8; sig_len];
    let mut written = 0usize;
    // SAFETY: `sig` has room for the CRYPTO_BYTES (= sig_len) bytes the
    // function writes; `sk` is exactly CRYPTO_SECRETKEYBYTES long (checked
    // above); `rnd` is RNDBYTES = 32 bytes; `message` and `pre` are valid
    // for their lengths and non-null; nothing is retained after the call.
    let rc = unsafe {
        sign(
            sig.as_mut_ptr(),
            &mut written,
            ptr_of(message),
            message.len(),
            ptr_of(pre),
            pre.len(),
            rnd.as_ptr(),
            sk.as_ptr(),
        )
    };
    if rc != 0 || written != sig_len {
        return None;
    }
    Some(sig)
}

/// FIPS 204 ML-DSA.Verify_internal(pk, M', sig), where M' = `pre || message`.
/// False on any failure, including wrong lengths.
pub(crate) fn ml_dsa_verify_internal(
    level: DsaLevel,
    pk: &[u8],
    pre: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    let (pk_len, _, sig_len) = level.sizes();
    if pk.len() != pk_len || signature.len() != sig_len {
        return false;
    }
    init();
    let (_, verify) = level.functions();
    // SAFETY: `pk` is exactly CRYPTO_PUBLICKEYBYTES and `signature` exactly
    // CRYPTO_BYTES long (checked above); `message` and `pre` are valid for
    // their lengths and non-null; the function only reads them.
    let rc = unsafe {
        verify(
            signature.as_ptr(),
            signature.len(),
            ptr_of(message),
            message.len(),
            ptr_of(pre),
            pre.len(),
            pk.as_ptr(),
        )
    };
    rc == 0
}
