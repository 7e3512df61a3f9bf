//! # libpqshift: the C binding of pqshift
//!
//! A thin layer over the `pqshift` facade: it converts pointers to slices
//! and handles, calls the facade, and maps its errors to stable result
//! codes. It holds no cryptography and no registry of its own.
//!
//! The C API is in `include/pqshift.h`, generated from this crate by
//! cbindgen (`bindings/c/cbindgen.toml`, `scripts/test-c` checks it is
//! current). `ffi.rs` is the only module with `unsafe` code: the FFI edge.
//! Every exported function runs inside a panic boundary, so no panic
//! unwinds into C (a caught panic is `PQSHIFT_ERR_INTERNAL`).
// The crate exists to export `#[no_mangle]` functions over raw pointers:
// unsafe is allowed here (the workspace denies it) and confined to ffi.rs;
// result.rs and ops.rs forbid it.
#![allow(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]

mod ffi;
mod ops;
mod result;

#[cfg(test)]
mod tests;

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use pqshift::AlgorithmId;

pub use ffi::*;
pub use ops::{
    pqshift_config, pqshift_public_key, pqshift_secret_key, PQSHIFT_FLAG_DETERMINISTIC,
    PQSHIFT_FLAG_RAW, PQSHIFT_HASH_LEN, PQSHIFT_MAX_CONTEXT_LEN,
};
pub use result::pqshift_result;

/// The canonical name of `alg` as a static NUL-terminated string.
fn alg_name(alg: AlgorithmId) -> *const c_char {
    static NAMES: OnceLock<Vec<(AlgorithmId, CString)>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        AlgorithmId::ALL
            .iter()
            .filter_map(|a| CString::new(a.as_str()).ok().map(|c| (*a, c)))
            .collect()
    });
    names
        .iter()
        .find(|(a, _)| *a == alg)
        .map_or(std::ptr::null(), |(_, c)| c.as_ptr())
}
