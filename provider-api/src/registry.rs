//! Registry plumbing: providers submit a [`Registration`] with `inventory`;
//! linking the crate is all it takes.

use std::sync::OnceLock;

use crate::{
    AlgorithmId, AlgorithmKind, Capabilities, Error, KemScheme, MacScheme, ProviderInfo, Result,
    Scheme, SignatureScheme,
};

/// One (algorithm, provider) implementation.
#[derive(Clone, Copy)]
pub enum Implementation {
    /// A signature scheme.
    Signature(&'static dyn SignatureScheme),
    /// A KEM.
    Kem(&'static dyn KemScheme),
    /// A MAC.
    Mac(&'static dyn MacScheme),
}

impl Implementation {
    fn scheme(&self) -> &'static dyn Scheme {
        match *self {
            Implementation::Signature(s) => s,
            Implementation::Kem(s) => s,
            Implementation::Mac(s) => s,
        }
    }
}

impl std::fmt::Debug for Implementation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.scheme();
        write!(f, "{}/{}", s.algorithm(), s.provider().id)
    }
}

/// What a provider crate submits, once per algorithm it serves:
///
/// ```text
/// pqshift_provider_api::register!(Implementation::Signature(&MY_SCHEME));
/// ```
pub struct Registration {
    implementation: Implementation,
    // A reference to a static, not an inline `OnceLock`: `inventory::submit!`
    // places the registration behind `&{ .. }` in a static, and Rust refuses a
    // reference to a temporary with interior mutability there (E0492).
    admission: &'static OnceLock<Result<()>>,
}

inventory::collect!(Registration);

impl Registration {
    /// A registration for `implementation`, not yet admitted; the self-test
    /// result will be kept in `admission`. Use [`register!`](crate::register!),
    /// which makes that static for you.
    pub const fn new(
        implementation: Implementation,
        admission: &'static OnceLock<Result<()>>,
    ) -> Self {
        Registration {
            implementation,
            admission,
        }
    }

    /// The algorithm served.
    pub fn algorithm(&self) -> AlgorithmId {
        self.implementation.scheme().algorithm()
    }

    /// The provider serving it.
    pub fn provider(&self) -> &'static ProviderInfo {
        self.implementation.scheme().provider()
    }

    /// Its optional operations.
    pub fn capabilities(&self) -> Capabilities {
        self.implementation.scheme().capabilities()
    }

    /// The implementation, without admission. Prefer [`Registration::admitted`].
    pub fn implementation(&self) -> Implementation {
        self.implementation
    }

    /// Runs the known-answer self-test once (the result is kept) and returns it.
    pub fn admit(&self) -> Result<()> {
        self.admission
            .get_or_init(|| {
                let scheme = self.implementation.scheme();
                if scheme.algorithm().kind() != kind_of(&self.implementation) {
                    return Err(Error::Provider(format!(
                        "provider {} registered {} under the wrong kind",
                        scheme.provider().id,
                        scheme.algorithm()
                    )));
                }
                // A panicking self-test must not take the process down. The
                // negative known answers run here for every signature scheme,
                // whatever the provider's own self-test covers: a verifier
                // that accepts one is refused (no-op for non-ML-DSA).
                let run = || {
                    scheme.self_test()?;
                    match self.implementation {
                        Implementation::Signature(s) => crate::kat::mldsa_negative::check(s),
                        _ => Ok(()),
                    }
                };
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(Error::Provider(format!(
                        "provider {} failed its self-test for {}: {e}",
                        scheme.provider().id,
                        scheme.algorithm()
                    ))),
                    Err(_) => Err(Error::Provider(format!(
                        "provider {} panicked in its self-test for {}",
                        scheme.provider().id,
                        scheme.algorithm()
                    ))),
                }
            })
            .clone()
    }

    /// The implementation variant serving this algorithm (see [`Scheme::variant`]).
    pub fn variant(&self) -> crate::Variant {
        self.implementation.scheme().variant()
    }

    /// What admission checks, one line per set: the provider's own
    /// [`Scheme::self_test_sets`], then the negative known answers the
    /// registry feeds every signature scheme (no duplicates). Evidence for a
    /// passed self-test, not a claim of its own.
    pub fn evidence(&self) -> Vec<String> {
        let mut sets = self.implementation.scheme().self_test_sets();
        if let Implementation::Signature(_) = self.implementation {
            for n in crate::kat::mldsa_negative::set_names(self.algorithm()) {
                if !sets.contains(&n) {
                    sets.push(n);
                }
            }
        }
        sets
    }

    /// The self-test result if it has run.
    pub fn self_test_result(&self) -> Option<&Result<()>> {
        self.admission.get()
    }

    /// The implementation after a passed self-test; a provider that failed is refused.
    pub fn admitted(&self) -> Result<Implementation> {
        self.admit()?;
        Ok(self.implementation)
    }
}

fn kind_of(i: &Implementation) -> AlgorithmKind {
    match i {
        Implementation::Signature(_) => AlgorithmKind::Signature,
        Implementation::Kem(_) => AlgorithmKind::Kem,
        Implementation::Mac(_) => AlgorithmKind::Mac,
    }
}

/// Registers an implementation with the process-wide registry.
#[macro_export]
macro_rules! register {
    ($implementation:expr) => {
        const _: () = {
            static ADMISSION: ::std::sync::OnceLock<$crate::Result<()>> =
                ::std::sync::OnceLock::new();
            $crate::inventory::submit! {
                $crate::Registration::new($implementation, &ADMISSION)
            }
        };
    };
}

/// Every linked registration, sorted by algorithm, then preference, then provider ID.
pub fn registrations() -> Vec<&'static Registration> {
    let mut all: Vec<&'static Registration> = inventory::iter::<Registration>.into_iter().collect();
    all.sort_by(|a, b| {
        (a.algorithm(), a.provider().preference, a.provider().id).cmp(&(
            b.algorithm(),
            b.provider().preference,
            b.provider().id,
        ))
    });
    all
}

/// The registrations serving `alg`, preferred first.
pub fn providers_for(alg: AlgorithmId) -> Vec<&'static Registration> {
    registrations()
        .into_iter()
        .filter(|r| r.algorithm() == alg)
        .collect()
}

/// Finds the registration for `alg` served by `provider` (or the preferred one).
/// Does not run the self-test; see [`Registration::admitted`].
pub fn find(alg: AlgorithmId, provider: Option<&str>) -> Result<&'static Registration> {
    let candidates = providers_for(alg);
    if candidates.is_empty() {
        return Err(Error::Unsupported(format!(
            "no linked provider serves {alg}"
        )));
    }
    match provider {
        None => candidates
            .first()
            .copied()
            .ok_or_else(|| Error::Internal("candidate list emptied".into())),
        Some(p) => candidates
            .iter()
            .copied()
            .find(|r| r.provider().id == p)
            .ok_or_else(|| {
                let ids: Vec<&str> = candidates.iter().map(|r| r.provider().id).collect();
                Error::Unsupported(format!(
                    "provider {p:?} does not serve {alg}; it is served by: {}",
                    ids.join(", ")
                ))
            }),
    }
}
