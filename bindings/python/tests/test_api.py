"""The public API: round trips, encodings, bad input of every kind, configuration."""

import subprocess
import sys

import pytest

import pqshift
from conftest import KEM_ALGS, MAC_ALG, SIGNATURE_ALGS, config_text

MSG = b"stored record"


def test_exception_hierarchy():
    for cls in (
        pqshift.InvalidSignature,
        pqshift.InvalidInput,
        pqshift.UnsupportedAlgorithm,
        pqshift.PolicyError,
        pqshift.ProviderError,
    ):
        assert issubclass(cls, pqshift.Error)
    assert issubclass(pqshift.InvalidInput, ValueError)
    assert not issubclass(pqshift.InvalidSignature, ValueError)


def test_public_names_have_docstrings():
    for name in pqshift.__all__:
        obj = getattr(pqshift, name)
        if callable(obj):
            assert obj.__doc__, name
    for cls in (pqshift.SigningKey, pqshift.VerifyingKey, pqshift.DecapsulationKey, pqshift.EncapsulationKey):
        for attr in dir(cls):
            if not attr.startswith("_"):
                assert getattr(cls, attr).__doc__, f"{cls.__name__}.{attr}"


def test_classes_are_frozen_and_not_constructible():
    key = pqshift.SigningKey.from_seed("ed25519", bytes(32))
    with pytest.raises(AttributeError):
        key.algorithm = "ml-dsa-65"
    with pytest.raises(TypeError):
        pqshift.SigningKey()


@pytest.mark.parametrize("alg", SIGNATURE_ALGS)
def test_signature_round_trips(use_config, alg):
    use_config(config_text(alg))  # verification needs the algorithm in [verify] accept
    key = pqshift.SigningKey.generate(alg)
    assert key.algorithm == alg and key.provider in pqshift.providers(alg)
    pk = key.public_key()
    ctx = b"" if alg == "ed25519" else b"ctx"
    sig = key.sign(MSG, context=ctx)
    assert sig.startswith(b"PQSH")
    assert pk.verify(MSG, sig, context=ctx) is None
    key.verify(MSG, sig, context=ctx)
    raw = key.sign(MSG, context=ctx, raw=True)
    pk.verify(MSG, raw, context=ctx, raw=True)
    with pytest.raises(pqshift.InvalidSignature):
        pk.verify(MSG + b"!", sig, context=ctx)
    # Tagged, PEM, raw and seed forms all give the same key back.
    assert pqshift.SigningKey.from_bytes(key.to_bytes()).fingerprint == key.fingerprint
    assert pqshift.SigningKey.from_pem(key.to_pem()).fingerprint == key.fingerprint
    assert pqshift.SigningKey.from_pem(key.to_pem().encode()).fingerprint == key.fingerprint
    assert pqshift.SigningKey.from_seed(alg, key.seed()).fingerprint == key.fingerprint
    assert pqshift.VerifyingKey.from_bytes(pk.to_bytes()) == pk
    assert pqshift.VerifyingKey.from_pem(pk.to_pem()) == pk
    assert pqshift.VerifyingKey.from_raw(alg, pk.to_raw()) == pk
    assert hash(pqshift.VerifyingKey.from_raw(alg, pk.to_raw())) == hash(pk)
    assert "PRIVATE" in key.to_pem() and "PUBLIC" in pk.to_pem()
    assert key.seed().hex() not in repr(key)


def test_ml_dsa_hedged_and_deterministic():
    key = pqshift.SigningKey.from_seed("ml-dsa-65", bytes(range(32)))
    assert key.sign(MSG, deterministic=True) == key.sign(MSG, deterministic=True)
    assert key.sign(MSG) != key.sign(MSG)


def test_aliases_and_providers():
    key = pqshift.SigningKey.from_seed("ML-DSA-65", bytes(32), provider="rustcrypto")
    assert (key.algorithm, key.provider) == ("ml-dsa-65", "rustcrypto")
    other = pqshift.SigningKey.from_seed("mldsa65", bytes(32), provider="liboqs")
    assert other.public_key() == key.public_key()
    pq = pqshift.SigningKey.generate("ml-dsa-65", provider="pqclean")
    with pytest.raises(pqshift.UnsupportedAlgorithm):
        pq.seed()
    with pytest.raises(pqshift.UnsupportedAlgorithm):
        pq.sign(MSG, deterministic=True)


@pytest.mark.parametrize("alg", KEM_ALGS)
def test_kem_round_trips(alg):
    dk = pqshift.DecapsulationKey.generate(alg)
    ek = dk.encapsulation_key()
    ct, ss = ek.encapsulate()
    assert ct.startswith(b"PQSH") and len(ss) == 32
    assert dk.decapsulate(ct) == ss
    rct, rss = ek.encapsulate(raw=True)
    assert dk.decapsulate(rct, raw=True) == rss
    flipped = bytes([rct[0] ^ 1]) + rct[1:]
    assert dk.decapsulate(flipped, raw=True) != rss  # implicit rejection: no error
    assert pqshift.DecapsulationKey.from_bytes(dk.to_bytes()).decapsulate(ct) == ss
    assert pqshift.DecapsulationKey.from_pem(dk.to_pem()).decapsulate(ct) == ss
    assert pqshift.DecapsulationKey.from_seed(alg, dk.seed()).decapsulate(ct) == ss
    assert pqshift.EncapsulationKey.from_bytes(ek.to_bytes()) == ek
    assert pqshift.EncapsulationKey.from_pem(ek.to_pem()) == ek
    assert pqshift.EncapsulationKey.from_raw(alg, ek.to_raw()) == ek


# ---------------------------------------------------------------- bad input


def test_wrong_types_raise_type_error():
    key = pqshift.SigningKey.from_seed("ed25519", bytes(32))
    with pytest.raises(TypeError):
        pqshift.SigningKey.from_seed("ed25519", "00" * 32)
    with pytest.raises(TypeError):
        key.sign("text")
    with pytest.raises(TypeError):
        key.public_key().verify(MSG, None)
    with pytest.raises(TypeError):
        pqshift.keygen("1")
    with pytest.raises(TypeError):
        pqshift.keygen(1.0)
    with pytest.raises(TypeError):
        pqshift.keygen(True)
    with pytest.raises(TypeError):
        pqshift.merkle_root([b"a", "b"])
    with pytest.raises(TypeError):
        pqshift.merkle_root(5)
    with pytest.raises(TypeError):
        pqshift.VerifyingKey.from_pem(5)
    with pytest.raises(TypeError):
        pqshift.sha256("abc")


@pytest.mark.parametrize("alg,size", [("ed25519", 32), ("ml-dsa-44", 32), ("ml-dsa-65", 32), ("ml-dsa-87", 32)])
def test_wrong_seed_lengths(alg, size):
    for n in (0, size - 1, size + 1):
        with pytest.raises(pqshift.InvalidInput, match=f"{size} bytes long, got {n} bytes"):
            pqshift.SigningKey.from_seed(alg, bytes(n))


def test_wrong_lengths_everywhere():
    pk = pqshift.SigningKey.from_seed("ml-dsa-65", bytes(32)).public_key()
    with pytest.raises(pqshift.InvalidInput, match="1952 bytes"):
        pqshift.VerifyingKey.from_raw("ml-dsa-65", pk.to_raw()[:-1])
    with pytest.raises(pqshift.InvalidInput, match="3309 bytes"):
        pk.verify(MSG, bytes(3308), raw=True)
    with pytest.raises(pqshift.InvalidInput, match="64 bytes"):
        pqshift.DecapsulationKey.from_seed("ml-kem-768", bytes(32))
    dk = pqshift.DecapsulationKey.from_seed("ml-kem-768", bytes(64))
    with pytest.raises(pqshift.InvalidInput, match="1088 bytes"):
        dk.decapsulate(bytes(1087), raw=True)
    with pytest.raises(pqshift.InvalidInput, match="1184 bytes"):
        pqshift.EncapsulationKey.from_raw("ml-kem-768", bytes(10))
    with pytest.raises(pqshift.InvalidInput, match="32 bytes"):
        dk.encapsulation_key().encapsulate_derandomized(bytes(31))


def test_context_over_255_bytes(accept_all):
    key = pqshift.SigningKey.from_seed("ml-dsa-44", bytes(32))
    sig = key.sign(MSG, context=bytes(255))
    with pytest.raises(pqshift.InvalidInput, match="at most 255 bytes long, got 256 bytes"):
        key.sign(MSG, context=bytes(256))
    with pytest.raises(pqshift.InvalidInput, match="at most 255 bytes"):
        key.public_key().verify(MSG, sig, context=bytes(256))
    ed = pqshift.SigningKey.from_seed("ed25519", bytes(32))
    with pytest.raises(pqshift.UnsupportedAlgorithm, match="takes no context"):
        ed.sign(MSG, context=b"x")


def test_other_algorithms_key_or_signature(accept_all):
    a = pqshift.SigningKey.from_seed("ml-dsa-44", bytes(32))
    b = pqshift.SigningKey.from_seed("ml-dsa-65", bytes(32))
    sig = a.sign(MSG)
    with pytest.raises(pqshift.InvalidInput, match="mismatch"):
        b.public_key().verify(MSG, sig)
    with pytest.raises(pqshift.InvalidInput):
        b.public_key().verify(MSG, a.sign(MSG, raw=True), raw=True)
    with pytest.raises(pqshift.InvalidInput, match="KEM"):
        pqshift.SigningKey.from_seed("ml-kem-768", bytes(64))
    with pytest.raises(pqshift.InvalidInput, match="not a KEM"):
        pqshift.DecapsulationKey.from_seed("ml-dsa-65", bytes(32))
    with pytest.raises(pqshift.InvalidInput, match="KEM"):
        pqshift.VerifyingKey.from_bytes(pqshift.DecapsulationKey.from_seed("ml-kem-512", bytes(64)).encapsulation_key().to_bytes())
    with pytest.raises(pqshift.InvalidInput):
        pqshift.SigningKey.from_bytes(a.public_key().to_bytes())  # a public key is not a secret key
    with pytest.raises(pqshift.InvalidInput):
        pqshift.VerifyingKey.from_bytes(a.to_bytes())
    dk = pqshift.DecapsulationKey.from_seed("ml-kem-768", bytes(64))
    ct512, _ = pqshift.DecapsulationKey.from_seed("ml-kem-512", bytes(64)).encapsulation_key().encapsulate()
    with pytest.raises(pqshift.InvalidInput, match="mismatch"):
        dk.decapsulate(ct512)


def test_garbage_and_tampered_encodings():
    key = pqshift.SigningKey.from_seed("ed25519", bytes(32))
    for bad in (b"", b"PQSH", b"not a key", b"\x00" * 40):
        with pytest.raises(pqshift.InvalidInput):
            pqshift.SigningKey.from_bytes(bad)
        with pytest.raises(pqshift.InvalidInput):
            pqshift.VerifyingKey.from_bytes(bad)
        with pytest.raises(pqshift.InvalidInput):
            key.public_key().verify(MSG, bad)
    tampered = bytearray(key.to_bytes())
    tampered[-1] ^= 1  # the seed no longer matches the fingerprint
    with pytest.raises(pqshift.InvalidInput, match="fingerprint"):
        pqshift.SigningKey.from_bytes(bytes(tampered))
    for bad in ("", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", key.public_key().to_pem()):
        with pytest.raises(pqshift.InvalidInput):
            pqshift.SigningKey.from_pem(bad)
    with pytest.raises(pqshift.InvalidInput):
        pqshift.VerifyingKey.from_pem(key.to_pem())


def test_unknown_algorithm_and_provider():
    with pytest.raises(pqshift.UnsupportedAlgorithm):
        pqshift.SigningKey.from_seed("rsa-2048", bytes(32))
    with pytest.raises(pqshift.UnsupportedAlgorithm):
        pqshift.SigningKey.from_seed("ml-dsa-65", bytes(32), provider="nope")
    with pytest.raises(pqshift.UnsupportedAlgorithm):
        pqshift.providers("rsa-2048")


def test_keygen_integer_range():
    assert pqshift.keygen(0) and pqshift.keygen(2**64 - 1)
    for bad in (-1, 2**64):
        with pytest.raises(pqshift.InvalidInput, match="0 to 2\\*\\*64 - 1"):
            pqshift.keygen(bad)


def test_merkle_and_sha256():
    assert pqshift.sha256(b"abc").hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert pqshift.merkle_root([]) == pqshift.sha256(b"")
    assert pqshift.merkle_root([b"a"]) == pqshift.sha256(b"\x00a")


# ---------------------------------------------------------------- configuration


def test_default_configuration():
    c = pqshift.active()
    assert (c.sign_algorithm, c.sign_provider) == ("ed25519", "dalek")
    assert c.path is None and c.accept == [("ed25519", "dalek")]
    assert c.kem is None and c.shadow is None and c.allow_insecure is False


def test_load_config_switches_the_contract(use_config, tmp_path):
    k_ed = pqshift.keygen(7)
    assert b"ed25519" in k_ed
    c = use_config(config_text("ml-dsa-65", provider="rustcrypto", accept=["ml-dsa-65", "ed25519"]))
    assert c.sign_algorithm == "ml-dsa-65" and c.sign_provider == "rustcrypto"
    assert pqshift.active().path == c.path
    k = pqshift.keygen(7)
    assert b"ml-dsa-65" in k
    assert pqshift.verify(k, MSG, pqshift.sign(k, MSG))
    # An accepted old algorithm still verifies; signing with it is refused.
    pqshift.load_config()
    sig_ed = pqshift.sign(k_ed, MSG)
    use_config(config_text("ml-dsa-65", accept=["ml-dsa-65", "ed25519"]))
    assert pqshift.verify(k_ed, MSG, sig_ed)
    with pytest.raises(pqshift.PolicyError):
        pqshift.sign(k_ed, MSG)
    use_config(config_text("ml-dsa-65"))
    with pytest.raises(pqshift.PolicyError, match="not accepted"):
        pqshift.verify(k_ed, MSG, sig_ed)


def test_bad_configurations_fail_closed(use_config):
    cases = [
        ('[sign]\nalgorithm = "rsa"\n', pqshift.UnsupportedAlgorithm),
        ('[sign]\nalgorithm = "ed25519"\nbogus = 1\n', pqshift.InvalidInput),
        ('[sign]\nalgorithm = "ml-kem-768"\n', pqshift.InvalidInput),
        (f'[sign]\nalgorithm = "{MAC_ALG}"\n', pqshift.PolicyError),
        ('[sign]\nalgorithm = "ml-dsa-65"\n[verify]\naccept = ["ed25519"]\n', pqshift.PolicyError),
        ('[sign]\nalgorithm = "ml-dsa-65"\nprovider = "liboqs"\n[shadow]\nprovider = "liboqs"\n', pqshift.PolicyError),
    ]
    for text, exc in cases:
        with pytest.raises(exc) as info:
            use_config(text)
        assert "pqshift-" in str(info.value)  # names the file
        # The previous configuration stays in force.
        assert pqshift.active().sign_algorithm == "ed25519"
    with pytest.raises(pqshift.InvalidInput, match="cannot read"):
        pqshift.load_config("/nonexistent/pqshift.toml")


def test_insecure_placeholder_needs_allow_insecure(use_config):
    with pytest.raises(pqshift.PolicyError, match="allow_insecure"):
        pqshift.SigningKey.from_seed(MAC_ALG, bytes(32))
    use_config(config_text(MAC_ALG))
    key = pqshift.SigningKey.from_seed(MAC_ALG, bytes(32))
    tag = key.sign(MSG)
    key.verify(MSG, tag)
    with pytest.raises(pqshift.InvalidInput, match="no public key"):
        key.public_key()


def test_kem_default_algorithm(use_config):
    with pytest.raises(pqshift.InvalidInput, match="no \\[kem\\]"):
        pqshift.DecapsulationKey.generate()
    c = use_config('[sign]\nalgorithm = "ed25519"\n[kem]\nalgorithm = "ml-kem-1024"\n')
    assert c.kem == ("ml-kem-1024", "liboqs")
    assert pqshift.DecapsulationKey.generate().algorithm == "ml-kem-1024"


def run_python(code, env_config):
    import os

    env = dict(os.environ)
    env["PQSHIFT_CONFIG"] = str(env_config)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def test_pqshift_config_is_honoured_at_import(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(config_text("ml-dsa-87"))
    r = run_python("import pqshift; print(pqshift.active().sign_algorithm, pqshift.keygen(1)[7:16])", good)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ml-dsa-87 b'ml-dsa-87'")
    bad = tmp_path / "bad.toml"
    bad.write_text('[sign]\nalgorithm = "ed25519"\nunknown_key = true\n')
    r = run_python("import pqshift", bad)
    assert r.returncode != 0
    assert "pqshift.exceptions.InvalidInput" in r.stderr and "bad.toml" in r.stderr
