/*
 * sign_verify.c: sign and verify with libpqshift, the configuration deciding
 * the algorithm. Build against an installed libpqshift (scripts/install-c):
 *
 *   cc -std=c11 -Wall -Wextra -Werror sign_verify.c $(pkg-config --cflags --libs pqshift) -o sign_verify
 *   ./sign_verify            # ML-DSA-65 (the TOML below), or
 *   ./sign_verify cfg.toml   # whatever cfg.toml's [sign] algorithm says
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pqshift.h>

static int fail(const char *what, pqshift_result rc) {
    fprintf(stderr, "%s: %s (%u): %s\n", what, pqshift_result_message(rc), (unsigned)rc,
            pqshift_last_error_message());
    return 1;
}

int main(int argc, char **argv) {
    pqshift_config *cfg = NULL;
    pqshift_result rc = argc > 1
        ? pqshift_config_load(argv[1], &cfg)
        : pqshift_config_from_toml("[sign]\nalgorithm = \"ml-dsa-65\"\n", &cfg);
    if (rc != PQSHIFT_OK) return fail("configuration", rc);

    /* A key from a 32-byte seed; NULL algorithm = the configured [sign] algorithm. */
    uint8_t seed[32];
    for (size_t i = 0; i < sizeof seed; i++) seed[i] = (uint8_t)i;
    pqshift_secret_key *key = NULL;
    rc = pqshift_keygen_from_seed(cfg, NULL, NULL, seed, sizeof seed, &key);
    if (rc != PQSHIFT_OK) return fail("keygen", rc);
    pqshift_public_key *pub = NULL;
    rc = pqshift_secret_key_public_key(key, &pub);
    if (rc != PQSHIFT_OK) return fail("public key", rc);

    const char *msg = "ledger entry 1: alice pays bob 10";
    const char *ctx = "ledger-v1";
    size_t ctx_len = strcmp(pqshift_secret_key_algorithm(key), "ed25519") == 0 ? 0 : strlen(ctx);

    /* Length query first (out = NULL), then the real call. */
    size_t sig_len = 0;
    rc = pqshift_sign(cfg, key, (const uint8_t *)msg, strlen(msg), (const uint8_t *)ctx, ctx_len,
                      0, NULL, 0, &sig_len);
    if (rc != PQSHIFT_ERR_BUFFER_TOO_SMALL) return fail("sign (length query)", rc);
    uint8_t *sig = malloc(sig_len);
    if (sig == NULL) return 1;
    rc = pqshift_sign(cfg, key, (const uint8_t *)msg, strlen(msg), (const uint8_t *)ctx, ctx_len,
                      0, sig, sig_len, &sig_len);
    if (rc != PQSHIFT_OK) return fail("sign", rc);
    printf("%s signature: %zu bytes (tagged)\n", pqshift_secret_key_algorithm(key), sig_len);

    rc = pqshift_verify(cfg, pub, (const uint8_t *)msg, strlen(msg), (const uint8_t *)ctx, ctx_len,
                        sig, sig_len, 0);
    printf("verify: %s\n", rc == PQSHIFT_OK ? "valid" : pqshift_result_message(rc));
    int status = rc == PQSHIFT_OK ? 0 : 1;

    const char *tampered = "ledger entry 1: alice pays bob 1000";
    rc = pqshift_verify(cfg, pub, (const uint8_t *)tampered, strlen(tampered),
                        (const uint8_t *)ctx, ctx_len, sig, sig_len, 0);
    printf("verify tampered: %s\n", rc == PQSHIFT_ERR_VERIFICATION_FAILED ? "rejected" : "NOT rejected");
    if (rc != PQSHIFT_ERR_VERIFICATION_FAILED) status = 1;

    free(sig);
    pqshift_public_key_free(pub);
    pqshift_secret_key_free(key);
    pqshift_config_free(cfg);
    return status;
}
