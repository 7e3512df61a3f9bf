/* Several pthreads sign and verify with one shared key and one shared
 * configuration; each thread's last-error message is its own. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "check.h"

#define THREADS 4
#define ROUNDS 6

static pqshift_config *cfg;
static pqshift_secret_key *key;
static pqshift_public_key *pub;
static unsigned char reference[3309]; /* the deterministic signature of "msg-0" */

struct job {
    int id;
    int failures;
};

static void *worker(void *arg) {
    struct job *job = arg;
    unsigned char sig[8192];
    char msg[32];
    const unsigned char ctx[] = "threads";
    for (int r = 0; r < ROUNDS; r++) {
        size_t n = 0;
        int len = snprintf(msg, sizeof msg, "msg-%d", (job->id + r) % 3);
        uint32_t flags = (r % 2) ? PQSHIFT_FLAG_RAW | PQSHIFT_FLAG_DETERMINISTIC : 0;
        if (pqshift_sign(cfg, key, (const uint8_t *)msg, (size_t)len, ctx, sizeof ctx - 1, flags, sig,
                         sizeof sig, &n) != PQSHIFT_OK)
            job->failures++;
        else if (pqshift_verify(cfg, pub, (const uint8_t *)msg, (size_t)len, ctx, sizeof ctx - 1, sig, n,
                                flags & PQSHIFT_FLAG_RAW) != PQSHIFT_OK)
            job->failures++;
        /* Deterministic signatures of the same message agree across threads. */
        if ((flags & PQSHIFT_FLAG_DETERMINISTIC) && strcmp(msg, "msg-0") == 0 &&
            memcmp(sig, reference, sizeof reference) != 0)
            job->failures++;
        /* A failure of this thread's own, whose message must survive the others' calls. */
        char alg[32];
        snprintf(alg, sizeof alg, "no-such-alg-%d", job->id);
        pqshift_secret_key *k = NULL;
        unsigned char seed[32] = {0};
        if (pqshift_keygen_from_seed(cfg, alg, NULL, seed, sizeof seed, &k) != PQSHIFT_ERR_UNSUPPORTED)
            job->failures++;
        if (strstr(pqshift_last_error_message(), alg) == NULL) job->failures++;
    }
    return NULL;
}

int main(void) {
    REQUIRE_OK(pqshift_config_from_toml("[sign]\nalgorithm = \"ml-dsa-65\"\n", &cfg));
    unsigned char seed[32] = {11};
    REQUIRE_OK(pqshift_keygen_from_seed(cfg, "ml-dsa-65", NULL, seed, sizeof seed, &key));
    REQUIRE_OK(pqshift_secret_key_public_key(key, &pub));
    size_t n = 0;
    const unsigned char ctx[] = "threads";
    REQUIRE_OK(pqshift_sign(cfg, key, (const uint8_t *)"msg-0", 5, ctx, sizeof ctx - 1,
                            PQSHIFT_FLAG_RAW | PQSHIFT_FLAG_DETERMINISTIC, reference, sizeof reference, &n));

    pthread_t threads[THREADS];
    struct job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i].id = i;
        jobs[i].failures = 0;
        CHECK(pthread_create(&threads[i], NULL, worker, &jobs[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(jobs[i].failures == 0);
        if (jobs[i].failures) fprintf(stderr, "thread %d: %d failures\n", i, jobs[i].failures);
    }
    /* The main thread's last error is still its own (the last call succeeded). */
    CHECK(strcmp(pqshift_last_error_message(), "") == 0);

    pqshift_public_key_free(pub);
    pqshift_secret_key_free(key); /* once, after every thread has returned */
    pqshift_config_free(cfg);
    return finish("threads");
}
