// Package pqshift is the Go binding of pqshift, a crypto-agility
// framework: sign, verify and encapsulate through one API while a TOML
// configuration decides the algorithm (Ed25519, ML-DSA, ML-KEM) and the
// implementation.
//
// The package is a thin cgo layer over libpqshift's C API
// (bindings/c/include/pqshift.h), linked statically: a program built with
// it needs no libpqshift.so and no liboqs at run time. It contains no
// cryptography of its own. bash scripts/test-go builds the static
// library and points lib/libpqshift.a at it; run it once before go build
// or go test (with --release for an optimized library).
//
// Errors: every failure is an *Error matching exactly one sentinel with
// errors.Is: ErrInvalidInput, ErrUnsupportedAlgorithm,
// ErrInvalidSignature (carrying no detail), ErrPolicy, ErrProvider,
// ErrInternal. The message is libpqshift's own, read in the same C call
// as the failure (its last-error message is per OS thread).
//
// Memory and concurrency: keys and configurations hold native handles.
// Close frees them deterministically (secret keys are zeroized) and is
// idempotent; a finalizer frees what was not closed. Every type is safe
// for concurrent use; Close waits for calls in flight, and a closed key
// returns ErrInvalidInput. A key made WithConfig(cfg) keeps cfg and signs
// under its policy; without it, the process-wide policy applies (Install,
// else $PQSHIFT_CONFIG, else the built-in Ed25519 default).
//
// The porting contract of golden/README.md is Keygen, Sign and Verify.
package pqshift
