package pqshift

import (
	"crypto/ed25519"
	"crypto/mlkem"
	"testing"
)

// Benchmarks: pqshift through cgo against Go's standard library in the
// same run, and the same C call from a C loop (c-loop: no cgo) to show
// what the binding itself costs. Never timed assertions; scripts/test-go
// runs each once.
//
//	bash scripts/test-go --bench     (release libpqshift.a)

// The cost of crossing into C: an empty C function, and pqshift_sha256
// on 0 bytes called from Go and from a C loop (the C call alone).
func BenchmarkCgo(b *testing.B) {
	b.Run("noop", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			benchNoop()
		}
	})
	b.Run("sha256-empty/go-cgo", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			benchGoSHA256Empty()
		}
	})
	b.Run("sha256-empty/SHA256", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = SHA256(nil)
		}
	})
	b.Run("sha256-empty/c-loop", func(b *testing.B) {
		benchCSHA256Empty(b.N)
	})
}

var benchMsg = []byte("a 64-byte message, about the size of a record digest plus header")

func BenchmarkEd25519Sign(b *testing.B) {
	s := seed(32, 5)
	k, err := NewSigningKeyFromSeed("ed25519", s)
	if err != nil {
		b.Fatal(err)
	}
	defer k.Close()
	b.Run("pqshift-tagged", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := k.Sign(benchMsg, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pqshift-raw", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := k.SignRaw(benchMsg, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("c-loop-raw", func(b *testing.B) {
		if err := benchCSign(k, benchMsg, true, b.N); err != nil {
			b.Fatal(err)
		}
	})
	std := ed25519.NewKeyFromSeed(s)
	b.Run("stdlib", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_ = ed25519.Sign(std, benchMsg)
		}
	})
}

func BenchmarkEd25519Verify(b *testing.B) {
	s := seed(32, 5)
	k, err := NewSigningKeyFromSeed("ed25519", s)
	if err != nil {
		b.Fatal(err)
	}
	defer k.Close()
	pk, err := k.PublicKey()
	if err != nil {
		b.Fatal(err)
	}
	defer pk.Close()
	tagged, _ := k.Sign(benchMsg, nil)
	raw, _ := k.SignRaw(benchMsg, nil)
	b.Run("pqshift-tagged", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := pk.Verify(benchMsg, tagged, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pqshift-raw", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := pk.VerifyRaw(benchMsg, raw, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("c-loop-raw", func(b *testing.B) {
		if err := benchCVerify(pk, benchMsg, raw, true, b.N); err != nil {
			b.Fatal(err)
		}
	})
	std := ed25519.NewKeyFromSeed(s).Public().(ed25519.PublicKey)
	b.Run("stdlib", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if !ed25519.Verify(std, benchMsg, raw) {
				b.Fatal("stdlib does not verify")
			}
		}
	})
}

func BenchmarkMLKEM768(b *testing.B) {
	s := seed(64, 6)
	dk, err := NewDecapsulationKeyFromSeed("ml-kem-768", s)
	if err != nil {
		b.Fatal(err)
	}
	defer dk.Close()
	ek, err := dk.EncapsulationKey()
	if err != nil {
		b.Fatal(err)
	}
	defer ek.Close()
	ct, _, _ := ek.EncapsulateRaw()
	std, err := mlkem.NewDecapsulationKey768(s)
	if err != nil {
		b.Fatal(err)
	}
	stdEK := std.EncapsulationKey()
	_, stdCT := stdEK.Encapsulate()
	b.Run("keygen/pqshift", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			k, err := NewDecapsulationKeyFromSeed("ml-kem-768", s)
			if err != nil {
				b.Fatal(err)
			}
			k.Close()
		}
	})
	b.Run("keygen/stdlib", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := mlkem.NewDecapsulationKey768(s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encapsulate/pqshift", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := ek.EncapsulateRaw(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encapsulate/stdlib", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			_, _ = stdEK.Encapsulate()
		}
	})
	b.Run("decapsulate/pqshift", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := dk.DecapsulateRaw(ct); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decapsulate/stdlib", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := std.Decapsulate(stdCT); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// ML-DSA-65 through pqshift (Go's standard library has no ML-DSA).
func BenchmarkMLDSA65(b *testing.B) {
	cfg, err := ParseConfig("[sign]\nalgorithm = \"ml-dsa-65\"\n")
	if err != nil {
		b.Fatal(err)
	}
	defer cfg.Close()
	k, err := NewSigningKeyFromSeed("ml-dsa-65", seed(32, 7), WithConfig(cfg))
	if err != nil {
		b.Fatal(err)
	}
	defer k.Close()
	pk, _ := k.PublicKey()
	defer pk.Close()
	sig, _ := k.Sign(benchMsg, nil)
	b.Run("sign/pqshift", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := k.Sign(benchMsg, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("verify/pqshift", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := pk.Verify(benchMsg, sig, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkMerkleRoot1000(b *testing.B) {
	leaves := make([][]byte, 1000)
	for i := range leaves {
		leaves[i] = benchMsg
	}
	for i := 0; i < b.N; i++ {
		if _, err := MerkleRoot(leaves); err != nil {
			b.Fatal(err)
		}
	}
}
