package pqshift

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var sigAlgs = []string{"ed25519", "ml-dsa-44", "ml-dsa-65", "ml-dsa-87"}
var kemAlgs = []string{"ml-kem-512", "ml-kem-768", "ml-kem-1024"}

func seed(n int, b byte) []byte { return bytes.Repeat([]byte{b}, n) }

func TestAlgorithms(t *testing.T) {
	algs, err := Algorithms()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range append(append([]string{"insecure-test-hmac-sha256"}, sigAlgs...), kemAlgs...) {
		found := false
		for _, a := range algs {
			found = found || a == want
		}
		if !found {
			t.Errorf("%s missing from %v", want, algs)
		}
	}
	if Version() == "" {
		t.Error("empty version")
	}
}

func TestSHA256(t *testing.T) {
	for _, n := range []int{0, 1, 55, 56, 64, 1000} {
		data := seed(n, 'a')
		if SHA256(data) != sha256.Sum256(data) {
			t.Errorf("SHA256 of %d bytes differs from crypto/sha256", n)
		}
	}
	empty, err := MerkleRoot(nil)
	if err != nil || empty != sha256.Sum256(nil) {
		t.Errorf("MerkleRoot(nil) = %x, %v", empty, err)
	}
	one, err := MerkleRoot([][]byte{nil})
	if err != nil || one != sha256.Sum256([]byte{0}) {
		t.Errorf("MerkleRoot of one empty leaf = %x, %v", one, err)
	}
}

// Every signature algorithm: sign/verify in each form, PEM and tagged round trips.
func TestSignatureRoundTrips(t *testing.T) {
	for _, alg := range sigAlgs {
		t.Run(alg, func(t *testing.T) {
			cfg := configFor(t, alg)
			k, err := GenerateSigningKey(alg, WithConfig(cfg))
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			if k.Algorithm() != alg {
				t.Fatalf("Algorithm() = %s", k.Algorithm())
			}
			pk, err := k.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			defer pk.Close()
			var ctx []byte
			if alg != "ed25519" {
				ctx = []byte("ctx")
			}
			for _, msg := range [][]byte{nil, {}, []byte("message"), seed(5000, 7)} {
				sig, err := k.Sign(msg, ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := pk.Verify(msg, sig, ctx); err != nil {
					t.Fatalf("tagged: %v", err)
				}
				raw, err := k.SignRaw(msg, ctx)
				if err != nil {
					t.Fatal(err)
				}
				if err := pk.VerifyRaw(msg, raw, ctx); err != nil {
					t.Fatalf("raw: %v", err)
				}
				d1, err1 := k.SignDeterministic(msg, ctx)
				d2, err2 := k.SignDeterministic(msg, ctx)
				if err1 != nil || err2 != nil || !bytes.Equal(d1, d2) {
					t.Fatalf("deterministic signatures differ (%v, %v)", err1, err2)
				}
				if err := k.Verify(msg, d1, ctx); err != nil {
					t.Fatalf("verify through the secret key: %v", err)
				}
			}
			// Tagged and PEM encodings of both keys round-trip.
			text, err := k.MarshalTagged()
			if err != nil || !strings.HasPrefix(string(text), "pqshift1:sec:"+alg+":") {
				t.Fatalf("MarshalTagged: %s, %v", text, err)
			}
			pem, err := k.MarshalPEM()
			if err != nil || !strings.HasPrefix(string(pem), "-----BEGIN PRIVATE KEY-----") {
				t.Fatalf("MarshalPEM: %v", err)
			}
			ptext, _ := pk.MarshalTagged()
			ppem, err := pk.MarshalPEM()
			if err != nil || !strings.HasPrefix(string(ppem), "-----BEGIN PUBLIC KEY-----") {
				t.Fatalf("public MarshalPEM: %v", err)
			}
			raw, _ := pk.Bytes()
			sig, _ := k.Sign([]byte("m"), ctx)
			for name, load := range map[string]func() (*SigningKey, error){
				"tagged": func() (*SigningKey, error) { return ParseSigningKey(text, WithConfig(cfg)) },
				"pem":    func() (*SigningKey, error) { return ParseSigningKeyPEM(pem, WithConfig(cfg)) },
			} {
				k2, err := load()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if t2, _ := k2.MarshalTagged(); !bytes.Equal(t2, text) {
					t.Fatalf("%s: reloaded key differs", name)
				}
				k2.Close()
			}
			for name, load := range map[string]func() (*VerifyingKey, error){
				"tagged": func() (*VerifyingKey, error) { return ParseVerifyingKey(ptext, WithConfig(cfg)) },
				"pem":    func() (*VerifyingKey, error) { return ParseVerifyingKeyPEM(ppem, WithConfig(cfg)) },
				"raw":    func() (*VerifyingKey, error) { return NewVerifyingKeyFromBytes(alg, raw, WithConfig(cfg)) },
			} {
				pk2, err := load()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if err := pk2.Verify([]byte("m"), sig, ctx); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				pk2.Close()
			}
		})
	}
}

func TestProviderOption(t *testing.T) {
	cfg := configFor(t, "ml-dsa-65")
	s := seed(32, 3)
	var sigs [][]byte
	for _, p := range []string{"liboqs", "rustcrypto"} {
		k, err := NewSigningKeyFromSeed("ml-dsa-65", s, WithConfig(cfg), WithProvider(p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		sig, err := k.SignRawDeterministic([]byte("m"), nil)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		sigs = append(sigs, sig)
		k.Close()
	}
	if !bytes.Equal(sigs[0], sigs[1]) {
		t.Error("liboqs and rustcrypto sign differently")
	}
	_, err := NewSigningKeyFromSeed("ml-dsa-65", s, WithConfig(cfg), WithProvider("no-such-provider"))
	if !errors.Is(err, ErrUnsupportedAlgorithm) && !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unknown provider: %v", err)
	}
}

func TestKEMRoundTrips(t *testing.T) {
	for _, alg := range kemAlgs {
		t.Run(alg, func(t *testing.T) {
			dk, err := GenerateDecapsulationKey(alg)
			if err != nil {
				t.Fatal(err)
			}
			defer dk.Close()
			ek, err := dk.EncapsulationKey()
			if err != nil {
				t.Fatal(err)
			}
			defer ek.Close()
			ct, ss, err := ek.Encapsulate()
			if err != nil || len(ss) != 32 {
				t.Fatalf("Encapsulate: %d-byte secret, %v", len(ss), err)
			}
			got, err := dk.Decapsulate(ct)
			if err != nil || !bytes.Equal(got, ss) {
				t.Fatalf("Decapsulate: %v", err)
			}
			rct, rss, err := ek.EncapsulateRaw()
			if err != nil || len(rct) != algTable[alg].ct {
				t.Fatalf("EncapsulateRaw: %d bytes, %v", len(rct), err)
			}
			if got, err := dk.DecapsulateRaw(rct); err != nil || !bytes.Equal(got, rss) {
				t.Fatalf("DecapsulateRaw: %v", err)
			}
			// Implicit rejection: a modified ciphertext gives another secret, no error.
			rct[0] ^= 1
			if got, err := dk.DecapsulateRaw(rct); err != nil || bytes.Equal(got, rss) {
				t.Fatalf("modified ciphertext: %v", err)
			}
			text, _ := dk.MarshalTagged()
			pem, err := dk.MarshalPEM()
			if err != nil {
				t.Fatal(err)
			}
			etext, _ := ek.MarshalTagged()
			epem, _ := ek.MarshalPEM()
			eraw, _ := ek.Bytes()
			for _, load := range []func() (*DecapsulationKey, error){
				func() (*DecapsulationKey, error) { return ParseDecapsulationKey(text) },
				func() (*DecapsulationKey, error) { return ParseDecapsulationKeyPEM(pem) },
			} {
				dk2, err := load()
				if err != nil {
					t.Fatal(err)
				}
				if got, err := dk2.Decapsulate(ct); err != nil || !bytes.Equal(got, ss) {
					t.Fatalf("reloaded key: %v", err)
				}
				dk2.Close()
			}
			for _, load := range []func() (*EncapsulationKey, error){
				func() (*EncapsulationKey, error) { return ParseEncapsulationKey(etext) },
				func() (*EncapsulationKey, error) { return ParseEncapsulationKeyPEM(epem) },
				func() (*EncapsulationKey, error) { return NewEncapsulationKeyFromBytes(alg, eraw) },
			} {
				ek2, err := load()
				if err != nil {
					t.Fatal(err)
				}
				ct2, ss2, err := ek2.Encapsulate()
				if err != nil {
					t.Fatal(err)
				}
				if got, err := dk.Decapsulate(ct2); err != nil || !bytes.Equal(got, ss2) {
					t.Fatalf("reloaded encapsulation key: %v", err)
				}
				ek2.Close()
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pqshift.toml")
	if err := os.WriteFile(path, []byte("[sign]\nalgorithm = \"ml-dsa-44\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	defer cfg.Close()
	k, err := NewSigningKeyFromSeed("", seed(32, 1), WithConfig(cfg)) // "": the [sign] algorithm
	if err != nil || k.Algorithm() != "ml-dsa-44" {
		t.Fatalf("configured algorithm: %v", err)
	}
	defer k.Close()
	if _, err := k.Sign([]byte("m"), nil); err != nil {
		t.Fatal(err)
	}
	// The same key under the default policy (Ed25519) may not sign.
	k2, err := NewSigningKeyFromSeed("ml-dsa-44", seed(32, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer k2.Close()
	if _, err := k2.Sign([]byte("m"), nil); !errors.Is(err, ErrPolicy) {
		t.Fatalf("ML-DSA under the Ed25519 default: %v", err)
	}
}

func TestContractErrors(t *testing.T) {
	if _, err := Keygen("ml-kem-768", 1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Keygen of a KEM: %v", err)
	}
	if _, err := Keygen("rot13", 1); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Errorf("Keygen of an unknown algorithm: %v", err)
	}
	if _, err := Keygen("", 1); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Keygen without an algorithm: %v", err)
	}
	if _, err := Sign(nil, []byte("p")); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Sign with no key: %v", err)
	}
	key, err := Keygen("ML-DSA-44", 7) // aliases accepted
	if err != nil {
		t.Fatal(err)
	}
	sig, err := Sign(key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := Verify(key, nil, sig); !ok || err != nil {
		t.Errorf("Verify of an empty payload: %v, %v", ok, err)
	}
	if ok, err := Verify(key, []byte("x"), sig); ok || err != nil {
		t.Errorf("Verify of another payload: %v, %v", ok, err)
	}
	if ok, err := Verify(key, nil, sig[:len(sig)-1]); ok || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Verify of a truncated signature: %v, %v", ok, err)
	}
	if ok, err := Verify(nil, nil, sig); ok || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Verify with no key: %v, %v", ok, err)
	}
}

// Bad input of every kind, each with the right sentinel.
func TestErrors(t *testing.T) {
	ed, err := NewSigningKeyFromSeed("ed25519", seed(32, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer ed.Close()
	edPub, _ := ed.PublicKey()
	defer edPub.Close()
	mldsa := configFor(t, "ml-dsa-65")
	ml, err := NewSigningKeyFromSeed("ml-dsa-65", seed(32, 2), WithConfig(mldsa))
	if err != nil {
		t.Fatal(err)
	}
	defer ml.Close()
	mlPub, _ := ml.PublicKey()
	defer mlPub.Close()
	mac, err := NewSigningKeyFromSeed("insecure-test-hmac-sha256", seed(32, 3), WithConfig(configFor(t, "insecure-test-hmac-sha256")))
	if err != nil {
		t.Fatal(err)
	}
	defer mac.Close()
	dk, _ := NewDecapsulationKeyFromSeed("ml-kem-768", seed(64, 4))
	defer dk.Close()
	edSig, _ := ed.Sign([]byte("m"), nil)
	mlSig, _ := ml.Sign([]byte("m"), nil)
	flipped := append([]byte(nil), edSig...)
	flipped[len(flipped)-1] ^= 1
	closedKey, _ := NewSigningKeyFromSeed("ed25519", seed(32, 9))
	closedKey.Close()
	closedKey.Close() // idempotent
	closedCfg, err := ParseConfig("[sign]\nalgorithm = \"ed25519\"\n")
	if err != nil {
		t.Fatal(err)
	}
	both, err := ParseConfig("[sign]\nalgorithm = \"ml-dsa-65\"\n[verify]\naccept = [\"ml-dsa-65\", \"ed25519\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	defer both.Close()
	closedCfg.Close()
	closedCfg.Close()

	call := func(f func() error) error { return f() }
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"unknown algorithm", call(func() error { _, err := NewSigningKeyFromSeed("rot13", seed(32, 0)); return err }), ErrUnsupportedAlgorithm},
		{"unknown algorithm, generate", call(func() error { _, err := GenerateSigningKey("no-such"); return err }), ErrUnsupportedAlgorithm},
		{"seed too short", call(func() error { _, err := NewSigningKeyFromSeed("ed25519", seed(31, 0)); return err }), ErrInvalidInput},
		{"empty seed", call(func() error { _, err := NewSigningKeyFromSeed("ed25519", nil); return err }), ErrInvalidInput},
		{"ML-KEM seed of 32 bytes", call(func() error { _, err := NewDecapsulationKeyFromSeed("ml-kem-768", seed(32, 0)); return err }), ErrInvalidInput},
		{"placeholder without allow_insecure", call(func() error {
			_, err := NewSigningKeyFromSeed("insecure-test-hmac-sha256", seed(32, 0))
			return err
		}), ErrPolicy},
		{"ML-DSA key under the Ed25519 policy", call(func() error {
			k, _ := NewSigningKeyFromSeed("ml-dsa-65", seed(32, 2))
			defer k.Close()
			_, err := k.Sign([]byte("m"), nil)
			return err
		}), ErrPolicy},
		{"verifying an algorithm the policy does not accept", call(func() error {
			pk, _ := ParseVerifyingKey(mustTagged(mlPub))
			defer pk.Close()
			return pk.Verify([]byte("m"), mlSig, nil)
		}), ErrPolicy},
		{"context over 255 bytes", call(func() error { _, err := ml.Sign([]byte("m"), seed(256, 0)); return err }), ErrInvalidInput},
		{"Ed25519 signing with a context", call(func() error { _, err := ed.Sign([]byte("m"), []byte("c")); return err }), ErrUnsupportedAlgorithm},
		{"Ed25519 verifying with a context", edPub.Verify([]byte("m"), edSig, []byte("c")), ErrUnsupportedAlgorithm},
		{"flipped signature bit", edPub.Verify([]byte("m"), flipped, nil), ErrInvalidSignature},
		{"other message", edPub.Verify([]byte("x"), edSig, nil), ErrInvalidSignature},
		{"truncated tagged signature", edPub.Verify([]byte("m"), edSig[:len(edSig)-1], nil), ErrInvalidInput},
		{"empty signature", edPub.Verify([]byte("m"), nil, nil), ErrInvalidInput},
		{"untagged signature", edPub.Verify([]byte("m"), edSig[len(edSig)-64:], nil), ErrInvalidInput},
		{"raw signature of the wrong length", edPub.VerifyRaw([]byte("m"), seed(63, 0), nil), ErrInvalidInput},
		{"signature of an algorithm the policy does not accept", mlPub.Verify([]byte("m"), edSig, nil), ErrPolicy},
		{"signature of another algorithm", call(func() error {
			pk, _ := ParseVerifyingKey(mustTagged(mlPub), WithConfig(both))
			defer pk.Close()
			return pk.Verify([]byte("m"), edSig, nil)
		}), ErrInvalidInput},
		{"garbage tagged key", call(func() error { _, err := ParseSigningKey([]byte("pqshift1:sec:ed25519:zz")); return err }), ErrInvalidInput},
		{"empty tagged key", call(func() error { _, err := ParseVerifyingKey(nil); return err }), ErrInvalidInput},
		{"garbage PEM", call(func() error { _, err := ParseVerifyingKeyPEM([]byte("-----BEGIN PUBLIC KEY-----\n")); return err }), ErrInvalidInput},
		{"public key of the wrong length", call(func() error { _, err := NewVerifyingKeyFromBytes("ed25519", seed(31, 0)); return err }), ErrInvalidInput},
		{"bare public key without an algorithm", call(func() error { _, err := NewVerifyingKeyFromBytes("", seed(32, 0)); return err }), ErrInvalidInput},
		{"a secret key where a public one is expected", call(func() error { _, err := ParseVerifyingKey(mustSecretTagged(ed)); return err }), ErrInvalidInput},
		{"a KEM key as a signing key", call(func() error { _, err := ParseSigningKey(mustSecretTagged(&dk.secretKey)); return err }), ErrInvalidInput},
		{"a signing key as a KEM key", call(func() error { _, err := ParseDecapsulationKey(mustSecretTagged(ed)); return err }), ErrInvalidInput},
		{"a KEM algorithm for a signing key", call(func() error { _, err := NewSigningKeyFromSeed("ml-kem-768", seed(64, 0)); return err }), ErrInvalidInput},
		{"MAC has no public key", call(func() error { _, err := mac.PublicKey(); return err }), ErrInvalidInput},
		{"MAC has no PEM", call(func() error { _, err := mac.MarshalPEM(); return err }), ErrInvalidInput},
		{"ciphertext of the wrong length", call(func() error { _, err := dk.DecapsulateRaw(seed(10, 0)); return err }), ErrInvalidInput},
		{"empty ciphertext", call(func() error { _, err := dk.Decapsulate(nil); return err }), ErrInvalidInput},
		{"closed key", call(func() error { _, err := closedKey.Sign([]byte("m"), nil); return err }), ErrInvalidInput},
		{"closed key's public key", call(func() error { _, err := closedKey.PublicKey(); return err }), ErrInvalidInput},
		{"closed config", call(func() error {
			_, err := NewSigningKeyFromSeed("ed25519", seed(32, 0), WithConfig(closedCfg))
			return err
		}), ErrInvalidInput},
		{"unknown configuration key", call(func() error { _, err := ParseConfig("[sign]\nalgorithm = \"ed25519\"\ncolour = \"red\"\n"); return err }), ErrInvalidInput},
		{"configuration naming an unknown algorithm", call(func() error { _, err := ParseConfig("[sign]\nalgorithm = \"rot13\"\n"); return err }), nil},
		{"configuration with a NUL", call(func() error { _, err := ParseConfig("[sign]\x00"); return err }), ErrInvalidInput},
		{"missing configuration file", call(func() error { _, err := LoadConfig("/nonexistent/pqshift.toml"); return err }), ErrInvalidInput},
	}
	for _, c := range cases {
		if c.want == nil {
			if c.err == nil {
				t.Errorf("%s: no error", c.name)
			}
			continue
		}
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.err, c.want)
			continue
		}
		var e *Error
		if !errors.As(c.err, &e) || e.Message == "" || e.Code == 0 {
			t.Errorf("%s: not an *Error with a message: %#v", c.name, c.err)
		}
		// Exactly one kind matches.
		n := 0
		for _, s := range []error{ErrInvalidInput, ErrUnsupportedAlgorithm, ErrInvalidSignature, ErrPolicy, ErrProvider, ErrInternal} {
			if errors.Is(c.err, s) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d kinds match %v", c.name, n, c.err)
		}
	}
	// Verification failures carry no detail.
	if err := edPub.Verify([]byte("x"), edSig, nil); err.Error() != "pqshift: signature verification failed" {
		t.Errorf("verification failure says %q", err)
	}
	// The message names the problem.
	_, err = NewSigningKeyFromSeed("rot13", seed(32, 0))
	if !strings.Contains(err.Error(), "rot13") {
		t.Errorf("message does not name the algorithm: %v", err)
	}
	t.Logf("%d bad-input cases", len(cases))
}

func mustTagged(k *VerifyingKey) []byte {
	b, err := k.MarshalTagged()
	if err != nil {
		panic(err)
	}
	return b
}

func mustSecretTagged(k interface{ MarshalTagged() ([]byte, error) }) []byte {
	b, err := k.MarshalTagged()
	if err != nil {
		panic(err)
	}
	return b
}
