//! Verification by two independent providers: which two, and what each says.
//!
//! One backend bug must not be enough to call an invalid signature valid.
//! Where a stored signature's validity decides something that cannot be
//! undone — the migration re-signs every old signature that verifies —
//! the old signature is verified by two providers of its algorithm, and
//! only a signature both call valid counts as valid. Which two is policy,
//! so it is decided here, once, for every front end:
//!
//! - the first is the one asked for, else the preferred provider of the
//!   algorithm that passes its self-test;
//! - the second is the one asked for, else the next provider of the
//!   algorithm by preference order (then provider ID) that is another
//!   provider, passes its self-test, and is not insecure (unless insecure
//!   providers are allowed);
//! - when no second provider serves the algorithm (Ed25519: only `dalek`;
//!   the placeholder MAC), verification is single and the plan says why.
//!
//! ```
//! use pqshift::{crosscheck, AlgorithmId, SecretKey};
//! use pqshift::crosscheck::{CrossVerifier, VerifierMode, VerifierRequest};
//!
//! let plan = crosscheck::old_signature_verifiers(
//!     AlgorithmId::Ed25519,
//!     &VerifierRequest::new(VerifierMode::Dual),
//! )?;
//! // Only one provider serves Ed25519: the plan is single and says so.
//! assert_eq!(plan.mode(), VerifierMode::Single);
//! assert!(plan.note.is_some());
//!
//! let key = SecretKey::from_seed(AlgorithmId::Ed25519, &[7u8; 32], None)?;
//! let sig = key.sign(b"stored record", b"")?;
//! let check = CrossVerifier::load(&plan, key.public_key()?.as_raw());
//! let verdicts = check.verify_by_each(b"stored record", b"", &sig);
//! assert!(crosscheck::combine(&verdicts).is_valid());
//! # Ok::<(), pqshift::Error>(())
//! ```

use std::fmt;

use pqshift_provider_api::{registry, AlgorithmId, AlgorithmKind, Registration};

use crate::keys::{PublicKey, Signature};
use crate::policy::{Choice, Policy};
use crate::{Error, Result};

/// How many providers verify a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum VerifierMode {
    /// Two independent providers, where the algorithm has two (the default).
    #[default]
    Dual,
    /// One provider.
    Single,
}

impl VerifierMode {
    /// The stable name: `dual` or `single`.
    pub const fn as_str(self) -> &'static str {
        match self {
            VerifierMode::Dual => "dual",
            VerifierMode::Single => "single",
        }
    }

    /// Parses `dual` or `single`.
    pub fn parse(text: &str) -> Result<VerifierMode> {
        match text {
            "dual" => Ok(VerifierMode::Dual),
            "single" => Ok(VerifierMode::Single),
            other => Err(Error::invalid(format!(
                "verification mode {other:?}: expected \"dual\" or \"single\""
            ))),
        }
    }
}

impl fmt::Display for VerifierMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a caller asks of [`old_signature_verifiers`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifierRequest {
    /// Dual (default) or single.
    pub mode: VerifierMode,
    /// The first provider; default: the preferred admitted one.
    pub first: Option<String>,
    /// The second provider (dual only); default: the next admitted one by preference.
    pub second: Option<String>,
    /// Whether an insecure provider may verify.
    pub allow_insecure: bool,
}

impl VerifierRequest {
    /// A request for `mode` with the default providers, insecure ones refused.
    pub fn new(mode: VerifierMode) -> Self {
        VerifierRequest {
            mode,
            ..VerifierRequest::default()
        }
    }
}

/// Which providers verify signatures of one algorithm.
#[derive(Debug, Clone)]
pub struct VerifierPlan {
    /// The algorithm.
    pub algorithm: AlgorithmId,
    /// The mode asked for.
    pub requested: VerifierMode,
    /// The providers, first one first: one or two, each admitted.
    pub providers: Vec<Choice>,
    /// Why the plan is single although dual was asked for, or why it is single at all.
    pub note: Option<String>,
}

impl VerifierPlan {
    /// The mode used: dual when two providers verify.
    pub fn mode(&self) -> VerifierMode {
        if self.providers.len() >= 2 {
            VerifierMode::Dual
        } else {
            VerifierMode::Single
        }
    }

    /// The provider IDs, first one first.
    pub fn provider_ids(&self) -> Vec<&'static str> {
        self.providers.iter().map(|c| c.provider).collect()
    }
}

fn insecure(alg: AlgorithmId, reg: &Registration) -> bool {
    alg.is_insecure() || reg.provider().insecure
}

/// A named provider for `alg`, admitted, refused when insecure and not allowed.
fn named(alg: AlgorithmId, id: &str, allow_insecure: bool) -> Result<&'static Registration> {
    let reg = registry::find(alg, Some(id))?;
    if insecure(alg, reg) && !allow_insecure {
        return Err(Error::Policy(format!(
            "provider {id} ({alg}) is INSECURE, for tests only; it may verify only when insecure \
             providers are allowed"
        )));
    }
    reg.admit()?;
    Ok(reg)
}

/// Chooses the providers that verify old signatures of `alg` (see the module docs).
///
/// Errors: a provider asked for that does not serve `alg`, failed its
/// self-test, or is insecure when that is not allowed; a second provider
/// asked for in single mode, or equal to the first; no admitted provider at all.
pub fn old_signature_verifiers(alg: AlgorithmId, req: &VerifierRequest) -> Result<VerifierPlan> {
    if alg.kind() == AlgorithmKind::Kem {
        return Err(Error::invalid(format!(
            "{alg} is a KEM: it has no signatures to verify"
        )));
    }
    if req.mode == VerifierMode::Single && req.second.is_some() {
        return Err(Error::invalid(format!(
            "a second verifier for {alg} was named, but the verification mode is single"
        )));
    }
    let candidates = registry::providers_for(alg);
    let first = match &req.first {
        Some(id) => named(alg, id, req.allow_insecure)?,
        None => {
            let mut refused = Vec::new();
            let mut found = None;
            for reg in &candidates {
                if insecure(alg, reg) && !req.allow_insecure {
                    refused.push(format!("{} (insecure)", reg.provider().id));
                } else if let Err(e) = reg.admit() {
                    refused.push(format!("{} ({e})", reg.provider().id));
                } else {
                    found = Some(*reg);
                    break;
                }
            }
            found.ok_or_else(|| {
                Error::Policy(format!(
                    "no admitted provider can verify {alg}{}",
                    if refused.is_empty() {
                        String::new()
                    } else {
                        format!(": refused {}", refused.join(", "))
                    }
                ))
            })?
        }
    };
    let choice = |reg: &Registration| Choice {
        algorithm: alg,
        provider: reg.provider().id,
    };
    let mut providers = vec![choice(first)];
    if req.mode == VerifierMode::Single {
        return Ok(VerifierPlan {
            algorithm: alg,
            requested: req.mode,
            providers,
            note: Some(format!(
                "single verification was asked for: only {} verifies {alg}",
                first.provider().id
            )),
        });
    }
    let second = match &req.second {
        Some(id) => {
            if id == first.provider().id {
                return Err(Error::Policy(format!(
                    "{id} is also the first verifier of {alg}: the second must be another, \
                     independent provider"
                )));
            }
            Some(named(alg, id, req.allow_insecure)?)
        }
        None => candidates.iter().copied().find(|reg| {
            reg.provider().id != first.provider().id
                && (req.allow_insecure || !insecure(alg, reg))
                && reg.admit().is_ok()
        }),
    };
    let note = match second {
        Some(reg) => {
            providers.push(choice(reg));
            None
        }
        None => {
            let others: Vec<&str> = candidates
                .iter()
                .map(|r| r.provider().id)
                .filter(|id| *id != first.provider().id)
                .collect();
            Some(if others.is_empty() {
                format!(
                    "only {} serves {alg}: single verification",
                    first.provider().id
                )
            } else {
                format!(
                    "no other admitted, secure provider serves {alg} (not usable: {}): single \
                     verification by {}",
                    others.join(", "),
                    first.provider().id
                )
            })
        }
    };
    Ok(VerifierPlan {
        algorithm: alg,
        requested: req.mode,
        providers,
        note,
    })
}

impl Policy {
    /// The providers that verify old signatures of `alg` under this
    /// configuration: first the `[verify]` provider of `alg` when the
    /// configuration accepts it (else the preferred one), second the
    /// `[shadow]` provider when it serves `alg` and differs from the first
    /// (else the next one by preference); insecure ones only with
    /// `allow_insecure`. See [`old_signature_verifiers`].
    pub fn old_signature_verifiers(&self, alg: AlgorithmId) -> Result<Vec<Choice>> {
        let first = self.accepts(alg).ok().map(|c| c.provider.to_string());
        let second = self
            .shadow()
            .filter(|s| registry::find(alg, Some(s)).is_ok() && Some(*s) != first.as_deref())
            .map(str::to_string);
        let req = VerifierRequest {
            mode: VerifierMode::Dual,
            first,
            second,
            allow_insecure: self.allow_insecure(),
        };
        Ok(old_signature_verifiers(alg, &req)?.providers)
    }
}

/// One provider's verdict on one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The provider ID.
    pub provider: &'static str,
    /// `Ok(())` for valid; the error it gave otherwise.
    pub result: Result<()>,
}

impl Verdict {
    /// `valid`, or the error text.
    pub fn text(&self) -> String {
        match &self.result {
            Ok(()) => "valid".into(),
            Err(e) => e.to_string(),
        }
    }
}

/// What a set of verdicts adds up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Combined {
    /// Every provider said valid.
    Valid,
    /// Every provider rejected it; the first provider's error.
    Invalid(Error),
    /// Some said valid, some did not: the signature must not be trusted.
    Disagree,
}

impl Combined {
    /// True only when every provider said valid.
    pub fn is_valid(&self) -> bool {
        matches!(self, Combined::Valid)
    }
}

/// Combines verdicts: valid only when all are valid (and there is at least one).
pub fn combine(verdicts: &[Verdict]) -> Combined {
    let valid = verdicts.iter().filter(|v| v.result.is_ok()).count();
    match verdicts.iter().find_map(|v| v.result.clone().err()) {
        None if valid > 0 => Combined::Valid,
        None => Combined::Invalid(Error::Internal("no provider gave a verdict".into())),
        Some(e) if valid == 0 => Combined::Invalid(e),
        Some(_) => Combined::Disagree,
    }
}

/// A public key loaded once by each provider of a [`VerifierPlan`].
///
/// A provider that cannot load the key keeps its error, which becomes its
/// verdict on every signature: one provider's refusal of a key is a
/// disagreement when another accepts it, never a reason to skip the check.
#[derive(Debug)]
pub struct CrossVerifier {
    algorithm: AlgorithmId,
    keys: Vec<(&'static str, Result<PublicKey>)>,
}

impl CrossVerifier {
    /// Loads the standard public-key bytes `public_key` with every provider of `plan`.
    pub fn load(plan: &VerifierPlan, public_key: &[u8]) -> CrossVerifier {
        CrossVerifier {
            algorithm: plan.algorithm,
            keys: plan
                .providers
                .iter()
                .map(|c| {
                    (
                        c.provider,
                        PublicKey::from_raw(plan.algorithm, public_key, Some(c.provider)),
                    )
                })
                .collect(),
        }
    }

    /// The algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// Each provider's verdict on `signature`, in the plan's order.
    pub fn verify_by_each(
        &self,
        message: &[u8],
        context: &[u8],
        signature: &Signature,
    ) -> Vec<Verdict> {
        verify_by_each(&self.keys, message, context, signature)
    }
}

/// Each key's verdict on `signature`, in order: `keys` pairs a provider ID
/// with the public key that provider loaded (or the error it gave loading it).
pub fn verify_by_each(
    keys: &[(&'static str, Result<PublicKey>)],
    message: &[u8],
    context: &[u8],
    signature: &Signature,
) -> Vec<Verdict> {
    keys.iter()
        .map(|(provider, key)| Verdict {
            provider,
            result: match key {
                Ok(k) => k.verify(message, context, signature),
                Err(e) => Err(e.clone()),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(provider: &'static str, result: Result<()>) -> Verdict {
        Verdict { provider, result }
    }

    #[test]
    fn combine_needs_every_verdict_valid() {
        assert_eq!(combine(&[v("a", Ok(()))]), Combined::Valid);
        assert_eq!(combine(&[v("a", Ok(())), v("b", Ok(()))]), Combined::Valid);
        assert_eq!(
            combine(&[v("a", Err(Error::VerificationFailed)), v("b", Ok(()))]),
            Combined::Disagree
        );
        assert_eq!(
            combine(&[v("a", Ok(())), v("b", Err(Error::invalid("x")))]),
            Combined::Disagree
        );
        assert_eq!(
            combine(&[
                v("a", Err(Error::VerificationFailed)),
                v("b", Err(Error::invalid("x")))
            ]),
            Combined::Invalid(Error::VerificationFailed)
        );
        assert!(!combine(&[]).is_valid());
    }

    #[test]
    fn a_configuration_chooses_its_verifier_then_its_shadow() {
        let ids = |p: &Policy, alg| -> Vec<&'static str> {
            p.old_signature_verifiers(alg)
                .unwrap()
                .iter()
                .map(|c| c.provider)
                .collect()
        };
        let p = Policy::from_toml_str(
            r#"
            [sign]
            algorithm = "ml-dsa-44"
            provider = "liboqs"
            [verify]
            accept = ["ml-dsa-44", "ed25519"]
            [verify.providers]
            ml-dsa-44 = "pqclean"
            [shadow]
            provider = "rustcrypto"
            "#,
        )
        .unwrap();
        assert_eq!(ids(&p, AlgorithmId::MlDsa44), ["pqclean", "rustcrypto"]);
        // The shadow does not serve Ed25519, and nothing else does: single.
        assert_eq!(ids(&p, AlgorithmId::Ed25519), ["dalek"]);
        // Not accepted: the preferred provider first, the shadow second.
        assert_eq!(ids(&p, AlgorithmId::MlDsa65)[1], "rustcrypto");
    }

    #[test]
    fn mode_names_round_trip() {
        for m in [VerifierMode::Dual, VerifierMode::Single] {
            assert_eq!(VerifierMode::parse(m.as_str()), Ok(m));
        }
        assert!(VerifierMode::parse("both").is_err());
    }
}
