//! The resolved, validated configuration: what signs, what verifies.

use std::path::Path;
use std::sync::OnceLock;

use pqshift_provider_api::{registry, AlgorithmId, AlgorithmKind, Registration, SignMode};

use crate::config::{ConfigFile, ConfigSource, SelfTest};
use crate::keys::{PublicKey, SecretKey, Signature};
use crate::{Error, Result};

/// One (algorithm, provider) choice made by the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    /// The algorithm.
    pub algorithm: AlgorithmId,
    /// The provider ID serving it.
    pub provider: &'static str,
}

/// A loaded configuration that passed every check.
#[derive(Debug, Clone)]
pub struct Policy {
    source: ConfigSource,
    file: ConfigFile,
    sign: Choice,
    accept: Vec<Choice>,
    kem: Option<Choice>,
    shadow: Option<&'static str>,
    allow_insecure: bool,
    self_test: SelfTest,
}

impl Policy {
    /// Loads the configuration: `explicit`, then `PQSHIFT_CONFIG`, then the built-in default.
    pub fn load(explicit: Option<&Path>) -> Result<Policy> {
        let source = ConfigSource::locate(explicit);
        let text = source.read()?;
        Self::from_toml_with_source(&text, source)
    }

    /// Loads a configuration file.
    pub fn from_file(path: &Path) -> Result<Policy> {
        Self::load(Some(path))
    }

    /// The built-in default (Ed25519).
    pub fn builtin_default() -> Result<Policy> {
        Self::from_toml_with_source(crate::config::DEFAULT_CONFIG, ConfigSource::Default)
    }

    /// Parses and validates TOML text.
    pub fn from_toml_str(text: &str) -> Result<Policy> {
        Self::from_toml_with_source(text, ConfigSource::Inline)
    }

    fn from_toml_with_source(text: &str, source: ConfigSource) -> Result<Policy> {
        let file = ConfigFile::parse(text, &source)?;
        let at = |key: &str, e: Error| -> Error {
            let msg = format!("configuration {}: {key}: ", source.label());
            match e {
                Error::InvalidInput(m) => Error::InvalidInput(msg + &m),
                Error::Unsupported(m) => Error::Unsupported(msg + &m),
                Error::Policy(m) => Error::Policy(msg + &m),
                Error::Provider(m) => Error::Provider(msg + &m),
                Error::Internal(m) => Error::Internal(msg + &m),
                other => other,
            }
        };
        let allow_insecure = file.policy.allow_insecure;
        let self_test = file.policy.self_test;

        let choose = |key: &str,
                      alg_text: &str,
                      provider: Option<&str>,
                      want: &[AlgorithmKind]|
         -> Result<(Choice, &'static Registration)> {
            let alg = AlgorithmId::parse(alg_text).map_err(|e| at(key, e))?;
            if !want.contains(&alg.kind()) {
                let names: Vec<&str> = want.iter().map(|k| k.as_str()).collect();
                return Err(at(
                    key,
                    Error::invalid(format!(
                        "{alg} is a {} algorithm; this key needs a {} algorithm",
                        alg.kind(),
                        names.join(" or ")
                    )),
                ));
            }
            let reg = registry::find(alg, provider).map_err(|e| at(key, e))?;
            if (alg.is_insecure() || reg.provider().insecure) && !allow_insecure {
                return Err(at(
                    key,
                    Error::Policy(format!(
                        "{alg} (provider {}) is INSECURE, for tests only; it is refused unless [policy] allow_insecure = true",
                        reg.provider().id
                    )),
                ));
            }
            if self_test == SelfTest::OnLoad {
                reg.admit().map_err(|e| at(key, e))?;
            }
            Ok((
                Choice {
                    algorithm: alg,
                    provider: reg.provider().id,
                },
                reg,
            ))
        };

        let sig_kinds = [AlgorithmKind::Signature, AlgorithmKind::Mac];
        let (sign, _) = choose(
            "[sign] algorithm",
            &file.sign.algorithm,
            file.sign.provider.as_deref(),
            &sig_kinds,
        )?;

        let accept_texts: Vec<String> = match &file.verify.accept {
            Some(list) => list.clone(),
            None => vec![sign.algorithm.as_str().to_string()],
        };
        if accept_texts.is_empty() {
            return Err(at(
                "[verify] accept",
                Error::invalid("the list is empty: nothing could ever verify"),
            ));
        }
        let mut per_alg: Vec<(AlgorithmId, &str)> = Vec::new();
        for (alg_text, provider) in &file.verify.providers {
            let alg = AlgorithmId::parse(alg_text).map_err(|e| at("[verify.providers]", e))?;
            per_alg.push((alg, provider.as_str()));
        }
        let mut accept: Vec<Choice> = Vec::new();
        for t in &accept_texts {
            let parsed = AlgorithmId::parse(t).ok();
            let provider = per_alg
                .iter()
                .find(|(a, _)| Some(*a) == parsed)
                .map(|(_, p)| *p)
                .or(file.verify.provider.as_deref());
            let (c, _) = choose("[verify] accept", t, provider, &sig_kinds)?;
            if accept.iter().any(|a| a.algorithm == c.algorithm) {
                return Err(at(
                    "[verify] accept",
                    Error::invalid(format!("{} is listed twice", c.algorithm)),
                ));
            }
            accept.push(c);
        }
        if let Some((alg, _)) = per_alg
            .iter()
            .find(|(a, _)| !accept.iter().any(|c| c.algorithm == *a))
        {
            return Err(at(
                "[verify.providers]",
                Error::invalid(format!("names {alg}, which [verify] accept does not list")),
            ));
        }
        if !accept.iter().any(|a| a.algorithm == sign.algorithm) {
            return Err(at(
                "[verify] accept",
                Error::Policy(format!(
                    "does not list the signing algorithm {}: new signatures would not verify",
                    sign.algorithm
                )),
            ));
        }

        let kem = match &file.kem {
            Some(k) => Some(
                choose(
                    "[kem] algorithm",
                    &k.algorithm,
                    k.provider.as_deref(),
                    &[AlgorithmKind::Kem],
                )?
                .0,
            ),
            None => None,
        };

        let shadow = match &file.shadow {
            None => None,
            Some(s) => {
                let reg = registry::find(sign.algorithm, Some(&s.provider))
                    .map_err(|e| at("[shadow] provider", e))?;
                if reg.provider().id == sign.provider {
                    return Err(at(
                        "[shadow] provider",
                        Error::Policy(format!(
                            "{} is also the signing provider: a shadow must be a second, independent provider",
                            s.provider
                        )),
                    ));
                }
                if reg.provider().insecure && !allow_insecure {
                    return Err(at(
                        "[shadow] provider",
                        Error::Policy(format!("{} is INSECURE", s.provider)),
                    ));
                }
                if self_test == SelfTest::OnLoad {
                    reg.admit().map_err(|e| at("[shadow] provider", e))?;
                }
                Some(reg.provider().id)
            }
        };

        Ok(Policy {
            source,
            file,
            sign,
            accept,
            kem,
            shadow,
            allow_insecure,
            self_test,
        })
    }

    /// Where this configuration came from.
    pub fn source(&self) -> &ConfigSource {
        &self.source
    }

    /// The configuration as written.
    pub fn file(&self) -> &ConfigFile {
        &self.file
    }

    /// What new signatures use.
    pub fn sign_choice(&self) -> Choice {
        self.sign
    }

    /// What verification accepts.
    pub fn accepted(&self) -> &[Choice] {
        &self.accept
    }

    /// The KEM, when configured.
    pub fn kem_choice(&self) -> Option<Choice> {
        self.kem
    }

    /// The shadow provider, when configured.
    pub fn shadow(&self) -> Option<&'static str> {
        self.shadow
    }

    /// The provider the configuration file itself names for `alg` (`[sign]
    /// provider`, `[kem] provider`, `[verify.providers]` or `[verify]
    /// provider`), or `None` when it names none and the facade picks the
    /// preferred provider per operation (a key loaded that way may have a
    /// deterministic signature made by the preferred provider that offers
    /// it, see [`signing_registration`](crate::signing_registration)).
    pub fn named_provider(&self, alg: AlgorithmId) -> Option<&'static str> {
        if self.sign.algorithm == alg {
            return self
                .file
                .sign
                .provider
                .is_some()
                .then_some(self.sign.provider);
        }
        if let (Some(k), Some(section)) = (self.kem, &self.file.kem) {
            if k.algorithm == alg {
                return section.provider.is_some().then_some(k.provider);
            }
        }
        let choice = self.accepts(alg).ok()?;
        let named = self.file.verify.provider.is_some()
            || self
                .file
                .verify
                .providers
                .keys()
                .any(|a| AlgorithmId::parse(a).ok() == Some(alg));
        named.then_some(choice.provider)
    }

    /// Whether insecure algorithms are allowed.
    pub fn allow_insecure(&self) -> bool {
        self.allow_insecure
    }

    /// When self-tests run.
    pub fn self_test(&self) -> SelfTest {
        self.self_test
    }

    /// The accepted choice for `alg`, or a policy error.
    pub fn accepts(&self, alg: AlgorithmId) -> Result<Choice> {
        self.accept
            .iter()
            .copied()
            .find(|c| c.algorithm == alg)
            .ok_or_else(|| {
                let list: Vec<&str> = self.accept.iter().map(|c| c.algorithm.as_str()).collect();
                Error::Policy(format!(
                    "{alg} is not accepted by the configuration ({}); [verify] accept = [{}]",
                    self.source.label(),
                    list.join(", ")
                ))
            })
    }

    fn check_insecure(&self, alg: AlgorithmId) -> Result<()> {
        if alg.is_insecure() && !self.allow_insecure {
            return Err(Error::Policy(format!(
                "{alg} is INSECURE and [policy] allow_insecure is false"
            )));
        }
        Ok(())
    }

    /// A signing key of the configured algorithm and provider, from its seed.
    pub fn signing_key_from_seed(&self, seed: &[u8]) -> Result<SecretKey> {
        SecretKey::from_seed(self.sign.algorithm, seed, Some(self.sign.provider))
    }

    /// The porting plan's `keygen(seed: int)` under the configured algorithm.
    pub fn signing_key_from_u64(&self, n: u64) -> Result<SecretKey> {
        SecretKey::from_u64(self.sign.algorithm, n, Some(self.sign.provider))
    }

    /// A fresh signing key of the configured algorithm and provider.
    pub fn generate_signing_key(&self) -> Result<SecretKey> {
        SecretKey::generate(self.sign.algorithm, Some(self.sign.provider))
    }

    /// Signs under the policy: the key must be of the configured signing
    /// algorithm; with a shadow provider, the new signature is re-verified by it.
    pub fn sign(&self, key: &SecretKey, message: &[u8], context: &[u8]) -> Result<Signature> {
        self.sign_with(key, message, context, SignMode::Hedged)
    }

    /// [`Policy::sign`] with an explicit mode.
    pub fn sign_with(
        &self,
        key: &SecretKey,
        message: &[u8],
        context: &[u8],
        mode: SignMode,
    ) -> Result<Signature> {
        if key.algorithm() != self.sign.algorithm {
            return Err(Error::Policy(format!(
                "the configuration ({}) signs with {}, not {}",
                self.source.label(),
                self.sign.algorithm,
                key.algorithm()
            )));
        }
        self.check_insecure(key.algorithm())?;
        // Under a policy the configuration decides: a [sign] provider named
        // in the file must make every signature itself; without one, a
        // deterministic signature may come from the preferred provider that
        // offers it (see `signing_registration`), whoever loaded the key.
        let may_delegate = self.file.sign.provider.is_none();
        let sig = key.sign_delegating(message, context, mode, may_delegate)?;
        if let Some(shadow) = self.shadow {
            let pk = key.public_key()?;
            let pk = PublicKey::from_raw(pk.algorithm(), pk.as_raw(), Some(shadow))?;
            pk.verify(message, context, &sig).map_err(|e| {
                Error::Provider(format!(
                    "shadow provider {shadow} rejected a fresh {} signature from {}: {e}",
                    sig.algorithm(),
                    key.provider().id
                ))
            })?;
        }
        Ok(sig)
    }

    /// Verifies under the policy: the algorithm must be accepted; the
    /// configured provider verifies, and a shadow provider must agree.
    pub fn verify(
        &self,
        key: &PublicKey,
        message: &[u8],
        context: &[u8],
        signature: &Signature,
    ) -> Result<()> {
        let choice = self.accepts(signature.algorithm())?;
        if key.algorithm() != signature.algorithm() {
            return Err(Error::invalid(format!(
                "algorithm mismatch: a {} key cannot verify a {} signature",
                key.algorithm(),
                signature.algorithm()
            )));
        }
        let pk = if key.provider().id == choice.provider {
            None
        } else {
            Some(PublicKey::from_raw(
                key.algorithm(),
                key.as_raw(),
                Some(choice.provider),
            )?)
        };
        let primary = pk
            .as_ref()
            .unwrap_or(key)
            .verify(message, context, signature);
        if let Some(shadow) = self.shadow_for(signature.algorithm()) {
            let spk = PublicKey::from_raw(key.algorithm(), key.as_raw(), Some(shadow))?;
            let second = spk.verify(message, context, signature);
            if primary.is_ok() != second.is_ok() {
                return Err(Error::Provider(format!(
                    "providers disagree on a {} signature: {} says {}, shadow {shadow} says {}",
                    signature.algorithm(),
                    choice.provider,
                    verdict(&primary),
                    verdict(&second)
                )));
            }
        }
        primary
    }

    /// Verifies a MAC tag (the placeholder) under the policy.
    pub fn verify_with_secret(
        &self,
        key: &SecretKey,
        message: &[u8],
        context: &[u8],
        signature: &Signature,
    ) -> Result<()> {
        self.accepts(signature.algorithm())?;
        self.check_insecure(signature.algorithm())?;
        key.verify(message, context, signature)
    }

    fn shadow_for(&self, alg: AlgorithmId) -> Option<&'static str> {
        let s = self.shadow?;
        (registry::find(alg, Some(s)).is_ok()).then_some(s)
    }
}

fn verdict(r: &Result<()>) -> String {
    match r {
        Ok(()) => "valid".into(),
        Err(e) => e.to_string(),
    }
}

static ACTIVE: OnceLock<Policy> = OnceLock::new();

/// Installs the process-wide policy. At most once: a second call is an error.
pub fn install(policy: Policy) -> Result<()> {
    ACTIVE
        .set(policy)
        .map_err(|_| Error::Policy("a process-wide configuration is already installed".into()))
}

/// The process-wide policy; on first use loads `PQSHIFT_CONFIG` or the default.
pub fn active() -> Result<&'static Policy> {
    if let Some(p) = ACTIVE.get() {
        return Ok(p);
    }
    let p = Policy::load(None)?;
    Ok(ACTIVE.get_or_init(|| p))
}
