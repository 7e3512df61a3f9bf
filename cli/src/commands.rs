//! The commands. Each returns what to exit with; every failure is a [`CliError`].

use std::path::Path;

use pqshift::standard::{self, KeyFormat as FileFormat, PemLabel};
use pqshift::{
    registry, AlgorithmId, AlgorithmKind, Ciphertext, DecapsulationKey, EncapsulationKey,
    ErrorKind, ObjectKind, Policy, PublicKey, SecretBytes, SecretKey, SignMode, Signature, Tagged,
};
use serde_json::json;

use crate::args::{
    DecapsArgs, DoctorArgs, EncapsArgs, Format, KeyFormat, KeygenArgs, ProvidersArgs, PubFormat,
    PubkeyArgs, SignArgs, VerifyArgs,
};
use crate::io::{
    check_writable, context, note, parse_hex, println, pub_path, read_file, read_input, stdout,
    write_file, CliError, CliResult, Overwrite,
};

/// How a successful run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// `verify`: the signature does not verify. Exit 1.
    InvalidSignature,
    /// `migrate`: some record was not migrated (already reported). Exit 1.
    Incomplete,
    /// `audit`: high-severity findings (already reported). Exit 1.
    HighFindings,
}

fn load_policy(config: Option<&Path>) -> CliResult<Policy> {
    Ok(Policy::load(config)?)
}

fn overwrite(force: bool) -> Overwrite {
    if force {
        Overwrite::Force
    } else {
        Overwrite::Refuse
    }
}

fn json_text(v: &impl serde::Serialize) -> CliResult<String> {
    serde_json::to_string_pretty(v)
        .map_err(|e| CliError::new(format!("internal error: cannot serialize JSON: {e}")))
}

fn caps_words(c: &pqshift::Capabilities) -> String {
    let words: Vec<&str> = [
        (c.seeded_keygen, "seeded-keygen"),
        (c.deterministic_sign, "deterministic-sign"),
        (c.hedged_sign, "hedged-sign"),
        (c.context, "context"),
        (c.derandomized_encaps, "derandomized-encaps"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, w)| *w)
    .collect();
    if words.is_empty() {
        "-".into()
    } else {
        words.join(",")
    }
}

/// `avx2 (compiled: ref,avx2)`: the variant in use, and the others built in.
pub(crate) fn variant_words(v: &pqshift::Variant) -> String {
    if v.compiled.len() <= 1 {
        v.active.to_string()
    } else {
        format!("{} (compiled: {})", v.active, v.compiled.join(","))
    }
}

fn self_test_word(s: &str) -> &str {
    if s == "passed" {
        "passed"
    } else {
        "FAILED"
    }
}

/// `pqshift providers`.
pub fn providers(args: &ProvidersArgs) -> CliResult<Outcome> {
    let list = pqshift::providers();
    if args.json {
        println(&json_text(&list)?)?;
        return Ok(Outcome::Ok);
    }
    if list.is_empty() {
        println("no providers are linked into this build")?;
        return Ok(Outcome::Ok);
    }
    let header = [
        "ALGORITHM",
        "KIND",
        "PROVIDER",
        "STATUS",
        "SELF-TEST",
        "PREFERRED",
        "BACKEND",
        "VARIANT",
        "CAPABILITIES",
    ];
    let mut rows: Vec<[String; 9]> = vec![header.map(str::to_string)];
    let mut failures = Vec::new();
    for p in &list {
        rows.push([
            p.algorithm.as_str().to_string(),
            p.kind.as_str().to_string(),
            p.provider.to_string(),
            p.status.to_string(),
            self_test_word(&p.self_test).to_string(),
            if p.preferred { "yes" } else { "no" }.to_string(),
            format!("{} {}", p.backend, p.backend_version),
            variant_words(&p.variant),
            caps_words(&p.capabilities),
        ]);
        if p.self_test != "passed" {
            failures.push(format!("{} / {}: {}", p.algorithm, p.provider, p.self_test));
        }
    }
    let mut widths = [0usize; 9];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in r.iter().zip(widths.iter()).enumerate() {
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    for f in failures {
        out.push_str(&format!("self-test {f}\n"));
    }
    stdout(out.as_bytes())?;
    Ok(Outcome::Ok)
}

fn source_json(policy: &Policy) -> serde_json::Value {
    let s = policy.source();
    let kind = match s {
        pqshift::ConfigSource::Explicit(_) => "--config",
        pqshift::ConfigSource::Env(_) => pqshift::CONFIG_ENV,
        pqshift::ConfigSource::Default => "built-in default",
        pqshift::ConfigSource::Inline => "inline",
    };
    json!({
        "source": kind,
        "path": s.path().map(|p| p.display().to_string()),
        "description": s.to_string(),
    })
}

fn choice_json(c: pqshift::Choice) -> serde_json::Value {
    json!({ "algorithm": c.algorithm.as_str(), "provider": c.provider })
}

/// `pqshift doctor`.
pub fn doctor(config: Option<&Path>, args: &DoctorArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let statuses = pqshift::providers();

    // Who serves each known algorithm: the configuration's choice, else the preferred provider.
    let mut used: Vec<pqshift::Choice> = vec![policy.sign_choice()];
    used.extend(policy.accepted().iter().copied());
    used.extend(policy.kem_choice());
    let served: Vec<(AlgorithmId, Option<&'static str>, Vec<&'static str>)> = AlgorithmId::ALL
        .iter()
        .map(|&alg| {
            let all: Vec<&'static str> = registry::providers_for(alg)
                .iter()
                .map(|r| r.provider().id)
                .collect();
            let chosen = used
                .iter()
                .find(|c| c.algorithm == alg)
                .map(|c| c.provider)
                .or_else(|| all.first().copied());
            (alg, chosen, all)
        })
        .collect();

    // A provider the configuration uses that failed its self-test makes the doctor fail.
    let mut broken: Vec<String> = Vec::new();
    for s in &statuses {
        let in_use = used
            .iter()
            .any(|c| c.algorithm == s.algorithm && c.provider == s.provider)
            || policy.shadow() == Some(s.provider) && s.algorithm == policy.sign_choice().algorithm;
        if in_use && s.self_test != "passed" {
            broken.push(format!("{} / {}: {}", s.algorithm, s.provider, s.self_test));
        }
    }

    if args.json {
        let algorithms: Vec<serde_json::Value> = served
            .iter()
            .map(|(alg, chosen, all)| {
                json!({
                    "algorithm": alg.as_str(),
                    "kind": alg.kind().as_str(),
                    "served_by": chosen,
                    "providers": all,
                })
            })
            .collect();
        let v = json!({
            "pqshift_version": pqshift::VERSION,
            "config": source_json(&policy),
            "sign": choice_json(policy.sign_choice()),
            "verify": { "accept": policy.accepted().iter().map(|c| choice_json(*c)).collect::<Vec<_>>() },
            "kem": policy.kem_choice().map(choice_json),
            "shadow": policy.shadow(),
            "allow_insecure": policy.allow_insecure(),
            "self_test": policy.self_test(),
            "algorithms": algorithms,
            "providers": statuses,
        });
        println(&json_text(&v)?)?;
    } else {
        let mut out = String::new();
        let src = policy.source();
        out.push_str(&format!("pqshift {}\n", pqshift::VERSION));
        out.push_str(&format!("configuration: {src}\n"));
        match src.path() {
            Some(p) => out.push_str(&format!("  path: {}\n", p.display())),
            None => out.push_str("  path: (none)\n"),
        }
        let s = policy.sign_choice();
        out.push_str(&format!("[sign]    {} via {}\n", s.algorithm, s.provider));
        let accept: Vec<String> = policy
            .accepted()
            .iter()
            .map(|c| format!("{} via {}", c.algorithm, c.provider))
            .collect();
        out.push_str(&format!("[verify]  accept: {}\n", accept.join(", ")));
        match policy.kem_choice() {
            Some(k) => out.push_str(&format!("[kem]     {} via {}\n", k.algorithm, k.provider)),
            None => out.push_str("[kem]     (none)\n"),
        }
        match policy.shadow() {
            Some(p) => out.push_str(&format!("[shadow]  provider {p}\n")),
            None => out.push_str("[shadow]  (none)\n"),
        }
        let self_test = match policy.self_test() {
            pqshift::SelfTest::OnLoad => "on-load",
            pqshift::SelfTest::OnFirstUse => "on-first-use",
        };
        out.push_str(&format!(
            "[policy]  allow_insecure = {}, self_test = {self_test}\n",
            policy.allow_insecure()
        ));
        out.push_str("\nalgorithms:\n");
        for (alg, chosen, all) in &served {
            let who = match chosen {
                None => "not served".to_string(),
                Some(p) => {
                    let others: Vec<&str> = all.iter().copied().filter(|o| o != p).collect();
                    if others.is_empty() {
                        format!("served by {p}")
                    } else {
                        format!("served by {p} (also linked: {})", others.join(", "))
                    }
                }
            };
            out.push_str(&format!(
                "  {:<26} {:<10} {who}\n",
                alg.as_str(),
                alg.kind().as_str()
            ));
        }
        out.push_str("\nself-tests:\n");
        if statuses.is_empty() {
            out.push_str("  (no providers linked)\n");
        }
        for s in &statuses {
            out.push_str(&format!(
                "  {:<26} {:<12} {}{}\n",
                s.algorithm.as_str(),
                s.provider,
                s.self_test,
                if s.status == "insecure" {
                    "  (INSECURE)"
                } else {
                    ""
                }
            ));
        }
        stdout(out.as_bytes())?;
    }
    if !broken.is_empty() {
        return Err(CliError::new(format!(
            "a provider the configuration uses failed its self-test: {}",
            broken.join("; ")
        )));
    }
    Ok(Outcome::Ok)
}

/// The provider the policy uses for `alg`: [sign], then [verify] accept, then [kem].
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

/// The provider of a KEM operation on `alg` under the policy: with a [kem]
/// section the algorithm must be its algorithm; without one, any served KEM
/// through its preferred provider.
fn kem_provider(policy: &Policy, alg: AlgorithmId) -> CliResult<Option<&'static str>> {
    match policy.kem_choice() {
        Some(k) if k.algorithm == alg => Ok(Some(k.provider)),
        Some(k) => Err(CliError::new(format!(
            "policy violation: the configuration ({}) uses [kem] algorithm = \"{}\", and this key is {alg}",
            policy.source().label(),
            k.algorithm
        ))
        .with_hint(format!(
            "pass --config FILE (or set PQSHIFT_CONFIG) naming a configuration whose [kem] algorithm = \"{alg}\", or none"
        ))),
        None => Ok(None),
    }
}

fn insecure_refused(policy: &Policy, what: &str) -> CliError {
    CliError::new(format!(
        "policy violation: {what} is INSECURE, for tests only; it is refused unless the configuration ({}) sets [policy] allow_insecure = true",
        policy.source().label()
    ))
    .with_hint("pass --config FILE (or set PQSHIFT_CONFIG) naming a configuration with [policy] allow_insecure = true")
}

fn parse_seed(hex_text: &str, alg: AlgorithmId) -> CliResult<SecretBytes> {
    let bytes = SecretBytes::new(parse_hex("--seed", hex_text)?);
    let want = alg.sizes().seed;
    if bytes.len() != want {
        let what = match alg.kind() {
            AlgorithmKind::Kem => ": d || z",
            _ => "",
        };
        return Err(CliError::new(format!(
            "--seed must be {want} bytes ({} hex digits{what}) for {alg}, got {} bytes",
            want * 2,
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// A freshly made key of any kind.
enum NewKey {
    Secret(SecretKey),
    Kem(DecapsulationKey),
}

/// Text (or PEM) plus a trailing newline, in a buffer that is zeroized on drop.
fn secret_line(text: &str) -> SecretBytes {
    let mut v = Vec::with_capacity(text.len() + 1);
    v.extend_from_slice(text.as_bytes());
    if !text.ends_with('\n') {
        v.push(b'\n');
    }
    SecretBytes::new(v)
}

/// A shared secret as one line of lowercase hex, zeroized on drop.
fn secret_hex_line(secret: &SecretBytes) -> CliResult<SecretBytes> {
    let n = secret.len() * 2;
    let mut v = vec![0u8; n + 1];
    hex::encode_to_slice(secret.expose(), &mut v[..n])
        .map_err(|e| CliError::new(format!("internal error: hex encoding failed: {e}")))?;
    v[n] = b'\n';
    Ok(SecretBytes::new(v))
}

fn line(text: &str) -> Vec<u8> {
    let mut v = text.as_bytes().to_vec();
    if !text.ends_with('\n') {
        v.push(b'\n');
    }
    v
}

/// `pqshift keygen`.
pub fn keygen(config: Option<&Path>, args: &KeygenArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let alg = match &args.alg {
        Some(a) => AlgorithmId::parse(a)?,
        None => policy.sign_choice().algorithm,
    };
    if alg.is_insecure() && !policy.allow_insecure() {
        return Err(insecure_refused(&policy, alg.as_str()));
    }
    if args.format == KeyFormat::Pem && alg.oid().is_none() {
        return Err(CliError::new(format!(
            "--format pem: {alg} has no OID, so it has no standard (PKCS#8 / SPKI) encoding"
        ))
        .with_hint("use --format tagged"));
    }
    let provider: Option<String> = args
        .provider
        .clone()
        .or_else(|| policy_provider(&policy, alg).map(str::to_string));
    let reg = registry::find(alg, provider.as_deref())?;
    if reg.provider().insecure && !policy.allow_insecure() {
        return Err(insecure_refused(
            &policy,
            &format!("provider {}", reg.provider().id),
        ));
    }
    let provider = reg.provider().id;

    let seed = match &args.seed {
        None => None,
        Some(h) => {
            if !reg.capabilities().seeded_keygen {
                let seeded: Vec<&str> = registry::providers_for(alg)
                    .iter()
                    .filter(|r| r.capabilities().seeded_keygen && !r.provider().insecure)
                    .map(|r| r.provider().id)
                    .collect();
                let mut e = CliError::new(format!(
                    "--seed: provider {provider} cannot derive {alg} keys from a seed (it draws its own randomness)"
                ));
                e = if seeded.is_empty() {
                    e.with_hint("drop --seed to generate a key")
                } else {
                    e.with_hint(format!(
                        "drop --seed to generate a key, or pass --provider {}",
                        seeded.join(" or --provider ")
                    ))
                };
                return Err(e);
            }
            Some(parse_seed(h, alg)?)
        }
    };

    let out = args.out.as_path();
    let pub_out = pub_path(out);
    let force = overwrite(args.force);
    check_writable(out, force)?;

    let sign = policy.sign_choice();
    let key = match alg.kind() {
        AlgorithmKind::Kem => NewKey::Kem(match &seed {
            Some(s) => DecapsulationKey::from_seed(alg, s.expose(), Some(provider))?,
            None => DecapsulationKey::generate(alg, Some(provider))?,
        }),
        _ => NewKey::Secret(
            match (&seed, sign.algorithm == alg && sign.provider == provider) {
                (Some(s), true) => policy.signing_key_from_seed(s.expose())?,
                (None, true) => policy.generate_signing_key()?,
                (Some(s), false) => SecretKey::from_seed(alg, s.expose(), Some(provider))?,
                (None, false) => SecretKey::generate(alg, Some(provider))?,
            },
        ),
    };

    // Everything is encoded before anything is written.
    let pem = args.format == KeyFormat::Pem;
    let (secret, public, fingerprint) = match &key {
        NewKey::Secret(k) => {
            let secret = if pem {
                secret_line(&k.to_pkcs8_pem()?)
            } else {
                secret_line(&k.to_tagged()?.to_text())
            };
            let public = if k.is_mac() {
                None
            } else {
                let p = k.public_key()?;
                Some(if pem {
                    line(&p.to_pem()?)
                } else {
                    line(&p.to_tagged()?.to_text())
                })
            };
            (secret, public, k.fingerprint())
        }
        NewKey::Kem(k) => {
            let secret = if pem {
                secret_line(&k.to_pkcs8_pem()?)
            } else {
                secret_line(&k.to_tagged()?.to_text())
            };
            let ek = k.encapsulation_key()?;
            let public = if pem {
                line(&ek.to_spki_pem()?)
            } else {
                line(&ek.to_tagged()?.to_text())
            };
            (secret, Some(public), k.fingerprint())
        }
    };
    if public.is_some() {
        check_writable(&pub_out, force)?;
    }
    let (secret_word, public_word) = match alg.kind() {
        AlgorithmKind::Kem => ("decapsulation key", "encapsulation key"),
        _ => ("secret key", "public key"),
    };
    let form = match (pem, &key) {
        (true, _) => "PKCS#8 PEM".to_string(),
        (false, NewKey::Secret(k)) if k.seed().is_none() => {
            "tagged, expanded form: this provider keeps no seed".to_string()
        }
        (false, NewKey::Kem(k)) if k.seed().is_none() => {
            "tagged, expanded form: this provider keeps no seed".to_string()
        }
        (false, _) => "tagged".to_string(),
    };

    write_file(out, secret.expose(), force, true)?;
    // A key pair is written whole or not at all: when FILE.pub cannot be
    // written, the secret key just written to FILE is removed again.
    if let Some(p) = &public {
        if let Err(e) = write_file(&pub_out, p, force, false) {
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
    }
    note(&format!(
        "wrote {secret_word} {} ({alg}, provider {provider}, {form})",
        out.display()
    ));
    match public {
        Some(_) => {
            note(&format!(
                "wrote {public_word} {}{}",
                pub_out.display(),
                if pem { " (SPKI PEM)" } else { "" }
            ));
        }
        None => note(&format!(
            "note: {alg} is a MAC: it has no public key, so no {} was written; it verifies with the secret key (pqshift verify --key {})",
            pub_out.display(),
            out.display()
        )),
    }
    if alg.is_insecure() {
        note(&format!("warning: {alg} is INSECURE: for tests only"));
    }
    println(&hex::encode(fingerprint))?;
    Ok(Outcome::Ok)
}

/// What a key file says it holds, read without loading it through a
/// provider, so the configuration can pick the provider first. `None` when
/// the file is not readable as a key of the expected family; loading then
/// reports the facade's own error.
fn peek_key(data: &[u8], label: PemLabel) -> Option<(AlgorithmId, Option<ObjectKind>)> {
    let from_der = |der: &[u8]| match label {
        PemLabel::PrivateKey => standard::parse_pkcs8_der(der).ok().map(|(a, _)| a),
        PemLabel::PublicKey => standard::parse_spki_der(der).ok().map(|(a, _)| a),
    };
    match standard::detect_format(data)? {
        FileFormat::Tagged => Tagged::decode(data)
            .ok()
            .map(|t| (t.algorithm(), Some(t.kind()))),
        FileFormat::Pem => {
            let der = standard::parse_pem(label, data).ok()?;
            from_der(&der).map(|a| (a, None))
        }
        FileFormat::Der => from_der(data).map(|a| (a, None)),
    }
}

/// The tagged kind checks, with hints, before a key file is loaded.
fn check_tagged_kind(
    path: &Path,
    what: &str,
    alg: AlgorithmId,
    kind: Option<ObjectKind>,
    want_secret: bool,
) -> CliResult<()> {
    let Some(kind) = kind else { return Ok(()) };
    if kind.is_secret() == want_secret {
        return Ok(());
    }
    let want = if want_secret {
        "secret key"
    } else {
        "public key"
    };
    let mut e = CliError::new(format!(
        "{what} {}: expected a tagged {want}, got a {} ({alg})",
        path.display(),
        kind.describe(),
    ));
    if kind == ObjectKind::PublicKey {
        e = e.with_hint("a public key verifies with `verify --pub` (and encapsulates with `encaps --pub`); signing and decapsulating need the secret key");
    } else if kind.is_secret() {
        e = e.with_hint("verify with a secret key (or a MAC key) through --key FILE");
    }
    Err(e)
}

/// What to do when the chosen provider cannot load a key (`Unsupported`:
/// e.g. liboqs and an expanded key from a provider that keeps no seed).
#[derive(Debug, Clone, Copy)]
enum OnUnsupported<'a> {
    /// Load it with the first other provider that can, saying so on stderr:
    /// for choices the configuration did not make explicitly.
    Fallback,
    /// Fail, naming a provider that can in a hint for this configuration section.
    Refuse(&'a str),
}

/// Loads a key with `provider` (or the preferred one); see [`OnUnsupported`].
fn load_key<T>(
    name: &str,
    alg: Option<AlgorithmId>,
    provider: Option<&'static str>,
    on: OnUnsupported<'_>,
    load: impl Fn(Option<&str>) -> pqshift::Result<T>,
) -> CliResult<T> {
    let err = match load(provider) {
        Ok(k) => return Ok(k),
        Err(e) => e,
    };
    let Some(alg) = alg.filter(|_| err.kind() == ErrorKind::Unsupported) else {
        return Err(CliError::new(format!("{name}: {err}")));
    };
    let tried = provider.or_else(|| registry::find(alg, None).ok().map(|r| r.provider().id));
    for r in registry::providers_for(alg) {
        let id = r.provider().id;
        if Some(id) == tried || r.provider().insecure {
            continue;
        }
        if let Ok(k) = load(Some(id)) {
            return match on {
                OnUnsupported::Fallback => {
                    note(&format!(
                        "note: {name}: loaded by provider {id}, since {} cannot load it",
                        tried.unwrap_or("the preferred provider")
                    ));
                    Ok(k)
                }
                OnUnsupported::Refuse(section) => Err(CliError::new(format!("{name}: {err}"))
                    .with_hint(format!(
                        "provider {id} loads this key: choose it in the configuration ({section} provider = \"{id}\")"
                    ))),
            };
        }
    }
    Err(CliError::new(format!("{name}: {err}")))
}

fn kem_key_refused(name: &str, alg: AlgorithmId, secret: bool) -> CliError {
    let (what, cmd) = if secret {
        ("decapsulation key", "decaps --key")
    } else {
        ("encapsulation key", "encaps --pub")
    };
    CliError::new(format!(
        "{name} holds a {alg} {what}: a KEM cannot sign or verify"
    ))
    .with_hint(format!("use `pqshift {cmd}`"))
}

/// Loads a signature (or MAC) secret key: tagged, PKCS#8 PEM or DER. With a
/// policy, its provider for the key's algorithm; without one, the preferred
/// provider.
fn load_secret(
    path: &Path,
    policy: Option<&Policy>,
    on: OnUnsupported<'_>,
) -> CliResult<SecretKey> {
    let data = SecretBytes::new(read_file(path)?);
    let name = format!("key file {}", path.display());
    let peeked = peek_key(data.expose(), PemLabel::PrivateKey);
    if let Some((alg, kind)) = peeked {
        check_tagged_kind(path, "key file", alg, kind, true)?;
        if alg.kind() == AlgorithmKind::Kem {
            return Err(kem_key_refused(&name, alg, true));
        }
    }
    let alg = peeked.map(|(a, _)| a);
    let provider = policy.zip(alg).and_then(|(p, a)| policy_provider(p, a));
    load_key(&name, alg, provider, on, |p| {
        pqshift::decode_secret_key_any(data.expose(), p)
    })
}

/// Loads a decapsulation key: tagged, PKCS#8 PEM or DER, through the [kem]
/// provider when the configuration names one, else the preferred provider
/// or, failing that, any provider that can load it.
fn load_decapsulation_key(path: &Path, policy: &Policy) -> CliResult<DecapsulationKey> {
    let data = SecretBytes::new(read_file(path)?);
    let name = format!("key file {}", path.display());
    let peeked = peek_key(data.expose(), PemLabel::PrivateKey);
    let mut provider = None;
    if let Some((alg, kind)) = peeked {
        check_tagged_kind(path, "key file", alg, kind, true)?;
        if alg.kind() != AlgorithmKind::Kem {
            return Err(CliError::new(format!(
                "{name} holds a {alg} secret key, not a KEM decapsulation key"
            )));
        }
        provider = kem_provider(policy, alg)?;
    }
    let named = policy
        .file()
        .kem
        .as_ref()
        .is_some_and(|k| k.provider.is_some());
    let on = if named {
        OnUnsupported::Refuse("[kem]")
    } else {
        OnUnsupported::Fallback
    };
    load_key(&name, peeked.map(|(a, _)| a), provider, on, |p| {
        pqshift::decode_decapsulation_key_any(data.expose(), p)
    })
}

fn parse_context(ctx: Option<&str>) -> CliResult<Vec<u8>> {
    match ctx {
        Some(h) => parse_hex("--context", h),
        None => Ok(Vec::new()),
    }
}

/// `pqshift sign`.
pub fn sign(config: Option<&Path>, args: &SignArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let context_bytes = parse_context(args.context.as_deref())?;
    // A provider the configuration names must load the key itself; the
    // preferred provider, chosen by default, may give way to one that can.
    let on = if policy.file().sign.provider.is_some() {
        OnUnsupported::Refuse("[sign]")
    } else {
        OnUnsupported::Fallback
    };
    let key = load_secret(&args.key, Some(&policy), on)?;
    if let Some(out) = &args.out {
        check_writable(out, overwrite(args.force))?;
    }
    let message = read_input(args.input.as_deref(), args.max_message_size)?;
    let mode = if args.deterministic {
        SignMode::Deterministic
    } else {
        SignMode::Hedged
    };
    let sign_alg = policy.sign_choice().algorithm;
    let sig = policy
        .sign_with(&key, &message, &context_bytes, mode)
        .map_err(|e| {
            let mismatch = key.algorithm() != sign_alg;
            let err = if mismatch {
                CliError::new(format!(
                    "algorithm mismatch: key {} is {}, {e}",
                    args.key.display(),
                    key.algorithm()
                ))
            } else {
                CliError::from(e)
            };
            if mismatch {
                err.with_hint(format!(
                    "the configuration's [sign] algorithm decides what signs; pass --config FILE (or set PQSHIFT_CONFIG) naming a configuration whose [sign] algorithm = \"{}\"",
                    key.algorithm()
                ))
            } else {
                err
            }
        })?;
    let bytes: Vec<u8> = match (args.format, &args.out) {
        (Format::Tagged, _) => {
            let mut s = sig.to_text()?;
            s.push('\n');
            s.into_bytes()
        }
        (Format::Raw, Some(_)) => sig.as_raw().to_vec(),
        (Format::Raw, None) => {
            let mut s = hex::encode(sig.as_raw());
            s.push('\n');
            s.into_bytes()
        }
    };
    match &args.out {
        Some(out) => write_file(out, &bytes, overwrite(args.force), false)?,
        None => stdout(&bytes)?,
    }
    Ok(Outcome::Ok)
}

/// Whether a file is a tagged object (binary, or text after white space).
fn looks_tagged(data: &[u8]) -> bool {
    data.starts_with(pqshift::encoding::MAGIC)
        || std::str::from_utf8(data)
            .map(|s| s.trim_start().starts_with(pqshift::encoding::TEXT_PREFIX))
            .unwrap_or(false)
}

/// Bare standard bytes of `want` length, or their hex (either case, white
/// space around it ignored). Anything else is returned as is, for the caller's
/// length check to report.
fn read_bare(data: Vec<u8>, want: usize, name: &str) -> CliResult<(Vec<u8>, &'static str)> {
    if data.len() != want {
        if let Ok(text) = std::str::from_utf8(&data) {
            let text = text.trim();
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit()) {
                let raw = hex::decode(text).map_err(|e| {
                    CliError::new(format!("{name}: looks like hex but is not: {e}"))
                })?;
                return Ok((raw, "hex"));
            }
        }
    }
    Ok((data, "bytes"))
}

/// Reads SIG: tagged (text or binary), bare bytes, or hex of the bare bytes,
/// the last two as `alg`.
fn read_signature(path: &Path, alg: AlgorithmId) -> CliResult<Signature> {
    let data = read_file(path)?;
    let name = format!("signature file {}", path.display());
    if looks_tagged(&data) {
        let t = Tagged::decode(&data).map_err(context(&name))?;
        t.expect(ObjectKind::Signature, Some(alg))
            .map_err(context(&name))?;
        return Signature::from_tagged(&t).map_err(context(&name));
    }
    match read_bare(data, alg.sizes().signature, &name)? {
        (raw, "hex") => Signature::from_raw(alg, &raw)
            .map_err(context(format!("{name} (hex of the bare signature)"))),
        (raw, _) => Signature::from_raw(alg, &raw)
            .map_err(context(format!("{name} (bare signature bytes)"))),
    }
}

/// Reads a bare standard public key (`--pub-raw`) of `alg`: bytes or hex.
fn read_raw_public(path: &Path, alg: AlgorithmId) -> CliResult<Vec<u8>> {
    let name = format!("public key file {}", path.display());
    let want = alg.sizes().public_key;
    let (raw, form) = read_bare(read_file(path)?, want, &name)?;
    if raw.len() != want {
        let form = if form == "hex" {
            "hex of the bare"
        } else {
            "bare"
        };
        return Err(CliError::new(format!(
            "{name} ({form} {alg} public key): a {alg} public key must be {want} bytes long, got {} bytes",
            raw.len()
        )));
    }
    Ok(raw)
}

/// Parses `--alg` for `--pub-raw`.
fn raw_alg(alg: Option<&str>) -> CliResult<AlgorithmId> {
    match alg {
        Some(a) => Ok(AlgorithmId::parse(a)?),
        None => Err(CliError::new("--pub-raw needs --alg ALG")),
    }
}

/// Loads a signature public key: tagged, SPKI PEM or DER, through the
/// policy's provider for its algorithm.
fn load_public(path: &Path, policy: &Policy) -> CliResult<PublicKey> {
    let data = read_file(path)?;
    let name = format!("public key file {}", path.display());
    let peeked = peek_key(&data, PemLabel::PublicKey);
    if let Some((alg, kind)) = peeked {
        check_tagged_kind(path, "public key file", alg, kind, false)?;
        if alg.kind() == AlgorithmKind::Kem {
            return Err(kem_key_refused(&name, alg, false));
        }
    }
    let alg = peeked.map(|(a, _)| a);
    let provider = alg.and_then(|a| policy_provider(policy, a));
    load_key(
        &name,
        alg,
        provider,
        OnUnsupported::Refuse("[verify]"),
        |p| pqshift::decode_public_key_any(&data, p),
    )
}

/// `pqshift verify`.
pub fn verify(config: Option<&Path>, args: &VerifyArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let context_bytes = parse_context(args.context.as_deref())?;
    enum Verifier {
        Public(PublicKey),
        Secret(SecretKey),
    }
    let verifier = match (&args.public, &args.key, &args.pub_raw) {
        (Some(p), None, None) => Verifier::Public(load_public(p, &policy)?),
        // The secret key only yields the public key: the policy's provider verifies.
        (None, Some(k), None) => {
            Verifier::Secret(load_secret(k, Some(&policy), OnUnsupported::Fallback)?)
        }
        (None, None, Some(r)) => {
            let alg = raw_alg(args.alg.as_deref())?;
            if alg.kind() == AlgorithmKind::Kem {
                return Err(kem_key_refused(
                    &format!("--alg {alg} with --pub-raw {}", r.display()),
                    alg,
                    false,
                ));
            }
            let raw = read_raw_public(r, alg)?;
            Verifier::Public(
                PublicKey::from_raw(alg, &raw, policy_provider(&policy, alg))
                    .map_err(context(format!("public key file {}", r.display())))?,
            )
        }
        _ => {
            return Err(CliError::new(
                "give exactly one of --pub FILE, --key FILE and --alg ALG --pub-raw FILE",
            ))
        }
    };
    let alg = match &verifier {
        Verifier::Public(p) => p.algorithm(),
        Verifier::Secret(s) => s.algorithm(),
    };
    let sig = read_signature(&args.sig, alg)?;
    let message = read_input(args.input.as_deref(), args.max_message_size)?;
    let result = match &verifier {
        Verifier::Public(p) => policy.verify(p, &message, &context_bytes, &sig),
        Verifier::Secret(s) if s.is_mac() => {
            policy.verify_with_secret(s, &message, &context_bytes, &sig)
        }
        Verifier::Secret(s) => {
            let p = s.public_key()?;
            policy.verify(&p, &message, &context_bytes, &sig)
        }
    };
    match result {
        Ok(()) => {
            println("valid")?;
            Ok(Outcome::Ok)
        }
        Err(e) if e.kind() == ErrorKind::VerificationFailed => Ok(Outcome::InvalidSignature),
        Err(e) => Err(e.into()),
    }
}

/// `pqshift pubkey`: the public key of a signature key, or the
/// encapsulation key of a KEM decapsulation key.
pub fn pubkey(args: &PubkeyArgs) -> CliResult<Outcome> {
    let data = SecretBytes::new(read_file(&args.key)?);
    let name = format!("key file {}", args.key.display());
    let peeked = peek_key(data.expose(), PemLabel::PrivateKey);
    if let Some((alg, kind)) = peeked {
        check_tagged_kind(&args.key, "key file", alg, kind, true)?;
    }
    let alg = peeked.map(|(a, _)| a);
    let (alg, raw, pem, tagged) = if alg.map(|a| a.kind()) == Some(AlgorithmKind::Kem) {
        let dk = load_key(&name, alg, None, OnUnsupported::Fallback, |p| {
            pqshift::decode_decapsulation_key_any(data.expose(), p)
        })?;
        let ek = dk.encapsulation_key().map_err(context(&name))?;
        (
            ek.algorithm(),
            ek.as_raw().to_vec(),
            ek.to_spki_pem(),
            ek.to_tagged(),
        )
    } else {
        let key = load_key(&name, alg, None, OnUnsupported::Fallback, |p| {
            pqshift::decode_secret_key_any(data.expose(), p)
        })?;
        let public = key.public_key().map_err(context(&name))?;
        (
            public.algorithm(),
            public.as_raw().to_vec(),
            public.to_pem(),
            public.to_tagged(),
        )
    };
    let bytes: Vec<u8> = match (args.format, &args.out) {
        (PubFormat::Tagged, _) => line(&tagged?.to_text()),
        (PubFormat::Pem, _) => line(&pem.map_err(context(format!("{alg} public key")))?),
        (PubFormat::Raw, Some(_)) => raw,
        (PubFormat::Raw, None) => line(&hex::encode(raw)),
    };
    match &args.out {
        Some(out) => write_file(out, &bytes, overwrite(args.force), false)?,
        None => stdout(&bytes)?,
    }
    Ok(Outcome::Ok)
}

/// Loads an encapsulation key for `encaps`: from --pub (tagged, SPKI PEM or
/// DER) or --alg with --pub-raw, through the policy's [kem] provider.
fn load_encapsulation_key(policy: &Policy, args: &EncapsArgs) -> CliResult<EncapsulationKey> {
    let not_kem = |name: &str, alg: AlgorithmId| {
        CliError::new(format!(
            "{name}: {alg} is a {} algorithm, not a KEM: encaps needs an ML-KEM encapsulation key",
            alg.kind()
        ))
    };
    match (&args.public, &args.pub_raw) {
        (Some(path), None) => {
            let data = read_file(path)?;
            let name = format!("public key file {}", path.display());
            let peeked = peek_key(&data, PemLabel::PublicKey);
            let mut provider = None;
            if let Some((alg, kind)) = peeked {
                check_tagged_kind(path, "public key file", alg, kind, false)?;
                if alg.kind() != AlgorithmKind::Kem {
                    return Err(not_kem(&name, alg));
                }
                provider = kem_provider(policy, alg)?;
            }
            load_key(
                &name,
                peeked.map(|(a, _)| a),
                provider,
                OnUnsupported::Refuse("[kem]"),
                |p| pqshift::decode_encapsulation_key_any(&data, p),
            )
        }
        (None, Some(path)) => {
            let alg = raw_alg(args.alg.as_deref())?;
            let name = format!("public key file {}", path.display());
            if alg.kind() != AlgorithmKind::Kem {
                return Err(not_kem(&name, alg));
            }
            let provider = kem_provider(policy, alg)?;
            let raw = read_raw_public(path, alg)?;
            EncapsulationKey::from_raw(alg, &raw, provider).map_err(context(name))
        }
        _ => Err(CliError::new(
            "give exactly one of --pub FILE and --alg ALG --pub-raw FILE",
        )),
    }
}

/// `pqshift encaps`.
pub fn encaps(config: Option<&Path>, args: &EncapsArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let ek = load_encapsulation_key(&policy, args)?;
    if ek.provider().insecure && !policy.allow_insecure() {
        return Err(insecure_refused(
            &policy,
            &format!("provider {}", ek.provider().id),
        ));
    }
    let force = overwrite(args.force);
    if let (Some(a), Some(b)) = (&args.out_ct, &args.out_secret) {
        if a == b {
            return Err(CliError::new(
                "--out-ct and --out-secret name the same file",
            ));
        }
    }
    for out in [&args.out_ct, &args.out_secret].into_iter().flatten() {
        check_writable(out, force)?;
    }
    let (ct, secret) = ek.encapsulate()?;
    let ct_line = line(&ct.to_tagged()?.to_text());
    // Files first, then standard output: a ciphertext is never left behind
    // (in --out-ct or on stdout) without its shared secret. When --out-secret
    // cannot be written, the --out-ct file just written is removed again.
    if let Some(out) = &args.out_ct {
        write_file(out, &ct_line, force, false)?;
    }
    if let Some(out) = &args.out_secret {
        if let Err(e) = write_file(out, secret.expose(), force, true) {
            if let Some(ct_out) = &args.out_ct {
                let _ = std::fs::remove_file(ct_out);
            }
            return Err(e);
        }
    }
    if args.out_ct.is_none() {
        stdout(&ct_line)?;
    }
    if args.out_secret.is_none() {
        stdout(secret_hex_line(&secret)?.expose())?;
    }
    Ok(Outcome::Ok)
}

/// Reads a ciphertext: tagged (text or binary) of `alg`, or the bare bytes.
fn read_ciphertext(path: &Path, alg: AlgorithmId) -> CliResult<Ciphertext> {
    let data = read_file(path)?;
    let name = format!("ciphertext file {}", path.display());
    if looks_tagged(&data) {
        let t = Tagged::decode(&data).map_err(context(&name))?;
        t.expect(ObjectKind::Ciphertext, Some(alg))
            .map_err(context(&name))?;
        return Ciphertext::from_tagged(&t).map_err(context(&name));
    }
    Ciphertext::from_raw(alg, &data).map_err(context(format!("{name} (bare ciphertext bytes)")))
}

/// `pqshift decaps`.
pub fn decaps(config: Option<&Path>, args: &DecapsArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let dk = load_decapsulation_key(&args.key, &policy)?;
    let force = overwrite(args.force);
    if let Some(out) = &args.out {
        check_writable(out, force)?;
    }
    let ct = read_ciphertext(&args.ct, dk.algorithm())?;
    let secret = dk.decapsulate(&ct)?;
    match &args.out {
        Some(out) => write_file(out, secret.expose(), force, true)?,
        None => stdout(secret_hex_line(&secret)?.expose())?,
    }
    Ok(Outcome::Ok)
}
