//! The exported functions called from Rust through raw pointers, as C would.
//! The C programs in `tests/*.c` cover the same ground from C.

use std::ffi::{c_char, CStr};
use std::ptr::{null, null_mut};

use crate::result::pqshift_result::*;
use crate::*;

const PLACEHOLDER_TOML: &CStr =
    c"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n";

fn last_error() -> String {
    // SAFETY: pqshift_last_error_message never returns NULL; copied at once.
    unsafe { CStr::from_ptr(pqshift_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

fn config(toml: &CStr) -> *mut pqshift_config {
    let mut c = null_mut();
    // SAFETY: a NUL-terminated string and a writable out slot.
    let r = unsafe { pqshift_config_from_toml(toml.as_ptr(), &mut c) };
    assert_eq!(r, PQSHIFT_OK, "{}", last_error());
    c
}

fn keygen(cfg: *const pqshift_config, alg: &CStr, seed: &[u8]) -> *mut pqshift_secret_key {
    let mut k = null_mut();
    // SAFETY: live config or NULL, NUL-terminated alg, seed slice, writable slot.
    let r = unsafe {
        pqshift_keygen_from_seed(cfg, alg.as_ptr(), null(), seed.as_ptr(), seed.len(), &mut k)
    };
    assert_eq!(r, PQSHIFT_OK, "{}", last_error());
    k
}

fn public(k: *const pqshift_secret_key) -> *mut pqshift_public_key {
    let mut p = null_mut();
    // SAFETY: live key, writable slot.
    let r = unsafe { pqshift_secret_key_public_key(k, &mut p) };
    assert_eq!(r, PQSHIFT_OK, "{}", last_error());
    p
}

fn sign(
    cfg: *const pqshift_config,
    k: *const pqshift_secret_key,
    msg: &[u8],
    ctx: &[u8],
    flags: u32,
) -> Vec<u8> {
    let mut n = 0usize;
    // SAFETY: length query: NULL output with a writable length.
    let r = unsafe {
        pqshift_sign(
            cfg,
            k,
            msg.as_ptr(),
            msg.len(),
            ctx.as_ptr(),
            ctx.len(),
            flags,
            null_mut(),
            0,
            &mut n,
        )
    };
    assert_eq!(r, PQSHIFT_ERR_BUFFER_TOO_SMALL, "{}", last_error());
    let mut sig = vec![0u8; n];
    let mut written = 0usize;
    // SAFETY: a buffer of n bytes.
    let r = unsafe {
        pqshift_sign(
            cfg,
            k,
            msg.as_ptr(),
            msg.len(),
            ctx.as_ptr(),
            ctx.len(),
            flags,
            sig.as_mut_ptr(),
            sig.len(),
            &mut written,
        )
    };
    assert_eq!(r, PQSHIFT_OK, "{}", last_error());
    assert_eq!(written, n);
    sig
}

fn verify(
    cfg: *const pqshift_config,
    p: *const pqshift_public_key,
    msg: &[u8],
    ctx: &[u8],
    sig: &[u8],
    flags: u32,
) -> pqshift_result {
    // SAFETY: live handles and slices.
    unsafe {
        pqshift_verify(
            cfg,
            p,
            msg.as_ptr(),
            msg.len(),
            ctx.as_ptr(),
            ctx.len(),
            sig.as_ptr(),
            sig.len(),
            flags,
        )
    }
}

fn free(k: *mut pqshift_secret_key, p: *mut pqshift_public_key, c: *mut pqshift_config) {
    // SAFETY: live handles or NULL, each freed once.
    unsafe {
        pqshift_secret_key_free(k);
        pqshift_public_key_free(p);
        pqshift_config_free(c);
    }
}

#[test]
fn version_and_messages_are_static_strings() {
    // SAFETY: static NUL-terminated strings.
    let v = unsafe { CStr::from_ptr(pqshift_version()) };
    assert_eq!(v.to_str().unwrap(), pqshift::VERSION);
    for code in 0..=7u32 {
        // SAFETY: as above.
        let m = unsafe { CStr::from_ptr(pqshift_result_message(code)) };
        assert!(!m.to_bytes().is_empty());
    }
    // SAFETY: as above.
    let m = unsafe { CStr::from_ptr(pqshift_result_message(1000)) };
    assert_eq!(m.to_str().unwrap(), "unknown pqshift result code");
}

#[test]
fn algorithms_with_a_length_query() {
    let mut n = 0usize;
    // SAFETY: NULL output with a writable length.
    let r = unsafe { pqshift_algorithms(null_mut(), 0, &mut n) };
    assert_eq!(r, PQSHIFT_ERR_BUFFER_TOO_SMALL);
    let mut buf = vec![0 as c_char; n];
    let mut w = 0;
    // SAFETY: n - 1 bytes is one too few.
    let r = unsafe { pqshift_algorithms(buf.as_mut_ptr(), n - 1, &mut w) };
    assert_eq!(r, PQSHIFT_ERR_BUFFER_TOO_SMALL);
    assert_eq!(w, n);
    // SAFETY: a buffer of n bytes.
    let r = unsafe { pqshift_algorithms(buf.as_mut_ptr(), n, &mut w) };
    assert_eq!(r, PQSHIFT_OK);
    assert_eq!(w, n);
    // SAFETY: NUL-terminated by the call.
    let s = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
    assert_eq!(s.len() + 1, n);
    assert!(s.split(',').any(|a| a == "ml-dsa-65"), "{s}");
    // A NULL length pointer is invalid input.
    // SAFETY: exercising the NULL check.
    let r = unsafe { pqshift_algorithms(buf.as_mut_ptr(), n, null_mut()) };
    assert_eq!(r, PQSHIFT_ERR_INVALID_INPUT);
}

#[test]
fn ml_dsa_round_trip_with_context_and_tamper() {
    let cfg = config(c"[sign]\nalgorithm = \"ml-dsa-44\"\n");
    let k = keygen(cfg, c"ML-DSA-44", &[1; 32]);
    let p = public(k);
    let sig = sign(cfg, k, b"record", b"ctx", PQSHIFT_FLAG_DETERMINISTIC);
    let again = sign(cfg, k, b"record", b"ctx", PQSHIFT_FLAG_DETERMINISTIC);
    assert_eq!(sig, again, "deterministic");
    assert_eq!(verify(cfg, p, b"record", b"ctx", &sig, 0), PQSHIFT_OK);
    assert_eq!(
        verify(cfg, p, b"record", b"other", &sig, 0),
        PQSHIFT_ERR_VERIFICATION_FAILED
    );
    assert_eq!(last_error(), "signature verification failed");
    assert_eq!(
        verify(cfg, p, b"record", b"ctx", &sig[..sig.len() - 1], 0),
        PQSHIFT_ERR_INVALID_INPUT
    );
    let raw = sign(cfg, k, b"record", b"", PQSHIFT_FLAG_RAW);
    assert_eq!(raw.len(), 2420);
    assert_eq!(
        verify(cfg, p, b"record", b"", &raw, PQSHIFT_FLAG_RAW),
        PQSHIFT_OK
    );
    // Context over 255 bytes.
    let long = [0u8; 256];
    let mut n = 0;
    // SAFETY: live handles and slices.
    let r = unsafe {
        pqshift_sign(
            cfg,
            k,
            null(),
            0,
            long.as_ptr(),
            256,
            0,
            null_mut(),
            0,
            &mut n,
        )
    };
    assert_eq!(r, PQSHIFT_ERR_INVALID_INPUT);
    assert!(last_error().contains("255"), "{}", last_error());
    free(k, p, cfg);
}

#[test]
fn null_pointers_are_invalid_input() {
    let mut k = null_mut();
    // SAFETY: exercising NULL checks.
    unsafe {
        assert_eq!(
            pqshift_keygen_from_seed(null(), c"ed25519".as_ptr(), null(), null(), 32, &mut k),
            PQSHIFT_ERR_INVALID_INPUT
        );
        assert!(k.is_null(), "nothing written on failure");
        assert_eq!(
            pqshift_keygen_from_seed(
                null(),
                c"ed25519".as_ptr(),
                null(),
                [0u8; 32].as_ptr(),
                32,
                null_mut()
            ),
            PQSHIFT_ERR_INVALID_INPUT
        );
        assert_eq!(
            pqshift_secret_key_public_key(null(), &mut null_mut()),
            PQSHIFT_ERR_INVALID_INPUT
        );
        assert_eq!(pqshift_config_install(null()), PQSHIFT_ERR_INVALID_INPUT);
        assert_eq!(
            pqshift_sha256(null(), 0, null_mut()),
            PQSHIFT_ERR_INVALID_INPUT
        );
        assert!(pqshift_secret_key_algorithm(null()).is_null());
        pqshift_secret_key_free(null_mut());
        pqshift_public_key_free(null_mut());
        pqshift_config_free(null_mut());
    }
}

#[test]
fn unknown_algorithm_is_unsupported() {
    let mut k = null_mut();
    // SAFETY: valid pointers.
    let r = unsafe {
        pqshift_keygen_from_seed(
            null(),
            c"rsa-2048".as_ptr(),
            null(),
            [0u8; 32].as_ptr(),
            32,
            &mut k,
        )
    };
    assert_eq!(r, PQSHIFT_ERR_UNSUPPORTED);
    assert!(last_error().contains("rsa-2048"));
}

#[test]
fn placeholder_needs_allow_insecure() {
    let strict = config(c"[sign]\nalgorithm = \"ed25519\"\n");
    let mut k = null_mut();
    // SAFETY: valid pointers.
    let r = unsafe {
        pqshift_keygen_from_seed(
            strict,
            c"insecure-test-hmac-sha256".as_ptr(),
            null(),
            [0u8; 32].as_ptr(),
            32,
            &mut k,
        )
    };
    assert_eq!(r, PQSHIFT_ERR_POLICY);
    let cfg = config(PLACEHOLDER_TOML);
    let k = keygen(cfg, c"insecure-test-hmac-sha256", &[9; 32]);
    let tag = sign(cfg, k, b"m", b"c", 0);
    // SAFETY: live handles and slices.
    let r = unsafe {
        pqshift_verify_with_secret_key(
            cfg,
            k,
            b"m".as_ptr(),
            1,
            b"c".as_ptr(),
            1,
            tag.as_ptr(),
            tag.len(),
            0,
        )
    };
    assert_eq!(r, PQSHIFT_OK);
    let mut p = null_mut();
    // SAFETY: live key.
    let r = unsafe { pqshift_secret_key_public_key(k, &mut p) };
    assert_eq!(r, PQSHIFT_ERR_INVALID_INPUT);
    free(k, null_mut(), cfg);
    free(null_mut(), null_mut(), strict);
}

#[test]
fn kem_round_trip_and_encodings() {
    let k = keygen(null(), c"ml-kem-768", &[3; 64]);
    let p = public(k);
    let (mut ct_n, mut ss_n) = (0, 0);
    // SAFETY: length query.
    let r = unsafe {
        pqshift_kem_encapsulate(
            null(),
            p,
            0,
            null_mut(),
            0,
            &mut ct_n,
            null_mut(),
            0,
            &mut ss_n,
        )
    };
    assert_eq!(r, PQSHIFT_ERR_BUFFER_TOO_SMALL);
    assert_eq!(ss_n, 32);
    let mut ct = vec![0u8; ct_n];
    let mut ss = [0u8; 32];
    // SAFETY: buffers of the queried sizes.
    let r = unsafe {
        pqshift_kem_encapsulate(
            null(),
            p,
            0,
            ct.as_mut_ptr(),
            ct.len(),
            &mut ct_n,
            ss.as_mut_ptr(),
            32,
            &mut ss_n,
        )
    };
    assert_eq!(r, PQSHIFT_OK, "{}", last_error());
    let mut ss2 = [0u8; 32];
    let mut n = 0;
    // SAFETY: live key and buffers.
    let r = unsafe {
        pqshift_kem_decapsulate(
            null(),
            k,
            ct.as_ptr(),
            ct.len(),
            0,
            ss2.as_mut_ptr(),
            32,
            &mut n,
        )
    };
    assert_eq!(r, PQSHIFT_OK, "{}", last_error());
    assert_eq!(ss, ss2);

    // Tagged and PEM round trips of the secret key.
    for to_pem in [false, true] {
        let mut len = 0;
        // SAFETY: length query, then a buffer of that size.
        let text = unsafe {
            let f = if to_pem {
                pqshift_secret_key_to_pem
            } else {
                pqshift_secret_key_to_tagged
            };
            assert_eq!(f(k, null_mut(), 0, &mut len), PQSHIFT_ERR_BUFFER_TOO_SMALL);
            let mut buf = vec![0 as c_char; len];
            assert_eq!(f(k, buf.as_mut_ptr(), len, &mut len), PQSHIFT_OK);
            buf.iter().map(|c| *c as u8).collect::<Vec<u8>>()
        };
        assert_eq!(text.last(), Some(&0));
        let mut k2 = null_mut();
        // SAFETY: the text with its NUL.
        let r = unsafe {
            let f = if to_pem {
                pqshift_secret_key_from_pem
            } else {
                pqshift_secret_key_from_tagged
            };
            f(null(), null(), text.as_ptr(), text.len(), &mut k2)
        };
        assert_eq!(r, PQSHIFT_OK, "{}", last_error());
        // SAFETY: live key; static name.
        let name = unsafe { CStr::from_ptr(pqshift_secret_key_algorithm(k2)) };
        assert_eq!(name.to_str().unwrap(), "ml-kem-768");
        free(k2, null_mut(), null_mut());
    }
    free(k, p, null_mut());
}

#[test]
fn hashing_is_the_facades() {
    let mut out = [0u8; 32];
    // SAFETY: empty input, 32-byte output.
    let r = unsafe { pqshift_sha256(null(), 0, out.as_mut_ptr()) };
    assert_eq!(r, PQSHIFT_OK);
    assert_eq!(out, pqshift::merkle::sha256(b""));
    let leaves: [&[u8]; 3] = [b"a", b"", b"c"];
    let ptrs: Vec<*const u8> = vec![leaves[0].as_ptr(), null(), leaves[2].as_ptr()];
    let lens: Vec<usize> = leaves.iter().map(|l| l.len()).collect();
    // SAFETY: three leaves (the empty one NULL), 32-byte output.
    let r = unsafe { pqshift_merkle_root(ptrs.as_ptr(), lens.as_ptr(), 3, out.as_mut_ptr()) };
    assert_eq!(r, PQSHIFT_OK);
    assert_eq!(out, pqshift::merkle::merkle_root(&leaves));
    // SAFETY: count 0 with NULL arrays.
    let r = unsafe { pqshift_merkle_root(null(), null(), 0, out.as_mut_ptr()) };
    assert_eq!(r, PQSHIFT_OK);
    assert_eq!(out, pqshift::merkle::sha256(b""));
    // SAFETY: exercising the NULL check.
    let r = unsafe { pqshift_merkle_root(null(), null(), 2, out.as_mut_ptr()) };
    assert_eq!(r, PQSHIFT_ERR_INVALID_INPUT);
}

#[test]
fn a_handle_of_another_type_is_invalid_input_and_is_not_freed() {
    let cfg = config(c"[sign]\nalgorithm = \"ed25519\"\n");
    let k = keygen(cfg, c"ed25519", &[3; 32]);
    let p = public(k);
    let expect = |r: pqshift_result, want: &str| {
        assert_eq!(r, PQSHIFT_ERR_INVALID_INPUT, "{}", last_error());
        assert!(last_error().contains(want), "{}", last_error());
    };
    let mut out = null_mut();
    // SAFETY: every pointer is a live handle made by the library (of the
    // wrong type, which is what is tested) or a writable slot.
    unsafe {
        expect(
            pqshift_secret_key_public_key(p.cast::<pqshift_secret_key>(), &mut out),
            "key is a pqshift_public_key, not a pqshift_secret_key",
        );
        assert!(out.is_null());
        expect(
            pqshift_config_install(k.cast::<pqshift_config>()),
            "config is a pqshift_secret_key, not a pqshift_config",
        );
        let mut sk = null_mut();
        expect(
            pqshift_keygen(p.cast::<pqshift_config>(), null(), null(), &mut sk),
            "config is a pqshift_public_key, not a pqshift_config",
        );
        assert!(sk.is_null());
        assert!(pqshift_public_key_algorithm(cfg.cast::<pqshift_public_key>()).is_null());
        assert!(last_error().contains("is a pqshift_config, not a pqshift_public_key"));
        // _free of the wrong type frees nothing: the handles still work.
        expect(
            pqshift_public_key_free(k.cast::<pqshift_public_key>()),
            "is a pqshift_secret_key",
        );
        expect(
            pqshift_secret_key_free(p.cast::<pqshift_secret_key>()),
            "is a pqshift_public_key",
        );
        expect(
            pqshift_config_free(k.cast::<pqshift_config>()),
            "is a pqshift_secret_key",
        );
        expect(
            pqshift_secret_key_free(cfg.cast::<pqshift_secret_key>()),
            "is a pqshift_config",
        );
        assert!(!pqshift_secret_key_algorithm(k).is_null());
        // A success of the _algorithm and _free functions leaves the message.
        assert!(
            last_error().contains("is a pqshift_config"),
            "{}",
            last_error()
        );
        assert!(!pqshift_public_key_algorithm(p).is_null());
    }
    let sig = sign(cfg, k, b"m", b"", 0);
    assert!(!sig.is_empty());
    // SAFETY: live handles, each freed once.
    unsafe {
        assert_eq!(pqshift_public_key_free(p), PQSHIFT_OK);
        assert_eq!(pqshift_secret_key_free(k), PQSHIFT_OK);
        assert_eq!(pqshift_config_free(cfg), PQSHIFT_OK);
    }
}
