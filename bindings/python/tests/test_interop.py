"""Interop with pyca/cryptography (>= 48: ML-DSA, ML-KEM, Ed25519): keys via
PEM and raw bytes, signatures and KEM both ways."""

import pytest

import pqshift
from conftest import config_text

cryptography = pytest.importorskip("cryptography")
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402

mldsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.mldsa")
mlkem = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.mlkem")

MSG = b"interop message"
PEM = serialization.Encoding.PEM
RAW = serialization.Encoding.Raw


def pyca_pem_private(key):
    return key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def pyca_pem_public(key):
    return key.public_bytes(PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_ed25519_both_ways():
    theirs = ed25519.Ed25519PrivateKey.generate()
    ours = pqshift.SigningKey.from_pem(pyca_pem_private(theirs))
    assert ours.public_key().to_raw() == theirs.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    # Their signature, our verification (raw public key and PEM).
    sig = theirs.sign(MSG)
    pqshift.VerifyingKey.from_pem(pyca_pem_public(theirs.public_key())).verify(MSG, sig, raw=True)
    # Our signature, their verification; our PEM, their parser.
    mine = pqshift.SigningKey.generate("ed25519")
    their_pk = serialization.load_pem_public_key(mine.public_key().to_pem().encode())
    their_pk.verify(mine.sign(MSG, raw=True), MSG)
    their_sk = serialization.load_pem_private_key(mine.to_pem().encode(), None)
    assert their_sk.public_key().public_bytes(RAW, serialization.PublicFormat.Raw) == mine.public_key().to_raw()


ML_DSA = [("ml-dsa-44", "MLDSA44"), ("ml-dsa-65", "MLDSA65"), ("ml-dsa-87", "MLDSA87")]


def pyca_mldsa_class(name):
    cls = getattr(mldsa, f"{name}PrivateKey", None)
    if cls is None:
        pytest.skip(f"cryptography has no {name}")
    return cls


@pytest.mark.parametrize("alg,name", ML_DSA)
def test_ml_dsa_both_ways(use_config, alg, name):
    cls = pyca_mldsa_class(name)
    use_config(config_text(alg))  # verification needs the algorithm in [verify] accept
    theirs = cls.generate()
    ctx = b"app"
    # Their key (seed-form PKCS#8 PEM) in our hands: same public key.
    ours = pqshift.SigningKey.from_pem(pyca_pem_private(theirs))
    their_pub_raw = theirs.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    assert ours.public_key().to_raw() == their_pub_raw
    # Their signature, our verification (raw and PEM public key).
    sig = theirs.sign(MSG, ctx)
    pqshift.VerifyingKey.from_raw(alg, their_pub_raw).verify(MSG, sig, context=ctx, raw=True)
    pqshift.VerifyingKey.from_pem(pyca_pem_public(theirs.public_key())).verify(MSG, sig, context=ctx, raw=True)
    # Our signature, their verification; our PEMs, their parser.
    mine = pqshift.SigningKey.generate(alg)
    their_pk = serialization.load_pem_public_key(mine.public_key().to_pem().encode())
    their_pk.verify(mine.sign(MSG, context=ctx, raw=True), MSG, ctx)
    their_sk = serialization.load_pem_private_key(mine.to_pem().encode(), None)
    assert their_sk.public_key().public_bytes(RAW, serialization.PublicFormat.Raw) == mine.public_key().to_raw()
    # Same seed, same key.
    assert cls.from_seed_bytes(mine.seed()).public_key().public_bytes(RAW, serialization.PublicFormat.Raw) == mine.public_key().to_raw()


ML_KEM = [("ml-kem-768", "MLKEM768"), ("ml-kem-1024", "MLKEM1024")]  # pyca 48 has no ML-KEM-512


@pytest.mark.parametrize("alg,name", ML_KEM)
def test_ml_kem_both_ways(alg, name):
    cls = getattr(mlkem, f"{name}PrivateKey", None)
    if cls is None:
        pytest.skip(f"cryptography has no {name}")
    theirs = cls.generate()
    ours = pqshift.DecapsulationKey.from_pem(pyca_pem_private(theirs))
    their_ek = theirs.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    assert ours.encapsulation_key().to_raw() == their_ek
    # They encapsulate, we decapsulate.
    ss, ct = theirs.public_key().encapsulate()
    assert ours.decapsulate(ct, raw=True) == ss
    # We encapsulate to their key (raw and PEM), they decapsulate.
    ct, ss = pqshift.EncapsulationKey.from_raw(alg, their_ek).encapsulate(raw=True)
    assert theirs.decapsulate(ct) == ss
    ct, ss = pqshift.EncapsulationKey.from_pem(pyca_pem_public(theirs.public_key())).encapsulate(raw=True)
    assert theirs.decapsulate(ct) == ss
    # Our PEMs in their parser.
    mine = pqshift.DecapsulationKey.generate(alg)
    their_sk = serialization.load_pem_private_key(mine.to_pem().encode(), None)
    ct, ss = mine.encapsulation_key().encapsulate(raw=True)
    assert their_sk.decapsulate(ct) == ss
    their_pk = serialization.load_pem_public_key(mine.encapsulation_key().to_pem().encode())
    ss2, ct2 = their_pk.encapsulate()
    assert mine.decapsulate(ct2, raw=True) == ss2
