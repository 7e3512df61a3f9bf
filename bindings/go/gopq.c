/* The C wrappers declared in gopq.h. */
#include <stdlib.h>
#include <string.h>
#include "gopq.h"

// On failure (other than a length query), a malloc'd copy of the calling
// thread's last-error message goes to *err; the Go side frees it.
static pqshift_result gopq_done(pqshift_result rc, char **err) {
	if (rc != PQSHIFT_OK && rc != PQSHIFT_ERR_BUFFER_TOO_SMALL) {
		const char *m = pqshift_last_error_message();
		size_t n = strlen(m);
		char *copy = malloc(n + 1);
		if (copy != NULL) {
			memcpy(copy, m, n + 1);
		}
		*err = copy;
	}
	return rc;
}

pqshift_result gopq_algorithms(char *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_algorithms(out, cap, len), err);
}
pqshift_result gopq_config_load(const char *path, pqshift_config **out, char **err) {
	return gopq_done(pqshift_config_load(path, out), err);
}
pqshift_result gopq_config_from_toml(const char *toml, pqshift_config **out, char **err) {
	return gopq_done(pqshift_config_from_toml(toml, out), err);
}
pqshift_result gopq_config_install(const pqshift_config *c, char **err) {
	return gopq_done(pqshift_config_install(c), err);
}
pqshift_result gopq_keygen_from_seed(const pqshift_config *c, const char *alg, const char *prov,
		const uint8_t *seed, size_t seed_len, pqshift_secret_key **out, char **err) {
	return gopq_done(pqshift_keygen_from_seed(c, alg, prov, seed, seed_len, out), err);
}
pqshift_result gopq_keygen(const pqshift_config *c, const char *alg, const char *prov,
		pqshift_secret_key **out, char **err) {
	return gopq_done(pqshift_keygen(c, alg, prov, out), err);
}
pqshift_result gopq_secret_key_public_key(const pqshift_secret_key *k, pqshift_public_key **out, char **err) {
	return gopq_done(pqshift_secret_key_public_key(k, out), err);
}
pqshift_result gopq_secret_key_to_tagged(const pqshift_secret_key *k, char *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_secret_key_to_tagged(k, out, cap, len), err);
}
pqshift_result gopq_secret_key_to_pem(const pqshift_secret_key *k, char *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_secret_key_to_pem(k, out, cap, len), err);
}
pqshift_result gopq_secret_key_from_tagged(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_secret_key **out, char **err) {
	return gopq_done(pqshift_secret_key_from_tagged(c, prov, data, len, out), err);
}
pqshift_result gopq_secret_key_from_pem(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_secret_key **out, char **err) {
	return gopq_done(pqshift_secret_key_from_pem(c, prov, data, len, out), err);
}
pqshift_result gopq_public_key_to_tagged(const pqshift_public_key *k, char *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_public_key_to_tagged(k, out, cap, len), err);
}
pqshift_result gopq_public_key_to_pem(const pqshift_public_key *k, char *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_public_key_to_pem(k, out, cap, len), err);
}
pqshift_result gopq_public_key_to_raw(const pqshift_public_key *k, uint8_t *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_public_key_to_raw(k, out, cap, len), err);
}
pqshift_result gopq_public_key_from_tagged(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_public_key **out, char **err) {
	return gopq_done(pqshift_public_key_from_tagged(c, prov, data, len, out), err);
}
pqshift_result gopq_public_key_from_pem(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_public_key **out, char **err) {
	return gopq_done(pqshift_public_key_from_pem(c, prov, data, len, out), err);
}
pqshift_result gopq_public_key_from_raw(const pqshift_config *c, const char *alg, const char *prov,
		const uint8_t *data, size_t len, pqshift_public_key **out, char **err) {
	return gopq_done(pqshift_public_key_from_raw(c, alg, prov, data, len, out), err);
}
pqshift_result gopq_sign(const pqshift_config *c, const pqshift_secret_key *k,
		const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len, uint32_t flags,
		uint8_t *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_sign(c, k, msg, msg_len, ctx, ctx_len, flags, out, cap, len), err);
}
pqshift_result gopq_verify(const pqshift_config *c, const pqshift_public_key *k,
		const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len,
		const uint8_t *sig, size_t sig_len, uint32_t flags, char **err) {
	return gopq_done(pqshift_verify(c, k, msg, msg_len, ctx, ctx_len, sig, sig_len, flags), err);
}
pqshift_result gopq_verify_with_secret_key(const pqshift_config *c, const pqshift_secret_key *k,
		const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len,
		const uint8_t *sig, size_t sig_len, uint32_t flags, char **err) {
	return gopq_done(pqshift_verify_with_secret_key(c, k, msg, msg_len, ctx, ctx_len, sig, sig_len, flags), err);
}
pqshift_result gopq_kem_encapsulate(const pqshift_config *c, const pqshift_public_key *k, uint32_t flags,
		uint8_t *ct, size_t ct_cap, size_t *ct_len, uint8_t *ss, size_t ss_cap, size_t *ss_len, char **err) {
	return gopq_done(pqshift_kem_encapsulate(c, k, flags, ct, ct_cap, ct_len, ss, ss_cap, ss_len), err);
}
pqshift_result gopq_kem_decapsulate(const pqshift_config *c, const pqshift_secret_key *k,
		const uint8_t *ct, size_t ct_len, uint32_t flags, uint8_t *ss, size_t ss_cap, size_t *ss_len, char **err) {
	return gopq_done(pqshift_kem_decapsulate(c, k, ct, ct_len, flags, ss, ss_cap, ss_len), err);
}

// Go may not store Go pointers in C memory, so the leaves come as one
// concatenated buffer and their lengths; the pointer array is built here.
pqshift_result gopq_merkle_root(const uint8_t *flat, const size_t *lens, size_t count,
		uint8_t *out32, char **err) {
	const uint8_t **leaves = NULL;
	if (count > 0) {
		leaves = malloc(count * sizeof *leaves);
		if (leaves == NULL) {
			return PQSHIFT_ERR_INTERNAL;
		}
		size_t off = 0;
		for (size_t i = 0; i < count; i++) {
			leaves[i] = lens[i] == 0 ? NULL : flat + off;
			off += lens[i];
		}
	}
	pqshift_result rc = gopq_done(pqshift_merkle_root(leaves, lens, count, out32), err);
	free(leaves);
	return rc;
}

// For the benchmarks: n calls of pqshift_sha256 on 0 bytes in one C loop,
// the cost of the C call without cgo.
void gopq_bench_sha256_empty(long n) {
	uint8_t out[32];
	for (long i = 0; i < n; i++) {
		pqshift_sha256(NULL, 0, out);
	}
}
pqshift_result gopq_contract_keygen(const char *alg, uint64_t n, uint8_t *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_contract_keygen(alg, n, out, cap, len), err);
}
pqshift_result gopq_contract_sign(const uint8_t *key, size_t key_len, const uint8_t *payload, size_t payload_len,
		uint8_t *out, size_t cap, size_t *len, char **err) {
	return gopq_done(pqshift_contract_sign(key, key_len, payload, payload_len, out, cap, len), err);
}
pqshift_result gopq_contract_verify(const uint8_t *key, size_t key_len, const uint8_t *payload, size_t payload_len,
		const uint8_t *sig, size_t sig_len, char **err) {
	return gopq_done(pqshift_contract_verify(key, key_len, payload, payload_len, sig, sig_len), err);
}

/* For the benchmarks: the cost of a cgo call itself. */
void gopq_noop(void) {}

/* For the benchmarks: n verifications (or signatures) in one C loop, the
 * cost of the C call without cgo. Returns the last result. */
pqshift_result gopq_bench_verify(const pqshift_public_key *k, const uint8_t *msg, size_t msg_len,
		const uint8_t *sig, size_t sig_len, uint32_t flags, long n) {
	pqshift_result rc = PQSHIFT_OK;
	for (long i = 0; i < n; i++) {
		rc = pqshift_verify(NULL, k, msg, msg_len, NULL, 0, sig, sig_len, flags);
	}
	return rc;
}
pqshift_result gopq_bench_sign(const pqshift_secret_key *k, const uint8_t *msg, size_t msg_len,
		uint32_t flags, long n) {
	uint8_t sig[128];
	size_t len = 0;
	pqshift_result rc = PQSHIFT_OK;
	for (long i = 0; i < n; i++) {
		rc = pqshift_sign(NULL, k, msg, msg_len, NULL, 0, flags, sig, sizeof sig, &len);
	}
	return rc;
}
