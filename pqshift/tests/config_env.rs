//! `PQSHIFT_CONFIG` is honoured when no explicit path is given (own process:
//! it changes the environment).

use std::io::Write;

use pqshift::{AlgorithmId, ConfigSource, ErrorKind, Policy};

#[test]
fn env_then_default() {
    let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    f.write_all(
        b"[sign]\nalgorithm = \"insecure-test-hmac-sha256\"\n[policy]\nallow_insecure = true\n",
    )
    .unwrap();
    std::env::set_var(pqshift::CONFIG_ENV, f.path());
    let p = Policy::load(None).unwrap();
    assert_eq!(p.source(), &ConfigSource::Env(f.path().to_path_buf()));
    assert_eq!(
        p.sign_choice().algorithm,
        AlgorithmId::InsecureTestHmacSha256
    );

    // An explicit path wins over the environment.
    let mut g = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    g.write_all(b"[sign]\nalgorithm = \"ed25519\"\n").unwrap();
    let p = Policy::load(Some(g.path())).unwrap();
    assert_eq!(p.sign_choice().algorithm, AlgorithmId::Ed25519);

    // A PQSHIFT_CONFIG naming a missing file fails closed; it never falls back.
    std::env::set_var(pqshift::CONFIG_ENV, "/nonexistent/pqshift.toml");
    let e = Policy::load(None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("PQSHIFT_CONFIG"), "{e}");

    std::env::remove_var(pqshift::CONFIG_ENV);
    assert_eq!(Policy::load(None).unwrap().source(), &ConfigSource::Default);
}
