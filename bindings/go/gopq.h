/* C wrappers over libpqshift for the Go package: each runs one pqshift_
 * function and, on failure, hands back a malloc'd copy of the calling
 * thread's last-error message in the same C call (see cgo.go). */
#ifndef GOPQ_H
#define GOPQ_H
#include "pqshift.h"
pqshift_result gopq_algorithms(char *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_config_load(const char *path, pqshift_config **out, char **err);
pqshift_result gopq_config_from_toml(const char *toml, pqshift_config **out, char **err);
pqshift_result gopq_config_install(const pqshift_config *c, char **err);
pqshift_result gopq_keygen_from_seed(const pqshift_config *c, const char *alg, const char *prov,
		const uint8_t *seed, size_t seed_len, pqshift_secret_key **out, char **err);
pqshift_result gopq_keygen(const pqshift_config *c, const char *alg, const char *prov,
		pqshift_secret_key **out, char **err);
pqshift_result gopq_secret_key_public_key(const pqshift_secret_key *k, pqshift_public_key **out, char **err);
pqshift_result gopq_secret_key_to_tagged(const pqshift_secret_key *k, char *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_secret_key_to_pem(const pqshift_secret_key *k, char *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_secret_key_from_tagged(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_secret_key **out, char **err);
pqshift_result gopq_secret_key_from_pem(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_secret_key **out, char **err);
pqshift_result gopq_public_key_to_tagged(const pqshift_public_key *k, char *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_public_key_to_pem(const pqshift_public_key *k, char *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_public_key_to_raw(const pqshift_public_key *k, uint8_t *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_public_key_from_tagged(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_public_key **out, char **err);
pqshift_result gopq_public_key_from_pem(const pqshift_config *c, const char *prov,
		const uint8_t *data, size_t len, pqshift_public_key **out, char **err);
pqshift_result gopq_public_key_from_raw(const pqshift_config *c, const char *alg, const char *prov,
		const uint8_t *data, size_t len, pqshift_public_key **out, char **err);
pqshift_result gopq_sign(const pqshift_config *c, const pqshift_secret_key *k,
		const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len, uint32_t flags,
		uint8_t *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_verify(const pqshift_config *c, const pqshift_public_key *k,
		const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len,
		const uint8_t *sig, size_t sig_len, uint32_t flags, char **err);
pqshift_result gopq_verify_with_secret_key(const pqshift_config *c, const pqshift_secret_key *k,
		const uint8_t *msg, size_t msg_len, const uint8_t *ctx, size_t ctx_len,
		const uint8_t *sig, size_t sig_len, uint32_t flags, char **err);
pqshift_result gopq_kem_encapsulate(const pqshift_config *c, const pqshift_public_key *k, uint32_t flags,
		uint8_t *ct, size_t ct_cap, size_t *ct_len, uint8_t *ss, size_t ss_cap, size_t *ss_len, char **err);
pqshift_result gopq_kem_decapsulate(const pqshift_config *c, const pqshift_secret_key *k,
		const uint8_t *ct, size_t ct_len, uint32_t flags, uint8_t *ss, size_t ss_cap, size_t *ss_len, char **err);
pqshift_result gopq_merkle_root(const uint8_t *flat, const size_t *lens, size_t count,
		uint8_t *out32, char **err);
pqshift_result gopq_contract_keygen(const char *alg, uint64_t n, uint8_t *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_contract_sign(const uint8_t *key, size_t key_len, const uint8_t *payload, size_t payload_len,
		uint8_t *out, size_t cap, size_t *len, char **err);
pqshift_result gopq_contract_verify(const uint8_t *key, size_t key_len, const uint8_t *payload, size_t payload_len,
		const uint8_t *sig, size_t sig_len, char **err);
void gopq_bench_sha256_empty(long n);
void gopq_noop(void);
pqshift_result gopq_bench_verify(const pqshift_public_key *k, const uint8_t *msg, size_t msg_len,
		const uint8_t *sig, size_t sig_len, uint32_t flags, long n);
pqshift_result gopq_bench_sign(const pqshift_secret_key *k, const uint8_t *msg, size_t msg_len,
		uint32_t flags, long n);
#endif
