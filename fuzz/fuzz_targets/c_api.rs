//! The C API (libpqshift) driven by arbitrary call sequences with arbitrary
//! buffers, lengths, capacities, NULL pointers and handles.
//!
//! The binding is a cdylib/staticlib without an rlib, so this target
//! compiles its three source files as modules here: the code under test is
//! exactly `bindings/c/src/{ffi,ops,result}.rs`, instrumented like the rest.
//!
//! Oracle: no crash or sanitizer report; every result is one of the
//! documented codes and never PQSHIFT_ERR_INTERNAL (a caught panic) or
//! PQSHIFT_ERR_PROVIDER; on PQSHIFT_OK the reported length fits the
//! capacity; on PQSHIFT_ERR_BUFFER_TOO_SMALL the reported length is the
//! one needed and the buffer is untouched; nothing is ever written past a
//! capacity (canary bytes); a failed call leaves its out-handle NULL.
//!
//! Input: a sequence of operations, `op:u8` then its arguments (see
//! `run` below). Not fuzzed: `pqshift_config_load` (reads files) and
//! `pqshift_config_install` (process-wide state would make runs depend on
//! earlier inputs).
#![no_main]
#![allow(unsafe_code, dead_code, unused_imports, non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn)]

#[path = "../../bindings/c/src/ffi.rs"]
mod ffi;
#[path = "../../bindings/c/src/ops.rs"]
mod ops;
#[path = "../../bindings/c/src/result.rs"]
mod result;

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use ffi::*;
use libfuzzer_sys::fuzz_target;
use ops::{pqshift_config, pqshift_public_key, pqshift_secret_key};
use pqshift::AlgorithmId;
use pqshift_fuzz::Input;
use result::pqshift_result;

const CANARY: u8 = 0xA5;
const SLACK: usize = 16;

const PERMISSIVE: &str = "[sign]\nalgorithm = \"ml-dsa-44\"\n\n[verify]\naccept = [\"ml-dsa-44\", \"ml-dsa-65\", \"ml-dsa-87\", \"ed25519\", \"insecure-test-hmac-sha256\"]\n\n[kem]\nalgorithm = \"ml-kem-512\"\n\n[policy]\nallow_insecure = true\n\0";

const PROVIDERS: [&CStr; 6] = [
    c"liboqs",
    c"pqclean",
    c"rustcrypto",
    c"dalek",
    c"placeholder",
    c"nonexistent",
];

fn code(r: pqshift_result) -> u32 {
    r as u32
}

/// Every result must be documented and never an internal/provider failure.
fn check(what: &str, r: pqshift_result) -> u32 {
    let c = code(r);
    assert!(c <= 7, "{what}: undocumented result {c}");
    assert!(
        c != 7 && c != 6,
        "{what}: result {c}: {:?}",
        // SAFETY: pqshift_last_error_message returns a valid NUL-terminated
        // thread-local string that lives until the next call on this thread.
        unsafe { CStr::from_ptr(pqshift_last_error_message()) }
    );
    c
}

struct State {
    configs: Vec<*mut pqshift_config>,
    secrets: Vec<*mut pqshift_secret_key>,
    publics: Vec<*mut pqshift_public_key>,
    /// Keep C strings alive for the duration of a call.
    strings: Vec<CString>,
}

impl State {
    fn config(&self, sel: u8) -> *const pqshift_config {
        if sel == 0 || self.configs.is_empty() {
            ptr::null()
        } else {
            self.configs[usize::from(sel) % self.configs.len()]
        }
    }
    fn secret(&self, sel: u8) -> Option<*const pqshift_secret_key> {
        if self.secrets.is_empty() {
            None
        } else {
            Some(self.secrets[usize::from(sel) % self.secrets.len()])
        }
    }
    fn public(&self, sel: u8) -> Option<*const pqshift_public_key> {
        if self.publics.is_empty() {
            None
        } else {
            Some(self.publics[usize::from(sel) % self.publics.len()])
        }
    }
    /// A NUL-terminated string from the input: NULL, a canonical
    /// algorithm name, or arbitrary bytes (cut at the first NUL).
    fn alg(&mut self, input: &mut Input<'_>) -> *const c_char {
        let sel = input.byte();
        match sel {
            0xFF => ptr::null(),
            0x80..=0xFE => self.cstr(input.blob()),
            _ => {
                let all = AlgorithmId::ALL;
                self.cstr(all[usize::from(sel) % all.len()].as_str().as_bytes())
            }
        }
    }
    fn provider(&mut self, input: &mut Input<'_>) -> *const c_char {
        let sel = input.byte();
        match sel {
            0 => ptr::null(),
            0xFF => self.cstr(input.blob()),
            _ => PROVIDERS[usize::from(sel) % PROVIDERS.len()].as_ptr(),
        }
    }
    fn cstr(&mut self, bytes: &[u8]) -> *const c_char {
        let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
        let s = CString::new(&bytes[..end]).unwrap_or_default();
        let p = s.as_ptr();
        self.strings.push(s);
        p
    }
}

/// An input buffer: the blob, or (flag) NULL with the blob's length.
fn in_ptr(blob: &[u8], null: bool) -> (*const u8, usize) {
    if null {
        (ptr::null(), blob.len())
    } else {
        (blob.as_ptr(), blob.len())
    }
}

/// Calls `f(out, cap, &mut len)` with a canary-guarded buffer of capacity
/// `cap` (or a NULL buffer) and checks the output contract. Returns the
/// result code and the bytes written on success.
fn with_out(
    what: &str,
    cap: usize,
    null_out: bool,
    f: impl FnOnce(*mut u8, usize, *mut usize) -> pqshift_result,
) -> (u32, Vec<u8>) {
    let mut buf = vec![CANARY; cap + SLACK];
    let mut len: usize = usize::MAX;
    let out = if null_out {
        ptr::null_mut()
    } else {
        buf.as_mut_ptr()
    };
    let c = check(what, f(out, cap, &mut len));
    assert!(
        buf[cap..].iter().all(|b| *b == CANARY),
        "{what}: wrote past the capacity {cap}"
    );
    match c {
        0 => {
            assert!(!null_out, "{what}: success with a NULL output buffer");
            assert!(len <= cap, "{what}: length {len} > capacity {cap}");
            (c, buf[..len].to_vec())
        }
        5 => {
            assert!(
                null_out || len > cap,
                "{what}: buffer too small, but needs {len} <= capacity {cap}"
            );
            assert!(
                buf.iter().all(|b| *b == CANARY),
                "{what}: buffer too small, yet the buffer was written"
            );
            (c, Vec::new())
        }
        _ => (c, Vec::new()),
    }
}

fn run(data: &[u8]) {
    let mut input = Input::new(data);
    let mut st = State {
        configs: Vec::new(),
        secrets: Vec::new(),
        publics: Vec::new(),
        strings: Vec::new(),
    };
    let mut cfg: *mut pqshift_config = ptr::null_mut();
    // SAFETY: PERMISSIVE is NUL-terminated; cfg is a valid out-pointer.
    let c = unsafe { pqshift_config_from_toml(PERMISSIVE.as_ptr().cast(), &mut cfg) };
    assert_eq!(code(c), 0, "the permissive configuration loads");
    st.configs.push(cfg);

    for _ in 0..24 {
        let op = input.byte();
        // SAFETY (for every call below): every pointer passed is NULL or
        // points into a live Rust buffer of at least the length passed
        // with it; handles come from successful constructor calls and are
        // freed only once, at the end or by op 17 which also forgets them.
        match op % 20 {
            0 => {
                let text = input.blob();
                let s = st.cstr(text);
                let mut out: *mut pqshift_config = ptr::null_mut();
                let c = check("config_from_toml", unsafe {
                    pqshift_config_from_toml(s, &mut out)
                });
                if c == 0 {
                    st.configs.push(out);
                } else {
                    assert!(out.is_null(), "config_from_toml: handle on failure");
                }
            }
            1 => {
                let config = st.config(input.byte());
                let alg = st.alg(&mut input);
                let provider = st.provider(&mut input);
                let flags = input.byte();
                let (seed, seed_len) = in_ptr(input.blob(), flags & 1 != 0);
                let mut out: *mut pqshift_secret_key = ptr::null_mut();
                let c = check("keygen_from_seed", unsafe {
                    pqshift_keygen_from_seed(config, alg, provider, seed, seed_len, &mut out)
                });
                if c == 0 {
                    st.secrets.push(out);
                } else {
                    assert!(out.is_null(), "keygen_from_seed: handle on failure");
                }
            }
            2 | 3 => {
                let config = st.config(input.byte());
                let provider = st.provider(&mut input);
                let flags = input.byte();
                let (p, n) = in_ptr(input.blob(), flags & 1 != 0);
                let mut out: *mut pqshift_secret_key = ptr::null_mut();
                let c = if op % 20 == 2 {
                    check("secret_key_from_tagged", unsafe {
                        pqshift_secret_key_from_tagged(config, provider, p, n, &mut out)
                    })
                } else {
                    check("secret_key_from_pem", unsafe {
                        pqshift_secret_key_from_pem(config, provider, p, n, &mut out)
                    })
                };
                if c == 0 {
                    st.secrets.push(out);
                } else {
                    assert!(out.is_null(), "secret key import: handle on failure");
                }
            }
            4..=6 => {
                let config = st.config(input.byte());
                let provider = st.provider(&mut input);
                let alg = st.alg(&mut input);
                let flags = input.byte();
                let (p, n) = in_ptr(input.blob(), flags & 1 != 0);
                let mut out: *mut pqshift_public_key = ptr::null_mut();
                let c = match op % 20 {
                    4 => check("public_key_from_tagged", unsafe {
                        pqshift_public_key_from_tagged(config, provider, p, n, &mut out)
                    }),
                    5 => check("public_key_from_pem", unsafe {
                        pqshift_public_key_from_pem(config, provider, p, n, &mut out)
                    }),
                    _ => check("public_key_from_raw", unsafe {
                        pqshift_public_key_from_raw(config, alg, provider, p, n, &mut out)
                    }),
                };
                if c == 0 {
                    st.publics.push(out);
                } else {
                    assert!(out.is_null(), "public key import: handle on failure");
                }
            }
            7 => {
                let Some(k) = st.secret(input.byte()) else {
                    continue;
                };
                let mut out: *mut pqshift_public_key = ptr::null_mut();
                let c = check("secret_key_public_key", unsafe {
                    pqshift_secret_key_public_key(k, &mut out)
                });
                if c == 0 {
                    st.publics.push(out);
                }
            }
            8 => {
                let config = st.config(input.byte());
                let Some(k) = st.secret(input.byte()) else {
                    continue;
                };
                let flags = input.byte();
                let cap = usize::from(input.u16());
                let (m, mn) = in_ptr(input.blob(), flags & 0x10 != 0);
                let (x, xn) = in_ptr(input.blob(), flags & 0x20 != 0);
                let (c, sig) = with_out("sign", cap, flags & 0x40 != 0, |o, cap, len| unsafe {
                    pqshift_sign(config, k, m, mn, x, xn, u32::from(flags & 3), o, cap, len)
                });
                if c == 0 {
                    // A fresh signature verifies with its own key.
                    let v = check("verify_with_secret_key(own)", unsafe {
                        pqshift_verify_with_secret_key(
                            config,
                            k,
                            m,
                            mn,
                            x,
                            xn,
                            sig.as_ptr(),
                            sig.len(),
                            u32::from(flags & 2),
                        )
                    });
                    assert_eq!(v, 0, "a signature just made does not verify");
                }
            }
            9 | 10 => {
                let config = st.config(input.byte());
                let flags = input.byte();
                let (m, mn) = in_ptr(input.blob(), flags & 0x10 != 0);
                let (x, xn) = in_ptr(input.blob(), flags & 0x20 != 0);
                let (s, sn) = in_ptr(input.blob(), flags & 0x40 != 0);
                let sel = input.byte();
                if op % 20 == 9 {
                    let Some(k) = st.public(sel) else { continue };
                    check("verify", unsafe {
                        pqshift_verify(config, k, m, mn, x, xn, s, sn, u32::from(flags & 3))
                    });
                } else {
                    let Some(k) = st.secret(sel) else { continue };
                    check("verify_with_secret_key", unsafe {
                        pqshift_verify_with_secret_key(
                            config,
                            k,
                            m,
                            mn,
                            x,
                            xn,
                            s,
                            sn,
                            u32::from(flags & 3),
                        )
                    });
                }
            }
            11 => {
                let config = st.config(input.byte());
                let Some(k) = st.public(input.byte()) else {
                    continue;
                };
                let flags = input.byte();
                let ct_cap = usize::from(input.u16());
                let ss_cap = usize::from(input.byte());
                let mut ct = vec![CANARY; ct_cap + SLACK];
                let mut ss = vec![CANARY; ss_cap + SLACK];
                let (mut ct_len, mut ss_len) = (usize::MAX, usize::MAX);
                let ct_p = if flags & 0x10 != 0 {
                    ptr::null_mut()
                } else {
                    ct.as_mut_ptr()
                };
                let ss_p = if flags & 0x20 != 0 {
                    ptr::null_mut()
                } else {
                    ss.as_mut_ptr()
                };
                let c = check("kem_encapsulate", unsafe {
                    pqshift_kem_encapsulate(
                        config,
                        k,
                        u32::from(flags & 3),
                        ct_p,
                        ct_cap,
                        &mut ct_len,
                        ss_p,
                        ss_cap,
                        &mut ss_len,
                    )
                });
                assert!(
                    ct[ct_cap..].iter().all(|b| *b == CANARY),
                    "encapsulate: ct overflow"
                );
                assert!(
                    ss[ss_cap..].iter().all(|b| *b == CANARY),
                    "encapsulate: ss overflow"
                );
                if c == 0 {
                    assert!(ct_len <= ct_cap && ss_len <= ss_cap, "encapsulate: lengths");
                } else if c == 5 {
                    assert!(
                        ct.iter().all(|b| *b == CANARY),
                        "encapsulate: wrote on too-small"
                    );
                    assert!(
                        ss.iter().all(|b| *b == CANARY),
                        "encapsulate: wrote on too-small"
                    );
                }
            }
            12 => {
                let config = st.config(input.byte());
                let Some(k) = st.secret(input.byte()) else {
                    continue;
                };
                let flags = input.byte();
                let cap = usize::from(input.byte());
                let (ct, n) = in_ptr(input.blob(), flags & 0x10 != 0);
                with_out(
                    "kem_decapsulate",
                    cap,
                    flags & 0x40 != 0,
                    |o, cap, len| unsafe {
                        pqshift_kem_decapsulate(config, k, ct, n, u32::from(flags & 3), o, cap, len)
                    },
                );
            }
            13 => {
                let which = input.byte();
                let sel = input.byte();
                let cap = usize::from(input.u16());
                let null_out = which & 0x80 != 0;
                match which % 5 {
                    0 => {
                        let Some(k) = st.secret(sel) else { continue };
                        with_out(
                            "secret_key_to_tagged",
                            cap,
                            null_out,
                            |o, cap, len| unsafe {
                                pqshift_secret_key_to_tagged(k, o.cast(), cap, len)
                            },
                        );
                    }
                    1 => {
                        let Some(k) = st.secret(sel) else { continue };
                        with_out("secret_key_to_pem", cap, null_out, |o, cap, len| unsafe {
                            pqshift_secret_key_to_pem(k, o.cast(), cap, len)
                        });
                    }
                    2 => {
                        let Some(k) = st.public(sel) else { continue };
                        with_out(
                            "public_key_to_tagged",
                            cap,
                            null_out,
                            |o, cap, len| unsafe {
                                pqshift_public_key_to_tagged(k, o.cast(), cap, len)
                            },
                        );
                    }
                    3 => {
                        let Some(k) = st.public(sel) else { continue };
                        with_out("public_key_to_pem", cap, null_out, |o, cap, len| unsafe {
                            pqshift_public_key_to_pem(k, o.cast(), cap, len)
                        });
                    }
                    _ => {
                        let Some(k) = st.public(sel) else { continue };
                        with_out("public_key_to_raw", cap, null_out, |o, cap, len| unsafe {
                            pqshift_public_key_to_raw(k, o, cap, len)
                        });
                    }
                }
            }
            14 => {
                let alg = st.alg(&mut input);
                let n = input.u64();
                let cap = usize::from(input.u16());
                let flags = input.byte();
                if alg.is_null() {
                    continue; // documented as NUL-terminated, not NULL
                }
                let (c, key) = with_out(
                    "contract_keygen",
                    cap,
                    flags & 1 != 0,
                    |o, cap, len| unsafe { pqshift_contract_keygen(alg, n, o, cap, len) },
                );
                if c == 0 {
                    let payload = input.blob();
                    let (c, sig) = with_out("contract_sign", 8192, false, |o, cap, len| unsafe {
                        pqshift_contract_sign(
                            key.as_ptr(),
                            key.len(),
                            payload.as_ptr(),
                            payload.len(),
                            o,
                            cap,
                            len,
                        )
                    });
                    if c == 0 {
                        let v = check("contract_verify", unsafe {
                            pqshift_contract_verify(
                                key.as_ptr(),
                                key.len(),
                                payload.as_ptr(),
                                payload.len(),
                                sig.as_ptr(),
                                sig.len(),
                            )
                        });
                        assert_eq!(v, 0, "contract: own signature does not verify");
                    }
                }
            }
            15 => {
                let flags = input.byte();
                let (k, kn) = in_ptr(input.blob(), flags & 1 != 0);
                let (p, pn) = in_ptr(input.blob(), flags & 2 != 0);
                let (s, sn) = in_ptr(input.blob(), flags & 4 != 0);
                let cap = usize::from(input.u16());
                with_out("contract_sign", cap, flags & 8 != 0, |o, cap, len| unsafe {
                    pqshift_contract_sign(k, kn, p, pn, o, cap, len)
                });
                check("contract_verify", unsafe {
                    pqshift_contract_verify(k, kn, p, pn, s, sn)
                });
            }
            16 => {
                let count = usize::from(input.byte() % 16);
                let leaves: Vec<&[u8]> = (0..count).map(|_| input.blob()).collect();
                let ptrs: Vec<*const u8> = leaves.iter().map(|l| l.as_ptr()).collect();
                let lens: Vec<usize> = leaves.iter().map(|l| l.len()).collect();
                let mut out = [CANARY; 32 + SLACK];
                let c = check("merkle_root", unsafe {
                    pqshift_merkle_root(ptrs.as_ptr(), lens.as_ptr(), count, out.as_mut_ptr())
                });
                assert_eq!(c, 0, "merkle_root of live leaves");
                assert_eq!(&out[..32], &pqshift::merkle::merkle_root(&leaves)[..]);
                assert!(
                    out[32..].iter().all(|b| *b == CANARY),
                    "merkle_root overflow"
                );
                let (d, dn) = in_ptr(input.blob(), false);
                let c = check("sha256", unsafe { pqshift_sha256(d, dn, out.as_mut_ptr()) });
                assert_eq!(c, 0);
            }
            17 => {
                let which = input.byte();
                let sel = input.byte();
                // SAFETY: the handle is removed from the state before it is freed.
                match which % 3 {
                    0 if !st.secrets.is_empty() => {
                        let k = st.secrets.remove(usize::from(sel) % st.secrets.len());
                        let c = unsafe { pqshift_secret_key_free(k) };
                        assert_eq!(c as u32, 0, "freeing a live secret key");
                    }
                    1 if !st.publics.is_empty() => {
                        let k = st.publics.remove(usize::from(sel) % st.publics.len());
                        let c = unsafe { pqshift_public_key_free(k) };
                        assert_eq!(c as u32, 0, "freeing a live public key");
                    }
                    _ => unsafe {
                        // Freeing NULL is a no-op, and a success.
                        assert_eq!(pqshift_secret_key_free(ptr::null_mut()) as u32, 0);
                        assert_eq!(pqshift_public_key_free(ptr::null_mut()) as u32, 0);
                        assert_eq!(pqshift_config_free(ptr::null_mut()) as u32, 0);
                    },
                }
            }
            18 => {
                let cap = usize::from(input.u16());
                let null_out = input.byte() & 1 != 0;
                let (c, names) = with_out("algorithms", cap, null_out, |o, cap, len| unsafe {
                    pqshift_algorithms(o.cast(), cap, len)
                });
                if c == 0 {
                    assert!(!names.is_empty());
                }
            }
            _ => {
                let sel = input.byte();
                if let Some(k) = st.secret(sel) {
                    let name = unsafe { pqshift_secret_key_algorithm(k) };
                    assert!(!name.is_null(), "a live secret key has an algorithm");
                }
                if let Some(k) = st.public(sel) {
                    let name = unsafe { pqshift_public_key_algorithm(k) };
                    assert!(!name.is_null(), "a live public key has an algorithm");
                }
                // NULL handles give NULL names, and messages are always strings.
                assert!(unsafe { pqshift_secret_key_algorithm(ptr::null()) }.is_null());
                assert!(!pqshift_result_message(u32::from(sel)).is_null());
                assert!(!pqshift_last_error_message().is_null());
            }
        }
    }

    // SAFETY: every handle left in the state is live and freed exactly once.
    unsafe {
        for k in st.secrets.drain(..) {
            pqshift_secret_key_free(k);
        }
        for k in st.publics.drain(..) {
            pqshift_public_key_free(k);
        }
        for c in st.configs.drain(..) {
            pqshift_config_free(c);
        }
    }
}

fuzz_target!(|data: &[u8]| run(data));
