#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from golden/ (stdlib only).

    python3 fuzz/seeds.py GOLDEN_DIR OUT_DIR

OUT_DIR/<target>/<name> gets one file per seed. The structured targets'
layouts are documented at the top of fuzz_targets/verify.rs, decaps.rs and
c_api.rs; the algorithm indexes below follow `AlgorithmId::ALL` filtered by
kind (provider-api/src/algorithm.rs). A mismatch only makes seeds less
useful, never a test wrong: the targets accept any input.
"""

import base64
import hashlib
import json
import struct
import sys
from pathlib import Path

SIG_ALGS = ["ed25519", "ml-dsa-44", "ml-dsa-65", "ml-dsa-87", "insecure-test-hmac-sha256"]
KEM_ALGS = ["ml-kem-512", "ml-kem-768", "ml-kem-1024"]
ALL = ["ed25519", "ml-dsa-44", "ml-dsa-65", "ml-dsa-87",
       "ml-kem-512", "ml-kem-768", "ml-kem-1024", "insecure-test-hmac-sha256"]
OIDS = {
    "ed25519": "1.3.101.112",
    "ml-dsa-44": "2.16.840.1.101.3.4.3.17",
    "ml-dsa-65": "2.16.840.1.101.3.4.3.18",
    "ml-dsa-87": "2.16.840.1.101.3.4.3.19",
    "ml-kem-512": "2.16.840.1.101.3.4.4.1",
    "ml-kem-768": "2.16.840.1.101.3.4.4.2",
    "ml-kem-1024": "2.16.840.1.101.3.4.4.3",
}


def blob(b: bytes) -> bytes:
    b = b[:0xFFFF]
    return struct.pack("<H", len(b)) + b


def der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(ln)]) + ln + body


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return der(0x06, bytes(out))


def spki(alg: str, pk: bytes) -> bytes:
    return der(0x30, der(0x30, oid(OIDS[alg])) + der(0x03, b"\x00" + pk))


def pkcs8_seed(alg: str, seed: bytes) -> bytes:
    # RFC 8410 (Ed25519): OCTET STRING in OCTET STRING; ML-DSA / ML-KEM
    # seed form: the [0] IMPLICIT OCTET STRING choice.
    inner = der(0x04, seed) if alg == "ed25519" else der(0x80, seed)
    return der(0x30, der(0x02, b"\x00") + der(0x30, oid(OIDS[alg])) + der(0x04, inner))


def pem(label: str, data: bytes) -> bytes:
    b64 = base64.b64encode(data).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)).encode()


class Out:
    def __init__(self, root: Path):
        self.root = root
        self.count = {}

    def add(self, target: str, data: bytes):
        d = self.root / target
        d.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()
        (d / name).write_bytes(data)
        self.count[target] = self.count.get(target, 0) + 1


def h(s: str) -> bytes:
    return bytes.fromhex(s)


def main():
    golden, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    out = Out(out_dir)
    vec = {a: json.loads((golden / "vectors" / (a + ".json")).read_text()) for a in ALL}

    # tagged + standard: keys and signatures in every form.
    for ks in sorted((golden / "corpus").glob("*.keystore.json")):
        for k in json.loads(ks.read_text())["keys"][:3]:
            for f in ("public_key", "secret_key"):
                if k.get(f):
                    out.add("tagged", k[f].encode())
    for a in ALL:
        for c in vec[a].get("contract", [])[:3]:
            for f in ("key", "public_key", "signature"):
                if c.get(f):
                    out.add("tagged", h(c[f]))
        for c in vec[a].get("keygen", [])[:2]:
            if a in OIDS:
                pk = h(c.get("public_key") or c.get("encapsulation_key"))
                sk = pkcs8_seed(a, h(c["seed"]))
                for d in (spki(a, pk), sk):
                    out.add("standard", d)
                out.add("standard", pem("PUBLIC KEY", spki(a, pk)))
                out.add("standard", pem("PRIVATE KEY", sk))

    # config
    for text in [
        '[sign]\nalgorithm = "ed25519"\n',
        '[sign]\nalgorithm = "ml-dsa-65"\nprovider = "liboqs"\n\n[verify]\naccept = ["ml-dsa-65", "ed25519"]\n\n[verify.providers]\nml-dsa-65 = "pqclean"\n\n[shadow]\nprovider = "pqclean"\n',
        '[sign]\nalgorithm = "insecure-test-hmac-sha256"\n\n[policy]\nallow_insecure = true\nself_test = "on-first-use"\n',
        '[sign]\nalgorithm = "ml-dsa-44"\n\n[kem]\nalgorithm = "ml-kem-768"\nprovider = "rustcrypto"\n',
    ]:
        out.add("config", text.encode())

    # corpus_record: real lines, a whole small corpus, manifests, keystores.
    for corpus in sorted((golden / "corpus").glob("*.jsonl")):
        lines = corpus.read_bytes().splitlines(keepends=True)
        for line in lines[:4]:
            out.add("corpus_record", line)
        out.add("corpus_record", b"".join(lines[:8]))
    for f in sorted((golden / "corpus").glob("*.json")):
        out.add("corpus_record", f.read_bytes()[:60000])

    # verify: alg mode n msg ctx sig pk edits
    for i, a in enumerate(SIG_ALGS):
        for c in vec[a]["verify"][:12]:
            pk = h(c["public_key"]) if "public_key" in c else b""
            mode = 0 if pk else 1  # the MAC verifies with a seeded key
            data = bytes([i, mode]) + struct.pack("<Q", 7) + blob(h(c["message"])) \
                + blob(h(c["context"])) + blob(h(c["signature"])) + blob(pk)
            out.add("verify", data)
        # seeded key, real signature, a few bit flips
        data = bytes([i, 0b011]) + struct.pack("<Q", 42) + blob(b"message") + blob(b"") \
            + blob(b"") + blob(b"") + bytes([5, 0, 1, 200, 0, 0x80])
        out.add("verify", data)

    # decaps: alg mode seed ct dk m edits
    for i, a in enumerate(KEM_ALGS):
        for c in vec[a]["decaps"][:10]:
            data = bytes([i, 0]) + blob(h(c["seed"])) + blob(h(c["ciphertext"])) + blob(b"") + blob(b"")
            out.add("decaps", data)
        for c in vec[a]["keygen"][:3]:
            data = bytes([i, 0b011]) + blob(b"") + blob(b"") + blob(h(c["decapsulation_key"])) \
                + blob(b"m" * 32) + bytes([3, 0, 1])
            out.add("decaps", data)

    # c_api: op sequences (see run() in fuzz_targets/c_api.rs).
    for i, a in enumerate(ALL):
        seed = h(vec[a]["keygen"][0]["seed"])
        keygen = bytes([1, 1, i, 0, 0]) + blob(seed)                      # keygen_from_seed
        public = bytes([7, 0])                                          # secret_key_public_key
        sign = bytes([8, 1, 0, 1]) + struct.pack("<H", 8000) + blob(b"msg") + blob(b"")
        verify = bytes([9, 1, 0]) + blob(b"msg") + blob(b"") + blob(b"\x00" * 64) + bytes([0])
        exports = b"".join(bytes([13, w, 0]) + struct.pack("<H", cap) for w in range(5) for cap in (0, 9000))
        encaps = bytes([11, 1, 0, 1]) + struct.pack("<H", 2000) + bytes([32])
        decaps = bytes([12, 1, 0, 1, 32]) + blob(b"\x01" * 800)
        contract = bytes([14, i]) + struct.pack("<Q", 3) + struct.pack("<H", 6000) + bytes([0]) + blob(b"payload")
        out.add("c_api", keygen + public + sign + verify + exports + encaps + decaps + contract)
    out.add("c_api", bytes([16, 3]) + blob(b"a") + blob(b"") + blob(b"c") + blob(b"data") + bytes([18, 4, 0, 0]))
    out.add("c_api", bytes([0]) + blob(b'[sign]\nalgorithm = "ed25519"\n') + bytes([19, 0, 17, 2, 0]))

    for t in sorted(out.count):
        print("%s: %d seeds" % (t, out.count[t]))


if __name__ == "__main__":
    main()
