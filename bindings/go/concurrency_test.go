package pqshift

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Many goroutines sign and verify with one shared key, one shared public
// key and one shared configuration; deterministic signatures agree, and
// every goroutine's error message is its own (the C last-error message is
// per OS thread, and goroutines move between threads).
func TestConcurrentSigning(t *testing.T) {
	for _, alg := range []string{"ed25519", "ml-dsa-65"} {
		t.Run(alg, func(t *testing.T) {
			cfg := configFor(t, alg)
			k, err := NewSigningKeyFromSeed(alg, seed(32, 11), WithConfig(cfg))
			if err != nil {
				t.Fatal(err)
			}
			defer k.Close()
			pk, err := k.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			defer pk.Close()
			reference, err := k.SignDeterministic([]byte("msg-0"), nil)
			if err != nil {
				t.Fatal(err)
			}
			goroutines, rounds := 64, 8
			if testing.Short() {
				goroutines = 8
			}
			var wg sync.WaitGroup
			errs := make(chan error, goroutines*rounds*4)
			for g := 0; g < goroutines; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					for r := 0; r < rounds; r++ {
						msg := []byte(fmt.Sprintf("msg-%d", (g+r)%3))
						sig, err := k.Sign(msg, nil)
						if err != nil {
							errs <- err
							continue
						}
						if err := pk.Verify(msg, sig, nil); err != nil {
							errs <- fmt.Errorf("goroutine %d: %w", g, err)
						}
						if string(msg) == "msg-0" {
							det, err := k.SignDeterministic(msg, nil)
							if err != nil || !bytes.Equal(det, reference) {
								errs <- fmt.Errorf("goroutine %d: deterministic signature differs (%v)", g, err)
							}
						}
						// A failure of this goroutine's own, whose message must name it.
						bad := fmt.Sprintf("no-such-alg-%d-%d", g, r)
						_, err = NewSigningKeyFromSeed(bad, seed(32, 0), WithConfig(cfg))
						if !errors.Is(err, ErrUnsupportedAlgorithm) || !strings.Contains(err.Error(), bad) {
							errs <- fmt.Errorf("goroutine %d: got %v, want a message naming %s", g, err, bad)
						}
						if r%4 == 0 {
							runtime.Gosched()
						}
					}
				}(g)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// Close while other goroutines use the key: every call either works or
// fails with ErrInvalidInput ("used after Close"); nothing crashes.
func TestCloseWhileInUse(t *testing.T) {
	for i := 0; i < 20; i++ {
		k, err := NewSigningKeyFromSeed("ed25519", seed(32, byte(i)))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := 0; r < 20; r++ {
					if _, err := k.Sign([]byte("m"), nil); err != nil && !errors.Is(err, ErrInvalidInput) {
						t.Errorf("sign racing Close: %v", err)
					}
				}
			}()
		}
		k.Close()
		wg.Wait()
	}
}

// Keys dropped without Close are freed by their finalizers.
func TestFinalizers(t *testing.T) {
	for i := 0; i < 200; i++ {
		k, err := NewSigningKeyFromSeed("ed25519", seed(32, byte(i)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.PublicKey(); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.GC()
}
