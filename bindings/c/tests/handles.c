/* Handle type tags: a handle of one type passed where another is expected
 * (a public key as a secret key, a configuration as a key, a key as a
 * configuration, a secret key freed with pqshift_public_key_free), a
 * double free and a use after free are PQSHIFT_ERR_INVALID_INPUT with a
 * message, never a crash, and a _free of the wrong type frees nothing.
 *
 * Every function that takes a handle is called with each wrong handle in
 * each handle argument. The freed-handle cases read memory already given
 * back to the allocator: that is what they test (SECURITY.md, "C handles":
 * detected while the memory has not been reused), and what valgrind
 * rightly reports as an invalid read, so under valgrind the driver passes
 * --no-freed and they are skipped.
 *
 *   handles [--no-freed]
 */
#include "check.h"

static const unsigned char MSG[] = "message";

enum role { CONFIG = 1, SECRET = 2, PUBLIC = 4 };

/* The handles one call is made with. */
struct args {
    const pqshift_config *cfg;
    const pqshift_secret_key *sk;
    const pqshift_public_key *pk;
};

/* Frees what a call that should have failed made anyway (none expected). */
static void drop_secret(pqshift_result rc, pqshift_secret_key *k) {
    if (rc == PQSHIFT_OK) pqshift_secret_key_free(k);
}
static void drop_public(pqshift_result rc, pqshift_public_key *k) {
    if (rc == PQSHIFT_OK) pqshift_public_key_free(k);
}

/* One call per function that takes a handle; `roles` are the handle
 * arguments it takes. */
struct op {
    const char *name;
    int roles;
    pqshift_result (*call)(const struct args *a);
};

static unsigned char seed[32] = {7};
static unsigned char buf[8192];
static size_t n;

static pqshift_result op_config_install(const struct args *a) {
    return pqshift_config_install(a->cfg);
}
static pqshift_result op_keygen_from_seed(const struct args *a) {
    pqshift_secret_key *k = NULL;
    pqshift_result rc = pqshift_keygen_from_seed(a->cfg, "ed25519", NULL, seed, sizeof seed, &k);
    drop_secret(rc, k);
    return rc;
}
static pqshift_result op_keygen(const struct args *a) {
    pqshift_secret_key *k = NULL;
    pqshift_result rc = pqshift_keygen(a->cfg, "ed25519", NULL, &k);
    drop_secret(rc, k);
    return rc;
}
static pqshift_result op_secret_key_public_key(const struct args *a) {
    pqshift_public_key *k = NULL;
    pqshift_result rc = pqshift_secret_key_public_key(a->sk, &k);
    drop_public(rc, k);
    return rc;
}
static pqshift_result op_secret_key_to_tagged(const struct args *a) {
    return pqshift_secret_key_to_tagged(a->sk, (char *)buf, sizeof buf, &n);
}
static pqshift_result op_secret_key_to_pem(const struct args *a) {
    return pqshift_secret_key_to_pem(a->sk, (char *)buf, sizeof buf, &n);
}
static pqshift_result op_secret_key_from_tagged(const struct args *a) {
    pqshift_secret_key *k = NULL;
    pqshift_result rc = pqshift_secret_key_from_tagged(a->cfg, NULL, MSG, sizeof MSG, &k);
    drop_secret(rc, k);
    return rc;
}
static pqshift_result op_secret_key_from_pem(const struct args *a) {
    pqshift_secret_key *k = NULL;
    pqshift_result rc = pqshift_secret_key_from_pem(a->cfg, NULL, MSG, sizeof MSG, &k);
    drop_secret(rc, k);
    return rc;
}
static pqshift_result op_public_key_to_tagged(const struct args *a) {
    return pqshift_public_key_to_tagged(a->pk, (char *)buf, sizeof buf, &n);
}
static pqshift_result op_public_key_to_pem(const struct args *a) {
    return pqshift_public_key_to_pem(a->pk, (char *)buf, sizeof buf, &n);
}
static pqshift_result op_public_key_to_raw(const struct args *a) {
    return pqshift_public_key_to_raw(a->pk, buf, sizeof buf, &n);
}
static pqshift_result op_public_key_from_tagged(const struct args *a) {
    pqshift_public_key *k = NULL;
    pqshift_result rc = pqshift_public_key_from_tagged(a->cfg, NULL, MSG, sizeof MSG, &k);
    drop_public(rc, k);
    return rc;
}
static pqshift_result op_public_key_from_pem(const struct args *a) {
    pqshift_public_key *k = NULL;
    pqshift_result rc = pqshift_public_key_from_pem(a->cfg, NULL, MSG, sizeof MSG, &k);
    drop_public(rc, k);
    return rc;
}
static pqshift_result op_public_key_from_raw(const struct args *a) {
    pqshift_public_key *k = NULL;
    unsigned char raw[32] = {1};
    pqshift_result rc = pqshift_public_key_from_raw(a->cfg, "ed25519", NULL, raw, sizeof raw, &k);
    drop_public(rc, k);
    return rc;
}
static pqshift_result op_sign(const struct args *a) {
    return pqshift_sign(a->cfg, a->sk, MSG, sizeof MSG - 1, NULL, 0, 0, buf, sizeof buf, &n);
}
static pqshift_result op_verify(const struct args *a) {
    return pqshift_verify(a->cfg, a->pk, MSG, sizeof MSG - 1, NULL, 0, buf, 64, PQSHIFT_FLAG_RAW);
}
static pqshift_result op_verify_with_secret_key(const struct args *a) {
    return pqshift_verify_with_secret_key(a->cfg, a->sk, MSG, sizeof MSG - 1, NULL, 0, buf, 64,
                                          PQSHIFT_FLAG_RAW);
}
static pqshift_result op_kem_encapsulate(const struct args *a) {
    size_t ss_len = 0;
    unsigned char ss[32];
    return pqshift_kem_encapsulate(a->cfg, a->pk, 0, buf, sizeof buf, &n, ss, sizeof ss, &ss_len);
}
static pqshift_result op_kem_decapsulate(const struct args *a) {
    unsigned char ss[32];
    return pqshift_kem_decapsulate(a->cfg, a->sk, buf, 1088, PQSHIFT_FLAG_RAW, ss, sizeof ss, &n);
}
/* The functions that return no result code: NULL, and a message. */
static pqshift_result op_secret_key_algorithm(const struct args *a) {
    return pqshift_secret_key_algorithm(a->sk) == NULL ? PQSHIFT_ERR_INVALID_INPUT : PQSHIFT_OK;
}
static pqshift_result op_public_key_algorithm(const struct args *a) {
    return pqshift_public_key_algorithm(a->pk) == NULL ? PQSHIFT_ERR_INVALID_INPUT : PQSHIFT_OK;
}

static const struct op OPS[] = {
    {"config_install", CONFIG, op_config_install},
    {"keygen_from_seed", CONFIG, op_keygen_from_seed},
    {"keygen", CONFIG, op_keygen},
    {"secret_key_algorithm", SECRET, op_secret_key_algorithm},
    {"secret_key_public_key", SECRET, op_secret_key_public_key},
    {"secret_key_to_tagged", SECRET, op_secret_key_to_tagged},
    {"secret_key_to_pem", SECRET, op_secret_key_to_pem},
    {"secret_key_from_tagged", CONFIG, op_secret_key_from_tagged},
    {"secret_key_from_pem", CONFIG, op_secret_key_from_pem},
    {"public_key_algorithm", PUBLIC, op_public_key_algorithm},
    {"public_key_to_tagged", PUBLIC, op_public_key_to_tagged},
    {"public_key_to_pem", PUBLIC, op_public_key_to_pem},
    {"public_key_to_raw", PUBLIC, op_public_key_to_raw},
    {"public_key_from_tagged", CONFIG, op_public_key_from_tagged},
    {"public_key_from_pem", CONFIG, op_public_key_from_pem},
    {"public_key_from_raw", CONFIG, op_public_key_from_raw},
    {"sign", CONFIG | SECRET, op_sign},
    {"verify", CONFIG | PUBLIC, op_verify},
    {"verify_with_secret_key", CONFIG | SECRET, op_verify_with_secret_key},
    {"kem_encapsulate", CONFIG | PUBLIC, op_kem_encapsulate},
    {"kem_decapsulate", CONFIG | SECRET, op_kem_decapsulate},
};
#define N_OPS (sizeof OPS / sizeof OPS[0])

static const char *role_type(int role) {
    return role == CONFIG ? "pqshift_config" : role == SECRET ? "pqshift_secret_key" : "pqshift_public_key";
}

/* The last call failed with INVALID_INPUT and a message containing `want`. */
static void check_invalid(const char *what, pqshift_result rc, const char *want) {
    const char *msg = pqshift_last_error_message();
    if (rc == PQSHIFT_ERR_INVALID_INPUT && strncmp(msg, "invalid input: ", 15) == 0 &&
        strstr(msg, want) != NULL) {
        checks_passed++;
    } else {
        checks_failed++;
        fprintf(stderr, "%s: returned %u (%s), wanted PQSHIFT_ERR_INVALID_INPUT with \"%s\": \"%s\"\n",
                what, (unsigned)rc, pqshift_result_message(rc), want, msg);
    }
}

/* Calls every function with `bad` (a handle whose type is `bad_role`, or a
 * freed one when bad_role is 0) in each handle argument it takes; the other
 * arguments are the valid handles in `ok`. */
static void each_op_with(const struct args *ok, const void *bad, int bad_role, const char *want_fmt) {
    for (size_t i = 0; i < N_OPS; i++) {
        for (int role = CONFIG; role <= PUBLIC; role <<= 1) {
            if (!(OPS[i].roles & role) || role == bad_role) continue;
            struct args a = *ok;
            if (role == CONFIG) a.cfg = bad;
            if (role == SECRET) a.sk = bad;
            if (role == PUBLIC) a.pk = bad;
            char what[160], want[160];
            snprintf(what, sizeof what, "pqshift_%s with a %s as its %s", OPS[i].name,
                     bad_role ? role_type(bad_role) : "freed handle", role_type(role));
            /* want_fmt: "%s" for the expected type, or a fixed text. */
            snprintf(want, sizeof want, want_fmt, role_type(role));
            check_invalid(what, OPS[i].call(&a), want);
        }
    }
}

int main(int argc, char **argv) {
    int freed = !(argc > 1 && strcmp(argv[1], "--no-freed") == 0);
    pqshift_config *cfg = NULL;
    pqshift_secret_key *sk = NULL;
    pqshift_public_key *pk = NULL;
    REQUIRE_OK(pqshift_config_from_toml("[sign]\nalgorithm = \"ed25519\"\n", &cfg));
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, NULL, NULL, seed, sizeof seed, &sk));
    REQUIRE_OK(pqshift_secret_key_public_key(sk, &pk));
    const struct args ok = {cfg, sk, pk};

    /* The valid handles work: the failures below are the tags' doing. */
    REQUIRE_OK(op_sign(&ok));
    REQUIRE_OK(pqshift_verify(cfg, pk, MSG, sizeof MSG - 1, NULL, 0, buf, n, 0));

    /* Each wrong live type in each handle argument of each function. The
     * message names both types: "key is a pqshift_public_key, not a
     * pqshift_secret_key". */
    char want[96];
    snprintf(want, sizeof want, "is a %s, not a %%s", role_type(CONFIG));
    each_op_with(&ok, cfg, CONFIG, want);
    snprintf(want, sizeof want, "is a %s, not a %%s", role_type(SECRET));
    each_op_with(&ok, sk, SECRET, want);
    snprintf(want, sizeof want, "is a %s, not a %%s", role_type(PUBLIC));
    each_op_with(&ok, pk, PUBLIC, want);

    /* A misaligned pointer into a handle is refused before it is read. */
    check_invalid("pqshift_sign with a misaligned key",
                  pqshift_sign(cfg, (const pqshift_secret_key *)((const char *)sk + 1), MSG,
                               sizeof MSG - 1, NULL, 0, 0, buf, sizeof buf, &n),
                  "misaligned");
    /* Freeing NULL (or a live handle) while cleaning up leaves the message. */
    CHECK_RC(pqshift_secret_key_free(NULL), PQSHIFT_OK);
    CHECK(strstr(pqshift_last_error_message(), "misaligned") != NULL);

    /* _free of the wrong type frees nothing: the handle still works after. */
    check_invalid("pqshift_public_key_free(secret key)",
                  pqshift_public_key_free((pqshift_public_key *)sk), "is a pqshift_secret_key, not a pqshift_public_key");
    check_invalid("pqshift_config_free(secret key)", pqshift_config_free((pqshift_config *)sk),
                  "is a pqshift_secret_key, not a pqshift_config");
    check_invalid("pqshift_secret_key_free(public key)",
                  pqshift_secret_key_free((pqshift_secret_key *)pk), "is a pqshift_public_key, not a pqshift_secret_key");
    check_invalid("pqshift_config_free(public key)", pqshift_config_free((pqshift_config *)pk),
                  "is a pqshift_public_key, not a pqshift_config");
    check_invalid("pqshift_secret_key_free(config)", pqshift_secret_key_free((pqshift_secret_key *)cfg),
                  "is a pqshift_config, not a pqshift_secret_key");
    check_invalid("pqshift_public_key_free(config)", pqshift_public_key_free((pqshift_public_key *)cfg),
                  "is a pqshift_config, not a pqshift_public_key");
    CHECK(strcmp(pqshift_secret_key_algorithm(sk), "ed25519") == 0);
    CHECK(strcmp(pqshift_public_key_algorithm(pk), "ed25519") == 0);
    CHECK_RC(op_sign(&ok), PQSHIFT_OK);
    CHECK_RC(pqshift_verify(cfg, pk, MSG, sizeof MSG - 1, NULL, 0, buf, n, 0), PQSHIFT_OK);
    CHECK(strcmp(pqshift_last_error_message(), "") == 0);

    /* NULL stays a no-op for _free, and a success. */
    CHECK_RC(pqshift_secret_key_free(NULL), PQSHIFT_OK);
    CHECK_RC(pqshift_public_key_free(NULL), PQSHIFT_OK);
    CHECK_RC(pqshift_config_free(NULL), PQSHIFT_OK);

    if (freed) {
        /* Handles freed, then used and freed again. Nothing allocates a new
         * handle in between (every call below fails before it would), so
         * their memory is not reused by a live handle of the same type. */
        pqshift_config *cfg2 = NULL;
        pqshift_secret_key *sk2 = NULL;
        pqshift_public_key *pk2 = NULL;
        REQUIRE_OK(pqshift_config_from_toml("[sign]\nalgorithm = \"ed25519\"\n", &cfg2));
        REQUIRE_OK(pqshift_keygen_from_seed(cfg2, NULL, NULL, seed, sizeof seed, &sk2));
        REQUIRE_OK(pqshift_secret_key_public_key(sk2, &pk2));
        CHECK_RC(pqshift_public_key_free(pk2), PQSHIFT_OK);
        CHECK_RC(pqshift_secret_key_free(sk2), PQSHIFT_OK);
        CHECK_RC(pqshift_config_free(cfg2), PQSHIFT_OK);
        /* The tag is FREED ("already freed") unless the allocator wrote over
         * it ("not a live ...: it was freed, or ..."): "freed" either way. */
        check_invalid("double pqshift_secret_key_free", pqshift_secret_key_free(sk2), "freed");
        check_invalid("double pqshift_public_key_free", pqshift_public_key_free(pk2), "freed");
        check_invalid("double pqshift_config_free", pqshift_config_free(cfg2), "freed");
        check_invalid("pqshift_public_key_free(freed secret key)",
                      pqshift_public_key_free((pqshift_public_key *)sk2), "freed");
        each_op_with(&ok, cfg2, 0, "freed");
        each_op_with(&ok, sk2, 0, "freed");
        each_op_with(&ok, pk2, 0, "freed");
    } else {
        printf("handles: freed-handle cases skipped (--no-freed)\n");
    }

    CHECK_RC(pqshift_public_key_free(pk), PQSHIFT_OK);
    CHECK_RC(pqshift_secret_key_free(sk), PQSHIFT_OK);
    CHECK_RC(pqshift_config_free(cfg), PQSHIFT_OK);
    return finish("handles");
}
