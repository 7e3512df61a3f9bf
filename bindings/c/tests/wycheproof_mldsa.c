/* The Wycheproof ML-DSA verify vectors (631 cases) through the C API, for
 * every provider that serves ML-DSA, chosen the way users choose one: a
 * TOML configuration with `[verify] provider`. Then the policy checks:
 * `[verify] accept` refuses an algorithm it does not list
 * (PQSHIFT_ERR_POLICY), and a `[shadow]` provider keeps a signature the
 * verifying provider wrongly accepts from ever verifying.
 *
 * Reads the line format written by mldsa_to_lines.py (described there) from
 * the file named by argv[1]: the providers (from `pqshift providers
 * --json`), the expected counts and every case with its expected result,
 * all from the JSON files, none from the code under test. Optional argv[2]:
 * run the vectors through that provider only (the valgrind run). */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#define MAX_CASES 1024
#define MAX_PROVIDERS 16
#define MAX_ALGS 3
#define MAX_FIELDS 16

enum want { WANT_VALID, WANT_MALFORMED, WANT_REJECT };

struct tcase {
    char alg[16];
    long tc_id;
    unsigned char *pk, *msg, *ctx, *sig;
    size_t pk_len, msg_len, ctx_len, sig_len;
    enum want want;
};

struct expect {
    char alg[16];
    char file[64];
    int total, valid, invalid;
};

struct provider {
    char name[32];
    char algs[MAX_ALGS][16];
    int n_algs;
};

static struct tcase cases[MAX_CASES];
static int n_cases;
static struct expect expects[MAX_ALGS];
static int n_expects;
static struct provider providers[MAX_PROVIDERS];
static int n_providers;

static void copy_field(char *dst, size_t cap, const char *src) {
    if (strlen(src) >= cap) {
        fprintf(stderr, "field too long: %.40s\n", src);
        exit(2);
    }
    strcpy(dst, src);
}


static void read_lines(const char *path) {
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        perror(path);
        exit(2);
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, in) > 0) {
        char *f[MAX_FIELDS] = {0};
        int nf = 0;
        for (char *tok = strtok(line, " \n"); tok != NULL && nf < MAX_FIELDS; tok = strtok(NULL, " \n"))
            f[nf++] = tok;
        if (nf == 0) continue;
        if (strcmp(f[0], "provider") == 0 && nf >= 3 && nf <= 2 + MAX_ALGS && n_providers < MAX_PROVIDERS) {
            struct provider *p = &providers[n_providers++];
            copy_field(p->name, sizeof p->name, f[1]);
            for (int i = 2; i < nf; i++) copy_field(p->algs[p->n_algs++], sizeof p->algs[0], f[i]);
        } else if (strcmp(f[0], "expect") == 0 && nf == 6 && n_expects < MAX_ALGS) {
            struct expect *e = &expects[n_expects++];
            copy_field(e->alg, sizeof e->alg, f[1]);
            copy_field(e->file, sizeof e->file, f[2]);
            e->total = atoi(f[3]);
            e->valid = atoi(f[4]);
            e->invalid = atoi(f[5]);
        } else if (strcmp(f[0], "case") == 0 && nf == 8 && n_cases < MAX_CASES) {
            struct tcase *c = &cases[n_cases++];
            copy_field(c->alg, sizeof c->alg, f[1]);
            c->tc_id = atol(f[2]);
            c->pk_len = unhex(f[3], &c->pk);
            c->msg_len = unhex(f[4], &c->msg);
            c->ctx_len = unhex(f[5], &c->ctx);
            c->sig_len = unhex(f[6], &c->sig);
            if (strcmp(f[7], "valid") == 0) c->want = WANT_VALID;
            else if (strcmp(f[7], "malformed") == 0) c->want = WANT_MALFORMED;
            else if (strcmp(f[7], "reject") == 0) c->want = WANT_REJECT;
            else {
                fprintf(stderr, "unknown expected result: %s\n", f[7]);
                exit(2);
            }
        } else {
            fprintf(stderr, "unknown or overlong line: %s (%d fields)\n", f[0], nf);
            exit(2);
        }
    }
    free(line);
    fclose(in);
}

static pqshift_config *config_from(const char *toml) {
    pqshift_config *c = NULL;
    pqshift_result rc = pqshift_config_from_toml(toml, &c);
    if (rc != PQSHIFT_OK) {
        fprintf(stderr, "configuration refused (%u %s: %s):\n%s", (unsigned)rc, pqshift_result_message(rc),
                pqshift_last_error_message(), toml);
        checks_failed++;
        return NULL;
    }
    return c;
}

/* What a user's program does with a raw public key and a raw signature:
 * load the key under the configuration, verify under it. */
static pqshift_result verify_case(const pqshift_config *cfg, const struct tcase *c) {
    pqshift_public_key *p = NULL;
    pqshift_result rc = pqshift_public_key_from_raw(cfg, c->alg, NULL, c->pk, c->pk_len, &p);
    if (rc == PQSHIFT_OK)
        rc = pqshift_verify(cfg, p, c->msg, c->msg_len, c->ctx, c->ctx_len, c->sig, c->sig_len, PQSHIFT_FLAG_RAW);
    pqshift_public_key_free(p);
    return rc;
}

static pqshift_result want_rc(enum want w) {
    switch (w) {
    case WANT_VALID: return PQSHIFT_OK;
    case WANT_MALFORMED: return PQSHIFT_ERR_INVALID_INPUT;
    default: return PQSHIFT_ERR_VERIFICATION_FAILED;
    }
}

/* Every case of one file through one provider; exact counts asserted. */
static void run_file(const pqshift_config *cfg, const char *provider, const struct expect *e) {
    int total = 0, valid_ok = 0, invalid_ok = 0, wrong = 0;
    char wrong_ids[4096] = "";
    size_t used = 0;
    for (int i = 0; i < n_cases; i++) {
        const struct tcase *c = &cases[i];
        if (strcmp(c->alg, e->alg) != 0) continue;
        total++;
        pqshift_result rc = verify_case(cfg, c);
        if (rc == want_rc(c->want)) {
            if (c->want == WANT_VALID) valid_ok++;
            else invalid_ok++;
            continue;
        }
        wrong++;
        int n = snprintf(wrong_ids + used, sizeof wrong_ids - used, " %ld(%s, got %u)", c->tc_id,
                         c->want == WANT_VALID ? "valid" : c->want == WANT_MALFORMED ? "malformed" : "invalid",
                         (unsigned)rc);
        if (n > 0 && (size_t)n < sizeof wrong_ids - used) used += (size_t)n;
    }
    CHECK(total == e->total);
    CHECK(valid_ok == e->valid);
    CHECK(invalid_ok == e->invalid);
    printf("wycheproof %s provider %s: %d cases (expected %d), %d/%d valid accepted, %d/%d invalid rejected%s\n",
           e->file, provider, total, e->total, valid_ok, e->valid, invalid_ok, e->invalid,
           wrong == 0 ? "" : " FAILED");
    if (wrong > 0) fprintf(stderr, "  %s %s: %d wrong tcIds (expected, result code):%s\n", e->file, provider, wrong, wrong_ids);
}

static int serves(const struct provider *p, const char *alg) {
    for (int i = 0; i < p->n_algs; i++)
        if (strcmp(p->algs[i], alg) == 0) return 1;
    return 0;
}

static void run_provider(const struct provider *p) {
    /* [sign] is required; it names the same provider, so that the
     * configuration loads whatever state the other providers are in. */
    char toml[512];
    int n = snprintf(toml, sizeof toml, "[sign]\nalgorithm = \"%s\"\nprovider = \"%s\"\n[verify]\naccept = [",
                     p->algs[0], p->name);
    for (int i = 0; i < p->n_algs; i++) n += snprintf(toml + n, sizeof toml - (size_t)n, "%s\"%s\"", i ? ", " : "", p->algs[i]);
    snprintf(toml + n, sizeof toml - (size_t)n, "]\nprovider = \"%s\"\n", p->name);
    pqshift_config *cfg = config_from(toml);
    if (cfg == NULL) return;
    for (int i = 0; i < n_expects; i++) {
        if (serves(p, expects[i].alg)) run_file(cfg, p->name, &expects[i]);
    }
    pqshift_config_free(cfg);
}

static const struct tcase *find_case(const char *alg, long tc_id) {
    for (int i = 0; i < n_cases; i++)
        if (strcmp(cases[i].alg, alg) == 0 && cases[i].tc_id == tc_id) return &cases[i];
    fprintf(stderr, "%s tcId %ld not in the vectors\n", alg, tc_id);
    exit(2);
}

static const struct tcase *first_valid(const char *alg) {
    for (int i = 0; i < n_cases; i++)
        if (strcmp(cases[i].alg, alg) == 0 && cases[i].want == WANT_VALID) return &cases[i];
    fprintf(stderr, "no valid %s case in the vectors\n", alg);
    exit(2);
}

/* [verify] accept: a valid ML-DSA-44 signature verifies where the
 * configuration accepts ML-DSA-44, and is PQSHIFT_ERR_POLICY where it does
 * not, as in the CLI: before any provider runs and before the facade checks
 * the context (tcId 5 has a 256-byte one). */
static void policy_accept(void) {
    const struct tcase *valid = first_valid("ml-dsa-44");
    const struct tcase *znorm = find_case("ml-dsa-44", 81);
    const struct tcase *long_ctx = find_case("ml-dsa-44", 5);
    /* pqclean throughout: this checks the policy, not a provider. */
    pqshift_config *yes = config_from("[sign]\nalgorithm = \"ml-dsa-44\"\nprovider = \"pqclean\"\n"
                                      "[verify]\nprovider = \"pqclean\"\n");
    pqshift_config *no = config_from("[sign]\nalgorithm = \"ml-dsa-65\"\nprovider = \"pqclean\"\n"
                                     "[verify]\naccept = [\"ml-dsa-65\", \"ml-dsa-87\"]\nprovider = \"pqclean\"\n");
    if (yes == NULL || no == NULL) goto out;
    CHECK_RC(verify_case(yes, valid), PQSHIFT_OK);
    CHECK_RC(verify_case(no, valid), PQSHIFT_ERR_POLICY);
    CHECK_RC(verify_case(no, znorm), PQSHIFT_ERR_POLICY);
    CHECK_RC(verify_case(yes, long_ctx), PQSHIFT_ERR_INVALID_INPUT);
    CHECK_RC(verify_case(no, long_ctx), PQSHIFT_ERR_POLICY);
    printf("policy: [verify] accept without ml-dsa-44 refuses a valid ml-dsa-44 signature (PQSHIFT_ERR_POLICY)\n");
out:
    pqshift_config_free(yes);
    pqshift_config_free(no);
}

/* [shadow]: with liboqs verifying and pqclean shadowing, ML-DSA-44 tcId 81
 * (z over the norm bound) never verifies: a disagreement is
 * PQSHIFT_ERR_PROVIDER; agreement on rejection is
 * PQSHIFT_ERR_VERIFICATION_FAILED. A valid signature still verifies. */
static void policy_shadow(void) {
    const struct tcase *valid = first_valid("ml-dsa-44");
    const struct tcase *znorm = find_case("ml-dsa-44", 81);
    pqshift_config *cfg = config_from("[sign]\nalgorithm = \"ml-dsa-44\"\n[verify]\nprovider = \"liboqs\"\n"
                                      "[shadow]\nprovider = \"pqclean\"\n");
    if (cfg == NULL) return;
    CHECK_RC(verify_case(cfg, valid), PQSHIFT_OK);
    pqshift_result rc = verify_case(cfg, znorm);
    CHECK(rc == PQSHIFT_ERR_PROVIDER || rc == PQSHIFT_ERR_VERIFICATION_FAILED);
    printf("policy: [verify] provider liboqs + [shadow] pqclean: ml-dsa-44 tcId 81 -> %u (%s)\n", (unsigned)rc,
           pqshift_result_message(rc));
    pqshift_config_free(cfg);
}

int main(int argc, char **argv) {
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s MLDSA.txt [PROVIDER]\n", argv[0]);
        return 2;
    }
    read_lines(argv[1]);
    const char *only = argc == 3 ? argv[2] : NULL;

    /* The list comes from `pqshift providers --json`: at least these three,
     * each serving the three parameter sets, and every other one listed
     * runs too. */
    const char *required[] = {"liboqs", "pqclean", "rustcrypto"};
    for (size_t r = 0; r < sizeof required / sizeof *required; r++) {
        int algs = 0;
        for (int i = 0; i < n_providers; i++)
            if (strcmp(providers[i].name, required[r]) == 0) algs = providers[i].n_algs;
        if (algs != MAX_ALGS) fprintf(stderr, "provider %s serves %d of the 3 ML-DSA parameter sets\n", required[r], algs);
        CHECK(algs == MAX_ALGS);
    }
    CHECK(n_expects == 3);

    int ran = 0;
    for (int i = 0; i < n_providers; i++) {
        if (only != NULL && strcmp(providers[i].name, only) != 0) continue;
        run_provider(&providers[i]);
        ran++;
    }
    CHECK(ran > 0);
    policy_accept();
    policy_shadow();

    for (int i = 0; i < n_cases; i++) {
        free(cases[i].pk);
        free(cases[i].msg);
        free(cases[i].ctx);
        free(cases[i].sig);
    }
    return finish("wycheproof_mldsa");
}
