/* Bad input through the C API: every case asserts the exact result code.
 * NULL pointers, zero lengths, short buffers (and the required size they
 * report), wrong algorithm names, truncated signatures, keys of the wrong
 * algorithm or kind, oversized contexts, unknown flags, policy refusals. */
#include "check.h"

static const unsigned char MSG[] = "message";
#define MSG_LEN (sizeof MSG - 1)

static pqshift_config *config(const char *toml) {
    pqshift_config *c = NULL;
    REQUIRE_OK(pqshift_config_from_toml(toml, &c));
    return c;
}

static pqshift_secret_key *keygen(const pqshift_config *cfg, const char *alg, size_t seed_len) {
    unsigned char seed[64];
    memset(seed, 5, sizeof seed);
    pqshift_secret_key *k = NULL;
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, alg, NULL, seed, seed_len, &k));
    return k;
}

static pqshift_public_key *public_of(const pqshift_secret_key *k) {
    pqshift_public_key *p = NULL;
    REQUIRE_OK(pqshift_secret_key_public_key(k, &p));
    return p;
}

static void result_codes(void) {
    CHECK(PQSHIFT_OK == 0);
    CHECK(PQSHIFT_ERR_INVALID_INPUT == 1);
    CHECK(PQSHIFT_ERR_UNSUPPORTED == 2);
    CHECK(PQSHIFT_ERR_VERIFICATION_FAILED == 3);
    CHECK(PQSHIFT_ERR_POLICY == 4);
    CHECK(PQSHIFT_ERR_BUFFER_TOO_SMALL == 5);
    CHECK(PQSHIFT_ERR_PROVIDER == 6);
    CHECK(PQSHIFT_ERR_INTERNAL == 7);
    for (uint32_t a = 0; a <= 7; a++) {
        CHECK(pqshift_result_message(a) != NULL);
        for (uint32_t b = 0; b < a; b++)
            CHECK(strcmp(pqshift_result_message(a), pqshift_result_message(b)) != 0);
    }
    CHECK(strcmp(pqshift_result_message(8), "unknown pqshift result code") == 0);
    CHECK(strcmp(pqshift_result_message(0xffffffffu), "unknown pqshift result code") == 0);
}

static void null_pointers_and_zero_lengths(void) {
    unsigned char seed[32] = {1};
    pqshift_secret_key *k = NULL;
    pqshift_public_key *p = NULL;
    pqshift_config *c = NULL;
    size_t n = 0;
    unsigned char buf[64], h[32];

    CHECK_RC(pqshift_keygen_from_seed(NULL, "ed25519", NULL, NULL, 32, &k), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(k == NULL);
    CHECK(strstr(pqshift_last_error_message(), "seed is NULL") != NULL);
    CHECK_RC(pqshift_keygen_from_seed(NULL, "ed25519", NULL, seed, 32, NULL), PQSHIFT_ERR_INVALID_INPUT);
    /* NULL with length 0 is an empty seed: the wrong length for Ed25519. */
    CHECK_RC(pqshift_keygen_from_seed(NULL, "ed25519", NULL, NULL, 0, &k), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_keygen_from_seed(NULL, "ed25519", NULL, seed, 31, &k), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(strstr(pqshift_last_error_message(), "32") != NULL);
    CHECK(k == NULL);
    CHECK_RC(pqshift_keygen(NULL, "ed25519", NULL, NULL), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_config_from_toml(NULL, &c), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_config_from_toml("[sign]\nalgorithm = \"ed25519\"\n", NULL), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_config_load("/nonexistent/pqshift.toml", NULL), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_config_install(NULL), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_secret_key_public_key(NULL, &p), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_secret_key_to_tagged(NULL, (char *)buf, sizeof buf, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_secret_key_from_tagged(NULL, NULL, NULL, 10, &k), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_secret_key_from_tagged(NULL, NULL, NULL, 0, &k), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_secret_key_from_pem(NULL, NULL, (const uint8_t *)"", 0, &k), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_public_key_from_tagged(NULL, NULL, NULL, 0, &p), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_public_key_from_raw(NULL, NULL, NULL, seed, 32, &p), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_public_key_to_raw(NULL, buf, sizeof buf, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_sign(NULL, NULL, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(NULL, NULL, MSG, MSG_LEN, NULL, 0, buf, 64, 0), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_kem_encapsulate(NULL, NULL, 0, buf, sizeof buf, &n, h, 32, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_kem_decapsulate(NULL, NULL, buf, 10, 0, h, 32, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_algorithms(NULL, 0, NULL), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_sha256(NULL, 5, h), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_sha256(MSG, MSG_LEN, NULL), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_sha256(NULL, 0, h), PQSHIFT_OK);
    CHECK_RC(pqshift_merkle_root(NULL, NULL, 2, h), PQSHIFT_ERR_INVALID_INPUT);
    const uint8_t *leaves[2] = {MSG, NULL};
    size_t lens[2] = {MSG_LEN, 3};
    CHECK_RC(pqshift_merkle_root(leaves, lens, 2, h), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(pqshift_secret_key_algorithm(NULL) == NULL);
    CHECK(pqshift_public_key_algorithm(NULL) == NULL);
    pqshift_secret_key_free(NULL);
    pqshift_public_key_free(NULL);
    pqshift_config_free(NULL);

    /* With a key: NULL message / context / signature pointers. */
    pqshift_secret_key *key = keygen(NULL, "ed25519", 32);
    pqshift_public_key *pub = public_of(key);
    unsigned char sig[64];
    CHECK_RC(pqshift_sign(NULL, key, NULL, 4, NULL, 0, 0, sig, sizeof sig, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_sign(NULL, key, MSG, MSG_LEN, NULL, 0, PQSHIFT_FLAG_RAW, sig, sizeof sig, NULL),
             PQSHIFT_ERR_INVALID_INPUT);
    /* An empty message and context: NULL with length 0 is allowed. */
    CHECK_RC(pqshift_sign(NULL, key, NULL, 0, NULL, 0, PQSHIFT_FLAG_RAW, sig, sizeof sig, &n), PQSHIFT_OK);
    CHECK(n == 64);
    CHECK_RC(pqshift_verify(NULL, pub, NULL, 0, NULL, 0, sig, n, PQSHIFT_FLAG_RAW), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(NULL, pub, NULL, 0, NULL, 0, NULL, 64, PQSHIFT_FLAG_RAW), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(NULL, pub, NULL, 0, NULL, 0, NULL, 0, PQSHIFT_FLAG_RAW), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(NULL, pub, NULL, 0, NULL, 0, NULL, 0, 0), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(NULL, pub, MSG, MSG_LEN, NULL, 7, sig, n, PQSHIFT_FLAG_RAW), PQSHIFT_ERR_INVALID_INPUT);
    pqshift_public_key_free(pub);
    pqshift_secret_key_free(key);
}

static void short_buffers(void) {
    pqshift_config *cfg = config("[sign]\nalgorithm = \"ml-dsa-65\"\n[kem]\nalgorithm = \"ml-kem-768\"\n");
    pqshift_secret_key *key = keygen(cfg, "ml-dsa-65", 32);
    pqshift_public_key *pub = public_of(key);
    static unsigned char buf[8192];
    size_t n = 0;

    /* Raw signature: 3309 bytes. One byte short reports 3309 and writes nothing. */
    memset(buf, 0xAA, sizeof buf);
    CHECK_RC(pqshift_sign(cfg, key, MSG, MSG_LEN, NULL, 0, PQSHIFT_FLAG_RAW, buf, 3308, &n),
             PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n == 3309);
    CHECK(buf[0] == 0xAA && buf[3307] == 0xAA);
    CHECK(strstr(pqshift_last_error_message(), "3309") != NULL);
    CHECK_RC(pqshift_sign(cfg, key, MSG, MSG_LEN, NULL, 0, PQSHIFT_FLAG_RAW, NULL, 4000, &n),
             PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n == 3309);
    CHECK_RC(pqshift_sign(cfg, key, MSG, MSG_LEN, NULL, 0, PQSHIFT_FLAG_RAW, buf, 3309, &n), PQSHIFT_OK);
    CHECK(n == 3309);
    /* Raw public key: 1952 bytes. */
    CHECK_RC(pqshift_public_key_to_raw(pub, buf, 10, &n), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n == 1952);
    /* Text: the required size counts the NUL. */
    size_t need = 0;
    CHECK_RC(pqshift_public_key_to_pem(pub, NULL, 0, &need), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK_RC(pqshift_public_key_to_pem(pub, (char *)buf, need - 1, &n), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n == need);
    CHECK_RC(pqshift_public_key_to_pem(pub, (char *)buf, need, &n), PQSHIFT_OK);
    CHECK(n == need && buf[need - 1] == 0 && strlen((char *)buf) == need - 1);
    CHECK_RC(pqshift_algorithms((char *)buf, 3, &n), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n > 3);

    /* KEM: either short buffer reports both sizes; nothing is written. */
    pqshift_secret_key *dk = keygen(cfg, "ml-kem-768", 64);
    pqshift_public_key *ek = public_of(dk);
    unsigned char ct[1088], ss[32];
    size_t ct_len = 0, ss_len = 0;
    memset(ss, 0xAA, sizeof ss);
    CHECK_RC(pqshift_kem_encapsulate(cfg, ek, PQSHIFT_FLAG_RAW, ct, sizeof ct, &ct_len, ss, 16, &ss_len),
             PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(ct_len == 1088 && ss_len == 32 && ss[0] == 0xAA);
    CHECK_RC(pqshift_kem_encapsulate(cfg, ek, PQSHIFT_FLAG_RAW, ct, 1087, &ct_len, ss, 32, &ss_len),
             PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(ct_len == 1088 && ss_len == 32 && ss[0] == 0xAA);
    CHECK_RC(pqshift_kem_encapsulate(cfg, ek, PQSHIFT_FLAG_RAW, ct, sizeof ct, &ct_len, ss, 32, &ss_len), PQSHIFT_OK);
    unsigned char ss2[32];
    CHECK_RC(pqshift_kem_decapsulate(cfg, dk, ct, ct_len, PQSHIFT_FLAG_RAW, ss2, 31, &n), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n == 32);
    CHECK_RC(pqshift_kem_decapsulate(cfg, dk, ct, ct_len, PQSHIFT_FLAG_RAW, NULL, 0, &n), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n == 32);
    /* A truncated or empty ciphertext, raw or tagged. */
    CHECK_RC(pqshift_kem_decapsulate(cfg, dk, ct, ct_len - 1, PQSHIFT_FLAG_RAW, ss2, 32, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_kem_decapsulate(cfg, dk, NULL, 0, 0, ss2, 32, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_kem_decapsulate(cfg, dk, ct, ct_len, 0, ss2, 32, &n), PQSHIFT_ERR_INVALID_INPUT);

    pqshift_public_key_free(ek);
    pqshift_secret_key_free(dk);
    pqshift_public_key_free(pub);
    pqshift_secret_key_free(key);
    pqshift_config_free(cfg);
}

static void algorithms_names_and_kinds(void) {
    pqshift_secret_key *k = NULL;
    pqshift_public_key *p = NULL;
    pqshift_config *c = NULL;
    unsigned char seed[64] = {3};
    CHECK_RC(pqshift_keygen_from_seed(NULL, "ml-dsa-66", NULL, seed, 32, &k), PQSHIFT_ERR_UNSUPPORTED);
    CHECK(strstr(pqshift_last_error_message(), "ml-dsa-66") != NULL);
    CHECK_RC(pqshift_keygen_from_seed(NULL, "", NULL, seed, 32, &k), PQSHIFT_ERR_UNSUPPORTED);
    CHECK_RC(pqshift_keygen_from_seed(NULL, "ed25519", "no-such-provider", seed, 32, &k), PQSHIFT_ERR_UNSUPPORTED);
    CHECK_RC(pqshift_public_key_from_raw(NULL, "rsa", NULL, seed, 32, &p), PQSHIFT_ERR_UNSUPPORTED);
    CHECK_RC(pqshift_config_from_toml("[sign]\nalgorithm = \"rsa-2048\"\n", &c), PQSHIFT_ERR_UNSUPPORTED);
    CHECK(c == NULL);
    CHECK_RC(pqshift_config_from_toml("[sign]\nalgorithm = \"ed25519\"\nbogus = 1\n", &c), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_config_from_toml("[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n", &c), PQSHIFT_ERR_POLICY);
    CHECK(k == NULL && p == NULL && c == NULL);
    /* Aliases are accepted on input; the canonical name comes back. */
    REQUIRE_OK(pqshift_keygen_from_seed(NULL, "ML-DSA-65", NULL, seed, 32, &k));
    CHECK(strcmp(pqshift_secret_key_algorithm(k), "ml-dsa-65") == 0);
    pqshift_secret_key_free(k);
    REQUIRE_OK(pqshift_keygen_from_seed(NULL, "2.16.840.1.101.3.4.3.17", NULL, seed, 32, &k));
    CHECK(strcmp(pqshift_secret_key_algorithm(k), "ml-dsa-44") == 0);
    pqshift_secret_key_free(k);
    k = NULL;
    /* The placeholder is refused without allow_insecure (the default config). */
    CHECK_RC(pqshift_keygen_from_seed(NULL, "insecure-test-hmac-sha256", NULL, seed, 32, &k), PQSHIFT_ERR_POLICY);
    /* An ML-KEM seed is 64 bytes. */
    CHECK_RC(pqshift_keygen_from_seed(NULL, "ml-kem-512", NULL, seed, 32, &k), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(k == NULL);
}

static void wrong_keys_signatures_contexts_flags(void) {
    pqshift_config *cfg = config("[sign]\nalgorithm = \"ml-dsa-65\"\n"
                                 "[verify]\naccept = [\"ml-dsa-65\", \"ml-dsa-44\"]\n");
    pqshift_config *only65 = config("[sign]\nalgorithm = \"ml-dsa-65\"\n");
    pqshift_secret_key *k65 = keygen(cfg, "ml-dsa-65", 32);
    pqshift_secret_key *k44 = keygen(cfg, "ml-dsa-44", 32);
    pqshift_secret_key *kem = keygen(cfg, "ml-kem-512", 64);
    pqshift_public_key *p65 = public_of(k65);
    pqshift_public_key *p44 = public_of(k44);
    pqshift_public_key *ek = public_of(kem);
    static unsigned char sig[8192], ctx[256];
    size_t n = 0, m = 0;
    memset(ctx, 'c', sizeof ctx);

    /* Signing: a key of another algorithm than [sign] is a policy error. */
    CHECK_RC(pqshift_sign(cfg, k44, MSG, MSG_LEN, NULL, 0, 0, sig, sizeof sig, &n), PQSHIFT_ERR_POLICY);
    CHECK_RC(pqshift_sign(cfg, kem, MSG, MSG_LEN, NULL, 0, 0, sig, sizeof sig, &n), PQSHIFT_ERR_INVALID_INPUT);
    /* Contexts: 255 bytes is the limit, on sign and on verify. */
    CHECK_RC(pqshift_sign(cfg, k65, MSG, MSG_LEN, ctx, 256, 0, sig, sizeof sig, &n), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(strstr(pqshift_last_error_message(), "255") != NULL);
    CHECK_RC(pqshift_sign(cfg, k65, MSG, MSG_LEN, ctx, 255, 0, sig, sizeof sig, &n), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, ctx, 255, sig, n, 0), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, ctx, 256, sig, n, 0), PQSHIFT_ERR_INVALID_INPUT);
    /* Unknown flag bits; DETERMINISTIC means nothing to verify. */
    CHECK_RC(pqshift_sign(cfg, k65, MSG, MSG_LEN, NULL, 0, 4, sig, sizeof sig, &m), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, ctx, 255, sig, n, PQSHIFT_FLAG_DETERMINISTIC),
             PQSHIFT_ERR_INVALID_INPUT);
    /* Truncated signatures, tagged and raw; trailing bytes. */
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, ctx, 255, sig, n - 1, 0), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, ctx, 255, sig, 10, 0), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, ctx, 255, sig, n + 1, 0), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_sign(cfg, k65, MSG, MSG_LEN, NULL, 0, PQSHIFT_FLAG_RAW, sig, sizeof sig, &n), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, NULL, 0, sig, n - 1, PQSHIFT_FLAG_RAW), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_verify(cfg, p65, MSG, MSG_LEN, NULL, 0, sig, n, PQSHIFT_FLAG_RAW), PQSHIFT_OK);
    /* A raw ML-DSA-65 signature is not an ML-DSA-44 one (lengths differ). */
    CHECK_RC(pqshift_verify(cfg, p44, MSG, MSG_LEN, NULL, 0, sig, n, PQSHIFT_FLAG_RAW), PQSHIFT_ERR_INVALID_INPUT);
    /* A tagged ML-DSA-65 signature under an ML-DSA-44 key: mismatch, not "invalid signature". */
    CHECK_RC(pqshift_sign(cfg, k65, MSG, MSG_LEN, NULL, 0, 0, sig, sizeof sig, &n), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(cfg, p44, MSG, MSG_LEN, NULL, 0, sig, n, 0), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(strstr(pqshift_last_error_message(), "mismatch") != NULL);
    /* An algorithm the configuration does not accept is a policy error. */
    pqshift_config *c44 = config("[sign]\nalgorithm = \"ml-dsa-44\"\n");
    CHECK_RC(pqshift_sign(c44, k44, MSG, MSG_LEN, NULL, 0, 0, sig, sizeof sig, &n), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(cfg, p44, MSG, MSG_LEN, NULL, 0, sig, n, 0), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(only65, p44, MSG, MSG_LEN, NULL, 0, sig, n, 0), PQSHIFT_ERR_POLICY);
    /* KEM keys cannot sign or verify; signature keys cannot encapsulate or decapsulate. */
    CHECK_RC(pqshift_verify(cfg, ek, MSG, MSG_LEN, NULL, 0, sig, n, 0), PQSHIFT_ERR_INVALID_INPUT);
    unsigned char ct[800], ss[32];
    CHECK_RC(pqshift_kem_encapsulate(cfg, p65, 0, ct, sizeof ct, &n, ss, 32, &m), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_kem_decapsulate(cfg, k65, ct, 768, PQSHIFT_FLAG_RAW, ss, 32, &m), PQSHIFT_ERR_INVALID_INPUT);
    /* A KEM the [kem] section does not name is a policy error. */
    pqshift_config *kem768 = config("[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-768\"\n");
    CHECK_RC(pqshift_kem_encapsulate(kem768, ek, PQSHIFT_FLAG_RAW, ct, sizeof ct, &n, ss, 32, &m), PQSHIFT_ERR_POLICY);
    /* A tagged ML-KEM-512 ciphertext to an ML-KEM-768 key. */
    pqshift_secret_key *kem2 = keygen(cfg, "ml-kem-768", 64);
    static unsigned char tct[2048];
    CHECK_RC(pqshift_kem_encapsulate(cfg, ek, 0, tct, sizeof tct, &n, ss, 32, &m), PQSHIFT_OK);
    CHECK_RC(pqshift_kem_decapsulate(cfg, kem2, tct, n, 0, ss, 32, &m), PQSHIFT_ERR_INVALID_INPUT);
    /* Ed25519 (RFC 8032 pure) has no context string: an unsupported operation. */
    pqshift_secret_key *ed = keygen(NULL, "ed25519", 32);
    CHECK_RC(pqshift_sign(NULL, ed, MSG, MSG_LEN, ctx, 3, 0, sig, sizeof sig, &n), PQSHIFT_ERR_UNSUPPORTED);
    /* Garbage where a key is expected. */
    pqshift_secret_key *bad = NULL;
    pqshift_public_key *badp = NULL;
    CHECK_RC(pqshift_secret_key_from_tagged(NULL, NULL, MSG, MSG_LEN, &bad), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_secret_key_from_pem(NULL, NULL, MSG, MSG_LEN, &bad), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_public_key_from_pem(NULL, NULL, MSG, MSG_LEN, &badp), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(pqshift_public_key_from_raw(NULL, "ed25519", NULL, MSG, MSG_LEN, &badp), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(bad == NULL && badp == NULL);
    /* A public key in tagged form is not a secret key. */
    char text[8192];
    REQUIRE_OK(pqshift_public_key_to_tagged(p65, text, sizeof text, &n));
    CHECK_RC(pqshift_secret_key_from_tagged(cfg, NULL, (const uint8_t *)text, n, &bad), PQSHIFT_ERR_INVALID_INPUT);
    /* A corrupted seed no longer matches the key's fingerprint. */
    REQUIRE_OK(pqshift_secret_key_to_tagged(k65, text, sizeof text, &n));
    text[n - 10] = text[n - 10] == 'A' ? 'B' : 'A';
    CHECK_RC(pqshift_secret_key_from_tagged(cfg, NULL, (const uint8_t *)text, n, &bad), PQSHIFT_ERR_INVALID_INPUT);
    memset(text, 0, sizeof text);

    pqshift_secret_key_free(ed);
    pqshift_secret_key_free(kem2);
    pqshift_config_free(kem768);
    pqshift_config_free(c44);
    pqshift_public_key_free(ek);
    pqshift_public_key_free(p44);
    pqshift_public_key_free(p65);
    pqshift_secret_key_free(kem);
    pqshift_secret_key_free(k44);
    pqshift_secret_key_free(k65);
    pqshift_config_free(only65);
    pqshift_config_free(cfg);
}

int main(void) {
    result_codes();
    /* NULL configs: $PQSHIFT_CONFIG (unset by the driver) or the built-in default. */
    null_pointers_and_zero_lengths();
    short_buffers();
    algorithms_names_and_kinds();
    wrong_keys_signatures_contexts_flags();
    return finish("errors");
}
