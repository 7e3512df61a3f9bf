//! The unsafe scanner on fixture text and on the real provider crates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use pqshift_audit::unsafe_scan::{scan_crate, scan_source, summarize, UnsafeKind};

const FIXTURE: &str = include_str!("fixtures/unsafe_sample.rs.txt");

#[test]
fn finds_every_kind_and_skips_comments_and_literals() {
    let (sites, attrs) = scan_source("src/lib.rs", FIXTURE);
    let got: Vec<(usize, UnsafeKind)> = sites.iter().map(|s| (s.line, s.kind)).collect();
    assert_eq!(
        got,
        [
            (15, UnsafeKind::Fn),
            (16, UnsafeKind::Block),
            (18, UnsafeKind::Impl),
            (19, UnsafeKind::Trait),
            (20, UnsafeKind::FnPointerType),
            (21, UnsafeKind::ExternBlock),
            (24, UnsafeKind::Attribute),
            (26, UnsafeKind::Fn),
        ]
    );
    let levels: Vec<(usize, &str, bool)> = attrs
        .iter()
        .map(|a| (a.line, a.level.as_str(), a.inner))
        .collect();
    assert_eq!(levels, [(2, "deny", true), (13, "allow", false)]);
}

#[test]
fn crate_level_and_allowances_are_summarized() {
    let (sites, attrs) = scan_source("src/lib.rs", FIXTURE);
    let r = summarize(sites, attrs, 1);
    assert_eq!(r.crate_level, "deny");
    assert!(!r.forbid_unsafe_code);
    assert_eq!(r.count, 8);
    assert_eq!(r.allowed_in.len(), 1);
    assert_eq!(r.allowed_in[0].line, 13);

    let (s, a) = scan_source("src/lib.rs", "#![forbid(unsafe_code)]\nfn f() {}\n");
    let r = summarize(s, a, 1);
    assert!(r.forbid_unsafe_code);
    assert_eq!(r.count, 0);

    let (s, a) = scan_source("src/lib.rs", "fn f() {}\n");
    assert_eq!(summarize(s, a, 1).crate_level, "none");
}

#[test]
fn line_numbers_survive_multiline_literals() {
    let src = "let s = \"a\nb\nc\";\nlet t = r\"x\ny\";\n/* one\ntwo */\nunsafe { }\n";
    let (sites, _) = scan_source("f.rs", src);
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].line, 8);
}

#[test]
fn the_real_providers() {
    let root = pqshift_test_support::project_root();
    for p in ["placeholder", "ed25519", "pqclean", "rustcrypto"] {
        let r = scan_crate(&root.join("providers").join(p)).unwrap();
        assert!(
            r.forbid_unsafe_code,
            "{p}: expected #![forbid(unsafe_code)]"
        );
        assert_eq!(r.count, 0, "{p}: {:?}", r.sites);
    }
    // liboqs: unsafe only at the FFI edge, src/ffi.rs, which allows it under a crate-level deny.
    let r = scan_crate(&root.join("providers/liboqs")).unwrap();
    assert_eq!(r.crate_level, "deny");
    assert!(r.count > 0);
    assert!(
        r.sites.iter().all(|s| s.file == "src/ffi.rs"),
        "{:?}",
        r.sites
    );
    assert!(r.allowed_in.iter().all(|a| a.file == "src/ffi.rs"));
}
