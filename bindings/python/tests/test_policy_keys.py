"""Key objects verify under the configuration's policy, as the CLI and the C
API do: `[verify] accept` decides which algorithms verify at all, the
`[verify]` provider verifies, and a `[shadow]` provider must agree.

Each case also runs `pqshift verify` with the same configuration and input
and checks that both front ends give the same error kind.
"""

import pytest

import pqshift
from conftest import MAC_ALG, cli_verify, h, vectors

MSG = b"stored record"

ONLY_44 = '[sign]\nalgorithm = "ml-dsa-44"\n[verify]\naccept = ["ml-dsa-44"]\n'
ACCEPT_65 = '[sign]\nalgorithm = "ml-dsa-65"\n[verify]\naccept = ["ml-dsa-65"]\n'
# liboqs verifies and PQClean re-checks every verdict.
SHADOWED_44 = (
    '[sign]\nalgorithm = "ml-dsa-44"\n'
    '[verify]\naccept = ["ml-dsa-44"]\nprovider = "liboqs"\n'
    '[shadow]\nprovider = "pqclean"\n'
)


def wycheproof_mldsa_44(tc_id):
    """(public key, message, signature, context) of one Wycheproof case."""
    d = vectors("wycheproof/testvectors_v1/mldsa_44_verify_test.json")
    for g in d["testGroups"]:
        for t in g["tests"]:
            if t["tcId"] == tc_id:
                return t, h(g["publicKey"]), h(t["msg"]), h(t["sig"]), h(t.get("ctx", ""))
    pytest.fail(f"mldsa_44_verify_test.json has no tcId {tc_id}")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_verify_refuses_an_algorithm_the_configuration_does_not_accept(use_config, tmp_path):
    key = pqshift.SigningKey.from_seed("ml-dsa-65", bytes(range(32)))
    pk = key.public_key()
    raw = key.sign(MSG, raw=True)
    tagged = key.sign(MSG)
    # Accepted: every form verifies.
    use_config(ACCEPT_65)
    pk.verify(MSG, raw, raw=True)
    pk.verify(MSG, tagged)
    key.verify(MSG, tagged)
    pqshift.VerifyingKey.from_raw("ml-dsa-65", pk.to_raw()).verify(MSG, raw, raw=True)
    # Not accepted: refused before any provider is asked, on every key object.
    only_44 = write(tmp_path, "only-44.toml", ONLY_44)
    pqshift.load_config(only_44)
    for call in (
        lambda: pk.verify(MSG, raw, raw=True),
        lambda: pk.verify(MSG, tagged),
        lambda: key.verify(MSG, tagged),
        lambda: pqshift.VerifyingKey.from_raw("ml-dsa-65", pk.to_raw()).verify(MSG, raw, raw=True),
        lambda: pqshift.VerifyingKey.from_pem(pk.to_pem()).verify(MSG, raw, raw=True),
    ):
        with pytest.raises(pqshift.PolicyError, match="ml-dsa-65 is not accepted"):
            call()
    # A wrong signature is refused the same way: no verdict leaks.
    with pytest.raises(pqshift.PolicyError):
        pk.verify(MSG + b"!", raw, raw=True)
    # The CLI, same configuration and input: exit 2, a policy violation.
    assert cli_verify(tmp_path, only_44, "ml-dsa-65", pk.to_raw(), MSG, raw) is pqshift.PolicyError


def test_mac_verification_needs_the_algorithm_accepted(use_config):
    use_config(f'[sign]\nalgorithm = "{MAC_ALG}"\n[policy]\nallow_insecure = true\n')
    key = pqshift.SigningKey.from_seed(MAC_ALG, bytes(32))
    tag = key.sign(MSG)
    key.verify(MSG, tag)
    # The placeholder is allowed but not accepted for verification.
    use_config('[sign]\nalgorithm = "ed25519"\n[policy]\nallow_insecure = true\n')
    with pytest.raises(pqshift.PolicyError, match="not accepted"):
        key.verify(MSG, tag)
    # Listed in [verify] accept (and allowed): it verifies again.
    use_config(f'[sign]\nalgorithm = "ed25519"\n[verify]\naccept = ["ed25519", "{MAC_ALG}"]\n[policy]\nallow_insecure = true\n')
    key.verify(MSG, tag)


def test_shadow_provider_must_confirm_a_verdict(use_config, tmp_path):
    cfg = write(tmp_path, "shadowed.toml", SHADOWED_44)
    pqshift.load_config(cfg)
    assert pqshift.active().shadow == "pqclean"
    assert pqshift.active().accept == [("ml-dsa-44", "liboqs")]

    # tcId 1: a valid signature; both providers agree.
    t, pk, msg, sig, ctx = wycheproof_mldsa_44(1)
    assert t["result"] == "valid"
    pqshift.VerifyingKey.from_raw("ml-dsa-44", pk).verify(msg, sig, context=ctx, raw=True)
    assert cli_verify(tmp_path, cfg, "ml-dsa-44", pk, msg, sig, ctx) is None

    # tcId 81: z breaks the FIPS 204 norm bound. It must never verify: either
    # the providers disagree (ProviderError) or it is rejected outright
    # (InvalidSignature), and the CLI must say the same.
    t, pk, msg, sig, ctx = wycheproof_mldsa_44(81)
    assert t["result"] == "invalid" and "InfinityNormViolation" in t["flags"]
    for key in (
        pqshift.VerifyingKey.from_raw("ml-dsa-44", pk),
        pqshift.VerifyingKey.from_raw("ml-dsa-44", pk, provider="liboqs"),
        pqshift.VerifyingKey.from_raw("ml-dsa-44", pk, provider="rustcrypto"),
    ):
        with pytest.raises((pqshift.ProviderError, pqshift.InvalidSignature)) as info:
            key.verify(msg, sig, context=ctx, raw=True)
        cli = cli_verify(tmp_path, cfg, "ml-dsa-44", pk, msg, sig, ctx)
        assert cli in (pqshift.ProviderError, pqshift.InvalidSignature)
        assert type(info.value) is cli, f"Python raised {type(info.value).__name__}, the CLI {cli.__name__}"
