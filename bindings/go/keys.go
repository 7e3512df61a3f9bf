package pqshift

// #include "gopq.h"
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// secretKey is the handle shared by SigningKey and DecapsulationKey.
// Operations read-lock it; Close write-locks it, so Close waits for calls
// in flight and later calls fail cleanly instead of using freed memory.
type secretKey struct {
	mu   sync.RWMutex
	h    *C.pqshift_secret_key
	alg  string
	cfg  *Config
	what string // "SigningKey" or "DecapsulationKey", for messages
}

// publicKey is the handle shared by VerifyingKey and EncapsulationKey.
type publicKey struct {
	mu   sync.RWMutex
	h    *C.pqshift_public_key
	alg  string
	cfg  *Config
	what string
}

// made is a new handle and what goes with it, before it gets its Go type.
type made[T any] struct {
	h   T
	alg string
	cfg *Config
}

type secretCall func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_secret_key, msg **C.char) C.pqshift_result
type publicCall func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_public_key, msg **C.char) C.pqshift_result

// makeSecret runs a constructor under the options' configuration and
// provider and checks that the key is of the wanted kind (KEM or not).
func makeSecret(o options, kem bool, call secretCall) (made[*C.pqshift_secret_key], error) {
	if hasNUL(o.provider) {
		return made[*C.pqshift_secret_key]{}, invalidf("the provider %q contains a NUL byte", o.provider)
	}
	cfg, err := o.cfg.rlock()
	if err != nil {
		return made[*C.pqshift_secret_key]{}, err
	}
	defer o.cfg.runlock()
	prov := cstring(o.provider)
	defer freeCString(prov)
	var h *C.pqshift_secret_key
	var msg *C.char
	rc := call(cfg, prov, &h, &msg)
	runtime.KeepAlive(o.cfg)
	if err := fromResult(rc, msg); err != nil {
		return made[*C.pqshift_secret_key]{}, err
	}
	alg := C.GoString(C.pqshift_secret_key_algorithm(h))
	if (kindOfAlgorithm(alg) == kindKEM) != kem {
		C.pqshift_secret_key_free(h)
		if kem {
			return made[*C.pqshift_secret_key]{}, invalidf("%s is not a KEM: use the SigningKey functions", alg)
		}
		return made[*C.pqshift_secret_key]{}, invalidf("%s is a KEM: use the DecapsulationKey functions", alg)
	}
	return made[*C.pqshift_secret_key]{h, alg, o.cfg}, nil
}

func makePublic(o options, kem bool, call publicCall) (made[*C.pqshift_public_key], error) {
	if hasNUL(o.provider) {
		return made[*C.pqshift_public_key]{}, invalidf("the provider %q contains a NUL byte", o.provider)
	}
	cfg, err := o.cfg.rlock()
	if err != nil {
		return made[*C.pqshift_public_key]{}, err
	}
	defer o.cfg.runlock()
	prov := cstring(o.provider)
	defer freeCString(prov)
	var h *C.pqshift_public_key
	var msg *C.char
	rc := call(cfg, prov, &h, &msg)
	runtime.KeepAlive(o.cfg)
	if err := fromResult(rc, msg); err != nil {
		return made[*C.pqshift_public_key]{}, err
	}
	alg := C.GoString(C.pqshift_public_key_algorithm(h))
	if (kindOfAlgorithm(alg) == kindKEM) != kem {
		C.pqshift_public_key_free(h)
		if kem {
			return made[*C.pqshift_public_key]{}, invalidf("%s is not a KEM: use the VerifyingKey functions", alg)
		}
		return made[*C.pqshift_public_key]{}, invalidf("%s is a KEM: use the EncapsulationKey functions", alg)
	}
	return made[*C.pqshift_public_key]{h, alg, o.cfg}, nil
}

func fromSeed(alg string, seed []byte) secretCall {
	return func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_secret_key, msg **C.char) C.pqshift_result {
		if hasNUL(alg) {
			return gopqInvalid(msg, "invalid input: the algorithm contains a NUL byte")
		}
		a := cstring(alg)
		defer freeCString(a)
		sp, sl := bytesArg(seed)
		return C.gopq_keygen_from_seed(cfg, a, prov, sp, sl, out, msg)
	}
}

func generate(alg string) secretCall {
	return func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_secret_key, msg **C.char) C.pqshift_result {
		if hasNUL(alg) {
			return gopqInvalid(msg, "invalid input: the algorithm contains a NUL byte")
		}
		a := cstring(alg)
		defer freeCString(a)
		return C.gopq_keygen(cfg, a, prov, out, msg)
	}
}

func secretFromTagged(data []byte) secretCall {
	return func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_secret_key, msg **C.char) C.pqshift_result {
		dp, dl := bytesArg(data)
		return C.gopq_secret_key_from_tagged(cfg, prov, dp, dl, out, msg)
	}
}

func secretFromPEM(data []byte) secretCall {
	return func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_secret_key, msg **C.char) C.pqshift_result {
		dp, dl := bytesArg(data)
		return C.gopq_secret_key_from_pem(cfg, prov, dp, dl, out, msg)
	}
}

func publicFromTagged(data []byte) publicCall {
	return func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_public_key, msg **C.char) C.pqshift_result {
		dp, dl := bytesArg(data)
		return C.gopq_public_key_from_tagged(cfg, prov, dp, dl, out, msg)
	}
}

func publicFromPEM(data []byte) publicCall {
	return func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_public_key, msg **C.char) C.pqshift_result {
		dp, dl := bytesArg(data)
		return C.gopq_public_key_from_pem(cfg, prov, dp, dl, out, msg)
	}
}

func publicFromRaw(alg string, raw []byte) publicCall {
	return func(cfg *C.pqshift_config, prov *C.char, out **C.pqshift_public_key, msg **C.char) C.pqshift_result {
		if alg == "" {
			return gopqInvalid(msg, "invalid input: an algorithm is required with bare public-key bytes")
		}
		if hasNUL(alg) {
			return gopqInvalid(msg, "invalid input: the algorithm contains a NUL byte")
		}
		a := cstring(alg)
		defer freeCString(a)
		dp, dl := bytesArg(raw)
		return C.gopq_public_key_from_raw(cfg, a, prov, dp, dl, out, msg)
	}
}

// gopqInvalid reports an argument error found on the Go side through the
// same path as the library's errors.
func gopqInvalid(msg **C.char, text string) C.pqshift_result {
	*msg = C.CString(text)
	return C.PQSHIFT_ERR_INVALID_INPUT
}

// use read-locks the key and its configuration; release undoes it.
func (s *secretKey) use() (*C.pqshift_config, error) {
	s.mu.RLock()
	if s.h == nil {
		s.mu.RUnlock()
		return nil, errClosed(s.what)
	}
	cfg, err := s.cfg.rlock()
	if err != nil {
		s.mu.RUnlock()
		return nil, err
	}
	return cfg, nil
}

func (s *secretKey) release() {
	s.cfg.runlock()
	s.mu.RUnlock()
}

func (s *secretKey) close() {
	s.mu.Lock()
	h := s.h
	s.h = nil
	s.mu.Unlock()
	if h != nil {
		C.pqshift_secret_key_free(h) // zeroizes the key material
	}
}

func (p *publicKey) use() (*C.pqshift_config, error) {
	p.mu.RLock()
	if p.h == nil {
		p.mu.RUnlock()
		return nil, errClosed(p.what)
	}
	cfg, err := p.cfg.rlock()
	if err != nil {
		p.mu.RUnlock()
		return nil, err
	}
	return cfg, nil
}

func (p *publicKey) release() {
	p.cfg.runlock()
	p.mu.RUnlock()
}

func (p *publicKey) close() {
	p.mu.Lock()
	h := p.h
	p.h = nil
	p.mu.Unlock()
	if h != nil {
		C.pqshift_public_key_free(h)
	}
}

// Algorithm is the key's canonical algorithm ID, e.g. "ml-dsa-65".
func (s *secretKey) Algorithm() string { return s.alg }

// Algorithm is the key's canonical algorithm ID, e.g. "ml-dsa-65".
func (p *publicKey) Algorithm() string { return p.alg }

// MarshalTagged returns the secret key in pqshift's tagged text form
// ("pqshift1:sec:ALG:FINGERPRINT:..."), which names its algorithm and
// carries a fingerprint. Secret: wipe the slice after use.
func (s *secretKey) MarshalTagged() ([]byte, error) {
	if _, err := s.use(); err != nil {
		return nil, err
	}
	defer s.release()
	b, err := textOutput(func(out *C.char, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_secret_key_to_tagged(s.h, out, cap, n, msg)
	})
	runtime.KeepAlive(s)
	return b, err
}

// MarshalPEM returns the secret key as unencrypted PKCS#8 PEM (the seed
// form of RFC 9881 / RFC 9935, RFC 8410 for Ed25519), as OpenSSL 3.5+
// reads it. The insecure placeholder has none (ErrInvalidInput).
func (s *secretKey) MarshalPEM() ([]byte, error) {
	if _, err := s.use(); err != nil {
		return nil, err
	}
	defer s.release()
	b, err := textOutput(func(out *C.char, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_secret_key_to_pem(s.h, out, cap, n, msg)
	})
	runtime.KeepAlive(s)
	return b, err
}

// MarshalTagged returns the public key in pqshift's tagged text form
// ("pqshift1:pub:ALG:FINGERPRINT:...").
func (p *publicKey) MarshalTagged() ([]byte, error) {
	if _, err := p.use(); err != nil {
		return nil, err
	}
	defer p.release()
	b, err := textOutput(func(out *C.char, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_public_key_to_tagged(p.h, out, cap, n, msg)
	})
	runtime.KeepAlive(p)
	return b, err
}

// MarshalPEM returns the public key as SubjectPublicKeyInfo PEM.
func (p *publicKey) MarshalPEM() ([]byte, error) {
	if _, err := p.use(); err != nil {
		return nil, err
	}
	defer p.release()
	b, err := textOutput(func(out *C.char, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_public_key_to_pem(p.h, out, cap, n, msg)
	})
	runtime.KeepAlive(p)
	return b, err
}

// Bytes returns the bare standard public-key bytes (FIPS 204 pk, FIPS 203
// ek, RFC 8032 A).
func (p *publicKey) Bytes() ([]byte, error) {
	if _, err := p.use(); err != nil {
		return nil, err
	}
	defer p.release()
	b, err := output(algTable[p.alg].pk, func(out unsafe.Pointer, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_public_key_to_raw(p.h, (*C.uint8_t)(out), cap, n, msg)
	})
	runtime.KeepAlive(p)
	return b, err
}

// SigningKey is a signature key (Ed25519, ML-DSA) or the insecure
// placeholder's MAC key. Safe for concurrent use; Close frees it (and
// zeroizes it) deterministically, a finalizer is only a safety net.
type SigningKey struct{ secretKey }

// VerifyingKey is a signature verification key. Safe for concurrent use.
type VerifyingKey struct{ publicKey }

func newSigningKey(m made[*C.pqshift_secret_key]) *SigningKey {
	k := &SigningKey{}
	k.h, k.alg, k.cfg, k.what = m.h, m.alg, m.cfg, "SigningKey"
	runtime.SetFinalizer(k, (*SigningKey).Close)
	return k
}

func newVerifyingKey(m made[*C.pqshift_public_key]) *VerifyingKey {
	k := &VerifyingKey{}
	k.h, k.alg, k.cfg, k.what = m.h, m.alg, m.cfg, "VerifyingKey"
	runtime.SetFinalizer(k, (*VerifyingKey).Close)
	return k
}

// NewSigningKeyFromSeed derives a signing key from its standard seed:
// Ed25519 the 32-byte secret key, ML-DSA the 32-byte xi of FIPS 204, the
// placeholder its 32-byte key. alg is an algorithm ID or alias
// ("ml-dsa-65", "ML-DSA-65", an OID); "" means the configuration's [sign]
// algorithm. The placeholder is ErrPolicy unless the configuration
// allows insecure algorithms.
func NewSigningKeyFromSeed(alg string, seed []byte, opts ...Option) (*SigningKey, error) {
	s, err := makeSecret(collect(opts), false, fromSeed(alg, seed))
	if err != nil {
		return nil, err
	}
	return newSigningKey(s), nil
}

// GenerateSigningKey makes a fresh random signing key; alg as in
// NewSigningKeyFromSeed.
func GenerateSigningKey(alg string, opts ...Option) (*SigningKey, error) {
	s, err := makeSecret(collect(opts), false, generate(alg))
	if err != nil {
		return nil, err
	}
	return newSigningKey(s), nil
}

// ParseSigningKey loads a signing key from its tagged form (text
// "pqshift1:sec:..." or binary "PQSH..."), checking its fingerprint.
func ParseSigningKey(tagged []byte, opts ...Option) (*SigningKey, error) {
	s, err := makeSecret(collect(opts), false, secretFromTagged(tagged))
	if err != nil {
		return nil, err
	}
	return newSigningKey(s), nil
}

// ParseSigningKeyPEM loads a signing key from PKCS#8 PEM.
func ParseSigningKeyPEM(pem []byte, opts ...Option) (*SigningKey, error) {
	s, err := makeSecret(collect(opts), false, secretFromPEM(pem))
	if err != nil {
		return nil, err
	}
	return newSigningKey(s), nil
}

// ParseVerifyingKey loads a verifying key from its tagged form (text
// "pqshift1:pub:..." or binary), checking its fingerprint.
func ParseVerifyingKey(tagged []byte, opts ...Option) (*VerifyingKey, error) {
	p, err := makePublic(collect(opts), false, publicFromTagged(tagged))
	if err != nil {
		return nil, err
	}
	return newVerifyingKey(p), nil
}

// ParseVerifyingKeyPEM loads a verifying key from SubjectPublicKeyInfo PEM.
func ParseVerifyingKeyPEM(pem []byte, opts ...Option) (*VerifyingKey, error) {
	p, err := makePublic(collect(opts), false, publicFromPEM(pem))
	if err != nil {
		return nil, err
	}
	return newVerifyingKey(p), nil
}

// NewVerifyingKeyFromBytes loads the bare standard public-key bytes of
// algorithm alg (RFC 8032 A, FIPS 204 pk).
func NewVerifyingKeyFromBytes(alg string, raw []byte, opts ...Option) (*VerifyingKey, error) {
	p, err := makePublic(collect(opts), false, publicFromRaw(alg, raw))
	if err != nil {
		return nil, err
	}
	return newVerifyingKey(p), nil
}

// Close frees the key, zeroizing its material. It waits for calls using
// the key to return; later calls are ErrInvalidInput. Idempotent; a nil
// key is a no-op.
func (k *SigningKey) Close() error {
	if k == nil {
		return nil
	}
	k.close()
	runtime.SetFinalizer(k, nil)
	return nil
}

// Close frees the key. Idempotent; a nil key is a no-op.
func (k *VerifyingKey) Close() error {
	if k == nil {
		return nil
	}
	k.close()
	runtime.SetFinalizer(k, nil)
	return nil
}

// PublicKey returns the verifying key (under the same configuration).
// The placeholder's MAC key has none: ErrInvalidInput.
func (k *SigningKey) PublicKey() (*VerifyingKey, error) {
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
	return newVerifyingKey(made[*C.pqshift_public_key]{h, k.alg, k.cfg}), nil
}

// Sign signs msg with context (at most 255 bytes; Ed25519 takes none)
// and returns the tagged binary signature, which names its algorithm.
// ML-DSA signing is hedged (randomized). The key must be of the
// configuration's [sign] algorithm (else ErrPolicy).
func (k *SigningKey) Sign(msg, context []byte) ([]byte, error) {
	return k.sign(msg, context, 0)
}

// SignDeterministic is Sign with the FIPS 204 deterministic variant (Ed25519
// and the MAC always are deterministic).
func (k *SigningKey) SignDeterministic(msg, context []byte) ([]byte, error) {
	return k.sign(msg, context, flagDeterministic)
}

// SignRaw is Sign returning the bare standard signature bytes (FIPS 204
// sigma, RFC 8032 R||S) instead of the tagged form.
func (k *SigningKey) SignRaw(msg, context []byte) ([]byte, error) {
	return k.sign(msg, context, flagRaw)
}

// SignRawDeterministic is SignDeterministic returning the bare bytes.
func (k *SigningKey) SignRawDeterministic(msg, context []byte) ([]byte, error) {
	return k.sign(msg, context, flagRaw|flagDeterministic)
}

func (k *SigningKey) sign(msg, context []byte, flags C.uint32_t) ([]byte, error) {
	cfg, err := k.use()
	if err != nil {
		return nil, err
	}
	defer k.release()
	size := 0 // a length query for an algorithm not in the table
	if info, ok := algTable[k.alg]; ok {
		size = info.sig
		if flags&flagRaw == 0 {
			size = taggedLen(k.alg, size)
		}
	}
	mp, ml := bytesArg(msg)
	cp, cl := bytesArg(context)
	sig, err := output(size, func(out unsafe.Pointer, cap C.size_t, n *C.size_t, m **C.char) C.pqshift_result {
		return C.gopq_sign(cfg, k.h, mp, ml, cp, cl, flags, (*C.uint8_t)(out), cap, n, m)
	})
	runtime.KeepAlive(k)
	return sig, err
}

// Verify checks a tagged signature (binary or text form) made by Sign:
// nil when valid, ErrInvalidSignature when it does not verify,
// ErrInvalidInput when malformed, ErrPolicy when the configuration does
// not accept its algorithm.
func (k *VerifyingKey) Verify(msg, sig, context []byte) error {
	return k.verify(msg, sig, context, 0)
}

// VerifyRaw is Verify for bare standard signature bytes.
func (k *VerifyingKey) VerifyRaw(msg, sig, context []byte) error {
	return k.verify(msg, sig, context, flagRaw)
}

func (k *VerifyingKey) verify(msg, sig, context []byte, flags C.uint32_t) error {
	cfg, err := k.use()
	if err != nil {
		return err
	}
	defer k.release()
	mp, ml := bytesArg(msg)
	cp, cl := bytesArg(context)
	sp, sl := bytesArg(sig)
	var m *C.char
	rc := C.gopq_verify(cfg, k.h, mp, ml, cp, cl, sp, sl, flags, &m)
	runtime.KeepAlive(k)
	return fromResult(rc, m)
}

// Verify checks a tagged signature with the secret key: the only way to
// verify the insecure placeholder's MAC tags.
func (k *SigningKey) Verify(msg, sig, context []byte) error {
	return k.verify(msg, sig, context, 0)
}

// VerifyRaw is Verify for bare standard signature (or tag) bytes.
func (k *SigningKey) VerifyRaw(msg, sig, context []byte) error {
	return k.verify(msg, sig, context, flagRaw)
}

func (k *SigningKey) verify(msg, sig, context []byte, flags C.uint32_t) error {
	cfg, err := k.use()
	if err != nil {
		return err
	}
	defer k.release()
	mp, ml := bytesArg(msg)
	cp, cl := bytesArg(context)
	sp, sl := bytesArg(sig)
	var m *C.char
	rc := C.gopq_verify_with_secret_key(cfg, k.h, mp, ml, cp, cl, sp, sl, flags, &m)
	runtime.KeepAlive(k)
	return fromResult(rc, m)
}
