//! The commands. Each returns what to exit with; every failure is a [`CliError`].

use std::path::Path;

use pqshift::{
    registry, AlgorithmId, AlgorithmKind, ErrorKind, ObjectKind, Policy, PublicKey, SecretBytes,
    SecretKey, SignMode, Signature, Tagged,
};
use serde_json::json;

use crate::args::{
    DoctorArgs, Format, KeygenArgs, ProvidersArgs, PubkeyArgs, SignArgs, VerifyArgs,
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
        "CAPABILITIES",
    ];
    let mut rows: Vec<[String; 8]> = vec![header.map(str::to_string)];
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
            caps_words(&p.capabilities),
        ]);
        if p.self_test != "passed" {
            failures.push(format!("{} / {}: {}", p.algorithm, p.provider, p.self_test));
        }
    }
    let mut widths = [0usize; 8];
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

/// The provider the policy uses for `alg` (signing choice, then accept list), if any.
fn policy_provider(policy: &Policy, alg: AlgorithmId) -> Option<&'static str> {
    let s = policy.sign_choice();
    if s.algorithm == alg {
        return Some(s.provider);
    }
    policy.accepts(alg).ok().map(|c| c.provider)
}

fn insecure_refused(policy: &Policy, what: &str) -> CliError {
    CliError::new(format!(
        "policy violation: {what} is INSECURE, for tests only; it is refused unless the configuration ({}) sets [policy] allow_insecure = true",
        policy.source().label()
    ))
    .with_hint("pass --config FILE (or set PQSHIFT_CONFIG) naming a configuration with [policy] allow_insecure = true")
}

/// `pqshift keygen`.
pub fn keygen(config: Option<&Path>, args: &KeygenArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let alg = match &args.alg {
        Some(a) => AlgorithmId::parse(a)?,
        None => policy.sign_choice().algorithm,
    };
    if alg.kind() == AlgorithmKind::Kem {
        return Err(CliError::new(format!(
            "{alg} is a KEM: keygen makes signature and MAC keys"
        )));
    }
    if alg.is_insecure() && !policy.allow_insecure() {
        return Err(insecure_refused(&policy, alg.as_str()));
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
            let bytes = SecretBytes::new(parse_hex("--seed", h)?);
            let want = alg.sizes().seed;
            if bytes.len() != want {
                return Err(CliError::new(format!(
                    "--seed must be {want} bytes ({} hex digits) for {alg}, got {} bytes",
                    want * 2,
                    bytes.len()
                )));
            }
            Some(bytes)
        }
    };

    let out = args.out.as_path();
    let pub_out = pub_path(out);
    let force = overwrite(args.force);
    check_writable(out, force)?;

    let sign = policy.sign_choice();
    let key = match (&seed, sign.algorithm == alg && sign.provider == provider) {
        (Some(s), true) => policy.signing_key_from_seed(s.expose())?,
        (None, true) => policy.generate_signing_key()?,
        (Some(s), false) => SecretKey::from_seed(alg, s.expose(), Some(provider))?,
        (None, false) => SecretKey::generate(alg, Some(provider))?,
    };
    let public = if key.is_mac() {
        None
    } else {
        check_writable(&pub_out, force)?;
        Some(key.public_key()?.to_tagged()?.to_text())
    };

    let mut secret_text = key.to_tagged()?.to_text();
    secret_text.push('\n');
    write_file(out, secret_text.as_bytes(), force, true)?;
    note(&format!(
        "wrote secret key {} ({alg}, provider {provider})",
        out.display()
    ));
    match public {
        Some(mut p) => {
            p.push('\n');
            write_file(&pub_out, p.as_bytes(), force, false)?;
            note(&format!("wrote public key {}", pub_out.display()));
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
    println(&hex::encode(key.fingerprint()))?;
    Ok(Outcome::Ok)
}

/// Reads and decodes a tagged object from a file; errors name the file.
fn read_tagged(path: &Path, what: &str) -> CliResult<Tagged> {
    let data = read_file(path)?;
    Tagged::decode(&data).map_err(context(format!("{what} {}", path.display())))
}

fn zeroizing(v: Vec<u8>) -> SecretBytes {
    SecretBytes::new(v)
}

/// Loads a secret key file with `provider` (or the preferred one).
fn load_secret(path: &Path, policy: Option<&Policy>) -> CliResult<SecretKey> {
    let data = zeroizing(read_file(path)?);
    let ctx = || context(format!("key file {}", path.display()));
    let t = Tagged::decode(data.expose()).map_err(ctx())?;
    if !t.kind().is_secret() {
        let mut e = CliError::new(format!(
            "key file {}: expected a tagged secret key, got a {} ({})",
            path.display(),
            t.kind().describe(),
            t.algorithm()
        ));
        if t.kind() == ObjectKind::PublicKey {
            e = e.with_hint(
                "a public key verifies with `verify --pub`; signing needs the secret key",
            );
        }
        return Err(e);
    }
    let provider = policy.and_then(|p| policy_provider(p, t.algorithm()));
    SecretKey::from_tagged(&t, provider).map_err(ctx())
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
    let key = load_secret(&args.key, Some(&policy))?;
    if let Some(out) = &args.out {
        check_writable(out, overwrite(args.force))?;
    }
    let message = read_input(args.input.as_deref())?;
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

/// Reads SIG: tagged (text or binary), bare bytes, or hex of the bare bytes,
/// the last two as `alg`.
fn read_signature(path: &Path, alg: AlgorithmId) -> CliResult<Signature> {
    let data = read_file(path)?;
    let looks_tagged = data.starts_with(pqshift::encoding::MAGIC)
        || std::str::from_utf8(&data)
            .map(|s| s.trim_start().starts_with(pqshift::encoding::TEXT_PREFIX))
            .unwrap_or(false);
    let name = format!("signature file {}", path.display());
    if looks_tagged {
        let t = Tagged::decode(&data).map_err(context(&name))?;
        t.expect(ObjectKind::Signature, Some(alg))
            .map_err(context(&name))?;
        return Signature::from_tagged(&t).map_err(context(&name));
    }
    let want = alg.sizes().signature;
    if data.len() != want {
        if let Ok(text) = std::str::from_utf8(&data) {
            let text = text.trim();
            if !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit()) {
                let raw = hex::decode(text).map_err(|e| {
                    CliError::new(format!("{name}: looks like hex but is not: {e}"))
                })?;
                return Signature::from_raw(alg, &raw)
                    .map_err(context(format!("{name} (hex of the bare signature)")));
            }
        }
    }
    Signature::from_raw(alg, &data).map_err(context(format!("{name} (bare signature bytes)")))
}

/// `pqshift verify`.
pub fn verify(config: Option<&Path>, args: &VerifyArgs) -> CliResult<Outcome> {
    let policy = load_policy(config)?;
    let context_bytes = parse_context(args.context.as_deref())?;
    enum Verifier {
        Public(PublicKey),
        Secret(SecretKey),
    }
    let verifier = match (&args.public, &args.key) {
        (Some(p), None) => {
            let t = read_tagged(p, "public key file")?;
            if t.kind() != ObjectKind::PublicKey {
                let mut e = CliError::new(format!(
                    "public key file {}: expected a tagged public key, got a {} ({})",
                    p.display(),
                    t.kind().describe(),
                    t.algorithm()
                ));
                if t.kind().is_secret() {
                    e = e.with_hint("verify with a secret key (or a MAC key) through --key FILE");
                }
                return Err(e);
            }
            let provider = policy_provider(&policy, t.algorithm());
            Verifier::Public(
                PublicKey::from_tagged(&t, provider)
                    .map_err(context(format!("public key file {}", p.display())))?,
            )
        }
        (None, Some(k)) => Verifier::Secret(load_secret(k, Some(&policy))?),
        _ => {
            return Err(CliError::new(
                "give exactly one of --pub FILE and --key FILE",
            ))
        }
    };
    let alg = match &verifier {
        Verifier::Public(p) => p.algorithm(),
        Verifier::Secret(s) => s.algorithm(),
    };
    let sig = read_signature(&args.sig, alg)?;
    let message = read_input(args.input.as_deref())?;
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

/// `pqshift pubkey`.
pub fn pubkey(args: &PubkeyArgs) -> CliResult<Outcome> {
    let key = load_secret(&args.key, None)?;
    let public = key
        .public_key()
        .map_err(context(format!("key file {}", args.key.display())))?;
    let bytes: Vec<u8> = match (args.format, &args.out) {
        (Format::Tagged, _) => {
            let mut s = public.to_tagged()?.to_text().to_string();
            s.push('\n');
            s.into_bytes()
        }
        (Format::Raw, Some(_)) => public.as_raw().to_vec(),
        (Format::Raw, None) => {
            let mut s = hex::encode(public.as_raw());
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
