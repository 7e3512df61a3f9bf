package pqshift_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"

	pqshift "github.com/pqshift/pqshift/bindings/go"
)

func Example() {
	// The configuration decides the algorithm; here ML-DSA-65.
	cfg, err := pqshift.ParseConfig("[sign]\nalgorithm = \"ml-dsa-65\"\n")
	if err != nil {
		log.Fatal(err)
	}
	defer cfg.Close()

	key, err := pqshift.NewSigningKeyFromSeed("ml-dsa-65", bytes.Repeat([]byte{1}, 32), pqshift.WithConfig(cfg))
	if err != nil {
		log.Fatal(err)
	}
	defer key.Close()
	sig, err := key.Sign([]byte("record"), []byte("ctx")) // tagged: names its algorithm
	if err != nil {
		log.Fatal(err)
	}
	pub, err := key.PublicKey()
	if err != nil {
		log.Fatal(err)
	}
	defer pub.Close()
	fmt.Println(pub.Verify([]byte("record"), sig, []byte("ctx")))
	err = pub.Verify([]byte("tampered"), sig, []byte("ctx"))
	fmt.Println(errors.Is(err, pqshift.ErrInvalidSignature))

	// KEM: the process-wide default policy serves ML-KEM too.
	dk, err := pqshift.GenerateDecapsulationKey("ml-kem-768")
	if err != nil {
		log.Fatal(err)
	}
	defer dk.Close()
	ek, err := dk.EncapsulationKey()
	if err != nil {
		log.Fatal(err)
	}
	defer ek.Close()
	ct, secret, err := ek.Encapsulate()
	if err != nil {
		log.Fatal(err)
	}
	got, err := dk.Decapsulate(ct)
	fmt.Println(bytes.Equal(got, secret), err)
	// Output:
	// <nil>
	// true
	// true <nil>
}
