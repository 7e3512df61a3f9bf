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
//!
//! The fuzz target `fuzz/fuzz_targets/c_api.rs` compiles `ffi.rs`, `ops.rs`
//! and `result.rs` as modules at its own crate root (a cdylib has no rlib
//! to link against), so those three files refer to each other only as
//! `crate::ffi`, `crate::ops` and `crate::result`: keep this file free of
//! anything they need.
// The crate exists to export `#[no_mangle]` functions over raw pointers:
// unsafe is allowed here (the workspace denies it) and confined to ffi.rs;
// result.rs and ops.rs forbid it.
#![allow(unsafe_code)]
#![deny(unsafe_op_in_unsafe_fn)]

mod abi;
mod ffi;
mod ops;
mod result;

#[cfg(test)]
mod tests;

pub use abi::PQSHIFT_ABI_MAJOR;
pub use ffi::*;
pub use ops::{
    pqshift_config, pqshift_public_key, pqshift_secret_key, PQSHIFT_FLAG_DETERMINISTIC,
    PQSHIFT_FLAG_RAW, PQSHIFT_HASH_LEN, PQSHIFT_MAX_CONTEXT_LEN,
};
pub use result::pqshift_result;
