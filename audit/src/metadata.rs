//! The dependency graph, from `cargo metadata --format-version 1`.
//!
//! Only the fields the audit reads are parsed; everything else in cargo's
//! output is ignored, so a newer cargo adding fields does not break it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::AuditError;

/// `cargo metadata` output: the packages and the resolved graph.
#[derive(Debug, Clone, Deserialize)]
pub struct Metadata {
    /// Every package in the resolved graph.
    pub packages: Vec<Package>,
    /// The resolved graph (absent with `--no-deps`, which the audit never uses).
    #[serde(default)]
    pub resolve: Option<Resolve>,
    /// The workspace root directory.
    #[serde(default)]
    pub workspace_root: String,
    /// Package IDs of the workspace members.
    #[serde(default)]
    pub workspace_members: Vec<String>,
}

/// One package.
#[derive(Debug, Clone, Deserialize)]
pub struct Package {
    /// Opaque package ID (the key of the graph).
    pub id: String,
    /// Crate name.
    pub name: String,
    /// Version (may carry build metadata: `0.11.0+liboqs-0.13.0`).
    pub version: String,
    /// `registry+https://...`, `git+...`, or none for a path package.
    #[serde(default)]
    pub source: Option<String>,
    /// SPDX licence expression, when declared.
    #[serde(default)]
    pub license: Option<String>,
    /// Path of its Cargo.toml.
    #[serde(default)]
    pub manifest_path: String,
}

/// The resolved graph.
#[derive(Debug, Clone, Deserialize)]
pub struct Resolve {
    /// One node per package.
    pub nodes: Vec<Node>,
}

/// One package's resolved dependencies.
#[derive(Debug, Clone, Deserialize)]
pub struct Node {
    /// The package ID.
    pub id: String,
    /// Its dependencies, with their kinds.
    #[serde(default)]
    pub deps: Vec<NodeDep>,
}

/// One edge.
#[derive(Debug, Clone, Deserialize)]
pub struct NodeDep {
    /// The package ID depended on.
    pub pkg: String,
    /// How: normal, build and/or dev (possibly per target).
    #[serde(default)]
    pub dep_kinds: Vec<DepKind>,
}

/// The kind of one edge.
#[derive(Debug, Clone, Deserialize)]
pub struct DepKind {
    /// `None` for a normal dependency, `"build"` or `"dev"`.
    #[serde(default)]
    pub kind: Option<String>,
}

/// Which edges to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// `[dependencies]`.
    Normal,
    /// `[build-dependencies]`.
    Build,
    /// `[dev-dependencies]`.
    Dev,
}

impl EdgeKind {
    /// `normal`, `build` or `dev`.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Normal => "normal",
            EdgeKind::Build => "build",
            EdgeKind::Dev => "dev",
        }
    }
}

impl NodeDep {
    /// The kinds of this edge.
    pub fn kinds(&self) -> BTreeSet<EdgeKind> {
        if self.dep_kinds.is_empty() {
            // Cargo before 1.41 gave no kinds; treat as normal.
            return BTreeSet::from([EdgeKind::Normal]);
        }
        self.dep_kinds
            .iter()
            .map(|k| match k.kind.as_deref() {
                Some("build") => EdgeKind::Build,
                Some("dev") => EdgeKind::Dev,
                _ => EdgeKind::Normal,
            })
            .collect()
    }
}

/// A package as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct PackageRef {
    /// Crate name.
    pub name: String,
    /// Version.
    pub version: String,
    /// `crates.io`, `path` or the raw source string.
    pub source: String,
}

impl Metadata {
    /// Parses `cargo metadata --format-version 1` output.
    pub fn from_json(text: &str) -> Result<Metadata, AuditError> {
        let m: Metadata = serde_json::from_str(text)
            .map_err(|e| AuditError::new(format!("cannot parse cargo metadata output: {e}")))?;
        if m.resolve.is_none() {
            return Err(AuditError::new(
                "cargo metadata output has no resolved dependency graph (was --no-deps used?)",
            ));
        }
        Ok(m)
    }

    /// Runs `cargo metadata --format-version 1 --locked` for the workspace
    /// of `manifest_path` (else the one around the current directory).
    ///
    /// Fails with a message that says what to do when there is no source
    /// tree (the audit reads the providers' sources and the lock file).
    pub fn load(manifest_path: Option<&Path>) -> Result<Metadata, AuditError> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(&cargo);
        cmd.args(["metadata", "--format-version", "1", "--locked"]);
        if let Some(p) = manifest_path {
            cmd.arg("--manifest-path").arg(p);
        }
        let out = cmd.output().map_err(|e| {
            AuditError::new(format!(
                "pqshift audit needs cargo and the pqshift source tree: cannot run `{} metadata`: {e}",
                PathBuf::from(&cargo).display()
            ))
        })?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let last = stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(3)
                .collect::<Vec<_>>()
                .join(" | ");
            return Err(AuditError::new(format!(
                "pqshift audit needs the pqshift source tree (run it inside the checkout, or pass --manifest-path PATH/Cargo.toml): `cargo metadata --locked` failed: {last}"
            )));
        }
        let text = String::from_utf8(out.stdout)
            .map_err(|_| AuditError::new("cargo metadata printed invalid UTF-8"))?;
        Metadata::from_json(&text)
    }

    /// The package with this ID.
    pub fn package(&self, id: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.id == id)
    }

    /// The workspace member named `name`.
    pub fn member(&self, name: &str) -> Option<&Package> {
        self.packages
            .iter()
            .find(|p| p.name == name && self.workspace_members.contains(&p.id))
    }

    fn nodes(&self) -> BTreeMap<&str, &Node> {
        self.resolve
            .iter()
            .flat_map(|r| r.nodes.iter())
            .map(|n| (n.id.as_str(), n))
            .collect()
    }

    /// The direct dependencies of `id` over edges of the given kinds.
    pub fn direct(&self, id: &str, kinds: &[EdgeKind]) -> Vec<&Package> {
        let nodes = self.nodes();
        let mut out: Vec<&Package> = nodes
            .get(id)
            .map(|n| {
                n.deps
                    .iter()
                    .filter(|d| d.kinds().iter().any(|k| kinds.contains(k)))
                    .filter_map(|d| self.package(&d.pkg))
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }

    /// Every package reachable from `id`: the first hop over `first`
    /// edges, every later hop over `then` edges. Each with one shortest
    /// path from `id` (package names, `id`'s own first).
    pub fn reachable(
        &self,
        id: &str,
        first: &[EdgeKind],
        then: &[EdgeKind],
    ) -> Vec<(&Package, Vec<String>)> {
        let nodes = self.nodes();
        let name_of = |pid: &str| {
            self.package(pid)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| pid.to_string())
        };
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut queue: VecDeque<(String, Vec<String>)> = VecDeque::new();
        queue.push_back((id.to_string(), vec![name_of(id)]));
        while let Some((cur, path)) = queue.pop_front() {
            let kinds = if cur == id { first } else { then };
            let Some(node) = nodes.get(cur.as_str()) else {
                continue;
            };
            for d in &node.deps {
                if !d.kinds().iter().any(|k| kinds.contains(k)) {
                    continue;
                }
                if d.pkg == id || seen.contains_key(&d.pkg) {
                    continue;
                }
                let mut p = path.clone();
                p.push(name_of(&d.pkg));
                seen.insert(d.pkg.clone(), p.clone());
                queue.push_back((d.pkg.clone(), p));
            }
        }
        let mut out: Vec<(&Package, Vec<String>)> = seen
            .into_iter()
            .filter_map(|(pid, path)| self.package(&pid).map(|p| (p, path)))
            .collect();
        out.sort_by(|a, b| (&a.0.name, &a.0.version).cmp(&(&b.0.name, &b.0.version)));
        out
    }

    /// The transitive normal (runtime) dependencies of `id`.
    pub fn runtime_closure(&self, id: &str) -> Vec<PackageRef> {
        self.reachable(id, &[EdgeKind::Normal], &[EdgeKind::Normal])
            .into_iter()
            .map(|(p, _)| p.to_ref())
            .collect()
    }
}

impl Package {
    /// The short form used in reports.
    pub fn to_ref(&self) -> PackageRef {
        PackageRef {
            name: self.name.clone(),
            version: self.version.clone(),
            source: source_label(self.source.as_deref()),
        }
    }

    /// The directory holding its Cargo.toml.
    pub fn dir(&self) -> Option<&Path> {
        Path::new(&self.manifest_path).parent()
    }

    /// A vendored native library named in a `-sys` crate's version build
    /// metadata: oqs-sys `0.11.0+liboqs-0.13.0` gives `("liboqs", "0.13.0")`.
    /// (Other crates use build metadata for other things: wasip2's
    /// `+wasi-0.2.12` names the WASI spec it implements.)
    pub fn vendored_library(&self) -> Option<(String, String)> {
        if !self.name.ends_with("-sys") {
            return None;
        }
        let (_, meta) = self.version.split_once('+')?;
        let (name, version) = meta.rsplit_once('-')?;
        if name.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        Some((name.to_string(), version.to_string()))
    }
}

/// `crates.io` for the default registry, `path` for local packages.
pub fn source_label(source: Option<&str>) -> String {
    match source {
        None => "path".into(),
        Some("registry+https://github.com/rust-lang/crates.io-index")
        | Some("sparse+https://index.crates.io/") => "crates.io".into(),
        Some(other) => other.to_string(),
    }
}
