package pqshift

// #include "gopq.h"
import "C"

import "unsafe"

// SHA256 is the SHA-256 digest of data, computed by libpqshift.
func SHA256(data []byte) [32]byte {
	var out [32]byte
	dp, dl := bytesArg(data)
	if rc := C.pqshift_sha256(dp, dl, (*C.uint8_t)(unsafe.Pointer(&out[0]))); rc != C.PQSHIFT_OK {
		// Only a NULL output pointer or a bug can fail; neither can happen here.
		panic(fromResult(rc, nil))
	}
	return out
}

// MerkleRoot is the RFC 6962 Merkle tree hash of the leaves:
// leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right);
// no leaves give SHA-256("").
func MerkleRoot(leaves [][]byte) ([32]byte, error) {
	var out [32]byte
	total := 0
	for _, l := range leaves {
		total += len(l)
	}
	// One buffer without Go pointers inside: cgo forbids passing C an
	// array of Go pointers.
	flat := make([]byte, 0, total)
	lens := make([]C.size_t, len(leaves))
	for i, l := range leaves {
		flat = append(flat, l...)
		lens[i] = C.size_t(len(l))
	}
	fp, _ := bytesArg(flat)
	var lp *C.size_t
	if len(lens) > 0 {
		lp = &lens[0]
	}
	var msg *C.char
	rc := C.gopq_merkle_root(fp, lp, C.size_t(len(leaves)), (*C.uint8_t)(unsafe.Pointer(&out[0])), &msg)
	if err := fromResult(rc, msg); err != nil {
		return [32]byte{}, err
	}
	return out, nil
}
