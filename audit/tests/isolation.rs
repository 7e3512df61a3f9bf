//! Provider isolation: on this workspace's real dependency graph (from
//! `cargo metadata --locked`), and on synthetic graphs that show the check
//! can fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_audit::isolation::{self, Violation};
use pqshift_audit::metadata::{EdgeKind, Metadata};
use serde_json::json;

/// A synthetic `cargo metadata` graph. `members` are workspace crates;
/// each edge is (from, to, kind) with kind `None` for normal.
fn graph(members: &[&str], registry: &[&str], edges: &[(&str, &str, Option<&str>)]) -> Metadata {
    let id = |n: &str| {
        if members.contains(&n) {
            format!("path+file:///ws/{n}#0.1.0")
        } else {
            format!("registry+https://github.com/rust-lang/crates.io-index#{n}@1.0.0")
        }
    };
    let packages: Vec<_> = members
        .iter()
        .chain(registry.iter())
        .map(|n| {
            json!({
                "id": id(n),
                "name": n,
                "version": if members.contains(n) { "0.1.0" } else { "1.0.0" },
                "source": if members.contains(n) { serde_json::Value::Null } else { json!("registry+https://github.com/rust-lang/crates.io-index") },
                "manifest_path": format!("/ws/{n}/Cargo.toml"),
            })
        })
        .collect();
    let nodes: Vec<_> = members
        .iter()
        .chain(registry.iter())
        .map(|n| {
            let deps: Vec<_> = edges
                .iter()
                .filter(|(from, _, _)| from == n)
                .map(|(_, to, kind)| json!({ "name": to, "pkg": id(to), "dep_kinds": [{ "kind": kind, "target": null }] }))
                .collect();
            json!({ "id": id(n), "deps": deps })
        })
        .collect();
    let text = json!({
        "packages": packages,
        "workspace_members": members.iter().map(|n| id(n)).collect::<Vec<_>>(),
        "workspace_root": "/ws",
        "resolve": { "nodes": nodes, "root": null },
        "version": 1,
    })
    .to_string();
    Metadata::from_json(&text).unwrap()
}

const MEMBERS: &[&str] = &[
    "pqshift-provider-api",
    "pqshift",
    "pqshift-test-support",
    "pqshift-provider-dalek",
    "pqshift-provider-liboqs",
    "pqshift-cli",
];
const REGISTRY: &[&str] = &["ed25519-dalek", "oqs", "oqs-sys", "cmake", "helper"];

fn clean_edges() -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    vec![
        ("pqshift", "pqshift-provider-api", None),
        ("pqshift", "pqshift-provider-dalek", None),
        ("pqshift", "pqshift-provider-liboqs", None),
        ("pqshift-cli", "pqshift", None),
        ("pqshift-provider-dalek", "pqshift-provider-api", None),
        ("pqshift-provider-dalek", "ed25519-dalek", None),
        (
            "pqshift-provider-dalek",
            "pqshift-test-support",
            Some("dev"),
        ),
        ("pqshift-provider-liboqs", "pqshift-provider-api", None),
        ("pqshift-provider-liboqs", "oqs", None),
        ("oqs", "oqs-sys", None),
        ("oqs-sys", "cmake", Some("build")),
    ]
}

#[test]
fn a_clean_graph_has_no_violations() {
    let m = graph(MEMBERS, REGISTRY, &clean_edges());
    assert_eq!(
        isolation::provider_crates(&m),
        ["pqshift-provider-dalek", "pqshift-provider-liboqs"]
    );
    assert_eq!(isolation::check(&m), Vec::<Violation>::new());
}

#[test]
fn a_provider_depending_on_another_provider_is_a_violation() {
    let mut edges = clean_edges();
    edges.push(("pqshift-provider-dalek", "pqshift-provider-liboqs", None));
    let m = graph(MEMBERS, REGISTRY, &edges);
    let v = isolation::check(&m);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].provider_crate, "pqshift-provider-dalek");
    assert_eq!(v[0].depends_on, "pqshift-provider-liboqs");
    assert_eq!(v[0].role, "provider crate");
    assert_eq!(v[0].via, EdgeKind::Normal);
}

#[test]
fn a_provider_depending_on_the_facade_through_a_registry_crate_is_a_violation() {
    // Transitive: dalek -> helper -> pqshift (-> every provider).
    let mut edges = clean_edges();
    edges.push(("pqshift-provider-dalek", "helper", None));
    edges.push(("helper", "pqshift", None));
    let m = graph(MEMBERS, REGISTRY, &edges);
    let v = isolation::violations_of(&m, "pqshift-provider-dalek");
    let facade = v.iter().find(|v| v.depends_on == "pqshift").unwrap();
    assert_eq!(facade.role, "the facade");
    assert_eq!(
        facade.path,
        ["pqshift-provider-dalek", "helper", "pqshift"],
        "the path names every hop"
    );
    // Through the facade it reaches the other provider too.
    assert!(v.iter().any(|v| v.depends_on == "pqshift-provider-liboqs"));
}

#[test]
fn build_and_dev_dependencies_count_too() {
    let mut edges = clean_edges();
    edges.push((
        "pqshift-provider-liboqs",
        "pqshift-provider-dalek",
        Some("build"),
    ));
    edges.push(("pqshift-provider-dalek", "pqshift", Some("dev")));
    let m = graph(MEMBERS, REGISTRY, &edges);
    let v = isolation::check(&m);
    assert!(v
        .iter()
        .any(|v| v.provider_crate == "pqshift-provider-liboqs"
            && v.depends_on == "pqshift-provider-dalek"
            && v.via == EdgeKind::Build));
    assert!(v
        .iter()
        .any(|v| v.provider_crate == "pqshift-provider-dalek"
            && v.depends_on == "pqshift"
            && v.via == EdgeKind::Dev));
}

#[test]
fn test_support_is_allowed_only_as_a_dev_dependency() {
    let mut edges = clean_edges();
    edges.push(("pqshift-provider-liboqs", "pqshift-test-support", None));
    let m = graph(MEMBERS, REGISTRY, &edges);
    let v = isolation::check(&m);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].depends_on, "pqshift-test-support");
    assert_eq!(v[0].role, "workspace crate");
}

#[test]
fn runtime_closure_follows_normal_edges_only() {
    let m = graph(MEMBERS, REGISTRY, &clean_edges());
    let liboqs = m.member("pqshift-provider-liboqs").unwrap().id.clone();
    let names: Vec<String> = m
        .runtime_closure(&liboqs)
        .into_iter()
        .map(|p| p.name)
        .collect();
    // cmake is a build dependency of oqs-sys: not in the runtime tree.
    assert_eq!(names, ["oqs", "oqs-sys", "pqshift-provider-api"]);
}

#[test]
fn vendored_library_is_read_from_version_metadata() {
    let text = json!({
        "packages": [{ "id": "x", "name": "oqs-sys", "version": "0.11.0+liboqs-0.13.0", "manifest_path": "/x/Cargo.toml" }],
        "workspace_members": [], "workspace_root": "/", "resolve": { "nodes": [] },
    })
    .to_string();
    let m = Metadata::from_json(&text).unwrap();
    assert_eq!(
        m.packages[0].vendored_library(),
        Some(("liboqs".to_string(), "0.13.0".to_string()))
    );
}

#[test]
fn metadata_without_a_resolved_graph_is_refused() {
    let text =
        json!({ "packages": [], "workspace_members": [], "workspace_root": "/" }).to_string();
    let e = Metadata::from_json(&text).unwrap_err();
    assert!(
        e.to_string().contains("no resolved dependency graph"),
        "{e}"
    );
    assert!(Metadata::from_json("not json").is_err());
}

/// The guard: this workspace's provider crates depend on no other provider
/// crate, not on the facade, and on no other workspace crate.
#[test]
fn this_workspace_keeps_its_providers_isolated() {
    let root = pqshift_test_support::project_root();
    let m = Metadata::load(Some(&root.join("Cargo.toml"))).unwrap();
    let providers = isolation::provider_crates(&m);
    for expected in [
        "pqshift-provider-placeholder",
        "pqshift-provider-dalek",
        "pqshift-provider-liboqs",
        "pqshift-provider-pqclean",
        "pqshift-provider-rustcrypto",
    ] {
        assert!(
            providers.iter().any(|p| p == expected),
            "{expected} missing from {providers:?}"
        );
    }
    let violations = isolation::check(&m);
    assert!(
        violations.is_empty(),
        "provider isolation violated:\n{}",
        violations
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn a_missing_workspace_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Metadata::load(Some(&dir.path().join("Cargo.toml"))).unwrap_err();
    assert!(
        e.to_string().contains("needs the pqshift source tree"),
        "{e}"
    );
}
