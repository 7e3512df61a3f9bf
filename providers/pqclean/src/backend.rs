//! Thin glue over the pqcrypto crates, one module per parameter set, so that
//! the schemes above can work with byte slices and function pointers.
//!
//! pqcrypto's key types are `Copy` byte arrays with no `Drop`: they are not
//! zeroized by the crate. We keep exactly one copy of each secret key, in a
//! `Box` we own, and overwrite it with zeros when it is dropped (through
//! `std::hint::black_box`, so that the store is not optimized away).
//! Temporaries pqcrypto makes on the stack inside `keypair`, `from_bytes`
//! and the C code itself are beyond our reach; see the crate docs.

use pqshift_provider_api::{Error, Result, SecretBytes};

/// A loaded ML-DSA secret key inside the backend.
pub(crate) trait DsaSigner: Send + Sync {
    /// A hedged FIPS 204 signature (the C code draws `rnd` itself).
    /// `context` must already be checked (at most 255 bytes).
    fn sign(&self, message: &[u8], context: &[u8]) -> Result<Vec<u8>>;
}

/// A loaded ML-KEM decapsulation key inside the backend.
pub(crate) trait KemDecapsulator: Send + Sync {
    /// Decapsulates a ciphertext of the right length (checked by the caller).
    fn decapsulate(&self, ciphertext: &[u8]) -> Result<SecretBytes>;
}

/// `(public_key, message, context, signature) -> Ok or VerificationFailed`.
pub(crate) type VerifyFn = fn(&[u8], &[u8], &[u8], &[u8]) -> Result<()>;

/// `encapsulation key -> (ciphertext, shared secret)`.
pub(crate) type EncapsulateFn = fn(&[u8]) -> Result<(Vec<u8>, SecretBytes)>;

/// The backend functions of one ML-DSA parameter set.
pub(crate) struct DsaBackend {
    /// A fresh key pair: (public key, expanded secret key).
    pub keypair: fn() -> (Vec<u8>, SecretBytes),
    /// Loads an expanded secret key that has already been validated.
    pub load: fn(&[u8]) -> Result<Box<dyn DsaSigner>>,
    /// Verifies; all lengths already checked.
    pub verify: VerifyFn,
}

/// The backend functions of one ML-KEM parameter set.
pub(crate) struct KemBackend {
    /// A fresh key pair: (encapsulation key, expanded decapsulation key).
    pub keypair: fn() -> (Vec<u8>, SecretBytes),
    /// Loads an expanded decapsulation key that has already been validated.
    pub load: fn(&[u8]) -> Result<Box<dyn KemDecapsulator>>,
    /// Encapsulates to a validated encapsulation key: (ciphertext, shared secret).
    pub encapsulate: EncapsulateFn,
}

fn backend_error(what: &str) -> Error {
    Error::Provider(format!("pqcrypto rejected {what}"))
}

macro_rules! dsa_backend {
    ($module:ident, $backend:path) => {
        pub(crate) mod $module {
            use pqcrypto_traits::sign::{DetachedSignature as _, PublicKey as _, SecretKey as _};
            use pqshift_provider_api::{Error, Result, SecretBytes};
            use $backend as b;

            use super::{backend_error, DsaBackend, DsaSigner};

            fn wipe(sk: &mut b::SecretKey) {
                let zeros = vec![0u8; b::secret_key_bytes()];
                if let Ok(z) = b::SecretKey::from_bytes(&zeros) {
                    *sk = z;
                }
                std::hint::black_box(&*sk);
            }

            struct Signer(Box<b::SecretKey>);

            impl Drop for Signer {
                fn drop(&mut self) {
                    wipe(&mut self.0);
                }
            }

            impl DsaSigner for Signer {
                fn sign(&self, message: &[u8], context: &[u8]) -> Result<Vec<u8>> {
                    let sig = b::detached_sign_ctx(message, context, &self.0);
                    // The C function's status is dropped by pqcrypto; a failed
                    // signature comes back empty, so its length tells.
                    if sig.as_bytes().len() != b::signature_bytes() {
                        return Err(Error::Provider(format!(
                            "PQClean returned a {}-byte signature, expected {}",
                            sig.as_bytes().len(),
                            b::signature_bytes()
                        )));
                    }
                    Ok(sig.as_bytes().to_vec())
                }
            }

            fn keypair() -> (Vec<u8>, SecretBytes) {
                let (pk, mut sk) = b::keypair();
                let out = (
                    pk.as_bytes().to_vec(),
                    SecretBytes::from_slice(sk.as_bytes()),
                );
                wipe(&mut sk);
                out
            }

            fn load(expanded: &[u8]) -> Result<Box<dyn DsaSigner>> {
                let sk = b::SecretKey::from_bytes(expanded)
                    .map_err(|_| backend_error("the secret key length"))?;
                Ok(Box::new(Signer(Box::new(sk))))
            }

            fn verify(public_key: &[u8], message: &[u8], context: &[u8], sig: &[u8]) -> Result<()> {
                let pk = b::PublicKey::from_bytes(public_key)
                    .map_err(|_| backend_error("the public key length"))?;
                let sig = b::DetachedSignature::from_bytes(sig)
                    .map_err(|_| backend_error("the signature length"))?;
                b::verify_detached_signature_ctx(&sig, message, context, &pk)
                    .map_err(|_| Error::VerificationFailed)
            }

            pub(crate) static BACKEND: DsaBackend = DsaBackend {
                keypair,
                load,
                verify,
            };
        }
    };
}

macro_rules! kem_backend {
    ($module:ident, $backend:path) => {
        pub(crate) mod $module {
            use pqcrypto_traits::kem::{
                Ciphertext as _, PublicKey as _, SecretKey as _, SharedSecret as _,
            };
            use pqshift_provider_api::{Result, SecretBytes};
            use $backend as b;

            use super::{backend_error, KemBackend, KemDecapsulator};

            fn wipe(sk: &mut b::SecretKey) {
                let zeros = vec![0u8; b::secret_key_bytes()];
                if let Ok(z) = b::SecretKey::from_bytes(&zeros) {
                    *sk = z;
                }
                std::hint::black_box(&*sk);
            }

            fn take_secret(ss: &mut b::SharedSecret) -> SecretBytes {
                let out = SecretBytes::from_slice(ss.as_bytes());
                if let Ok(z) = b::SharedSecret::from_bytes(&[0u8; 32]) {
                    *ss = z;
                }
                std::hint::black_box(&*ss);
                out
            }

            struct Decapsulator(Box<b::SecretKey>);

            impl Drop for Decapsulator {
                fn drop(&mut self) {
                    wipe(&mut self.0);
                }
            }

            impl KemDecapsulator for Decapsulator {
                fn decapsulate(&self, ciphertext: &[u8]) -> Result<SecretBytes> {
                    let ct = b::Ciphertext::from_bytes(ciphertext)
                        .map_err(|_| backend_error("the ciphertext length"))?;
                    let mut ss = b::decapsulate(&ct, &self.0);
                    Ok(take_secret(&mut ss))
                }
            }

            fn keypair() -> (Vec<u8>, SecretBytes) {
                let (pk, mut sk) = b::keypair();
                let out = (
                    pk.as_bytes().to_vec(),
                    SecretBytes::from_slice(sk.as_bytes()),
                );
                wipe(&mut sk);
                out
            }

            fn load(expanded: &[u8]) -> Result<Box<dyn KemDecapsulator>> {
                let sk = b::SecretKey::from_bytes(expanded)
                    .map_err(|_| backend_error("the decapsulation key length"))?;
                Ok(Box::new(Decapsulator(Box::new(sk))))
            }

            fn encapsulate(public_key: &[u8]) -> Result<(Vec<u8>, SecretBytes)> {
                let pk = b::PublicKey::from_bytes(public_key)
                    .map_err(|_| backend_error("the encapsulation key length"))?;
                let (mut ss, ct) = b::encapsulate(&pk);
                Ok((ct.as_bytes().to_vec(), take_secret(&mut ss)))
            }

            pub(crate) static BACKEND: KemBackend = KemBackend {
                keypair,
                load,
                encapsulate,
            };
        }
    };
}

dsa_backend!(mldsa44, pqcrypto_mldsa::mldsa44);
dsa_backend!(mldsa65, pqcrypto_mldsa::mldsa65);
dsa_backend!(mldsa87, pqcrypto_mldsa::mldsa87);
kem_backend!(mlkem512, pqcrypto_mlkem::mlkem512);
kem_backend!(mlkem768, pqcrypto_mlkem::mlkem768);
kem_backend!(mlkem1024, pqcrypto_mlkem::mlkem1024);
