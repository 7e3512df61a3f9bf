package pqshift

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The bad-input matrix of the Go binding (issue #10): every case names a
// call, the one sentinel it must match with errors.Is (nil: it must
// succeed) and a piece of its message. check() also requires an *Error
// whose Code is the sentinel's C result code, whose text starts with the
// kind's prefix, and that no other sentinel matches; a verification
// failure must say nothing more. TestErrors (api_test.go) keeps the first
// hand-written case of each kind; this is the cross product.

type badCase struct {
	name string
	call func() error
	want error  // a sentinel; nil: success
	msg  string // a substring of the message ("" for none)
}

var badKinds = []struct {
	sentinel error
	code     int
	prefix   string
}{
	{ErrInvalidInput, 1, "pqshift: invalid input: "},
	{ErrUnsupportedAlgorithm, 2, "pqshift: unsupported: "},
	{ErrInvalidSignature, 3, "pqshift: signature verification failed"},
	{ErrPolicy, 4, "pqshift: policy violation: "},
	{ErrProvider, 6, "pqshift: provider failure: "},
	{ErrInternal, 7, "pqshift: internal error"},
}

// errContractFalse stands for Verify's (false, nil): a signature that does not verify.
var errContractFalse = errors.New("Verify returned false")

func checkBad(t *testing.T, c badCase) {
	t.Helper()
	err := c.call()
	if c.want == nil {
		if err != nil {
			t.Errorf("%s: want success, got %v", c.name, err)
		}
		return
	}
	if c.want == errContractFalse {
		if err != errContractFalse {
			t.Errorf("%s: want (false, nil), got %v", c.name, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%s: no error, want %v", c.name, c.want)
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s: not an *Error: %#v", c.name, err)
		return
	}
	matched := 0
	for _, k := range badKinds {
		if !errors.Is(err, k.sentinel) {
			continue
		}
		matched++
		if k.sentinel != c.want {
			t.Errorf("%s: got %v (%s), want %v", c.name, k.sentinel, err, c.want)
			continue
		}
		if e.Code != k.code {
			t.Errorf("%s: Code %d, want %d", c.name, e.Code, k.code)
		}
		if !strings.HasPrefix(err.Error(), k.prefix) {
			t.Errorf("%s: message %q does not start with %q", c.name, err, k.prefix)
		}
		if k.sentinel == ErrInvalidSignature && err.Error() != k.prefix {
			t.Errorf("%s: a verification failure carries detail: %q", c.name, err)
		}
	}
	if matched != 1 {
		t.Errorf("%s: %d kinds match %v, want exactly %v", c.name, matched, err, c.want)
	}
	if c.msg != "" && !strings.Contains(err.Error(), c.msg) {
		t.Errorf("%s: message %q lacks %q", c.name, err, c.msg)
	}
}

// closing returns the constructor's error, closing what it made on success.
func closing[T interface{ Close() error }](k T, err error) error {
	if err == nil {
		k.Close()
	}
	return err
}

func contractVerify(key, payload, sig []byte) error {
	ok, err := Verify(key, payload, sig)
	if err != nil {
		return err
	}
	if !ok {
		return errContractFalse
	}
	return nil
}

func lengthMsg(want, got int) string {
	return fmt.Sprintf("must be %d bytes long, got %d bytes", want, got)
}

// ---------------------------------------------------------------------------
// What the matrix runs on: keys of every algorithm, their tagged forms
// ---------------------------------------------------------------------------

type biAlg struct {
	id                   string
	kem, mac             bool
	seed, pk, sig, ct    int
	cfg                  *Config
	sk, other            *SigningKey
	pub, otherPub        *VerifyingKey
	dk, otherDK          *DecapsulationKey
	ek                   *EncapsulationKey
	skBin, sigBin, ctBin []byte // tagged binary forms (the contract's key, signature, ciphertext)
	skText, pkText       string // tagged text forms
	sigText, ctText      string
}

const biMsg = "message"

func biHeader(alg string) int { return 7 + len(alg) }

func biTextForm(kind, alg string, raw []byte) string {
	return "pqshift1:" + kind + ":" + alg + ":" + base64.RawURLEncoding.EncodeToString(raw)
}

// biMust is the value of a setup call that cannot fail.
func biMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func biSetup(t *testing.T) []*biAlg {
	// Signs ML-DSA-65, accepts every signature algorithm.
	all := biMust(ParseConfig("[sign]\nalgorithm = \"ml-dsa-65\"\n" +
		"[verify]\naccept = [\"ed25519\", \"ml-dsa-44\", \"ml-dsa-65\", \"ml-dsa-87\"]\n"))
	insecure := configFor(t, "insecure-test-hmac-sha256")
	t.Cleanup(func() { all.Close() })
	var algs []*biAlg
	for i, id := range append(append(append([]string{}, sigAlgs...), kemAlgs...), "insecure-test-hmac-sha256") {
		info := algTable[id]
		a := &biAlg{id: id, kem: info.kind == kindKEM, mac: info.kind == kindMAC, pk: info.pk, sig: info.sig, ct: info.ct, seed: 32}
		switch {
		case a.kem:
			a.seed = 64
			a.dk = biMust(NewDecapsulationKeyFromSeed(id, seed(64, byte(0x40+i))))
			a.otherDK = biMust(NewDecapsulationKeyFromSeed(id, seed(64, byte(0x60+i))))
			a.ek = biMust(a.dk.EncapsulationKey())
			a.skText = string(biMust(a.dk.MarshalTagged()))
			a.pkText = string(biMust(a.ek.MarshalTagged()))
			ct, _, err := a.ek.Encapsulate()
			a.ctBin = biMust(ct, err)
			a.ctText = biTextForm("ct", id, ct[biHeader(id):])
		default:
			a.cfg = all
			if a.mac {
				a.cfg = insecure
			}
			a.skBin = biMust(Keygen(id, uint64(1000+i)))
			a.sk = biMust(ParseSigningKey(a.skBin, WithConfig(a.cfg)))
			a.other = biMust(NewSigningKeyFromSeed(id, seed(32, byte(0x60+i)), WithConfig(a.cfg)))
			a.skText = string(biMust(a.sk.MarshalTagged()))
			a.sigBin = biMust(Sign(a.skBin, []byte(biMsg)))
			a.sigText = biTextForm("sig", id, a.sigBin[biHeader(id):])
			if !a.mac {
				a.pub = biMust(a.sk.PublicKey())
				a.otherPub = biMust(a.other.PublicKey())
				a.pkText = string(biMust(a.pub.MarshalTagged()))
			}
		}
		algs = append(algs, a)
	}
	t.Cleanup(func() {
		for _, a := range algs {
			for _, c := range []interface{ Close() error }{a.sk, a.other, a.pub, a.otherPub, a.dk, a.otherDK, a.ek} {
				if c != nil && !isNilCloser(c) {
					c.Close()
				}
			}
		}
	})
	return algs
}

func isNilCloser(c interface{ Close() error }) bool {
	switch k := c.(type) {
	case *SigningKey:
		return k == nil
	case *VerifyingKey:
		return k == nil
	case *DecapsulationKey:
		return k == nil
	case *EncapsulationKey:
		return k == nil
	}
	return false
}

// verify verifies with the public key (the secret key for the MAC).
func (a *biAlg) verify(msg, sig, ctx []byte) error {
	if a.mac {
		return a.sk.Verify(msg, sig, ctx)
	}
	return a.pub.Verify(msg, sig, ctx)
}

func (a *biAlg) verifyRaw(msg, sig, ctx []byte) error {
	if a.mac {
		return a.sk.VerifyRaw(msg, sig, ctx)
	}
	return a.pub.VerifyRaw(msg, sig, ctx)
}

func (a *biAlg) next(algs []*biAlg) *biAlg {
	for i, b := range algs {
		if b != a {
			continue
		}
		for k := 1; k < len(algs); k++ {
			c := algs[(i+k)%len(algs)]
			if c.kem == a.kem && c.mac == a.mac {
				return c
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Tagged envelopes: corruptions of the binary and text forms
// ---------------------------------------------------------------------------

type binMut struct {
	name     string
	f        func(b []byte) []byte // b is a fresh copy
	want     error
	msg      string
	keysOnly bool
}

var binMuts = []binMut{
	{"truncated by one byte", func(b []byte) []byte { return b[:len(b)-1] }, ErrInvalidInput, "", false},
	{"the magic alone", func(b []byte) []byte { return b[:4] }, ErrInvalidInput, "truncated before its version", false},
	{"cut inside the algorithm ID", func(b []byte) []byte { return b[:7+int(b[6])-2] }, ErrInvalidInput, "truncated inside its algorithm ID", false},
	{"the header alone", func(b []byte) []byte { return b[:7+int(b[6])] }, ErrInvalidInput, "", false},
	{"extended by a 0x00 byte", func(b []byte) []byte { return append(b, 0) }, ErrInvalidInput, "", false},
	{"extended by a 0x01 byte", func(b []byte) []byte { return append(b, 1) }, ErrInvalidInput, "", false},
	{"magic PQSX", func(b []byte) []byte { b[3] = 'X'; return b }, ErrInvalidInput, "not a tagged pqshift object", false},
	{"version 2", func(b []byte) []byte { b[4] = 2; return b }, ErrInvalidInput, "version 2 is not supported", false},
	{"kind 9", func(b []byte) []byte { b[5] = 9; return b }, ErrInvalidInput, "", false},
	{"another kind", func(b []byte) []byte {
		if b[5] == 3 {
			b[5] = 1
		} else {
			b[5] = 3
		}
		return b
	}, ErrInvalidInput, "", false},
	{"an unknown algorithm ID", func(b []byte) []byte { b[7+int(b[6])-1] = 'z'; return b }, ErrUnsupportedAlgorithm, "unknown algorithm", false},
	{"an upper-case alias as the ID", func(b []byte) []byte {
		n := int(b[6])
		copy(b[7:7+n], strings.ToUpper(string(b[7:7+n])))
		return b
	}, ErrUnsupportedAlgorithm, "unknown algorithm", false},
	{"an empty algorithm ID", func(b []byte) []byte {
		n := int(b[6])
		b[6] = 0
		return append(b[:7], b[7+n:]...)
	}, ErrUnsupportedAlgorithm, "unknown algorithm \"\"", false},
	{"a flipped fingerprint", func(b []byte) []byte { b[7+int(b[6])] ^= 1; return b }, ErrInvalidInput, "fingerprint", true},
}

type textMut struct {
	name     string
	f        func(s string) string
	want     error
	msg      string
	keysOnly bool
}

// Text form: pqshift1:KIND:ALG[:FINGERPRINT]:PAYLOAD; textFields splits it.
func textFields(s string) []string { return strings.Split(s, ":") }

var textMuts = []textMut{
	{"prefix pqshift2:", func(s string) string { return "pqshift2:" + s[9:] }, ErrInvalidInput, "not a tagged pqshift object", false},
	{"no prefix", func(s string) string { return s[9:] }, ErrInvalidInput, "not a tagged pqshift object", false},
	{"payload cut by one character", func(s string) string { return s[:len(s)-1] }, ErrInvalidInput, "", false},
	{"payload extended by AAAA", func(s string) string { return s + "AAAA" }, ErrInvalidInput, "", false},
	{"payload padded with ==", func(s string) string { return s + "==" }, ErrInvalidInput, "base64url", false},
	{"a '+' in the payload", func(s string) string { return s[:len(s)-2] + "+" + s[len(s)-1:] }, ErrInvalidInput, "base64url", false},
	{"kind key", func(s string) string {
		p := textFields(s)
		p[1] = "key"
		return strings.Join(p, ":")
	}, ErrInvalidInput, "unknown tagged object kind", false},
	{"the algorithm in upper case", func(s string) string {
		p := textFields(s)
		p[2] = strings.ToUpper(p[2])
		return strings.Join(p, ":")
	}, ErrUnsupportedAlgorithm, "unknown algorithm", false},
	{"an extra field", func(s string) string {
		i := strings.LastIndexByte(s, ':')
		return s[:i] + ":x" + s[i:]
	}, ErrInvalidInput, "fields", false},
	{"no payload field", func(s string) string { return s[:strings.LastIndexByte(s, ':')] }, ErrInvalidInput, "fields", false},
	{"a NUL inside the payload", func(s string) string {
		i := strings.LastIndexByte(s, ':') + 4
		return s[:i] + "\x00" + s[i+1:]
	}, ErrInvalidInput, "base64url", false},
	{"a fingerprint that is not hex", func(s string) string {
		p := textFields(s)
		p[3] = "g" + p[3][1:]
		return strings.Join(p, ":")
	}, ErrInvalidInput, "hex", true},
	{"a fingerprint in upper-case hex", func(s string) string {
		p := textFields(s)
		p[3] = strings.ToUpper(p[3])
		return strings.Join(p, ":")
	}, ErrInvalidInput, "lower-case hex", true},
	{"a 31-byte fingerprint", func(s string) string {
		p := textFields(s)
		p[3] = p[3][2:]
		return strings.Join(p, ":")
	}, ErrInvalidInput, "32 bytes", true},
	{"a wrong fingerprint", func(s string) string {
		p := textFields(s)
		if p[3][0] == '0' {
			p[3] = "1" + p[3][1:]
		} else {
			p[3] = "0" + p[3][1:]
		}
		return strings.Join(p, ":")
	}, ErrInvalidInput, "fingerprint does not match", true},
	{"a trailing newline (allowed)", func(s string) string { return s + "\n" }, nil, "", false},
	{"surrounding blanks (allowed)", func(s string) string { return " " + s + " \r\n" }, nil, "", false},
}

type biTarget struct {
	name string
	key  bool
	feed func(data []byte) error
}

func biTargets(a *biAlg) (bin map[string][]byte, text map[string]string, targets map[string]biTarget) {
	m := []byte(biMsg)
	targets = map[string]biTarget{}
	bin = map[string][]byte{}
	text = map[string]string{}
	if a.kem {
		targets["secret key"] = biTarget{"secret key", true, func(d []byte) error { return closing(ParseDecapsulationKey(d)) }}
		targets["public key"] = biTarget{"public key", true, func(d []byte) error { return closing(ParseEncapsulationKey(d)) }}
		targets["ciphertext"] = biTarget{"ciphertext", false, func(d []byte) error { _, err := a.dk.Decapsulate(d); return err }}
		bin["ciphertext"] = a.ctBin
		text["ciphertext"] = a.ctText
	} else {
		targets["secret key"] = biTarget{"secret key", true, func(d []byte) error { return closing(ParseSigningKey(d, WithConfig(a.cfg))) }}
		targets["signature"] = biTarget{"signature", false, func(d []byte) error { return a.verify(m, d, nil) }}
		bin["secret key"] = a.skBin
		bin["signature"] = a.sigBin
		text["signature"] = a.sigText
		if !a.mac {
			targets["public key"] = biTarget{"public key", true, func(d []byte) error { return closing(ParseVerifyingKey(d, WithConfig(a.cfg))) }}
		}
	}
	text["secret key"] = a.skText
	if a.pkText != "" {
		text["public key"] = a.pkText
	}
	return
}

func envelopeCases(a *biAlg) []badCase {
	var cases []badCase
	bin, text, targets := biTargets(a)
	for _, what := range []string{"secret key", "public key", "signature", "ciphertext"} {
		tg, ok := targets[what]
		if !ok {
			continue
		}
		if src, ok := bin[what]; ok {
			cases = append(cases, badCase{a.id + " binary " + what + ": as made", func() error { return tg.feed(bytes.Clone(src)) }, nil, ""})
			for _, m := range binMuts {
				if m.keysOnly && !tg.key {
					continue
				}
				data := m.f(bytes.Clone(src))
				cases = append(cases, badCase{a.id + " binary " + what + ": " + m.name, func() error { return tg.feed(data) }, m.want, m.msg})
			}
		}
		if src, ok := text[what]; ok {
			cases = append(cases, badCase{a.id + " text " + what + ": as made", func() error { return tg.feed([]byte(src)) }, nil, ""})
			for _, m := range textMuts {
				if m.keysOnly && !tg.key {
					continue
				}
				data := []byte(m.f(src))
				cases = append(cases, badCase{a.id + " text " + what + ": " + m.name, func() error { return tg.feed(data) }, m.want, m.msg})
			}
		}
	}
	return cases
}

// ---------------------------------------------------------------------------
// Per algorithm: lengths, kinds, contexts, invalid signatures, use after Close
// ---------------------------------------------------------------------------

func signatureCases(t *testing.T, a *biAlg, algs []*biAlg) []badCase {
	m := []byte(biMsg)
	opt := WithConfig(a.cfg)
	hl := biHeader(a.id)
	raw := a.sigBin[hl:]
	var cs []badCase
	add := func(name string, want error, msg string, call func() error) {
		cs = append(cs, badCase{a.id + ": " + name, call, want, msg})
	}
	for _, n := range []int{0, 1, a.seed - 1, a.seed + 1, 2 * a.seed} {
		add(fmt.Sprintf("seed of %d bytes", n), ErrInvalidInput, lengthMsg(a.seed, n), func() error {
			return closing(NewSigningKeyFromSeed(a.id, make([]byte, n), opt))
		})
	}
	add("nil seed", ErrInvalidInput, lengthMsg(a.seed, 0), func() error { return closing(NewSigningKeyFromSeed(a.id, nil, opt)) })
	if a.mac {
		add("bare public key", ErrInvalidInput, "", func() error { return closing(NewVerifyingKeyFromBytes(a.id, seed(32, 1), opt)) })
		add("PublicKey", ErrInvalidInput, "no public key", func() error { return closing(a.sk.PublicKey()) })
		add("MarshalPEM", ErrInvalidInput, "", func() error { _, err := a.sk.MarshalPEM(); return err })
	} else {
		for _, n := range []int{0, 1, a.pk - 1, a.pk + 1, 2 * a.pk} {
			add(fmt.Sprintf("bare public key of %d bytes", n), ErrInvalidInput, lengthMsg(a.pk, n), func() error {
				return closing(NewVerifyingKeyFromBytes(a.id, make([]byte, n), opt))
			})
		}
	}
	for _, n := range []int{0, 1, a.sig - 1, a.sig + 1, 2 * a.sig} {
		add(fmt.Sprintf("raw signature of %d bytes", n), ErrInvalidInput, lengthMsg(a.sig, n), func() error {
			return a.verifyRaw(m, make([]byte, n), nil)
		})
	}
	add("nil signature", ErrInvalidInput, "not a tagged", func() error { return a.verify(m, nil, nil) })
	add("nil raw signature", ErrInvalidInput, lengthMsg(a.sig, 0), func() error { return a.verifyRaw(m, nil, nil) })

	// Controls, then invalid signatures.
	add("tagged signature", nil, "", func() error { return a.verify(m, a.sigBin, nil) })
	add("text signature", nil, "", func() error { return a.verify(m, []byte(a.sigText), nil) })
	add("raw signature", nil, "", func() error { return a.verifyRaw(m, raw, nil) })
	add("nil message (empty)", ErrInvalidSignature, "", func() error { return a.verify(nil, a.sigBin, nil) })
	for _, at := range []int{0, len(raw) / 2, len(raw) - 1} {
		flipped := bytes.Clone(raw)
		flipped[at] ^= 1
		add(fmt.Sprintf("raw signature, bit flipped at %d", at), ErrInvalidSignature, "", func() error {
			return a.verifyRaw(m, flipped, nil)
		})
		tagged := bytes.Clone(a.sigBin)
		tagged[hl+at] ^= 0x80
		add(fmt.Sprintf("tagged signature, bit flipped at %d", hl+at), ErrInvalidSignature, "", func() error {
			return a.verify(m, tagged, nil)
		})
	}
	add("all-zero signature", ErrInvalidSignature, "", func() error { return a.verifyRaw(m, make([]byte, a.sig), nil) })
	add("all-ones signature", ErrInvalidSignature, "", func() error { return a.verifyRaw(m, bytes.Repeat([]byte{0xff}, a.sig), nil) })
	add("another message", ErrInvalidSignature, "", func() error { return a.verify([]byte("messag"), a.sigBin, nil) })
	if a.mac {
		add("another key", ErrInvalidSignature, "", func() error { return a.other.Verify(m, a.sigBin, nil) })
	} else {
		add("another key", ErrInvalidSignature, "", func() error { return a.otherPub.Verify(m, a.sigBin, nil) })
	}

	// Contexts.
	if a.id == "ed25519" {
		add("Sign with a context", ErrUnsupportedAlgorithm, "takes no context", func() error {
			k, err := NewSigningKeyFromSeed(a.id, seed(32, 1)) // the default policy signs Ed25519
			if err != nil {
				return err
			}
			defer k.Close()
			_, err = k.Sign(m, []byte("c"))
			return err
		})
		add("Verify with a context", ErrUnsupportedAlgorithm, "takes no context", func() error { return a.verify(m, a.sigBin, []byte("c")) })
		add("SigningKey.Verify with a 255-byte context", ErrUnsupportedAlgorithm, "takes no context", func() error {
			return a.sk.Verify(m, a.sigBin, seed(255, 'c'))
		})
	} else {
		add("another context", ErrInvalidSignature, "", func() error { return a.verify(m, a.sigBin, []byte("c")) })
		add("a 255-byte context", ErrInvalidSignature, "", func() error { return a.verify(m, a.sigBin, seed(255, 'c')) })
	}
	for name, sign := range map[string]func([]byte, []byte) ([]byte, error){
		"Sign": a.sk.Sign, "SignRaw": a.sk.SignRaw, "SignDeterministic": a.sk.SignDeterministic, "SignRawDeterministic": a.sk.SignRawDeterministic,
	} {
		add(name+" with a 256-byte context", ErrInvalidInput, "at most 255 bytes long, got 256 bytes", func() error {
			_, err := sign(m, seed(256, 'c'))
			return err
		})
	}
	add("Verify with a 256-byte context", ErrInvalidInput, "at most 255 bytes", func() error { return a.verify(m, a.sigBin, seed(256, 'c')) })
	add("VerifyRaw with a 256-byte context", ErrInvalidInput, "at most 255 bytes", func() error { return a.verifyRaw(m, raw, seed(256, 'c')) })
	add("SigningKey.Verify with a 256-byte context", ErrInvalidInput, "at most 255 bytes", func() error {
		return a.sk.Verify(m, a.sigBin, seed(256, 'c'))
	})

	// Policy.
	if a.mac {
		add("Sign under the default policy", ErrPolicy, "", func() error {
			k, err := ParseSigningKey(a.skBin)
			if err != nil {
				return err
			}
			defer k.Close()
			_, err = k.Sign(m, nil)
			return err
		})
	} else {
		want, msg := ErrPolicy, "signs with ml-dsa-65"
		if a.id == "ml-dsa-65" {
			want, msg = nil, ""
		}
		add("Sign under [sign] ml-dsa-65", want, msg, func() error { _, err := a.sk.Sign(m, nil); return err })
		want, msg = ErrPolicy, "not accepted"
		if a.id == "ed25519" {
			want, msg = nil, ""
		}
		add("Verify under the default policy", want, msg, func() error {
			pk, err := ParseVerifyingKey([]byte(a.pkText))
			if err != nil {
				return err
			}
			defer pk.Close()
			return pk.Verify(m, a.sigBin, nil)
		})
	}

	// Another algorithm's signature.
	if b := a.next(algs); b != nil {
		add("a tagged "+b.id+" signature", ErrInvalidInput, "mismatch", func() error { return a.verify(m, b.sigBin, nil) })
		add("a raw "+b.id+" signature", ErrInvalidInput, "bytes long", func() error { return a.verifyRaw(m, b.sigBin[biHeader(b.id):], nil) })
		add("contract Verify with a "+b.id+" signature", ErrInvalidInput, "mismatch", func() error { return contractVerify(a.skBin, m, b.sigBin) })
		add("a bare "+b.id+" public key", ErrInvalidInput, lengthMsg(a.pk, b.pk), func() error {
			raw, err := b.pub.Bytes()
			if err != nil {
				return err
			}
			return closing(NewVerifyingKeyFromBytes(a.id, raw, opt))
		})
	}

	// Kinds.
	add("ParseSigningKey(signature)", ErrInvalidInput, "expected a tagged", func() error { return closing(ParseSigningKey(a.sigBin, opt)) })
	add("ParseDecapsulationKey(signing key)", ErrInvalidInput, "not a KEM", func() error { return closing(ParseDecapsulationKey(a.skBin, opt)) })
	add("NewDecapsulationKeyFromSeed", ErrInvalidInput, "not a KEM", func() error {
		return closing(NewDecapsulationKeyFromSeed(a.id, seed(a.seed, 1), opt))
	})
	add("NewDecapsulationKeyFromSeed, a 64-byte seed", ErrInvalidInput, lengthMsg(a.seed, 64), func() error {
		return closing(NewDecapsulationKeyFromSeed(a.id, seed(64, 1), opt))
	})
	add("GenerateDecapsulationKey", ErrInvalidInput, "not a KEM", func() error { return closing(GenerateDecapsulationKey(a.id, opt)) })
	if !a.mac {
		add("ParseVerifyingKey(secret key)", ErrInvalidInput, "expected a tagged public key", func() error { return closing(ParseVerifyingKey([]byte(a.skText), opt)) })
		add("ParseSigningKey(public key)", ErrInvalidInput, "expected a tagged secret key", func() error { return closing(ParseSigningKey([]byte(a.pkText), opt)) })
		add("ParseVerifyingKey(signature)", ErrInvalidInput, "expected a tagged", func() error { return closing(ParseVerifyingKey(a.sigBin, opt)) })
		add("ParseEncapsulationKey(verifying key)", ErrInvalidInput, "not a KEM", func() error { return closing(ParseEncapsulationKey([]byte(a.pkText), opt)) })
		add("NewEncapsulationKeyFromBytes", ErrInvalidInput, "not a KEM", func() error {
			raw, err := a.pub.Bytes()
			if err != nil {
				return err
			}
			return closing(NewEncapsulationKeyFromBytes(a.id, raw, opt))
		})
		pem := biMust(a.pub.MarshalPEM())
		spem := biMust(a.sk.MarshalPEM())
		add("ParseSigningKeyPEM(public PEM)", ErrInvalidInput, "PUBLIC KEY was given", func() error { return closing(ParseSigningKeyPEM(pem, opt)) })
		add("ParseVerifyingKeyPEM(private PEM)", ErrInvalidInput, "PRIVATE KEY was given", func() error { return closing(ParseVerifyingKeyPEM(spem, opt)) })
		add("ParseVerifyingKeyPEM(cut short)", ErrInvalidInput, "", func() error { return closing(ParseVerifyingKeyPEM(pem[:len(pem)-40], opt)) })
		add("ParseVerifyingKeyPEM(empty)", ErrInvalidInput, "", func() error { return closing(ParseVerifyingKeyPEM(nil, opt)) })
		add("ParseSigningKeyPEM(empty)", ErrInvalidInput, "", func() error { return closing(ParseSigningKeyPEM([]byte{}, opt)) })
	}

	// The porting contract.
	add("contract Verify", nil, "", func() error { return contractVerify(a.skBin, m, a.sigBin) })
	flipped := bytes.Clone(a.sigBin)
	flipped[len(flipped)-1] ^= 1
	add("contract Verify of a flipped signature", errContractFalse, "", func() error { return contractVerify(a.skBin, m, flipped) })
	add("contract Verify of a truncated signature", ErrInvalidInput, "", func() error { return contractVerify(a.skBin, m, a.sigBin[:len(a.sigBin)-1]) })
	add("contract Verify with the signature as the key", ErrInvalidInput, "expected a tagged", func() error { return contractVerify(a.sigBin, m, a.sigBin) })
	add("contract Verify with the key as the signature", ErrInvalidInput, "expected a tagged", func() error { return contractVerify(a.skBin, m, a.skBin) })
	add("contract Verify with a nil signature", ErrInvalidInput, "not a tagged", func() error { return contractVerify(a.skBin, m, nil) })
	add("contract Sign with the signature as the key", ErrInvalidInput, "expected a tagged", func() error { _, err := Sign(a.sigBin, m); return err })
	add("contract Sign with a nil key", ErrInvalidInput, "not a tagged", func() error { _, err := Sign(nil, m); return err })
	if !a.mac {
		add("contract Verify with the public key", nil, "", func() error { return contractVerify([]byte(a.pkText), m, a.sigBin) })
		add("contract Sign with the public key", ErrInvalidInput, "expected a tagged", func() error { _, err := Sign([]byte(a.pkText), m); return err })
	}

	// Use after Close.
	k := biMust(NewSigningKeyFromSeed(a.id, seed(32, 0x33), opt))
	var pk *VerifyingKey
	if !a.mac {
		pk = biMust(k.PublicKey())
		pk.Close()
	}
	k.Close()
	closed := map[string]func() error{
		"Sign":                 func() error { _, err := k.Sign(m, nil); return err },
		"SignRaw":              func() error { _, err := k.SignRaw(m, nil); return err },
		"SignDeterministic":    func() error { _, err := k.SignDeterministic(m, nil); return err },
		"SignRawDeterministic": func() error { _, err := k.SignRawDeterministic(m, nil); return err },
		"Verify":               func() error { return k.Verify(m, a.sigBin, nil) },
		"VerifyRaw":            func() error { return k.VerifyRaw(m, raw, nil) },
		"PublicKey":            func() error { return closing(k.PublicKey()) },
		"MarshalTagged":        func() error { _, err := k.MarshalTagged(); return err },
		"MarshalPEM":           func() error { _, err := k.MarshalPEM(); return err },
	}
	if pk != nil {
		closed["VerifyingKey.Verify"] = func() error { return pk.Verify(m, a.sigBin, nil) }
		closed["VerifyingKey.VerifyRaw"] = func() error { return pk.VerifyRaw(m, raw, nil) }
		closed["VerifyingKey.MarshalTagged"] = func() error { _, err := pk.MarshalTagged(); return err }
		closed["VerifyingKey.MarshalPEM"] = func() error { _, err := pk.MarshalPEM(); return err }
		closed["VerifyingKey.Bytes"] = func() error { _, err := pk.Bytes(); return err }
	}
	for name, f := range closed {
		add(name+" after Close", ErrInvalidInput, "used after Close", f)
	}
	add("Close again", nil, "", k.Close)
	return cs
}

func kemCases(t *testing.T, a *biAlg, algs []*biAlg) []badCase {
	hl := biHeader(a.id)
	raw := a.ctBin[hl:]
	var cs []badCase
	add := func(name string, want error, msg string, call func() error) {
		cs = append(cs, badCase{a.id + ": " + name, call, want, msg})
	}
	for _, n := range []int{0, 1, 32, a.seed - 1, a.seed + 1} {
		add(fmt.Sprintf("seed of %d bytes", n), ErrInvalidInput, lengthMsg(a.seed, n), func() error {
			return closing(NewDecapsulationKeyFromSeed(a.id, make([]byte, n)))
		})
	}
	for _, n := range []int{0, 1, a.pk - 1, a.pk + 1} {
		add(fmt.Sprintf("bare encapsulation key of %d bytes", n), ErrInvalidInput, lengthMsg(a.pk, n), func() error {
			return closing(NewEncapsulationKeyFromBytes(a.id, make([]byte, n)))
		})
	}
	add("encapsulation key failing the modulus check", ErrInvalidInput, "modulus check", func() error {
		return closing(NewEncapsulationKeyFromBytes(a.id, bytes.Repeat([]byte{0xff}, a.pk)))
	})
	for _, n := range []int{0, 1, a.ct - 1, a.ct + 1} {
		add(fmt.Sprintf("raw ciphertext of %d bytes", n), ErrInvalidInput, lengthMsg(a.ct, n), func() error {
			_, err := a.dk.DecapsulateRaw(make([]byte, n))
			return err
		})
	}
	add("nil raw ciphertext", ErrInvalidInput, lengthMsg(a.ct, 0), func() error { _, err := a.dk.DecapsulateRaw(nil); return err })
	add("nil ciphertext", ErrInvalidInput, "not a tagged", func() error { _, err := a.dk.Decapsulate(nil); return err })
	// Controls; implicit rejection is no error.
	add("tagged ciphertext", nil, "", func() error { _, err := a.dk.Decapsulate(a.ctBin); return err })
	add("text ciphertext", nil, "", func() error { _, err := a.dk.Decapsulate([]byte(a.ctText)); return err })
	add("raw ciphertext", nil, "", func() error { _, err := a.dk.DecapsulateRaw(raw); return err })
	modified := bytes.Clone(raw)
	modified[len(modified)/2] ^= 4
	add("modified ciphertext (implicit rejection)", nil, "", func() error { _, err := a.dk.DecapsulateRaw(modified); return err })
	add("another key's ciphertext", nil, "", func() error { _, err := a.otherDK.Decapsulate(a.ctBin); return err })
	// Another KEM's ciphertext or key.
	b := a.next(algs)
	add("a tagged "+b.id+" ciphertext", ErrInvalidInput, "mismatch", func() error { _, err := a.dk.Decapsulate(b.ctBin); return err })
	add("a raw "+b.id+" ciphertext", ErrInvalidInput, "bytes long", func() error { _, err := a.dk.DecapsulateRaw(b.ctBin[biHeader(b.id):]); return err })
	add("a bare "+b.id+" encapsulation key", ErrInvalidInput, lengthMsg(a.pk, b.pk), func() error {
		raw, err := b.ek.Bytes()
		if err != nil {
			return err
		}
		return closing(NewEncapsulationKeyFromBytes(a.id, raw))
	})
	// Kinds.
	add("a signature as the ciphertext", ErrInvalidInput, "expected a tagged ciphertext", func() error {
		_, err := a.dk.Decapsulate(algs[0].sigBin)
		return err
	})
	add("ParseSigningKey(decapsulation key)", ErrInvalidInput, "is a KEM", func() error { return closing(ParseSigningKey([]byte(a.skText))) })
	add("ParseVerifyingKey(encapsulation key)", ErrInvalidInput, "is a KEM", func() error { return closing(ParseVerifyingKey([]byte(a.pkText))) })
	add("ParseDecapsulationKey(encapsulation key)", ErrInvalidInput, "expected a tagged secret key", func() error {
		return closing(ParseDecapsulationKey([]byte(a.pkText)))
	})
	add("ParseEncapsulationKey(decapsulation key)", ErrInvalidInput, "expected a tagged public key", func() error {
		return closing(ParseEncapsulationKey([]byte(a.skText)))
	})
	add("NewSigningKeyFromSeed", ErrInvalidInput, "is a KEM", func() error { return closing(NewSigningKeyFromSeed(a.id, seed(64, 1))) })
	add("GenerateSigningKey", ErrInvalidInput, "is a KEM", func() error { return closing(GenerateSigningKey(a.id)) })
	add("NewVerifyingKeyFromBytes", ErrInvalidInput, "is a KEM", func() error { return closing(NewVerifyingKeyFromBytes(a.id, seed(a.pk, 1))) })
	add("contract Keygen", ErrInvalidInput, "is a KEM", func() error { _, err := Keygen(a.id, 1); return err })
	add("contract Sign with a KEM key", ErrInvalidInput, "", func() error { _, err := Sign([]byte(a.skText), []byte(biMsg)); return err })
	add("contract Verify with a ciphertext", ErrInvalidInput, "expected a tagged", func() error {
		return contractVerify([]byte(a.pkText), []byte(biMsg), a.ctBin)
	})
	// Policy: a [kem] section naming another KEM.
	cfg := biMust(ParseConfig("[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-768\"\n"))
	t.Cleanup(func() { cfg.Close() })
	want, msg := ErrPolicy, "[kem] algorithm"
	if a.id == "ml-kem-768" {
		want, msg = nil, ""
	}
	add("Encapsulate under [kem] ml-kem-768", want, msg, func() error {
		ek, err := ParseEncapsulationKey([]byte(a.pkText), WithConfig(cfg))
		if err != nil {
			return err
		}
		defer ek.Close()
		_, _, err = ek.Encapsulate()
		return err
	})
	add("Decapsulate under [kem] ml-kem-768", want, msg, func() error {
		dk, err := ParseDecapsulationKey([]byte(a.skText), WithConfig(cfg))
		if err != nil {
			return err
		}
		defer dk.Close()
		_, err = dk.Decapsulate(a.ctBin)
		return err
	})
	// Use after Close.
	dk := biMust(NewDecapsulationKeyFromSeed(a.id, seed(64, 0x33)))
	ek := biMust(dk.EncapsulationKey())
	dk.Close()
	ek.Close()
	for name, f := range map[string]func() error{
		"Decapsulate":                    func() error { _, err := dk.Decapsulate(a.ctBin); return err },
		"DecapsulateRaw":                 func() error { _, err := dk.DecapsulateRaw(raw); return err },
		"EncapsulationKey":               func() error { return closing(dk.EncapsulationKey()) },
		"DecapsulationKey.MarshalTagged": func() error { _, err := dk.MarshalTagged(); return err },
		"DecapsulationKey.MarshalPEM":    func() error { _, err := dk.MarshalPEM(); return err },
		"Encapsulate":                    func() error { _, _, err := ek.Encapsulate(); return err },
		"EncapsulateRaw":                 func() error { _, _, err := ek.EncapsulateRaw(); return err },
		"EncapsulationKey.Bytes":         func() error { _, err := ek.Bytes(); return err },
		"EncapsulationKey.MarshalPEM":    func() error { _, err := ek.MarshalPEM(); return err },
	} {
		add(name+" after Close", ErrInvalidInput, "used after Close", f)
	}
	add("Close again", nil, "", func() error { dk.Close(); return ek.Close() })
	return cs
}

// ---------------------------------------------------------------------------
// Names, providers, configurations, the placeholder, the contract
// ---------------------------------------------------------------------------

func nameCases() []badCase {
	var cs []badCase
	for _, u := range []string{
		" ", "rsa", "rsa-2048", "ed448", "ml-dsa-66", "ml-dsa", "ml.dsa.65", "mldsa-65x", "ml-kem-256",
		"x25519-mlkem768", "mldsa65-ed25519", "2.16.840.1.101.3.4.3.99", "1.3.101.113", "ml-dsa-65 ml-dsa-44",
		"insecure", "hmac-sha256", "ed25519\u00e9", "\xff\xfe",
	} {
		u := u
		calls := map[string]func() error{
			"NewSigningKeyFromSeed":        func() error { return closing(NewSigningKeyFromSeed(u, seed(32, 1))) },
			"GenerateSigningKey":           func() error { return closing(GenerateSigningKey(u)) },
			"NewVerifyingKeyFromBytes":     func() error { return closing(NewVerifyingKeyFromBytes(u, seed(32, 1))) },
			"NewDecapsulationKeyFromSeed":  func() error { return closing(NewDecapsulationKeyFromSeed(u, seed(64, 1))) },
			"GenerateDecapsulationKey":     func() error { return closing(GenerateDecapsulationKey(u)) },
			"NewEncapsulationKeyFromBytes": func() error { return closing(NewEncapsulationKeyFromBytes(u, seed(800, 1))) },
			"Keygen":                       func() error { _, err := Keygen(u, 1); return err },
			"ParseConfig":                  func() error { return closing(ParseConfig("[sign]\nalgorithm = \"" + u + "\"\n")) },
		}
		want, msg := error(ErrUnsupportedAlgorithm), "unknown algorithm"
		if u == "\xff\xfe" {
			// Not UTF-8: the C API refuses the string itself; TOML refuses the text.
			want, msg = ErrInvalidInput, ""
		}
		for name, f := range calls {
			cs = append(cs, badCase{fmt.Sprintf("%s(%q)", name, u), f, want, msg})
		}
	}
	// A NUL inside a name must not cut it short ("ed25519\x00junk" is not "ed25519").
	for _, u := range []string{"ed25519\x00junk", "\x00ed25519", "ml-kem-768\x00"} {
		u := u
		for name, f := range map[string]func() error{
			"NewSigningKeyFromSeed":        func() error { return closing(NewSigningKeyFromSeed(u, seed(32, 1))) },
			"NewVerifyingKeyFromBytes":     func() error { return closing(NewVerifyingKeyFromBytes(u, seed(32, 1))) },
			"NewDecapsulationKeyFromSeed":  func() error { return closing(NewDecapsulationKeyFromSeed(u, seed(64, 1))) },
			"NewEncapsulationKeyFromBytes": func() error { return closing(NewEncapsulationKeyFromBytes(u, seed(1184, 1))) },
			"GenerateSigningKey":           func() error { return closing(GenerateSigningKey(u)) },
			"Keygen":                       func() error { _, err := Keygen(u, 1); return err },
		} {
			cs = append(cs, badCase{fmt.Sprintf("%s(%q)", name, u), f, ErrInvalidInput, "NUL"})
		}
	}
	// Aliases are accepted on input.
	for _, u := range []string{"ED25519", "Ml-Dsa-44", "mldsa65", "ml_dsa_65", "id-ml-dsa-87", " ml-dsa-65 ", "2.16.840.1.101.3.4.3.18", "1.3.101.112"} {
		u := u
		cs = append(cs, badCase{fmt.Sprintf("NewSigningKeyFromSeed(alias %q)", u), func() error {
			return closing(NewSigningKeyFromSeed(u, seed(32, 1)))
		}, nil, ""})
	}
	// "" means the configuration's algorithm: [sign] for signing keys; there is no [kem] by default.
	cs = append(cs,
		badCase{"NewSigningKeyFromSeed(\"\")", func() error { return closing(NewSigningKeyFromSeed("", seed(32, 1))) }, nil, ""},
		badCase{"Keygen(\"\")", func() error { _, err := Keygen("", 1); return err }, ErrInvalidInput, "needs an algorithm"},
		badCase{"NewVerifyingKeyFromBytes(\"\")", func() error { return closing(NewVerifyingKeyFromBytes("", seed(32, 1))) }, ErrInvalidInput, "algorithm is required"},
	)
	return cs
}

func providerCases(algs []*biAlg) []badCase {
	var cs []badCase
	byID := map[string]*biAlg{}
	for _, a := range algs {
		byID[a.id] = a
	}
	for _, p := range []struct{ alg, provider string }{
		{"ed25519", "nope"}, {"ed25519", "liboqs"}, {"ed25519", "placeholder"}, {"ed25519", "DALEK"},
		{"ml-dsa-65", "dalek"}, {"ml-kem-768", "dalek"}, {"insecure-test-hmac-sha256", "dalek"},
	} {
		a, prov := byID[p.alg], WithProvider(p.provider)
		add := func(name string, f func() error) {
			cs = append(cs, badCase{fmt.Sprintf("%s(%s, provider %q)", name, a.id, p.provider), f, ErrUnsupportedAlgorithm, "provider"})
		}
		if a.kem {
			add("NewDecapsulationKeyFromSeed", func() error { return closing(NewDecapsulationKeyFromSeed(a.id, seed(64, 1), prov)) })
			add("GenerateDecapsulationKey", func() error { return closing(GenerateDecapsulationKey(a.id, prov)) })
			add("ParseDecapsulationKey", func() error { return closing(ParseDecapsulationKey([]byte(a.skText), prov)) })
			add("ParseEncapsulationKey", func() error { return closing(ParseEncapsulationKey([]byte(a.pkText), prov)) })
			continue
		}
		opt := WithConfig(a.cfg)
		add("NewSigningKeyFromSeed", func() error { return closing(NewSigningKeyFromSeed(a.id, seed(32, 1), opt, prov)) })
		add("GenerateSigningKey", func() error { return closing(GenerateSigningKey(a.id, opt, prov)) })
		add("ParseSigningKey", func() error { return closing(ParseSigningKey(a.skBin, opt, prov)) })
		if !a.mac {
			add("ParseVerifyingKey", func() error { return closing(ParseVerifyingKey([]byte(a.pkText), opt, prov)) })
			add("NewVerifyingKeyFromBytes", func() error {
				raw, err := a.pub.Bytes()
				if err != nil {
					return err
				}
				return closing(NewVerifyingKeyFromBytes(a.id, raw, opt, prov))
			})
		}
	}
	// A NUL inside a provider name must not cut it short.
	cs = append(cs, badCase{"NewSigningKeyFromSeed(ed25519, provider \"dalek\\x00junk\")", func() error {
		return closing(NewSigningKeyFromSeed("ed25519", seed(32, 1), WithProvider("dalek\x00junk")))
	}, ErrInvalidInput, "NUL"})
	// A provider that keeps no seed cannot sign deterministically.
	mldsa := byID["ml-dsa-65"]
	cs = append(cs,
		badCase{"NewSigningKeyFromSeed(ml-dsa-65, provider pqclean)", func() error {
			return closing(NewSigningKeyFromSeed("ml-dsa-65", seed(32, 1), WithConfig(mldsa.cfg), WithProvider("pqclean")))
		}, ErrUnsupportedAlgorithm, "pqclean"},
		badCase{"SignDeterministic with provider pqclean", func() error {
			k, err := GenerateSigningKey("ml-dsa-65", WithConfig(mldsa.cfg), WithProvider("pqclean"))
			if err != nil {
				return err
			}
			defer k.Close()
			_, err = k.SignDeterministic([]byte(biMsg), nil)
			return err
		}, ErrUnsupportedAlgorithm, "pqclean"},
	)
	return cs
}

func configCases() []badCase {
	var cs []badCase
	for _, c := range []struct {
		toml string
		want error
		msg  string
	}{
		{"", ErrInvalidInput, "sign"},
		{"not toml at all", ErrInvalidInput, ""},
		{"[sign]\n", ErrInvalidInput, "algorithm"},
		{"[sign]\nalgorithm = 5\n", ErrInvalidInput, ""},
		{"[sign]\nalgorithm = [\"ed25519\"]\n", ErrInvalidInput, ""},
		{"[sign]\nalgorithm = \"ed25519\"\nalgorithm = \"ed25519\"\n", ErrInvalidInput, ""},
		{"[sign]\nalgorithm = \"ed25519\"\n[bogus]\n", ErrInvalidInput, "bogus"},
		{"[sign]\nalgorithm = \"ed25519\"\nbogus = 1\n", ErrInvalidInput, "bogus"},
		{"[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecure = \"yes\"\n", ErrInvalidInput, ""},
		{"[sign]\nalgorithm = \"ed25519\"\n[policy]\nself_test = \"never\"\n", ErrInvalidInput, ""},
		{"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = \"ed25519\"\n", ErrInvalidInput, ""},
		{"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = []\n", ErrInvalidInput, "empty"},
		{"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ED25519\"]\n", ErrInvalidInput, "twice"},
		{"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ml-kem-512\"]\n", ErrInvalidInput, "kem algorithm"},
		{"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"rsa\"]\n", ErrUnsupportedAlgorithm, "rsa"},
		{"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ml-dsa-65\"]\n", ErrPolicy, "does not list the signing algorithm"},
		{"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"insecure-test-hmac-sha256\"]\n", ErrPolicy, "allow_insecure"},
		{"[sign]\nalgorithm = \"ml-kem-768\"\n", ErrInvalidInput, "kem algorithm"},
		{"[sign]\nalgorithm = \"ed25519\"\nprovider = \"liboqs\"\n", ErrUnsupportedAlgorithm, "liboqs"},
		{"[sign]\nalgorithm = \"ed25519\"\nprovider = \"nope\"\n", ErrUnsupportedAlgorithm, "nope"},
		{"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n", ErrPolicy, "allow_insecure"},
		{"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = false\n", ErrPolicy, "allow_insecure"},
		{"[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-dsa-65\"\n", ErrInvalidInput, "needs a kem algorithm"},
		{"[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-999\"\n", ErrUnsupportedAlgorithm, "ml-kem-999"},
		{"[sign]\nalgorithm = \"ed25519\"\nprovider = \"dalek\"\n[shadow]\nprovider = \"dalek\"\n", ErrPolicy, "independent"},
		{"[sign]\nalgorithm = \"ed25519\"\n[shadow]\nprovider = \"nope\"\n", ErrUnsupportedAlgorithm, ""},
		{"[sign]\nalgorithm = \"\xff\"\n", ErrInvalidInput, "UTF-8"},
		{"[sign]\nalgorithm = \"ed25519\"\n\x00", ErrInvalidInput, "NUL"},
		{"[sign]\nalgorithm = \"ML-DSA-65\"\n", nil, ""},
		{"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n", nil, ""},
	} {
		c := c
		cs = append(cs, badCase{fmt.Sprintf("ParseConfig(%q)", c.toml), func() error { return closing(ParseConfig(c.toml)) }, c.want, c.msg})
	}
	for _, p := range []struct {
		path, msg string
	}{
		{"/nonexistent/pqshift.toml", "cannot read configuration file /nonexistent/pqshift.toml"},
		{"/", "cannot read configuration file /"},
		{"/dev/null", "/dev/null"},
		{"/dev/null\x00.toml", "NUL"},
	} {
		p := p
		cs = append(cs, badCase{fmt.Sprintf("LoadConfig(%q)", p.path), func() error { return closing(LoadConfig(p.path)) }, ErrInvalidInput, p.msg})
	}
	cs = append(cs, badCase{"LoadConfig(\"\") (the default)", func() error { return closing(LoadConfig("")) }, nil, ""})

	// A closed Config: every use is invalid input; closing again is fine.
	closed := func() *Config {
		c, err := ParseConfig("[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-512\"\n")
		if err != nil {
			panic(err)
		}
		c.Close()
		return c
	}()
	for name, f := range map[string]func() error{
		"NewSigningKeyFromSeed":    func() error { return closing(NewSigningKeyFromSeed("ed25519", seed(32, 1), WithConfig(closed))) },
		"GenerateSigningKey":       func() error { return closing(GenerateSigningKey("ed25519", WithConfig(closed))) },
		"ParseVerifyingKey":        func() error { return closing(ParseVerifyingKey([]byte("x"), WithConfig(closed))) },
		"NewVerifyingKeyFromBytes": func() error { return closing(NewVerifyingKeyFromBytes("ed25519", seed(32, 1), WithConfig(closed))) },
		"NewDecapsulationKeyFromSeed": func() error {
			return closing(NewDecapsulationKeyFromSeed("ml-kem-512", seed(64, 1), WithConfig(closed)))
		},
		"NewEncapsulationKeyFromBytes": func() error {
			return closing(NewEncapsulationKeyFromBytes("ml-kem-512", seed(800, 1), WithConfig(closed)))
		},
		"Install": closed.Install,
	} {
		cs = append(cs, badCase{"closed Config: " + name, f, ErrInvalidInput, "Config used after Close"})
	}
	cs = append(cs,
		badCase{"closed Config: Close again", closed.Close, nil, ""},
		badCase{"nil Config: Close", (*Config)(nil).Close, nil, ""},
		badCase{"nil Config: Install", (*Config)(nil).Install, ErrInvalidInput, "nil Config"},
	)
	// A key made under a Config that is closed later.
	cs = append(cs, badCase{"a key whose Config was closed", func() error {
		c, err := ParseConfig("[sign]\nalgorithm = \"ed25519\"\n")
		if err != nil {
			return err
		}
		k, err := NewSigningKeyFromSeed("ed25519", seed(32, 1), WithConfig(c))
		if err != nil {
			return err
		}
		defer k.Close()
		c.Close()
		_, err = k.Sign([]byte(biMsg), nil)
		return err
	}, ErrInvalidInput, "Config used after Close"})
	// Too late to install: the process-wide policy is already in use.
	cs = append(cs, badCase{"Install after the process-wide policy was used", func() error {
		if err := closing(NewSigningKeyFromSeed("ed25519", seed(32, 1))); err != nil {
			return err
		}
		c, err := ParseConfig("[sign]\nalgorithm = \"ed25519\"\n")
		if err != nil {
			return err
		}
		defer c.Close()
		return c.Install()
	}, ErrPolicy, "already installed"})
	return cs
}

func placeholderCases(t *testing.T, algs []*biAlg) []badCase {
	var mac *biAlg
	for _, a := range algs {
		if a.mac {
			mac = a
		}
	}
	var cs []badCase
	noInsecure := biMust(ParseConfig("[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecure = false\n"))
	t.Cleanup(func() { noInsecure.Close() })
	for _, c := range []struct {
		name string
		cfg  *Config
	}{{"the default", nil}, {"allow_insecure = false", noInsecure}} {
		opts := []Option{WithConfig(c.cfg)}
		for name, f := range map[string]func() error{
			"NewSigningKeyFromSeed":   func() error { return closing(NewSigningKeyFromSeed(mac.id, seed(32, 1), opts...)) },
			"GenerateSigningKey":      func() error { return closing(GenerateSigningKey(mac.id, opts...)) },
			"ParseSigningKey(binary)": func() error { return closing(ParseSigningKey(mac.skBin, opts...)) },
			"ParseSigningKey(text)":   func() error { return closing(ParseSigningKey([]byte(mac.skText), opts...)) },
			"provider placeholder, explicit": func() error {
				return closing(NewSigningKeyFromSeed(mac.id, seed(32, 1), append(opts, WithProvider("placeholder"))...))
			},
		} {
			cs = append(cs, badCase{"placeholder " + name + " under " + c.name, f, ErrPolicy, "allow_insecure"})
		}
	}
	// The contract takes no configuration: the placeholder is not refused there.
	cs = append(cs, badCase{"placeholder contract Verify", func() error { return contractVerify(mac.skBin, []byte(biMsg), mac.sigBin) }, nil, ""})
	return cs
}

// A binary tagged key whose last byte is 0x00 is a valid key (the trailing
// NUL the C API allows after the text form must not be cut from it).
func binaryKeyEndingInZero(t *testing.T) []badCase {
	for n := uint64(0); n < 4096; n++ {
		key := biMust(Keygen("ed25519", n))
		if key[len(key)-1] != 0 {
			continue
		}
		return []badCase{
			{fmt.Sprintf("ParseSigningKey(binary key ending in 0x00, Keygen(ed25519, %d))", n), func() error { return closing(ParseSigningKey(key)) }, nil, ""},
			{"contract Sign with that key", func() error { _, err := Sign(key, []byte(biMsg)); return err }, nil, ""},
			{"ParseSigningKey(that key + 0x00)", func() error { return closing(ParseSigningKey(append(bytes.Clone(key), 0))) }, ErrInvalidInput, ""},
		}
	}
	t.Fatal("no ed25519 contract key ending in 0x00 among the first 4096")
	return nil
}

func hashCases() []badCase {
	return []badCase{
		{"MerkleRoot(nil)", func() error { _, err := MerkleRoot(nil); return err }, nil, ""},
		{"MerkleRoot of empty and nil leaves", func() error { _, err := MerkleRoot([][]byte{nil, {}, []byte("a"), nil}); return err }, nil, ""},
		{"SHA256(nil)", func() error {
			if SHA256(nil) != SHA256([]byte{}) {
				return internalf("SHA256(nil) differs from SHA256([]byte{})")
			}
			return nil
		}, nil, ""},
	}
}

func TestBadInput(t *testing.T) {
	algs := biSetup(t)
	groups := []struct {
		name  string
		cases []badCase
	}{
		{"names", nameCases()},
		{"providers", providerCases(algs)},
		{"configurations", configCases()},
		{"placeholder", placeholderCases(t, algs)},
		{"binary keys ending in 0x00", binaryKeyEndingInZero(t)},
		{"hashes", hashCases()},
	}
	for _, a := range algs {
		var cs []badCase
		if a.kem {
			cs = kemCases(t, a, algs)
		} else {
			cs = signatureCases(t, a, algs)
		}
		groups = append(groups, struct {
			name  string
			cases []badCase
		}{a.id, append(cs, envelopeCases(a)...)})
	}
	total := 0
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				checkBad(t, c)
			}
		})
		total += len(g.cases)
	}
	t.Logf("%d bad-input cases", total)
}

// Closing a nil key is a no-op, like Config's Close and the C API's _free(NULL).
func TestBadInputNilClose(t *testing.T) {
	for name, f := range map[string]func() error{
		"SigningKey":       (*SigningKey)(nil).Close,
		"VerifyingKey":     (*VerifyingKey)(nil).Close,
		"DecapsulationKey": (*DecapsulationKey)(nil).Close,
		"EncapsulationKey": (*EncapsulationKey)(nil).Close,
		"Config":           (*Config)(nil).Close,
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("(*%s)(nil).Close panicked: %v", name, r)
				}
			}()
			if err := f(); err != nil {
				t.Errorf("(*%s)(nil).Close: %v", name, err)
			}
		}()
	}
}
