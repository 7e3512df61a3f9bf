/* A minimal test harness for the C tests: CHECK / CHECK_RC count and report. */
#ifndef PQSHIFT_TEST_CHECK_H
#define PQSHIFT_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pqshift.h"

static int checks_passed;
static int checks_failed;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) {                                                              \
            checks_passed++;                                                     \
        } else {                                                                 \
            checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                      \
        }                                                                        \
    } while (0)

/* Asserts the exact result code of a call; on a mismatch prints the last error. */
#define CHECK_RC(call, want)                                                     \
    do {                                                                         \
        pqshift_result rc_ = (call);                                             \
        if (rc_ == (pqshift_result)(want)) {                                     \
            checks_passed++;                                                     \
        } else {                                                                 \
            checks_failed++;                                                     \
            fprintf(stderr, "%s:%d: %s returned %u (%s), wanted %u: %s\n",       \
                    __FILE__, __LINE__, #call, (unsigned)rc_,                    \
                    pqshift_result_message(rc_), (unsigned)(want),               \
                    pqshift_last_error_message());                               \
        }                                                                        \
    } while (0)

/* Stops the program on a failed precondition (the rest would only cascade). */
#define REQUIRE_OK(call)                                                         \
    do {                                                                         \
        pqshift_result rc_ = (call);                                             \
        if (rc_ != PQSHIFT_OK) {                                                 \
            fprintf(stderr, "%s:%d: %s returned %u: %s\n", __FILE__, __LINE__,   \
                    #call, (unsigned)rc_, pqshift_last_error_message());         \
            exit(2);                                                             \
        }                                                                        \
        checks_passed++;                                                         \
    } while (0)

/* Prints the closing line the test driver adds up, and the exit status. */
static inline int finish(const char *name) {
    printf("%s: %d passed, %d failed\n", name, checks_passed, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}

/* Allocates a buffer of the size a length query reports (out = NULL). */
static inline unsigned char *alloc_or_die(size_t n) {
    unsigned char *p = malloc(n == 0 ? 1 : n);
    if (p == NULL) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* Decodes hex ("-" is empty) into a malloc'd buffer; returns its length. */
static inline size_t unhex(const char *s, unsigned char **out) {
    size_t n = strcmp(s, "-") == 0 ? 0 : strlen(s) / 2;
    unsigned char *b = alloc_or_die(n);
    for (size_t i = 0; i < n; i++) {
        unsigned int v = 0;
        if (sscanf(s + 2 * i, "%2x", &v) != 1) {
            fprintf(stderr, "bad hex: %.20s\n", s);
            exit(2);
        }
        b[i] = (unsigned char)v;
    }
    *out = b;
    return n;
}

#endif
