"""The GIL is released around cryptographic work: two threads sign at once.

No timing is asserted (the machine may be busy); the test checks that
every signature from both threads is correct. The speed-up is printed
(run pytest with -s to see it) and reported by bench.py.
"""

import threading
import time

import pqshift
from conftest import config_text

N = 40


def sign_many(key, out, idx):
    for i in range(N):
        msg = b"message %d/%d" % (idx, i)
        out.append((msg, key.sign(msg, deterministic=True)))


def test_two_threads_sign_concurrently(use_config):
    use_config(config_text("ml-dsa-65"))  # verification needs the algorithm in [verify] accept
    key = pqshift.SigningKey.from_seed("ml-dsa-65", bytes(32))
    pk = key.public_key()

    t0 = time.perf_counter()
    single = []
    sign_many(key, single, 0)
    sign_many(key, single, 1)
    one_thread = time.perf_counter() - t0

    results = [[], []]
    threads = [threading.Thread(target=sign_many, args=(key, results[i], i)) for i in range(2)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    two_threads = time.perf_counter() - t0

    assert len(results[0]) == N and len(results[1]) == N
    for msg, sig in results[0] + results[1]:
        pk.verify(msg, sig)
    # Deterministic signing: the threads produced exactly the single-threaded signatures.
    assert results[0] + results[1] == single
    print(f"\nML-DSA-65 sign x{2 * N}: 1 thread {one_thread:.3f}s, 2 threads {two_threads:.3f}s, "
          f"speed-up {one_thread / two_threads:.2f}x")


def test_threads_verify_and_decapsulate_concurrently():
    dk = pqshift.DecapsulationKey.from_seed("ml-kem-768", bytes(64))
    ek = dk.encapsulation_key()
    pairs = [ek.encapsulate() for _ in range(20)]
    errors = []

    def work():
        try:
            for ct, ss in pairs:
                assert dk.decapsulate(ct) == ss
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
