#!/usr/bin/env python3
"""Regenerates the self-test KAT files in this directory from the NIST ACVP
vectors in ../shared/vectors (run from the project root or pass the vectors
directory as the first argument). The files are copied, not computed: each
field is the ACVP hex, lower-cased, one `name = hex` line per field."""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
vectors = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "..", "shared", "vectors")

def write(name, header, fields):
    with open(os.path.join(here, name), "w") as f:
        f.write(header)
        for k, v in fields:
            f.write(f"{k} = {v.lower()}\n")

dsa = json.load(open(os.path.join(vectors, "acvp/ML-DSA-keyGen-FIPS204/internalProjection.json")))
for g, tc in zip(dsa["testGroups"], (1, 26, 51)):
    t = next(t for t in g["tests"] if t["tcId"] == tc)
    n = g["parameterSet"].lower()
    write(f"{n}-keygen.kat",
          f"# {g['parameterSet']}: NIST ACVP ML-DSA-keyGen-FIPS204 internalProjection.json, vsId {dsa['vsId']}, tgId {g['tgId']}, tcId {tc}\n",
          [("pk", t["pk"]), ("sk", t["sk"])])

kem = json.load(open(os.path.join(vectors, "acvp/ML-KEM-encapDecap-FIPS203/internalProjection.json")))
picks = {"ML-KEM-512": (76, 77), "ML-KEM-768": (87, 86), "ML-KEM-1024": (98, 96)}
for g in kem["testGroups"]:
    if g.get("function") != "decapsulation":
        continue
    valid, modified = picks[g["parameterSet"]]
    tv = next(t for t in g["tests"] if t["tcId"] == valid)
    tm = next(t for t in g["tests"] if t["tcId"] == modified)
    assert tv["reason"] == "valid decapsulation" and tm["reason"] == "modified ciphertext"
    n = g["parameterSet"].lower()
    write(f"{n}-decap.kat",
          f"# {g['parameterSet']}: NIST ACVP ML-KEM-encapDecap-FIPS203 internalProjection.json, vsId {kem['vsId']}, tgId {g['tgId']} (decapsulation), tcId {valid} (valid) and tcId {modified} (modified ciphertext)\n",
          [("dk", g["dk"]), ("c_valid", tv["c"]), ("k_valid", tv["k"]), ("c_modified", tm["c"]), ("k_modified", tm["k"])])
