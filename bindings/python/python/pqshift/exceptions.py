"""The exceptions pqshift raises.

Defined here, once, and raised from the native module by importing them.
Every one derives from :class:`Error`; malformed input is also a
:class:`ValueError`. Wrong argument *types* (``str`` where ``bytes`` is
expected) raise Python's ordinary :class:`TypeError`.
"""

__all__ = [
    "Error",
    "InvalidSignature",
    "InvalidInput",
    "UnsupportedAlgorithm",
    "PolicyError",
    "ProviderError",
]


class Error(Exception):
    """Base class of every pqshift error (also raised as-is for an internal error)."""


class InvalidSignature(Error):
    """The signature (or MAC tag) does not verify. Deliberately without detail."""


class InvalidInput(Error, ValueError):
    """Malformed input: a wrong length, a bad encoding, a key of the wrong
    kind or algorithm, a context over 255 bytes. The message says what was
    expected."""


class UnsupportedAlgorithm(Error):
    """An algorithm no linked provider serves, or an operation the chosen
    provider does not offer (e.g. deterministic signing with ``pqclean``)."""


class PolicyError(Error):
    """The configuration forbids the operation or is inconsistent: an
    algorithm it does not accept, the insecure placeholder without
    ``allow_insecure``, a ``[verify] accept`` that omits the signing
    algorithm. (A malformed configuration file is ``InvalidInput``.)"""


class ProviderError(Error):
    """A provider failed its known-answer self-test, its backend reported an
    error, or a ``[shadow]`` provider disagreed."""
