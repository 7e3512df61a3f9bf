"""pqshift: crypto agility for Python.

Sign, verify and encapsulate through one API; a TOML configuration decides
which algorithm (Ed25519, ML-DSA, ML-KEM) and which implementation
("provider") does the work. Everything runs in pqshift's Rust core
(liboqs, PQClean, RustCrypto and ed25519-dalek are linked into the native
module); this package only converts types. The GIL is released around
every cryptographic operation.

The configuration is loaded at import: ``PQSHIFT_CONFIG`` names the file,
else the built-in default (Ed25519) applies; :func:`load_config` replaces
it. An invalid configuration fails the import (fail closed).

Key objects verify under the configuration in force, exactly as the
``pqshift`` command and the C API do: the algorithm must be listed in
``[verify] accept`` (else :class:`PolicyError`), the ``[verify]`` provider
gives the verdict, and a ``[shadow]`` provider that disagrees raises
:class:`ProviderError`.

>>> import pqshift
>>> cfg = pqshift.load_config("pqshift.toml")  # e.g. [sign] algorithm = "ml-dsa-65"
>>> key = pqshift.SigningKey.generate("ml-dsa-65")
>>> sig = key.sign(b"record", context=b"app-v1")
>>> key.public_key().verify(b"record", sig, context=b"app-v1")  # None, or raises InvalidSignature
"""

from pqshift.exceptions import (
    Error,
    InvalidInput,
    InvalidSignature,
    PolicyError,
    ProviderError,
    UnsupportedAlgorithm,
)
from pqshift._native import (
    MAX_CONTEXT_LEN,
    Config,
    DecapsulationKey,
    EncapsulationKey,
    SigningKey,
    VerifyingKey,
    __version__,
    active,
    algorithms,
    keygen,
    load_config,
    merkle_root,
    providers,
    sha256,
    sign,
    verify,
)

__all__ = [
    "MAX_CONTEXT_LEN",
    "Config",
    "DecapsulationKey",
    "EncapsulationKey",
    "Error",
    "InvalidInput",
    "InvalidSignature",
    "PolicyError",
    "ProviderError",
    "SigningKey",
    "UnsupportedAlgorithm",
    "VerifyingKey",
    "__version__",
    "active",
    "algorithms",
    "keygen",
    "load_config",
    "merkle_root",
    "providers",
    "sha256",
    "sign",
    "verify",
]

# PQSHIFT_CONFIG (else the built-in default), validated now: fail closed.
load_config()

