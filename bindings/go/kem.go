package pqshift

// #include "gopq.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// DecapsulationKey is an ML-KEM decapsulation (secret) key. Safe for
// concurrent use; Close frees and zeroizes it.
type DecapsulationKey struct{ secretKey }

// EncapsulationKey is an ML-KEM encapsulation (public) key. Safe for
// concurrent use.
type EncapsulationKey struct{ publicKey }

func newDecapsulationKey(m made[*C.pqshift_secret_key]) *DecapsulationKey {
	k := &DecapsulationKey{}
	k.h, k.alg, k.cfg, k.what = m.h, m.alg, m.cfg, "DecapsulationKey"
	runtime.SetFinalizer(k, (*DecapsulationKey).Close)
	return k
}

func newEncapsulationKey(m made[*C.pqshift_public_key]) *EncapsulationKey {
	k := &EncapsulationKey{}
	k.h, k.alg, k.cfg, k.what = m.h, m.alg, m.cfg, "EncapsulationKey"
	runtime.SetFinalizer(k, (*EncapsulationKey).Close)
	return k
}

// NewDecapsulationKeyFromSeed derives an ML-KEM key from its 64-byte
// seed d||z (FIPS 203). alg "" means the configuration's [kem] algorithm.
func NewDecapsulationKeyFromSeed(alg string, seed []byte, opts ...Option) (*DecapsulationKey, error) {
	s, err := makeSecret(collect(opts), true, fromSeed(alg, seed))
	if err != nil {
		return nil, err
	}
	return newDecapsulationKey(s), nil
}

// GenerateDecapsulationKey makes a fresh random ML-KEM key.
func GenerateDecapsulationKey(alg string, opts ...Option) (*DecapsulationKey, error) {
	s, err := makeSecret(collect(opts), true, generate(alg))
	if err != nil {
		return nil, err
	}
	return newDecapsulationKey(s), nil
}

// ParseDecapsulationKey loads a decapsulation key from its tagged form.
func ParseDecapsulationKey(tagged []byte, opts ...Option) (*DecapsulationKey, error) {
	s, err := makeSecret(collect(opts), true, secretFromTagged(tagged))
	if err != nil {
		return nil, err
	}
	return newDecapsulationKey(s), nil
}

// ParseDecapsulationKeyPEM loads a decapsulation key from PKCS#8 PEM.
func ParseDecapsulationKeyPEM(pem []byte, opts ...Option) (*DecapsulationKey, error) {
	s, err := makeSecret(collect(opts), true, secretFromPEM(pem))
	if err != nil {
		return nil, err
	}
	return newDecapsulationKey(s), nil
}

// ParseEncapsulationKey loads an encapsulation key from its tagged form.
func ParseEncapsulationKey(tagged []byte, opts ...Option) (*EncapsulationKey, error) {
	p, err := makePublic(collect(opts), true, publicFromTagged(tagged))
	if err != nil {
		return nil, err
	}
	return newEncapsulationKey(p), nil
}

// ParseEncapsulationKeyPEM loads an encapsulation key from SubjectPublicKeyInfo PEM.
func ParseEncapsulationKeyPEM(pem []byte, opts ...Option) (*EncapsulationKey, error) {
	p, err := makePublic(collect(opts), true, publicFromPEM(pem))
	if err != nil {
		return nil, err
	}
	return newEncapsulationKey(p), nil
}

// NewEncapsulationKeyFromBytes loads the bare FIPS 203 ek of algorithm alg.
func NewEncapsulationKeyFromBytes(alg string, raw []byte, opts ...Option) (*EncapsulationKey, error) {
	p, err := makePublic(collect(opts), true, publicFromRaw(alg, raw))
	if err != nil {
		return nil, err
	}
	return newEncapsulationKey(p), nil
}

// Close frees the key, zeroizing it. Idempotent; a nil key is a no-op.
func (k *DecapsulationKey) Close() error {
	if k == nil {
		return nil
	}
	k.close()
	runtime.SetFinalizer(k, nil)
	return nil
}

// Close frees the key. Idempotent; a nil key is a no-op.
func (k *EncapsulationKey) Close() error {
	if k == nil {
		return nil
	}
	k.close()
	runtime.SetFinalizer(k, nil)
	return nil
}

// EncapsulationKey returns the public half (under the same configuration).
func (k *DecapsulationKey) EncapsulationKey() (*EncapsulationKey, error) {
	if _, err := k.use(); err != nil {
		return nil, err
	}
	defer k.release()
	var h *C.pqshift_public_key
	var msg *C.char
	rc := C.gopq_secret_key_public_key(k.h, &h, &msg)
	runtime.KeepAlive(k)
	if err := fromResult(rc, msg); err != nil {
		return nil, err
	}
	return newEncapsulationKey(made[*C.pqshift_public_key]{h, k.alg, k.cfg}), nil
}

// Encapsulate makes a fresh shared secret (32 bytes) and its ciphertext
// in the tagged binary form, which names the algorithm.
func (k *EncapsulationKey) Encapsulate() (ciphertext, secret []byte, err error) {
	return k.encapsulate(0)
}

// EncapsulateRaw is Encapsulate with the bare FIPS 203 ciphertext.
func (k *EncapsulationKey) EncapsulateRaw() (ciphertext, secret []byte, err error) {
	return k.encapsulate(flagRaw)
}

func (k *EncapsulationKey) encapsulate(flags C.uint32_t) ([]byte, []byte, error) {
	cfg, err := k.use()
	if err != nil {
		return nil, nil, err
	}
	defer k.release()
	ctCap, ssCap := 0, 32
	if info, ok := algTable[k.alg]; ok {
		ctCap = info.ct
		if flags&flagRaw == 0 {
			ctCap = taggedLen(k.alg, ctCap)
		}
	}
	for attempt := 0; attempt < 3; attempt++ {
		ct := make([]byte, max(ctCap, 1))
		ss := make([]byte, max(ssCap, 1))
		var ctLen, ssLen C.size_t
		var msg *C.char
		rc := C.gopq_kem_encapsulate(cfg, k.h, flags,
			(*C.uint8_t)(unsafe.Pointer(&ct[0])), C.size_t(ctCap), &ctLen,
			(*C.uint8_t)(unsafe.Pointer(&ss[0])), C.size_t(ssCap), &ssLen, &msg)
		runtime.KeepAlive(k)
		if rc == C.PQSHIFT_ERR_BUFFER_TOO_SMALL {
			ctCap, ssCap = int(ctLen), int(ssLen)
			continue
		}
		if err := fromResult(rc, msg); err != nil {
			return nil, nil, err
		}
		return ct[:ctLen], ss[:ssLen], nil
	}
	return nil, nil, internalf("output size kept changing")
}

// Decapsulate recovers the shared secret from a tagged ciphertext (binary
// or text form). ML-KEM rejects implicitly: a modified ciphertext of the
// right length gives a pseudorandom secret, not an error.
func (k *DecapsulationKey) Decapsulate(ciphertext []byte) ([]byte, error) {
	return k.decapsulate(ciphertext, 0)
}

// DecapsulateRaw is Decapsulate for a bare FIPS 203 ciphertext.
func (k *DecapsulationKey) DecapsulateRaw(ciphertext []byte) ([]byte, error) {
	return k.decapsulate(ciphertext, flagRaw)
}

func (k *DecapsulationKey) decapsulate(ciphertext []byte, flags C.uint32_t) ([]byte, error) {
	cfg, err := k.use()
	if err != nil {
		return nil, err
	}
	defer k.release()
	cp, cl := bytesArg(ciphertext)
	ss, err := output(32, func(out unsafe.Pointer, cap C.size_t, n *C.size_t, m **C.char) C.pqshift_result {
		return C.gopq_kem_decapsulate(cfg, k.h, cp, cl, flags, (*C.uint8_t)(out), cap, n, m)
	})
	runtime.KeepAlive(k)
	return ss, err
}
