#!/usr/bin/env python3
"""Converts known-answer vectors into the line format tests/vectors.c reads,
so that no C program has to parse JSON.

    python3 vectors_to_lines.py VECTORS_DIR [GOLDEN_DIR] > vectors.txt

One case per line, space-separated, hex fields ("-" for zero bytes):

    keygen    ALG SEED PK             key from seed has this raw public key (KEM: encapsulation key)
    sign      ALG SEED MSG CTX SIG    deterministic raw signature (MAC: tag) equals SIG, and verifies
    verify    ALG PK MSG CTX SIG V    V: valid | invalid (exactly VERIFICATION_FAILED)
                                         | error (malformed: INVALID_INPUT or UNSUPPORTED)
                                         | reject (either of the two; Wycheproof's "invalid")
    verifymac ALG KEY MSG CTX SIG V   the same through the secret key (the MAC has no public key)
    decap     ALG SEED CT SS          raw decapsulation gives SS (implicit rejection included)
    sha256    MSG DIGEST
    merkle    ROOT LEAF...            RFC 6962 root of the leaves

Sources: under VECTORS_DIR (../shared/vectors) NIST ACVP ML-DSA and ML-KEM
keyGen, RFC 8032 section 7.1, Wycheproof Ed25519, NIST CAVP SHA-256; under
GOLDEN_DIR (golden/, when present) every vectors/*.json file except the
tagged-object "contract" cases.
"""
import json
import os
import sys


def h(s):
    s = (s or "").strip().lower()
    return s if s else "-"


def acvp_keygen(root, out):
    p = os.path.join(root, "acvp/ML-DSA-keyGen-FIPS204/internalProjection.json")
    for g in json.load(open(p))["testGroups"]:
        alg = g["parameterSet"].lower()
        for t in g["tests"]:
            out.append(f"keygen {alg} {h(t['seed'])} {h(t['pk'])}")
    p = os.path.join(root, "acvp/ML-KEM-keyGen-FIPS203/internalProjection.json")
    for g in json.load(open(p))["testGroups"]:
        alg = g["parameterSet"].lower()
        for t in g["tests"]:
            out.append(f"keygen {alg} {h(t['d'] + t['z'])} {h(t['ek'])}")


def rfc8032(root, out):
    p = os.path.join(root, "rfc8032/ed25519_rfc8032_7_1.json")
    for t in json.load(open(p))["tests"]:
        sk, pk, msg, sig = h(t["secretKey"]), h(t["publicKey"]), h(t["message"]), h(t["signature"])
        out.append(f"keygen ed25519 {sk} {pk}")
        out.append(f"sign ed25519 {sk} {msg} - {sig}")
        out.append(f"verify ed25519 {pk} {msg} - {sig} valid")


def wycheproof(root, out):
    p = os.path.join(root, "wycheproof/testvectors_v1/ed25519_test.json")
    for g in json.load(open(p))["testGroups"]:
        pk = h(g["publicKey"]["pk"])
        for t in g["tests"]:
            if t["result"] not in ("valid", "invalid"):
                continue  # "acceptable": either answer is right
            verdict = "valid" if t["result"] == "valid" else "reject"
            out.append(f"verify ed25519 {pk} {h(t['msg'])} - {h(t['sig'])} {verdict}")


def cavp_sha256(root, out):
    for name in ("SHA256ShortMsg.rsp", "SHA256LongMsg.rsp"):
        p = os.path.join(root, "nist-cavp/shs", name)
        length = msg = None
        for line in open(p):
            line = line.strip()
            if line.startswith("Len ="):
                length = int(line.split("=")[1])
            elif line.startswith("Msg ="):
                msg = line.split("=")[1].strip()
            elif line.startswith("MD ="):
                md = line.split("=")[1].strip()
                out.append(f"sha256 {'-' if length == 0 else h(msg)} {h(md)}")


def golden(gdir, out):
    vdir = os.path.join(gdir, "vectors")
    for name in sorted(os.listdir(vdir)):
        d = json.load(open(os.path.join(vdir, name)))
        alg = d["algorithm"]
        if name == "merkle.json":
            for c in d["cases"]:
                out.append(" ".join(["merkle", h(c["root"])] + [h(x) for x in c["leaves"]]))
            continue
        if d["kind"] == "kem":
            for t in d["keygen"]:
                out.append(f"keygen {alg} {h(t['seed'])} {h(t['encapsulation_key'])}")
            for t in d["decaps"]:
                out.append(f"decap {alg} {h(t['seed'])} {h(t['ciphertext'])} {h(t['shared_secret'])}")
            continue
        for t in d["keygen"]:
            if "public_key" in t:
                out.append(f"keygen {alg} {h(t['seed'])} {h(t['public_key'])}")
        for t in d["sign"]:
            out.append(f"sign {alg} {h(t['seed'])} {h(t['message'])} {h(t['context'])} {h(t['signature'])}")
        for t in d["verify"]:
            op, key = ("verifymac", t["key"]) if "key" in t else ("verify", t["public_key"])
            out.append(f"{op} {alg} {h(key)} {h(t['message'])} {h(t['context'])} {h(t['signature'])} {t['result']}")


def main():
    root = sys.argv[1]
    out = []
    for f in (acvp_keygen, rfc8032, wycheproof, cavp_sha256):
        f(root, out)
    if len(sys.argv) > 2 and os.path.isdir(os.path.join(sys.argv[2], "vectors")):
        golden(sys.argv[2], out)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
