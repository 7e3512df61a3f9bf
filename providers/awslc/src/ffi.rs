//! Every `unsafe` block of this crate: AWS-LC's `EVP_PKEY` interface for
//! ML-DSA, through the aws-lc-sys bindings.
//!
//! aws-lc-rs's safe ML-DSA API signs and verifies with an empty context
//! only and does not expose its `EVP_PKEY`, so this module holds its own:
//! the same constructor aws-lc-rs uses (`EVP_PKEY_pqdsa_new_raw_private_key`
//! with the 32-byte seed), and `EVP_PKEY_CTX_set1_signature_context_string`
//! on the context of `EVP_DigestSign` / `EVP_DigestVerify` (the FIPS 204
//! external "pure" interface; a NULL digest selects it).
//!
//! Conventions: a function returns `None` / `false` when AWS-LC reports a
//! failure, after clearing this thread's AWS-LC error queue; callers turn
//! that into a pqshift error. Lengths are checked by the callers before any
//! call, and again here where a buffer is written.
#![allow(unsafe_code)]

use std::ptr::{self, NonNull};

use aws_lc_sys as sys;

/// An owned `EVP_PKEY` holding an ML-DSA key (public, or public and secret).
///
/// Freed with `EVP_PKEY_free`, which releases the key buffers with
/// `OPENSSL_free`; AWS-LC's `OPENSSL_free` cleanses (zeroes) every
/// allocation before releasing it, so the expanded secret key and the seed
/// AWS-LC keeps are zeroized on drop.
pub(crate) struct Pkey(NonNull<sys::EVP_PKEY>);

// SAFETY: an EVP_PKEY is reference-counted with atomic counts and is not
// mutated by signing or verifying (AWS-LC documents EVP_DigestSignInit /
// EVP_DigestVerifyInit as safe to call concurrently on one EVP_PKEY); this
// type never mutates it after construction and frees it exactly once.
unsafe impl Send for Pkey {}
// SAFETY: see the `Send` impl: shared use only reads the key.
unsafe impl Sync for Pkey {}

impl Drop for Pkey {
    fn drop(&mut self) {
        // SAFETY: the pointer came from an AWS-LC constructor, is non-null,
        // and this is its only owner; it is freed once, here.
        unsafe { sys::EVP_PKEY_free(self.0.as_ptr()) }
    }
}

/// Clears this thread's AWS-LC error queue after a failed call, so that
/// failures (e.g. an invalid signature) do not accumulate in it.
fn clear_errors() {
    // SAFETY: no arguments; touches only AWS-LC's thread-local error state.
    unsafe { sys::ERR_clear_error() }
}

fn owned(p: *mut sys::EVP_PKEY) -> Option<Pkey> {
    match NonNull::new(p) {
        Some(p) => Some(Pkey(p)),
        None => {
            clear_errors();
            None
        }
    }
}

/// `EVP_PKEY_pqdsa_new_raw_private_key`: with a 32-byte input, FIPS 204
/// `ML-DSA.KeyGen_internal(xi)`; with an expanded secret key, AWS-LC's
/// validated import (it checks the `s1`/`s2` coefficient bounds, recomputes
/// `t0` and `tr` and compares them, and derives the public key).
pub(crate) fn private_key(nid: i32, bytes: &[u8]) -> Option<Pkey> {
    // SAFETY: `bytes` is a live slice read for `bytes.len()` bytes only;
    // AWS-LC copies what it keeps. A NULL result is handled by `owned`.
    owned(unsafe { sys::EVP_PKEY_pqdsa_new_raw_private_key(nid, bytes.as_ptr(), bytes.len()) })
}

/// `EVP_PKEY_pqdsa_new_raw_public_key`: `pkDecode` of a public key of the
/// parameter set's length (AWS-LC rejects other lengths).
pub(crate) fn public_key(nid: i32, bytes: &[u8]) -> Option<Pkey> {
    // SAFETY: as in `private_key`: a live slice, copied by AWS-LC.
    owned(unsafe { sys::EVP_PKEY_pqdsa_new_raw_public_key(nid, bytes.as_ptr(), bytes.len()) })
}

type RawGetter = unsafe extern "C" fn(*const sys::EVP_PKEY, *mut u8, *mut usize) -> i32;

impl Pkey {
    fn raw(&self, getter: RawGetter, len: usize) -> Option<Vec<u8>> {
        let mut out = vec![0u8; len];
        let mut out_len = len;
        // SAFETY: `out` has room for `out_len` bytes, which the getter checks
        // before writing; the key pointer is live for `&self`.
        let ok = unsafe { getter(self.0.as_ptr(), out.as_mut_ptr(), &mut out_len) };
        if ok != 1 || out_len != len {
            clear_errors();
            return None;
        }
        Some(out)
    }

    /// The standard encoding of the public key (`EVP_PKEY_get_raw_public_key`).
    pub(crate) fn raw_public_key(&self, len: usize) -> Option<Vec<u8>> {
        self.raw(sys::EVP_PKEY_get_raw_public_key, len)
    }

    /// The standard expanded secret key, FIPS 204 `skEncode`
    /// (`EVP_PKEY_get_raw_private_key`). The caller moves it into a
    /// zeroizing buffer.
    pub(crate) fn raw_private_key(&self, len: usize) -> Option<Vec<u8>> {
        self.raw(sys::EVP_PKEY_get_raw_private_key, len)
    }

    /// FIPS 204 `ML-DSA.Sign(sk, M, ctx)`, hedged: AWS-LC draws `rnd` from
    /// its own generator. `context` is at most 255 bytes (checked by the
    /// caller; AWS-LC refuses longer ones too).
    pub(crate) fn sign(&self, message: &[u8], context: &[u8], sig_len: usize) -> Option<Vec<u8>> {
        let md = MdCtx::new()?;
        let mut pctx: *mut sys::EVP_PKEY_CTX = ptr::null_mut();
        // SAFETY: `md` is a fresh EVP_MD_CTX; a NULL digest and engine select
        // ML-DSA's pure mode; the key is live for `&self` and is only
        // up-referenced, not mutated. `pctx` receives a context owned by `md`.
        let ok = unsafe {
            sys::EVP_DigestSignInit(
                md.0.as_ptr(),
                &mut pctx,
                ptr::null(),
                ptr::null_mut(),
                self.0.as_ptr(),
            )
        };
        if ok != 1 || !set_context(pctx, context) {
            clear_errors();
            return None;
        }
        let mut out = vec![0u8; sig_len];
        let mut out_len = sig_len;
        // SAFETY: `out` has room for `out_len` bytes (AWS-LC checks it before
        // writing); `message` is a live slice read for its length.
        let ok = unsafe {
            sys::EVP_DigestSign(
                md.0.as_ptr(),
                out.as_mut_ptr(),
                &mut out_len,
                message.as_ptr(),
                message.len(),
            )
        };
        if ok != 1 || out_len != sig_len {
            clear_errors();
            return None;
        }
        Some(out)
    }

    /// FIPS 204 `ML-DSA.Verify(pk, M, sigma, ctx)`: true when valid.
    pub(crate) fn verify(&self, message: &[u8], context: &[u8], signature: &[u8]) -> bool {
        let Some(md) = MdCtx::new() else {
            return false;
        };
        let mut pctx: *mut sys::EVP_PKEY_CTX = ptr::null_mut();
        // SAFETY: as in `sign`, for verification.
        let ok = unsafe {
            sys::EVP_DigestVerifyInit(
                md.0.as_ptr(),
                &mut pctx,
                ptr::null(),
                ptr::null_mut(),
                self.0.as_ptr(),
            )
        };
        if ok != 1 || !set_context(pctx, context) {
            clear_errors();
            return false;
        }
        // SAFETY: `signature` and `message` are live slices read for their
        // lengths only.
        let ok = unsafe {
            sys::EVP_DigestVerify(
                md.0.as_ptr(),
                signature.as_ptr(),
                signature.len(),
                message.as_ptr(),
                message.len(),
            )
        };
        if ok != 1 {
            clear_errors();
            return false;
        }
        true
    }
}

/// Sets the FIPS 204 context string on a signing or verifying context (an
/// empty one is AWS-LC's default, so nothing is set for it).
fn set_context(pctx: *mut sys::EVP_PKEY_CTX, context: &[u8]) -> bool {
    if context.is_empty() {
        return true;
    }
    if pctx.is_null() {
        return false;
    }
    // SAFETY: `pctx` is the non-null EVP_PKEY_CTX owned by the live
    // EVP_MD_CTX of the caller; AWS-LC copies the context bytes.
    let ok = unsafe {
        sys::EVP_PKEY_CTX_set1_signature_context_string(pctx, context.as_ptr(), context.len())
    };
    ok == 1
}

/// An owned `EVP_MD_CTX` (it owns the `EVP_PKEY_CTX` of a DigestSign/Verify).
struct MdCtx(NonNull<sys::EVP_MD_CTX>);

impl MdCtx {
    fn new() -> Option<MdCtx> {
        // SAFETY: no arguments; a NULL result (allocation failure) is handled.
        let p = unsafe { sys::EVP_MD_CTX_new() };
        match NonNull::new(p) {
            Some(p) => Some(MdCtx(p)),
            None => {
                clear_errors();
                None
            }
        }
    }
}

impl Drop for MdCtx {
    fn drop(&mut self) {
        // SAFETY: created by EVP_MD_CTX_new, owned only here, freed once
        // (with the EVP_PKEY_CTX it owns).
        unsafe { sys::EVP_MD_CTX_free(self.0.as_ptr()) }
    }
}

/// SHA-256 through AWS-LC, for the self-test's known answers.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    // SAFETY: `data` is read for its length; `out` has the 32 bytes SHA256 writes.
    unsafe { sys::SHA256(data.as_ptr(), data.len(), out.as_mut_ptr()) };
    out
}

/// The ML-DSA NIDs of AWS-LC.
pub(crate) const NID_MLDSA44: i32 = sys::NID_MLDSA44;
/// See [`NID_MLDSA44`].
pub(crate) const NID_MLDSA65: i32 = sys::NID_MLDSA65;
/// See [`NID_MLDSA44`].
pub(crate) const NID_MLDSA87: i32 = sys::NID_MLDSA87;

/// AWS-LC's version string, `OpenSSL_version(OPENSSL_VERSION)` (e.g. "AWS-LC 5.12.0").
pub(crate) fn awslc_version() -> String {
    // SAFETY: AWS-LC returns a pointer to a static NUL-terminated string.
    let p = unsafe { sys::OpenSSL_version(sys::OPENSSL_VERSION) };
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-null, static and NUL-terminated (see above).
    unsafe { std::ffi::CStr::from_ptr(p) }
        .to_string_lossy()
        .into_owned()
}

/// Whether AWS-LC was built with its assembly (and so mldsa-native's
/// AVX2 / NEON backends): `CRYPTO_has_asm`.
pub(crate) fn has_asm() -> bool {
    // SAFETY: no arguments; reads a build-time constant.
    unsafe { sys::CRYPTO_has_asm() == 1 }
}
