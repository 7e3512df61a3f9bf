"""Wycheproof ML-DSA verification vectors (mldsa_{44,65,87}_verify_test.json,
631 cases) through the Python binding, once per provider that serves ML-DSA,
each chosen the way users choose it: a configuration with `[verify] provider`.

The providers come from `pqshift.providers(alg)`, so a newly linked ML-DSA
provider is covered without touching this file. Expected verdicts come from
the vectors alone: `valid` verifies; `invalid` with IncorrectPublicKeyLength,
IncorrectSignatureLength or InvalidContext (a context over 255 bytes) raises
`InvalidInput`; every other `invalid` raises `InvalidSignature`.

Two paths: the key objects (`VerifyingKey.from_raw(alg, pk).verify(msg, sig,
context=ctx, raw=True)`), and the module-level `pqshift.verify(key, payload,
sig)` of the porting contract for the cases it can express (a tagged key, so
a public key of the right length, and no context).
"""

import pytest

import pqshift
from conftest import h, vectors

FILES = [
    ("ml-dsa-44", "mldsa_44_verify_test.json", 180),
    ("ml-dsa-65", "mldsa_65_verify_test.json", 210),
    ("ml-dsa-87", "mldsa_87_verify_test.json", 241),
]
REQUIRED = {"liboqs", "pqclean", "rustcrypto"}
MALFORMED_FLAGS = {"IncorrectPublicKeyLength", "IncorrectSignatureLength", "InvalidContext"}
PUBLIC_KEY_LEN = {"ml-dsa-44": 1312, "ml-dsa-65": 1952, "ml-dsa-87": 2592}  # FIPS 204, Table 2

PROVIDERS = sorted({p for alg, _, _ in FILES for p in pqshift.providers(alg)})


def expectation(t):
    """None for a valid case, else the exception it must raise."""
    if t["result"] == "valid":
        return None
    assert t["result"] == "invalid", t
    if MALFORMED_FLAGS & set(t["flags"]):
        return pqshift.InvalidInput
    return pqshift.InvalidSignature


def outcome(call):
    """None when `call` returns, else the pqshift exception class it raised
    (anything else propagates: a TypeError is a bug, not a verdict)."""
    try:
        call()
    except pqshift.Error as e:
        return type(e)
    return None


def contract_outcome(key, payload, sig):
    def call():
        if not pqshift.verify(key, payload, sig):
            raise pqshift.InvalidSignature("pqshift.verify returned False")

    return outcome(call)


def tagged_signature(alg, raw):
    """The tagged binary signature, built from its documented layout
    (provider-api/src/encoding.rs): "PQSH", version 1, kind 3, the length of
    the algorithm ID, the ID, then the standard signature bytes."""
    return b"PQSH" + bytes([1, 3, len(alg)]) + alg.encode() + raw


def config_text(provider, alg):
    """Signs `alg` with `provider` and verifies every ML-DSA parameter set
    the provider serves with it."""
    accept = ", ".join(f'"{a}"' for a, _, _ in FILES if provider in pqshift.providers(a))
    return (
        f'[sign]\nalgorithm = "{alg}"\nprovider = "{provider}"\n'
        f'[verify]\naccept = [{accept}]\nprovider = "{provider}"\n'
    )


def name(e):
    return "valid" if e is None else e.__name__


def test_every_ml_dsa_provider_is_covered():
    for alg, _, _ in FILES:
        listed = set(pqshift.providers(alg))
        assert REQUIRED <= listed, f"{alg}: {sorted(listed)}"
        assert listed <= set(PROVIDERS)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("alg,file,count", FILES, ids=[a for a, _, _ in FILES])
def test_wycheproof_mldsa_verify(use_config, alg, file, count, provider):
    d = vectors(f"wycheproof/testvectors_v1/{file}")
    assert d["numberOfTests"] == count
    if provider not in pqshift.providers(alg):
        pytest.skip(f"provider {provider} does not serve {alg}")
    c = use_config(config_text(provider, alg))
    assert dict(c.accept)[alg] == provider

    cases = [(g, t) for g in d["testGroups"] for t in g["tests"]]
    assert len(cases) == count
    # Expected numbers, from the vectors' `result` fields alone.
    want_valid = sum(t["result"] == "valid" for _, t in cases)
    want_invalid = count - want_valid
    contract_cases = [
        (g, t) for g, t in cases if len(g["publicKey"]) // 2 == PUBLIC_KEY_LEN[alg] and not t.get("ctx")
    ]
    contract_ids = {t["tcId"] for _, t in contract_cases}
    want_contract_valid = sum(t["result"] == "valid" for _, t in contract_cases)
    want_contract_invalid = len(contract_cases) - want_contract_valid

    tally = {
        "VerifyingKey.verify": [0, 0, 0, []],  # cases, valid accepted, invalid rejected, wrong
        "pqshift.verify": [0, 0, 0, []],
    }

    def count_one(path, t, got):
        want = expectation(t)
        row = tally[path]
        row[0] += 1
        if got is not want:
            row[3].append(f"tcId {t['tcId']} (want {name(want)}, got {name(got)})")
        elif want is None:
            row[1] += 1
        else:
            row[2] += 1

    for g, t in cases:
        pk, msg, sig, ctx = h(g["publicKey"]), h(t["msg"]), h(t["sig"]), h(t.get("ctx", ""))
        got = outcome(lambda: pqshift.VerifyingKey.from_raw(alg, pk).verify(msg, sig, context=ctx, raw=True))
        count_one("VerifyingKey.verify", t, got)
        if t["tcId"] in contract_ids:
            tagged_pk = pqshift.VerifyingKey.from_raw(alg, pk).to_bytes()
            count_one("pqshift.verify", t, contract_outcome(tagged_pk, msg, tagged_signature(alg, sig)))

    want = {
        "VerifyingKey.verify": (count, want_valid, want_invalid),
        "pqshift.verify": (len(contract_cases), want_contract_valid, want_contract_invalid),
    }
    failures = []
    for path, (n, valid, invalid, wrong) in tally.items():
        print(
            f"{file} via {provider}, {path}: {n} cases, {valid}/{want[path][1]} valid accepted, "
            f"{invalid}/{want[path][2]} invalid rejected"
        )
        if (n, valid, invalid) != want[path]:
            failures.append(
                f"{path}: {n} cases (want {want[path][0]}), {valid} valid accepted (want {want[path][1]}), "
                f"{invalid} invalid rejected (want {want[path][2]}); wrong: {'; '.join(wrong)}"
            )
    assert not failures, f"{file} via provider {provider}:\n" + "\n".join(failures)
