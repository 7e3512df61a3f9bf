/*
 * overhead.c: the cost of a libpqshift call from C, per operation, for
 * scripts/bench-c, which compares it with the same operation through the
 * Rust facade (criterion, `cargo bench -p pqshift --bench facade_overhead
 * -- c-baseline`) in the same run. Prints "name ns_per_call" lines (median
 * of 9 rounds).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pqshift.h>

#define ROUNDS 9

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint8_t msg[256], sig[64], digest[32];
static pqshift_secret_key *key;
static pqshift_public_key *pub;
static pqshift_config *cfg;

static int op_sha256(void) { return (int)pqshift_sha256(msg, 32, digest); }
static int op_sign(void) {
    size_t n = 0;
    return (int)pqshift_sign(cfg, key, msg, sizeof msg, NULL, 0,
                             PQSHIFT_FLAG_DETERMINISTIC | PQSHIFT_FLAG_RAW, sig, sizeof sig, &n);
}
static int op_verify(void) {
    return (int)pqshift_verify(cfg, pub, msg, sizeof msg, NULL, 0, sig, sizeof sig, PQSHIFT_FLAG_RAW);
}

static void run(const char *name, int (*op)(void), long iters) {
    double t[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ns();
        for (long i = 0; i < iters; i++) {
            if (op() != 0) {
                fprintf(stderr, "%s failed: %s\n", name, pqshift_last_error_message());
                exit(1);
            }
        }
        t[r] = (now_ns() - t0) / (double)iters;
    }
    qsort(t, ROUNDS, sizeof t[0], cmp);
    printf("%s %.1f\n", name, t[ROUNDS / 2]);
}

int main(void) {
    memset(msg, 0xA5, sizeof msg);
    uint8_t seed[32];
    memset(seed, 0x42, sizeof seed);
    if (pqshift_config_from_toml("[sign]\nalgorithm = \"ed25519\"\n", &cfg) != PQSHIFT_OK ||
        pqshift_keygen_from_seed(cfg, "ed25519", "dalek", seed, sizeof seed, &key) != PQSHIFT_OK ||
        pqshift_secret_key_public_key(key, &pub) != PQSHIFT_OK || op_sign() != 0) {
        fprintf(stderr, "setup failed: %s\n", pqshift_last_error_message());
        return 1;
    }
    run("sha256-32B", op_sha256, 200000);
    run("ed25519-sign", op_sign, 2000);
    run("ed25519-verify", op_verify, 1000);
    pqshift_public_key_free(pub);
    pqshift_secret_key_free(key);
    pqshift_config_free(cfg);
    return 0;
}
