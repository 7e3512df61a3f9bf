//! FIPS 204 expanded secret keys: decoding with range checks (skDecode),
//! and the public key recomputed from them, which PQClean cannot do.
//!
//! `sk = rho (32) || K (32) || tr (64) || s1 (l polys) || s2 (k polys) || t0 (k polys)`.
//! s1 and s2 coefficients are packed as `eta - c` in 3 bits (eta = 2) or
//! 4 bits (eta = 4) and must decode to `[0, 2 eta]`; t0 is packed as
//! `2^12 - c` in 13 bits (always in range). The public key is
//! `pk = rho || SimpleBitPack(t1, 10 bits)` where
//! `(t1, t0) = Power2Round(NTT^-1(A_hat o NTT(s1)) + s2)` and
//! `A_hat = ExpandA(rho)` (FIPS 204 Algorithms 6, 25, 32, 35, 41, 42).
//!
//! The arithmetic is plain modular arithmetic on `i64` (no data-dependent
//! branches or table look-ups on secret values); it runs once per key load.

use sha3::digest::{ExtendableOutput, Update, XofReader};
use sha3::{Shake128, Shake256};
use zeroize::Zeroizing;

use pqshift_provider_api::{AlgorithmId, Error, Result};

const Q: i64 = 8_380_417;
const N: usize = 256;
const D: u32 = 13;

/// The shape of one ML-DSA parameter set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DsaParams {
    pub alg: AlgorithmId,
    pub k: usize,
    pub l: usize,
    pub eta: u32,
}

impl DsaParams {
    fn eta_bits(&self) -> usize {
        if self.eta == 2 {
            3
        } else {
            4
        }
    }
    fn eta_poly_bytes(&self) -> usize {
        N * self.eta_bits() / 8
    }
    /// Expected expanded secret key length.
    pub fn sk_len(&self) -> usize {
        128 + (self.l + self.k) * self.eta_poly_bytes() + self.k * (N * D as usize / 8)
    }
    /// Expected public key length.
    pub fn pk_len(&self) -> usize {
        32 + self.k * N * 10 / 8
    }
}

type Poly = [i64; N];

/// Reads 256 little-endian `bits`-bit fields from `bytes` (FIPS 204 BitUnpack).
fn unpack(bytes: &[u8], bits: usize) -> Poly {
    let mut out = [0i64; N];
    let mask = (1u64 << bits) - 1;
    for (i, c) in out.iter_mut().enumerate() {
        let bit = i * bits;
        let (byte, shift) = (bit / 8, bit % 8);
        let mut v = 0u64;
        for (j, b) in bytes[byte..].iter().take(3).enumerate() {
            v |= u64::from(*b) << (8 * j);
        }
        *c = ((v >> shift) & mask) as i64;
    }
    out
}

/// Writes 256 `bits`-bit fields little-endian (FIPS 204 SimpleBitPack).
fn pack(out: &mut Vec<u8>, poly: &Poly, bits: usize) {
    let mut acc = 0u64;
    let mut n = 0;
    for c in poly {
        acc |= (*c as u64) << n;
        n += bits;
        while n >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            n -= 8;
        }
    }
}

fn zetas() -> [i64; N] {
    let mut z = [0i64; N];
    for (m, zm) in z.iter_mut().enumerate() {
        let e = (m as u8).reverse_bits();
        let mut r = 1i64;
        for _ in 0..e {
            r = r * 1753 % Q;
        }
        *zm = r;
    }
    z
}

fn ntt(w: &mut Poly, zetas: &[i64; N]) {
    let mut m = 0;
    let mut len = 128;
    while len >= 1 {
        let mut start = 0;
        while start < N {
            m += 1;
            let z = zetas[m];
            for j in start..start + len {
                let t = z * w[j + len] % Q;
                w[j + len] = (w[j] - t).rem_euclid(Q);
                w[j] = (w[j] + t) % Q;
            }
            start += 2 * len;
        }
        len /= 2;
    }
}

fn inv_ntt(w: &mut Poly, zetas: &[i64; N]) {
    let mut m = N;
    let mut len = 1;
    while len < N {
        let mut start = 0;
        while start < N {
            m -= 1;
            let z = Q - zetas[m];
            for j in start..start + len {
                let t = w[j];
                w[j] = (t + w[j + len]) % Q;
                w[j + len] = z * (t - w[j + len]).rem_euclid(Q) % Q;
            }
            start += 2 * len;
        }
        len *= 2;
    }
    for c in w.iter_mut() {
        *c = *c * 8_347_681 % Q;
    }
}

/// RejNTTPoly(rho || s || r) (FIPS 204 Algorithm 30), on public data.
fn rej_ntt_poly(rho: &[u8], s: u8, r: u8) -> Poly {
    let mut h = Shake128::default();
    h.update(rho);
    h.update(&[s, r]);
    let mut xof = h.finalize_xof();
    let mut out = [0i64; N];
    let mut j = 0;
    let mut buf = [0u8; 3];
    while j < N {
        xof.read(&mut buf);
        let z = i64::from(buf[0]) | i64::from(buf[1]) << 8 | i64::from(buf[2] & 0x7f) << 16;
        if z < Q {
            out[j] = z;
            j += 1;
        }
    }
    out
}

/// Decodes the eta-packed polynomials of `bytes`, failing on out-of-range fields.
fn decode_eta(p: &DsaParams, bytes: &[u8], what: &str) -> Result<Zeroizing<Vec<Poly>>> {
    let bits = p.eta_bits();
    let max = 2 * i64::from(p.eta);
    let mut polys = Zeroizing::new(Vec::with_capacity(bytes.len() / p.eta_poly_bytes()));
    let mut bad = false;
    for chunk in bytes.chunks(p.eta_poly_bytes()) {
        let mut poly = unpack(chunk, bits);
        for c in poly.iter_mut() {
            bad |= *c > max;
            // eta - field, as an element of Z_q.
            *c = (i64::from(p.eta) - *c).rem_euclid(Q);
        }
        polys.push(poly);
    }
    if bad {
        return Err(Error::invalid(format!(
            "{} secret key: a coefficient of {what} is out of range (its {bits}-bit field must be at most {max})",
            p.alg
        )));
    }
    Ok(polys)
}

/// Validates an expanded secret key and returns the public key it belongs to.
///
/// Checks: length; s1 and s2 in range; t0 equal to the t0 recomputed from
/// rho, s1 and s2; tr equal to SHAKE256(pk, 64).
pub(crate) fn public_key_from_expanded(p: &DsaParams, sk: &[u8]) -> Result<Vec<u8>> {
    pqshift_provider_api::check_len(p.alg, "expanded secret key", p.sk_len(), sk)?;
    let eb = p.eta_poly_bytes();
    let rho = &sk[..32];
    let tr = &sk[64..128];
    let s1_start = 128;
    let s2_start = s1_start + p.l * eb;
    let t0_start = s2_start + p.k * eb;
    let s1 = decode_eta(p, &sk[s1_start..s2_start], "s1")?;
    let s2 = decode_eta(p, &sk[s2_start..t0_start], "s2")?;

    let zetas = zetas();
    let mut s1_hat = s1.clone();
    for poly in s1_hat.iter_mut() {
        ntt(poly, &zetas);
    }

    let mut pk = Vec::with_capacity(p.pk_len());
    pk.extend_from_slice(rho);
    let mut t0_mismatch = 0i64;
    let t0_bytes = N * D as usize / 8;
    for r in 0..p.k {
        let mut t = Zeroizing::new([0i64; N]);
        for (s, s1s) in s1_hat.iter().enumerate() {
            let a = rej_ntt_poly(rho, s as u8, r as u8);
            for i in 0..N {
                t[i] = (t[i] + a[i] * s1s[i]) % Q;
            }
        }
        inv_ntt(&mut t, &zetas);
        let stored_t0 = Zeroizing::new(unpack(
            &sk[t0_start + r * t0_bytes..t0_start + (r + 1) * t0_bytes],
            D as usize,
        ));
        let mut t1 = [0i64; N];
        for i in 0..N {
            let v = (t[i] + s2[r][i]) % Q;
            // Power2Round: v = t1 * 2^13 + t0 with t0 in (-2^12, 2^12].
            let mut t0 = v & ((1 << D) - 1);
            // Branch-free centering: subtract 2^13 when t0 > 2^12.
            t0 -= ((4096 - t0) >> 63) & (1 << D);
            t1[i] = (v - t0) >> D;
            // The key stores 2^12 - t0.
            t0_mismatch |= (4096 - t0) ^ stored_t0[i];
        }
        pack(&mut pk, &t1, 10);
    }
    if t0_mismatch != 0 {
        return Err(Error::invalid(format!(
            "{} secret key is inconsistent: its t0 does not match rho, s1 and s2",
            p.alg
        )));
    }
    let mut h = Shake256::default();
    h.update(&pk);
    let mut want_tr = [0u8; 64];
    h.finalize_xof().read(&mut want_tr);
    if !pqshift_provider_api::ct_eq(&want_tr, tr) {
        return Err(Error::invalid(format!(
            "{} secret key is inconsistent: tr is not SHAKE256 of its public key",
            p.alg
        )));
    }
    Ok(pk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_and_unpack_agree() {
        let mut poly = [0i64; N];
        for (i, c) in poly.iter_mut().enumerate() {
            *c = (i as i64 * 37) % 1024;
        }
        let mut out = Vec::new();
        pack(&mut out, &poly, 10);
        assert_eq!(out.len(), 320);
        assert_eq!(unpack(&out, 10), poly);
    }

    #[test]
    fn ntt_round_trips() {
        let z = zetas();
        let mut poly = [0i64; N];
        for (i, c) in poly.iter_mut().enumerate() {
            *c = (i as i64 * 7919) % Q;
        }
        let orig = poly;
        ntt(&mut poly, &z);
        assert_ne!(poly, orig);
        inv_ntt(&mut poly, &z);
        assert_eq!(poly, orig);
    }
}
