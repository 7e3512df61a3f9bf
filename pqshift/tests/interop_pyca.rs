//! Interop with pyca/cryptography (>= 48, OpenSSL inside): it reads the
//! SPKI and PKCS#8 we write and we read what it writes, byte for byte.
//!
//! Needs `python3` with `cryptography>=48` (pip: `cryptography==48.0.0`).
//! Without it each test prints "skipped: python3 with cryptography>=48 not
//! found" and passes, except under `CI=true`, where that is a failure.
//!
//! Ed25519 runs through the facade today. ML-DSA-44/65/87 and
//! ML-KEM-768/1024 run at the pure layer always, and through the facade for
//! every algorithm some linked provider serves (pyca 48 has no ML-KEM-512).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use pqshift::standard::{
    parse_pkcs8_der, parse_pkcs8_der_full, parse_spki_der, pkcs8_der, pkcs8_pem, spki_der,
};
use pqshift::{
    registry, AlgorithmId, AlgorithmKind, Ciphertext, DecapsulationKey, EncapsulationKey,
    PrivateKeyMaterial, PublicKey, SecretKey, Signature,
};
use pqshift_test_support::in_ci;
use serde_json::{json, Value};

const MIN_MAJOR: u32 = 48;

/// The PQ algorithms pyca/cryptography 48 implements.
const PYCA_PQ: [AlgorithmId; 5] = [
    AlgorithmId::MlDsa44,
    AlgorithmId::MlDsa65,
    AlgorithmId::MlDsa87,
    AlgorithmId::MlKem768,
    AlgorithmId::MlKem1024,
];

/// True when python3 with cryptography >= 48 is importable. Otherwise prints
/// the skip line and returns false, or panics under CI=true.
fn pyca() -> bool {
    static FOUND: OnceLock<Result<String, String>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        let out = Command::new("python3")
            .args(["-c", "import cryptography; print(cryptography.__version__)"])
            .output()
            .map_err(|e| format!("cannot run python3: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "import cryptography failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let v = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let major: u32 = v
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        if major < MIN_MAJOR {
            return Err(format!("cryptography {v} is older than {MIN_MAJOR}"));
        }
        Ok(v)
    });
    match found {
        Ok(_) => true,
        Err(why) if in_ci() => {
            panic!("python3 with cryptography>={MIN_MAJOR} not found under CI=true: {why}")
        }
        Err(why) => {
            eprintln!("skipped: python3 with cryptography>={MIN_MAJOR} not found ({why})");
            false
        }
    }
}

const PRELUDE: &str = r#"
import sys, json
from cryptography.hazmat.primitives import serialization as S
from cryptography.hazmat.primitives.asymmetric import ed25519, mldsa, mlkem
IN = json.loads(sys.stdin.read() or "null")
h = bytes.fromhex
PRIV = {
    "ed25519": ed25519.Ed25519PrivateKey,
    "ml-dsa-44": mldsa.MLDSA44PrivateKey,
    "ml-dsa-65": mldsa.MLDSA65PrivateKey,
    "ml-dsa-87": mldsa.MLDSA87PrivateKey,
    "ml-kem-768": mlkem.MLKEM768PrivateKey,
    "ml-kem-1024": mlkem.MLKEM1024PrivateKey,
}
def from_seed(alg, seed):
    if alg == "ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    return PRIV[alg].from_seed_bytes(seed)
def pkcs8(k, enc=S.Encoding.DER):
    return k.private_bytes(enc, S.PrivateFormat.PKCS8, S.NoEncryption())
def spki(p, enc=S.Encoding.DER):
    return p.public_bytes(enc, S.PublicFormat.SubjectPublicKeyInfo)
def enc(v):
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, dict):
        return {k: enc(x) for k, x in v.items()}
    if isinstance(v, list):
        return [enc(x) for x in v]
    return v
def out(v):
    print(json.dumps(enc(v)))
"#;

/// Runs `PRELUDE + script` with `input` as JSON on stdin; returns the JSON it prints.
fn py(script: &str, input: Value) -> Value {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(format!("{PRELUDE}\n{script}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python failed:\n{}\n--- script ---\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "python printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(
        v.as_str()
            .unwrap_or_else(|| panic!("not a hex string: {v}")),
    )
    .unwrap()
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn seed_for(alg: AlgorithmId, salt: u8) -> Vec<u8> {
    (0..alg.sizes().seed)
        .map(|i| (i as u8).wrapping_mul(7).wrapping_add(salt))
        .collect()
}

// ---------------------------------------------------------------------------
// Ed25519 through the facade
// ---------------------------------------------------------------------------

#[test]
fn ed25519_pyca_reads_our_pem_keys_and_signatures() {
    if !pyca() {
        return;
    }
    let seed = seed_for(AlgorithmId::Ed25519, 1);
    let sk = SecretKey::from_seed(AlgorithmId::Ed25519, &seed, None).unwrap();
    let pk = sk.public_key().unwrap();
    let our_sig = sk.sign(b"signed by pqshift", b"").unwrap();
    let r = py(
        r#"
sk = S.load_pem_private_key(IN["sk"].encode(), None)
pk = S.load_pem_public_key(IN["pk"].encode())
assert isinstance(sk, ed25519.Ed25519PrivateKey) and isinstance(pk, ed25519.Ed25519PublicKey)
pk.verify(h(IN["sig"]), b"signed by pqshift")   # raises InvalidSignature on failure
out({"seed": sk.private_bytes_raw(),
     "derived_pk": sk.public_key().public_bytes_raw(),
     "pk": pk.public_bytes_raw(),
     "sig": sk.sign(b"signed by pyca")})
"#,
        json!({
            "sk": sk.to_pkcs8_pem().unwrap().as_str(),
            "pk": pk.to_pem().unwrap(),
            "sig": hex::encode(our_sig.as_raw()),
        }),
    );
    assert_eq!(unhex(&r["seed"]), seed);
    assert_eq!(unhex(&r["derived_pk"]), pk.as_raw());
    assert_eq!(unhex(&r["pk"]), pk.as_raw());
    let sig = Signature::from_raw(AlgorithmId::Ed25519, &unhex(&r["sig"])).unwrap();
    pk.verify(b"signed by pyca", b"", &sig).unwrap();
    assert!(pk.verify(b"signed by someone else", b"", &sig).is_err());
}

#[test]
fn ed25519_we_read_pyca_generated_keys() {
    if !pyca() {
        return;
    }
    let r = py(
        r#"
sk = ed25519.Ed25519PrivateKey.generate()
out({"sk_pem": pkcs8(sk, S.Encoding.PEM).decode(),
     "pk_pem": spki(sk.public_key(), S.Encoding.PEM).decode(),
     "sk_der": pkcs8(sk), "pk_der": spki(sk.public_key()),
     "seed": sk.private_bytes_raw(),
     "sig": sk.sign(b"from pyca")})
"#,
        Value::Null,
    );
    let sk = SecretKey::from_pkcs8_pem(text(&r["sk_pem"]), None).unwrap();
    let pk = PublicKey::from_pem(text(&r["pk_pem"]), None).unwrap();
    assert_eq!(sk.public_key().unwrap().as_raw(), pk.as_raw());
    assert_eq!(sk.seed().unwrap().expose(), &unhex(&r["seed"])[..]);
    // DER too, and byte for byte what we would write
    let sk_der = unhex(&r["sk_der"]);
    let pk_der = unhex(&r["pk_der"]);
    assert_eq!(&sk.to_pkcs8_der().unwrap()[..], &sk_der[..]);
    assert_eq!(pk.to_spki_der().unwrap(), pk_der);
    assert_eq!(
        SecretKey::from_pkcs8_der(&sk_der, None)
            .unwrap()
            .fingerprint(),
        sk.fingerprint()
    );
    assert_eq!(
        PublicKey::from_spki_der(&pk_der, None).unwrap().as_raw(),
        pk.as_raw()
    );
    // and through the any-form decoders the CLI uses
    let any_pk = pqshift::decode_public_key_any(text(&r["pk_pem"]).as_bytes(), None).unwrap();
    assert_eq!(any_pk.as_raw(), pk.as_raw());
    let any_sk = pqshift::decode_secret_key_any(&sk_der, None).unwrap();
    assert_eq!(any_sk.fingerprint(), sk.fingerprint());

    let sig = Signature::from_raw(AlgorithmId::Ed25519, &unhex(&r["sig"])).unwrap();
    pk.verify(b"from pyca", b"", &sig).unwrap();
    let ours = sk.sign(b"from pqshift", b"").unwrap();
    let v = py(
        r#"
pk = S.load_der_public_key(h(IN["pk"]))
pk.verify(h(IN["sig"]), b"from pqshift")
out({"ok": True})
"#,
        json!({"pk": hex::encode(&pk_der), "sig": hex::encode(ours.as_raw())}),
    );
    assert_eq!(v["ok"], true);
}

// ---------------------------------------------------------------------------
// ML-DSA and ML-KEM at the pure layer (no provider needed)
// ---------------------------------------------------------------------------

#[test]
fn pq_keys_from_a_known_seed_match_pyca_byte_for_byte() {
    if !pyca() {
        return;
    }
    let cases: Vec<Value> = PYCA_PQ
        .iter()
        .map(|a| json!({"alg": a.as_str(), "seed": hex::encode(seed_for(*a, 3))}))
        .collect();
    let r = py(
        r#"
res = []
for c in IN:
    k = from_seed(c["alg"], h(c["seed"]))
    res.append({"pkcs8": pkcs8(k), "spki": spki(k.public_key()),
                "pub": k.public_key().public_bytes_raw(), "raw": k.private_bytes_raw()})
out(res)
"#,
        Value::Array(cases),
    );
    let mut ours = Vec::new();
    for (alg, got) in PYCA_PQ.iter().copied().zip(r.as_array().unwrap()) {
        let seed = seed_for(alg, 3);
        let (pkcs8, spki, public) = (
            unhex(&got["pkcs8"]),
            unhex(&got["spki"]),
            unhex(&got["pub"]),
        );
        // pyca's private_bytes_raw is the seed
        assert_eq!(unhex(&got["raw"]), seed, "{alg}");
        // pyca writes PKCS#8 v1, seed form: privateKey = [0] IMPLICIT OCTET STRING
        let k = parse_pkcs8_der_full(&pkcs8).unwrap();
        assert_eq!(k.algorithm, alg);
        assert!(k.public_key.is_none(), "{alg}: pyca wrote a v2 publicKey");
        match &k.material {
            PrivateKeyMaterial::Seed(s) => assert_eq!(s.expose(), &seed[..], "{alg}"),
            other => panic!("{alg}: pyca wrote the {} form", other.form()),
        }
        // byte for byte what we write
        assert_eq!(
            &pkcs8_der(alg, &seed).unwrap()[..],
            &pkcs8[..],
            "{alg} PKCS#8"
        );
        assert_eq!(parse_spki_der(&spki).unwrap(), (alg, public.clone()));
        assert_eq!(spki_der(alg, &public).unwrap(), spki, "{alg} SPKI");
        ours.push(json!({
            "alg": alg.as_str(),
            "pkcs8_pem": pkcs8_pem(alg, &seed).unwrap().as_str(),
            "spki": hex::encode(spki_der(alg, &public).unwrap()),
        }));
    }
    // pyca loads what we wrote (PEM private key, DER public key) and derives the same key
    let back = py(
        r#"
res = []
for c in IN:
    k = S.load_pem_private_key(c["pkcs8_pem"].encode(), None)
    p = S.load_der_public_key(h(c["spki"]))
    res.append({"raw": k.private_bytes_raw(), "pub": k.public_key().public_bytes_raw(),
                "spki_pub": p.public_bytes_raw()})
out(res)
"#,
        Value::Array(ours),
    );
    for ((alg, got), orig) in PYCA_PQ
        .iter()
        .zip(back.as_array().unwrap())
        .zip(r.as_array().unwrap())
    {
        assert_eq!(unhex(&got["raw"]), seed_for(*alg, 3), "{alg}");
        assert_eq!(unhex(&got["pub"]), unhex(&orig["pub"]), "{alg}");
        assert_eq!(unhex(&got["spki_pub"]), unhex(&orig["pub"]), "{alg}");
    }
}

#[test]
fn pq_keys_pyca_generates_parse_as_seed_form() {
    if !pyca() {
        return;
    }
    let algs: Vec<&str> = PYCA_PQ.iter().map(|a| a.as_str()).collect();
    let r = py(
        r#"
res = []
for alg in IN:
    k = PRIV[alg].generate()
    res.append({"pkcs8": pkcs8(k), "seed": k.private_bytes_raw(),
                "spki": spki(k.public_key()), "pub": k.public_key().public_bytes_raw()})
out(res)
"#,
        json!(algs),
    );
    for (alg, got) in PYCA_PQ.iter().copied().zip(r.as_array().unwrap()) {
        let (a, m) = parse_pkcs8_der(&unhex(&got["pkcs8"])).unwrap();
        assert_eq!(a, alg);
        assert_eq!(m.seed().unwrap().expose(), &unhex(&got["seed"])[..]);
        assert_eq!(
            parse_spki_der(&unhex(&got["spki"])).unwrap(),
            (alg, unhex(&got["pub"]))
        );
    }
}

// ---------------------------------------------------------------------------
// ML-DSA and ML-KEM through the facade, once a provider serves them
// ---------------------------------------------------------------------------

/// Sign with pyca and verify with ours, and the reverse; encapsulate with
/// pyca to our key and decapsulate, and the reverse. Runs for every
/// (algorithm, provider) pair the linked providers serve. A provider without
/// seeded keygen cannot load pyca's seed-form private key (`Unsupported`,
/// checked) and generates its own key instead, which pyca cannot read back
/// (pyca 48 reads only the seed form), so pyca then checks only its public key.
/// Under CI=true, with an ML-DSA-65 (ML-KEM-768) provider linked, the test
/// fails unless ML-DSA-65 (ML-KEM-768) was exercised.
#[test]
fn pq_facade_interop_with_pyca() {
    if !pyca() {
        return;
    }
    let pairs: Vec<(AlgorithmId, &'static str)> = PYCA_PQ
        .iter()
        .flat_map(|a| {
            registry::providers_for(*a)
                .into_iter()
                .map(move |r| (*a, r.provider().id))
        })
        .collect();
    for a in PYCA_PQ
        .iter()
        .filter(|a| !pairs.iter().any(|(x, _)| x == *a))
    {
        eprintln!("skipped: {a} facade interop (no provider linked)");
    }
    let mut exercised = Vec::new();
    if !pairs.is_empty() {
        // Phase 1: pyca derives keys from known seeds, signs, and encapsulates to itself.
        let cases: Vec<Value> = pairs
            .iter()
            .map(|(a, _)| json!({"alg": a.as_str(), "seed": hex::encode(seed_for(*a, 9))}))
            .collect();
        let r = py(
            r#"
res = []
for c in IN:
    k = from_seed(c["alg"], h(c["seed"]))
    d = {"sk_pem": pkcs8(k, S.Encoding.PEM).decode(),
         "pk_pem": spki(k.public_key(), S.Encoding.PEM).decode()}
    if c["alg"].startswith("ml-dsa"):
        d["sig"] = k.sign(b"from pyca", b"pqshift-ctx")
    else:
        ss, ct = k.public_key().encapsulate()
        d["ss"], d["ct"] = ss, ct
    res.append(d)
out(res)
"#,
            Value::Array(cases),
        );
        // Ours: verify/decapsulate what pyca made, then sign/encapsulate for pyca.
        let mut phase2 = Vec::new();
        let mut our_dks = Vec::new();
        for (&(alg, p), got) in pairs.iter().zip(r.as_array().unwrap()) {
            let ctx = format!("{alg} via {p}");
            let seed = seed_for(alg, 9);
            let seeded = pqshift::capabilities(alg, Some(p)).unwrap().seeded_keygen;
            match alg.kind() {
                AlgorithmKind::Signature => {
                    let pk = PublicKey::from_pem(text(&got["pk_pem"]), Some(p)).unwrap();
                    let sig = Signature::from_raw(alg, &unhex(&got["sig"])).unwrap();
                    pk.verify(b"from pyca", b"pqshift-ctx", &sig)
                        .unwrap_or_else(|e| panic!("{ctx}: pyca's signature: {e}"));
                    assert!(pk.verify(b"from pyca", b"other-ctx", &sig).is_err());
                    let loaded = SecretKey::from_pkcs8_pem(text(&got["sk_pem"]), Some(p));
                    let sk = if seeded {
                        let sk = loaded.unwrap();
                        assert_eq!(sk.public_key().unwrap().as_raw(), pk.as_raw(), "{ctx}");
                        assert_eq!(sk.seed().unwrap().expose(), &seed[..], "{ctx}");
                        sk
                    } else {
                        assert_eq!(loaded.unwrap_err().kind(), pqshift::ErrorKind::Unsupported);
                        SecretKey::generate(alg, Some(p)).unwrap()
                    };
                    let ours = sk.sign(b"from pqshift", b"pqshift-ctx").unwrap();
                    phase2.push(json!({
                        "alg": alg.as_str(),
                        "pk_pem": sk.public_key().unwrap().to_pem().unwrap(),
                        "sk_pem": if seeded { Value::from(sk.to_pkcs8_pem().unwrap().as_str()) } else { Value::Null },
                        "sig": hex::encode(ours.as_raw()),
                    }));
                    our_dks.push(None);
                }
                AlgorithmKind::Kem => {
                    let ek =
                        EncapsulationKey::from_spki_pem(text(&got["pk_pem"]), Some(p)).unwrap();
                    let loaded = DecapsulationKey::from_pkcs8_pem(text(&got["sk_pem"]), Some(p));
                    let ours = if seeded {
                        let dk = loaded.unwrap();
                        assert_eq!(dk.encapsulation_key().unwrap().as_raw(), ek.as_raw());
                        let ct = Ciphertext::from_raw(alg, &unhex(&got["ct"])).unwrap();
                        let ss = dk.decapsulate(&ct).unwrap();
                        assert!(ss.ct_eq(&unhex(&got["ss"])), "{ctx}: shared secrets differ");
                        // our own key, from another seed, for pyca to encapsulate to
                        DecapsulationKey::from_seed(alg, &seed_for(alg, 10), Some(p)).unwrap()
                    } else {
                        assert_eq!(loaded.unwrap_err().kind(), pqshift::ErrorKind::Unsupported);
                        DecapsulationKey::generate(alg, Some(p)).unwrap()
                    };
                    // we encapsulate to pyca's key
                    let (ct2, ss2) = ek.encapsulate().unwrap();
                    phase2.push(json!({
                        "alg": alg.as_str(),
                        "pyca_seed": hex::encode(&seed),
                        "pk_pem": ours.encapsulation_key().unwrap().to_spki_pem().unwrap(),
                        "sk_pem": if seeded { Value::from(ours.to_pkcs8_pem().unwrap().as_str()) } else { Value::Null },
                        "ct": hex::encode(ct2.as_raw()),
                        "ss": hex::encode(ss2.expose()),
                    }));
                    our_dks.push(Some(ours));
                }
                AlgorithmKind::Mac => unreachable!(),
            }
        }
        // Phase 2: pyca verifies our signatures, decapsulates our ciphertexts,
        // reads our PEM keys, and encapsulates to our key.
        let r2 = py(
            r#"
res = []
for c in IN:
    pk = S.load_pem_public_key(c["pk_pem"].encode())
    d = {"same_pub": True}
    if c["sk_pem"] is not None:
        sk = S.load_pem_private_key(c["sk_pem"].encode(), None)
        d["same_pub"] = sk.public_key().public_bytes_raw() == pk.public_bytes_raw()
    if c["alg"].startswith("ml-dsa"):
        pk.verify(h(c["sig"]), b"from pqshift", b"pqshift-ctx")
        d["verified"] = True
    else:
        d["ss_ok"] = from_seed(c["alg"], h(c["pyca_seed"])).decapsulate(h(c["ct"])) == h(c["ss"])
        ss, ct = pk.encapsulate()
        d["ss"], d["ct"] = ss, ct
    res.append(d)
out(res)
"#,
            Value::Array(phase2),
        );
        for ((&(alg, p), got), dk) in pairs.iter().zip(r2.as_array().unwrap()).zip(&our_dks) {
            let ctx = format!("{alg} via {p}");
            assert_eq!(got["same_pub"], true, "{ctx}");
            match (alg.kind(), dk) {
                (AlgorithmKind::Signature, _) => assert_eq!(got["verified"], true, "{ctx}"),
                (_, Some(ours)) => {
                    assert_eq!(
                        got["ss_ok"], true,
                        "{ctx}: pyca decapsulated another secret"
                    );
                    let ct = Ciphertext::from_raw(alg, &unhex(&got["ct"])).unwrap();
                    assert!(
                        ours.decapsulate(&ct).unwrap().ct_eq(&unhex(&got["ss"])),
                        "{ctx}: pyca encapsulated to our key, shared secrets differ"
                    );
                }
                _ => unreachable!(),
            }
            exercised.push(alg);
            eprintln!("checked: {ctx} against pyca/cryptography");
        }
    }
    if in_ci() {
        for must in [AlgorithmId::MlDsa65, AlgorithmId::MlKem768] {
            if !registry::providers_for(must).is_empty() {
                assert!(
                    exercised.contains(&must),
                    "a {must} provider is linked but the facade interop did not exercise it"
                );
            }
        }
    }
}
