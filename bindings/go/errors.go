package pqshift

// #include "gopq.h"
import "C"

import (
	"errors"
	"fmt"
)

// Sentinel errors, one per kind of pqshift's error enum (the C result
// codes 1-4, 6, 7). Every error this package returns is an *Error that
// matches exactly one of them with errors.Is.
var (
	// ErrInvalidInput: malformed or out-of-range input (a wrong length, a
	// bad encoding, a key of the wrong algorithm or kind, a context over
	// 255 bytes, a closed key).
	ErrInvalidInput = errors.New("pqshift: invalid input")
	// ErrUnsupportedAlgorithm: an unknown algorithm, one no linked provider
	// serves, or an operation the provider does not offer.
	ErrUnsupportedAlgorithm = errors.New("pqshift: unsupported algorithm or operation")
	// ErrInvalidSignature: the signature or MAC tag does not verify.
	// Deliberately without detail.
	ErrInvalidSignature = errors.New("pqshift: invalid signature")
	// ErrPolicy: the configuration forbids the operation.
	ErrPolicy = errors.New("pqshift: forbidden by policy")
	// ErrProvider: a provider failed its self-test or its backend failed.
	ErrProvider = errors.New("pqshift: provider error")
	// ErrInternal: a bug in pqshift or in this binding. Please report it.
	ErrInternal = errors.New("pqshift: internal error")

	// errBufferTooSmall never leaves the package: a too-small output
	// buffer is retried with the size the library asked for.
	errBufferTooSmall = errors.New("pqshift: output buffer too small")
)

// Error is the error type of every failing call: the kind (a sentinel,
// for errors.Is), the C result code, and the library's message.
type Error struct {
	// Code is the C result code (PQSHIFT_ERR_*).
	Code int
	// Message is libpqshift's description of this failure ("" when none).
	Message string
	kind    error
}

// Error is "pqshift: " and the library's message, which starts with the
// kind ("invalid input: seed ...").
func (e *Error) Error() string {
	if e.Message == "" {
		return e.kind.Error()
	}
	return "pqshift: " + e.Message
}

// Unwrap returns the sentinel of the error's kind, so errors.Is(err,
// ErrInvalidInput) and the like work.
func (e *Error) Unwrap() error { return e.kind }

// Is reports whether target is the sentinel of the error's kind, or an
// *Error with the same code.
func (e *Error) Is(target error) bool {
	if t, ok := target.(*Error); ok {
		return t.Code == e.Code
	}
	return target == e.kind
}

func kindOf(rc C.pqshift_result) error {
	switch rc {
	case C.PQSHIFT_ERR_INVALID_INPUT:
		return ErrInvalidInput
	case C.PQSHIFT_ERR_UNSUPPORTED:
		return ErrUnsupportedAlgorithm
	case C.PQSHIFT_ERR_VERIFICATION_FAILED:
		return ErrInvalidSignature
	case C.PQSHIFT_ERR_POLICY:
		return ErrPolicy
	case C.PQSHIFT_ERR_BUFFER_TOO_SMALL:
		return errBufferTooSmall
	case C.PQSHIFT_ERR_PROVIDER:
		return ErrProvider
	default:
		return ErrInternal
	}
}

// fromResult turns a failed result and its message into an *Error (nil for PQSHIFT_OK).
func fromResult(rc C.pqshift_result, msg *C.char) error {
	text := takeMessage(msg)
	if rc == C.PQSHIFT_OK {
		return nil
	}
	if text == "" {
		text = C.GoString(C.pqshift_result_message(C.uint32_t(rc)))
	}
	return &Error{Code: int(rc), Message: text, kind: kindOf(rc)}
}

func invalidf(format string, args ...any) error {
	return &Error{Code: C.PQSHIFT_ERR_INVALID_INPUT, Message: "invalid input: " + fmt.Sprintf(format, args...), kind: ErrInvalidInput}
}

func internalf(format string, args ...any) error {
	return &Error{Code: C.PQSHIFT_ERR_INTERNAL, Message: "internal error in the Go binding: " + fmt.Sprintf(format, args...), kind: ErrInternal}
}

func errClosed(what string) error {
	return invalidf("%s used after Close", what)
}
