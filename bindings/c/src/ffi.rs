//! The exported C functions: pointer checks, then a call into `ops`.
//!
//! Every function body runs inside `ffi_boundary!` (or `boundary_quiet`,
//! `boundary_text`, `boundary_value`), which catch panics; every pointer
//! is checked for NULL before use, and every handle's type tag before the
//! handle is read; every output is checked (present, large enough) before
//! any work whose result could be lost, and written only on success.

use std::ffi::{c_char, CStr};
use std::path::PathBuf;

use pqshift::Policy;

use crate::ops::{
    self, pqshift_config, pqshift_public_key, pqshift_secret_key, Handle, HandleType, Header,
    Public, Secret, PQSHIFT_HASH_LEN,
};
use crate::result::{
    boundary_quiet, boundary_text, boundary_value, ffi_boundary, pqshift_result, Failure,
    FfiResult, PQSHIFT_ERR_INTERNAL,
};

// ---------------------------------------------------------------------------
// Pointer helpers: the only places that dereference caller pointers.
// ---------------------------------------------------------------------------

/// Borrows `len` bytes at `ptr`. NULL is accepted with length 0 (an empty input).
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable bytes that stay valid and
/// unchanged for the duration of the call.
unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> FfiResult<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::invalid(format!(
            "{what} is NULL with length {len}"
        )));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!(
            "{what} length {len} is too large"
        )));
    }
    // SAFETY: ptr is non-NULL and, by the caller's contract, points to `len`
    // readable bytes valid for the call; len <= isize::MAX was checked.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An optional NUL-terminated UTF-8 string: NULL gives `None`.
///
/// # Safety
/// A non-NULL `ptr` must point to a NUL-terminated string valid for the call.
unsafe fn opt_str<'a>(ptr: *const c_char, what: &str) -> FfiResult<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, and by the caller's contract NUL-terminated and valid for the call.
    let s = unsafe { CStr::from_ptr(ptr) };
    s.to_str()
        .map(Some)
        .map_err(|_| Failure::invalid(format!("{what} is not valid UTF-8")))
}

/// A required NUL-terminated UTF-8 string: NULL is invalid input.
///
/// # Safety
/// As [`opt_str`].
unsafe fn req_str<'a>(ptr: *const c_char, what: &str) -> FfiResult<&'a str> {
    // SAFETY: the same contract as ours.
    unsafe { opt_str(ptr, what) }?.ok_or_else(|| Failure::invalid(format!("{what} is NULL")))
}

/// The tag of a handle of any type: every handle is a `Box<Handle<T>>`,
/// a `#[repr(C)]` struct whose first field is the same `Header`, so the
/// header can be read whichever handle type `ptr` claims to be.
///
/// # Safety
/// A non-NULL `ptr` must point to a handle made by this library, of any
/// handle type, whose memory has not been returned to the allocator (or
/// is still mapped and readable: see SECURITY.md, "C handles").
unsafe fn header<'a, H>(ptr: *const H, what: &str) -> FfiResult<Option<&'a Header>> {
    if ptr.is_null() {
        return Ok(None);
    }
    if !ptr.cast::<Header>().is_aligned() {
        return Err(Failure::invalid(format!(
            "{what} is not a pqshift handle (misaligned pointer)"
        )));
    }
    // SAFETY: non-NULL and aligned; by the caller's contract it points to a
    // Handle<T> of some T, and every Handle<T> is #[repr(C)] with a Header
    // first (offset 0), so the first bytes are a Header. The tag is atomic:
    // reading it while another thread frees the handle is not a data race.
    Ok(Some(unsafe { &*ptr.cast::<Header>() }))
}

/// Borrows the value of a live handle of type `H`; NULL, a handle of
/// another type or a freed handle is invalid input.
///
/// # Safety
/// As [`header`].
unsafe fn handle<'a, H: HandleType>(ptr: *const H, what: &str) -> FfiResult<&'a H::Value> {
    // SAFETY: the caller's contract.
    let Some(h) = (unsafe { header(ptr, what) })? else {
        return Err(Failure::invalid(format!("{what} is NULL")));
    };
    h.check::<H>(what)?;
    // SAFETY: the tag is H's live tag, which only Handle::new::<H> writes:
    // ptr points to a live Box<Handle<H::Value>> made by HandleOut::set.
    Ok(&unsafe { &*ptr.cast::<Handle<H::Value>>() }.value)
}

/// The optional configuration handle: NULL means the process-wide policy.
///
/// # Safety
/// As [`header`].
unsafe fn config_ref<'a>(ptr: *const pqshift_config) -> FfiResult<Option<&'a Policy>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's contract.
    unsafe { handle(ptr, "config") }.map(Some)
}

/// Frees a live handle of type `H`: NULL is a no-op; a handle of another
/// type or an already freed one is invalid input and nothing is freed.
///
/// # Safety
/// As [`header`]; no other call may be using the handle.
unsafe fn free_handle<H: HandleType>(ptr: *mut H, what: &str) -> FfiResult {
    // SAFETY: the caller's contract.
    if let Some(h) = unsafe { header(ptr, what) }? {
        h.retire::<H>(what)?;
    } else {
        return Ok(());
    }
    // SAFETY: retire swapped H's live tag for FREED, so ptr is a live
    // Box<Handle<H::Value>> made by HandleOut::set, and this call is the one
    // that releases it (a second retire fails). The Header borrow has ended.
    drop(unsafe { Box::from_raw(ptr.cast::<Handle<H::Value>>()) });
    Ok(())
}

/// An output handle slot, checked before any work.
struct HandleOut<H>(*mut *mut H);

impl<H: HandleType> HandleOut<H> {
    fn new(ptr: *mut *mut H, what: &str) -> FfiResult<Self> {
        if ptr.is_null() {
            return Err(Failure::invalid(format!("{what} is NULL")));
        }
        Ok(HandleOut(ptr))
    }

    /// Stores a new handle.
    ///
    /// # Safety
    /// The slot must be writable (the caller's contract for `*_out`).
    unsafe fn set(self, value: H::Value) {
        let p = Box::into_raw(Box::new(Handle::new::<H>(value))).cast::<H>();
        // SAFETY: self.0 is non-NULL (checked in new) and writable by contract.
        unsafe { self.0.write(p) };
    }
}

/// A caller-allocated output buffer `(out, out_cap, out_len)`, checked before any work.
struct BufOut {
    ptr: *mut u8,
    cap: usize,
    len: *mut usize,
    what: &'static str,
}

impl BufOut {
    fn new(ptr: *mut u8, cap: usize, len: *mut usize, what: &'static str) -> FfiResult<Self> {
        if len.is_null() {
            return Err(Failure::invalid(format!(
                "the length pointer of {what} is NULL"
            )));
        }
        Ok(BufOut {
            ptr,
            cap,
            len,
            what,
        })
    }

    fn fits(&self, needed: usize) -> bool {
        !self.ptr.is_null() && self.cap >= needed
    }

    /// Stores the required size and returns the BUFFER_TOO_SMALL failure.
    ///
    /// # Safety
    /// `len` must be writable (the caller's contract).
    unsafe fn too_small(&self, needed: usize) -> Failure {
        // SAFETY: self.len is non-NULL (checked in new) and writable by contract.
        unsafe { self.len.write(needed) };
        Failure::buffer_too_small(
            self.what,
            needed,
            if self.ptr.is_null() { 0 } else { self.cap },
        )
    }

    /// Writes `data` when it fits, else reports the required size.
    ///
    /// # Safety
    /// `ptr` (when non-NULL) must be writable for `cap` bytes and `len` writable.
    unsafe fn write(self, data: &[u8]) -> FfiResult {
        if !self.fits(data.len()) {
            // SAFETY: our contract.
            return Err(unsafe { self.too_small(data.len()) });
        }
        // SAFETY: ptr is non-NULL with room for cap >= data.len() bytes by
        // contract; `data` is our own allocation, so the two cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr, data.len());
            self.len.write(data.len());
        }
        Ok(())
    }

    /// Writes `text` and a terminating NUL; the length counts the NUL.
    ///
    /// # Safety
    /// As [`BufOut::write`].
    unsafe fn write_text(self, text: &[u8]) -> FfiResult {
        // Exact capacity: no reallocation leaves a copy behind; zeroized on drop.
        let mut buf = Vec::with_capacity(text.len() + 1);
        buf.extend_from_slice(text);
        buf.push(0);
        let v = pqshift::SecretBytes::new(buf);
        // SAFETY: our contract.
        unsafe { self.write(v.expose()) }
    }
}

/// Reads a fixed 32-byte output pointer.
fn hash_out(ptr: *mut u8) -> FfiResult<*mut u8> {
    if ptr.is_null() {
        return Err(Failure::invalid("the 32-byte output is NULL"));
    }
    Ok(ptr)
}

// ---------------------------------------------------------------------------
// Library, errors
// ---------------------------------------------------------------------------

/// The pqshift version, e.g. "0.1.0": a static NUL-terminated string.
#[no_mangle]
pub extern "C" fn pqshift_version() -> *const c_char {
    boundary_value(c"".as_ptr(), || {
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
    })
}

/// A static, NUL-terminated description of a result code (any number;
/// unknown numbers get "unknown pqshift result code"). Never NULL.
#[no_mangle]
pub extern "C" fn pqshift_result_message(code: u32) -> *const c_char {
    boundary_value(c"".as_ptr(), || pqshift_result::message(code).as_ptr())
}

/// The message of the last failed call on the calling thread, or "" when
/// the last call succeeded (the `_free` and `_algorithm` functions change
/// it only when they fail). Never NULL. Thread-local: the string stays
/// valid until the next `pqshift_` call on the same thread (this function
/// excepted); copy it to keep it.
#[no_mangle]
pub extern "C" fn pqshift_last_error_message() -> *const c_char {
    boundary_value(c"".as_ptr(), crate::result::last_error_ptr)
}

/// The canonical IDs of the algorithms served by the providers linked into
/// this library, comma-separated, as NUL-terminated text, e.g.
/// "ed25519,ml-dsa-44,...,insecure-test-hmac-sha256".
///
/// # Safety
/// `out` (when non-NULL) must be writable for `out_cap` bytes; `out_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_algorithms(
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(out.cast(), out_cap, out_len, "the algorithm list")?;
        // SAFETY: the caller's contract.
        unsafe { out.write_text(ops::algorithms().as_bytes()) }
    }
}

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/// Loads and validates a TOML configuration into a new handle. `path` NULL
/// means: the file named by the `PQSHIFT_CONFIG` environment variable, else
/// the built-in default (Ed25519). A configuration that fails any check
/// (unknown key or algorithm, the placeholder without allow_insecure, a
/// provider failing its self-test) is an error, never a fallback.
///
/// # Safety
/// `path` NULL or a NUL-terminated string; `config_out` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_config_load(
    path: *const c_char,
    config_out: *mut *mut pqshift_config,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(config_out, "config_out")?;
        let path = if path.is_null() {
            None
        } else {
            // SAFETY: non-NULL and NUL-terminated by contract.
            let c = unsafe { CStr::from_ptr(path) };
            Some(path_from_c(c)?)
        };
        let c = ops::config_load(path.as_deref())?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(c) };
        Ok(())
    }
}

#[cfg(unix)]
fn path_from_c(c: &CStr) -> FfiResult<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    Ok(PathBuf::from(std::ffi::OsStr::from_bytes(c.to_bytes())))
}

#[cfg(not(unix))]
fn path_from_c(c: &CStr) -> FfiResult<PathBuf> {
    c.to_str()
        .map(PathBuf::from)
        .map_err(|_| Failure::invalid("path is not valid UTF-8"))
}

/// Parses and validates TOML configuration text (NUL-terminated) into a new handle.
///
/// # Safety
/// `toml` a NUL-terminated string; `config_out` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_config_from_toml(
    toml: *const c_char,
    config_out: *mut *mut pqshift_config,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(config_out, "config_out")?;
        // SAFETY: the caller's contract.
        let text = unsafe { req_str(toml, "toml") }?;
        let c = ops::config_from_toml(text)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(c) };
        Ok(())
    }
}

/// Makes a copy of `config` the process-wide policy, used by every call
/// given a NULL config. At most once per process, and only before the
/// first such call (which otherwise loads `PQSHIFT_CONFIG` or the default):
/// later, PQSHIFT_ERR_POLICY. The handle stays the caller's to free.
///
/// # Safety
/// `config` a live handle.
#[no_mangle]
pub unsafe extern "C" fn pqshift_config_install(config: *const pqshift_config) -> pqshift_result {
    ffi_boundary! {
        // SAFETY: the caller's contract.
        let c = unsafe { handle(config, "config") }?;
        ops::config_install(c)
    }
}

/// Frees a configuration handle. NULL is accepted and ignored (PQSHIFT_OK).
/// A handle of another type, or one already freed, is not freed:
/// PQSHIFT_ERR_INVALID_INPUT (see HANDLES above for what is detected).
///
/// # Safety
/// `config` NULL or a handle made by this library, not used again afterwards.
#[no_mangle]
pub unsafe extern "C" fn pqshift_config_free(config: *mut pqshift_config) -> pqshift_result {
    boundary_quiet(|| {
        // SAFETY: the caller's contract.
        unsafe { free_handle(config, "config") }
    })
}

// ---------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------

/// Derives a secret key from its standard seed: Ed25519 32 bytes, ML-DSA
/// the 32-byte xi of FIPS 204, ML-KEM the 64-byte d||z of FIPS 203, the
/// placeholder its 32-byte key. The result is a signing key, the
/// placeholder's MAC key or a KEM decapsulation key.
///
/// `alg`: an algorithm ID or alias ("ml-dsa-65", "ML-DSA-65", an OID);
/// NULL means the configuration's `[sign] algorithm`. `provider`: a
/// provider ID, or NULL for the configuration's choice, else the
/// preferred provider. The insecure placeholder is refused
/// (PQSHIFT_ERR_POLICY) unless the configuration sets allow_insecure.
/// An unknown algorithm is PQSHIFT_ERR_UNSUPPORTED.
///
/// # Safety
/// `config` NULL or live; `alg`, `provider` NULL or NUL-terminated;
/// `seed` readable for `seed_len` bytes; `key_out` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_keygen_from_seed(
    config: *const pqshift_config,
    alg: *const c_char,
    provider: *const c_char,
    seed: *const u8,
    seed_len: usize,
    key_out: *mut *mut pqshift_secret_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(key_out, "key_out")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, alg, provider, seed) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                opt_str(alg, "alg")?,
                opt_str(provider, "provider")?,
                bytes(seed, seed_len, "seed")?,
            )
        };
        let key = ops::keygen(policy, alg, provider, Some(seed))?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(key) };
        Ok(())
    }
}

/// A fresh random secret key; arguments as `pqshift_keygen_from_seed`.
///
/// # Safety
/// As `pqshift_keygen_from_seed`.
#[no_mangle]
pub unsafe extern "C" fn pqshift_keygen(
    config: *const pqshift_config,
    alg: *const c_char,
    provider: *const c_char,
    key_out: *mut *mut pqshift_secret_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(key_out, "key_out")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, alg, provider) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                opt_str(alg, "alg")?,
                opt_str(provider, "provider")?,
            )
        };
        let key = ops::keygen(policy, alg, provider, None)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(key) };
        Ok(())
    }
}

/// Frees a secret key, zeroizing its material. NULL is accepted and
/// ignored (PQSHIFT_OK). A handle of another type (a public key, a
/// configuration), or one already freed, is not freed:
/// PQSHIFT_ERR_INVALID_INPUT (see HANDLES above for what is detected).
///
/// # Safety
/// `key` NULL or a handle made by this library that no other thread is
/// using; not used again.
#[no_mangle]
pub unsafe extern "C" fn pqshift_secret_key_free(key: *mut pqshift_secret_key) -> pqshift_result {
    boundary_quiet(|| {
        // SAFETY: the caller's contract.
        unsafe { free_handle(key, "key") }
    })
}

/// The canonical algorithm ID of a secret key ("ml-dsa-65"): a static
/// NUL-terminated string, or NULL when `key` is NULL or not a live secret
/// key (then pqshift_last_error_message() says why).
///
/// # Safety
/// `key` NULL or a handle made by this library.
#[no_mangle]
pub unsafe extern "C" fn pqshift_secret_key_algorithm(
    key: *const pqshift_secret_key,
) -> *const c_char {
    boundary_text(|| {
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        Ok(ops::alg_name(key.algorithm()))
    })
}

/// The public key of a secret key, as a new handle (a KEM key gives its
/// encapsulation key). The placeholder's MAC key has none:
/// PQSHIFT_ERR_INVALID_INPUT.
///
/// # Safety
/// `key` live; `public_key_out` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_secret_key_public_key(
    key: *const pqshift_secret_key,
    public_key_out: *mut *mut pqshift_public_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(public_key_out, "public_key_out")?;
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        let pk = ops::public_of(key)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(pk) };
        Ok(())
    }
}

/// The secret key in pqshift's tagged text form ("pqshift1:sk:..."), which
/// names its algorithm and carries a fingerprint; NUL-terminated, length
/// counting the NUL. Secret: wipe the buffer after use.
///
/// # Safety
/// `key` live; `out` writable for `out_cap` bytes or NULL; `out_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_secret_key_to_tagged(
    key: *const pqshift_secret_key,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(out.cast(), out_cap, out_len, "the tagged secret key")?;
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        let text = ops::secret_to_tagged(key)?;
        // SAFETY: the caller's contract.
        unsafe { out.write_text(text.expose()) }
    }
}

/// The secret key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----",
/// the seed form of RFC 9881 / RFC 9935, RFC 8410 for Ed25519), as OpenSSL
/// 3.5+ and pyca/cryptography read it; NUL-terminated, length counting the
/// NUL. The placeholder has no PEM form (PQSHIFT_ERR_INVALID_INPUT).
///
/// # Safety
/// As `pqshift_secret_key_to_tagged`.
#[no_mangle]
pub unsafe extern "C" fn pqshift_secret_key_to_pem(
    key: *const pqshift_secret_key,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(out.cast(), out_cap, out_len, "the PEM secret key")?;
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        let pem = ops::secret_to_pem(key)?;
        // SAFETY: the caller's contract.
        unsafe { out.write_text(pem.expose()) }
    }
}

/// Loads a secret key from its tagged form (text "pqshift1:..." or binary
/// "PQSH..."; a trailing NUL or newline is allowed in the text form),
/// checking its fingerprint. `provider` as in `pqshift_keygen_from_seed`.
///
/// # Safety
/// `config` NULL or live; `provider` NULL or NUL-terminated; `data`
/// readable for `data_len` bytes; `key_out` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_secret_key_from_tagged(
    config: *const pqshift_config,
    provider: *const c_char,
    data: *const u8,
    data_len: usize,
    key_out: *mut *mut pqshift_secret_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(key_out, "key_out")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, provider, data) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                opt_str(provider, "provider")?,
                bytes(data, data_len, "data")?,
            )
        };
        let key = ops::secret_from_tagged(policy, provider, trim_nul(data))?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(key) };
        Ok(())
    }
}

/// Loads a secret key from PKCS#8 PEM (seed, expanded or both forms).
///
/// # Safety
/// As `pqshift_secret_key_from_tagged`.
#[no_mangle]
pub unsafe extern "C" fn pqshift_secret_key_from_pem(
    config: *const pqshift_config,
    provider: *const c_char,
    data: *const u8,
    data_len: usize,
    key_out: *mut *mut pqshift_secret_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(key_out, "key_out")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, provider, data) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                opt_str(provider, "provider")?,
                bytes(data, data_len, "data")?,
            )
        };
        let key = ops::secret_from_pem(policy, provider, trim_nul(data))?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(key) };
        Ok(())
    }
}

/// Text given with its terminating NUL (as `*_to_tagged` / `*_to_pem` write it) is accepted.
/// The binary tagged form ("PQSH...") is taken as it is: its last byte may be 0x00.
fn trim_nul(data: &[u8]) -> &[u8] {
    if data.starts_with(pqshift::encoding::MAGIC) {
        return data;
    }
    data.strip_suffix(&[0]).unwrap_or(data)
}

/// Frees a public key. NULL is accepted and ignored (PQSHIFT_OK). A handle
/// of another type (a secret key, a configuration), or one already freed,
/// is not freed: PQSHIFT_ERR_INVALID_INPUT (see HANDLES above for what is
/// detected).
///
/// # Safety
/// `key` NULL or a handle made by this library that no other thread is
/// using; not used again.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_free(key: *mut pqshift_public_key) -> pqshift_result {
    boundary_quiet(|| {
        // SAFETY: the caller's contract.
        unsafe { free_handle(key, "key") }
    })
}

/// The canonical algorithm ID of a public key: a static NUL-terminated
/// string, or NULL when `key` is NULL or not a live public key (then
/// pqshift_last_error_message() says why).
///
/// # Safety
/// `key` NULL or a handle made by this library.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_algorithm(
    key: *const pqshift_public_key,
) -> *const c_char {
    boundary_text(|| {
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        Ok(ops::alg_name(key.algorithm()))
    })
}

/// The public key in pqshift's tagged text form ("pqshift1:pk:..."),
/// NUL-terminated, length counting the NUL.
///
/// # Safety
/// `key` live; `out` writable for `out_cap` bytes or NULL; `out_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_to_tagged(
    key: *const pqshift_public_key,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(out.cast(), out_cap, out_len, "the tagged public key")?;
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        let text = ops::public_to_tagged(key)?;
        // SAFETY: the caller's contract.
        unsafe { out.write_text(&text) }
    }
}

/// The public key as SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC
/// KEY-----"), NUL-terminated, length counting the NUL.
///
/// # Safety
/// As `pqshift_public_key_to_tagged`.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_to_pem(
    key: *const pqshift_public_key,
    out: *mut c_char,
    out_cap: usize,
    out_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(out.cast(), out_cap, out_len, "the PEM public key")?;
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        let pem = ops::public_to_pem(key)?;
        // SAFETY: the caller's contract.
        unsafe { out.write_text(&pem) }
    }
}

/// The bare standard public-key bytes (FIPS 204 pk, FIPS 203 ek, RFC 8032 A).
///
/// # Safety
/// `key` live; `out` writable for `out_cap` bytes or NULL; `out_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_to_raw(
    key: *const pqshift_public_key,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(out, out_cap, out_len, "the raw public key")?;
        // SAFETY: the caller's contract.
        let key = unsafe { handle(key, "key") }?;
        // SAFETY: the caller's contract.
        unsafe { out.write(&ops::public_to_raw(key)) }
    }
}

/// Loads a public key (signature or KEM) from its tagged form, text or
/// binary, checking its fingerprint.
///
/// # Safety
/// `config` NULL or live; `provider` NULL or NUL-terminated; `data`
/// readable for `data_len` bytes; `public_key_out` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_from_tagged(
    config: *const pqshift_config,
    provider: *const c_char,
    data: *const u8,
    data_len: usize,
    public_key_out: *mut *mut pqshift_public_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(public_key_out, "public_key_out")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, provider, data) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                opt_str(provider, "provider")?,
                bytes(data, data_len, "data")?,
            )
        };
        let pk = ops::public_from_tagged(policy, provider, trim_nul(data))?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(pk) };
        Ok(())
    }
}

/// Loads a public key from SubjectPublicKeyInfo PEM.
///
/// # Safety
/// As `pqshift_public_key_from_tagged`.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_from_pem(
    config: *const pqshift_config,
    provider: *const c_char,
    data: *const u8,
    data_len: usize,
    public_key_out: *mut *mut pqshift_public_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(public_key_out, "public_key_out")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, provider, data) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                opt_str(provider, "provider")?,
                bytes(data, data_len, "data")?,
            )
        };
        let pk = ops::public_from_pem(policy, provider, trim_nul(data))?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(pk) };
        Ok(())
    }
}

/// Loads bare standard public-key bytes of algorithm `alg` (required).
///
/// # Safety
/// As `pqshift_public_key_from_tagged`; `alg` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn pqshift_public_key_from_raw(
    config: *const pqshift_config,
    alg: *const c_char,
    provider: *const c_char,
    data: *const u8,
    data_len: usize,
    public_key_out: *mut *mut pqshift_public_key,
) -> pqshift_result {
    ffi_boundary! {
        let out = HandleOut::new(public_key_out, "public_key_out")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, alg, provider, data) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                req_str(alg, "alg")?,
                opt_str(provider, "provider")?,
                bytes(data, data_len, "data")?,
            )
        };
        let pk = ops::public_from_raw(policy, alg, provider, data)?;
        // SAFETY: checked non-NULL; writable by contract.
        unsafe { out.set(pk) };
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------

/// Signs `message` with `context` (at most 255 bytes; Ed25519 takes none)
/// under the policy: the key must be of the configuration's `[sign]`
/// algorithm (else PQSHIFT_ERR_POLICY), and a `[shadow]` provider
/// re-verifies the new signature. `flags`: PQSHIFT_FLAG_DETERMINISTIC,
/// PQSHIFT_FLAG_RAW (bare signature bytes instead of the tagged binary form).
/// A length query (out NULL) signs too.
///
/// # Safety
/// `config` NULL or live; `key` live; `message`, `context` readable for
/// their lengths (NULL with length 0 allowed); `sig_out` writable for
/// `sig_cap` bytes or NULL; `sig_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_sign(
    config: *const pqshift_config,
    key: *const pqshift_secret_key,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len: usize,
    flags: u32,
    sig_out: *mut u8,
    sig_cap: usize,
    sig_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(sig_out, sig_cap, sig_len, "the signature")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, key, message, context) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                handle(key, "key")?,
                bytes(message, message_len, "message")?,
                bytes(context, context_len, "context")?,
            )
        };
        let sig = ops::sign(policy, key, message, context, flags)?;
        // SAFETY: the caller's contract.
        unsafe { out.write(&sig) }
    }
}

/// Verifies a signature (tagged binary or text form; with PQSHIFT_FLAG_RAW
/// the bare standard bytes) under the policy: its algorithm must be in
/// `[verify] accept` (else PQSHIFT_ERR_POLICY). Returns PQSHIFT_OK or
/// PQSHIFT_ERR_VERIFICATION_FAILED; malformed input (a truncated signature,
/// a signature of another algorithm) is PQSHIFT_ERR_INVALID_INPUT.
///
/// # Safety
/// `config` NULL or live; `public_key` live; `message`, `context`,
/// `signature` readable for their lengths (NULL with length 0 allowed).
#[no_mangle]
pub unsafe extern "C" fn pqshift_verify(
    config: *const pqshift_config,
    public_key: *const pqshift_public_key,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len: usize,
    signature: *const u8,
    signature_len: usize,
    flags: u32,
) -> pqshift_result {
    ffi_boundary! {
        // SAFETY: the caller's contract, for each pointer.
        let (policy, key, message, context, signature) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                handle(public_key, "public_key")?,
                bytes(message, message_len, "message")?,
                bytes(context, context_len, "context")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        ops::verify(policy, key, message, context, signature, flags)
    }
}

/// `pqshift_verify` with a secret key: the only way to verify the
/// placeholder's MAC tags; a signing key verifies through its public key.
///
/// # Safety
/// As `pqshift_verify`, with `key` live.
#[no_mangle]
pub unsafe extern "C" fn pqshift_verify_with_secret_key(
    config: *const pqshift_config,
    key: *const pqshift_secret_key,
    message: *const u8,
    message_len: usize,
    context: *const u8,
    context_len: usize,
    signature: *const u8,
    signature_len: usize,
    flags: u32,
) -> pqshift_result {
    ffi_boundary! {
        // SAFETY: the caller's contract, for each pointer.
        let (policy, key, message, context, signature) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                handle(key, "key")?,
                bytes(message, message_len, "message")?,
                bytes(context, context_len, "context")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        ops::verify_with_secret(policy, key, message, context, signature, flags)
    }
}

// ---------------------------------------------------------------------------
// KEM
// ---------------------------------------------------------------------------

/// Encapsulates to a KEM public key: a ciphertext (tagged binary form, or
/// bare bytes with PQSHIFT_FLAG_RAW) and a 32-byte shared secret. With a
/// `[kem]` section the key must be of its algorithm (else
/// PQSHIFT_ERR_POLICY). Both buffers are checked before encapsulating:
/// when either is NULL or short, both lengths receive their required sizes.
///
/// # Safety
/// `config` NULL or live; `public_key` live; `ct_out` / `ss_out` writable
/// for their capacities or NULL; `ct_len`, `ss_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_kem_encapsulate(
    config: *const pqshift_config,
    public_key: *const pqshift_public_key,
    flags: u32,
    ct_out: *mut u8,
    ct_cap: usize,
    ct_len: *mut usize,
    ss_out: *mut u8,
    ss_cap: usize,
    ss_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let ct_buf = BufOut::new(ct_out, ct_cap, ct_len, "the ciphertext")?;
        let ss_buf = BufOut::new(ss_out, ss_cap, ss_len, "the shared secret")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, key) = unsafe { (ops::policy(config_ref(config)?)?, handle(public_key, "public_key")?) };
        let alg = key.algorithm();
        if let Public::Kem(_) = key {
            let sizes = alg.sizes();
            let ct_need = if flags & ops::PQSHIFT_FLAG_RAW != 0 {
                sizes.ciphertext
            } else {
                pqshift::Tagged::new(
                    pqshift::ObjectKind::Ciphertext,
                    alg,
                    None,
                    &vec![0; sizes.ciphertext],
                )?
                .to_bytes()
                .len()
            };
            if !ct_buf.fits(ct_need) || !ss_buf.fits(sizes.shared_secret) {
                // SAFETY: the caller's contract.
                let e = unsafe { ct_buf.too_small(ct_need) };
                // SAFETY: the caller's contract.
                let e2 = unsafe { ss_buf.too_small(sizes.shared_secret) };
                return Err(if ct_buf.fits(ct_need) { e2 } else { e });
            }
        }
        let (ct, ss) = ops::encapsulate(policy, key, flags)?;
        if !ct_buf.fits(ct.len()) || !ss_buf.fits(ss.len()) {
            return Err(Failure {
                code: PQSHIFT_ERR_INTERNAL,
                message: "internal error: KEM output larger than its algorithm's size".into(),
            });
        }
        // SAFETY: the caller's contract; both fit (checked above).
        unsafe {
            ct_buf.write(&ct)?;
            ss_buf.write(ss.expose())
        }
    }
}

/// Decapsulates a ciphertext (tagged binary or text form, or bare bytes
/// with PQSHIFT_FLAG_RAW) with a KEM secret key: the 32-byte shared
/// secret. ML-KEM rejects implicitly: a modified ciphertext of the right
/// length gives a pseudorandom secret, not an error.
///
/// # Safety
/// `config` NULL or live; `key` live; `ciphertext` readable for
/// `ciphertext_len` bytes; `ss_out` writable for `ss_cap` bytes or NULL;
/// `ss_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_kem_decapsulate(
    config: *const pqshift_config,
    key: *const pqshift_secret_key,
    ciphertext: *const u8,
    ciphertext_len: usize,
    flags: u32,
    ss_out: *mut u8,
    ss_cap: usize,
    ss_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(ss_out, ss_cap, ss_len, "the shared secret")?;
        // SAFETY: the caller's contract, for each pointer.
        let (policy, key, ct) = unsafe {
            (
                ops::policy(config_ref(config)?)?,
                handle(key, "key")?,
                bytes(ciphertext, ciphertext_len, "ciphertext")?,
            )
        };
        if let Secret::Kem(k) = key {
            let need = k.algorithm().sizes().shared_secret;
            if !out.fits(need) {
                // SAFETY: the caller's contract.
                return Err(unsafe { out.too_small(need) });
            }
        }
        let ss = ops::decapsulate(policy, key, ct, flags)?;
        // SAFETY: the caller's contract.
        unsafe { out.write(ss.expose()) }
    }
}

// ---------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------

/// SHA-256 of `data` into `out32` (32 bytes).
///
/// # Safety
/// `data` readable for `data_len` bytes (NULL with length 0 allowed);
/// `out32` writable for 32 bytes.
#[no_mangle]
pub unsafe extern "C" fn pqshift_sha256(
    data: *const u8,
    data_len: usize,
    out32: *mut u8,
) -> pqshift_result {
    ffi_boundary! {
        let out = hash_out(out32)?;
        // SAFETY: the caller's contract.
        let data = unsafe { bytes(data, data_len, "data") }?;
        let h = ops::sha256(data);
        // SAFETY: out is non-NULL and writable for 32 bytes by contract; h is ours.
        unsafe { std::ptr::copy_nonoverlapping(h.as_ptr(), out, PQSHIFT_HASH_LEN) };
        Ok(())
    }
}

/// The RFC 6962 Merkle tree hash of `count` leaves into `out32` (32 bytes):
/// leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right);
/// zero leaves give SHA-256(""). `leaves[i]` points to `leaf_lens[i]`
/// bytes (NULL allowed for an empty leaf); with `count` 0 both arrays may
/// be NULL.
///
/// # Safety
/// `leaves` and `leaf_lens` readable for `count` elements; each leaf
/// readable for its length; `out32` writable for 32 bytes.
#[no_mangle]
pub unsafe extern "C" fn pqshift_merkle_root(
    leaves: *const *const u8,
    leaf_lens: *const usize,
    count: usize,
    out32: *mut u8,
) -> pqshift_result {
    ffi_boundary! {
        let out = hash_out(out32)?;
        let (leaves, lens): (&[*const u8], &[usize]) = if count == 0 {
            (&[], &[])
        } else {
            if leaves.is_null() || leaf_lens.is_null() {
                return Err(Failure::invalid(format!("leaves or leaf_lens is NULL with count {count}")));
            }
            if count > isize::MAX as usize / std::mem::size_of::<usize>() {
                return Err(Failure::invalid(format!("count {count} is too large")));
            }
            // SAFETY: both non-NULL, readable for `count` elements by contract; size checked.
            unsafe {
                (
                    std::slice::from_raw_parts(leaves, count),
                    std::slice::from_raw_parts(leaf_lens, count),
                )
            }
        };
        let mut slices = Vec::with_capacity(count);
        for (i, (p, n)) in leaves.iter().zip(lens).enumerate() {
            // SAFETY: each leaf readable for its length by contract.
            slices.push(unsafe { bytes(*p, *n, &format!("leaf {i}")) }?);
        }
        let h = ops::merkle_root(&slices);
        // SAFETY: out is non-NULL and writable for 32 bytes by contract; h is ours.
        unsafe { std::ptr::copy_nonoverlapping(h.as_ptr(), out, PQSHIFT_HASH_LEN) };
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// The porting contract (golden/README.md, `pqshift::contract`)
// ---------------------------------------------------------------------------

/// The porting contract's `keygen(alg, n)`: the tagged binary secret key
/// (seed form) whose seed derives from the 64-bit integer `n`, through the
/// preferred provider. For fixtures and tests: `n` is not a strong key.
/// Like `pqshift::contract`, the contract takes no configuration (the
/// placeholder is not refused). A KEM is PQSHIFT_ERR_INVALID_INPUT.
///
/// # Safety
/// `alg` NUL-terminated; `out` writable for `out_cap` bytes or NULL; `out_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_contract_keygen(
    alg: *const c_char,
    n: u64,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(out, out_cap, out_len, "the secret key")?;
        // SAFETY: the caller's contract.
        let alg = unsafe { req_str(alg, "alg") }?;
        let key = ops::contract_keygen(alg, n)?;
        // SAFETY: the caller's contract.
        unsafe { out.write(&key) }
    }
}

/// The porting contract's `sign(key, payload)`: `key` a tagged secret key
/// (binary or text); empty context, deterministic; the tagged binary
/// signature. A provider that cannot sign deterministically is
/// PQSHIFT_ERR_UNSUPPORTED.
///
/// # Safety
/// `key`, `payload` readable for their lengths; `sig_out` writable for
/// `sig_cap` bytes or NULL; `sig_len` writable.
#[no_mangle]
pub unsafe extern "C" fn pqshift_contract_sign(
    key: *const u8,
    key_len: usize,
    payload: *const u8,
    payload_len: usize,
    sig_out: *mut u8,
    sig_cap: usize,
    sig_len: *mut usize,
) -> pqshift_result {
    ffi_boundary! {
        let out = BufOut::new(sig_out, sig_cap, sig_len, "the signature")?;
        // SAFETY: the caller's contract, for each pointer.
        let (key, payload) = unsafe { (bytes(key, key_len, "key")?, bytes(payload, payload_len, "payload")?) };
        let sig = ops::contract_sign(key, payload)?;
        // SAFETY: the caller's contract.
        unsafe { out.write(&sig) }
    }
}

/// The porting contract's `verify(key, payload, sig)`: `key` a tagged
/// secret or public key, `sig` a tagged signature (binary or text each);
/// empty context. PQSHIFT_OK (true), PQSHIFT_ERR_VERIFICATION_FAILED
/// (false), or an error for malformed input.
///
/// # Safety
/// `key`, `payload`, `signature` readable for their lengths.
#[no_mangle]
pub unsafe extern "C" fn pqshift_contract_verify(
    key: *const u8,
    key_len: usize,
    payload: *const u8,
    payload_len: usize,
    signature: *const u8,
    signature_len: usize,
) -> pqshift_result {
    ffi_boundary! {
        // SAFETY: the caller's contract, for each pointer.
        let (key, payload, signature) = unsafe {
            (
                bytes(key, key_len, "key")?,
                bytes(payload, payload_len, "payload")?,
                bytes(signature, signature_len, "signature")?,
            )
        };
        ops::contract_verify(key, payload, signature)
    }
}
