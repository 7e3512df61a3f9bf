#!/usr/bin/env python3
"""Converts the Wycheproof ML-DSA verify vectors, and the list of providers
that serve ML-DSA, into the line format tests/wycheproof_mldsa.c reads, so
that no C program has to parse JSON and no expected verdict comes from the
code under test.

    python3 mldsa_to_lines.py VECTORS_DIR PROVIDERS.json > mldsa.txt

VECTORS_DIR is ../shared/vectors; PROVIDERS.json is the output of the built
`pqshift providers --json`. One item per line, space-separated, hex fields
("-" for zero bytes):

    provider P ALG...                  provider P serves these ML-DSA algorithms
    expect   ALG FILE TOTAL VALID INVALID
                                       counts from the JSON `result` fields
    case     ALG TCID PK MSG CTX SIG WANT
        WANT: valid     (PQSHIFT_OK)
              malformed (PQSHIFT_ERR_INVALID_INPUT: "invalid" flagged
                         IncorrectPublicKeyLength, IncorrectSignatureLength
                         or InvalidContext, a context over 255 bytes)
              reject    (PQSHIFT_ERR_VERIFICATION_FAILED: every other "invalid")

Files: wycheproof/testvectors_v1/mldsa_{44,65,87}_verify_test.json
(doc/mldsa.md explains the flags).
"""
import json
import os
import sys

FILES = {
    "ml-dsa-44": "mldsa_44_verify_test.json",
    "ml-dsa-65": "mldsa_65_verify_test.json",
    "ml-dsa-87": "mldsa_87_verify_test.json",
}
MALFORMED = {"IncorrectPublicKeyLength", "IncorrectSignatureLength", "InvalidContext"}


def h(s):
    s = (s or "").strip().lower()
    return s if s else "-"


def want(t):
    if t["result"] == "valid":
        return "valid"
    if t["result"] != "invalid":
        raise SystemExit(f"tcId {t['tcId']}: unexpected result {t['result']!r}")
    if MALFORMED & set(t["flags"]):
        return "malformed"
    return "reject"


def providers(path, out):
    served = {}
    for row in json.load(open(path)):
        if row["algorithm"] in FILES:
            served.setdefault(row["provider"], []).append(row["algorithm"])
    if not served:
        raise SystemExit(f"{path}: no provider serves ML-DSA")
    for p in sorted(served):
        out.append(" ".join(["provider", p] + sorted(served[p])))


def vectors(root, out):
    for alg, name in FILES.items():
        d = json.load(open(os.path.join(root, "wycheproof/testvectors_v1", name)))
        tests = [(g, t) for g in d["testGroups"] for t in g["tests"]]
        valid = sum(1 for _, t in tests if t["result"] == "valid")
        invalid = sum(1 for _, t in tests if t["result"] == "invalid")
        if d["numberOfTests"] != len(tests) or valid + invalid != len(tests):
            raise SystemExit(f"{name}: numberOfTests {d['numberOfTests']}, {len(tests)} tests, "
                             f"{valid} valid + {invalid} invalid")
        out.append(f"expect {alg} {name} {len(tests)} {valid} {invalid}")
        for g, t in tests:
            out.append(f"case {alg} {t['tcId']} {h(g['publicKey'])} {h(t['msg'])} "
                       f"{h(t.get('ctx'))} {h(t['sig'])} {want(t)}")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    out = []
    providers(sys.argv[2], out)
    vectors(sys.argv[1], out)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
