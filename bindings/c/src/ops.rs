//! The safe half of the binding: handle types and what each C function does,
//! on Rust types. No pointer is touched here; `ffi.rs` converts pointers to
//! slices and handles, then calls in. No cryptography either: everything is
//! the facade's.
#![forbid(unsafe_code)]
// The handle types are named as C sees them.
#![allow(non_camel_case_types)]

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use pqshift::standard::{self, PemLabel};
use pqshift::{
    registry, AlgorithmId, AlgorithmKind, Ciphertext, DecapsulationKey, EncapsulationKey, Error,
    Policy, PublicKey, SecretKey, SignMode, Signature, Tagged,
};

use crate::result::{Failure, FfiResult};

/// Sign deterministically (FIPS 204 deterministic variant; Ed25519 always
/// is). Without it, ML-DSA signing is hedged.
pub const PQSHIFT_FLAG_DETERMINISTIC: u32 = 1;
/// Signatures and ciphertexts as the bare standard bytes, not pqshift's
/// tagged binary form (which names the algorithm).
pub const PQSHIFT_FLAG_RAW: u32 = 2;
/// Length of a SHA-256 digest and of a Merkle root.
pub const PQSHIFT_HASH_LEN: usize = 32;
/// The longest context string (FIPS 204).
pub const PQSHIFT_MAX_CONTEXT_LEN: usize = 255;

/// A loaded, validated configuration (a TOML policy). Read-only once made:
/// one handle may be used from several threads at once. Free it once, with
/// `pqshift_config_free`.
// Never made as such: C holds a pointer to it, which points to a
// `Handle<Policy>` (a type tag, then the value). Likewise below.
pub struct pqshift_config {
    _opaque: [u8; 0],
}

/// A secret key: a signing key, the insecure placeholder's MAC key, or a
/// KEM decapsulation key. Secret material is zeroized when it is freed.
/// One handle may be used from several threads at once; free it once, with
/// `pqshift_secret_key_free`, after every other use has returned.
// A pointer to it points to a `Handle<Secret>`.
pub struct pqshift_secret_key {
    _opaque: [u8; 0],
}

/// A public key: a signature verifying key or a KEM encapsulation key.
/// One handle may be used from several threads at once; free it once, with
/// `pqshift_public_key_free`.
// A pointer to it points to a `Handle<Public>`.
pub struct pqshift_public_key {
    _opaque: [u8; 0],
}

pub(crate) enum Secret {
    Sig(SecretKey),
    Kem(DecapsulationKey),
}

pub(crate) enum Public {
    Sig(PublicKey),
    Kem(EncapsulationKey),
}

// ---------------------------------------------------------------------------
// Handle type tags
// ---------------------------------------------------------------------------
//
// Every handle C holds is a `Box<Handle<T>>`: a `#[repr(C)]` struct whose
// first field is the same `Header` (one u64 tag) for every handle type, so
// the tag can be read through a pointer of any handle type before the rest
// is trusted (ffi.rs does the reading). A live handle's tag names its type;
// `_free` swaps it to `FREED` (atomically: of two racing frees, one wins)
// before the memory goes back to the allocator, and a `_free` of the wrong
// type frees nothing. What this catches and what it cannot: SECURITY.md.

/// The tag of a live `pqshift_config`.
pub(crate) const MAGIC_CONFIG: u64 = 0x0211_5852_a175_60c2;
/// The tag of a live `pqshift_secret_key`.
pub(crate) const MAGIC_SECRET_KEY: u64 = 0xef7b_8dde_da65_5d55;
/// The tag of a live `pqshift_public_key`.
pub(crate) const MAGIC_PUBLIC_KEY: u64 = 0x7362_283d_6f28_8a5b;
/// The tag a handle gets when it is freed. The allocator may overwrite it
/// once the memory is released (glibc keeps its free-list links there): a
/// freed handle is then "not a live handle", still refused.
pub(crate) const MAGIC_FREED: u64 = 0xc3b4_8a56_fb0d_f52c;

/// The first field of every handle: its type tag.
#[repr(C)]
pub(crate) struct Header {
    magic: AtomicU64,
}

/// What C holds a pointer to: the tag, then the value.
#[repr(C)]
pub(crate) struct Handle<T> {
    header: Header,
    pub(crate) value: T,
}

/// A C handle type: its tag, its name in messages, and the value it holds.
pub(crate) trait HandleType {
    type Value;
    const MAGIC: u64;
    const NAME: &'static str;
}

impl HandleType for pqshift_config {
    type Value = Policy;
    const MAGIC: u64 = MAGIC_CONFIG;
    const NAME: &'static str = "pqshift_config";
}

impl HandleType for pqshift_secret_key {
    type Value = Secret;
    const MAGIC: u64 = MAGIC_SECRET_KEY;
    const NAME: &'static str = "pqshift_secret_key";
}

impl HandleType for pqshift_public_key {
    type Value = Public;
    const MAGIC: u64 = MAGIC_PUBLIC_KEY;
    const NAME: &'static str = "pqshift_public_key";
}

impl<T> Handle<T> {
    /// A live handle of type `H`.
    pub(crate) fn new<H: HandleType<Value = T>>(value: T) -> Self {
        Handle {
            header: Header {
                magic: AtomicU64::new(H::MAGIC),
            },
            value,
        }
    }
}

/// The name of the handle type a tag belongs to, if any.
fn tag_name(magic: u64) -> Option<&'static str> {
    match magic {
        MAGIC_CONFIG => Some(pqshift_config::NAME),
        MAGIC_SECRET_KEY => Some(pqshift_secret_key::NAME),
        MAGIC_PUBLIC_KEY => Some(pqshift_public_key::NAME),
        _ => None,
    }
}

/// Why a tag is not `H`'s live tag, for the argument named `what`.
fn tag_failure<H: HandleType>(magic: u64, what: &str) -> Failure {
    let want = H::NAME;
    Failure::invalid(match magic {
        MAGIC_FREED => format!("{what} is a handle that was already freed (want a live {want})"),
        m => match tag_name(m) {
            Some(other) => format!("{what} is a {other}, not a {want}"),
            None => {
                format!("{what} is not a live {want}: it was freed, or it was not made by pqshift")
            }
        },
    })
}

impl Header {
    /// Ok when this is a live handle of type `H`.
    pub(crate) fn check<H: HandleType>(&self, what: &str) -> FfiResult {
        match self.magic.load(Ordering::Acquire) {
            m if m == H::MAGIC => Ok(()),
            m => Err(tag_failure::<H>(m, what)),
        }
    }

    /// Marks a live handle of type `H` freed; only then may it be released.
    /// Of several calls on one handle, at most one succeeds.
    pub(crate) fn retire<H: HandleType>(&self, what: &str) -> FfiResult {
        self.magic
            .compare_exchange(H::MAGIC, MAGIC_FREED, Ordering::AcqRel, Ordering::Acquire)
            .map(drop)
            .map_err(|m| tag_failure::<H>(m, what))
    }
}

// Handles are shared between C threads: they must stay Send + Sync.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Handle<Policy>>();
    send_sync::<Handle<Secret>>();
    send_sync::<Handle<Public>>();
};

impl Secret {
    pub(crate) fn algorithm(&self) -> AlgorithmId {
        match self {
            Secret::Sig(k) => k.algorithm(),
            Secret::Kem(k) => k.algorithm(),
        }
    }
}

impl Public {
    pub(crate) fn algorithm(&self) -> AlgorithmId {
        match self {
            Public::Sig(k) => k.algorithm(),
            Public::Kem(k) => k.algorithm(),
        }
    }
}

/// Keeps every linked provider's registrations in a program linked against
/// the static library: the linker takes an archive member only when a symbol
/// in it is referenced, and `inventory` registrations are referenced by
/// nothing. `pqshift::linked_providers` names each provider crate; a
/// reference to it, kept opaque, reaches them from every entry point.
#[inline(never)]
pub(crate) fn keep_providers_linked() {
    std::hint::black_box(pqshift::linked_providers as fn() -> Vec<_>);
}

/// The policy a call runs under: the handle's, else the process-wide one
/// (installed, else `PQSHIFT_CONFIG`, else the built-in default).
pub(crate) fn policy(config: Option<&Policy>) -> FfiResult<&Policy> {
    match config {
        Some(c) => Ok(c),
        None => Ok(pqshift::active()?),
    }
}

pub(crate) fn config_load(path: Option<&Path>) -> FfiResult<Policy> {
    Ok(Policy::load(path)?)
}

pub(crate) fn config_from_toml(text: &str) -> FfiResult<Policy> {
    Ok(Policy::from_toml_str(text)?)
}

pub(crate) fn config_install(config: &Policy) -> FfiResult {
    Ok(pqshift::install(config.clone())?)
}

/// Canonical IDs of the algorithms some linked provider serves, comma-separated.
pub(crate) fn algorithms() -> String {
    AlgorithmId::ALL
        .iter()
        .filter(|a| !registry::providers_for(**a).is_empty())
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_flags(flags: u32, allowed: u32) -> FfiResult<(bool, bool)> {
    if flags & !allowed != 0 {
        return Err(Failure::invalid(format!(
            "unknown flag bits {:#x} for this function",
            flags & !allowed
        )));
    }
    Ok((
        flags & PQSHIFT_FLAG_DETERMINISTIC != 0,
        flags & PQSHIFT_FLAG_RAW != 0,
    ))
}

/// The provider the policy names for `alg`: [sign], then [kem], then [verify].
fn policy_provider(policy: &Policy, alg: AlgorithmId) -> Option<&'static str> {
    let s = policy.sign_choice();
    if s.algorithm == alg {
        return Some(s.provider);
    }
    if let Some(k) = policy.kem_choice().filter(|k| k.algorithm == alg) {
        return Some(k.provider);
    }
    policy.accepts(alg).ok().map(|c| c.provider)
}

fn insecure_refused(policy: &Policy, what: &str) -> Failure {
    Error::Policy(format!(
        "{what} is INSECURE, for tests only; it is refused unless the configuration ({}) sets [policy] allow_insecure = true",
        policy.source().label()
    ))
    .into()
}

/// Refuses the insecure placeholder (algorithm or provider) unless the policy allows it.
fn check_insecure(policy: &Policy, alg: AlgorithmId, provider: Option<&str>) -> FfiResult {
    if policy.allow_insecure() {
        return Ok(());
    }
    if alg.is_insecure() {
        return Err(insecure_refused(policy, alg.as_str()));
    }
    if let Some(p) = provider {
        if registry::find(alg, Some(p))?.provider().insecure {
            return Err(insecure_refused(policy, &format!("provider {p}")));
        }
    }
    Ok(())
}

/// A KEM operation on `alg`: with a [kem] section, only its algorithm.
fn check_kem(policy: &Policy, alg: AlgorithmId) -> FfiResult {
    match policy.kem_choice() {
        Some(k) if k.algorithm != alg => Err(Error::Policy(format!(
            "the configuration ({}) uses [kem] algorithm = \"{}\", not {alg}",
            policy.source().label(),
            k.algorithm
        ))
        .into()),
        _ => Ok(()),
    }
}

pub(crate) fn keygen(
    policy: &Policy,
    alg: Option<&str>,
    provider: Option<&str>,
    seed: Option<&[u8]>,
) -> FfiResult<Secret> {
    let alg = match alg {
        Some(a) => AlgorithmId::parse(a)?,
        None => policy.sign_choice().algorithm,
    };
    let provider = provider.or_else(|| policy_provider(policy, alg));
    let reg = registry::find(alg, provider)?;
    let provider = reg.provider().id;
    check_insecure(policy, alg, Some(provider))?;
    let inner = match (alg.kind(), seed) {
        (AlgorithmKind::Kem, Some(s)) => {
            Secret::Kem(DecapsulationKey::from_seed(alg, s, Some(provider))?)
        }
        (AlgorithmKind::Kem, None) => Secret::Kem(DecapsulationKey::generate(alg, Some(provider))?),
        (_, Some(s)) => Secret::Sig(SecretKey::from_seed(alg, s, Some(provider))?),
        (_, None) => Secret::Sig(SecretKey::generate(alg, Some(provider))?),
    };
    Ok(inner)
}

pub(crate) fn public_of(key: &Secret) -> FfiResult<Public> {
    let inner = match key {
        Secret::Sig(k) => Public::Sig(k.public_key()?),
        Secret::Kem(k) => Public::Kem(k.encapsulation_key()?),
    };
    Ok(inner)
}

fn signing_key(key: &Secret) -> FfiResult<&SecretKey> {
    match key {
        Secret::Sig(k) => Ok(k),
        Secret::Kem(k) => Err(Failure::invalid(format!(
            "{} is a KEM key: it cannot sign or verify",
            k.algorithm()
        ))),
    }
}

/// Signing keeps its own context check ahead of the policy: a context over
/// 255 bytes is PQSHIFT_ERR_INVALID_INPUT even for a key the configuration
/// does not sign with. (Verification leaves the check to the facade.)
fn check_context(context: &[u8]) -> FfiResult {
    if context.len() > PQSHIFT_MAX_CONTEXT_LEN {
        return Err(Failure::invalid(format!(
            "the context must be at most {PQSHIFT_MAX_CONTEXT_LEN} bytes long, got {} bytes",
            context.len()
        )));
    }
    Ok(())
}

pub(crate) fn sign(
    policy: &Policy,
    key: &Secret,
    message: &[u8],
    context: &[u8],
    flags: u32,
) -> FfiResult<Vec<u8>> {
    let (deterministic, raw) = parse_flags(flags, PQSHIFT_FLAG_DETERMINISTIC | PQSHIFT_FLAG_RAW)?;
    let key = signing_key(key)?;
    check_context(context)?;
    let mode = if deterministic {
        SignMode::Deterministic
    } else {
        SignMode::Hedged
    };
    let sig = policy.sign_with(key, message, context, mode)?;
    if raw {
        Ok(sig.as_raw().to_vec())
    } else {
        Ok(sig.to_bytes()?)
    }
}

fn signature(alg: AlgorithmId, bytes: &[u8], raw: bool) -> FfiResult<Signature> {
    Ok(if raw {
        Signature::from_raw(alg, bytes)?
    } else {
        Signature::decode(bytes)?
    })
}

pub(crate) fn verify(
    policy: &Policy,
    key: &Public,
    message: &[u8],
    context: &[u8],
    sig: &[u8],
    flags: u32,
) -> FfiResult {
    let (_, raw) = parse_flags(flags, PQSHIFT_FLAG_RAW)?;
    let key = match key {
        Public::Sig(k) => k,
        Public::Kem(k) => {
            return Err(Failure::invalid(format!(
                "{} is a KEM key: it cannot verify",
                k.algorithm()
            )))
        }
    };
    // The context length is the facade's to check, after [verify] accept,
    // so a refused algorithm is PQSHIFT_ERR_POLICY here as in the CLI.
    let sig = signature(key.algorithm(), sig, raw)?;
    Ok(policy.verify(key, message, context, &sig)?)
}

pub(crate) fn verify_with_secret(
    policy: &Policy,
    key: &Secret,
    message: &[u8],
    context: &[u8],
    sig: &[u8],
    flags: u32,
) -> FfiResult {
    let (_, raw) = parse_flags(flags, PQSHIFT_FLAG_RAW)?;
    let key = signing_key(key)?;
    let sig = signature(key.algorithm(), sig, raw)?;
    if key.is_mac() {
        Ok(policy.verify_with_secret(key, message, context, &sig)?)
    } else {
        Ok(policy.verify(&key.public_key()?, message, context, &sig)?)
    }
}

/// Returns (ciphertext, shared secret).
pub(crate) fn encapsulate(
    policy: &Policy,
    key: &Public,
    flags: u32,
) -> FfiResult<(Vec<u8>, pqshift::SecretBytes)> {
    let (_, raw) = parse_flags(flags, PQSHIFT_FLAG_RAW)?;
    let key = match key {
        Public::Kem(k) => k,
        Public::Sig(k) => {
            return Err(Failure::invalid(format!(
                "{} is a signature key, not a KEM encapsulation key",
                k.algorithm()
            )))
        }
    };
    check_kem(policy, key.algorithm())?;
    let (ct, ss) = key.encapsulate()?;
    let ct = if raw {
        ct.as_raw().to_vec()
    } else {
        ct.to_tagged()?.to_bytes().to_vec()
    };
    Ok((ct, ss))
}

pub(crate) fn decapsulate(
    policy: &Policy,
    key: &Secret,
    ciphertext: &[u8],
    flags: u32,
) -> FfiResult<pqshift::SecretBytes> {
    let (_, raw) = parse_flags(flags, PQSHIFT_FLAG_RAW)?;
    let key = match key {
        Secret::Kem(k) => k,
        Secret::Sig(k) => {
            return Err(Failure::invalid(format!(
                "{} is a signature key, not a KEM decapsulation key",
                k.algorithm()
            )))
        }
    };
    check_kem(policy, key.algorithm())?;
    let ct = if raw {
        Ciphertext::from_raw(key.algorithm(), ciphertext)?
    } else {
        Ciphertext::decode(ciphertext)?
    };
    Ok(key.decapsulate(&ct)?)
}

// ---------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------

/// The tagged text form (`pqshift1:...`), secret: zeroized on drop.
pub(crate) fn secret_to_tagged(key: &Secret) -> FfiResult<pqshift::SecretBytes> {
    let t = match key {
        Secret::Sig(k) => k.to_tagged()?,
        Secret::Kem(k) => k.to_tagged()?,
    };
    Ok(pqshift::SecretBytes::from_slice(t.to_text().as_bytes()))
}

/// PKCS#8 PEM, secret: zeroized on drop.
pub(crate) fn secret_to_pem(key: &Secret) -> FfiResult<pqshift::SecretBytes> {
    let pem = match key {
        Secret::Sig(k) => k.to_pkcs8_pem()?,
        Secret::Kem(k) => k.to_pkcs8_pem()?,
    };
    Ok(pqshift::SecretBytes::from_slice(pem.as_bytes()))
}

fn load_secret(
    policy: &Policy,
    alg: AlgorithmId,
    provider: Option<&str>,
    sig: impl FnOnce(Option<&str>) -> pqshift::Result<SecretKey>,
    kem: impl FnOnce(Option<&str>) -> pqshift::Result<DecapsulationKey>,
) -> FfiResult<Secret> {
    let provider = provider.or_else(|| policy_provider(policy, alg));
    check_insecure(policy, alg, provider)?;
    let inner = match alg.kind() {
        AlgorithmKind::Kem => Secret::Kem(kem(provider)?),
        _ => Secret::Sig(sig(provider)?),
    };
    Ok(inner)
}

pub(crate) fn secret_from_tagged(
    policy: &Policy,
    provider: Option<&str>,
    data: &[u8],
) -> FfiResult<Secret> {
    let t = Tagged::decode(data)?;
    load_secret(
        policy,
        t.algorithm(),
        provider,
        |p| SecretKey::from_tagged(&t, p),
        |p| DecapsulationKey::from_tagged(&t, p),
    )
}

pub(crate) fn secret_from_pem(
    policy: &Policy,
    provider: Option<&str>,
    data: &[u8],
) -> FfiResult<Secret> {
    let der = standard::parse_pem(PemLabel::PrivateKey, data)?;
    let (alg, _) = standard::parse_pkcs8_der(&der)?;
    load_secret(
        policy,
        alg,
        provider,
        |p| SecretKey::from_pkcs8_der(&der, p),
        |p| DecapsulationKey::from_pkcs8_der(&der, p),
    )
}

pub(crate) fn public_to_tagged(key: &Public) -> FfiResult<Vec<u8>> {
    let t = match key {
        Public::Sig(k) => k.to_tagged()?,
        Public::Kem(k) => k.to_tagged()?,
    };
    Ok(t.to_text().as_bytes().to_vec())
}

pub(crate) fn public_to_pem(key: &Public) -> FfiResult<Vec<u8>> {
    Ok(match key {
        Public::Sig(k) => k.to_pem()?,
        Public::Kem(k) => k.to_spki_pem()?,
    }
    .into_bytes())
}

pub(crate) fn public_to_raw(key: &Public) -> Vec<u8> {
    match key {
        Public::Sig(k) => k.as_raw().to_vec(),
        Public::Kem(k) => k.as_raw().to_vec(),
    }
}

pub(crate) fn public_from_raw(
    policy: &Policy,
    alg: &str,
    provider: Option<&str>,
    raw: &[u8],
) -> FfiResult<Public> {
    let alg = AlgorithmId::parse(alg)?;
    let provider = provider.or_else(|| policy_provider(policy, alg));
    let inner = match alg.kind() {
        AlgorithmKind::Kem => Public::Kem(EncapsulationKey::from_raw(alg, raw, provider)?),
        _ => Public::Sig(PublicKey::from_raw(alg, raw, provider)?),
    };
    Ok(inner)
}

pub(crate) fn public_from_tagged(
    policy: &Policy,
    provider: Option<&str>,
    data: &[u8],
) -> FfiResult<Public> {
    let t = Tagged::decode(data)?;
    let alg = t.algorithm();
    let provider = provider.or_else(|| policy_provider(policy, alg));
    let inner = match alg.kind() {
        AlgorithmKind::Kem => Public::Kem(EncapsulationKey::from_tagged(&t, provider)?),
        _ => Public::Sig(PublicKey::from_tagged(&t, provider)?),
    };
    Ok(inner)
}

pub(crate) fn public_from_pem(
    policy: &Policy,
    provider: Option<&str>,
    data: &[u8],
) -> FfiResult<Public> {
    let (alg, raw) = standard::parse_spki_pem(data)?;
    let provider = provider.or_else(|| policy_provider(policy, alg));
    let inner = match alg.kind() {
        AlgorithmKind::Kem => Public::Kem(EncapsulationKey::from_raw(alg, &raw, provider)?),
        _ => Public::Sig(PublicKey::from_raw(alg, &raw, provider)?),
    };
    Ok(inner)
}

// ---------------------------------------------------------------------------
// Hashing: the facade's pqshift::merkle
// ---------------------------------------------------------------------------

pub(crate) fn sha256(data: &[u8]) -> [u8; PQSHIFT_HASH_LEN] {
    pqshift::merkle::sha256(data)
}

pub(crate) fn merkle_root(leaves: &[&[u8]]) -> [u8; PQSHIFT_HASH_LEN] {
    pqshift::merkle::merkle_root(leaves)
}

/// The porting contract (`pqshift::contract`): `keygen(alg, n)`, the tagged
/// binary secret key (seed form).
pub(crate) fn contract_keygen(alg: &str, n: u64) -> FfiResult<Vec<u8>> {
    Ok(pqshift::contract::keygen(AlgorithmId::parse(alg)?, n)?)
}

/// The porting contract: `sign(key, payload)`, the tagged binary signature.
pub(crate) fn contract_sign(key: &[u8], payload: &[u8]) -> FfiResult<Vec<u8>> {
    Ok(pqshift::contract::sign(key, payload)?)
}

/// The porting contract: `verify(key, payload, sig)`; `false` is
/// `VerificationFailed`.
pub(crate) fn contract_verify(key: &[u8], payload: &[u8], sig: &[u8]) -> FfiResult {
    if pqshift::contract::verify(key, payload, sig)? {
        Ok(())
    } else {
        Err(Error::VerificationFailed.into())
    }
}

/// The canonical name of `alg` as a static NUL-terminated string.
pub(crate) fn alg_name(alg: AlgorithmId) -> *const std::ffi::c_char {
    static NAMES: std::sync::OnceLock<Vec<(AlgorithmId, std::ffi::CString)>> =
        std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        AlgorithmId::ALL
            .iter()
            .filter_map(|a| std::ffi::CString::new(a.as_str()).ok().map(|c| (*a, c)))
            .collect()
    });
    names
        .iter()
        .find(|(a, _)| *a == alg)
        .map_or(std::ptr::null(), |(_, c)| c.as_ptr())
}
