/* Known answers through the C API. Reads the line format written by
 * vectors_to_lines.py (NIST ACVP keyGen, RFC 8032, Wycheproof Ed25519, CAVP
 * SHA-256, and every golden/vectors file) from the file named by argv[1]; the
 * format is described there. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#define MAX_FIELDS 4100 /* merkle lines carry up to a few thousand leaves */

static int counts[6]; /* keygen, sign, verify, sha256, decap, merkle */


/* The policy for an algorithm: a signature algorithm signs and verifies; KEMs need none. */
static pqshift_config *config_for(const char *alg) {
    pqshift_config *c = NULL;
    char toml[160];
    if (strncmp(alg, "ml-kem", 6) == 0) return NULL;
    snprintf(toml, sizeof toml, "[sign]\nalgorithm = \"%s\"\n%s", alg,
             strncmp(alg, "insecure", 8) == 0 ? "[policy]\nallow_insecure = true\n" : "");
    REQUIRE_OK(pqshift_config_from_toml(toml, &c));
    return c;
}

static void keygen(char **f) {
    pqshift_config *cfg = config_for(f[1]);
    unsigned char *seed, *pk;
    size_t seed_len = unhex(f[2], &seed), pk_len = unhex(f[3], &pk);
    pqshift_secret_key *k = NULL;
    pqshift_public_key *p = NULL;
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, f[1], NULL, seed, seed_len, &k));
    REQUIRE_OK(pqshift_secret_key_public_key(k, &p));
    unsigned char *raw = alloc_or_die(pk_len);
    size_t n = 0;
    CHECK_RC(pqshift_public_key_to_raw(p, raw, pk_len, &n), PQSHIFT_OK);
    CHECK(n == pk_len && memcmp(raw, pk, pk_len) == 0);
    counts[0]++;
    free(raw);
    free(seed);
    free(pk);
    pqshift_public_key_free(p);
    pqshift_secret_key_free(k);
    pqshift_config_free(cfg);
}

static void sign(char **f) {
    pqshift_config *cfg = config_for(f[1]);
    unsigned char *seed, *msg, *ctx, *want;
    size_t seed_len = unhex(f[2], &seed), msg_len = unhex(f[3], &msg), ctx_len = unhex(f[4], &ctx),
           want_len = unhex(f[5], &want);
    pqshift_secret_key *k = NULL;
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, f[1], NULL, seed, seed_len, &k));
    unsigned char *sig = alloc_or_die(want_len);
    size_t n = 0;
    CHECK_RC(pqshift_sign(cfg, k, msg, msg_len, ctx, ctx_len, PQSHIFT_FLAG_DETERMINISTIC | PQSHIFT_FLAG_RAW,
                          sig, want_len, &n),
             PQSHIFT_OK);
    CHECK(n == want_len && memcmp(sig, want, want_len) == 0);
    CHECK_RC(pqshift_verify_with_secret_key(cfg, k, msg, msg_len, ctx, ctx_len, sig, n, PQSHIFT_FLAG_RAW),
             PQSHIFT_OK);
    counts[1]++;
    free(sig);
    free(seed);
    free(msg);
    free(ctx);
    free(want);
    pqshift_secret_key_free(k);
    pqshift_config_free(cfg);
}

/* verify / verifymac: the exact code for each verdict. */
static void verify(char **f, int mac) {
    pqshift_config *cfg = config_for(f[1]);
    unsigned char *pk, *msg, *ctx, *sig;
    size_t pk_len = unhex(f[2], &pk), msg_len = unhex(f[3], &msg), ctx_len = unhex(f[4], &ctx),
           sig_len = unhex(f[5], &sig);
    const char *v = f[6];
    pqshift_public_key *p = NULL;
    pqshift_secret_key *k = NULL;
    pqshift_result rc;
    if (mac) {
        REQUIRE_OK(pqshift_keygen_from_seed(cfg, f[1], NULL, pk, pk_len, &k));
        rc = pqshift_verify_with_secret_key(cfg, k, msg, msg_len, ctx, ctx_len, sig, sig_len, PQSHIFT_FLAG_RAW);
    } else {
        rc = pqshift_public_key_from_raw(cfg, f[1], NULL, pk, pk_len, &p);
        if (rc == PQSHIFT_OK) rc = pqshift_verify(cfg, p, msg, msg_len, ctx, ctx_len, sig, sig_len, PQSHIFT_FLAG_RAW);
    }
    int ok;
    if (strcmp(v, "valid") == 0) ok = rc == PQSHIFT_OK;
    else if (strcmp(v, "invalid") == 0) ok = rc == PQSHIFT_ERR_VERIFICATION_FAILED;
    else if (strcmp(v, "error") == 0) ok = rc == PQSHIFT_ERR_INVALID_INPUT || rc == PQSHIFT_ERR_UNSUPPORTED;
    else ok = rc == PQSHIFT_ERR_VERIFICATION_FAILED || rc == PQSHIFT_ERR_INVALID_INPUT;
    CHECK(ok);
    if (!ok) fprintf(stderr, "%s %s (%s): got %u: %s\n", f[0], f[1], v, (unsigned)rc, pqshift_last_error_message());
    counts[2]++;
    free(pk);
    free(msg);
    free(ctx);
    free(sig);
    pqshift_public_key_free(p);
    pqshift_secret_key_free(k);
    pqshift_config_free(cfg);
}

static void decap(char **f) {
    unsigned char *seed, *ct, *want, got[32];
    size_t seed_len = unhex(f[2], &seed), ct_len = unhex(f[3], &ct);
    unhex(f[4], &want);
    pqshift_secret_key *k = NULL;
    REQUIRE_OK(pqshift_keygen_from_seed(NULL, f[1], NULL, seed, seed_len, &k));
    size_t n = 0;
    CHECK_RC(pqshift_kem_decapsulate(NULL, k, ct, ct_len, PQSHIFT_FLAG_RAW, got, sizeof got, &n), PQSHIFT_OK);
    CHECK(n == 32 && memcmp(got, want, 32) == 0);
    counts[4]++;
    free(seed);
    free(ct);
    free(want);
    pqshift_secret_key_free(k);
}

static void merkle(char **f, int nf) {
    unsigned char *want, got[PQSHIFT_HASH_LEN];
    unhex(f[1], &want);
    size_t count = (size_t)(nf - 2);
    const uint8_t **leaves = calloc(count + 1, sizeof *leaves);
    size_t *lens = calloc(count + 1, sizeof *lens);
    if (leaves == NULL || lens == NULL) exit(2);
    for (size_t i = 0; i < count; i++) {
        unsigned char *b;
        lens[i] = unhex(f[2 + i], &b);
        leaves[i] = b;
    }
    CHECK_RC(pqshift_merkle_root(leaves, lens, count, got), PQSHIFT_OK);
    CHECK(memcmp(got, want, sizeof got) == 0);
    counts[5]++;
    for (size_t i = 0; i < count; i++) free((void *)leaves[i]);
    free(leaves);
    free(lens);
    free(want);
}

static void sha256(char **f) {
    unsigned char *msg, *want, got[PQSHIFT_HASH_LEN];
    size_t msg_len = unhex(f[1], &msg);
    unhex(f[2], &want);
    CHECK_RC(pqshift_sha256(msg, msg_len, got), PQSHIFT_OK);
    CHECK(memcmp(got, want, sizeof got) == 0);
    counts[3]++;
    free(msg);
    free(want);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s VECTORS.txt\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (in == NULL) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0) {
        char *f[MAX_FIELDS] = {0};
        int nf = 0;
        for (char *tok = strtok(line, " \n"); tok != NULL && nf < MAX_FIELDS; tok = strtok(NULL, " \n"))
            f[nf++] = tok;
        if (nf == 0) continue;
        if (strcmp(f[0], "keygen") == 0 && nf == 4) keygen(f);
        else if (strcmp(f[0], "sign") == 0 && nf == 6) sign(f);
        else if (strcmp(f[0], "verify") == 0 && nf == 7) verify(f, 0);
        else if (strcmp(f[0], "verifymac") == 0 && nf == 7) verify(f, 1);
        else if (strcmp(f[0], "decap") == 0 && nf == 5) decap(f);
        else if (strcmp(f[0], "merkle") == 0 && nf >= 2) merkle(f, nf);
        else if (strcmp(f[0], "sha256") == 0 && nf == 3) sha256(f);
        else {
            fprintf(stderr, "unknown line: %s\n", f[0]);
            return 2;
        }
    }
    free(line);
    fclose(in);
    printf("vectors: keygen %d, sign %d, verify %d, sha256 %d, decap %d, merkle %d cases\n", counts[0],
           counts[1], counts[2], counts[3], counts[4], counts[5]);
    CHECK(counts[0] + counts[1] + counts[2] + counts[3] > 0);
    return finish("vectors");
}
