/* The process-wide policy: PQSHIFT_CONFIG, pqshift_config_load(NULL) and
 * pqshift_config_install. The driver runs it with PQSHIFT_CONFIG naming a
 * file whose [sign] algorithm is ml-dsa-44. */
#include "check.h"

static const unsigned char MSG[] = "message";

int main(void) {
    unsigned char seed[32] = {9};
    pqshift_secret_key *k = NULL;
    size_t n = 0;

    /* pqshift_config_load(NULL) reads $PQSHIFT_CONFIG. */
    pqshift_config *env = NULL;
    REQUIRE_OK(pqshift_config_load(NULL, &env));
    REQUIRE_OK(pqshift_keygen_from_seed(env, NULL, NULL, seed, sizeof seed, &k));
    CHECK(strcmp(pqshift_secret_key_algorithm(k), "ml-dsa-44") == 0);
    pqshift_secret_key_free(k);
    k = NULL;
    pqshift_config *missing = NULL;
    CHECK_RC(pqshift_config_load("/nonexistent/pqshift.toml", &missing), PQSHIFT_ERR_INVALID_INPUT);
    CHECK(missing == NULL);

    /* Installing a policy before any NULL-config call: NULL configs then use it. */
    pqshift_config *cfg = NULL;
    REQUIRE_OK(pqshift_config_from_toml("[sign]\nalgorithm = \"ml-dsa-87\"\n", &cfg));
    REQUIRE_OK(pqshift_config_install(cfg));
    CHECK_RC(pqshift_config_install(cfg), PQSHIFT_ERR_POLICY);
    CHECK_RC(pqshift_config_install(env), PQSHIFT_ERR_POLICY);
    pqshift_config_free(cfg); /* the installed policy is a copy */
    REQUIRE_OK(pqshift_keygen_from_seed(NULL, NULL, NULL, seed, sizeof seed, &k));
    CHECK(strcmp(pqshift_secret_key_algorithm(k), "ml-dsa-87") == 0);
    CHECK_RC(pqshift_sign(NULL, k, MSG, sizeof MSG - 1, NULL, 0, PQSHIFT_FLAG_RAW, NULL, 0, &n),
             PQSHIFT_ERR_BUFFER_TOO_SMALL);
    CHECK(n == 4627);
    /* The same key under the environment's ml-dsa-44 policy may not sign. */
    CHECK_RC(pqshift_sign(env, k, MSG, sizeof MSG - 1, NULL, 0, PQSHIFT_FLAG_RAW, NULL, 0, &n),
             PQSHIFT_ERR_POLICY);
    pqshift_secret_key_free(k);
    pqshift_config_free(env);
    return finish("global");
}
