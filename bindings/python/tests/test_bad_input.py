"""The bad-input matrix of the Python binding (issue #10).

Every case names a call, the exact exception class it must raise (``None``:
it must succeed; ``False``: the contract's ``verify`` must return False) and
a piece of the message. ``check`` requires the class itself, not a subclass
or the ``pqshift.Error`` base (which is what an internal error or a panic
would be); only ``InvalidInput`` may also be a ``ValueError``; a
verification failure says nothing more. The dimensions: wrong argument
types, every algorithm x wrong lengths / other algorithms and kinds /
contexts / invalid signatures, every tagged object x every corruption of
its envelope, unknown algorithms and providers, bad configuration files,
the insecure placeholder without ``allow_insecure``, the porting contract.
test_api.py keeps the first hand-written case of each kind; this is the
cross product.
"""

import base64

import pytest

import pqshift
from conftest import ACCEPT_ALL, KEM_ALGS, MAC_ALG, SIGNATURE_ALGS, config_text

MSG = b"message"

# algorithm: (seed, public key, signature, ciphertext) sizes in bytes
SIZES = {
    "ed25519": (32, 32, 64, 0),
    "ml-dsa-44": (32, 1312, 2420, 0),
    "ml-dsa-65": (32, 1952, 3309, 0),
    "ml-dsa-87": (32, 2592, 4627, 0),
    "ml-kem-512": (64, 800, 0, 768),
    "ml-kem-768": (64, 1184, 0, 1088),
    "ml-kem-1024": (64, 1568, 0, 1568),
    MAC_ALG: (32, 0, 32, 0),
}
ALL_SIGS = SIGNATURE_ALGS + [MAC_ALG]

InvalidInput = pqshift.InvalidInput
Unsupported = pqshift.UnsupportedAlgorithm
BadSig = pqshift.InvalidSignature
Policy = pqshift.PolicyError


def check(call, exc, match):
    if exc is None:
        call()
        return
    if exc is False:
        assert call() is False
        return
    with pytest.raises(Exception) as info:
        call()
    e = info.value
    assert type(e) is exc, f"raised {type(e).__name__}: {e}, wanted {exc.__name__}"
    text = str(e)
    assert text, "an exception without a message"
    if issubclass(exc, pqshift.Error):
        assert isinstance(e, ValueError) == (exc is InvalidInput)
    if exc is BadSig:
        assert text == "signature verification failed"
    if match is not None:
        assert match in text, f"{text!r} lacks {match!r}"


def next_of(alg, family):
    return family[(family.index(alg) + 1) % len(family)]


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=")


def header_len(alg):
    return 7 + len(alg)


def lengths(want, got):
    return f"must be {want} bytes long, got {got} bytes"


# ------------------------------------------------------------------ the keys


class Keys:
    """Keys of every algorithm and their encodings, made once per module."""

    def __init__(self, tmp):
        self.accept_all = tmp / "accept-all.toml"
        self.accept_all.write_text(ACCEPT_ALL)
        path = tmp / "insecure.toml"
        path.write_text(config_text(MAC_ALG))
        pqshift.load_config(path)  # the placeholder needs allow_insecure to be made
        try:
            self.sk, self.other, self.pk, self.other_pk = {}, {}, {}, {}
            self.sk_bin, self.sk_text, self.pk_bin, self.pk_text = {}, {}, {}, {}
            self.sig, self.sig_text, self.ct, self.ct_text, self.ss = {}, {}, {}, {}, {}
            for i, alg in enumerate(SIGNATURE_ALGS + KEM_ALGS + [MAC_ALG]):
                n = SIZES[alg][0]
                kem = alg in KEM_ALGS
                cls = pqshift.DecapsulationKey if kem else pqshift.SigningKey
                k = cls.from_seed(alg, bytes([0x40 + i]) * n)
                self.sk[alg] = k
                self.other[alg] = cls.from_seed(alg, bytes([0x60 + i]) * n)
                self.sk_bin[alg] = k.to_bytes()
                self.sk_text[alg] = self.text_of_binary("sec", alg, self.sk_bin[alg], key=True)
                if kem:
                    self.pk[alg] = k.encapsulation_key()
                    self.other_pk[alg] = self.other[alg].encapsulation_key()
                    self.ct[alg], self.ss[alg] = self.pk[alg].encapsulate()
                    self.ct_text[alg] = self.text_of_binary("ct", alg, self.ct[alg])
                else:
                    if alg != MAC_ALG:
                        self.pk[alg] = k.public_key()
                        self.other_pk[alg] = self.other[alg].public_key()
                    # The contract's signature: deterministic, empty context.
                    self.sig[alg] = k.sign(MSG, deterministic=True)
                    self.sig_text[alg] = self.text_of_binary("sig", alg, self.sig[alg])
                if alg in self.pk:
                    self.pk_bin[alg] = self.pk[alg].to_bytes()
                    self.pk_text[alg] = self.text_of_binary("pub", alg, self.pk_bin[alg], key=True)
        finally:
            pqshift.load_config()

    @staticmethod
    def text_of_binary(kind, alg, data, key=False):
        hl = header_len(alg)
        parts = [b"pqshift1", kind.encode(), alg.encode()]
        if key:
            parts.append(data[hl : hl + 32].hex().encode())
            hl += 32
        return b":".join(parts + [b64(data[hl:])])

    def raw_sig(self, alg):
        return self.sig[alg][header_len(alg) :]

    def raw_ct(self, alg):
        return self.ct[alg][header_len(alg) :]

    def accepting(self, call):
        """call() under ACCEPT_ALL, then the default again: key objects
        verify under the configuration in force, and the default accepts
        Ed25519 alone."""
        pqshift.load_config(self.accept_all)
        try:
            return call()
        finally:
            pqshift.load_config()

    def verify(self, alg, message, sig, context=b"", raw=False):
        """With the public key (the secret key for the MAC), under ACCEPT_ALL."""
        key = self.sk[alg] if alg == MAC_ALG else self.pk[alg]
        return self.accepting(lambda: key.verify(message, sig, context=context, raw=raw))


@pytest.fixture(scope="module")
def K(tmp_path_factory):
    return Keys(tmp_path_factory.mktemp("bad-input"))


CASES = []


def case(name, call, exc, match=None):
    """call(K) -> anything; exc: the exception class, None (success) or False."""
    CASES.append(pytest.param(call, exc, match, id=name))


# ------------------------------------------------------------------ wrong types

NOT_BYTES = [("str", "00" * 32), ("int", 32), ("None", None), ("bytearray", bytearray(32)),
             ("memoryview", memoryview(bytes(32))), ("list", [0] * 32)]
for tname, v in NOT_BYTES:
    case(f"types: SigningKey.from_seed(seed={tname})", lambda K, v=v: pqshift.SigningKey.from_seed("ed25519", v), TypeError)
    case(f"types: SigningKey.from_bytes({tname})", lambda K, v=v: pqshift.SigningKey.from_bytes(v), TypeError)
    case(f"types: VerifyingKey.from_raw(data={tname})", lambda K, v=v: pqshift.VerifyingKey.from_raw("ed25519", v), TypeError)
    case(f"types: VerifyingKey.from_bytes({tname})", lambda K, v=v: pqshift.VerifyingKey.from_bytes(v), TypeError)
    case(f"types: DecapsulationKey.from_seed(seed={tname})",
         lambda K, v=v: pqshift.DecapsulationKey.from_seed("ml-kem-768", v), TypeError)
    case(f"types: EncapsulationKey.from_raw(data={tname})",
         lambda K, v=v: pqshift.EncapsulationKey.from_raw("ml-kem-768", v), TypeError)
    case(f"types: sign(message={tname})", lambda K, v=v: K.sk["ed25519"].sign(v), TypeError)
    case(f"types: sign(context={tname})", lambda K, v=v: K.sk["ml-dsa-44"].sign(MSG, context=v), TypeError)
    case(f"types: verify(message={tname})", lambda K, v=v: K.pk["ed25519"].verify(v, K.sig["ed25519"]), TypeError)
    case(f"types: verify(signature={tname})", lambda K, v=v: K.pk["ed25519"].verify(MSG, v), TypeError)
    case(f"types: verify(context={tname})", lambda K, v=v: K.pk["ml-dsa-44"].verify(MSG, K.sig["ml-dsa-44"], context=v),
         TypeError)
    case(f"types: SigningKey.verify(signature={tname})", lambda K, v=v: K.sk["ed25519"].verify(MSG, v), TypeError)
    case(f"types: decapsulate({tname})", lambda K, v=v: K.sk["ml-kem-512"].decapsulate(v), TypeError)
    case(f"types: encapsulate_derandomized({tname})", lambda K, v=v: K.pk["ml-kem-512"].encapsulate_derandomized(v),
         TypeError)
    case(f"types: sha256({tname})", lambda K, v=v: pqshift.sha256(v), TypeError)
    case(f"types: contract sign(key={tname})", lambda K, v=v: pqshift.sign(v, MSG), TypeError)
    case(f"types: contract sign(payload={tname})", lambda K, v=v: pqshift.sign(K.sk_bin["ed25519"], v), TypeError)
    case(f"types: contract verify(sig={tname})", lambda K, v=v: pqshift.verify(K.sk_bin["ed25519"], MSG, v), TypeError)
for tname, v in [("bytes", b"ed25519"), ("int", 1), ("None", None), ("list", ["ed25519"])]:
    if tname != "None":  # None is the default for generate's algorithm and for every provider
        case(f"types: SigningKey.from_seed(algorithm={tname})",
             lambda K, v=v: pqshift.SigningKey.from_seed(v, bytes(32)), TypeError)
        case(f"types: VerifyingKey.from_raw(algorithm={tname})",
             lambda K, v=v: pqshift.VerifyingKey.from_raw(v, bytes(32)), TypeError)
        case(f"types: providers({tname})", lambda K, v=v: pqshift.providers(v), TypeError)
    case(f"types: SigningKey.generate(algorithm={tname})" if tname != "None" else "types: generate(None) is the default",
         lambda K, v=v: pqshift.SigningKey.generate(v), TypeError if tname != "None" else None)
    if tname != "None":
        case(f"types: SigningKey.from_seed(provider={tname})",
             lambda K, v=v: pqshift.SigningKey.from_seed("ed25519", bytes(32), provider=v), TypeError)
for tname, v in [("int", 1), ("None", None), ("str", "yes")]:
    case(f"types: sign(deterministic={tname})", lambda K, v=v: K.sk["ed25519"].sign(MSG, deterministic=v), TypeError)
    case(f"types: verify(raw={tname})", lambda K, v=v: K.pk["ed25519"].verify(MSG, K.sig["ed25519"], raw=v), TypeError)
    case(f"types: encapsulate(raw={tname})", lambda K, v=v: K.pk["ml-kem-512"].encapsulate(raw=v), TypeError)
for tname, v in [("int", 5), ("None", None), ("list", ["-----BEGIN PUBLIC KEY-----\n"])]:
    case(f"types: VerifyingKey.from_pem({tname})", lambda K, v=v: pqshift.VerifyingKey.from_pem(v), TypeError)
    case(f"types: SigningKey.from_pem({tname})", lambda K, v=v: pqshift.SigningKey.from_pem(v), TypeError)
    case(f"types: EncapsulationKey.from_pem({tname})", lambda K, v=v: pqshift.EncapsulationKey.from_pem(v), TypeError)
    case(f"types: DecapsulationKey.from_pem({tname})", lambda K, v=v: pqshift.DecapsulationKey.from_pem(v), TypeError)
for tname, v in [("str", "1"), ("float", 1.0), ("bool", True), ("None", None), ("bytes", b"\x01")]:
    case(f"types: keygen({tname})", lambda K, v=v: pqshift.keygen(v), TypeError, "seed must be an int")
for tname, v in [("int", 5), ("None", None), ("str of leaves", "ab"), ("leaf str", [b"a", "b"]), ("leaf None", [None]),
                 ("leaf int", [1])]:
    case(f"types: merkle_root({tname})", lambda K, v=v: pqshift.merkle_root(v), TypeError)
for tname, v in [("int", 5), ("list", ["/x"])]:
    case(f"types: load_config({tname})", lambda K, v=v: pqshift.load_config(v), TypeError)
case("types: SigningKey() is not constructible", lambda K: pqshift.SigningKey(), TypeError)
case("types: unknown keyword", lambda K: K.sk["ed25519"].sign(MSG, contxt=b""), TypeError)
case("types: too many arguments", lambda K: K.sk["ed25519"].sign(MSG, b"", False, False, 1), TypeError)

# ------------------------------------------------------------------ per algorithm

for alg in ALL_SIGS:
    seed, pkn, sign, _ = SIZES[alg]
    other = next_of(alg, ALL_SIGS[:-1]) if alg != MAC_ALG else "ed25519"
    mac = alg == MAC_ALG
    P = f"{alg}: "
    for n in (0, 1, seed - 1, seed + 1, 2 * seed):
        # The placeholder is refused before its seed is looked at: use it under allow_insecure below.
        if not mac:
            case(P + f"seed of {n} bytes", lambda K, a=alg, n=n: pqshift.SigningKey.from_seed(a, bytes(n)),
                 InvalidInput, lengths(seed, n))
    if mac:
        case(P + "from_seed under the default", lambda K: pqshift.SigningKey.from_seed(MAC_ALG, bytes(32)), Policy,
             "allow_insecure")
        case(P + "generate under the default", lambda K: pqshift.SigningKey.generate(MAC_ALG), Policy, "allow_insecure")
        case(P + "from_bytes under the default", lambda K: pqshift.SigningKey.from_bytes(K.sk_bin[MAC_ALG]), Policy,
             "allow_insecure")
        case(P + "from_bytes(text) under the default", lambda K: pqshift.SigningKey.from_bytes(K.sk_text[MAC_ALG]),
             Policy, "allow_insecure")
        case(P + "from_seed, provider placeholder, under the default",
             lambda K: pqshift.SigningKey.from_seed(MAC_ALG, bytes(32), provider="placeholder"), Policy,
             "allow_insecure")
        case(P + "VerifyingKey.from_raw under the default", lambda K: pqshift.VerifyingKey.from_raw(MAC_ALG, bytes(32)),
             Policy, "allow_insecure")
        case(P + "public_key", lambda K: K.sk[MAC_ALG].public_key(), InvalidInput, "no public key")
        case(P + "to_pem", lambda K: K.sk[MAC_ALG].to_pem(), InvalidInput)
    else:
        for n in (0, 1, pkn - 1, pkn + 1, 2 * pkn):
            case(P + f"raw public key of {n} bytes", lambda K, a=alg, n=n: pqshift.VerifyingKey.from_raw(a, bytes(n)),
                 InvalidInput, lengths(pkn, n))
        case(P + f"a raw {other} public key", lambda K, a=alg, o=other: pqshift.VerifyingKey.from_raw(a, K.pk[o].to_raw()),
             InvalidInput, lengths(pkn, SIZES[other][1]))
    for n in (0, 1, sign - 1, sign + 1, 2 * sign):
        case(P + f"raw signature of {n} bytes", lambda K, a=alg, n=n: K.verify(a, MSG, bytes(n), raw=True), InvalidInput,
             lengths(sign, n))
    case(P + "empty tagged signature", lambda K, a=alg: K.verify(a, MSG, b""), InvalidInput, "not a tagged")
    # Controls and invalid signatures.
    case(P + "tagged signature", lambda K, a=alg: K.verify(a, MSG, K.sig[a]), None)
    case(P + "text signature", lambda K, a=alg: K.verify(a, MSG, K.sig_text[a]), None)
    case(P + "raw signature", lambda K, a=alg: K.verify(a, MSG, K.raw_sig(a), raw=True), None)
    for where in ("first", "middle", "last"):
        def flip(sig, where=where, bit=1):
            b = bytearray(sig)
            i = {"first": 0, "middle": len(b) // 2, "last": len(b) - 1}[where]
            b[i] ^= bit
            return bytes(b)

        case(P + f"raw signature, {where} byte flipped",
             lambda K, a=alg, flip=flip: K.verify(a, MSG, flip(K.raw_sig(a)), raw=True), BadSig)
        case(P + f"tagged signature, {where} payload byte flipped",
             lambda K, a=alg, flip=flip: K.verify(a, MSG, K.sig[a][: header_len(a)] + flip(K.raw_sig(a), bit=0x80)),
             BadSig)
    case(P + "all-zero signature", lambda K, a=alg, n=sign: K.verify(a, MSG, bytes(n), raw=True), BadSig)
    case(P + "all-ones signature", lambda K, a=alg, n=sign: K.verify(a, MSG, b"\xff" * n, raw=True), BadSig)
    case(P + "another message", lambda K, a=alg: K.verify(a, MSG[:-1], K.sig[a]), BadSig)
    case(P + "empty message", lambda K, a=alg: K.verify(a, b"", K.sig[a]), BadSig)
    if mac:
        case(P + "another key", lambda K: K.accepting(lambda: K.other[MAC_ALG].verify(MSG, K.sig[MAC_ALG])), BadSig)
    else:
        case(P + "another key", lambda K, a=alg: K.accepting(lambda: K.other_pk[a].verify(MSG, K.sig[a])), BadSig)
        case(P + "SigningKey.verify", lambda K, a=alg: K.accepting(lambda: K.sk[a].verify(MSG, K.sig[a])), None)
        case(P + "SigningKey.verify, another message",
             lambda K, a=alg: K.accepting(lambda: K.sk[a].verify(b"x", K.sig[a])), BadSig)
    # Contexts.
    if alg == "ed25519":
        case(P + "sign with a context", lambda K: K.sk["ed25519"].sign(MSG, context=b"c"), Unsupported, "takes no context")
        case(P + "verify with a context", lambda K: K.verify("ed25519", MSG, K.sig["ed25519"], context=b"c"), Unsupported,
             "takes no context")
        case(P + "verify with a 255-byte context", lambda K: K.verify("ed25519", MSG, K.sig["ed25519"], context=bytes(255)),
             Unsupported, "takes no context")
    else:
        case(P + "another context", lambda K, a=alg: K.verify(a, MSG, K.sig[a], context=b"c"), BadSig)
        case(P + "a 255-byte context", lambda K, a=alg: K.verify(a, MSG, K.sig[a], context=bytes(255)), BadSig)
        case(P + "sign with a 255-byte context", lambda K, a=alg: K.sk[a].sign(MSG, context=bytes(255)), None)
    for det in (False, True):
        for raw in (False, True):
            case(P + f"sign with a 256-byte context (deterministic={det}, raw={raw})",
                 lambda K, a=alg, d=det, r=raw: K.sk[a].sign(MSG, context=bytes(256), deterministic=d, raw=r),
                 InvalidInput, "at most 255 bytes long, got 256 bytes")
    case(P + "verify with a 256-byte context", lambda K, a=alg: K.verify(a, MSG, K.sig[a], context=bytes(256)),
         InvalidInput, "at most 255 bytes")
    case(P + "raw verify with a 256-byte context",
         lambda K, a=alg: K.verify(a, MSG, K.raw_sig(a), context=bytes(256), raw=True), InvalidInput, "at most 255 bytes")
    case(P + "SigningKey.verify with a 256-byte context",
         lambda K, a=alg: K.accepting(lambda: K.sk[a].verify(MSG, K.sig[a], context=bytes(256))), InvalidInput,
         "at most 255 bytes")
    case(P + "a 10000-byte context", lambda K, a=alg: K.sk[a].sign(MSG, context=bytes(10000)), InvalidInput,
         "got 10000 bytes")
    # Another algorithm's signature.
    if not mac:
        case(P + f"a tagged {other} signature", lambda K, a=alg, o=other: K.verify(a, MSG, K.sig[o]), InvalidInput,
             "mismatch")
        case(P + f"a raw {other} signature", lambda K, a=alg, o=other: K.verify(a, MSG, K.raw_sig(o), raw=True),
             InvalidInput, "bytes long")
        case(P + f"SigningKey.verify of a {other} signature",
             lambda K, a=alg, o=other: K.accepting(lambda: K.sk[a].verify(MSG, K.sig[o])), InvalidInput, "mismatch")
    else:
        case(P + "an ed25519 signature", lambda K: K.verify(MAC_ALG, MSG, K.sig["ed25519"]), InvalidInput, "mismatch")
        case(P + "ed25519 key, a placeholder tag", lambda K: K.verify("ed25519", MSG, K.sig[MAC_ALG]), InvalidInput,
             "mismatch")
    # Kinds.
    case(P + "DecapsulationKey.from_seed", lambda K, a=alg, n=seed: pqshift.DecapsulationKey.from_seed(a, bytes(n)),
         InvalidInput, "not a KEM")
    case(P + "DecapsulationKey.generate", lambda K, a=alg: pqshift.DecapsulationKey.generate(a), InvalidInput, "not a KEM")
    case(P + "DecapsulationKey.from_bytes", lambda K, a=alg: pqshift.DecapsulationKey.from_bytes(K.sk_bin[a]),
         InvalidInput, "not a KEM")
    # (Under the default, the placeholder is refused before the kind is looked at.)
    case(P + "SigningKey.from_bytes(signature)", lambda K, a=alg: pqshift.SigningKey.from_bytes(K.sig[a]),
         Policy if mac else InvalidInput, "allow_insecure" if mac else "expected a tagged secret key")
    if not mac:
        case(P + "EncapsulationKey.from_raw", lambda K, a=alg: pqshift.EncapsulationKey.from_raw(a, K.pk[a].to_raw()),
             InvalidInput, "not a KEM")
        case(P + "EncapsulationKey.from_bytes", lambda K, a=alg: pqshift.EncapsulationKey.from_bytes(K.pk_bin[a]),
             InvalidInput, "not a KEM")
        case(P + "EncapsulationKey.from_pem", lambda K, a=alg: pqshift.EncapsulationKey.from_pem(K.pk[a].to_pem()),
             InvalidInput, "not a KEM")
        case(P + "DecapsulationKey.from_pem", lambda K, a=alg: pqshift.DecapsulationKey.from_pem(K.sk[a].to_pem()),
             InvalidInput, "not a KEM")
        case(P + "VerifyingKey.from_bytes(secret key)", lambda K, a=alg: pqshift.VerifyingKey.from_bytes(K.sk_bin[a]),
             InvalidInput, "expected a tagged public key")
        case(P + "SigningKey.from_bytes(public key)", lambda K, a=alg: pqshift.SigningKey.from_bytes(K.pk_bin[a]),
             InvalidInput, "expected a tagged secret key")
        case(P + "VerifyingKey.from_bytes(signature)", lambda K, a=alg: pqshift.VerifyingKey.from_bytes(K.sig[a]),
             InvalidInput, "expected a tagged public key")
        case(P + "SigningKey.from_pem(public PEM)", lambda K, a=alg: pqshift.SigningKey.from_pem(K.pk[a].to_pem()),
             InvalidInput, "PUBLIC KEY was given")
        case(P + "VerifyingKey.from_pem(private PEM)", lambda K, a=alg: pqshift.VerifyingKey.from_pem(K.sk[a].to_pem()),
             InvalidInput, "PRIVATE KEY was given")
        case(P + "VerifyingKey.from_pem(cut short)", lambda K, a=alg: pqshift.VerifyingKey.from_pem(K.pk[a].to_pem()[:-40]),
             InvalidInput)
        case(P + "VerifyingKey.from_pem(bytes)", lambda K, a=alg: pqshift.VerifyingKey.from_pem(K.pk[a].to_pem().encode()),
             None)
        case(P + "SigningKey.from_pem(with a NUL)", lambda K, a=alg: pqshift.SigningKey.from_pem(K.sk[a].to_pem() + "\0"),
             InvalidInput)
    # Providers that do not serve it, or none at all.
    for prov in ("nope", "", "DALEK" if alg == "ed25519" else "dalek", "ed25519\0"):
        if mac:
            continue
        case(P + f"from_seed, provider {prov!r}", lambda K, a=alg, p=prov: pqshift.SigningKey.from_seed(a, bytes(32), provider=p),
             Unsupported, "provider")
        case(P + f"generate, provider {prov!r}", lambda K, a=alg, p=prov: pqshift.SigningKey.generate(a, provider=p),
             Unsupported, "provider")
        case(P + f"from_bytes, provider {prov!r}", lambda K, a=alg, p=prov: pqshift.SigningKey.from_bytes(K.sk_bin[a], provider=p),
             Unsupported, "provider")
        case(P + f"VerifyingKey.from_raw, provider {prov!r}",
             lambda K, a=alg, p=prov: pqshift.VerifyingKey.from_raw(a, K.pk[a].to_raw(), provider=p), Unsupported, "provider")
        case(P + f"VerifyingKey.from_bytes, provider {prov!r}",
             lambda K, a=alg, p=prov: pqshift.VerifyingKey.from_bytes(K.pk_bin[a], provider=p), Unsupported, "provider")
        case(P + f"VerifyingKey.from_pem, provider {prov!r}",
             lambda K, a=alg, p=prov: pqshift.VerifyingKey.from_pem(K.pk[a].to_pem(), provider=p), Unsupported, "provider")
    if not mac:
        case(P + "provider placeholder (insecure) under the default",
             lambda K, a=alg: pqshift.SigningKey.from_seed(a, bytes(32), provider="placeholder"), Unsupported, "provider")

for alg in KEM_ALGS:
    seed, pkn, _, ctn = SIZES[alg]
    other = next_of(alg, KEM_ALGS)
    P = f"{alg}: "
    for n in (0, 1, 32, seed - 1, seed + 1):
        case(P + f"seed of {n} bytes", lambda K, a=alg, n=n: pqshift.DecapsulationKey.from_seed(a, bytes(n)), InvalidInput,
             lengths(seed, n))
    for n in (0, 1, pkn - 1, pkn + 1):
        case(P + f"raw encapsulation key of {n} bytes", lambda K, a=alg, n=n: pqshift.EncapsulationKey.from_raw(a, bytes(n)),
             InvalidInput, lengths(pkn, n))
    case(P + "encapsulation key failing the modulus check",
         lambda K, a=alg, n=pkn: pqshift.EncapsulationKey.from_raw(a, b"\xff" * n), InvalidInput, "modulus check")
    case(P + f"a raw {other} encapsulation key",
         lambda K, a=alg, o=other: pqshift.EncapsulationKey.from_raw(a, K.pk[o].to_raw()), InvalidInput,
         lengths(pkn, SIZES[other][1]))
    for n in (0, 1, ctn - 1, ctn + 1):
        case(P + f"raw ciphertext of {n} bytes", lambda K, a=alg, n=n: K.sk[a].decapsulate(bytes(n), raw=True),
             InvalidInput, lengths(ctn, n))
    case(P + "empty tagged ciphertext", lambda K, a=alg: K.sk[a].decapsulate(b""), InvalidInput, "not a tagged")
    for n in (0, 31, 33):
        case(P + f"encapsulate_derandomized with {n} bytes",
             lambda K, a=alg, n=n: K.pk[a].encapsulate_derandomized(bytes(n)), InvalidInput, "32 bytes")
    # Controls: implicit rejection is no error.
    case(P + "tagged ciphertext", lambda K, a=alg: K.sk[a].decapsulate(K.ct[a]) == K.ss[a] or 1 / 0, None)
    case(P + "text ciphertext", lambda K, a=alg: K.sk[a].decapsulate(K.ct_text[a]) == K.ss[a] or 1 / 0, None)
    case(P + "raw ciphertext", lambda K, a=alg: K.sk[a].decapsulate(K.raw_ct(a), raw=True) == K.ss[a] or 1 / 0, None)
    case(P + "modified ciphertext (implicit rejection)",
         lambda K, a=alg: K.sk[a].decapsulate(bytes([K.raw_ct(a)[0] ^ 1]) + K.raw_ct(a)[1:], raw=True) != K.ss[a] or 1 / 0,
         None)
    case(P + "another key's ciphertext", lambda K, a=alg: K.other[a].decapsulate(K.ct[a]) != K.ss[a] or 1 / 0, None)
    # Another KEM's ciphertext; kinds.
    case(P + f"a tagged {other} ciphertext", lambda K, a=alg, o=other: K.sk[a].decapsulate(K.ct[o]), InvalidInput,
         "mismatch")
    case(P + f"a raw {other} ciphertext", lambda K, a=alg, o=other: K.sk[a].decapsulate(K.raw_ct(o), raw=True),
         InvalidInput, "bytes long")
    case(P + "a signature as the ciphertext", lambda K, a=alg: K.sk[a].decapsulate(K.sig["ed25519"]), InvalidInput,
         "expected a tagged ciphertext")
    case(P + "SigningKey.from_seed", lambda K, a=alg: pqshift.SigningKey.from_seed(a, bytes(64)), InvalidInput, "is a KEM")
    case(P + "SigningKey.generate", lambda K, a=alg: pqshift.SigningKey.generate(a), InvalidInput, "is a KEM")
    case(P + "SigningKey.from_bytes", lambda K, a=alg: pqshift.SigningKey.from_bytes(K.sk_bin[a]), InvalidInput, "is a KEM")
    case(P + "SigningKey.from_pem", lambda K, a=alg: pqshift.SigningKey.from_pem(K.sk[a].to_pem()), InvalidInput, "is a KEM")
    case(P + "VerifyingKey.from_raw", lambda K, a=alg: pqshift.VerifyingKey.from_raw(a, K.pk[a].to_raw()), InvalidInput,
         "is a KEM")
    case(P + "VerifyingKey.from_bytes", lambda K, a=alg: pqshift.VerifyingKey.from_bytes(K.pk_bin[a]), InvalidInput,
         "is a KEM")
    case(P + "VerifyingKey.from_pem", lambda K, a=alg: pqshift.VerifyingKey.from_pem(K.pk[a].to_pem()), InvalidInput,
         "is a KEM")
    case(P + "DecapsulationKey.from_bytes(encapsulation key)",
         lambda K, a=alg: pqshift.DecapsulationKey.from_bytes(K.pk_bin[a]), InvalidInput, "expected a tagged secret key")
    case(P + "EncapsulationKey.from_bytes(decapsulation key)",
         lambda K, a=alg: pqshift.EncapsulationKey.from_bytes(K.sk_bin[a]), InvalidInput, "expected a tagged public key")
    case(P + "EncapsulationKey.from_bytes(ciphertext)", lambda K, a=alg: pqshift.EncapsulationKey.from_bytes(K.ct[a]),
         InvalidInput, "expected a tagged public key")
    case(P + "contract sign with a KEM key", lambda K, a=alg: pqshift.sign(K.sk_bin[a], MSG), InvalidInput)
    case(P + "contract verify with a ciphertext", lambda K, a=alg: pqshift.verify(K.pk_bin[a], MSG, K.ct[a]), InvalidInput,
         "expected a tagged signature")
    for prov in ("nope", "dalek"):
        case(P + f"from_seed, provider {prov!r}",
             lambda K, a=alg, p=prov: pqshift.DecapsulationKey.from_seed(a, bytes(64), provider=p), Unsupported, "provider")
        case(P + f"EncapsulationKey.from_raw, provider {prov!r}",
             lambda K, a=alg, p=prov: pqshift.EncapsulationKey.from_raw(a, K.pk[a].to_raw(), provider=p), Unsupported,
             "provider")
    case(P + "encapsulate_derandomized with provider pqclean",
         lambda K, a=alg: pqshift.EncapsulationKey.from_raw(a, K.pk[a].to_raw(), provider="pqclean")
         .encapsulate_derandomized(bytes(32)), Unsupported, "pqclean")

case("DecapsulationKey.generate() without a [kem] section", lambda K: pqshift.DecapsulationKey.generate(), InvalidInput,
     "no [kem] section")
case("ml-dsa-65 from_seed with provider pqclean (keeps no seed)",
     lambda K: pqshift.SigningKey.from_seed("ml-dsa-65", bytes(32), provider="pqclean"), Unsupported, "pqclean")
case("ml-dsa-65 pqclean: deterministic signing",
     lambda K: pqshift.SigningKey.generate("ml-dsa-65", provider="pqclean").sign(MSG, deterministic=True), Unsupported,
     "pqclean")
case("ml-dsa-65 pqclean: seed()", lambda K: pqshift.SigningKey.generate("ml-dsa-65", provider="pqclean").seed(),
     Unsupported, "keeps no seed")

# ------------------------------------------------------------------ names

UNKNOWN = ["", " ", "rsa", "rsa-2048", "ed448", "ml-dsa-66", "ml-dsa", "ml.dsa.65", "mldsa-65x", "ml-kem-256",
           "x25519-mlkem768", "mldsa65-ed25519", "2.16.840.1.101.3.4.3.99", "1.3.101.113", "ml-dsa-65 ml-dsa-44",
           "insecure", "hmac-sha256", "ed25519\0", "ed25519\0junk", "\0ed25519", "ed25519\u00e9", "\ud800"]
for u in UNKNOWN:
    if u == "\ud800":
        # A lone surrogate cannot be encoded as UTF-8: not even a string PyO3 can pass on.
        for name, f in [("SigningKey.from_seed", lambda K: pqshift.SigningKey.from_seed("\ud800", bytes(32))),
                        ("providers", lambda K: pqshift.providers("\ud800"))]:
            case(f"names: {name}(lone surrogate)", f, UnicodeEncodeError)
        continue
    for name, f in [
        ("SigningKey.from_seed", lambda K, u=u: pqshift.SigningKey.from_seed(u, bytes(32))),
        ("SigningKey.generate", lambda K, u=u: pqshift.SigningKey.generate(u)),
        ("VerifyingKey.from_raw", lambda K, u=u: pqshift.VerifyingKey.from_raw(u, bytes(32))),
        ("DecapsulationKey.from_seed", lambda K, u=u: pqshift.DecapsulationKey.from_seed(u, bytes(64))),
        ("DecapsulationKey.generate", lambda K, u=u: pqshift.DecapsulationKey.generate(u)),
        ("EncapsulationKey.from_raw", lambda K, u=u: pqshift.EncapsulationKey.from_raw(u, bytes(800))),
        ("providers", lambda K, u=u: pqshift.providers(u)),
    ]:
        case(f"names: {name}({u!r})", f, Unsupported, "unknown algorithm")
for u in ["ED25519", "Ml-Dsa-44", "mldsa65", "ml_dsa_65", "id-ml-dsa-87", " ml-dsa-65 ", "2.16.840.1.101.3.4.3.18",
          "1.3.101.112"]:
    case(f"names: alias {u!r}", lambda K, u=u: pqshift.SigningKey.from_seed(u, bytes(32)), None)

# ------------------------------------------------------------------ tagged envelopes
# Binary: "PQSH", version, kind, n, ID (n bytes), [fingerprint 32], payload.


def _set(b, i, v):
    b = bytearray(b)
    b[i] = v
    return bytes(b)


def _upper_id(b):
    n = b[6]
    return b[:7] + b[7 : 7 + n].upper() + b[7 + n :]


BIN_MUTS = [
    ("truncated by one byte", lambda b: b[:-1], InvalidInput, None, False),
    ("the magic alone", lambda b: b[:4], InvalidInput, "truncated before its version", False),
    ("cut inside the algorithm ID", lambda b: b[: 7 + b[6] - 2], InvalidInput, "truncated inside its algorithm ID", False),
    ("the header alone", lambda b: b[: 7 + b[6]], InvalidInput, None, False),
    ("extended by a 0x00 byte", lambda b: b + b"\0", InvalidInput, None, False),
    ("extended by a 0x01 byte", lambda b: b + b"\1", InvalidInput, None, False),
    ("magic PQSX", lambda b: b"PQSX" + b[4:], InvalidInput, "not a tagged pqshift object", False),
    ("version 0", lambda b: _set(b, 4, 0), InvalidInput, "version 0 is not supported", False),
    ("version 2", lambda b: _set(b, 4, 2), InvalidInput, "version 2 is not supported", False),
    ("kind 0", lambda b: _set(b, 5, 0), InvalidInput, None, False),
    ("kind 9", lambda b: _set(b, 5, 9), InvalidInput, None, False),
    ("another kind", lambda b: _set(b, 5, 1 if b[5] == 3 else 3), InvalidInput, None, False),
    ("an unknown algorithm ID", lambda b: _set(b, 7 + b[6] - 1, ord("z")), Unsupported, "unknown algorithm", False),
    ("an upper-case alias as the ID", _upper_id, Unsupported, "unknown algorithm", False),
    ("an empty algorithm ID", lambda b: b[:6] + b"\0" + b[7 + b[6] :], Unsupported, 'unknown algorithm ""', False),
    ("a flipped fingerprint", lambda b: _set(b, 7 + b[6], b[7 + b[6]] ^ 1), InvalidInput, "fingerprint", True),
]


def _field(s, i, f):
    p = s.split(b":")
    p[i] = f(p[i])
    return b":".join(p)


TEXT_MUTS = [
    ("prefix pqshift2:", lambda s: b"pqshift2:" + s[9:], InvalidInput, "not a tagged pqshift object", False),
    ("no prefix", lambda s: s[9:], InvalidInput, "not a tagged pqshift object", False),
    ("payload cut by one character", lambda s: s[:-1], InvalidInput, None, False),
    ("payload extended by AAAA", lambda s: s + b"AAAA", InvalidInput, None, False),
    ("payload padded with ==", lambda s: s + b"==", InvalidInput, "base64url", False),
    ("a '+' in the payload", lambda s: s[:-2] + b"+" + s[-1:], InvalidInput, "base64url", False),
    ("kind key", lambda s: _field(s, 1, lambda _: b"key"), InvalidInput, "unknown tagged object kind", False),
    ("the algorithm in upper case", lambda s: _field(s, 2, bytes.upper), Unsupported, "unknown algorithm", False),
    ("an extra field", lambda s: s[: s.rindex(b":")] + b":x" + s[s.rindex(b":") :], InvalidInput, "fields", False),
    ("no payload field", lambda s: s[: s.rindex(b":")], InvalidInput, "fields", False),
    ("a NUL inside the payload", lambda s: s[: s.rindex(b":") + 4] + b"\0" + s[s.rindex(b":") + 5 :], InvalidInput,
     "base64url", False),
    ("a trailing NUL", lambda s: s + b"\0", InvalidInput, "base64url", False),
    ("not UTF-8", lambda s: s + b"\xff", InvalidInput, "not a tagged pqshift object", False),
    ("a fingerprint that is not hex", lambda s: _field(s, 3, lambda f: b"g" + f[1:]), InvalidInput, "hex", True),
    ("a fingerprint in upper-case hex", lambda s: _field(s, 3, bytes.upper), InvalidInput, "lower-case hex", True),
    ("a 31-byte fingerprint", lambda s: _field(s, 3, lambda f: f[2:]), InvalidInput, "32 bytes", True),
    ("a wrong fingerprint", lambda s: _field(s, 3, lambda f: (b"1" if f[:1] == b"0" else b"0") + f[1:]), InvalidInput,
     "fingerprint does not match", True),
    ("a trailing newline (allowed)", lambda s: s + b"\n", None, None, False),
    ("surrounding blanks (allowed)", lambda s: b" " + s + b" \r\n", None, None, False),
]


def _readers(alg):
    """(what, is_key, binary source, text source, reader(K, data))."""
    r = []
    if alg in KEM_ALGS:
        r.append(("secret key", True, "sk_bin", "sk_text", lambda K, d: pqshift.DecapsulationKey.from_bytes(d)))
        r.append(("public key", True, "pk_bin", "pk_text", lambda K, d: pqshift.EncapsulationKey.from_bytes(d)))
        r.append(("ciphertext", False, "ct", "ct_text", lambda K, d, a=alg: K.sk[a].decapsulate(d)))
    else:
        r.append(("signature", False, "sig", "sig_text", lambda K, d, a=alg: K.verify(a, MSG, d)))
        if alg != MAC_ALG:  # the placeholder's key is refused under the default before it is decoded
            r.append(("secret key", True, "sk_bin", "sk_text", lambda K, d: pqshift.SigningKey.from_bytes(d)))
            r.append(("public key", True, "pk_bin", "pk_text", lambda K, d: pqshift.VerifyingKey.from_bytes(d)))
            r.append(("contract verify: signature", False, "sig", "sig_text",
                      lambda K, d, a=alg: pqshift.verify(K.pk_bin[a], MSG, d) or 1 / 0))
            r.append(("contract verify: key", True, "pk_bin", "pk_text",
                      lambda K, d, a=alg: pqshift.verify(d, MSG, K.sig[a]) or 1 / 0))
    return r


for alg in SIGNATURE_ALGS + KEM_ALGS + [MAC_ALG]:
    for what, is_key, bin_attr, text_attr, read in _readers(alg):
        P = f"envelope: {alg} "
        ctl = None
        if what.startswith("contract") and alg != "ed25519":
            ctl = Policy  # the default configuration accepts Ed25519 only; its check comes first
        case(P + f"binary {what}: as made", lambda K, a=alg, s=bin_attr, r=read: r(K, getattr(K, s)[a]), ctl)
        case(P + f"text {what}: as made", lambda K, a=alg, s=text_attr, r=read: r(K, getattr(K, s)[a]), ctl)
        if ctl is not None:
            continue
        for name, mut, exc, match, keys_only in BIN_MUTS:
            if keys_only and not is_key:
                continue
            case(P + f"binary {what}: {name}",
                 lambda K, a=alg, s=bin_attr, r=read, m=mut: r(K, m(getattr(K, s)[a])), exc, match)
        for name, mut, exc, match, keys_only in TEXT_MUTS:
            if keys_only and not is_key:
                continue
            case(P + f"text {what}: {name}",
                 lambda K, a=alg, s=text_attr, r=read, m=mut: r(K, m(getattr(K, s)[a])), exc, match)

# ------------------------------------------------------------------ the porting contract (default: Ed25519)

case("contract: keygen(-1)", lambda K: pqshift.keygen(-1), InvalidInput, "0 to 2**64 - 1")
case("contract: keygen(2**64)", lambda K: pqshift.keygen(2**64), InvalidInput, "0 to 2**64 - 1")
case("contract: keygen(2**64 - 1)", lambda K: pqshift.keygen(2**64 - 1), None)
case("contract: sign with an empty key", lambda K: pqshift.sign(b"", MSG), InvalidInput, "not a tagged")
case("contract: sign with a public key", lambda K: pqshift.sign(K.pk_bin["ed25519"], MSG), InvalidInput,
     "expected a tagged secret key")
case("contract: sign with a signature", lambda K: pqshift.sign(K.sig["ed25519"], MSG), InvalidInput, "expected a tagged")
case("contract: sign with an ml-dsa-65 key under [sign] ed25519", lambda K: pqshift.sign(K.sk_bin["ml-dsa-65"], MSG),
     Policy, "signs with ed25519")
case("contract: verify", lambda K: pqshift.verify(K.sk_bin["ed25519"], MSG, K.sig["ed25519"]) or 1 / 0, None)
case("contract: verify of another payload", lambda K: pqshift.verify(K.sk_bin["ed25519"], b"x", K.sig["ed25519"]), False)
case("contract: verify with another key", lambda K: pqshift.verify(K.pk_bin["ed25519"][:-1] + b"\0", MSG, K.sig["ed25519"]),
     InvalidInput, "fingerprint")
case("contract: verify of an ml-dsa-65 signature under [verify] ed25519",
     lambda K: pqshift.verify(K.sk_bin["ml-dsa-65"], MSG, K.sig["ml-dsa-65"]), Policy, "not accepted")
case("contract: verify, key and signature of different algorithms",
     lambda K: pqshift.verify(K.sk_bin["ed25519"], MSG, K.sig["ml-dsa-65"]), InvalidInput, "mismatch")
case("contract: verify with the signature as the key", lambda K: pqshift.verify(K.sig["ed25519"], MSG, K.sig["ed25519"]),
     InvalidInput, "expected a tagged")
case("contract: verify with the key as the signature",
     lambda K: pqshift.verify(K.sk_bin["ed25519"], MSG, K.sk_bin["ed25519"]), InvalidInput, "expected a tagged")
case("contract: verify of an empty signature", lambda K: pqshift.verify(K.sk_bin["ed25519"], MSG, b""), InvalidInput,
     "not a tagged")
case("contract: verify of a placeholder tag under the default",
     lambda K: pqshift.verify(K.sk_bin[MAC_ALG], MSG, K.sig[MAC_ALG]), Policy)

# ------------------------------------------------------------------ hashes

case("hashes: sha256(b'')", lambda K: pqshift.sha256(b""), None)
case("hashes: merkle_root([])", lambda K: pqshift.merkle_root([]), None)
case("hashes: merkle_root of a generator", lambda K: pqshift.merkle_root(b for b in [b"a", b""]), None)
case("hashes: merkle_root of a str leaf", lambda K: pqshift.merkle_root([b"a", "b"]), TypeError, "leaf 1 must be bytes")


@pytest.mark.parametrize("call,exc,match", CASES)
def test_bad_input(K, call, exc, match):
    check(lambda: call(K), exc, match)


def test_case_count():
    # Printed with -v; the matrix must not shrink by accident.
    assert len(CASES) > 900, len(CASES)


# ------------------------------------------------------------------ configuration files

CONFIGS = [
    ("", InvalidInput, "sign"),
    ("not toml at all", InvalidInput, None),
    ("[sign]\n", InvalidInput, "algorithm"),
    ("[sign]\nalgorithm = 5\n", InvalidInput, None),
    ('[sign]\nalgorithm = ["ed25519"]\n', InvalidInput, None),
    ('[sign]\nalgorithm = "ed25519"\nalgorithm = "ed25519"\n', InvalidInput, None),
    ('[sign]\nalgorithm = "ed25519"\n[bogus]\n', InvalidInput, "bogus"),
    ('[sign]\nalgorithm = "ed25519"\nbogus = 1\n', InvalidInput, "bogus"),
    ('[sign]\nalgorithm = "ed25519"\n[policy]\nallow_insecure = "yes"\n', InvalidInput, None),
    ('[sign]\nalgorithm = "ed25519"\n[policy]\nself_test = "never"\n', InvalidInput, None),
    ('[sign]\nalgorithm = "ed25519"\n[verify]\naccept = "ed25519"\n', InvalidInput, None),
    ('[sign]\nalgorithm = "ed25519"\n[verify]\naccept = []\n', InvalidInput, "empty"),
    ('[sign]\nalgorithm = "ed25519"\n[verify]\naccept = ["ed25519", "ED25519"]\n', InvalidInput, "twice"),
    ('[sign]\nalgorithm = "ed25519"\n[verify]\naccept = ["ed25519", "ml-kem-512"]\n', InvalidInput, "kem algorithm"),
    ('[sign]\nalgorithm = "ed25519"\n[verify]\naccept = ["ed25519", "rsa"]\n', Unsupported, "rsa"),
    ('[sign]\nalgorithm = "ed25519"\n[verify]\naccept = ["ml-dsa-65"]\n', Policy, "does not list the signing algorithm"),
    ('[sign]\nalgorithm = "ed25519"\n[verify]\naccept = ["ed25519"]\n[verify.providers]\n"ml-dsa-65" = "liboqs"\n',
     InvalidInput, "does not list"),
    (f'[sign]\nalgorithm = "ed25519"\n[verify]\naccept = ["ed25519", "{MAC_ALG}"]\n', Policy, "allow_insecure"),
    ('[sign]\nalgorithm = "ml-kem-768"\n', InvalidInput, "kem algorithm"),
    ('[sign]\nalgorithm = "rsa"\n', Unsupported, "rsa"),
    ('[sign]\nalgorithm = "ed25519"\nprovider = "liboqs"\n', Unsupported, "liboqs"),
    ('[sign]\nalgorithm = "ed25519"\nprovider = "nope"\n', Unsupported, "nope"),
    (f'[sign]\nalgorithm = "{MAC_ALG}"\n', Policy, "allow_insecure"),
    (f'[sign]\nalgorithm = "{MAC_ALG}"\n[policy]\nallow_insecure = false\n', Policy, "allow_insecure"),
    ('[sign]\nalgorithm = "ed25519"\n[kem]\nalgorithm = "ml-dsa-65"\n', InvalidInput, "needs a kem algorithm"),
    ('[sign]\nalgorithm = "ed25519"\n[kem]\nalgorithm = "ml-kem-999"\n', Unsupported, "ml-kem-999"),
    ('[sign]\nalgorithm = "ed25519"\n[kem]\n', InvalidInput, "algorithm"),
    ('[sign]\nalgorithm = "ed25519"\nprovider = "dalek"\n[shadow]\nprovider = "dalek"\n', Policy, "independent"),
    ('[sign]\nalgorithm = "ed25519"\n[shadow]\nprovider = "nope"\n', Unsupported, None),
    ('[sign]\nalgorithm = "ed25519"\n\0', InvalidInput, None),
    ('[sign]\nalgorithm = "ML-DSA-65"\n', None, None),
    (config_text(MAC_ALG), None, None),
]


@pytest.mark.parametrize("text,exc,match", CONFIGS, ids=[repr(c[0])[:60] for c in CONFIGS])
def test_bad_configuration(use_config, text, exc, match):
    def load():
        return use_config(text)

    check(load, exc, match)
    if exc is not None:
        assert pqshift.active().sign_algorithm == "ed25519"  # the previous configuration stays in force


@pytest.mark.parametrize(
    "path,exc,match",
    [
        ("/nonexistent/pqshift.toml", InvalidInput, "cannot read configuration file /nonexistent/pqshift.toml"),
        ("/", InvalidInput, "cannot read configuration file /"),
        ("/dev/null", InvalidInput, "/dev/null"),
        ("", InvalidInput, "cannot read"),
        ("/dev/null\0.toml", InvalidInput, "cannot read"),
        (None, None, None),
    ],
)
def test_bad_configuration_path(path, exc, match):
    check(lambda: pqshift.load_config(path), exc, match)
    assert pqshift.active().sign_algorithm == "ed25519"


def test_bad_configuration_file_bytes(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[sign]\nalgorithm = "ed25519\xe9"\n')
    check(lambda: pqshift.load_config(path), InvalidInput, "cannot read")


def test_contract_under_ml_dsa(use_config, K):
    """The contract under [sign] ml-dsa-65 with Ed25519 still accepted: what is refused, with which kind."""
    use_config(config_text("ml-dsa-65", accept=["ml-dsa-65", "ed25519"]))
    cases = [
        (lambda: pqshift.sign(K.sk_bin["ed25519"], MSG), Policy, "signs with ml-dsa-65"),
        (lambda: pqshift.sign(K.sk_bin["ml-dsa-44"], MSG), Policy, "signs with ml-dsa-65"),
        (lambda: pqshift.verify(K.sk_bin["ml-dsa-44"], MSG, K.sig["ml-dsa-44"]), Policy, "not accepted"),
        (lambda: pqshift.verify(K.sk_bin["ed25519"], MSG, K.sig["ed25519"]) or 1 / 0, None, None),
        (lambda: pqshift.verify(K.sk_bin["ml-dsa-65"], MSG, K.sig["ml-dsa-65"]) or 1 / 0, None, None),
        (lambda: pqshift.sign(K.sk_bin["ml-dsa-65"], MSG) == K.sig["ml-dsa-65"] or 1 / 0, None, None),
        (lambda: pqshift.verify(K.sk_bin["ml-dsa-65"], b"x", K.sig["ml-dsa-65"]), False, None),
        (lambda: pqshift.sign(K.sk_bin["ml-dsa-65"][:-1], MSG), InvalidInput, None),
        (lambda: pqshift.keygen(-1), InvalidInput, "0 to 2**64 - 1"),
    ]
    for call, exc, match in cases:
        check(call, exc, match)


def test_placeholder_allowed(use_config, K):
    """Under allow_insecure the placeholder works; what is still refused is malformed input."""
    use_config(config_text(MAC_ALG))
    key = pqshift.SigningKey.from_bytes(K.sk_bin[MAC_ALG])
    cases = [
        (lambda: key.verify(MSG, K.sig[MAC_ALG]), None, None),
        (lambda: key.verify(MSG, K.sig[MAC_ALG][:-1]), InvalidInput, None),
        (lambda: key.verify(b"x", K.sig[MAC_ALG]), BadSig, None),
        (lambda: key.sign(MSG, context=bytes(256)), InvalidInput, "at most 255 bytes"),
        (lambda: key.public_key(), InvalidInput, "no public key"),
        (lambda: pqshift.verify(K.sk_bin[MAC_ALG], MSG, K.sig[MAC_ALG]) or 1 / 0, None, None),
        (lambda: pqshift.verify(K.sk_bin[MAC_ALG], b"x", K.sig[MAC_ALG]), False, None),
        (lambda: pqshift.sign(K.sk_bin["ed25519"], MSG), Policy, "signs with insecure-test-hmac-sha256"),
        (lambda: pqshift.SigningKey.from_seed("ed25519", bytes(32), provider="placeholder"), Unsupported, "provider"),
        (lambda: pqshift.VerifyingKey.from_raw(MAC_ALG, bytes(32)), InvalidInput, "no public key"),
    ]
    for n in (0, 1, 31, 33, 64):
        cases.append((lambda n=n: pqshift.SigningKey.from_seed(MAC_ALG, bytes(n)), InvalidInput, lengths(32, n)))
    for call, exc, match in cases:
        check(call, exc, match)
