"""Shared fixtures: golden/ and ../shared/vectors, and configurations.

The tests run against the installed wheel (scripts/test-python), never the
source tree. PQSHIFT_GOLDEN and PQSHIFT_VECTORS locate the data; under
CI=true missing external vectors fail instead of skipping.
"""

import json
import os
from pathlib import Path

import pytest

import pqshift

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = Path(os.environ.get("PQSHIFT_GOLDEN", ROOT / "golden"))
VECTORS = Path(os.environ.get("PQSHIFT_VECTORS", ROOT.parent / "shared" / "vectors"))

SIGNATURE_ALGS = ["ed25519", "ml-dsa-44", "ml-dsa-65", "ml-dsa-87"]
KEM_ALGS = ["ml-kem-512", "ml-kem-768", "ml-kem-1024"]
MAC_ALG = "insecure-test-hmac-sha256"


def golden(name):
    with open(GOLDEN / "vectors" / name) as f:
        return json.load(f)


def vector_path(rel):
    """The path of an external vector file; skips the test when it is absent
    (fails under CI=true)."""
    path = VECTORS / rel
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"vectors not found: {path} (CI=true)")
        pytest.skip(f"skipped: vectors not found: {path}")
    return path


def vectors(rel):
    with open(vector_path(rel)) as f:
        return json.load(f)


def h(s):
    return bytes.fromhex(s)


def config_text(alg, provider=None, accept=None, extra=""):
    lines = ["[sign]", f'algorithm = "{alg}"']
    if provider:
        lines.append(f'provider = "{provider}"')
    if accept is not None:
        lines += ["[verify]", "accept = [" + ", ".join(f'"{a}"' for a in accept) + "]"]
    if alg == MAC_ALG:
        lines += ["[policy]", "allow_insecure = true"]
    return "\n".join(lines) + "\n" + extra


@pytest.fixture
def use_config(tmp_path):
    """use_config(toml_text) writes the file and makes it current."""
    count = [0]

    def load(text):
        count[0] += 1
        path = tmp_path / f"pqshift-{count[0]}.toml"
        path.write_text(text)
        return pqshift.load_config(path)

    return load


@pytest.fixture(autouse=True)
def default_config():
    """Every test starts and ends under the built-in default."""
    pqshift.load_config()
    yield
    pqshift.load_config()
