//! Shared pieces of the pqshift fuzz targets.
//!
//! The structured targets (`verify`, `decaps`, `c_api`) read their input
//! with [`Input`], a thin reader over `arbitrary::Unstructured` with a
//! fixed, documented layout (little-endian `u16` lengths before each blob),
//! so `scripts/fuzz-seeds` can write seed inputs from `golden/` that reach
//! deep into the code from the first execution.

use arbitrary::Unstructured;
use pqshift::{registry, AlgorithmId, AlgorithmKind, ErrorKind};

/// Reads the fuzz input front to back; past the end everything is empty/zero.
pub struct Input<'a> {
    u: Unstructured<'a>,
}

impl<'a> Input<'a> {
    /// Wraps the raw fuzz input.
    pub fn new(data: &'a [u8]) -> Self {
        Input {
            u: Unstructured::new(data),
        }
    }

    /// One byte (0 at the end).
    pub fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    /// A little-endian u16 (missing bytes are 0).
    pub fn u16(&mut self) -> u16 {
        let b = self.take(2);
        let mut a = [0u8; 2];
        a[..b.len()].copy_from_slice(b);
        u16::from_le_bytes(a)
    }

    /// A little-endian u64 (missing bytes are 0).
    pub fn u64(&mut self) -> u64 {
        let b = self.take(8);
        let mut a = [0u8; 8];
        a[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(a)
    }

    /// A blob: a u16 length, then that many bytes (fewer at the end).
    pub fn blob(&mut self) -> &'a [u8] {
        let n = usize::from(self.u16());
        self.take(n)
    }

    /// Up to `n` bytes.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.u.len());
        self.u.bytes(n).unwrap_or(&[])
    }

    /// Everything left.
    pub fn rest(self) -> &'a [u8] {
        self.u.take_rest()
    }
}

/// `bytes` cut or zero-padded to exactly `len`.
pub fn fit(bytes: &[u8], len: usize) -> Vec<u8> {
    let mut v = bytes[..bytes.len().min(len)].to_vec();
    v.resize(len, 0);
    v
}

/// Applies `(u16 position, u8 xor)` triples from `edits` to `buf` (positions
/// modulo its length); a zero xor is skipped.
pub fn mutate(buf: &mut [u8], edits: &[u8]) {
    if buf.is_empty() {
        return;
    }
    for e in edits.chunks_exact(3) {
        let pos = usize::from(u16::from_le_bytes([e[0], e[1]])) % buf.len();
        buf[pos] ^= e[2];
    }
}

/// The algorithms of a kind, in the table's order.
pub fn algorithms(kind: AlgorithmKind) -> Vec<AlgorithmId> {
    AlgorithmId::ALL
        .iter()
        .copied()
        .filter(|a| a.kind() == kind)
        .collect()
}

/// The linked providers serving `alg`, best first.
pub fn providers(alg: AlgorithmId) -> Vec<&'static str> {
    registry::providers_for(alg)
        .iter()
        .map(|r| r.provider().id)
        .collect()
}

/// An outcome reduced to what every implementation must agree on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted.
    Ok,
    /// Failed with this error kind.
    Err(ErrorKind),
}

impl<T> From<&pqshift::Result<T>> for Verdict {
    fn from(r: &pqshift::Result<T>) -> Self {
        match r {
            Ok(_) => Verdict::Ok,
            Err(e) => Verdict::Err(e.kind()),
        }
    }
}

/// Panics (a finding) when an error kind is one that bad input must never
/// produce: a provider failure or an internal error.
pub fn assert_input_error<T>(what: &str, r: &pqshift::Result<T>) {
    if let Err(e) = r {
        assert!(
            !matches!(e.kind(), ErrorKind::Internal | ErrorKind::Provider),
            "{what}: bad input produced {:?}: {e}",
            e.kind()
        );
        assert!(!e.to_string().is_empty(), "{what}: empty error message");
    }
}
