"""pqshift against pyca/cryptography, in the same process.

    bash scripts/test-python --bench        # builds the release wheel, installs it, runs this

or, in an environment with a release build of pqshift and cryptography >= 48
installed: ``python bindings/python/bench.py [--rounds N] [--scale F] [--json FILE]``.
``--json FILE`` (or the environment variable PQSHIFT_BENCH_JSON, which passes
through scripts/test-python) also writes the figures as JSON, for
scripts/bench.

Each operation runs in batches; the median time per operation over the
batches is printed for both libraries with the ratio pyca / pqshift (> 1:
pqshift is faster). Both sides sign with the same kind of call: hedged
ML-DSA (pyca's only mode), raw signatures, an empty context. Then two
threads sign at once, to show the GIL is released.

Goals (issue #5): faster than pyca on every operation; ML-DSA-65 sign at
least 5x and verify at least 3x. These are measured, never asserted in tests.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time

import cryptography
from cryptography.hazmat.primitives.asymmetric import ed25519, mldsa, mlkem

import pqshift

MSG = b"x" * 256


def median_op_seconds(fn, batch, rounds):
    fn()  # warm up
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        samples.append((time.perf_counter() - t0) / batch)
    return statistics.median(samples)


def load_bench_config():
    """Key objects verify under the configuration in force (the built-in
    default accepts Ed25519 alone): one that accepts both signature
    algorithms measured, with no [shadow], as an application would run."""
    path = os.path.join(tempfile.mkdtemp(prefix="pqshift-bench-"), "pqshift.toml")
    with open(path, "w") as f:
        f.write('[sign]\nalgorithm = "ml-dsa-65"\n[verify]\naccept = ["ml-dsa-65", "ed25519"]\n')
    pqshift.load_config(path)


def cases():
    load_bench_config()
    seed = bytes(range(32))
    ours_ed = pqshift.SigningKey.from_seed("ed25519", seed)
    theirs_ed = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    ed_sig = ours_ed.sign(MSG, raw=True)
    ours_ed_pk, theirs_ed_pk = ours_ed.public_key(), theirs_ed.public_key()

    ours_ml = pqshift.SigningKey.from_seed("ml-dsa-65", seed)
    theirs_ml = mldsa.MLDSA65PrivateKey.from_seed_bytes(seed)
    ml_sig = ours_ml.sign(MSG, raw=True)
    ours_ml_pk, theirs_ml_pk = ours_ml.public_key(), theirs_ml.public_key()

    kem_seed = bytes(range(64))
    ours_dk = pqshift.DecapsulationKey.from_seed("ml-kem-768", kem_seed)
    ours_ek = ours_dk.encapsulation_key()
    theirs_dk = mlkem.MLKEM768PrivateKey.from_seed_bytes(kem_seed)
    theirs_ek = theirs_dk.public_key()
    ct, _ = ours_ek.encapsulate(raw=True)

    return [
        ("Ed25519 sign", lambda: ours_ed.sign(MSG, raw=True), lambda: theirs_ed.sign(MSG), 2000),
        ("Ed25519 verify", lambda: ours_ed_pk.verify(MSG, ed_sig, raw=True), lambda: theirs_ed_pk.verify(ed_sig, MSG), 1000),
        ("ML-DSA-65 sign", lambda: ours_ml.sign(MSG, raw=True), lambda: theirs_ml.sign(MSG), 300),
        ("ML-DSA-65 verify", lambda: ours_ml_pk.verify(MSG, ml_sig, raw=True), lambda: theirs_ml_pk.verify(ml_sig, MSG), 500),
        ("ML-KEM-768 encaps", lambda: ours_ek.encapsulate(raw=True), lambda: theirs_ek.encapsulate(), 1000),
        ("ML-KEM-768 decaps", lambda: ours_dk.decapsulate(ct, raw=True), lambda: theirs_dk.decapsulate(ct), 1000),
    ]


def threads_speedup(n=200):
    key = pqshift.SigningKey.from_seed("ml-dsa-65", bytes(32))

    def work():
        for _ in range(n):
            key.sign(MSG)

    t0 = time.perf_counter()
    work()
    work()
    one = time.perf_counter() - t0
    threads = [threading.Thread(target=work) for _ in range(2)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    two = time.perf_counter() - t0
    return one, two


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="batches per operation (median taken)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every batch size")
    parser.add_argument("--json", metavar="FILE", default=os.environ.get("PQSHIFT_BENCH_JSON") or None,
                        help="also write the results as JSON (default: $PQSHIFT_BENCH_JSON)")
    args = parser.parse_args()
    results = []

    print(f"pqshift {pqshift.__version__} vs cryptography {cryptography.__version__}, "
          f"Python {sys.version.split()[0]}; median of {args.rounds} batches")
    print(f"{'operation':<20}{'pqshift us':>12}{'pyca us':>12}{'ratio':>9}")
    for name, ours, theirs, batch in cases():
        batch = max(1, int(batch * args.scale))
        a = median_op_seconds(ours, batch, args.rounds)
        b = median_op_seconds(theirs, batch, args.rounds)
        print(f"{name:<20}{a * 1e6:>12.1f}{b * 1e6:>12.1f}{b / a:>8.2f}x")
        results.append({"name": name, "batch": batch, "pqshift_ns": a * 1e9, "pyca_ns": b * 1e9,
                        "speedup": b / a})
    n = max(1, int(200 * args.scale))
    one, two = threads_speedup(n)
    print(f"ML-DSA-65 sign x{2 * n}, 1 thread {one:.3f}s, 2 threads {two:.3f}s: {one / two:.2f}x with the GIL released")
    if args.json:
        doc = {
            "pqshift_version": pqshift.__version__,
            "cryptography_version": cryptography.__version__,
            "python_version": sys.version.split()[0],
            "python_implementation": sys.implementation.name,
            "rounds": args.rounds,
            "scale": args.scale,
            "speedup_definition": "pyca time / pqshift time (> 1: pqshift is faster)",
            "operations": results,
            "threads": {"signatures": 2 * n, "one_thread_s": one, "two_threads_s": two,
                        "speedup": one / two},
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
