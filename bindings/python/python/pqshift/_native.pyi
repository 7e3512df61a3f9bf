"""Type stubs of pqshift's native module (re-exported by ``pqshift``)."""

from os import PathLike
from typing import Iterable, List, Optional, Tuple, Union

__version__: str
MAX_CONTEXT_LEN: int
"""The longest context string (FIPS 204): 255 bytes."""

_Pem = Union[str, bytes]

def algorithms() -> List[str]:
    """Canonical IDs of the algorithms some linked provider serves."""

def providers(algorithm: str) -> List[str]:
    """IDs of the providers serving ``algorithm``, the preferred one first."""

def sha256(data: bytes) -> bytes:
    """SHA-256 of ``data`` (32 bytes)."""

def merkle_root(leaves: Iterable[bytes]) -> bytes:
    """RFC 6962 Merkle tree hash (SHA-256) of the leaves' data (32 bytes)."""

class Config:
    """A loaded, validated configuration (read-only)."""

    @property
    def source(self) -> str:
        """The file path, or "built-in default configuration"."""
    @property
    def path(self) -> Optional[str]:
        """The file it was read from, or None for the built-in default."""
    @property
    def sign_algorithm(self) -> str:
        """The ``[sign]`` algorithm: what new signatures and ``keygen`` use."""
    @property
    def sign_provider(self) -> str:
        """The provider that signs."""
    @property
    def accept(self) -> List[Tuple[str, str]]:
        """What verification accepts: (algorithm, provider) pairs."""
    @property
    def kem(self) -> Optional[Tuple[str, str]]:
        """The ``[kem]`` (algorithm, provider), or None."""
    @property
    def shadow(self) -> Optional[str]:
        """The ``[shadow]`` provider, or None."""
    @property
    def allow_insecure(self) -> bool:
        """Whether the insecure placeholder is allowed."""

def load_config(path: Union[str, "PathLike[str]", None] = None) -> Config:
    """Loads, validates and installs a configuration (None: ``PQSHIFT_CONFIG``,
    else the built-in default). Raises ``InvalidInput`` / ``PolicyError`` /
    ``UnsupportedAlgorithm`` / ``ProviderError`` naming the file and key; the
    previous configuration then stays in force."""

def active() -> Config:
    """The configuration in force."""

def keygen(seed: int) -> bytes:
    """Porting contract: the tagged secret key of the configured ``[sign]``
    algorithm derived from ``seed`` (0 to 2**64 - 1). For tests and fixtures."""

def sign(key: bytes, payload: bytes) -> bytes:
    """Porting contract: the tagged signature of ``payload`` (empty context,
    deterministic) under a tagged secret key of the ``[sign]`` algorithm."""

def verify(key: bytes, payload: bytes, sig: bytes) -> bool:
    """Porting contract: True if valid, False if not; malformed input raises
    ``InvalidInput``, an algorithm outside ``[verify] accept`` ``PolicyError``."""

class SigningKey:
    """A secret signing key (or the insecure placeholder's MAC key)."""

    @staticmethod
    def from_seed(algorithm: str, seed: bytes, provider: Optional[str] = None) -> "SigningKey":
        """The key of ``algorithm`` whose standard seed is ``seed`` (32 bytes)."""
    @staticmethod
    def generate(algorithm: Optional[str] = None, provider: Optional[str] = None) -> "SigningKey":
        """A fresh random key (default algorithm: the configured ``[sign]`` one)."""
    @staticmethod
    def from_bytes(data: bytes, provider: Optional[str] = None) -> "SigningKey":
        """Loads a tagged secret key (binary or ``pqshift1:sec:`` text)."""
    @staticmethod
    def from_pem(data: _Pem, provider: Optional[str] = None) -> "SigningKey":
        """Loads a PKCS#8 PEM private key."""
    def to_bytes(self) -> bytes:
        """The tagged binary secret key (seed form). Secret."""
    def to_pem(self) -> str:
        """PKCS#8 PEM (seed form). Secret."""
    def seed(self) -> bytes:
        """The standard seed. Secret."""
    def public_key(self) -> "VerifyingKey":
        """The verifying key (``InvalidInput`` for the placeholder's MAC)."""
    def sign(
        self, message: bytes, context: bytes = b"", deterministic: bool = False, raw: bool = False
    ) -> bytes:
        """Signs; the tagged signature, or the standard bytes with ``raw=True``."""
    def verify(self, message: bytes, signature: bytes, context: bytes = b"", raw: bool = False) -> None:
        """Verifies with this key under the configuration in force, as
        ``VerifyingKey.verify`` does (the placeholder's MAC too); raises
        ``InvalidSignature`` when invalid, ``PolicyError`` when ``[verify]
        accept`` does not list the algorithm, ``ProviderError`` when the
        ``[shadow]`` provider disagrees."""
    @property
    def algorithm(self) -> str:
        """The canonical algorithm ID."""
    @property
    def provider(self) -> str:
        """The provider that holds the key."""
    @property
    def fingerprint(self) -> bytes:
        """The pqshift key fingerprint (32 bytes)."""

class VerifyingKey:
    """A public key of a signature algorithm."""

    @staticmethod
    def from_raw(algorithm: str, data: bytes, provider: Optional[str] = None) -> "VerifyingKey":
        """Parses the bare standard public key of ``algorithm``."""
    @staticmethod
    def from_bytes(data: bytes, provider: Optional[str] = None) -> "VerifyingKey":
        """Loads a tagged public key (binary or ``pqshift1:pub:`` text)."""
    @staticmethod
    def from_pem(data: _Pem, provider: Optional[str] = None) -> "VerifyingKey":
        """Loads a SubjectPublicKeyInfo PEM."""
    def to_raw(self) -> bytes:
        """The bare standard public-key bytes."""
    def to_bytes(self) -> bytes:
        """The tagged binary public key."""
    def to_pem(self) -> str:
        """SubjectPublicKeyInfo PEM."""
    def verify(self, message: bytes, signature: bytes, context: bytes = b"", raw: bool = False) -> None:
        """Verifies under the configuration in force: returns None, or raises
        ``InvalidSignature`` (``InvalidInput`` if malformed). The algorithm
        must be in ``[verify] accept`` (else ``PolicyError``); the
        ``[verify]`` provider gives the verdict and a ``[shadow]`` provider
        that disagrees raises ``ProviderError``."""
    @property
    def algorithm(self) -> str:
        """The canonical algorithm ID."""
    @property
    def provider(self) -> str:
        """The provider that loaded the key; ``verify`` uses the
        configuration's ``[verify]`` provider for the algorithm."""
    @property
    def fingerprint(self) -> bytes:
        """The pqshift key fingerprint (32 bytes)."""

class DecapsulationKey:
    """A KEM decapsulation (secret) key."""

    @staticmethod
    def from_seed(algorithm: str, seed: bytes, provider: Optional[str] = None) -> "DecapsulationKey":
        """The key of ``algorithm`` whose FIPS 203 seed d || z is ``seed`` (64 bytes)."""
    @staticmethod
    def generate(algorithm: Optional[str] = None, provider: Optional[str] = None) -> "DecapsulationKey":
        """A fresh random key (default algorithm: the configured ``[kem]`` one)."""
    @staticmethod
    def from_bytes(data: bytes, provider: Optional[str] = None) -> "DecapsulationKey":
        """Loads a tagged decapsulation key."""
    @staticmethod
    def from_pem(data: _Pem, provider: Optional[str] = None) -> "DecapsulationKey":
        """Loads a PKCS#8 PEM private key."""
    def to_bytes(self) -> bytes:
        """The tagged binary key (seed form). Secret."""
    def to_pem(self) -> str:
        """PKCS#8 PEM (seed form). Secret."""
    def seed(self) -> bytes:
        """The 64-byte seed d || z. Secret."""
    def encapsulation_key(self) -> "EncapsulationKey":
        """The matching encapsulation key."""
    def decapsulate(self, ciphertext: bytes, raw: bool = False) -> bytes:
        """The 32-byte shared secret (implicit rejection for modified ciphertexts)."""
    @property
    def algorithm(self) -> str:
        """The canonical algorithm ID."""
    @property
    def provider(self) -> str:
        """The provider that holds the key."""
    @property
    def fingerprint(self) -> bytes:
        """The pqshift key fingerprint (32 bytes)."""

class EncapsulationKey:
    """A KEM encapsulation (public) key."""

    @staticmethod
    def from_raw(algorithm: str, data: bytes, provider: Optional[str] = None) -> "EncapsulationKey":
        """Parses the bare standard encapsulation key (FIPS 203 ``ek``)."""
    @staticmethod
    def from_bytes(data: bytes, provider: Optional[str] = None) -> "EncapsulationKey":
        """Loads a tagged encapsulation key."""
    @staticmethod
    def from_pem(data: _Pem, provider: Optional[str] = None) -> "EncapsulationKey":
        """Loads a SubjectPublicKeyInfo PEM of a KEM."""
    def to_raw(self) -> bytes:
        """The bare standard bytes."""
    def to_bytes(self) -> bytes:
        """The tagged binary encapsulation key."""
    def to_pem(self) -> str:
        """SubjectPublicKeyInfo PEM."""
    def encapsulate(self, raw: bool = False) -> Tuple[bytes, bytes]:
        """(ciphertext, shared_secret); the ciphertext tagged, or raw with ``raw=True``."""
    def encapsulate_derandomized(self, m: bytes, raw: bool = False) -> Tuple[bytes, bytes]:
        """HAZARDOUS, known-answer tests only: encapsulation with the caller's 32-byte ``m``."""
    @property
    def algorithm(self) -> str:
        """The canonical algorithm ID."""
    @property
    def provider(self) -> str:
        """The provider that encapsulates."""
    @property
    def fingerprint(self) -> bytes:
        """The pqshift key fingerprint (32 bytes)."""
