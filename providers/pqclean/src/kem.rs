//! ML-KEM (FIPS 203) schemes on PQClean, with the input checks PQClean
//! leaves to its caller.

use std::fmt;

use sha3::{Digest, Sha3_256};

use pqshift_provider_api::{
    check_len, AlgorithmId, Capabilities, DecapsulationKeyOps, EncapsulationKeyOps, Error,
    KemScheme, ProviderInfo, Result, Scheme, SecretBytes,
};

use crate::backend::{KemBackend, KemDecapsulator};
use crate::{kat, PROVIDER};

const Q: u16 = 3329;

/// ML-KEM-512, -768 or -1024 on PQClean. Use the [`ML_KEM_512`](crate::ML_KEM_512),
/// [`ML_KEM_768`](crate::ML_KEM_768) and [`ML_KEM_1024`](crate::ML_KEM_1024) statics.
pub struct PqcleanMlKem {
    alg: AlgorithmId,
    k: usize,
    backend: &'static KemBackend,
    kat: &'static str,
}

impl fmt::Debug for PqcleanMlKem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PqcleanMlKem({})", self.alg)
    }
}

/// What every pqclean ML-KEM scheme offers: nothing optional.
pub const KEM_CAPABILITIES: Capabilities = Capabilities {
    seeded_keygen: false,
    deterministic_sign: false,
    hedged_sign: false,
    context: false,
    derandomized_encaps: false,
};

/// True when every 12-bit field of `bytes` (ByteDecode_12) is below q = 3329.
/// Runs over all of `bytes` whatever it finds (the fields may be secret).
fn coefficients_below_q(bytes: &[u8]) -> bool {
    let mut bad = 0u16;
    for c in bytes.chunks_exact(3) {
        let a = u16::from(c[0]) | (u16::from(c[1]) & 0x0f) << 8;
        let b = u16::from(c[1]) >> 4 | u16::from(c[2]) << 4;
        // (x - q) has its top bit clear exactly when x >= q (x < 4096).
        bad |= (!a.wrapping_sub(Q) | !b.wrapping_sub(Q)) & 0x8000;
    }
    bad == 0
}

impl PqcleanMlKem {
    pub(crate) const fn new(
        alg: AlgorithmId,
        k: usize,
        backend: &'static KemBackend,
        kat: &'static str,
    ) -> Self {
        PqcleanMlKem {
            alg,
            k,
            backend,
            kat,
        }
    }

    fn ek_len(&self) -> usize {
        384 * self.k + 32
    }

    fn dk_len(&self) -> usize {
        768 * self.k + 96
    }

    /// FIPS 203 section 7.2 encapsulation key check: length, and every
    /// coefficient of t_hat below q (ByteEncode_12(ByteDecode_12(ek)) == ek).
    fn check_ek(&self, ek: &[u8], what: &str) -> Result<()> {
        check_len(self.alg, what, self.ek_len(), ek)?;
        if !coefficients_below_q(&ek[..384 * self.k]) {
            return Err(Error::invalid(format!(
                "{} {what} is not a valid encoding: a coefficient is not below q = 3329",
                self.alg
            )));
        }
        Ok(())
    }
}

impl Scheme for PqcleanMlKem {
    fn algorithm(&self) -> AlgorithmId {
        self.alg
    }

    fn provider(&self) -> &'static ProviderInfo {
        &PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        KEM_CAPABILITIES
    }

    /// Loads the embedded ACVP decapsulation key, decapsulates one valid and
    /// one modified ACVP ciphertext (the modified one must give ACVP's
    /// implicit-rejection key), then runs an encapsulate/decapsulate round
    /// trip to the key's own encapsulation key.
    fn self_test(&self) -> Result<()> {
        let alg = self.alg;
        let fail = |what: &str| Err(Error::Provider(format!("{alg} self-test: {what}")));
        let s = alg.sizes();
        if s.public_key != self.ek_len() || s.expanded_secret_key != self.dk_len() {
            return fail("parameter sizes disagree with the algorithm table");
        }
        let v = kat::Kat::parse(self.kat)?;
        let key = self.decapsulation_key_from_expanded(&v.get("dk")?)?;
        for (c, k, what) in [
            ("c_valid", "k_valid", "valid ciphertext"),
            (
                "c_modified",
                "k_modified",
                "modified ciphertext (implicit rejection)",
            ),
        ] {
            if !key.decapsulate(&v.get(c)?)?.ct_eq(&v.get(k)?) {
                return fail(&format!("wrong shared secret for the ACVP {what}"));
            }
        }
        let ek = self.encapsulation_key(key.encapsulation_key())?;
        let (ct, ss) = ek.encapsulate()?;
        if !key.decapsulate(&ct)?.ct_eq(ss.expose()) {
            return fail("encapsulate/decapsulate round trip disagrees");
        }
        Ok(())
    }
}

impl KemScheme for PqcleanMlKem {
    fn decapsulation_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn DecapsulationKeyOps>> {
        let _ = seed;
        Err(Error::unsupported(format!(
            "pqclean (pqcrypto) draws its own randomness and cannot derive {} keys from a seed d||z; \
             use generate(), load the expanded decapsulation key, or use the liboqs provider",
            self.alg
        )))
    }

    fn encapsulation_key(&self, encapsulation_key: &[u8]) -> Result<Box<dyn EncapsulationKeyOps>> {
        self.check_ek(encapsulation_key, "encapsulation key")?;
        Ok(Box::new(PqcleanEncapsulationKey {
            alg: self.alg,
            key: encapsulation_key.to_vec(),
            backend: self.backend,
        }))
    }

    /// A key from PQClean's own `keypair()`; it has no seed and exports the
    /// expanded decapsulation key.
    fn generate(&self) -> Result<Box<dyn DecapsulationKeyOps>> {
        let (ek, dk) = (self.backend.keypair)();
        let key = self.load(dk)?;
        if key.encapsulation_key() != ek.as_slice() {
            return Err(Error::Provider(format!(
                "PQClean generated a {} key whose encapsulation key does not match its decapsulation key",
                self.alg
            )));
        }
        Ok(key)
    }

    /// Validates `dk = dk_pke || ek || H(ek) || z` (FIPS 203 section 7.3):
    /// length, H(ek) == SHA3-256(ek), every coefficient of ek and of dk_pke
    /// below q. The encapsulation key is the one inside dk.
    fn decapsulation_key_from_expanded(
        &self,
        expanded: &[u8],
    ) -> Result<Box<dyn DecapsulationKeyOps>> {
        self.load(SecretBytes::from_slice(expanded))
    }
}

impl PqcleanMlKem {
    fn load(&self, dk: SecretBytes) -> Result<Box<dyn DecapsulationKeyOps>> {
        let bytes = dk.expose();
        check_len(self.alg, "expanded decapsulation key", self.dk_len(), bytes)?;
        let pke_len = 384 * self.k;
        let ek = &bytes[pke_len..pke_len + self.ek_len()];
        let h = &bytes[pke_len + self.ek_len()..pke_len + self.ek_len() + 32];
        self.check_ek(ek, "encapsulation key inside the decapsulation key")?;
        if Sha3_256::digest(ek).as_slice() != h {
            return Err(Error::invalid(format!(
                "{} decapsulation key is inconsistent: H(ek) is not SHA3-256 of its encapsulation key",
                self.alg
            )));
        }
        if !coefficients_below_q(&bytes[..pke_len]) {
            return Err(Error::invalid(format!(
                "{} decapsulation key is not a valid encoding: a coefficient of s is not below q = 3329",
                self.alg
            )));
        }
        let encapsulation_key = ek.to_vec();
        let decapsulator = (self.backend.load)(bytes)?;
        Ok(Box::new(PqcleanDecapsulationKey {
            alg: self.alg,
            expanded: dk,
            encapsulation_key,
            decapsulator,
        }))
    }
}

/// A loaded ML-KEM decapsulation key: the expanded key (zeroized on drop),
/// PQClean's copy of it (overwritten on drop) and its encapsulation key.
pub struct PqcleanDecapsulationKey {
    alg: AlgorithmId,
    expanded: SecretBytes,
    encapsulation_key: Vec<u8>,
    decapsulator: Box<dyn KemDecapsulator>,
}

impl fmt::Debug for PqcleanDecapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PqcleanDecapsulationKey({}, [REDACTED])", self.alg)
    }
}

impl DecapsulationKeyOps for PqcleanDecapsulationKey {
    fn encapsulation_key(&self) -> &[u8] {
        &self.encapsulation_key
    }

    fn seed(&self) -> Option<&SecretBytes> {
        None
    }

    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        Some(&self.expanded)
    }

    fn decapsulate(&self, ciphertext: &[u8]) -> Result<SecretBytes> {
        check_len(
            self.alg,
            "ciphertext",
            self.alg.sizes().ciphertext,
            ciphertext,
        )?;
        self.decapsulator.decapsulate(ciphertext)
    }
}

/// A validated ML-KEM encapsulation key.
pub struct PqcleanEncapsulationKey {
    alg: AlgorithmId,
    key: Vec<u8>,
    backend: &'static KemBackend,
}

impl fmt::Debug for PqcleanEncapsulationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PqcleanEncapsulationKey({})", self.alg)
    }
}

impl EncapsulationKeyOps for PqcleanEncapsulationKey {
    fn encapsulate(&self) -> Result<(Vec<u8>, SecretBytes)> {
        (self.backend.encapsulate)(&self.key)
    }

    fn encapsulate_derand(&self, m: &[u8]) -> Result<(Vec<u8>, SecretBytes)> {
        let _ = m;
        Err(Error::unsupported(format!(
            "pqclean (pqcrypto) draws its own randomness for {} encapsulation and cannot take m; \
             use the liboqs provider for known-answer encapsulation",
            self.alg
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(a: u16, b: u16) -> [u8; 3] {
        [a as u8, ((a >> 8) | (b << 4)) as u8, (b >> 4) as u8]
    }

    #[test]
    fn modulus_check() {
        assert!(coefficients_below_q(&enc(0, 0)));
        assert!(coefficients_below_q(&enc(3328, 3328)));
        assert!(!coefficients_below_q(&enc(3329, 0)));
        assert!(!coefficients_below_q(&enc(0, 3329)));
        assert!(!coefficients_below_q(&enc(4095, 4095)));
        let mut many = [enc(1, 2); 10].concat();
        assert!(coefficients_below_q(&many));
        many[27..30].copy_from_slice(&enc(5, 3500));
        assert!(!coefficients_below_q(&many));
    }
}
