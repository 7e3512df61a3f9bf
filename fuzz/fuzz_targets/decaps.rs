//! ML-KEM decapsulation with arbitrary ciphertexts and keys, differentially:
//! every linked provider must return the same shared secret (FIPS 203's
//! implicit rejection makes that a total function on well-formed input),
//! and refuse the same malformed keys.
//!
//! Input layout (see fuzz/README.md; `scripts/fuzz-seeds` writes it):
//! `alg:u8 mode:u8 seed:blob ct:blob dk:blob m:blob edits:rest`.
//! Mode bit 0: the key is the expanded `dk` blob (imported into every
//! provider that takes expanded keys), else the seed blob (cut/padded to
//! 64 bytes, d||z); bit 1: the ciphertext is a real encapsulation to the
//! key with `m` (cut/padded to 32 bytes), else the raw `ct` blob;
//! bit 2: raw blobs are cut/padded to the exact lengths. `edits` are
//! (u16 position, u8 xor) triples applied to the ciphertext.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pqshift::{AlgorithmKind, DecapsulationKey, ErrorKind};
use pqshift_fuzz::{algorithms, assert_input_error, fit, mutate, providers, Input, Verdict};

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let algs = algorithms(AlgorithmKind::Kem);
    let alg = algs[usize::from(input.byte()) % algs.len()];
    let mode = input.byte();
    let seed = input.blob();
    let ct_blob = input.blob();
    let dk_blob = input.blob();
    let m = input.blob();
    let edits = input.rest();
    let sizes = alg.sizes();
    let fit_lengths = mode & 4 != 0;

    // One key per provider (None where the provider refused it).
    let mut keys: Vec<(&str, pqshift::Result<DecapsulationKey>)> = Vec::new();
    if mode & 1 != 0 {
        let dk = if fit_lengths {
            fit(dk_blob, sizes.expanded_secret_key)
        } else {
            dk_blob.to_vec()
        };
        for p in providers(alg) {
            let r = DecapsulationKey::from_expanded(alg, &dk, Some(p));
            assert_input_error("DecapsulationKey::from_expanded", &r);
            if matches!(&r, Err(e) if e.kind() == ErrorKind::Unsupported) {
                continue; // this provider takes seeds only (documented)
            }
            keys.push((p, r));
        }
        // Providers that import expanded keys must agree on which are valid.
        let verdicts: Vec<Verdict> = keys.iter().map(|(_, r)| Verdict::from(r)).collect();
        assert!(
            verdicts.windows(2).all(|w| w[0] == w[1]),
            "{alg}: providers disagree on an expanded key: {:?}",
            keys.iter()
                .zip(&verdicts)
                .map(|((p, _), v)| (*p, v))
                .collect::<Vec<_>>()
        );
    } else {
        let seed = fit(seed, sizes.seed);
        let base = DecapsulationKey::from_seed(alg, &seed, None).expect("seeded ML-KEM key");
        let expanded = base
            .expanded_secret_key()
            .map(|s| s.expose().to_vec())
            .expect("a seeded key has its expanded form");
        for p in providers(alg) {
            let r = DecapsulationKey::from_seed(alg, &seed, Some(p));
            let r = match r {
                Err(e) if e.kind() == ErrorKind::Unsupported => {
                    DecapsulationKey::from_expanded(alg, &expanded, Some(p))
                }
                other => other,
            };
            let k = r.unwrap_or_else(|e| panic!("{p} refuses a valid {alg} key: {e}"));
            keys.push((p, Ok(k)));
        }
    }
    let keys: Vec<(&str, DecapsulationKey)> = keys
        .into_iter()
        .filter_map(|(p, r)| r.ok().map(|k| (p, k)))
        .collect();
    let Some((_, first_key)) = keys.first() else {
        return;
    };

    let mut ct = if mode & 2 != 0 {
        // Through the preferred provider: not every one encapsulates with a given m.
        let ek_raw = first_key.encapsulation_key().expect("encapsulation key");
        let ek = pqshift::EncapsulationKey::from_raw(alg, ek_raw.as_raw(), None)
            .expect("a valid encapsulation key");
        let (ct, _) = ek
            .encapsulate_derand(&fit(m, 32))
            .expect("derandomized encapsulation");
        ct.as_raw().to_vec()
    } else if fit_lengths {
        fit(ct_blob, sizes.ciphertext)
    } else {
        ct_blob.to_vec()
    };
    mutate(&mut ct, edits);

    let results: Vec<(&str, pqshift::Result<Vec<u8>>)> = keys
        .iter()
        .map(|(p, k)| {
            let r = k.decapsulate_raw(&ct).map(|s| s.expose().to_vec());
            assert_input_error("decapsulate_raw", &r);
            (*p, r)
        })
        .collect();
    for w in results.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        match (&a.1, &b.1) {
            (Ok(x), Ok(y)) => assert_eq!(x, y, "{alg}: {} and {} give different secrets", a.0, b.0),
            (Err(x), Err(y)) => assert_eq!(x.kind(), y.kind(), "{alg}: {} vs {}", a.0, b.0),
            _ => panic!(
                "{alg}: {} says {:?}, {} says {:?}",
                a.0,
                a.1.is_ok(),
                b.0,
                b.1.is_ok()
            ),
        }
    }
});
