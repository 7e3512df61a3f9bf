package pqshift

// #include <stdlib.h>
// #include "gopq.h"
import "C"

import (
	"errors"
	"unsafe"
)

// The porting contract (golden/README.md): the three calls of the old
// "tinywindow" interface over plain bytes, byte for byte the same in
// every pqshift binding. They take no configuration (like
// pqshift::contract in Rust); new code should use SigningKey and
// VerifyingKey instead.

// Keygen returns the tagged binary secret key (seed form) whose seed
// derives from n for algorithm alg, through the preferred provider. For
// fixtures and tests: a 64-bit integer is not a strong key. A KEM is
// ErrInvalidInput.
func Keygen(alg string, n uint64) ([]byte, error) {
	if alg == "" {
		return nil, invalidf("Keygen needs an algorithm")
	}
	if hasNUL(alg) {
		return nil, invalidf("the algorithm %q contains a NUL byte", alg)
	}
	a := C.CString(alg)
	defer C.free(unsafe.Pointer(a))
	size := 0
	if kindOfAlgorithm(alg) != kindUnknown {
		// "PQSH", version, kind, ID length, ID, 32-byte fingerprint, seed (at most 32 bytes).
		size = 7 + len(alg) + 32 + 32
	}
	return output(size, func(out unsafe.Pointer, cap C.size_t, n2 *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_contract_keygen(a, C.uint64_t(n), (*C.uint8_t)(out), cap, n2, msg)
	})
}

// Sign returns the tagged binary signature of payload under key (a tagged
// secret key, binary or text form): empty context, deterministic.
func Sign(key, payload []byte) ([]byte, error) {
	kp, kl := bytesArg(key)
	pp, pl := bytesArg(payload)
	return output(5000, func(out unsafe.Pointer, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_contract_sign(kp, kl, pp, pl, (*C.uint8_t)(out), cap, n, msg)
	})
}

// Verify checks a tagged signature (binary or text) of payload under key
// (a tagged secret or public key), empty context: true when valid, false
// when it does not verify, an error (ErrInvalidInput, ...) on malformed
// input — never false for a malformed signature.
func Verify(key, payload, sig []byte) (bool, error) {
	kp, kl := bytesArg(key)
	pp, pl := bytesArg(payload)
	sp, sl := bytesArg(sig)
	var msg *C.char
	err := fromResult(C.gopq_contract_verify(kp, kl, pp, pl, sp, sl, &msg), msg)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrInvalidSignature):
		return false, nil
	default:
		return false, err
	}
}
