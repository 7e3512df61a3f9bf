/* The bad-input matrix of the C API (issue #10): one table a reviewer reads.
 *
 * Every case names a call, the exact result code it must return and a piece
 * of the calling thread's last-error message; expect() also checks that the
 * message starts with the code's own prefix ("invalid input: ",
 * "unsupported: ", ...), that a verification failure says nothing more, that
 * a success leaves the message empty, and that a failing call stores no
 * handle. The dimensions:
 *
 *   - every function x NULL pointers (with zero and non-zero lengths) and
 *     NULL out-parameters;
 *   - every function with an output buffer x capacities (NULL, 0, 1, half,
 *     one short, exact, larger): BUFFER_TOO_SMALL reports the size and
 *     writes nothing; buffers are allocated at their exact capacity, so
 *     valgrind sees any write past them;
 *   - every algorithm x wrong seed, key, signature and ciphertext lengths,
 *     keys and signatures of another algorithm or kind, contexts of 256
 *     bytes, unknown flags, invalid signatures, policy refusals;
 *   - every tagged object (binary and text, keys, signatures, ciphertexts)
 *     x every corruption of its envelope;
 *   - unknown algorithm and provider names, bad configuration text, the
 *     insecure placeholder without allow_insecure, freeing NULL handles.
 *
 * errors.c keeps the first, hand-written checks of each kind; this file
 * covers the cross product. It prints "bad_input: N cases". */
#include <pthread.h>

#include "check.h"

static int cases;

/* What a case may make: a failing call must leave all three NULL. */
static pqshift_config *o_cfg;
static pqshift_secret_key *o_sk;
static pqshift_public_key *o_pk;

static const unsigned char MSG[] = "message";
#define MSG_LEN (sizeof MSG - 1)

static const char *prefix_of(pqshift_result rc) {
    switch (rc) {
    case PQSHIFT_ERR_INVALID_INPUT: return "invalid input: ";
    case PQSHIFT_ERR_UNSUPPORTED: return "unsupported: ";
    case PQSHIFT_ERR_VERIFICATION_FAILED: return "signature verification failed";
    case PQSHIFT_ERR_POLICY: return "policy violation: ";
    case PQSHIFT_ERR_BUFFER_TOO_SMALL: return "buffer too small: ";
    case PQSHIFT_ERR_PROVIDER: return "provider failure: ";
    default: return "internal error";
    }
}

/* One case: `got` is the code the call returned (evaluated before the body
 * runs, so the last-error message is the call's). */
static void expect(const char *label, pqshift_result got, pqshift_result want, const char *needle) {
    char msg[2048];
    snprintf(msg, sizeof msg, "%s", pqshift_last_error_message());
    const char *why = NULL;
    cases++;
    if (got != want) {
        why = "wrong result code";
    } else if (want == PQSHIFT_OK) {
        if (msg[0] != '\0') why = "a success left a last-error message";
    } else {
        const char *p = prefix_of(want);
        if (o_cfg != NULL || o_sk != NULL || o_pk != NULL)
            why = "a failing call stored a handle";
        else if (strncmp(msg, p, strlen(p)) != 0)
            why = "the message does not start with the code's prefix";
        else if (want == PQSHIFT_ERR_VERIFICATION_FAILED && strcmp(msg, p) != 0)
            why = "a verification failure carries detail";
        else if (needle != NULL && strstr(msg, needle) == NULL)
            why = "the message lacks the expected detail";
    }
    if (why == NULL) {
        checks_passed++;
    } else {
        checks_failed++;
        fprintf(stderr, "FAIL %s\n  %s: returned %u (%s), wanted %u (%s)%s%s\n  message: \"%s\"\n", label, why,
                (unsigned)got, pqshift_result_message(got), (unsigned)want, pqshift_result_message(want),
                needle ? ", containing " : "", needle ? needle : "", msg);
    }
    pqshift_config_free(o_cfg);
    pqshift_secret_key_free(o_sk);
    pqshift_public_key_free(o_pk);
    o_cfg = NULL;
    o_sk = NULL;
    o_pk = NULL;
}

/* A row of a table written inline: the call's own text is its label. */
#define CASE(want, needle, call) expect(#call, (call), (want), (needle))

#define OK PQSHIFT_OK
#define INVALID PQSHIFT_ERR_INVALID_INPUT
#define UNSUPPORTED PQSHIFT_ERR_UNSUPPORTED
#define BAD_SIG PQSHIFT_ERR_VERIFICATION_FAILED
#define POLICY PQSHIFT_ERR_POLICY
#define TOO_SMALL PQSHIFT_ERR_BUFFER_TOO_SMALL

static char label[512];
#define LABEL(...) (snprintf(label, sizeof label, __VA_ARGS__), label)
static char needle_buf[256];
#define NEEDLE(...) (snprintf(needle_buf, sizeof needle_buf, __VA_ARGS__), needle_buf)

static unsigned char *dup_bytes(const void *p, size_t n) {
    unsigned char *d = alloc_or_die(n);
    if (n > 0) memcpy(d, p, n);
    return d;
}

/* base64url without padding, as the tagged text form uses. */
static size_t b64url(const unsigned char *in, size_t n, char *out) {
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0, i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = A[v >> 18 & 63], out[o++] = A[v >> 12 & 63], out[o++] = A[v >> 6 & 63], out[o++] = A[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = A[v >> 18 & 63], out[o++] = A[v >> 12 & 63];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = A[v >> 18 & 63], out[o++] = A[v >> 12 & 63], out[o++] = A[v >> 6 & 63];
    }
    out[o] = '\0';
    return o;
}

/* ------------------------------------------------------------------------
 * The algorithms, and what setup() makes for each
 * ------------------------------------------------------------------------ */

enum kind { SIG, KEM, MAC };

struct alg {
    const char *id;
    enum kind kind;
    size_t seed, pk, sig, ct;
    /* Made by setup(): */
    const pqshift_config *cfg;     /* a configuration that accepts (and signs with, for MAC) it */
    pqshift_secret_key *sk;
    pqshift_public_key *pub;       /* NULL for the MAC */
    pqshift_secret_key *other_sk;  /* another key of the same algorithm */
    pqshift_public_key *other_pub;
    unsigned char *sk_bin;         /* tagged binary secret key (SIG, MAC) */
    size_t sk_bin_len;
    char *sk_text, *pk_text, *sig_text, *ct_text; /* tagged text forms, NUL-terminated */
    char *pk_pem, *sk_pem;         /* SIG, KEM */
    unsigned char *sig_bin;        /* tagged binary signature of MSG, empty context (SIG, MAC) */
    size_t sig_bin_len;
    unsigned char *ct_bin;         /* tagged binary ciphertext (KEM) */
    size_t ct_bin_len;
    unsigned char ss[32];          /* its shared secret */
};

static struct alg ALGS[] = {
    {.id = "ed25519", .kind = SIG, .seed = 32, .pk = 32, .sig = 64, .ct = 0},
    {.id = "ml-dsa-44", .kind = SIG, .seed = 32, .pk = 1312, .sig = 2420, .ct = 0},
    {.id = "ml-dsa-65", .kind = SIG, .seed = 32, .pk = 1952, .sig = 3309, .ct = 0},
    {.id = "ml-dsa-87", .kind = SIG, .seed = 32, .pk = 2592, .sig = 4627, .ct = 0},
    {.id = "ml-kem-512", .kind = KEM, .seed = 64, .pk = 800, .sig = 0, .ct = 768},
    {.id = "ml-kem-768", .kind = KEM, .seed = 64, .pk = 1184, .sig = 0, .ct = 1088},
    {.id = "ml-kem-1024", .kind = KEM, .seed = 64, .pk = 1568, .sig = 0, .ct = 1568},
    {.id = "insecure-test-hmac-sha256", .kind = MAC, .seed = 32, .pk = 0, .sig = 32, .ct = 0},
};
#define N_ALGS (sizeof ALGS / sizeof ALGS[0])

/* The next algorithm of the same kind (another length), or NULL. */
static struct alg *next_of_kind(const struct alg *a) {
    size_t i = (size_t)(a - ALGS);
    for (size_t k = 1; k < N_ALGS; k++) {
        struct alg *b = &ALGS[(i + k) % N_ALGS];
        if (b->kind == a->kind) return b;
    }
    return NULL;
}

static size_t header_len(const struct alg *a) { return 7 + strlen(a->id); }

static pqshift_config *cfg_all;      /* signs ml-dsa-65, accepts every signature algorithm */
static pqshift_config *cfg_insecure; /* signs and accepts the placeholder */
static pqshift_config *cfg_kem768;   /* [kem] ml-kem-768 */

/* A length query (out NULL) must answer BUFFER_TOO_SMALL. */
static void require_query(pqshift_result rc) {
    if (rc != PQSHIFT_ERR_BUFFER_TOO_SMALL) {
        fprintf(stderr, "length query returned %u: %s\n", (unsigned)rc, pqshift_last_error_message());
        exit(2);
    }
}

static pqshift_config *config(const char *toml) {
    pqshift_config *c = NULL;
    REQUIRE_OK(pqshift_config_from_toml(toml, &c));
    return c;
}

static char *text_of_secret(const pqshift_secret_key *k,
                            pqshift_result (*f)(const pqshift_secret_key *, char *, size_t, size_t *)) {
    size_t n = 0;
    if (f(k, NULL, 0, &n) != PQSHIFT_ERR_BUFFER_TOO_SMALL) return NULL;
    char *t = (char *)alloc_or_die(n);
    REQUIRE_OK(f(k, t, n, &n));
    return t;
}

static char *text_of_public(const pqshift_public_key *k,
                            pqshift_result (*f)(const pqshift_public_key *, char *, size_t, size_t *)) {
    size_t n = 0;
    if (f(k, NULL, 0, &n) != PQSHIFT_ERR_BUFFER_TOO_SMALL) return NULL;
    char *t = (char *)alloc_or_die(n);
    REQUIRE_OK(f(k, t, n, &n));
    return t;
}

static char *text_form(const char *kind, const char *alg, const unsigned char *raw, size_t n) {
    char *t = (char *)alloc_or_die(strlen(kind) + strlen(alg) + 16 + n * 4 / 3 + 4);
    size_t o = (size_t)sprintf(t, "pqshift1:%s:%s:", kind, alg);
    b64url(raw, n, t + o);
    return t;
}

static void setup(void) {
    cfg_all = config("[sign]\nalgorithm = \"ml-dsa-65\"\n"
                     "[verify]\naccept = [\"ed25519\", \"ml-dsa-44\", \"ml-dsa-65\", \"ml-dsa-87\"]\n");
    cfg_insecure = config("[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n");
    cfg_kem768 = config("[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-768\"\n");
    unsigned char seed[64];
    for (size_t i = 0; i < N_ALGS; i++) {
        struct alg *a = &ALGS[i];
        a->cfg = a->kind == SIG ? cfg_all : a->kind == MAC ? cfg_insecure : NULL;
        size_t n = 0;
        if (a->kind == KEM) {
            memset(seed, (int)(0x40 + i), sizeof seed);
            REQUIRE_OK(pqshift_keygen_from_seed(a->cfg, a->id, NULL, seed, a->seed, &a->sk));
            memset(seed, (int)(0x60 + i), sizeof seed);
            REQUIRE_OK(pqshift_keygen_from_seed(a->cfg, a->id, NULL, seed, a->seed, &a->other_sk));
        } else {
            /* The contract's binary secret key, the only binary key form C offers. */
            require_query(pqshift_contract_keygen(a->id, 1000 + i, NULL, 0, &n));
            a->sk_bin = alloc_or_die(n);
            REQUIRE_OK(pqshift_contract_keygen(a->id, 1000 + i, a->sk_bin, n, &a->sk_bin_len));
            REQUIRE_OK(pqshift_secret_key_from_tagged(a->cfg, NULL, a->sk_bin, a->sk_bin_len, &a->sk));
            memset(seed, (int)(0x60 + i), sizeof seed);
            REQUIRE_OK(pqshift_keygen_from_seed(a->cfg, a->id, NULL, seed, a->seed, &a->other_sk));
            /* The contract's deterministic tagged signature of MSG, empty context. */
            require_query(pqshift_contract_sign(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, NULL, 0, &n));
            a->sig_bin = alloc_or_die(n);
            REQUIRE_OK(pqshift_contract_sign(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, a->sig_bin, n, &a->sig_bin_len));
            a->sig_text = text_form("sig", a->id, a->sig_bin + header_len(a), a->sig_bin_len - header_len(a));
        }
        a->sk_text = text_of_secret(a->sk, pqshift_secret_key_to_tagged);
        if (a->kind != MAC) {
            REQUIRE_OK(pqshift_secret_key_public_key(a->sk, &a->pub));
            REQUIRE_OK(pqshift_secret_key_public_key(a->other_sk, &a->other_pub));
            a->pk_text = text_of_public(a->pub, pqshift_public_key_to_tagged);
            a->pk_pem = text_of_public(a->pub, pqshift_public_key_to_pem);
            a->sk_pem = text_of_secret(a->sk, pqshift_secret_key_to_pem);
        }
        if (a->kind == KEM) {
            size_t ss_len = 0;
            a->ct_bin = alloc_or_die(8192);
            REQUIRE_OK(pqshift_kem_encapsulate(NULL, a->pub, 0, a->ct_bin, 8192, &a->ct_bin_len, a->ss, 32, &ss_len));
            a->ct_text = text_form("ct", a->id, a->ct_bin + header_len(a), a->ct_bin_len - header_len(a));
        }
    }
}

static void teardown(void) {
    for (size_t i = 0; i < N_ALGS; i++) {
        struct alg *a = &ALGS[i];
        pqshift_secret_key_free(a->sk);
        pqshift_secret_key_free(a->other_sk);
        pqshift_public_key_free(a->pub);
        pqshift_public_key_free(a->other_pub);
        free(a->sk_bin);
        free(a->sk_text);
        free(a->pk_text);
        free(a->sig_text);
        free(a->ct_text);
        free(a->pk_pem);
        free(a->sk_pem);
        free(a->sig_bin);
        free(a->ct_bin);
    }
    pqshift_config_free(cfg_all);
    pqshift_config_free(cfg_insecure);
    pqshift_config_free(cfg_kem768);
}

static struct alg *alg_named(const char *id) {
    for (size_t i = 0; i < N_ALGS; i++)
        if (strcmp(ALGS[i].id, id) == 0) return &ALGS[i];
    fprintf(stderr, "no algorithm %s\n", id);
    exit(2);
}

/* Verifies with the algorithm's public key (its secret key for the MAC). */
static pqshift_result verify_as(const struct alg *a, const pqshift_config *cfg, const unsigned char *msg,
                                size_t msg_len, const unsigned char *ctx, size_t ctx_len, const unsigned char *sig,
                                size_t sig_len, uint32_t flags) {
    if (a->kind == MAC)
        return pqshift_verify_with_secret_key(cfg, a->sk, msg, msg_len, ctx, ctx_len, sig, sig_len, flags);
    return pqshift_verify(cfg, a->pub, msg, msg_len, ctx, ctx_len, sig, sig_len, flags);
}

/* ------------------------------------------------------------------------
 * 1. NULL pointers and NULL out-parameters, function by function
 * ------------------------------------------------------------------------ */

static void null_pointers(void) {
    struct alg *ed = alg_named("ed25519"), *kem = alg_named("ml-kem-512");
    static unsigned char buf[8192];
    unsigned char seed[32] = {7}, h[32], ss[32];
    size_t n = 0, m = 0;

    CASE(INVALID, "length pointer", pqshift_algorithms((char *)buf, sizeof buf, NULL));
    CASE(INVALID, "config_out is NULL", pqshift_config_load(NULL, NULL));
    CASE(INVALID, "config_out is NULL", pqshift_config_from_toml("[sign]\nalgorithm = \"ed25519\"\n", NULL));
    CASE(INVALID, "toml is NULL", pqshift_config_from_toml(NULL, &o_cfg));
    CASE(INVALID, "config is NULL", pqshift_config_install(NULL));

    CASE(INVALID, "key_out is NULL", pqshift_keygen_from_seed(NULL, "ed25519", NULL, seed, 32, NULL));
    CASE(INVALID, "seed is NULL with length 32", pqshift_keygen_from_seed(NULL, "ed25519", NULL, NULL, 32, &o_sk));
    CASE(INVALID, "seed is NULL with length 1", pqshift_keygen_from_seed(NULL, "ed25519", NULL, NULL, 1, &o_sk));
    CASE(INVALID, "got 0 bytes", pqshift_keygen_from_seed(NULL, "ed25519", NULL, NULL, 0, &o_sk));
    CASE(INVALID, "key_out is NULL", pqshift_keygen(NULL, "ed25519", NULL, NULL));
    /* NULL alg means the configuration's [sign] algorithm: valid. */
    CASE(OK, NULL, pqshift_keygen(NULL, NULL, NULL, &o_sk));
    CASE(OK, NULL, pqshift_keygen_from_seed(NULL, NULL, NULL, seed, 32, &o_sk));

    CASE(INVALID, "key is NULL", pqshift_secret_key_public_key(NULL, &o_pk));
    CASE(INVALID, "public_key_out is NULL", pqshift_secret_key_public_key(ed->sk, NULL));
    CASE(INVALID, "key is NULL", pqshift_secret_key_to_tagged(NULL, (char *)buf, sizeof buf, &n));
    CASE(INVALID, "length pointer", pqshift_secret_key_to_tagged(ed->sk, (char *)buf, sizeof buf, NULL));
    CASE(INVALID, "key is NULL", pqshift_secret_key_to_pem(NULL, (char *)buf, sizeof buf, &n));
    CASE(INVALID, "length pointer", pqshift_secret_key_to_pem(ed->sk, (char *)buf, sizeof buf, NULL));
    CASE(INVALID, "data is NULL with length 10", pqshift_secret_key_from_tagged(NULL, NULL, NULL, 10, &o_sk));
    CASE(INVALID, "not a tagged", pqshift_secret_key_from_tagged(NULL, NULL, NULL, 0, &o_sk));
    CASE(INVALID, "key_out is NULL", pqshift_secret_key_from_tagged(NULL, NULL, ed->sk_bin, ed->sk_bin_len, NULL));
    CASE(INVALID, "data is NULL with length 10", pqshift_secret_key_from_pem(NULL, NULL, NULL, 10, &o_sk));
    CASE(INVALID, NULL, pqshift_secret_key_from_pem(NULL, NULL, NULL, 0, &o_sk));
    CASE(INVALID, "key_out is NULL",
         pqshift_secret_key_from_pem(NULL, NULL, (const uint8_t *)ed->sk_pem, strlen(ed->sk_pem), NULL));

    CASE(INVALID, "key is NULL", pqshift_public_key_to_tagged(NULL, (char *)buf, sizeof buf, &n));
    CASE(INVALID, "length pointer", pqshift_public_key_to_tagged(ed->pub, (char *)buf, sizeof buf, NULL));
    CASE(INVALID, "key is NULL", pqshift_public_key_to_pem(NULL, (char *)buf, sizeof buf, &n));
    CASE(INVALID, "length pointer", pqshift_public_key_to_pem(ed->pub, (char *)buf, sizeof buf, NULL));
    CASE(INVALID, "key is NULL", pqshift_public_key_to_raw(NULL, buf, sizeof buf, &n));
    CASE(INVALID, "length pointer", pqshift_public_key_to_raw(ed->pub, buf, sizeof buf, NULL));
    CASE(INVALID, "data is NULL with length 10", pqshift_public_key_from_tagged(NULL, NULL, NULL, 10, &o_pk));
    CASE(INVALID, "not a tagged", pqshift_public_key_from_tagged(NULL, NULL, NULL, 0, &o_pk));
    CASE(INVALID, "public_key_out is NULL",
         pqshift_public_key_from_tagged(NULL, NULL, (const uint8_t *)ed->pk_text, strlen(ed->pk_text), NULL));
    CASE(INVALID, "data is NULL with length 10", pqshift_public_key_from_pem(NULL, NULL, NULL, 10, &o_pk));
    CASE(INVALID, NULL, pqshift_public_key_from_pem(NULL, NULL, NULL, 0, &o_pk));
    CASE(INVALID, "public_key_out is NULL",
         pqshift_public_key_from_pem(NULL, NULL, (const uint8_t *)ed->pk_pem, strlen(ed->pk_pem), NULL));
    CASE(INVALID, "alg is NULL", pqshift_public_key_from_raw(NULL, NULL, NULL, seed, 32, &o_pk));
    CASE(INVALID, "data is NULL with length 32", pqshift_public_key_from_raw(NULL, "ed25519", NULL, NULL, 32, &o_pk));
    CASE(INVALID, "got 0 bytes", pqshift_public_key_from_raw(NULL, "ed25519", NULL, NULL, 0, &o_pk));
    CASE(INVALID, "public_key_out is NULL", pqshift_public_key_from_raw(NULL, "ed25519", NULL, seed, 32, NULL));

    CASE(INVALID, "key is NULL", pqshift_sign(NULL, NULL, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, &n));
    CASE(INVALID, "length pointer", pqshift_sign(NULL, ed->sk, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, NULL));
    CASE(INVALID, "message is NULL with length 7",
         pqshift_sign(NULL, ed->sk, NULL, 7, NULL, 0, 0, buf, sizeof buf, &n));
    CASE(INVALID, "context is NULL with length 3",
         pqshift_sign(NULL, ed->sk, MSG, MSG_LEN, NULL, 3, 0, buf, sizeof buf, &n));
    CASE(OK, NULL, pqshift_sign(NULL, ed->sk, NULL, 0, NULL, 0, 0, buf, sizeof buf, &n));

    CASE(INVALID, "public_key is NULL",
         pqshift_verify(NULL, NULL, MSG, MSG_LEN, NULL, 0, ed->sig_bin, ed->sig_bin_len, 0));
    CASE(INVALID, "message is NULL with length 7",
         pqshift_verify(NULL, ed->pub, NULL, 7, NULL, 0, ed->sig_bin, ed->sig_bin_len, 0));
    CASE(INVALID, "context is NULL with length 3",
         pqshift_verify(NULL, ed->pub, MSG, MSG_LEN, NULL, 3, ed->sig_bin, ed->sig_bin_len, 0));
    CASE(INVALID, "signature is NULL with length 64",
         pqshift_verify(NULL, ed->pub, MSG, MSG_LEN, NULL, 0, NULL, 64, PQSHIFT_FLAG_RAW));
    CASE(INVALID, "got 0 bytes", pqshift_verify(NULL, ed->pub, MSG, MSG_LEN, NULL, 0, NULL, 0, PQSHIFT_FLAG_RAW));
    CASE(INVALID, "not a tagged", pqshift_verify(NULL, ed->pub, MSG, MSG_LEN, NULL, 0, NULL, 0, 0));
    CASE(OK, NULL, pqshift_verify(NULL, ed->pub, MSG, MSG_LEN, NULL, 0, ed->sig_bin, ed->sig_bin_len, 0));

    CASE(INVALID, "key is NULL",
         pqshift_verify_with_secret_key(NULL, NULL, MSG, MSG_LEN, NULL, 0, ed->sig_bin, ed->sig_bin_len, 0));
    CASE(INVALID, "message is NULL with length 7",
         pqshift_verify_with_secret_key(NULL, ed->sk, NULL, 7, NULL, 0, ed->sig_bin, ed->sig_bin_len, 0));
    CASE(INVALID, "context is NULL with length 3",
         pqshift_verify_with_secret_key(NULL, ed->sk, MSG, MSG_LEN, NULL, 3, ed->sig_bin, ed->sig_bin_len, 0));
    CASE(INVALID, "signature is NULL with length 64",
         pqshift_verify_with_secret_key(NULL, ed->sk, MSG, MSG_LEN, NULL, 0, NULL, 64, 0));
    CASE(OK, NULL,
         pqshift_verify_with_secret_key(NULL, ed->sk, MSG, MSG_LEN, NULL, 0, ed->sig_bin, ed->sig_bin_len, 0));

    CASE(INVALID, "public_key is NULL", pqshift_kem_encapsulate(NULL, NULL, 0, buf, sizeof buf, &n, ss, 32, &m));
    CASE(INVALID, "length pointer of the ciphertext",
         pqshift_kem_encapsulate(NULL, kem->pub, 0, buf, sizeof buf, NULL, ss, 32, &m));
    CASE(INVALID, "length pointer of the shared secret",
         pqshift_kem_encapsulate(NULL, kem->pub, 0, buf, sizeof buf, &n, ss, 32, NULL));
    CASE(INVALID, "key is NULL", pqshift_kem_decapsulate(NULL, NULL, kem->ct_bin, kem->ct_bin_len, 0, ss, 32, &m));
    CASE(INVALID, "ciphertext is NULL with length 768",
         pqshift_kem_decapsulate(NULL, kem->sk, NULL, 768, PQSHIFT_FLAG_RAW, ss, 32, &m));
    CASE(INVALID, "got 0 bytes", pqshift_kem_decapsulate(NULL, kem->sk, NULL, 0, PQSHIFT_FLAG_RAW, ss, 32, &m));
    CASE(INVALID, "length pointer",
         pqshift_kem_decapsulate(NULL, kem->sk, kem->ct_bin, kem->ct_bin_len, 0, ss, 32, NULL));

    CASE(INVALID, "data is NULL with length 1", pqshift_sha256(NULL, 1, h));
    CASE(INVALID, "32-byte output is NULL", pqshift_sha256(MSG, MSG_LEN, NULL));
    CASE(OK, NULL, pqshift_sha256(NULL, 0, h));
    const uint8_t *leaves[3] = {MSG, NULL, NULL};
    size_t lens[3] = {MSG_LEN, 0, 2};
    CASE(INVALID, "leaves or leaf_lens is NULL with count 1", pqshift_merkle_root(NULL, lens, 1, h));
    CASE(INVALID, "leaves or leaf_lens is NULL with count 1", pqshift_merkle_root(leaves, NULL, 1, h));
    CASE(INVALID, "leaf 2 is NULL with length 2", pqshift_merkle_root(leaves, lens, 3, h));
    CASE(INVALID, "32-byte output is NULL", pqshift_merkle_root(leaves, lens, 2, NULL));
    CASE(OK, NULL, pqshift_merkle_root(leaves, lens, 2, h)); /* NULL with length 0: an empty leaf */
    CASE(OK, NULL, pqshift_merkle_root(NULL, NULL, 0, h));

    CASE(INVALID, "alg is NULL", pqshift_contract_keygen(NULL, 1, buf, sizeof buf, &n));
    CASE(INVALID, "length pointer", pqshift_contract_keygen("ed25519", 1, buf, sizeof buf, NULL));
    CASE(INVALID, "key is NULL with length 10", pqshift_contract_sign(NULL, 10, MSG, MSG_LEN, buf, sizeof buf, &n));
    CASE(INVALID, "not a tagged", pqshift_contract_sign(NULL, 0, MSG, MSG_LEN, buf, sizeof buf, &n));
    CASE(INVALID, "payload is NULL with length 7",
         pqshift_contract_sign(ed->sk_bin, ed->sk_bin_len, NULL, 7, buf, sizeof buf, &n));
    CASE(INVALID, "length pointer",
         pqshift_contract_sign(ed->sk_bin, ed->sk_bin_len, MSG, MSG_LEN, buf, sizeof buf, NULL));
    CASE(INVALID, "key is NULL with length 10",
         pqshift_contract_verify(NULL, 10, MSG, MSG_LEN, ed->sig_bin, ed->sig_bin_len));
    CASE(INVALID, "payload is NULL with length 7",
         pqshift_contract_verify(ed->sk_bin, ed->sk_bin_len, NULL, 7, ed->sig_bin, ed->sig_bin_len));
    CASE(INVALID, "signature is NULL with length 10",
         pqshift_contract_verify(ed->sk_bin, ed->sk_bin_len, MSG, MSG_LEN, NULL, 10));
    CASE(INVALID, "not a tagged", pqshift_contract_verify(ed->sk_bin, ed->sk_bin_len, MSG, MSG_LEN, NULL, 0));

    /* Invalid UTF-8 in the string arguments. */
    CASE(INVALID, "alg is not valid UTF-8", pqshift_keygen_from_seed(NULL, "\xff\xfe", NULL, seed, 32, &o_sk));
    CASE(INVALID, "provider is not valid UTF-8", pqshift_keygen_from_seed(NULL, "ed25519", "\xc3", seed, 32, &o_sk));
    CASE(INVALID, "toml is not valid UTF-8", pqshift_config_from_toml("[sign]\nalgorithm = \"\xff\"\n", &o_cfg));

    /* Handles: freeing NULL is a no-op; the accessors of NULL give NULL. */
    pqshift_config_free(NULL);
    pqshift_secret_key_free(NULL);
    pqshift_public_key_free(NULL);
    cases += 3;
    checks_passed += 3;
    CASE(OK, NULL, pqshift_sha256(NULL, 0, h)); /* still alive */
    CHECK(pqshift_secret_key_algorithm(NULL) == NULL);
    CHECK(pqshift_public_key_algorithm(NULL) == NULL);
}

/* ------------------------------------------------------------------------
 * 2. Output buffers: every capacity short of the need, and the need
 * ------------------------------------------------------------------------ */

typedef pqshift_result (*out_fn)(unsigned char *out, size_t cap, size_t *len);

static unsigned char kem_ss[32];
static size_t kem_ss_len;
static unsigned char kem_ct[2048];
static size_t kem_ct_len;

static pqshift_result o_algorithms(unsigned char *o, size_t c, size_t *n) {
    return pqshift_algorithms((char *)o, c, n);
}
static pqshift_result o_sk_tagged(unsigned char *o, size_t c, size_t *n) {
    return pqshift_secret_key_to_tagged(alg_named("ml-dsa-44")->sk, (char *)o, c, n);
}
static pqshift_result o_sk_pem(unsigned char *o, size_t c, size_t *n) {
    return pqshift_secret_key_to_pem(alg_named("ml-kem-512")->sk, (char *)o, c, n);
}
static pqshift_result o_pk_tagged(unsigned char *o, size_t c, size_t *n) {
    return pqshift_public_key_to_tagged(alg_named("ed25519")->pub, (char *)o, c, n);
}
static pqshift_result o_pk_pem(unsigned char *o, size_t c, size_t *n) {
    return pqshift_public_key_to_pem(alg_named("ml-dsa-87")->pub, (char *)o, c, n);
}
static pqshift_result o_pk_raw(unsigned char *o, size_t c, size_t *n) {
    return pqshift_public_key_to_raw(alg_named("ml-kem-1024")->pub, o, c, n);
}
static pqshift_result o_sign_raw(unsigned char *o, size_t c, size_t *n) {
    return pqshift_sign(NULL, alg_named("ed25519")->sk, MSG, MSG_LEN, NULL, 0, PQSHIFT_FLAG_RAW, o, c, n);
}
static pqshift_result o_sign_tagged(unsigned char *o, size_t c, size_t *n) {
    return pqshift_sign(cfg_all, alg_named("ml-dsa-65")->sk, MSG, MSG_LEN, MSG, 3, 0, o, c, n);
}
static pqshift_result o_sign_mac(unsigned char *o, size_t c, size_t *n) {
    return pqshift_sign(cfg_insecure, alg_named("insecure-test-hmac-sha256")->sk, MSG, MSG_LEN, NULL, 0, 0, o, c, n);
}
static pqshift_result o_encaps_ct(unsigned char *o, size_t c, size_t *n) {
    return pqshift_kem_encapsulate(NULL, alg_named("ml-kem-768")->pub, PQSHIFT_FLAG_RAW, o, c, n, kem_ss, 32,
                                   &kem_ss_len);
}
static pqshift_result o_encaps_ct_tagged(unsigned char *o, size_t c, size_t *n) {
    return pqshift_kem_encapsulate(NULL, alg_named("ml-kem-512")->pub, 0, o, c, n, kem_ss, 32, &kem_ss_len);
}
static pqshift_result o_encaps_ss(unsigned char *o, size_t c, size_t *n) {
    return pqshift_kem_encapsulate(NULL, alg_named("ml-kem-768")->pub, 0, kem_ct, sizeof kem_ct, &kem_ct_len, o, c, n);
}
static pqshift_result o_decaps_ss(unsigned char *o, size_t c, size_t *n) {
    struct alg *a = alg_named("ml-kem-1024");
    return pqshift_kem_decapsulate(NULL, a->sk, a->ct_bin, a->ct_bin_len, 0, o, c, n);
}
static pqshift_result o_contract_keygen(unsigned char *o, size_t c, size_t *n) {
    return pqshift_contract_keygen("ml-dsa-87", 5, o, c, n);
}
static pqshift_result o_contract_sign(unsigned char *o, size_t c, size_t *n) {
    struct alg *a = alg_named("ml-dsa-44");
    return pqshift_contract_sign(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, o, c, n);
}

static const struct {
    const char *name;
    out_fn fn;
    size_t need; /* 0: not known in advance */
    int text;
} OUTPUTS[] = {
    {"pqshift_algorithms", o_algorithms, 0, 1},
    {"pqshift_secret_key_to_tagged (ml-dsa-44)", o_sk_tagged, 0, 1},
    {"pqshift_secret_key_to_pem (ml-kem-512)", o_sk_pem, 0, 1},
    {"pqshift_public_key_to_tagged (ed25519)", o_pk_tagged, 0, 1},
    {"pqshift_public_key_to_pem (ml-dsa-87)", o_pk_pem, 0, 1},
    {"pqshift_public_key_to_raw (ml-kem-1024)", o_pk_raw, 1568, 0},
    {"pqshift_sign raw (ed25519)", o_sign_raw, 64, 0},
    {"pqshift_sign tagged (ml-dsa-65)", o_sign_tagged, 7 + 9 + 3309, 0},
    {"pqshift_sign tagged (placeholder)", o_sign_mac, 7 + 25 + 32, 0},
    {"pqshift_kem_encapsulate ciphertext raw (ml-kem-768)", o_encaps_ct, 1088, 0},
    {"pqshift_kem_encapsulate ciphertext tagged (ml-kem-512)", o_encaps_ct_tagged, 7 + 10 + 768, 0},
    {"pqshift_kem_encapsulate shared secret (ml-kem-768)", o_encaps_ss, 32, 0},
    {"pqshift_kem_decapsulate (ml-kem-1024)", o_decaps_ss, 32, 0},
    {"pqshift_contract_keygen (ml-dsa-87)", o_contract_keygen, 7 + 9 + 32 + 32, 0},
    {"pqshift_contract_sign (ml-dsa-44)", o_contract_sign, 7 + 9 + 2420, 0},
};

#define CANARY 0xA5

static int untouched(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != CANARY) return 0;
    return 1;
}

static void output_buffers(void) {
    for (size_t i = 0; i < sizeof OUTPUTS / sizeof OUTPUTS[0]; i++) {
        const char *name = OUTPUTS[i].name;
        out_fn fn = OUTPUTS[i].fn;
        /* A length query: out NULL. */
        size_t need = 0;
        expect(LABEL("%s: NULL, capacity 0", name), fn(NULL, 0, &need), TOO_SMALL, "the buffer holds 0");
        CHECK(need > 0);
        if (OUTPUTS[i].need) CHECK(need == OUTPUTS[i].need);
        /* NULL with a large capacity is still a length query. */
        size_t n = 12345;
        expect(LABEL("%s: NULL, capacity %zu", name, need + 100), fn(NULL, need + 100, &n), TOO_SMALL,
               NEEDLE("needs %zu bytes, the buffer holds 0", need));
        CHECK(n == need);
        /* Every capacity short of the need: exact-size heap buffers, untouched. */
        size_t caps[] = {0, 1, need / 2, need - 1};
        for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
            size_t cap = caps[c];
            if (cap >= need) continue;
            unsigned char *b = alloc_or_die(cap);
            memset(b, CANARY, cap);
            n = 12345;
            expect(LABEL("%s: capacity %zu of %zu", name, cap, need), fn(b, cap, &n), TOO_SMALL,
                   NEEDLE("needs %zu bytes, the buffer holds %zu", need, cap));
            CHECK(n == need);
            CHECK(untouched(b, cap));
            free(b);
        }
        /* The need exactly: written, the length reported. */
        unsigned char *b = alloc_or_die(need);
        memset(b, CANARY, need);
        n = 0;
        expect(LABEL("%s: capacity %zu, exact", name, need), fn(b, need, &n), OK, NULL);
        CHECK(n == need);
        if (OUTPUTS[i].text) CHECK(b[need - 1] == 0 && strlen((char *)b) == need - 1);
        free(b);
        /* More than the need: nothing written past the reported length. */
        b = alloc_or_die(need + 16);
        memset(b, CANARY, need + 16);
        n = 0;
        expect(LABEL("%s: capacity %zu, larger", name, need + 16), fn(b, need + 16, &n), OK, NULL);
        CHECK(n == need);
        CHECK(untouched(b + need, 16));
        free(b);
    }

    /* KEM: both buffers are checked first; a short one leaves the other untouched. */
    struct alg *a = alg_named("ml-kem-768");
    unsigned char *ct = alloc_or_die(1087), *ss = alloc_or_die(32);
    size_t ct_len = 0, ss_len = 0;
    memset(ct, CANARY, 1087);
    memset(ss, CANARY, 32);
    CASE(TOO_SMALL, "the ciphertext needs 1088 bytes",
         pqshift_kem_encapsulate(NULL, a->pub, PQSHIFT_FLAG_RAW, ct, 1087, &ct_len, ss, 32, &ss_len));
    CHECK(ct_len == 1088 && ss_len == 32 && untouched(ct, 1087) && untouched(ss, 32));
    ct_len = ss_len = 0;
    CASE(TOO_SMALL, "needs",
         pqshift_kem_encapsulate(NULL, a->pub, PQSHIFT_FLAG_RAW, NULL, 0, &ct_len, NULL, 0, &ss_len));
    CHECK(ct_len == 1088 && ss_len == 32);
    free(ct);
    ct = alloc_or_die(1088);
    memset(ct, CANARY, 1088);
    CASE(TOO_SMALL, "the shared secret needs 32 bytes",
         pqshift_kem_encapsulate(NULL, a->pub, PQSHIFT_FLAG_RAW, ct, 1088, &ct_len, ss, 31, &ss_len));
    CHECK(ct_len == 1088 && ss_len == 32 && untouched(ct, 1088) && untouched(ss, 32));
    /* A signature key with a NULL buffer: the kind error, not a size. */
    size_t n = 0;
    CASE(INVALID, "not a KEM",
         pqshift_kem_encapsulate(NULL, alg_named("ed25519")->pub, 0, NULL, 0, &n, NULL, 0, &ss_len));
    CASE(INVALID, "not a KEM",
         pqshift_kem_decapsulate(NULL, alg_named("ed25519")->sk, ct, 10, 0, NULL, 0, &n));
    /* A failed call does not report a size: the length stays as it was. */
    n = 777;
    CASE(INVALID, "255", pqshift_sign(cfg_all, alg_named("ml-dsa-65")->sk, MSG, MSG_LEN, ct, 256, 0, NULL, 0, &n));
    CHECK(n == 777);
    free(ct);
    free(ss);
}

/* ------------------------------------------------------------------------
 * 3. Names: unknown algorithms, aliases, unknown providers
 * ------------------------------------------------------------------------ */

static void names(void) {
    static const char *unknown[] = {
        "", " ", "rsa", "rsa-2048", "ed448", "ml-dsa-66", "ml-dsa", "ml.dsa.65", "mldsa-65x", "ml-kem-256",
        "x25519-mlkem768", "mldsa65-ed25519", "2.16.840.1.101.3.4.3.99", "1.3.101.113", "ml-dsa-65 ml-dsa-44",
        "insecure", "hmac-sha256",
    };
    static unsigned char seed[64], buf[8192];
    size_t n = 0;
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *u = unknown[i];
        const char *nd = u[0] && u[0] != ' ' ? u : NULL;
        expect(LABEL("keygen_from_seed(alg \"%s\")", u), pqshift_keygen_from_seed(NULL, u, NULL, seed, 32, &o_sk),
               UNSUPPORTED, nd);
        expect(LABEL("keygen(alg \"%s\")", u), pqshift_keygen(NULL, u, NULL, &o_sk), UNSUPPORTED, nd);
        expect(LABEL("public_key_from_raw(alg \"%s\")", u), pqshift_public_key_from_raw(NULL, u, NULL, seed, 32, &o_pk),
               UNSUPPORTED, nd);
        expect(LABEL("contract_keygen(alg \"%s\")", u), pqshift_contract_keygen(u, 1, buf, sizeof buf, &n),
               UNSUPPORTED, nd);
        char toml[256];
        snprintf(toml, sizeof toml, "[sign]\nalgorithm = \"%s\"\n", u);
        expect(LABEL("config [sign] algorithm = \"%s\"", u), pqshift_config_from_toml(toml, &o_cfg), UNSUPPORTED, nd);
    }
    /* Aliases are accepted on input (any case, compact, OID; surrounding blanks trimmed). */
    static const char *aliases[] = {"ED25519", "Ml-Dsa-44", "mldsa65", "ml_dsa_65", "id-ml-dsa-87", "MLDSA87",
                                    " ml-dsa-65 ", "2.16.840.1.101.3.4.3.18", "1.3.101.112"};
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        expect(LABEL("keygen_from_seed(alias \"%s\")", aliases[i]),
               pqshift_keygen_from_seed(NULL, aliases[i], NULL, seed, 32, &o_sk), OK, NULL);

    /* Providers: unknown ones, and real ones that do not serve the algorithm. */
    static const struct {
        const char *alg, *provider;
    } bad_provider[] = {
        {"ed25519", "nope"}, {"ed25519", ""}, {"ed25519", "liboqs"}, {"ed25519", "placeholder"},
        {"ml-dsa-65", "dalek"}, {"ml-kem-768", "dalek"}, {"insecure-test-hmac-sha256", "dalek"},
    };
    for (size_t i = 0; i < sizeof bad_provider / sizeof bad_provider[0]; i++) {
        struct alg *a = alg_named(bad_provider[i].alg);
        const char *p = bad_provider[i].provider;
        const pqshift_config *cfg = a->kind == MAC ? cfg_insecure : NULL;
        expect(LABEL("keygen_from_seed(%s, provider \"%s\")", a->id, p),
               pqshift_keygen_from_seed(cfg, a->id, p, seed, a->seed, &o_sk), UNSUPPORTED, NULL);
        expect(LABEL("keygen(%s, provider \"%s\")", a->id, p), pqshift_keygen(cfg, a->id, p, &o_sk), UNSUPPORTED, NULL);
        expect(LABEL("secret_key_from_tagged(%s, provider \"%s\")", a->id, p),
               pqshift_secret_key_from_tagged(cfg, p, (const uint8_t *)a->sk_text, strlen(a->sk_text), &o_sk),
               UNSUPPORTED, NULL);
        if (a->kind == MAC) continue;
        expect(LABEL("public_key_from_tagged(%s, provider \"%s\")", a->id, p),
               pqshift_public_key_from_tagged(cfg, p, (const uint8_t *)a->pk_text, strlen(a->pk_text), &o_pk),
               UNSUPPORTED, NULL);
        expect(LABEL("public_key_from_pem(%s, provider \"%s\")", a->id, p),
               pqshift_public_key_from_pem(cfg, p, (const uint8_t *)a->pk_pem, strlen(a->pk_pem), &o_pk),
               UNSUPPORTED, NULL);
        expect(LABEL("secret_key_from_pem(%s, provider \"%s\")", a->id, p),
               pqshift_secret_key_from_pem(cfg, p, (const uint8_t *)a->sk_pem, strlen(a->sk_pem), &o_sk),
               UNSUPPORTED, NULL);
        size_t pk_len = 0;
        REQUIRE_OK(pqshift_public_key_to_raw(a->pub, buf, sizeof buf, &pk_len));
        expect(LABEL("public_key_from_raw(%s, provider \"%s\")", a->id, p),
               pqshift_public_key_from_raw(cfg, a->id, p, buf, pk_len, &o_pk), UNSUPPORTED, NULL);
    }
}

/* ------------------------------------------------------------------------
 * 4. Per algorithm: lengths, kinds, contexts, flags, invalid signatures
 * ------------------------------------------------------------------------ */

static void lengths(struct alg *a) {
    static unsigned char zeros[8192];
    const pqshift_config *cfg = a->cfg;
    /* Seeds. */
    size_t seeds[] = {0, 1, a->seed - 1, a->seed + 1, a->kind == KEM ? 32 : 2 * a->seed};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        expect(LABEL("%s: seed of %zu bytes", a->id, seeds[i]),
               pqshift_keygen_from_seed(cfg, a->id, NULL, seeds[i] ? zeros : NULL, seeds[i], &o_sk), INVALID,
               NEEDLE("must be %zu bytes long, got %zu bytes", a->seed, seeds[i]));
    if (a->kind == MAC) {
        /* The MAC has no public key, in any form. */
        expect(LABEL("%s: public_key_from_raw", a->id),
               pqshift_public_key_from_raw(cfg, a->id, NULL, zeros, 32, &o_pk), INVALID, NULL);
        expect(LABEL("%s: secret_key_public_key", a->id), pqshift_secret_key_public_key(a->sk, &o_pk), INVALID,
               "no public key");
        size_t n = 0;
        expect(LABEL("%s: secret_key_to_pem", a->id), pqshift_secret_key_to_pem(a->sk, NULL, 0, &n), INVALID, NULL);
    } else {
        /* Raw public keys. */
        size_t pks[] = {0, 1, a->pk - 1, a->pk + 1, 2 * a->pk};
        for (size_t i = 0; i < sizeof pks / sizeof pks[0]; i++)
            expect(LABEL("%s: raw public key of %zu bytes", a->id, pks[i]),
                   pqshift_public_key_from_raw(cfg, a->id, NULL, pks[i] ? zeros : NULL, pks[i], &o_pk), INVALID,
                   NEEDLE("must be %zu bytes long, got %zu bytes", a->pk, pks[i]));
    }
    if (a->kind == KEM) {
        /* Raw ciphertexts. */
        unsigned char ss[32];
        size_t n = 0;
        size_t cts[] = {0, 1, a->ct - 1, a->ct + 1, 2 * a->ct};
        for (size_t i = 0; i < sizeof cts / sizeof cts[0]; i++)
            expect(LABEL("%s: raw ciphertext of %zu bytes", a->id, cts[i]),
                   pqshift_kem_decapsulate(NULL, a->sk, cts[i] ? zeros : NULL, cts[i], PQSHIFT_FLAG_RAW, ss, 32, &n),
                   INVALID, NEEDLE("must be %zu bytes long, got %zu bytes", a->ct, cts[i]));
    } else {
        /* Raw signatures. */
        size_t sigs[] = {0, 1, a->sig - 1, a->sig + 1, 2 * a->sig};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            expect(LABEL("%s: raw signature of %zu bytes", a->id, sigs[i]),
                   verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, sigs[i] ? zeros : NULL, sigs[i], PQSHIFT_FLAG_RAW), INVALID,
                   NEEDLE("must be %zu bytes long, got %zu bytes", a->sig, sigs[i]));
    }
}

static void signatures(struct alg *a) {
    static unsigned char ctx[256], sig[8192], buf[8192];
    memset(ctx, 'c', sizeof ctx);
    const pqshift_config *cfg = a->cfg;
    size_t hl = header_len(a), raw_len = a->sig_bin_len - hl, n = 0;
    const unsigned char *raw = a->sig_bin + hl;

    /* The controls: the tagged binary, tagged text and raw forms verify. */
    expect(LABEL("%s: tagged signature", a->id),
           verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0),
           OK, NULL);
    expect(LABEL("%s: text signature", a->id),
           verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, (const uint8_t *)a->sig_text, strlen(a->sig_text), 0), OK, NULL);
    expect(LABEL("%s: raw signature", a->id), verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, raw, raw_len, PQSHIFT_FLAG_RAW),
           OK, NULL);

    /* Invalid signatures: a bit flipped anywhere, another message, context or key. */
    size_t at[] = {0, raw_len / 2, raw_len - 1};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        memcpy(sig, raw, raw_len);
        sig[at[i]] ^= 0x01;
        expect(LABEL("%s: raw signature, bit flipped at %zu", a->id, at[i]),
               verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, sig, raw_len, PQSHIFT_FLAG_RAW), BAD_SIG, NULL);
        memcpy(sig, a->sig_bin, a->sig_bin_len);
        sig[hl + at[i]] ^= 0x80;
        expect(LABEL("%s: tagged signature, bit flipped at %zu", a->id, hl + at[i]),
               verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, sig, a->sig_bin_len, 0), BAD_SIG, NULL);
    }
    memset(sig, 0, raw_len);
    expect(LABEL("%s: all-zero signature", a->id),
           verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, sig, raw_len, PQSHIFT_FLAG_RAW),
           BAD_SIG, NULL);
    memset(sig, 0xff, raw_len);
    expect(LABEL("%s: all-ones signature", a->id),
           verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, sig, raw_len, PQSHIFT_FLAG_RAW),
           BAD_SIG, NULL);
    expect(LABEL("%s: another message", a->id),
           verify_as(a, cfg, MSG, MSG_LEN - 1, NULL, 0, a->sig_bin, a->sig_bin_len, 0),
           BAD_SIG, NULL);
    expect(LABEL("%s: empty message", a->id), verify_as(a, cfg, NULL, 0, NULL, 0, a->sig_bin, a->sig_bin_len, 0),
           BAD_SIG,
           NULL);
    if (a->kind == MAC)
        expect(LABEL("%s: another key", a->id),
               pqshift_verify_with_secret_key(cfg, a->other_sk, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0),
               BAD_SIG, NULL);
    else
        expect(LABEL("%s: another key", a->id),
               pqshift_verify(cfg, a->other_pub, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0), BAD_SIG, NULL);

    /* Contexts: Ed25519 takes none; the others sign an empty one, so any other fails; 256 bytes is malformed. */
    if (strcmp(a->id, "ed25519") == 0) {
        expect(LABEL("%s: sign with a context", a->id),
               pqshift_sign(NULL, a->sk, MSG, MSG_LEN, ctx, 1, 0, buf, sizeof buf, &n), UNSUPPORTED, "no context");
        expect(LABEL("%s: verify with a context", a->id),
               pqshift_verify(cfg, a->pub, MSG, MSG_LEN, ctx, 1, a->sig_bin, a->sig_bin_len, 0), UNSUPPORTED,
               "no context");
        expect(LABEL("%s: verify with the secret key and a context", a->id),
               pqshift_verify_with_secret_key(cfg, a->sk, MSG, MSG_LEN, ctx, 255, a->sig_bin, a->sig_bin_len, 0),
               UNSUPPORTED, "no context");
    } else {
        expect(LABEL("%s: another context", a->id),
               verify_as(a, cfg, MSG, MSG_LEN, ctx, 1, a->sig_bin, a->sig_bin_len, 0),
               BAD_SIG, NULL);
        expect(LABEL("%s: a 255-byte context", a->id),
               verify_as(a, cfg, MSG, MSG_LEN, ctx, 255, a->sig_bin, a->sig_bin_len, 0), BAD_SIG, NULL);
    }
    expect(LABEL("%s: sign with a 256-byte context", a->id),
           pqshift_sign(a->kind == MAC ? cfg : NULL, a->sk, MSG, MSG_LEN, ctx, 256, 0, buf, sizeof buf, &n), INVALID,
           "at most 255 bytes long, got 256 bytes");
    expect(LABEL("%s: verify with a 256-byte context", a->id),
           verify_as(a, cfg, MSG, MSG_LEN, ctx, 256, a->sig_bin, a->sig_bin_len, 0), INVALID, "at most 255 bytes");
    expect(LABEL("%s: verify_with_secret_key with a 256-byte context", a->id),
           pqshift_verify_with_secret_key(cfg, a->sk, MSG, MSG_LEN, ctx, 256, a->sig_bin, a->sig_bin_len, 0), INVALID,
           "at most 255 bytes");

    /* Flags: unknown bits; DETERMINISTIC means nothing to verify. */
    uint32_t bad_flags[] = {4, 8, 0x80000000u, PQSHIFT_FLAG_RAW | 4};
    for (size_t i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++)
        expect(LABEL("%s: sign with flags %#x", a->id, bad_flags[i]),
               pqshift_sign(cfg, a->sk, MSG, MSG_LEN, NULL, 0, bad_flags[i], buf, sizeof buf, &n), INVALID,
               "unknown flag bits");
    expect(LABEL("%s: verify with DETERMINISTIC", a->id),
           verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, PQSHIFT_FLAG_DETERMINISTIC), INVALID,
           "unknown flag bits");

    /* Policy: signing with a key that is not the [sign] algorithm; verifying what is not accepted. */
    if (a->kind == SIG) {
        pqshift_result want = strcmp(a->id, "ml-dsa-65") == 0 ? OK : POLICY;
        expect(LABEL("%s: sign under [sign] ml-dsa-65", a->id),
               pqshift_sign(cfg_all, a->sk, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, &n), want,
               want == POLICY ? "signs with ml-dsa-65" : NULL);
        want = strcmp(a->id, "ed25519") == 0 ? OK : POLICY;
        expect(LABEL("%s: verify under the default (accepts ed25519)", a->id),
               pqshift_verify(NULL, a->pub, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0), want,
               want == POLICY ? "not accepted" : NULL);
        expect(LABEL("%s: verify under the placeholder's configuration", a->id),
               pqshift_verify(cfg_insecure, a->pub, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0), POLICY,
               "not accepted");
    } else {
        expect(LABEL("%s: sign under the default", a->id),
               pqshift_sign(NULL, a->sk, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, &n), POLICY, NULL);
        expect(LABEL("%s: verify under the default", a->id),
               pqshift_verify_with_secret_key(NULL, a->sk, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0),
               POLICY, NULL);
        expect(LABEL("%s: verify under [sign] ml-dsa-65", a->id),
               pqshift_verify_with_secret_key(cfg_all, a->sk, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0),
               POLICY, NULL);
    }

    /* Another algorithm's signature (tagged: a mismatch; raw: a wrong length). */
    struct alg *b = next_of_kind(a);
    if (b != NULL) {
        expect(LABEL("%s: a tagged %s signature", a->id, b->id),
               verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, b->sig_bin, b->sig_bin_len, 0), INVALID, "mismatch");
        expect(LABEL("%s: a raw %s signature", a->id, b->id),
               verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, b->sig_bin + header_len(b), b->sig_bin_len - header_len(b),
                         PQSHIFT_FLAG_RAW),
               INVALID, "bytes long");
        expect(LABEL("%s: contract_verify with a %s signature", a->id, b->id),
               pqshift_contract_verify(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, b->sig_bin, b->sig_bin_len), INVALID,
               "mismatch");
    }
    /* A placeholder tag is the right length for nothing else; an Ed25519 one is not a tag. */
    if (a->kind == MAC) {
        struct alg *ed = alg_named("ed25519");
        expect(LABEL("%s: an ed25519 signature", a->id),
               verify_as(a, cfg, MSG, MSG_LEN, NULL, 0, ed->sig_bin, ed->sig_bin_len, 0), POLICY, "not accepted");
        expect(LABEL("ed25519: a %s tag", a->id),
               pqshift_verify(cfg_all, ed->pub, MSG, MSG_LEN, NULL, 0, a->sig_bin, a->sig_bin_len, 0), POLICY,
               "not accepted");
    }

    /* The porting contract. */
    expect(LABEL("%s: contract_verify", a->id),
           pqshift_contract_verify(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, a->sig_bin, a->sig_bin_len), OK, NULL);
    memcpy(sig, a->sig_bin, a->sig_bin_len);
    sig[a->sig_bin_len - 1] ^= 0x01;
    expect(LABEL("%s: contract_verify of a flipped signature", a->id),
           pqshift_contract_verify(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, sig, a->sig_bin_len), BAD_SIG, NULL);
    expect(LABEL("%s: contract_verify of a truncated signature", a->id),
           pqshift_contract_verify(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, a->sig_bin,
                                   a->sig_bin_len - 1), INVALID, NULL);
    expect(LABEL("%s: contract_verify with the signature as the key", a->id),
           pqshift_contract_verify(a->sig_bin, a->sig_bin_len, MSG, MSG_LEN, a->sig_bin, a->sig_bin_len), INVALID,
           "expected a tagged");
    expect(LABEL("%s: contract_verify with the key as the signature", a->id),
           pqshift_contract_verify(a->sk_bin, a->sk_bin_len, MSG, MSG_LEN, a->sk_bin, a->sk_bin_len), INVALID,
           "expected a tagged");
    expect(LABEL("%s: contract_sign with the signature as the key", a->id),
           pqshift_contract_sign(a->sig_bin, a->sig_bin_len, MSG, MSG_LEN, buf, sizeof buf, &n), INVALID,
           "expected a tagged");
    if (a->kind == SIG) {
        expect(LABEL("%s: contract_verify with the text public key", a->id),
               pqshift_contract_verify((const uint8_t *)a->pk_text, strlen(a->pk_text), MSG, MSG_LEN, a->sig_bin,
                                       a->sig_bin_len),
               OK, NULL);
        expect(LABEL("%s: contract_sign with the public key", a->id),
               pqshift_contract_sign((const uint8_t *)a->pk_text, strlen(a->pk_text), MSG, MSG_LEN, buf, sizeof buf,
                                     &n),
               INVALID, "expected a tagged");
    }

    /* Kinds: signature keys cannot encapsulate or decapsulate. */
    unsigned char ss[32];
    if (a->kind == SIG)
        expect(LABEL("%s: kem_encapsulate", a->id),
               pqshift_kem_encapsulate(NULL, a->pub, 0, buf, sizeof buf, &n, ss, 32, &n), INVALID, "not a KEM");
    expect(LABEL("%s: kem_decapsulate", a->id),
           pqshift_kem_decapsulate(NULL, a->sk, a->sig_bin, a->sig_bin_len, 0, ss, 32, &n), INVALID, "not a KEM");
}

static void kem(struct alg *a) {
    static unsigned char ct[8192], buf[8192], big[8192];
    unsigned char ss[32], ss2[32];
    size_t n = 0, m = 0;
    size_t hl = header_len(a), raw_len = a->ct_bin_len - hl;

    /* Controls: binary, text and raw forms decapsulate to the same secret. */
    expect(LABEL("%s: tagged ciphertext", a->id),
           pqshift_kem_decapsulate(NULL, a->sk, a->ct_bin, a->ct_bin_len, 0, ss, 32, &n),
           OK, NULL);
    CHECK(n == 32 && memcmp(ss, a->ss, 32) == 0);
    expect(LABEL("%s: text ciphertext", a->id),
           pqshift_kem_decapsulate(NULL, a->sk, (const uint8_t *)a->ct_text, strlen(a->ct_text), 0, ss, 32,
                                   &n), OK, NULL);
    CHECK(memcmp(ss, a->ss, 32) == 0);
    expect(LABEL("%s: raw ciphertext", a->id),
           pqshift_kem_decapsulate(NULL, a->sk, a->ct_bin + hl, raw_len, PQSHIFT_FLAG_RAW, ss, 32, &n), OK, NULL);
    CHECK(memcmp(ss, a->ss, 32) == 0);
    /* Implicit rejection: a modified ciphertext of the right length is no error, just another secret. */
    memcpy(ct, a->ct_bin, a->ct_bin_len);
    ct[hl + raw_len / 2] ^= 0x04;
    expect(LABEL("%s: modified ciphertext", a->id),
           pqshift_kem_decapsulate(NULL, a->sk, ct, a->ct_bin_len, 0, ss, 32, &n),
           OK, NULL);
    CHECK(memcmp(ss, a->ss, 32) != 0);
    expect(LABEL("%s: another key's ciphertext", a->id),
           pqshift_kem_decapsulate(NULL, a->other_sk, a->ct_bin, a->ct_bin_len, 0, ss2, 32, &n), OK, NULL);
    CHECK(memcmp(ss2, a->ss, 32) != 0);

    /* An encapsulation key failing the FIPS 203 modulus check (coefficients >= q). */
    memset(big, 0xff, a->pk);
    expect(LABEL("%s: raw encapsulation key of 0xff bytes", a->id),
           pqshift_public_key_from_raw(NULL, a->id, NULL, big, a->pk, &o_pk), INVALID, NULL);

    /* Kinds and flags. */
    expect(LABEL("%s: sign with a KEM key", a->id),
           pqshift_sign(NULL, a->sk, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, &n),
           INVALID, "KEM");
    expect(LABEL("%s: verify with a KEM key", a->id),
           pqshift_verify(cfg_all, a->pub, MSG, MSG_LEN, NULL, 0, a->ct_bin, a->ct_bin_len, 0), INVALID, "KEM");
    expect(LABEL("%s: verify_with_secret_key with a KEM key", a->id),
           pqshift_verify_with_secret_key(cfg_all, a->sk, MSG, MSG_LEN, NULL, 0, a->ct_bin, a->ct_bin_len, 0), INVALID,
           "KEM");
    expect(LABEL("%s: contract_keygen", a->id), pqshift_contract_keygen(a->id, 1, buf, sizeof buf, &n), INVALID, NULL);
    expect(LABEL("%s: contract_sign with a KEM key", a->id),
           pqshift_contract_sign((const uint8_t *)a->sk_text, strlen(a->sk_text), MSG, MSG_LEN, buf, sizeof buf, &n),
           INVALID, NULL);
    expect(LABEL("%s: contract_verify with a KEM key", a->id),
           pqshift_contract_verify((const uint8_t *)a->pk_text, strlen(a->pk_text), MSG, MSG_LEN, a->ct_bin,
                                   a->ct_bin_len),
           INVALID, "expected a tagged");
    uint32_t bad_flags[] = {PQSHIFT_FLAG_DETERMINISTIC, 4, 0x80000000u};
    for (size_t i = 0; i < sizeof bad_flags / sizeof bad_flags[0]; i++) {
        expect(LABEL("%s: encapsulate with flags %#x", a->id, bad_flags[i]),
               pqshift_kem_encapsulate(NULL, a->pub, bad_flags[i], ct, sizeof ct, &n, ss, 32, &m), INVALID,
               "unknown flag bits");
        expect(LABEL("%s: decapsulate with flags %#x", a->id, bad_flags[i]),
               pqshift_kem_decapsulate(NULL, a->sk, a->ct_bin, a->ct_bin_len, bad_flags[i], ss, 32, &n), INVALID,
               "unknown flag bits");
    }
    /* Policy: a [kem] section naming another KEM. */
    pqshift_result want = strcmp(a->id, "ml-kem-768") == 0 ? OK : POLICY;
    expect(LABEL("%s: encapsulate under [kem] ml-kem-768", a->id),
           pqshift_kem_encapsulate(cfg_kem768, a->pub, 0, ct, sizeof ct, &n, ss, 32, &m), want,
           want == POLICY ? "[kem] algorithm" : NULL);
    expect(LABEL("%s: decapsulate under [kem] ml-kem-768", a->id),
           pqshift_kem_decapsulate(cfg_kem768, a->sk, a->ct_bin, a->ct_bin_len, 0, ss, 32, &n), want,
           want == POLICY ? "[kem] algorithm" : NULL);
    /* Another KEM's ciphertext. */
    struct alg *b = next_of_kind(a);
    expect(LABEL("%s: a tagged %s ciphertext", a->id, b->id),
           pqshift_kem_decapsulate(NULL, a->sk, b->ct_bin, b->ct_bin_len, 0, ss, 32, &n), INVALID, "mismatch");
    expect(LABEL("%s: a raw %s ciphertext", a->id, b->id),
           pqshift_kem_decapsulate(NULL, a->sk, b->ct_bin + header_len(b), b->ct_bin_len - header_len(b),
                                   PQSHIFT_FLAG_RAW,
                                   ss, 32, &n),
           INVALID, "bytes long");
    expect(LABEL("%s: a signature as the ciphertext", a->id),
           pqshift_kem_decapsulate(NULL, a->sk, ALGS[0].sig_bin, ALGS[0].sig_bin_len, 0, ss, 32, &n), INVALID,
           "expected a tagged");
}

/* Keys of one kind or algorithm where another is expected; PEM of the wrong kind. */
static void key_kinds(struct alg *a) {
    const pqshift_config *cfg = a->cfg;
    if (a->kind != MAC) {
        expect(LABEL("%s: secret_key_from_tagged(public key)", a->id),
               pqshift_secret_key_from_tagged(cfg, NULL, (const uint8_t *)a->pk_text, strlen(a->pk_text),
                                              &o_sk), INVALID,
               "expected a tagged secret key");
        expect(LABEL("%s: public_key_from_tagged(secret key)", a->id),
               pqshift_public_key_from_tagged(cfg, NULL, (const uint8_t *)a->sk_text, strlen(a->sk_text),
                                              &o_pk), INVALID,
               "expected a tagged public key");
        expect(LABEL("%s: secret_key_from_pem(public PEM)", a->id),
               pqshift_secret_key_from_pem(cfg, NULL, (const uint8_t *)a->pk_pem, strlen(a->pk_pem),
                                           &o_sk), INVALID, NULL);
        expect(LABEL("%s: public_key_from_pem(private PEM)", a->id),
               pqshift_public_key_from_pem(cfg, NULL, (const uint8_t *)a->sk_pem, strlen(a->sk_pem),
                                           &o_pk), INVALID, NULL);
        size_t pem_len = strlen(a->pk_pem);
        expect(LABEL("%s: public PEM cut short", a->id),
               pqshift_public_key_from_pem(cfg, NULL, (const uint8_t *)a->pk_pem, pem_len - 40, &o_pk), INVALID, NULL);
        expect(LABEL("%s: public PEM with its trailing NUL", a->id),
               pqshift_public_key_from_pem(cfg, NULL, (const uint8_t *)a->pk_pem, pem_len + 1, &o_pk), OK, NULL);
        expect(LABEL("%s: private PEM with its trailing NUL", a->id),
               pqshift_secret_key_from_pem(cfg, NULL, (const uint8_t *)a->sk_pem, strlen(a->sk_pem) + 1,
                                           &o_sk), OK, NULL);
        /* Another algorithm's raw public key under this name. */
        struct alg *b = next_of_kind(a);
        static unsigned char raw[8192];
        size_t n = 0;
        REQUIRE_OK(pqshift_public_key_to_raw(b->pub, raw, sizeof raw, &n));
        expect(LABEL("%s: a raw %s public key", a->id, b->id),
               pqshift_public_key_from_raw(cfg, a->id, NULL, raw, n, &o_pk),
               INVALID, NEEDLE("must be %zu bytes long, got %zu bytes", a->pk, n));
    }
    expect(LABEL("%s: secret_key_from_tagged(text, with its trailing NUL)", a->id),
           pqshift_secret_key_from_tagged(cfg, NULL, (const uint8_t *)a->sk_text, strlen(a->sk_text) + 1,
                                          &o_sk), OK, NULL);
    if (a->kind != KEM) {
        expect(LABEL("%s: secret_key_from_tagged(signature)", a->id),
               pqshift_secret_key_from_tagged(cfg, NULL, a->sig_bin, a->sig_bin_len,
                                              &o_sk), INVALID, "expected a tagged");
        if (a->kind == SIG)
            expect(LABEL("%s: public_key_from_tagged(signature)", a->id),
                   pqshift_public_key_from_tagged(cfg, NULL, a->sig_bin, a->sig_bin_len,
                                                  &o_pk), INVALID, "expected a tagged");
    } else {
        expect(LABEL("%s: secret_key_from_tagged(ciphertext)", a->id),
               pqshift_secret_key_from_tagged(cfg, NULL, a->ct_bin, a->ct_bin_len,
                                              &o_sk), INVALID, "expected a tagged");
        expect(LABEL("%s: public_key_from_tagged(ciphertext)", a->id),
               pqshift_public_key_from_tagged(cfg, NULL, a->ct_bin, a->ct_bin_len,
                                              &o_pk), INVALID, "expected a tagged");
    }
}

/* ------------------------------------------------------------------------
 * 5. Tagged envelopes: every corruption of every form of every object
 * ------------------------------------------------------------------------ */

/* Binary form: "PQSH", version, kind, n, ID (n bytes), [fingerprint 32], payload. */
enum bin_mut {
    B_TRUNC1, B_MAGIC_ONLY, B_IN_ID, B_HEADER_ONLY, B_EXTEND_NUL, B_EXTEND_1, B_BAD_MAGIC, B_VERSION_0,
    B_VERSION_2, B_KIND_0, B_KIND_9, B_KIND_OTHER, B_ID_UNKNOWN, B_ID_ALIAS, B_ID_EMPTY, B_FP_FLIP,
};

static const struct {
    enum bin_mut m;
    const char *name;
    pqshift_result want;
    const char *needle;
    int keys_only;
} BIN_MUTS[] = {
    {B_TRUNC1, "truncated by one byte", INVALID, NULL, 0},
    {B_MAGIC_ONLY, "the magic alone", INVALID, "truncated before its version", 0},
    {B_IN_ID, "cut inside the algorithm ID", INVALID, "truncated inside its algorithm ID", 0},
    {B_HEADER_ONLY, "the header alone", INVALID, NULL, 0},
    {B_EXTEND_NUL, "extended by a 0x00 byte", INVALID, NULL, 0},
    {B_EXTEND_1, "extended by a 0x01 byte", INVALID, NULL, 0},
    {B_BAD_MAGIC, "magic PQSX", INVALID, "not a tagged pqshift object", 0},
    {B_VERSION_0, "version 0", INVALID, "version 0 is not supported", 0},
    {B_VERSION_2, "version 2", INVALID, "version 2 is not supported", 0},
    {B_KIND_0, "kind 0", INVALID, NULL, 0},
    {B_KIND_9, "kind 9", INVALID, NULL, 0},
    {B_KIND_OTHER, "another kind", INVALID, NULL, 0},
    {B_ID_UNKNOWN, "an unknown algorithm ID", UNSUPPORTED, "unknown algorithm", 0},
    {B_ID_ALIAS, "an upper-case alias as the ID", UNSUPPORTED, "unknown algorithm", 0},
    {B_ID_EMPTY, "an empty algorithm ID", UNSUPPORTED, "unknown algorithm", 0},
    {B_FP_FLIP, "a flipped fingerprint", INVALID, "fingerprint", 1},
};

static size_t bin_mutate(enum bin_mut m, const unsigned char *src, size_t len, unsigned char *out) {
    size_t n = src[6];
    memcpy(out, src, len);
    switch (m) {
    case B_TRUNC1: return len - 1;
    case B_MAGIC_ONLY: return 4;
    case B_IN_ID: return 7 + n - 2;
    case B_HEADER_ONLY: return 7 + n;
    case B_EXTEND_NUL: out[len] = 0x00; return len + 1;
    case B_EXTEND_1: out[len] = 0x01; return len + 1;
    case B_BAD_MAGIC: out[3] = 'X'; return len;
    case B_VERSION_0: out[4] = 0; return len;
    case B_VERSION_2: out[4] = 2; return len;
    case B_KIND_0: out[5] = 0; return len;
    case B_KIND_9: out[5] = 9; return len;
    /* public key 1 <-> signature 3 <-> ciphertext 4, secret key 2 -> signature 3 */
    case B_KIND_OTHER: out[5] = out[5] == 3 ? 1 : 3; return len;
    case B_ID_UNKNOWN: out[7 + n - 1] = 'z'; return len;
    case B_ID_ALIAS:
        for (size_t i = 7; i < 7 + n; i++)
            if (out[i] >= 'a' && out[i] <= 'z') out[i] = (unsigned char)(out[i] - 'a' + 'A');
        return len;
    case B_ID_EMPTY: out[6] = 0; memmove(out + 7, src + 7 + n, len - 7 - n); return len - n;
    case B_FP_FLIP: out[7 + n] ^= 0x01; return len;
    }
    return len;
}

/* Text form: pqshift1:KIND:ALG[:FINGERPRINT]:PAYLOAD */
enum text_mut {
    T_PREFIX, T_NO_PREFIX, T_CUT1, T_EXTEND_A, T_PADDING, T_STD_ALPHABET, T_KIND_UNKNOWN, T_KIND_OTHER,
    T_ALG_UPPER, T_ALG_UNKNOWN, T_EXTRA_FIELD, T_NO_PAYLOAD, T_INNER_NUL, T_INNER_SPACE, T_FP_NOT_HEX,
    T_FP_UPPER, T_FP_SHORT, T_FP_FLIP, T_NEWLINE, T_BLANKS,
};

static const struct {
    enum text_mut m;
    const char *name;
    pqshift_result want;
    const char *needle;
    int keys_only;
} TEXT_MUTS[] = {
    {T_PREFIX, "prefix pqshift2:", INVALID, "not a tagged pqshift object", 0},
    {T_NO_PREFIX, "no prefix", INVALID, "not a tagged pqshift object", 0},
    {T_CUT1, "payload cut by one character", INVALID, NULL, 0},
    {T_EXTEND_A, "payload extended by \"AAAA\"", INVALID, NULL, 0},
    {T_PADDING, "payload padded with \"==\"", INVALID, NULL, 0},
    {T_STD_ALPHABET, "a '+' in the payload", INVALID, "base64url", 0},
    {T_KIND_UNKNOWN, "kind \"key\"", INVALID, NULL, 0},
    {T_KIND_OTHER, "another kind", INVALID, NULL, 0},
    {T_ALG_UPPER, "the algorithm in upper case", UNSUPPORTED, "unknown algorithm", 0},
    {T_ALG_UNKNOWN, "an unknown algorithm", UNSUPPORTED, "unknown algorithm", 0},
    {T_EXTRA_FIELD, "an extra field", INVALID, "fields", 0},
    {T_NO_PAYLOAD, "no payload field", INVALID, "fields", 0},
    {T_INNER_NUL, "a NUL inside the payload", INVALID, NULL, 0},
    {T_INNER_SPACE, "a space inside the payload", INVALID, NULL, 0},
    {T_FP_NOT_HEX, "a fingerprint that is not hex", INVALID, "hex", 1},
    {T_FP_UPPER, "a fingerprint in upper-case hex", INVALID, "lower-case hex", 1},
    {T_FP_SHORT, "a 31-byte fingerprint", INVALID, "32 bytes", 1},
    {T_FP_FLIP, "a wrong fingerprint", INVALID, "fingerprint", 1},
    {T_NEWLINE, "a trailing newline (allowed)", OK, NULL, 0},
    {T_BLANKS, "surrounding blanks (allowed)", OK, NULL, 0},
};

/* Writes the mutated text (not NUL-terminated) into out; returns its length. */
static size_t text_mutate(enum text_mut m, const char *src, char *out) {
    size_t len = strlen(src);
    const char *k = src + 9;                /* after "pqshift1:" */
    const char *a = strchr(k, ':') + 1;     /* the algorithm */
    const char *last = strrchr(src, ':') + 1; /* the payload */
    const char *fp = strchr(a, ':') + 1;    /* keys: the fingerprint; others: the payload */
    size_t pre;
    memcpy(out, src, len + 1);
    switch (m) {
    case T_PREFIX: out[7] = '2'; return len;
    case T_NO_PREFIX: memcpy(out, src + 9, len - 9); return len - 9;
    case T_CUT1: return len - 1;
    case T_EXTEND_A: memcpy(out + len, "AAAA", 4); return len + 4;
    case T_PADDING: memcpy(out + len, "==", 2); return len + 2;
    case T_STD_ALPHABET: out[len - 2] = '+'; return len;
    case T_KIND_UNKNOWN:
        pre = (size_t)(k - src);
        len = (size_t)sprintf(out + pre, "key%s", strchr(k, ':')) + pre;
        return len;
    case T_KIND_OTHER: {
        /* pub <-> sec, sig -> ct, ct -> sig */
        const char *other = strncmp(k, "pub:", 4) == 0 ? "sec" : strncmp(k, "sec:", 4) == 0 ? "pub"
                          : strncmp(k, "sig:", 4) == 0 ? "ct" : "sig";
        pre = (size_t)(k - src);
        return (size_t)sprintf(out + pre, "%s%s", other, strchr(k, ':')) + pre;
    }
    case T_ALG_UPPER:
        for (size_t i = (size_t)(a - src); out[i] != ':'; i++)
            if (out[i] >= 'a' && out[i] <= 'z') out[i] = (char)(out[i] - 'a' + 'A');
        return len;
    case T_ALG_UNKNOWN: out[(size_t)(strchr(a, ':') - src) - 1] = 'z'; return len;
    case T_EXTRA_FIELD:
        pre = (size_t)(last - src);
        return (size_t)sprintf(out + pre, "x:%s", last) + pre;
    case T_NO_PAYLOAD: return (size_t)(last - src) - 1;
    case T_INNER_NUL: out[(size_t)(last - src) + 4] = '\0'; return len;
    case T_INNER_SPACE: out[(size_t)(last - src) + 4] = ' '; return len;
    case T_FP_NOT_HEX: out[fp - src] = 'g'; return len;
    case T_FP_UPPER:
        for (size_t i = (size_t)(fp - src); out[i] != ':'; i++)
            if (out[i] >= 'a' && out[i] <= 'f') out[i] = (char)(out[i] - 'a' + 'A');
        return len;
    case T_FP_SHORT:
        pre = (size_t)(fp - src);
        memmove(out + pre, src + pre + 2, len - pre - 2);
        return len - 2;
    case T_FP_FLIP: out[fp - src] = fp[0] == '0' ? '1' : '0'; return len;
    case T_NEWLINE: out[len] = '\n'; return len + 1;
    case T_BLANKS:
        out[0] = ' ';
        memcpy(out + 1, src, len);
        memcpy(out + 1 + len, " \r\n", 3);
        return len + 4;
    }
    return len;
}

enum target { TG_SECRET, TG_PUBLIC, TG_SIG, TG_CT };

/* Feeds `data` to the function that reads this kind of object. */
static pqshift_result feed(const struct alg *a, enum target t, const unsigned char *data, size_t len) {
    unsigned char ss[32];
    size_t n = 0;
    switch (t) {
    case TG_SECRET: return pqshift_secret_key_from_tagged(a->cfg, NULL, data, len, &o_sk);
    case TG_PUBLIC: return pqshift_public_key_from_tagged(a->cfg, NULL, data, len, &o_pk);
    case TG_SIG: return verify_as(a, a->cfg, MSG, MSG_LEN, NULL, 0, data, len, 0);
    case TG_CT: return pqshift_kem_decapsulate(NULL, a->sk, data, len, 0, ss, 32, &n);
    }
    return PQSHIFT_ERR_INTERNAL;
}

static const char *TARGET_NAMES[] = {"secret key", "public key", "signature", "ciphertext"};

static void envelope_binary(const struct alg *a, enum target t, const unsigned char *src, size_t len) {
    unsigned char *buf = alloc_or_die(len + 8);
    int is_key = t == TG_SECRET || t == TG_PUBLIC;
    expect(LABEL("%s binary %s: as made", a->id, TARGET_NAMES[t]), feed(a, t, src, len), OK, NULL);
    for (size_t i = 0; i < sizeof BIN_MUTS / sizeof BIN_MUTS[0]; i++) {
        if (BIN_MUTS[i].keys_only && !is_key) continue;
        /* A copy of exactly the mutated length, so valgrind sees any read past it. */
        size_t n = bin_mutate(BIN_MUTS[i].m, src, len, buf);
        unsigned char *exact = dup_bytes(buf, n);
        expect(LABEL("%s binary %s: %s", a->id, TARGET_NAMES[t], BIN_MUTS[i].name), feed(a, t, exact, n),
               BIN_MUTS[i].want, BIN_MUTS[i].needle);
        free(exact);
    }
    free(buf);
}

static void envelope_text(const struct alg *a, enum target t, const char *src) {
    size_t len = strlen(src);
    char *buf = (char *)alloc_or_die(len + 16);
    int is_key = t == TG_SECRET || t == TG_PUBLIC;
    expect(LABEL("%s text %s: as made", a->id, TARGET_NAMES[t]), feed(a, t, (const uint8_t *)src, len), OK, NULL);
    for (size_t i = 0; i < sizeof TEXT_MUTS / sizeof TEXT_MUTS[0]; i++) {
        if (TEXT_MUTS[i].keys_only && !is_key) continue;
        size_t n = text_mutate(TEXT_MUTS[i].m, src, buf);
        unsigned char *exact = dup_bytes(buf, n);
        expect(LABEL("%s text %s: %s", a->id, TARGET_NAMES[t], TEXT_MUTS[i].name), feed(a, t, exact, n),
               TEXT_MUTS[i].want, TEXT_MUTS[i].needle);
        free(exact);
    }
    free(buf);
}

static void envelopes(const struct alg *a) {
    if (a->sk_bin) envelope_binary(a, TG_SECRET, a->sk_bin, a->sk_bin_len);
    if (a->sig_bin) envelope_binary(a, TG_SIG, a->sig_bin, a->sig_bin_len);
    if (a->ct_bin) envelope_binary(a, TG_CT, a->ct_bin, a->ct_bin_len);
    envelope_text(a, TG_SECRET, a->sk_text);
    if (a->pk_text) envelope_text(a, TG_PUBLIC, a->pk_text);
    if (a->sig_text) envelope_text(a, TG_SIG, a->sig_text);
    if (a->ct_text) envelope_text(a, TG_CT, a->ct_text);
}

/* A binary tagged key whose last byte is 0x00 is a valid key: the trailing
 * NUL allowed after the text form must not be cut from the binary form. */
static void binary_keys_ending_in_zero(void) {
    static unsigned char sk[256], pk_bin[256], raw[64];
    size_t sk_len = 0, raw_len = 0;
    int found_sk = 0, found_pk = 0;
    for (uint64_t i = 0; i < 4096 && !(found_sk && found_pk); i++) {
        REQUIRE_OK(pqshift_contract_keygen("ed25519", i, sk, sizeof sk, &sk_len));
        if (!found_sk && sk[sk_len - 1] == 0) {
            found_sk = 1;
            expect(LABEL("ed25519 binary secret key (contract_keygen(%llu)) ending in 0x00", (unsigned long long)i),
                   pqshift_secret_key_from_tagged(NULL, NULL, sk, sk_len, &o_sk), OK, NULL);
        }
        if (found_pk) continue;
        pqshift_secret_key *k = NULL;
        pqshift_public_key *p = NULL;
        /* The seed is the last 32 bytes. */
        REQUIRE_OK(pqshift_keygen_from_seed(NULL, "ed25519", NULL, sk + sk_len - 32, 32, &k));
        REQUIRE_OK(pqshift_secret_key_public_key(k, &p));
        REQUIRE_OK(pqshift_public_key_to_raw(p, raw, sizeof raw, &raw_len));
        pqshift_public_key_free(p);
        pqshift_secret_key_free(k);
        if (raw[raw_len - 1] != 0) continue;
        found_pk = 1;
        /* The binary public key: the secret key's header as kind 1, its fingerprint, the raw key. */
        size_t h = 7 + 7 + 32;
        memcpy(pk_bin, sk, h);
        pk_bin[5] = 1;
        memcpy(pk_bin + h, raw, raw_len);
        expect(LABEL("ed25519 binary public key (of contract_keygen(%llu)) ending in 0x00", (unsigned long long)i),
               pqshift_public_key_from_tagged(NULL, NULL, pk_bin, h + raw_len, &o_pk), OK, NULL);
        pk_bin[h + raw_len] = 0x00;
        expect("ed25519 binary public key with a 0x00 byte appended",
               pqshift_public_key_from_tagged(NULL, NULL, pk_bin, h + raw_len + 1, &o_pk), INVALID, NULL);
    }
    CHECK(found_sk && found_pk);
}

/* ------------------------------------------------------------------------
 * 6. Configuration text and files
 * ------------------------------------------------------------------------ */

static void configurations(void) {
    static const struct {
        const char *toml;
        pqshift_result want;
        const char *needle;
    } T[] = {
        {"", INVALID, "sign"},
        {"not toml at all", INVALID, NULL},
        {"[sign]\n", INVALID, "algorithm"},
        {"[sign]\nalgorithm = 5\n", INVALID, NULL},
        {"[sign]\nalgorithm = [\"ed25519\"]\n", INVALID, NULL},
        {"[sign]\nalgorithm = \"ed25519\"\nalgorithm = \"ed25519\"\n", INVALID, NULL},
        {"[sign]\nalgorithm = \"ed25519\"\n[bogus]\n", INVALID, "bogus"},
        {"[sign]\nalgorithm = \"ed25519\"\nbogus = 1\n", INVALID, "bogus"},
        {"[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecure = \"yes\"\n", INVALID, NULL},
        {"[sign]\nalgorithm = \"ed25519\"\n[policy]\nself_test = \"never\"\n", INVALID, NULL},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = \"ed25519\"\n", INVALID, NULL},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = []\n", INVALID, "empty"},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ED25519\"]\n", INVALID, "twice"},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"ml-kem-512\"]\n", INVALID,
         "kem algorithm"},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"rsa\"]\n", UNSUPPORTED, "rsa"},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ml-dsa-65\"]\n", POLICY,
         "does not list the signing algorithm"},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\"]\n"
         "[verify.providers]\n\"ml-dsa-65\" = \"liboqs\"\n",
         INVALID, "does not list"},
        {"[sign]\nalgorithm = \"ed25519\"\n[verify]\naccept = [\"ed25519\", \"insecure-test-hmac-sha256\"]\n", POLICY,
         "allow_insecure"},
        {"[sign]\nalgorithm = \"ml-kem-768\"\n", INVALID, "kem algorithm"},
        {"[sign]\nalgorithm = \"ed25519\"\nprovider = \"liboqs\"\n", UNSUPPORTED, NULL},
        {"[sign]\nalgorithm = \"ed25519\"\nprovider = \"nope\"\n", UNSUPPORTED, "nope"},
        {"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n", POLICY, "allow_insecure"},
        {"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = false\n", POLICY,
         "allow_insecure"},
        {"[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-dsa-65\"\n", INVALID, "needs a kem algorithm"},
        {"[sign]\nalgorithm = \"ed25519\"\n[kem]\nalgorithm = \"ml-kem-999\"\n", UNSUPPORTED, "ml-kem-999"},
        {"[sign]\nalgorithm = \"ed25519\"\n[kem]\n", INVALID, "algorithm"},
        {"[sign]\nalgorithm = \"ed25519\"\nprovider = \"dalek\"\n[shadow]\nprovider = \"dalek\"\n", POLICY,
         "independent"},
        {"[sign]\nalgorithm = \"ed25519\"\n[shadow]\nprovider = \"nope\"\n", UNSUPPORTED, NULL},
        /* Controls. */
        {"[sign]\nalgorithm = \"ML-DSA-65\"\n", OK, NULL},
        {"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n", OK, NULL},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
        expect(LABEL("config_from_toml(\"%s\")", T[i].toml), pqshift_config_from_toml(T[i].toml, &o_cfg), T[i].want,
               T[i].needle);
    /* The 'inline' source is named in every message about the text. */
    CASE(INVALID, "inline configuration", pqshift_config_from_toml("[sign]\nalgorithm = \"ed25519\"\nx = 1\n", &o_cfg));

    CASE(INVALID, "cannot read configuration file /nonexistent/pqshift.toml",
         pqshift_config_load("/nonexistent/pqshift.toml", &o_cfg));
    CASE(INVALID, "cannot read configuration file /", pqshift_config_load("/", &o_cfg));
    CASE(INVALID, "/dev/null", pqshift_config_load("/dev/null", &o_cfg));
    CASE(INVALID, "cannot read", pqshift_config_load("", &o_cfg));
    /* NULL path: $PQSHIFT_CONFIG (unset by the driver) or the built-in default. */
    CASE(OK, NULL, pqshift_config_load(NULL, &o_cfg));
    /* Too late to install: earlier calls with a NULL config fixed the process-wide policy. */
    CASE(POLICY, "already installed", pqshift_config_install(cfg_all));
}

/* ------------------------------------------------------------------------
 * 7. The insecure placeholder without allow_insecure
 * ------------------------------------------------------------------------ */

static void placeholder(void) {
    struct alg *mac = alg_named("insecure-test-hmac-sha256");
    unsigned char seed[32] = {9}, buf[256];
    size_t n = 0;
    pqshift_config *no = config("[sign]\nalgorithm = \"ed25519\"\n[policy]\nallow_insecure = false\n");
    const pqshift_config *refusing[] = {NULL, no, cfg_all};
    for (size_t i = 0; i < 3; i++) {
        const pqshift_config *c = refusing[i];
        const char *cn = i == 0 ? "the default" : i == 1 ? "allow_insecure = false" : "[sign] ml-dsa-65";
        expect(LABEL("placeholder keygen_from_seed under %s", cn),
               pqshift_keygen_from_seed(c, mac->id, NULL, seed, 32, &o_sk), POLICY, "allow_insecure");
        expect(LABEL("placeholder keygen under %s", cn), pqshift_keygen(c, mac->id, NULL, &o_sk), POLICY,
               "allow_insecure");
        expect(LABEL("placeholder keygen_from_seed(provider placeholder) under %s", cn),
               pqshift_keygen_from_seed(c, mac->id, "placeholder", seed, 32, &o_sk), POLICY, "allow_insecure");
        expect(LABEL("placeholder secret_key_from_tagged(binary) under %s", cn),
               pqshift_secret_key_from_tagged(c, NULL, mac->sk_bin, mac->sk_bin_len, &o_sk), POLICY, "allow_insecure");
        expect(LABEL("placeholder secret_key_from_tagged(text) under %s", cn),
               pqshift_secret_key_from_tagged(c, NULL, (const uint8_t *)mac->sk_text, strlen(mac->sk_text), &o_sk),
               POLICY, "allow_insecure");
        expect(LABEL("placeholder sign under %s", cn),
               pqshift_sign(c, mac->sk, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, &n), POLICY, NULL);
        expect(LABEL("placeholder verify_with_secret_key under %s", cn),
               pqshift_verify_with_secret_key(c, mac->sk, MSG, MSG_LEN, NULL, 0, mac->sig_bin, mac->sig_bin_len, 0),
               POLICY, NULL);
    }
    /* The controls: allowed, it works. */
    CASE(OK, NULL, pqshift_keygen_from_seed(cfg_insecure, mac->id, NULL, seed, 32, &o_sk));
    CASE(OK, NULL, pqshift_sign(cfg_insecure, mac->sk, MSG, MSG_LEN, NULL, 0, 0, buf, sizeof buf, &n));
    /* The contract takes no configuration: the placeholder is not refused there. */
    CASE(OK, NULL, pqshift_contract_verify(mac->sk_bin, mac->sk_bin_len, MSG, MSG_LEN, mac->sig_bin, mac->sig_bin_len));
    pqshift_config_free(no);
}

/* ------------------------------------------------------------------------
 * 8. The last-error message: per thread, cleared by a success
 * ------------------------------------------------------------------------ */

static void *fail_on_another_thread(void *arg) {
    (void)arg;
    unsigned char h[32] = {0};
    pqshift_result rc = pqshift_keygen_from_seed(NULL, "other-thread-alg", NULL, h, 32, NULL);
    return (void *)(uintptr_t)(rc == PQSHIFT_ERR_INVALID_INPUT &&
                               strstr(pqshift_last_error_message(), "key_out is NULL") != NULL);
}

static void last_error(void) {
    unsigned char seed[32] = {0}, h[32];
    CASE(UNSUPPORTED, "unsupported: unknown algorithm \"no-such-alg\"",
         pqshift_keygen_from_seed(NULL, "no-such-alg", NULL, seed, 32, &o_sk));
    /* Another thread's failure does not touch this thread's message. */
    pqshift_result rc = pqshift_keygen_from_seed(NULL, "mine", NULL, seed, 32, &o_sk);
    pthread_t t;
    void *ok = NULL;
    CHECK(pthread_create(&t, NULL, fail_on_another_thread, NULL) == 0);
    CHECK(pthread_join(t, &ok) == 0);
    CHECK(ok != NULL);
    expect("this thread's message after another thread failed", rc, UNSUPPORTED, "\"mine\"");
    /* A success clears it; the static accessors do not count as calls that fail. */
    CASE(OK, NULL, pqshift_sha256(NULL, 0, h));
    CHECK(strcmp(pqshift_last_error_message(), "") == 0);
    CASE(UNSUPPORTED, "x", pqshift_keygen_from_seed(NULL, "x", NULL, seed, 32, &o_sk));
    CHECK(pqshift_result_message(PQSHIFT_ERR_UNSUPPORTED) != NULL);
    CHECK(strstr(pqshift_last_error_message(), "\"x\"") != NULL);
    /* Messages never repeat secret input: a bad seed's bytes are not echoed. */
    memset(seed, 0x5a, sizeof seed);
    CASE(INVALID, "got 31 bytes", pqshift_keygen_from_seed(NULL, "ed25519", NULL, seed, 31, &o_sk));
    CHECK(strstr(pqshift_last_error_message(), "5a5a") == NULL && strstr(pqshift_last_error_message(), "ZZZZ") == NULL);
}

int main(void) {
    setup();
    null_pointers();
    output_buffers();
    names();
    for (size_t i = 0; i < N_ALGS; i++) {
        struct alg *a = &ALGS[i];
        lengths(a);
        key_kinds(a);
        if (a->kind == KEM)
            kem(a);
        else
            signatures(a);
        envelopes(a);
    }
    binary_keys_ending_in_zero();
    configurations();
    placeholder();
    last_error();
    teardown();
    printf("bad_input: %d cases\n", cases);
    return finish("bad_input");
}
