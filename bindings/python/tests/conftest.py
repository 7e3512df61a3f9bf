"""Shared fixtures: golden/ and ../shared/vectors, and configurations.

The tests run against the installed wheel (scripts/test-python), never the
source tree. PQSHIFT_GOLDEN and PQSHIFT_VECTORS locate the data; under
CI=true missing external vectors fail instead of skipping.
"""

import json
import os
import subprocess
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


def cli_path():
    """The `pqshift` command, for comparing the front ends: PQSHIFT_CLI (set
    by scripts/test-python), else the debug build in the target directory.
    Skips the test when it is absent (fails under CI=true)."""
    env = os.environ.get("PQSHIFT_CLI")
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = Path(env) if env else target / "debug" / "pqshift"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the pqshift command is not built: {path} (CI=true)")
        pytest.skip(f"skipped: the pqshift command is not built: {path}")
    return path


# The kind prefix of the CLI's `error: ...` line (provider-api's Display of
# each error kind) -> the exception the Python binding raises for that kind.
CLI_ERROR_KINDS = {
    "invalid input:": pqshift.InvalidInput,
    "unsupported:": pqshift.UnsupportedAlgorithm,
    "policy violation:": pqshift.PolicyError,
    "provider failure:": pqshift.ProviderError,
}


def cli_verify(tmp_path, config, alg, public_key, message, sig, context=b""):
    """Runs `pqshift --config CONFIG verify --alg ALG --pub-raw PK --sig SIG
    [--context HEX] MSG` and returns the exception class Python gives for the
    same outcome: None (exit 0, "valid"), InvalidSignature (exit 1), or the
    class of the error kind named on stderr (exit 2)."""
    d = tmp_path / f"cli-{len(list(tmp_path.iterdir()))}"
    d.mkdir()
    (d / "pk").write_bytes(public_key)
    (d / "sig").write_bytes(sig)
    (d / "msg").write_bytes(message)
    args = [str(cli_path()), "--config", str(config), "verify", "--alg", alg,
            "--pub-raw", str(d / "pk"), "--sig", str(d / "sig")]
    if context:
        args += ["--context", context.hex()]
    args.append(str(d / "msg"))
    env = {k: v for k, v in os.environ.items() if k != "PQSHIFT_CONFIG"}
    r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert "panicked" not in r.stderr, r.stderr
    if r.returncode == 0:
        assert r.stdout == "valid\n", r
        return None
    if r.returncode == 1:
        assert "invalid signature" in r.stderr, r
        return pqshift.InvalidSignature
    assert r.returncode == 2 and r.stderr.startswith("error:"), r
    for prefix, cls in CLI_ERROR_KINDS.items():
        if prefix in r.stderr:
            return cls
    pytest.fail(f"the CLI error names no error kind: {r.stderr!r}")


def config_text(alg, provider=None, accept=None, extra=""):
    lines = ["[sign]", f'algorithm = "{alg}"']
    if provider:
        lines.append(f'provider = "{provider}"')
    if accept is not None:
        lines += ["[verify]", "accept = [" + ", ".join(f'"{a}"' for a in accept) + "]"]
    if alg == MAC_ALG:
        lines += ["[policy]", "allow_insecure = true"]
    return "\n".join(lines) + "\n" + extra


# Key objects verify under the configuration in force ([verify] accept, the
# [verify] provider, [shadow]), so a test that verifies signatures of several
# algorithms runs under one that accepts them all (and the placeholder).
ACCEPT_ALL = config_text(
    "ed25519", accept=SIGNATURE_ALGS + [MAC_ALG], extra="[policy]\nallow_insecure = true\n"
)


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


@pytest.fixture
def accept_all(use_config):
    """Makes ACCEPT_ALL the configuration in force for the test."""
    return use_config(ACCEPT_ALL)


@pytest.fixture(autouse=True)
def default_config():
    """Every test starts and ends under the built-in default."""
    pqshift.load_config()
    yield
    pqshift.load_config()
