//! Helpers for providers' embedded known-answer tests, and the negative
//! known answers every provider of an algorithm must reject.

pub mod mldsa_negative;

/// Decodes a hex literal at compile time, skipping ASCII whitespace (so a
/// file of hex can be `include_str!`-ed). Meant for `const` items only: a
/// bad literal fails the build, so nothing can panic at run time.
///
/// ```
/// const KEY: [u8; 4] = pqshift_provider_api::kat::hex("0a0B 0c\n0d");
/// assert_eq!(KEY, [10, 11, 12, 13]);
/// ```
#[allow(clippy::panic)]
pub const fn hex<const N: usize>(s: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not a hex digit"),
        }
    }
    let b = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0; // input position
    let mut n = 0; // nibbles written
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c.is_ascii_whitespace() {
            continue;
        }
        assert!(n < 2 * N, "hex literal is too long");
        let v = nibble(c);
        if n % 2 == 0 {
            out[n / 2] = v << 4;
        } else {
            out[n / 2] |= v;
        }
        n += 1;
    }
    assert!(n == 2 * N, "hex literal is too short");
    out
}
