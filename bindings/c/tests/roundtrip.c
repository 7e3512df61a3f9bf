/* Round trips through the C API for every algorithm: keys from seeds, sign /
 * verify with a context, encapsulate / decapsulate, tagged, PEM and raw
 * encodings, the insecure placeholder under allow_insecure, and hashing. */
#include "check.h"

static const unsigned char MSG[] = "a stored record";
#define MSG_LEN (sizeof MSG - 1)

static pqshift_config *config(const char *toml) {
    pqshift_config *c = NULL;
    REQUIRE_OK(pqshift_config_from_toml(toml, &c));
    return c;
}

/* Signs with a length query first; returns a malloc'd signature. */
static unsigned char *sign(const pqshift_config *cfg, const pqshift_secret_key *key,
                           const unsigned char *ctx, size_t ctx_len, uint32_t flags,
                           size_t *len) {
    size_t need = 0;
    CHECK_RC(pqshift_sign(cfg, key, MSG, MSG_LEN, ctx, ctx_len, flags, NULL, 0, &need),
             PQSHIFT_ERR_BUFFER_TOO_SMALL);
    unsigned char *sig = alloc_or_die(need);
    REQUIRE_OK(pqshift_sign(cfg, key, MSG, MSG_LEN, ctx, ctx_len, flags, sig, need, len));
    CHECK(*len == need);
    return sig;
}

/* Any text output (tagged, PEM) through a length query; malloc'd, NUL-terminated. */
static char *secret_text(pqshift_result (*f)(const pqshift_secret_key *, char *, size_t, size_t *),
                         const pqshift_secret_key *key, size_t *len) {
    size_t need = 0;
    CHECK_RC(f(key, NULL, 0, &need), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    char *text = (char *)alloc_or_die(need);
    REQUIRE_OK(f(key, text, need, len));
    CHECK(*len == need && strlen(text) + 1 == need);
    return text;
}

static char *public_text(pqshift_result (*f)(const pqshift_public_key *, char *, size_t, size_t *),
                         const pqshift_public_key *key, size_t *len) {
    size_t need = 0;
    CHECK_RC(f(key, NULL, 0, &need), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    char *text = (char *)alloc_or_die(need);
    REQUIRE_OK(f(key, text, need, len));
    CHECK(*len == need && strlen(text) + 1 == need);
    return text;
}

static void signature_round_trip(const char *alg, size_t raw_sig_len, size_t raw_pk_len,
                                 int with_context) {
    char toml[200];
    snprintf(toml, sizeof toml, "[sign]\nalgorithm = \"%s\"\n", alg);
    pqshift_config *cfg = config(toml);
    unsigned char seed[32];
    memset(seed, 0x42, sizeof seed);
    const unsigned char ctx[] = "app-v1";
    size_t ctx_len = with_context ? sizeof ctx - 1 : 0;

    pqshift_secret_key *key = NULL;
    pqshift_public_key *pub = NULL;
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, alg, NULL, seed, sizeof seed, &key));
    CHECK(strcmp(pqshift_secret_key_algorithm(key), alg) == 0);
    REQUIRE_OK(pqshift_secret_key_public_key(key, &pub));
    CHECK(strcmp(pqshift_public_key_algorithm(pub), alg) == 0);

    /* Tagged signature, hedged: verifies; a changed message or context does not. */
    size_t sig_len = 0;
    unsigned char *sig = sign(cfg, key, ctx, ctx_len, 0, &sig_len);
    CHECK(sig_len > raw_sig_len);
    CHECK_RC(pqshift_verify(cfg, pub, MSG, MSG_LEN, ctx, ctx_len, sig, sig_len, 0), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(cfg, pub, MSG, MSG_LEN - 1, ctx, ctx_len, sig, sig_len, 0),
             PQSHIFT_ERR_VERIFICATION_FAILED);
    if (with_context) {
        CHECK_RC(pqshift_verify(cfg, pub, MSG, MSG_LEN, ctx, ctx_len - 1, sig, sig_len, 0),
                 PQSHIFT_ERR_VERIFICATION_FAILED);
    }
    sig[sig_len - 1] ^= 1;
    CHECK_RC(pqshift_verify(cfg, pub, MSG, MSG_LEN, ctx, ctx_len, sig, sig_len, 0),
             PQSHIFT_ERR_VERIFICATION_FAILED);
    CHECK(strcmp(pqshift_last_error_message(), "signature verification failed") == 0);
    sig[sig_len - 1] ^= 1;
    CHECK_RC(pqshift_verify_with_secret_key(cfg, key, MSG, MSG_LEN, ctx, ctx_len, sig, sig_len, 0),
             PQSHIFT_OK);
    CHECK(strcmp(pqshift_last_error_message(), "") == 0);

    /* Deterministic, raw: the same bytes twice, of the standard length. */
    size_t d1_len = 0, d2_len = 0;
    unsigned char *d1 = sign(cfg, key, ctx, ctx_len, PQSHIFT_FLAG_DETERMINISTIC | PQSHIFT_FLAG_RAW, &d1_len);
    unsigned char *d2 = sign(cfg, key, ctx, ctx_len, PQSHIFT_FLAG_DETERMINISTIC | PQSHIFT_FLAG_RAW, &d2_len);
    CHECK(d1_len == raw_sig_len && d2_len == raw_sig_len);
    CHECK(memcmp(d1, d2, raw_sig_len) == 0);
    CHECK_RC(pqshift_verify(cfg, pub, MSG, MSG_LEN, ctx, ctx_len, d1, d1_len, PQSHIFT_FLAG_RAW),
             PQSHIFT_OK);

    /* Secret key: tagged and PEM round trips sign what the original public key verifies. */
    pqshift_result (*secret_fns[2])(const pqshift_secret_key *, char *, size_t, size_t *) = {
        pqshift_secret_key_to_tagged, pqshift_secret_key_to_pem};
    pqshift_result (*secret_loaders[2])(const pqshift_config *, const char *, const uint8_t *,
                                        size_t, pqshift_secret_key **) = {
        pqshift_secret_key_from_tagged, pqshift_secret_key_from_pem};
    for (int i = 0; i < 2; i++) {
        size_t len = 0;
        char *text = secret_text(secret_fns[i], key, &len);
        CHECK(strncmp(text, i == 0 ? "pqshift1:" : "-----BEGIN PRIVATE KEY-----", 9) == 0);
        pqshift_secret_key *again = NULL;
        /* Without its NUL, as a file would hold it. */
        REQUIRE_OK(secret_loaders[i](cfg, NULL, (const uint8_t *)text, len - 1, &again));
        size_t s_len = 0;
        unsigned char *s = sign(cfg, again, ctx, ctx_len, PQSHIFT_FLAG_DETERMINISTIC | PQSHIFT_FLAG_RAW, &s_len);
        CHECK(s_len == d1_len && memcmp(s, d1, s_len) == 0);
        free(s);
        pqshift_secret_key_free(again);
        memset(text, 0, len);
        free(text);
    }

    /* Public key: tagged, PEM and raw round trips verify. */
    pqshift_result (*public_fns[2])(const pqshift_public_key *, char *, size_t, size_t *) = {
        pqshift_public_key_to_tagged, pqshift_public_key_to_pem};
    pqshift_result (*public_loaders[2])(const pqshift_config *, const char *, const uint8_t *,
                                        size_t, pqshift_public_key **) = {
        pqshift_public_key_from_tagged, pqshift_public_key_from_pem};
    for (int i = 0; i < 2; i++) {
        size_t len = 0;
        char *text = public_text(public_fns[i], pub, &len);
        pqshift_public_key *again = NULL;
        REQUIRE_OK(public_loaders[i](cfg, NULL, (const uint8_t *)text, len, &again));
        CHECK_RC(pqshift_verify(cfg, again, MSG, MSG_LEN, ctx, ctx_len, sig, sig_len, 0), PQSHIFT_OK);
        pqshift_public_key_free(again);
        free(text);
    }
    size_t raw_len = 0;
    CHECK_RC(pqshift_public_key_to_raw(pub, NULL, 0, &raw_len), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(raw_len == raw_pk_len);
    unsigned char *raw = alloc_or_die(raw_len);
    REQUIRE_OK(pqshift_public_key_to_raw(pub, raw, raw_len, &raw_len));
    pqshift_public_key *from_raw = NULL;
    REQUIRE_OK(pqshift_public_key_from_raw(cfg, alg, NULL, raw, raw_len, &from_raw));
    CHECK_RC(pqshift_verify(cfg, from_raw, MSG, MSG_LEN, ctx, ctx_len, d1, d1_len, PQSHIFT_FLAG_RAW),
             PQSHIFT_OK);
    pqshift_public_key_free(from_raw);

    free(raw);
    free(d1);
    free(d2);
    free(sig);
    pqshift_public_key_free(pub);
    pqshift_secret_key_free(key);
    pqshift_config_free(cfg);
}

static void kem_round_trip(const char *alg, size_t raw_ct_len) {
    char toml[200];
    snprintf(toml, sizeof toml, "[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"%s\"\n", alg);
    pqshift_config *cfg = config(toml);
    unsigned char seed[64];
    for (size_t i = 0; i < sizeof seed; i++) seed[i] = (unsigned char)i;

    pqshift_secret_key *key = NULL;
    pqshift_public_key *ek = NULL;
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, alg, NULL, seed, sizeof seed, &key));
    REQUIRE_OK(pqshift_secret_key_public_key(key, &ek));

    for (int raw = 0; raw < 2; raw++) {
        uint32_t flags = raw ? PQSHIFT_FLAG_RAW : 0;
        size_t ct_len = 0, ss_len = 0;
        CHECK_RC(pqshift_kem_encapsulate(cfg, ek, flags, NULL, 0, &ct_len, NULL, 0, &ss_len),
                 PQSHIFT_ERR_BUFFER_TOO_SMALL);
        CHECK(ss_len == 32);
        CHECK(raw ? ct_len == raw_ct_len : ct_len > raw_ct_len);
        unsigned char *ct = alloc_or_die(ct_len);
        unsigned char ss[32], ss2[32];
        REQUIRE_OK(pqshift_kem_encapsulate(cfg, ek, flags, ct, ct_len, &ct_len, ss, sizeof ss, &ss_len));
        size_t n = 0;
        REQUIRE_OK(pqshift_kem_decapsulate(cfg, key, ct, ct_len, flags, ss2, sizeof ss2, &n));
        CHECK(n == 32 && memcmp(ss, ss2, 32) == 0);
        /* Implicit rejection: a modified ciphertext gives another secret, not an error. */
        ct[ct_len - 1] ^= 1;
        CHECK_RC(pqshift_kem_decapsulate(cfg, key, ct, ct_len, flags, ss2, sizeof ss2, &n), PQSHIFT_OK);
        CHECK(memcmp(ss, ss2, 32) != 0);
        ct[ct_len - 1] ^= 1;

        /* The decapsulation key survives its tagged and PEM forms. */
        pqshift_result (*fns[2])(const pqshift_secret_key *, char *, size_t, size_t *) = {
            pqshift_secret_key_to_tagged, pqshift_secret_key_to_pem};
        pqshift_result (*loaders[2])(const pqshift_config *, const char *, const uint8_t *, size_t,
                                     pqshift_secret_key **) = {pqshift_secret_key_from_tagged,
                                                               pqshift_secret_key_from_pem};
        for (int i = 0; i < 2; i++) {
            size_t len = 0;
            char *text = secret_text(fns[i], key, &len);
            pqshift_secret_key *again = NULL;
            REQUIRE_OK(loaders[i](cfg, NULL, (const uint8_t *)text, len, &again));
            CHECK_RC(pqshift_kem_decapsulate(cfg, again, ct, ct_len, flags, ss2, sizeof ss2, &n), PQSHIFT_OK);
            CHECK(memcmp(ss, ss2, 32) == 0);
            pqshift_secret_key_free(again);
            memset(text, 0, len);
            free(text);
        }
        free(ct);
    }

    /* The encapsulation key survives its PEM form. */
    size_t len = 0;
    char *pem = public_text(pqshift_public_key_to_pem, ek, &len);
    pqshift_public_key *again = NULL;
    REQUIRE_OK(pqshift_public_key_from_pem(cfg, NULL, (const uint8_t *)pem, len, &again));
    CHECK(strcmp(pqshift_public_key_algorithm(again), alg) == 0);
    pqshift_public_key_free(again);
    free(pem);

    pqshift_public_key_free(ek);
    pqshift_secret_key_free(key);
    pqshift_config_free(cfg);
}

static void placeholder_round_trip(void) {
    const char *alg = "insecure-test-hmac-sha256";
    pqshift_config *cfg = config("[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n"
                                 "[policy]\nallow_insecure = true\n");
    unsigned char seed[32] = {7};
    pqshift_secret_key *key = NULL;
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, alg, NULL, seed, sizeof seed, &key));
    const unsigned char ctx[] = "ctx";
    size_t tag_len = 0;
    unsigned char *tag = sign(cfg, key, ctx, 3, 0, &tag_len);
    CHECK_RC(pqshift_verify_with_secret_key(cfg, key, MSG, MSG_LEN, ctx, 3, tag, tag_len, 0), PQSHIFT_OK);
    CHECK_RC(pqshift_verify_with_secret_key(cfg, key, MSG, MSG_LEN, ctx, 2, tag, tag_len, 0),
             PQSHIFT_ERR_VERIFICATION_FAILED);
    /* A MAC has no public key. */
    pqshift_public_key *pub = NULL;
    CHECK_RC(pqshift_secret_key_public_key(key, &pub), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(pub == NULL);
    /* Tagged round trip. */
    size_t len = 0;
    char *text = secret_text(pqshift_secret_key_to_tagged, key, &len);
    pqshift_secret_key *again = NULL;
    REQUIRE_OK(pqshift_secret_key_from_tagged(cfg, NULL, (const uint8_t *)text, len, &again));
    CHECK_RC(pqshift_verify_with_secret_key(cfg, again, MSG, MSG_LEN, ctx, 3, tag, tag_len, 0), PQSHIFT_OK);
    /* Without allow_insecure the same key is refused on load. */
    pqshift_config *strict = config("[sign]\nalgorithm = \"ed25519\"\n");
    pqshift_secret_key *refused = NULL;
    CHECK_RC(pqshift_secret_key_from_tagged(strict, NULL, (const uint8_t *)text, len, &refused),
             PQSHIFT_ERR_POLICY);
    CHECK(refused == NULL);
    CHECK(strstr(pqshift_last_error_message(), "INSECURE") != NULL);
    pqshift_config_free(strict);
    memset(text, 0, len);
    free(text);
    free(tag);
    pqshift_secret_key_free(again);
    pqshift_secret_key_free(key);
    pqshift_config_free(cfg);
}

static void hex(const unsigned char *b, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", b[i]);
}

static void hashing(void) {
    unsigned char h[PQSHIFT_HASH_LEN];
    char text[2 * PQSHIFT_HASH_LEN + 1];
    REQUIRE_OK(pqshift_sha256((const uint8_t *)"abc", 3, h));
    hex(h, sizeof h, text);
    CHECK(strcmp(text, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
    /* RFC 6962: no leaves -> SHA-256(""); one empty leaf -> SHA-256(0x00). */
    REQUIRE_OK(pqshift_merkle_root(NULL, NULL, 0, h));
    hex(h, sizeof h, text);
    CHECK(strcmp(text, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
    const uint8_t *one[1] = {NULL};
    size_t one_len[1] = {0};
    REQUIRE_OK(pqshift_merkle_root(one, one_len, 1, h));
    hex(h, sizeof h, text);
    CHECK(strcmp(text, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d") == 0);
    /* Two leaves: SHA-256(0x01 || leaf(a) || leaf(b)), computed from the parts. */
    const uint8_t *two[2] = {(const uint8_t *)"a", (const uint8_t *)"b"};
    size_t two_len[2] = {1, 1};
    unsigned char node[1 + 2 * PQSHIFT_HASH_LEN], want[PQSHIFT_HASH_LEN];
    unsigned char leaf[2] = {0x00, 'a'};
    node[0] = 0x01;
    REQUIRE_OK(pqshift_sha256(leaf, 2, node + 1));
    leaf[1] = 'b';
    REQUIRE_OK(pqshift_sha256(leaf, 2, node + 1 + PQSHIFT_HASH_LEN));
    REQUIRE_OK(pqshift_sha256(node, sizeof node, want));
    REQUIRE_OK(pqshift_merkle_root(two, two_len, 2, h));
    CHECK(memcmp(h, want, sizeof h) == 0);
}

static void library(void) {
    CHECK(strlen(pqshift_version()) > 0);
    size_t need = 0;
    CHECK_RC(pqshift_algorithms(NULL, 0, &need), PQSHIFT_ERR_BUFFER_TOO_SMALL);
    char *list = (char *)alloc_or_die(need);
    REQUIRE_OK(pqshift_algorithms(list, need, &need));
    const char *want[] = {"ed25519", "ml-dsa-44", "ml-dsa-65", "ml-dsa-87", "ml-kem-512",
                          "ml-kem-768", "ml-kem-1024", "insecure-test-hmac-sha256"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) CHECK(strstr(list, want[i]) != NULL);
    free(list);
}

int main(void) {
    library();
    signature_round_trip("ed25519", 64, 32, 0);
    signature_round_trip("ml-dsa-44", 2420, 1312, 1);
    signature_round_trip("ml-dsa-65", 3309, 1952, 1);
    signature_round_trip("ml-dsa-87", 4627, 2592, 1);
    kem_round_trip("ml-kem-512", 768);
    kem_round_trip("ml-kem-768", 1088);
    kem_round_trip("ml-kem-1024", 1568);
    placeholder_round_trip();
    hashing();
    return finish("roundtrip");
}
