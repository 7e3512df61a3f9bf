package pqshift

// #include <stdlib.h>
// #include "gopq.h"
import "C"

import (
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// Config is a loaded, validated configuration (a TOML policy): which
// algorithm signs, which ones verification accepts, which provider serves
// each. Safe for concurrent use. A nil *Config means the process-wide
// policy: the one installed with Install, else the file named by
// $PQSHIFT_CONFIG, else the built-in default (Ed25519).
type Config struct {
	mu sync.RWMutex
	h  *C.pqshift_config
}

// LoadConfig loads and validates a TOML configuration file. An empty path
// means the file named by $PQSHIFT_CONFIG, else the built-in default. A
// configuration that fails any check is an error, never a fallback.
func LoadConfig(path string) (*Config, error) {
	if hasNUL(path) {
		return nil, invalidf("the configuration path %q contains a NUL byte", path)
	}
	p := cstring(path)
	defer freeCString(p)
	var h *C.pqshift_config
	var msg *C.char
	if err := fromResult(C.gopq_config_load(p, &h, &msg), msg); err != nil {
		return nil, err
	}
	return newConfig(h), nil
}

// ParseConfig parses and validates TOML configuration text.
func ParseConfig(toml string) (*Config, error) {
	if strings.IndexByte(toml, 0) >= 0 {
		return nil, invalidf("configuration text contains a NUL byte")
	}
	t := C.CString(toml)
	defer C.free(unsafe.Pointer(t))
	var h *C.pqshift_config
	var msg *C.char
	if err := fromResult(C.gopq_config_from_toml(t, &h, &msg), msg); err != nil {
		return nil, err
	}
	return newConfig(h), nil
}

func newConfig(h *C.pqshift_config) *Config {
	c := &Config{h: h}
	runtime.SetFinalizer(c, (*Config).Close)
	return c
}

// Install makes a copy of c the process-wide policy, used wherever no
// Config is given. At most once per process, and only before the first
// such use: later, ErrPolicy.
func (c *Config) Install() error {
	h, err := c.rlock()
	if err != nil {
		return err
	}
	defer c.runlock()
	if h == nil {
		return invalidf("Install of a nil Config")
	}
	var msg *C.char
	rc := C.gopq_config_install(h, &msg)
	runtime.KeepAlive(c)
	return fromResult(rc, msg)
}

// Close frees the configuration. It waits for calls using it to return;
// later uses are ErrInvalidInput. Idempotent.
func (c *Config) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	h := c.h
	c.h = nil
	c.mu.Unlock()
	if h != nil {
		C.pqshift_config_free(h)
	}
	runtime.SetFinalizer(c, nil)
	return nil
}

// rlock read-locks a non-nil config and returns its handle; nil for a nil
// config. Pair with runlock.
func (c *Config) rlock() (*C.pqshift_config, error) {
	if c == nil {
		return nil, nil
	}
	c.mu.RLock()
	if c.h == nil {
		c.mu.RUnlock()
		return nil, errClosed("Config")
	}
	return c.h, nil
}

func (c *Config) runlock() {
	if c != nil {
		c.mu.RUnlock()
	}
}

// Option adjusts how a key is made or loaded.
type Option func(*options)

type options struct {
	cfg      *Config
	provider string
}

// WithConfig makes the key under cfg instead of the process-wide policy,
// and the key keeps cfg for its operations (signing must use the
// configuration's [sign] algorithm; verification accepts what its
// [verify] section accepts). cfg must stay open while the key is used.
func WithConfig(cfg *Config) Option { return func(o *options) { o.cfg = cfg } }

// WithProvider names the provider ("dalek", "liboqs", "pqclean",
// "rustcrypto", "placeholder") instead of the configuration's choice or
// the preferred one.
func WithProvider(provider string) Option { return func(o *options) { o.provider = provider } }

func collect(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// Algorithms lists the canonical IDs of the algorithms served by the
// providers linked into libpqshift.
func Algorithms() ([]string, error) {
	text, err := textOutput(func(out *C.char, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return C.gopq_algorithms(out, cap, n, msg)
	})
	if err != nil {
		return nil, err
	}
	return strings.Split(string(text), ","), nil
}

// output runs a call that writes into a caller-allocated buffer: first
// with size bytes (0: a length query), then, if the library asks for
// more, once more with the size it asked for.
func output(size int, call func(out unsafe.Pointer, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result) ([]byte, error) {
	for attempt := 0; attempt < 3; attempt++ {
		var buf []byte
		var p unsafe.Pointer
		if size > 0 {
			buf = make([]byte, size)
			p = unsafe.Pointer(&buf[0])
		}
		var n C.size_t
		var msg *C.char
		rc := call(p, C.size_t(size), &n, &msg)
		if rc == C.PQSHIFT_ERR_BUFFER_TOO_SMALL {
			if int(n) <= size {
				return nil, internalf("buffer of %d bytes refused as too small, %d asked for", size, n)
			}
			size = int(n)
			continue
		}
		if err := fromResult(rc, msg); err != nil {
			return nil, err
		}
		if int(n) > size {
			return nil, internalf("%d bytes written into %d", n, size)
		}
		return buf[:n], nil
	}
	return nil, internalf("output size kept changing")
}

// textOutput is output for NUL-terminated text, after a length query;
// the NUL is cut off.
func textOutput(call func(out *C.char, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result) ([]byte, error) {
	b, err := output(0, func(out unsafe.Pointer, cap C.size_t, n *C.size_t, msg **C.char) C.pqshift_result {
		return call((*C.char)(out), cap, n, msg)
	})
	if err != nil {
		return nil, err
	}
	if len(b) == 0 || b[len(b)-1] != 0 {
		return nil, internalf("text output is not NUL-terminated")
	}
	return b[:len(b)-1], nil
}

// Algorithm kinds and sizes, for output buffers of the right size in one
// call (an unknown algorithm falls back to a length query).
type algKind int

const (
	kindUnknown algKind = iota
	kindSignature
	kindMAC
	kindKEM
)

type algInfo struct {
	kind algKind
	sig  int // raw signature or MAC tag
	ct   int // raw KEM ciphertext
	pk   int // raw public (encapsulation) key
}

var algTable = map[string]algInfo{
	"ed25519":                   {kindSignature, 64, 0, 32},
	"ml-dsa-44":                 {kindSignature, 2420, 0, 1312},
	"ml-dsa-65":                 {kindSignature, 3309, 0, 1952},
	"ml-dsa-87":                 {kindSignature, 4627, 0, 2592},
	"insecure-test-hmac-sha256": {kindMAC, 32, 0, 0},
	"ml-kem-512":                {kindKEM, 0, 768, 800},
	"ml-kem-768":                {kindKEM, 0, 1088, 1184},
	"ml-kem-1024":               {kindKEM, 0, 1568, 1568},
}

func kindOfAlgorithm(alg string) algKind {
	if info, ok := algTable[alg]; ok {
		return info.kind
	}
	if strings.Contains(alg, "kem") {
		return kindKEM
	}
	return kindUnknown
}

// taggedLen is the size of the tagged binary form of n standard bytes:
// "PQSH", version, kind, the ID's length, the ID, the bytes.
func taggedLen(alg string, n int) int { return 7 + len(alg) + n }
