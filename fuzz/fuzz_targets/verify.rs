//! Verification with arbitrary (public key, message, signature, context)
//! for every signature algorithm and MAC, differentially: every linked
//! provider serving the algorithm must give the same verdict.
//!
//! Input layout (see fuzz/README.md; `scripts/fuzz-seeds` writes it):
//! `alg:u8 mode:u8 n:u64 msg:blob ctx:blob sig:blob pk:blob edits:rest`,
//! blob = u16 LE length + bytes. Mode bit 0: the key is the seeded key
//! `n` (else the raw `pk` blob); bit 1: the signature is a real one by
//! that key over msg/ctx (else the raw `sig` blob); bit 2: raw blobs are
//! cut/padded to the algorithm's exact length. `edits` are (u16 position,
//! u8 xor) triples applied to the signature.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pqshift::{AlgorithmId, AlgorithmKind, ErrorKind, PublicKey, SecretKey, SignMode};
use pqshift_fuzz::{algorithms, assert_input_error, fit, mutate, providers, Input, Verdict};

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let mut algs = algorithms(AlgorithmKind::Signature);
    algs.extend(algorithms(AlgorithmKind::Mac));
    let alg: AlgorithmId = algs[usize::from(input.byte()) % algs.len()];
    let mode = input.byte();
    let n = input.u64();
    let msg = input.blob();
    let ctx = input.blob();
    let sig_blob = input.blob();
    let pk_blob = input.blob();
    let edits = input.rest();
    let sizes = alg.sizes();
    let fit_lengths = mode & 4 != 0;

    // The key: seeded (through the preferred seed-capable provider), or raw bytes.
    let secret = if mode & 1 != 0 || alg.kind() == AlgorithmKind::Mac {
        match SecretKey::from_u64(alg, n, None) {
            Ok(k) => Some(k),
            Err(e) => panic!("seeded keygen failed for {alg}: {e}"),
        }
    } else {
        None
    };
    let mut sig = if mode & 2 != 0 {
        let Some(k) = &secret else { return };
        match k.sign_with(msg, ctx, SignMode::Deterministic) {
            Ok(s) => s.as_raw().to_vec(),
            Err(e) => {
                // Only the documented refusals: a long context, Ed25519's context.
                assert!(
                    matches!(e.kind(), ErrorKind::InvalidInput | ErrorKind::Unsupported),
                    "signing {alg}: {e}"
                );
                return;
            }
        }
    } else if fit_lengths {
        fit(sig_blob, sizes.signature)
    } else {
        sig_blob.to_vec()
    };
    mutate(&mut sig, edits);

    if alg.kind() == AlgorithmKind::Mac {
        let Some(k) = &secret else { return };
        let sig = match pqshift::Signature::from_raw(alg, &sig) {
            Ok(s) => s,
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{alg}: {e}");
                return;
            }
        };
        assert_input_error("MAC verify", &k.verify(msg, ctx, &sig));
        return;
    }

    let pk_raw = match &secret {
        Some(k) => k
            .public_key()
            .expect("public key of a seeded key")
            .as_raw()
            .to_vec(),
        None if fit_lengths => fit(pk_blob, sizes.public_key),
        None => pk_blob.to_vec(),
    };

    // Every provider: import the key, verify; all must agree.
    let mut verdicts: Vec<(&str, Verdict, Verdict)> = Vec::new();
    for p in providers(alg) {
        let key = PublicKey::from_raw(alg, &pk_raw, Some(p));
        assert_input_error("PublicKey::from_raw", &key);
        let import = Verdict::from(&key);
        let verify = match &key {
            Ok(k) => {
                let r = k.verify_raw(msg, ctx, &sig);
                assert_input_error("verify_raw", &r);
                Verdict::from(&r)
            }
            Err(_) => Verdict::Err(ErrorKind::InvalidInput),
        };
        verdicts.push((p, import, verify));
    }
    if let Some((first, rest)) = verdicts.split_first() {
        for other in rest {
            assert_eq!(
                (&first.1, &first.2),
                (&other.1, &other.2),
                "{alg}: providers disagree: {} says {:?}/{:?}, {} says {:?}/{:?} \
                 (pk {} bytes, sig {} bytes, ctx {} bytes)",
                first.0,
                first.1,
                first.2,
                other.0,
                other.1,
                other.2,
                pk_raw.len(),
                sig.len(),
                ctx.len()
            );
        }
    }
    // An unmodified real signature must verify everywhere.
    if mode & 2 != 0 && edits.chunks_exact(3).all(|e| e[2] == 0) {
        for (p, _, v) in &verdicts {
            assert_eq!(*v, Verdict::Ok, "{alg}: {p} rejects a valid signature");
        }
    }
});
