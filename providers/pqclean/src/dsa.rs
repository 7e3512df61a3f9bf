//! ML-DSA (FIPS 204) schemes on PQClean.

use std::fmt;

use pqshift_provider_api::{
    check_context, check_len, AlgorithmId, Capabilities, Error, ProviderInfo, Result, Scheme,
    SecretBytes, SignMode, SignatureScheme, SigningKeyOps, VerifyingKeyOps,
};

use crate::backend::{DsaBackend, DsaSigner};
use crate::dsa_key::{public_key_from_expanded, DsaParams};
use crate::{kat, PROVIDER};

/// ML-DSA-44, -65 or -87 on PQClean. Use the [`ML_DSA_44`](crate::ML_DSA_44),
/// [`ML_DSA_65`](crate::ML_DSA_65) and [`ML_DSA_87`](crate::ML_DSA_87) statics.
pub struct PqcleanMlDsa {
    params: DsaParams,
    backend: &'static DsaBackend,
    kat: &'static str,
}

impl PqcleanMlDsa {
    pub(crate) const fn new(
        params: DsaParams,
        backend: &'static DsaBackend,
        kat: &'static str,
    ) -> Self {
        PqcleanMlDsa {
            params,
            backend,
            kat,
        }
    }

    fn sizes_ok(&self) -> bool {
        let s = self.params.alg.sizes();
        s.public_key == self.params.pk_len() && s.expanded_secret_key == self.params.sk_len()
    }
}

impl fmt::Debug for PqcleanMlDsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PqcleanMlDsa({})", self.params.alg)
    }
}

/// What every pqclean ML-DSA scheme offers.
pub const DSA_CAPABILITIES: Capabilities = Capabilities {
    seeded_keygen: false,
    deterministic_sign: false,
    hedged_sign: true,
    context: true,
    derandomized_encaps: false,
};

impl Scheme for PqcleanMlDsa {
    fn algorithm(&self) -> AlgorithmId {
        self.params.alg
    }

    fn provider(&self) -> &'static ProviderInfo {
        &PROVIDER
    }

    fn capabilities(&self) -> Capabilities {
        DSA_CAPABILITIES
    }

    /// Loads the embedded ACVP keyGen key pair (expanded sk, pk) through the
    /// validating loader (so the recomputed public key must equal ACVP's),
    /// signs with it, verifies under the ACVP public key, and checks that a
    /// flipped bit, another message and another context are all rejected.
    fn self_test(&self) -> Result<()> {
        let alg = self.params.alg;
        let fail = |what: &str| Err(Error::Provider(format!("{alg} self-test: {what}")));
        if !self.sizes_ok() {
            return fail("parameter sizes disagree with the algorithm table");
        }
        let v = kat::Kat::parse(self.kat)?;
        let (pk, sk) = (v.get("pk")?, v.get("sk")?);
        let key = self.signing_key_from_expanded(&sk)?;
        if key.public_key() != pk.as_slice() {
            return fail("public key recomputed from the ACVP secret key differs from ACVP's");
        }
        let vk = self.verifying_key(&pk)?;
        let (msg, ctx) = (b"pqshift pqclean self-test", b"pqshift");
        let sig = key.sign(msg, ctx, SignMode::Hedged)?;
        vk.verify(msg, ctx, &sig)?;
        let mut bad = sig.clone();
        bad[sig.len() / 2] ^= 0x01;
        for (m, c, s) in [
            (&msg[..], &ctx[..], &bad),
            (&b"another message"[..], &ctx[..], &sig),
            (&msg[..], &b""[..], &sig),
        ] {
            match vk.verify(m, c, s) {
                Err(Error::VerificationFailed) => {}
                _ => return fail("a wrong signature was not rejected"),
            }
        }
        // Signatures only a complete verifier rejects (z norm, hint encoding).
        pqshift_provider_api::kat::mldsa_negative::check(self)
    }

    fn self_test_sets(&self) -> Vec<String> {
        let mut sets = vec![
            format!(
                "positive: {} (expanded sk -> pk)",
                self.kat
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches('#')
                    .trim()
            ),
            "positive: hedged sign/verify round trip with a context".to_string(),
            "negative: flipped signature bit, other message, other context".to_string(),
        ];
        sets.extend(pqshift_provider_api::kat::mldsa_negative::set_names(
            self.params.alg,
        ));
        sets
    }
}

impl SignatureScheme for PqcleanMlDsa {
    fn signing_key_from_seed(&self, seed: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        let _ = seed;
        Err(Error::unsupported(format!(
            "pqclean (pqcrypto) draws its own randomness and cannot derive {} keys from a seed; \
             use generate(), load the expanded secret key, or use the liboqs provider",
            self.params.alg
        )))
    }

    fn verifying_key(&self, public_key: &[u8]) -> Result<Box<dyn VerifyingKeyOps>> {
        check_len(
            self.params.alg,
            "public key",
            self.params.pk_len(),
            public_key,
        )?;
        Ok(Box::new(PqcleanVerifyingKey {
            alg: self.params.alg,
            public_key: public_key.to_vec(),
            backend: self.backend,
        }))
    }

    /// A key from PQClean's own `keypair()`. Its public key is checked
    /// against the one recomputed from the secret key (a pairwise
    /// consistency test); it has no seed and exports its expanded form.
    fn generate(&self) -> Result<Box<dyn SigningKeyOps>> {
        let (public_key, expanded) = (self.backend.keypair)();
        let recomputed = public_key_from_expanded(&self.params, expanded.expose())
            .map_err(|e| Error::Provider(format!("PQClean generated an invalid key: {e}")))?;
        if recomputed != public_key {
            return Err(Error::Provider(format!(
                "PQClean generated a {} key whose public key does not match its secret key",
                self.params.alg
            )));
        }
        self.load(expanded, public_key)
    }

    /// Validates the FIPS 204 expanded key (length, s1/s2 ranges, t0 and tr
    /// consistent with the recomputed public key) before PQClean sees it.
    fn signing_key_from_expanded(&self, expanded: &[u8]) -> Result<Box<dyn SigningKeyOps>> {
        let public_key = public_key_from_expanded(&self.params, expanded)?;
        self.load(SecretBytes::from_slice(expanded), public_key)
    }
}

impl PqcleanMlDsa {
    fn load(&self, expanded: SecretBytes, public_key: Vec<u8>) -> Result<Box<dyn SigningKeyOps>> {
        let signer = (self.backend.load)(expanded.expose())?;
        Ok(Box::new(PqcleanSigningKey {
            alg: self.params.alg,
            expanded,
            public_key,
            signer,
        }))
    }
}

/// A loaded ML-DSA signing key: the expanded secret key (zeroized on drop),
/// PQClean's copy of it (overwritten on drop) and the public key.
pub struct PqcleanSigningKey {
    alg: AlgorithmId,
    expanded: SecretBytes,
    public_key: Vec<u8>,
    signer: Box<dyn DsaSigner>,
}

impl fmt::Debug for PqcleanSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PqcleanSigningKey({}, [REDACTED])", self.alg)
    }
}

impl SigningKeyOps for PqcleanSigningKey {
    fn public_key(&self) -> &[u8] {
        &self.public_key
    }

    fn seed(&self) -> Option<&SecretBytes> {
        None
    }

    fn expanded_secret_key(&self) -> Option<&SecretBytes> {
        Some(&self.expanded)
    }

    fn sign(&self, message: &[u8], context: &[u8], mode: SignMode) -> Result<Vec<u8>> {
        check_context(self.alg, context)?;
        match mode {
            SignMode::Hedged => self.signer.sign(message, context),
            SignMode::Deterministic => Err(Error::unsupported(format!(
                "pqclean (pqcrypto) signs {} only in the hedged variant (PQClean draws rnd itself); \
                 use SignMode::Hedged, or the liboqs provider for deterministic signatures",
                self.alg
            ))),
        }
    }
}

/// An ML-DSA public key.
pub struct PqcleanVerifyingKey {
    alg: AlgorithmId,
    public_key: Vec<u8>,
    backend: &'static DsaBackend,
}

impl fmt::Debug for PqcleanVerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PqcleanVerifyingKey({})", self.alg)
    }
}

impl VerifyingKeyOps for PqcleanVerifyingKey {
    fn public_key(&self) -> &[u8] {
        &self.public_key
    }

    fn verify(&self, message: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
        check_context(self.alg, context)?;
        check_len(self.alg, "signature", self.alg.sizes().signature, signature)?;
        (self.backend.verify)(&self.public_key, message, context, signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_secret_bytes() {
        let key = PqcleanSigningKey {
            alg: AlgorithmId::MlDsa44,
            expanded: SecretBytes::from_slice(&[0xab; 2560]),
            public_key: vec![0xcd; 1312],
            signer: (crate::backend::mldsa44::BACKEND.load)(&[0xab; 2560]).unwrap(),
        };
        let d = format!("{key:?}");
        assert!(d.contains("REDACTED") && !d.contains("ab"), "{d}");
    }
}
