//! Provider isolation: a provider crate depends on `pqshift-provider-api`
//! and its backend, never on another provider crate, the facade or any
//! other crate of this workspace.

use crate::metadata::{EdgeKind, Metadata};

/// The crate every provider implements.
pub const PROVIDER_API: &str = "pqshift-provider-api";
/// The facade.
pub const FACADE: &str = "pqshift";
/// Test helpers: allowed as a dev-dependency only.
pub const TEST_SUPPORT: &str = "pqshift-test-support";
/// Provider crates are named `pqshift-provider-<provider id>`.
pub const PROVIDER_PREFIX: &str = "pqshift-provider-";

/// The crate that implements provider `id`.
pub fn provider_crate(id: &str) -> String {
    format!("{PROVIDER_PREFIX}{id}")
}

/// True for a provider crate's name (not the API crate).
pub fn is_provider_crate(name: &str) -> bool {
    name.starts_with(PROVIDER_PREFIX) && name != PROVIDER_API
}

/// One forbidden dependency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// The provider crate.
    pub provider_crate: String,
    /// The workspace crate it reaches.
    pub depends_on: String,
    /// `provider crate`, `facade` or `workspace crate`.
    pub role: &'static str,
    /// How the first hop is declared: `normal`, `build` or `dev`.
    pub via: EdgeKind,
    /// One dependency path, from the provider crate to `depends_on`.
    pub path: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} depends on {} {} ({} dependency; path: {})",
            self.provider_crate,
            self.role,
            self.depends_on,
            self.via.as_str(),
            self.path.join(" -> ")
        )
    }
}

fn role(name: &str) -> &'static str {
    if name == FACADE {
        "the facade"
    } else if is_provider_crate(name) {
        "provider crate"
    } else {
        "workspace crate"
    }
}

/// The isolation violations of one provider crate (by name). Follows
/// normal and build dependencies transitively, and the crate's own
/// dev-dependencies (then their normal and build dependencies): a test
/// that links another provider would blur what is being tested too.
pub fn violations_of(meta: &Metadata, provider: &str) -> Vec<Violation> {
    let Some(pkg) = meta.member(provider) else {
        return Vec::new();
    };
    let members: Vec<&str> = meta
        .packages
        .iter()
        .filter(|p| meta.workspace_members.contains(&p.id))
        .map(|p| p.id.as_str())
        .collect();
    let runtime = [EdgeKind::Normal, EdgeKind::Build];
    let mut out = Vec::new();
    for (first, via) in [
        (&runtime[..], EdgeKind::Normal),
        (&[EdgeKind::Dev][..], EdgeKind::Dev),
    ] {
        for (dep, path) in meta.reachable(&pkg.id, first, &runtime) {
            if !members.contains(&dep.id.as_str()) || dep.name == PROVIDER_API {
                continue;
            }
            if dep.name == TEST_SUPPORT && via == EdgeKind::Dev {
                continue;
            }
            // Name the declared kind of the first hop precisely.
            let via = if via == EdgeKind::Normal {
                first_hop_kind(meta, &pkg.id, path.get(1).map(String::as_str))
            } else {
                via
            };
            out.push(Violation {
                provider_crate: pkg.name.clone(),
                depends_on: dep.name.clone(),
                role: role(&dep.name),
                via,
                path,
            });
        }
    }
    out.sort_by(|a, b| (&a.depends_on, a.via).cmp(&(&b.depends_on, b.via)));
    out.dedup_by(|a, b| a.depends_on == b.depends_on && a.via == b.via);
    out
}

fn first_hop_kind(meta: &Metadata, from: &str, to_name: Option<&str>) -> EdgeKind {
    let normal = meta.direct(from, &[EdgeKind::Normal]);
    match to_name {
        Some(n) if normal.iter().any(|p| p.name == n) => EdgeKind::Normal,
        _ => EdgeKind::Build,
    }
}

/// Every provider crate in the workspace, by name.
pub fn provider_crates(meta: &Metadata) -> Vec<String> {
    let mut v: Vec<String> = meta
        .packages
        .iter()
        .filter(|p| meta.workspace_members.contains(&p.id) && is_provider_crate(&p.name))
        .map(|p| p.name.clone())
        .collect();
    v.sort();
    v
}

/// The isolation violations of every provider crate in the workspace.
pub fn check(meta: &Metadata) -> Vec<Violation> {
    provider_crates(meta)
        .iter()
        .flat_map(|c| violations_of(meta, c))
        .collect()
}
