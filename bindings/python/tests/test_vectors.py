"""The relevant external vectors of ../shared/vectors through the Python API:
ACVP ML-DSA and ML-KEM keyGen, ML-KEM encapsulation, RFC 8032, Wycheproof
Ed25519, CAVP SHA-256. (ACVP sigGen and the expanded-key decapsulations use
interfaces the Python API does not expose; the Rust suite runs them.)"""

import pytest

import pqshift
from conftest import h, vector_path, vectors


def acvp_name(parameter_set):
    return parameter_set.lower()


def test_acvp_ml_dsa_keygen():
    d = vectors("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json")
    n = 0
    for g in d["testGroups"]:
        alg = acvp_name(g["parameterSet"])
        for t in g["tests"]:
            key = pqshift.SigningKey.from_seed(alg, h(t["seed"]))
            assert key.public_key().to_raw() == h(t["pk"]), t["tcId"]
            n += 1
    assert n == 75


def test_acvp_ml_kem_keygen():
    d = vectors("acvp/ML-KEM-keyGen-FIPS203/internalProjection.json")
    n = 0
    for g in d["testGroups"]:
        alg = acvp_name(g["parameterSet"])
        for t in g["tests"]:
            dk = pqshift.DecapsulationKey.from_seed(alg, h(t["d"]) + h(t["z"]))
            assert dk.encapsulation_key().to_raw() == h(t["ek"]), t["tcId"]
            n += 1
    assert n == 75


def test_acvp_ml_kem_encapsulation():
    d = vectors("acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json")
    n = 0
    for g in d["testGroups"]:
        if g["function"] != "encapsulation":
            continue
        alg = acvp_name(g["parameterSet"])
        for t in g["tests"]:
            ek = pqshift.EncapsulationKey.from_raw(alg, h(t["ek"]))
            ct, ss = ek.encapsulate_derandomized(h(t["m"]), raw=True)
            assert (ct, ss) == (h(t["c"]), h(t["k"])), t["tcId"]
            n += 1
    assert n == 75


def test_rfc8032():
    d = vectors("rfc8032/ed25519_rfc8032_7_1.json")
    for t in d["tests"]:
        key = pqshift.SigningKey.from_seed("ed25519", h(t["secretKey"]))
        assert key.public_key().to_raw() == h(t["publicKey"])
        sig = key.sign(h(t["message"]), raw=True)
        assert sig == h(t["signature"]), t["tcId"]
        pqshift.VerifyingKey.from_raw("ed25519", h(t["publicKey"])).verify(h(t["message"]), sig, raw=True)


def test_wycheproof_ed25519():
    d = vectors("wycheproof/testvectors_v1/ed25519_test.json")
    n = 0
    for g in d["testGroups"]:
        pk = pqshift.VerifyingKey.from_pem(g["publicKeyPem"])
        for t in g["tests"]:
            n += 1
            if t["result"] == "valid":
                pk.verify(h(t["msg"]), h(t["sig"]), raw=True)
            else:
                # Malformed (wrong length) is InvalidInput, a wrong signature
                # InvalidSignature: never "valid".
                with pytest.raises((pqshift.InvalidSignature, pqshift.InvalidInput)):
                    pk.verify(h(t["msg"]), h(t["sig"]), raw=True)
    assert n == d["numberOfTests"]


def cavp_sha256(path):
    full = vector_path(path)
    length, msg = None, None
    for line in full.read_text().splitlines():
        if line.startswith("Len ="):
            length = int(line.split("=")[1])
        elif line.startswith("Msg ="):
            msg = h(line.split("=")[1].strip())
        elif line.startswith("MD ="):
            yield (msg[: length // 8], h(line.split("=")[1].strip()))


@pytest.mark.parametrize("name", ["SHA256ShortMsg.rsp", "SHA256LongMsg.rsp"])
def test_cavp_sha256(name):
    cases = list(cavp_sha256(f"nist-cavp/shs/{name}"))
    assert len(cases) > 60
    for msg, md in cases:
        assert pqshift.sha256(msg) == md
