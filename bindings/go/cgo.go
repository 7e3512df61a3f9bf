package pqshift

// The cgo directives, and helpers. The other files call the gopq_
// wrappers of gopq.c, which run a pqshift_ function and, when it fails, copy the
// thread-local last-error message in the same C call: a goroutine may move
// to another OS thread between two cgo calls, so reading
// pqshift_last_error_message in a second call could read another
// goroutine's message.
//
// Linking: the static libpqshift.a (no libpqshift.so at run time).
// scripts/test-go builds it with cargo and points lib/libpqshift.a at it.

/*
#cgo CFLAGS: -I${SRCDIR}/../c/include
#cgo LDFLAGS: ${SRCDIR}/lib/libpqshift.a -lgcc_s -lutil -lrt -lpthread -lm -ldl

#cgo noescape gopq_algorithms
#cgo noescape gopq_config_load
#cgo noescape gopq_config_from_toml
#cgo noescape gopq_config_install
#cgo noescape gopq_keygen_from_seed
#cgo noescape gopq_keygen
#cgo noescape gopq_secret_key_public_key
#cgo noescape gopq_secret_key_to_tagged
#cgo noescape gopq_secret_key_to_pem
#cgo noescape gopq_secret_key_from_tagged
#cgo noescape gopq_secret_key_from_pem
#cgo noescape gopq_public_key_to_tagged
#cgo noescape gopq_public_key_to_pem
#cgo noescape gopq_public_key_to_raw
#cgo noescape gopq_public_key_from_tagged
#cgo noescape gopq_public_key_from_pem
#cgo noescape gopq_public_key_from_raw
#cgo noescape gopq_sign
#cgo noescape gopq_verify
#cgo noescape gopq_verify_with_secret_key
#cgo noescape gopq_kem_encapsulate
#cgo noescape gopq_kem_decapsulate
#cgo noescape gopq_merkle_root
#cgo noescape pqshift_sha256
#cgo noescape gopq_contract_keygen
#cgo noescape gopq_contract_sign
#cgo noescape gopq_contract_verify
#cgo nocallback gopq_sign
#cgo nocallback gopq_verify
#cgo nocallback pqshift_sha256
#cgo nocallback gopq_noop
#cgo noescape gopq_bench_verify
#cgo noescape gopq_bench_sign

#include <stdlib.h>
#include "gopq.h"
*/
import "C"

import (
	"runtime"
	"strings"
	"unsafe"
)

// Flags of pqshift_sign, pqshift_verify and the KEM calls.
const (
	flagDeterministic = C.PQSHIFT_FLAG_DETERMINISTIC
	flagRaw           = C.PQSHIFT_FLAG_RAW
)

// MaxContextLen is the longest context string (FIPS 204): 255 bytes.
const MaxContextLen = C.PQSHIFT_MAX_CONTEXT_LEN

// bytesArg turns a slice into a C (pointer, length): NULL and 0 for an
// empty slice, never &b[0] of an empty one.
func bytesArg(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// hasNUL reports whether C would see only part of s: a string argument is
// cut at its first NUL, so "ed25519\x00junk" would pass for "ed25519".
// Callers refuse such strings (ErrInvalidInput) before calling C.
func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// cstring returns a C copy of s, or NULL for "" (an optional argument);
// the caller frees it with freeCString.
func cstring(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}

func freeCString(p *C.char) {
	if p != nil {
		C.free(unsafe.Pointer(p))
	}
}

// takeMessage copies and frees a message from gopq_done.
func takeMessage(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.free(unsafe.Pointer(p))
	return s
}

// Version is the version of the linked libpqshift, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.pqshift_version())
}

// benchCSHA256Empty calls pqshift_sha256 on 0 bytes n times in one C loop:
// the benchmarks' baseline for the cost of a cgo call.
func benchCSHA256Empty(n int) {
	C.gopq_bench_sha256_empty(C.long(n))
}

// benchNoop is a cgo call of an empty C function.
func benchNoop() { C.gopq_noop() }

// benchCVerify runs n pqshift_verify calls (default policy, no context)
// in one C loop: the cost of the C call without cgo.
func benchCVerify(k *VerifyingKey, msg, sig []byte, raw bool, n int) error {
	var flags C.uint32_t
	if raw {
		flags = flagRaw
	}
	mp, ml := bytesArg(msg)
	sp, sl := bytesArg(sig)
	rc := C.gopq_bench_verify(k.h, mp, ml, sp, sl, flags, C.long(n))
	runtime.KeepAlive(k)
	return fromResult(rc, nil)
}

// benchCSign runs n pqshift_sign calls (default policy, no context, at
// most 128-byte signatures) in one C loop.
func benchCSign(k *SigningKey, msg []byte, raw bool, n int) error {
	var flags C.uint32_t
	if raw {
		flags = flagRaw
	}
	mp, ml := bytesArg(msg)
	rc := C.gopq_bench_sign(k.h, mp, ml, flags, C.long(n))
	runtime.KeepAlive(k)
	return fromResult(rc, nil)
}

// benchGoSHA256Empty is one cgo call of pqshift_sha256 on 0 bytes.
func benchGoSHA256Empty() {
	var out [32]byte
	C.pqshift_sha256(nil, 0, (*C.uint8_t)(unsafe.Pointer(&out[0])))
}
